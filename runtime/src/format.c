/* Values and OIDs printed as net-snmp's snmpget prints them (see
 * mibc/format.h).  Everything goes through one bounded writer (struct out)
 * that counts what it could not store, so a short buffer only truncates. */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/format.h>
#include <mibc/mibc.h>

#include "smi-nodes.h"

/* Octets per Hex-STRING line (net-snmp's default hexOutputLength). */
#define HEX_LINE 16
/* The decimal shift d-N is clamped here (snmpget's own buffer is 256). */
#define MAX_SHIFT 200

struct out {
	char *buf;
	size_t size;
	size_t len;     /* what the whole output needs so far */
};

static void put_mem(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len = n > SIZE_MAX - o->len ? SIZE_MAX : o->len + n;
}

static void put_str(struct out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

static void put_char(struct out *o, char c)
{
	put_mem(o, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void put_fmt(struct out *o, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put_mem(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Back to an earlier length (what was written past it is overwritten). */
static void out_rewind(struct out *o, size_t len)
{
	o->len = len;
}

static int out_finish(struct out *o)
{
	if (o->size > 0)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len > INT_MAX ? MIBC_E_RANGE : (int)o->len;
}

/* The C locale's isprint and isspace, whatever the locale. */
static bool c_print(unsigned c)
{
	return c >= 0x20 && c < 0x7f;
}

static bool c_space(unsigned c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static const struct mibc_format_options default_options;

/* ---- numbers ------------------------------------------------------- */

static void put_units(struct out *o, const char *units)
{
	if (units) {
		put_char(o, ' ');
		put_str(o, units);
	}
}

static unsigned parse_shift(const char *s)
{
	unsigned v = 0;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned)(*s++ - '0');
		if (v > MAX_SHIFT)
			v = MAX_SHIFT;
	}
	return v;
}

/* An integer with a DISPLAY-HINT (RFC 2579: d, d-N, x, o, b); false when
 * the hint is none of those and nothing was written. */
static bool put_hinted_integer(struct out *o, int64_t v, const char *hint)
{
	char tmp[MAX_SHIFT + 80];
	uint64_t bits = (uint64_t)v;

	switch (hint[0]) {
	case 'd': {
		unsigned shift = hint[1] == '-' ? parse_shift(hint + 2) : 0;
		bool negative = v < 0;
		uint64_t mag = negative ? 0 - bits : bits;
		int len = snprintf(tmp, sizeof(tmp), "%" PRIu64, mag);
		if (shift > 0) {
			size_t l = (size_t)len;
			if (shift <= l) {
				memmove(tmp + l - shift + 1, tmp + l - shift, shift + 1);
				tmp[l - shift] = '.';
			} else {
				size_t zeros = shift - l;
				memmove(tmp + 1 + zeros, tmp, l + 1);
				tmp[0] = '.';
				memset(tmp + 1, '0', zeros);
			}
		}
		if (negative)
			put_char(o, '-');
		put_str(o, tmp);
		return true;
	}
	case 'x':
		put_fmt(o, "%" PRIx64, bits);
		return true;
	case 'o':
		put_fmt(o, "%" PRIo64, bits);
		return true;
	case 'b':
		for (uint32_t bit = UINT32_C(0x80000000); bit; bit >>= 1)
			put_char(o, (bits & bit) ? '1' : '0');
		return true;
	default:
		return false;
	}
}

static void put_integer(struct out *o, const struct mibc_object_desc *obj,
			int64_t v, unsigned flags)
{
	const char *name = NULL;
	if (obj && obj->n_names && !(flags & MIBC_FORMAT_NUMERIC_ENUMS))
		name = mibc_enum_name(obj->names, obj->n_names, v);
	put_str(o, "INTEGER: ");
	if (name) {
		put_str(o, name);
		put_fmt(o, "(%" PRId64 ")", v);
	} else if (!(obj && obj->display_hint
		     && put_hinted_integer(o, v, obj->display_hint))) {
		put_fmt(o, "%" PRId64, v);
	}
	put_units(o, obj ? obj->units : NULL);
}

static void put_uptime(struct out *o, uint64_t ticks)
{
	unsigned centis = (unsigned)(ticks % 100);
	uint64_t t = ticks / 100;
	uint64_t days = t / 86400;
	t %= 86400;
	unsigned h = (unsigned)(t / 3600), m = (unsigned)(t % 3600 / 60),
		 s = (unsigned)(t % 60);
	if (days == 0)
		put_fmt(o, "%u:%02u:%02u.%02u", h, m, s, centis);
	else
		put_fmt(o, "%" PRIu64 " day%s, %u:%02u:%02u.%02u", days,
			days == 1 ? "" : "s", h, m, s, centis);
}

/* ---- octet strings ------------------------------------------------- */

static void put_hex_octets(struct out *o, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && i % HEX_LINE == 0)
			put_char(o, '\n');
		char t[3] = { digits[p[i] >> 4], digits[p[i] & 15], ' ' };
		put_mem(o, t, 3);
	}
}

/* Printable bytes and white space as they are, '\\' and '"' escaped,
 * anything else as '.'. */
static void put_ascii(struct out *o, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (c_print(p[i]) || c_space(p[i])) {
			if (p[i] == '\\' || p[i] == '"')
				put_char(o, '\\');
			put_char(o, (char)p[i]);
		} else {
			put_char(o, '.');
		}
	}
}

static void put_plain_string(struct out *o, const uint8_t *p, size_t len,
			     const char *units)
{
	bool hex = false;
	for (size_t i = 0; i < len && !hex; i++)
		hex = !c_print(p[i]) && !c_space(p[i]);
	if (len == 0) {
		put_str(o, "\"\"");
		return;     /* snmpget adds no units here */
	}
	if (hex) {
		put_str(o, "Hex-STRING: ");
		put_hex_octets(o, p, len);
	} else {
		put_str(o, "STRING: \"");
		put_ascii(o, p, len);
		put_char(o, '"');
	}
	put_units(o, units);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether `c` after a field is its separator or terminator (net-snmp's
 * reading of RFC 2579: a digit or '*' starts the next field, and after a
 * field without a length x, d and o do as well). */
static bool hint_delim(char c, unsigned width)
{
	return c && c != '*' && !is_digit(c)
	       && (width != 0 || (c != 'x' && c != 'd' && c != 'o'));
}

/* An OCTET STRING with an octet-format DISPLAY-HINT; false (nothing
 * kept) when the hint has a format letter other than x, d, o, a, t. */
static bool put_hinted_string(struct out *o, const uint8_t *p, size_t len,
			      const char *hint)
{
	/* An empty value prints nothing, and its pointer may be NULL: NULL +
	 * 0 is undefined (UBSan, found by fuzz/fuzz-format.c). */
	if (len == 0)
		return true;
	const uint8_t *end = p + len;
	unsigned width = 1;
	char code = 'd', separ = 0, term = 0;

	while (p < end) {
		unsigned repeat = 1;
		if (*hint) {
			if (*hint == '*') {
				repeat = *p++;
				hint++;
			}
			width = 0;
			while (is_digit(*hint)) {
				width = width * 10 + (unsigned)(*hint++ - '0');
				if (width > 0xFFFFFF)
					width = 0xFFFFFF;
			}
			code = *hint;
			if (*hint)
				hint++;
			separ = hint_delim(*hint, width) ? *hint++ : 0;
			term = hint_delim(*hint, width) ? *hint++ : 0;
			if (width == 0)
				width = 1;
		}
		for (; repeat && p < end; repeat--) {
			uint64_t value = 0;
			size_t avail = (size_t)(end - p);
			size_t n = width < avail ? width : avail;
			switch (code) {
			case 'x': case 'd': case 'o':
				for (size_t i = 0; i < n; i++)
					value = value * 256 + *p++;
				if (code == 'd')
					put_fmt(o, "%" PRId64, (int64_t)value);
				else if (code == 'o')
					put_fmt(o, "%" PRIo64, value);
				else if (value < 16 && width == 1 && !separ && !*hint)
					put_fmt(o, "0%" PRIx64, value);
				else
					put_fmt(o, "%" PRIx64, value);
				break;
			case 'a': case 't':
				/* net-snmp: raw bytes (UTF-8 kept), unless there is
				 * a NUL among them */
				if (memchr(p, 0, n))
					put_ascii(o, p, n);
				else
					put_mem(o, (const char *)p, n);
				p += n;
				break;
			default:
				return false;
			}
			if (p < end && separ)
				put_char(o, separ);
		}
		if (term && p < end)
			put_char(o, term);
	}
	return true;
}

static void put_octet_string(struct out *o, const struct mibc_object_desc *obj,
			     const uint8_t *p, size_t len)
{
	const char *hint = obj ? obj->display_hint : NULL;
	const char *units = obj ? obj->units : NULL;
	if (hint) {
		size_t start = o->len;
		put_str(o, "STRING: ");
		if (put_hinted_string(o, p, len, hint)) {
			put_units(o, units);
			return;
		}
		out_rewind(o, start);
		put_str(o, "(Bad hint ignored: ");
		put_str(o, hint);
		put_str(o, ") ");
	}
	put_plain_string(o, p, len, units);
}

static void put_bits(struct out *o, const struct mibc_object_desc *obj,
		     const uint8_t *p, size_t len, unsigned flags)
{
	put_str(o, "BITS: ");
	put_hex_octets(o, p, len);
	for (size_t i = 0; i < len; i++) {
		for (unsigned b = 0; b < 8; b++) {
			if (!(p[i] & (0x80u >> b)))
				continue;
			uint64_t bit = (uint64_t)i * 8 + b;
			const char *name = NULL;
			if (!(flags & MIBC_FORMAT_NUMERIC_ENUMS))
				name = mibc_enum_name(obj->names, obj->n_names,
						      (int64_t)bit);
			if (name)
				put_fmt(o, "%s(%" PRIu64 ") ", name, bit);
			else
				put_fmt(o, "%" PRIu64 " ", bit);
		}
	}
}

/* ---- Opaque ---------------------------------------------------------- */

static uint64_t be_uint(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* RFC draft "Opaque special types" as net-snmp sends them: 9f 78 04
 * <float>, 9f 79 08 <double>, 9f 76/7a/7b nn <64-bit>.  False when the
 * octets are not exactly one of those. */
static bool put_opaque_special(struct out *o, const uint8_t *p, size_t len)
{
	if (len < 3 || p[0] != 0x9f || p[2] != len - 3)
		return false;
	const uint8_t *v = p + 3;
	size_t n = len - 3;
	switch (p[1]) {
	case 0x78: {
		if (n != 4)
			return false;
		uint32_t bits = (uint32_t)be_uint(v, 4);
		float f;
		memcpy(&f, &bits, sizeof f);
		put_fmt(o, "Opaque: Float: %f", (double)f);
		return true;
	}
	case 0x79: {
		if (n != 8)
			return false;
		uint64_t bits = be_uint(v, 8);
		double d;
		memcpy(&d, &bits, sizeof d);
		/* %f of 1e308 has 309 digits: print through a big buffer */
		char tmp[400];
		snprintf(tmp, sizeof tmp, "Opaque: Double: %f", d);
		put_str(o, tmp);
		return true;
	}
	case 0x76: case 0x7a: case 0x7b:
		if (n < 1 || n > 9 || (n == 9 && v[0] != 0))
			return false;
		if (p[1] == 0x7a) {
			uint64_t u = be_uint(v, n);
			if (n < 8 && (v[0] & 0x80))
				u |= ~UINT64_C(0) << (n * 8);
			put_fmt(o, "Opaque: Int64: %" PRId64, (int64_t)u);
		} else {
			put_fmt(o, "Opaque: %s: %" PRIu64,
				p[1] == 0x76 ? "Counter64" : "UInt64",
				be_uint(v, n));
		}
		return true;
	default:
		return false;
	}
}

static void put_opaque(struct out *o, const uint8_t *p, size_t len,
		       const char *units)
{
	if (put_opaque_special(o, p, len))
		return;
	put_str(o, "OPAQUE: ");
	put_hex_octets(o, p, len);
	put_units(o, units);
}

/* ---- OIDs ------------------------------------------------------------ */

static void put_numeric_oid(struct out *o, const uint32_t *oid, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put_fmt(o, ".%" PRIu32, oid[i]);
}

static bool oid_has_prefix(const uint32_t *oid, size_t len,
			   const uint32_t *prefix, size_t plen)
{
	return plen <= len && (plen == 0 || memcmp(oid, prefix,
						   plen * sizeof *oid) == 0);
}

/* The node with the longest OID that is a prefix of `oid`. */
static const struct mibc_object_desc *
find_node(const struct mibc_object_desc *object, const uint32_t *oid,
	  size_t len, const struct mibc_format_options *opt)
{
	if (object && object->oid && object->oid_len > 0
	    && oid_has_prefix(oid, len, object->oid, object->oid_len))
		return object;
	for (size_t k = len; k > 0; k--) {
		for (size_t m = 0; m < opt->n_modules; m++) {
			const struct mibc_object_desc *node;
			if (!opt->modules[m])
				continue;
			node = mibc_module_find_node(opt->modules[m], oid, k);
			if (node)
				return node;
		}
	}
	return NULL;
}

/* A string index, as net-snmp shows it: quoted, bytes that are not
 * printable as '.'. */
static void put_index_string(struct out *o, const uint32_t *sub, size_t n,
			     char quote)
{
	put_char(o, quote);
	for (size_t i = 0; i < n; i++)
		put_char(o, sub[i] <= 254 && c_print(sub[i]) ? (char)sub[i] : '.');
	put_char(o, quote);
}

/* InetAddress index after its InetAddressType: "a.b.c.d", "fe:80:..."
 * with a "%zone" for the z types; false when the form does not fit. */
static bool put_index_inet(struct out *o, uint32_t type, const uint32_t *sub,
			   size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sub[i] > 255)
			return false;
	size_t addr;
	if ((type == 1 && n == 4) || (type == 3 && n == 8))
		addr = 4;
	else if ((type == 2 && n == 16) || (type == 4 && n == 20))
		addr = 16;
	else
		return false;
	put_char(o, '"');
	for (size_t i = 0; i < addr; i++) {
		if (addr == 4)
			put_fmt(o, i ? ".%" PRIu32 : "%" PRIu32, sub[i]);
		else
			put_fmt(o, i ? ":%02" PRIx32 : "%02" PRIx32, sub[i]);
	}
	if (n > addr) {
		uint32_t zone = 0;
		for (size_t i = addr; i < n; i++)
			zone = zone << 8 | sub[i];
		put_fmt(o, "%%%" PRIu32, zone);
	}
	put_char(o, '"');
	return true;
}

static bool is_integer_wire(enum mibc_wire w)
{
	return w == MIBC_WIRE_INTEGER || w == MIBC_WIRE_GAUGE32
	       || w == MIBC_WIRE_COUNTER32 || w == MIBC_WIRE_TIMETICKS;
}

/* The instance part after a column's name: each INDEX element, then
 * whatever is left as numbers. */
static void put_index(struct out *o, const struct mibc_object_desc *column,
		      const uint32_t *sub, size_t n)
{
	for (size_t e = 0; e < column->n_index && n > 0; e++) {
		const struct mibc_index_elem *elem = &column->index[e];
		const struct mibc_object_desc *io = elem->object;
		size_t used;
		if (!io)
			break;
		put_char(o, '.');
		if (is_integer_wire(io->wire)) {
			const char *name = NULL;
			if (io->n_names)
				name = mibc_enum_name(io->names, io->n_names,
						      (int32_t)sub[0]);
			if (name)
				put_str(o, name);
			else
				put_fmt(o, "%" PRIu32, sub[0]);
			used = 1;
		} else if (io->wire == MIBC_WIRE_IPADDRESS) {
			if (n < 4)
				goto rest_after_dot;
			put_fmt(o, "%" PRIu32 ".%" PRIu32 ".%" PRIu32 ".%" PRIu32,
				sub[0], sub[1], sub[2], sub[3]);
			used = 4;
		} else if (io->wire == MIBC_WIRE_OCTET_STRING) {
			if (elem->implied || elem->fixed_len) {
				used = elem->implied ? n : elem->fixed_len;
				if (used > n)
					goto rest_after_dot;
				put_index_string(o, sub, used, '\'');
			} else {
				if (sub[0] >= n)
					goto rest_after_dot;
				used = (size_t)sub[0] + 1;
				const struct mibc_index_elem *prev =
					e > 0 ? &column->index[e - 1] : NULL;
				bool inet = prev && prev->object
					    && io->tc_name && prev->object->tc_name
					    && !strcmp(io->tc_name, "InetAddress")
					    && !strcmp(prev->object->tc_name,
						       "InetAddressType");
				if (used == 1)
					put_str(o, "\"\"");
				else if (!(inet && put_index_inet(o, sub[-1], sub + 1,
								  used - 1)))
					put_index_string(o, sub + 1, used - 1, '"');
			}
		} else if (io->wire == MIBC_WIRE_OID) {
			if (elem->implied) {
				used = n;
			} else {
				if (sub[0] >= n)
					goto rest_after_dot;
				used = (size_t)sub[0] + 1;
			}
			for (size_t i = 0; i < used; i++)
				put_fmt(o, i ? ".%" PRIu32 : "%" PRIu32, sub[i]);
		} else {
			goto rest_after_dot;
		}
		sub += used;
		n -= used;
	}
	put_numeric_oid(o, sub, n);
	return;
rest_after_dot:
	/* the '.' is written: the numbers follow it */
	for (size_t i = 0; i < n; i++)
		put_fmt(o, i ? ".%" PRIu32 : "%" PRIu32, sub[i]);
}

static void put_oid(struct out *o, const struct mibc_object_desc *object,
		    const uint32_t *oid, size_t len,
		    const struct mibc_format_options *opt)
{
	if (opt->flags & MIBC_FORMAT_NUMERIC_OIDS || len == 0) {
		put_numeric_oid(o, oid, len);
		return;
	}
	const struct mibc_object_desc *node = find_node(object, oid, len, opt);
	if (node && node->oid_len > 0) {
		if (node->module && node->module->name) {
			put_str(o, node->module->name);
			put_str(o, "::");
		}
		put_str(o, node->name ? node->name : "?");
		if (node->kind == MIBC_KIND_COLUMN && node->index)
			put_index(o, node, oid + node->oid_len,
				  len - node->oid_len);
		else
			put_numeric_oid(o, oid + node->oid_len,
					len - node->oid_len);
		return;
	}
	const struct smi_node *best = NULL;
	for (size_t i = 0; i < smi_nodes_count; i++) {
		const struct smi_node *s = &smi_nodes[i];
		if (oid_has_prefix(oid, len, s->oid, s->len)
		    && (!best || s->len > best->len))
			best = s;
	}
	if (!best) {
		put_numeric_oid(o, oid, len);
		return;
	}
	if (best->len > 1)
		put_str(o, "SNMPv2-SMI::");
	put_str(o, best->name);
	put_numeric_oid(o, oid + best->len, len - best->len);
}

/* ---- values ---------------------------------------------------------- */

/* A value printed by its own type: no hint, names or units. */
static void put_by_type(struct out *o, const struct mibc_raw_value *v,
			const struct mibc_object_desc *obj,
			const struct mibc_format_options *opt)
{
	const char *units = obj ? obj->units : NULL;
	switch (v->tag) {
	case MIBC_WIRE_INTEGER:
		put_integer(o, obj, v->integer, opt->flags);
		break;
	case MIBC_WIRE_OCTET_STRING:
		if (obj && obj->type == MIBC_TYPE_BITS)
			put_bits(o, obj, v->octets, v->len, opt->flags);
		else
			put_octet_string(o, obj, v->octets, v->len);
		break;
	case MIBC_WIRE_OID:
		put_str(o, "OID: ");
		put_oid(o, NULL, v->oid, v->oid_len, opt);
		break;
	case MIBC_WIRE_IPADDRESS:
		put_str(o, "IpAddress: ");
		for (size_t i = 0; i < v->len; i++)
			put_fmt(o, i ? ".%u" : "%u", (unsigned)v->octets[i]);
		break;
	case MIBC_WIRE_COUNTER32:
		put_fmt(o, "Counter32: %" PRIu32, (uint32_t)v->unsigned_);
		put_units(o, units);
		break;
	case MIBC_WIRE_GAUGE32:
		put_str(o, "Gauge32: ");
		if (!(obj && obj->display_hint
		      && put_hinted_integer(o, (int64_t)(uint32_t)v->unsigned_,
					    obj->display_hint)))
			put_fmt(o, "%" PRIu32, (uint32_t)v->unsigned_);
		put_units(o, units);
		break;
	case MIBC_WIRE_TIMETICKS:
		put_fmt(o, "Timeticks: (%" PRIu32 ") ", (uint32_t)v->unsigned_);
		put_uptime(o, (uint32_t)v->unsigned_);
		put_units(o, units);
		break;
	case MIBC_WIRE_COUNTER64:
		put_fmt(o, "Counter64: %" PRIu64, v->unsigned_);
		put_units(o, units);
		break;
	case MIBC_WIRE_OPAQUE:
		put_opaque(o, v->octets, v->len, units);
		break;
	case MIBC_WIRE_NSAP:
		put_str(o, "NsapAddress: ");
		put_hex_octets(o, v->octets, v->len);
		break;
	case MIBC_TAG_NULL:
		put_str(o, "NULL");
		break;
	case MIBC_TAG_NO_SUCH_OBJECT:
		put_str(o, "No Such Object available on this agent at this OID");
		break;
	case MIBC_TAG_NO_SUCH_INSTANCE:
		put_str(o, "No Such Instance currently exists at this OID");
		break;
	case MIBC_TAG_END_OF_MIB_VIEW:
		put_str(o, "No more variables left in this MIB View "
			   "(It is past the end of the MIB tree)");
		break;
	default:
		put_str(o, "Variable has bad type");
		break;
	}
}

static const char *expected_type(const struct mibc_object_desc *obj)
{
	switch (obj->wire) {
	case MIBC_WIRE_INTEGER: return "INTEGER";
	case MIBC_WIRE_OCTET_STRING:
		return obj->type == MIBC_TYPE_BITS ? "BITS" : "OCTET STRING";
	case MIBC_WIRE_OID: return "OBJECT IDENTIFIER";
	case MIBC_WIRE_IPADDRESS: return "IpAddress";
	case MIBC_WIRE_COUNTER32: return "Counter32";
	case MIBC_WIRE_GAUGE32: return "Gauge32 or Unsigned32";
	case MIBC_WIRE_TIMETICKS: return "Timeticks";
	case MIBC_WIRE_OPAQUE: return "Opaque";
	case MIBC_WIRE_NSAP: return "NsapAddress";
	case MIBC_WIRE_COUNTER64: return "Counter64";
	default: return NULL;
	}
}

/* Whether octets/oid pointers the tag needs are there. */
static bool value_ok(const struct mibc_raw_value *v)
{
	switch (v->tag) {
	case MIBC_WIRE_OCTET_STRING: case MIBC_WIRE_IPADDRESS:
	case MIBC_WIRE_OPAQUE: case MIBC_WIRE_NSAP:
		return v->octets || v->len == 0;
	case MIBC_WIRE_OID:
		return v->oid || v->oid_len == 0;
	default:
		return true;
	}
}

static void put_value(struct out *o, const struct mibc_object_desc *obj,
		      const struct mibc_raw_value *v,
		      const struct mibc_format_options *opt)
{
	bool exception = v->tag == MIBC_TAG_NULL
			 || v->tag == MIBC_TAG_NO_SUCH_OBJECT
			 || v->tag == MIBC_TAG_NO_SUCH_INSTANCE
			 || v->tag == MIBC_TAG_END_OF_MIB_VIEW;
	const char *expected = obj ? expected_type(obj) : NULL;
	if (!exception && expected && v->tag != (unsigned)obj->wire) {
		put_str(o, "Wrong Type (should be ");
		put_str(o, expected);
		put_str(o, "): ");
		put_by_type(o, v, NULL, opt);
		return;
	}
	put_by_type(o, v, expected ? obj : NULL, opt);
}

int mibc_format_value(const struct mibc_object_desc *object,
		      const struct mibc_raw_value *value,
		      const struct mibc_format_options *options,
		      char *buf, size_t size)
{
	if (!value || (!buf && size > 0) || !value_ok(value))
		return MIBC_E_INVAL;
	struct out o = { buf, size, 0 };
	put_value(&o, object, value, options ? options : &default_options);
	return out_finish(&o);
}

int mibc_format_oid(const struct mibc_object_desc *object,
		    const uint32_t *oid, size_t oid_len,
		    const struct mibc_format_options *options,
		    char *buf, size_t size)
{
	if ((!oid && oid_len > 0) || (!buf && size > 0))
		return MIBC_E_INVAL;
	struct out o = { buf, size, 0 };
	put_oid(&o, object, oid, oid_len, options ? options : &default_options);
	return out_finish(&o);
}

int mibc_format_varbind_line(const struct mibc_object_desc *object,
			     const uint32_t *oid, size_t oid_len,
			     const struct mibc_raw_value *value,
			     const struct mibc_format_options *options,
			     char *buf, size_t size)
{
	if ((!oid && oid_len > 0) || !value || (!buf && size > 0)
	    || !value_ok(value))
		return MIBC_E_INVAL;
	const struct mibc_format_options *opt = options ? options : &default_options;
	struct out o = { buf, size, 0 };
	put_oid(&o, object, oid, oid_len, opt);
	put_str(&o, " = ");
	put_value(&o, object, value, opt);
	return out_finish(&o);
}
