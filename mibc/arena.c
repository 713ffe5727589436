#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textout.h"

#define ARENA_BLOCK_SIZE (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

static void out_of_memory(void)
{
	fputs("mibc: out of memory\n", stderr);
	exit(70);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xreallocarray(void *old, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory();
	return xrealloc(old, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *p;
	if (vasprintf(&p, fmt, ap) < 0)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* names and paths: mostly %s, which text_vformat does in one pass */
	char *p = text_vformat(fmt, ap);
	va_end(ap);
	return p;
}

/* `align` bytes aligned (a power of two), not zeroed: for what is
 * written over at once. */
static void *arena_alloc_raw(struct arena *arena, size_t size, size_t align)
{
	struct arena_block *b = arena->head;
	size_t start = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || start > b->size || b->size - start < size) {
		size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
		b = xmalloc(sizeof(*b) + cap);
		b->size = cap;
		b->next = arena->head;
		arena->head = b;
		start = 0;
	}
	b->used = start + size;
	return (char *)b->data + start;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	void *p = arena_alloc_raw(arena, size, sizeof(max_align_t));
	memset(p, 0, size);
	return p;
}

void *arena_array(struct arena *arena, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size / 2)
		out_of_memory();
	return arena_alloc(arena, n * size);
}

char *arena_strndup(struct arena *arena, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc_raw(arena, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
	return s ? arena_strndup(arena, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *tmp;
	va_start(ap, fmt);
	int n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	char *p = arena_strndup(arena, tmp, (size_t)n);
	free(tmp);
	return p;
}

void arena_free(struct arena *arena)
{
	struct arena_block *b = arena->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = NULL;
}
