/* The insides of the source set (sources.h), shared by the files that make
 * it: sources.c (the set, reading files, lookups, staging), srcmap.c (its
 * containers), srcwalk.c (listing directories, .index files and zip
 * archives) and scancache.c (the scan cache). */
#ifndef MIBC_SOURCES_IMPL_H
#define MIBC_SOURCES_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "sources.h"
#include "zipload.h"

/* Bigger files are no MIBs (mibdump stops at 10 MB); the cap keeps a
 * stray disk image or zip bomb in a source from eating memory. */
#define SOURCE_FILE_MAX (64 * 1024 * 1024)
/* Files changed this recently may change again within one timestamp
 * tick without their key changing: they are not cached (as git's "racily
 * clean" entries).  Generous, for coarse file system clocks. */
#define CACHE_RACY_SECONDS 2

/* ---- containers (srcmap.c) ---------------------------------------------- */

/* A growable array of pointers. */
struct vec {
	void **v;
	size_t n, cap;
};

void vec_push(struct vec *vec, void *p);
void vec_free(struct vec *vec);

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

void *map_get(const struct map *map, const char *key);
void map_put(struct map *map, const char *key, void *value);
/* Room for n keys without growing (a growth rehashes all of them). */
void map_reserve(struct map *map, size_t n);
void map_free(struct map *map);

/* The files stored under one key (file name, module name), in the order
 * added: a list in the source's arena (mostly of one). */
struct sfile;
struct flist {
	struct sfile *file;
	struct flist *next;
};

/* Append f to the list stored under key, creating it. */
void map_push(struct map *map, struct arena *mem, const char *key,
	      struct sfile *f);

/* A set of pointers (the answers handed out), open addressing
 * (sources.c). */
struct ptrset {
	const void **slots;
	size_t n, cap;
};

/* ---- the set ------------------------------------------------------------- */

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

/* Does the record list a file (which may have a cached scan)? */
static inline bool rec_lists_file(const struct list_rec *rec)
{
	return rec->kind == REC_REG || rec->kind == REC_STATED;
}

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
	 * DIR_FDS_MAX; further ones are stat'ed by path; -1: a slot given
	 * back) */
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

/* ---- across the files ------------------------------------------------------ */

/* sources.c: reading files */
char *read_disk_file(const char *path, size_t *len, char **error,
		     const char **sniffed, struct stat *st);
bool write_all(int fd, const char *p, size_t n);

/* scancache.c */
void key_of(const struct stat *st, struct file_key *k);
bool key_equal(const struct file_key *a, const struct file_key *b);
bool cache_racy(const struct source_set *set, const struct file_key *k,
		time_t now);
const char *rec_name(const struct list_rec *rec);
void cache_load(struct source_set *set, struct source *src);
bool cache_take(struct sfile *f);
bool sfile_stat(struct sfile *f);

/* srcwalk.c */
struct sfile *new_sfile(struct source *src, const char *path,
			const char *rel, const char *disk_path, time_t mtime);
void add_sfile(struct source *src, struct sfile *f);
char *join(const char *dir, const char *name);
void list_directory(struct source_set *set, struct source *src,
		    const struct stat *root_st);
int list_zip(struct source *src, const char *path, time_t mtime,
	     char **error);

#endif
