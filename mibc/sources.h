/* MIB source repositories (--mib-source): directories (searched
 * recursively, in sorted order), single files and zip archives, searched in
 * the order given.  Finds the file that holds a module, mirroring mibdump's
 * file-name guessing, plus `.index` files and an index of the module names
 * the files really declare (a file rfc2863.txt holding IF-MIB is found).
 *
 * Precedence when several files declare one module (documented in the
 * README and reported as a warning naming both files):
 *   1. the earlier source (in --mib-source order, then the system paths);
 *   2. within a source: an `.index` entry, then a file whose name is the
 *      module name exactly, then a file-name guess (fuzzy), then any file
 *      declaring the module (fuzzy only);
 *   3. then the newer LAST-UPDATED; 4. then the path in byte order.
 * With fuzzy guessing off, only `.index` entries and exact file names
 * count.
 *
 * "Exactly" means NAME or NAME with one of mibdump's suffixes (.txt .mib
 * .my .TXT .MIB .MY); the guesses are mibdump's other variants (UPPER,
 * lower, without -MIB, with -MIB).  A single file given as a source ranks
 * as an `.index` entry.  A file counts only when it really declares the
 * module.  Hidden files and directories in a source are skipped (except
 * the `.index` file and what it names); in a zip, members are known by
 * their file name (any folder), as in mibdump. */
#ifndef MIBC_SOURCES_H
#define MIBC_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "scan.h"

struct source_set;

/* One module as found in the sources. */
struct source_module {
	const char *name;
	const char *path;     /* as shown to the user: "dir/FILE" or
				 "archive.zip:member" */
	int first_line;       /* where the module starts in that file */
	const char *const *imports;
	size_t n_imports;
	const char *const *references;  /* see scan_module.references */
	size_t n_references;
	const char *last_updated;
	time_t mtime;         /* the file's (or archive's) modification time */
	bool complete;
	/* scan_may_redefine of the module's text as scanned: false when
	 * libsmi's quadratic redefinition check cannot report anything */
	bool may_redefine;
	/* Another file that declares the same module and lost by the
	 * precedence rule and differs in content, or NULL. */
	const char *shadowed_path;
};

struct source_set *sources_new(bool fuzzy);
void sources_free(struct source_set *set);

/* Keep what scanning directory sources found in a cache under dir (made
 * when needed; NULL or "": no cache), one file per source directory, so
 * that the next run reads only the files that changed, and lists no
 * directory that did not change.  Call before
 * sources_add.  Results are the same with or without it. */
void sources_set_cache_directory(struct source_set *set, const char *dir);

/* Write the caches of the sources whose scans changed (best effort:
 * failures are silent). */
void sources_save_cache(struct source_set *set);

/* How many files' scans came from the cache so far. */
size_t sources_cache_hits(const struct source_set *set);

/* How many directory sources were listed from the cache (their
 * directories checked, not read). */
size_t sources_listings_from_cache(const struct source_set *set);

/* Files changed less than this many seconds before they were read are not
 * cached (default 2: a change within one timestamp tick could leave the
 * file's key as it was); 0 turns the check off.  For tests. */
void sources_set_cache_racy_seconds(struct source_set *set, int seconds);

/* Add a repository: a directory, a file, or a .zip archive.  Returns 0, or
 * -1 with a message in *error (caller frees) when it does not exist or
 * cannot be read. */
int sources_add(struct source_set *set, const char *spec, char **error);

/* The repositories in order, as given (for the summary). */
size_t sources_count(const struct source_set *set);
const char *sources_name(const struct source_set *set, size_t i);

/* Find a module by name; NULL when no source has it.  The result lives as
 * long as the set. */
const struct source_module *sources_find(struct source_set *set,
					 const char *module);

/* Scan a file given on the command line (it need not be in a source):
 * returns the modules it declares (possibly several), or 0 with *what set
 * when it is not a MIB ("a PDF document"...), or -1 with *error when it
 * cannot be read.  The modules are registered with top precedence. */
int sources_add_file_argument(struct source_set *set, const char *path,
			      const struct source_module ***modules,
			      size_t *n_modules, const char **what,
			      char **error);

/* Write the module's text to dir/NAME for libsmi to find by name: a
 * symlink to the file when the file holds only this module and is on disk,
 * otherwise a copy of the module's lines with the lines before it left
 * blank, so libsmi's line numbers are the original file's. */
int sources_stage(struct source_set *set, const struct source_module *m,
		  const char *dir, char **error);

/* Every file read so far (for --depfile), in the order first read: the
 * files named after the modules looked up and, with fuzzy guessing on,
 * every file of the sources up to the one a module was found in (which
 * file wins depends on all of them).  Zip members show as the zip's
 * path. */
size_t sources_files_read(const struct source_set *set,
			  const char *const **paths);

#endif
