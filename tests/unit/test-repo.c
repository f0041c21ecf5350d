/*
 * test-repo.c: the native repository reader (src/lib/repo.c) on real
 * repositories that each test builds with git in a temporary folder.
 *
 * Discovery is checked against libgit2 itself (git_repository_open_ext(),
 * which history.c falls back to): tp_repo_open() either declines or opens
 * exactly the repository libgit2 opens.  Refs and objects are checked
 * against git.
 *
 * Isolation: HOME is the temporary folder, GIT_CONFIG_NOSYSTEM=1 (and
 * libgit2's config search paths point into the folder), and
 * GIT_CEILING_DIRECTORIES stops discovery at the folder; dates and the
 * identity are fixed.  The folder is removed at the end.
 */
/* realpath() and symlink() are XSI */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "tsv.h"

#include "repo.h"
#include "trepo.h"

/* Checks that a library call returned `want`, showing the error if not. */
#define CHECK_RC(rc, want, err, what) \
	CHECK((rc) == (want), "%s: got %d, want %d: %s", (what), (rc), (want), \
	      (err).msg)

/* After trepo's newrepo: one fixed date, commits of one file. */
static const char lib_sh[] = "export GIT_AUTHOR_DATE='@1700000000 +0000' "
			     "GIT_COMMITTER_DATE='@1700000000 +0000'\n"
			     "commit() {\n"
			     "  echo \"$1\" >> file.txt\n"
			     "  git add -A\n"
			     "  git commit -q -m \"$1\"\n"
			     "}\n";

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* The variables TP_REPO_OPEN_ENV looks at, as libgit2 1.5 reads them. */
static const char *const env_vars[] = { "GIT_DIR",
					"GIT_OBJECT_DIRECTORY",
					"GIT_ALTERNATE_OBJECT_DIRECTORIES",
					"GIT_COMMON_DIR",
					"GIT_WORK_TREE",
					"GIT_INDEX_FILE",
					"GIT_NAMESPACE",
					"GIT_DISCOVERY_ACROSS_FILESYSTEM" };

/*
 * Every test starts here: the working folder is the root, discovery stops
 * at the root, and no GIT_DIR-like variable is set (a failed test may
 * have left them changed).
 */
static const struct trepo *
begin(void **state)
{
	const struct trepo *e = *state;
	size_t i;

	CHECK(chdir(e->root) == 0, "cannot enter the test folder");
	setenv("GIT_CEILING_DIRECTORIES", e->root, 1);
	for (i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++)
		unsetenv(env_vars[i]);
	return e;
}

/* "<root>/<rel>" in `b`, which is cleared first. */
static const char *
at(struct tp_buf *b, const struct trepo *e, const char *rel)
{
	tp_buf_clear(b);
	tp_buf_printf(b, "%s/%s", e->root, rel);
	return b->ptr;
}

static void
to_hex(char hex[41], const unsigned char id[20])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < 20; i++) {
		hex[2 * i] = digits[id[i] >> 4];
		hex[2 * i + 1] = digits[id[i] & 0xf];
	}
	hex[40] = '\0';
}

/*
 * tp_repo_open() on `start` (under the root); checks the contract of the
 * result (1 with *out set, or 0 with *out NULL, and no error) and returns
 * it.
 */
static int
try_open(struct tp_repo **r, const struct trepo *e, const char *start,
	 unsigned flags)
{
	struct tp_buf path = TP_BUF_INIT;
	struct tp_error err;
	char dummy;
	int rc;

	tp_error_init(&err);
	*r = (struct tp_repo *)(void *)&dummy;
	rc = tp_repo_open(r, at(&path, e, start), flags, &err);
	CHECK(rc >= 0 && err.code == 0, "open '%s': %d: %s", path.ptr, rc,
	      err.msg);
	CHECK((rc == 1 && *r != NULL) || (rc == 0 && *r == NULL),
	      "open '%s' returned %d with *out %s", path.ptr, rc,
	      *r == NULL ? "NULL" : "set");
	tp_buf_release(&path);
	return rc;
}

/* tp_repo_open() on `start` must open (want 1) or decline (want 0). */
static void
expect_open(const struct trepo *e, const char *start, unsigned flags, int want,
	    const char *what)
{
	struct tp_repo *r;
	int rc;

	rc = try_open(&r, e, start, flags);
	CHECK(rc == want, "%s: tp_repo_open('%s') = %d, want %d", what, start,
	      rc, want);
	tp_repo_free(r);
}

/* Opens the repository of `dir` (under the root); it must open. */
static struct tp_repo *
open_repo(const struct trepo *e, const char *dir)
{
	struct tp_repo *r;

	CHECK(try_open(&r, e, dir, 0) == 1, "cannot open '%s' natively", dir);
	return r;
}

/* 1 when libgit2 opens a repository from `start` (under the root). */
static int
git_opens(const struct trepo *e, const char *start)
{
	struct tp_buf path = TP_BUF_INIT;
	git_repository *g = NULL;
	int ge;

	ge = git_repository_open_ext(&g, at(&path, e, start), 0,
				     getenv("GIT_CEILING_DIRECTORIES"));
	git_repository_free(g);
	tp_buf_release(&path);
	return ge == 0;
}

/*
 * `native` (from tp_repo_gitdir() or tp_repo_workdir()) is canonical with
 * a trailing '/', and names the folder `git` (from libgit2) names.
 */
static void
same_folder(const char *what, const char *native, const char *git)
{
	char *a, *b;
	size_t n = strlen(native);

	CHECK(git != NULL, "%s: libgit2 has no such folder", what);
	CHECK(n > 1 && native[n - 1] == '/', "%s: '%s' lacks a trailing '/'",
	      what, native);
	a = realpath(native, NULL);
	b = realpath(git, NULL);
	CHECK(a != NULL && b != NULL, "%s: realpath('%s') or ('%s') failed",
	      what, native, git);
	CHECK(strlen(a) == n - 1 && strncmp(a, native, n - 1) == 0,
	      "%s: '%s' is not canonical ('%s')", what, native, a);
	CHECK(strcmp(a, b) == 0, "%s: native '%s', libgit2 '%s'", what, native,
	      git);
	free(a);
	free(b);
}

/* `name` resolves to the id `want` (40 hex digits). */
static void
expect_ref(struct tp_repo *r, const char *name, const char *want)
{
	unsigned char id[20];
	char hex[41], *last = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_repo_ref(id, &last, r, name, &err);
	CHECK_RC(rc, 0, err, name);
	CHECK(last == NULL, "%s: *last set to '%s' on success", name, last);
	to_hex(hex, id);
	CHECK(strcmp(hex, want) == 0, "ref '%s' is %s, want %s", name, hex,
	      want);
}

/* `name` resolves to the id of `rev` in `repo`, as git says. */
static void
ref_as_git(const struct trepo *e, struct tp_repo *r, const char *repo,
	   const char *name, const char *rev)
{
	char want[41];

	trepo_rev_parse(want, e, repo, rev);
	expect_ref(r, name, want);
}

/* `name` fails with TP_ENOTFOUND, the last name tried being `last`. */
static void
expect_unborn(struct tp_repo *r, const char *name, const char *want_last)
{
	unsigned char id[20];
	char *last = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_repo_ref(id, &last, r, name, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err, name);
	CHECK(err.code == TP_ENOTFOUND && strstr(err.msg, want_last) != NULL,
	      "%s: message '%s' does not name '%s'", name, err.msg, want_last);
	CHECK(last != NULL && strcmp(last, want_last) == 0,
	      "%s: *last is '%s', want '%s'", name,
	      last != NULL ? last : "(null)", want_last);
	free(last);
	/* *last is optional */
	tp_error_init(&err);
	rc = tp_repo_ref(id, NULL, r, name, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err, name);
}

/* tp_repo_symref(`name`) is `want` (NULL: not symbolic). */
static void
expect_symref(struct tp_repo *r, const char *name, const char *want)
{
	struct tp_error err;
	char *got;
	int rc;

	tp_error_init(&err);
	rc = tp_repo_symref(&got, r, name, &err);
	CHECK_RC(rc, 0, err, name);
	CHECK((want == NULL && got == NULL) ||
		      (want != NULL && got != NULL && strcmp(got, want) == 0),
	      "symref '%s' is '%s', want '%s'", name,
	      got != NULL ? got : "(null)", want != NULL ? want : "(null)");
	free(got);
}

/*
 * tp_repo_ref() on `name` fails with `want` (TP_EGIT or TP_ENOTFOUND), and
 * the message contains `needle`; so does tp_repo_symref() if `sym`.
 */
static void
expect_ref_error(struct tp_repo *r, const char *name, int want,
		 const char *needle, int sym)
{
	unsigned char id[20];
	char hex[41], *last = NULL, *target;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	memset(id, 0, sizeof(id));
	rc = tp_repo_ref(id, &last, r, name, &err);
	to_hex(hex, id);
	CHECK(rc == want, "ref '%s': got %d (id %s), want %d: %s", name, rc,
	      hex, want, err.msg);
	CHECK(err.code == want && strstr(err.msg, needle) != NULL,
	      "ref '%s': message '%s' lacks '%s'", name, err.msg, needle);
	CHECK(want == TP_ENOTFOUND || last == NULL,
	      "ref '%s': *last '%s' set on an error", name, last);
	free(last);
	if (!sym)
		return;
	tp_error_init(&err);
	rc = tp_repo_symref(&target, r, name, &err);
	CHECK(rc == want && target == NULL && strstr(err.msg, needle) != NULL,
	      "symref '%s': got %d ('%s'), want %d: %s", name, rc,
	      target != NULL ? target : "(null)", want, err.msg);
}

/* ------------------------------------------------------------------ */
/* discovery                                                           */
/* ------------------------------------------------------------------ */

/* One starting place, what each side finds from it. */
struct place {
	const char *what;
	const char *cwd; /* chdir here (under the root) first, or NULL */
	const char *start; /* under the root, or relative to cwd if set */
	const char *ceiling; /* ':'-separated; "/x" stands for <root>/x */
	int native; /* tp_repo_open() opens (1) or declines (0) */
	int git; /* libgit2 opens (1) or says GIT_ENOTFOUND */
};

static const struct place places[] = {
	{ "top of a plain repo", NULL, "plain", "/", 1, 1 },
	{ "two levels down", NULL, "plain/a/b", "/", 1, 1 },
	{ "a file as the start", NULL, "plain/a/file", "/", 1, 1 },
	/* libgit2 takes these for the repository itself (or a bare one) */
	{ "the .git folder", NULL, "plain/.git", "/", 0, 1 },
	{ "inside .git", NULL, "plain/.git/refs/heads", "/", 0, 1 },
	{ "inside .git/objects", NULL, "plain/.git/objects/info", "/", 0, 1 },
	{ "outside any repository", NULL, "norepo/x", "/", 0, 0 },
	{ "no such folder", NULL, "plain/nope", "/", 0, 0 },
	{ "ceiling between start and repo", NULL, "plain/a/b/c", "/:/plain/a",
	  0, 0 },
	{ "ceiling at the repo's top", NULL, "plain/a/b", "/:/plain", 0, 0 },
	{ "ceiling is the start's parent, the top", NULL, "plain/a", "/:/plain",
	  0, 0 },
	/* the start itself is looked at whatever the ceiling */
	{ "ceiling is the start", NULL, "plain/a", "/:/plain/a", 1, 1 },
	{ "ceiling with a trailing slash", NULL, "plain/a/b", "/:/plain/a/", 0,
	  0 },
	{ "ceiling through a symlink", NULL, "plain/a/b/c", "/:/cl", 0, 0 },
	{ "ceiling under the start", NULL, "plain/a", "/:/plain/a/b", 1, 1 },
	/* "<root>/plain/a" is a prefix of the string, not of the path */
	{ "ceiling beside the path", NULL, "plain/ab/x", "/:/plain/a", 1, 1 },
	/* "." would stop the search at plain/a if it counted */
	{ "relative ceiling entry", "plain/a", "b/c", "/:.:a", 1, 1 },
	{ "empty ceiling entries", NULL, "plain/a/b", "::/:", 1, 1 },
	{ "relative start", "plain/a", "b", "/", 1, 1 },
	{ "symlinked start", NULL, "link", "/", 1, 1 },
	{ "symlinked start, ceiling on the real path", NULL, "link",
	  "/:/plain/a", 0, 0 },
	{ "an empty .git folder is skipped", NULL, "outer/mid/sub", "/", 1, 1 },
	{ "nested repository", NULL, "outer/inner/d", "/", 1, 1 },
	{ "nested repository's top", NULL, "outer/inner", "/", 1, 1 },
};

/* The GIT_CEILING_DIRECTORIES value `spec` stands for. */
static void
ceiling_of(struct tp_buf *b, const struct trepo *e, const char *spec)
{
	const char *p, *sep;

	tp_buf_clear(b);
	for (p = spec;; p = sep + 1) {
		if ((sep = strchr(p, ':')) == NULL)
			sep = p + strlen(p);
		if (p != spec)
			tp_buf_putc(b, ':');
		if (*p == '/')
			tp_buf_puts(b, e->root);
		tp_buf_put(b, p, (size_t)(sep - p));
		if (*sep == '\0')
			break;
	}
}

static void
check_place(const struct trepo *e, const struct place *pl)
{
	struct tp_buf start = TP_BUF_INIT, ceil = TP_BUF_INIT;
	struct tp_repo *r = NULL;
	struct tp_error err;
	git_repository *g = NULL;
	const git_error *ge;
	int rc, grc;

	ceiling_of(&ceil, e, pl->ceiling);
	setenv("GIT_CEILING_DIRECTORIES", ceil.ptr, 1);
	if (pl->cwd != NULL) {
		CHECK(chdir(at(&start, e, pl->cwd)) == 0, "%s: cannot enter %s",
		      pl->what, start.ptr);
		tp_buf_clear(&start);
		tp_buf_puts(&start, pl->start);
	} else {
		at(&start, e, pl->start);
	}

	tp_error_init(&err);
	rc = tp_repo_open(&r, start.ptr, 0, &err);
	CHECK(rc >= 0 && err.code == 0, "%s: error %d: %s", pl->what, rc,
	      err.msg);
	CHECK((rc == 1) == (r != NULL), "%s: returned %d, *out %p", pl->what,
	      rc, (void *)r);
	grc = git_repository_open_ext(&g, start.ptr, 0,
				      getenv("GIT_CEILING_DIRECTORIES"));
	ge = git_error_last();
	CHECK(grc == (pl->git ? 0 : GIT_ENOTFOUND),
	      "%s: libgit2 open of '%s' (ceiling '%s') gave %d (%s), the test "
	      "expects %s",
	      pl->what, start.ptr, ceil.ptr, grc,
	      grc != 0 && ge != NULL ? ge->message : "-",
	      pl->git ? "a repository" : "not found");
	CHECK(rc == pl->native,
	      "%s: tp_repo_open('%s') with ceiling '%s' "
	      "gave %d, want %d%s%s",
	      pl->what, start.ptr, ceil.ptr, rc, pl->native,
	      r != NULL ? ": " : "", r != NULL ? tp_repo_gitdir(r) : "");
	if (rc == 1) {
		same_folder(pl->what, tp_repo_gitdir(r),
			    git_repository_path(g));
		same_folder(pl->what, tp_repo_workdir(r),
			    git_repository_workdir(g));
	}
	git_repository_free(g);
	tp_repo_free(r);
	tp_buf_release(&start);
	tp_buf_release(&ceil);
	CHECK(chdir(e->root) == 0, "cannot enter the test folder");
	setenv("GIT_CEILING_DIRECTORIES", e->root, 1);
}

static void
test_discovery_matches_libgit2(void **state)
{
	const struct trepo *e = begin(state);
	size_t i;

	trepo_run(e,
		  "newrepo plain && commit one && mkdir -p a/b/c ab/x && "
		  "touch a/file && cd .. && mkdir -p norepo/x && "
		  "ln -s plain/a/b link && ln -s plain/a cl && "
		  "newrepo outer && commit one && mkdir -p mid/.git mid/sub && "
		  "git init -q inner && mkdir inner/d");
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		check_place(e, &places[i]);
}

/* ------------------------------------------------------------------ */
/* what is left to libgit2                                             */
/* ------------------------------------------------------------------ */

static void
test_declines_worktree_and_gitfile(void **state)
{
	const struct trepo *e = begin(state);

	/*
	 * Linked worktrees and the gitfile both also inside another
	 * repository, where going on past the gitfile would find the wrong
	 * one.
	 */
	trepo_run(e,
		  "newrepo wtmain && commit one && mkdir sub && "
		  "git worktree add -q ../wtlinked && mkdir ../wtlinked/sub && "
		  "git worktree add -q wtin && "
		  "cd .. && newrepo gf && commit one && cd .. && "
		  "newrepo super && commit one && mkdir -p sm/x && "
		  "echo 'gitdir: ../../gf/.git' > sm/.git");
	expect_open(e, "wtmain", 0, 1, "the main worktree");
	expect_open(e, "wtmain/sub", 0, 1, "the main worktree");
	CHECK(git_opens(e, "wtlinked"), "libgit2 cannot open wtlinked");
	expect_open(e, "wtlinked", 0, 0, "a linked worktree");
	expect_open(e, "wtlinked/sub", 0, 0, "a linked worktree");
	CHECK(git_opens(e, "wtmain/wtin"), "libgit2 cannot open wtin");
	expect_open(e, "wtmain/wtin", 0, 0, "a linked worktree inside");
	/* its git folder has a commondir file */
	expect_open(e, "wtmain/.git/worktrees/wtlinked", 0, 0,
		    "a linked worktree's git folder");

	expect_open(e, "gf", 0, 1, "the gitfile's target");
	expect_open(e, "super", 0, 1, "the gitfile's superproject");
	CHECK(git_opens(e, "super/sm"), "libgit2 cannot open super/sm");
	expect_open(e, "super/sm", 0, 0, "a gitfile");
	expect_open(e, "super/sm/x", 0, 0, "under a gitfile");
	/*
	 * a .git folder with a commondir file (how linked worktrees' git
	 * folders look), whose objects and refs are in the common folder
	 */
	trepo_run(e, "mkdir -p super/cdir/.git && "
		     "cp gf/.git/HEAD super/cdir/.git/ && "
		     "echo ../../../gf/.git > super/cdir/.git/commondir");
	CHECK(git_opens(e, "super/cdir"), "libgit2 cannot open super/cdir");
	expect_open(e, "super/cdir", 0, 0, "a .git folder with commondir");

	/* a gitfile pointing nowhere: libgit2 fails, we decline */
	trepo_run(e, "mkdir -p badgf/y && echo 'gitdir: ../nowhere' > "
		     "badgf/.git");
	expect_open(e, "badgf/y", 0, 0, "a broken gitfile");
}

static void
test_declines_bare(void **state)
{
	const struct trepo *e = begin(state);

	trepo_run(e, "git init -q --bare bare.git && newrepo src && "
		     "commit one && git push -q ../bare.git main");
	CHECK(git_opens(e, "bare.git"), "libgit2 cannot open bare.git");
	expect_open(e, "bare.git", 0, 0, "a bare repository");
	expect_open(e, "bare.git/refs/heads", 0, 0, "inside a bare one");
}

static void
test_declines_object_store(void **state)
{
	const struct trepo *e = begin(state);

	trepo_run(e, "newrepo altsrc && commit one && cd .. && "
		     "newrepo alt && commit two");
	expect_open(e, "alt", 0, 1, "before alternates");
	trepo_run(e, "echo \"$PWD/altsrc/.git/objects\" > "
		     "alt/.git/objects/info/alternates");
	expect_open(e, "alt", 0, 0, "objects/info/alternates");

	trepo_run(e, "git init -q --object-format=sha256 sha && cd sha && "
		     "git config extensions.objectformat >/dev/null");
	expect_open(e, "sha", 0, 0, "a sha256 repository");
}

/* The config of cfg/ set to its original plus `extra` (printf format). */
static void
config_plus(const struct trepo *e, const char *extra)
{
	trepo_run(e,
		  "cp cfg/.git/config.orig cfg/.git/config && "
		  "printf '%s' >> cfg/.git/config",
		  extra);
}

static void
test_declines_config(void **state)
{
	static const struct {
		const char *extra;
		int opens;
	} cases[] = {
		{ "", 1 },
		{ "[core]\\n\\tworktree = ../elsewhere\\n", 0 },
		{ "[core]\\n\\tbare = true\\n", 0 },
		{ "[core]\\n\\tbare\\n", 0 }, /* no value is true */
		{ "[core]\\n\\tbare = yes\\n", 0 },
		{ "[core]\\n\\tbare = 1\\n", 0 },
		{ "[Core]\\n\\tBare = TRUE\\n", 0 },
		{ "[core] bare = on\\n", 0 },
		{ "  [core]\\n  bare=true  \\n", 0 },
		{ "[core]\\n\\tbare = false\\n", 1 },
		{ "[core]\\n\\tbare = no ; true\\n", 1 },
		{ "[core]\\n\\tbare = off # true\\n", 1 },
		{ "[core]\\n\\tbare = 0\\r\\n", 1 },
		{ "[core]\\n\\t# bare = true\\n", 1 },
		{ "[user]\\n\\tbare = true\\n", 1 },
		{ "[user]\\n\\tworktree = /\\n", 1 },
		{ "[include]\\n\\tpath = x\\n", 0 },
		{ "[includeIf \"gitdir:/\"]\\n\\tpath = x\\n", 0 },
		{ "[extensions]\\n\\tnoop = true\\n", 0 },
		{ "[core]\\n\\trepositoryformatversion = 2\\n", 0 },
		{ "[core]\\n\\trepositoryformatversion = 1\\n", 1 },
	};
	const struct trepo *e = begin(state);
	size_t i;

	trepo_run(e, "newrepo cfg && commit one && cp .git/config "
		     ".git/config.orig");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_plus(e, cases[i].extra);
		expect_open(e, "cfg", 0, cases[i].opens, cases[i].extra);
	}

	/* as git config writes them */
	config_plus(e, "");
	trepo_run(e, "cd cfg && git config core.worktree \"$PWD\"");
	expect_open(e, "cfg", 0, 0, "git config core.worktree");
	config_plus(e, "");
	trepo_run(e, "cd cfg && git config core.bare true");
	expect_open(e, "cfg", 0, 0, "git config core.bare true");
	config_plus(e, "");
	trepo_run(e, "cd cfg && git config core.repositoryformatversion 2");
	expect_open(e, "cfg", 0, 0, "repositoryformatversion 2");
	config_plus(e, "");
	expect_open(e, "cfg", 0, 1, "the original config");
}

/*
 * git and libgit2 skip a UTF-8 byte order mark at the start of a config
 * file (an editor's doing), so the first section counts as any other:
 * libgit2 opens the first repository below as a bare one, the second
 * with elsewhere/ as its working tree, refuses the third, and reads the
 * fourth as bare through the include.
 */
static void
test_declines_config_after_bom(void **state)
{
	static const char *const config[] = {
		"[core]\\n\\trepositoryformatversion = 0\\n\\tbare = true\\n",
		"[core]\\n\\trepositoryformatversion = 0\\n\\tbare = false\\n"
		"\\tworktree = ../elsewhere\\n",
		"[core]\\n\\trepositoryformatversion = 2\\n\\tbare = false\\n",
		"[include]\\n\\tpath = inc\\n"
		"[core]\\n\\trepositoryformatversion = 0\\n",
		"[extensions]\\n\\tnoop = true\\n"
		"[core]\\n\\trepositoryformatversion = 1\\n\\tbare = false\\n",
	};
	const struct trepo *e = begin(state);
	size_t i;

	trepo_run(e, "newrepo bom && commit one && mkdir elsewhere && "
		     "cp .git/config .git/config.orig && "
		     "printf '[core]\\n\\tbare = true\\n' > .git/inc");
	for (i = 0; i < sizeof(config) / sizeof(config[0]); i++) {
		trepo_run(e, "cd bom && printf '%s' > .git/config", config[i]);
		expect_open(e, "bom", 0, 0, config[i]);
		trepo_run(e,
			  "cd bom && printf '\\357\\273\\277%s' > "
			  ".git/config",
			  config[i]);
		expect_open(e, "bom", 0, 0, config[i]);
	}
	trepo_run(e, "cd bom && printf '\\357\\273\\277' > .git/config && "
		     "cat .git/config.orig >> .git/config");
	expect_open(e, "bom", 0, 1, "a BOM alone");
}

/*
 * A repository owned by someone else is libgit2's to refuse (or allow by
 * safe.directory).  Only root can make one.
 */
static void
test_declines_not_owned(void **state)
{
	const struct trepo *e = begin(state);

	if (geteuid() != 0)
		skip();
	trepo_run(e, "newrepo owned && commit one");
	expect_open(e, "owned", 0, 1, "owned by us");
	trepo_run(e, "chown 65534 owned/.git");
	expect_open(e, "owned", 0, 0, "a .git folder owned by another user");
	trepo_run(e, "chown 0 owned/.git && chown 65534 owned");
	expect_open(e, "owned", 0, 0, "a working tree owned by another user");
	trepo_run(e, "chown 0 owned");
	expect_open(e, "owned", 0, 1, "owned by us again");
}

static void
test_open_from_environment(void **state)
{
	const struct trepo *e = begin(state);
	struct tp_buf path = TP_BUF_INIT, other = TP_BUF_INIT;
	struct tp_repo *r;
	size_t i;

	trepo_run(e, "newrepo envrepo && commit one && cd .. && "
		     "newrepo envother && commit two");
	expect_open(e, "envrepo", TP_REPO_OPEN_ENV, 1, "nothing set");
	at(&other, e, "envother/.git");
	for (i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++) {
		setenv(env_vars[i], other.ptr, 1);
		expect_open(e, "envrepo", TP_REPO_OPEN_ENV, 0, env_vars[i]);
		/* without the flag the variable means nothing */
		CHECK(try_open(&r, e, "envrepo", 0) == 1, "%s set: no repo",
		      env_vars[i]);
		CHECK(strcmp(tp_repo_gitdir(r),
			     at(&path, e, "envrepo/.git/")) == 0,
		      "%s set: opened '%s'", env_vars[i], tp_repo_gitdir(r));
		tp_repo_free(r);
		unsetenv(env_vars[i]);
	}
	expect_open(e, "envrepo", TP_REPO_OPEN_ENV, 1, "all unset again");
	tp_buf_release(&path);
	tp_buf_release(&other);
}

/*
 * Each variable set to "": libgit2 (with GIT_REPOSITORY_OPEN_FROM_ENV and
 * the start given, as history.c calls it) may still open the repository,
 * or fail; tp_repo_open() must then open the same one, or decline.
 */
static void
test_open_from_environment_empty_values(void **state)
{
	const struct trepo *e = begin(state);
	struct tp_buf path = TP_BUF_INIT;
	struct tp_repo *r;
	git_repository *g;
	const git_error *ge;
	size_t i;
	int rc, grc;

	trepo_run(e, "newrepo envempty && commit one");
	for (i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++) {
		setenv(env_vars[i], "", 1);
		g = NULL;
		grc = git_repository_open_ext(&g, at(&path, e, "envempty"),
					      GIT_REPOSITORY_OPEN_FROM_ENV,
					      NULL);
		ge = git_error_last();
		rc = try_open(&r, e, "envempty", TP_REPO_OPEN_ENV);
		unsetenv(env_vars[i]);
		CHECK(rc == 0 || grc == 0,
		      "%s='': tp_repo_open() opens '%s' "
		      "but libgit2 fails: %s",
		      env_vars[i], tp_repo_gitdir(r),
		      ge != NULL ? ge->message : "?");
		if (rc == 1)
			same_folder(env_vars[i], tp_repo_gitdir(r),
				    git_repository_path(g));
		tp_repo_free(r);
		git_repository_free(g);
	}
	tp_buf_release(&path);
}

/* ------------------------------------------------------------------ */
/* refs                                                                */
/* ------------------------------------------------------------------ */

static void
test_refs_loose_and_packed(void **state)
{
	const struct trepo *e = begin(state);
	struct tp_repo *r;
	char c1[41], c2[41];

	trepo_run(e,
		  "newrepo refs && commit one && git tag v1 && "
		  "git tag -a -m release a1 && commit two && git tag v1.0 && "
		  "test -f .git/refs/tags/v1 && test -f .git/refs/heads/main");
	trepo_rev_parse(c1, e, "refs", "HEAD~1");
	trepo_rev_parse(c2, e, "refs", "HEAD");
	r = open_repo(e, "refs");
	expect_ref(r, "HEAD", c2);
	expect_ref(r, "refs/heads/main", c2);
	expect_ref(r, "refs/tags/v1", c1);
	expect_ref(r, "refs/tags/v1.0", c2);
	/* the tag object, not the commit */
	ref_as_git(e, r, "refs", "refs/tags/a1", "refs/tags/a1");
	expect_symref(r, "HEAD", "refs/heads/main");
	expect_symref(r, "refs/tags/v1", NULL);
	tp_repo_free(r);

	/* every ref packed, annotated tags with their peeled line */
	trepo_run(
		e,
		"cd refs && git pack-refs --all && "
		"test ! -e .git/refs/tags/v1 && test ! -e .git/refs/heads/main "
		"&& grep -q '^\\^' .git/packed-refs");
	r = open_repo(e, "refs");
	expect_ref(r, "HEAD", c2);
	expect_ref(r, "refs/heads/main", c2);
	/* v1 and v1.0: neither line is taken for the other */
	expect_ref(r, "refs/tags/v1", c1);
	expect_ref(r, "refs/tags/v1.0", c2);
	ref_as_git(e, r, "refs", "refs/tags/a1", "refs/tags/a1");
	expect_symref(r, "refs/heads/main", NULL);
	tp_repo_free(r);

	/* a loose ref wins over the packed one of the same name */
	trepo_run(
		e,
		"cd refs && git rev-parse HEAD > .git/refs/tags/v1 && "
		"a=$(git rev-parse refs/tags/v1) && b=$(git rev-parse HEAD) && "
		"test \"$a\" = \"$b\"");
	r = open_repo(e, "refs");
	expect_ref(r, "refs/tags/v1", c2);
	ref_as_git(e, r, "refs", "refs/tags/v1", "refs/tags/v1");
	expect_ref(r, "refs/tags/v1.0", c2);
	tp_repo_free(r);

	/*
	 * A hand-written packed-refs without the header line, so unsorted
	 * (git accepts it): old-x, before old, is not old.
	 */
	trepo_run(e,
		  "cd refs && rm .git/refs/tags/v1 && "
		  "printf '%%s refs/tags/old-x\\n%%s refs/tags/old\\n"
		  "%%s refs/heads/main\\n%%s refs/tags/last\\n' "
		  "$(git rev-parse HEAD) $(git rev-parse HEAD~1) "
		  "$(git rev-parse HEAD) $(git rev-parse HEAD) "
		  "> .git/packed-refs && a=$(git rev-parse refs/tags/old) && "
		  "b=$(git rev-parse HEAD~1) && test \"$a\" = \"$b\"");
	r = open_repo(e, "refs");
	expect_ref(r, "refs/tags/old", c1);
	expect_ref(r, "refs/tags/old-x", c2);
	expect_ref(r, "refs/tags/last", c2);
	expect_ref(r, "HEAD", c2);
	expect_unborn(r, "refs/tags/v1", "refs/tags/v1");
	tp_repo_free(r);
}

static void
test_refs_symbolic(void **state)
{
	const struct trepo *e = begin(state);
	struct tp_buf path = TP_BUF_INIT;
	struct tp_repo *r;
	git_repository *g = NULL;
	git_oid oid;
	unsigned char id[20];
	char c1[41], c2[41], name[32];
	struct tp_error err;
	int i, rc, grc;

	trepo_run(e, "newrepo sym && commit one && commit two && "
		     "git symbolic-ref refs/heads/alias refs/heads/main && "
		     "git symbolic-ref refs/heads/dangle refs/heads/nowhere && "
		     "git symbolic-ref HEAD refs/heads/alias && "
		     "a=$(git rev-parse HEAD) && b=$(git rev-parse main) && "
		     "test \"$a\" = \"$b\"");
	trepo_rev_parse(c1, e, "sym", "HEAD~1");
	trepo_rev_parse(c2, e, "sym", "HEAD");
	r = open_repo(e, "sym");
	/* HEAD -> alias -> main */
	expect_ref(r, "HEAD", c2);
	expect_ref(r, "refs/heads/alias", c2);
	expect_symref(r, "HEAD", "refs/heads/alias");
	expect_symref(r, "refs/heads/alias", "refs/heads/main");
	expect_symref(r, "refs/heads/main", NULL);
	/* a symbolic ref to nothing */
	expect_unborn(r, "refs/heads/dangle", "refs/heads/nowhere");
	expect_symref(r, "refs/heads/dangle", "refs/heads/nowhere");
	tp_repo_free(r);

	/* detached */
	trepo_run(e, "cd sym && git checkout -q --detach HEAD~1");
	r = open_repo(e, "sym");
	expect_symref(r, "HEAD", NULL);
	expect_ref(r, "HEAD", c1);
	tp_repo_free(r);

	/* unborn */
	trepo_run(e, "cd sym && git checkout -q --orphan x");
	r = open_repo(e, "sym");
	expect_unborn(r, "HEAD", "refs/heads/x");
	expect_symref(r, "HEAD", "refs/heads/x");
	tp_repo_free(r);
	trepo_run(e, "git init -q -b trunk empty");
	r = open_repo(e, "empty");
	expect_unborn(r, "HEAD", "refs/heads/trunk");
	tp_repo_free(r);

	/*
	 * Chains s1 -> main, s2 -> s1, ... s7 -> s6: the depth at which
	 * libgit2 gives up is where we give up too.
	 */
	trepo_run(e, "cd sym && git checkout -q -f main && "
		     "git symbolic-ref refs/heads/s1 refs/heads/main && "
		     "for i in 2 3 4 5 6 7; do git symbolic-ref refs/heads/s$i "
		     "refs/heads/s$((i - 1)); done");
	r = open_repo(e, "sym");
	CHECK(git_repository_open_ext(&g, at(&path, e, "sym"), 0, e->root) == 0,
	      "libgit2 cannot open sym");
	for (i = 1; i <= 7; i++) {
		snprintf(name, sizeof(name), "refs/heads/s%d", i);
		tp_error_init(&err);
		rc = tp_repo_ref(id, NULL, r, name, &err);
		grc = git_reference_name_to_id(&oid, g, name);
		CHECK((rc == 0) == (grc == 0),
		      "%s (%d levels): native %d "
		      "(%s), libgit2 %d",
		      name, i, rc, err.msg, grc);
		CHECK(rc == 0 || (rc == TP_EGIT &&
				  strstr(err.msg, "too many") != NULL),
		      "%s: %d: %s", name, rc, err.msg);
		CHECK(rc != 0 || memcmp(id, oid.id, 20) == 0, "%s: ids differ",
		      name);
		/* the header's promise */
		CHECK((rc == 0) == (i <= 5), "%s: %d levels gave %d", name, i,
		      rc);
	}
	git_repository_free(g);
	tp_repo_free(r);

	/* loops end */
	trepo_run(e, "cd sym && "
		     "printf 'ref: refs/heads/lb\\n' > .git/refs/heads/la && "
		     "printf 'ref: refs/heads/la\\n' > .git/refs/heads/lb && "
		     "printf 'ref: refs/heads/me\\n' > .git/refs/heads/me");
	r = open_repo(e, "sym");
	expect_ref_error(r, "refs/heads/la", TP_EGIT, "refs/heads/la", 0);
	expect_ref_error(r, "refs/heads/me", TP_EGIT, "refs/heads/me", 0);
	expect_symref(r, "refs/heads/la", "refs/heads/lb");
	tp_error_init(&err);
	rc = tp_repo_ref(id, NULL, r, "refs/heads/la", &err);
	CHECK(rc == TP_EGIT && strstr(err.msg, "too many levels") != NULL,
	      "loop: %d: %s", rc, err.msg);
	tp_repo_free(r);
	tp_buf_release(&path);
}

static void
test_refs_errors(void **state)
{
	static const char *const bad_names[] = {
		"../config",
		"refs/../HEAD",
		"refs/heads/a..b",
		"refs/heads/../../config",
		"refs/./heads/main",
		"/config",
		"refs//heads/main",
		"refs/heads/main/",
		"config",
		"ORIG_HEAD",
		"",
		"refs/heads/x.lock",
		"refs/heads/x\ny",
	};
	const struct trepo *e = begin(state);
	struct tp_repo *r;
	size_t i;

	/*
	 * Malformed refs, then bait: files holding a good id where a name
	 * that is not a ref would lead, had it been read.
	 */
	trepo_run(
		e,
		"newrepo errs && commit one && "
		"printf 'garbage\\n' > .git/refs/heads/bad && "
		"git rev-parse HEAD | cut -c1-39 > .git/refs/tags/short && "
		"printf '%%sx\\n' $(git rev-parse HEAD) > .git/refs/tags/junk "
		"&& : > .git/refs/tags/empty && mkdir .git/refs/tags/dir && "
		"git rev-parse HEAD > config && "
		"git rev-parse HEAD > .git/refs/heads/a..b && "
		"git rev-parse HEAD > .git/refs/heads/x.lock && "
		"git rev-parse HEAD > .git/ORIG_HEAD && "
		"printf 'ref: ../config\\n' > .git/refs/heads/evil && "
		"printf 'ref: refs/../HEAD\\n' > .git/refs/heads/evil2");
	r = open_repo(e, "errs");

	/* missing */
	expect_unborn(r, "refs/heads/nope", "refs/heads/nope");
	expect_ref_error(r, "refs/heads/nope", TP_ENOTFOUND, "refs/heads/nope",
			 1);
	/* a folder is no ref */
	expect_ref_error(r, "refs/tags/dir", TP_ENOTFOUND, "refs/tags/dir", 1);

	/* malformed */
	expect_ref_error(r, "refs/heads/bad", TP_EGIT, "refs/heads/bad", 1);
	expect_ref_error(r, "refs/tags/short", TP_EGIT, "refs/tags/short", 1);
	expect_ref_error(r, "refs/tags/junk", TP_EGIT, "refs/tags/junk", 1);
	expect_ref_error(r, "refs/tags/empty", TP_EGIT, "refs/tags/empty", 1);

	/* not refs: an error, never the bait */
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		expect_ref_error(r, bad_names[i], TP_EGIT, "'", 1);
	/* ... also as the target of a symbolic ref (symref only reads it) */
	expect_ref_error(r, "refs/heads/evil", TP_EGIT, "'../config'", 0);
	expect_symref(r, "refs/heads/evil", "../config");
	expect_ref_error(r, "refs/heads/evil2", TP_EGIT, "'refs/../HEAD'", 0);
	tp_repo_free(r);
}

/* ------------------------------------------------------------------ */
/* objects                                                             */
/* ------------------------------------------------------------------ */

/* Object `rev` of `repo` reads as `git cat-file TYPE rev` prints it. */
static void
expect_object(const struct trepo *e, struct tp_repo *r, const char *repo,
	      const char *rev, const char *typename, enum tp_odb_type type)
{
	struct tp_buf want = TP_BUF_INIT;
	unsigned char id[20], *data = NULL;
	char hex[41];
	enum tp_odb_type got;
	struct tp_error err;
	size_t size = 0;
	int rc;

	trepo_rev_parse(hex, e, repo, rev);
	CHECK(tp_odb_id_from_hex(id, hex, 40) == 0, "bad hex %s", hex);
	trepo_capture(&want, e, "git -C '%s' cat-file %s %s", repo, typename,
		      hex);
	tp_error_init(&err);
	rc = tp_repo_read(r, id, &got, &data, &size, &err);
	CHECK_RC(rc, 0, err, rev);
	CHECK(got == type, "%s: type %d, want %d", rev, (int)got, (int)type);
	CHECK(size == want.len && memcmp(data, want.ptr, size) == 0,
	      "%s: read %zu bytes:\n%.*s\nwant %zu:\n%s", rev, size, (int)size,
	      (const char *)data, want.len, want.ptr);
	CHECK(data[size] == '\0', "%s: no NUL after the data", rev);
	free(data);
	tp_buf_release(&want);
}

static void
test_read_objects(void **state)
{
	const struct trepo *e = begin(state);
	struct tp_repo *r;
	unsigned char id[20], *data = NULL;
	enum tp_odb_type type;
	struct tp_error err;
	size_t size;
	int rc;

	trepo_run(e, "newrepo objs && commit one && commit two && "
		     "git tag -a -m 'release one' v1 && "
		     "test -z \"$(find .git/objects/pack -name '*.pack')\"");
	r = open_repo(e, "objs");
	expect_object(e, r, "objs", "HEAD", "commit", TP_ODB_COMMIT);
	expect_object(e, r, "objs", "HEAD~1", "commit", TP_ODB_COMMIT);
	expect_object(e, r, "objs", "v1", "tag", TP_ODB_TAG);
	tp_repo_free(r);

	/* the same, packed */
	trepo_run(e, "cd objs && git gc -q --prune=now && "
		     "test -n \"$(find .git/objects/pack -name '*.pack')\" && "
		     "test -z \"$(find .git/objects/?? -type f 2>/dev/null)\"");
	r = open_repo(e, "objs");
	expect_object(e, r, "objs", "HEAD", "commit", TP_ODB_COMMIT);
	expect_object(e, r, "objs", "HEAD~1", "commit", TP_ODB_COMMIT);
	expect_object(e, r, "objs", "v1", "tag", TP_ODB_TAG);

	/* an id that is nowhere */
	memset(id, 0x5a, sizeof(id));
	tp_error_init(&err);
	rc = tp_repo_read(r, id, &type, &data, &size, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err, "5a5a...");
	CHECK(data == NULL, "data set on failure");
	tp_repo_free(r);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct trepo e;
	int rc;

	if (trepo_init(&e, "repo", lib_sh) < 0)
		return 1;

#define ADD(fn) tlist_add(&l, #fn, fn, &e)
	ADD(test_discovery_matches_libgit2);
	ADD(test_declines_worktree_and_gitfile);
	ADD(test_declines_bare);
	ADD(test_declines_object_store);
	ADD(test_declines_config);
	ADD(test_declines_config_after_bom);
	ADD(test_declines_not_owned);
	ADD(test_open_from_environment);
	ADD(test_open_from_environment_empty_values);
	ADD(test_refs_loose_and_packed);
	ADD(test_refs_symbolic);
	ADD(test_refs_errors);
	ADD(test_read_objects);
#undef ADD
	rc = tlist_run(&l, "repo");
	/* the tests leave the working folder in the root */
	if (chdir("/") != 0 || trepo_done(&e) < 0)
		rc = 1;
	return rc;
}
