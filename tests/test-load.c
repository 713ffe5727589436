/* The loader (libsmi -> model) on real modules of the shared corpus:
 * concrete facts a MIB reader can check against the RFCs.  Check runs each
 * test in its own process, so libsmi's global state starts fresh. */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "model.h"
#include "testlib.h"

/* ---- staging: a directory with one entry per module, as the worker's --- */

static char *stage_dir;
static int worst_seen = 99; /* lowest severity the callback got */
static int diag_calls;

static void on_diag(const char *path, int line, int severity, const char *message,
		    const char *tag, void *data)
{
	(void)path;
	(void)line;
	(void)message;
	(void)tag;
	ck_assert_ptr_eq(data, &diag_calls);
	diag_calls++;
	if (severity < worst_seen)
		worst_seen = severity;
}

static void setup(void)
{
	stage_dir = test_mkdtemp();
	char *ietf = test_corpus_path("ietf");
	char *iana = test_corpus_path("iana");
	test_link_folder(ietf, stage_dir);
	test_link_folder(iana, stage_dir);
	free(ietf);
	free(iana);
	/* net-snmp's own MIBs, where Debian keeps them. */
	char to[PATH_MAX];
	snprintf(to, sizeof(to), "%s/UCD-SNMP-MIB", stage_dir);
	if (access("/usr/share/snmp/mibs/UCD-SNMP-MIB.txt", R_OK) == 0)
		ck_assert_int_eq(symlink("/usr/share/snmp/mibs/UCD-SNMP-MIB.txt", to), 0);
	ck_assert_int_eq(load_init(stage_dir, on_diag, &diag_calls), 0);
}

static void teardown(void)
{
	load_exit();
	test_rmtree(stage_dir);
	free(stage_dir);
}

static struct model_module *load(const char *module, bool texts)
{
	ck_assert_msg(load_parse(module) == 0, "libsmi cannot load %s", module);
	struct load_options o = { .texts = texts };
	struct model_module *m = load_model(module, module, &o);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->name, module);
	return m;
}

static const struct model_node *node(const struct model_module *m, const char *name)
{
	const struct model_node *n = model_find_node(m, name);
	ck_assert_msg(n != NULL, "%s has no node %s", m->name, name);
	return n;
}

static const struct model_typedef *type(const struct model_module *m, const char *name)
{
	for (size_t i = 0; i < m->n_types; i++)
		if (strcmp(m->types[i].name, name) == 0)
			return &m->types[i];
	ck_abort_msg("%s has no type %s", m->name, name);
	return NULL;
}

static void assert_oid(const struct model_node *n, const char *dotted)
{
	char buf[1024] = "";
	size_t pos = 0;
	for (size_t i = 0; i < n->oid_len; i++)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos,
					i ? ".%u" : "%u", n->oid[i]);
	ck_assert_str_eq(buf, dotted);
}

static void assert_ref(struct model_ref r, const char *module, const char *name)
{
	ck_assert_pstr_eq(r.module, module);
	ck_assert_pstr_eq(r.name, name);
}

static void assert_range(const struct model_syntax *s, size_t i, int64_t min,
			 int64_t max)
{
	ck_assert_uint_gt(s->n_ranges, i);
	ck_assert_int_eq(s->ranges[i].min, min);
	ck_assert_int_eq(s->ranges[i].max, max);
}

static int64_t named_value(const struct model_syntax *s, const char *name)
{
	for (size_t i = 0; i < s->n_named; i++)
		if (strcmp(s->named[i].name, name) == 0)
			return s->named[i].value;
	ck_abort_msg("no named number %s", name);
	return -1;
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(if_mib_syntax)
{
	struct model_module *m = load("IF-MIB", false);
	ck_assert_int_eq(m->language, MODEL_LANGUAGE_SMIV2);

	/* Counter32 and Unsigned32 share libsmi's base type: the wire type
	 * comes from the parent chain. */
	const struct model_node *n = node(m, "ifInOctets");
	ck_assert_int_eq(n->kind, MODEL_NODE_COLUMN);
	assert_oid(n, "1.3.6.1.2.1.2.2.1.10");
	ck_assert_int_eq(n->syntax->wire, MODEL_WIRE_COUNTER32);
	ck_assert_int_eq(n->syntax->base, MODEL_BASE_UNSIGNED32);
	ck_assert_str_eq(n->syntax->base_name, "Counter32");
	assert_ref(n->syntax->type, NULL, NULL);
	assert_ref(n->syntax->written, "SNMPv2-SMI", "Counter32");
	ck_assert_int_eq(n->access, MODEL_ACCESS_READ_ONLY);
	ck_assert_str_eq(n->parent, "ifEntry");
	ck_assert_int_eq(node(m, "ifSpeed")->syntax->wire, MODEL_WIRE_GAUGE32);
	ck_assert_int_eq(node(m, "ifLastChange")->syntax->wire, MODEL_WIRE_TIMETICKS);
	const struct model_node *hc = node(m, "ifHCInOctets");
	ck_assert_int_eq(hc->syntax->wire, MODEL_WIRE_COUNTER64);
	ck_assert_int_eq(hc->syntax->base, MODEL_BASE_UNSIGNED64);

	/* An inline refinement of a TC: its own size, the TC's hint. */
	n = node(m, "ifAlias");
	ck_assert_int_eq(n->syntax->wire, MODEL_WIRE_OCTET_STRING);
	ck_assert(n->syntax->ranges_are_sizes);
	ck_assert_uint_eq(n->syntax->n_ranges, 1);
	assert_range(n->syntax, 0, 0, 64);
	ck_assert(n->syntax->own_ranges);
	assert_ref(n->syntax->type, "SNMPv2-TC", "DisplayString");
	assert_ref(n->syntax->written, "SNMPv2-TC", "DisplayString");
	ck_assert_pstr_eq(n->syntax->display_hint, "255a");
	ck_assert_str_eq(n->syntax->base_name, "OCTET STRING");
	/* ifXEntry AUGMENTS ifEntry (not creatable): plain read-write. */
	ck_assert_int_eq(n->access, MODEL_ACCESS_READ_WRITE);

	/* A TC of another module, enumerated there. */
	n = node(m, "ifType");
	ck_assert_int_eq(n->syntax->base, MODEL_BASE_ENUM);
	ck_assert_int_eq(n->syntax->wire, MODEL_WIRE_INTEGER);
	assert_ref(n->syntax->type, "IANAifType-MIB", "IANAifType");
	ck_assert_uint_gt(n->syntax->n_named, 200);
	ck_assert(!n->syntax->own_named);
	ck_assert_int_eq(named_value(n->syntax, "ethernetCsmacd"), 6);
	ck_assert_int_eq(named_value(n->syntax, "other"), 1);

	/* An inline enumeration, in declaration order. */
	n = node(m, "ifAdminStatus");
	ck_assert(n->syntax->own_named);
	ck_assert_uint_eq(n->syntax->n_named, 3);
	ck_assert_str_eq(n->syntax->named[0].name, "up");
	ck_assert_int_eq(n->syntax->named[2].value, 3);
	assert_ref(n->syntax->written, NULL, "INTEGER");

	/* The module's TCs. */
	const struct model_typedef *t = type(m, "InterfaceIndex");
	ck_assert(t->textual_convention);
	ck_assert_pstr_eq(t->display_hint, "d");
	assert_ref(t->parent, NULL, "Integer32");
	assert_range(t->syntax, 0, 1, 2147483647);
	ck_assert(t->syntax->own_ranges);
	ck_assert_int_eq(t->status, MODEL_STATUS_CURRENT);
	model_module_free(m);
}
END_TEST

START_TEST(if_mib_structure)
{
	struct model_module *m = load("IF-MIB", false);
	/* Field notes' census of IF-MIB's nodes, by kind. */
	size_t count[MODEL_NODE_CAPABILITIES + 1] = {0};
	for (size_t i = 0; i < m->n_nodes; i++)
		count[m->nodes[i].kind]++;
	ck_assert_uint_eq(count[MODEL_NODE_NODE] + count[MODEL_NODE_MODULE_IDENTITY] +
			  count[MODEL_NODE_OBJECT_IDENTITY], 6);
	ck_assert_uint_eq(count[MODEL_NODE_MODULE_IDENTITY], 1);
	ck_assert_uint_eq(count[MODEL_NODE_SCALAR], 3);
	ck_assert_uint_eq(count[MODEL_NODE_TABLE], 5);
	ck_assert_uint_eq(count[MODEL_NODE_ROW], 5);
	ck_assert_uint_eq(count[MODEL_NODE_COLUMN], 53);
	ck_assert_uint_eq(count[MODEL_NODE_NOTIFICATION], 2);
	ck_assert_uint_eq(count[MODEL_NODE_GROUP], 14);
	ck_assert_uint_eq(count[MODEL_NODE_COMPLIANCE], 3);
	for (size_t i = 1; i < m->n_nodes; i++)
		ck_assert_int_le(model_oid_compare(m->nodes[i - 1].oid, m->nodes[i - 1].oid_len,
						   m->nodes[i].oid, m->nodes[i].oid_len), 0);

	/* INDEX and AUGMENTS */
	const struct model_node *n = node(m, "ifEntry");
	ck_assert_int_eq(n->index_kind, MODEL_INDEX_INDEX);
	ck_assert_uint_eq(n->n_index, 1);
	assert_ref(n->index[0].object, "IF-MIB", "ifIndex");
	ck_assert(!n->index[0].implied);
	ck_assert_str_eq(n->parent, "ifTable");
	n = node(m, "ifXEntry");
	ck_assert_int_eq(n->index_kind, MODEL_INDEX_AUGMENTS);
	assert_ref(n->related, "IF-MIB", "ifEntry");
	ck_assert_uint_eq(n->n_index, 1);
	assert_ref(n->index[0].object, "IF-MIB", "ifIndex");
	assert_ref(n->index[0].syntax->type, "IF-MIB", "InterfaceIndex");
	ck_assert(!n->create);

	/* read-create: libsmi says read-write plus a creatable row. */
	n = node(m, "ifStackEntry");
	ck_assert(n->create);
	ck_assert_uint_eq(n->n_index, 2);
	ck_assert_int_eq(node(m, "ifStackStatus")->access, MODEL_ACCESS_READ_CREATE);
	n = node(m, "ifRcvAddressType");
	ck_assert_int_eq(n->access, MODEL_ACCESS_READ_CREATE);
	ck_assert_int_eq(n->default_kind, MODEL_DEFAULT_ENUM);
	ck_assert_str_eq(n->default_value, "volatile");
	ck_assert_str_eq(n->macro, "OBJECT-TYPE");

	n = node(m, "linkDown");
	ck_assert_int_eq(n->kind, MODEL_NODE_NOTIFICATION);
	ck_assert_str_eq(n->macro, "NOTIFICATION-TYPE");
	assert_oid(n, "1.3.6.1.6.3.1.1.5.3");
	ck_assert_uint_eq(n->n_members, 3);
	assert_ref(n->members[0], "IF-MIB", "ifIndex");
	assert_ref(n->members[2], "IF-MIB", "ifOperStatus");
	ck_assert_int_eq(n->access, MODEL_ACCESS_UNKNOWN);

	n = node(m, "ifCompliance3");
	ck_assert_int_eq(n->kind, MODEL_NODE_COMPLIANCE);
	ck_assert_uint_eq(n->n_members, 2);
	assert_ref(n->members[0], "IF-MIB", "ifGeneralInformationGroup");
	ck_assert_uint_eq(n->n_optional, 7);
	assert_ref(n->optional[0], "IF-MIB", "ifFixedLengthGroup");

	n = node(m, "linkUpDownNotificationsGroup");
	ck_assert_str_eq(n->macro, "NOTIFICATION-GROUP");
	ck_assert_int_eq(node(m, "ifMIB")->kind, MODEL_NODE_MODULE_IDENTITY);
	ck_assert_ptr_null(node(m, "ifMIBObjects")->macro);

	/* Module meta */
	ck_assert_uint_eq(m->n_revisions, 3);
	ck_assert_str_eq(m->revisions[0].date, "2000-06-14 00:00");
	ck_assert_pstr_eq(m->last_updated, "2000-06-14 00:00");
	ck_assert_ptr_null(node(m, "ifInOctets")->description);
	bool imported = false;
	for (size_t i = 0; i < m->n_imports; i++)
		imported |= strcmp(m->imports[i].module, "IANAifType-MIB") == 0 &&
			    strcmp(m->imports[i].name, "IANAifType") == 0;
	ck_assert(imported);
	ck_assert_str_eq(m->source_hash, ""); /* the driver's job */
	model_module_free(m);
}
END_TEST

START_TEST(texts)
{
	struct model_module *m = load("IF-MIB", true);
	const struct model_node *n = node(m, "ifInOctets");
	ck_assert_ptr_nonnull(n->description);
	/* Without keep_texts_layout, white space runs become one space. */
	ck_assert_ptr_null(strchr(n->description, '\n'));
	ck_assert_ptr_null(strstr(n->description, "  "));
	ck_assert(strncmp(n->description, "The total number of octets", 26) == 0);
	ck_assert_ptr_nonnull(m->organization);
	model_module_free(m);
}
END_TEST

START_TEST(ip_mib_index)
{
	struct model_module *m = load("IP-MIB", false);
	const struct model_node *n = node(m, "ipAddressEntry");
	ck_assert_uint_eq(n->n_index, 2);
	assert_ref(n->index[0].object, "IP-MIB", "ipAddressAddrType");
	assert_ref(n->index[0].syntax->type, "INET-ADDRESS-MIB", "InetAddressType");
	ck_assert_int_eq(n->index[0].syntax->base, MODEL_BASE_ENUM);
	assert_ref(n->index[1].object, "IP-MIB", "ipAddressAddr");
	assert_ref(n->index[1].syntax->type, "INET-ADDRESS-MIB", "InetAddress");
	ck_assert(n->index[1].syntax->ranges_are_sizes);
	assert_range(n->index[1].syntax, 0, 0, 255);
	ck_assert(!n->index[1].implied);
	ck_assert(n->create);
	ck_assert_int_eq(node(m, "ipAdEntAddr")->syntax->wire, MODEL_WIRE_IPADDRESS);
	model_module_free(m);

	m = load("SNMP-TARGET-MIB", false);
	n = node(m, "snmpTargetAddrEntry");
	ck_assert_uint_eq(n->n_index, 1);
	ck_assert(n->index[0].implied);
	assert_ref(n->index[0].syntax->type, "SNMP-FRAMEWORK-MIB", "SnmpAdminString");
	model_module_free(m);
}
END_TEST

START_TEST(ups_mib)
{
	struct model_module *m = load("UPS-MIB", false);
	const struct model_node *n = node(m, "upsBatteryStatus");
	ck_assert_int_eq(n->kind, MODEL_NODE_SCALAR);
	assert_oid(n, "1.3.6.1.2.1.33.1.2.1");
	ck_assert_uint_eq(n->syntax->n_named, 4);
	ck_assert_int_eq(named_value(n->syntax, "batteryLow"), 3);
	n = node(m, "upsEstimatedMinutesRemaining");
	ck_assert_pstr_eq(n->units, "minutes");
	assert_ref(n->syntax->type, "UPS-MIB", "PositiveInteger");
	n = node(m, "upsInputEntry");
	ck_assert_uint_eq(n->n_index, 1);
	assert_ref(n->index[0].object, "UPS-MIB", "upsInputLineIndex");
	n = node(m, "upsTrapOnBattery");
	ck_assert_int_eq(n->kind, MODEL_NODE_NOTIFICATION);
	ck_assert_uint_eq(n->n_members, 3);
	n = node(m, "upsTestId");
	ck_assert_int_eq(n->syntax->wire, MODEL_WIRE_OID);
	ck_assert_int_eq(n->access, MODEL_ACCESS_READ_WRITE);
	model_module_free(m);
}
END_TEST

START_TEST(smiv1_trap_type)
{
	struct model_module *m = load("RFC1382-MIB", false);
	ck_assert_int_eq(m->language, MODEL_LANGUAGE_SMIV1);
	ck_assert_uint_eq(m->n_revisions, 0);
	ck_assert_ptr_null(m->last_updated);
	const struct model_node *n = node(m, "x25Restart");
	ck_assert_int_eq(n->kind, MODEL_NODE_NOTIFICATION);
	ck_assert_str_eq(n->macro, "TRAP-TYPE");
	/* enterprise x25 (transmission 5) . 0 . specific 1 */
	assert_oid(n, "1.3.6.1.2.1.10.5.0.1");
	ck_assert_uint_eq(n->n_members, 1);
	assert_ref(n->members[0], "RFC1382-MIB", "x25OperIndex");
	n = node(m, "x25AdmnEntry");
	ck_assert_int_eq(n->status, MODEL_STATUS_MANDATORY);
	const struct model_typedef *t = type(m, "X121Address");
	ck_assert(!t->textual_convention);
	assert_range(t->syntax, 0, 0, 17);
	model_module_free(m);

	/* SMIv1 has no read-create, though libsmi marks these rows
	 * creatable. */
	m = load("RFC1271-MIB", false);
	n = node(m, "etherStatsStatus");
	ck_assert_int_eq(n->access, MODEL_ACCESS_READ_WRITE);
	model_module_free(m);
}
END_TEST

START_TEST(ucd_opaque)
{
	if (access("/usr/share/snmp/mibs/UCD-SNMP-MIB.txt", R_OK) != 0)
		return; /* net-snmp's MIBs are not installed */
	struct model_module *m = load("UCD-SNMP-MIB", false);
	const struct model_node *n = node(m, "laLoadFloat");
	ck_assert_int_eq(n->syntax->wire, MODEL_WIRE_OPAQUE);
	ck_assert_str_eq(n->syntax->base_name, "Opaque");
	assert_ref(n->syntax->type, "UCD-SNMP-MIB", "Float");
	assert_range(n->syntax, 0, 7, 7);
	n = node(m, "laEntry");
	assert_ref(n->index[0].object, "UCD-SNMP-MIB", "laIndex");
	assert_range(n->index[0].syntax, 0, 0, 3);
	model_module_free(m);
}
END_TEST

START_TEST(unsigned64_and_quirks)
{
	/* Unsigned64 bounds are kept bit for bit. */
	struct model_module *m = load("HCNUM-TC", false);
	const struct model_typedef *t = type(m, "CounterBasedGauge64");
	ck_assert_int_eq(t->syntax->base, MODEL_BASE_UNSIGNED64);
	ck_assert_int_eq(t->syntax->wire, MODEL_WIRE_COUNTER64);
	ck_assert_uint_eq((uint64_t)t->syntax->ranges[0].max, UINT64_MAX);
	model_module_free(m);

	/* libsmi's invented revision for LAST-UPDATED is not a revision. */
	m = load("ACCOUNTING-CONTROL-MIB", false);
	ck_assert_uint_eq(m->n_revisions, 0);
	ck_assert_pstr_eq(m->last_updated, "1998-09-28 10:00");
	model_module_free(m);

	/* libsmi's garbage for a hex bound is clamped to the type's limit. */
	m = load("SYSAPPL-MIB", false);
	const struct model_node *n = node(m, "sysApplPastRunMaxRows");
	assert_range(n->syntax, 0, 0, 4294967295);
	model_module_free(m);

	/* Names inside OID values ({ enterprises pwg(2699) }) define no
	 * node. */
	m = load("Job-Monitoring-MIB", false);
	ck_assert_ptr_null(model_find_node(m, "pwg"));
	ck_assert_ptr_nonnull(model_find_node(m, "jobmonMIB"));
	model_module_free(m);
}
END_TEST

START_TEST(failures_and_diagnostics)
{
	ck_assert_int_eq(load_parse("NO-SUCH-MIB"), -1);
	ck_assert_ptr_null(load_model("NO-SUCH-MIB", "x", NULL));

	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/BROKEN-MIB", stage_dir);
	static const char broken[] =
		"BROKEN-MIB DEFINITIONS ::= BEGIN\n"
		"IMPORTS OBJECT-TYPE, Integer32, mib-2 FROM SNMPv2-SMI;\n"
		"brokenThing OBJECT-TYPE\n"
		"    SYNTAX Integer32\n"
		"    MAX-ACCESS read-only\n"
		"    STATUS current\n"
		"    DESCRIPTION \"x\"\n"
		"    ::= { noSuchParent 1 }\n"
		"END\n";
	test_write_file(path, broken, sizeof(broken) - 1);
	load_parse("BROKEN-MIB");
	ck_assert_int_gt(diag_calls, 0);
	ck_assert_int_le(worst_seen, 2);
	ck_assert_int_le(load_worst_severity("BROKEN-MIB"), 2);
	/* A model of what libsmi made of it, without crashing. */
	struct model_module *m = load_model("BROKEN-MIB", "BROKEN-MIB", NULL);
	if (m)
		model_module_free(m);
}
END_TEST

START_TEST(model_helpers)
{
	const uint32_t a[] = {1, 3, 6}, b[] = {1, 3, 6, 1}, c[] = {1, 4};
	ck_assert_int_lt(model_oid_compare(a, 3, b, 4), 0);
	ck_assert_int_gt(model_oid_compare(c, 2, b, 4), 0);
	ck_assert_int_eq(model_oid_compare(b, 4, b, 4), 0);
	ck_assert_str_eq(model_access_name(MODEL_ACCESS_READ_CREATE), "read-create");
	ck_assert_str_eq(model_access_name(MODEL_ACCESS_NOTIFY), "accessible-for-notify");
	ck_assert_str_eq(model_status_name(MODEL_STATUS_DEPRECATED), "deprecated");
	ck_assert_str_eq(model_wire_name(MODEL_WIRE_COUNTER64), "Counter64");
	ck_assert_str_eq(model_node_kind_name(MODEL_NODE_COLUMN), "column");
	ck_assert_str_eq(model_base_name(MODEL_BASE_OCTET_STRING), "OctetString");
	model_module_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("load");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, if_mib_syntax);
	tcase_add_test(tc, if_mib_structure);
	tcase_add_test(tc, texts);
	tcase_add_test(tc, ip_mib_index);
	tcase_add_test(tc, ups_mib);
	tcase_add_test(tc, smiv1_trap_type);
	tcase_add_test(tc, ucd_opaque);
	tcase_add_test(tc, unsigned64_and_quirks);
	tcase_add_test(tc, failures_and_diagnostics);
	tcase_add_test(tc, model_helpers);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
