/* The C emitter: hand-built models covering each construct, compiled with
 * cc -std=c11 -pedantic (and the headers with c++); key lines of the
 * output; clashes; determinism; --select; real modules through the loader,
 * with a program that walks the generated descriptors and must print what
 * the model says; and the whole shared corpus compiled. */
#include <check.h>
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "emit.h"
#include "load.h"
#include "names.h"
#include "testlib.h"

/* ---- building models by hand ------------------------------------------ */

#define MAX_NODES 256

static struct model_module *new_module(const char *name)
{
	struct model_module *m = xcalloc(1, sizeof(*m));
	m->name = name;
	m->path = "/abs/secret/path/MIB-FILE";
	m->language = MODEL_LANGUAGE_SMIV2;
	m->last_updated = "2024-01-02 03:04";
	snprintf(m->source_hash, sizeof(m->source_hash), "%064d", 7);
	m->nodes = arena_array(&m->arena, MAX_NODES, sizeof(*m->nodes));
	m->types = arena_array(&m->arena, 16, sizeof(*m->types));
	return m;
}

static struct model_node *node(struct model_module *m, const char *name,
			       enum model_node_kind kind, const char *oid)
{
	ck_assert_uint_lt(m->n_nodes, MAX_NODES);
	struct model_node *n = &m->nodes[m->n_nodes++];
	n->name = name;
	n->kind = kind;
	n->status = MODEL_STATUS_CURRENT;
	n->line = (int)m->n_nodes * 10;
	const char *p = oid;
	while (*p) {
		n->oid[n->oid_len++] = (uint32_t)strtoul(p, (char **)&p, 10);
		if (*p == '.')
			p++;
	}
	return n;
}

static struct model_syntax *syn(struct model_module *m, enum model_base base,
				enum model_wire wire, const char *base_name)
{
	struct model_syntax *s = arena_alloc(&m->arena, sizeof(*s));
	s->base = base;
	s->wire = wire;
	s->base_name = base_name;
	s->ranges_are_sizes = base == MODEL_BASE_OCTET_STRING;
	return s;
}

/* ranges(m, s, n, min0, max0, min1, max1...) */
static void ranges(struct model_module *m, struct model_syntax *s, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	s->ranges = arena_array(&m->arena, n, sizeof(*s->ranges));
	for (size_t i = 0; i < n; i++) {
		s->ranges[i].min = va_arg(ap, int64_t);
		s->ranges[i].max = va_arg(ap, int64_t);
	}
	s->n_ranges = n;
	va_end(ap);
}

/* named(m, s, n, "a", 1, "b", 2...) */
static void named(struct model_module *m, struct model_syntax *s, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	s->named = arena_array(&m->arena, n, sizeof(*s->named));
	for (size_t i = 0; i < n; i++) {
		s->named[i].name = va_arg(ap, const char *);
		s->named[i].value = va_arg(ap, int);
	}
	s->n_named = n;
	s->own_named = true;
	va_end(ap);
}

static struct model_node *object(struct model_module *m, const char *name,
				 enum model_node_kind kind, const char *oid,
				 struct model_syntax *s, enum model_access a)
{
	struct model_node *n = node(m, name, kind, oid);
	n->syntax = s;
	n->access = a;
	return n;
}

static struct model_syntax *s_int(struct model_module *m)
{
	return syn(m, MODEL_BASE_INTEGER32, MODEL_WIRE_INTEGER, "Integer32");
}

static struct model_syntax *s_text(struct model_module *m, int64_t max)
{
	struct model_syntax *s = syn(m, MODEL_BASE_OCTET_STRING,
				     MODEL_WIRE_OCTET_STRING, "OCTET STRING");
	s->type = (struct model_ref){"SNMPv2-TC", "DisplayString"};
	s->display_hint = "255a";
	ranges(m, s, 1, (int64_t)0, max);
	return s;
}

static struct model_syntax *s_octets(struct model_module *m, int64_t min,
				     int64_t max)
{
	struct model_syntax *s = syn(m, MODEL_BASE_OCTET_STRING,
				     MODEL_WIRE_OCTET_STRING, "OCTET STRING");
	if (max >= 0)
		ranges(m, s, 1, min, max);
	return s;
}

static struct model_ref *refs(struct model_module *m, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	struct model_ref *r = arena_array(&m->arena, n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		r[i].module = va_arg(ap, const char *);
		r[i].name = va_arg(ap, const char *);
	}
	va_end(ap);
	return r;
}

static void row_index(struct model_module *m, struct model_node *row, size_t n,
		      ...)
{
	va_list ap;
	va_start(ap, n);
	row->index_kind = MODEL_INDEX_INDEX;
	row->index = arena_array(&m->arena, n, sizeof(*row->index));
	for (size_t i = 0; i < n; i++) {
		row->index[i].object.module = va_arg(ap, const char *);
		row->index[i].object.name = va_arg(ap, const char *);
		row->index[i].syntax = va_arg(ap, const struct model_syntax *);
		row->index[i].implied = va_arg(ap, int);
	}
	row->n_index = n;
	va_end(ap);
}

/* The TC module the test module imports from. */
static struct model_module *tc_module(void)
{
	struct model_module *m = new_module("MIBC-TEST-TC-MIB");
	struct model_typedef *t = &m->types[m->n_types++];
	t->name = "MibcColor";
	t->textual_convention = true;
	t->status = MODEL_STATUS_CURRENT;
	t->syntax = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	t->syntax->type = (struct model_ref){"MIBC-TEST-TC-MIB", "MibcColor"};
	named(m, t->syntax, 2, "red", 1, "green", 2);
	t->parent = (struct model_ref){NULL, "INTEGER"};

	node(m, "mibcTestTcMIB", MODEL_NODE_MODULE_IDENTITY, "1.3.6.1.4.1.99998");
	node(m, "tcTable", MODEL_NODE_TABLE, "1.3.6.1.4.1.99998.1")->access =
		MODEL_ACCESS_NOT_ACCESSIBLE;
	struct model_node *row = node(m, "tcEntry", MODEL_NODE_ROW,
				      "1.3.6.1.4.1.99998.1.1");
	row->parent = "tcTable";
	struct model_syntax *idx = s_int(m);
	ranges(m, idx, 1, (int64_t)1, (int64_t)100);
	row_index(m, row, 1, NULL, "tcIndex", idx, 0);
	object(m, "tcIndex", MODEL_NODE_COLUMN, "1.3.6.1.4.1.99998.1.1.1", idx,
	       MODEL_ACCESS_READ_ONLY)->parent = "tcEntry";
	return m;
}

static const char *const tricky_text =
	"Ends a comment */ here, opens /* there,\n"
	"a trigraph ?\?/\n"
	"and a backslash at the end \\\n"
	"\n"
	"A second paragraph.";

/* MIBC-TEST-MIB: every construct. */
static struct model_module *test_module(void)
{
	struct model_module *m = new_module("MIBC-TEST-MIB");
	struct arena *a = &m->arena;
	m->description = "The module.\n\nEnds */ here.";

	struct model_typedef *truth = &m->types[m->n_types++];
	truth->name = "MibcTruth";
	truth->textual_convention = true;
	truth->status = MODEL_STATUS_CURRENT;
	truth->syntax = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	truth->syntax->type = (struct model_ref){"MIBC-TEST-MIB", "MibcTruth"};
	named(m, truth->syntax, 2, "true", 1, "false", 2);
	truth->description = tricky_text;

	struct model_typedef *flags = &m->types[m->n_types++];
	flags->name = "MibcFlags";
	flags->textual_convention = true;
	flags->syntax = syn(m, MODEL_BASE_BITS, MODEL_WIRE_OCTET_STRING, "BITS");
	named(m, flags->syntax, 2, "a", 0, "b", 1);

	/* a type whose name ends in "Type" next to one without */
	struct model_typedef *at = &m->types[m->n_types++];
	at->name = "MibcAddrType";
	at->syntax = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	named(m, at->syntax, 2, "ipv4", 1, "ipv6", 2);
	struct model_typedef *ad = &m->types[m->n_types++];
	ad->name = "MibcAddr";
	ad->syntax = s_octets(m, 0, 255);

	const char *base = "1.3.6.1.4.1.99999";
	char oid[128];
#define OID(suffix) (snprintf(oid, sizeof(oid), "%s.%s", base, suffix), oid)
	node(m, "mibcTestMIB", MODEL_NODE_MODULE_IDENTITY, base);
	node(m, "mibcTestObjects", MODEL_NODE_NODE, OID("1"));

	struct model_syntax *s;
	s = s_int(m);
	ranges(m, s, 3, (int64_t)-5, (int64_t)5, (int64_t)10, (int64_t)20,
	       (int64_t)100, (int64_t)100);
	struct model_node *n = object(m, "tInt", MODEL_NODE_SCALAR, OID("1.1"), s,
				      MODEL_ACCESS_READ_WRITE);
	n->units = "seconds";
	n->default_value = "7";
	n->default_kind = MODEL_DEFAULT_NUMBER;
	object(m, "tUns", MODEL_NODE_SCALAR, OID("1.2"),
	       syn(m, MODEL_BASE_UNSIGNED32, MODEL_WIRE_GAUGE32, "Unsigned32"),
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tCounter", MODEL_NODE_SCALAR, OID("1.3"),
	       syn(m, MODEL_BASE_UNSIGNED32, MODEL_WIRE_COUNTER32, "Counter32"),
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tTicks", MODEL_NODE_SCALAR, OID("1.4"),
	       syn(m, MODEL_BASE_UNSIGNED32, MODEL_WIRE_TIMETICKS, "TimeTicks"),
	       MODEL_ACCESS_READ_ONLY);
	s = syn(m, MODEL_BASE_UNSIGNED64, MODEL_WIRE_COUNTER64, "Counter64");
	ranges(m, s, 1, (int64_t)0, (int64_t)-1); /* 0..2^64-1 bit for bit */
	object(m, "tC64", MODEL_NODE_SCALAR, OID("1.5"), s, MODEL_ACCESS_READ_ONLY);
	s = syn(m, MODEL_BASE_OCTET_STRING, MODEL_WIRE_IPADDRESS, "IpAddress");
	ranges(m, s, 1, (int64_t)4, (int64_t)4);
	object(m, "tIp", MODEL_NODE_SCALAR, OID("1.6"), s, MODEL_ACCESS_READ_ONLY);
	object(m, "tFixed", MODEL_NODE_SCALAR, OID("1.7"), s_octets(m, 6, 6),
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tText", MODEL_NODE_SCALAR, OID("1.8"), s_text(m, 255),
	       MODEL_ACCESS_READ_WRITE)->description = tricky_text;
	object(m, "tOid", MODEL_NODE_SCALAR, OID("1.9"),
	       syn(m, MODEL_BASE_OBJECT_IDENTIFIER, MODEL_WIRE_OID,
		   "OBJECT IDENTIFIER"), MODEL_ACCESS_READ_ONLY);
	s = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	named(m, s, 5, "up", 1, "down", 2, "weird-name", 3, "weirdName", 4,
	      "oid", 5);
	n = object(m, "tEnum", MODEL_NODE_SCALAR, OID("1.10"), s,
		   MODEL_ACCESS_READ_WRITE);
	n->default_value = "up";
	n->default_kind = MODEL_DEFAULT_ENUM;
	s = syn(m, MODEL_BASE_BITS, MODEL_WIRE_OCTET_STRING, "BITS");
	named(m, s, 3, "b0", 0, "b9", 9, "b70", 70);
	object(m, "tBits", MODEL_NODE_SCALAR, OID("1.11"), s,
	       MODEL_ACCESS_READ_ONLY);
	/* a local TC's enum, inherited names */
	s = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	s->type = (struct model_ref){"MIBC-TEST-MIB", "MibcTruth"};
	named(m, s, 2, "true", 1, "false", 2);
	s->own_named = false;
	object(m, "tTruth", MODEL_NODE_SCALAR, OID("1.12"), s,
	       MODEL_ACCESS_READ_WRITE);
	/* an imported TC's enum */
	s = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER, "INTEGER");
	s->type = (struct model_ref){"MIBC-TEST-TC-MIB", "MibcColor"};
	named(m, s, 2, "red", 1, "green", 2);
	s->own_named = false;
	object(m, "tForeign", MODEL_NODE_SCALAR, OID("1.13"), s,
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tLong", MODEL_NODE_SCALAR, OID("1.14"), s_octets(m, 0, -1),
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tNotify", MODEL_NODE_SCALAR, OID("1.15"), s_int(m),
	       MODEL_ACCESS_NOTIFY);
	/* two names, one C name */
	object(m, "tClash", MODEL_NODE_SCALAR, OID("1.16"), s_int(m),
	       MODEL_ACCESS_READ_ONLY);
	object(m, "tCLASH", MODEL_NODE_SCALAR, OID("1.17"), s_int(m),
	       MODEL_ACCESS_READ_ONLY);
	s = syn(m, MODEL_BASE_BITS, MODEL_WIRE_OCTET_STRING, "BITS");
	s->type = (struct model_ref){"MIBC-TEST-MIB", "MibcFlags"};
	named(m, s, 2, "a", 0, "b", 1);
	s->own_named = false;
	object(m, "tFlags", MODEL_NODE_SCALAR, OID("1.18"), s,
	       MODEL_ACCESS_READ_ONLY);

	/* INDEX { tIdx, IMPLIED tName } */
	node(m, "tTable", MODEL_NODE_TABLE, OID("2"));
	struct model_node *row = node(m, "tEntry", MODEL_NODE_ROW, OID("2.1"));
	row->parent = "tTable";
	row->create = true;
	struct model_syntax *idx = s_int(m), *name = s_text(m, 32);
	row_index(m, row, 2, NULL, "tIdx", idx, 0, NULL, "tName", name, 1);
	object(m, "tIdx", MODEL_NODE_COLUMN, OID("2.1.1"), idx,
	       MODEL_ACCESS_NOT_ACCESSIBLE)->parent = "tEntry";
	object(m, "tName", MODEL_NODE_COLUMN, OID("2.1.2"), name,
	       MODEL_ACCESS_NOT_ACCESSIBLE)->parent = "tEntry";
	s = syn(m, MODEL_BASE_UNSIGNED64, MODEL_WIRE_COUNTER64, "Counter64");
	object(m, "tVal", MODEL_NODE_COLUMN, OID("2.1.3"), s,
	       MODEL_ACCESS_READ_ONLY)->parent = "tEntry";

	/* every kind of index element, one from another module */
	node(m, "tAddrTable", MODEL_NODE_TABLE, OID("3"));
	row = node(m, "tAddrEntry", MODEL_NODE_ROW, OID("3.1"));
	row->parent = "tAddrTable";
	struct model_syntax *atype = syn(m, MODEL_BASE_ENUM, MODEL_WIRE_INTEGER,
					 "INTEGER");
	named(m, atype, 2, "ipv4", 1, "ipv6", 2);
	struct model_syntax *addr = s_octets(m, 0, 255);
	struct model_syntax *ip = syn(m, MODEL_BASE_OCTET_STRING,
				      MODEL_WIRE_IPADDRESS, "IpAddress");
	struct model_syntax *mac = s_octets(m, 6, 6);
	struct model_syntax *oidx = syn(m, MODEL_BASE_OBJECT_IDENTIFIER,
					MODEL_WIRE_OID, "OBJECT IDENTIFIER");
	struct model_syntax *fidx = s_int(m);
	struct model_syntax *uidx = syn(m, MODEL_BASE_UNSIGNED32,
					MODEL_WIRE_GAUGE32, "Unsigned32");
	row_index(m, row, 7, NULL, "tAddrType", atype, 0, NULL, "tAddr", addr, 0,
		  NULL, "tAddrIp", ip, 0, NULL, "tAddrMac", mac, 0, NULL,
		  "tAddrOid", oidx, 0, "MIBC-TEST-TC-MIB", "tcIndex", fidx, 0,
		  NULL, "int", uidx, 0);
	const char *cols[] = {"tAddrType", "tAddr", "tAddrIp", "tAddrMac",
			      "tAddrOid", "int"};
	struct model_syntax *col_syn[] = {atype, addr, ip, mac, oidx, uidx};
	for (size_t i = 0; i < 6; i++) {
		char sub[16];
		snprintf(sub, sizeof(sub), "3.1.%zu", i + 1);
		object(m, cols[i], MODEL_NODE_COLUMN, OID(sub), col_syn[i],
		       MODEL_ACCESS_NOT_ACCESSIBLE)->parent = "tAddrEntry";
	}
	object(m, "tAddrValue", MODEL_NODE_COLUMN, OID("3.1.7"), s_int(m),
	       MODEL_ACCESS_READ_ONLY)->parent = "tAddrEntry";

	/* AUGMENTS tEntry */
	node(m, "tAugTable", MODEL_NODE_TABLE, OID("4"));
	row = node(m, "tAugEntry", MODEL_NODE_ROW, OID("4.1"));
	row->parent = "tAugTable";
	row_index(m, row, 2, NULL, "tIdx", idx, 0, NULL, "tName", name, 1);
	row->index_kind = MODEL_INDEX_AUGMENTS;
	row->related = (struct model_ref){"MIBC-TEST-MIB", "tEntry"};
	object(m, "tAugValue", MODEL_NODE_COLUMN, OID("4.1.1"), s_int(m),
	       MODEL_ACCESS_READ_ONLY)->parent = "tAugEntry";

	/* 70 columns, some named like C keywords */
	node(m, "tWideTable", MODEL_NODE_TABLE, OID("5"));
	row = node(m, "tWideEntry", MODEL_NODE_ROW, OID("5.1"));
	row->parent = "tWideTable";
	struct model_syntax *widx = s_int(m);
	row_index(m, row, 1, NULL, "class", widx, 0);
	for (int i = 1; i <= 70; i++) {
		char sub[16];
		snprintf(sub, sizeof(sub), "5.1.%d", i);
		const char *cname = i == 1 ? "class" : i == 2 ? "default"
				    : i == 3 ? "mibcPresent"
				    : arena_printf(a, "tWide%d", i);
		object(m, cname, MODEL_NODE_COLUMN, OID(sub),
		       i == 1 ? widx : s_int(m),
		       i == 1 ? MODEL_ACCESS_NOT_ACCESSIBLE
			      : MODEL_ACCESS_READ_ONLY)->parent = "tWideEntry";
	}

	/* notifications, groups, compliance */
	node(m, "tNotifications", MODEL_NODE_NODE, OID("6"));
	n = node(m, "tEvent", MODEL_NODE_NOTIFICATION, OID("6.0.1"));
	n->members = refs(m, 3, NULL, "tInt", NULL, "tEnum", "MIBC-TEST-TC-MIB",
			  "tcIndex");
	n->n_members = 3;
	n->description = tricky_text;
	node(m, "tTrap", MODEL_NODE_NOTIFICATION, OID("6.0.2"));
	n = node(m, "tGroup", MODEL_NODE_GROUP, OID("7.1"));
	n->members = refs(m, 2, NULL, "tInt", NULL, "tUns");
	n->n_members = 2;
	n = node(m, "tCompliance", MODEL_NODE_COMPLIANCE, OID("7.2"));
	n->members = refs(m, 1, NULL, "tGroup");
	n->n_members = 1;
#undef OID
	return m;
}

/* ---- emitting and compiling ------------------------------------------- */

static char *warnings; /* collected by the warning hook */

static void on_warning(const struct model_module *m, int line,
		       const char *message, void *data)
{
	(void)data;
	size_t old = warnings ? strlen(warnings) : 0;
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%s:%d: %s\n", m->name, line, message);
	warnings = xrealloc(warnings, old + (size_t)n + 1);
	memcpy(warnings + old, buf, (size_t)n + 1);
}

/* Output i of module m as text (malloc'd). */
static char *emit_text(const struct model_module *m, size_t i, bool texts,
		       const char *const *select)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct emit_options o = {
		.generate_texts = texts,
		.version = "9.9.9",
		.warning = on_warning,
		.select = select,
	};
	char *error = NULL;
	ck_assert_int_eq(emitter_c.emit(m, &o, i, f, &error), 0);
	fclose(f);
	return text;
}

/* Writes both outputs of m to dir; returns the header's text. */
static char *emit_to(const char *dir, const struct model_module *m, bool texts,
		     const char *const *select)
{
	char *h = NULL;
	for (size_t i = 0; i < 2; i++) {
		char *name = emitter_c.output_name(m->name, i);
		char *text = emit_text(m, i, texts, select);
		char *path = xasprintf("%s/%s", dir, name);
		test_write_file(path, text, strlen(text));
		free(path);
		free(name);
		if (i == 0)
			h = text;
		else
			free(text);
	}
	return h;
}

static char *runtime_include(void)
{
	return test_data_path("../runtime/include");
}

/* cc -std=c11 -pedantic -Werror -c dir/file.c */
static void compile_c(const char *dir, const char *file)
{
	char *inc = runtime_include();
	char *iflag = xasprintf("-I%s", inc);
	const char *argv[] = {"cc", "-std=c11", "-Wall", "-Wextra", "-Werror",
			      "-pedantic", iflag, "-c", file, "-o", "/dev/null",
			      NULL};
	struct test_run r = test_run_argv(dir, argv, 120);
	ck_assert_msg(r.status == 0, "cc %s failed:\n%.4000s", file, r.err);
	test_run_free(&r);
	free(iflag);
	free(inc);
}

static void compile_cxx(const char *dir, const char *header)
{
	char *inc = runtime_include();
	char *iflag = xasprintf("-I%s", inc);
	const char *argv[] = {"c++", "-x", "c++", "-Wall", "-Wextra", "-Werror",
			      "-pedantic", iflag, "-fsyntax-only", header, NULL};
	struct test_run r = test_run_argv(dir, argv, 120);
	ck_assert_msg(r.status == 0, "c++ %s failed:\n%.4000s", header, r.err);
	test_run_free(&r);
	free(iflag);
	free(inc);
}

static void compile_module(const char *dir, const struct model_module *m)
{
	char *h = emitter_c.output_name(m->name, 0);
	char *c = emitter_c.output_name(m->name, 1);
	compile_c(dir, c);
	compile_cxx(dir, h);
	free(h);
	free(c);
}

#define assert_has(text, s) \
	ck_assert_msg(strstr((text), (s)) != NULL, "missing: %s", (s))
#define assert_lacks(text, s) \
	ck_assert_msg(strstr((text), (s)) == NULL, "unexpected: %s", (s))

static void free_module(struct model_module *m)
{
	arena_free(&m->arena);
	free(m);
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(names)
{
	const char *cases[][2] = {
		{"ifHCInOctets", "if_hc_in_octets"},
		{"IANAifType", "iana_if_type"},
		{"ethernet-csmacd", "ethernet_csmacd"},
		{"ipv6IfIndex", "ipv6_if_index"},
		{"dot1dBase", "dot1d_base"},
		{"hrSWRunName", "hr_sw_run_name"},
		{"IPv6", "ipv6"},
		{"SNMPv2-MIB", "snmpv2_mib"},
		{"snmpEngineID", "snmp_engine_id"},
		{"--", "x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = names_snake(cases[i][0]);
		ck_assert_str_eq(s, cases[i][1]);
		free(s);
	}
	char *s = names_module_prefix("IANAifType-MIB");
	ck_assert_str_eq(s, "ianaiftype_mib");
	free(s);
	s = names_file_base("IF-MIB");
	ck_assert_str_eq(s, "if-mib");
	free(s);
	s = names_local("class");
	ck_assert_str_eq(s, "class_");
	free(s);
	s = names_local("10BaseT");
	ck_assert_str_eq(s, "n10_base_t");
	free(s);
}
END_TEST

START_TEST(constructs)
{
	char *dir = test_mkdtemp();
	struct model_module *tc = tc_module();
	struct model_module *m = test_module();
	free(warnings);
	warnings = NULL;
	char *tch = emit_to(dir, tc, false, NULL);
	char *h = emit_to(dir, m, false, NULL);
	compile_module(dir, tc);
	compile_module(dir, m);
	char *cpath = xasprintf("%s/mibc-test-mib.c", dir);
	char *c = test_read_file(cpath, NULL);
	free(cpath);

	/* the frame */
	ck_assert_msg(strncmp(h, "/* Generated by mibc 9.9.9 from MIBC-TEST-MIB: "
			      "do not edit. */\n", 60) == 0, "first line: %.80s", h);
	ck_assert_msg(strncmp(c, "/* Generated by mibc 9.9.9 from MIBC-TEST-MIB: "
			      "do not edit. */\n", 60) == 0, "first line: %.80s", c);
	assert_has(h, "#if MIBC_DESC_ABI != 2\n#error");
	assert_has(h, "extern \"C\" {");
	assert_has(h, "#include \"mibc-test-tc-mib.h\"");
	assert_has(h, "#define MIBC_TEST_MIB_LAST_UPDATED \"2024-01-02 03:04\"");
	assert_lacks(h, "/abs/secret");
	assert_lacks(c, "/abs/secret");
	/* OIDs */
	assert_has(h, "#define MIBC_TEST_MIB_T_INT_OID 1, 3, 6, 1, 4, 1, 99999, 1, 1\n");
	assert_has(h, "#define MIBC_TEST_MIB_T_INT_OID_LEN 9\n");
	assert_has(h, "extern const uint32_t mibc_test_mib_t_int_oid[MIBC_TEST_MIB_T_INT_OID_LEN];");
	assert_has(c, "const uint32_t mibc_test_mib_t_int_oid[MIBC_TEST_MIB_T_INT_OID_LEN] = { MIBC_TEST_MIB_T_INT_OID };");
	/* descriptors */
	assert_has(c, "{ .min = { .i = -5 }, .max = { .i = 5 } },\n"
		      "\t{ .min = { .i = 10 }, .max = { .i = 20 } },\n"
		      "\t{ .min = { .i = 100 }, .max = { .i = 100 } },");
	assert_has(c, "{ .min = { .u = UINT64_C(0) }, .max = { .u = UINT64_C(18446744073709551615) } }");
	assert_has(c, "\t.units = \"seconds\",\n");
	assert_has(c, "\t.default_value = \"up\",\n\t.default_kind = MIBC_DEFAULT_ENUM,\n");
	assert_has(c, "\t.wire = MIBC_WIRE_COUNTER32,\n");
	assert_has(c, "\t.wire = MIBC_WIRE_TIMETICKS,\n");
	assert_has(c, "\t.type = MIBC_TYPE_UNSIGNED64,\n\t.wire = MIBC_WIRE_COUNTER64,\n");
	assert_has(c, "\t.tc_module = \"SNMPv2-TC\",\n\t.tc_name = \"DisplayString\",\n");
	/* enums: C-safe, deduplicated labels */
	assert_has(h, "enum mibc_test_mib_t_enum MIBC_ENUM_BASE {\n"
		      "\tMIBC_TEST_MIB_T_ENUM_UP = 1,\n"
		      "\tMIBC_TEST_MIB_T_ENUM_DOWN = 2,\n"
		      "\tMIBC_TEST_MIB_T_ENUM_WEIRD_NAME = 3,\n"
		      "\tMIBC_TEST_MIB_T_ENUM_WEIRD_NAME_2 = 4,\n"
		      "\tMIBC_TEST_MIB_T_ENUM_OID_2 = 5,\n};");
	assert_has(h, "mibc_test_mib_t_enum_name(int64_t value)");
	assert_has(c, "\t{ \"weird-name\", 3 },");
	/* TCs: once, in their module; reused */
	assert_has(h, "enum mibc_test_mib_mibc_truth MIBC_ENUM_BASE {\n\tMIBC_TEST_MIB_MIBC_TRUTH_TRUE = 1,");
	assert_has(h, "mibc_test_mib_t_truth_value(const struct mibc_value *value, "
		      "enum mibc_test_mib_mibc_truth *v)");
	assert_has(c, "\t.names = mibc_test_mib_mibc_truth_names,\n");
	assert_has(h, "mibc_test_mib_t_foreign_value(const struct mibc_value *value, "
		      "enum mibc_test_tc_mib_mibc_color *v)");
	assert_has(c, "\t.names = mibc_test_tc_mib_mibc_color_names,\n");
	assert_has(tch, "enum mibc_test_tc_mib_mibc_color MIBC_ENUM_BASE {");
	assert_has(h, "extern const struct mibc_type_desc mibc_test_mib_mibc_addr_typedesc;");
	assert_has(h, "enum mibc_test_mib_mibc_addr_type MIBC_ENUM_BASE {");
	/* BITS */
	assert_has(h, "\tMIBC_TEST_MIB_T_BITS_B70 = 70,\n");
	assert_has(h, "mibc_test_mib_t_bits_set(uint8_t *octets, size_t len, enum mibc_test_mib_t_bits bit)");
	assert_has(h, "mibc_test_mib_mibc_flags_test(const uint8_t *octets");
	assert_has(h, "#define MIBC_TEST_MIB_T_FIXED_MAX_LEN 6\n");
	/* typed accessors */
	assert_has(h, "mibc_test_mib_t_text_value(const struct mibc_value *value, const char **s, size_t *len)");
	assert_has(h, "mibc_test_mib_t_c64_value(const struct mibc_value *value, uint64_t *v)");
	assert_has(h, "mibc_test_mib_t_ip_value(const struct mibc_value *value, uint8_t addr[4])");
	assert_has(h, "mibc_test_mib_t_oid_value(const struct mibc_value *value, const uint32_t **sub, size_t *len)");
	assert_has(h, "mibc_test_mib_t_int_get(struct mibc_target *target, struct mibc_get *req,\n"
		      "\t\tmibc_get_cb *cb)\n{\n\tconst uint32_t mibc_ix[] = { 0 };");
	assert_lacks(h, "mibc_test_mib_t_notify_get(");
	assert_has(h, "mibc_test_mib_t_val_get(struct mibc_target *target, struct mibc_get *req,\n"
		      "\t\tint32_t t_idx,\n\t\tconst char *t_name, size_t t_name_len,\n");
	assert_has(h, "mibc_index_put_octets(mibc_ix, mibc_n, (const uint8_t *)t_name, t_name_len, false);");
	assert_has(h, "\t\tint32_t t_addr_type,\n"
		      "\t\tconst uint8_t *t_addr, size_t t_addr_len,\n"
		      "\t\tconst uint8_t t_addr_ip[4],\n"
		      "\t\tconst uint8_t t_addr_mac[6],\n"
		      "\t\tconst uint32_t *t_addr_oid, size_t t_addr_oid_len,\n"
		      "\t\tint32_t tc_index,\n"
		      "\t\tuint32_t int_,\n");
	assert_has(h, "mibc_index_put_octets(mibc_ix, mibc_n, t_addr, t_addr_len, true);");
	assert_has(h, "mibc_index_put_octets(mibc_ix, mibc_n, t_addr_ip, 4, false);");
	assert_has(h, "mibc_index_put_octets(mibc_ix, mibc_n, t_addr_mac, 6, false);");
	assert_has(h, "mibc_index_put_oid(mibc_ix, mibc_n, t_addr_oid, t_addr_oid_len, true);");
	/* index tables */
	assert_has(c, "\t{ .object = &mibc_test_mib_t_name_desc, .implied = true,\n"
		      "\t  .storage = MIBC_STORAGE_OCTETS_INLINE, .capacity = 32,\n");
	assert_has(c, "\t{ .object = &mibc_test_mib_t_addr_ip_desc, .fixed_len = 4,\n"
		      "\t  .storage = MIBC_STORAGE_IPADDRESS,\n");
	assert_has(c, "\t{ .object = &mibc_test_mib_t_addr_mac_desc, .fixed_len = 6,\n"
		      "\t  .storage = MIBC_STORAGE_OCTETS_INLINE, .capacity = 6,\n");
	assert_has(c, "\t{ .object = &mibc_test_tc_mib_tc_index_desc");
	/* decoded index structs: in the row struct, with their offsets */
	assert_has(c, "\t.index_offset = offsetof(struct mibc_test_mib_t_aug_entry, mibc_index),\n"
		      "\t.index_size = sizeof(struct mibc_test_mib_t_aug_entry_index_values),\n");
	assert_has(h, "\tuint32_t mibc_present[3];\n"
		      "\tstruct mibc_test_mib_t_wide_entry_index_values mibc_index;\n");
	/* table accessors: walk, joined walk of an AUGMENTS row, row GET */
	assert_has(h, "static inline int\nmibc_test_mib_t_aug_entry_walk_joined(");
	assert_has(h, "{ &mibc_test_mib_t_entry_desc, &mibc_test_mib_t_aug_entry_desc };");
	assert_has(h, "static inline int\nmibc_test_mib_t_entry_get_row(");
	assert_has(c, "\t.index_kind = MIBC_INDEX_AUGMENTS,\n"
		      "\t.index = mibc_test_mib_t_aug_entry_index,\n\t.n_index = 2,\n"
		      "\t.related = &mibc_test_mib_t_entry_desc,\n");
	assert_has(c, "\t.create = true,\n");
	/* rows */
	assert_has(h, "struct mibc_test_mib_t_wide_entry {\n\tuint32_t mibc_present[3];");
	assert_has(h, "static inline int\nmibc_test_mib_t_entry_index_decode(const uint32_t *suffix, size_t len,\n");
	assert_has(h, "\tint32_t class_;\n\tint32_t default_;\n\tint32_t mibc_present_;\n");
	assert_has(h, "#define MIBC_TEST_MIB_T_WIDE_ENTRY_N_COLUMNS 70\n");
	assert_has(h, "\tMIBC_TEST_MIB_T_WIDE_ENTRY_T_WIDE70 = 69,\n");
	assert_has(h, "\tstruct {\n\t\tsize_t len;\n\t\tchar data[32 + 1];\n\t} t_name;\n");
	assert_has(c, "\t.row_offset = offsetof(struct mibc_test_mib_t_wide_entry, t_wide70),\n");
	assert_has(c, "\t.storage = MIBC_STORAGE_OCTETS_INLINE,\n");
	assert_has(c, "\t.row_size = sizeof(struct mibc_test_mib_t_entry),\n");
	/* notifications and groups */
	assert_has(c, "mibc_test_mib_t_event_members[] = {\n"
		      "\t&mibc_test_mib_t_int_desc,\n\t&mibc_test_mib_t_enum_desc,\n"
		      "\t&mibc_test_tc_mib_tc_index_desc,\n};");
	assert_has(c, "mibc_test_mib_notifications[] = {\n"
		      "\t&mibc_test_mib_t_event_desc,\n\t&mibc_test_mib_t_trap_desc,\n};");
	assert_has(c, "mibc_test_mib_t_group_members[] = {");
	/* the module */
	assert_has(c, "const struct mibc_module_desc mibc_test_mib_module = {\n"
		      "\t.abi = MIBC_DESC_ABI,\n\t.name = \"MIBC-TEST-MIB\",\n");
	/* clashes: resolved and reported */
	assert_has(h, "mibc_test_mib_t_clash_2_desc");
	ck_assert_ptr_nonnull(warnings);
	assert_has(warnings, "tCLASH and tClash (line");
	assert_has(warnings, "tCLASH is named mibc_test_mib_t_clash_2 in C");
	assert_has(warnings, "label weirdName of tEnum");

	free(h);
	free(c);
	free(tch);
	free_module(m);
	free_module(tc);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(texts_and_determinism)
{
	char *dir = test_mkdtemp();
	struct model_module *tc = tc_module();
	struct model_module *m = test_module();
	free(emit_to(dir, tc, true, NULL));
	char *h = emit_to(dir, m, true, NULL);
	compile_module(dir, m);
	assert_has(h, " * Ends a comment * / here, opens / * there, a trigraph ? ?/ and");
	assert_has(h, " *\n * A second paragraph.\n");
	assert_lacks(h, "*/ here");
	assert_has(h, " * The module.\n *\n * Ends * / here.\n");

	/* same input, same bytes; no texts unless asked */
	for (size_t i = 0; i < 2; i++) {
		char *a = emit_text(m, i, false, NULL);
		char *b = emit_text(m, i, false, NULL);
		ck_assert_str_eq(a, b);
		assert_lacks(a, "second paragraph");
		free(a);
		free(b);
	}
	free(h);
	free_module(m);
	free_module(tc);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(keep_layout)
{
	struct model_module *m = test_module();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct emit_options o = { .generate_texts = true, .keep_texts_layout = true,
				  .version = "9.9.9", .warning = on_warning };
	char *error = NULL;
	ck_assert_int_eq(emitter_c.emit(m, &o, 0, f, &error), 0);
	fclose(f);
	assert_has(text, " * Ends a comment * / here, opens / * there,\n"
			 " * a trigraph ? ?/\n * and a backslash at the end \\ \n *\n");
	free(text);
	free_module(m);
}
END_TEST

START_TEST(selection)
{
	char *dir = test_mkdtemp();
	struct model_module *tc = tc_module();
	struct model_module *m = test_module();
	free(emit_to(dir, tc, false, NULL));

	const char *const one[] = {"tVal", NULL};
	char *h = emit_to(dir, m, false, one);
	compile_module(dir, m);
	assert_has(h, "mibc_test_mib_t_val_get(");
	assert_has(h, "struct mibc_test_mib_t_entry {");
	assert_has(h, "mibc_test_mib_t_table_desc;");
	assert_has(h, "mibc_test_mib_t_idx_desc;");
	assert_has(h, "mibc_test_mib_t_name_desc;");
	assert_has(h, "mibc_test_mib_mibc_test_mib_desc;"); /* module identity */
	assert_lacks(h, "mibc_test_mib_t_int_desc");
	assert_lacks(h, "t_wide");
	assert_lacks(h, "mibc_test_mib_mibc_truth"); /* unused TC */
	free(h);

	const char *const grp[] = {"MIBC-TEST-MIB::tCompliance", "OTHER-MIB::tText",
				   NULL};
	h = emit_to(dir, m, false, grp);
	compile_module(dir, m);
	assert_has(h, "mibc_test_mib_t_int_desc;");
	assert_has(h, "mibc_test_mib_t_uns_desc;");
	assert_lacks(h, "mibc_test_mib_t_counter_desc");
	assert_lacks(h, "mibc_test_mib_t_text_desc");
	free(h);

	/* an instance OID selects its object; a notification its objects */
	const char *const oid[] = {"1.3.6.1.4.1.99999.1.12.0", "tEvent", NULL};
	h = emit_to(dir, m, false, oid);
	compile_module(dir, m);
	assert_has(h, "mibc_test_mib_t_truth_desc;");
	assert_has(h, "enum mibc_test_mib_mibc_truth MIBC_ENUM_BASE {");
	assert_has(h, "mibc_test_mib_t_enum_desc;");
	assert_lacks(h, "mibc_test_mib_t_uns_desc");
	free(h);

	/* nothing selected here: the module is a dependency, emitted whole */
	const char *const none[] = {"NOT-THIS-MIB::x", "noSuchObject", NULL};
	h = emit_to(dir, m, false, none);
	assert_has(h, "mibc_test_mib_t_wide70_desc;");
	free(h);

	free_module(m);
	free_module(tc);
	test_rmtree(dir);
	free(dir);
}
END_TEST



/* The generated API used from C with the runtime's desc.c: row structs
 * and mibc_row_release, presence bits, BITS helpers, enum names, index
 * building, lookups and error strings. */
static const char user_src[] =
	"#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n"
	"#include \"mibc-test-mib.h\"\n"
	"#define CHECK(x) do { if (!(x)) { printf(\"failed: %s\\n\", #x); return 1; } } while (0)\n"
	"int main(void) {\n"
	"  struct mibc_test_mib_t_wide_entry wide;\n"
	"  memset(&wide, 0, sizeof(wide));\n"
	"  CHECK(MIBC_N_ELEMENTS(wide.mibc_present) == 3);\n"
	"  mibc_present_set(wide.mibc_present, MIBC_TEST_MIB_T_WIDE_ENTRY_T_WIDE70);\n"
	"  CHECK(mibc_test_mib_t_wide_entry_has(&wide, MIBC_TEST_MIB_T_WIDE_ENTRY_T_WIDE70));\n"
	"  CHECK(!mibc_test_mib_t_wide_entry_has(&wide, MIBC_TEST_MIB_T_WIDE_ENTRY_T_WIDE69));\n"
	"  CHECK(wide.mibc_present[2] == (1u << (69 - 64)));\n"
	"  CHECK(mibc_test_mib_t_wide70_desc.column == 69);\n"
	"  CHECK(mibc_test_mib_t_wide_entry_desc.row_size == sizeof(wide));\n"
	"  CHECK(mibc_test_mib_t_wide70_desc.row_offset == offsetof(struct mibc_test_mib_t_wide_entry, t_wide70));\n"
	"  /* rows own their long strings and OIDs */\n"
	"  static const uint32_t cols_oid[] = { MIBC_TEST_MIB_T_ADDR_OID, 1 };\n"
	"  CHECK(mibc_module_find_object(&mibc_test_mib_module, cols_oid, MIBC_N_ELEMENTS(cols_oid)) == &mibc_test_mib_t_addr_desc);\n"
	"  struct mibc_test_mib_t_addr_entry a;\n"
	"  memset(&a, 0, sizeof(a));\n"
	"  a.t_addr_oid.sub = malloc(3 * sizeof(uint32_t));\n"
	"  a.t_addr_oid.len = 3;\n"
	"  a.t_addr.len = 4;\n"
	"  mibc_row_release(&mibc_test_mib_t_addr_entry_desc, &a);\n"
	"  CHECK(a.t_addr_oid.sub == NULL && a.t_addr_oid.len == 0 && a.t_addr.len == 4);\n"
	"  /* BITS */\n"
	"  uint8_t bits[MIBC_BITS_OCTETS(MIBC_TEST_MIB_T_BITS_B70)] = {0};\n"
	"  CHECK(sizeof(bits) == 9);\n"
	"  CHECK(mibc_test_mib_t_bits_set(bits, sizeof(bits), MIBC_TEST_MIB_T_BITS_B9));\n"
	"  CHECK(bits[1] == 0x40);\n"
	"  CHECK(mibc_test_mib_t_bits_test(bits, sizeof(bits), MIBC_TEST_MIB_T_BITS_B9));\n"
	"  CHECK(!mibc_test_mib_t_bits_test(bits, 1, MIBC_TEST_MIB_T_BITS_B9));\n"
	"  CHECK(!mibc_test_mib_t_bits_set(bits, 1, MIBC_TEST_MIB_T_BITS_B70));\n"
	"  CHECK(mibc_test_mib_t_bits_clear(bits, sizeof(bits), MIBC_TEST_MIB_T_BITS_B9) && bits[1] == 0);\n"
	"  /* enums */\n"
	"  CHECK(strcmp(mibc_test_mib_t_enum_name(MIBC_TEST_MIB_T_ENUM_WEIRD_NAME), \"weird-name\") == 0);\n"
	"  CHECK(mibc_test_mib_t_enum_name(99) == NULL);\n"
	"  CHECK(strcmp(mibc_test_tc_mib_mibc_color_name(MIBC_TEST_TC_MIB_MIBC_COLOR_GREEN), \"green\") == 0);\n"
	"  int64_t v = 0;\n"
	"  CHECK(mibc_enum_value(mibc_test_mib_t_foreign_desc.names, mibc_test_mib_t_foreign_desc.n_names, \"red\", &v) && v == 1);\n"
	"  /* index building */\n"
	"  uint32_t ix[MIBC_OID_MAX_LEN];\n"
	"  size_t n = 0;\n"
	"  n = mibc_index_put_int32(ix, n, 5);\n"
	"  n = mibc_index_put_octets(ix, n, (const uint8_t *)\"ab\", 2, true);\n"
	"  n = mibc_index_put_octets(ix, n, (const uint8_t *)\"cd\", 2, false);\n"
	"  CHECK(n == 6 && ix[0] == 5 && ix[1] == 2 && ix[2] == 'a' && ix[4] == 'c' && ix[5] == 'd');\n"
	"  uint8_t big[200] = {0};\n"
	"  n = mibc_index_put_octets(ix, 0, big, sizeof(big), true);\n"
	"  CHECK(n == 201);\n"
	"  /* OID constants in initializers */\n"
	"  static const uint32_t inst[] = { MIBC_TEST_MIB_T_INT_OID, 0 };\n"
	"  CHECK(MIBC_N_ELEMENTS(inst) == MIBC_TEST_MIB_T_INT_OID_LEN + 1);\n"
	"  CHECK(mibc_module_find_object(&mibc_test_mib_module, inst, MIBC_N_ELEMENTS(inst)) == &mibc_test_mib_t_int_desc);\n"
	"  CHECK(mibc_module_find_name(&mibc_test_mib_module, \"tCLASH\") == &mibc_test_mib_t_clash_2_desc);\n"
	"  CHECK(mibc_module_abi_ok(&mibc_test_mib_module));\n"
	"  CHECK(mibc_test_mib_module.n_notifications == 2);\n"
	"  /* errors */\n"
	"  CHECK(strcmp(mibc_err_name(MIBC_E_TIMEOUT), \"MIBC_E_TIMEOUT\") == 0);\n"
	"  CHECK(strcmp(mibc_strerror(MIBC_E_NO_SUCH_INSTANCE), \"no such instance\") == 0);\n"
	"  CHECK(mibc_err_name(-999) == NULL);\n"
	"  CHECK(strcmp(mibc_strerror(0), \"success\") == 0);\n"
	"  printf(\"ok\\n\");\n"
	"  return 0;\n"
	"}\n";

START_TEST(runtime_helpers)
{
	char *dir = test_mkdtemp();
	struct model_module *tc = tc_module();
	struct model_module *m = test_module();
	free(emit_to(dir, tc, false, NULL));
	free(emit_to(dir, m, false, NULL));
	char *path = xasprintf("%s/user.c", dir);
	test_write_file(path, user_src, strlen(user_src));
	free(path);
	char *inc = runtime_include();
	char *iflag = xasprintf("-I%s", inc);
	char *desc_c = test_data_path("../runtime/src/desc.c");
	const char *argv[] = {"cc", "-std=c11", "-Wall", "-Wextra", "-Werror",
			      "-pedantic", iflag, "-o", "user", "user.c",
			      "mibc-test-mib.c", "mibc-test-tc-mib.c", desc_c, NULL};
	struct test_run r = test_run_argv(dir, argv, 120);
	ck_assert_msg(r.status == 0, "cc failed:\n%.4000s", r.err);
	test_run_free(&r);
	const char *run[] = {"./user", NULL};
	r = test_run_argv(dir, run, 60);
	ck_assert_msg(r.status == 0, "%s", r.out);
	ck_assert_str_eq(r.out, "ok\n");
	test_run_free(&r);
	free(desc_c);
	free(iflag);
	free(inc);
	free_module(m);
	free_module(tc);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* --build-index in C: a table sorted by OID, longest-prefix lookups. */
START_TEST(c_index)
{
	char *dir = test_mkdtemp();
	static const uint32_t o_if[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 2};
	static const uint32_t o_table[] = {1, 3, 6, 1, 2, 1, 2, 2};
	static const uint32_t o_mib2[] = {1, 3, 6, 1, 2, 1};
	const struct index_entry entries[] = {
		{"IF-MIB", "ifDescr", o_if, 10, MODEL_NODE_COLUMN},
		{"SNMPv2-SMI", "mib-2", o_mib2, 6, MODEL_NODE_NODE},
		{"IF-MIB", "ifTable", o_table, 8, MODEL_NODE_TABLE},
		{"RFC1213-MIB", "ifTable", o_table, 8, MODEL_NODE_TABLE},
	};
	for (size_t i = 0; emit_c_index_names[i]; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct emit_options o = { .version = "9.9.9" };
		char *error = NULL;
		ck_assert_int_eq(emit_c_index(i, entries, 4, &o, f, &error), 0);
		fclose(f);
		char *path = xasprintf("%s/%s", dir, emit_c_index_names[i]);
		test_write_file(path, text, len);
		free(path);
		if (i == 1)
			assert_has(text, "\t{ oids + 0, 6, \"SNMPv2-SMI\", \"mib-2\", MIBC_KIND_NODE },\n"
				   "\t{ oids + 6, 8, \"IF-MIB\", \"ifTable\", MIBC_KIND_TABLE },\n"
				   "\t{ oids + 14, 8, \"RFC1213-MIB\", \"ifTable\", MIBC_KIND_TABLE },\n"
				   "\t{ oids + 22, 10, \"IF-MIB\", \"ifDescr\", MIBC_KIND_COLUMN },\n");
		free(text);
	}
	compile_cxx(dir, "mibc-index.h");
	const char main_src[] =
		"#include <stdio.h>\n#include \"mibc-index.h\"\n"
		"int main(void) {\n"
		"  const uint32_t a[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 5};\n"
		"  const uint32_t b[] = {1, 3, 6, 1, 2, 1, 2, 2, 1};\n"
		"  const uint32_t c[] = {1, 3, 6, 1, 4};\n"
		"  const struct mibc_index_entry *e;\n"
		"  e = mibc_index_find(mibc_generated_index, MIBC_GENERATED_INDEX_LEN, a, 11);\n"
		"  printf(\"%s\\n\", e ? e->name : \"-\");\n"
		"  e = mibc_index_find(mibc_generated_index, MIBC_GENERATED_INDEX_LEN, b, 9);\n"
		"  printf(\"%s::%s\\n\", e ? e->module : \"-\", e ? e->name : \"-\");\n"
		"  e = mibc_index_find(mibc_generated_index, MIBC_GENERATED_INDEX_LEN, c, 5);\n"
		"  printf(\"%s\\n\", e ? e->name : \"-\");\n"
		"  return 0;\n}\n";
	char *path = xasprintf("%s/main.c", dir);
	test_write_file(path, main_src, strlen(main_src));
	free(path);
	char *inc = runtime_include();
	char *iflag = xasprintf("-I%s", inc);
	char *desc_c = test_data_path("../runtime/src/desc.c");
	const char *argv[] = {"cc", "-std=c11", "-Wall", "-Wextra", "-Werror",
			      "-pedantic", iflag, "-o", "main", "main.c",
			      "mibc-index.c", desc_c, NULL};
	struct test_run r = test_run_argv(dir, argv, 120);
	ck_assert_msg(r.status == 0, "cc failed:\n%.4000s", r.err);
	test_run_free(&r);
	const char *run[] = {"./main", NULL};
	r = test_run_argv(dir, run, 60);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "ifDescr\nIF-MIB::ifTable\n-\n");
	test_run_free(&r);
	free(desc_c);
	free(iflag);
	free(inc);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* ---- real modules through the loader ----------------------------------- */

static char *stage_dir;

static void diag(const char *path, int line, int severity, const char *message,
		 const char *tag, void *data)
{
	(void)path, (void)line, (void)severity, (void)message, (void)tag, (void)data;
}

static void loader_setup(void)
{
	stage_dir = test_link_ietf_iana();
	ck_assert_int_eq(load_init(stage_dir, diag, NULL), 0);
}

static void loader_teardown(void)
{
	load_exit();
	test_rmtree(stage_dir);
	free(stage_dir);
}

/* A line per node, as the walker program prints it from the generated
 * descriptors: name oid kind type wire access ranges sizes names index. */
static void model_line(FILE *f, const struct model_module *m,
		       const struct model_node *n)
{
	fprintf(f, "%s %s ", m->name, n->name);
	for (size_t i = 0; i < n->oid_len; i++)
		fprintf(f, "%s%" PRIu32, i ? "." : "", n->oid[i]);
	fprintf(f, " %s", model_node_kind_name(n->kind));
	const struct model_syntax *s =
		n->kind == MODEL_NODE_SCALAR || n->kind == MODEL_NODE_COLUMN
			? n->syntax : NULL;
	fprintf(f, " %s", s && s->base != MODEL_BASE_UNKNOWN
			  ? model_base_name(s->base) : "-");
	fprintf(f, " %s", s && s->wire != MODEL_WIRE_NONE
			  ? model_wire_name(s->wire) : "-");
	fprintf(f, " %s", n->access != MODEL_ACCESS_UNKNOWN
			  ? model_access_name(n->access) : "-");
	for (int sizes = 0; sizes < 2; sizes++) {
		fprintf(f, " %s:", sizes ? "sizes" : "ranges");
		if (s && s->ranges_are_sizes == (sizes == 1))
			for (size_t i = 0; i < s->n_ranges; i++) {
				if (s->base == MODEL_BASE_UNSIGNED64)
					fprintf(f, "[%" PRIu64 "..%" PRIu64 "]",
						(uint64_t)s->ranges[i].min,
						(uint64_t)s->ranges[i].max);
				else
					fprintf(f, "[%" PRId64 "..%" PRId64 "]",
						s->ranges[i].min, s->ranges[i].max);
			}
	}
	fprintf(f, " names:");
	for (size_t i = 0; s && i < s->n_named; i++)
		fprintf(f, "%s=%" PRId64 ",", s->named[i].name, s->named[i].value);
	const struct model_node *row = NULL;
	if (n->kind == MODEL_NODE_ROW)
		row = n;
	else if (n->kind == MODEL_NODE_COLUMN)
		row = model_find_node(m, n->parent);
	fprintf(f, " index:");
	for (size_t i = 0; row && i < row->n_index; i++)
		fprintf(f, "%s%s,", row->index[i].implied ? "IMPLIED " : "",
			row->index[i].object.name);
	fprintf(f, "\n");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char walker_src[] =
	"#include <inttypes.h>\n"
	"#include <stdio.h>\n"
	"#include <mibc/desc.h>\n"
	"static const char *kind[] = {\"node\", \"object-identity\", \"module-identity\",\n"
	"  \"scalar\", \"table\", \"row\", \"column\", \"notification\", \"group\",\n"
	"  \"compliance\", \"capabilities\"};\n"
	"static const char *type[] = {\"-\", \"Integer32\", \"Unsigned32\", \"Integer64\",\n"
	"  \"Unsigned64\", \"OctetString\", \"ObjectIdentifier\", \"Enumeration\", \"Bits\",\n"
	"  \"Float\"};\n"
	"static const char *access[] = {\"-\", \"not-implemented\", \"not-accessible\",\n"
	"  \"accessible-for-notify\", \"read-only\", \"read-write\", \"read-create\",\n"
	"  \"write-only\"};\n"
	"static const char *wire(enum mibc_wire w) {\n"
	"  switch (w) {\n"
	"  case MIBC_WIRE_INTEGER: return \"INTEGER\";\n"
	"  case MIBC_WIRE_OCTET_STRING: return \"OCTET STRING\";\n"
	"  case MIBC_WIRE_OID: return \"OBJECT IDENTIFIER\";\n"
	"  case MIBC_WIRE_IPADDRESS: return \"IpAddress\";\n"
	"  case MIBC_WIRE_COUNTER32: return \"Counter32\";\n"
	"  case MIBC_WIRE_GAUGE32: return \"Gauge32\";\n"
	"  case MIBC_WIRE_TIMETICKS: return \"TimeTicks\";\n"
	"  case MIBC_WIRE_OPAQUE: return \"Opaque\";\n"
	"  case MIBC_WIRE_NSAP: return \"NsapAddress\";\n"
	"  case MIBC_WIRE_COUNTER64: return \"Counter64\";\n"
	"  default: return \"-\";\n"
	"  }\n"
	"}\n"
	"static void ranges(const struct mibc_object_desc *d, const struct mibc_range *r, size_t n) {\n"
	"  for (size_t i = 0; i < n; i++)\n"
	"    if (d->type == MIBC_TYPE_UNSIGNED64)\n"
	"      printf(\"[%\" PRIu64 \"..%\" PRIu64 \"]\", r[i].min.u, r[i].max.u);\n"
	"    else\n"
	"      printf(\"[%\" PRId64 \"..%\" PRId64 \"]\", r[i].min.i, r[i].max.i);\n"
	"}\n"
	"static void walk(const struct mibc_module_desc *m) {\n"
	"  if (!mibc_module_abi_ok(m)) { printf(\"bad abi\\n\"); return; }\n"
	"  for (size_t k = 0; k < m->n_nodes; k++) {\n"
	"    const struct mibc_object_desc *d = m->nodes[k];\n"
	"    printf(\"%s %s \", m->name, d->name);\n"
	"    for (size_t i = 0; i < d->oid_len; i++)\n"
	"      printf(\"%s%\" PRIu32, i ? \".\" : \"\", d->oid[i]);\n"
	"    printf(\" %s %s %s %s\", kind[d->kind], type[d->type], wire(d->wire), access[d->access]);\n"
	"    printf(\" ranges:\"); ranges(d, d->ranges, d->n_ranges);\n"
	"    printf(\" sizes:\"); ranges(d, d->sizes, d->n_sizes);\n"
	"    printf(\" names:\");\n"
	"    for (size_t i = 0; i < d->n_names; i++)\n"
	"      printf(\"%s=%\" PRId64 \",\", d->names[i].name, d->names[i].value);\n"
	"    printf(\" index:\");\n"
	"    for (size_t i = 0; i < d->n_index; i++)\n"
	"      printf(\"%s%s,\", d->index[i].implied ? \"IMPLIED \" : \"\", d->index[i].object->name);\n"
	"    printf(\"\\n\");\n"
	"    if (mibc_module_find_node(m, d->oid, d->oid_len) == NULL\n"
	"        || mibc_module_find_name(m, d->name) == NULL)\n"
	"      printf(\"lookup failed: %s\\n\", d->name);\n"
	"    if ((d->kind == MIBC_KIND_SCALAR || d->kind == MIBC_KIND_COLUMN)) {\n"
	"      uint32_t inst[MIBC_OID_MAX_LEN + 1];\n"
	"      for (size_t i = 0; i < d->oid_len; i++) inst[i] = d->oid[i];\n"
	"      inst[d->oid_len] = 7;\n"
	"      if (mibc_module_find_object(m, inst, d->oid_len + 1) != d)\n"
	"        printf(\"instance lookup failed: %s\\n\", d->name);\n"
	"    }\n"
	"  }\n"
	"}\n";

/* Loads the modules, emits them, compiles them with the runtime's desc.c
 * and a walker, and compares the walker's view of the descriptors with
 * the model's.  With `all`, modules libsmi cannot load are skipped. */
static void walk_modules(const char *const *names, size_t n_names, bool all)
{
	char *dir = test_mkdtemp();
	char *expected = NULL;
	size_t expected_len = 0;
	FILE *ef = open_memstream(&expected, &expected_len);
	char *walker = NULL;
	size_t walker_len = 0;
	FILE *wf = open_memstream(&walker, &walker_len);
	fputs(walker_src, wf);
	const char **modules = xcalloc(n_names ? n_names : 1, sizeof(*modules));
	size_t n_modules = 0;
	for (size_t i = 0; i < n_names; i++) {
		int rc = load_parse(names[i]);
		if (!all)
			ck_assert_msg(rc == 0, "cannot load %s", names[i]);
		if (rc == 0)
			modules[n_modules++] = names[i];
	}
	size_t kept = 0;
	for (size_t i = 0; i < n_modules; i++) {
		struct load_options lo = {0};
		struct model_module *m = load_model(modules[i], modules[i], &lo);
		if (!m && all)
			continue;
		ck_assert_ptr_nonnull(m);
		modules[kept++] = modules[i];
		free(emit_to(dir, m, false, NULL));
		model_sort_nodes(m);
		for (size_t k = 0; k < m->n_nodes; k++)
			if (m->nodes[k].name && m->nodes[k].oid_len)
				model_line(ef, m, &m->nodes[k]);
		char *prefix = names_module_prefix(m->name);
		fprintf(wf, "extern const struct mibc_module_desc %s_module;\n", prefix);
		free(prefix);
		model_module_free(m);
	}
	n_modules = kept;
	fclose(ef);
	fprintf(wf, "int main(void) {\n");
	for (size_t i = 0; i < n_modules; i++) {
		char *prefix = names_module_prefix(modules[i]);
		fprintf(wf, "  walk(&%s_module);\n", prefix);
		free(prefix);
	}
	fprintf(wf, "  return 0;\n}\n");
	fclose(wf);
	char *wpath = xasprintf("%s/walker.c", dir);
	test_write_file(wpath, walker, walker_len);
	free(wpath);
	free(walker);

	/* compile everything, the runtime's desc.c and the walker, and run */
	char *inc = runtime_include();
	char *iflag = xasprintf("-I%s", inc);
	char *desc_c = test_data_path("../runtime/src/desc.c");
	char *script = xasprintf(
		"ls *.c | grep -v walker.c | xargs -P 4 -n 8 cc -std=c11 -Wall "
		"-Wextra -Werror -pedantic %s -c && cc -std=c11 -Wall -Wextra "
		"-Werror -pedantic %s -o walker walker.c '%s' *.o && "
		"ls *.h | xargs -P 4 -n 8 c++ -x c++ -Wall -Wextra -Werror "
		"-pedantic %s -fsyntax-only", iflag, iflag, desc_c, iflag);
	const char *sh[] = {"sh", "-c", script, NULL};
	struct test_run r = test_run_argv(dir, sh, 900);
	ck_assert_msg(r.status == 0, "compiling failed:\n%.4000s", r.err);
	test_run_free(&r);
	const char *run_argv[] = {"./walker", NULL};
	r = test_run_argv(dir, run_argv, 60);
	ck_assert_int_eq(r.status, 0);
	if (strcmp(r.out, expected) != 0) {
		/* the first differing line */
		const char *a = r.out, *b = expected;
		while (*a && *a == *b)
			a++, b++;
		while (a > r.out && a[-1] != '\n')
			a--;
		while (b > expected && b[-1] != '\n')
			b--;
		ck_abort_msg("descriptors differ from the model:\nC:     %.300s\n"
			     "model: %.300s", a, b);
	}
	if (all)
		ck_assert_msg(n_modules > 300, "only %zu modules walked", n_modules);
	test_run_free(&r);
	free(modules);
	free(script);
	free(expected);
	free(desc_c);
	free(iflag);
	free(inc);
	test_rmtree(dir);
	free(dir);
}

START_TEST(walk_real_modules)
{
	const char *modules[] = {"IF-MIB", "SNMPv2-TC", "IANAifType-MIB",
				 "SNMPv2-MIB", "IP-MIB", "INET-ADDRESS-MIB",
				 "ENTITY-MIB", "HOST-RESOURCES-MIB", "UPS-MIB",
				 "SNMP-FRAMEWORK-MIB", "ENTITY-SENSOR-MIB",
				 "IANA-ENTITY-MIB", "UUID-TC-MIB",
				 "HOST-RESOURCES-TYPES", "SNMPv2-SMI"};
	walk_modules(modules, sizeof(modules) / sizeof(modules[0]), false);
}
END_TEST

/* Every module of ietf/ and iana/: the C tables say what the model says. */
START_TEST(walk_ietf_iana)
{
	const char **names = NULL;
	size_t n = 0;
	DIR *d = opendir(stage_dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	walk_modules(names, n, true);
	for (size_t i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
}
END_TEST

/* Golden output for the project's own test MIBs (mibs/): every SMI
 * construct, with texts.  The first line (mibc's version) is not
 * compared.  MIBC_REGENERATE_GOLDEN=1 rewrites tests/golden/c/. */
static const char *const golden_modules[] = {
	"MIBC-TEST-TC", "MIBC-TEST-MIB", "MIBC-TEST-OID-INDEX-MIB",
	"MIBC-TEST-V1-MIB", "MIBC-TEST-RENAMED-MIB",
};

static const char *after_first_line(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? nl + 1 : s;
}

START_TEST(golden)
{
	char *dir = test_mkdtemp();
	char *mibs = test_project_mib_path("");
	char *src_mibs = xasprintf("--mib-source=%s", mibs);
	char *renamed = test_project_mib_path("mibc-renamed.txt");
	char *ietf = test_corpus_path("ietf");
	char *iana = test_corpus_path("iana");
	char *src_ietf = xasprintf("--mib-source=%s", ietf);
	char *src_iana = xasprintf("--mib-source=%s", iana);
	const char *argv[] = {
		/* not --quiet: that hides warnings, and the clashes are some */
		"--generate-mib-texts", "--destination-directory=out",
		"--mib-stub=SNMPv2-SMI", "--mib-stub=SNMPv2-CONF",
		"--mib-stub=RFC1155-SMI", "--mib-stub=RFC-1212",
		"--mib-stub=RFC-1215", "--no-system-sources", src_mibs, src_ietf,
		src_iana, "MIBC-TEST-TC", "MIBC-TEST-MIB",
		"MIBC-TEST-OID-INDEX-MIB", "MIBC-TEST-V1-MIB", renamed, NULL};
	struct test_run r = test_mibc(dir, argv);
	ck_assert_msg(r.status == 0, "mibc: %d\n%.2000s", r.status, r.err);
	/* the clashes of MIBC-TEST-V1-MIB are reported */
	assert_has(r.err, "mibcV1FooBar is named mibc_test_v1_mib_mibc_v1_foo_bar_2 in C");
	test_run_free(&r);

	/* all of it compiles */
	char *inc = runtime_include();
	char *script = xasprintf(
		"cd out && for f in *.c; do cc -std=c11 -Wall -Wextra -Werror -pedantic "
		"-I'%s' -c $f -o /dev/null || exit 1; done && for f in *.h; do "
		"c++ -x c++ -Wall -Wextra -Werror -pedantic -I'%s' -fsyntax-only $f "
		"|| exit 1; done", inc, inc);
	const char *sh[] = {"sh", "-c", script, NULL};
	r = test_run_argv(dir, sh, 600);
	ck_assert_msg(r.status == 0, "compiling failed:\n%.4000s", r.err);
	test_run_free(&r);

	const char *regen = getenv("MIBC_REGENERATE_GOLDEN");
	for (size_t i = 0; i < sizeof(golden_modules) / sizeof(golden_modules[0]); i++)
		for (size_t k = 0; k < 2; k++) {
			char *name = emitter_c.output_name(golden_modules[i], k);
			char *path = xasprintf("%s/out/%s", dir, name);
			char *got = test_read_file(path, NULL);
			ck_assert_msg(got != NULL, "no %s", name);
			char *rel = xasprintf("golden/c/%s", name);
			char *gpath = test_data_path(rel);
			if (regen && *regen) {
				test_write_file(gpath, got, strlen(got));
			} else {
				char *want = test_read_file(gpath, NULL);
				ck_assert_msg(want != NULL, "no golden file %s "
					      "(MIBC_REGENERATE_GOLDEN=1 makes it)", gpath);
				const char *a = after_first_line(got);
				const char *b = after_first_line(want);
				if (strcmp(a, b) != 0) {
					int line = 2;
					while (*a && *a == *b) {
						if (*a == '\n')
							line++;
						a++, b++;
					}
					ck_abort_msg("%s differs from %s at line %d "
						     "(MIBC_REGENERATE_GOLDEN=1 updates it)",
						     name, gpath, line);
				}
				free(want);
			}
			free(gpath);
			free(rel);
			free(got);
			free(path);
			free(name);
		}
	free(script);
	free(inc);
	free(src_ietf);
	free(src_iana);
	free(ietf);
	free(iana);
	free(renamed);
	free(src_mibs);
	free(mibs);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Every module of the shared corpus mibc does not report as Failed
 * compiles as C11 and its header as C++. */
START_TEST(corpus_compiles)
{
	char *dir = test_mkdtemp();
	const char *folders[] = {"ietf", "iana", "tubs", "vendor"};
	const char *argv[1024];
	size_t argc = 0;
	char *owned[1024];
	size_t n_owned = 0;
	argv[argc++] = "--quiet";
	argv[argc++] = "--ignore-errors";
	argv[argc++] = "--destination-directory=out";
	const char *stubs[] = {"SNMPv2-SMI", "SNMPv2-CONF", "RFC1155-SMI",
			       "RFC-1212", "RFC-1215", "RFC1065-SMI"};
	for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++)
		argv[argc++] = owned[n_owned++] = xasprintf("--mib-stub=%s", stubs[i]);
	for (size_t f = 0; f < 4; f++) {
		char *p = test_corpus_path(folders[f]);
		argv[argc++] = owned[n_owned++] = xasprintf("--mib-source=%s", p);
		free(p);
	}
	/* every module name: file names without .mib/.txt/.my */
	for (size_t f = 0; f < 4; f++) {
		char *p = test_corpus_path(folders[f]);
		char *cmd = xasprintf("find '%s' -type f ! -name '*.md' ! -name '*.tsv'", p);
		FILE *pipe = popen(cmd, "r");
		ck_assert_ptr_nonnull(pipe);
		char line[PATH_MAX];
		while (fgets(line, sizeof(line), pipe) && argc < 1000) {
			line[strcspn(line, "\n")] = '\0';
			char *base = strrchr(line, '/');
			base = base ? base + 1 : line;
			char *dot = strrchr(base, '.');
			if (dot && (!strcmp(dot, ".mib") || !strcmp(dot, ".txt") ||
				    !strcmp(dot, ".my")))
				*dot = '\0';
			argv[argc++] = owned[n_owned++] = xstrdup(base);
		}
		pclose(pipe);
		free(cmd);
		free(p);
	}
	argv[argc] = NULL;
	struct test_run r = test_mibc(dir, argv);
	ck_assert_msg(r.status == 0 || r.status == 79, "mibc: %d\n%.2000s",
		      r.status, r.err);
	test_run_free(&r);
	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);

	char *inc = runtime_include();
	char *script = xasprintf(
		"cd out && ls *.c | wc -l && "
		"ls *.c | xargs -P 4 -n 16 cc -std=c11 -Wall -Wextra -Werror -pedantic "
		"-I'%s' -fsyntax-only && "
		"ls *.h | xargs -P 4 -n 16 c++ -x c++ -Wall -Wextra -Werror -pedantic "
		"-I'%s' -fsyntax-only", inc, inc);
	const char *sh[] = {"sh", "-c", script, NULL};
	r = test_run_argv(dir, sh, 1200);
	ck_assert_msg(r.status == 0, "compiling the corpus failed:\n%.4000s", r.err);
	ck_assert_msg(atoi(r.out) > 400, "only %d modules generated", atoi(r.out));
	test_run_free(&r);
	free(script);
	free(inc);
	test_rmtree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("emit-c");
	TCase *tc = tcase_create("constructs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, names);
	tcase_add_test(tc, constructs);
	tcase_add_test(tc, texts_and_determinism);
	tcase_add_test(tc, keep_layout);
	tcase_add_test(tc, selection);
	tcase_add_test(tc, c_index);
	tcase_add_test(tc, runtime_helpers);
	suite_add_tcase(s, tc);

	TCase *real = tcase_create("real");
	tcase_set_timeout(real, 600);
	tcase_add_checked_fixture(real, loader_setup, loader_teardown);
	tcase_add_test(real, walk_real_modules);
	tcase_add_test(real, walk_ietf_iana);
	suite_add_tcase(s, real);

	TCase *corpus = tcase_create("corpus");
	tcase_set_timeout(corpus, 1200);
	tcase_add_test(corpus, golden);
	tcase_add_test(corpus, corpus_compiles);
	suite_add_tcase(s, corpus);

	return test_run_suite(s);
}
