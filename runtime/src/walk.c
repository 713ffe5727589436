/* Subtree walks (mibc_walk_start): one cursor of the walk engine, every
 * varbind handed to the caller; and OIDs named through a --build-index
 * index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/mibc.h>

#include "walk-engine.h"

struct subtree_walk {
	struct engine engine;
	struct cursor cursor;
	uint32_t root[MIBC_OID_MAX_LEN];
	struct mibc_walk *walk;
};

static int subtree_varbind(struct engine *e, struct cursor *c,
			   const struct mibc_varbind *vb)
{
	(void)c;
	struct subtree_walk *w = e->owner;
	return w->walk->mibc_private_.vb_cb(w->walk, vb) ? MIBC_E_CANCELED : 0;
}

static void subtree_done(struct engine *e, int status)
{
	struct subtree_walk *w = e->owner;
	struct mibc_walk *walk = w->walk;
	engine_free(&w->engine);
	free(w);
	walk->mibc_private_.engine = NULL;
	walk->status = status;
	walk->mibc_private_.done_cb(walk, status);
}

static const struct engine_ops subtree_ops = {
	.varbind = subtree_varbind,
	.done = subtree_done,
};

int mibc_walk_start(struct mibc_target *target, struct mibc_walk *walk,
		    mibc_walk_vb_cb *vb_cb, mibc_walk_done_cb *done)
{
	if (!target || !walk || !vb_cb || !done || !walk->root
	    || walk->root_len == 0 || walk->root_len >= MIBC_OID_MAX_LEN
	    || walk->mibc_private_.engine)
		return MIBC_E_INVAL;
	struct subtree_walk *w = calloc(1, sizeof(*w));
	if (!w)
		return MIBC_E_NOMEM;
	memcpy(w->root, walk->root, walk->root_len * sizeof(uint32_t));
	w->cursor.root = w->root;
	w->cursor.root_len = walk->root_len;
	w->walk = walk;
	memset(&walk->stats, 0, sizeof(walk->stats));
	walk->status = 1; /* running */
	walk->mibc_private_.vb_cb = vb_cb;
	walk->mibc_private_.done_cb = done;
	int rc = engine_init(&w->engine, target, &subtree_ops, w, walk->flags,
			     walk->max_repetitions, &walk->stats, &w->cursor, 1);
	engine_set_limit(&w->engine, walk->max_instances);
	if (rc == 0)
		rc = engine_start(&w->engine);
	if (rc) {
		engine_free(&w->engine);
		free(w);
		walk->status = rc;
		return rc;
	}
	walk->mibc_private_.engine = w;
	return 0;
}

int mibc_walk_cancel(struct mibc_walk *walk)
{
	if (!walk || !walk->mibc_private_.engine)
		return MIBC_E_INVAL;
	struct subtree_walk *w = walk->mibc_private_.engine;
	engine_cancel(&w->engine);
	return 0;
}

/* Append text, or a sub-identifier, into buf[*used..size) as snprintf
 * would; *used counts what did not fit too. */
static void put_text(char *buf, size_t size, size_t *used, const char *a,
		     const char *b)
{
	size_t room = *used < size ? size - *used : 0;
	int n = snprintf(room ? buf + *used : NULL, room, "%s%s", a, b);
	if (n > 0)
		*used += (size_t)n;
}

static void put_subid(char *buf, size_t size, size_t *used, uint32_t v)
{
	size_t room = *used < size ? size - *used : 0;
	int n = snprintf(room ? buf + *used : NULL, room, ".%lu", (unsigned long)v);
	if (n > 0)
		*used += (size_t)n;
}

int mibc_index_name(const struct mibc_index_entry *entries, size_t n,
		    const uint32_t *oid, size_t oid_len, char *buf,
		    size_t size)
{
	if ((!buf && size) || (!oid && oid_len))
		return MIBC_E_INVAL;
	const struct mibc_index_entry *e =
		entries ? mibc_index_find(entries, n, oid, oid_len) : NULL;
	size_t used = 0, from = 0;
	if (size)
		buf[0] = 0;
	if (e) {
		put_text(buf, size, &used, e->module, "::");
		put_text(buf, size, &used, e->name, "");
		from = e->oid_len;
	}
	for (size_t i = from; i < oid_len; i++)
		put_subid(buf, size, &used, oid[i]);
	return used > (size_t)INT32_MAX ? INT32_MAX : (int)used;
}
