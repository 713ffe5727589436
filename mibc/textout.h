/* Formatted text for the generator.  What mibc writes and names is mostly
 * literal text and strings: these functions format %s, %.*s, %c, %d, %u,
 * %zu and their l / ll forms themselves, in one pass, and hand any other
 * format to the C library.  On a one-module run vfprintf and vsnprintf
 * were ~15 % of mibc's instructions. */
#ifndef MIBC_TEXTOUT_H
#define MIBC_TEXTOUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Text built in memory: an output file is written with one fwrite. */
struct textbuf {
	char *p;
	size_t len, cap;
	/* p is the caller's storage (cap bytes): moved to the heap when the
	 * text outgrows it, never freed here */
	bool borrowed;
};

/* Make room for n more bytes and a NUL. */
void textbuf_grow(struct textbuf *b, size_t n);

/* Append fmt formatted. */
void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap);
void textbuf_free(struct textbuf *b);

/* Append bytes (inline: the generator puts text a few bytes at a time).
 * The text stays NUL-terminated. */
static inline void textbuf_put(struct textbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n)
		textbuf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void textbuf_putc(struct textbuf *b, char c)
{
	if (b->cap - b->len <= 1)
		textbuf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* The formatted text, malloc'd (exits on out of memory, as xmalloc). */
char *text_vformat(const char *fmt, va_list ap);

#endif
