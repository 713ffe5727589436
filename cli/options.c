/* Command-line parsing for the tools (see options.h). */
#include "options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mibc-config.h"

enum {
	OPT_MIB_SOURCE = 256,
	OPT_JSON,
	OPT_CSV,
	OPT_TARGETS,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_DEBUG,
	OPT_PROGRESS,
	OPT_MAX_INSTANCES,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "mib-source", required_argument, NULL, OPT_MIB_SOURCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "targets", required_argument, NULL, OPT_TARGETS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "max-instances", required_argument, NULL, OPT_MAX_INSTANCES },
	{ NULL, 0, NULL, 0 },
};

static void usage_error(const struct cli_tool *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void usage_error(const struct cli_tool *tool, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", tool->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", tool->name);
	exit(CLI_EXIT_USAGE);
}

static void print_help(const struct cli_tool *tool)
{
	printf("Usage: %s [OPTION]... %s\n%s\n\n", tool->name, tool->arguments,
	       tool->summary);
	printf("SNMP (as net-snmp's tools):\n"
	       "  -v 1|2c|3          SNMP version (default 2c)\n"
	       "  -c COMMUNITY       community (default public)\n"
	       "  -u USER            SNMPv3 security name\n"
	       "  -l LEVEL           noAuthNoPriv, authNoPriv or authPriv\n"
	       "  -a PROTOCOL        MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512\n"
	       "  -A PASSPHRASE      authentication passphrase\n"
	       "  -x PROTOCOL        DES, AES, AES-192, AES-256\n"
	       "  -X PASSPHRASE      privacy passphrase\n"
	       "  -t SECONDS         timeout per try (default 1)\n"
	       "  -r RETRIES         retransmissions (default 5, as net-snmp)\n"
	       "  -On                print OIDs numerically\n"
	       "  -Oe                print enumerations as numbers\n"
	       "\n"
	       "MIBs (the standard modules of mibc's generated/ are built in):\n"
	       "  -m MODULE[:MODULE] load these modules at start-up; repeatable\n"
	       "  -M DIR[:DIR], --mib-source DIR\n"
	       "                     where to find them (then the system MIB\n"
	       "                     directories), as mibc's --mib-source\n"
	       "\n"
	       "Output:\n"
	       "  --json             typed values as JSON\n");
	if (tool->csv)
		printf("  --csv              a table as CSV: one row per line, one column\n"
		       "                     per object\n");
	if (tool->walk)
		printf("  -Cc                do not stop when the agent returns OIDs out of\n"
		       "                     order (only on one it returned before)\n"
		       "  --progress         how far a walk got, on stderr every second\n"
		       "                     (the default when stderr is a terminal)\n"
		       "  --max-instances N  stop with an error after N instances (default\n"
		       "                     16777216, against agents that never end a\n"
		       "                     walk; 0: no limit)\n");
	if (tool->polling)
		printf("\nPolling many agents:\n"
		       "  --targets FILE     agents, one per line (AGENT[:PORT]); all are\n"
		       "                     asked concurrently and each answers one JSON\n"
		       "                     line per round\n"
		       "  --interval SECONDS between rounds (default 10)\n"
		       "  --count N          rounds, then exit (default 1; 0: forever)\n");
	printf("\n"
	       "  --debug            show how MIB modules are loaded\n"
	       "  -h, --help         print this help\n"
	       "  -V, --version      print the version\n"
	       "\n"
	       "Exit status: 0 success, 1 failure (timeout, unknown object...),\n"
	       "2 when the agent answered with an error, 64 usage error.\n");
}

static double parse_number(const struct cli_tool *tool, const char *option,
			   const char *text, double min, double max)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v) || v < min || v > max)
		usage_error(tool, "%s: '%s' is not a number from %g to %g", option,
			    text, min, max);
	return v;
}

static void append(const char ***list, size_t *n, const char *value)
{
	const char **grown = realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown) {
		perror("realloc");
		exit(CLI_EXIT_FAILURE);
	}
	*list = grown;
	grown[(*n)++] = value;
}

/* "A:B:C" as three list entries; `text` is argv memory, kept. */
static void append_split(const char ***list, size_t *n, char *text)
{
	for (char *save = NULL, *part = strtok_r(text, ":", &save); part;
	     part = strtok_r(NULL, ":", &save))
		append(list, n, part);
}

struct name_value {
	const char *name;
	int value;
};

static int lookup(const struct cli_tool *tool, const char *option, const char *text,
		  const struct name_value *table, size_t n, const char *known)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(table[i].name, text) == 0)
			return table[i].value;
	usage_error(tool, "%s: unknown '%s' (known: %s)", option, text, known);
}

static const struct name_value versions[] = {
	{ "1", MIBC_VERSION_1 }, { "2c", MIBC_VERSION_2C }, { "3", MIBC_VERSION_3 },
};
static const struct name_value levels[] = {
	{ "noAuthNoPriv", MIBC_SEC_NOAUTH_NOPRIV }, { "authNoPriv", MIBC_SEC_AUTH_NOPRIV },
	{ "authPriv", MIBC_SEC_AUTH_PRIV },
};
static const struct name_value auth_protocols[] = {
	{ "MD5", MIBC_AUTH_MD5 }, { "SHA", MIBC_AUTH_SHA }, { "SHA1", MIBC_AUTH_SHA },
	{ "SHA-224", MIBC_AUTH_SHA224 }, { "SHA-256", MIBC_AUTH_SHA256 },
	{ "SHA-384", MIBC_AUTH_SHA384 }, { "SHA-512", MIBC_AUTH_SHA512 },
};
static const struct name_value priv_protocols[] = {
	{ "DES", MIBC_PRIV_DES }, { "AES", MIBC_PRIV_AES }, { "AES-128", MIBC_PRIV_AES },
	{ "AES128", MIBC_PRIV_AES }, { "AES-192", MIBC_PRIV_AES192 },
	{ "AES192", MIBC_PRIV_AES192 }, { "AES-256", MIBC_PRIV_AES256 },
	{ "AES256", MIBC_PRIV_AES256 },
};

#define LOOKUP(option, text, table, known) \
	lookup(tool, option, text, table, MIBC_N_ELEMENTS(table), known)

void cli_parse(int argc, char **argv, const struct cli_tool *tool,
	       struct cli_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tool = tool;
	mibc_target_config_init(&o->target);
	/* net-snmp's defaults, so the tools behave as snmpget does */
	o->target.retries = 5;
	o->interval = 10;
	o->count = 1;
	bool polling_given = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "+v:c:u:l:a:A:x:X:t:r:m:M:O:C:hV",
				  long_options, NULL)) != -1) {
		switch (opt) {
		case 'v':
			o->target.version = (enum mibc_version)LOOKUP("-v", optarg, versions, "1, 2c, 3");
			break;
		case 'c':
			o->target.community = optarg;
			break;
		case 'u':
			o->target.user = optarg;
			break;
		case 'l':
			o->target.security_level = (enum mibc_sec_level)LOOKUP(
				"-l", optarg, levels, "noAuthNoPriv, authNoPriv, authPriv");
			break;
		case 'a':
			o->target.auth_proto = (enum mibc_auth_proto)LOOKUP(
				"-a", optarg, auth_protocols,
				"MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512");
			break;
		case 'A':
			o->target.auth_password = optarg;
			break;
		case 'x':
			o->target.priv_proto = (enum mibc_priv_proto)LOOKUP(
				"-x", optarg, priv_protocols, "DES, AES, AES-192, AES-256");
			break;
		case 'X':
			o->target.priv_password = optarg;
			break;
		case 't':
			o->target.timeout_ms = (unsigned)lround(
				parse_number(tool, "-t", optarg, 0.001, 3600) * 1000);
			break;
		case 'r':
			o->target.retries = (unsigned)parse_number(tool, "-r", optarg, 0, 100);
			break;
		case 'm':
			if (strcmp(optarg, "ALL") == 0)
				usage_error(tool, "-m ALL: name the modules to load "
					    "(the standard ones are built in)");
			append_split(&o->mib_modules, &o->n_mib_modules, optarg);
			break;
		case 'M':
			append_split(&o->mib_sources, &o->n_mib_sources, optarg);
			break;
		case OPT_MIB_SOURCE:
			if (!*optarg)
				usage_error(tool, "--mib-source needs a directory, file or zip archive");
			append(&o->mib_sources, &o->n_mib_sources, optarg);
			break;
		case 'O':
			for (const char *f = optarg; *f; f++) {
				if (*f == 'n')
					o->numeric_oids = true;
				else if (*f == 'e')
					o->numeric_enums = true;
				else
					usage_error(tool, "-O%c: only -On and -Oe are supported", *f);
			}
			break;
		case 'C':
			if (!tool->walk)
				usage_error(tool, "-C is for mibwalk");
			for (const char *f = optarg; *f; f++) {
				if (*f != 'c')
					usage_error(tool, "-C%c: only -Cc is supported", *f);
				o->unordered = true;
			}
			break;
		case OPT_PROGRESS:
			if (!tool->walk)
				usage_error(tool, "--progress is for mibwalk");
			o->progress = true;
			break;
		case OPT_MAX_INSTANCES:
			if (!tool->walk)
				usage_error(tool, "--max-instances is for mibwalk");
			o->max_instances = (size_t)parse_number(tool, "--max-instances",
							       optarg, 0, 1e15);
			if (o->max_instances == 0)
				o->max_instances = SIZE_MAX;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_CSV:
			if (!tool->csv)
				usage_error(tool, "--csv is for mibwalk");
			o->csv = true;
			break;
		case OPT_TARGETS:
		case OPT_INTERVAL:
		case OPT_COUNT:
			if (!tool->polling)
				usage_error(tool, "%s is for mibget", argv[optind - 1]);
			polling_given = true;
			if (opt == OPT_TARGETS)
				o->targets_file = optarg;
			else if (opt == OPT_INTERVAL)
				o->interval = parse_number(tool, "--interval", optarg, 0.01, 86400);
			else
				o->count = (long)parse_number(tool, "--count", optarg, 0, 1e9);
			break;
		case OPT_DEBUG:
			o->debug = true;
			break;
		case 'h':
			print_help(tool);
			exit(CLI_EXIT_OK);
		case 'V':
			printf("%s (mibc %s)\n", tool->name, MIBC_VERSION);
			exit(CLI_EXIT_OK);
		default:
			/* getopt printed what was wrong */
			fprintf(stderr, "Try '%s --help' for more information.\n", tool->name);
			exit(CLI_EXIT_USAGE);
		}
	}
	if (o->json && o->csv)
		usage_error(tool, "--json and --csv exclude each other");
	if (o->target.version == MIBC_VERSION_3 && !o->target.user)
		usage_error(tool, "-v 3 needs a user name (-u USER)");
	if (o->target.version != MIBC_VERSION_3 && (o->target.user || o->target.auth_password
						    || o->target.priv_password))
		usage_error(tool, "-u, -A and -X are for SNMPv3 (-v 3)");
	if (o->target.security_level == MIBC_SEC_AUTH_NOPRIV && !o->target.auth_password)
		usage_error(tool, "-l authNoPriv needs an authentication passphrase (-A)");
	if (o->target.security_level == MIBC_SEC_AUTH_PRIV
	    && (!o->target.auth_password || !o->target.priv_password))
		usage_error(tool, "-l authPriv needs both passphrases (-A and -X)");
	for (const char *const *p = (const char *const[]){ o->target.auth_password,
							   o->target.priv_password }, *const *e = p + 2;
	     p < e; p++)
		if (*p && strlen(*p) < 8)
			usage_error(tool, "SNMPv3 passphrases need at least 8 characters");
	if (polling_given && !o->targets_file)
		usage_error(tool, "--interval and --count need --targets FILE");

	int first = optind;
	if (!o->targets_file) {
		if (first >= argc)
			usage_error(tool, "no agent given");
		o->agent = argv[first++];
		char why[256];
		if (cli_agent_parse(o->agent, o->address, &o->target.port, why, sizeof(why)) != 0)
			usage_error(tool, "%s: %s", o->agent, why);
		o->target.address = o->address;
	}
	o->objects = argv + first;
	o->n_objects = (size_t)(argc - first);
	if (o->n_objects < tool->min_objects)
		usage_error(tool, "no object given");
}

void cli_options_free(struct cli_options *o)
{
	free(o->mib_sources);
	free(o->mib_modules);
}

int cli_agent_parse(const char *agent, char address[64], uint16_t *port,
		    char *why, size_t why_size)
{
	char host[256];
	const char *s = agent;
	int family = AF_UNSPEC;
	if (strncasecmp(s, "udp:", 4) == 0) {
		s += 4;
		family = AF_INET;
	} else if (strncasecmp(s, "udp6:", 5) == 0 || strncasecmp(s, "udpv6:", 6) == 0) {
		s = strchr(s, ':') + 1;
		family = AF_INET6;
	}
	const char *port_text = NULL;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || (size_t)(close - s - 1) >= sizeof(host)) {
			snprintf(why, why_size, "unterminated '['");
			return -1;
		}
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (close[1] == ':')
			port_text = close + 2;
		else if (close[1]) {
			snprintf(why, why_size, "expected ':PORT' after ']'");
			return -1;
		}
	} else {
		const char *colon = strchr(s, ':');
		/* two colons or more: a bare IPv6 address, no port */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		if (n >= sizeof(host)) {
			snprintf(why, why_size, "host name too long");
			return -1;
		}
		memcpy(host, s, n);
		host[n] = '\0';
		if (colon)
			port_text = colon + 1;
	}
	if (!host[0]) {
		snprintf(why, why_size, "no host");
		return -1;
	}
	*port = 161;
	if (port_text) {
		char *end;
		errno = 0;
		unsigned long p = strtoul(port_text, &end, 10);
		if (errno || end == port_text || *end || p == 0 || p > 65535) {
			snprintf(why, why_size, "'%s' is not a port number", port_text);
			return -1;
		}
		*port = (uint16_t)p;
	}
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(why, why_size, "Unknown host (%s)", gai_strerror(rc));
		return -1;
	}
	const void *bytes = res->ai_family == AF_INET
		? (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr
		: (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	bool ok = inet_ntop(res->ai_family, bytes, address, 64) != NULL;
	freeaddrinfo(res);
	if (!ok) {
		snprintf(why, why_size, "cannot use its address");
		return -1;
	}
	return 0;
}
