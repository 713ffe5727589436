/* Diagnostics: libsmi's messages, attributed to the module whose file they
 * are about, de-duplicated, printed as `file:line: error: text`. */
#ifndef MIBC_DIAG_H
#define MIBC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag {
	int line;
	int severity; /* libsmi's: 0 fatal, 1 severe, 2 error, 3.. warnings */
	char *message;
};

struct diag_list {
	struct diag *items;
	size_t n;
};

/* Severity at and below which a module counts as failed (what the shared
 * corpus README calls "tolerant OK": no severity <= 1). */
#define DIAG_FAIL_SEVERITY 1
/* Printed as warnings without --debug: up to here. */
#define DIAG_WARN_SEVERITY 2

/* Add unless the same (line, severity, message) is already there.
 * Returns true when it was new. */
bool diag_add(struct diag_list *list, int line, int severity, const char *message);
void diag_list_free(struct diag_list *list);

/* The first diagnostic at or below `severity`, or NULL. */
const struct diag *diag_first_at(const struct diag_list *list, int severity);
int diag_worst(const struct diag_list *list); /* 99 when empty */

/* "error", "warning" or "note" for a libsmi severity. */
const char *diag_kind(int severity);

/* Print `path:line: kind: message` (no ":line" when line is 0). */
void diag_print(FILE *out, const char *path, int line, int severity,
		const char *message);

#endif
