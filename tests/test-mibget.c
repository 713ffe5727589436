/* mibget against a real snmpd, compared with snmpget on the same agent
 * for the same objects: standard output, standard error and exit status,
 * for values of every type, exceptions, a v1 noSuchName, a timeout, an
 * unknown name, SNMPv3, and modules loaded at start-up (-m).
 *
 * Deliberate differences from snmpget (README.md, "mibget"), kept out of
 * the comparisons here:
 * - usage errors exit 64 (snmpget: 1);
 * - several v1 noSuchName objects are reported in request order (snmpget
 *   reports the last one first);
 * - only the built-in modules and those given with -m name things, so an
 *   OID of a module neither has prints as its nearest known node (snmpget
 *   with -m ALL knows every module in its path);
 * - snmpget with DISMAN-EXPRESSION-MIB loaded calls sysUpTime.0
 *   "sysUpTimeInstance"; mibget always says SNMPv2-MIB::sysUpTime.0.
 * And what mibget has that snmpget has not: --json, --targets. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	test_agent_start(&agent,
			 "createUser alice SHA alicepass1 AES alicepriv1\n"
			 "rouser alice priv\n"
			 "sysLocation Dome \"A\", pier 2\n"
			 "override .1.3.6.1.4.1.2021.254.1.0 counter 4000000000\n"
			 "override .1.3.6.1.4.1.2021.254.2.0 octet_str \"tab\there\"\n");
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

/* The MIB path snmpget gets: the corpus and net-snmp's own MIBs. */
static char *mib_path(void)
{
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana"), *path;
	if (asprintf(&path, "%s:%s:/usr/share/snmp/mibs", ietf, iana) < 0)
		abort();
	free(ietf);
	free(iana);
	return path;
}

/* mibget with `args` (NULL-terminated). */
static struct test_run run_mibget(const char *const *args)
{
	return test_built_tool("cli/mibget", args, 60);
}

/* snmpget with these modules loaded from mib_path(), then `args`. */
static struct test_run run_snmpget(const char *modules, const char *const *args)
{
	const char *argv[64];
	size_t n = 0;
	char *path = mib_path();
	argv[n++] = "-M";
	argv[n++] = path;
	argv[n++] = "-m";
	argv[n++] = modules;
	for (size_t i = 0; args[i]; i++) {
		ck_assert_uint_lt(n, 62);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	struct test_run r = test_agent_tool(&agent, "snmpget", argv);
	free(path);
	return r;
}

/* Both tools, the same arguments after the agent's; same output. */
static void assert_same(const char *modules, const char *const *tool_args,
			const char *const *objects, bool compare_stderr)
{
	const char *a[64], *b[64];
	size_t n = 0;
	for (size_t i = 0; tool_args[i]; i++)
		a[n++] = tool_args[i];
	a[n++] = agent.address;
	for (size_t i = 0; objects[i]; i++) {
		ck_assert_uint_lt(n, 62);
		a[n++] = objects[i];
	}
	a[n] = NULL;
	memcpy(b, a, sizeof(a));
	struct test_run mine = run_mibget(a);
	/* test_agent_tool already says -r 0 -t 5: the same for mibget */
	struct test_run theirs = run_snmpget(modules, b);
	ck_assert_msg(strcmp(mine.out, theirs.out) == 0,
		      "stdout differs:\n-- mibget (%d):\n%s%s\n-- snmpget (%d):\n%s%s",
		      mine.status, mine.out, mine.err, theirs.status, theirs.out, theirs.err);
	if (compare_stderr)
		ck_assert_msg(strcmp(mine.err, theirs.err) == 0,
			      "stderr differs:\n-- mibget:\n%s\n-- snmpget:\n%s", mine.err,
			      theirs.err);
	ck_assert_msg(mine.status == theirs.status, "exit status: mibget %d, snmpget %d: %s",
		      mine.status, theirs.status, mine.err);
	test_run_free(&mine);
	test_run_free(&theirs);
}

static const char *const standard_modules =
	"SNMPv2-MIB:IF-MIB:IP-MIB:HOST-RESOURCES-MIB:UCD-SNMP-MIB:NET-SNMP-AGENT-MIB:"
	"SNMP-FRAMEWORK-MIB";

/* Objects of every type snmpd serves without changing between two reads. */
static const char *const values[] = {
	"SNMPv2-MIB::sysDescr.0", "sysContact.0", "sysName.0", "sysLocation.0",
	"sysServices.0", "sysORID.1", "sysORDescr.1", "sysORUpTime.1",
	"ifNumber.0", "IF-MIB::ifDescr.1", "ifType.1", "ifMtu.1", "ifSpeed.1",
	"ifPhysAddress.1", "ifAdminStatus.1", "ifOperStatus.1", "ifName.1",
	"ifHighSpeed.1", "ifPromiscuousMode.1", "ifConnectorPresent.1",
	"hrStorageDescr.1", "hrStorageType.1", "hrStorageAllocationUnits.1",
	"hrMemorySize.0", "ipForwarding.0", "ipDefaultTTL.0",
	"ipAdEntAddr.127.0.0.1", "ipAdEntNetMask.127.0.0.1",
	"memTotalReal.0", "laNames.1", "snmpEngineID.0", "nsCacheDefaultTimeout.0",
	/* numeric OIDs: sysName.0, then the overrides (no module names them) */
	".1.3.6.1.2.1.1.5.0", "1.3.6.1.4.1.2021.254.1.0", ".1.3.6.1.4.1.2021.254.2.0",
	/* exceptions */
	"IF-MIB::ifDescr.99", "IF-MIB::ifDescr", ".1.3.6.1.4.1.99999.1.0",
	NULL,
};

START_TEST(values_v2c)
{
	assert_same(standard_modules, (const char *const[]){ "-v2c", "-c", "public", NULL },
		    values, true);
}
END_TEST

START_TEST(values_v1)
{
	/* v1 has no exceptions: the ones that exist only */
	assert_same(standard_modules, (const char *const[]){ "-v1", "-c", "public", NULL },
		    values + 1, false);
}
END_TEST

START_TEST(values_v1_no_such_name)
{
	assert_same(standard_modules, (const char *const[]){ "-v1", "-c", "public", NULL },
		    (const char *const[]){ "IF-MIB::ifDescr.1", "IF-MIB::ifDescr.99",
					   "sysName.0", NULL }, true);
}
END_TEST

START_TEST(values_v3)
{
	assert_same(standard_modules,
		    (const char *const[]){ "-v3", "-u", "alice", "-l", "authPriv", "-a", "SHA",
					   "-A", "alicepass1", "-x", "AES", "-X",
					   "alicepriv1", NULL },
		    (const char *const[]){ "sysName.0", "ifDescr.1", "ifOperStatus.1", NULL },
		    true);
}
END_TEST

START_TEST(v3_wrong_password)
{
	struct test_run r = run_mibget((const char *const[]){
		"-v3", "-u", "alice", "-l", "authPriv", "-A", "wrongpass1", "-X", "alicepriv1",
		"-r", "0", agent.address, "sysName.0", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "mibget: Authentication failure (incorrect password, "
				"community or key)\n");
	test_run_free(&r);
}
END_TEST

START_TEST(unknown_name)
{
	/* both stop before sending: same message, status 1 */
	assert_same(standard_modules, (const char *const[]){ "-v2c", "-c", "public", NULL },
		    (const char *const[]){ "IF-MIB::ifNoSuchThing.1", NULL }, true);
}
END_TEST

START_TEST(timeout)
{
	char dead[64];
	snprintf(dead, sizeof(dead), "127.0.0.1:%d", test_free_udp_port());
	/* numeric: snmpget runs without MIBs here */
	const char *args[] = { "-v2c", "-c", "public", "-t", "0.3", "-r", "0", dead,
			       "1.3.6.1.2.1.1.5.0", NULL };
	struct test_run mine = run_mibget(args);
	struct test_run theirs = test_agent_tool(&agent, "snmpget", args);
	ck_assert_int_eq(mine.status, theirs.status);
	ck_assert_str_eq(mine.out, theirs.out);
	ck_assert_str_eq(mine.err, theirs.err);
	char want[128];
	snprintf(want, sizeof(want), "Timeout: No Response from %s.\n", dead);
	ck_assert_str_eq(mine.err, want);
	test_run_free(&mine);
	test_run_free(&theirs);
}
END_TEST

/* -m: modules loaded at start-up name what the built-in ones cannot. */
START_TEST(loaded_modules)
{
	char *ietf = test_corpus_path("ietf");
	char *iana = test_corpus_path("iana");
	const char *objects[] = { "sysObjectID.0",
				  "SNMP-VIEW-BASED-ACM-MIB::vacmSecurityToGroupStatus.3.\"alice\"",
				  "vacmGroupName.3.\"alice\"",
				  "vacmGroupName.3.5.97.108.105.99.101", NULL };
	const char *args[64];
	size_t n = 0;
	args[n++] = "--mib-source";
	args[n++] = ietf;
	args[n++] = "--mib-source";
	args[n++] = iana;
	args[n++] = "--mib-source";
	args[n++] = "/usr/share/snmp/mibs";
	args[n++] = "-m";
	args[n++] = "NET-SNMP-TC:SNMP-VIEW-BASED-ACM-MIB";
	args[n++] = "-r";
	args[n++] = "0";
	args[n++] = agent.address;
	for (size_t i = 0; objects[i]; i++)
		args[n++] = objects[i];
	args[n] = NULL;
	struct test_run mine = run_mibget(args);
	struct test_run theirs = run_snmpget("SNMPv2-MIB:NET-SNMP-TC:SNMP-VIEW-BASED-ACM-MIB",
		(const char *const[]){ "-v2c", "-c", "public", agent.address, objects[0],
				       objects[1], objects[2], objects[3], NULL });
	ck_assert_int_eq(theirs.status, 0);
	ck_assert_msg(strcmp(mine.out, theirs.out) == 0, "mibget:\n%s%s\nsnmpget:\n%s",
		      mine.out, mine.err, theirs.out);
	ck_assert_int_eq(mine.status, 0);
	ck_assert_ptr_nonnull(strstr(mine.out, "NET-SNMP-TC::linux"));
	test_run_free(&mine);
	test_run_free(&theirs);

	/* a module no source has: the loader's error, status 1 */
	mine = run_mibget((const char *const[]){ "--mib-source", ietf, "-m",
						 "MIBC-NO-SUCH-MIB", agent.address,
						 "sysName.0", NULL });
	ck_assert_int_eq(mine.status, 1);
	ck_assert_ptr_nonnull(strstr(mine.err, "MIBC-NO-SUCH-MIB"));
	ck_assert_str_eq(mine.out, "");
	test_run_free(&mine);
	free(ietf);
	free(iana);
}
END_TEST

START_TEST(json)
{
	struct test_run r = run_mibget((const char *const[]){
		"--json", agent.address, "ifOperStatus.1", "ifDescr.1", "ifPhysAddress.1",
		"sysUpTime.0", "ifDescr.99", "ipAdEntAddr.127.0.0.1", "sysObjectID.0",
		"1.3.6.1.4.1.2021.254.1.0", "1.3.6.1.4.1.2021.254.2.0", NULL });
	ck_assert_msg(r.status == 0, "%s", r.err);
	char *head;
	if (asprintf(&head, "{\"agent\":\"%s\",\"values\":[", agent.address) < 0)
		abort();
	ck_assert_msg(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
	free(head);
	static const char *const parts[] = {
		"{\"name\":\"IF-MIB::ifOperStatus.1\",\"oid\":\"1.3.6.1.2.1.2.2.1.8.1\","
		"\"type\":\"INTEGER\",\"value\":1,\"enum\":\"up\",\"text\":\"up(1)\"}",
		"{\"name\":\"IF-MIB::ifDescr.1\",\"oid\":\"1.3.6.1.2.1.2.2.1.2.1\","
		"\"type\":\"OCTET STRING\",\"value\":\"lo\",\"text\":\"lo\"}",
		"\"name\":\"IF-MIB::ifPhysAddress.1\",\"oid\":\"1.3.6.1.2.1.2.2.1.6.1\","
		"\"type\":\"OCTET STRING\",\"value\":\"\",\"text\":\"\"}",
		"\"name\":\"SNMPv2-MIB::sysUpTime.0\",\"oid\":\"1.3.6.1.2.1.1.3.0\","
		"\"type\":\"TimeTicks\",\"value\":",
		"{\"name\":\"IF-MIB::ifDescr.99\",\"oid\":\"1.3.6.1.2.1.2.2.1.2.99\","
		"\"exception\":\"noSuchInstance\"}",
		"\"type\":\"IpAddress\",\"value\":\"127.0.0.1\"",
		"\"type\":\"OBJECT IDENTIFIER\",\"value\":\"1.3.6.1.4.1.8072.3.2.10\"",
		"\"type\":\"Counter32\",\"value\":4000000000,",
		"\"value\":\"tab\\there\"",
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(parts); i++)
		ck_assert_msg(strstr(r.out, parts[i]) != NULL, "missing %s in %s", parts[i], r.out);
	ck_assert_str_eq(r.out + strlen(r.out) - 3, "]}\n");
	test_run_free(&r);
}
END_TEST

START_TEST(targets)
{
	char *dir = test_mkdtemp(), *file, *text;
	if (asprintf(&file, "%s/targets", dir) < 0
	    || asprintf(&text, "# the test agent, and one nobody answers for\n%s\n\n"
			       "127.0.0.1:%d  \n", agent.address, test_free_udp_port()) < 0)
		abort();
	test_write_file(file, text, strlen(text));
	struct test_run r = run_mibget((const char *const[]){
		"-t", "0.2", "-r", "0", "--targets", file, "--interval", "0.5", "--count", "2",
		"sysName.0", "ifOperStatus.1", NULL });
	ck_assert_msg(r.status == 0, "%s", r.err);
	/* per round: the live agent first (the other one is waiting for its
	 * timeout), then the dead one */
	int lines = 0, ok = 0, timeouts = 0;
	for (char *save = NULL, *l = strtok_r(r.out, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		lines++;
		ck_assert_msg(l[0] == '{' && l[strlen(l) - 1] == '}', "%s", l);
		char round[32];
		snprintf(round, sizeof(round), "\"round\":%d,", (lines + 1) / 2);
		ck_assert_msg(strstr(l, round) != NULL, "line %d: %s", lines, l);
		ck_assert_ptr_nonnull(strstr(l, "\"time\":\"20"));
		if (strstr(l, "\"error\":\"MIBC_E_TIMEOUT\""))
			timeouts++;
		else if (strstr(l, "\"name\":\"IF-MIB::ifOperStatus.1\"") && strstr(l, agent.address))
			ok++;
	}
	ck_assert_int_eq(lines, 4);
	ck_assert_int_eq(ok, 2);
	ck_assert_int_eq(timeouts, 2);
	test_run_free(&r);

	/* a bad line: said where, status 1 */
	test_write_file(file, "127.0.0.1:99999\n", 16);
	r = run_mibget((const char *const[]){ "--targets", file, "sysName.0", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "targets:1: 127.0.0.1:99999: '99999' is not a port"));
	test_run_free(&r);
	test_rmtree(dir);
	free(dir);
	free(file);
	free(text);
}
END_TEST

START_TEST(usage_errors)
{
	static const struct {
		const char *args[8];
		const char *message;
	} cases[] = {
		{ { "-v", "4", "127.0.0.1", "sysName.0" }, "-v: unknown '4'" },
		{ { "127.0.0.1" }, "no object given" },
		{ { NULL }, "no agent given" },
		{ { "-v3", "127.0.0.1", "sysName.0" }, "-v 3 needs a user name" },
		{ { "-t", "x", "127.0.0.1", "sysName.0" }, "-t: 'x' is not a number" },
		{ { "--count", "2", "127.0.0.1", "sysName.0" }, "need --targets" },
		{ { "127.0.0.1:0", "sysName.0" }, "'0' is not a port number" },
		{ { "--mib-source", "/tmp", "127.0.0.1", "sysName.0" }, "without -m" },
		{ { "--frobnicate" }, "Try 'mibget --help'" },
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(cases); i++) {
		struct test_run r = run_mibget(cases[i].args);
		ck_assert_msg(r.status == 64, "case %zu: status %d", i, r.status);
		ck_assert_msg(strstr(r.err, cases[i].message) != NULL, "case %zu: %s", i, r.err);
		ck_assert_str_eq(r.out, "");
		test_run_free(&r);
	}
	struct test_run r = run_mibget((const char *const[]){ "--help", NULL });
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: mibget"));
	test_run_free(&r);
}
END_TEST

int main(void)
{
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("mibget");
	TCase *tc = tcase_create("snmpd");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	tcase_add_test(tc, values_v2c);
	tcase_add_test(tc, values_v1);
	tcase_add_test(tc, values_v1_no_such_name);
	tcase_add_test(tc, values_v3);
	tcase_add_test(tc, v3_wrong_password);
	tcase_add_test(tc, unknown_name);
	tcase_add_test(tc, timeout);
	tcase_add_test(tc, loaded_modules);
	tcase_add_test(tc, json);
	tcase_add_test(tc, targets);
	tcase_add_test(tc, usage_errors);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
