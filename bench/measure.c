/*
 * measure: run a command (or the same command once per line of a list)
 * and report wall time, CPU time (user + sys) and peak RSS.
 *
 *   measure [-o OUT] [-e ERR] [-l LIST] [-s STATUS] [-p LABEL] -- CMD ARG...
 *
 * -o/-e   append the command's stdout/stderr to these files (default:
 *         /dev/null); the same path may be given to both
 * -l LIST run CMD once per non-empty line of LIST, every argument that is
 *         exactly "{}" replaced by the line; runs are sequential
 * -s FILE write "LINE STATUS" per run (STATUS: exit code, or "sig N")
 * -p TEXT label for the progress shown on stderr with -l
 *
 * Prints one line on stdout:
 *   wall=S user=S sys=S maxrss_kb=N runs=N nonzero=N signaled=N
 * CPU times are those wait4() reports for each child, which include the
 * child's own reaped descendants; maxrss is the largest over all runs.
 * Exit status: 0 once everything ran (whatever the command returned),
 * 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct totals {
	double user, sys;
	long maxrss_kb;
	int runs, nonzero, signaled;
};

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_out(const char *path)
{
	int fd = open(path ? path : "/dev/null",
	              O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "measure: %s: %s\n", path ? path : "/dev/null",
		        strerror(errno));
		exit(2);
	}
	return fd;
}

/* Runs argv once; returns the wait status, or -1 if fork failed. */
static int run(char **argv, int out, int err, struct totals *t)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in >= 0)
			dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[0], argv);
		dprintf(2, "measure: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
			return -1;
		}
	}
	t->user += tv_seconds(ru.ru_utime);
	t->sys += tv_seconds(ru.ru_stime);
	if (ru.ru_maxrss > t->maxrss_kb)
		t->maxrss_kb = ru.ru_maxrss;
	t->runs++;
	if (WIFSIGNALED(status))
		t->signaled++;
	else if (WEXITSTATUS(status) != 0)
		t->nonzero++;
	return status;
}

static void write_status(FILE *f, const char *what, int status)
{
	if (!f)
		return;
	if (status < 0)
		fprintf(f, "%s error\n", what);
	else if (WIFSIGNALED(status))
		fprintf(f, "%s sig %d\n", what, WTERMSIG(status));
	else
		fprintf(f, "%s %d\n", what, WEXITSTATUS(status));
}

static void usage(void)
{
	fprintf(stderr, "usage: measure [-o OUT] [-e ERR] [-l LIST] [-s STATUS] "
	                "[-p LABEL] -- CMD ARG...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *outp = NULL, *errp = NULL, *listp = NULL, *statusp = NULL;
	const char *label = "";
	int opt;
	while ((opt = getopt(argc, argv, "+o:e:l:s:p:")) != -1) {
		switch (opt) {
		case 'o': outp = optarg; break;
		case 'e': errp = optarg; break;
		case 'l': listp = optarg; break;
		case 's': statusp = optarg; break;
		case 'p': label = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	char **cmd = argv + optind;
	int ncmd = argc - optind;

	int out = open_out(outp);
	int err = open_out(errp);
	FILE *status_f = NULL;
	if (statusp) {
		status_f = fopen(statusp, "w");
		if (!status_f) {
			fprintf(stderr, "measure: %s: %s\n", statusp, strerror(errno));
			return 2;
		}
	}

	struct totals t = {0};
	double start, wall;
	if (!listp) {
		start = now();
		int st = run(cmd, out, err, &t);
		wall = now() - start;
		if (st == -1)
			return 2;
		write_status(status_f, cmd[0], st);
	} else {
		/* Read the whole list first so its I/O is not timed. */
		FILE *lf = fopen(listp, "r");
		if (!lf) {
			fprintf(stderr, "measure: %s: %s\n", listp, strerror(errno));
			return 2;
		}
		char **items = NULL;
		size_t n = 0, cap = 0;
		char *line = NULL;
		size_t lcap = 0;
		ssize_t len;
		while ((len = getline(&line, &lcap, lf)) >= 0) {
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = '\0';
			if (len == 0)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				items = realloc(items, cap * sizeof *items);
				if (!items)
					return 2;
			}
			items[n++] = strdup(line);
		}
		free(line);
		fclose(lf);

		char **args = calloc((size_t)ncmd + 1, sizeof *args);
		if (!args)
			return 2;
		int tty = isatty(2);
		start = now();
		for (size_t i = 0; i < n; i++) {
			for (int a = 0; a < ncmd; a++)
				args[a] = strcmp(cmd[a], "{}") == 0 ? items[i] : cmd[a];
			int st = run(args, out, err, &t);
			if (st == -1)
				return 2;
			write_status(status_f, items[i], st);
			if (tty || (i + 1) % 50 == 0 || i + 1 == n)
				fprintf(stderr, "%s  %s %zu/%zu %.0fs%s", tty ? "\r" : "",
				        label, i + 1, n, now() - start,
				        tty && i + 1 < n ? "\033[K" : "\n");
		}
		wall = now() - start;
		for (size_t i = 0; i < n; i++)
			free(items[i]);
		free(items);
		free(args);
	}
	if (status_f)
		fclose(status_f);
	printf("wall=%.3f user=%.3f sys=%.3f maxrss_kb=%ld runs=%d nonzero=%d "
	       "signaled=%d\n",
	       wall, t.user, t.sys, t.maxrss_kb, t.runs, t.nonzero, t.signaled);
	return 0;
}
