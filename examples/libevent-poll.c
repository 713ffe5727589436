/* The mibc runtime inside someone else's event loop (libevent): the
 * client's one file descriptor is watched for reading, its next deadline
 * is a libevent timer re-armed after every dispatch, and the polling
 * rounds are a libevent timer too.  Nothing blocks; the application's own
 * events share the loop.
 *
 *   libevent-poll [-n ROUNDS] [-i MILLISECONDS] ADDRESS:PORT...
 *
 * Every round asks each agent for sysName.0 and sysContact.0 and prints
 *
 *   round 1 127.0.0.1:1161 SNMPv2-MIB::sysName.0 = STRING: vm
 *
 * (the value as snmpget prints it, through mibc/format.h).  Exit status 0
 * when every request was answered, 1 otherwise. */
#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "snmpv2-mib.h"

#define MAX_AGENTS 16

struct poller;

struct agent {
	struct poller *poller;
	const char *name;            /* as given: ADDRESS:PORT */
	struct mibc_target *target;
	struct mibc_get items[2];
	struct mibc_batch batch;
	bool asking;                 /* a batch is out */
};

struct poller {
	struct event_base *base;
	struct mibc_client *client;
	struct event *readable;      /* the client's fd */
	struct event *deadline;      /* the client's next timer */
	struct event *next_round;
	struct agent agents[MAX_AGENTS];
	size_t n_agents;
	long round, rounds;
	struct timeval interval;
	int failures;
};

/* After anything the client did, its next deadline may have moved. */
static void arm_deadline(struct poller *p)
{
	int ms = mibc_client_timeout(p->client);
	if (ms < 0) {
		event_del(p->deadline);
		return;
	}
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	evtimer_add(p->deadline, &tv);
}

static void finish_if_done(struct poller *p)
{
	if (p->round >= p->rounds && mibc_client_pending(p->client) == 0)
		event_base_loopexit(p->base, NULL);
}

static void dispatch(struct poller *p)
{
	if (mibc_client_dispatch(p->client) < 0) {
		fprintf(stderr, "libevent-poll: the client's socket failed\n");
		p->failures++;
		event_base_loopexit(p->base, NULL);
		return;
	}
	arm_deadline(p);
	finish_if_done(p);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch(arg);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch(arg);
}

static const struct mibc_module_desc *const modules[] = { &snmpv2_mib_module };
static const struct mibc_format_options format = {
	.modules = modules,
	.n_modules = MIBC_N_ELEMENTS(modules),
};

static void on_answers(struct mibc_batch *batch)
{
	struct agent *a = batch->data;
	a->asking = false;
	for (size_t i = 0; i < batch->n_items; i++) {
		const struct mibc_get *item = &batch->items[i];
		char line[1024];
		struct mibc_raw_value raw;
		if (!item->value) {
			printf("round %ld %s %s: %s\n", a->poller->round, a->name,
			       item->object->name, mibc_strerror(item->status));
			a->poller->failures++;
			continue;
		}
		mibc_value_raw(item->value, &raw);
		mibc_format_varbind_line(item->object, item->oid, item->oid_len, &raw, &format,
					 line, sizeof(line));
		printf("round %ld %s %s\n", a->poller->round, a->name, line);
	}
	fflush(stdout);
}

static void on_next_round(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct poller *p = arg;
	p->round++;
	for (size_t i = 0; i < p->n_agents; i++) {
		struct agent *a = &p->agents[i];
		/* the previous round's answers may still be missing: skip
		 * this agent rather than pile up requests */
		if (a->asking)
			continue;
		snmpv2_mib_sys_name_get_init(&a->items[0]);
		snmpv2_mib_sys_contact_get_init(&a->items[1]);
		a->batch = (struct mibc_batch){ .data = a };
		int err = mibc_get_many(a->target, &a->batch, a->items, 2, on_answers);
		if (err < 0) {
			fprintf(stderr, "libevent-poll: %s: %s\n", a->name, mibc_strerror(err));
			p->failures++;
		} else {
			a->asking = true;
		}
	}
	if (p->round < p->rounds)
		evtimer_add(p->next_round, &p->interval);
	arm_deadline(p);
	finish_if_done(p);
}

static int add_agent(struct poller *p, char *spec)
{
	char *colon = strrchr(spec, ':');
	if (!colon || p->n_agents == MAX_AGENTS)
		return -1;
	struct mibc_target_config config;
	mibc_target_config_init(&config);
	*colon = '\0';
	config.address = spec;
	config.port = (uint16_t)atoi(colon + 1);
	config.timeout_ms = 500;
	config.retries = 1;
	struct agent *a = &p->agents[p->n_agents];
	int err = mibc_target_new(p->client, &config, &a->target);
	*colon = ':';
	if (err < 0) {
		fprintf(stderr, "libevent-poll: %s: %s\n", spec, mibc_strerror(err));
		return -1;
	}
	a->poller = p;
	a->name = spec;
	p->n_agents++;
	return 0;
}

int main(int argc, char **argv)
{
	static struct poller p = { .rounds = 3, .interval = { 0, 200 * 1000 } };
	int opt;
	while ((opt = getopt(argc, argv, "n:i:")) != -1) {
		if (opt == 'n')
			p.rounds = atol(optarg);
		else if (opt == 'i')
			p.interval = (struct timeval){ atol(optarg) / 1000, atol(optarg) % 1000 * 1000 };
		else
			optind = argc + 1;
	}
	if (optind >= argc || p.rounds < 1) {
		fprintf(stderr, "usage: %s [-n ROUNDS] [-i MILLISECONDS] ADDRESS:PORT...\n",
			argv[0]);
		return 64;
	}
	if (mibc_client_new(&p.client) < 0)
		return 1;
	for (int i = optind; i < argc; i++)
		if (add_agent(&p, argv[i]) < 0) {
			fprintf(stderr, "libevent-poll: bad agent '%s' (ADDRESS:PORT)\n", argv[i]);
			mibc_client_free(p.client);
			return 64;
		}

	p.base = event_base_new();
	p.readable = event_new(p.base, mibc_client_fd(p.client), EV_READ | EV_PERSIST,
			       on_readable, &p);
	p.deadline = evtimer_new(p.base, on_deadline, &p);
	p.next_round = evtimer_new(p.base, on_next_round, &p);
	event_add(p.readable, NULL);
	event_active(p.next_round, EV_TIMEOUT, 0);   /* the first round now */
	event_base_dispatch(p.base);

	event_free(p.readable);
	event_free(p.deadline);
	event_free(p.next_round);
	event_base_free(p.base);
	mibc_client_free(p.client);
	return p.failures ? 1 : 0;
}
