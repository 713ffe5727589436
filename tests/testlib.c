#include "testlib.h"

#include <check.h>

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *test_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		fprintf(stderr, "test harness: environment variable %s is not set "
				"(run the tests with meson test)\n", name);
		exit(1);
	}
	return v;
}

char *test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	if (asprintf(&path, "%s/mibc-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		abort();
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		abort();
	}
	return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* chmod follows symlinks: never touch what a link points to */
	if (flag != FTW_SL && flag != FTW_SLN)
		chmod(path, 0700);
	return remove(path);
}

void test_rmtree(const char *path)
{
	if (path)
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void test_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	if (fclose(f) != 0)
		abort();
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

struct capture {
	int fd;
	char *buf;
	size_t len, cap;
};

static bool capture_read(struct capture *c)
{
	if (c->cap - c->len < 4096) {
		c->cap = c->cap ? c->cap * 2 : 8192;
		c->buf = realloc(c->buf, c->cap + 1);
	}
	ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (r > 0) {
		c->len += (size_t)r;
		return true;
	}
	if (r < 0 && errno == EINTR)
		return true;
	return false;
}

struct test_run test_run_argv(const char *cwd, const char *const *argv,
			      int timeout_seconds)
{
	int out[2], err[2];
	if (pipe(out) || pipe(err))
		abort();
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		close(out[1]);
		close(err[1]);
		if (cwd && chdir(cwd) != 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	struct capture cap[2] = { { .fd = out[0] }, { .fd = err[0] } };
	bool open_[2] = { true, true };
	time_t deadline = time(NULL) + timeout_seconds;
	bool killed = false;
	while (open_[0] || open_[1]) {
		struct pollfd p[2];
		int n = 0, map[2];
		for (int i = 0; i < 2; i++)
			if (open_[i]) {
				p[n].fd = cap[i].fd;
				p[n].events = POLLIN;
				map[n++] = i;
			}
		int r = poll(p, (nfds_t)n, 1000);
		if (r < 0 && errno != EINTR)
			abort();
		for (int j = 0; j < n && r > 0; j++)
			if (p[j].revents && !capture_read(&cap[map[j]]))
				open_[map[j]] = false;
		if (!killed && time(NULL) > deadline) {
			kill(pid, SIGKILL);
			killed = true;
		}
	}
	close(out[0]);
	close(err[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	struct test_run run = { 0 };
	run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	for (int i = 0; i < 2; i++) {
		if (!cap[i].buf)
			cap[i].buf = malloc(1);
		cap[i].buf[cap[i].len] = '\0';
	}
	run.out = cap[0].buf;
	run.err = cap[1].buf;
	return run;
}

struct test_run test_mibc(const char *cwd, const char *const *argv)
{
	size_t n = 0;
	while (argv[n])
		n++;
	const char **full = calloc(n + 2, sizeof(*full));
	full[0] = test_env("MIBC");
	for (size_t i = 0; i < n; i++)
		full[i + 1] = argv[i];
	struct test_run run = test_run_argv(cwd, full, 300);
	free(full);
	return run;
}

struct test_run test_built_tool(const char *tool, const char *const *args,
				int timeout_seconds)
{
	size_t n = 0;
	while (args[n])
		n++;
	const char **full = calloc(n + 2, sizeof(*full));
	char *exe;
	if (!full || asprintf(&exe, "%s/%s", test_env("MIBC_BUILD_ROOT"), tool) < 0)
		abort();
	full[0] = exe;
	for (size_t i = 0; i < n; i++)
		full[i + 1] = args[i];
	struct test_run run = test_run_argv(NULL, full, timeout_seconds);
	free(exe);
	free(full);
	return run;
}

void test_run_free(struct test_run *run)
{
	free(run->out);
	free(run->err);
	run->out = run->err = NULL;
}

static char *join(const char *a, const char *b)
{
	char *p;
	if (asprintf(&p, "%s/%s", a, b) < 0)
		abort();
	return p;
}

char *test_corpus_path(const char *rel)
{
	return join(test_env("MIBC_CORPUS"), rel);
}

char *test_data_path(const char *rel)
{
	return join(test_env("MIBC_TEST_DATA"), rel);
}

char *test_project_mib_path(const char *rel)
{
	return join(test_env("MIBC_PROJECT_MIBS"), rel);
}

int test_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void test_link_folder(const char *folder, const char *into)
{
	DIR *d = opendir(folder);
	ck_assert_msg(d != NULL, "cannot open %s", folder);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char from[PATH_MAX], to[PATH_MAX];
		snprintf(from, sizeof(from), "%s/%s", folder, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", into, e->d_name);
		if (access(to, F_OK) != 0)
			ck_assert_int_eq(symlink(from, to), 0);
	}
	closedir(d);
}

char *test_link_ietf_iana(void)
{
	char *dir = test_mkdtemp();
	const char *folders[] = { "ietf", "iana" };
	for (size_t i = 0; i < 2; i++) {
		char *folder = test_corpus_path(folders[i]);
		test_link_folder(folder, dir);
		free(folder);
	}
	return dir;
}
