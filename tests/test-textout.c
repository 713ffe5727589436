/* The generator's own formatter (mibc/textout.c) against the C library's
 * snprintf, for every conversion it formats itself and at the edges of
 * each integer type, to a new string and appended to a buffer; and
 * formats it does not handle reach the C library unchanged. */
#include <check.h>
#include <limits.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "textout.h"

static char *formatted(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *formatted(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = text_vformat(fmt, ap);
	va_end(ap);
	return s;
}

/* Appended to a buffer that already holds text (as the generator writes
 * a file): the text before is kept, the new text follows it, malloc'd. */
static char *appended(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *appended(const char *fmt, ...)
{
	static const char before[] = "earlier text;";
	struct textbuf b = { 0 };
	textbuf_put(&b, before, sizeof(before) - 1);
	va_list ap;
	va_start(ap, fmt);
	textbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	ck_assert_uint_eq(strlen(b.p), b.len);
	ck_assert(strncmp(b.p, before, sizeof(before) - 1) == 0);
	char *s = strdup(b.p + sizeof(before) - 1);
	textbuf_free(&b);
	return s;
}

/* Both forms of ours (a new string, appended to a buffer), then snprintf, on the same arguments. */
#define SAME(...)                                                          \
	do {                                                               \
		char want[512];                                            \
		snprintf(want, sizeof(want), __VA_ARGS__);                 \
		char *a = formatted(__VA_ARGS__), *b = appended(__VA_ARGS__); \
		ck_assert_str_eq(a, want);                                 \
		ck_assert_str_eq(b, want);                                 \
		free(a);                                                   \
		free(b);                                                   \
	} while (0)

START_TEST(strings)
{
	SAME("%s", "");
	SAME("plain text, no conversion");
	SAME("%s%s_%s", "if_mib_", "if_descr", "get");
	SAME("100%% of %s", "it");
	SAME("%c%c", 'a', '\n');
	SAME("%.*s|", 3, "abcdef");
	SAME("%.*s|", 0, "abcdef");
	SAME("%.*s|", 10, "abc");
	SAME("%.*s|", -1, "abcdef");
	SAME("trailing %s", "end");
	SAME("%s", "a long string that is longer than the first buffer of sixty-four bytes, surely");
	/* longer than the 256 bytes text_vformat formats on the stack: moved
	 * to the heap midway, in a literal and in an argument */
	char many[301];
	memset(many, 'x', 300);
	many[300] = '\0';
	SAME("%s", many);
	SAME("%s|%s", many + 100, many + 100);
	SAME("0123456789012345678901234567890123456789012345678901234567890123456789"
	     "0123456789012345678901234567890123456789012345678901234567890123456789"
	     "0123456789012345678901234567890123456789012345678901234567890123456789"
	     "0123456789012345678901234567890123456789012345678901234567890123456789 %d", 7);
	SAME("%s %#x", many + 60, 255u); /* C library fallback, past 256 */
}
END_TEST

START_TEST(numbers)
{
	SAME("%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%ld %ld %lu", LONG_MAX, LONG_MIN, ULONG_MAX);
	SAME("%lld %lld %llu", LLONG_MAX, LLONG_MIN, ULLONG_MAX);
	SAME("%zu %zu", (size_t)0, SIZE_MAX);
	SAME("%" PRId64 " %" PRIu64 " %" PRIu32, INT64_MIN, UINT64_MAX, UINT32_MAX);
	SAME("x%dy%sz%zu", 42, "mid", (size_t)7);
}
END_TEST

START_TEST(other_formats_to_the_library)
{
	SAME("\\%03o", 7);
	SAME("%5d|%-4s|", 42, "ab");
	SAME("%x %08.3f", 255u, 3.14159);
	SAME("%s and %x", "mixed", 16u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("textout");
	TCase *tc = tcase_create("textout");
	tcase_add_test(tc, strings);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, other_formats_to_the_library);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
