/* mibc's bump allocator (mibc/arena.c): strings (packed, unaligned) and
 * objects (zeroed, aligned for any type) from one arena keep their
 * contents and alignment across blocks, large requests get a block of
 * their own, and arena_free releases everything (ASan and valgrind see
 * the rest). */
#include <check.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "testlib.h"

START_TEST(mixed_strings_and_objects)
{
	struct arena a = { 0 };
	enum { N = 5000 };
	char **strs = calloc(N, sizeof(*strs));
	unsigned char **objs = calloc(N, sizeof(*objs));
	char name[64];
	for (size_t i = 0; i < N; i++) {
		/* odd lengths: each string leaves the next start unaligned */
		snprintf(name, sizeof(name), "module-%zu%.*s", i, (int)(i % 7), "xxxxxxx");
		strs[i] = arena_strdup(&a, name);
		size_t size = 1 + i % 97;
		objs[i] = arena_alloc(&a, size);
		ck_assert_uint_eq((uintptr_t)objs[i] % alignof(max_align_t), 0);
		for (size_t k = 0; k < size; k++)
			ck_assert_uint_eq(objs[i][k], 0);
		memset(objs[i], 0xA5, size);
	}
	for (size_t i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "module-%zu%.*s", i, (int)(i % 7), "xxxxxxx");
		ck_assert_str_eq(strs[i], name);
		ck_assert_uint_eq(objs[i][0], 0xA5);
	}
	ck_assert_ptr_null(arena_strdup(&a, NULL));
	ck_assert_str_eq(arena_strndup(&a, "abcdef", 3), "abc");
	free(strs);
	free(objs);
	arena_free(&a);
	ck_assert_ptr_null(a.head);
}
END_TEST

START_TEST(large_requests)
{
	struct arena a = { 0 };
	char *small = arena_strdup(&a, "s");
	size_t big = 1 << 20;
	unsigned char *p = arena_alloc(&a, big);
	ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
	ck_assert_uint_eq(p[0], 0);
	ck_assert_uint_eq(p[big - 1], 0);
	memset(p, 1, big);
	long *arr = arena_array(&a, 1000, sizeof(long));
	ck_assert_uint_eq((uintptr_t)arr % alignof(max_align_t), 0);
	for (size_t i = 0; i < 1000; i++)
		ck_assert_int_eq(arr[i], 0);
	ck_assert_str_eq(small, "s");
	ck_assert_str_eq(arena_printf(&a, "%s-%d", "x", 42), "x-42");
	arena_free(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, mixed_strings_and_objects);
	tcase_add_test(tc, large_requests);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
