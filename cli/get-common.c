/* What both mibget modes share: making targets, and one agent's answers
 * as JSON. */
#include "get.h"
#include "get-json.h"

#include <stdio.h>
#include <string.h>

struct mibc_target *get_make_target(struct mibc_client *client,
				    const struct cli_options *o, const char *address,
				    uint16_t port, const char *agent)
{
	struct mibc_target_config config = o->target;
	config.address = address;
	config.port = port;
	struct mibc_target *target;
	int rc = mibc_target_new(client, &config, &target);
	if (rc < 0) {
		fprintf(stderr, "%s: %s: %s\n", o->tool->name, agent, mibc_strerror(rc));
		return NULL;
	}
	return target;
}

/* Every item failed the same way for the agent as a whole (no answer,
 * SNMPv3 refused): that status, else 0. */
int get_agent_failure(const struct mibc_get *items, size_t n)
{
	if (n == 0)
		return 0;
	int s = items[0].status;
	if (s != MIBC_E_TIMEOUT && s != MIBC_E_AUTH && s != MIBC_E_IO)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (items[i].status != s)
			return 0;
	return s;
}

void get_print_json_agent(const struct get_job *job, FILE *out, const char *agent,
			  const struct mibc_get *items, size_t n, const char *extra)
{
	fputs("{\"agent\":", out);
	print_json_string(out, agent, strlen(agent));
	if (extra)
		fputs(extra, out);
	int failure = get_agent_failure(items, n);
	if (failure) {
		fputs(",\"error\":", out);
		print_json_string(out, mibc_err_name(failure), strlen(mibc_err_name(failure)));
		fputs(",\"message\":", out);
		print_json_string(out, mibc_strerror(failure), strlen(mibc_strerror(failure)));
		fputs("}\n", out);
		return;
	}
	fputs(",\"values\":[", out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		print_json_varbind(job->printer, out, job->objects[i].r.object, items[i].oid,
				   items[i].oid_len, items[i].value, items[i].status);
	}
	fputs("]}\n", out);
}
