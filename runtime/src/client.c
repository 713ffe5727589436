/* The asynchronous SNMPv1/v2c client: targets, one UDP socket per address
 * family, the request table, timers, retransmission and the loop.
 *
 * Structures:
 * - an `op` is one caller request (a mibc_get, a mibc_batch, or a raw
 *   mibc_pdu whose whole response is handed back): its items, the PDUs in
 *   flight for it, the response storage its values live in;
 * - a `pdu` is one GET message in flight for some of an op's items: its
 *   encoded bytes (retransmitted as they are, with the same request-id),
 *   its deadline and tries left;
 * - the client finds a PDU from a response's request-id in O(1) (an
 *   open-addressing hash table over random, unpredictable ids) and keeps
 *   the PDUs' deadlines in a binary heap (O(log n) insert/remove: 100k in
 *   flight are fine).
 * A response counts only from the target's address and port with the
 * request-id and community of the PDU; everything else is dropped unread.
 * One in another version ends the PDU with MIBC_E_VERSION; a malformed one
 * whose head matches is remembered (note_malformed).  SNMPv3 targets send
 * through net-snmp sessions instead (below): the op/item/callback side
 * does not depend on the wire. */
#include <mibc/mibc.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ber.h"
#include "getresp.h"
#include "value.h"
#include "walk-hints.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#define MAX_DATAGRAM 65535u
#define READ_BUDGET 8192u         /* datagrams read per dispatch */
#define SOCKET_BUFFER (4 << 20)
/* Datagrams sent between two reads of the sockets at most: more wait in the
 * send queue, so a burst of requests never has more answers coming than
 * the receive buffer holds (10k requests at once would otherwise lose most
 * answers and wait for retransmissions). */
#define SEND_WINDOW 256u
#define OUTBOX 64u                /* datagrams per sendmmsg */
/* Datagrams per recvmmsg: each slot takes a whole datagram, so the slots
 * are 1 MiB of address space, but only the pages datagrams reach are ever
 * touched (malloc maps a block this size from the kernel on demand). */
#define RECV_BATCH 16u
/* Spare ops and one-item SNMPv3 requests kept for reuse, so a loop keeping
 * requests in flight stops calling malloc for them: with net-snmp's 64 KiB
 * receive buffers, malloc'd and freed per read, making glibc consolidate
 * its fast bins, each small malloc took its slow path (v3 bench: ~0.3 us
 * of libc per request more than net-snmp's own loop). */
#define SPARES 64u

struct pdu;
struct op;
struct v3_req;
struct v3_target;
struct v3_client;

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
	struct v3_target *v3;                /* SNMPv3 (net-snmp), or NULL */
	struct walk_hints walk_hints;        /* walk.c's, per agent */
};

struct walk_hints *target_walk_hints(struct mibc_target *target)
{
	return &target->walk_hints;
}

struct store {
	struct store *next;
	struct mibc_value values[];
};

/* 104 bytes on LP64 (a one-object GET in flight costs its op, one PDU
 * with its packet and its slots in the request table and the heap). */
struct op {
	struct mibc_target *target;
	struct op *prev, *next;              /* the target's ops */
	struct pdu *pdus;                    /* in flight */
	struct store *stores;
	struct mibc_get *items;              /* a single GET: the mibc_get */
	struct mibc_batch *batch;            /* or a batch */
	struct mibc_pdu *raw;                /* or one PDU, the whole response */
	void *v3_raw;                        /* raw, SNMPv3: the netsnmp_pdu to send */
	struct v3_req *v3reqs;               /* SNMPv3 requests in flight */
	uint32_t n;                          /* items */
	bool v3_waiting;                     /* for the engine ID discovery */
	bool v3_done;                        /* in the client's done list */
	struct op *dprev, *dnext;
};

/* One allocation: the struct (64 bytes on LP64), idx[n], then the
 * packet's bytes: a one-object GET takes 120 bytes of heap. */
struct pdu {
	struct op *op;
	struct pdu *prev, *next;             /* the op's PDUs */
	struct pdu *qprev, *qnext;           /* the send queue */
	uint64_t deadline;                   /* us, CLOCK_MONOTONIC */
	uint32_t heap_pos;
	int32_t request_id;
	unsigned tries_left;
	uint32_t packet_len : 17;            /* <= MAX_DATAGRAM */
	uint32_t n : 11;                     /* <= BER_MAX_VARBINDS (max_objects) */
	uint32_t queued : 1;                 /* in the queue, not in the heap */
	uint32_t in_outbox : 1;              /* in c->outbox, not yet sent */
	uint32_t malformed : 1;              /* a malformed answer came: see note_malformed */
	size_t idx[];                        /* the op's items it asks for */
};
_Static_assert(BER_MAX_VARBINDS < 2048 && MAX_DATAGRAM < 131072,
	       "struct pdu's bit-fields hold a PDU's item count and length");

static const uint8_t *pdu_packet(const struct pdu *p)
{
	return (const uint8_t *)(p->idx + p->n);
}

struct mibc_client {
	int epfd;
	int sock[2];                         /* IPv4, IPv6; -1: not yet */
	bool no_gso[2];                      /* UDP_SEGMENT refused */
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
	/* Datagrams sent from inside mibc_client_dispatch() (callbacks
	 * starting requests, retransmissions) wait here and leave in one
	 * sendmmsg() per socket at its end (the first one at once, see
	 * send_pdu): one system call per batch instead of one per request. */
	unsigned dispatching;                /* depth of dispatch calls */
	bool first_out;                      /* no datagram sent yet this dispatch */
	size_t n_outbox;
	struct pdu *outbox[OUTBOX];
	/* random request-ids */
	uint32_t rnd[256];
	size_t rnd_left;
	/* scratch */
	uint8_t *buf;                        /* MAX_DATAGRAM + 1 */
	uint8_t *rbuf;                       /* RECV_BATCH slots of MAX_DATAGRAM + 1, or NULL */
	struct ber_varbind *vb;              /* BER_MAX_VARBINDS */
	struct ber_encode_varbind *evb;      /* BER_MAX_VARBINDS */
	uint32_t oid[MIBC_OID_MAX_LEN];
	/* The fast path's values (fast_response): the values of a response
	 * that completes its op live here while its callback runs, so the
	 * common GET needs no allocation; grown on demand. */
	struct mibc_value *fvalues;
	size_t fvalues_cap;
	unsigned char *fstore;               /* their octets and OIDs */
	size_t fstore_cap;
	bool fast_busy;                      /* a callback holds them */
	struct op *spare_ops;                /* SPARES at most, linked by next */
	unsigned n_spare_ops;
	struct v3_client *v3;                /* NULL until an SNMPv3 target */
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

static void outbox_flush(struct mibc_client *c);

static void pdu_unlink_free(struct mibc_client *c, struct pdu *p)
{
	if (p->in_outbox)
		outbox_flush(c);
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
	free(p);
}

/* Datagrams of one length to one agent leave as one UDP_SEGMENT (GSO)
 * message: the kernel routes, builds and passes on one buffer and splits
 * it into the same datagrams only at the end (the device, or on loopback
 * the receiving socket), instead of doing all that per datagram: at 100
 * GETs in flight to one agent, 30 % less CPU per request.  The agent sees
 * the same datagrams.  Within the kernel's bounds (segments per message,
 * bytes per message) and below the smallest IPv6 MTU, so that no path
 * refuses a segment for its size; if one refuses anyway (no GSO in the
 * kernel, IPsec, a device without checksum offload), that socket sends one
 * datagram per message from then on. */
#define GSO_SEGMENTS_MAX 64u
#define GSO_BYTES_MAX 65000u
#define GSO_SEGMENT_MAX 1232u   /* 1280 - IPv6 and UDP headers */

/* The messages of one sendmmsg(). */
struct outgoing {
	struct mmsghdr msgs[OUTBOX];
	struct iovec iov[OUTBOX];            /* one per PDU */
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl[OUTBOX];
	unsigned first_pdu[OUTBOX + 1];      /* message i: PDUs first_pdu[i].. */
	unsigned n;
};

/* Messages for pdus[from..n_pdus), which are reordered so that each
 * message's PDUs are adjacent: with `gso`, a PDU takes along the later
 * ones to its target with its length. */
static void build_messages(struct outgoing *out, struct pdu **pdus,
			   size_t from, size_t n_pdus, bool gso)
{
	bool taken[OUTBOX] = { false };
	struct pdu *grouped[OUTBOX];
	unsigned g = (unsigned)from;
	out->n = 0;
	for (size_t i = from; i < n_pdus; i++) {
		if (taken[i])
			continue;
		struct pdu *p = pdus[i];
		const struct mibc_target *t = p->op->target;
		unsigned first = g;
		grouped[g++] = p;
		bool may_group = gso && p->packet_len <= GSO_SEGMENT_MAX;
		for (size_t j = i + 1; may_group && j < n_pdus; j++) {
			if (taken[j] || pdus[j]->op->target != t ||
			    pdus[j]->packet_len != p->packet_len)
				continue;
			if (g - first == GSO_SEGMENTS_MAX ||
			    (g - first + 1) * p->packet_len > GSO_BYTES_MAX)
				break;
			taken[j] = true;
			grouped[g++] = pdus[j];
		}
		unsigned segs = g - first;
		for (unsigned q = first; q < g; q++)
			out->iov[q] = (struct iovec){
				(void *)(uintptr_t)pdu_packet(grouped[q]),
				grouped[q]->packet_len };
		struct msghdr *h = &out->msgs[out->n].msg_hdr;
		*h = (struct msghdr){
			.msg_name = (void *)(uintptr_t)&t->addr.sa,
			.msg_namelen = t->addr_len,
			.msg_iov = &out->iov[first], .msg_iovlen = segs };
		if (segs > 1) {
			/* the padding after the value goes to the kernel too */
			memset(out->ctl[out->n].buf, 0, sizeof(out->ctl[out->n].buf));
			h->msg_control = out->ctl[out->n].buf;
			h->msg_controllen = sizeof(out->ctl[out->n].buf);
			struct cmsghdr *cm = CMSG_FIRSTHDR(h);
			cm->cmsg_level = SOL_UDP;
			cm->cmsg_type = UDP_SEGMENT;
			cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			uint16_t size = (uint16_t)p->packet_len;
			memcpy(CMSG_DATA(cm), &size, sizeof(size));
		}
		out->first_pdu[out->n++] = first;
	}
	out->first_pdu[out->n] = g;
	memcpy(pdus + from, grouped + from, (g - from) * sizeof(*pdus));
}

/* Send the messages; the index of the first one not sent because it was
 * refused as a GSO message, or out->n.  A full socket buffer or a
 * transient error loses datagrams: the retransmission timer covers them
 * like any loss. */
static unsigned send_messages(int sock, struct outgoing *out)
{
	for (unsigned done = 0; done < out->n;) {
		int r = sendmmsg(sock, out->msgs + done, out->n - done,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && out->msgs[done].msg_hdr.msg_iovlen > 1 &&
		    errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS)
			return done;
		if (r <= 0)
			break;
		done += (unsigned)r;
	}
	return out->n;
}

/* Send what waits in the outbox, one sendmmsg() per socket. */
static void outbox_flush(struct mibc_client *c)
{
	struct outgoing out;
	struct pdu *pdus[OUTBOX];
	for (int f = 0; f < 2; f++) {
		size_t n_pdus = 0;
		for (size_t i = 0; i < c->n_outbox; i++)
			if (c->outbox[i]->op->target->family == f) {
				c->outbox[i]->in_outbox = false;
				pdus[n_pdus++] = c->outbox[i];
			}
		for (size_t from = 0; from < n_pdus;) {
			build_messages(&out, pdus, from, n_pdus, !c->no_gso[f]);
			unsigned refused = send_messages(c->sock[f], &out);
			if (refused == out.n)
				break;
			/* no GSO on this path: the rest, and from now on every
			 * datagram, leave one per message */
			c->no_gso[f] = true;
			from = out.first_pdu[refused];
		}
	}
	c->n_outbox = 0;
}

static void send_pdu(struct mibc_client *c, struct pdu *p)
{
	const struct mibc_target *t = p->op->target;
	c->sent++;
	if (c->dispatching) {
		if (p->in_outbox)
			return;
		if (c->n_outbox == OUTBOX)
			outbox_flush(c);
		p->in_outbox = true;
		c->outbox[c->n_outbox++] = p;
		/* The dispatch's first datagram leaves at once: the agent works
		 * on it while the rest are handled and batched, instead of
		 * idling until the dispatch ends (K=10 in flight to one fast
		 * agent: 6 % less CPU per request, fewer sleeps on either
		 * side; more early sends cost more sendmmsg calls at K=100). */
		if (c->first_out) {
			c->first_out = false;
			outbox_flush(c);
		}
		return;
	}
	/* as in outbox_flush: a lost datagram is retransmitted */
	(void)!sendto(c->sock[t->family], pdu_packet(p), p->packet_len,
		      MSG_DONTWAIT | MSG_NOSIGNAL, &t->addr.sa, t->addr_len);
}

static void op_finish_pdu(struct mibc_client *c, struct op *op);
static int pdu_launch(struct mibc_client *c, struct op *op, int32_t id,
		      size_t len, const size_t *idx, size_t n);

/* A fresh request-id: random (unpredictable to off-path spoofers), never
 * 0, never one in flight. */
static int32_t new_request_id(struct mibc_client *c)
{
	int32_t id;
	do
		id = (int32_t)(random_u32(c) & 0x7fffffffu);
	while (id == 0 || table_find(c, id));
	return id;
}

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
	int32_t id = new_request_id(c);
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
	return pdu_launch(c, op, id, len, idx, n);
}

/* Register and send the message in c->buf[0..len) for items idx[0..n) of
 * `op` (table and heap have room). */
static int pdu_launch(struct mibc_client *c, struct op *op, int32_t id,
		      size_t len, const size_t *idx, size_t n)
{
	const struct mibc_target *t = op->target;
	struct pdu *p = malloc(sizeof(*p) + n * sizeof(p->idx[0]) + len);
	if (!p)
		return MIBC_E_NOMEM;
	p->op = op;
	p->request_id = id;
	p->malformed = false;
	p->tries_left = t->retries;
	p->packet_len = (uint32_t)len;
	p->n = (uint32_t)n;
	p->in_outbox = false;
	if (n)
		memcpy(p->idx, idx, n * sizeof(idx[0]));
	memcpy((uint8_t *)(p->idx + n), c->buf, len);
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

/* A raw op's outcome without a response (timeout, cancel...), unless it
 * has one already. */
static void raw_set_status(struct op *op, int status)
{
	if (op->raw && op->raw->status > 0) {
		op->raw->status = status;
		op->raw->vbs = NULL;
		op->raw->n_vbs = 0;
	}
}

/* Every item has its outcome: unlink, call back, free. */
static void op_free(struct mibc_client *c, struct op *op)
{
	if (c->n_spare_ops < SPARES) {
		op->next = c->spare_ops;
		c->spare_ops = op;
		c->n_spare_ops++;
	} else {
		free(op);
	}
}

static void op_complete(struct op *op)
{
	/* the callback may free the target, not the client */
	struct mibc_client *c = op->target->client;
	op_unlink(op);
	if (!op->raw && !op->batch) {
		struct mibc_get *req = op->items;
		mibc_get_cb *cb = req->mibc_private_.cb;
		req->mibc_private_.op = NULL;
		cb(req, req->status, req->value);
	} else if (op->raw) {
		struct mibc_pdu *rq = op->raw;
		mibc_pdu_cb *cb = rq->mibc_private_.cb;
		rq->mibc_private_.op = NULL;
		/* nothing touches rq after this: the callback may free it (the
		 * SET layer frees the PDU it embeds) or reuse it (walks send
		 * their next request from it); vbs dangle, as documented */
		cb(rq, rq->status);
	} else {
		struct mibc_batch *b = op->batch;
		mibc_batch_cb *cb = b->mibc_private_.cb;
		b->mibc_private_.op = NULL;
		cb(b);
	}
	/* Requests and items are not touched after their callback: it may
	 * free them (mibc_row_get frees its batch there); their values
	 * were valid until it returned. */
	if (op->v3_raw)
		snmp_free_pdu(op->v3_raw);
	struct store *s = op->stores;
	while (s) {
		struct store *next = s->next;
		free(s);
		s = next;
	}
	op_free(c, op);
}

static void v3_op_detach(struct op *op);
static void v3_done_remove(struct mibc_client *c, struct op *op);

static void op_finish_pdu(struct mibc_client *c, struct op *op)
{
	(void)c;
	if (!op->pdus && !op->v3reqs && !op->v3_waiting)
		op_complete(op);
}

/* Complete every item without an outcome with `status`, drop the PDUs. */
static void op_abort(struct mibc_client *c, struct op *op, int status)
{
	while (op->pdus)
		pdu_unlink_free(c, op->pdus);
	if (op->v3reqs)
		v3_op_detach(op);
	op->v3_waiting = false;
	if (op->v3_done)
		v3_done_remove(c, op);
	for (size_t i = 0; i < op->n; i++)
		if (op->items[i].status > 0)
			set_item(&op->items[i], status, NULL);
	raw_set_status(op, status);
	op_complete(op);
}

static struct op *op_new(struct mibc_target *t, struct mibc_get *items, size_t n)
{
	struct mibc_client *c = t->client;
	struct op *op = c->spare_ops;
	if (op) {
		c->spare_ops = op->next;
		c->n_spare_ops--;
		memset(op, 0, sizeof(*op));
	} else {
		op = calloc(1, sizeof(*op));
		if (!op)
			return NULL;
	}
	op->target = t;
	op->items = items;
	op->n = n;
	for (size_t i = 0; i < n; i++) {
		items[i].status = 1; /* pending */
		items[i].value = NULL;
	}
	return op;
}

static int v3_op_start(struct mibc_client *c, struct op *op);

/* Send the op's items in PDUs; on failure nothing stays registered. */
static int op_start(struct mibc_client *c, struct op *op)
{
	if (op->target->v3)
		return v3_op_start(c, op);
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
	req->mibc_private_.cb = cb;
	req->mibc_private_.op = op;
	rc = op_start(target->client, op);
	if (rc) {
		req->mibc_private_.op = NULL;
		req->status = rc;
		op_free(target->client, op);
	}
	return rc;
}

int mibc_get_many(struct mibc_target *target, struct mibc_batch *batch,
		  struct mibc_get *items, size_t n, mibc_batch_cb *cb)
{
	if (!target || !batch || !cb || (!items && n) || n != (uint32_t)n)
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
		op_free(target->client, op);
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

/* ---- public: any PDU ---- */

/* An outgoing value as the encoder takes it. */
static int data_to_ber(const struct mibc_data *d, struct ber_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (d->wire) {
	case MIBC_WIRE_NONE:
		v->type = BER_NULL;
		return 0;
	case MIBC_WIRE_INTEGER:
		if (d->i < INT32_MIN || d->i > INT32_MAX)
			return MIBC_E_INVAL;
		v->type = BER_INTEGER;
		v->v.i32 = (int32_t)d->i;
		return 0;
	case MIBC_WIRE_COUNTER32:
	case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS:
		if (d->u > UINT32_MAX)
			return MIBC_E_INVAL;
		v->type = (uint8_t)d->wire;
		v->v.u32 = (uint32_t)d->u;
		return 0;
	case MIBC_WIRE_COUNTER64:
		v->type = BER_COUNTER64;
		v->v.u64 = d->u;
		return 0;
	case MIBC_WIRE_OCTET_STRING:
	case MIBC_WIRE_OPAQUE:
	case MIBC_WIRE_IPADDRESS:
		if (!d->octets && d->len)
			return MIBC_E_INVAL;
		v->type = (uint8_t)d->wire;
		v->v.octets.data = d->octets;
		v->v.octets.len = d->len;
		return 0;
	case MIBC_WIRE_OID:
		if (!d->oid && d->oid_len)
			return MIBC_E_INVAL;
		v->type = BER_OID;
		v->v.oid.sub = d->oid;
		v->v.oid.len = d->oid_len;
		return 0;
	default:
		return MIBC_E_INVAL;
	}
}

/* Encode and send a raw op's PDU (SNMPv1/v2c). */
static int raw_pdu_start(struct mibc_client *c, struct op *op)
{
	const struct mibc_target *t = op->target;
	const struct mibc_pdu *rq = op->raw;
	if (rq->n_out > BER_MAX_VARBINDS)
		return MIBC_E_TOO_BIG;
	for (size_t i = 0; i < rq->n_out; i++) {
		const struct mibc_varbind_out *o = &rq->out[i];
		if (!o->oid || o->oid_len < 2 || o->oid_len > MIBC_OID_MAX_LEN)
			return MIBC_E_INVAL;
		c->evb[i].oid = o->oid;
		c->evb[i].oid_len = o->oid_len;
		int rc = data_to_ber(&o->value, &c->evb[i].value);
		if (rc)
			return rc;
	}
	int rc = table_grow(c);
	if (!rc)
		rc = heap_reserve(c);
	if (rc)
		return rc;
	int32_t id = new_request_id(c);
	bool bulk = rq->type == MIBC_PDU_GETBULK;
	struct ber_request r = {
		.version = t->version,
		.community = t->community, .community_len = t->community_len,
		.pdu_type = (uint8_t)rq->type, .request_id = id,
		.error_status = bulk ? (int32_t)rq->bulk_non_repeaters : 0,
		.error_index = bulk ? (int32_t)rq->bulk_max_repetitions : 0,
		.vb = c->evb, .n_vb = rq->n_out,
	};
	size_t len;
	rc = ber_encode(&r, c->buf, MAX_DATAGRAM, &len);
	if (rc == BER_E_NOSPACE || rc == BER_E_TOO_BIG)
		return MIBC_E_TOO_BIG;
	if (rc)
		return MIBC_E_INVAL;
	return pdu_launch(c, op, id, len, NULL, 0);
}

static int v3_raw_build(struct op *op);

int mibc_pdu_send(struct mibc_target *target, struct mibc_pdu *req,
		  mibc_pdu_cb *cb)
{
	if (!target || !req || !cb || (!req->out && req->n_out))
		return MIBC_E_INVAL;
	switch (req->type) {
	case MIBC_PDU_GET:
	case MIBC_PDU_GETNEXT:
	case MIBC_PDU_SET:
		break;
	case MIBC_PDU_GETBULK:
		if (target->version == MIBC_VERSION_1)
			return MIBC_E_INVAL;
		if (req->bulk_non_repeaters > INT32_MAX || req->bulk_max_repetitions > INT32_MAX)
			return MIBC_E_INVAL;
		break;
	default:
		return MIBC_E_INVAL;
	}
	struct op *op = op_new(target, NULL, 0);
	if (!op)
		return MIBC_E_NOMEM;
	op->raw = req;
	req->status = 1; /* pending */
	req->error_status = 0;
	req->error_index = 0;
	req->vbs = NULL;
	req->n_vbs = 0;
	req->mibc_private_.cb = cb;
	req->mibc_private_.op = op;
	struct mibc_client *c = target->client;
	int rc;
	if (target->v3) {
		rc = v3_raw_build(op);
		if (!rc)
			rc = v3_op_start(c, op);
	} else {
		rc = raw_pdu_start(c, op);
		if (!rc)
			op_link(op);
	}
	if (rc) {
		if (op->v3_raw)
			snmp_free_pdu(op->v3_raw);
		req->mibc_private_.op = NULL;
		req->status = rc;
		op_free(c, op);
	}
	return rc;
}

int mibc_pdu_cancel(struct mibc_pdu *req)
{
	if (!req || !req->mibc_private_.op)
		return MIBC_E_INVAL;
	struct op *op = req->mibc_private_.op;
	op_abort(op->target->client, op, MIBC_E_CANCELED);
	return 0;
}

enum mibc_version mibc_target_version(const struct mibc_target *target)
{
	return (enum mibc_version)target->version;
}

/* ---- responses ---- */


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

static void handle_values(struct pdu *p,
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
		if (!ber_oid_equal(vb->oid, vb->oid_len, it->oid, it->oid_len)) {
			set_item(it, MIBC_E_DECODE, NULL);
			continue;
		}
		struct mibc_value *v = &s->values[i];
		value_from_varbind(v, vb, it->object, store);
		store += value_storage(vb);
		set_item(it, v->check, v);
	}
}

/* A raw op's response: every varbind (names and untyped values) in one
 * store of the op, the agent's error-status mapped. */
static void raw_deliver(struct op *op, int32_t error_status,
			int32_t error_index, const struct ber_varbind *vb,
			size_t n)
{
	struct mibc_pdu *rq = op->raw;
	if (rq->status <= 0)
		return;
	size_t extra = 0;
	for (size_t i = 0; i < n; i++)
		extra += VALUE_ALIGN((size_t)vb[i].oid_subids * sizeof(uint32_t))
			 + value_storage(&vb[i]);
	size_t head = VALUE_ALIGN(sizeof(struct store) + n * sizeof(struct mibc_value));
	size_t vbs_size = VALUE_ALIGN(n * sizeof(struct mibc_varbind));
	struct store *s = malloc(head + vbs_size + extra);
	if (!s) {
		raw_set_status(op, MIBC_E_NOMEM);
		return;
	}
	s->next = op->stores;
	op->stores = s;
	struct mibc_varbind *out = (struct mibc_varbind *)(void *)((unsigned char *)s + head);
	unsigned char *store = (unsigned char *)out + vbs_size;
	for (size_t i = 0; i < n; i++) {
		uint32_t *name = (uint32_t *)(void *)store;
		int k = ber_oid_decode(vb[i].oid, vb[i].oid_len, name, vb[i].oid_subids);
		store += VALUE_ALIGN((size_t)vb[i].oid_subids * sizeof(uint32_t));
		value_from_varbind(&s->values[i], &vb[i], NULL, store);
		store += value_storage(&vb[i]);
		out[i] = (struct mibc_varbind){
			.oid = name, .oid_len = k > 0 ? (size_t)k : 0,
			.value = &s->values[i] };
	}
	rq->vbs = out;
	rq->n_vbs = n;
	rq->error_status = error_status;
	rq->error_index = error_index;
	rq->status = error_status ? mibc_error_status_code(error_status) : 0;
}

static void handle_response(struct mibc_client *c, struct pdu *p,
			    const struct ber_message *m)
{
	struct op *op = p->op;
	if (op->raw) {
		raw_deliver(op, m->error_status, m->error_index, m->vb, m->n_vb);
		pdu_unlink_free(c, p);
		op_finish_pdu(c, op);
		return;
	}
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
		handle_values(p, m);
		pdu_unlink_free(c, p);
	} else {
		int err = mibc_error_status_code(m->error_status);
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

/* The PDU a response is meant for, when it comes from the PDU's target's
 * address and port with its request-id and community; NULL otherwise. */
static struct pdu *response_pdu(const struct mibc_client *c,
				const struct ber_message *m,
				const struct sockaddr *from, socklen_t from_len)
{
	if (m->pdu_type != BER_PDU_RESPONSE)
		return NULL;
	struct pdu *p = table_find(c, m->request_id);
	if (!p)
		return NULL; /* unknown, or a duplicate of one already answered */
	const struct mibc_target *t = p->op->target;
	if (!same_source(t, from, from_len) || m->community_len != t->community_len
	    || (t->community_len && memcmp(m->community, t->community, t->community_len)))
		return NULL;
	return p;
}

/* Every item of `p` gets `status`; the PDU goes. */
static void pdu_fail(struct mibc_client *c, struct pdu *p, int status)
{
	struct op *op = p->op;
	for (size_t i = 0; i < p->n; i++)
		set_item(&op->items[p->idx[i]], status, NULL);
	raw_set_status(op, status);
	pdu_unlink_free(c, p);
	op_finish_pdu(c, op);
}

/* A datagram that does not decode.  It counts only when its head (version,
 * community, PDU type, request-id) reads and matches a PDU in flight from
 * its target's address and port, as a valid response must; then the PDU
 * remembers it and, when its last try expires without a valid response,
 * ends MIBC_E_DECODE instead of MIBC_E_TIMEOUT.  It never ends a request at
 * once: a valid answer to a retransmission (or a late one) still wins.  So
 * a forged malformed datagram, which needs the same address, port,
 * request-id and community as a forged valid one, cannot even end a
 * request early, and one damaged on the way costs nothing but the
 * retransmission; an agent that always answers malformed gets its clear
 * error after the time a lost answer would take. */
static void note_malformed(struct mibc_client *c, const uint8_t *buf, size_t len,
			   const struct sockaddr *from, socklen_t from_len)
{
	struct ber_message m;
	if (ber_decode_head(buf, len, &m) != 0)
		return;
	struct pdu *p = response_pdu(c, &m, from, from_len);
	if (p && m.version == p->op->target->version)
		p->malformed = true;
}

/* `buf` (room for *cap elements of `size` bytes) with room for `n`: buf,
 * a larger block, or NULL (buf untouched). */
static void *scratch_grow(void *buf, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap && buf)
		return buf;
	size_t want = n < 16 ? 16 : n;
	void *b = realloc(buf, want * size);
	if (b)
		*cap = want;
	return b;
}

/* The common response: to a GET PDU of ours, error-status 0, every name
 * as asked, in one pass without an intermediate varbind array
 * (getresp.h).  When it completes its op, its values live in the client's
 * scratch while the callback runs (no allocation); else in one store of
 * the op, as handle_values' are.  True when handled, with exactly what the
 * general path (handle_datagram, handle_response, handle_values) would do;
 * false, having changed nothing visible, for anything else, which the
 * general path then handles.  Not inside a callback holding the scratch
 * (a nested dispatch). */
static bool fast_response(struct mibc_client *c, const uint8_t *buf,
			  size_t len, const struct sockaddr *from,
			  socklen_t from_len)
{
	struct getresp_head h;
	if (c->fast_busy || getresp_head(buf, len, &h) != 0)
		return false;
	struct pdu *p = table_find(c, h.request_id);
	if (!p)
		return false;
	struct op *op = p->op;
	const struct mibc_target *t = op->target;
	if (op->raw || h.version != t->version || !same_source(t, from, from_len)
	    || h.community_len != t->community_len
	    || (t->community_len && memcmp(h.community, t->community, t->community_len)))
		return false;
	size_t n = p->n;
	struct mibc_value *fv = scratch_grow(c->fvalues, &c->fvalues_cap, n,
					     sizeof(*fv));
	if (!fv)
		return false;
	c->fvalues = fv;
	size_t extra = 0;
	int settle = getresp_values(&h, pdu_packet(p), p->packet_len, op->items,
				    p->idx, n, c->fvalues, &extra);
	if (settle < 0)
		return false;
	bool completes = op->pdus == p && !p->next && !op->v3reqs && !op->v3_waiting;
	struct mibc_value *values = c->fvalues;
	void *store = NULL;
	if (completes) {
		if (settle) {
			unsigned char *fs = scratch_grow(c->fstore, &c->fstore_cap,
							 extra ? extra : 1, 1);
			if (!fs)
				return false;
			c->fstore = fs;
			store = fs;
		}
	} else {
		size_t head = VALUE_ALIGN(sizeof(struct store) + n * sizeof(struct mibc_value));
		struct store *s = malloc(head + extra);
		if (!s)
			return false;
		s->next = op->stores;
		op->stores = s;
		memcpy(s->values, c->fvalues, n * sizeof(*values));
		values = s->values;
		store = (unsigned char *)s + head;
	}
	getresp_publish(values, n, settle, store, op->items, p->idx);
	pdu_unlink_free(c, p);
	if (completes) {
		c->fast_busy = true;
		op_finish_pdu(c, op);
		c->fast_busy = false;
	} else {
		op_finish_pdu(c, op);
	}
	return true;
}

static void handle_datagram(struct mibc_client *c, const uint8_t *buf,
			    size_t len, const struct sockaddr *from,
			    socklen_t from_len)
{
	if (fast_response(c, buf, len, from, from_len))
		return;
	struct ber_message m;
	if (ber_decode(buf, len, &m, c->vb, BER_MAX_VARBINDS) != 0) {
		note_malformed(c, buf, len, from, from_len);
		return;
	}
	struct pdu *p = response_pdu(c, &m, from, from_len);
	if (!p)
		return;
	if (m.version != p->op->target->version) {
		/* the agent asked, answering this request with its community,
		 * but in another version (SNMPv1-only agents answer in theirs):
		 * it will do so again, so say it rather than time out; forging
		 * this is no easier than forging a valid response */
		pdu_fail(c, p, MIBC_E_VERSION);
		return;
	}
	handle_response(c, p, &m);
}

/* ---- SNMPv3: net-snmp sessions in the same loop ----
 *
 * One net-snmp session (single-session API) per SNMPv3 target, its socket
 * in the client's epoll fd, read with snmp_sess_read2() only when epoll
 * says it is readable, its retransmissions driven by snmp_sess_timeout()
 * from mibc_client_dispatch() once its earliest deadline may have come
 * (v3_target.check_at) and that deadline folded into
 * mibc_client_timeout().  net-snmp 5.9 would block on an engine-ID probe
 * at the first send: sessions are opened with SNMP_FLAGS_DONT_PROBE and the
 * target sends its own noAuthNoPriv probe asynchronously; the report gives
 * the agent's engine ID, then the USM user is (re)made from the session
 * with keys derived once per (protocol, password) in the client's key
 * cache (generate_Ku hashes a megabyte: ~2.7 ms).  net-snmp callbacks only
 * record outcomes; finished requests wait in the client's done list and
 * their callbacks run after net-snmp returned, so a callback may free
 * targets without pulling a session out from under net-snmp. */

enum { V3_IDLE, V3_PROBING, V3_READY };

struct v3_key {
	struct v3_key *next;
	int auth;                            /* enum mibc_auth_proto */
	uint8_t digest[32];                  /* SHA-256 of the password */
	uint8_t ku[USM_AUTH_KU_LEN];
	size_t ku_len;
};

struct v3_client {
	bool closing;                        /* ignore net-snmp callbacks */
	struct v3_target *targets;           /* doubly linked */
	/* those with requests in net-snmp's hands: dispatch and timeout visit
	 * only these, so idle targets cost nothing per loop turn */
	struct v3_target *busy;
	size_t n_targets;
	struct op *done_head, *done_tail;    /* finished, callbacks pending */
	struct v3_key *keys;
	struct v3_req *spare_reqs;           /* of one item, SPARES at most */
	unsigned n_spare_reqs;
	unsigned closed;                     /* targets closed so far */
};

struct v3_target {
	struct mibc_target *target;
	struct v3_target *prev, *next;
	void *sess;
	int fd;
	int state;
	unsigned discoveries;                /* since the last success */
	struct v3_req *reqs;                 /* in net-snmp's hands */
	size_t n_reqs;
	struct v3_target *bprev, *bnext;     /* the client's busy list */
	/* us, CLOCK_MONOTONIC: no net-snmp deadline of the session comes
	 * earlier (UINT64_MAX: none), so snmp_sess_timeout() and
	 * snmp_sess_select_info2(), which walk all its requests, run about
	 * once per timeout instead of once per loop turn */
	uint64_t check_at;
	netsnmp_large_fd_set fdset;          /* just fd */
};

struct v3_req {
	struct v3_target *vt;
	struct v3_req *prev, *next;          /* the target's */
	struct op *op;                       /* NULL: probe, or orphaned */
	struct v3_req *oprev, *onext;        /* the op's */
	bool probe;
	bool time_retried;
	bool sending;                        /* inside snmp_sess_async_send */
	unsigned resends;                    /* net-snmp's retransmissions */
	int sec_error;                       /* a report seen (SNMPERR_*) */
	size_t n;
	size_t idx[];
};

static bool v3_lib_ready;

/* net-snmp's library, once per process, reading nothing. */
static int v3_lib_init(void)
{
	if (v3_lib_ready)
		return 0;
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	/* no MIB parsing: MIBs and MIB directories are empty */
	if (!getenv("MIBS"))
		setenv("MIBS", "", 0);
	if (!getenv("MIBDIRS"))
		setenv("MIBDIRS", "/nonexistent-mibc-mibdirs", 0);
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_EMERG);
	init_snmp("mibc");
	v3_lib_ready = true;
	return 0;
}

static const oid *auth_oid(int proto, size_t *len)
{
	switch (proto) {
#ifndef NETSNMP_DISABLE_MD5
	case MIBC_AUTH_MD5:
		*len = OID_LENGTH(usmHMACMD5AuthProtocol);
		return usmHMACMD5AuthProtocol;
#endif
	case MIBC_AUTH_SHA:
		*len = OID_LENGTH(usmHMACSHA1AuthProtocol);
		return usmHMACSHA1AuthProtocol;
#ifdef HAVE_EVP_SHA224
	case MIBC_AUTH_SHA224:
		*len = OID_LENGTH(usmHMAC128SHA224AuthProtocol);
		return usmHMAC128SHA224AuthProtocol;
	case MIBC_AUTH_SHA256:
		*len = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
		return usmHMAC192SHA256AuthProtocol;
#endif
#ifdef HAVE_EVP_SHA384
	case MIBC_AUTH_SHA384:
		*len = OID_LENGTH(usmHMAC256SHA384AuthProtocol);
		return usmHMAC256SHA384AuthProtocol;
	case MIBC_AUTH_SHA512:
		*len = OID_LENGTH(usmHMAC384SHA512AuthProtocol);
		return usmHMAC384SHA512AuthProtocol;
#endif
	default:
		return NULL;
	}
}

static const oid *priv_oid(int proto, size_t *len)
{
	switch (proto) {
#ifndef NETSNMP_DISABLE_DES
	case MIBC_PRIV_DES:
		*len = OID_LENGTH(usmDESPrivProtocol);
		return usmDESPrivProtocol;
#endif
#ifdef HAVE_AES
	case MIBC_PRIV_AES:
		*len = OID_LENGTH(usmAESPrivProtocol);
		return usmAESPrivProtocol;
#ifdef NETSNMP_DRAFT_BLUMENTHAL_AES_04
	case MIBC_PRIV_AES192:
		*len = OID_LENGTH(usmAES192PrivProtocol);
		return usmAES192PrivProtocol;
	case MIBC_PRIV_AES256:
		*len = OID_LENGTH(usmAES256PrivProtocol);
		return usmAES256PrivProtocol;
#endif
#endif
	default:
		return NULL;
	}
}

/* The master key Ku of `password` for `auth`, from the client's cache or
 * derived once. */
static int v3_key(struct v3_client *v, int auth, const char *password,
		  const struct v3_key **out)
{
	size_t alen, slen, plen = strlen(password);
	const oid *a = auth_oid(auth, &alen);
	const oid *sha256 = auth_oid(MIBC_AUTH_SHA256, &slen);
	uint8_t digest[32] = { 0 };
	size_t dlen = sizeof(digest);
	if (!a)
		return MIBC_E_UNSUPPORTED;
	if (plen < 8)
		return MIBC_E_INVAL; /* USM's minimum, as net-snmp's tools */
	if (!sha256 || sc_hash(sha256, slen, (const u_char *)password, plen,
			       digest, &dlen) != SNMPERR_SUCCESS)
		return MIBC_E_UNSUPPORTED;
	for (struct v3_key *k = v->keys; k; k = k->next)
		if (k->auth == auth && memcmp(k->digest, digest, sizeof(digest)) == 0) {
			*out = k;
			return 0;
		}
	struct v3_key *k = calloc(1, sizeof(*k));
	if (!k)
		return MIBC_E_NOMEM;
	k->auth = auth;
	memcpy(k->digest, digest, sizeof(digest));
	k->ku_len = sizeof(k->ku);
	if (generate_Ku(a, (u_int)alen, (const u_char *)password, plen, k->ku,
			&k->ku_len) != SNMPERR_SUCCESS) {
		free(k);
		return MIBC_E_INVAL;
	}
	k->next = v->keys;
	v->keys = k;
	*out = k;
	return 0;
}

static int v3_client_get(struct mibc_client *c)
{
	if (c->v3)
		return 0;
	int rc = v3_lib_init();
	if (rc)
		return rc;
	c->v3 = calloc(1, sizeof(*c->v3));
	if (!c->v3)
		return MIBC_E_NOMEM;
	return 0;
}

/* -- the done list: ops whose outcome is complete, callbacks pending -- */

static void v3_done_remove(struct mibc_client *c, struct op *op)
{
	struct v3_client *v = c->v3;
	if (op->dprev)
		op->dprev->dnext = op->dnext;
	else
		v->done_head = op->dnext;
	if (op->dnext)
		op->dnext->dprev = op->dprev;
	else
		v->done_tail = op->dprev;
	op->v3_done = false;
}

/* From inside net-snmp: an op's request ended; queue the op when it has
 * nothing left in flight. */
static void v3_op_check(struct mibc_client *c, struct op *op)
{
	if (op->pdus || op->v3reqs || op->v3_waiting || op->v3_done)
		return;
	struct v3_client *v = c->v3;
	op->v3_done = true;
	op->dnext = NULL;
	op->dprev = v->done_tail;
	if (v->done_tail)
		v->done_tail->dnext = op;
	else
		v->done_head = op;
	v->done_tail = op;
}

/* Outside net-snmp: run the callbacks of finished ops. */
static void v3_run_done(struct mibc_client *c)
{
	struct v3_client *v = c->v3;
	while (v && v->done_head) {
		struct op *op = v->done_head;
		v3_done_remove(c, op);
		op_complete(op);
	}
}

/* -- requests -- */

static void v3_req_unlink(struct v3_req *r)
{
	struct v3_target *vt = r->vt;
	if (r->prev)
		r->prev->next = r->next;
	else
		vt->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	if (--vt->n_reqs == 0) {
		struct v3_client *v = vt->target->client->v3;
		vt->check_at = UINT64_MAX;
		if (vt->bprev)
			vt->bprev->bnext = vt->bnext;
		else
			v->busy = vt->bnext;
		if (vt->bnext)
			vt->bnext->bprev = vt->bprev;
		vt->bprev = vt->bnext = NULL;
	}
	struct op *op = r->op;
	if (op) {
		if (r->oprev)
			r->oprev->onext = r->onext;
		else
			op->v3reqs = r->onext;
		if (r->onext)
			r->onext->oprev = r->oprev;
		r->op = NULL;
	}
}

/* Canceled: net-snmp still holds the requests; they stay in the target's
 * list, orphaned, until net-snmp answers or times them out. */
static void v3_op_detach(struct op *op)
{
	struct v3_req *r = op->v3reqs;
	while (r) {
		struct v3_req *next = r->onext;
		r->op = NULL;
		r->oprev = r->onext = NULL;
		r = next;
	}
	op->v3reqs = NULL;
}

static int v3_callback(int what, netsnmp_session *s, int reqid,
		       netsnmp_pdu *pdu, void *magic);
static int v3_send_raw(struct mibc_target *t, struct op *op, bool time_retried);

/* net-snmp may have (re)started a request's timer at `now` (a send, or a
 * read whose report made it resend): its deadline is no earlier than
 * now + the session's timeout. */
static void v3_may_start_timers(struct v3_target *vt, uint64_t now)
{
	uint64_t at = now + (uint64_t)vt->target->timeout_ms * 1000u;
	if (at < vt->check_at)
		vt->check_at = at;
}

/* The session's real next deadline, after snmp_sess_timeout(). */
static void v3_next_deadline(struct v3_target *vt, uint64_t now)
{
	int numfds = 0, block = 1;
	struct timeval tv = { 0, 0 };
	snmp_sess_select_info2(vt->sess, &numfds, &vt->fdset, &tv, &block);
	vt->check_at = block ? UINT64_MAX
		: now + (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static struct v3_req *v3_req_new(struct v3_target *vt, const size_t *idx,
				 size_t n)
{
	/* one size for requests of up to one item: spares fit them all */
	struct v3_client *v = vt->target->client->v3;
	struct v3_req *r = n <= 1 ? v->spare_reqs : NULL;
	if (r) {
		v->spare_reqs = r->next;
		v->n_spare_reqs--;
		memset(r, 0, sizeof(*r) + sizeof(r->idx[0]));
	} else {
		r = calloc(1, sizeof(*r) + (n > 1 ? n : 1) * sizeof(r->idx[0]));
		if (!r)
			return NULL;
	}
	r->vt = vt;
	r->n = n;
	if (n)
		memcpy(r->idx, idx, n * sizeof(idx[0]));
	return r;
}

static void v3_req_free(struct v3_req *r)
{
	if (!r)
		return;
	struct v3_client *v = r->vt->target->client->v3;
	if (r->n <= 1 && v->n_spare_reqs < SPARES) {
		r->next = v->spare_reqs;
		v->spare_reqs = r;
		v->n_spare_reqs++;
	} else {
		free(r);
	}
}

static void v3_req_link(struct v3_req *r, struct op *op)
{
	struct v3_target *vt = r->vt;
	r->prev = NULL;
	r->next = vt->reqs;
	if (vt->reqs)
		vt->reqs->prev = r;
	vt->reqs = r;
	if (vt->n_reqs++ == 0) {
		struct v3_client *v = vt->target->client->v3;
		vt->bprev = NULL;
		vt->bnext = v->busy;
		if (v->busy)
			v->busy->bprev = vt;
		v->busy = vt;
	}
	r->op = op;
	if (op) {
		r->oprev = NULL;
		r->onext = op->v3reqs;
		if (op->v3reqs)
			op->v3reqs->oprev = r;
		op->v3reqs = r;
	}
}

/* Hand `pdu` to net-snmp for `r` (linked on success; `pdu` freed on
 * failure). */
static int v3_send(struct v3_req *r, struct op *op, netsnmp_pdu *pdu)
{
	v3_req_link(r, op);
	v3_may_start_timers(r->vt, now_us());
	r->sending = true;
	int id = snmp_sess_async_send(r->vt->sess, pdu, v3_callback, r);
	r->sending = false;
	if (id == 0) {
		snmp_free_pdu(pdu);
		v3_req_unlink(r);
		return MIBC_E_IO;
	}
	return 0;
}

static int v3_send_chunks(struct mibc_target *t, struct op *op,
			  const size_t *idx, size_t n, bool time_retried,
			  size_t *sent);

/* GETs for items idx[0..n) of `op`, max_objects per PDU.  On failure the
 * PDUs already sent stay and the items not sent get the error. */
static int v3_send_items(struct mibc_target *t, struct op *op,
			 const size_t *idx, size_t n, bool time_retried)
{
	size_t sent = 0;
	int rc = v3_send_chunks(t, op, idx, n, time_retried, &sent);
	if (rc)
		for (size_t i = sent; i < n; i++)
			set_item(&op->items[idx[i]], rc, NULL);
	return rc;
}

static int v3_send_chunks(struct mibc_target *t, struct op *op,
			  const size_t *idx, size_t n, bool time_retried,
			  size_t *sent)
{
	struct v3_target *vt = t->v3;
	while (n > 0) {
		size_t k = n < t->max_objects ? n : t->max_objects;
		struct v3_req *r = v3_req_new(vt, idx, k);
		netsnmp_pdu *pdu = r ? snmp_pdu_create(SNMP_MSG_GET) : NULL;
		if (!pdu) {
			v3_req_free(r);
			return MIBC_E_NOMEM;
		}
		r->time_retried = time_retried;
		for (size_t i = 0; i < k; i++) {
			const struct mibc_get *it = &op->items[idx[i]];
			oid name[MIBC_OID_MAX_LEN];
			for (size_t j = 0; j < it->oid_len; j++)
				name[j] = it->oid[j];
			if (!snmp_add_null_var(pdu, name, it->oid_len)) {
				snmp_free_pdu(pdu);
				v3_req_free(r);
				return MIBC_E_NOMEM;
			}
		}
		int rc = v3_send(r, op, pdu);
		if (rc) {
			v3_req_free(r);
			return rc;
		}
		idx += k;
		n -= k;
		*sent += k;
	}
	return 0;
}

/* The engine-ID probe: a noAuthNoPriv GET without varbinds; the agent
 * answers with an unknownEngineID report carrying its engine ID. */
static int v3_probe(struct v3_target *vt)
{
	struct v3_req *r = v3_req_new(vt, NULL, 0);
	netsnmp_pdu *pdu = r ? snmp_pdu_create(SNMP_MSG_GET) : NULL;
	if (!pdu) {
		v3_req_free(r);
		return MIBC_E_NOMEM;
	}
	r->probe = true;
	/* as net-snmp's own probe: no user name (a report naming a user the
	 * local USM does not know yet would not parse) */
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	pdu->securityName = strdup("");
	if (!pdu->securityName) {
		snmp_free_pdu(pdu);
		v3_req_free(r);
		return MIBC_E_NOMEM;
	}
	pdu->securityNameLen = 0;
	int rc = v3_send(r, NULL, pdu);
	if (rc) {
		v3_req_free(r);
		return rc;
	}
	vt->state = V3_PROBING;
	vt->discoveries++;
	return 0;
}

/* Every item still without an outcome of the ops waiting for discovery:
 * send them, or fail them with `status`. */
static void v3_release_waiting(struct mibc_client *c, struct v3_target *vt,
			       int status)
{
	for (struct op *op = vt->target->ops; op; op = op->next) {
		if (!op->v3_waiting)
			continue;
		op->v3_waiting = false;
		if (op->raw) {
			int rc = status ? status : v3_send_raw(vt->target, op, false);
			if (rc)
				raw_set_status(op, rc);
			v3_op_check(c, op);
			continue;
		}
		size_t n = 0;
		size_t *idx = malloc(op->n * sizeof(*idx));
		if (!idx && !status)
			status = MIBC_E_NOMEM;
		for (size_t i = 0; i < op->n && idx; i++)
			if (op->items[i].status > 0)
				idx[n++] = i;
		if (!status)
			v3_send_items(vt->target, op, idx, n, false);
		else
			for (size_t i = 0; i < op->n; i++)
				if (op->items[i].status > 0)
					set_item(&op->items[i], status, NULL);
		free(idx);
		v3_op_check(c, op);
	}
}

/* Whether USM user `u` has the keys session `s` would give it. */
static bool v3_same_keys(const struct usmUser *u, const netsnmp_session *s)
{
	u_char kul[USM_AUTH_KU_LEN];
	size_t len;
	if (s->securityLevel >= SNMP_SEC_LEVEL_AUTHNOPRIV) {
		len = sizeof(kul);
		if (!u->authProtocol || snmp_oid_compare(u->authProtocol, u->authProtocolLen,
							 s->securityAuthProto,
							 s->securityAuthProtoLen)
		    || generate_kul(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
				    s->securityEngineID, s->securityEngineIDLen,
				    s->securityAuthKey, s->securityAuthKeyLen, kul,
				    &len) != SNMPERR_SUCCESS
		    || len != u->authKeyLen || memcmp(kul, u->authKey, len))
			return false;
	}
	if (s->securityLevel == SNMP_SEC_LEVEL_AUTHPRIV) {
		len = sizeof(kul);
		if (!u->privProtocol || snmp_oid_compare(u->privProtocol, u->privProtocolLen,
							 s->securityPrivProto,
							 s->securityPrivProtoLen)
		    || generate_kul(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
				    s->securityEngineID, s->securityEngineIDLen,
				    s->securityPrivKey, s->securityPrivKeyLen, kul,
				    &len) != SNMPERR_SUCCESS
		    || len < u->privKeyLen || memcmp(kul, u->privKey, u->privKeyLen))
			return false;
	}
	memset(kul, 0, sizeof(kul));
	return true;
}

/* A report on the probe: the engine ID; the USM user from the session. */
static void v3_discovered(struct mibc_client *c, struct v3_target *vt,
			  netsnmp_pdu *pdu)
{
	netsnmp_session *s = snmp_sess_session(vt->sess);
	if (!pdu || pdu->securityEngineIDLen == 0) {
		vt->state = V3_IDLE;
		v3_release_waiting(c, vt, MIBC_E_DECODE);
		return;
	}
	u_char *e1 = malloc(pdu->securityEngineIDLen);
	u_char *e2 = malloc(pdu->securityEngineIDLen);
	if (!e1 || !e2) {
		free(e1);
		free(e2);
		vt->state = V3_IDLE;
		v3_release_waiting(c, vt, MIBC_E_NOMEM);
		return;
	}
	memcpy(e1, pdu->securityEngineID, pdu->securityEngineIDLen);
	memcpy(e2, pdu->securityEngineID, pdu->securityEngineIDLen);
	free(s->securityEngineID);
	free(s->contextEngineID);
	s->securityEngineID = e1;
	s->contextEngineID = e2;
	s->securityEngineIDLen = s->contextEngineIDLen = pdu->securityEngineIDLen;
	/* a user of an earlier discovery or another target: remade with this
	 * target's keys (net-snmp keeps one user per engine ID and name) */
	struct usmUser *u = usm_get_user(s->securityEngineID,
					 s->securityEngineIDLen, s->securityName);
	if (u && !v3_same_keys(u, s)) {
		/* replacing a user other targets' requests in flight use
		 * would lose their answers: only when the keys differ */
		usm_remove_user(u);
		usm_free_user(u);
		u = NULL;
	}
	if (!u && create_user_from_session(s) != SNMPERR_SUCCESS) {
		vt->state = V3_IDLE;
		v3_release_waiting(c, vt, MIBC_E_AUTH);
		return;
	}
	vt->state = V3_READY;
	v3_release_waiting(c, vt, 0);
}

/* Room for what v3_value() encodes: an OID value, or an Opaque float. */
#define V3_VALUE_ROOM (MIBC_OID_MAX_LEN * 5u)

/* A net-snmp varbind's name as sub-identifiers in `sub` (MIBC_OID_MAX_LEN),
 * or false: not a name an SNMP message can carry. */
static bool v3_name(const netsnmp_variable_list *v, uint32_t *sub)
{
	if (v->name_length < 1 || v->name_length > MIBC_OID_MAX_LEN)
		return false;
	for (size_t j = 0; j < v->name_length; j++) {
		if (v->name[j] > UINT32_MAX)
			return false;
		sub[j] = (uint32_t)v->name[j];
	}
	return ber_oid_encode(sub, v->name_length, NULL, 0) > 0;
}

/* A net-snmp varbind's value as the BER decoder would have given it (the
 * name aside): contents pointing into the varbind, an OID value or an
 * Opaque float encoded into `room` (V3_VALUE_ROOM bytes, or 5 per
 * sub-identifier of the OID value and BER_OPAQUE_DOUBLE_LEN).  Type 0: a value
 * no SNMP message can carry. */
static void v3_value(const netsnmp_variable_list *v, struct ber_varbind *vb,
		     uint8_t *room)
{
	memset(vb, 0, sizeof(*vb));
	vb->type = v->type;
	switch (v->type) {
	case ASN_INTEGER:
		vb->num.i32 = v->val.integer ? (int32_t)*v->val.integer : 0;
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		vb->num.u32 = v->val.integer ? (uint32_t)*v->val.integer : 0;
		break;
	case ASN_COUNTER64:
		vb->num.u64 = v->val.counter64
			? (uint64_t)v->val.counter64->high << 32
			  | (uint32_t)v->val.counter64->low : 0;
		break;
	case ASN_IPADDRESS:
		if (v->val_len != 4) {
			vb->type = 0;
			break;
		}
		vb->data = v->val.string;
		vb->len = 4;
		vb->num.u32 = (uint32_t)v->val.string[0] << 24
			      | (uint32_t)v->val.string[1] << 16
			      | (uint32_t)v->val.string[2] << 8 | v->val.string[3];
		break;
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
		vb->data = v->val.string;
		vb->len = v->val_len;
		break;
#ifdef NETSNMP_WITH_OPAQUE_SPECIAL_TYPES
	case ASN_OPAQUE_FLOAT:
		vb->type = BER_OPAQUE;
		vb->opaque = BER_OPAQUE_FLOAT;
		vb->num.f = v->val.floatVal ? *v->val.floatVal : 0;
		ber_opaque_float(vb->num.f, room);
		vb->data = room;
		vb->len = BER_OPAQUE_FLOAT_LEN;
		break;
	case ASN_OPAQUE_DOUBLE:
		vb->type = BER_OPAQUE;
		vb->opaque = BER_OPAQUE_DOUBLE;
		vb->num.d = v->val.doubleVal ? *v->val.doubleVal : 0;
		ber_opaque_double(vb->num.d, room);
		vb->data = room;
		vb->len = BER_OPAQUE_DOUBLE_LEN;
		break;
#endif
	case ASN_OBJECT_ID: {
		uint32_t sub[MIBC_OID_MAX_LEN];
		size_t k = v->val_len / sizeof(oid);
		bool fits = k <= MIBC_OID_MAX_LEN;
		for (size_t j = 0; fits && j < k; j++) {
			fits = v->val.objid[j] <= UINT32_MAX;
			sub[j] = (uint32_t)v->val.objid[j];
		}
		int len = !fits ? -1 : k == 0 ? 0 : ber_oid_encode(sub, k, room, V3_VALUE_ROOM);
		if (len < 0) {
			vb->type = 0;
			break;
		}
		vb->data = room;
		vb->len = (size_t)len;
		vb->num.u32 = (uint32_t)k;
		break;
	}
	case ASN_NULL:
	case SNMP_NOSUCHOBJECT:
	case SNMP_NOSUCHINSTANCE:
	case SNMP_ENDOFMIBVIEW:
		break;
	default:
		vb->type = 0; /* not a type an agent answers with */
	}
}

/* net-snmp's varbinds as the BER decoder would have given them (for a
 * raw op's response): names and OID values re-encoded into *scratch
 * (malloc'd, the caller frees it after copying the values out), other
 * contents pointing into `pdu`.  The count, or -1 (more than `max`, no
 * memory, a name no SNMP message can carry); an unusable value gets type
 * 0. */
static long v3_varbinds(const netsnmp_pdu *pdu, struct ber_varbind *vbs,
			size_t max, uint8_t **scratch)
{
	size_t n = 0, room = 0;
	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable) {
		if (++n > max || v->name_length > MIBC_OID_MAX_LEN)
			return -1;
		/* at most 5 octets per sub-identifier */
		room += v->name_length * 5 + BER_OPAQUE_DOUBLE_LEN;
		if (v->type == ASN_OBJECT_ID)
			room += v->val_len / sizeof(oid) * 5;
	}
	*scratch = malloc(room ? room : 1);
	if (!*scratch)
		return -1;
	uint8_t *sp = *scratch;
	size_t i = 0;
	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, i++) {
		uint32_t sub[MIBC_OID_MAX_LEN];
		if (!v3_name(v, sub))
			return -1;
		uint8_t *name = sp;
		int len = ber_oid_encode(sub, v->name_length, name, v->name_length * 5);
		sp += len;
		struct ber_varbind *vb = &vbs[i];
		v3_value(v, vb, sp);
		if (vb->data == sp)
			sp += vb->len; /* an OID value or Opaque float encoded there */
		vb->oid = name;
		vb->oid_len = (size_t)len;
		vb->oid_subids = (uint16_t)v->name_length;
	}
	return (long)n;
}

/* Whether net-snmp's varbind names the item (whose OID the request
 * carried, so a match is a valid name). */
static bool v3_names_item(const netsnmp_variable_list *v, const struct mibc_get *it)
{
	if (v->name_length != it->oid_len)
		return false;
	for (size_t j = 0; j < it->oid_len; j++)
		if (v->name[j] != it->oid[j])
			return false;
	return true;
}

/* A GET response: each item's value, typed against its object straight
 * from net-snmp's varbinds (no BER in between), with the checks
 * v3_varbinds() and the general path make: the varbind count, every name
 * one an SNMP message can carry, each the item's, each value usable. */
static void v3_values(struct v3_req *r, struct op *op, netsnmp_pdu *pdu)
{
	uint8_t room[V3_VALUE_ROOM];
	size_t n = 0, extra = 0;
	bool ok = true;
	for (const netsnmp_variable_list *v = pdu->variables; v && ok; v = v->next_variable) {
		uint32_t sub[MIBC_OID_MAX_LEN];
		ok = n < r->n && (v3_names_item(v, &op->items[r->idx[n]]) || v3_name(v, sub));
		struct ber_varbind vb;
		v3_value(v, &vb, room);
		if (vb.type)
			extra += value_storage(&vb);
		n++;
	}
	if (!ok || n != r->n) {
		for (size_t i = 0; i < r->n; i++)
			set_item(&op->items[r->idx[i]], MIBC_E_DECODE, NULL);
		return;
	}
	size_t head = VALUE_ALIGN(sizeof(struct store) + n * sizeof(struct mibc_value));
	struct store *st = malloc(head + extra);
	if (!st) {
		for (size_t i = 0; i < n; i++)
			set_item(&op->items[r->idx[i]], MIBC_E_NOMEM, NULL);
		return;
	}
	st->next = op->stores;
	op->stores = st;
	unsigned char *store = (unsigned char *)st + head;
	size_t i = 0;
	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, i++) {
		struct mibc_get *it = &op->items[r->idx[i]];
		struct ber_varbind vb;
		v3_value(v, &vb, room);
		if (!v3_names_item(v, it) || !vb.type) {
			set_item(it, MIBC_E_DECODE, NULL);
			continue;
		}
		struct mibc_value *val = &st->values[i];
		value_from_varbind(val, &vb, it->object, store);
		store += value_storage(&vb);
		set_item(it, val->check, val);
	}
}

/* A raw op's response (any error-status): every varbind. */
static void v3_raw_values(struct mibc_client *c, struct op *op, netsnmp_pdu *pdu)
{
	uint8_t *scratch = NULL;
	long n = v3_varbinds(pdu, c->vb, BER_MAX_VARBINDS, &scratch);
	bool usable = n >= 0;
	for (long i = 0; usable && i < n; i++)
		usable = c->vb[i].type != 0;
	if (!usable)
		raw_set_status(op, MIBC_E_DECODE);
	else
		raw_deliver(op, (int32_t)pdu->errstat, (int32_t)pdu->errindex,
			    c->vb, (size_t)n);
	free(scratch);
}

/* A raw op's request as a net-snmp PDU, kept in the op until sent (and
 * cloned for each send: a notInTimeWindow retry sends it again). */
static int v3_raw_build(struct op *op)
{
	static const int commands[] = {
		[0] = SNMP_MSG_GET, [1] = SNMP_MSG_GETNEXT,
		[3] = SNMP_MSG_SET, [5] = SNMP_MSG_GETBULK,
	};
	const struct mibc_pdu *rq = op->raw;
	int command = commands[rq->type - MIBC_PDU_GET];
	netsnmp_pdu *pdu = snmp_pdu_create(command);
	if (!pdu)
		return MIBC_E_NOMEM;
	if (rq->type == MIBC_PDU_GETBULK) {
		pdu->non_repeaters = (long)rq->bulk_non_repeaters;
		pdu->max_repetitions = (long)rq->bulk_max_repetitions;
	}
	int rc = 0;
	for (size_t i = 0; i < rq->n_out && !rc; i++) {
		const struct mibc_varbind_out *o = &rq->out[i];
		if (!o->oid || o->oid_len < 2 || o->oid_len > MIBC_OID_MAX_LEN) {
			rc = MIBC_E_INVAL;
			break;
		}
		oid name[MIBC_OID_MAX_LEN];
		for (size_t j = 0; j < o->oid_len; j++)
			name[j] = o->oid[j];
		struct ber_value bv;
		rc = data_to_ber(&o->value, &bv);
		if (rc)
			break;
		const void *val = NULL;
		size_t len = 0;
		long num;
		struct counter64 c64;
		oid oval[MIBC_OID_MAX_LEN];
		switch (bv.type) {
		case BER_NULL:
			break;
		case BER_INTEGER:
			num = bv.v.i32;
			val = &num;
			len = sizeof(num);
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
			num = (long)bv.v.u32;
			val = &num;
			len = sizeof(num);
			break;
		case BER_COUNTER64:
			c64.high = (u_long)(bv.v.u64 >> 32);
			c64.low = (u_long)(bv.v.u64 & 0xffffffffu);
			val = &c64;
			len = sizeof(c64);
			break;
		case BER_OID:
			if (bv.v.oid.len < 2 || bv.v.oid.len > MIBC_OID_MAX_LEN) {
				rc = MIBC_E_INVAL;
				break;
			}
			for (size_t j = 0; j < bv.v.oid.len; j++)
				oval[j] = bv.v.oid.sub[j];
			val = oval;
			len = bv.v.oid.len * sizeof(oid);
			break;
		case BER_IPADDRESS:
			if (bv.v.octets.len != 4) {
				rc = MIBC_E_INVAL;
				break;
			}
			/* fall through */
		default:
			val = bv.v.octets.data ? (const void *)bv.v.octets.data : "";
			len = bv.v.octets.len;
		}
		if (!rc && !snmp_pdu_add_variable(pdu, name, o->oid_len,
						  bv.type, val, len))
			rc = MIBC_E_NOMEM;
	}
	if (rc) {
		snmp_free_pdu(pdu);
		return rc;
	}
	op->v3_raw = pdu;
	return 0;
}

/* Send (a clone of) a raw op's PDU. */
static int v3_send_raw(struct mibc_target *t, struct op *op, bool time_retried)
{
	struct v3_req *r = v3_req_new(t->v3, NULL, 0);
	netsnmp_pdu *pdu = r ? snmp_clone_pdu(op->v3_raw) : NULL;
	if (!pdu) {
		v3_req_free(r);
		return MIBC_E_NOMEM;
	}
	r->time_retried = time_retried;
	int rc = v3_send(r, op, pdu);
	if (rc)
		v3_req_free(r);
	return rc;
}

/* The request of `r` for `op` again (a raw op: its PDU). */
static void v3_resend(struct mibc_target *t, struct op *op, struct v3_req *r,
		      bool time_retried)
{
	if (op->raw) {
		int rc = v3_send_raw(t, op, time_retried);
		if (rc)
			raw_set_status(op, rc);
	} else {
		v3_send_items(t, op, r->idx, r->n, time_retried);
	}
}

/* Every item of `r` (a raw op: the op) ends with `err`. */
static void v3_fail(struct op *op, const struct v3_req *r, int err)
{
	for (size_t i = 0; i < r->n; i++)
		set_item(&op->items[r->idx[i]], err, NULL);
	raw_set_status(op, err);
}

static int v3_report_error(netsnmp_pdu *pdu)
{
	switch (snmpv3_get_report_type(pdu)) {
	case SNMPERR_AUTHENTICATION_FAILURE:
	case SNMPERR_UNKNOWN_USER_NAME:
	case SNMPERR_DECRYPTION_ERR:
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		return MIBC_E_AUTH;
	case SNMPERR_NOT_IN_TIME_WINDOW:
		return MIBC_E_AUTH; /* after the one retry */
	default:
		return MIBC_E_SNMP_ERROR;
	}
}

static int v3_callback(int what, netsnmp_session *s, int reqid,
		       netsnmp_pdu *pdu, void *magic)
{
	(void)reqid;
	struct v3_req *r = magic;
	if (r->sending)
		return 1; /* a failed send: snmp_sess_async_send returns 0 */
	if (what == NETSNMP_CALLBACK_OP_RESEND) {
		r->resends++;
		return 1;
	}
	if (what == NETSNMP_CALLBACK_OP_SEC_ERROR) {
		/* a notice: the same report follows as a received message, or
		 * the request times out; remember why */
		r->sec_error = pdu && pdu->command == SNMP_MSG_REPORT
			? snmpv3_get_report_type(pdu) : SNMPERR_AUTHENTICATION_FAILURE;
		return 1;
	}
	struct v3_target *vt = r->vt;
	struct mibc_client *c = vt->target->client;
	if (c->v3->closing)
		return 1; /* the session closes: v3_target_close frees r */
	if (what == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && !r->probe
	    && pdu->command == SNMP_MSG_REPORT
	    && snmpv3_get_report_type(pdu) == SNMPERR_NOT_IN_TIME_WINDOW
	    && r->resends <= (unsigned)s->retries) {
		/* net-snmp took the agent's boots and time from the
		 * (authenticated) report and resends this very request at once:
		 * it stays ours */
		r->resends++;
		r->time_retried = true;
		return 1;
	}
	struct op *op = r->op;
	bool probe = r->probe;
	v3_req_unlink(r);
	bool got = what == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu;
	if (probe) {
		v3_req_free(r);
		/* snmpd answers an unknownEngineID report, or a response;
		 * what counts is the engine ID it carries */
		if (got && pdu->securityEngineIDLen > 0)
			v3_discovered(c, vt, pdu);
		else {
			vt->state = V3_IDLE;
			v3_release_waiting(c, vt, got ? MIBC_E_DECODE : MIBC_E_TIMEOUT);
		}
		return 1;
	}
	if (!op) {
		v3_req_free(r); /* canceled meanwhile */
		return 1;
	}
	if (!got) {
		int err = MIBC_E_TIMEOUT;
		switch (r->sec_error) {
		case 0:
		case SNMPERR_UNKNOWN_ENG_ID:
			break;
		case SNMPERR_AUTHENTICATION_FAILURE:
		case SNMPERR_UNKNOWN_USER_NAME:
		case SNMPERR_DECRYPTION_ERR:
		case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		case SNMPERR_NOT_IN_TIME_WINDOW:
		default:
			err = MIBC_E_AUTH;
		}
		v3_fail(op, r, err);
	} else if (pdu->command == SNMP_MSG_REPORT) {
		int type = snmpv3_get_report_type(pdu);
		int rc = 0;
		if (type == SNMPERR_NOT_IN_TIME_WINDOW && !r->time_retried) {
			/* net-snmp took the agent's time from the (authenticated)
			 * report: once more */
			v3_resend(vt->target, op, r, true);
		} else if (type == SNMPERR_UNKNOWN_ENG_ID && vt->discoveries < 2) {
			/* the agent's engine changed: discover again, then send */
			op->v3_waiting = true;
			if (vt->state != V3_PROBING)
				rc = v3_probe(vt);
			if (rc)
				op->v3_waiting = false;
		} else {
			rc = type == SNMPERR_UNKNOWN_ENG_ID ? MIBC_E_AUTH : v3_report_error(pdu);
		}
		if (rc)
			v3_fail(op, r, rc);
	} else if (pdu->command != SNMP_MSG_RESPONSE) {
		v3_fail(op, r, MIBC_E_DECODE);
	} else if (op->raw) {
		vt->discoveries = 0;
		v3_raw_values(c, op, pdu);
	} else if (pdu->errstat != SNMP_ERR_NOERROR) {
		vt->discoveries = 0;
		int err = mibc_error_status_code((int32_t)pdu->errstat);
		if (err == MIBC_E_TOO_BIG && r->n > 1) {
			size_t h = r->n / 2;
			v3_send_items(vt->target, op, r->idx, h, r->time_retried);
			v3_send_items(vt->target, op, r->idx + h, r->n - h,
				      r->time_retried);
		} else {
			for (size_t i = 0; i < r->n; i++)
				set_item(&op->items[r->idx[i]], err, NULL);
		}
	} else {
		vt->discoveries = 0;
		v3_values(r, op, pdu);
	}
	v3_req_free(r);
	v3_op_check(c, op);
	return 1;
}

static int v3_op_start(struct mibc_client *c, struct op *op)
{
	struct mibc_target *t = op->target;
	struct v3_target *vt = t->v3;
	int rc = 0;
	if (vt->state == V3_READY && op->raw) {
		rc = v3_send_raw(t, op, false);
		if (rc)
			return rc;
	} else if (vt->state == V3_READY) {
		size_t stack_idx[64] = { 0 };
		size_t *idx = op->n <= 64 ? stack_idx : malloc(op->n * sizeof(*idx));
		if (!idx)
			return MIBC_E_NOMEM;
		for (size_t i = 0; i < op->n; i++)
			idx[i] = i;
		rc = v3_send_items(t, op, idx, op->n, false);
		if (idx != stack_idx)
			free(idx);
		if (rc) {
			v3_op_detach(op);
			return rc;
		}
	} else {
		if (vt->state == V3_IDLE) {
			vt->discoveries = 0;
			rc = v3_probe(vt);
			if (rc)
				return rc;
		}
		op->v3_waiting = true;
	}
	(void)c;
	op_link(op);
	return 0;
}

/* -- targets -- */

static void v3_target_close(struct mibc_client *c, struct v3_target *vt)
{
	if (vt->sess) {
		netsnmp_session *s = snmp_sess_session(vt->sess);
		if (s) {
			memset(s->securityAuthKey, 0, sizeof(s->securityAuthKey));
			memset(s->securityPrivKey, 0, sizeof(s->securityPrivKey));
		}
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, vt->fd, NULL);
		c->v3->closing = true;
		snmp_sess_close(vt->sess);
		c->v3->closing = false;
		vt->sess = NULL;
	}
	while (vt->reqs) {
		struct v3_req *r = vt->reqs;
		v3_req_unlink(r);
		v3_req_free(r);
	}
	netsnmp_large_fd_set_cleanup(&vt->fdset);
	if (vt->prev)
		vt->prev->next = vt->next;
	else
		c->v3->targets = vt->next;
	if (vt->next)
		vt->next->prev = vt->prev;
	c->v3->n_targets--;
	c->v3->closed++;
	free(vt);
}

static int v3_target_open(struct mibc_client *c, struct mibc_target *t,
			  const struct mibc_target_config *cfg)
{
	int level = cfg->security_level;
	if (level == MIBC_SEC_DEFAULT)
		level = cfg->priv_password ? MIBC_SEC_AUTH_PRIV
			: cfg->auth_password ? MIBC_SEC_AUTH_NOPRIV
			: MIBC_SEC_NOAUTH_NOPRIV;
	if (level < MIBC_SEC_NOAUTH_NOPRIV || level > MIBC_SEC_AUTH_PRIV
	    || !cfg->user || !*cfg->user || strlen(cfg->user) > 32
	    || (level >= MIBC_SEC_AUTH_NOPRIV && !cfg->auth_password)
	    || (level == MIBC_SEC_AUTH_PRIV && !cfg->priv_password))
		return MIBC_E_INVAL;
	size_t alen = 0, plen = 0;
	const oid *a = auth_oid(cfg->auth_proto, &alen);
	const oid *p = priv_oid(cfg->priv_proto, &plen);
	if ((level >= MIBC_SEC_AUTH_NOPRIV && !a) || (level == MIBC_SEC_AUTH_PRIV && !p))
		return MIBC_E_UNSUPPORTED;
	int rc = v3_client_get(c);
	if (rc)
		return rc;
	const struct v3_key *ak = NULL, *pk = NULL;
	if (level >= MIBC_SEC_AUTH_NOPRIV && (rc = v3_key(c->v3, cfg->auth_proto,
							    cfg->auth_password, &ak)))
		return rc;
	if (level == MIBC_SEC_AUTH_PRIV && (rc = v3_key(c->v3, cfg->auth_proto,
							  cfg->priv_password, &pk)))
		return rc;
	char peer[80];
	if (t->family == 0) {
		char a4[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &t->addr.in.sin_addr, a4, sizeof(a4));
		snprintf(peer, sizeof(peer), "udp:%s:%u", a4, (unsigned)ntohs(t->addr.in.sin_port));
	} else {
		char a6[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &t->addr.in6.sin6_addr, a6, sizeof(a6));
		snprintf(peer, sizeof(peer), "udp6:[%s]:%u", a6, (unsigned)ntohs(t->addr.in6.sin6_port));
	}
	struct v3_target *vt = calloc(1, sizeof(*vt));
	if (!vt)
		return MIBC_E_NOMEM;
	netsnmp_session s;
	snmp_sess_init(&s);
	s.version = SNMP_VERSION_3;
	s.peername = peer;
	s.flags |= SNMP_FLAGS_DONT_PROBE;
	s.timeout = (long)t->timeout_ms * 1000L;
	s.retries = (int)(t->retries > INT32_MAX ? INT32_MAX : t->retries);
	s.securityName = (char *)(uintptr_t)cfg->user;
	s.securityNameLen = strlen(cfg->user);
	s.securityModel = SNMP_SEC_MODEL_USM;
	s.securityLevel = level;
	if (ak) {
		s.securityAuthProto = (oid *)(uintptr_t)a;
		s.securityAuthProtoLen = alen;
		memcpy(s.securityAuthKey, ak->ku, ak->ku_len);
		s.securityAuthKeyLen = ak->ku_len;
	}
	if (pk) {
		s.securityPrivProto = (oid *)(uintptr_t)p;
		s.securityPrivProtoLen = plen;
		memcpy(s.securityPrivKey, pk->ku, pk->ku_len);
		s.securityPrivKeyLen = pk->ku_len;
	}
	vt->sess = snmp_sess_open(&s);
	memset(s.securityAuthKey, 0, sizeof(s.securityAuthKey));
	memset(s.securityPrivKey, 0, sizeof(s.securityPrivKey));
	netsnmp_transport *tr = vt->sess ? snmp_sess_transport(vt->sess) : NULL;
	if (!tr || tr->sock < 0) {
		if (vt->sess)
			snmp_sess_close(vt->sess);
		free(vt);
		return MIBC_E_IO;
	}
	vt->fd = tr->sock;
	/* read until empty in v3_dispatch; a send finding the buffer full is
	 * a loss net-snmp retransmits */
	int fl = fcntl(vt->fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(vt->fd, F_SETFL, fl | O_NONBLOCK);
	vt->target = t;
	vt->check_at = UINT64_MAX;
	/* snmp_sess_open clears the flag after its own (skipped) probe; the
	 * first send would then probe, blocking: set it again */
	snmp_sess_session(vt->sess)->flags |= SNMP_FLAGS_DONT_PROBE;
	netsnmp_large_fd_set_init(&vt->fdset, vt->fd + 1 > FD_SETSIZE ? vt->fd + 1 : FD_SETSIZE);
	NETSNMP_LARGE_FD_SET(vt->fd, &vt->fdset);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = vt };
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, vt->fd, &ev) < 0) {
		snmp_sess_close(vt->sess);
		netsnmp_large_fd_set_cleanup(&vt->fdset);
		free(vt);
		return MIBC_E_IO;
	}
	vt->next = c->v3->targets;
	if (c->v3->targets)
		c->v3->targets->prev = vt;
	c->v3->targets = vt;
	c->v3->n_targets++;
	t->v3 = vt;
	return 0;
}

/* -- the loop -- */

/* Read a session's socket until it is empty (it is non-blocking:
 * snmp_sess_read2 fails on EAGAIN), no poll per datagram, running the
 * callbacks of what each datagram finished before the next read: the
 * application's next requests leave at once, as from net-snmp's own
 * loop (and malloc sees the same alternation of frees and allocations).
 * False when a callback freed a target: `vt`, and the targets epoll
 * listed as readable, may be gone. */
static bool v3_read(struct mibc_client *c, struct v3_target *vt, uint64_t now)
{
	struct v3_client *v = c->v3;
	for (int k = 0; k < 256; k++) {
		NETSNMP_LARGE_FD_SET(vt->fd, &vt->fdset);
		int rc = snmp_sess_read2(vt->sess, &vt->fdset);
		/* a report read may have made net-snmp resend (even from a
		 * read it counts as failed) */
		v3_may_start_timers(vt, now);
		unsigned closed = v->closed;
		v3_run_done(c);
		if (v->closed != closed)
			return false;
		if (rc != 0)
			break;
	}
	return true;
}

static void v3_dispatch(struct mibc_client *c)
{
	struct v3_client *v = c->v3;
	uint64_t now = now_us();
	if (v->n_targets == 1 && c->sock[0] < 0 && c->sock[1] < 0) {
		/* its socket is all the epoll set holds: readable, or a
		 * deadline came; a read finding nothing costs what
		 * epoll_wait(0) would */
		v3_read(c, v->targets, now);
	} else {
		struct epoll_event ev[64];
		int n = epoll_wait(c->epfd, ev, 64, 0);
		for (int i = 0; i < n; i++)
			if (ev[i].data.ptr && !v3_read(c, ev[i].data.ptr, now))
				break; /* the rest are read next time */
	}
	/* net-snmp's callbacks may take a target off the busy list (its last
	 * request ended) or put it back at the head: keep the next first */
	for (struct v3_target *vt = v->busy, *next; vt; vt = next) {
		next = vt->bnext;
		if (vt->check_at > now)
			continue;
		snmp_sess_timeout(vt->sess);
		v3_next_deadline(vt, now);
	}
	v3_run_done(c);
}

/* ms to the first net-snmp deadline, -1 for none. */
static int v3_timeout(const struct mibc_client *c)
{
	const struct v3_client *v = c->v3;
	if (v->done_head)
		return 0;
	uint64_t first = UINT64_MAX;
	for (const struct v3_target *vt = v->busy; vt; vt = vt->bnext)
		if (vt->check_at < first)
			first = vt->check_at;
	if (first == UINT64_MAX)
		return -1;
	uint64_t now = now_us();
	if (first <= now)
		return 0;
	uint64_t ms = (first - now + 999u) / 1000u;
	return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

static void v3_client_free(struct mibc_client *c)
{
	struct v3_client *v = c->v3;
	if (!v)
		return;
	while (v->spare_reqs) {
		struct v3_req *r = v->spare_reqs;
		v->spare_reqs = r->next;
		free(r);
	}
	while (v->keys) {
		struct v3_key *k = v->keys;
		v->keys = k->next;
		memset(k, 0, sizeof(*k));
		free(k);
	}
	free(v);
	c->v3 = NULL;
}

/* ---- the loop ---- */

/* Up to RECV_BATCH datagrams per system call into c->rbuf's slots. */
static void read_socket_batch(struct mibc_client *c, int fd, size_t *budget)
{
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	union {
		struct sockaddr sa;
		struct sockaddr_storage ss;
	} from[RECV_BATCH];
	while (*budget > 0) {
		unsigned want = *budget < RECV_BATCH ? (unsigned)*budget : RECV_BATCH;
		for (unsigned i = 0; i < want; i++) {
			iov[i] = (struct iovec){ c->rbuf + (size_t)i * (MAX_DATAGRAM + 1),
						 MAX_DATAGRAM + 1 };
			msgs[i].msg_hdr = (struct msghdr){ .msg_name = &from[i],
				.msg_namelen = sizeof(from[i]), .msg_iov = &iov[i],
				.msg_iovlen = 1 };
		}
		int n = recvmmsg(fd, msgs, want, MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* EAGAIN, or an ICMP error: nothing to read */
		*budget -= (size_t)n;
		for (int i = 0; i < n; i++) {
			/* truncated: not a valid SNMP message */
			if ((msgs[i].msg_hdr.msg_flags & MSG_TRUNC) || msgs[i].msg_len > MAX_DATAGRAM)
				continue;
			handle_datagram(c, iov[i].iov_base, msgs[i].msg_len, &from[i].sa,
					msgs[i].msg_hdr.msg_namelen);
		}
		if ((unsigned)n < want)
			return;
	}
}

static void read_socket(struct mibc_client *c, int fd, size_t *budget)
{
	/* a dispatch nested in a callback (mibc_get_wait) reads one datagram
	 * at a time into c->buf: the batch of the outer one is still being
	 * handled */
	if (c->rbuf && c->dispatching == 1) {
		read_socket_batch(c, fd, budget);
		return;
	}
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
		pdu_fail(c, p, p->malformed ? MIBC_E_DECODE : MIBC_E_TIMEOUT);
	}
}

int mibc_client_dispatch(struct mibc_client *c)
{
	if (!c)
		return MIBC_E_INVAL;
	size_t budget = READ_BUDGET;
	c->dispatching++;
	c->first_out = true;
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
	if (c->v3)
		v3_dispatch(c);
	outbox_flush(c);
	c->dispatching--;
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
	/* the outbox is non-empty only inside a dispatch: a callback running
	 * a loop of its own must come back for it at once */
	if (c->qhead || c->n_outbox)
		return 0;
	int v3 = c->v3 ? v3_timeout(c) : -1;
	if (!c->heap_len)
		return v3;
	uint64_t now = now_us(), d = c->heap[0]->deadline;
	if (d <= now)
		return 0;
	uint64_t ms = (d - now + 999u) / 1000u;
	int v = ms > INT32_MAX ? INT32_MAX : (int)ms;
	return v3 >= 0 && v3 < v ? v3 : v;
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
	/* without it, one datagram per system call */
	c->rbuf = malloc(RECV_BATCH * (size_t)(MAX_DATAGRAM + 1));
	c->vb = malloc(BER_MAX_VARBINDS * sizeof(*c->vb));
	c->evb = malloc(BER_MAX_VARBINDS * sizeof(*c->evb));
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!c->buf || !c->vb || !c->evb || c->epfd < 0) {
		int rc = c->epfd < 0 ? MIBC_E_IO : MIBC_E_NOMEM;
		if (c->epfd >= 0)
			close(c->epfd);
		free(c->buf);
		free(c->rbuf);
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
	/* data.ptr NULL: a v1/v2c socket (SNMPv3 sessions: their target) */
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
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
	if (cfg->version != MIBC_VERSION_1 && cfg->version != MIBC_VERSION_2C
	    && cfg->version != MIBC_VERSION_3)
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
	/* SNMPv3 targets send through their net-snmp session: the shared
	 * socket opens with the first v1/v2c target */
	int rc = cfg->version == MIBC_VERSION_3 ? 0
		: open_socket(c, t->family ? AF_INET6 : AF_INET);
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
	if (cfg->version == MIBC_VERSION_3) {
		rc = v3_target_open(c, t, cfg);
		if (rc) {
			free(t->community);
			free(t);
			return rc;
		}
	}
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
	if (t->v3)
		v3_target_close(c, t->v3);
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
	v3_client_free(c);
	for (int f = 0; f < 2; f++)
		if (c->sock[f] >= 0)
			close(c->sock[f]);
	close(c->epfd);
	free(c->table);
	free(c->heap);
	free(c->buf);
	free(c->rbuf);
	free(c->vb);
	free(c->evb);
	free(c->fvalues);
	free(c->fstore);
	while (c->spare_ops) {
		struct op *op = c->spare_ops;
		c->spare_ops = op->next;
		free(op);
	}
	free(c);
}
