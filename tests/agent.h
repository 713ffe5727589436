/* A real net-snmp snmpd for tests: started on 127.0.0.1 on a free UDP
 * port with a generated config in a temporary directory, stopped by PID,
 * and the net-snmp command line tools run against it. */
#ifndef MIBC_TEST_AGENT_H
#define MIBC_TEST_AGENT_H

#include <stdbool.h>
#include <sys/types.h>

#include "testlib.h"

struct test_agent {
	pid_t pid;
	char *dir;          /* temp dir: config, log, pid, persistent state */
	int port;
	char address[64];   /* "127.0.0.1:PORT", for the tools */
};

/* Absolute path of a program in PATH or the sbin directories (malloc'd),
 * NULL when missing. */
char *test_find_program(const char *name);
/* Whether snmpd and snmpget are installed (else skip: exit 77). */
bool test_agent_available(void);
/* A UDP port on 127.0.0.1 nobody listens on (right now). */
int test_free_udp_port(void);

/* Start snmpd with communities public (ro) and private (rw) for 127.0.0.1
 * plus `extra_config` lines (may be NULL); fails the test when it does not
 * answer. */
void test_agent_start(struct test_agent *agent, const char *extra_config);
void test_agent_stop(struct test_agent *agent);
/* Stop snmpd by its PID (it saves its persistent state), keeping the
 * directory and port; test_agent_resume() starts it again there with the
 * same config and persistent state: the same engine ID, engineBoots + 1. */
void test_agent_halt(struct test_agent *agent);
void test_agent_resume(struct test_agent *agent);

/* Run a net-snmp tool against the agent: `tool` ("snmpget") with no MIBs
 * loaded, no retries, a 5 s timeout, then `args` (NULL-terminated; the
 * agent's address is not added). */
struct test_run test_agent_tool(const struct test_agent *agent,
				const char *tool, const char *const *args);

#endif
