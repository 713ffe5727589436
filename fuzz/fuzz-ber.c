/* libFuzzer target: an SNMP response datagram from the network, read the
 * way the client reads one (runtime/src/client.c handle_datagram and
 * handle_values): ber_decode(), then for every varbind ber_oid_decode() of
 * its name, value_from_varbind() against the object the name belongs to
 * (found in the generated modules, as a request would have named it), the
 * typed accessors, mibc_value_dup(), and snmpget-style formatting of the
 * name and value into buffers of every size class (also too small).
 *
 * Beyond "no crash, no leak, no undefined behaviour" it checks what ber.h
 * promises: a decoded message points into the datagram only, and a name
 * ber_decode() accepted always decodes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "ber.h"
#include "value.h"

#include "entity-mib.h"
#include "host-resources-mib.h"
#include "if-mib.h"
#include "ip-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "powernet-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"
#include "ups-mib.h"

/* Modules whose descriptors name the varbinds: hints (DisplayString,
 * PhysAddress, DateAndTime, InetAddress), enumerations, BITS, string and
 * InetAddress indexes. */
static const struct mibc_module_desc *const modules[] = {
	&snmpv2_mib_module, &if_mib_module, &ip_mib_module,
	&host_resources_mib_module, &entity_mib_module, &ups_mib_module,
	&ucd_snmp_mib_module, &mbg_snmp_ltng_mib_module, &powernet_mib_module,
};

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

static bool inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return (n == 0 && p == NULL)
	       || (p >= buf && p <= buf + len && n <= (size_t)(buf + len - p));
}

/* Format into a heap block of exactly `size` bytes, so writing one byte
 * too many is caught; the result must be what the full text needs. */
static void format_sized(const struct mibc_object_desc *object,
			 const uint32_t *oid, size_t oid_len,
			 const struct mibc_raw_value *raw,
			 const struct mibc_format_options *opt, size_t size,
			 int full)
{
	char *buf = malloc(size ? size : 1);
	CHECK(buf);
	int n = mibc_format_varbind_line(object, oid, oid_len, raw, opt,
					 size ? buf : NULL, size);
	CHECK(n == full);
	if (size)
		CHECK(strlen(buf) == ((size_t)n < size ? (size_t)n : size - 1));
	free(buf);
}

static void read_value(const struct mibc_value *v)
{
	int32_t i32;
	uint32_t u32;
	uint64_t u64;
	const uint8_t *octets;
	const char *s;
	const uint32_t *sub;
	size_t len;
	uint8_t addr[4];
	double d;
	(void)mibc_value_check(v);
	(void)mibc_value_wire(v);
	(void)mibc_value_get_int32(v, &i32);
	(void)mibc_value_get_uint32(v, &u32);
	(void)mibc_value_get_uint64(v, &u64);
	if (mibc_value_get_octets(v, &octets, &len) == 0)
		CHECK(octets[len] == 0);
	if (mibc_value_get_string(v, &s, &len) == 0)
		CHECK(s[len] == 0);
	if (mibc_value_get_oid(v, &sub, &len) == 0)
		CHECK(len <= MIBC_OID_MAX_LEN);
	(void)mibc_value_get_ipaddress(v, addr);
	(void)mibc_value_get_float(v, &d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ber_varbind vbs[BER_MAX_VARBINDS];
	struct ber_message m;
	int rc = ber_decode(data, size, &m, vbs, BER_MAX_VARBINDS);
	CHECK(m.error_offset <= size);
	if (rc != 0) {
		CHECK(rc < 0 && ber_err_name(rc) != NULL);
		return 0;
	}
	CHECK(inside(m.community, m.community_len, data, size));
	CHECK(m.n_vb <= BER_MAX_VARBINDS);

	/* the client's one allocation per response */
	size_t extra = 0;
	for (size_t i = 0; i < m.n_vb; i++) {
		CHECK(inside(m.vb[i].oid, m.vb[i].oid_len, data, size));
		CHECK(inside(m.vb[i].data, m.vb[i].len, data, size));
		extra += value_storage(&m.vb[i]);
	}
	unsigned char *store = malloc(extra ? extra : 1);
	CHECK(store);
	unsigned char *next = store;

	struct mibc_format_options numeric = { .flags = MIBC_FORMAT_NUMERIC_OIDS
							| MIBC_FORMAT_NUMERIC_ENUMS };
	struct mibc_format_options named = {
		.modules = modules, .n_modules = MIBC_N_ELEMENTS(modules),
	};
	for (size_t i = 0; i < m.n_vb; i++) {
		const struct ber_varbind *vb = &m.vb[i];
		uint32_t oid[MIBC_OID_MAX_LEN];
		int n = ber_oid_decode(vb->oid, vb->oid_len, oid, MIBC_OID_MAX_LEN);
		/* validated by ber_decode: the client relies on it */
		CHECK(n > 0 && n == vb->oid_subids);

		const struct mibc_object_desc *object = NULL;
		for (size_t k = 0; k < MIBC_N_ELEMENTS(modules) && !object; k++)
			object = mibc_module_find_object(modules[k], oid, (size_t)n);

		struct mibc_value v;
		value_from_varbind(&v, vb, object, next);
		next += value_storage(vb);
		read_value(&v);

		struct mibc_value *copy = mibc_value_dup(&v);
		CHECK(copy);
		read_value(copy);

		struct mibc_raw_value raw;
		CHECK(mibc_value_raw(copy, &raw) == 0);
		int full = mibc_format_varbind_line(object, oid, (size_t)n, &raw,
						    &named, NULL, 0);
		CHECK(full >= 0);
		format_sized(object, oid, (size_t)n, &raw, &named, (size_t)full + 1, full);
		format_sized(object, oid, (size_t)n, &raw, &named, (size_t)full / 2, full);
		format_sized(object, oid, (size_t)n, &raw, &named, 1, full);
		full = mibc_format_varbind_line(object, oid, (size_t)n, &raw,
						&numeric, NULL, 0);
		CHECK(full >= 0);
		format_sized(object, oid, (size_t)n, &raw, &numeric, (size_t)full + 1, full);
		/* the value alone, as no object would print it */
		char line[64];
		CHECK(mibc_format_value(NULL, &raw, NULL, line, sizeof(line)) >= 0);
		mibc_value_free(copy);
	}
	CHECK(next == store + extra);
	free(store);
	return 0;
}
