/* Helpers shared by the Check suites: temporary directories, running the
 * built mibc and capturing its output, reading files, environment. */
#ifndef MIBC_TESTLIB_H
#define MIBC_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

/* Value of an environment variable the test harness sets; fails the test
 * run when missing. */
const char *test_env(const char *name);

/* A fresh temporary directory (malloc'd path), removed by test_rmtree. */
char *test_mkdtemp(void);
void test_rmtree(const char *path);

/* Write/read whole files. */
void test_write_file(const char *path, const char *data, size_t len);
char *test_read_file(const char *path, size_t *len); /* NULL if missing */

struct test_run {
	int status;   /* exit code, or 128+signal when killed */
	char *out;    /* stdout */
	char *err;    /* stderr */
};

/* Run the built mibc with argv (NULL-terminated, without argv[0]) in the
 * working directory `cwd` (NULL: current), with a timeout in seconds. */
struct test_run test_mibc(const char *cwd, const char *const *argv);
/* Run a program of the build tree, MIBC_BUILD_ROOT/`tool` (e.g.
 * "cli/mibget"), with args (NULL-terminated, without argv[0]). */
struct test_run test_built_tool(const char *tool, const char *const *args,
				int timeout_seconds);
/* Run any program (argv[0] searched in PATH). */
struct test_run test_run_argv(const char *cwd, const char *const *argv,
			      int timeout_seconds);
void test_run_free(struct test_run *run);

/* A path under the shared corpus / the project's mibs / tests dir
 * (malloc'd). */
char *test_corpus_path(const char *rel);
char *test_data_path(const char *rel);
char *test_project_mib_path(const char *rel);

/* Symlink every entry of `folder` (hidden ones aside) into `into`, unless
 * `into` already has that name: the first folder linked wins, as in a
 * search path.  How the loader tests build a libsmi path. */
void test_link_folder(const char *folder, const char *into);

/* A fresh directory with the corpus' ietf/ and iana/ linked into it. */
char *test_link_ietf_iana(void);

/* Run a suite and free it: EXIT_SUCCESS when every test passed. */
struct Suite;
int test_run_suite(struct Suite *suite);

#endif
