/*
 * test-history.c: the git history module (src/lib/history.c) on real
 * repositories that each test builds with git in a temporary folder.
 *
 * Isolation: HOME is the temporary folder, GIT_CONFIG_NOSYSTEM=1 (and
 * libgit2's system config search path points into the folder too),
 * GIT_CEILING_DIRECTORIES stops discovery at the folder, dates are fixed
 * (each commit one tick after the previous one, see lib.sh below) and the
 * identity is set in each repository.  The folder is removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "tsv.h"

#include "history.h"
#include "trepo.h"

/*
 * Built twice: reading the repositories from their files (repo.h), and
 * with -DTP_TEST_LIBGIT2 through libgit2, so that both answer alike.
 */
#ifdef TP_TEST_LIBGIT2
#define OPEN_FLAGS TP_HISTORY_OPEN_LIBGIT2
#define PLAN_NAME "history-libgit2"
#else
#define OPEN_FLAGS 0
#define PLAN_NAME "history"
#endif

/* Checks that a library call returned `want`, showing the error if not. */
#define CHECK_RC(rc, want, err)                                              \
	CHECK((rc) == (want), "got %d, want %d: %s (hint: %s)", (rc), (want), \
	      (err).msg, (err).hint)

/* Shell functions of this program's scripts, after trepo's tick and newrepo. */
static const char lib_sh[] =
	/* commit MESSAGE [FILE]: the file defaults to one per branch, so
	 * that branches merge without conflicts */
	"branchfile() {\n"
	"  echo \"$(git symbolic-ref --short -q HEAD || echo detached).txt\"\n"
	"}\n"
	"commit() {\n"
	"  tick\n"
	"  f=${2:-$(branchfile)}\n"
	"  mkdir -p \"$(dirname \"$f\")\"\n"
	"  echo \"$n $1\" >> \"$f\"\n"
	"  git add -A\n"
	"  git commit -q -m \"$1\"\n"
	"}\n"
	/* commit_at MESSAGE EPOCH: a commit with that exact date */
	"commit_at() {\n"
	"  f=$(branchfile)\n"
	"  mkdir -p \"$(dirname \"$f\")\"\n"
	"  echo \"$2 $1\" >> \"$f\"\n"
	"  git add -A\n"
	"  GIT_AUTHOR_DATE=\"@$2 +0000\" GIT_COMMITTER_DATE=\"@$2 +0000\" "
	"git commit -q -m \"$1\"\n"
	"}\n"
	"atag() { tick; git tag -a -m \"release $1\" \"$@\"; }\n";

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* `git rev-list --count RANGE` in `repo`. */
static size_t
rev_count(const struct trepo *e, const char *repo, const char *range)
{
	char line[64];

	trepo_line(line, sizeof(line), e, "git -C '%s' rev-list --count %s",
		repo, range);
	return (size_t)strtoul(line, NULL, 10);
}

static struct tp_history *
open_repo(const struct trepo *e, const char *repo)
{
	struct tp_buf path = TP_BUF_INIT;
	struct tp_history *h = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	tp_buf_printf(&path, "%s/%s", e->root, repo);
	rc = tp_history_open(&h, path.ptr, OPEN_FLAGS, &err);
	CHECK(rc == 0 && h != NULL, "open %s: %s", path.ptr, err.msg);
	tp_buf_release(&path);
	return h;
}

/* Classify by name prefix (the payload): "v1.2.0" is version "1.2.0". */
static int
by_prefix(const char *name, size_t len, size_t *off, size_t *vlen,
	  void *payload)
{
	const char *prefix = payload;
	size_t n = strlen(prefix);

	if (len < n || memcmp(name, prefix, n) != 0)
		return 0;
	*off = n;
	*vlen = len - n;
	return 1;
}

/* The current release's name from `rev` ("" when none); must succeed. */
static void
current(char *out, size_t size, struct tp_history *h, const char *rev,
	unsigned flags)
{
	struct tp_history_release *r = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, rev, flags, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	snprintf(out, size, "%s", r->tag != NULL ? r->tag->name : "");
	tp_history_release_free(r);
}

/* The reason `name` was skipped in `r`; -1 when it is not listed. */
static int
skip_reason(const struct tp_history_release *r, struct tp_history *h,
	    const char *name)
{
	const struct tp_history_tag *tags;
	size_t n, i;

	tp_history_tags(&tags, &n, h, NULL);
	for (i = 0; i < r->nskipped; i++)
		if (strcmp(tags[r->skipped[i].tag].name, name) == 0)
			return (int)r->skipped[i].why;
	return -1;
}

static const struct tp_history_tag *
tag_named(struct tp_history *h, const char *name)
{
	const struct tp_history_tag *tags;
	struct tp_error err;
	size_t n, i;
	int rc;

	tp_error_init(&err);
	rc = tp_history_tags(&tags, &n, h, &err);
	CHECK_RC(rc, 0, err);
	for (i = 0; i < n; i++)
		if (strcmp(tags[i].name, name) == 0)
			return &tags[i];
	CHECK(0, "no tag '%s'", name);
	return NULL;
}

static struct tp_history_commits *
since(struct tp_history *h, const char *rev, const char *base,
      const char *const *paths, size_t npaths)
{
	struct tp_history_commits *c = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_history_commits_since(&c, h, rev, base, paths, npaths, &err);
	CHECK_RC(rc, 0, err);
	return c;
}

/* ------------------------------------------------------------------ */
/* opening                                                             */
/* ------------------------------------------------------------------ */

static void
test_not_a_repository(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf path = TP_BUF_INIT;
	struct tp_history *h = NULL;
	struct tp_error err;
	int rc;

	trepo_run(e, "mkdir -p plain/sub");
	tp_buf_printf(&path, "%s/plain/sub", e->root);
	tp_error_init(&err);
	rc = tp_history_open(&h, path.ptr, OPEN_FLAGS, &err);
	CHECK_RC(rc, TP_EGIT, err);
	assert_null(h);
	CHECK(strstr(err.msg, "not a git repository") != NULL &&
	      strstr(err.msg, path.ptr) != NULL, "message: %s", err.msg);
	CHECK(err.hint[0] != '\0', "no hint");

	/* a folder that does not exist says so */
	tp_buf_puts(&path, "/nope");
	tp_error_init(&err);
	rc = tp_history_open(&h, path.ptr, OPEN_FLAGS, &err);
	CHECK_RC(rc, TP_EGIT, err);
	CHECK(strstr(err.msg, "nope") != NULL, "message: %s", err.msg);
	tp_buf_release(&path);
}

static void
test_sha256_repository(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf path = TP_BUF_INIT;
	struct tp_history *h = NULL;
	struct tp_error err;
	int rc;

	trepo_run(e, "git init -q --object-format=sha256 sha && cd sha && "
	    "git -c user.name=a -c user.email=b@c commit -q --allow-empty "
	    "-m one && mkdir sub");
	tp_buf_printf(&path, "%s/sha/sub", e->root);
	tp_error_init(&err);
	rc = tp_history_open(&h, path.ptr, OPEN_FLAGS, &err);
	CHECK_RC(rc, TP_EGIT, err);
	CHECK(strstr(err.msg, "SHA-256 repositories are not supported by "
		     "this build of libgit2") != NULL, "message: %s", err.msg);
	tp_buf_release(&path);
}

static void
test_unborn_head(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c = NULL;
	const struct tp_history_tag *tags;
	char id[TP_HISTORY_ID_SIZE], *branch = NULL;
	struct tp_error err;
	size_t n;
	int rc;

	trepo_run(e, "newrepo unborn");
	h = open_repo(e, "unborn");
	tp_error_init(&err);
	rc = tp_history_head(id, h, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	CHECK(strstr(err.msg, "'main'") != NULL, "message: %s", err.msg);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	assert_null(r);
	tp_error_init(&err);
	rc = tp_history_commits_since(&c, h, NULL, NULL, NULL, 0, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	assert_null(c);
	tp_error_init(&err);
	rc = tp_history_branch(&branch, h, &err);
	CHECK_RC(rc, 0, err);
	assert_non_null(branch);
	assert_string_equal(branch, "main");
	free(branch);
	rc = tp_history_tags(&tags, &n, h, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(n, 0);
	assert_int_equal(tp_history_is_shallow(h), 0);
	tp_history_free(h);
}

/* ------------------------------------------------------------------ */
/* the current release                                                 */
/* ------------------------------------------------------------------ */

static void
test_no_tags(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	char id[TP_HISTORY_ID_SIZE];
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo notags && commit 'feat: one' && "
	    "commit 'fix: two' && commit 'third'");
	h = open_repo(e, "notags");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_null(r->tag);
	assert_int_equal(r->nskipped, 0);
	assert_int_equal(r->shallow, 0);
	trepo_rev_parse(id, e, "notags", "HEAD");
	assert_string_equal(r->start, id);
	tp_history_release_free(r);

	c = since(h, NULL, NULL, NULL, 0);
	assert_int_equal(c->nr, 3);
	assert_int_equal(c->total, 3);
	assert_string_equal(c->commits[0].summary, "third");
	assert_string_equal(c->commits[1].summary, "fix: two");
	assert_string_equal(c->commits[2].summary, "feat: one");
	assert_string_equal(c->commits[0].message, "third\n");
	assert_string_equal(c->commits[0].id, id);
	trepo_rev_parse(id, e, "notags", "HEAD~2");
	assert_string_equal(c->commits[2].id, id);
	assert_int_equal(c->commits[2].nparents, 0);
	assert_int_equal(c->commits[1].nparents, 1);
	assert_true(c->commits[0].time > c->commits[1].time);
	tp_history_commits_free(c);
	tp_history_free(h);
}

static void
test_linear_annotated_and_lightweight(void **state)
{
	const struct trepo *e = *state;
	const struct tp_history_tag *tags, *t;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	char id[TP_HISTORY_ID_SIZE], line[64];
	struct tp_error err;
	int64_t when;
	size_t n;
	int rc;

	trepo_run(e, "newrepo linear && commit one && commit two && "
	    "atag v1.0.0 && commit three && commit four && git tag v1.1.0 && "
	    "commit 'feat: five' && commit 'fix: six'");
	h = open_repo(e, "linear");
	tp_error_init(&err);
	rc = tp_history_tags(&tags, &n, h, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(n, 2);
	t = &tags[0];
	assert_string_equal(t->name, "v1.0.0");
	assert_int_equal(t->name_len, 6);
	assert_int_equal(t->annotated, 1);
	assert_int_equal(t->target, TP_TARGET_COMMIT);
	trepo_rev_parse(id, e, "linear", "v1.0.0");
	assert_string_equal(t->id, id);
	trepo_rev_parse(id, e, "linear", "v1.0.0^{commit}");
	assert_string_equal(t->commit, id);
	rc = tp_history_commit_time(&when, h, t->commit, &err);
	CHECK_RC(rc, 0, err);
	trepo_line(line, sizeof(line), e, "git -C linear log -1 --format=%%ct "
		"v1.0.0");
	assert_int_equal(when, strtoll(line, NULL, 10));
	assert_true(t->tag_time > when);
	t = &tags[1];
	assert_string_equal(t->name, "v1.1.0");
	assert_int_equal(t->annotated, 0);
	trepo_rev_parse(id, e, "linear", "v1.1.0");
	assert_string_equal(t->id, id);
	assert_string_equal(t->commit, id);
	assert_int_equal(t->tag_time, 0);

	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_non_null(r->tag);
	assert_string_equal(r->tag->name, "v1.1.0");
	assert_ptr_equal(r->tag, &tags[r->tag_index]);
	assert_int_equal(r->version.len, 5);
	assert_memory_equal(r->version.str, "1.1.0", 5);
	assert_int_equal(r->nskipped, 1);
	assert_int_equal(skip_reason(r, h, "v1.0.0"), TP_SKIP_LOWER);

	c = since(h, NULL, r->tag->commit, NULL, 0);
	assert_int_equal(c->nr, 2);
	assert_string_equal(c->commits[0].summary, "fix: six");
	assert_string_equal(c->commits[1].summary, "feat: five");
	tp_history_commits_free(c);
	/* since the tag's name works too, annotated or not */
	c = since(h, NULL, "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, 4);
	assert_int_equal(c->nr, rev_count(e, "linear", "v1.0.0..HEAD"));
	/* the commit carrying v1.1.0 lists it */
	assert_int_equal(c->commits[2].ntags, 1);
	assert_string_equal(tags[c->commits[2].tags[0]].name, "v1.1.0");
	assert_int_equal(c->commits[0].ntags, 0);
	tp_history_commits_free(c);
	tp_history_release_free(r);
	tp_history_free(h);
}

static void
check_highest(const struct trepo *e)
{
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	struct tp_error err;
	int rc;

	h = open_repo(e, "highest");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_non_null(r->tag);
	assert_string_equal(r->tag->name, "v2.0.0");
	assert_int_equal(skip_reason(r, h, "v1.5.0"), TP_SKIP_LOWER);
	c = since(h, NULL, r->tag->commit, NULL, 0);
	assert_int_equal(c->nr, 3);
	tp_history_commits_free(c);
	tp_history_release_free(r);
	tp_history_free(h);
}

static void
test_highest_wins_over_nearest(void **state)
{
	const struct trepo *e = *state;

	/* v2.0.0 first, a lower v1.5.0 later on the same line */
	trepo_run(e, "newrepo highest && commit one && atag v2.0.0 && "
	    "commit two && git tag v1.5.0 && commit three && commit four");
	check_highest(e);
	/* the same with generation numbers */
	trepo_run(e, "cd highest && git commit-graph write --reachable");
	check_highest(e);
}

static void
test_prereleases_and_other_kinds(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	char name[64];
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo pre && commit one && atag v1.0.0 && "
	    "commit two && atag v1.1.0-rc.1 && git tag v1.02.0 && "
	    "git tag release-7 && commit three");
	h = open_repo(e, "pre");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(r->nskipped, 3);
	assert_int_equal(skip_reason(r, h, "v1.1.0-rc.1"), TP_SKIP_PRERELEASE);
	assert_int_equal(skip_reason(r, h, "v1.02.0"), TP_SKIP_BAD_VERSION);
	assert_int_equal(skip_reason(r, h, "release-7"), TP_SKIP_OTHER_KIND);
	assert_string_equal(tp_history_skip_str(TP_SKIP_PRERELEASE),
			    "a prerelease");
	tp_history_release_free(r);

	/* for `monotonic`, prereleases count */
	current(name, sizeof(name), h, NULL, TP_FIND_PRERELEASES);
	assert_string_equal(name, "v1.1.0-rc.1");
	/* another kind: "release-7" has no valid version */
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "release-",
				     &err);
	CHECK_RC(rc, 0, err);
	assert_null(r->tag);
	assert_int_equal(skip_reason(r, h, "release-7"), TP_SKIP_BAD_VERSION);
	assert_int_equal(skip_reason(r, h, "v1.0.0"), TP_SKIP_OTHER_KIND);
	tp_history_release_free(r);
	tp_history_free(h);
}

/*
 * main:    one(v1.0.0) - two
 * maint:      \- m1(v1.0.1)
 * feature:    \- f1(v2.0.0)
 */
static void
build_unmerged(const struct trepo *e, const char *name)
{
	trepo_run(e, "newrepo %s && commit one && atag v1.0.0 && "
	    "git checkout -q -b maint && commit m1 && atag v1.0.1 && "
	    "git checkout -q -b feature main && commit f1 && atag v2.0.0 && "
	    "git checkout -q main && commit two", name);
}

static void
check_unmerged(const struct trepo *e, const char *repo)
{
	struct tp_history *h = open_repo(e, repo);
	struct tp_history_release *r = NULL;
	const struct tp_history_tag *tags;
	char name[64], id[TP_HISTORY_ID_SIZE];
	size_t *at = NULL, n, nt;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(skip_reason(r, h, "v2.0.0"), TP_SKIP_UNREACHABLE);
	assert_int_equal(skip_reason(r, h, "v1.0.1"), TP_SKIP_UNREACHABLE);
	tp_history_release_free(r);
	current(name, sizeof(name), h, "maint", 0);
	assert_string_equal(name, "v1.0.1");
	current(name, sizeof(name), h, "feature", 0);
	assert_string_equal(name, "v2.0.0");
	current(name, sizeof(name), h, "v1.0.0", 0);
	assert_string_equal(name, "v1.0.0");

	/* "exists anywhere" */
	assert_int_equal(tp_history_tag_exists(h, "v2.0.0", &err), 1);
	assert_int_equal(tp_history_tag_exists(h, "v1.0.1", &err), 1);
	assert_int_equal(tp_history_tag_exists(h, "v3.0.0", &err), 0);
	rc = tp_history_tag_exists(h, "bad..name", &err);
	CHECK_RC(rc, TP_EINVAL, err);
	tp_error_init(&err);
	rc = tp_history_tags_at(&at, &n, h, "v2.0.0", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(n, 1);
	tp_history_tags(&tags, &nt, h, &err);
	assert_string_equal(tags[at[0]].name, "v2.0.0");
	trepo_rev_parse(id, e, repo, "v2.0.0^{commit}");
	assert_string_equal(tags[at[0]].commit, id);
	free(at);
	rc = tp_history_tags_at(&at, &n, h, "HEAD", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(n, 0);
	assert_null(at);
	tp_history_free(h);
}

static void
test_unmerged_branch(void **state)
{
	const struct trepo *e = *state;

	build_unmerged(e, "unmerged");
	check_unmerged(e, "unmerged");
	/* the same with generation numbers from a commit-graph file */
	trepo_run(e, "cd unmerged && git commit-graph write --reachable && "
	    "test -f .git/objects/info/commit-graph");
	check_unmerged(e, "unmerged");
	/* commits newer than the graph have no generation number */
	trepo_run(e, "cd unmerged && commit three && "
	    "git checkout -q feature && commit f2 && git checkout -q main");
	check_unmerged(e, "unmerged");
}

static void
test_two_versions_on_one_commit(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	const struct tp_history_tag *tags;
	char name[64];
	size_t *at = NULL, n, nt;
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo twoversions && commit one && git tag v1.2.0 && "
	    "git tag v1.3.0 && commit two");
	h = open_repo(e, "twoversions");
	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.3.0");
	tp_history_free(h);

	/* equal precedence is one version: the first name is taken */
	trepo_run(e, "newrepo buildmeta && commit one && git tag 'v1.2.3+b' && "
	    "git tag 'v1.2.3+a' && git tag v1.2.2 && commit two");
	h = open_repo(e, "buildmeta");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.2.3+a");
	assert_int_equal(skip_reason(r, h, "v1.2.3+b"), TP_SKIP_SAME);
	assert_int_equal(skip_reason(r, h, "v1.2.2"), TP_SKIP_LOWER);
	tp_history_release_free(r);
	rc = tp_history_tags_at(&at, &n, h, "HEAD~1", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(n, 3);
	tp_history_tags(&tags, &nt, h, &err);
	assert_string_equal(tags[at[0]].name, "v1.2.2");
	assert_string_equal(tags[at[1]].name, "v1.2.3+a");
	assert_string_equal(tags[at[2]].name, "v1.2.3+b");
	free(at);
	tp_history_free(h);
}

static int
has_summary(const struct tp_history_commits *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (strcmp(c->commits[i].summary, s) == 0)
			return 1;
	return 0;
}

static void
test_merges(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_commits *c;
	char name[64];
	size_t i;

	/*
	 * zero - one(v1.0.0) - two --------------- M1 -- M2
	 *    \            \- f1 - f2 ------------/      /
	 *     \- e1 - e2 (forked before the release) -/
	 */
	trepo_run(e, "newrepo merges && commit zero && git branch early && "
	    "commit one && atag v1.0.0 && git checkout -q -b feature && "
	    "commit 'feat: f1' && commit 'fix: f2' && git checkout -q early && "
	    "commit 'feat: e1' && commit 'fix: e2' && git checkout -q main && "
	    "commit 'docs: two' && tick && "
	    "git merge -q --no-ff -m \"Merge branch 'feature'\" feature && "
	    "tick && git merge -q --no-ff -m 'Merge branch early' "
	    "-m 'BREAKING CHANGE: body of the merge' early");
	h = open_repo(e, "merges");
	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.0.0");
	c = since(h, NULL, "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, rev_count(e, "merges", "v1.0.0..HEAD"));
	assert_int_equal(c->nr, 7);
	assert_true(has_summary(c, "feat: f1") && has_summary(c, "fix: f2") &&
		    has_summary(c, "feat: e1") && has_summary(c, "fix: e2") &&
		    has_summary(c, "docs: two"));
	assert_false(has_summary(c, "zero") || has_summary(c, "one"));
	/* the merge commits, each with its own message */
	assert_string_equal(c->commits[0].summary, "Merge branch early");
	assert_int_equal(c->commits[0].nparents, 2);
	assert_string_equal(c->commits[0].message, "Merge branch early\n\n"
			    "BREAKING CHANGE: body of the merge\n");
	assert_string_equal(c->commits[1].summary, "Merge branch 'feature'");
	for (i = 1; i < c->nr; i++)
		assert_true(c->commits[i - 1].time >= c->commits[i].time);
	tp_history_commits_free(c);
	/* one side only */
	c = since(h, "HEAD~1", "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, rev_count(e, "merges", "v1.0.0..HEAD~1"));
	tp_history_commits_free(c);
	c = since(h, "early", "feature", NULL, 0);
	assert_int_equal(c->nr, 2);
	tp_history_commits_free(c);
	tp_history_free(h);
}

/*
 * Commit dates that go backwards must not change the answers: the walk
 * reaches `one` before it learns that `one` is below the release.
 */
static void
check_skew(const struct trepo *e)
{
	struct tp_history *h = open_repo(e, "skew");
	struct tp_history_commits *c;
	char name[64];

	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.0.0");
	c = since(h, NULL, "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, rev_count(e, "skew", "v1.0.0..HEAD"));
	assert_int_equal(c->nr, 4);
	assert_false(has_summary(c, "one") || has_summary(c, "zero"));
	tp_history_commits_free(c);
	current(name, sizeof(name), h, "side", 0);
	assert_string_equal(name, "v0.9.0");
	tp_history_free(h);
}

static void
test_clock_skew(void **state)
{
	const struct trepo *e = *state;

	/*
	 * zero(v0.9.0) - one(t=2000) - rel(t=100, v1.0.0) - three(3000) - M
	 *                   \- s1(2100) - s2(2200) ----------------------/
	 */
	trepo_run(e, "newrepo skew && commit_at zero 1000 && git tag v0.9.0 && "
	    "commit_at one 2000 && git branch side && commit_at rel 100 && "
	    "git tag v1.0.0 && git checkout -q side && commit_at s1 2100 && "
	    "commit_at s2 2200 && git checkout -q main && "
	    "commit_at three 3000 && GIT_COMMITTER_DATE='@3100 +0000' "
	    "git merge -q --no-ff -m merge side");
	check_skew(e);
	trepo_run(e, "cd skew && git commit-graph write --reachable");
	check_skew(e);
}

static void
test_detached_head_and_rev(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	struct tp_history_object obj;
	char name[64], id[TP_HISTORY_ID_SIZE], *branch = NULL;
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo detached && commit one && atag v1.0.0 && "
	    "commit two && atag v1.1.0 && commit three && "
	    "git checkout -q --detach HEAD~1");
	h = open_repo(e, "detached");
	tp_error_init(&err);
	rc = tp_history_branch(&branch, h, &err);
	CHECK_RC(rc, 0, err);
	assert_null(branch);
	rc = tp_history_head(id, h, &err);
	CHECK_RC(rc, 0, err);
	trepo_rev_parse(name, e, "detached", "v1.1.0^{commit}");
	assert_string_equal(id, name);
	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.1.0");

	/* --rev: any revision git understands */
	current(name, sizeof(name), h, "main", 0);
	assert_string_equal(name, "v1.1.0");
	current(name, sizeof(name), h, "main~2", 0);
	assert_string_equal(name, "v1.0.0");
	c = since(h, "main", "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, 2);
	tp_history_commits_free(c);
	rc = tp_history_find_release(&r, h, "nosuch", 0, by_prefix, "v", &err);
	CHECK_RC(rc, TP_EINVAL, err);
	CHECK(strstr(err.msg, "'nosuch'") != NULL, "message: %s", err.msg);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, "HEAD^{tree}", 0, by_prefix, "v",
				     &err);
	CHECK_RC(rc, TP_EINVAL, err);
	assert_null(r);

	/* resolve: an annotated tag names the tag object */
	tp_error_init(&err);
	rc = tp_history_resolve(&obj, h, "v1.0.0", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(obj.annotated, 1);
	trepo_rev_parse(id, e, "detached", "v1.0.0");
	assert_string_equal(obj.id, id);
	trepo_rev_parse(id, e, "detached", "v1.0.0^{commit}");
	assert_string_equal(obj.commit, id);
	rc = tp_history_resolve(&obj, h, id, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(obj.annotated, 0);
	assert_string_equal(obj.id, id);
	tp_history_free(h);
}

static void
test_bare_repository(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf buf = TP_BUF_INIT, path = TP_BUF_INIT;
	struct tp_history *h;
	char name[64];
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo bare-src && commit one && atag v1.0.0 && "
	    "commit two && mkdir -p conf && "
	    "printf 'version: 1\\n' > conf/policy.yml && git add conf && "
	    "commit three && cd .. && git clone -q --bare bare-src bare.git");
	h = open_repo(e, "bare.git");
	assert_null(tp_history_workdir(h));
	tp_buf_printf(&path, "%s/bare.git/", e->root);
	assert_string_equal(tp_history_gitdir(h), path.ptr);
	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.0.0");
	tp_error_init(&err);
	rc = tp_history_read_file(&buf, h, "HEAD", "conf/policy.yml", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(buf.ptr, "version: 1\n");
	rc = tp_history_read_file(&buf, h, "HEAD", "missing.yml", &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	tp_error_init(&err);
	rc = tp_history_read_file(&buf, h, "HEAD", "conf", &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	tp_history_free(h);
	/* found from a folder inside it */
	h = open_repo(e, "bare.git/refs/tags");
	assert_string_equal(tp_history_gitdir(h), path.ptr);
	tp_history_free(h);
	/* a working tree is found from a subfolder, like git */
	h = open_repo(e, "bare-src/conf");
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/bare-src/", e->root);
	assert_string_equal(tp_history_workdir(h), path.ptr);
	tp_history_free(h);
	/* a linked worktree shares the tags of its repository */
	trepo_run(e, "cd bare-src && "
	    "git worktree add -q --detach ../linked HEAD~2");
	h = open_repo(e, "linked");
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/linked/", e->root);
	assert_string_equal(tp_history_workdir(h), path.ptr);
	current(name, sizeof(name), h, NULL, 0);
	assert_string_equal(name, "v1.0.0");
	tp_history_free(h);
	tp_buf_release(&path);
	tp_buf_release(&buf);
}

/* ------------------------------------------------------------------ */
/* shallow clones                                                      */
/* ------------------------------------------------------------------ */

/*
 * shallow-src main: c1(v0.9.0) c2 c3(v1.0.0) c4 c5; other: from c1, o1
 * tagged v2.0.0.
 */
static void
build_shallow_src(const struct trepo *e)
{
	trepo_run(e, "newrepo shallow-src && commit c1 && git tag v0.9.0 && "
	    "git checkout -q -b other && commit o1 && atag v2.0.0 && "
	    "git checkout -q main && commit c2 && commit c3 && atag v1.0.0 && "
	    "commit c4 && commit 'fix: c5'");
}

static void
test_shallow_release_within_reach(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	struct tp_error err;
	int rc;

	build_shallow_src(e);
	trepo_run(e, "git clone -q --depth 3 \"file://$TP_ROOT/shallow-src\" "
	    "shallow3 && test -f shallow3/.git/shallow");
	h = open_repo(e, "shallow3");
	assert_int_equal(tp_history_is_shallow(h), 1);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(r->shallow, 1);
	tp_history_release_free(r);
	c = since(h, NULL, "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, 2);
	assert_string_equal(c->commits[0].summary, "fix: c5");
	tp_history_commits_free(c);
	/* the whole history is not there */
	rc = tp_history_commits_since(&c, h, NULL, NULL, NULL, 0, &err);
	CHECK_RC(rc, TP_ESHALLOW, err);
	tp_history_free(h);
}

static void
test_shallow_hides_the_release(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	char id[TP_HISTORY_ID_SIZE];
	struct tp_error err;
	int rc;

	build_shallow_src(e);
	/* no release within depth 2: never "no release" */
	trepo_run(e, "git clone -q --depth 2 \"file://$TP_ROOT/shallow-src\" "
	    "shallow2");
	h = open_repo(e, "shallow2");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, TP_ESHALLOW, err);
	assert_null(r);
	CHECK(strstr(err.hint, "git fetch --tags --unshallow") != NULL &&
	      strstr(err.hint, "fetch-depth: 0") != NULL, "hint: %s",
	      err.hint);
	tp_history_free(h);

	/* v1.0.0 is within reach, but v2.0.0 is beyond the boundary */
	trepo_run(e, "git clone -q --depth 3 \"file://$TP_ROOT/shallow-src\" "
	    "shallow3t && cd shallow3t && "
	    "git fetch -q --depth 1 origin tag v2.0.0");
	h = open_repo(e, "shallow3t");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, TP_ESHALLOW, err);
	CHECK(strstr(err.msg, "'v2.0.0'") != NULL, "message: %s", err.msg);
	tp_history_free(h);

	/* a higher tag whose commit was never fetched */
	trepo_rev_parse(id, e, "shallow-src", "other");
	trepo_run(e, "cd shallow3 && echo %s > .git/refs/tags/v3.0.0", id);
	h = open_repo(e, "shallow3");
	assert_int_equal(tag_named(h, "v3.0.0")->target, TP_TARGET_MISSING);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, TP_ESHALLOW, err);
	CHECK(strstr(err.msg, "'v3.0.0'") != NULL, "message: %s", err.msg);
	/* a lower one does not matter */
	tp_history_free(h);
	trepo_run(e, "cd shallow3 && mv .git/refs/tags/v3.0.0 "
	    ".git/refs/tags/v0.1.0");
	h = open_repo(e, "shallow3");
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(skip_reason(r, h, "v0.1.0"), TP_SKIP_MISSING);
	tp_history_release_free(r);
	tp_history_free(h);

	/* unshallowed, everything is known again */
	trepo_run(e, "cd shallow3t && git fetch -q --tags --unshallow");
	h = open_repo(e, "shallow3t");
	assert_int_equal(tp_history_is_shallow(h), 0);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(skip_reason(r, h, "v2.0.0"), TP_SKIP_UNREACHABLE);
	assert_int_equal(r->shallow, 0);
	tp_history_release_free(r);
	tp_history_free(h);
}

/* ------------------------------------------------------------------ */
/* paths, tags of odd objects, branches, creating tags                 */
/* ------------------------------------------------------------------ */

static void
test_path_filter(void **state)
{
	const struct trepo *e = *state;
	static const char *const api[] = { "api" };
	static const char *const api2[] = { "./api/" };
	static const char *const web[] = { "web", "README" };
	static const char *const all[] = { "." };
	static const char *const apix[] = { "apix" };
	static const char *const deep[] = { "api/sub" };
	struct tp_history *h;
	struct tp_history_commits *c;

	trepo_run(e, "newrepo paths && commit 'feat: api one' api/a.c && "
	    "commit 'feat: web one' web/w.c && "
	    "commit 'fix: api two' api/sub/b.c && "
	    "commit 'chore: apix' apix/x.c && commit 'docs: readme' README && "
	    "tick && git commit -q --allow-empty -m empty");
	h = open_repo(e, "paths");
	c = since(h, NULL, NULL, api, 1);
	assert_int_equal(c->total, 6);
	assert_int_equal(c->nr, 2);
	assert_string_equal(c->commits[0].summary, "fix: api two");
	/* the root commit is compared with the empty tree */
	assert_string_equal(c->commits[1].summary, "feat: api one");
	tp_history_commits_free(c);
	c = since(h, NULL, NULL, api2, 1);
	assert_int_equal(c->nr, 2);
	tp_history_commits_free(c);
	c = since(h, NULL, NULL, web, 2);
	assert_int_equal(c->nr, 2);
	assert_true(has_summary(c, "docs: readme") &&
		    has_summary(c, "feat: web one"));
	tp_history_commits_free(c);
	c = since(h, NULL, NULL, all, 1);
	assert_int_equal(c->nr, 5);
	assert_false(has_summary(c, "empty"));
	tp_history_commits_free(c);
	c = since(h, NULL, NULL, apix, 1);
	assert_int_equal(c->nr, 1);
	tp_history_commits_free(c);
	c = since(h, NULL, NULL, deep, 1);
	assert_int_equal(c->nr, 1);
	assert_string_equal(c->commits[0].summary, "fix: api two");
	tp_history_commits_free(c);
	tp_history_free(h);
}

static void
test_tags_of_trees_blobs_and_nothing(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_history_release *r = NULL;
	const struct tp_history_tag *t;
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo oddtags && commit one && git tag v1.0.0 && "
	    "git tag v9.0.0 'HEAD^{tree}' && "
	    "git tag -a -m blob v8.0.0 HEAD:main.txt && "
	    "echo 1111111111111111111111111111111111111111 "
	    "> .git/refs/tags/v7.0.0 && "
	    "git -c advice.nestedTag=false tag -a -m nested v6.0.0 v8.0.0 && "
	    "git symbolic-ref refs/tags/v5.0.0 refs/tags/v1.0.0");
	h = open_repo(e, "oddtags");
	t = tag_named(h, "v9.0.0");
	assert_int_equal(t->target, TP_TARGET_TREE);
	assert_string_equal(t->commit, "");
	assert_int_equal(t->annotated, 0);
	t = tag_named(h, "v8.0.0");
	assert_int_equal(t->target, TP_TARGET_BLOB);
	assert_int_equal(t->annotated, 1);
	assert_string_equal(t->commit, "");
	t = tag_named(h, "v6.0.0");
	assert_int_equal(t->target, TP_TARGET_BLOB);
	assert_int_equal(tag_named(h, "v7.0.0")->target, TP_TARGET_MISSING);
	t = tag_named(h, "v5.0.0");
	assert_int_equal(t->target, TP_TARGET_COMMIT);
	assert_string_equal(t->commit, tag_named(h, "v1.0.0")->commit);
	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v5.0.0");
	assert_int_equal(skip_reason(r, h, "v9.0.0"), TP_SKIP_NOT_COMMIT);
	assert_int_equal(skip_reason(r, h, "v8.0.0"), TP_SKIP_NOT_COMMIT);
	assert_int_equal(skip_reason(r, h, "v7.0.0"), TP_SKIP_MISSING);
	assert_int_equal(skip_reason(r, h, "v1.0.0"), TP_SKIP_LOWER);
	tp_history_release_free(r);
	tp_history_free(h);
}

static void
test_branches_and_reachability(void **state)
{
	const struct trepo *e = *state;
	static const char *const main_only[] = { "main" };
	static const char *const release[] = { "release/*" };
	static const char *const exact[] = { "release" };
	static const char *const both[] = { "main", "release/*" };
	const char *from[2] = { "main", "release/1.x" };
	struct tp_history *h;
	char *branch = NULL, c2[TP_HISTORY_ID_SIZE], c1[TP_HISTORY_ID_SIZE];
	char h1[TP_HISTORY_ID_SIZE], sh[16];
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo branches && commit c1 && "
	    "git checkout -q -b release/1.x && commit c2 && "
	    "git checkout -q -b release/2.x/hotfix && commit h1 && "
	    "git checkout -q main && commit c3");
	trepo_rev_parse(c1, e, "branches", "main~1");
	trepo_rev_parse(c2, e, "branches", "release/1.x");
	trepo_rev_parse(h1, e, "branches", "release/2.x/hotfix");
	h = open_repo(e, "branches");
	tp_error_init(&err);
	rc = tp_history_on_branch(&branch, h, c2, main_only, 1, &err);
	CHECK_RC(rc, 0, err);
	assert_null(branch);
	rc = tp_history_on_branch(&branch, h, c2, release, 1, &err);
	CHECK_RC(rc, 1, err);
	assert_string_equal(branch, "refs/heads/release/1.x");
	free(branch);
	rc = tp_history_on_branch(NULL, h, c2, exact, 1, &err);
	CHECK_RC(rc, 0, err);
	/* `*` does not cross '/' */
	rc = tp_history_on_branch(NULL, h, h1, release, 1, &err);
	CHECK_RC(rc, 0, err);
	rc = tp_history_on_branch(&branch, h, c1, both, 2, &err);
	CHECK_RC(rc, 1, err);
	free(branch);

	rc = tp_history_reachable(h, c1, from, 1, &err);
	CHECK_RC(rc, 1, err);
	rc = tp_history_reachable(h, c2, from, 1, &err);
	CHECK_RC(rc, 0, err);
	rc = tp_history_reachable(h, c2, from, 2, &err);
	CHECK_RC(rc, 1, err);
	rc = tp_history_reachable(h, "main", from, 1, &err);
	CHECK_RC(rc, 1, err);
	tp_history_free(h);

	/* remote-tracking branches count */
	trepo_run(e, "git clone -q branches branches-clone");
	h = open_repo(e, "branches-clone");
	rc = tp_history_on_branch(&branch, h, c2, release, 1, &err);
	CHECK_RC(rc, 1, err);
	assert_string_equal(branch, "refs/remotes/origin/release/1.x");
	free(branch);
	tp_history_free(h);

	tp_history_short_id(sh, sizeof(sh), c1, 7);
	assert_int_equal(strlen(sh), 7);
	assert_memory_equal(sh, c1, 7);
	tp_history_short_id(sh, 4, c1, 7);
	assert_int_equal(strlen(sh), 3);
	tp_history_short_id(sh, sizeof(sh), "abc", 7);
	assert_string_equal(sh, "abc");
}

static void
test_create_tag(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	char id[TP_HISTORY_ID_SIZE], want[TP_HISTORY_ID_SIZE], line[256];
	char *val = NULL;
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo create && commit one && commit two");
	h = open_repo(e, "create");
	tp_error_init(&err);
	assert_int_equal(tp_history_wants_signed_tags(h, &err), 0);
	rc = tp_history_tag_create(id, h, "v1.0.0", "HEAD",
				   "Release v1.0.0\n\n- feat: one  \n\n\n",
				   &err);
	CHECK_RC(rc, 0, err);
	trepo_rev_parse(want, e, "create", "v1.0.0");
	assert_string_equal(id, want);
	trepo_line(line, sizeof(line), e, "git -C create cat-file -t v1.0.0");
	assert_string_equal(line, "tag");
	trepo_line(line, sizeof(line), e, "git -C create cat-file -p v1.0.0 | "
		"grep '^tagger' | sed 's/>.*/>/'");
	assert_string_equal(line, "tagger Tess Ter <tess@example.com>");
	trepo_line(line, sizeof(line), e, "git -C create cat-file -p v1.0.0 | "
		"sed '1,/^$/d' | wc -l");
	/* "Release v1.0.0", "", "- feat: one": trailing blanks dropped */
	assert_string_equal(line, "3");
	trepo_rev_parse(want, e, "create", "HEAD");
	trepo_rev_parse(line, e, "create", "v1.0.0^{commit}");
	assert_string_equal(line, want);
	assert_int_equal(tp_history_tag_exists(h, "v1.0.0", &err), 1);

	/* never moved, never overwritten */
	rc = tp_history_tag_create(id, h, "v1.0.0", "HEAD~1", "again", &err);
	CHECK_RC(rc, TP_EEXISTS, err);
	assert_string_equal(id, "");
	trepo_rev_parse(line, e, "create", "v1.0.0^{commit}");
	assert_string_equal(line, want);
	tp_error_init(&err);
	rc = tp_history_tag_create(NULL, h, "bad..name", "HEAD", "x", &err);
	CHECK_RC(rc, TP_EINVAL, err);
	tp_error_init(&err);
	rc = tp_history_tag_create(NULL, h, "v2.0.0", "nosuch", "x", &err);
	CHECK_RC(rc, TP_EINVAL, err);

	/* a tag at another commit */
	tp_error_init(&err);
	rc = tp_history_tag_create(NULL, h, "v0.9.0", "HEAD~1", "x", &err);
	CHECK_RC(rc, 0, err);
	trepo_rev_parse(want, e, "create", "HEAD~1");
	trepo_rev_parse(line, e, "create", "v0.9.0^{commit}");
	assert_string_equal(line, want);

	/* the tagger must be configured */
	trepo_run(e, "cd create && git config --unset user.name");
	tp_error_init(&err);
	rc = tp_history_tag_create(NULL, h, "v2.0.0", "HEAD", "x", &err);
	CHECK_RC(rc, TP_EGIT, err);
	CHECK(strstr(err.msg, "user.name") != NULL, "message: %s", err.msg);
	assert_int_equal(tp_history_tag_exists(h, "v2.0.0", &err), 0);
	setenv("GIT_COMMITTER_NAME", "Env Ident", 1);
	tp_error_init(&err);
	rc = tp_history_tag_create(NULL, h, "v2.0.0", "HEAD", "x", &err);
	unsetenv("GIT_COMMITTER_NAME");
	CHECK_RC(rc, 0, err);
	trepo_line(line, sizeof(line), e, "git -C create cat-file -p v2.0.0 | "
		"grep '^tagger' | sed 's/>.*/>/'");
	assert_string_equal(line, "tagger Env Ident <tess@example.com>");

	/* signing is the caller's business: we only report it */
	trepo_run(e, "cd create && git config tag.gpgSign true");
	assert_int_equal(tp_history_wants_signed_tags(h, &err), 1);
	trepo_run(e, "cd create && git config tag.gpgSign false && "
	    "git config tag.forceSignAnnotated true");
	assert_int_equal(tp_history_wants_signed_tags(h, &err), 1);
	trepo_run(e, "cd create && git config tag.forceSignAnnotated maybe");
	tp_error_init(&err);
	rc = tp_history_wants_signed_tags(h, &err);
	CHECK_RC(rc, TP_EGIT, err);

	tp_error_init(&err);
	rc = tp_history_config_string(&val, h, "user.email", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(val, "tess@example.com");
	free(val);
	rc = tp_history_config_string(&val, h, "no.such", &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	assert_null(val);
	tp_history_free(h);
}

/*
 * Server hooks: the pushed objects are in a quarantine folder that only
 * an environment-aware open sees.
 */
static void
test_open_from_environment(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf gitdir = TP_BUF_INIT, q = TP_BUF_INIT;
	struct tp_buf alt = TP_BUF_INIT;
	struct tp_history *h = NULL;
	struct tp_history_object obj;
	char commit[TP_HISTORY_ID_SIZE], tag[TP_HISTORY_ID_SIZE];
	const char *from[1];
	struct tp_error err;
	int rc;

	trepo_run(e, "newrepo srv-src && commit one && cd .. && "
	    "git clone -q --bare srv-src srv.git && mkdir -p quarantine");
	trepo_line(commit, sizeof(commit), e, "cd srv.git && "
		"GIT_OBJECT_DIRECTORY=\"$TP_ROOT/quarantine\" "
		"GIT_ALTERNATE_OBJECT_DIRECTORIES=\"$TP_ROOT/srv.git/objects\" "
		"GIT_COMMITTER_DATE='@1700000000 +0000' "
		"GIT_AUTHOR_DATE='@1700000000 +0000' "
		"git -c user.name=T -c user.email=t@example.com "
		"commit-tree -p HEAD -m pushed 'HEAD^{tree}'");
	assert_int_equal(strlen(commit), 40);
	trepo_line(tag, sizeof(tag), e, "cd srv.git && "
		"printf 'object %s\\ntype commit\\ntag v2.0.0\\ntagger T "
		"<t@example.com> 1700000000 +0000\\n\\npushed\\n' | "
		"GIT_OBJECT_DIRECTORY=\"$TP_ROOT/quarantine\" "
		"GIT_ALTERNATE_OBJECT_DIRECTORIES=\"$TP_ROOT/srv.git/objects\" "
		"git hash-object -t tag -w --stdin", commit);
	assert_int_equal(strlen(tag), 40);

	/* a plain open does not see the quarantine */
	h = open_repo(e, "srv.git");
	tp_error_init(&err);
	rc = tp_history_resolve(&obj, h, tag, &err);
	CHECK_RC(rc, TP_EINVAL, err);
	tp_history_free(h);

	tp_buf_printf(&gitdir, "%s/srv.git", e->root);
	tp_buf_printf(&q, "%s/quarantine", e->root);
	tp_buf_printf(&alt, "%s/srv.git/objects", e->root);
	setenv("GIT_DIR", gitdir.ptr, 1);
	setenv("GIT_OBJECT_DIRECTORY", q.ptr, 1);
	setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", alt.ptr, 1);
	tp_error_init(&err);
	rc = tp_history_open(&h, NULL, TP_HISTORY_OPEN_ENV | OPEN_FLAGS,
			     &err);
	unsetenv("GIT_DIR");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	CHECK_RC(rc, 0, err);
	rc = tp_history_resolve(&obj, h, tag, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(obj.annotated, 1);
	assert_string_equal(obj.commit, commit);
	from[0] = commit;
	rc = tp_history_reachable(h, "HEAD", from, 1, &err);
	CHECK_RC(rc, 1, err);
	tp_history_free(h);
	tp_buf_release(&gitdir);
	tp_buf_release(&q);
	tp_buf_release(&alt);
}

/* A split commit-graph (a chain of two files) is read as well. */
static void
test_split_commit_graph(void **state)
{
	const struct trepo *e = *state;
	char line[64];

	build_unmerged(e, "split");
	trepo_run(e, "cd split && "
	    "git commit-graph write --reachable --split && "
	    "git checkout -q maint && commit m2 && "
	    "git checkout -q main && commit three && "
	    "git commit-graph write --reachable --split=no-merge");
	trepo_line(line, sizeof(line), e, "wc -l < split/.git/objects/info/"
		"commit-graphs/commit-graph-chain");
	assert_string_equal(line, "2");
	check_unmerged(e, "split");
}

/*
 * The cost grows with the commits since the release, not with the
 * history: 2,000 commits on main, v1.0.0 five commits from the top, and a
 * higher v9.0.0 on a branch that forked ten commits from the top.
 */
static void
check_cost(const struct trepo *e)
{
	struct tp_history *h = open_repo(e, "cost");
	struct tp_history_release *r = NULL;
	struct tp_history_commits *c;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v1.0.0");
	assert_int_equal(skip_reason(r, h, "v9.0.0"), TP_SKIP_UNREACHABLE);
	CHECK(r->walked < 40, "walked %zu commits", r->walked);
	tp_history_release_free(r);
	c = since(h, NULL, "v1.0.0", NULL, 0);
	assert_int_equal(c->nr, 5);
	CHECK(c->walked < 20, "walked %zu commits", c->walked);
	tp_history_commits_free(c);
	tp_history_free(h);
}

static void
test_cost_follows_commits_since(void **state)
{
	const struct trepo *e = *state;

	trepo_run(e, "git init -q -b main cost && cd cost && awk 'BEGIN {\n"
	    "  for (i = 1; i <= 2000; i++) {\n"
	    "    printf \"commit refs/heads/main\\nmark :%%d\\n\", i\n"
	    "    printf \"committer T <t@example.com> %%d +0000\\n\", "
	    "1700000000 + i * 60\n"
	    "    printf \"data <<EOM\\nfix: c%%d\\nEOM\\n\", i\n"
	    "    if (i > 1) printf \"from :%%d\\n\", i - 1\n"
	    "    printf \"M 100644 inline f.txt\\ndata <<EOM\\n%%d\\n"
	    "EOM\\n\\n\", i\n"
	    "  }\n"
	    "  for (i = 1; i <= 3; i++) {\n"
	    "    printf \"commit refs/heads/feature\\nmark :%%d\\n\", "
	    "3000 + i\n"
	    "    printf \"committer T <t@example.com> %%d +0000\\n\", "
	    "1700200000 + i * 60\n"
	    "    printf \"data <<EOM\\nfeat: f%%d\\nEOM\\n\", i\n"
	    "    printf \"from :%%d\\n\\n\", i == 1 ? 1990 : 2999 + i\n"
	    "  }\n"
	    "  printf \"tag v1.0.0\\nfrom :1995\\n\"\n"
	    "  printf \"tagger T <t@example.com> 1700300000 +0000\\n\"\n"
	    "  printf \"data <<EOM\\nrelease\\nEOM\\n\\n\"\n"
	    "  printf \"reset refs/tags/v9.0.0\\nfrom :3003\\n\\n\"\n"
	    "}' | git fast-import --quiet");
	check_cost(e);
	trepo_run(e, "cd cost && git commit-graph write --reachable");
	check_cost(e);
}

/*
 * Many higher tags that are not reachable cost one walk, not one each:
 * main has 3,000 commits, v1.0.0 at c2900 and a higher v9.0.0 far below
 * it at c50 (reachable: it wins); an old branch forked at c10 carries
 * v10.0.0 ... v10.0.20, all higher and none reachable.
 */
static void
check_many_higher(const struct trepo *e)
{
	struct tp_history *h = open_repo(e, "many");
	struct tp_history_release *r = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_history_find_release(&r, h, NULL, 0, by_prefix, "v", &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(r->tag->name, "v9.0.0");
	assert_int_equal(skip_reason(r, h, "v10.0.0"), TP_SKIP_UNREACHABLE);
	assert_int_equal(skip_reason(r, h, "v10.0.20"), TP_SKIP_UNREACHABLE);
	assert_int_equal(skip_reason(r, h, "v1.0.0"), TP_SKIP_LOWER);
	/* one walk per tag would be 21 x 2,900 commits */
	CHECK(r->walked < 40000, "walked %zu commits", r->walked);
	tp_history_release_free(r);
	tp_history_free(h);
}

static void
test_many_higher_unreachable_tags(void **state)
{
	const struct trepo *e = *state;

	trepo_run(e, "git init -q -b main many && cd many && awk 'BEGIN {\n"
	    "  for (i = 1; i <= 3000; i++) {\n"
	    "    printf \"commit refs/heads/main\\nmark :%%d\\n\", i\n"
	    "    printf \"committer T <t@example.com> %%d +0000\\n\", "
	    "1700000000 + i * 60\n"
	    "    printf \"data <<EOM\\nfix: c%%d\\nEOM\\n\", i\n"
	    "    if (i > 1) printf \"from :%%d\\n\", i - 1\n"
	    "    printf \"\\n\"\n"
	    "  }\n"
	    "  for (i = 0; i <= 20; i++) {\n"
	    "    printf \"commit refs/heads/old\\nmark :%%d\\n\", "
	    "4000 + i\n"
	    "    printf \"committer T <t@example.com> %%d +0000\\n\", "
	    "1700900000 + i * 60\n"
	    "    printf \"data <<EOM\\nfeat: o%%d\\nEOM\\n\", i\n"
	    "    printf \"from :%%d\\n\\n\", i == 0 ? 10 : 3999 + i\n"
	    "    printf \"reset refs/tags/v10.0.%%d\\nfrom :%%d\\n\\n\", "
	    "i, 4000 + i\n"
	    "  }\n"
	    "  printf \"reset refs/tags/v9.0.0\\nfrom :50\\n\\n\"\n"
	    "  printf \"reset refs/tags/v1.0.0\\nfrom :2900\\n\\n\"\n"
	    "}' | git fast-import --quiet");
	check_many_higher(e);
	trepo_run(e, "cd many && git commit-graph write --reachable");
	check_many_higher(e);
}

/* ------------------------------------------------------------------ */
/* tag names without objects                                           */
/* ------------------------------------------------------------------ */

struct names {
	char **v;
	size_t n;
	int targets;    /* keep "=TARGET" after each name */
	size_t stop_at; /* > 0: return 7 from this call on */
};

static int
collect_name(const char *name, size_t len, const char *target, void *payload)
{
	struct names *ns = payload;
	struct tp_buf b = TP_BUF_INIT;
	size_t i, zeros = 0;
	void *p;

	CHECK(name[len] == '\0' && strlen(name) == len,
	      "'%.*s': not NUL-terminated at %zu", (int)len, name, len);
	/* the padding is there (ASan) and initialised (valgrind) */
	for (i = 0; i < TP_HISTORY_NAME_PAD; i++)
		if (name[len + i] == '\0')
			zeros++;
	CHECK(zeros > 0, "'%s': no NUL after it", name);
	CHECK(target == NULL || (strlen(target) == 40 &&
				 strspn(target, "0123456789abcdef") == 40),
	      "'%s': bad target '%s'", name, target);
	if (ns->targets && target != NULL)
		tp_buf_printf(&b, "%s=%s", name, target);
	else
		tp_buf_puts(&b, name);
	p = realloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	CHECK(p != NULL, "out of memory");
	ns->v = p;
	ns->v[ns->n++] = tp_buf_detach(&b, NULL);
	return ns->stop_at > 0 && ns->n >= ns->stop_at ? 7 : 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_release(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

/*
 * The names tp_history_foreach_tag_name() gives in `repo`, sorted, each
 * followed by `sep` ("name=TARGET" with `targets`, when there is one).
 */
static void
tag_names(struct tp_buf *out, const struct trepo *e, const char *repo,
	  int targets, const char *sep)
{
	struct tp_history *h = open_repo(e, repo);
	struct names ns = { NULL, 0, targets, 0 };
	struct tp_error err;
	size_t i;
	int rc;

	tp_error_init(&err);
	rc = tp_history_foreach_tag_name(h, collect_name, &ns, &err);
	CHECK_RC(rc, 0, err);
	if (ns.n > 1)
		qsort(ns.v, ns.n, sizeof(*ns.v), str_cmp);
	tp_buf_clear(out);
	for (i = 0; i < ns.n; i++)
		tp_buf_printf(out, "%s%s", ns.v[i], sep);
	names_release(&ns);
	tp_history_free(h);
}

/* The names are the tags `git for-each-ref` lists. */
static void
same_as_git(const struct trepo *e, const char *repo)
{
	struct tp_buf got = TP_BUF_INIT;
	char want[4096];

	trepo_line(want, sizeof(want), e,
		"git -C '%s' for-each-ref --format='%%(refname:strip=2)' "
		"refs/tags | tr '\\n' ' '",
		repo);
	tag_names(&got, e, repo, 0, " ");
	CHECK(strcmp(got.ptr, want) == 0, "%s: got '%s', git lists '%s'",
	      repo, got.ptr, want);
	tp_buf_release(&got);
}

static void
test_tag_names_loose_and_packed(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf got = TP_BUF_INIT, want = TP_BUF_INIT;
	char lw[TP_HISTORY_ID_SIZE], an[TP_HISTORY_ID_SIZE],
		api[TP_HISTORY_ID_SIZE], deep[TP_HISTORY_ID_SIZE];

	trepo_run(e, "newrepo names && commit one && git tag v1.0.0 && "
	       "atag v1.1.0 && git tag api/v1.0.0 && atag a/b/v0.1.0 && "
	       "commit two");
	trepo_rev_parse(lw, e, "names", "refs/tags/v1.0.0");
	trepo_rev_parse(an, e, "names", "refs/tags/v1.1.0");
	trepo_rev_parse(api, e, "names", "refs/tags/api/v1.0.0");
	trepo_rev_parse(deep, e, "names", "refs/tags/a/b/v0.1.0");
	CHECK(strcmp(an, lw) != 0, "v1.1.0 should be a tag object");

	/* loose refs, nested ones too: names only */
	tag_names(&got, e, "names", 1, "\n");
	assert_string_equal(got.ptr,
			    "a/b/v0.1.0\napi/v1.0.0\nv1.0.0\nv1.1.0\n");
	same_as_git(e, "names");

	/* packed: the id on each line (an annotated tag's is the tag
	 * object); the peeled "^" lines are not names */
	trepo_run(e, "cd names && git pack-refs --all && "
	       "test ! -e .git/refs/tags/v1.1.0 && "
	       "test ! -e .git/refs/tags/a/b/v0.1.0 && "
	       "grep -q '^\\^' .git/packed-refs");
	tag_names(&got, e, "names", 1, "\n");
	tp_buf_printf(&want, "a/b/v0.1.0=%s\napi/v1.0.0=%s\nv1.0.0=%s\n"
			     "v1.1.0=%s\n",
		      deep, api, lw, an);
	assert_string_equal(got.ptr, want.ptr);
	same_as_git(e, "names");

	/* both: new loose refs beside packed ones in the same folder, and
	 * a loose ref overriding the packed line of its name (git tag -f
	 * leaves that line); a symbolic ref is a name like the others */
	trepo_run(e, "cd names && git tag api/v2.0.0 && "
	       "git tag -f v1.0.0 HEAD >/dev/null && "
	       "test -f .git/refs/tags/v1.0.0 && "
	       "grep -q ' refs/tags/v1.0.0$' .git/packed-refs && "
	       "git symbolic-ref refs/tags/latest refs/tags/v1.1.0");
	tag_names(&got, e, "names", 1, "\n");
	tp_buf_clear(&want);
	tp_buf_printf(&want, "a/b/v0.1.0=%s\napi/v1.0.0=%s\napi/v2.0.0\n"
			     "latest\nv1.0.0\nv1.1.0=%s\n",
		      deep, api, an);
	assert_string_equal(got.ptr, want.ptr);
	same_as_git(e, "names");

	/* neither locks nor dot files are refs; empty folders hold none */
	trepo_run(e, "cd names/.git/refs/tags && touch v3.0.0.lock .v3.0.0 && "
	       "mkdir -p empty/deeper && touch api/v2.1.0.lock");
	same_as_git(e, "names");
	/* a symbolic link is a name, never followed as a folder */
	trepo_run(e, "cd names/.git/refs/tags && ln -s ../heads link");
	tag_names(&got, e, "names", 0, " ");
	assert_string_equal(got.ptr, "a/b/v0.1.0 api/v1.0.0 api/v2.0.0 "
				     "latest link v1.0.0 v1.1.0 ");
	tp_buf_release(&got);
	tp_buf_release(&want);
}

/* A packed-refs written by hand: out of order, a name twice, a bad id. */
static void
test_tag_names_hand_written_packed_refs(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf got = TP_BUF_INIT, want = TP_BUF_INIT;
	char c[TP_HISTORY_ID_SIZE];

	trepo_run(e, "newrepo handpacked && commit one");
	trepo_rev_parse(c, e, "handpacked", "HEAD");
	/* and a loose ref over v2.0.0, one of the lines out of order */
	trepo_run(e, "cd handpacked && c=$(git rev-parse HEAD) "
	       "&& printf '%%s\\n' \"$c refs/tags/v0.9.0\" "
	       "\"$c refs/tags/v0.9.0\" \"$c refs/tags/v2.0.0\" "
	       "\"$c refs/heads/other\" \"$c refs/tags/v1.0.0\" \"^$c\" "
	       "\"not-an-id refs/tags/bad\" \"$c refs/tags/\" "
	       "\"$c refs/tagsx\" \"$c refs/tags/v1.0.0\" \"# a comment\" "
	       "> .git/packed-refs && printf '%%s' \"$c refs/tags/last\" "
	       ">> .git/packed-refs && echo $c > .git/refs/tags/v2.0.0");
	tag_names(&got, e, "handpacked", 1, "\n");
	tp_buf_printf(&want, "bad\nlast=%s\nv0.9.0=%s\nv1.0.0=%s\nv2.0.0\n",
		      c, c, c);
	assert_string_equal(got.ptr, want.ptr);
	/* in order, a name twice */
	trepo_run(e, "cd handpacked && c=$(cat .git/refs/tags/v2.0.0) && "
	       "printf '%%s\\n' \"$c refs/tags/a\" \"$c refs/tags/a\" "
	       "\"$c refs/tags/b\" > .git/packed-refs");
	tag_names(&got, e, "handpacked", 1, "\n");
	tp_buf_clear(&want);
	tp_buf_printf(&want, "a=%s\nb=%s\nv2.0.0\n", c, c);
	assert_string_equal(got.ptr, want.ptr);
	tp_buf_release(&got);
	tp_buf_release(&want);
}

static void
test_tag_names_worktree(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf got = TP_BUF_INIT, want = TP_BUF_INIT, dir = TP_BUF_INIT;
	struct tp_history *h;
	char v1[TP_HISTORY_ID_SIZE], api[TP_HISTORY_ID_SIZE];

	trepo_run(e, "newrepo wtmain && commit one && git tag v1.0.0 && "
	       "git tag api/v1.0.0 && git pack-refs --all && "
	       "git tag v1.1.0 && git worktree add -q ../wtlinked HEAD && "
	       "cd ../wtlinked && commit two && git tag v1.2.0");
	trepo_rev_parse(v1, e, "wtmain", "refs/tags/v1.0.0");
	trepo_rev_parse(api, e, "wtmain", "refs/tags/api/v1.0.0");

	/* the linked worktree's tags are its repository's */
	h = open_repo(e, "wtlinked");
	tp_buf_printf(&dir, "%s/wtmain/.git/", e->root);
	assert_string_equal(tp_history_commondir(h), dir.ptr);
	tp_buf_clear(&dir);
	tp_buf_printf(&dir, "%s/wtmain/.git/worktrees/wtlinked/", e->root);
	assert_string_equal(tp_history_gitdir(h), dir.ptr);
	tp_history_free(h);
	tp_buf_printf(&want, "api/v1.0.0=%s\nv1.0.0=%s\nv1.1.0\nv1.2.0\n",
		      api, v1);
	tag_names(&got, e, "wtlinked", 1, "\n");
	assert_string_equal(got.ptr, want.ptr);
	tag_names(&got, e, "wtmain", 1, "\n");
	assert_string_equal(got.ptr, want.ptr);
	same_as_git(e, "wtlinked");

	/* elsewhere the common folder is the git folder */
	h = open_repo(e, "wtmain");
	assert_string_equal(tp_history_commondir(h), tp_history_gitdir(h));
	tp_history_free(h);
	tp_buf_release(&got);
	tp_buf_release(&want);
	tp_buf_release(&dir);
}

static void
test_tag_names_stop_and_errors(void **state)
{
	const struct trepo *e = *state;
	struct names ns = { NULL, 0, 0, 2 };
	struct tp_buf got = TP_BUF_INIT;
	struct tp_history *h;
	struct tp_error err;
	int rc;

	/* a non-zero return stops the listing and is returned */
	trepo_run(e, "newrepo namestop && commit one && git tag v1.0.0 && "
	       "git tag v1.1.0 && git pack-refs --all && git tag v1.2.0 && "
	       "git tag v1.3.0");
	h = open_repo(e, "namestop");
	tp_error_init(&err);
	rc = tp_history_foreach_tag_name(h, collect_name, &ns, &err);
	assert_int_equal(rc, 7);
	assert_int_equal(ns.n, 2);
	assert_int_equal(err.code, 0);
	names_release(&ns);
	/* ... also in the packed part, after every loose ref */
	ns.stop_at = 3;
	rc = tp_history_foreach_tag_name(h, collect_name, &ns, &err);
	assert_int_equal(rc, 7);
	assert_int_equal(ns.n, 3);
	assert_int_equal(err.code, 0);
	names_release(&ns);
	tp_history_free(h);

	/* no refs/tags folder and no packed-refs: no tags, no error */
	trepo_run(e, "newrepo nonames && commit one && "
	    "rm -rf .git/refs/tags && test ! -e .git/packed-refs");
	tag_names(&got, e, "nonames", 1, "\n");
	assert_string_equal(got.ptr, "");

	/* a packed-refs that cannot be read */
	trepo_run(e, "cd nonames && mkdir .git/packed-refs");
	h = open_repo(e, "nonames");
	tp_error_init(&err);
	rc = tp_history_foreach_tag_name(h, collect_name, &ns, &err);
	CHECK_RC(rc, TP_EGIT, err);
	CHECK(strstr(err.msg, "cannot read '") != NULL &&
		      strstr(err.msg, "/nonames/.git/packed-refs'") != NULL,
	      "message: %s", err.msg);
	assert_int_equal(ns.n, 0);
	tp_history_free(h);
	tp_buf_release(&got);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct trepo e;
	int rc;

	if (trepo_init(&e, "history", lib_sh) < 0)
		return 1;

#define ADD(fn) tlist_add(&l, #fn, fn, &e)
	ADD(test_not_a_repository);
	ADD(test_sha256_repository);
	ADD(test_unborn_head);
	ADD(test_no_tags);
	ADD(test_linear_annotated_and_lightweight);
	ADD(test_highest_wins_over_nearest);
	ADD(test_prereleases_and_other_kinds);
	ADD(test_unmerged_branch);
	ADD(test_two_versions_on_one_commit);
	ADD(test_merges);
	ADD(test_clock_skew);
	ADD(test_detached_head_and_rev);
	ADD(test_bare_repository);
	ADD(test_shallow_release_within_reach);
	ADD(test_shallow_hides_the_release);
	ADD(test_path_filter);
	ADD(test_tags_of_trees_blobs_and_nothing);
	ADD(test_branches_and_reachability);
	ADD(test_create_tag);
	ADD(test_open_from_environment);
	ADD(test_split_commit_graph);
	ADD(test_cost_follows_commits_since);
	ADD(test_many_higher_unreachable_tags);
	ADD(test_tag_names_loose_and_packed);
	ADD(test_tag_names_hand_written_packed_refs);
	ADD(test_tag_names_worktree);
	ADD(test_tag_names_stop_and_errors);
#undef ADD
	rc = tlist_run(&l, PLAN_NAME);
	if (trepo_done(&e) < 0)
		rc = 1;
	return rc;
}
