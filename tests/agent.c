/* The snmpd test fixture: see agent.h. */
#include "agent.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *test_find_program(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs;
	if (asprintf(&dirs, "%s:/usr/sbin:/usr/local/sbin:/sbin", path ? path : "") < 0)
		abort();
	char *save = NULL, *found = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *p;
		if (asprintf(&p, "%s/%s", *d ? d : ".", name) < 0)
			abort();
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(dirs);
	return found;
}

bool test_agent_available(void)
{
	char *a = test_find_program("snmpd"), *b = test_find_program("snmpget");
	bool ok = a && b;
	free(a);
	free(b);
	return ok;
}

int test_free_udp_port(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &al), 0);
	close(s);
	return ntohs(a.sin_port);
}

struct test_run test_agent_tool(const struct test_agent *agent,
				const char *tool, const char *const *args)
{
	const char *argv[64];
	size_t n = 0;
	char *mibdirs;
	if (asprintf(&mibdirs, "%s/mibs", agent->dir) < 0)
		abort();
	argv[n++] = tool;
	argv[n++] = "-M";
	argv[n++] = mibdirs;
	argv[n++] = "-m";
	argv[n++] = "";
	argv[n++] = "-r";
	argv[n++] = "0";
	argv[n++] = "-t";
	argv[n++] = "5";
	for (size_t i = 0; args[i]; i++) {
		ck_assert_uint_lt(n, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	struct test_run run = test_run_argv(NULL, argv, 30);
	free(mibdirs);
	return run;
}

/* Run snmpd on `port` and wait until it answers: true, or false when it
 * exited (the port was taken) or never answered. */
static bool agent_spawn(struct test_agent *agent, int port)
{
	char *snmpd = test_find_program("snmpd");
	ck_assert_msg(snmpd != NULL, "snmpd not installed");
	char *conf, *log, *pid, *persist, *persisted;
	if (asprintf(&conf, "%s/snmpd.conf", agent->dir) < 0
	    || asprintf(&log, "%s/snmpd.log", agent->dir) < 0
	    || asprintf(&pid, "%s/snmpd.pid", agent->dir) < 0
	    || asprintf(&persist, "%s/persist", agent->dir) < 0
	    || asprintf(&persisted, "%s/persist/snmpd.conf", agent->dir) < 0)
		abort();
	/* snmpd writes persistent state (engine ID, engineBoots, users) at
	 * exit into SNMP_PERSISTENT_DIR/snmpd.conf: a directory of its own, so
	 * it never overwrites our config; a restart reads it back (-C reads
	 * only the -c files), keeping the engine ID and counting a boot */
	mkdir(persist, 0700);
	setenv("SNMP_PERSISTENT_DIR", persist, 1);
	setenv("SNMPCONFPATH", agent->dir, 1);
	char *confs;
	if (access(persisted, R_OK) == 0) {
		if (asprintf(&confs, "%s,%s", conf, persisted) < 0)
			abort();
	} else {
		confs = strdup(conf);
	}
	char endpoint[64];
	snprintf(endpoint, sizeof(endpoint), "udp:127.0.0.1:%d", port);
	snprintf(agent->address, sizeof(agent->address), "127.0.0.1:%d", port);
	agent->port = port;
	pid_t p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0) {
		setpgid(0, 0);
		/* snmpd never outlives the test process that started it (a
		 * failed test in a forked Check child skips the teardown) */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(127);
		execl(snmpd, snmpd, "-f", "-Lf", log, "-C", "-c", confs,
		      "-p", pid, endpoint, (char *)NULL);
		_exit(127);
	}
	agent->pid = p;
	bool up = false;
	for (int i = 0; i < 100 && !up; i++) {
		int status;
		if (waitpid(p, &status, WNOHANG) == p) {
			agent->pid = 0;
			break;
		}
		struct test_run r = test_agent_tool(agent, "snmpget",
			(const char *const[]){ "-v2c", "-c", "public", "-t",
					       "1", agent->address,
					       "1.3.6.1.2.1.1.3.0", NULL });
		up = r.status == 0;
		test_run_free(&r);
		if (!up) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	if (!up && agent->pid) {
		kill(agent->pid, SIGKILL);
		waitpid(agent->pid, NULL, 0);
		agent->pid = 0;
	}
	free(conf);
	free(log);
	free(pid);
	free(persist);
	free(persisted);
	free(confs);
	free(snmpd);
	return up;
}

static void agent_fail(const struct test_agent *agent)
{
	char *log;
	if (asprintf(&log, "%s/snmpd.log", agent->dir) < 0)
		abort();
	char *l = test_read_file(log, NULL);
	ck_abort_msg("snmpd did not start: %s", l ? l : "(no log)");
}

void test_agent_start(struct test_agent *agent, const char *extra_config)
{
	memset(agent, 0, sizeof(*agent));
	agent->dir = test_mkdtemp();
	char *conf, *mibs, *config;
	if (asprintf(&conf, "%s/snmpd.conf", agent->dir) < 0
	    || asprintf(&mibs, "%s/mibs", agent->dir) < 0
	    || asprintf(&config, "rocommunity public 127.0.0.1\n"
				 "rwcommunity private 127.0.0.1\n"
				 "dontLogTCPWrappersConnects yes\n%s",
			extra_config ? extra_config : "") < 0)
		abort();
	mkdir(mibs, 0700);
	test_write_file(conf, config, strlen(config));
	free(conf);
	free(mibs);
	free(config);
	for (int attempt = 0; attempt < 5; attempt++)
		if (agent_spawn(agent, test_free_udp_port()))
			return;
	agent_fail(agent);
}

/* SIGTERM (snmpd saves its persistent state), then SIGKILL after 5 s. */
static void agent_kill(struct test_agent *agent)
{
	if (agent->pid <= 0)
		return;
	kill(agent->pid, SIGTERM);
	int status;
	for (int i = 0; i < 50; i++) {
		if (waitpid(agent->pid, &status, WNOHANG) == agent->pid) {
			agent->pid = 0;
			return;
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(agent->pid, SIGKILL);
	waitpid(agent->pid, &status, 0);
	agent->pid = 0;
}

void test_agent_halt(struct test_agent *agent)
{
	agent_kill(agent);
}

void test_agent_resume(struct test_agent *agent)
{
	ck_assert_int_eq(agent->pid, 0);
	/* the port was ours a moment ago: retry briefly should the kernel
	 * still hold it */
	for (int attempt = 0; attempt < 5; attempt++)
		if (agent_spawn(agent, agent->port))
			return;
	agent_fail(agent);
}

void test_agent_stop(struct test_agent *agent)
{
	agent_kill(agent);
	if (agent->dir) {
		test_rmtree(agent->dir);
		free(agent->dir);
		agent->dir = NULL;
	}
}
