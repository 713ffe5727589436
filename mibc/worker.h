/* The worker: a child process that runs libsmi and the emitters.
 *
 * libsmi is global state; on some broken MIBs it calls exit() or crashes
 * (see the field notes).  So the parse happens in a forked child that
 * reports each module's fate over a pipe.  When the child dies, the module
 * it was parsing is marked failed with the reason, and a fresh child goes
 * on with the rest: one broken MIB never takes the run down with it. */
#ifndef MIBC_WORKER_H
#define MIBC_WORKER_H

#include "driver.h"
#include "output.h"

/* Parse and emit every module of the plan still MODULE_PENDING (and, when
 * `index` is given, load up-to-date ones for the index).  Updates the
 * plan's states and reasons.  Returns 0, or an exit status on an internal
 * error. */
int worker_compile(struct plan *plan, struct source_set *sources,
		   const struct driver_options *o, struct output_index *index);

#endif
