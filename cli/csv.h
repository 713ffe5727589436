/* A table collected cell by cell during a walk, printed as CSV (RFC 4180):
 * a header line ("index" and the column names), then one line per row in
 * index order, each cell the value as snmpget prints it without its type
 * ("up(1)", "lo"), empty where the agent had no value. */
#ifndef MIBC_CLI_CSV_H
#define MIBC_CLI_CSV_H

#include <stdio.h>

#include <mibc/mibc.h>

#include "print.h"

struct csv_table;

/* The table's columns: the readable columns of `row`.  NULL when `node`
 * is not a table, row or column (the caller says so). */
struct csv_table *csv_table_new(const struct mibc_object_desc *node);
/* Add a varbind of the walk: false when it is outside every column. */
bool csv_table_add(struct csv_table *t, const struct printer *p,
		   const struct mibc_varbind *vb);
void csv_table_print(const struct csv_table *t, const struct printer *p, FILE *out);
size_t csv_table_rows(const struct csv_table *t);
void csv_table_free(struct csv_table *t);

#endif
