/* Formatted text for the generator.  What mibc writes and names is mostly
 * literal text and strings: these functions format %s, %.*s, %c, %d, %u,
 * %zu and their l / ll forms themselves (unlocked, in one pass) and hand
 * any other format to the C library.  On a one-module run vfprintf and
 * vsnprintf were ~15 % of mibc's instructions. */
#ifndef MIBC_TEXTOUT_H
#define MIBC_TEXTOUT_H

#include <stdarg.h>
#include <stdio.h>

void text_vprintf(FILE *out, const char *fmt, va_list ap);
void text_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The formatted text, malloc'd (exits on out of memory, as xmalloc). */
char *text_vformat(const char *fmt, va_list ap);

#endif
