/* Text to SNMP values, the reverse of format.c (see mibc/parse.h).  Every
 * reader works on a cursor over the text and either consumes what it
 * understood or fails; nothing is written past the mibc_parsed buffers. */
#include <stdbool.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/format.h>
#include <mibc/mibc.h>
#include <mibc/parse.h>
#include <mibc/set.h>

#include "smi-nodes.h"

struct cur {
	const char *p;
	const char *end;
};

/* Where the parsed octets go. */
struct octets {
	uint8_t *buf;
	size_t len;
};

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static bool peek(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool eat(struct cur *c, char ch)
{
	if (!peek(c, ch))
		return false;
	c->p++;
	return true;
}

static bool eat_str(struct cur *c, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool ends_with(const struct cur *c, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(c->end - c->p) >= n && memcmp(c->end - n, s, n) == 0;
}

/* The C locale's isspace, whatever the locale. */
static bool c_space(char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static void trim(struct cur *c)
{
	while (c->p < c->end && c_space(*c->p))
		c->p++;
	while (c->end > c->p && c_space(c->end[-1]))
		c->end--;
}

static void skip_space(struct cur *c)
{
	while (c->p < c->end && c_space(*c->p))
		c->p++;
}

static int digit_in(char ch, unsigned base)
{
	int d;
	if (ch >= '0' && ch <= '9')
		d = ch - '0';
	else if (ch >= 'a' && ch <= 'f')
		d = ch - 'a' + 10;
	else if (ch >= 'A' && ch <= 'F')
		d = ch - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* Digits of `base`, at least one and at most `max_digits` (0: any):
 * false without digits; MIBC_E_RANGE in *err past UINT64_MAX. */
static bool read_u64(struct cur *c, unsigned base, size_t max_digits,
		     uint64_t *v, int *err)
{
	uint64_t x = 0;
	size_t n = 0;
	int d;
	while (c->p < c->end && (max_digits == 0 || n < max_digits)
	       && (d = digit_in(*c->p, base)) >= 0) {
		if (x > (UINT64_MAX - (uint64_t)d) / base)
			*err = MIBC_E_RANGE;
		x = x * base + (uint64_t)d;
		c->p++;
		n++;
	}
	*v = x;
	return n > 0;
}

/* A whole decimal number, maybe negative, as int64. */
static int read_decimal(struct cur *c, int64_t *v)
{
	bool negative = eat(c, '-');
	uint64_t mag;
	int err = 0;
	if (!read_u64(c, 10, 0, &mag, &err))
		return MIBC_E_PARSE;
	if (err || mag > (uint64_t)INT64_MAX + (negative ? 1 : 0))
		return MIBC_E_RANGE;
	*v = negative ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}

static bool is_ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_ident(char ch)
{
	return is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '-'
	       || ch == '_';
}

/* An SMI identifier (a label or a name), into buf; false when none or
 * too long. */
static bool read_ident(struct cur *c, char *buf, size_t size)
{
	size_t n = 0;
	if (!c->p || at_end(c) || !is_ident_start(*c->p))
		return false;
	while (c->p < c->end && is_ident(*c->p)) {
		if (n + 1 >= size)
			return false;
		buf[n++] = *c->p++;
	}
	buf[n] = '\0';
	return true;
}

/* ---- integers ---------------------------------------------------------- */

/* An integer through a DISPLAY-HINT (d, d-N, x, o, b: RFC 2579);
 * MIBC_E_UNSUPPORTED when the hint is none of those (the formatter then
 * prints plain decimal).  `is_signed`: a 32-bit "b" field is two's
 * complement (the formatter prints the low 32 bits). */
static int read_hinted_integer(struct cur *c, const char *hint, bool is_signed,
			       int64_t *v)
{
	uint64_t bits;
	int err = 0;
	switch (hint[0]) {
	case 'd': {
		unsigned shift = 0;
		if (hint[1] == '-')
			for (const char *h = hint + 2; *h >= '0' && *h <= '9'; h++)
				if ((shift = shift * 10 + (unsigned)(*h - '0')) > 200)
					return MIBC_E_RANGE;
		if (shift == 0)
			return read_decimal(c, v);
		bool negative = eat(c, '-');
		uint64_t whole = 0, frac = 0;
		bool have = read_u64(c, 10, 0, &whole, &err);
		unsigned frac_digits = 0;
		if (eat(c, '.')) {
			const char *start = c->p;
			if (read_u64(c, 10, 0, &frac, &err))
				have = true;
			frac_digits = (unsigned)(c->p - start);
			if (frac_digits > shift)
				return MIBC_E_PARSE;
		}
		if (!have)
			return MIBC_E_PARSE;
		uint64_t mag = whole;
		for (unsigned i = 0; i < shift; i++) {
			if (mag > UINT64_MAX / 10)
				return MIBC_E_RANGE;
			mag *= 10;
		}
		for (unsigned i = frac_digits; i < shift; i++)
			frac *= 10;   /* frac < 10^frac_digits: no overflow */
		if (err || mag > UINT64_MAX - frac)
			return MIBC_E_RANGE;
		mag += frac;
		if (mag > (uint64_t)INT64_MAX + (negative ? 1 : 0))
			return MIBC_E_RANGE;
		*v = negative ? (int64_t)(0 - mag) : (int64_t)mag;
		return 0;
	}
	case 'x':
	case 'o':
		if (!read_u64(c, hint[0] == 'x' ? 16 : 8, 0, &bits, &err))
			return MIBC_E_PARSE;
		if (err)
			return MIBC_E_RANGE;
		*v = (int64_t)bits;
		return 0;
	case 'b': {
		const char *start = c->p;
		if (!read_u64(c, 2, 64, &bits, &err))
			return MIBC_E_PARSE;
		if (is_signed && c->p - start == 32 && (bits & 0x80000000u))
			*v = (int64_t)(int32_t)(uint32_t)bits;
		else
			*v = (int64_t)bits;
		return 0;
	}
	default:
		return MIBC_E_UNSUPPORTED;
	}
}

/* An INTEGER: a label, label(n), or a number (through the hint). */
static int read_integer(const struct mibc_object_desc *o, struct cur *c,
			int64_t *v)
{
	trim(c);
	char label[128];
	struct cur save = *c;
	if (read_ident(c, label, sizeof label)) {
		int64_t named = 0;
		bool known = o && mibc_enum_value(o->names, o->n_names, label,
						  &named);
		if (eat(c, '(')) {
			int64_t n;
			int rc = read_decimal(c, &n);
			if (rc)
				return rc;
			if (!eat(c, ')') || (known && n != named))
				return MIBC_E_PARSE;
			named = n;
			known = true;
		}
		if (known && at_end(c)) {
			*v = named;
			return 0;
		}
		*c = save;   /* maybe hex digits of an x hint */
	}
	if (o && o->display_hint) {
		int rc = read_hinted_integer(c, o->display_hint,
					     o->wire == MIBC_WIRE_INTEGER, v);
		if (rc != MIBC_E_UNSUPPORTED)
			return rc ? rc : at_end(c) ? 0 : MIBC_E_PARSE;
	}
	int rc = read_decimal(c, v);
	return rc ? rc : at_end(c) ? 0 : MIBC_E_PARSE;
}

/* A duration as format.c writes TimeTicks after the number:
 * "[D day[s], ]H:MM:SS.cc", in hundredths of a second. */
static int read_uptime(struct cur *c, uint64_t *ticks)
{
	uint64_t days = 0, h, m, sec, cs = 0;
	int err = 0;
	struct cur start = *c;
	if (read_u64(c, 10, 0, &days, &err) && eat(c, ' ')) {
		if (!eat_str(c, "days, ") && !eat_str(c, "day, "))
			return MIBC_E_PARSE;
	} else {
		*c = start;
		days = 0;
	}
	if (!read_u64(c, 10, 0, &h, &err) || !eat(c, ':')
	    || !read_u64(c, 10, 2, &m, &err) || !eat(c, ':')
	    || !read_u64(c, 10, 2, &sec, &err))
		return MIBC_E_PARSE;
	if (eat(c, '.')) {
		const char *p = c->p;
		if (!read_u64(c, 10, 2, &cs, &err))
			return MIBC_E_PARSE;
		if (c->p - p == 1)
			cs *= 10;
	}
	if (!at_end(c) || m > 59 || sec > 59)
		return MIBC_E_PARSE;
	if (err || days > UINT32_MAX || h > UINT32_MAX)
		return MIBC_E_RANGE;
	*ticks = ((days * 24 + h) * 3600 + m * 60 + sec) * 100 + cs;
	return *ticks > UINT32_MAX ? MIBC_E_RANGE : 0;
}

/* Counter32, Gauge32, TimeTicks, Counter64. */
static int read_unsigned(const struct mibc_object_desc *o, enum mibc_wire wire,
			 struct cur *c, uint64_t *v)
{
	int err = 0;
	trim(c);
	if (wire == MIBC_WIRE_TIMETICKS && eat(c, '(')) {
		/* "(12345) 0:02:03.45": the number says it all */
		if (!read_u64(c, 10, 0, v, &err) || !eat(c, ')'))
			return MIBC_E_PARSE;
		return err ? err : *v > UINT32_MAX ? MIBC_E_RANGE : 0;
	}
	if (wire == MIBC_WIRE_TIMETICKS && memchr(c->p, ':', (size_t)(c->end - c->p)))
		return read_uptime(c, v);
	if (wire == MIBC_WIRE_GAUGE32 && o && o->display_hint) {
		int64_t s;
		int rc = read_hinted_integer(c, o->display_hint, false, &s);
		if (rc != MIBC_E_UNSUPPORTED) {
			if (rc)
				return rc;
			if (!at_end(c))
				return MIBC_E_PARSE;
			if (s < 0 || s > (int64_t)UINT32_MAX)
				return MIBC_E_RANGE;
			*v = (uint64_t)s;
			return 0;
		}
	}
	if (!read_u64(c, 10, 0, v, &err) || !at_end(c))
		return MIBC_E_PARSE;
	if (err || (wire != MIBC_WIRE_COUNTER64 && *v > UINT32_MAX))
		return MIBC_E_RANGE;
	return 0;
}

/* ---- octet strings ------------------------------------------------------- */

static int put_octet(struct octets *out, uint8_t b)
{
	if (out->len >= MIBC_PARSE_MAX_OCTETS)
		return MIBC_E_RANGE;
	out->buf[out->len++] = b;
	return 0;
}

/* Hex octets: pairs of digits, white space anywhere between octets
 * (Hex-STRING lines, "00 1A", "001a"). */
static int read_hex(struct cur *c, struct octets *out)
{
	for (skip_space(c); !at_end(c); skip_space(c)) {
		int hi = digit_in(*c->p, 16);
		if (hi < 0)
			return MIBC_E_PARSE;
		c->p++;
		int lo = at_end(c) ? -1 : digit_in(*c->p, 16);
		uint8_t b = (uint8_t)hi;
		if (lo >= 0) {
			b = (uint8_t)(hi * 16 + lo);
			c->p++;
		}
		int rc = put_octet(out, b);
		if (rc)
			return rc;
	}
	return 0;
}

/* snmpget's quoted string: '\\' escapes the next byte. */
static int read_quoted(struct cur *c, struct octets *out)
{
	c->p++;
	c->end--;
	while (!at_end(c)) {
		if (*c->p == '\\' && c->p + 1 < c->end)
			c->p++;
		int rc = put_octet(out, (uint8_t)*c->p++);
		if (rc)
			return rc;
	}
	return 0;
}

/* One field of an octet-format DISPLAY-HINT (RFC 2579 3.1), read as
 * format.c writes it. */
struct hint_field {
	bool star;        /* the first octet counts the repetitions */
	unsigned width;   /* octets per value (a, t: at most) */
	char code;        /* x d o a t */
	char separ;
	char term;
};

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* format.c's reading: a digit or '*' starts the next field, and after a
 * field without a length so do x, d and o. */
static bool hint_delim(char ch, unsigned width)
{
	return ch && ch != '*' && !is_digit(ch)
	       && (width != 0 || (ch != 'x' && ch != 'd' && ch != 'o'));
}

/* The next field of `hint` into `f`; NULL when the hint has a format
 * letter other than x d o a t (the formatter ignores such hints). */
static const char *next_field(const char *hint, struct hint_field *f)
{
	f->star = *hint == '*';
	if (f->star)
		hint++;
	f->width = 0;
	while (is_digit(*hint)) {
		f->width = f->width * 10 + (unsigned)(*hint++ - '0');
		if (f->width > 0xFFFFFF)
			f->width = 0xFFFFFF;
	}
	f->code = *hint;
	if (*hint)
		hint++;
	f->separ = hint_delim(*hint, f->width) ? *hint++ : 0;
	f->term = hint_delim(*hint, f->width) ? *hint++ : 0;
	if (f->width == 0)
		f->width = 1;
	if (!strchr("xdoat", f->code) || f->code == '\0')
		return NULL;
	return hint;
}

/* One value of a field: a number filling `width` octets, or up to
 * `width` text bytes. */
static int read_field_value(struct cur *c, const struct hint_field *f,
			    struct octets *out)
{
	if (f->code == 'a' || f->code == 't') {
		/* a one-byte field takes any byte (DateAndTime's '+' or '-');
		 * longer ones stop at their separator or terminator */
		size_t n = 0;
		while (n < f->width && !at_end(c)
		       && (f->width == 1
			   || (*c->p != f->separ && *c->p != f->term))) {
			int rc = put_octet(out, (uint8_t)*c->p++);
			if (rc)
				return rc;
			n++;
		}
		return n ? 0 : MIBC_E_PARSE;
	}
	unsigned base = f->code == 'x' ? 16 : f->code == 'o' ? 8 : 10;
	bool negative = f->code == 'd' && eat(c, '-');
	uint64_t v;
	int err = 0;
	size_t max_digits = f->code == 'x' && f->width <= 8 ? 2 * f->width : 0;
	if (!read_u64(c, base, max_digits, &v, &err))
		return MIBC_E_PARSE;
	if (err)
		return MIBC_E_RANGE;
	if (negative)
		v = 0 - v;   /* two's complement in the field's octets */
	if (f->width < 8 && !negative && (v >> (8 * f->width)) != 0)
		return MIBC_E_RANGE;
	for (unsigned i = f->width; i-- > 0;) {
		int rc = put_octet(out, i < 8 ? (uint8_t)(v >> (8 * i)) : 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* The whole text through an octet-format hint; MIBC_E_UNSUPPORTED for a
 * hint the formatter would ignore. */
static int read_hinted_octets(struct cur *c, const char *hint,
			      struct octets *out)
{
	struct hint_field f = { false, 1, 'd', 0, 0 };
	const char *h = hint;
	while (!at_end(c)) {
		/* as the formatter, a bad letter counts once it is reached */
		if (*h && !(h = next_field(h, &f)))
			return MIBC_E_UNSUPPORTED;
		size_t count_at = out->len;
		if (f.star) {
			int rc = put_octet(out, 0);
			if (rc)
				return rc;
		}
		size_t items = 0;
		while (!at_end(c) && (f.star || items < 1)) {
			if (f.star && f.term && peek(c, f.term))
				break;
			int rc = read_field_value(c, &f, out);
			if (rc)
				return rc;
			items++;
			if (f.separ)
				eat(c, f.separ);
		}
		if (f.star) {
			if (items > 255)
				return MIBC_E_RANGE;
			out->buf[count_at] = (uint8_t)items;
		}
		if (f.term)
			eat(c, f.term);
	}
	return 0;
}

static int read_octet_string(const struct mibc_object_desc *o, struct cur *c,
			     bool use_hint, struct octets *out)
{
	size_t n = (size_t)(c->end - c->p);
	if (n == 2 && c->p[0] == '"' && c->p[1] == '"')
		return 0;
	const char *hint = o && use_hint ? o->display_hint : NULL;
	if (hint) {
		struct cur start = *c;
		int rc = read_hinted_octets(c, hint, out);
		if (rc != MIBC_E_UNSUPPORTED)
			return rc;
		*c = start;
		out->len = 0;
	}
	if (n >= 2 && c->p[0] == '"' && c->end[-1] == '"')
		return read_quoted(c, out);
	while (!at_end(c)) {
		int rc = put_octet(out, (uint8_t)*c->p++);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- BITS -------------------------------------------------------------- */

static int set_bit(struct octets *out, uint64_t bit)
{
	if (bit >= (uint64_t)MIBC_PARSE_MAX_OCTETS * 8)
		return MIBC_E_RANGE;
	size_t need = (size_t)(bit / 8) + 1;
	while (out->len < need) {
		int rc = put_octet(out, 0);
		if (rc)
			return rc;
	}
	out->buf[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
	return 0;
}

/* "first third", "first(0),third(2)", "0 2". */
static int read_bit_names(const struct mibc_object_desc *o, struct cur *c,
			  struct octets *out)
{
	for (;;) {
		while (!at_end(c) && (c_space(*c->p) || *c->p == ','))
			c->p++;
		if (at_end(c))
			break;
		int64_t bit;
		char label[128];
		if (read_ident(c, label, sizeof label)) {
			bool known = o && mibc_enum_value(o->names, o->n_names,
							  label, &bit);
			if (eat(c, '(')) {
				int64_t n;
				int rc = read_decimal(c, &n);
				if (rc)
					return rc;
				if (!eat(c, ')') || (known && n != bit))
					return MIBC_E_PARSE;
				bit = n;
				known = true;
			}
			if (!known)
				return MIBC_E_PARSE;
		} else {
			int rc = read_decimal(c, &bit);
			if (rc)
				return rc;
		}
		if (bit < 0)
			return MIBC_E_RANGE;
		int rc = set_bit(out, (uint64_t)bit);
		if (rc)
			return rc;
		if (!at_end(c) && !c_space(*c->p) && *c->p != ',')
			return MIBC_E_PARSE;
	}
	/* octets for every named bit, as net-snmp's snmpset sends them, and
	 * at least the smallest size */
	int64_t want = 0;
	for (size_t i = 0; o && i < o->n_names; i++)
		if (o->names[i].value >= 0 && o->names[i].value / 8 + 1 > want)
			want = o->names[i].value / 8 + 1;
	if (o && o->n_sizes) {
		int64_t min = o->sizes[0].min.i;
		for (size_t i = 1; i < o->n_sizes; i++)
			if (o->sizes[i].min.i < min)
				min = o->sizes[i].min.i;
		if (min > want)
			want = min;
	}
	while ((int64_t)out->len < want) {
		int rc = put_octet(out, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* What the formatter printed ("BITS: A0 80 first(0) ninth(8) "): the
 * hex octets, as many as make the formatter print exactly `whole` (bit
 * numbers after the octets look like hex octets too). */
static int read_formatted_bits(const struct mibc_object_desc *o,
			       struct cur *c, const char *whole,
			       const struct mibc_format_options *opt,
			       struct octets *out)
{
	/* BITS are short: longer texts are not the formatter's */
	char text[4096];
	const char *ends[512];   /* where each leading hex-looking token ends */
	size_t max = 0;
	size_t whole_len = strlen(whole);
	for (const char *p = c->p; whole_len < sizeof text && max < 512;) {
		while (p < c->end && c_space(*p))
			p++;
		if (p + 1 >= c->end || digit_in(p[0], 16) < 0
		    || digit_in(p[1], 16) < 0
		    || (p + 2 < c->end && !c_space(p[2])))
			break;
		p += 2;
		ends[max++] = p;
	}
	for (size_t k = max + 1; k-- > 0;) {
		struct cur h = { c->p, k ? ends[k - 1] : c->p };
		out->len = 0;
		if (read_hex(&h, out))
			continue;
		struct mibc_raw_value raw =
			mibc_raw_octets(MIBC_WIRE_OCTET_STRING, out->buf, out->len);
		int n = mibc_format_value(o, &raw, opt, text, sizeof text);
		if (n >= 0 && (size_t)n == whole_len && !memcmp(text, whole, whole_len))
			return 0;
	}
	/* not the formatter's text: all hex octets, or bits by name */
	out->len = 0;
	struct cur h = *c;
	if (read_hex(&h, out) == 0)
		return 0;
	out->len = 0;
	return read_bit_names(o, c, out);
}

/* ---- OIDs ---------------------------------------------------------------- */

static const struct mibc_module_desc *
module_named(const struct mibc_object_desc *o,
	     const struct mibc_format_options *opt, const char *name)
{
	if (o && o->module && o->module->name && !strcmp(o->module->name, name))
		return o->module;
	for (size_t i = 0; i < opt->n_modules; i++)
		if (opt->modules[i] && opt->modules[i]->name
		    && !strcmp(opt->modules[i]->name, name))
			return opt->modules[i];
	return NULL;
}

static bool smi_node_oid(const char *name, struct mibc_data *d, uint32_t *sub)
{
	for (size_t i = 0; i < smi_nodes_count; i++)
		if (!strcmp(smi_nodes[i].name, name)) {
			memcpy(sub, smi_nodes[i].oid,
			       smi_nodes[i].len * sizeof(*sub));
			d->oid_len = smi_nodes[i].len;
			return true;
		}
	return false;
}

/* The node a name ("ifOperStatus", "IF-MIB::ifOperStatus") stands for,
 * its OID into sub. */
static int lookup_name(const struct mibc_object_desc *o,
		       const struct mibc_format_options *opt, struct cur *c,
		       struct mibc_data *d, uint32_t *sub,
		       const struct mibc_object_desc **found)
{
	*found = NULL;
	char first[128], name[128];
	if (!read_ident(c, first, sizeof first))
		return MIBC_E_PARSE;
	const char *module = NULL;
	if (eat_str(c, "::")) {
		if (!read_ident(c, name, sizeof name))
			return MIBC_E_PARSE;
		module = first;
	} else {
		memcpy(name, first, sizeof name);
	}
	const struct mibc_object_desc *node = NULL;
	if (module) {
		const struct mibc_module_desc *m = module_named(o, opt, module);
		node = m ? mibc_module_find_name(m, name) : NULL;
		if (!node && !strcmp(module, "SNMPv2-SMI"))
			return smi_node_oid(name, d, sub) ? 0 : MIBC_E_PARSE;
	} else {
		for (size_t i = 0; !node && i < opt->n_modules; i++)
			node = mibc_module_find_name(opt->modules[i], name);
		if (!node && o && o->module)
			node = mibc_module_find_name(o->module, name);
		if (!node)
			return smi_node_oid(name, d, sub) ? 0 : MIBC_E_PARSE;
	}
	if (!node || !node->oid || node->oid_len == 0
	    || node->oid_len > MIBC_OID_MAX_LEN)
		return MIBC_E_PARSE;
	memcpy(sub, node->oid, node->oid_len * sizeof(*sub));
	d->oid_len = node->oid_len;
	*found = node;
	return 0;
}

static int append_sub(struct mibc_data *d, uint32_t *sub, uint64_t v)
{
	if (v > UINT32_MAX)
		return MIBC_E_RANGE;
	if (d->oid_len >= MIBC_OID_MAX_LEN)
		return MIBC_E_RANGE;
	sub[d->oid_len++] = (uint32_t)v;
	return 0;
}

/* One number of an instance part. */
static int read_index_number(struct cur *c, struct mibc_data *d, uint32_t *sub)
{
	uint64_t v;
	int err = 0;
	if (!read_u64(c, 10, 0, &v, &err))
		return MIBC_E_PARSE;
	return err ? MIBC_E_RANGE : append_sub(d, sub, v);
}

/* A string of an instance part: "with its length first", 'without'. */
static int read_index_quoted(struct cur *c, struct mibc_data *d, uint32_t *sub)
{
	char quote = *c->p++;
	size_t len_at = d->oid_len;
	int rc;
	if (quote == '"' && (rc = append_sub(d, sub, 0)))
		return rc;
	size_t n = 0;
	while (!at_end(c) && *c->p != quote) {
		if ((rc = append_sub(d, sub, (uint8_t)*c->p++)))
			return rc;
		n++;
	}
	if (!eat(c, quote))
		return MIBC_E_PARSE;
	if (quote == '"')
		sub[len_at] = (uint32_t)n;
	return 0;
}

/* An InetAddress after its InetAddressType `type`, as format.c writes
 * it: "192.0.2.1", "fe:80:...:01", with "%zone" for the z types; its
 * length first.  MIBC_E_UNSUPPORTED when the text is not in that form
 * (then it is a plain quoted string). */
static int read_index_inet(struct cur *c, uint32_t type, struct mibc_data *d,
			   uint32_t *sub)
{
	size_t addr = type == 1 || type == 3 ? 4 : type == 2 || type == 4 ? 16 : 0;
	bool zone = type == 3 || type == 4;
	if (!addr)
		return MIBC_E_UNSUPPORTED;
	struct cur t = *c;
	uint32_t v[20];
	size_t n = 0;
	int err = 0;
	t.p++;   /* the opening quote */
	for (size_t i = 0; i < addr; i++) {
		uint64_t x;
		if ((i > 0 && !eat(&t, addr == 4 ? '.' : ':'))
		    || !read_u64(&t, addr == 4 ? 10 : 16, addr == 4 ? 3 : 2, &x,
				 &err) || x > 255)
			return MIBC_E_UNSUPPORTED;
		v[n++] = (uint32_t)x;
	}
	if (zone) {
		uint64_t z;
		if (!eat(&t, '%') || !read_u64(&t, 10, 10, &z, &err)
		    || z > UINT32_MAX)
			return MIBC_E_UNSUPPORTED;
		for (int k = 3; k >= 0; k--)
			v[n++] = (uint32_t)(z >> (8 * k)) & 0xff;
	}
	if (!eat(&t, '"'))
		return MIBC_E_UNSUPPORTED;
	int rc = append_sub(d, sub, n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = append_sub(d, sub, v[i]);
	*c = t;
	return rc;
}

static bool is_integer_wire(enum mibc_wire w)
{
	return w == MIBC_WIRE_INTEGER || w == MIBC_WIRE_GAUGE32
	       || w == MIBC_WIRE_COUNTER32 || w == MIBC_WIRE_TIMETICKS;
}

/* The instance part after a column's name, element by element as
 * format.c writes it (enumeration labels, IpAddress, quoted strings,
 * InetAddress after InetAddressType, OIDs length first); at the first
 * element not in its own form it stops, and the caller reads the rest as
 * plain numbers and strings. */
static int read_column_index(const struct mibc_object_desc *col,
			     struct cur *c, struct mibc_data *d, uint32_t *sub)
{
	for (size_t e = 0; e < col->n_index && !at_end(c); e++) {
		const struct mibc_index_elem *el = &col->index[e];
		const struct mibc_object_desc *io = el->object;
		const struct mibc_object_desc *prev =
			e > 0 ? col->index[e - 1].object : NULL;
		int rc;
		if (!io)
			return 0;
		struct cur start = *c;
		size_t start_len = d->oid_len;
		if (is_integer_wire(io->wire) && is_ident_start(*c->p)) {
			char label[128];
			int64_t v;
			if (!read_ident(c, label, sizeof label)
			    || !mibc_enum_value(io->names, io->n_names, label, &v))
				return MIBC_E_PARSE;
			rc = append_sub(d, sub, (uint32_t)(int32_t)v);
		} else if (is_integer_wire(io->wire)) {
			rc = read_index_number(c, d, sub);
		} else if (io->wire == MIBC_WIRE_IPADDRESS) {
			rc = read_index_number(c, d, sub);
			for (int i = 1; i < 4 && !rc; i++)
				rc = eat(c, '.') ? read_index_number(c, d, sub)
						 : MIBC_E_PARSE;
		} else if (io->wire == MIBC_WIRE_OCTET_STRING && peek(c, '"')
			   && prev && prev->tc_name && io->tc_name
			   && !strcmp(prev->tc_name, "InetAddressType")
			   && !strcmp(io->tc_name, "InetAddress")
			   && d->oid_len > 0) {
			rc = read_index_inet(c, sub[d->oid_len - 1], d, sub);
			if (rc == MIBC_E_UNSUPPORTED)
				rc = read_index_quoted(c, d, sub);
		} else if (io->wire == MIBC_WIRE_OCTET_STRING
			   && (peek(c, '"') || peek(c, '\''))) {
			rc = read_index_quoted(c, d, sub);
		} else {
			return 0;   /* numbers: the caller's */
		}
		if (rc == MIBC_E_PARSE || (!rc && !at_end(c) && !eat(c, '.'))) {
			/* not in the element's form: plain numbers and
			 * strings, the caller's */
			*c = start;
			d->oid_len = start_len;
			return 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ".1.3.6", "1.3.6", "enterprises.99999.1", "IF-MIB::ifDescr.\"x\"". */
static int read_oid(const struct mibc_object_desc *o,
		    const struct mibc_format_options *opt, struct cur *c,
		    struct mibc_data *d, uint32_t *sub)
{
	trim(c);
	d->oid_len = 0;
	bool named = !at_end(c) && is_ident_start(*c->p);
	if (named) {
		const struct mibc_object_desc *node;
		int rc = lookup_name(o, opt, c, d, sub, &node);
		if (rc)
			return rc;
		if (!at_end(c) && !eat(c, '.'))
			return MIBC_E_PARSE;
		if (node && node->kind == MIBC_KIND_COLUMN && node->index
		    && (rc = read_column_index(node, c, d, sub)))
			return rc;
	} else {
		eat(c, '.');
	}
	while (!at_end(c)) {
		/* a string: its length first unless 'implied' */
		int rc = peek(c, '"') || peek(c, '\'')
			 ? read_index_quoted(c, d, sub) : read_index_number(c, d, sub);
		if (rc)
			return rc;
		if (!at_end(c) && !eat(c, '.'))
			return MIBC_E_PARSE;
		if (at_end(c) && c->p[-1] == '.')
			return MIBC_E_PARSE;
	}
	if (d->oid_len == 0)
		return MIBC_E_PARSE;
	d->oid = sub;
	return 0;
}

static int read_ipaddress(struct cur *c, struct octets *out)
{
	trim(c);
	for (int i = 0; i < 4; i++) {
		uint64_t v;
		int err = 0;
		if ((i > 0 && !eat(c, '.')) || !read_u64(c, 10, 3, &v, &err))
			return MIBC_E_PARSE;
		if (v > 255)
			return MIBC_E_RANGE;
		out->buf[out->len++] = (uint8_t)v;
	}
	return at_end(c) ? 0 : MIBC_E_PARSE;
}

/* ---- the value ------------------------------------------------------------- */

/* The type prefixes format.c writes. */
struct prefix {
	const char *text;
	enum mibc_wire wire;
	enum { PLAIN, HEX, BITS } form;
};

static const struct prefix prefixes[] = {
	{ "INTEGER: ", MIBC_WIRE_INTEGER, PLAIN },
	{ "STRING: ", MIBC_WIRE_OCTET_STRING, PLAIN },
	{ "Hex-STRING: ", MIBC_WIRE_OCTET_STRING, HEX },
	{ "BITS: ", MIBC_WIRE_OCTET_STRING, BITS },
	{ "OID: ", MIBC_WIRE_OID, PLAIN },
	{ "IpAddress: ", MIBC_WIRE_IPADDRESS, PLAIN },
	{ "Counter32: ", MIBC_WIRE_COUNTER32, PLAIN },
	{ "Gauge32: ", MIBC_WIRE_GAUGE32, PLAIN },
	{ "Timeticks: ", MIBC_WIRE_TIMETICKS, PLAIN },
	{ "Counter64: ", MIBC_WIRE_COUNTER64, PLAIN },
	{ "OPAQUE: ", MIBC_WIRE_OPAQUE, HEX },
};

static const struct mibc_format_options no_options;

static bool numeric_wire(enum mibc_wire w)
{
	return w == MIBC_WIRE_INTEGER || w == MIBC_WIRE_COUNTER32
	       || w == MIBC_WIRE_GAUGE32 || w == MIBC_WIRE_TIMETICKS
	       || w == MIBC_WIRE_COUNTER64;
}

int mibc_parse_value(const struct mibc_object_desc *object, const char *text,
		     const struct mibc_format_options *options,
		     struct mibc_parsed *out)
{
	if (!text || !out || (object && object->wire == MIBC_WIRE_NONE))
		return MIBC_E_INVAL;
	const struct mibc_format_options *opt = options ? options : &no_options;
	struct mibc_data *d = &out->value;
	memset(d, 0, sizeof(*d));
	struct cur c = { text, text + strlen(text) };

	if (eat_str(&c, "Opaque: "))
		return MIBC_E_UNSUPPORTED;   /* float, double, 64-bit kinds */
	if (eat_str(&c, "Wrong Type"))
		return MIBC_E_WRONG_TYPE;
	/* "(Bad hint ignored: 1q) Hex-STRING: ..." */
	bool use_hint = true;
	if (eat_str(&c, "(Bad hint ignored: ")) {
		const char *close = c.p;
		while (close < c.end && !(close[0] == ')' && close + 1 < c.end
					  && close[1] == ' '))
			close++;
		if (close >= c.end)
			return MIBC_E_PARSE;
		c.p = close + 2;
		use_hint = false;
	}
	const struct prefix *pre = NULL;
	for (size_t i = 0; !pre && i < MIBC_N_ELEMENTS(prefixes); i++)
		if (eat_str(&c, prefixes[i].text))
			pre = &prefixes[i];
	if (!use_hint && !(pre && pre->wire == MIBC_WIRE_OCTET_STRING))
		return MIBC_E_PARSE;
	enum mibc_wire wire = object ? object->wire : MIBC_WIRE_NONE;
	if (pre) {
		if (object && pre->wire != object->wire)
			return MIBC_E_WRONG_TYPE;
		wire = pre->wire;
	} else if (!object) {
		return MIBC_E_PARSE;
	}
	/* the units snmpget appends ("12.34 degrees Celsius") */
	if (object && object->units && *object->units
	    && (pre || numeric_wire(wire))) {
		size_t ul = strlen(object->units);
		if (ends_with(&c, object->units) && (size_t)(c.end - c.p) > ul
		    && c.end[-(ptrdiff_t)ul - 1] == ' ')
			c.end -= ul + 1;
	}

	struct octets oct = { out->octets, 0 };
	int rc;
	d->wire = wire;
	switch (wire) {
	case MIBC_WIRE_INTEGER:
		rc = read_integer(object, &c, &d->i);
		if (!rc && (d->i < INT32_MIN || d->i > INT32_MAX))
			rc = MIBC_E_RANGE;
		break;
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
	case MIBC_WIRE_COUNTER64:
		rc = read_unsigned(object, wire, &c, &d->u);
		break;
	case MIBC_WIRE_OCTET_STRING:
		if ((pre && pre->form == BITS)
		    || (object && object->type == MIBC_TYPE_BITS && !pre))
			rc = pre ? read_formatted_bits(object, &c, text, opt, &oct)
				 : read_bit_names(object, &c, &oct);
		else if (pre && pre->form == HEX)
			rc = read_hex(&c, &oct);
		else
			rc = read_octet_string(object, &c, use_hint, &oct);
		d->octets = out->octets;
		d->len = oct.len;
		break;
	case MIBC_WIRE_OPAQUE:
		rc = read_hex(&c, &oct);
		d->octets = out->octets;
		d->len = oct.len;
		break;
	case MIBC_WIRE_IPADDRESS:
		rc = read_ipaddress(&c, &oct);
		d->octets = out->octets;
		d->len = oct.len;
		break;
	case MIBC_WIRE_OID:
		rc = read_oid(object, opt, &c, d, out->oid);
		break;
	default:
		rc = MIBC_E_UNSUPPORTED;
		break;
	}
	if (!rc && object)
		rc = mibc_data_check(object, d);
	return rc;
}
