/* Load generator for the runtime benchmark (bench/runtime.sh): keeps K
 * requests in flight against one or many agents for a few seconds with
 * either mibc or net-snmp's single-session async API, in one process, and
 * prints one line of measurements.
 *
 *   snmpload --client mibc|netsnmp --port BASE [--agents A] [--inflight K]
 *            [--varbinds V] [--seconds S] [--object ifInOctets|sysUpTime]
 *            [--rows R] [--version 1|2c|3] [--user U --auth-pass P --priv-pass Q]
 *            [--walk ifTable]
 *
 * Agents are 127.0.0.1:BASE .. BASE+A-1; request slot i always asks agent
 * i % A, and a completed request starts the next one on its slot until S
 * seconds have passed, so K stay in flight.  A request is one GET PDU of V
 * objects: ifInOctets.r .. ifInOctets.(r+V-1) (bench/responder.c serves an
 * ifTable of R rows) or sysUpTime.0 (V = 1, for snmpd).  Values are read
 * out as an application would: mibc through the generated typed accessors
 * (if_mib_if_in_octets_get/_value, or mibc_get_many with the generated
 * descriptor for V > 1), net-snmp from the response PDU's variables.
 *
 * --walk ifTable: each slot walks the whole ifTable again and again instead
 * (mibc: the generated if_mib_if_entry_walk into ifEntry row structs;
 * net-snmp: GETBULK with max-repetitions 50 over the subtree, as
 * snmpbulkwalk); "requests" and "varbinds" then count cells.
 *
 * Output (key=value): completed requests and varbinds, errors, wall
 * seconds, client CPU (getrusage of this process, user + system) per
 * request, heap bytes per in-flight request (a counting malloc: live bytes
 * with K requests issued minus live bytes before, over K), heap bytes per
 * agent (targets or sessions), and the file descriptors open with K in
 * flight. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include <mibc/mibc.h>

#include "if-mib.h"
#include "snmpv2-mib.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

/* ---- a counting malloc: live heap bytes of the whole process ----
 * Interposes glibc's allocator (both mibc and libnetsnmp allocate through
 * it).  Not under AddressSanitizer, which owns malloc itself. */
static long long live_bytes;

#if defined(__SANITIZE_ADDRESS__)
#define COUNTING_MALLOC 0
#else
#define COUNTING_MALLOC 1
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *p);

static void *counted(void *p)
{
	if (p)
		live_bytes += (long long)malloc_usable_size(p);
	return p;
}

void *malloc(size_t size)
{
	return counted(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	return counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t size)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *q = __libc_realloc(p, size);
	if (q || size == 0)
		live_bytes -= (long long)old;
	return counted(q);
}

void free(void *p)
{
	if (p)
		live_bytes -= (long long)malloc_usable_size(p);
	__libc_free(p);
}

void *memalign(size_t alignment, size_t size)
{
	return counted(__libc_memalign(alignment, size));
}

void *aligned_alloc(size_t alignment, size_t size)
{
	return counted(__libc_memalign(alignment, size));
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
	void *p = counted(__libc_memalign(alignment, size));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
#endif

/* ---- options and shared state ---- */

enum client_kind { CLIENT_MIBC, CLIENT_NETSNMP };
enum object_kind { OBJECT_IF_IN_OCTETS, OBJECT_SYS_UP_TIME };

static struct {
	enum client_kind client;
	unsigned port;
	size_t agents, inflight, varbinds;
	double seconds;
	enum object_kind object;
	uint32_t rows;
	int version;                 /* 1, 2 (v2c), 3 */
	const char *user, *auth_pass, *priv_pass;
	bool walk;                   /* --walk: the whole ifTable, K times in parallel */
} opt = {
	.port = 0, .agents = 1, .inflight = 1, .varbinds = 1, .seconds = 2,
	.rows = 10000, .version = 2,
};

static struct {
	unsigned long long completed, varbinds, errors, issued;
	size_t in_flight;
	uint64_t sink;               /* values read, so nothing is optimized out */
	double deadline;
	double start_wall, start_cpu, end_wall, end_cpu;
} run;

static const uint32_t if_in_octets_oid[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 10 };
static const uint32_t sys_up_time_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec
		+ ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own */
}

/* The first row of a slot's next request: spread over the table. */
static uint32_t next_row(size_t slot)
{
	uint32_t span = opt.rows > opt.varbinds ? opt.rows - (uint32_t)opt.varbinds + 1 : 1;
	return (uint32_t)((slot * 7919u + run.issued * 104729u) % span) + 1;
}

/* ---- mibc ---- */

struct mibc_slot {
	size_t index;
	struct mibc_target *target;
	struct mibc_get req;         /* V = 1 */
	struct mibc_batch batch;     /* V > 1 */
	struct mibc_get *items;
};

static void mibc_issue(struct mibc_slot *s);

static void mibc_on_get(struct mibc_get *req, int status, const struct mibc_value *value)
{
	struct mibc_slot *s = req->data;
	uint32_t v = 0;
	if (status == 0)
		status = opt.object == OBJECT_IF_IN_OCTETS
			? if_mib_if_in_octets_value(value, &v)
			: snmpv2_mib_sys_up_time_value(value, &v);
	run.in_flight--;
	if (status == 0) {
		run.sink += v;
		run.completed++;
		run.varbinds++;
	} else {
		run.errors++;
	}
	mibc_issue(s);
}

static void mibc_on_batch(struct mibc_batch *batch)
{
	struct mibc_slot *s = batch->data;
	run.in_flight--;
	size_t good = 0;
	for (size_t i = 0; i < batch->n_items; i++) {
		uint32_t v;
		if (batch->items[i].status == 0
		    && if_mib_if_in_octets_value(batch->items[i].value, &v) == 0) {
			run.sink += v;
			good++;
		}
	}
	if (good == batch->n_items) {
		run.completed++;
		run.varbinds += good;
	} else {
		run.errors++;
	}
	mibc_issue(s);
}

static void mibc_issue(struct mibc_slot *s)
{
	if (now_s() >= run.deadline)
		return;
	uint32_t row = next_row(s->index);
	run.issued++;
	int rc;
	if (opt.varbinds == 1) {
		s->req.data = s;
		rc = opt.object == OBJECT_IF_IN_OCTETS
			? if_mib_if_in_octets_get(s->target, &s->req, (int32_t)row, mibc_on_get)
			: snmpv2_mib_sys_up_time_get(s->target, &s->req, mibc_on_get);
	} else {
		for (size_t i = 0; i < opt.varbinds; i++) {
			const uint32_t ix[] = { row + (uint32_t)i };
			mibc_get_init(&s->items[i], &if_mib_if_in_octets_desc, ix, 1);
		}
		s->batch.data = s;
		rc = mibc_get_many(s->target, &s->batch, s->items, opt.varbinds, mibc_on_batch);
	}
	if (rc == 0)
		run.in_flight++;
	else
		run.errors++;
}

/* --walk: ifTable read into generated ifEntry row structs, each walk
 * restarted until the time is up. */
struct mibc_walk_slot {
	struct mibc_table_walk walk;
	struct mibc_target *target;
};

static void mibc_walk_issue(struct mibc_walk_slot *s);

static int mibc_on_row(struct mibc_table_walk *walk, const uint32_t *suffix,
		       size_t suffix_len, void *const *rows)
{
	(void)walk;
	(void)suffix;
	(void)suffix_len;
	const struct if_mib_if_entry *row = rows[0];
	run.sink += row->if_in_octets;
	return 0;
}

static void mibc_on_walk_done(struct mibc_table_walk *walk, int status)
{
	run.in_flight--;
	run.varbinds += walk->stats.varbinds;
	run.completed += walk->stats.varbinds;   /* cells */
	if (status != 0) {
		if (!run.errors)
			fprintf(stderr, "snmpload: walk: %s (%zu rows, %zu varbinds, %zu skipped)\n",
				mibc_strerror(status), walk->n_rows_done, walk->stats.varbinds,
				walk->n_cells_skipped);
		run.errors++;
	}
	mibc_walk_issue(walk->data);
}

static void mibc_walk_issue(struct mibc_walk_slot *s)
{
	if (now_s() >= run.deadline)
		return;
	run.issued++;
	memset(&s->walk, 0, sizeof(s->walk));
	s->walk.data = s;
	if (if_mib_if_entry_walk(s->target, &s->walk, mibc_on_row, mibc_on_walk_done) == 0)
		run.in_flight++;
	else
		run.errors++;
}

static int run_mibc(long long *setup_bytes, long long *inflight_bytes, int *fds)
{
	long long before = live_bytes;
	struct mibc_client *client;
	if (mibc_client_new(&client) < 0)
		return 1;
	struct mibc_target **targets = calloc(opt.agents, sizeof(*targets));
	for (size_t a = 0; a < opt.agents; a++) {
		struct mibc_target_config c;
		mibc_target_config_init(&c);
		c.address = "127.0.0.1";
		c.port = (uint16_t)(opt.port + a);
		c.version = opt.version == 1 ? MIBC_VERSION_1
			: opt.version == 3 ? MIBC_VERSION_3 : MIBC_VERSION_2C;
		c.max_objects = (unsigned)opt.varbinds;
		if (opt.version == 3) {
			c.user = opt.user;
			c.auth_password = opt.auth_pass;
			c.priv_password = opt.priv_pass;
		}
		int rc = mibc_target_new(client, &c, &targets[a]);
		if (rc < 0) {
			fprintf(stderr, "snmpload: target: %s\n", mibc_strerror(rc));
			return 1;
		}
	}
	/* the caller's request storage is the application's, not the
	 * client's: allocated before counting */
	struct mibc_slot *slots = calloc(opt.inflight, sizeof(*slots));
	for (size_t i = 0; i < opt.inflight; i++) {
		slots[i].index = i;
		slots[i].target = targets[i % opt.agents];
		if (opt.varbinds > 1)
			slots[i].items = calloc(opt.varbinds, sizeof(*slots[i].items));
	}
	if (opt.version == 3) {
		/* the engine-ID discovery belongs to the set-up, not the load */
		for (size_t a = 0; a < opt.agents; a++) {
			struct mibc_value *v = NULL;
			int rc = mibc_get_wait(targets[a], &snmpv2_mib_sys_up_time_desc,
					       (const uint32_t[]){ 0 }, 1, &v);
			mibc_value_free(v);
			if (rc < 0) {
				fprintf(stderr, "snmpload: v3 first GET: %s\n", mibc_strerror(rc));
				return 1;
			}
		}
	}
	*setup_bytes = live_bytes - before;
	before = live_bytes;
	struct mibc_walk_slot *walks = NULL;
	if (opt.walk) {
		walks = calloc(opt.inflight, sizeof(*walks));
		for (size_t i = 0; i < opt.inflight; i++)
			walks[i].target = targets[i % opt.agents];
	}
	run.start_cpu = cpu_s();
	run.start_wall = now_s();
	run.deadline = run.start_wall + opt.seconds;
	for (size_t i = 0; i < opt.inflight; i++)
		if (opt.walk)
			mibc_walk_issue(&walks[i]);
		else
			mibc_issue(&slots[i]);
	*inflight_bytes = live_bytes - before;
	*fds = count_fds();
	int rc = mibc_client_run(client);
	run.end_wall = now_s();
	run.end_cpu = cpu_s();
	mibc_client_free(client);
	free(walks);
	for (size_t i = 0; i < opt.inflight; i++)
		free(slots[i].items);
	free(slots);
	free(targets);
	return rc < 0;
}

/* ---- net-snmp: one session per agent, all in one epoll loop ---- */

struct netsnmp_agent {
	void *sess;
	int fd;
	netsnmp_large_fd_set set;
};

struct netsnmp_slot {
	size_t index;
	struct netsnmp_agent *agent;
};

static oid request_oids[64][MAX_OID_LEN];
static size_t request_oid_len;

static void netsnmp_issue(struct netsnmp_slot *s);

static int netsnmp_on_response(int op, netsnmp_session *session, int reqid,
			       netsnmp_pdu *pdu, void *magic)
{
	(void)session;
	(void)reqid;
	struct netsnmp_slot *s = magic;
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	run.in_flight--;
	size_t good = 0;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu->errstat == SNMP_ERR_NOERROR) {
		for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
			if (v->type == ASN_COUNTER || v->type == ASN_TIMETICKS) {
				run.sink += (uint32_t)*v->val.integer;
				good++;
			}
	}
	if (good == opt.varbinds) {
		run.completed++;
		run.varbinds += good;
	} else {
		run.errors++;
	}
	netsnmp_issue(s);
	return 1;
}

/* --walk: GETBULK over ifTable's subtree, max-repetitions 50, as
 * snmpbulkwalk does; a slot's walk is its `cursor` (the last OID). */
static const oid if_table_oid[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };
static oid walk_cursor[1024][MAX_OID_LEN];
static size_t walk_cursor_len[1024];

static void netsnmp_walk_next(struct netsnmp_slot *s);

static int netsnmp_on_bulk(int op, netsnmp_session *session, int reqid,
			   netsnmp_pdu *pdu, void *magic)
{
	(void)session;
	(void)reqid;
	struct netsnmp_slot *s = magic;
	if (op == NETSNMP_CALLBACK_OP_RESEND)
		return 1;
	run.in_flight--;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu->errstat != SNMP_ERR_NOERROR) {
		run.errors++;
		walk_cursor_len[s->index] = 0;
		netsnmp_walk_next(s);
		return 1;
	}
	bool done = false;
	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable) {
		if (v->name_length <= 9 || snmp_oid_compare(v->name, 9, if_table_oid, 9) != 0
		    || v->type == SNMP_ENDOFMIBVIEW) {
			done = true;
			break;
		}
		run.varbinds++;
		run.completed++;         /* cells */
		if (v->type == ASN_COUNTER)
			run.sink += (uint32_t)*v->val.integer;
		memcpy(walk_cursor[s->index], v->name, v->name_length * sizeof(oid));
		walk_cursor_len[s->index] = v->name_length;
	}
	if (done)
		walk_cursor_len[s->index] = 0;
	netsnmp_walk_next(s);
	return 1;
}

static void netsnmp_walk_next(struct netsnmp_slot *s)
{
	size_t i = s->index;
	if (walk_cursor_len[i] == 0) {
		if (now_s() >= run.deadline)
			return;
		run.issued++;
		memcpy(walk_cursor[i], if_table_oid, sizeof(if_table_oid));
		walk_cursor_len[i] = 9;
	}
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
	pdu->non_repeaters = 0;
	pdu->max_repetitions = 50;
	snmp_add_null_var(pdu, walk_cursor[i], walk_cursor_len[i]);
	if (snmp_sess_async_send(s->agent->sess, pdu, netsnmp_on_bulk, s) == 0) {
		snmp_free_pdu(pdu);
		run.errors++;
		return;
	}
	run.in_flight++;
}

static void netsnmp_issue(struct netsnmp_slot *s)
{
	if (opt.walk) {
		netsnmp_walk_next(s);
		return;
	}
	if (now_s() >= run.deadline)
		return;
	uint32_t row = next_row(s->index);
	run.issued++;
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	for (size_t i = 0; i < opt.varbinds; i++) {
		oid *name = request_oids[i];
		name[request_oid_len - 1] = opt.object == OBJECT_IF_IN_OCTETS ? row + i : 0;
		snmp_add_null_var(pdu, name, request_oid_len);
	}
	if (snmp_sess_async_send(s->agent->sess, pdu, netsnmp_on_response, s) == 0) {
		snmp_free_pdu(pdu);
		run.errors++;
		return;
	}
	run.in_flight++;
}

static int netsnmp_v3_init(void)
{
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp("snmpload");
	return 0;
}

static int open_netsnmp(struct netsnmp_agent *ag, unsigned port, int epfd)
{
	char peer[64];
	snprintf(peer, sizeof(peer), "udp:127.0.0.1:%u", port);
	netsnmp_session s;
	snmp_sess_init(&s);
	s.peername = peer;
	s.timeout = 1000000;
	s.retries = 1;
	if (opt.version == 3) {
		s.version = SNMP_VERSION_3;
		s.securityName = (char *)(uintptr_t)opt.user;
		s.securityNameLen = strlen(opt.user);
		s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
		s.securityAuthProto = usmHMACSHA1AuthProtocol;
		s.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
		s.securityAuthKeyLen = USM_AUTH_KU_LEN;
		s.securityPrivProto = usmAESPrivProtocol;
		s.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
		s.securityPrivKeyLen = USM_PRIV_KU_LEN;
		if (generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen,
				(const u_char *)opt.auth_pass, strlen(opt.auth_pass),
				s.securityAuthKey, &s.securityAuthKeyLen) != SNMPERR_SUCCESS
		    || generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen,
				   (const u_char *)opt.priv_pass, strlen(opt.priv_pass),
				   s.securityPrivKey, &s.securityPrivKeyLen) != SNMPERR_SUCCESS)
			return -1;
	} else {
		s.version = opt.version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		s.community = (u_char *)(uintptr_t)"public";
		s.community_len = 6;
	}
	ag->sess = snmp_sess_open(&s);
	netsnmp_transport *t = ag->sess ? snmp_sess_transport(ag->sess) : NULL;
	if (!t)
		return -1;
	ag->fd = t->sock;
	/* read until the socket is empty: snmp_sess_read2 then fails */
	fcntl(ag->fd, F_SETFL, fcntl(ag->fd, F_GETFL) | O_NONBLOCK);
	netsnmp_large_fd_set_init(&ag->set, ag->fd + 1 > FD_SETSIZE ? ag->fd + 1 : FD_SETSIZE);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ag };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, ag->fd, &ev);
}

static int run_netsnmp(long long *setup_bytes, long long *inflight_bytes, int *fds)
{
	const uint32_t *base = opt.object == OBJECT_IF_IN_OCTETS ? if_in_octets_oid : sys_up_time_oid;
	size_t base_len = opt.object == OBJECT_IF_IN_OCTETS
		? sizeof(if_in_octets_oid) / sizeof(if_in_octets_oid[0])
		: sizeof(sys_up_time_oid) / sizeof(sys_up_time_oid[0]);
	for (size_t i = 0; i < 64; i++)
		for (size_t k = 0; k < base_len; k++)
			request_oids[i][k] = base[k];
	request_oid_len = base_len + 1;
	if (opt.version == 3)
		netsnmp_v3_init();
	long long before = live_bytes;
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct netsnmp_agent *agents = calloc(opt.agents, sizeof(*agents));
	for (size_t a = 0; a < opt.agents; a++)
		if (open_netsnmp(&agents[a], opt.port + (unsigned)a, epfd) < 0) {
			fprintf(stderr, "snmpload: net-snmp session to port %u failed\n",
				opt.port + (unsigned)a);
			return 1;
		}
	struct netsnmp_slot *slots = calloc(opt.inflight, sizeof(*slots));
	for (size_t i = 0; i < opt.inflight; i++)
		slots[i] = (struct netsnmp_slot){ i, &agents[i % opt.agents] };
	*setup_bytes = live_bytes - before;
	before = live_bytes;
	run.start_cpu = cpu_s();
	run.start_wall = now_s();
	run.deadline = run.start_wall + opt.seconds;
	for (size_t i = 0; i < opt.inflight; i++)
		netsnmp_issue(&slots[i]);
	*inflight_bytes = live_bytes - before;
	*fds = count_fds();
	/* net-snmp's timers are checked every 100 ms, not per event: an
	 * application with many sessions would not ask each one its next
	 * deadline per datagram */
	double next_timers = now_s() + 0.1;
	while (run.in_flight > 0) {
		struct epoll_event ev[256];
		int n = epoll_wait(epfd, ev, 256, 100);
		for (int i = 0; i < n; i++) {
			struct netsnmp_agent *ag = ev[i].data.ptr;
			for (;;) {
				NETSNMP_LARGE_FD_SET(ag->fd, &ag->set);
				if (snmp_sess_read2(ag->sess, &ag->set) != 0)
					break;
			}
		}
		if (now_s() >= next_timers) {
			for (size_t a = 0; a < opt.agents; a++)
				snmp_sess_timeout(agents[a].sess);
			next_timers = now_s() + 0.1;
		}
	}
	run.end_wall = now_s();
	run.end_cpu = cpu_s();
	for (size_t a = 0; a < opt.agents; a++) {
		snmp_sess_close(agents[a].sess);
		netsnmp_large_fd_set_cleanup(&agents[a].set);
	}
	free(agents);
	free(slots);
	close(epfd);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: snmpload --client mibc|netsnmp --port BASE [--agents A] "
		"[--inflight K] [--varbinds V] [--seconds S] [--object ifInOctets|sysUpTime] "
		"[--rows R] [--version 1|2c|3] [--user U --auth-pass P --priv-pass Q] [--walk ifTable]\n");
	exit(64);
}

int main(int argc, char **argv)
{
	bool have_client = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--client") == 0) {
			have_client = true;
			if (strcmp(v, "mibc") == 0)
				opt.client = CLIENT_MIBC;
			else if (strcmp(v, "netsnmp") == 0)
				opt.client = CLIENT_NETSNMP;
			else
				usage();
		} else if (strcmp(a, "--port") == 0) {
			opt.port = (unsigned)strtoul(v, NULL, 10);
		} else if (strcmp(a, "--agents") == 0) {
			opt.agents = strtoul(v, NULL, 10);
		} else if (strcmp(a, "--inflight") == 0) {
			opt.inflight = strtoul(v, NULL, 10);
		} else if (strcmp(a, "--varbinds") == 0) {
			opt.varbinds = strtoul(v, NULL, 10);
		} else if (strcmp(a, "--seconds") == 0) {
			opt.seconds = strtod(v, NULL);
		} else if (strcmp(a, "--rows") == 0) {
			opt.rows = (uint32_t)strtoul(v, NULL, 10);
		} else if (strcmp(a, "--object") == 0) {
			if (strcmp(v, "ifInOctets") == 0)
				opt.object = OBJECT_IF_IN_OCTETS;
			else if (strcmp(v, "sysUpTime") == 0)
				opt.object = OBJECT_SYS_UP_TIME;
			else
				usage();
		} else if (strcmp(a, "--version") == 0) {
			opt.version = strcmp(v, "1") == 0 ? 1 : strcmp(v, "3") == 0 ? 3 : 2;
		} else if (strcmp(a, "--user") == 0) {
			opt.user = v;
		} else if (strcmp(a, "--auth-pass") == 0) {
			opt.auth_pass = v;
		} else if (strcmp(a, "--priv-pass") == 0) {
			opt.priv_pass = v;
		} else if (strcmp(a, "--walk") == 0) {
			opt.walk = strcmp(v, "ifTable") == 0;
			if (!opt.walk)
				usage();
		} else {
			usage();
		}
	}
	if (!have_client || opt.port == 0 || opt.port > 65535 || opt.agents == 0
	    || opt.agents > 60000 || opt.inflight == 0 || opt.varbinds == 0
	    || opt.varbinds > 64 || opt.rows < opt.varbinds
	    || (opt.object == OBJECT_SYS_UP_TIME && opt.varbinds != 1)
	    || (opt.version == 3 && (!opt.user || !opt.auth_pass || !opt.priv_pass))
	    || (opt.walk && (opt.inflight > 1024 || opt.version == 1)))
		usage();
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < opt.agents + 64) {
		nofile.rlim_cur = nofile.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	long long setup_bytes = 0, inflight_bytes = 0;
	int fds = 0;
	int rc = opt.client == CLIENT_MIBC ? run_mibc(&setup_bytes, &inflight_bytes, &fds)
		: run_netsnmp(&setup_bytes, &inflight_bytes, &fds);
	if (rc)
		return 1;
	double wall = run.end_wall - run.start_wall, cpu = run.end_cpu - run.start_cpu;
	printf("requests=%llu varbinds=%llu errors=%llu wall_s=%.3f cpu_s=%.3f "
	       "req_per_s=%.0f cpu_us_per_req=%.2f mem_per_inflight=%.0f mem_per_agent=%.0f "
	       "fds=%d counting_malloc=%d\n",
	       run.completed, run.varbinds, run.errors, wall, cpu,
	       wall > 0 ? (double)run.completed / wall : 0.0,
	       run.completed ? cpu * 1e6 / (double)run.completed : 0.0,
	       (double)inflight_bytes / (double)opt.inflight,
	       (double)setup_bytes / (double)opt.agents, fds, COUNTING_MALLOC);
	return run.completed ? 0 : 1;
}
