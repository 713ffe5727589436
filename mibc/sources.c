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
#include "sources.h"

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

/* Bigger files are no MIBs (mibdump stops at 10 MB); the cap keeps a
 * stray disk image or zip bomb in a source from eating memory. */
#define SOURCE_FILE_MAX (64 * 1024 * 1024)
/* Files with more modules get a map; a hostile file with 100 000
 * modules must not make each lookup scan them all. */
#define MODULES_LINEAR_MAX 8
/* Deeper directory trees are almost surely a loop we failed to see. */
#define SOURCE_DEPTH_MAX 64

/* ---- small containers ------------------------------------------------ */

/* A growable array of pointers. */
struct vec {
	void **v;
	size_t n, cap;
};

static void vec_push(struct vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 4;
		vec->v = xreallocarray(vec->v, vec->cap, sizeof(*vec->v));
	}
	vec->v[vec->n++] = p;
}

static void vec_free(struct vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

/* A hash map from strings to pointers, open addressing.  Keys are not
 * copied: they must outlive the map (they point into the files' data).
 * Each slot keeps its key's hash: growing rehashes nothing, and a probe
 * compares strings only when the hashes agree (the maps of a source's
 * hundreds of files were a fifth of listing it). */
struct map {
	const char **keys;
	void **values;
	uint64_t *hashes;
	size_t n, cap;  /* cap: 0 or a power of two */
};

static uint64_t hash_str(const char *s)
{
	return hash_bytes(s, strlen(s));
}

static size_t map_slot(const struct map *map, const char *key, uint64_t h)
{
	size_t i = h & (map->cap - 1);
	while (map->keys[i] && (map->hashes[i] != h || strcmp(map->keys[i], key) != 0))
		i = (i + 1) & (map->cap - 1);
	return i;
}

static void *map_get(const struct map *map, const char *key)
{
	if (!map->cap)
		return NULL;
	size_t i = map_slot(map, key, hash_str(key));
	return map->keys[i] ? map->values[i] : NULL;
}

/* Move the keys into a table of `cap` slots (a power of two, more than
 * twice the keys). */
static void map_resize(struct map *map, size_t cap)
{
	struct map bigger = { .cap = cap };
	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.values = xcalloc(bigger.cap, sizeof(*bigger.values));
	bigger.hashes = xcalloc(bigger.cap, sizeof(*bigger.hashes));
	for (size_t i = 0; i < map->cap; i++) {
		if (!map->keys[i])
			continue;
		size_t k = map->hashes[i] & (bigger.cap - 1);
		while (bigger.keys[k])
			k = (k + 1) & (bigger.cap - 1);
		bigger.keys[k] = map->keys[i];
		bigger.values[k] = map->values[i];
		bigger.hashes[k] = map->hashes[i];
	}
	bigger.n = map->n;
	free(map->keys);
	free(map->values);
	free(map->hashes);
	*map = bigger;
}

/* Room for n keys without growing (a growth rehashes all of them). */
static void map_reserve(struct map *map, size_t n)
{
	size_t cap = map->cap ? map->cap : 16;
	while (n * 2 > cap)
		cap *= 2;
	if (cap != map->cap)
		map_resize(map, cap);
}

static void map_put(struct map *map, const char *key, void *value)
{
	map_reserve(map, map->n + 1);
	uint64_t h = hash_str(key);
	size_t i = map_slot(map, key, h);
	if (!map->keys[i]) {
		map->keys[i] = key;
		map->hashes[i] = h;
		map->n++;
	}
	map->values[i] = value;
}

static void map_free(struct map *map)
{
	free(map->keys);
	free(map->values);
	free(map->hashes);
	memset(map, 0, sizeof(*map));
}

/* The files stored under one key (file name, module name), in the order
 * added: a list in the source's arena (mostly of one). */
struct sfile;
struct flist {
	struct sfile *file;
	struct flist *next;
};

/* Append f to the list stored under key, creating it. */
static void map_push(struct map *map, struct arena *mem, const char *key,
		     struct sfile *f)
{
	struct flist *node = arena_alloc(mem, sizeof(*node));
	node->file = f;
	struct flist *head = map_get(map, key);
	if (!head) {
		map_put(map, key, node);
		return;
	}
	while (head->next)
		head = head->next;
	head->next = node;
}

/* A set of pointers (the answers handed out), open addressing. */
struct ptrset {
	const void **slots;
	size_t n, cap;
};

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

/* ---- the set ----------------------------------------------------------- */

enum source_kind {
	SRC_ARGS,  /* files given on the command line: top precedence */
	SRC_DIR,
	SRC_FILE,
	SRC_ZIP,
};

struct source;

/* Directories a source keeps open (see walk_dir). */
#define DIR_FDS_MAX 64

/* What identifies a file's content without reading it: a file whose key
 * is unchanged has the same bytes (ctime cannot be set back by users;
 * see cache_racy for edits within one timestamp tick). */
struct file_key {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
};

/* What stat said of a directory entry, as far as the walk's decision
 * depends on it (an entry that is no regular file by its directory's word:
 * a link, or any entry where the file system gives no type). */
struct stat_sig {
	uint64_t dev, ino;
	uint32_t fmt;   /* the S_IFMT bits; 0 when stat failed */
};

/* One step of a directory source's walk, in walk order: a directory
 * entered, or an entry listed in it.  The scan cache keeps them, so that
 * a run can check the directories (and the entries stat'ed) instead of
 * reading them: a directory whose key is unchanged lists the same names,
 * and an entry whose stat says the same leads the walk the same way. */
enum rec_kind {
	REC_DIR = 'D',      /* entered; its key */
	REC_REG = 'R',      /* a regular file by its directory's word */
	REC_STATED = 'F',   /* a regular file by stat (e.g. a link to one) */
	REC_SKIPPED = 'S',  /* stat'ed and passed over (dangling link, FIFO,
			       a directory already entered...) */
};

struct cache_entry;

struct list_rec {
	unsigned char kind;
	const char *rel;   /* from the root; "" for the root */
	size_t parent;     /* index of its directory's record; SIZE_MAX: root */
	/* REC_DIR: the directory's key; REC_STATED: the file's, from the
	 * stat that checked it */
	struct file_key key;
	struct stat_sig sig;        /* REC_STATED, REC_SKIPPED */
	struct sfile *file;         /* REC_REG, REC_STATED: this run's */
	struct cache_entry *entry;  /* REC_REG, REC_STATED: its cached scan */
};

/* One file of a source (or one member of a zip). */
struct sfile {
	struct source *src;
	char *path;        /* shown to the user: "dir/rel" or "a.zip:member" */
	char *rel;         /* relative to the source root (dirs), member name */
	const char *base;  /* file name part, inside path */
	char *disk_path;   /* what to open; the archive for zip members */
	zip_uint64_t zip_index;
	time_t mtime;
	struct file_key key;       /* from the listing (dir sources) */
	bool has_key;
	/* listed by name and type only: key and mtime not read yet (a
	 * source's files are stat'ed only when one is looked at), relative
	 * to dir_fd when that is not -1 */
	bool key_pending;
	int dir_fd;
	struct file_key read_key;  /* of the bytes scanned, for the cache */
	bool cacheable;            /* scanned and worth keeping in the cache */
	bool scanned;
	/* scan and hashes came from the cache: they live in the source's
	 * cache memory, not owned */
	bool from_cache;
	struct scan_result scan;   /* valid when scanned (empty if unreadable) */
	uint64_t *hashes;          /* per module: hash of its text */
	/* the scan cache's entry for this path (still to be checked against
	 * the file's key), or NULL */
	struct cache_entry *entry;
	bool alone;   /* one module, nothing around it but blanks and
			 comments: libsmi can read the file as it is */
	struct map modules;  /* name -> index + 1, for files with many */
};

struct source {
	enum source_kind kind;
	char *name;        /* as given */
	char *root;        /* display prefix of dir sources */
	uint64_t root_dev, root_ino;  /* of a directory source */
	zip_t *zip;
	const struct zip_api *zl; /* libzip, when zip is open */
	/* the files and their names; one free: a source has hundreds of
	 * files, and a small compile's time went to mallocs and frees */
	struct arena mem;
	struct vec files;  /* struct sfile *, in sorted order */
	/* directories kept open for the files listed in them (at most
	 * DIR_FDS_MAX; further ones are stat'ed by path) */
	int dir_fds[DIR_FDS_MAX];
	size_t n_dir_fds;
	struct map by_base;  /* file name -> flist (non-fuzzy lookup) */
	struct map by_rel;   /* relative path -> sfile (made for .index) */
	struct map index;    /* .index: module -> sfile (keys in mem) */
	struct map content;  /* declared module -> flist */
	bool indexed;        /* every file scanned into content */
	/* the listing of a directory source, in walk order: what the scan
	 * cache keeps so that the next run need not read the directories */
	struct list_rec *records;
	size_t n_records, cap_records;
	bool listing_cacheable;   /* no directory changed too recently */
	bool listing_from_cache;  /* checked and taken instead of a walk */
	/* the scan cache of a directory source (see scan cache below) */
	char *cache_path;    /* NULL: no cache */
	struct list_rec *cached;  /* its records (when not taken as is) */
	size_t n_cached;
	size_t n_cache_entries;   /* records with a scan */
	bool cached_listing_valid;
	/* what the cache's entries point into: the file as read (strings)
	 * and the arrays built over it */
	char *cache_data;
	struct arena cache_mem;
};

/* What a lookup returns; `pub` first so a source_module pointer leads
 * back to the file it came from. */
struct found {
	struct source_module pub;
	struct sfile *file;
	size_t module;   /* index in file->scan.modules */
};

struct source_set {
	bool fuzzy;
	char *cache_dir;        /* where scan caches live; NULL: none */
	int racy_seconds;       /* see CACHE_RACY_SECONDS */
	size_t cache_hits;
	struct source args;     /* command-line files */
	struct vec sources;     /* struct source *, in order given */
	struct map lookups;     /* module -> struct found, or &not_found */
	struct vec founds;      /* every struct found ever returned */
	struct ptrset found_set;  /* the same, to check what comes back */
	struct vec read_paths;  /* disk paths (sfiles'), first-read order */
	struct map read_seen;
	struct vec owned;       /* strings and arrays freed with the set */
};

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
static char *read_disk_file(const char *path, size_t *len, char **error,
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

/* ---- scan cache --------------------------------------------------------
 *
 * What listing and scanning a directory source found, kept between runs:
 * one file per source directory in the cache directory (named after the
 * directory's device and inode), holding the walk's records in order (see
 * struct list_rec) and, for each file listed, its key (device, inode,
 * size, mtime, ctime) and scan.  The listing is used instead of a walk
 * when every directory's key and every stat'ed entry's signature is
 * unchanged (a directory changed within the racy window is never trusted);
 * a scan only when the file's key is the one stored, so an edited,
 * replaced, renamed or removed file is read again (renamed: its new path
 * has no entry).  A cache that does not check out (truncated, corrupt,
 * another format, another directory, a path that leaves the directory,
 * written by another build of the program) is ignored as a whole.  It is
 * rewritten, atomically (a temporary file then rename), only when it
 * changed; concurrent runs each write a complete cache, the last one
 * stays.  Results never depend on it: the records are what the walk would
 * find, the entry exactly what the scan of those bytes gives. */

#define CACHE_MAGIC "MIBCSCAN"
#define CACHE_VERSION 3u
#define CACHE_ENDIAN 0x01020304u
/* Files changed this recently may change again within one timestamp
 * tick without their key changing: they are not cached (as git's "racily
 * clean" entries).  Generous, for coarse file system clocks. */
#define CACHE_RACY_SECONDS 2

/* An entry lives in its source's cache memory: its strings point into
 * the cache as read, its arrays are in cache_mem. */
struct cache_entry {
	struct file_key key;
	struct scan_result scan;
	uint64_t *hashes;
	bool alone;
	bool taken;          /* handed to its sfile (which borrows it) */
};

static void key_of(const struct stat *st, struct file_key *k)
{
	memset(k, 0, sizeof(*k));
	k->dev = (uint64_t)st->st_dev;
	k->ino = (uint64_t)st->st_ino;
	k->size = (uint64_t)st->st_size;
	k->mtime_s = (int64_t)st->st_mtim.tv_sec;
	k->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
	k->ctime_s = (int64_t)st->st_ctim.tv_sec;
	k->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

static bool key_equal(const struct file_key *a, const struct file_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* Changed so recently (against `now`, taken before reading) that a
 * further change might leave the key as it is. */
static bool cache_racy(const struct source_set *set, const struct file_key *k,
		       time_t now)
{
	if (set->racy_seconds <= 0)
		return false;
	int64_t limit = (int64_t)now - set->racy_seconds;
	return k->mtime_s >= limit || k->ctime_s >= limit;
}

/* -- reading: every field checked against what is left; any doubt and
 * the whole file is ignored -- */

struct rd {
	const unsigned char *p;
	size_t n, pos;
	bool bad;
	struct arena *mem;   /* where the entries' arrays go */
};

static uint64_t rd_u64(struct rd *r)
{
	uint64_t v = 0;
	if (r->bad || r->n - r->pos < 8) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->pos, 8);
	r->pos += 8;
	return v;
}

static unsigned rd_u8(struct rd *r)
{
	if (r->bad || r->pos >= r->n) {
		r->bad = true;
		return 0;
	}
	return r->p[r->pos++];
}

/* A count of items of at least `min_size` bytes each: bounded by what
 * is left, so a corrupt count cannot make us allocate much. */
static size_t rd_count(struct rd *r, size_t min_size)
{
	uint64_t v = rd_u64(r);
	if (r->bad || v > (r->n - r->pos) / min_size) {
		r->bad = true;
		return 0;
	}
	return (size_t)v;
}

#define RD_NULL UINT64_MAX

/* A string (u64 length, bytes, NUL); NULL for RD_NULL when `nullable`.
 * The result points into the data read (which is kept): no copy. */
static char *rd_str(struct rd *r, bool nullable)
{
	uint64_t len = rd_u64(r);
	if (r->bad)
		return NULL;
	if (len == RD_NULL && nullable)
		return NULL;
	/* a NUL inside would only end the string early: every check and use
	 * of it sees the same shorter string */
	if (len >= r->n - r->pos || r->p[r->pos + len] != '\0') {
		r->bad = true;
		return NULL;
	}
	char *s = (char *)r->p + r->pos;
	r->pos += len + 1;
	return s;
}

/* Imports and references: not checked as names here (a tenth of reading
 * a cache went to that); they are only ever looked up, and sources_find
 * takes nothing but a valid module name. */
static char **rd_names(struct rd *r, size_t *n_out)
{
	size_t n = rd_count(r, 9);
	*n_out = 0;
	if (r->bad || n == 0)
		return NULL;
	char **v = arena_array(r->mem, n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = rd_str(r, false);
		if (r->bad || !*v[i]) {
			r->bad = true;
			return NULL;
		}
	}
	*n_out = n;
	return v;
}

static void rd_key(struct rd *r, struct file_key *k)
{
	k->dev = rd_u64(r);
	k->ino = rd_u64(r);
	k->size = rd_u64(r);
	k->mtime_s = (int64_t)rd_u64(r);
	k->mtime_ns = (int64_t)rd_u64(r);
	k->ctime_s = (int64_t)rd_u64(r);
	k->ctime_ns = (int64_t)rd_u64(r);
}

static struct cache_entry *rd_entry(struct rd *r)
{
	struct cache_entry *e = arena_alloc(r->mem, sizeof(*e));
	rd_key(r, &e->key);
	unsigned verdict = rd_u8(r);
	e->alone = rd_u8(r) != 0;
	e->scan.what = rd_str(r, true);
	e->scan.verdict = (enum scan_verdict)verdict;
	if (verdict > SCAN_EMPTY)
		r->bad = true;
	size_t n = rd_count(r, 64);
	if (!r->bad && n) {
		e->scan.modules = arena_array(r->mem, n, sizeof(*e->scan.modules));
		e->hashes = arena_array(r->mem, n, sizeof(*e->hashes));
	}
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct scan_module *m = &e->scan.modules[i];
		e->scan.n_modules = i + 1;
		m->name = rd_str(r, false);
		int64_t first = (int64_t)rd_u64(r), last = (int64_t)rd_u64(r);
		m->begin = (size_t)rd_u64(r);
		m->end = (size_t)rd_u64(r);
		m->complete = rd_u8(r) != 0;
		m->may_redefine = rd_u8(r) != 0;
		m->last_updated = rd_str(r, true);
		e->hashes[i] = rd_u64(r);
		m->imports = rd_names(r, &m->n_imports);
		m->references = rd_names(r, &m->n_references);
		if (first < 1 || first > INT_MAX || last < first || last > INT_MAX ||
		    m->begin > m->end || m->end > e->key.size ||
		    !scan_is_module_name(m->name))
			r->bad = true;
		m->first_line = (int)first;
		m->last_line = (int)last;
	}
	if (r->bad)
		return NULL; /* its memory goes with the whole cache's */
	return e;
}

/* The name part of a record's relative path. */
static const char *rec_name(const struct list_rec *rec)
{
	const char *slash = strrchr(rec->rel, '/');
	return slash ? slash + 1 : rec->rel;
}

/* Record i of recs, read into place.  Its path must be its directory's
 * plus one name that the walk could have listed, so that a damaged cache
 * cannot make a run look outside the source. */
static bool rd_record(struct rd *r, struct list_rec *recs, size_t i)
{
	struct list_rec *rec = &recs[i];
	rec->kind = (unsigned char)rd_u8(r);
	rec->rel = rd_str(r, false);
	uint64_t parent = rd_u64(r);
	if (r->bad)
		return false;
	if (i == 0) {
		if (rec->kind != REC_DIR || parent != RD_NULL || *rec->rel)
			return false;
		rec->parent = SIZE_MAX;
	} else {
		if (parent >= i || recs[parent].kind != REC_DIR)
			return false;
		rec->parent = (size_t)parent;
		const char *dir = recs[parent].rel;
		size_t nd = strlen(dir);
		const char *name = rec->rel;
		if (nd) {
			if (strncmp(rec->rel, dir, nd) != 0 || rec->rel[nd] != '/')
				return false;
			name = rec->rel + nd + 1;
		}
		if (!*name || *name == '.' || strchr(name, '/'))
			return false;
	}
	switch (rec->kind) {
	case REC_DIR:
		rd_key(r, &rec->key);
		break;
	case REC_STATED:
	case REC_SKIPPED:
		rec->sig.dev = rd_u64(r);
		rec->sig.ino = rd_u64(r);
		rec->sig.fmt = (uint32_t)rd_u64(r);
		break;
	case REC_REG:
		break;
	default:
		return false;
	}
	if (rec->kind == REC_REG || rec->kind == REC_STATED) {
		if (rd_u8(r)) {
			rec->entry = rd_entry(r);
			if (!rec->entry)
				return false;
		}
	}
	return !r->bad;
}

static bool write_all(int fd, const char *p, size_t n);

/* Which program wrote a cache: a rebuilt mibc (whose scanner may find
 * other things) ignores the caches of the one before. */
static uint64_t program_identity(void)
{
	/* once per process: every directory source asks */
	static uint64_t identity;
	static bool known;
	if (known)
		return identity;
	known = true;
	struct stat st;
	if (stat("/proc/self/exe", &st) != 0)
		return identity = 0;
	struct file_key k;
	key_of(&st, &k);
	return identity = hash_bytes((const char *)&k, sizeof(k));
}

/* A source directory's cache is named after the directory's device and
 * inode (however the source was spelled; no realpath, which costs a
 * readlink per path component). */
static char *cache_file_name(const struct source_set *set,
			     const struct source *src)
{
	uint64_t id[2] = { src->root_dev, src->root_ino };
	return xasprintf("%s/scan-%016llx.cache", set->cache_dir,
			 (unsigned long long)hash_bytes((const char *)id,
							sizeof(id)));
}

/* Load src's cache, if it has one that checks out. */
static void cache_load(struct source_set *set, struct source *src)
{
	if (!set->cache_dir || src->kind != SRC_DIR)
		return;
	src->cache_path = cache_file_name(set, src);
	size_t len;
	char *err = NULL;
	char *data = read_disk_file(src->cache_path, &len, &err, NULL, NULL);
	free(err);
	if (!data)
		return;
	struct rd r = { (const unsigned char *)data, len, 0, false,
			&src->cache_mem };
	/* the checksum covers everything before it */
	uint64_t sum = 0;
	if (len >= 8 + 8)
		memcpy(&sum, data + len - 8, 8);
	if (len < 8 + 8 || sum != hash_bytes(data, len - 8) ||
	    memcmp(data, CACHE_MAGIC, 8) != 0)
		r.bad = true;
	r.n = len >= 8 ? len - 8 : 0;
	r.pos = 8;
	if (!r.bad && rd_u64(&r) != (((uint64_t)CACHE_ENDIAN << 32) | CACHE_VERSION))
		r.bad = true;
	if (!r.bad && rd_u64(&r) != program_identity())
		r.bad = true;
	if (!r.bad && (rd_u64(&r) != src->root_dev || rd_u64(&r) != src->root_ino))
		r.bad = true;
	bool listing_valid = rd_u8(&r) != 0;
	size_t n = rd_count(&r, 1 + 9 + 8);
	struct list_rec *recs = r.bad || !n ? NULL : xcalloc(n, sizeof(*recs));
	size_t entries = 0;
	for (size_t i = 0; i < n && !r.bad; i++) {
		if (!rd_record(&r, recs, i))
			r.bad = true;
		else if (recs[i].entry)
			entries++;
	}
	if (!r.bad && r.pos != r.n)
		r.bad = true;
	if (r.bad) {
		free(recs);
		arena_free(&src->cache_mem);
		free(data);
	} else {
		src->cached = recs;
		src->n_cached = n;
		src->cached_listing_valid = listing_valid;
		src->n_cache_entries = entries;
		src->cache_data = data;
	}
}

/* Read the key and mtime of a file listed by name only, once. */
static bool sfile_stat(struct sfile *f)
{
	if (f->key_pending) {
		f->key_pending = false;
		struct stat st;
		int r = f->dir_fd >= 0 ? fstatat(f->dir_fd, f->base, &st, 0)
				       : stat(f->disk_path, &st);
		if (r == 0 && S_ISREG(st.st_mode)) {
			key_of(&st, &f->key);
			f->has_key = true;
			f->mtime = st.st_mtime;
		}
	}
	return f->has_key;
}

/* May the cache entry e of f be written back?  A file not looked at in
 * this run keeps its entry unchecked: it is checked when it is used. */
static bool entry_still_good(const struct sfile *f, const struct cache_entry *e)
{
	return e && !e->taken && (f->key_pending || key_equal(&e->key, &f->key));
}

/* The cached scan of f, moved into f, when its key is the one stored. */
static bool cache_take(struct sfile *f)
{
	struct cache_entry *e = f->entry;
	/* the key first, whatever the cache holds: a fresh scan needs it */
	if (!sfile_stat(f) || !e || e->taken || !key_equal(&e->key, &f->key))
		return false;
	e->taken = true;
	f->scan = e->scan;
	f->from_cache = true;
	f->hashes = e->hashes;
	f->alone = e->alone;
	f->read_key = e->key;
	f->cacheable = true;
	return true;
}

/* -- writing -- */

struct wr {
	char *p;
	size_t n, cap;
};

static void wr_bytes(struct wr *w, const void *p, size_t n)
{
	if (w->cap - w->n < n) {
		while (w->cap - w->n < n)
			w->cap = w->cap ? w->cap * 2 : 65536;
		w->p = xrealloc(w->p, w->cap);
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void wr_u64(struct wr *w, uint64_t v)
{
	wr_bytes(w, &v, 8);
}

static void wr_u8(struct wr *w, unsigned v)
{
	unsigned char c = (unsigned char)v;
	wr_bytes(w, &c, 1);
}

static void wr_str(struct wr *w, const char *s)
{
	if (!s) {
		wr_u64(w, RD_NULL);
		return;
	}
	size_t n = strlen(s);
	wr_u64(w, n);
	wr_bytes(w, s, n + 1);
}

static void wr_key(struct wr *w, const struct file_key *k);

static void wr_entry(struct wr *w, const struct cache_entry *e)
{
	const struct scan_result *scan = &e->scan;
	const uint64_t *hashes = e->hashes;
	wr_key(w, &e->key);
	wr_u8(w, (unsigned)scan->verdict);
	wr_u8(w, e->alone);
	wr_str(w, scan->what);
	wr_u64(w, scan->n_modules);
	for (size_t i = 0; i < scan->n_modules; i++) {
		const struct scan_module *m = &scan->modules[i];
		wr_str(w, m->name);
		wr_u64(w, (uint64_t)m->first_line);
		wr_u64(w, (uint64_t)m->last_line);
		wr_u64(w, m->begin);
		wr_u64(w, m->end);
		wr_u8(w, m->complete);
		wr_u8(w, m->may_redefine);
		wr_str(w, m->last_updated);
		wr_u64(w, hashes ? hashes[i] : 0);
		wr_u64(w, m->n_imports);
		for (size_t k2 = 0; k2 < m->n_imports; k2++)
			wr_str(w, m->imports[k2]);
		wr_u64(w, m->n_references);
		for (size_t k2 = 0; k2 < m->n_references; k2++)
			wr_str(w, m->references[k2]);
	}
}

/* Can f have an entry in its source's cache?  A file of the listing with
 * a key, read or still to be read. */
static bool cache_may_hold(const struct sfile *f)
{
	return f->has_key || f->key_pending;
}

/* What the cache keeps for a listed file: its fresh scan, or the entry it
 * had when still good; else NULL (*fresh says which). */
static const struct cache_entry *entry_to_keep(const struct sfile *f,
					       struct cache_entry *fresh_out,
					       bool *fresh)
{
	*fresh = false;
	if (!cache_may_hold(f))
		return NULL;
	if (f->scanned && f->cacheable) {
		*fresh = true;
		fresh_out->key = f->read_key;
		fresh_out->scan = f->scan;
		fresh_out->hashes = f->hashes;
		fresh_out->alone = f->alone;
		return fresh_out;
	}
	return entry_still_good(f, f->entry) ? f->entry : NULL;
}

static void wr_key(struct wr *w, const struct file_key *k)
{
	wr_u64(w, k->dev);
	wr_u64(w, k->ino);
	wr_u64(w, k->size);
	wr_u64(w, (uint64_t)k->mtime_s);
	wr_u64(w, (uint64_t)k->mtime_ns);
	wr_u64(w, (uint64_t)k->ctime_s);
	wr_u64(w, (uint64_t)k->ctime_ns);
}

/* Write src's cache if it changed: its listing, and the entries of the
 * files listed now, fresh or carried over (a file not listed any more
 * loses its entry).  A listing walked this run is written when it can be
 * trusted next time. */
static void cache_save(struct source_set *set, struct source *src)
{
	if (!src->cache_path || !src->n_records)
		return;
	bool changed = false;
	size_t kept = 0;
	for (size_t i = 0; i < src->n_records; i++) {
		struct sfile *f = src->records[i].file;
		if (!f)
			continue;
		struct cache_entry fresh_entry;
		bool fresh;
		if (!entry_to_keep(f, &fresh_entry, &fresh))
			continue;
		if (fresh && !(f->entry && f->entry->taken))
			changed = true;
		else
			kept++;
	}
	if (!changed && kept == src->n_cache_entries &&
	    (src->listing_from_cache || !src->listing_cacheable))
		return;

	struct wr w = { 0 };
	wr_bytes(&w, CACHE_MAGIC, 8);
	wr_u64(&w, ((uint64_t)CACHE_ENDIAN << 32) | CACHE_VERSION);
	wr_u64(&w, program_identity());
	wr_u64(&w, src->root_dev);
	wr_u64(&w, src->root_ino);
	wr_u8(&w, src->listing_cacheable);
	wr_u64(&w, src->n_records);
	for (size_t i = 0; i < src->n_records; i++) {
		const struct list_rec *rec = &src->records[i];
		wr_u8(&w, rec->kind);
		wr_str(&w, rec->rel);
		wr_u64(&w, rec->parent == SIZE_MAX ? RD_NULL : rec->parent);
		if (rec->kind == REC_DIR)
			wr_key(&w, &rec->key);
		if (rec->kind == REC_STATED || rec->kind == REC_SKIPPED) {
			wr_u64(&w, rec->sig.dev);
			wr_u64(&w, rec->sig.ino);
			wr_u64(&w, rec->sig.fmt);
		}
		if (rec->kind == REC_REG || rec->kind == REC_STATED) {
			struct cache_entry fresh_entry;
			bool fresh;
			const struct cache_entry *e =
				entry_to_keep(rec->file, &fresh_entry, &fresh);
			wr_u8(&w, e != NULL);
			if (e)
				wr_entry(&w, e);
		}
	}
	uint64_t sum = hash_bytes(w.p, w.n);
	wr_u64(&w, sum);

	char *tmp = NULL;
	int fd = -1;
	if (mkdirs(set->cache_dir, 0700) == 0) {
		tmp = xasprintf("%s/.scan-XXXXXX", set->cache_dir);
		fd = mkstemp(tmp);
	}
	if (fd >= 0) {
		bool ok = write_all(fd, w.p, w.n);
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, src->cache_path) != 0)
			unlink(tmp);
	}
	free(tmp);
	free(w.p);
}

void sources_save_cache(struct source_set *set)
{
	for (size_t i = 0; i < set->sources.n; i++)
		cache_save(set, set->sources.v[i]);
}

void sources_set_cache_racy_seconds(struct source_set *set, int seconds)
{
	set->racy_seconds = seconds;
}

size_t sources_cache_hits(const struct source_set *set)
{
	return set->cache_hits;
}

size_t sources_listings_from_cache(const struct source_set *set)
{
	size_t n = 0;
	for (size_t i = 0; i < set->sources.n; i++)
		n += ((const struct source *)set->sources.v[i])->listing_from_cache;
	return n;
}

void sources_set_cache_directory(struct source_set *set, const char *dir)
{
	free(set->cache_dir);
	set->cache_dir = dir && *dir ? xstrdup(dir) : NULL;
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

/* ---- listing sources -------------------------------------------------- */

/* A file of src, its names copied into the source's memory. */
static struct sfile *new_sfile(struct source *src, const char *path,
			       const char *rel, const char *disk_path,
			       time_t mtime)
{
	struct sfile *f = arena_alloc(&src->mem, sizeof(*f));
	f->src = src;
	f->path = arena_strdup(&src->mem, path);
	f->rel = arena_strdup(&src->mem, rel);
	f->disk_path = strcmp(disk_path, path) == 0 ?
			       f->path : arena_strdup(&src->mem, disk_path);
	path = f->path;
	rel = f->rel;
	f->mtime = mtime;
	f->dir_fd = -1;
	/* the name part: path ends with rel ("dir/rel", "a.zip:rel"), and
	 * the name is what follows rel's last '/' (a ':' in the archive's
	 * name or in a member's must not count) */
	const char *tail = rel ? path + strlen(path) - strlen(rel) : path;
	const char *slash = strrchr(tail, '/');
	f->base = slash ? slash + 1 : tail;
	return f;
}

/* A file of the listing: `name` in the directory `rel_dir` (the first nd
 * bytes; relative to the root, empty for the root).  Its path is built
 * once, in the source's memory, and its relative path is the tail of it. */
static struct sfile *new_listed_sfile(struct source *src, const char *rel_dir,
				      size_t nd, const char *name)
{
	size_t nr = strlen(src->root), nn = strlen(name);
	bool root_slash = nr > 0 && src->root[nr - 1] != '/';
	size_t len = nr + root_slash + nd + (nd > 0) + nn;
	char *path = arena_alloc(&src->mem, len + 1), *q = path;
	memcpy(q, src->root, nr);
	q += nr;
	if (root_slash)
		*q++ = '/';
	char *rel = q;
	memcpy(q, rel_dir, nd);
	q += nd;
	if (nd)
		*q++ = '/';
	memcpy(q, name, nn + 1);
	struct sfile *f = arena_alloc(&src->mem, sizeof(*f));
	f->src = src;
	f->path = f->disk_path = path;
	f->rel = rel;
	f->base = q;
	f->dir_fd = -1;
	return f;
}

static void add_sfile(struct source *src, struct sfile *f)
{
	vec_push(&src->files, f);
	map_push(&src->by_base, &src->mem, f->base, f);
}

/* Directories already entered, so symlinked loops end. */
struct dir_seen {
	dev_t dev;
	ino_t ino;
};

struct walk {
	const struct source_set *set;
	time_t now;  /* before the walk: see cache_racy */
	struct source *src;
	struct dir_seen *seen;
	size_t n_seen, cap_seen;
	struct arena names;  /* the directory entries, for the walk */
};

static bool walk_enter(struct walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->n_seen; i++)
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
			return false;
	if (w->n_seen == w->cap_seen) {
		w->cap_seen = w->cap_seen ? w->cap_seen * 2 : 16;
		w->seen = xreallocarray(w->seen, w->cap_seen, sizeof(*w->seen));
	}
	w->seen[w->n_seen++] = (struct dir_seen){ st->st_dev, st->st_ino };
	return true;
}

/* A directory entry is its type byte (d_type: DT_UNKNOWN where the file
 * system does not say) followed by its name: the sort moves pointers. */
static int compare_entries_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* The entries of the directory open as dir_fd (which stays open), sorted
 * by name, hidden ones left out; in `names`. */
static char **list_dir(int dir_fd, struct arena *names, size_t *n_out)
{
	*n_out = 0;
	int fd = dup(dir_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char **entries = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			entries = xreallocarray(entries, cap, sizeof(*entries));
		}
		size_t len = strlen(e->d_name);
		char *entry = arena_alloc(names, len + 2);
		entry[0] = (char)e->d_type;
		memcpy(entry + 1, e->d_name, len + 1);
		entries[n++] = entry;
	}
	closedir(d);
	if (n > 1)
		qsort(entries, n, sizeof(*entries), compare_entries_by_name);
	*n_out = n;
	return entries;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), k = strlen(name);
	bool slash = n > 0 && dir[n - 1] != '/';
	char *p = xmalloc(n + slash + k + 1);
	memcpy(p, dir, n);
	if (slash)
		p[n] = '/';
	memcpy(p + n + slash, name, k + 1);
	return p;
}

/* Append a record to src's listing; its index. */
static size_t add_record(struct source *src, unsigned char kind,
			 const char *rel, size_t parent)
{
	if (src->n_records == src->cap_records) {
		src->cap_records = src->cap_records ? src->cap_records * 2 : 64;
		src->records = xreallocarray(src->records, src->cap_records,
					     sizeof(*src->records));
	}
	struct list_rec *rec = &src->records[src->n_records];
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->rel = rel;
	rec->parent = parent;
	return src->n_records++;
}

static void sig_of(int stat_result, const struct stat *st,
		   struct stat_sig *sig)
{
	memset(sig, 0, sizeof(*sig));
	if (stat_result == 0) {
		sig->dev = (uint64_t)st->st_dev;
		sig->ino = (uint64_t)st->st_ino;
		sig->fmt = (uint32_t)(st->st_mode & S_IFMT);
	}
}

static bool sig_equal(const struct stat_sig *a, const struct stat_sig *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->fmt == b->fmt;
}

/* `name` in the directory `rel`, in the source's memory. */
static const char *child_rel(struct source *src, const char *rel,
			     const char *name)
{
	return *rel ? arena_printf(&src->mem, "%s/%s", rel, name) :
		      arena_strdup(&src->mem, name);
}

/* Walk `rel` (relative to the source root, in the source's memory) depth
 * first in sorted order, recording each step (see struct list_rec).  A
 * regular file is only listed here (the directory says its type): it is
 * stat'ed when it is looked at (sfile_stat), as most of a source's files
 * never are in a small compile.  Anything else is stat'ed relative to its
 * directory (links, directories: loops end in walk_enter). */
static void walk_dir(struct walk *w, const char *rel, int depth, size_t parent)
{
	struct source *src = w->src;
	char *dir = *rel ? join(src->root, rel) : xstrdup(src->root);
	int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	struct stat dst;
	if (dir_fd < 0 || fstat(dir_fd, &dst) != 0) {
		/* a directory without a key cannot be checked next time */
		src->listing_cacheable = false;
		if (dir_fd >= 0)
			close(dir_fd);
		return;
	}
	/* the key before the names: a change while listing shows next time */
	size_t d = add_record(src, REC_DIR, rel, parent);
	key_of(&dst, &src->records[d].key);
	if (cache_racy(w->set, &src->records[d].key, w->now))
		src->listing_cacheable = false;
	size_t n = 0;
	char **entries = list_dir(dir_fd, &w->names, &n);
	/* kept open for its files' stats, while there is room */
	bool keep_fd = false;
	int file_fd = src->n_dir_fds < DIR_FDS_MAX ? dir_fd : -1;
	size_t nd = strlen(rel);
	for (size_t i = 0; i < n; i++) {
		const char *name = entries[i] + 1;
		if ((unsigned char)entries[i][0] == DT_REG) {
			struct sfile *f = new_listed_sfile(src, rel, nd, name);
			f->key_pending = true;
			f->dir_fd = file_fd;
			keep_fd = file_fd >= 0;
			add_sfile(src, f);
			size_t k = add_record(src, REC_REG, f->rel, d);
			src->records[k].file = f; /* after add_record's realloc */
			continue;
		}
		struct stat st;
		int r = fstatat(dir_fd, name, &st, 0);
		if (r == 0 && S_ISDIR(st.st_mode) && depth < SOURCE_DEPTH_MAX &&
		    walk_enter(w, &st)) {
			walk_dir(w, child_rel(src, rel, name), depth + 1, d);
			continue;
		}
		struct sfile *f = NULL;
		if (r == 0 && S_ISREG(st.st_mode)) {
			f = new_listed_sfile(src, rel, nd, name);
			key_of(&st, &f->key);
			f->has_key = true;
			f->mtime = st.st_mtime;
			add_sfile(src, f);
		}
		/* gone since the listing, a dangling link, a loop... */
		size_t k = add_record(src, f ? REC_STATED : REC_SKIPPED,
				      f ? f->rel : child_rel(src, rel, name), d);
		sig_of(r, &st, &src->records[k].sig);
		src->records[k].file = f;
	}
	free(entries);
	if (keep_fd)
		src->dir_fds[src->n_dir_fds++] = dir_fd;
	else
		close(dir_fd);
}

/* Take src's listing from its cache if the walk would find the same:
 * every directory still has its key (so lists the same names) and every
 * entry that was stat'ed says the same.  Costs a stat per directory and
 * per such entry instead of reading every directory. */
static bool listing_from_cache(struct source *src)
{
	struct list_rec *recs = src->cached;
	size_t n = src->n_cached;
	if (!n || !src->cached_listing_valid)
		return false;
	int *fds = xmalloc(n * sizeof(*fds));
	for (size_t i = 0; i < n; i++)
		fds[i] = -1; /* all of them: the check may stop early */
	bool same = true;
	size_t n_open = 0;
	for (size_t i = 0; i < n && same; i++) {
		struct list_rec *rec = &recs[i];
		if (rec->kind == REC_REG)
			continue;
		int dir_fd = rec->parent == SIZE_MAX ? -1 : fds[rec->parent];
		char *path = dir_fd >= 0 ? NULL : join(src->root, rec->rel);
		const char *at = dir_fd >= 0 ? rec_name(rec) : path;
		struct stat st;
		if (rec->kind == REC_DIR) {
			int fd = openat(dir_fd >= 0 ? dir_fd : AT_FDCWD, at,
					O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			struct file_key k;
			if (fd >= 0 && fstat(fd, &st) == 0) {
				key_of(&st, &k);
				same = key_equal(&k, &rec->key);
			} else {
				same = false;
			}
			if (same && n_open < DIR_FDS_MAX) {
				fds[i] = fd;
				n_open++;
			} else if (fd >= 0) {
				close(fd);
			}
		} else {
			int r = fstatat(dir_fd >= 0 ? dir_fd : AT_FDCWD, at, &st, 0);
			struct stat_sig sig;
			sig_of(r, &st, &sig);
			same = sig_equal(&sig, &rec->sig);
			if (same && rec->kind == REC_STATED)
				key_of(&st, &rec->key);
		}
		free(path);
	}
	bool *used = xcalloc(n, sizeof(*used));
	if (same) {
		for (size_t i = 0; i < n; i++) {
			struct list_rec *rec = &recs[i];
			if (rec->kind != REC_REG && rec->kind != REC_STATED)
				continue;
			const char *name = rec_name(rec);
			size_t nd = name > rec->rel ? (size_t)(name - rec->rel - 1) : 0;
			struct sfile *f = new_listed_sfile(src, rec->rel, nd, name);
			if (rec->kind == REC_REG) {
				f->key_pending = true;
				f->dir_fd = fds[rec->parent];
				used[rec->parent] = true;
			} else {
				f->key = rec->key;
				f->has_key = true;
				f->mtime = (time_t)rec->key.mtime_s;
			}
			f->entry = rec->entry;
			rec->file = f;
			add_sfile(src, f);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0) {
			if (used[i])
				src->dir_fds[src->n_dir_fds++] = fds[i];
			else
				close(fds[i]);
		}
	free(used);
	free(fds);
	if (same) {
		src->records = recs;
		src->n_records = src->cap_records = n;
		src->cached = NULL;
		src->n_cached = 0;
	}
	return same;
}

/* After a walk: the cached scans of the files listed, found by path. */
static void attach_cache_entries(struct source *src)
{
	struct map by_rel = { 0 };
	map_reserve(&by_rel, src->n_cache_entries);
	for (size_t i = 0; i < src->n_cached; i++)
		if (src->cached[i].entry)
			map_put(&by_rel, src->cached[i].rel, src->cached[i].entry);
	for (size_t i = 0; i < src->n_records && by_rel.n; i++)
		if (src->records[i].file)
			src->records[i].file->entry =
				map_get(&by_rel, src->records[i].rel);
	map_free(&by_rel);
}

/* Read the root's .index ("MODULE filename" lines; later lines win, as in
 * mibdump).  A target not seen by the walk (hidden, outside) is added if
 * it is a regular file. */
static void load_index(struct source *src)
{
	char *path = join(src->root, ".index");
	/* a FIFO or a link to /dev/zero is no index (and must not block) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(path);
	struct stat ist;
	FILE *fp = NULL;
	if (fd >= 0 && fstat(fd, &ist) == 0 && S_ISREG(ist.st_mode) &&
	    ist.st_size <= SOURCE_FILE_MAX)
		fp = fdopen(fd, "r");
	if (!fp) {
		if (fd >= 0)
			close(fd);
		return;
	}
	/* the listing by path (only sources with an .index need it) */
	for (size_t i = 0; i < src->files.n; i++) {
		struct sfile *f = src->files.v[i];
		if (f->rel && !map_get(&src->by_rel, f->rel))
			map_put(&src->by_rel, f->rel, f);
	}
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, fp) >= 0) {
		char module[256], file[4096];
		if (line[0] == '#' ||
		    sscanf(line, "%255s %4095s", module, file) != 2 ||
		    !scan_is_module_name(module))
			continue;
		const char *rel = strncmp(file, "./", 2) == 0 ? file + 2 : file;
		struct sfile *f = map_get(&src->by_rel, rel);
		if (!f) {
			char *disk = file[0] == '/' ? xstrdup(file) :
						      join(src->root, rel);
			struct stat st;
			if (stat(disk, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(disk);
				continue;
			}
			f = new_sfile(src, disk, rel, disk, st.st_mtime);
			free(disk);
			key_of(&st, &f->key);
			f->has_key = true;
			add_sfile(src, f);
			map_put(&src->by_rel, f->rel, f);
		}
		map_put(&src->index, arena_strdup(&src->mem, module), f);
	}
	free(line);
	fclose(fp);
}

static void list_directory(struct source_set *set, struct source *src,
			   const struct stat *root_st)
{
	if (listing_from_cache(src)) {
		src->listing_from_cache = src->listing_cacheable = true;
	} else {
		struct walk w = { .set = set, .src = src, .now = time(NULL) };
		src->listing_cacheable = true;
		walk_enter(&w, root_st);
		walk_dir(&w, "", 0, SIZE_MAX);
		free(w.seen);
		arena_free(&w.names);
		if (src->n_cache_entries)
			attach_cache_entries(src);
	}
	load_index(src);
}

/* Junk that archivers add: macOS resource forks, dot files. */
static bool zip_member_skipped(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return !*base || base[0] == '.' || strncmp(name, "__MACOSX/", 9) == 0;
}

struct zip_member {
	const char *name;
	zip_uint64_t index;
};

static int compare_members(const void *a, const void *b)
{
	return strcmp(((const struct zip_member *)a)->name,
		      ((const struct zip_member *)b)->name);
}

static int list_zip(struct source *src, const char *path, time_t mtime,
		    char **error)
{
	int err = 0;
	const struct zip_api *zl = zip_api(error);
	if (!zl)
		return -1;
	src->zl = zl;
	src->zip = zl->open(path, ZIP_RDONLY, &err);
	if (!src->zip) {
		zip_error_t ze;
		zl->error_init_with_code(&ze, err);
		*error = xasprintf("%s: %s", path, zl->error_strerror(&ze));
		zl->error_fini(&ze);
		return -1;
	}
	zip_int64_t n = zl->get_num_entries(src->zip, 0);
	struct zip_member *members = xcalloc(n > 0 ? (size_t)n : 1,
					     sizeof(*members));
	size_t k = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zl->get_name(src->zip, (zip_uint64_t)i, 0);
		if (name && !zip_member_skipped(name))
			members[k++] = (struct zip_member){ name,
							    (zip_uint64_t)i };
	}
	qsort(members, k, sizeof(*members), compare_members);
	for (size_t i = 0; i < k; i++) {
		char *shown = xasprintf("%s:%s", src->name, members[i].name);
		struct sfile *f = new_sfile(src, shown, members[i].name, path,
					    mtime);
		free(shown);
		f->zip_index = members[i].index;
		add_sfile(src, f);
	}
	free(members);
	return 0;
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

static bool write_all(int fd, const char *p, size_t n)
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
