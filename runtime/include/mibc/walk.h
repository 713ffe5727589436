/* mibc walks: every instance of a subtree, and tables read into their
 * generated row structs.  Included by <mibc/mibc.h>; same conventions
 * (negative MIBC_E_ errors; a start that returns 0 calls its done callback
 * exactly once; caller-owned requests untouched until then).
 *
 * How a walk asks: GETBULK for SNMPv2c and v3 targets, GETNEXT for SNMPv1
 * (or with MIBC_WALK_GETNEXT).  Several subtrees (a table's columns) go in
 * one PDU, each varbind continuing one of them.  max-repetitions shrinks
 * on tooBig (also when the agent sends tooBig without varbinds) and to
 * what the agent managed to fit when it cuts a response short; if the
 * subtrees alone are too many for one PDU, fewer go per PDU.  A target
 * remembers what walks learn (whether GETBULK works, how many varbinds
 * fit in a response) for its next walks: an agent whose GETBULK times
 * out, fails or comes back empty is walked with GETNEXT from then on, if
 * GETNEXT works.
 *
 * A subtree ends at the first OID outside it or at endOfMibView (v1:
 * noSuchName).  OIDs must increase: an agent that returns one that does
 * not (a loop, a repeat, a table out of order) ends the walk with
 * MIBC_E_OID_ORDER after what came before it was delivered, unless
 * MIBC_WALK_UNORDERED (snmpwalk -Cc) accepts them: then only an OID seen
 * before ends the walk (with MIBC_E_OID_ORDER), so a cycling agent still
 * cannot keep it going.  A response with varbinds that advance nothing is
 * a MIBC_E_DECODE. */
#ifndef MIBC_WALK_H
#define MIBC_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mibc/desc.h>
#include <mibc/mibc.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mibc_walk_flags {
	/* Accept OIDs out of order; only repeats end the walk. */
	MIBC_WALK_UNORDERED = 1u << 0,
	/* GETNEXT even where GETBULK is possible. */
	MIBC_WALK_GETNEXT = 1u << 1,
};

/* Instances a walk takes at most when its max_instances is 0: far more
 * than real tables hold (a full walk of a large switch is ~10^5-10^6),
 * while an agent that invents OIDs forever is stopped. */
#define MIBC_WALK_DEFAULT_MAX_INSTANCES ((size_t)16 * 1024 * 1024)

/* What a walk did, for tests, progress and tuning. */
struct mibc_walk_stats {
	size_t requests;             /* PDUs answered (retransmissions aside) */
	size_t varbinds;             /* delivered inside the subtrees */
	size_t too_big;              /* tooBig answers adapted to */
	uint32_t last_max_repetitions; /* of the last GETBULK, 0: none */
	bool used_bulk;              /* at least one GETBULK answered */
};

/* ---- Subtree walks: (OID, value) pairs ---- */

struct mibc_walk;
/* One varbind inside the subtree, in the agent's order (`vb` and its value
 * valid during the call).  Return 0 to go on; anything else stops the
 * walk, which then completes with MIBC_E_CANCELED. */
typedef int mibc_walk_vb_cb(struct mibc_walk *walk,
			    const struct mibc_varbind *vb);
typedef void mibc_walk_done_cb(struct mibc_walk *walk, int status);

struct mibc_walk {
	void *data;                              /* the caller's */
	const uint32_t *root;                    /* copied at the start */
	size_t root_len;
	unsigned flags;                          /* enum mibc_walk_flags */
	/* GETBULK max-repetitions to start with (0: the target's learned
	 * value, else a default). */
	uint32_t max_repetitions;
	/* Instances to take at most; one more ends the walk with
	 * MIBC_E_WALK_LIMIT after those were delivered (0: the default
	 * MIBC_WALK_DEFAULT_MAX_INSTANCES; SIZE_MAX: no limit). */
	size_t max_instances;
	/* outcome */
	int status;
	struct mibc_walk_stats stats;
	struct {
		mibc_walk_vb_cb *vb_cb;
		mibc_walk_done_cb *done_cb;
		void *engine;
	} mibc_private_;
};

/* Walk `root` (fill `root`, `root_len`, `flags`, then start).  `done`
 * gets 0 when the subtree was walked to its end, or the error that ended
 * it.  MIBC_E_INVAL (no root, longer than an OID), MIBC_E_NOMEM, or what
 * mibc_pdu_send refuses. */
int mibc_walk_start(struct mibc_target *target, struct mibc_walk *walk,
		    mibc_walk_vb_cb *vb_cb, mibc_walk_done_cb *done);
/* Stop a running walk (not from its own callbacks: return non-zero
 * there): `done` runs inside with MIBC_E_CANCELED. */
int mibc_walk_cancel(struct mibc_walk *walk);

/* ---- Tables: rows into generated row structs ---- */

struct mibc_table_walk;

/* A row a walk collected (row_cb NULL): owned by the walk until
 * mibc_table_walk_release(). */
struct mibc_table_row {
	uint32_t *suffix;
	size_t suffix_len;
	void **rows;                             /* as row_cb's `rows` */
};

/* One row: `rows[i]` is a `struct <row>` of walk->rows[i] (a presence bit
 * per column the agent had a value for; with no bit set when it had none
 * of that row at this index); its `mibc_index` holds the decoded index,
 * `suffix` the instance's sub-identifiers after the column OIDs.  Rows
 * come in index order (MIBC_WALK_UNORDERED: at the end, sorted).  The
 * structs are the walk's, released after the call: keep one with
 * mibc_row_move().  Return 0 to go on; anything else stops the walk
 * (done: MIBC_E_CANCELED). */
typedef int mibc_table_row_cb(struct mibc_table_walk *walk,
			      const uint32_t *suffix, size_t suffix_len,
			      void *const *rows);
typedef void mibc_table_done_cb(struct mibc_table_walk *walk, int status);

struct mibc_table_walk {
	void *data;                              /* the caller's */
	/* Rows walked together and joined by index: a row, and rows that
	 * AUGMENT it or share its INDEX (ifEntry and ifXEntry).  The arrays
	 * must outlive the walk. */
	const struct mibc_object_desc *const *rows;
	size_t n_rows;
	/* The columns to read (of those rows); NULL: every readable one. */
	const struct mibc_object_desc *const *columns;
	size_t n_columns;
	unsigned flags;                          /* enum mibc_walk_flags */
	uint32_t max_repetitions;                /* as in struct mibc_walk */
	size_t max_instances;                    /* cells, as in struct mibc_walk */
	/* outcome */
	int status;
	struct mibc_walk_stats stats;
	size_t n_rows_done;                      /* rows passed to row_cb */
	/* Cells left out of the rows: an instance whose suffix is not a
	 * well-formed index of the row, a value of another type than the
	 * column's, or longer than its storage. */
	size_t n_cells_skipped;
	/* Without a row_cb: every row, in index order, for the done
	 * callback and after it, until mibc_table_walk_release(). */
	struct mibc_table_row *collected;
	size_t n_collected;
	struct {
		mibc_table_row_cb *row_cb;
		mibc_table_done_cb *done_cb;
		void *engine;
	} mibc_private_;
};

/* `row_cb` NULL collects the rows instead (walk->collected).  MIBC_E_INVAL
 * (no rows, a row without a row struct, a column of none of the rows, no
 * readable column), MIBC_E_NOMEM, or what mibc_pdu_send refuses. */
int mibc_table_walk_start(struct mibc_target *target,
			  struct mibc_table_walk *walk,
			  mibc_table_row_cb *row_cb, mibc_table_done_cb *done);
/* As mibc_walk_cancel. */
int mibc_table_walk_cancel(struct mibc_table_walk *walk);
/* Free the collected rows (and what they own). */
void mibc_table_walk_release(struct mibc_table_walk *walk);

/* ---- One row by its index ---- */

struct mibc_row_get;
typedef void mibc_row_get_cb(struct mibc_row_get *req, int status);

/* GET every readable column (or the chosen ones) of one row instance into
 * a row struct, in as few PDUs as the target allows (mibc_get_many: an
 * SNMPv1 agent's noSuchName drops that column, the rest still comes). */
struct mibc_row_get {
	void *data;                              /* the caller's */
	/* The columns to read; NULL: every readable one of the row. */
	const struct mibc_object_desc *const *columns;
	size_t n_columns;
	/* outcome: 0 when the agent had at least one of the columns (their
	 * presence bits say which), MIBC_E_NO_SUCH_INSTANCE when none, or
	 * the error that got no answer (MIBC_E_TIMEOUT...) */
	int status;
	/* Values not stored: another type than the column's, too long. */
	size_t n_cells_skipped;
	struct {
		mibc_row_get_cb *cb;
		void *op;
	} mibc_private_;
};

/* Start it: `row` (a `struct <row>`, cleared here: release it first) is
 * filled before `cb` runs, its `mibc_index` from `index`.  MIBC_E_INVAL
 * (not a row, a column of another row, no readable column), MIBC_E_INDEX
 * (not an index of the row), MIBC_E_NOMEM; else `cb` runs once. */
int mibc_row_get(struct mibc_target *target, struct mibc_row_get *req,
		 const struct mibc_object_desc *row_desc,
		 const uint32_t *index, size_t index_len, void *row,
		 mibc_row_get_cb *cb);

/* Store a value into its column of a row struct (`column` a column of
 * `row_desc`), setting its presence bit: 0, MIBC_E_WRONG_TYPE (another
 * wire type, an exception), MIBC_E_RANGE (longer than the member holds),
 * MIBC_E_NOMEM, MIBC_E_INVAL.  A value already there is replaced. */
int mibc_row_set_value(const struct mibc_object_desc *row_desc, void *row,
		       const struct mibc_object_desc *column,
		       const struct mibc_value *value);

/* Move a row struct: `dst` gets the contents (and what they own), `src`
 * is left empty (nothing to release). */
void mibc_row_move(const struct mibc_object_desc *row_desc, void *dst,
		   void *src);

/* ---- Naming ---- */

/* `IF-MIB::ifDescr.1`: the name of the longest entry of a `mibc
 * --build-index` index that is a prefix of `oid` (or equal), then the
 * rest of the OID in dotted decimal; `.1.3.6...` when no entry is.  As
 * snprintf: the length the whole name needs (the text cut to `size`). */
int mibc_index_name(const struct mibc_index_entry *entries, size_t n,
		    const uint32_t *oid, size_t oid_len, char *buf,
		    size_t size);

#ifdef __cplusplus
}
#endif

#endif
