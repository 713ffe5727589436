/* The part of the runtime that only reads descriptors: lookups by OID and
 * name, enum names, row cleanup, error strings. */
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>

bool mibc_module_abi_ok(const struct mibc_module_desc *module)
{
	return module && module->abi == MIBC_DESC_ABI;
}

int mibc_oid_compare(const uint32_t *a, size_t a_len,
		     const uint32_t *b, size_t b_len)
{
	size_t n = a_len < b_len ? a_len : b_len;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

/* Index of the last entry <= oid in an OID-sorted list, or -1 (as n). */
static size_t last_not_after(const struct mibc_object_desc *const *list,
			     size_t n, const uint32_t *oid, size_t oid_len)
{
	size_t lo = 0, hi = n; /* answer in [lo - 1, hi) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mibc_oid_compare(list[mid]->oid, list[mid]->oid_len,
				     oid, oid_len) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? n : lo - 1;
}

const struct mibc_object_desc *
mibc_module_find_object(const struct mibc_module_desc *module,
			const uint32_t *oid, size_t oid_len)
{
	if (!module || !oid)
		return NULL;
	size_t i = last_not_after(module->objects, module->n_objects, oid,
				  oid_len);
	if (i == module->n_objects)
		return NULL;
	const struct mibc_object_desc *o = module->objects[i];
	if (o->oid_len > oid_len
	    || memcmp(o->oid, oid, o->oid_len * sizeof(*oid)) != 0)
		return NULL;
	return o;
}

const struct mibc_object_desc *
mibc_module_find_node(const struct mibc_module_desc *module,
		      const uint32_t *oid, size_t oid_len)
{
	if (!module || !oid)
		return NULL;
	size_t i = last_not_after(module->nodes, module->n_nodes, oid, oid_len);
	if (i == module->n_nodes)
		return NULL;
	/* Aliases (two names, one OID) sort by name: return the first. */
	while (i > 0 && mibc_oid_compare(module->nodes[i - 1]->oid,
					 module->nodes[i - 1]->oid_len,
					 oid, oid_len) == 0)
		i--;
	const struct mibc_object_desc *o = module->nodes[i];
	return mibc_oid_compare(o->oid, o->oid_len, oid, oid_len) == 0 ? o : NULL;
}

const struct mibc_object_desc *
mibc_module_find_name(const struct mibc_module_desc *module, const char *name)
{
	if (!module || !name)
		return NULL;
	if (!module->nodes_by_name) {
		for (size_t i = 0; i < module->n_nodes; i++)
			if (strcmp(module->nodes[i]->name, name) == 0)
				return module->nodes[i];
		return NULL;
	}
	size_t lo = 0, hi = module->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mibc_object_desc *o =
			module->nodes[module->nodes_by_name[mid]];
		int c = strcmp(o->name, name);
		if (c == 0)
			return o;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct mibc_index_entry *
mibc_index_find(const struct mibc_index_entry *entries, size_t n,
		const uint32_t *oid, size_t oid_len)
{
	if (!entries || !oid)
		return NULL;
	/* Exact searches for ever shorter prefixes: O(len log n). */
	for (size_t len = oid_len; len > 0; len--) {
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = mibc_oid_compare(entries[mid].oid,
						 entries[mid].oid_len, oid, len);
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && mibc_oid_compare(entries[lo].oid, entries[lo].oid_len,
					       oid, len) == 0)
			return &entries[lo];
	}
	return NULL;
}

const char *mibc_enum_name(const struct mibc_named_number *names, size_t n,
			   int64_t value)
{
	for (size_t i = 0; names && i < n; i++)
		if (names[i].value == value)
			return names[i].name;
	return NULL;
}

bool mibc_enum_value(const struct mibc_named_number *names, size_t n,
		     const char *name, int64_t *value)
{
	for (size_t i = 0; names && name && i < n; i++)
		if (strcmp(names[i].name, name) == 0) {
			if (value)
				*value = names[i].value;
			return true;
		}
	return false;
}

void mibc_row_release(const struct mibc_object_desc *row_desc, void *row)
{
	if (!row_desc || !row)
		return;
	for (size_t i = 0; i < row_desc->n_columns; i++) {
		const struct mibc_object_desc *c = row_desc->columns[i];
		unsigned char *p = (unsigned char *)row + c->row_offset;
		if (c->storage == MIBC_STORAGE_OCTETS) {
			struct mibc_octets *o = (struct mibc_octets *)(void *)p;
			free(o->data);
			o->data = NULL;
			o->len = 0;
		} else if (c->storage == MIBC_STORAGE_OID) {
			struct mibc_oid *o = (struct mibc_oid *)(void *)p;
			free(o->sub);
			o->sub = NULL;
			o->len = 0;
		}
	}
}

const char *mibc_strerror(int err)
{
	switch (err) {
	case MIBC_OK:
		return "success";
#define MIBC_STRERROR_(name, number, message) \
	case MIBC_E_##name: \
		return message;
	MIBC_ERRORS(MIBC_STRERROR_)
#undef MIBC_STRERROR_
	default:
		return "unknown error";
	}
}

const char *mibc_err_name(int err)
{
	switch (err) {
	case MIBC_OK:
		return "MIBC_OK";
#define MIBC_ERR_NAME_(name, number, message) \
	case MIBC_E_##name: \
		return "MIBC_E_" #name;
	MIBC_ERRORS(MIBC_ERR_NAME_)
#undef MIBC_ERR_NAME_
	default:
		return NULL;
	}
}

int mibc_error_status_code(int32_t error_status)
{
	static const int codes[] = {
		0, MIBC_E_TOO_BIG, MIBC_E_NO_SUCH_NAME, MIBC_E_BAD_VALUE,
		MIBC_E_READ_ONLY, MIBC_E_GEN_ERR, MIBC_E_NO_ACCESS,
		MIBC_E_AGENT_WRONG_TYPE, MIBC_E_WRONG_LENGTH,
		MIBC_E_WRONG_ENCODING, MIBC_E_WRONG_VALUE, MIBC_E_NO_CREATION,
		MIBC_E_INCONSISTENT_VALUE, MIBC_E_RESOURCE_UNAVAILABLE,
		MIBC_E_COMMIT_FAILED, MIBC_E_UNDO_FAILED,
		MIBC_E_AUTHORIZATION_ERROR, MIBC_E_NOT_WRITABLE,
		MIBC_E_INCONSISTENT_NAME,
	};
	if (error_status < 0 || (size_t)error_status >= MIBC_N_ELEMENTS(codes))
		return MIBC_E_SNMP_ERROR;
	return codes[error_status];
}
