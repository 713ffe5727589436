/* A fault-injecting UDP proxy for tests and the soak run: it sits between
 * SNMP clients and one agent on 127.0.0.1 and, per datagram, by
 * probabilities drawn from a seeded generator, drops, delays, duplicates,
 * reorders, truncates, corrupts and answers from the wrong source port.
 *
 * One thread of its own serves every client: each client (source address
 * and port) gets its own socket towards the agent, so the agent's answers
 * go back to the client that asked.  Requests (client to agent) can be
 * dropped, delayed, duplicated and reordered; replies (agent to client)
 * also truncated, corrupted and sent from another port.  Delayed and
 * duplicated datagrams wait in a bounded queue (the proxy's memory stays
 * flat whatever the load: beyond the bound a datagram is dropped and
 * counted as such).
 *
 * "Corrupt" damages the BER framing: one length octet of the message
 * (outer SEQUENCE, PDU, varbind, any element) is changed.  That is what a
 * broken middlebox or a buggy agent does and what a decoder must survive;
 * changing a value's contents instead would be a valid message with another
 * value, which SNMPv1/v2c cannot detect (only SNMPv3 authentication
 * protects contents), so no client could pass a "right value" check. */
#ifndef MIBC_TEST_FAULTPROXY_H
#define MIBC_TEST_FAULTPROXY_H

#include <stdint.h>

struct faultproxy_config {
	uint64_t seed;             /* the same seed, the same decisions */
	/* probabilities in [0, 1], per datagram */
	double drop;               /* both directions */
	double delay;              /* both: held 0..delay_max_ms */
	unsigned delay_max_ms;
	double duplicate;          /* both: a second copy, delayed 0..delay_max_ms */
	double reorder;            /* both: held until the next one passed */
	double truncate;           /* replies: cut at a random length */
	double corrupt;            /* replies: one BER length octet changed */
	double wrong_port;         /* replies: sent from another port instead */
};

struct faultproxy_stats {
	unsigned long requests;    /* datagrams from clients */
	unsigned long replies;     /* datagrams from the agent */
	unsigned long dropped;
	unsigned long delayed;
	unsigned long duplicated;
	unsigned long reordered;
	unsigned long truncated;
	unsigned long corrupted;
	unsigned long wrong_port;
	unsigned long intact;      /* replies sent unchanged from the right port */
	unsigned long queued_max;  /* most datagrams waiting at once */
};

struct faultproxy;

/* Start a proxy in front of the agent at 127.0.0.1:agent_port: 0, or -1
 * (errno set). */
int faultproxy_start(struct faultproxy **proxy, uint16_t agent_port,
		     const struct faultproxy_config *config);
/* The port clients send to (on 127.0.0.1). */
uint16_t faultproxy_port(const struct faultproxy *proxy);
/* The port wrong-port replies come from. */
uint16_t faultproxy_wrong_port(const struct faultproxy *proxy);
/* Change the faults (the generator keeps its state). */
void faultproxy_configure(struct faultproxy *proxy,
			  const struct faultproxy_config *config);
void faultproxy_get_stats(struct faultproxy *proxy, struct faultproxy_stats *stats);
/* Stop the thread, drop what waits, free everything. */
void faultproxy_stop(struct faultproxy *proxy);

#endif
