/* A UPS check (UPS-MIB, RFC 1628) in the style of a Nagios/Icinga plugin:
 * battery status, time and charge left, where the output comes from, and
 * every input and output line.  The number of lines is only known from
 * the first answer, so the per-line GET is sent from the first one's
 * callback: two PDUs, one client loop.  Values are read with the typed
 * decoders mibc generated (generated/ups-mib.h).
 *
 *   ups-monitor [-c COMMUNITY] [-1] ADDRESS [PORT]
 *
 *   battery: batteryNormal, 37 minutes remaining, 88% charged
 *   output source: battery
 *   input line 1: 0 V, 0.0 Hz
 *   output line 1: 230 V, 1.2 A, 250 W, 21% load
 *   UPS WARNING: on battery
 *
 * Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mibc/mibc.h>

#include "ups-mib.h"

enum { OK, WARNING, CRITICAL, UNKNOWN };
static const char *const verdicts[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Below this, the UPS is about to shut the load down. */
#define MINUTES_CRITICAL 10
#define LOAD_WARNING 90

/* The per-line columns, in the order they are asked for each line: the
 * generated typed initializers, which take the line index. */
typedef int line_column_init(struct mibc_get *req, int32_t line);
static line_column_init *const input_columns[] = {
	ups_mib_ups_input_voltage_get_init, ups_mib_ups_input_frequency_get_init,
};
static line_column_init *const output_columns[] = {
	ups_mib_ups_output_voltage_get_init, ups_mib_ups_output_current_get_init,
	ups_mib_ups_output_power_get_init, ups_mib_ups_output_percent_load_get_init,
};
#define N_INPUT_COLUMNS MIBC_N_ELEMENTS(input_columns)
#define N_OUTPUT_COLUMNS MIBC_N_ELEMENTS(output_columns)
/* The MIB allows any number of lines; real UPSes have one to three. */
#define MAX_LINES 8

enum { BATTERY, MINUTES, CHARGE, SOURCE, INPUT_LINES, OUTPUT_LINES, N_SUMMARY };

struct ups {
	struct mibc_target *target;
	struct mibc_get summary[N_SUMMARY];
	struct mibc_batch summary_batch;
	int32_t n_input, n_output;
	struct mibc_get lines[MAX_LINES * (N_INPUT_COLUMNS + N_OUTPUT_COLUMNS)];
	struct mibc_batch lines_batch;
	int verdict;
	char problems[512];
};

static void problem(struct ups *u, int verdict, const char *what)
{
	if (verdict > u->verdict)
		u->verdict = verdict;
	size_t used = strlen(u->problems);
	snprintf(u->problems + used, sizeof(u->problems) - used, "%s%s", used ? ", " : "", what);
}

/* An integer the UPS answered, or -1 (and UNKNOWN) when it did not. */
static int32_t integer(struct ups *u, const struct mibc_get *item)
{
	int32_t v;
	if ((item->status == 0 || item->status == MIBC_E_RANGE)
	    && mibc_value_get_int32(item->value, &v) == 0)
		return v;
	char what[128];
	snprintf(what, sizeof(what), "%s: %s", item->object->name, mibc_strerror(item->status));
	problem(u, UNKNOWN, what);
	return -1;
}

static void on_lines(struct mibc_batch *batch)
{
	struct ups *u = batch->data;
	const struct mibc_get *item = batch->items;
	for (int32_t line = 1; line <= u->n_input; line++, item += N_INPUT_COLUMNS) {
		int32_t volts = integer(u, &item[0]), decihertz = integer(u, &item[1]);
		printf("input line %d: %d V, %d.%d Hz\n", (int)line, (int)volts,
		       (int)(decihertz / 10), (int)(decihertz < 0 ? 0 : decihertz % 10));
	}
	for (int32_t line = 1; line <= u->n_output; line++, item += N_OUTPUT_COLUMNS) {
		int32_t volts = integer(u, &item[0]), deciamps = integer(u, &item[1]);
		int32_t watts = integer(u, &item[2]), load = integer(u, &item[3]);
		printf("output line %d: %d V, %d.%d A, %d W, %d%% load\n", (int)line, (int)volts,
		       (int)(deciamps / 10), (int)(deciamps < 0 ? 0 : deciamps % 10), (int)watts,
		       (int)load);
		if (load >= LOAD_WARNING) {
			char what[64];
			snprintf(what, sizeof(what), "output line %d at %d%% load", (int)line,
				 (int)load);
			problem(u, WARNING, what);
		}
	}
}

/* Ask every column of every line, in one batch. */
static void ask_lines(struct ups *u)
{
	size_t n = 0;
	for (int32_t line = 1; line <= u->n_input; line++)
		for (size_t c = 0; c < N_INPUT_COLUMNS; c++)
			input_columns[c](&u->lines[n++], line);
	for (int32_t line = 1; line <= u->n_output; line++)
		for (size_t c = 0; c < N_OUTPUT_COLUMNS; c++)
			output_columns[c](&u->lines[n++], line);
	if (n == 0)
		return;
	u->lines_batch.data = u;
	int err = mibc_get_many(u->target, &u->lines_batch, u->lines, n, on_lines);
	if (err < 0)
		problem(u, UNKNOWN, mibc_strerror(err));
}

static void on_summary(struct mibc_batch *batch)
{
	struct ups *u = batch->data;
	if (u->summary[BATTERY].status == MIBC_E_TIMEOUT) {
		problem(u, UNKNOWN, mibc_strerror(MIBC_E_TIMEOUT));
		return;
	}
	enum ups_mib_ups_battery_status battery = UPS_MIB_UPS_BATTERY_STATUS_UNKNOWN;
	enum ups_mib_ups_output_source source = UPS_MIB_UPS_OUTPUT_SOURCE_OTHER;
	if (u->summary[BATTERY].status == 0)
		ups_mib_ups_battery_status_value(u->summary[BATTERY].value, &battery);
	if (u->summary[SOURCE].status == 0)
		ups_mib_ups_output_source_value(u->summary[SOURCE].value, &source);
	int32_t minutes = integer(u, &u->summary[MINUTES]);
	int32_t charge = integer(u, &u->summary[CHARGE]);
	const char *battery_name = ups_mib_ups_battery_status_name(battery);
	const char *source_name = ups_mib_ups_output_source_name(source);
	printf("battery: %s, %d minutes remaining, %d%% charged\n",
	       battery_name ? battery_name : "?", (int)minutes, (int)charge);
	printf("output source: %s\n", source_name ? source_name : "?");

	if (battery == UPS_MIB_UPS_BATTERY_STATUS_BATTERY_LOW
	    || battery == UPS_MIB_UPS_BATTERY_STATUS_BATTERY_DEPLETED)
		problem(u, CRITICAL, battery_name);
	else if (battery != UPS_MIB_UPS_BATTERY_STATUS_BATTERY_NORMAL)
		problem(u, UNKNOWN, "battery status unknown");
	if (minutes >= 0 && minutes < MINUTES_CRITICAL)
		problem(u, CRITICAL, "battery nearly empty");
	if (source == UPS_MIB_UPS_OUTPUT_SOURCE_BATTERY)
		problem(u, WARNING, "on battery");
	else if (source != UPS_MIB_UPS_OUTPUT_SOURCE_NORMAL)
		problem(u, WARNING, "output not from mains");

	u->n_input = integer(u, &u->summary[INPUT_LINES]);
	u->n_output = integer(u, &u->summary[OUTPUT_LINES]);
	/* unanswered: no lines to ask for */
	u->n_input = u->n_input < 0 ? 0 : u->n_input;
	u->n_output = u->n_output < 0 ? 0 : u->n_output;
	if (u->n_input > MAX_LINES || u->n_output > MAX_LINES) {
		problem(u, UNKNOWN, "more lines than this check shows");
		u->n_input = u->n_input > MAX_LINES ? MAX_LINES : u->n_input;
		u->n_output = u->n_output > MAX_LINES ? MAX_LINES : u->n_output;
	}
	/* the client runs until this second request is answered too */
	ask_lines(u);
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

	static struct ups u;
	struct mibc_client *client;
	int err = mibc_client_new(&client);
	if (err == 0 && (err = mibc_target_new(client, &config, &u.target)) < 0)
		mibc_client_free(client);
	if (err < 0) {
		printf("UPS UNKNOWN: %s: %s\n", config.address, mibc_strerror(err));
		return UNKNOWN;
	}
	ups_mib_ups_battery_status_get_init(&u.summary[BATTERY]);
	ups_mib_ups_estimated_minutes_remaining_get_init(&u.summary[MINUTES]);
	ups_mib_ups_estimated_charge_remaining_get_init(&u.summary[CHARGE]);
	ups_mib_ups_output_source_get_init(&u.summary[SOURCE]);
	ups_mib_ups_input_num_lines_get_init(&u.summary[INPUT_LINES]);
	ups_mib_ups_output_num_lines_get_init(&u.summary[OUTPUT_LINES]);
	u.summary_batch.data = &u;
	err = mibc_get_many(u.target, &u.summary_batch, u.summary, N_SUMMARY, on_summary);
	if (err == 0)
		err = mibc_client_run(client);
	mibc_client_free(client);
	if (err < 0) {
		printf("UPS UNKNOWN: %s\n", mibc_strerror(err));
		return UNKNOWN;
	}
	if (u.verdict == OK)
		printf("UPS OK\n");
	else
		printf("UPS %s: %s\n", verdicts[u.verdict], u.problems);
	return u.verdict;
}
