/* The OID -> module index of --build-index.  For "json" it is mibdump's
 * index.json: {"compliance", "enterprise", "identity", "meta", "oids"},
 * each (but meta) mapping OIDs to the modules that define them, keys in
 * OID order, lists sorted:
 * - identity: MODULE-IDENTITY OIDs;
 * - enterprise: per module, the first 7 arcs of its first OID under
 *   1.3.6.1.4.1 (the vendor's enterprise number);
 * - compliance: MODULE-COMPLIANCE OIDs;
 * - oids: every OID, reduced to the shortest prefixes that the same
 *   modules cover.  pysmi compares prefixes as strings ("1.3.6.1.2.1.1"
 *   would cover "1.3.6.1.2.1.10"), which loses entries; we compare arcs.
 * "meta" carries no timestamp or host, only the producer.
 * Other formats have no index here (the C index is the C emitter's). */
#include "emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"

static const char *const json_names[] = {"index.json", NULL};

const char *const *index_output_names(const char *format)
{
	if (format && strcmp(format, "json") == 0)
		return json_names;
	if (format && strcmp(format, "c") == 0)
		return emit_c_index_names;
	return NULL;
}


/* An OID with the sorted, distinct modules that define it. */
struct oid_modules {
	const uint32_t *oid;
	size_t oid_len;
	const char **modules;
	size_t n_modules;
	bool kept;
};

static int compare_entry_oids(const void *pa, const void *pb)
{
	const struct index_entry *a = *(const struct index_entry *const *)pa;
	const struct index_entry *b = *(const struct index_entry *const *)pb;
	int c = model_oid_compare(a->oid, a->oid_len, b->oid, b->oid_len);
	return c ? c : strcmp(a->module, b->module);
}

static bool oid_is_prefix(const struct oid_modules *p,
			  const struct oid_modules *o)
{
	return p->oid_len <= o->oid_len &&
	       memcmp(p->oid, o->oid, p->oid_len * sizeof(*p->oid)) == 0;
}

/* Are all of o's modules among p's?  (Both sorted.) */
static bool modules_cover(const struct oid_modules *p,
			  const struct oid_modules *o)
{
	size_t i = 0;
	for (size_t k = 0; k < o->n_modules; k++) {
		while (i < p->n_modules && strcmp(p->modules[i], o->modules[k]) < 0)
			i++;
		if (i == p->n_modules || strcmp(p->modules[i], o->modules[k]) != 0)
			return false;
	}
	return true;
}

/* Group the selected entries by OID (in OID order). */
static struct oid_modules *group_by_oid(const struct index_entry *entries,
					size_t n_entries,
					bool (*select)(const struct index_entry *),
					size_t *n_out)
{
	const struct index_entry **sel = xcalloc(n_entries + 1, sizeof(*sel));
	size_t n = 0;
	for (size_t i = 0; i < n_entries; i++)
		if (entries[i].module && entries[i].oid_len &&
		    (!select || select(&entries[i])))
			sel[n++] = &entries[i];
	qsort(sel, n, sizeof(*sel), compare_entry_oids);

	struct oid_modules *groups = xcalloc(n + 1, sizeof(*groups));
	size_t g = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && model_oid_compare(sel[i]->oid, sel[i]->oid_len,
						  sel[j]->oid, sel[j]->oid_len) == 0)
			j++;
		struct oid_modules *om = &groups[g++];
		om->oid = sel[i]->oid;
		om->oid_len = sel[i]->oid_len;
		om->modules = xcalloc(j - i, sizeof(*om->modules));
		for (size_t k = i; k < j; k++) /* sorted by module: dedupe */
			if (!om->n_modules || strcmp(om->modules[om->n_modules - 1],
						     sel[k]->module) != 0)
				om->modules[om->n_modules++] = sel[k]->module;
		i = j;
	}
	free(sel);
	*n_out = g;
	return groups;
}

static void free_groups(struct oid_modules *groups, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(groups[i].modules);
	free(groups);
}

static json_t *json_groups(const struct oid_modules *groups, size_t n)
{
	json_t *obj = json_object();
	for (size_t i = 0; i < n; i++) {
		if (!groups[i].kept)
			continue;
		json_t *list = json_array();
		for (size_t k = 0; k < groups[i].n_modules; k++)
			json_array_append_new(list, json_string(groups[i].modules[k]));
		char *key = model_oid_text(groups[i].oid, groups[i].oid_len);
		json_object_set_new(obj, key, list);
		free(key);
	}
	return obj;
}

static bool is_identity(const struct index_entry *e)
{
	return e->kind == MODEL_NODE_MODULE_IDENTITY;
}

static bool is_compliance(const struct index_entry *e)
{
	return e->kind == MODEL_NODE_COMPLIANCE;
}

/* The OIDs of `select`ed entries, each with its modules. */
static json_t *json_section(const struct index_entry *entries, size_t n_entries,
			    bool (*select)(const struct index_entry *))
{
	size_t n;
	struct oid_modules *groups = group_by_oid(entries, n_entries, select, &n);
	for (size_t i = 0; i < n; i++)
		groups[i].kept = true;
	json_t *obj = json_groups(groups, n);
	free_groups(groups, n);
	return obj;
}

/* Every OID, keeping only those no kept shorter prefix covers with the
 * same modules. */
static json_t *json_oids(const struct index_entry *entries, size_t n_entries)
{
	size_t n;
	struct oid_modules *groups = group_by_oid(entries, n_entries, NULL, &n);
	/* In OID order a prefix comes before what it covers. */
	for (size_t i = 0; i < n; i++) {
		groups[i].kept = true;
		for (size_t p = 0; p < i; p++)
			if (groups[p].kept && oid_is_prefix(&groups[p], &groups[i]) &&
			    modules_cover(&groups[p], &groups[i])) {
				groups[i].kept = false;
				break;
			}
	}
	json_t *obj = json_groups(groups, n);
	free_groups(groups, n);
	return obj;
}

static const uint32_t enterprises[] = {1, 3, 6, 1, 4, 1};

/* Per module, its first OID under enterprises, cut to 7 arcs. */
static json_t *json_enterprise(const struct index_entry *entries, size_t n_entries)
{
	const size_t arcs = sizeof(enterprises) / sizeof(enterprises[0]) + 1;
	struct index_entry *cut = xcalloc(n_entries + 1, sizeof(*cut));
	const char **seen = xcalloc(n_entries + 1, sizeof(*seen));
	size_t n = 0, n_seen = 0;
	/* Visit in OID order so "first" does not depend on input order. */
	const struct index_entry **order = xcalloc(n_entries + 1, sizeof(*order));
	for (size_t i = 0; i < n_entries; i++)
		order[i] = &entries[i];
	qsort(order, n_entries, sizeof(*order), compare_entry_oids);
	for (size_t i = 0; i < n_entries; i++) {
		const struct index_entry *e = order[i];
		if (!e->module || e->oid_len < arcs ||
		    memcmp(e->oid, enterprises, sizeof(enterprises)) != 0)
			continue;
		bool dup = false;
		for (size_t k = 0; k < n_seen && !dup; k++)
			dup = strcmp(seen[k], e->module) == 0;
		if (dup)
			continue;
		seen[n_seen++] = e->module;
		cut[n] = *e;
		cut[n].oid_len = arcs;
		n++;
	}
	json_t *obj = json_section(cut, n, NULL);
	free(order);
	free(seen);
	free(cut);
	return obj;
}

static int emit_index_json(const struct index_entry *entries, size_t n_entries,
			   const struct emit_options *options, FILE *out,
			   char **error)
{
	json_t *root = json_object();
	/* Keys sorted, as mibdump's. */
	json_object_set_new(root, "compliance",
			    json_section(entries, n_entries, is_compliance));
	json_object_set_new(root, "enterprise", json_enterprise(entries, n_entries));
	json_object_set_new(root, "identity",
			    json_section(entries, n_entries, is_identity));
	json_t *meta = json_object();
	json_t *comments = json_array();
	char *s = xasprintf("Produced by mibc-%s",
			    options && options->version ? options->version : "");
	json_array_append_new(comments, json_string(s));
	free(s);
	json_object_set_new(meta, "comments", comments);
	json_object_set_new(root, "meta", meta);
	json_object_set_new(root, "oids", json_oids(entries, n_entries));

	int rc = 0;
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF) {
		*error = xstrdup("cannot write the JSON index");
		rc = -1;
	}
	json_decref(root);
	return rc;
}

int emit_index(const char *format, size_t i, const struct index_entry *entries,
	       size_t n_entries, const struct emit_options *options,
	       FILE *out, char **error)
{
	if (format && strcmp(format, "json") == 0 && i == 0)
		return emit_index_json(entries, n_entries, options, out, error);
	if (format && strcmp(format, "c") == 0 && i < 2)
		return emit_c_index(i, entries, n_entries, options, out, error);
	*error = xasprintf("no index output %zu for format %s", i,
			   format ? format : "(none)");
	return -1;
}
