/* libmibc's value parsing (mibc/parse.h): text to values through the
 * objects' DISPLAY-HINTs, enumerations and BITS names.
 *
 * - units: chosen texts and what they must give, and what must fail;
 * - round trips over every scalar and column of generated/ and the golden
 *   test MIBs: random values of the object's MIB type are formatted with
 *   mibc_format_value(), parsed back and formatted again;
 * - the oracle: net-snmp's snmpset parses the same texts with the same
 *   MIBs (type `=`: the MIB's type and hint) and its request datagram
 *   (snmpset -d) must carry the bytes mibc_parse_value() gives. */
#include "testlib.h"
#include "agent.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/format.h>
#include <mibc/parse.h>
#include <mibc/set.h>

#include "entity-mib.h"
#include "entity-sensor-mib.h"
#include "host-resources-mib.h"
#include "ibootpdu-mib.h"
#include "if-mib.h"
#include "ip-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "mibc-test-mib.h"
#include "mibc-test-tc.h"
#include "net-snmp-agent-mib.h"
#include "net-snmp-extend-mib.h"
#include "powernet-mib.h"
#include "rfc1213-mib.h"
#include "snmp-framework-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"
#include "ups-mib.h"

static const struct mibc_module_desc *const all_modules[] = {
	&snmpv2_mib_module, &if_mib_module, &rfc1213_mib_module, &ip_mib_module,
	&host_resources_mib_module, &ucd_snmp_mib_module,
	&snmp_framework_mib_module, &entity_mib_module,
	&entity_sensor_mib_module, &ups_mib_module, &mibc_test_mib_module,
	&mibc_test_tc_module, &powernet_mib_module, &mbg_snmp_ltng_mib_module,
	&ibootpdu_mib_module, &net_snmp_agent_mib_module,
	&net_snmp_extend_mib_module,
};

static const struct mibc_format_options symbolic = {
	.modules = all_modules, .n_modules = MIBC_N_ELEMENTS(all_modules),
};

static struct mibc_parsed *parsed;

static void setup(void)
{
	parsed = malloc(sizeof(*parsed));
	ck_assert_ptr_nonnull(parsed);
}

static void teardown(void)
{
	free(parsed);
	parsed = NULL;
}

static int parse(const struct mibc_object_desc *o, const char *text)
{
	return mibc_parse_value(o, text, &symbolic, parsed);
}

/* `text` parses to exactly these octets. */
static void want_octets(const struct mibc_object_desc *o, const char *text,
			const char *hex)
{
	uint8_t want[256];
	size_t n = 0;
	for (const char *p = hex; *p; p += 2) {
		unsigned b;
		ck_assert(sscanf(p, "%2x", &b) == 1);
		want[n++] = (uint8_t)b;
	}
	int rc = parse(o, text);
	ck_assert_msg(rc == 0, "%s [%s]: %s", o->name, text, mibc_err_name(rc));
	ck_assert_int_eq(parsed->value.wire, o->wire);
	ck_assert_msg(parsed->value.len == n
		      && (n == 0 || !memcmp(parsed->value.octets, want, n)),
		      "%s [%s]: %zu octets, want %s", o->name, text,
		      parsed->value.len, hex);
}

static void want_integer(const struct mibc_object_desc *o, const char *text,
			 int64_t v)
{
	int rc = parse(o, text);
	ck_assert_msg(rc == 0, "%s [%s]: %s", o->name, text, mibc_err_name(rc));
	ck_assert_int_eq(parsed->value.wire, o->wire);
	if (o->wire == MIBC_WIRE_INTEGER)
		ck_assert_int_eq(parsed->value.i, v);
	else
		ck_assert_int_eq((int64_t)parsed->value.u, v);
}

static void want_error(const struct mibc_object_desc *o, const char *text,
		       int err)
{
	int rc = parse(o, text);
	ck_assert_msg(rc == err, "%s [%s]: %s, want %s", o ? o->name : "-", text,
		      mibc_err_name(rc), mibc_err_name(err));
}

START_TEST(octet_hints)
{
	want_octets(&if_mib_if_phys_address_desc, "aa:bb:cc:dd:ee:ff",
		    "aabbccddeeff");
	want_octets(&if_mib_if_phys_address_desc, "STRING: 0:1a:2b:3c:4d:5e",
		    "001a2b3c4d5e");
	want_octets(&if_mib_if_phys_address_desc, "", "");
	want_octets(&mibc_test_mib_mibc_date_and_time_desc,
		    "2026-11-23,10:00:00.0,+0:0", "07ea0b170a0000002b0000");
	want_octets(&host_resources_mib_hr_system_date_desc,
		    "STRING: 2026-11-24,10:0:0.0,+0:0", "07ea0b180a0000002b0000");
	want_octets(&host_resources_mib_hr_system_date_desc,
		    "2026-11-24,23:59:60.9", "07ea0b18173b3c09");
	want_octets(&host_resources_mib_hr_system_date_desc,
		    "2026-1-2,3:4:5.6,-11:30", "07ea010203040506" "2d0b1e");
	want_octets(&snmpv2_mib_sys_contact_desc, "Ops \"Desk\" <ops@x>",
		    "4f707320224465736b22203c6f707340783e");
	want_octets(&snmpv2_mib_sys_contact_desc, "STRING: a b", "612062");
	want_octets(&mibc_test_mib_mibc_octet_any_desc, "\"say \\\"hi\\\"\"",
		    "7361792022686922");
	want_octets(&mibc_test_mib_mibc_octet_any_desc, "plain", "706c61696e");
	want_octets(&mibc_test_mib_mibc_octet_any_desc, "\"\"", "");
	want_octets(&mibc_test_mib_mibc_octet_any_desc,
		    "Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 11 ",
		    "000102030405060708090a0b0c0d0e0f1011");
	want_octets(&mibc_test_mib_mibc_tc_mac_desc, "0a:1b:2c:3d:4e:5f",
		    "0a1b2c3d4e5f");
	/* "*1x:": the count octet first */
	want_octets(&mibc_test_mib_mibc_tc_star_desc, "a:b:c", "030a0b0c");
	want_octets(&mibc_test_mib_mibc_tc_dotted_quad_desc, "10.0.0.1",
		    "0a000001");
	/* a field's value must fit its octets */
	want_error(&mibc_test_mib_mibc_tc_dotted_quad_desc, "10.0.256.1",
		   MIBC_E_RANGE);
	want_error(&if_mib_if_phys_address_desc, "aa:bb:xx", MIBC_E_PARSE);
	want_error(&if_mib_if_phys_address_desc, "INTEGER: 5", MIBC_E_WRONG_TYPE);
	/* SIZE (8 | 11) */
	want_error(&host_resources_mib_hr_system_date_desc, "2026-11-24,10:0:0",
		   MIBC_E_RANGE);
	/* DisplayString (SIZE (0..255)) */
	char long_text[300];
	memset(long_text, 'x', 256);
	long_text[256] = '\0';
	want_error(&snmpv2_mib_sys_contact_desc, long_text, MIBC_E_RANGE);
	long_text[255] = '\0';
	ck_assert_int_eq(parse(&snmpv2_mib_sys_contact_desc, long_text), 0);
	ck_assert_uint_eq(parsed->value.len, 255);
}
END_TEST

START_TEST(integers)
{
	want_integer(&if_mib_if_admin_status_desc, "up", 1);
	want_integer(&if_mib_if_admin_status_desc, "down(2)", 2);
	want_integer(&if_mib_if_admin_status_desc, "INTEGER: testing(3)", 3);
	want_integer(&if_mib_if_admin_status_desc, " 2 ", 2);
	want_error(&if_mib_if_admin_status_desc, "up(2)", MIBC_E_PARSE);
	want_error(&if_mib_if_admin_status_desc, "sideways", MIBC_E_PARSE);
	want_error(&if_mib_if_admin_status_desc, "7", MIBC_E_RANGE);
	want_integer(&mibc_test_mib_mibc_tc_hundredths_desc, "12.34", 1234);
	want_integer(&mibc_test_mib_mibc_tc_hundredths_desc,
		     "INTEGER: 12.34 degrees Celsius", 1234);
	want_integer(&mibc_test_mib_mibc_tc_hundredths_desc, ".05", 5);
	want_integer(&mibc_test_mib_mibc_tc_hundredths_desc, "-0.5", -50);
	want_integer(&mibc_test_mib_mibc_tc_hundredths_desc, "12", 1200);
	want_error(&mibc_test_mib_mibc_tc_hundredths_desc, "1.234", MIBC_E_PARSE);
	want_integer(&mibc_test_mib_mibc_tc_hex_code_desc, "1f", 31);
	want_integer(&mibc_test_mib_mibc_tc_octal_desc, "17", 15);
	want_integer(&mibc_test_mib_mibc_tc_binary_desc,
		     "00000000000000000000000000000101", 5);
	want_integer(&mibc_test_mib_mibc_integer_desc, "-5", -5);
	want_error(&mibc_test_mib_mibc_integer_desc, "6", MIBC_E_RANGE);
	want_error(&mibc_test_mib_mibc_integer_desc, "5x", MIBC_E_PARSE);
	want_error(&mibc_test_mib_mibc_integer32_desc, "2147483648", MIBC_E_RANGE);
	want_integer(&mibc_test_mib_mibc_integer32_min_desc, "-2147483648",
		     INT32_MIN);
	want_error(&mibc_test_mib_mibc_tc_ranges_desc, "15", MIBC_E_RANGE);
	want_integer(&mibc_test_mib_mibc_tc_ranges_desc, "100", 100);

	ck_assert_int_eq(parse(&mibc_test_mib_mibc_time_ticks_desc,
			       "Timeticks: (12345) 0:02:03.45"), 0);
	ck_assert_int_eq(parsed->value.wire, MIBC_WIRE_TIMETICKS);
	ck_assert_uint_eq(parsed->value.u, 12345);
	static const struct { const char *text; uint64_t ticks; } durations[] = {
		{ "0:02:03.45", 12345 }, { "1 day, 0:00:00.00", 8640000 },
		{ "497 days, 2:27:52.95", UINT32_MAX }, { "0:10:00", 60000 },
		{ "2 days, 1:02:03.4", 17652340 },
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(durations); i++) {
		ck_assert_int_eq(parse(&mibc_test_mib_mibc_time_ticks_desc,
				       durations[i].text), 0);
		ck_assert_uint_eq(parsed->value.u, durations[i].ticks);
	}
	want_error(&mibc_test_mib_mibc_time_ticks_desc, "497 days, 2:27:52.96",
		   MIBC_E_RANGE);
	want_error(&mibc_test_mib_mibc_time_ticks_desc, "0:61:00", MIBC_E_PARSE);
	ck_assert_int_eq(parse(&mibc_test_mib_mibc_unsigned32_desc, "4294967295"), 0);
	ck_assert_uint_eq(parsed->value.u, UINT32_MAX);
	want_error(&mibc_test_mib_mibc_unsigned32_desc, "4294967296", MIBC_E_RANGE);
	want_error(&mibc_test_mib_mibc_unsigned32_desc, "-1", MIBC_E_PARSE);
	ck_assert_int_eq(parse(&mibc_test_mib_mibc_counter64_desc,
			       "Counter64: 18446744073709551615"), 0);
	ck_assert_uint_eq(parsed->value.u, UINT64_MAX);
	want_error(&mibc_test_mib_mibc_counter64_desc, "18446744073709551616",
		   MIBC_E_RANGE);
}
END_TEST

START_TEST(bits_oids_addresses)
{
	want_octets(&mibc_test_mib_mibc_bits_desc, "first third", "a000");
	want_octets(&mibc_test_mib_mibc_bits_desc, "first(0),ninth(8)", "8080");
	want_octets(&mibc_test_mib_mibc_bits_desc, "0 2", "a000");
	want_octets(&mibc_test_mib_mibc_bits_desc,
		    "BITS: A0 80 first(0) third(2) ninth(8) ", "a080");
	want_octets(&mibc_test_mib_mibc_bits_desc, "BITS: A0 first(0) third(2) ",
		    "a0");
	want_error(&mibc_test_mib_mibc_bits_desc, "fourth", MIBC_E_PARSE);
	/* a bit without a name */
	want_error(&mibc_test_mib_mibc_bits_desc, "3", MIBC_E_RANGE);

	want_octets(&mibc_test_mib_mibc_ip_address_desc, "192.0.2.1", "c0000201");
	want_octets(&mibc_test_mib_mibc_ip_address_desc, "IpAddress: 10.0.0.1",
		    "0a000001");
	want_error(&mibc_test_mib_mibc_ip_address_desc, "10.0.0", MIBC_E_PARSE);
	want_error(&mibc_test_mib_mibc_ip_address_desc, "10.0.0.300", MIBC_E_RANGE);

	static const uint32_t oper3[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3 };
	static const uint32_t ent[] = { 1, 3, 6, 1, 4, 1, 99999, 1 };
	static const uint32_t zero[] = { 0, 0 };
	struct { const char *text; const uint32_t *oid; size_t len; } oids[] = {
		{ ".1.3.6.1.2.1.2.2.1.8.3", oper3, 11 },
		{ "1.3.6.1.2.1.2.2.1.8.3", oper3, 11 },
		{ "IF-MIB::ifOperStatus.3", oper3, 11 },
		{ "OID: IF-MIB::ifOperStatus.3", oper3, 11 },
		{ "ifOperStatus.3", oper3, 11 },
		{ "SNMPv2-SMI::enterprises.99999.1", ent, 8 },
		{ "enterprises.99999.1", ent, 8 },
		{ "SNMPv2-SMI::zeroDotZero", zero, 2 },
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(oids); i++) {
		int rc = parse(&mibc_test_mib_mibc_object_id_desc, oids[i].text);
		ck_assert_msg(rc == 0, "%s: %s", oids[i].text, mibc_err_name(rc));
		ck_assert_int_eq(mibc_oid_compare(parsed->value.oid,
						  parsed->value.oid_len,
						  oids[i].oid, oids[i].len), 0);
	}
	/* index parts as the formatter writes them: enumeration labels,
	 * InetAddress after InetAddressType */
	ck_assert_int_eq(parse(&mibc_test_mib_mibc_object_id_desc,
			       "MIBC-TEST-MIB::mibcInetValue.ipv4.\"10.0.0.2\""),
			 0);
	ck_assert_uint_eq(parsed->value.oid_len, mibc_test_mib_mibc_inet_value_desc.oid_len + 6);
	ck_assert_uint_eq(parsed->value.oid[parsed->value.oid_len - 6], 1);
	ck_assert_uint_eq(parsed->value.oid[parsed->value.oid_len - 5], 4);
	ck_assert_uint_eq(parsed->value.oid[parsed->value.oid_len - 1], 2);
	/* a string index: its length first, or none when 'implied' */
	ck_assert_int_eq(parse(&mibc_test_mib_mibc_object_id_desc,
			       "IF-MIB::ifDescr.\"ab\""), 0);
	ck_assert_uint_eq(parsed->value.oid_len, 13);
	ck_assert_uint_eq(parsed->value.oid[10], 2);
	ck_assert_uint_eq(parsed->value.oid[12], 'b');
	want_error(&mibc_test_mib_mibc_object_id_desc, "NO-MIB::nothing",
		   MIBC_E_PARSE);
	want_error(&mibc_test_mib_mibc_object_id_desc, "1.3..6", MIBC_E_PARSE);
	want_error(&mibc_test_mib_mibc_object_id_desc, "1.3.4294967296",
		   MIBC_E_RANGE);

	/* without an object: the type prefix decides */
	ck_assert_int_eq(mibc_parse_value(NULL, "INTEGER: 5", NULL, parsed), 0);
	ck_assert_int_eq(parsed->value.i, 5);
	ck_assert_int_eq(mibc_parse_value(NULL, "STRING: \"x\"", NULL, parsed), 0);
	ck_assert_uint_eq(parsed->value.len, 1);
	ck_assert_int_eq(mibc_parse_value(NULL, "Gauge32: 7", NULL, parsed), 0);
	ck_assert_int_eq(parsed->value.wire, MIBC_WIRE_GAUGE32);
	want_error(NULL, "5", MIBC_E_PARSE);
	want_error(&ucd_snmp_mib_la_load_float_desc, "Opaque: Float: 0.12",
		   MIBC_E_UNSUPPORTED);
	ck_assert_int_eq(mibc_parse_value(NULL, NULL, NULL, parsed), MIBC_E_INVAL);
	ck_assert_int_eq(mibc_parse_value(&if_mib_if_table_desc, "1", NULL, parsed),
			 MIBC_E_INVAL);
}
END_TEST

/* ---- round trips --------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int64_t rnd_in(int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo;
	uint64_t r = span == UINT64_MAX ? rnd() : rnd() % (span + 1);
	if (rnd() % 4 == 0)
		r = rnd() % 2 ? 0 : span;   /* the bounds */
	return (int64_t)((uint64_t)lo + r);
}

/* A well-formed random instance part of a column (strings printable and
 * without quotes, as the formatter shows them unchanged): its length. */
static size_t random_index(const struct mibc_object_desc *col, uint32_t *ix)
{
	size_t n = 0;
	for (size_t e = 0; e < col->n_index; e++) {
		const struct mibc_index_elem *el = &col->index[e];
		const struct mibc_object_desc *io = el->object;
		if (!io)
			break;
		switch (io->wire) {
		case MIBC_WIRE_INTEGER: case MIBC_WIRE_GAUGE32:
		case MIBC_WIRE_COUNTER32: case MIBC_WIRE_TIMETICKS:
			ix[n++] = io->n_names
				? (uint32_t)io->names[rnd() % io->n_names].value
				: (uint32_t)(rnd() % 1000);
			break;
		case MIBC_WIRE_IPADDRESS:
			for (int i = 0; i < 4; i++)
				ix[n++] = (uint32_t)(rnd() % 256);
			break;
		case MIBC_WIRE_OCTET_STRING: {
			size_t len = el->fixed_len ? el->fixed_len : rnd() % 6;
			if (!el->implied && !el->fixed_len)
				ix[n++] = (uint32_t)len;
			for (size_t i = 0; i < len; i++) {
				uint32_t ch;
				do
					ch = (uint32_t)(0x20 + rnd() % 95);
				while (ch == '"' || ch == '\'');
				ix[n++] = ch;
			}
			break;
		}
		case MIBC_WIRE_OID: {
			size_t len = 2 + rnd() % 3;
			if (!el->implied)
				ix[n++] = (uint32_t)len;
			for (size_t i = 0; i < len; i++)
				ix[n++] = (uint32_t)(rnd() % 40);
			break;
		}
		default:
			return n;
		}
	}
	return n;
}

/* A random value of the object's MIB type, within its ranges, sizes and
 * names; text fields printable (the formatter prints NUL as '.'). */
static struct mibc_raw_value random_value(const struct mibc_object_desc *o,
					  uint8_t *octets, uint32_t *sub)
{
	struct mibc_raw_value v = { .tag = (unsigned)o->wire };
	const struct mibc_range *r = o->n_ranges
		? &o->ranges[rnd() % o->n_ranges] : NULL;
	switch (o->wire) {
	case MIBC_WIRE_INTEGER:
		if (o->n_names)
			v.integer = o->names[rnd() % o->n_names].value;
		else
			v.integer = r ? rnd_in(r->min.i, r->max.i)
				      : rnd_in(INT32_MIN, INT32_MAX);
		break;
	case MIBC_WIRE_COUNTER32: case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
		v.unsigned_ = (uint64_t)(r ? rnd_in(r->min.i, r->max.i)
					   : rnd_in(0, UINT32_MAX));
		break;
	case MIBC_WIRE_COUNTER64:
		v.unsigned_ = rnd();
		if (r && o->type == MIBC_TYPE_UNSIGNED64
		    && r->max.u - r->min.u < UINT64_MAX)
			v.unsigned_ = r->min.u + rnd() % (r->max.u - r->min.u + 1);
		break;
	case MIBC_WIRE_IPADDRESS:
		for (int i = 0; i < 4; i++)
			octets[i] = (uint8_t)rnd();
		v.octets = octets;
		v.len = 4;
		break;
	case MIBC_WIRE_OID: {
		v.oid_len = 2 + rnd() % 14;
		sub[0] = (uint32_t)(rnd() % 3);
		sub[1] = (uint32_t)(rnd() % 40);
		for (size_t i = 2; i < v.oid_len; i++)
			sub[i] = rnd() % 3 ? (uint32_t)(rnd() % 300) : (uint32_t)rnd();
		/* under a node some module names */
		const struct mibc_module_desc *m =
			all_modules[rnd() % MIBC_N_ELEMENTS(all_modules)];
		if (rnd() % 2 && m->n_nodes) {
			const struct mibc_object_desc *n = m->nodes[rnd() % m->n_nodes];
			if (n->kind == MIBC_KIND_COLUMN && n->index) {
				memcpy(sub, n->oid, n->oid_len * sizeof *sub);
				v.oid_len = n->oid_len + random_index(n, sub + n->oid_len);
			} else if (n->oid_len + 3 < 100) {
				memcpy(sub, n->oid, n->oid_len * sizeof *sub);
				v.oid_len = n->oid_len + rnd() % 3;
				for (size_t i = n->oid_len; i < v.oid_len; i++)
					sub[i] = (uint32_t)(rnd() % 50);
			}
		}
		v.oid = sub;
		break;
	}
	default: {   /* OCTET STRING, BITS */
		const struct mibc_range *s = o->n_sizes
			? &o->sizes[rnd() % o->n_sizes] : NULL;
		int64_t min = s ? s->min.i : 0, max = s ? s->max.i : 64;
		if (max > 64)
			max = min > 64 ? min : 64;
		v.len = (size_t)rnd_in(min, max);
		bool text = o->display_hint && (strchr(o->display_hint, 'a')
						|| strchr(o->display_hint, 't'));
		for (size_t i = 0; i < v.len; i++)
			octets[i] = text ? (uint8_t)(0x20 + rnd() % 95) : (uint8_t)rnd();
		/* a repeat count that counts what follows ("*1x:") */
		if (o->display_hint && o->display_hint[0] == '*' && v.len > 0)
			octets[0] = (uint8_t)(v.len - 1);
		if (o->type == MIBC_TYPE_BITS) {
			memset(octets, 0, v.len);
			for (size_t i = 0; i < o->n_names; i++)
				if (rnd() % 2 && (size_t)o->names[i].value / 8 < v.len)
					mibc_bits_set(octets, v.len,
						      (unsigned)o->names[i].value);
		}
		v.octets = octets;
		break;
	}
	}
	return v;
}

/* Formatting loses information here: a 1-octet hex field right before
 * another numeric field ("1x1x": "ab" is a,b or ab), or a numeric field
 * wider than one octet cut short by the end of the value. */
static bool format_is_lossy(const struct mibc_object_desc *o, size_t len)
{
	const char *h = o->display_hint;
	if (!h || o->wire != MIBC_WIRE_OCTET_STRING)
		return false;
	for (const char *p = h; *p; p++)
		if (p[0] == 'x' && p[1] >= '0' && p[1] <= '9')
			return true;
	for (size_t i = 0; i < o->n_sizes; i++)
		if (o->sizes[i].min.i == o->sizes[i].max.i
		    && (size_t)o->sizes[i].min.i == len)
			return false;
	for (const char *p = h; *p; p++)
		if (p[0] >= '2' && p[0] <= '9' && strchr("xdo", p[1]))
			return true;
	return false;
}

static bool same_value(const struct mibc_raw_value *v, const struct mibc_data *d)
{
	switch (v->tag) {
	case MIBC_WIRE_INTEGER:
		return d->i == v->integer;
	case MIBC_WIRE_COUNTER32: case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS: case MIBC_WIRE_COUNTER64:
		return d->u == v->unsigned_;
	case MIBC_WIRE_OID:
		return mibc_oid_compare(d->oid, d->oid_len, v->oid, v->oid_len) == 0;
	default:
		return d->len == v->len && (!v->len || !memcmp(d->octets, v->octets,
							       v->len));
	}
}

static struct mibc_raw_value raw_of(const struct mibc_data *d)
{
	struct mibc_raw_value r = { .tag = (unsigned)d->wire, .integer = d->i,
				    .unsigned_ = d->u, .octets = d->octets,
				    .len = d->len, .oid = d->oid,
				    .oid_len = d->oid_len };
	return r;
}

START_TEST(round_trips)
{
	static uint8_t octets[MIBC_PARSE_MAX_OCTETS];
	static uint32_t sub[MIBC_OID_MAX_LEN];
	static char text[1 << 20], again[1 << 20];
	size_t objects = 0, exact = 0;
	for (size_t m = 0; m < MIBC_N_ELEMENTS(all_modules); m++) {
		const struct mibc_module_desc *mod = all_modules[m];
		for (size_t i = 0; i < mod->n_objects; i++) {
			const struct mibc_object_desc *o = mod->objects[i];
			if (o->wire == MIBC_WIRE_NONE || o->wire == MIBC_WIRE_OPAQUE
			    || o->wire == MIBC_WIRE_NSAP)
				continue;
			objects++;
			int rounds = o->display_hint || o->n_names ? 8 : 2;
			for (int r = 0; r < rounds; r++) {
				struct mibc_raw_value v = random_value(o, octets, sub);
				int n = mibc_format_value(o, &v, &symbolic, text,
							  sizeof text);
				ck_assert_int_ge(n, 0);
				ck_assert_int_lt(n, (int)sizeof text);
				int rc = parse(o, text);
				if (rc == MIBC_E_PARSE && format_is_lossy(o, v.len))
					continue;
				ck_assert_msg(rc == 0, "%s::%s [%s]: %s",
					      mod->name, o->name, text,
					      mibc_err_name(rc));
				/* text -> value -> the same text */
				struct mibc_raw_value back = raw_of(&parsed->value);
				mibc_format_value(o, &back, &symbolic, again,
						  sizeof again);
				ck_assert_msg(!strcmp(text, again),
					      "%s::%s:\n [%s]\n [%s]", mod->name,
					      o->name, text, again);
				/* value -> text -> the same value */
				if (same_value(&v, &parsed->value))
					exact++;
				else
					ck_assert_msg(format_is_lossy(o, v.len),
						      "%s::%s [%s]: another value",
						      mod->name, o->name, text);
				/* and without the type prefix, as typed */
				const char *colon = strstr(text, ": ");
				if (colon && o->type != MIBC_TYPE_BITS
				    && strncmp(text, "Hex-STRING", 10)
				    && !(o->wire == MIBC_WIRE_OCTET_STRING
					 && !o->display_hint)) {
					/* without the units too */
					static char typed[1 << 20];
					snprintf(typed, sizeof typed, "%s", colon + 2);
					size_t tl = strlen(typed);
					size_t ul = o->units ? strlen(o->units) : 0;
					if (ul && tl > ul && !strcmp(typed + tl - ul, o->units))
						typed[tl - ul - 1] = '\0';
					/* TimeTicks: the duration alone */
					if (o->wire == MIBC_WIRE_TIMETICKS)
						memmove(typed, strchr(typed, ')') + 2,
							strlen(strchr(typed, ')') + 2) + 1);
					rc = parse(o, typed);
					ck_assert_msg(rc == 0, "%s::%s [%s]: %s",
						      mod->name, o->name, typed,
						      mibc_err_name(rc));
					back = raw_of(&parsed->value);
					mibc_format_value(o, &back, &symbolic,
							  again, sizeof again);
					ck_assert_str_eq(text, again);
				}
			}
		}
	}
	ck_assert_uint_gt(objects, 1000);
	ck_assert_uint_gt(exact, objects);
}
END_TEST

/* Any text, any object: a known outcome, and a value that is one of the
 * object's when parsing succeeds (run under valgrind or ASan, no byte
 * outside the text is read). */
START_TEST(fuzz)
{
	static uint8_t octets[MIBC_PARSE_MAX_OCTETS];
	static uint32_t sub[MIBC_OID_MAX_LEN];
	static char text[1 << 16];
	static const char alphabet[] = "0123456789abcdefABCDEF.:-,+ ()\"'*x";
	size_t parsed_ok = 0;
	for (int round = 0; round < 30000; round++) {
		const struct mibc_module_desc *m =
			all_modules[rnd() % MIBC_N_ELEMENTS(all_modules)];
		const struct mibc_object_desc *o = m->n_objects
			? m->objects[rnd() % m->n_objects] : NULL;
		if (o && o->wire == MIBC_WIRE_NONE)
			o = NULL;
		size_t len;
		if (o && rnd() % 2) {
			/* a formatted value, mutated */
			struct mibc_raw_value v = random_value(o, octets, sub);
			int n = mibc_format_value(o, &v, &symbolic, text, sizeof text);
			ck_assert_int_ge(n, 0);
			len = strlen(text);
			for (int k = (int)(rnd() % 4); k > 0 && len > 0; k--) {
				size_t at = rnd() % len;
				switch (rnd() % 3) {
				case 0:
					memmove(text + at, text + at + 1, len - at);
					len--;
					break;
				case 1:
					text[at] = alphabet[rnd() % (sizeof alphabet - 1)];
					break;
				default:
					if (len + 1 < sizeof text) {
						memmove(text + at + 1, text + at, len - at + 1);
						text[at] = alphabet[rnd() % (sizeof alphabet - 1)];
						len++;
					}
					break;
				}
			}
		} else {
			len = rnd() % 40;
			for (size_t i = 0; i < len; i++)
				text[i] = rnd() % 4 ? alphabet[rnd() % (sizeof alphabet - 1)]
						    : (char)(1 + rnd() % 255);
			text[len] = '\0';
		}
		int rc = mibc_parse_value(o, text, rnd() % 2 ? &symbolic : NULL,
					  parsed);
		ck_assert_msg(rc == 0 || rc == MIBC_E_PARSE || rc == MIBC_E_RANGE
			      || rc == MIBC_E_WRONG_TYPE || rc == MIBC_E_UNSUPPORTED
			      || rc == MIBC_E_INVAL,
			      "[%s]: %d", text, rc);
		if (rc == 0) {
			parsed_ok++;
			if (o)
				ck_assert_int_eq(mibc_data_check(o, &parsed->value), 0);
			struct mibc_raw_value back = raw_of(&parsed->value);
			ck_assert_int_ge(mibc_format_value(o, &back, &symbolic, text,
							   sizeof text), 0);
		}
	}
	ck_assert_uint_gt(parsed_ok, 1000);
}
END_TEST

/* ---- the oracle: snmpset ------------------------------------------------- */

static char *mib_dir;

static void oracle_setup(void)
{
	setup();
	mib_dir = test_link_ietf_iana();
	test_link_folder("/usr/share/snmp/mibs", mib_dir);
	char *own = test_project_mib_path("");
	test_link_folder(own, mib_dir);
	free(own);
}

static void oracle_teardown(void)
{
	test_rmtree(mib_dir);
	free(mib_dir);
	teardown();
}

/* snmpset -d's dump of the datagram it sent (on stderr), decoded down to
 * the first varbind's value: its tag and content octets. */
static bool sent_value(const char *err, unsigned *tag, uint8_t *val,
		       size_t *len)
{
	const char *s = strstr(err, "Sending ");
	unsigned total;
	if (!s || sscanf(s, "Sending %u bytes", &total) != 1 || total > 4096)
		return false;
	uint8_t pkt[4096];
	size_t got = 0;
	const char *line = strchr(s, '\n');
	while (line && got < total) {
		line++;
		unsigned off;
		if (sscanf(line, "%4u:", &off) != 1)
			return false;
		const char *q = line + 5;
		for (size_t i = 0; i < 16 && got < total; i++) {
			unsigned b;
			while (*q == ' ')
				q++;
			if (sscanf(q, "%2x", &b) != 1)
				return false;
			pkt[got++] = (uint8_t)b;
			q += 2;
		}
		line = strchr(line, '\n');
	}
	/* message, version, community, PDU, id, status, index, list, varbind,
	 * name, value: walk the TLVs */
	size_t p = 0;
	int depth_enter[] = { 1, 0, 0, 1, 0, 0, 0, 1, 1, 0 };
	for (size_t step = 0; step < MIBC_N_ELEMENTS(depth_enter) + 1; step++) {
		if (p + 2 > got)
			return false;
		unsigned t = pkt[p++];
		size_t l = pkt[p++];
		if (l & 0x80) {
			size_t k = l & 0x7f;
			l = 0;
			while (k--)
				l = l << 8 | pkt[p++];
		}
		if (step == MIBC_N_ELEMENTS(depth_enter)) {
			*tag = t;
			memcpy(val, pkt + p, l);
			*len = l;
			return p + l <= got;
		}
		if (!depth_enter[step])
			p += l;
	}
	return false;
}

static int64_t ber_int(const uint8_t *p, size_t n)
{
	int64_t v = n && (p[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		v = (int64_t)((uint64_t)v << 8 | p[i]);
	return v;
}

/* snmpset MODULE::object.0 = text must send what mibc parses. */
static void check_snmpset(const struct mibc_object_desc *o, const char *text)
{
	char name[256];
	snprintf(name, sizeof name, "%s::%s.%d", o->module->name, o->name,
		 o->kind == MIBC_KIND_COLUMN ? 1 : 0);
	char port[32];
	snprintf(port, sizeof port, "127.0.0.1:%d", test_free_udp_port());
	const char *argv[] = { "snmpset", "-d", "-v2c", "-c", "private", "-t",
			       "0.1", "-r", "0", "-M", mib_dir, "-m", "ALL",
			       port, name, "=", text, NULL };
	struct test_run r = test_run_argv(NULL, argv, 30);
	unsigned tag;
	static uint8_t val[4096];
	size_t len;
	ck_assert_msg(sent_value(r.err, &tag, val, &len), "snmpset %s = %s:\n%s",
		      name, text, r.err);
	int rc = parse(o, text);
	ck_assert_msg(rc == 0, "%s [%s]: %s", name, text, mibc_err_name(rc));
	ck_assert_uint_eq(tag, (unsigned)parsed->value.wire);
	switch (tag) {
	case MIBC_WIRE_INTEGER:
		ck_assert_int_eq(ber_int(val, len), parsed->value.i);
		break;
	case MIBC_WIRE_GAUGE32: case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_TIMETICKS:
		ck_assert_int_eq(ber_int(val, len), (int64_t)parsed->value.u);
		break;
	case MIBC_WIRE_OID:
		ck_assert_uint_ge(parsed->value.oid_len, 2);
		ck_assert_uint_eq(val[0], parsed->value.oid[0] * 40
					  + parsed->value.oid[1]);
		ck_assert_uint_eq(len, parsed->value.oid_len - 1);   /* small arcs */
		for (size_t i = 2; i < parsed->value.oid_len; i++)
			ck_assert_uint_eq(val[i - 1], parsed->value.oid[i]);
		break;
	default:
		ck_assert_msg(len == parsed->value.len
			      && !memcmp(val, parsed->value.octets, len),
			      "%s = %s: snmpset sent %zu octets, mibc %zu", name,
			      text, len, parsed->value.len);
		break;
	}
	test_run_free(&r);
}

START_TEST(snmpset_oracle)
{
	/* where net-snmp parses DISPLAY-HINTs and names (not integer hints:
	 * snmpset reads "12.34" or "1f" as errors, and "17" for an "o" hint
	 * as decimal; mibc reads them through the hint, as snmpget prints) */
	check_snmpset(&mibc_test_mib_mibc_mac_address_desc, "aa:bb:cc:dd:ee:ff");
	check_snmpset(&mibc_test_mib_mibc_tc_mac_desc, "0a:1b:2c:3d:4e:5f");
	check_snmpset(&mibc_test_mib_mibc_tc_mac_desc, "0:1:2:3:4:5");
	check_snmpset(&mibc_test_mib_mibc_date_and_time_desc,
		      "2026-11-23,10:00:00.0,+0:0");
	check_snmpset(&mibc_test_mib_mibc_date_and_time_desc,
		      "1999-12-31,23:59:60.9,-11:30");
	check_snmpset(&mibc_test_mib_mibc_date_and_time_desc,
		      "2026-11-24,10:0:0.0");
	check_snmpset(&mibc_test_mib_mibc_tc_dotted_quad_desc, "192.0.2.77");
	check_snmpset(&mibc_test_mib_mibc_tc_string_desc, "hello world");
	check_snmpset(&mibc_test_mib_mibc_display_string_desc, "a \"quoted\" word");
	check_snmpset(&mibc_test_mib_mibc_tc_utf8_desc, "h\xc3\xa9llo");
	check_snmpset(&mibc_test_mib_mibc_bits_desc, "first,third");
	check_snmpset(&mibc_test_mib_mibc_bits_desc, "ninth");
	check_snmpset(&mibc_test_mib_mibc_tc_bits_desc, "0");
	check_snmpset(&mibc_test_mib_mibc_enum_desc, "2");
	check_snmpset(&mibc_test_mib_mibc_tc_enum_desc, "3");
	check_snmpset(&mibc_test_mib_mibc_truth_value_desc, "false");
	check_snmpset(&mibc_test_mib_mibc_integer_desc, "-5");
	check_snmpset(&mibc_test_mib_mibc_integer32_min_desc, "-2147483648");
	check_snmpset(&mibc_test_mib_mibc_unsigned32_desc, "4294967295");
	check_snmpset(&mibc_test_mib_mibc_time_ticks_desc, "12345");
	check_snmpset(&mibc_test_mib_mibc_ip_address_desc, "10.0.0.1");
	check_snmpset(&mibc_test_mib_mibc_object_id_desc, "1.3.6.1.4.1.99");
	check_snmpset(&mibc_test_mib_mibc_object_id_desc, ".1.3.6.1.2.1.2.2.1.8.3");
	check_snmpset(&snmpv2_mib_sys_contact_desc, "Ops Desk <ops@example.org>");
	check_snmpset(&snmpv2_mib_snmp_enable_authen_traps_desc, "disabled");
	check_snmpset(&if_mib_if_admin_status_desc, "testing");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *unit = tcase_create("unit");
	tcase_add_checked_fixture(unit, setup, teardown);
	tcase_add_test(unit, octet_hints);
	tcase_add_test(unit, integers);
	tcase_add_test(unit, bits_oids_addresses);
	tcase_add_test(unit, round_trips);
	tcase_add_test(unit, fuzz);
	tcase_set_timeout(unit, 300);
	suite_add_tcase(s, unit);
	if (test_agent_available()) {
		TCase *oracle = tcase_create("snmpset");
		tcase_add_checked_fixture(oracle, oracle_setup, oracle_teardown);
		tcase_add_test(oracle, snmpset_oracle);
		tcase_set_timeout(oracle, 300);
		suite_add_tcase(s, oracle);
	} else {
		fprintf(stderr, "net-snmp tools not available: snmpset oracle skipped\n");
	}
	return test_run_suite(s);
}
