/* The compiled-in modules (see builtin.h).  The `builtin` test checks
 * that every module of generated/sources.txt is listed here. */
#include "builtin.h"

#include "entity-mib.h"
#include "entity-sensor-mib.h"
#include "hcnum-tc.h"
#include "host-resources-mib.h"
#include "iana-entity-mib.h"
#include "ianaiftype-mib.h"
#include "ibootpdu-mib.h"
#include "if-mib.h"
#include "inet-address-mib.h"
#include "ip-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "mbg-snmp-root-mib.h"
#include "net-snmp-agent-mib.h"
#include "net-snmp-extend-mib.h"
#include "net-snmp-mib.h"
#include "powernet-mib.h"
#include "rfc1213-mib.h"
#include "snmp-framework-mib.h"
#include "snmpv2-mib.h"
#include "snmpv2-tc.h"
#include "ucd-snmp-mib.h"
#include "ups-mib.h"
#include "uuid-tc-mib.h"

const struct mibc_module_desc *const cli_builtin_modules[] = {
	&entity_mib_module,
	&entity_sensor_mib_module,
	&hcnum_tc_module,
	&host_resources_mib_module,
	&iana_entity_mib_module,
	&ianaiftype_mib_module,
	&ibootpdu_mib_module,
	&if_mib_module,
	&inet_address_mib_module,
	&ip_mib_module,
	&mbg_snmp_ltng_mib_module,
	&mbg_snmp_root_mib_module,
	&net_snmp_agent_mib_module,
	&net_snmp_extend_mib_module,
	&net_snmp_mib_module,
	&powernet_mib_module,
	&snmp_framework_mib_module,
	&snmpv2_mib_module,
	&snmpv2_tc_module,
	&ucd_snmp_mib_module,
	&ups_mib_module,
	&uuid_tc_mib_module,
	&rfc1213_mib_module,
};

const size_t cli_n_builtin_modules = MIBC_N_ELEMENTS(cli_builtin_modules);
