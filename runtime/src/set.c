/* SET requests (mibc/set.h): values checked against their descriptors,
 * then one SET PDU through mibc_pdu_send(), the agent's error-status
 * mapped to the instance it blamed. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>
#include <mibc/set.h>

/* ---- preparing ----------------------------------------------------------- */

static void clear_outcome(struct mibc_set *req)
{
	req->status = 0;
	req->mibc_private_.cb = NULL;
	req->mibc_private_.op = NULL;
}

int mibc_set_init(struct mibc_set *req, const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  const struct mibc_data *value)
{
	if (!req || !object || !value || (!index && index_len))
		return MIBC_E_INVAL;
	if (object->module && !mibc_module_abi_ok(object->module))
		return MIBC_E_ABI;
	if (object->kind != MIBC_KIND_SCALAR && object->kind != MIBC_KIND_COLUMN)
		return MIBC_E_MIB_READ_ONLY;
	switch (object->access) {
	case MIBC_ACCESS_READ_WRITE:
	case MIBC_ACCESS_READ_CREATE:
	case MIBC_ACCESS_WRITE_ONLY:
		break;
	default:
		return MIBC_E_MIB_READ_ONLY;
	}
	if (!object->oid || object->oid_len < 2 || index_len == 0
	    || index_len > MIBC_OID_MAX_LEN
	    || object->oid_len > MIBC_OID_MAX_LEN - index_len)
		return MIBC_E_INDEX;
	int rc = mibc_data_check(object, value);
	if (rc)
		return rc;
	req->object = object;
	memcpy(req->oid, object->oid, object->oid_len * sizeof(uint32_t));
	memcpy(req->oid + object->oid_len, index, index_len * sizeof(uint32_t));
	req->oid_len = object->oid_len + index_len;
	req->value = *value;
	clear_outcome(req);
	return 0;
}

int mibc_set_init_oid(struct mibc_set *req, const uint32_t *oid,
		      size_t oid_len, const struct mibc_data *value)
{
	if (!req || !oid || !value || oid_len < 2 || oid_len > MIBC_OID_MAX_LEN)
		return MIBC_E_INVAL;
	req->object = NULL;
	memcpy(req->oid, oid, oid_len * sizeof(uint32_t));
	req->oid_len = oid_len;
	req->value = *value;
	clear_outcome(req);
	return 0;
}

int mibc_set_init_row_status(struct mibc_set *req,
			     const struct mibc_object_desc *row_status,
			     const uint32_t *index, size_t index_len,
			     enum mibc_row_status action)
{
	struct mibc_data v = mibc_data_integer((int32_t)action);
	return mibc_set_init(req, row_status, index, index_len, &v);
}

/* ---- sending --------------------------------------------------------------- */

/* One SET in flight: the PDU and its varbinds, for one request or a
 * batch. */
struct set_op {
	struct mibc_pdu pdu;
	struct mibc_set *single;        /* mibc_set_send's request, or NULL */
	struct mibc_set_batch *batch;   /* or mibc_set_many's batch */
	struct mibc_set *items;
	size_t n_items;
	struct mibc_varbind_out out[];
};

/* Whether the response answers the request: the same names, in order
 * (RFC 3416: a Response to a SET repeats the request's varbinds). */
static bool response_matches(const struct set_op *op)
{
	if (op->pdu.n_vbs != op->n_items)
		return false;
	for (size_t i = 0; i < op->n_items; i++)
		if (mibc_oid_compare(op->pdu.vbs[i].oid, op->pdu.vbs[i].oid_len,
				     op->items[i].oid, op->items[i].oid_len))
			return false;
	return true;
}

/* Every item's status from the PDU's outcome; returns the blamed item
 * (n_items when none). */
static size_t settle_items(struct set_op *op, int *status)
{
	int st = op->pdu.status;
	size_t blamed = op->n_items;
	if (st == 0 && !response_matches(op))
		st = MIBC_E_DECODE;
	if (st < 0 && op->pdu.error_status > 0) {
		st = mibc_error_status_code(op->pdu.error_status);
		int32_t ix = op->pdu.error_index;
		if (ix >= 1 && (size_t)ix <= op->n_items)
			blamed = (size_t)ix - 1;
	}
	for (size_t i = 0; i < op->n_items; i++) {
		op->items[i].status = blamed == op->n_items || blamed == i
				      ? st : MIBC_E_SET_UNDONE;
		op->items[i].mibc_private_.op = NULL;
	}
	*status = st;
	return blamed;
}

static void on_pdu(struct mibc_pdu *pdu, int status)
{
	(void)status;   /* also in pdu->status */
	struct set_op *op = pdu->data;
	int st;
	size_t blamed = settle_items(op, &st);
	if (op->single) {
		struct mibc_set *req = op->single;
		mibc_set_cb *cb = req->mibc_private_.cb;
		free(op);
		cb(req, st);
		return;
	}
	struct mibc_set_batch *batch = op->batch;
	mibc_set_batch_cb *cb = batch->mibc_private_.cb;
	batch->status = st;
	batch->failed = blamed;
	batch->mibc_private_.op = NULL;
	free(op);
	cb(batch);
}

static struct set_op *op_new(struct mibc_set *items, size_t n)
{
	struct set_op *op = calloc(1, sizeof(*op) + n * sizeof(op->out[0]));
	if (!op)
		return NULL;
	op->items = items;
	op->n_items = n;
	for (size_t i = 0; i < n; i++) {
		op->out[i].oid = items[i].oid;
		op->out[i].oid_len = items[i].oid_len;
		op->out[i].value = items[i].value;
	}
	op->pdu.data = op;
	op->pdu.type = MIBC_PDU_SET;
	op->pdu.out = op->out;
	op->pdu.n_out = n;
	return op;
}

static bool prepared(const struct mibc_set *req)
{
	return req->oid_len >= 2 && req->oid_len <= MIBC_OID_MAX_LEN
	       && req->value.wire != MIBC_WIRE_NONE;
}

int mibc_set_send(struct mibc_target *target, struct mibc_set *req,
		  mibc_set_cb *cb)
{
	if (!target || !req || !cb || !prepared(req))
		return MIBC_E_INVAL;
	if (req->mibc_private_.op)
		return MIBC_E_BUSY;
	struct set_op *op = op_new(req, 1);
	if (!op)
		return MIBC_E_NOMEM;
	op->single = req;
	req->status = 1;   /* pending */
	req->mibc_private_.cb = cb;
	req->mibc_private_.op = op;
	int rc = mibc_pdu_send(target, &op->pdu, on_pdu);
	if (rc) {
		req->status = rc;
		req->mibc_private_.op = NULL;
		free(op);
	}
	return rc;
}

int mibc_set(struct mibc_target *target, struct mibc_set *req,
	     const struct mibc_object_desc *object,
	     const uint32_t *index, size_t index_len,
	     const struct mibc_data *value, mibc_set_cb *cb)
{
	int rc = mibc_set_init(req, object, index, index_len, value);
	return rc ? rc : mibc_set_send(target, req, cb);
}

int mibc_set_cancel(struct mibc_set *req)
{
	if (!req || !req->mibc_private_.op)
		return MIBC_E_INVAL;
	struct set_op *op = req->mibc_private_.op;
	if (op->batch)
		return mibc_set_batch_cancel(op->batch);
	return mibc_pdu_cancel(&op->pdu);
}

int mibc_set_many(struct mibc_target *target, struct mibc_set_batch *batch,
		  struct mibc_set *items, size_t n, mibc_set_batch_cb *cb)
{
	if (!target || !batch || !items || n == 0 || !cb)
		return MIBC_E_INVAL;
	for (size_t i = 0; i < n; i++) {
		if (!prepared(&items[i]))
			return MIBC_E_INVAL;
		if (items[i].mibc_private_.op)
			return MIBC_E_BUSY;
	}
	struct set_op *op = op_new(items, n);
	if (!op)
		return MIBC_E_NOMEM;
	op->batch = batch;
	batch->items = items;
	batch->n_items = n;
	batch->status = 1;   /* pending */
	batch->failed = n;
	batch->mibc_private_.cb = cb;
	batch->mibc_private_.op = op;
	for (size_t i = 0; i < n; i++) {
		items[i].status = 1;
		items[i].mibc_private_.op = op;
	}
	int rc = mibc_pdu_send(target, &op->pdu, on_pdu);
	if (rc) {
		batch->status = rc;
		batch->mibc_private_.op = NULL;
		for (size_t i = 0; i < n; i++) {
			items[i].status = rc;
			items[i].mibc_private_.op = NULL;
		}
		free(op);
	}
	return rc;
}

int mibc_set_batch_cancel(struct mibc_set_batch *batch)
{
	if (!batch || !batch->mibc_private_.op)
		return MIBC_E_INVAL;
	struct set_op *op = batch->mibc_private_.op;
	return mibc_pdu_cancel(&op->pdu);
}

/* ---- blocking ------------------------------------------------------------ */

struct set_wait {
	bool done;
	int status;
};

static void on_set_done(struct mibc_set *req, int status)
{
	struct set_wait *w = req->data;
	w->done = true;
	w->status = status;
}

/* The client's loop until `done`, through the public loop API only (fd,
 * timeout, dispatch), as any embedding event loop would run it. */
static int run_until(struct mibc_client *c, const bool *done)
{
	while (!*done) {
		struct pollfd pfd = { .fd = mibc_client_fd(c), .events = POLLIN };
		int rc = poll(&pfd, 1, mibc_client_timeout(c));
		if (rc < 0 && errno != EINTR)
			return MIBC_E_IO;
		rc = mibc_client_dispatch(c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int mibc_set_wait(struct mibc_target *target,
		  const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  const struct mibc_data *value)
{
	if (!target)
		return MIBC_E_INVAL;
	/* on the heap: a request outlives this frame if the loop fails */
	struct mibc_set *req = calloc(1, sizeof(*req));
	if (!req)
		return MIBC_E_NOMEM;
	struct set_wait w = { false, 0 };
	req->data = &w;
	int rc = mibc_set(target, req, object, index, index_len, value,
			  on_set_done);
	if (!rc)
		rc = run_until(mibc_target_client(target), &w.done);
	if (rc && !w.done && req->mibc_private_.op)
		mibc_set_cancel(req);
	free(req);
	return rc ? rc : w.status;
}
