/* The scan cache of directory sources (see below), and a file's key. */
#include "sources-impl.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "mkdirs.h"

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

/* An entry lives in its source's cache memory: its strings point into
 * the cache as read, its arrays are in cache_mem. */
struct cache_entry {
	struct file_key key;
	struct scan_result scan;
	uint64_t *hashes;
	bool alone;
	bool taken;          /* handed to its sfile (which borrows it) */
};

void key_of(const struct stat *st, struct file_key *k)
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

bool key_equal(const struct file_key *a, const struct file_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* Changed so recently (against `now`, taken before reading) that a
 * further change might leave the key as it is. */
bool cache_racy(const struct source_set *set, const struct file_key *k,
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
const char *rec_name(const struct list_rec *rec)
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
	if (rec_lists_file(rec)) {
		if (rd_u8(r)) {
			rec->entry = rd_entry(r);
			if (!rec->entry)
				return false;
		}
	}
	return !r->bad;
}

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
void cache_load(struct source_set *set, struct source *src)
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
bool sfile_stat(struct sfile *f)
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
bool cache_take(struct sfile *f)
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
		if (rec_lists_file(rec)) {
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
