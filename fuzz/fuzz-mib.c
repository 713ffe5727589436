/* libFuzzer target: the mibc compiler on mutated MIB text.
 *
 * Each input is written as a module file into a scratch directory and
 * compiled by driver_run(), exactly as `mibc --ignore-errors --rebuild
 * --no-system-sources --mib-source IN --mib-source BASE IN/input.mib`
 * would: the planning half (sources.c, scan.c, driver.c: finding modules,
 * reading their declarations and imports) runs in this process; libsmi and
 * the emitters run in the worker child driver_run() forks for every run
 * (mibc/worker.c), so libsmi's global state, its exit() calls and its
 * crashes never reach the fuzzer process.  A sanitizer report in that
 * child still writes a crash-* file (libFuzzer's death callback runs there
 * too) although the campaign goes on: see fuzz/README.md for how they are
 * triaged.
 *
 * BASE holds links to the SMI's own modules (SNMPv2-SMI, -TC, -CONF, the
 * SMIv1 ones) and a few common ones (IF-MIB and what it needs) in the
 * shared corpus ($MIBC_CORPUS, default the configured mib_corpus), and
 * the project's own mibs/ ($MIBC_PROJECT_MIBS) is a third source, so
 * inputs that import them get as far as code generation.  Checked after every run: the exit status is one mibc
 * documents for a finished run (0 or 79), nothing was written outside the
 * destination directory, and the worker's staging directory is gone. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "emit.h"

#ifndef FUZZ_MIB_CORPUS
#define FUZZ_MIB_CORPUS "../shared/mibs"
#endif
#ifndef FUZZ_PROJECT_MIBS
#define FUZZ_PROJECT_MIBS "mibs"
#endif

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* The modules the SMI itself is made of, and the TCs most MIBs use. */
static const char *const base_modules[] = {
	"ietf/SNMPv2-SMI", "ietf/SNMPv2-TC", "ietf/SNMPv2-CONF", "ietf/SNMPv2-MIB",
	"ietf/RFC1155-SMI", "ietf/RFC-1212", "ietf/RFC-1215", "ietf/RFC1213-MIB",
	"ietf/INET-ADDRESS-MIB", "iana/IANAifType-MIB", "ietf/IF-MIB",
};

static char scratch[PATH_MAX];   /* everything below is ours */
static char in_dir[PATH_MAX + 8], base_dir[PATH_MAX + 8],
	out_dir[PATH_MAX + 8], stage_dir[PATH_MAX + 8], input_path[PATH_MAX + 32];
static const char *program = "fuzz-mib";
static const char *project_mibs = FUZZ_PROJECT_MIBS;

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_scratch(void)
{
	if (scratch[0])
		remove_tree(scratch);
}

/* The entries of `dir`, apart from "." and ".."; -1 when unreadable. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (*argc > 0)
		program = (*argv)[0];
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof(scratch), "%s/mibc-fuzz-mib-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(scratch));
	atexit(remove_scratch);
	snprintf(in_dir, sizeof(in_dir), "%s/in", scratch);
	snprintf(base_dir, sizeof(base_dir), "%s/base", scratch);
	snprintf(out_dir, sizeof(out_dir), "%s/out", scratch);
	snprintf(stage_dir, sizeof(stage_dir), "%s/stage", scratch);
	snprintf(input_path, sizeof(input_path), "%s/input.mib", in_dir);
	CHECK(mkdir(in_dir, 0700) == 0 && mkdir(base_dir, 0700) == 0
	      && mkdir(stage_dir, 0700) == 0);
	/* the worker stages its modules under $TMPDIR: here, to check that
	 * it cleans up */
	CHECK(setenv("TMPDIR", stage_dir, 1) == 0);

	const char *mine = getenv("MIBC_PROJECT_MIBS");
	if (mine && *mine)
		project_mibs = mine;
	const char *corpus = getenv("MIBC_CORPUS");
	if (!corpus || !*corpus)
		corpus = FUZZ_MIB_CORPUS;
	size_t linked = 0;
	for (size_t i = 0; i < sizeof(base_modules) / sizeof(*base_modules); i++) {
		char from[2 * PATH_MAX], to[2 * PATH_MAX];
		snprintf(from, sizeof(from), "%s/%s", corpus, base_modules[i]);
		snprintf(to, sizeof(to), "%s/%s", base_dir,
			 strchr(base_modules[i], '/') + 1);
		char *abs = realpath(from, NULL);
		if (abs && symlink(abs, to) == 0)
			linked++;
		free(abs);
	}
	if (linked == 0)
		fprintf(stderr, "fuzz-mib: no SMI modules in %s: inputs that "
			"import them will fail early\n", corpus);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* mibc is for files: a megabyte is plenty and keeps runs short */
	if (size > 1 << 20)
		return 0;
	FILE *f = fopen(input_path, "wb");
	CHECK(f);
	CHECK(fwrite(data, 1, size, f) == size || size == 0);
	CHECK(fclose(f) == 0);

	char *sources[] = { in_dir, base_dir, (char *)project_mibs };
	char *arguments[] = { input_path };
	struct driver_options o = {
		.mib_sources = sources,
		.n_mib_sources = sizeof(sources) / sizeof(*sources),
		.system_sources = false,
		.stubs = (char **)driver_c_stubs,
		.n_stubs = driver_n_c_stubs,
		.destination_directory = out_dir,
		/* both emitters, on inputs that differ in length parity */
		.format = size % 2 ? &emitter_json : &emitter_c,
		.fuzzy = true,
		.dependencies = true,
		.ignore_errors = true,
		.build_index = size % 3 == 0,
		.rebuild = true,
		.quiet = true,
		.arguments = arguments,
		.n_arguments = 1,
		.program = program,
	};
	fflush(stdout);
	int status = driver_run(&o);
	fflush(stdout);
	CHECK(status == MIBC_EXIT_OK || status == MIBC_EXIT_FAILED);

	/* nothing but the destination directory may have been written */
	CHECK(count_entries(scratch) == 3 + (count_entries(out_dir) >= 0));
	CHECK(count_entries(in_dir) == 1);
	CHECK(count_entries(stage_dir) == 0);
	remove_tree(out_dir);
	return 0;
}
