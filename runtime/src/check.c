/* Outgoing values checked against their object's descriptor (the MIB's
 * type, ranges, sizes and names): see mibc/set.h. */
#include <mibc/desc.h>
#include <mibc/mibc.h>
#include <mibc/set.h>

#include "value.h"

static bool bits_named(const struct mibc_object_desc *o, const uint8_t *p,
		       size_t len)
{
	if (o->n_names == 0)
		return true;   /* BITS without names: nothing to hold to */
	for (size_t i = 0; i < len; i++)
		for (unsigned b = 0; b < 8; b++)
			if ((p[i] & (0x80u >> b))
			    && !mibc_enum_name(o->names, o->n_names,
					       (int64_t)(i * 8 + b)))
				return false;
	return true;
}

/* BER encodes the first two arcs as one, 40 * X + Y, X <= 2 (Y < 40
 * unless X is 2): at least two sub-identifiers. */
static bool oid_encodable(const uint32_t *sub)
{
	return sub[0] <= 2 && (sub[0] == 2 || sub[1] < 40)
	       && !(sub[0] == 2 && sub[1] > UINT32_MAX - 80);
}

int mibc_data_check(const struct mibc_object_desc *o, const struct mibc_data *d)
{
	if (!o || !d || o->wire == MIBC_WIRE_NONE)
		return MIBC_E_INVAL;
	if (d->wire != o->wire)
		return MIBC_E_WRONG_TYPE;
	switch (d->wire) {
	case MIBC_WIRE_INTEGER:
		if (d->i < INT32_MIN || d->i > INT32_MAX)
			return MIBC_E_RANGE;
		if (o->type == MIBC_TYPE_ENUM && o->n_names)
			return mibc_enum_name(o->names, o->n_names, d->i)
			       ? 0 : MIBC_E_RANGE;
		return value_in_ranges_i(o->ranges, o->n_ranges, d->i)
		       ? 0 : MIBC_E_RANGE;
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
		if (d->u > UINT32_MAX)
			return MIBC_E_RANGE;
		return value_in_ranges_i(o->ranges, o->n_ranges, (int64_t)d->u)
		       ? 0 : MIBC_E_RANGE;
	case MIBC_WIRE_COUNTER64:
		return o->type != MIBC_TYPE_UNSIGNED64
		       || value_in_ranges_u(o->ranges, o->n_ranges, d->u)
		       ? 0 : MIBC_E_RANGE;
	case MIBC_WIRE_OCTET_STRING:
	case MIBC_WIRE_OPAQUE:
		if (!d->octets && d->len)
			return MIBC_E_INVAL;
		if (d->len > 65535
		    || !value_in_ranges_i(o->sizes, o->n_sizes, (int64_t)d->len))
			return MIBC_E_RANGE;
		if (o->type == MIBC_TYPE_BITS && !bits_named(o, d->octets, d->len))
			return MIBC_E_RANGE;
		return 0;
	case MIBC_WIRE_IPADDRESS:
		if (!d->octets && d->len)
			return MIBC_E_INVAL;
		return d->len == 4 ? 0 : MIBC_E_RANGE;
	case MIBC_WIRE_OID:
		if (!d->oid && d->oid_len)
			return MIBC_E_INVAL;
		if (d->oid_len < 2 || d->oid_len > MIBC_OID_MAX_LEN)
			return MIBC_E_RANGE;
		return oid_encodable(d->oid) ? 0 : MIBC_E_INVAL;
	default:
		return MIBC_E_INVAL;
	}
}
