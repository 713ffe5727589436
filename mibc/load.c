/* libsmi -> model.  Everything libsmi hands out is copied into the
 * module's arena: libsmi's memory is gone after smiExit, and the emitters
 * must not depend on libsmi (see model.h).
 *
 * libsmi facts relied on here (see the team's field notes):
 * - names, formats, units, descriptions may be NULL;
 * - Counter32/Gauge32/TimeTicks/Unsigned32 share a base type, so the wire
 *   type comes from walking smiGetParentType() to a type of SNMPv2-SMI or
 *   RFC1155-SMI (or one of libsmi's built-in base types, module "");
 * - smiGetFirstRange()/smiGetFirstNamedNumber() give only a type's own
 *   refinement: effective values need the walk too;
 * - AUGMENTS rows have no elements: the index is the related row's. */
#include "load.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smi.h>

/* Parent chains in real MIBs are short (ifAlias: 3); the bound only
 * protects against a cycle in broken input. */
#define MAX_CHAIN 32
/* AUGMENTS of an AUGMENTS row: follow at most this many. */
#define MAX_AUGMENTS 8

/* The description libsmi gives the revision it adds for LAST-UPDATED. */
#define LIBSMI_LAST_UPDATED_REVISION \
	"[Revision added by libsmi due to a LAST-UPDATED clause.]"

static load_diag_fn *diag_fn;
static void *diag_data;

static void error_handler(char *path, int line, int severity, char *msg,
			  char *tag)
{
	/* For severity 0 libsmi's own handler would exit(1); the callback
	 * (the worker's) decides what to do, we only pass it on. */
	if (diag_fn)
		diag_fn(path, line, severity, msg ? msg : "", tag, diag_data);
}

int load_init(const char *dir, load_diag_fn *diag, void *data)
{
	diag_fn = diag;
	diag_data = data;
	/* No tag: read neither /etc/smi.conf nor ~/.smirc, so the user's
	 * dotfiles and SMIPATH cannot change what we compile. */
	if (smiInit(NULL) != 0)
		return -1;
	if (smiSetPath(dir) != 0)
		return -1;
	smiSetFlags(smiGetFlags() | SMI_FLAG_ERRORS);
	/* 6 shows every warning libsmi has; the driver filters. */
	smiSetErrorLevel(6);
	smiSetErrorHandler(error_handler);
	return 0;
}

void load_exit(void)
{
	smiExit();
	diag_fn = NULL;
	diag_data = NULL;
}

void load_redefinition_check(bool on)
{
	/* severities 2, 5, 5, 5 are libsmi's own; 9 is above any level */
	smiSetSeverity("identifier-redefined", on ? 2 : 9);
	smiSetSeverity("identifier-case-match", on ? 5 : 9);
	smiSetSeverity("identifier-external-redefined", on ? 5 : 9);
	smiSetSeverity("identifier-external-case-match", on ? 5 : 9);
}

bool load_is_loaded(const char *module)
{
	for (SmiModule *m = smiGetFirstModule(); m; m = smiGetNextModule(m))
		if (m->name && strcmp(m->name, module) == 0)
			return true;
	return false;
}

int load_parse(const char *module)
{
	return smiLoadModule(module) ? 0 : -1;
}

int load_worst_severity(const char *module)
{
	SmiModule *m = smiGetModule(module);
	if (!m)
		return 0;
	/* 128 + n marks severities hidden by the error level. */
	return m->conformance & 127;
}

/* ---- small helpers ---------------------------------------------------- */

struct loader {
	struct arena *arena;
	const struct load_options *options;
	SmiModule *module;
};

static const char *module_name_of(SmiModule *m)
{
	return m && m->name ? m->name : NULL;
}

/* libsmi's built-in base types live in a module named "". */
static bool is_builtin(SmiType *t)
{
	const char *mod = module_name_of(smiGetTypeModule(t));
	return !mod || !*mod;
}

/* The modules that define the SMI's own types. */
static bool is_smi_module(const char *mod)
{
	return mod && (strcmp(mod, "SNMPv2-SMI") == 0 ||
		       strcmp(mod, "RFC1155-SMI") == 0 ||
		       strcmp(mod, "RFC1065-SMI") == 0);
}

/* A base type: built in, or defined by SNMPv2-SMI/RFC1155-SMI. */
static bool is_base_type(SmiType *t)
{
	return t->name &&
	       (is_builtin(t) || is_smi_module(module_name_of(smiGetTypeModule(t))));
}

/* libsmi's built-in names spelled as in the SMI. */
static const char *smi_spelling(const char *name)
{
	static const char *const map[][2] = {
		{"OctetString", "OCTET STRING"},
		{"ObjectIdentifier", "OBJECT IDENTIFIER"},
		{"Enumeration", "INTEGER"},
		{"Bits", "BITS"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i][0]) == 0)
			return map[i][1];
	return name;
}

/* How a text is kept: without --keep-texts-layout, every run of white
 * space becomes one space, as pysmi does (re.sub(r'\s+', ' ')), and the
 * ends are trimmed: libsmi already drops some trailing white space (before
 * a closing quote on its own line) but not all, so only trimming gives a
 * consistent result.  mibdump keeps a space at the ends where the MIB had
 * white space. */
static const char *copy_text(struct loader *ld, const char *text)
{
	if (!text)
		return NULL;
	if (ld->options && ld->options->keep_texts_layout)
		return arena_strdup(ld->arena, text);
	char *out = arena_alloc(ld->arena, strlen(text) + 1);
	size_t n = 0;
	bool space = false;
	for (const char *p = text; *p; p++) {
		if (strchr(" \t\n\r\f\v", *p)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

/* DESCRIPTION/REFERENCE only when asked for. */
static const char *maybe_text(struct loader *ld, const char *text)
{
	if (!ld->options || !ld->options->texts)
		return NULL;
	return copy_text(ld, text);
}

static struct model_ref make_ref(struct loader *ld, SmiModule *m,
				 const char *name)
{
	struct model_ref ref = {
		.module = arena_strdup(ld->arena, module_name_of(m)),
		.name = arena_strdup(ld->arena, name),
	};
	return ref;
}

static struct model_ref node_ref(struct loader *ld, SmiNode *n)
{
	return make_ref(ld, smiGetNodeModule(n), n->name);
}

/* A type as `written`/`parent` names it: base types in SMI spelling. */
static struct model_ref type_ref(struct loader *ld, SmiType *t)
{
	struct model_ref ref = {NULL, NULL};
	if (!t || !t->name)
		return ref;
	if (is_builtin(t)) {
		ref.name = arena_strdup(ld->arena, smi_spelling(t->name));
		return ref;
	}
	return make_ref(ld, smiGetTypeModule(t), t->name);
}

/* ---- syntax ----------------------------------------------------------- */

static enum model_base base_of(SmiBasetype b)
{
	switch (b) {
	case SMI_BASETYPE_INTEGER32: return MODEL_BASE_INTEGER32;
	case SMI_BASETYPE_UNSIGNED32: return MODEL_BASE_UNSIGNED32;
	case SMI_BASETYPE_INTEGER64: return MODEL_BASE_INTEGER64;
	case SMI_BASETYPE_UNSIGNED64: return MODEL_BASE_UNSIGNED64;
	case SMI_BASETYPE_OCTETSTRING: return MODEL_BASE_OCTET_STRING;
	case SMI_BASETYPE_OBJECTIDENTIFIER:
		return MODEL_BASE_OBJECT_IDENTIFIER;
	case SMI_BASETYPE_ENUM: return MODEL_BASE_ENUM;
	case SMI_BASETYPE_BITS: return MODEL_BASE_BITS;
	case SMI_BASETYPE_FLOAT32:
	case SMI_BASETYPE_FLOAT64:
	case SMI_BASETYPE_FLOAT128: return MODEL_BASE_FLOAT;
	default: return MODEL_BASE_UNKNOWN;
	}
}

/* The wire type of an SMI-defined type, by name; NONE if the name is not
 * one of the application types. */
static enum model_wire wire_of_smi_name(const char *name)
{
	static const struct {
		const char *name;
		enum model_wire wire;
	} map[] = {
		{"Counter32", MODEL_WIRE_COUNTER32},
		{"Counter", MODEL_WIRE_COUNTER32},
		{"Gauge32", MODEL_WIRE_GAUGE32},
		{"Gauge", MODEL_WIRE_GAUGE32},
		{"Unsigned32", MODEL_WIRE_GAUGE32},
		{"UInteger32", MODEL_WIRE_GAUGE32},
		{"TimeTicks", MODEL_WIRE_TIMETICKS},
		{"IpAddress", MODEL_WIRE_IPADDRESS},
		{"NetworkAddress", MODEL_WIRE_IPADDRESS},
		{"Opaque", MODEL_WIRE_OPAQUE},
		{"NsapAddress", MODEL_WIRE_NSAP},
		{"Counter64", MODEL_WIRE_COUNTER64},
		{"Integer32", MODEL_WIRE_INTEGER},
		{"INTEGER", MODEL_WIRE_INTEGER},
		{"ObjectName", MODEL_WIRE_OID},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i].name) == 0)
			return map[i].wire;
	return MODEL_WIRE_NONE;
}

/* The wire type when the chain reaches libsmi's built-in base type. */
static enum model_wire wire_of_base(SmiBasetype b)
{
	switch (b) {
	case SMI_BASETYPE_INTEGER32:
	case SMI_BASETYPE_ENUM: return MODEL_WIRE_INTEGER;
	case SMI_BASETYPE_UNSIGNED32: return MODEL_WIRE_GAUGE32;
	case SMI_BASETYPE_OCTETSTRING:
	case SMI_BASETYPE_BITS: return MODEL_WIRE_OCTET_STRING;
	case SMI_BASETYPE_OBJECTIDENTIFIER: return MODEL_WIRE_OID;
	case SMI_BASETYPE_UNSIGNED64: return MODEL_WIRE_COUNTER64;
	default: return MODEL_WIRE_NONE;
	}
}

/* A number of a range bound or named number, by its own base type. */
static int64_t value_number(const SmiValue *v)
{
	switch (v->basetype) {
	case SMI_BASETYPE_UNSIGNED32: return (int64_t)v->value.unsigned32;
	case SMI_BASETYPE_UNSIGNED64: return (int64_t)v->value.unsigned64;
	case SMI_BASETYPE_INTEGER64: return v->value.integer64;
	case SMI_BASETYPE_INTEGER32:
	case SMI_BASETYPE_ENUM: return v->value.integer32;
	case SMI_BASETYPE_BITS:
		/* a named bit's position */
		return (int64_t)v->value.unsigned32;
	default: return v->value.integer64;
	}
}

static size_t count_ranges(SmiType *t)
{
	size_t n = 0;
	for (SmiRange *r = smiGetFirstRange(t); r; r = smiGetNextRange(r))
		n++;
	return n;
}

static size_t count_named(SmiType *t)
{
	size_t n = 0;
	for (SmiNamedNumber *nn = smiGetFirstNamedNumber(t); nn;
	     nn = smiGetNextNamedNumber(nn))
		n++;
	return n;
}

/* libsmi 0.4.8 sometimes leaves garbage (a heap address) in a bound
 * written in hex, e.g. SYSAPPL-MIB's "Unsigned32 (0..'ffffffff'h)" (smidump
 * prints the same garbage).  A bound outside the base type cannot be
 * right: it is clamped to the base type's limit, which is what such MIBs
 * write in hex. */
static int64_t clamp_bound(SmiBasetype base, int64_t v)
{
	switch (base) {
	case SMI_BASETYPE_INTEGER32:
	case SMI_BASETYPE_ENUM:
		return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v;
	case SMI_BASETYPE_UNSIGNED32:
	case SMI_BASETYPE_OCTETSTRING:
	case SMI_BASETYPE_BITS:
		return v < 0 ? 0 : v > (int64_t)UINT32_MAX ? (int64_t)UINT32_MAX : v;
	default:
		return v;
	}
}

static void copy_ranges(struct loader *ld, SmiType *t, struct model_syntax *s)
{
	s->n_ranges = count_ranges(t);
	s->ranges = arena_array(ld->arena, s->n_ranges, sizeof(*s->ranges));
	size_t i = 0;
	for (SmiRange *r = smiGetFirstRange(t); r; r = smiGetNextRange(r)) {
		s->ranges[i].min = clamp_bound(t->basetype,
					       value_number(&r->minValue));
		s->ranges[i].max = clamp_bound(t->basetype,
					       value_number(&r->maxValue));
		i++;
	}
}

static void copy_named(struct loader *ld, SmiType *t, struct model_syntax *s)
{
	s->n_named = count_named(t);
	s->named = arena_array(ld->arena, s->n_named, sizeof(*s->named));
	size_t i = 0;
	for (SmiNamedNumber *nn = smiGetFirstNamedNumber(t); nn;
	     nn = smiGetNextNamedNumber(nn)) {
		s->named[i].name = arena_strdup(ld->arena, nn->name);
		s->named[i].value = value_number(&nn->value);
		i++;
	}
}

/* The syntax of type `t`.  `own` is the type whose refinement was written
 * in the SYNTAX clause at hand (an object's inline refinement, or the
 * type definition itself), NULL when the clause only names a type. */
static struct model_syntax *build_syntax(struct loader *ld, SmiType *t,
					 SmiType *own)
{
	struct model_syntax *s = arena_alloc(ld->arena, sizeof(*s));
	s->base = base_of(t->basetype);
	s->ranges_are_sizes = t->basetype == SMI_BASETYPE_OCTETSTRING;
	s->wire = MODEL_WIRE_NONE;

	bool have_ranges = false, have_named = false, have_type = false;
	bool have_base = false;
	SmiType *c = t;
	for (int depth = 0; c && depth < MAX_CHAIN;
	     c = smiGetParentType(c), depth++) {
		if (!s->display_hint && c->format)
			s->display_hint = arena_strdup(ld->arena, c->format);
		if (!have_ranges && smiGetFirstRange(c)) {
			copy_ranges(ld, c, s);
			have_ranges = true;
			s->own_ranges = c == own;
		}
		if (!have_named && smiGetFirstNamedNumber(c)) {
			copy_named(ld, c, s);
			have_named = true;
			s->own_named = c == own;
		}
		if (!c->name)
			continue; /* an inline refinement */
		if (is_base_type(c)) {
			if (!have_base) {
				s->base_name = arena_strdup(ld->arena,
					smi_spelling(c->name));
				have_base = true;
			}
			if (s->wire == MODEL_WIRE_NONE)
				s->wire = is_builtin(c)
					? wire_of_base(c->basetype)
					: wire_of_smi_name(c->name);
		} else if (!have_type) {
			s->type = make_ref(ld, smiGetTypeModule(c), c->name);
			have_type = true;
		}
	}
	if (s->wire == MODEL_WIRE_NONE)
		s->wire = wire_of_base(t->basetype);
	/* Enumerations are INTEGER on the wire even when a TC's chain ends in
	 * libsmi's "Enumeration" only. */
	if (s->base == MODEL_BASE_ENUM && s->wire == MODEL_WIRE_NONE)
		s->wire = MODEL_WIRE_INTEGER;

	if (own) {
		s->written = type_ref(ld, smiGetParentType(own));
	} else {
		s->written = type_ref(ld, t);
	}
	return s;
}

/* An object's syntax: its type, and whether SYNTAX refined it inline. */
static struct model_syntax *node_syntax(struct loader *ld, SmiNode *n)
{
	SmiType *t = smiGetNodeType(n);
	if (!t)
		return NULL;
	return build_syntax(ld, t, t->name ? NULL : t);
}

/* ---- nodes ------------------------------------------------------------ */

static enum model_node_kind kind_of(SmiNode *n)
{
	switch (n->nodekind) {
	case SMI_NODEKIND_SCALAR: return MODEL_NODE_SCALAR;
	case SMI_NODEKIND_TABLE: return MODEL_NODE_TABLE;
	case SMI_NODEKIND_ROW: return MODEL_NODE_ROW;
	case SMI_NODEKIND_COLUMN: return MODEL_NODE_COLUMN;
	case SMI_NODEKIND_NOTIFICATION: return MODEL_NODE_NOTIFICATION;
	case SMI_NODEKIND_GROUP: return MODEL_NODE_GROUP;
	case SMI_NODEKIND_COMPLIANCE: return MODEL_NODE_COMPLIANCE;
	case SMI_NODEKIND_CAPABILITIES: return MODEL_NODE_CAPABILITIES;
	default: break;
	}
	if (n->decl == SMI_DECL_MODULEIDENTITY)
		return MODEL_NODE_MODULE_IDENTITY;
	if (n->decl == SMI_DECL_OBJECTIDENTITY)
		return MODEL_NODE_OBJECT_IDENTITY;
	return MODEL_NODE_NODE;
}

static const char *macro_of(SmiDecl decl)
{
	switch (decl) {
	case SMI_DECL_OBJECTTYPE: return "OBJECT-TYPE";
	case SMI_DECL_OBJECTIDENTITY: return "OBJECT-IDENTITY";
	case SMI_DECL_MODULEIDENTITY: return "MODULE-IDENTITY";
	case SMI_DECL_NOTIFICATIONTYPE: return "NOTIFICATION-TYPE";
	case SMI_DECL_TRAPTYPE: return "TRAP-TYPE";
	case SMI_DECL_OBJECTGROUP: return "OBJECT-GROUP";
	case SMI_DECL_NOTIFICATIONGROUP: return "NOTIFICATION-GROUP";
	case SMI_DECL_MODULECOMPLIANCE: return "MODULE-COMPLIANCE";
	case SMI_DECL_AGENTCAPABILITIES: return "AGENT-CAPABILITIES";
	default: return NULL;
	}
}

static enum model_status status_of(SmiStatus s)
{
	switch (s) {
	case SMI_STATUS_CURRENT: return MODEL_STATUS_CURRENT;
	case SMI_STATUS_DEPRECATED: return MODEL_STATUS_DEPRECATED;
	case SMI_STATUS_MANDATORY: return MODEL_STATUS_MANDATORY;
	case SMI_STATUS_OPTIONAL: return MODEL_STATUS_OPTIONAL;
	case SMI_STATUS_OBSOLETE: return MODEL_STATUS_OBSOLETE;
	default: return MODEL_STATUS_UNKNOWN;
	}
}

/* libsmi stores read-create as READ_WRITE and marks the row `create`
 * instead; like smidump, a read-write column of a creatable row is
 * read-create.  Only in SMIv2: SMIv1 has no read-create, yet libsmi marks
 * some SMIv1 rows creatable (RFC1271-MIB's, with EntryStatus columns). */
static enum model_access access_of(SmiNode *n)
{
	switch (n->access) {
	case SMI_ACCESS_NOT_IMPLEMENTED: return MODEL_ACCESS_NOT_IMPLEMENTED;
	case SMI_ACCESS_NOT_ACCESSIBLE: return MODEL_ACCESS_NOT_ACCESSIBLE;
	case SMI_ACCESS_NOTIFY: return MODEL_ACCESS_NOTIFY;
	case SMI_ACCESS_READ_ONLY: return MODEL_ACCESS_READ_ONLY;
	case SMI_ACCESS_READ_WRITE:
		if (n->nodekind == SMI_NODEKIND_COLUMN) {
			SmiNode *row = smiGetParentNode(n);
			SmiModule *m = smiGetNodeModule(n);
			if (row && row->nodekind == SMI_NODEKIND_ROW &&
			    row->create && m &&
			    m->language == SMI_LANGUAGE_SMIV2)
				return MODEL_ACCESS_READ_CREATE;
		}
		return MODEL_ACCESS_READ_WRITE;
	default: return MODEL_ACCESS_UNKNOWN;
	}
}

static bool printable(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* The enum label of `value` along the type chain, NULL if none. */
static const char *enum_label(SmiType *t, int64_t value)
{
	for (int depth = 0; t && depth < MAX_CHAIN;
	     t = smiGetParentType(t), depth++) {
		SmiNamedNumber *nn = smiGetFirstNamedNumber(t);
		if (!nn)
			continue;
		for (; nn; nn = smiGetNextNamedNumber(nn))
			if (value_number(&nn->value) == value)
				return nn->name;
		return NULL;
	}
	return NULL;
}

/* The names of the bits set in a BITS value, ", "-separated. */
static const char *bits_text(struct loader *ld, SmiType *t,
			     const unsigned char *p, size_t len)
{
	SmiType *named = t;
	for (int depth = 0; named && depth < MAX_CHAIN && !smiGetFirstNamedNumber(named);
	     depth++)
		named = smiGetParentType(named);
	size_t cap = 1;
	if (named)
		for (SmiNamedNumber *nn = smiGetFirstNamedNumber(named); nn;
		     nn = smiGetNextNamedNumber(nn))
			cap += strlen(nn->name ? nn->name : "") + 2;
	char *out = arena_alloc(ld->arena, cap);
	if (!named)
		return out;
	for (SmiNamedNumber *nn = smiGetFirstNamedNumber(named); nn;
	     nn = smiGetNextNamedNumber(nn)) {
		uint64_t bit = nn->value.value.unsigned32;
		if (!nn->name || bit / 8 >= len)
			continue;
		/* BITS: bit 0 is the most significant bit of octet 0. */
		if (!(p[bit / 8] & (0x80 >> (bit % 8))))
			continue;
		if (*out)
			strcat(out, ", ");
		strcat(out, nn->name);
	}
	return out;
}

static void load_default(struct loader *ld, SmiNode *n,
			 struct model_node *node)
{
	const SmiValue *v = &n->value;
	SmiType *t = smiGetNodeType(n);
	switch (v->basetype) {
	case SMI_BASETYPE_INTEGER32:
		node->default_kind = MODEL_DEFAULT_NUMBER;
		node->default_value = arena_printf(ld->arena, "%ld",
						   (long)v->value.integer32);
		break;
	case SMI_BASETYPE_UNSIGNED32:
		node->default_kind = MODEL_DEFAULT_NUMBER;
		node->default_value = arena_printf(ld->arena, "%lu",
			(unsigned long)v->value.unsigned32);
		break;
	case SMI_BASETYPE_INTEGER64:
		node->default_kind = MODEL_DEFAULT_NUMBER;
		node->default_value = arena_printf(ld->arena, "%lld",
			(long long)v->value.integer64);
		break;
	case SMI_BASETYPE_UNSIGNED64:
		node->default_kind = MODEL_DEFAULT_NUMBER;
		node->default_value = arena_printf(ld->arena, "%llu",
			(unsigned long long)v->value.unsigned64);
		break;
	case SMI_BASETYPE_ENUM: {
		const char *label = enum_label(t, v->value.integer32);
		if (label) {
			node->default_kind = MODEL_DEFAULT_ENUM;
			node->default_value = arena_strdup(ld->arena, label);
		} else {
			node->default_kind = MODEL_DEFAULT_NUMBER;
			node->default_value = arena_printf(ld->arena, "%ld",
				(long)v->value.integer32);
		}
		break;
	}
	case SMI_BASETYPE_OCTETSTRING: {
		const unsigned char *p = (const unsigned char *)v->value.ptr;
		size_t len = p ? v->len : 0;
		if (printable(p, len)) {
			node->default_kind = MODEL_DEFAULT_STRING;
			node->default_value = arena_strndup(ld->arena,
				len ? (const char *)p : "", len);
		} else {
			char *hex = arena_alloc(ld->arena, 2 * len + 1);
			for (size_t i = 0; i < len; i++)
				snprintf(hex + 2 * i, 3, "%02X", p[i]);
			node->default_kind = MODEL_DEFAULT_HEX;
			node->default_value = hex;
		}
		break;
	}
	case SMI_BASETYPE_BITS:
		node->default_kind = MODEL_DEFAULT_BITS;
		node->default_value = bits_text(ld, t,
			(const unsigned char *)v->value.ptr,
			v->value.ptr ? v->len : 0);
		break;
	case SMI_BASETYPE_OBJECTIDENTIFIER: {
		size_t len = v->value.oid ? v->len : 0;
		char *text = arena_alloc(ld->arena, 11 * len + 1);
		size_t pos = 0;
		for (size_t i = 0; i < len; i++)
			pos += (size_t)sprintf(text + pos, i ? ".%u" : "%u",
					       v->value.oid[i]);
		node->default_kind = MODEL_DEFAULT_OID;
		node->default_value = text;
		break;
	}
	default:
		break; /* no DEFVAL (or a float, not in SMIv1/v2) */
	}
}

static size_t count_elements(SmiNode *n)
{
	size_t c = 0;
	for (SmiElement *e = smiGetFirstElement(n); e; e = smiGetNextElement(e))
		if (smiGetElementNode(e))
			c++;
	return c;
}

/* The nodes of a list (OBJECTS, group members, MANDATORY-GROUPS). */
static void load_members(struct loader *ld, SmiNode *n,
			 struct model_ref **out, size_t *n_out)
{
	*n_out = count_elements(n);
	*out = arena_array(ld->arena, *n_out, sizeof(**out));
	size_t i = 0;
	for (SmiElement *e = smiGetFirstElement(n); e; e = smiGetNextElement(e)) {
		SmiNode *m = smiGetElementNode(e);
		if (m)
			(*out)[i++] = node_ref(ld, m);
	}
}

static void load_optional_groups(struct loader *ld, SmiNode *n,
				 struct model_node *node)
{
	size_t c = 0;
	for (SmiOption *o = smiGetFirstOption(n); o; o = smiGetNextOption(o))
		if (smiGetOptionNode(o))
			c++;
	node->n_optional = c;
	node->optional = arena_array(ld->arena, c, sizeof(*node->optional));
	size_t i = 0;
	for (SmiOption *o = smiGetFirstOption(n); o; o = smiGetNextOption(o)) {
		SmiNode *g = smiGetOptionNode(o);
		if (g)
			node->optional[i++] = node_ref(ld, g);
	}
}

static enum model_index_kind index_kind_of(SmiIndexkind k)
{
	switch (k) {
	case SMI_INDEX_INDEX: return MODEL_INDEX_INDEX;
	case SMI_INDEX_AUGMENT: return MODEL_INDEX_AUGMENTS;
	case SMI_INDEX_REORDER: return MODEL_INDEX_REORDER;
	case SMI_INDEX_SPARSE: return MODEL_INDEX_SPARSE;
	case SMI_INDEX_EXPAND: return MODEL_INDEX_EXPANDS;
	default: return MODEL_INDEX_NONE;
	}
}

/* The row whose INDEX elements give `row`'s instances: itself, or for
 * AUGMENTS/SPARSE (which have no elements of their own) the related row,
 * followed as far as it goes. */
static SmiNode *indexing_row(SmiNode *row)
{
	for (int i = 0; row && i < MAX_AUGMENTS; i++) {
		if (row->indexkind != SMI_INDEX_AUGMENT &&
		    row->indexkind != SMI_INDEX_SPARSE)
			return row;
		if (smiGetFirstElement(row))
			return row;
		row = smiGetRelatedNode(row);
	}
	return NULL;
}

static void load_index(struct loader *ld, SmiNode *row,
		       struct model_node *node)
{
	node->index_kind = index_kind_of(row->indexkind);
	node->create = row->create != 0;
	SmiNode *related = smiGetRelatedNode(row);
	if (related && related->name)
		node->related = node_ref(ld, related);

	SmiNode *source = indexing_row(row);
	if (!source)
		return;
	size_t n = count_elements(source);
	node->index = arena_array(ld->arena, n, sizeof(*node->index));
	node->n_index = n;
	size_t i = 0;
	for (SmiElement *e = smiGetFirstElement(source); e;
	     e = smiGetNextElement(e)) {
		SmiNode *obj = smiGetElementNode(e);
		if (!obj)
			continue;
		struct model_index_element *el = &node->index[i++];
		el->object = node_ref(ld, obj);
		el->syntax = node_syntax(ld, obj);
		/* libsmi's flag is the row's: it applies to the last one. */
		el->implied = source->implied && i == n;
	}
}

static void load_node(struct loader *ld, SmiNode *n, struct model_node *node)
{
	node->name = arena_strdup(ld->arena, n->name);
	node->oid_len = n->oidlen < MODEL_OID_MAX ? n->oidlen : MODEL_OID_MAX;
	for (size_t i = 0; i < node->oid_len; i++)
		node->oid[i] = n->oid[i];
	node->kind = kind_of(n);
	node->macro = macro_of(n->decl);
	/* MAX-ACCESS belongs to OBJECT-TYPEs only (libsmi gives groups and
	 * compliances "not-accessible"). */
	if (n->decl == SMI_DECL_OBJECTTYPE)
		node->access = access_of(n);
	node->status = status_of(n->status);
	node->line = smiGetNodeLine(n);
	node->description = maybe_text(ld, n->description);
	node->reference = maybe_text(ld, n->reference);
	node->units = copy_text(ld, n->units);

	SmiNode *parent = smiGetParentNode(n);
	switch (node->kind) {
	case MODEL_NODE_SCALAR:
	case MODEL_NODE_COLUMN:
		node->syntax = node_syntax(ld, n);
		load_default(ld, n, node);
		if (node->kind == MODEL_NODE_COLUMN && parent)
			node->parent = arena_strdup(ld->arena, parent->name);
		break;
	case MODEL_NODE_ROW:
		load_index(ld, n, node);
		if (parent)
			node->parent = arena_strdup(ld->arena, parent->name);
		break;
	case MODEL_NODE_NOTIFICATION:
	case MODEL_NODE_GROUP:
	case MODEL_NODE_COMPLIANCE:
		load_members(ld, n, &node->members, &node->n_members);
		if (node->kind == MODEL_NODE_COMPLIANCE)
			load_optional_groups(ld, n, node);
		break;
	default:
		break;
	}
}

/* A node the module defines.  Not the names libsmi makes up for the
 * name(number) forms inside OID values ("{ enterprises pwg(2699) }"): they
 * define nothing, and mibdump does not list them either. */
static bool is_defined(SmiNode *n)
{
	return n->name && n->decl != SMI_DECL_IMPL_OBJECT;
}

/* The module's next node, or NULL.  libsmi's smiGetNextNode() reads
 * through a NULL tree pointer from a node that has no OID (a module whose
 * MODULE-IDENTITY a syntax error cut off, read back under
 * --ignore-errors): such a node ends the walk instead. */
static SmiNode *next_node(SmiNode *sn)
{
	if (!sn->oid || sn->oidlen == 0)
		return NULL;
	return smiGetNextNode(sn, SMI_NODEKIND_ANY);
}

static void load_nodes(struct loader *ld, struct model_module *mm)
{
	size_t n = 0;
	for (SmiNode *sn = smiGetFirstNode(ld->module, SMI_NODEKIND_ANY); sn;
	     sn = next_node(sn))
		if (is_defined(sn))
			n++;
	mm->nodes = arena_array(ld->arena, n, sizeof(*mm->nodes));
	size_t i = 0;
	for (SmiNode *sn = smiGetFirstNode(ld->module, SMI_NODEKIND_ANY);
	     sn && i < n; sn = next_node(sn))
		if (is_defined(sn))
			load_node(ld, sn, &mm->nodes[i++]);
	mm->n_nodes = i;
	model_sort_nodes(mm);
}

/* ---- module ----------------------------------------------------------- */

static const char *format_date(struct loader *ld, time_t t)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return NULL;
	return arena_printf(ld->arena, "%04d-%02d-%02d %02d:%02d",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min);
}

/* Revisions in source order: libsmi sorts them by date, and reorders two
 * of the same date (IANA-ENTITY-MIB). */
static int compare_revision_lines(const void *pa, const void *pb)
{
	SmiRevision *const *a = pa, *const *b = pb;
	int la = smiGetRevisionLine(*a), lb = smiGetRevisionLine(*b);
	return la < lb ? -1 : la > lb;
}

static void load_revisions(struct loader *ld, struct model_module *mm)
{
	size_t n = 0;
	for (SmiRevision *r = smiGetFirstRevision(ld->module); r;
	     r = smiGetNextRevision(r))
		n++;
	mm->revisions = arena_array(ld->arena, n, sizeof(*mm->revisions));
	SmiRevision **order = xcalloc(n + 1, sizeof(*order));
	size_t k = 0;
	for (SmiRevision *r = smiGetFirstRevision(ld->module); r && k < n;
	     r = smiGetNextRevision(r))
		order[k++] = r;
	qsort(order, k, sizeof(*order), compare_revision_lines);

	time_t newest = 0, last_updated = 0;
	bool any = false, have_last_updated = false;
	size_t i = 0;
	for (size_t j = 0; j < k; j++) {
		SmiRevision *r = order[j];
		/* libsmi invents a revision for a LAST-UPDATED date that no
		 * REVISION clause names: that is LAST-UPDATED, not a revision
		 * the MIB has. */
		if (r->description &&
		    strcmp(r->description, LIBSMI_LAST_UPDATED_REVISION) == 0) {
			last_updated = r->date;
			have_last_updated = true;
			continue;
		}
		mm->revisions[i].date = format_date(ld, r->date);
		/* Kept even without texts: mibdump shows them always. */
		mm->revisions[i].description = copy_text(ld, r->description);
		if (!any || r->date > newest)
			newest = r->date;
		any = true;
		i++;
	}
	free(order);
	mm->n_revisions = i;
	/* Else LAST-UPDATED is one of the revisions: normally the newest. */
	if (have_last_updated)
		mm->last_updated = format_date(ld, last_updated);
	else if (any)
		mm->last_updated = format_date(ld, newest);
}

static void load_imports(struct loader *ld, struct model_module *mm)
{
	size_t n = 0;
	for (SmiImport *im = smiGetFirstImport(ld->module); im;
	     im = smiGetNextImport(im))
		n++;
	mm->imports = arena_array(ld->arena, n, sizeof(*mm->imports));
	size_t i = 0;
	for (SmiImport *im = smiGetFirstImport(ld->module); im && i < n;
	     im = smiGetNextImport(im), i++) {
		mm->imports[i].module = arena_strdup(ld->arena, im->module);
		mm->imports[i].name = arena_strdup(ld->arena, im->name);
	}
	mm->n_imports = i;
}

static void load_types(struct loader *ld, struct model_module *mm)
{
	size_t n = 0;
	for (SmiType *t = smiGetFirstType(ld->module); t; t = smiGetNextType(t))
		if (t->name)
			n++;
	mm->types = arena_array(ld->arena, n, sizeof(*mm->types));
	size_t i = 0;
	for (SmiType *t = smiGetFirstType(ld->module); t && i < n;
	     t = smiGetNextType(t)) {
		if (!t->name)
			continue;
		struct model_typedef *td = &mm->types[i++];
		td->name = arena_strdup(ld->arena, t->name);
		td->textual_convention = t->decl == SMI_DECL_TEXTUALCONVENTION;
		td->status = status_of(t->status);
		td->line = smiGetTypeLine(t);
		td->description = maybe_text(ld, t->description);
		td->reference = maybe_text(ld, t->reference);
		td->syntax = build_syntax(ld, t, t);
		td->display_hint = arena_strdup(ld->arena, t->format);
		td->parent = type_ref(ld, smiGetParentType(t));
	}
	mm->n_types = i;
}

static enum model_language language_of(SmiLanguage l)
{
	switch (l) {
	case SMI_LANGUAGE_SMIV1: return MODEL_LANGUAGE_SMIV1;
	case SMI_LANGUAGE_SMIV2: return MODEL_LANGUAGE_SMIV2;
	default: return MODEL_LANGUAGE_UNKNOWN;
	}
}

struct model_module *load_model(const char *module, const char *path,
				const struct load_options *options)
{
	SmiModule *m = smiGetModule(module);
	if (!m)
		return NULL;
	struct model_module *mm = xcalloc(1, sizeof(*mm));
	struct load_options none = {0};
	struct loader ld = {
		.arena = &mm->arena,
		.options = options ? options : &none,
		.module = m,
	};
	mm->name = arena_strdup(ld.arena, m->name);
	mm->path = arena_strdup(ld.arena, path);
	mm->language = language_of(m->language);
	mm->organization = copy_text(&ld, m->organization);
	mm->contact_info = maybe_text(&ld, m->contactinfo);
	mm->description = maybe_text(&ld, m->description);
	mm->reference = maybe_text(&ld, m->reference);
	load_revisions(&ld, mm);
	load_imports(&ld, mm);
	load_nodes(&ld, mm);
	load_types(&ld, mm);
	return mm;
}
