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
 * `object`. */
void value_from_varbind(struct mibc_value *v, const struct ber_varbind *vb,
			const struct mibc_object_desc *object, void *store);

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

#pragma GCC visibility pop

#endif
