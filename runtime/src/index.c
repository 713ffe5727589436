/* Instance index decoding: the sub-identifiers after a column's OID back
 * into typed values, the reverse of mibc_index_put_*.  The suffix comes
 * from the network, so every length is checked against what is left of the
 * suffix, the element's capacity in its struct and its SIZE before
 * anything is written. */
#include <string.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>

/* Layout of the inline storages (desc.h): a size_t length, then the
 * elements. */
#define INLINE_DATA_OFFSET sizeof(size_t)

static bool size_allowed(const struct mibc_object_desc *o, size_t len)
{
	if (!o || o->n_sizes == 0 || !o->sizes)
		return true;
	for (size_t i = 0; i < o->n_sizes; i++)
		if ((int64_t)len >= o->sizes[i].min.i
		    && (int64_t)len <= o->sizes[i].max.i)
			return true;
	return false;
}

/* Bytes the element's storage takes in the index struct. */
static size_t storage_bytes(const struct mibc_index_elem *e)
{
	switch (e->storage) {
	case MIBC_STORAGE_INT32:
		return sizeof(int32_t);
	case MIBC_STORAGE_UINT32:
		return sizeof(uint32_t);
	case MIBC_STORAGE_IPADDRESS:
		return 4;
	case MIBC_STORAGE_OCTETS_INLINE:
		return INLINE_DATA_OFFSET + (size_t)e->capacity + 1;
	case MIBC_STORAGE_OID_INLINE:
		return INLINE_DATA_OFFSET + (size_t)e->capacity * sizeof(uint32_t);
	default:
		return 0;
	}
}

static int check_elems(const struct mibc_index_elem *elems, size_t n,
		       size_t out_size)
{
	for (size_t i = 0; i < n; i++) {
		const struct mibc_index_elem *e = &elems[i];
		size_t bytes = storage_bytes(e);
		if (bytes == 0 || e->offset > out_size
		    || bytes > out_size - e->offset)
			return MIBC_E_INVAL;
		if (e->implied && i + 1 != n)
			return MIBC_E_INVAL;
		if (e->storage == MIBC_STORAGE_IPADDRESS && e->fixed_len != 0
		    && e->fixed_len != 4)
			return MIBC_E_INVAL;
	}
	return 0;
}

/* Decode one element at suffix[*pos...]; 0 or MIBC_E_INDEX. */
static int decode_elem(const struct mibc_index_elem *e, const uint32_t *suffix,
		       size_t suffix_len, size_t *pos, unsigned char *out)
{
	size_t left = suffix_len - *pos;
	const uint32_t *s = suffix + *pos;
	unsigned char *field = out + e->offset;

	switch (e->storage) {
	case MIBC_STORAGE_INT32: {
		if (left < 1)
			return MIBC_E_INDEX;
		/* Same two's-complement image mibc_index_put_int32 writes. */
		int32_t v = (int32_t)s[0];
		memcpy(field, &v, sizeof(v));
		*pos += 1;
		return 0;
	}
	case MIBC_STORAGE_UINT32:
		if (left < 1)
			return MIBC_E_INDEX;
		memcpy(field, &s[0], sizeof(uint32_t));
		*pos += 1;
		return 0;
	case MIBC_STORAGE_IPADDRESS:
		if (left < 4)
			return MIBC_E_INDEX;
		for (size_t i = 0; i < 4; i++) {
			if (s[i] > 255)
				return MIBC_E_INDEX;
			field[i] = (unsigned char)s[i];
		}
		*pos += 4;
		return 0;
	case MIBC_STORAGE_OCTETS_INLINE:
	case MIBC_STORAGE_OID_INLINE: {
		size_t len, skip = 0;
		if (e->fixed_len) {
			len = e->fixed_len;
		} else if (e->implied) {
			len = left;
		} else {
			if (left < 1)
				return MIBC_E_INDEX;
			/* Compared before any arithmetic: s[0] is arbitrary. */
			if (s[0] > left - 1)
				return MIBC_E_INDEX;
			len = s[0];
			skip = 1;
		}
		if (len > left - skip || len > e->capacity)
			return MIBC_E_INDEX;
		if (!size_allowed(e->object, len))
			return MIBC_E_INDEX;
		const uint32_t *elements = s + skip;
		memcpy(field, &len, sizeof(len));
		unsigned char *data = field + INLINE_DATA_OFFSET;
		if (e->storage == MIBC_STORAGE_OCTETS_INLINE) {
			for (size_t i = 0; i < len; i++) {
				if (elements[i] > 255)
					return MIBC_E_INDEX;
				data[i] = (unsigned char)elements[i];
			}
			data[len] = 0;
		} else if (len) {
			memcpy(data, elements, len * sizeof(uint32_t));
		}
		*pos += skip + len;
		return 0;
	}
	default:
		return MIBC_E_INVAL;
	}
}

int mibc_index_decode(const struct mibc_index_elem *elems, size_t n_elems,
		      const uint32_t *suffix, size_t suffix_len,
		      void *out, size_t out_size)
{
	if (!out || (n_elems && !elems) || (suffix_len && !suffix))
		return MIBC_E_INVAL;
	int rc = check_elems(elems, n_elems, out_size);
	if (rc < 0)
		return rc;
	memset(out, 0, out_size);
	size_t pos = 0;
	for (size_t i = 0; i < n_elems && rc == 0; i++)
		rc = decode_elem(&elems[i], suffix, suffix_len, &pos, out);
	if (rc == 0 && pos != suffix_len)
		rc = MIBC_E_INDEX;
	if (rc < 0)
		memset(out, 0, out_size);
	return rc;
}

int mibc_row_index_decode(const struct mibc_object_desc *row_desc, void *row,
			  const uint32_t *suffix, size_t suffix_len)
{
	if (!row_desc || !row || row_desc->kind != MIBC_KIND_ROW
	    || row_desc->index_size == 0
	    || row_desc->index_offset > row_desc->row_size
	    || row_desc->index_size > row_desc->row_size - row_desc->index_offset)
		return MIBC_E_INVAL;
	return mibc_index_decode(row_desc->index, row_desc->n_index, suffix,
				 suffix_len,
				 (unsigned char *)row + row_desc->index_offset,
				 row_desc->index_size);
}
