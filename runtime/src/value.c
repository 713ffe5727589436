/* Typed values from agents: decoding a varbind into the object's type,
 * checking it against the MIB, and the mibc_value_get_* accessors. */
#include "value.h"

#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>

size_t value_storage(const struct ber_varbind *vb)
{
	if (value_is_octets(vb->type))
		return VALUE_ALIGN(vb->len + 1);
	if (vb->type == BER_OID)
		return VALUE_ALIGN((size_t)vb->num.u32 * sizeof(uint32_t));
	return 0;
}

void value_fill(struct mibc_value *v, const struct ber_varbind *vb,
		const struct mibc_object_desc *object)
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
	if (value_is_octets(vb->type)) {
		v->data = vb->data;
		v->len = vb->len;
	} else if (vb->type == BER_OID) {
		/* the encoded contents until value_settle() */
		v->data = vb->data;
		v->len = vb->len;
		v->oid_len = vb->num.u32;
	}
	v->check = value_check(v, object);
}

size_t value_settle(struct mibc_value *v, void *store)
{
	if (value_is_octets(v->tag)) {
		uint8_t *p = store;
		if (v->len)
			memcpy(p, v->data, v->len);
		p[v->len] = 0;
		v->data = p;
		return VALUE_ALIGN(v->len + 1);
	}
	if (v->tag == BER_OID) {
		uint32_t *sub = store;
		size_t count = v->oid_len;
		int n = ber_oid_decode(v->data, v->len, sub, count);
		v->data = NULL;
		v->len = 0;
		v->oid = sub;
		v->oid_len = n > 0 ? (size_t)n : 0;
		return VALUE_ALIGN(count * sizeof(uint32_t));
	}
	return 0;
}

void value_from_varbind(struct mibc_value *v, const struct ber_varbind *vb,
			const struct mibc_object_desc *object, void *store)
{
	value_fill(v, vb, object);
	value_settle(v, store);
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
	return v ? value_exception(v->tag) : MIBC_E_INVAL;
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
	/* the values asked for first: an application reads many */
	if (value && (value->tag == BER_COUNTER32 || value->tag == BER_GAUGE32
		      || value->tag == BER_TIMETICKS
		      || value->tag == BER_UINTEGER32)) {
		if (v)
			*v = value->num.u32;
		return 0;
	}
	int rc = exception(value);
	return rc ? rc : MIBC_E_WRONG_TYPE;
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
