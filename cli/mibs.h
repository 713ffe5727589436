/* The modules a tool names objects with: SNMPv2-SMI's nodes, those loaded
 * at start-up (-m, through mibc's loader), then the built-in ones. */
#ifndef MIBC_CLI_MIBS_H
#define MIBC_CLI_MIBS_H

#include "options.h"
#include "resolve.h"

struct cli_mibs {
	struct module_list list;
	const struct mibc_module_desc **storage;
	struct desc_set *loaded;
};

/* 0, or an exit status after printing why. */
int cli_mibs_load(const struct cli_options *options, struct cli_mibs *mibs);
void cli_mibs_free(struct cli_mibs *mibs);

#endif
