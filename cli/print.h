/* Printing what agents answered: snmpget's lines (through mibc/format.h)
 * or typed JSON. */
#ifndef MIBC_CLI_PRINT_H
#define MIBC_CLI_PRINT_H

#include <stdio.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "options.h"
#include "resolve.h"

struct printer {
	struct mibc_format_options format;
};

void printer_init(struct printer *p, const struct cli_options *o,
		  const struct module_list *modules);

/* `IF-MIB::ifOperStatus.1 = INTEGER: up(1)` and a newline. */
void print_line(const struct printer *p, FILE *out, const struct mibc_object_desc *object,
		const uint32_t *oid, size_t oid_len, const struct mibc_value *value);

/* One JSON object for a varbind:
 *   {"name":"IF-MIB::ifOperStatus.1","oid":"1.3.6.1.2.1.2.2.1.8.1",
 *    "type":"INTEGER","value":1,"enum":"up","text":"up(1)"}
 * With `value` NULL, the error of `status` instead of type and value. */
void print_json_varbind(const struct printer *p, FILE *out,
			const struct mibc_object_desc *object, const uint32_t *oid,
			size_t oid_len, const struct mibc_value *value, int status);

/* A JSON string literal. */
void print_json_string(FILE *out, const char *s, size_t len);

/* The OID as the tools name it (snmpget's left-hand side), malloc'd. */
char *print_oid_name(const struct printer *p, const struct mibc_object_desc *object,
		     const uint32_t *oid, size_t oid_len);

#endif
