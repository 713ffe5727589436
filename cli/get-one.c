/* mibget against one agent: snmpget's output and exit statuses. */
#include "get.h"
#include "get-json.h"

#include <stdio.h>
#include <stdlib.h>

struct one {
	const struct get_job *job;
	int exit_status;
};

static void print_text(struct one *s, const struct mibc_batch *b)
{
	const struct get_job *job = s->job;
	const char *tool = job->options->tool->name;
	int failure = get_agent_failure(b->items, b->n_items);
	if (failure == MIBC_E_TIMEOUT) {
		fprintf(stderr, "Timeout: No Response from %s.\n", job->options->agent);
		s->exit_status = CLI_EXIT_FAILURE;
		return;
	}
	if (failure == MIBC_E_AUTH) {
		fprintf(stderr, "%s: Authentication failure (incorrect password, community or key)\n",
			tool);
		s->exit_status = CLI_EXIT_FAILURE;
		return;
	}
	for (size_t i = 0; i < b->n_items; i++) {
		const struct mibc_get *g = &b->items[i];
		const struct mibc_object_desc *object = job->objects[i].r.object;
		if (g->value) {
			print_line(job->printer, stdout, object, g->oid, g->oid_len, g->value);
			continue;
		}
		char *name = print_oid_name(job->printer, object, g->oid, g->oid_len);
		const char *reason = query_packet_error(g->status);
		if (reason) {
			fprintf(stderr, "Error in packet\nReason: %s\nFailed object: %s\n\n",
				reason, name ? name : job->objects[i].arg);
			if (s->exit_status == CLI_EXIT_OK)
				s->exit_status = CLI_EXIT_PACKET_ERROR;
		} else if (g->status == MIBC_E_TIMEOUT) {
			fprintf(stderr, "Timeout: No Response from %s (for %s).\n",
				job->options->agent, name ? name : job->objects[i].arg);
			s->exit_status = CLI_EXIT_FAILURE;
		} else {
			fprintf(stderr, "%s: %s: %s\n", tool, name ? name : job->objects[i].arg,
				mibc_strerror(g->status));
			s->exit_status = CLI_EXIT_FAILURE;
		}
		free(name);
	}
}

static void on_answers(struct mibc_batch *b)
{
	struct one *s = b->data;
	if (!s->job->options->json) {
		print_text(s, b);
		return;
	}
	get_print_json_agent(s->job, stdout, s->job->options->agent, b->items, b->n_items, NULL);
	int failure = get_agent_failure(b->items, b->n_items);
	if (failure)
		s->exit_status = CLI_EXIT_FAILURE;
	for (size_t i = 0; !failure && i < b->n_items; i++) {
		if (b->items[i].value)
			continue;
		int status = query_packet_error(b->items[i].status) ? CLI_EXIT_PACKET_ERROR
								     : CLI_EXIT_FAILURE;
		if (s->exit_status == CLI_EXIT_OK || status == CLI_EXIT_FAILURE)
			s->exit_status = status;
	}
}

int get_one_agent(const struct get_job *job)
{
	const struct cli_options *o = job->options;
	struct mibc_client *client;
	int rc = mibc_client_new(&client);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
		return CLI_EXIT_FAILURE;
	}
	struct mibc_target *target = get_make_target(client, o, o->address, o->target.port,
						     o->agent);
	if (!target) {
		mibc_client_free(client);
		return CLI_EXIT_FAILURE;
	}
	struct mibc_get *items = calloc(job->n_objects, sizeof(*items));
	if (!items) {
		mibc_client_free(client);
		return CLI_EXIT_FAILURE;
	}
	struct one state = { .job = job, .exit_status = CLI_EXIT_OK };
	for (size_t i = 0; i < job->n_objects && rc == 0; i++) {
		rc = query_get_init(&job->objects[i], &items[i]);
		if (rc < 0)
			fprintf(stderr, "%s: %s: %s\n", o->tool->name, job->objects[i].arg,
				mibc_strerror(rc));
	}
	struct mibc_batch batch = { .data = &state };
	if (rc == 0) {
		rc = mibc_get_many(target, &batch, items, job->n_objects, on_answers);
		if (rc == 0)
			rc = mibc_client_run(client);
		if (rc < 0)
			fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
	}
	mibc_client_free(client);
	free(items);
	return rc < 0 ? CLI_EXIT_FAILURE : state.exit_status;
}
