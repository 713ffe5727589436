/* Tables as CSV (see csv.h). */
#include "csv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct csv_row {
	uint32_t *suffix;
	size_t len;
	char **cells;                 /* per column, NULL: no value */
};

struct csv_table {
	const struct mibc_object_desc **columns;
	size_t n_columns;
	struct csv_row *rows;
	size_t n_rows, cap;
	size_t cursor;                /* where the last cell went */
};

static bool readable(const struct mibc_object_desc *c)
{
	return c->access == MIBC_ACCESS_READ_ONLY || c->access == MIBC_ACCESS_READ_WRITE
	       || c->access == MIBC_ACCESS_READ_CREATE;
}

static void *xcalloc_or_die(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

struct csv_table *csv_table_new(const struct mibc_object_desc *node)
{
	if (!node)
		return NULL;
	const struct mibc_object_desc *row = NULL;
	if (node->kind == MIBC_KIND_TABLE)
		row = node->parent;
	else if (node->kind == MIBC_KIND_ROW)
		row = node;
	struct csv_table *t = xcalloc_or_die(1, sizeof(*t));
	if (node->kind == MIBC_KIND_COLUMN) {
		t->columns = xcalloc_or_die(1, sizeof(*t->columns));
		t->columns[t->n_columns++] = node;
		return t;
	}
	if (!row || !row->n_columns) {
		free(t);
		return NULL;
	}
	t->columns = xcalloc_or_die(row->n_columns, sizeof(*t->columns));
	for (size_t i = 0; i < row->n_columns; i++)
		if (readable(row->columns[i]))
			t->columns[t->n_columns++] = row->columns[i];
	return t;
}

static bool has_prefix(const uint32_t *oid, size_t len, const uint32_t *prefix, size_t n)
{
	return n <= len && memcmp(oid, prefix, n * sizeof(*oid)) == 0;
}

static struct csv_row *row_for(struct csv_table *t, const uint32_t *suffix, size_t len)
{
	/* a walk goes column by column, rows in the same order each time:
	 * look from the last row used on */
	for (size_t k = 0; k < t->n_rows; k++) {
		size_t i = (t->cursor + k) % t->n_rows;
		struct csv_row *r = &t->rows[i];
		if (r->len == len && memcmp(r->suffix, suffix, len * sizeof(*suffix)) == 0) {
			t->cursor = i + 1;
			return r;
		}
	}
	if (t->n_rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		struct csv_row *grown = realloc(t->rows, t->cap * sizeof(*t->rows));
		if (!grown) {
			perror("realloc");
			exit(1);
		}
		t->rows = grown;
	}
	struct csv_row *r = &t->rows[t->n_rows++];
	r->suffix = xcalloc_or_die(len, sizeof(*suffix));
	memcpy(r->suffix, suffix, len * sizeof(*suffix));
	r->len = len;
	r->cells = xcalloc_or_die(t->n_columns, sizeof(*r->cells));
	t->cursor = t->n_rows;
	return r;
}

/* The value's text without snmpget's "TYPE: ". */
static char *cell_text(const struct printer *p, const struct mibc_object_desc *column,
		       const struct mibc_value *value)
{
	struct mibc_raw_value raw;
	mibc_value_raw(value, &raw);
	int n = mibc_format_value(column, &raw, &p->format, NULL, 0);
	char *text = malloc(n > 0 ? (size_t)n + 1 : 1);
	if (!text)
		return NULL;
	text[0] = '\0';
	if (n > 0)
		mibc_format_value(column, &raw, &p->format, text, (size_t)n + 1);
	const char *colon = strstr(text, ": ");
	if (colon)
		memmove(text, colon + 2, strlen(colon + 2) + 1);
	return text;
}

bool csv_table_add(struct csv_table *t, const struct printer *p,
		   const struct mibc_varbind *vb)
{
	for (size_t c = 0; c < t->n_columns; c++) {
		const struct mibc_object_desc *col = t->columns[c];
		if (!has_prefix(vb->oid, vb->oid_len, col->oid, col->oid_len)
		    || vb->oid_len == col->oid_len)
			continue;
		struct csv_row *r = row_for(t, vb->oid + col->oid_len, vb->oid_len - col->oid_len);
		free(r->cells[c]);
		r->cells[c] = cell_text(p, col, vb->value);
		return true;
	}
	return false;
}

static void put_field(FILE *out, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct csv_row *a = pa, *b = pb;
	return mibc_oid_compare(a->suffix, a->len, b->suffix, b->len);
}

/* "1.2.3" (malloc'd). */
static char *dotted(const uint32_t *sub, size_t len)
{
	char *text = malloc(len * 11 + 1);
	if (!text)
		return NULL;
	size_t used = 0;
	text[0] = '\0';
	for (size_t i = 0; i < len; i++)
		used += (size_t)sprintf(text + used, i ? ".%" PRIu32 : "%" PRIu32, sub[i]);
	return text;
}

/* The index as snmpget names it after the column ("1", "\"alice\""), or
 * its sub-identifiers with -On. */
static char *index_text(const struct csv_table *t, const struct printer *p,
			const struct csv_row *r)
{
	const struct mibc_object_desc *col = t->columns[0];
	if (p->format.flags & MIBC_FORMAT_NUMERIC_OIDS || col->oid_len + r->len > MIBC_OID_MAX_LEN)
		return dotted(r->suffix, r->len);
	uint32_t oid[MIBC_OID_MAX_LEN];
	memcpy(oid, col->oid, col->oid_len * sizeof(*oid));
	memcpy(oid + col->oid_len, r->suffix, r->len * sizeof(*oid));
	char *name = print_oid_name(p, col, oid, col->oid_len + r->len);
	if (!name)
		return NULL;
	/* MODULE::column.INDEX: names hold no dots, the index may */
	const char *module_end = strstr(name, "::");
	const char *dot = strchr(module_end ? module_end + 2 : name, '.');
	if (dot)
		memmove(name, dot + 1, strlen(dot + 1) + 1);
	return name;
}

void csv_table_print(const struct csv_table *t, const struct printer *p, FILE *out)
{
	fputs("index", out);
	for (size_t c = 0; c < t->n_columns; c++) {
		fputc(',', out);
		put_field(out, t->columns[c]->name);
	}
	fputc('\n', out);
	struct csv_row *sorted = xcalloc_or_die(t->n_rows, sizeof(*sorted));
	if (t->n_rows)
		memcpy(sorted, t->rows, t->n_rows * sizeof(*sorted));
	qsort(sorted, t->n_rows, sizeof(*sorted), cmp_rows);
	for (size_t i = 0; i < t->n_rows; i++) {
		char *index = index_text(t, p, &sorted[i]);
		put_field(out, index ? index : "?");
		free(index);
		for (size_t c = 0; c < t->n_columns; c++) {
			fputc(',', out);
			put_field(out, sorted[i].cells[c] ? sorted[i].cells[c] : "");
		}
		fputc('\n', out);
	}
	free(sorted);
}

size_t csv_table_rows(const struct csv_table *t)
{
	return t->n_rows;
}

void csv_table_free(struct csv_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t c = 0; c < t->n_columns; c++)
			free(t->rows[i].cells[c]);
		free(t->rows[i].cells);
		free(t->rows[i].suffix);
	}
	free(t->rows);
	free(t->columns);
	free(t);
}
