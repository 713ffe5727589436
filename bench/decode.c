/* Decode cost per varbind: mibc's decoder against net-snmp's on the same
 * response bytes (bench/runtime.sh runs it).
 *
 *   decode [--seconds S] [--only mibc|general|netsnmp [--varbinds 1|50]]
 *
 * The packets: SNMPv2c Responses with 1 and 50 varbinds ifInOctets.r =
 * Counter32, encoded once by mibc's encoder.  Each side does what its
 * client does with a response before the application sees the values:
 * - mibc: what client.c's fast_response() does with a response to a GET
 *   (the code path every valid error-free GET response takes): the
 *   functions of runtime/src/getresp.c on the response and the request
 *   packet the client sent (encoded here as pdu_start() encodes it, for
 *   mibc_get items made with the generated _get_init()): getresp_head()
 *   (the message up to the varbind list, strict), the community compared,
 *   getresp_values() (each name compared with the request's encoded name,
 *   each value decoded and checked against the generated descriptor, into
 *   the client's reusable value slots), getresp_publish() (each item's
 *   status and value set); then the values read back through the
 *   generated accessor if_mib_if_in_octets_value() from the items, as the
 *   application does.  Not counted on either side: finding the request
 *   (mibc: a hash of request-ids; net-snmp: its session's request list).
 * - mibc general path (printed too, as mibc_general_ns_per_vb): what the
 *   client does with any other response: ber_decode() (zero-copy
 *   validation of the whole message into a varbind array), then per
 *   varbind the name compared with the one asked for and the value made
 *   typed and checked against the descriptor (value_from_varbind), in one
 *   malloc'd store, as handle_values() does; then the store freed;
 * - net-snmp: snmp_comstr_parse() (version, community) and
 *   snmp_pdu_parse() into a netsnmp_pdu (a malloc'd variable list), the
 *   values read, snmp_free_pdu() (what _snmp_parse does for v1/v2c before
 *   a callback gets the PDU).
 * Prints one line per packet: nanoseconds per varbind for each and the
 * ratio (mibc's fast path over net-snmp).  --only runs one decoder alone
 * for the whole time (for perf record), on both packets or the one
 * --varbinds names; its lines show only that one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mibc/mibc.h>

#include "ber.h"
#include "getresp.h"
#include "if-mib.h"
#include "value.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#define MAX_VB 50

static uint64_t sink;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct packet {
	uint8_t bytes[4096];
	size_t len;
	size_t n;
	uint32_t asked[MAX_VB][11];  /* the names a client would have asked for */
	/* the client's side: the GET it sent for these items */
	struct mibc_get items[MAX_VB];
	size_t idx[MAX_VB];
	uint8_t req[4096];
	size_t req_len;
};

#define REQUEST_ID 0x12345678

static void make_packet(struct packet *p, size_t n)
{
	struct ber_encode_varbind vb[MAX_VB];
	for (size_t i = 0; i < n; i++) {
		memcpy(p->asked[i], if_mib_if_in_octets_oid, sizeof(uint32_t) * 10);
		p->asked[i][10] = 4000 + (uint32_t)i;
		vb[i] = (struct ber_encode_varbind){ .oid = p->asked[i], .oid_len = 11,
			.value = { .type = BER_COUNTER32, .v.u32 = 3000000000u + (uint32_t)i * 7919u } };
	}
	struct ber_request r = { .version = BER_VERSION_2C,
		.community = (const uint8_t *)"public", .community_len = 6,
		.pdu_type = BER_PDU_RESPONSE, .request_id = REQUEST_ID, .vb = vb, .n_vb = n };
	if (ber_encode(&r, p->bytes, sizeof(p->bytes), &p->len) != 0) {
		fprintf(stderr, "decode: cannot encode the packet\n");
		exit(70);
	}
	p->n = n;
	/* the request, as mibc_get_many() + pdu_start() make it */
	for (size_t i = 0; i < n; i++) {
		if (if_mib_if_in_octets_get_init(&p->items[i], 4000 + (int32_t)i) != 0) {
			fprintf(stderr, "decode: cannot make the request\n");
			exit(70);
		}
		p->idx[i] = i;
		vb[i] = (struct ber_encode_varbind){ .oid = p->items[i].oid,
			.oid_len = p->items[i].oid_len, .value = { .type = BER_NULL } };
	}
	r.pdu_type = BER_PDU_GET;
	if (ber_encode(&r, p->req, sizeof(p->req), &p->req_len) != 0) {
		fprintf(stderr, "decode: cannot encode the request\n");
		exit(70);
	}
}

/* mibc: as client.c's fast_response for a response completing its op. */
static int mibc_fast_decode(const struct packet *cp)
{
	static struct mibc_value values[MAX_VB];     /* the client's scratch */
	static unsigned char store[4096] __attribute__((aligned(8)));
	struct packet *p = (struct packet *)cp;      /* the items get outcomes */
	struct getresp_head h;
	if (getresp_head(p->bytes, p->len, &h) != 0 || h.request_id != REQUEST_ID
	    || h.community_len != 6 || memcmp(h.community, "public", 6) != 0)
		return -1;
	size_t extra;
	int settle = getresp_values(&h, p->req, p->req_len, p->items, p->idx, p->n,
				    values, &extra);
	if (settle < 0 || extra > sizeof(store))
		return -1;
	getresp_publish(values, p->n, settle, store, p->items, p->idx);
	for (size_t i = 0; i < p->n; i++) {
		uint32_t v;
		if (p->items[i].status == 0
		    && if_mib_if_in_octets_value(p->items[i].value, &v) == 0)
			sink += v;
	}
	return 0;
}

/* mibc, general path: as client.c's handle_datagram + handle_values. */
static int mibc_decode(const struct packet *p)
{
	static struct ber_varbind vbs[BER_MAX_VARBINDS];
	struct ber_message m;
	if (ber_decode(p->bytes, p->len, &m, vbs, BER_MAX_VARBINDS) != 0 || m.n_vb != p->n)
		return -1;
	size_t extra = 0;
	for (size_t i = 0; i < m.n_vb; i++)
		extra += value_storage(&m.vb[i]);
	size_t head = VALUE_ALIGN(m.n_vb * sizeof(struct mibc_value));
	unsigned char *store = malloc(head + extra);
	if (!store)
		return -1;
	struct mibc_value *values = (struct mibc_value *)(void *)store;
	unsigned char *more = store + head;
	for (size_t i = 0; i < m.n_vb; i++) {
		if (!ber_oid_equal(m.vb[i].oid, m.vb[i].oid_len, p->asked[i], 11))
			return -1;
		value_from_varbind(&values[i], &m.vb[i], &if_mib_if_in_octets_desc, more);
		more += value_storage(&m.vb[i]);
		uint32_t v;
		if (if_mib_if_in_octets_value(&values[i], &v) == 0)
			sink += v;
	}
	free(store);
	return 0;
}

/* net-snmp: as _snmp_parse for v1/v2c. */
static int netsnmp_decode(const struct packet *p)
{
	u_char data[4096];
	memcpy(data, p->bytes, p->len);  /* snmp_pdu_parse takes non-const bytes */
	size_t len = p->len;
	u_char community[64];
	size_t community_len = sizeof(community);
	long version;
	u_char *pdu_data = snmp_comstr_parse(data, &len, community, &community_len, &version);
	if (!pdu_data)
		return -1;
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_RESPONSE);
	pdu->version = version;
	int rc = snmp_pdu_parse(pdu, pdu_data, &len);
	if (rc == 0)
		for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
			if (v->type == ASN_COUNTER)
				sink += (uint32_t)*v->val.integer;
	snmp_free_pdu(pdu);
	return rc;
}

/* ns per varbind of `decode` on `p` over about `seconds`. */
static double measure(int (*decode)(const struct packet *), const struct packet *p,
		      double seconds)
{
	if (decode(p) != 0) {
		fprintf(stderr, "decode: the packet does not decode\n");
		exit(70);
	}
	unsigned long long rounds = 0;
	double t0 = now_s(), t;
	do {
		for (int i = 0; i < 1000; i++)
			decode(p);
		rounds += 1000;
		t = now_s();
	} while (t - t0 < seconds);
	return (t - t0) * 1e9 / ((double)rounds * (double)p->n);
}

int main(int argc, char **argv)
{
	double seconds = 0.5;
	const char *only = NULL;
	size_t varbinds = 0;  /* both */
	for (int a = 1; a < argc; a += 2) {
		if (a + 1 < argc && strcmp(argv[a], "--seconds") == 0)
			seconds = strtod(argv[a + 1], NULL);
		else if (a + 1 < argc && strcmp(argv[a], "--only") == 0
			 && (strcmp(argv[a + 1], "mibc") == 0
			     || strcmp(argv[a + 1], "general") == 0
			     || strcmp(argv[a + 1], "netsnmp") == 0))
			only = argv[a + 1];
		else if (a + 1 < argc && strcmp(argv[a], "--varbinds") == 0
			 && (strcmp(argv[a + 1], "1") == 0 || strcmp(argv[a + 1], "50") == 0))
			varbinds = (size_t)atoi(argv[a + 1]);
		else {
			fprintf(stderr, "usage: %s [--seconds S] [--only mibc|general|netsnmp [--varbinds 1|50]]\n",
				argv[0]);
			return 64;
		}
	}
	static struct packet one, fifty;
	make_packet(&one, 1);
	make_packet(&fifty, 50);
	const struct packet *packets[] = { &one, &fifty };
	for (size_t i = 0; only && i < 2; i++) {
		if (varbinds && packets[i]->n != varbinds)
			continue;
		int (*decode)(const struct packet *) = strcmp(only, "mibc") == 0 ? mibc_fast_decode
			: strcmp(only, "general") == 0 ? mibc_decode : netsnmp_decode;
		printf("varbinds=%zu %s_ns_per_vb=%.1f\n", packets[i]->n, only,
		       measure(decode, packets[i], seconds / 2));
	}
	for (size_t i = 0; !only && i < 2; i++) {
		/* interleaved, best of 3: the machine is shared */
		double best_m = 1e30, best_g = 1e30, best_n = 1e30;
		for (int k = 0; k < 3; k++) {
			double m = measure(mibc_fast_decode, packets[i], seconds / 4);
			double g = measure(mibc_decode, packets[i], seconds / 12);
			double n = measure(netsnmp_decode, packets[i], seconds / 4);
			best_m = m < best_m ? m : best_m;
			best_g = g < best_g ? g : best_g;
			best_n = n < best_n ? n : best_n;
		}
		printf("varbinds=%zu bytes=%zu mibc_ns_per_vb=%.1f netsnmp_ns_per_vb=%.1f ratio=%.3f mibc_general_ns_per_vb=%.1f\n",
		       packets[i]->n, packets[i]->len, best_m, best_n, best_m / best_n, best_g);
	}
	return sink == 42 ? 1 : 0;
}
