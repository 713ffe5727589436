/* SHA-256 of a buffer, as lower-case hex: the source hash generated code
 * carries so a build can tell stale output. */
#ifndef MIBC_SHA256_H
#define MIBC_SHA256_H

#include <stddef.h>

void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
