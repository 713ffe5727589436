/* The asynchronous SNMPv1/v2c client: targets, one UDP socket per address
 * family, the request table, timers, retransmission and the loop.
 *
 * Structures:
 * - an `op` is one caller request (a mibc_get or a mibc_batch): its items,
 *   the PDUs in flight for it, the response storage its values live in;
 * - a `pdu` is one GET message in flight for some of an op's items: its
 *   encoded bytes (retransmitted as they are, with the same request-id),
 *   its deadline and tries left;
 * - the client finds a PDU from a response's request-id in O(1) (an
 *   open-addressing hash table over random, unpredictable ids) and keeps
 *   the PDUs' deadlines in a binary heap (O(log n) insert/remove: 100k in
 *   flight are fine).
 * A response counts only from the target's address and port with the
 * request-id, version and community of the PDU; everything else is dropped
 * unread.  SNMPv3 will add its own PDU kind (net-snmp sessions) beside
 * this one: the op/item/callback side does not depend on the wire. */
#include <mibc/mibc.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ber.h"
#include "value.h"

#define MAX_DATAGRAM 65535u
#define READ_BUDGET 8192u         /* datagrams read per dispatch */
#define SOCKET_BUFFER (4 << 20)
/* Datagrams sent between two reads of the sockets at most: more wait in the
 * send queue, so a burst of requests never has more answers coming than
 * the receive buffer holds (10k requests at once would otherwise lose most
 * answers and wait for retransmissions). */
#define SEND_WINDOW 256u

struct pdu;
struct op;

struct mibc_target {
	struct mibc_client *client;
	struct mibc_target *prev, *next;     /* the client's targets */
	struct op *ops;                      /* pending, doubly linked */
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} addr;
	socklen_t addr_len;
	int family;                          /* 0: IPv4, 1: IPv6 */
	int32_t version;
	uint8_t *community;
	size_t community_len;
	unsigned timeout_ms;
	unsigned retries;
	unsigned max_objects;
};

struct store {
	struct store *next;
	struct mibc_value values[];
};

struct op {
	struct mibc_target *target;
	struct op *prev, *next;              /* the target's ops */
	struct pdu *pdus;                    /* in flight */
	struct store *stores;
	struct mibc_get *items;
	size_t n;
	struct mibc_get *single;             /* or */
	struct mibc_batch *batch;
};

struct pdu {
	struct op *op;
	struct pdu *prev, *next;             /* the op's PDUs */
	struct pdu *qprev, *qnext;           /* the send queue */
	bool queued;                         /* in the queue, not in the heap */
	int32_t request_id;
	unsigned tries_left;
	size_t heap_pos;
	uint64_t deadline;                   /* us, CLOCK_MONOTONIC */
	uint8_t *packet;
	size_t packet_len;
	size_t n;
	size_t idx[];                        /* the op's items it asks for */
};

struct mibc_client {
	int epfd;
	int sock[2];                         /* IPv4, IPv6; -1: not yet */
	struct mibc_target *targets;
	size_t n_ops;
	/* request-id -> PDU */
	struct pdu **table;
	size_t table_cap;                    /* power of 2 */
	size_t table_used;
	/* deadlines */
	struct pdu **heap;
	size_t heap_len, heap_cap;
	/* waiting for the send window */
	struct pdu *qhead, *qtail;
	size_t sent;                         /* since the last read */
	/* random request-ids */
	uint32_t rnd[256];
	size_t rnd_left;
	/* scratch */
	uint8_t *buf;                        /* MAX_DATAGRAM + 1 */
	struct ber_varbind *vb;              /* BER_MAX_VARBINDS */
	struct ber_encode_varbind *evb;      /* BER_MAX_VARBINDS */
	uint32_t oid[MIBC_OID_MAX_LEN];
};

/* ---- time, randomness ---- */

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint32_t random_u32(struct mibc_client *c)
{
	if (c->rnd_left == 0) {
		size_t got = 0;
		while (got < sizeof(c->rnd)) {
			ssize_t r = getrandom((uint8_t *)c->rnd + got,
					      sizeof(c->rnd) - got, 0);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				abort(); /* no kernel randomness: nothing sane left */
			}
			got += (size_t)r;
		}
		c->rnd_left = MIBC_N_ELEMENTS(c->rnd);
	}
	return c->rnd[--c->rnd_left];
}

/* ---- request-id table ---- */

static size_t slot_of(const struct mibc_client *c, int32_t id)
{
	return ((uint32_t)id * UINT32_C(2654435761)) & (c->table_cap - 1);
}

static struct pdu *table_find(const struct mibc_client *c, int32_t id)
{
	if (!c->table_cap)
		return NULL;
	for (size_t i = slot_of(c, id);; i = (i + 1) & (c->table_cap - 1)) {
		struct pdu *p = c->table[i];
		if (!p)
			return NULL;
		if (p->request_id == id)
			return p;
	}
}

static void table_put(struct mibc_client *c, struct pdu *p)
{
	size_t i = slot_of(c, p->request_id);
	while (c->table[i])
		i = (i + 1) & (c->table_cap - 1);
	c->table[i] = p;
	c->table_used++;
}

static int table_grow(struct mibc_client *c)
{
	if ((c->table_used + 1) * 2 <= c->table_cap)
		return 0;
	size_t old_cap = c->table_cap;
	struct pdu **old = c->table;
	size_t cap = old_cap ? old_cap * 2 : 64;
	struct pdu **t = calloc(cap, sizeof(*t));
	if (!t)
		return MIBC_E_NOMEM;
	c->table = t;
	c->table_cap = cap;
	c->table_used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			table_put(c, old[i]);
	free(old);
	return 0;
}

static void table_remove(struct mibc_client *c, const struct pdu *p)
{
	size_t mask = c->table_cap - 1;
	size_t i = slot_of(c, p->request_id);
	while (c->table[i] != p)
		i = (i + 1) & mask;
	/* backward-shift deletion */
	size_t j = i;
	for (;;) {
		c->table[i] = NULL;
		for (;;) {
			j = (j + 1) & mask;
			if (!c->table[j]) {
				c->table_used--;
				return;
			}
			size_t k = slot_of(c, c->table[j]->request_id);
			/* move j to i when k is cyclically outside (i, j] */
			if (i <= j ? (i >= k || k > j) : (i >= k && k > j))
				break;
		}
		c->table[i] = c->table[j];
		i = j;
	}
}

/* ---- deadline heap ---- */

static void heap_set(struct mibc_client *c, size_t i, struct pdu *p)
{
	c->heap[i] = p;
	p->heap_pos = i;
}

static void heap_up(struct mibc_client *c, size_t i)
{
	struct pdu *p = c->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (c->heap[parent]->deadline <= p->deadline)
			break;
		heap_set(c, i, c->heap[parent]);
		i = parent;
	}
	heap_set(c, i, p);
}

static void heap_down(struct mibc_client *c, size_t i)
{
	struct pdu *p = c->heap[i];
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		uint64_t best = p->deadline;
		if (l < c->heap_len && c->heap[l]->deadline < best)
			m = l, best = c->heap[l]->deadline;
		if (l + 1 < c->heap_len && c->heap[l + 1]->deadline < best)
			m = l + 1;
		if (m == i)
			break;
		heap_set(c, i, c->heap[m]);
		i = m;
	}
	heap_set(c, i, p);
}

static int heap_reserve(struct mibc_client *c)
{
	/* room for every PDU (queued ones enter the heap later) */
	if (c->table_used < c->heap_cap)
		return 0;
	size_t cap = c->heap_cap ? c->heap_cap * 2 : 64;
	struct pdu **h = realloc(c->heap, cap * sizeof(*h));
	if (!h)
		return MIBC_E_NOMEM;
	c->heap = h;
	c->heap_cap = cap;
	return 0;
}

static void heap_push(struct mibc_client *c, struct pdu *p)
{
	c->heap[c->heap_len] = p;
	p->heap_pos = c->heap_len++;
	heap_up(c, p->heap_pos);
}

static void heap_remove(struct mibc_client *c, struct pdu *p)
{
	size_t i = p->heap_pos;
	struct pdu *last = c->heap[--c->heap_len];
	if (last == p)
		return;
	heap_set(c, i, last);
	heap_up(c, i);
	heap_down(c, last->heap_pos);
}

/* ---- PDUs ---- */

static void queue_remove(struct mibc_client *c, struct pdu *p)
{
	if (p->qprev)
		p->qprev->qnext = p->qnext;
	else
		c->qhead = p->qnext;
	if (p->qnext)
		p->qnext->qprev = p->qprev;
	else
		c->qtail = p->qprev;
	p->queued = false;
}

static void queue_append(struct mibc_client *c, struct pdu *p)
{
	p->queued = true;
	p->qnext = NULL;
	p->qprev = c->qtail;
	if (c->qtail)
		c->qtail->qnext = p;
	else
		c->qhead = p;
	c->qtail = p;
}

static void pdu_unlink_free(struct mibc_client *c, struct pdu *p)
{
	table_remove(c, p);
	if (p->queued)
		queue_remove(c, p);
	else
		heap_remove(c, p);
	struct op *op = p->op;
	if (p->prev)
		p->prev->next = p->next;
	else
		op->pdus = p->next;
	if (p->next)
		p->next->prev = p->prev;
	free(p->packet);
	free(p);
}

static void send_pdu(struct mibc_client *c, const struct pdu *p)
{
	const struct mibc_target *t = p->op->target;
	c->sent++;
	/* a full socket buffer or a transient error loses the datagram:
	 * the retransmission timer covers it like any loss */
	(void)!sendto(c->sock[t->family], p->packet, p->packet_len,
		      MSG_DONTWAIT | MSG_NOSIGNAL, &t->addr.sa, t->addr_len);
}

static void op_finish_pdu(struct mibc_client *c, struct op *op);

/* A GET PDU for items idx[0..n) of `op`: encode, register, send.  When the
 * message does not fit in a datagram, halves.  On failure nothing is
 * registered. */
static int pdu_start(struct mibc_client *c, struct op *op, const size_t *idx,
		     size_t n)
{
	const struct mibc_target *t = op->target;
	if (n > t->max_objects) {
		size_t h = n / 2;
		int rc = pdu_start(c, op, idx, h);
		if (rc)
			return rc;
		return pdu_start(c, op, idx + h, n - h);
	}
	int rc = table_grow(c);
	if (!rc)
		rc = heap_reserve(c);
	if (rc)
		return rc;
	int32_t id;
	do
		id = (int32_t)(random_u32(c) & 0x7fffffffu);
	while (id == 0 || table_find(c, id));
	for (size_t i = 0; i < n; i++) {
		const struct mibc_get *it = &op->items[idx[i]];
		c->evb[i] = (struct ber_encode_varbind){
			.oid = it->oid, .oid_len = it->oid_len,
			.value = { .type = BER_NULL } };
	}
	struct ber_request rq = {
		.version = t->version,
		.community = t->community, .community_len = t->community_len,
		.pdu_type = BER_PDU_GET, .request_id = id,
		.vb = c->evb, .n_vb = n,
	};
	size_t len;
	rc = ber_encode(&rq, c->buf, MAX_DATAGRAM, &len);
	if (rc == BER_E_NOSPACE || rc == BER_E_TOO_BIG) {
		if (n < 2)
			return MIBC_E_TOO_BIG;
		size_t h = n / 2;
		/* idx may point into c->evb-independent storage: copy first */
		rc = pdu_start(c, op, idx, h);
		if (rc)
			return rc;
		return pdu_start(c, op, idx + h, n - h);
	}
	if (rc)
		return MIBC_E_INVAL;
	struct pdu *p = malloc(sizeof(*p) + n * sizeof(p->idx[0]));
	uint8_t *packet = malloc(len);
	if (!p || !packet) {
		free(p);
		free(packet);
		return MIBC_E_NOMEM;
	}
	memcpy(packet, c->buf, len);
	p->op = op;
	p->request_id = id;
	p->tries_left = t->retries;
	p->packet = packet;
	p->packet_len = len;
	p->n = n;
	memcpy(p->idx, idx, n * sizeof(idx[0]));
	p->deadline = now_us() + (uint64_t)t->timeout_ms * 1000u;
	p->prev = NULL;
	p->next = op->pdus;
	if (op->pdus)
		op->pdus->prev = p;
	op->pdus = p;
	table_put(c, p);
	if (c->sent >= SEND_WINDOW) {
		queue_append(c, p);
		return 0;
	}
	p->queued = false;
	heap_push(c, p);
	send_pdu(c, p);
	return 0;
}

/* ---- ops ---- */

static void op_link(struct op *op)
{
	struct mibc_target *t = op->target;
	op->prev = NULL;
	op->next = t->ops;
	if (t->ops)
		t->ops->prev = op;
	t->ops = op;
	t->client->n_ops++;
}

static void op_unlink(struct op *op)
{
	struct mibc_target *t = op->target;
	if (op->prev)
		op->prev->next = op->next;
	else
		t->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	t->client->n_ops--;
}

static void set_item(struct mibc_get *it, int status, const struct mibc_value *v)
{
	it->status = status;
	it->value = v;
}

/* Every item has its outcome: unlink, call back, free. */
static void op_complete(struct op *op)
{
	op_unlink(op);
	if (op->single) {
		struct mibc_get *req = op->single;
		mibc_get_cb *cb = req->mibc_private_.cb;
		req->mibc_private_.op = NULL;
		cb(req, req->status, req->value);
	} else {
		struct mibc_batch *b = op->batch;
		mibc_batch_cb *cb = b->mibc_private_.cb;
		b->mibc_private_.op = NULL;
		cb(b);
	}
	for (size_t i = 0; i < op->n; i++)
		op->items[i].value = NULL;
	struct store *s = op->stores;
	while (s) {
		struct store *next = s->next;
		free(s);
		s = next;
	}
	free(op);
}

static void op_finish_pdu(struct mibc_client *c, struct op *op)
{
	(void)c;
	if (!op->pdus)
		op_complete(op);
}

/* Complete every item without an outcome with `status`, drop the PDUs. */
static void op_abort(struct mibc_client *c, struct op *op, int status)
{
	while (op->pdus)
		pdu_unlink_free(c, op->pdus);
	for (size_t i = 0; i < op->n; i++)
		if (op->items[i].status > 0)
			set_item(&op->items[i], status, NULL);
	op_complete(op);
}

static struct op *op_new(struct mibc_target *t, struct mibc_get *items, size_t n)
{
	struct op *op = calloc(1, sizeof(*op));
	if (!op)
		return NULL;
	op->target = t;
	op->items = items;
	op->n = n;
	for (size_t i = 0; i < n; i++) {
		items[i].status = 1; /* pending */
		items[i].value = NULL;
	}
	return op;
}

/* Send the op's items in PDUs; on failure nothing stays registered. */
static int op_start(struct mibc_client *c, struct op *op)
{
	size_t stack_idx[64] = { 0 };
	size_t *idx = op->n <= 64 ? stack_idx : malloc(op->n * sizeof(*idx));
	if (!idx)
		return MIBC_E_NOMEM;
	for (size_t i = 0; i < op->n; i++)
		idx[i] = i;
	int rc = pdu_start(c, op, idx, op->n);
	if (idx != stack_idx)
		free(idx);
	if (rc) {
		while (op->pdus)
			pdu_unlink_free(c, op->pdus);
		return rc;
	}
	op_link(op);
	return 0;
}

/* ---- public: requests ---- */

int mibc_get_init(struct mibc_get *req, const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len)
{
	if (!req || !object || (!index && index_len))
		return MIBC_E_INVAL;
	if (object->module && !mibc_module_abi_ok(object->module))
		return MIBC_E_ABI;
	if (object->kind != MIBC_KIND_SCALAR && object->kind != MIBC_KIND_COLUMN)
		return MIBC_E_NOT_READABLE;
	switch (object->access) {
	case MIBC_ACCESS_NOT_IMPLEMENTED:
	case MIBC_ACCESS_NOT_ACCESSIBLE:
	case MIBC_ACCESS_NOTIFY:
	case MIBC_ACCESS_WRITE_ONLY:
		return MIBC_E_NOT_READABLE;
	default:
		break;
	}
	if (!object->oid || object->oid_len < 2 || index_len == 0
	    || index_len > MIBC_OID_MAX_LEN
	    || object->oid_len > MIBC_OID_MAX_LEN - index_len)
		return MIBC_E_INDEX;
	req->object = object;
	memcpy(req->oid, object->oid, object->oid_len * sizeof(uint32_t));
	memcpy(req->oid + object->oid_len, index, index_len * sizeof(uint32_t));
	req->oid_len = object->oid_len + index_len;
	req->status = 0;
	req->value = NULL;
	req->mibc_private_.cb = NULL;
	req->mibc_private_.op = NULL;
	return 0;
}

int mibc_get(struct mibc_target *target, struct mibc_get *req,
	     const struct mibc_object_desc *object,
	     const uint32_t *index, size_t index_len, mibc_get_cb *cb)
{
	if (!target || !req || !cb)
		return MIBC_E_INVAL;
	int rc = mibc_get_init(req, object, index, index_len);
	if (rc)
		return rc;
	struct op *op = op_new(target, req, 1);
	if (!op)
		return MIBC_E_NOMEM;
	op->single = req;
	req->mibc_private_.cb = cb;
	req->mibc_private_.op = op;
	rc = op_start(target->client, op);
	if (rc) {
		req->mibc_private_.op = NULL;
		req->status = rc;
		free(op);
	}
	return rc;
}

int mibc_get_many(struct mibc_target *target, struct mibc_batch *batch,
		  struct mibc_get *items, size_t n, mibc_batch_cb *cb)
{
	if (!target || !batch || !cb || (!items && n))
		return MIBC_E_INVAL;
	for (size_t i = 0; i < n; i++)
		if (!items[i].object || items[i].oid_len < 2
		    || items[i].oid_len > MIBC_OID_MAX_LEN)
			return MIBC_E_INVAL;
	batch->items = items;
	batch->n_items = n;
	struct op *op = op_new(target, items, n);
	if (!op)
		return MIBC_E_NOMEM;
	op->batch = batch;
	batch->mibc_private_.cb = cb;
	batch->mibc_private_.op = op;
	if (n == 0) {
		/* nothing to ask: complete at once (still exactly once) */
		op_link(op);
		op_complete(op);
		return 0;
	}
	int rc = op_start(target->client, op);
	if (rc) {
		batch->mibc_private_.op = NULL;
		free(op);
	}
	return rc;
}

int mibc_get_cancel(struct mibc_get *req)
{
	if (!req || !req->mibc_private_.op)
		return MIBC_E_INVAL;
	struct op *op = req->mibc_private_.op;
	op_abort(op->target->client, op, MIBC_E_CANCELED);
	return 0;
}

int mibc_batch_cancel(struct mibc_batch *batch)
{
	if (!batch || !batch->mibc_private_.op)
		return MIBC_E_INVAL;
	struct op *op = batch->mibc_private_.op;
	op_abort(op->target->client, op, MIBC_E_CANCELED);
	return 0;
}

/* ---- responses ---- */

static int error_status_code(int32_t status)
{
	switch (status) {
	case 1:
		return MIBC_E_TOO_BIG;
	case 2:
		return MIBC_E_NO_SUCH_NAME;
	case 3:
		return MIBC_E_BAD_VALUE;
	case 4:
		return MIBC_E_READ_ONLY;
	case 5:
		return MIBC_E_GEN_ERR;
	default:
		return MIBC_E_SNMP_ERROR;
	}
}

static bool same_source(const struct mibc_target *t, const struct sockaddr *sa,
			socklen_t len)
{
	if (sa->sa_family != t->addr.sa.sa_family)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return len >= sizeof(*in) && in->sin_port == t->addr.in.sin_port
		       && in->sin_addr.s_addr == t->addr.in.sin_addr.s_addr;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
	return len >= sizeof(*in6) && in6->sin6_port == t->addr.in6.sin6_port
	       && memcmp(&in6->sin6_addr, &t->addr.in6.sin6_addr, 16) == 0;
}

/* Retry items idx[0..n) of `p`'s op in new PDUs; on failure they get `rc`. */
static void retry_items(struct mibc_client *c, struct op *op, const size_t *idx,
			size_t n)
{
	if (n == 0)
		return;
	int rc = pdu_start(c, op, idx, n);
	if (rc)
		for (size_t i = 0; i < n; i++)
			if (op->items[idx[i]].status > 0)
				set_item(&op->items[idx[i]], rc, NULL);
}

static void handle_values(struct mibc_client *c, struct pdu *p,
			  const struct ber_message *m)
{
	struct op *op = p->op;
	if (m->n_vb != p->n) {
		for (size_t i = 0; i < p->n; i++)
			set_item(&op->items[p->idx[i]], MIBC_E_DECODE, NULL);
		return;
	}
	size_t extra = 0;
	for (size_t i = 0; i < p->n; i++)
		extra += value_storage(&m->vb[i]);
	size_t head = VALUE_ALIGN(sizeof(struct store) + p->n * sizeof(struct mibc_value));
	struct store *s = malloc(head + extra);
	if (!s) {
		for (size_t i = 0; i < p->n; i++)
			set_item(&op->items[p->idx[i]], MIBC_E_NOMEM, NULL);
		return;
	}
	s->next = op->stores;
	op->stores = s;
	unsigned char *store = (unsigned char *)s + head;
	for (size_t i = 0; i < p->n; i++) {
		struct mibc_get *it = &op->items[p->idx[i]];
		const struct ber_varbind *vb = &m->vb[i];
		int n = ber_oid_decode(vb->oid, vb->oid_len, c->oid, MIBC_OID_MAX_LEN);
		if (n < 0 || (size_t)n != it->oid_len
		    || memcmp(c->oid, it->oid, it->oid_len * sizeof(uint32_t))) {
			set_item(it, MIBC_E_DECODE, NULL);
			continue;
		}
		struct mibc_value *v = &s->values[i];
		value_from_varbind(v, vb, it->object, store);
		store += value_storage(vb);
		set_item(it, v->check, v);
	}
}

static void handle_response(struct mibc_client *c, struct pdu *p,
			    const struct ber_message *m)
{
	struct op *op = p->op;
	/* take the PDU out of the tables first: what follows may start new
	 * PDUs for the same op (and the hash may grow) */
	size_t n = p->n;
	size_t stack_idx[64] = { 0 };
	size_t *idx = n <= 64 ? stack_idx : malloc(n * sizeof(*idx));
	if (!idx) {
		op_abort(c, op, MIBC_E_NOMEM);
		return;
	}
	memcpy(idx, p->idx, n * sizeof(*idx));
	if (m->error_status == 0) {
		handle_values(c, p, m);
		pdu_unlink_free(c, p);
	} else {
		int err = error_status_code(m->error_status);
		int32_t ei = m->error_index;
		pdu_unlink_free(c, p);
		if (err == MIBC_E_TOO_BIG && n > 1) {
			retry_items(c, op, idx, n / 2);
			retry_items(c, op, idx + n / 2, n - n / 2);
		} else if (err == MIBC_E_NO_SUCH_NAME && n > 1) {
			if (ei >= 1 && (size_t)ei <= n) {
				/* the one object the agent named; ask again
				 * for the others */
				set_item(&op->items[idx[ei - 1]], err, NULL);
				memmove(idx + ei - 1, idx + ei, (n - (size_t)ei) * sizeof(*idx));
				retry_items(c, op, idx, n - 1);
			} else {
				retry_items(c, op, idx, n / 2);
				retry_items(c, op, idx + n / 2, n - n / 2);
			}
		} else {
			for (size_t i = 0; i < n; i++)
				set_item(&op->items[idx[i]], err, NULL);
		}
	}
	if (idx != stack_idx)
		free(idx);
	op_finish_pdu(c, op);
}

static void handle_datagram(struct mibc_client *c, const uint8_t *buf,
			    size_t len, const struct sockaddr *from,
			    socklen_t from_len)
{
	struct ber_message m;
	if (ber_decode(buf, len, &m, c->vb, BER_MAX_VARBINDS) != 0)
		return;
	if (m.pdu_type != BER_PDU_RESPONSE)
		return;
	struct pdu *p = table_find(c, m.request_id);
	if (!p)
		return; /* unknown, or a duplicate of one already answered */
	const struct mibc_target *t = p->op->target;
	if (!same_source(t, from, from_len) || m.version != t->version
	    || m.community_len != t->community_len
	    || (t->community_len && memcmp(m.community, t->community, t->community_len)))
		return;
	handle_response(c, p, &m);
}

/* ---- the loop ---- */

static void read_socket(struct mibc_client *c, int fd, size_t *budget)
{
	while (*budget > 0) {
		union {
			struct sockaddr sa;
			struct sockaddr_storage ss;
		} from;
		socklen_t from_len = sizeof(from);
		ssize_t r = recvfrom(fd, c->buf, MAX_DATAGRAM + 1,
				     MSG_DONTWAIT | MSG_TRUNC, &from.sa, &from_len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return; /* EAGAIN, or an ICMP error: nothing to read */
		}
		(*budget)--;
		if ((size_t)r > MAX_DATAGRAM)
			continue; /* truncated: not a valid SNMP message */
		handle_datagram(c, c->buf, (size_t)r, &from.sa, from_len);
	}
}

static void expire(struct mibc_client *c)
{
	uint64_t now = now_us();
	while (c->heap_len && c->heap[0]->deadline <= now) {
		struct pdu *p = c->heap[0];
		if (p->tries_left > 0) {
			p->tries_left--;
			if (c->sent >= SEND_WINDOW) {
				heap_remove(c, p);
				queue_append(c, p);
				continue;
			}
			p->deadline = now + (uint64_t)p->op->target->timeout_ms * 1000u;
			heap_down(c, 0);
			send_pdu(c, p);
			continue;
		}
		struct op *op = p->op;
		for (size_t i = 0; i < p->n; i++)
			set_item(&op->items[p->idx[i]], MIBC_E_TIMEOUT, NULL);
		pdu_unlink_free(c, p);
		op_finish_pdu(c, op);
	}
}

int mibc_client_dispatch(struct mibc_client *c)
{
	if (!c)
		return MIBC_E_INVAL;
	size_t budget = READ_BUDGET;
	for (int f = 0; f < 2; f++)
		if (c->sock[f] >= 0)
			read_socket(c, c->sock[f], &budget);
	c->sent = 0;
	/* the queue first: its PDUs waited longer than any retransmission */
	uint64_t now = now_us();
	while (c->qhead && c->sent < SEND_WINDOW) {
		struct pdu *p = c->qhead;
		queue_remove(c, p);
		p->deadline = now + (uint64_t)p->op->target->timeout_ms * 1000u;
		heap_push(c, p);
		send_pdu(c, p);
	}
	expire(c);
	return 0;
}

int mibc_client_fd(const struct mibc_client *c)
{
	return c ? c->epfd : MIBC_E_INVAL;
}

int mibc_client_timeout(const struct mibc_client *c)
{
	if (!c)
		return -1;
	if (c->qhead)
		return 0;
	if (!c->heap_len)
		return -1;
	uint64_t now = now_us(), d = c->heap[0]->deadline;
	if (d <= now)
		return 0;
	uint64_t ms = (d - now + 999u) / 1000u;
	return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

size_t mibc_client_pending(const struct mibc_client *c)
{
	return c ? c->n_ops : 0;
}

static int run_until(struct mibc_client *c, const bool *done)
{
	while (!(done ? *done : c->n_ops == 0)) {
		struct epoll_event ev[2];
		int r = epoll_wait(c->epfd, ev, 2, mibc_client_timeout(c));
		if (r < 0 && errno != EINTR)
			return MIBC_E_IO;
		mibc_client_dispatch(c);
	}
	return 0;
}

int mibc_client_run(struct mibc_client *c)
{
	if (!c)
		return MIBC_E_INVAL;
	return run_until(c, NULL);
}

struct wait_state {
	bool done;
	int status;
	struct mibc_value *value;
};

static void wait_cb(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct wait_state *w = req->data;
	w->done = true;
	w->status = status;
	if (value) {
		w->value = mibc_value_dup(value);
		if (!w->value)
			w->status = MIBC_E_NOMEM;
	}
}

int mibc_get_wait(struct mibc_target *target,
		  const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  struct mibc_value **value)
{
	if (value)
		*value = NULL;
	struct mibc_get *req = malloc(sizeof(*req));
	if (!req)
		return MIBC_E_NOMEM;
	struct wait_state w = { false, 0, NULL };
	req->data = &w;
	int rc = mibc_get(target, req, object, index, index_len, wait_cb);
	if (!rc)
		rc = run_until(target->client, &w.done);
	if (rc) {
		if (w.done || !req->mibc_private_.op) {
			free(req);
		} else {
			mibc_get_cancel(req);
			free(req);
		}
		mibc_value_free(w.value);
		return rc;
	}
	free(req);
	if (value)
		*value = w.value;
	else
		mibc_value_free(w.value);
	return w.status;
}

/* ---- clients and targets ---- */

void mibc_target_config_init(struct mibc_target_config *config)
{
	if (!config)
		return;
	memset(config, 0, sizeof(*config));
	config->port = 161;
	config->version = MIBC_VERSION_2C;
	config->community = "public";
	config->timeout_ms = 1000;
	config->retries = 1;
	config->max_objects = 32;
}

int mibc_client_new(struct mibc_client **out)
{
	if (!out)
		return MIBC_E_INVAL;
	*out = NULL;
	struct mibc_client *c = calloc(1, sizeof(*c));
	if (!c)
		return MIBC_E_NOMEM;
	c->sock[0] = c->sock[1] = -1;
	c->buf = malloc(MAX_DATAGRAM + 1);
	c->vb = malloc(BER_MAX_VARBINDS * sizeof(*c->vb));
	c->evb = malloc(BER_MAX_VARBINDS * sizeof(*c->evb));
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!c->buf || !c->vb || !c->evb || c->epfd < 0) {
		int rc = c->epfd < 0 ? MIBC_E_IO : MIBC_E_NOMEM;
		if (c->epfd >= 0)
			close(c->epfd);
		free(c->buf);
		free(c->vb);
		free(c->evb);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int open_socket(struct mibc_client *c, int family)
{
	int f = family == AF_INET ? 0 : 1;
	if (c->sock[f] >= 0)
		return 0;
	int s = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return MIBC_E_IO;
	int one = 1, size = SOCKET_BUFFER;
	if (family == AF_INET6)
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s };
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, s, &ev) < 0) {
		close(s);
		return MIBC_E_IO;
	}
	c->sock[f] = s;
	return 0;
}

int mibc_target_new(struct mibc_client *c, const struct mibc_target_config *cfg,
		    struct mibc_target **out)
{
	if (!out)
		return MIBC_E_INVAL;
	*out = NULL;
	if (!c || !cfg || !cfg->address || cfg->timeout_ms == 0)
		return MIBC_E_INVAL;
	if (cfg->version == MIBC_VERSION_3)
		return MIBC_E_UNSUPPORTED;
	if (cfg->version != MIBC_VERSION_1 && cfg->version != MIBC_VERSION_2C)
		return MIBC_E_INVAL;
	const char *community = cfg->community ? cfg->community : "";
	size_t clen = strlen(community);
	if (clen > 255)
		return MIBC_E_INVAL;
	struct mibc_target *t = calloc(1, sizeof(*t));
	if (!t)
		return MIBC_E_NOMEM;
	if (inet_pton(AF_INET, cfg->address, &t->addr.in.sin_addr) == 1) {
		t->addr.in.sin_family = AF_INET;
		t->addr.in.sin_port = htons(cfg->port);
		t->addr_len = sizeof(t->addr.in);
		t->family = 0;
	} else if (inet_pton(AF_INET6, cfg->address, &t->addr.in6.sin6_addr) == 1) {
		t->addr.in6.sin6_family = AF_INET6;
		t->addr.in6.sin6_port = htons(cfg->port);
		t->addr_len = sizeof(t->addr.in6);
		t->family = 1;
	} else {
		free(t);
		return MIBC_E_ADDRESS;
	}
	int rc = open_socket(c, t->family ? AF_INET6 : AF_INET);
	if (rc) {
		free(t);
		return rc;
	}
	t->community = malloc(clen + 1);
	if (!t->community) {
		free(t);
		return MIBC_E_NOMEM;
	}
	memcpy(t->community, community, clen + 1);
	t->community_len = clen;
	t->client = c;
	t->version = cfg->version == MIBC_VERSION_1 ? BER_VERSION_1 : BER_VERSION_2C;
	t->timeout_ms = cfg->timeout_ms;
	t->retries = cfg->retries;
	t->max_objects = cfg->max_objects ? cfg->max_objects : 32;
	if (t->max_objects > BER_MAX_VARBINDS)
		t->max_objects = BER_MAX_VARBINDS;
	t->next = c->targets;
	if (c->targets)
		c->targets->prev = t;
	c->targets = t;
	*out = t;
	return 0;
}

struct mibc_client *mibc_target_client(const struct mibc_target *t)
{
	return t ? t->client : NULL;
}

void mibc_target_free(struct mibc_target *t)
{
	if (!t)
		return;
	struct mibc_client *c = t->client;
	while (t->ops)
		op_abort(c, t->ops, MIBC_E_CANCELED);
	if (t->prev)
		t->prev->next = t->next;
	else
		c->targets = t->next;
	if (t->next)
		t->next->prev = t->prev;
	/* the community leaves no copy behind */
	memset(t->community, 0, t->community_len);
	free(t->community);
	free(t);
}

void mibc_client_free(struct mibc_client *c)
{
	if (!c)
		return;
	while (c->targets)
		mibc_target_free(c->targets);
	for (int f = 0; f < 2; f++)
		if (c->sock[f] >= 0)
			close(c->sock[f]);
	close(c->epfd);
	free(c->table);
	free(c->heap);
	free(c->buf);
	free(c->vb);
	free(c->evb);
	free(c);
}
