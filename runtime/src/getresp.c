/* The fast path for GET responses: see getresp.h.  Every rule here is one
 * of ber_decode()'s (ber.c), applied in the same order of elements, so a
 * datagram passes here only when it would pass there; what is refused here
 * goes to the general path rather than being refused for good.
 *
 * The head and each varbind are read first as agents write them (short
 * lengths, fixed octets a word at a time, each varbind at the places its
 * request's name gives), with every bound still checked; any other form
 * is read element by element (head_general, varbind_general), so both
 * readings accept the same. */
#include "getresp.h"

#include <string.h>

#define FAIL (-1)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

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

/* The 8 octets at p as a big-endian number. */
static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "byte order unknown"
#endif
	return w;
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
 * at least 8 octets after the start of the datagram: one load of the 8
 * octets ending there. */
static inline bool u32_at(const uint8_t *p, size_t n, uint32_t *out)
{
	if (n - 1 > 4)
		return false;
	uint64_t v = load_be64(p + n - 8) & (UINT64_MAX >> (64 - 8 * n));
	*out = (uint32_t)v;
	return v >> 32 == 0;
}

/* value_check() for the numbers the fast path decodes itself (INTEGER,
 * Counter32, Gauge32, TimeTicks, UInteger32, Counter64): the same answer
 * without its jump tables. */
static int __attribute__((noinline))
check_number(const struct mibc_object_desc *o, uint8_t tag,
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

/* not a check's value (0 or MIBC_E_*) */
#define CHECK_VARIES 1
#define CHECK_UNKNOWN 2

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

/* check_number_fixed() for an object and tag. */
struct fixed_check {
	const struct mibc_object_desc *o;
	uint8_t tag;
	int check;
};

/* Out of line (rare: once per run of varbinds of the same object and tag),
 * returned in registers. */
static struct fixed_check __attribute__((noinline))
fixed_check_for(const struct mibc_object_desc *o, uint8_t tag)
{
	return (struct fixed_check){ o, tag, check_number_fixed(o, tag) };
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
 * for the rest, which head_general() then reads.  Fixed octets are tested
 * a word at a time, within bounds checked first. */
static inline bool head_quick(const uint8_t *buf, size_t len,
			      struct getresp_head *h)
{
	/* the shortest head: 30 L, 02 01 0v, 04 00, A2 L, 02 01 r, 02 01 00,
	 * 02 01 00, 30 00 */
	enum { MIN_HEAD = 20, AFTER_MESSAGE = MIN_HEAD - 2 };
	if (len < MIN_HEAD)
		return false;
	const uint8_t *end = buf + len;
	const uint8_t *p = to_end(buf, end, BER_SEQUENCE);
	if (!p || end - p < AFTER_MESSAGE)
		return false;
	/* 02 01 0v 04 L, v 0 or 1 */
	uint64_t w = load_be64(p);
	size_t community_len = (size_t)(w >> 24) & 0xff;
	if (((w >> 32) | 0x100) != 0x02010104u || community_len >= 0x80
	    || community_len > (size_t)(end - p) - AFTER_MESSAGE)
		return false;
	/* h is written as soon as known (fewer registers live; false leaves
	 * it to head_general) */
	h->version = (int32_t)(w >> 40) & 1;
	h->community = p + 5;
	h->community_len = community_len;
	/* at least AFTER_MESSAGE - 5 octets left: the PDU's header fits */
	p = to_end(p + 5 + community_len, end, BER_PDU_RESPONSE);
	/* request-id 02 L id, then 02 01 00 02 01 00 and the list's 30 L:
	 * 8 octets after the id */
	if (!p || end - p < 11 || p[0] != BER_INTEGER || p[1] - 1u > 3u
	    || p[1] > (size_t)(end - p) - 10)
		return false;
	size_t id_len = p[1];
	uint32_t id = (uint32_t)(load_be64(p + 2) >> (64 - 8 * id_len));
	if (id >> (8 * id_len - 1) & 1)
		id |= (uint32_t)(UINT64_MAX << (8 * id_len));  /* negative */
	h->request_id = id <= INT32_MAX ? (int32_t)id : -(int32_t)(~id) - 1;
	p += 2 + id_len;
	if (load_be64(p) >> 16 != 0x020100020100u)
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

/* The size of a header of our own encoding (ber_encode: minimal lengths,
 * at most two length octets) whose length octet is b. */
static inline size_t own_hdr_size(uint8_t b)
{
	return b > 0x80 ? 2u + (b & 0x7fu) : 2u;
}

/* The request's varbind list: the packet is the client's own (a GET as
 * pdu_start() encodes it), so its head is skipped without the checks a
 * response gets; its bounds still hold, and the list's header must end
 * the packet exactly. */
static const uint8_t *request_list(const uint8_t *req, size_t req_len)
{
	if (req_len < 24)
		return NULL;
	size_t o = own_hdr_size(req[1]);                   /* message */
	o += 5u + req[o + 4];                              /* version, community */
	if (o > req_len - 16)
		return NULL;
	o += own_hdr_size(req[o + 1]);                     /* GetRequest-PDU */
	o += 2u + req[o + 1] + 6u;                         /* request-id, 0, 0 */
	if (o > req_len - 4 || req[o] != BER_SEQUENCE)
		return NULL;
	size_t l;
	const uint8_t *p = own_hdr(req + o, &l);           /* varbind list */
	if (l != req_len - (size_t)(p - req))
		return NULL;
	return p;
}

/* A varbind's value: its tag, contents and their length, and where the
 * varbind ends. */
struct found {
	const uint8_t *val, *next;
	size_t len;
	uint8_t tag;
};

/* The response's varbind at r (inside lend) named by name[0..name_len)
 * (tag, length, contents), in any form hdr() reads: true with *f. */
static bool __attribute__((noinline))
varbind_general(const uint8_t *r, const uint8_t *lend, const uint8_t *name,
		size_t name_len, struct found *f)
{
	size_t vl, l;
	if (!hdr(&r, lend, BER_SEQUENCE, &vl) || vl < name_len + 2
	    || !same_bytes(r, name, name_len))
		return false;
	const uint8_t *vend = r + vl;
	r += name_len;
	/* the value: any tag, its contents ending the varbind */
	uint8_t tag = r[0];
	if (!hdr(&r, vend, tag, &l) || r + l != vend)
		return false;
	*f = (struct found){ .val = r, .next = vend, .len = l, .tag = tag };
	return true;
}

/* A value other than the numbers getresp_values() reads itself, as the
 * general path reads it, into v (octets and OID values still in the
 * datagram): -1, or (the storage it needs) * 2 + 1 when it needs
 * value_settle(), else 0. */
static ptrdiff_t __attribute__((noinline))
value_other(const struct found *f, const struct mibc_object_desc *o,
	    struct mibc_value *v)
{
	struct ber_varbind vb = { .data = f->val, .len = f->len, .type = f->tag,
				  .opaque = BER_OPAQUE_RAW };
	vb.num.u64 = 0;
	if (ber_value_parse(&vb) != 0)
		return FAIL;
	value_fill(v, &vb, o);
	if (!value_needs_settle(v))
		return 0;
	return (ptrdiff_t)value_storage(&vb) * 2 + 1;
}

int getresp_values(const struct getresp_head *h, const uint8_t *req,
		   size_t req_len, const struct mibc_get *items,
		   const size_t *idx, size_t n, struct mibc_value *values,
		   size_t *extra)
{
	if (n > BER_MAX_VARBINDS)
		return FAIL;  /* ber_decode's limit */
	const uint8_t *q = request_list(req, req_len), *qend = req + req_len;
	if (!q)
		return FAIL;
	const uint8_t *r = h->list, *lend = h->list_end;
	int settle = 0;
	size_t more = 0;
	/* the last number's object and tag */
	struct fixed_check fixed = { NULL, 0, CHECK_UNKNOWN };
	for (struct mibc_value *v = values; v < values + n; v++, idx++) {
		/* the request's varbind (ours): 30 L, the name (06 L ...),
		 * then NULL (05 00) */
		if (qend - q < 4)
			return FAIL;
		size_t ql;
		const uint8_t *name = own_hdr(q, &ql);
		if (ql < 4 || ql > (size_t)(qend - name))
			return FAIL;
		size_t name_len = ql - 2;
		q = name + ql;
		/* the response's: the same name octets, any value; in the
		 * forms agents write (30 L, the name, tag L': both short, so
		 * L = name_len + 2 + L', which also holds L' < 0x80) read
		 * at the places the name gives */
		struct found f;
		size_t rem = (size_t)(lend - r);
		if (rem >= name_len + 4 && r[0] == BER_SEQUENCE && r[1] < 0x80
		    && r[1] <= rem - 2 && r[1] == name_len + 2 + r[name_len + 3]
		    && same_bytes(r + 2, name, name_len)) {
			f.tag = r[name_len + 2];
			f.len = r[name_len + 3];
			f.val = r + name_len + 4;
			f.next = f.val + f.len;
		} else if (!varbind_general(r, lend, name, name_len, &f)) {
			return FAIL;
		}
		r = f.next;
		const struct mibc_object_desc *o = items[*idx].object;
		/* the numbers (u32_at loads the 8 octets ending the value:
		 * the head, at least 20 octets, lies before it) */
		uint8_t tag = f.tag;
		uint64_t u;
		if (tag == BER_COUNTER32 || tag == BER_GAUGE32
		    || tag == BER_TIMETICKS || tag == BER_UINTEGER32) {
			uint32_t u32;
			if (!u32_at(f.val, f.len, &u32))
				return FAIL;
			u = u32;
		} else if (tag == BER_INTEGER) {
			int32_t i32;
			if (!int32_at(f.val, f.len, &i32))
				return FAIL;
			u = (uint32_t)i32;
		} else if (tag == BER_COUNTER64) {
			if (ber_uint_parse(f.val, f.len, 8, &u) != 0)
				return FAIL;
		} else {
			ptrdiff_t rc = value_other(&f, o, v);
			if (rc < 0)
				return FAIL;
			settle |= (int)(rc & 1);
			more += (size_t)rc >> 1;
			continue;
		}
		/* field by field: fewer stores than zeroing the whole */
		v->object = o;
		v->tag = tag;
		v->opaque = 0;
		v->num.u64 = 0;
		if (tag == BER_COUNTER64)
			v->num.u64 = u;
		else
			v->num.u32 = (uint32_t)u;  /* i32 as well: same octets */
		v->data = NULL;
		v->len = 0;
		v->oid = NULL;
		v->oid_len = 0;
		/* the first of a run checked by itself (a single GET needs no
		 * more), the second finds whether the rest need checks */
		if (UNLIKELY(o != fixed.o || tag != fixed.tag))
			fixed = (struct fixed_check){ o, tag, CHECK_UNKNOWN };
		else if (UNLIKELY(fixed.check == CHECK_UNKNOWN))
			fixed = fixed_check_for(o, tag);
		int check = fixed.check;
		if (UNLIKELY(check >= CHECK_VARIES))
			check = check_number(o, tag, v);
		v->check = check;
	}
	if (r != lend)
		return FAIL;  /* more varbinds than asked for */
	*extra = more;
	return settle;
}

/* Each item its value and status. */
static inline void hand_out(struct mibc_value *values, size_t n,
			    struct mibc_get *items, const size_t *idx)
{
	for (size_t i = 0; i < n; i++) {
		struct mibc_get *it = &items[idx[i]];
		it->status = values[i].check;
		it->value = &values[i];
	}
}

/* getresp_publish() with octets or OID values to copy into `store`. */
static void __attribute__((noinline))
publish_settled(struct mibc_value *values, size_t n, unsigned char *store,
		struct mibc_get *items, const size_t *idx)
{
	for (size_t i = 0; i < n; i++)
		if (value_needs_settle(&values[i]))
			store += value_settle(&values[i], store);
	hand_out(values, n, items, idx);
}

void getresp_publish(struct mibc_value *values, size_t n, int settle,
		     void *store, struct mibc_get *items, const size_t *idx)
{
	/* apart, so that the common case (numbers) saves no registers */
	if (settle)
		publish_settled(values, n, store, items, idx);
	else
		hand_out(values, n, items, idx);
}
