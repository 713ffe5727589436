/* Models -> runtime descriptors in memory (see desc-build.h).  Mirrors
 * what emit-c.c writes as C initializers, field for field, except the row
 * struct layout. */
#include "desc-build.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct built_module {
	struct model_module *model;
	struct mibc_module_desc desc;
	struct mibc_object_desc *objects;  /* one per model node */
	uint32_t *by_name;                 /* node indexes sorted by name */
};

struct desc_set {
	struct arena arena;                /* every array the descriptors use */
	struct built_module *modules;
	size_t n_modules;
	const struct mibc_module_desc **list;
	const struct mibc_module_desc *const *known;
	size_t n_known;
};

static enum mibc_type type_of(enum model_base b)
{
	switch (b) {
	case MODEL_BASE_UNKNOWN: return MIBC_TYPE_NONE;
	case MODEL_BASE_INTEGER32: return MIBC_TYPE_INTEGER32;
	case MODEL_BASE_UNSIGNED32: return MIBC_TYPE_UNSIGNED32;
	case MODEL_BASE_INTEGER64: return MIBC_TYPE_INTEGER64;
	case MODEL_BASE_UNSIGNED64: return MIBC_TYPE_UNSIGNED64;
	case MODEL_BASE_OCTET_STRING: return MIBC_TYPE_OCTET_STRING;
	case MODEL_BASE_OBJECT_IDENTIFIER: return MIBC_TYPE_OBJECT_IDENTIFIER;
	case MODEL_BASE_ENUM: return MIBC_TYPE_ENUM;
	case MODEL_BASE_BITS: return MIBC_TYPE_BITS;
	case MODEL_BASE_FLOAT: return MIBC_TYPE_FLOAT;
	}
	return MIBC_TYPE_NONE;
}

static enum mibc_wire wire_of(enum model_wire w)
{
	switch (w) {
	case MODEL_WIRE_NONE: return MIBC_WIRE_NONE;
	case MODEL_WIRE_INTEGER: return MIBC_WIRE_INTEGER;
	case MODEL_WIRE_OCTET_STRING: return MIBC_WIRE_OCTET_STRING;
	case MODEL_WIRE_OID: return MIBC_WIRE_OID;
	case MODEL_WIRE_IPADDRESS: return MIBC_WIRE_IPADDRESS;
	case MODEL_WIRE_COUNTER32: return MIBC_WIRE_COUNTER32;
	case MODEL_WIRE_GAUGE32: return MIBC_WIRE_GAUGE32;
	case MODEL_WIRE_TIMETICKS: return MIBC_WIRE_TIMETICKS;
	case MODEL_WIRE_OPAQUE: return MIBC_WIRE_OPAQUE;
	case MODEL_WIRE_NSAP: return MIBC_WIRE_NSAP;
	case MODEL_WIRE_COUNTER64: return MIBC_WIRE_COUNTER64;
	}
	return MIBC_WIRE_NONE;
}

static enum mibc_kind kind_of(enum model_node_kind k)
{
	switch (k) {
	case MODEL_NODE_NODE: return MIBC_KIND_NODE;
	case MODEL_NODE_OBJECT_IDENTITY: return MIBC_KIND_OBJECT_IDENTITY;
	case MODEL_NODE_MODULE_IDENTITY: return MIBC_KIND_MODULE_IDENTITY;
	case MODEL_NODE_SCALAR: return MIBC_KIND_SCALAR;
	case MODEL_NODE_TABLE: return MIBC_KIND_TABLE;
	case MODEL_NODE_ROW: return MIBC_KIND_ROW;
	case MODEL_NODE_COLUMN: return MIBC_KIND_COLUMN;
	case MODEL_NODE_NOTIFICATION: return MIBC_KIND_NOTIFICATION;
	case MODEL_NODE_GROUP: return MIBC_KIND_GROUP;
	case MODEL_NODE_COMPLIANCE: return MIBC_KIND_COMPLIANCE;
	case MODEL_NODE_CAPABILITIES: return MIBC_KIND_CAPABILITIES;
	}
	return MIBC_KIND_NODE;
}

static enum mibc_access access_of(enum model_access a)
{
	switch (a) {
	case MODEL_ACCESS_UNKNOWN: return MIBC_ACCESS_UNKNOWN;
	case MODEL_ACCESS_NOT_IMPLEMENTED: return MIBC_ACCESS_NOT_IMPLEMENTED;
	case MODEL_ACCESS_NOT_ACCESSIBLE: return MIBC_ACCESS_NOT_ACCESSIBLE;
	case MODEL_ACCESS_NOTIFY: return MIBC_ACCESS_NOTIFY;
	case MODEL_ACCESS_READ_ONLY: return MIBC_ACCESS_READ_ONLY;
	case MODEL_ACCESS_READ_WRITE: return MIBC_ACCESS_READ_WRITE;
	case MODEL_ACCESS_READ_CREATE: return MIBC_ACCESS_READ_CREATE;
	case MODEL_ACCESS_WRITE_ONLY: return MIBC_ACCESS_WRITE_ONLY;
	}
	return MIBC_ACCESS_UNKNOWN;
}

static enum mibc_status status_of(enum model_status s)
{
	switch (s) {
	case MODEL_STATUS_UNKNOWN: return MIBC_STATUS_UNKNOWN;
	case MODEL_STATUS_CURRENT: return MIBC_STATUS_CURRENT;
	case MODEL_STATUS_DEPRECATED: return MIBC_STATUS_DEPRECATED;
	case MODEL_STATUS_MANDATORY: return MIBC_STATUS_MANDATORY;
	case MODEL_STATUS_OPTIONAL: return MIBC_STATUS_OPTIONAL;
	case MODEL_STATUS_OBSOLETE: return MIBC_STATUS_OBSOLETE;
	}
	return MIBC_STATUS_UNKNOWN;
}

static enum mibc_index_kind index_kind_of(enum model_index_kind k)
{
	switch (k) {
	case MODEL_INDEX_NONE: return MIBC_INDEX_NONE;
	case MODEL_INDEX_INDEX: return MIBC_INDEX_INDEX;
	case MODEL_INDEX_AUGMENTS: return MIBC_INDEX_AUGMENTS;
	case MODEL_INDEX_REORDER: return MIBC_INDEX_REORDER;
	case MODEL_INDEX_SPARSE: return MIBC_INDEX_SPARSE;
	case MODEL_INDEX_EXPANDS: return MIBC_INDEX_EXPANDS;
	}
	return MIBC_INDEX_NONE;
}

/* Type, wire, hint, TC, ranges or sizes, names: the syntax part of a
 * descriptor. */
static void fill_syntax(struct desc_set *set, struct mibc_object_desc *d,
			const struct model_syntax *s)
{
	if (!s)
		return;
	d->type = type_of(s->base);
	d->wire = wire_of(s->wire);
	d->display_hint = s->display_hint;
	if (s->type.name) {
		d->tc_module = s->type.module;
		d->tc_name = s->type.name;
	}
	if (s->n_ranges) {
		struct mibc_range *r = arena_array(&set->arena, s->n_ranges, sizeof(*r));
		for (size_t i = 0; i < s->n_ranges; i++) {
			/* UNSIGNED64 bounds are stored bit for bit in the model */
			if (s->base == MODEL_BASE_UNSIGNED64) {
				r[i].min.u = (uint64_t)s->ranges[i].min;
				r[i].max.u = (uint64_t)s->ranges[i].max;
			} else {
				r[i].min.i = s->ranges[i].min;
				r[i].max.i = s->ranges[i].max;
			}
		}
		if (s->ranges_are_sizes) {
			d->sizes = r;
			d->n_sizes = (uint16_t)s->n_ranges;
		} else {
			d->ranges = r;
			d->n_ranges = (uint16_t)s->n_ranges;
		}
	}
	if (s->n_named) {
		struct mibc_named_number *nn = arena_array(&set->arena, s->n_named,
							   sizeof(*nn));
		for (size_t i = 0; i < s->n_named; i++) {
			nn[i].name = s->named[i].name ? s->named[i].name : "";
			nn[i].value = s->named[i].value;
		}
		d->names = nn;
		d->n_names = (uint16_t)s->n_named;
	}
}

static const struct model_module *sort_model; /* qsort has no context */

static int cmp_node_names(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const char *na = sort_model->nodes[a].name ? sort_model->nodes[a].name : "";
	const char *nb = sort_model->nodes[b].name ? sort_model->nodes[b].name : "";
	int c = strcmp(na, nb);
	return c ? c : (a < b ? -1 : a > b);
}

static const struct mibc_object_desc *find_in(const struct built_module *b,
					      const char *name)
{
	size_t lo = 0, hi = b->model->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *n = b->model->nodes[b->by_name[mid]].name;
		int c = strcmp(n ? n : "", name);
		if (c == 0)
			return &b->objects[b->by_name[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A node by module and name: this module first when `module` is NULL. */
static const struct mibc_object_desc *resolve(const struct desc_set *set,
					      const struct built_module *here,
					      const struct model_ref *ref)
{
	if (!ref->name)
		return NULL;
	if (!ref->module || (here->model->name && strcmp(ref->module, here->model->name) == 0))
		return find_in(here, ref->name);
	for (size_t i = 0; i < set->n_modules; i++) {
		const struct built_module *b = &set->modules[i];
		if (b->model->name && strcmp(b->model->name, ref->module) == 0)
			return find_in(b, ref->name);
	}
	for (size_t i = 0; i < set->n_known; i++)
		if (set->known[i] && set->known[i]->name
		    && strcmp(set->known[i]->name, ref->module) == 0)
			return mibc_module_find_name(set->known[i], ref->name);
	return NULL;
}

/* RFC 2578 7.7: how many sub-identifiers a fixed-size index takes. */
static uint16_t fixed_len_of(const struct model_syntax *s)
{
	if (!s)
		return 0;
	if (s->wire == MODEL_WIRE_IPADDRESS)
		return 4;
	if ((s->base == MODEL_BASE_OCTET_STRING || s->base == MODEL_BASE_BITS)
	    && s->ranges_are_sizes && s->n_ranges == 1
	    && s->ranges[0].min == s->ranges[0].max
	    && s->ranges[0].min > 0 && s->ranges[0].min <= 255)
		return (uint16_t)s->ranges[0].min;
	return 0;
}

static void build_index(struct desc_set *set, struct built_module *b,
			struct mibc_object_desc *row, const struct model_node *n)
{
	if (!n->n_index)
		return;
	struct mibc_index_elem *elems = arena_array(&set->arena, n->n_index,
						    sizeof(*elems));
	for (size_t i = 0; i < n->n_index; i++) {
		const struct model_index_element *e = &n->index[i];
		elems[i].object = resolve(set, b, &e->object);
		/* an INDEX object nobody defines (a vendor MIB bug mibc
		 * reports): no index, as in compiled code */
		if (!elems[i].object)
			return;
		elems[i].implied = e->implied;
		elems[i].fixed_len = fixed_len_of(e->syntax);
	}
	row->index = elems;
	row->n_index = (uint16_t)n->n_index;
}

static void build_first_pass(struct desc_set *set, struct built_module *b)
{
	struct model_module *m = b->model;
	b->objects = arena_array(&set->arena, m->n_nodes ? m->n_nodes : 1,
				 sizeof(*b->objects));
	b->by_name = arena_array(&set->arena, m->n_nodes ? m->n_nodes : 1,
				 sizeof(*b->by_name));
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct model_node *n = &m->nodes[i];
		struct mibc_object_desc *d = &b->objects[i];
		d->name = n->name;
		d->module = &b->desc;
		d->oid = n->oid;
		d->oid_len = (uint16_t)n->oid_len;
		d->kind = kind_of(n->kind);
		d->status = status_of(n->status);
		d->access = access_of(n->access);
		d->units = n->units;
		fill_syntax(set, d, n->syntax);
		d->index_kind = index_kind_of(n->index_kind);
		d->create = n->create;
		b->by_name[i] = (uint32_t)i;
	}
	sort_model = m;
	qsort(b->by_name, m->n_nodes, sizeof(*b->by_name), cmp_node_names);
	sort_model = NULL;
}

/* References: index, related row, parents, a row's columns. */
static void build_second_pass(struct desc_set *set, struct built_module *b)
{
	struct model_module *m = b->model;
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct model_node *n = &m->nodes[i];
		struct mibc_object_desc *d = &b->objects[i];
		if (n->kind == MODEL_NODE_ROW) {
			build_index(set, b, d, n);
			if (n->related.name && n->index_kind != MODEL_INDEX_INDEX)
				d->related = resolve(set, b, &n->related);
		}
		if ((n->kind == MODEL_NODE_COLUMN || n->kind == MODEL_NODE_ROW) && n->parent) {
			struct model_ref parent = { NULL, n->parent };
			d->parent = resolve(set, b, &parent);
		}
	}
	/* tables point to their row; rows list their columns in OID order
	 * (the nodes are sorted by OID already) */
	for (size_t i = 0; i < m->n_nodes; i++) {
		struct mibc_object_desc *row = &b->objects[i];
		if (row->kind != MIBC_KIND_ROW)
			continue;
		if (row->parent && row->parent->module == &b->desc) {
			struct mibc_object_desc *table =
				&b->objects[row->parent - b->objects];
			table->parent = row;
		}
		size_t n_columns = 0;
		for (size_t k = 0; k < m->n_nodes; k++)
			if (b->objects[k].kind == MIBC_KIND_COLUMN && b->objects[k].parent == row)
				n_columns++;
		if (!n_columns)
			continue;
		const struct mibc_object_desc **columns =
			arena_array(&set->arena, n_columns, sizeof(*columns));
		size_t c = 0;
		for (size_t k = 0; k < m->n_nodes; k++) {
			struct mibc_object_desc *col = &b->objects[k];
			if (col->kind != MIBC_KIND_COLUMN || col->parent != row)
				continue;
			col->column = (uint16_t)c;
			col->index = row->index;
			col->n_index = row->n_index;
			columns[c++] = col;
		}
		row->columns = columns;
		row->n_columns = (uint16_t)n_columns;
	}
}

static void build_module_desc(struct desc_set *set, struct built_module *b)
{
	struct model_module *m = b->model;
	const struct mibc_object_desc **nodes =
		arena_array(&set->arena, m->n_nodes ? m->n_nodes : 1, sizeof(*nodes));
	const struct mibc_object_desc **objects =
		arena_array(&set->arena, m->n_nodes ? m->n_nodes : 1, sizeof(*objects));
	const struct mibc_object_desc **notifications =
		arena_array(&set->arena, m->n_nodes ? m->n_nodes : 1, sizeof(*notifications));
	size_t n_objects = 0, n_notifications = 0;
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct mibc_object_desc *d = &b->objects[i];
		nodes[i] = d;
		if (d->kind == MIBC_KIND_SCALAR || d->kind == MIBC_KIND_COLUMN)
			objects[n_objects++] = d;
		if (d->kind == MIBC_KIND_NOTIFICATION)
			notifications[n_notifications++] = d;
	}
	b->desc = (struct mibc_module_desc){
		.abi = MIBC_DESC_ABI,
		.name = m->name,
		.last_updated = m->last_updated,
		.generator = "mibc (loaded at run time)",
		.nodes = nodes,
		.n_nodes = m->n_nodes,
		.nodes_by_name = b->by_name,
		.objects = objects,
		.n_objects = n_objects,
		.notifications = notifications,
		.n_notifications = n_notifications,
	};
}

struct desc_set *desc_set_build(struct model_module **models, size_t n_models,
				const struct mibc_module_desc *const *known,
				size_t n_known)
{
	struct desc_set *set = xcalloc(1, sizeof(*set));
	set->modules = xcalloc(n_models ? n_models : 1, sizeof(*set->modules));
	set->list = xcalloc(n_models ? n_models : 1, sizeof(*set->list));
	set->n_modules = n_models;
	set->known = known;
	set->n_known = n_known;
	for (size_t i = 0; i < n_models; i++) {
		set->modules[i].model = models[i];
		model_sort_nodes(models[i]);
		build_first_pass(set, &set->modules[i]);
	}
	for (size_t i = 0; i < n_models; i++) {
		build_second_pass(set, &set->modules[i]);
		build_module_desc(set, &set->modules[i]);
		set->list[i] = &set->modules[i].desc;
	}
	return set;
}

const struct mibc_module_desc *const *desc_set_modules(const struct desc_set *set,
						       size_t *n)
{
	*n = set->n_modules;
	return set->list;
}

void desc_set_free(struct desc_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_modules; i++)
		model_module_free(set->modules[i].model);
	free(set->modules);
	free(set->list);
	arena_free(&set->arena);
	free(set);
}
