/* The fault-injecting UDP proxy: see faultproxy.h. */
#include "faultproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 32
#define MAX_QUEUED 4096          /* delayed datagrams waiting at once */
#define REORDER_HOLD_US 50000u   /* a held datagram goes at the latest then */
#define DATAGRAM_MAX 65536

enum { TO_AGENT = 0, TO_CLIENT = 1 };

/* epoll tags */
enum { EV_STOP, EV_FRONT, EV_WRONG, EV_CLIENT };

/* A datagram waiting to be sent. */
struct held {
	uint64_t due;                /* us, CLOCK_MONOTONIC */
	int fd;
	struct sockaddr_in to;
	size_t len;
	uint8_t *data;
};

struct client {
	bool used;
	struct sockaddr_in addr;
	int upstream;                /* towards the agent */
	uint64_t last_used;
};

struct faultproxy {
	pthread_t thread;
	pthread_mutex_t lock;        /* config, stats */
	struct faultproxy_config config;
	struct faultproxy_stats stats;
	uint64_t rng;
	int epfd, stop, front, wrong;
	uint16_t front_port, wrong_port;
	struct sockaddr_in agent;
	struct client clients[MAX_CLIENTS];
	/* delayed datagrams: a binary heap by due time */
	struct held *heap;
	size_t heap_len;
	/* reordering: one datagram per direction waits for the next */
	struct held reorder[2];
	bool reorder_used[2];
	uint8_t buf[DATAGRAM_MAX];
};

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* xorshift64*: small, seedable, good enough to pick faults */
static uint64_t next_random(struct faultproxy *fp)
{
	uint64_t x = fp->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fp->rng = x;
	return x * UINT64_C(2685821657736338717);
}

static bool chance(struct faultproxy *fp, double p)
{
	if (p <= 0)
		return false;
	return (double)(next_random(fp) >> 11) / (double)(UINT64_C(1) << 53) < p;
}

static uint64_t below(struct faultproxy *fp, uint64_t n)
{
	return n ? next_random(fp) % n : 0;
}

static void count(struct faultproxy *fp, unsigned long *field)
{
	pthread_mutex_lock(&fp->lock);
	(*field)++;
	pthread_mutex_unlock(&fp->lock);
}

static int udp_socket(uint16_t port, uint16_t *bound)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	int size = 4 << 20;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0
	    || getsockname(s, (struct sockaddr *)&a, &al) < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	if (bound)
		*bound = ntohs(a.sin_port);
	return s;
}

static void send_now(int fd, const struct sockaddr_in *to, const uint8_t *data,
		     size_t len)
{
	/* a full buffer loses the datagram: one more fault, as on a network */
	(void)!sendto(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		      (const struct sockaddr *)to, sizeof(*to));
}

/* ---- the delay queue ---- */

static void heap_swap(struct held *a, struct held *b)
{
	struct held t = *a;
	*a = *b;
	*b = t;
}

static bool queue_push(struct faultproxy *fp, uint64_t due, int fd,
		       const struct sockaddr_in *to, const uint8_t *data, size_t len)
{
	if (fp->heap_len >= MAX_QUEUED)
		return false;
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return false;
	memcpy(copy, data, len);
	size_t i = fp->heap_len++;
	fp->heap[i] = (struct held){ .due = due, .fd = fd, .to = *to, .len = len,
				     .data = copy };
	while (i > 0 && fp->heap[(i - 1) / 2].due > fp->heap[i].due) {
		heap_swap(&fp->heap[(i - 1) / 2], &fp->heap[i]);
		i = (i - 1) / 2;
	}
	pthread_mutex_lock(&fp->lock);
	if (fp->heap_len > fp->stats.queued_max)
		fp->stats.queued_max = fp->heap_len;
	pthread_mutex_unlock(&fp->lock);
	return true;
}

static void queue_pop(struct faultproxy *fp)
{
	free(fp->heap[0].data);
	fp->heap[0] = fp->heap[--fp->heap_len];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < fp->heap_len && fp->heap[l].due < fp->heap[m].due)
			m = l;
		if (l + 1 < fp->heap_len && fp->heap[l + 1].due < fp->heap[m].due)
			m = l + 1;
		if (m == i)
			break;
		heap_swap(&fp->heap[i], &fp->heap[m]);
		i = m;
	}
}

static void release_reordered(struct faultproxy *fp, int dir)
{
	if (!fp->reorder_used[dir])
		return;
	struct held *h = &fp->reorder[dir];
	send_now(h->fd, &h->to, h->data, h->len);
	free(h->data);
	fp->reorder_used[dir] = false;
}

static void run_due(struct faultproxy *fp)
{
	uint64_t now = now_us();
	while (fp->heap_len && fp->heap[0].due <= now) {
		struct held *h = &fp->heap[0];
		send_now(h->fd, &h->to, h->data, h->len);
		queue_pop(fp);
	}
	for (int dir = 0; dir < 2; dir++)
		if (fp->reorder_used[dir] && fp->reorder[dir].due <= now)
			release_reordered(fp, dir);
}

static int next_wait_ms(const struct faultproxy *fp)
{
	uint64_t due = UINT64_MAX;
	if (fp->heap_len)
		due = fp->heap[0].due;
	for (int dir = 0; dir < 2; dir++)
		if (fp->reorder_used[dir] && fp->reorder[dir].due < due)
			due = fp->reorder[dir].due;
	if (due == UINT64_MAX)
		return -1;
	uint64_t now = now_us();
	return due <= now ? 0 : (int)((due - now + 999) / 1000);
}

/* ---- faults ---- */

/* Offsets of the length octets of every BER element in data[0..len),
 * descending into constructed elements; how many (at most `max`). */
static size_t length_octets(const uint8_t *data, size_t len, size_t base,
			    size_t *out, size_t n, size_t max, int depth)
{
	size_t p = 0;
	while (p + 2 <= len && n < max && depth < 16) {
		bool constructed = data[p] & 0x20;
		size_t lp = p + 1, l = data[lp], hdr = 2;
		if (l & 0x80) {
			size_t k = l & 0x7f;
			if (k == 0 || k > 2 || lp + k >= len)
				return n;
			l = 0;
			for (size_t i = 1; i <= k; i++)
				l = l << 8 | data[lp + i];
			hdr = 2 + k;
		}
		for (size_t i = lp; i < p + hdr && n < max; i++)
			out[n++] = base + i;
		if (p + hdr + l > len)
			return n;
		if (constructed)
			n = length_octets(data + p + hdr, l, base + p + hdr, out, n, max,
					  depth + 1);
		p += hdr + l;
	}
	return n;
}

static void corrupt(struct faultproxy *fp, uint8_t *data, size_t len)
{
	size_t offsets[512];
	size_t n = length_octets(data, len, 0, offsets, 0, 512, 0);
	if (n == 0) {
		if (len)
			data[below(fp, len)] ^= 0xff;
		return;
	}
	data[offsets[below(fp, n)]] ^= (uint8_t)(1 + below(fp, 255));
}

/* Send `data` to `to` from `fd` with the faults of direction `dir`. */
static void forward(struct faultproxy *fp, int dir, int fd,
		    const struct sockaddr_in *to, uint8_t *data, size_t len)
{
	pthread_mutex_lock(&fp->lock);
	struct faultproxy_config cfg = fp->config;
	pthread_mutex_unlock(&fp->lock);
	if (chance(fp, cfg.drop)) {
		count(fp, &fp->stats.dropped);
		return;
	}
	bool intact = true;
	if (dir == TO_CLIENT) {
		if (chance(fp, cfg.truncate) && len > 0) {
			len = (size_t)below(fp, len);
			intact = false;
			count(fp, &fp->stats.truncated);
		} else if (chance(fp, cfg.corrupt) && len > 0) {
			corrupt(fp, data, len);
			intact = false;
			count(fp, &fp->stats.corrupted);
		}
		if (chance(fp, cfg.wrong_port)) {
			fd = fp->wrong;
			intact = false;
			count(fp, &fp->stats.wrong_port);
		}
		if (intact)
			count(fp, &fp->stats.intact);
	}
	uint64_t now = now_us();
	if (chance(fp, cfg.duplicate)) {
		uint64_t later = now + below(fp, (uint64_t)cfg.delay_max_ms * 1000u + 1);
		if (queue_push(fp, later, fd, to, data, len))
			count(fp, &fp->stats.duplicated);
	}
	if (chance(fp, cfg.delay)) {
		uint64_t due = now + below(fp, (uint64_t)cfg.delay_max_ms * 1000u + 1);
		if (queue_push(fp, due, fd, to, data, len))
			count(fp, &fp->stats.delayed);
		else
			count(fp, &fp->stats.dropped);
		return;
	}
	if (!fp->reorder_used[dir] && chance(fp, cfg.reorder)) {
		uint8_t *copy = malloc(len ? len : 1);
		if (copy) {
			memcpy(copy, data, len);
			fp->reorder[dir] = (struct held){ .due = now + REORDER_HOLD_US,
							  .fd = fd, .to = *to,
							  .len = len, .data = copy };
			fp->reorder_used[dir] = true;
			count(fp, &fp->stats.reordered);
			return;
		}
	}
	send_now(fd, to, data, len);
	/* the held one goes after this one: their order swapped */
	release_reordered(fp, dir);
}

/* ---- clients ---- */

static struct client *client_for(struct faultproxy *fp, const struct sockaddr_in *from)
{
	struct client *oldest = &fp->clients[0];
	for (size_t i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &fp->clients[i];
		if (c->used && c->addr.sin_port == from->sin_port
		    && c->addr.sin_addr.s_addr == from->sin_addr.s_addr) {
			c->last_used = now_us();
			return c;
		}
		if (!c->used || (oldest->used && c->last_used < oldest->last_used))
			oldest = c;
	}
	/* a new client: the free slot, or the one idle longest */
	if (oldest->used) {
		epoll_ctl(fp->epfd, EPOLL_CTL_DEL, oldest->upstream, NULL);
		close(oldest->upstream);
		oldest->used = false;
	}
	int s = udp_socket(0, NULL);
	if (s < 0)
		return NULL;
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = EV_CLIENT + (uint64_t)(oldest - fp->clients) };
	if (epoll_ctl(fp->epfd, EPOLL_CTL_ADD, s, &ev) < 0) {
		close(s);
		return NULL;
	}
	oldest->used = true;
	oldest->addr = *from;
	oldest->upstream = s;
	oldest->last_used = now_us();
	return oldest;
}

static void read_front(struct faultproxy *fp)
{
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(fp->front, fp->buf, sizeof(fp->buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);
		if (r < 0)
			return;
		count(fp, &fp->stats.requests);
		struct client *c = client_for(fp, &from);
		if (c)
			forward(fp, TO_AGENT, c->upstream, &fp->agent, fp->buf, (size_t)r);
	}
}

static void read_agent(struct faultproxy *fp, struct client *c)
{
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(c->upstream, fp->buf, sizeof(fp->buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);
		if (r < 0)
			return;
		count(fp, &fp->stats.replies);
		forward(fp, TO_CLIENT, fp->front, &c->addr, fp->buf, (size_t)r);
	}
}

static void *proxy_main(void *arg)
{
	struct faultproxy *fp = arg;
	for (;;) {
		struct epoll_event ev[16];
		int n = epoll_wait(fp->epfd, ev, 16, next_wait_ms(fp));
		for (int i = 0; i < n; i++) {
			uint64_t tag = ev[i].data.u64;
			if (tag == EV_STOP)
				return NULL;
			if (tag == EV_FRONT)
				read_front(fp);
			else if (tag == EV_WRONG) {
				/* nothing should arrive here: drain */
				while (recv(fp->wrong, fp->buf, sizeof(fp->buf), MSG_DONTWAIT) >= 0)
					;
			} else if (tag >= EV_CLIENT && tag < EV_CLIENT + MAX_CLIENTS
				   && fp->clients[tag - EV_CLIENT].used)
				read_agent(fp, &fp->clients[tag - EV_CLIENT]);
		}
		run_due(fp);
	}
}

/* ---- public ---- */

int faultproxy_start(struct faultproxy **out, uint16_t agent_port,
		     const struct faultproxy_config *config)
{
	struct faultproxy *fp = calloc(1, sizeof(*fp));
	if (!fp)
		return -1;
	fp->heap = calloc(MAX_QUEUED, sizeof(*fp->heap));
	fp->config = *config;
	fp->rng = config->seed ? config->seed : UINT64_C(0x9e3779b97f4a7c15);
	fp->agent = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(agent_port),
					  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	fp->front = udp_socket(0, &fp->front_port);
	fp->wrong = udp_socket(0, &fp->wrong_port);
	fp->stop = eventfd(0, EFD_CLOEXEC);
	fp->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!fp->heap || fp->front < 0 || fp->wrong < 0 || fp->stop < 0 || fp->epfd < 0)
		goto fail;
	struct epoll_event e_stop = { .events = EPOLLIN, .data.u64 = EV_STOP },
			   e_front = { .events = EPOLLIN, .data.u64 = EV_FRONT },
			   e_wrong = { .events = EPOLLIN, .data.u64 = EV_WRONG };
	if (epoll_ctl(fp->epfd, EPOLL_CTL_ADD, fp->stop, &e_stop) < 0
	    || epoll_ctl(fp->epfd, EPOLL_CTL_ADD, fp->front, &e_front) < 0
	    || epoll_ctl(fp->epfd, EPOLL_CTL_ADD, fp->wrong, &e_wrong) < 0)
		goto fail;
	pthread_mutex_init(&fp->lock, NULL);
	if (pthread_create(&fp->thread, NULL, proxy_main, fp) != 0) {
		pthread_mutex_destroy(&fp->lock);
		goto fail;
	}
	*out = fp;
	return 0;
fail:
	if (fp->front >= 0)
		close(fp->front);
	if (fp->wrong >= 0)
		close(fp->wrong);
	if (fp->stop >= 0)
		close(fp->stop);
	if (fp->epfd >= 0)
		close(fp->epfd);
	free(fp->heap);
	free(fp);
	return -1;
}

uint16_t faultproxy_port(const struct faultproxy *fp)
{
	return fp->front_port;
}

uint16_t faultproxy_wrong_port(const struct faultproxy *fp)
{
	return fp->wrong_port;
}

void faultproxy_configure(struct faultproxy *fp, const struct faultproxy_config *config)
{
	pthread_mutex_lock(&fp->lock);
	fp->config = *config;
	pthread_mutex_unlock(&fp->lock);
}

void faultproxy_get_stats(struct faultproxy *fp, struct faultproxy_stats *stats)
{
	pthread_mutex_lock(&fp->lock);
	*stats = fp->stats;
	pthread_mutex_unlock(&fp->lock);
}

void faultproxy_stop(struct faultproxy *fp)
{
	if (!fp)
		return;
	uint64_t one = 1;
	(void)!write(fp->stop, &one, sizeof(one));
	pthread_join(fp->thread, NULL);
	while (fp->heap_len)
		queue_pop(fp);
	for (int dir = 0; dir < 2; dir++)
		if (fp->reorder_used[dir])
			free(fp->reorder[dir].data);
	for (size_t i = 0; i < MAX_CLIENTS; i++)
		if (fp->clients[i].used)
			close(fp->clients[i].upstream);
	close(fp->front);
	close(fp->wrong);
	close(fp->stop);
	close(fp->epfd);
	pthread_mutex_destroy(&fp->lock);
	free(fp->heap);
	free(fp);
}
