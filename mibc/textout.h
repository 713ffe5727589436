/* Formatted text for the generator.  What mibc writes and names is mostly
 * literal text and strings: these functions format %s, %.*s, %c, %d, %u,
 * %zu and their l / ll forms themselves, in one pass, and hand any other
 * format to the C library.  On a one-module run vfprintf and vsnprintf
 * were ~15 % of mibc's instructions. */
#ifndef MIBC_TEXTOUT_H
#define MIBC_TEXTOUT_H

#include <stdarg.h>
#include <stddef.h>

/* Text built in memory: an output file is written with one fwrite. */
struct textbuf {
	char *p;
	size_t len, cap;
};

/* Append fmt formatted. */
void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap);
void textbuf_put(struct textbuf *b, const char *s, size_t n);
void textbuf_putc(struct textbuf *b, char c);
void textbuf_free(struct textbuf *b);

/* The formatted text, malloc'd (exits on out of memory, as xmalloc). */
char *text_vformat(const char *fmt, va_list ap);

#endif
