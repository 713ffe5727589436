/* The JSON emitter and the JSON index: mibdump's layout, deterministic
 * output, numbers jansson cannot hold, and the index's OID reduction.
 * Modules come from the shared corpus through the loader. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "emit.h"
#include "load.h"
#include "testlib.h"

static char *stage_dir;

static void diag(const char *path, int line, int severity, const char *message,
		 const char *tag, void *data)
{
	(void)path, (void)line, (void)severity, (void)message, (void)tag, (void)data;
}

static void setup(void)
{
	stage_dir = test_link_ietf_iana();
	ck_assert_int_eq(load_init(stage_dir, diag, NULL), 0);
}

static void teardown(void)
{
	load_exit();
	test_rmtree(stage_dir);
	free(stage_dir);
}

static struct model_module *load(const char *module, bool texts)
{
	ck_assert_int_eq(load_parse(module), 0);
	struct load_options lo = { .texts = texts };
	struct model_module *m = load_model(module, "/some/where/MODULE-FILE", &lo);
	ck_assert_ptr_nonnull(m);
	return m;
}

/* The module's JSON text (malloc'd). */
static char *emit(const struct model_module *m, bool texts)
{
	const struct emitter *e = emitter_find("json");
	ck_assert_ptr_eq(e, &emitter_json);
	ck_assert_uint_eq(e->n_outputs, 1);
	char *name = e->output_name(m->name, 0);
	char *want = NULL;
	ck_assert_int_ne(asprintf(&want, "%s.json", m->name), -1);
	ck_assert_str_eq(name, want);
	free(name);
	free(want);

	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct emit_options o = { .generate_texts = texts, .version = "9.9.9" };
	char *error = NULL;
	ck_assert_int_eq(e->emit(m, &o, 0, out, &error), 0);
	fclose(out);
	return text;
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	ck_assert_msg(root != NULL, "bad JSON: %s (line %d)", err.text, err.line);
	return root;
}

static const char *str(json_t *obj, const char *path)
{
	/* "a/b/c": nested objects */
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *v = obj;
	for (char *tok = strtok(buf, "/"); tok; tok = strtok(NULL, "/")) {
		ck_assert_msg(json_is_object(v), "%s: not an object at %s", path, tok);
		v = json_object_get(v, tok);
		ck_assert_msg(v != NULL, "%s: no %s", path, tok);
	}
	ck_assert_msg(json_is_string(v), "%s is not a string", path);
	return json_string_value(v);
}

START_TEST(if_mib_layout)
{
	struct model_module *m = load("IF-MIB", false);
	char *text = emit(m, false);
	json_t *root = parse(text);

	ck_assert_str_eq(str(root, "ifInOctets/oid"), "1.3.6.1.2.1.2.2.1.10");
	ck_assert_str_eq(str(root, "ifInOctets/nodetype"), "column");
	ck_assert_str_eq(str(root, "ifInOctets/class"), "objecttype");
	ck_assert_str_eq(str(root, "ifInOctets/syntax/type"), "Counter32");
	ck_assert_str_eq(str(root, "ifInOctets/maxaccess"), "read-only");
	ck_assert_str_eq(str(root, "ifInOctets/status"), "current");
	ck_assert_ptr_null(json_object_get(json_object_get(root, "ifInOctets"), "description"));

	json_t *alias = json_object_get(json_object_get(root, "ifAlias"), "syntax");
	ck_assert_str_eq(str(alias, "type"), "DisplayString");
	json_t *size = json_object_get(json_object_get(alias, "constraints"), "size");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(size, 0), "max")), 64);

	json_t *admin = json_object_get(json_object_get(json_object_get(
		json_object_get(root, "ifAdminStatus"), "syntax"), "constraints"), "enumeration");
	ck_assert_int_eq(json_integer_value(json_object_get(admin, "testing")), 3);

	ck_assert_str_eq(str(root, "ifXEntry/augmention/object"), "ifEntry");
	json_t *idx = json_object_get(json_object_get(root, "ifEntry"), "indices");
	ck_assert_str_eq(str(json_array_get(idx, 0), "object"), "ifIndex");
	ck_assert_str_eq(str(root, "ifStackStatus/maxaccess"), "read-create");
	ck_assert_str_eq(str(root, "ifRcvAddressType/default/default/value"), "volatile");
	ck_assert_str_eq(str(root, "ifRcvAddressType/default/default/format"), "enum");

	ck_assert_str_eq(str(root, "InterfaceIndex/class"), "textualconvention");
	ck_assert_str_eq(str(root, "InterfaceIndex/displayhint"), "d");
	ck_assert_str_eq(str(root, "InterfaceIndex/type/type"), "Integer32");
	ck_assert_str_eq(str(root, "ifMIB/class"), "moduleidentity");
	ck_assert_str_eq(str(root, "linkDown/class"), "notificationtype");
	ck_assert_str_eq(str(root, "ifGeneralInformationGroup/class"), "objectgroup");
	ck_assert_str_eq(str(root, "linkUpDownNotificationsGroup/class"), "notificationgroup");
	ck_assert_str_eq(str(root, "ifCompliance3/class"), "modulecompliance");
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(
		root, "ifCompliance3"), "modulecompliance")), 9);
	ck_assert_str_eq(str(root, "imports/class"), "imports");
	ck_assert_str_eq(str(root, "meta/module"), "IF-MIB");

	/* No absolute path, no time: only the file's name and the version. */
	ck_assert_ptr_null(strstr(text, "/some/where"));
	ck_assert_ptr_nonnull(strstr(text, "\"ASN.1 source MODULE-FILE\""));
	ck_assert_ptr_nonnull(strstr(text, "mibc-9.9.9"));
	/* 2-space indentation, final newline */
	ck_assert(strncmp(text, "{\n  \"imports\": {\n    \"class\"", 27) == 0);
	ck_assert_int_eq(text[strlen(text) - 1], '\n');

	/* Deterministic: the same text from a second model of the module. */
	struct model_module *again = load_model("IF-MIB", "/some/where/MODULE-FILE",
						&(struct load_options){0});
	char *text2 = emit(again, false);
	ck_assert_str_eq(text, text2);
	free(text2);
	model_module_free(again);

	json_decref(root);
	free(text);
	model_module_free(m);
}
END_TEST

START_TEST(texts)
{
	struct model_module *m = load("IF-MIB", true);
	char *text = emit(m, true);
	json_t *root = parse(text);
	const char *d = str(root, "ifInOctets/description");
	ck_assert(strncmp(d, "The total number of octets received", 35) == 0);
	ck_assert_str_eq(str(root, "ifMIB/lastupdated"), "200006140000Z");
	ck_assert_ptr_nonnull(strstr(str(root, "ifMIB/organization"), "Interfaces MIB"));
	json_decref(root);
	free(text);
	model_module_free(m);
}
END_TEST

START_TEST(unsigned64_and_bits)
{
	/* 18446744073709551615 does not fit jansson's integers: it must come
	 * out as a bare number all the same. */
	struct model_module *m = xcalloc(1, sizeof(*m));
	m->name = "TEST-MIB";
	struct model_range range = {0, (int64_t)UINT64_MAX};
	struct model_syntax syntax = {
		.base = MODEL_BASE_UNSIGNED64, .wire = MODEL_WIRE_COUNTER64,
		.base_name = "Counter64", .ranges = &range, .n_ranges = 1,
		.written = {"SNMPv2-SMI", "Counter64"}, .own_ranges = true,
	};
	struct model_typedef td = {
		.name = "Big", .textual_convention = true,
		.status = MODEL_STATUS_CURRENT, .syntax = &syntax,
		.display_hint = "d",
	};
	m->types = &td;
	m->n_types = 1;
	char *text = emit(m, false);
	ck_assert_ptr_nonnull(strstr(text, "\"max\": 18446744073709551615"));
	ck_assert_ptr_null(strstr(text, "u64:"));
	/* (valid JSON, though jansson itself cannot read such a number back) */
	ck_assert_ptr_nonnull(strstr(text, "\"type\": \"Counter64\""));
	free(text);
	model_module_free(m);

	m = load("HDSL2-SHDSL-LINE-MIB", false);
	text = emit(m, false);
	json_t *root = parse(text);
	/* A BITS DEFVAL, in mibdump's form. */
	ck_assert_str_eq(str(root, "hdsl2ShdslSpanConfUsedTargetMargins/default/format"), "bits");
	json_t *bits = json_object_get(json_object_get(json_object_get(json_object_get(
		root, "hdsl2ShdslSpanConfUsedTargetMargins"), "default"), "value"), "bits");
	ck_assert_int_eq(json_integer_value(json_object_get(bits, "currCondDown")), 0);
	ck_assert_uint_eq(json_object_size(bits), 1);
	/* A BITS syntax written inline */
	ck_assert_str_eq(str(root, "hdsl2ShdslSpanConfUsedTargetMargins/syntax/type"), "Bits");
	json_decref(root);
	free(text);
	model_module_free(m);
}
END_TEST

static char *emit_index_text(const struct index_entry *e, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct emit_options o = { .version = "9.9.9" };
	char *error = NULL;
	ck_assert_int_eq(emit_index("json", 0, e, n, &o, out, &error), 0);
	fclose(out);
	return text;
}

START_TEST(json_index)
{
	const char *const *names = index_output_names("json");
	ck_assert_ptr_nonnull(names);
	ck_assert_str_eq(names[0], "index.json");
	ck_assert_ptr_null(names[1]);
	ck_assert_ptr_null(index_output_names("null"));

	static const uint32_t ifmib[] = {1, 3, 6, 1, 2, 1, 31};
	static const uint32_t ifobj[] = {1, 3, 6, 1, 2, 1, 31, 1, 1};
	static const uint32_t ifcomp[] = {1, 3, 6, 1, 2, 1, 31, 2, 2, 3};
	static const uint32_t v1[] = {1, 3, 6, 1, 2, 1, 1};
	static const uint32_t v10[] = {1, 3, 6, 1, 2, 1, 10, 7};
	static const uint32_t ent[] = {1, 3, 6, 1, 4, 1, 2021, 10, 1};
	static const uint32_t ent2[] = {1, 3, 6, 1, 4, 1, 2021, 4};
	const struct index_entry e[] = {
		{"IF-MIB", "ifMIB", ifmib, 7, MODEL_NODE_MODULE_IDENTITY},
		{"IF-MIB", "ifXTable", ifobj, 9, MODEL_NODE_TABLE},
		{"IF-MIB", "ifCompliance3", ifcomp, 10, MODEL_NODE_COMPLIANCE},
		{"SNMPv2-MIB", "system", v1, 7, MODEL_NODE_NODE},
		{"EtherLike-MIB", "dot3", v10, 8, MODEL_NODE_NODE},
		{"UCD-SNMP-MIB", "laEntry", ent, 9, MODEL_NODE_ROW},
		{"UCD-SNMP-MIB", "memory", ent2, 8, MODEL_NODE_NODE},
	};
	char *text = emit_index_text(e, sizeof(e) / sizeof(e[0]));
	json_t *root = parse(text);
	json_t *ident = json_object_get(json_object_get(root, "identity"), "1.3.6.1.2.1.31");
	ck_assert_str_eq(json_string_value(json_array_get(ident, 0)), "IF-MIB");
	ck_assert_uint_eq(json_object_size(json_object_get(root, "compliance")), 1);
	json_t *ents = json_object_get(root, "enterprise");
	ck_assert_uint_eq(json_object_size(ents), 1);
	ck_assert_ptr_nonnull(json_object_get(ents, "1.3.6.1.4.1.2021"));
	json_t *oids = json_object_get(root, "oids");
	/* ifXTable and ifCompliance3 are under ifMIB, same module; the
	 * transmission OID 1.3.6.1.2.1.10.7 is not under 1.3.6.1.2.1.1
	 * (pysmi's string prefix would say it is). */
	ck_assert_ptr_nonnull(json_object_get(oids, "1.3.6.1.2.1.31"));
	ck_assert_ptr_null(json_object_get(oids, "1.3.6.1.2.1.31.1.1"));
	ck_assert_ptr_null(json_object_get(oids, "1.3.6.1.2.1.31.2.2.3"));
	ck_assert_ptr_nonnull(json_object_get(oids, "1.3.6.1.2.1.1"));
	ck_assert_ptr_nonnull(json_object_get(oids, "1.3.6.1.2.1.10.7"));
	ck_assert_ptr_nonnull(json_object_get(oids, "1.3.6.1.4.1.2021.4"));
	ck_assert_ptr_nonnull(json_object_get(oids, "1.3.6.1.4.1.2021.10.1"));
	/* keys in OID order: 1.3.6.1.2.1.1 before 1.3.6.1.2.1.10.7 before .31 */
	const char *p1 = strstr(text, "\"1.3.6.1.2.1.1\"");
	const char *p10 = strstr(text, "\"1.3.6.1.2.1.10.7\"");
	const char *p31 = strstr(strstr(text, "\"oids\""), "\"1.3.6.1.2.1.31\"");
	ck_assert(p1 && p10 && p31 && p1 < p10 && p10 < p31);
	/* Same input in another order: same text. */
	struct index_entry r[sizeof(e) / sizeof(e[0])];
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		r[i] = e[sizeof(e) / sizeof(e[0]) - 1 - i];
	char *text2 = emit_index_text(r, sizeof(r) / sizeof(r[0]));
	ck_assert_str_eq(text, text2);
	free(text2);
	json_decref(root);
	free(text);

	char *error = NULL;
	ck_assert_int_eq(emit_index("null", 0, e, 1, NULL, stdout, &error), -1);
	ck_assert_ptr_nonnull(error);
	free(error);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("emit-json");
	TCase *tc = tcase_create("emit-json");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, if_mib_layout);
	tcase_add_test(tc, texts);
	tcase_add_test(tc, unsigned64_and_bits);
	tcase_add_test(tc, json_index);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
