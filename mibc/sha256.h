/* SHA-256 of a buffer, as lower-case hex: the source hash generated code
 * carries so a build can tell stale output. */
#ifndef MIBC_SHA256_H
#define MIBC_SHA256_H

#include <stdbool.h>
#include <stddef.h>

void sha256_hex(const void *data, size_t len, char hex[65]);
/* Tests: use the portable code even where the CPU has SHA instructions. */
void sha256_force_portable(bool on);

#endif
