/* A scripted SNMP agent for walk tests: one UDP socket on 127.0.0.1
 * answering GETNEXT and GETBULK (v1 and v2c) from a fixed sorted list of
 * instances, misbehaving on purpose as its mode says.  Runs in a thread;
 * counts what it was asked. */
#ifndef MIBC_SCRIPTED_AGENT_H
#define MIBC_SCRIPTED_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum scripted_mode {
	SCRIPT_NORMAL,
	SCRIPT_LOOP,            /* after .99999.1.1.8 comes .99999.1.1.3 again */
	SCRIPT_UNORDERED,       /* .7 comes before .4 .5 .6 (no repeats) */
	SCRIPT_EMPTY_BULK,      /* GETBULK: noError without varbinds */
	SCRIPT_TOO_BIG_EMPTY,   /* GETBULK asking > 6 varbinds: tooBig, no varbinds */
	SCRIPT_SHORT_BULK,      /* GETBULK answers hold at most 7 varbinds */
	SCRIPT_NO_BULK,         /* GETBULK: genErr */
	SCRIPT_ONE_AT_A_TIME,   /* more than one varbind asked or answered: tooBig */
	SCRIPT_ENDLESS,         /* .99999.1.1.i is followed by .i+1 forever */
};

struct scripted_agent {
	int fd;
	int port;
	int stop;               /* eventfd */
	pthread_t thread;
	volatile enum scripted_mode mode;
	/* what it was asked */
	volatile unsigned getnext, getbulk, too_big_sent;
	volatile uint32_t last_bulk_varbinds; /* max-repetitions x varbinds */
};

/* The instances it serves, in OID order:
 *   ifDescr.1 .2 .3 "if1".. (1.3.6.1.2.1.2.2.1.2.i), ifType.1 .3 (no .2:
 *   sparse), ifName.1 .3 .4 (ifXTable; .4 has no ifTable row),
 *   1.3.6.1.4.1.99999.1.1.i = INTEGER i*10 for i = 1..20,
 *   1.3.6.1.4.1.99999.2.0 = INTEGER 0; then the end of the MIB. */
#define SCRIPTED_ROWS 20

void scripted_agent_start(struct scripted_agent *a, enum scripted_mode mode);
void scripted_agent_stop(struct scripted_agent *a);

#endif
