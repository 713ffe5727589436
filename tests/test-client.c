/* The async client (mibc.h): typed GETs through the generated accessors
 * against a real snmpd, checked against snmpget on the same agent; v1 and
 * v2c; batches; timeouts; cancel; many agents and hostile responses from an
 * in-test responder. */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "host-resources-mib.h"
#include "if-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"

#include "agent.h"
#include "testlib.h"

static struct test_agent agent;

static void agent_up(void)
{
	test_agent_start(&agent, "sysContact mibc <mibc@example.org>\n"
				 "sysLocation mibc test lab\n");
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

/* What snmpget prints after " = " for `oid`, without MIBs (malloc'd). */
static char *snmpget_value(const char *version, const char *community,
			   const char *oid)
{
	struct test_run r = test_agent_tool(&agent, "snmpget",
		(const char *const[]){ "-On", "-Oe", version, "-c", community,
				       agent.address, oid, NULL });
	ck_assert_msg(r.status == 0, "snmpget %s: %s", oid, r.err);
	char *eq = strstr(r.out, " = ");
	ck_assert_ptr_nonnull(eq);
	char *v = strdup(eq + 3);
	size_t n = strlen(v);
	while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
		v[--n] = 0;
	test_run_free(&r);
	return v;
}

/* One GET and what its callback saw. */
struct result {
	struct mibc_get req;
	int calls;
	int status;
	bool has_value;
	char text[1024];     /* formatted as snmpget prints it without MIBs */
	struct mibc_value *copy;
};

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS | MIBC_FORMAT_NUMERIC_ENUMS,
};

static void record(struct result *r, int status, const struct mibc_value *value)
{
	r->calls++;
	r->status = status;
	r->has_value = value != NULL;
	r->text[0] = 0;
	if (value) {
		struct mibc_raw_value raw;
		ck_assert_int_eq(mibc_value_raw(value, &raw), 0);
		mibc_format_value(NULL, &raw, &numeric, r->text, sizeof(r->text));
		r->copy = mibc_value_dup(value);
		ck_assert_ptr_nonnull(r->copy);
	}
}

static void result_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct result *r = req->data;
	ck_assert_ptr_eq(&r->req, req);
	ck_assert_int_eq(req->status, status);
	record(r, status, value);
}

static void result_free(struct result *r)
{
	mibc_value_free(r->copy);
	r->copy = NULL;
}

static struct mibc_target *make_target(struct mibc_client *c, int port,
				       enum mibc_version v, const char *community,
				       unsigned timeout_ms, unsigned retries)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)port;
	cfg.version = v;
	cfg.community = community;
	cfg.timeout_ms = timeout_ms;
	cfg.retries = retries;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	ck_assert_ptr_eq(mibc_target_client(t), c);
	return t;
}

enum { R_DESCR, R_OBJID, R_UPTIME, R_CONTACT, R_IFDESCR, R_IFTYPE, R_IFPHYS,
       R_IFHCIN, R_HRUPTIME, R_HRSTDESCR, R_HRSTSIZE, R_LAFLOAT, R_MEMTOTAL,
       R_NOINST, N_R };

static const char *const oids[N_R] = {
	".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.2.0", ".1.3.6.1.2.1.1.3.0",
	".1.3.6.1.2.1.1.4.0", ".1.3.6.1.2.1.2.2.1.2.1", ".1.3.6.1.2.1.2.2.1.3.1",
	".1.3.6.1.2.1.2.2.1.6.1", ".1.3.6.1.2.1.31.1.1.1.6.1",
	".1.3.6.1.2.1.25.1.1.0", ".1.3.6.1.2.1.25.2.3.1.3.1",
	".1.3.6.1.2.1.25.2.3.1.5.1", ".1.3.6.1.4.1.2021.10.1.6.1",
	".1.3.6.1.4.1.2021.4.5.0", ".1.3.6.1.2.1.2.2.1.2.999",
};

static uint64_t number_after(const char *s, const char *prefix)
{
	const char *p = strstr(s, prefix);
	ck_assert_msg(p != NULL, "'%s' lacks '%s'", s, prefix);
	return strtoull(p + strlen(prefix), NULL, 10);
}

static void typed_gets(enum mibc_version version)
{
	const char *vflag = version == MIBC_VERSION_1 ? "-v1" : "-v2c";
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, agent.port, version, "public", 2000, 1);
	static struct result r[N_R];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < N_R; i++)
		r[i].req.data = &r[i];
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r[R_DESCR].req, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_object_id_get(t, &r[R_OBJID].req, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_up_time_get(t, &r[R_UPTIME].req, result_cb), 0);
	ck_assert_int_eq(snmpv2_mib_sys_contact_get(t, &r[R_CONTACT].req, result_cb), 0);
	ck_assert_int_eq(if_mib_if_descr_get(t, &r[R_IFDESCR].req, 1, result_cb), 0);
	ck_assert_int_eq(if_mib_if_type_get(t, &r[R_IFTYPE].req, 1, result_cb), 0);
	ck_assert_int_eq(if_mib_if_phys_address_get(t, &r[R_IFPHYS].req, 1, result_cb), 0);
	ck_assert_int_eq(if_mib_if_hc_in_octets_get(t, &r[R_IFHCIN].req, 1, result_cb), 0);
	ck_assert_int_eq(host_resources_mib_hr_system_uptime_get(t, &r[R_HRUPTIME].req, result_cb), 0);
	ck_assert_int_eq(host_resources_mib_hr_storage_descr_get(t, &r[R_HRSTDESCR].req, 1, result_cb), 0);
	ck_assert_int_eq(host_resources_mib_hr_storage_size_get(t, &r[R_HRSTSIZE].req, 1, result_cb), 0);
	ck_assert_int_eq(ucd_snmp_mib_la_load_float_get(t, &r[R_LAFLOAT].req, 1, result_cb), 0);
	ck_assert_int_eq(ucd_snmp_mib_mem_total_real_get(t, &r[R_MEMTOTAL].req, result_cb), 0);
	ck_assert_int_eq(if_mib_if_descr_get(t, &r[R_NOINST].req, 999, result_cb), 0);
	ck_assert_uint_eq(mibc_client_pending(c), N_R);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_uint_eq(mibc_client_pending(c), 0);

	for (int i = 0; i < N_R; i++) {
		ck_assert_int_eq(r[i].calls, 1);
		char *want = NULL;
		if (i == R_NOINST) {
			if (version == MIBC_VERSION_1) {
				ck_assert_int_eq(r[i].status, MIBC_E_NO_SUCH_NAME);
				ck_assert(!r[i].has_value);
			} else {
				ck_assert_int_eq(r[i].status, MIBC_E_NO_SUCH_INSTANCE);
				ck_assert(r[i].has_value);
				ck_assert_int_eq(mibc_value_get_string(r[i].copy, NULL, NULL),
						 MIBC_E_NO_SUCH_INSTANCE);
			}
			continue;
		}
		if (i == R_IFHCIN && version == MIBC_VERSION_1) {
			/* no Counter64 in SNMPv1: snmpd says noSuchName */
			ck_assert_int_eq(r[i].status, MIBC_E_NO_SUCH_NAME);
			continue;
		}
		ck_assert_msg(r[i].status == 0, "%s: %s", oids[i],
			      mibc_err_name(r[i].status));
		want = snmpget_value(vflag, "public", oids[i]);
		switch (i) {
		case R_UPTIME:
		case R_HRUPTIME: {
			uint64_t a = number_after(r[i].text, "Timeticks: ("),
				 b = number_after(want, "Timeticks: (");
			ck_assert_msg(a <= b && b - a < 1000, "%s: %s vs %s", oids[i], r[i].text, want);
			uint32_t ticks;
			ck_assert_int_eq(mibc_value_get_uint32(r[i].copy, &ticks), 0);
			ck_assert_uint_eq(ticks, a);
			break;
		}
		case R_IFHCIN: {
			uint64_t a = number_after(r[i].text, "Counter64: "),
				 b = number_after(want, "Counter64: "), v;
			ck_assert_msg(a <= b && b - a < 10000000, "%s vs %s", r[i].text, want);
			ck_assert_int_eq(if_mib_if_hc_in_octets_value(r[i].copy, &v), 0);
			ck_assert_uint_eq(v, a);
			break;
		}
		case R_LAFLOAT: {
			const char *p = strstr(want, "Float: ");
			ck_assert_ptr_nonnull(p);
			double b = strtod(p + 7, NULL), a;
			ck_assert_int_eq(mibc_value_get_float(r[i].copy, &a), 0);
			ck_assert_msg(fabs(a - b) < 2.0, "%f vs %s", a, want);
			const uint8_t *o;
			size_t ol;
			ck_assert_int_eq(ucd_snmp_mib_la_load_float_value(r[i].copy, &o, &ol), 0);
			ck_assert_uint_eq(ol, 7);
			break;
		}
		default:
			ck_assert_msg(strcmp(r[i].text, want) == 0, "%s: mibc '%s', snmpget '%s'",
				      oids[i], r[i].text, want);
		}
		free(want);
	}
	/* typed reads */
	const char *s;
	size_t len;
	ck_assert_int_eq(snmpv2_mib_sys_contact_value(r[R_CONTACT].copy, &s, &len), 0);
	ck_assert_str_eq(s, "mibc <mibc@example.org>");
	ck_assert_uint_eq(len, strlen(s));
	enum ianaiftype_mib_iana_if_type type;
	ck_assert_int_eq(if_mib_if_type_value(r[R_IFTYPE].copy, &type), 0);
	ck_assert_int_eq(type, IANAIFTYPE_MIB_IANA_IF_TYPE_SOFTWARE_LOOPBACK);
	ck_assert_int_eq(mibc_value_check(r[R_IFTYPE].copy), 0);
	ck_assert_int_eq(if_mib_if_descr_value(r[R_IFDESCR].copy, &s, &len), 0);
	ck_assert_str_eq(s, "lo");
	const uint32_t *sub;
	ck_assert_int_eq(snmpv2_mib_sys_object_id_value(r[R_OBJID].copy, &sub, &len), 0);
	ck_assert_uint_ge(len, 7);
	ck_assert_uint_eq(sub[4], 4);    /* private.enterprises */
	ck_assert_uint_eq(sub[5], 1);
	int32_t mem;
	ck_assert_int_eq(ucd_snmp_mib_mem_total_real_value(r[R_MEMTOTAL].copy, &mem), 0);
	ck_assert_int_gt(mem, 0);
	/* a wrong-typed read */
	ck_assert_int_eq(mibc_value_get_int32(r[R_DESCR].copy, NULL), MIBC_E_WRONG_TYPE);
	for (int i = 0; i < N_R; i++)
		result_free(&r[i]);
	mibc_client_free(c);
}

START_TEST(snmpd_v2c)
{
	typed_gets(MIBC_VERSION_2C);
}
END_TEST

START_TEST(snmpd_v1)
{
	typed_gets(MIBC_VERSION_1);
}
END_TEST

static void timeout_check(int port, const char *community)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, port, MIBC_VERSION_2C, community, 300, 2);
	struct result r = { 0 };
	r.req.data = &r;
	uint64_t t0 = ms_now();
	ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r.req, result_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	uint64_t el = ms_now() - t0;
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(r.status, MIBC_E_TIMEOUT);
	ck_assert(!r.has_value);
	ck_assert_msg(el >= 900 && el < 1150, "timeout after %" PRIu64 " ms", el);
	mibc_client_free(c);
}

START_TEST(wrong_community)
{
	timeout_check(agent.port, "not-the-community");
}
END_TEST

START_TEST(nobody_listens)
{
	timeout_check(test_free_udp_port(), "public");
}
END_TEST

/* A batch split into PDUs of 2, against v1 and v2c, with a missing
 * instance in the middle. */
static int batch_calls;
static void batch_cb(struct mibc_batch *b)
{
	batch_calls++;
	struct result *r = b->data;
	for (size_t i = 0; i < b->n_items; i++)
		record(&r[i], b->items[i].status, b->items[i].value);
}

static void batch(enum mibc_version version, unsigned max_objects)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)agent.port;
	cfg.version = version;
	cfg.max_objects = max_objects;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	struct mibc_get items[5];
	static const uint32_t zero[] = { 0 }, one[] = { 1 }, bad[] = { 999 };
	ck_assert_int_eq(mibc_get_init(&items[0], &snmpv2_mib_sys_descr_desc, zero, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[1], &snmpv2_mib_sys_contact_desc, zero, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[2], &if_mib_if_descr_desc, bad, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[3], &if_mib_if_descr_desc, one, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[4], &if_mib_if_type_desc, one, 1), 0);
	ck_assert_int_eq(mibc_get_init(&items[0], &if_mib_if_table_desc, one, 1),
			 MIBC_E_NOT_READABLE);
	ck_assert_int_eq(mibc_get_init(&items[0], &snmpv2_mib_sys_descr_desc, zero, 1), 0);
	struct result r[5] = { 0 };
	struct mibc_batch b = { .data = r };
	batch_calls = 0;
	ck_assert_int_eq(mibc_get_many(t, &b, items, 5, batch_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(batch_calls, 1);
	ck_assert_int_eq(r[0].status, 0);
	ck_assert_int_eq(r[1].status, 0);
	ck_assert_int_eq(r[2].status, version == MIBC_VERSION_1 ? MIBC_E_NO_SUCH_NAME
							  : MIBC_E_NO_SUCH_INSTANCE);
	ck_assert_int_eq(r[3].status, 0);
	ck_assert_int_eq(r[4].status, 0);
	ck_assert_str_eq(r[3].text, "STRING: \"lo\"");
	ck_assert_str_eq(r[4].text, "INTEGER: 24");
	const char *s;
	ck_assert_int_eq(snmpv2_mib_sys_contact_value(r[1].copy, &s, NULL), 0);
	ck_assert_str_eq(s, "mibc <mibc@example.org>");
	for (int i = 0; i < 5; i++)
		result_free(&r[i]);
	mibc_client_free(c);
}

START_TEST(batch_v2c)
{
	batch(MIBC_VERSION_2C, 2);
	batch(MIBC_VERSION_2C, 0);
}
END_TEST

START_TEST(batch_v1)
{
	batch(MIBC_VERSION_1, 2);
	batch(MIBC_VERSION_1, 0);
}
END_TEST

START_TEST(blocking)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, agent.port, MIBC_VERSION_2C, "public", 1000, 1);
	struct mibc_value *v;
	static const uint32_t zero[] = { 0 };
	ck_assert_int_eq(mibc_get_wait(t, &snmpv2_mib_sys_contact_desc, zero, 1, &v), 0);
	const char *s;
	ck_assert_int_eq(snmpv2_mib_sys_contact_value(v, &s, NULL), 0);
	ck_assert_str_eq(s, "mibc <mibc@example.org>");
	mibc_value_free(v);
	mibc_target_free(t);
	mibc_client_free(c);
}
END_TEST

/* Cancel one, free the client with the others pending: each callback once. */
START_TEST(cancel_and_free)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	int port = test_free_udp_port();
	struct mibc_target *t = make_target(c, port, MIBC_VERSION_2C, "public", 5000, 0);
	static struct result r[10];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 10; i++) {
		r[i].req.data = &r[i];
		ck_assert_int_eq(snmpv2_mib_sys_descr_get(t, &r[i].req, result_cb), 0);
	}
	ck_assert_int_eq(mibc_get_cancel(&r[3].req), 0);
	ck_assert_int_eq(r[3].calls, 1);
	ck_assert_int_eq(r[3].status, MIBC_E_CANCELED);
	ck_assert_int_eq(mibc_get_cancel(&r[3].req), MIBC_E_INVAL);
	ck_assert_uint_eq(mibc_client_pending(c), 9);
	ck_assert_int_eq(mibc_client_dispatch(c), 0);
	ck_assert_int_gt(mibc_client_timeout(c), 4000);
	ck_assert_int_ge(mibc_client_fd(c), 0);
	mibc_client_free(c);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(r[i].calls, 1);
		ck_assert_int_eq(r[i].status, MIBC_E_CANCELED);
	}
}
END_TEST

START_TEST(api_errors)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_INVAL);
	cfg.address = "localhost";
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_ADDRESS);
	cfg.address = "127.0.0.1";
	cfg.version = MIBC_VERSION_3;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), MIBC_E_UNSUPPORTED);
	cfg.version = MIBC_VERSION_2C;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	struct mibc_get req;
	uint32_t ix[MIBC_OID_MAX_LEN + 1] = { 0 };
	ck_assert_int_eq(mibc_get(t, &req, &snmpv2_mib_sys_descr_desc, ix,
				  MIBC_OID_MAX_LEN, result_cb), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_get(t, &req, &snmpv2_mib_sys_descr_desc, ix, 1, NULL),
			 MIBC_E_INVAL);
	ck_assert_uint_eq(mibc_client_pending(c), 0);
	ck_assert_int_eq(mibc_client_timeout(c), -1);
	ck_assert_str_eq(mibc_err_name(MIBC_E_NO_SUCH_NAME), "MIBC_E_NO_SUCH_NAME");
	ck_assert_str_eq(mibc_strerror(MIBC_E_GEN_ERR), "agent error genErr");
	mibc_client_free(c);
}
END_TEST

int main(void)
{
	bool have_agent = test_agent_available();
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("local");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, api_errors);
	tcase_add_test(tc, cancel_and_free);
	tcase_add_test(tc, nobody_listens);
	suite_add_tcase(s, tc);
	if (have_agent) {
		TCase *real = tcase_create("snmpd");
		tcase_set_timeout(real, 300);
		tcase_add_unchecked_fixture(real, agent_up, agent_down);
		tcase_add_test(real, snmpd_v2c);
		tcase_add_test(real, snmpd_v1);
		tcase_add_test(real, batch_v2c);
		tcase_add_test(real, batch_v1);
		tcase_add_test(real, blocking);
		tcase_add_test(real, wrong_community);
		suite_add_tcase(s, real);
	} else {
		fprintf(stderr, "snmpd or snmpget not installed: skipping the tests against a real agent\n");
	}
	return test_run_suite(s) == EXIT_SUCCESS ? EXIT_SUCCESS : EXIT_FAILURE;
}
