/* Typed values from agents: decoding a varbind into the object's type,
 * checking it against the MIB, and the mibc_value_get_* accessors. */
#include "value.h"

#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>

static bool is_octets(uint8_t tag)
{
	return tag == BER_OCTET_STRING || tag == BER_OPAQUE
	       || tag == BER_IPADDRESS || tag == BER_NSAP;
}

size_t value_storage(const struct ber_varbind *vb)
{
	if (is_octets(vb->type))
		return VALUE_ALIGN(vb->len + 1);
	if (vb->type == BER_OID)
		return VALUE_ALIGN((size_t)vb->num.u32 * sizeof(uint32_t));
	return 0;
}

/* The wire types a descriptor's wire type accepts. */
static bool wire_matches(enum mibc_wire want, uint8_t tag)
{
	if (want == MIBC_WIRE_NONE)
		return true;
	if (want == MIBC_WIRE_GAUGE32 && tag == BER_UINTEGER32)
		return true;
	return (unsigned)want == tag;
}

static int check_value(const struct mibc_value *v,
		       const struct mibc_object_desc *o)
{
	switch (v->tag) {
	case BER_NO_SUCH_OBJECT:
		return MIBC_E_NO_SUCH_OBJECT;
	case BER_NO_SUCH_INSTANCE:
		return MIBC_E_NO_SUCH_INSTANCE;
	case BER_END_OF_MIB_VIEW:
		return MIBC_E_END_OF_MIB_VIEW;
	case BER_NULL:
		return o && o->wire != MIBC_WIRE_NONE ? MIBC_E_WRONG_TYPE : 0;
	}
	if (!o)
		return 0;
	if (!wire_matches(o->wire, v->tag))
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
		if (is_octets(v->tag))
			ok = value_in_ranges_i(o->sizes, o->n_sizes, (int64_t)v->len);
		break;
	default:
		break;
	}
	return ok ? 0 : MIBC_E_RANGE;
}

void value_from_varbind(struct mibc_value *v, const struct ber_varbind *vb,
			const struct mibc_object_desc *object, void *store)
{
	memset(v, 0, sizeof(*v));
	v->object = object;
	v->tag = vb->type;
	v->opaque = vb->opaque;
	v->num.u64 = 0;
	switch (vb->type) {
	case BER_INTEGER:
		v->num.i32 = vb->num.i32;
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_UINTEGER32:
		v->num.u32 = vb->num.u32;
		break;
	case BER_COUNTER64:
		v->num.u64 = vb->num.u64;
		break;
	case BER_OPAQUE:
		memcpy(&v->num, &vb->num, sizeof(v->num));
		break;
	}
	if (is_octets(vb->type)) {
		uint8_t *p = store;
		if (vb->len)
			memcpy(p, vb->data, vb->len);
		p[vb->len] = 0;
		v->data = p;
		v->len = vb->len;
	} else if (vb->type == BER_OID) {
		uint32_t *sub = store;
		int n = ber_oid_decode(vb->data, vb->len, sub, vb->num.u32);
		v->oid = sub;
		v->oid_len = n > 0 ? (size_t)n : 0;
	}
	v->check = check_value(v, object);
}

struct mibc_value *mibc_value_dup(const struct mibc_value *value)
{
	if (!value)
		return NULL;
	size_t extra = value->data ? VALUE_ALIGN(value->len + 1)
				   : value->oid_len * sizeof(uint32_t);
	struct mibc_value *v = malloc(VALUE_ALIGN(sizeof(*v)) + extra);
	if (!v)
		return NULL;
	*v = *value;
	unsigned char *store = (unsigned char *)v + VALUE_ALIGN(sizeof(*v));
	if (value->data) {
		memcpy(store, value->data, value->len + 1);
		v->data = store;
	} else if (value->oid) {
		if (value->oid_len)
			memcpy(store, value->oid, value->oid_len * sizeof(uint32_t));
		v->oid = (const uint32_t *)(void *)store;
	}
	return v;
}

void mibc_value_free(struct mibc_value *value)
{
	free(value);
}

enum mibc_wire mibc_value_wire(const struct mibc_value *value)
{
	if (!value)
		return MIBC_WIRE_NONE;
	switch (value->tag) {
	case BER_UINTEGER32:
		return MIBC_WIRE_GAUGE32;
	case BER_NULL:
	case BER_NO_SUCH_OBJECT:
	case BER_NO_SUCH_INSTANCE:
	case BER_END_OF_MIB_VIEW:
		return MIBC_WIRE_NONE;
	}
	return (enum mibc_wire)value->tag;
}

int mibc_value_check(const struct mibc_value *value)
{
	return value ? value->check : MIBC_E_INVAL;
}

/* Exceptions and NULL first: the error every accessor gives them. */
static int exception(const struct mibc_value *v)
{
	if (!v)
		return MIBC_E_INVAL;
	switch (v->tag) {
	case BER_NO_SUCH_OBJECT:
		return MIBC_E_NO_SUCH_OBJECT;
	case BER_NO_SUCH_INSTANCE:
		return MIBC_E_NO_SUCH_INSTANCE;
	case BER_END_OF_MIB_VIEW:
		return MIBC_E_END_OF_MIB_VIEW;
	}
	return 0;
}

int mibc_value_get_int32(const struct mibc_value *value, int32_t *v)
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (value->tag != BER_INTEGER)
		return MIBC_E_WRONG_TYPE;
	if (v)
		*v = value->num.i32;
	return 0;
}

int mibc_value_get_uint32(const struct mibc_value *value, uint32_t *v)
{
	int rc = exception(value);
	if (rc)
		return rc;
	switch (value->tag) {
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_UINTEGER32:
		if (v)
			*v = value->num.u32;
		return 0;
	}
	return MIBC_E_WRONG_TYPE;
}

int mibc_value_get_uint64(const struct mibc_value *value, uint64_t *v)
{
	int rc = exception(value);
	if (rc)
		return rc;
	uint64_t x;
	switch (value->tag) {
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_UINTEGER32:
		x = value->num.u32;
		break;
	case BER_COUNTER64:
		x = value->num.u64;
		break;
	case BER_OPAQUE:
		if (value->opaque != BER_OPAQUE_COUNTER64
		    && value->opaque != BER_OPAQUE_UINT64)
			return MIBC_E_WRONG_TYPE;
		x = value->num.u64;
		break;
	default:
		return MIBC_E_WRONG_TYPE;
	}
	if (v)
		*v = x;
	return 0;
}

int mibc_value_get_octets(const struct mibc_value *value,
			  const uint8_t **data, size_t *len)
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (!value->data)
		return MIBC_E_WRONG_TYPE;
	if (data)
		*data = value->data;
	if (len)
		*len = value->len;
	return 0;
}

int mibc_value_get_string(const struct mibc_value *value,
			  const char **s, size_t *len)
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (value->tag != BER_OCTET_STRING)
		return MIBC_E_WRONG_TYPE;
	if (s)
		*s = (const char *)value->data;
	if (len)
		*len = value->len;
	return 0;
}

int mibc_value_get_oid(const struct mibc_value *value,
		       const uint32_t **sub, size_t *len)
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (value->tag != BER_OID)
		return MIBC_E_WRONG_TYPE;
	if (sub)
		*sub = value->oid;
	if (len)
		*len = value->oid_len;
	return 0;
}

int mibc_value_get_ipaddress(const struct mibc_value *value, uint8_t addr[4])
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (value->tag != BER_IPADDRESS || value->len != 4)
		return MIBC_E_WRONG_TYPE;
	if (addr)
		memcpy(addr, value->data, 4);
	return 0;
}

int mibc_value_get_float(const struct mibc_value *value, double *v)
{
	int rc = exception(value);
	if (rc)
		return rc;
	if (value->tag != BER_OPAQUE)
		return MIBC_E_WRONG_TYPE;
	double d;
	if (value->opaque == BER_OPAQUE_FLOAT)
		d = value->num.f;
	else if (value->opaque == BER_OPAQUE_DOUBLE)
		d = value->num.d;
	else
		return MIBC_E_WRONG_TYPE;
	if (v)
		*v = d;
	return 0;
}

int mibc_value_raw(const struct mibc_value *value, struct mibc_raw_value *raw)
{
	if (!value || !raw)
		return MIBC_E_INVAL;
	memset(raw, 0, sizeof(*raw));
	raw->tag = value->tag == BER_UINTEGER32 ? BER_GAUGE32 : value->tag;
	switch (value->tag) {
	case BER_INTEGER:
		raw->integer = value->num.i32;
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_UINTEGER32:
		raw->unsigned_ = value->num.u32;
		break;
	case BER_COUNTER64:
		raw->unsigned_ = value->num.u64;
		break;
	case BER_OID:
		raw->oid = value->oid;
		raw->oid_len = value->oid_len;
		break;
	default:
		raw->octets = value->data;
		raw->len = value->len;
		break;
	}
	return 0;
}
