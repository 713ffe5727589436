/* MIB modules loaded at run time, for mibc's command-line tools (mibget):
 * the modules are found, parsed and checked exactly as `mibc` does it
 * (sources, libsmi in a forked worker), their models come back in the
 * text form (model-text.h) through a temporary directory, and descriptors
 * are built from them in memory (desc-build.h).  No C compiler involved. */
#ifndef MIBC_DYNAMIC_H
#define MIBC_DYNAMIC_H

#include <stdbool.h>
#include <stddef.h>

#include <mibc/desc.h>

struct dynamic_request {
	const char *const *sources;   /* --mib-source, in order */
	size_t n_sources;
	const char *const *modules;   /* module names or MIB files */
	size_t n_modules;
	bool system_sources;          /* also the system MIB directories */
	bool debug;                   /* the compiler's summary and notes */
	/* Modules already available (compiled in): INDEX objects and AUGMENTS
	 * rows of the loaded modules may come from these. */
	const struct mibc_module_desc *const *known;
	size_t n_known;
};

struct desc_set;

/* Load the modules (and what they import).  Diagnostics go to stderr as
 * mibc prints them with --quiet.  NULL with a malloc'd *error when a
 * requested module could not be loaded at all; a module loaded despite
 * errors is used. */
struct desc_set *dynamic_load(const struct dynamic_request *request, char **error);

#endif
