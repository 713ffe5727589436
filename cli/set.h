/* mibset's run: OBJECT TYPE VALUE triples as snmpset takes them, checked
 * against the MIB, sent in one SET PDU, the result printed as snmpset
 * prints it. */
#ifndef MIBC_CLI_SET_H
#define MIBC_CLI_SET_H

#include "options.h"
#include "print.h"
#include "resolve.h"

struct set_job {
	const struct cli_options *options;
	const struct printer *printer;
	const struct module_list *modules;
};

/* The exit status. */
int set_run(const struct set_job *job);

#endif
