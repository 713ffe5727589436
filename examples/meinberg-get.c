/* A typed GET: the reference clock state of a Meinberg LANTIME, through
 * the getter mibc generated from MBG-SNMP-LTNG-MIB (README.md, "Example: a
 * typed GET"):
 *
 *   mibc --ignore-errors --mib-source MEINBERG_MIBS --mib-source IETF_MIBS \
 *        --destination-directory mib MBG-SNMP-LTNG-MIB
 *   cc -Imib meinberg-get.c mib/mbg-snmp-*.c mib/snmpv2-*.c \
 *      $(pkg-config --cflags --libs mibc) -o meinberg-get
 *   ./meinberg-get 192.0.2.10 [PORT]
 *
 * prints `mbgLtNgRefclockState.1 = synchronized(1)` and exits 0, or the
 * error and exits 1. */
#include <stdio.h>
#include <stdlib.h>

#include <mibc/mibc.h>

#include "mbg-snmp-ltng-mib.h"

static int exit_status = EXIT_FAILURE;

static void on_refclock_state(struct mibc_get *req, int status,
			      const struct mibc_value *value)
{
	(void)req;
	enum mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state state =
		MBG_SNMP_LTNG_MIB_MBG_LT_NG_REFCLOCK_STATE_NOT_AVAILABLE;
	if (status == 0)
		status = mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_value(value, &state);
	if (status < 0) {
		printf("mbgLtNgRefclockState.1: %s\n", mibc_strerror(status));
		return;
	}
	const char *name = mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_name(state);
	printf("mbgLtNgRefclockState.1 = %s(%d)\n", name ? name : "?", (int)state);
	exit_status = EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s ADDRESS [PORT]\n", argv[0]);
		return 64;
	}
	struct mibc_target_config config;
	mibc_target_config_init(&config);   /* v2c, community "public", port 161 */
	config.address = argv[1];
	if (argc == 3)
		config.port = (uint16_t)atoi(argv[2]);

	struct mibc_client *client;
	struct mibc_target *target;
	int err = mibc_client_new(&client);
	if (err == 0) {
		err = mibc_target_new(client, &config, &target);
		if (err < 0)
			mibc_client_free(client);
	}
	if (err < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], mibc_strerror(err));
		return EXIT_FAILURE;
	}

	/* mbgLtNgRefclockState.1: the first reference clock */
	struct mibc_get req = { 0 };
	err = mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_get(target, &req, 1,
							      on_refclock_state);
	if (err == 0)
		err = mibc_client_run(client);   /* until the callback ran */
	if (err < 0)
		fprintf(stderr, "%s: %s\n", argv[1], mibc_strerror(err));
	mibc_client_free(client);
	return exit_status;
}
