/* mibget's two modes: one agent (snmpget's output, or one JSON document),
 * and polling the agents of a --targets file in rounds (one JSON line per
 * agent per round). */
#ifndef MIBC_CLI_GET_H
#define MIBC_CLI_GET_H

#include "options.h"
#include "print.h"
#include "query.h"

struct get_job {
	const struct cli_options *options;
	const struct printer *printer;
	struct query_object *objects;
	size_t n_objects;
};

/* Both return the exit status. */
int get_one_agent(const struct get_job *job);
int get_poll_targets(const struct get_job *job);

/* A target for `address`/`port` with the options' settings; prints the
 * error and returns NULL when the runtime refuses it. */
struct mibc_target *get_make_target(struct mibc_client *client,
				    const struct cli_options *o, const char *address,
				    uint16_t port, const char *agent);

#endif
