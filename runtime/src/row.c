/* Row structs filled generically from descriptors: a value into its
 * column's member (as the column's `storage` and `row_offset` say), and
 * moving a row with what it owns. */
#include <stdlib.h>
#include <string.h>

#include <mibc/mibc.h>

static bool wire_accepts(enum mibc_wire column, enum mibc_wire got)
{
	return column == got;
}

int mibc_row_set_value(const struct mibc_object_desc *row_desc, void *row,
		       const struct mibc_object_desc *column,
		       const struct mibc_value *value)
{
	if (!row_desc || !row || !column || !value
	    || column->kind != MIBC_KIND_COLUMN || column->parent != row_desc
	    || column->column >= row_desc->n_columns
	    || column->row_offset >= row_desc->row_size)
		return MIBC_E_INVAL;
	int check = mibc_value_check(value);
	if (check == MIBC_E_NO_SUCH_OBJECT || check == MIBC_E_NO_SUCH_INSTANCE
	    || check == MIBC_E_END_OF_MIB_VIEW)
		return check;
	if (!wire_accepts(column->wire, mibc_value_wire(value)))
		return MIBC_E_WRONG_TYPE;
	unsigned char *m = (unsigned char *)row + column->row_offset;
	int rc = MIBC_E_WRONG_TYPE;
	switch (column->storage) {
	case MIBC_STORAGE_INT32: {
		int32_t v;
		rc = mibc_value_get_int32(value, &v);
		if (rc == 0)
			memcpy(m, &v, sizeof(v));
		break;
	}
	case MIBC_STORAGE_UINT32: {
		uint32_t v;
		rc = mibc_value_get_uint32(value, &v);
		if (rc == 0)
			memcpy(m, &v, sizeof(v));
		break;
	}
	case MIBC_STORAGE_UINT64: {
		uint64_t v;
		rc = mibc_value_get_uint64(value, &v);
		if (rc == 0)
			memcpy(m, &v, sizeof(v));
		break;
	}
	case MIBC_STORAGE_IPADDRESS:
		rc = mibc_value_get_ipaddress(value, m);
		break;
	case MIBC_STORAGE_OCTETS_INLINE: {
		const uint8_t *data;
		size_t len;
		rc = mibc_value_get_octets(value, &data, &len);
		if (rc == 0 && len > column->row_capacity)
			rc = MIBC_E_RANGE;
		if (rc == 0) {
			memcpy(m, &len, sizeof(len));
			unsigned char *d = m + sizeof(size_t);
			if (len)
				memcpy(d, data, len);
			d[len] = 0;
		}
		break;
	}
	case MIBC_STORAGE_OCTETS: {
		const uint8_t *data;
		size_t len;
		rc = mibc_value_get_octets(value, &data, &len);
		if (rc)
			break;
		/* One spare NUL, so text columns read as C strings. */
		uint8_t *copy = malloc(len + 1);
		if (!copy)
			return MIBC_E_NOMEM;
		if (len)
			memcpy(copy, data, len);
		copy[len] = 0;
		struct mibc_octets o;
		memcpy(&o, m, sizeof(o));
		free(o.data);
		o.data = copy;
		o.len = len;
		memcpy(m, &o, sizeof(o));
		break;
	}
	case MIBC_STORAGE_OID: {
		const uint32_t *sub;
		size_t len;
		rc = mibc_value_get_oid(value, &sub, &len);
		if (rc)
			break;
		uint32_t *copy = malloc(len ? len * sizeof(*sub) : 1);
		if (!copy)
			return MIBC_E_NOMEM;
		if (len)
			memcpy(copy, sub, len * sizeof(*sub));
		struct mibc_oid o;
		memcpy(&o, m, sizeof(o));
		free(o.sub);
		o.sub = copy;
		o.len = len;
		memcpy(m, &o, sizeof(o));
		break;
	}
	default:
		break;
	}
	if (rc == 0)
		mibc_present_set((uint32_t *)row, column->column);
	return rc;
}

void mibc_row_move(const struct mibc_object_desc *row_desc, void *dst,
		   void *src)
{
	if (!row_desc || !dst || !src || dst == src)
		return;
	memcpy(dst, src, row_desc->row_size);
	memset(src, 0, row_desc->row_size);
}
