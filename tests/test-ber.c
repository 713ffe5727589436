/* The runtime's BER codec (runtime/src/ber.c): exact encodings, round
 * trips of every type and edge value, every reject rule, truncation and
 * bit flips, and real packets from a real snmpd, checked against what
 * net-snmp's own tools send and print.
 *
 * The snmpd part needs snmpd and snmpget (net-snmp): when they are not
 * installed the rest still runs and the test exits 77 (skipped) if it
 * passed. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "ber.h"
#include "getresp.h"
#include "testlib.h"
#include "value.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

/* "30 03 02 01 00" (any non-hex separators) into buf: the octet count. */
static size_t hex(const char *s, uint8_t *buf, size_t size)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = d;
		} else {
			ck_assert_uint_lt(n, size);
			buf[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	ck_assert_int_lt(hi, 0);
	return n;
}

static void format_oid(char *out, size_t size, const uint32_t *sub, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, ".%" PRIu32, sub[i]);
}

static void dump_hex(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "%s (%zu):", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
}

static void assert_bytes(const uint8_t *got, size_t got_len,
			 const uint8_t *want, size_t want_len)
{
	if (got_len != want_len || memcmp(got, want, want_len) != 0) {
		dump_hex("got ", got, got_len);
		dump_hex("want", want, want_len);
		ck_abort_msg("encodings differ");
	}
}

static struct ber_varbind vbs[BER_MAX_VARBINDS];

/* Decode and require success. */
static void decode_ok(const uint8_t *p, size_t n, struct ber_message *m)
{
	int rc = ber_decode(p, n, m, vbs, BER_MAX_VARBINDS);
	if (rc != 0)
		dump_hex("packet", p, n);
	ck_assert_msg(rc == 0, "decode: %s (%s) at %zu", ber_err_name(rc),
		      ber_strerror(rc), m->error_offset);
}

/* The decoded name of a varbind. */
static size_t vb_oid(const struct ber_varbind *vb, uint32_t *sub)
{
	int n = ber_oid_decode(vb->oid, vb->oid_len, sub, BER_MAX_SUBIDS);
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(n, vb->oid_subids);
	return (size_t)n;
}

/* One varbind message around a value (given as encoded TLV hex). */
static size_t vb_packet(const char *value_hex, uint8_t *buf, size_t size)
{
	uint8_t v[300];
	size_t vn = hex(value_hex, v, sizeof(v));
	ck_assert_uint_lt(vn, 100);
	/* 30 L 02 01 01 04 06 public a2 L 02 01 01 02 01 00 02 01 00 30 L
	 * 30 L 06 03 2b 06 01 <value> */
	size_t vbl = 5 + vn, list = 2 + vbl, pdu = 9 + 2 + list,
	       msg = 3 + 8 + 2 + pdu;
	ck_assert_uint_lt(msg, 128);
	ck_assert_uint_le(msg + 2, size);
	uint8_t *p = buf;
	*p++ = 0x30; *p++ = (uint8_t)msg;
	memcpy(p, "\x02\x01\x01\x04\x06public", 11); p += 11;
	*p++ = 0xa2; *p++ = (uint8_t)pdu;
	memcpy(p, "\x02\x01\x01\x02\x01\x00\x02\x01\x00", 9); p += 9;
	*p++ = 0x30; *p++ = (uint8_t)list;
	*p++ = 0x30; *p++ = (uint8_t)vbl;
	memcpy(p, "\x06\x03\x2b\x06\x01", 5); p += 5;
	memcpy(p, v, vn); p += vn;
	return (size_t)(p - buf);
}

/* The varbind points into a static buffer, valid until the next call. */
static int decode_value(const char *value_hex, struct ber_varbind *out)
{
	static uint8_t buf[256];
	size_t n = vb_packet(value_hex, buf, sizeof(buf));
	struct ber_message m;
	int rc = ber_decode(buf, n, &m, vbs, BER_MAX_VARBINDS);
	if (rc == 0) {
		ck_assert_uint_eq(m.n_vb, 1);
		*out = vbs[0];
	}
	return rc;
}

/* ---- encoding: exact bytes ---- */

static size_t encode_one(int32_t version, uint8_t pdu, const uint32_t *oid,
			 size_t oid_len, struct ber_value value, uint8_t *buf,
			 size_t size)
{
	struct ber_encode_varbind vb = { .oid = oid, .oid_len = oid_len,
					 .value = value };
	struct ber_request req = {
		.version = version, .community = (const uint8_t *)"public",
		.community_len = 6, .pdu_type = pdu, .request_id = 1,
		.vb = &vb, .n_vb = 1,
	};
	size_t len = 0;
	int rc = ber_encode(&req, buf, size, &len);
	ck_assert_msg(rc == 0, "encode: %s", ber_err_name(rc));
	return len;
}

/* The value TLV of an encoded one-varbind message with OID 1.3.6.1. */
static void assert_value_encoding(struct ber_value value, const char *want_hex)
{
	static const uint32_t oid[] = { 1, 3, 6, 1 };
	uint8_t buf[512], want[300];
	size_t n = encode_one(BER_VERSION_2C, BER_PDU_SET, oid, 4, value, buf,
			      sizeof(buf));
	size_t wn = hex(want_hex, want, sizeof(want));
	/* header: 30 L 02 01 01 04 06 public a3 L 02 01 01 02 01 00 02 01 00
	 * 30 L 30 L 06 03 2b 06 01 (all short lengths here) */
	ck_assert_uint_ge(n, 2 + 11 + 2 + 9 + 2 + 2 + 5);
	assert_bytes(buf + 33, n - 33, want, wn);
}

START_TEST(encode_values)
{
	struct ber_value v = { .type = BER_INTEGER };
	const struct { int32_t v; const char *hex; } ints[] = {
		{ 0, "02 01 00" }, { 1, "02 01 01" }, { 127, "02 01 7f" },
		{ 128, "02 02 00 80" }, { 255, "02 02 00 ff" },
		{ 256, "02 02 01 00" }, { -1, "02 01 ff" }, { -128, "02 01 80" },
		{ -129, "02 02 ff 7f" }, { 32767, "02 02 7f ff" },
		{ 32768, "02 03 00 80 00" }, { -32768, "02 02 80 00" },
		{ 8388608, "02 04 00 80 00 00" },
		{ INT32_MAX, "02 04 7f ff ff ff" },
		{ INT32_MIN, "02 04 80 00 00 00" },
	};
	for (size_t i = 0; i < N_ELEMENTS(ints); i++) {
		v.v.i32 = ints[i].v;
		assert_value_encoding(v, ints[i].hex);
	}
	const struct { uint8_t type; uint32_t v; const char *hex; } u32s[] = {
		{ BER_COUNTER32, 0, "41 01 00" },
		{ BER_COUNTER32, 127, "41 01 7f" },
		{ BER_COUNTER32, 128, "41 02 00 80" },
		{ BER_GAUGE32, 65535, "42 03 00 ff ff" },
		{ BER_TIMETICKS, 0x7fffffff, "43 04 7f ff ff ff" },
		{ BER_COUNTER32, 0x80000000u, "41 05 00 80 00 00 00" },
		{ BER_GAUGE32, UINT32_MAX, "42 05 00 ff ff ff ff" },
	};
	for (size_t i = 0; i < N_ELEMENTS(u32s); i++) {
		v.type = u32s[i].type;
		v.v.u32 = u32s[i].v;
		assert_value_encoding(v, u32s[i].hex);
	}
	v.type = BER_COUNTER64;
	v.v.u64 = 0;
	assert_value_encoding(v, "46 01 00");
	v.v.u64 = UINT64_C(0x100000000);
	assert_value_encoding(v, "46 05 01 00 00 00 00");
	v.v.u64 = INT64_MAX;
	assert_value_encoding(v, "46 08 7f ff ff ff ff ff ff ff");
	v.v.u64 = UINT64_MAX;
	assert_value_encoding(v, "46 09 00 ff ff ff ff ff ff ff ff");

	v.type = BER_NULL;
	assert_value_encoding(v, "05 00");
	v.type = BER_OCTET_STRING;
	v.v.octets.data = NULL;
	v.v.octets.len = 0;
	assert_value_encoding(v, "04 00");
	v.v.octets.data = (const uint8_t *)"ab\0c";
	v.v.octets.len = 4;
	assert_value_encoding(v, "04 04 61 62 00 63");
	v.type = BER_IPADDRESS;
	v.v.octets.data = (const uint8_t *)"\x0a\x00\xff\x01";
	assert_value_encoding(v, "40 04 0a 00 ff 01");
	v.type = BER_OPAQUE;
	uint8_t f[BER_OPAQUE_FLOAT_LEN], d[BER_OPAQUE_DOUBLE_LEN];
	ber_opaque_float(1.5f, f);
	v.v.octets.data = f;
	v.v.octets.len = sizeof(f);
	assert_value_encoding(v, "44 07 9f 78 04 3f c0 00 00");
	ber_opaque_double(-2.25, d);
	v.v.octets.data = d;
	v.v.octets.len = sizeof(d);
	assert_value_encoding(v, "44 0b 9f 79 08 c0 02 00 00 00 00 00 00");

	/* OIDs: X.690's example 2.999.3, big arcs, 2.(2^32-1) */
	v.type = BER_OID;
	const uint32_t o1[] = { 2, 999, 3 };
	v.v.oid.sub = o1;
	v.v.oid.len = 3;
	assert_value_encoding(v, "06 03 88 37 03");
	const uint32_t o2[] = { 0, 0 };
	v.v.oid.sub = o2;
	v.v.oid.len = 2;
	assert_value_encoding(v, "06 01 00");
	const uint32_t o3[] = { 1, 39, 127, 128, 16383, 16384, UINT32_MAX };
	v.v.oid.sub = o3;
	v.v.oid.len = 7;
	assert_value_encoding(v, "06 0e 4f 7f 81 00 ff 7f 81 80 00 8f ff ff ff 7f");
	const uint32_t o4[] = { 2, UINT32_MAX };
	v.v.oid.sub = o4;
	v.v.oid.len = 2;
	/* 80 + 4294967295 = 0x10000004f */
	assert_value_encoding(v, "06 05 90 80 80 80 4f");
}
END_TEST

START_TEST(encode_message)
{
	/* snmpget -v2c -c public ... sysDescr.0 as net-snmp sends it */
	static const uint32_t sys_descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	uint8_t buf[128], want[128];
	struct ber_encode_varbind vb = { .oid = sys_descr, .oid_len = 9,
					 .value = { .type = BER_NULL } };
	struct ber_request req = {
		.version = BER_VERSION_2C, .community = (const uint8_t *)"public",
		.community_len = 6, .pdu_type = BER_PDU_GET,
		.request_id = 0x5afd3846, .vb = &vb, .n_vb = 1,
	};
	size_t len;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	size_t wn = hex("30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 5a "
			"fd 38 46 02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 "
			"02 01 01 01 00 05 00", want, sizeof(want));
	assert_bytes(buf, len, want, wn);

	/* Every size too small fails cleanly and writes nothing outside. */
	for (size_t size = 0; size < wn; size++) {
		uint8_t small[128];
		memset(small, 0xee, sizeof(small));
		size_t l2 = 12345;
		ck_assert_int_eq(ber_encode(&req, small, size, &l2), BER_E_NOSPACE);
		for (size_t i = size; i < sizeof(small); i++)
			ck_assert_uint_eq(small[i], 0xee);
	}
	ck_assert_int_eq(ber_encode(&req, buf, wn, &len), 0);
	ck_assert_uint_eq(len, wn);

	/* GetBulk: non-repeaters and max-repetitions in the error fields */
	req.pdu_type = BER_PDU_GETBULK;
	req.request_id = -1;
	req.error_status = 1;
	req.error_index = 1000;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	wn = hex("30 27 02 01 01 04 06 70 75 62 6c 69 63 a5 1a 02 01 ff 02 01 "
		 "01 02 02 03 e8 30 0e 30 0c 06 08 2b 06 01 02 01 01 01 00 05 "
		 "00", want, sizeof(want));
	assert_bytes(buf, len, want, wn);
	/* no GetBulk in SNMPv1, no negative counts */
	req.version = BER_VERSION_1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	req.version = BER_VERSION_2C;
	req.error_index = -1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);

	/* SNMPv1 GetNext, no varbinds */
	req = (struct ber_request){ .version = BER_VERSION_1,
		.community = (const uint8_t *)"x", .community_len = 1,
		.pdu_type = BER_PDU_GETNEXT, .request_id = 256 };
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	wn = hex("30 14 02 01 00 04 01 78 a1 0c 02 02 01 00 02 01 00 02 01 00 "
		 "30 00", want, sizeof(want));
	assert_bytes(buf, len, want, wn);
}
END_TEST

START_TEST(encode_invalid)
{
	uint8_t buf[256];
	size_t len;
	const uint32_t good[] = { 1, 3 };
	struct ber_encode_varbind vb = { .oid = good, .oid_len = 2,
					 .value = { .type = BER_NULL } };
	struct ber_request req = { .version = BER_VERSION_2C,
		.pdu_type = BER_PDU_SET, .vb = &vb, .n_vb = 1 };
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);

	const uint32_t bad1[] = { 3, 1 }, bad2[] = { 1, 40 }, bad3[] = { 0, 40 };
	const uint32_t *bad[] = { bad1, bad2, bad3 };
	for (size_t i = 0; i < 3; i++) {
		vb.oid = bad[i];
		ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	}
	vb.oid = good;
	vb.oid_len = 1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	uint32_t long_oid[BER_MAX_SUBIDS + 1];
	for (size_t i = 0; i < N_ELEMENTS(long_oid); i++)
		long_oid[i] = 1;
	vb.oid = long_oid;
	vb.oid_len = BER_MAX_SUBIDS + 1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	vb.oid_len = BER_MAX_SUBIDS;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	vb.oid = good;
	vb.oid_len = 2;

	vb.value.type = BER_IPADDRESS;
	vb.value.v.octets.data = (const uint8_t *)"\1\2\3";
	vb.value.v.octets.len = 3;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	vb.value.type = BER_OCTET_STRING;
	vb.value.v.octets.data = NULL;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	vb.value.type = BER_COUNTER64;
	req.version = BER_VERSION_1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	req.version = BER_VERSION_2C;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	vb.value.type = 0x99;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	vb.value.type = BER_NULL;
	req.version = 3;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	req.version = BER_VERSION_2C;
	req.pdu_type = BER_PDU_TRAP_V1;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), BER_E_INVAL);
	req.pdu_type = BER_PDU_GET;

	/* A string over 65535 octets: no length that long on UDP. */
	static uint8_t big[70000];
	static uint8_t out[80000];
	vb.value.type = BER_OCTET_STRING;
	vb.value.v.octets.data = big;
	vb.value.v.octets.len = 65536;
	ck_assert_int_eq(ber_encode(&req, out, sizeof(out), &len), BER_E_TOO_BIG);
	/* ... and a message whose total would be */
	vb.value.v.octets.len = 65530;
	ck_assert_int_eq(ber_encode(&req, out, sizeof(out), &len), BER_E_TOO_BIG);
	vb.value.v.octets.len = 65000;
	ck_assert_int_eq(ber_encode(&req, out, sizeof(out), &len), 0);
	ck_assert_uint_gt(len, 65000);
}
END_TEST

/* ---- round trips ---- */

static void roundtrip(int32_t version, uint8_t pdu,
		      const struct ber_encode_varbind *in, size_t n)
{
	static uint8_t buf[70000];
	struct ber_request req = {
		.version = version, .community = (const uint8_t *)"s3cr\0t",
		.community_len = 6, .pdu_type = pdu, .request_id = INT32_MIN,
		.error_status = 5, .error_index = INT32_MAX, .vb = in, .n_vb = n,
	};
	size_t len;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	struct ber_message m;
	decode_ok(buf, len, &m);
	ck_assert_int_eq(m.version, version);
	ck_assert_uint_eq(m.community_len, 6);
	ck_assert_mem_eq(m.community, "s3cr\0t", 6);
	ck_assert_uint_eq(m.pdu_type, pdu);
	ck_assert_int_eq(m.request_id, INT32_MIN);
	ck_assert_int_eq(m.error_status, 5);
	ck_assert_int_eq(m.error_index, INT32_MAX);
	ck_assert_uint_eq(m.n_vb, n);
	for (size_t i = 0; i < n; i++) {
		const struct ber_varbind *vb = &m.vb[i];
		const struct ber_value *v = &in[i].value;
		uint32_t sub[BER_MAX_SUBIDS];
		size_t sn = vb_oid(vb, sub);
		ck_assert_uint_eq(sn, in[i].oid_len);
		ck_assert_mem_eq(sub, in[i].oid, sn * sizeof(uint32_t));
		ck_assert_uint_eq(vb->type, v->type);
		switch (v->type) {
		case BER_NULL:
			ck_assert_uint_eq(vb->len, 0);
			break;
		case BER_INTEGER:
			ck_assert_int_eq(vb->num.i32, v->v.i32);
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
			ck_assert_uint_eq(vb->num.u32, v->v.u32);
			break;
		case BER_COUNTER64:
			ck_assert(vb->num.u64 == v->v.u64);
			break;
		case BER_IPADDRESS:
		case BER_OCTET_STRING:
		case BER_OPAQUE:
			ck_assert_uint_eq(vb->len, v->v.octets.len);
			if (vb->len)
				ck_assert_mem_eq(vb->data, v->v.octets.data, vb->len);
			break;
		case BER_OID: {
			uint32_t o[BER_MAX_SUBIDS];
			int on = ber_oid_decode(vb->data, vb->len, o, BER_MAX_SUBIDS);
			ck_assert_int_eq(on, (int)v->v.oid.len);
			ck_assert_uint_eq(vb->num.u32, v->v.oid.len);
			ck_assert_mem_eq(o, v->v.oid.sub, (size_t)on * sizeof(uint32_t));
			break;
		}
		default:
			ck_abort();
		}
	}
}

START_TEST(roundtrip_types)
{
	static uint32_t max_oid[BER_MAX_SUBIDS];
	max_oid[0] = 2;
	for (size_t i = 1; i < BER_MAX_SUBIDS; i++)
		max_oid[i] = UINT32_MAX - (uint32_t)i;
	static const uint32_t o_zero[] = { 0, 0 }, o_2999[] = { 2, 999, 0 },
		o_big[] = { 2, UINT32_MAX, UINT32_MAX, 0, 127, 128 },
		o_139[] = { 1, 39 }, o_040[] = { 0, 39, 4294967295u },
		o_sys[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	uint8_t fl[BER_OPAQUE_FLOAT_LEN], db[BER_OPAQUE_DOUBLE_LEN];
	ber_opaque_float(-0.125f, fl);
	ber_opaque_double(1e300, db);
	static uint8_t long_str[1000];
	for (size_t i = 0; i < sizeof(long_str); i++)
		long_str[i] = (uint8_t)i;
#define OCT(t, p, l) { .type = (t), .v.octets = { (const uint8_t *)(p), (l) } }
	const struct ber_value values[] = {
		{ .type = BER_NULL },
		{ .type = BER_INTEGER, .v.i32 = 0 },
		{ .type = BER_INTEGER, .v.i32 = INT32_MIN },
		{ .type = BER_INTEGER, .v.i32 = INT32_MAX },
		{ .type = BER_INTEGER, .v.i32 = -1 },
		{ .type = BER_INTEGER, .v.i32 = -8388609 },
		{ .type = BER_COUNTER32, .v.u32 = 0 },
		{ .type = BER_COUNTER32, .v.u32 = UINT32_MAX },
		{ .type = BER_GAUGE32, .v.u32 = 0x80000000u },
		{ .type = BER_GAUGE32, .v.u32 = 0x00800000u },
		{ .type = BER_TIMETICKS, .v.u32 = UINT32_MAX - 1 },
		{ .type = BER_COUNTER64, .v.u64 = 0 },
		{ .type = BER_COUNTER64, .v.u64 = UINT64_MAX },
		{ .type = BER_COUNTER64, .v.u64 = UINT64_C(0x8000000000000000) },
		{ .type = BER_COUNTER64, .v.u64 = UINT32_MAX },
		OCT(BER_OCTET_STRING, "", 0),
		OCT(BER_OCTET_STRING, "\xff\x00\x80", 3),
		OCT(BER_OCTET_STRING, long_str, sizeof(long_str)),
		OCT(BER_IPADDRESS, "\xff\xff\xff\xff", 4),
		OCT(BER_IPADDRESS, "\0\0\0\0", 4),
		OCT(BER_OPAQUE, "", 0),
		OCT(BER_OPAQUE, fl, sizeof(fl)),
		OCT(BER_OPAQUE, db, sizeof(db)),
		{ .type = BER_OID, .v.oid = { o_zero, 2 } },
		{ .type = BER_OID, .v.oid = { o_2999, 3 } },
		{ .type = BER_OID, .v.oid = { o_big, 6 } },
		{ .type = BER_OID, .v.oid = { max_oid, BER_MAX_SUBIDS } },
		{ .type = BER_OID, .v.oid = { o_139, 2 } },
		{ .type = BER_OID, .v.oid = { o_040, 3 } },
	};
#undef OCT
	const struct { const uint32_t *oid; size_t len; } names[] = {
		{ o_sys, 9 }, { o_zero, 2 }, { o_2999, 3 }, { o_big, 6 },
		{ max_oid, BER_MAX_SUBIDS }, { o_139, 2 }, { o_040, 3 },
	};
	struct ber_encode_varbind in[N_ELEMENTS(values)];
	for (size_t i = 0; i < N_ELEMENTS(values); i++) {
		in[i].oid = names[i % N_ELEMENTS(names)].oid;
		in[i].oid_len = names[i % N_ELEMENTS(names)].len;
		in[i].value = values[i];
		/* each alone, then all together */
		roundtrip(BER_VERSION_2C, BER_PDU_SET, &in[i], 1);
	}
	roundtrip(BER_VERSION_2C, BER_PDU_SET, in, N_ELEMENTS(in));
	roundtrip(BER_VERSION_2C, BER_PDU_RESPONSE, in, N_ELEMENTS(in));
	roundtrip(BER_VERSION_2C, BER_PDU_TRAP_V2, in, N_ELEMENTS(in));
	roundtrip(BER_VERSION_2C, BER_PDU_REPORT, in, N_ELEMENTS(in));
	roundtrip(BER_VERSION_2C, BER_PDU_GET, in, 0);
	/* SNMPv1: all but Counter64 */
	struct ber_encode_varbind v1[N_ELEMENTS(values)];
	size_t n1 = 0;
	for (size_t i = 0; i < N_ELEMENTS(values); i++)
		if (in[i].value.type != BER_COUNTER64)
			v1[n1++] = in[i];
	roundtrip(BER_VERSION_1, BER_PDU_SET, v1, n1);
	roundtrip(BER_VERSION_1, BER_PDU_RESPONSE, v1, n1);

	/* every INTEGER width boundary and every power of two */
	for (int bit = 0; bit < 64; bit++) {
		uint64_t p = UINT64_C(1) << bit;
		uint64_t cands[] = { p - 1, p, p + 1 };
		for (size_t j = 0; j < 3; j++) {
			struct ber_encode_varbind vb[4] = {
				{ o_sys, 9, { .type = BER_COUNTER64, .v.u64 = cands[j] } },
				{ o_sys, 9, { .type = BER_GAUGE32, .v.u32 = (uint32_t)cands[j] } },
				{ o_sys, 9, { .type = BER_INTEGER, .v.i32 = (int32_t)(uint32_t)cands[j] } },
				{ o_sys, 9, { .type = BER_INTEGER, .v.i32 = -(int32_t)(cands[j] & 0x7fffffff) } },
			};
			roundtrip(BER_VERSION_2C, BER_PDU_SET, vb, 4);
		}
	}
}
END_TEST

START_TEST(roundtrip_64k)
{
	/* A response as big as UDP allows: 64 KiB with the most varbinds
	 * the decoder takes. */
	static uint8_t strs[BER_MAX_VARBINDS][64];
	static struct ber_encode_varbind in[BER_MAX_VARBINDS];
	static uint32_t oids[BER_MAX_VARBINDS][12];
	for (size_t i = 0; i < BER_MAX_VARBINDS; i++) {
		uint32_t o[] = { 1, 3, 6, 1, 2, 1, 25, 4, 2, 1, 2, (uint32_t)i * 997 };
		memcpy(oids[i], o, sizeof(o));
		memset(strs[i], (int)('a' + i % 26), sizeof(strs[i]));
		in[i] = (struct ber_encode_varbind){ oids[i], 12,
			{ .type = BER_OCTET_STRING,
			  .v.octets = { strs[i], 40 } } };
	}
	roundtrip(BER_VERSION_2C, BER_PDU_RESPONSE, in, BER_MAX_VARBINDS);
	/* strings filling up the 64 KiB */
	for (size_t i = 0; i < 895; i++)
		in[i].value.v.octets.len = 54;
	roundtrip(BER_VERSION_2C, BER_PDU_RESPONSE, in, 895);
	uint8_t *buf = malloc(70000);
	size_t len;
	struct ber_request req = { .version = BER_VERSION_2C,
		.pdu_type = BER_PDU_RESPONSE, .vb = in, .n_vb = 895 };
	ck_assert_int_eq(ber_encode(&req, buf, 70000, &len), 0);
	ck_assert_uint_gt(len, 65000);
	ck_assert_uint_le(len, 65535);
	struct ber_message m;
	decode_ok(buf, len, &m);
	ck_assert_uint_eq(m.n_vb, 895);
	/* the caller's array limit */
	ck_assert_int_eq(ber_decode(buf, len, &m, vbs, 894), BER_E_TOO_MANY_VARBINDS);
	ck_assert_int_eq(ber_decode(buf, len, &m, vbs, 895), 0);
	free(buf);
}
END_TEST

/* ---- decoding what agents send ---- */

START_TEST(decode_agent_quirks)
{
	struct ber_varbind vb;
	/* INTEGER padded to 4 octets, both signs */
	ck_assert_int_eq(decode_value("02 04 00 00 00 05", &vb), 0);
	ck_assert_int_eq(vb.num.i32, 5);
	ck_assert_int_eq(decode_value("02 04 ff ff ff fe", &vb), 0);
	ck_assert_int_eq(vb.num.i32, -2);
	ck_assert_int_eq(decode_value("02 02 00 7f", &vb), 0);
	ck_assert_int_eq(vb.num.i32, 127);
	ck_assert_int_eq(decode_value("02 04 80 00 00 00", &vb), 0);
	ck_assert_int_eq(vb.num.i32, INT32_MIN);
	ck_assert_int_eq(decode_value("02 03 ff 7f ff", &vb), 0);
	ck_assert_int_eq(vb.num.i32, -32769);
	/* unsigned without the leading 0x00, padded, 5 octets */
	ck_assert_int_eq(decode_value("41 04 ff ff ff ff", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, UINT32_MAX);
	ck_assert_int_eq(decode_value("42 05 00 ff ff ff ff", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, UINT32_MAX);
	ck_assert_int_eq(decode_value("43 01 80", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, 128);
	ck_assert_int_eq(decode_value("43 04 00 00 00 80", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, 128);
	ck_assert_int_eq(decode_value("47 02 01 00", &vb), 0);
	ck_assert_uint_eq(vb.type, BER_UINTEGER32);
	ck_assert_uint_eq(vb.num.u32, 256);
	/* Counter64 padded to 9 octets, or 8 with the high bit */
	ck_assert_int_eq(decode_value("46 09 00 ff ff ff ff ff ff ff ff", &vb), 0);
	ck_assert(vb.num.u64 == UINT64_MAX);
	ck_assert_int_eq(decode_value("46 08 80 00 00 00 00 00 00 01", &vb), 0);
	ck_assert(vb.num.u64 == UINT64_C(0x8000000000000001));
	ck_assert_int_eq(decode_value("46 09 00 00 00 00 00 00 00 00 07", &vb), 0);
	ck_assert(vb.num.u64 == 7);
	/* long-form lengths where short would do */
	ck_assert_int_eq(decode_value("04 81 03 61 62 63", &vb), 0);
	ck_assert_uint_eq(vb.len, 3);
	ck_assert_mem_eq(vb.data, "abc", 3);
	ck_assert_int_eq(decode_value("04 82 00 01 61", &vb), 0);
	ck_assert_int_eq(decode_value("04 84 00 00 00 01 61", &vb), 0);
	ck_assert_int_eq(decode_value("02 81 01 2a", &vb), 0);
	ck_assert_int_eq(vb.num.i32, 42);
	ck_assert_int_eq(decode_value("05 81 00", &vb), 0);
	/* exceptions */
	ck_assert_int_eq(decode_value("80 00", &vb), 0);
	ck_assert_uint_eq(vb.type, BER_NO_SUCH_OBJECT);
	ck_assert_int_eq(decode_value("81 00", &vb), 0);
	ck_assert_uint_eq(vb.type, BER_NO_SUCH_INSTANCE);
	ck_assert_int_eq(decode_value("82 00", &vb), 0);
	ck_assert_uint_eq(vb.type, BER_END_OF_MIB_VIEW);
	/* IpAddress */
	ck_assert_int_eq(decode_value("40 04 c0 a8 01 02", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, 0xc0a80102u);
	/* Opaque: float (laLoadFloat), double, raw, special types */
	ck_assert_int_eq(decode_value("44 07 9f 78 04 40 0c a8 00", &vb), 0);
	ck_assert_uint_eq(vb.opaque, BER_OPAQUE_FLOAT);
	ck_assert(vb.num.f == 0x1.1950p+1f); /* 2.197754 */
	ck_assert_int_eq(decode_value("44 0b 9f 79 08 c0 02 00 00 00 00 00 00", &vb), 0);
	ck_assert_uint_eq(vb.opaque, BER_OPAQUE_DOUBLE);
	ck_assert(vb.num.d == -2.25);
	ck_assert_int_eq(decode_value("44 0c 9f 7b 09 00 ff ff ff ff ff ff ff ff", &vb), 0);
	ck_assert_uint_eq(vb.opaque, BER_OPAQUE_UINT64);
	ck_assert(vb.num.u64 == UINT64_MAX);
	ck_assert_int_eq(decode_value("44 04 9f 7a 01 fb", &vb), 0);
	ck_assert_uint_eq(vb.opaque, BER_OPAQUE_INT64);
	ck_assert(vb.num.i64 == -5);
	ck_assert_int_eq(decode_value("44 0b 9f 7a 08 80 00 00 00 00 00 00 00", &vb), 0);
	ck_assert(vb.num.i64 == INT64_MIN);
	ck_assert_int_eq(decode_value("44 05 9f 76 02 01 00", &vb), 0);
	ck_assert_uint_eq(vb.opaque, BER_OPAQUE_COUNTER64);
	ck_assert(vb.num.u64 == 256);
	const char *raw[] = { "44 00", "44 03 01 02 03", "44 07 9f 78 05 40 0c a8 00",
			      "44 08 9f 78 04 40 0c a8 00 00", "44 06 9f 78 04 40 0c a8",
			      "44 0c 9f 7a 09 00 00 00 00 00 00 00 00 01",
			      "44 07 9f 77 04 40 0c a8 00", "44 03 9f 7b 00" };
	for (size_t i = 0; i < N_ELEMENTS(raw); i++) {
		ck_assert_int_eq(decode_value(raw[i], &vb), 0);
		ck_assert_uint_eq(vb.type, BER_OPAQUE);
		ck_assert_uint_eq(vb.opaque, BER_OPAQUE_RAW);
	}
	/* OID values: empty is accepted, 2.(2^32-1) */
	ck_assert_int_eq(decode_value("06 00", &vb), 0);
	ck_assert_uint_eq(vb.num.u32, 0);
	ck_assert_int_eq(decode_value("06 05 90 80 80 80 4f", &vb), 0);
	uint32_t sub[4];
	ck_assert_int_eq(ber_oid_decode(vb.data, vb.len, sub, 4), 2);
	ck_assert_uint_eq(sub[0], 2);
	ck_assert_uint_eq(sub[1], UINT32_MAX);
	ck_assert_int_eq(ber_oid_decode(vb.data, vb.len, sub, 1), BER_E_NOSPACE);
	ck_assert_int_eq(ber_oid_decode(vb.data, vb.len, NULL, 0), 2);
	/* NsapAddress: raw */
	ck_assert_int_eq(decode_value("45 02 01 02", &vb), 0);
	ck_assert_uint_eq(vb.len, 2);
}
END_TEST

/* ---- every reject rule ---- */

START_TEST(decode_rejects_values)
{
	struct ber_varbind vb;
	const struct { const char *hex; int err; } cases[] = {
		{ "02 00", BER_E_INT_EMPTY },
		{ "41 00", BER_E_INT_EMPTY },
		{ "46 00", BER_E_INT_EMPTY },
		{ "02 05 00 00 00 00 01", BER_E_INT_WIDTH },
		{ "02 05 00 ff ff ff ff", BER_E_INT_WIDTH },
		{ "41 06 00 00 00 00 00 01", BER_E_INT_WIDTH },
		{ "42 05 01 00 00 00 00", BER_E_INT_RANGE },
		{ "43 05 ff ff ff ff ff", BER_E_INT_RANGE },
		{ "46 0a 00 00 00 00 00 00 00 00 00 01", BER_E_INT_WIDTH },
		{ "46 09 01 00 00 00 00 00 00 00 00", BER_E_INT_RANGE },
		{ "05 01 00", BER_E_NULL_LENGTH },
		{ "80 01 00", BER_E_NULL_LENGTH },
		{ "81 01 00", BER_E_NULL_LENGTH },
		{ "82 02 00 00", BER_E_NULL_LENGTH },
		{ "40 03 01 02 03", BER_E_IPADDRESS },
		{ "40 05 01 02 03 04 05", BER_E_IPADDRESS },
		{ "40 00", BER_E_IPADDRESS },
		{ "01 01 ff", BER_E_VALUE_TAG },       /* BOOLEAN */
		{ "03 01 00", BER_E_VALUE_TAG },       /* BIT STRING */
		{ "30 00", BER_E_VALUE_TAG },
		{ "48 01 00", BER_E_VALUE_TAG },
		{ "83 00", BER_E_VALUE_TAG },
		{ "a2 00", BER_E_VALUE_TAG },
		{ "1f 01 00", BER_E_VALUE_TAG },
		{ "06 02 2b 86", BER_E_OID_UNTERMINATED },
		{ "06 01 ff", BER_E_OID_UNTERMINATED },
		{ "06 03 2b 80 01", BER_E_OID_PADDING },
		{ "06 06 2b 90 80 80 80 00", BER_E_OID_SUBID },
		{ "06 06 2b 8f ff ff ff 7f", 0 },
		{ "06 07 2b 80 8f ff ff ff 7f", BER_E_OID_PADDING },
		{ "06 0b 2b ff ff ff ff ff ff ff ff ff 7f", BER_E_OID_SUBID },
		{ "06 05 90 80 80 80 50", BER_E_OID_SUBID }, /* 2.2^32 */
		{ "04 80 61 00 00", BER_E_INDEFINITE },
		{ "04 85 00 00 00 00 01 61", BER_E_LENGTH_OF_LENGTH },
		{ "04 ff 01", BER_E_LENGTH_OF_LENGTH },
		{ "04 83 01 00 00", BER_E_TOO_BIG },
		{ "04 84 ff ff ff ff", BER_E_TOO_BIG },
		{ "04 05 61", BER_E_LENGTH },
		{ "04 82 00 05 61", BER_E_LENGTH },
		{ "02 01 01 02 01 01", BER_E_EXTRA },  /* three elements */
		{ "", BER_E_TRUNCATED },               /* no value */
		{ "04", BER_E_TRUNCATED },
		{ "04 82 00", BER_E_TRUNCATED },
	};
	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		int rc = decode_value(cases[i].hex, &vb);
		ck_assert_msg(rc == cases[i].err, "%s: got %s, want %s",
			      cases[i].hex, ber_err_name(rc),
			      ber_err_name(cases[i].err));
	}
}
END_TEST

/* Whole messages (vb is "30 07 06 03 2b 06 01 05 00" where it appears). */
START_TEST(decode_rejects_messages)
{
	const struct { const char *hex; int err; size_t offset; } cases[] = {
		/* a valid one first */
		{ "30 1d 02 01 01 04 06 70 75 62 6c 69 63 a2 10 02 01 07 02 01 00 "
		  "02 01 00 30 05 30 03 06 01 2b", BER_E_TRUNCATED, 31 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", 0, 0 },
		/* trailing garbage after the message */
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00 00", BER_E_TRAILING, 33 },
		/* truncated: the message says more than the datagram has */
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05", BER_E_TRUNCATED, 0 },
		{ "", BER_E_TRUNCATED, 0 },
		{ "30", BER_E_TRUNCATED, 0 },
		{ "30 81", BER_E_TRUNCATED, 0 },
		{ "30 00", BER_E_TRUNCATED, 2 },
		{ "30 03 02 01", BER_E_TRUNCATED, 0 },
		{ "30 02 02 01", BER_E_LENGTH, 2 },
		/* lengths */
		{ "30 80 02 01 01 00 00", BER_E_INDEFINITE, 0 },
		{ "30 85 00 00 00 00 03 02 01 01", BER_E_LENGTH_OF_LENGTH, 0 },
		{ "30 83 01 00 00", BER_E_TOO_BIG, 0 },
		/* wrong tags at each level */
		{ "31 03 02 01 01", BER_E_TAG, 0 },
		{ "a2 03 02 01 01", BER_E_TAG, 0 },
		{ "30 03 04 01 01", BER_E_TAG, 2 },
		{ "30 1f 02 01 01 05 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_TAG, 5 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 30 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_TAG, 13 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a4 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_PDU_TYPE, 13 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a9 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_PDU_TYPE, 13 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 04 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_TAG, 15 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 42 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_TAG, 18 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "0a 01 00 30 07 30 05 06 01 2b 05 00", BER_E_TAG, 21 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 31 07 30 05 06 01 2b 05 00", BER_E_TAG, 24 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 a0 05 06 01 2b 05 00", BER_E_TAG, 26 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 04 01 2b 05 00", BER_E_TAG, 28 },
		/* version */
		{ "30 1f 02 01 03 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_VERSION, 2 },
		{ "30 1f 02 01 ff 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_VERSION, 2 },
		/* integers in the header */
		{ "30 23 02 05 00 00 00 00 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 "
		  "02 01 00 02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_INT_WIDTH, 2 },
		{ "30 22 02 01 01 04 06 70 75 62 6c 69 63 a2 15 02 04 00 00 00 07 "
		  "02 01 00 02 01 00 30 07 30 05 06 01 2b 05 00", 0, 0 },
		{ "30 23 02 01 01 04 06 70 75 62 6c 69 63 a2 16 02 05 00 80 00 00 07 "
		  "02 01 00 02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_INT_WIDTH, 15 },
		{ "30 1e 02 01 01 04 06 70 75 62 6c 69 63 a2 11 02 00 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_INT_EMPTY, 15 },
		/* extra elements inside SEQUENCEs */
		{ "30 21 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00 05 00", BER_E_EXTRA, 33 },
		{ "30 21 02 01 01 04 06 70 75 62 6c 69 63 a2 14 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00 05 00", BER_E_EXTRA, 33 },
		{ "30 21 02 01 01 04 06 70 75 62 6c 69 63 a2 14 02 01 07 02 01 00 "
		  "02 01 00 30 09 30 07 06 01 2b 05 00 05 00", BER_E_EXTRA, 33 },
		/* a child longer than its parent */
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 06 06 01 2b 05 00", BER_E_LENGTH, 26 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 08 30 05 06 01 2b 05 00", BER_E_LENGTH, 24 },
		{ "30 1f 02 01 01 04 20 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", BER_E_LENGTH, 5 },
		/* the parent ends inside a header */
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 2b 05 00", 0, 0 },
		{ "30 0e 02 01 01 04 06 70 75 62 6c 69 63 a2 01 02", BER_E_TRUNCATED, 15 },
		{ "30 0c 02 01 01 04 06 70 75 62 6c 69 63 a2", BER_E_TRUNCATED, 13 },
		/* varbind names */
		{ "30 1e 02 01 01 04 06 70 75 62 6c 69 63 a2 11 02 01 07 02 01 00 "
		  "02 01 00 30 06 30 04 06 00 05 00", BER_E_OID_EMPTY, 28 },
		{ "30 1f 02 01 01 04 06 70 75 62 6c 69 63 a2 12 02 01 07 02 01 00 "
		  "02 01 00 30 07 30 05 06 01 ab 05 00", BER_E_OID_UNTERMINATED, 28 },
	};
	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		uint8_t buf[256];
		size_t n = hex(cases[i].hex, buf, sizeof(buf));
		struct ber_message m;
		int rc = ber_decode(buf, n, &m, vbs, BER_MAX_VARBINDS);
		ck_assert_msg(rc == cases[i].err, "case %zu: got %s (%s) at %zu, want %s",
			      i, ber_err_name(rc), ber_strerror(rc),
			      m.error_offset, ber_err_name(cases[i].err));
		if (rc)
			ck_assert_msg(m.error_offset == cases[i].offset,
				      "case %zu: offset %zu, want %zu", i,
				      m.error_offset, cases[i].offset);
	}
	/* An OID name with 129 sub-identifiers; 128 is fine. */
	for (size_t subids = 127; subids <= 130; subids++) {
		uint8_t buf[300];
		size_t on = subids - 1; /* 1.3 is one octet */
		size_t vbl = 3 + on + 2, list = 3 + vbl, pdu = 9 + 3 + list,
		       msg = 3 + 8 + 3 + pdu;
		uint8_t *p = buf;
		*p++ = 0x30; *p++ = 0x81; *p++ = (uint8_t)msg;
		memcpy(p, "\x02\x01\x01\x04\x06public", 11); p += 11;
		*p++ = 0xa2; *p++ = 0x81; *p++ = (uint8_t)pdu;
		memcpy(p, "\x02\x01\x01\x02\x01\x00\x02\x01\x00", 9); p += 9;
		*p++ = 0x30; *p++ = 0x81; *p++ = (uint8_t)list;
		*p++ = 0x30; *p++ = 0x81; *p++ = (uint8_t)vbl;
		*p++ = 0x06; *p++ = 0x81; *p++ = (uint8_t)on;
		*p++ = 0x2b;
		memset(p, 0x7f, on - 1); p += on - 1;
		*p++ = 0x05; *p++ = 0x00;
		struct ber_message m;
		int rc = ber_decode(buf, (size_t)(p - buf), &m, vbs, BER_MAX_VARBINDS);
		ck_assert_int_eq(rc, subids <= 128 ? 0 : BER_E_OID_TOO_LONG);
		if (rc == 0)
			ck_assert_uint_eq(vbs[0].oid_subids, subids);
	}
	/* 1025 varbinds: more than the limit */
	uint8_t *big = malloc(20000);
	size_t nvb = BER_MAX_VARBINDS + 1, list = nvb * 7, pdu = 9 + 4 + list,
	       msg = 3 + 8 + 4 + pdu;
	uint8_t *p = big;
	*p++ = 0x30; *p++ = 0x82; *p++ = (uint8_t)(msg >> 8); *p++ = (uint8_t)msg;
	memcpy(p, "\x02\x01\x01\x04\x06public", 11); p += 11;
	*p++ = 0xa2; *p++ = 0x82; *p++ = (uint8_t)(pdu >> 8); *p++ = (uint8_t)pdu;
	memcpy(p, "\x02\x01\x01\x02\x01\x00\x02\x01\x00", 9); p += 9;
	*p++ = 0x30; *p++ = 0x82; *p++ = (uint8_t)(list >> 8); *p++ = (uint8_t)list;
	for (size_t i = 0; i < nvb; i++) {
		memcpy(p, "\x30\x05\x06\x01\x2b\x05\x00", 7);
		p += 7;
	}
	struct ber_message m;
	ck_assert_int_eq(ber_decode(big, (size_t)(p - big), &m, vbs, BER_MAX_VARBINDS),
			 BER_E_TOO_MANY_VARBINDS);
	ck_assert_uint_eq(m.error_offset, 32 + 7 * BER_MAX_VARBINDS);
	ck_assert_int_eq(ber_decode(big, (size_t)(p - big), &m, NULL, 5),
			 BER_E_TOO_MANY_VARBINDS);
	static struct ber_varbind more[BER_MAX_VARBINDS + 10];
	ck_assert_int_eq(ber_decode(big, (size_t)(p - big), &m, more,
				    N_ELEMENTS(more)),
			 BER_E_TOO_MANY_VARBINDS);
	free(big);

	/* error names and messages */
	ck_assert_str_eq(ber_err_name(BER_E_TRUNCATED), "BER_E_TRUNCATED");
	ck_assert_str_eq(ber_strerror(BER_E_TRUNCATED), "message truncated");
	ck_assert_str_eq(ber_err_name(0), "BER_OK");
	ck_assert_ptr_null(ber_err_name(-1));
	ck_assert_str_eq(ber_strerror(-1), "unknown BER error");
}
END_TEST

/* ---- the client's fast path for GET responses (getresp.c) ----
 * Whatever it accepts, ber_decode() accepts too, and the values are the
 * ones the general path (ber_decode, then handle_values in client.c)
 * makes: field for field, with the same checks against the objects. */

/* Objects to check values against: per variant, by the value's tag. */
static const struct mibc_range small_range[] = { { { .i = -100000 }, { .i = 100 } } };
static const struct mibc_range gauge_range[] = { { { .i = 0 }, { .i = 10 } } };
static const struct mibc_range u64_range[] = { { { .u = 5 }, { .u = UINT64_MAX } } };
static const struct mibc_range size_range[] = { { { .i = 0 }, { .i = 4 } }, { { .i = 57 }, { .i = 57 } } };
static const struct mibc_named_number enum_names[] = { { "one", 1 }, { "two", 2 }, { "big", -70000 } };
static const struct mibc_object_desc obj_int = { .name = "int", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_INTEGER32, .wire = MIBC_WIRE_INTEGER, .n_ranges = 1, .ranges = small_range };
static const struct mibc_object_desc obj_enum = { .name = "enum", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_ENUM, .wire = MIBC_WIRE_INTEGER, .n_names = 3, .names = enum_names };
static const struct mibc_object_desc obj_counter = { .name = "counter", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED32, .wire = MIBC_WIRE_COUNTER32 };
static const struct mibc_object_desc obj_gauge = { .name = "gauge", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED32, .wire = MIBC_WIRE_GAUGE32, .n_ranges = 1, .ranges = gauge_range };
static const struct mibc_object_desc obj_ticks = { .name = "ticks", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED32, .wire = MIBC_WIRE_TIMETICKS };
static const struct mibc_object_desc obj_c64 = { .name = "c64", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED64, .wire = MIBC_WIRE_COUNTER64, .n_ranges = 1, .ranges = u64_range };
static const struct mibc_object_desc obj_string = { .name = "string", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_OCTET_STRING, .n_sizes = 2, .sizes = size_range };
static const struct mibc_object_desc obj_oid = { .name = "oid", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_OBJECT_IDENTIFIER, .wire = MIBC_WIRE_OID };
static const struct mibc_object_desc obj_ip = { .name = "ip", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_IPADDRESS };
static const struct mibc_object_desc obj_float = { .name = "float", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_FLOAT, .wire = MIBC_WIRE_OPAQUE };
/* Ranges holding the whole type, as the generated descriptors have them
 * (Counter32 0..4294967295): the fast path needs no check per value. */
static const struct mibc_range u32_all[] = { { { .i = 0 }, { .i = 4294967295 } } };
static const struct mibc_range i32_all[] = { { { .i = INT32_MIN }, { .i = INT32_MAX } } };
static const struct mibc_range u64_all[] = { { { .u = 0 }, { .u = UINT64_MAX } } };
static const struct mibc_object_desc obj_int_all = { .name = "int_all", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_INTEGER32, .wire = MIBC_WIRE_INTEGER, .n_ranges = 1, .ranges = i32_all };
static const struct mibc_object_desc obj_counter_all = { .name = "counter_all", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED32, .wire = MIBC_WIRE_COUNTER32, .n_ranges = 1, .ranges = u32_all };
static const struct mibc_object_desc obj_gauge_all = { .name = "gauge_all", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED32, .wire = MIBC_WIRE_GAUGE32, .n_ranges = 1, .ranges = u32_all };
static const struct mibc_object_desc obj_c64_all = { .name = "c64_all", .kind = MIBC_KIND_SCALAR,
	.type = MIBC_TYPE_UNSIGNED64, .wire = MIBC_WIRE_COUNTER64, .n_ranges = 1, .ranges = u64_all };

/* Variant 0: no objects; 1: the object of the value's type; 2: a wrong
 * one (a Counter32 for everything but Counter32, an enumeration there);
 * 3: numbers with ranges holding their whole type. */
#define N_VARIANTS 4
static const struct mibc_object_desc *object_for(uint8_t tag, int variant)
{
	if (variant == 0)
		return NULL;
	if (variant == 2)
		return tag == BER_COUNTER32 ? &obj_enum : &obj_counter;
	if (variant == 3) {
		switch (tag) {
		case BER_INTEGER:
			return &obj_int_all;
		case BER_COUNTER32:
			return &obj_counter_all;
		case BER_GAUGE32:
		case BER_UINTEGER32:
			return &obj_gauge_all;
		case BER_COUNTER64:
			return &obj_c64_all;
		}
	}
	switch (tag) {
	case BER_INTEGER:
		return &obj_int;
	case BER_COUNTER32:
		return &obj_counter;
	case BER_GAUGE32:
	case BER_UINTEGER32:
		return &obj_gauge;
	case BER_TIMETICKS:
		return &obj_ticks;
	case BER_COUNTER64:
		return &obj_c64;
	case BER_OCTET_STRING:
		return &obj_string;
	case BER_OID:
		return &obj_oid;
	case BER_IPADDRESS:
		return &obj_ip;
	case BER_OPAQUE:
		return &obj_float;
	}
	return &obj_string;
}

/* A GET as the client sends it, for the names of a decodable packet. */
struct fast_req {
	uint8_t packet[4096];
	size_t len;
	struct mibc_get items[64];
	size_t idx[64];
	size_t n;
};

static void fast_req_make(struct fast_req *q, const uint8_t *pkt, size_t n,
			  int variant)
{
	struct ber_message m;
	decode_ok(pkt, n, &m);
	ck_assert_uint_le(m.n_vb, N_ELEMENTS(q->items));
	static struct ber_encode_varbind evb[64];
	for (size_t i = 0; i < m.n_vb; i++) {
		struct mibc_get *it = &q->items[i];
		memset(it, 0, sizeof(*it));
		it->oid_len = vb_oid(&m.vb[i], it->oid);
		it->object = object_for(m.vb[i].type, variant);
		it->status = 1;
		q->idx[i] = m.n_vb - 1 - i;  /* items in another order */
	}
	/* the items by idx: the request's varbind i is items[idx[i]] */
	static struct mibc_get tmp[64];
	memcpy(tmp, q->items, m.n_vb * sizeof(tmp[0]));
	for (size_t i = 0; i < m.n_vb; i++) {
		struct mibc_get *it = &q->items[q->idx[i]];
		*it = tmp[i];
		evb[i] = (struct ber_encode_varbind){ .oid = it->oid,
			.oid_len = it->oid_len, .value = { .type = BER_NULL } };
	}
	q->n = m.n_vb;
	struct ber_request r = { .version = m.version, .community = m.community,
		.community_len = m.community_len, .pdu_type = BER_PDU_GET,
		.request_id = m.request_id, .vb = evb, .n_vb = m.n_vb };
	ck_assert_int_eq(ber_encode(&r, q->packet, sizeof(q->packet), &q->len), 0);
}

/* ck_assert marks the point (a write to the runner) even when it holds:
 * too slow for the millions of checks of the mutations under ASan. */
#define CHECK_FAST(cond) \
	do { \
		if (!(cond)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

static void assert_same_value(const struct mibc_value *a, const struct mibc_value *b)
{
	CHECK_FAST((a->object) == (b->object));
	CHECK_FAST((a->tag) == (b->tag));
	CHECK_FAST((a->opaque) == (b->opaque));
	CHECK_FAST((a->check) == (b->check));
	CHECK_FAST(memcmp(&a->num, &b->num, sizeof(a->num)) == 0);
	CHECK_FAST((a->len) == (b->len));
	CHECK_FAST((a->data == NULL) == (b->data == NULL));
	if (a->data)
		CHECK_FAST(memcmp(a->data, b->data, a->len + 1) == 0);
	CHECK_FAST((a->oid_len) == (b->oid_len));
	CHECK_FAST((a->oid == NULL) == (b->oid == NULL));
	if (a->oid_len)
		CHECK_FAST(memcmp(a->oid, b->oid, a->oid_len * sizeof(*a->oid)) == 0);
}

/* The fast path on pkt[0..n) (an exact-size heap block) against the
 * request `q`: whether it accepted; when it did, ber_decode and the
 * general path agree on everything. */
static bool fast_matches_general(const uint8_t *pkt, size_t n, struct fast_req *q)
{
	static struct mibc_value fv[64];
	struct getresp_head h;
	if (getresp_head(pkt, n, &h) != 0)
		return false;
	CHECK_FAST(h.list >= pkt && h.list_end == pkt + n && h.list <= h.list_end);
	size_t extra = 0;
	int settle = getresp_values(&h, q->packet, q->len, q->items, q->idx, q->n, fv, &extra);
	if (settle < 0)
		return false;
	CHECK_FAST(settle == 0 || settle == 1);
	struct ber_message m;
	int rc = ber_decode(pkt, n, &m, vbs, BER_MAX_VARBINDS);
	if (rc != 0)
		dump_hex("accepted by the fast path only", pkt, n);
	CHECK_FAST(rc == 0);
	CHECK_FAST((m.pdu_type) == (BER_PDU_RESPONSE));
	CHECK_FAST((m.error_status) == (0));
	CHECK_FAST((m.version) == (h.version));
	CHECK_FAST((m.request_id) == (h.request_id));
	CHECK_FAST((m.community_len) == (h.community_len));
	CHECK_FAST((m.community) == (h.community));
	CHECK_FAST((m.n_vb) == (q->n));
	/* the general path's store, and the fast path's: exact sizes */
	size_t gextra = 0;
	for (size_t i = 0; i < m.n_vb; i++)
		gextra += value_storage(&m.vb[i]);
	CHECK_FAST((settle ? extra : 0) == (settle ? gextra : 0));
	if (!settle)
		CHECK_FAST((gextra) == (0));
	unsigned char *fstore = malloc(extra ? extra : 1);
	unsigned char *gstore = malloc(gextra ? gextra : 1);
	getresp_publish(fv, q->n, settle, fstore, q->items, q->idx);
	unsigned char *g = gstore;
	for (size_t i = 0; i < m.n_vb; i++) {
		struct mibc_get *it = &q->items[q->idx[i]];
		CHECK_FAST(ber_oid_equal(m.vb[i].oid, m.vb[i].oid_len, it->oid, it->oid_len));
		struct mibc_value gv;
		value_from_varbind(&gv, &m.vb[i], it->object, g);
		g += value_storage(&m.vb[i]);
		assert_same_value(&fv[i], &gv);
		CHECK_FAST((it->value) == (&fv[i]));
		CHECK_FAST((it->status) == (gv.check));
		it->status = 1;
		it->value = NULL;
	}
	free(fstore);
	free(gstore);
	return true;
}

/* `pkt` as a Response (its PDU tag rewritten), cut everywhere and its
 * first `upto` octets changed every way, against a GET for its names, for
 * each variant of objects. */
static void mutate_fast_upto(const uint8_t *pkt, size_t n, size_t upto)
{
	struct ber_message m;
	decode_ok(pkt, n, &m);
	uint8_t *resp = malloc(n);
	memcpy(resp, pkt, n);
	resp[m.community + m.community_len - pkt] = BER_PDU_RESPONSE;
	static struct fast_req q;
	for (int variant = 0; variant < N_VARIANTS; variant++) {
		fast_req_make(&q, resp, n, variant);
		/* the packet itself takes the fast path when error-free */
		uint8_t *c = malloc(n);
		memcpy(c, resp, n);
		ck_assert_int_eq(fast_matches_general(c, n, &q), m.error_status == 0);
		free(c);
		for (size_t cut = 0; cut < n; cut++) {
			c = malloc(cut ? cut : 1);
			memcpy(c, resp, cut);
			if (fast_matches_general(c, cut, &q))
				ck_abort_msg("truncated at %zu accepted", cut);
			free(c);
		}
		c = malloc(n);
		for (size_t i = 0; i < n && i < upto; i++) {
			static const uint8_t xors[] = { 0x01, 0x80, 0xff, 0x7f, 0x40, 0x20 };
			for (size_t x = 0; x < N_ELEMENTS(xors); x++) {
				memcpy(c, resp, n);
				c[i] ^= xors[x];
				(void)fast_matches_general(c, n, &q);
			}
			for (int b = 0; b < 256; b++) {
				memcpy(c, resp, n);
				c[i] = (uint8_t)b;
				(void)fast_matches_general(c, n, &q);
			}
		}
		free(c);
	}
	free(resp);
}

static void mutate_fast(const uint8_t *pkt, size_t n)
{
	mutate_fast_upto(pkt, n, n);
}

/* pkt[0..len) into out with the short length octet at `at` in long form
 * (0x81 LL), the short lengths of the elements enclosing it (their tags at
 * encl[0..n)) one more: the new length. */
static size_t lengthen(const uint8_t *pkt, size_t len, size_t at,
		       const size_t *encl, size_t n, uint8_t *out)
{
	ck_assert_uint_lt(pkt[at], 0x80);
	memcpy(out, pkt, at);
	out[at] = 0x81;
	memcpy(out + at + 1, pkt + at, len - at);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_lt(out[encl[i] + 1], 0x7f);
		out[encl[i] + 1]++;
	}
	return len + 1;
}

/* The fast path takes only the answer to the request it is given. */
START_TEST(fast_path_cases)
{
	static struct fast_req q;
	uint8_t buf[1024];
	static const uint32_t a[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 4000 };
	static const uint32_t b[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const uint32_t big[] = { 1, 3, 6, 1, 4, 1, 2021, 4294967295u, 0 };
	struct ber_encode_varbind vb[3] = {
		{ a, 11, { .type = BER_COUNTER32, .v.u32 = 3000000000u } },
		{ b, 9, { .type = BER_OCTET_STRING, .v.octets = { (const uint8_t *)"Linux", 5 } } },
		{ big, 9, { .type = BER_NO_SUCH_INSTANCE } },
	};
	struct ber_request r = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = 42, .vb = vb, .n_vb = 3 };
	size_t len;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	fast_req_make(&q, buf, len, 1);
	ck_assert(fast_matches_general(buf, len, &q));
	/* values the application reads */
	static struct mibc_value fv[3];
	struct getresp_head h;
	size_t extra;
	ck_assert_int_eq(getresp_head(buf, len, &h), 0);
	ck_assert_int_eq(h.request_id, 42);
	ck_assert_int_eq(getresp_values(&h, q.packet, q.len, q.items, q.idx, 3, fv, &extra), 1);
	ck_assert_uint_eq(extra, 8);
	uint8_t store[8];
	getresp_publish(fv, 3, 1, store, q.items, q.idx);
	uint32_t u;
	const char *s;
	size_t slen;
	ck_assert_int_eq(q.items[q.idx[0]].status, 0);
	ck_assert_int_eq(mibc_value_get_uint32(q.items[q.idx[0]].value, &u), 0);
	ck_assert_uint_eq(u, 3000000000u);
	ck_assert_int_eq(q.items[q.idx[1]].status, MIBC_E_RANGE);  /* size 5 */
	ck_assert_int_eq(mibc_value_get_string(q.items[q.idx[1]].value, &s, &slen), 0);
	ck_assert_str_eq(s, "Linux");
	ck_assert_ptr_eq(s, (const char *)store);
	ck_assert_int_eq(q.items[q.idx[2]].status, MIBC_E_NO_SUCH_INSTANCE);
	/* numbers only: nothing to store */
	fast_req_make(&q, buf, len, 1);
	r.n_vb = 1;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	fast_req_make(&q, buf, len, 1);
	ck_assert_int_eq(getresp_head(buf, len, &h), 0);
	ck_assert_int_eq(getresp_values(&h, q.packet, q.len, q.items, q.idx, 1, fv, &extra), 0);
	ck_assert_uint_eq(extra, 0);

	/* each of these goes to the general path */
	struct fast_req other;
	r.n_vb = 3;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	fast_req_make(&q, buf, len, 1);
	/* fewer or more varbinds than asked for */
	r.n_vb = 2;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert(!fast_matches_general(buf, len, &q));
	fast_req_make(&other, buf, len, 1);
	r.n_vb = 3;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert(!fast_matches_general(buf, len, &other));
	/* another name */
	static const uint32_t a2[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 4001 };
	vb[0].oid = a2;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert(!fast_matches_general(buf, len, &q));
	vb[0].oid = a;
	/* an error-status, another PDU type */
	r.error_status = 2;
	r.error_index = 1;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert(!fast_matches_general(buf, len, &q));
	r.error_status = r.error_index = 0;
	r.pdu_type = BER_PDU_REPORT;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert(!fast_matches_general(buf, len, &q));
	r.pdu_type = BER_PDU_RESPONSE;
	/* long-form lengths (0x81 LL): valid; for the name, not the request's
	 * bytes (general path), for the value as well taken */
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	static const size_t encl[] = { 0, 13, 24, 26 };  /* message, PDU, list, varbind */
	ck_assert_uint_eq(buf[13], BER_PDU_RESPONSE);
	ck_assert_uint_eq(buf[24], BER_SEQUENCE);
	ck_assert_uint_eq(buf[26], BER_SEQUENCE);
	ck_assert_uint_eq(buf[28], BER_OID);
	ck_assert_uint_eq(buf[41], BER_COUNTER32);
	uint8_t longer[1024];
	struct ber_message m;
	size_t n = lengthen(buf, len, 29, encl, 4, longer);
	decode_ok(longer, n, &m);
	ck_assert(ber_oid_equal(m.vb[0].oid, m.vb[0].oid_len, a, 11));
	ck_assert(!fast_matches_general(longer, n, &q));
	n = lengthen(buf, len, 42, encl, 4, longer);
	decode_ok(longer, n, &m);
	ck_assert(fast_matches_general(longer, n, &q));
}
END_TEST

START_TEST(fast_path_mutations)
{
	uint8_t buf[1024];
	/* snmpd's answer (as in `mutations`) */
	size_t n = hex("30 81 C2 02 01 01 04 06 70 75 62 6C 69 63 A2 81 B4 02 04 5A FD 38 46 02 01 "
		"00 02 01 00 30 81 A5 30 45 06 08 2B 06 01 02 01 01 01 00 04 39 4C 69 6E 75 "
		"78 20 76 6D 20 36 2E 31 38 2E 34 34 2D 66 63 2D 76 36 36 39 20 23 31 20 53 "
		"4D 50 20 50 52 45 45 4D 50 54 5F 44 59 4E 41 4D 49 43 20 40 30 20 78 38 36 "
		"5F 36 34 30 0D 06 08 2B 06 01 02 01 01 03 00 43 01 63 30 16 06 08 2B 06 01 "
		"02 01 01 02 00 06 0A 2B 06 01 04 01 BF 08 03 02 0A 30 10 06 0A 2B 06 01 02 "
		"01 02 02 01 0A 01 41 02 0C C3 30 0B 06 07 2B 06 01 02 01 63 00 80 00 30 16 "
		"06 0B 2B 06 01 04 01 8F 65 0A 01 06 01 44 07 9F 78 04 40 0C A8 00",
		buf, sizeof(buf));
	mutate_fast(buf, n);
	/* every type, SNMPv1 and v2c */
	static const uint32_t o[] = { 1, 3, 6, 1, 4, 1, 2021, 4294967295u, 0 };
	static const uint32_t o2[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 4000 };
	uint8_t f[BER_OPAQUE_FLOAT_LEN];
	ber_opaque_float(2.5f, f);
	struct ber_encode_varbind in[] = {
		{ o, 9, { .type = BER_INTEGER, .v.i32 = -70000 } },
		{ o2, 11, { .type = BER_INTEGER, .v.i32 = 2 } },
		{ o, 9, { .type = BER_OCTET_STRING, .v.octets = { (const uint8_t *)"hi", 2 } } },
		{ o2, 11, { .type = BER_OCTET_STRING, .v.octets = { (const uint8_t *)"", 0 } } },
		{ o, 9, { .type = BER_OID, .v.oid = { o, 9 } } },
		{ o, 9, { .type = BER_IPADDRESS, .v.octets = { (const uint8_t *)"\1\2\3\4", 4 } } },
		{ o, 9, { .type = BER_COUNTER32, .v.u32 = UINT32_MAX } },
		{ o2, 11, { .type = BER_COUNTER32, .v.u32 = 5 } },
		{ o, 9, { .type = BER_GAUGE32, .v.u32 = 1 } },
		{ o, 9, { .type = BER_TIMETICKS, .v.u32 = 100 } },
		{ o, 9, { .type = BER_OPAQUE, .v.octets = { f, sizeof(f) } } },
		{ o, 9, { .type = BER_COUNTER64, .v.u64 = UINT64_MAX } },
		{ o2, 11, { .type = BER_COUNTER64, .v.u64 = 7 } },
		{ o, 9, { .type = BER_NULL } },
		{ o2, 11, { .type = BER_END_OF_MIB_VIEW } },
	};
	struct ber_request req = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = 12345678,
		.vb = in, .n_vb = N_ELEMENTS(in) };
	size_t len;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	mutate_fast(buf, len);
	req.version = BER_VERSION_1;
	req.n_vb = N_ELEMENTS(in) - 4;  /* no Counter64, no exception */
	in[11] = in[13];
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	mutate_fast(buf, len);
}
END_TEST

/* A response over 255 octets: the message, PDU and list lengths in the
 * 0x82 form (and a request as long), each cut, its head changed every
 * way. */
START_TEST(fast_path_long)
{
	static uint32_t names[40][11];
	static struct ber_encode_varbind vb[41];
	static uint8_t text[300];
	memset(text, 'x', sizeof(text));
	for (size_t i = 0; i < 40; i++) {
		static const uint32_t col[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10 };
		memcpy(names[i], col, sizeof(col));
		names[i][10] = 4000 + (uint32_t)i;
		vb[i] = (struct ber_encode_varbind){ names[i], 11,
			{ .type = BER_COUNTER32, .v.u32 = 3000000000u + (uint32_t)i } };
	}
	static const uint32_t descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	vb[40] = (struct ber_encode_varbind){ descr, 9,
		{ .type = BER_OCTET_STRING, .v.octets = { text, sizeof(text) } } };
	struct ber_request r = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = -2000000000, .vb = vb, .n_vb = 41 };
	static uint8_t buf[2048];
	size_t len;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(buf[1], 0x82);
	static struct fast_req q;
	fast_req_make(&q, buf, len, 3);
	ck_assert_uint_gt(q.len, 255);
	ck_assert(fast_matches_general(buf, len, &q));
	/* the head and the first varbinds */
	mutate_fast_upto(buf, len, 64);
	/* 40 Counter32s */
	r.n_vb = 40;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(buf[1], 0x82);
	mutate_fast_upto(buf, len, 40);
}
END_TEST

/* Runs of varbinds of one object and tag, whose check the fast path works
 * out once when it cannot depend on the value: each value still gets the
 * general path's check. */
START_TEST(fast_path_check_runs)
{
	static const uint32_t col[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 0 };
	static uint32_t names[12][11];
	/* value, tag and object of each varbind, in runs */
	static const struct {
		uint32_t value;
		uint8_t tag;
		const struct mibc_object_desc *object;
	} vbs_in[] = {
		{ 5, BER_GAUGE32, &obj_gauge },           /* 0..10: per value */
		{ 50, BER_GAUGE32, &obj_gauge },
		{ 7, BER_GAUGE32, &obj_gauge },
		{ 11, BER_GAUGE32, &obj_gauge },
		{ 4000000000u, BER_COUNTER32, &obj_counter_all },  /* never */
		{ 0, BER_COUNTER32, &obj_counter_all },
		{ 1, BER_COUNTER32, &obj_counter_all },
		{ 1, BER_GAUGE32, &obj_counter_all },     /* wrong type */
		{ 2, BER_GAUGE32, &obj_counter_all },
		{ 3, BER_COUNTER32, NULL },
		{ 4, BER_COUNTER32, NULL },
		{ 12, BER_GAUGE32, &obj_gauge },
	};
	static struct ber_encode_varbind vb[N_ELEMENTS(vbs_in)];
	for (size_t i = 0; i < N_ELEMENTS(vbs_in); i++) {
		memcpy(names[i], col, sizeof(col));
		names[i][10] = (uint32_t)i + 1;
		vb[i] = (struct ber_encode_varbind){ names[i], 11,
			{ .type = vbs_in[i].tag, .v.u32 = vbs_in[i].value } };
	}
	struct ber_request r = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = 7, .vb = vb,
		.n_vb = N_ELEMENTS(vbs_in) };
	uint8_t buf[1024];
	size_t len;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	static struct fast_req q;
	fast_req_make(&q, buf, len, 1);
	for (size_t i = 0; i < N_ELEMENTS(vbs_in); i++)
		q.items[q.idx[i]].object = vbs_in[i].object;
	static struct mibc_value fv[N_ELEMENTS(vbs_in)];
	struct getresp_head h;
	size_t extra;
	ck_assert_int_eq(getresp_head(buf, len, &h), 0);
	ck_assert_int_eq(getresp_values(&h, q.packet, q.len, q.items, q.idx, q.n, fv, &extra), 0);
	static const int want[] = { 0, MIBC_E_RANGE, 0, MIBC_E_RANGE, 0, 0, 0,
		MIBC_E_WRONG_TYPE, MIBC_E_WRONG_TYPE, 0, 0, MIBC_E_RANGE };
	for (size_t i = 0; i < N_ELEMENTS(vbs_in); i++)
		ck_assert_msg(fv[i].check == want[i], "varbind %zu: check %d, want %d",
			      i, fv[i].check, want[i]);
	ck_assert(fast_matches_general(buf, len, &q));
}
END_TEST

/* A varbind whose own lengths agree (the varbind's = the name's + the
 * value's) but run past the list, or stop short of the next varbind: never
 * taken, and nothing read outside the datagram (an exact-size copy, for
 * ASan). */
START_TEST(fast_path_inner_lengths)
{
	static const uint32_t a[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 4000 };
	static const uint32_t b[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const uint32_t c[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
	struct ber_encode_varbind vb[] = {
		{ a, 11, { .type = BER_COUNTER32, .v.u32 = 7 } },
		{ b, 9, { .type = BER_OCTET_STRING, .v.octets = { (const uint8_t *)"Linux", 5 } } },
		{ c, 9, { .type = BER_TIMETICKS, .v.u32 = 3000000000u } },
	};
	struct ber_request r = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = 99, .vb = vb, .n_vb = 3 };
	uint8_t buf[256];
	size_t len;
	ck_assert_int_eq(ber_encode(&r, buf, sizeof(buf), &len), 0);
	static struct fast_req q;
	fast_req_make(&q, buf, len, 1);
	ck_assert(fast_matches_general(buf, len, &q));
	struct getresp_head h;
	ck_assert_int_eq(getresp_head(buf, len, &h), 0);
	static const int deltas[] = { 1, 2, 5, 8, 40, -1, -2 };
	for (const uint8_t *v = h.list; v < h.list_end; v += 2 + v[1]) {
		size_t at = (size_t)(v - buf);
		size_t value_len_at = at + 2 + 2 + v[3] + 1;  /* 30 L 06 L name tag L */
		for (size_t d = 0; d < N_ELEMENTS(deltas); d++) {
			int vl = buf[at + 1] + deltas[d], l = buf[value_len_at] + deltas[d];
			if (vl < 0 || vl >= 0x80 || l < 0 || l >= 0x80)
				continue;
			uint8_t *m = malloc(len);
			memcpy(m, buf, len);
			m[at + 1] = (uint8_t)vl;
			m[value_len_at] = (uint8_t)l;
			ck_assert_msg(!fast_matches_general(m, len, &q),
				      "varbind at %zu, lengths %+d: taken", at, deltas[d]);
			free(m);
		}
	}
}
END_TEST

/* ---- robustness: every truncation, every byte flipped ---- */

static void mutate_all(const uint8_t *pkt, size_t n)
{
	struct ber_message m;
	/* Exact-size heap copies so ASan and valgrind see any overread. */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *c = malloc(cut ? cut : 1);
		memcpy(c, pkt, cut);
		int rc = ber_decode(c, cut, &m, vbs, BER_MAX_VARBINDS);
		ck_assert_msg(rc < 0, "truncated at %zu accepted", cut);
		free(c);
	}
	uint8_t *c = malloc(n);
	for (size_t i = 0; i < n; i++) {
		static const uint8_t xors[] = { 0x01, 0x80, 0xff, 0x7f, 0x40, 0x20 };
		for (size_t x = 0; x < N_ELEMENTS(xors); x++) {
			memcpy(c, pkt, n);
			c[i] ^= xors[x];
			int rc = ber_decode(c, n, &m, vbs, BER_MAX_VARBINDS);
			if (rc == 0) {
				/* whatever decoded must be readable */
				for (size_t k = 0; k < m.n_vb; k++) {
					uint32_t sub[BER_MAX_SUBIDS];
					ck_assert_int_eq(ber_oid_decode(m.vb[k].oid, m.vb[k].oid_len,
									sub, BER_MAX_SUBIDS),
							 m.vb[k].oid_subids);
					ck_assert(m.vb[k].data + m.vb[k].len <= c + n);
				}
			} else {
				ck_assert_ptr_nonnull(ber_err_name(rc));
				ck_assert_uint_le(m.error_offset, n);
			}
		}
		/* every value of the byte */
		for (int b = 0; b < 256; b++) {
			memcpy(c, pkt, n);
			c[i] = (uint8_t)b;
			(void)ber_decode(c, n, &m, vbs, BER_MAX_VARBINDS);
		}
	}
	free(c);
}

/* The OID shortcuts (counting without decoding, comparing without a
 * buffer) agree with the general decoder on any octets. */
START_TEST(oid_shortcuts_match_decoder)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	uint8_t p[40];
	uint32_t sub[BER_MAX_SUBIDS], other[BER_MAX_SUBIDS];
	for (int round = 0; round < 200000; round++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t len = 1 + (size_t)(x % sizeof(p));
		uint64_t y = x;
		for (size_t i = 0; i < len; i++) {
			y ^= y << 13, y ^= y >> 7, y ^= y << 17;
			/* mostly short sub-identifiers, some long, some 0x80 */
			uint8_t b = (uint8_t)(y >> 24);
			p[i] = (y & 3) ? (b & 0x7f) : (y & 4) ? 0x80 : b;
		}
		int full = ber_oid_decode(p, len, sub, BER_MAX_SUBIDS);
		int counted = ber_oid_decode(p, len, NULL, 0);
		ck_assert_int_eq(counted, full);
		if (full < 2)
			continue;
		ck_assert(ber_oid_equal(p, len, sub, (size_t)full));
		memcpy(other, sub, (size_t)full * sizeof(*sub));
		other[x % (uint64_t)full] ^= 1u << (y % 32);
		ck_assert(!ber_oid_equal(p, len, other, (size_t)full));
		ck_assert(!ber_oid_equal(p, len, sub, (size_t)full - 1));
		if (full < (int)BER_MAX_SUBIDS)
			ck_assert(!ber_oid_equal(p, len, sub, (size_t)full + 1));
	}
	/* 128 one-octet sub-identifiers and one more */
	uint8_t many[200];
	memset(many, 1, sizeof(many));
	ck_assert_int_eq(ber_oid_decode(many, 127, NULL, 0), 128);
	ck_assert_int_eq(ber_oid_decode(many, 128, NULL, 0), BER_E_OID_TOO_LONG);
}
END_TEST

START_TEST(mutations)
{
	uint8_t buf[1024];
	const char *pkts[] = {
		/* snmpd's answer with sysDescr, sysUpTime, sysObjectID,
		 * ifInOctets.1, noSuchObject and laLoadFloat */
		"30 81 C2 02 01 01 04 06 70 75 62 6C 69 63 A2 81 B4 02 04 5A FD 38 46 02 01 "
		"00 02 01 00 30 81 A5 30 45 06 08 2B 06 01 02 01 01 01 00 04 39 4C 69 6E 75 "
		"78 20 76 6D 20 36 2E 31 38 2E 34 34 2D 66 63 2D 76 36 36 39 20 23 31 20 53 "
		"4D 50 20 50 52 45 45 4D 50 54 5F 44 59 4E 41 4D 49 43 20 40 30 20 78 38 36 "
		"5F 36 34 30 0D 06 08 2B 06 01 02 01 01 03 00 43 01 63 30 16 06 08 2B 06 01 "
		"02 01 01 02 00 06 0A 2B 06 01 04 01 BF 08 03 02 0A 30 10 06 0A 2B 06 01 02 "
		"01 02 02 01 0A 01 41 02 0C C3 30 0B 06 07 2B 06 01 02 01 63 00 80 00 30 16 "
		"06 0B 2B 06 01 04 01 8F 65 0A 01 06 01 44 07 9F 78 04 40 0C A8 00",
	};
	for (size_t i = 0; i < N_ELEMENTS(pkts); i++) {
		size_t n = hex(pkts[i], buf, sizeof(buf));
		struct ber_message m;
		decode_ok(buf, n, &m);
		ck_assert_uint_eq(m.n_vb, 6);
		mutate_all(buf, n);
	}
	/* an encoded SET with every type */
	static const uint32_t o[] = { 1, 3, 6, 1, 4, 1, 2021, 4294967295u, 0 };
	uint8_t f[BER_OPAQUE_FLOAT_LEN];
	ber_opaque_float(2.5f, f);
	struct ber_encode_varbind in[] = {
		{ o, 9, { .type = BER_INTEGER, .v.i32 = -70000 } },
		{ o, 9, { .type = BER_OCTET_STRING, .v.octets = { (const uint8_t *)"hi", 2 } } },
		{ o, 9, { .type = BER_OID, .v.oid = { o, 9 } } },
		{ o, 9, { .type = BER_IPADDRESS, .v.octets = { (const uint8_t *)"\1\2\3\4", 4 } } },
		{ o, 9, { .type = BER_COUNTER32, .v.u32 = UINT32_MAX } },
		{ o, 9, { .type = BER_GAUGE32, .v.u32 = 1 } },
		{ o, 9, { .type = BER_TIMETICKS, .v.u32 = 100 } },
		{ o, 9, { .type = BER_OPAQUE, .v.octets = { f, sizeof(f) } } },
		{ o, 9, { .type = BER_COUNTER64, .v.u64 = UINT64_MAX } },
		{ o, 9, { .type = BER_NULL } },
	};
	struct ber_request req = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"private", .community_len = 7,
		.pdu_type = BER_PDU_SET, .request_id = 12345678,
		.vb = in, .n_vb = N_ELEMENTS(in) };
	size_t len;
	ck_assert_int_eq(ber_encode(&req, buf, sizeof(buf), &len), 0);
	mutate_all(buf, len);
}
END_TEST

/* ---- real packets from a real snmpd ---- */

static struct test_agent agent;

static void snmpd_start(void)
{
	test_agent_start(&agent, "sysLocation mibc test lab\n"
		/* vendor-like objects of the types snmpd has none of */
		"override .1.3.6.1.4.1.99999.1.0 counter 4294967295\n"
		"override .1.3.6.1.4.1.99999.2.0 integer -2147483648\n"
		"override .1.3.6.1.4.1.99999.3.0 uinteger 4294967295\n"
		"override .1.3.6.1.4.1.99999.4.0 object_id .2.999.4294967295\n"
		"override .1.3.6.1.4.1.99999.5.0 octet_str \"\"\n"
		"override .1.3.6.1.4.1.99999.6.0 integer 2147483647\n");
}

static void snmpd_stop(void)
{
	test_agent_stop(&agent);
}

/* The packets of a -d dump: "Sending N bytes to ..." / "Received N byte
 * packet from ..." followed by lines "OFFSET: XX XX XX XX  XX ...    ASCII"
 * (16 octets a line, groups of 4).  The octet count from the header says
 * how many to take from the last line, so its ASCII column is never read
 * as hex. */
struct packet {
	bool sent;
	uint8_t *data;
	size_t len;
};

static size_t parse_dump(const char *text, struct packet *pk, size_t max)
{
	size_t n = 0;
	const char *line = text;
	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t ll = eol ? (size_t)(eol - line) : strlen(line);
		unsigned long count;
		bool sent = sscanf(line, "Sending %lu bytes to", &count) == 1;
		bool recv = !sent && sscanf(line, "Received %lu byte packet from", &count) == 1;
		line += ll + (eol ? 1 : 0);
		if (!sent && !recv)
			continue;
		ck_assert_uint_lt(n, max);
		ck_assert_uint_le(count, 65535);
		struct packet *p = &pk[n++];
		p->sent = sent;
		p->len = count;
		p->data = malloc(count ? count : 1);
		size_t got = 0;
		while (got < count) {
			ck_assert_msg(*line, "dump ends early");
			eol = strchr(line, '\n');
			ll = eol ? (size_t)(eol - line) : strlen(line);
			char *e;
			unsigned long off = strtoul(line, &e, 10);
			ck_assert_msg(e != line && *e == ':' && off == got,
				      "bad dump line at octet %zu", got);
			const char *h = e + 2;
			size_t k = count - got < 16 ? count - got : 16;
			for (size_t i = 0; i < k; i++) {
				const char *c = h + i * 3 + i / 4;
				ck_assert_uint_lt((size_t)(c + 2 - line), ll + 1);
				char b[3] = { c[0], c[1], 0 };
				char *be;
				p->data[got++] = (uint8_t)strtoul(b, &be, 16);
				ck_assert_msg(be == b + 2, "bad hex in dump");
			}
			line += ll + (eol ? 1 : 0);
		}
	}
	return n;
}

/* net-snmp's printed varbinds ("-On -Oe -Ox -Ot"), whitespace collapsed:
 * a varbind starts on a line beginning with '.'; hex strings continue on
 * the following lines. */
static size_t parse_printed(const char *out, char **lines, size_t max)
{
	size_t n = 0;
	for (const char *p = out; *p;) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (*p == '.') {
			ck_assert_uint_lt(n, max);
			lines[n++] = calloc(1, 1);
		}
		if (n) {
			char *cur = lines[n - 1];
			size_t cl = strlen(cur);
			cur = realloc(cur, cl + ll + 2);
			for (size_t i = 0; i < ll; i++) {
				char c = p[i];
				bool space = c == ' ' || c == '\t' || c == '\r';
				if (space && (cl == 0 || cur[cl - 1] == ' '))
					continue;
				cur[cl++] = space ? ' ' : c;
			}
			if (cl && cur[cl - 1] != ' ')
				cur[cl++] = ' ';
			cur[cl] = '\0';
			lines[n - 1] = cur;
		}
		p += ll + (eol ? 1 : 0);
	}
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(lines[i]);
		while (l && lines[i][l - 1] == ' ')
			lines[i][--l] = '\0';
	}
	return n;
}

/* A decoded varbind as net-snmp prints it with -On -Oe -Ox -Ot. */
static void format_varbind(const struct ber_varbind *vb, char *out, size_t size)
{
	uint32_t sub[BER_MAX_SUBIDS];
	size_t n = vb_oid(vb, sub);
	char name[BER_MAX_SUBIDS * 11 + 1];
	format_oid(name, sizeof(name), sub, n);
	int o = snprintf(out, size, "%s = ", name);
	ck_assert_int_gt(o, 0);
	char *p = out + o;
	size_t rest = size - (size_t)o;
	switch (vb->type) {
	case BER_INTEGER:
		snprintf(p, rest, "INTEGER: %" PRId32, vb->num.i32);
		break;
	case BER_OCTET_STRING:
		if (vb->len == 0) {
			snprintf(p, rest, "\"\"");
		} else {
			size_t w = (size_t)snprintf(p, rest, "Hex-STRING:");
			for (size_t i = 0; i < vb->len && w + 4 < rest; i++)
				w += (size_t)snprintf(p + w, rest - w, " %02X", vb->data[i]);
		}
		break;
	case BER_OID: {
		uint32_t o2[BER_MAX_SUBIDS];
		int on = ber_oid_decode(vb->data, vb->len, o2, BER_MAX_SUBIDS);
		ck_assert_int_ge(on, 0);
		ck_assert_uint_eq(vb->num.u32, (uint32_t)on);
		char s[BER_MAX_SUBIDS * 11 + 1];
		format_oid(s, sizeof(s), o2, (size_t)on);
		snprintf(p, rest, "OID: %s", s);
		break;
	}
	case BER_IPADDRESS:
		snprintf(p, rest, "IpAddress: %u.%u.%u.%u", vb->data[0], vb->data[1],
			 vb->data[2], vb->data[3]);
		ck_assert_uint_eq(vb->num.u32, (uint32_t)vb->data[0] << 24
				  | (uint32_t)vb->data[1] << 16
				  | (uint32_t)vb->data[2] << 8 | vb->data[3]);
		break;
	case BER_COUNTER32:
		snprintf(p, rest, "Counter32: %" PRIu32, vb->num.u32);
		break;
	case BER_GAUGE32:
		snprintf(p, rest, "Gauge32: %" PRIu32, vb->num.u32);
		break;
	case BER_TIMETICKS:
		snprintf(p, rest, "%" PRIu32, vb->num.u32);
		break;
	case BER_COUNTER64:
		snprintf(p, rest, "Counter64: %" PRIu64, vb->num.u64);
		break;
	case BER_OPAQUE:
		switch (vb->opaque) {
		case BER_OPAQUE_FLOAT:
			snprintf(p, rest, "Opaque: Float: %f", (double)vb->num.f);
			break;
		case BER_OPAQUE_DOUBLE:
			snprintf(p, rest, "Opaque: Double: %f", vb->num.d);
			break;
		default:
			snprintf(p, rest, "Opaque: (raw %zu)", vb->len);
		}
		break;
	case BER_NO_SUCH_OBJECT:
		snprintf(p, rest, "No Such Object available on this agent at this OID");
		break;
	case BER_NO_SUCH_INSTANCE:
		snprintf(p, rest, "No Such Instance currently exists at this OID");
		break;
	case BER_END_OF_MIB_VIEW:
		snprintf(p, rest, "No more variables left in this MIB View "
				  "(It is past the end of the MIB tree)");
		break;
	default:
		snprintf(p, rest, "(type %02x)", vb->type);
	}
}

/* Rebuild the request from its decoding and encode it: net-snmp's bytes
 * exactly. */
static void assert_reencodes(const struct packet *pk)
{
	struct ber_message m;
	decode_ok(pk->data, pk->len, &m);
	static uint32_t names[BER_MAX_VARBINDS][BER_MAX_SUBIDS];
	static uint32_t oidvals[BER_MAX_VARBINDS][BER_MAX_SUBIDS];
	static struct ber_encode_varbind in[BER_MAX_VARBINDS];
	for (size_t i = 0; i < m.n_vb; i++) {
		const struct ber_varbind *vb = &m.vb[i];
		in[i].oid = names[i];
		in[i].oid_len = vb_oid(vb, names[i]);
		struct ber_value *v = &in[i].value;
		v->type = vb->type;
		switch (vb->type) {
		case BER_INTEGER:
			v->v.i32 = vb->num.i32;
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
			v->v.u32 = vb->num.u32;
			break;
		case BER_COUNTER64:
			v->v.u64 = vb->num.u64;
			break;
		case BER_OID:
			v->v.oid.sub = oidvals[i];
			v->v.oid.len = (size_t)ber_oid_decode(vb->data, vb->len,
							      oidvals[i], BER_MAX_SUBIDS);
			break;
		default:
			v->v.octets.data = vb->data;
			v->v.octets.len = vb->len;
		}
	}
	struct ber_request req = {
		.version = m.version, .community = m.community,
		.community_len = m.community_len, .pdu_type = m.pdu_type,
		.request_id = m.request_id, .error_status = m.error_status,
		.error_index = m.error_index, .vb = in, .n_vb = m.n_vb,
	};
	uint8_t *buf = malloc(pk->len);
	size_t len;
	/* exactly the size needed: no more room required than the result */
	ck_assert_int_eq(ber_encode(&req, buf, pk->len, &len), 0);
	assert_bytes(buf, len, pk->data, pk->len);
	if (pk->len)
		ck_assert_int_eq(ber_encode(&req, buf, pk->len - 1, &len), BER_E_NOSPACE);
	free(buf);
}

struct exchange {
	struct packet pk[8];
	size_t n_pk;
	char *printed[1100];
	size_t n_printed;
	struct ber_message resp;   /* decoded last response (vbs) */
	int status;
};

static void exchange_free(struct exchange *x)
{
	for (size_t i = 0; i < x->n_pk; i++)
		free(x->pk[i].data);
	for (size_t i = 0; i < x->n_printed; i++)
		free(x->printed[i]);
}

/* Run a tool with -d: one request, one response.  Checks the request
 * against our encoder, decodes the response, and when `compare` checks
 * every varbind against what the tool printed. */
static void run_exchange(struct exchange *x, const char *tool,
			 const char *const *args, bool compare)
{
	const char *argv[64] = { "-d", "-On", "-Oe", "-Ox", "-Ot" };
	size_t n = 5;
	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct test_run r = test_agent_tool(&agent, tool, argv);
	memset(x, 0, sizeof(*x));
	x->status = r.status;
	x->n_pk = parse_dump(r.err, x->pk, N_ELEMENTS(x->pk));
	/* request, response; SNMPv1 tools may retry without a failed varbind */
	ck_assert_msg(x->n_pk >= 2 && x->n_pk % 2 == 0, "%s: no exchange:\n%s%s",
		      tool, r.out, r.err);
	for (size_t i = 0; i < x->n_pk; i += 2) {
		ck_assert(x->pk[i].sent && !x->pk[i + 1].sent);
		/* our encoder makes net-snmp's bytes, and snmpd's (it writes
		 * minimal encodings too) */
		assert_reencodes(&x->pk[i]);
		assert_reencodes(&x->pk[i + 1]);
	}
	decode_ok(x->pk[1].data, x->pk[1].len, &x->resp);
	struct ber_message req;
	struct ber_varbind reqvb[64];
	ck_assert_int_eq(ber_decode(x->pk[0].data, x->pk[0].len, &req, reqvb, 64), 0);
	ck_assert_int_eq(x->resp.request_id, req.request_id);
	ck_assert_int_eq(x->resp.version, req.version);
	ck_assert_uint_eq(x->resp.pdu_type, BER_PDU_RESPONSE);
	ck_assert_uint_eq(x->resp.community_len, req.community_len);
	ck_assert_mem_eq(x->resp.community, req.community, req.community_len);
	x->n_printed = parse_printed(r.out, x->printed, N_ELEMENTS(x->printed));
	if (compare) {
		ck_assert_msg(r.status == 0, "%s failed: %s", tool, r.err);
		ck_assert_uint_eq(x->n_pk, 2);
		ck_assert_uint_eq(x->n_printed, x->resp.n_vb);
		for (size_t i = 0; i < x->resp.n_vb; i++) {
			char line[4096];
			format_varbind(&x->resp.vb[i], line, sizeof(line));
			ck_assert_str_eq(line, x->printed[i]);
		}
	}
	test_run_free(&r);
}

START_TEST(snmpd_get)
{
	struct exchange x;
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v2c", "-c", "public", agent.address,
		"1.3.6.1.2.1.1.1.0",            /* sysDescr: OCTET STRING */
		"1.3.6.1.2.1.1.2.0",            /* sysObjectID: OID */
		"1.3.6.1.2.1.1.3.0",            /* sysUpTime: TimeTicks */
		"1.3.6.1.2.1.1.6.0",            /* sysLocation */
		"1.3.6.1.2.1.2.2.1.7.1",        /* ifAdminStatus.1: INTEGER */
		"1.3.6.1.2.1.2.2.1.1.1",        /* ifIndex.1 */
		"1.3.6.1.2.1.2.2.1.5.1",        /* ifSpeed.1: Gauge32 */
		"1.3.6.1.2.1.2.2.1.6.1",        /* ifPhysAddress.1: empty */
		"1.3.6.1.2.1.2.2.1.10.1",       /* ifInOctets.1: Counter32 */
		"1.3.6.1.2.1.31.1.1.1.6.1",     /* ifHCInOctets.1: Counter64 */
		"1.3.6.1.2.1.4.20.1.1.127.0.0.1", /* ipAdEntAddr: IpAddress */
		"1.3.6.1.4.1.2021.10.1.6.1",    /* laLoadFloat.1: Opaque float */
		"1.3.6.1.4.1.2021.10.1.5.1",    /* laLoadInt.1 */
		"1.3.6.1.2.1.1.1.1",            /* noSuchInstance */
		"1.3.6.1.2.1.99.0",             /* noSuchObject */
		"1.3.6.1.2.1.1.1.4294967295",   /* big sub-ids in names */
		".1.3.6.1.4294967295.2.127.128.16383.16384",
		".2.999.1",
		NULL }, true);
	static const uint8_t want_types[] = {
		BER_OCTET_STRING, BER_OID, BER_TIMETICKS, BER_OCTET_STRING,
		BER_INTEGER, BER_INTEGER, BER_GAUGE32, BER_OCTET_STRING,
		BER_COUNTER32, BER_COUNTER64, BER_IPADDRESS, BER_OPAQUE,
		BER_INTEGER, BER_NO_SUCH_INSTANCE, BER_NO_SUCH_OBJECT,
		BER_NO_SUCH_INSTANCE, BER_NO_SUCH_OBJECT, BER_NO_SUCH_OBJECT,
	};
	ck_assert_uint_eq(x.resp.n_vb, N_ELEMENTS(want_types));
	for (size_t i = 0; i < x.resp.n_vb; i++)
		ck_assert_msg(x.resp.vb[i].type == want_types[i],
			      "varbind %zu: type %02x", i, x.resp.vb[i].type);
	ck_assert_mem_eq(x.resp.vb[3].data, "mibc test lab", 13);
	ck_assert_uint_eq(x.resp.vb[11].opaque, BER_OPAQUE_FLOAT);
	ck_assert_uint_eq(x.resp.vb[10].num.u32, 0x7f000001);
	ck_assert_int_eq(x.resp.error_status, 0);
	/* the response is long enough for a two-octet length */
	ck_assert_uint_gt(x.pk[1].len, 255);
	exchange_free(&x);

	/* the override objects: edge values of each type */
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v2c", "-c", "public", agent.address,
		"1.3.6.1.4.1.99999.1.0", "1.3.6.1.4.1.99999.2.0",
		"1.3.6.1.4.1.99999.3.0", "1.3.6.1.4.1.99999.4.0",
		"1.3.6.1.4.1.99999.5.0", "1.3.6.1.4.1.99999.6.0", NULL }, true);
	ck_assert_uint_eq(x.resp.vb[0].type, BER_COUNTER32);
	ck_assert_uint_eq(x.resp.vb[0].num.u32, UINT32_MAX);
	ck_assert_int_eq(x.resp.vb[1].num.i32, INT32_MIN);
	ck_assert_uint_eq(x.resp.vb[2].type, BER_GAUGE32);
	ck_assert_uint_eq(x.resp.vb[2].num.u32, UINT32_MAX);
	ck_assert_uint_eq(x.resp.vb[3].num.u32, 3); /* .2.999.4294967295 */
	ck_assert_uint_eq(x.resp.vb[4].len, 0);
	ck_assert_int_eq(x.resp.vb[5].num.i32, INT32_MAX);
	exchange_free(&x);
}
END_TEST

START_TEST(snmpd_v1_getnext_bulk)
{
	struct exchange x;
	/* SNMPv1 GetResponse */
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v1", "-c", "public", agent.address, "1.3.6.1.2.1.1.1.0",
		"1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.2.2.1.10.1", NULL }, true);
	ck_assert_int_eq(x.resp.version, BER_VERSION_1);
	exchange_free(&x);
	/* SNMPv1 noSuchName: error-status 2, error-index 2 */
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v1", "-c", "public", agent.address, "1.3.6.1.2.1.1.1.0",
		"1.3.6.1.2.1.1.1.1", NULL }, false);
	ck_assert_int_eq(x.resp.error_status, 2);
	ck_assert_int_eq(x.resp.error_index, 2);
	exchange_free(&x);
	/* GetNext, including past the end: endOfMibView */
	run_exchange(&x, "snmpgetnext", (const char *const[]){
		"-v2c", "-c", "public", agent.address, "1.3.6.1.2.1.1",
		"1.3.6.1.2.1.2.2.1.10", ".1.4", NULL }, true);
	ck_assert_uint_eq(x.resp.vb[2].type, BER_END_OF_MIB_VIEW);
	exchange_free(&x);
	/* GetBulk: one non-repeater, then the process table */
	run_exchange(&x, "snmpbulkget", (const char *const[]){
		"-v2c", "-c", "public", "-Cn1", "-Cr20", agent.address,
		"1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.25.4.2.1.2",
		"1.3.6.1.2.1.25.4.2.1.4", "1.3.6.1.2.1.25.4.2.1.1",
		"1.3.6.1.2.1.25.2.3.1", NULL }, true);
	struct ber_message req;
	struct ber_varbind reqvb[8];
	ck_assert_int_eq(ber_decode(x.pk[0].data, x.pk[0].len, &req, reqvb, 8), 0);
	ck_assert_uint_eq(req.pdu_type, BER_PDU_GETBULK);
	ck_assert_int_eq(req.error_status, 1);
	ck_assert_int_eq(req.error_index, 20);
	ck_assert_uint_gt(x.resp.n_vb, 60);
	ck_assert_uint_gt(x.pk[1].len, 1000);
	exchange_free(&x);
}
END_TEST

START_TEST(snmpd_set)
{
	struct exchange x;
	/* a SET that works */
	run_exchange(&x, "snmpset", (const char *const[]){
		"-v2c", "-c", "private", agent.address,
		"1.3.6.1.2.1.1.4.0", "s", "ops@example.org", NULL }, true);
	ck_assert_int_eq(x.resp.error_status, 0);
	exchange_free(&x);
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v2c", "-c", "public", agent.address, "1.3.6.1.2.1.1.4.0", NULL }, true);
	ck_assert_uint_eq(x.resp.vb[0].len, 15);
	ck_assert_mem_eq(x.resp.vb[0].data, "ops@example.org", 15);
	exchange_free(&x);
	/* every type snmpset can send; the agent refuses with wrongType at
	 * the first, and echoes the varbinds */
	run_exchange(&x, "snmpset", (const char *const[]){
		"-v2c", "-c", "private", agent.address,
		"1.3.6.1.2.1.1.4.0", "i", "-2147483648",
		"1.3.6.1.2.1.1.4.0", "i", "2147483647",
		"1.3.6.1.2.1.1.4.0", "u", "4294967295",
		"1.3.6.1.2.1.1.4.0", "t", "2147483648",
		"1.3.6.1.2.1.1.4.0", "a", "10.1.2.3",
		"1.3.6.1.2.1.1.4.0", "o", "2.999.4294967295",
		"1.3.6.1.2.1.1.4.0", "o", "0.0",
		"1.3.6.1.2.1.1.4.0", "x", "",
		"1.3.6.1.2.1.1.4.0", "x", "00FF80",
		"1.3.6.1.2.1.1.4.0", "U", "18446744073709551615",
		"1.3.6.1.2.1.1.4.0", "I", "-5",
		"1.3.6.1.2.1.1.4.0", "F", "1.5",
		"1.3.6.1.2.1.1.4.0", "D", "-2.25",
		NULL }, false);
	ck_assert_int_eq(x.resp.error_status, 7); /* wrongType */
	ck_assert_int_eq(x.resp.error_index, 1);
	const struct ber_varbind *v = x.resp.vb;
	ck_assert_uint_eq(x.resp.n_vb, 13);
	ck_assert_int_eq(v[0].num.i32, INT32_MIN);
	ck_assert_int_eq(v[1].num.i32, INT32_MAX);
	ck_assert_uint_eq(v[2].type, BER_GAUGE32);
	ck_assert_uint_eq(v[2].num.u32, UINT32_MAX);
	ck_assert_uint_eq(v[3].type, BER_TIMETICKS);
	ck_assert_uint_eq(v[3].num.u32, 2147483648u);
	ck_assert_uint_eq(v[4].num.u32, 0x0a010203);
	ck_assert_uint_eq(v[5].num.u32, 3);
	ck_assert_uint_eq(v[6].num.u32, 2);
	ck_assert_uint_eq(v[7].len, 0);
	ck_assert_mem_eq(v[8].data, "\x00\xff\x80", 3);
	ck_assert_uint_eq(v[9].opaque, BER_OPAQUE_UINT64);
	ck_assert(v[9].num.u64 == UINT64_MAX);
	ck_assert_uint_eq(v[10].opaque, BER_OPAQUE_INT64);
	ck_assert(v[10].num.i64 == -5);
	ck_assert_uint_eq(v[11].opaque, BER_OPAQUE_FLOAT);
	ck_assert(v[11].num.f == 1.5f);
	ck_assert_uint_eq(v[12].opaque, BER_OPAQUE_DOUBLE);
	ck_assert(v[12].num.d == -2.25);
	exchange_free(&x);
	/* notWritable (17) on a read-only object, as SNMPv1 (readOnly: 4) */
	run_exchange(&x, "snmpset", (const char *const[]){
		"-v2c", "-c", "private", agent.address,
		"1.3.6.1.2.1.1.3.0", "t", "5", NULL }, false);
	ck_assert_int_eq(x.resp.error_status, 17);
	exchange_free(&x);
	run_exchange(&x, "snmpset", (const char *const[]){
		"-v1", "-c", "private", agent.address,
		"1.3.6.1.2.1.1.4.0", "s", "v1", "1.3.6.1.2.1.1.3.0", "t", "5", NULL }, false);
	ck_assert_int_ne(x.resp.error_status, 0);
	ck_assert_int_eq(x.resp.error_index, 2);
	exchange_free(&x);
}
END_TEST

START_TEST(snmpd_mutations)
{
	/* a real response, mangled every way */
	struct exchange x;
	run_exchange(&x, "snmpget", (const char *const[]){
		"-v2c", "-c", "public", agent.address, "1.3.6.1.2.1.1.2.0",
		"1.3.6.1.2.1.1.3.0", "1.3.6.1.4.1.2021.10.1.6.1",
		"1.3.6.1.2.1.31.1.1.1.6.1", "1.3.6.1.4.1.99999.4.0",
		"1.3.6.1.2.1.1.1.1", NULL }, true);
	mutate_all(x.pk[1].data, x.pk[1].len);
	mutate_fast(x.pk[1].data, x.pk[1].len);
	exchange_free(&x);
}
END_TEST

int main(void)
{
	bool have_snmpd = test_agent_available();

	Suite *s = suite_create("ber");
	TCase *tc = tcase_create("codec");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, encode_values);
	tcase_add_test(tc, encode_message);
	tcase_add_test(tc, encode_invalid);
	tcase_add_test(tc, roundtrip_types);
	tcase_add_test(tc, roundtrip_64k);
	tcase_add_test(tc, decode_agent_quirks);
	tcase_add_test(tc, decode_rejects_values);
	tcase_add_test(tc, decode_rejects_messages);
	tcase_add_test(tc, oid_shortcuts_match_decoder);
	tcase_add_test(tc, mutations);
	tcase_add_test(tc, fast_path_cases);
	tcase_add_test(tc, fast_path_mutations);
	tcase_add_test(tc, fast_path_long);
	tcase_add_test(tc, fast_path_check_runs);
	tcase_add_test(tc, fast_path_inner_lengths);
	suite_add_tcase(s, tc);
	if (have_snmpd) {
		TCase *real = tcase_create("snmpd");
		tcase_set_timeout(real, 300);
		tcase_add_unchecked_fixture(real, snmpd_start, snmpd_stop);
		tcase_add_test(real, snmpd_get);
		tcase_add_test(real, snmpd_v1_getnext_bulk);
		tcase_add_test(real, snmpd_set);
		tcase_add_test(real, snmpd_mutations);
		suite_add_tcase(s, real);
	} else {
		fprintf(stderr, "snmpd or snmpget not installed: "
				"skipping the tests against a real agent\n");
	}
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	return have_snmpd ? EXIT_SUCCESS : 77;
}
