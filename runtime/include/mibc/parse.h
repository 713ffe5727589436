/* mibc value parsing: text to an SNMP value, the reverse of mibc/format.h,
 * through an object's descriptor (wire type, DISPLAY-HINT, enumeration and
 * BITS names, UNITS), ready to send with mibc/set.h.
 *
 * Accepted, for an object of each type:
 * - everything mibc_format_value() prints for it, type prefix included
 *   ("INTEGER: up(1)", "STRING: 0:1a:2b:3c:4d:5e", "Hex-STRING: 00 1A ",
 *   "BITS: A0 first(0) third(2) ", "Timeticks: (123) 0:00:01.23",
 *   "Gauge32: 12.34 degrees Celsius"), so that
 *   format(parse(format(v))) == format(v) and parse(format(v)) == v
 *   except where formatting loses information (a NUL byte in a text
 *   field, a numeric field cut short by the end of the value);
 * - the same without the type prefix and units, as a user types it:
 *   - enumerations: `up`, `up(1)` or `1`;
 *   - integers with a DISPLAY-HINT: d-N as a decimal fraction (`12.34`,
 *     `-0.05`, `12` meaning 12.00), x, o, b in their base; others decimal;
 *   - OCTET STRING with an octet-format DISPLAY-HINT: the hint's fields
 *     (`aa:bb:cc:dd:ee:ff` for "1x:", `2026-11-23,10:00:00.0,+0:0` for
 *     DateAndTime, plain text for "255a"), numeric fields filling their
 *     full width;
 *   - OCTET STRING without a hint: the text's bytes; text in double
 *     quotes is read as snmpget prints it (without the quotes, `\"` and
 *     `\\` escaped), so `""` is the empty string;
 *   - BITS: names, `name(n)` or bit numbers, separated by spaces or
 *     commas (`first third`), in as many octets as hold every named bit
 *     (as net-snmp's snmpset sends them; at least the smallest SIZE);
 *   - OBJECT IDENTIFIER: dotted (`1.3.6.1.4.1.99999`, a leading dot
 *     allowed) or named (`IF-MIB::ifOperStatus.3`, `enterprises.99999`,
 *     `SNMPv2-SMI::zeroDotZero`) by the object's module, the options'
 *     modules and the SNMPv2-SMI nodes, with the instance part after a
 *     column's name as the formatter writes it (numbers, enumeration
 *     labels, "strings" with their length, 'implied strings', InetAddress
 *     after InetAddressType as "192.0.2.1" or "fe:80:...");
 *   - IpAddress: `192.0.2.1`; Counter32, Gauge32, Counter64: decimal
 *     (Gauge32 through a hint as integers); TimeTicks: hundredths of a
 *     second, or a duration as snmpget shows it (`1 day, 2:03:04.05`,
 *     `0:10:00`).
 * Without an object, the text needs its type prefix ("INTEGER: 5",
 * "STRING: x", "OID: .1.3.6"); enumeration and hint forms then need their
 * object.  Opaque: "OPAQUE: " hex only.
 *
 * C11 and C++ compatible. */
#ifndef MIBC_PARSE_H
#define MIBC_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>
#include <mibc/format.h>
#include <mibc/mibc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest OCTET STRING SMI allows. */
#define MIBC_PARSE_MAX_OCTETS 65535

/* A parsed value with room for what it holds: `value` points into
 * `oid` and `octets`, so copy the whole struct only with care (or parse
 * again).  About 64 KiB: allocate it, don't put arrays of it on a stack. */
struct mibc_parsed {
	struct mibc_data value;
	uint32_t oid[MIBC_OID_MAX_LEN];
	uint8_t octets[MIBC_PARSE_MAX_OCTETS];
};

/* Parse `text` (NUL-terminated) as a value of `object` (NULL: the text's
 * type prefix decides), naming OIDs through `options` (NULL: the object's
 * module and the SNMPv2-SMI nodes; its flags are honoured as by
 * mibc_format_value).  0 and out->value checked with mibc_data_check(),
 * or MIBC_E_PARSE (not a value of the type, hint or enumeration),
 * MIBC_E_WRONG_TYPE (a type prefix other than the object's), MIBC_E_RANGE
 * (outside the object's ranges, sizes, enumeration, or the type's),
 * MIBC_E_UNSUPPORTED (Opaque floats and special types), MIBC_E_INVAL. */
int mibc_parse_value(const struct mibc_object_desc *object, const char *text,
		     const struct mibc_format_options *options,
		     struct mibc_parsed *out);

#ifdef __cplusplus
}
#endif

#endif
