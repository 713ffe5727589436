/* mibc value formatting: SNMP values printed the way net-snmp's snmpget
 * prints them, from an object's descriptor (DISPLAY-HINT, enumeration
 * names, BITS names, UNITS, expected wire type) and a decoded varbind value.
 *
 *   IF-MIB::ifOperStatus.1 = INTEGER: up(1)
 *   IF-MIB::ifPhysAddress.2 = STRING: 0:1a:2b:3c:4d:5e
 *   HOST-RESOURCES-MIB::hrSystemDate.0 = STRING: 2026-11-24,10:0:0.0,+0:0
 *   SNMPv2-MIB::sysUpTime.0 = Timeticks: (12345) 0:02:03.45
 *
 * Every function works like snprintf: it writes at most `size` bytes
 * including a terminating NUL (nothing when `size` is 0, `buf` may then be
 * NULL) and returns the length the whole text needs, without the NUL; the
 * output was cut short when the result is >= size.  It never reads outside
 * the value it is given, whatever the bytes or the hint.  The output holds no
 * NUL bytes; it may hold other control bytes and newlines where snmpget
 * prints them (strings with a text hint, Hex-STRING lines of 16 octets).
 *
 * Where the result differs from snmpget 5.9 on purpose:
 * - a numeric octet-format field (`4d`) longer than the octets left takes
 *   the octets there are (snmpget reads past the end of the value);
 * - BITS names every named bit (snmpget stops naming bits after the first
 *   set bit without a name);
 * - an integer DISPLAY-HINT other than d, d-N, x, o, b prints the plain
 *   number (snmpget gives up on the whole line);
 * - an OID no given module names prints numerically (".1.2.3"), except
 *   under the SNMPv2-SMI nodes the formatter knows itself (internet,
 *   mib-2, enterprises...).
 *
 * C11 and C++ compatible. */
#ifndef MIBC_FORMAT_H
#define MIBC_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Value tags besides enum mibc_wire (BER tags too). */
enum mibc_format_tag {
	MIBC_TAG_NULL = 0x05,
	MIBC_TAG_NO_SUCH_OBJECT = 0x80,
	MIBC_TAG_NO_SUCH_INSTANCE = 0x81,
	MIBC_TAG_END_OF_MIB_VIEW = 0x82,
};

/* A decoded varbind value: its BER tag and the field that tag uses.
 * - MIBC_WIRE_INTEGER: `integer`;
 * - MIBC_WIRE_COUNTER32, _GAUGE32, _TIMETICKS, _COUNTER64: `unsigned_`;
 * - MIBC_WIRE_OCTET_STRING, _IPADDRESS, _OPAQUE (the content octets, with
 *   the Opaque float/double/64-bit wrapping if any), _NSAP: `octets`, `len`;
 * - MIBC_WIRE_OID: `oid`, `oid_len`;
 * - MIBC_TAG_*: nothing.
 * The mibc_raw_*() helpers below build one. */
struct mibc_raw_value {
	unsigned tag;
	int64_t integer;
	uint64_t unsigned_;
	const uint8_t *octets;
	size_t len;
	const uint32_t *oid;
	size_t oid_len;
};

enum mibc_format_flags {
	/* snmpget -On: names and OID values as .1.3.6.1... */
	MIBC_FORMAT_NUMERIC_OIDS = 1u << 0,
	/* snmpget -Oe: enumerations as plain numbers. */
	MIBC_FORMAT_NUMERIC_ENUMS = 1u << 1,
};

/* How to format; NULL means all defaults (symbolic names from no module
 * but the object's own, hints and enumerations applied). */
struct mibc_format_options {
	unsigned flags;                 /* enum mibc_format_flags */
	/* The modules whose node names name OIDs (OID values, and instances
	 * of objects other than the one given), searched in this order. */
	const struct mibc_module_desc *const *modules;
	size_t n_modules;
};

/* The value as snmpget prints it after "name = ": `INTEGER: up(1)`,
 * `STRING: "text"`, `Hex-STRING: 00 1A `, `No Such Instance currently
 * exists at this OID`...  `object` (NULL: unknown) gives the hint, names
 * and units; a value whose wire type differs from the object's prints as
 * snmpget does: `Wrong Type (should be INTEGER): STRING: "x"`.
 * MIBC_E_INVAL when `value` is NULL or `buf` is NULL with size > 0. */
int mibc_format_value(const struct mibc_object_desc *object,
		      const struct mibc_raw_value *value,
		      const struct mibc_format_options *options,
		      char *buf, size_t size);

/* An OID as snmpget names it: `IF-MIB::ifOperStatus.1` (index decoded
 * per the column's INDEX: integers, enumeration labels, "strings",
 * 'implied strings', IpAddress, InetAddress), `NET-SNMP-TC::linux`, or
 * `.1.3.6.1...` with MIBC_FORMAT_NUMERIC_OIDS.  `object`, when its OID is
 * a prefix of `oid`, is used before searching the options' modules. */
int mibc_format_oid(const struct mibc_object_desc *object,
		    const uint32_t *oid, size_t oid_len,
		    const struct mibc_format_options *options,
		    char *buf, size_t size);

/* snmpget's whole line, without the newline:
 * `IF-MIB::ifOperStatus.1 = INTEGER: up(1)`. */
int mibc_format_varbind_line(const struct mibc_object_desc *object,
			     const uint32_t *oid, size_t oid_len,
			     const struct mibc_raw_value *value,
			     const struct mibc_format_options *options,
			     char *buf, size_t size);

/* The raw form of a value an agent sent (struct mibc_value, mibc.h), to
 * format it: 0, or MIBC_E_INVAL for NULL arguments.  Pointers into the
 * value. */
struct mibc_value;
int mibc_value_raw(const struct mibc_value *value, struct mibc_raw_value *raw);

static inline struct mibc_raw_value mibc_raw_integer(int64_t v)
{
	struct mibc_raw_value r = { MIBC_WIRE_INTEGER, v, 0, NULL, 0, NULL, 0 };
	return r;
}

/* Counter32, Gauge32, TimeTicks, Counter64. */
static inline struct mibc_raw_value mibc_raw_unsigned(enum mibc_wire wire,
						      uint64_t v)
{
	struct mibc_raw_value r = { (unsigned)wire, 0, v, NULL, 0, NULL, 0 };
	return r;
}

/* OCTET STRING, IpAddress, Opaque, NsapAddress. */
static inline struct mibc_raw_value mibc_raw_octets(enum mibc_wire wire,
						    const uint8_t *octets,
						    size_t len)
{
	struct mibc_raw_value r = { (unsigned)wire, 0, 0, octets, len, NULL, 0 };
	return r;
}

static inline struct mibc_raw_value mibc_raw_oid(const uint32_t *oid,
						 size_t len)
{
	struct mibc_raw_value r = { MIBC_WIRE_OID, 0, 0, NULL, 0, oid, len };
	return r;
}

/* NULL and the exceptions (enum mibc_format_tag). */
static inline struct mibc_raw_value mibc_raw_tag(unsigned tag)
{
	struct mibc_raw_value r = { tag, 0, 0, NULL, 0, NULL, 0 };
	return r;
}

#ifdef __cplusplus
}
#endif

#endif
