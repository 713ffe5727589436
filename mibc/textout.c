#include "textout.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Length modifiers this file understands. */
enum width { W_INT, W_LONG, W_LLONG, W_SIZE };

/* Does fmt use only the conversions text_vprintf formats itself? */
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

static void put_unsigned(FILE *out, unsigned long long v, bool negative)
{
	char digits[24];
	size_t n = sizeof(digits);
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[--n] = '-';
	fwrite_unlocked(digits + n, 1, sizeof(digits) - n, out);
}

static void put_signed(FILE *out, long long v)
{
	/* the magnitude of LLONG_MIN does not fit a long long */
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	put_unsigned(out, m, v < 0);
}

static void put_number(FILE *out, char conv, enum width w, va_list *ap)
{
	if (conv == 'd') {
		switch (w) {
		case W_INT: put_signed(out, va_arg(*ap, int)); break;
		case W_LONG: put_signed(out, va_arg(*ap, long)); break;
		case W_LLONG: put_signed(out, va_arg(*ap, long long)); break;
		case W_SIZE: put_signed(out, (long long)va_arg(*ap, size_t)); break;
		}
		return;
	}
	switch (w) {
	case W_INT: put_unsigned(out, va_arg(*ap, unsigned), false); break;
	case W_LONG: put_unsigned(out, va_arg(*ap, unsigned long), false); break;
	case W_LLONG: put_unsigned(out, va_arg(*ap, unsigned long long), false); break;
	case W_SIZE: put_unsigned(out, va_arg(*ap, size_t), false); break;
	}
}

void text_vprintf(FILE *out, const char *fmt, va_list ap)
{
	if (!handled(fmt)) {
		vfprintf(out, fmt, ap);
		return;
	}
	va_list args;
	va_copy(args, ap);
	const char *p = fmt;
	for (;;) {
		const char *pct = strchr(p, '%');
		size_t lit = pct ? (size_t)(pct - p) : strlen(p);
		if (lit)
			fwrite_unlocked(p, 1, lit, out);
		if (!pct)
			break;
		p = pct + 1;
		if (*p == '%') {
			putc_unlocked('%', out);
			p++;
		} else if (*p == 's') {
			const char *s = va_arg(args, const char *);
			if (!s)
				s = "(null)"; /* as glibc */
			fwrite_unlocked(s, 1, strlen(s), out);
			p++;
		} else if (*p == 'c') {
			putc_unlocked(va_arg(args, int), out);
			p++;
		} else if (*p == '.') {
			int len = va_arg(args, int);
			const char *s = va_arg(args, const char *);
			/* as printf: at most len bytes, up to a NUL */
			fwrite_unlocked(s, 1, len > 0 ? strnlen(s, (size_t)len) : 0, out);
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
			put_number(out, *p, w, &args);
			p++;
		}
	}
	va_end(args);
}

void text_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(out, fmt, ap);
	va_end(ap);
}
