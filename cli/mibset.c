/* mibset: snmpset with names and values checked against mibc's
 * descriptors before anything is sent.
 *
 *   mibset -v 2c -c private 192.0.2.10 sysContact.0 = "ops desk" \
 *          ifAdminStatus.2 = down
 */
#include <stdio.h>
#include <stdlib.h>

#include "mibs.h"
#include "options.h"
#include "print.h"
#include "set.h"

static const struct cli_tool mibset = {
	.name = "mibset",
	.arguments = "AGENT[:PORT] OBJECT TYPE VALUE...",
	.summary = "Set SNMP objects in one request, as snmpset does.  TYPE: = (the MIB's\n"
		   "type: enumeration labels and DISPLAY-HINT forms), i, u, c, C, t, a, o,\n"
		   "s, x, d, b (snmpset's letters).  Values are checked against the MIB\n"
		   "(access, type, range, size, enumeration) before anything is sent.",
	.min_objects = 3,
};

int main(int argc, char **argv)
{
	struct cli_options options;
	cli_parse(argc, argv, &mibset, &options);
	struct cli_mibs mibs;
	int status = cli_mibs_load(&options, &mibs);
	if (status != 0) {
		cli_options_free(&options);
		return status;
	}
	struct printer printer;
	printer_init(&printer, &options, &mibs.list);
	struct set_job job = { .options = &options, .printer = &printer, .modules = &mibs.list };
	status = set_run(&job);
	cli_mibs_free(&mibs);
	cli_options_free(&options);
	return status;
}
