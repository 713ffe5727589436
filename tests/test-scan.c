/* The lexical MIB scanner: module boundaries, imports, LAST-UPDATED,
 * non-MIB detection, and robustness against hostile input. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan.h"
#include "testlib.h"

static struct scan_result scan_str(const char *text)
{
	struct scan_result r;
	ck_assert_int_eq(scan_buffer(text, strlen(text), &r), 0);
	return r;
}

static void assert_imports(const struct scan_module *m, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	ck_assert_uint_eq(m->n_imports, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(m->imports[i], want[i]);
}

static const char one_module[] =
	"-- leading comment\n"                       /* 1 */
	"\n"                                         /* 2 */
	"TEST-MIB DEFINITIONS ::= BEGIN\n"           /* 3 */
	"IMPORTS\n"                                  /* 4 */
	"    MODULE-IDENTITY, Integer32\n"           /* 5 */
	"        FROM SNMPv2-SMI\n"                  /* 6 */
	"    DisplayString FROM SNMPv2-TC\n"         /* 7 */
	"    mib-2 FROM SNMPv2-SMI;\n"               /* 8 */
	"testMIB MODULE-IDENTITY\n"                  /* 9 */
	"    LAST-UPDATED \"200406030000Z\"\n"       /* 10 */
	"    ORGANIZATION \"x\"\n"                   /* 11 */
	"    ::= { mib-2 999 }\n"                    /* 12 */
	"END\n";                                     /* 13 */

START_TEST(single_module)
{
	struct scan_result r = scan_str(one_module);
	ck_assert_int_eq(r.verdict, SCAN_MIB);
	ck_assert_ptr_null(r.what);
	ck_assert_uint_eq(r.n_modules, 1);
	const struct scan_module *m = &r.modules[0];
	ck_assert_str_eq(m->name, "TEST-MIB");
	ck_assert_int_eq(m->first_line, 3);
	ck_assert_int_eq(m->last_line, 13);
	ck_assert_uint_eq(m->begin, strlen("-- leading comment\n\n"));
	ck_assert_uint_eq(m->end, strlen(one_module) - 1); /* after END */
	ck_assert(m->complete);
	assert_imports(m, (const char *const[]){ "SNMPv2-SMI", "SNMPv2-TC",
						  NULL });
	ck_assert_str_eq(m->last_updated, "200406030000Z");
	scan_result_free(&r);
}
END_TEST

START_TEST(concatenated_modules)
{
	const char *text =
		"A-MIB DEFINITIONS ::= BEGIN\n"          /* 1 */
		"IMPORTS x FROM RFC1155-SMI;\n"          /* 2 */
		"END\n"                                  /* 3 */
		"-- between\n"                           /* 4 */
		"  B-MIB\n"                              /* 5 */
		"  DEFINITIONS\n"                        /* 6 */
		"\tIMPLICIT   TAGS\r\n"                  /* 7 */
		"  ::=\n"                                /* 8 */
		"  BEGIN\n"                              /* 9 */
		"IMPORTS y FROM A-MIB z FROM RFC1155-SMI;\n" /* 10 */
		"END\n"                                  /* 11 */
		"C-MIB DEFINITIONS ::= BEGIN { END";     /* 12 */
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 3);
	ck_assert_str_eq(r.modules[0].name, "A-MIB");
	ck_assert_int_eq(r.modules[0].first_line, 1);
	ck_assert_int_eq(r.modules[0].last_line, 3);
	ck_assert_uint_eq(r.modules[0].begin, 0);
	ck_assert(r.modules[0].complete);
	ck_assert_mem_eq(text + r.modules[0].end - 3, "END", 3);
	assert_imports(&r.modules[0],
		       (const char *const[]){ "RFC1155-SMI", NULL });

	ck_assert_str_eq(r.modules[1].name, "B-MIB");
	ck_assert_int_eq(r.modules[1].first_line, 5);
	ck_assert_int_eq(r.modules[1].last_line, 11);
	ck_assert_uint_eq(r.modules[1].begin,
			  (size_t)(strstr(text, "  B-MIB") - text));
	ck_assert_mem_eq(text + r.modules[1].end - 3, "END", 3);
	ck_assert_ptr_null(r.modules[1].last_updated);
	assert_imports(&r.modules[1],
		       (const char *const[]){ "A-MIB", "RFC1155-SMI", NULL });

	ck_assert_str_eq(r.modules[2].name, "C-MIB");
	ck_assert_int_eq(r.modules[2].first_line, 12);
	ck_assert_int_eq(r.modules[2].last_line, 12);
	ck_assert_uint_eq(r.modules[2].end, strlen(text));
	ck_assert(r.modules[2].complete);
	ck_assert_uint_eq(r.modules[2].n_imports, 0);
	scan_result_free(&r);

	/* ASN.1's optional OID after the name */
	r = scan_str("X { a } Y-MIB\n{ iso org(3) { 1 } }\n"
		     "DEFINITIONS ::= BEGIN END\n"
		     "a/b { 1 } DEFINITIONS ::= BEGIN END\n");
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert_str_eq(r.modules[0].name, "Y-MIB");
	ck_assert_int_eq(r.modules[0].first_line, 1);
	ck_assert_uint_eq(r.modules[0].begin, 0);
	scan_result_free(&r);
}
END_TEST

/* Fake declarations and FROMs in comments and strings do not count;
 * strings span lines and keep the line count right. */
START_TEST(comments_and_strings)
{
	const char *text =
		"-- FAKE-MIB DEFINITIONS ::= BEGIN\n"                /* 1 */
		"\"QUOTED DEFINITIONS ::= BEGIN\"\n"                 /* 2 */
		"REAL-MIB DEFINITIONS ::= BEGIN -- NOT DEFINITIONS ::= BEGIN\n" /* 3 */
		"IMPORTS a -- FROM COMMENT-MIB\n"                    /* 4 */
		"  FROM GOOD-MIB -- b FROM X-MIB -- b FROM Y-MIB\n"  /* 5: Y counts */
		"  c FROM OID-MIB { iso 3 6 } ;\n"                   /* 6 */
		"x OBJECT-TYPE DESCRIPTION \"spans\n"                /* 7 */
		"  lines FROM STR-MIB END\n"                         /* 8 */
		"  INNER DEFINITIONS ::= BEGIN\" ::= { a 1 }\n"      /* 9 */
		"y OBJECT IDENTIFIER ::= { a 2 }-- trailing --\n"    /* 10 */
		"IMPORTS late FROM LATE-MIB;\n"                      /* 11 */
		"END\n";                                             /* 12 */
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert_str_eq(r.modules[0].name, "REAL-MIB");
	ck_assert_int_eq(r.modules[0].first_line, 3);
	ck_assert_int_eq(r.modules[0].last_line, 12);
	ck_assert(r.modules[0].complete);
	assert_imports(&r.modules[0],
		       (const char *const[]){ "GOOD-MIB", "Y-MIB", "OID-MIB",
					      "LATE-MIB", NULL });
	scan_result_free(&r);
}
END_TEST

/* "--" ends a comment early; a word "a--b" ends at the comment. */
START_TEST(comment_rules)
{
	const char *text =
		"M1 DEFINITIONS--c--::= BEGIN\n"
		"IMPORTS q FROM P-MIB--x\n"
		";\n"
		"----------------------\n"
		"END\n";
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert_str_eq(r.modules[0].name, "M1");
	ck_assert_int_eq(r.modules[0].last_line, 5);
	assert_imports(&r.modules[0], (const char *const[]){ "P-MIB", NULL });
	scan_result_free(&r);
}
END_TEST

/* Modules named by MODULE-COMPLIANCE and AGENT-CAPABILITIES clauses. */
START_TEST(references)
{
	const char *text =
		"R-MIB DEFINITIONS ::= BEGIN\n"
		"IMPORTS x FROM IF-MIB y FROM SNMPv2-CONF;\n"
		"c MODULE-COMPLIANCE STATUS current DESCRIPTION \"MODULE FAKE\"\n"
		"  MODULE -- this module\n"
		"    MANDATORY-GROUPS { g }\n"
		"  MODULE HOST-RESOURCES-MIB\n"
		"    MANDATORY-GROUPS { hrSystemGroup }\n"
		"  MODULE IF-MIB GROUP ifGroup\n"
		"  MODULE R-MIB\n"
		"  MODULE\n"
		"    GROUP g2\n"
		"  ::= { r 1 }\n"
		"a AGENT-CAPABILITIES PRODUCT-RELEASE \"1\" STATUS current\n"
		"  SUPPORTS TCP-MIB INCLUDES { tcpGroup }\n"
		"  SUPPORTS HOST-RESOURCES-MIB INCLUDES { hrSystemGroup }\n"
		"  ::= { r 2 }\n"
		"END\n";
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 1);
	const struct scan_module *m = &r.modules[0];
	assert_imports(m, (const char *const[]){ "IF-MIB", "SNMPv2-CONF",
						  NULL });
	ck_assert_uint_eq(m->n_references, 2);
	ck_assert_str_eq(m->references[0], "HOST-RESOURCES-MIB");
	ck_assert_str_eq(m->references[1], "TCP-MIB");
	scan_result_free(&r);
}
END_TEST

/* A MACRO body has an END of its own (SNMPv2-SMI, RFC-1212). */
START_TEST(macros)
{
	const char *text =
		"SMI DEFINITIONS ::= BEGIN\n"        /* 1 */
		"OBJECT-TYPE MACRO ::=\n"            /* 2 */
		"BEGIN\n"                            /* 3 */
		"  TYPE NOTATION ::= \"END\" x\n"  /* 4 */
		"END\n"                              /* 5 */
		"TRAP-TYPE MACRO ::= BEGIN END\n"    /* 6 */
		"x OBJECT IDENTIFIER ::= { iso 1 }\n" /* 7 */
		"END\n"                              /* 8 */
		"NEXT DEFINITIONS ::= BEGIN END\n";  /* 9 */
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 2);
	ck_assert_int_eq(r.modules[0].last_line, 8);
	ck_assert(r.modules[0].complete);
	ck_assert_int_eq(r.modules[1].first_line, 9);
	scan_result_free(&r);
}
END_TEST

START_TEST(last_updated)
{
	struct scan_result r = scan_str(
		"M DEFINITIONS ::= BEGIN\n"
		"m MODULE-IDENTITY LAST-UPDATED \" 9901010000Z \"\n"
		"LAST-UPDATED \"200001010000Z\"\n"
		"END\n"
		"N DEFINITIONS ::= BEGIN LAST-UPDATED 5 END\n");
	ck_assert_uint_eq(r.n_modules, 2);
	/* the first one counts, blanks trimmed */
	ck_assert_str_eq(r.modules[0].last_updated, "9901010000Z");
	ck_assert_ptr_null(r.modules[1].last_updated);
	scan_result_free(&r);
}
END_TEST

START_TEST(truncated_module)
{
	const char *text =
		"T-MIB DEFINITIONS ::= BEGIN\n"
		"IMPORTS a FROM SNMPv2-SMI;\n"
		"x ::= \"unterminated\n"
		"still string\n";
	struct scan_result r = scan_str(text);
	ck_assert_int_eq(r.verdict, SCAN_MIB);
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert(!r.modules[0].complete);
	ck_assert_int_eq(r.modules[0].last_line, 4);
	ck_assert_uint_eq(r.modules[0].end, strlen(text));
	scan_result_free(&r);

	/* without END, a module ends where the next one starts */
	const char *two =
		"U-MIB DEFINITIONS ::= BEGIN\n"
		"x INTEGER ::= 1\n"
		"V-MIB DEFINITIONS ::= BEGIN\n"
		"END\n";
	r = scan_str(two);
	ck_assert_uint_eq(r.n_modules, 2);
	ck_assert(!r.modules[0].complete);
	ck_assert_int_eq(r.modules[0].last_line, 2);
	ck_assert_uint_eq(r.modules[0].end, r.modules[1].begin);
	ck_assert(r.modules[1].complete);
	ck_assert_int_eq(r.modules[1].first_line, 3);
	scan_result_free(&r);

	/* an unterminated comment is just a line */
	r = scan_str("W-MIB DEFINITIONS ::= BEGIN -- no end");
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert(!r.modules[0].complete);
	ck_assert_int_eq(r.modules[0].last_line, 1);
	scan_result_free(&r);
}
END_TEST

static void assert_not_mib(const char *data, size_t len, const char *what)
{
	struct scan_result r;
	ck_assert_int_eq(scan_buffer(data, len, &r), 0);
	ck_assert_int_eq(r.verdict, SCAN_NOT_MIB);
	ck_assert_uint_eq(r.n_modules, 0);
	ck_assert_str_eq(r.what, what);
	scan_result_free(&r);
}

/* scan_may_redefine: false only when no name is defined twice; a name
 * libsmi would call redefined must never be missed. */
static bool may_redefine(const char *text)
{
	return scan_may_redefine(text, strlen(text));
}

START_TEST(redefinitions)
{
	const char head[] = "M DEFINITIONS ::= BEGIN\n";
	char buf[1024];
	const struct {
		const char *body;
		bool twice;
	} cases[] = {
		{ "a OBJECT IDENTIFIER ::= { x 1 }\nb OBJECT IDENTIFIER ::= { x 2 }\n", false },
		{ "a OBJECT IDENTIFIER ::= { x 1 }\na OBJECT IDENTIFIER ::= { x 2 }\n", true },
		/* same OID too: libsmi keeps one node, but reports */
		{ "a OBJECT IDENTIFIER ::= { x 1 }\na OBJECT IDENTIFIER ::= { x 1 }\n", true },
		{ "a\n  OBJECT IDENTIFIER ::= { x 1 }\na -- c --\n OBJECT IDENTIFIER ::= { x 2 }\n", true },
		{ "T ::= Integer32\nT ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION \"\" SYNTAX Integer32\n", true },
		{ "o OBJECT-TYPE SYNTAX T ::= { x 1 }\no OBJECT-TYPE SYNTAX T ::= { x 2 }\n", true },
		{ "n NOTIFICATION-TYPE ::= { x 1 }\nn OBJECT IDENTIFIER ::= { x 2 }\n", true },
		{ "t TRAP-TYPE ENTERPRISE e ::= 1\nt TRAP-TYPE ENTERPRISE e ::= 2\n", true },
		/* only in case: libsmi's warning for it is hidden at mibc's level */
		{ "a OBJECT IDENTIFIER ::= { x 1 }\nA OBJECT IDENTIFIER ::= { x 2 }\n", false },
		/* values after clause keywords, SEQUENCE members, type names
		 * used twice, comments and strings are no definitions */
		{ "o OBJECT-TYPE SYNTAX Integer32 ACCESS read-only STATUS mandatory ::= { x 1 }\n"
		  "p OBJECT-TYPE SYNTAX Integer32 ACCESS read-only STATUS mandatory ::= { x 2 }\n", false },
		{ "E ::= SEQUENCE { a OBJECT IDENTIFIER, b Integer32 }\n"
		  "a OBJECT-TYPE SYNTAX OBJECT IDENTIFIER ::= { x 1 }\n"
		  "S ::= OCTET STRING\nU ::= OCTET STRING\n", false },
		{ "-- a OBJECT IDENTIFIER ::= { x 1 }\na OBJECT IDENTIFIER ::= { x 2 }\n"
		  "b OBJECT-TYPE DESCRIPTION \"a OBJECT IDENTIFIER ::= { x 1 }\" ::= { x 3 }\n", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%sEND\n", head, cases[i].body);
		ck_assert_msg(may_redefine(buf) == cases[i].twice, "case %zu: %s", i, buf);
	}
	/* not SMI (SMIng, say): unknown, so true */
	ck_assert(may_redefine("module M { node a { oid x.1; }; };"));
	ck_assert(may_redefine("\xEF\xBB\xBFM DEFINITIONS ::= BEGIN\nEND\n"));
	ck_assert(!may_redefine(one_module));
}
END_TEST

START_TEST(not_mibs)
{
	const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
	assert_not_mib(pdf, sizeof(pdf) - 1, "a PDF document");
	const char zip[] = "PK\3\4\x14\0\0\0\x08\0IF-MIB";
	assert_not_mib(zip, sizeof(zip) - 1, "a zip archive");
	const char *html = "\n  <!DOCTYPE HTML PUBLIC>\n<html><body>"
			   "IF-MIB</body></html>";
	assert_not_mib(html, strlen(html), "an HTML page");
	html = "\xEF\xBB\xBF<HTML><head>";
	assert_not_mib(html, strlen(html), "an HTML page");
	html = "<!-- saved page -->\n<!DOCTYPE html>\n<html>";
	assert_not_mib(html, strlen(html), "an HTML page");
	/* an RFC as PDF or HTML quotes the module but is not one */
	html = "<html><pre>\nIF-MIB DEFINITIONS ::= BEGIN\nEND\n</pre>";
	assert_not_mib(html, strlen(html), "an HTML page");
	const char *pdfmib = "%PDF-1.4\nIF-MIB DEFINITIONS ::= BEGIN\nEND\n";
	assert_not_mib(pdfmib, strlen(pdfmib), "a PDF document");
	const char nul[] = "abc\0def";
	assert_not_mib(nul, sizeof(nul) - 1, "binary data");
	unsigned char noise[4096];
	unsigned state = 12345;
	for (size_t i = 0; i < sizeof(noise); i++) {
		state = state * 1103515245u + 12345u;
		unsigned char c = (unsigned char)(state >> 16);
		noise[i] = c ? c : 1; /* no NUL: judged on its bytes */
	}
	assert_not_mib((const char *)noise, sizeof(noise), "binary data");
	const char *text = "This is a README.\nIt talks about IF-MIB.\n"
			   "Caf\xc3\xa9 na\xefve.\n";
	assert_not_mib(text, strlen(text),
		       "text without a MIB module definition");
}
END_TEST

START_TEST(sniff)
{
	ck_assert_str_eq(scan_sniff("%PDF-1.4\n", 9), "a PDF document");
	ck_assert_str_eq(scan_sniff("PK\3\4abc", 7), "a zip archive");
	ck_assert_str_eq(scan_sniff("  <html>", 8), "an HTML page");
	ck_assert_ptr_null(scan_sniff(one_module, strlen(one_module)));
	ck_assert_ptr_null(scan_sniff("", 0));
	/* one stray NUL, or Latin-1 bytes, in a MIB's start: maybe a MIB */
	char buf[4096];
	memset(buf, ' ', sizeof(buf));
	buf[100] = '\0';
	for (size_t i = 200; i < 3000; i += 2)
		buf[i] = (char)0xE9;
	ck_assert_ptr_null(scan_sniff(buf, sizeof(buf)));
	/* an executable's header: many NULs and control bytes */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x7f" "ELF", 4);
	ck_assert_str_eq(scan_sniff(buf, sizeof(buf)), "binary data");
}
END_TEST

START_TEST(empty)
{
	const char *cases[] = {
		"", "\n\n  \t\r\n", "-- only a comment\n-- and another",
		"\xEF\xBB\xBF\n", "----\n-- x -- -- y\n",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scan_result r;
		ck_assert_int_eq(scan_buffer(cases[i], strlen(cases[i]), &r), 0);
		ck_assert_msg(r.verdict == SCAN_EMPTY, "case %zu", i);
		ck_assert_str_eq(r.what, i == 0 ? "an empty file" :
				 "only comments and blank lines, no module");
		ck_assert_uint_eq(r.n_modules, 0);
		scan_result_free(&r);
	}
}
END_TEST

START_TEST(module_names)
{
	ck_assert(scan_is_module_name("IF-MIB"));
	ck_assert(scan_is_module_name("MBG-SYNCBOX_N2X-MIB"));
	ck_assert(scan_is_module_name("x"));
	ck_assert(!scan_is_module_name(""));
	ck_assert(!scan_is_module_name(NULL));
	ck_assert(!scan_is_module_name("1MIB"));
	ck_assert(!scan_is_module_name("../../x"));
	ck_assert(!scan_is_module_name("a/b"));
	ck_assert(!scan_is_module_name("a b"));
	ck_assert(!scan_is_module_name("-MIB"));
	ck_assert(!scan_is_module_name("A.MIB"));
	ck_assert(!scan_is_module_name("CAF\xc3\x89-MIB"));
	char longname[300];
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert(!scan_is_module_name(longname));
	longname[128] = '\0';
	ck_assert(scan_is_module_name(longname));
}
END_TEST

/* Declared names that are not identifiers never become modules. */
START_TEST(hostile_names)
{
	const char *cases[] = {
		"../../x DEFINITIONS ::= BEGIN END\n",
		"/etc/passwd DEFINITIONS ::= BEGIN END\n",
		"a.b DEFINITIONS ::= BEGIN END\n",
		"\"quoted\" DEFINITIONS ::= BEGIN END\n",
		"9LIVES DEFINITIONS ::= BEGIN END\n",
		"\xc3\xa9t\xc3\xa9 DEFINITIONS ::= BEGIN END\n",
		"X$Y DEFINITIONS ::= BEGIN END\n",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scan_result r = scan_str(cases[i]);
		ck_assert_msg(r.n_modules == 0, "case %zu: %s", i,
			      r.n_modules ? r.modules[0].name : "");
		ck_assert_int_eq(r.verdict, SCAN_NOT_MIB);
		scan_result_free(&r);
	}
	/* overlong name */
	size_t n = 1000;
	char *text = malloc(n + 64);
	memset(text, 'A', n);
	strcpy(text + n, " DEFINITIONS ::= BEGIN END\n");
	struct scan_result r = scan_str(text);
	ck_assert_uint_eq(r.n_modules, 0);
	scan_result_free(&r);
	free(text);
	/* a hostile import name is dropped, the module kept */
	r = scan_str("OK-MIB DEFINITIONS ::= BEGIN IMPORTS a FROM ../evil "
		     "b FROM GOOD;\nEND");
	ck_assert_uint_eq(r.n_modules, 1);
	assert_imports(&r.modules[0], (const char *const[]){ "GOOD", NULL });
	scan_result_free(&r);
}
END_TEST

/* Generous bounds (see corpus_speed); ASan builds run 2-4x slower and CI
 * shares its cores. */
#ifdef __SANITIZE_ADDRESS__
#define SCAN_TIME_LIMIT 20.0
#else
#define SCAN_TIME_LIMIT 5.0
#endif

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 10 MB on one line, of each kind of token that could go quadratic. */
START_TEST(huge_line)
{
	size_t n = 10 * 1000 * 1000;
	char *buf = malloc(n + 100);
	const char *fills[] = { "a", "-", "\"", "x ", ":", "\xff", "\0" };
	for (size_t k = 0; k < sizeof(fills) / sizeof(fills[0]); k++) {
		size_t flen = fills[k][0] ? strlen(fills[k]) : 1;
		for (size_t i = 0; i < n; i++)
			buf[i] = fills[k][i % flen];
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct scan_result r;
		ck_assert_int_eq(scan_buffer(buf, n, &r), 0);
		ck_assert_uint_eq(r.n_modules, 0);
		scan_result_free(&r);
		ck_assert_msg(seconds_since(&t0) < SCAN_TIME_LIMIT, "fill %zu too slow", k);
	}
	/* a module whose single line is 10 MB long, many distinct imports */
	size_t len = 0;
	len += (size_t)sprintf(buf, "BIG-MIB DEFINITIONS ::= BEGIN IMPORTS ");
	size_t count = 0;
	while (len + 40 < n) {
		len += (size_t)sprintf(buf + len, "a FROM M%zu ", count++);
	}
	len += (size_t)sprintf(buf + len, "; END");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct scan_result r;
	ck_assert_int_eq(scan_buffer(buf, len, &r), 0);
	ck_assert_msg(seconds_since(&t0) < SCAN_TIME_LIMIT, "imports too slow");
	ck_assert_uint_eq(r.n_modules, 1);
	ck_assert(r.modules[0].complete);
	ck_assert_uint_eq(r.modules[0].n_imports, count);
	char last[32];
	snprintf(last, sizeof(last), "M%zu", count - 1);
	ck_assert_str_eq(r.modules[0].imports[count - 1], last);
	ck_assert_str_eq(r.modules[0].imports[1], "M1");
	scan_result_free(&r);

	/* a module with a huge IMPORTS list, then very many small ones */
	len = (size_t)sprintf(buf, "HUGE DEFINITIONS ::= BEGIN IMPORTS ");
	for (size_t i = 0; i < 100000; i++)
		len += (size_t)sprintf(buf + len, "a FROM M%zu ", i);
	len += (size_t)sprintf(buf + len, "; END\n");
	size_t small = 0;
	while (len + 64 < n) {
		len += (size_t)sprintf(buf + len, "S%zu DEFINITIONS ::= BEGIN "
				       "IMPORTS a FROM X; END\n", small++);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(scan_buffer(buf, len, &r), 0);
	ck_assert_msg(seconds_since(&t0) < SCAN_TIME_LIMIT, "many modules too slow");
	ck_assert_uint_eq(r.n_modules, small + 1);
	ck_assert_uint_eq(r.modules[0].n_imports, 100000);
	ck_assert_uint_eq(r.modules[small].n_imports, 1);
	ck_assert_int_eq(r.modules[small].first_line, (int)small + 1);
	scan_result_free(&r);
	free(buf);
}
END_TEST

/* Random bytes, and random mixes of MIB-ish fragments: no crash, no
 * module with a bad name, ranges inside the buffer. */
START_TEST(garbage)
{
	static const char *frags[] = {
		"DEFINITIONS", " ::= ", "BEGIN", "END", "IMPORTS", "FROM",
		"\"", "--", "-", "\n", " ", "A-MIB", "{", "}", ";",
		"LAST-UPDATED", "\0", "\xff", "IMPLICIT TAGS", "x",
	};
	unsigned state = 42;
	char buf[2048];
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		while (len < sizeof(buf) - 16) {
			state = state * 1103515245u + 12345u;
			unsigned pick = (state >> 16) % 24;
			if (pick >= 20) {
				buf[len++] = (char)(state >> 8);
			} else {
				const char *f = frags[pick];
				size_t fl = f[0] ? strlen(f) : 1;
				memcpy(buf + len, f, fl);
				len += fl;
			}
			if (((state >> 4) & 63) == 0)
				break;
		}
		struct scan_result r;
		ck_assert_int_eq(scan_buffer(buf, len, &r), 0);
		for (size_t i = 0; i < r.n_modules; i++) {
			const struct scan_module *m = &r.modules[i];
			ck_assert(scan_is_module_name(m->name));
			ck_assert_uint_le(m->begin, m->end);
			ck_assert_uint_le(m->end, len);
			ck_assert_int_le(m->first_line, m->last_line);
			for (size_t k = 0; k < m->n_imports; k++)
				ck_assert(scan_is_module_name(m->imports[k]));
		}
		scan_result_free(&r);
	}
}
END_TEST

/* Every IETF file holds exactly the module its file name names; the whole
 * corpus scans fast. */
START_TEST(corpus)
{
	const char *folders[] = { "ietf", "iana", "tubs" };
	size_t files = 0, bytes = 0;
	double spent = 0;
	for (size_t k = 0; k < 3; k++) {
		char *dir = test_corpus_path(folders[k]);
		DIR *d = opendir(dir);
		ck_assert_msg(d != NULL, "%s", dir);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char *path;
			ck_assert_int_ge(asprintf(&path, "%s/%s", dir, e->d_name), 0);
			size_t len;
			char *data = test_read_file(path, &len);
			ck_assert_ptr_nonnull(data);
			struct timespec t0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			struct scan_result r;
			ck_assert_int_eq(scan_buffer(data, len, &r), 0);
			spent += seconds_since(&t0);
			ck_assert_msg(r.verdict == SCAN_MIB, "%s", path);
			ck_assert_msg(r.n_modules == 1, "%s: %zu modules", path,
				      r.n_modules);
			ck_assert_str_eq(r.modules[0].name, e->d_name);
			ck_assert_msg(r.modules[0].complete, "%s", path);
			ck_assert_int_ge(r.modules[0].first_line, 1);
			/* nothing but comments after END: it was the real
			 * END (not one of a MACRO) */
			struct scan_result rest;
			scan_buffer(data + r.modules[0].end,
				    len - r.modules[0].end, &rest);
			ck_assert_msg(rest.verdict == SCAN_EMPTY, "%s: ends "
				      "at line %d", path, r.modules[0].last_line);
			scan_result_free(&rest);
			files++;
			bytes += len;
			scan_result_free(&r);
			free(data);
			free(path);
		}
		closedir(d);
		free(dir);
	}
	ck_assert_uint_ge(files, 321);
	/* generous: ~20 MB scans in ~25 ms on the dev box, unoptimized
	 * and valgrind builds are much slower */
	ck_assert_msg(spent < SCAN_TIME_LIMIT, "%zu bytes took %.3f s", bytes, spent);
}
END_TEST

/* Spot checks on real modules: IF-MIB's imports, SMIv1 RFC1213-MIB. */
START_TEST(corpus_imports)
{
	char *path = test_corpus_path("ietf/IF-MIB");
	size_t len;
	char *data = test_read_file(path, &len);
	ck_assert_ptr_nonnull(data);
	struct scan_result r;
	scan_buffer(data, len, &r);
	ck_assert_uint_eq(r.n_modules, 1);
	assert_imports(&r.modules[0],
		       (const char *const[]){ "SNMPv2-SMI", "SNMPv2-TC",
					      "SNMPv2-CONF", "SNMPv2-MIB",
					      "IANAifType-MIB", NULL });
	ck_assert_str_eq(r.modules[0].last_updated, "200006140000Z");
	scan_result_free(&r);
	free(data);
	free(path);

	path = test_corpus_path("ietf/RDBMS-MIB");
	data = test_read_file(path, &len);
	ck_assert_ptr_nonnull(data);
	scan_buffer(data, len, &r);
	ck_assert_uint_eq(r.modules[0].n_references, 1);
	ck_assert_str_eq(r.modules[0].references[0], "HOST-RESOURCES-MIB");
	scan_result_free(&r);
	free(data);
	free(path);

	path = test_corpus_path("ietf/RFC1213-MIB");
	data = test_read_file(path, &len);
	ck_assert_ptr_nonnull(data);
	scan_buffer(data, len, &r);
	ck_assert_uint_eq(r.n_modules, 1);
	assert_imports(&r.modules[0],
		       (const char *const[]){ "RFC1155-SMI", "RFC-1212", NULL });
	ck_assert_ptr_null(r.modules[0].last_updated);
	scan_result_free(&r);
	free(data);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("scan");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, single_module);
	tcase_add_test(tc, concatenated_modules);
	tcase_add_test(tc, comments_and_strings);
	tcase_add_test(tc, comment_rules);
	tcase_add_test(tc, macros);
	tcase_add_test(tc, references);
	tcase_add_test(tc, last_updated);
	tcase_add_test(tc, redefinitions);
	tcase_add_test(tc, truncated_module);
	tcase_add_test(tc, not_mibs);
	tcase_add_test(tc, sniff);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, module_names);
	tcase_add_test(tc, hostile_names);
	tcase_add_test(tc, huge_line);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, corpus);
	tcase_add_test(tc, corpus_imports);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
