/* The JSON emitter: MODULE.json in the layout of pysmi's mibdump
 * (--destination-format json), so tools written for mibdump's output read
 * ours.  One object per symbol keyed by name, plus "imports" and "meta".
 *
 * Deliberate differences from mibdump, each because mibdump is wrong or
 * not reproducible:
 * - symbol names keep their '-' (pysmi turns them into '_');
 * - SMIv1 TRAP-TYPE OIDs are enterprise.0.specific (pysmi glues "0" to
 *   the last enterprise arc: 1.3.6.1.2.1.10.5 + 0.1 -> ...10.50.1);
 * - "imports" lists what the module imports, names sorted (pysmi adds
 *   symbols of its own and orders them randomly); "meta" carries no
 *   timestamp, host or absolute path;
 * - an index element with IMPLIED gets "implied": true.
 * Everything else (key names, nesting, pysmi's quirks such as the doubled
 * "default" object and "augmention") follows mibdump, see emit_* below.
 *
 * Output is deterministic: symbols in source order (by line), keys in a
 * fixed order, 2-space indentation. */
#include "emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"

/* jansson has no unsigned 64-bit integer: numbers above INT64_MAX go in
 * as strings with this prefix and are turned back into bare numbers in
 * the dumped text (write_json).  A control character cannot come from a
 * MIB's identifiers, and jansson escapes it, so "\u0001u64:" cannot occur
 * in text that we did not mark. */
#define U64_MARK "\001u64:"
#define U64_MARK_DUMPED "\"\\u0001u64:"

static json_t *json_u64(uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	char buf[32];
	snprintf(buf, sizeof(buf), U64_MARK "%" PRIu64, v);
	return json_string(buf);
}

/* A number of a range or DEFVAL: signed unless the base is Unsigned64. */
static json_t *json_number(int64_t v, bool unsigned64)
{
	return unsigned64 ? json_u64((uint64_t)v) : json_integer(v);
}

static void set_new(json_t *obj, const char *key, json_t *value)
{
	if (value)
		json_object_set_new(obj, key, value);
}

static void set_string(json_t *obj, const char *key, const char *s)
{
	if (s)
		json_object_set_new(obj, key, json_string(s));
}

static char *oid_text(const uint32_t *oid, size_t len)
{
	size_t cap = 11 * len + 1, pos = 0;
	char *s = xmalloc(cap);
	s[0] = '\0';
	for (size_t i = 0; i < len; i++)
		pos += (size_t)snprintf(s + pos, cap - pos, i ? ".%" PRIu32 : "%" PRIu32,
					oid[i]);
	return s;
}

static void set_oid(json_t *obj, const struct model_node *n)
{
	char *s = oid_text(n->oid, n->oid_len);
	json_object_set_new(obj, "oid", json_string(s));
	free(s);
}

/* ---- syntax ----------------------------------------------------------- */

/* pysmi's spelling of the type a SYNTAX names. */
static const char *json_type_name(const struct model_syntax *s)
{
	const char *name = s->written.name;
	if (!name)
		return s->base_name ? s->base_name : "";
	if (!s->written.module && strcmp(name, "BITS") == 0)
		return "Bits";
	return name;
}

static json_t *json_ranges(const struct model_syntax *s)
{
	json_t *list = json_array();
	bool u64 = s->base == MODEL_BASE_UNSIGNED64;
	for (size_t i = 0; i < s->n_ranges; i++) {
		json_t *r = json_object();
		json_object_set_new(r, "min", json_number(s->ranges[i].min, u64));
		json_object_set_new(r, "max", json_number(s->ranges[i].max, u64));
		json_array_append_new(list, r);
	}
	return list;
}

static json_t *json_named(const struct model_syntax *s)
{
	json_t *obj = json_object();
	for (size_t i = 0; i < s->n_named; i++)
		if (s->named[i].name)
			json_object_set_new(obj, s->named[i].name,
					    json_integer(s->named[i].value));
	return obj;
}

/* {"type": ..., "class": "type", "constraints"/"bits": ...}: the SYNTAX as
 * written, with only the refinement written in it (as mibdump). */
static json_t *json_syntax(const struct model_syntax *s)
{
	json_t *obj = json_object();
	json_object_set_new(obj, "type", json_string(json_type_name(s)));
	json_object_set_new(obj, "class", json_string("type"));
	if (s->own_named && s->base == MODEL_BASE_BITS) {
		json_object_set_new(obj, "bits", json_named(s));
		return obj;
	}
	json_t *c = json_object();
	if (s->own_named && s->n_named)
		json_object_set_new(c, "enumeration", json_named(s));
	if (s->own_ranges && s->n_ranges)
		json_object_set_new(c, s->ranges_are_sizes ? "size" : "range",
				    json_ranges(s));
	if (json_object_size(c))
		json_object_set_new(obj, "constraints", c);
	else
		json_decref(c);
	return obj;
}

/* ---- symbols ---------------------------------------------------------- */

static json_t *json_refs(const struct model_ref *refs, size_t n,
			 const char *module, bool object_first)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_object();
		const char *mod = refs[i].module ? refs[i].module : module;
		/* mibdump's compliance lists say object first, others module
		 * first. */
		if (object_first)
			set_string(r, "object", refs[i].name);
		set_string(r, "module", mod);
		if (!object_first)
			set_string(r, "object", refs[i].name);
		json_array_append_new(list, r);
	}
	return list;
}

/* A text clause, left out when empty (as mibdump). */
static void set_text(json_t *obj, const char *key, const char *text)
{
	if (text && *text)
		json_object_set_new(obj, key, json_string(text));
}

static void set_texts(json_t *obj, const struct emit_options *o,
		      const char *description, const char *reference)
{
	if (!o->generate_texts)
		return;
	set_text(obj, "description", description);
	set_text(obj, "reference", reference);
}

/* "2000-06-14 00:00" -> "200006140000Z", LAST-UPDATED's own form (which
 * mibdump shows as written). */
static json_t *json_smi_date(const char *date)
{
	char buf[16];
	size_t n = 0;
	for (const char *p = date; *p && n < sizeof(buf) - 2; p++)
		if (*p >= '0' && *p <= '9')
			buf[n++] = *p;
	buf[n++] = 'Z';
	buf[n] = '\0';
	return json_string(buf);
}

static const char *nodetype(enum model_node_kind k)
{
	switch (k) {
	case MODEL_NODE_TABLE: return "table";
	case MODEL_NODE_ROW: return "row";
	case MODEL_NODE_COLUMN: return "column";
	default: return "scalar";
	}
}

/* pysmi's "(1, 3, 6)" rendering of an OID value (a Python tuple). */
static char *oid_tuple(const char *dotted)
{
	size_t len = strlen(dotted);
	char *s = xmalloc(2 * len + 4);
	size_t pos = 0, parts = 1;
	s[pos++] = '(';
	for (const char *p = dotted; *p; p++) {
		if (*p == '.') {
			s[pos++] = ',';
			s[pos++] = ' ';
			parts++;
		} else {
			s[pos++] = *p;
		}
	}
	if (parts == 1)
		s[pos++] = ',';
	s[pos++] = ')';
	s[pos] = '\0';
	return s;
}

/* The bits of a BITS DEFVAL as {name: bit}. */
static json_t *json_default_bits(const struct model_node *n)
{
	json_t *bits = json_object();
	const struct model_syntax *s = n->syntax;
	const char *p = n->default_value;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		for (size_t i = 0; s && i < s->n_named; i++)
			if (s->named[i].name && strlen(s->named[i].name) == len &&
			    strncmp(s->named[i].name, p, len) == 0)
				json_object_set_new(bits, s->named[i].name,
					json_integer(s->named[i].value));
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return bits;
}

/* mibdump's "default": {"default": {"value", "format"}}, except for BITS,
 * where it is {"value": {"type": "Bits", ...}, "format": "bits"} (both
 * pysmi's quirks, kept so readers of mibdump's JSON read ours). */
static json_t *json_default(const struct model_node *n)
{
	json_t *d = json_object();
	switch (n->default_kind) {
	case MODEL_DEFAULT_NUMBER: {
		bool neg = n->default_value[0] == '-';
		json_t *v = neg ? json_integer(strtoll(n->default_value, NULL, 10))
				: json_u64(strtoull(n->default_value, NULL, 10));
		json_object_set_new(d, "value", v);
		json_object_set_new(d, "format", json_string("decimal"));
		break;
	}
	case MODEL_DEFAULT_ENUM:
	case MODEL_DEFAULT_STRING:
	case MODEL_DEFAULT_HEX:
		set_string(d, "value", n->default_value);
		json_object_set_new(d, "format", json_string(
			n->default_kind == MODEL_DEFAULT_ENUM ? "enum" :
			n->default_kind == MODEL_DEFAULT_HEX ? "hex" : "string"));
		break;
	case MODEL_DEFAULT_OID: {
		char *t = oid_tuple(n->default_value);
		json_object_set_new(d, "value", json_string(t));
		free(t);
		json_object_set_new(d, "format", json_string("oid"));
		break;
	}
	case MODEL_DEFAULT_BITS: {
		json_t *v = json_object();
		json_object_set_new(v, "type", json_string("Bits"));
		json_object_set_new(v, "class", json_string("type"));
		json_object_set_new(v, "bits", json_default_bits(n));
		json_object_set_new(d, "value", v);
		json_object_set_new(d, "format", json_string("bits"));
		return d;
	}
	case MODEL_DEFAULT_NONE:
		json_decref(d);
		return NULL;
	}
	json_t *outer = json_object();
	json_object_set_new(outer, "default", d);
	return outer;
}

static json_t *json_indices(const struct model_node *n, const char *module)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n->n_index; i++) {
		const struct model_index_element *e = &n->index[i];
		json_t *r = json_object();
		set_string(r, "module", e->object.module ? e->object.module : module);
		set_string(r, "object", e->object.name);
		if (e->implied)
			json_object_set_new(r, "implied", json_true());
		json_array_append_new(list, r);
	}
	return list;
}

static json_t *json_object_type(const struct model_module *m,
				const struct model_node *n,
				const struct emit_options *o)
{
	json_t *obj = json_object();
	set_string(obj, "name", n->name);
	set_oid(obj, n);
	set_string(obj, "nodetype", nodetype(n->kind));
	set_string(obj, "class", "objecttype");
	if (n->syntax && (n->kind == MODEL_NODE_SCALAR ||
			  n->kind == MODEL_NODE_COLUMN))
		set_new(obj, "syntax", json_syntax(n->syntax));
	if (n->default_value)
		set_new(obj, "default", json_default(n));
	set_string(obj, "units", n->units);
	if (n->access != MODEL_ACCESS_UNKNOWN)
		set_string(obj, "maxaccess", model_access_name(n->access));
	if (n->kind == MODEL_NODE_ROW && n->index_kind == MODEL_INDEX_AUGMENTS) {
		json_t *aug = json_object();
		set_string(aug, "name", n->name);
		set_string(aug, "module", m->name);
		set_string(aug, "object", n->related.name);
		/* mibdump's spelling */
		json_object_set_new(obj, "augmention", aug);
	} else if (n->kind == MODEL_NODE_ROW && n->n_index) {
		json_object_set_new(obj, "indices", json_indices(n, m->name));
	}
	if (o->generate_texts)
		set_text(obj, "reference", n->reference);
	if (n->status != MODEL_STATUS_UNKNOWN)
		set_string(obj, "status", model_status_name(n->status));
	if (o->generate_texts)
		set_text(obj, "description", n->description);
	return obj;
}

static json_t *json_module_identity(const struct model_module *m,
				    const struct model_node *n,
				    const struct emit_options *o)
{
	json_t *obj = json_object();
	set_string(obj, "name", n->name);
	set_oid(obj, n);
	set_string(obj, "class", "moduleidentity");
	if (m->n_revisions) {
		json_t *list = json_array();
		for (size_t i = 0; i < m->n_revisions; i++) {
			json_t *r = json_object();
			set_string(r, "revision", m->revisions[i].date);
			json_object_set_new(r, "description", json_string(
				m->revisions[i].description ?
				m->revisions[i].description : ""));
			json_array_append_new(list, r);
		}
		json_object_set_new(obj, "revisions", list);
	}
	if (o->generate_texts) {
		if (m->last_updated)
			json_object_set_new(obj, "lastupdated",
					    json_smi_date(m->last_updated));
		set_text(obj, "organization", m->organization);
		set_text(obj, "contactinfo", m->contact_info);
		set_text(obj, "description",
			 n->description ? n->description : m->description);
	}
	return obj;
}

/* Notifications, groups, compliances, identities, capabilities. */
static json_t *json_other(const struct model_module *m,
			  const struct model_node *n,
			  const struct emit_options *o)
{
	json_t *obj = json_object();
	set_string(obj, "name", n->name);
	set_oid(obj, n);
	bool trap = n->macro && strcmp(n->macro, "TRAP-TYPE") == 0;
	switch (n->kind) {
	case MODEL_NODE_NOTIFICATION:
		set_string(obj, "class", "notificationtype");
		if (n->n_members)
			json_object_set_new(obj, "objects", json_refs(
				n->members, n->n_members, m->name, false));
		break;
	case MODEL_NODE_GROUP:
		set_string(obj, "class",
			   n->macro && strcmp(n->macro, "NOTIFICATION-GROUP") == 0
			   ? "notificationgroup" : "objectgroup");
		json_object_set_new(obj, "objects", json_refs(
			n->members, n->n_members, m->name, false));
		break;
	case MODEL_NODE_COMPLIANCE: {
		set_string(obj, "class", "modulecompliance");
		json_t *list = json_refs(n->members, n->n_members, m->name, true);
		json_t *optional = json_refs(n->optional, n->n_optional,
					     m->name, true);
		json_array_extend(list, optional);
		json_decref(optional);
		if (json_array_size(list))
			json_object_set_new(obj, "modulecompliance", list);
		else
			json_decref(list);
		break;
	}
	case MODEL_NODE_CAPABILITIES:
		set_string(obj, "class", "agentcapabilities");
		break;
	default:
		set_string(obj, "class", "objectidentity");
		break;
	}
	/* A plain OBJECT IDENTIFIER assignment and a TRAP-TYPE have no
	 * STATUS clause. */
	if (n->macro && !trap && n->status != MODEL_STATUS_UNKNOWN)
		set_string(obj, "status", model_status_name(n->status));
	set_texts(obj, o, n->description, n->reference);
	return obj;
}

static json_t *json_node(const struct model_module *m,
			 const struct model_node *n,
			 const struct emit_options *o)
{
	switch (n->kind) {
	case MODEL_NODE_SCALAR:
	case MODEL_NODE_TABLE:
	case MODEL_NODE_ROW:
	case MODEL_NODE_COLUMN:
		return json_object_type(m, n, o);
	case MODEL_NODE_MODULE_IDENTITY:
		return json_module_identity(m, n, o);
	default:
		return json_other(m, n, o);
	}
}

static json_t *json_typedef(const struct model_typedef *t,
			    const struct emit_options *o)
{
	json_t *obj = json_object();
	set_string(obj, "name", t->name);
	set_string(obj, "class", t->textual_convention ? "textualconvention"
							: "type");
	if (t->syntax)
		json_object_set_new(obj, "type", json_syntax(t->syntax));
	if (!t->textual_convention)
		return obj;
	/* A TC's own DISPLAY-HINT only: the syntax's may be inherited. */
	set_string(obj, "displayhint", t->display_hint);
	if (t->status != MODEL_STATUS_UNKNOWN)
		set_string(obj, "status", model_status_name(t->status));
	set_texts(obj, o, t->description, t->reference);
	return obj;
}

static json_t *json_imports(const struct model_module *m)
{
	json_t *obj = json_object();
	json_object_set_new(obj, "class", json_string("imports"));
	/* Collect per module, then lay out modules and names sorted. */
	json_t *by_module = json_object();
	for (size_t i = 0; i < m->n_imports; i++) {
		const struct model_import *im = &m->imports[i];
		if (!im->module || !im->name)
			continue;
		json_t *list = json_object_get(by_module, im->module);
		if (!list) {
			list = json_array();
			json_object_set_new(by_module, im->module, list);
		}
		json_array_append_new(list, json_string(im->name));
	}
	const char **keys = xcalloc(json_object_size(by_module) + 1,
				    sizeof(*keys));
	size_t nk = 0;
	const char *key;
	json_t *value;
	json_object_foreach(by_module, key, value)
		keys[nk++] = key;
	for (size_t i = 1; i < nk; i++) /* insertion sort: few modules */
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	for (size_t i = 0; i < nk; i++) {
		json_t *list = json_object_get(by_module, keys[i]);
		size_t n = json_array_size(list);
		const char **names = xcalloc(n + 1, sizeof(*names));
		for (size_t k = 0; k < n; k++)
			names[k] = json_string_value(json_array_get(list, k));
		for (size_t a = 1; a < n; a++)
			for (size_t b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
				const char *t = names[b];
				names[b] = names[b - 1];
				names[b - 1] = t;
			}
		json_t *sorted = json_array();
		for (size_t k = 0; k < n; k++)
			if (k == 0 || strcmp(names[k], names[k - 1]) != 0)
				json_array_append_new(sorted, json_string(names[k]));
		free(names);
		json_object_set_new(obj, keys[i], sorted);
	}
	free(keys);
	json_decref(by_module);
	return obj;
}

static json_t *json_meta(const struct model_module *m,
			 const struct emit_options *o)
{
	json_t *obj = json_object();
	json_t *comments = json_array();
	if (m->path) {
		/* The file name only: absolute paths would make the output
		 * depend on where the sources are. */
		const char *base = strrchr(m->path, '/');
		char *s = xasprintf("ASN.1 source %s", base ? base + 1 : m->path);
		json_array_append_new(comments, json_string(s));
		free(s);
	}
	if (m->source_hash[0]) {
		char *s = xasprintf("SHA-256 %s", m->source_hash);
		json_array_append_new(comments, json_string(s));
		free(s);
	}
	char *s = xasprintf("Produced by mibc-%s", o->version ? o->version : "");
	json_array_append_new(comments, json_string(s));
	free(s);
	json_object_set_new(obj, "comments", comments);
	json_object_set_new(obj, "module", json_string(m->name));
	return obj;
}

/* One symbol to lay out: a node or a type, placed by source line. */
struct symbol {
	int line;
	size_t seq; /* model order, for equal lines */
	const struct model_node *node;
	const struct model_typedef *type;
};

static int compare_symbols(const void *pa, const void *pb)
{
	const struct symbol *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static json_t *json_module(const struct model_module *m,
			   const struct emit_options *o)
{
	json_t *root = json_object();
	json_object_set_new(root, "imports", json_imports(m));

	size_t n = m->n_types + m->n_nodes, k = 0;
	struct symbol *syms = xcalloc(n + 1, sizeof(*syms));
	for (size_t i = 0; i < m->n_types; i++, k++)
		syms[k] = (struct symbol){m->types[i].line, k, NULL, &m->types[i]};
	for (size_t i = 0; i < m->n_nodes; i++, k++)
		syms[k] = (struct symbol){m->nodes[i].line, k, &m->nodes[i], NULL};
	qsort(syms, n, sizeof(*syms), compare_symbols);
	for (size_t i = 0; i < n; i++) {
		const char *name = syms[i].node ? syms[i].node->name
						: syms[i].type->name;
		/* "imports"/"meta" are taken; a MIB symbol cannot be named
		 * so (lower-case value names could be, in theory). */
		if (!name || json_object_get(root, name))
			continue;
		json_t *v = syms[i].node ? json_node(m, syms[i].node, o)
					 : json_typedef(syms[i].type, o);
		json_object_set_new(root, name, v);
	}
	free(syms);
	json_object_set_new(root, "meta", json_meta(m, o));
	return root;
}

/* Dump with 2-space indent, restoring the marked unsigned 64-bit
 * numbers, and a final newline. */
static int write_json(json_t *root, FILE *out, char **error)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		*error = xstrdup("cannot serialize JSON");
		return -1;
	}
	char *r = text, *w = text;
	size_t mark = strlen(U64_MARK_DUMPED);
	while (*r) {
		if (strncmp(r, U64_MARK_DUMPED, mark) == 0) {
			r += mark;
			while (*r && *r != '"')
				*w++ = *r++;
			if (*r == '"')
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	int rc = 0;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF) {
		*error = xstrdup("cannot write JSON output");
		rc = -1;
	}
	free(text);
	return rc;
}

static char *json_output_name(const char *module, size_t i)
{
	(void)i;
	return xasprintf("%s.json", module);
}

static int json_emit(const struct model_module *module,
		     const struct emit_options *options, size_t i, FILE *out,
		     char **error)
{
	(void)i;
	json_t *root = json_module(module, options);
	int rc = write_json(root, out, error);
	json_decref(root);
	return rc;
}

const struct emitter emitter_json = {
	.format = "json",
	.n_outputs = 1,
	.output_name = json_output_name,
	.emit = json_emit,
};
