/* mibwalk's run: one subtree of one agent, printed as snmpwalk prints it,
 * as JSON, or (--csv) a table pivoted to one line per row. */
#ifndef MIBC_CLI_WALK_H
#define MIBC_CLI_WALK_H

#include "options.h"
#include "print.h"
#include "resolve.h"

struct walk_job {
	const struct cli_options *options;
	const struct printer *printer;
	const struct module_list *modules;
	const char *root_arg;               /* as given, for messages */
	struct resolved root;
};

/* The exit status. */
int walk_run(const struct walk_job *job);

#endif
