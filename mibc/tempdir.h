/* Where mibc makes its short-lived directories (modules staged for
 * libsmi, dynamic loads). */
#ifndef MIBC_TEMPDIR_H
#define MIBC_TEMPDIR_H

/* A new private directory "<base>/<prefix>XXXXXX" (malloc'd), or NULL
 * with errno and *tried the template tried (malloc'd), for messages.  The
 * base is $TMPDIR when set, else the first writable of $XDG_RUNTIME_DIR
 * and /dev/shm (memory file systems: on a disk one, creating and removing
 * the directory and its links cost a one-module run ~0.4 ms of waiting),
 * else /tmp. */
char *tempdir_make(const char *prefix, char **tried);

#endif
