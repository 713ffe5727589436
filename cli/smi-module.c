/* SNMPv2-SMI's nodes as descriptors (see smi-module.h).  `iso` is left
 * out: an OID under iso and nothing else prints as `iso.N`, as the
 * formatter does without a module. */
#include "smi-module.h"

static const uint32_t zeroDotZero_oid[] = { 0, 0 };
static const uint32_t org_oid[] = { 1, 3 };
static const uint32_t dod_oid[] = { 1, 3, 6 };
static const uint32_t internet_oid[] = { 1, 3, 6, 1 };
static const uint32_t directory_oid[] = { 1, 3, 6, 1, 1 };
static const uint32_t mgmt_oid[] = { 1, 3, 6, 1, 2 };
static const uint32_t mib_2_oid[] = { 1, 3, 6, 1, 2, 1 };
static const uint32_t transmission_oid[] = { 1, 3, 6, 1, 2, 1, 10 };
static const uint32_t experimental_oid[] = { 1, 3, 6, 1, 3 };
static const uint32_t private_oid[] = { 1, 3, 6, 1, 4 };
static const uint32_t enterprises_oid[] = { 1, 3, 6, 1, 4, 1 };
static const uint32_t security_oid[] = { 1, 3, 6, 1, 5 };
static const uint32_t snmpV2_oid[] = { 1, 3, 6, 1, 6 };
static const uint32_t snmpDomains_oid[] = { 1, 3, 6, 1, 6, 1 };
static const uint32_t snmpProxys_oid[] = { 1, 3, 6, 1, 6, 2 };
static const uint32_t snmpModules_oid[] = { 1, 3, 6, 1, 6, 3 };

static const struct mibc_object_desc zeroDotZero_desc = {
	.name = "zeroDotZero", .module = &cli_smi_module, .oid = zeroDotZero_oid,
	.oid_len = MIBC_N_ELEMENTS(zeroDotZero_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc org_desc = {
	.name = "org", .module = &cli_smi_module, .oid = org_oid,
	.oid_len = MIBC_N_ELEMENTS(org_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc dod_desc = {
	.name = "dod", .module = &cli_smi_module, .oid = dod_oid,
	.oid_len = MIBC_N_ELEMENTS(dod_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc internet_desc = {
	.name = "internet", .module = &cli_smi_module, .oid = internet_oid,
	.oid_len = MIBC_N_ELEMENTS(internet_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc directory_desc = {
	.name = "directory", .module = &cli_smi_module, .oid = directory_oid,
	.oid_len = MIBC_N_ELEMENTS(directory_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc mgmt_desc = {
	.name = "mgmt", .module = &cli_smi_module, .oid = mgmt_oid,
	.oid_len = MIBC_N_ELEMENTS(mgmt_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc mib_2_desc = {
	.name = "mib-2", .module = &cli_smi_module, .oid = mib_2_oid,
	.oid_len = MIBC_N_ELEMENTS(mib_2_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc transmission_desc = {
	.name = "transmission", .module = &cli_smi_module, .oid = transmission_oid,
	.oid_len = MIBC_N_ELEMENTS(transmission_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc experimental_desc = {
	.name = "experimental", .module = &cli_smi_module, .oid = experimental_oid,
	.oid_len = MIBC_N_ELEMENTS(experimental_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc private_desc = {
	.name = "private", .module = &cli_smi_module, .oid = private_oid,
	.oid_len = MIBC_N_ELEMENTS(private_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc enterprises_desc = {
	.name = "enterprises", .module = &cli_smi_module, .oid = enterprises_oid,
	.oid_len = MIBC_N_ELEMENTS(enterprises_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc security_desc = {
	.name = "security", .module = &cli_smi_module, .oid = security_oid,
	.oid_len = MIBC_N_ELEMENTS(security_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc snmpV2_desc = {
	.name = "snmpV2", .module = &cli_smi_module, .oid = snmpV2_oid,
	.oid_len = MIBC_N_ELEMENTS(snmpV2_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc snmpDomains_desc = {
	.name = "snmpDomains", .module = &cli_smi_module, .oid = snmpDomains_oid,
	.oid_len = MIBC_N_ELEMENTS(snmpDomains_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc snmpProxys_desc = {
	.name = "snmpProxys", .module = &cli_smi_module, .oid = snmpProxys_oid,
	.oid_len = MIBC_N_ELEMENTS(snmpProxys_oid), .kind = MIBC_KIND_NODE,
};
static const struct mibc_object_desc snmpModules_desc = {
	.name = "snmpModules", .module = &cli_smi_module, .oid = snmpModules_oid,
	.oid_len = MIBC_N_ELEMENTS(snmpModules_oid), .kind = MIBC_KIND_NODE,
};

/* in OID order, as mibc_module_find_node() needs */
static const struct mibc_object_desc *const nodes[] = {
	&zeroDotZero_desc,
	&org_desc,
	&dod_desc,
	&internet_desc,
	&directory_desc,
	&mgmt_desc,
	&mib_2_desc,
	&transmission_desc,
	&experimental_desc,
	&private_desc,
	&enterprises_desc,
	&security_desc,
	&snmpV2_desc,
	&snmpDomains_desc,
	&snmpProxys_desc,
	&snmpModules_desc,
};

const struct mibc_module_desc cli_smi_module = {
	.abi = MIBC_DESC_ABI,
	.name = "SNMPv2-SMI",
	.generator = "mibget",
	.nodes = nodes,
	.n_nodes = MIBC_N_ELEMENTS(nodes),
};
