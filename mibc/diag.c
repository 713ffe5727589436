#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

bool diag_add(struct diag_list *list, int line, int severity, const char *message)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct diag *d = &list->items[i];
		if (d->line == line && d->severity == severity &&
		    strcmp(d->message, message) == 0)
			return false;
	}
	list->items = xreallocarray(list->items, list->n + 1, sizeof(*list->items));
	list->items[list->n++] = (struct diag){
		.line = line,
		.severity = severity,
		.message = xstrdup(message),
	};
	return true;
}

void diag_list_free(struct diag_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].message);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

const struct diag *diag_first_at(const struct diag_list *list, int severity)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->items[i].severity <= severity)
			return &list->items[i];
	return NULL;
}

int diag_worst(const struct diag_list *list)
{
	int worst = 99;
	for (size_t i = 0; i < list->n; i++)
		if (list->items[i].severity < worst)
			worst = list->items[i].severity;
	return worst;
}

const char *diag_kind(int severity)
{
	if (severity <= DIAG_FAIL_SEVERITY)
		return "error";
	if (severity <= 5)
		return "warning";
	return "note";
}

/* A MIB's bytes reach messages (libsmi quotes the character it rejects):
 * control and non-ASCII bytes are shown as \xNN, never sent raw to a
 * terminal. */
static void print_escaped(FILE *out, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

void diag_print(FILE *out, const char *path, int line, int severity,
		const char *message)
{
	print_escaped(out, path);
	if (line > 0)
		fprintf(out, ":%d", line);
	fprintf(out, ": %s: ", diag_kind(severity));
	print_escaped(out, message);
	fputc('\n', out);
}
