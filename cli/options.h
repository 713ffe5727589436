/* The command line shared by mibget, mibwalk and mibset: net-snmp's
 * option letters (-v -c -u -l -a -A -x -X -t -r -m -M -O) plus mibc's own
 * long options. */
#ifndef MIBC_CLI_OPTIONS_H
#define MIBC_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include <mibc/mibc.h>

/* Exit statuses: snmpget's 0, 1 (no answer, unknown object, any failure)
 * and 2 (the agent answered with an error-status); usage errors are 64 as
 * for mibc (snmpget says 1). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,
	CLI_EXIT_PACKET_ERROR = 2,
	CLI_EXIT_USAGE = 64,
};

/* What a tool accepts besides the common options. */
struct cli_tool {
	const char *name;           /* "mibget" */
	const char *arguments;      /* "AGENT[:PORT] OBJECT..." for the usage */
	const char *summary;        /* one line */
	bool polling;               /* --targets, --interval, --count */
	bool csv;                   /* --csv */
	bool walk;                  /* -Cc, --progress */
	size_t min_objects;         /* objects needed after the agent */
};

struct cli_options {
	const struct cli_tool *tool;
	struct mibc_target_config target;  /* address unset: see agent */
	char address[64];                  /* numeric, filled by cli_agent_parse */
	const char *agent;                 /* as given (NULL with --targets) */
	char **objects;
	size_t n_objects;
	const char **mib_sources;          /* --mib-source, -M */
	size_t n_mib_sources;
	const char **mib_modules;          /* -m */
	size_t n_mib_modules;
	bool json;
	bool csv;
	bool numeric_oids;                 /* -On */
	bool numeric_enums;                /* -Oe */
	bool debug;
	bool unordered;                    /* -Cc: OIDs may go backwards */
	bool progress;                     /* --progress: even when not a tty */
	size_t max_instances;              /* --max-instances (0: default) */
	const char *targets_file;
	double interval;                   /* seconds between rounds */
	long count;                        /* rounds; 0 forever */
};

/* Parse argv; exits with CLI_EXIT_USAGE (and a message) on bad options,
 * with 0 after --help or --version. */
void cli_parse(int argc, char **argv, const struct cli_tool *tool,
	       struct cli_options *options);
void cli_options_free(struct cli_options *options);

/* "AGENT[:PORT]", "udp:HOST:PORT", "[::1]:PORT", "udp6:[::1]:161", a host
 * name: the numeric address into `address` and the port (161 unless
 * given).  0, or -1 with a message in `why`. */
int cli_agent_parse(const char *agent, char address[64], uint16_t *port,
		    char *why, size_t why_size);

#endif
