#include "textout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Where formatted text goes: a stream (through a small buffer, so a
 * call costs one fwrite), or a growing malloc'd string. */
struct sink {
	FILE *out;
	char *buf;
	size_t len, cap;
	char pending[512];
};

static void flush(struct sink *k)
{
	fwrite_unlocked(k->buf, 1, k->len, k->out);
	k->len = 0;
}

static void put(struct sink *k, const char *p, size_t n)
{
	if (k->cap - k->len <= n) {
		if (k->out) {
			flush(k);
			if (n >= k->cap) {
				fwrite_unlocked(p, 1, n, k->out);
				return;
			}
		} else {
			while (k->cap - k->len <= n)
				k->cap *= 2;
			k->buf = xrealloc(k->buf, k->cap);
		}
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
}

/* Length modifiers handled here. */
enum width { W_INT, W_LONG, W_LLONG, W_SIZE };

/* Does fmt use only the conversions formatted here? */
static bool handled(const char *fmt)
{
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
		p++;
		if (*p == '%' || *p == 's' || *p == 'c') {
			p++;
			continue;
		}
		if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
			p += 3;
			continue;
		}
		if (*p == 'z')
			p++;
		else
			for (int l = 0; l < 2 && *p == 'l'; l++)
				p++;
		if (*p != 'd' && *p != 'u')
			return false;
		p++;
	}
	return true;
}

static void put_magnitude(struct sink *k, unsigned long long v, bool negative)
{
	char digits[24];
	size_t n = sizeof(digits);
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[--n] = '-';
	put(k, digits + n, sizeof(digits) - n);
}

static void put_signed(struct sink *k, long long v)
{
	/* the magnitude of LLONG_MIN does not fit a long long */
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	put_magnitude(k, m, v < 0);
}

static void put_number(struct sink *k, char conv, enum width w, va_list *ap)
{
	if (conv == 'd') {
		switch (w) {
		case W_INT: put_signed(k, va_arg(*ap, int)); break;
		case W_LONG: put_signed(k, va_arg(*ap, long)); break;
		case W_LLONG: put_signed(k, va_arg(*ap, long long)); break;
		case W_SIZE: put_signed(k, (long long)va_arg(*ap, size_t)); break;
		}
		return;
	}
	switch (w) {
	case W_INT: put_magnitude(k, va_arg(*ap, unsigned), false); break;
	case W_LONG: put_magnitude(k, va_arg(*ap, unsigned long), false); break;
	case W_LLONG: put_magnitude(k, va_arg(*ap, unsigned long long), false); break;
	case W_SIZE: put_magnitude(k, va_arg(*ap, size_t), false); break;
	}
}

/* fmt must pass handled(). */
static void format(struct sink *k, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	const char *p = fmt;
	for (;;) {
		const char *pct = strchr(p, '%');
		size_t lit = pct ? (size_t)(pct - p) : strlen(p);
		if (lit)
			put(k, p, lit);
		if (!pct)
			break;
		p = pct + 1;
		if (*p == '%') {
			put(k, "%", 1);
			p++;
		} else if (*p == 's') {
			const char *s = va_arg(args, const char *);
			if (!s)
				s = "(null)"; /* as glibc */
			put(k, s, strlen(s));
			p++;
		} else if (*p == 'c') {
			char c = (char)va_arg(args, int);
			put(k, &c, 1);
			p++;
		} else if (*p == '.') {
			int len = va_arg(args, int);
			const char *s = va_arg(args, const char *);
			/* as printf: at most len bytes, up to a NUL; a
			 * negative precision is no precision */
			put(k, s, len < 0 ? strlen(s) : strnlen(s, (size_t)len));
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
			put_number(k, *p, w, &args);
			p++;
		}
	}
	va_end(args);
}

void text_vprintf(FILE *out, const char *fmt, va_list ap)
{
	if (!handled(fmt)) {
		vfprintf(out, fmt, ap);
		return;
	}
	struct sink k = { .out = out, .cap = sizeof(k.pending) };
	k.buf = k.pending;
	format(&k, fmt, ap);
	flush(&k);
}

void text_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(out, fmt, ap);
	va_end(ap);
}

char *text_vformat(const char *fmt, va_list ap)
{
	if (!handled(fmt))
		return xvasprintf(fmt, ap);
	struct sink k = { .cap = 64 };
	k.buf = xmalloc(k.cap);
	format(&k, fmt, ap);
	k.buf[k.len] = '\0';
	return k.buf;
}
