/* mibwalk's run (see walk.h): one subtree walk through the runtime's walk
 * engine (GETBULK for v2c/v3, GETNEXT for v1), each varbind printed as it
 * comes (text, JSON) or collected into a table (CSV). */
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "get.h"
#include "query.h"

struct walk_state {
	const struct walk_job *job;
	struct mibc_walk walk;
	struct csv_table *table;
	size_t delivered;
	int exit_status;
	bool show_progress;
	double started, last_progress;
};

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Long walks say how far they got, on stderr, about once a second, after
 * the first two seconds. */
static void progress(struct walk_state *s, bool last)
{
	if (!s->show_progress)
		return;
	double now = now_seconds();
	if (!last && (now - s->started < 2 || now - s->last_progress < 1))
		return;
	if (last && s->last_progress == 0)
		return;
	s->last_progress = now;
	bool tty = isatty(STDERR_FILENO);
	fprintf(stderr, "%s%s: %zu objects, %zu requests, %.1f s%s", tty ? "\r" : "",
		s->job->options->tool->name, s->delivered, s->walk.stats.requests,
		now - s->started, tty && !last ? "" : "\n");
	fflush(stderr);
}

static int on_varbind(struct mibc_walk *walk, const struct mibc_varbind *vb)
{
	struct walk_state *s = walk->data;
	const struct walk_job *job = s->job;
	const struct mibc_object_desc *object =
		module_list_object_of(job->modules, vb->oid, vb->oid_len);
	if (s->table)
		csv_table_add(s->table, job->printer, vb);
	else if (job->options->json) {
		fputs(s->delivered ? "," : "", stdout);
		print_json_varbind(job->printer, stdout, object, vb->oid, vb->oid_len, vb->value, 0);
	} else
		print_line(job->printer, stdout, object, vb->oid, vb->oid_len, vb->value);
	s->delivered++;
	progress(s, false);
	return 0;
}

static void on_done(struct mibc_walk *walk, int status)
{
	struct walk_state *s = walk->data;
	const struct cli_options *o = s->job->options;
	progress(s, true);
	if (status == 0)
		return;
	s->exit_status = CLI_EXIT_FAILURE;
	char *name = print_oid_name(s->job->printer, s->job->root.object, walk->root,
				    walk->root_len);
	const char *reason = query_packet_error(status);
	if (status == MIBC_E_TIMEOUT)
		/* snmpwalk's words (without snmpget's final period) */
		fprintf(stderr, "Timeout: No Response from %s\n", o->agent);
	else if (status == MIBC_E_AUTH)
		fprintf(stderr, "%s: Authentication failure (incorrect password, community or key)\n",
			o->tool->name);
	else if (reason) {
		fprintf(stderr, "Error in packet.\nReason: %s\n", reason);
		s->exit_status = CLI_EXIT_PACKET_ERROR;
	} else if (status == MIBC_E_OID_ORDER)
		fprintf(stderr, "Error: OID not increasing: the agent went backwards after %zu "
			"objects of %s (-Cc walks on)\n", s->delivered, name ? name : "?");
	else
		fprintf(stderr, "%s: %s: %s\n", o->tool->name, name ? name : s->job->root_arg,
			mibc_strerror(status));
	free(name);
}

/* A subtree with nothing in it: snmpwalk then GETs the root itself (it
 * may be an instance: `mibwalk AGENT sysName.0`) and prints what comes. */
static int get_root(const struct walk_job *job, struct mibc_target *target)
{
	struct query_object q = { .arg = job->root_arg, .r = job->root };
	struct mibc_get get;
	if (query_get_init(&q, &get) != 0)
		return CLI_EXIT_OK;
	struct mibc_value *value = NULL;
	int status = mibc_get_wait(target, get.object, get.oid + get.object->oid_len,
				   get.oid_len - get.object->oid_len, &value);
	int exit_status = CLI_EXIT_OK;
	if (value)
		print_line(job->printer, stdout, job->root.object, get.oid, get.oid_len, value);
	else if (status == MIBC_E_TIMEOUT) {
		fprintf(stderr, "Timeout: No Response from %s\n", job->options->agent);
		exit_status = CLI_EXIT_FAILURE;
	}
	/* v1's noSuchName here is snmpwalk's silence */
	mibc_value_free(value);
	return exit_status;
}

int walk_run(const struct walk_job *job)
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
	struct walk_state *s = calloc(1, sizeof(*s));
	if (!s) {
		mibc_client_free(client);
		return CLI_EXIT_FAILURE;
	}
	s->job = job;
	s->show_progress = o->progress || isatty(STDERR_FILENO);
	s->started = now_seconds();
	if (o->csv) {
		s->table = csv_table_new(job->root.node);
		if (!s->table) {
			fprintf(stderr, "%s: %s: --csv needs a table, row or column\n", o->tool->name,
				job->root_arg);
			free(s);
			mibc_client_free(client);
			return CLI_EXIT_USAGE;
		}
	}
	s->walk = (struct mibc_walk){
		.data = s,
		.root = job->root.oid,
		.root_len = job->root.oid_len,
		.flags = o->unordered ? MIBC_WALK_UNORDERED : 0u,
		.max_instances = o->max_instances,
	};
	if (o->json) {
		fputs("{\"agent\":", stdout);
		print_json_string(stdout, o->agent, strlen(o->agent));
		fputs(",\"values\":[", stdout);
	}
	rc = mibc_walk_start(target, &s->walk, on_varbind, on_done);
	if (rc == 0)
		rc = mibc_client_run(client);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
		s->exit_status = CLI_EXIT_FAILURE;
	}
	if (o->json) {
		fputs("]", stdout);
		if (s->walk.status < 0) {
			fputs(",\"error\":", stdout);
			const char *e = mibc_err_name(s->walk.status);
			print_json_string(stdout, e ? e : "?", e ? strlen(e) : 1);
		}
		fputs("}\n", stdout);
	} else if (s->table) {
		csv_table_print(s->table, job->printer, stdout);
	} else if (rc == 0 && s->walk.status == 0 && s->delivered == 0) {
		s->exit_status = get_root(job, target);
	}
	int status = s->exit_status;
	csv_table_free(s->table);
	free(s);
	mibc_client_free(client);
	return status;
}
