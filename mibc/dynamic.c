/* Loading MIB modules at run time through mibc's own driver (see
 * dynamic.h). */
#include "dynamic.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "desc-build.h"
#include "driver.h"
#include "model-text.h"
#include "tempdir.h"

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every model the driver wrote into `dir`, in name order (deterministic);
 * NULL with *error when one does not read back. */
static struct model_module **read_models(const char *dir, size_t *n, char **error)
{
	DIR *d = opendir(dir);
	if (!d) {
		*error = xasprintf("%s: %s", dir, strerror(errno));
		return NULL;
	}
	char **names = NULL;
	size_t n_names = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".model"))
			continue;
		names = xreallocarray(names, n_names + 1, sizeof(*names));
		names[n_names++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n_names > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n_names, sizeof(*names), cmp_names);
	struct model_module **models = xcalloc(n_names ? n_names : 1, sizeof(*models));
	size_t n_models = 0;
	for (size_t i = 0; i < n_names; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		FILE *f = fopen(path, "r");
		char *why = NULL;
		struct model_module *m = f ? model_text_read(f, &why) : NULL;
		if (f)
			fclose(f);
		if (!m) {
			*error = xasprintf("%s: %s", names[i], why ? why : strerror(errno));
			free(why);
			free(path);
			for (size_t k = 0; k < n_models; k++)
				model_module_free(models[k]);
			free(models);
			models = NULL;
			break;
		}
		free(path);
		models[n_models++] = m;
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	*n = n_models;
	return models;
}

/* The requested modules given by name that produced no model. */
static char *missing_modules(const struct dynamic_request *r,
			     struct model_module *const *models, size_t n)
{
	char *missing = NULL;
	for (size_t i = 0; i < r->n_modules; i++) {
		const char *want = r->modules[i];
		if (strchr(want, '/') || strchr(want, '.'))
			continue; /* a file: its module names itself */
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = models[k]->name && strcmp(models[k]->name, want) == 0;
		if (found)
			continue;
		char *more = xasprintf("%s%s%s", missing ? missing : "", missing ? ", " : "", want);
		free(missing);
		missing = more;
	}
	return missing;
}

struct desc_set *dynamic_load(const struct dynamic_request *r, char **error)
{
	char *tried;
	char *dir = tempdir_make("mibc-load-", &tried);
	if (!dir) {
		*error = xasprintf("cannot create a temporary directory %s: %s", tried,
				   strerror(errno));
		free(tried);
		return NULL;
	}
	struct driver_options o = {
		.mib_sources = (char **)r->sources,
		.n_mib_sources = r->n_sources,
		.system_sources = r->system_sources,
		.stubs = (char **)driver_c_stubs,
		.n_stubs = driver_n_c_stubs,
		.destination_directory = dir,
		.format = &emitter_model_text,
		.fuzzy = true,
		.dependencies = true,
		/* as mibc --ignore-errors: a vendor MIB with one broken table
		 * is still worth its other objects */
		.ignore_errors = true,
		.rebuild = true,
		.quiet = !r->debug,
		.debug = r->debug,
		.arguments = (char **)r->modules,
		.n_arguments = r->n_modules,
	};
	/* the summary goes to stdout: keep it off the tool's output */
	fflush(stdout);
	int saved_stdout = dup(STDOUT_FILENO);
	if (saved_stdout >= 0)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	int status = driver_run(&o);
	fflush(stdout);
	if (saved_stdout >= 0) {
		dup2(saved_stdout, STDOUT_FILENO);
		close(saved_stdout);
	}
	struct desc_set *set = NULL;
	if (status != MIBC_EXIT_OK && status != MIBC_EXIT_FAILED) {
		*error = xasprintf("loading MIB modules failed (status %d)", status);
	} else {
		size_t n = 0;
		struct model_module **models = read_models(dir, &n, error);
		if (models) {
			char *missing = missing_modules(r, models, n);
			if (missing) {
				*error = xasprintf("cannot load %s (see above)", missing);
				free(missing);
				for (size_t i = 0; i < n; i++)
					model_module_free(models[i]);
			} else {
				set = desc_set_build(models, n, r->known, r->n_known);
			}
			free(models);
		}
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return set;
}
