/* A fast SNMPv1/v2c responder for the runtime benchmark (bench/runtime.sh).
 *
 *   responder [--port BASE] [--count N] [--rows R] [--ready FILE]
 *
 * Answers GET, GETNEXT and GETBULK from an in-memory MIB view: SNMPv2-MIB's
 * system group, ifNumber and an ifTable of R rows (default 10000) with
 * ifIndex, ifDescr, ifType, ifMtu, ifSpeed, ifAdminStatus, ifOperStatus,
 * ifInOctets and ifOutOctets.  It listens on N consecutive UDP ports of
 * 127.0.0.1 (one socket each, all in one epoll loop), any community, and
 * echoes the request's version and community.  When BASE is taken it tries
 * further up, then writes the first port it got to FILE (or stdout).
 *
 * It has to stay far cheaper per request than any client it serves, so the
 * agent is never what is measured: recvmmsg/sendmmsg in batches, mibc's own
 * zero-copy BER decoder and one-pass encoder (runtime/src/ber.c), a sorted
 * array searched by bisection.  On SIGTERM/SIGINT it prints the requests it
 * answered and its own CPU time to stderr. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ber.h"

#define BATCH 64
#define REQUEST_MAX 4096          /* a 50-varbind GET is about 1 KB */
#define RESPONSE_MAX 65507        /* the largest UDP payload over IPv4 */
#define OID_MAX 16                /* the longest OID of the view */

struct entry {
	uint32_t oid[OID_MAX];
	size_t oid_len;
	struct ber_value value;
};

static struct entry *view;
static size_t view_len, view_cap;
static volatile sig_atomic_t stop;
static unsigned long long answered;

static void add(const uint32_t *prefix, size_t prefix_len, uint32_t sub1,
		uint32_t sub2, struct ber_value value)
{
	if (view_len == view_cap) {
		view_cap = view_cap ? 2 * view_cap : 1024;
		view = realloc(view, view_cap * sizeof(*view));
		if (!view) {
			perror("responder");
			exit(71);
		}
	}
	struct entry *e = &view[view_len++];
	memcpy(e->oid, prefix, prefix_len * sizeof(uint32_t));
	e->oid[prefix_len] = sub1;
	e->oid[prefix_len + 1] = sub2;
	e->oid_len = prefix_len + 2;
	e->value = value;
}

static struct ber_value octets(const char *s)
{
	return (struct ber_value){ .type = BER_OCTET_STRING,
		.v.octets = { (const uint8_t *)s, strlen(s) } };
}

static struct ber_value number(uint8_t type, uint32_t v)
{
	struct ber_value value = { .type = type };
	if (type == BER_INTEGER)
		value.v.i32 = (int32_t)v;
	else
		value.v.u32 = v;
	return value;
}

/* Added in OID order, so the array is sorted without sorting. */
static void build_view(uint32_t rows)
{
	static const uint32_t system[] = { 1, 3, 6, 1, 2, 1, 1 };
	static const uint32_t interfaces[] = { 1, 3, 6, 1, 2, 1, 2 };
	static const uint32_t if_entry[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };
	static const uint32_t object_id[] = { 1, 3, 6, 1, 4, 1, 8072, 3, 2, 10 };
	add(system, 7, 1, 0, octets("mibc benchmark responder"));
	add(system, 7, 2, 0, (struct ber_value){ .type = BER_OID,
		.v.oid = { object_id, sizeof(object_id) / sizeof(object_id[0]) } });
	add(system, 7, 3, 0, number(BER_TIMETICKS, 4242));
	add(system, 7, 4, 0, octets("nobody"));
	add(system, 7, 5, 0, octets("responder"));
	add(system, 7, 6, 0, octets("loopback"));
	add(system, 7, 7, 0, number(BER_INTEGER, 72));
	add(interfaces, 7, 1, 0, number(BER_INTEGER, rows));
	/* one pool for every ifDescr, "eth<row>" */
	char *names = malloc((size_t)rows * 16);
	if (!names) {
		perror("responder");
		exit(71);
	}
	for (uint32_t r = 1; r <= rows; r++)
		snprintf(names + (size_t)(r - 1) * 16, 16, "eth%u", (unsigned)r);
	static const uint32_t columns[] = { 1, 2, 3, 4, 5, 7, 8, 10, 16 };
	for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++) {
		for (uint32_t r = 1; r <= rows; r++) {
			struct ber_value v;
			switch (columns[c]) {
			case 1: v = number(BER_INTEGER, r); break;
			case 2: v = octets(names + (size_t)(r - 1) * 16); break;
			case 3: v = number(BER_INTEGER, 6); break;          /* ethernetCsmacd */
			case 4: v = number(BER_INTEGER, 1500); break;
			case 5: v = number(BER_GAUGE32, 1000000000u); break;
			case 7: case 8: v = number(BER_INTEGER, 1); break;  /* up */
			case 10: v = number(BER_COUNTER32, r * 1000003u); break;
			default: v = number(BER_COUNTER32, r * 999983u); break;
			}
			add(if_entry, 9, columns[c], r, v);
		}
	}
}

static int oid_cmp(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* The first entry at or after (`strictly`: after) the OID: view_len when none. */
static size_t lower_bound(const uint32_t *oid, size_t len, bool strictly)
{
	size_t lo = 0, hi = view_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = oid_cmp(view[mid].oid, view[mid].oid_len, oid, len);
		if (c < 0 || (strictly && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Scratch for one request: the names asked for, decoded. */
static uint32_t asked[BER_MAX_VARBINDS][BER_MAX_SUBIDS];
static size_t asked_len[BER_MAX_VARBINDS];
static struct ber_varbind in_vb[BER_MAX_VARBINDS];
static struct ber_encode_varbind out_vb[BER_MAX_VARBINDS];

static void set_exception(struct ber_encode_varbind *out, size_t i, uint8_t type)
{
	*out = (struct ber_encode_varbind){ .oid = asked[i], .oid_len = asked_len[i],
		.value = { .type = type } };
}

/* Answer one datagram into `response`: its length, 0 for no answer. */
static size_t answer(const uint8_t *request, size_t len, uint8_t *response)
{
	struct ber_message m;
	if (ber_decode(request, len, &m, in_vb, BER_MAX_VARBINDS) != 0)
		return 0;
	if (m.pdu_type != BER_PDU_GET && m.pdu_type != BER_PDU_GETNEXT
	    && !(m.pdu_type == BER_PDU_GETBULK && m.version == BER_VERSION_2C))
		return 0;
	for (size_t i = 0; i < m.n_vb; i++) {
		int n = ber_oid_decode(in_vb[i].oid, in_vb[i].oid_len, asked[i], BER_MAX_SUBIDS);
		if (n < 0)
			return 0;
		asked_len[i] = (size_t)n;
	}
	bool v1 = m.version == BER_VERSION_1;
	struct ber_request r = {
		.version = m.version, .community = m.community,
		.community_len = m.community_len, .pdu_type = BER_PDU_RESPONSE,
		.request_id = m.request_id, .vb = out_vb,
	};
	size_t n_out = 0;
	uint32_t repetitions = 0, non_repeaters = 0;
	if (m.pdu_type == BER_PDU_GETBULK) {
		non_repeaters = m.error_status < 0 ? 0 : (uint32_t)m.error_status;
		if (non_repeaters > m.n_vb)
			non_repeaters = (uint32_t)m.n_vb;
		repetitions = m.error_index < 0 ? 0 : (uint32_t)m.error_index;
		size_t repeaters = m.n_vb - non_repeaters;
		if (repeaters && repetitions > (BER_MAX_VARBINDS - non_repeaters) / repeaters)
			repetitions = (uint32_t)((BER_MAX_VARBINDS - non_repeaters) / repeaters);
	}
	/* GET and GETNEXT: every varbind; GETBULK: the non-repeaters */
	size_t singles = m.pdu_type == BER_PDU_GETBULK ? non_repeaters : m.n_vb;
	for (size_t i = 0; i < singles && !r.error_status; i++) {
		bool next = m.pdu_type != BER_PDU_GET;
		size_t at = lower_bound(asked[i], asked_len[i], next);
		bool found = at < view_len
			&& (next || oid_cmp(view[at].oid, view[at].oid_len,
					    asked[i], asked_len[i]) == 0);
		if (found) {
			out_vb[n_out++] = (struct ber_encode_varbind){ .oid = view[at].oid,
				.oid_len = view[at].oid_len, .value = view[at].value };
		} else if (v1) {
			r.error_status = 2; /* noSuchName */
			r.error_index = (int32_t)i + 1;
		} else {
			set_exception(&out_vb[n_out++], i, next ? BER_END_OF_MIB_VIEW
				      : BER_NO_SUCH_INSTANCE);
		}
	}
	if (r.error_status) {
		/* SNMPv1 errors echo the request's varbinds */
		for (size_t i = 0; i < m.n_vb; i++)
			set_exception(&out_vb[i], i, BER_NULL);
		n_out = m.n_vb;
	} else if (m.pdu_type == BER_PDU_GETBULK) {
		/* repeaters: row by row, each column continuing from its last */
		size_t first = non_repeaters, repeaters = m.n_vb - non_repeaters;
		size_t cursor[BER_MAX_VARBINDS], start[BER_MAX_VARBINDS];
		for (size_t j = 0; j < repeaters; j++)
			start[j] = cursor[j] = lower_bound(asked[first + j], asked_len[first + j], true);
		for (uint32_t rep = 0; rep < repetitions; rep++) {
			bool any = false;
			for (size_t j = 0; j < repeaters; j++) {
				size_t at = cursor[j];
				if (at < view_len) {
					out_vb[n_out++] = (struct ber_encode_varbind){
						.oid = view[at].oid, .oid_len = view[at].oid_len,
						.value = view[at].value };
					cursor[j] = at + 1;
					any = true;
				} else if (cursor[j] > start[j]) {
					/* RFC 3416 4.2.3: the name of the last one */
					out_vb[n_out++] = (struct ber_encode_varbind){
						.oid = view[cursor[j] - 1].oid,
						.oid_len = view[cursor[j] - 1].oid_len,
						.value = { .type = BER_END_OF_MIB_VIEW } };
				} else {
					set_exception(&out_vb[n_out++], first + j, BER_END_OF_MIB_VIEW);
				}
			}
			if (!any)
				break;
		}
	}
	/* a GETBULK answer too big for a datagram: fewer repetitions */
	for (;;) {
		r.n_vb = n_out;
		size_t out_len;
		int rc = ber_encode(&r, response, RESPONSE_MAX, &out_len);
		if (rc == 0)
			return out_len;
		if ((rc != BER_E_NOSPACE && rc != BER_E_TOO_BIG) || n_out <= 1)
			return 0;
		n_out = n_out / 2 > non_repeaters ? n_out / 2 : non_repeaters;
		if (n_out == 0)
			return 0;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_port(unsigned port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* bursts of a thousand requests must not overflow the queue */
	int size = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint8_t in_buf[BATCH][REQUEST_MAX];
static uint8_t out_buf[BATCH][RESPONSE_MAX];

/* Read and answer everything queued on `fd`. */
static void serve(int fd)
{
	struct mmsghdr in[BATCH], out[BATCH];
	struct iovec in_iov[BATCH], out_iov[BATCH];
	struct sockaddr_in from[BATCH];
	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			in_iov[i] = (struct iovec){ in_buf[i], REQUEST_MAX };
			in[i].msg_hdr = (struct msghdr){ .msg_name = &from[i],
				.msg_namelen = sizeof(from[i]), .msg_iov = &in_iov[i],
				.msg_iovlen = 1 };
		}
		int n = recvmmsg(fd, in, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		int n_out = 0;
		for (int i = 0; i < n; i++) {
			if (in[i].msg_hdr.msg_flags & MSG_TRUNC)
				continue;
			size_t len = answer(in_buf[i], in[i].msg_len, out_buf[n_out]);
			if (!len)
				continue;
			out_iov[n_out] = (struct iovec){ out_buf[n_out], len };
			out[n_out].msg_hdr = (struct msghdr){ .msg_name = &from[i],
				.msg_namelen = in[i].msg_hdr.msg_namelen,
				.msg_iov = &out_iov[n_out], .msg_iovlen = 1 };
			n_out++;
		}
		answered += (unsigned long long)n_out;
		for (int sent = 0; sent < n_out;) {
			int k = sendmmsg(fd, out + sent, (unsigned)(n_out - sent), MSG_DONTWAIT);
			if (k <= 0)
				break; /* a full buffer loses them: the client retries */
			sent += k;
		}
		if (n < BATCH)
			return;
	}
}

int main(int argc, char **argv)
{
	unsigned base = 16100, count = 1, rows = 10000;
	const char *ready = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 < argc && strcmp(a, "--port") == 0)
			base = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(a, "--count") == 0)
			count = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(a, "--rows") == 0)
			rows = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(a, "--ready") == 0)
			ready = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--port BASE] [--count N] [--rows R] [--ready FILE]\n",
				argv[0]);
			return 64;
		}
	}
	if (count == 0 || count > 20000 || rows == 0 || rows > 1000000 || base == 0) {
		fprintf(stderr, "responder: bad --count, --rows or --port\n");
		return 64;
	}
	build_view(rows);
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < count + 16) {
		nofile.rlim_cur = nofile.rlim_max < count + 16 ? nofile.rlim_max : count + 16;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	int *fds = calloc(count, sizeof(*fds));
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!fds || epfd < 0) {
		perror("responder");
		return 71;
	}
	/* N consecutive free ports, from BASE up */
	unsigned got = 0;
	for (; base + count <= 65535; base += got + 1) {
		for (got = 0; got < count; got++)
			if ((fds[got] = open_port(base + got)) < 0)
				break;
		if (got == count)
			break;
		for (unsigned i = 0; i < got; i++)
			close(fds[i]);
	}
	if (got != count) {
		fprintf(stderr, "responder: no %u free consecutive ports\n", count);
		return 69;
	}
	for (unsigned i = 0; i < count; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fds[i], &ev) < 0) {
			perror("responder: epoll_ctl");
			return 71;
		}
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	FILE *f = ready ? fopen(ready, "w") : stdout;
	if (!f) {
		perror(ready);
		return 73;
	}
	fprintf(f, "%u\n", base);
	if (f == stdout)
		fflush(f);
	else
		fclose(f);
	struct epoll_event ev[256];
	while (!stop) {
		int n = epoll_wait(epfd, ev, 256, 1000);
		if (n < 0 && errno != EINTR) {
			perror("responder: epoll_wait");
			return 71;
		}
		for (int i = 0; i < n; i++)
			serve(ev[i].data.fd);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec
		+ ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
	fprintf(stderr, "responder: %llu responses, %.2f s CPU (%.2f us each)\n",
		answered, cpu, answered ? cpu * 1e6 / (double)answered : 0.0);
	return 0;
}
