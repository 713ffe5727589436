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

void diag_print(FILE *out, const char *path, int line, int severity,
		const char *message)
{
	if (line > 0)
		fprintf(out, "%s:%d: %s: %s\n", path, line, diag_kind(severity), message);
	else
		fprintf(out, "%s: %s: %s\n", path, diag_kind(severity), message);
}
