/*
 * lookup.c: which policy a command uses (product.md, "Policy lookup"):
 * -p FILE, else $TAGPOLICY_CONFIG, else .tagpolicy.yml or .tagpolicy.yaml
 * in the repository's top-level folder (the current folder outside a
 * repository), else the built-in default.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* 1 when `dir` is one of the colon-separated GIT_CEILING_DIRECTORIES. */
static int
is_ceiling(const char *dir)
{
	const char *list = getenv("GIT_CEILING_DIRECTORIES");
	const char *p, *colon;
	size_t n = strlen(dir), len;

	for (p = list; p && *p; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		while (len > 1 && p[len - 1] == '/')
			len--;
		if (len == n && strncmp(p, dir, n) == 0)
			return 1;
	}
	return 0;
}

char *
cli_worktree_top(void)
{
	char *dir, *slash;
	struct tp_buf path = TP_BUF_INIT;
	struct stat st;
	int first = 1;

	dir = getcwd(NULL, 0);
	if (dir == NULL)
		return NULL;
	for (;; first = 0) {
		/* like git, never go up into a ceiling folder */
		if (!first && is_ceiling(dir)) {
			free(dir);
			dir = NULL;
			break;
		}
		tp_buf_clear(&path);
		if (tp_buf_printf(&path, "%s/.git", strcmp(dir, "/") ? dir :
				  "") < 0)
			cli_oom();
		if (lstat(path.ptr, &st) == 0)
			break;
		slash = strrchr(dir, '/');
		if (slash == NULL || slash == dir) {
			free(dir);
			dir = NULL;
			break;
		}
		*slash = '\0';
	}
	tp_buf_release(&path);
	return dir;
}

int
cli_load_policy(struct cli *cli, struct tp_policy **out)
{
	struct tp_error err;
	const char *env = getenv("TAGPOLICY_CONFIG");
	char *top = NULL, *found = NULL;
	int rc = 0;

	tp_error_init(&err);
	*out = NULL;
	if (cli->policy_path || (env && *env)) {
		const char *path = cli->policy_path ? cli->policy_path : env;

		if (access(path, F_OK) != 0) {
			/* named explicitly: missing is a usage error (2) */
			tp_error_set(&err, TP_EPOLICY,
				"cannot read policy file '%s': %s", path,
				strerror(errno));
			tp_error_hint(&err, "%s", cli->policy_path ?
				"check the path given with -p" :
				"check the path in $TAGPOLICY_CONFIG");
			return cli_fail(cli, &err);
		}
		if (tp_policy_load_file(out, path, &err) < 0) {
			/* an unreadable file named explicitly is 2 as well */
			if (err.code == TP_EIO)
				err.code = TP_EPOLICY;
			return cli_fail(cli, &err);
		}
		return 0;
	}
	top = cli_worktree_top();
	if (tp_policy_locate(&found, top ? top : ".", &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	if (found)
		rc = tp_policy_load_file(out, found, &err);
	else
		rc = tp_policy_load_default(out, &err);
	if (rc < 0)
		rc = cli_fail(cli, &err);
done:
	free(top);
	free(found);
	return rc;
}
