/* mibget --targets FILE: every agent of the file asked concurrently, in
 * rounds --interval seconds apart; one JSON line per agent per round, as
 * each agent answers (what SOCS' monitoring loops do with pysnmp). */
#include "get.h"
#include "get-json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct poll_agent {
	const struct get_job *job;
	char *agent;                      /* as the file gives it */
	char address[64];
	uint16_t port;
	struct mibc_target *target;
	struct mibc_get *items;
	struct mibc_batch batch;
	long round;
};

/* Agents: one per line; blank lines and '#' comments are skipped. */
static struct poll_agent *read_targets(const struct get_job *job, size_t *n)
{
	const char *tool = job->options->tool->name, *path = job->options->targets_file;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return NULL;
	}
	struct poll_agent *agents = NULL;
	size_t count = 0, line_cap = 0, lineno = 0;
	char *line = NULL;
	bool bad = false;
	while (getline(&line, &line_cap, f) > 0) {
		lineno++;
		char *s = line + strspn(line, " \t");
		s[strcspn(s, "#\r\n")] = '\0';
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		if (!len)
			continue;
		struct poll_agent *grown = realloc(agents, (count + 1) * sizeof(*agents));
		if (!grown) {
			bad = true;
			break;
		}
		agents = grown;
		struct poll_agent *a = &agents[count];
		memset(a, 0, sizeof(*a));
		a->job = job;
		char why[256];
		if (strpbrk(s, " \t")) {
			fprintf(stderr, "%s: %s:%zu: one agent per line, not '%s'\n", tool, path,
				lineno, s);
			bad = true;
			continue;
		}
		if (cli_agent_parse(s, a->address, &a->port, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s: %s:%zu: %s: %s\n", tool, path, lineno, s, why);
			bad = true;
			continue;
		}
		a->agent = strdup(s);
		count++;
	}
	free(line);
	fclose(f);
	if (!bad && count == 0) {
		fprintf(stderr, "%s: %s: no agents\n", tool, path);
		bad = true;
	}
	if (bad) {
		for (size_t i = 0; i < count; i++)
			free(agents[i].agent);
		free(agents);
		return NULL;
	}
	*n = count;
	return agents;
}

static void on_answers(struct mibc_batch *b)
{
	struct poll_agent *a = b->data;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct tm tm;
	gmtime_r(&now.tv_sec, &tm);
	char extra[128];
	snprintf(extra, sizeof(extra),
		 ",\"round\":%ld,\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\"", a->round,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, now.tv_nsec / 1000000);
	get_print_json_agent(a->job, stdout, a->agent, b->items, b->n_items, extra);
	/* a line per agent as it comes, for whoever reads the pipe */
	fflush(stdout);
}

static double monotonic_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_until(double when)
{
	for (double left; (left = when - monotonic_seconds()) > 0;) {
		struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

int get_poll_targets(const struct get_job *job)
{
	const struct cli_options *o = job->options;
	size_t n_agents = 0;
	struct poll_agent *agents = read_targets(job, &n_agents);
	if (!agents)
		return CLI_EXIT_FAILURE;
	struct mibc_client *client;
	int rc = mibc_client_new(&client);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
		return CLI_EXIT_FAILURE;
	}
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n_agents && status == CLI_EXIT_OK; i++) {
		struct poll_agent *a = &agents[i];
		a->target = get_make_target(client, o, a->address, a->port, a->agent);
		a->items = calloc(job->n_objects, sizeof(*a->items));
		if (!a->target || !a->items)
			status = CLI_EXIT_FAILURE;
	}
	double start = monotonic_seconds();
	for (long round = 1; status == CLI_EXIT_OK && (o->count == 0 || round <= o->count);
	     round++) {
		for (size_t i = 0; i < n_agents && status == CLI_EXIT_OK; i++) {
			struct poll_agent *a = &agents[i];
			a->round = round;
			for (size_t k = 0; k < job->n_objects && rc == 0; k++)
				rc = query_get_init(&job->objects[k], &a->items[k]);
			a->batch = (struct mibc_batch){ .data = a };
			if (rc == 0)
				rc = mibc_get_many(a->target, &a->batch, a->items, job->n_objects,
						   on_answers);
			if (rc < 0) {
				fprintf(stderr, "%s: %s: %s\n", o->tool->name, a->agent,
					mibc_strerror(rc));
				status = CLI_EXIT_FAILURE;
			}
		}
		rc = mibc_client_run(client);
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
			status = CLI_EXIT_FAILURE;
		}
		if (status == CLI_EXIT_OK && (o->count == 0 || round < o->count))
			/* rounds keep their rhythm whatever each one took */
			sleep_until(start + (double)round * o->interval);
	}
	mibc_client_free(client);
	for (size_t i = 0; i < n_agents; i++) {
		free(agents[i].agent);
		free(agents[i].items);
	}
	free(agents);
	return status;
}
