/* The model's text form (see model-text.h).  Records:
 *
 *   module NAME
 *   node NAME OID KIND ACCESS STATUS UNITS PARENT INDEX-KIND
 *        RELATED-MODULE RELATED-NAME CREATE
 *   index MODULE NAME IMPLIED        an INDEX element of the last node
 *   syntax BASE WIRE BASE-NAME TYPE-MODULE TYPE-NAME HINT SIZES
 *          N-RANGES (MIN MAX)... N-NAMED (NAME VALUE)...
 *                                    of the last node or index element
 *   end
 *
 * Enumerations are written as their numbers (writer and reader are the
 * same build). */
#include "model-text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* ---- writing --------------------------------------------------------- */

static void put_string(FILE *out, const char *s)
{
	fputc(' ', out);
	if (!s) {
		fputc('-', out);
		return;
	}
	/* a leading quote tells "-" the string from "-" the NULL */
	fputc('\'', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '%' || *p >= 0x7f)
			fprintf(out, "%%%02X", *p);
		else
			fputc(*p, out);
	}
}

static void put_syntax(FILE *out, const struct model_syntax *s)
{
	fprintf(out, "syntax %d %d", (int)s->base, (int)s->wire);
	put_string(out, s->base_name);
	put_string(out, s->type.module);
	put_string(out, s->type.name);
	put_string(out, s->display_hint);
	fprintf(out, " %d %zu", s->ranges_are_sizes ? 1 : 0, s->n_ranges);
	for (size_t i = 0; i < s->n_ranges; i++)
		fprintf(out, " %" PRId64 " %" PRId64, s->ranges[i].min, s->ranges[i].max);
	fprintf(out, " %zu", s->n_named);
	for (size_t i = 0; i < s->n_named; i++) {
		put_string(out, s->named[i].name);
		fprintf(out, " %" PRId64, s->named[i].value);
	}
	fputc('\n', out);
}

int model_text_write(const struct model_module *m, FILE *out)
{
	fputs("module", out);
	put_string(out, m->name);
	fputc('\n', out);
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct model_node *n = &m->nodes[i];
		fputs("node", out);
		put_string(out, n->name);
		fputc(' ', out);
		for (size_t k = 0; k < n->oid_len; k++)
			fprintf(out, k ? ".%" PRIu32 : "%" PRIu32, n->oid[k]);
		if (n->oid_len == 0)
			fputc('-', out);
		fprintf(out, " %d %d %d", (int)n->kind, (int)n->access, (int)n->status);
		put_string(out, n->units);
		put_string(out, n->parent);
		fprintf(out, " %d", (int)n->index_kind);
		put_string(out, n->related.module);
		put_string(out, n->related.name);
		fprintf(out, " %d\n", n->create ? 1 : 0);
		if (n->syntax)
			put_syntax(out, n->syntax);
		for (size_t k = 0; k < n->n_index; k++) {
			const struct model_index_element *e = &n->index[k];
			fputs("index", out);
			put_string(out, e->object.module);
			put_string(out, e->object.name);
			fprintf(out, " %d\n", e->implied ? 1 : 0);
			if (e->syntax)
				put_syntax(out, e->syntax);
		}
	}
	fputs("end\n", out);
	return ferror(out) ? -1 : 0;
}

static char *text_output_name(const char *module, size_t i)
{
	(void)i;
	return xasprintf("%s.model", module);
}

static int text_emit(const struct model_module *module,
		     const struct emit_options *options, size_t i, FILE *out,
		     char **error)
{
	(void)options;
	(void)i;
	if (model_text_write(module, out) != 0) {
		*error = xasprintf("%s: cannot write its model", module->name);
		return -1;
	}
	return 0;
}

const struct emitter emitter_model_text = {
	.format = "model",
	.n_outputs = 1,
	.output_name = text_output_name,
	.emit = text_emit,
};

/* ---- reading --------------------------------------------------------- */

struct reader {
	struct model_module *module;
	char **tokens;
	size_t n_tokens;
	size_t next;          /* the token to read next */
	bool bad;
};

static char *next_raw(struct reader *r)
{
	if (r->next >= r->n_tokens) {
		r->bad = true;
		return NULL;
	}
	return r->tokens[r->next++];
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static const char *next_string(struct reader *r)
{
	char *t = next_raw(r);
	if (!t || strcmp(t, "-") == 0)
		return NULL;
	if (t[0] != '\'') {
		r->bad = true;
		return NULL;
	}
	char *s = arena_strdup(&r->module->arena, t + 1), *w = s;
	for (const char *p = s; *p; p++) {
		if (*p == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0) {
				r->bad = true;
				return NULL;
			}
			*w++ = (char)(hi << 4 | lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return s;
}

static int64_t next_int(struct reader *r)
{
	char *t = next_raw(r), *end;
	if (!t)
		return 0;
	errno = 0;
	long long v = strtoll(t, &end, 10);
	if (*end || errno)
		r->bad = true;
	return v;
}

static size_t next_count(struct reader *r)
{
	int64_t v = next_int(r);
	/* counts beyond the tokens left cannot be right */
	if (v < 0 || (uint64_t)v > r->n_tokens) {
		r->bad = true;
		return 0;
	}
	return (size_t)v;
}

static void read_oid(struct reader *r, struct model_node *n)
{
	char *t = next_raw(r);
	if (!t || strcmp(t, "-") == 0)
		return;
	for (char *p = t; *p;) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || errno || v > UINT32_MAX || n->oid_len == MODEL_OID_MAX
		    || (*end && *end != '.')) {
			r->bad = true;
			return;
		}
		n->oid[n->oid_len++] = (uint32_t)v;
		p = *end ? end + 1 : end;
	}
}

static struct model_syntax *read_syntax(struct reader *r)
{
	struct arena *a = &r->module->arena;
	struct model_syntax *s = arena_alloc(a, sizeof(*s));
	s->base = (enum model_base)next_int(r);
	s->wire = (enum model_wire)next_int(r);
	s->base_name = next_string(r);
	s->type.module = next_string(r);
	s->type.name = next_string(r);
	s->display_hint = next_string(r);
	s->ranges_are_sizes = next_int(r) != 0;
	s->n_ranges = next_count(r);
	s->ranges = arena_array(a, s->n_ranges ? s->n_ranges : 1, sizeof(*s->ranges));
	for (size_t i = 0; i < s->n_ranges && !r->bad; i++) {
		s->ranges[i].min = next_int(r);
		s->ranges[i].max = next_int(r);
	}
	s->n_named = next_count(r);
	s->named = arena_array(a, s->n_named ? s->n_named : 1, sizeof(*s->named));
	for (size_t i = 0; i < s->n_named && !r->bad; i++) {
		s->named[i].name = next_string(r);
		s->named[i].value = next_int(r);
	}
	return s;
}

/* Split a line into space-separated tokens (in place). */
static size_t split(char *line, char ***tokens, size_t *cap)
{
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(line, " \n", &save); t;
	     t = strtok_r(NULL, " \n", &save)) {
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*tokens = xreallocarray(*tokens, *cap, sizeof(**tokens));
		}
		(*tokens)[n++] = t;
	}
	return n;
}

struct model_module *model_text_read(FILE *in, char **error)
{
	struct model_module *m = xcalloc(1, sizeof(*m));
	struct reader r = { .module = m };
	char *line = NULL;
	size_t line_cap = 0, tokens_cap = 0, nodes_cap = 0, lineno = 0;
	/* where a "syntax" record goes: the last node or index element */
	struct model_syntax **syntax_slot = NULL;
	bool ended = false;
	const char *what = NULL;

	while (!ended && getline(&line, &line_cap, in) > 0) {
		lineno++;
		r.n_tokens = split(line, &r.tokens, &tokens_cap);
		r.next = 0;
		const char *kind = next_raw(&r);
		if (!kind) {
			what = "empty line";
			break;
		}
		if (strcmp(kind, "module") == 0) {
			m->name = next_string(&r);
		} else if (strcmp(kind, "node") == 0) {
			if (m->n_nodes == nodes_cap) {
				nodes_cap = nodes_cap ? nodes_cap * 2 : 64;
				m->nodes = xreallocarray(m->nodes, nodes_cap, sizeof(*m->nodes));
			}
			struct model_node *n = &m->nodes[m->n_nodes++];
			memset(n, 0, sizeof(*n));
			n->name = next_string(&r);
			read_oid(&r, n);
			n->kind = (enum model_node_kind)next_int(&r);
			n->access = (enum model_access)next_int(&r);
			n->status = (enum model_status)next_int(&r);
			n->units = next_string(&r);
			n->parent = next_string(&r);
			n->index_kind = (enum model_index_kind)next_int(&r);
			n->related.module = next_string(&r);
			n->related.name = next_string(&r);
			n->create = next_int(&r) != 0;
			syntax_slot = &n->syntax;
		} else if (strcmp(kind, "index") == 0) {
			if (m->n_nodes == 0) {
				what = "index before any node";
				break;
			}
			struct model_node *n = &m->nodes[m->n_nodes - 1];
			struct model_index_element *grown =
				arena_array(&m->arena, n->n_index + 1, sizeof(*grown));
			if (n->n_index)
				memcpy(grown, n->index, n->n_index * sizeof(*grown));
			n->index = grown;
			struct model_index_element *e = &n->index[n->n_index++];
			e->object.module = next_string(&r);
			e->object.name = next_string(&r);
			e->implied = next_int(&r) != 0;
			/* the element's syntax is const in the model */
			syntax_slot = (struct model_syntax **)&e->syntax;
		} else if (strcmp(kind, "syntax") == 0) {
			if (!syntax_slot) {
				what = "syntax before any node";
				break;
			}
			*syntax_slot = read_syntax(&r);
			syntax_slot = NULL;
		} else if (strcmp(kind, "end") == 0) {
			ended = true;
		} else {
			what = "unknown record";
			break;
		}
		if (r.bad || r.next != r.n_tokens) {
			what = "malformed record";
			break;
		}
	}
	free(line);
	free(r.tokens);
	if (!what && (!ended || !m->name))
		what = "truncated";
	if (what) {
		*error = xasprintf("line %zu: %s", lineno, what);
		/* nodes are malloc'd separately from the arena */
		free(m->nodes);
		m->nodes = NULL;
		m->n_nodes = 0;
		model_module_free(m);
		return NULL;
	}
	/* model_module_free expects the nodes in the arena */
	struct model_node *nodes = arena_array(&m->arena, m->n_nodes ? m->n_nodes : 1,
					       sizeof(*nodes));
	if (m->n_nodes)
		memcpy(nodes, m->nodes, m->n_nodes * sizeof(*nodes));
	free(m->nodes);
	m->nodes = nodes;
	return m;
}
