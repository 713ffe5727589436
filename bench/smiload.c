/*
 * smiload: libsmi's parse and nothing else, the floor under any compiler
 * built on libsmi.
 *
 *   smiload [-e] PATH MODULE...
 *
 * Loads each MODULE (and what it imports) with smiLoadModule, the search
 * path set to PATH (':'-separated) and no configuration files read, then
 * prints "ok N failed N missing N": failed are modules libsmi loaded with
 * an error of severity <= 2 (what smidump reports as "contains errors"),
 * missing those it could not load at all. Nothing is walked or written.
 *
 * -e turns on libsmi's error reporting (SMI_FLAG_ERRORS, level 3, into a
 * handler that counts), as smidump and mibc do: libsmi then also runs its
 * checks, some of which scan every object of every loaded module.
 */
#include <smi.h>
#include <stdio.h>
#include <string.h>

static long diagnostics;

static void count_error(char *path, int line, int severity, char *msg, char *tag)
{
	(void)path; (void)line; (void)severity; (void)msg; (void)tag;
	diagnostics++;
}

int main(int argc, char **argv)
{
	int report = argc > 1 && strcmp(argv[1], "-e") == 0;
	if (report) {
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: smiload [-e] PATH MODULE...\n");
		return 2;
	}
	if (smiInit(NULL) != 0) {
		fprintf(stderr, "smiload: smiInit failed\n");
		return 2;
	}
	smiSetPath(argv[1]);
	if (report) {
		smiSetFlags(smiGetFlags() | SMI_FLAG_ERRORS);
		smiSetErrorLevel(3);
		smiSetErrorHandler(count_error);
	}
	int ok = 0, failed = 0, missing = 0;
	for (int i = 2; i < argc; i++) {
		char *name = smiLoadModule(argv[i]);
		SmiModule *m = name ? smiGetModule(name) : NULL;
		if (!m) {
			missing++;
			printf("missing %s\n", argv[i]);
		} else if ((m->conformance & 127) != 0 && (m->conformance & 127) <= 2) {
			failed++;
			printf("failed %s\n", argv[i]);
		} else {
			ok++;
		}
	}
	printf("ok %d failed %d missing %d diagnostics %ld\n", ok, failed, missing,
	       diagnostics);
	smiExit();
	return failed || missing ? 1 : 0;
}
