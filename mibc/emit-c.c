/* The C emitter: for each module `<module>.h` (typed API: OID constants,
 * enums, BITS helpers, row structs, typed accessors over the runtime's
 * generic calls) and `<module>.c` (descriptor tables, designated
 * initializers, nodes sorted by OID).  See runtime/include/mibc/desc.h for
 * what the tables mean and mibc.h for the calls the accessors make.
 *
 * Everything is decided before anything is written (names, clashes,
 * includes), from the model only, in a fixed order, so the same model
 * gives the same bytes.
 *
 * Cross-module references (an imported TC's enum, an index object or
 * notification object of another module) use that module's default C
 * names (names.h): pure functions of the SMI names. */
#include "emit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "names.h"
#include "textout.h"

/* The descriptor ABI this emitter writes (runtime/include/mibc/desc.h). */
#define EMIT_C_ABI 2

/* Octet strings up to this size are kept inline in row structs. */
#define INLINE_OCTETS_MAX 255

/* Longest instance OID (runtime/include/mibc/desc.h: MIBC_OID_MAX_LEN). */
#define OID_MAX_LEN 128

/* Comment text width. */
#define TEXT_WIDTH 76

/* Modules whose definitions are the SMI itself: never included. */
static const char *const smi_modules[] = {
	"SNMPv2-SMI", "SNMPv2-CONF", "RFC1155-SMI", "RFC1065-SMI", "RFC-1212",
	"RFC-1215",
};

static bool is_smi_module(const char *module)
{
	for (size_t i = 0; i < sizeof(smi_modules) / sizeof(smi_modules[0]); i++)
		if (strcmp(module, smi_modules[i]) == 0)
			return true;
	return false;
}

/* What a value looks like in C. */
enum vclass {
	V_NONE,
	V_INT32,
	V_ENUM,
	V_UINT32,
	V_INT64,
	V_UINT64,
	V_IPADDR,
	V_OCTETS,
	V_STRING, /* octets meant as text (DisplayString, SnmpAdminString) */
	V_BITS,
	V_OID,
};

/* How one index element goes into the instance OID. */
enum iclass {
	I_BAD,
	I_INT32,
	I_UINT32,
	I_IPADDR,
	I_FIXED,  /* fixed-size octets, no length */
	I_OCTETS, /* octets, length first unless IMPLIED */
	I_OID,    /* OID, length first unless IMPLIED */
};

struct idx {
	const struct model_index_element *el;
	enum iclass cls;
	bool text;         /* I_OCTETS of a text type: const char * */
	size_t fixed;      /* I_FIXED: octets; I_IPADDR: 4 */
	char *desc_ref;    /* "&if_mib_if_index_desc", NULL if unresolved */
	char *param;       /* C parameter name */
	char *param_len;   /* I_OCTETS, I_OID: length parameter name */
	size_t capacity;   /* I_FIXED, I_OCTETS, I_OID: room in the index struct */
};

/* A type or node of the module, with its C names. */
struct ent {
	const struct model_typedef *type; /* one of these two */
	const struct model_node *node;
	const char *smi;
	int line;
	char *s;  /* unique stem, lower case */
	char *S;  /* upper case */

	const struct model_syntax *syn;
	enum vclass vc;
	bool own_enum;     /* defines `enum <p><s>` and its constants */
	char *enum_tag;    /* the enum type values use ("if_mib_x"), or NULL */
	/* The named numbers' table when another type's is the same
	 * ("ianaiftype_mib_iana_if_type_names", "@<type>" until named), NULL
	 * when the entity has its own <p><s>_names. */
	char *names_ref;
	char **labels;     /* own_enum: constant suffix per named number */
	bool has_len;      /* MIN_LEN/MAX_LEN macros */
	uint64_t min_len, max_len;
	bool len_bounded;  /* max_len is known */

	/* nodes */
	bool get, value;   /* typed accessors */
	bool set;          /* typed SET wrappers (writable, typed index) */
	long row;          /* columns: their row's entity, -1 */
	size_t col_pos;
	enum {
		ST_NONE, ST_INT32, ST_UINT32, ST_INT64, ST_UINT64, ST_IPADDR,
		ST_INLINE, ST_OCTETS, ST_OID
	} storage;
	size_t capacity;   /* ST_INLINE */
	char *member;      /* columns: the row struct member */

	/* rows */
	long *cols;
	size_t n_cols;
	char **col_consts; /* upper suffixes of the column constants */
	struct idx *idx;   /* the index (rows) */
	size_t n_idx;
	bool idx_ok;       /* all index elements resolved */
	bool idx_typed;    /* all index elements have a C parameter type */
	char *related_ref; /* "&..._desc" */
	bool walk;         /* x_walk: has a row struct and readable columns */
	bool get_row;      /* x_get_row: and a typed index */
	long joined_base;  /* x_walk_joined: the local row it AUGMENTS, -1 */
	long table;        /* rows: their table; tables: their row */

	/* notifications and groups */
	char **member_refs;
	size_t n_member_refs;
};

struct gen {
	const struct model_module *m;
	const struct emit_options *opt;
	/* the output file being written: text goes to the buffer and on to
	 * the file 64 KiB at a time (a module's header can be 12 MB) */
	struct textbuf text;
	FILE *out;
	char *p, *P;       /* "if_mib_", "IF_MIB_" */
	char *file;        /* "if-mib" */
	char *guard;
	struct ent *types;
	size_t n_types;
	struct ent *nodes; /* sorted by OID, then name */
	size_t n_nodes;
	struct names_map *type_by_name, *node_by_name;
	struct names_map *model_names; /* every node of the model */
	struct names_map *ids; /* C identifier -> owner (see owner_of) */
	char **h_includes, **c_includes;
	size_t n_h_includes, n_c_includes;
	char **warnings;
	size_t n_warnings;
};

/* ---- small helpers ---------------------------------------------------- */

static void warn(struct gen *g, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(struct gen *g, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = text_vformat(fmt, ap);
	va_end(ap);
	g->warnings = xreallocarray(g->warnings, g->n_warnings + 1,
				    sizeof(*g->warnings));
	g->warnings[g->n_warnings++] = xasprintf("%d\n%s", line, msg);
	free(msg);
}

static void out(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hand what is buffered to the file: all of it, or once 64 KiB are. */
static void spill(struct gen *g, bool all)
{
	if (g->text.len >= (all ? 1 : 64 * 1024)) {
		fwrite(g->text.p, 1, g->text.len, g->out);
		g->text.len = 0;
	}
}

static void out(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	textbuf_vprintf(&g->text, fmt, ap);
	va_end(ap);
	spill(g, false);
}

static void add_unique(char ***list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], s) == 0)
			return;
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

static bool in_list(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


/* A C string literal (or NULL). */
static void out_cstr(struct gen *g, const char *s)
{
	struct textbuf *t = &g->text;
	if (!s) {
		textbuf_put(t, "NULL", 4);
		return;
	}
	textbuf_putc(t, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			textbuf_putc(t, '\\');
			textbuf_putc(t, (char)c);
		} else if (c == '?' && p[1] == '?') {
			textbuf_put(t, "?\\", 2); /* no trigraphs */
		} else if (c < 0x20 || c >= 0x7f) {
			char octal[5] = { '\\', (char)('0' + (c >> 6)),
					  (char)('0' + ((c >> 3) & 7)),
					  (char)('0' + (c & 7)), 0 };
			textbuf_put(t, octal, 4);
		} else {
			textbuf_putc(t, (char)c);
		}
	}
	textbuf_putc(t, '"');
	spill(g, false);
}

/* Text made safe for a C block comment: no end of comment, no comment
 * start (-Wcomment), no trigraphs, no line splices, no control
 * characters.  malloc'd. */
static bool comment_special(unsigned char c)
{
	return c == '*' || c == '/' || c == '?' || c == '\\' ||
	       (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

static char *comment_safe(const char *s)
{
	size_t n = strlen(s);
	char *r = xmalloc(2 * n + 1), *q = r;
	for (size_t i = 0; i < n; i++) {
		/* a run of plain text (descriptions are mostly that) */
		size_t run = i;
		while (run < n && !comment_special((unsigned char)s[run]))
			run++;
		memcpy(q, s + i, run - i);
		q += run - i;
		i = run;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c == '*' && s[i + 1] == '/') {
			*q++ = '*';
			*q++ = ' ';
		} else if (c == '/' && s[i + 1] == '*') {
			*q++ = '/';
			*q++ = ' ';
		} else if (c == '?' && s[i + 1] == '?') {
			*q++ = '?';
			*q++ = ' ';
		} else if (c == '\\') {
			*q++ = '\\';
			if (i + 1 == n || s[i + 1] == '\n' || s[i + 1] == '\r')
				*q++ = ' ';
		} else if (c == '\t' || c == '\n') {
			*q++ = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			*q++ = ' ';
		} else {
			*q++ = (char)c;
		}
	}
	*q = '\0';
	return r;
}

/* Writes `text` as comment lines ` * ...` (without opening/closing),
 * word-wrapped unless the layout is kept. */
static void out_comment_text(struct gen *g, const char *indent,
			     const char *text, bool keep_layout)
{
	char *safe = comment_safe(text);
	if (keep_layout) {
		char *line = safe;
		while (line) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			size_t len = strlen(line);
			/* (a space after a line-final backslash stays: no
			 * line splice) */
			while (len && (line[len - 1] == ' ' || line[len - 1] == '\t')
			       && !(len >= 2 && line[len - 2] == '\\'))
				line[--len] = '\0';
			/* A line-final backslash was given a space above. */
			if (len)
				out(g, "%s * %s\n", indent, line);
			else
				out(g, "%s *\n", indent);
			line = nl ? nl + 1 : NULL;
		}
		free(safe);
		return;
	}
	/* Paragraphs (split at blank lines), words re-flowed. */
	char *p = safe;
	bool first_para = true;
	while (*p) {
		/* find the paragraph end: "\n" followed by a blank line */
		char *end = p;
		while (*end) {
			if (*end == '\n') {
				char *q = end + 1;
				while (*q == ' ' || *q == '\t')
					q++;
				if (*q == '\n' || *q == '\0')
					break;
			}
			end++;
		}
		char saved = *end;
		*end = '\0';
		/* words */
		size_t col = 0;
		bool any = false;
		char *w = p;
		while (*w) {
			while (*w == ' ' || *w == '\t' || *w == '\n')
				w++;
			if (!*w)
				break;
			char *we = w;
			while (*we && *we != ' ' && *we != '\t' && *we != '\n')
				we++;
			size_t wl = (size_t)(we - w);
			if (!any) {
				if (!first_para)
					out(g, "%s *\n", indent);
				out(g, "%s * %.*s", indent, (int)wl, w);
				col = wl;
				any = true;
			} else if (col + 1 + wl > TEXT_WIDTH) {
				out(g, "\n%s * %.*s", indent, (int)wl, w);
				col = wl;
			} else {
				out(g, " %.*s", (int)wl, w);
				col += 1 + wl;
			}
			w = we;
		}
		if (any) {
			out(g, "\n");
			first_para = false;
		}
		*end = saved;
		p = end;
		while (*p == '\n' || *p == ' ' || *p == '\t')
			p++;
	}
	free(safe);
}

/* A one-paragraph comment, wrapped: "/\* text *\/". */
static void out_comment(struct gen *g, const char *indent, const char *text,
			const char *long_text)
{
	char *safe = comment_safe(text);
	bool fits = !long_text && strlen(safe) + strlen(indent) + 6 <= 80
		    && !strchr(safe, '\n');
	if (fits) {
		out(g, "%s/* %s */\n", indent, safe);
		free(safe);
		return;
	}
	free(safe);
	out(g, "%s/*\n", indent);
	out_comment_text(g, indent, text, false);
	if (long_text) {
		out(g, "%s *\n", indent);
		out_comment_text(g, indent, long_text,
				 g->opt && g->opt->keep_texts_layout);
	}
	out(g, "%s */\n", indent);
}

static void out_int64(struct gen *g, int64_t v)
{
	if (v == INT64_MIN)
		out(g, "INT64_MIN");
	else if (v < INT32_MIN || v > INT32_MAX)
		out(g, "INT64_C(%" PRId64 ")", v);
	else
		out(g, "%" PRId64, v);
}

/* ---- classification --------------------------------------------------- */

static bool is_text_type(const struct model_syntax *s)
{
	if (s->type.name && (strcmp(s->type.name, "DisplayString") == 0 ||
			     strcmp(s->type.name, "SnmpAdminString") == 0))
		return true;
	const char *h = s->display_hint;
	if (!h || !*h)
		return false;
	size_t i = 0;
	while (h[i] >= '0' && h[i] <= '9')
		i++;
	return i > 0 && (h[i] == 'a' || h[i] == 't') && h[i + 1] == '\0';
}

static enum vclass classify(const struct model_syntax *s)
{
	if (!s)
		return V_NONE;
	switch (s->base) {
	case MODEL_BASE_ENUM:
		return s->n_named ? V_ENUM : V_INT32;
	case MODEL_BASE_BITS:
		return V_BITS;
	case MODEL_BASE_INTEGER32:
		return V_INT32;
	case MODEL_BASE_UNSIGNED32:
		return V_UINT32;
	case MODEL_BASE_INTEGER64:
		return V_INT64;
	case MODEL_BASE_UNSIGNED64:
		return V_UINT64;
	case MODEL_BASE_OCTET_STRING:
		if (s->wire == MODEL_WIRE_IPADDRESS)
			return V_IPADDR;
		return is_text_type(s) ? V_STRING : V_OCTETS;
	case MODEL_BASE_OBJECT_IDENTIFIER:
		return V_OID;
	case MODEL_BASE_FLOAT:
	case MODEL_BASE_UNKNOWN:
		break;
	}
	return V_NONE;
}

/* Size bounds of strings (from SIZE, or from the named bits of BITS). */
static void length_bounds(struct ent *e)
{
	const struct model_syntax *s = e->syn;
	if (!s)
		return;
	if (e->vc != V_OCTETS && e->vc != V_STRING && e->vc != V_BITS)
		return;
	if (s->ranges_are_sizes && s->n_ranges > 0) {
		uint64_t lo = UINT64_MAX, hi = 0;
		for (size_t i = 0; i < s->n_ranges; i++) {
			uint64_t a = s->ranges[i].min < 0 ? 0 : (uint64_t)s->ranges[i].min;
			uint64_t b = s->ranges[i].max < 0 ? 0 : (uint64_t)s->ranges[i].max;
			if (a < lo)
				lo = a;
			if (b > hi)
				hi = b;
		}
		e->min_len = lo;
		e->max_len = hi;
		e->len_bounded = true;
		e->has_len = true;
	} else if (e->vc == V_BITS && s->n_named > 0) {
		int64_t top = 0;
		for (size_t i = 0; i < s->n_named; i++)
			if (s->named[i].value > top)
				top = s->named[i].value;
		e->min_len = 0;
		e->max_len = (uint64_t)top / 8 + 1;
		e->len_bounded = true;
	}
}

static const struct ent *find_type(const struct gen *g, const char *name)
{
	long i = name ? names_map_get(g->type_by_name, name) : -1;
	return i < 0 ? NULL : &g->types[i];
}

static long find_node(const struct gen *g, const char *name)
{
	return name ? names_map_get(g->node_by_name, name) : -1;
}

static bool is_local(const struct gen *g, const struct model_ref *r)
{
	return !r->module || strcmp(r->module, g->m->name) == 0;
}

/* "&if_mib_if_index_desc" for a node reference; includes the other
 * module's header in the .c.  NULL when a local name does not resolve.
 * Local references are "@<entity>" until names are chosen (fix_ref). */
static char *desc_ref(struct gen *g, const struct model_ref *r)
{
	if (!r->name)
		return NULL;
	if (is_local(g, r)) {
		long i = find_node(g, r->name);
		if (i < 0)
			return NULL;
		return xasprintf("@%ld", i);
	}
	if (is_smi_module(r->module))
		return NULL;
	char *fp = names_module_prefix(r->module);
	char *fs = names_snake(r->name);
	char *ref = xasprintf("&%s_%s_desc", fp, fs);
	free(fp);
	free(fs);
	add_unique(&g->c_includes, &g->n_c_includes, r->module);
	return ref;
}

/* ---- names ------------------------------------------------------------ */

/* The identifiers an entity would take: one buffer, each NUL-ended
 * (thousands per module: a malloc each was a tenth of the generator). */
struct idlist {
	struct textbuf text;
	size_t *at;  /* where each starts in text */
	size_t n, cap;
};

static void id_add(struct idlist *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void id_add(struct idlist *l, const char *fmt, ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->at = xreallocarray(l->at, l->cap, sizeof(*l->at));
	}
	l->at[l->n++] = l->text.len;
	va_list ap;
	va_start(ap, fmt);
	textbuf_vprintf(&l->text, fmt, ap);
	va_end(ap);
	textbuf_putc(&l->text, '\0');
}

static const char *id_at(const struct idlist *l, size_t i)
{
	return l->text.p + l->at[i];
}

/* Empty again, its memory kept. */
static void id_clear(struct idlist *l)
{
	l->text.len = 0;
	l->n = 0;
}

static void id_free(struct idlist *l)
{
	textbuf_free(&l->text);
	free(l->at);
	*l = (struct idlist){ 0 };
}

/* ---- SET wrappers: which nodes get them, their names ---- */

/* An object with its own BITS has x_set(octets, len, bit) editing a
 * value: its SET wrappers are x_set_value. */
static const char *set_suffix(const struct ent *e)
{
	return e->own_enum && e->vc == V_BITS ? "set_value" : "set";
}

static bool is_row_status(const struct ent *e)
{
	const struct model_syntax *s = e->syn;
	return s && s->type.name && s->type.module
	       && strcmp(s->type.name, "RowStatus") == 0
	       && strcmp(s->type.module, "SNMPv2-TC") == 0;
}

static void setter_ids(const struct gen *g, const struct ent *e, const char *s,
		       struct idlist *l)
{
	id_add(l, "%s%s_%s", g->p, s, set_suffix(e));
	id_add(l, "%s%s_%s_init", g->p, s, set_suffix(e));
	if (is_row_status(e)) {
		id_add(l, "%s%s_create_and_go", g->p, s);
		id_add(l, "%s%s_destroy", g->p, s);
	}
}

static bool writable(enum model_access a)
{
	return a == MODEL_ACCESS_READ_WRITE || a == MODEL_ACCESS_READ_CREATE ||
	       a == MODEL_ACCESS_WRITE_ONLY;
}

/* Writable scalars, and writable columns whose row's index has C types,
 * of a value class a C parameter can hold. */
static void mark_setters(struct gen *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		const struct model_node *nd = e->node;
		if (!e->value || !writable(nd->access))
			continue;
		if (nd->kind == MODEL_NODE_SCALAR)
			e->set = true;
		else if (nd->kind == MODEL_NODE_COLUMN && e->row >= 0 &&
			 g->nodes[e->row].idx_typed && g->nodes[e->row].n_idx > 0)
			e->set = true;
	}
}

/* The fixed identifiers of an entity for stem s/S (not the enum and
 * column constants, which come from labels). */
static void ent_ids(const struct gen *g, const struct ent *e, const char *s,
		    const char *S, struct idlist *l)
{
	const char *p = g->p, *P = g->P;
	if (e->node) {
		id_add(l, "%s%s_oid", p, s);
		id_add(l, "%s%s_OID", P, S);
		id_add(l, "%s%s_OID_LEN", P, S);
		id_add(l, "%s%s_desc", p, s);
		if (e->syn && e->syn->n_ranges)
			id_add(l, "%s%s_%s", p, s,
			       e->syn->ranges_are_sizes ? "sizes" : "ranges");
		if (e->get) {
			id_add(l, "%s%s_get", p, s);
			id_add(l, "%s%s_get_init", p, s);
		}
		if (e->value)
			id_add(l, "%s%s_value", p, s);
		if (e->set)
			setter_ids(g, e, s, l);
		if (e->node->kind == MODEL_NODE_ROW) {
			id_add(l, "%s%s", p, s); /* struct tag */
			id_add(l, "%s%s_index", p, s);
			id_add(l, "%s%s_index_values", p, s);
			id_add(l, "%s%s_index_decode", p, s);
			id_add(l, "%s%s_columns", p, s);
			id_add(l, "%s%s_column", p, s);
			id_add(l, "%s%s_N_COLUMNS", P, S);
			id_add(l, "%s%s_has", p, s);
			if (e->walk)
				id_add(l, "%s%s_walk", p, s);
			if (e->get_row)
				id_add(l, "%s%s_get_row", p, s);
			if (e->joined_base >= 0)
				id_add(l, "%s%s_walk_joined", p, s);
		}
		if (e->n_member_refs)
			id_add(l, "%s%s_members", p, s);
	} else {
		id_add(l, "%s%s_typedesc", p, s);
		if (e->syn && e->syn->n_ranges)
			id_add(l, "%s%s_typedesc_%s", p, s,
			       e->syn->ranges_are_sizes ? "sizes" : "ranges");
	}
	if (e->syn && e->syn->n_named && !e->names_ref)
		id_add(l, "%s%s_names", p, s);
	if (e->own_enum) {
		id_add(l, "%s%s", p, s);
		id_add(l, "%s%s_name", p, s);
		if (e->vc == V_BITS) {
			id_add(l, "%s%s_test", p, s);
			id_add(l, "%s%s_set", p, s);
			id_add(l, "%s%s_clear", p, s);
		}
	}
	if (e->has_len && e->node) {
		id_add(l, "%s%s_MIN_LEN", P, S);
		id_add(l, "%s%s_MAX_LEN", P, S);
	}
}

/* Unique upper-case suffixes for a list of SMI names within one entity,
 * avoiding `taken` suffixes ("OID", "MAX_LEN"...). */
static char **label_suffixes(struct gen *g, const struct ent *e,
			     const char *const *smi, size_t n,
			     const char *what)
{
	char **r = xcalloc(n ? n : 1, sizeof(*r));
	struct names_map *seen = names_map_new();
	static const char *const taken[] = {"OID", "OID_LEN", "MIN_LEN",
					    "MAX_LEN", "N_COLUMNS"};
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		names_map_add(seen, taken[i], -2);
	for (size_t i = 0; i < n; i++) {
		char *sn = names_snake(smi[i]);
		char *up = names_upper(sn);
		free(sn);
		char *cand = xstrdup(up);
		for (int k = 2; names_map_get(seen, cand) != -1; k++) {
			free(cand);
			cand = xasprintf("%s_%d", up, k);
		}
		if (strcmp(cand, up) != 0)
			warn(g, e->line,
			     "C identifier clash: %s %s of %s maps to %s%s_%s, "
			     "already used; it is %s%s_%s in C",
			     what, smi[i], e->smi, g->P, e->S, up, g->P, e->S,
			     cand);
		names_map_add(seen, cand, (long)i);
		free(up);
		r[i] = cand;
	}
	names_map_free(seen);
	return r;
}

static const char *owner_what(const struct gen *g, long owner)
{
	if (owner < 0)
		return "mibc";
	if ((size_t)owner < g->n_types)
		return g->types[owner].smi;
	return g->nodes[(size_t)owner - g->n_types].smi;
}

static int owner_line(const struct gen *g, long owner)
{
	if (owner < 0)
		return 0;
	if ((size_t)owner < g->n_types)
		return g->types[owner].line;
	return g->nodes[(size_t)owner - g->n_types].line;
}

/* Picks the entity's stem: its SMI name's, or with _2, _3... when one of
 * its identifiers is taken; then registers its identifiers. */
static void name_entity(struct gen *g, struct ent *e, long owner)
{
	char *base = names_snake(e->smi);
	long first_clash = -1;
	char *first_id = NULL;
	struct idlist l = {0};
	for (int k = 1;; k++) {
		char *s = k == 1 ? xstrdup(base) : xasprintf("%s_%d", base, k);
		char *S = names_upper(s);
		id_clear(&l);
		ent_ids(g, e, s, S, &l);
		if (e->own_enum)
			for (size_t i = 0; i < e->syn->n_named; i++)
				id_add(&l, "%s%s_%s", g->P, S, e->labels[i]);
		for (size_t i = 0; i < e->n_cols; i++)
			id_add(&l, "%s%s_%s", g->P, S, e->col_consts[i]);
		long clash = -1;
		for (size_t i = 0; i < l.n && clash == -1; i++) {
			long o = names_map_get(g->ids, id_at(&l, i));
			if (o != -1 && o != owner) {
				clash = o;
				if (k == 1) {
					first_clash = o;
					first_id = xstrdup(id_at(&l, i));
				}
			}
		}
		if (clash == -1) {
			for (size_t i = 0; i < l.n; i++)
				names_map_add(g->ids, id_at(&l, i), owner);
			id_free(&l);
			if (k > 1) {
				int ol = owner_line(g, first_clash);
				char at[32] = "";
				if (ol > 0)
					snprintf(at, sizeof(at), " (line %d)", ol);
				warn(g, e->line, "C identifier clash: %s and %s%s "
				     "both map to %s; %s is named %s%s in C",
				     e->smi, owner_what(g, first_clash), at,
				     first_id, e->smi, g->p, s);
			}
			free(first_id);
			e->s = s;
			e->S = S;
			free(base);
			return;
		}
		free(s);
		free(S);
	}
}

/* ---- building --------------------------------------------------------- */

static int cmp_node_ptr(const void *pa, const void *pb)
{
	const struct model_node *a = *(const struct model_node *const *)pa;
	const struct model_node *b = *(const struct model_node *const *)pb;
	size_t n = a->oid_len < b->oid_len ? a->oid_len : b->oid_len;
	for (size_t i = 0; i < n; i++)
		if (a->oid[i] != b->oid[i])
			return a->oid[i] < b->oid[i] ? -1 : 1;
	if (a->oid_len != b->oid_len)
		return a->oid_len < b->oid_len ? -1 : 1;
	return strcmp(a->name, b->name);
}

static bool readable(enum model_access a)
{
	return a == MODEL_ACCESS_READ_ONLY || a == MODEL_ACCESS_READ_WRITE ||
	       a == MODEL_ACCESS_READ_CREATE;
}

/* The enum type values of `e` come back as (own, a local type's, or an
 * imported TC's); NULL when none. */
static void pick_enum(struct gen *g, struct ent *e)
{
	const struct model_syntax *s = e->syn;
	if (!s || (e->vc != V_ENUM && e->vc != V_BITS) || s->n_named == 0)
		return;
	if (e->type) {
		e->own_enum = true;
		return;
	}
	const struct model_ref *t = &s->type;
	if (!t->name || (t->module && is_smi_module(t->module))) {
		e->own_enum = true;
		return;
	}
	if (is_local(g, t)) {
		const struct ent *te = find_type(g, t->name);
		if (te && te->own_enum && te->vc == e->vc)
			return; /* enum_tag set once types are named */
		e->own_enum = true;
		return;
	}
	/* An imported TC: its module's output defines the enum. */
	if (e->vc == V_ENUM) {
		char *fp = names_module_prefix(t->module);
		char *fs = names_snake(t->name);
		e->enum_tag = xasprintf("%s_%s", fp, fs);
		free(fp);
		free(fs);
	}
}

/* Objects whose named numbers are inherited from a type (ifType's from
 * IANAifType) point to that type's table instead of copying it. */
static void pick_names(struct gen *g, struct ent *e)
{
	const struct model_syntax *s = e->syn;
	if (e->type || !s || !s->n_named || s->own_named)
		return;
	const struct model_ref *t = &s->type;
	if (!t->name || (t->module && is_smi_module(t->module)))
		return;
	if (is_local(g, t)) {
		long ti = names_map_get(g->type_by_name, t->name);
		if (ti >= 0 && g->types[ti].syn &&
		    g->types[ti].syn->n_named == s->n_named)
			e->names_ref = xasprintf("@%ld", ti);
		return;
	}
	char *fp = names_module_prefix(t->module);
	char *fs = names_snake(t->name);
	e->names_ref = xasprintf("%s_%s_names", fp, fs);
	free(fp);
	free(fs);
	add_unique(&g->c_includes, &g->n_c_includes, t->module);
}

/* Names generated functions and structs use besides the parameters and
 * members made from MIB names: such a name gets a trailing '_'. */
static bool reserved_local(const char *s)
{
	static const char *const reserved[] = {
		"client", "target", "req", "cb", "value", "row", "column", "mibc_ix",
		"mibc_n", "mibc_get", "mibc_get_init", "mibc_get_cb", "mibc_index_put_int32",
		"value_len", "mibc_v", "mibc_rc", "mibc_set", "mibc_set_init",
		"mibc_set_send", "mibc_set_cb", "mibc_set_init_row_status",
		"mibc_index_put_uint32", "mibc_index_put_octets",
		"mibc_index_put_oid", "mibc_present", "mibc_present_test",
		"size_t", "int8_t", "uint8_t", "int32_t", "uint32_t", "int64_t",
		"uint64_t",
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(reserved[i], s) == 0)
			return true;
	return false;
}

/* Octets or sub-identifiers an index element can hold once decoded: its
 * SIZE, but never more than fits in an instance OID after the row's OID,
 * the column sub-identifier and the length. */
static size_t index_capacity(const struct model_node *row,
			     const struct idx *x)
{
	if (x->cls == I_FIXED)
		return x->fixed;
	if (x->cls != I_OCTETS && x->cls != I_OID)
		return 0;
	size_t used = row->oid_len + 1 + (x->el->implied ? 0 : 1);
	size_t cap = used < OID_MAX_LEN ? OID_MAX_LEN - used : 1;
	const struct model_syntax *s = x->el->syntax;
	if (x->cls == I_OCTETS && s->ranges_are_sizes && s->n_ranges > 0) {
		int64_t hi = 0;
		for (size_t i = 0; i < s->n_ranges; i++)
			if (s->ranges[i].max > hi)
				hi = s->ranges[i].max;
		if ((uint64_t)hi < cap)
			cap = (size_t)hi;
	}
	return cap ? cap : 1;
}

static void index_of_row(struct gen *g, struct ent *row)
{
	const struct model_node *n = row->node;
	row->n_idx = n->n_index;
	row->idx = xcalloc(n->n_index ? n->n_index : 1, sizeof(*row->idx));
	row->idx_ok = true;
	row->idx_typed = true;
	struct names_map *params = names_map_new();
	for (size_t i = 0; i < n->n_index; i++) {
		struct idx *x = &row->idx[i];
		const struct model_index_element *el = &n->index[i];
		x->el = el;
		x->desc_ref = desc_ref(g, &el->object);
		if (!x->desc_ref) {
			warn(g, n->line, "index object %s%s%s of %s is not "
			     "defined: no index table for %s",
			     el->object.module ? el->object.module : "",
			     el->object.module ? "::" : "",
			     el->object.name ? el->object.name : "?", n->name,
			     n->name);
			row->idx_ok = false;
		}
		const struct model_syntax *s = el->syntax;
		x->cls = I_BAD;
		if (s) {
			switch (s->base) {
			case MODEL_BASE_INTEGER32:
			case MODEL_BASE_ENUM:
				x->cls = I_INT32;
				break;
			case MODEL_BASE_UNSIGNED32:
				x->cls = I_UINT32;
				break;
			case MODEL_BASE_OCTET_STRING:
			case MODEL_BASE_BITS:
				if (s->wire == MODEL_WIRE_IPADDRESS) {
					x->cls = I_IPADDR;
					x->fixed = 4;
				} else if (s->ranges_are_sizes && s->n_ranges == 1
					   && s->ranges[0].min == s->ranges[0].max
					   && s->ranges[0].min > 0
					   && s->ranges[0].min <= 255) {
					x->cls = I_FIXED;
					x->fixed = (size_t)s->ranges[0].min;
				} else {
					x->cls = I_OCTETS;
					x->text = s->base == MODEL_BASE_OCTET_STRING
						  && is_text_type(s);
				}
				break;
			case MODEL_BASE_OBJECT_IDENTIFIER:
				x->cls = I_OID;
				break;
			default:
				break;
			}
		}
		if (x->cls == I_BAD) {
			row->idx_typed = false;
			continue;
		}
		x->capacity = index_capacity(n, x);
		char *base = names_local(el->object.name ? el->object.name : "index");
		if (reserved_local(base)) {
			char *t = xasprintf("%s_", base);
			free(base);
			base = t;
		}
		for (int k = 1;; k++) {
			char *cand = k == 1 ? xstrdup(base)
					    : xasprintf("%s_%d", base, k);
			char *cand_len = xasprintf("%s_len", cand);
			bool need_len = x->cls == I_OCTETS || x->cls == I_OID;
			if (names_map_get(params, cand) == -1 &&
			    (!need_len || names_map_get(params, cand_len) == -1)) {
				names_map_add(params, cand, (long)i);
				if (need_len) {
					names_map_add(params, cand_len, (long)i);
					x->param_len = cand_len;
				} else {
					free(cand_len);
				}
				x->param = cand;
				break;
			}
			free(cand);
			free(cand_len);
		}
		free(base);
	}
	names_map_free(params);
	if (!row->idx_ok)
		row->idx_typed = false;
}

static void storage_of(struct ent *e)
{
	switch (e->vc) {
	case V_INT32:
	case V_ENUM:
		e->storage = ST_INT32;
		break;
	case V_UINT32:
		e->storage = ST_UINT32;
		break;
	case V_INT64:
		e->storage = ST_INT64;
		break;
	case V_UINT64:
		e->storage = ST_UINT64;
		break;
	case V_IPADDR:
		e->storage = ST_IPADDR;
		break;
	case V_OCTETS:
	case V_STRING:
	case V_BITS:
		if (e->len_bounded && e->max_len <= INLINE_OCTETS_MAX) {
			e->storage = ST_INLINE;
			e->capacity = e->max_len ? (size_t)e->max_len : 1;
		} else {
			e->storage = ST_OCTETS;
		}
		break;
	case V_OID:
		e->storage = ST_OID;
		break;
	case V_NONE:
		e->storage = ST_OCTETS;
		break;
	}
}

/* ---- --select ---------------------------------------------------------- */

static bool oid_prefix(const uint32_t *pre, size_t pre_len, const uint32_t *oid,
		       size_t len)
{
	if (pre_len > len)
		return false;
	for (size_t i = 0; i < pre_len; i++)
		if (pre[i] != oid[i])
			return false;
	return true;
}

/* "1.3.6.1" -> sub-ids; false when not a dotted OID. */
static bool parse_oid(const char *s, uint32_t *oid, size_t *len)
{
	size_t n = 0;
	const char *p = s;
	if (*p == '.')
		p++;
	while (*p) {
		if (*p < '0' || *p > '9' || n == MODEL_OID_MAX)
			return false;
		uint64_t v = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (uint64_t)(*p - '0');
			if (v > UINT32_MAX)
				return false;
			p++;
		}
		oid[n++] = (uint32_t)v;
		if (*p == '.')
			p++;
		else if (*p)
			return false;
	}
	*len = n;
	return n > 0;
}

struct selection {
	const struct model_node **nodes; /* sorted by OID */
	size_t n;
	struct names_map *by_name;
	bool *keep;
};

static long sel_find(const struct selection *sel, const struct gen *g,
		     const struct model_ref *r)
{
	if (!r->name || !is_local(g, r))
		return -1;
	return names_map_get(sel->by_name, r->name);
}

static void sel_subtree(struct selection *sel, size_t i)
{
	const struct model_node *root = sel->nodes[i];
	for (size_t k = i; k < sel->n; k++) {
		if (!oid_prefix(root->oid, root->oid_len, sel->nodes[k]->oid,
				sel->nodes[k]->oid_len))
			break;
		sel->keep[k] = true;
	}
	/* aliases sorting before it */
	sel->keep[i] = true;
}

static void sel_group(struct selection *sel, const struct gen *g, long gi)
{
	const struct model_node *grp = sel->nodes[gi];
	sel->keep[gi] = true;
	for (size_t k = 0; k < grp->n_members; k++) {
		long i = sel_find(sel, g, &grp->members[k]);
		if (i >= 0)
			sel_subtree(sel, (size_t)i);
	}
}

/* Marks what one selector names; false when nothing here. */
static bool sel_apply(struct selection *sel, const struct gen *g,
		      const char *selector)
{
	const char *name = selector;
	const char *colons = strstr(selector, "::");
	if (colons) {
		size_t ml = (size_t)(colons - selector);
		if (strlen(g->m->name) != ml ||
		    strncmp(g->m->name, selector, ml) != 0)
			return false;
		name = colons + 2;
	}
	uint32_t oid[MODEL_OID_MAX];
	size_t len = 0;
	if (parse_oid(name, oid, &len)) {
		bool any = false;
		long within = -1;
		for (size_t i = 0; i < sel->n; i++) {
			const struct model_node *nd = sel->nodes[i];
			if (oid_prefix(oid, len, nd->oid, nd->oid_len)) {
				sel->keep[i] = true;
				any = true;
			} else if (oid_prefix(nd->oid, nd->oid_len, oid, len) &&
				   (nd->kind == MODEL_NODE_SCALAR ||
				    nd->kind == MODEL_NODE_COLUMN)) {
				within = (long)i;
			}
		}
		if (!any && within >= 0) {
			sel->keep[within] = true;
			any = true;
		}
		return any;
	}
	long i = names_map_get(sel->by_name, name);
	if (i < 0)
		return false;
	const struct model_node *nd = sel->nodes[i];
	if (nd->kind == MODEL_NODE_GROUP) {
		sel_group(sel, g, i);
	} else if (nd->kind == MODEL_NODE_COMPLIANCE) {
		sel->keep[i] = true;
		for (int pass = 0; pass < 2; pass++) {
			const struct model_ref *refs = pass ? nd->optional : nd->members;
			size_t n = pass ? nd->n_optional : nd->n_members;
			for (size_t k = 0; k < n; k++) {
				long gi = sel_find(sel, g, &refs[k]);
				if (gi >= 0 && sel->nodes[gi]->kind == MODEL_NODE_GROUP)
					sel_group(sel, g, gi);
			}
		}
	} else {
		sel_subtree(sel, (size_t)i);
	}
	return true;
}

/* What kept nodes need: columns their row and table, rows their index
 * objects and related row, notifications their objects. */
static void sel_close(struct selection *sel, const struct gen *g)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < sel->n; i++) {
			if (!sel->keep[i])
				continue;
			const struct model_node *nd = sel->nodes[i];
			long need[4 + MODEL_OID_MAX];
			size_t n_need = 0;
			if (nd->kind == MODEL_NODE_COLUMN || nd->kind == MODEL_NODE_ROW) {
				struct model_ref r = {NULL, nd->parent};
				need[n_need++] = sel_find(sel, g, &r);
			}
			if (nd->kind == MODEL_NODE_ROW) {
				need[n_need++] = sel_find(sel, g, &nd->related);
				for (size_t k = 0; k < nd->n_index && n_need < 4 + MODEL_OID_MAX; k++)
					need[n_need++] = sel_find(sel, g, &nd->index[k].object);
			}
			for (size_t k = 0; k < n_need; k++)
				if (need[k] >= 0 && !sel->keep[need[k]]) {
					sel->keep[need[k]] = true;
					changed = true;
				}
			if (nd->kind == MODEL_NODE_NOTIFICATION)
				for (size_t k = 0; k < nd->n_members; k++) {
					long m = sel_find(sel, g, &nd->members[k]);
					if (m >= 0 && !sel->keep[m]) {
						sel->keep[m] = true;
						changed = true;
					}
				}
		}
	}
	for (size_t i = 0; i < sel->n; i++)
		if (sel->nodes[i]->kind == MODEL_NODE_MODULE_IDENTITY)
			sel->keep[i] = true;
}

/* Filters the sorted nodes in place; returns whether a selection applies
 * to this module. */
static bool select_nodes(struct gen *g, const struct model_node **nodes,
			 size_t *n)
{
	const char *const *sels = g->opt ? g->opt->select : NULL;
	if (!sels || !*sels)
		return false;
	struct selection sel = {
		.nodes = nodes,
		.n = *n,
		.by_name = names_map_new(),
		.keep = xcalloc(*n ? *n : 1, sizeof(bool)),
	};
	for (size_t i = 0; i < *n; i++)
		names_map_add(sel.by_name, nodes[i]->name, (long)i);
	bool any = false;
	for (const char *const *s = sels; *s; s++)
		if (sel_apply(&sel, g, *s))
			any = true;
	if (any) {
		sel_close(&sel, g);
		size_t k = 0;
		for (size_t i = 0; i < *n; i++)
			if (sel.keep[i])
				nodes[k++] = nodes[i];
		*n = k;
	}
	names_map_free(sel.by_name);
	free(sel.keep);
	return any;
}

/* Under a selection, the module's types that kept nodes use (and the
 * types those refine). */
static void select_types(struct gen *g)
{
	bool *keep = xcalloc(g->n_types ? g->n_types : 1, sizeof(bool));
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct model_node *nd = g->nodes[i].node;
		const struct model_ref *refs[1 + MODEL_OID_MAX];
		size_t n = 0;
		if (nd->syntax)
			refs[n++] = &nd->syntax->type;
		for (size_t k = 0; k < nd->n_index && n < 1 + MODEL_OID_MAX; k++)
			if (nd->index[k].syntax)
				refs[n++] = &nd->index[k].syntax->type;
		for (size_t k = 0; k < n; k++)
			if (refs[k]->name && is_local(g, refs[k])) {
				long t = names_map_get(g->type_by_name, refs[k]->name);
				if (t >= 0)
					keep[t] = true;
			}
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < g->n_types; i++) {
			const struct model_ref *pr = &g->types[i].type->parent;
			if (!keep[i] || !pr->name || !is_local(g, pr))
				continue;
			long t = names_map_get(g->type_by_name, pr->name);
			if (t >= 0 && !keep[t]) {
				keep[t] = true;
				changed = true;
			}
		}
	}
	size_t k = 0;
	names_map_free(g->type_by_name);
	g->type_by_name = names_map_new();
	for (size_t i = 0; i < g->n_types; i++) {
		if (!keep[i])
			continue;
		g->types[k] = g->types[i];
		names_map_add(g->type_by_name, g->types[k].smi, (long)k);
		k++;
	}
	g->n_types = k;
	free(keep);
}

static void fix_ref(const struct gen *g, char **ref)
{
	if (!*ref || (*ref)[0] != '@')
		return;
	long i = atol(*ref + 1);
	free(*ref);
	*ref = xasprintf("&%s%s_desc", g->p, g->nodes[i].s);
}

static void fix_refs(struct gen *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		for (size_t k = 0; k < e->n_idx; k++)
			fix_ref(g, &e->idx[k].desc_ref);
		fix_ref(g, &e->related_ref);
		if (e->names_ref && e->names_ref[0] == '@') {
			long ti = atol(e->names_ref + 1);
			free(e->names_ref);
			e->names_ref = xasprintf("%s%s_names", g->p, g->types[ti].s);
		}
		for (size_t k = 0; k < e->n_member_refs; k++)
			fix_ref(g, &e->member_refs[k]);
	}
}

static void build(struct gen *g, const struct model_module *m,
		  const struct emit_options *opt)
{
	memset(g, 0, sizeof(*g));
	g->m = m;
	g->opt = opt;
	char *pre = names_module_prefix(m->name);
	g->p = xasprintf("%s_", pre);
	g->P = names_upper(g->p);
	free(pre);
	g->file = names_file_base(m->name);
	char *fu = names_module_prefix(m->name);
	char *FU = names_upper(fu);
	g->guard = xasprintf("MIBC_GENERATED_%s_H", FU);
	free(fu);
	free(FU);
	g->type_by_name = names_map_new();
	g->node_by_name = names_map_new();
	g->ids = names_map_new();
	g->model_names = names_map_new();
	for (size_t i = 0; i < m->n_nodes; i++)
		if (m->nodes[i].name)
			names_map_add(g->model_names, m->nodes[i].name, (long)i);

	/* types, in declaration order */
	g->types = xcalloc(m->n_types ? m->n_types : 1, sizeof(*g->types));
	for (size_t i = 0; i < m->n_types; i++) {
		const struct model_typedef *t = &m->types[i];
		if (!t->name)
			continue;
		struct ent *e = &g->types[g->n_types];
		e->type = t;
		e->smi = t->name;
		e->line = t->line;
		e->syn = t->syntax;
		e->row = -1;
		e->table = -1;
		e->vc = classify(t->syntax);
		length_bounds(e);
		if (names_map_add(g->type_by_name, t->name, (long)g->n_types)
		    != (long)g->n_types)
			continue; /* a duplicate: the first one counts */
		g->n_types++;
	}

	/* nodes, sorted by OID */
	const struct model_node **sorted =
		xcalloc(m->n_nodes ? m->n_nodes : 1, sizeof(*sorted));
	size_t n = 0;
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct model_node *nd = &m->nodes[i];
		if (!nd->name)
			continue;
		if (nd->oid_len == 0 || nd->oid_len > MODEL_OID_MAX) {
			warn(g, nd->line, "%s has no OID: left out", nd->name);
			continue;
		}
		sorted[n++] = nd;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_node_ptr);
	bool selected = select_nodes(g, sorted, &n);
	g->nodes = xcalloc(n ? n : 1, sizeof(*g->nodes));
	for (size_t i = 0; i < n; i++) {
		const struct model_node *nd = sorted[i];
		if (names_map_add(g->node_by_name, nd->name, (long)g->n_nodes)
		    != (long)g->n_nodes) {
			warn(g, nd->line, "%s is defined twice: the second "
			     "definition is left out", nd->name);
			continue;
		}
		struct ent *e = &g->nodes[g->n_nodes++];
		e->node = nd;
		e->smi = nd->name;
		e->line = nd->line;
		e->row = -1;
		e->table = -1;
		if (nd->kind == MODEL_NODE_SCALAR || nd->kind == MODEL_NODE_COLUMN) {
			e->syn = nd->syntax;
			e->vc = classify(nd->syntax);
			length_bounds(e);
			storage_of(e);
		}
	}
	free(sorted);
	if (selected)
		select_types(g);

	/* enums: types first, so nodes can use local TCs' */
	for (size_t i = 0; i < g->n_types; i++)
		pick_enum(g, &g->types[i]);
	for (size_t i = 0; i < g->n_nodes; i++) {
		pick_enum(g, &g->nodes[i]);
		pick_names(g, &g->nodes[i]);
	}

	/* rows: columns, index, related; tables */
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		const struct model_node *nd = e->node;
		if (nd->kind == MODEL_NODE_COLUMN) {
			long r = find_node(g, nd->parent);
			if (r >= 0 && g->nodes[r].node->kind == MODEL_NODE_ROW) {
				struct ent *row = &g->nodes[r];
				e->row = r;
				e->col_pos = row->n_cols;
				row->cols = xreallocarray(row->cols, row->n_cols + 1,
							  sizeof(*row->cols));
				row->cols[row->n_cols++] = (long)i;
			} else {
				warn(g, nd->line, "column %s has no row", nd->name);
			}
		} else if (nd->kind == MODEL_NODE_ROW) {
			long t = find_node(g, nd->parent);
			if (t >= 0 && g->nodes[t].node->kind == MODEL_NODE_TABLE) {
				e->table = t;
				g->nodes[t].table = (long)i;
			}
		}
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		const struct model_node *nd = e->node;
		if (nd->kind == MODEL_NODE_ROW) {
			index_of_row(g, e);
			if (nd->related.name && nd->index_kind != MODEL_INDEX_INDEX)
				e->related_ref = desc_ref(g, &nd->related);
			/* column constants and members */
			const char **names = xcalloc(e->n_cols ? e->n_cols : 1,
						     sizeof(*names));
			for (size_t c = 0; c < e->n_cols; c++)
				names[c] = g->nodes[e->cols[c]].smi;
			e->col_consts = label_suffixes(g, e, names, e->n_cols,
						       "column");
			free(names);
			struct names_map *members = names_map_new();
			names_map_add(members, "mibc_present", -2);
			names_map_add(members, "mibc_index", -2);
			for (size_t c = 0; c < e->n_cols; c++) {
				struct ent *col = &g->nodes[e->cols[c]];
				char *base = names_local(col->smi);
				if (reserved_local(base)) {
					char *t = xasprintf("%s_", base);
					free(base);
					base = t;
				}
				char *cand = xstrdup(base);
				for (int k = 2; names_map_get(members, cand) != -1; k++) {
					free(cand);
					cand = xasprintf("%s_%d", base, k);
				}
				names_map_add(members, cand, (long)c);
				col->member = cand;
				free(base);
			}
			names_map_free(members);
		}
		if ((nd->kind == MODEL_NODE_NOTIFICATION ||
		     nd->kind == MODEL_NODE_GROUP) && nd->n_members) {
			e->member_refs = xcalloc(nd->n_members, sizeof(char *));
			for (size_t k = 0; k < nd->n_members; k++) {
				char *ref = desc_ref(g, &nd->members[k]);
				if (!ref && nd->members[k].name &&
				    is_local(g, &nd->members[k]) &&
				    names_map_get(g->model_names,
						  nd->members[k].name) >= 0)
					continue; /* not selected */
				if (!ref) {
					warn(g, nd->line, "%s of %s is not defined: "
					     "left out of its list",
					     nd->members[k].name
						     ? nd->members[k].name : "?",
					     nd->name);
					continue;
				}
				e->member_refs[e->n_member_refs++] = ref;
			}
		}
	}
	/* typed accessors */
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		const struct model_node *nd = e->node;
		if (nd->kind != MODEL_NODE_SCALAR && nd->kind != MODEL_NODE_COLUMN)
			continue;
		e->value = e->vc != V_NONE && e->vc != V_INT64;
		if (!readable(nd->access))
			continue;
		if (nd->kind == MODEL_NODE_SCALAR)
			e->get = true;
		else if (e->row >= 0 && g->nodes[e->row].idx_typed &&
			 g->nodes[e->row].n_idx > 0)
			e->get = true;
		if (e->row >= 0) {
			struct ent *row = &g->nodes[e->row];
			row->walk = true;
			row->get_row = row->idx_typed && row->n_idx > 0;
		}
	}
	/* rows walked joined with the row they AUGMENT (same module) */
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct ent *e = &g->nodes[i];
		const struct model_node *nd = e->node;
		e->joined_base = -1;
		if (nd->kind != MODEL_NODE_ROW || !e->walk
		    || nd->index_kind != MODEL_INDEX_AUGMENTS || !nd->related.name
		    || !is_local(g, &nd->related))
			continue;
		long b = find_node(g, nd->related.name);
		if (b >= 0 && g->nodes[b].walk)
			e->joined_base = b;
	}
	mark_setters(g);

	/* labels of own enums */
	for (size_t pass = 0; pass < 2; pass++) {
		struct ent *list = pass ? g->nodes : g->types;
		size_t count = pass ? g->n_nodes : g->n_types;
		for (size_t i = 0; i < count; i++) {
			struct ent *e = &list[i];
			if (!e->own_enum)
				continue;
			const char **names = xcalloc(e->syn->n_named,
						     sizeof(*names));
			for (size_t k = 0; k < e->syn->n_named; k++)
				names[k] = e->syn->named[k].name
					   ? e->syn->named[k].name : "x";
			e->labels = label_suffixes(g, e, names, e->syn->n_named,
						   e->vc == V_BITS ? "bit"
								   : "label");
			free(names);
		}
	}

	/* names: module-level first, then types, then nodes */
	static const char *const module_ids[] = {
		"module", "nodes", "nodes_by_name", "objects", "notifications",
		"types",
	};
	for (size_t i = 0; i < sizeof(module_ids) / sizeof(module_ids[0]); i++) {
		char *id = xasprintf("%s%s", g->p, module_ids[i]);
		names_map_add(g->ids, id, -1);
		free(id);
	}
	static const char *const module_macros[] = {"LAST_UPDATED",
						    "SOURCE_SHA256"};
	for (size_t i = 0; i < 2; i++) {
		char *id = xasprintf("%s%s", g->P, module_macros[i]);
		names_map_add(g->ids, id, -1);
		free(id);
	}
	for (size_t i = 0; i < g->n_types; i++)
		name_entity(g, &g->types[i], (long)i);
	for (size_t i = 0; i < g->n_nodes; i++)
		name_entity(g, &g->nodes[i], (long)(g->n_types + i));

	fix_refs(g);

	/* enum tags */
	for (size_t pass = 0; pass < 2; pass++) {
		struct ent *list = pass ? g->nodes : g->types;
		size_t count = pass ? g->n_nodes : g->n_types;
		for (size_t i = 0; i < count; i++) {
			struct ent *e = &list[i];
			if (e->own_enum) {
				e->enum_tag = xasprintf("%s%s", g->p, e->s);
			} else if (!e->enum_tag && e->syn && e->vc == V_ENUM &&
				   e->syn->type.name && is_local(g, &e->syn->type)) {
				const struct ent *te = find_type(g, e->syn->type.name);
				if (te && te->own_enum)
					e->enum_tag = xasprintf("%s%s", g->p, te->s);
			}
			if (e->node && e->value && e->vc == V_ENUM && e->enum_tag &&
			    !e->own_enum && e->syn->type.module &&
			    !is_local(g, &e->syn->type))
				add_unique(&g->h_includes, &g->n_h_includes,
					   e->syn->type.module);
		}
	}

	/* includes: sorted, without this module */
	for (int pass = 0; pass < 2; pass++) {
		char ***list = pass ? &g->c_includes : &g->h_includes;
		size_t *count = pass ? &g->n_c_includes : &g->n_h_includes;
		size_t k = 0;
		for (size_t i = 0; i < *count; i++) {
			if (strcmp((*list)[i], m->name) == 0 ||
			    (pass && in_list(g->h_includes, g->n_h_includes,
					     (*list)[i]))) {
				free((*list)[i]);
				continue;
			}
			(*list)[k++] = (*list)[i];
		}
		*count = k;
		if (k > 1)
			qsort(*list, k, sizeof(**list), cmp_str);
	}
}

static void free_ent(struct ent *e)
{
	free(e->s);
	free(e->S);
	free(e->enum_tag);
	free(e->names_ref);
	if (e->labels && e->syn)
		for (size_t i = 0; i < e->syn->n_named; i++)
			free(e->labels[i]);
	free(e->labels);
	free(e->member);
	free(e->cols);
	if (e->col_consts)
		for (size_t i = 0; i < e->n_cols; i++)
			free(e->col_consts[i]);
	free(e->col_consts);
	for (size_t i = 0; i < e->n_idx; i++) {
		free(e->idx[i].desc_ref);
		free(e->idx[i].param);
		free(e->idx[i].param_len);
	}
	free(e->idx);
	free(e->related_ref);
	for (size_t i = 0; i < e->n_member_refs; i++)
		free(e->member_refs[i]);
	free(e->member_refs);
}

static void gen_free(struct gen *g)
{
	textbuf_free(&g->text);
	for (size_t i = 0; i < g->n_types; i++)
		free_ent(&g->types[i]);
	for (size_t i = 0; i < g->n_nodes; i++)
		free_ent(&g->nodes[i]);
	free(g->types);
	free(g->nodes);
	for (size_t i = 0; i < g->n_h_includes; i++)
		free(g->h_includes[i]);
	free(g->h_includes);
	for (size_t i = 0; i < g->n_c_includes; i++)
		free(g->c_includes[i]);
	free(g->c_includes);
	for (size_t i = 0; i < g->n_warnings; i++)
		free(g->warnings[i]);
	free(g->warnings);
	names_map_free(g->type_by_name);
	names_map_free(g->node_by_name);
	names_map_free(g->ids);
	names_map_free(g->model_names);
	free(g->p);
	free(g->P);
	free(g->file);
	free(g->guard);
}

/* ---- text for comments ------------------------------------------------ */

static const char *kind_words(enum model_node_kind k)
{
	switch (k) {
	case MODEL_NODE_NODE: return "node";
	case MODEL_NODE_OBJECT_IDENTITY: return "object identity";
	case MODEL_NODE_MODULE_IDENTITY: return "module identity";
	case MODEL_NODE_SCALAR: return "scalar";
	case MODEL_NODE_TABLE: return "table";
	case MODEL_NODE_ROW: return "row";
	case MODEL_NODE_COLUMN: return "column";
	case MODEL_NODE_NOTIFICATION: return "notification";
	case MODEL_NODE_GROUP: return "group";
	case MODEL_NODE_COMPLIANCE: return "compliance";
	case MODEL_NODE_CAPABILITIES: return "capabilities";
	}
	return "node";
}

/* A growing string (t.p: NULL until something is added). */
struct str {
	struct textbuf t;
};

static void str_add(struct str *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void str_add(struct str *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	textbuf_vprintf(&b->t, fmt, ap);
	va_end(ap);
}

static void range_text(struct str *b, const struct model_syntax *s)
{
	if (!s->n_ranges)
		return;
	bool u64 = s->base == MODEL_BASE_UNSIGNED64;
	str_add(b, s->ranges_are_sizes ? " (SIZE (" : " (");
	for (size_t i = 0; i < s->n_ranges; i++) {
		const struct model_range *r = &s->ranges[i];
		if (i)
			str_add(b, " | ");
		if (u64)
			str_add(b, "%" PRIu64, (uint64_t)r->min);
		else
			str_add(b, "%" PRId64, r->min);
		if (r->min != r->max) {
			if (u64)
				str_add(b, "..%" PRIu64, (uint64_t)r->max);
			else
				str_add(b, "..%" PRId64, r->max);
		}
	}
	str_add(b, s->ranges_are_sizes ? "))" : ")");
}

static void named_text(struct str *b, const struct model_syntax *s)
{
	if (!s->n_named)
		return;
	str_add(b, " {");
	for (size_t i = 0; i < s->n_named && i < 8; i++)
		str_add(b, "%s %s(%" PRId64 ")", i ? "," : "",
			s->named[i].name ? s->named[i].name : "?",
			s->named[i].value);
	if (s->n_named > 8)
		str_add(b, ", ...");
	str_add(b, " }");
}

/* "DisplayString (SIZE (0..255))" */
static void syntax_text(struct str *b, const struct model_syntax *s,
			const char *type_name)
{
	const char *name = type_name;
	if (!name)
		name = s->type.name;
	if (!name)
		name = s->base_name;
	if (!name)
		name = model_base_name(s->base);
	str_add(b, "%s", name);
	named_text(b, s);
	range_text(b, s);
}

static char *node_summary(const struct gen *g, const struct ent *e)
{
	const struct model_node *nd = e->node;
	struct str b = {0};
	char *oid = model_oid_text(nd->oid, nd->oid_len);
	str_add(&b, "%s::%s %s: %s", g->m->name, nd->name, oid,
		kind_words(nd->kind));
	free(oid);
	if (nd->kind == MODEL_NODE_COLUMN && nd->parent)
		str_add(&b, " of %s", nd->parent);
	if (nd->kind == MODEL_NODE_ROW && nd->n_index) {
		const char *how = nd->index_kind == MODEL_INDEX_AUGMENTS
				  ? "AUGMENTS" : nd->index_kind == MODEL_INDEX_EXPANDS
				  ? "EXPANDS" : NULL;
		if (how && nd->related.name)
			str_add(&b, ", %s { %s }", how, nd->related.name);
		str_add(&b, ", INDEX {");
		for (size_t i = 0; i < nd->n_index; i++)
			str_add(&b, "%s %s%s", i ? "," : "",
				nd->index[i].implied ? "IMPLIED " : "",
				nd->index[i].object.name ? nd->index[i].object.name
							 : "?");
		str_add(&b, " }");
	}
	if (e->syn) {
		str_add(&b, ", ");
		syntax_text(&b, e->syn, NULL);
	}
	if (nd->units)
		str_add(&b, ", UNITS \"%s\"", nd->units);
	if (nd->kind == MODEL_NODE_SCALAR || nd->kind == MODEL_NODE_COLUMN)
		str_add(&b, ", %s", model_access_name(nd->access));
	if (nd->status != MODEL_STATUS_CURRENT &&
	    nd->status != MODEL_STATUS_UNKNOWN &&
	    nd->status != MODEL_STATUS_MANDATORY)
		str_add(&b, ", %s", model_status_name(nd->status));
	if (nd->default_value)
		str_add(&b, ", DEFVAL %s", nd->default_value);
	if (nd->n_members && (nd->kind == MODEL_NODE_NOTIFICATION ||
			      nd->kind == MODEL_NODE_GROUP)) {
		str_add(&b, ", %s {", nd->kind == MODEL_NODE_GROUP ? "OBJECTS"
								 : "OBJECTS");
		for (size_t i = 0; i < nd->n_members; i++)
			str_add(&b, "%s %s", i ? "," : "",
				nd->members[i].name ? nd->members[i].name : "?");
		str_add(&b, " }");
	}
	return b.t.p;
}

/* With --generate-mib-texts: DESCRIPTION, then REFERENCE; malloc'd or
 * NULL. */
static char *texts(const struct gen *g, const char *description,
		   const char *reference)
{
	if (!g->opt || !g->opt->generate_texts)
		return NULL;
	bool d = description && *description, r = reference && *reference;
	if (d && r)
		return xasprintf("%s\n\nREFERENCE: %s", description, reference);
	if (d)
		return xstrdup(description);
	if (r)
		return xasprintf("REFERENCE: %s", reference);
	return NULL;
}

/* ---- C spellings of the descriptor enums ------------------------------- */

static const char *c_kind(enum model_node_kind k)
{
	switch (k) {
	case MODEL_NODE_NODE: return "MIBC_KIND_NODE";
	case MODEL_NODE_OBJECT_IDENTITY: return "MIBC_KIND_OBJECT_IDENTITY";
	case MODEL_NODE_MODULE_IDENTITY: return "MIBC_KIND_MODULE_IDENTITY";
	case MODEL_NODE_SCALAR: return "MIBC_KIND_SCALAR";
	case MODEL_NODE_TABLE: return "MIBC_KIND_TABLE";
	case MODEL_NODE_ROW: return "MIBC_KIND_ROW";
	case MODEL_NODE_COLUMN: return "MIBC_KIND_COLUMN";
	case MODEL_NODE_NOTIFICATION: return "MIBC_KIND_NOTIFICATION";
	case MODEL_NODE_GROUP: return "MIBC_KIND_GROUP";
	case MODEL_NODE_COMPLIANCE: return "MIBC_KIND_COMPLIANCE";
	case MODEL_NODE_CAPABILITIES: return "MIBC_KIND_CAPABILITIES";
	}
	return "MIBC_KIND_NODE";
}

static const char *c_type(enum model_base b)
{
	switch (b) {
	case MODEL_BASE_UNKNOWN: return NULL;
	case MODEL_BASE_INTEGER32: return "MIBC_TYPE_INTEGER32";
	case MODEL_BASE_UNSIGNED32: return "MIBC_TYPE_UNSIGNED32";
	case MODEL_BASE_INTEGER64: return "MIBC_TYPE_INTEGER64";
	case MODEL_BASE_UNSIGNED64: return "MIBC_TYPE_UNSIGNED64";
	case MODEL_BASE_OCTET_STRING: return "MIBC_TYPE_OCTET_STRING";
	case MODEL_BASE_OBJECT_IDENTIFIER: return "MIBC_TYPE_OBJECT_IDENTIFIER";
	case MODEL_BASE_ENUM: return "MIBC_TYPE_ENUM";
	case MODEL_BASE_BITS: return "MIBC_TYPE_BITS";
	case MODEL_BASE_FLOAT: return "MIBC_TYPE_FLOAT";
	}
	return NULL;
}

static const char *c_wire(enum model_wire w)
{
	switch (w) {
	case MODEL_WIRE_NONE: return NULL;
	case MODEL_WIRE_INTEGER: return "MIBC_WIRE_INTEGER";
	case MODEL_WIRE_OCTET_STRING: return "MIBC_WIRE_OCTET_STRING";
	case MODEL_WIRE_OID: return "MIBC_WIRE_OID";
	case MODEL_WIRE_IPADDRESS: return "MIBC_WIRE_IPADDRESS";
	case MODEL_WIRE_COUNTER32: return "MIBC_WIRE_COUNTER32";
	case MODEL_WIRE_GAUGE32: return "MIBC_WIRE_GAUGE32";
	case MODEL_WIRE_TIMETICKS: return "MIBC_WIRE_TIMETICKS";
	case MODEL_WIRE_OPAQUE: return "MIBC_WIRE_OPAQUE";
	case MODEL_WIRE_NSAP: return "MIBC_WIRE_NSAP";
	case MODEL_WIRE_COUNTER64: return "MIBC_WIRE_COUNTER64";
	}
	return NULL;
}

static const char *c_access(enum model_access a)
{
	switch (a) {
	case MODEL_ACCESS_UNKNOWN: return NULL;
	case MODEL_ACCESS_NOT_IMPLEMENTED: return "MIBC_ACCESS_NOT_IMPLEMENTED";
	case MODEL_ACCESS_NOT_ACCESSIBLE: return "MIBC_ACCESS_NOT_ACCESSIBLE";
	case MODEL_ACCESS_NOTIFY: return "MIBC_ACCESS_NOTIFY";
	case MODEL_ACCESS_READ_ONLY: return "MIBC_ACCESS_READ_ONLY";
	case MODEL_ACCESS_READ_WRITE: return "MIBC_ACCESS_READ_WRITE";
	case MODEL_ACCESS_READ_CREATE: return "MIBC_ACCESS_READ_CREATE";
	case MODEL_ACCESS_WRITE_ONLY: return "MIBC_ACCESS_WRITE_ONLY";
	}
	return NULL;
}

static const char *c_status(enum model_status s)
{
	switch (s) {
	case MODEL_STATUS_UNKNOWN: return NULL;
	case MODEL_STATUS_CURRENT: return "MIBC_STATUS_CURRENT";
	case MODEL_STATUS_DEPRECATED: return "MIBC_STATUS_DEPRECATED";
	case MODEL_STATUS_MANDATORY: return "MIBC_STATUS_MANDATORY";
	case MODEL_STATUS_OPTIONAL: return "MIBC_STATUS_OPTIONAL";
	case MODEL_STATUS_OBSOLETE: return "MIBC_STATUS_OBSOLETE";
	}
	return NULL;
}

static const char *c_index_kind(enum model_index_kind k)
{
	switch (k) {
	case MODEL_INDEX_NONE: return NULL;
	case MODEL_INDEX_INDEX: return "MIBC_INDEX_INDEX";
	case MODEL_INDEX_AUGMENTS: return "MIBC_INDEX_AUGMENTS";
	case MODEL_INDEX_REORDER: return "MIBC_INDEX_REORDER";
	case MODEL_INDEX_SPARSE: return "MIBC_INDEX_SPARSE";
	case MODEL_INDEX_EXPANDS: return "MIBC_INDEX_EXPANDS";
	}
	return NULL;
}

static const char *c_default_kind(enum model_default_kind k)
{
	switch (k) {
	case MODEL_DEFAULT_NONE: return NULL;
	case MODEL_DEFAULT_NUMBER: return "MIBC_DEFAULT_NUMBER";
	case MODEL_DEFAULT_ENUM: return "MIBC_DEFAULT_ENUM";
	case MODEL_DEFAULT_STRING: return "MIBC_DEFAULT_STRING";
	case MODEL_DEFAULT_HEX: return "MIBC_DEFAULT_HEX";
	case MODEL_DEFAULT_BITS: return "MIBC_DEFAULT_BITS";
	case MODEL_DEFAULT_OID: return "MIBC_DEFAULT_OID";
	}
	return NULL;
}

static const char *c_storage(int st)
{
	switch (st) {
	case ST_INT32: return "MIBC_STORAGE_INT32";
	case ST_UINT32: return "MIBC_STORAGE_UINT32";
	case ST_INT64: return "MIBC_STORAGE_INT64";
	case ST_UINT64: return "MIBC_STORAGE_UINT64";
	case ST_IPADDR: return "MIBC_STORAGE_IPADDRESS";
	case ST_INLINE: return "MIBC_STORAGE_OCTETS_INLINE";
	case ST_OCTETS: return "MIBC_STORAGE_OCTETS";
	case ST_OID: return "MIBC_STORAGE_OID";
	}
	return NULL;
}

/* ---- the header ------------------------------------------------------- */

static void out_first_line(struct gen *g)
{
	out(g, "/* Generated by mibc %s from %s: do not edit. */\n",
	    g->opt && g->opt->version ? g->opt->version : "(unknown version)",
	    g->m->name);
}

/* An enum (or BITS) type with its name table and helpers. */
static void out_enum(struct gen *g, const struct ent *e)
{
	const struct model_syntax *s = e->syn;
	bool bits = e->vc == V_BITS;
	out(g, "enum %s MIBC_ENUM_BASE {\n", e->enum_tag);
	for (size_t i = 0; i < s->n_named; i++) {
		int64_t v = s->named[i].value;
		if (v < INT32_MIN || v > INT32_MAX || (bits && v < 0)) {
			out(g, "\t/* %s(%" PRId64 ") does not fit a C enum */\n",
			    s->named[i].name ? s->named[i].name : "?", v);
			continue;
		}
		if (v == INT32_MIN)
			out(g, "\t%s%s_%s = (-2147483647 - 1),\n", g->P, e->S,
			    e->labels[i]);
		else
			out(g, "\t%s%s_%s = %" PRId64 ",\n", g->P, e->S,
			    e->labels[i], v);
	}
	out(g, "};\n");
	out(g, "extern const struct mibc_named_number %s%s_names[%zu];\n\n",
	    g->p, e->s, s->n_named);
	out(g, "static inline const char *\n%s%s_name(int64_t value)\n{\n",
	    g->p, e->s);
	out(g, "\treturn mibc_enum_name(%s%s_names, MIBC_N_ELEMENTS(%s%s_names), "
	    "value);\n}\n", g->p, e->s, g->p, e->s);
	if (bits) {
		out(g, "\nstatic inline bool\n%s%s_test(const uint8_t *octets, "
		    "size_t len, enum %s bit)\n{\n\treturn mibc_bits_test(octets, "
		    "len, (unsigned)bit);\n}\n", g->p, e->s, e->enum_tag);
		out(g, "\nstatic inline bool\n%s%s_set(uint8_t *octets, size_t len, "
		    "enum %s bit)\n{\n\treturn mibc_bits_set(octets, len, "
		    "(unsigned)bit);\n}\n", g->p, e->s, e->enum_tag);
		out(g, "\nstatic inline bool\n%s%s_clear(uint8_t *octets, "
		    "size_t len, enum %s bit)\n{\n\treturn mibc_bits_clear(octets, "
		    "len, (unsigned)bit);\n}\n", g->p, e->s, e->enum_tag);
	}
}

static void out_len_macros(struct gen *g, const struct ent *e)
{
	if (!e->has_len)
		return;
	out(g, "#define %s%s_MIN_LEN %" PRIu64 "\n", g->P, e->S, e->min_len);
	out(g, "#define %s%s_MAX_LEN %" PRIu64 "\n", g->P, e->S, e->max_len);
}

static void out_h_type(struct gen *g, const struct ent *e)
{
	const struct model_typedef *t = e->type;
	struct str b = {0};
	str_add(&b, "%s::%s: %s, ", g->m->name, t->name,
		t->textual_convention ? "TEXTUAL-CONVENTION" : "type");
	if (t->syntax)
		syntax_text(&b, t->syntax, t->parent.name);
	if (t->display_hint)
		str_add(&b, ", DISPLAY-HINT \"%s\"", t->display_hint);
	if (t->status != MODEL_STATUS_CURRENT && t->status != MODEL_STATUS_UNKNOWN)
		str_add(&b, ", %s", model_status_name(t->status));
	out(g, "\n");
	char *text = texts(g, t->description, t->reference);
	out_comment(g, "", b.t.p, text);
	free(text);
	free(b.t.p);
	out(g, "extern const struct mibc_type_desc %s%s_typedesc;\n", g->p, e->s);
	if (e->own_enum)
		out_enum(g, e);
}

static void out_param_list(struct gen *g, const struct ent *row)
{
	for (size_t i = 0; i < row->n_idx; i++) {
		const struct idx *x = &row->idx[i];
		out(g, ",\n\t\t");
		switch (x->cls) {
		case I_INT32:
			out(g, "int32_t %s", x->param);
			break;
		case I_UINT32:
			out(g, "uint32_t %s", x->param);
			break;
		case I_IPADDR:
			out(g, "const uint8_t %s[4]", x->param);
			break;
		case I_FIXED:
			out(g, "const uint8_t %s[%zu]", x->param, x->fixed);
			break;
		case I_OCTETS:
			out(g, "const %s *%s, size_t %s",
			    x->text ? "char" : "uint8_t", x->param, x->param_len);
			break;
		case I_OID:
			out(g, "const uint32_t *%s, size_t %s", x->param,
			    x->param_len);
			break;
		case I_BAD:
			break;
		}
	}
}

/* Statements that build the instance index of a column of `row` (a
 * scalar: { 0 }) into `mibc_ix` from the wrapper's parameters; the
 * expression for its length. */
static const char *out_index_build(struct gen *g, const struct ent *row)
{
	bool simple = true;
	if (row)
		for (size_t i = 0; i < row->n_idx; i++)
			if (row->idx[i].cls != I_INT32 && row->idx[i].cls != I_UINT32)
				simple = false;
	if (!row) {
		out(g, "\tconst uint32_t mibc_ix[] = { 0 };\n");
		return "MIBC_N_ELEMENTS(mibc_ix)";
	}
	if (simple) {
		out(g, "\tconst uint32_t mibc_ix[] = {");
		for (size_t i = 0; i < row->n_idx; i++)
			out(g, "%s (uint32_t)%s", i ? "," : "", row->idx[i].param);
		out(g, " };\n");
		return "MIBC_N_ELEMENTS(mibc_ix)";
	}
	out(g, "\tuint32_t mibc_ix[MIBC_OID_MAX_LEN];\n\tsize_t mibc_n = 0;\n");
	for (size_t i = 0; i < row->n_idx; i++) {
		const struct idx *x = &row->idx[i];
		bool implied = x->el->implied;
		switch (x->cls) {
		case I_INT32:
			out(g, "\tmibc_n = mibc_index_put_int32(mibc_ix, mibc_n, %s);\n",
			    x->param);
			break;
		case I_UINT32:
			out(g, "\tmibc_n = mibc_index_put_uint32(mibc_ix, mibc_n, %s);\n",
			    x->param);
			break;
		case I_IPADDR:
		case I_FIXED:
			out(g, "\tmibc_n = mibc_index_put_octets(mibc_ix, mibc_n, "
			    "%s, %zu, false);\n", x->param, x->fixed);
			break;
		case I_OCTETS:
			out(g, "\tmibc_n = mibc_index_put_octets(mibc_ix, mibc_n, "
			    "%s%s, %s, %s);\n",
			    x->text ? "(const uint8_t *)" : "", x->param,
			    x->param_len, implied ? "false" : "true");
			break;
		case I_OID:
			out(g, "\tmibc_n = mibc_index_put_oid(mibc_ix, mibc_n, "
			    "%s, %s, %s);\n", x->param, x->param_len,
			    implied ? "false" : "true");
			break;
		case I_BAD:
			break;
		}
	}
	return "mibc_n";
}

/* `_get` sends one GET; `_get_init` prepares an item of a batch
 * (mibc_get_many) from the same typed index. */
static void out_get(struct gen *g, const struct ent *e)
{
	const struct ent *row = e->row >= 0 ? &g->nodes[e->row] : NULL;
	out(g, "\nstatic inline int\n%s%s_get(struct mibc_target *target, "
	    "struct mibc_get *req", g->p, e->s);
	if (row)
		out_param_list(g, row);
	out(g, ",\n\t\tmibc_get_cb *cb)\n{\n");
	const char *len = out_index_build(g, row);
	out(g, "\treturn mibc_get(target, req, &%s%s_desc, mibc_ix, %s, cb);\n}\n",
	    g->p, e->s, len);

	out(g, "\nstatic inline int\n%s%s_get_init(struct mibc_get *req", g->p, e->s);
	if (row)
		out_param_list(g, row);
	out(g, ")\n{\n");
	len = out_index_build(g, row);
	out(g, "\treturn mibc_get_init(req, &%s%s_desc, mibc_ix, %s);\n}\n",
	    g->p, e->s, len);
}

/* The value parameters of a SET wrapper. */
static void out_set_value_params(struct gen *g, const struct ent *e)
{
	switch (e->vc) {
	case V_INT32:
		out(g, ",\n\t\tint32_t value");
		break;
	case V_ENUM:
		if (e->enum_tag)
			out(g, ",\n\t\tenum %s value", e->enum_tag);
		else
			out(g, ",\n\t\tint32_t value");
		break;
	case V_UINT32:
		out(g, ",\n\t\tuint32_t value");
		break;
	case V_UINT64:
		out(g, ",\n\t\tuint64_t value");
		break;
	case V_IPADDR:
		out(g, ",\n\t\tconst uint8_t value[4]");
		break;
	case V_STRING:
		out(g, ",\n\t\tconst char *value, size_t value_len");
		break;
	case V_OCTETS:
	case V_BITS:
		out(g, ",\n\t\tconst uint8_t *value, size_t value_len");
		break;
	case V_OID:
		out(g, ",\n\t\tconst uint32_t *value, size_t value_len");
		break;
	case V_INT64:
	case V_NONE:
		break;
	}
}

/* `mibc_v`, the struct mibc_data of the value parameters. */
static void out_set_value_data(struct gen *g, const struct ent *e)
{
	const char *wire = c_wire(e->syn->wire);
	switch (e->vc) {
	case V_INT32:
	case V_ENUM:
		out(g, "\tstruct mibc_data mibc_v = mibc_data_integer((int32_t)value);\n");
		return;
	case V_UINT32:
	case V_UINT64:
		out(g, "\tstruct mibc_data mibc_v = mibc_data_unsigned(%s, value);\n",
		    wire);
		return;
	case V_IPADDR:
		out(g, "\tstruct mibc_data mibc_v = mibc_data_ipaddress(value);\n");
		return;
	case V_STRING:
	case V_OCTETS:
	case V_BITS:
		out(g, "\tstruct mibc_data mibc_v = mibc_data_octets(%svalue, "
		    "value_len);\n", e->vc == V_STRING ? "(const uint8_t *)" : "");
		if (wire && strcmp(wire, "MIBC_WIRE_OCTET_STRING") != 0)
			out(g, "\tmibc_v.wire = %s;\n", wire);
		return;
	case V_OID:
		out(g, "\tstruct mibc_data mibc_v = mibc_data_oid(value, value_len);\n");
		return;
	case V_INT64:
	case V_NONE:
		return;
	}
}

/* `_set` sends a SET of one instance, `_set_init` prepares an item of a
 * SET of several (mibc_set_many); RowStatus columns also get
 * `_create_and_go` and `_destroy`. */
static void out_set(struct gen *g, const struct ent *e)
{
	const struct ent *row = e->row >= 0 ? &g->nodes[e->row] : NULL;
	const char *set = set_suffix(e);
	out(g, "\nstatic inline int\n%s%s_%s_init(struct mibc_set *req", g->p,
	    e->s, set);
	if (row)
		out_param_list(g, row);
	out_set_value_params(g, e);
	out(g, ")\n{\n");
	const char *len = out_index_build(g, row);
	out_set_value_data(g, e);
	out(g, "\treturn mibc_set_init(req, &%s%s_desc, mibc_ix, %s, &mibc_v);\n}\n",
	    g->p, e->s, len);

	out(g, "\nstatic inline int\n%s%s_%s(struct mibc_target *target, "
	    "struct mibc_set *req", g->p, e->s, set);
	if (row)
		out_param_list(g, row);
	out_set_value_params(g, e);
	out(g, ",\n\t\tmibc_set_cb *cb)\n{\n");
	out(g, "\tint mibc_rc = %s%s_%s_init(req", g->p, e->s, set);
	for (size_t i = 0; row && i < row->n_idx; i++) {
		const struct idx *x = &row->idx[i];
		out(g, ", %s", x->param);
		if (x->cls == I_OCTETS || x->cls == I_OID)
			out(g, ", %s", x->param_len);
	}
	bool has_len = e->vc == V_STRING || e->vc == V_OCTETS || e->vc == V_BITS
		       || e->vc == V_OID;
	out(g, ", value%s);\n\treturn mibc_rc ? mibc_rc : "
	    "mibc_set_send(target, req, cb);\n}\n", has_len ? ", value_len" : "");

	if (!is_row_status(e))
		return;
	static const char *const actions[][2] = {
		{ "create_and_go", "MIBC_ROW_CREATE_AND_GO" },
		{ "destroy", "MIBC_ROW_DESTROY" },
	};
	for (size_t i = 0; i < 2; i++) {
		out(g, "\nstatic inline int\n%s%s_%s(struct mibc_target *target, "
		    "struct mibc_set *req", g->p, e->s, actions[i][0]);
		if (row)
			out_param_list(g, row);
		out(g, ",\n\t\tmibc_set_cb *cb)\n{\n");
		len = out_index_build(g, row);
		out(g, "\tint mibc_rc = mibc_set_init_row_status(req, &%s%s_desc, "
		    "mibc_ix, %s, %s);\n\treturn mibc_rc ? mibc_rc : "
		    "mibc_set_send(target, req, cb);\n}\n", g->p, e->s, len,
		    actions[i][1]);
	}
}

static void out_value(struct gen *g, const struct ent *e)
{
	const char *p = g->p, *s = e->s;
	out(g, "\n");
	switch (e->vc) {
	case V_INT32:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "int32_t *v)\n{\n\treturn mibc_value_get_int32(value, v);\n}\n",
		    p, s);
		break;
	case V_ENUM:
		if (!e->enum_tag) {
			out(g, "static inline int\n%s%s_value(const struct mibc_value "
			    "*value, int32_t *v)\n{\n\treturn "
			    "mibc_value_get_int32(value, v);\n}\n", p, s);
			break;
		}
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "enum %s *v)\n{\n\tint32_t i = 0;\n\tint r = "
		    "mibc_value_get_int32(value, &i);\n\tif (r == 0)\n\t\t*v = "
		    "(enum %s)i;\n\treturn r;\n}\n", p, s, e->enum_tag,
		    e->enum_tag);
		break;
	case V_UINT32:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "uint32_t *v)\n{\n\treturn mibc_value_get_uint32(value, v);\n}\n",
		    p, s);
		break;
	case V_UINT64:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "uint64_t *v)\n{\n\treturn mibc_value_get_uint64(value, v);\n}\n",
		    p, s);
		break;
	case V_IPADDR:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "uint8_t addr[4])\n{\n\treturn mibc_value_get_ipaddress(value, "
		    "addr);\n}\n", p, s);
		break;
	case V_STRING:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "const char **s, size_t *len)\n{\n\treturn "
		    "mibc_value_get_string(value, s, len);\n}\n", p, s);
		break;
	case V_OCTETS:
	case V_BITS:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "const uint8_t **data, size_t *len)\n{\n\treturn "
		    "mibc_value_get_octets(value, data, len);\n}\n", p, s);
		break;
	case V_OID:
		out(g, "static inline int\n%s%s_value(const struct mibc_value *value, "
		    "const uint32_t **sub, size_t *len)\n{\n\treturn "
		    "mibc_value_get_oid(value, sub, len);\n}\n", p, s);
		break;
	case V_INT64:
	case V_NONE:
		break;
	}
}

static size_t present_words(size_t n)
{
	return n ? (n + 31) / 32 : 1;
}

static void out_row_member(struct gen *g, const struct ent *c)
{
	switch (c->storage) {
	case ST_INT32:
		out(g, "\tint32_t %s;\n", c->member);
		break;
	case ST_UINT32:
		out(g, "\tuint32_t %s;\n", c->member);
		break;
	case ST_INT64:
		out(g, "\tint64_t %s;\n", c->member);
		break;
	case ST_UINT64:
		out(g, "\tuint64_t %s;\n", c->member);
		break;
	case ST_IPADDR:
		out(g, "\tuint8_t %s[4];\n", c->member);
		break;
	case ST_INLINE:
		out(g, "\tstruct {\n\t\tsize_t len;\n\t\t%s data[%zu + 1];\n\t} %s;\n",
		    c->vc == V_STRING ? "char" : "uint8_t", c->capacity,
		    c->member);
		break;
	case ST_OCTETS:
		out(g, "\tstruct mibc_octets %s;\n", c->member);
		break;
	case ST_OID:
	default:
		out(g, "\tstruct mibc_oid %s;\n", c->member);
		break;
	}
}

static bool has_index_values(const struct ent *row)
{
	return row->n_idx > 0 && row->idx_typed;
}

static const char *out_index_build(struct gen *g, const struct ent *row);
static void out_param_list(struct gen *g, const struct ent *row);

/* x_walk (the table into row structs), x_walk_joined (with the row it
 * AUGMENTS) and x_get_row (one row by its typed index). */
static void out_h_row_access(struct gen *g, const struct ent *e)
{
	const char *p = g->p, *s = e->s;
	if (e->walk) {
		out(g, "\n/* Walk the table into struct %s%s rows: rows[0] of "
		    "row_cb (mibc/walk.h). */\n", p, s);
		out(g, "static inline int\n%s%s_walk(struct mibc_target *target, "
		    "struct mibc_table_walk *walk,\n\t\tmibc_table_row_cb *row_cb, "
		    "mibc_table_done_cb *done)\n{\n", p, s);
		out(g, "\tstatic const struct mibc_object_desc *const mibc_rows[] = "
		    "{ &%s%s_desc };\n", p, s);
		out(g, "\twalk->rows = mibc_rows;\n\twalk->n_rows = 1;\n"
		    "\treturn mibc_table_walk_start(target, walk, row_cb, done);\n}\n");
	}
	if (e->joined_base >= 0) {
		const struct ent *b = &g->nodes[e->joined_base];
		out(g, "\n/* Walk the table joined by index with the one it AUGMENTS: "
		    "rows[0] of\n * row_cb a struct %s%s, rows[1] a struct %s%s. */\n",
		    p, b->s, p, s);
		out(g, "static inline int\n%s%s_walk_joined(struct mibc_target *target, "
		    "struct mibc_table_walk *walk,\n\t\tmibc_table_row_cb *row_cb, "
		    "mibc_table_done_cb *done)\n{\n", p, s);
		out(g, "\tstatic const struct mibc_object_desc *const mibc_rows[] = "
		    "{ &%s%s_desc, &%s%s_desc };\n", p, b->s, p, s);
		out(g, "\twalk->rows = mibc_rows;\n\twalk->n_rows = 2;\n"
		    "\treturn mibc_table_walk_start(target, walk, row_cb, done);\n}\n");
	}
	if (e->get_row) {
		out(g, "\n/* GET one row's readable columns into `row` "
		    "(mibc_row_get). */\n");
		out(g, "static inline int\n%s%s_get_row(struct mibc_target *target, "
		    "struct mibc_row_get *req", p, s);
		out_param_list(g, e);
		out(g, ",\n\t\tstruct %s%s *row, mibc_row_get_cb *cb)\n{\n", p, s);
		const char *len = out_index_build(g, e);
		out(g, "\treturn mibc_row_get(target, req, &%s%s_desc, mibc_ix, %s, "
		    "row, cb);\n}\n", p, s, len);
	}
}

/* The decoded index: one member per element, named as the GET accessors'
 * parameters. */
static void out_h_index_values(struct gen *g, const struct ent *e)
{
	out(g, "\n/* The INDEX of an %s instance, decoded from its OID suffix. */\n",
	    e->smi);
	out(g, "struct %s%s_index_values {\n", g->p, e->s);
	for (size_t i = 0; i < e->n_idx; i++) {
		const struct idx *x = &e->idx[i];
		switch (x->cls) {
		case I_INT32:
			out(g, "\tint32_t %s;\n", x->param);
			break;
		case I_UINT32:
			out(g, "\tuint32_t %s;\n", x->param);
			break;
		case I_IPADDR:
			out(g, "\tuint8_t %s[4];\n", x->param);
			break;
		case I_FIXED:
		case I_OCTETS:
			out(g, "\tstruct {\n\t\tsize_t len;\n\t\t%s data[%zu + 1];\n"
			    "\t} %s;\n", x->text ? "char" : "uint8_t", x->capacity,
			    x->param);
			break;
		case I_OID:
			out(g, "\tstruct {\n\t\tsize_t len;\n\t\tuint32_t sub[%zu];\n"
			    "\t} %s;\n", x->capacity, x->param);
			break;
		case I_BAD:
			break;
		}
	}
	out(g, "};\n\n");
	out(g, "/* 0, or MIBC_E_INDEX when `suffix` (after the column's OID) is "
	    "not one\n * well-formed index (mibc_index_decode). */\n");
	out(g, "static inline int\n%s%s_index_decode(const uint32_t *suffix, "
	    "size_t len,\n\t\tstruct %s%s_index_values *out)\n{\n"
	    "\treturn mibc_index_decode(%s%s_index, %zu, suffix, len, out, "
	    "sizeof(*out));\n}\n", g->p, e->s, g->p, e->s, g->p, e->s, e->n_idx);
}

static void out_h_row(struct gen *g, const struct ent *e)
{
	if (e->n_idx && e->idx_ok)
		out(g, "extern const struct mibc_index_elem %s%s_index[%zu];\n",
		    g->p, e->s, e->n_idx);
	if (has_index_values(e))
		out_h_index_values(g, e);
	if (!e->n_cols)
		return;
	out(g, "\nenum %s%s_column {\n", g->p, e->s);
	for (size_t i = 0; i < e->n_cols; i++)
		out(g, "\t%s%s_%s = %zu,\n", g->P, e->S, e->col_consts[i], i);
	out(g, "};\n#define %s%s_N_COLUMNS %zu\n\n", g->P, e->S, e->n_cols);
	out(g, "struct %s%s {\n", g->p, e->s);
	out(g, "\tuint32_t mibc_present[%zu];\n",
	    present_words(e->n_cols));
	if (has_index_values(e))
		out(g, "\tstruct %s%s_index_values mibc_index;\n", g->p, e->s);
	for (size_t i = 0; i < e->n_cols; i++)
		out_row_member(g, &g->nodes[e->cols[i]]);
	out(g, "};\n\n");
	out(g, "static inline bool\n%s%s_has(const struct %s%s *row, enum "
	    "%s%s_column column)\n{\n\treturn mibc_present_test(row->mibc_present, "
	    "(unsigned)column);\n}\n", g->p, e->s, g->p, e->s, g->p, e->s);
	out_h_row_access(g, e);
}

static void out_h_node(struct gen *g, const struct ent *e)
{
	const struct model_node *nd = e->node;
	char *summary = node_summary(g, e);
	out(g, "\n");
	char *text = texts(g, nd->description, nd->reference);
	out_comment(g, "", summary, text);
	free(text);
	free(summary);
	out(g, "#define %s%s_OID", g->P, e->S);
	for (size_t i = 0; i < nd->oid_len; i++)
		out(g, "%s%" PRIu32, i ? ", " : " ", nd->oid[i]);
	out(g, "\n#define %s%s_OID_LEN %zu\n", g->P, e->S, nd->oid_len);
	out(g, "extern const uint32_t %s%s_oid[%s%s_OID_LEN];\n", g->p, e->s,
	    g->P, e->S);
	out(g, "extern const struct mibc_object_desc %s%s_desc;\n", g->p, e->s);
	out_len_macros(g, e);
	if (e->syn && e->syn->n_named && !e->own_enum && !e->names_ref)
		out(g, "extern const struct mibc_named_number %s%s_names[%zu];\n",
		    g->p, e->s, e->syn->n_named);
	if (e->own_enum)
		out_enum(g, e);
	if (nd->kind == MODEL_NODE_ROW)
		out_h_row(g, e);
	if (e->value)
		out_value(g, e);
	if (e->get)
		out_get(g, e);
	if (e->set)
		out_set(g, e);
}

/* Once per header: what the names mean. */
static const char guide[] =
	"/*\n"
	" * For each named node X (prefix_x, PREFIX_X): X_OID (the sub-ids, for\n"
	" * initializers: { PREFIX_X_OID, 0 }), X_OID_LEN, x_oid[] and x_desc (its\n"
	" * descriptor, mibc/desc.h).  Readable scalars and columns: x_get(target,\n"
	" * req, index..., cb) starts a GET (scalars: of .0; columns: typed index\n"
	" * arguments, INDEX order) and x_value(value, ...) reads the value in the\n"
	" * callback; both return 0 or a negative MIBC_E_ error (mibc/mibc.h).\n"
	" * Enumerations and BITS: enum x with the named numbers (BITS: bit\n"
	" * numbers), x_names[], x_name(value) (NULL when unnamed), and for BITS\n"
	" * x_test/x_set/x_clear(octets, len, bit) (set/clear: false when the bit is\n"
	" * beyond len).  Strings: X_MIN_LEN, X_MAX_LEN.  Rows: struct x (one member\n"
	" * per column, mibc_present[] says which hold a value: x_has(row, column)),\n"
	" * enum x_column, X_N_COLUMNS, x_index[]; struct x_index_values (the\n"
	" * decoded INDEX, the row struct's mibc_index) and x_index_decode(suffix,\n"
	" * len, out); x_walk(target, walk, row_cb, done) reads the table into\n"
	" * row structs, x_walk_joined also the row it AUGMENTS, x_get_row(target,\n"
	" * req, index..., row, cb) one row (mibc/walk.h).  Types: x_typedesc.\n"
	" */\n\n";

static const char set_guide[] =
	"/*\n"
	" * Writable scalars and columns: x_set(target, req, index..., value...,\n"
	" * cb) starts a SET of one instance (mibc/set.h), checked against the MIB\n"
	" * first; x_set_init(req, index..., value...) prepares an item of a SET of\n"
	" * several instances in one PDU (mibc_set_many).  Objects with their own\n"
	" * BITS name them x_set_value and x_set_value_init (x_set edits octets).\n"
	" * RowStatus columns: x_create_and_go(target, req, index..., cb) and\n"
	" * x_destroy(target, req, index..., cb).\n"
	" */\n\n";

static void write_header(struct gen *g)
{
	out_first_line(g);
	out(g, "#ifndef %s\n#define %s\n\n", g->guard, g->guard);
	out(g, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
	out(g, "#include <mibc/desc.h>\n#include <mibc/mibc.h>\n#include <mibc/set.h>\n\n");
	out(g, "#if MIBC_DESC_ABI != %d\n", EMIT_C_ABI);
	out(g, "#error \"%s.h was generated by mibc %s for descriptor ABI %d, "
	    "but <mibc/desc.h> has another ABI: regenerate it with the mibc "
	    "of this runtime\"\n#endif\n",
	    g->file, g->opt && g->opt->version ? g->opt->version : "",
	    EMIT_C_ABI);
	if (g->n_h_includes) {
		out(g, "\n");
		for (size_t i = 0; i < g->n_h_includes; i++) {
			char *f = names_file_base(g->h_includes[i]);
			out(g, "#include \"%s.h\"\n", f);
			free(f);
		}
	}
	out(g, "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	out(g, "%s", guide);
	out(g, "%s", set_guide);

	struct str b = {0};
	str_add(&b, "%s", g->m->name);
	if (g->m->last_updated)
		str_add(&b, ", LAST-UPDATED %s", g->m->last_updated);
	str_add(&b, ": %zu nodes, %zu types", g->n_nodes, g->n_types);
	char *text = texts(g, g->m->description, g->m->reference);
	out_comment(g, "", b.t.p, text);
	free(text);
	free(b.t.p);
	out(g, "extern const struct mibc_module_desc %smodule;\n", g->p);
	out(g, "#define %sLAST_UPDATED ", g->P);
	out_cstr(g, g->m->last_updated);
	out(g, "\n#define %sSOURCE_SHA256 ", g->P);
	out_cstr(g, g->m->source_hash);
	out(g, "\n");

	for (size_t i = 0; i < g->n_types; i++)
		out_h_type(g, &g->types[i]);
	for (size_t i = 0; i < g->n_nodes; i++)
		out_h_node(g, &g->nodes[i]);

	out(g, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
}

/* ---- the source ------------------------------------------------------- */

static void out_ranges(struct gen *g, const struct model_syntax *s,
		       const char *name)
{
	bool u64 = s->base == MODEL_BASE_UNSIGNED64;
	out(g, "static const struct mibc_range %s[] = {\n", name);
	for (size_t i = 0; i < s->n_ranges; i++) {
		const struct model_range *r = &s->ranges[i];
		if (u64)
			out(g, "\t{ .min = { .u = UINT64_C(%" PRIu64 ") }, "
			    ".max = { .u = UINT64_C(%" PRIu64 ") } },\n",
			    (uint64_t)r->min, (uint64_t)r->max);
		else {
			out(g, "\t{ .min = { .i = ");
			out_int64(g, r->min);
			out(g, " }, .max = { .i = ");
			out_int64(g, r->max);
			out(g, " } },\n");
		}
	}
	out(g, "};\n");
}

static void out_named(struct gen *g, const struct model_syntax *s,
		      const char *name)
{
	out(g, "const struct mibc_named_number %s[%zu] = {\n", name, s->n_named);
	for (size_t i = 0; i < s->n_named; i++) {
		out(g, "\t{ ");
		out_cstr(g, s->named[i].name ? s->named[i].name : "");
		out(g, ", ");
		out_int64(g, s->named[i].value);
		out(g, " },\n");
	}
	out(g, "};\n");
}

/* `.field = "string",` when s is set. */
static void field_str(struct gen *g, const char *field, const char *s)
{
	if (!s)
		return;
	out(g, "\t.%s = ", field);
	out_cstr(g, s);
	out(g, ",\n");
}

static void field_sym(struct gen *g, const char *field, const char *sym)
{
	if (sym)
		out(g, "\t.%s = %s,\n", field, sym);
}

static void out_c_type(struct gen *g, const struct ent *e)
{
	const struct model_typedef *t = e->type;
	const struct model_syntax *s = t->syntax;
	char *ranges = NULL;
	out(g, "\n");
	if (s && s->n_ranges) {
		ranges = xasprintf("%s%s_typedesc_%s", g->p, e->s,
				   s->ranges_are_sizes ? "sizes" : "ranges");
		out_ranges(g, s, ranges);
	}
	if (s && s->n_named) {
		char *names = xasprintf("%s%s_names", g->p, e->s);
		out_named(g, s, names);
		free(names);
	}
	out(g, "const struct mibc_type_desc %s%s_typedesc = {\n", g->p, e->s);
	field_str(g, "name", t->name);
	out(g, "\t.module = &%smodule,\n", g->p);
	if (t->textual_convention)
		out(g, "\t.textual_convention = true,\n");
	field_sym(g, "status", c_status(t->status));
	if (s) {
		field_sym(g, "type", c_type(s->base));
		field_sym(g, "wire", c_wire(s->wire));
		field_str(g, "display_hint", s->display_hint);
	}
	field_str(g, "parent_module", t->parent.module);
	field_str(g, "parent_name", t->parent.name);
	if (ranges) {
		const char *f = s->ranges_are_sizes ? "sizes" : "ranges";
		out(g, "\t.%s = %s,\n\t.n_%s = MIBC_N_ELEMENTS(%s),\n", f, ranges,
		    f, ranges);
	}
	if (s && s->n_named)
		out(g, "\t.names = %s%s_names,\n\t.n_names = %zu,\n", g->p, e->s,
		    s->n_named);
	out(g, "};\n");
	free(ranges);
}

static const char *c_index_storage(enum iclass cls)
{
	switch (cls) {
	case I_INT32:
		return "MIBC_STORAGE_INT32";
	case I_UINT32:
		return "MIBC_STORAGE_UINT32";
	case I_IPADDR:
		return "MIBC_STORAGE_IPADDRESS";
	case I_FIXED:
	case I_OCTETS:
		return "MIBC_STORAGE_OCTETS_INLINE";
	case I_OID:
		return "MIBC_STORAGE_OID_INLINE";
	case I_BAD:
		break;
	}
	return "MIBC_STORAGE_NONE";
}

/* Arrays a node's descriptor points to. */
static void out_c_node_arrays(struct gen *g, const struct ent *e)
{
	const struct model_syntax *s = e->syn;
	const struct model_node *nd = e->node;
	bool any = false;
	if (s && s->n_ranges) {
		char *name = xasprintf("%s%s_%s", g->p, e->s,
				       s->ranges_are_sizes ? "sizes" : "ranges");
		out(g, "\n");
		out_ranges(g, s, name);
		free(name);
		any = true;
	}
	if (s && s->n_named && !e->names_ref) {
		char *name = xasprintf("%s%s_names", g->p, e->s);
		if (!any)
			out(g, "\n");
		out_named(g, s, name);
		free(name);
		any = true;
	}
	if (nd->kind == MODEL_NODE_ROW && e->n_idx && e->idx_ok) {
		if (!any)
			out(g, "\n");
		any = true;
		out(g, "const struct mibc_index_elem %s%s_index[%zu] = {\n", g->p,
		    e->s, e->n_idx);
		for (size_t i = 0; i < e->n_idx; i++) {
			const struct idx *x = &e->idx[i];
			out(g, "\t{ .object = %s", x->desc_ref);
			if (x->el->implied)
				out(g, ", .implied = true");
			if (x->fixed)
				out(g, ", .fixed_len = %zu", x->fixed);
			if (has_index_values(e)) {
				out(g, ",\n\t  .storage = %s",
				    c_index_storage(x->cls));
				if (x->capacity)
					out(g, ", .capacity = %zu", x->capacity);
				out(g, ",\n\t  .offset = offsetof(struct %s%s_index_values, "
				    "%s)", g->p, e->s, x->param);
			}
			out(g, " },\n");
		}
		out(g, "};\n");
	}
	if (nd->kind == MODEL_NODE_ROW && e->n_cols) {
		if (!any)
			out(g, "\n");
		any = true;
		out(g, "static const struct mibc_object_desc *const %s%s_columns[] "
		    "= {\n", g->p, e->s);
		for (size_t i = 0; i < e->n_cols; i++)
			out(g, "\t&%s%s_desc,\n", g->p, g->nodes[e->cols[i]].s);
		out(g, "};\n");
	}
	if (e->n_member_refs) {
		if (!any)
			out(g, "\n");
		out(g, "static const struct mibc_object_desc *const %s%s_members[] "
		    "= {\n", g->p, e->s);
		for (size_t i = 0; i < e->n_member_refs; i++)
			out(g, "\t%s,\n", e->member_refs[i]);
		out(g, "};\n");
	}
}

static void out_c_node_desc(struct gen *g, const struct ent *e)
{
	const struct model_node *nd = e->node;
	const struct model_syntax *s = e->syn;
	const char *p = g->p;
	out(g, "\nconst struct mibc_object_desc %s%s_desc = {\n", p, e->s);
	field_str(g, "name", nd->name);
	out(g, "\t.module = &%smodule,\n", p);
	out(g, "\t.oid = %s%s_oid,\n\t.oid_len = %s%s_OID_LEN,\n", p, e->s,
	    g->P, e->S);
	out(g, "\t.kind = %s,\n", c_kind(nd->kind));
	field_sym(g, "status", c_status(nd->status));
	if (s) {
		field_sym(g, "type", c_type(s->base));
		field_sym(g, "wire", c_wire(s->wire));
	}
	field_sym(g, "access", c_access(nd->access));
	field_str(g, "units", nd->units);
	if (s) {
		field_str(g, "display_hint", s->display_hint);
		field_str(g, "tc_module", s->type.name ? s->type.module : NULL);
		field_str(g, "tc_name", s->type.name);
	}
	if (nd->default_value && strlen(nd->default_value) < 4000) {
		field_str(g, "default_value", nd->default_value);
		field_sym(g, "default_kind", c_default_kind(nd->default_kind));
	}
	if (s && s->n_ranges) {
		const char *f = s->ranges_are_sizes ? "sizes" : "ranges";
		out(g, "\t.%s = %s%s_%s,\n\t.n_%s = MIBC_N_ELEMENTS(%s%s_%s),\n", f,
		    p, e->s, f, f, p, e->s, f);
	}
	if (s && s->n_named && e->names_ref)
		out(g, "\t.names = %s,\n\t.n_names = %zu,\n", e->names_ref,
		    s->n_named);
	else if (s && s->n_named)
		out(g, "\t.names = %s%s_names,\n\t.n_names = %zu,\n", p, e->s,
		    s->n_named);
	const struct ent *row = NULL;
	if (nd->kind == MODEL_NODE_ROW)
		row = e;
	else if (nd->kind == MODEL_NODE_COLUMN && e->row >= 0)
		row = &g->nodes[e->row];
	if (nd->kind == MODEL_NODE_ROW)
		field_sym(g, "index_kind", c_index_kind(nd->index_kind));
	if (row && row->n_idx && row->idx_ok)
		out(g, "\t.index = %s%s_index,\n\t.n_index = %zu,\n", p, row->s,
		    row->n_idx);
	if (nd->kind == MODEL_NODE_ROW) {
		field_sym(g, "related", e->related_ref);
		if (nd->create)
			out(g, "\t.create = true,\n");
	}
	if (nd->kind == MODEL_NODE_COLUMN && e->row >= 0)
		out(g, "\t.parent = &%s%s_desc,\n", p, g->nodes[e->row].s);
	else if ((nd->kind == MODEL_NODE_ROW || nd->kind == MODEL_NODE_TABLE)
		 && e->table >= 0)
		out(g, "\t.parent = &%s%s_desc,\n", p, g->nodes[e->table].s);
	if (nd->kind == MODEL_NODE_ROW) {
		if (e->n_cols)
			out(g, "\t.columns = %s%s_columns,\n\t.n_columns = %zu,\n",
			    p, e->s, e->n_cols);
		if (e->n_cols)
			out(g, "\t.row_size = sizeof(struct %s%s),\n", p, e->s);
		if (e->n_cols && has_index_values(e))
			out(g, "\t.index_offset = offsetof(struct %s%s, mibc_index),\n"
			    "\t.index_size = sizeof(struct %s%s_index_values),\n",
			    p, e->s, p, e->s);
	}
	if (nd->kind == MODEL_NODE_COLUMN && e->row >= 0) {
		const struct ent *r = &g->nodes[e->row];
		out(g, "\t.column = %s%s_%s,\n", g->P, r->S,
		    r->col_consts[e->col_pos]);
		field_sym(g, "storage", c_storage(e->storage));
		out(g, "\t.row_offset = offsetof(struct %s%s, %s),\n", p, r->s,
		    e->member);
		if (e->storage == ST_INLINE)
			out(g, "\t.row_capacity = %zu,\n", e->capacity);
	}
	if (e->n_member_refs)
		out(g, "\t.members = %s%s_members,\n\t.n_members = %zu,\n", p, e->s,
		    e->n_member_refs);
	out(g, "};\n");
}

struct by_name {
	const char *name;
	uint32_t index;
};

static int cmp_by_name(const void *pa, const void *pb)
{
	const struct by_name *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->index < b->index ? -1 : a->index > b->index);
}

static void write_source(struct gen *g)
{
	const char *p = g->p;
	out_first_line(g);
	out(g, "#include <stddef.h>\n\n#include \"%s.h\"\n", g->file);
	for (size_t i = 0; i < g->n_c_includes; i++) {
		char *f = names_file_base(g->c_includes[i]);
		out(g, "#include \"%s.h\"\n", f);
		free(f);
	}
	if (g->n_nodes)
		out(g, "\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		out(g, "const uint32_t %s%s_oid[%s%s_OID_LEN] = { %s%s_OID };\n", p,
		    g->nodes[i].s, g->P, g->nodes[i].S, g->P, g->nodes[i].S);

	for (size_t i = 0; i < g->n_types; i++)
		out_c_type(g, &g->types[i]);
	for (size_t i = 0; i < g->n_nodes; i++)
		out_c_node_arrays(g, &g->nodes[i]);
	for (size_t i = 0; i < g->n_nodes; i++)
		out_c_node_desc(g, &g->nodes[i]);

	/* module tables */
	size_t n_objects = 0, n_notifications = 0;
	if (g->n_nodes) {
		out(g, "\nstatic const struct mibc_object_desc *const %snodes[] = {\n",
		    p);
		for (size_t i = 0; i < g->n_nodes; i++)
			out(g, "\t&%s%s_desc,\n", p, g->nodes[i].s);
		out(g, "};\n");
		struct by_name *order = xcalloc(g->n_nodes, sizeof(*order));
		for (size_t i = 0; i < g->n_nodes; i++)
			order[i] = (struct by_name){g->nodes[i].smi, (uint32_t)i};
		qsort(order, g->n_nodes, sizeof(*order), cmp_by_name);
		out(g, "\nstatic const uint32_t %snodes_by_name[] = {", p);
		for (size_t i = 0; i < g->n_nodes; i++)
			out(g, "%s%" PRIu32,
			    i == 0 ? "\n\t" : i % 12 ? ", " : ",\n\t", order[i].index);
		out(g, "\n};\n");
		free(order);
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		enum model_node_kind k = g->nodes[i].node->kind;
		if (k == MODEL_NODE_SCALAR || k == MODEL_NODE_COLUMN)
			n_objects++;
		if (k == MODEL_NODE_NOTIFICATION)
			n_notifications++;
	}
	if (n_objects) {
		out(g, "\nstatic const struct mibc_object_desc *const %sobjects[] = {\n",
		    p);
		for (size_t i = 0; i < g->n_nodes; i++) {
			enum model_node_kind k = g->nodes[i].node->kind;
			if (k == MODEL_NODE_SCALAR || k == MODEL_NODE_COLUMN)
				out(g, "\t&%s%s_desc,\n", p, g->nodes[i].s);
		}
		out(g, "};\n");
	}
	if (n_notifications) {
		out(g, "\nstatic const struct mibc_object_desc *const "
		    "%snotifications[] = {\n", p);
		for (size_t i = 0; i < g->n_nodes; i++)
			if (g->nodes[i].node->kind == MODEL_NODE_NOTIFICATION)
				out(g, "\t&%s%s_desc,\n", p, g->nodes[i].s);
		out(g, "};\n");
	}
	if (g->n_types) {
		out(g, "\nstatic const struct mibc_type_desc *const %stypes[] = {\n",
		    p);
		for (size_t i = 0; i < g->n_types; i++)
			out(g, "\t&%s%s_typedesc,\n", p, g->types[i].s);
		out(g, "};\n");
	}

	out(g, "\nconst struct mibc_module_desc %smodule = {\n", p);
	out(g, "\t.abi = MIBC_DESC_ABI,\n");
	field_str(g, "name", g->m->name);
	field_str(g, "last_updated", g->m->last_updated);
	field_str(g, "source_sha256", g->m->source_hash[0] ? g->m->source_hash
							   : NULL);
	char *gen = xasprintf("mibc %s", g->opt && g->opt->version
					 ? g->opt->version : "");
	field_str(g, "generator", gen);
	free(gen);
	if (g->n_nodes)
		out(g, "\t.nodes = %snodes,\n\t.n_nodes = MIBC_N_ELEMENTS(%snodes),\n"
		    "\t.nodes_by_name = %snodes_by_name,\n", p, p, p);
	if (n_objects)
		out(g, "\t.objects = %sobjects,\n\t.n_objects = "
		    "MIBC_N_ELEMENTS(%sobjects),\n", p, p);
	if (n_notifications)
		out(g, "\t.notifications = %snotifications,\n\t.n_notifications = "
		    "MIBC_N_ELEMENTS(%snotifications),\n", p, p);
	if (g->n_types)
		out(g, "\t.types = %stypes,\n\t.n_types = MIBC_N_ELEMENTS(%stypes),\n",
		    p, p);
	out(g, "};\n");
}

/* ---- the emitter ------------------------------------------------------ */

static char *c_output_name(const char *module, size_t i)
{
	char *base = names_file_base(module);
	char *r = xasprintf("%s.%s", base, i == 0 ? "h" : "c");
	free(base);
	return r;
}

static void report(const struct gen *g, const struct emit_options *opt)
{
	for (size_t i = 0; i < g->n_warnings; i++) {
		const char *w = g->warnings[i];
		int line = atoi(w);
		const char *msg = strchr(w, '\n') + 1;
		if (opt && opt->warning)
			opt->warning(g->m, line, msg, opt->warning_data);
		else
			fprintf(stderr, "%s:%d: warning: %s\n",
				g->m->path ? g->m->path : g->m->name, line, msg);
	}
}

static int write_output(struct gen *g, size_t i, FILE *f, char **error)
{
	g->out = f;
	if (i == 0)
		write_header(g);
	else
		write_source(g);
	spill(g, true);
	g->out = NULL;
	if (ferror(f)) {
		if (error)
			*error = xstrdup("write error");
		return -1;
	}
	return 0;
}

/* The header and the source come from the same names and entities:
 * built once per module (was a third of the emitter's time). */
static void *c_prepare(const struct model_module *module,
		       const struct emit_options *options)
{
	struct gen *g = xmalloc(sizeof(*g));
	build(g, module, options);
	report(g, options);
	return g;
}

static int c_emit_prepared(void *prepared, size_t i, FILE *f, char **error)
{
	return write_output(prepared, i, f, error);
}

static void c_release(void *prepared)
{
	gen_free(prepared);
	free(prepared);
}

static int c_emit(const struct model_module *module,
		  const struct emit_options *options, size_t i, FILE *f,
		  char **error)
{
	struct gen g;
	build(&g, module, options);
	if (i == 0)
		report(&g, options);
	int r = write_output(&g, i, f, error);
	gen_free(&g);
	return r;
}

const struct emitter emitter_c = {
	.format = "c",
	.n_outputs = 2,
	.output_name = c_output_name,
	.emit = c_emit,
	.prepare = c_prepare,
	.emit_prepared = c_emit_prepared,
	.release = c_release,
};

/* ---- the OID index (--build-index) ------------------------------------ */

const char *const emit_c_index_names[] = {"mibc-index.h", "mibc-index.c", NULL};

static int cmp_index_entry(const void *pa, const void *pb)
{
	const struct index_entry *a = *(const struct index_entry *const *)pa;
	const struct index_entry *b = *(const struct index_entry *const *)pb;
	size_t n = a->oid_len < b->oid_len ? a->oid_len : b->oid_len;
	for (size_t i = 0; i < n; i++)
		if (a->oid[i] != b->oid[i])
			return a->oid[i] < b->oid[i] ? -1 : 1;
	if (a->oid_len != b->oid_len)
		return a->oid_len < b->oid_len ? -1 : 1;
	int c = strcmp(a->module, b->module);
	return c ? c : strcmp(a->name, b->name);
}

int emit_c_index(size_t i, const struct index_entry *entries, size_t n_entries,
		 const struct emit_options *options, FILE *f, char **error)
{
	struct gen g = {.opt = options, .out = f};
	const char *version = options && options->version ? options->version
							  : "(unknown version)";
	const struct index_entry **sorted =
		xcalloc(n_entries ? n_entries : 1, sizeof(*sorted));
	size_t n = 0;
	for (size_t k = 0; k < n_entries; k++)
		if (entries[k].module && entries[k].name && entries[k].oid_len)
			sorted[n++] = &entries[k];
	qsort(sorted, n, sizeof(*sorted), cmp_index_entry);
	size_t n_modules = 0;
	for (size_t k = 0; k < n; k++) {
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = strcmp(sorted[j]->module, sorted[k]->module) == 0;
		n_modules += !seen;
	}

	out(&g, "/* Generated by mibc %s: the OID index of %zu modules: do not "
	    "edit. */\n", version, n_modules);
	if (i == 0) {
		out(&g, "#ifndef MIBC_GENERATED_MIBC_INDEX_H\n"
		    "#define MIBC_GENERATED_MIBC_INDEX_H\n\n"
		    "#include <mibc/desc.h>\n\n"
		    "#if MIBC_DESC_ABI != %d\n#error \"mibc-index.h was generated "
		    "for another mibc descriptor ABI: regenerate it\"\n#endif\n\n"
		    "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", EMIT_C_ABI);
		out(&g, "/* Every named node of the modules, sorted by OID (then "
		    "module and name):\n * look OIDs up with mibc_index_find(). */\n");
		out(&g, "#define MIBC_GENERATED_INDEX_LEN %zu\n", n);
		out(&g, "extern const struct mibc_index_entry "
		    "mibc_generated_index[%s];\n", n ? "MIBC_GENERATED_INDEX_LEN" : "1");
		out(&g, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
	} else {
		out(&g, "#include \"mibc-index.h\"\n\n");
		/* all OIDs in one array; entries point into it */
		out(&g, "static const uint32_t oids[] = {\n");
		size_t total = 0;
		for (size_t k = 0; k < n; k++) {
			out(&g, "\t");
			for (size_t j = 0; j < sorted[k]->oid_len; j++)
				out(&g, "%" PRIu32 ",%s", sorted[k]->oid[j],
				    j + 1 < sorted[k]->oid_len ? " " : "\n");
			total += sorted[k]->oid_len;
		}
		if (!total)
			out(&g, "\t0\n");
		out(&g, "};\n\n");
		if (n) {
			out(&g, "const struct mibc_index_entry "
			    "mibc_generated_index[MIBC_GENERATED_INDEX_LEN] = {\n");
			size_t off = 0;
			for (size_t k = 0; k < n; k++) {
				out(&g, "\t{ oids + %zu, %zu, ", off, sorted[k]->oid_len);
				out_cstr(&g, sorted[k]->module);
				out(&g, ", ");
				out_cstr(&g, sorted[k]->name);
				out(&g, ", %s },\n", c_kind(sorted[k]->kind));
				off += sorted[k]->oid_len;
			}
			out(&g, "};\n");
		} else {
			out(&g, "const struct mibc_index_entry mibc_generated_index[1] "
			    "= { { oids, 0, \"\", \"\", MIBC_KIND_NODE } };\n");
		}
	}
	free(sorted);
	spill(&g, true);
	textbuf_free(&g.text);
	if (ferror(f)) {
		if (error)
			*error = xstrdup("write error");
		return -1;
	}
	return 0;
}
