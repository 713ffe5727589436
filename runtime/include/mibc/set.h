/* mibc runtime: SET requests.
 *
 * A SET assigns values to one or more instances in one PDU, all or
 * nothing (RFC 3416 4.2.5).  Before anything is sent, each value is checked
 * against its object's descriptor: MAX-ACCESS (MIBC_E_MIB_READ_ONLY), wire
 * type (MIBC_E_WRONG_TYPE), ranges, sizes, enumeration and BITS names
 * (MIBC_E_RANGE); a request that fails a check never reaches the agent.
 * The agent's refusals come back as their own codes (MIBC_E_NOT_WRITABLE,
 * _WRONG_VALUE, _INCONSISTENT_VALUE, _AGENT_WRONG_TYPE, _NO_ACCESS...,
 * see MIBC_ERRORS in mibc/mibc.h).
 *
 * Generated headers wrap these in typed setters for every read-write and
 * read-create object:
 *
 *   snmpv2_mib_sys_contact_set(target, req, "ops desk", 8, cb);
 *   snmpv2_mib_snmp_enable_authen_traps_set_init(&items[0],
 *           SNMPV2_MIB_SNMP_ENABLE_AUTHEN_TRAPS_DISABLED);
 *
 * and RowStatus columns also get x_create_and_go() and x_destroy().
 * Conventions as in mibc/mibc.h (caller-owned requests, a callback exactly
 * once when a call returned 0).  C11 and C++ compatible. */
#ifndef MIBC_SET_H
#define MIBC_SET_H

#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Values to send ----
 * Fill a struct mibc_data (mibc/mibc.h) for a wire type; pointers are the
 * caller's and are read when the request is sent. */
static inline struct mibc_data mibc_data_integer(int32_t v)
{
	struct mibc_data d = { MIBC_WIRE_INTEGER, v, 0, NULL, 0, NULL, 0 };
	return d;
}

/* Counter32, Gauge32 (Unsigned32), TimeTicks, Counter64. */
static inline struct mibc_data mibc_data_unsigned(enum mibc_wire wire,
						  uint64_t v)
{
	struct mibc_data d = { wire, 0, v, NULL, 0, NULL, 0 };
	return d;
}

/* OCTET STRING (and BITS), Opaque. */
static inline struct mibc_data mibc_data_octets(const uint8_t *octets,
						size_t len)
{
	struct mibc_data d = { MIBC_WIRE_OCTET_STRING, 0, 0, octets, len, NULL, 0 };
	return d;
}

static inline struct mibc_data mibc_data_ipaddress(const uint8_t addr[4])
{
	struct mibc_data d = { MIBC_WIRE_IPADDRESS, 0, 0, addr, 4, NULL, 0 };
	return d;
}

static inline struct mibc_data mibc_data_oid(const uint32_t *sub, size_t len)
{
	struct mibc_data d = { MIBC_WIRE_OID, 0, 0, NULL, 0, sub, len };
	return d;
}

/* Whether `value` is a value of `object`'s MIB type: 0, MIBC_E_WRONG_TYPE
 * (another wire type), MIBC_E_RANGE (outside the ranges or sizes, an
 * enumeration number without a name, a BITS bit without a name, an
 * IpAddress that is not 4 octets, an OID longer than 128 or shorter than
 * 2), MIBC_E_INVAL (NULL arguments, an object without a value, an OID
 * that BER cannot encode).  Access is not checked here. */
int mibc_data_check(const struct mibc_object_desc *object,
		    const struct mibc_data *value);

/* ---- One instance ---- */
struct mibc_set;
typedef void mibc_set_cb(struct mibc_set *req, int status);

/* RowStatus (SNMPv2-TC) values: the actions a SET can ask for. */
enum mibc_row_status {
	MIBC_ROW_ACTIVE = 1,
	MIBC_ROW_NOT_IN_SERVICE = 2,
	MIBC_ROW_NOT_READY = 3,        /* never set: the agent reports it */
	MIBC_ROW_CREATE_AND_GO = 4,
	MIBC_ROW_CREATE_AND_WAIT = 5,
	MIBC_ROW_DESTROY = 6,
};

/* One instance and its new value: caller-owned.  `status` is the outcome:
 * 0, MIBC_E_TIMEOUT / _CANCELED / _AUTH / _DECODE (a response that does
 * not answer the request), the agent's error for the instance it blamed
 * (MIBC_E_NOT_WRITABLE...), or MIBC_E_SET_UNDONE for the other instances
 * of a refused SET. */
struct mibc_set {
	void *data;                              /* the caller's */
	const struct mibc_object_desc *object;   /* NULL: set by OID */
	uint32_t oid[MIBC_OID_MAX_LEN];          /* the instance's full OID */
	size_t oid_len;
	/* What is sent; its octets or sub-identifiers are the caller's and
	 * must live until the request is sent (mibc_set_send, mibc_set_many
	 * return). */
	struct mibc_data value;
	int status;
	struct {
		mibc_set_cb *cb;
		void *op;
	} mibc_private_;
};

/* Prepare `req`: `object` (a scalar or column) at its OID followed by
 * `index` (scalars: { 0 }), `value` checked with mibc_data_check and
 * against MAX-ACCESS (read-write, read-create, write-only).  0, or
 * MIBC_E_MIB_READ_ONLY, _WRONG_TYPE, _RANGE, _INDEX, _ABI, _INVAL.
 * Keeps req->data. */
int mibc_set_init(struct mibc_set *req, const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  const struct mibc_data *value);

/* Prepare `req` for any instance OID, without a descriptor and without
 * checks (the agent decides): for OIDs no compiled MIB names, and for
 * MIBs that disagree with their agents.  MIBC_E_INVAL for OIDs shorter
 * than 2 or longer than 128. */
int mibc_set_init_oid(struct mibc_set *req, const uint32_t *oid,
		      size_t oid_len, const struct mibc_data *value);

/* Prepare `req` to set a RowStatus column: the value `action`
 * (MIBC_ROW_CREATE_AND_GO, _DESTROY...) checked as by mibc_set_init. */
int mibc_set_init_row_status(struct mibc_set *req,
			     const struct mibc_object_desc *row_status,
			     const uint32_t *index, size_t index_len,
			     enum mibc_row_status action);

/* Send a prepared request: `cb` runs once with the outcome.  MIBC_E_INVAL
 * (not prepared), MIBC_E_BUSY (already pending), MIBC_E_TOO_BIG,
 * MIBC_E_NOMEM. */
int mibc_set_send(struct mibc_target *target, struct mibc_set *req,
		  mibc_set_cb *cb);

/* mibc_set_init() and mibc_set_send(). */
int mibc_set(struct mibc_target *target, struct mibc_set *req,
	     const struct mibc_object_desc *object,
	     const uint32_t *index, size_t index_len,
	     const struct mibc_data *value, mibc_set_cb *cb);

/* Cancel a pending SET (an item of a batch: the whole batch): its
 * callback runs inside this call with MIBC_E_CANCELED (the agent may still
 * have applied it).  MIBC_E_INVAL when it is not pending. */
int mibc_set_cancel(struct mibc_set *req);

/* ---- Many instances, one PDU ----
 * `n` requests prepared with mibc_set_init*() (their callbacks unused) go
 * out in one SET PDU: the agent applies all of them or none.  A SET is
 * never split (MIBC_E_TOO_BIG when it does not fit a datagram).  `cb`
 * runs once; then `status` is the outcome (0 or the error), `failed` the
 * item the agent blamed (its error-index; n_items when none), and every
 * item's `status` says its own outcome. */
struct mibc_set_batch;
typedef void mibc_set_batch_cb(struct mibc_set_batch *batch);

struct mibc_set_batch {
	void *data;                              /* the caller's */
	struct mibc_set *items;
	size_t n_items;
	int status;
	size_t failed;
	struct {
		mibc_set_batch_cb *cb;
		void *op;
	} mibc_private_;
};

int mibc_set_many(struct mibc_target *target, struct mibc_set_batch *batch,
		  struct mibc_set *items, size_t n, mibc_set_batch_cb *cb);
/* As mibc_set_cancel. */
int mibc_set_batch_cancel(struct mibc_set_batch *batch);

/* ---- Blocking ----
 * mibc_set() and wait (running the client's loop, which serves its other
 * requests meanwhile): the outcome as for mibc_set_cb. */
int mibc_set_wait(struct mibc_target *target,
		  const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  const struct mibc_data *value);

#ifdef __cplusplus
}
#endif

#endif
