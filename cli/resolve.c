/* Command-line object names -> instance OIDs (see resolve.h). */
#include "resolve.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct mibc_module_desc *module_list_find(const struct module_list *l,
						const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->modules[i] && strcmp(l->modules[i]->name, name) == 0)
			return l->modules[i];
	return NULL;
}

const struct mibc_object_desc *module_list_object_of(const struct module_list *l,
						     const uint32_t *oid, size_t len)
{
	/* the longest match: a loaded module may define a deeper object
	 * under another module's node */
	const struct mibc_object_desc *best = NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct mibc_object_desc *o = mibc_module_find_object(l->modules[i], oid, len);
		if (o && (!best || o->oid_len > best->oid_len))
			best = o;
	}
	return best;
}

/* ---- index tokens ----------------------------------------------------- */

enum token_kind { TOKEN_NUMBER, TOKEN_STRING, TOKEN_LABEL };

struct token {
	enum token_kind kind;
	uint32_t number;
	char quote;                 /* '"' or '\'' for strings */
	char text[MIBC_OID_MAX_LEN + 1];
	size_t len;
};

struct index_parser {
	struct token tokens[MIBC_OID_MAX_LEN];
	size_t n, next;
	struct resolved *out;
	char *why;
	size_t why_size;
	bool failed;
};

static void fail(struct index_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct index_parser *p, const char *fmt, ...)
{
	if (p->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->why, p->why_size, fmt, ap);
	va_end(ap);
	p->failed = true;
}

/* Split ".1.\"a.b\".up" into tokens; `s` starts after the name. */
static void tokenize(struct index_parser *p, const char *s)
{
	while (*s && !p->failed) {
		if (*s != '.') {
			fail(p, "expected '.' before '%s'", s);
			return;
		}
		s++;
		if (p->n == MIBC_OID_MAX_LEN) {
			fail(p, "index too long");
			return;
		}
		struct token *t = &p->tokens[p->n++];
		memset(t, 0, sizeof(*t));
		if (*s == '"' || *s == '\'') {
			t->kind = TOKEN_STRING;
			t->quote = *s++;
			while (*s && *s != t->quote) {
				if (*s == '\\' && s[1])
					s++;
				if (t->len == MIBC_OID_MAX_LEN) {
					fail(p, "string index too long");
					return;
				}
				t->text[t->len++] = *s++;
			}
			if (*s != t->quote) {
				fail(p, "unterminated string index");
				return;
			}
			s++;
		} else if (isdigit((unsigned char)*s)) {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(s, &end, 10);
			if (errno || v > UINT32_MAX) {
				fail(p, "sub-identifier out of range");
				return;
			}
			t->kind = TOKEN_NUMBER;
			t->number = (uint32_t)v;
			s = end;
		} else {
			t->kind = TOKEN_LABEL;
			while (*s && *s != '.' && t->len < MIBC_OID_MAX_LEN)
				t->text[t->len++] = *s++;
			if (t->len == 0) {
				fail(p, "empty sub-identifier");
				return;
			}
		}
	}
}

static void put(struct index_parser *p, uint32_t v)
{
	if (p->out->oid_len == MIBC_OID_MAX_LEN) {
		fail(p, "OID longer than %d sub-identifiers", MIBC_OID_MAX_LEN);
		return;
	}
	p->out->oid[p->out->oid_len++] = v;
}

static const struct token *take(struct index_parser *p)
{
	return p->next < p->n ? &p->tokens[p->next++] : NULL;
}

static void take_numbers(struct index_parser *p, size_t count, const char *what)
{
	for (size_t i = 0; i < count && !p->failed; i++) {
		const struct token *t = take(p);
		if (!t || t->kind != TOKEN_NUMBER) {
			fail(p, "%s: expected %zu numbers", what, count);
			return;
		}
		put(p, t->number);
	}
}

static bool integer_wire(enum mibc_wire w)
{
	return w == MIBC_WIRE_INTEGER || w == MIBC_WIRE_GAUGE32
	       || w == MIBC_WIRE_COUNTER32 || w == MIBC_WIRE_TIMETICKS;
}

static void string_token(struct index_parser *p, const struct token *t, bool implied,
			 size_t fixed_len, const char *what)
{
	if (fixed_len && t->len != fixed_len) {
		fail(p, "%s: needs exactly %zu octets", what, fixed_len);
		return;
	}
	/* net-snmp's convention: 'single quotes' mean IMPLIED (no length) */
	if (!implied && !fixed_len && t->quote != '\'')
		put(p, (uint32_t)t->len);
	for (size_t i = 0; i < t->len; i++)
		put(p, (unsigned char)t->text[i]);
}

static void index_element(struct index_parser *p, const struct mibc_index_elem *e)
{
	const struct mibc_object_desc *io = e->object;
	const char *what = io && io->name ? io->name : "index";
	const struct token *t = take(p);
	if (!t)
		return;
	if (t->kind == TOKEN_LABEL) {
		int64_t v;
		if (!io || !io->n_names || !mibc_enum_value(io->names, io->n_names, t->text, &v)) {
			fail(p, "%s: '%s' is not a number or a label of its enumeration", what, t->text);
			return;
		}
		put(p, (uint32_t)v);
		return;
	}
	if (t->kind == TOKEN_STRING) {
		if (!io || (io->wire != MIBC_WIRE_OCTET_STRING && io->wire != MIBC_WIRE_OPAQUE)) {
			fail(p, "%s: a string given for an index that is not one", what);
			return;
		}
		string_token(p, t, e->implied, e->fixed_len, what);
		return;
	}
	/* numbers: the element's own encoding, written out */
	p->next--;
	if (!io || integer_wire(io->wire)) {
		take_numbers(p, 1, what);
	} else if (e->implied) {
		take_numbers(p, p->n - p->next, what);
	} else if (e->fixed_len) {
		take_numbers(p, e->fixed_len, what);
	} else {
		uint32_t len = t->number;
		take_numbers(p, 1, what);
		if (len > p->n - p->next) {
			fail(p, "%s: length %u but only %zu sub-identifiers follow", what,
			     len, p->n - p->next);
			return;
		}
		take_numbers(p, len, what);
	}
}

/* Tokens past the INDEX elements (or after a node that has none). */
static void rest(struct index_parser *p)
{
	for (const struct token *t; !p->failed && (t = take(p));) {
		if (t->kind == TOKEN_NUMBER)
			put(p, t->number);
		else if (t->kind == TOKEN_STRING)
			string_token(p, t, false, 0, "string");
		else
			fail(p, "'%s' is not a number", t->text);
	}
}

/* ---- names ------------------------------------------------------------- */

static bool under_enterprises(const struct mibc_object_desc *node)
{
	static const uint32_t enterprises[] = { 1, 3, 6, 1, 4, 1 };
	return node->oid_len >= 6 && memcmp(node->oid, enterprises, sizeof(enterprises)) == 0;
}

/* A name without its module: the first module (in the list's order) that
 * defines it, except that a standard node wins over a vendor's of the same
 * name (`system` is SNMPv2-MIB's, not PowerNet-MIB's), as in net-snmp. */
static const struct mibc_object_desc *find_unqualified(const struct module_list *modules,
						       const char *name)
{
	const struct mibc_object_desc *vendor = NULL;
	for (size_t i = 0; i < modules->n; i++) {
		const struct mibc_object_desc *node = mibc_module_find_name(modules->modules[i], name);
		if (!node)
			continue;
		if (!under_enterprises(node))
			return node;
		if (!vendor)
			vendor = node;
	}
	return vendor;
}

static bool numeric_oid(const char *text, struct resolved *out)
{
	const char *s = text[0] == '.' ? text + 1 : text;
	if (!isdigit((unsigned char)*s))
		return false;
	out->oid_len = 0;
	while (*s) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(s, &end, 10);
		if (end == s || errno || v > UINT32_MAX || out->oid_len == MIBC_OID_MAX_LEN)
			return false;
		out->oid[out->oid_len++] = (uint32_t)v;
		if (*end == '.' && isdigit((unsigned char)end[1]))
			s = end + 1;
		else if (*end == '\0')
			s = end;
		else
			return false;
	}
	return true;
}

int resolve_name(const struct module_list *modules, const char *text,
		 struct resolved *out, char *why, size_t why_size)
{
	memset(out, 0, sizeof(*out));
	if (numeric_oid(text, out)) {
		if (out->oid_len < 2) {
			snprintf(why, why_size, "too short an OID");
			return -1;
		}
		out->object = module_list_object_of(modules, out->oid, out->oid_len);
		out->node = out->object;
		return 0;
	}
	/* MODULE::name, then '.' and the index */
	const char *name = text, *sep = strstr(text, "::");
	const struct mibc_module_desc *module = NULL;
	char module_name[256];
	if (sep) {
		size_t n = (size_t)(sep - text);
		if (n == 0 || n >= sizeof(module_name)) {
			snprintf(why, why_size, "Unknown Object Identifier");
			return -1;
		}
		memcpy(module_name, text, n);
		module_name[n] = '\0';
		module = module_list_find(modules, module_name);
		if (!module) {
			snprintf(why, why_size, "Unknown Object Identifier (module %s is not "
				 "built in: load it with --mib-source DIR -m %s)",
				 module_name, module_name);
			return -1;
		}
		name = sep + 2;
	}
	size_t name_len = strcspn(name, ".");
	char node_name[256];
	if (name_len == 0 || name_len >= sizeof(node_name)) {
		snprintf(why, why_size, "Unknown Object Identifier");
		return -1;
	}
	memcpy(node_name, name, name_len);
	node_name[name_len] = '\0';
	const struct mibc_object_desc *node = NULL;
	if (module)
		node = mibc_module_find_name(module, node_name);
	else
		node = find_unqualified(modules, node_name);
	if (!node || !node->oid_len) {
		snprintf(why, why_size, "Unknown Object Identifier");
		return -1;
	}
	memcpy(out->oid, node->oid, node->oid_len * sizeof(*out->oid));
	out->oid_len = node->oid_len;
	out->node = node;

	struct index_parser *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(why, why_size, "out of memory");
		return -1;
	}
	p->out = out;
	p->why = why;
	p->why_size = why_size;
	tokenize(p, name + name_len);
	if (node->kind == MIBC_KIND_COLUMN)
		for (size_t i = 0; i < node->n_index && !p->failed && p->next < p->n; i++)
			index_element(p, &node->index[i]);
	rest(p);
	bool failed = p->failed;
	free(p);
	if (failed)
		return -1;
	if ((node->kind == MIBC_KIND_SCALAR || node->kind == MIBC_KIND_COLUMN))
		out->object = node;
	else
		out->object = module_list_object_of(modules, out->oid, out->oid_len);
	return 0;
}
