/* libFuzzer target: an SNMP response datagram from the network, read the
 * way the client reads one (runtime/src/client.c handle_datagram and
 * handle_values): ber_decode(), then for every varbind ber_oid_decode() of
 * its name, value_from_varbind() against the object the name belongs to
 * (found in the generated modules, as a request would have named it), the
 * typed accessors, mibc_value_dup(), and snmpget-style formatting of the
 * name and value into buffers of every size class (also too small).
 *
 * Beyond "no crash, no leak, no undefined behaviour" it checks what ber.h
 * promises: a decoded message points into the datagram only, and a name
 * ber_decode() accepted always decodes.
 *
 * Then the client's fast path for GET responses (runtime/src/getresp.c,
 * what client.c's fast_response() runs first on every datagram): against
 * the GET the datagram would answer (the names of its varbind list, read
 * leniently, so that malformed values and lists still meet it), with the
 * objects the names belong to.  Whatever it accepts, ber_decode() must
 * accept too, with the same head and names, and every value must be the
 * one the general path makes (field for field, with the same check). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "ber.h"
#include "getresp.h"
#include "value.h"

#include "entity-mib.h"
#include "host-resources-mib.h"
#include "if-mib.h"
#include "ip-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "powernet-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"
#include "ups-mib.h"

/* Modules whose descriptors name the varbinds: hints (DisplayString,
 * PhysAddress, DateAndTime, InetAddress), enumerations, BITS, string and
 * InetAddress indexes. */
static const struct mibc_module_desc *const modules[] = {
	&snmpv2_mib_module, &if_mib_module, &ip_mib_module,
	&host_resources_mib_module, &entity_mib_module, &ups_mib_module,
	&ucd_snmp_mib_module, &mbg_snmp_ltng_mib_module, &powernet_mib_module,
};

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

static bool inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return (n == 0 && p == NULL)
	       || (p >= buf && p <= buf + len && n <= (size_t)(buf + len - p));
}

/* Format into a heap block of exactly `size` bytes, so writing one byte
 * too many is caught; the result must be what the full text needs. */
static void format_sized(const struct mibc_object_desc *object,
			 const uint32_t *oid, size_t oid_len,
			 const struct mibc_raw_value *raw,
			 const struct mibc_format_options *opt, size_t size,
			 int full)
{
	char *buf = malloc(size ? size : 1);
	CHECK(buf);
	int n = mibc_format_varbind_line(object, oid, oid_len, raw, opt,
					 size ? buf : NULL, size);
	CHECK(n == full);
	if (size)
		CHECK(strlen(buf) == ((size_t)n < size ? (size_t)n : size - 1));
	free(buf);
}

static void read_value(const struct mibc_value *v)
{
	int32_t i32;
	uint32_t u32;
	uint64_t u64;
	const uint8_t *octets;
	const char *s;
	const uint32_t *sub;
	size_t len;
	uint8_t addr[4];
	double d;
	(void)mibc_value_check(v);
	(void)mibc_value_wire(v);
	(void)mibc_value_get_int32(v, &i32);
	(void)mibc_value_get_uint32(v, &u32);
	(void)mibc_value_get_uint64(v, &u64);
	if (mibc_value_get_octets(v, &octets, &len) == 0)
		CHECK(octets[len] == 0);
	if (mibc_value_get_string(v, &s, &len) == 0)
		CHECK(s[len] == 0);
	if (mibc_value_get_oid(v, &sub, &len) == 0)
		CHECK(len <= MIBC_OID_MAX_LEN);
	(void)mibc_value_get_ipaddress(v, addr);
	(void)mibc_value_get_float(v, &d);
}

#define FAST_MAX 64

/* A header at p inside [p, end) with tag `tag`, short or long form: the
 * contents (and *len), or NULL. */
static const uint8_t *lenient_hdr(const uint8_t *p, const uint8_t *end,
				  uint8_t tag, size_t *len)
{
	if (end - p < 2 || p[0] != tag)
		return NULL;
	size_t l = p[1];
	p += 2;
	if (l & 0x80) {
		size_t n = l & 0x7f;
		if (n == 0 || n > 2 || (size_t)(end - p) < n)
			return NULL;
		l = 0;
		for (size_t i = 0; i < n; i++)
			l = (l << 8) | *p++;
	}
	if ((size_t)(end - p) < l)
		return NULL;
	*len = l;
	return p;
}

/* The GET the datagram answers: its names, read leniently, into items;
 * the request packet into req.  The item count. */
static size_t request_for(const struct getresp_head *h, struct mibc_get *items,
			  uint8_t *req, size_t req_size, size_t *req_len)
{
	static struct ber_encode_varbind evb[FAST_MAX];
	const uint8_t *p = h->list, *end = h->list_end;
	size_t n = 0;
	while (p < end && n < FAST_MAX) {
		size_t vl, nl;
		const uint8_t *c = lenient_hdr(p, end, BER_SEQUENCE, &vl);
		if (!c)
			break;
		const uint8_t *name = lenient_hdr(c, c + vl, BER_OID, &nl);
		if (!name)
			break;
		struct mibc_get *it = &items[n];
		memset(it, 0, sizeof(*it));
		int k = ber_oid_decode(name, nl, it->oid, MIBC_OID_MAX_LEN);
		if (k < 2)
			break;
		it->oid_len = (size_t)k;
		for (size_t m = 0; m < MIBC_N_ELEMENTS(modules) && !it->object; m++)
			it->object = mibc_module_find_object(modules[m], it->oid, it->oid_len);
		it->status = 1;
		evb[n] = (struct ber_encode_varbind){ .oid = it->oid,
			.oid_len = it->oid_len, .value = { .type = BER_NULL } };
		n++;
		p = c + vl;
	}
	struct ber_request r = { .version = h->version, .community = h->community,
		.community_len = h->community_len, .pdu_type = BER_PDU_GET,
		.request_id = h->request_id, .vb = evb, .n_vb = n };
	if (ber_encode(&r, req, req_size, req_len) != 0)
		return 0;
	return n;
}

static bool same_value(const struct mibc_value *a, const struct mibc_value *b)
{
	return a->object == b->object && a->tag == b->tag && a->opaque == b->opaque
	       && a->check == b->check && memcmp(&a->num, &b->num, sizeof(a->num)) == 0
	       && a->len == b->len && (a->data == NULL) == (b->data == NULL)
	       && (!a->data || memcmp(a->data, b->data, a->len + 1) == 0)
	       && a->oid_len == b->oid_len && (a->oid == NULL) == (b->oid == NULL)
	       && (!a->oid_len || memcmp(a->oid, b->oid, a->oid_len * sizeof(*a->oid)) == 0);
}

/* The fast path on the datagram, checked against ber_decode and the
 * general path. */
static void fast_path(const uint8_t *data, size_t size)
{
	static struct mibc_get items[FAST_MAX];
	static struct mibc_value values[FAST_MAX];
	static uint8_t req[65536];
	static struct ber_varbind vbs[BER_MAX_VARBINDS];
	size_t idx[FAST_MAX];
	struct getresp_head h;
	if (getresp_head(data, size, &h) != 0)
		return;
	CHECK(inside(h.community, h.community_len, data, size));
	CHECK(h.list >= data && h.list <= h.list_end && h.list_end == data + size);
	size_t req_len;
	size_t n = request_for(&h, items, req, sizeof(req), &req_len);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	size_t extra = 0;
	int settle = getresp_values(&h, req, req_len, items, idx, n, values, &extra);
	if (settle < 0)
		return;
	CHECK(settle == 0 || settle == 1);
	struct ber_message m;
	CHECK(ber_decode(data, size, &m, vbs, BER_MAX_VARBINDS) == 0);
	CHECK(m.pdu_type == BER_PDU_RESPONSE && m.error_status == 0
	      && m.version == h.version && m.request_id == h.request_id
	      && m.community == h.community && m.community_len == h.community_len
	      && m.n_vb == n);
	size_t gextra = 0;
	for (size_t i = 0; i < n; i++)
		gextra += value_storage(&m.vb[i]);
	CHECK(settle ? extra == gextra : gextra == 0);
	unsigned char *fstore = malloc(extra ? extra : 1);
	unsigned char *gstore = malloc(gextra ? gextra : 1);
	CHECK(fstore && gstore);
	getresp_publish(values, n, settle, fstore, items, idx);
	unsigned char *g = gstore;
	for (size_t i = 0; i < n; i++) {
		CHECK(ber_oid_equal(m.vb[i].oid, m.vb[i].oid_len, items[i].oid, items[i].oid_len));
		struct mibc_value gv;
		value_from_varbind(&gv, &m.vb[i], items[i].object, g);
		g += value_storage(&m.vb[i]);
		CHECK(same_value(&values[i], &gv));
		CHECK(items[i].value == &values[i] && items[i].status == gv.check);
		read_value(items[i].value);
	}
	free(fstore);
	free(gstore);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ber_varbind vbs[BER_MAX_VARBINDS];
	struct ber_message m;
	fast_path(data, size);
	int rc = ber_decode(data, size, &m, vbs, BER_MAX_VARBINDS);
	CHECK(m.error_offset <= size);
	if (rc != 0) {
		CHECK(rc < 0 && ber_err_name(rc) != NULL);
		return 0;
	}
	CHECK(inside(m.community, m.community_len, data, size));
	CHECK(m.n_vb <= BER_MAX_VARBINDS);

	/* the client's one allocation per response */
	size_t extra = 0;
	for (size_t i = 0; i < m.n_vb; i++) {
		CHECK(inside(m.vb[i].oid, m.vb[i].oid_len, data, size));
		CHECK(inside(m.vb[i].data, m.vb[i].len, data, size));
		extra += value_storage(&m.vb[i]);
	}
	unsigned char *store = malloc(extra ? extra : 1);
	CHECK(store);
	unsigned char *next = store;

	struct mibc_format_options numeric = { .flags = MIBC_FORMAT_NUMERIC_OIDS
							| MIBC_FORMAT_NUMERIC_ENUMS };
	struct mibc_format_options named = {
		.modules = modules, .n_modules = MIBC_N_ELEMENTS(modules),
	};
	for (size_t i = 0; i < m.n_vb; i++) {
		const struct ber_varbind *vb = &m.vb[i];
		uint32_t oid[MIBC_OID_MAX_LEN];
		int n = ber_oid_decode(vb->oid, vb->oid_len, oid, MIBC_OID_MAX_LEN);
		/* validated by ber_decode: the client relies on it */
		CHECK(n > 0 && n == vb->oid_subids);

		const struct mibc_object_desc *object = NULL;
		for (size_t k = 0; k < MIBC_N_ELEMENTS(modules) && !object; k++)
			object = mibc_module_find_object(modules[k], oid, (size_t)n);

		struct mibc_value v;
		value_from_varbind(&v, vb, object, next);
		next += value_storage(vb);
		read_value(&v);

		struct mibc_value *copy = mibc_value_dup(&v);
		CHECK(copy);
		read_value(copy);

		struct mibc_raw_value raw;
		CHECK(mibc_value_raw(copy, &raw) == 0);
		int full = mibc_format_varbind_line(object, oid, (size_t)n, &raw,
						    &named, NULL, 0);
		CHECK(full >= 0);
		format_sized(object, oid, (size_t)n, &raw, &named, (size_t)full + 1, full);
		format_sized(object, oid, (size_t)n, &raw, &named, (size_t)full / 2, full);
		format_sized(object, oid, (size_t)n, &raw, &named, 1, full);
		full = mibc_format_varbind_line(object, oid, (size_t)n, &raw,
						&numeric, NULL, 0);
		CHECK(full >= 0);
		format_sized(object, oid, (size_t)n, &raw, &numeric, (size_t)full + 1, full);
		/* the value alone, as no object would print it */
		char line[64];
		CHECK(mibc_format_value(NULL, &raw, NULL, line, sizeof(line)) >= 0);
		mibc_value_free(copy);
	}
	CHECK(next == store + extra);
	free(store);
	return 0;
}
