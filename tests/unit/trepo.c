/*
 * trepo.c: temporary git repositories for the unit tests (trepo.h).
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>
#include <git2.h>

#include "gitlib.h"
#include "trepo.h"

/*
 * What every program's lib.sh starts with: `tick` dates the next commit
 * 100 s after the one before (its counter is in a file, so that dates
 * keep increasing across scripts), `newrepo DIR` makes an empty
 * repository with an identity and no automatic gc, and goes into it.
 */
static const char base_sh[] =
	"set -e\n"
	"tick() {\n"
	"  n=$(( $(cat \"$TP_ROOT/tick\") + 1 ))\n"
	"  echo $n > \"$TP_ROOT/tick\"\n"
	"  t=$(( 1700000000 + n * 100 ))\n"
	"  export GIT_AUTHOR_DATE=\"@$t +0000\" "
	"GIT_COMMITTER_DATE=\"@$t +0000\"\n"
	"}\n"
	"newrepo() {\n"
	"  rm -rf \"$1\"\n"
	"  git init -q -b main \"$1\"\n"
	"  cd \"$1\"\n"
	"  git config user.name 'Tess Ter'\n"
	"  git config user.email tess@example.com\n"
	"  git config gc.auto 0\n"
	"  git config advice.nestedTag false\n"
	"}\n";

int
trepo_init(struct trepo *e, const char *name, const char *lib_sh)
{
	static const char *const unset[] = { "GIT_DIR",
					     "GIT_WORK_TREE",
					     "GIT_INDEX_FILE",
					     "GIT_OBJECT_DIRECTORY",
					     "GIT_ALTERNATE_OBJECT_DIRECTORIES",
					     "GIT_COMMON_DIR",
					     "GIT_NAMESPACE",
					     "GIT_DISCOVERY_ACROSS_FILESYSTEM",
					     "GIT_COMMITTER_NAME",
					     "GIT_COMMITTER_EMAIL",
					     "GIT_AUTHOR_NAME",
					     "GIT_AUTHOR_EMAIL",
					     "GIT_COMMITTER_DATE",
					     "GIT_AUTHOR_DATE",
					     "SOURCE_DATE_EPOCH" };
	struct tp_buf path = TP_BUF_INIT;
	char *real;
	FILE *fp;
	size_t i;
	int rc = -1;

	snprintf(e->root, sizeof(e->root), "/tmp/tp-%s-XXXXXX", name);
	if (mkdtemp(e->root) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	/* canonical, as the paths git and the library give back are */
	if ((real = realpath(e->root, NULL)) == NULL ||
	    strlen(real) >= sizeof(e->root)) {
		fprintf(stderr, "cannot resolve %s\n", e->root);
		free(real);
		return -1;
	}
	memcpy(e->root, real, strlen(real) + 1);
	free(real);
	setenv("HOME", e->root, 1);
	setenv("TP_ROOT", e->root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CEILING_DIRECTORIES", e->root, 1);
	setenv("LC_ALL", "C", 1);
	setenv("TZ", "UTC", 1);
	tp_buf_printf(&path, "%s/.config", e->root);
	setenv("XDG_CONFIG_HOME", path.ptr, 1);
	for (i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		unsetenv(unset[i]);
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/lib.sh", e->root);
	fp = fopen(path.ptr, "w");
	if (fp == NULL || fputs(base_sh, fp) < 0 ||
	    (lib_sh != NULL && fputs(lib_sh, fp) < 0) || fclose(fp) != 0) {
		perror(path.ptr);
		goto done;
	}
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/tick", e->root);
	fp = fopen(path.ptr, "w");
	if (fp == NULL || fputs("0\n", fp) < 0 || fclose(fp) != 0) {
		perror(path.ptr);
		goto done;
	}
	/*
	 * libgit2 reads /etc/gitconfig whatever GIT_CONFIG_NOSYSTEM says:
	 * keep it initialised for the whole run with every configuration
	 * level pointing into the root.
	 */
	if (tp_gitlib_load(NULL) < 0 || git_libgit2_init() < 0) {
		fputs("cannot load libgit2\n", stderr);
		goto done;
	}
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM,
			 e->root);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL,
			 e->root);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG,
			 e->root);
	rc = 0;
done:
	tp_buf_release(&path);
	return rc;
}

int
trepo_done(struct trepo *e)
{
	struct tp_buf cmd = TP_BUF_INIT;
	int rc;

	git_libgit2_shutdown();
	tp_buf_printf(&cmd, "rm -rf '%s'", e->root);
	rc = system(cmd.ptr) == 0 ? 0 : -1;
	tp_buf_release(&cmd);
	return rc;
}

/* "cd ROOT && . ./lib.sh && " and the script. */
static void script(struct tp_buf *cmd, const struct trepo *e, const char *fmt,
		   va_list ap) TP_PRINTF(3, 0);

static void
script(struct tp_buf *cmd, const struct trepo *e, const char *fmt, va_list ap)
{
	tp_buf_printf(cmd, "cd '%s' && . ./lib.sh && ", e->root);
	tp_buf_vprintf(cmd, fmt, ap);
}

void
trepo_run(const struct trepo *e, const char *fmt, ...)
{
	struct tp_buf cmd = TP_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	script(&cmd, e, fmt, ap);
	va_end(ap);
	rc = system(cmd.ptr);
	CHECK(rc == 0, "script failed (%d):\n%s", rc, cmd.ptr);
	tp_buf_release(&cmd);
}

static void vcapture(struct tp_buf *out, const struct trepo *e, const char *fmt,
		     va_list ap) TP_PRINTF(3, 0);

static void
vcapture(struct tp_buf *out, const struct trepo *e, const char *fmt, va_list ap)
{
	struct tp_buf cmd = TP_BUF_INIT;
	char chunk[65536];
	FILE *fp;
	size_t n;
	int rc;

	script(&cmd, e, fmt, ap);
	fp = popen(cmd.ptr, "r");
	CHECK(fp != NULL, "cannot run %s", cmd.ptr);
	tp_buf_clear(out);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		CHECK(tp_buf_put(out, chunk, n) == 0, "out of memory");
	rc = pclose(fp);
	CHECK(rc == 0, "command failed (%d): %s", rc, cmd.ptr);
	tp_buf_release(&cmd);
}

void
trepo_capture(struct tp_buf *out, const struct trepo *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcapture(out, e, fmt, ap);
	va_end(ap);
}

void
trepo_line(char *line, size_t size, const struct trepo *e, const char *fmt, ...)
{
	struct tp_buf out = TP_BUF_INIT;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vcapture(&out, e, fmt, ap);
	va_end(ap);
	n = strcspn(out.ptr, "\r\n");
	CHECK(n < size, "output too long: %s", out.ptr);
	memcpy(line, out.ptr, n);
	line[n] = '\0';
	tp_buf_release(&out);
}

void
trepo_rev_parse(char id[41], const struct trepo *e, const char *repo,
		const char *rev)
{
	trepo_line(id, 41, e, "git -C '%s' rev-parse --verify -q '%s'", repo,
		   rev);
	CHECK(strlen(id) == 40, "rev-parse %s in %s: '%s'", rev, repo, id);
}
