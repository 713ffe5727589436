/* The client's fast path for the response to a GET it sent (private).
 *
 * One pass over the datagram, no intermediate varbind array: the head is
 * checked up to the varbind list (getresp_head), then each varbind's name is
 * compared byte for byte with the encoded name the request packet carried
 * (we built it: equal OIDs have equal canonical encodings) and its value
 * decoded straight into the result slot with the object's check
 * (getresp_values); octets and OID values are copied to storage only when
 * the results are handed out (getresp_publish).
 *
 * It accepts only what ber_decode() accepts, and gives the same values as
 * the general path (ber_decode, then handle_values in client.c) would; it
 * returns -1, having published nothing, for anything it does not handle:
 * any malformed datagram, another PDU type, an error-status, a varbind count
 * or a name that differs from the request's bytes (an agent's long-form
 * length, say).  The caller then takes the general path, which gives the
 * verdict. */
#ifndef MIBC_GETRESP_H
#define MIBC_GETRESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mibc/mibc.h>

#include "value.h"

#pragma GCC visibility push(hidden)

struct getresp_head {
	int32_t version;
	int32_t request_id;
	const uint8_t *community;
	size_t community_len;
	const uint8_t *list, *list_end;      /* the varbind list's contents */
};

/* A whole SNMPv1/v2c Response message with error-status 0 as ber_decode()
 * would accept it, up to the varbind list (whose elements are checked by
 * getresp_values): 0 with `h` set, or -1. */
int getresp_head(const uint8_t *buf, size_t len, struct getresp_head *h);

/* The varbinds of the response `h` against the GET request packet
 * req[0..req_len) (as ber_encode wrote it) for items[idx[0..n)): exactly n
 * varbinds, each named as the request named it, each value valid, into
 * values[0..n) (with their checks against the items' objects).  0: all
 * numbers, nothing to copy; 1: some octets or OID values, which need
 * *extra bytes of storage in getresp_publish; -1: not handled (values[]
 * then undefined). */
int getresp_values(const struct getresp_head *h, const uint8_t *req,
		   size_t req_len, const struct mibc_get *items,
		   const size_t *idx, size_t n, struct mibc_value *values,
		   size_t *extra);

/* Hand the values out: when getresp_values returned 1, copy octets and OID
 * values into `store` (its *extra bytes, 8-byte aligned, not NULL); every
 * item gets its value and status (the value's check). */
void getresp_publish(struct mibc_value *values, size_t n, int settle,
		     void *store, struct mibc_get *items, const size_t *idx);

#pragma GCC visibility pop

#endif
