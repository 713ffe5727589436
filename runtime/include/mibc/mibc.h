/* mibc runtime: the few generic entry points the generated typed accessors
 * call, typed values and errors.
 *
 * Conventions (after libuv):
 * - Errors are negative ints (MIBC_E_*), 0 is success; mibc_strerror()
 *   and mibc_err_name() describe them.
 * - If a function that takes a callback returns an error, the callback is
 *   never called; if it returns 0, the callback is called exactly once.
 * - Requests are caller-owned and stay untouched by the caller until their
 *   callback ran; `data` is the caller's.
 * - Values passed to callbacks live until the callback returns: copy what
 *   you keep.
 *
 * Generated headers wrap these in typed `static inline` functions
 * (`if_mib_if_descr_get(target, req, if_index, cb)`), so applications
 * rarely call them directly.  C11 and C++ compatible. */
#ifndef MIBC_MIBC_H
#define MIBC_MIBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one list of errors: X(NAME, number, message). */
#define MIBC_ERRORS(X) \
	X(INVAL, 1, "invalid argument") \
	X(NOMEM, 2, "out of memory") \
	X(ABI, 3, "generated code was made for another mibc descriptor ABI: regenerate it") \
	X(INDEX, 4, "index does not match the object's INDEX or is too long") \
	X(NOT_READABLE, 5, "object is not readable") \
	X(WRONG_TYPE, 6, "value has another type than asked for") \
	X(NO_SUCH_OBJECT, 7, "no such object") \
	X(NO_SUCH_INSTANCE, 8, "no such instance") \
	X(END_OF_MIB_VIEW, 9, "end of MIB view") \
	X(SNMP_ERROR, 10, "agent returned an error status") \
	X(TIMEOUT, 11, "no response from the agent") \
	X(CANCELED, 12, "request canceled") \
	X(BUSY, 13, "request already in progress") \
	X(DECODE, 14, "malformed response") \
	X(IO, 15, "network error") \
	X(CLOSED, 16, "client closed") \
	X(RANGE, 17, "value out of range") \
	X(TOO_BIG, 18, "agent error tooBig: the response would not fit even for one object") \
	X(NO_SUCH_NAME, 19, "agent error noSuchName (SNMPv1): no such object or instance") \
	X(BAD_VALUE, 20, "agent error badValue") \
	X(READ_ONLY, 21, "agent error readOnly") \
	X(GEN_ERR, 22, "agent error genErr") \
	X(AUTH, 23, "SNMPv3 authentication failure: the agent reported a wrong digest (auth password or protocol), an unknown user, a decryption error (priv password or protocol) or an unsupported security level") \
	X(UNSUPPORTED, 24, "not supported") \
	X(ADDRESS, 25, "invalid or unsupported address") \
	X(NO_ACCESS, 26, "agent error noAccess: the object is not accessible to this community or user") \
	X(AGENT_WRONG_TYPE, 27, "agent error wrongType: the agent expects another type for this object") \
	X(WRONG_LENGTH, 28, "agent error wrongLength: the agent does not accept a value of this length") \
	X(WRONG_ENCODING, 29, "agent error wrongEncoding: the value's encoding does not fit its type") \
	X(WRONG_VALUE, 30, "agent error wrongValue: the agent never accepts this value for this object") \
	X(NO_CREATION, 31, "agent error noCreation: the instance does not exist and can never be created") \
	X(INCONSISTENT_VALUE, 32, "agent error inconsistentValue: the agent cannot take this value in its current state") \
	X(RESOURCE_UNAVAILABLE, 33, "agent error resourceUnavailable: the agent lacks a resource the assignment needs") \
	X(COMMIT_FAILED, 34, "agent error commitFailed: the assignment failed and every change was undone") \
	X(UNDO_FAILED, 35, "agent error undoFailed: the assignment failed and some changes could not be undone") \
	X(AUTHORIZATION_ERROR, 36, "agent error authorizationError: this community or user may not do this") \
	X(NOT_WRITABLE, 37, "agent error notWritable: the agent does not allow this object to be modified") \
	X(INCONSISTENT_NAME, 38, "agent error inconsistentName: the instance does not exist and cannot be created now") \
	X(MIB_READ_ONLY, 39, "the MIB does not allow setting this object (MAX-ACCESS is not read-write or read-create)") \
	X(SET_UNDONE, 40, "not set: the agent refused another object of the same SET request") \
	X(PARSE, 41, "text does not parse as a value of the object's type, DISPLAY-HINT or enumeration") \
	X(OID_ORDER, 42, "agent returned an OID that does not increase (or repeated one): walk stopped") \
	X(VERSION, 43, "agent answered with another SNMP version than the request's (e.g. SNMPv1 to an SNMPv2c request)") \
	X(WALK_LIMIT, 44, "walk stopped: the agent returned more instances than the walk's limit (max_instances)")

enum mibc_error {
	MIBC_OK = 0,
#define MIBC_ERROR_ENUM_(name, number, message) MIBC_E_##name = -(number),
	MIBC_ERRORS(MIBC_ERROR_ENUM_)
#undef MIBC_ERROR_ENUM_
};

/* "no response from the agent"; "unknown error" for unknown codes. */
const char *mibc_strerror(int err);
/* "MIBC_E_TIMEOUT"; "MIBC_OK" for 0; NULL for unknown codes. */
const char *mibc_err_name(int err);
/* The code of an error-status an agent sent: 0 for noError, its own
 * MIBC_E_ code for 1..18 (tooBig ... inconsistentName), MIBC_E_SNMP_ERROR
 * for others. */
int mibc_error_status_code(int32_t error_status);

/* ---- Clients and targets ----
 *
 * A client (opaque) owns the network side: one non-blocking UDP socket per
 * address family, shared by every agent it talks to, the table of requests
 * in flight and their timers.  A target (opaque) is one agent as seen by a
 * client: address and port, SNMP version, community, timeout and retries.
 * A client serves any number of targets; generated accessors take the
 * target to ask (`if_mib_if_descr_get(target, req, if_index, cb)`).
 *
 * Nothing here is thread-safe: use a client from one thread at a time. */
struct mibc_client;
struct mibc_target;

enum mibc_version {
	MIBC_VERSION_1 = 0,          /* the wire values of msgVersion */
	MIBC_VERSION_2C = 1,
	MIBC_VERSION_3 = 3,          /* USM, through net-snmp */
};

/* SNMPv3 USM settings.  MIBC_SEC_DEFAULT: authPriv with a priv password,
 * authNoPriv with an auth password only, else noAuthNoPriv. */
enum mibc_sec_level {
	MIBC_SEC_DEFAULT = 0,
	MIBC_SEC_NOAUTH_NOPRIV = 1,  /* the wire values of net-snmp */
	MIBC_SEC_AUTH_NOPRIV = 2,
	MIBC_SEC_AUTH_PRIV = 3,
};

enum mibc_auth_proto {
	MIBC_AUTH_SHA = 0,           /* the default */
	MIBC_AUTH_MD5,
	MIBC_AUTH_SHA224,
	MIBC_AUTH_SHA256,
	MIBC_AUTH_SHA384,
	MIBC_AUTH_SHA512,
};

enum mibc_priv_proto {
	MIBC_PRIV_AES = 0,           /* AES-128 (CFB), the default */
	MIBC_PRIV_DES,
	MIBC_PRIV_AES192,            /* Blumenthal key extension */
	MIBC_PRIV_AES256,
};

/* A target's settings: start from mibc_target_config_init() (defaults:
 * port 161, v2c, community "public", timeout 1000 ms, 1 retry, at most 32
 * objects per PDU), then set what differs.  Strings are copied. */
struct mibc_target_config {
	const char *address;         /* numeric IPv4 or IPv6 ("127.0.0.1", "::1") */
	uint16_t port;
	enum mibc_version version;
	const char *community;       /* v1/v2c; never logged */
	unsigned timeout_ms;         /* per try */
	unsigned retries;            /* retransmissions after the first try */
	/* Objects per GET PDU (1 for agents that garble multi-varbind GETs);
	 * a request with more objects is split.  tooBig splits further. */
	unsigned max_objects;
	/* SNMPv3 (ignored otherwise).  Passwords are used at
	 * mibc_target_new() only: the target keeps the derived keys, never the
	 * passwords, never logs them, and zeroes its keys when freed.  Two
	 * targets with the same user name on agents sharing one engine ID
	 * share net-snmp's one USM user: with different passwords the target
	 * discovered last wins and the other's requests end MIBC_E_AUTH. */
	const char *user;            /* securityName */
	enum mibc_sec_level security_level;
	enum mibc_auth_proto auth_proto;
	const char *auth_password;   /* at least 8 characters */
	enum mibc_priv_proto priv_proto;
	const char *priv_password;   /* at least 8 characters */
};

void mibc_target_config_init(struct mibc_target_config *config);

/* A client: 0 and *client, or MIBC_E_NOMEM / MIBC_E_IO. */
int mibc_client_new(struct mibc_client **client);
/* Completes every pending request with MIBC_E_CANCELED (callbacks run
 * inside this call), frees the targets, closes the sockets.  Not from a
 * callback of this client.  NULL is ignored. */
void mibc_client_free(struct mibc_client *client);

/* A target of `client`: MIBC_E_INVAL (bad settings), MIBC_E_ADDRESS (not a
 * numeric address), MIBC_E_UNSUPPORTED (an SNMPv3 protocol net-snmp lacks),
 * MIBC_E_IO (no socket for the address family, or no net-snmp session),
 * MIBC_E_NOMEM.  SNMPv3 targets use one net-snmp session each (one socket
 * in the client's epoll fd); the agent's engine ID is discovered
 * asynchronously at the first request (never blocking), rediscovered on
 * an unknownEngineID report, and a notInTimeWindow report makes the
 * request retried once.  net-snmp's library is initialized once per
 * process at the first SNMPv3 target (reading no configuration or MIB
 * files): not thread-safe. */
int mibc_target_new(struct mibc_client *client,
		    const struct mibc_target_config *config,
		    struct mibc_target **target);
/* Completes the target's pending requests with MIBC_E_CANCELED, frees it.
 * (mibc_client_free frees the targets left.) */
void mibc_target_free(struct mibc_target *target);
struct mibc_client *mibc_target_client(const struct mibc_target *target);

/* ---- Event loop integration ----
 * Poll mibc_client_fd() for readability (it never changes; an epoll fd
 * standing for the client's sockets), wake up after mibc_client_timeout()
 * ms at the latest (-1: no timer, 0: now), then call
 * mibc_client_dispatch(): it reads what arrived, retransmits and expires,
 * and runs the callbacks, without blocking. */
int mibc_client_fd(const struct mibc_client *client);
int mibc_client_timeout(const struct mibc_client *client);
int mibc_client_dispatch(struct mibc_client *client);
/* Requests not yet completed. */
size_t mibc_client_pending(const struct mibc_client *client);
/* The small run loop: dispatch until no request is pending (0) or an
 * error of the loop itself (MIBC_E_IO). */
int mibc_client_run(struct mibc_client *client);

/* ---- Values ---- */

/* A value from an agent (opaque; valid during the callback only, unless
 * made with mibc_value_dup()). */
struct mibc_value;

struct mibc_get;

/* Called exactly once per mibc_get() that returned 0, with the request's
 * outcome (also in req->status and req->value):
 * - status 0: `value` holds a value of the object's MIB type, within its
 *   ranges, sizes and enumeration;
 * - status < 0 with `value`: the agent answered for the object, but with an
 *   exception (MIBC_E_NO_SUCH_OBJECT, _NO_SUCH_INSTANCE, _END_OF_MIB_VIEW),
 *   another wire type than the MIB's (MIBC_E_WRONG_TYPE: read it with the
 *   accessor of mibc_value_wire()), or a value outside the MIB's
 *   range/size/enumeration (MIBC_E_RANGE: still readable as usual);
 * - status < 0 with `value` NULL: no value (MIBC_E_TIMEOUT, _CANCELED,
 *   the agent's error-status: _TOO_BIG, _NO_SUCH_NAME, _GEN_ERR,
 *   _AUTHORIZATION_ERROR... (mibc_error_status_code), _DECODE for a
 *   response that did not answer this object, or when only malformed
 *   responses came from the agent before the last try expired, _VERSION
 *   for a response in another SNMP version).  A response counts only from
 *   the target's address and port, with the request's request-id and
 *   community (v1/v2c).
 * The callback may start new requests and cancel others. */
typedef void mibc_get_cb(struct mibc_get *req, int status,
			 const struct mibc_value *value);

/* A GET of one object: caller-owned storage.  The public fields are set by
 * mibc_get_init() (or mibc_get()) and the outcome fields before callbacks;
 * `mibc_private_` is the runtime's. */
struct mibc_get {
	void *data;                              /* the caller's */
	const struct mibc_object_desc *object;   /* what was asked for */
	uint32_t oid[MIBC_OID_MAX_LEN];          /* the instance's full OID */
	size_t oid_len;
	int status;                              /* outcome, as the callback's */
	const struct mibc_value *value;
	struct {
		mibc_get_cb *cb;
		void *op;
	} mibc_private_;
};

/* Prepare `req` for `object` (a readable scalar or column) at the instance
 * formed by the object's OID followed by `index` (scalars: { 0 }):
 * MIBC_E_INDEX when index_len exceeds what fits in an OID (the generated
 * wrappers build `index` with mibc_index_put_*, which count past the end
 * instead of writing there), MIBC_E_NOT_READABLE, MIBC_E_ABI,
 * MIBC_E_INVAL.  Keeps req->data. */
int mibc_get_init(struct mibc_get *req, const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len);

/* mibc_get_init() and send: GET `object` from `target`. */
int mibc_get(struct mibc_target *target, struct mibc_get *req,
	     const struct mibc_object_desc *object,
	     const uint32_t *index, size_t index_len, mibc_get_cb *cb);

/* Cancel a pending request: its callback runs inside this call with
 * MIBC_E_CANCELED.  MIBC_E_INVAL when it is not pending. */
int mibc_get_cancel(struct mibc_get *req);

/* ---- GET of many objects ----
 * `n` requests prepared with mibc_get_init() (their callbacks unused), sent
 * to one target in as few PDUs as the target's max_objects and the agent
 * (tooBig) allow.  `cb` runs exactly once when all are done; then each
 * item's `status` and `value` say its outcome as for mibc_get_cb, and every
 * item's value stays valid until `cb` returns. */
struct mibc_batch;
typedef void mibc_batch_cb(struct mibc_batch *batch);

struct mibc_batch {
	void *data;                              /* the caller's */
	struct mibc_get *items;
	size_t n_items;
	struct {
		mibc_batch_cb *cb;
		void *op;
	} mibc_private_;
};

int mibc_get_many(struct mibc_target *target, struct mibc_batch *batch,
		  struct mibc_get *items, size_t n, mibc_batch_cb *cb);
/* As mibc_get_cancel. */
int mibc_batch_cancel(struct mibc_batch *batch);

/* ---- Any PDU: the layer walks, tables and SET are built on ----
 * One request PDU (GET, GETNEXT, GETBULK, SET) to one target, answered by
 * the agent's whole response: its error-status and every varbind as the
 * agent sent it (names and values untyped: no descriptor checks).  The
 * request is retransmitted with the same request-id (timeout, retries of
 * the target) but never split: a tooBig comes back to the caller. */
enum mibc_pdu_type {
	MIBC_PDU_GET = 0xa0,         /* the BER tags */
	MIBC_PDU_GETNEXT = 0xa1,
	MIBC_PDU_SET = 0xa3,
	MIBC_PDU_GETBULK = 0xa5,     /* SNMPv2c and v3 only */
};

/* A value to send (SET), transparent so callers can fill it; GET, GETNEXT
 * and GETBULK varbinds leave `wire` MIBC_WIRE_NONE (NULL is sent). */
struct mibc_data {
	enum mibc_wire wire;
	int64_t i;                   /* MIBC_WIRE_INTEGER (Integer32 range) */
	uint64_t u;                  /* Counter32, Gauge32, TimeTicks, Counter64 */
	const uint8_t *octets;       /* OCTET STRING, Opaque, IpAddress (4) */
	size_t len;
	const uint32_t *oid;         /* MIBC_WIRE_OID */
	size_t oid_len;
};

struct mibc_varbind_out {
	const uint32_t *oid;
	size_t oid_len;
	struct mibc_data value;
};

/* A varbind of a response: valid during the callback only (copy values
 * with mibc_value_dup). */
struct mibc_varbind {
	const uint32_t *oid;
	size_t oid_len;
	const struct mibc_value *value;
};

struct mibc_pdu;
typedef void mibc_pdu_cb(struct mibc_pdu *req, int status);

/* Caller-owned.  Fill `type`, `out`, `n_out` (and for GETBULK
 * `bulk_non_repeaters`, `bulk_max_repetitions`) then mibc_pdu_send(); `out` is
 * encoded at once and need not outlive the call.  In the callback:
 * - status 0: a response with error-status noError;
 * - status from the agent's error-status, one code each
 *   (mibc_error_status_code: MIBC_E_TOO_BIG, _NO_SUCH_NAME, ...,
 *   _NO_ACCESS, _WRONG_VALUE, _NOT_WRITABLE; _SNMP_ERROR beyond 18), also
 *   in `error_status`: the response's varbinds are there too,
 *   `error_index` names one;
 * - MIBC_E_TIMEOUT, _CANCELED, _DECODE (a response that does not parse, when
 *   no valid one came before the last try expired, or is not a Response
 *   PDU), _VERSION (a response in another SNMP version), _AUTH (SNMPv3
 *   reports): no varbinds. */
struct mibc_pdu {
	void *data;                              /* the caller's */
	enum mibc_pdu_type type;
	/* (not non_repeaters / max_repetitions: net-snmp #defines those) */
	uint32_t bulk_non_repeaters;             /* GETBULK */
	uint32_t bulk_max_repetitions;           /* GETBULK */
	const struct mibc_varbind_out *out;
	size_t n_out;
	/* outcome */
	int status;
	int32_t error_status;                    /* as the agent sent it */
	int32_t error_index;
	const struct mibc_varbind *vbs;
	size_t n_vbs;
	struct {
		mibc_pdu_cb *cb;
		void *op;
	} mibc_private_;
};

/* MIBC_E_INVAL (bad type, GETBULK to an SNMPv1 target, a value that cannot
 * be encoded), MIBC_E_TOO_BIG (does not fit in one datagram), MIBC_E_NOMEM;
 * else 0 and `cb` runs exactly once. */
int mibc_pdu_send(struct mibc_target *target, struct mibc_pdu *req,
		  mibc_pdu_cb *cb);
/* As mibc_get_cancel. */
int mibc_pdu_cancel(struct mibc_pdu *req);

/* The target's SNMP version (walks choose GETNEXT for SNMPv1). */
enum mibc_version mibc_target_version(const struct mibc_target *target);

/* ---- Blocking ----
 * GET one object and wait (running the client's loop, which serves its
 * other requests meanwhile): the status as for mibc_get_cb, and in *value a
 * copy of the value when there is one (else NULL) to free with
 * mibc_value_free(). */
int mibc_get_wait(struct mibc_target *target,
		  const struct mibc_object_desc *object,
		  const uint32_t *index, size_t index_len,
		  struct mibc_value **value);

/* A copy of a value that lives until mibc_value_free(); NULL without
 * memory. */
struct mibc_value *mibc_value_dup(const struct mibc_value *value);
void mibc_value_free(struct mibc_value *value);

/* Typed reads of a value.  Each returns 0, MIBC_E_WRONG_TYPE when the value
 * has another wire type, or MIBC_E_NO_SUCH_OBJECT, _NO_SUCH_INSTANCE,
 * _END_OF_MIB_VIEW for the SNMP exceptions.  Pointers stay valid while the
 * value does; strings from mibc_value_get_string are NUL-terminated (`len`
 * excludes the NUL).  mibc_value_get_uint64 also reads Counter32, Gauge32
 * and TimeTicks; mibc_value_get_octets also reads Opaque (its contents)
 * and IpAddress; mibc_value_get_float reads UCD-SNMP-MIB's
 * Opaque-wrapped float and double. */
enum mibc_wire mibc_value_wire(const struct mibc_value *value);
/* 0, or the MIBC_E_WRONG_TYPE / MIBC_E_RANGE / exception flag. */
int mibc_value_check(const struct mibc_value *value);
int mibc_value_get_int32(const struct mibc_value *value, int32_t *v);
int mibc_value_get_uint32(const struct mibc_value *value, uint32_t *v);
int mibc_value_get_uint64(const struct mibc_value *value, uint64_t *v);
int mibc_value_get_octets(const struct mibc_value *value,
			  const uint8_t **data, size_t *len);
int mibc_value_get_string(const struct mibc_value *value,
			  const char **s, size_t *len);
int mibc_value_get_oid(const struct mibc_value *value,
		       const uint32_t **sub, size_t *len);
int mibc_value_get_ipaddress(const struct mibc_value *value, uint8_t addr[4]);
int mibc_value_get_float(const struct mibc_value *value, double *v);

/* Building an instance index: append to `ix` (room for MIBC_OID_MAX_LEN
 * sub-identifiers) at position `n`, return the new length.  Past the end
 * nothing is written but the length still grows, so mibc_get() can report
 * MIBC_E_INDEX. */
static inline size_t mibc_index_put_uint32(uint32_t *ix, size_t n, uint32_t v)
{
	if (n < MIBC_OID_MAX_LEN)
		ix[n] = v;
	return n < SIZE_MAX ? n + 1 : n;
}

static inline size_t mibc_index_put_int32(uint32_t *ix, size_t n, int32_t v)
{
	return mibc_index_put_uint32(ix, n, (uint32_t)v);
}

/* An OCTET STRING (or IpAddress: 4 octets, no length): with its length
 * first unless IMPLIED or of fixed size. */
static inline size_t mibc_index_put_octets(uint32_t *ix, size_t n,
					   const uint8_t *s, size_t len,
					   bool length_first)
{
	if (length_first)
		n = mibc_index_put_uint32(ix, n,
					  len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
	for (size_t i = 0; i < len; i++)
		n = mibc_index_put_uint32(ix, n, s[i]);
	return n;
}

static inline size_t mibc_index_put_oid(uint32_t *ix, size_t n,
					const uint32_t *sub, size_t len,
					bool length_first)
{
	if (length_first)
		n = mibc_index_put_uint32(ix, n,
					  len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
	for (size_t i = 0; i < len; i++)
		n = mibc_index_put_uint32(ix, n, sub[i]);
	return n;
}

#ifdef __cplusplus
}
#endif

/* Walks and tables (GETNEXT/GETBULK over mibc_pdu_send). */
#include <mibc/walk.h>

#endif
