/* mibc: compile MIB modules into C (or JSON).  The command line mirrors
 * pysmi's mibdump so its users feel at home. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smi.h>

#include "arena.h"
#include "driver.h"
#include "mibc-config.h"

enum {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_QUIET = 'q',
	OPT_MIB_SOURCE = 256,
	OPT_MIB_STUB,
	OPT_DESTINATION_DIRECTORY,
	OPT_DESTINATION_FORMAT,
	OPT_DISABLE_FUZZY_SOURCE,
	OPT_NO_DEPENDENCIES,
	OPT_NO_SYSTEM_SOURCES,
	OPT_IGNORE_ERRORS,
	OPT_BUILD_INDEX,
	OPT_REBUILD,
	OPT_DRY_RUN,
	OPT_GENERATE_MIB_TEXTS,
	OPT_KEEP_TEXTS_LAYOUT,
	OPT_DEBUG,
	OPT_DEPFILE,
	OPT_SELECT,
	OPT_CACHE_DIRECTORY,
	OPT_NO_CACHE,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "mib-source", required_argument, NULL, OPT_MIB_SOURCE },
	{ "mib-stub", required_argument, NULL, OPT_MIB_STUB },
	{ "destination-directory", required_argument, NULL, OPT_DESTINATION_DIRECTORY },
	{ "destination-format", required_argument, NULL, OPT_DESTINATION_FORMAT },
	{ "disable-fuzzy-source", no_argument, NULL, OPT_DISABLE_FUZZY_SOURCE },
	{ "no-dependencies", no_argument, NULL, OPT_NO_DEPENDENCIES },
	{ "no-system-sources", no_argument, NULL, OPT_NO_SYSTEM_SOURCES },
	{ "ignore-errors", no_argument, NULL, OPT_IGNORE_ERRORS },
	{ "build-index", no_argument, NULL, OPT_BUILD_INDEX },
	{ "rebuild", no_argument, NULL, OPT_REBUILD },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "generate-mib-texts", no_argument, NULL, OPT_GENERATE_MIB_TEXTS },
	{ "keep-texts-layout", no_argument, NULL, OPT_KEEP_TEXTS_LAYOUT },
	{ "depfile", required_argument, NULL, OPT_DEPFILE },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "cache-directory", required_argument, NULL, OPT_CACHE_DIRECTORY },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ NULL, 0, NULL, 0 },
};

static void print_help(FILE *out)
{
	fprintf(out,
		"Usage: mibc [OPTION]... MODULE|FILE...\n"
		"Compile SNMP MIB modules (and the modules they import) into C\n"
		"headers and sources with typed descriptor tables, or into JSON.\n"
		"\n"
		"Sources:\n"
		"  --mib-source=DIR|FILE|ZIP   where to look for MIB modules; repeatable,\n"
		"                              searched in the order given (directories\n"
		"                              recursively, in sorted order), then the\n"
		"                              system MIB directories\n"
		"  --no-system-sources         do not search the system MIB directories\n"
		"  --disable-fuzzy-source      find a module only in a file named exactly\n"
		"                              as the module (or listed in a .index file)\n"
		"  --cache-directory=DIR       keep what scanning the source directories\n"
		"                              found here, for the next run (default:\n"
		"                              $XDG_CACHE_HOME/mibc or ~/.cache/mibc)\n"
		"  --no-cache                  scan the source directories afresh, keep\n"
		"                              nothing\n"
		"  --mib-stub=MODULE           parse MODULE but generate nothing for it;\n"
		"                              repeatable; replaces the default list:\n"
		"                              for json and null mibdump's (the SMI base\n"
		"                              modules, SNMPv2-TC, RFC1213-MIB...), for c\n"
		"                              only the SMI's own (SNMPv2-SMI, SNMPv2-CONF,\n"
		"                              RFC1155-SMI, RFC-1212, RFC-1215, RFC1065-SMI)\n"
		"\n"
		"Output:\n"
		"  --destination-directory=DIR write outputs here (default: .)\n"
		"  --destination-format=FORMAT %s (default: c)\n"
		"  --no-dependencies           compile only the modules named, not\n"
		"                              what they import\n"
		"  --rebuild                   rebuild even up-to-date outputs\n"
		"  --dry-run                   plan and check, write nothing\n"
		"  --ignore-errors             generate whatever can be generated\n"
		"  --build-index               also write an OID -> (module, name) index\n"
		"  --generate-mib-texts        keep DESCRIPTION texts (as comments in C)\n"
		"  --keep-texts-layout         keep the texts' line breaks and indentation\n"
		"  --depfile=FILE              write a Makefile-syntax dependency file:\n"
		"                              the outputs depend on every MIB file read\n"
		"  --select=WHAT               (c) generate only WHAT and what it needs:\n"
		"                              an object (ifDescr, IF-MIB::ifDescr), an\n"
		"                              OID subtree (1.3.6.1.2.1.2), an OBJECT-GROUP\n"
		"                              or a MODULE-COMPLIANCE; repeatable\n"
		"\n"
		"Other:\n"
		"  --quiet                     print errors only\n"
		"  --debug[=WHAT]              trace what mibc does, on stderr\n"
		"  --version                   print the version and exit\n"
		"  --help                      print this help and exit\n"
		"\n"
		"Exit status: 0 success, 64 usage error, 70 internal error,\n"
		"79 when a module is missing or failed (also with --ignore-errors).\n",
		emitter_formats());
}

static void usage_error(const char *fmt, const char *arg)
{
	fputs("mibc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'mibc --help' for more information.\n", stderr);
	exit(MIBC_EXIT_USAGE);
}

static void append(char ***list, size_t *n, const char *value)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = (char *)value;
}

int main(int argc, char **argv)
{
	struct driver_options options = {
		.destination_directory = ".",
		.format = &emitter_c,
		.fuzzy = true,
		.dependencies = true,
		.system_sources = true,
		.program = argv[0],
	};
	bool stubs_given = false;
	bool no_cache = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "hVq", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_HELP:
			print_help(stdout);
			return MIBC_EXIT_OK;
		case OPT_VERSION:
			printf("mibc %s (libsmi %s)\n", MIBC_VERSION, smi_version_string);
			return MIBC_EXIT_OK;
		case OPT_QUIET:
			options.quiet = true;
			break;
		case OPT_DEBUG:
			options.debug = true;
			break;
		case OPT_MIB_SOURCE:
			if (!*optarg)
				usage_error("--mib-source needs a directory, file or zip archive%s", "");
			append(&options.mib_sources, &options.n_mib_sources, optarg);
			break;
		case OPT_MIB_STUB:
			stubs_given = true;
			append(&options.stubs, &options.n_stubs, optarg);
			break;
		case OPT_DESTINATION_DIRECTORY:
			if (!*optarg)
				usage_error("--destination-directory needs a directory%s", "");
			options.destination_directory = optarg;
			break;
		case OPT_DESTINATION_FORMAT:
			options.format = emitter_find(optarg);
			if (!options.format)
				usage_error("unknown destination format '%s' (known: c, json, null)", optarg);
			break;
		case OPT_DISABLE_FUZZY_SOURCE:
			options.fuzzy = false;
			break;
		case OPT_NO_DEPENDENCIES:
			options.dependencies = false;
			break;
		case OPT_NO_SYSTEM_SOURCES:
			options.system_sources = false;
			break;
		case OPT_IGNORE_ERRORS:
			options.ignore_errors = true;
			break;
		case OPT_BUILD_INDEX:
			options.build_index = true;
			break;
		case OPT_REBUILD:
			options.rebuild = true;
			break;
		case OPT_DRY_RUN:
			options.dry_run = true;
			break;
		case OPT_GENERATE_MIB_TEXTS:
			options.generate_texts = true;
			break;
		case OPT_KEEP_TEXTS_LAYOUT:
			options.keep_texts_layout = true;
			break;
		case OPT_SELECT:
			if (!*optarg)
				usage_error("--select needs an object, OID, group or compliance%s", "");
			append(&options.select, &options.n_select, optarg);
			break;
		case OPT_DEPFILE:
			if (!*optarg)
				usage_error("--depfile needs a file name%s", "");
			options.depfile = optarg;
			break;
		case OPT_CACHE_DIRECTORY:
			if (!*optarg)
				usage_error("--cache-directory needs a directory%s", "");
			options.cache_directory = optarg;
			break;
		case OPT_NO_CACHE:
			no_cache = true;
			break;
		default:
			/* getopt_long printed what was wrong */
			fputs("Try 'mibc --help' for more information.\n", stderr);
			return MIBC_EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (!*argv[i])
			usage_error("an empty module name%s", "");
		append(&options.arguments, &options.n_arguments, argv[i]);
	}
	if (options.n_arguments == 0)
		usage_error("no MIB module or file to compile%s", "");
	if (options.n_select) {
		if (options.format != &emitter_c)
			usage_error("--select works with --destination-format c, not %s",
				    options.format->format);
		append(&options.select, &options.n_select, NULL);
	}
	if (!stubs_given) {
		/* C output #includes the header of each module a TC comes from, so
		 * the C format generates SNMPv2-TC and friends; only the modules
		 * that define the SMI language itself stay stubs. */
		bool c = options.format == &emitter_c;
		const char *const *stubs = c ? driver_c_stubs : driver_default_stubs;
		size_t n = c ? driver_n_c_stubs : driver_n_default_stubs;
		for (size_t i = 0; i < n; i++)
			append(&options.stubs, &options.n_stubs, stubs[i]);
	}

	/* the XDG base directory spec's cache, as other tools keep theirs */
	char *default_cache = NULL;
	if (!options.cache_directory) {
		const char *xdg = getenv("XDG_CACHE_HOME");
		const char *home = getenv("HOME");
		if (xdg && xdg[0] == '/')
			default_cache = xasprintf("%s/mibc", xdg);
		else if (home && home[0] == '/')
			default_cache = xasprintf("%s/.cache/mibc", home);
		options.cache_directory = default_cache;
	}
	if (no_cache)
		options.cache_directory = NULL;
	int status = driver_run(&options);
	free(default_cache);
	free(options.mib_sources);
	free(options.stubs);
	free(options.arguments);
	free(options.select);
	return status;
}
