#include "textout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

void textbuf_grow(struct textbuf *b, size_t n)
{
	if (b->cap - b->len > n)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= n)
		cap *= 2;
	if (b->borrowed) {
		char *p = xmalloc(cap);
		memcpy(p, b->p, b->len);
		b->p = p;
		b->borrowed = false;
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
}

/* Append without the NUL: format() ends the text once, at its end. */
static inline void put_raw(struct textbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n)
		textbuf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void textbuf_free(struct textbuf *b)
{
	if (!b->borrowed)
		free(b->p);
	*b = (struct textbuf){ 0 };
}

/* Length modifiers handled here. */
enum width { W_INT, W_LONG, W_LLONG, W_SIZE };

static void put_magnitude(struct textbuf *b, unsigned long long v, bool negative)
{
	char digits[24];
	size_t n = sizeof(digits);
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[--n] = '-';
	put_raw(b, digits + n, sizeof(digits) - n);
}

static void put_signed(struct textbuf *b, long long v)
{
	/* the magnitude of LLONG_MIN does not fit a long long */
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	put_magnitude(b, m, v < 0);
}

static void put_number(struct textbuf *b, char conv, enum width w, va_list *ap)
{
	if (conv == 'd') {
		switch (w) {
		case W_INT: put_signed(b, va_arg(*ap, int)); break;
		case W_LONG: put_signed(b, va_arg(*ap, long)); break;
		case W_LLONG: put_signed(b, va_arg(*ap, long long)); break;
		case W_SIZE: put_signed(b, (long long)va_arg(*ap, size_t)); break;
		}
		return;
	}
	switch (w) {
	case W_INT: put_magnitude(b, va_arg(*ap, unsigned), false); break;
	case W_LONG: put_magnitude(b, va_arg(*ap, unsigned long), false); break;
	case W_LLONG: put_magnitude(b, va_arg(*ap, unsigned long long), false); break;
	case W_SIZE: put_magnitude(b, va_arg(*ap, size_t), false); break;
	}
}

/* Append fmt formatted; false (b as it was, nothing consumed from ap)
 * when fmt has a conversion not handled here. */
static bool format(struct textbuf *b, const char *fmt, va_list ap)
{
	size_t start = b->len;
	va_list args;
	va_copy(args, ap);
	const char *p = fmt;
	bool ok = true;
	for (;;) {
		const char *lit = p;
		p = strchrnul(p, '%');
		if (p > lit)
			put_raw(b, lit, (size_t)(p - lit));
		if (!*p)
			break;
		p++;
		if (*p == '%') {
			put_raw(b, "%", 1);
			p++;
		} else if (*p == 's') {
			const char *s = va_arg(args, const char *);
			if (!s)
				s = "(null)"; /* as glibc */
			put_raw(b, s, strlen(s));
			p++;
		} else if (*p == 'c') {
			char c = (char)va_arg(args, int);
			put_raw(b, &c, 1);
			p++;
		} else if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
			int len = va_arg(args, int);
			const char *s = va_arg(args, const char *);
			/* as printf: at most len bytes, up to a NUL; a
			 * negative precision is no precision */
			put_raw(b, s, len < 0 ? strlen(s) : strnlen(s, (size_t)len));
			p += 3;
		} else {
			enum width w = W_INT;
			if (*p == 'z') {
				w = W_SIZE;
				p++;
			} else if (*p == 'l') {
				w = p[1] == 'l' ? W_LLONG : W_LONG;
				p += w == W_LLONG ? 2 : 1;
			}
			if (*p != 'd' && *p != 'u') {
				ok = false;
				break;
			}
			put_number(b, *p, w, &args);
			p++;
		}
	}
	va_end(args);
	if (!ok)
		b->len = start;
	if (b->p)
		b->p[b->len] = '\0';
	return ok;
}

void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap)
{
	/* (no format, no text; GCC with the sanitizers otherwise sees a
	 * path to vsnprintf with a null format) */
	if (!fmt)
		return;
	if (format(b, fmt, ap))
		return;
	va_list size_ap;
	va_copy(size_ap, ap);
	int n = vsnprintf(NULL, 0, fmt, size_ap);
	va_end(size_ap);
	if (n <= 0)
		return;
	textbuf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

char *text_vformat(const char *fmt, va_list ap)
{
	/* most are names: formatted on the stack, then one malloc of their
	 * size (they are kept by the thousand) */
	char local[256];
	struct textbuf b = { local, 0, sizeof(local), true };
	textbuf_vprintf(&b, fmt, ap);
	if (!b.borrowed)
		return xrealloc(b.p, b.len + 1);
	char *s = xmalloc(b.len + 1);
	memcpy(s, local, b.len + 1);
	return s;
}
