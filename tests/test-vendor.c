/* A simulated vendor device: snmpd with `override` lines serving the
 * MBG-SNMP-LTNG-MIB (Meinberg LANTIME) and IBOOTPDU-MIB (iBoot PDU)
 * objects the seed's users poll, read through the generated typed getters
 * and `_value` decoders, every value checked against `snmpget -On` on the
 * same agent.  Includes the seed's request (mbgLtNgRefclockState.1,
 * mbgLtNgSysPsStatus.1 and .2) in one GET, and one object per PDU as for
 * the SyncBox, counted by the agent's snmpInGetRequests; and the
 * README's example program (examples/meinberg-get.c) run against it. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "ibootpdu-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "snmpv2-mib.h"

#include "agent.h"
#include "testlib.h"

#define MBG "1.3.6.1.4.1.5597.30.0."     /* mbgLantimeNGStatus */
#define IBOOT "1.3.6.1.4.1.1418.6.5.1."  /* outletEntry */

/* The device: OID, then snmpd's override type and value. */
static const char *const device[] = {
	MBG "1.2.1.4.1 integer 1",                          /* mbgLtNgRefclockState.1 synchronized */
	MBG "1.2.1.11.1 octet_str \"2016-12-31 23:59:60\"", /* mbgLtNgRefclockLeapSecondDate.1 */
	MBG "2.1.0 integer 2",                              /* mbgLtNgNtpCurrentState.0 synchronized */
	MBG "3.2.1.3.1 integer 9",                          /* mbgLtNgPtpPortState.1 slave */
	MBG "3.2.1.3.2 integer 42",                         /* mbgLtNgPtpPortState.2: no such state */
	MBG "5.0.2.1.2.1 integer 2",                        /* mbgLtNgSysPsStatus.1 up */
	MBG "5.0.2.1.2.2 integer 1",                        /* mbgLtNgSysPsStatus.2 down */
	MBG "7.1.1.2.1 integer 1",                          /* mbgLtNgEthPortLinkState.1 up */
	IBOOT "2.0 octet_str \"Mount\"",
	IBOOT "2.1 octet_str \"Camera \\\"A\\\"\"",
	IBOOT "2.2 octet_str \"Dome\"",
	IBOOT "2.3 octet_str \"Focuser\"",
	IBOOT "2.4 octet_str \"Filter wheel\"",
	IBOOT "2.5 octet_str \"Weather station\"",
	IBOOT "2.6 octet_str \"Spare\"",
	IBOOT "2.7 octet_str \"\"",
	IBOOT "6.0 integer 1",
	IBOOT "6.1 integer 0",
	IBOOT "6.2 integer 1",
	IBOOT "6.3 integer 2",
	IBOOT "6.4 integer 3",
	IBOOT "6.5 integer 4",
	IBOOT "6.6 integer 0",
	IBOOT "6.7 integer 1",
};

static const char *const outlet_names[8] = {
	"Mount", "Camera \"A\"", "Dome", "Focuser", "Filter wheel",
	"Weather station", "Spare", "",
};

static const enum ibootpdu_mib_outlet_status outlet_states[8] = {
	IBOOTPDU_MIB_OUTLET_STATUS_ON, IBOOTPDU_MIB_OUTLET_STATUS_OFF,
	IBOOTPDU_MIB_OUTLET_STATUS_ON, IBOOTPDU_MIB_OUTLET_STATUS_CYCLE,
	IBOOTPDU_MIB_OUTLET_STATUS_REBOOT, IBOOTPDU_MIB_OUTLET_STATUS_PEND_ON,
	IBOOTPDU_MIB_OUTLET_STATUS_OFF, IBOOTPDU_MIB_OUTLET_STATUS_ON,
};

static const char *const outlet_state_names[8] = {
	"on", "off", "on", "cycle", "reboot", "pend-on", "off", "on",
};

static struct test_agent agent;

static void agent_up(void)
{
	char *config = strdup("");
	for (size_t i = 0; i < MIBC_N_ELEMENTS(device); i++) {
		char *next;
		if (asprintf(&next, "%soverride .%s\n", config, device[i]) < 0)
			abort();
		free(config);
		config = next;
	}
	test_agent_start(&agent, config);
	free(config);
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

static const char *version_flag(enum mibc_version v)
{
	return v == MIBC_VERSION_1 ? "-v1" : "-v2c";
}

/* What `snmpget -On` prints after " = " for `oid` (malloc'd). */
static char *snmpget_value(enum mibc_version version, const char *oid)
{
	struct test_run r = test_agent_tool(&agent, "snmpget",
		(const char *const[]){ "-On", version_flag(version), "-c", "public",
				       agent.address, oid, NULL });
	ck_assert_msg(r.status == 0, "snmpget %s: %s", oid, r.err);
	char *eq = strstr(r.out, " = ");
	ck_assert_msg(eq != NULL, "snmpget %s: %s", oid, r.out);
	ck_assert_msg(strncmp(r.out, oid, (size_t)(eq - r.out)) == 0,
		      "snmpget asked %s, answered %s", oid, r.out);
	char *v = strdup(eq + 3);
	size_t n = strlen(v);
	while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
		v[--n] = 0;
	test_run_free(&r);
	return v;
}

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS | MIBC_FORMAT_NUMERIC_ENUMS,
};

/* The request's OID and value as snmpget prints them without MIBs. */
static void assert_as_snmpget(enum mibc_version version, const struct mibc_get *req,
			      const struct mibc_value *value)
{
	ck_assert_ptr_nonnull(value);
	char oid[256], text[1024];
	ck_assert_int_gt(mibc_format_oid(NULL, req->oid, req->oid_len, &numeric,
					 oid, sizeof(oid)), 0);
	struct mibc_raw_value raw;
	ck_assert_int_eq(mibc_value_raw(value, &raw), 0);
	ck_assert_int_gt(mibc_format_value(NULL, &raw, &numeric, text, sizeof(text)), 0);
	char *want = snmpget_value(version, oid);
	ck_assert_msg(strcmp(text, want) == 0, "%s: mibc '%s', snmpget '%s'",
		      oid, text, want);
	free(want);
}

static struct mibc_target *make_target(struct mibc_client *c, enum mibc_version v,
				       unsigned max_objects)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)agent.port;
	cfg.version = v;
	/* long enough never to retransmit on loopback: PDUs are counted */
	cfg.timeout_ms = 5000;
	cfg.retries = 1;
	if (max_objects)
		cfg.max_objects = max_objects;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	return t;
}

/* GET requests the agent has received so far (this one included). */
static uint32_t agent_get_requests(struct mibc_target *t)
{
	static const uint32_t zero[] = { 0 };
	struct mibc_value *v;
	ck_assert_int_eq(mibc_get_wait(t, &snmpv2_mib_snmp_in_get_requests_desc,
				       zero, 1, &v), 0);
	uint32_t n;
	ck_assert_int_eq(snmpv2_mib_snmp_in_get_requests_value(v, &n), 0);
	mibc_value_free(v);
	return n;
}

/* One GET and what its callback saw. */
struct result {
	struct mibc_get req;
	int calls;
	int status;
	struct mibc_value *copy;
};

static void result_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct result *r = req->data;
	ck_assert_ptr_eq(&r->req, req);
	r->calls++;
	r->status = status;
	r->copy = value ? mibc_value_dup(value) : NULL;
	ck_assert(!value || r->copy);
}

/* ---- Meinberg LANTIME: each object through its own typed getter ---- */

static void lantime(enum mibc_version version)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, version, 0);
	enum { REFCLOCK, LEAP, NTP, PTP, PTP_BAD, PS1, PS2, ETH, N };
	struct result r[N];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < N; i++)
		r[i].req.data = &r[i];
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_get(t, &r[REFCLOCK].req, 1, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_leap_second_date_get(t, &r[LEAP].req, 1, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_get(t, &r[NTP].req, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_get(t, &r[PTP].req, 1, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_get(t, &r[PTP_BAD].req, 2, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get(t, &r[PS1].req, 1, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get(t, &r[PS2].req, 2, result_cb), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_eth_port_link_state_get(t, &r[ETH].req, 1, result_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);

	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(r[i].calls, 1);
		ck_assert_msg(r[i].status == (i == PTP_BAD ? MIBC_E_RANGE : 0),
			      "object %d: %s", i, mibc_err_name(r[i].status));
		assert_as_snmpget(version, &r[i].req, r[i].copy);
	}

	enum mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state refclock;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_value(r[REFCLOCK].copy, &refclock), 0);
	ck_assert_int_eq(refclock, MBG_SNMP_LTNG_MIB_MBG_LT_NG_REFCLOCK_STATE_SYNCHRONIZED);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_name(refclock), "synchronized");

	const char *s;
	size_t len;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_leap_second_date_value(r[LEAP].copy, &s, &len), 0);
	ck_assert_str_eq(s, "2016-12-31 23:59:60");
	ck_assert_uint_eq(len, strlen(s));

	enum mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state ntp;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_value(r[NTP].copy, &ntp), 0);
	ck_assert_int_eq(ntp, MBG_SNMP_LTNG_MIB_MBG_LT_NG_NTP_CURRENT_STATE_SYNCHRONIZED);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_name(ntp), "synchronized");

	enum mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state ptp;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_value(r[PTP].copy, &ptp), 0);
	ck_assert_int_eq(ptp, MBG_SNMP_LTNG_MIB_MBG_LT_NG_PTP_PORT_STATE_SLAVE);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_name(ptp), "slave");
	/* outside the enumeration: flagged, still readable, no name */
	ck_assert_int_eq(mibc_value_check(r[PTP_BAD].copy), MIBC_E_RANGE);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_value(r[PTP_BAD].copy, &ptp), 0);
	ck_assert_int_eq(ptp, 42);
	ck_assert_ptr_null(mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_name(ptp));

	enum mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status ps;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_value(r[PS1].copy, &ps), 0);
	ck_assert_int_eq(ps, MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_UP);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_name(ps), "up");
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_value(r[PS2].copy, &ps), 0);
	ck_assert_int_eq(ps, MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_DOWN);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_name(ps), "down");

	enum mbg_snmp_ltng_mib_mbg_lt_ng_eth_port_link_state eth;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_eth_port_link_state_value(r[ETH].copy, &eth), 0);
	ck_assert_int_eq(eth, MBG_SNMP_LTNG_MIB_MBG_LT_NG_ETH_PORT_LINK_STATE_UP);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_eth_port_link_state_name(eth), "up");

	/* an enum read as a string is the wrong type */
	ck_assert_int_eq(mibc_value_get_string(r[REFCLOCK].copy, &s, &len), MIBC_E_WRONG_TYPE);

	for (int i = 0; i < N; i++)
		mibc_value_free(r[i].copy);
	mibc_client_free(c);
}

START_TEST(lantime_v2c)
{
	lantime(MIBC_VERSION_2C);
}
END_TEST

START_TEST(lantime_v1)
{
	lantime(MIBC_VERSION_1);
}
END_TEST

/* ---- the seed's request: three objects in one GET ---- */

struct seed {
	int calls;
	int status[3];
	struct mibc_value *copy[3];
};

static void seed_cb(struct mibc_batch *b)
{
	struct seed *s = b->data;
	s->calls++;
	ck_assert_uint_eq(b->n_items, 3);
	for (size_t i = 0; i < 3; i++) {
		s->status[i] = b->items[i].status;
		s->copy[i] = b->items[i].value ? mibc_value_dup(b->items[i].value) : NULL;
	}
}

/* mbgLtNgRefclockState.1, mbgLtNgSysPsStatus.1, mbgLtNgSysPsStatus.2 with
 * at most `max_objects` per PDU: `pdus` GET PDUs reach the agent. */
static void seed_request(enum mibc_version version, unsigned max_objects, uint32_t pdus)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, version, max_objects);
	struct mibc_get items[3];
	/* the typed batch-item wrappers, as users write it */
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_get_init(&items[0], 1), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get_init(&items[1], 1), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get_init(&items[2], 2), 0);
	ck_assert_ptr_eq(items[2].object, &mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_desc);
	ck_assert_uint_eq(items[2].oid_len, mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_desc.oid_len + 1);
	ck_assert_uint_eq(items[2].oid[items[2].oid_len - 1], 2);

	uint32_t before = agent_get_requests(t);
	struct seed s = { 0 };
	struct mibc_batch batch = { .data = &s };
	ck_assert_int_eq(mibc_get_many(t, &batch, items, 3, seed_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	uint32_t after = agent_get_requests(t);
	ck_assert_int_eq(s.calls, 1);
	/* the batch's PDUs, and the GET that read `after` */
	ck_assert_uint_eq(after - before, pdus + 1);

	for (int i = 0; i < 3; i++) {
		ck_assert_msg(s.status[i] == 0, "item %d: %s", i, mibc_err_name(s.status[i]));
		assert_as_snmpget(version, &items[i], s.copy[i]);
	}
	enum mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state refclock;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_value(s.copy[0], &refclock), 0);
	ck_assert_int_eq(refclock, MBG_SNMP_LTNG_MIB_MBG_LT_NG_REFCLOCK_STATE_SYNCHRONIZED);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_name(refclock), "synchronized");
	enum mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status ps1, ps2;
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_value(s.copy[1], &ps1), 0);
	ck_assert_int_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_value(s.copy[2], &ps2), 0);
	ck_assert_int_eq(ps1, MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_UP);
	ck_assert_int_eq(ps2, MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_DOWN);
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_name(ps1), "up");
	ck_assert_str_eq(mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_name(ps2), "down");
	for (int i = 0; i < 3; i++)
		mibc_value_free(s.copy[i]);
	mibc_client_free(c);
}

/* The seed uses versions 1 and 2c: loop over both. */
static enum mibc_version loop_version(int i)
{
	return i == 0 ? MIBC_VERSION_1 : MIBC_VERSION_2C;
}

START_TEST(seed_one_get)
{
	seed_request(loop_version(_i), 0, 1);
}
END_TEST

START_TEST(seed_syncbox)
{
	seed_request(loop_version(_i), 1, 3);
}
END_TEST

/* ---- iBoot PDU: outletStatus and outletName .0-.7 in one batch ---- */

struct outlets {
	int calls;
	struct result r[16];
};

static void outlets_cb(struct mibc_batch *b)
{
	struct outlets *o = b->data;
	o->calls++;
	for (size_t i = 0; i < b->n_items; i++) {
		o->r[i].calls++;
		o->r[i].status = b->items[i].status;
		o->r[i].copy = b->items[i].value ? mibc_value_dup(b->items[i].value) : NULL;
	}
}

START_TEST(iboot_outlets)
{
	enum mibc_version version = loop_version(_i);
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = make_target(c, version, 0);
	struct mibc_get items[16];
	for (int32_t k = 0; k < 8; k++) {
		const uint32_t ix[] = { (uint32_t)k };
		ck_assert_int_eq(mibc_get_init(&items[k], &ibootpdu_mib_outlet_status_desc, ix, 1), 0);
		ck_assert_int_eq(mibc_get_init(&items[8 + k], &ibootpdu_mib_outlet_name_desc, ix, 1), 0);
	}
	static struct outlets o;
	memset(&o, 0, sizeof(o));
	struct mibc_batch batch = { .data = &o };
	ck_assert_int_eq(mibc_get_many(t, &batch, items, 16, outlets_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(o.calls, 1);
	for (int i = 0; i < 16; i++) {
		ck_assert_int_eq(o.r[i].calls, 1);
		ck_assert_msg(o.r[i].status == 0, "item %d: %s", i, mibc_err_name(o.r[i].status));
		assert_as_snmpget(version, &items[i], o.r[i].copy);
	}
	for (int k = 0; k < 8; k++) {
		enum ibootpdu_mib_outlet_status st;
		ck_assert_int_eq(ibootpdu_mib_outlet_status_value(o.r[k].copy, &st), 0);
		ck_assert_int_eq(st, outlet_states[k]);
		ck_assert_str_eq(ibootpdu_mib_outlet_status_name(st), outlet_state_names[k]);
		const char *s;
		size_t len;
		ck_assert_int_eq(ibootpdu_mib_outlet_name_value(o.r[8 + k].copy, &s, &len), 0);
		ck_assert_str_eq(s, outlet_names[k]);
		ck_assert_uint_eq(len, strlen(outlet_names[k]));
	}
	/* the same through the per-object getters */
	struct result r = { 0 };
	r.req.data = &r;
	ck_assert_int_eq(ibootpdu_mib_outlet_name_get(t, &r.req, 4, result_cb), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(r.status, 0);
	const char *s;
	ck_assert_int_eq(ibootpdu_mib_outlet_name_value(r.copy, &s, NULL), 0);
	ck_assert_str_eq(s, "Filter wheel");
	mibc_value_free(r.copy);
	for (int i = 0; i < 16; i++)
		mibc_value_free(o.r[i].copy);
	mibc_client_free(c);
}
END_TEST

/* ---- the README's example program against the simulated LANTIME ---- */

START_TEST(example_program)
{
	char *exe, port[16];
	if (asprintf(&exe, "%s/examples/meinberg-get", test_env("MIBC_BUILD_ROOT")) < 0)
		abort();
	snprintf(port, sizeof(port), "%d", agent.port);
	struct test_run r = test_run_argv(NULL,
		(const char *const[]){ exe, "127.0.0.1", port, NULL }, 30);
	ck_assert_msg(r.status == 0, "%s: %d %s %s", exe, r.status, r.out, r.err);
	ck_assert_str_eq(r.out, "mbgLtNgRefclockState.1 = synchronized(1)\n");
	test_run_free(&r);
	/* nobody listens: the error, exit 1 */
	snprintf(port, sizeof(port), "%d", test_free_udp_port());
	r = test_run_argv(NULL, (const char *const[]){ exe, "127.0.0.1", port, NULL }, 30);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "mbgLtNgRefclockState.1: no response from the agent\n");
	test_run_free(&r);
	free(exe);

	/* README.md shows the same program */
	char *src_path = test_data_path("../examples/meinberg-get.c");
	char *readme_path = test_data_path("../README.md");
	char *src = test_read_file(src_path, NULL);
	char *readme = test_read_file(readme_path, NULL);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(readme);
	const char *body = strstr(src, "#include <stdio.h>");
	ck_assert_ptr_nonnull(body);
	ck_assert_msg(strstr(readme, body) != NULL,
		      "README.md's example differs from examples/meinberg-get.c");
	free(src);
	free(readme);
	free(src_path);
	free(readme_path);
}
END_TEST

int main(void)
{
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd or snmpget not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("vendor");
	TCase *tc = tcase_create("snmpd");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	tcase_add_test(tc, lantime_v2c);
	tcase_add_test(tc, lantime_v1);
	tcase_add_loop_test(tc, seed_one_get, 0, 2);
	tcase_add_loop_test(tc, seed_syncbox, 0, 2);
	tcase_add_loop_test(tc, iboot_outlets, 0, 2);
	tcase_add_test(tc, example_program);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
