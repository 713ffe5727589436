/* The monitoring examples (examples/) run against simulated devices:
 * snmpd serving tests/data/lantime.conf (a Meinberg LANTIME) and
 * tests/data/ups.conf (a UPS on battery) through `override` lines.  What
 * each example prints is checked against snmpget reading the same objects
 * from the same agent with the vendor's MIB loaded; the libevent example
 * is checked against snmpget too. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	char *lantime_path = test_data_path("data/lantime.conf");
	char *ups_path = test_data_path("data/ups.conf");
	char *lantime = test_read_file(lantime_path, NULL);
	char *ups = test_read_file(ups_path, NULL);
	ck_assert_ptr_nonnull(lantime);
	ck_assert_ptr_nonnull(ups);
	char *config;
	if (asprintf(&config, "%s\n%s", lantime, ups) < 0)
		abort();
	test_agent_start(&agent, config);
	free(config);
	free(lantime);
	free(ups);
	free(lantime_path);
	free(ups_path);
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

/* What snmpget says the value is, without name, type or units
 * (-Oqv -OU), with the vendor MIBs loaded (malloc'd). */
static char *oracle(const char *object)
{
	char *meinberg = test_corpus_path("vendor/meinberg");
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana"), *path;
	if (asprintf(&path, "%s:%s:%s", meinberg, ietf, iana) < 0)
		abort();
	struct test_run r = test_agent_tool(&agent, "snmpget", (const char *const[]){
		"-M", path, "-m", "MBG-SNMP-LTNG-MIB:UPS-MIB:SNMPv2-MIB", "-Oqv", "-OU",
		"-v2c", "-c", "public", agent.address, object, NULL });
	ck_assert_msg(r.status == 0, "snmpget %s: %s", object, r.err);
	char *v = strdup(r.out);
	v[strcspn(v, "\n")] = '\0';
	test_run_free(&r);
	free(path);
	free(meinberg);
	free(ietf);
	free(iana);
	return v;
}

static struct test_run run_example(const char *name, const char *const *args)
{
	char *tool;
	if (asprintf(&tool, "examples/%s", name) < 0)
		abort();
	struct test_run r = test_built_tool(tool, args, 60);
	free(tool);
	return r;
}

static char *port_text(void)
{
	char *p;
	if (asprintf(&p, "%d", agent.port) < 0)
		abort();
	return p;
}

/* `line` (without newline) is one of the lines of `out`. */
static bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void assert_line(const struct test_run *r, const char *fmt, const char *a,
			const char *b, const char *c)
{
	char line[512];
	snprintf(line, sizeof(line), fmt, a, b, c);
	ck_assert_msg(has_line(r->out, line), "no line '%s' in:\n%s", line, r->out);
}

START_TEST(lantime_monitor)
{
	char *port = port_text();
	struct test_run r = run_example("lantime-monitor", (const char *const[]){
		"127.0.0.1", port, NULL });
	static const struct {
		const char *label, *object;
	} items[] = {
		{ "reference clock 1", "MBG-SNMP-LTNG-MIB::mbgLtNgRefclockState.1" },
		{ "NTP", "MBG-SNMP-LTNG-MIB::mbgLtNgNtpCurrentState.0" },
		{ "PTP port 1", "MBG-SNMP-LTNG-MIB::mbgLtNgPtpPortState.1" },
		{ "power supply 1", "MBG-SNMP-LTNG-MIB::mbgLtNgSysPsStatus.1" },
		{ "power supply 2", "MBG-SNMP-LTNG-MIB::mbgLtNgSysPsStatus.2" },
	};
	bool power_down = false;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		char *state = oracle(items[i].object);
		assert_line(&r, "%s: %s%s", items[i].label, state, "");
		if (strncmp(items[i].label, "power", 5) == 0 && strcmp(state, "down") == 0)
			power_down = true;
		free(state);
	}
	/* the simulated device has a failed power supply: CRITICAL */
	ck_assert(power_down);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.out, "LANTIME CRITICAL: power supply 2 down\n"));
	test_run_free(&r);

	/* nobody there: UNKNOWN */
	char dead[16];
	snprintf(dead, sizeof(dead), "%d", test_free_udp_port());
	r = run_example("lantime-monitor", (const char *const[]){ "127.0.0.1", dead, NULL });
	ck_assert_int_eq(r.status, 3);
	ck_assert_ptr_nonnull(strstr(r.out, "LANTIME UNKNOWN"));
	test_run_free(&r);
	free(port);
}
END_TEST

/* "35" -> "3.5" (the MIB's 0.1 units). */
static char *tenths(const char *v)
{
	long n = strtol(v, NULL, 10);
	char *s;
	if (asprintf(&s, "%ld.%ld", n / 10, n % 10) < 0)
		abort();
	return s;
}

START_TEST(ups_monitor)
{
	char *port = port_text();
	struct test_run r = run_example("ups-monitor", (const char *const[]){
		"127.0.0.1", port, NULL });
	char *battery = oracle("UPS-MIB::upsBatteryStatus.0");
	char *minutes = oracle("UPS-MIB::upsEstimatedMinutesRemaining.0");
	char *charge = oracle("UPS-MIB::upsEstimatedChargeRemaining.0");
	assert_line(&r, "battery: %s, %s minutes remaining, %s%% charged", battery, minutes,
		    charge);
	char *source = oracle("UPS-MIB::upsOutputSource.0");
	assert_line(&r, "output source: %s%s%s", source, "", "");

	char *inputs = oracle("UPS-MIB::upsInputNumLines.0");
	for (long line = 1; line <= atol(inputs); line++) {
		char object[128];
		snprintf(object, sizeof(object), "UPS-MIB::upsInputVoltage.%ld", line);
		char *volts = oracle(object);
		snprintf(object, sizeof(object), "UPS-MIB::upsInputFrequency.%ld", line);
		char *freq = oracle(object), *hz = tenths(freq), number[32];
		snprintf(number, sizeof(number), "%ld", line);
		assert_line(&r, "input line %s: %s V, %s Hz", number, volts, hz);
		free(volts);
		free(freq);
		free(hz);
	}
	char *outputs = oracle("UPS-MIB::upsOutputNumLines.0");
	ck_assert_int_gt(atol(outputs), 1);
	for (long line = 1; line <= atol(outputs); line++) {
		char object[128], want[256];
		snprintf(object, sizeof(object), "UPS-MIB::upsOutputVoltage.%ld", line);
		char *volts = oracle(object);
		snprintf(object, sizeof(object), "UPS-MIB::upsOutputCurrent.%ld", line);
		char *current = oracle(object), *amps = tenths(current);
		snprintf(object, sizeof(object), "UPS-MIB::upsOutputPower.%ld", line);
		char *watts = oracle(object);
		snprintf(object, sizeof(object), "UPS-MIB::upsOutputPercentLoad.%ld", line);
		char *load = oracle(object);
		snprintf(want, sizeof(want), "output line %ld: %s V, %s A, %s W, %s%% load",
			 line, volts, amps, watts, load);
		ck_assert_msg(has_line(r.out, want), "no line '%s' in:\n%s", want, r.out);
		free(volts);
		free(current);
		free(amps);
		free(watts);
		free(load);
	}
	/* the simulated UPS runs on battery: WARNING */
	ck_assert_str_eq(source, "battery");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "UPS WARNING: on battery\n"));
	free(battery);
	free(minutes);
	free(charge);
	free(source);
	free(inputs);
	free(outputs);
	test_run_free(&r);
	free(port);
}
END_TEST

START_TEST(libevent_poll)
{
	char *exe;
	if (asprintf(&exe, "%s/examples/libevent-poll", test_env("MIBC_BUILD_ROOT")) < 0)
		abort();
	if (access(exe, X_OK) != 0) {
		free(exe);
		fprintf(stderr, "libevent-poll not built (libevent-dev missing): skipped\n");
		return;
	}
	free(exe);
	/* the same agent twice: two targets sharing the client's socket */
	struct test_run r = run_example("libevent-poll", (const char *const[]){
		"-n", "3", "-i", "100", agent.address, agent.address, NULL });
	ck_assert_msg(r.status == 0, "%s%s", r.out, r.err);
	char *ietf = test_corpus_path("ietf");
	struct test_run name = test_agent_tool(&agent, "snmpget", (const char *const[]){
		"-v2c", "-c", "public", "-m", "SNMPv2-MIB", "-M", ietf,
		agent.address, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.4.0", NULL });
	ck_assert_int_eq(name.status, 0);
	/* snmpget's two lines, each expected twice per round */
	char *lines = strdup(name.out);
	char *save = NULL, *first = strtok_r(lines, "\n", &save), *second = strtok_r(NULL, "\n", &save);
	ck_assert_ptr_nonnull(second);
	int count = 0;
	for (char *s2 = NULL, *l = strtok_r(r.out, "\n", &s2); l; l = strtok_r(NULL, "\n", &s2)) {
		char round[128];
		int n = 0;
		snprintf(round, sizeof(round), "round %d %s ", count / 4 + 1, agent.address);
		ck_assert_msg(strncmp(l, round, strlen(round)) == 0, "line %d: %s", count, l);
		const char *rest = l + strlen(round);
		n = strcmp(rest, first) == 0 || strcmp(rest, second) == 0;
		ck_assert_msg(n, "'%s' is neither '%s' nor '%s'", rest, first, second);
		count++;
	}
	ck_assert_int_eq(count, 12);
	free(lines);
	free(ietf);
	test_run_free(&name);
	test_run_free(&r);
}
END_TEST

int main(void)
{
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("examples");
	TCase *tc = tcase_create("snmpd");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	tcase_add_test(tc, lantime_monitor);
	tcase_add_test(tc, ups_monitor);
	tcase_add_test(tc, libevent_poll);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
