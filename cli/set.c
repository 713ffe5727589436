/* mibset (see set.h).  TYPE is snmpset's letter:
 *   =  the MIB's own type, the value as mibget prints it (enumeration
 *      labels, DISPLAY-HINT forms: `up`, `aa:bb:cc:dd:ee:ff`)
 *   i  INTEGER (a number, or a label of the object's enumeration)
 *   u  Unsigned32/Gauge32   c  Counter32   C  Counter64   t  TimeTicks
 *   a  IpAddress   o  OBJECT IDENTIFIER (name or numbers)
 *   s  string   x  hex octets ("0a 1b", "0a:1b")   d  decimal octets ("10.27")
 *   b  BITS (names or bit numbers)
 */
#include "set.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/parse.h>
#include <mibc/set.h>

#include "get.h"
#include "query.h"

struct set_item {
	const char *arg, *type, *text;
	struct resolved r;
	struct mibc_parsed *parsed;     /* what mibc_data points into */
	struct resolved oid_value;      /* for `o` */
};

static int fail(const struct set_job *job, const struct set_item *it, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct set_job *job, const struct set_item *it, const char *fmt, ...)
{
	(void)job;
	va_list ap;
	fprintf(stderr, "%s: ", it->arg);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*s))
		return false;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || *end || n > max)
		return false;
	*v = n;
	return true;
}

/* Octets written as numbers in `base` (16: "0a 1b", "0a:1b", "0a1b"; 10:
 * "10.27", "10 27"). */
static bool parse_octets(const char *s, int base, uint8_t *out, size_t *len)
{
	*len = 0;
	while (*s) {
		if (*s == ' ' || *s == ':' || *s == '.') {
			s++;
			continue;
		}
		char digits[4] = { 0 };
		size_t n = 0, max = base == 16 ? 2 : 3;
		while (n < max && (base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
			digits[n++] = *s++;
		if (n == 0)
			return false;
		unsigned long v = strtoul(digits, NULL, base);
		if (v > 255 || *len == MIBC_PARSE_MAX_OCTETS)
			return false;
		out[(*len)++] = (uint8_t)v;
	}
	return true;
}

/* The value of one triple into it->parsed->value. */
static int build_value(const struct set_job *job, struct set_item *it)
{
	const struct mibc_object_desc *object = it->r.object;
	struct mibc_data *d = &it->parsed->value;
	const char *t = it->text;
	uint64_t u;
	if (strlen(it->type) != 1)
		return fail(job, it, "unknown type '%s' (=, i, u, c, C, t, a, o, s, x, d, b)",
			    it->type);
	switch (it->type[0]) {
	case '=':
	case 'b': {
		if (!object)
			return fail(job, it, "type '%s' needs an object its MIB knows", it->type);
		int rc = mibc_parse_value(object, t, &job->printer->format, it->parsed);
		if (rc < 0)
			return fail(job, it, "'%s': %s", t, mibc_strerror(rc));
		return 0;
	}
	case 'i': {
		int64_t v;
		char *end;
		errno = 0;
		long long n = strtoll(t, &end, 10);
		if (*t && !*end && !errno && n >= INT32_MIN && n <= INT32_MAX)
			v = n;
		else if (!object || !object->n_names
			 || !mibc_enum_value(object->names, object->n_names, t, &v))
			return fail(job, it, "Bad value: '%s' is not an INTEGER%s", t,
				    object && object->n_names ? " nor a label of its enumeration" : "");
		*d = mibc_data_integer((int32_t)v);
		return 0;
	}
	case 'u':
	case 'c':
	case 't':
		if (!parse_u64(t, UINT32_MAX, &u))
			return fail(job, it, "Bad value: '%s' is not a number from 0 to 4294967295", t);
		*d = mibc_data_unsigned(it->type[0] == 'u' ? MIBC_WIRE_GAUGE32
					: it->type[0] == 'c' ? MIBC_WIRE_COUNTER32 : MIBC_WIRE_TIMETICKS, u);
		return 0;
	case 'C':
		if (!parse_u64(t, UINT64_MAX, &u))
			return fail(job, it, "Bad value: '%s' is not a Counter64", t);
		*d = mibc_data_unsigned(MIBC_WIRE_COUNTER64, u);
		return 0;
	case 'a':
		if (inet_pton(AF_INET, t, it->parsed->octets) != 1)
			return fail(job, it, "Bad value: '%s' is not an IPv4 address", t);
		*d = mibc_data_ipaddress(it->parsed->octets);
		return 0;
	case 'o': {
		char why[256];
		if (resolve_name(job->modules, t, &it->oid_value, why, sizeof(why)) != 0)
			return fail(job, it, "'%s': %s", t, why);
		*d = mibc_data_oid(it->oid_value.oid, it->oid_value.oid_len);
		return 0;
	}
	case 's':
		*d = mibc_data_octets((const uint8_t *)t, strlen(t));
		return 0;
	case 'x':
	case 'd': {
		size_t len;
		if (!parse_octets(t, it->type[0] == 'x' ? 16 : 10, it->parsed->octets, &len))
			return fail(job, it, "Bad value: '%s' is not %s octets", t,
				    it->type[0] == 'x' ? "hexadecimal" : "decimal");
		*d = mibc_data_octets(it->parsed->octets, len);
		return 0;
	}
	}
	return fail(job, it, "unknown type '%s' (=, i, u, c, C, t, a, o, s, x, d, b)", it->type);
}

static const char *wire_name(enum mibc_wire w)
{
	switch (w) {
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
	case MIBC_WIRE_NONE: break;
	}
	return "?";
}

/* Why mibc_set_init refused a value, in the MIB's terms. */
static void explain_refusal(const struct set_item *it, const struct mibc_data *value, int rc)
{
	const struct mibc_object_desc *o = it->r.object;
	if (rc == MIBC_E_WRONG_TYPE && o) {
		/* snmpset's words for the same mistake */
		fprintf(stderr, "%s: Bad variable type (Type of attribute is %s, not %s)\n", it->arg,
			wire_name(o->wire), wire_name(value->wire));
		return;
	}
	fprintf(stderr, "%s: %s", it->arg, mibc_strerror(rc));
	if (rc == MIBC_E_RANGE && o && o->n_names && o->type == MIBC_TYPE_ENUM) {
		fputs(" (the MIB allows", stderr);
		for (size_t i = 0; i < o->n_names; i++)
			fprintf(stderr, "%s %s(%" PRId64 ")", i ? "," : "", o->names[i].name,
				o->names[i].value);
		fputc(')', stderr);
	} else if (rc == MIBC_E_RANGE && o && (o->n_ranges || o->n_sizes)) {
		const struct mibc_range *r = o->n_ranges ? o->ranges : o->sizes;
		size_t n = o->n_ranges ? o->n_ranges : o->n_sizes;
		fprintf(stderr, " (the MIB allows %s", o->n_ranges ? "values" : "sizes");
		for (size_t i = 0; i < n; i++) {
			if (o->type == MIBC_TYPE_UNSIGNED64)
				fprintf(stderr, "%s %" PRIu64 "..%" PRIu64, i ? "," : "", r[i].min.u,
					r[i].max.u);
			else
				fprintf(stderr, "%s %" PRId64 "..%" PRId64, i ? "," : "", r[i].min.i,
					r[i].max.i);
		}
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

struct set_state {
	const struct set_job *job;
	struct set_item *items;
	int exit_status;
};

static void print_sent(const struct set_state *s, const struct mibc_set *req, size_t i)
{
	const struct mibc_data *d = &req->value;
	struct mibc_raw_value raw;
	switch (d->wire) {
	case MIBC_WIRE_INTEGER:
		raw = mibc_raw_integer(d->i);
		break;
	case MIBC_WIRE_OID:
		raw = mibc_raw_oid(d->oid, d->oid_len);
		break;
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
	case MIBC_WIRE_COUNTER64:
		raw = mibc_raw_unsigned(d->wire, d->u);
		break;
	default:
		raw = mibc_raw_octets(d->wire, d->octets, d->len);
		break;
	}
	char line[4096];
	mibc_format_varbind_line(s->items[i].r.object, req->oid, req->oid_len, &raw,
				 &s->job->printer->format, line, sizeof(line));
	printf("%s\n", line);
}

static void on_done(struct mibc_set_batch *batch)
{
	struct set_state *s = batch->data;
	const struct cli_options *o = s->job->options;
	if (batch->status == 0) {
		/* what snmpset prints: the agent's response, which repeats the
		 * values set */
		for (size_t i = 0; i < batch->n_items; i++)
			print_sent(s, &batch->items[i], i);
		return;
	}
	s->exit_status = CLI_EXIT_FAILURE;
	const char *reason = query_packet_error(batch->status);
	if (batch->status == MIBC_E_TIMEOUT) {
		fprintf(stderr, "Timeout: No Response from %s\n", o->agent);
	} else if (batch->status == MIBC_E_AUTH) {
		fprintf(stderr, "%s: Authentication failure (incorrect password, community or key)\n",
			o->tool->name);
	} else if (reason) {
		fprintf(stderr, "Error in packet.\nReason: %s\n", reason);
		if (batch->failed < batch->n_items) {
			const struct mibc_set *f = &batch->items[batch->failed];
			char *name = print_oid_name(s->job->printer, s->items[batch->failed].r.object,
						    f->oid, f->oid_len);
			fprintf(stderr, "Failed object: %s\n", name ? name : "?");
			free(name);
		}
		fputc('\n', stderr);
		s->exit_status = CLI_EXIT_PACKET_ERROR;
	} else {
		fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(batch->status));
	}
}

int set_run(const struct set_job *job)
{
	const struct cli_options *o = job->options;
	if (o->n_objects == 0 || o->n_objects % 3 != 0) {
		fprintf(stderr, "%s: give OBJECT TYPE VALUE triples\n"
			"Try '%s --help' for more information.\n", o->tool->name, o->tool->name);
		return CLI_EXIT_USAGE;
	}
	size_t n = o->n_objects / 3;
	struct set_item *items = calloc(n, sizeof(*items));
	struct mibc_set *reqs = calloc(n, sizeof(*reqs));
	int status = items && reqs ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
	/* every triple checked before anything is sent, as snmpset does */
	for (size_t i = 0; i < n && items && reqs; i++) {
		struct set_item *it = &items[i];
		it->arg = o->objects[3 * i];
		it->type = o->objects[3 * i + 1];
		it->text = o->objects[3 * i + 2];
		char why[512];
		if (resolve_name(job->modules, it->arg, &it->r, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s: %s\n", it->arg, why);
			status = CLI_EXIT_FAILURE;
			continue;
		}
		it->parsed = malloc(sizeof(*it->parsed));
		if (!it->parsed || build_value(job, it) != 0) {
			status = CLI_EXIT_FAILURE;
			continue;
		}
		const struct mibc_object_desc *obj = it->r.object;
		int rc = obj && it->r.oid_len > obj->oid_len
			? mibc_set_init(&reqs[i], obj, it->r.oid + obj->oid_len,
					it->r.oid_len - obj->oid_len, &it->parsed->value)
			: mibc_set_init_oid(&reqs[i], it->r.oid, it->r.oid_len, &it->parsed->value);
		if (rc < 0) {
			explain_refusal(it, &it->parsed->value, rc);
			status = CLI_EXIT_FAILURE;
		}
	}
	struct mibc_client *client = NULL;
	if (status == CLI_EXIT_OK) {
		int rc = mibc_client_new(&client);
		struct mibc_target *target = rc == 0
			? get_make_target(client, o, o->address, o->target.port, o->agent) : NULL;
		struct set_state state = { .job = job, .items = items };
		struct mibc_set_batch batch = { .data = &state };
		if (!target)
			status = CLI_EXIT_FAILURE;
		else if ((rc = mibc_set_many(target, &batch, reqs, n, on_done)) < 0
			 || (rc = mibc_client_run(client)) < 0) {
			fprintf(stderr, "%s: %s\n", o->tool->name, mibc_strerror(rc));
			status = CLI_EXIT_FAILURE;
		} else {
			status = state.exit_status;
		}
	}
	mibc_client_free(client);
	for (size_t i = 0; items && i < n; i++)
		free(items[i].parsed);
	free(items);
	free(reqs);
	return status;
}
