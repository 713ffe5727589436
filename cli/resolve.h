/* Object names as the tools take them on the command line, in net-snmp's
 * syntax, turned into instance OIDs through descriptors:
 *
 *   IF-MIB::ifDescr.1          module, object, index
 *   ifDescr.1                  object looked up in every module, in order
 *   sysDescr.0, sysDescr       a scalar (without .0: asked as written)
 *   vacmGroupName.3."alice"    string index: length, then the octets
 *   snmpCommunityName.'public' IMPLIED string index: the octets only
 *   ipAdEntAddr.127.0.0.1      IpAddress, or any index as plain numbers
 *   ifAdminStatus.up           an enumerated index by its label
 *   system.1.0                 any node, then numbers
 *   .1.3.6.1.2.1.1.1.0         numeric (1.3.6... too)
 */
#ifndef MIBC_CLI_RESOLVE_H
#define MIBC_CLI_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>

struct module_list {
	const struct mibc_module_desc *const *modules;
	size_t n;
};

struct resolved {
	/* The scalar or column the instance belongs to, NULL when no module
	 * knows it (a numeric OID outside every module). */
	const struct mibc_object_desc *object;
	/* The node the name started from (object, or e.g. `system`). */
	const struct mibc_object_desc *node;
	uint32_t oid[MIBC_OID_MAX_LEN];
	size_t oid_len;
};

/* 0, or -1 with a message for the user in `why` (what net-snmp says:
 * "Unknown Object Identifier", or what is wrong with the index). */
int resolve_name(const struct module_list *modules, const char *text,
		 struct resolved *out, char *why, size_t why_size);

/* The module named `name` in the list, NULL if none. */
const struct mibc_module_desc *module_list_find(const struct module_list *modules,
						const char *name);

/* The scalar or column an OID is an instance of (first module wins). */
const struct mibc_object_desc *module_list_object_of(const struct module_list *modules,
						     const uint32_t *oid, size_t len);

#endif
