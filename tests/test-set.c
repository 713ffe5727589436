/* SET (mibc/set.h) against a real snmpd: values set over v1, v2c and v3
 * and read back with snmpget; the same texts set with snmpset and with
 * mibc_parse_value + mibc_set give the same values; requests the MIB
 * forbids never reach the agent (its snmpInSetRequests counter stays);
 * the agent's error-status values come back as their own codes, the
 * blamed instance named; RowStatus rows created and destroyed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>
#include <mibc/mibc.h>
#include <mibc/parse.h>
#include <mibc/set.h>

#include "agent.h"
#include "testlib.h"

#include "mibc-test-mib.h"
#include "snmp-notification-mib.h"
#include "snmpv2-mib.h"

static struct test_agent agent;

static void agent_up(void)
{
	/* no syscontact/syslocation lines: snmpd makes configured ones
	 * read-only */
	test_agent_start(&agent,
		"createUser setuser SHA setuser-auth-pw AES setuser-priv-pw\n"
		"rwuser setuser priv\n");
	/* the MIBs snmpset needs to read texts through hints and names */
	char *mibs;
	if (asprintf(&mibs, "%s/mibs", agent.dir) < 0)
		abort();
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana");
	test_link_folder(ietf, mibs);
	test_link_folder(iana, mibs);
	free(ietf);
	free(iana);
	free(mibs);
}

static void agent_down(void)
{
	test_agent_stop(&agent);
}

static struct mibc_target *target_v(struct mibc_client *c, enum mibc_version v,
				    const char *community)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)agent.port;
	cfg.version = v;
	cfg.community = community;
	cfg.timeout_ms = 2000;
	cfg.retries = 1;
	if (v == MIBC_VERSION_3) {
		cfg.user = "setuser";
		cfg.auth_password = "setuser-auth-pw";
		cfg.priv_password = "setuser-priv-pw";
	}
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	return t;
}

/* snmpget's value of one instance (after " = ", without the newline),
 * malloc'd. */
static char *snmpget_value(const char *oid)
{
	struct test_run r = test_agent_tool(&agent, "snmpget",
		(const char *const[]){ "-On", "-v2c", "-c", "public",
				       agent.address, oid, NULL });
	ck_assert_msg(r.status == 0, "snmpget %s: %s", oid, r.err);
	const char *v = strstr(r.out, " = ");
	ck_assert_ptr_nonnull(v);
	char *value = strdup(v + 3);
	size_t n = strlen(value);
	while (n && (value[n - 1] == '\n' || value[n - 1] == ' '))
		value[--n] = '\0';
	test_run_free(&r);
	return value;
}

/* SET requests the agent has seen (SNMPv2-MIB::snmpInSetRequests). */
static unsigned long set_requests_seen(void)
{
	char *v = snmpget_value(".1.3.6.1.2.1.11.17.0");
	unsigned long n;
	ck_assert_msg(sscanf(v, "Counter32: %lu", &n) == 1, "%s", v);
	free(v);
	return n;
}

static const uint32_t scalar[] = { 0 };

struct done {
	int calls;
	int status;
};

static void on_set(struct mibc_set *req, int status)
{
	struct done *d = req->data;
	d->calls++;
	d->status = status;
	ck_assert_int_eq(req->status, status);
	ck_assert_ptr_null(req->mibc_private_.op);
}

static void on_batch(struct mibc_set_batch *batch)
{
	struct done *d = batch->data;
	d->calls++;
	d->status = batch->status;
}

/* sysContact and sysLocation in one PDU, read back with snmpget. */
static void set_both(struct mibc_client *c, struct mibc_target *t,
		     const char *contact, const char *location)
{
	struct mibc_data v0 = mibc_data_octets((const uint8_t *)contact,
					       strlen(contact));
	struct mibc_data v1 = mibc_data_octets((const uint8_t *)location,
					       strlen(location));
	struct mibc_set items[2];
	ck_assert_int_eq(mibc_set_init(&items[0], &snmpv2_mib_sys_contact_desc,
				       scalar, 1, &v0), 0);
	ck_assert_int_eq(mibc_set_init(&items[1], &snmpv2_mib_sys_location_desc,
				       scalar, 1, &v1), 0);
	struct done d = { 0, 1 };
	struct mibc_set_batch batch = { .data = &d };
	ck_assert_int_eq(mibc_set_many(t, &batch, items, 2, on_batch), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d.calls, 1);
	ck_assert_msg(d.status == 0, "%s", mibc_strerror(d.status));
	ck_assert_int_eq(items[0].status, 0);
	ck_assert_int_eq(items[1].status, 0);
	ck_assert_uint_eq(batch.failed, 2);

	char want[512];
	char *got = snmpget_value(".1.3.6.1.2.1.1.4.0");
	snprintf(want, sizeof want, "STRING: \"%s\"", contact);
	ck_assert_str_eq(got, want);
	free(got);
	got = snmpget_value(".1.3.6.1.2.1.1.6.0");
	snprintf(want, sizeof want, "STRING: \"%s\"", location);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(round_trip)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	set_both(c, target_v(c, MIBC_VERSION_2C, "private"), "ops desk, v2c",
		 "dome 2, v2c");
	set_both(c, target_v(c, MIBC_VERSION_3, NULL), "ops desk, v3",
		 "dome 2, v3");
	/* one object, blocking, over v1 */
	struct mibc_data name = mibc_data_octets((const uint8_t *)"telescope-1", 11);
	ck_assert_int_eq(mibc_set_wait(target_v(c, MIBC_VERSION_1, "private"),
				       &snmpv2_mib_sys_name_desc, scalar, 1,
				       &name), 0);
	char *got = snmpget_value(".1.3.6.1.2.1.1.5.0");
	ck_assert_str_eq(got, "STRING: \"telescope-1\"");
	free(got);
	mibc_client_free(c);
}
END_TEST

/* The same text through snmpset (type `=`: the MIB decides) and through
 * mibc_parse_value + mibc_set: snmpget reads the same value back. */
static void same_as_snmpset(struct mibc_target *t,
			    const struct mibc_object_desc *o, const char *oid,
			    const char *text, const char *other)
{
	static struct mibc_parsed parsed;
	char name[128];
	snprintf(name, sizeof name, "%s::%s.0", o->module->name, o->name);
	struct test_run r = test_agent_tool(&agent, "snmpset",
		(const char *const[]){ "-m", "ALL", "-v2c", "-c", "private",
				       agent.address, name, "=", text, NULL });
	ck_assert_msg(r.status == 0, "snmpset %s = %s: %s", name, text, r.err);
	test_run_free(&r);
	char *by_snmpset = snmpget_value(oid);

	/* something else first, so the second SET shows */
	ck_assert_int_eq(mibc_parse_value(o, other, NULL, &parsed), 0);
	ck_assert_int_eq(mibc_set_wait(t, o, scalar, 1, &parsed.value), 0);
	char *between = snmpget_value(oid);
	ck_assert_str_ne(between, by_snmpset);

	int rc = mibc_parse_value(o, text, NULL, &parsed);
	ck_assert_msg(rc == 0, "%s [%s]: %s", name, text, mibc_strerror(rc));
	rc = mibc_set_wait(t, o, scalar, 1, &parsed.value);
	ck_assert_msg(rc == 0, "%s [%s]: %s", name, text, mibc_strerror(rc));
	char *by_mibc = snmpget_value(oid);
	ck_assert_str_eq(by_mibc, by_snmpset);
	free(by_snmpset);
	free(between);
	free(by_mibc);
}

START_TEST(texts_as_snmpset)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "private");
	same_as_snmpset(t, &snmpv2_mib_sys_contact_desc, ".1.3.6.1.2.1.1.4.0",
			"Ops \"Desk\" <ops@example.org>", "x");
	same_as_snmpset(t, &snmpv2_mib_sys_location_desc, ".1.3.6.1.2.1.1.6.0",
			"Dome 2, rack 7", "x");
	same_as_snmpset(t, &snmpv2_mib_snmp_enable_authen_traps_desc,
			".1.3.6.1.2.1.11.30.0", "disabled", "enabled");
	same_as_snmpset(t, &snmpv2_mib_snmp_enable_authen_traps_desc,
			".1.3.6.1.2.1.11.30.0", "1", "disabled(2)");
	mibc_client_free(c);
}
END_TEST

/* What the MIB forbids is refused before anything is sent. */
START_TEST(validated_before_sending)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "private");
	unsigned long before = set_requests_seen();

	struct done d = { 0, 1 };
	struct mibc_set req = { .data = &d };
	struct mibc_data text = mibc_data_octets((const uint8_t *)"x", 1);
	/* sysDescr is read-only */
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_descr_desc, scalar, 1,
				  &text, on_set), MIBC_E_MIB_READ_ONLY);
	/* DisplayString (SIZE (0..255)) */
	static uint8_t long_text[256];
	memset(long_text, 'a', sizeof long_text);
	struct mibc_data too_long = mibc_data_octets(long_text, 256);
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_contact_desc, scalar, 1,
				  &too_long, on_set), MIBC_E_RANGE);
	/* an INTEGER for a DisplayString */
	struct mibc_data five = mibc_data_integer(5);
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_contact_desc, scalar, 1,
				  &five, on_set), MIBC_E_WRONG_TYPE);
	/* enabled(1), disabled(2) only */
	struct mibc_data three = mibc_data_integer(3);
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_snmp_enable_authen_traps_desc,
				  scalar, 1, &three, on_set), MIBC_E_RANGE);
	/* no instance */
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_contact_desc, scalar, 0,
				  &text, on_set), MIBC_E_INDEX);
	/* a table is not an instance's object */
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_or_table_desc, scalar,
				  1, &text, on_set), MIBC_E_MIB_READ_ONLY);
	/* texts that are no value of the object */
	static struct mibc_parsed parsed;
	ck_assert_int_eq(mibc_parse_value(&snmpv2_mib_snmp_enable_authen_traps_desc,
					  "sideways", NULL, &parsed), MIBC_E_PARSE);
	ck_assert_int_eq(mibc_parse_value(&snmpv2_mib_snmp_enable_authen_traps_desc,
					  "3", NULL, &parsed), MIBC_E_RANGE);
	/* items of a batch: one bad item refuses the batch */
	struct mibc_set items[2];
	ck_assert_int_eq(mibc_set_init(&items[0], &snmpv2_mib_sys_contact_desc,
				       scalar, 1, &text), 0);
	memset(&items[1], 0, sizeof items[1]);
	struct mibc_set_batch batch = { .data = &d };
	ck_assert_int_eq(mibc_set_many(t, &batch, items, 2, on_batch),
			 MIBC_E_INVAL);

	ck_assert_uint_eq(mibc_client_pending(c), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d.calls, 0);
	ck_assert_uint_eq(set_requests_seen(), before);

	/* and a good one is counted: the counter works */
	ck_assert_int_eq(mibc_set_wait(t, &snmpv2_mib_sys_contact_desc, scalar, 1,
				       &text), 0);
	ck_assert_uint_eq(set_requests_seen(), before + 1);
	mibc_client_free(c);
}
END_TEST

/* SET by OID, unchecked, and wait for the outcome. */
static int set_oid_wait(struct mibc_client *c, struct mibc_target *t,
			const uint32_t *oid, size_t len,
			const struct mibc_data *value)
{
	struct done d = { 0, 1 };
	struct mibc_set req = { .data = &d };
	ck_assert_int_eq(mibc_set_init_oid(&req, oid, len, value), 0);
	ck_assert_ptr_null(req.object);
	ck_assert_int_eq(mibc_set_send(t, &req, on_set), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d.calls, 1);
	return d.status;
}

START_TEST(agent_errors)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "private");
	static const uint32_t descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const uint32_t contact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };
	static const uint32_t location[] = { 1, 3, 6, 1, 2, 1, 1, 6, 0 };
	static const uint32_t traps[] = { 1, 3, 6, 1, 2, 1, 11, 30, 0 };
	struct mibc_data text = mibc_data_octets((const uint8_t *)"x", 1);
	struct mibc_data five = mibc_data_integer(5);

	int rc = set_oid_wait(c, t, descr, 9, &text);
	ck_assert_int_eq(rc, MIBC_E_NOT_WRITABLE);
	ck_assert_ptr_nonnull(strstr(mibc_strerror(rc), "notWritable"));
	rc = set_oid_wait(c, t, contact, 9, &five);
	ck_assert_int_eq(rc, MIBC_E_AGENT_WRONG_TYPE);
	ck_assert_ptr_nonnull(strstr(mibc_strerror(rc), "wrongType"));
	ck_assert_str_eq(mibc_err_name(rc), "MIBC_E_AGENT_WRONG_TYPE");
	/* a read-only community: noAccess */
	rc = set_oid_wait(c, target_v(c, MIBC_VERSION_2C, "public"), contact, 9,
			  &text);
	ck_assert_int_eq(rc, MIBC_E_NO_ACCESS);
	/* SNMPv1 has no notWritable: noSuchName (RFC 2576 4.3) */
	rc = set_oid_wait(c, target_v(c, MIBC_VERSION_1, "private"), descr, 9,
			  &text);
	ck_assert_int_eq(rc, MIBC_E_NO_SUCH_NAME);

	/* all or nothing: the agent blames the second, the first is undone */
	struct mibc_data keep = mibc_data_octets((const uint8_t *)"kept", 4);
	ck_assert_int_eq(mibc_set_wait(t, &snmpv2_mib_sys_location_desc, scalar,
				       1, &keep), 0);
	struct mibc_data lost = mibc_data_octets((const uint8_t *)"lost", 4);
	struct mibc_data three = mibc_data_integer(3);
	struct mibc_set items[2];
	ck_assert_int_eq(mibc_set_init_oid(&items[0], location, 9, &lost), 0);
	ck_assert_int_eq(mibc_set_init_oid(&items[1], traps, 9, &three), 0);
	struct done d = { 0, 1 };
	struct mibc_set_batch batch = { .data = &d };
	ck_assert_int_eq(mibc_set_many(t, &batch, items, 2, on_batch), 0);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d.calls, 1);
	ck_assert_int_eq(batch.status, MIBC_E_WRONG_VALUE);
	ck_assert_uint_eq(batch.failed, 1);
	ck_assert_int_eq(items[0].status, MIBC_E_SET_UNDONE);
	ck_assert_int_eq(items[1].status, MIBC_E_WRONG_VALUE);
	char *got = snmpget_value(".1.3.6.1.2.1.1.6.0");
	ck_assert_str_eq(got, "STRING: \"kept\"");
	free(got);

	/* every SNMPv2 error-status has its code and message */
	for (int32_t s = 6; s <= 18; s++) {
		int code = mibc_error_status_code(s);
		ck_assert_int_lt(code, 0);
		ck_assert_int_ne(code, MIBC_E_SNMP_ERROR);
		ck_assert_ptr_nonnull(mibc_err_name(code));
		ck_assert_ptr_nonnull(strstr(mibc_strerror(code), "agent error"));
	}
	ck_assert_int_eq(mibc_error_status_code(0), 0);
	ck_assert_int_eq(mibc_error_status_code(2), MIBC_E_NO_SUCH_NAME);
	ck_assert_int_eq(mibc_error_status_code(19), MIBC_E_SNMP_ERROR);
	mibc_client_free(c);
}
END_TEST

/* Run the loop until `d` saw its callback; its status. */
static int wait_done(struct mibc_client *c, const struct done *d)
{
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d->calls, 1);
	return d->status;
}

/* The generated typed setters: one object, and several in one PDU. */
START_TEST(generated_setters)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *t = target_v(c, MIBC_VERSION_2C, "private");
	struct done d = { 0, 1 };
	struct mibc_set req = { .data = &d };
	ck_assert_int_eq(snmpv2_mib_snmp_enable_authen_traps_set(t, &req,
		SNMPV2_MIB_SNMP_ENABLE_AUTHEN_TRAPS_DISABLED, on_set), 0);
	ck_assert_int_eq(wait_done(c, &d), 0);
	char *got = snmpget_value(".1.3.6.1.2.1.11.30.0");
	ck_assert_str_eq(got, "INTEGER: 2");
	free(got);

	struct mibc_set items[3];
	ck_assert_int_eq(snmpv2_mib_sys_contact_set_init(&items[0], "typed", 5), 0);
	ck_assert_int_eq(snmpv2_mib_sys_location_set_init(&items[1], "setters", 7), 0);
	ck_assert_int_eq(snmpv2_mib_snmp_enable_authen_traps_set_init(&items[2],
		SNMPV2_MIB_SNMP_ENABLE_AUTHEN_TRAPS_ENABLED), 0);
	d.calls = 0;
	struct mibc_set_batch batch = { .data = &d };
	ck_assert_int_eq(mibc_set_many(t, &batch, items, 3, on_batch), 0);
	ck_assert_int_eq(wait_done(c, &d), 0);
	got = snmpget_value(".1.3.6.1.2.1.1.4.0");
	ck_assert_str_eq(got, "STRING: \"typed\"");
	free(got);
	got = snmpget_value(".1.3.6.1.2.1.1.6.0");
	ck_assert_str_eq(got, "STRING: \"setters\"");
	free(got);
	got = snmpget_value(".1.3.6.1.2.1.11.30.0");
	ck_assert_str_eq(got, "INTEGER: 1");
	free(got);

	/* checked before sending: enabled(1), disabled(2) only */
	d.calls = 0;
	ck_assert_int_eq(snmpv2_mib_snmp_enable_authen_traps_set(t, &req,
		(enum snmpv2_mib_snmp_enable_authen_traps)3, on_set), MIBC_E_RANGE);
	ck_assert_int_eq(mibc_client_run(c), 0);
	ck_assert_int_eq(d.calls, 0);
	mibc_client_free(c);
}
END_TEST

/* What snmpwalk shows of a snmpNotifyTable row, one line per column. */
static char *notify_row(void)
{
	struct test_run r = test_agent_tool(&agent, "snmpwalk",
		(const char *const[]){ "-On", "-v2c", "-c", "public",
				       agent.address, ".1.3.6.1.6.3.13.1.1", NULL });
	ck_assert_msg(r.status == 0, "snmpwalk: %s", r.err);
	char *out = strdup(r.out);
	test_run_free(&r);
	return out;
}

/* RowStatus: a row made with createAndGo (with a column in the same
 * PDU) and removed with destroy, over v2c and v3. */
START_TEST(row_status)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target *targets[] = {
		target_v(c, MIBC_VERSION_2C, "private"),
		target_v(c, MIBC_VERSION_3, NULL),
	};
	for (size_t k = 0; k < 2; k++) {
		struct mibc_target *t = targets[k];
		/* snmpNotifyName 'n1' (IMPLIED): .110.49 */
		struct done d = { 0, 1 };
		struct mibc_set req = { .data = &d };
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_row_status_create_and_go(
					 t, &req, "n1", 2, on_set), 0);
		ck_assert_int_eq(wait_done(c, &d), 0);
		char *row = notify_row();
		ck_assert_msg(strstr(row, ".1.3.6.1.6.3.13.1.1.1.5.110.49 = INTEGER: 1"),
			      "%s", row);
		free(row);
		/* the row exists now: createAndGo again is inconsistent */
		d.calls = 0;
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_row_status_create_and_go(
					 t, &req, "n1", 2, on_set), 0);
		ck_assert_int_eq(wait_done(c, &d), MIBC_E_INCONSISTENT_VALUE);
		d.calls = 0;
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_row_status_destroy(
					 t, &req, "n1", 2, on_set), 0);
		ck_assert_int_eq(wait_done(c, &d), 0);
		row = notify_row();
		ck_assert_msg(!strstr(row, ".110.49 ="), "%s", row);
		free(row);

		/* a row with a column in the same PDU */
		struct mibc_set items[2];
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_tag_set_init(
					 &items[0], "n2", 2, "racks", 5), 0);
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_row_status_set_init(
					 &items[1], "n2", 2,
					 SNMPV2_TC_ROW_STATUS_CREATE_AND_GO), 0);
		d.calls = 0;
		struct mibc_set_batch batch = { .data = &d };
		ck_assert_int_eq(mibc_set_many(t, &batch, items, 2, on_batch), 0);
		ck_assert_int_eq(wait_done(c, &d), 0);
		row = notify_row();
		ck_assert_msg(strstr(row, ".1.3.6.1.6.3.13.1.1.1.2.110.50 = STRING: \"racks\""),
			      "%s", row);
		free(row);
		d.calls = 0;
		ck_assert_int_eq(snmp_notification_mib_snmp_notify_row_status_destroy(
					 t, &req, "n2", 2, on_set), 0);
		ck_assert_int_eq(wait_done(c, &d), 0);
	}
	mibc_client_free(c);
}
END_TEST

/* No agent: a timeout; a pending SET canceled. */
START_TEST(timeout_and_cancel)
{
	struct mibc_client *c;
	ck_assert_int_eq(mibc_client_new(&c), 0);
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = "127.0.0.1";
	cfg.port = (uint16_t)test_free_udp_port();
	cfg.community = "private";
	cfg.timeout_ms = 100;
	cfg.retries = 0;
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(c, &cfg, &t), 0);
	struct mibc_data text = mibc_data_octets((const uint8_t *)"x", 1);
	ck_assert_int_eq(mibc_set_wait(t, &snmpv2_mib_sys_contact_desc, scalar, 1,
				       &text), MIBC_E_TIMEOUT);

	struct done d = { 0, 1 };
	struct mibc_set req = { .data = &d };
	ck_assert_int_eq(mibc_set(t, &req, &snmpv2_mib_sys_contact_desc, scalar,
				  1, &text, on_set), 0);
	ck_assert_int_eq(mibc_set_send(t, &req, on_set), MIBC_E_BUSY);
	ck_assert_int_eq(mibc_set_cancel(&req), 0);
	ck_assert_int_eq(d.calls, 1);
	ck_assert_int_eq(d.status, MIBC_E_CANCELED);
	ck_assert_int_eq(mibc_set_cancel(&req), MIBC_E_INVAL);
	ck_assert_uint_eq(mibc_client_pending(c), 0);
	mibc_client_free(c);
}
END_TEST

/* The generated setters of every kind of value: the wire type and
 * instance they prepare, and the MIB's limits they enforce. */
START_TEST(generated_checks)
{
	struct mibc_set req;
	const struct mibc_object_desc *mac = &mibc_test_mib_mibc_tc_mac_desc;
	static const uint8_t mac_value[6] = { 0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e };
	ck_assert_int_eq(mibc_test_mib_mibc_tc_mac_set_init(&req, mac_value, 6), 0);
	ck_assert_ptr_eq(req.object, mac);
	ck_assert_int_eq(req.value.wire, MIBC_WIRE_OCTET_STRING);
	ck_assert_uint_eq(req.oid_len, mac->oid_len + 1u);
	ck_assert_uint_eq(req.oid[mac->oid_len], 0);
	ck_assert_int_eq(mibc_oid_compare(req.oid, mac->oid_len, mac->oid,
					  mac->oid_len), 0);

	static const uint8_t ip[4] = { 192, 0, 2, 1 };
	ck_assert_int_eq(mibc_test_mib_mibc_ip_address_set_init(&req, ip), 0);
	ck_assert_int_eq(req.value.wire, MIBC_WIRE_IPADDRESS);
	ck_assert_uint_eq(req.value.len, 4);
	ck_assert_int_eq(mibc_test_mib_mibc_unsigned32_set_init(&req, UINT32_MAX), 0);
	ck_assert_int_eq(req.value.wire, MIBC_WIRE_GAUGE32);
	ck_assert_uint_eq(req.value.u, UINT32_MAX);
	ck_assert_int_eq(mibc_test_mib_mibc_time_ticks_set_init(&req, 12345), 0);
	ck_assert_int_eq(req.value.wire, MIBC_WIRE_TIMETICKS);

	/* SIZE (8) */
	static const uint8_t eight[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	ck_assert_int_eq(mibc_test_mib_mibc_octet_fixed_set_init(&req, eight, 8), 0);
	ck_assert_int_eq(mibc_test_mib_mibc_octet_fixed_set_init(&req, eight, 7),
			 MIBC_E_RANGE);
	/* named bits only: first(0) third(2) ninth(8), not bit 3 */
	static const uint8_t bits[2] = { 0xa0, 0x80 }, bit3[1] = { 0x10 };
	ck_assert_int_eq(mibc_test_mib_mibc_bits_set_value_init(&req, bits, 2), 0);
	ck_assert_int_eq(mibc_test_mib_mibc_bits_set_value_init(&req, bit3, 1),
			 MIBC_E_RANGE);
	/* enumeration, ranges (0..10 | 20..30 | 100), sizes (0..64) */
	ck_assert_int_eq(mibc_test_mib_mibc_enum_set_init(&req,
		(enum mibc_test_mib_mibc_enum)99), MIBC_E_RANGE);
	ck_assert_int_eq(mibc_test_mib_mibc_tc_ranges_set_init(&req, 15),
			 MIBC_E_RANGE);
	ck_assert_int_eq(mibc_test_mib_mibc_tc_ranges_set_init(&req, 100), 0);
	static char text[65];
	memset(text, 't', sizeof text);
	ck_assert_int_eq(mibc_test_mib_mibc_display_string_set_init(&req, text, 64), 0);
	ck_assert_int_eq(mibc_test_mib_mibc_display_string_set_init(&req, text, 65),
			 MIBC_E_RANGE);
	/* OIDs of at least two sub-identifiers */
	static const uint32_t one[1] = { 1 }, three[3] = { 1, 3, 6 };
	ck_assert_int_eq(mibc_test_mib_mibc_tc_pointer_set_init(&req, one, 1),
			 MIBC_E_RANGE);
	ck_assert_int_eq(mibc_test_mib_mibc_tc_pointer_set_init(&req, three, 3), 0);
	ck_assert_int_eq(req.value.wire, MIBC_WIRE_OID);

	/* read-create columns at their instance */
	const struct mibc_object_desc *name = &mibc_test_mib_mibc_create_name_desc;
	ck_assert_int_eq(mibc_test_mib_mibc_create_name_set_init(&req, 7, "x", 1), 0);
	ck_assert_uint_eq(req.oid_len, name->oid_len + 1u);
	ck_assert_uint_eq(req.oid[name->oid_len], 7);
	ck_assert_int_eq(mibc_test_mib_mibc_create_status_set_init(&req, 7,
		SNMPV2_TC_ROW_STATUS_CREATE_AND_WAIT), 0);
	ck_assert_int_eq(req.value.i, MIBC_ROW_CREATE_AND_WAIT);
	/* a RowStatus outside active(1)..destroy(6) */
	ck_assert_int_eq(mibc_set_init_row_status(&req,
		&mibc_test_mib_mibc_create_status_desc, one, 1,
		(enum mibc_row_status)7), MIBC_E_RANGE);
	/* not writable: no generated setter, and refused by the runtime */
	struct mibc_data m = mibc_data_octets(mac_value, 6);
	ck_assert_int_eq(mibc_set_init(&req, &mibc_test_mib_mibc_mac_address_desc,
				       one, 1, &m), MIBC_E_MIB_READ_ONLY);
	struct mibc_data n = mibc_data_integer(1);
	ck_assert_int_eq(mibc_set_init(&req, &mibc_test_mib_mibc_notify_only_desc,
				       one, 1, &n), MIBC_E_MIB_READ_ONLY);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("set");
	TCase *unit = tcase_create("unit");
	tcase_add_test(unit, generated_checks);
	suite_add_tcase(s, unit);
	if (!test_agent_available()) {
		fprintf(stderr, "snmpd/snmpget not available: agent tests skipped\n");
		return test_run_suite(s);
	}
	TCase *tc = tcase_create("snmpd");
	tcase_add_unchecked_fixture(tc, agent_up, agent_down);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, texts_as_snmpset);
	tcase_add_test(tc, validated_before_sending);
	tcase_add_test(tc, agent_errors);
	tcase_add_test(tc, timeout_and_cancel);
	tcase_add_test(tc, generated_setters);
	tcase_add_test(tc, row_status);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
