/* mibc on broken input (tests/bad-mibs, see its README): every file gets a
 * clear verdict with file:line where one exists, the right exit status, no
 * crash, no hang and nothing written outside the destination. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testlib.h"

static char *tmp, *out, *ietf, *project_mibs;

static void setup(void)
{
	tmp = test_mkdtemp();
	ck_assert_int_ge(asprintf(&out, "%s/out", tmp), 0);
	ietf = test_corpus_path("ietf");
	project_mibs = strdup(test_env("MIBC_PROJECT_MIBS"));
}

static void teardown(void)
{
	test_rmtree(tmp);
	free(tmp);
	free(out);
	free(ietf);
	free(project_mibs);
}

static char *bad(const char *name)
{
	char *p;
	ck_assert_int_ge(asprintf(&p, "bad-mibs/%s", name), 0);
	char *full = test_data_path(p);
	free(p);
	return full;
}

/* mibc FILE with the IETF modules and our own as sources, JSON output;
 * extra options before the file. */
static struct test_run compile_file(const char *file, const char *opt1, const char *opt2)
{
	char *path = bad(file);
	const char *argv[16];
	size_t n = 0;
	argv[n++] = "--mib-source";
	argv[n++] = ietf;
	argv[n++] = "--mib-source";
	argv[n++] = project_mibs;
	argv[n++] = "--no-system-sources";
	argv[n++] = "--destination-format";
	argv[n++] = "json";
	argv[n++] = "--destination-directory";
	argv[n++] = out;
	if (opt1)
		argv[n++] = opt1;
	if (opt2)
		argv[n++] = opt2;
	argv[n++] = path;
	argv[n] = NULL;
	struct test_run r = test_mibc(tmp, argv);
	free(path);
	ck_assert_msg(r.status < 128, "%s: mibc died (status %d)\n%.2000s", file, r.status, r.err);
	return r;
}

static void assert_contains(const char *haystack, const char *needle)
{
	ck_assert_msg(strstr(haystack, needle), "expected \"%s\" in:\n%.3000s", needle, haystack);
}

static void assert_lacks(const char *haystack, const char *needle)
{
	ck_assert_msg(!strstr(haystack, needle), "did not expect \"%s\" in:\n%.3000s", needle,
		      haystack);
}

static size_t occurrences(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool output_exists(const char *name)
{
	char *p;
	ck_assert_int_ge(asprintf(&p, "%s/%s", out, name), 0);
	struct stat st;
	bool r = stat(p, &st) == 0;
	free(p);
	return r;
}

/* Only `out` (if anything) may appear in the scratch directory. */
static void assert_nothing_outside_destination(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		ck_assert_msg(strcmp(e->d_name, "out") == 0, "mibc wrote %s/%s", tmp, e->d_name);
	}
	closedir(d);
}

START_TEST(truncated_module)
{
	struct test_run r = compile_file("MIBC-BAD-TRUNCATED-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MIBC-BAD-TRUNCATED-MIB:28: error: ");
	/* libsmi says it 30 times; mibc once */
	ck_assert_uint_eq(occurrences(r.err, "28: error: lexically unexpected character"), 1);
	assert_contains(r.out, "Failed MIBs: MIBC-BAD-TRUNCATED-MIB (");
	ck_assert(!output_exists("MIBC-BAD-TRUNCATED-MIB.json"));
	test_run_free(&r);
}
END_TEST

START_TEST(syntax_error)
{
	struct test_run r = compile_file("MIBC-BAD-SYNTAX-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MIBC-BAD-SYNTAX-MIB:25: error: syntax error");
	test_run_free(&r);
}
END_TEST

/* libsmi's smiGetNextNode crashed on what this parse leaves behind
 * (found by fuzz-mib): with --ignore-errors the module is generated
 * anyway, and without it fails with libsmi's line, never "libsmi
 * crashed". */
START_TEST(stray_quote_in_description)
{
	struct test_run r = compile_file("MIBC-BAD-STRAY-QUOTE-MIB", "--ignore-errors", NULL);
	assert_contains(r.err, "MIBC-BAD-STRAY-QUOTE-MIB:21: error: syntax error");
	ck_assert_ptr_null(strstr(r.err, "crashed"));
	assert_contains(r.out, "generated anyway");
	ck_assert(output_exists("MIBC-BAD-STRAY-QUOTE-MIB.json"));
	test_run_free(&r);
	/* --rebuild: the output just made is up to date */
	r = compile_file("MIBC-BAD-STRAY-QUOTE-MIB", "--rebuild", NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.out, "Failed MIBs: MIBC-BAD-STRAY-QUOTE-MIB (");
	ck_assert_ptr_null(strstr(r.err, "crashed"));
	test_run_free(&r);
}
END_TEST

START_TEST(unknown_index_object)
{
	struct test_run r = compile_file("MIBC-BAD-UNKNOWN-INDEX-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MIBC-BAD-UNKNOWN-INDEX-MIB:32: error: ");
	assert_contains(r.err, "mibcBadUnknownIndexIdx");
	ck_assert(!output_exists("MIBC-BAD-UNKNOWN-INDEX-MIB.json"));
	test_run_free(&r);

	r = compile_file("MIBC-BAD-UNKNOWN-INDEX-MIB", "--ignore-errors", NULL);
	ck_assert_int_eq(r.status, 79);
	ck_assert(output_exists("MIBC-BAD-UNKNOWN-INDEX-MIB.json"));
	test_run_free(&r);
}
END_TEST

START_TEST(missing_import)
{
	struct test_run r = compile_file("MIBC-BAD-MISSING-IMPORT-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.out, "Missing source MIBs: MIBC-NO-SUCH-MIB\n");
	assert_contains(r.out, "Failed MIBs: MIBC-BAD-MISSING-IMPORT-MIB (imports from MIBC-NO-SUCH-MIB");
	test_run_free(&r);
}
END_TEST

START_TEST(import_of_undefined_symbol_is_a_warning)
{
	struct test_run r = compile_file("MIBC-BAD-NOT-EXPORTED-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "MIBC-BAD-NOT-EXPORTED-MIB:8: warning: ");
	assert_contains(r.err, "MibcTestNoSuchTC");
	test_run_free(&r);
}
END_TEST

START_TEST(circular_imports_terminate_and_warn)
{
	struct test_run r = compile_file("MIBC-BAD-CIRCULAR-A-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "circular imports: MIBC-BAD-CIRCULAR-A-MIB -> "
			       "MIBC-BAD-CIRCULAR-B-MIB -> MIBC-BAD-CIRCULAR-A-MIB");
	ck_assert(output_exists("MIBC-BAD-CIRCULAR-A-MIB.json"));
	ck_assert(output_exists("MIBC-BAD-CIRCULAR-B-MIB.json"));
	test_run_free(&r);
}
END_TEST

START_TEST(two_files_declare_one_module)
{
	char *dup = bad("dup");
	const char *argv[] = { "--mib-source", dup, "--mib-source", ietf, "--mib-source",
			       project_mibs, "--no-system-sources", "--destination-format",
			       "json", "--destination-directory", out, "MIBC-BAD-DUP-MIB", NULL };
	struct test_run r = test_mibc(tmp, argv);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "MIBC-BAD-DUP-MIB.txt");
	assert_contains(r.err, "MIBC-BAD-DUP-MIB.mib");
	assert_contains(r.err, "warning");
	/* same source, same guess rank: the newer LAST-UPDATED (version B) */
	char *p;
	ck_assert_int_ge(asprintf(&p, "%s/MIBC-BAD-DUP-MIB.json", out), 0);
	char *json = test_read_file(p, NULL);
	ck_assert_ptr_nonnull(json);
	assert_contains(json, "mibcBadDupVersionB");
	assert_lacks(json, "mibcBadDupVersionA");
	free(json);
	free(p);
	test_run_free(&r);
	free(dup);
}
END_TEST

START_TEST(two_modules_in_one_file)
{
	struct test_run r = compile_file("MIBC-BAD-TWO-MODULES", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.out, "Created/updated MIBs: MIBC-BAD-FIRST-MIB (MIBC-BAD-TWO-MODULES), "
			       "MIBC-BAD-SECOND-MIB (MIBC-BAD-TWO-MODULES)");
	ck_assert(output_exists("MIBC-BAD-FIRST-MIB.json"));
	ck_assert(output_exists("MIBC-BAD-SECOND-MIB.json"));
	test_run_free(&r);
}
END_TEST

START_TEST(non_ascii_bytes)
{
	const char *files[] = { "MIBC-BAD-LATIN1-MIB", "MIBC-BAD-UTF8-MIB", "MIBC-BAD-BOM-MIB" };
	for (size_t i = 0; i < 3; i++) {
		struct test_run r = compile_file(files[i], "--generate-mib-texts", NULL);
		ck_assert_msg(r.status == 0, "%s: %d\n%.2000s", files[i], r.status, r.err);
		char *json_name;
		ck_assert_int_ge(asprintf(&json_name, "%s.json", files[i]), 0);
		ck_assert_msg(output_exists(json_name), "%s", json_name);
		free(json_name);
		test_run_free(&r);
	}
	struct test_run r = compile_file("MIBC-BAD-LATIN1-MIB", "--rebuild", NULL);
	/* the offending byte is shown escaped, not raw */
	assert_contains(r.err, "MIBC-BAD-LATIN1-MIB:11: warning: illegal character `\\xf6'");
	test_run_free(&r);
}
END_TEST

START_TEST(hostile_module_name)
{
	struct test_run r = compile_file("hostile-module-name.mib", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "hostile-module-name.mib");
	assert_contains(r.err, "error");
	assert_nothing_outside_destination();
	test_run_free(&r);
}
END_TEST

START_TEST(long_module_name)
{
	struct test_run r = compile_file("long-module-name.mib", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "long-module-name.mib");
	assert_contains(r.err, "name");
	assert_nothing_outside_destination();
	test_run_free(&r);
}
END_TEST

START_TEST(smiv1_access_in_smiv2_is_a_warning)
{
	struct test_run r = compile_file("MIBC-BAD-ACCESS-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "MIBC-BAD-ACCESS-MIB:19: warning: ACCESS is SMIv1 style");
	test_run_free(&r);
}
END_TEST

START_TEST(duplicate_oid)
{
	struct test_run r = compile_file("MIBC-BAD-DUP-OID-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MIBC-BAD-DUP-OID-MIB:29: error: ");
	assert_contains(r.err, "mibcBadDupOidFirst");
	test_run_free(&r);
}
END_TEST

/* libsmi's redefinition check is quadratic: mibc turns it off for modules
 * where no name is defined twice (scan_may_redefine).  Where one is, the
 * messages are libsmi's, as before: each exact redefinition (also at an
 * OID already taken), once per line; not the "only in case" warning
 * (severity 5) without --debug. */
static void assert_redefinitions(const struct test_run *r)
{
	static const char *const want[] = {
		"31: warning: redefinition of identifier `MibcBadRedefType'\n",
		"37: warning: redefinition of identifier `MibcBadRedefPlain'\n",
		"39: warning: redefinition of identifier `mibcBadRedefScalar'\n",
		"47: warning: redefinition of identifier `mibcBadRedefNode'\n",
		"50: warning: redefinition of identifier `mibcBadRedefSame'\n",
		"52: warning: redefinition of identifier `mibcBadRedefScalar'\n",
	};
	const char *p = r->err;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *line;
		ck_assert_int_ge(asprintf(&line, "MIBC-BAD-REDEFINITION-MIB:%s", want[i]), 0);
		const char *at = strstr(p, line);
		ck_assert_msg(at, "expected \"%s\" (in this order) in:\n%.3000s", line, r->err);
		p = at + strlen(line);
		free(line);
	}
	ck_assert_uint_eq(occurrences(r->err, "redefinition of identifier"), 6);
	assert_lacks(r->err, "only in case");
}

START_TEST(redefinitions)
{
	struct test_run r = compile_file("MIBC-BAD-REDEFINITION-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_redefinitions(&r);
	test_run_free(&r);

	/* found in a source by name: the verdict of the scan (that a name is
	 * defined twice) comes from the scan cache on the second run */
	char *bad_dir = bad(""), *cache;
	ck_assert_int_ge(asprintf(&cache, "%s/cache", tmp), 0);
	for (int run = 0; run < 2; run++) {
		const char *argv[] = {
			"--mib-source", ietf, "--mib-source", bad_dir,
			"--no-system-sources", "--cache-directory", cache,
			"--destination-format", "json", "--destination-directory", out,
			"--rebuild", "--no-dependencies", "MIBC-BAD-REDEFINITION-MIB", NULL
		};
		r = test_mibc(tmp, argv);
		ck_assert_int_eq(r.status, 0);
		assert_redefinitions(&r);
		test_run_free(&r);
	}
	free(cache);
	free(bad_dir);

	r = compile_file("MIBC-BAD-REDEFINITION-MIB", "--debug", "--rebuild");
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "MIBC-BAD-REDEFINITION-MIB:48: warning: identifier "
			       "`mibcBadRedefnode' differs from `mibcBadRedefNode' only in case");
	ck_assert_uint_eq(occurrences(r.err, "redefinition of identifier"), 6);
	test_run_free(&r);
}
END_TEST

START_TEST(smiv1_zero_enum_is_a_warning)
{
	struct test_run r = compile_file("MIBC-BAD-V1-ZERO-ENUM-MIB", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "MIBC-BAD-V1-ZERO-ENUM-MIB:14: warning: ");
	test_run_free(&r);
}
END_TEST

START_TEST(files_that_are_not_mibs)
{
	const struct {
		const char *file, *what;
	} cases[] = {
		{ "MIBC-BAD-PDF-MIB", "PDF" },
		{ "MIBC-BAD-HTML-MIB.mib", "HTML" },
		{ "MIBC-BAD-GARBAGE-MIB", "binary" },
		{ "MIBC-BAD-EMPTY-MIB", "empty" },
		{ "MIBC-BAD-COMMENTS-MIB", "comment" },
		{ "mibc-bad-mibs.zip", "zip" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_run r = compile_file(cases[i].file, NULL, NULL);
		ck_assert_msg(r.status == 79, "%s: %d", cases[i].file, r.status);
		assert_contains(r.err, "not a MIB file");
		assert_contains(r.err, cases[i].what);
		assert_lacks(r.err, "syntax error");
		ck_assert_uint_eq(occurrences(r.err, "error"), 1);
		test_run_free(&r);
	}
}
END_TEST

START_TEST(zip_archive_as_a_source)
{
	char *zip = bad("mibc-bad-mibs.zip");
	const char *argv[] = { "--mib-source", zip, "--mib-source", ietf, "--no-system-sources",
			       "--destination-format", "json", "--destination-directory", out,
			       "MIBC-BAD-ZIPPED-MIB", NULL };
	struct test_run r = test_mibc(tmp, argv);
	ck_assert_msg(r.status == 0, "%d\n%s\n%s", r.status, r.out, r.err);
	ck_assert(output_exists("MIBC-BAD-ZIPPED-MIB.json"));
	test_run_free(&r);
	free(zip);
}
END_TEST

START_TEST(ten_megabyte_line)
{
	char *script = test_data_path("bad-mibs/make-binaries.py");
	const char *gen[] = { "python3", script, "--huge-line", tmp, NULL };
	struct test_run g = test_run_argv(NULL, gen, 120);
	ck_assert_msg(g.status == 0, "%s", g.err);
	test_run_free(&g);
	char *file;
	ck_assert_int_ge(asprintf(&file, "%s/MIBC-BAD-HUGE-LINE-MIB", tmp), 0);
	struct stat st;
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_ge(st.st_size, 10 * 1024 * 1024);
	const char *argv[] = { "--mib-source", ietf, "--no-system-sources",
			       "--destination-format", "null", file, NULL };
	struct test_run r = test_mibc(tmp, argv);
	ck_assert_msg(r.status == 0 || r.status == 79, "status %d\n%.2000s", r.status, r.err);
	test_run_free(&r);
	free(file);
	free(script);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-broken");
	TCase *tc = tcase_create("bad-mibs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, truncated_module);
	tcase_add_test(tc, syntax_error);
	tcase_add_test(tc, stray_quote_in_description);
	tcase_add_test(tc, unknown_index_object);
	tcase_add_test(tc, missing_import);
	tcase_add_test(tc, import_of_undefined_symbol_is_a_warning);
	tcase_add_test(tc, circular_imports_terminate_and_warn);
	tcase_add_test(tc, two_files_declare_one_module);
	tcase_add_test(tc, two_modules_in_one_file);
	tcase_add_test(tc, non_ascii_bytes);
	tcase_add_test(tc, hostile_module_name);
	tcase_add_test(tc, long_module_name);
	tcase_add_test(tc, smiv1_access_in_smiv2_is_a_warning);
	tcase_add_test(tc, duplicate_oid);
	tcase_add_test(tc, redefinitions);
	tcase_add_test(tc, smiv1_zero_enum_is_a_warning);
	tcase_add_test(tc, files_that_are_not_mibs);
	tcase_add_test(tc, zip_archive_as_a_source);
	tcase_add_test(tc, ten_megabyte_line);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
