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
static int check_number(const struct mibc_object_desc *o, uint8_t tag,
			const struct mibc_value *v)
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

#define CHECK_VARIES 1  /* not a check's value (0 or MIBC_E_*) */

/* Whether some range of r[0..n) holds all of [min, max] (signed bounds). */
static bool ranges_hold_i(const struct mibc_range *r, size_t n, int64_t min,
			  int64_t max)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].min.i <= min && r[i].max.i >= max)
			return true;
	return n == 0;
}

/* check_number()'s answer for every value of `tag` against `o` when it
 * does not depend on the value (no object, another wire type, no ranges,
 * or ranges holding the type's whole domain, as the generated
 * Counter32 0..4294967295 does), else CHECK_VARIES: the varbinds of a
 * response mostly share their object and tag, so this is worked out once
 * per run of them. */
static int check_number_fixed(const struct mibc_object_desc *o, uint8_t tag)
{
	if (!o)
		return 0;
	if (!value_wire_matches(o->wire, tag))
		return MIBC_E_WRONG_TYPE;
	bool all;
	if (o->type == MIBC_TYPE_UNSIGNED32)
		all = ranges_hold_i(o->ranges, o->n_ranges, 0, UINT32_MAX);
	else if (o->type == MIBC_TYPE_INTEGER32)
		all = ranges_hold_i(o->ranges, o->n_ranges, INT32_MIN, INT32_MAX);
	else if (o->type == MIBC_TYPE_UNSIGNED64)
		all = tag != BER_COUNTER64 || o->n_ranges == 0
		      || (o->ranges[0].min.u == 0 && o->ranges[0].max.u == UINT64_MAX);
	else if (o->type == MIBC_TYPE_ENUM)
		all = o->n_names == 0;
	else
		all = true;
	return all ? 0 : CHECK_VARIES;
}

/* The head as ber_decode() reads it: any length forms. */
static int __attribute__((noinline))
head_general(const uint8_t *buf, size_t len, struct getresp_head *h)
{
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

/* A header `tag` at p (with end - p >= 2) whose contents end exactly at
 * `end`, its length in the forms agents write (short, 0x81 L, 0x82 LL;
 * hdr() reads these the same way): the contents, or NULL (which is no
 * verdict: head_general() reads every form). */
static inline const uint8_t *to_end(const uint8_t *p, const uint8_t *end,
				    uint8_t tag)
{
	size_t rem = (size_t)(end - p);
	size_t l = p[1];
	if (p[0] != tag)
		return NULL;
	if (l < 0x80)
		return l == rem - 2 ? p + 2 : NULL;
	if (l == 0x81)
		return rem >= 3 && p[2] == rem - 3 ? p + 3 : NULL;
	if (l == 0x82)
		return rem >= 4 && ((size_t)p[2] << 8 | p[3]) == rem - 4 ? p + 4 : NULL;
	return NULL;
}

/* The head as agents write it, straight through: version 02 01 0v,
 * community 04 L (short form), the request-id in 1 to 4 octets, error-status
 * and error-index 02 01 00, three sequence lengths to_end() reads.  Each
 * test is one of head_general()'s, so this accepts a subset of it; false
 * for the rest, which head_general() then reads. */
static inline bool head_quick(const uint8_t *buf, size_t len,
			      struct getresp_head *h)
{
	/* the shortest head: 30 L, 02 01 0v, 04 00, A2 L, 02 01 r, 02 01 00,
	 * 02 01 00, 30 00 */
	enum { MIN_HEAD = 20, AFTER_MESSAGE = MIN_HEAD - 2,
	       AFTER_COMMUNITY = AFTER_MESSAGE - 5 };
	if (len < MIN_HEAD)
		return false;
	const uint8_t *end = buf + len;
	const uint8_t *p = to_end(buf, end, BER_SEQUENCE);
	if (!p || end - p < AFTER_MESSAGE)
		return false;
	if (p[0] != BER_INTEGER || p[1] != 1 || p[2] > BER_VERSION_2C
	    || p[3] != BER_OCTET_STRING || p[4] >= 0x80
	    || p[4] > (size_t)(end - p) - AFTER_MESSAGE)
		return false;
	h->version = p[2];
	h->community = p + 5;
	h->community_len = p[4];
	p += 5 + p[4];
	/* at least AFTER_COMMUNITY octets left: the PDU's header fits */
	p = to_end(p, end, BER_PDU_RESPONSE);
	/* request-id 02 L id, then 02 01 00 02 01 00 and the list's 30 L */
	if (!p || end - p < 11 || p[0] != BER_INTEGER || p[1] - 1u > 3u
	    || p[1] > (size_t)(end - p) - 10)
		return false;
	size_t id_len = p[1];
	(void)int32_at(p + 2, id_len, &h->request_id);
	p += 2 + id_len;
	if (p[0] != BER_INTEGER || p[1] != 1 || p[2] != 0
	    || p[3] != BER_INTEGER || p[4] != 1 || p[5] != 0)
		return false;
	p = to_end(p + 6, end, BER_SEQUENCE);
	if (!p)
		return false;
	h->list = p;
	h->list_end = end;
	return true;
}

int getresp_head(const uint8_t *buf, size_t len, struct getresp_head *h)
{
	if (!buf)
		return FAIL;
	if (head_quick(buf, len, h))
		return 0;
	return head_general(buf, len, h);
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

/* The response's varbind at *rp (inside [*rp, lend)) named by the name
 * octets name[0..name_len) (tag, length, contents): true with its value's
 * tag, contents and their length, *rp past the varbind.  The forms agents
 * write (short lengths) are read straight at the positions the name gives;
 * any other form as hdr() reads it. */
static inline bool varbind_at(const uint8_t **rp, const uint8_t *lend,
			      const uint8_t *name, size_t name_len,
			      uint8_t *tag, const uint8_t **val, size_t *len)
{
	const uint8_t *r = *rp;
	size_t rem = (size_t)(lend - r);
	/* 30 L, the name, tag L, contents: L and L' short, so L = name_len +
	 * 2 + L' (which also holds L' < 0x80) */
	if (rem >= name_len + 4 && r[0] == BER_SEQUENCE && r[1] < 0x80
	    && r[1] <= rem - 2 && r[1] == name_len + 2 + r[name_len + 3]
	    && same_bytes(r + 2, name, name_len)) {
		*tag = r[name_len + 2];
		*val = r + name_len + 4;
		*len = r[name_len + 3];
		*rp = r + 2 + r[1];
		return true;
	}
	size_t vl, l;
	if (!hdr(&r, lend, BER_SEQUENCE, &vl) || vl < name_len + 2
	    || !same_bytes(r, name, name_len))
		return false;
	const uint8_t *vend = r + vl;
	r += name_len;
	/* the value: any tag, its contents ending the varbind */
	*tag = r[0];
	if (!hdr(&r, vend, *tag, &l) || r + l != vend)
		return false;
	*val = r;
	*len = l;
	*rp = vend;
	return true;
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
	/* check_number_fixed() of the last number's object and tag */
	const struct mibc_object_desc *fixed_o = NULL;
	uint8_t fixed_tag = 0;
	int fixed = CHECK_VARIES;
	for (size_t i = 0; i < n; i++) {
		/* the request's varbind: name, then NULL (2 octets) */
		size_t ql;
		if (qend - q < 4)
			return FAIL;
		q = own_hdr(q, &ql);
		if (ql < 4 || ql > (size_t)(qend - q))
			return FAIL;
		const uint8_t *name = q;
		q += ql;
		/* the response's: the same name octets, any value */
		uint8_t tag;
		const uint8_t *val;
		size_t l;
		if (!varbind_at(&r, lend, name, ql - 2, &tag, &val, &l))
			return FAIL;
		const struct mibc_object_desc *o = items[idx[i]].object;
		struct mibc_value *v = &values[i];
		uint64_t u;
		switch (tag) {
		case BER_INTEGER: {
			int32_t i32;
			if (!int32_at(val, l, &i32))
				return FAIL;
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = 0;
			v->num.i32 = i32;
			break;
		}
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
		case BER_UINTEGER32: {
			uint32_t u32;
			if (!u32_at(val, l, &u32))
				return FAIL;
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = 0;
			v->num.u32 = u32;
			break;
		}
		case BER_COUNTER64:
			if (ber_uint_parse(val, l, 8, &u) != 0)
				return FAIL;
			*v = (struct mibc_value){ .object = o, .tag = tag };
			v->num.u64 = u;
			break;
		default: {
			/* everything else as the general path reads it */
			struct ber_varbind vb = { .data = val, .len = l, .type = tag,
						  .opaque = BER_OPAQUE_RAW };
			vb.num.u64 = 0;
			if (ber_value_parse(&vb) != 0)
				return FAIL;
			value_fill(v, &vb, o);
			if (value_needs_settle(v)) {
				settle = 1;
				more += value_storage(&vb);
			}
			continue;
		}
		}
		if (o != fixed_o || tag != fixed_tag) {
			fixed_o = o;
			fixed_tag = tag;
			fixed = check_number_fixed(o, tag);
		}
		v->check = fixed != CHECK_VARIES ? fixed : check_number(o, tag, v);
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
