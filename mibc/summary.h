/* The report mibc prints, with mibdump's headings so its users can read
 * it at a glance. */
#ifndef MIBC_SUMMARY_H
#define MIBC_SUMMARY_H

#include <stdio.h>

#include "driver.h"

struct summary_info {
	const struct driver_options *options;
	struct source_set *sources;
	struct plan *plan;
};

/* What will be done: sources, stubs, modules, format, switches. */
void summary_print_header(FILE *out, const struct summary_info *info);
/* What was done: created, up to date, missing, ignored, failed. */
void summary_print_results(FILE *out, const struct summary_info *info);
/* --quiet: only the failures, one line each. */
void summary_print_errors(FILE *out, const struct summary_info *info);

#endif
