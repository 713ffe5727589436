/* The runtime's BER codec for SNMPv1 and SNMPv2c messages (private).
 *
 * Encoding: ber_encode() writes one whole message (version, community, a
 * PDU with its varbinds) into a caller buffer: definite, minimal-length
 * encodings, no allocation.  It writes backwards from the end of the buffer
 * (so every length is known when it is written) and moves the result to
 * the start: one pass and one memmove per message.
 *
 * Decoding: ber_decode() checks a whole datagram and fills a struct
 * ber_message whose strings, OIDs and values point into the datagram
 * (zero-copy, no allocation): the datagram must outlive the message.  All
 * bytes are untrusted; everything is validated in ber_decode(), so reading
 * a decoded message (ber_oid_decode() on its OIDs) cannot fail later.
 *
 * What the decoder accepts beyond minimal DER, because real agents send it:
 * - long-form lengths where the short form would do (0x81 05), with up to 4
 *   length octets, but no length above 65535 (SNMP over UDP);
 * - INTEGER (and request-id, error-status, error-index) in 1..4 octets with
 *   redundant leading 0x00/0xFF octets (agents that always write 4 octets);
 *   5 or more octets are refused even when the value would fit;
 * - unsigned types (Counter32, Gauge32, TimeTicks, UInteger32, Counter64)
 *   read as an unsigned big-endian magnitude: with or without the leading
 *   0x00 an encoder should add when the high bit is set (Counter32
 *   0xFFFFFFFF in 4 octets), and with redundant leading zeros, up to 5
 *   octets (Counter64: 9) where the extra first octet must be 0x00;
 * - Opaque is kept raw; net-snmp's wrapped float (9f 78 04 + 4 octets),
 *   double (9f 79 08 + 8), counter64 (9f 76), int64 (9f 7a) and uint64
 *   (9f 7b) are decoded as well when the Opaque holds exactly one of them;
 * - an empty OBJECT IDENTIFIER value (zero sub-identifiers; a varbind name
 *   must have at least one octet);
 * - any standard PDU type with the request/response structure (Get,
 *   GetNext, Response, Set, GetBulk, Inform, SNMPv2-Trap, Report) in
 *   either version: callers check the type they expect.
 * What it refuses, each with its own code: see BER_ERRORS.  OIDs must be
 * canonical (no 0x80 leading octet in a sub-identifier), so equal OIDs
 * have equal encodings and callers may compare encoded names with memcmp.
 */
#ifndef MIBC_BER_H
#define MIBC_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Internal to libmibc: not exported from the shared library. */
#pragma GCC visibility push(hidden)

/* Errors: negative, in their own space (-100 and below) so they are never
 * mistaken for MIBC_E_*; the client maps decode errors to MIBC_E_DECODE. */
#define BER_ERRORS(X) \
	X(NOSPACE, 100, "output buffer too small") \
	X(INVAL, 101, "invalid value to encode") \
	X(TRUNCATED, 102, "message truncated") \
	X(LENGTH, 103, "length beyond the enclosing element") \
	X(INDEFINITE, 104, "indefinite length") \
	X(LENGTH_OF_LENGTH, 105, "more than 4 length octets") \
	X(TOO_BIG, 106, "length above 65535") \
	X(TAG, 107, "unexpected tag") \
	X(PDU_TYPE, 108, "unsupported PDU type") \
	X(VALUE_TAG, 109, "unsupported value type") \
	X(VERSION, 110, "unsupported SNMP version") \
	X(INT_EMPTY, 111, "integer without octets") \
	X(INT_WIDTH, 112, "integer wider than its type") \
	X(INT_RANGE, 113, "integer value out of its type's range") \
	X(NULL_LENGTH, 114, "NULL or exception with contents") \
	X(IPADDRESS, 115, "IpAddress not 4 octets") \
	X(OID_EMPTY, 116, "empty OBJECT IDENTIFIER") \
	X(OID_TOO_LONG, 117, "OBJECT IDENTIFIER with more than 128 sub-identifiers") \
	X(OID_SUBID, 118, "OBJECT IDENTIFIER sub-identifier above 4294967295") \
	X(OID_UNTERMINATED, 119, "OBJECT IDENTIFIER ends inside a sub-identifier") \
	X(OID_PADDING, 120, "OBJECT IDENTIFIER sub-identifier with a 0x80 leading octet") \
	X(EXTRA, 121, "unexpected data at the end of a SEQUENCE") \
	X(TRAILING, 122, "data after the message") \
	X(TOO_MANY_VARBINDS, 123, "more varbinds than the limit")

enum ber_error {
	BER_OK = 0,
#define BER_ERROR_ENUM_(name, number, message) BER_E_##name = -(number),
	BER_ERRORS(BER_ERROR_ENUM_)
#undef BER_ERROR_ENUM_
};

/* An unsigned magnitude p[0..n) of at most `bytes` octets, plus one
 * leading 0x00: 0 or BER_E_INT_*.  Inline: both the general decoder and
 * the GET fast path (getresp.c) read every unsigned value through it. */
static inline int ber_uint_parse(const uint8_t *p, size_t n, size_t bytes,
				 uint64_t *out)
{
	if (n == 0)
		return BER_E_INT_EMPTY;
	if (n > bytes + 1)
		return BER_E_INT_WIDTH;
	if (n == bytes + 1) {
		if (p[0] != 0)
			return BER_E_INT_RANGE;
		p++;
		n--;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	*out = v;
	return 0;
}

/* "message truncated"; "unknown BER error" for other codes. */
const char *ber_strerror(int err);
/* "BER_E_TRUNCATED"; "BER_OK" for 0; NULL for unknown codes. */
const char *ber_err_name(int err);

/* Limits. */
#define BER_MAX_LENGTH 65535u      /* any length field */
#define BER_MAX_SUBIDS 128u        /* RFC 3416 */
#define BER_MAX_VARBINDS 1024u     /* per decoded message */

enum ber_version {
	BER_VERSION_1 = 0,
	BER_VERSION_2C = 1,
};

/* Tags: universal, SNMP application types, exceptions, PDUs. */
enum ber_tag {
	BER_INTEGER = 0x02,
	BER_OCTET_STRING = 0x04,
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQUENCE = 0x30,
	BER_IPADDRESS = 0x40,
	BER_COUNTER32 = 0x41,
	BER_GAUGE32 = 0x42,          /* also Unsigned32 */
	BER_TIMETICKS = 0x43,
	BER_OPAQUE = 0x44,
	BER_NSAP = 0x45,             /* decoded raw */
	BER_COUNTER64 = 0x46,
	BER_UINTEGER32 = 0x47,       /* obsolete; decoded as unsigned */
	BER_NO_SUCH_OBJECT = 0x80,
	BER_NO_SUCH_INSTANCE = 0x81,
	BER_END_OF_MIB_VIEW = 0x82,
	BER_PDU_GET = 0xa0,
	BER_PDU_GETNEXT = 0xa1,
	BER_PDU_RESPONSE = 0xa2,     /* GetResponse in SNMPv1 */
	BER_PDU_SET = 0xa3,
	BER_PDU_TRAP_V1 = 0xa4,      /* not supported */
	BER_PDU_GETBULK = 0xa5,
	BER_PDU_INFORM = 0xa6,
	BER_PDU_TRAP_V2 = 0xa7,
	BER_PDU_REPORT = 0xa8,
};

/* What a decoded Opaque holds (net-snmp's special types). */
enum ber_opaque {
	BER_OPAQUE_RAW = 0,          /* arbitrary octets */
	BER_OPAQUE_COUNTER64 = 0x76, /* num.u64 */
	BER_OPAQUE_FLOAT = 0x78,     /* num.f */
	BER_OPAQUE_DOUBLE = 0x79,    /* num.d */
	BER_OPAQUE_INT64 = 0x7a,     /* num.i64 */
	BER_OPAQUE_UINT64 = 0x7b,    /* num.u64 */
};

/* ---- Encoding ---- */

/* A value to encode.  `type` is a BER tag: BER_NULL (reads), BER_INTEGER
 * (i32), BER_OCTET_STRING, BER_OPAQUE (octets), BER_IPADDRESS (octets, 4
 * of them), BER_OID (oid, at least 2 sub-identifiers), BER_COUNTER32,
 * BER_GAUGE32, BER_TIMETICKS (u32), BER_COUNTER64 (u64, SNMPv2c only);
 * for responses (tests, simulators) the exceptions BER_NO_SUCH_OBJECT,
 * BER_NO_SUCH_INSTANCE, BER_END_OF_MIB_VIEW (SNMPv2c only). */
struct ber_value {
	uint8_t type;
	union {
		int32_t i32;
		uint32_t u32;
		uint64_t u64;
		struct {
			const uint8_t *data;
			size_t len;
		} octets;
		struct {
			const uint32_t *sub;
			size_t len;
		} oid;
	} v;
};

struct ber_encode_varbind {
	const uint32_t *oid;         /* 2..128 sub-identifiers */
	size_t oid_len;
	struct ber_value value;
};

/* A request to encode.  For BER_PDU_GETBULK (SNMPv2c only) error_status
 * is non-repeaters and error_index max-repetitions (both >= 0). */
struct ber_request {
	int32_t version;             /* enum ber_version */
	const uint8_t *community;
	size_t community_len;
	uint8_t pdu_type;            /* any BER_PDU_* except TRAP_V1 */
	int32_t request_id;
	int32_t error_status;
	int32_t error_index;
	const struct ber_encode_varbind *vb;
	size_t n_vb;
};

/* Encode `req` into buf[0..size): 0 and *len set, BER_E_NOSPACE when it
 * does not fit (buf contents then undefined), BER_E_INVAL for a value that
 * cannot be encoded (bad OID, IpAddress not 4 octets, a type the version
 * lacks, NULL pointers with non-zero lengths), BER_E_TOO_BIG when a length
 * would exceed 65535. */
int ber_encode(const struct ber_request *req, uint8_t *buf, size_t size,
	       size_t *len);

/* The contents octets of an OBJECT IDENTIFIER (no tag and length): their
 * count (which may exceed `size`: then nothing useful was written), or
 * BER_E_INVAL.  With buf NULL only the count. */
int ber_oid_encode(const uint32_t *sub, size_t n, uint8_t *buf, size_t size);

/* net-snmp's Opaque-wrapped float/double: the Opaque's contents. */
#define BER_OPAQUE_FLOAT_LEN 7u
#define BER_OPAQUE_DOUBLE_LEN 11u
void ber_opaque_float(float f, uint8_t out[BER_OPAQUE_FLOAT_LEN]);
void ber_opaque_double(double d, uint8_t out[BER_OPAQUE_DOUBLE_LEN]);

/* ---- Decoding ---- */

/* One decoded varbind: pointers into the datagram. */
struct ber_varbind {
	const uint8_t *oid;          /* the name's contents octets (validated) */
	size_t oid_len;              /* octets */
	const uint8_t *data;         /* the value's contents octets */
	size_t len;
	uint8_t type;                /* the value's tag (enum ber_tag) */
	uint8_t opaque;              /* BER_OPAQUE: enum ber_opaque */
	uint16_t oid_subids;         /* sub-identifiers in the name */
	/* Decoded numbers: i32 for BER_INTEGER; u32 for BER_COUNTER32,
	 * BER_GAUGE32, BER_TIMETICKS, BER_UINTEGER32, the sub-identifier count
	 * of a BER_OID value and the address of a BER_IPADDRESS (host order);
	 * u64 for BER_COUNTER64; Opaque: see enum ber_opaque. */
	union {
		int32_t i32;
		uint32_t u32;
		uint64_t u64;
		int64_t i64;
		float f;
		double d;
	} num;
};

struct ber_message {
	int32_t version;             /* enum ber_version */
	const uint8_t *community;
	size_t community_len;
	uint8_t pdu_type;            /* BER_PDU_* */
	int32_t request_id;
	int32_t error_status;        /* GetBulk: non-repeaters */
	int32_t error_index;         /* GetBulk: max-repetitions */
	struct ber_varbind *vb;      /* the caller's array */
	size_t n_vb;
	size_t error_offset;         /* on failure: offset of the bad element */
};

/* Decode one datagram.  `vb` (room for `max_vb` entries; more than
 * min(max_vb, BER_MAX_VARBINDS) varbinds is BER_E_TOO_MANY_VARBINDS) receives
 * the varbinds (NULL: room for none).  0 on success, a BER_E_* code otherwise (msg->error_offset
 * then says where; the other fields are unspecified). */
int ber_decode(const uint8_t *buf, size_t len, struct ber_message *msg,
	       struct ber_varbind *vb, size_t max_vb);

/* The head of a datagram that ber_decode() refuses: the version, the
 * community, the PDU type and the request-id, each element whole and well
 * formed, while the enclosing SEQUENCE and PDU may claim more octets than
 * arrived and anything after the request-id is not looked at.  0 with
 * those fields set (no varbinds, error-status and error-index 0), or a
 * BER_E_* code.  What a client needs to tell which request a malformed
 * response was meant for, and whether it came from the agent asked. */
int ber_decode_head(const uint8_t *buf, size_t len, struct ber_message *msg);

/* A varbind value's contents as decode_varbind() checks them: `type`,
 * `data` and `len` set (the header already checked against its
 * enclosing element), `opaque` BER_OPAQUE_RAW and `num` zero; fills `num`
 * (and `opaque`).  0, or the BER_E_* code ber_decode() gives. */
int ber_value_parse(struct ber_varbind *vb);

/* Decode OBJECT IDENTIFIER contents octets (e.g. ber_varbind.oid, or .data
 * of a BER_OID value) into sub[0..max): the sub-identifier count, or a
 * BER_E_OID_* code; BER_E_NOSPACE when more than `max`.  Validates, so it
 * is safe on untrusted octets too; `sub` may be NULL to count only. */
int ber_oid_decode(const uint8_t *p, size_t len, uint32_t *sub, size_t max);

/* Whether validated OBJECT IDENTIFIER contents octets (a decoded varbind's
 * name) encode exactly sub[0..n): the check of a response's names against
 * the request's, without decoding them into a buffer first. */
bool ber_oid_equal(const uint8_t *p, size_t len, const uint32_t *sub, size_t n);

#pragma GCC visibility pop

#endif
