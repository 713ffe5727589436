#include "mkdirs.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "arena.h"

int mkdirs(const char *path, mode_t mode)
{
	char *copy = xstrdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	int r = mkdir(copy, mode);
	free(copy);
	if (r != 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}
