/* mibget: snmpget with names resolved through mibc's descriptors.
 *
 *   mibget -v 2c -c public 192.0.2.10 IF-MIB::ifOperStatus.1 sysUpTime.0
 *   IF-MIB::ifOperStatus.1 = INTEGER: up(1)
 *   SNMPv2-MIB::sysUpTime.0 = Timeticks: (12345) 0:02:03.45
 */
#include <stdlib.h>

#include "get.h"
#include "mibs.h"
#include "options.h"
#include "print.h"
#include "query.h"

static const struct cli_tool mibget = {
	.name = "mibget",
	.arguments = "AGENT[:PORT] OBJECT...\n"
		     "   or: mibget [OPTION]... --targets FILE OBJECT...",
	.summary = "Get SNMP objects (MODULE::name.index, name.index or a numeric OID) from\n"
		   "an agent and print them as snmpget does.",
	.polling = true,
	.min_objects = 1,
};

int main(int argc, char **argv)
{
	struct cli_options options;
	cli_parse(argc, argv, &mibget, &options);
	struct cli_mibs mibs;
	int status = cli_mibs_load(&options, &mibs);
	if (status != 0) {
		cli_options_free(&options);
		return status;
	}
	struct printer printer;
	printer_init(&printer, &options, &mibs.list);
	struct query_object *objects = query_resolve(&mibs.list, options.objects,
						     options.n_objects, mibget.name);
	if (!objects) {
		status = CLI_EXIT_FAILURE;
	} else {
		struct get_job job = {
			.options = &options,
			.printer = &printer,
			.objects = objects,
			.n_objects = options.n_objects,
		};
		status = options.targets_file ? get_poll_targets(&job) : get_one_agent(&job);
	}
	free(objects);
	cli_mibs_free(&mibs);
	cli_options_free(&options);
	return status;
}
