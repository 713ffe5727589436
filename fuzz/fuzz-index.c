/* libFuzzer target: instance index decoding (mibc_index_decode), the part
 * of a walk that reads sub-identifiers an agent chose.
 *
 * Input layout:
 *   [0]   which row's INDEX (an index into `rows`: integers, IMPLIED and
 *         length-first strings, IpAddress, InetAddress pairs, several
 *         elements)
 *   rest  the suffix: sub-identifiers base-128 like BER (a last byte with
 *         its top bit set ends one unfinished: dropped)
 * Checks: the result is 0 or MIBC_E_INDEX; nothing is written past the
 * index struct; a refused suffix leaves the struct all zero; a decoded one
 * encodes back (mibc_index_put_*) to exactly the suffix; the row form
 * (mibc_row_index_decode) agrees. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>

#include "host-resources-mib.h"
#include "if-mib.h"
#include "ip-mib.h"
#include "rfc1213-mib.h"
#include "snmp-notification-mib.h"
#include "snmp-target-mib.h"
#include "ucd-snmp-mib.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

static const struct mibc_object_desc *const rows[] = {
	&if_mib_if_entry_desc,                       /* Integer32 */
	&if_mib_if_stack_entry_desc,                 /* two integers */
	&ip_mib_ip_address_entry_desc,               /* InetAddressType, InetAddress */
	&ip_mib_ip_net_to_physical_entry_desc,       /* int, type, address */
	&ip_mib_ip_address_prefix_entry_desc,        /* int, type, address, length */
	&rfc1213_mib_ip_addr_entry_desc,             /* IpAddress */
	&snmp_target_mib_snmp_target_addr_entry_desc, /* IMPLIED string */
	&snmp_notification_mib_snmp_notify_entry_desc, /* IMPLIED string */
	&host_resources_mib_hr_storage_entry_desc,
	&ucd_snmp_mib_dsk_entry_desc,
};

#define GUARD 32

/* The suffix encoded back from the decoded index struct. */
static size_t encode(const struct mibc_index_elem *elems, size_t n_elems,
		     const unsigned char *values, uint32_t *ix)
{
	size_t n = 0;
	for (size_t i = 0; i < n_elems; i++) {
		const struct mibc_index_elem *e = &elems[i];
		const unsigned char *f = values + e->offset;
		size_t len;
		int32_t i32;
		uint32_t u32;
		switch (e->storage) {
		case MIBC_STORAGE_INT32:
			memcpy(&i32, f, sizeof(i32));
			n = mibc_index_put_int32(ix, n, i32);
			break;
		case MIBC_STORAGE_UINT32:
			memcpy(&u32, f, sizeof(u32));
			n = mibc_index_put_uint32(ix, n, u32);
			break;
		case MIBC_STORAGE_IPADDRESS:
			n = mibc_index_put_octets(ix, n, f, 4, false);
			break;
		case MIBC_STORAGE_OCTETS_INLINE:
			memcpy(&len, f, sizeof(len));
			CHECK(len <= e->capacity);
			CHECK(f[sizeof(size_t) + len] == 0);
			n = mibc_index_put_octets(ix, n, f + sizeof(size_t), len,
						  !e->implied && !e->fixed_len);
			break;
		case MIBC_STORAGE_OID_INLINE: {
			memcpy(&len, f, sizeof(len));
			CHECK(len <= e->capacity);
			uint32_t sub[MIBC_OID_MAX_LEN];
			memcpy(sub, f + sizeof(size_t), len * sizeof(uint32_t));
			n = mibc_index_put_oid(ix, n, sub, len, !e->implied);
			break;
		}
		default:
			CHECK(!"an element without storage");
		}
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct mibc_object_desc *row =
		rows[data[0] % (sizeof(rows) / sizeof(rows[0]))];
	uint32_t suffix[MIBC_OID_MAX_LEN + 1];
	size_t len = 0;
	uint64_t sub = 0;
	for (size_t i = 1; i < size && len <= MIBC_OID_MAX_LEN; i++) {
		sub = (sub << 7) | (data[i] & 0x7f);
		if (!(data[i] & 0x80)) {
			suffix[len++] = (uint32_t)sub;
			sub = 0;
		}
	}
	if (len > MIBC_OID_MAX_LEN)
		len = MIBC_OID_MAX_LEN;

	size_t n = row->index_size;
	CHECK(n > 0);
	unsigned char *out = malloc(n + GUARD);
	CHECK(out != NULL);
	memset(out, 0xa5, n + GUARD);
	int rc = mibc_index_decode(row->index, row->n_index, suffix, len, out, n);
	CHECK(rc == 0 || rc == MIBC_E_INDEX);
	for (size_t i = n; i < n + GUARD; i++)
		CHECK(out[i] == 0xa5);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			CHECK(out[i] == 0);
	} else {
		uint32_t again[MIBC_OID_MAX_LEN];
		size_t k = encode(row->index, row->n_index, out, again);
		CHECK(k == len);
		CHECK(memcmp(again, suffix, len * sizeof(uint32_t)) == 0);
	}

	unsigned char *whole = malloc(row->row_size);
	CHECK(whole != NULL);
	memset(whole, 0x5a, row->row_size);
	int rc_row = mibc_row_index_decode(row, whole, suffix, len);
	CHECK(rc_row == rc);
	CHECK(memcmp(whole + row->index_offset, out, n) == 0);
	free(whole);
	free(out);
	return 0;
}
