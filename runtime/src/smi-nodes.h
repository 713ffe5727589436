/* The SNMPv2-SMI nodes (private): the names the formatter gives OIDs no
 * given module names, and the parser reads back. */
#ifndef MIBC_SMI_NODES_H
#define MIBC_SMI_NODES_H

#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

struct smi_node {
	const char *name;
	uint8_t len;
	uint32_t oid[8];
};

extern const struct smi_node smi_nodes[];
extern const size_t smi_nodes_count;

#pragma GCC visibility pop

#endif
