/* mibwalk: snmpwalk with names resolved through mibc's descriptors, and
 * tables as CSV.
 *
 *   mibwalk -v 2c -c public 192.0.2.10 IF-MIB::ifTable
 *   mibwalk --csv 192.0.2.10 ifTable
 */
#include <stdio.h>
#include <stdlib.h>

#include "mibs.h"
#include "options.h"
#include "print.h"
#include "walk.h"

static const struct cli_tool mibwalk = {
	.name = "mibwalk",
	.arguments = "AGENT[:PORT] [OBJECT]",
	.summary = "Walk an SNMP subtree (MODULE::name, name or a numeric OID; default\n"
		   "mib-2) of an agent and print it as snmpwalk does, or a table as CSV.",
	.csv = true,
	.walk = true,
	.min_objects = 0,
};

int main(int argc, char **argv)
{
	struct cli_options options;
	cli_parse(argc, argv, &mibwalk, &options);
	if (options.n_objects > 1) {
		fprintf(stderr, "mibwalk: one subtree at a time\n"
			"Try 'mibwalk --help' for more information.\n");
		return CLI_EXIT_USAGE;
	}
	struct cli_mibs mibs;
	int status = cli_mibs_load(&options, &mibs);
	if (status != 0) {
		cli_options_free(&options);
		return status;
	}
	struct printer printer;
	printer_init(&printer, &options, &mibs.list);
	struct walk_job job = {
		.options = &options,
		.printer = &printer,
		.modules = &mibs.list,
		.root_arg = options.n_objects ? options.objects[0] : ".1.3.6.1.2.1",
	};
	char why[512];
	if (resolve_name(&mibs.list, job.root_arg, &job.root, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s: %s\n", job.root_arg, why);
		status = CLI_EXIT_FAILURE;
	} else {
		status = walk_run(&job);
	}
	cli_mibs_free(&mibs);
	cli_options_free(&options);
	return status;
}
