/* What walks learn about an agent, kept with its target for the next walk
 * (private to libmibc). */
#ifndef MIBC_WALK_HINTS_H
#define MIBC_WALK_HINTS_H

#include <stdint.h>

#include <mibc/mibc.h>

#pragma GCC visibility push(hidden)

enum walk_bulk {
	WALK_BULK_UNKNOWN = 0,
	WALK_BULK_WORKS,             /* a GETBULK was answered */
	WALK_BULK_BROKEN,            /* GETBULK failed where GETNEXT worked */
};

struct walk_hints {
	enum walk_bulk bulk;
	/* Most varbinds one GETBULK response held when the agent had to cut
	 * it short (its message size) or the fewest a tooBig allowed; 0:
	 * nothing learned yet. */
	uint32_t max_varbinds;
};

/* The target's hints (zero when new); never NULL for a valid target. */
struct walk_hints *target_walk_hints(struct mibc_target *target);

#pragma GCC visibility pop

#endif
