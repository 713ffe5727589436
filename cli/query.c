/* Resolving and preparing requests (see query.h). */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct query_object *query_resolve(const struct module_list *modules,
				   char *const *args, size_t n, const char *tool)
{
	struct query_object *q = calloc(n ? n : 1, sizeof(*q));
	if (!q) {
		perror(tool);
		return NULL;
	}
	bool failed = false;
	for (size_t i = 0; i < n; i++) {
		char why[512];
		q[i].arg = args[i];
		if (resolve_name(modules, args[i], &q[i].r, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s: %s\n", args[i], why);
			failed = true;
		}
	}
	if (failed) {
		free(q);
		return NULL;
	}
	return q;
}

int query_get_init(struct query_object *q, struct mibc_get *get)
{
	const struct mibc_object_desc *o = q->r.object;
	if (o && q->r.oid_len > o->oid_len
	    && mibc_get_init(get, o, q->r.oid + o->oid_len, q->r.oid_len - o->oid_len) == 0)
		return 0;
	q->carrier = (struct mibc_object_desc){
		.name = q->arg,
		.oid = q->r.oid,
		.oid_len = (uint16_t)(q->r.oid_len - 1),
		.kind = MIBC_KIND_SCALAR,
		.access = MIBC_ACCESS_READ_ONLY,
	};
	return mibc_get_init(get, &q->carrier, &q->r.oid[q->r.oid_len - 1], 1);
}

const char *query_packet_error(int status)
{
	switch (status) {
	case MIBC_E_TOO_BIG: return "(tooBig) Response message would have been too large.";
	case MIBC_E_NO_SUCH_NAME: return "(noSuchName) There is no such variable name in this MIB.";
	case MIBC_E_BAD_VALUE: return "(badValue) The value given has the wrong type or length.";
	case MIBC_E_READ_ONLY: return "(readOnly) The two parties used do not have access to use the specified SNMP PDU.";
	case MIBC_E_GEN_ERR: return "(genError) A general failure occured";
	case MIBC_E_SNMP_ERROR: return "(error) The agent answered with an error-status.";
	}
	return NULL;
}
