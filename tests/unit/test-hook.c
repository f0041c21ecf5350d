/*
 * test-hook.c: the push-time checks (src/lib/hook.c) on real repositories
 * that each test builds with git in a temporary folder, the server hooks'
 * policy lookup, and installing the pre-push hook.
 *
 * Isolation as in test-history.c: HOME is the temporary folder, no system
 * or global git configuration, fixed dates and identities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "tsv.h"

#include "hook.h"
#include "trepo.h"

/*
 * Built twice: reading the repositories from their files (repo.h), and
 * with -DTP_TEST_LIBGIT2 through libgit2, so that both answer alike.
 */
#ifdef TP_TEST_LIBGIT2
#define OPEN_FLAGS TP_HISTORY_OPEN_LIBGIT2
#define PLAN_NAME "hook-libgit2"
#else
#define OPEN_FLAGS 0
#define PLAN_NAME "hook"
#endif

#define ZERO "0000000000000000000000000000000000000000"

#define CHECK_RC(rc, want, err) \
	CHECK((rc) == (want), "got %d, want %d: %s (hint: %s)", (rc), (want), \
	      (err).msg, (err).hint)

/* After trepo's tick and newrepo: commits and annotated tags. */
static const char lib_sh[] =
	"commit() { tick; echo \"$n $1\" >> f.txt; git add f.txt; "
	"git commit -q -m \"$1\"; }\n"
	"atag() { tick; git tag -a -m \"release $1\" \"$@\"; }\n";

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

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

/* A policy from YAML, or the built-in default for NULL. */
static struct tp_policy *
policy(const char *yaml)
{
	struct tp_policy *p = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = yaml != NULL ? tp_policy_load_buffer(&p, "test.yml", yaml,
						  strlen(yaml), NULL, &err)
			  : tp_policy_load_default(&p, &err);
	CHECK_RC(rc, 0, err);
	return p;
}

/*
 * Adds a pre-push line to `b`: `local` is a revision of `repo` pushed to
 * refs/tags/<tag> (refs/heads/... when `tag` starts with "refs/"), NULL
 * for a delete; `old` the remote's revision, NULL for none.
 */
static void
add_line(struct tp_buf *b, const struct trepo *e, const char *repo,
	 const char *local, const char *tag, const char *old)
{
	char lid[TP_HISTORY_ID_SIZE], oid[TP_HISTORY_ID_SIZE];
	const char *pre = strncmp(tag, "refs/", 5) == 0 ? "" : "refs/tags/";

	if (local != NULL)
		trepo_rev_parse(lid, e, repo, local);
	if (old != NULL)
		trepo_rev_parse(oid, e, repo, old);
	tp_buf_printf(b, "%s %s %s%s %s\n", local != NULL ? local : "(delete)",
		      local != NULL ? lid : ZERO, pre, tag,
		      old != NULL ? oid : ZERO);
}

/* Runs the checks over the pre-push lines `lines`; must succeed. */
static struct tp_hook_report *
check(struct tp_history *h, const struct tp_policy *p, struct tp_push_list **l,
      const struct tp_buf *lines)
{
	struct tp_hook_report *r = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_prepush_parse(l, lines->ptr, lines->len, &err);
	CHECK_RC(rc, 0, err);
	rc = tp_hook_check(&r, p, h, *l, &err);
	CHECK_RC(rc, 0, err);
	return r;
}

/* The finding of `tag` under `rule`, or NULL. */
static const struct tp_hook_finding *
finding(const struct tp_hook_report *r, const char *tag, const char *rule)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].tag, tag) == 0 &&
		    strcmp(r->findings[i].rule, rule) == 0)
			return &r->findings[i];
	return NULL;
}

static void
show(const struct tp_hook_report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		print_error("  %s: %s: %s [%s] hint: %s\n",
			    r->findings[i].level == TP_LEVEL_ERROR ? "error"
								   : "warning",
			    r->findings[i].tag, r->findings[i].message,
			    r->findings[i].rule,
			    r->findings[i].hint ? r->findings[i].hint : "-");
}

/* `tag` has a finding under `rule` at `level` whose message has `msg`. */
static void
expect(const struct tp_hook_report *r, const char *tag, const char *rule,
       enum tp_level level, const char *msg, const char *hint)
{
	const struct tp_hook_finding *f = finding(r, tag, rule);

	if (f == NULL)
		show(r);
	CHECK(f != NULL, "no finding '%s' for '%s'", rule, tag);
	CHECK(f->level == level, "'%s' [%s]: level %d, want %d", tag, rule,
	      (int)f->level, (int)level);
	CHECK(msg == NULL || strstr(f->message, msg) != NULL,
	      "'%s' [%s]: message '%s' lacks '%s'", tag, rule, f->message, msg);
	CHECK(hint == NULL || (f->hint != NULL && strstr(f->hint, hint)),
	      "'%s' [%s]: hint '%s' lacks '%s'", tag, rule,
	      f->hint ? f->hint : "(none)", hint);
}

static void
expect_none(const struct tp_hook_report *r, const char *tag)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].tag, tag) == 0) {
			show(r);
			CHECK(0, "unexpected finding for '%s'", tag);
		}
}

/* Everything a test made, freed at once. */
struct t {
	struct tp_history *h;
	struct tp_policy *p;
	struct tp_push_list *l;
	struct tp_hook_report *r;
	struct tp_buf lines;
};

static void
t_check(struct t *t)
{
	tp_hook_report_free(t->r);
	tp_push_list_free(t->l);
	t->r = NULL;
	t->l = NULL;
	t->r = check(t->h, t->p, &t->l, &t->lines);
	tp_buf_clear(&t->lines);
}

static void
t_done(struct t *t)
{
	tp_hook_report_free(t->r);
	tp_push_list_free(t->l);
	tp_policy_free(t->p);
	tp_history_free(t->h);
	tp_buf_release(&t->lines);
	memset(t, 0, sizeof(*t));
	tp_buf_init(&t->lines, TP_BUF_MAX_DEFAULT);
}

#define T_INIT \
	{ \
		NULL, NULL, NULL, NULL, TP_BUF_INIT \
	}

/* ------------------------------------------------------------------ */
/* the vectors: what a push holds                                      */
/* ------------------------------------------------------------------ */

static const struct tsv *vectors;

/* Rows that parse: the tag count is the number of records of kind tag. */
static void
test_vector_tag_count(void **state)
{
	const struct tsv_row *row = *state;
	size_t in = tsv_col(vectors, "stdin");
	size_t want = tsv_col(vectors, "expected_records_json");
	struct tp_push_list *l = NULL;
	struct tp_error err;
	const char *w = tsv_get(row, want), *p;
	size_t tags = 0;
	int rc;

	tp_error_init(&err);
	rc = tp_prepush_parse(&l, tsv_get(row, in), tsv_len(row, in), &err);
	if (strstr(w, "\"error\"") != NULL) {
		CHECK(rc < 0, "row %s parses", tsv_get(row, 0));
		assert_null(l);
		assert_int_equal(tp_hook_tag_count(l), 0);
		return;
	}
	CHECK_RC(rc, 0, err);
	for (p = w; (p = strstr(p, "\"kind\": \"tag\"")) != NULL; p++)
		tags++;
	CHECK(tp_hook_tag_count(l) == tags, "row %s: %zu tags, want %zu",
	      tsv_get(row, 0), tp_hook_tag_count(l), tags);
	tp_push_list_free(l);
}

/* ------------------------------------------------------------------ */
/* the checks                                                          */
/* ------------------------------------------------------------------ */

static void
test_branches_only(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(e, "newrepo br && commit one && git branch side");
	t.h = open_repo(e, "br");
	t.p = policy(NULL);
	add_line(&t.lines, e, "br", "main", "refs/heads/main", NULL);
	add_line(&t.lines, e, "br", NULL, "refs/heads/side", "side");
	t_check(&t);
	assert_int_equal(t.r->ntags, 0);
	assert_int_equal(t.r->nfindings, 0);
	assert_int_equal(t.r->errors, 0);
	t_done(&t);
}

static void
test_shape(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(e,
		  "newrepo shape && commit one && atag v1.0.0 && atag v1.1 && "
		  "git tag V2.0.0");
	t.h = open_repo(e, "shape");
	t.p = policy(NULL);
	add_line(&t.lines, e, "shape", "v1.0.0", "v1.0.0", NULL);
	add_line(&t.lines, e, "shape", "v1.1", "v1.1", NULL);
	add_line(&t.lines, e, "shape", "V2.0.0", "V2.0.0", NULL);
	t_check(&t);
	assert_int_equal(t.r->ntags, 3);
	expect_none(t.r, "v1.0.0");
	expect(t.r, "v1.1", "kind", TP_LEVEL_ERROR,
	       "does not match any allowed kind", "tag it as 'v1.1.0'");
	expect(t.r, "V2.0.0", "kind", TP_LEVEL_ERROR, NULL,
	       "tag it as 'v2.0.0'");
	assert_int_equal(t.r->errors, 2);
	assert_string_equal(t.r->tags[0].kind, "release");
	assert_string_equal(t.r->tags[0].fields, "semver=1.0.0");
	assert_int_equal(t.r->tags[0].annotated, 1);
	assert_null(t.r->tags[1].kind);
	assert_int_equal(t.r->tags[2].annotated, 0);
	t_done(&t);

	/* no suggestion: the hint lists the forms of scope git */
	t.h = open_repo(e, "shape");
	t.p = policy(NULL);
	trepo_run(e, "cd shape && git tag nightly");
	add_line(&t.lines, e, "shape", "nightly", "nightly", NULL);
	t_check(&t);
	expect(t.r, "nightly", "kind", TP_LEVEL_ERROR, NULL,
	       "'v{semver}' (release)");
	t_done(&t);
}

static void
test_annotated_and_levels(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	const struct tp_hook_finding *f;
	size_t i;

	trepo_run(e, "newrepo ann && commit one && git tag v1.0.0 && "
		     "git tag v1.0 && atag v1.1.0");
	t.h = open_repo(e, "ann");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {annotated: warning, lowercase: error, "
		     "monotonic: off}\n");
	add_line(&t.lines, e, "ann", "v1.0.0", "v1.0.0", NULL);
	add_line(&t.lines, e, "ann", "v1.1.0", "v1.1.0", NULL);
	add_line(&t.lines, e, "ann", "v1.0", "v1.0", NULL);
	t_check(&t);
	expect(t.r, "v1.0.0", "annotated", TP_LEVEL_WARNING,
	       "is a lightweight tag",
	       "annotate it: git tag -f -a -m v1.0.0 v1.0.0 ");
	expect_none(t.r, "v1.1.0");
	/* a tag that is not a release tag is not asked to be annotated */
	CHECK(finding(t.r, "v1.0", "annotated") == NULL, "v1.0 annotated");
	assert_int_equal(t.r->warnings, 1);
	assert_int_equal(t.r->errors, 1);
	assert_int_equal(t.r->tags[0].warnings, 1);
	assert_int_equal(t.r->tags[0].errors, 0);
	/* findings come in push order */
	for (i = 1; i < t.r->nfindings; i++) {
		f = &t.r->findings[i];
		CHECK(f[-1].update <= f->update, "findings out of push order");
	}
	t_done(&t);

	/* the policy's level decides: error blocks */
	t.h = open_repo(e, "ann");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {annotated: error, monotonic: off}\n");
	add_line(&t.lines, e, "ann", "v1.0.0", "v1.0.0", NULL);
	t_check(&t);
	expect(t.r, "v1.0.0", "annotated", TP_LEVEL_ERROR, NULL, NULL);
	assert_int_equal(t.r->errors, 1);
	t_done(&t);
}

static void
test_order_errors_first(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	size_t i;

	/* warning from annotated, error from lowercase, on one tag */
	trepo_run(e, "newrepo ord && commit one && git tag v1.0.0-RC.1");
	t.h = open_repo(e, "ord");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {annotated: warning, lowercase: error}\n");
	add_line(&t.lines, e, "ord", "v1.0.0-RC.1", "v1.0.0-RC.1", NULL);
	t_check(&t);
	CHECK(t.r->nfindings == 2, "%zu findings", t.r->nfindings);
	for (i = 1; i < t.r->nfindings; i++)
		CHECK(t.r->findings[i - 1].level >= t.r->findings[i].level,
		      "a warning before an error");
	assert_string_equal(t.r->findings[0].rule, "lowercase");
	t_done(&t);
}

static void
test_immutable(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(e,
		  "newrepo imm && commit one && atag v1.0.0 && atag old-1 && "
		  "git tag bad_name && commit two && atag v1.1.0 && "
		  "git tag -a -f -m again v1.0.0 HEAD~1 >/dev/null");
	t.h = open_repo(e, "imm");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\", old: \"old-{major}\"}\n"
		     "scopes: {git: [release, old], image: []}\n");
	/* moved: the remote has it at two, we push one */
	add_line(&t.lines, e, "imm", "v1.0.0", "v1.0.0", "v1.1.0");
	/* deleted: only immutable is checked, whatever the name */
	add_line(&t.lines, e, "imm", NULL, "v1.1.0", "v1.1.0");
	add_line(&t.lines, e, "imm", NULL, "bad_name", "bad_name");
	/* a kind immutable does not name may move and go */
	add_line(&t.lines, e, "imm", "old-1", "old-1", "v1.1.0");
	t_check(&t);
	expect(t.r, "v1.0.0", "immutable", TP_LEVEL_ERROR, "would move from ",
	       "release a new version");
	expect(t.r, "v1.1.0", "immutable", TP_LEVEL_ERROR, "would be deleted",
	       NULL);
	CHECK(t.r->tags[1].errors == 1, "delete: %zu errors",
	      t.r->tags[1].errors);
	expect_none(t.r, "bad_name");
	expect_none(t.r, "old-1");
	assert_int_equal(t.r->tags[1].action, TP_PUSH_DELETE);
	assert_string_equal(t.r->tags[1].commit, "");
	assert_int_equal(t.r->tags[1].annotated, -1);
	t_done(&t);

	/* the same commit under another tag object is a change too */
	t.h = open_repo(e, "imm");
	t.p = policy(NULL);
	trepo_run(e, "cd imm && git tag -a -m first v2.0.0 HEAD && "
		     "git tag -a -m second v2.0.1-tmp HEAD");
	add_line(&t.lines, e, "imm", "v2.0.1-tmp", "v2.0.0", "v2.0.0");
	t_check(&t);
	expect(t.r, "v2.0.0", "immutable", TP_LEVEL_ERROR,
	       "replaced by another tag object on the same commit", NULL);
	t_done(&t);

	/* off, or an empty list: nothing is protected */
	t.h = open_repo(e, "imm");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {immutable: [error, []], monotonic: off}\n");
	add_line(&t.lines, e, "imm", "v1.0.0", "v1.0.0", "v1.1.0");
	add_line(&t.lines, e, "imm", NULL, "v1.1.0", "v1.1.0");
	t_check(&t);
	assert_int_equal(t.r->nfindings, 0);
	t_done(&t);
}

static void
test_monotonic(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	/* one tag a commit, v9.0.0 on a side branch from the first */
	trepo_run(
		e,
		"newrepo mono && commit one && atag v1.0.0 && commit two && "
		"atag v1.3.0 && atag v1.3.0+b && commit three && "
		"atag v1.2.0 && "
		"commit four && atag v1.3.0+c && commit five && atag v1.4.0 && "
		"commit six && atag v1.5.0-rc.2 && commit seven && "
		"atag v1.5.0-rc.1 && commit eight && atag v1.5.0 && "
		"commit nine && atag v2.0.0-beta && "
		"git checkout -q -b side HEAD~8 && commit side && "
		"atag v9.0.0 && "
		"git checkout -q main");
	t.h = open_repo(e, "mono");
	t.p = policy(NULL);
	add_line(&t.lines, e, "mono", "v1.2.0", "v1.2.0", NULL);
	add_line(&t.lines, e, "mono", "v1.3.0+c", "v1.3.0+c", NULL);
	add_line(&t.lines, e, "mono", "v1.4.0", "v1.4.0", NULL);
	add_line(&t.lines, e, "mono", "v1.5.0-rc.1", "v1.5.0-rc.1", NULL);
	add_line(&t.lines, e, "mono", "v1.5.0", "v1.5.0", NULL);
	add_line(&t.lines, e, "mono", "v2.0.0-beta", "v2.0.0-beta", NULL);
	t_check(&t);
	/* the highest tag of its history is named, with the next one */
	expect(t.r, "v1.2.0", "monotonic", TP_LEVEL_ERROR,
	       "is not greater than 'v1.3.0', a release tag in its own "
	       "history",
	       "the next release is at least 'v1.3.1'");
	/* equal precedence is not greater */
	expect(t.r, "v1.3.0+c", "monotonic", TP_LEVEL_ERROR, "'v1.3.0'", NULL);
	/* v9.0.0 sits on a side branch: not in the history */
	expect_none(t.r, "v1.4.0");
	/* prereleases count; rc.2 then rc.1: rc.3 is next */
	expect(t.r, "v1.5.0-rc.1", "monotonic", TP_LEVEL_ERROR, "'v1.5.0-rc.2'",
	       "'v1.5.0-rc.3'");
	expect_none(t.r, "v1.5.0");
	/* a prerelease of a higher version is greater */
	expect_none(t.r, "v2.0.0-beta");
	t_done(&t);

	/* off: nothing */
	t.h = open_repo(e, "mono");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {monotonic: off}\n");
	add_line(&t.lines, e, "mono", "v1.2.0", "v1.2.0", NULL);
	t_check(&t);
	assert_int_equal(t.r->nfindings, 0);
	t_done(&t);

	/* warning: printed, not blocking */
	t.h = open_repo(e, "mono");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {monotonic: warning}\n");
	add_line(&t.lines, e, "mono", "v1.2.0", "v1.2.0", NULL);
	t_check(&t);
	expect(t.r, "v1.2.0", "monotonic", TP_LEVEL_WARNING, NULL, NULL);
	assert_int_equal(t.r->errors, 0);
	t_done(&t);

	/* the same again from packed refs */
	trepo_run(e, "cd mono && git pack-refs --all && "
		     "test ! -e .git/refs/tags/v1.3.0");
	t.h = open_repo(e, "mono");
	t.p = policy(NULL);
	add_line(&t.lines, e, "mono", "v1.2.0", "v1.2.0", NULL);
	add_line(&t.lines, e, "mono", "v1.4.0", "v1.4.0", NULL);
	t_check(&t);
	expect(t.r, "v1.2.0", "monotonic", TP_LEVEL_ERROR, "'v1.3.0'", NULL);
	expect_none(t.r, "v1.4.0");
	t_done(&t);
}

/* Tags created in the same push count, where the push puts them. */
static void
test_monotonic_same_push(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	char c1[TP_HISTORY_ID_SIZE], c2[TP_HISTORY_ID_SIZE];

	trepo_run(e, "newrepo same && commit one && commit two");
	trepo_rev_parse(c1, e, "same", "HEAD~1");
	trepo_rev_parse(c2, e, "same", "HEAD");
	t.h = open_repo(e, "same");
	t.p = policy(NULL);
	/* neither is a ref here, as on a server before the push lands */
	tp_buf_printf(&t.lines,
		      "HEAD~1 %s refs/tags/v1.5.0 %s\n"
		      "HEAD %s refs/tags/v1.4.0 %s\n",
		      c1, ZERO, c2, ZERO);
	t_check(&t);
	expect(t.r, "v1.4.0", "monotonic", TP_LEVEL_ERROR, "'v1.5.0'", NULL);
	expect_none(t.r, "v1.5.0");
	t_done(&t);

	/* a tag moved by the push counts where it goes, not where it was */
	trepo_run(e, "cd same && git tag v1.7.0 HEAD~1");
	t.h = open_repo(e, "same");
	t.p = policy("version: 1\n"
		     "kinds: {release: \"v{semver}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {immutable: off}\n");
	tp_buf_printf(&t.lines,
		      "HEAD %s refs/tags/v1.7.0 %s\n"
		      "HEAD~1 %s refs/tags/v1.6.5 %s\n",
		      c2, c1, c1, ZERO);
	t_check(&t);
	expect_none(t.r, "v1.6.5");
	t_done(&t);
}

/* Many higher tags: the one-by-one test gives way to one search. */
static void
test_monotonic_many(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	/* 60 releases on main above the fork of a maintenance branch */
	trepo_run(e,
		  "newrepo many && commit base && atag v1.2.3 && "
		  "git branch maint && i=0 && while [ $i -lt 60 ]; do "
		  "commit m$i; git tag v1.$((i + 3)).0; i=$((i + 1)); done && "
		  "git checkout -q maint && commit fix && git tag v1.2.4 && "
		  "git tag v1.2.2");
	t.h = open_repo(e, "many");
	t.p = policy(NULL);
	add_line(&t.lines, e, "many", "v1.2.4", "v1.2.4", NULL);
	add_line(&t.lines, e, "many", "v1.2.2", "v1.2.2", NULL);
	t_check(&t);
	expect_none(t.r, "v1.2.4");
	/* v1.2.3 is in its history, and v1.2.4 of the same push higher */
	expect(t.r, "v1.2.2", "monotonic", TP_LEVEL_ERROR, "'v1.2.4'",
	       "'v1.2.5'");
	t_done(&t);

	/* and when one of them is reachable, it is the highest reachable */
	trepo_run(e, "cd many && git checkout -q main && git tag v0.1.0");
	t.h = open_repo(e, "many");
	t.p = policy(NULL);
	add_line(&t.lines, e, "many", "v0.1.0", "v0.1.0", NULL);
	t_check(&t);
	expect(t.r, "v0.1.0", "monotonic", TP_LEVEL_ERROR, "'v1.62.0'",
	       "'v1.62.1'");
	t_done(&t);
}

static void
test_monotonic_kinds(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(
		e,
		"newrepo kinds && commit one && git tag api/v2.0.0 && "
		"git tag v3.0.0 && git tag v1.0.0-prod && commit two && "
		"git tag api/v1.9.0 && git tag v1.0.0 && git tag v0.9.0-prod");
	t.h = open_repo(e, "kinds");
	t.p = policy(
		"version: 1\n"
		"fields: {env: {values: [dev, prod]}}\n"
		"kinds: {env: \"v{semver}-{env}\", release: \"v{semver}\"}\n"
		"scopes: {git: [env, release], image: []}\n"
		"components: {api: {kind: \"api/v{semver}\", "
		"paths: [api/]}}\n");
	add_line(&t.lines, e, "kinds", "api/v1.9.0", "api/v1.9.0", NULL);
	add_line(&t.lines, e, "kinds", "v1.0.0", "v1.0.0", NULL);
	add_line(&t.lines, e, "kinds", "v0.9.0-prod", "v0.9.0-prod", NULL);
	t_check(&t);
	/* a component's tags are compared with its own (a loose ref in a
	 * folder of refs/tags) */
	expect(t.r, "api/v1.9.0", "monotonic", TP_LEVEL_ERROR, "'api/v2.0.0'",
	       "'api/v2.0.1'");
	/* v1.0.0-prod is of kind env, not release; v3.0.0 counts */
	expect(t.r, "v1.0.0", "monotonic", TP_LEVEL_ERROR, "'v3.0.0'", NULL);
	/* env tags are not release tags */
	expect_none(t.r, "v0.9.0-prod");
	t_done(&t);
}

/* Majors compared as numbers before any match: 9 < 10 < 11, 100 > 11. */
static void
test_monotonic_majors(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(e,
		  "newrepo maj && commit one && git tag v9.9.9 && "
		  "git tag v10.0.1 && git tag v1.99.0 && git tag v0.0.1 && "
		  "git tag v100.0.0-rc.1 && commit two && git tag v10.0.0 && "
		  "commit three && git tag v11.0.0");
	t.h = open_repo(e, "maj");
	t.p = policy(NULL);
	add_line(&t.lines, e, "maj", "v10.0.0", "v10.0.0", NULL);
	add_line(&t.lines, e, "maj", "v11.0.0", "v11.0.0", NULL);
	t_check(&t);
	expect(t.r, "v10.0.0", "monotonic", TP_LEVEL_ERROR, "'v100.0.0-rc.1'",
	       NULL);
	expect(t.r, "v11.0.0", "monotonic", TP_LEVEL_ERROR, "'v100.0.0-rc.1'",
	       NULL);
	t_done(&t);
	trepo_run(e, "cd maj && git tag -d v100.0.0-rc.1 >/dev/null && "
		     "git pack-refs --all");
	t.h = open_repo(e, "maj");
	t.p = policy(NULL);
	add_line(&t.lines, e, "maj", "v10.0.0", "v10.0.0", NULL);
	add_line(&t.lines, e, "maj", "v11.0.0", "v11.0.0", NULL);
	t_check(&t);
	expect(t.r, "v10.0.0", "monotonic", TP_LEVEL_ERROR, "'v10.0.1'", NULL);
	expect_none(t.r, "v11.0.0");
	t_done(&t);
}

static void
test_monotonic_calver(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;

	trepo_run(e,
		  "newrepo cal && commit one && git tag 2026.11.27.2 && "
		  "commit two && git tag 2026.11.27.1 && git tag 2026.11.26 && "
		  "commit three && git tag 2026.11.28");
	t.h = open_repo(e, "cal");
	t.p = policy("version: 1\n"
		     "fields: {date: {date: \"%Y.%m.%d\"}}\n"
		     "kinds: {release: \"{date}\"}\n"
		     "scopes: {git: [release], image: []}\n"
		     "bump: {scheme: calver}\n"
		     "rules: {date-future: off}\n");
	add_line(&t.lines, e, "cal", "2026.11.27.1", "2026.11.27.1", NULL);
	add_line(&t.lines, e, "cal", "2026.11.28", "2026.11.28", NULL);
	add_line(&t.lines, e, "cal", "2026.11.26", "2026.11.26", NULL);
	t_check(&t);
	expect(t.r, "2026.11.27.1", "monotonic", TP_LEVEL_ERROR,
	       "'2026.11.27.2'", NULL);
	expect_none(t.r, "2026.11.28");
	expect(t.r, "2026.11.26", "monotonic", TP_LEVEL_ERROR, "'2026.11.27.2'",
	       NULL);
	t_done(&t);
}

static void
test_release_branch(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	static const char yaml[] =
		"version: 1\n"
		"kinds: {release: \"v{semver}\", other: \"x-{major}\"}\n"
		"scopes: {git: [release, other], image: []}\n"
		"rules: {release-branch: [error, [main, \"release/*\"]]}\n";

	trepo_run(e, "newrepo rb && commit one && git tag v1.0.0 && "
		     "git checkout -q -b release/1.x && commit fix && "
		     "git tag v1.0.1 && git checkout -q -b feature && "
		     "commit feat && "
		     "git tag v1.1.0 && git tag x-1 && "
		     "git checkout -q -b release/x/hot && commit hot && "
		     "git tag v1.0.2 && git checkout -q main");
	t.h = open_repo(e, "rb");
	t.p = policy(yaml);
	add_line(&t.lines, e, "rb", "v1.0.0", "v1.0.0", NULL);
	add_line(&t.lines, e, "rb", "v1.0.1", "v1.0.1", NULL);
	add_line(&t.lines, e, "rb", "v1.1.0", "v1.1.0", NULL);
	add_line(&t.lines, e, "rb", "x-1", "x-1", NULL);
	add_line(&t.lines, e, "rb", "v1.0.2", "v1.0.2", NULL);
	t_check(&t);
	expect_none(t.r, "v1.0.0");
	expect_none(t.r, "v1.0.1");
	expect(t.r, "v1.1.0", "release-branch", TP_LEVEL_ERROR,
	       "is not on a release branch (main, release/*)",
	       "push the branch that holds it");
	/* only release tags */
	expect_none(t.r, "x-1");
	/* '*' does not cross '/' */
	expect(t.r, "v1.0.2", "release-branch", TP_LEVEL_ERROR, NULL, NULL);
	t_done(&t);

	/* a release branch pushed with the tag counts */
	t.h = open_repo(e, "rb");
	t.p = policy(yaml);
	add_line(&t.lines, e, "rb", "feature", "refs/heads/release/2.x", NULL);
	add_line(&t.lines, e, "rb", "v1.1.0", "v1.1.0", NULL);
	t_check(&t);
	expect_none(t.r, "v1.1.0");
	t_done(&t);

	/* so does a remote-tracking branch */
	trepo_run(e,
		  "cd rb && git update-ref refs/remotes/origin/main feature");
	t.h = open_repo(e, "rb");
	t.p = policy(yaml);
	add_line(&t.lines, e, "rb", "v1.1.0", "v1.1.0", NULL);
	t_check(&t);
	expect_none(t.r, "v1.1.0");
	t_done(&t);
}

static void
test_sha_commit(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	char c[TP_HISTORY_ID_SIZE];
	struct tp_buf good = TP_BUF_INIT, hint = TP_BUF_INIT;

	trepo_run(e, "newrepo sha && commit one && "
		     "git tag v1.0.0-gabcdef0 && "
		     "git tag v1.0.0-g$(git rev-parse --short=7 HEAD)");
	trepo_rev_parse(c, e, "sha", "HEAD");
	tp_buf_printf(&good, "v1.0.0-g%.7s", c);
	tp_buf_printf(&hint, "the tag is 'v1.0.0-g%.7s'", c);
	t.h = open_repo(e, "sha");
	t.p = policy("version: 1\n"
		     "fields: {sha: {hex: 7}}\n"
		     "kinds: {build: \"v{semver}-g{sha}\", "
		     "release: \"v{semver}\"}\n"
		     "scopes: {git: [build, release], image: []}\n");
	add_line(&t.lines, e, "sha", "v1.0.0-gabcdef0", "v1.0.0-gabcdef0",
		 NULL);
	add_line(&t.lines, e, "sha", good.ptr, good.ptr, NULL);
	t_check(&t);
	expect(t.r, "v1.0.0-gabcdef0", "sha-commit", TP_LEVEL_ERROR,
	       "is not a prefix of the tagged commit", hint.ptr);
	expect_none(t.r, good.ptr);
	t_done(&t);
	tp_buf_release(&good);
	tp_buf_release(&hint);
}

static void
test_promotion(void **state)
{
	const struct trepo *e = *state;
	struct t t = T_INIT;
	static const char yaml[] =
		"version: 1\n"
		"fields: {env: {values: [dev, staging, prod]}}\n"
		"kinds: {env: \"v{semver}-{env}\", release: \"v{semver}\"}\n"
		"scopes: {git: [env, release], image: []}\n"
		"rules: {promotion: [error, [dev, staging, prod]]}\n";

	trepo_run(e,
		  "newrepo promo && commit one && git tag v1.4.0-staging && "
		  "git tag v1.4.0-prod && commit two && git tag v1.5.0-prod && "
		  "git tag v1.5.0-staging && git tag v1.5.0-dev && "
		  "git tag v1.6.0-staging");
	t.h = open_repo(e, "promo");
	t.p = policy(yaml);
	/* staging is already on the commit */
	add_line(&t.lines, e, "promo", "v1.4.0-prod", "v1.4.0-prod", NULL);
	/* staging and dev come in the same push */
	add_line(&t.lines, e, "promo", "v1.5.0-prod", "v1.5.0-prod", NULL);
	add_line(&t.lines, e, "promo", "v1.5.0-staging", "v1.5.0-staging",
		 NULL);
	add_line(&t.lines, e, "promo", "v1.5.0-dev", "v1.5.0-dev", NULL);
	/* no dev anywhere */
	add_line(&t.lines, e, "promo", "v1.6.0-staging", "v1.6.0-staging",
		 NULL);
	t_check(&t);
	expect_none(t.r, "v1.4.0-prod");
	expect_none(t.r, "v1.5.0-prod");
	expect_none(t.r, "v1.5.0-staging");
	expect_none(t.r, "v1.5.0-dev");
	expect(t.r, "v1.6.0-staging", "promotion", TP_LEVEL_ERROR,
	       "which does not carry 'v1.6.0-dev'", "earlier environment");
	t_done(&t);

	/* a tag the push deletes does not count */
	t.h = open_repo(e, "promo");
	t.p = policy(yaml);
	add_line(&t.lines, e, "promo", NULL, "v1.5.0-staging",
		 "v1.5.0-staging");
	add_line(&t.lines, e, "promo", "v1.5.0-prod", "v1.5.0-prod", NULL);
	t_check(&t);
	expect(t.r, "v1.5.0-prod", "promotion", TP_LEVEL_ERROR, NULL, NULL);
	t_done(&t);
}

static void
test_unreadable_object(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_policy *p;
	struct tp_push_list *l = NULL;
	struct tp_hook_report *r = NULL;
	struct tp_error err;
	static const char line[] =
		"refs/tags/v1.0.0 1234567890123456789012345678901234567890 "
		"refs/tags/v1.0.0 " ZERO "\n";
	int rc;

	trepo_run(e, "newrepo gone && commit one");
	h = open_repo(e, "gone");
	p = policy(NULL);
	tp_error_init(&err);
	rc = tp_prepush_parse(&l, line, strlen(line), &err);
	CHECK_RC(rc, 0, err);
	rc = tp_hook_check(&r, p, h, l, &err);
	CHECK_RC(rc, TP_EGIT, err);
	assert_null(r);
	CHECK(strstr(err.msg, "cannot check tag 'v1.0.0'") != NULL,
	      "message: %s", err.msg);
	CHECK(err.hint[0] != '\0', "no hint");
	tp_push_list_free(l);
	tp_policy_free(p);
	tp_history_free(h);
}

/* ------------------------------------------------------------------ */
/* the server hooks' policy                                            */
/* ------------------------------------------------------------------ */

static void
test_server_policy(void **state)
{
	const struct trepo *e = *state;
	struct tp_history *h;
	struct tp_policy *p = NULL;
	struct tp_error err;
	int rc;

	trepo_run(e,
		  "newrepo pol && printf 'version: 1\\nkinds: {rel: "
		  "\"r{semver}\"}\\nscopes: {git: [rel], image: []}\\n' "
		  ">.tagpolicy.yml && git add .tagpolicy.yml && commit one && "
		  "cd .. && git clone -q --bare pol pol.git && "
		  "git init -q --bare empty.git");

	/* HEAD's tree, only when asked */
	h = open_repo(e, "pol.git");
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, TP_HOOK_POLICY_TREE, &err);
	CHECK_RC(rc, 0, err);
	assert_string_equal(tp_policy_origin(p), "HEAD:.tagpolicy.yml");
	CHECK(tp_policy_kind(p, "rel") != NULL, "not the tree's policy");
	tp_policy_free(p);
	p = NULL;
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, 0, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	assert_null(p);
	tp_history_free(h);

	/* the git folder's file wins, for both hooks */
	trepo_run(e,
		  "printf 'version: 1\\nkinds: {srv: \"s{semver}\"}\\n"
		  "scopes: {git: [srv], image: []}\\n' >pol.git/tagpolicy.yml");
	h = open_repo(e, "pol.git");
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, TP_HOOK_POLICY_TREE, &err);
	CHECK_RC(rc, 0, err);
	CHECK(tp_policy_kind(p, "srv") != NULL, "not the git folder's");
	CHECK(strstr(tp_policy_origin(p), "pol.git/tagpolicy.yml") != NULL,
	      "origin %s", tp_policy_origin(p));
	tp_policy_free(p);
	p = NULL;
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, 0, &err);
	CHECK_RC(rc, 0, err);
	tp_policy_free(p);
	p = NULL;
	tp_history_free(h);

	/* an invalid file there is a policy error, not "none" */
	trepo_run(e, "echo 'version: 2' >pol.git/tagpolicy.yml");
	h = open_repo(e, "pol.git");
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, TP_HOOK_POLICY_TREE, &err);
	CHECK_RC(rc, TP_EPOLICY, err);
	tp_history_free(h);

	/* an unborn HEAD has no tree: none */
	h = open_repo(e, "empty.git");
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, TP_HOOK_POLICY_TREE, &err);
	CHECK_RC(rc, TP_ENOTFOUND, err);
	tp_history_free(h);

	/* both names in the tree */
	trepo_run(e, "cd pol && cp .tagpolicy.yml .tagpolicy.yaml && "
		     "git add .tagpolicy.yaml && commit two && cd .. && "
		     "rm -rf pol.git && git clone -q --bare pol pol.git");
	h = open_repo(e, "pol.git");
	tp_error_init(&err);
	rc = tp_hook_server_policy(&p, h, TP_HOOK_POLICY_TREE, &err);
	CHECK_RC(rc, TP_EPOLICY, err);
	CHECK(strstr(err.msg, "both") != NULL, "message: %s", err.msg);
	tp_history_free(h);
}

/* ------------------------------------------------------------------ */
/* the installed hook                                                  */
/* ------------------------------------------------------------------ */

static void
test_script(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	static const char foreign[] = "#!/bin/sh\n# tagpolicy hook pre-push\n"
				      "exec tagpolicy hook pre-push \"$@\"\n";

	(void)state;
	assert_int_equal(tp_hook_script(&b, "pre-push"), 0);
	CHECK(strncmp(b.ptr, "#!/bin/sh\n" TP_HOOK_MARKER " pre-push\n",
		      10 + strlen(TP_HOOK_MARKER) + 10) == 0,
	      "script starts: %.60s", b.ptr);
	CHECK(strstr(b.ptr, "exec tagpolicy hook pre-push \"$@\"") != NULL,
	      "no exec line");
	CHECK(strstr(b.ptr, "exit 1\n") != NULL, "does not fail closed");
	assert_int_equal(tp_hook_is_ours(b.ptr, b.len), 1);
	/* the marker must start a line */
	assert_int_equal(tp_hook_is_ours(foreign, strlen(foreign)), 0);
	assert_int_equal(tp_hook_is_ours("x " TP_HOOK_MARKER, 19), 0);
	assert_int_equal(tp_hook_is_ours("", 0), 0);
	tp_buf_release(&b);
}

static char *
hook_dir(const struct trepo *e, const char *repo)
{
	struct tp_history *h = open_repo(e, repo);
	struct tp_error err;
	char *dir = NULL;
	int rc;

	tp_error_init(&err);
	rc = tp_hook_dir(&dir, h, &err);
	CHECK_RC(rc, 0, err);
	tp_history_free(h);
	return dir;
}

/* The hooks folder of `repo` is `want` (the same folder on disk). */
static void
expect_dir(const struct trepo *e, const char *repo, const char *want)
{
	char *dir = hook_dir(e, repo);
	struct tp_buf w = TP_BUF_INIT;
	struct stat a, b;

	tp_buf_printf(&w, "%s/%s", e->root, want);
	CHECK(stat(dir, &a) == 0 && stat(w.ptr, &b) == 0 &&
		      a.st_dev == b.st_dev && a.st_ino == b.st_ino,
	      "%s: hooks in '%s', want '%s'", repo, dir, w.ptr);
	free(dir);
	tp_buf_release(&w);
}

static void
test_hook_dir(void **state)
{
	const struct trepo *e = *state;

	trepo_run(e,
		  "newrepo hd && commit one && git worktree add -q ../hd-wt && "
		  "cd .. && git init -q --bare hd.git && mkdir -p hd/sub "
		  "hd/custom hd-wt/custom hd-home/.hooks hd.git/bare-hooks");
	expect_dir(e, "hd", "hd/.git/hooks");
	expect_dir(e, "hd/sub", "hd/.git/hooks");
	/* a linked worktree shares the main repository's hooks */
	expect_dir(e, "hd-wt", "hd/.git/hooks");
	expect_dir(e, "hd.git", "hd.git/hooks");
	/* core.hooksPath: relative to the top of the working tree */
	trepo_run(e, "cd hd && git config core.hooksPath custom");
	expect_dir(e, "hd/sub", "hd/custom");
	expect_dir(e, "hd-wt", "hd-wt/custom");
	trepo_run(e, "cd hd && "
		     "git config core.hooksPath \"$TP_ROOT/hd-home/.hooks\"");
	expect_dir(e, "hd", "hd-home/.hooks");
	trepo_run(e, "cd hd && git config core.hooksPath '~/hd-home/.hooks'");
	expect_dir(e, "hd", "hd-home/.hooks");
	/* a bare repository: relative to the git folder */
	trepo_run(e, "git -C hd.git config core.hooksPath bare-hooks");
	expect_dir(e, "hd.git", "hd.git/bare-hooks");
}

static void
read_text(struct tp_buf *out, const char *path)
{
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	CHECK(fp != NULL, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		tp_buf_put(out, chunk, n);
	fclose(fp);
}

static void
test_install(void **state)
{
	const struct trepo *e = *state;
	struct tp_hook_result res;
	struct tp_buf dir = TP_BUF_INIT, path = TP_BUF_INIT, text = TP_BUF_INIT,
		      script = TP_BUF_INIT;
	struct tp_error err;
	struct stat st;
	int rc;

	trepo_run(e, "rm -rf inst && mkdir inst");
	tp_buf_printf(&dir, "%s/inst/deep/hooks", e->root);
	tp_buf_printf(&path, "%s/pre-push", dir.ptr);
	tp_hook_script(&script, "pre-push");

	/* the folder is made; mode 0755 whatever the umask */
	umask(077);
	tp_error_init(&err);
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	umask(022);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_INSTALLED);
	assert_string_equal(res.path, path.ptr);
	assert_null(res.backup);
	tp_hook_result_release(&res);
	assert_int_equal(stat(path.ptr, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	read_text(&text, path.ptr);
	assert_string_equal(text.ptr, script.ptr);

	/* twice: nothing changes */
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_UNCHANGED);
	tp_hook_result_release(&res);

	/* an older hook of ours is updated, without --force */
	trepo_run(e,
		  "printf '#!/bin/sh\\n" TP_HOOK_MARKER " pre-push\\nold\\n' "
		  ">inst/deep/hooks/pre-push");
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_UPDATED);
	tp_hook_result_release(&res);
	/* ... and so is one that lost its x bit */
	trepo_run(e, "chmod 644 inst/deep/hooks/pre-push");
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_UPDATED);
	tp_hook_result_release(&res);
	assert_int_equal(stat(path.ptr, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);

	/* someone else's: refused, untouched */
	trepo_run(
		e,
		"printf '#!/bin/sh\\necho mine\\n' >inst/deep/hooks/pre-push");
	tp_error_init(&err);
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, TP_EEXISTS, err);
	CHECK(strstr(err.msg, "did not write") != NULL, "message %s", err.msg);
	CHECK(strstr(err.hint, "--force") != NULL, "hint %s", err.hint);
	assert_null(res.path);
	tp_buf_clear(&text);
	read_text(&text, path.ptr);
	assert_string_equal(text.ptr, "#!/bin/sh\necho mine\n");

	/* --force keeps it, and never over an earlier backup */
	tp_error_init(&err);
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 1, &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_REPLACED);
	CHECK(res.backup != NULL &&
		      strstr(res.backup, "/pre-push.tagpolicy-backup") !=
			      NULL &&
		      res.backup[strlen(res.backup) - 1] == 'p',
	      "backup %s", res.backup);
	tp_hook_result_release(&res);
	trepo_run(
		e,
		"cd inst/deep/hooks && grep -q mine pre-push.tagpolicy-backup "
		"&& printf '#!/bin/sh\\necho second\\n' >pre-push");
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 1, &err);
	CHECK_RC(rc, 0, err);
	CHECK(res.backup != NULL &&
		      strstr(res.backup, "pre-push.tagpolicy-backup.1") != NULL,
	      "backup %s", res.backup);
	tp_hook_result_release(&res);
	trepo_run(
		e,
		"cd inst/deep/hooks && grep -q mine pre-push.tagpolicy-backup "
		"&& grep -q second pre-push.tagpolicy-backup.1 && "
		"grep -q '" TP_HOOK_MARKER "' pre-push && "
		"! ls -a | grep -q '^\\.pre-push\\.tagpolicy-'");

	/* a symbolic link is someone else's too */
	trepo_run(e, "cd inst/deep/hooks && rm pre-push && ln -s /bin/true "
		     "pre-push");
	tp_error_init(&err);
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, TP_EEXISTS, err);

	tp_buf_release(&dir);
	tp_buf_release(&path);
	tp_buf_release(&text);
	tp_buf_release(&script);
}

static void
test_uninstall(void **state)
{
	const struct trepo *e = *state;
	struct tp_hook_result res;
	struct tp_buf dir = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	trepo_run(e, "rm -rf un && mkdir -p un/hooks");
	tp_buf_printf(&dir, "%s/un/hooks", e->root);
	tp_error_init(&err);

	/* nothing there: not an error */
	rc = tp_hook_uninstall(&res, dir.ptr, "pre-push", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_ABSENT);
	tp_hook_result_release(&res);

	/* ours, no backup: removed */
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 0, &err);
	CHECK_RC(rc, 0, err);
	tp_hook_result_release(&res);
	rc = tp_hook_uninstall(&res, dir.ptr, "pre-push", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_REMOVED);
	tp_hook_result_release(&res);
	trepo_run(e, "test ! -e un/hooks/pre-push");

	/* someone else's: refused, untouched */
	trepo_run(e, "echo mine >un/hooks/pre-push");
	tp_error_init(&err);
	rc = tp_hook_uninstall(&res, dir.ptr, "pre-push", &err);
	CHECK_RC(rc, TP_EEXISTS, err);
	trepo_run(e, "grep -q mine un/hooks/pre-push");

	/* install --force then uninstall: the newest backup comes back */
	trepo_run(e, "echo older >un/hooks/pre-push.tagpolicy-backup");
	tp_error_init(&err);
	rc = tp_hook_install(&res, dir.ptr, "pre-push", 1, &err);
	CHECK_RC(rc, 0, err);
	tp_hook_result_release(&res);
	rc = tp_hook_uninstall(&res, dir.ptr, "pre-push", &err);
	CHECK_RC(rc, 0, err);
	assert_int_equal(res.done, TP_HOOK_RESTORED);
	CHECK(res.backup != NULL &&
		      strstr(res.backup, "pre-push.tagpolicy-backup.1") != NULL,
	      "backup %s", res.backup);
	tp_hook_result_release(&res);
	trepo_run(e, "cd un/hooks && grep -q mine pre-push && "
		     "test ! -e pre-push.tagpolicy-backup.1 && "
		     "grep -q older pre-push.tagpolicy-backup");
	tp_buf_release(&dir);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *pp;
	struct trepo e;
	int rc;

	if (trepo_init(&e, "hook", lib_sh) < 0)
		return 1;

	pp = tsv_load("prepush.tsv");
	vectors = pp;
	tlist_add_tsv(&l, pp, test_vector_tag_count, NULL);
#define ADD(fn) tlist_add(&l, #fn, fn, &e)
	ADD(test_branches_only);
	ADD(test_shape);
	ADD(test_annotated_and_levels);
	ADD(test_order_errors_first);
	ADD(test_immutable);
	ADD(test_monotonic);
	ADD(test_monotonic_same_push);
	ADD(test_monotonic_many);
	ADD(test_monotonic_kinds);
	ADD(test_monotonic_majors);
	ADD(test_monotonic_calver);
	ADD(test_release_branch);
	ADD(test_sha_commit);
	ADD(test_promotion);
	ADD(test_unreadable_object);
	ADD(test_server_policy);
	ADD(test_script);
	ADD(test_hook_dir);
	ADD(test_install);
	ADD(test_uninstall);
#undef ADD
	rc = tlist_run(&l, PLAN_NAME);

	tsv_free(pp);
	if (trepo_done(&e) < 0)
		rc = 1;
	return rc;
}
