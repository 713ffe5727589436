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
 * (`if_mib_if_descr_get(client, req, if_index, cb)`), so applications
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
	X(RANGE, 17, "value out of range")

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

/* A client talking to one agent (opaque; the runtime creates it). */
struct mibc_client;

/* A value from an agent (opaque; valid during the callback only). */
struct mibc_value;

struct mibc_get;

/* Called once per successful mibc_get(): `status` 0 with a value, or a
 * negative error with `value` NULL (an exception such as noSuchInstance
 * comes as status 0 and an error from the value accessors). */
typedef void mibc_get_cb(struct mibc_get *req, int status,
			 const struct mibc_value *value);

/* A GET request: caller-owned storage.  The public fields are set by
 * mibc_get() and may be read in the callback; `mibc_private_` is the
 * runtime's. */
struct mibc_get {
	void *data;                              /* the caller's */
	const struct mibc_object_desc *object;   /* what was asked for */
	uint32_t oid[MIBC_OID_MAX_LEN];          /* the instance's full OID */
	size_t oid_len;
	struct {
		mibc_get_cb *cb;
		struct mibc_get *next;
		int32_t request_id;
		uint32_t flags;
		uint64_t deadline;
	} mibc_private_;
};

/* GET `object` (a scalar or column) at the instance formed by the object's
 * OID followed by `index` (scalars: { 0 }).  Fails with MIBC_E_INDEX when
 * index_len exceeds what fits in an OID (the generated wrappers build
 * `index` with mibc_index_put_*, which count past the end instead of
 * writing there) or does not decode as the object's INDEX. */
int mibc_get(struct mibc_client *client, struct mibc_get *req,
	     const struct mibc_object_desc *object,
	     const uint32_t *index, size_t index_len, mibc_get_cb *cb);

/* Typed reads of a value.  Each returns 0, MIBC_E_WRONG_TYPE when the value
 * has another wire type, or MIBC_E_NO_SUCH_OBJECT, _NO_SUCH_INSTANCE,
 * _END_OF_MIB_VIEW for the SNMP exceptions.  Pointers stay valid while the
 * value does; strings from mibc_value_get_string are NUL-terminated (`len`
 * excludes the NUL). */
enum mibc_wire mibc_value_wire(const struct mibc_value *value);
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

#endif
