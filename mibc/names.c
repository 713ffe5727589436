/* C identifiers for MIB names: see names.h. */
#include "names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_upper(c) || is_lower(c) || is_digit(c); }
static char to_lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 'a' + 'A') : c; }

/* Upper-case runs that are words of their own even when lower-case letters
 * follow directly: IANAifType is IANA + if + Type. */
static const char *const acronyms[] = {"IANA"};

static bool is_acronym(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(acronyms) / sizeof(acronyms[0]); i++)
		if (strlen(acronyms[i]) == len && memcmp(acronyms[i], s, len) == 0)
			return true;
	return false;
}

/* Appends to the output buffer, inserting a '_' between words. */
struct out {
	char *s;
	size_t len;
	bool want_sep;
};

static void out_char(struct out *o, char c)
{
	if (o->want_sep && o->len > 0)
		o->s[o->len++] = '_';
	o->want_sep = false;
	o->s[o->len++] = to_lower(c);
}

char *names_snake(const char *smi_name)
{
	const char *s = smi_name ? smi_name : "";
	size_t n = strlen(s);
	struct out o = {.s = xmalloc(2 * n + 2), .len = 0, .want_sep = false};

	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (!is_alnum(c)) {
			o.want_sep = true;
			i++;
			continue;
		}
		if (is_upper(c)) {
			/* An upper-case run s[i..j) and what follows it. */
			size_t j = i;
			while (j < n && is_upper(s[j]))
				j++;
			size_t run = j - i;
			/* A word boundary before the run when it follows a
			 * lower-case letter or digit. */
			if (i > 0 && (is_lower(s[i - 1]) || is_digit(s[i - 1])))
				o.want_sep = true;
			bool lower_follows = j < n && is_lower(s[j]);
			/* "IPv6", "SNMPv2", "OSPFv3": one lower-case letter then a
			 * digit stays with the run. */
			bool version = lower_follows && j + 1 < n
				       && is_digit(s[j + 1])
				       && (j + 2 >= n || !is_lower(s[j + 2]));
			if (!lower_follows || version || run == 1) {
				for (size_t k = i; k < j; k++)
					out_char(&o, s[k]);
				if (version) {
					/* keep the letter and digits in the word */
					out_char(&o, s[j]);
					j++;
					while (j < n && is_digit(s[j]))
						out_char(&o, s[j++]);
				}
				i = j;
				continue;
			}
			if (is_acronym(s + i, run)) {
				for (size_t k = i; k < j; k++)
					out_char(&o, s[k]);
				o.want_sep = true;
				i = j;
				continue;
			}
			/* "HCInOctets": HC + InOctets */
			for (size_t k = i; k + 1 < j; k++)
				out_char(&o, s[k]);
			o.want_sep = true;
			out_char(&o, s[j - 1]);
			i = j;
			continue;
		}
		out_char(&o, c);
		i++;
	}
	if (o.len == 0)
		o.s[o.len++] = 'x';
	o.s[o.len] = '\0';
	return o.s;
}

char *names_upper(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		*p = to_upper(*p);
	return r;
}

char *names_module_prefix(const char *module)
{
	const char *s = module ? module : "";
	size_t n = strlen(s);
	char *r = xmalloc(n + 2);
	size_t len = 0;
	bool sep = false;
	for (size_t i = 0; i < n; i++) {
		if (!is_alnum(s[i])) {
			sep = true;
			continue;
		}
		if (sep && len > 0)
			r[len++] = '_';
		sep = false;
		r[len++] = to_lower(s[i]);
	}
	if (len == 0)
		r[len++] = 'm';
	r[len] = '\0';
	if (is_digit(r[0])) {
		char *t = xasprintf("m%s", r);
		free(r);
		r = t;
	}
	return r;
}

char *names_file_base(const char *module)
{
	const char *s = module ? module : "";
	char *r = xstrdup(s);
	for (char *p = r; *p; p++) {
		if (is_alnum(*p) || *p == '-' || *p == '_')
			*p = to_lower(*p);
		else
			*p = '_';
	}
	return r;
}

static const char *const keywords[] = {
	/* C11 */
	"_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
	"_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "auto",
	"break", "case", "char", "const", "continue", "default", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
	"long", "register", "restrict", "return", "short", "signed", "sizeof",
	"static", "struct", "switch", "typedef", "union", "unsigned", "void",
	"volatile", "while",
	/* C++ */
	"alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool",
	"catch", "char16_t", "char32_t", "char8_t", "class", "compl", "concept",
	"const_cast", "consteval", "constexpr", "constinit", "co_await",
	"co_return", "co_yield", "decltype", "delete", "dynamic_cast",
	"explicit", "export", "false", "friend", "mutable", "namespace", "new",
	"noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
	"private", "protected", "public", "reinterpret_cast", "requires",
	"static_assert", "static_cast", "template", "this", "thread_local",
	"throw", "true", "try", "typeid", "typename", "using", "virtual",
	"wchar_t", "xor", "xor_eq",
	/* macros of the C library and of GNU dialects */
	"assert", "complex", "errno", "imaginary", "noreturn", "offsetof",
	"NULL", "EOF", "stdin", "stdout", "stderr", "linux", "unix", "i386",
	"math_errhandling", "setjmp", "va_arg", "va_copy", "va_end", "va_start",
};

bool names_is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(keywords[i], s) == 0)
			return true;
	return false;
}

char *names_local(const char *smi_name)
{
	char *s = names_snake(smi_name);
	if (is_digit(s[0])) {
		char *t = xasprintf("n%s", s);
		free(s);
		s = t;
	}
	if (names_is_keyword(s)) {
		char *t = xasprintf("%s_", s);
		free(s);
		s = t;
	}
	return s;
}

/* ---- names_map: open addressing ---------------------------------------- */

/* Each slot keeps its name's hash: a probe compares names only when the
 * hashes agree, and growing rehashes no name (the generator looks up
 * every identifier it makes, thousands per module).  The names live in
 * the map's arena: one free. */
struct names_slot {
	const char *name;
	uint64_t hash;
	long owner;
};

struct names_map {
	struct names_slot *slots;
	size_t cap; /* power of two */
	size_t used;
	struct arena names;
};

/* (names are 20-60 bytes: a byte-wise FNV was most of a lookup) */
static uint64_t hash(const char *s)
{
	return hash_bytes(s, strlen(s));
}

struct names_map *names_map_new(void)
{
	struct names_map *m = xcalloc(1, sizeof(*m));
	m->cap = 256;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void names_map_free(struct names_map *map)
{
	if (!map)
		return;
	arena_free(&map->names);
	free(map->slots);
	free(map);
}

static struct names_slot *find_slot(const struct names_map *map,
				    const char *name, uint64_t h)
{
	size_t mask = map->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct names_slot *s = &map->slots[i];
		if (!s->name || (s->hash == h && strcmp(s->name, name) == 0))
			return s;
	}
}

long names_map_get(const struct names_map *map, const char *name)
{
	struct names_slot *s = find_slot(map, name, hash(name));
	return s->name ? s->owner : -1;
}

static void grow(struct names_map *map)
{
	struct names_map bigger = {
		.cap = map->cap * 2,
		.slots = xcalloc(map->cap * 2, sizeof(struct names_slot)),
	};
	size_t mask = bigger.cap - 1;
	for (size_t i = 0; i < map->cap; i++) {
		if (!map->slots[i].name)
			continue;
		size_t k = (size_t)map->slots[i].hash & mask;
		while (bigger.slots[k].name)
			k = (k + 1) & mask;
		bigger.slots[k] = map->slots[i];
	}
	free(map->slots);
	map->slots = bigger.slots;
	map->cap = bigger.cap;
}

long names_map_add(struct names_map *map, const char *name, long owner)
{
	if ((map->used + 1) * 2 > map->cap)
		grow(map);
	uint64_t h = hash(name);
	struct names_slot *s = find_slot(map, name, h);
	if (s->name)
		return s->owner;
	s->name = arena_strdup(&map->names, name);
	s->hash = h;
	s->owner = owner;
	map->used++;
	return owner;
}
