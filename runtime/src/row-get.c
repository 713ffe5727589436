/* One row by its index (mibc_row_get): a GET of its columns as one batch
 * of mibc_get_many, the answers stored in the caller's row struct. */
#include <stdlib.h>
#include <string.h>

#include <mibc/mibc.h>

struct row_get_op {
	struct mibc_batch batch;
	struct mibc_row_get *req;
	const struct mibc_object_desc *row_desc;
	void *row;
	size_t n;
	struct mibc_get items[];
};

static bool readable(const struct mibc_object_desc *c)
{
	return c->access == MIBC_ACCESS_READ_ONLY
	       || c->access == MIBC_ACCESS_READ_WRITE
	       || c->access == MIBC_ACCESS_READ_CREATE;
}

static void row_got(struct mibc_batch *batch)
{
	struct row_get_op *op = batch->data;
	struct mibc_row_get *req = op->req;
	int status = MIBC_E_NO_SUCH_INSTANCE;
	bool any = false;
	for (size_t i = 0; i < op->n; i++) {
		struct mibc_get *it = &op->items[i];
		if (it->value && (it->status == 0 || it->status == MIBC_E_RANGE
				  || it->status == MIBC_E_WRONG_TYPE)) {
			int rc = mibc_row_set_value(op->row_desc, op->row,
						    it->object, it->value);
			if (rc == 0)
				any = true;
			else
				req->n_cells_skipped++;
		} else if (!it->value && it->status != MIBC_E_NO_SUCH_NAME
			   && status == MIBC_E_NO_SUCH_INSTANCE) {
			/* no answer at all (timeout, agent error) */
			status = it->status;
		}
	}
	if (any)
		status = 0;
	req->mibc_private_.op = NULL;
	req->status = status;
	mibc_row_get_cb *cb = req->mibc_private_.cb;
	free(op);
	cb(req, status);
}

int mibc_row_get(struct mibc_target *target, struct mibc_row_get *req,
		 const struct mibc_object_desc *row_desc,
		 const uint32_t *index, size_t index_len, void *row,
		 mibc_row_get_cb *cb)
{
	if (!target || !req || !row_desc || !row || !cb
	    || (index_len && !index) || row_desc->kind != MIBC_KIND_ROW
	    || row_desc->row_size == 0 || !row_desc->columns
	    || req->mibc_private_.op)
		return MIBC_E_INVAL;
	size_t max = req->columns ? req->n_columns : row_desc->n_columns;
	struct row_get_op *op = calloc(1, sizeof(*op)
					  + (max ? max : 1) * sizeof(op->items[0]));
	if (!op)
		return MIBC_E_NOMEM;
	memset(row, 0, row_desc->row_size);
	int rc = 0;
	if (row_desc->index_size)
		rc = mibc_row_index_decode(row_desc, row, index, index_len);
	for (size_t i = 0; i < max && rc == 0; i++) {
		const struct mibc_object_desc *c =
			req->columns ? req->columns[i] : row_desc->columns[i];
		if (!c || c->parent != row_desc)
			rc = MIBC_E_INVAL;
		else if (!readable(c) && req->columns)
			rc = MIBC_E_INVAL;
		else if (readable(c))
			rc = mibc_get_init(&op->items[op->n++], c, index, index_len);
	}
	if (rc == 0 && op->n == 0)
		rc = MIBC_E_INVAL;
	if (rc) {
		free(op);
		return rc;
	}
	op->req = req;
	op->row_desc = row_desc;
	op->row = row;
	op->batch.data = op;
	req->status = 1; /* pending */
	req->n_cells_skipped = 0;
	req->mibc_private_.cb = cb;
	req->mibc_private_.op = op;
	rc = mibc_get_many(target, &op->batch, op->items, op->n, row_got);
	if (rc) {
		req->mibc_private_.op = NULL;
		req->status = rc;
		free(op);
	}
	return rc;
}
