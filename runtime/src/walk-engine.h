/* The walk engine (private): cursors over subtrees advanced together with
 * GETBULK or GETNEXT through mibc_pdu_send, shared by subtree walks
 * (walk.c) and table walks (table.c). */
#ifndef MIBC_WALK_ENGINE_H
#define MIBC_WALK_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mibc/mibc.h>

#include "walk-hints.h"

#pragma GCC visibility push(hidden)

/* One subtree being walked: where it starts and the last OID it got. */
struct cursor {
	const uint32_t *root;
	size_t root_len;
	uint32_t last[MIBC_OID_MAX_LEN];
	size_t last_len;
	bool done;
	size_t tag;                          /* the user's (table: column) */
};

struct seen_set;
struct engine;

struct engine_ops {
	/* A varbind inside cursor `c`'s subtree: 0 to go on, else the walk
	 * ends with that status. */
	int (*varbind)(struct engine *e, struct cursor *c,
		       const struct mibc_varbind *vb);
	/* After each response's varbinds (may be NULL): 0 to go on, else
	 * the walk ends with that status. */
	int (*response)(struct engine *e);
	/* Exactly once, at the end. */
	void (*done)(struct engine *e, int status);
};

struct engine {
	struct mibc_target *target;
	struct walk_hints *hints;
	const struct engine_ops *ops;
	void *owner;
	unsigned flags;
	struct mibc_walk_stats *stats;
	struct cursor *cursors;
	size_t n_cursors;
	size_t per_pdu;                      /* cursors per request */
	uint32_t reps;                       /* GETBULK max-repetitions */
	bool bulk;
	bool bulk_on_trial;                  /* GETNEXT after a failed GETBULK */
	bool canceling;
	struct mibc_pdu pdu;
	struct mibc_varbind_out *out;
	size_t *active;                      /* cursor of each request varbind */
	size_t n_active;
	struct seen_set *seen;               /* MIBC_WALK_UNORDERED */
	size_t delivered;                    /* varbinds taken so far */
	size_t max_instances;                /* then MIBC_E_WALK_LIMIT */
};

/* Set up `e` over `n` cursors (their roots filled by the caller, `done`
 * false): 0 or MIBC_E_NOMEM. */
int engine_init(struct engine *e, struct mibc_target *target,
		const struct engine_ops *ops, void *owner, unsigned flags,
		uint32_t max_repetitions, struct mibc_walk_stats *stats,
		struct cursor *cursors, size_t n);
/* The largest number of instances a walk takes (0: the default,
 * MIBC_WALK_DEFAULT_MAX_INSTANCES). */
void engine_set_limit(struct engine *e, size_t max_instances);
/* Send the first request: 0 (then ops->done runs once, later) or an
 * error (ops->done never runs; engine_free still needed). */
int engine_start(struct engine *e);
/* ops->done runs inside with MIBC_E_CANCELED. */
void engine_cancel(struct engine *e);
void engine_free(struct engine *e);

#pragma GCC visibility pop

#endif
