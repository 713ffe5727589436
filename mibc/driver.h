/* The compiler driver: from options to a plan (which modules to compile,
 * which are stubs, missing, up to date), through the worker process that
 * runs libsmi and the emitters, to the summary and the exit status. */
#ifndef MIBC_DRIVER_H
#define MIBC_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "emit.h"
#include "sources.h"

/* Exit statuses, as mibdump's (sysexits.h values). */
enum {
	MIBC_EXIT_OK = 0,
	MIBC_EXIT_USAGE = 64,
	MIBC_EXIT_SOFTWARE = 70,
	MIBC_EXIT_FAILED = 79,
};

struct driver_options {
	char **mib_sources; /* --mib-source, in order */
	size_t n_mib_sources;
	bool system_sources;  /* also search the system MIB directories */
	char **stubs;       /* --mib-stub, or the default list */
	size_t n_stubs;
	const char *destination_directory;
	const struct emitter *format;
	bool fuzzy;
	bool dependencies;
	bool ignore_errors;
	bool build_index;
	bool rebuild;
	bool dry_run;
	bool generate_texts;
	bool keep_texts_layout;
	bool quiet;
	bool debug;
	const char *depfile;
	const char *cache_directory; /* the source scan cache; NULL: none */
	char **select;     /* --select, NULL-terminated; NULL: everything */
	size_t n_select;
	char **arguments;  /* MODULE or FILE */
	size_t n_arguments;
	const char *program; /* argv[0], for the "newer than mibc" check */
};

/* What happened to a module, for the summary. */
enum module_state {
	MODULE_PENDING,     /* planned for compilation */
	MODULE_STUB,        /* parsed only */
	MODULE_DEPENDENCY,  /* only needed for parsing (--no-dependencies) */
	MODULE_UP_TO_DATE,
	MODULE_CREATED,
	MODULE_MISSING,
	MODULE_FAILED,
	MODULE_IGNORED,
};

struct module_entry {
	char *name;
	const struct source_module *source; /* NULL when missing */
	enum module_state state;
	bool requested;     /* named on the command line */
	bool compile;       /* code is generated for it */
	char *reason;       /* why it failed or was ignored */
	size_t *imports;    /* indexes into the plan of imported modules */
	size_t n_imports;
	/* Modules named by MODULE-COMPLIANCE / AGENT-CAPABILITIES clauses:
	 * libsmi loads them too (and fails without them), but nothing is
	 * generated for them on their account; those no source has are
	 * left out, not "missing". */
	size_t *references;
	size_t n_references;
	bool soft;          /* only referenced, never imported or named */
	time_t newest_input; /* newest mtime of it and all it imports */
	bool visited;
	bool with_errors;   /* generated despite errors (--ignore-errors) */
};

struct plan {
	struct source_set *sources;
	struct module_entry *modules;
	size_t n_modules;
	char **not_mib_files;   /* file arguments that are not MIBs: "path
				   (a PDF document)" */
	size_t n_not_mib_files;
};

int driver_run(const struct driver_options *options);

/* The modules mibdump leaves out of code generation by default (json and
 * null formats). */
extern const char *const driver_default_stubs[];
extern const size_t driver_n_default_stubs;
/* The default for the C format: the modules that only define the SMI's
 * macros and base types. */
extern const char *const driver_c_stubs[];
extern const size_t driver_n_c_stubs;

/* The system directories searched after the given sources. */
extern const char *const driver_system_sources[];

#endif
