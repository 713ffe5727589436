/* mibc over every vendor module of the shared corpus (--destination-format
 * null, ietf, iana and vendor as sources): it runs to the end, and what it
 * reports as Failed is exactly what libsmi cannot load, as the corpus
 * README lists it (module, first error, line). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct verdict {
	char module[128];
	char message[512];
	int line;
	bool seen;
};

/* The README's "failed (sev<=1): first error" cells look like
 *   CPDU-MIB: `syntax error, ...` (line 378)<br>NETBOTZ-MIB: `...` (line 4993) */
static size_t parse_readme(const char *text, struct verdict *out, size_t max)
{
	size_t n = 0;
	for (const char *row = text; row && *row; row = strchr(row, '\n') ? strchr(row, '\n') + 1 : NULL) {
		if (row[0] != '|')
			continue;
		size_t len = strcspn(row, "\n");
		const char *cell = row;
		/* last cell of the row: after the second-to-last '|' */
		const char *end = row + len;
		while (end > row && end[-1] != '|')
			end--;
		if (end > row)
			end--;
		cell = end;
		while (cell > row && cell[-1] != '|')
			cell--;
		char buf[4096];
		size_t cl = (size_t)(end - cell);
		if (cl >= sizeof(buf))
			continue;
		memcpy(buf, cell, cl);
		buf[cl] = '\0';
		for (char *item = strtok(buf, "<"); item; item = strtok(NULL, "<")) {
			if (strncmp(item, "br>", 3) == 0)
				item += 3;
			while (*item == ' ')
				item++;
			char *colon = strstr(item, ": `");
			char *line_at = strstr(item, "` (line ");
			if (!colon || !line_at || n == max)
				continue;
			struct verdict *v = &out[n];
			snprintf(v->module, sizeof(v->module), "%.*s", (int)(colon - item), item);
			snprintf(v->message, sizeof(v->message), "%.*s",
				 (int)(line_at - colon - 3), colon + 3);
			v->line = atoi(line_at + 8);
			v->seen = false;
			n++;
		}
	}
	return n;
}

static char *vendor_module_names(const char *vendor_dir, size_t *count)
{
	size_t cap = 8192, len = 0;
	char *list = calloc(cap, 1);
	DIR *top = opendir(vendor_dir);
	ck_assert_ptr_nonnull(top);
	struct dirent *d;
	*count = 0;
	while ((d = readdir(top))) {
		if (d->d_name[0] == '.')
			continue;
		char *sub;
		ck_assert_int_ge(asprintf(&sub, "%s/%s", vendor_dir, d->d_name), 0);
		DIR *dir = opendir(sub);
		struct dirent *f;
		while (dir && (f = readdir(dir))) {
			size_t fl = strlen(f->d_name);
			if (fl < 5 || strcmp(f->d_name + fl - 4, ".mib") != 0)
				continue;
			if (len + fl + 2 > cap)
				list = realloc(list, cap *= 2);
			memcpy(list + len, f->d_name, fl - 4);
			len += fl - 4;
			list[len++] = '\0';
			(*count)++;
		}
		if (dir)
			closedir(dir);
		free(sub);
	}
	closedir(top);
	return list;
}

/* The "Failed MIBs:" line split at ", X (" boundaries: returns whether
 * `module` is listed with a reason containing `needle`. */
static bool failed_with(const char *out, const char *module, const char *needle)
{
	const char *line = strstr(out, "\nFailed MIBs:");
	ck_assert_ptr_nonnull(line);
	char *key;
	ck_assert_int_ge(asprintf(&key, " %s (", module), 0);
	const char *at = strstr(line, key);
	free(key);
	if (!at)
		return false;
	const char *stop = strchr(at, '\n');
	const char *found = strstr(at, needle);
	return found && (!stop || found < stop);
}

static size_t count_failed(const char *out)
{
	const char *line = strstr(out, "\nFailed MIBs:");
	ck_assert_ptr_nonnull(line);
	line += strlen("\nFailed MIBs:");
	size_t n = 0;
	int depth = 0;
	bool in_name = false;
	for (const char *p = line; *p && *p != '\n'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && *p != ' ' && *p != ',' && !in_name) {
			in_name = true;
			n++;
		}
		if (depth == 0 && (*p == ' ' || *p == ','))
			in_name = false;
	}
	return n;
}

START_TEST(vendor_failures_match_libsmi)
{
	char *readme_path = test_corpus_path("README.md");
	char *readme = test_read_file(readme_path, NULL);
	ck_assert_ptr_nonnull(readme);
	struct verdict verdicts[64];
	size_t n_verdicts = parse_readme(readme, verdicts, 64);
	ck_assert_msg(n_verdicts >= 10, "read only %zu verdicts from the corpus README", n_verdicts);

	char *ietf = test_corpus_path("ietf");
	char *iana = test_corpus_path("iana");
	char *vendor = test_corpus_path("vendor");
	size_t n_modules;
	char *names = vendor_module_names(vendor, &n_modules);
	ck_assert_uint_ge(n_modules, 150);
	const char **argv = calloc(n_modules + 16, sizeof(*argv));
	size_t a = 0;
	argv[a++] = test_env("MIBC");
	argv[a++] = "--destination-format";
	argv[a++] = "null";
	argv[a++] = "--mib-source";
	argv[a++] = ietf;
	argv[a++] = "--mib-source";
	argv[a++] = iana;
	argv[a++] = "--mib-source";
	argv[a++] = vendor;
	const char *name = names;
	for (size_t i = 0; i < n_modules; i++, name += strlen(name) + 1)
		argv[a++] = name;
	argv[a] = NULL;

	struct test_run r = test_run_argv(NULL, argv, 600);
	ck_assert_msg(r.status == 79, "status %d (a crash is >= 128)\n%.2000s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "\nFailed MIBs:"), "no summary:\n%.2000s", r.out);

	for (size_t i = 0; i < n_verdicts; i++) {
		struct verdict *v = &verdicts[i];
		const char *missing = "failed to locate MIB module `";
		if (strncmp(v->message, missing, strlen(missing)) == 0) {
			/* mibc finds missing imports itself, before libsmi */
			char module[128];
			snprintf(module, sizeof(module), "%.*s",
				 (int)strcspn(v->message + strlen(missing), "'"),
				 v->message + strlen(missing));
			ck_assert_msg(failed_with(r.out, v->module, module),
				      "%s should fail for its missing import %s", v->module, module);
			ck_assert_msg(strstr(r.out, "Missing source MIBs: ") &&
				      strstr(strstr(r.out, "Missing source MIBs: "), module),
				      "%s should be missing", module);
			continue;
		}
		char where[256];
		snprintf(where, sizeof(where), "%s.mib:%d: ", v->module, v->line);
		ck_assert_msg(failed_with(r.out, v->module, where),
			      "%s should fail at line %d (%s)", v->module, v->line, v->message);
		ck_assert_msg(failed_with(r.out, v->module, v->message),
			      "%s should fail with \"%s\"", v->module, v->message);
		/* and the diagnostic names file and line */
		char diag[300];
		snprintf(diag, sizeof(diag), "%s.mib:%d: error: ", v->module, v->line);
		ck_assert_msg(strstr(r.err, diag), "no diagnostic \"%s\"", diag);
	}
	/* nothing else failed */
	ck_assert_uint_eq(count_failed(r.out), n_verdicts);

	test_run_free(&r);
	free(argv);
	free(names);
	free(ietf);
	free(iana);
	free(vendor);
	free(readme);
	free(readme_path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpus");
	TCase *tc = tcase_create("vendor");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, vendor_failures_match_libsmi);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
