/* The driver: sources -> plan -> worker -> summary.
 *
 * Everything that can be decided without libsmi is decided here, in the
 * parent process: where each module is, what it imports (from mibc's own
 * scan), which modules are stubs, missing or up to date.  Only what needs a
 * real parse goes to the worker process (worker.c), so a rerun over an
 * up-to-date tree never starts libsmi. */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "mibc-config.h"
#include "output.h"
#include "summary.h"
#include "worker.h"

const char *const driver_default_stubs[] = {
	"RFC1065-SMI", "RFC1155-SMI", "RFC1158-MIB", "RFC-1212", "RFC1213-MIB",
	"RFC-1215", "SNMPv2-SMI", "SNMPv2-TC", "SNMPv2-TM", "SNMPv2-CONF",
};
const size_t driver_n_default_stubs =
	sizeof(driver_default_stubs) / sizeof(driver_default_stubs[0]);

const char *const driver_c_stubs[] = {
	"RFC1065-SMI", "RFC1155-SMI", "RFC-1212", "RFC-1215", "SNMPv2-SMI", "SNMPv2-CONF",
};
const size_t driver_n_c_stubs = sizeof(driver_c_stubs) / sizeof(driver_c_stubs[0]);

/* Where Linux distributions and net-snmp keep MIBs, and our installed
 * test MIBs; searched after the user's sources, those that exist. */
const char *const driver_system_sources[] = {
	"/usr/share/snmp/mibs",
	"/usr/share/snmp/mibs/ietf",
	"/usr/share/snmp/mibs/iana",
	"/usr/share/mibs/ietf",
	"/usr/share/mibs/iana",
	"/var/lib/mibs/ietf",
	"/var/lib/mibs/iana",
	MIBC_MIBSDIR,
	NULL,
};

static bool is_stub(const struct driver_options *o, const char *name)
{
	for (size_t i = 0; i < o->n_stubs; i++)
		if (strcmp(o->stubs[i], name) == 0)
			return true;
	return false;
}

static size_t plan_find(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->n_modules; i++)
		if (strcmp(plan->modules[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

static size_t plan_add(struct plan *plan, struct source_set *sources,
		       const struct driver_options *o, const char *name,
		       const struct source_module *known, bool requested, bool soft);

/* Fill in what a module imports and references.  The dependencies of a
 * soft entry are soft too: they are staged when found, never missing. */
static void add_dependencies(struct plan *plan, struct source_set *sources,
			     const struct driver_options *o, size_t idx)
{
	const struct source_module *src = plan->modules[idx].source;
	bool soft = plan->modules[idx].soft;
	size_t *imports = xcalloc(src->n_imports + 1, sizeof(*imports));
	size_t n_imports = 0;
	for (size_t i = 0; i < src->n_imports; i++) {
		size_t d = plan_add(plan, sources, o, src->imports[i], NULL, false, soft);
		if (d != SIZE_MAX)
			imports[n_imports++] = d;
	}
	size_t *refs = xcalloc(src->n_references + 1, sizeof(*refs));
	size_t n_refs = 0;
	for (size_t i = 0; i < src->n_references; i++) {
		size_t r = plan_add(plan, sources, o, src->references[i], NULL, false, true);
		if (r != SIZE_MAX)
			refs[n_refs++] = r;
	}
	/* plan_add may have moved the array */
	struct module_entry *m = &plan->modules[idx];
	free(m->imports);
	free(m->references);
	m->imports = imports;
	m->n_imports = n_imports;
	m->references = refs;
	m->n_references = n_refs;
}

/* Add a module (once) and, recursively, what it imports and references.
 * `soft`: only referenced by a MODULE clause (or needed by such a module). */
static size_t plan_add(struct plan *plan, struct source_set *sources,
		       const struct driver_options *o, const char *name,
		       const struct source_module *known, bool requested, bool soft)
{
	size_t idx = plan_find(plan, name);
	if (idx != SIZE_MAX) {
		struct module_entry *m = &plan->modules[idx];
		bool harden = !soft && m->soft;
		if ((requested && !m->requested) || harden) {
			m->requested |= requested;
			m->soft = false;
			m->compile = !is_stub(o, name) && (m->requested || o->dependencies);
			if (m->state == MODULE_DEPENDENCY && m->compile)
				m->state = MODULE_PENDING;
			if (harden)
				add_dependencies(plan, sources, o, idx);
		}
		return idx;
	}
	const struct source_module *src = known ? known : sources_find(sources, name);
	if (soft && !src)
		return SIZE_MAX;
	plan->modules = xreallocarray(plan->modules, plan->n_modules + 1,
				      sizeof(*plan->modules));
	idx = plan->n_modules++;
	struct module_entry *m = &plan->modules[idx];
	*m = (struct module_entry){
		.name = xstrdup(name),
		.requested = requested,
		.soft = soft,
		.source = src,
	};
	bool stub = is_stub(o, name);
	m->compile = !stub && !soft && (requested || o->dependencies);
	if (!src) {
		m->state = MODULE_MISSING;
		return idx;
	}
	m->state = stub ? MODULE_STUB : m->compile ? MODULE_PENDING : MODULE_DEPENDENCY;
	add_dependencies(plan, sources, o, idx);
	return idx;
}

/* Newest mtime of a module and everything it imports (cycles allowed). */
static time_t newest_input(struct plan *plan, size_t idx)
{
	struct module_entry *m = &plan->modules[idx];
	if (m->visited)
		return 0;
	if (m->newest_input)
		return m->newest_input;
	m->visited = true;
	time_t newest = m->source ? m->source->mtime : 0;
	for (size_t i = 0; i < m->n_imports; i++) {
		time_t t = newest_input(plan, m->imports[i]);
		if (t > newest)
			newest = t;
	}
	m = &plan->modules[idx];
	m->visited = false;
	m->newest_input = newest;
	return newest;
}

static time_t program_mtime(const char *argv0)
{
	struct stat st;
	if (stat("/proc/self/exe", &st) == 0 || (argv0 && stat(argv0, &st) == 0))
		return st.st_mtime;
	return 0;
}

/* Fail modules whose imports are missing, before any parse: libsmi would
 * only cascade errors.  SNMPv2-SMI missing gets its own explanation. */
static void fail_missing_imports(struct plan *plan, const struct driver_options *o,
				 bool *smi_base_missing)
{
	for (size_t i = 0; i < plan->n_modules; i++) {
		struct module_entry *m = &plan->modules[i];
		if (m->state == MODULE_MISSING)
			continue;
		for (size_t j = 0; j < m->n_imports; j++) {
			const struct module_entry *dep = &plan->modules[m->imports[j]];
			if (dep->state != MODULE_MISSING)
				continue;
			if (strcmp(dep->name, "SNMPv2-SMI") == 0 ||
			    strcmp(dep->name, "RFC1155-SMI") == 0)
				*smi_base_missing = true;
			if (!m->compile)
				break;
			if (!m->reason)
				m->reason = xasprintf("imports from %s, which no MIB source has",
						      dep->name);
			if (!o->ignore_errors)
				m->state = MODULE_FAILED;
			break;
		}
	}
}

static void explain_smi_base_missing(const struct driver_options *o)
{
	fputs("mibc: error: SNMPv2-SMI (or RFC1155-SMI), the base of every MIB module, "
	      "is in none of the MIB sources.\n"
	      "mibc: Debian and Ubuntu ship no IETF MIBs; get them (for example from "
	      "the snmp-mibs-downloader package, which puts them in "
	      "/var/lib/mibs/ietf) or pass --mib-source DIR for a directory that "
	      "holds SNMPv2-SMI.\n", stderr);
	if (!o->quiet)
		fputs("mibc: searched the sources listed under "
		      "\"Source MIB repositories\" below.\n", stderr);
}

static bool outputs_up_to_date(const struct driver_options *o,
			       const struct module_entry *m, time_t mibc_time)
{
	if (o->format->n_outputs == 0)
		return false;
	for (size_t i = 0; i < o->format->n_outputs; i++) {
		char *name = o->format->output_name(m->name, i);
		char *path = xasprintf("%s/%s", o->destination_directory, name);
		struct stat st;
		bool fresh = stat(path, &st) == 0 && st.st_mtime >= m->newest_input &&
			     st.st_mtime >= mibc_time;
		free(name);
		free(path);
		if (!fresh)
			return false;
	}
	return true;
}

static bool looks_like_path(const char *arg)
{
	struct stat st;
	if (strchr(arg, '/'))
		return true;
	/* A bare name that is an existing file (e.g. IF-MIB.txt in .) and not
	 * a valid module name is taken as a file. */
	return !scan_is_module_name(arg) && stat(arg, &st) == 0 && S_ISREG(st.st_mode);
}

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int add_sources(struct source_set *sources, const struct driver_options *o)
{
	/* Directories of file arguments come first: the file's neighbours are
	 * what it most likely imports. */
	for (size_t i = 0; i < o->n_arguments; i++) {
		if (!looks_like_path(o->arguments[i]))
			continue;
		char *dir = dirname_of(o->arguments[i]);
		struct stat st;
		char *error = NULL;
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    sources_add(sources, dir, &error) != 0) {
			fprintf(stderr, "mibc: warning: %s\n", error);
			free(error);
		}
		free(dir);
	}
	for (size_t i = 0; i < o->n_mib_sources; i++) {
		char *error = NULL;
		if (sources_add(sources, o->mib_sources[i], &error) != 0) {
			fprintf(stderr, "mibc: --mib-source %s: %s\n", o->mib_sources[i],
				error ? error : "cannot be read");
			free(error);
			return -1;
		}
	}
	if (o->system_sources) {
		for (size_t i = 0; driver_system_sources[i]; i++) {
			struct stat st;
			if (stat(driver_system_sources[i], &st) != 0 || !S_ISDIR(st.st_mode))
				continue;
			char *error = NULL;
			if (sources_add(sources, driver_system_sources[i], &error) != 0) {
				if (o->debug)
					fprintf(stderr, "mibc: debug: skipping %s: %s\n",
						driver_system_sources[i], error);
				free(error);
			}
		}
	}
	return 0;
}

/* Turn the arguments into requested plan entries. */
static void add_arguments(struct plan *plan, struct source_set *sources,
			  const struct driver_options *o)
{
	for (size_t i = 0; i < o->n_arguments; i++) {
		const char *arg = o->arguments[i];
		if (!looks_like_path(arg)) {
			plan_add(plan, sources, o, arg, NULL, true, false);
			continue;
		}
		const struct source_module **mods = NULL;
		size_t n = 0;
		const char *what = NULL;
		char *error = NULL;
		int r = sources_add_file_argument(sources, arg, &mods, &n, &what, &error);
		if (r < 0 || n == 0) {
			char *why = r < 0 ? xstrdup(error ? error : "cannot be read")
					  : xasprintf("not a MIB file: %s",
						      what ? what : "no module definition");
			fprintf(stderr, "%s: error: %s\n", arg, why);
			plan->not_mib_files = xreallocarray(plan->not_mib_files,
							    plan->n_not_mib_files + 1,
							    sizeof(char *));
			plan->not_mib_files[plan->n_not_mib_files++] =
				xasprintf("%s (%s)", arg, why);
			free(why);
			free(error);
			continue;
		}
		/* the list belongs to the source set */
		for (size_t j = 0; j < n; j++)
			plan_add(plan, sources, o, mods[j]->name, mods[j], true, false);
	}
}

static void warn_shadowed(const struct plan *plan, const struct driver_options *o)
{
	if (o->quiet)
		return;
	for (size_t i = 0; i < plan->n_modules; i++) {
		const struct module_entry *m = &plan->modules[i];
		if (m->source && m->source->shadowed_path)
			fprintf(stderr,
				"%s: warning: module %s is also declared, differently, in %s; "
				"using %s (the earlier source wins, then the newer LAST-UPDATED)\n",
				m->source->path, m->name, m->source->shadowed_path,
				m->source->path);
	}
}

/* Depth-first search for import cycles; each one found is reported once
 * with its path (A -> B -> A).  libsmi accepts cycles without a word but
 * can drop definitions that hang on the cycle (see tests/bad-mibs). */
enum { WHITE, GREY, BLACK };

static void find_cycles(const struct plan *plan, size_t idx, unsigned char *color,
			size_t *stack, size_t depth)
{
	color[idx] = GREY;
	stack[depth] = idx;
	const struct module_entry *m = &plan->modules[idx];
	for (size_t i = 0; i < m->n_imports; i++) {
		size_t next = m->imports[i];
		if (color[next] == GREY) {
			size_t start = depth;
			while (stack[start] != next)
				start--;
			fputs("mibc: warning: circular imports: ", stderr);
			for (size_t j = start; j <= depth; j++)
				fprintf(stderr, "%s -> ", plan->modules[stack[j]].name);
			fprintf(stderr, "%s; libsmi may silently drop definitions that "
				"depend on the cycle\n", plan->modules[next].name);
		} else if (color[next] == WHITE) {
			find_cycles(plan, next, color, stack, depth + 1);
		}
	}
	color[idx] = BLACK;
}

static void warn_cycles(const struct plan *plan, const struct driver_options *o)
{
	if (o->quiet)
		return;
	unsigned char *color = xcalloc(plan->n_modules + 1, 1);
	size_t *stack = xcalloc(plan->n_modules + 1, sizeof(*stack));
	for (size_t i = 0; i < plan->n_modules; i++)
		if (color[i] == WHITE)
			find_cycles(plan, i, color, stack, 0);
	free(stack);
	free(color);
}

static void plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->n_modules; i++) {
		free(plan->modules[i].name);
		free(plan->modules[i].reason);
		free(plan->modules[i].imports);
		free(plan->modules[i].references);
	}
	free(plan->modules);
	for (size_t i = 0; i < plan->n_not_mib_files; i++)
		free(plan->not_mib_files[i]);
	free(plan->not_mib_files);
}

static int exit_status(const struct plan *plan)
{
	if (plan->n_not_mib_files)
		return MIBC_EXIT_FAILED;
	for (size_t i = 0; i < plan->n_modules; i++) {
		const struct module_entry *m = &plan->modules[i];
		if (m->state == MODULE_MISSING || m->state == MODULE_FAILED ||
		    m->state == MODULE_IGNORED || m->reason)
			return MIBC_EXIT_FAILED;
	}
	return MIBC_EXIT_OK;
}

int driver_run(const struct driver_options *o)
{
	struct source_set *sources = sources_new(o->fuzzy);
	struct plan plan = { .sources = sources };
	struct summary_info info = { .options = o, .sources = sources, .plan = &plan };
	int status;

	sources_set_cache_directory(sources, o->cache_directory);
	if (add_sources(sources, o) != 0) {
		sources_free(sources);
		return MIBC_EXIT_USAGE;
	}
	add_arguments(&plan, sources, o);
	warn_shadowed(&plan, o);
	warn_cycles(&plan, o);

	bool smi_base_missing = false;
	fail_missing_imports(&plan, o, &smi_base_missing);
	if (smi_base_missing)
		explain_smi_base_missing(o);

	time_t mibc_time = program_mtime(o->program);
	for (size_t i = 0; i < plan.n_modules; i++) {
		struct module_entry *m = &plan.modules[i];
		newest_input(&plan, i);
		/* Outputs made with another --select look just as fresh: with
		 * --select, always regenerate. */
		if (m->state == MODULE_PENDING && !o->rebuild && !o->select &&
		    outputs_up_to_date(o, m, mibc_time))
			m->state = MODULE_UP_TO_DATE;
	}

	/* every lookup is done: keep what the scans found for the next run */
	sources_save_cache(sources);

	if (!o->quiet)
		summary_print_header(stdout, &info);

	struct output_index index = { 0 };
	status = worker_compile(&plan, sources, o, o->build_index ? &index : NULL);
	if (status == 0 && o->build_index && !o->dry_run)
		status = output_write_index(o, &index);
	if (status == 0 && o->depfile && !o->dry_run)
		status = output_write_depfile(o, &plan);
	output_index_free(&index);

	if (!o->quiet)
		summary_print_results(stdout, &info);
	else
		summary_print_errors(stderr, &info);

	if (status == 0)
		status = exit_status(&plan);
	plan_free(&plan);
	sources_free(sources);
	return status;
}
