/* The modules of generated/ (libmibc-generated) that the tools know
 * without loading anything, in name-lookup order: where two modules name
 * the same OID (IF-MIB and RFC1213-MIB both define ifDescr), the first
 * wins, as the newer module wins in net-snmp's output.  The list is
 * generated from generated/sources.txt (builtin-list.sh). */
#ifndef MIBC_CLI_BUILTIN_H
#define MIBC_CLI_BUILTIN_H

#include <stddef.h>

#include <mibc/desc.h>

extern const struct mibc_module_desc *const cli_builtin_modules[];
extern const size_t cli_n_builtin_modules;

#endif
