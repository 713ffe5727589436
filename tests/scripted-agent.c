/* The scripted agent of scripted-agent.h: a sorted instance list, a
 * successor function each mode bends, and the BER codec of libmibc to
 * read requests and write answers. */
#include "scripted-agent.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ber.h"

struct instance {
	uint32_t oid[16];
	size_t len;
	uint8_t type;
	int32_t number;
	char text[16];
};

static struct instance instances[64];
static size_t n_instances;

static void add(const uint32_t *prefix, size_t n, uint32_t last, uint8_t type,
		int32_t number, const char *text)
{
	struct instance *in = &instances[n_instances++];
	memcpy(in->oid, prefix, n * sizeof(*prefix));
	in->oid[n] = last;
	in->len = n + 1;
	in->type = type;
	in->number = number;
	if (text)
		snprintf(in->text, sizeof(in->text), "%s", text);
}

static void build_instances(void)
{
	static const uint32_t descr[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 2 };
	static const uint32_t type[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 3 };
	static const uint32_t name[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 };
	static const uint32_t rows[] = { 1, 3, 6, 1, 4, 1, 99999, 1, 1 };
	static const uint32_t after[] = { 1, 3, 6, 1, 4, 1, 99999, 2 };
	n_instances = 0;
	add(descr, 10, 1, BER_OCTET_STRING, 0, "if1");
	add(descr, 10, 2, BER_OCTET_STRING, 0, "if2");
	add(descr, 10, 3, BER_OCTET_STRING, 0, "if3");
	add(type, 10, 1, BER_INTEGER, 6, NULL);
	add(type, 10, 3, BER_INTEGER, 24, NULL);
	add(name, 11, 1, BER_OCTET_STRING, 0, "eth1");
	add(name, 11, 3, BER_OCTET_STRING, 0, "eth3");
	add(name, 11, 4, BER_OCTET_STRING, 0, "eth4");
	for (int32_t i = 1; i <= SCRIPTED_ROWS; i++)
		add(rows, 9, (uint32_t)i, BER_INTEGER, i * 10, NULL);
	add(after, 8, 0, BER_INTEGER, 0, NULL);
}

static int cmp_oid(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* Position of the scripted rows' entry i (1-based) in `instances`. */
static size_t row_pos(size_t i)
{
	return 8 + i - 1;
}

/* The order SCRIPT_UNORDERED hands the rows out in. */
static const size_t unordered_rows[SCRIPTED_ROWS] = {
	1, 2, 3, 7, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

/* The instance after `oid` as the mode has it, or n_instances (end). */
static size_t successor(enum scripted_mode mode, const uint32_t *oid, size_t len)
{
	size_t k = 0;
	while (k < n_instances
	       && cmp_oid(instances[k].oid, instances[k].len, oid, len) <= 0)
		k++;
	if (mode == SCRIPT_LOOP && k == row_pos(9)
	    && cmp_oid(oid, len, instances[row_pos(8)].oid,
		       instances[row_pos(8)].len) == 0)
		return row_pos(3);
	if (mode == SCRIPT_UNORDERED) {
		for (size_t i = 0; i < SCRIPTED_ROWS; i++) {
			const struct instance *in = &instances[row_pos(unordered_rows[i])];
			if (cmp_oid(in->oid, in->len, oid, len) == 0)
				return i + 1 < SCRIPTED_ROWS
				       ? row_pos(unordered_rows[i + 1])
				       : row_pos(SCRIPTED_ROWS) + 1;
		}
		if (k == row_pos(1))
			return row_pos(unordered_rows[0]);
	}
	return k;
}

static void answer(struct scripted_agent *a, const uint8_t *req, size_t len,
		   const struct sockaddr_in *from)
{
	static struct ber_varbind vb[64];
	static struct ber_encode_varbind out[512];
	static uint32_t names[512][BER_MAX_SUBIDS];
	static uint8_t buf[65536];
	struct ber_message m;
	if (ber_decode(req, len, &m, vb, 64) != 0)
		return;
	enum scripted_mode mode = a->mode;
	bool bulk = m.pdu_type == BER_PDU_GETBULK;
	bool v1 = m.version == BER_VERSION_1;
	if (m.pdu_type != BER_PDU_GETNEXT && !bulk)
		return;
	struct ber_request rq = {
		.version = m.version, .community = m.community,
		.community_len = m.community_len, .pdu_type = BER_PDU_RESPONSE,
		.request_id = m.request_id, .vb = out,
	};
	size_t reps = 1;
	if (bulk) {
		a->getbulk++;
		reps = m.error_index > 0 ? (size_t)m.error_index : 0;
		if (reps > 50)
			reps = 50;
		a->last_bulk_varbinds = (uint32_t)(reps * m.n_vb);
	} else {
		a->getnext++;
	}
	size_t n_out = 0;
	if (bulk && mode == SCRIPT_NO_BULK) {
		rq.error_status = 5;
		rq.error_index = 1;
		n_out = 0;
		goto send;
	}
	if (bulk && mode == SCRIPT_EMPTY_BULK)
		goto send;
	if (bulk && mode == SCRIPT_TOO_BIG_EMPTY && reps * m.n_vb > 6) {
		rq.error_status = 1;
		a->too_big_sent++;
		goto send;
	}
	if (mode == SCRIPT_ONE_AT_A_TIME && (m.n_vb > 1 || reps > 1)) {
		rq.error_status = 1;
		a->too_big_sent++;
		goto send;
	}
	uint32_t cur[64][BER_MAX_SUBIDS];
	size_t cur_len[64];
	for (size_t i = 0; i < m.n_vb; i++) {
		int n = ber_oid_decode(vb[i].oid, vb[i].oid_len, cur[i], BER_MAX_SUBIDS);
		cur_len[i] = n > 0 ? (size_t)n : 0;
	}
	for (size_t r = 0; r < reps; r++) {
		for (size_t i = 0; i < m.n_vb && n_out < 512; i++) {
			struct ber_encode_varbind *o = &out[n_out];
			size_t k = successor(mode, cur[i], cur_len[i]);
			if (k >= n_instances) {
				if (v1) {
					rq.error_status = 2; /* noSuchName */
					rq.error_index = (int32_t)i + 1;
					memcpy(names[n_out], cur[i], cur_len[i] * sizeof(uint32_t));
					o->oid = names[n_out];
					o->oid_len = cur_len[i];
					o->value.type = BER_NULL;
					n_out++;
					continue;
				}
				memcpy(names[n_out], cur[i], cur_len[i] * sizeof(uint32_t));
				o->oid = names[n_out];
				o->oid_len = cur_len[i];
				o->value.type = BER_END_OF_MIB_VIEW;
				n_out++;
				continue;
			}
			const struct instance *in = &instances[k];
			struct instance invented;
			if (mode == SCRIPT_ENDLESS && k > row_pos(SCRIPTED_ROWS)
			    && cur_len[i] == instances[row_pos(1)].len
			    && cmp_oid(cur[i], cur_len[i] - 1, instances[row_pos(1)].oid,
				       cur_len[i] - 1) == 0
			    && cur[i][cur_len[i] - 1] < INT32_MAX / 10) {
				/* one more row, after the last one asked for */
				invented = instances[row_pos(1)];
				uint32_t next = cur[i][cur_len[i] - 1] + 1;
				invented.oid[invented.len - 1] = next;
				invented.number = (int32_t)next * 10;
				in = &invented;
			}
			memcpy(names[n_out], in->oid, in->len * sizeof(uint32_t));
			o->oid = names[n_out];
			o->oid_len = in->len;
			o->value.type = in->type;
			if (in->type == BER_INTEGER) {
				o->value.v.i32 = in->number;
			} else {
				o->value.v.octets.data = (const uint8_t *)in->text;
				o->value.v.octets.len = strlen(in->text);
			}
			memcpy(cur[i], in->oid, in->len * sizeof(uint32_t));
			cur_len[i] = in->len;
			n_out++;
		}
		if (v1 || !bulk)
			break;
	}
	if (bulk && mode == SCRIPT_SHORT_BULK && n_out > 7)
		n_out = 7;
send:
	rq.n_vb = n_out;
	size_t olen;
	if (ber_encode(&rq, buf, sizeof(buf), &olen) != 0)
		return;
	sendto(a->fd, buf, olen, 0, (const struct sockaddr *)from, sizeof(*from));
}

static void *agent_main(void *arg)
{
	struct scripted_agent *a = arg;
	static uint8_t buf[65536];
	for (;;) {
		struct pollfd p[2] = { { a->fd, POLLIN, 0 }, { a->stop, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents)
			return NULL;
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(a->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		if (n > 0)
			answer(a, buf, (size_t)n, &from);
	}
}

void scripted_agent_start(struct scripted_agent *a, enum scripted_mode mode)
{
	memset(a, 0, sizeof(*a));
	build_instances();
	a->mode = mode;
	a->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(a->fd, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(a->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	socklen_t sl = sizeof(sa);
	ck_assert_int_eq(getsockname(a->fd, (struct sockaddr *)&sa, &sl), 0);
	a->port = ntohs(sa.sin_port);
	a->stop = eventfd(0, 0);
	ck_assert_int_ge(a->stop, 0);
	ck_assert_int_eq(pthread_create(&a->thread, NULL, agent_main, a), 0);
}

void scripted_agent_stop(struct scripted_agent *a)
{
	uint64_t one = 1;
	ck_assert_int_eq(write(a->stop, &one, sizeof(one)), (ssize_t)sizeof(one));
	pthread_join(a->thread, NULL);
	close(a->fd);
	close(a->stop);
}
