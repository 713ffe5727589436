#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* "NAME", or "NAME (file)" when the file is not simply named after the
 * module, as mibdump shows UCD-SNMP-MIB (UCD-SNMP). */
static void print_module(FILE *out, const struct module_entry *m)
{
	fputs(m->name, out);
	if (!m->source)
		return;
	const char *base = strrchr(m->source->path, '/');
	base = base ? base + 1 : m->source->path;
	size_t stem = strcspn(base, ".");
	if (strlen(m->name) != stem || strncmp(base, m->name, stem) != 0)
		fprintf(out, " (%s)", base);
}

typedef bool module_filter(const struct module_entry *m);

static int compare_entries_by_name(const void *a, const void *b)
{
	const struct module_entry *const *ma = a, *const *mb = b;
	return strcmp((*ma)->name, (*mb)->name);
}

/* One heading and its modules in byte order of their names, as mibdump
 * sorts them. */
static void print_list(FILE *out, const char *heading, const struct plan *plan,
		       module_filter *filter, bool with_reason)
{
	const struct module_entry **list = xcalloc(plan->n_modules + 1, sizeof(*list));
	size_t n = 0;
	for (size_t i = 0; i < plan->n_modules; i++)
		if (filter(&plan->modules[i]))
			list[n++] = &plan->modules[i];
	qsort(list, n, sizeof(*list), compare_entries_by_name);
	fprintf(out, "%s:", heading);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		print_module(out, list[i]);
		if (with_reason && list[i]->reason)
			fprintf(out, " (%s%s)", list[i]->reason,
				list[i]->with_errors ? "; generated anyway: --ignore-errors" : "");
	}
	fputc('\n', out);
	free(list);
}

static bool is_requested(const struct module_entry *m) { return m->requested; }
static bool is_created(const struct module_entry *m) { return m->state == MODULE_CREATED; }
static bool is_up_to_date(const struct module_entry *m) { return m->state == MODULE_UP_TO_DATE; }
static bool is_missing(const struct module_entry *m) { return m->state == MODULE_MISSING; }
static bool is_ignored(const struct module_entry *m) { return m->state == MODULE_IGNORED; }
static bool is_failed(const struct module_entry *m)
{
	return m->state == MODULE_FAILED || (m->state == MODULE_CREATED && m->with_errors);
}

void summary_print_header(FILE *out, const struct summary_info *info)
{
	const struct driver_options *o = info->options;
	fputs("Source MIB repositories:", out);
	for (size_t i = 0; i < sources_count(info->sources); i++)
		fprintf(out, "%s%s", i ? ", " : " ", sources_name(info->sources, i));
	fputc('\n', out);
	fputs("MIBs excluded from code generation:", out);
	for (size_t i = 0; i < o->n_stubs; i++)
		fprintf(out, "%s%s", i ? ", " : " ", o->stubs[i]);
	fputc('\n', out);
	print_list(out, "MIBs to compile", info->plan, is_requested, false);
	fprintf(out, "Destination format: %s\n", o->format->format);
	fprintf(out, "Destination directory: %s\n", o->destination_directory);
	fprintf(out, "Also compile all relevant MIBs: %s\n", yes_no(o->dependencies));
	fprintf(out, "Rebuild MIBs regardless of age: %s\n", yes_no(o->rebuild));
	fprintf(out, "Dry run mode: %s\n", yes_no(o->dry_run));
	fprintf(out, "Ignore compilation errors: %s\n", yes_no(o->ignore_errors));
	fprintf(out, "Generate OID->MIB index: %s\n", yes_no(o->build_index));
	fprintf(out, "Generate texts in MIBs: %s\n", yes_no(o->generate_texts));
	fprintf(out, "Keep original texts layout: %s\n", yes_no(o->keep_texts_layout));
	fprintf(out, "Try various file names while searching for MIB module: %s\n",
		yes_no(o->fuzzy));
	fflush(out);
}

void summary_print_results(FILE *out, const struct summary_info *info)
{
	const struct plan *plan = info->plan;
	print_list(out, info->options->dry_run ? "Would be created/updated MIBs"
					       : "Created/updated MIBs",
		   plan, is_created, false);
	print_list(out, "Up to date MIBs", plan, is_up_to_date, false);
	print_list(out, "Missing source MIBs", plan, is_missing, false);
	print_list(out, "Ignored MIBs", plan, is_ignored, true);
	print_list(out, "Failed MIBs", plan, is_failed, true);
	if (plan->n_not_mib_files) {
		fputs("Files that are not MIBs:", out);
		for (size_t i = 0; i < plan->n_not_mib_files; i++)
			fprintf(out, "%s%s", i ? ", " : " ", plan->not_mib_files[i]);
		fputc('\n', out);
	}
	fflush(out);
}

void summary_print_errors(FILE *out, const struct summary_info *info)
{
	const struct plan *plan = info->plan;
	for (size_t i = 0; i < plan->n_modules; i++) {
		const struct module_entry *m = &plan->modules[i];
		if (is_missing(m))
			fprintf(out, "mibc: error: %s: no MIB source has this module\n", m->name);
		else if (is_failed(m))
			fprintf(out, "mibc: error: %s failed: %s\n", m->name,
				m->reason ? m->reason : "unknown reason");
		else if (is_ignored(m))
			fprintf(out, "mibc: error: %s ignored: %s\n", m->name,
				m->reason ? m->reason : "a module it needs failed");
	}
}
