/* The SNMPv2-SMI nodes: see smi-nodes.h. */
#include "smi-nodes.h"

const struct smi_node smi_nodes[] = {
	{ "zeroDotZero", 2, { 0, 0 } },
	{ "iso", 1, { 1 } },
	{ "org", 2, { 1, 3 } },
	{ "dod", 3, { 1, 3, 6 } },
	{ "internet", 4, { 1, 3, 6, 1 } },
	{ "directory", 5, { 1, 3, 6, 1, 1 } },
	{ "mgmt", 5, { 1, 3, 6, 1, 2 } },
	{ "mib-2", 6, { 1, 3, 6, 1, 2, 1 } },
	{ "transmission", 7, { 1, 3, 6, 1, 2, 1, 10 } },
	{ "experimental", 5, { 1, 3, 6, 1, 3 } },
	{ "private", 5, { 1, 3, 6, 1, 4 } },
	{ "enterprises", 6, { 1, 3, 6, 1, 4, 1 } },
	{ "security", 5, { 1, 3, 6, 1, 5 } },
	{ "snmpV2", 5, { 1, 3, 6, 1, 6 } },
	{ "snmpDomains", 6, { 1, 3, 6, 1, 6, 1 } },
	{ "snmpProxys", 6, { 1, 3, 6, 1, 6, 2 } },
	{ "snmpModules", 6, { 1, 3, 6, 1, 6, 3 } },
};

const size_t smi_nodes_count = sizeof(smi_nodes) / sizeof(smi_nodes[0]);
