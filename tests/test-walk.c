/* Walks and tables (mibc/walk.h) against real agents and their oracles:
 * - snmpd: IF-MIB ifTable + ifXTable, HOST-RESOURCES-MIB hrStorageTable,
 *   UCD-SNMP-MIB dskTable, walked as subtrees and as joined row structs,
 *   v2c (GETBULK) against `snmpbulkwalk -On`, v1 (GETNEXT) against
 *   `snmpwalk -v1 -On`.  Counters move between walks, so the oracle walks
 *   before and after ours: each value must equal one of the two or, for
 *   numbers, lie between them.
 * - snmpsim replaying Debian's cisco_16_switch recording: IF-MIB and
 *   ENTITY-MIB tables and then the whole device (51k instances) walked,
 *   compared exactly.
 * - a scripted responder misbehaving on purpose: loops, legitimately
 *   out-of-order tables, empty responses, tooBig without varbinds, short
 *   responses, GETBULK refused, v1 noSuchName at the end, sparse tables
 *   and AUGMENTS rows joined; and what the target learns for its next walk. */
#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mibc/format.h>
#include <mibc/mibc.h>

#include "entity-mib.h"
#include "host-resources-mib.h"
#include "if-mib.h"
#include "ucd-snmp-mib.h"

#include "agent.h"
#include "scripted-agent.h"
#include "testlib.h"

/* ---- varbind lines: "OID = VALUE" as snmpwalk -On -Oe prints them ---- */

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ck_assert_ptr_nonnull(l->v);
	}
	l->v[l->n++] = strdup(s);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_sort(struct lines *l)
{
	qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS | MIBC_FORMAT_NUMERIC_ENUMS,
};

static void add_formatted(struct lines *l, const uint32_t *oid, size_t len,
			  const struct mibc_raw_value *raw)
{
	char buf[8192];
	int n = mibc_format_varbind_line(NULL, oid, len, raw, &numeric, buf,
					 sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (int)sizeof(buf));
	lines_add(l, buf);
}

/* An oracle tool's output as lines (continuation lines joined with \n). */
static void oracle(const struct test_agent *agent, const char *tool,
		   const char *version, const char *root, struct lines *out)
{
	/* As test_agent_tool (no MIBs, no retries), with time for a whole
	 * device's walk. */
	char *mibs;
	ck_assert_int_ge(asprintf(&mibs, "%s/mibs", agent->dir), 0);
	struct test_run r = test_run_argv(NULL,
		(const char *const[]){ tool, "-M", mibs, "-m", "", "-r", "0",
				       "-t", "5", "-On", "-Oe", version, "-c",
				       "public", agent->address, root, NULL }, 600);
	free(mibs);
	ck_assert_msg(r.status == 0, "%s %s: %s", tool, root, r.err);
	char *save = NULL, *cur = NULL;
	size_t cur_len = 0;
	for (char *line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '.') {
			if (cur)
				lines_add(out, cur);
			free(cur);
			cur = strdup(line);
			cur_len = strlen(cur);
		} else if (cur) {
			size_t k = strlen(line);
			cur = realloc(cur, cur_len + k + 2);
			cur[cur_len++] = '\n';
			memcpy(cur + cur_len, line, k + 1);
			cur_len += k;
		}
	}
	if (cur)
		lines_add(out, cur);
	free(cur);
	test_run_free(&r);
	/* snmpbulkwalk prints the endOfMibView that ends a walk of the whole
	 * MIB as a line of its own (snmpsim's, once per repetition): the end
	 * of the walk, not an instance. */
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (strstr(out->v[i], " = No more variables left in this MIB View"))
			free(out->v[i]);
		else
			out->v[kept++] = out->v[i];
	}
	out->n = kept;
}

/* "OID = TYPE: 123..." -> the OID part's length and the number (with the
 * text before it) when the value is numeric. */
static size_t oid_part(const char *line)
{
	const char *eq = strstr(line, " = ");
	ck_assert_ptr_nonnull(eq);
	return (size_t)(eq - line);
}

static bool number_of(const char *line, size_t *prefix, long double *v)
{
	const char *colon = strstr(line, ": ");
	if (!colon)
		return false;
	const char *p = colon + 2;
	if (*p == '(')
		p++; /* Timeticks: (N) ... */
	char *end;
	long double x = strtold(p, &end);
	if (end == p)
		return false;
	*prefix = (size_t)(p - line);
	*v = x;
	return true;
}

/* Every line of `got` matches the same OID in `before` or `after`: equal,
 * or a number between the two. */
static void compare_bracketed(const char *what, struct lines *got,
			      struct lines *before, struct lines *after)
{
	lines_sort(got);
	lines_sort(before);
	lines_sort(after);
	ck_assert_msg(got->n == before->n && got->n == after->n,
		      "%s: %zu varbinds, the oracle %zu then %zu", what, got->n,
		      before->n, after->n);
	ck_assert_uint_gt(got->n, 0);
	for (size_t i = 0; i < got->n; i++) {
		const char *g = got->v[i], *b = before->v[i], *a = after->v[i];
		size_t k = oid_part(g);
		ck_assert_msg(k == oid_part(b) && strncmp(g, b, k) == 0
			      && k == oid_part(a) && strncmp(g, a, k) == 0,
			      "%s: OID sets differ at %s / %s", what, g, b);
		if (strcmp(g, b) == 0 || strcmp(g, a) == 0)
			continue;
		size_t pg, pb, pa;
		long double vg, vb, va;
		ck_assert_msg(number_of(g, &pg, &vg) && number_of(b, &pb, &vb)
			      && number_of(a, &pa, &va) && pg == pb && pg == pa
			      && strncmp(g, b, pg) == 0 && strncmp(g, a, pg) == 0,
			      "%s: %s differs from the oracle's %s", what, g, b);
		long double lo = vb < va ? vb : va, hi = vb < va ? va : vb;
		ck_assert_msg(vg >= lo && vg <= hi, "%s: %s not between %s and %s",
			      what, g, b, a);
	}
}

static void compare_exact(const char *what, struct lines *got,
			  struct lines *want)
{
	compare_bracketed(what, got, want, want);
}

/* ---- running walks to completion ---- */

struct walk_result {
	struct lines lines;
	size_t delivered;
	bool done;
	int status;
	int stop_after;                  /* > 0: stop at that many */
	uint32_t values[64];             /* scripted agent: INTEGER values */
};

static int collect_vb(struct mibc_walk *walk, const struct mibc_varbind *vb)
{
	struct walk_result *r = walk->data;
	struct mibc_raw_value raw;
	ck_assert_int_eq(mibc_value_raw(vb->value, &raw), 0);
	add_formatted(&r->lines, vb->oid, vb->oid_len, &raw);
	int32_t i;
	if (mibc_value_get_int32(vb->value, &i) == 0 && r->delivered < 64)
		r->values[r->delivered] = (uint32_t)i;
	r->delivered++;
	return r->stop_after > 0 && r->delivered >= (size_t)r->stop_after;
}

static void walk_done(struct mibc_walk *walk, int status)
{
	struct walk_result *r = walk->data;
	ck_assert(!r->done);
	r->done = true;
	r->status = status;
}

static void run_walk(struct mibc_target *target, const uint32_t *root,
		     size_t root_len, unsigned flags, struct walk_result *r,
		     struct mibc_walk *walk)
{
	memset(walk, 0, sizeof(*walk));
	walk->data = r;
	walk->root = root;
	walk->root_len = root_len;
	walk->flags = flags;
	ck_assert_int_eq(mibc_walk_start(target, walk, collect_vb, walk_done), 0);
	ck_assert_int_eq(mibc_client_run(mibc_target_client(target)), 0);
	ck_assert(r->done);
	ck_assert_int_eq(walk->status, r->status);
}

static struct mibc_target *new_target(struct mibc_client *client,
				      const char *address, int port,
				      enum mibc_version version)
{
	struct mibc_target_config cfg;
	mibc_target_config_init(&cfg);
	cfg.address = address;
	cfg.port = (uint16_t)port;
	cfg.version = version;
	cfg.timeout_ms = 2000;
	cfg.retries = 1;
	if (version == MIBC_VERSION_3) {
		cfg.user = "mibcwalk";
		cfg.auth_password = "mibcwalkpass";
		cfg.priv_password = "mibcwalkpass";
	}
	struct mibc_target *t;
	ck_assert_int_eq(mibc_target_new(client, &cfg, &t), 0);
	return t;
}

/* A row struct's present cells as oracle lines (the column's OID, the
 * row's suffix). */
static void row_lines(const struct mibc_object_desc *row_desc,
		      const void *row, const uint32_t *suffix,
		      size_t suffix_len, struct lines *out)
{
	const unsigned char *base = row;
	for (size_t i = 0; i < row_desc->n_columns; i++) {
		const struct mibc_object_desc *c = row_desc->columns[i];
		if (!mibc_present_test(row, c->column))
			continue;
		uint32_t oid[MIBC_OID_MAX_LEN];
		memcpy(oid, c->oid, c->oid_len * sizeof(uint32_t));
		memcpy(oid + c->oid_len, suffix, suffix_len * sizeof(uint32_t));
		const unsigned char *m = base + c->row_offset;
		struct mibc_raw_value raw = { .tag = c->wire };
		switch (c->storage) {
		case MIBC_STORAGE_INT32: {
			int32_t v;
			memcpy(&v, m, sizeof(v));
			raw.integer = v;
			break;
		}
		case MIBC_STORAGE_UINT32: {
			uint32_t v;
			memcpy(&v, m, sizeof(v));
			raw.unsigned_ = v;
			break;
		}
		case MIBC_STORAGE_UINT64:
			memcpy(&raw.unsigned_, m, sizeof(uint64_t));
			break;
		case MIBC_STORAGE_IPADDRESS:
			raw.octets = m;
			raw.len = 4;
			break;
		case MIBC_STORAGE_OCTETS_INLINE:
			memcpy(&raw.len, m, sizeof(size_t));
			raw.octets = m + sizeof(size_t);
			break;
		case MIBC_STORAGE_OCTETS: {
			struct mibc_octets o;
			memcpy(&o, m, sizeof(o));
			raw.octets = o.data;
			raw.len = o.len;
			break;
		}
		case MIBC_STORAGE_OID: {
			struct mibc_oid o;
			memcpy(&o, m, sizeof(o));
			raw.oid = o.sub;
			raw.oid_len = o.len;
			break;
		}
		default:
			ck_abort_msg("%s: storage %d", c->name, (int)c->storage);
		}
		add_formatted(out, oid, c->oid_len + suffix_len, &raw);
	}
}

struct table_result {
	struct lines lines;
	struct lines first_index;        /* "suffix -> decoded first index" */
	size_t rows;
	bool done;
	int status;
	int stop_after;
	uint32_t last_suffix[MIBC_OID_MAX_LEN];
	size_t last_suffix_len;
	/* rows[0] kept with mibc_row_move, to check ownership passes */
	void *kept;
};

static int collect_row(struct mibc_table_walk *walk, const uint32_t *suffix,
		       size_t suffix_len, void *const *rows)
{
	struct table_result *r = walk->data;
	/* index order, strictly */
	if (r->rows)
		ck_assert_int_lt(mibc_oid_compare(r->last_suffix, r->last_suffix_len,
						  suffix, suffix_len), 0);
	memcpy(r->last_suffix, suffix, suffix_len * sizeof(uint32_t));
	r->last_suffix_len = suffix_len;
	bool any = false;
	for (size_t i = 0; i < walk->n_rows; i++) {
		const struct mibc_object_desc *d = walk->rows[i];
		for (size_t w = 0; w < MIBC_PRESENT_WORDS(d->n_columns); w++)
			any |= ((const uint32_t *)rows[i])[w] != 0;
		row_lines(d, rows[i], suffix, suffix_len, &r->lines);
		/* The decoded index is the suffix: its first element, as an
		 * integer, is the first sub-identifier for these tables. */
		if (d->index_size && d->index[0].storage == MIBC_STORAGE_INT32) {
			int32_t first;
			memcpy(&first, (const unsigned char *)rows[i] + d->index_offset
				       + d->index[0].offset, sizeof(first));
			ck_assert_uint_eq((uint32_t)first, suffix[0]);
		}
	}
	ck_assert_msg(any, "a row without any cell");
	if (r->rows == 0 && !r->kept) {
		r->kept = calloc(1, walk->rows[0]->row_size);
		mibc_row_move(walk->rows[0], r->kept, rows[0]);
	}
	r->rows++;
	return r->stop_after > 0 && r->rows >= (size_t)r->stop_after;
}

static void table_done(struct mibc_table_walk *walk, int status)
{
	struct table_result *r = walk->data;
	ck_assert(!r->done);
	r->done = true;
	r->status = status;
}

static void run_table(struct mibc_target *target,
		      const struct mibc_object_desc *const *rows, size_t n_rows,
		      unsigned flags, struct table_result *r,
		      struct mibc_table_walk *walk)
{
	memset(walk, 0, sizeof(*walk));
	walk->data = r;
	walk->rows = rows;
	walk->n_rows = n_rows;
	walk->flags = flags;
	ck_assert_int_eq(mibc_table_walk_start(target, walk, collect_row,
					       table_done), 0);
	ck_assert_int_eq(mibc_client_run(mibc_target_client(target)), 0);
	ck_assert(r->done);
	if (r->kept) {
		mibc_row_release(rows[0], r->kept);
		free(r->kept);
		r->kept = NULL;
	}
}

static void oid_text(const uint32_t *oid, size_t len, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < len && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, ".%" PRIu32, oid[i]);
}

/* ---- snmpd ---- */

static struct test_agent agent;

static void snmpd_up(void)
{
	test_agent_start(&agent, "disk /\nincludeAllDisks 10%\n"
				 "createUser mibcwalk SHA mibcwalkpass AES mibcwalkpass\n"
				 "rouser mibcwalk priv\n");
}

static void snmpd_down(void)
{
	test_agent_stop(&agent);
}

static const uint32_t if_table[] = { IF_MIB_IF_TABLE_OID };
static const uint32_t if_x_table[] = { IF_MIB_IF_X_TABLE_OID };
static const uint32_t hr_storage_table[] = { HOST_RESOURCES_MIB_HR_STORAGE_TABLE_OID };
static const uint32_t dsk_table[] = { UCD_SNMP_MIB_DSK_TABLE_OID };

/* Walk `root` with mibc and with the oracle (before and after). */
static void check_subtree(struct mibc_target *target, bool v1,
			  const uint32_t *root, size_t root_len)
{
	char text[512];
	oid_text(root, root_len, text, sizeof(text));
	const char *tool = v1 ? "snmpwalk" : "snmpbulkwalk";
	const char *version = v1 ? "-v1" : "-v2c";
	struct lines before = {0}, after = {0};
	oracle(&agent, tool, version, text, &before);
	struct walk_result r = {0};
	struct mibc_walk walk;
	run_walk(target, root, root_len, 0, &r, &walk);
	oracle(&agent, tool, version, text, &after);
	ck_assert_msg(r.status == 0, "%s: %s", text, mibc_strerror(r.status));
	ck_assert_int_eq(walk.stats.used_bulk, !v1);
	compare_bracketed(text, &r.lines, &before, &after);
	lines_free(&r.lines);
	lines_free(&before);
	lines_free(&after);
}

/* Walk rows into structs, and the same tables with the oracle. */
static void check_table(struct mibc_target *target, bool v1,
			const struct mibc_object_desc *const *rows,
			size_t n_rows)
{
	const char *tool = v1 ? "snmpwalk" : "snmpbulkwalk";
	const char *version = v1 ? "-v1" : "-v2c";
	struct lines before = {0}, after = {0};
	char text[512];
	for (size_t i = 0; i < n_rows; i++) {
		const struct mibc_object_desc *table = rows[i]->parent;
		oid_text(table->oid, table->oid_len, text, sizeof(text));
		oracle(&agent, tool, version, text, &before);
	}
	struct table_result r = {0};
	struct mibc_table_walk walk;
	run_table(target, rows, n_rows, 0, &r, &walk);
	for (size_t i = 0; i < n_rows; i++) {
		const struct mibc_object_desc *table = rows[i]->parent;
		oid_text(table->oid, table->oid_len, text, sizeof(text));
		oracle(&agent, tool, version, text, &after);
	}
	ck_assert_msg(r.status == 0, "%s: %s", rows[0]->name,
		      mibc_strerror(r.status));
	ck_assert_uint_eq(walk.n_cells_skipped, 0);
	ck_assert_uint_eq(walk.n_rows_done, r.rows);
	ck_assert_uint_gt(r.rows, 0);
	compare_bracketed(rows[0]->name, &r.lines, &before, &after);
	lines_free(&r.lines);
	lines_free(&before);
	lines_free(&after);
}

static const struct mibc_object_desc *const if_rows[] = {
	&if_mib_if_entry_desc, &if_mib_if_x_entry_desc,
};
static const struct mibc_object_desc *const hr_rows[] = {
	&host_resources_mib_hr_storage_entry_desc,
};
static const struct mibc_object_desc *const dsk_rows[] = {
	&ucd_snmp_mib_dsk_entry_desc,
};

static void snmpd_tables(enum mibc_version version)
{
	bool v1 = version == MIBC_VERSION_1;
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	struct mibc_target *t = new_target(client, "127.0.0.1", agent.port, version);
	check_subtree(t, v1, if_table, MIBC_N_ELEMENTS(if_table));
	check_subtree(t, v1, if_x_table, MIBC_N_ELEMENTS(if_x_table));
	check_subtree(t, v1, hr_storage_table, MIBC_N_ELEMENTS(hr_storage_table));
	check_subtree(t, v1, dsk_table, MIBC_N_ELEMENTS(dsk_table));
	check_table(t, v1, if_rows, 2);
	check_table(t, v1, hr_rows, 1);
	check_table(t, v1, dsk_rows, 1);
	mibc_client_free(client);
}

START_TEST(snmpd_v2c)
{
	snmpd_tables(MIBC_VERSION_2C);
}
END_TEST

START_TEST(snmpd_v1)
{
	snmpd_tables(MIBC_VERSION_1);
}
END_TEST

/* SNMPv3 (authPriv): GETBULK through net-snmp, the same data as v2c. */
START_TEST(snmpd_v3)
{
	snmpd_tables(MIBC_VERSION_3);
}
END_TEST

/* Chosen columns, a row callback that stops, naming through an index. */
START_TEST(snmpd_columns_stop_and_names)
{
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	struct mibc_target *t = new_target(client, "127.0.0.1", agent.port,
					   MIBC_VERSION_2C);
	static const struct mibc_object_desc *const cols[] = {
		&if_mib_if_descr_desc, &if_mib_if_name_desc,
	};
	struct table_result r = {0};
	struct mibc_table_walk walk;
	memset(&walk, 0, sizeof(walk));
	walk.data = &r;
	walk.rows = if_rows;
	walk.n_rows = 2;
	walk.columns = cols;
	walk.n_columns = 2;
	ck_assert_int_eq(mibc_table_walk_start(t, &walk, collect_row, table_done), 0);
	ck_assert_int_eq(mibc_client_run(client), 0);
	ck_assert_int_eq(r.status, 0);
	struct lines want = {0};
	oracle(&agent, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.2.2.1.2", &want);
	oracle(&agent, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.31.1.1.1.1", &want);
	compare_exact("ifDescr+ifName", &r.lines, &want);
	lines_free(&want);
	lines_free(&r.lines);
	free(r.kept);

	/* A column of neither row, a non-readable one: refused. */
	static const struct mibc_object_desc *const bad[] = {
		&host_resources_mib_hr_storage_descr_desc,
	};
	walk.columns = bad;
	walk.n_columns = 1;
	ck_assert_int_eq(mibc_table_walk_start(t, &walk, collect_row, table_done),
			 MIBC_E_INVAL);

	/* Stop after one row. */
	struct table_result s = {0};
	s.stop_after = 1;
	run_table(t, hr_rows, 1, 0, &s, &walk);
	ck_assert_int_eq(s.status, MIBC_E_CANCELED);
	ck_assert_uint_eq(s.rows, 1);
	lines_free(&s.lines);

	/* A subtree walk named through a --build-index style index. */
	static const uint32_t if_descr_oid[] = { IF_MIB_IF_DESCR_OID };
	static const uint32_t if_table_oid[] = { IF_MIB_IF_TABLE_OID };
	const struct mibc_index_entry entries[] = {
		{ if_table_oid, MIBC_N_ELEMENTS(if_table_oid), "IF-MIB", "ifTable",
		  MIBC_KIND_TABLE },
		{ if_descr_oid, MIBC_N_ELEMENTS(if_descr_oid), "IF-MIB", "ifDescr",
		  MIBC_KIND_COLUMN },
	};
	const uint32_t inst[] = { IF_MIB_IF_DESCR_OID, 1 };
	char name[128];
	ck_assert_int_eq(mibc_index_name(entries, 2, inst, MIBC_N_ELEMENTS(inst),
					 name, sizeof(name)), 17);
	ck_assert_str_eq(name, "IF-MIB::ifDescr.1");
	const uint32_t other[] = { 1, 3, 6, 1, 4, 1 };
	ck_assert_int_eq(mibc_index_name(entries, 2, other, 6, name, 4), 12);
	ck_assert_str_eq(name, ".1.");
	mibc_client_free(client);
}
END_TEST

/* One row by its index (the generated _get_row), against the oracle's
 * walk of the same row's cells. */
struct row_get_result {
	bool done;
	int status;
};

static void row_got(struct mibc_row_get *req, int status)
{
	struct row_get_result *r = req->data;
	ck_assert(!r->done);
	r->done = true;
	r->status = status;
}

static void oracle_row(const char *version, const char *tool, const char *suffix,
		       struct lines *out)
{
	struct lines all = {0};
	oracle(&agent, tool, version, ".1.3.6.1.2.1.2.2", &all);
	size_t k = strlen(suffix);
	for (size_t i = 0; i < all.n; i++) {
		size_t n = oid_part(all.v[i]);
		/* .1.3.6.1.2.1.2.2.1.COLUMN.SUFFIX */
		size_t dots = 0;
		for (size_t j = 0; j < n; j++)
			dots += all.v[i][j] == '.';
		if (dots == 11 && n > k && strncmp(all.v[i] + n - k, suffix, k) == 0)
			lines_add(out, all.v[i]);
	}
	lines_free(&all);
}

START_TEST(snmpd_get_row)
{
	const enum mibc_version versions[] = { MIBC_VERSION_2C, MIBC_VERSION_1 };
	for (size_t v = 0; v < 2; v++) {
		bool v1 = versions[v] == MIBC_VERSION_1;
		const char *version = v1 ? "-v1" : "-v2c";
		const char *tool = v1 ? "snmpwalk" : "snmpbulkwalk";
		struct mibc_client *client;
		ck_assert_int_eq(mibc_client_new(&client), 0);
		struct mibc_target *t = new_target(client, "127.0.0.1", agent.port,
						   versions[v]);
		struct lines before = {0}, after = {0}, got = {0};
		oracle_row(version, tool, ".1", &before);
		struct if_mib_if_entry row;
		struct row_get_result r = {0};
		struct mibc_row_get req = {0};
		req.data = &r;
		ck_assert_int_eq(if_mib_if_entry_get_row(t, &req, 1, &row, row_got), 0);
		ck_assert_int_eq(mibc_client_run(client), 0);
		oracle_row(version, tool, ".1", &after);
		ck_assert(r.done);
		ck_assert_int_eq(r.status, 0);
		ck_assert_int_eq(row.mibc_index.if_index, 1);
		ck_assert(if_mib_if_entry_has(&row, IF_MIB_IF_ENTRY_IF_DESCR));
		const uint32_t one[] = { 1 };
		row_lines(&if_mib_if_entry_desc, &row, one, 1, &got);
		compare_bracketed("ifEntry.1", &got, &before, &after);
		mibc_row_release(&if_mib_if_entry_desc, &row);
		lines_free(&got);
		lines_free(&before);
		lines_free(&after);

		/* ifXEntry over SNMPv1: snmpd has no Counter64 for v1 and says
		 * noSuchName for them; the row still comes with the rest. */
		struct if_mib_if_x_entry x;
		r.done = false;
		ck_assert_int_eq(if_mib_if_x_entry_get_row(t, &req, 1, &x, row_got), 0);
		ck_assert_int_eq(mibc_client_run(client), 0);
		ck_assert(r.done);
		ck_assert_int_eq(r.status, 0);
		ck_assert(if_mib_if_x_entry_has(&x, IF_MIB_IF_X_ENTRY_IF_NAME));
		ck_assert_int_eq(if_mib_if_x_entry_has(&x, IF_MIB_IF_X_ENTRY_IF_HC_IN_OCTETS),
				 !v1);
		mibc_row_release(&if_mib_if_x_entry_desc, &x);

		/* A row the agent does not have. */
		r.done = false;
		ck_assert_int_eq(if_mib_if_entry_get_row(t, &req, 999999, &row, row_got), 0);
		ck_assert_int_eq(mibc_client_run(client), 0);
		ck_assert(r.done);
		ck_assert_int_eq(r.status, MIBC_E_NO_SUCH_INSTANCE);
		ck_assert_uint_eq(row.mibc_present[0], 0);
		mibc_client_free(client);
	}
}
END_TEST

/* ---- snmpsim with the cisco_16_switch recording ---- */

static struct test_agent sim;
static bool sim_ok;

static void snmpsim_up(void)
{
	memset(&sim, 0, sizeof(sim));
	const char *rec = "/usr/share/doc/snmpsim/examples/data/cisco_16_switch.snmprec.gz";
	char *simd = test_find_program("snmpsimd");
	if (!simd || access(rec, R_OK) != 0) {
		free(simd);
		return;
	}
	sim.dir = test_mkdtemp();
	char *data, *cache, *mibs, *log, *cmd;
	if (asprintf(&data, "%s/data", sim.dir) < 0
	    || asprintf(&cache, "%s/cache", sim.dir) < 0
	    || asprintf(&mibs, "%s/mibs", sim.dir) < 0
	    || asprintf(&log, "%s/snmpsim.log", sim.dir) < 0
	    || asprintf(&cmd, "zcat %s > %s/data/public.snmprec", rec, sim.dir) < 0)
		abort();
	mkdir(data, 0755);
	mkdir(cache, 0777);
	mkdir(mibs, 0755);
	chmod(sim.dir, 0755);
	chmod(cache, 0777);
	struct test_run z = test_run_argv(NULL, (const char *const[]){ "sh", "-c",
					  cmd, NULL }, 60);
	ck_assert_int_eq(z.status, 0);
	test_run_free(&z);
	sim.port = test_free_udp_port();
	snprintf(sim.address, sizeof(sim.address), "127.0.0.1:%d", sim.port);
	char endpoint[64], data_arg[512], cache_arg[512], log_arg[512];
	snprintf(endpoint, sizeof(endpoint), "--agent-udpv4-endpoint=127.0.0.1:%d", sim.port);
	snprintf(data_arg, sizeof(data_arg), "--data-dir=%s", data);
	snprintf(cache_arg, sizeof(cache_arg), "--cache-dir=%s", cache);
	snprintf(log_arg, sizeof(log_arg), "--logging-method=file:%s", log);
	pid_t p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0) {
		setpgid(0, 0);
		execl(simd, simd, data_arg, endpoint, cache_arg, log_arg,
		      "--process-user=nobody", "--process-group=nogroup",
		      (char *)NULL);
		_exit(127);
	}
	sim.pid = p;
	/* It indexes the recording at its first start. */
	for (int i = 0; i < 600 && !sim_ok; i++) {
		struct test_run r = test_agent_tool(&sim, "snmpget",
			(const char *const[]){ "-v2c", "-c", "public", "-t", "1",
					       sim.address, "1.3.6.1.2.1.1.1.0", NULL });
		sim_ok = r.status == 0;
		test_run_free(&r);
		if (waitpid(p, NULL, WNOHANG) == p) {
			sim.pid = 0;
			break;
		}
		if (!sim_ok) {
			struct timespec ts = { 0, 200 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	free(simd);
	free(data);
	free(cache);
	free(mibs);
	free(log);
	free(cmd);
}

static void snmpsim_down(void)
{
	if (sim.pid > 0) {
		kill(sim.pid, SIGTERM);
		waitpid(sim.pid, NULL, 0);
		sim.pid = 0;
	}
	if (sim.dir) {
		test_rmtree(sim.dir);
		free(sim.dir);
		sim.dir = NULL;
	}
}

static void collect_done(struct mibc_table_walk *walk, int status)
{
	(void)status;
	*(bool *)walk->data = true;
}

START_TEST(cisco_switch)
{
	if (!sim_ok) {
		fprintf(stderr, "snmpsim or its cisco_16_switch recording missing: skipped\n");
		return;
	}
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	struct mibc_target *t = new_target(client, "127.0.0.1", sim.port,
					   MIBC_VERSION_2C);
	static const uint32_t entity_mib[] = { 1, 3, 6, 1, 2, 1, 47, 1 };
	const struct { const uint32_t *oid; size_t len; } roots[] = {
		{ if_table, MIBC_N_ELEMENTS(if_table) },
		{ if_x_table, MIBC_N_ELEMENTS(if_x_table) },
		{ entity_mib, MIBC_N_ELEMENTS(entity_mib) },
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(roots); i++) {
		char text[256];
		oid_text(roots[i].oid, roots[i].len, text, sizeof(text));
		struct lines want = {0};
		oracle(&sim, "snmpbulkwalk", "-v2c", text, &want);
		struct walk_result r = {0};
		struct mibc_walk walk;
		run_walk(t, roots[i].oid, roots[i].len, 0, &r, &walk);
		ck_assert_msg(r.status == 0, "%s: %s", text, mibc_strerror(r.status));
		ck_assert_uint_gt(want.n, 100);
		compare_exact(text, &r.lines, &want);
		lines_free(&want);
		lines_free(&r.lines);
	}

	/* The whole recording, every subtree (Cisco's private ones too). */
	{
		static const uint32_t all[] = { 1, 3, 6, 1 };
		struct lines want = {0};
		oracle(&sim, "snmpbulkwalk", "-v2c", ".1.3.6.1", &want);
		struct walk_result r = {0};
		struct mibc_walk walk;
		run_walk(t, all, MIBC_N_ELEMENTS(all), 0, &r, &walk);
		ck_assert_msg(r.status == 0, "whole walk: %s", mibc_strerror(r.status));
		ck_assert_uint_gt(want.n, 10000);
		compare_exact(".1.3.6.1", &r.lines, &want);
		lines_free(&want);
		lines_free(&r.lines);
	}

	/* Collected rather than called back: entPhysicalEntry, all rows. */
	struct mibc_table_walk collect = {0};
	bool collected = false;
	collect.data = &collected;
	ck_assert_int_eq(entity_mib_ent_physical_entry_walk(t, &collect, NULL,
							    collect_done), 0);
	ck_assert_int_eq(mibc_client_run(client), 0);
	ck_assert(collected);
	ck_assert_int_eq(collect.status, 0);
	ck_assert_uint_gt(collect.n_collected, 50);
	struct lines got = {0}, want_ent = {0};
	for (size_t i = 0; i < collect.n_collected; i++) {
		const struct mibc_table_row *row = &collect.collected[i];
		const struct entity_mib_ent_physical_entry *e = row->rows[0];
		ck_assert_int_eq(e->mibc_index.ent_physical_index, (int32_t)row->suffix[0]);
		if (i)
			ck_assert_int_lt(collect.collected[i - 1].suffix[0], row->suffix[0]);
		row_lines(&entity_mib_ent_physical_entry_desc, e, row->suffix,
			  row->suffix_len, &got);
	}
	mibc_table_walk_release(&collect);
	ck_assert_uint_eq(collect.n_collected, 0);
	oracle(&sim, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.47.1.1.1", &want_ent);
	compare_exact("entPhysicalEntry collected", &got, &want_ent);
	lines_free(&got);
	lines_free(&want_ent);

	/* The same as row structs: ifEntry + ifXEntry joined, entPhysicalEntry. */
	struct table_result r = {0};
	struct mibc_table_walk walk;
	run_table(t, if_rows, 2, 0, &r, &walk);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(walk.n_cells_skipped, 0);
	struct lines want = {0};
	oracle(&sim, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.2.2", &want);
	oracle(&sim, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.31.1.1", &want);
	compare_exact("ifEntry+ifXEntry", &r.lines, &want);
	lines_free(&want);
	lines_free(&r.lines);

	static const struct mibc_object_desc *const ent_rows[] = {
		&entity_mib_ent_physical_entry_desc,
	};
	struct table_result e = {0};
	run_table(t, ent_rows, 1, 0, &e, &walk);
	ck_assert_int_eq(e.status, 0);
	oracle(&sim, "snmpbulkwalk", "-v2c", ".1.3.6.1.2.1.47.1.1.1", &want);
	compare_exact("entPhysicalEntry", &e.lines, &want);
	ck_assert_uint_eq(walk.n_cells_skipped, 0);
	lines_free(&want);
	lines_free(&e.lines);
	mibc_client_free(client);
}
END_TEST

/* ---- a scripted agent misbehaving ---- */

static const uint32_t script_root[] = { 1, 3, 6, 1, 4, 1, 99999, 1 };

static void expect_values(const struct walk_result *r, const size_t *rows,
			  size_t n)
{
	ck_assert_uint_eq(r->delivered, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(r->values[i], rows[i] * 10);
}

static const size_t in_order[SCRIPTED_ROWS] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

/* Walk the scripted rows; the status and what came. */
static void script_walk(struct scripted_agent *a, enum mibc_version version,
			unsigned flags, struct walk_result *r,
			struct mibc_walk *walk, struct mibc_target **keep)
{
	struct mibc_client *client = NULL;
	struct mibc_target *t = keep ? *keep : NULL;
	if (!t) {
		ck_assert_int_eq(mibc_client_new(&client), 0);
		t = new_target(client, "127.0.0.1", a->port, version);
		if (keep)
			*keep = t;
	}
	memset(r, 0, sizeof(*r));
	run_walk(t, script_root, MIBC_N_ELEMENTS(script_root), flags, r, walk);
	lines_free(&r->lines);
	if (!keep)
		mibc_client_free(client);
}

START_TEST(normal_v1_v2c)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_NORMAL);
	struct walk_result r;
	struct mibc_walk walk;
	script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, NULL);
	ck_assert_int_eq(r.status, 0);
	expect_values(&r, in_order, SCRIPTED_ROWS);
	ck_assert(walk.stats.used_bulk);
	ck_assert_uint_eq(a.getnext, 0);
	script_walk(&a, MIBC_VERSION_1, 0, &r, &walk, NULL);
	ck_assert_int_eq(r.status, 0);
	expect_values(&r, in_order, SCRIPTED_ROWS);
	ck_assert(!walk.stats.used_bulk);
	ck_assert_uint_eq(a.getnext, SCRIPTED_ROWS + 1);

	/* v1 at the end of the MIB: noSuchName ends the subtree cleanly. */
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
					   MIBC_VERSION_1);
	static const uint32_t last[] = { 1, 3, 6, 1, 4, 1, 99999, 2 };
	memset(&r, 0, sizeof(r));
	run_walk(t, last, MIBC_N_ELEMENTS(last), 0, &r, &walk);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(r.delivered, 1);
	lines_free(&r.lines);
	/* The callback can stop a walk. */
	memset(&r, 0, sizeof(r));
	r.stop_after = 5;
	run_walk(t, script_root, MIBC_N_ELEMENTS(script_root), 0, &r, &walk);
	ck_assert_int_eq(r.status, MIBC_E_CANCELED);
	expect_values(&r, in_order, 5);
	lines_free(&r.lines);
	mibc_client_free(client);
	scripted_agent_stop(&a);
}
END_TEST

START_TEST(loop)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_LOOP);
	struct walk_result r;
	struct mibc_walk walk;
	const enum mibc_version versions[] = { MIBC_VERSION_2C, MIBC_VERSION_1 };
	for (size_t v = 0; v < 2; v++) {
		script_walk(&a, versions[v], 0, &r, &walk, NULL);
		ck_assert_int_eq(r.status, MIBC_E_OID_ORDER);
		expect_values(&r, in_order, 8);
		/* Out of order allowed: the repeat still ends it. */
		script_walk(&a, versions[v], MIBC_WALK_UNORDERED, &r, &walk, NULL);
		ck_assert_int_eq(r.status, MIBC_E_OID_ORDER);
		expect_values(&r, in_order, 8);
	}
	scripted_agent_stop(&a);
}
END_TEST

/* An agent that invents rows forever: the walk stops at its limit, after
 * delivering exactly that many, with MIBC_E_WALK_LIMIT. */
START_TEST(endless_agent)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_ENDLESS);
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	const enum mibc_version versions[] = { MIBC_VERSION_2C, MIBC_VERSION_1 };
	for (size_t v = 0; v < 2; v++) {
		struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
						   versions[v]);
		struct walk_result r = {0};
		struct mibc_walk walk;
		memset(&walk, 0, sizeof(walk));
		walk.data = &r;
		walk.root = script_root;
		walk.root_len = MIBC_N_ELEMENTS(script_root);
		walk.max_instances = 1000;
		ck_assert_int_eq(mibc_walk_start(t, &walk, collect_vb, walk_done), 0);
		ck_assert_int_eq(mibc_client_run(client), 0);
		ck_assert(r.done);
		ck_assert_int_eq(r.status, MIBC_E_WALK_LIMIT);
		ck_assert_int_eq(walk.status, MIBC_E_WALK_LIMIT);
		ck_assert_uint_eq(r.delivered, 1000);
		for (size_t i = 0; i < 64; i++)
			ck_assert_uint_eq(r.values[i], (i + 1) * 10);
		ck_assert_msg(strstr(r.lines.v[999], ".99999.1.1.1000 ") != NULL,
			      "%s", r.lines.v[999]);
		ck_assert_uint_eq(walk.stats.varbinds, 1000);
		lines_free(&r.lines);
	}
	ck_assert_str_eq(mibc_err_name(MIBC_E_WALK_LIMIT), "MIBC_E_WALK_LIMIT");
	mibc_client_free(client);
	scripted_agent_stop(&a);
}
END_TEST

START_TEST(unordered)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_UNORDERED);
	static const size_t agent_order[SCRIPTED_ROWS] = {
		1, 2, 3, 7, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	};
	struct walk_result r;
	struct mibc_walk walk;
	script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, NULL);
	ck_assert_int_eq(r.status, MIBC_E_OID_ORDER);
	expect_values(&r, agent_order, 4);
	script_walk(&a, MIBC_VERSION_2C, MIBC_WALK_UNORDERED, &r, &walk, NULL);
	ck_assert_int_eq(r.status, 0);
	expect_values(&r, agent_order, SCRIPTED_ROWS);
	script_walk(&a, MIBC_VERSION_1, MIBC_WALK_UNORDERED, &r, &walk, NULL);
	ck_assert_int_eq(r.status, 0);
	expect_values(&r, agent_order, SCRIPTED_ROWS);
	scripted_agent_stop(&a);
}
END_TEST

/* GETBULK that does not work: empty answers, genErr.  The walk goes on
 * with GETNEXT, and the target remembers. */
START_TEST(bulk_refused)
{
	const enum scripted_mode modes[] = { SCRIPT_EMPTY_BULK, SCRIPT_NO_BULK };
	for (size_t m = 0; m < 2; m++) {
		struct scripted_agent a;
		scripted_agent_start(&a, modes[m]);
		struct mibc_client *client;
		ck_assert_int_eq(mibc_client_new(&client), 0);
		struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
						   MIBC_VERSION_2C);
		struct walk_result r;
		struct mibc_walk walk;
		script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, &t);
		ck_assert_int_eq(r.status, 0);
		expect_values(&r, in_order, SCRIPTED_ROWS);
		ck_assert(!walk.stats.used_bulk);
		ck_assert_uint_eq(a.getbulk, 1);
		script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, &t);
		ck_assert_int_eq(r.status, 0);
		expect_values(&r, in_order, SCRIPTED_ROWS);
		ck_assert_uint_eq(a.getbulk, 1); /* learned: not asked again */
		mibc_client_free(client);
		scripted_agent_stop(&a);
	}
}
END_TEST

/* tooBig without varbinds, and answers cut short: fewer repetitions, kept
 * for the next walk. */
START_TEST(too_big_and_short)
{
	const enum scripted_mode modes[] = { SCRIPT_TOO_BIG_EMPTY, SCRIPT_SHORT_BULK };
	const uint32_t fits[] = { 6, 7 };
	for (size_t m = 0; m < 2; m++) {
		struct scripted_agent a;
		scripted_agent_start(&a, modes[m]);
		struct mibc_client *client;
		ck_assert_int_eq(mibc_client_new(&client), 0);
		struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
						   MIBC_VERSION_2C);
		struct walk_result r;
		struct mibc_walk walk;
		script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, &t);
		ck_assert_int_eq(r.status, 0);
		expect_values(&r, in_order, SCRIPTED_ROWS);
		ck_assert(walk.stats.used_bulk);
		if (modes[m] == SCRIPT_TOO_BIG_EMPTY)
			ck_assert_uint_gt(walk.stats.too_big, 0);
		unsigned too_big = a.too_big_sent;
		script_walk(&a, MIBC_VERSION_2C, 0, &r, &walk, &t);
		ck_assert_int_eq(r.status, 0);
		expect_values(&r, in_order, SCRIPTED_ROWS);
		ck_assert_uint_eq(a.too_big_sent, too_big);
		ck_assert_uint_le(walk.stats.last_max_repetitions, fits[m]);
		ck_assert_uint_le(a.last_bulk_varbinds, fits[m]);
		ck_assert_uint_ge(walk.stats.last_max_repetitions, 1);
		mibc_client_free(client);
		scripted_agent_stop(&a);
	}
}
END_TEST

/* A sparse ifTable (no ifType.2) joined with an ifXTable that has a row
 * (4) ifTable lacks. */
START_TEST(sparse_and_augments)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_NORMAL);
	const enum mibc_version versions[] = { MIBC_VERSION_2C, MIBC_VERSION_1 };
	for (size_t v = 0; v < 2; v++) {
		struct mibc_client *client;
		ck_assert_int_eq(mibc_client_new(&client), 0);
		struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
						   versions[v]);
		struct table_result r = {0};
		struct mibc_table_walk walk;
		run_table(t, if_rows, 2, 0, &r, &walk);
		ck_assert_int_eq(r.status, 0);
		ck_assert_uint_eq(r.rows, 4);
		ck_assert_uint_eq(walk.n_cells_skipped, 0);
		lines_sort(&r.lines);
		static const char *const want[] = {
			".1.3.6.1.2.1.2.2.1.2.1 = STRING: \"if1\"",
			".1.3.6.1.2.1.2.2.1.2.2 = STRING: \"if2\"",
			".1.3.6.1.2.1.2.2.1.2.3 = STRING: \"if3\"",
			".1.3.6.1.2.1.2.2.1.3.1 = INTEGER: 6",
			".1.3.6.1.2.1.2.2.1.3.3 = INTEGER: 24",
			".1.3.6.1.2.1.31.1.1.1.1.1 = STRING: \"eth1\"",
			".1.3.6.1.2.1.31.1.1.1.1.3 = STRING: \"eth3\"",
			".1.3.6.1.2.1.31.1.1.1.1.4 = STRING: \"eth4\"",
		};
		ck_assert_uint_eq(r.lines.n, MIBC_N_ELEMENTS(want));
		for (size_t i = 0; i < r.lines.n; i++)
			ck_assert_str_eq(r.lines.v[i], want[i]);
		lines_free(&r.lines);
		mibc_client_free(client);
	}
	scripted_agent_stop(&a);
}
END_TEST

/* An agent that answers one varbind per PDU at most (tooBig otherwise):
 * the table walk splits its columns down to one per request. */
START_TEST(one_at_a_time)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_ONE_AT_A_TIME);
	const enum mibc_version versions[] = { MIBC_VERSION_2C, MIBC_VERSION_1 };
	for (size_t v = 0; v < 2; v++) {
		struct mibc_client *client;
		ck_assert_int_eq(mibc_client_new(&client), 0);
		struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
						   versions[v]);
		struct table_result r = {0};
		struct mibc_table_walk walk;
		run_table(t, if_rows, 2, 0, &r, &walk);
		ck_assert_int_eq(r.status, 0);
		ck_assert_uint_eq(r.rows, 4);
		ck_assert_uint_eq(r.lines.n, 8);
		ck_assert_uint_gt(walk.stats.too_big, 0);
		lines_free(&r.lines);
		mibc_client_free(client);
	}
	scripted_agent_stop(&a);
}
END_TEST

/* Typed rows through the generated structs: presence per column, the
 * decoded index in both joined rows. */
struct typed_rows {
	size_t n;
	int32_t index[8];
	bool has_type[8], has_name[8], has_descr[8];
	char name[8][IF_MIB_IF_NAME_MAX_LEN + 1];
};

static int typed_row(struct mibc_table_walk *walk, const uint32_t *suffix,
		     size_t suffix_len, void *const *rows)
{
	struct typed_rows *t = walk->data;
	const struct if_mib_if_entry *e = rows[0];
	const struct if_mib_if_x_entry *x = rows[1];
	ck_assert_uint_eq(suffix_len, 1);
	ck_assert_int_eq(e->mibc_index.if_index, (int32_t)suffix[0]);
	ck_assert_int_eq(x->mibc_index.if_index, (int32_t)suffix[0]);
	size_t i = t->n++;
	ck_assert_uint_lt(i, 8);
	t->index[i] = e->mibc_index.if_index;
	t->has_descr[i] = if_mib_if_entry_has(e, IF_MIB_IF_ENTRY_IF_DESCR);
	t->has_type[i] = if_mib_if_entry_has(e, IF_MIB_IF_ENTRY_IF_TYPE);
	t->has_name[i] = if_mib_if_x_entry_has(x, IF_MIB_IF_X_ENTRY_IF_NAME);
	if (t->has_name[i])
		memcpy(t->name[i], x->if_name.data, x->if_name.len + 1);
	return 0;
}

static void typed_done(struct mibc_table_walk *walk, int status)
{
	walk->data = NULL;
	ck_assert_int_eq(status, 0);
}

START_TEST(typed_rows)
{
	struct scripted_agent a;
	scripted_agent_start(&a, SCRIPT_NORMAL);
	struct mibc_client *client;
	ck_assert_int_eq(mibc_client_new(&client), 0);
	struct mibc_target *t = new_target(client, "127.0.0.1", a.port,
					   MIBC_VERSION_2C);
	struct typed_rows seen = {0};
	struct mibc_table_walk walk = {0};
	walk.data = &seen;
	ck_assert_int_eq(if_mib_if_x_entry_walk_joined(t, &walk, typed_row,
						       typed_done), 0);
	ck_assert_ptr_eq(walk.rows[0], &if_mib_if_entry_desc);
	ck_assert_int_eq(mibc_client_run(client), 0);
	ck_assert_ptr_null(walk.data);
	ck_assert_uint_eq(seen.n, 4);
	const int32_t index[] = { 1, 2, 3, 4 };
	const bool descr[] = { true, true, true, false };
	const bool type[] = { true, false, true, false };
	const bool name[] = { true, false, true, true };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(seen.index[i], index[i]);
		ck_assert_int_eq(seen.has_descr[i], descr[i]);
		ck_assert_int_eq(seen.has_type[i], type[i]);
		ck_assert_int_eq(seen.has_name[i], name[i]);
	}
	ck_assert_str_eq(seen.name[3], "eth4");
	mibc_client_free(client);
	scripted_agent_stop(&a);
}
END_TEST

static void add_responder_tests(TCase *tc)
{
	tcase_add_test(tc, normal_v1_v2c);
	tcase_add_test(tc, loop);
	tcase_add_test(tc, unordered);
	tcase_add_test(tc, endless_agent);
	tcase_add_test(tc, bulk_refused);
	tcase_add_test(tc, too_big_and_short);
	tcase_add_test(tc, sparse_and_augments);
	tcase_add_test(tc, typed_rows);
	tcase_add_test(tc, one_at_a_time);
}

int main(void)
{
	Suite *s = suite_create("walk");
	TCase *scripted = tcase_create("misbehaving");
	tcase_set_timeout(scripted, 300);
	add_responder_tests(scripted);
	suite_add_tcase(s, scripted);
	if (test_agent_available()) {
		TCase *real = tcase_create("snmpd");
		tcase_set_timeout(real, 600);
		tcase_add_unchecked_fixture(real, snmpd_up, snmpd_down);
		tcase_add_test(real, snmpd_v2c);
		tcase_add_test(real, snmpd_v1);
		tcase_add_test(real, snmpd_v3);
		tcase_add_test(real, snmpd_columns_stop_and_names);
		tcase_add_test(real, snmpd_get_row);
		suite_add_tcase(s, real);
		TCase *cisco = tcase_create("snmpsim");
		tcase_set_timeout(cisco, 600);
		tcase_add_unchecked_fixture(cisco, snmpsim_up, snmpsim_down);
		tcase_add_test(cisco, cisco_switch);
		suite_add_tcase(s, cisco);
	}
	return test_run_suite(s);
}
