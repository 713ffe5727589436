/* Text and JSON output (see print.h). */
#include "print.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void printer_init(struct printer *p, const struct cli_options *o,
		  const struct module_list *modules)
{
	p->format = (struct mibc_format_options){
		.flags = (o->numeric_oids ? MIBC_FORMAT_NUMERIC_OIDS : 0u)
			 | (o->numeric_enums ? MIBC_FORMAT_NUMERIC_ENUMS : 0u),
		.modules = modules->modules,
		.n_modules = modules->n,
	};
}

/* snprintf-style formatting into a malloc'd buffer of the right size. */
typedef int format_fn(const void *ctx, char *buf, size_t size);

static char *format_alloc(format_fn *fn, const void *ctx)
{
	char small[512];
	int n = fn(ctx, small, sizeof(small));
	if (n < 0)
		return strdup("?");
	if ((size_t)n < sizeof(small))
		return strdup(small);
	char *big = malloc((size_t)n + 1);
	if (big)
		fn(ctx, big, (size_t)n + 1);
	return big;
}

struct oid_ctx {
	const struct printer *p;
	const struct mibc_object_desc *object;
	const uint32_t *oid;
	size_t len;
	struct mibc_raw_value raw;
	unsigned flags;
};

static int format_oid(const void *c, char *buf, size_t size)
{
	const struct oid_ctx *x = c;
	struct mibc_format_options fo = x->p->format;
	fo.flags |= x->flags;
	return mibc_format_oid(x->object, x->oid, x->len, &fo, buf, size);
}

static int format_line(const void *c, char *buf, size_t size)
{
	const struct oid_ctx *x = c;
	return mibc_format_varbind_line(x->object, x->oid, x->len, &x->raw,
					&x->p->format, buf, size);
}

static int format_value(const void *c, char *buf, size_t size)
{
	const struct oid_ctx *x = c;
	return mibc_format_value(x->object, &x->raw, &x->p->format, buf, size);
}

char *print_oid_name(const struct printer *p, const struct mibc_object_desc *object,
		     const uint32_t *oid, size_t oid_len)
{
	struct oid_ctx x = { .p = p, .object = object, .oid = oid, .len = oid_len };
	return format_alloc(format_oid, &x);
}

void print_line(const struct printer *p, FILE *out, const struct mibc_object_desc *object,
		const uint32_t *oid, size_t oid_len, const struct mibc_value *value)
{
	struct oid_ctx x = { .p = p, .object = object, .oid = oid, .len = oid_len };
	mibc_value_raw(value, &x.raw);
	char *line = format_alloc(format_line, &x);
	fprintf(out, "%s\n", line ? line : "?");
	free(line);
}

void print_json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else if (c >= 0x80)
			fprintf(out, "\\u%04x", c); /* Latin-1 read as code points */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_key_string(FILE *out, const char *key, const char *s)
{
	fprintf(out, ",\"%s\":", key);
	print_json_string(out, s, strlen(s));
}

static const char *type_name(unsigned tag)
{
	switch (tag) {
	case MIBC_WIRE_INTEGER: return "INTEGER";
	case MIBC_WIRE_OCTET_STRING: return "OCTET STRING";
	case MIBC_WIRE_OID: return "OBJECT IDENTIFIER";
	case MIBC_WIRE_IPADDRESS: return "IpAddress";
	case MIBC_WIRE_COUNTER32: return "Counter32";
	case MIBC_WIRE_GAUGE32: return "Gauge32";
	case MIBC_WIRE_TIMETICKS: return "TimeTicks";
	case MIBC_WIRE_OPAQUE: return "Opaque";
	case MIBC_WIRE_NSAP: return "NsapAddress";
	case MIBC_WIRE_COUNTER64: return "Counter64";
	case MIBC_TAG_NULL: return "NULL";
	}
	return NULL;
}

static const char *exception_name(unsigned tag)
{
	switch (tag) {
	case MIBC_TAG_NO_SUCH_OBJECT: return "noSuchObject";
	case MIBC_TAG_NO_SUCH_INSTANCE: return "noSuchInstance";
	case MIBC_TAG_END_OF_MIB_VIEW: return "endOfMibView";
	}
	return NULL;
}

/* Printable ASCII and white space: shown as a JSON string, else hex. */
static bool printable(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t') || p[i] >= 0x7f)
			return false;
	return true;
}

static void json_typed_value(FILE *out, const struct mibc_object_desc *object,
			     const struct mibc_raw_value *raw)
{
	switch (raw->tag) {
	case MIBC_WIRE_INTEGER: {
		fprintf(out, ",\"value\":%" PRId64, raw->integer);
		const char *name = object && object->n_names && object->type == MIBC_TYPE_ENUM
			? mibc_enum_name(object->names, object->n_names, raw->integer) : NULL;
		if (name)
			json_key_string(out, "enum", name);
		break;
	}
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
	case MIBC_WIRE_COUNTER64:
		fprintf(out, ",\"value\":%" PRIu64, raw->unsigned_);
		break;
	case MIBC_WIRE_IPADDRESS:
		if (raw->len == 4) {
			fprintf(out, ",\"value\":\"%u.%u.%u.%u\"", raw->octets[0], raw->octets[1],
				raw->octets[2], raw->octets[3]);
			break;
		}
		/* a malformed address: shown as octets */
		__attribute__((fallthrough));
	case MIBC_WIRE_OCTET_STRING:
	case MIBC_WIRE_OPAQUE:
	case MIBC_WIRE_NSAP:
		if (printable(raw->octets, raw->len)) {
			fputs(",\"value\":", out);
			print_json_string(out, (const char *)raw->octets, raw->len);
		} else {
			fputs(",\"hex\":\"", out);
			for (size_t i = 0; i < raw->len; i++)
				fprintf(out, "%02x", raw->octets[i]);
			fputc('"', out);
		}
		if (object && object->type == MIBC_TYPE_BITS && object->n_names) {
			fputs(",\"bits\":[", out);
			bool first = true;
			for (size_t i = 0; i < object->n_names; i++) {
				int64_t bit = object->names[i].value;
				if (bit < 0 || !mibc_bits_test(raw->octets, raw->len, (unsigned)bit))
					continue;
				fputs(first ? "" : ",", out);
				first = false;
				print_json_string(out, object->names[i].name,
						  strlen(object->names[i].name));
			}
			fputc(']', out);
		}
		break;
	case MIBC_WIRE_OID:
		fputs(",\"value\":\"", out);
		for (size_t i = 0; i < raw->oid_len; i++)
			fprintf(out, i ? ".%" PRIu32 : "%" PRIu32, raw->oid[i]);
		fputc('"', out);
		break;
	}
}

void print_json_varbind(const struct printer *p, FILE *out,
			const struct mibc_object_desc *object, const uint32_t *oid,
			size_t oid_len, const struct mibc_value *value, int status)
{
	struct oid_ctx x = { .p = p, .object = object, .oid = oid, .len = oid_len };
	char *name = format_alloc(format_oid, &x);
	fputs("{\"name\":", out);
	print_json_string(out, name ? name : "?", name ? strlen(name) : 1);
	free(name);
	fputs(",\"oid\":\"", out);
	for (size_t i = 0; i < oid_len; i++)
		fprintf(out, i ? ".%" PRIu32 : "%" PRIu32, oid[i]);
	fputc('"', out);
	if (!value) {
		json_key_string(out, "error", mibc_err_name(status) ? mibc_err_name(status) : "?");
		json_key_string(out, "message", mibc_strerror(status));
		fputc('}', out);
		return;
	}
	mibc_value_raw(value, &x.raw);
	const char *exception = exception_name(x.raw.tag);
	if (exception) {
		json_key_string(out, "exception", exception);
		fputc('}', out);
		return;
	}
	const char *type = type_name(x.raw.tag);
	if (type)
		json_key_string(out, "type", type);
	json_typed_value(out, object, &x.raw);
	if (object && object->units)
		json_key_string(out, "units", object->units);
	/* outside the MIB's range or of another type: shown, and said so */
	if (status < 0)
		json_key_string(out, "warning", mibc_strerror(status));
	char *text = format_alloc(format_value, &x);
	/* the text after snmpget's "TYPE: " */
	const char *colon = text ? strstr(text, ": ") : NULL;
	json_key_string(out, "text", colon ? colon + 2 : text ? text : "");
	free(text);
	fputc('}', out);
}
