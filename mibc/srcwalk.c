/* Listing sources: directories (walked, or checked against the listing
 * their scan cache kept), `.index` files and zip archives. */
#include "sources-impl.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Deeper directory trees are almost surely a loop we failed to see. */
#define SOURCE_DEPTH_MAX 64

/* A file of src, its names copied into the source's memory. */
struct sfile *new_sfile(struct source *src, const char *path,
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

void add_sfile(struct source *src, struct sfile *f)
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

char *join(const char *dir, const char *name)
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
	/* kept open for its files' stats, while there is room: the slot is
	 * taken now, before the subdirectories take theirs */
	bool keep_fd = false;
	size_t slot = SIZE_MAX;
	if (src->n_dir_fds < DIR_FDS_MAX) {
		slot = src->n_dir_fds++;
		src->dir_fds[slot] = dir_fd;
	}
	int file_fd = slot != SIZE_MAX ? dir_fd : -1;
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
	if (!keep_fd) {
		if (slot != SIZE_MAX)
			src->dir_fds[slot] = -1;
		close(dir_fd);
	}
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
			if (!rec_lists_file(rec))
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

void list_directory(struct source_set *set, struct source *src,
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

int list_zip(struct source *src, const char *path, time_t mtime,
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
