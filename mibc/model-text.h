/* A plain-text form of the model, so a model built in the worker process
 * (where libsmi runs) can travel to the process that needs it: mibget
 * loads MIBs at start-up and builds descriptors from the models without
 * ever linking libsmi into its own address space's state.
 *
 * One record per line, tokens separated by one space; strings are
 * percent-encoded (no spaces, no newlines) and "-" stands for NULL.  Only
 * what runtime descriptors need is kept (names, OIDs, kinds, syntax,
 * indexes, hierarchy): no texts, revisions, imports or type definitions.
 * The form is private to one build of mibc (writer and reader are always
 * the same version), so it carries no compatibility promises. */
#ifndef MIBC_MODEL_TEXT_H
#define MIBC_MODEL_TEXT_H

#include <stdio.h>

#include "emit.h"
#include "model.h"

/* Write `module` in the text form.  0, or -1 on a write error. */
int model_text_write(const struct model_module *module, FILE *out);

/* Read a module written by model_text_write.  NULL with a malloc'd
 * *error ("line 12: ...") when the text is not that form. */
struct model_module *model_text_read(FILE *in, char **error);

/* The emitter writing `<module>.model` files (not offered by mibc's
 * --destination-format: it is for mibc's own tools). */
extern const struct emitter emitter_model_text;

#endif
