/* The any-PDU layer (mibc_pdu_send): GETNEXT, GETBULK and SET against a
 * real snmpd over v1, v2c and v3, every varbind checked against the
 * net-snmp tools on the same agent; agent errors with their varbinds;
 * timeouts, cancel and refused requests. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	/* no sysContact/sysLocation lines: snmpd makes configured ones
	 * read-only, and the SET tests write them */
	test_agent_start(&agent,
		"createUser rwuser SHA rwuser-auth-pw AES rwuser-priv-pw\n"
		"rwuser rwuser priv\n");
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS | MIBC_FORMAT_NUMERIC_ENUMS,
};

/* One PDU and what its callback saw: the varbinds as snmpget -On -Oe
 * lines, one per line. */
struct result {
	struct mibc_pdu req;
	int calls;
	int status;
	int32_t error_status, error_index;
	size_t n_vbs;
	char lines[16384];
};

static void result_cb(struct mibc_pdu *req, int status)
{
	struct result *r = req->data;
	ck_assert_ptr_eq(&r->req, req);
	r->calls++;
	r->status = status;
	ck_assert_int_eq(req->status, status);
	r->error_status = req->error_status;
	r->error_index = req->error_index;
	r->n_vbs = req->n_vbs;
	r->lines[0] = 0;
	size_t used = 0;
	for (size_t i = 0; i < req->n_vbs; i++) {
		struct mibc_raw_value raw;
		ck_assert_int_eq(mibc_value_raw(req->vbs[i].value, &raw), 0);
		char line[2048];
		int len = mibc_format_varbind_line(NULL, req->vbs[i].oid,
						   req->vbs[i].oid_len, &raw,
						   &numeric, line, sizeof(line));
		ck_assert(len >= 0 && (size_t)len < sizeof(line));
		int n = snprintf(r->lines + used, sizeof(r->lines) - used, "%s\n", line);
		ck_assert(n > 0 && (size_t)n < sizeof(r->lines) - used);
		used += (size_t)n;
	}
}

static struct mibc_target *target_v(struct mibc_client *c, enum mibc_version v,
				    const char *community, int port)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)port;
	cfg.version = v;
	cfg.community = community;
	cfg.timeout_ms = 2000;
	cfg.retries = 1;
	if (v == MIBC_VERSION_3) {
		cfg.user = "rwuser";
		cfg.auth_password = "rwuser-auth-pw";
		cfg.priv_password = "rwuser-priv-pw";
	}
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	return t;
}

/* Parse a dotted OID into `sub`: the length. */
static size_t parse_oid(const char *text, uint32_t *sub)
{
	size_t n = 0;
	const char *p = text;
	while (*p) {
		if (*p == '.')
			p++;
		char *end;
		sub[n++] = (uint32_t)strtoul(p, &end, 10);
		ck_assert(end != p);
		p = end;
	}
	return n;
}

/* Send one PDU and run the loop until its callback ran (exactly once). */
static void send_and_wait(struct mibc_client *c, struct mibc_target *t,
			  struct result *r)
{
	r->req.data = r;
	ck_assert_int_eq(mibc_pdu_send(t, &r->req, result_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(r->calls, 1);
}

/* Trailing spaces removed from each line (snmpget prints
 * "Hex-STRING: 00 11 " with one). */
static void trim_lines(char *s)
{
	char *w = s;
	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t keep = len;
		while (keep && line[keep - 1] == ' ')
			keep--;
		memmove(w, line, keep);
		w += keep;
		*w++ = '\n';
		line = nl ? nl + 1 : line + len;
	}
	*w = 0;
}

/* What a net-snmp tool prints, lines trimmed (malloc'd). */
static char *tool_lines(const char *tool, const char *const *args)
{
	struct test_run run = test_agent_tool(&agent, tool, args);
	ck_assert_msg(run.status == 0, "%s: %s", tool, run.err);
	char *out = malloc(strlen(run.out) + 2);
	strcpy(out, run.out);
	test_run_free(&run);
	trim_lines(out);
	return out;
}

START_TEST(getnext_v1_v2c)
{
	static const enum mibc_version versions[] = { MIBC_VERSION_1, MIBC_VERSION_2C };
	static const char *const flags[] = { "-v1", "-v2c" };
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	for (int v = 0; v < 2; v++) {
		struct mibc_target *t = target_v(c, versions[v], "public", agent.port);
		/* ifDescr, ifType, ifMtu of the first interface, in one PDU */
		static const char *const starts[] = {
			".1.3.6.1.2.1.2.2.1.2", ".1.3.6.1.2.1.2.2.1.3", ".1.3.6.1.2.1.2.2.1.4",
		};
		uint32_t oids[3][MIBC_OID_MAX_LEN];
		struct mibc_varbind_out out[3];
		for (int i = 0; i < 3; i++)
			out[i] = (struct mibc_varbind_out){
				.oid = oids[i], .oid_len = parse_oid(starts[i], oids[i]) };
		struct result *r = calloc(1, sizeof(*r));
		r->req.type = MIBC_PDU_GETNEXT;
		r->req.out = out;
		r->req.n_out = 3;
		send_and_wait(c, t, r);
		ck_assert_int_eq(r->status, 0);
		ck_assert_uint_eq(r->n_vbs, 3);
		trim_lines(r->lines);
		char *want = tool_lines("snmpgetnext", (const char *const[]){
			"-On", "-Oe", flags[v], "-c", "public", agent.address,
			starts[0], starts[1], starts[2], NULL });
		ck_assert_str_eq(r->lines, want);
		free(want);
		free(r);
	}
	mibc_client_free(c);
}
END_TEST

static void getbulk_check(struct mibc_client *c, struct mibc_target *t,
			  const char *const *auth)
{
	/* sysDescr as non-repeater, then 12 rows of the interfaces' and
	 * the system group's columns */
	static const char *const starts[] = {
		".1.3.6.1.2.1.1.1", ".1.3.6.1.2.1.2.2.1.1", ".1.3.6.1.2.1.1.2",
	};
	uint32_t oids[3][MIBC_OID_MAX_LEN];
	struct mibc_varbind_out out[3];
	for (int i = 0; i < 3; i++)
		out[i] = (struct mibc_varbind_out){
			.oid = oids[i], .oid_len = parse_oid(starts[i], oids[i]) };
	struct result *r = calloc(1, sizeof(*r));
	r->req.type = MIBC_PDU_GETBULK;
	r->req.bulk_non_repeaters = 1;
	r->req.bulk_max_repetitions = 12;
	r->req.out = out;
	r->req.n_out = 3;
	send_and_wait(c, t, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_uint_eq(r->n_vbs, 1 + 2 * 12);
	trim_lines(r->lines);
	const char *args[32];
	size_t n = 0;
	args[n++] = "-On";
	args[n++] = "-Oe";
	args[n++] = "-Cn1";
	args[n++] = "-Cr12";
	for (; *auth; auth++)
		args[n++] = *auth;
	args[n++] = agent.address;
	for (int i = 0; i < 3; i++)
		args[n++] = starts[i];
	args[n] = NULL;
	char *want = tool_lines("snmpbulkget", args);
	/* sysUpTime ticks between the two requests: compare without it */
	for (char *p = strstr(want, "Timeticks: ("); p; p = strstr(p + 1, "Timeticks: ("))
		for (char *q = p + 12; *q && *q != '\n'; q++)
			*q = 'X';
	for (char *p = strstr(r->lines, "Timeticks: ("); p; p = strstr(p + 1, "Timeticks: ("))
		for (char *q = p + 12; *q && *q != '\n'; q++)
			*q = 'X';
	ck_assert_str_eq(r->lines, want);
	free(want);
	free(r);
}

START_TEST(getbulk_v2c)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "public", agent.port);
	getbulk_check(c, t, (const char *const[]){ "-v2c", "-c", "public", NULL });
	mibc_client_free(c);
}
END_TEST

START_TEST(getbulk_v3)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_3, NULL, agent.port);
	getbulk_check(c, t, (const char *const[]){
		"-v3", "-u", "rwuser", "-l", "authPriv", "-a", "SHA", "-A",
		"rwuser-auth-pw", "-x", "AES", "-X", "rwuser-priv-pw", NULL });
	mibc_client_free(c);
}
END_TEST

/* SET sysLocation.0 to `text` through `t`, then check with snmpget. */
static void set_location(struct mibc_client *c, struct mibc_target *t,
			 const char *text)
{
	uint32_t oid[MIBC_OID_MAX_LEN];
	struct mibc_varbind_out out = {
		.oid = oid, .oid_len = parse_oid(".1.3.6.1.2.1.1.6.0", oid),
		.value = { .wire = MIBC_WIRE_OCTET_STRING,
			   .octets = (const uint8_t *)text, .len = strlen(text) },
	};
	struct result *r = calloc(1, sizeof(*r));
	r->req.type = MIBC_PDU_SET;
	r->req.out = &out;
	r->req.n_out = 1;
	send_and_wait(c, t, r);
	ck_assert_int_eq(r->status, 0);
	char want[256];
	snprintf(want, sizeof(want), ".1.3.6.1.2.1.1.6.0 = STRING: \"%s\"\n", text);
	ck_assert_str_eq(r->lines, want);
	char *got = tool_lines("snmpget", (const char *const[]){
		"-On", "-v2c", "-c", "public", agent.address, ".1.3.6.1.2.1.1.6.0", NULL });
	ck_assert_str_eq(got, want);
	free(got);
	free(r);
}

START_TEST(set_round_trip)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	set_location(c, target_v(c, MIBC_VERSION_2C, "private", agent.port),
		     "rack 7, set over v2c");
	set_location(c, target_v(c, MIBC_VERSION_1, "private", agent.port),
		     "rack 8, set over v1");
	set_location(c, target_v(c, MIBC_VERSION_3, NULL, agent.port),
		     "rack 9, set over v3");
	mibc_client_free(c);
}
END_TEST

/* The agent's error-status comes back with its index and varbinds. */
START_TEST(set_errors)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "private", agent.port);
	uint32_t loc[MIBC_OID_MAX_LEN], descr[MIBC_OID_MAX_LEN];
	size_t loc_len = parse_oid(".1.3.6.1.2.1.1.6.0", loc);
	size_t descr_len = parse_oid(".1.3.6.1.2.1.1.1.0", descr);
	struct mibc_varbind_out out[2] = {
		{ .oid = loc, .oid_len = loc_len,
		  .value = { .wire = MIBC_WIRE_OCTET_STRING,
			     .octets = (const uint8_t *)"x", .len = 1 } },
		{ .oid = descr, .oid_len = descr_len,
		  .value = { .wire = MIBC_WIRE_OCTET_STRING,
			     .octets = (const uint8_t *)"y", .len = 1 } },
	};
	struct result *r = calloc(1, sizeof(*r));
	/* sysDescr is read-only: notWritable (17), the second varbind */
	r->req.type = MIBC_PDU_SET;
	r->req.out = out;
	r->req.n_out = 2;
	send_and_wait(c, t, r);
	ck_assert_int_eq(r->status, MIBC_E_NOT_WRITABLE);
	ck_assert_int_eq(r->error_status, 17);
	ck_assert_int_eq(r->error_index, 2);
	ck_assert_uint_eq(r->n_vbs, 2);
	/* an INTEGER for a DisplayString: wrongType (7) */
	memset(r, 0, sizeof(*r));
	out[0].value = (struct mibc_data){ .wire = MIBC_WIRE_INTEGER, .i = 5 };
	r->req.type = MIBC_PDU_SET;
	r->req.out = out;
	r->req.n_out = 1;
	send_and_wait(c, t, r);
	ck_assert_int_eq(r->status, MIBC_E_AGENT_WRONG_TYPE);
	ck_assert_int_eq(r->error_status, 7);
	ck_assert_int_eq(r->error_index, 1);
	/* v1: the same maps to badValue / noSuchName (RFC 2576 4.3) */
	struct mibc_target *t1 = target_v(c, MIBC_VERSION_1, "private", agent.port);
	memset(r, 0, sizeof(*r));
	r->req.type = MIBC_PDU_SET;
	r->req.out = out;
	r->req.n_out = 1;
	send_and_wait(c, t1, r);
	ck_assert_int_eq(r->status, MIBC_E_BAD_VALUE);
	ck_assert_int_eq(r->error_status, 3);
	/* read-only community: noAccess (6) in v2c */
	struct mibc_target *ro = target_v(c, MIBC_VERSION_2C, "public", agent.port);
	memset(r, 0, sizeof(*r));
	out[0].value = (struct mibc_data){ .wire = MIBC_WIRE_OCTET_STRING,
					   .octets = (const uint8_t *)"z", .len = 1 };
	r->req.type = MIBC_PDU_SET;
	r->req.out = out;
	r->req.n_out = 1;
	send_and_wait(c, ro, r);
	ck_assert_int_eq(r->status, MIBC_E_NO_ACCESS);
	ck_assert_int_eq(r->error_status, 6);
	free(r);
	mibc_client_free(c);
}
END_TEST

/* Refused before anything is sent: the callback never runs. */
START_TEST(refused)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	int port = test_free_udp_port();
	struct mibc_target *v1 = target_v(c, MIBC_VERSION_1, "public", port);
	struct mibc_target *v2 = target_v(c, MIBC_VERSION_2C, "public", port);
	uint32_t oid[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	struct mibc_varbind_out out = { .oid = oid, .oid_len = 9 };
	struct result r = { 0 };
	r.req.data = &r;
	r.req.out = &out;
	r.req.n_out = 1;
	r.req.type = MIBC_PDU_GETBULK;
	ck_assert_int_eq(mibc_pdu_send(v1, &r.req, result_cb), MIBC_E_INVAL);
	r.req.type = (enum mibc_pdu_type)0xa2; /* a Response */
	ck_assert_int_eq(mibc_pdu_send(v2, &r.req, result_cb), MIBC_E_INVAL);
	r.req.type = MIBC_PDU_SET;
	out.value = (struct mibc_data){ .wire = MIBC_WIRE_INTEGER, .i = (int64_t)1 << 40 };
	ck_assert_int_eq(mibc_pdu_send(v2, &r.req, result_cb), MIBC_E_INVAL);
	out.value = (struct mibc_data){ .wire = MIBC_WIRE_IPADDRESS,
					.octets = (const uint8_t *)"abc", .len = 3 };
	ck_assert_int_eq(mibc_pdu_send(v2, &r.req, result_cb), MIBC_E_INVAL);
	out.value = (struct mibc_data){ .wire = MIBC_WIRE_COUNTER64, .u = 1 };
	ck_assert_int_eq(mibc_pdu_send(v1, &r.req, result_cb), MIBC_E_INVAL);
	/* a SET that cannot fit in one datagram */
	static uint8_t big[70000];
	out.value = (struct mibc_data){ .wire = MIBC_WIRE_OCTET_STRING,
					.octets = big, .len = sizeof(big) };
	ck_assert_int_eq(mibc_pdu_send(v2, &r.req, result_cb), MIBC_E_TOO_BIG);
	ck_assert_int_eq(r.calls, 0);
	ck_assert_uint_eq(mibc_client_pending(c), 0);
	mibc_client_free(c);
}
END_TEST

START_TEST(timeout_and_cancel)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	int port = test_free_udp_port();
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)port;
	cfg.timeout_ms = 150;
	cfg.retries = 2;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	uint32_t oid[] = { 1, 3, 6, 1, 2, 1, 1 };
	struct mibc_varbind_out out = { .oid = oid, .oid_len = 7 };
	struct result a = { 0 }, b = { 0 };
	a.req = (struct mibc_pdu){ .data = &a, .type = MIBC_PDU_GETNEXT,
				   .out = &out, .n_out = 1 };
	b.req = (struct mibc_pdu){ .data = &b, .type = MIBC_PDU_GETBULK,
				   .bulk_max_repetitions = 10, .out = &out, .n_out = 1 };
	uint64_t start = ms_now();
	ck_assert_int_eq(mibc_pdu_send(t, &a.req, result_cb), 0);
	ck_assert_int_eq(mibc_pdu_send(t, &b.req, result_cb), 0);
	ck_assert_int_eq(mibc_pdu_cancel(&b.req), 0);
	ck_assert_int_eq(b.calls, 1);
	ck_assert_int_eq(b.status, MIBC_E_CANCELED);
	ck_assert_int_eq(mibc_pdu_cancel(&b.req), MIBC_E_INVAL);
	ck_assert_int_eq(mibc_client_run(c), 0);
	uint64_t took = ms_now() - start;
	ck_assert_int_eq(a.calls, 1);
	ck_assert_int_eq(a.status, MIBC_E_TIMEOUT);
	ck_assert_uint_eq(a.n_vbs, 0);
	ck_assert_msg(took >= 450 && took < 450 + 400, "timed out after %llu ms",
		      (unsigned long long)took);
	/* freeing the client completes what is pending */
	ck_assert_int_eq(mibc_pdu_send(t, &a.req, result_cb), 0);
	mibc_client_free(c);
	ck_assert_int_eq(a.calls, 2);
	ck_assert_int_eq(a.status, MIBC_E_CANCELED);
}
END_TEST

static Suite *pdu_suite(void)
{
	Suite *s = suite_create("pdu");
	TCase *local = tcase_create("local");
	tcase_add_test(local, refused);
	tcase_add_test(local, timeout_and_cancel);
	suite_add_tcase(s, local);
	if (test_agent_available()) {
		TCase *real = tcase_create("snmpd");
		tcase_set_timeout(real, 120);
		tcase_add_unchecked_fixture(real, agent_up, agent_down);
		tcase_add_test(real, getnext_v1_v2c);
		tcase_add_test(real, getbulk_v2c);
		tcase_add_test(real, getbulk_v3);
		tcase_add_test(real, set_round_trip);
		tcase_add_test(real, set_errors);
		suite_add_tcase(s, real);
	} else {
		fprintf(stderr, "snmpd or snmpget not installed: skipping the tests against a real agent\n");
	}
	return s;
}

int main(void)
{
	return test_run_suite(pdu_suite());
}
