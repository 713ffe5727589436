/* Index decoding (mibc_index_decode): every INDEX shape of the golden test
 * MIBs round-trips with mibc_index_put_*, and hostile suffixes (truncated,
 * over-long, lengths pointing past the end or beyond the SIZE, octets above
 * 255, 2^32-1 lengths) are refused with nothing left in the output.  A
 * random search checks the same property over many suffixes: either the
 * decode fails and the output is all zero, or re-encoding the decoded
 * values gives back exactly the suffix. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/mibc.h>

#include "mibc-test-mib.h"
#include "mibc-test-oid-index-mib.h"

#include "testlib.h"

#define N(a) MIBC_N_ELEMENTS(a)

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

START_TEST(integers)
{
	struct mibc_test_mib_mibc_int_entry_index_values v;
	const uint32_t ok[] = { 42 };
	ck_assert_int_eq(mibc_test_mib_mibc_int_entry_index_decode(ok, 1, &v), 0);
	ck_assert_int_eq(v.mibc_int_index, 42);
	/* Negative Integer32 values travel as their two's complement. */
	uint32_t neg[MIBC_OID_MAX_LEN];
	size_t n = mibc_index_put_int32(neg, 0, -5);
	ck_assert_int_eq(mibc_test_mib_mibc_int_entry_index_decode(neg, n, &v), 0);
	ck_assert_int_eq(v.mibc_int_index, -5);
	ck_assert_int_eq(mibc_test_mib_mibc_int_entry_index_decode(ok, 0, &v),
			 MIBC_E_INDEX);
	const uint32_t two[] = { 1, 2 };
	ck_assert_int_eq(mibc_test_mib_mibc_int_entry_index_decode(two, 2, &v),
			 MIBC_E_INDEX);
	ck_assert(all_zero(&v, sizeof(v)));

	struct mibc_test_mib_mibc_multi_entry_index_values m;
	uint32_t ix[MIBC_OID_MAX_LEN];
	n = mibc_index_put_int32(ix, 0, 7);
	n = mibc_index_put_octets(ix, n, (const uint8_t *)"ab", 2, true);
	n = mibc_index_put_uint32(ix, n, 4000000000u);
	ck_assert_int_eq(mibc_test_mib_mibc_multi_entry_index_decode(ix, n, &m), 0);
	ck_assert_int_eq(m.mibc_multi_a, 7);
	ck_assert_uint_eq(m.mibc_multi_b.len, 2);
	ck_assert_str_eq((const char *)m.mibc_multi_b.data, "ab");
	ck_assert_uint_eq(m.mibc_multi_c, 4000000000u);
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_int_eq(mibc_test_mib_mibc_multi_entry_index_decode(ix, cut, &m),
				 MIBC_E_INDEX);
}
END_TEST

START_TEST(strings)
{
	struct mibc_test_mib_mibc_var_str_entry_index_values v;
	uint32_t ix[MIBC_OID_MAX_LEN];
	size_t n = mibc_index_put_octets(ix, 0, (const uint8_t *)"eth0", 4, true);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(ix, n, &v), 0);
	ck_assert_uint_eq(v.mibc_var_str_key.len, 4);
	ck_assert_str_eq(v.mibc_var_str_key.data, "eth0");

	/* The length sub-identifier is untrusted. */
	const uint32_t huge[] = { UINT32_MAX, 'a' };
	const uint32_t past[] = { 3, 'a', 'b' };
	const uint32_t short_[] = { 2, 'a', 'b', 'c' };
	const uint32_t octet[] = { 2, 'a', 256 };
	const uint32_t empty[] = { 0 };              /* SIZE (1..32) */
	uint32_t over[40] = { 33 };                  /* beyond SIZE and capacity */
	for (size_t i = 1; i < 34; i++)
		over[i] = 'x';
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(huge, 2, &v), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(past, 3, &v), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(short_, 4, &v), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(octet, 3, &v), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(empty, 1, &v), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_var_str_entry_index_decode(over, 34, &v), MIBC_E_INDEX);
	ck_assert(all_zero(&v, sizeof(v)));

	/* Fixed size: no length sub-identifier. */
	struct mibc_test_mib_mibc_fixed_str_entry_index_values f;
	const uint8_t mac[6] = { 0, 0x1a, 0x2b, 0x3c, 0x4d, 0xff };
	n = mibc_index_put_octets(ix, 0, mac, 6, false);
	ck_assert_int_eq(mibc_test_mib_mibc_fixed_str_entry_index_decode(ix, n, &f), 0);
	ck_assert_uint_eq(f.mibc_fixed_str_key.len, 6);
	ck_assert_mem_eq(f.mibc_fixed_str_key.data, mac, 6);
	ck_assert_int_eq(mibc_test_mib_mibc_fixed_str_entry_index_decode(ix, 5, &f), MIBC_E_INDEX);
	ix[6] = 1;
	ck_assert_int_eq(mibc_test_mib_mibc_fixed_str_entry_index_decode(ix, 7, &f), MIBC_E_INDEX);

	/* IMPLIED: the rest of the suffix, no length. */
	struct mibc_test_mib_mibc_implied_entry_index_values im;
	n = mibc_index_put_uint32(ix, 0, 3);
	n = mibc_index_put_octets(ix, n, (const uint8_t *)"abc", 3, false);
	ck_assert_int_eq(mibc_test_mib_mibc_implied_entry_index_decode(ix, n, &im), 0);
	ck_assert_uint_eq(im.mibc_implied_group, 3);
	ck_assert_uint_eq(im.mibc_implied_name.len, 3);
	ck_assert_mem_eq(im.mibc_implied_name.data, "abc", 4);
	uint32_t long_implied[MIBC_OID_MAX_LEN] = { 1 };
	for (size_t i = 1; i < 40; i++)
		long_implied[i] = 'z';
	ck_assert_int_eq(mibc_test_mib_mibc_implied_entry_index_decode(long_implied, 40, &im),
			 MIBC_E_INDEX);
}
END_TEST

START_TEST(addresses_and_oids)
{
	struct mibc_test_mib_mibc_ip_entry_index_values ip;
	const uint32_t a[] = { 192, 0, 2, 10 };
	ck_assert_int_eq(mibc_test_mib_mibc_ip_entry_index_decode(a, 4, &ip), 0);
	ck_assert_mem_eq(ip.mibc_ip_key, ((const uint8_t[]){ 192, 0, 2, 10 }), 4);
	const uint32_t bad[] = { 192, 0, 2, 300 };
	ck_assert_int_eq(mibc_test_mib_mibc_ip_entry_index_decode(bad, 4, &ip), MIBC_E_INDEX);
	ck_assert_int_eq(mibc_test_mib_mibc_ip_entry_index_decode(a, 3, &ip), MIBC_E_INDEX);

	struct mibc_test_oid_index_mib_mibc_oid_entry_index_values o;
	const uint32_t sys[] = { 1, 3, 6, 1, 2, 1, 1, 4294967295u };
	uint32_t ix[MIBC_OID_MAX_LEN];
	size_t n = mibc_index_put_oid(ix, 0, sys, N(sys), true);
	ck_assert_int_eq(mibc_test_oid_index_mib_mibc_oid_entry_index_decode(ix, n, &o), 0);
	ck_assert_uint_eq(o.mibc_oid_key.len, N(sys));
	ck_assert_mem_eq(o.mibc_oid_key.sub, sys, sizeof(sys));
	ix[0] = 200; /* longer than the suffix */
	ck_assert_int_eq(mibc_test_oid_index_mib_mibc_oid_entry_index_decode(ix, n, &o), MIBC_E_INDEX);

	struct mibc_test_oid_index_mib_mibc_oid_implied_entry_index_values oi;
	n = mibc_index_put_int32(ix, 0, 2);
	n = mibc_index_put_oid(ix, n, sys, N(sys), false);
	ck_assert_int_eq(mibc_test_oid_index_mib_mibc_oid_implied_entry_index_decode(ix, n, &oi), 0);
	ck_assert_int_eq(oi.mibc_oid_implied_set, 2);
	ck_assert_uint_eq(oi.mibc_oid_implied_key.len, N(sys));
	ck_assert_mem_eq(oi.mibc_oid_implied_key.sub, sys, sizeof(sys));
}
END_TEST

START_TEST(bad_arguments)
{
	struct mibc_test_mib_mibc_int_entry_index_values v;
	const uint32_t one[] = { 1 };
	ck_assert_int_eq(mibc_index_decode(mibc_test_mib_mibc_int_entry_index, 1,
					   one, 1, NULL, 0), MIBC_E_INVAL);
	/* An output smaller than the descriptors say. */
	ck_assert_int_eq(mibc_index_decode(mibc_test_mib_mibc_int_entry_index, 1,
					   one, 1, &v, 2), MIBC_E_INVAL);
	/* IMPLIED anywhere but last. */
	struct mibc_index_elem elems[2] = {
		{ .object = NULL, .implied = true,
		  .storage = MIBC_STORAGE_OCTETS_INLINE, .capacity = 4 },
		{ .storage = MIBC_STORAGE_INT32, .offset = 16 },
	};
	unsigned char out[32];
	ck_assert_int_eq(mibc_index_decode(elems, 2, one, 1, out, sizeof(out)),
			 MIBC_E_INVAL);
	elems[0].storage = MIBC_STORAGE_NONE;
	ck_assert_int_eq(mibc_index_decode(elems, 1, one, 1, out, sizeof(out)),
			 MIBC_E_INVAL);
	/* The row form needs a row with an index struct. */
	struct mibc_test_mib_mibc_int_entry row;
	ck_assert_int_eq(mibc_row_index_decode(&mibc_test_mib_mibc_int_entry_desc,
					       &row, one, 1), 0);
	ck_assert_int_eq(row.mibc_index.mibc_int_index, 1);
	ck_assert_int_eq(mibc_row_index_decode(&mibc_test_mib_mibc_int_index_desc,
					       &row, one, 1), MIBC_E_INVAL);
}
END_TEST

/* Re-encode decoded values, as the generated GET wrappers would. */
static size_t encode(const struct mibc_index_elem *elems, size_t n_elems,
		     const unsigned char *values, uint32_t *ix)
{
	size_t n = 0;
	for (size_t i = 0; i < n_elems; i++) {
		const struct mibc_index_elem *e = &elems[i];
		const unsigned char *f = values + e->offset;
		size_t len;
		switch (e->storage) {
		case MIBC_STORAGE_INT32: {
			int32_t x;
			memcpy(&x, f, sizeof(x));
			n = mibc_index_put_int32(ix, n, x);
			break;
		}
		case MIBC_STORAGE_UINT32: {
			uint32_t x;
			memcpy(&x, f, sizeof(x));
			n = mibc_index_put_uint32(ix, n, x);
			break;
		}
		case MIBC_STORAGE_IPADDRESS:
			n = mibc_index_put_octets(ix, n, f, 4, false);
			break;
		case MIBC_STORAGE_OCTETS_INLINE:
			memcpy(&len, f, sizeof(len));
			n = mibc_index_put_octets(ix, n, f + sizeof(size_t), len,
						  !e->implied && !e->fixed_len);
			break;
		case MIBC_STORAGE_OID_INLINE: {
			memcpy(&len, f, sizeof(len));
			uint32_t sub[MIBC_OID_MAX_LEN];
			memcpy(sub, f + sizeof(size_t), len * sizeof(uint32_t));
			n = mibc_index_put_oid(ix, n, sub, len, !e->implied);
			break;
		}
		default:
			ck_abort_msg("storage %d", (int)e->storage);
		}
	}
	return n;
}

START_TEST(random_suffixes)
{
	const struct mibc_object_desc *rows[] = {
		&mibc_test_mib_mibc_int_entry_desc,
		&mibc_test_mib_mibc_fixed_str_entry_desc,
		&mibc_test_mib_mibc_var_str_entry_desc,
		&mibc_test_mib_mibc_implied_entry_desc,
		&mibc_test_mib_mibc_ip_entry_desc,
		&mibc_test_mib_mibc_inet_entry_desc,
		&mibc_test_mib_mibc_multi_entry_desc,
		&mibc_test_oid_index_mib_mibc_oid_entry_desc,
		&mibc_test_oid_index_mib_mibc_oid_implied_entry_desc,
	};
	/* Small values and lengths make well-formed suffixes likely; the rare
	 * huge ones test the bounds. */
	static const uint32_t picks[] = { 0, 1, 2, 3, 4, 6, 8, 31, 32, 33,
					  97, 255, 256, 65535, 2147483647u,
					  2147483648u, UINT32_MAX };
	unsigned seed = 20261124;
	size_t decoded = 0;
	unsigned char out[4096];
	for (size_t round = 0; round < 50000; round++) {
		const struct mibc_object_desc *row = rows[round % N(rows)];
		ck_assert_uint_le(row->index_size + 64, sizeof(out));
		uint32_t suffix[MIBC_OID_MAX_LEN];
		size_t len = (size_t)(rand_r(&seed) % 12);
		if (rand_r(&seed) % 16 == 0)
			len = (size_t)(rand_r(&seed) % (MIBC_OID_MAX_LEN + 1));
		for (size_t i = 0; i < len; i++)
			suffix[i] = rand_r(&seed) % 3
				? (uint32_t)(rand_r(&seed) % 8)
				: picks[(size_t)rand_r(&seed) % N(picks)];
		memset(out, 0xa5, row->index_size + 64);
		int rc = mibc_index_decode(row->index, row->n_index, suffix, len,
					   out, row->index_size);
		ck_assert_msg(rc == 0 || rc == MIBC_E_INDEX, "%s: %d", row->name, rc);
		/* Never a byte written past the index struct. */
		size_t past = row->index_size;
		while (past < row->index_size + 64 && out[past] == 0xa5)
			past++;
		ck_assert_uint_eq(past, row->index_size + 64);
		if (rc < 0) {
			ck_assert(all_zero(out, row->index_size));
			continue;
		}
		decoded++;
		uint32_t again[MIBC_OID_MAX_LEN];
		size_t n = encode(row->index, row->n_index, out, again);
		ck_assert_uint_eq(n, len);
		ck_assert_mem_eq(again, suffix, len * sizeof(uint32_t));
	}
	/* The search did reach well-formed suffixes of every shape. */
	ck_assert_uint_gt(decoded, 1000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, integers);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, addresses_and_oids);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, random_suffixes);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
