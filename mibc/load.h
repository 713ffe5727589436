/* libsmi -> model.  Only the worker process calls these (libsmi is global
 * state, not thread-safe, and may crash or exit on broken input: the
 * driver isolates it in a child process, see worker.c). */
#ifndef MIBC_LOAD_H
#define MIBC_LOAD_H

#include <stdbool.h>

#include "model.h"

/* Called for every libsmi diagnostic.  `path` is the file libsmi read (a
 * staged name; the driver maps it back), line 0 when unknown; severity as
 * libsmi's (0 internal/fatal, 1 severe, 2 error, 3..6 warnings). */
typedef void load_diag_fn(const char *path, int line, int severity,
			  const char *message, const char *tag, void *data);

struct load_options {
	bool texts; /* keep DESCRIPTION/REFERENCE texts */
	bool keep_texts_layout;
};

/* smiInit without any config file, path set to `dir` only, errors routed
 * to `diag`.  Returns 0 or -1. */
int load_init(const char *dir, load_diag_fn *diag, void *data);
void load_exit(void);

/* Make libsmi parse a module (and its imports).  Returns 0, or -1 when
 * libsmi could not load it at all. */
/* libsmi's check for names defined twice in a module (all four of its
 * messages: identifier-redefined, -case-match, -external-redefined,
 * -external-case-match) on or off for the following parses.  On is
 * libsmi's default.  Off, libsmi skips the check, which is quadratic in
 * the module's size, instead of only hiding what it finds. */
void load_redefinition_check(bool on);
/* Has libsmi loaded `module` (explicitly or as an import)?  Unlike
 * smiGetModule, never loads it. */
bool load_is_loaded(const char *module);

int load_parse(const char *module);

/* The worst severity libsmi recorded for a loaded module (0 none). */
int load_worst_severity(const char *module);

/* Build the model of a loaded module.  `path` is recorded as the module's
 * source for users.  NULL when the module is not loaded. */
struct model_module *load_model(const char *module, const char *path,
				const struct load_options *options);

#endif
