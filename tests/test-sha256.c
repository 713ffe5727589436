/* SHA-256 of source files: FIPS 180-4 test vectors, and the CPU's SHA
 * instructions (where it has them) against the portable code for every
 * length across several block boundaries. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "testlib.h"

struct vector {
	const char *text;
	size_t repeat;
	const char *hex;
};

/* FIPS 180-4 / NIST CSRC examples */
static const struct vector vectors[] = {
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

static void check_vectors(bool portable)
{
	sha256_force_portable(portable);
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		size_t n = strlen(vectors[i].text);
		size_t len = n * vectors[i].repeat;
		char *buf = malloc(len + 1);
		ck_assert_ptr_nonnull(buf);
		for (size_t k = 0; k < vectors[i].repeat; k++)
			memcpy(buf + k * n, vectors[i].text, n);
		char hex[65];
		sha256_hex(buf, len, hex);
		ck_assert_str_eq(hex, vectors[i].hex);
		free(buf);
	}
	sha256_force_portable(false);
}

START_TEST(vectors_portable)
{
	check_vectors(true);
}
END_TEST

START_TEST(vectors_default)
{
	check_vectors(false);
}
END_TEST

START_TEST(paths_agree)
{
	unsigned char buf[1100];
	unsigned state = 12345;
	for (size_t i = 0; i < sizeof(buf); i++) {
		state = state * 1103515245u + 12345u;
		buf[i] = (unsigned char)(state >> 16);
	}
	for (size_t len = 0; len <= sizeof(buf); len++) {
		char fast[65], slow[65];
		sha256_hex(buf, len, fast);
		sha256_force_portable(true);
		sha256_hex(buf, len, slow);
		sha256_force_portable(false);
		ck_assert_msg(strcmp(fast, slow) == 0, "length %zu: %s != %s", len, fast, slow);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("sha256");
	tcase_add_test(tc, vectors_portable);
	tcase_add_test(tc, vectors_default);
	tcase_add_test(tc, paths_agree);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
