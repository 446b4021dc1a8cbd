// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/boardpath.h"
#include "lib/util.h"

bool boardpath_is_path(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 5 && !strcmp(spec + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(spec + n - 4, ".yml"));
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

/* The board directories in search order; a NULL-terminated array. */
static char **search_dirs(void)
{
	char **dirs = xcalloc(64, sizeof(*dirs));
	const char *env = getenv("SPHC_BOARD_PATH");
	char *exe = exe_dir();
	size_t n = 0;

	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL, *tok;

		for (tok = strtok_r(copy, ":", &save); tok && n < 60;
		     tok = strtok_r(NULL, ":", &save))
			dirs[n++] = xstrdup(tok);
		free(copy);
	}
	if (exe) {
		dirs[n++] = xasprintf("%s/../share/sphc/boards", exe);
		dirs[n++] = xasprintf("%s/../boards", exe);
		free(exe);
	}
	return dirs;
}

static void free_list(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char *path_display(const char *path)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	size_t n;

	if (!realpath(path, real) || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	n = strlen(cwd);
	if (!strncmp(real, cwd, n) && real[n] == '/')
		return xstrdup(real + n + 1);
	return xstrdup(real);
}

char *boardpath_find(const char *spec, const char *base_dir)
{
	char **dirs, *path, *found = NULL;
	size_t i;

	if (boardpath_is_path(spec)) {
		if (spec[0] == '/' || !base_dir)
			path = xstrdup(spec);
		else
			path = xasprintf("%s/%s", base_dir, spec);
		if (is_file(path))
			return path;
		free(path);
		return NULL;
	}
	dirs = search_dirs();
	for (i = 0; dirs[i] && !found; i++) {
		path = xasprintf("%s/%s.yaml", dirs[i], spec);
		if (is_file(path))
			found = path_display(path);
		free(path);
	}
	free_list(dirs);
	return found;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **boardpath_list(void)
{
	char **dirs = search_dirs(), **names = NULL;
	size_t i, n = 0, cap = 0, len, out;
	struct dirent *e;
	DIR *d;

	for (i = 0; dirs[i]; i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((e = readdir(d))) {
			len = strlen(e->d_name);
			if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml"))
				continue;
			VEC_RESERVE(names, n, cap);
			names[n++] = xstrndup(e->d_name, len - 5);
		}
		closedir(d);
	}
	free_list(dirs);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	for (i = 0, out = 0; i < n; i++) {
		if (out && !strcmp(names[out - 1], names[i]))
			free(names[i]);
		else
			names[out++] = names[i];
	}
	names = xrealloc(names, (out + 1) * sizeof(*names));
	names[out] = NULL;
	return names;
}

void boardpath_list_free(char **names)
{
	free_list(names);
}
