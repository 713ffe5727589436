/* Formatted output for the emitters.  What they write is mostly literal
 * text and strings: text_vprintf formats %s, %.*s, %c, %d, %u, %zu and
 * their l / ll forms itself, unlocked, and hands any other format to
 * vfprintf.  On a one-module run vfprintf alone was ~6 % of mibc's CPU. */
#ifndef MIBC_TEXTOUT_H
#define MIBC_TEXTOUT_H

#include <stdarg.h>
#include <stdio.h>

void text_vprintf(FILE *out, const char *fmt, va_list ap);
void text_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
