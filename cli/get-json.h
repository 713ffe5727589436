/* Internal to mibget's modes (get-common.c). */
#ifndef MIBC_CLI_GET_JSON_H
#define MIBC_CLI_GET_JSON_H

#include <stdio.h>

#include "get.h"

int get_agent_failure(const struct mibc_get *items, size_t n);

/* {"agent":"...",<extra>"values":[...]} or {"agent":...,"error":...} and
 * a newline; `extra` is inserted as is (",\"round\":1"), may be NULL. */
void get_print_json_agent(const struct get_job *job, FILE *out, const char *agent,
			  const struct mibc_get *items, size_t n, const char *extra);

#endif
