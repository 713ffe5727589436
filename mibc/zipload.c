#include "zipload.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "mibc-config.h"

static struct zip_api api;
static bool loaded;

/* dlsym's answer as the function pointer it is (POSIX guarantees the
 * conversion; ISO C has no cast for it). */
static bool bind(void *lib, const char *name, void *slot, size_t size)
{
	void *sym = dlsym(lib, name);
	if (!sym)
		return false;
	memcpy(slot, &sym, size);
	return true;
}

#define BIND(field, name) bind(lib, name, &api.field, sizeof(api.field))

const struct zip_api *zip_api(char **error)
{
	if (loaded)
		return &api;
	void *lib = dlopen(MIBC_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		*error = xasprintf("zip sources need %s: %s", MIBC_LIBZIP_SONAME,
				   dlerror());
		return NULL;
	}
	if (!(BIND(open, "zip_open") && BIND(discard, "zip_discard") &&
	      BIND(get_num_entries, "zip_get_num_entries") &&
	      BIND(get_name, "zip_get_name") && BIND(stat_index, "zip_stat_index") &&
	      BIND(strerror, "zip_strerror") && BIND(fopen_index, "zip_fopen_index") &&
	      BIND(fread, "zip_fread") && BIND(file_strerror, "zip_file_strerror") &&
	      BIND(fclose, "zip_fclose") &&
	      BIND(error_init_with_code, "zip_error_init_with_code") &&
	      BIND(error_strerror, "zip_error_strerror") &&
	      BIND(error_fini, "zip_error_fini"))) {
		*error = xasprintf("%s: %s", MIBC_LIBZIP_SONAME, dlerror());
		dlclose(lib);
		return NULL;
	}
	loaded = true; /* kept loaded: archives stay open until the end */
	return &api;
}
