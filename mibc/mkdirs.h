/* Creating a directory with its parents (mkdir -p). */
#ifndef MIBC_MKDIRS_H
#define MIBC_MKDIRS_H

#include <sys/types.h>

/* Create `path` and its missing parents with `mode` (before the umask):
 * 0, or -1 with errno (ENOTDIR when `path` exists but is no directory). */
int mkdirs(const char *path, mode_t mode);

#endif
