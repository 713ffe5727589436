/* The objects a tool was asked for: resolved once, then asked of any
 * number of agents. */
#ifndef MIBC_CLI_QUERY_H
#define MIBC_CLI_QUERY_H

#include <mibc/mibc.h>

#include "resolve.h"

struct query_object {
	const char *arg;                  /* as given */
	struct resolved r;
	/* What the GET is made with when no readable scalar or column of a
	 * module covers the OID (numeric OIDs outside every module, objects
	 * a MIB says are not readable, scalars asked without .0): the agent
	 * decides, as with snmpget, and nothing is checked against a MIB. */
	struct mibc_object_desc carrier;
};

/* Resolve every argument.  An unknown one prints "ARG: Unknown Object
 * Identifier" as snmpget does; then NULL.  Free with free(). */
struct query_object *query_resolve(const struct module_list *modules,
				   char *const *args, size_t n, const char *tool);

/* Prepare `get` for `q` (mibc_get_init). */
int query_get_init(struct query_object *q, struct mibc_get *get);

/* net-snmp's "Reason: ..." for an agent's error-status (the v1 ones and
 * the SNMPv2 SET errors), NULL when the status is not one. */
const char *query_packet_error(int status);

#endif
