/* Helpers over the model: names of the enums (as the SMI spells them),
 * OID order, sorting, lookup and freeing. */
#include "model.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *model_node_kind_name(enum model_node_kind kind)
{
	switch (kind) {
	case MODEL_NODE_NODE: return "node";
	case MODEL_NODE_OBJECT_IDENTITY: return "object-identity";
	case MODEL_NODE_MODULE_IDENTITY: return "module-identity";
	case MODEL_NODE_SCALAR: return "scalar";
	case MODEL_NODE_TABLE: return "table";
	case MODEL_NODE_ROW: return "row";
	case MODEL_NODE_COLUMN: return "column";
	case MODEL_NODE_NOTIFICATION: return "notification";
	case MODEL_NODE_GROUP: return "group";
	case MODEL_NODE_COMPLIANCE: return "compliance";
	case MODEL_NODE_CAPABILITIES: return "capabilities";
	}
	return "unknown";
}

const char *model_access_name(enum model_access access)
{
	switch (access) {
	case MODEL_ACCESS_UNKNOWN: break;
	case MODEL_ACCESS_NOT_IMPLEMENTED: return "not-implemented";
	case MODEL_ACCESS_NOT_ACCESSIBLE: return "not-accessible";
	case MODEL_ACCESS_NOTIFY: return "accessible-for-notify";
	case MODEL_ACCESS_READ_ONLY: return "read-only";
	case MODEL_ACCESS_READ_WRITE: return "read-write";
	case MODEL_ACCESS_READ_CREATE: return "read-create";
	case MODEL_ACCESS_WRITE_ONLY: return "write-only";
	}
	return "unknown";
}

const char *model_status_name(enum model_status status)
{
	switch (status) {
	case MODEL_STATUS_UNKNOWN: break;
	case MODEL_STATUS_CURRENT: return "current";
	case MODEL_STATUS_DEPRECATED: return "deprecated";
	case MODEL_STATUS_MANDATORY: return "mandatory";
	case MODEL_STATUS_OPTIONAL: return "optional";
	case MODEL_STATUS_OBSOLETE: return "obsolete";
	}
	return "unknown";
}

/* libsmi's names of its base types. */
const char *model_base_name(enum model_base base)
{
	switch (base) {
	case MODEL_BASE_UNKNOWN: break;
	case MODEL_BASE_INTEGER32: return "Integer32";
	case MODEL_BASE_UNSIGNED32: return "Unsigned32";
	case MODEL_BASE_INTEGER64: return "Integer64";
	case MODEL_BASE_UNSIGNED64: return "Unsigned64";
	case MODEL_BASE_OCTET_STRING: return "OctetString";
	case MODEL_BASE_OBJECT_IDENTIFIER: return "ObjectIdentifier";
	case MODEL_BASE_ENUM: return "Enumeration";
	case MODEL_BASE_BITS: return "Bits";
	case MODEL_BASE_FLOAT: return "Float";
	}
	return "unknown";
}

/* The ASN.1 names of the wire types. */
const char *model_wire_name(enum model_wire wire)
{
	switch (wire) {
	case MODEL_WIRE_NONE: break;
	case MODEL_WIRE_INTEGER: return "INTEGER";
	case MODEL_WIRE_OCTET_STRING: return "OCTET STRING";
	case MODEL_WIRE_OID: return "OBJECT IDENTIFIER";
	case MODEL_WIRE_IPADDRESS: return "IpAddress";
	case MODEL_WIRE_COUNTER32: return "Counter32";
	case MODEL_WIRE_GAUGE32: return "Gauge32";
	case MODEL_WIRE_TIMETICKS: return "TimeTicks";
	case MODEL_WIRE_OPAQUE: return "Opaque";
	case MODEL_WIRE_NSAP: return "NsapAddress";
	case MODEL_WIRE_COUNTER64: return "Counter64";
	}
	return "none";
}

int model_oid_compare(const uint32_t *a, size_t a_len,
		      const uint32_t *b, size_t b_len)
{
	size_t n = a_len < b_len ? a_len : b_len;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (a_len != b_len)
		return a_len < b_len ? -1 : 1;
	return 0;
}

static int compare_nodes(const void *pa, const void *pb)
{
	const struct model_node *a = pa, *b = pb;
	int c = model_oid_compare(a->oid, a->oid_len, b->oid, b->oid_len);
	if (c)
		return c;
	/* Aliases (two names for one OID) in a fixed order, so output does
	 * not depend on libsmi's hash order. */
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

void model_sort_nodes(struct model_module *module)
{
	if (module->n_nodes > 1)
		qsort(module->nodes, module->n_nodes, sizeof(module->nodes[0]),
		      compare_nodes);
}

const struct model_node *model_find_node(const struct model_module *module,
					 const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < module->n_nodes; i++)
		if (module->nodes[i].name &&
		    strcmp(module->nodes[i].name, name) == 0)
			return &module->nodes[i];
	return NULL;
}

void model_module_free(struct model_module *module)
{
	if (!module)
		return;
	arena_free(&module->arena);
	free(module);
}

char *model_oid_text(const uint32_t *oid, size_t len)
{
	char *s = xmalloc(11 * len + 1), *q = s;
	for (size_t i = 0; i < len; i++) {
		char digits[10];
		size_t n = 0;
		uint32_t v = oid[i];
		do {
			digits[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		if (i)
			*q++ = '.';
		while (n)
			*q++ = digits[--n];
	}
	*q = '\0';
	return s;
}
