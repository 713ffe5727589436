#include "tempdir.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"

static const char *writable_dir(const char *dir)
{
	return dir && *dir == '/' && access(dir, W_OK | X_OK) == 0 ? dir : NULL;
}

static const char *temp_base(void)
{
	const char *tmp = getenv("TMPDIR");
	if (tmp && *tmp)
		return tmp; /* the user's choice, as given */
	const char *base = writable_dir(getenv("XDG_RUNTIME_DIR"));
	if (!base)
		base = writable_dir("/dev/shm");
	return base ? base : "/tmp";
}

char *tempdir_make(const char *prefix, char **tried)
{
	const char *base = temp_base();
	char *dir = xasprintf("%s/%sXXXXXX", base, prefix);
	*tried = NULL;
	if (mkdtemp(dir))
		return dir;
	/* mkdtemp may have changed the Xs: the template, for the message */
	int err = errno;
	free(dir);
	*tried = xasprintf("%s/%sXXXXXX", base, prefix);
	errno = err;
	return NULL;
}
