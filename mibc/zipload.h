/* libzip, loaded on first use.  Linked, it cost every run of mibc ~0.3 ms
 * of start-up (it brings libcrypto: ~21,000 relocations, ~120 page
 * faults), most of a small compile's overhead, while zip sources are rare.
 * The header is libzip's own; only the calls go through this table. */
#ifndef MIBC_ZIPLOAD_H
#define MIBC_ZIPLOAD_H

#include <zip.h>

struct zip_api {
	zip_t *(*open)(const char *path, int flags, int *error);
	void (*discard)(zip_t *zip);
	zip_int64_t (*get_num_entries)(zip_t *zip, zip_flags_t flags);
	const char *(*get_name)(zip_t *zip, zip_uint64_t index, zip_flags_t flags);
	int (*stat_index)(zip_t *zip, zip_uint64_t index, zip_flags_t flags,
			  zip_stat_t *st);
	const char *(*strerror)(zip_t *zip);
	zip_file_t *(*fopen_index)(zip_t *zip, zip_uint64_t index, zip_flags_t flags);
	zip_int64_t (*fread)(zip_file_t *file, void *buf, zip_uint64_t n);
	const char *(*file_strerror)(zip_file_t *file);
	int (*fclose)(zip_file_t *file);
	void (*error_init_with_code)(zip_error_t *error, int code);
	const char *(*error_strerror)(zip_error_t *error);
	void (*error_fini)(zip_error_t *error);
};

/* The loaded library; NULL and a malloc'd *error (what the dynamic
 * loader said) when it cannot be loaded. */
const struct zip_api *zip_api(char **error);

#endif
