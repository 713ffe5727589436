/* The fast path for GET responses: see getresp.h.  Every rule here is one
 * of ber_decode()'s (ber.c), applied in the same order of elements, so a
 * datagram passes here only when it would pass there; what is refused here
 * goes to the general path rather than being refused for good. */
#include "getresp.h"

#include <string.h>

#define FAIL (-1)

/* The long form of hdr(): p at the first length octet. */
static bool __attribute__((noinline))
hdr_long(const uint8_t **pp, const uint8_t *p, const uint8_t *end, size_t *len)
{
	size_t n = *p++ & 0x7fu;
	if (n == 0 || n > 4 || (size_t)(end - p) < n)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | *p++;
	if (v > BER_MAX_LENGTH || (size_t)(end - p) < v)
		return false;
	*pp = p;
	*len = v;
	return true;
}

/* A header with tag `tag` at *pp inside [*pp, end), as get_header() in
 * ber.c reads one (definite lengths in up to 4 octets, at most 65535,
 * within `end`): true with *pp past it and *len its contents' length. */
static inline bool hdr(const uint8_t **pp, const uint8_t *end, uint8_t tag,
		       size_t *len)
{
	const uint8_t *p = *pp;
	if (end - p < 2 || p[0] != tag)
		return false;
	size_t l = p[1];
	if (l >= 0x80)
		return hdr_long(pp, p + 1, end, len);
	p += 2;
	if ((size_t)(end - p) < l)
		return false;
	*pp = p;
	*len = l;
	return true;
}

/* INTEGER in 1..4 octets, as parse_int32(). */
static inline bool int32_at(const uint8_t *p, size_t n, int32_t *out)
{
	if (n - 1 > 3)
		return false;
	uint32_t u = (p[0] & 0x80) ? UINT32_MAX : 0;
	for (size_t i = 0; i < n; i++)
		u = (u << 8) | p[i];
	*out = u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
	return true;
}

static inline bool get_int32(const uint8_t **pp, const uint8_t *end,
			     int32_t *out)
{
	size_t l;
	if (!hdr(pp, end, BER_INTEGER, &l) || !int32_at(*pp, l, out))
		return false;
	*pp += l;
	return true;
}

/* Counter32, Gauge32, TimeTicks, UInteger32 contents p[0..n) (1 <= n <= 5,
 * a 5th octet only as a leading 0x00, as ber_uint_parse) that end a varbind
 * at least 8 octets after its start: one big-endian load of the 8 octets
 * ending there. */
static inline bool u32_at(const uint8_t *p, size_t n, uint32_t *out)
{
	if (n - 1 > 4 || (n == 5 && p[0] != 0))
		return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;
	memcpy(&w, p + n - 8, 8);
	w = __builtin_bswap64(w);
	*out = (uint32_t)(w & (UINT64_MAX >> (64 - 8 * n)));
#else
	uint64_t v;
	(void)ber_uint_parse(p, n, 4, &v);
	*out = (uint32_t)v;
#endif
	return true;
}

/* value_check() for the numbers the fast path decodes itself (INTEGER,
 * Counter32, Gauge32, TimeTicks, UInteger32, Counter64): the same answer
 * without its jump tables. */
static inline int check_number(const struct mibc_value *v,
			       const struct mibc_object_desc *o, uint8_t tag)
{
	if (!o)
		return 0;
	if (!value_wire_matches(o->wire, tag))
		return MIBC_E_WRONG_TYPE;
	bool ok = true;
	if (o->type == MIBC_TYPE_UNSIGNED32)
		ok = value_in_ranges_i(o->ranges, o->n_ranges, v->num.u32);
	else if (o->type == MIBC_TYPE_INTEGER32)
		ok = value_in_ranges_i(o->ranges, o->n_ranges, v->num.i32);
	else if (o->type == MIBC_TYPE_UNSIGNED64)
		ok = tag != BER_COUNTER64
		     || value_in_ranges_u(o->ranges, o->n_ranges, v->num.u64);
	else if (o->type == MIBC_TYPE_ENUM)
		ok = o->n_names == 0
		     || mibc_enum_name(o->names, o->n_names, v->num.i32) != NULL;
	return ok ? 0 : MIBC_E_RANGE;
}

int getresp_head(const uint8_t *buf, size_t len, struct getresp_head *h)
{
	if (!buf)
		return FAIL;
	const uint8_t *p = buf, *end = buf + len;
	size_t l;
	int32_t status, index;
	/* the message fills the datagram exactly (else: truncated, or data
	 * after it) */
	if (!hdr(&p, end, BER_SEQUENCE, &l) || p + l != end)
		return FAIL;
	if (!get_int32(&p, end, &h->version)
	    || (h->version != BER_VERSION_1 && h->version != BER_VERSION_2C))
		return FAIL;
	if (!hdr(&p, end, BER_OCTET_STRING, &h->community_len))
		return FAIL;
	h->community = p;
	p += h->community_len;
	/* the PDU ends with the message, the varbind list with the PDU */
	if (!hdr(&p, end, BER_PDU_RESPONSE, &l) || p + l != end)
		return FAIL;
	if (!get_int32(&p, end, &h->request_id) || !get_int32(&p, end, &status)
	    || status != 0 || !get_int32(&p, end, &index))
		return FAIL;
	if (!hdr(&p, end, BER_SEQUENCE, &l) || p + l != end)
		return FAIL;
	h->list = p;
	h->list_end = end;
	return 0;
}

/* Whether a[0..n) == b[0..n): names are mostly 8 to 16 octets with their
 * header. */
static inline bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a0, a1, b0, b1;
		memcpy(&a0, a, 8);
		memcpy(&b0, b, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b1, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	return memcmp(a, b, n) == 0;
}

/* A header of our own encoding (ber_encode: minimal lengths, at most two
 * length octets) at p, with at least 4 octets there: its contents and
 * their length. */
static inline const uint8_t *own_hdr(const uint8_t *p, size_t *len)
{
	size_t l = p[1];
	if (l < 0x80) {
		*len = l;
		return p + 2;
	}
	if (l == 0x81) {
		*len = p[2];
		return p + 3;
	}
	*len = (size_t)p[2] << 8 | p[3];
	return p + 4;
}

/* The request's varbind list: the packet is the client's own (a GET as
 * pdu_start() encodes it), so it is walked without the checks a response
 * gets; its bounds still hold. */
static const uint8_t *request_list(const uint8_t *req, size_t req_len,
				   const uint8_t **list_end)
{
	if (req_len < 24 || req[0] != BER_SEQUENCE)
		return NULL;
	size_t l;
	size_t o = (size_t)(own_hdr(req, &l) - req);       /* message */
	o += 3;                                            /* version: 02 01 0x */
	o = (size_t)(own_hdr(req + o, &l) - req) + l;      /* community */
	if (o > req_len - 16)
		return NULL;
	o = (size_t)(own_hdr(req + o, &l) - req);          /* GetRequest-PDU */
	o += 2u + req[o + 1];                              /* request-id */
	o += 6;                                            /* 02 01 00 02 01 00 */
	if (o > req_len - 4 || req[o] != BER_SEQUENCE)
		return NULL;
	const uint8_t *p = own_hdr(req + o, &l);           /* varbind list */
	if (l != req_len - (size_t)(p - req))
		return NULL;
	*list_end = req + req_len;
	return p;
}

int getresp_values(const struct getresp_head *h, const uint8_t *req,
		   size_t req_len, const struct mibc_get *items,
		   const size_t *idx, size_t n, struct mibc_value *values,
		   size_t *extra)
{
	if (n > BER_MAX_VARBINDS)
		return FAIL;  /* ber_decode's limit */
	const uint8_t *qend;
	const uint8_t *q = request_list(req, req_len, &qend);
	if (!q)
		return FAIL;
	const uint8_t *r = h->list, *lend = h->list_end;
	int settle = 0;
	size_t more = 0;
	for (size_t i = 0; i < n; i++) {
		size_t vl, ql;
		/* the request's varbind: name, then NULL (2 octets) */
		if (qend - q < 4)
			return FAIL;
		q = own_hdr(q, &ql);
		if (ql < 4 || ql > (size_t)(qend - q))
			return FAIL;
		const uint8_t *qname = q;
		size_t name_len = ql - 2;
		q += ql;
		/* the response's: the same name octets (tag, length, contents) */
		if (!hdr(&r, lend, BER_SEQUENCE, &vl) || vl < name_len + 2
		    || !same_bytes(r, qname, name_len))
			return FAIL;
		const uint8_t *vend = r + vl;
		r += name_len;
		/* the value: any tag, its contents ending the varbind */
		uint8_t tag = r[0];
		size_t l;
		if (!hdr(&r, vend, tag, &l) || r + l != vend)
			return FAIL;
		const struct mibc_object_desc *o = items[idx[i]].object;
		struct mibc_value *v = &values[i];
		uint64_t u;
		switch (tag) {
		case BER_INTEGER:
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = 0;
			if (!int32_at(r, l, &v->num.i32))
				return FAIL;
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
		case BER_UINTEGER32: {
			uint32_t u32;
			if (!u32_at(r, l, &u32))
				return FAIL;
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = 0;
			v->num.u32 = u32;
			break;
		}
		case BER_COUNTER64:
			if (ber_uint_parse(r, l, 8, &u) != 0)
				return FAIL;
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = u;
			break;
		default: {
			/* everything else as the general path reads it */
			struct ber_varbind vb = { .data = r, .len = l, .type = tag,
						  .opaque = BER_OPAQUE_RAW };
			vb.num.u64 = 0;
			if (ber_value_parse(&vb) != 0)
				return FAIL;
			value_fill(v, &vb, o);
			if (value_needs_settle(v)) {
				settle = 1;
				more += value_storage(&vb);
			}
			r = vend;
			continue;
		}
		}
		v->check = check_number(v, o, tag);
		r = vend;
	}
	if (r != lend)
		return FAIL;  /* more varbinds than asked for */
	*extra = more;
	return settle;
}

void getresp_publish(struct mibc_value *values, size_t n, int settle,
		     void *store, struct mibc_get *items, const size_t *idx)
{
	unsigned char *s = store;
	for (size_t i = 0; i < n; i++) {
		struct mibc_value *v = &values[i];
		if (settle && value_needs_settle(v))
			s += value_settle(v, s);
		struct mibc_get *it = &items[idx[i]];
		it->status = v->check;
		it->value = v;
	}
}
