/* MIB source repositories: file-name guessing, .index, the content index,
 * precedence and shadowing, zip archives, staging for libsmi. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "hash.h"
#include "scan.h"
#include "sources.h"
#include "testlib.h"

static char *tmp;

static void setup(void)
{
	tmp = test_mkdtemp();
}

static void teardown(void)
{
	test_rmtree(tmp);
	free(tmp);
	tmp = NULL;
}

/* tmp/rel, parent directories made as needed (malloc'd). */
static char *tpath(const char *rel)
{
	char *p;
	ck_assert_int_ge(asprintf(&p, "%s/%s", tmp, rel), 0);
	for (char *s = p + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	return p;
}

static void put(const char *rel, const char *text)
{
	char *p = tpath(rel);
	test_write_file(p, text, strlen(text));
	free(p);
}

/* A small module; `body` goes between the header and END. */
static char *mib(const char *name, const char *last_updated, const char *body)
{
	char *t;
	char lu[64] = "";
	if (last_updated)
		snprintf(lu, sizeof(lu), "x MODULE-IDENTITY LAST-UPDATED \"%s\"\n",
			 last_updated);
	ck_assert_int_ge(asprintf(&t,
				  "%s DEFINITIONS ::= BEGIN\n"
				  "IMPORTS a FROM SNMPv2-SMI;\n"
				  "%s%s\nEND\n",
				  name, lu, body ? body : ""), 0);
	return t;
}

static void put_mib(const char *rel, const char *name, const char *lu,
		    const char *body)
{
	char *t = mib(name, lu, body);
	put(rel, t);
	free(t);
}

static struct source_set *set_with(bool fuzzy, const char *rel_dir)
{
	struct source_set *set = sources_new(fuzzy);
	char *dir = tpath(rel_dir);
	mkdir(dir, 0755);
	char *error = NULL;
	ck_assert_msg(sources_add(set, dir, &error) == 0, "%s", error);
	free(dir);
	return set;
}

/* The path relative to tmp of what `name` resolves to, or NULL. */
static const char *found_rel(struct source_set *set, const char *name)
{
	const struct source_module *m = sources_find(set, name);
	if (!m)
		return NULL;
	ck_assert_str_eq(m->name, name);
	size_t n = strlen(tmp);
	ck_assert_msg(strncmp(m->path, tmp, n) == 0, "%s", m->path);
	return m->path + n + 1;
}

static const char *shadow_rel(struct source_set *set, const char *name)
{
	const struct source_module *m = sources_find(set, name);
	ck_assert_ptr_nonnull(m);
	if (!m->shadowed_path)
		return NULL;
	return m->shadowed_path + strlen(tmp) + 1;
}

#define assert_found(set, name, rel)                                        \
	do {                                                                \
		const char *got_ = found_rel(set, name);                    \
		ck_assert_msg(got_ && strcmp(got_, rel) == 0,               \
			      "%s: want %s, got %s", name, rel,             \
			      got_ ? got_ : "(none)");                      \
	} while (0)

START_TEST(guessing)
{
	put_mib("d/if-mib", "IF-MIB", NULL, NULL);
	put_mib("d/FOO-MIB.txt", "FOO-MIB", NULL, NULL);
	put_mib("d/bar-mib.my", "BAR-MIB", NULL, NULL);
	put_mib("d/baz", "BAZ-MIB", NULL, NULL);
	put_mib("d/QUX-MIB", "QUX", NULL, NULL);
	put_mib("d/sub/deep/Upper.MIB", "Upper", NULL, NULL);
	put_mib("d/NOPE-MIB", "SOMETHING-ELSE", NULL, NULL);
	struct source_set *set = set_with(true, "d");
	assert_found(set, "IF-MIB", "d/if-mib");
	assert_found(set, "FOO-MIB", "d/FOO-MIB.txt");
	assert_found(set, "BAR-MIB", "d/bar-mib.my");
	assert_found(set, "BAZ-MIB", "d/baz");
	assert_found(set, "QUX", "d/QUX-MIB");
	assert_found(set, "Upper", "d/sub/deep/Upper.MIB");
	/* a guessed name that declares something else is not it */
	ck_assert_ptr_null(sources_find(set, "NOPE-MIB"));
	ck_assert_ptr_null(sources_find(set, "NOPE-MIB")); /* remembered */
	assert_found(set, "SOMETHING-ELSE", "d/NOPE-MIB");
	/* names that are no module names are never looked up */
	ck_assert_ptr_null(sources_find(set, "../d/if-mib"));
	ck_assert_ptr_null(sources_find(set, ""));
	const struct source_module *m = sources_find(set, "IF-MIB");
	ck_assert_int_eq(m->first_line, 1);
	ck_assert_uint_eq(m->n_imports, 1);
	ck_assert_str_eq(m->imports[0], "SNMPv2-SMI");
	ck_assert_uint_eq(m->n_references, 0);
	ck_assert(m->complete);
	ck_assert_ptr_null(m->shadowed_path);
	ck_assert_ptr_eq(m, sources_find(set, "IF-MIB"));
	sources_free(set);
}
END_TEST

/* A file whose name says nothing is found by what it declares. */
START_TEST(content_index)
{
	put("d/rfc2863.txt", "-- RFC text\n\nSome prose.\n\n"
			     "IF-MIB DEFINITIONS ::= BEGIN\nEND\n"
			     "MORE-MIB DEFINITIONS ::= BEGIN\nEND\n");
	put("d/README.md", "# Read me\nIF-MIB is in rfc2863.txt\n");
	put("d/doc.pdf", "%PDF-1.4 IF-MIB DEFINITIONS ::= BEGIN END");
	put("d/.hidden/IF-MIB", "IF-MIB DEFINITIONS ::= BEGIN hidden END\n");
	struct source_set *set = set_with(true, "d");
	assert_found(set, "IF-MIB", "d/rfc2863.txt");
	ck_assert_int_eq(sources_find(set, "IF-MIB")->first_line, 5);
	ck_assert_ptr_null(shadow_rel(set, "IF-MIB"));
	assert_found(set, "MORE-MIB", "d/rfc2863.txt");
	ck_assert_ptr_null(sources_find(set, "MISSING-MIB"));
	sources_free(set);

	/* without fuzzy guessing only exact names and .index count */
	set = set_with(false, "d");
	ck_assert_ptr_null(sources_find(set, "IF-MIB"));
	sources_free(set);
}
END_TEST

START_TEST(no_fuzzy)
{
	put_mib("d/if-mib", "IF-MIB", NULL, NULL);
	put_mib("d/baz", "BAZ-MIB", NULL, NULL);
	put_mib("d/EXACT-MIB", "EXACT-MIB", NULL, NULL);
	put_mib("d/sub/VENDOR-MIB.mib", "VENDOR-MIB", NULL, NULL);
	put_mib("d/x/named.txt", "INDEXED-MIB", NULL, NULL);
	put_mib("d/WRONG-MIB", "NOT-WRONG-MIB", NULL, NULL);
	put("d/.index", "INDEXED-MIB x/named.txt\n");
	struct source_set *set = set_with(false, "d");
	ck_assert_ptr_null(sources_find(set, "IF-MIB"));
	ck_assert_ptr_null(sources_find(set, "BAZ-MIB"));
	ck_assert_ptr_null(sources_find(set, "WRONG-MIB"));
	ck_assert_ptr_null(sources_find(set, "NOT-WRONG-MIB"));
	assert_found(set, "EXACT-MIB", "d/EXACT-MIB");
	assert_found(set, "VENDOR-MIB", "d/sub/VENDOR-MIB.mib");
	assert_found(set, "INDEXED-MIB", "d/x/named.txt");
	/* only the files named after a looked-up module were read */
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	ck_assert_uint_eq(n, 4);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(paths[i], "if-mib") &&
			      !strstr(paths[i], "/baz"), "%s", paths[i]);
	sources_free(set);
}
END_TEST

START_TEST(index_file)
{
	/* the exact name is newer, but .index wins within the source */
	put_mib("d/IDX-MIB", "IDX-MIB", "202001010000Z", NULL);
	put_mib("d/sub/real.txt", "IDX-MIB", "199901010000Z", NULL);
	/* a later line overrides an earlier one; junk lines are ignored */
	put("d/.index", "IDX-MIB other.txt\n"
			"\n"
			"lonely\n"
			"../../etc DEFINITELY\n"
			"IDX-MIB sub/real.txt\n"
			"GONE-MIB missing.txt\n"
			"HID-MIB .hid/h.txt\n");
	put_mib("d/.hid/h.txt", "HID-MIB", NULL, NULL);
	struct source_set *set = set_with(true, "d");
	assert_found(set, "IDX-MIB", "d/sub/real.txt");
	ck_assert_str_eq(shadow_rel(set, "IDX-MIB"), "d/IDX-MIB");
	ck_assert_ptr_null(sources_find(set, "GONE-MIB"));
	assert_found(set, "HID-MIB", "d/.hid/h.txt");
	sources_free(set);
}
END_TEST

/* Directories are walked in byte order; hidden ones skipped; a symlink
 * loop ends. */
START_TEST(sorted_walk)
{
	put_mib("d/b/DUP-MIB", "DUP-MIB", "200001010000Z", "-- b\n");
	put_mib("d/a/DUP-MIB", "DUP-MIB", "200001010000Z", "-- a\n");
	put_mib("d/B", "B-MIB", NULL, NULL);
	put_mib("d/A", "A-MIB", NULL, NULL);
	put_mib("d/Z/z", "Z-MIB", NULL, NULL);
	char *d = tpath("d/a/loop");
	char *target = tpath("d");
	ck_assert_int_eq(symlink(target, d), 0);
	free(d);
	free(target);
	struct source_set *set = set_with(true, "d");
	/* a module found nowhere reads the whole tree, in byte order */
	ck_assert_ptr_null(sources_find(set, "NONE-MIB"));
	/* same tier and date: the path decides */
	assert_found(set, "DUP-MIB", "d/a/DUP-MIB");
	ck_assert_str_eq(shadow_rel(set, "DUP-MIB"), "d/b/DUP-MIB");
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	const char *want[] = { "d/A", "d/B", "d/Z/z", "d/a/DUP-MIB",
			       "d/b/DUP-MIB" };
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(paths[i] + strlen(tmp) + 1, want[i]);
	sources_free(set);
}
END_TEST

START_TEST(precedence_between_sources)
{
	put_mib("one/P-MIB", "P-MIB", "199001010000Z", NULL);
	put_mib("two/P-MIB", "P-MIB", "202001010000Z", NULL);
	put_mib("two/Q-MIB", "Q-MIB", NULL, NULL);
	put_mib("one/misnamed.txt", "R-MIB", NULL, NULL);
	put_mib("two/R-MIB", "R-MIB", NULL, "-- differs\n");
	put_mib("one/S-MIB", "S-MIB", NULL, NULL);
	put_mib("two/S-MIB", "S-MIB", NULL, NULL); /* same text */
	struct source_set *set = set_with(true, "one");
	char *two = tpath("two");
	char *error = NULL;
	ck_assert_int_eq(sources_add(set, two, &error), 0);
	ck_assert_uint_eq(sources_count(set), 2);
	ck_assert_str_eq(sources_name(set, 1), two);
	free(two);
	/* the earlier source wins even with the older revision */
	assert_found(set, "P-MIB", "one/P-MIB");
	ck_assert_str_eq(shadow_rel(set, "P-MIB"), "two/P-MIB");
	assert_found(set, "Q-MIB", "two/Q-MIB");
	/* ... and even when only its content index has the module */
	assert_found(set, "R-MIB", "one/misnamed.txt");
	ck_assert_str_eq(shadow_rel(set, "R-MIB"), "two/R-MIB");
	assert_found(set, "S-MIB", "one/S-MIB");
	ck_assert_ptr_null(shadow_rel(set, "S-MIB"));
	sources_free(set);
}
END_TEST

/* A source after the one a module is found in is read only for files
 * named after the module. */
START_TEST(lazy_sources)
{
	put_mib("one/X-MIB", "X-MIB", NULL, NULL);
	put_mib("one/other.txt", "OTHER-MIB", NULL, NULL);
	put_mib("two/x-mib", "X-MIB", NULL, "-- older copy\n");
	put_mib("two/misnamed", "X-MIB", NULL, "-- another\n");
	put_mib("two/Y-MIB", "Y-MIB", NULL, NULL);
	struct source_set *set = set_with(true, "one");
	char *two = tpath("two");
	char *error = NULL;
	ck_assert_int_eq(sources_add(set, two, &error), 0);
	free(two);
	assert_found(set, "X-MIB", "one/X-MIB");
	/* the guess in two counts for the warning, the misnamed file is
	 * not read */
	ck_assert_str_eq(shadow_rel(set, "X-MIB"), "two/x-mib");
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(paths[0] + strlen(tmp) + 1, "one/X-MIB");
	ck_assert_str_eq(paths[1] + strlen(tmp) + 1, "two/x-mib");
	ck_assert_str_eq(paths[2] + strlen(tmp) + 1, "one/other.txt");
	/* a lookup that must go further reads the rest */
	assert_found(set, "Y-MIB", "two/Y-MIB");
	ck_assert_uint_eq(sources_files_read(set, &paths), 5);
	/* and the first answer stays what it was */
	ck_assert_str_eq(shadow_rel(set, "X-MIB"), "two/x-mib");
	sources_free(set);
}
END_TEST

START_TEST(precedence_within_source)
{
	/* same tier (exact name): the newer LAST-UPDATED wins; two-digit
	 * years are 19xx */
	put_mib("d/x/NEW-MIB", "NEW-MIB", "9901010000Z", NULL);
	put_mib("d/y/NEW-MIB", "NEW-MIB", "200101010000Z", NULL);
	put_mib("d/z/NEW-MIB", "NEW-MIB", NULL, NULL);
	/* an exact name beats a guess beats a content match, whatever the
	 * dates */
	put_mib("d/TIER-MIB", "TIER-MIB", "199001010000Z", NULL);
	put_mib("d/tier-mib.txt", "TIER-MIB", "203001010000Z", NULL);
	put_mib("d/other", "TIER-MIB", "204001010000Z", NULL);
	put_mib("d/g/guess-mib", "GUESS-MIB", "199001010000Z", NULL);
	put_mib("d/g/content", "GUESS-MIB", "203001010000Z", NULL);
	struct source_set *set = set_with(true, "d");
	assert_found(set, "NEW-MIB", "d/y/NEW-MIB");
	ck_assert_str_eq(shadow_rel(set, "NEW-MIB"), "d/x/NEW-MIB");
	assert_found(set, "TIER-MIB", "d/TIER-MIB");
	ck_assert_str_eq(shadow_rel(set, "TIER-MIB"), "d/tier-mib.txt");
	assert_found(set, "GUESS-MIB", "d/g/guess-mib");
	ck_assert_str_eq(shadow_rel(set, "GUESS-MIB"), "d/g/content");
	sources_free(set);
}
END_TEST

static void add_member(zip_t *z, const char *name, const char *text)
{
	zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_ge(zip_file_add(z, name, s, ZIP_FL_OVERWRITE), 0);
}

static char *make_zip(const char *rel)
{
	char *path = tpath(rel);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	ck_assert_ptr_nonnull(z);
	char *a = mib("ZIP-MIB", NULL, NULL);
	char *b = mib("ZIP-TWO-MIB", NULL, NULL);
	char *ab;
	ck_assert_int_ge(asprintf(&ab, "-- header\n\n%s\n%s", a, b), 0);
	add_member(z, "mibs/ZIP-MIB.txt", a);
	add_member(z, "mibs/both.my", ab);
	add_member(z, "README", "not a MIB\n");
	add_member(z, "__MACOSX/mibs/._ZIP-MIB.txt", "\0\5\26\7junk");
	ck_assert_int_eq(zip_close(z), 0); /* copies the buffers */
	free(a);
	free(b);
	free(ab);
	return path;
}

START_TEST(zip_source)
{
	char *zpath = make_zip("archive.zip");
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	ck_assert_int_eq(utimensat(AT_FDCWD, zpath, times, 0), 0);
	struct source_set *set = sources_new(true);
	char *error = NULL;
	ck_assert_int_eq(sources_add(set, zpath, &error), 0);
	const struct source_module *m = sources_find(set, "ZIP-MIB");
	ck_assert_ptr_nonnull(m);
	char *want;
	ck_assert_int_ge(asprintf(&want, "%s:mibs/ZIP-MIB.txt", zpath), 0);
	ck_assert_str_eq(m->path, want);
	free(want);
	ck_assert_int_eq(m->mtime, 1000000000);
	/* found by content in a member with another name */
	m = sources_find(set, "ZIP-TWO-MIB");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->first_line, 8);
	/* staged as a copy with the line numbers kept */
	char *stage = tpath("stage");
	mkdir(stage, 0755);
	ck_assert_int_eq(sources_stage(set, m, stage, &error), 0);
	char *staged = tpath("stage/ZIP-TWO-MIB");
	struct stat st;
	ck_assert_int_eq(lstat(staged, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	size_t len;
	char *text = test_read_file(staged, &len);
	struct scan_result r;
	scan_buffer(text, len, &r);
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert_str_eq(r.modules[0].name, "ZIP-TWO-MIB");
	ck_assert_int_eq(r.modules[0].first_line, 8);
	ck_assert(r.modules[0].complete);
	scan_result_free(&r);
	free(text);
	/* the zip itself is what was read */
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(paths[0], zpath);
	sources_free(set);

	/* without fuzzy only the exact member name counts */
	set = sources_new(false);
	ck_assert_int_eq(sources_add(set, zpath, &error), 0);
	ck_assert_ptr_nonnull(sources_find(set, "ZIP-MIB"));
	ck_assert_ptr_null(sources_find(set, "ZIP-TWO-MIB"));
	sources_free(set);
	free(staged);
	free(stage);
	free(zpath);
}
END_TEST

START_TEST(bad_sources)
{
	struct source_set *set = sources_new(true);
	char *error = NULL;
	char *missing = tpath("no-such-dir");
	ck_assert_int_eq(sources_add(set, missing, &error), -1);
	ck_assert_ptr_nonnull(error);
	ck_assert_ptr_nonnull(strstr(error, "no-such-dir"));
	free(error);
	error = NULL;
	/* not really a zip */
	put("fake.zip", "PK\3\4 truncated");
	char *fake = tpath("fake.zip");
	ck_assert_int_eq(sources_add(set, fake, &error), -1);
	ck_assert_ptr_nonnull(error);
	free(error);
	ck_assert_uint_eq(sources_count(set), 0);
	/* a single MIB file as a source, in a file:// URL */
	put("single.txt", "A-MIB DEFINITIONS ::= BEGIN END\n"
			  "B-MIB DEFINITIONS ::= BEGIN END\n");
	char *single = tpath("single.txt");
	char *url;
	ck_assert_int_ge(asprintf(&url, "file://%s", single), 0);
	ck_assert_int_eq(sources_add(set, url, &error), 0);
	ck_assert_str_eq(sources_name(set, 0), url);
	assert_found(set, "B-MIB", "single.txt");
	sources_free(set);
	free(url);
	free(single);
	free(fake);
	free(missing);
}
END_TEST

START_TEST(file_arguments)
{
	put_mib("d/ARG-MIB", "ARG-MIB", NULL, "-- in the source\n");
	put("args/two.txt", "ARG-MIB DEFINITIONS ::= BEGIN\nEND\n"
			    "\n"
			    "SECOND-MIB DEFINITIONS ::= BEGIN\nEND\n");
	put("args/paper.pdf", "%PDF-1.7\n");
	struct source_set *set = set_with(true, "d");
	ck_assert_ptr_null(shadow_rel(set, "ARG-MIB")); /* looked up first */
	char *two = tpath("args/two.txt");
	const struct source_module **mods;
	size_t n;
	const char *what;
	char *error;
	ck_assert_int_eq(sources_add_file_argument(set, two, &mods, &n, &what,
						   &error), 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_null(what);
	ck_assert_str_eq(mods[0]->name, "ARG-MIB");
	ck_assert_str_eq(mods[1]->name, "SECOND-MIB");
	ck_assert_int_eq(mods[1]->first_line, 4);
	ck_assert_str_eq(mods[0]->path, two);
	/* top precedence, the remembered answer forgotten */
	assert_found(set, "ARG-MIB", "args/two.txt");
	ck_assert_str_eq(shadow_rel(set, "ARG-MIB"), "d/ARG-MIB");
	assert_found(set, "SECOND-MIB", "args/two.txt");

	char *pdf = tpath("args/paper.pdf");
	ck_assert_int_eq(sources_add_file_argument(set, pdf, &mods, &n, &what,
						   &error), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(what, "a PDF document");
	char *missing = tpath("args/missing");
	ck_assert_int_eq(sources_add_file_argument(set, missing, &mods, &n,
						   &what, &error), -1);
	ck_assert_ptr_nonnull(error);
	free(error);
	char *dir = tpath("args");
	ck_assert_int_eq(sources_add_file_argument(set, dir, &mods, &n,
						   &what, &error), -1);
	free(error);
	sources_free(set);
	free(dir);
	free(missing);
	free(pdf);
	free(two);
}
END_TEST

/* Lines of a file, 1-based; line 0 unused.  Returns the count. */
static size_t split_lines(char *text, char ***lines)
{
	size_t n = 1, cap = 64;
	*lines = malloc(cap * sizeof(**lines));
	(*lines)[0] = NULL;
	for (char *p = text; *p;) {
		if (n == cap)
			*lines = realloc(*lines, (cap *= 2) * sizeof(**lines));
		(*lines)[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n - 1;
}

START_TEST(staging)
{
	put_mib("d/ONLY-MIB", "ONLY-MIB", NULL, NULL);
	put("d/pair.txt", "-- two modules\n"
			  "FIRST-MIB DEFINITIONS ::= BEGIN\n"
			  "IMPORTS a FROM SNMPv2-SMI;\n"
			  "END\n"
			  "\n"
			  "-- comment\n"
			  "SECOND-MIB\n"
			  "DEFINITIONS ::= BEGIN\n"
			  "x OBJECT IDENTIFIER ::= { a 1 }\n"
			  "END\n"
			  "trailing junk\n");
	put("d/rfc9999.txt", "Network Working Group\n\n"
			     "PROSE-MIB DEFINITIONS ::= BEGIN\nEND\n"
			     "\nSecurity Considerations\n");
	put("d/COMMENTED-MIB", "-- Copyright\n\n"
			       "COMMENTED-MIB DEFINITIONS ::= BEGIN\nEND\n"
			       "-- end of file\n\n");
	struct source_set *set = set_with(true, "d");
	char *stage = tpath("stage");
	mkdir(stage, 0755);
	char *error = NULL;

	/* comments around the module do not matter to libsmi: a link */
	const struct source_module *c = sources_find(set, "COMMENTED-MIB");
	ck_assert_int_eq(sources_stage(set, c, stage, &error), 0);
	char *clink = tpath("stage/COMMENTED-MIB");
	struct stat cst;
	ck_assert_int_eq(lstat(clink, &cst), 0);
	ck_assert(S_ISLNK(cst.st_mode));
	free(clink);
	/* prose around it does: a copy of the module alone */
	c = sources_find(set, "PROSE-MIB");
	ck_assert_int_eq(sources_stage(set, c, stage, &error), 0);
	char *prose = tpath("stage/PROSE-MIB");
	char *prose_text = test_read_file(prose, NULL);
	ck_assert_str_eq(prose_text, "\n\nPROSE-MIB DEFINITIONS ::= BEGIN\n"
				     "END\n");
	free(prose_text);
	free(prose);

	/* a file with just the module: a symlink to it */
	const struct source_module *m = sources_find(set, "ONLY-MIB");
	ck_assert_int_eq(sources_stage(set, m, stage, &error), 0);
	char *link = tpath("stage/ONLY-MIB");
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	char target[PATH_MAX];
	ssize_t tl = readlink(link, target, sizeof(target) - 1);
	ck_assert_int_gt(tl, 0);
	target[tl] = '\0';
	char *real = realpath(m->path, NULL);
	ck_assert_str_eq(target, real);
	free(real);
	/* staging again replaces it */
	ck_assert_int_eq(sources_stage(set, m, stage, &error), 0);

	/* the second of two modules: a copy, blank above, same lines */
	m = sources_find(set, "SECOND-MIB");
	ck_assert_int_eq(m->first_line, 7);
	ck_assert_int_eq(sources_stage(set, m, stage, &error), 0);
	char *copy = tpath("stage/SECOND-MIB");
	ck_assert_int_eq(lstat(copy, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	char *orig_text = test_read_file(m->path, NULL);
	char *copy_text = test_read_file(copy, NULL);
	char **orig, **staged;
	size_t n_orig = split_lines(orig_text, &orig);
	size_t n_staged = split_lines(copy_text, &staged);
	ck_assert_uint_eq(n_staged, 10);
	ck_assert_uint_eq(n_orig, 11);
	for (size_t i = 1; i < 7; i++)
		ck_assert_str_eq(staged[i], "");
	for (size_t i = 7; i <= 10; i++)
		ck_assert_str_eq(staged[i], orig[i]);
	free(orig);
	free(staged);
	free(orig_text);
	free(copy_text);

	m = sources_find(set, "FIRST-MIB");
	ck_assert_int_eq(sources_stage(set, m, stage, &error), 0);
	char *first = tpath("stage/FIRST-MIB");
	copy_text = test_read_file(first, NULL);
	ck_assert_str_eq(copy_text, "\nFIRST-MIB DEFINITIONS ::= BEGIN\n"
				    "IMPORTS a FROM SNMPv2-SMI;\nEND\n");
	free(copy_text);

	/* a source_module not from this set is refused */
	struct source_module fake = *m;
	ck_assert_int_eq(sources_stage(set, &fake, stage, &error), -1);
	free(error);
	sources_free(set);
	free(first);
	free(copy);
	free(link);
	free(stage);
}
END_TEST

/* A big non-MIB in a source is judged by its first bytes, not read
 * whole; a MIB is read whole however its start looks. */
START_TEST(sniffing)
{
	size_t big = 8 * 1024 * 1024;
	char *data = malloc(big);
	memset(data, 'x', big);
	memcpy(data, "%PDF-1.5\n", 9);
	memcpy(data + big - 40, "\nHIDDEN-MIB DEFINITIONS ::= BEGIN END\n", 38);
	char *p = tpath("d/manual.pdf");
	test_write_file(p, data, big);
	free(p);
	/* a MIB opening with a long comment in GBK: high bytes only */
	char *gbk = malloc(big);
	memset(gbk, '\xd6', big);
	memcpy(gbk, "--", 2);
	gbk[big / 2] = '\n';
	memcpy(gbk + big - 40, "\nGBK-MIB DEFINITIONS ::= BEGIN END\n\n\n\n", 38);
	p = tpath("d/gbk.txt");
	test_write_file(p, gbk, big);
	free(p);
	free(gbk);
	/* an ELF-like binary with a declaration past the first KiB */
	memset(data, 0, big);
	memcpy(data + big - 40, "\nELF-MIB DEFINITIONS ::= BEGIN END\n", 35);
	p = tpath("d/prog");
	test_write_file(p, data, big);
	free(p);
	free(data);

	struct source_set *set = set_with(true, "d");
	ck_assert_ptr_null(sources_find(set, "HIDDEN-MIB"));
	ck_assert_ptr_null(sources_find(set, "ELF-MIB"));
	assert_found(set, "GBK-MIB", "d/gbk.txt");
	sources_free(set);
}
END_TEST

/* A file declaring very many modules stays cheap to search. */
START_TEST(many_modules)
{
	size_t count = 100000;
	char *text = malloc(count * 64);
	size_t len = 0;
	for (size_t i = 0; i < count; i++)
		len += (size_t)sprintf(text + len, "M%zu DEFINITIONS ::= BEGIN "
				       "IMPORTS a FROM M%zu; END\n", i,
				       (i + 1) % count);
	char *p = tpath("d/many.txt");
	test_write_file(p, text, len);
	free(p);
	free(text);
	struct source_set *set = set_with(true, "d");
	char *stage = tpath("stage");
	mkdir(stage, 0755);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < count; i += 1000) {
		char name[32];
		snprintf(name, sizeof(name), "M%zu", i);
		const struct source_module *m = sources_find(set, name);
		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(m->first_line, (int)i + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double spent = (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* linear takes well under a second (seconds under sanitizers on a
	 * loaded machine); a lookup linear in the modules of the file would
	 * make this quadratic: minutes */
	ck_assert_msg(spent < 60.0, "%.2f s", spent);
	char *error = NULL;
	ck_assert_int_eq(sources_stage(set, sources_find(set, "M99000"), stage,
				       &error), 0);
	char *staged = tpath("stage/M99000");
	char *copy = test_read_file(staged, NULL);
	ck_assert_ptr_nonnull(copy);
	struct scan_result r;
	scan_buffer(copy, strlen(copy), &r);
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert_int_eq(r.modules[0].first_line, 99001);
	scan_result_free(&r);
	free(copy);
	free(staged);
	free(stage);
	sources_free(set);
}
END_TEST

/* Things a source directory may hold that are no MIBs: skipped quietly,
 * without hanging on a FIFO or looping on links. */
START_TEST(hostile_tree)
{
	put_mib("d/GOOD-MIB", "GOOD-MIB", NULL, NULL);
	char *fifo = tpath("d/FIFO-MIB");
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	char *dangling = tpath("d/DANGLING-MIB");
	ck_assert_int_eq(symlink("/nonexistent/x", dangling), 0);
	char *self = tpath("d/sub/SELF-MIB");
	ck_assert_int_eq(symlink(self, self), 0);
	char *up = tpath("d/sub/up");
	ck_assert_int_eq(symlink("..", up), 0);
	char *index = tpath("d/.index");
	ck_assert_int_eq(mkfifo(index, 0644), 0);
	free(index);
	put("d/EMPTY-MIB", "");
	{
		static const char bin[] = "\x7f" "ELF\2\1\1\0\0\0"
					  "BIN-MIB DEFINITIONS ::= BEGIN";
		char *p = tpath("d/BIN-MIB");
		test_write_file(p, bin, sizeof(bin) - 1);
		free(p);
	}
	put("d/EVIL", "../../evil DEFINITIONS ::= BEGIN END\n"
		      "evil/x DEFINITIONS ::= BEGIN END\n");
	put("d/name\nwith newline", "NL-MIB DEFINITIONS ::= BEGIN END\n");
	struct source_set *set = set_with(true, "d");
	assert_found(set, "GOOD-MIB", "d/GOOD-MIB");
	ck_assert_ptr_null(sources_find(set, "FIFO-MIB"));
	ck_assert_ptr_null(sources_find(set, "DANGLING-MIB"));
	ck_assert_ptr_null(sources_find(set, "SELF-MIB"));
	ck_assert_ptr_null(sources_find(set, "EMPTY-MIB"));
	ck_assert_ptr_null(sources_find(set, "evil"));
	ck_assert_ptr_null(sources_find(set, "x"));
	assert_found(set, "NL-MIB", "d/name\nwith newline");
	/* a name glued to binary bytes is no declaration */
	ck_assert_ptr_null(sources_find(set, "BIN-MIB"));
	/* each real file read once, the loop not followed */
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	ck_assert_uint_eq(n, 5);
	sources_free(set);
	free(fifo);
	free(dangling);
	free(self);
	free(up);
}
END_TEST

START_TEST(mtime)
{
	put_mib("d/TIME-MIB", "TIME-MIB", NULL, NULL);
	char *p = tpath("d/TIME-MIB");
	struct timespec times[2] = { { 1234567890, 0 }, { 1234567890, 0 } };
	ck_assert_int_eq(utimensat(AT_FDCWD, p, times, 0), 0);
	struct source_set *set = set_with(true, "d");
	ck_assert_int_eq(sources_find(set, "TIME-MIB")->mtime, 1234567890);
	sources_free(set);
	free(p);
}
END_TEST

/* The names in `dir`, one per line, as ls lists them (malloc'd). */
static char *list_dir(const char *dir)
{
	const char *argv[] = { "ls", dir, NULL };
	struct test_run run = test_run_argv(NULL, argv, 30);
	ck_assert_int_eq(run.status, 0);
	char *listing = run.out;
	run.out = NULL;
	test_run_free(&run);
	return listing;
}

/* The real corpus: every IETF module under its own name; the vendor tree
 * searched recursively. */
START_TEST(corpus)
{
	struct source_set *set = sources_new(true);
	char *error = NULL;
	const char *folders[] = { "ietf", "iana", "vendor" };
	for (size_t i = 0; i < 3; i++) {
		char *dir = test_corpus_path(folders[i]);
		ck_assert_msg(sources_add(set, dir, &error) == 0, "%s", error);
		free(dir);
	}
	char *ietf = test_corpus_path("ietf");
	size_t n = 0;
	char *listing = list_dir(ietf);
	for (char *save, *name = strtok_r(listing, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		const struct source_module *m = sources_find(set, name);
		ck_assert_msg(m != NULL, "%s not found", name);
		char *want;
		ck_assert_int_ge(asprintf(&want, "%s/%s", ietf, name), 0);
		ck_assert_str_eq(m->path, want);
		ck_assert(m->complete);
		free(want);
		n++;
	}
	ck_assert_uint_ge(n, 321);
	free(listing);
	const struct source_module *m = sources_find(set, "PowerNet-MIB");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->path, "vendor/apc/PowerNet-MIB.mib"));
	m = sources_find(set, "RDBMS-MIB");
	ck_assert_uint_eq(m->n_references, 1);
	ck_assert_str_eq(m->references[0], "HOST-RESOURCES-MIB");
	m = sources_find(set, "IANAifType-MIB");
	ck_assert_ptr_nonnull(strstr(m->path, "/iana/IANAifType-MIB"));
	free(ietf);
	sources_free(set);
}
END_TEST

/* ---- the scan cache ---- */

/* Everything lookups of `names` answer, and the files read, as text. */
static char *describe(struct source_set *set, const char *const *names)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t i = 0; names[i]; i++) {
		const struct source_module *m = sources_find(set, names[i]);
		if (!m) {
			fprintf(f, "%s: none\n", names[i]);
			continue;
		}
		fprintf(f, "%s: %s:%d complete=%d redef=%d lu=%s shadow=%s mtime=%lld\n",
			m->name, m->path, m->first_line, m->complete, m->may_redefine,
			m->last_updated ? m->last_updated : "-",
			m->shadowed_path ? m->shadowed_path : "-",
			(long long)m->mtime);
		for (size_t k = 0; k < m->n_imports; k++)
			fprintf(f, "  import %s\n", m->imports[k]);
		for (size_t k = 0; k < m->n_references; k++)
			fprintf(f, "  ref %s\n", m->references[k]);
	}
	const char *const *paths;
	size_t n = sources_files_read(set, &paths);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "read %s\n", paths[i]);
	fclose(f);
	return out;
}

/* Directory timestamps may be as coarse as a scheduler tick: a change
 * right after the cache was written must not share its timestamp (a
 * real run's racy window, off in these tests, covers this). */
static void next_tick(void)
{
	usleep(20 * 1000);
}

/* A set over tmp/d with the cache in tmp/cache (NULL: no cache). */
static struct source_set *cached_set(const char *cache, int racy)
{
	struct source_set *set = sources_new(true);
	if (cache) {
		char *dir = tpath(cache);
		sources_set_cache_directory(set, dir);
		free(dir);
	}
	if (racy >= 0)
		sources_set_cache_racy_seconds(set, racy);
	char *dir = tpath("d");
	char *error = NULL;
	ck_assert_msg(sources_add(set, dir, &error) == 0, "%s", error);
	free(dir);
	return set;
}

/* Describe `names` without cache, then with a cold and a warm one: all
 * three must agree.  Returns the hits of the warm run. */
static size_t check_cached(const char *const *names)
{
	struct source_set *plain = cached_set(NULL, 0);
	char *want = describe(plain, names);
	sources_free(plain);
	size_t hits = 0;
	for (int round = 0; round < 2; round++) {
		struct source_set *set = cached_set("cache", 0);
		char *got = describe(set, names);
		ck_assert_str_eq(got, want);
		hits = sources_cache_hits(set);
		sources_save_cache(set);
		sources_free(set);
		free(got);
	}
	free(want);
	return hits;
}

static void put_cache_corpus(void)
{
	put_mib("d/if-mib", "IF-MIB", "200001010000Z", NULL);
	put_mib("d/FOO-MIB.txt", "FOO-MIB", NULL, "x OBJECT IDENTIFIER ::= { a 1 }");
	put_mib("d/TWICE-MIB", "TWICE-MIB", NULL,
		"x OBJECT IDENTIFIER ::= { a 1 }\nx OBJECT IDENTIFIER ::= { a 2 }");
	put("d/rfc9999.txt", "prose\n\nONE-MIB DEFINITIONS ::= BEGIN\n"
			     "IMPORTS a FROM SNMPv2-SMI b FROM IF-MIB;\nEND\n"
			     "TWO-MIB DEFINITIONS ::= BEGIN\nEND\n");
	put_mib("d/sub/IF-MIB.my", "IF-MIB", "199901010000Z", NULL);
	put("d/doc.pdf", "%PDF-1.4 IF-MIB DEFINITIONS ::= BEGIN END");
	put("d/README", "nothing here\n");
	put_mib("d/x/named.txt", "INDEXED-MIB", NULL, NULL);
	put("d/.index", "INDEXED-MIB x/named.txt\n");
}

static const char *const cache_names[] = {
	"IF-MIB", "FOO-MIB", "TWICE-MIB", "ONE-MIB", "TWO-MIB", "INDEXED-MIB",
	"NOPE-MIB", NULL
};

START_TEST(cache_same_results)
{
	put_cache_corpus();
	ck_assert_uint_ge(check_cached(cache_names), 6);
	/* the real corpus too */
	struct source_set *plain = sources_new(true);
	struct source_set *cold = sources_new(true);
	char *cache = tpath("corpus-cache");
	sources_set_cache_directory(cold, cache);
	char *error = NULL;
	const char *folders[] = { "ietf", "iana", "vendor" };
	for (size_t i = 0; i < 3; i++) {
		char *dir = test_corpus_path(folders[i]);
		ck_assert_msg(sources_add(plain, dir, &error) == 0, "%s", error);
		ck_assert_msg(sources_add(cold, dir, &error) == 0, "%s", error);
		free(dir);
	}
	const char *const names[] = { "IF-MIB", "PowerNet-MIB", "RDBMS-MIB",
				      "CISCO-PROCESS-MIB", "IANAifType-MIB",
				      "NO-SUCH-MIB", NULL };
	char *want = describe(plain, names);
	char *got = describe(cold, names);
	ck_assert_str_eq(got, want);
	free(got);
	sources_save_cache(cold);
	sources_free(cold);
	struct source_set *warm = sources_new(true);
	sources_set_cache_directory(warm, cache);
	for (size_t i = 0; i < 3; i++) {
		char *dir = test_corpus_path(folders[i]);
		ck_assert_msg(sources_add(warm, dir, &error) == 0, "%s", error);
		free(dir);
	}
	got = describe(warm, names);
	ck_assert_str_eq(got, want);
	ck_assert_uint_ge(sources_cache_hits(warm), 300);
	free(got);
	free(want);
	free(cache);
	sources_free(warm);
	sources_free(plain);
}
END_TEST

/* Whether a module may define a name twice (which turns libsmi's slow
 * redefinition check on) is judged when it is scanned and kept in the
 * cache: the same verdict cold and warm. */
START_TEST(cache_redefinition_verdict)
{
	put_cache_corpus();
	for (int run = 0; run < 2; run++) {
		struct source_set *set = cached_set("cache", 0);
		ck_assert(sources_find(set, "TWICE-MIB")->may_redefine);
		ck_assert(!sources_find(set, "FOO-MIB")->may_redefine);
		ck_assert(!sources_find(set, "ONE-MIB")->may_redefine);
		if (run == 1)
			ck_assert_uint_gt(sources_cache_hits(set), 0);
		sources_save_cache(set);
		sources_free(set);
	}
}
END_TEST

/* An edited, renamed, removed or added file is noticed. */
START_TEST(cache_stale)
{
	put_cache_corpus();
	check_cached(cache_names);
	next_tick();
	/* edited: FOO-MIB now imports IF-MIB (another size) */
	put_mib("d/FOO-MIB.txt", "FOO-MIB", NULL,
		"IMPORTS b FROM IF-MIB;\nx OBJECT IDENTIFIER ::= { a 1 }");
	/* renamed: rfc9999.txt -> notes/other.txt */
	char *from = tpath("d/rfc9999.txt"), *to = tpath("d/notes/other.txt");
	ck_assert_int_eq(rename(from, to), 0);
	/* removed: the newer IF-MIB (the older one in sub/ is left) */
	char *gone = tpath("d/if-mib");
	ck_assert_int_eq(unlink(gone), 0);
	/* added */
	put_mib("d/NEW-MIB", "NEW-MIB", NULL, NULL);
	const char *const names[] = { "IF-MIB", "FOO-MIB", "ONE-MIB", "TWO-MIB",
				      "NEW-MIB", NULL };
	check_cached(names);
	struct source_set *set = cached_set("cache", 0);
	const struct source_module *m = sources_find(set, "FOO-MIB");
	ck_assert_uint_eq(m->n_imports, 2);
	ck_assert_str_eq(m->imports[1], "IF-MIB");
	ck_assert_ptr_nonnull(strstr(sources_find(set, "ONE-MIB")->path,
				     "d/notes/other.txt"));
	ck_assert_ptr_nonnull(strstr(sources_find(set, "IF-MIB")->path,
				     "d/sub/IF-MIB.my"));
	ck_assert_ptr_nonnull(sources_find(set, "NEW-MIB"));
	ck_assert_uint_gt(sources_cache_hits(set), 0);
	sources_free(set);
	free(from);
	free(to);
	free(gone);
}
END_TEST

/* The listing of a source comes from the cache when no directory changed;
 * any change that would list other files is seen, and the answers are
 * those of a run without cache. */
static void check_listing(const char *const *names, bool changed)
{
	struct source_set *plain = cached_set(NULL, 0);
	char *want = describe(plain, names);
	sources_free(plain);
	for (int round = 0; round < 2; round++) {
		struct source_set *set = cached_set("cache", 0);
		char *got = describe(set, names);
		ck_assert_str_eq(got, want);
		/* walked after a change, then listed from the cache */
		ck_assert_uint_eq(sources_listings_from_cache(set),
				  round == 0 && changed ? 0 : 1);
		sources_save_cache(set);
		sources_free(set);
		free(got);
	}
	free(want);
}

START_TEST(cache_listing)
{
	put_cache_corpus();
	char *linked = tpath("d/LINKED-MIB"), *later = tpath("d/LATER-MIB");
	char *linked_dir = tpath("d/linked-dir");
	ck_assert_int_eq(symlink("FOO-MIB.txt", linked), 0);
	ck_assert_int_eq(symlink("../elsewhere/LATER-MIB", later), 0);
	put_mib("other/OTHER-MIB", "OTHER-MIB", NULL, NULL);
	ck_assert_int_eq(symlink("../other", linked_dir), 0);
	const char *const names[] = { "IF-MIB", "FOO-MIB", "INDEXED-MIB",
				      "OTHER-MIB", "LATER-MIB", "NEW-MIB",
				      "OTHER2-MIB", "LINKED-MIB", NULL };
	struct source_set *set = cached_set("cache", 0);
	free(describe(set, names));
	sources_save_cache(set);
	sources_free(set);
	check_listing(names, false);

	/* a file in a new subdirectory */
	next_tick();
	put_mib("d/sub/deeper/NEW-MIB", "NEW-MIB", NULL, NULL);
	check_listing(names, true);
	/* a dangling link's target appears (its directory is unchanged) */
	next_tick();
	put_mib("elsewhere/LATER-MIB", "LATER-MIB", NULL, NULL);
	check_listing(names, true);
	/* a directory reached through a link gets a file */
	next_tick();
	put_mib("other/OTHER2-MIB", "OTHER2-MIB", NULL, NULL);
	check_listing(names, true);
	/* a linked file becomes a directory */
	next_tick();
	char *foo = tpath("d/FOO-MIB.txt");
	ck_assert_int_eq(unlink(foo), 0);
	ck_assert_int_eq(mkdir(foo, 0755), 0);
	check_listing(names, true);
	/* a directory goes (the .index names a file in it) */
	next_tick();
	char *named = tpath("d/x/named.txt"), *x = tpath("d/x");
	ck_assert_int_eq(unlink(named), 0);
	ck_assert_int_eq(rmdir(x), 0);
	check_listing(names, true);
	set = cached_set("cache", 0);
	ck_assert_ptr_null(sources_find(set, "INDEXED-MIB"));
	ck_assert_ptr_nonnull(sources_find(set, "LATER-MIB"));
	ck_assert_ptr_nonnull(sources_find(set, "OTHER2-MIB"));
	ck_assert_ptr_nonnull(sources_find(set, "NEW-MIB"));
	ck_assert_ptr_null(sources_find(set, "FOO-MIB"));
	sources_free(set);
	free(linked);
	free(later);
	free(linked_dir);
	free(foo);
	free(named);
	free(x);
}
END_TEST

/* The scan cache file of the one source in tmp/cache: its bytes, and its
 * path in *path (both malloc'd). */
static char *read_cache_file(char **path, size_t *len)
{
	char *dir = tpath("cache");
	char *listing = list_dir(dir);
	ck_assert_ptr_nonnull(strstr(listing, "scan-"));
	ck_assert_int_ge(asprintf(path, "%s/%s", dir, strtok(listing, "\n")), 0);
	char *data = test_read_file(*path, len);
	free(listing);
	free(dir);
	return data;
}

/* A cache whose listing names a path outside its directory (a damaged or
 * forged cache with a correct checksum) is ignored as a whole. */
START_TEST(cache_listing_outside)
{
	put_cache_corpus();
	check_cached(cache_names);
	char *path;
	size_t len;
	char *good = read_cache_file(&path, &len);
	/* the file record "x/named.txt" (parent "x") becomes "x/../../evi" */
	static const char from[] = "x/named.txt", to[] = "x/../../evi";
	char *at = memmem(good, len, from, sizeof(from));
	ck_assert_ptr_nonnull(at);
	memcpy(at, to, sizeof(to) - 1);
	uint64_t sum = hash_bytes(good, len - 8);
	memcpy(good + len - 8, &sum, 8);
	test_write_file(path, good, len);
	struct source_set *set = cached_set("cache", 0);
	char *got = describe(set, cache_names);
	ck_assert_uint_eq(sources_listings_from_cache(set), 0);
	ck_assert_uint_eq(sources_cache_hits(set), 0);
	struct source_set *plain = cached_set(NULL, 0);
	char *want = describe(plain, cache_names);
	ck_assert_str_eq(got, want);
	sources_free(plain);
	sources_free(set);
	free(got);
	free(want);
	free(good);
	free(path);
}
END_TEST

/* This process's open descriptors (counted here: a child like ls would
 * not inherit the close-on-exec ones). */
static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A tree deeper than the directories a source keeps open (64), with a
 * module at every level: each level's files are still found, down to
 * the depth limit, and freeing the set closes exactly what it opened. */
START_TEST(deep_tree)
{
	char rel[1024] = "d";
	put_mib("d/ROOT-MIB", "ROOT-MIB", NULL, NULL);
	for (int level = 1; level <= 66; level++) {
		size_t n = strlen(rel);
		snprintf(rel + n, sizeof(rel) - n, "/l%d", level);
		char file[1100], name[32];
		snprintf(name, sizeof(name), "L%d-MIB", level);
		snprintf(file, sizeof(file), "%s/%s", rel, name);
		put_mib(file, name, NULL, NULL);
	}
	size_t fds_before = open_fds();
	for (int round = 0; round < 2; round++) {
		struct source_set *set = cached_set(round ? "cache" : NULL, 0);
		ck_assert_ptr_nonnull(sources_find(set, "ROOT-MIB"));
		ck_assert_ptr_nonnull(sources_find(set, "L1-MIB"));
		ck_assert_ptr_nonnull(sources_find(set, "L64-MIB"));
		ck_assert_ptr_null(sources_find(set, "L65-MIB"));  /* below the limit */
		sources_save_cache(set);
		sources_free(set);
		ck_assert_uint_eq(open_fds(), fds_before);
	}
}
END_TEST

/* A file rewritten within the same second, same size: with the default
 * racy window it was never cached, so the new text is seen. */
START_TEST(cache_racy)
{
	put_mib("d/RACE-MIB", "RACE-MIB", NULL, "IMPORTS b FROM AAAA-MIB;");
	struct source_set *set = cached_set("cache", -1);
	ck_assert_str_eq(sources_find(set, "RACE-MIB")->imports[1], "AAAA-MIB");
	sources_save_cache(set);
	sources_free(set);
	put_mib("d/RACE-MIB", "RACE-MIB", NULL, "IMPORTS b FROM BBBB-MIB;");
	set = cached_set("cache", -1);
	ck_assert_str_eq(sources_find(set, "RACE-MIB")->imports[1], "BBBB-MIB");
	ck_assert_uint_eq(sources_cache_hits(set), 0);
	sources_free(set);
}
END_TEST

/* A file of a source that a run never looks at keeps its cache entry
 * unchecked (it is not even stat'ed); edited meanwhile, it is read again
 * when a later run looks at it. */
START_TEST(cache_unvisited_file)
{
	put_mib("d/A-MIB", "A-MIB", NULL, NULL);
	put_mib("e/odd-name.txt", "OLD-MIB", NULL, NULL);
	char *cache = tpath("cache"), *d = tpath("d"), *e = tpath("e");
	const char *lookups[][2] = { { "OLD-MIB", NULL }, { "A-MIB", NULL },
				     { "NEW-MIB", "OLD-MIB" } };
	for (size_t run = 0; run < 3; run++) {
		if (run == 1) /* edited between runs: another module name */
			put_mib("e/odd-name.txt", "NEW-MIB", NULL, "x OBJECT IDENTIFIER ::= { a 1 }");
		struct source_set *set = sources_new(true);
		sources_set_cache_directory(set, cache);
		sources_set_cache_racy_seconds(set, 0);
		char *error = NULL;
		ck_assert_msg(sources_add(set, d, &error) == 0, "%s", error);
		ck_assert_msg(sources_add(set, e, &error) == 0, "%s", error);
		const struct source_module *m = sources_find(set, lookups[run][0]);
		ck_assert_msg(m != NULL, "run %zu: %s not found", run, lookups[run][0]);
		if (run != 1)
			ck_assert_ptr_nonnull(strstr(m->path, "e/odd-name.txt"));
		if (lookups[run][1])
			ck_assert_ptr_null(sources_find(set, lookups[run][1]));
		sources_save_cache(set);
		sources_free(set);
	}
	free(cache);
	free(d);
	free(e);
}
END_TEST

/* A damaged cache is ignored as a whole, then rewritten. */
START_TEST(cache_corrupt)
{
	put_cache_corpus();
	check_cached(cache_names);
	char *path;
	size_t len;
	char *good = read_cache_file(&path, &len);
	ck_assert_uint_gt(len, 100);
	for (int damage = 0; damage < 4; damage++) {
		char *bad = malloc(len);
		memcpy(bad, good, len);
		size_t bad_len = len;
		if (damage == 0)
			bad[len / 2] ^= 0x55;  /* a flipped byte */
		else if (damage == 1)
			bad_len = len - 9;     /* truncated */
		else if (damage == 2)
			memset(bad, 0xff, len); /* garbage */
		else
			bad_len = 3;
		test_write_file(path, bad, bad_len);
		free(bad);
		struct source_set *set = cached_set("cache", 0);
		char *got = describe(set, cache_names);
		ck_assert_uint_eq(sources_cache_hits(set), 0);
		sources_save_cache(set);
		sources_free(set);
		/* rewritten: the next run uses it again, same answers */
		set = cached_set("cache", 0);
		char *again = describe(set, cache_names);
		ck_assert_str_eq(again, got);
		ck_assert_uint_gt(sources_cache_hits(set), 0);
		sources_free(set);
		free(got);
		free(again);
	}
	/* an unwritable cache directory costs nothing but the cache */
	char *file_not_dir = tpath("cache-is-a-file");
	test_write_file(file_not_dir, "x", 1);
	struct source_set *set = cached_set("cache-is-a-file", 0);
	ck_assert_ptr_nonnull(sources_find(set, "IF-MIB"));
	sources_save_cache(set);
	sources_free(set);
	free(file_not_dir);
	free(good);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sources");
	TCase *tc = tcase_create("sources");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, guessing);
	tcase_add_test(tc, content_index);
	tcase_add_test(tc, no_fuzzy);
	tcase_add_test(tc, index_file);
	tcase_add_test(tc, sorted_walk);
	tcase_add_test(tc, precedence_between_sources);
	tcase_add_test(tc, lazy_sources);
	tcase_add_test(tc, precedence_within_source);
	tcase_add_test(tc, zip_source);
	tcase_add_test(tc, bad_sources);
	tcase_add_test(tc, file_arguments);
	tcase_add_test(tc, staging);
	tcase_add_test(tc, sniffing);
	tcase_add_test(tc, many_modules);
	tcase_add_test(tc, hostile_tree);
	tcase_add_test(tc, mtime);
	tcase_add_test(tc, deep_tree);
	tcase_add_test(tc, corpus);
	tcase_add_test(tc, cache_same_results);
	tcase_add_test(tc, cache_stale);
	tcase_add_test(tc, cache_redefinition_verdict);
	tcase_add_test(tc, cache_racy);
	tcase_add_test(tc, cache_unvisited_file);
	tcase_add_test(tc, cache_corrupt);
	tcase_add_test(tc, cache_listing);
	tcase_add_test(tc, cache_listing_outside);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
