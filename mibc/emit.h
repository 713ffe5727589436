/* Emitters: model -> files.  Each destination format names its output
 * files from the module name alone (so the driver can tell what is up to
 * date without parsing) and writes one output at a time to a stream; the
 * driver owns files, temporary names and atomic renames. */
#ifndef MIBC_EMIT_H
#define MIBC_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct emit_options {
	bool generate_texts;    /* --generate-mib-texts */
	bool keep_texts_layout; /* --keep-texts-layout */
	const char *version;    /* mibc's version, for the first line */
	/* Warnings found while emitting (C identifier clashes resolved by
	 * renaming...): `line` is the line in the module's source, 0 when
	 * unknown.  NULL: printed to stderr as "MODULE:LINE: warning: ...". */
	void (*warning)(const struct model_module *module, int line,
			const char *message, void *data);
	void *warning_data;
	/* --select (C only): NULL-terminated list of object names ("ifDescr"
	 * or "IF-MIB::ifDescr": the node and its subtree), dotted OIDs (a
	 * subtree, or the object an instance OID belongs to), OBJECT-GROUPs
	 * (their members) or MODULE-COMPLIANCEs (their groups' members).
	 * What the selected objects need comes along (rows, tables, index
	 * objects, the types they use).  A module none of whose nodes is
	 * selected is emitted whole (it is a dependency).  NULL: all. */
	const char *const *select;
};

struct emitter {
	const char *format;  /* "c", "json", "null" */
	size_t n_outputs;    /* files per module (0 for null) */
	/* Base name of output i for a module, malloc'd. */
	char *(*output_name)(const char *module, size_t i);
	/* Write output i.  Returns 0, or -1 with a malloc'd *error. */
	int (*emit)(const struct model_module *module,
		    const struct emit_options *options, size_t i, FILE *out,
		    char **error);
	/* Optional: what a module's outputs share (the C emitter's names
	 * and entities), made once by prepare, then each output written by
	 * emit_prepared, then freed by release.  The options must outlive
	 * the prepared state.  NULL: emit is called per output. */
	void *(*prepare)(const struct model_module *module,
			 const struct emit_options *options);
	int (*emit_prepared)(void *prepared, size_t i, FILE *out, char **error);
	void (*release)(void *prepared);
};

/* NULL when the format is unknown. */
const struct emitter *emitter_find(const char *format);
/* "c, json, null", for --help. */
const char *emitter_formats(void);

extern const struct emitter emitter_c;
extern const struct emitter emitter_json;
extern const struct emitter emitter_null;

/* The OID -> (module, name) index over all compiled modules
 * (--build-index). */
struct index_entry {
	const char *module;
	const char *name;
	const uint32_t *oid;
	size_t oid_len;
	/* The node's kind: the JSON index lists MODULE-IDENTITY and
	 * MODULE-COMPLIANCE OIDs separately (0, MODEL_NODE_NODE, if not
	 * known). */
	enum model_node_kind kind;
};

/* Output files of the index for a format (NULL-terminated list of base
 * names, static), and the writer for file i. */
const char *const *index_output_names(const char *format);
/* The C form (emit-c.c): "mibc-index.h", "mibc-index.c", NULL; the table
 * `mibc_generated_index` of struct mibc_index_entry (mibc/desc.h). */
extern const char *const emit_c_index_names[];
int emit_c_index(size_t i, const struct index_entry *entries, size_t n_entries,
		 const struct emit_options *options, FILE *out, char **error);
int emit_index(const char *format, size_t i, const struct index_entry *entries,
	       size_t n_entries, const struct emit_options *options,
	       FILE *out, char **error);

#endif
