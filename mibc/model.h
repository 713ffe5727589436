/* The intermediate model: what mibc knows of a MIB module once libsmi has
 * parsed it.  The loader (load.c) fills it from libsmi; the emitters (C,
 * JSON, index) read only this, never libsmi, so they can be tested and
 * reasoned about without libsmi's global state.
 *
 * All memory of one module's model lives in one arena (arena.h), freed at
 * once.  Strings are NUL-terminated UTF-8/ASCII as libsmi gave them; a NULL
 * string means "absent" (no UNITS clause, no DISPLAY-HINT...). */
#ifndef MIBC_MODEL_H
#define MIBC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define MODEL_OID_MAX 128

enum model_node_kind {
	MODEL_NODE_NODE,            /* OBJECT IDENTIFIER value assignment */
	MODEL_NODE_OBJECT_IDENTITY, /* OBJECT-IDENTITY */
	MODEL_NODE_MODULE_IDENTITY, /* MODULE-IDENTITY */
	MODEL_NODE_SCALAR,
	MODEL_NODE_TABLE,
	MODEL_NODE_ROW,
	MODEL_NODE_COLUMN,
	MODEL_NODE_NOTIFICATION,    /* NOTIFICATION-TYPE or SMIv1 TRAP-TYPE */
	MODEL_NODE_GROUP,           /* OBJECT-GROUP or NOTIFICATION-GROUP */
	MODEL_NODE_COMPLIANCE,
	MODEL_NODE_CAPABILITIES,
};

/* The base type as the SMI defines it (what libsmi calls the basetype). */
enum model_base {
	MODEL_BASE_UNKNOWN,
	MODEL_BASE_INTEGER32,
	MODEL_BASE_UNSIGNED32,
	MODEL_BASE_INTEGER64,
	MODEL_BASE_UNSIGNED64,
	MODEL_BASE_OCTET_STRING,
	MODEL_BASE_OBJECT_IDENTIFIER,
	MODEL_BASE_ENUM,
	MODEL_BASE_BITS,
	MODEL_BASE_FLOAT,
};

/* The ASN.1 type that goes on the wire (found by walking the parent type
 * chain to SNMPv2-SMI / RFC1155-SMI: libsmi gives Counter32, Gauge32,
 * TimeTicks and Unsigned32 one base type). */
enum model_wire {
	MODEL_WIRE_NONE,         /* not an object with a value */
	MODEL_WIRE_INTEGER,      /* INTEGER, Integer32, enums */
	MODEL_WIRE_OCTET_STRING, /* OCTET STRING, BITS */
	MODEL_WIRE_OID,
	MODEL_WIRE_IPADDRESS,
	MODEL_WIRE_COUNTER32,
	MODEL_WIRE_GAUGE32,      /* Gauge32 and Unsigned32 */
	MODEL_WIRE_TIMETICKS,
	MODEL_WIRE_OPAQUE,
	MODEL_WIRE_NSAP,
	MODEL_WIRE_COUNTER64,
};

enum model_access {
	MODEL_ACCESS_UNKNOWN,
	MODEL_ACCESS_NOT_IMPLEMENTED,
	MODEL_ACCESS_NOT_ACCESSIBLE,
	MODEL_ACCESS_NOTIFY,
	MODEL_ACCESS_READ_ONLY,
	MODEL_ACCESS_READ_WRITE,
	MODEL_ACCESS_READ_CREATE,
	MODEL_ACCESS_WRITE_ONLY,
};

enum model_status {
	MODEL_STATUS_UNKNOWN,
	MODEL_STATUS_CURRENT,
	MODEL_STATUS_DEPRECATED,
	MODEL_STATUS_MANDATORY,
	MODEL_STATUS_OPTIONAL,
	MODEL_STATUS_OBSOLETE,
};

enum model_index_kind {
	MODEL_INDEX_NONE,    /* not a row */
	MODEL_INDEX_INDEX,
	MODEL_INDEX_AUGMENTS,
	MODEL_INDEX_REORDER,
	MODEL_INDEX_SPARSE,
	MODEL_INDEX_EXPANDS,
};

/* A range or size bound.  For MODEL_BASE_UNSIGNED64 read the values as
 * uint64_t (they are stored bit for bit); for every other base they are the
 * plain signed numbers. */
struct model_range {
	int64_t min;
	int64_t max;
};

/* An enum's named number or a BITS' named bit. */
struct model_named_number {
	const char *name;
	int64_t value;
};

/* A reference to a named thing in some module (possibly another one). */
struct model_ref {
	const char *module;
	const char *name;
};

/* The effective syntax of an object or of a type definition. */
struct model_syntax {
	enum model_base base;
	enum model_wire wire;
	/* The SMI type name the chain ends in: "Integer32", "OCTET STRING",
	 * "Counter32", "BITS", "OBJECT IDENTIFIER", "IpAddress"... */
	const char *base_name;
	/* The nearest named type (a TC such as DisplayString, or a plain
	 * type assignment) with its module; {NULL, NULL} for a base type
	 * used directly or an inline refinement of one (the types of
	 * SNMPv2-SMI and RFC1155-SMI, e.g. Counter32, count as base types). */
	struct model_ref type;
	/* The nearest DISPLAY-HINT along the chain, or NULL. */
	const char *display_hint;
	/* Value ranges (integers) or size ranges (strings), effective: taken
	 * from the most derived type in the chain that restricts them.  None
	 * (n_ranges 0) means no restriction beyond the base type's (libsmi
	 * gives no implicit 0..65535 for OCTET STRING). */
	struct model_range *ranges;
	size_t n_ranges;
	bool ranges_are_sizes;
	/* Named numbers (enum) or named bits (BITS), in declaration order. */
	struct model_named_number *named;
	size_t n_named;

	/* The SYNTAX clause as written, for mibdump-style output: `written`
	 * is the type it names (for an inline refinement such as
	 * "DisplayString (SIZE (0..64))" the refined type; for a type
	 * definition its parent type).  SMI base types are spelled as in
	 * the SMI with module NULL ("INTEGER" for enumerations, "OCTET
	 * STRING", "OBJECT IDENTIFIER", "BITS", "Integer32", "Unsigned32");
	 * SNMPv2-SMI/RFC1155-SMI types keep their module ("Counter32").
	 * own_ranges/own_named: the ranges/named numbers above were written
	 * in this SYNTAX clause itself (else they are inherited from the
	 * named type, or absent). */
	struct model_ref written;
	bool own_ranges;
	bool own_named;
};

/* How to read model_node.default_value. */
enum model_default_kind {
	MODEL_DEFAULT_NONE,
	MODEL_DEFAULT_NUMBER, /* decimal, signed or unsigned: "60", "-1" */
	MODEL_DEFAULT_ENUM,   /* the label: "nonVolatile" */
	MODEL_DEFAULT_STRING, /* the octets (all printable): "DEFVAL" */
	MODEL_DEFAULT_HEX,    /* the octets in upper-case hex: "0A00" */
	MODEL_DEFAULT_BITS,   /* set bits' names, ", "-separated ("" none) */
	MODEL_DEFAULT_OID,    /* dotted decimal: "0.0" */
};

struct model_index_element {
	struct model_ref object;
	/* The index object's syntax, for encoding/decoding the instance. */
	const struct model_syntax *syntax;
	bool implied; /* only ever the last element */
};

struct model_node {
	const char *name;
	uint32_t oid[MODEL_OID_MAX];
	size_t oid_len;
	enum model_node_kind kind;
	enum model_access access;
	enum model_status status;
	int line; /* in the module's source file; 0 when unknown */
	const char *description; /* NULL unless texts were asked for */
	const char *reference;
	const char *units;
	/* DEFVAL: the value's text without SMI quoting, NULL if none; how to
	 * read it is in default_kind (see there). */
	const char *default_value;
	enum model_default_kind default_kind;
	/* The macro that defined the node: "OBJECT-TYPE", "OBJECT-IDENTITY",
	 * "MODULE-IDENTITY", "NOTIFICATION-TYPE", "TRAP-TYPE",
	 * "OBJECT-GROUP", "NOTIFICATION-GROUP", "MODULE-COMPLIANCE",
	 * "AGENT-CAPABILITIES"; NULL for a plain OBJECT IDENTIFIER value
	 * assignment. */
	const char *macro;

	/* Scalars and columns (and the row/table for nothing). */
	struct model_syntax *syntax;

	/* Rows: the index.  For AUGMENTS (and EXPANDS/REORDER/SPARSE) the
	 * index is the related row's, resolved by the loader; `related`
	 * names that row. */
	enum model_index_kind index_kind;
	struct model_index_element *index;
	size_t n_index;
	struct model_ref related;
	bool create; /* row allows creation */
	/* Columns: the row they belong to. Rows: their table. */
	const char *parent;

	/* Notifications: OBJECTS; groups: members; compliance: mandatory
	 * groups. */
	struct model_ref *members;
	size_t n_members;
	/* Compliance: the groups of its GROUP clauses (conditionally
	 * mandatory), in declaration order. */
	struct model_ref *optional;
	size_t n_optional;
};

/* A type defined in the module: TEXTUAL-CONVENTION or type assignment. */
struct model_typedef {
	const char *name;
	bool textual_convention;
	enum model_status status;
	int line;
	const char *description;
	const char *reference;
	struct model_syntax *syntax;
	/* The type's own DISPLAY-HINT clause, NULL if none (syntax's
	 * display_hint may come from the parent). */
	const char *display_hint;
	/* The parent named type, e.g. {NULL, "OCTET STRING"} for
	 * DisplayString (same spelling as model_syntax.written). */
	struct model_ref parent;
};

struct model_import {
	const char *module;
	const char *name;
};

struct model_revision {
	const char *date; /* "YYYY-MM-DD HH:MM" UTC */
	const char *description;
};

enum model_language {
	MODEL_LANGUAGE_UNKNOWN,
	MODEL_LANGUAGE_SMIV1,
	MODEL_LANGUAGE_SMIV2,
};

struct model_module {
	struct arena arena;
	const char *name;
	const char *path;        /* the source file as the user knows it */
	enum model_language language;
	const char *last_updated; /* "YYYY-MM-DD HH:MM", NULL if none */
	const char *organization;
	const char *contact_info;
	const char *description;
	const char *reference;
	struct model_revision *revisions;
	size_t n_revisions;
	struct model_import *imports;
	size_t n_imports;
	/* Every named node the module defines, sorted by OID (not the
	 * names of name(number) forms inside OID values, which libsmi makes
	 * nodes of).  About the fields above: libsmi does not expose
	 * LAST-UPDATED; it adds a revision for a LAST-UPDATED date that no
	 * REVISION names, which the loader takes as last_updated (else the
	 * newest REVISION's date) and leaves out of `revisions`.  Revisions
	 * are in source order. */
	struct model_node *nodes;
	size_t n_nodes;
	/* Types defined by this module, in declaration order. */
	struct model_typedef *types;
	size_t n_types;
	/* SHA-256 of the module's source text, lower-case hex.  The loader
	 * leaves it empty (it never sees the text): the driver fills it. */
	char source_hash[65];
};

const char *model_node_kind_name(enum model_node_kind kind);
const char *model_access_name(enum model_access access);
const char *model_status_name(enum model_status status);
const char *model_base_name(enum model_base base);
const char *model_wire_name(enum model_wire wire);

/* "1.3.6.1", malloc'd. */
char *model_oid_text(const uint32_t *oid, size_t len);

/* Order two OIDs (shorter prefix first). */
int model_oid_compare(const uint32_t *a, size_t a_len,
		      const uint32_t *b, size_t b_len);

/* Sort the module's nodes by OID; ties (aliases) by name. */
void model_sort_nodes(struct model_module *module);

const struct model_node *model_find_node(const struct model_module *module,
					 const char *name);

/* Frees the arena and the module itself (load_model malloc's it). */
void model_module_free(struct model_module *module);

#endif
