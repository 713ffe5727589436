/* Writing results: module outputs (atomically, only inside the destination
 * directory), the OID index and the depfile. */
#ifndef MIBC_OUTPUT_H
#define MIBC_OUTPUT_H

#include "arena.h"
#include "driver.h"
#include "emit.h"
#include "model.h"

struct output_index {
	struct arena arena;
	struct index_entry *entries;
	size_t n, cap;
};

/* Write every output of the module's format.  Returns 0, or -1 with a
 * malloc'd *error naming the file. */
int output_write_module(const struct driver_options *o,
			const struct model_module *module, const char *source_path,
			char **error);

void output_index_add(struct output_index *index, const char *module,
		      const char *name, enum model_node_kind kind,
		      const uint32_t *oid, size_t oid_len);
void output_index_free(struct output_index *index);
int output_write_index(const struct driver_options *o, struct output_index *index);

int output_write_depfile(const struct driver_options *o, const struct plan *plan);


#endif
