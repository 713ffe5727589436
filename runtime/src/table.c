/* Table walks (mibc_table_walk_start): one walk-engine cursor per column,
 * cells gathered into row structs keyed by their index suffix, rows joined
 * across the walked rows (a row and the rows that AUGMENT it), and handed
 * over in index order as soon as every column has moved past them. */
#include <stdlib.h>
#include <string.h>

#include <mibc/mibc.h>

#include "walk-engine.h"

/* A row being filled: one struct per walked row, for one suffix. */
struct pending {
	size_t suffix_len;
	uint32_t suffix[MIBC_OID_MAX_LEN];
	void *rows[];
};

struct table_state {
	struct engine engine;
	struct mibc_table_walk *walk;
	struct cursor *cursors;
	const struct mibc_object_desc **columns; /* per cursor */
	size_t *row_of;                           /* per cursor: walk->rows[i] */
	size_t n_cursors;
	struct pending **pending;                 /* sorted by suffix */
	size_t n_pending, cap_pending;
	bool stopped;                             /* row_cb said stop */
};

static bool readable(const struct mibc_object_desc *c)
{
	return c->access == MIBC_ACCESS_READ_ONLY
	       || c->access == MIBC_ACCESS_READ_WRITE
	       || c->access == MIBC_ACCESS_READ_CREATE;
}

static void pending_free(const struct mibc_table_walk *walk, struct pending *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < walk->n_rows; i++) {
		mibc_row_release(walk->rows[i], p->rows[i]);
		free(p->rows[i]);
	}
	free(p);
}

/* Position of the first pending row whose suffix is >= the given one. */
static size_t pending_lower_bound(const struct table_state *t,
				  const uint32_t *suffix, size_t len)
{
	size_t lo = 0, hi = t->n_pending;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pending *p = t->pending[mid];
		if (mibc_oid_compare(p->suffix, p->suffix_len, suffix, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The pending row of `suffix`, made (index decoded for every walked row)
 * when new; NULL when the suffix is no index of them (or no memory:
 * *rc). */
static struct pending *pending_get(struct table_state *t,
				   const uint32_t *suffix, size_t len, int *rc)
{
	const struct mibc_table_walk *walk = t->walk;
	size_t at = pending_lower_bound(t, suffix, len);
	if (at < t->n_pending
	    && mibc_oid_compare(t->pending[at]->suffix,
				t->pending[at]->suffix_len, suffix, len) == 0)
		return t->pending[at];
	struct pending *p = calloc(1, sizeof(*p) + walk->n_rows * sizeof(void *));
	if (!p) {
		*rc = MIBC_E_NOMEM;
		return NULL;
	}
	memcpy(p->suffix, suffix, len * sizeof(*suffix));
	p->suffix_len = len;
	for (size_t i = 0; i < walk->n_rows; i++) {
		const struct mibc_object_desc *r = walk->rows[i];
		p->rows[i] = calloc(1, r->row_size);
		if (!p->rows[i]) {
			pending_free(walk, p);
			*rc = MIBC_E_NOMEM;
			return NULL;
		}
		if (r->index_size
		    && mibc_row_index_decode(r, p->rows[i], suffix, len) != 0) {
			pending_free(walk, p);
			return NULL;
		}
	}
	if (t->n_pending == t->cap_pending) {
		size_t cap = t->cap_pending ? t->cap_pending * 2 : 64;
		struct pending **grown = realloc(t->pending, cap * sizeof(*grown));
		if (!grown) {
			pending_free(walk, p);
			*rc = MIBC_E_NOMEM;
			return NULL;
		}
		t->pending = grown;
		t->cap_pending = cap;
	}
	memmove(&t->pending[at + 1], &t->pending[at],
		(t->n_pending - at) * sizeof(*t->pending));
	t->pending[at] = p;
	t->n_pending++;
	return p;
}

static int table_varbind(struct engine *e, struct cursor *c,
			 const struct mibc_varbind *vb)
{
	struct table_state *t = e->owner;
	struct mibc_table_walk *walk = t->walk;
	const struct mibc_object_desc *column = t->columns[c->tag];
	size_t r = t->row_of[c->tag];
	int rc = 0;
	struct pending *p = pending_get(t, vb->oid + c->root_len,
					vb->oid_len - c->root_len, &rc);
	if (!p) {
		if (rc == 0)
			walk->n_cells_skipped++;
		return rc;
	}
	rc = mibc_row_set_value(walk->rows[r], p->rows[r], column, vb->value);
	if (rc == MIBC_E_NOMEM)
		return rc;
	if (rc)
		walk->n_cells_skipped++;
	return 0;
}

/* Keep a pending row in walk->collected (taking its structs). */
static int collect(struct mibc_table_walk *walk, struct pending *p)
{
	/* Capacity 16, then doubling: grow at 0, 16, 32, 64... */
	size_t n = walk->n_collected;
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) {
		size_t cap = walk->n_collected ? walk->n_collected * 2 : 16;
		struct mibc_table_row *grown =
			realloc(walk->collected, cap * sizeof(*grown));
		if (!grown)
			return MIBC_E_NOMEM;
		walk->collected = grown;
	}
	struct mibc_table_row *row = &walk->collected[walk->n_collected];
	row->suffix = malloc(p->suffix_len * sizeof(uint32_t));
	row->rows = malloc(walk->n_rows * sizeof(void *));
	if (!row->suffix || !row->rows) {
		free(row->suffix);
		free(row->rows);
		return MIBC_E_NOMEM;
	}
	memcpy(row->suffix, p->suffix, p->suffix_len * sizeof(uint32_t));
	row->suffix_len = p->suffix_len;
	for (size_t i = 0; i < walk->n_rows; i++) {
		row->rows[i] = p->rows[i];
		p->rows[i] = NULL;
	}
	walk->n_collected++;
	return 0;
}

/* Hand over the first `n` pending rows: 0, MIBC_E_CANCELED when the
 * caller asked to stop, MIBC_E_NOMEM when collecting failed. */
static int deliver(struct table_state *t, size_t n)
{
	struct mibc_table_walk *walk = t->walk;
	int rc = 0;
	for (size_t i = 0; i < n && !t->stopped; i++) {
		struct pending *p = t->pending[i];
		walk->n_rows_done++;
		if (!walk->mibc_private_.row_cb) {
			rc = collect(walk, p);
			if (rc)
				t->stopped = true;
		} else if (walk->mibc_private_.row_cb(walk, p->suffix,
						      p->suffix_len, p->rows)) {
			t->stopped = true;
			rc = MIBC_E_CANCELED;
		}
	}
	for (size_t k = 0; k < n; k++)
		pending_free(walk, t->pending[k]);
	memmove(t->pending, t->pending + n,
		(t->n_pending - n) * sizeof(*t->pending));
	t->n_pending -= n;
	return rc;
}

/* After a response: rows below every unfinished column's position are
 * complete. */
static int table_response(struct engine *e)
{
	struct table_state *t = e->owner;
	if (t->walk->flags & MIBC_WALK_UNORDERED)
		return 0;
	const uint32_t *front = NULL;
	size_t front_len = 0;
	bool any = false;
	for (size_t i = 0; i < t->n_cursors; i++) {
		const struct cursor *c = &t->cursors[i];
		if (c->done)
			continue;
		if (c->last_len <= c->root_len)
			return 0; /* not started: any row may still come */
		const uint32_t *s = c->last + c->root_len;
		size_t len = c->last_len - c->root_len;
		if (!any || mibc_oid_compare(s, len, front, front_len) < 0) {
			front = s;
			front_len = len;
			any = true;
		}
	}
	size_t n = any ? pending_lower_bound(t, front, front_len) : t->n_pending;
	return n ? deliver(t, n) : 0;
}

static void state_free(struct table_state *t)
{
	for (size_t i = 0; i < t->n_pending; i++)
		pending_free(t->walk, t->pending[i]);
	free(t->pending);
	free(t->cursors);
	free(t->columns);
	free(t->row_of);
	engine_free(&t->engine);
	free(t);
}

static void table_done(struct engine *e, int status)
{
	struct table_state *t = e->owner;
	struct mibc_table_walk *walk = t->walk;
	/* What arrived is handed over, also when an agent error ended the
	 * walk (as snmpwalk prints what came before it). */
	if (!t->stopped && status != MIBC_E_CANCELED) {
		int rc = deliver(t, t->n_pending);
		if (rc && status == 0)
			status = rc;
	}
	state_free(t);
	walk->mibc_private_.engine = NULL;
	walk->status = status;
	walk->mibc_private_.done_cb(walk, status);
}

static const struct engine_ops table_ops = {
	.varbind = table_varbind,
	.response = table_response,
	.done = table_done,
};

/* Which walked row a column belongs to, or n_rows. */
static size_t row_of_column(const struct mibc_table_walk *walk,
			    const struct mibc_object_desc *c)
{
	for (size_t i = 0; i < walk->n_rows; i++)
		if (c->kind == MIBC_KIND_COLUMN && c->parent == walk->rows[i])
			return i;
	return walk->n_rows;
}

static int add_cursor(struct table_state *t, const struct mibc_object_desc *c,
		      size_t row)
{
	if (!readable(c) || c->oid_len >= MIBC_OID_MAX_LEN)
		return MIBC_E_INVAL;
	size_t i = t->n_cursors++;
	t->cursors[i].root = c->oid;
	t->cursors[i].root_len = c->oid_len;
	t->cursors[i].tag = i;
	t->columns[i] = c;
	t->row_of[i] = row;
	return 0;
}

int mibc_table_walk_start(struct mibc_target *target,
			  struct mibc_table_walk *walk,
			  mibc_table_row_cb *row_cb, mibc_table_done_cb *done)
{
	if (!target || !walk || !done || !walk->rows
	    || walk->n_rows == 0 || (walk->n_columns && !walk->columns)
	    || walk->mibc_private_.engine)
		return MIBC_E_INVAL;
	size_t max = 0;
	for (size_t i = 0; i < walk->n_rows; i++) {
		const struct mibc_object_desc *r = walk->rows[i];
		if (!r || r->kind != MIBC_KIND_ROW || r->row_size == 0
		    || !r->columns || !mibc_module_abi_ok(r->module))
			return MIBC_E_INVAL;
		max += r->n_columns;
	}
	if (walk->columns)
		max = walk->n_columns;
	struct table_state *t = calloc(1, sizeof(*t));
	if (!t)
		return MIBC_E_NOMEM;
	t->walk = walk;
	t->cursors = calloc(max ? max : 1, sizeof(*t->cursors));
	t->columns = calloc(max ? max : 1, sizeof(*t->columns));
	t->row_of = calloc(max ? max : 1, sizeof(*t->row_of));
	int rc = t->cursors && t->columns && t->row_of ? 0 : MIBC_E_NOMEM;
	if (rc == 0 && walk->columns) {
		for (size_t i = 0; i < walk->n_columns && rc == 0; i++) {
			const struct mibc_object_desc *c = walk->columns[i];
			size_t r = c ? row_of_column(walk, c) : walk->n_rows;
			rc = r < walk->n_rows ? add_cursor(t, c, r) : MIBC_E_INVAL;
		}
	} else if (rc == 0) {
		for (size_t r = 0; r < walk->n_rows; r++)
			for (size_t k = 0; k < walk->rows[r]->n_columns; k++)
				if (readable(walk->rows[r]->columns[k]))
					add_cursor(t, walk->rows[r]->columns[k], r);
	}
	if (rc == 0 && t->n_cursors == 0)
		rc = MIBC_E_INVAL;
	memset(&walk->stats, 0, sizeof(walk->stats));
	walk->n_rows_done = 0;
	walk->n_cells_skipped = 0;
	walk->collected = NULL;
	walk->n_collected = 0;
	walk->status = 1; /* running */
	walk->mibc_private_.row_cb = row_cb;
	walk->mibc_private_.done_cb = done;
	if (rc == 0)
		rc = engine_init(&t->engine, target, &table_ops, t, walk->flags,
				 walk->max_repetitions, &walk->stats, t->cursors,
				 t->n_cursors);
	if (rc == 0) {
		engine_set_limit(&t->engine, walk->max_instances);
		rc = engine_start(&t->engine);
	}
	if (rc) {
		state_free(t);
		walk->status = rc;
		return rc;
	}
	walk->mibc_private_.engine = t;
	return 0;
}

int mibc_table_walk_cancel(struct mibc_table_walk *walk)
{
	if (!walk || !walk->mibc_private_.engine)
		return MIBC_E_INVAL;
	struct table_state *t = walk->mibc_private_.engine;
	engine_cancel(&t->engine);
	return 0;
}

void mibc_table_walk_release(struct mibc_table_walk *walk)
{
	if (!walk)
		return;
	for (size_t k = 0; k < walk->n_collected; k++) {
		struct mibc_table_row *row = &walk->collected[k];
		for (size_t i = 0; i < walk->n_rows; i++) {
			mibc_row_release(walk->rows[i], row->rows[i]);
			free(row->rows[i]);
		}
		free(row->rows);
		free(row->suffix);
	}
	free(walk->collected);
	walk->collected = NULL;
	walk->n_collected = 0;
}
