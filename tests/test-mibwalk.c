/* mibwalk against a real snmpd, compared with snmpwalk on the same agent
 * for the same subtrees (output, errors, exit status), v2c (GETBULK) and
 * v1 (GETNEXT); --csv checked against snmpwalk's lines of the same table;
 * --json.  Only subtrees whose values do not change between two walks are
 * compared (no counters, no sysUpTime).
 *
 * Deliberate differences from snmpwalk (README.md, "mibwalk"): usage
 * errors exit 64; an agent that returns OIDs out of order is reported
 * without the two OIDs; names come from the built-in modules and -m only. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	test_agent_start(&agent, "sysLocation Dome \"A\", pier 2\n");
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

/* The modules mibwalk has built in (generated/sources.txt) that name
 * something snmpd serves: snmpwalk gets the same, so both name every OID
 * alike. */
static const char *const builtin_modules =
	"SNMPv2-MIB:IF-MIB:IP-MIB:HOST-RESOURCES-MIB:UCD-SNMP-MIB:NET-SNMP-AGENT-MIB:"
	"NET-SNMP-EXTEND-MIB:NET-SNMP-MIB:SNMP-FRAMEWORK-MIB:SNMP-NOTIFICATION-MIB:"
	"SNMP-TARGET-MIB:ENTITY-MIB:ENTITY-SENSOR-MIB:UPS-MIB:HCNUM-TC:INET-ADDRESS-MIB:"
	"UUID-TC-MIB:IANAifType-MIB:IANA-ENTITY-MIB";

static char *mib_path(void)
{
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana"), *path;
	if (asprintf(&path, "%s:%s:/usr/share/snmp/mibs", ietf, iana) < 0)
		abort();
	free(ietf);
	free(iana);
	return path;
}

static struct test_run run_mibwalk(const char *const *args)
{
	return test_built_tool("cli/mibwalk", args, 120);
}

static struct test_run run_snmpwalk(const char *const *args)
{
	const char *argv[64];
	size_t n = 0;
	char *path = mib_path();
	argv[n++] = "-M";
	argv[n++] = path;
	argv[n++] = "-m";
	argv[n++] = builtin_modules;
	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct test_run r = test_agent_tool(&agent, "snmpwalk", argv);
	free(path);
	return r;
}

static void assert_same_walk(const char *version, const char *root)
{
	const char *args[] = { version, "-c", "public", agent.address, root, NULL };
	struct test_run mine = run_mibwalk(args);
	struct test_run theirs = run_snmpwalk(args);
	ck_assert_msg(strcmp(mine.out, theirs.out) == 0,
		      "%s %s: stdout differs:\n-- mibwalk (%d):\n%s%s\n-- snmpwalk (%d):\n%s%s",
		      version, root, mine.status, mine.out, mine.err, theirs.status, theirs.out,
		      theirs.err);
	ck_assert_msg(strcmp(mine.err, theirs.err) == 0, "%s %s: stderr: '%s' vs '%s'",
		      version, root, mine.err, theirs.err);
	ck_assert_int_eq(mine.status, theirs.status);
	test_run_free(&mine);
	test_run_free(&theirs);
}

static const char *const subtrees[] = {
	"SNMPv2-MIB::sysORTable", "sysDescr", "sysContact", "sysName", "sysLocation",
	"IF-MIB::ifDescr", "ifType", "ifMtu", "ifPhysAddress", "ifAdminStatus", "ifName",
	"hrStorageDescr", "hrStorageType", "hrStorageAllocationUnits", "laNames",
	"ipAdEntAddr", "ipAdEntNetMask",
	/* ~400 rows with string and OID indexes: many GETBULK pages */
	"NET-SNMP-AGENT-MIB::nsModuleName", "nsModuleTimeout",
	".1.3.6.1.2.1.1.9", "1.3.6.1.4.1.99999", "sysName.0", "ifDescr.1",
	NULL,
};

START_TEST(walks_v2c)
{
	assert_same_walk("-v2c", subtrees[_i]);
}
END_TEST

START_TEST(walks_v1)
{
	assert_same_walk("-v1", subtrees[_i]);
}
END_TEST

START_TEST(timeout)
{
	char dead[64];
	snprintf(dead, sizeof(dead), "127.0.0.1:%d", test_free_udp_port());
	const char *args[] = { "-v2c", "-c", "public", "-t", "0.3", "-r", "0", dead,
			       "1.3.6.1.2.1.1", NULL };
	struct test_run mine = run_mibwalk(args);
	struct test_run theirs = test_agent_tool(&agent, "snmpwalk", args);
	ck_assert_int_eq(mine.status, theirs.status);
	ck_assert_str_eq(mine.out, theirs.out);
	ck_assert_str_eq(mine.err, theirs.err);
	test_run_free(&mine);
	test_run_free(&theirs);
}
END_TEST

/* CSV fields back from one line (RFC 4180 quoting), in place. */
static size_t csv_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *w = line, *p = line;
	while (n < max) {
		fields[n++] = w;
		if (*p == '"') {
			p++;
			for (; *p; p++) {
				if (*p == '"' && p[1] == '"')
					*w++ = *p++;
				else if (*p == '"')
					break;
				else
					*w++ = *p;
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		bool more = *p == ',';
		*w++ = '\0';
		if (!more)
			break;
		p++;
	}
	return n;
}

START_TEST(csv)
{
	struct test_run mine = run_mibwalk((const char *const[]){
		"--csv", agent.address, "sysORTable", NULL });
	ck_assert_msg(mine.status == 0, "%s", mine.err);
	struct test_run theirs = run_snmpwalk((const char *const[]){
		"-v2c", "-c", "public", agent.address, "SNMPv2-MIB::sysORTable", NULL });
	ck_assert_int_eq(theirs.status, 0);
	/* every snmpwalk line `SNMPv2-MIB::COLUMN.INDEX = TYPE: VALUE` is the
	 * cell of that row and column */
	char *save = NULL, *header = strtok_r(mine.out, "\n", &save);
	ck_assert_str_eq(header, "index,sysORID,sysORDescr,sysORUpTime");
	char *rows[64][4];
	size_t n_rows = 0;
	for (char *l = strtok_r(NULL, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		ck_assert_uint_lt(n_rows, 64);
		ck_assert_uint_eq(csv_fields(l, rows[n_rows], 4), 4);
		n_rows++;
	}
	size_t cells = 0;
	char *s2 = NULL;
	for (char *l = strtok_r(theirs.out, "\n", &s2); l; l = strtok_r(NULL, "\n", &s2)) {
		char *eq = strstr(l, " = "), *colon = eq ? strstr(eq, ": ") : NULL;
		ck_assert_ptr_nonnull(colon);
		*eq = '\0';
		const char *name = strstr(l, "::") + 2;
		const char *dot = strchr(name, '.');
		int column = strncmp(name, "sysORID.", 8) == 0 ? 1
			     : strncmp(name, "sysORDescr.", 11) == 0 ? 2 : 3;
		bool found = false;
		for (size_t r = 0; r < n_rows && !found; r++) {
			if (strcmp(rows[r][0], dot + 1) != 0)
				continue;
			ck_assert_str_eq(rows[r][column], colon + 2);
			found = true;
		}
		ck_assert_msg(found, "no row %s", dot + 1);
		cells++;
	}
	ck_assert_uint_eq(cells, n_rows * 3);
	test_run_free(&mine);
	test_run_free(&theirs);

	/* not a table: said so */
	mine = run_mibwalk((const char *const[]){ "--csv", agent.address, "sysName", NULL });
	ck_assert_int_eq(mine.status, 64);
	ck_assert_ptr_nonnull(strstr(mine.err, "--csv needs a table"));
	test_run_free(&mine);
}
END_TEST

START_TEST(json)
{
	struct test_run r = run_mibwalk((const char *const[]){
		"--json", agent.address, "ifDescr", NULL });
	ck_assert_msg(r.status == 0, "%s", r.err);
	char *head;
	if (asprintf(&head, "{\"agent\":\"%s\",\"values\":[{\"name\":\"IF-MIB::ifDescr.1\","
			    "\"oid\":\"1.3.6.1.2.1.2.2.1.2.1\",\"type\":\"OCTET STRING\","
			    "\"value\":\"lo\",\"text\":\"lo\"}", agent.address) < 0)
		abort();
	ck_assert_msg(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
	ck_assert_str_eq(r.out + strlen(r.out) - 3, "]}\n");
	free(head);
	test_run_free(&r);
}
END_TEST

/* --max-instances: the first N instances as without it, then an error. */
START_TEST(max_instances)
{
	struct test_run all = run_mibwalk((const char *const[]){ agent.address, "system", NULL });
	ck_assert_msg(all.status == 0, "%s", all.err);
	struct test_run cut = run_mibwalk((const char *const[]){
		"--max-instances", "3", agent.address, "system", NULL });
	ck_assert_int_eq(cut.status, 1);
	ck_assert_msg(strstr(cut.err, "more instances than the walk's limit") != NULL,
		      "%s", cut.err);
	/* the first three lines (sysDescr, sysObjectID, sysUpTime: the
	 * ticks differ between the two runs, so compare up to its value) */
	const char *nl = cut.out;
	for (int i = 0; i < 2; i++)
		nl = strchr(nl, '\n') + 1;
	ck_assert(strncmp(cut.out, all.out, (size_t)(nl - cut.out)) == 0);
	ck_assert(strncmp(nl, "SNMPv2-MIB::sysUpTime.0 = Timeticks: ", 37) == 0);
	ck_assert_ptr_null(strchr(strchr(nl, '\n') + 1, '\n'));
	test_run_free(&all);
	test_run_free(&cut);
	struct test_run bad = run_mibwalk((const char *const[]){
		"--max-instances", "lots", agent.address, NULL });
	ck_assert_int_eq(bad.status, 64);
	test_run_free(&bad);
}
END_TEST

START_TEST(usage_errors)
{
	struct test_run r = run_mibwalk((const char *const[]){ agent.address, "sysName",
							       "ifDescr", NULL });
	ck_assert_int_eq(r.status, 64);
	ck_assert_ptr_nonnull(strstr(r.err, "one subtree at a time"));
	test_run_free(&r);
	r = run_mibwalk((const char *const[]){ "-Cx", agent.address, NULL });
	ck_assert_int_eq(r.status, 64);
	ck_assert_ptr_nonnull(strstr(r.err, "only -Cc"));
	test_run_free(&r);
	r = run_mibwalk((const char *const[]){ agent.address, "IF-MIB::ifNoSuchThing", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "IF-MIB::ifNoSuchThing: Unknown Object Identifier\n");
	test_run_free(&r);
}
END_TEST

int main(void)
{
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("mibwalk");
	TCase *tc = tcase_create("snmpd");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	size_t n = 0;
	while (subtrees[n])
		n++;
	tcase_add_loop_test(tc, walks_v2c, 0, (int)n);
	tcase_add_loop_test(tc, walks_v1, 0, (int)n);
	tcase_add_test(tc, timeout);
	tcase_add_test(tc, csv);
	tcase_add_test(tc, json);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, max_instances);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
