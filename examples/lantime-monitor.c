/* A Meinberg LANTIME check, in the style of a Nagios/Icinga plugin: the
 * reference clock, NTP, the first PTP port and both power supplies, read in
 * one GET through the descriptors and typed decoders mibc generated from
 * MBG-SNMP-LTNG-MIB (generated/mbg-snmp-ltng-mib.h).
 *
 *   lantime-monitor [-c COMMUNITY] [-1] ADDRESS [PORT]
 *
 *   reference clock 1: synchronized
 *   NTP: synchronized
 *   PTP port 1: slave
 *   power supply 1: up
 *   power supply 2: down
 *   LANTIME CRITICAL: power supply 2 down
 *
 * Exit status as monitoring plugins have it: 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN (no answer, or an object the device does not have). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mibc/mibc.h>

#include "mbg-snmp-ltng-mib.h"

enum { OK, WARNING, CRITICAL, UNKNOWN };
static const char *const verdicts[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* What is asked, in one PDU. */
enum { REFCLOCK, NTP, PTP_PORT, POWER_1, POWER_2, N_ITEMS };
static const char *const labels[N_ITEMS] = {
	[REFCLOCK] = "reference clock 1",
	[NTP] = "NTP",
	[PTP_PORT] = "PTP port 1",
	[POWER_1] = "power supply 1",
	[POWER_2] = "power supply 2",
};

struct check {
	int verdict;
	char problems[512];
};

/* Raise the verdict and note why ("power supply 2 down"). */
static void problem(struct check *c, int verdict, const char *label, const char *state)
{
	if (verdict > c->verdict)
		c->verdict = verdict;
	size_t used = strlen(c->problems);
	snprintf(c->problems + used, sizeof(c->problems) - used, "%s%s %s",
		 used ? ", " : "", label, state);
}

/* The state's name, or its number when the MIB names none. */
static const char *state_name(const char *name, int32_t value, char buf[16])
{
	if (name)
		return name;
	snprintf(buf, 16, "%d", (int)value);
	return buf;
}

static void judge(struct check *c, int item, const struct mibc_value *value)
{
	char buf[16];
	const char *label = labels[item], *name = NULL;
	int bad = OK;
	int32_t raw = 0;
	switch (item) {
	case REFCLOCK: {
		enum mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state s = MBG_SNMP_LTNG_MIB_MBG_LT_NG_REFCLOCK_STATE_NOT_AVAILABLE;
		mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_value(value, &s);
		raw = s;
		name = mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_name(s);
		if (s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_REFCLOCK_STATE_SYNCHRONIZED)
			bad = CRITICAL;
		break;
	}
	case NTP: {
		enum mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state s = MBG_SNMP_LTNG_MIB_MBG_LT_NG_NTP_CURRENT_STATE_NOT_AVAILABLE;
		mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_value(value, &s);
		raw = s;
		name = mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_name(s);
		if (s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_NTP_CURRENT_STATE_SYNCHRONIZED)
			bad = CRITICAL;
		break;
	}
	case PTP_PORT: {
		enum mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state s = MBG_SNMP_LTNG_MIB_MBG_LT_NG_PTP_PORT_STATE_UNINITIALIZED;
		mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_value(value, &s);
		raw = s;
		name = mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_name(s);
		/* a port in a stable role is fine; anything else is transient
		 * or broken */
		if (s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_PTP_PORT_STATE_SLAVE
		    && s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_PTP_PORT_STATE_MASTER
		    && s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_PTP_PORT_STATE_PASSIVE)
			bad = WARNING;
		break;
	}
	default: {
		enum mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status s = MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_NOT_AVAILABLE;
		mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_value(value, &s);
		raw = s;
		name = mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_name(s);
		if (s != MBG_SNMP_LTNG_MIB_MBG_LT_NG_SYS_PS_STATUS_UP)
			bad = CRITICAL;
		break;
	}
	}
	const char *state = state_name(name, raw, buf);
	printf("%s: %s\n", label, state);
	if (bad != OK)
		problem(c, bad, label, state);
}

static void on_answers(struct mibc_batch *batch)
{
	struct check *c = batch->data;
	/* one PDU: when it went unanswered, every item did */
	if (batch->items[0].status == MIBC_E_TIMEOUT) {
		problem(c, UNKNOWN, "agent", mibc_strerror(MIBC_E_TIMEOUT));
		return;
	}
	for (size_t i = 0; i < batch->n_items; i++) {
		const struct mibc_get *item = &batch->items[i];
		/* MIBC_E_RANGE: a state this MIB revision does not name; still
		 * a number worth showing */
		if (item->status == 0 || item->status == MIBC_E_RANGE) {
			judge(c, (int)i, item->value);
			continue;
		}
		printf("%s: %s\n", labels[i], mibc_strerror(item->status));
		problem(c, UNKNOWN, labels[i], "unknown");
	}
}

static int usage(const char *program)
{
	fprintf(stderr, "usage: %s [-c COMMUNITY] [-1] ADDRESS [PORT]\n", program);
	return UNKNOWN;
}

int main(int argc, char **argv)
{
	struct mibc_target_config config;
	mibc_target_config_init(&config);   /* v2c, community "public", port 161 */
	config.timeout_ms = 2000;
	config.retries = 2;
	int opt;
	while ((opt = getopt(argc, argv, "c:1")) != -1) {
		if (opt == 'c')
			config.community = optarg;
		else if (opt == '1')
			config.version = MIBC_VERSION_1;
		else
			return usage(argv[0]);
	}
	if (argc - optind < 1 || argc - optind > 2)
		return usage(argv[0]);
	config.address = argv[optind];
	if (argc - optind == 2)
		config.port = (uint16_t)atoi(argv[optind + 1]);

	struct mibc_client *client;
	struct mibc_target *target;
	int err = mibc_client_new(&client);
	if (err == 0 && (err = mibc_target_new(client, &config, &target)) < 0)
		mibc_client_free(client);
	if (err < 0) {
		printf("LANTIME UNKNOWN: %s: %s\n", config.address, mibc_strerror(err));
		return UNKNOWN;
	}

	/* the generated typed initializers: instance indexes as the MIB
	 * types them */
	struct mibc_get items[N_ITEMS];
	mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_get_init(&items[REFCLOCK], 1);
	mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_get_init(&items[NTP]);
	mbg_snmp_ltng_mib_mbg_lt_ng_ptp_port_state_get_init(&items[PTP_PORT], 1);
	mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get_init(&items[POWER_1], 1);
	mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_get_init(&items[POWER_2], 2);
	struct check check = { .verdict = OK };
	struct mibc_batch batch = { .data = &check };
	err = mibc_get_many(target, &batch, items, N_ITEMS, on_answers);
	if (err == 0)
		err = mibc_client_run(client);
	mibc_client_free(client);
	if (err < 0) {
		printf("LANTIME UNKNOWN: %s\n", mibc_strerror(err));
		return UNKNOWN;
	}
	if (check.verdict == OK)
		printf("LANTIME OK\n");
	else
		printf("LANTIME %s: %s\n", verdicts[check.verdict], check.problems);
	return check.verdict;
}
