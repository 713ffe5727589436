/* mibc's command line, end to end: options, summary headings, exit codes,
 * name guessing, .index files, up-to-date checks, failures and what they
 * do to dependent modules.  Runs the built mibc on the shared corpus and on
 * small modules written by the tests. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "testlib.h"

static char *tmp;      /* scratch directory of the running test */
static char *ietf, *iana, *meinberg;

static void setup(void)
{
	tmp = test_mkdtemp();
	ietf = test_corpus_path("ietf");
	iana = test_corpus_path("iana");
	meinberg = test_corpus_path("vendor/meinberg");
}

static void teardown(void)
{
	test_rmtree(tmp);
	free(tmp);
	free(ietf);
	free(iana);
	free(meinberg);
}

static char *path_in(const char *dir, const char *name)
{
	char *p;
	ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

static bool exists(const char *dir, const char *name)
{
	char *p = path_in(dir, name);
	struct stat st;
	bool r = stat(p, &st) == 0;
	free(p);
	return r;
}

/* A small valid SMIv2 module `name` with one scalar, importing `extra`
 * ("" or e.g. "someThing FROM OTHER-MIB") and placed at enterprises.99999.arc. */
/* noinline: inlined, gcc -O3 takes callers' pointers into the result for
 * pointers to its local `text` (a -Wdangling-pointer false positive). */
__attribute__((noinline))
static char *small_module(const char *name, const char *prefix, int arc, const char *extra)
{
	char *text;
	ck_assert_int_ge(asprintf(&text,
		"%s DEFINITIONS ::= BEGIN\n"
		"IMPORTS\n"
		"    MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises\n"
		"        FROM SNMPv2-SMI\n"
		"    %s;\n"
		"\n"
		"%sMIB MODULE-IDENTITY\n"
		"    LAST-UPDATED \"202601010000Z\"\n"
		"    ORGANIZATION \"mibc tests\"\n"
		"    CONTACT-INFO \"none\"\n"
		"    DESCRIPTION \"A module written by test-cli.\"\n"
		"    ::= { enterprises 99999 %d }\n"
		"\n"
		"%sValue OBJECT-TYPE\n"
		"    SYNTAX Integer32 (0..100)\n"
		"    MAX-ACCESS read-only\n"
		"    STATUS current\n"
		"    DESCRIPTION \"A value.\"\n"
		"    ::= { %sMIB 1 }\n"
		"\n"
		"END\n",
		name, extra, prefix, arc, prefix, prefix), 0);
	return text;
}

static void write_small_module(const char *dir, const char *file, const char *name,
			       const char *prefix, int arc, const char *extra)
{
	char *text = small_module(name, prefix, arc, extra);
	char *p = path_in(dir, file);
	test_write_file(p, text, strlen(text));
	free(p);
	free(text);
}

#define MIBC(...) test_mibc(NULL, (const char *const[]){ __VA_ARGS__, NULL })

static void assert_contains(const char *haystack, const char *needle)
{
	ck_assert_msg(strstr(haystack, needle), "expected \"%s\" in:\n%.3000s", needle, haystack);
}

static void assert_lacks(const char *haystack, const char *needle)
{
	ck_assert_msg(!strstr(haystack, needle), "did not expect \"%s\" in:\n%.3000s", needle,
		      haystack);
}

/* The line of the summary that starts with `heading:`, malloc'd. */
static char *summary_line(const char *out, const char *heading)
{
	size_t hl = strlen(heading);
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, heading, hl) == 0 && p[hl] == ':') {
			size_t n = strcspn(p, "\n");
			char *line = malloc(n + 1);
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
	}
	ck_abort_msg("no \"%s:\" line in:\n%s", heading, out);
	return NULL;
}

static void assert_summary(const char *out, const char *heading, const char *expected)
{
	char *line = summary_line(out, heading);
	char *want;
	ck_assert_int_ge(asprintf(&want, "%s:%s%s", heading, *expected ? " " : "", expected), 0);
	ck_assert_str_eq(line, want);
	free(want);
	free(line);
}

START_TEST(help_and_version)
{
	struct test_run r = MIBC("--help");
	ck_assert_int_eq(r.status, 0);
	const char *options[] = { "--mib-source", "--mib-stub", "--destination-directory",
				  "--destination-format", "--disable-fuzzy-source",
				  "--no-dependencies", "--ignore-errors", "--build-index",
				  "--rebuild", "--dry-run", "--generate-mib-texts",
				  "--keep-texts-layout", "--quiet", "--debug", "--depfile",
				  "--version" };
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		assert_contains(r.out, options[i]);
	test_run_free(&r);

	r = MIBC("--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strncmp(r.out, "mibc ", 5) == 0, "version: %s", r.out);
	assert_contains(r.out, "libsmi 0.4");
	test_run_free(&r);
}
END_TEST

START_TEST(usage_errors_exit_64)
{
	const char *const cases[][4] = {
		{ "--no-such-option", "IF-MIB", NULL },
		{ "--destination-format", "pdf", "IF-MIB", NULL },
		{ "--mib-source", "/nonexistent/mibc-test", "IF-MIB", NULL },
		{ "--quiet", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_run r = test_mibc(tmp, cases[i]);
		ck_assert_msg(r.status == 64, "case %zu: status %d, stderr %s", i, r.status, r.err);
		ck_assert_msg(strlen(r.err) > 0, "case %zu: no message", i);
		test_run_free(&r);
	}
	struct test_run r = MIBC("--destination-format", "pdf", "IF-MIB");
	assert_contains(r.err, "pdf");
	test_run_free(&r);
}
END_TEST

START_TEST(compiles_module_and_dependencies_json)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", out, "IF-MIB");
	ck_assert_msg(r.status == 0, "status %d\n%s\n%s", r.status, r.out, r.err);
	assert_summary(r.out, "MIBs to compile", "IF-MIB");
	assert_summary(r.out, "Destination format", "json");
	assert_summary(r.out, "Created/updated MIBs", "IANAifType-MIB, IF-MIB, SNMPv2-MIB");
	assert_summary(r.out, "Up to date MIBs", "");
	assert_summary(r.out, "Missing source MIBs", "");
	assert_summary(r.out, "Ignored MIBs", "");
	assert_summary(r.out, "Failed MIBs", "");
	assert_contains(r.out, "MIBs excluded from code generation: RFC1065-SMI");
	ck_assert(exists(out, "IF-MIB.json"));
	ck_assert(exists(out, "IANAifType-MIB.json"));
	ck_assert(exists(out, "SNMPv2-MIB.json"));
	/* stubs are parsed, not generated */
	ck_assert(!exists(out, "SNMPv2-SMI.json"));
	ck_assert(!exists(out, "SNMPv2-TC.json"));
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(c_format_generates_the_tc_modules_it_includes)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-directory", out, "IF-MIB");
	ck_assert_msg(r.status == 0, "status %d\n%s\n%s", r.status, r.out, r.err);
	assert_summary(r.out, "Destination format", "c");
	assert_summary(r.out, "MIBs excluded from code generation",
		       "RFC1065-SMI, RFC1155-SMI, RFC-1212, RFC-1215, SNMPv2-SMI, SNMPv2-CONF");
	assert_summary(r.out, "Created/updated MIBs", "IANAifType-MIB, IF-MIB, SNMPv2-MIB, SNMPv2-TC");
	ck_assert(exists(out, "if-mib.h"));
	ck_assert(exists(out, "if-mib.c"));
	ck_assert(exists(out, "snmpv2-tc.h"));
	ck_assert(!exists(out, "snmpv2-smi.h"));
	char *p = path_in(out, "if-mib.h");
	char *text = test_read_file(p, NULL);
	assert_contains(text, "#include \"snmpv2-tc.h\"");
	free(text);
	free(p);
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(select_generates_only_what_is_polled)
{
	char *all = path_in(tmp, "all");
	char *few = path_in(tmp, "few");
	struct test_run r = MIBC("--quiet", "--ignore-errors", "--mib-source", ietf,
				 "--mib-source", meinberg, "--no-system-sources",
				 "--destination-directory", all, "MBG-SNMP-LTNG-MIB");
	ck_assert_int_eq(r.status, 79);
	test_run_free(&r);
	r = MIBC("--quiet", "--ignore-errors", "--mib-source", ietf, "--mib-source", meinberg,
		 "--no-system-sources", "--destination-directory", few,
		 "--select", "mbgLtNgRefclockState", "--select", "MBG-SNMP-LTNG-MIB::mbgLtNgSysPsStatus",
		 "MBG-SNMP-LTNG-MIB");
	ck_assert_int_eq(r.status, 79);
	test_run_free(&r);
	char *p = path_in(few, "mbg-snmp-ltng-mib.h");
	size_t few_len, all_len;
	char *text = test_read_file(p, &few_len);
	assert_contains(text, "mbg_snmp_ltng_mib_mbg_lt_ng_refclock_state_desc");
	assert_contains(text, "mbg_snmp_ltng_mib_mbg_lt_ng_sys_ps_status_desc");
	assert_lacks(text, "mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_desc");
	free(text);
	free(p);
	p = path_in(all, "mbg-snmp-ltng-mib.h");
	text = test_read_file(p, &all_len);
	assert_contains(text, "mbg_snmp_ltng_mib_mbg_lt_ng_ntp_current_state_desc");
	ck_assert_msg(few_len * 10 < all_len, "selected %zu bytes of %zu", few_len, all_len);
	free(text);
	free(p);

	/* only the C format selects */
	r = MIBC("--destination-format", "json", "--select", "ifDescr", "IF-MIB");
	ck_assert_int_eq(r.status, 64);
	test_run_free(&r);
	free(all);
	free(few);
}
END_TEST

START_TEST(c_index_and_clash_warnings)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--build-index", "--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-directory", out, "Modem-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	ck_assert(exists(out, "mibc-index.h"));
	ck_assert(exists(out, "mibc-index.c"));
	char *p = path_in(out, "mibc-index.c");
	char *text = test_read_file(p, NULL);
	assert_contains(text, "\"mdmMIB\"");
	free(text);
	free(p);
	/* the C name clash in Modem-MIB is reported like a diagnostic */
	assert_contains(r.err, "ietf/Modem-MIB:12: warning: C identifier clash: mdmMIB and mdmMib");
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(up_to_date_and_rebuild)
{
	/* A private copy of the sources whose times the test can change. */
	char *src = path_in(tmp, "src");
	char *out = path_in(tmp, "out");
	mkdir(src, 0755);
	write_small_module(src, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 1, "");
	write_small_module(src, "MIBC-CLI-B-MIB", "MIBC-CLI-B-MIB", "cliB", 2,
			   "cliAValue FROM MIBC-CLI-A-MIB");
	const char *const args[] = { "--mib-source", src, "--mib-source", ietf,
				     "--no-system-sources", "--destination-format", "json",
				     "--destination-directory", out, "MIBC-CLI-B-MIB", NULL };
	struct test_run r = test_mibc(NULL, args);
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_summary(r.out, "Created/updated MIBs", "MIBC-CLI-A-MIB, MIBC-CLI-B-MIB");
	test_run_free(&r);

	r = test_mibc(NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_summary(r.out, "Created/updated MIBs", "");
	assert_summary(r.out, "Up to date MIBs", "MIBC-CLI-A-MIB, MIBC-CLI-B-MIB");
	test_run_free(&r);

	/* an up-to-date tree is not parsed at all */
	const char *const debug_args[] = { "--debug", "--mib-source", src, "--mib-source", ietf,
					   "--no-system-sources", "--destination-format", "json",
					   "--destination-directory", out, "MIBC-CLI-B-MIB", NULL };
	r = test_mibc(NULL, debug_args);
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "nothing to parse");
	test_run_free(&r);

	/* A newer imported module makes its importer stale too. */
	char *a = path_in(src, "MIBC-CLI-A-MIB");
	struct utimbuf later = { .actime = time(NULL) + 100, .modtime = time(NULL) + 100 };
	ck_assert_int_eq(utime(a, &later), 0);
	r = test_mibc(NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_summary(r.out, "Created/updated MIBs", "MIBC-CLI-A-MIB, MIBC-CLI-B-MIB");
	test_run_free(&r);

	/* --rebuild rebuilds what is up to date. */
	struct utimbuf now = { .actime = time(NULL) - 100, .modtime = time(NULL) - 100 };
	ck_assert_int_eq(utime(a, &now), 0);
	const char *const rebuild[] = { "--rebuild", "--mib-source", src, "--mib-source", ietf,
					"--no-system-sources", "--destination-format", "json",
					"--destination-directory", out, "MIBC-CLI-B-MIB", NULL };
	r = test_mibc(NULL, rebuild);
	ck_assert_int_eq(r.status, 0);
	assert_summary(r.out, "Created/updated MIBs", "MIBC-CLI-A-MIB, MIBC-CLI-B-MIB");
	test_run_free(&r);
	free(a);
	free(src);
	free(out);
}
END_TEST

START_TEST(dry_run_writes_nothing)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--dry-run", "--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", out, "IF-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_summary(r.out, "Would be created/updated MIBs", "IANAifType-MIB, IF-MIB, SNMPv2-MIB");
	assert_summary(r.out, "Dry run mode", "yes");
	struct stat st;
	ck_assert_int_ne(stat(out, &st), 0);
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(no_dependencies)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--no-dependencies", "--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", out, "IF-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_summary(r.out, "Created/updated MIBs", "IF-MIB");
	ck_assert(exists(out, "IF-MIB.json"));
	ck_assert(!exists(out, "SNMPv2-MIB.json"));
	ck_assert(!exists(out, "IANAifType-MIB.json"));
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(missing_module_exits_79)
{
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", "NO-SUCH-MODULE-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_summary(r.out, "Missing source MIBs", "NO-SUCH-MODULE-MIB");
	test_run_free(&r);
}
END_TEST

START_TEST(missing_import_fails_and_dependents_are_ignored)
{
	char *src = path_in(tmp, "src");
	char *out = path_in(tmp, "out");
	mkdir(src, 0755);
	write_small_module(src, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 1,
			   "nothing FROM MIBC-CLI-ABSENT-MIB");
	write_small_module(src, "MIBC-CLI-B-MIB", "MIBC-CLI-B-MIB", "cliB", 2,
			   "cliAValue FROM MIBC-CLI-A-MIB");
	struct test_run r = MIBC("--mib-source", src, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", out, "MIBC-CLI-B-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_summary(r.out, "Missing source MIBs", "MIBC-CLI-ABSENT-MIB");
	assert_summary(r.out, "Created/updated MIBs", "");
	assert_contains(r.out, "Failed MIBs: MIBC-CLI-A-MIB (imports from MIBC-CLI-ABSENT-MIB");
	assert_contains(r.out, "Ignored MIBs: MIBC-CLI-B-MIB (needs MIBC-CLI-A-MIB, which failed)");
	ck_assert(!exists(out, "MIBC-CLI-A-MIB.json"));
	ck_assert(!exists(out, "MIBC-CLI-B-MIB.json"));
	test_run_free(&r);

	/* --ignore-errors: everything that can be generated is, still 79 */
	r = MIBC("--ignore-errors", "--mib-source", src, "--mib-source", ietf,
		 "--no-system-sources", "--destination-format", "json",
		 "--destination-directory", out, "MIBC-CLI-B-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_summary(r.out, "Ignored MIBs", "");
	ck_assert(exists(out, "MIBC-CLI-A-MIB.json"));
	ck_assert(exists(out, "MIBC-CLI-B-MIB.json"));
	test_run_free(&r);
	free(src);
	free(out);
}
END_TEST

START_TEST(missing_snmpv2_smi_is_explained)
{
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	write_small_module(src, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 1, "");
	struct test_run r = MIBC("--mib-source", src, "--no-system-sources",
				 "--destination-format", "null", "MIBC-CLI-A-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "SNMPv2-SMI");
	assert_contains(r.err, "--mib-source");
	assert_summary(r.out, "Missing source MIBs", "SNMPv2-SMI");
	/* no cascade of libsmi follow-on errors */
	size_t lines = 0;
	for (const char *p = r.err; *p; p++)
		lines += *p == '\n';
	ck_assert_msg(lines <= 4, "too much noise:\n%s", r.err);
	test_run_free(&r);
	free(src);
}
END_TEST

START_TEST(meinberg_bug_reported_with_file_and_line)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-source", ietf, "--mib-source", iana,
				 "--mib-source", meinberg, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "MBG-SNMP-LTNG-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MBG-SNMP-LTNG-MIB.mib:743: error: ");
	assert_contains(r.err, "mbgLtNgRefclockMrsIndex");
	assert_contains(r.out, "Failed MIBs: MBG-SNMP-LTNG-MIB (");
	ck_assert(!exists(out, "MBG-SNMP-LTNG-MIB.json"));
	test_run_free(&r);

	r = MIBC("--ignore-errors", "--mib-source", ietf, "--mib-source", iana,
		 "--mib-source", meinberg, "--no-system-sources", "--destination-format",
		 "json", "--destination-directory", out, "MBG-SNMP-LTNG-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "MBG-SNMP-LTNG-MIB.mib:743: error: ");
	assert_contains(r.out, "generated anyway");
	ck_assert(exists(out, "MBG-SNMP-LTNG-MIB.json"));
	/* the rest of the module is there */
	char *json_path = path_in(out, "MBG-SNMP-LTNG-MIB.json");
	char *json = test_read_file(json_path, NULL);
	assert_contains(json, "mbgLtNgRefclockState");
	assert_contains(json, "mbgLtNgSysPsStatus");
	free(json);
	free(json_path);
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(fuzzy_names_and_disable)
{
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	/* lower-case name with a suffix: found by guessing only */
	write_small_module(src, "mibc-cli-a-mib.txt", "MIBC-CLI-A-MIB", "cliA", 1, "");
	struct test_run r = MIBC("--mib-source", src, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "null",
				 "MIBC-CLI-A-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_contains(r.out, "Created/updated MIBs: MIBC-CLI-A-MIB (mibc-cli-a-mib.txt)");
	test_run_free(&r);

	r = MIBC("--disable-fuzzy-source", "--mib-source", src, "--mib-source", ietf,
		 "--no-system-sources", "--destination-format", "null", "MIBC-CLI-A-MIB");
	ck_assert_int_eq(r.status, 79);
	assert_summary(r.out, "Missing source MIBs", "MIBC-CLI-A-MIB");
	assert_summary(r.out, "Try various file names while searching for MIB module", "no");
	test_run_free(&r);
	free(src);
}
END_TEST

START_TEST(index_file_overrides_guessing)
{
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	write_small_module(src, "weird-name.def", "MIBC-CLI-A-MIB", "cliA", 1, "");
	/* a decoy with the exact name that declares another module */
	write_small_module(src, "MIBC-CLI-A-MIB", "MIBC-CLI-DECOY-MIB", "cliD", 9, "");
	char *index = path_in(src, ".index");
	const char *text = "# module file\nMIBC-CLI-A-MIB weird-name.def\n";
	test_write_file(index, text, strlen(text));
	struct test_run r = MIBC("--disable-fuzzy-source", "--mib-source", src,
				 "--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", "MIBC-CLI-A-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_contains(r.out, "Created/updated MIBs: MIBC-CLI-A-MIB (weird-name.def)");
	test_run_free(&r);
	free(index);
	free(src);
}
END_TEST

START_TEST(modules_named_by_compliance_clauses_are_loaded_not_generated)
{
	/* RDBMS-MIB's compliance names HOST-RESOURCES-MIB in a MODULE clause
	 * without importing it: libsmi needs it, mibdump would not compile it */
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-source", ietf, "--mib-source", iana, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "RDBMS-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_summary(r.out, "Created/updated MIBs",
		       "NETWORK-SERVICES-MIB, RDBMS-MIB, SNMP-FRAMEWORK-MIB");
	ck_assert(!exists(out, "HOST-RESOURCES-MIB.json"));
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(single_file_as_a_source)
{
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	write_small_module(src, "one.mib", "MIBC-CLI-A-MIB", "cliA", 1, "");
	char *file = path_in(src, "one.mib");
	struct test_run r = MIBC("--mib-source", file, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "null",
				 "MIBC-CLI-A-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_contains(r.out, "Source MIB repositories: ");
	assert_contains(r.out, "one.mib");
	assert_contains(r.out, "Created/updated MIBs: MIBC-CLI-A-MIB (one.mib)");
	test_run_free(&r);
	free(file);
	free(src);
}
END_TEST

START_TEST(misnamed_file_found_when_imported)
{
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	write_small_module(src, "rfc99999.txt", "MIBC-CLI-A-MIB", "cliA", 1, "");
	write_small_module(src, "MIBC-CLI-B-MIB", "MIBC-CLI-B-MIB", "cliB", 2,
			   "cliAValue FROM MIBC-CLI-A-MIB");
	struct test_run r = MIBC("--mib-source", src, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "null",
				 "MIBC-CLI-B-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_contains(r.out, "MIBC-CLI-A-MIB (rfc99999.txt)");
	test_run_free(&r);
	free(src);
}
END_TEST

START_TEST(file_argument_with_two_modules)
{
	char *a = small_module("MIBC-CLI-A-MIB", "cliA", 1, "");
	char *b = small_module("MIBC-CLI-B-MIB", "cliB", 2, "cliAValue FROM MIBC-CLI-A-MIB");
	char *both;
	ck_assert_int_ge(asprintf(&both, "%s\n%s", a, b), 0);
	char *file = path_in(tmp, "bundle.my");
	test_write_file(file, both, strlen(both));
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 file);
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	ck_assert(exists(out, "MIBC-CLI-A-MIB.json"));
	ck_assert(exists(out, "MIBC-CLI-B-MIB.json"));
	test_run_free(&r);
	free(a);
	free(b);
	free(both);
	free(file);
	free(out);
}
END_TEST

START_TEST(error_in_second_module_of_a_file_has_its_line)
{
	char *a = small_module("MIBC-CLI-A-MIB", "cliA", 1, "");
	char *b = small_module("MIBC-CLI-B-MIB", "cliB", 2, "");
	/* break the second module: an undefined parent */
	char *bad = strstr(b, "{ cliBMIB 1 }");
	ck_assert_ptr_nonnull(bad);
	memcpy(bad, "{ cliBXIB 1 }", 13);
	char *both;
	ck_assert_int_ge(asprintf(&both, "%s\n%s", a, b), 0);
	int lines_a = 0;
	for (const char *p = a; *p; p++)
		lines_a += *p == '\n';
	int expected_line = lines_a + 1 + 19; /* "::= { cliBXIB 1 }" is line 19 of b */
	char *file = path_in(tmp, "bundle.my");
	test_write_file(file, both, strlen(both));
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", file);
	ck_assert_int_eq(r.status, 79);
	char *where;
	ck_assert_int_ge(asprintf(&where, "bundle.my:%d: error: ", expected_line), 0);
	assert_contains(r.err, where);
	assert_contains(r.out, "Failed MIBs: MIBC-CLI-B-MIB");
	assert_contains(r.out, "Created/updated MIBs: MIBC-CLI-A-MIB");
	free(where);
	test_run_free(&r);
	free(a);
	free(b);
	free(both);
	free(file);
}
END_TEST

START_TEST(not_a_mib_file)
{
	char *pdf = path_in(tmp, "manual.pdf");
	const char *text = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
	test_write_file(pdf, text, strlen(text));
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", pdf);
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.err, "not a MIB file");
	assert_contains(r.err, "PDF");
	assert_lacks(r.err, "syntax error");
	test_run_free(&r);
	free(pdf);
}
END_TEST

START_TEST(duplicate_module_warns_with_both_files)
{
	char *s1 = path_in(tmp, "s1");
	char *s2 = path_in(tmp, "s2");
	mkdir(s1, 0755);
	mkdir(s2, 0755);
	write_small_module(s1, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 1, "");
	write_small_module(s2, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 3, "");
	struct test_run r = MIBC("--mib-source", s1, "--mib-source", s2, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "null",
				 "MIBC-CLI-A-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	char *f1 = path_in(s1, "MIBC-CLI-A-MIB");
	char *f2 = path_in(s2, "MIBC-CLI-A-MIB");
	assert_contains(r.err, f1);
	assert_contains(r.err, f2);
	assert_contains(r.err, "warning");
	test_run_free(&r);
	free(f1);
	free(f2);
	free(s1);
	free(s2);
}
END_TEST

START_TEST(depfile_lists_outputs_and_inputs)
{
	char *out = path_in(tmp, "out");
	char *dep = path_in(tmp, "mibs.d");
	struct test_run r = MIBC("--mib-source", ietf, "--mib-source", iana,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", out, "--depfile", dep, "IF-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	char *text = test_read_file(dep, NULL);
	ck_assert_ptr_nonnull(text);
	char *target = path_in(out, "IF-MIB.json");
	ck_assert_msg(strncmp(text, out, strlen(out)) == 0, "depfile:\n%s", text);
	assert_contains(text, target);
	assert_contains(text, "ietf/IF-MIB");
	assert_contains(text, "iana/IANAifType-MIB");
	assert_contains(text, "ietf/SNMPv2-SMI");
	free(target);
	free(text);
	test_run_free(&r);
	free(out);
	free(dep);
}
END_TEST

START_TEST(quiet_prints_errors_only)
{
	struct test_run r = MIBC("--quiet", "--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", "IF-MIB");
	/* IANAifType-MIB is not in ietf/: missing */
	ck_assert_int_eq(r.status, 79);
	ck_assert_str_eq(r.out, "");
	assert_contains(r.err, "IANAifType-MIB");
	test_run_free(&r);

	char *out = path_in(tmp, "out");
	r = MIBC("--quiet", "--mib-source", ietf, "--mib-source", iana, "--no-system-sources",
		 "--destination-format", "json", "--destination-directory", out, "IF-MIB");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "");
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(stubs_replace_default_list)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--mib-stub", "SNMPv2-SMI", "--mib-stub", "SNMPv2-TC",
				 "--mib-stub", "SNMPv2-CONF", "--mib-stub", "IANAifType-MIB",
				 "--mib-source", ietf, "--mib-source", iana, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "IF-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	assert_summary(r.out, "MIBs excluded from code generation",
		       "SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF, IANAifType-MIB");
	ck_assert(!exists(out, "IANAifType-MIB.json"));
	ck_assert(exists(out, "IF-MIB.json"));
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(build_index_and_texts)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--build-index", "--generate-mib-texts", "--mib-source", ietf,
				 "--mib-source", iana, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "IF-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	ck_assert(exists(out, "index.json"));
	char *p = path_in(out, "index.json");
	char *text = test_read_file(p, NULL);
	assert_contains(text, "IF-MIB");
	free(text);
	free(p);
	p = path_in(out, "IF-MIB.json");
	text = test_read_file(p, NULL);
	assert_contains(text, "A textual string containing information about the");
	free(text);
	free(p);
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(keep_texts_layout)
{
	char *flat = path_in(tmp, "flat");
	char *kept = path_in(tmp, "kept");
	struct test_run r = MIBC("--generate-mib-texts", "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "json",
				 "--destination-directory", flat, "SNMPv2-MIB");
	ck_assert_int_eq(r.status, 0);
	test_run_free(&r);
	r = MIBC("--generate-mib-texts", "--keep-texts-layout", "--mib-source", ietf,
		 "--no-system-sources", "--destination-format", "json",
		 "--destination-directory", kept, "SNMPv2-MIB");
	ck_assert_int_eq(r.status, 0);
	test_run_free(&r);
	char *p = path_in(flat, "SNMPv2-MIB.json");
	char *text = test_read_file(p, NULL);
	assert_contains(text, "A textual description of the entity. This value should include");
	free(text);
	free(p);
	p = path_in(kept, "SNMPv2-MIB.json");
	text = test_read_file(p, NULL);
	assert_contains(text, "A textual description of the entity.  This value should\\ninclude");
	free(text);
	free(p);
	free(flat);
	free(kept);
}
END_TEST

START_TEST(debug_traces_on_stderr)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--debug", "--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "SNMPv2-MIB");
	ck_assert_int_eq(r.status, 0);
	assert_contains(r.err, "mibc: debug: staged");
	test_run_free(&r);
	free(out);
}
END_TEST

static size_t entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Where modules are staged for libsmi: $TMPDIR, else $XDG_RUNTIME_DIR,
 * else /dev/shm, else /tmp; removed afterwards. */
static void assert_staged_in(const char *base)
{
	char *out = path_in(tmp, "out");
	struct test_run r = MIBC("--debug", "--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", "--destination-directory", out,
				 "SNMPv2-MIB");
	ck_assert_msg(r.status == 0, "%s", r.err);
	char *want;
	ck_assert_int_ge(asprintf(&want, "modules to parse in %s/mibc-", base), 0);
	assert_contains(r.err, want);
	free(want);
	test_run_free(&r);
	free(out);
}

START_TEST(staging_directory_choice)
{
	char *given = path_in(tmp, "given"), *runtime = path_in(tmp, "runtime");
	char *missing = path_in(tmp, "missing");
	ck_assert_int_eq(mkdir(given, 0700), 0);
	ck_assert_int_eq(mkdir(runtime, 0700), 0);
	setenv("TMPDIR", given, 1);
	setenv("XDG_RUNTIME_DIR", runtime, 1);
	assert_staged_in(given);
	ck_assert_uint_eq(entries_in(given), 0);
	unsetenv("TMPDIR");
	assert_staged_in(runtime);
	ck_assert_uint_eq(entries_in(runtime), 0);
	setenv("XDG_RUNTIME_DIR", missing, 1);
	assert_staged_in(access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp");
	/* a TMPDIR that cannot be used is an error that names it */
	setenv("TMPDIR", missing, 1);
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "null", "SNMPv2-MIB");
	ck_assert_int_ne(r.status, 0);
	char *want;
	ck_assert_int_ge(asprintf(&want, "cannot create a temporary directory %s/mibc-", missing), 0);
	assert_contains(r.err, want);
	free(want);
	test_run_free(&r);
	free(given);
	free(runtime);
	free(missing);
}
END_TEST

START_TEST(destination_directory_is_created)
{
	char *out = path_in(tmp, "a/b/c");
	struct test_run r = MIBC("--mib-source", ietf, "--no-system-sources",
				 "--destination-format", "json", "--destination-directory", out,
				 "SNMPv2-MIB");
	ck_assert_msg(r.status == 0, "%s\n%s", r.out, r.err);
	ck_assert(exists(out, "SNMPv2-MIB.json"));
	test_run_free(&r);
	free(out);
}
END_TEST

START_TEST(worker_crash_is_contained)
{
	/* MIBC_TEST_CRASH_IN makes the parser process die while parsing that
	 * module: the run goes on with the others and names the victim. */
	char *src = path_in(tmp, "src");
	mkdir(src, 0755);
	write_small_module(src, "MIBC-CLI-A-MIB", "MIBC-CLI-A-MIB", "cliA", 1, "");
	write_small_module(src, "MIBC-CLI-B-MIB", "MIBC-CLI-B-MIB", "cliB", 2, "");
	setenv("MIBC_TEST_CRASH_IN", "MIBC-CLI-A-MIB", 1);
	struct test_run r = MIBC("--mib-source", src, "--mib-source", ietf,
				 "--no-system-sources", "--destination-format", "null",
				 "MIBC-CLI-A-MIB", "MIBC-CLI-B-MIB");
	unsetenv("MIBC_TEST_CRASH_IN");
	ck_assert_int_eq(r.status, 79);
	assert_contains(r.out, "Failed MIBs: MIBC-CLI-A-MIB (libsmi crashed while parsing it");
	assert_summary(r.out, "Created/updated MIBs", "MIBC-CLI-B-MIB");
	test_run_free(&r);
	free(src);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, usage_errors_exit_64);
	tcase_add_test(tc, compiles_module_and_dependencies_json);
	tcase_add_test(tc, c_format_generates_the_tc_modules_it_includes);
	tcase_add_test(tc, select_generates_only_what_is_polled);
	tcase_add_test(tc, c_index_and_clash_warnings);
	tcase_add_test(tc, up_to_date_and_rebuild);
	tcase_add_test(tc, dry_run_writes_nothing);
	tcase_add_test(tc, no_dependencies);
	tcase_add_test(tc, missing_module_exits_79);
	tcase_add_test(tc, missing_import_fails_and_dependents_are_ignored);
	tcase_add_test(tc, missing_snmpv2_smi_is_explained);
	tcase_add_test(tc, meinberg_bug_reported_with_file_and_line);
	tcase_add_test(tc, fuzzy_names_and_disable);
	tcase_add_test(tc, index_file_overrides_guessing);
	tcase_add_test(tc, modules_named_by_compliance_clauses_are_loaded_not_generated);
	tcase_add_test(tc, single_file_as_a_source);
	tcase_add_test(tc, misnamed_file_found_when_imported);
	tcase_add_test(tc, file_argument_with_two_modules);
	tcase_add_test(tc, error_in_second_module_of_a_file_has_its_line);
	tcase_add_test(tc, not_a_mib_file);
	tcase_add_test(tc, duplicate_module_warns_with_both_files);
	tcase_add_test(tc, depfile_lists_outputs_and_inputs);
	tcase_add_test(tc, quiet_prints_errors_only);
	tcase_add_test(tc, stubs_replace_default_list);
	tcase_add_test(tc, build_index_and_texts);
	tcase_add_test(tc, keep_texts_layout);
	tcase_add_test(tc, debug_traces_on_stderr);
	tcase_add_test(tc, staging_directory_choice);
	tcase_add_test(tc, destination_directory_is_created);
	tcase_add_test(tc, worker_crash_is_contained);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(cli_suite());
}
