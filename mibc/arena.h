/* A bump allocator: one module's model, one free.  Allocation failure ends
 * the program with a message (mibc is a command-line compiler; there is no
 * sensible partial result when memory runs out). */
#ifndef MIBC_ARENA_H
#define MIBC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *arena, size_t size); /* zeroed */
void *arena_array(struct arena *arena, size_t n, size_t size);
char *arena_strdup(struct arena *arena, const char *s); /* NULL stays NULL */
char *arena_strndup(struct arena *arena, const char *s, size_t n);
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_free(struct arena *arena);

/* malloc/realloc/strdup that end the program on failure. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

#endif
