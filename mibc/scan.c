/* A lexical scan of MIB text: one pass over the bytes, no backtracking, so
 * it is linear in the input whatever the input is.  It tokenizes just
 * enough of ASN.1 (identifiers, strings, "::=", comments) to find module
 * headers, IMPORTS ... FROM, LAST-UPDATED and END; everything else is
 * skipped a byte at a time. */
#include "scan.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"

/* Longer names are not real module names; the limit also bounds what a
 * hostile file can make us allocate per name. */
#define SCAN_NAME_MAX 128
/* LAST-UPDATED is "YYMMDDHHMMZ" or "YYYYMMDDHHMMZ"; anything much longer
 * is garbage (or an unterminated string) and not worth keeping. */
#define SCAN_LAST_UPDATED_MAX 64
/* How much of a non-MIB file to look at to tell text from binary. */
#define SCAN_SNIFF_BYTES (64 * 1024)

enum tok_kind {
	TOK_IDENT,   /* letter, then letters, digits, '-', '_' */
	TOK_STRING,  /* "...": text/len are the contents without quotes */
	TOK_ASSIGN,  /* ::= */
	TOK_OTHER,   /* any other single byte, or a run of digits */
};

struct token {
	enum tok_kind kind;
	const char *text;
	size_t len;
	size_t end;          /* offset just after the token */
	int line;            /* line of its first byte */
	size_t line_start;   /* offset of the start of that line */
	bool sep_before;     /* preceded by start of text, blank or comment */
};

struct lexer {
	const char *p;
	size_t len;
	size_t pos;
	size_t text_start;  /* after a byte order mark, if any */
	int line;
	size_t line_start;
};

static bool is_letter(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(unsigned char c)
{
	return is_letter(c) || is_digit(c) || c == '-' || c == '_';
}

static void lex_newline(struct lexer *lx)
{
	if (lx->line < INT_MAX)
		lx->line++;
	lx->line_start = lx->pos + 1;
}

/* Skip an ASN.1 comment starting at "--": it ends at the end of the line
 * (the newline is left for the caller to count) or after the next "--". */
static void lex_skip_comment(struct lexer *lx)
{
	const char *p = lx->p;
	size_t i = lx->pos + 2;
	while (i < lx->len && p[i] != '\n') {
		if (p[i] == '-' && i + 1 < lx->len && p[i + 1] == '-') {
			i += 2;
			break;
		}
		i++;
	}
	lx->pos = i;
}

/* Skip blanks and comments; true when anything was skipped. */
static bool lex_skip_blank(struct lexer *lx)
{
	const unsigned char *p = (const unsigned char *)lx->p;
	size_t start = lx->pos;
	while (lx->pos < lx->len) {
		unsigned char c = p[lx->pos];
		if (c == '\n') {
			lex_newline(lx);
			lx->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
			   c == '\v') {
			lx->pos++;
		} else if (c == 0xC2 && lx->pos + 1 < lx->len &&
			   p[lx->pos + 1] == 0xA0) {
			/* UTF-8 no-break space: editors put it between
			 * tokens, and it separates them as a space does. */
			lx->pos += 2;
		} else if (c == '-' && lx->pos + 1 < lx->len &&
			   p[lx->pos + 1] == '-') {
			lex_skip_comment(lx);
		} else {
			break;
		}
	}
	return lx->pos != start;
}

/* Scan a string body after its opening quote; a string may span lines and
 * an unterminated one runs to the end of the text. */
static void lex_string(struct lexer *lx, struct token *t)
{
	const char *p = lx->p;
	size_t i = lx->pos + 1;
	t->text = p + i;
	const char *q = memchr(p + i, '"', lx->len - i);
	size_t stop = q ? (size_t)(q - p) : lx->len;
	/* count the newlines inside, a memchr hop at a time */
	const char *nl;
	size_t j = i;
	while (j < stop && (nl = memchr(p + j, '\n', stop - j))) {
		lx->pos = (size_t)(nl - p);
		lex_newline(lx);
		j = lx->pos + 1;
	}
	t->len = stop - i;
	lx->pos = q ? stop + 1 : lx->len;
}

/* The next token, or false at the end of the text. */
static bool lex_next(struct lexer *lx, struct token *t)
{
	bool sep = lex_skip_blank(lx) || lx->pos == lx->text_start;
	if (lx->pos >= lx->len)
		return false;
	const unsigned char *p = (const unsigned char *)lx->p;
	size_t start = lx->pos;
	unsigned char c = p[start];
	t->sep_before = sep;
	t->line = lx->line;
	t->line_start = lx->line_start;
	t->text = lx->p + start;
	if (is_letter(c)) {
		size_t i = start + 1;
		while (i < lx->len && is_ident_char(p[i])) {
			/* "--" inside a word starts a comment */
			if (p[i] == '-' && i + 1 < lx->len && p[i + 1] == '-')
				break;
			i++;
		}
		t->kind = TOK_IDENT;
		t->len = i - start;
		lx->pos = i;
	} else if (c == '"') {
		t->kind = TOK_STRING;
		lex_string(lx, t);
	} else if (c == ':' && start + 2 < lx->len && p[start + 1] == ':' &&
		   p[start + 2] == '=') {
		t->kind = TOK_ASSIGN;
		t->len = 3;
		lx->pos = start + 3;
	} else if (is_digit(c)) {
		size_t i = start + 1;
		while (i < lx->len && is_digit(p[i]))
			i++;
		t->kind = TOK_OTHER;
		t->len = i - start;
		lx->pos = i;
	} else {
		t->kind = TOK_OTHER;
		t->len = 1;
		lx->pos = start + 1;
	}
	t->end = lx->pos;
	return true;
}

static bool tok_is(const struct token *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == TOK_IDENT && t->len == n && memcmp(t->text, word, n) == 0;
}

static bool tok_is_char(const struct token *t, char c)
{
	return t->kind == TOK_OTHER && t->len == 1 && t->text[0] == c;
}

static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > SCAN_NAME_MAX || !is_letter((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_ident_char((unsigned char)s[i]))
			return false;
	return true;
}

bool scan_is_module_name(const char *s)
{
	return s && name_ok(s, strnlen(s, SCAN_NAME_MAX + 1));
}

/* A list of module names without repeats (imports, references), with a
 * hash index so de-duplication stays linear even for a hostile file with
 * a huge IMPORTS list.  Slots hold an index into the list plus one; 0 is
 * empty. */
struct name_list {
	char ***names;   /* the module's array */
	size_t *n;       /* and its count */
	size_t *slots;
	size_t cap;      /* power of two */
};

static void name_list_rehash(struct name_list *l)
{
	free(l->slots);
	l->cap = l->cap ? l->cap * 2 : 16;
	l->slots = xcalloc(l->cap, sizeof(*l->slots));
	for (size_t k = 0; k < *l->n; k++) {
		const char *s = (*l->names)[k];
		size_t i = hash_bytes(s, strlen(s)) & (l->cap - 1);
		while (l->slots[i])
			i = (i + 1) & (l->cap - 1);
		l->slots[i] = k + 1;
	}
}

/* Attach to a (new, empty) module's array. */
static void name_list_reset(struct name_list *l, char ***names, size_t *n)
{
	l->names = names;
	l->n = n;
	/* a big table from a module with huge lists is dropped, not
	 * cleared: clearing it for each of many small modules after it
	 * would cost time quadratic in the input */
	if (l->cap > 64) {
		free(l->slots);
		l->slots = NULL;
		l->cap = 0;
	} else if (l->slots) {
		memset(l->slots, 0, l->cap * sizeof(*l->slots));
	}
}

/* The slot holding name, or the empty slot where it would go. */
static size_t name_list_slot(const struct name_list *l, const char *name,
			     size_t n)
{
	size_t i = hash_bytes(name, n) & (l->cap - 1);
	while (l->slots[i]) {
		const char *s = (*l->names)[l->slots[i] - 1];
		if (strlen(s) == n && memcmp(s, name, n) == 0)
			break;
		i = (i + 1) & (l->cap - 1);
	}
	return i;
}

static bool name_list_has(const struct name_list *l, const char *name)
{
	return l->cap && l->slots[name_list_slot(l, name, strlen(name))];
}

/* Append name unless present. */
static void name_list_add(struct name_list *l, const char *name, size_t n)
{
	if ((*l->n + 1) * 2 > l->cap)
		name_list_rehash(l);
	size_t i = name_list_slot(l, name, n);
	if (l->slots[i])
		return;
	/* grow the array in powers of two: the count is all we keep */
	size_t k = *l->n;
	if ((k & (k - 1)) == 0)
		*l->names = xreallocarray(*l->names, k ? k * 2 : 4,
					  sizeof(**l->names));
	(*l->names)[k] = xstrndup(name, n);
	*l->n = k + 1;
	l->slots[i] = k + 1;
}

enum header_state {
	HDR_NONE,
	HDR_DEFINITIONS,  /* saw NAME DEFINITIONS [tag words] */
	HDR_ASSIGN,       /* ... and "::=", waiting for BEGIN */
};

struct scanner {
	struct scan_result *res;
	size_t cap;
	enum header_state hdr;
	struct token hdr_name;
	/* for "NAME { oid } DEFINITIONS": braces are counted so the word
	 * before an outermost "{...}" is known when its "}" comes */
	size_t brace_depth;
	struct token brace_owner;
	bool brace_owned;     /* the outermost '{' followed a word */
	bool group_closed;    /* the last token closed such a group */
	struct scan_module *cur;  /* open module, or NULL */
	bool bad_name_seen;   /* "X DEFINITIONS" where X is no module name */
	bool in_imports;
	bool after_from;
	bool after_last_updated;
	bool after_reference;  /* saw MODULE or SUPPORTS */
	int macro_step;    /* 1: saw MACRO, 2: saw MACRO ::= */
	size_t macro_depth;  /* open "MACRO ::= BEGIN" bodies, each with
				an END of its own (SNMPv2-SMI has several) */
	struct name_list imports;
	struct name_list references;
};

/* References to modules also imported, or to the module itself, say
 * nothing new: drop them. */
static void prune_references(struct scanner *s, struct scan_module *m)
{
	size_t kept = 0;
	for (size_t i = 0; i < m->n_references; i++) {
		char *r = m->references[i];
		if (strcmp(r, m->name) == 0 || name_list_has(&s->imports, r))
			free(r);
		else
			m->references[kept++] = r;
	}
	m->n_references = kept;
}

static void close_module(struct scanner *s, size_t end, int last_line,
			 bool complete)
{
	struct scan_module *m = s->cur;
	prune_references(s, m);
	m->end = end < m->begin ? m->begin : end;
	m->last_line = last_line < m->first_line ? m->first_line : last_line;
	m->complete = complete;
	s->cur = NULL;
}

static void open_module(struct scanner *s, const struct token *name)
{
	struct scan_result *r = s->res;
	if (s->cur) /* no END: it ends where the next one starts */
		close_module(s, name->line_start, name->line - 1, false);
	if (r->n_modules == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 2;
		r->modules = xreallocarray(r->modules, s->cap,
					   sizeof(*r->modules));
	}
	struct scan_module *m = &r->modules[r->n_modules++];
	memset(m, 0, sizeof(*m));
	m->name = xstrndup(name->text, name->len);
	m->first_line = name->line;
	m->may_redefine = true;
	m->begin = name->line_start;
	s->cur = m;
	s->in_imports = s->after_from = s->after_last_updated = false;
	s->after_reference = false;
	s->macro_step = 0;
	s->macro_depth = 0;
	s->brace_depth = 0;
	name_list_reset(&s->imports, &m->imports, &m->n_imports);
	name_list_reset(&s->references, &m->references, &m->n_references);
}

static bool is_tag_word(const struct token *t)
{
	return tok_is(t, "IMPLICIT") || tok_is(t, "EXPLICIT") ||
	       tok_is(t, "AUTOMATIC") || tok_is(t, "TAGS") ||
	       tok_is(t, "EXTENSIBILITY") || tok_is(t, "IMPLIED");
}

/* Follow "NAME DEFINITIONS [tags] ::= BEGIN"; true when t completed a
 * header (t is then BEGIN and belongs to no module body). */
static bool track_header(struct scanner *s, const struct token *t,
			 const struct token *prev)
{
	if (tok_is(t, "DEFINITIONS")) {
		/* ASN.1 allows an OID between the name and DEFINITIONS */
		if (prev && tok_is_char(prev, '}') && s->group_closed)
			prev = &s->brace_owner;
		/* The name must stand alone: "../../x DEFINITIONS" has the
		 * word x after a '/', and is no declaration of x. */
		bool ok = prev && prev->kind == TOK_IDENT && prev->sep_before &&
			  name_ok(prev->text, prev->len);
		s->hdr = ok ? HDR_DEFINITIONS : HDR_NONE;
		if (ok)
			s->hdr_name = *prev;
		else if (prev)
			s->bad_name_seen = true;
		return false;
	}
	switch (s->hdr) {
	case HDR_DEFINITIONS:
		if (t->kind == TOK_ASSIGN)
			s->hdr = HDR_ASSIGN;
		else if (!is_tag_word(t))
			s->hdr = HDR_NONE;
		return false;
	case HDR_ASSIGN:
		s->hdr = HDR_NONE;
		if (!tok_is(t, "BEGIN"))
			return false;
		open_module(s, &s->hdr_name);
		return true;
	case HDR_NONE:
		break;
	}
	return false;
}

static void track_braces(struct scanner *s, const struct token *t,
			 const struct token *prev)
{
	s->group_closed = false;
	if (tok_is_char(t, '{')) {
		if (s->brace_depth == 0) {
			s->brace_owned = prev && prev->kind == TOK_IDENT;
			if (s->brace_owned)
				s->brace_owner = *prev;
		}
		if (s->brace_depth < SIZE_MAX)
			s->brace_depth++;
	} else if (tok_is_char(t, '}') && s->brace_depth > 0) {
		s->brace_depth--;
		s->group_closed = s->brace_depth == 0 && s->brace_owned;
	}
}

/* Words that may follow a bare MODULE ("this module") in a
 * MODULE-COMPLIANCE: no module names. */
static bool is_compliance_word(const struct token *t)
{
	return tok_is(t, "MANDATORY-GROUPS") || tok_is(t, "GROUP") ||
	       tok_is(t, "OBJECT") || tok_is(t, "MODULE") ||
	       tok_is(t, "STATUS") || tok_is(t, "DESCRIPTION") ||
	       tok_is(t, "REFERENCE");
}

/* What a module body contributes: imports, references, LAST-UPDATED,
 * its END. */
static void track_body(struct scanner *s, const struct token *t)
{
	struct scan_module *m = s->cur;
	bool after_from = s->after_from;
	bool after_lu = s->after_last_updated;
	bool after_ref = s->after_reference;
	int macro_step = s->macro_step;
	s->after_from = s->after_last_updated = s->after_reference = false;
	s->macro_step = 0;

	if (macro_step == 1 && t->kind == TOK_ASSIGN) {
		s->macro_step = 2;
		return;
	}
	if (macro_step == 2 && tok_is(t, "BEGIN")) {
		s->macro_depth++;
		return;
	}

	if (after_from && t->kind == TOK_IDENT) {
		/* the module name; a "{ oid }" after it is just skipped */
		if (name_ok(t->text, t->len))
			name_list_add(&s->imports, t->text, t->len);
		return;
	}
	if (after_ref && t->kind == TOK_IDENT && !is_compliance_word(t)) {
		if (name_ok(t->text, t->len))
			name_list_add(&s->references, t->text, t->len);
		return;
	}
	if (after_lu && t->kind == TOK_STRING) {
		const char *v = t->text;
		size_t n = t->len;
		while (n && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
			v++, n--;
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
			     v[n - 1] == '\r' || v[n - 1] == '\n'))
			n--;
		if (n <= SCAN_LAST_UPDATED_MAX)
			m->last_updated = xstrndup(v, n);
		return;
	}
	if (t->kind == TOK_IDENT) {
		if (tok_is(t, "END") && s->macro_depth > 0)
			s->macro_depth--;
		else if (tok_is(t, "END")) {
			close_module(s, t->end, t->line, true);
			s->brace_depth = 0; /* whatever it left open */
		}
		else if (tok_is(t, "MACRO"))
			s->macro_step = 1;
		else if (s->macro_depth == 0 &&
			 (tok_is(t, "MODULE") || tok_is(t, "SUPPORTS")))
			s->after_reference = true;
		else if (tok_is(t, "IMPORTS"))
			s->in_imports = true;
		else if (s->in_imports && tok_is(t, "FROM"))
			s->after_from = true;
		else if (!m->last_updated && tok_is(t, "LAST-UPDATED"))
			s->after_last_updated = true;
	} else if (s->in_imports && tok_is_char(t, ';')) {
		s->in_imports = false;
	}
}

static bool starts_with_nocase(const char *p, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)word[i])
			return false;
	}
	return true;
}

/* Length of a valid UTF-8 sequence at p (1 for ASCII), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];
	size_t n;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Binary when the start holds a NUL, or when control bytes and bytes that
 * are not UTF-8 make up over 30% of it: Latin-1 text has a few such bytes,
 * random or compressed data about half. */
static bool looks_binary(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t n = len < SCAN_SNIFF_BYTES ? len : SCAN_SNIFF_BYTES;
	size_t odd = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == 0)
			return true;
		size_t k = utf8_len(p + i, n - i);
		if (k == 0 || (c < 0x20 && c != '\t' && c != '\n' &&
			       c != '\r' && c != '\f' && c != '\v') ||
		    c == 0x7F) {
			odd++;
			k = 1;
		}
		i += k;
	}
	return odd * 10 > n * 3;
}

/* Documents that may quote a MIB (an RFC as PDF or HTML) but are none:
 * known by their first bytes. */
static const char *document_kind(const char *data, size_t len)
{
	if (len >= 4 && memcmp(data, "%PDF", 4) == 0)
		return "a PDF document";
	if (len >= 4 && (memcmp(data, "PK\3\4", 4) == 0 ||
			 memcmp(data, "PK\5\6", 4) == 0))
		return "a zip archive";
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
			   data[i] == '\r' || data[i] == '\n' ||
			   data[i] == '\f' || data[i] == '\v'))
		i++;
	/* A saved web page may open with a comment or an XML declaration. */
	if (starts_with_nocase(data + i, len - i, "<html") ||
	    starts_with_nocase(data + i, len - i, "<!doctype html") ||
	    starts_with_nocase(data + i, len - i, "<!--") ||
	    starts_with_nocase(data + i, len - i, "<?xml"))
		return "an HTML page";
	return NULL;
}

const char *scan_sniff(const char *data, size_t len)
{
	const char *document = document_kind(data, len);
	if (document)
		return document;
	/* Control bytes (NUL included) in over 5% of the bytes: a stray one
	 * in a vendor's MIB is no proof, and high bytes are not counted, as
	 * a MIB may open with a long comment in GBK or Latin-1. */
	size_t controls = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		     c != '\f' && c != '\v') || c == 0x7F)
			controls++;
	}
	if (len >= 64 && controls * 20 > len)
		return "binary data";
	return NULL;
}

/* The line of the last byte: where a module without END ends. */
static int last_line_of(const struct lexer *lx)
{
	if (lx->len > 0 && lx->p[lx->len - 1] == '\n' && lx->line > 1)
		return lx->line - 1;
	return lx->line;
}

static bool tok_in(const struct token *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(t, words[i]))
			return true;
	return false;
}

/* Keywords that start a definition's right-hand side: the word before
 * them is the name defined. */
static bool is_definition_macro(const struct token *t)
{
	static const char *const words[] = {
		"OBJECT-TYPE", "MODULE-IDENTITY", "OBJECT-IDENTITY",
		"NOTIFICATION-TYPE", "TRAP-TYPE", "OBJECT-GROUP",
		"NOTIFICATION-GROUP", "MODULE-COMPLIANCE", "AGENT-CAPABILITIES",
		"TEXTUAL-CONVENTION", "MACRO",
	};
	return tok_in(t, words, sizeof(words) / sizeof(words[0]));
}

/* Words between a name and "::=" that are not the name
 * ("x OBJECT IDENTIFIER ::=", "M DEFINITIONS ::="). */
static bool is_type_word(const struct token *t)
{
	static const char *const words[] = {
		"OBJECT", "IDENTIFIER", "INTEGER", "OCTET", "STRING", "BITS",
		"SEQUENCE", "OF", "CHOICE", "DEFINITIONS",
	};
	return tok_in(t, words, sizeof(words) / sizeof(words[0]));
}

/* Add a defined name; true when it was there already. */
static bool defined_twice(struct name_list *l, const struct token *t)
{
	if (l->cap && l->slots[name_list_slot(l, t->text, t->len)])
		return true;
	name_list_add(l, t->text, t->len);
	return false;
}

/* Clause keywords: the word after one of them, before "::=", is a value
 * ("STATUS mandatory ::=" in an SMIv1 OBJECT-TYPE without DESCRIPTION),
 * not a name. */
static bool is_clause_word(const struct token *t)
{
	static const char *const words[] = {
		"SYNTAX", "WRITE-SYNTAX", "ACCESS", "MAX-ACCESS", "MIN-ACCESS",
		"STATUS", "ENTERPRISE", "UNITS", "DISPLAY-HINT", "DESCRIPTION",
		"REFERENCE", "PRODUCT-RELEASE", "LAST-UPDATED", "ORGANIZATION",
		"CONTACT-INFO", "REVISION",
	};
	return tok_in(t, words, sizeof(words) / sizeof(words[0]));
}

bool scan_may_redefine(const char *data, size_t len)
{
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		return true;
	struct lexer lx = { .p = data, .len = len, .line = 1 };
	char **names = NULL;
	size_t n = 0;
	struct name_list defined = { 0 };
	name_list_reset(&defined, &names, &n);
	struct token t, back[4]; /* back[0]: the previous token */
	size_t n_back = 0;
	bool smi = false, twice = false;

	while (!twice && lex_next(&lx, &t)) {
		if (tok_is(&t, "DEFINITIONS"))
			smi = true;
		if (t.kind == TOK_ASSIGN) {
			/* the name: the word before "::=", or before the
			 * type words ("x OBJECT IDENTIFIER ::=") */
			size_t k = 0;
			while (k < 2 && k < n_back && back[k].kind == TOK_IDENT &&
			       is_type_word(&back[k]))
				k++;
			if (k < n_back && back[k].kind == TOK_IDENT &&
			    !is_type_word(&back[k]) &&
			    !(k + 1 < n_back && back[k + 1].kind == TOK_IDENT &&
			      is_clause_word(&back[k + 1])))
				twice = defined_twice(&defined, &back[k]);
		} else if (n_back > 0 && back[0].kind == TOK_IDENT &&
			   is_definition_macro(&t)) {
			twice = defined_twice(&defined, &back[0]);
		}
		memmove(&back[1], &back[0], 3 * sizeof(back[0]));
		back[0] = t;
		if (n_back < 4)
			n_back++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(defined.slots);
	return twice || !smi;
}

int scan_buffer(const char *data, size_t len, struct scan_result *out)
{
	memset(out, 0, sizeof(*out));
	const char *document = document_kind(data, len);
	if (document) {
		out->verdict = SCAN_NOT_MIB;
		out->what = document;
		return 0;
	}
	struct lexer lx = { .p = data, .len = len, .line = 1 };
	/* A UTF-8 byte order mark is not part of the first token. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		lx.pos = lx.line_start = lx.text_start = 3;
	struct scanner s = { .res = out };
	struct token t, prev;
	bool have_prev = false;

	while (lex_next(&lx, &t)) {
		bool header = track_header(&s, &t, have_prev ? &prev : NULL);
		if (s.cur && !header)
			track_body(&s, &t);
		track_braces(&s, &t, have_prev ? &prev : NULL);
		prev = t;
		have_prev = true;
	}
	if (s.cur)
		close_module(&s, len, last_line_of(&lx), false);
	free(s.imports.slots);
	free(s.references.slots);

	if (out->n_modules > 0) {
		out->verdict = SCAN_MIB;
	} else if (!have_prev) {
		out->verdict = SCAN_EMPTY;
		out->what = len ? "only comments and blank lines, no module" : "an empty file";
	} else {
		out->verdict = SCAN_NOT_MIB;
		out->what = looks_binary(data, len) ? "binary data"
			    : s.bad_name_seen ? "its DEFINITIONS has no valid module name "
						"(a letter, then letters, digits, '-' or '_'; "
						"at most 128)"
			    : "text without a MIB module definition";
	}
	return 0;
}

void scan_result_free(struct scan_result *result)
{
	if (!result)
		return;
	for (size_t i = 0; i < result->n_modules; i++) {
		struct scan_module *m = &result->modules[i];
		free(m->name);
		for (size_t k = 0; k < m->n_imports; k++)
			free(m->imports[k]);
		free(m->imports);
		for (size_t k = 0; k < m->n_references; k++)
			free(m->references[k]);
		free(m->references);
		free(m->last_updated);
	}
	free(result->modules);
	memset(result, 0, sizeof(*result));
}
