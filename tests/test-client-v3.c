/* The async client over SNMPv3 (USM through net-snmp) against a real snmpd
 * with users made in its generated config: typed GETs checked against
 * snmpget -v3 on the same agent for each security level and several
 * protocols; wrong passwords and unknown users give MIBC_E_AUTH (not a
 * timeout); 50 targets with many requests in flight; the first GET (engine
 * discovery) never blocks the loop. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "if-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

/* One user per security level and protocol pair. */
struct user {
	const char *name;
	enum mibc_sec_level level;
	enum mibc_auth_proto auth;
	const char *auth_pass;
	enum mibc_priv_proto priv;
	const char *priv_pass;
	/* snmpget's flags */
	const char *l, *a, *x;
};

static const struct user users[] = {
	{ "shaaes", MIBC_SEC_AUTH_PRIV, MIBC_AUTH_SHA, "shaaes-auth-pw", MIBC_PRIV_AES,
	  "shaaes-priv-pw", "authPriv", "SHA", "AES" },
	{ "md5des", MIBC_SEC_AUTH_PRIV, MIBC_AUTH_MD5, "md5des-auth-pw", MIBC_PRIV_DES,
	  "md5des-priv-pw", "authPriv", "MD5", "DES" },
	{ "sha512", MIBC_SEC_AUTH_PRIV, MIBC_AUTH_SHA512, "sha512-auth-pw", MIBC_PRIV_AES,
	  "sha512-priv-pw", "authPriv", "SHA-512", "AES" },
	{ "authonly", MIBC_SEC_AUTH_NOPRIV, MIBC_AUTH_SHA256, "authonly-pw", MIBC_PRIV_AES,
	  NULL, "authNoPriv", "SHA-256", NULL },
	{ "noauth", MIBC_SEC_NOAUTH_NOPRIV, MIBC_AUTH_SHA, NULL, MIBC_PRIV_AES, NULL,
	  "noAuthNoPriv", NULL, NULL },
};
#define N_USERS (sizeof(users) / sizeof(users[0]))

static void agent_up(void)
{
	test_agent_start(&agent,
		"sysContact mibc <mibc@example.org>\n"
		"createUser shaaes SHA shaaes-auth-pw AES shaaes-priv-pw\n"
		"createUser md5des MD5 md5des-auth-pw DES md5des-priv-pw\n"
		"createUser sha512 SHA-512 sha512-auth-pw AES sha512-priv-pw\n"
		"createUser authonly SHA-256 authonly-pw\n"
		"createUser noauth\n"
		"rouser shaaes priv\n"
		"rouser md5des priv\n"
		"rouser sha512 priv\n"
		"rouser authonly auth\n"
		"rouser noauth noauth\n");
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

/* Timing bounds stretch under valgrind (20x slower) and ASan (2-4x, on
 * shared CI cores). */
static uint64_t slow(uint64_t ms)
{
	const char *p = getenv("LD_PRELOAD");
	if (p && strstr(p, "vgpreload"))
		return ms * 20;
#ifdef __SANITIZE_ADDRESS__
	return ms * 5;
#else
	return ms;
#endif
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* What snmpget -v3 prints after " = " for `oid` (malloc'd). */
static char *snmpget_v3(const struct user *u, const char *oid)
{
	const char *argv[24];
	size_t n = 0;
	argv[n++] = "-On";
	argv[n++] = "-Oe";
	argv[n++] = "-v3";
	argv[n++] = "-l";
	argv[n++] = u->l;
	argv[n++] = "-u";
	argv[n++] = u->name;
	if (u->a) {
		argv[n++] = "-a";
		argv[n++] = u->a;
		argv[n++] = "-A";
		argv[n++] = u->auth_pass;
	}
	if (u->x) {
		argv[n++] = "-x";
		argv[n++] = u->x;
		argv[n++] = "-X";
		argv[n++] = u->priv_pass;
	}
	argv[n++] = agent.address;
	argv[n++] = oid;
	argv[n] = NULL;
	struct test_run r = test_agent_tool(&agent, "snmpget", argv);
	ck_assert_msg(r.status == 0, "snmpget -v3 %s %s: %s", u->name, oid, r.err);
	char *eq = strstr(r.out, " = ");
	ck_assert_ptr_nonnull(eq);
	char *v = strdup(eq + 3);
	size_t len = strlen(v);
	while (len && (v[len - 1] == '\n' || v[len - 1] == ' '))
		v[--len] = 0;
	test_run_free(&r);
	return v;
}

struct result {
	struct mibc_get req;
	int calls;
	int status;
	char text[1024];
	struct mibc_value *copy;
};

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS | MIBC_FORMAT_NUMERIC_ENUMS,
};

static void result_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct result *r = req->data;
	ck_assert_ptr_eq(&r->req, req);
	r->calls++;
	r->status = status;
	r->text[0] = 0;
	if (value) {
		struct mibc_raw_value raw;
		ck_assert_int_eq(mibc_value_raw(value, &raw), 0);
		mibc_format_value(NULL, &raw, &numeric, r->text, sizeof(r->text));
		r->copy = mibc_value_dup(value);
		ck_assert_ptr_nonnull(r->copy);
	}
}

static void result_free(struct result *r)
{
	mibc_value_free(r->copy);
	r->copy = NULL;
}

static unsigned v3_retries = 1;

static struct mibc_target *v3_target(struct mibc_client *c, int port,
				     const struct user *u, const char *auth_pass,
				     const char *priv_pass)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)port;
	cfg.version = MIBC_VERSION_3;
	cfg.timeout_ms = 2000;
	cfg.retries = v3_retries;
	cfg.user = u->name;
	cfg.security_level = u->level;
	cfg.auth_proto = u->auth;
	cfg.auth_password = auth_pass;
	cfg.priv_proto = u->priv;
	cfg.priv_password = priv_pass;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	return t;
}

enum { R_DESCR, R_UPTIME, R_IFDESCR, R_CONTACT, R_NOINST, N_R };
static const char *const oids[N_R] = {
	".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.3.0", ".1.3.6.1.2.1.2.2.1.2.1",
	".1.3.6.1.2.1.1.4.0", ".1.3.6.1.2.1.2.2.1.2.999",
};

static uint64_t number_after(const char *s, const char *prefix)
{
	const char *p = strstr(s, prefix);
	ck_assert_msg(p != NULL, "'%s' lacks '%s'", s, prefix);
	return strtoull(p + strlen(prefix), NULL, 10);
}

static void start_gets(struct mibc_target *t, struct result *r)
{
	for (int i = 0; i < N_R; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].req.data = &r[i];
	}
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r[R_DESCR].req, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_up_time_get(t, &r[R_UPTIME].req, result_cb), 0);
	ck_assert_int_eq(if_mib_if_descr_get(t, &r[R_IFDESCR].req, 1, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_contact_get(t, &r[R_CONTACT].req, result_cb), 0);
	ck_assert_int_eq(if_mib_if_descr_get(t, &r[R_NOINST].req, 999, result_cb), 0);
}

static void check_gets(const struct user *u, struct result *r)
{
	for (int i = 0; i < N_R; i++) {
		ck_assert_int_eq(r[i].calls, 1);
		if (i == R_NOINST) {
			ck_assert_int_eq(r[i].status, MIBC_E_NO_SUCH_INSTANCE);
			continue;
		}
		ck_assert_msg(r[i].status == 0, "%s %s: %s", u->name, oids[i],
			      mibc_err_name(r[i].status));
		char *want = snmpget_v3(u, oids[i]);
		if (i == R_UPTIME) {
			uint64_t a = number_after(r[i].text, "Timeticks: ("),
				 b = number_after(want, "Timeticks: (");
			ck_assert_msg(a <= b && b - a < 1000, "%s vs %s", r[i].text, want);
			uint32_t ticks;
			ck_assert_int_eq(mibc_value_get_uint32(r[i].copy, &ticks), 0);
			ck_assert_uint_eq(ticks, a);
		} else {
			ck_assert_msg(strcmp(r[i].text, want) == 0, "%s %s: mibc '%s', snmpget '%s'",
				      u->name, oids[i], r[i].text, want);
		}
		free(want);
	}
	const char *s;
	size_t len;
	ck_assert_int_eq(if_mib_if_descr_value(r[R_IFDESCR].copy, &s, &len), 0);
	ck_assert_str_eq(s, "lo");
	ck_assert_int_eq(snmpv2_mib_sys_contact_value(r[R_CONTACT].copy, &s, &len), 0);
	ck_assert_str_eq(s, "mibc <mibc@example.org>");
	for (int i = 0; i < N_R; i++)
		result_free(&r[i]);
}

static int batch_calls;
static void batch_cb(struct mibc_batch *b)
{
	batch_calls++;
	const char *s;
	ck_assert_int_eq(snmpv2_mib_sys_descr_value(b->items[0].value, &s, NULL), 0);
	ck_assert_int_eq(if_mib_if_descr_value(b->items[1].value, &s, NULL), 0);
	ck_assert_str_eq(s, "lo");
}

/* Every user, each from its own target, all at once in one client. */
START_TEST(typed_gets)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	static struct result r[N_USERS][N_R];
	for (size_t k = 0; k < N_USERS; k++) {
		struct mibc_target *t = v3_target(c, agent.port, &users[k],
						  users[k].auth_pass, users[k].priv_pass);
		start_gets(t, r[k]);
	}
	ck_assert_int_eq(mibc_client_run(c), 0);
	for (size_t k = 0; k < N_USERS; k++)
		check_gets(&users[k], r[k]);
	/* again, on the discovered engine, with a batch */
	struct mibc_target *t = v3_target(c, agent.port, &users[0], users[0].auth_pass,
					  users[0].priv_pass);
	struct mibc_get items[3];
	static const uint32_t zero[] = { 0 }, one[] = { 1 };
	ck_assert_int_eq(mibc_get_init(&items[0], &snmpv2_mib_sys_descr_desc, zero, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[1], &if_mib_if_descr_desc, one, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[2], &ucd_snmp_mib_mem_total_real_desc, zero, 1), 0);
	struct mibc_batch b = { 0 };
	batch_calls = 0;
	ck_assert_int_eq(mibc_get_many(t, &b, items, 3, batch_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(batch_calls, 1);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(items[i].status, 0);
	mibc_client_free(c);
}
END_TEST

static int auth_status(const struct user *u, const char *auth_pass,
		       const char *priv_pass, const char *name)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct user v = *u;
	if (name)
		v.name = name;
	struct mibc_target *t = v3_target(c, agent.port, &v, auth_pass, priv_pass);
	struct result r = { 0 };
	r.req.data = &r;
	uint64_t t0 = ms_now();
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r.req, result_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(r.calls, 1);
	/* a report, not the 2 x 2 s timeout */
	ck_assert_uint_lt(ms_now() - t0, slow(1500));
	result_free(&r);
	mibc_client_free(c);
	return r.status;
}

START_TEST(wrong_auth_password)
{
	int rc = auth_status(&users[0], "not-the-password", users[0].priv_pass, NULL);
	ck_assert_msg(rc == MIBC_E_AUTH, "%s", mibc_err_name(rc));
	ck_assert_ptr_nonnull(strstr(mibc_strerror(rc), "wrong digest"));
}
END_TEST

START_TEST(wrong_auth_password_md5)
{
	int rc = auth_status(&users[1], "not-the-password", users[1].priv_pass, NULL);
	ck_assert_msg(rc == MIBC_E_AUTH, "%s", mibc_err_name(rc));
}
END_TEST

START_TEST(unknown_user)
{
	int rc = auth_status(&users[0], users[0].auth_pass, users[0].priv_pass, "nobody");
	ck_assert_msg(rc == MIBC_E_AUTH, "%s", mibc_err_name(rc));
	rc = auth_status(&users[4], NULL, NULL, "nobody-either");
	ck_assert_msg(rc == MIBC_E_AUTH, "%s", mibc_err_name(rc));
}
END_TEST

/* 50 targets (the same user: the key is derived once), 20 GETs each, all
 * in flight at once. */
START_TEST(many_targets)
{
	enum { N_T = 50, PER = 20, U = 2 };
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t[N_T];
	v3_retries = 3;
	/* snmpd decrypting 1000 requests at once drops some: retransmissions */
	/* keys are derived once per password (generate_Ku hashes a megabyte):
	 * the other 49 targets, one more password among them, cost a few
	 * derivations, not 49 (a ratio, so a slow or loaded machine scales
	 * both sides) */
	uint64_t t0 = ms_now();
	t[0] = v3_target(c, agent.port, &users[0], users[0].auth_pass,
			 users[0].priv_pass);
	uint64_t first = ms_now() - t0 + 1;
	t0 = ms_now();
	for (int k = 1; k < N_T; k++)
		t[k] = v3_target(c, agent.port, &users[k % U], users[k % U].auth_pass,
				 users[k % U].priv_pass);
	uint64_t others = ms_now() - t0;
	ck_assert_msg(others < 20 * first, "first target %llu ms, 49 others %llu ms",
		      (unsigned long long)first, (unsigned long long)others);
	static struct result r[N_T][PER];
	memset(r, 0, sizeof(r));
	for (int k = 0; k < N_T; k++)
		for (int i = 0; i < PER; i++) {
			r[k][i].req.data = &r[k][i];
			if (i % 2)
				ck_assert_int_eq(if_mib_if_descr_get(t[k], &r[k][i].req, 1,
								     result_cb), 0);
			else
				ck_assert_int_eq(snmpv2_mib_sys_contact_get(t[k], &r[k][i].req,
									    result_cb), 0);
		}
	ck_assert_uint_eq(mibc_client_pending(c), N_T * PER);
	ck_assert_int_eq(mibc_client_run(c), 0);
	for (int k = 0; k < N_T; k++)
		for (int i = 0; i < PER; i++) {
			ck_assert_int_eq(r[k][i].calls, 1);
			ck_assert_msg(r[k][i].status == 0, "%d/%d: %s", k, i,
				      mibc_err_name(r[k][i].status));
			ck_assert_str_eq(r[k][i].text, i % 2 ? "STRING: \"lo\""
				: "STRING: \"mibc <mibc@example.org>\"");
			result_free(&r[k][i]);
		}
	mibc_client_free(c);
}
END_TEST

/* Callbacks run between the reads of a session's socket: a callback that
 * frees targets, its own and others whose answers are already waiting,
 * must leave dispatch reading nothing of theirs afterwards.  Each of the
 * first answers frees every target; the rest get MIBC_E_CANCELED, every
 * callback exactly once (ASan/valgrind see any use after free). */
enum { FREEING_T = 4, FREEING_PER = 8 };
static struct mibc_target *freeing_t[FREEING_T];
static struct result freeing_r[FREEING_T][FREEING_PER];

static void freeing_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	result_cb(req, status, value);
	for (int k = 0; k < FREEING_T; k++) {
		struct mibc_target *t = freeing_t[k];
		freeing_t[k] = NULL;
		mibc_target_free(t);
	}
}

START_TEST(callback_frees_targets)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	for (int k = 0; k < FREEING_T; k++)
		freeing_t[k] = v3_target(c, agent.port, &users[0], users[0].auth_pass,
					 users[0].priv_pass);
	/* engine discovery first, so that the answers come together */
	struct mibc_value *v = NULL;
	for (int k = 0; k < FREEING_T; k++) {
		ck_assert_int_eq(mibc_get_wait(freeing_t[k], &snmpv2_mib_sys_contact_desc,
					       (const uint32_t[]){ 0 }, 1, &v), 0);
		mibc_value_free(v);
	}
	memset(freeing_r, 0, sizeof(freeing_r));
	for (int k = 0; k < FREEING_T; k++)
		for (int i = 0; i < FREEING_PER; i++) {
			freeing_r[k][i].req.data = &freeing_r[k][i];
			ck_assert_int_eq(snmpv2_mib_sys_contact_get(freeing_t[k],
					 &freeing_r[k][i].req, freeing_cb), 0);
		}
	/* let every answer arrive before the first dispatch */
	struct timespec ts = { 0, 200 * 1000000L };
	nanosleep(&ts, NULL);
	ck_assert_int_eq(mibc_client_run(c), 0);
	int ok = 0, canceled = 0;
	for (int k = 0; k < FREEING_T; k++)
		for (int i = 0; i < FREEING_PER; i++) {
			ck_assert_int_eq(freeing_r[k][i].calls, 1);
			if (freeing_r[k][i].status == 0)
				ok++;
			else if (freeing_r[k][i].status == MIBC_E_CANCELED)
				canceled++;
			result_free(&freeing_r[k][i]);
		}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(canceled, FREEING_T * FREEING_PER - 1);
	mibc_client_free(c);
}
END_TEST

/* The first v3 GET (engine discovery, time sync) beside a v2c GET to a
 * port nobody listens on: every dispatch returns at once, the v2c timeout
 * comes on schedule, the v3 GET succeeds. */
START_TEST(first_get_does_not_block)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)test_free_udp_port();
	cfg.timeout_ms = 300;
	cfg.retries = 1;
	struct mibc_target *dead;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &dead), 0);
	struct mibc_target *t = v3_target(c, agent.port, &users[0], users[0].auth_pass,
					  users[0].priv_pass);
	struct result a = { 0 }, b = { 0 };
	a.req.data = &a;
	b.req.data = &b;
	uint64_t t0 = ms_now(), done_a = 0, done_b = 0, worst = 0;
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(dead, &a.req, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &b.req, result_cb), 0);
	ck_assert_uint_lt(ms_now() - t0, slow(20));
	int fd = mibc_client_fd(c);
	while (mibc_client_pending(c)) {
		struct pollfd_like { int fd; short events, revents; };
		(void)fd;
		int to = mibc_client_timeout(c);
		ck_assert_int_le(to, 300);
		struct timespec ts = { 0, (to > 5 ? 5 : (to < 0 ? 5 : to)) * 1000000L };
		nanosleep(&ts, NULL);
		uint64_t d0 = ms_now();
		ck_assert_int_eq(mibc_client_dispatch(c), 0);
		uint64_t d = ms_now() - d0;
		if (d > worst)
			worst = d;
		if (a.calls && !done_a)
			done_a = ms_now() - t0;
		if (b.calls && !done_b)
			done_b = ms_now() - t0;
	}
	ck_assert_int_eq(a.status, MIBC_E_TIMEOUT);
	ck_assert_msg(done_a >= 600 && done_a < slow(750), "v2c timeout after %llu ms",
		      (unsigned long long)done_a);
	ck_assert_msg(b.status == 0, "%s", mibc_err_name(b.status));
	ck_assert_uint_lt(done_b, slow(500));
	ck_assert_msg(worst < slow(20), "a dispatch took %llu ms", (unsigned long long)worst);
	result_free(&a);
	result_free(&b);
	mibc_client_free(c);
}
END_TEST

START_TEST(config_errors)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)test_free_udp_port();
	cfg.version = MIBC_VERSION_3;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_INVAL); /* no user */
	cfg.user = "u";
	cfg.security_level = MIBC_SEC_AUTH_PRIV;
	cfg.auth_password = "longenough";
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_INVAL); /* no priv pw */
	cfg.priv_password = "short";
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_INVAL); /* < 8 */
	cfg.priv_password = "longenough";
	cfg.auth_proto = (enum mibc_auth_proto)99;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_UNSUPPORTED);
	cfg.auth_proto = MIBC_AUTH_SHA;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	mibc_target_free(t);
	/* noAuthNoPriv needs no password */
	cfg.security_level = MIBC_SEC_DEFAULT;
	cfg.auth_password = cfg.priv_password = NULL;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	/* a pending request on a freed client is canceled */
	struct result r = { 0 };
	r.req.data = &r;
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r.req, result_cb), 0);
	mibc_client_free(c);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(r.status, MIBC_E_CANCELED);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("client-v3");
	TCase *local = tcase_create("local");
	tcase_add_test(local, config_errors);
	suite_add_tcase(s, local);
	if (test_agent_available()) {
		TCase *real = tcase_create("snmpd");
		tcase_set_timeout(real, 300);
		tcase_add_unchecked_fixture(real, agent_up, agent_down);
		tcase_add_test(real, typed_gets);
		tcase_add_test(real, wrong_auth_password);
		tcase_add_test(real, wrong_auth_password_md5);
		tcase_add_test(real, unknown_user);
		tcase_add_test(real, many_targets);
		tcase_add_test(real, first_get_does_not_block);
		tcase_add_test(real, callback_frees_targets);
		suite_add_tcase(s, real);
	} else {
		fprintf(stderr, "snmpd or snmpget not installed: skipping the tests against a real agent\n");
	}
	return test_run_suite(s) == EXIT_SUCCESS ? EXIT_SUCCESS : EXIT_FAILURE;
}
