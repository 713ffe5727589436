/* The nodes SNMPv2-SMI defines (internet, mib-2, enterprises,
 * snmpModules...) as a module of descriptors.  No generated module has
 * them (SNMPv2-SMI is a stub), and RFC1213-MIB, which defines mib-2 again,
 * would otherwise name `.1.3.6.1.2.1.49` as `RFC1213-MIB::mib-2.49` where
 * net-snmp says `SNMPv2-SMI::mib-2.49`.  First in the tools' module
 * list. */
#ifndef MIBC_CLI_SMI_MODULE_H
#define MIBC_CLI_SMI_MODULE_H

#include <mibc/desc.h>

extern const struct mibc_module_desc cli_smi_module;

#endif
