/* BER codec for SNMPv1/v2c messages: see ber.h for what is accepted. */
#include "ber.h"

#include <string.h>

#define TRY(expr) \
	do { \
		int try_rc_ = (expr); \
		if (try_rc_ < 0) \
			return try_rc_; \
	} while (0)

const char *ber_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
#define BER_STRERROR_(name, number, message) \
	case -(number): \
		return message;
		BER_ERRORS(BER_STRERROR_)
#undef BER_STRERROR_
	}
	return "unknown BER error";
}

const char *ber_err_name(int err)
{
	switch (err) {
	case 0:
		return "BER_OK";
#define BER_ERR_NAME_(name, number, message) \
	case -(number): \
		return "BER_E_" #name;
		BER_ERRORS(BER_ERR_NAME_)
#undef BER_ERR_NAME_
	}
	return NULL;
}

/* ---- Encoding: backwards from the end of the buffer ---- */

struct writer {
	uint8_t *buf;
	size_t pos; /* first written octet; octets go below it */
};

static inline int put_byte(struct writer *w, uint8_t b)
{
	if (w->pos < 1)
		return BER_E_NOSPACE;
	w->buf[--w->pos] = b;
	return 0;
}

static inline int put_bytes(struct writer *w, const uint8_t *p, size_t n)
{
	if (w->pos < n)
		return BER_E_NOSPACE;
	w->pos -= n;
	if (n)
		memcpy(w->buf + w->pos, p, n);
	return 0;
}

/* Tag and minimal definite length, in front of `len` octets just written. */
static int put_header(struct writer *w, uint8_t tag, size_t len)
{
	uint8_t h[4];
	size_t n;
	if (len > BER_MAX_LENGTH)
		return BER_E_TOO_BIG;
	h[0] = tag;
	if (len < 0x80) {
		h[1] = (uint8_t)len;
		n = 2;
	} else if (len <= 0xff) {
		h[1] = 0x81;
		h[2] = (uint8_t)len;
		n = 3;
	} else {
		h[1] = 0x82;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
		n = 4;
	}
	return put_bytes(w, h, n);
}

/* INTEGER: minimal two's complement. */
static int put_int32(struct writer *w, uint8_t tag, int32_t v)
{
	uint8_t b[4];
	uint32_t u = (uint32_t)v;
	size_t n = 4;
	for (size_t i = 0; i < 4; i++)
		b[i] = (uint8_t)(u >> (24 - 8 * i));
	size_t s = 0;
	while (n > 1 && ((b[s] == 0x00 && !(b[s + 1] & 0x80))
			 || (b[s] == 0xff && (b[s + 1] & 0x80)))) {
		s++;
		n--;
	}
	TRY(put_bytes(w, b + s, n));
	return put_header(w, tag, n);
}

/* Unsigned types: minimal magnitude, a leading 0x00 when the high bit is
 * set. */
static int put_uint64(struct writer *w, uint8_t tag, uint64_t v)
{
	uint8_t b[9];
	size_t n = 0;
	do {
		b[8 - n++] = (uint8_t)v;
		v >>= 8;
	} while (v);
	if (b[9 - n] & 0x80)
		b[8 - n++] = 0;
	TRY(put_bytes(w, b + 9 - n, n));
	return put_header(w, tag, n);
}

static bool oid_valid(const uint32_t *sub, size_t n)
{
	return sub && n >= 2 && n <= BER_MAX_SUBIDS && sub[0] <= 2
	       && (sub[0] == 2 || sub[1] < 40);
}

static size_t base128_len(uint64_t v)
{
	size_t n = 1;
	while (v >>= 7)
		n++;
	return n;
}

static size_t base128_put(uint8_t *p, uint64_t v)
{
	size_t n = base128_len(v);
	for (size_t i = n; i-- > 0;) {
		p[i] = (uint8_t)((v & 0x7f) | (i == n - 1 ? 0 : 0x80));
		v >>= 7;
	}
	return n;
}

int ber_oid_encode(const uint32_t *sub, size_t n, uint8_t *buf, size_t size)
{
	if (!oid_valid(sub, n))
		return BER_E_INVAL;
	uint64_t first = (uint64_t)sub[0] * 40 + sub[1];
	size_t len = base128_len(first);
	for (size_t i = 2; i < n; i++)
		len += base128_len(sub[i]);
	if (buf && len <= size) {
		size_t o = base128_put(buf, first);
		for (size_t i = 2; i < n; i++)
			o += base128_put(buf + o, sub[i]);
	}
	return (int)len; /* at most 5 + 126 * 5 octets */
}

static int put_oid(struct writer *w, const uint32_t *sub, size_t n)
{
	int len = ber_oid_encode(sub, n, NULL, 0);
	TRY(len);
	if (w->pos < (size_t)len)
		return BER_E_NOSPACE;
	w->pos -= (size_t)len;
	ber_oid_encode(sub, n, w->buf + w->pos, (size_t)len);
	return put_header(w, BER_OID, (size_t)len);
}

static int put_octets(struct writer *w, uint8_t tag, const uint8_t *p,
		      size_t len)
{
	if (!p && len)
		return BER_E_INVAL;
	if (len > BER_MAX_LENGTH)
		return BER_E_TOO_BIG;
	TRY(put_bytes(w, p, len));
	return put_header(w, tag, len);
}

static int put_value(struct writer *w, const struct ber_value *v,
		     int32_t version)
{
	switch (v->type) {
	case BER_NULL:
		return put_header(w, BER_NULL, 0);
	case BER_INTEGER:
		return put_int32(w, BER_INTEGER, v->v.i32);
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		return put_octets(w, v->type, v->v.octets.data, v->v.octets.len);
	case BER_IPADDRESS:
		if (v->v.octets.len != 4)
			return BER_E_INVAL;
		return put_octets(w, v->type, v->v.octets.data, 4);
	case BER_OID:
		return put_oid(w, v->v.oid.sub, v->v.oid.len);
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		return put_uint64(w, v->type, v->v.u32);
	case BER_COUNTER64:
		if (version == BER_VERSION_1)
			return BER_E_INVAL;
		return put_uint64(w, v->type, v->v.u64);
	case BER_NO_SUCH_OBJECT:
	case BER_NO_SUCH_INSTANCE:
	case BER_END_OF_MIB_VIEW:
		if (version == BER_VERSION_1)
			return BER_E_INVAL;
		return put_header(w, v->type, 0);
	}
	return BER_E_INVAL;
}

int ber_encode(const struct ber_request *req, uint8_t *buf, size_t size,
	       size_t *len)
{
	if (!req || (!buf && size) || !len
	    || (req->version != BER_VERSION_1 && req->version != BER_VERSION_2C)
	    || (!req->vb && req->n_vb))
		return BER_E_INVAL;
	switch (req->pdu_type) {
	case BER_PDU_GET:
	case BER_PDU_GETNEXT:
	case BER_PDU_RESPONSE:
	case BER_PDU_SET:
		break;
	case BER_PDU_GETBULK:
		if (req->error_status < 0 || req->error_index < 0)
			return BER_E_INVAL;
		/* fall through */
	case BER_PDU_INFORM:
	case BER_PDU_TRAP_V2:
	case BER_PDU_REPORT:
		if (req->version == BER_VERSION_1)
			return BER_E_INVAL;
		break;
	default:
		return BER_E_INVAL;
	}

	struct writer w = { .buf = buf, .pos = size };
	for (size_t i = req->n_vb; i-- > 0;) {
		const struct ber_encode_varbind *vb = &req->vb[i];
		size_t end = w.pos;
		TRY(put_value(&w, &vb->value, req->version));
		TRY(put_oid(&w, vb->oid, vb->oid_len));
		TRY(put_header(&w, BER_SEQUENCE, end - w.pos));
	}
	TRY(put_header(&w, BER_SEQUENCE, size - w.pos));
	TRY(put_int32(&w, BER_INTEGER, req->error_index));
	TRY(put_int32(&w, BER_INTEGER, req->error_status));
	TRY(put_int32(&w, BER_INTEGER, req->request_id));
	TRY(put_header(&w, req->pdu_type, size - w.pos));
	TRY(put_octets(&w, BER_OCTET_STRING, req->community, req->community_len));
	TRY(put_int32(&w, BER_INTEGER, req->version));
	TRY(put_header(&w, BER_SEQUENCE, size - w.pos));
	*len = size - w.pos;
	if (w.pos)
		memmove(buf, buf + w.pos, *len);
	return 0;
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

void ber_opaque_float(float f, uint8_t out[BER_OPAQUE_FLOAT_LEN])
{
	uint32_t u;
	memcpy(&u, &f, sizeof(u));
	out[0] = 0x9f;
	out[1] = BER_OPAQUE_FLOAT;
	out[2] = 4;
	put_be(out + 3, u, 4);
}

void ber_opaque_double(double d, uint8_t out[BER_OPAQUE_DOUBLE_LEN])
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	out[0] = 0x9f;
	out[1] = BER_OPAQUE_DOUBLE;
	out[2] = 8;
	put_be(out + 3, u, 8);
}

/* ---- Decoding ---- */

struct reader {
	const uint8_t *base;    /* the datagram */
	size_t *error_offset;
};

/* One TLV header at *p inside [*p, end): its tag, the contents' position
 * (*p advanced past the header) and length, checked against `end`. A
 * length beyond `end` is BER_E_TRUNCATED at the top level (`top`), where
 * `end` is the datagram's, else BER_E_LENGTH. */
static int get_header(const struct reader *r, const uint8_t **pp,
		      const uint8_t *end, uint8_t *tag, size_t *len, bool top)
{
	const uint8_t *p = *pp;
	*r->error_offset = (size_t)(p - r->base);
	if (p >= end)
		return BER_E_TRUNCATED;
	*tag = *p++;
	if (p >= end)
		return BER_E_TRUNCATED;
	uint8_t b = *p++;
	size_t l;
	if (b < 0x80) {
		l = b;
	} else if (b == 0x80) {
		return BER_E_INDEFINITE;
	} else {
		size_t n = b & 0x7fu;
		if (n > 4)
			return BER_E_LENGTH_OF_LENGTH;
		if ((size_t)(end - p) < n)
			return BER_E_TRUNCATED;
		uint32_t v = 0;
		for (size_t i = 0; i < n; i++)
			v = (v << 8) | *p++;
		if (v > BER_MAX_LENGTH)
			return BER_E_TOO_BIG;
		l = v;
	}
	if ((size_t)(end - p) < l)
		return top ? BER_E_TRUNCATED : BER_E_LENGTH;
	*pp = p;
	*len = l;
	return 0;
}

/* A header whose tag must be `want`. */
static int expect(const struct reader *r, const uint8_t **pp,
		  const uint8_t *end, uint8_t want, size_t *len)
{
	uint8_t tag;
	TRY(get_header(r, pp, end, &tag, len, false));
	return tag == want ? 0 : BER_E_TAG;
}

static int parse_int32(const uint8_t *p, size_t n, int32_t *out)
{
	if (n == 0)
		return BER_E_INT_EMPTY;
	if (n > 4)
		return BER_E_INT_WIDTH;
	uint32_t u = (p[0] & 0x80) ? UINT32_MAX : 0;
	for (size_t i = 0; i < n; i++)
		u = (u << 8) | p[i];
	/* Two's complement without implementation-defined conversion. */
	*out = u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
	return 0;
}


static int get_int32(const struct reader *r, const uint8_t **pp,
		     const uint8_t *end, int32_t *out)
{
	size_t len;
	TRY(expect(r, pp, end, BER_INTEGER, &len));
	TRY(parse_int32(*pp, len, out));
	*pp += len;
	return 0;
}

bool ber_oid_equal(const uint8_t *p, size_t len, const uint32_t *sub, size_t n)
{
	/* decode and compare in one pass; validated octets cannot hold a
	 * sub-identifier above UINT32_MAX + 80, so v never overflows */
	if (n < 2)
		return false;
	size_t k = 0;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		v = (v << 7) | (p[i] & 0x7fu);
		if (p[i] & 0x80)
			continue;
		if (k == 0) {
			uint32_t a = v < 40 ? 0 : v < 80 ? 1 : 2;
			if (sub[0] != a || sub[1] != v - 40u * a)
				return false;
			k = 2;
		} else {
			if (k >= n || sub[k] != v)
				return false;
			k++;
		}
		v = 0;
	}
	return k == n;
}

/* The sub-identifier count of OID contents in the common shape (every
 * sub-identifier of at most 4 octets, no padding, terminated, at most
 * 128): counted without computing values; -1 sends everything else to the
 * general path, which names the error. */
static int oid_count_fast(const uint8_t *p, size_t len)
{
	size_t n = 1, run = 0;       /* the first octets hold two arcs */
	for (size_t i = 0; i < len; i++) {
		uint8_t b = p[i];
		if (b & 0x80) {
			if (run == 0 && b == 0x80)
				return -1;
			if (++run > 3)
				return -1;
		} else {
			n++;
			run = 0;
		}
	}
	return run || n > BER_MAX_SUBIDS ? -1 : (int)n;
}

int ber_oid_decode(const uint8_t *p, size_t len, uint32_t *sub, size_t max)
{
	if (!sub && len) {
		int n = oid_count_fast(p, len);
		if (n >= 0)
			return n;
	}
	size_t n = 0, i = 0;
	bool first = true;
	while (i < len) {
		if (p[i] == 0x80)
			return BER_E_OID_PADDING;
		/* The first sub-identifier holds two arcs: 2.x goes up to
		 * 80 + 4294967295. */
		uint64_t limit = first ? (uint64_t)UINT32_MAX + 80 : UINT32_MAX;
		uint64_t v = 0;
		uint8_t b;
		do {
			if (i >= len)
				return BER_E_OID_UNTERMINATED;
			b = p[i++];
			v = (v << 7) | (b & 0x7fu);
			if (v > limit)
				return BER_E_OID_SUBID;
		} while (b & 0x80);
		size_t k = first ? 2 : 1;
		if (n + k > BER_MAX_SUBIDS)
			return BER_E_OID_TOO_LONG;
		if (sub && n + k > max)
			return BER_E_NOSPACE;
		if (first) {
			uint32_t a = v < 40 ? 0 : v < 80 ? 1 : 2;
			if (sub) {
				sub[n] = a;
				sub[n + 1] = (uint32_t)(v - 40u * a);
			}
		} else if (sub) {
			sub[n] = (uint32_t)v;
		}
		n += k;
		first = false;
	}
	return (int)n;
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* net-snmp's special Opaque types: exactly one short-form inner TLV. */
static void parse_opaque(struct ber_varbind *vb)
{
	const uint8_t *p = vb->data;
	size_t n = vb->len;
	vb->opaque = BER_OPAQUE_RAW;
	if (n < 3 || p[0] != 0x9f || p[2] != n - 3)
		return;
	const uint8_t *c = p + 3;
	size_t cn = n - 3;
	switch (p[1]) {
	case BER_OPAQUE_FLOAT:
		if (cn == 4) {
			uint32_t u = (uint32_t)get_be(c, 4);
			memcpy(&vb->num.f, &u, sizeof(u));
			vb->opaque = BER_OPAQUE_FLOAT;
		}
		break;
	case BER_OPAQUE_DOUBLE:
		if (cn == 8) {
			uint64_t u = get_be(c, 8);
			memcpy(&vb->num.d, &u, sizeof(u));
			vb->opaque = BER_OPAQUE_DOUBLE;
		}
		break;
	case BER_OPAQUE_COUNTER64:
	case BER_OPAQUE_UINT64:
		if (ber_uint_parse(c, cn, 8, &vb->num.u64) == 0)
			vb->opaque = p[1];
		break;
	case BER_OPAQUE_INT64:
		if (cn >= 1 && cn <= 8) {
			uint64_t u = (c[0] & 0x80) ? UINT64_MAX : 0;
			for (size_t i = 0; i < cn; i++)
				u = (u << 8) | c[i];
			vb->num.i64 = u <= INT64_MAX ? (int64_t)u
						     : -(int64_t)(~u) - 1;
			vb->opaque = BER_OPAQUE_INT64;
		}
		break;
	}
}

int ber_value_parse(struct ber_varbind *vb)
{
	uint64_t u;
	int n;
	switch (vb->type) {
	case BER_INTEGER:
		return parse_int32(vb->data, vb->len, &vb->num.i32);
	case BER_OCTET_STRING:
	case BER_NSAP:
		return 0;
	case BER_NULL:
	case BER_NO_SUCH_OBJECT:
	case BER_NO_SUCH_INSTANCE:
	case BER_END_OF_MIB_VIEW:
		return vb->len ? BER_E_NULL_LENGTH : 0;
	case BER_OID:
		n = ber_oid_decode(vb->data, vb->len, NULL, 0);
		TRY(n);
		vb->num.u32 = (uint32_t)n;
		return 0;
	case BER_IPADDRESS:
		if (vb->len != 4)
			return BER_E_IPADDRESS;
		vb->num.u32 = (uint32_t)get_be(vb->data, 4);
		return 0;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_UINTEGER32:
		TRY(ber_uint_parse(vb->data, vb->len, 4, &u));
		vb->num.u32 = (uint32_t)u;
		return 0;
	case BER_COUNTER64:
		return ber_uint_parse(vb->data, vb->len, 8, &vb->num.u64);
	case BER_OPAQUE:
		parse_opaque(vb);
		return 0;
	}
	return BER_E_VALUE_TAG;
}

static int decode_varbind(const struct reader *r, const uint8_t **pp,
			  const uint8_t *end, struct ber_varbind *vb)
{
	size_t len;
	TRY(expect(r, pp, end, BER_SEQUENCE, &len));
	const uint8_t *p = *pp, *vend = p + len;

	TRY(expect(r, &p, vend, BER_OID, &vb->oid_len));
	vb->oid = p;
	if (vb->oid_len == 0)
		return BER_E_OID_EMPTY;
	int n = ber_oid_decode(p, vb->oid_len, NULL, 0);
	TRY(n);
	vb->oid_subids = (uint16_t)n;
	p += vb->oid_len;

	TRY(get_header(r, &p, vend, &vb->type, &vb->len, false));
	vb->data = p;
	vb->opaque = BER_OPAQUE_RAW;
	vb->num.u64 = 0;
	TRY(ber_value_parse(vb));
	p += vb->len;
	if (p != vend) {
		*r->error_offset = (size_t)(p - r->base);
		return BER_E_EXTRA;
	}
	*pp = vend;
	return 0;
}

int ber_decode(const uint8_t *buf, size_t len, struct ber_message *msg,
	       struct ber_varbind *vb, size_t max_vb)
{
	struct reader r = { .base = buf, .error_offset = &msg->error_offset };
	const uint8_t *p = buf, *end = buf + len;
	size_t l;
	uint8_t tag;

	msg->error_offset = 0;
	msg->n_vb = 0;
	msg->vb = vb;
	if (!buf)
		return len ? BER_E_INVAL : BER_E_TRUNCATED;

	TRY(get_header(&r, &p, end, &tag, &l, true));
	if (tag != BER_SEQUENCE)
		return BER_E_TAG;
	const uint8_t *mend = p + l;

	TRY(get_int32(&r, &p, mend, &msg->version));
	if (msg->version != BER_VERSION_1 && msg->version != BER_VERSION_2C)
		return BER_E_VERSION;

	TRY(expect(&r, &p, mend, BER_OCTET_STRING, &msg->community_len));
	msg->community = p;
	p += msg->community_len;

	TRY(get_header(&r, &p, mend, &tag, &l, false));
	switch (tag) {
	case BER_PDU_GET:
	case BER_PDU_GETNEXT:
	case BER_PDU_RESPONSE:
	case BER_PDU_SET:
	case BER_PDU_GETBULK:
	case BER_PDU_INFORM:
	case BER_PDU_TRAP_V2:
	case BER_PDU_REPORT:
		break;
	default:
		return (tag & 0xe0) == 0xa0 ? BER_E_PDU_TYPE : BER_E_TAG;
	}
	msg->pdu_type = tag;
	const uint8_t *pend = p + l;

	TRY(get_int32(&r, &p, pend, &msg->request_id));
	TRY(get_int32(&r, &p, pend, &msg->error_status));
	TRY(get_int32(&r, &p, pend, &msg->error_index));

	TRY(expect(&r, &p, pend, BER_SEQUENCE, &l));
	const uint8_t *lend = p + l;
	size_t max = !vb ? 0 : max_vb < BER_MAX_VARBINDS ? max_vb : BER_MAX_VARBINDS;
	while (p < lend) {
		if (msg->n_vb >= max) {
			msg->error_offset = (size_t)(p - buf);
			return BER_E_TOO_MANY_VARBINDS;
		}
		TRY(decode_varbind(&r, &p, lend, &vb[msg->n_vb]));
		msg->n_vb++;
	}
	if (p != pend || pend != mend) {
		msg->error_offset = (size_t)(p != pend ? p - buf : pend - buf);
		return BER_E_EXTRA;
	}
	if (mend != end) {
		msg->error_offset = (size_t)(mend - buf);
		return BER_E_TRAILING;
	}
	msg->error_offset = 0;
	return 0;
}

/* A constructed element's header whose length may claim more octets than
 * arrived (a truncated datagram): its contents end at the claimed end or at
 * `end`, whichever comes first. */
static int get_header_clamped(const struct reader *r, const uint8_t **pp,
			      const uint8_t *end, uint8_t *tag,
			      const uint8_t **contents_end)
{
	const uint8_t *p = *pp;
	*r->error_offset = (size_t)(p - r->base);
	if (end - p < 2)
		return BER_E_TRUNCATED;
	*tag = *p++;
	uint8_t b = *p++;
	size_t l = b;
	if (b == 0x80)
		return BER_E_INDEFINITE;
	if (b > 0x80) {
		size_t n = b & 0x7fu;
		if (n > 4)
			return BER_E_LENGTH_OF_LENGTH;
		if ((size_t)(end - p) < n)
			return BER_E_TRUNCATED;
		uint32_t v = 0;
		for (size_t i = 0; i < n; i++)
			v = (v << 8) | *p++;
		if (v > BER_MAX_LENGTH)
			return BER_E_TOO_BIG;
		l = v;
	}
	*contents_end = (size_t)(end - p) < l ? end : p + l;
	*pp = p;
	return 0;
}

int ber_decode_head(const uint8_t *buf, size_t len, struct ber_message *msg)
{
	struct reader r = { .base = buf, .error_offset = &msg->error_offset };
	const uint8_t *p = buf, *mend, *pend;
	uint8_t tag;

	msg->error_offset = 0;
	msg->n_vb = 0;
	msg->vb = NULL;
	msg->error_status = msg->error_index = 0;
	if (!buf)
		return BER_E_TRUNCATED;
	TRY(get_header_clamped(&r, &p, buf + len, &tag, &mend));
	if (tag != BER_SEQUENCE)
		return BER_E_TAG;
	TRY(get_int32(&r, &p, mend, &msg->version));
	if (msg->version != BER_VERSION_1 && msg->version != BER_VERSION_2C)
		return BER_E_VERSION;
	TRY(expect(&r, &p, mend, BER_OCTET_STRING, &msg->community_len));
	msg->community = p;
	p += msg->community_len;
	TRY(get_header_clamped(&r, &p, mend, &tag, &pend));
	switch (tag) {
	case BER_PDU_GET:
	case BER_PDU_GETNEXT:
	case BER_PDU_RESPONSE:
	case BER_PDU_SET:
	case BER_PDU_GETBULK:
	case BER_PDU_INFORM:
	case BER_PDU_TRAP_V2:
	case BER_PDU_REPORT:
		break;
	default:
		return (tag & 0xe0) == 0xa0 ? BER_E_PDU_TYPE : BER_E_TAG;
	}
	msg->pdu_type = tag;
	TRY(get_int32(&r, &p, pend, &msg->request_id));
	msg->error_offset = 0;
	return 0;
}
