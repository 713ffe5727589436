/* MIB source repositories: which file holds a module.
 *
 * Directories and zip archives are listed when added (names only, sorted);
 * files are read and scanned only when a lookup needs them.  A lookup
 * gathers the files that declare the module and may count under the
 * precedence rule of sources.h, ranks them, and remembers the answer.
 * Files named after the module are read first; with fuzzy guessing on,
 * the sources up to the best of those are then read whole, once each
 * (the "content index"), since a file there named otherwise could still
 * win. */
#include "sources-impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "hash.h"
#include "mkdirs.h"
#include "zipload.h"

/* Files with more modules get a map; a hostile file with 100 000
 * modules must not make each lookup scan them all. */
#define MODULES_LINEAR_MAX 8

/* ---- the answers handed out (a set of pointers) ------------------------ */

static size_t ptr_slot(const struct ptrset *ps, const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
	size_t i = (size_t)(h >> 20) & (ps->cap - 1);
	while (ps->slots[i] && ps->slots[i] != p)
		i = (i + 1) & (ps->cap - 1);
	return i;
}

static bool ptrset_has(const struct ptrset *ps, const void *p)
{
	return ps->cap && ps->slots[ptr_slot(ps, p)] == p;
}

static void ptrset_add(struct ptrset *ps, const void *p)
{
	if ((ps->n + 1) * 2 > ps->cap) {
		struct ptrset bigger = { .cap = ps->cap ? ps->cap * 2 : 64 };
		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < ps->cap; i++)
			if (ps->slots[i])
				ptrset_add(&bigger, ps->slots[i]);
		free(ps->slots);
		*ps = bigger;
	}
	size_t i = ptr_slot(ps, p);
	if (!ps->slots[i]) {
		ps->slots[i] = p;
		ps->n++;
	}
}

/* Marks a remembered failed lookup in set->lookups. */
static char not_found;

/* ---- reading files ------------------------------------------------------ */

/* disk_path lives as long as the set (an sfile's). */
static void note_read(struct source_set *set, const char *disk_path)
{
	if (map_get(&set->read_seen, disk_path))
		return;
	vec_push(&set->read_paths, (void *)disk_path);
	map_put(&set->read_seen, disk_path, (void *)disk_path);
}

static char *errno_message(const char *path, int err)
{
	return xasprintf("%s: %s", path, strerror(err));
}

/* How much of a file to read before asking whether it can be a MIB at
 * all: a source directory may hold big PDFs and archives. */
#define SNIFF_BYTES 4096

/* Stop after the first bytes when `sniffed` is given and they show no
 * MIB (*sniffed says what it is; the buffer holds just those bytes). */
static bool sniff_stop(const char *buf, size_t n, bool first_chunk,
		       const char **sniffed)
{
	if (!sniffed || !first_chunk)
		return false;
	*sniffed = scan_sniff(buf, n);
	return *sniffed != NULL;
}

/* Read a whole file from disk; NULL with *error on failure. */
char *read_disk_file(const char *path, size_t *len, char **error,
		     const char **sniffed, struct stat *st_out)
{
	*error = NULL;
	/* O_NONBLOCK: a FIFO swapped in after the walk must not hang us */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		*error = errno_message(path, errno);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		*error = errno_message(path, errno);
	else if (!S_ISREG(st.st_mode))
		*error = xasprintf("%s: not a regular file", path);
	else if (st.st_size > SOURCE_FILE_MAX)
		*error = xasprintf("%s: too large for a MIB", path);
	if (*error) {
		close(fd);
		return NULL;
	}
	if (st_out)
		*st_out = st;
	/* one spare byte: EOF shows without growing the buffer */
	size_t size = (size_t)st.st_size, cap = size + 1, n = 0;
	size_t want = sniffed && size > SNIFF_BYTES ? SNIFF_BYTES : size;
	bool first = true;
	char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			/* the file grew while we read it */
			if (cap >= SOURCE_FILE_MAX)
				break;
			cap = cap * 2 + 4096;
			if (cap > SOURCE_FILE_MAX)
				cap = SOURCE_FILE_MAX;
			buf = xrealloc(buf, cap + 1);
		}
		size_t ask = (first ? want : cap) - n;
		ssize_t r = ask ? read(fd, buf + n, ask) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error = errno_message(path, errno);
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)(r > 0 ? r : 0);
		if (first && (n == want || r == 0)) {
			if (sniff_stop(buf, n, first, sniffed))
				break;
			first = false;
			continue;
		}
		if (r == 0)
			break;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *read_zip_member(struct sfile *f, size_t *len, char **error,
			     const char **sniffed)
{
	*error = NULL;
	zip_stat_t st;
	zip_t *zip = f->src->zip;
	const struct zip_api *zl = f->src->zl;
	if (zl->stat_index(zip, f->zip_index, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		*error = xasprintf("%s: %s", f->path, zl->strerror(zip));
		return NULL;
	}
	if (st.size > SOURCE_FILE_MAX) {
		*error = xasprintf("%s: too large for a MIB", f->path);
		return NULL;
	}
	zip_file_t *zf = zl->fopen_index(zip, f->zip_index, 0);
	if (!zf) {
		*error = xasprintf("%s: %s", f->path, zl->strerror(zip));
		return NULL;
	}
	size_t size = (size_t)st.size, n = 0;
	size_t want = sniffed && size > SNIFF_BYTES ? SNIFF_BYTES : size;
	bool first = true;
	char *buf = xmalloc(size + 1);
	for (;;) {
		zip_int64_t r = n < want ? zl->fread(zf, buf + n, want - n) : 0;
		if (r < 0) {
			*error = xasprintf("%s: %s", f->path,
					   zl->file_strerror(zf));
			zl->fclose(zf);
			free(buf);
			return NULL;
		}
		n += (size_t)r;
		if (r > 0)
			continue;
		/* want reached (or the member ended early) */
		if (!first || want == size || sniff_stop(buf, n, first, sniffed))
			break;
		first = false;
		want = size;
	}
	zl->fclose(zf);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *read_sfile(struct source_set *set, struct sfile *f, size_t *len,
			char **error, const char **sniffed, struct stat *st)
{
	if (sniffed)
		*sniffed = NULL;
	note_read(set, f->disk_path);
	if (st)
		memset(st, 0, sizeof(*st));
	return f->src->zip ? read_zip_member(f, len, error, sniffed) :
			     read_disk_file(f->disk_path, len, error, sniffed, st);
}

/* Nothing but blanks and comments?  (RFC prose around a module, a byte
 * order mark or an HTML footer would trip libsmi.) */
static bool only_blank(const char *p, size_t n)
{
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		return false;
	struct scan_result r;
	scan_buffer(p, n, &r);
	bool blank = r.verdict == SCAN_EMPTY;
	scan_result_free(&r);
	return blank;
}

/* The module map of a file with many modules. */
static void index_modules(struct sfile *f)
{
	if (f->scan.n_modules > MODULES_LINEAR_MAX)
		for (size_t i = 0; i < f->scan.n_modules; i++)
			if (!map_get(&f->modules, f->scan.modules[i].name))
				map_put(&f->modules, f->scan.modules[i].name,
					(void *)(uintptr_t)(i + 1));
}

/* Read and scan a file once (or take its scan from the cache).  An
 * unreadable file in a source counts as declaring nothing (sources hold
 * READMEs, broken links...): false, with *error when asked for. */
static bool scan_sfile(struct source_set *set, struct sfile *f, char **error)
{
	if (f->scanned)
		return f->scan.n_modules > 0;
	f->scanned = true;
	if (cache_take(f)) {
		set->cache_hits++;
		/* as good as read: --depfile lists it all the same */
		note_read(set, f->disk_path);
		index_modules(f);
		return f->scan.n_modules > 0;
	}
	time_t now = time(NULL);
	size_t len;
	char *err = NULL;
	const char *sniffed;
	struct stat st;
	char *data = read_sfile(set, f, &len, &err, &sniffed, &st);
	if (!data) {
		if (error)
			*error = err;
		else
			free(err);
		return false;
	}
	if (f->has_key) {
		key_of(&st, &f->read_key);
		f->cacheable = !cache_racy(set, &f->read_key, now);
	}
	if (sniffed) {
		/* we read only its start: no scan, just the verdict */
		f->scan.verdict = SCAN_NOT_MIB;
		f->scan.what = sniffed;
		free(data);
		return false;
	}
	scan_buffer(data, len, &f->scan);
	f->hashes = xcalloc(f->scan.n_modules, sizeof(*f->hashes));
	for (size_t i = 0; i < f->scan.n_modules; i++) {
		struct scan_module *m = &f->scan.modules[i];
		f->hashes[i] = hash_bytes(data + m->begin, m->end - m->begin);
		/* here, once per file version (the cache keeps it), not in
		 * every compile of the module */
		m->may_redefine = scan_may_redefine(data + m->begin,
						    m->end - m->begin);
	}
	index_modules(f);
	f->alone = f->scan.n_modules == 1 &&
		   only_blank(data, f->scan.modules[0].begin) &&
		   only_blank(data + f->scan.modules[0].end,
			      len - f->scan.modules[0].end);
	free(data);
	return f->scan.n_modules > 0;
}

/* The first module named `name` in a scanned file, or -1. */
static long module_in(const struct sfile *f, const char *name)
{
	if (f->modules.cap) {
		void *v = map_get(&f->modules, name);
		return v ? (long)((uintptr_t)v - 1) : -1;
	}
	for (size_t i = 0; i < f->scan.n_modules; i++)
		if (strcmp(f->scan.modules[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* ---- lifecycle --------------------------------------------------------- */

struct source_set *sources_new(bool fuzzy)
{
	struct source_set *set = xcalloc(1, sizeof(*set));
	set->fuzzy = fuzzy;
	set->racy_seconds = CACHE_RACY_SECONDS;
	set->args.kind = SRC_ARGS;
	set->args.name = xstrdup("(command line)");
	set->args.indexed = true; /* command-line files are scanned at once */
	return set;
}

/* What f owns outside its source's memory. */
static void release_sfile(struct sfile *f)
{
	if (!f->from_cache) {
		scan_result_free(&f->scan);
		free(f->hashes);
	}
	map_free(&f->modules);
}

static void free_source(struct source *src)
{
	for (size_t i = 0; i < src->files.n; i++)
		release_sfile(src->files.v[i]);
	vec_free(&src->files);
	map_free(&src->by_base);
	map_free(&src->by_rel);
	map_free(&src->index);
	map_free(&src->content);
	free(src->records);
	free(src->cached);
	arena_free(&src->cache_mem);
	free(src->cache_data);
	arena_free(&src->mem);
	free(src->cache_path);
	if (src->zip)
		src->zl->discard(src->zip); /* read-only: nothing to write back */
	for (size_t i = 0; i < src->n_dir_fds; i++)
		if (src->dir_fds[i] >= 0)
			close(src->dir_fds[i]);
	free(src->name);
	free(src->root);
}

void sources_free(struct source_set *set)
{
	if (!set)
		return;
	free_source(&set->args);
	for (size_t i = 0; i < set->sources.n; i++) {
		free_source(set->sources.v[i]);
		free(set->sources.v[i]);
	}
	vec_free(&set->sources);
	map_free(&set->lookups);
	for (size_t i = 0; i < set->founds.n; i++)
		free(set->founds.v[i]);
	vec_free(&set->founds);
	free(set->found_set.slots);
	vec_free(&set->read_paths);
	map_free(&set->read_seen);
	for (size_t i = 0; i < set->owned.n; i++)
		free(set->owned.v[i]);
	vec_free(&set->owned);
	free(set->cache_dir);
	free(set);
}

static bool has_zip_magic(const char *path)
{
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool zip = read(fd, magic, 4) == 4 &&
		   (memcmp(magic, "PK\3\4", 4) == 0 ||
		    memcmp(magic, "PK\5\6", 4) == 0);
	close(fd);
	return zip;
}

/* Forget remembered lookups: a new source can change their answers.  The
 * answers already handed out stay valid (set->founds keeps them). */
static void forget_lookups(struct source_set *set)
{
	map_free(&set->lookups);
}

int sources_add(struct source_set *set, const char *spec, char **error)
{
	*error = NULL;
	/* mibdump takes file:// URLs too */
	const char *path = strncmp(spec, "file://", 7) == 0 ? spec + 7 : spec;
	struct stat st;
	if (!*path) {
		*error = xasprintf("empty MIB source");
		return -1;
	}
	if (stat(path, &st) != 0) {
		*error = errno_message(path, errno);
		return -1;
	}
	struct source *src = xcalloc(1, sizeof(*src));
	src->name = xstrdup(spec);
	src->root = xstrdup(path);
	/* "dir/" shows as "dir/FILE", not "dir//FILE" */
	for (size_t n = strlen(src->root); n > 1 && src->root[n - 1] == '/'; n--)
		src->root[n - 1] = '\0';

	if (S_ISDIR(st.st_mode)) {
		if (access(path, R_OK | X_OK) != 0) {
			*error = errno_message(path, errno);
			goto fail;
		}
		src->kind = SRC_DIR;
		/* the cache first: its size is a good guess at the listing's */
		src->root_dev = (uint64_t)st.st_dev;
		src->root_ino = (uint64_t)st.st_ino;
		cache_load(set, src);
		map_reserve(&src->by_base, src->n_cached);
		list_directory(set, src, &st);
	} else if (S_ISREG(st.st_mode) && has_zip_magic(path)) {
		src->kind = SRC_ZIP;
		if (list_zip(src, path, st.st_mtime, error) != 0)
			goto fail;
	} else if (S_ISREG(st.st_mode)) {
		if (access(path, R_OK) != 0) {
			*error = errno_message(path, errno);
			goto fail;
		}
		src->kind = SRC_FILE;
		add_sfile(src, new_sfile(src, path, NULL, path, st.st_mtime));
	} else {
		*error = xasprintf("%s: not a directory, file or zip archive",
				   path);
		goto fail;
	}
	vec_push(&set->sources, src);
	forget_lookups(set);
	return 0;
fail:
	free_source(src);
	free(src);
	return -1;
}

size_t sources_count(const struct source_set *set)
{
	return set->sources.n;
}

const char *sources_name(const struct source_set *set, size_t i)
{
	if (i >= set->sources.n)
		return NULL;
	return ((const struct source *)set->sources.v[i])->name;
}

/* ---- lookup ------------------------------------------------------------ */

/* mibdump's file name suffixes, in its order. */
static const char *const suffixes[] = {
	"", ".txt", ".mib", ".my", ".TXT", ".MIB", ".MY",
};
#define N_SUFFIXES (sizeof(suffixes) / sizeof(suffixes[0]))

/* The file names a module may hide under: exact ones (the name with a
 * suffix) first, then mibdump's guesses.  At most 8 stems * 7 suffixes. */
struct variants {
	char *names[8 * N_SUFFIXES];
	size_t n, n_exact;
};

static void add_stem(struct variants *v, const char *stem, size_t len)
{
	for (size_t s = 0; s < N_SUFFIXES; s++) {
		size_t k = strlen(suffixes[s]);
		char *name = xmalloc(len + k + 1);
		memcpy(name, stem, len);
		memcpy(name + len, suffixes[s], k + 1);
		bool dup = false;
		for (size_t i = 0; i < v->n && !dup; i++)
			dup = strcmp(v->names[i], name) == 0;
		if (dup)
			free(name);
		else
			v->names[v->n++] = name;
	}
}

static char *case_copy(const char *s, bool upper)
{
	char *c = xstrdup(s);
	for (char *p = c; *p; p++)
		if (upper && *p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!upper && *p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return c;
}

/* As pysmi's getMibVariants: NAME, UPPER, lower; then, if lower holds
 * "-mib", each of those cut before it, else NAME-MIB and name-mib. */
static void make_variants(struct variants *v, const char *name)
{
	v->n = 0;
	add_stem(v, name, strlen(name));
	v->n_exact = v->n;
	char *upper = case_copy(name, true);
	char *lower = case_copy(name, false);
	add_stem(v, upper, strlen(upper));
	add_stem(v, lower, strlen(lower));
	const char *cut = strstr(lower, "-mib");
	if (cut) {
		size_t len = (size_t)(cut - lower);
		add_stem(v, name, len);
		add_stem(v, upper, len);
		add_stem(v, lower, len);
	} else {
		char *suffixed = xasprintf("%s-mib", name);
		char *su = case_copy(suffixed, true);
		char *sl = case_copy(suffixed, false);
		add_stem(v, su, strlen(su));
		add_stem(v, sl, strlen(sl));
		free(suffixed);
		free(su);
		free(sl);
	}
	free(upper);
	free(lower);
}

static void free_variants(struct variants *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->names[i]);
	v->n = 0;
}

enum tier {
	TIER_ARGUMENT,  /* given on the command line */
	TIER_INDEX,     /* .index entry, or a single-file source */
	TIER_EXACT,     /* the module name (with a suffix) */
	TIER_GUESS,     /* a mibdump file name guess */
	TIER_CONTENT,   /* any file declaring it */
};

struct candidate {
	struct sfile *file;
	size_t module;
	size_t source_rank;  /* 0: command line; then sources in order */
	enum tier tier;
};

struct candidates {
	struct candidate *v;
	size_t n, cap;
};

/* Add f if it declares `name`; a file reached twice keeps its best tier. */
static void add_candidate(struct candidates *c, struct sfile *f,
			  const char *name, size_t rank, enum tier tier)
{
	long m = module_in(f, name);
	if (m < 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].file == f) {
			if (tier < c->v[i].tier)
				c->v[i].tier = tier;
			return;
		}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n++] = (struct candidate){ f, (size_t)m, rank, tier };
}

static void index_source(struct source_set *set, struct source *src)
{
	if (src->indexed)
		return;
	src->indexed = true;
	map_reserve(&src->content, src->files.n);
	for (size_t i = 0; i < src->files.n; i++) {
		struct sfile *f = src->files.v[i];
		scan_sfile(set, f, NULL);
		for (size_t m = 0; m < f->scan.n_modules; m++)
			/* a file declaring a module twice is listed once */
			if (module_in(f, f->scan.modules[m].name) == (long)m)
				map_push(&src->content, &src->mem,
					 f->scan.modules[m].name, f);
	}
}

static enum tier tier_of(const struct source *src, const struct sfile *f,
			 const char *name, const struct variants *v)
{
	if (src->kind == SRC_ARGS)
		return TIER_ARGUMENT;
	if (src->kind == SRC_FILE || map_get(&src->index, name) == f)
		return TIER_INDEX;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(f->base, v->names[i]) == 0)
			return i < v->n_exact ? TIER_EXACT : TIER_GUESS;
	return TIER_CONTENT;
}

/* The files of src that may provide `name` by their names: the .index
 * entry, exact names and (fuzzy) mibdump's guesses.  Only those files
 * are read. */
static void gather_named(struct source_set *set, struct source *src,
			 size_t rank, const char *name,
			 const struct variants *v, struct candidates *c)
{
	if (src->kind == SRC_ARGS) {
		/* scanned when given: their content map is complete */
		for (struct flist *l = map_get(&src->content, name); l; l = l->next)
			add_candidate(c, l->file, name, rank, TIER_ARGUMENT);
		return;
	}
	struct sfile *f = map_get(&src->index, name);
	if (f && scan_sfile(set, f, NULL))
		add_candidate(c, f, name, rank, TIER_INDEX);
	if (src->kind == SRC_FILE && scan_sfile(set, src->files.v[0], NULL))
		add_candidate(c, src->files.v[0], name, rank, TIER_INDEX);
	size_t n_names = set->fuzzy ? v->n : v->n_exact;
	for (size_t i = 0; i < n_names; i++) {
		for (struct flist *l = map_get(&src->by_base, v->names[i]); l;
		     l = l->next)
			if (scan_sfile(set, l->file, NULL))
				add_candidate(c, l->file, name, rank,
					      i < v->n_exact ? TIER_EXACT :
							       TIER_GUESS);
	}
}

/* Every file of src declaring `name`, whatever its name (fuzzy only):
 * reads the whole source, once. */
static void gather_content(struct source_set *set, struct source *src,
			   size_t rank, const char *name,
			   const struct variants *v, struct candidates *c)
{
	index_source(set, src);
	for (struct flist *l = map_get(&src->content, name); l; l = l->next)
		add_candidate(c, l->file, name, rank,
			      tier_of(src, l->file, name, v));
}

/* The candidates for `name`: what every source offers by file name, plus
 * what the sources up to the best of those declare under any name (a
 * source after it could not win).  So a lookup reads a later source only
 * when it must, and its answer, shadowed_path included, does not depend
 * on what was looked up before. */
static void gather(struct source_set *set, const char *name,
		   struct candidates *c)
{
	struct variants v;
	make_variants(&v, name);
	gather_named(set, &set->args, 0, name, &v, c);
	for (size_t i = 0; i < set->sources.n; i++)
		gather_named(set, set->sources.v[i], i + 1, name, &v, c);
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].source_rank < best)
			best = c->v[i].source_rank;
	if (set->fuzzy)
		for (size_t i = 0; i < set->sources.n && i + 1 <= best; i++)
			gather_content(set, set->sources.v[i], i + 1, name,
				       &v, c);
	free_variants(&v);
}

/* LAST-UPDATED as a sortable "YYYYMMDDHHMM"; "" when missing or odd (which
 * ranks oldest).  Two-digit years are 19xx (RFC 2578). */
static void date_key(const char *lu, char key[13])
{
	key[0] = '\0';
	if (!lu)
		return;
	size_t digits = strspn(lu, "0123456789");
	if (digits == 10)
		snprintf(key, 13, "19%.10s", lu);
	else if (digits >= 12)
		snprintf(key, 13, "%.12s", lu);
}

static const struct scan_module *cand_module(const struct candidate *c)
{
	return &c->file->scan.modules[c->module];
}

/* The precedence rule of sources.h: negative when a ranks first. */
static int compare_candidates(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	if (a->source_rank != b->source_rank)
		return a->source_rank < b->source_rank ? -1 : 1;
	if (a->tier != b->tier)
		return a->tier < b->tier ? -1 : 1;
	char ka[13], kb[13];
	date_key(cand_module(a)->last_updated, ka);
	date_key(cand_module(b)->last_updated, kb);
	int d = strcmp(kb, ka); /* newer first */
	if (d)
		return d;
	return strcmp(a->file->path, b->file->path);
}

static bool same_text(const struct candidate *a, const struct candidate *b)
{
	const struct scan_module *ma = cand_module(a), *mb = cand_module(b);
	return ma->end - ma->begin == mb->end - mb->begin &&
	       a->file->hashes[a->module] == b->file->hashes[b->module];
}

static struct found *make_found(struct source_set *set, struct sfile *f,
				size_t module)
{
	const struct scan_module *m = &f->scan.modules[module];
	struct found *r = xcalloc(1, sizeof(*r));
	r->file = f;
	r->module = module;
	r->pub.name = m->name;
	r->pub.path = f->path;
	r->pub.first_line = m->first_line;
	r->pub.imports = (const char *const *)m->imports;
	r->pub.n_imports = m->n_imports;
	r->pub.references = (const char *const *)m->references;
	r->pub.n_references = m->n_references;
	r->pub.last_updated = m->last_updated;
	sfile_stat(f);
	r->pub.mtime = f->mtime;
	r->pub.complete = m->complete;
	r->pub.may_redefine = m->may_redefine;
	vec_push(&set->founds, r);
	ptrset_add(&set->found_set, &r->pub);
	return r;
}

/* Hand p to the set, to be freed with it. */
static void *keep(struct source_set *set, void *p)
{
	vec_push(&set->owned, p);
	return p;
}

static struct found *resolve(struct source_set *set, const char *name)
{
	struct candidates c = { 0 };
	gather(set, name, &c);

	struct found *r = NULL;
	if (c.n > 0) {
		qsort(c.v, c.n, sizeof(*c.v), compare_candidates);
		r = make_found(set, c.v[0].file, c.v[0].module);
		for (size_t i = 1; i < c.n; i++)
			if (!same_text(&c.v[0], &c.v[i])) {
				r->pub.shadowed_path = c.v[i].file->path;
				break;
			}
	}
	free(c.v);
	return r;
}

const struct source_module *sources_find(struct source_set *set,
					 const char *module)
{
	if (!scan_is_module_name(module))
		return NULL;
	void *known = map_get(&set->lookups, module);
	if (known)
		return known == &not_found ? NULL : known;
	struct found *r = resolve(set, module);
	/* the key must outlive the map: use the module's own name */
	if (r)
		map_put(&set->lookups, r->pub.name, r);
	else
		map_put(&set->lookups, keep(set, xstrdup(module)), &not_found);
	return r ? &r->pub : NULL;
}

static struct sfile *argument_file(struct source_set *set, const char *path)
{
	for (size_t i = 0; i < set->args.files.n; i++) {
		struct sfile *f = set->args.files.v[i];
		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

int sources_add_file_argument(struct source_set *set, const char *path,
			      const struct source_module ***modules,
			      size_t *n_modules, const char **what,
			      char **error)
{
	*modules = NULL;
	*n_modules = 0;
	*what = NULL;
	*error = NULL;
	struct sfile *f = argument_file(set, path);
	if (!f) {
		struct stat st;
		if (stat(path, &st) != 0) {
			*error = errno_message(path, errno);
			return -1;
		}
		f = new_sfile(&set->args, path, NULL, path, st.st_mtime);
		char *err = NULL;
		scan_sfile(set, f, &err);
		if (err) {
			*error = err;
			release_sfile(f); /* its memory stays with the set */
			return -1;
		}
		add_sfile(&set->args, f);
		for (size_t m = 0; m < f->scan.n_modules; m++)
			if (module_in(f, f->scan.modules[m].name) == (long)m)
				map_push(&set->args.content, &set->args.mem,
					 f->scan.modules[m].name, f);
		forget_lookups(set);
	}
	size_t n = f->scan.n_modules;
	if (n == 0) {
		*what = f->scan.what;
		return 0;
	}
	const struct source_module **list = keep(set, xcalloc(n, sizeof(*list)));
	for (size_t m = 0; m < n; m++)
		list[m] = &make_found(set, f, m)->pub;
	*modules = list;
	*n_modules = n;
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* ---- staging ------------------------------------------------------------ */

static struct found *found_of(const struct source_set *set,
			      const struct source_module *m)
{
	/* pub is the first member: the answer leads back to its found */
	return ptrset_has(&set->found_set, m) ? (struct found *)m : NULL;
}

bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Write the module's text to dest after first_line - 1 empty lines, so
 * that libsmi reports the original file's line numbers. */
static int write_padded(const char *dest, const char *text, size_t len,
			int first_line, char **error)
{
	int fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		*error = errno_message(dest, errno);
		return -1;
	}
	char blank[4096];
	memset(blank, '\n', sizeof(blank));
	size_t pad = first_line > 1 ? (size_t)first_line - 1 : 0;
	bool ok = true;
	while (ok && pad > 0) {
		size_t k = pad < sizeof(blank) ? pad : sizeof(blank);
		ok = write_all(fd, blank, k);
		pad -= k;
	}
	ok = ok && write_all(fd, text, len);
	if (ok && (len == 0 || text[len - 1] != '\n'))
		ok = write_all(fd, "\n", 1);
	int err = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		*error = errno_message(dest, err);
		return -1;
	}
	return 0;
}

/* Copy the module out of its file, read afresh (the file may have changed
 * since it was scanned: the fresh scan gives the true offsets). */
static int stage_copy(struct source_set *set, struct found *r,
		      const char *dest, char **error)
{
	size_t len;
	char *data = read_sfile(set, r->file, &len, error, NULL, NULL);
	if (!data)
		return -1;
	struct scan_result scan;
	scan_buffer(data, len, &scan);
	const struct scan_module *m = NULL;
	for (size_t i = 0; i < scan.n_modules && !m; i++)
		if (strcmp(scan.modules[i].name, r->pub.name) == 0)
			m = &scan.modules[i];
	int rc;
	if (!m) {
		*error = xasprintf("%s: no longer declares %s", r->file->path,
				   r->pub.name);
		rc = -1;
	} else {
		rc = write_padded(dest, data + m->begin, m->end - m->begin,
				  m->first_line, error);
	}
	scan_result_free(&scan);
	free(data);
	return rc;
}

int sources_stage(struct source_set *set, const struct source_module *m,
		  const char *dir, char **error)
{
	*error = NULL;
	struct found *r = found_of(set, m);
	if (!r || !scan_is_module_name(m->name)) {
		*error = xasprintf("%s: not a module of these sources",
				   m && m->name ? m->name : "(null)");
		return -1;
	}
	char *dest = join(dir, m->name);
	int rc = 0;
	if (unlink(dest) != 0 && errno != ENOENT) {
		*error = errno_message(dest, errno);
		rc = -1;
		goto out;
	}
	/* A file on disk holding just this module (and comments): libsmi
	 * can read it in place, same bytes, same line numbers. */
	if (!r->file->src->zip && r->file->alone) {
		/* an absolute path serves as it is (realpath costs a readlink
		 * per component, per module staged) */
		const char *disk = r->file->disk_path;
		char *target = disk[0] == '/' ? xstrdup(disk) : realpath(disk, NULL);
		bool linked = target && symlink(target, dest) == 0;
		free(target);
		if (linked)
			goto out;
	}
	rc = stage_copy(set, r, dest, error);
out:
	free(dest);
	return rc;
}

size_t sources_files_read(const struct source_set *set,
			  const char *const **paths)
{
	*paths = (const char *const *)set->read_paths.v;
	return set->read_paths.n;
}
