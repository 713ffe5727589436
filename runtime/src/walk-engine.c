/* The walk engine: GETBULK (or GETNEXT) requests continuing several
 * subtrees at once, adapting to what the agent manages, and refusing to
 * be led in circles.  Every response is untrusted: varbinds are mapped to
 * the subtrees they continue by position, checked to lie inside and to
 * move forward before anything is delivered. */
#include "walk-engine.h"

#include <stdlib.h>
#include <string.h>

#include "value.h"

/* Varbinds per GETBULK response before the agent says otherwise: large
 * enough to need few round trips, small enough for one Ethernet-sized
 * datagram of typical table cells. */
#define DEFAULT_VARBINDS 60u
/* The largest max-repetitions chosen without being asked for. */
#define DEFAULT_MAX_REPETITIONS 50u

/* ---- OIDs already seen (MIBC_WALK_UNORDERED) ---- */

struct seen_entry {
	uint64_t hash;
	uint32_t *oid;                       /* NULL: free slot */
	size_t len;
};

struct seen_set {
	struct seen_entry *slots;
	size_t n_slots;                      /* power of two */
	size_t used;
};

static uint64_t oid_hash(const uint32_t *oid, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a over the sub-ids */
	for (size_t i = 0; i < len; i++) {
		h ^= oid[i];
		h *= 1099511628211u;
	}
	return h ? h : 1;
}

static void seen_free(struct seen_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_slots; i++)
		free(s->slots[i].oid);
	free(s->slots);
	free(s);
}

static struct seen_entry *seen_slot(struct seen_set *s, uint64_t h,
				    const uint32_t *oid, size_t len)
{
	size_t mask = s->n_slots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct seen_entry *e = &s->slots[i];
		if (!e->oid)
			return e;
		if (e->hash == h && e->len == len
		    && memcmp(e->oid, oid, len * sizeof(*oid)) == 0)
			return e;
	}
}

static int seen_grow(struct seen_set *s)
{
	size_t n = s->n_slots ? s->n_slots * 2 : 256;
	struct seen_entry *old = s->slots;
	size_t old_n = s->n_slots;
	s->slots = calloc(n, sizeof(*s->slots));
	if (!s->slots) {
		s->slots = old;
		return MIBC_E_NOMEM;
	}
	s->n_slots = n;
	for (size_t i = 0; i < old_n; i++)
		if (old[i].oid)
			*seen_slot(s, old[i].hash, old[i].oid, old[i].len) = old[i];
	free(old);
	return 0;
}

/* 1 when the OID was seen before, 0 when added now, or MIBC_E_NOMEM. */
static int seen_add(struct seen_set *s, const uint32_t *oid, size_t len)
{
	if ((s->used + 1) * 2 > s->n_slots && seen_grow(s) < 0)
		return MIBC_E_NOMEM;
	uint64_t h = oid_hash(oid, len);
	struct seen_entry *e = seen_slot(s, h, oid, len);
	if (e->oid)
		return 1;
	e->oid = malloc(len ? len * sizeof(*oid) : 1);
	if (!e->oid)
		return MIBC_E_NOMEM;
	if (len)
		memcpy(e->oid, oid, len * sizeof(*oid));
	e->len = len;
	e->hash = h;
	s->used++;
	return 0;
}

/* ---- the engine ---- */

void engine_set_limit(struct engine *e, size_t max_instances)
{
	e->max_instances = max_instances ? max_instances
					 : MIBC_WALK_DEFAULT_MAX_INSTANCES;
}

int engine_init(struct engine *e, struct mibc_target *target,
		const struct engine_ops *ops, void *owner, unsigned flags,
		uint32_t max_repetitions, struct mibc_walk_stats *stats,
		struct cursor *cursors, size_t n)
{
	memset(e, 0, sizeof(*e));
	e->target = target;
	e->hints = target_walk_hints(target);
	e->ops = ops;
	e->owner = owner;
	e->flags = flags;
	e->max_instances = MIBC_WALK_DEFAULT_MAX_INSTANCES;
	e->stats = stats;
	e->cursors = cursors;
	e->n_cursors = n;
	e->per_pdu = n;
	e->reps = max_repetitions;
	e->bulk = mibc_target_version(target) != MIBC_VERSION_1
		  && !(flags & MIBC_WALK_GETNEXT)
		  && e->hints->bulk != WALK_BULK_BROKEN;
	e->out = calloc(n ? n : 1, sizeof(*e->out));
	e->active = calloc(n ? n : 1, sizeof(*e->active));
	if (flags & MIBC_WALK_UNORDERED)
		e->seen = calloc(1, sizeof(*e->seen));
	if (!e->out || !e->active || ((flags & MIBC_WALK_UNORDERED) && !e->seen)) {
		engine_free(e);
		return MIBC_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(cursors[i].last, cursors[i].root,
		       cursors[i].root_len * sizeof(uint32_t));
		cursors[i].last_len = cursors[i].root_len;
	}
	return 0;
}

void engine_free(struct engine *e)
{
	free(e->out);
	free(e->active);
	seen_free(e->seen);
	e->out = NULL;
	e->active = NULL;
	e->seen = NULL;
}

/* max-repetitions for `n_active` subtrees: the caller's, or what the
 * agent is known to fit spread over them. */
static uint32_t repetitions(const struct engine *e, size_t n_active)
{
	if (e->reps)
		return e->reps;
	uint32_t budget = e->hints->max_varbinds ? e->hints->max_varbinds
						 : DEFAULT_VARBINDS;
	size_t r = budget / (n_active ? n_active : 1);
	if (r < 1)
		r = 1;
	if (r > DEFAULT_MAX_REPETITIONS)
		r = DEFAULT_MAX_REPETITIONS;
	return (uint32_t)r;
}

static void on_response(struct mibc_pdu *pdu, int status);

/* The next request, or the end: 0 while the walk goes on, else the
 * status the walk ends with (0 included when every subtree is done:
 * then *finished). */
static int send_next(struct engine *e, bool *finished)
{
	*finished = false;
	for (;;) {
		e->n_active = 0;
		for (size_t i = 0; i < e->n_cursors && e->n_active < e->per_pdu; i++)
			if (!e->cursors[i].done) {
				struct cursor *c = &e->cursors[i];
				e->out[e->n_active] = (struct mibc_varbind_out){
					.oid = c->last, .oid_len = c->last_len };
				e->active[e->n_active++] = i;
			}
		if (e->n_active == 0) {
			*finished = true;
			return 0;
		}
		memset(&e->pdu, 0, sizeof(e->pdu));
		e->pdu.data = e;
		e->pdu.out = e->out;
		e->pdu.n_out = e->n_active;
		if (e->bulk) {
			e->pdu.type = MIBC_PDU_GETBULK;
			e->pdu.bulk_max_repetitions = repetitions(e, e->n_active);
		} else {
			e->pdu.type = MIBC_PDU_GETNEXT;
		}
		int rc = mibc_pdu_send(e->target, &e->pdu, on_response);
		if (rc == MIBC_E_TOO_BIG && e->n_active > 1) {
			/* the request itself does not fit: fewer subtrees */
			e->per_pdu = e->n_active / 2;
			continue;
		}
		if (rc == 0 && e->bulk && e->stats)
			e->stats->last_max_repetitions = e->pdu.bulk_max_repetitions;
		return rc;
	}
}

static void finish(struct engine *e, int status)
{
	e->ops->done(e, status);
}

/* Continue after a response was handled (or adapted to). */
static void go_on(struct engine *e)
{
	bool finished;
	int rc = send_next(e, &finished);
	if (finished || rc)
		finish(e, rc);
}

/* GETBULK did not work where it had never worked: try GETNEXT. */
static bool fall_back_to_getnext(struct engine *e)
{
	if (!e->bulk || e->hints->bulk == WALK_BULK_WORKS)
		return false;
	e->bulk = false;
	e->bulk_on_trial = true;
	return true;
}

static bool in_subtree(const struct cursor *c, const uint32_t *oid, size_t len)
{
	return len > c->root_len
	       && memcmp(oid, c->root, c->root_len * sizeof(*oid)) == 0;
}

/* One varbind for cursor c: 0, or the status ending the walk. */
static int take(struct engine *e, struct cursor *c,
		const struct mibc_varbind *vb, bool *progress)
{
	if (mibc_value_check(vb->value) == MIBC_E_END_OF_MIB_VIEW
	    || !vb->oid || !in_subtree(c, vb->oid, vb->oid_len)) {
		c->done = true;
		*progress = true;
		return 0;
	}
	if (vb->oid_len > MIBC_OID_MAX_LEN)
		return MIBC_E_DECODE;
	if (e->seen) {
		int seen = seen_add(e->seen, vb->oid, vb->oid_len);
		if (seen)
			return seen < 0 ? seen : MIBC_E_OID_ORDER;
	} else if (mibc_oid_compare(vb->oid, vb->oid_len, c->last,
				    c->last_len) <= 0) {
		return MIBC_E_OID_ORDER;
	}
	/* an agent that keeps inventing increasing OIDs must not keep a
	 * walk (and a collecting walk's memory) growing without end */
	if (e->delivered >= e->max_instances)
		return MIBC_E_WALK_LIMIT;
	e->delivered++;
	memcpy(c->last, vb->oid, vb->oid_len * sizeof(uint32_t));
	c->last_len = vb->oid_len;
	*progress = true;
	if (e->stats)
		e->stats->varbinds++;
	return e->ops->varbind(e, c, vb);
}

/* An agent error naming one varbind (SNMPv1 noSuchName at the end of the
 * MIB): that subtree is done. */
static bool end_named_subtree(struct engine *e, int32_t error_index)
{
	if (error_index >= 1 && (size_t)error_index <= e->n_active) {
		e->cursors[e->active[error_index - 1]].done = true;
		return true;
	}
	if (e->n_active == 1) {
		e->cursors[e->active[0]].done = true;
		return true;
	}
	/* No usable index: ask one subtree at a time to learn which. */
	if (e->per_pdu > 1) {
		e->per_pdu = 1;
		return true;
	}
	return false;
}

static void on_error(struct engine *e, int status)
{
	struct mibc_pdu *pdu = &e->pdu;
	if (status == MIBC_E_TOO_BIG) {
		if (e->stats)
			e->stats->too_big++;
		uint32_t asked = e->bulk ? pdu->bulk_max_repetitions : 1;
		if (e->bulk && asked > 1) {
			uint32_t fit = (uint32_t)((asked / 2) * e->n_active);
			e->hints->max_varbinds = fit ? fit : 1;
			if (e->reps)
				e->reps = asked / 2;
			go_on(e);
			return;
		}
		if (e->n_active > 1) {
			e->per_pdu = e->n_active / 2;
			go_on(e);
			return;
		}
		finish(e, status);
		return;
	}
	if (status == MIBC_E_NO_SUCH_NAME && !e->bulk
	    && end_named_subtree(e, pdu->error_index)) {
		go_on(e);
		return;
	}
	if (status != MIBC_E_CANCELED && !e->canceling
	    && fall_back_to_getnext(e)) {
		go_on(e);
		return;
	}
	finish(e, status);
}

static void on_response(struct mibc_pdu *pdu, int status)
{
	struct engine *e = pdu->data;
	if (status != 0) {
		on_error(e, status);
		return;
	}
	if (pdu->n_vbs == 0) {
		/* Nothing to go on with: GETBULK may be what the agent cannot
		 * do; an empty GETNEXT answer is just wrong. */
		if (fall_back_to_getnext(e))
			go_on(e);
		else
			finish(e, MIBC_E_DECODE);
		return;
	}
	if (e->stats)
		e->stats->requests++;
	if (e->bulk) {
		e->hints->bulk = WALK_BULK_WORKS;
		if (e->stats)
			e->stats->used_bulk = true;
	} else if (e->bulk_on_trial) {
		e->hints->bulk = WALK_BULK_BROKEN;
		e->bulk_on_trial = false;
	}
	size_t n = pdu->n_vbs;
	if (!e->bulk && n > e->n_active)
		n = e->n_active; /* extra varbinds answer nothing asked */
	bool progress = false;
	for (size_t j = 0; j < n; j++) {
		struct cursor *c = &e->cursors[e->active[j % e->n_active]];
		if (c->done)
			continue;
		int rc = take(e, c, &pdu->vbs[j], &progress);
		if (rc) {
			finish(e, rc);
			return;
		}
	}
	if (e->bulk) {
		/* Cut short by the agent (not at the end of its MIB): that many
		 * varbinds is what fits. */
		uint32_t asked = pdu->bulk_max_repetitions;
		size_t want = (size_t)asked * e->n_active;
		const struct mibc_varbind *last = &pdu->vbs[pdu->n_vbs - 1];
		if (pdu->n_vbs < want
		    && mibc_value_check(last->value) != MIBC_E_END_OF_MIB_VIEW) {
			e->hints->max_varbinds = (uint32_t)pdu->n_vbs;
			if (pdu->n_vbs < e->n_active)
				e->per_pdu = pdu->n_vbs;
			if (e->reps) {
				size_t r = pdu->n_vbs / e->n_active;
				e->reps = r ? (uint32_t)r : 1;
			}
		}
	}
	int rc = e->ops->response ? e->ops->response(e) : 0;
	if (rc) {
		finish(e, rc);
		return;
	}
	if (!progress) {
		finish(e, MIBC_E_DECODE);
		return;
	}
	go_on(e);
}

int engine_start(struct engine *e)
{
	bool finished;
	int rc = send_next(e, &finished);
	if (rc)
		return rc;
	if (finished)
		return MIBC_E_INVAL; /* nothing to walk */
	return 0;
}

void engine_cancel(struct engine *e)
{
	e->canceling = true;
	mibc_pdu_cancel(&e->pdu);
}
