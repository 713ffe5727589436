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
	case MIBC_E_NO_ACCESS: return "noAccess";
	case MIBC_E_AGENT_WRONG_TYPE:
		return "wrongType (The set datatype does not match the data type the agent expects)";
	case MIBC_E_WRONG_LENGTH:
		return "wrongLength (The set value has an illegal length from what the agent expects)";
	case MIBC_E_WRONG_ENCODING: return "wrongEncoding";
	case MIBC_E_WRONG_VALUE: return "wrongValue (The set value is illegal or unsupported in some way)";
	case MIBC_E_NO_CREATION:
		return "noCreation (That table does not support row creation or that object can not ever be created)";
	case MIBC_E_INCONSISTENT_VALUE:
		return "inconsistentValue (The set value is illegal or unsupported in some way)";
	case MIBC_E_RESOURCE_UNAVAILABLE:
		return "resourceUnavailable (This is likely a out-of-memory failure within the agent)";
	case MIBC_E_COMMIT_FAILED: return "commitFailed";
	case MIBC_E_UNDO_FAILED: return "undoFailed";
	case MIBC_E_AUTHORIZATION_ERROR: return "authorizationError (access denied to that object)";
	case MIBC_E_NOT_WRITABLE: return "notWritable (That object does not support modification)";
	case MIBC_E_INCONSISTENT_NAME: return "inconsistentName (That object can not currently be created)";
	case MIBC_E_SNMP_ERROR: return "(error) The agent answered with an error-status.";
	}
	return NULL;
}
