/* Descriptors built at run time (mibc/dynamic.c, desc-build.c: what mibget
 * -m uses) against the ones mibc compiled into generated/ from the same
 * corpus: every node of IF-MIB, UPS-MIB, HOST-RESOURCES-MIB and
 * MBG-SNMP-LTNG-MIB must describe the same object, field for field (all
 * but the row struct layout, which only compiled code has), after the
 * trip through the worker and the model's text form.  Also: mibget's list
 * of built-in modules is generated/sources.txt. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>

#include "builtin.h"
#include "desc-build.h"
#include "dynamic.h"
#include "testlib.h"

#include "host-resources-mib.h"
#include "if-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "ups-mib.h"

static const char *name_of(const struct mibc_object_desc *d)
{
	return d ? d->name : "(none)";
}

static void same_str(const char *what, const char *node, const char *a, const char *b)
{
	ck_assert_msg((!a && !b) || (a && b && strcmp(a, b) == 0), "%s.%s: '%s' vs '%s'",
		      node, what, a ? a : "(null)", b ? b : "(null)");
}

static void same_ranges(const char *what, const char *node, const struct mibc_range *a,
			size_t na, const struct mibc_range *b, size_t nb)
{
	ck_assert_msg(na == nb, "%s.%s: %zu vs %zu", node, what, na, nb);
	for (size_t i = 0; i < na; i++)
		ck_assert_msg(a[i].min.i == b[i].min.i && a[i].max.i == b[i].max.i,
			      "%s.%s[%zu] differ", node, what, i);
}

static void same_node(const struct mibc_object_desc *c, const struct mibc_object_desc *d)
{
	const char *n = c->name;
	ck_assert_msg(c->oid_len == d->oid_len
		      && memcmp(c->oid, d->oid, c->oid_len * sizeof(*c->oid)) == 0, "%s: OID", n);
	ck_assert_msg(c->kind == d->kind, "%s: kind %d vs %d", n, c->kind, d->kind);
	ck_assert_msg(c->status == d->status, "%s: status", n);
	ck_assert_msg(c->type == d->type, "%s: type %d vs %d", n, c->type, d->type);
	ck_assert_msg(c->wire == d->wire, "%s: wire %d vs %d", n, c->wire, d->wire);
	ck_assert_msg(c->access == d->access, "%s: access", n);
	same_str("units", n, c->units, d->units);
	same_str("display_hint", n, c->display_hint, d->display_hint);
	same_str("tc_module", n, c->tc_module, d->tc_module);
	same_str("tc_name", n, c->tc_name, d->tc_name);
	same_ranges("ranges", n, c->ranges, c->n_ranges, d->ranges, d->n_ranges);
	same_ranges("sizes", n, c->sizes, c->n_sizes, d->sizes, d->n_sizes);
	ck_assert_msg(c->n_names == d->n_names, "%s: names %u vs %u", n, c->n_names, d->n_names);
	for (size_t i = 0; i < c->n_names; i++) {
		same_str("name", n, c->names[i].name, d->names[i].name);
		ck_assert_int_eq(c->names[i].value, d->names[i].value);
	}
	ck_assert_msg(c->index_kind == d->index_kind, "%s: index kind", n);
	ck_assert_msg(c->n_index == d->n_index, "%s: %u vs %u index elements", n, c->n_index,
		      d->n_index);
	for (size_t i = 0; i < c->n_index; i++) {
		same_str("index", n, name_of(c->index[i].object), name_of(d->index[i].object));
		ck_assert_msg(c->index[i].object->wire == d->index[i].object->wire,
			      "%s: index %zu wire", n, i);
		ck_assert_msg(c->index[i].implied == d->index[i].implied, "%s: implied", n);
		ck_assert_msg(c->index[i].fixed_len == d->index[i].fixed_len,
			      "%s: fixed_len %u vs %u", n, c->index[i].fixed_len,
			      d->index[i].fixed_len);
	}
	ck_assert_msg(c->create == d->create, "%s: create", n);
	same_str("related", n, c->related ? c->related->name : NULL,
		 d->related ? d->related->name : NULL);
	same_str("parent", n, c->parent ? c->parent->name : NULL,
		 d->parent ? d->parent->name : NULL);
	ck_assert_msg(c->n_columns == d->n_columns, "%s: columns", n);
	for (size_t i = 0; i < c->n_columns; i++)
		same_str("column", n, c->columns[i]->name, d->columns[i]->name);
	if (c->kind == MIBC_KIND_COLUMN)
		ck_assert_msg(c->column == d->column, "%s: column position", n);
}

static struct desc_set *load(const char *module)
{
	char *ietf = test_corpus_path("ietf"), *iana = test_corpus_path("iana");
	char *meinberg = test_corpus_path("vendor/meinberg");
	const char *sources[] = { ietf, iana, meinberg };
	const char *modules[] = { module };
	struct dynamic_request r = {
		.sources = sources, .n_sources = 3, .modules = modules, .n_modules = 1,
	};
	char *error = NULL;
	struct desc_set *set = dynamic_load(&r, &error);
	ck_assert_msg(set != NULL, "%s: %s", module, error ? error : "?");
	free(ietf);
	free(iana);
	free(meinberg);
	return set;
}

static void compare_module(const struct mibc_module_desc *compiled)
{
	struct desc_set *set = load(compiled->name);
	size_t n;
	const struct mibc_module_desc *const *mods = desc_set_modules(set, &n);
	const struct mibc_module_desc *dynamic = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(mods[i]->name, compiled->name) == 0)
			dynamic = mods[i];
	ck_assert_ptr_nonnull(dynamic);
	ck_assert(mibc_module_abi_ok(dynamic));
	ck_assert_uint_eq(dynamic->n_nodes, compiled->n_nodes);
	ck_assert_uint_eq(dynamic->n_objects, compiled->n_objects);
	ck_assert_uint_eq(dynamic->n_notifications, compiled->n_notifications);
	for (size_t i = 0; i < compiled->n_nodes; i++) {
		const struct mibc_object_desc *c = compiled->nodes[i], *d = dynamic->nodes[i];
		same_str("name", c->name, c->name, d->name);
		same_node(c, d);
		/* the lookups the runtime uses */
		ck_assert_ptr_eq(mibc_module_find_name(dynamic, c->name), d);
		if (c->kind == MIBC_KIND_SCALAR || c->kind == MIBC_KIND_COLUMN) {
			uint32_t oid[MIBC_OID_MAX_LEN];
			memcpy(oid, c->oid, c->oid_len * sizeof(*oid));
			oid[c->oid_len] = 7;
			ck_assert_ptr_eq(mibc_module_find_object(dynamic, oid, c->oid_len + 1u), d);
		}
	}
	desc_set_free(set);
}

START_TEST(same_as_compiled)
{
	static const struct mibc_module_desc *const modules[] = {
		&if_mib_module, &ups_mib_module, &host_resources_mib_module,
		&mbg_snmp_ltng_mib_module,
	};
	compare_module(modules[_i]);
}
END_TEST

START_TEST(missing_module)
{
	char *ietf = test_corpus_path("ietf");
	const char *sources[] = { ietf };
	const char *modules[] = { "MIBC-NO-SUCH-MIB" };
	struct dynamic_request r = {
		.sources = sources, .n_sources = 1, .modules = modules, .n_modules = 1,
	};
	char *error = NULL;
	ck_assert_ptr_null(dynamic_load(&r, &error));
	ck_assert_ptr_nonnull(error);
	ck_assert_ptr_nonnull(strstr(error, "MIBC-NO-SUCH-MIB"));
	free(error);
	free(ietf);
}
END_TEST

START_TEST(builtin_list)
{
	char *path = test_data_path("../generated/sources.txt");
	char *text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	size_t lines = 0;
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(cli_n_builtin_modules, lines);
	/* the newer module names shared objects: RFC1213-MIB comes last */
	ck_assert_str_eq(cli_builtin_modules[cli_n_builtin_modules - 1]->name, "RFC1213-MIB");
	for (size_t i = 0; i < cli_n_builtin_modules; i++)
		ck_assert(mibc_module_abi_ok(cli_builtin_modules[i]));
	free(text);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dynamic");
	TCase *tc = tcase_create("load");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, same_as_compiled, 0, 4);
	tcase_add_test(tc, missing_module);
	tcase_add_test(tc, builtin_list);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
