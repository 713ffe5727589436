/* mibc descriptor ABI: the constant tables mibc generates for every MIB
 * module and the runtime walks.
 *
 * Generated code (`<module>.c`) holds one `struct mibc_object_desc` per
 * named node and one `struct mibc_module_desc` per module, all `const`,
 * written with designated initializers: fields a generated table leaves out
 * are zero/NULL.  Generated headers refuse to compile against a runtime
 * whose MIBC_DESC_ABI differs from the one they were generated for, and the
 * runtime checks `mibc_module_desc.abi` at run time (mibc_module_abi_ok), so
 * a mismatch is reported both ways and the fix is always "regenerate".
 *
 * Layout rules: counts in object descriptors are uint16_t, in modules
 * size_t; every array a descriptor points to lives as long as the program
 * (static storage); strings are NUL-terminated ASCII (MIB texts may carry
 * Latin-1 bytes).
 *
 * C11 and C++ compatible. */
#ifndef MIBC_DESC_H
#define MIBC_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes layout or meaning. */
#define MIBC_DESC_ABI 2

/* Longest OID SNMP allows (RFC 3416: 128 sub-identifiers). */
#define MIBC_OID_MAX_LEN 128

/* Generated enums: in C++ their underlying type is fixed, so any value an
 * agent sends (enums are Integer32) is a valid value of the enum type. */
#ifdef __cplusplus
#define MIBC_ENUM_BASE : int32_t
#else
#define MIBC_ENUM_BASE
#endif

/* Elements of an array (not a pointer). */
#define MIBC_N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* What a named node is (the SMI macro that defined it). */
enum mibc_kind {
	MIBC_KIND_NODE = 0,          /* OBJECT IDENTIFIER value assignment */
	MIBC_KIND_OBJECT_IDENTITY,   /* OBJECT-IDENTITY */
	MIBC_KIND_MODULE_IDENTITY,   /* MODULE-IDENTITY */
	MIBC_KIND_SCALAR,
	MIBC_KIND_TABLE,
	MIBC_KIND_ROW,
	MIBC_KIND_COLUMN,
	MIBC_KIND_NOTIFICATION,      /* NOTIFICATION-TYPE, SMIv1 TRAP-TYPE */
	MIBC_KIND_GROUP,             /* OBJECT-GROUP, NOTIFICATION-GROUP */
	MIBC_KIND_COMPLIANCE,
	MIBC_KIND_CAPABILITIES,
};

/* The SMI base type (what libsmi calls the basetype).  Counter32, Gauge32,
 * TimeTicks and Unsigned32 all are UNSIGNED32 here: see mibc_wire. */
enum mibc_type {
	MIBC_TYPE_NONE = 0,          /* not a value (tables, groups...) */
	MIBC_TYPE_INTEGER32,
	MIBC_TYPE_UNSIGNED32,
	MIBC_TYPE_INTEGER64,
	MIBC_TYPE_UNSIGNED64,
	MIBC_TYPE_OCTET_STRING,
	MIBC_TYPE_OBJECT_IDENTIFIER,
	MIBC_TYPE_ENUM,
	MIBC_TYPE_BITS,
	MIBC_TYPE_FLOAT,
};

/* The type on the wire.  The values are the BER tags. */
enum mibc_wire {
	MIBC_WIRE_NONE = 0,
	MIBC_WIRE_INTEGER = 0x02,    /* INTEGER, Integer32, enumerations */
	MIBC_WIRE_OCTET_STRING = 0x04, /* OCTET STRING, BITS */
	MIBC_WIRE_OID = 0x06,
	MIBC_WIRE_IPADDRESS = 0x40,
	MIBC_WIRE_COUNTER32 = 0x41,
	MIBC_WIRE_GAUGE32 = 0x42,    /* Gauge32 and Unsigned32 */
	MIBC_WIRE_TIMETICKS = 0x43,
	MIBC_WIRE_OPAQUE = 0x44,
	MIBC_WIRE_NSAP = 0x45,
	MIBC_WIRE_COUNTER64 = 0x46,
};

enum mibc_access {
	MIBC_ACCESS_UNKNOWN = 0,
	MIBC_ACCESS_NOT_IMPLEMENTED,
	MIBC_ACCESS_NOT_ACCESSIBLE,
	MIBC_ACCESS_NOTIFY,          /* accessible-for-notify */
	MIBC_ACCESS_READ_ONLY,
	MIBC_ACCESS_READ_WRITE,
	MIBC_ACCESS_READ_CREATE,
	MIBC_ACCESS_WRITE_ONLY,
};

enum mibc_status {
	MIBC_STATUS_UNKNOWN = 0,
	MIBC_STATUS_CURRENT,
	MIBC_STATUS_DEPRECATED,
	MIBC_STATUS_MANDATORY,       /* SMIv1 */
	MIBC_STATUS_OPTIONAL,        /* SMIv1 */
	MIBC_STATUS_OBSOLETE,
};

/* How a row gets its index. */
enum mibc_index_kind {
	MIBC_INDEX_NONE = 0,         /* not a row */
	MIBC_INDEX_INDEX,
	MIBC_INDEX_AUGMENTS,
	MIBC_INDEX_REORDER,
	MIBC_INDEX_SPARSE,
	MIBC_INDEX_EXPANDS,
};

/* How to read mibc_object_desc.default_value. */
enum mibc_default_kind {
	MIBC_DEFAULT_NONE = 0,
	MIBC_DEFAULT_NUMBER,         /* decimal: "60", "-1" */
	MIBC_DEFAULT_ENUM,           /* the label: "nonVolatile" */
	MIBC_DEFAULT_STRING,         /* the octets (all printable) */
	MIBC_DEFAULT_HEX,            /* the octets in upper-case hex: "0A00" */
	MIBC_DEFAULT_BITS,           /* set bits' names, ", "-separated */
	MIBC_DEFAULT_OID,            /* dotted decimal: "0.0" */
};

/* How a column's value is kept in its generated row struct. */
enum mibc_storage {
	MIBC_STORAGE_NONE = 0,
	MIBC_STORAGE_INT32,          /* int32_t (INTEGER, enumerations) */
	MIBC_STORAGE_UINT32,         /* uint32_t */
	MIBC_STORAGE_INT64,          /* int64_t */
	MIBC_STORAGE_UINT64,         /* uint64_t (Counter64) */
	MIBC_STORAGE_IPADDRESS,      /* uint8_t[4], network order */
	/* struct { size_t len; <uint8_t or char> data[capacity + 1]; }: the
	 * value inline, NUL-terminated; longer values are an error. */
	MIBC_STORAGE_OCTETS_INLINE,
	MIBC_STORAGE_OCTETS,         /* struct mibc_octets (malloc'd data) */
	MIBC_STORAGE_OID,            /* struct mibc_oid (malloc'd sub-ids) */
	/* struct { size_t len; uint32_t sub[capacity]; }: decoded OID index
	 * values (an index never exceeds an OID, so it is always inline). */
	MIBC_STORAGE_OID_INLINE,
};

/* A bound of a range: `u` for MIBC_TYPE_UNSIGNED64, `i` for all others
 * (sizes included). */
union mibc_bound {
	int64_t i;
	uint64_t u;
};

struct mibc_range {
	union mibc_bound min;
	union mibc_bound max;
};

/* An enumeration's named number or a BITS' named bit (value = bit number),
 * in declaration order. */
struct mibc_named_number {
	const char *name;
	int64_t value;
};

struct mibc_object_desc;
struct mibc_module_desc;

/* One element of a row's INDEX.  How the instance sub-identifiers are
 * formed (RFC 2578 7.7): integers are one sub-identifier; an IpAddress is
 * four; a fixed-size OCTET STRING is `fixed_len` sub-identifiers; other
 * strings and OIDs are a length followed by the elements, unless `implied`
 * (then the elements only).
 *
 * Decoded (mibc_index_decode), the element is kept in the row's index
 * struct (`struct <row>_index_values`, the row struct's `mibc_index`
 * member) at `offset`, as `storage` says: INT32, UINT32, IPADDRESS,
 * OCTETS_INLINE (strings, fixed-size ones included) or OID_INLINE, with
 * room for `capacity` octets or sub-identifiers.  MIBC_STORAGE_NONE: the
 * element has no C form (the row has no index struct). */
struct mibc_index_elem {
	const struct mibc_object_desc *object;
	bool implied;
	uint16_t fixed_len; /* 4 for IpAddress; SIZE (n) strings: n; else 0 */
	enum mibc_storage storage;
	uint16_t capacity;
	uint32_t offset;
};

/* A row member for long octet strings, owned by the row:
 * mibc_row_release() frees `data`. */
struct mibc_octets {
	uint8_t *data;
	size_t len;
};

/* A row member for OBJECT IDENTIFIER columns, owned by the row. */
struct mibc_oid {
	uint32_t *sub;
	size_t len;
};

/* Every named node of a module has one of these.  Which fields are used
 * depends on `kind`; counts are next to the small fields to keep the
 * tables compact (PowerNet-MIB has 8000 nodes). */
struct mibc_object_desc {
	const char *name;                      /* "ifDescr" */
	const struct mibc_module_desc *module;
	const uint32_t *oid;
	uint16_t oid_len;
	enum mibc_kind kind;
	enum mibc_status status;

	/* Scalars and columns: SMI base type and wire type (NONE for nodes
	 * without a value), MAX-ACCESS. */
	enum mibc_type type;
	enum mibc_wire wire;
	enum mibc_access access;
	const char *units;                     /* UNITS, or NULL */
	const char *display_hint;              /* nearest DISPLAY-HINT, or NULL */
	const char *tc_module;                 /* nearest named type, or NULL */
	const char *tc_name;                   /* ("SNMPv2-TC", "DisplayString") */
	const char *default_value;             /* DEFVAL, or NULL */
	enum mibc_default_kind default_kind;
	/* Effective value ranges (integers) and sizes (strings), walking the
	 * type chain; none: the base type's own.  Enumeration named numbers
	 * or BITS named bits. */
	uint16_t n_ranges;
	uint16_t n_sizes;
	uint16_t n_names;
	const struct mibc_range *ranges;
	const struct mibc_range *sizes;
	const struct mibc_named_number *names;

	/* Rows: the index (for AUGMENTS and EXPANDS the related row's);
	 * columns: their row's.  `related` is the AUGMENTS/EXPANDS base row,
	 * possibly in another module. */
	enum mibc_index_kind index_kind;
	uint16_t n_index;
	bool create;                           /* rows: read-create */
	const struct mibc_index_elem *index;
	const struct mibc_object_desc *related;

	/* Columns: their row; rows: their table; tables: their row. */
	const struct mibc_object_desc *parent;

	/* Rows: the columns in OID order and the size of the generated row
	 * struct; where its index struct (`mibc_index` member) is and its
	 * size (0: the row has none). */
	const struct mibc_object_desc *const *columns;
	uint16_t n_columns;
	uint32_t row_size;
	uint32_t index_offset;
	uint32_t index_size;

	/* Columns: position in the row (bit of the presence bitmap) and where
	 * the value is kept in the row struct. */
	uint16_t column;
	enum mibc_storage storage;
	uint32_t row_offset;
	uint32_t row_capacity;                 /* OCTETS_INLINE: max length */

	/* Notifications: OBJECTS; groups: members. */
	uint16_t n_members;
	const struct mibc_object_desc *const *members;
};

/* A type a module defines (TEXTUAL-CONVENTION or type assignment). */
struct mibc_type_desc {
	const char *name;                      /* "TruthValue" */
	const struct mibc_module_desc *module;
	bool textual_convention;
	enum mibc_status status;
	enum mibc_type type;
	enum mibc_wire wire;
	const char *display_hint;
	const char *parent_module;             /* the type it refines, or NULL */
	const char *parent_name;
	const struct mibc_range *ranges;
	size_t n_ranges;
	const struct mibc_range *sizes;
	size_t n_sizes;
	const struct mibc_named_number *names;
	size_t n_names;
};

struct mibc_module_desc {
	uint32_t abi;                          /* MIBC_DESC_ABI it was made for */
	const char *name;                      /* "IF-MIB" */
	const char *last_updated;              /* "YYYY-MM-DD HH:MM" UTC or NULL */
	const char *source_sha256;             /* of the MIB source, hex */
	const char *generator;                 /* "mibc 0.1.0" */
	/* Every named node, sorted by OID (ties by name). */
	const struct mibc_object_desc *const *nodes;
	size_t n_nodes;
	/* Indexes into `nodes` sorted by name (strcmp). */
	const uint32_t *nodes_by_name;
	/* Scalars and columns only, sorted by OID: the instances' objects. */
	const struct mibc_object_desc *const *objects;
	size_t n_objects;
	const struct mibc_object_desc *const *notifications;
	size_t n_notifications;
	const struct mibc_type_desc *const *types;   /* declaration order */
	size_t n_types;
};

/* One entry of the OID index `mibc --build-index` generates over all the
 * modules it compiled (mibc-index.c: mibc_generated_index[], sorted by
 * OID, then module and name). */
struct mibc_index_entry {
	const uint32_t *oid;
	size_t oid_len;
	const char *module;
	const char *name;
	enum mibc_kind kind;
};

/* The entry with the longest OID that is a prefix of `oid` or equal to it
 * (the node an OID or an instance belongs to); NULL when none. */
const struct mibc_index_entry *
mibc_index_find(const struct mibc_index_entry *entries, size_t n,
		const uint32_t *oid, size_t oid_len);

/* Whether the module was generated for this runtime's ABI (the runtime's
 * entry points refuse other modules with MIBC_E_ABI). */
bool mibc_module_abi_ok(const struct mibc_module_desc *module);

/* The scalar or column an instance OID belongs to (the object whose OID is
 * a prefix of `oid`, binary search), or NULL. */
const struct mibc_object_desc *
mibc_module_find_object(const struct mibc_module_desc *module,
			const uint32_t *oid, size_t oid_len);

/* The node with exactly this OID, or NULL. */
const struct mibc_object_desc *
mibc_module_find_node(const struct mibc_module_desc *module,
		      const uint32_t *oid, size_t oid_len);

/* The node with this name, or NULL. */
const struct mibc_object_desc *
mibc_module_find_name(const struct mibc_module_desc *module, const char *name);

/* Order two OIDs (a proper prefix first): <0, 0, >0. */
int mibc_oid_compare(const uint32_t *a, size_t a_len,
		     const uint32_t *b, size_t b_len);

/* The name of an enumeration value or bit number, NULL when unnamed. */
const char *mibc_enum_name(const struct mibc_named_number *names, size_t n,
			   int64_t value);
/* The value of a name; false when there is none. */
bool mibc_enum_value(const struct mibc_named_number *names, size_t n,
		    const char *name, int64_t *value);

/* Decode an instance's index: `suffix` is what follows the column's OID in
 * an instance OID (untrusted: straight from the network), `elems` the
 * row's INDEX (mibc_object_desc.index), `out` its index struct of
 * `out_size` bytes (`struct <row>_index_values`), cleared first.  The
 * suffix must hold exactly the elements: 0, or MIBC_E_INDEX (too short,
 * left-over sub-identifiers, an octet above 255, a length beyond the
 * suffix or the element's capacity or SIZE) and `out` cleared again;
 * MIBC_E_INVAL for unusable arguments (an element without storage, one
 * outside `out_size`, IMPLIED before the last element).  Integers are
 * taken as sent (an Integer32 sub-identifier above 2^31-1 is the negative
 * number mibc_index_put_int32 would have written); MIB ranges are not
 * checked. */
int mibc_index_decode(const struct mibc_index_elem *elems, size_t n_elems,
		      const uint32_t *suffix, size_t suffix_len,
		      void *out, size_t out_size);

/* mibc_index_decode into a row struct's index struct (`mibc_index`):
 * MIBC_E_INVAL when the row has none. */
int mibc_row_index_decode(const struct mibc_object_desc *row_desc, void *row,
			  const uint32_t *suffix, size_t suffix_len);

/* Free what a row struct owns (MIBC_STORAGE_OCTETS and _OID members) and
 * clear those members; `row_desc` is the row's descriptor. */
void mibc_row_release(const struct mibc_object_desc *row_desc, void *row);

/* BITS values: bit 0 is the most significant bit of the first octet. */
#define MIBC_BITS_OCTET(bit) ((bit) / 8u)
#define MIBC_BITS_MASK(bit) ((uint8_t)(0x80u >> ((bit) % 8u)))
/* Octets needed to hold bit `bit`. */
#define MIBC_BITS_OCTETS(bit) ((bit) / 8u + 1u)

static inline bool mibc_bits_test(const uint8_t *octets, size_t len,
				  unsigned bit)
{
	return MIBC_BITS_OCTET(bit) < len
	       && (octets[MIBC_BITS_OCTET(bit)] & MIBC_BITS_MASK(bit)) != 0;
}

/* False (and nothing written) when the bit is beyond `len` octets. */
static inline bool mibc_bits_set(uint8_t *octets, size_t len, unsigned bit)
{
	if (MIBC_BITS_OCTET(bit) >= len)
		return false;
	octets[MIBC_BITS_OCTET(bit)] |= MIBC_BITS_MASK(bit);
	return true;
}

static inline bool mibc_bits_clear(uint8_t *octets, size_t len, unsigned bit)
{
	if (MIBC_BITS_OCTET(bit) >= len)
		return false;
	octets[MIBC_BITS_OCTET(bit)] &= (uint8_t)~MIBC_BITS_MASK(bit);
	return true;
}

/* Presence bitmaps of generated row structs: bit i says column i (in the
 * row's column order) holds a value. */
#define MIBC_PRESENT_WORDS(n_columns) ((n_columns) ? ((n_columns) + 31u) / 32u : 1u)

static inline bool mibc_present_test(const uint32_t *present, unsigned column)
{
	return (present[column / 32u] >> (column % 32u)) & 1u;
}

static inline void mibc_present_set(uint32_t *present, unsigned column)
{
	present[column / 32u] |= UINT32_C(1) << (column % 32u);
}

static inline void mibc_present_clear(uint32_t *present, unsigned column)
{
	present[column / 32u] &= ~(UINT32_C(1) << (column % 32u));
}

#ifdef __cplusplus
}
#endif

#endif
