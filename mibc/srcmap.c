/* The source set's containers: growable pointer arrays, string maps
 * and lists of files under one key (sources-impl.h). */
#include "sources-impl.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

void vec_push(struct vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 4;
		vec->v = xreallocarray(vec->v, vec->cap, sizeof(*vec->v));
	}
	vec->v[vec->n++] = p;
}

void vec_free(struct vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

static uint64_t hash_str(const char *s)
{
	return hash_bytes(s, strlen(s));
}

static size_t map_slot(const struct map *map, const char *key, uint64_t h)
{
	size_t i = h & (map->cap - 1);
	while (map->keys[i] && (map->hashes[i] != h || strcmp(map->keys[i], key) != 0))
		i = (i + 1) & (map->cap - 1);
	return i;
}

void *map_get(const struct map *map, const char *key)
{
	if (!map->cap)
		return NULL;
	size_t i = map_slot(map, key, hash_str(key));
	return map->keys[i] ? map->values[i] : NULL;
}

/* Move the keys into a table of `cap` slots (a power of two, more than
 * twice the keys). */
static void map_resize(struct map *map, size_t cap)
{
	struct map bigger = { .cap = cap };
	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.values = xcalloc(bigger.cap, sizeof(*bigger.values));
	bigger.hashes = xcalloc(bigger.cap, sizeof(*bigger.hashes));
	for (size_t i = 0; i < map->cap; i++) {
		if (!map->keys[i])
			continue;
		size_t k = map->hashes[i] & (bigger.cap - 1);
		while (bigger.keys[k])
			k = (k + 1) & (bigger.cap - 1);
		bigger.keys[k] = map->keys[i];
		bigger.values[k] = map->values[i];
		bigger.hashes[k] = map->hashes[i];
	}
	bigger.n = map->n;
	free(map->keys);
	free(map->values);
	free(map->hashes);
	*map = bigger;
}

/* Room for n keys without growing (a growth rehashes all of them). */
void map_reserve(struct map *map, size_t n)
{
	size_t cap = map->cap ? map->cap : 16;
	while (n * 2 > cap)
		cap *= 2;
	if (cap != map->cap)
		map_resize(map, cap);
}

void map_put(struct map *map, const char *key, void *value)
{
	map_reserve(map, map->n + 1);
	uint64_t h = hash_str(key);
	size_t i = map_slot(map, key, h);
	if (!map->keys[i]) {
		map->keys[i] = key;
		map->hashes[i] = h;
		map->n++;
	}
	map->values[i] = value;
}

void map_free(struct map *map)
{
	free(map->keys);
	free(map->values);
	free(map->hashes);
	memset(map, 0, sizeof(*map));
}

/* Append f to the list stored under key, creating it. */
void map_push(struct map *map, struct arena *mem, const char *key,
	      struct sfile *f)
{
	struct flist *node = arena_alloc(mem, sizeof(*node));
	node->file = f;
	struct flist *head = map_get(map, key);
	if (!head) {
		map_put(map, key, node);
		return;
	}
	while (head->next)
		head = head->next;
	head->next = node;
}
