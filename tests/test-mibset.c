/* mibset against a real snmpd, compared with snmpset on the same agent:
 * what is printed for a SET that works (and snmpget reads the value back),
 * several objects in one request, the agent's refusals (notWritable,
 * noAccess, v1 noSuchName), and what mibset refuses before sending
 * (snmpset leaves some of those to the agent: a deliberate difference). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	test_agent_start(&agent, NULL);
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

static const char *const modules = "SNMPv2-MIB:IF-MIB";

static char *mib_path(void)
{
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana"), *path;
	if (asprintf(&path, "%s:%s", ietf, iana) < 0)
		abort();
	free(ietf);
	free(iana);
	return path;
}

static struct test_run run_mibset(const char *const *args)
{
	return test_built_tool("cli/mibset", args, 60);
}

/* A net-snmp tool with the modules loaded. */
static struct test_run run_tool(const char *tool, const char *const *args)
{
	const char *argv[64];
	size_t n = 0;
	char *path = mib_path();
	argv[n++] = "-M";
	argv[n++] = path;
	argv[n++] = "-m";
	argv[n++] = modules;
	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct test_run r = test_agent_tool(&agent, tool, argv);
	free(path);
	return r;
}

/* mibset and snmpset with the same arguments after the agent's; same
 * output, errors and status. */
static void assert_same(const char *version, const char *community,
			const char *const *triples)
{
	const char *args[32];
	size_t n = 0;
	args[n++] = version;
	args[n++] = "-c";
	args[n++] = community;
	args[n++] = agent.address;
	for (size_t i = 0; triples[i]; i++)
		args[n++] = triples[i];
	args[n] = NULL;
	struct test_run mine = run_mibset(args);
	struct test_run theirs = run_tool("snmpset", args);
	ck_assert_msg(strcmp(mine.out, theirs.out) == 0 && strcmp(mine.err, theirs.err) == 0
		      && mine.status == theirs.status,
		      "mibset (%d):\n%s%s\nsnmpset (%d):\n%s%s", mine.status, mine.out, mine.err,
		      theirs.status, theirs.out, theirs.err);
	test_run_free(&mine);
	test_run_free(&theirs);
}

/* What snmpget prints for `object` now. */
static char *read_back(const char *object)
{
	struct test_run r = run_tool("snmpget", (const char *const[]){
		"-v2c", "-c", "public", agent.address, object, NULL });
	ck_assert_int_eq(r.status, 0);
	char *out = strdup(r.out);
	test_run_free(&r);
	return out;
}

START_TEST(round_trip)
{
	static const char *const versions[] = { "-v1", "-v2c" };
	const char *version = versions[_i];
	char contact[64];
	snprintf(contact, sizeof(contact), "ops desk %s", version + 2);
	struct test_run r = run_mibset((const char *const[]){
		version, "-c", "private", agent.address, "sysContact.0", "=", contact, NULL });
	ck_assert_msg(r.status == 0, "%s", r.err);
	char want[128];
	snprintf(want, sizeof(want), "SNMPv2-MIB::sysContact.0 = STRING: %s\n", contact);
	ck_assert_str_eq(r.out, want);
	test_run_free(&r);
	char *now = read_back("SNMPv2-MIB::sysContact.0");
	ck_assert_str_eq(now, want);
	free(now);

	/* the same request through snmpset prints the same */
	assert_same(version, "private", (const char *const[]){
		"SNMPv2-MIB::sysContact.0", "s", "desk two", NULL });
}
END_TEST

START_TEST(several_in_one_request)
{
	assert_same("-v2c", "private", (const char *const[]){
		"SNMPv2-MIB::sysContact.0", "s", "desk 3", "SNMPv2-MIB::sysName.0", "s", "dome-ctl",
		"SNMPv2-MIB::snmpEnableAuthenTraps.0", "=", "disabled", NULL });
	char *now = read_back("SNMPv2-MIB::snmpEnableAuthenTraps.0");
	ck_assert_str_eq(now, "SNMPv2-MIB::snmpEnableAuthenTraps.0 = INTEGER: disabled(2)\n");
	free(now);
	/* and back, by number */
	assert_same("-v2c", "private", (const char *const[]){
		"SNMPv2-MIB::snmpEnableAuthenTraps.0", "i", "1", NULL });
}
END_TEST

START_TEST(agent_refuses)
{
	/* read-only in the agent, and in the MIB: mibset refuses first */
	struct test_run r = run_mibset((const char *const[]){
		"-v2c", "-c", "private", agent.address, "sysDescr.0", "s", "x", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "sysDescr.0: "));
	test_run_free(&r);
	/* the read-only community: the agent's noAccess, as snmpset shows it */
	assert_same("-v2c", "public", (const char *const[]){
		"SNMPv2-MIB::sysContact.0", "s", "nope", NULL });
	/* an OID no MIB names goes unchecked: the agent's refusal */
	assert_same("-v2c", "private", (const char *const[]){
		".1.3.6.1.4.1.99999.1.0", "s", "x", NULL });
	/* SNMPv1: noSuchName */
	assert_same("-v1", "private", (const char *const[]){
		".1.3.6.1.4.1.99999.1.0", "i", "1", NULL });
}
END_TEST

START_TEST(checked_before_sending)
{
	static const struct {
		const char *triple[3];
		const char *message;
	} cases[] = {
		/* outside the enumeration (snmpset: the agent's wrongValue) */
		{ { "ifAdminStatus.1", "i", "7" }, "ifAdminStatus.1: " },
		{ { "ifAdminStatus.1", "=", "sideways" }, "ifAdminStatus.1: 'sideways'" },
		/* another type than the MIB's */
		{ { "sysContact.0", "i", "5" }, "sysContact.0: " },
		{ { "sysContact.0", "q", "x" }, "unknown type 'q'" },
		{ { "IF-MIB::ifNoSuchThing.1", "i", "1" }, "Unknown Object Identifier" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_run r = run_mibset((const char *const[]){
			"-v2c", "-c", "private", agent.address, cases[i].triple[0],
			cases[i].triple[1], cases[i].triple[2], NULL });
		ck_assert_msg(r.status == 1, "case %zu: %d %s", i, r.status, r.err);
		ck_assert_msg(strstr(r.err, cases[i].message) != NULL, "case %zu: %s", i, r.err);
		ck_assert_str_eq(r.out, "");
		test_run_free(&r);
	}
	struct test_run r = run_mibset((const char *const[]){ agent.address, "sysContact.0",
							      "s", NULL });
	ck_assert_int_eq(r.status, 64);
	test_run_free(&r);
}
END_TEST

int main(void)
{
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("mibset");
	TCase *tc = tcase_create("snmpd");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	tcase_add_loop_test(tc, round_trip, 0, 2);
	tcase_add_test(tc, several_in_one_request);
	tcase_add_test(tc, agent_refuses);
	tcase_add_test(tc, checked_before_sending);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
