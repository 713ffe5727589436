#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "mibc-config.h"
#include "mkdirs.h"
#include "scan.h"

/* An output name is a plain file name: whatever a module calls itself, it
 * cannot name a path outside the destination directory. */
static bool safe_file_name(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < 256;
}

typedef int write_fn(void *data, FILE *out, char **error);

/* Write dir/name through a temporary file and rename(), so an interrupted
 * run never leaves a half-written output in place of a good one. */
static int write_atomically(const char *dir, const char *name, write_fn *fn,
			    void *data, char **error)
{
	if (!safe_file_name(name)) {
		*error = xasprintf("refusing to write output named '%s'", name);
		return -1;
	}
	if (mkdirs(dir, 0777) != 0) {
		*error = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	char *final = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*error = xasprintf("%s: %s", final, strerror(errno));
		goto fail;
	}
	fchmod(fd, 0644 & ~(mode_t)0);
	FILE *out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		*error = xasprintf("%s: %s", final, strerror(errno));
		goto fail_unlink;
	}
	int r = fn(data, out, error);
	if (fflush(out) != 0 || ferror(out)) {
		if (r == 0)
			*error = xasprintf("%s: %s", final, strerror(errno));
		r = -1;
	}
	if (fclose(out) != 0 && r == 0) {
		*error = xasprintf("%s: %s", final, strerror(errno));
		r = -1;
	}
	if (r != 0)
		goto fail_unlink;
	if (rename(tmp, final) != 0) {
		*error = xasprintf("%s: %s", final, strerror(errno));
		goto fail_unlink;
	}
	free(tmp);
	free(final);
	return 0;

fail_unlink:
	unlink(tmp);
fail:
	free(tmp);
	free(final);
	return -1;
}

struct module_output {
	const struct driver_options *o;
	const struct model_module *module;
	const char *source_path;
	const struct emit_options *options;
	void *prepared; /* the emitter's shared state, or NULL */
	size_t i;
};

/* What an emitter notices (C identifier clashes...) reads like libsmi's
 * diagnostics: source file, line, warning. */
static void emit_warning(const struct model_module *module, int line,
			 const char *message, void *data)
{
	const struct module_output *mo = data;
	(void)module;
	if (!mo->o->quiet)
		diag_print(stderr, mo->source_path, line, 3, message);
}

static int write_module_output(void *data, FILE *out, char **error)
{
	struct module_output *mo = data;
	const struct emitter *format = mo->o->format;
	if (mo->prepared)
		return format->emit_prepared(mo->prepared, mo->i, out, error);
	return format->emit(mo->module, mo->options, mo->i, out, error);
}

int output_write_module(const struct driver_options *o,
			const struct model_module *module, const char *source_path,
			char **error)
{
	struct module_output mo = { o, module, source_path, NULL, NULL, 0 };
	struct emit_options eo = {
		.generate_texts = o->generate_texts,
		.keep_texts_layout = o->keep_texts_layout,
		.version = MIBC_VERSION,
		.warning = emit_warning,
		.warning_data = &mo,
		.select = (const char *const *)o->select,
	};
	mo.options = &eo;
	const struct emitter *format = o->format;
	if (format->prepare && format->n_outputs)
		mo.prepared = format->prepare(module, &eo);
	int r = 0;
	for (size_t i = 0; i < format->n_outputs && r == 0; i++) {
		char *name = format->output_name(module->name, i);
		mo.i = i;
		r = write_atomically(o->destination_directory, name,
				     write_module_output, &mo, error);
		free(name);
	}
	if (mo.prepared)
		format->release(mo.prepared);
	return r;
}

void output_index_add(struct output_index *index, const char *module,
		      const char *name, enum model_node_kind kind,
		      const uint32_t *oid, size_t oid_len)
{
	if (index->n == index->cap) {
		index->cap = index->cap ? 2 * index->cap : 256;
		index->entries = xreallocarray(index->entries, index->cap,
					       sizeof(*index->entries));
	}
	uint32_t *copy = arena_array(&index->arena, oid_len, sizeof(*copy));
	memcpy(copy, oid, oid_len * sizeof(*copy));
	index->entries[index->n++] = (struct index_entry){
		.module = arena_strdup(&index->arena, module),
		.name = arena_strdup(&index->arena, name),
		.kind = kind,
		.oid = copy,
		.oid_len = oid_len,
	};
}

void output_index_free(struct output_index *index)
{
	free(index->entries);
	arena_free(&index->arena);
	index->entries = NULL;
	index->n = index->cap = 0;
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct index_entry *a = pa, *b = pb;
	int c = model_oid_compare(a->oid, a->oid_len, b->oid, b->oid_len);
	if (c)
		return c;
	c = strcmp(a->module, b->module);
	return c ? c : strcmp(a->name, b->name);
}

struct index_output {
	const struct driver_options *o;
	struct output_index *index;
	size_t i;
};

static int write_index_output(void *data, FILE *out, char **error)
{
	struct index_output *io = data;
	struct emit_options eo = { .version = MIBC_VERSION };
	return emit_index(io->o->format->format, io->i, io->index->entries,
			  io->index->n, &eo, out, error);
}

int output_write_index(const struct driver_options *o, struct output_index *index)
{
	const char *const *names = index_output_names(o->format->format);
	if (!names)
		return 0;
	/* No module compiled: entries is NULL, and qsort's pointer must not
	 * be even for zero elements (UBSan; found by fuzz/fuzz-mib.c). */
	if (index->n > 1)
		qsort(index->entries, index->n, sizeof(*index->entries), compare_entries);
	for (size_t i = 0; names[i]; i++) {
		struct index_output io = { o, index, i };
		char *error = NULL;
		if (write_atomically(o->destination_directory, names[i],
				     write_index_output, &io, &error) != 0) {
			fprintf(stderr, "mibc: error: %s\n", error);
			free(error);
			return MIBC_EXIT_FAILED;
		}
	}
	return 0;
}

static void depfile_escape(FILE *out, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == '\\')
			fputc('\\', out);
		if (*p == '$')
			fputc('$', out);
		fputc(*p, out);
	}
}

int output_write_depfile(const struct driver_options *o, const struct plan *plan)
{
	FILE *out = fopen(o->depfile, "w");
	if (!out) {
		fprintf(stderr, "mibc: error: --depfile %s: %s\n", o->depfile, strerror(errno));
		return MIBC_EXIT_FAILED;
	}
	bool first = true;
	for (size_t i = 0; i < plan->n_modules; i++) {
		const struct module_entry *m = &plan->modules[i];
		if (m->state != MODULE_CREATED && m->state != MODULE_UP_TO_DATE)
			continue;
		for (size_t j = 0; j < o->format->n_outputs; j++) {
			char *name = o->format->output_name(m->name, j);
			if (!first)
				fputc(' ', out);
			char *path = xasprintf("%s/%s", o->destination_directory, name);
			depfile_escape(out, path);
			free(path);
			free(name);
			first = false;
		}
	}
	if (first) {
		/* Nothing was produced: a depfile without a target is invalid. */
		fclose(out);
		unlink(o->depfile);
		return 0;
	}
	fputs(":", out);
	const char *const *paths;
	size_t n = sources_files_read(plan->sources, &paths);
	for (size_t i = 0; i < n; i++) {
		fputs(" \\\n ", out);
		depfile_escape(out, paths[i]);
	}
	fputc('\n', out);
	if (fclose(out) != 0) {
		fprintf(stderr, "mibc: error: --depfile %s: %s\n", o->depfile, strerror(errno));
		return MIBC_EXIT_FAILED;
	}
	return 0;
}
