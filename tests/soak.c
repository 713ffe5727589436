/* Soak: typed GETs through the fault-injecting proxy against a real snmpd,
 * a window of them in flight, until REQUESTS have completed; prints the
 * resident set size (from /proc/self/statm) every tenth of the run (every
 * 100k requests for the default million) and fails when it grew after the
 * warm-up, when a callback ran twice, when a success carried a wrong value
 * or a request ended with anything but a value, MIBC_E_TIMEOUT or (for
 * mangled answers) MIBC_E_DECODE.
 *
 *   soak [REQUESTS [SEED]]        (default 1000000, seed 1)
 *
 * Run by hand for the million; the test suite runs a short one. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <mibc/mibc.h>

#include "if-mib.h"
#include "snmpv2-mib.h"

#include "agent.h"
#include "faultproxy.h"
#include "testlib.h"

enum { WINDOW = 256 };

/* What the agent serves (read once without the proxy). */
static struct {
	char contact[256];
	char if_descr[256];
	int32_t if_mtu;
	enum ianaiftype_mib_iana_if_type if_type;
} want;

enum kind { K_CONTACT, K_UPTIME, K_IF_DESCR, K_IF_MTU, K_IF_TYPE, K_IF_HC_IN, N_KINDS };

struct slot {
	struct mibc_get req;
	enum kind kind;
	int calls;
	struct slot *next_free;
};

static struct {
	size_t started, done;
	size_t ok, timeout, decode, other, wrong_value, twice;
	struct slot *free;
	struct slot slots[WINDOW];
} soak;

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The value, decoded by the object's own typed reader, is what snmpd
 * serves. */
static bool value_right(enum kind kind, const struct mibc_value *v)
{
	const char *s;
	int32_t i;
	uint32_t u;
	uint64_t u64;
	enum ianaiftype_mib_iana_if_type type;
	switch (kind) {
	case K_CONTACT:
		return snmpv2_mib_sys_contact_value(v, &s, NULL) == 0
		       && strcmp(s, want.contact) == 0;
	case K_UPTIME:
		return snmpv2_mib_sys_up_time_value(v, &u) == 0;
	case K_IF_DESCR:
		return if_mib_if_descr_value(v, &s, NULL) == 0 && strcmp(s, want.if_descr) == 0;
	case K_IF_MTU:
		return if_mib_if_mtu_value(v, &i) == 0 && i == want.if_mtu;
	case K_IF_TYPE:
		return if_mib_if_type_value(v, &type) == 0 && type == want.if_type;
	case K_IF_HC_IN:
		return if_mib_if_hc_in_octets_value(v, &u64) == 0;
	default:
		return false;
	}
}

static void soak_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct slot *sl = req->data;
	if (++sl->calls > 1) {
		soak.twice++;
		return;
	}
	soak.done++;
	if (status == 0) {
		if (value_right(sl->kind, value))
			soak.ok++;
		else
			soak.wrong_value++;
	} else if (status == MIBC_E_TIMEOUT) {
		soak.timeout++;
	} else if (status == MIBC_E_DECODE) {
		soak.decode++;
	} else {
		soak.other++;
	}
	/* reused after dispatch returns: the runtime is done with it then */
	sl->next_free = soak.free;
	soak.free = sl;
}

static int start(struct mibc_target *t, struct slot *sl, enum kind kind)
{
	sl->kind = kind;
	sl->calls = 0;
	sl->req.data = sl;
	switch (kind) {
	case K_CONTACT:
		return snmpv2_mib_sys_contact_get(t, &sl->req, soak_cb);
	case K_UPTIME:
		return snmpv2_mib_sys_up_time_get(t, &sl->req, soak_cb);
	case K_IF_DESCR:
		return if_mib_if_descr_get(t, &sl->req, 1, soak_cb);
	case K_IF_MTU:
		return if_mib_if_mtu_get(t, &sl->req, 1, soak_cb);
	case K_IF_TYPE:
		return if_mib_if_type_get(t, &sl->req, 1, soak_cb);
	default:
		return if_mib_if_hc_in_octets_get(t, &sl->req, 1, soak_cb);
	}
}

static size_t n_requests = 1000000;
static uint64_t seed = 1;

static void read_want(int port)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)port;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	struct mibc_value *v;
	const char *s;
	static const uint32_t zero[] = { 0 }, one[] = { 1 };
	ck_assert_int_eq(mibc_get_wait(t, &snmpv2_mib_sys_contact_desc, zero, 1, &v), 0);
	ck_assert_int_eq(snmpv2_mib_sys_contact_value(v, &s, NULL), 0);
	snprintf(want.contact, sizeof(want.contact), "%s", s);
	mibc_value_free(v);
	ck_assert_int_eq(mibc_get_wait(t, &if_mib_if_descr_desc, one, 1, &v), 0);
	ck_assert_int_eq(if_mib_if_descr_value(v, &s, NULL), 0);
	snprintf(want.if_descr, sizeof(want.if_descr), "%s", s);
	mibc_value_free(v);
	ck_assert_int_eq(mibc_get_wait(t, &if_mib_if_mtu_desc, one, 1, &v), 0);
	ck_assert_int_eq(if_mib_if_mtu_value(v, &want.if_mtu), 0);
	mibc_value_free(v);
	ck_assert_int_eq(mibc_get_wait(t, &if_mib_if_type_desc, one, 1, &v), 0);
	ck_assert_int_eq(if_mib_if_type_value(v, &want.if_type), 0);
	mibc_value_free(v);
	mibc_client_free(c);
}

START_TEST(soak_run)
{
	struct test_agent agent;
	test_agent_start(&agent, "sysContact mibc soak <mibc@example.org>\n");
	read_want(agent.port);
	struct faultproxy_config faults = {
		.seed = seed, .drop = 0.05, .delay = 0.05, .delay_max_ms = 300,
		.duplicate = 0.05, .reorder = 0.05, .truncate = 0.01, .corrupt = 0.01,
		.wrong_port = 0.01,
	};
	struct faultproxy *fp;
	ck_assert_int_eq(faultproxy_start(&fp, (uint16_t)agent.port, &faults), 0);
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = faultproxy_port(fp);
	cfg.timeout_ms = 200;
	cfg.retries = 3;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);

	memset(&soak, 0, sizeof(soak));
	for (size_t i = WINDOW; i-- > 0;) {
		soak.slots[i].next_free = soak.free;
		soak.free = &soak.slots[i];
	}
	size_t report_every = n_requests >= 1000000 ? 100000 : (n_requests + 9) / 10;
	size_t next_report = report_every;
	/* warm-up: the first report; RSS after it must stay flat */
	long rss_warm = 0, rss_max_after = 0;
	double t0 = now_s();
	printf("soak: %zu typed GETs, %d in flight, seed %" PRIu64 ", through the fault proxy "
	       "(drop 5%%, delay 5%% up to 300 ms, duplicate 5%%, reorder 5%%, truncate 1%%, "
	       "corrupt 1%%, wrong port 1%%), timeout 200 ms x 4 tries\n",
	       n_requests, WINDOW, seed);
	printf("%10s %8s %9s %10s %8s %7s %10s\n", "requests", "seconds", "GET/s", "ok",
	       "timeout", "decode", "RSS KiB");
	int ep = mibc_client_fd(c);
	while (soak.done < n_requests) {
		while (soak.free && soak.started < n_requests) {
			struct slot *sl = soak.free;
			soak.free = sl->next_free;
			ck_assert_int_eq(start(t, sl, (enum kind)(soak.started % N_KINDS)), 0);
			soak.started++;
		}
		struct epoll_event ev;
		epoll_wait(ep, &ev, 1, mibc_client_timeout(c));
		ck_assert_int_eq(mibc_client_dispatch(c), 0);
		if (soak.done >= next_report) {
			long rss = rss_kb();
			double el = now_s() - t0;
			printf("%10zu %8.1f %9.0f %10zu %8zu %7zu %10ld\n", soak.done, el,
			       (double)soak.done / el, soak.ok, soak.timeout, soak.decode, rss);
			fflush(stdout);
			if (!rss_warm)
				rss_warm = rss;
			else if (rss > rss_max_after)
				rss_max_after = rss;
			next_report += report_every;
		}
	}
	struct faultproxy_stats st;
	faultproxy_get_stats(fp, &st);
	printf("proxy: %lu requests, %lu replies, %lu dropped, %lu delayed, %lu duplicated, "
	       "%lu reordered, %lu truncated, %lu corrupted, %lu wrong port\n",
	       st.requests, st.replies, st.dropped, st.delayed, st.duplicated, st.reordered,
	       st.truncated, st.corrupted, st.wrong_port);
	printf("RSS after warm-up %ld KiB, highest later %ld KiB (%+ld KiB)\n", rss_warm,
	       rss_max_after, rss_max_after - rss_warm);
	ck_assert_uint_eq(mibc_client_pending(c), 0);
	mibc_client_free(c);
	faultproxy_stop(fp);
	test_agent_stop(&agent);
	ck_assert_uint_eq(soak.twice, 0);
	ck_assert_uint_eq(soak.wrong_value, 0);
	ck_assert_uint_eq(soak.other, 0);
	ck_assert_uint_eq(soak.ok + soak.timeout + soak.decode, n_requests);
	ck_assert_uint_le(soak.decode, st.truncated + st.corrupted);
	/* with 4 tries and these faults nearly all succeed */
	ck_assert_uint_ge(soak.ok * 100, n_requests * 95);
	/* flat: allocator noise only, nothing per request (AddressSanitizer
	 * keeps freed memory in quarantine: there only its leak check counts) */
#ifndef __SANITIZE_ADDRESS__
	ck_assert_msg(rss_max_after <= rss_warm + 512, "RSS grew from %ld to %ld KiB",
		      rss_warm, rss_max_after);
#endif
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		n_requests = strtoull(argv[1], NULL, 10);
	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0);
	if (argc > 3 || n_requests < 10) {
		fprintf(stderr, "usage: %s [REQUESTS (>= 10) [SEED]]\n", argv[0]);
		return 64;
	}
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed\n");
		return 77;
	}
	Suite *s = suite_create("soak");
	TCase *tc = tcase_create("soak");
	tcase_set_timeout(tc, 24 * 3600);
	tcase_add_test(tc, soak_run);
	suite_add_tcase(s, tc);
	return test_run_suite(s) == EXIT_SUCCESS ? EXIT_SUCCESS : EXIT_FAILURE;
}
