/* C identifiers for MIB names.
 *
 * Every C name mibc generates for a module starts with the module's prefix
 * (IF-MIB -> `if_mib_`, `IF_MIB_`), followed by a stem made from the SMI
 * name (ifHCInOctets -> `if_hc_in_octets`).  The stem functions here are
 * pure functions of the SMI name, so one module's output can name what
 * another module's output defines (an imported TC's enum, an index
 * object's descriptor) without seeing that module.
 *
 * Clashes (two SMI names, one C name) are resolved by the emitter with a
 * names_map: first come keeps the name, later ones get `_2`, `_3`...  */
#ifndef MIBC_NAMES_H
#define MIBC_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* "ifHCInOctets" -> "if_hc_in_octets", "IANAifType" -> "iana_if_type",
 * "ethernet-csmacd" -> "ethernet_csmacd".  Only [a-z0-9_], never empty,
 * no "__", no leading or trailing '_' (may start with a digit).
 * malloc'd. */
char *names_snake(const char *smi_name);

/* ASCII upper-case copy, malloc'd. */
char *names_upper(const char *s);

/* The module's C prefix without the trailing '_': "IF-MIB" -> "if_mib",
 * "IANAifType-MIB" -> "ianaiftype_mib".  malloc'd. */
char *names_module_prefix(const char *module);

/* The base of the module's output files: "IF-MIB" -> "if-mib". */
char *names_file_base(const char *module);

/* A C or C++ keyword, or a name the C/C++ standard libraries reserve that
 * generated code must not use as a member or parameter name. */
bool names_is_keyword(const char *s);

/* A name usable on its own (struct member, parameter): names_snake, then
 * a leading digit gets "n" in front and keywords get a trailing '_'.
 * malloc'd. */
char *names_local(const char *smi_name);

/* A string -> owner map for detecting clashes. */
struct names_map;

struct names_map *names_map_new(void);
void names_map_free(struct names_map *map);
/* The owner registered for `name`, or -1. */
long names_map_get(const struct names_map *map, const char *name);
/* Registers `name` for `owner` (>= 0) unless present; returns the owner
 * that holds it afterwards. */
long names_map_add(struct names_map *map, const char *name, long owner);

#endif
