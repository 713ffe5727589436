/* libFuzzer target: display-hint formatting (mibc/format.h) with hints and
 * values from the input, as a MIB author and an agent could pick them.
 *
 * Input layout (every byte optional; missing ones read as 0):
 *   [0]   value tag: an index into `tags` (wire types, exceptions, and
 *         tags no agent should send)
 *   [1]   object shape: bits 0-2 the SMI type, bit 3 enumeration/BITS
 *         names, bit 4 units, bit 5 no object at all, bits 6-7 flags
 *   [2]   the INDEX of the column the instance OID belongs to: bits 6-7
 *         how many elements (0-3), bits 0-3 the first one's kind (an
 *         index into `elems`), the byte rotated right by 2 for each next
 *   then  the DISPLAY-HINT up to a NUL (at most 64 bytes; no NUL: no hint)
 *   rest  the value: octets as they are, integers big-endian (up to 8
 *         bytes), OIDs and the instance part of the name as base-128
 *         sub-identifiers like BER.
 * Every call formats into heap blocks of exact sizes (also too small ones)
 * and checks the snprintf contract format.h promises. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/format.h>
#include <mibc/mibc.h>

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

#define MAX_HINT 64

static const unsigned tags[] = {
	MIBC_WIRE_INTEGER, MIBC_WIRE_OCTET_STRING, MIBC_WIRE_OID,
	MIBC_WIRE_IPADDRESS, MIBC_WIRE_COUNTER32, MIBC_WIRE_GAUGE32,
	MIBC_WIRE_TIMETICKS, MIBC_WIRE_OPAQUE, MIBC_WIRE_NSAP,
	MIBC_WIRE_COUNTER64, MIBC_TAG_NULL, MIBC_TAG_NO_SUCH_OBJECT,
	MIBC_TAG_NO_SUCH_INSTANCE, MIBC_TAG_END_OF_MIB_VIEW, 0x00, 0x47, 0xff,
};

static const enum mibc_type types[] = {
	MIBC_TYPE_INTEGER32, MIBC_TYPE_UNSIGNED32, MIBC_TYPE_UNSIGNED64,
	MIBC_TYPE_OCTET_STRING, MIBC_TYPE_OBJECT_IDENTIFIER, MIBC_TYPE_ENUM,
	MIBC_TYPE_BITS, MIBC_TYPE_NONE,
};

static const struct mibc_named_number names[] = {
	{ "zero", 0 }, { "up", 1 }, { "down", 2 }, { "seven", 7 },
	{ "minusOne", -1 }, { "big", 2147483647 }, { "bit63", 63 },
};

static const struct mibc_module_desc fuzz_module = {
	.abi = MIBC_DESC_ABI, .name = "FUZZ-MIB",
};

/* Index objects: one of each kind put_index() tells apart. */
static const struct mibc_object_desc index_integer = {
	.name = "fuzzInteger", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_INTEGER32, .wire = MIBC_WIRE_INTEGER,
};
static const struct mibc_object_desc index_enum = {
	.name = "fuzzEnum", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_ENUM, .wire = MIBC_WIRE_INTEGER,
	.names = names, .n_names = MIBC_N_ELEMENTS(names),
};
static const struct mibc_object_desc index_ipaddress = {
	.name = "fuzzIpAddress", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_IPADDRESS,
};
static const struct mibc_object_desc index_string = {
	.name = "fuzzString", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_OCTET_STRING,
};
static const struct mibc_object_desc index_oid = {
	.name = "fuzzOid", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_OBJECT_IDENTIFIER, .wire = MIBC_WIRE_OID,
};
static const struct mibc_object_desc index_inet_type = {
	.name = "fuzzInetType", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_ENUM, .wire = MIBC_WIRE_INTEGER,
	.tc_module = "INET-ADDRESS-MIB", .tc_name = "InetAddressType",
};
static const struct mibc_object_desc index_inet = {
	.name = "fuzzInet", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_OCTET_STRING,
	.tc_module = "INET-ADDRESS-MIB", .tc_name = "InetAddress",
};
static const struct mibc_object_desc index_opaque = {
	.name = "fuzzOpaque", .module = &fuzz_module, .kind = MIBC_KIND_COLUMN,
	.type = MIBC_TYPE_OCTET_STRING, .wire = MIBC_WIRE_OPAQUE,
};

/* The 16 index element kinds a recipe picks from. */
static const struct mibc_index_elem elems[] = {
	{ .object = &index_integer, .implied = false, .fixed_len = 0 },
	{ .object = &index_enum, .implied = false, .fixed_len = 0 },
	{ .object = &index_ipaddress, .implied = false, .fixed_len = 4 },
	{ .object = &index_string, .implied = false, .fixed_len = 0 },
	{ .object = &index_string, .implied = false, .fixed_len = 6 },
	{ .object = &index_string, .implied = true, .fixed_len = 0 },
	{ .object = &index_oid, .implied = false, .fixed_len = 0 },
	{ .object = &index_oid, .implied = true, .fixed_len = 0 },
	{ .object = &index_inet_type, .implied = false, .fixed_len = 0 },
	{ .object = &index_inet, .implied = false, .fixed_len = 0 },
	{ .object = &index_inet, .implied = true, .fixed_len = 0 },
	{ .object = &index_opaque, .implied = false, .fixed_len = 0 },
	{ .object = NULL, .implied = false, .fixed_len = 0 },
	{ .object = &index_integer, .implied = false, .fixed_len = 0 },
	{ .object = &index_string, .implied = false, .fixed_len = 1 },
	{ .object = &index_inet_type, .implied = false, .fixed_len = 0 },
};

static const uint32_t column_oid[] = { 1, 3, 6, 1, 4, 1, 99999, 1, 1, 2 };

struct input {
	const uint8_t *p;
	size_t len;
};

static uint8_t take_byte(struct input *in)
{
	if (in->len == 0)
		return 0;
	in->len--;
	return *in->p++;
}

/* Base-128 sub-identifiers (high bit: more follows), as many as fit. */
static size_t take_subids(struct input *in, uint32_t *sub, size_t max)
{
	size_t n = 0;
	while (in->len > 0 && n < max) {
		uint32_t v = 0;
		uint8_t b;
		do {
			b = take_byte(in);
			v = (v << 7) | (b & 0x7fu);
		} while ((b & 0x80) && in->len > 0);
		sub[n++] = v;
	}
	return n;
}

typedef int format_fn(const void *ctx, char *buf, size_t size);

/* The snprintf contract: the same length whatever the size, a NUL-ended
 * prefix in the buffer, no NUL inside the text, nothing written beyond
 * `size` (a heap block of exactly that size). */
static void check_contract(format_fn *fn, const void *ctx)
{
	int full = fn(ctx, NULL, 0);
	CHECK(full >= 0);
	size_t sizes[] = { (size_t)full + 1, (size_t)full, (size_t)full / 2, 1 };
	for (size_t i = 0; i < MIBC_N_ELEMENTS(sizes); i++) {
		size_t size = sizes[i];
		if (size == 0)
			continue;
		char *buf = malloc(size);
		CHECK(buf);
		CHECK(fn(ctx, buf, size) == full);
		size_t want = (size_t)full < size ? (size_t)full : size - 1;
		CHECK(strlen(buf) == want);
		free(buf);
	}
}

struct call {
	const struct mibc_object_desc *object;
	const struct mibc_raw_value *value;
	const struct mibc_format_options *options;
	const uint32_t *oid;
	size_t oid_len;
};

static int call_value(const void *ctx, char *buf, size_t size)
{
	const struct call *c = ctx;
	return mibc_format_value(c->object, c->value, c->options, buf, size);
}

static int call_oid(const void *ctx, char *buf, size_t size)
{
	const struct call *c = ctx;
	return mibc_format_oid(c->object, c->oid, c->oid_len, c->options, buf, size);
}

static int call_line(const void *ctx, char *buf, size_t size)
{
	const struct call *c = ctx;
	return mibc_format_varbind_line(c->object, c->oid, c->oid_len, c->value,
					c->options, buf, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned tag = tags[take_byte(&in) % MIBC_N_ELEMENTS(tags)];
	uint8_t shape = take_byte(&in);
	uint8_t recipe = take_byte(&in);

	/* the hint: a NUL-terminated copy in a block of its own size */
	const uint8_t *nul = memchr(in.p, 0, in.len < MAX_HINT ? in.len : MAX_HINT);
	char *hint = NULL;
	if (nul) {
		size_t n = (size_t)(nul - in.p);
		hint = malloc(n + 1);
		CHECK(hint);
		memcpy(hint, in.p, n + 1);
		in.p += n + 1;
		in.len -= n + 1;
	}

	/* the column: its index from the recipe (up to three elements) */
	struct mibc_index_elem index[3];
	size_t n_index = 0;
	for (unsigned k = recipe >> 6; k > 0 && n_index < 3; k--) {
		index[n_index++] = elems[recipe & 15];
		recipe = (uint8_t)((recipe >> 2) | (recipe << 6));
	}
	struct mibc_object_desc object = {
		.name = "fuzzColumn", .module = &fuzz_module,
		.oid = column_oid, .oid_len = MIBC_N_ELEMENTS(column_oid),
		.kind = MIBC_KIND_COLUMN,
		.type = types[shape & 7],
		.wire = tag < 0x80 ? (enum mibc_wire)tag : MIBC_WIRE_NONE,
		.display_hint = hint,
		.units = (shape & 0x10) ? "units" : NULL,
		.names = (shape & 0x08) ? names : NULL,
		.n_names = (shape & 0x08) ? MIBC_N_ELEMENTS(names) : 0,
		.index = n_index ? index : NULL,
		.n_index = (uint16_t)n_index,
	};
	struct mibc_format_options options = { .flags = shape >> 6 };

	/* the value: the rest, read as the tag needs it */
	struct mibc_raw_value value = mibc_raw_tag(tag);
	uint32_t sub[MIBC_OID_MAX_LEN];
	struct input rest = in;
	switch (tag) {
	case MIBC_WIRE_INTEGER:
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
	case MIBC_WIRE_COUNTER64: {
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u = u << 8 | take_byte(&rest);
		if (tag == MIBC_WIRE_INTEGER)
			value = mibc_raw_integer((int64_t)u);
		else
			value = mibc_raw_unsigned((enum mibc_wire)tag, u);
		break;
	}
	case MIBC_WIRE_OID:
		value = mibc_raw_oid(sub, take_subids(&rest, sub, MIBC_OID_MAX_LEN));
		break;
	default:
		/* octets (and the tags that carry none): all of the rest */
		value.octets = in.len ? in.p : NULL;
		value.len = in.len;
		break;
	}

	/* the instance: the column's OID, then the rest as sub-identifiers */
	uint32_t name[MIBC_OID_MAX_LEN];
	memcpy(name, column_oid, sizeof(column_oid));
	struct input inst = in;
	size_t name_len = MIBC_N_ELEMENTS(column_oid)
			  + take_subids(&inst, name + MIBC_N_ELEMENTS(column_oid),
					MIBC_OID_MAX_LEN - MIBC_N_ELEMENTS(column_oid));

	struct call c = {
		.object = (shape & 0x20) ? NULL : &object, .value = &value,
		.options = &options, .oid = name, .oid_len = name_len,
	};
	check_contract(call_value, &c);
	check_contract(call_oid, &c);
	check_contract(call_line, &c);
	/* the index alone: a column given, no modules, a partial instance */
	c.object = &object;
	c.oid_len = MIBC_N_ELEMENTS(column_oid) + (name_len - MIBC_N_ELEMENTS(column_oid)) / 2;
	check_contract(call_oid, &c);
	free(hint);
	return 0;
}
