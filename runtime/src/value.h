/* Decoded values of libmibc's client (private). */
#ifndef MIBC_VALUE_H
#define MIBC_VALUE_H

#include <mibc/mibc.h>

#include "ber.h"

#pragma GCC visibility push(hidden)

/* A value: its BER tag, the decoded number, and the octets (a
 * NUL-terminated copy) or sub-identifiers it holds, in storage that lives
 * as long as the value. */
struct mibc_value {
	const struct mibc_object_desc *object;   /* asked for, or NULL */
	uint8_t tag;                             /* enum ber_tag */
	uint8_t opaque;                          /* enum ber_opaque */
	int check;                               /* mibc_value_check() */
	union {
		int32_t i32;
		uint32_t u32;
		uint64_t u64;
		int64_t i64;
		float f;
		double d;
	} num;
	const uint8_t *data;                     /* octets, NUL after them */
	size_t len;
	const uint32_t *oid;                     /* OID values */
	size_t oid_len;
};

/* Storage a varbind's value needs besides the struct: octets + NUL, or
 * sub-identifiers (counted in bytes, a multiple of sizeof(uint32_t) after
 * rounding up with value_storage_align). */
size_t value_storage(const struct ber_varbind *vb);
#define VALUE_ALIGN(n) (((n) + 7u) & ~(size_t)7u)

/* Fill `v` from a validated varbind, copying its contents to `store`
 * (value_storage(vb) bytes, 8-byte aligned), and compute its check against
 * `object`: value_fill() then value_settle(). */
void value_from_varbind(struct mibc_value *v, const struct ber_varbind *vb,
			const struct mibc_object_desc *object, void *store);

/* The first half: `v` from a validated varbind with its check, where
 * octets and OID values still point at their encoded contents in the
 * datagram (data, len; OID values: oid NULL and oid_len their
 * sub-identifier count): value_settle() must follow before the value is
 * handed out (value_needs_settle()). */
void value_fill(struct mibc_value *v, const struct ber_varbind *vb,
		const struct mibc_object_desc *object);

static inline bool value_is_octets(uint8_t tag)
{
	return tag == BER_OCTET_STRING || tag == BER_OPAQUE
	       || tag == BER_IPADDRESS || tag == BER_NSAP;
}

static inline bool value_needs_settle(const struct mibc_value *v)
{
	return value_is_octets(v->tag) || v->tag == BER_OID;
}

/* The second half: copy a filled value's octets (with a NUL) or decode its
 * OID into `store` (8-byte aligned); the bytes used, as value_storage(). */
size_t value_settle(struct mibc_value *v, void *store);

/* Whether `v` lies in one of the ranges (true when there are none). */
static inline bool value_in_ranges_i(const struct mibc_range *r, size_t n,
				     int64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (v >= r[i].min.i && v <= r[i].max.i)
			return true;
	return n == 0;
}

static inline bool value_in_ranges_u(const struct mibc_range *r, size_t n,
				     uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (v >= r[i].min.u && v <= r[i].max.u)
			return true;
	return n == 0;
}

/* The wire types a descriptor's wire type accepts. */
static inline bool value_wire_matches(enum mibc_wire want, uint8_t tag)
{
	if (want == MIBC_WIRE_NONE)
		return true;
	if (want == MIBC_WIRE_GAUGE32 && tag == BER_UINTEGER32)
		return true;
	return (unsigned)want == tag;
}

/* The error an exception tag stands for (noSuchObject, noSuchInstance,
 * endOfMibView), else 0. */
static inline int value_exception(uint8_t tag)
{
	switch (tag) {
	case BER_NO_SUCH_OBJECT:
		return MIBC_E_NO_SUCH_OBJECT;
	case BER_NO_SUCH_INSTANCE:
		return MIBC_E_NO_SUCH_INSTANCE;
	case BER_END_OF_MIB_VIEW:
		return MIBC_E_END_OF_MIB_VIEW;
	}
	return 0;
}

/* A value's check against the object asked for (0, MIBC_E_WRONG_TYPE,
 * MIBC_E_RANGE, or the exception's code): mibc_value_check().  Inline: the
 * fast path (getresp.c) calls it per value. */
static inline int value_check(const struct mibc_value *v,
			      const struct mibc_object_desc *o)
{
	int e = value_exception(v->tag);
	if (e)
		return e;
	if (v->tag == BER_NULL)
		return o && o->wire != MIBC_WIRE_NONE ? MIBC_E_WRONG_TYPE : 0;
	if (!o)
		return 0;
	if (!value_wire_matches(o->wire, v->tag))
		return MIBC_E_WRONG_TYPE;
	bool ok = true;
	switch (o->type) {
	case MIBC_TYPE_INTEGER32:
		ok = value_in_ranges_i(o->ranges, o->n_ranges, v->num.i32);
		break;
	case MIBC_TYPE_ENUM:
		ok = o->n_names == 0
		     || mibc_enum_name(o->names, o->n_names, v->num.i32) != NULL;
		break;
	case MIBC_TYPE_UNSIGNED32:
		if (v->tag != BER_OPAQUE)
			ok = value_in_ranges_i(o->ranges, o->n_ranges, v->num.u32);
		break;
	case MIBC_TYPE_UNSIGNED64:
		if (v->tag == BER_COUNTER64)
			ok = value_in_ranges_u(o->ranges, o->n_ranges, v->num.u64);
		break;
	case MIBC_TYPE_OCTET_STRING:
	case MIBC_TYPE_BITS:
		if (value_is_octets(v->tag))
			ok = value_in_ranges_i(o->sizes, o->n_sizes, (int64_t)v->len);
		break;
	default:
		break;
	}
	return ok ? 0 : MIBC_E_RANGE;
}

#pragma GCC visibility pop

#endif
