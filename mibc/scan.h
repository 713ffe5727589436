/* A fast lexical scan of a MIB file, without libsmi: which modules it
 * declares (a file may hold several), where each starts and ends, what each
 * IMPORTs, its LAST-UPDATED.  The driver needs this before any parse: to
 * map module names to files, to follow dependencies, to decide what is up
 * to date, and to tell a file that is not a MIB at all (PDF, zip, HTML)
 * from a broken one. */
#ifndef MIBC_SCAN_H
#define MIBC_SCAN_H

#include <stdbool.h>
#include <stddef.h>

struct scan_module {
	char *name;          /* a valid ASN.1 module reference */
	int first_line;      /* line of "NAME DEFINITIONS ::= BEGIN" (1-based) */
	int last_line;       /* line of its END; the last line if missing */
	size_t begin;        /* byte offset of the first character of the line
				holding NAME */
	size_t end;          /* byte offset just after END (or file end) */
	char **imports;      /* module names after FROM, de-duplicated, in
				order of appearance */
	size_t n_imports;
	char **references;   /* other modules named by MODULE clauses
				(MODULE-COMPLIANCE) and SUPPORTS clauses
				(AGENT-CAPABILITIES), not imported: libsmi
				loads them too, and reports a missing one
				as an error (severity 1) */
	size_t n_references;
	char *last_updated;  /* the LAST-UPDATED string, NULL if none */
	bool complete;       /* its END was seen */
	/* scan_may_redefine of its text; set by the caller that wants it
	 * (scan_buffer leaves it true) */
	bool may_redefine;
};

enum scan_verdict {
	SCAN_MIB,        /* at least one module declaration */
	SCAN_NOT_MIB,    /* no module declaration; `what` says what it looks
			    like */
	SCAN_EMPTY,      /* empty or only comments/blank */
};

struct scan_result {
	enum scan_verdict verdict;
	const char *what;    /* static text: "a PDF document", "a zip
				archive", "an HTML page", "binary data",
				"text without a MIB module definition",
				or a note that a DEFINITIONS line has no
				valid module name (SCAN_NOT_MIB); "an
				empty file" or "only comments and blank
				lines, no module" (SCAN_EMPTY); NULL for
				SCAN_MIB.  A PDF, zip or HTML file is never
				SCAN_MIB even when it quotes a module. */
	struct scan_module *modules;
	size_t n_modules;
};

/* Scan `len` bytes.  Never fails on content: garbage yields SCAN_NOT_MIB
 * or partial results.  Returns 0, or -1 with errno on allocation failure. */
int scan_buffer(const char *data, size_t len, struct scan_result *out);
void scan_result_free(struct scan_result *result);

/* What the first bytes of a file alone show it is, when that is no MIB:
 * "a PDF document", "a zip archive", "an HTML page", "binary data"; NULL
 * when they may begin a MIB.  Lets a search skip a large non-MIB after
 * reading a few KiB of it. */
const char *scan_sniff(const char *data, size_t len);

/* Could libsmi say "redefinition of identifier" on this text?  libsmi's own
 * check (at mibc's error level) compares every new definition with every
 * object and type of its module: quadratic, and most of a large module's
 * parse time.  This is a linear over-approximation: false only when no
 * name is defined twice, counting as a definition the words before "::="
 * and before a macro keyword (OBJECT-TYPE...).  A false "true" costs only
 * time; a text it cannot read as SMI (no DEFINITIONS, a byte order mark)
 * gets true. */
bool scan_may_redefine(const char *data, size_t len);

/* Is `s` a valid module name (ASN.1 modulereference as vendors write it:
 * a letter, then letters, digits, '-' or '_')?  Also what keeps a hostile
 * module name from turning into a path. */
bool scan_is_module_name(const char *s);

#endif
