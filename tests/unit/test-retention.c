/*
 * test-retention.c: the prune plan: keep, keep-within, keep-per, their
 * combination, the order of "newest" (versions numerically, dates, ties
 * in input order), protected kinds, kinds without an entry, tags without
 * a kind or with invalid fields, the order of the lists and the rule
 * texts.  Tags are classified by a real lint run over a policy loaded
 * from YAML, as `tagpolicy prune` does it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "lint.h"
#include "listin.h"
#include "retention.h"

/* 2026-11-27T00:00:00Z and 12:00:00Z */
#define DAY0 INT64_C(1795737600)
#define NOON (DAY0 + 12 * 3600)

/* What one test looks at: the policy, the lint run and the plan. */
struct fx {
	struct tp_policy *p;
	struct tp_lint *run;
	const struct tp_tagres **t;
	size_t n;
	struct tp_retention_plan plan;
	char del[1024]; /* "a b c": the tags to delete, in plan order */
	char keep[2048]; /* "a=reason|b=reason": kept, in plan order */
};

static void
append(char *buf, size_t size, const char *sep, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len > 0 ? sep : "", s);
}

/*
 * Classifies the `n` tags of `tags` in `scope` under `yaml` and plans
 * retention at `now`.  `problem` (may be NULL) marks tag 0 with an input
 * problem.
 */
static void
plan(struct fx *f, const char *yaml, enum tp_scope scope,
     const char *const *tags, size_t n, const int64_t *times, int64_t now,
     const char *problem)
{
	struct tp_lint_opts o = TP_LINT_OPTS_INIT;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	struct tp_error err;
	char item[512];
	size_t i;

	memset(f, 0, sizeof(*f));
	tp_error_init(&err);
	f->p = test_load_policy(yaml);
	o.scope = (int)scope;
	if (tp_lint_new(&f->run, f->p, &o, &err) < 0) {
		print_error("lint run: %s\n", err.msg);
		fail();
	}
	f->t = calloc(n ? n : 1, sizeof(*f->t));
	assert_non_null(f->t);
	f->n = n;
	for (i = 0; i < n; i++) {
		in.text = tags[i];
		in.len = strlen(tags[i]);
		in.scope = (int)scope;
		in.problem = i == 0 ? problem : NULL;
		assert_int_equal(tp_lint_add(f->run, &in, &f->t[i], &err), 0);
	}
	assert_int_equal(tp_lint_finish(f->run, &err), 0);
	if (tp_retention_apply(&f->plan, f->p, scope, f->t, times, n, now,
			       &err) < 0) {
		print_error("retention: %s\n", err.msg);
		fail();
	}
	assert_int_equal(f->plan.ndel + f->plan.nkeep, n);
	for (i = 0; i < f->plan.ndel; i++)
		append(f->del, sizeof(f->del), " ", f->plan.del[i].tag->text);
	for (i = 0; i < f->plan.nkeep; i++) {
		snprintf(item, sizeof(item), "%s=%s", f->plan.keep[i].tag->text,
			 f->plan.keep[i].text);
		append(f->keep, sizeof(f->keep), "|", item);
	}
}

static void
fx_free(struct fx *f)
{
	tp_retention_plan_release(&f->plan);
	free(f->t);
	tp_lint_free(f->run);
	tp_policy_free(f->p);
}

static void
expect_str(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) != 0) {
		print_error("%s:\n  want: %s\n  got:  %s\n", what, want, got);
		fail();
	}
}

/* The verdict of tag `tag` in either list. */
static const struct tp_retention_verdict *
verdict(const struct fx *f, const char *tag)
{
	size_t i;

	for (i = 0; i < f->plan.ndel; i++)
		if (strcmp(f->plan.del[i].tag->text, tag) == 0)
			return &f->plan.del[i];
	for (i = 0; i < f->plan.nkeep; i++)
		if (strcmp(f->plan.keep[i].tag->text, tag) == 0)
			return &f->plan.keep[i];
	print_error("no verdict for '%s'\n", tag);
	fail();
	return NULL;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The image kinds of the docker preset, with a retention block. */
#define POLICY(retention) \
	"version: 1\n" \
	"fields:\n" \
	"  env: {values: [dev, staging, prod]}\n" \
	"  sha: {hex: 7}\n" \
	"  date: {date: \"%Y%m%d\"}\n" \
	"  stamp: {date: \"%Y%m%d%H%M\"}\n" \
	"kinds:\n" \
	"  release: \"v{semver}\"\n" \
	"  build: \"{semver}-{sha}\"\n" \
	"  version: \"{semver}\"\n" \
	"  nightly: \"{env}-{date}\"\n" \
	"  snap: \"snap-{stamp}\"\n" \
	"  dated: \"{date}\"\n" \
	"  minor: \"{major}.{minor}\"\n" \
	"  major: \"{major}\"\n" \
	"  latest: latest\n" \
	"scopes:\n" \
	"  git: [release]\n" \
	"  image: [release, build, version, nightly, snap, dated, minor,\n" \
	"          major, latest]\n" \
	"retention:\n" retention

/* ------------------------------------------------------------------ */
/* keep: N                                                             */
/* ------------------------------------------------------------------ */

static void
keep_newest_by_date(void **state)
{
	static const char *const tags[] = { "20261101", "20261127", "20260105",
					    "20261015", "20261126" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 2}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	/* newest first among the deleted */
	expect_str("delete", "20261101 20261015 20260105", f.del);
	expect_str("keep",
		   "20261127=among the 2 newest|20261126=among the 2 newest",
		   f.keep);
	expect_str("rule", "keep: 2", f.plan.del[0].text);
	assert_int_equal(f.plan.del[0].why, TP_RETENTION_DELETE);
	assert_ptr_equal(f.plan.del[0].entry, &f.p->retention[0]);
	assert_int_equal(f.plan.keep[0].why, TP_RETENTION_NEWEST);
	fx_free(&f);
}

static void
keep_numeric_versions(void **state)
{
	/* 1.10 is newer than 1.9 and 1.2, whatever the text order says */
	static const char *const tags[] = { "1.9", "1.10", "1.2", "2.0",
					    "10.1" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  minor: {keep: 2}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "1.10 1.9 1.2", f.del);
	expect_str("keep", "2.0=among the 2 newest|10.1=among the 2 newest",
		   f.keep);
	fx_free(&f);
}

static void
keep_semver_precedence(void **state)
{
	/* a prerelease is older than its release; 1.10.0 > 1.9.9 */
	static const char *const tags[] = { "1.10.0-rc.1", "1.9.9", "1.10.0",
					    "1.10.0-rc.2", "1.2.0" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  version: {keep: 2}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), NULL, NOON, NULL);
	expect_str("delete", "1.10.0-rc.1 1.9.9 1.2.0", f.del);
	expect_str("keep",
		   "1.10.0=among the 2 newest|1.10.0-rc.2=among the 2 newest",
		   f.keep);
	fx_free(&f);
}

static void
keep_ties_input_order(void **state)
{
	/* equal versions: the one listed first counts as newer */
	static const char *const tags[] = { "1.0.0-bbbbbbb", "1.0.0-aaaaaaa",
					    "0.9.0-ccccccc", "1.0.0-ddddddd" };
	static const char *const meta[] = { "1.0.0+b", "1.0.0+a" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  build: {keep: 2}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "1.0.0-ddddddd 0.9.0-ccccccc", f.del);
	expect_str("keep",
		   "1.0.0-bbbbbbb=among the 2 newest|"
		   "1.0.0-aaaaaaa=among the 2 newest",
		   f.keep);
	fx_free(&f);

	/* build metadata does not count in precedence either */
	plan(&f, POLICY("  version: {keep: 1}\n"), TP_SCOPE_IMAGE, meta,
	     N(meta), NULL, NOON, NULL);
	expect_str("delete", "1.0.0+a", f.del);
	fx_free(&f);
}

static void
keep_ties_by_date(void **state)
{
	/* two nightlies of one day: input order decides */
	static const char *const tags[] = { "dev-20261120", "prod-20261120",
					    "staging-20261121" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  nightly: {keep: 2}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), NULL, NOON, NULL);
	expect_str("delete", "prod-20261120", f.del);
	fx_free(&f);
}

static void
keep_zero_and_more_than_there_are(void **state)
{
	static const char *const tags[] = { "20261101", "20261102" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 0}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "20261102 20261101", f.del);
	expect_str("rule", "keep: 0", f.plan.del[1].text);
	fx_free(&f);

	plan(&f, POLICY("  dated: {keep: 5}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "", f.del);
	assert_int_equal(f.plan.nkeep, 2);
	fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* keep-within                                                         */
/* ------------------------------------------------------------------ */

static void
keep_within_days(void **state)
{
	/* at noon, 30d back is 2026-10-28T12:00: that day's 00:00 is older */
	static const char *const tags[] = { "prod-20261028", "prod-20261029",
					    "dev-20251231", "dev-20261127",
					    "dev-20261205" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  nightly: {keep-within: 30d}\n"), TP_SCOPE_IMAGE,
	     tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "prod-20261028 dev-20251231", f.del);
	expect_str("keep",
		   "prod-20261029=at most 30d old|"
		   "dev-20261127=at most 30d old|"
		   "dev-20261205=at most 30d old",
		   f.keep);
	expect_str("rule", "keep-within: 30d", f.plan.del[0].text);
	assert_int_equal(f.plan.keep[0].why, TP_RETENTION_WITHIN);
	fx_free(&f);
}

static void
keep_within_boundary(void **state)
{
	/* at 00:00 a date exactly 30 days back is exactly 30d old: kept */
	static const char *const tags[] = { "prod-20261028", "prod-20261027" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  nightly: {keep-within: 30d}\n"), TP_SCOPE_IMAGE,
	     tags, N(tags), NULL, DAY0, NULL);
	expect_str("delete", "prod-20261027", f.del);
	fx_free(&f);
	plan(&f, POLICY("  nightly: {keep-within: 30d}\n"), TP_SCOPE_IMAGE,
	     tags, N(tags), NULL, DAY0 + 1, NULL);
	expect_str("delete", "prod-20261028 prod-20261027", f.del);
	fx_free(&f);
}

static void
keep_within_hours_and_weeks(void **state)
{
	/* a date with a time of day is exact */
	static const char *const tags[] = { "snap-202611270100",
					    "snap-202611262359",
					    "snap-202611261159" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  snap: {keep-within: 12h}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), NULL, NOON, NULL);
	expect_str("delete", "snap-202611262359 snap-202611261159", f.del);
	expect_str("rule", "keep-within: 12h", f.plan.del[0].text);
	fx_free(&f);
	plan(&f, POLICY("  snap: {keep-within: 24h}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), NULL, NOON, NULL);
	/* 12:00 the day before is exactly 24h old: still kept */
	expect_str("delete", "snap-202611261159", f.del);
	/* 24h is written in days */
	expect_str("rule", "keep-within: 1d", f.plan.del[0].text);
	fx_free(&f);
	plan(&f, POLICY("  dated: {keep-within: 2w}\n"), TP_SCOPE_IMAGE,
	     (const char *const[]){ "20261113", "20261112" }, 2, NULL, DAY0,
	     NULL);
	expect_str("delete", "20261112", f.del);
	expect_str("rule", "keep-within: 2w", f.plan.del[0].text);
	fx_free(&f);
}

static void
keep_within_without_date(void **state)
{
	/* no date field: the caller's time, else the age is unknown */
	static const char *const tags[] = { "1.0.0-aaaaaaa", "1.1.0-bbbbbbb",
					    "1.2.0-ccccccc" };
	const int64_t times[] = { DAY0 - 40 * 86400, TP_RETENTION_NO_TIME,
				  DAY0 - 86400 };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  build: {keep-within: 30d}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), times, DAY0, NULL);
	expect_str("delete", "1.0.0-aaaaaaa", f.del);
	expect_str("keep",
		   "1.1.0-bbbbbbb=age unknown: kind 'build' has no date "
		   "field|1.2.0-ccccccc=at most 30d old",
		   f.keep);
	assert_int_equal(verdict(&f, "1.1.0-bbbbbbb")->why,
			 TP_RETENTION_NO_AGE);
	fx_free(&f);

	plan(&f, POLICY("  build: {keep-within: 30d}\n"), TP_SCOPE_IMAGE, tags,
	     N(tags), NULL, DAY0, NULL);
	expect_str("delete", "", f.del);
	fx_free(&f);
}

static void
keep_and_keep_within(void **state)
{
	/* kept when either holds */
	static const char *const tags[] = { "20261001", "20261120", "20261125",
					    "20261126", "20260901" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 1, keep-within: 3d}\n"),
	     TP_SCOPE_IMAGE, tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "20261120 20261001 20260901", f.del);
	expect_str("keep", "20261125=at most 3d old|20261126=the newest",
		   f.keep);
	expect_str("rule", "keep: 1, keep-within: 3d", f.plan.del[0].text);
	fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* keep-per                                                            */
/* ------------------------------------------------------------------ */

static void
keep_per_major(void **state)
{
	static const char *const tags[] = { "1.1", "2.0", "1.10", "1.2",
					    "1.3", "2.1", "3.0" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  minor: {keep-per: major, keep: 2}\n"),
	     TP_SCOPE_IMAGE, tags, N(tags), NULL, NOON, NULL);
	/* deleted: newest first across the groups */
	expect_str("delete", "1.2 1.1", f.del);
	expect_str("keep",
		   "2.0=among the 2 newest with major '2'|"
		   "1.10=among the 2 newest with major '1'|"
		   "1.3=among the 2 newest with major '1'|"
		   "2.1=among the 2 newest with major '2'|"
		   "3.0=among the 2 newest with major '3'",
		   f.keep);
	expect_str("rule", "keep-per: major, keep: 2", f.plan.del[0].text);
	assert_int_equal(verdict(&f, "3.0")->why, TP_RETENTION_NEWEST_PER);
	fx_free(&f);
}

static void
keep_per_env_with_within(void **state)
{
	static const char *const tags[] = { "dev-20261101", "dev-20261126",
					    "prod-20261001", "prod-20261002",
					    "dev-20261125" };
	struct fx f;

	(void)state;
	plan(&f,
	     POLICY("  nightly: {keep-per: env, keep: 1, keep-within: 3d}\n"),
	     TP_SCOPE_IMAGE, tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "dev-20261101 prod-20261001", f.del);
	expect_str("keep",
		   "dev-20261126=the newest with env 'dev'|"
		   "prod-20261002=the newest with env 'prod'|"
		   "dev-20261125=at most 3d old",
		   f.keep);
	expect_str("rule", "keep-per: env, keep: 1, keep-within: 3d",
		   f.plan.del[0].text);
	fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* what is never selected                                              */
/* ------------------------------------------------------------------ */

static void
protected_kinds(void **state)
{
	static const char *const tags[] = { "v1.0.0", "v1.1.0", "v2.0.0" };
	struct fx f;

	(void)state;
	/* the release kind is immutable by default */
	plan(&f, POLICY("  release: {keep: 1}\n"), TP_SCOPE_GIT, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "", f.del);
	expect_str("keep",
		   "v1.0.0=kind 'release' is protected by rule 'immutable'|"
		   "v1.1.0=kind 'release' is protected by rule 'immutable'|"
		   "v2.0.0=kind 'release' is protected by rule 'immutable'",
		   f.keep);
	assert_int_equal(f.plan.keep[0].why, TP_RETENTION_PROTECTED);
	assert_int_equal(tp_retention_protected(f.p, TP_SCOPE_GIT,
						tp_policy_kind(f.p, "release")),
			 1);
	assert_int_equal(tp_retention_protected(f.p, TP_SCOPE_GIT,
						tp_policy_kind(f.p, "dated")),
			 0);
	fx_free(&f);

	/* named in the rule's option: protected; the rule off: not */
	plan(&f,
	     POLICY("  dated: {keep: 0}\n"
		    "rules: {immutable: [warning, [dated]]}\n"),
	     TP_SCOPE_IMAGE, (const char *const[]){ "20261101" }, 1, NULL, NOON,
	     NULL);
	expect_str("delete", "", f.del);
	fx_free(&f);
	plan(&f,
	     POLICY("  release: {keep: 1}\n"
		    "rules: {immutable: off}\n"),
	     TP_SCOPE_GIT, tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "v1.1.0 v1.0.0", f.del);
	fx_free(&f);
}

static void
unnamed_kinds_and_no_kind(void **state)
{
	static const char *const tags[] = { "latest", "1.4.0", "nope_",
					    "20261101", "20261102" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 1}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "20261101", f.del);
	expect_str("keep",
		   "latest=no retention rule for kind 'latest'|"
		   "1.4.0=no retention rule for kind 'version'|"
		   "nope_=matches no kind of scope image|"
		   "20261102=the newest",
		   f.keep);
	assert_int_equal(verdict(&f, "nope_")->why, TP_RETENTION_NO_KIND);
	assert_null(verdict(&f, "nope_")->entry);
	assert_int_equal(verdict(&f, "latest")->why, TP_RETENTION_NO_RULE);
	fx_free(&f);
}

static void
invalid_fields_are_kept(void **state)
{
	/* 20261340 is a dated tag with an invalid date: it has no order */
	static const char *const tags[] = { "20261340", "20261101",
					    "20261102" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 0}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, NULL);
	expect_str("delete", "20261102 20261101", f.del);
	expect_str("keep",
		   "20261340=cannot be ordered: invalid {date} '20261340' in "
		   "kind 'dated': month 13 is out of range",
		   f.keep);
	assert_int_equal(f.plan.keep[0].why, TP_RETENTION_INVALID);
	fx_free(&f);
}

static void
input_problems_are_kept(void **state)
{
	static const char *const tags[] = { "20261101", "20261102" };
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 0}\n"), TP_SCOPE_IMAGE, tags, N(tags),
	     NULL, NOON, TP_ITEM_UTF8);
	expect_str("delete", "20261102", f.del);
	assert_int_equal(f.plan.nkeep, 1);
	assert_int_equal(f.plan.keep[0].why, TP_RETENTION_INPUT);
	if (strncmp(f.plan.keep[0].text, "input: ", 7) != 0) {
		print_error("reason: %s\n", f.plan.keep[0].text);
		fail();
	}
	fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* order of the lists                                                  */
/* ------------------------------------------------------------------ */

static void
delete_by_entry_in_policy_order(void **state)
{
	static const char *const tags[] = { "1.0.0-aaaaaaa", "20261101",
					    "1.1.0-bbbbbbb", "20261102",
					    "1.2.0-ccccccc", "20261103" };
	struct fx f;

	(void)state;
	/* retention lists dated first: its deletions come first */
	plan(&f, POLICY("  dated: {keep: 1}\n  build: {keep: 1}\n"),
	     TP_SCOPE_IMAGE, tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "20261102 20261101 1.1.0-bbbbbbb 1.0.0-aaaaaaa",
		   f.del);
	expect_str("keep", "1.2.0-ccccccc=the newest|20261103=the newest",
		   f.keep);
	fx_free(&f);
	plan(&f, POLICY("  build: {keep: 1}\n  dated: {keep: 1}\n"),
	     TP_SCOPE_IMAGE, tags, N(tags), NULL, NOON, NULL);
	expect_str("delete", "1.1.0-bbbbbbb 1.0.0-aaaaaaa 20261102 20261101",
		   f.del);
	fx_free(&f);
}

static void
no_tags(void **state)
{
	struct fx f;

	(void)state;
	plan(&f, POLICY("  dated: {keep: 1}\n"), TP_SCOPE_IMAGE, NULL, 0, NULL,
	     NOON, NULL);
	assert_int_equal(f.plan.ndel, 0);
	assert_int_equal(f.plan.nkeep, 0);
	fx_free(&f);
}

static void
rule_texts(void **state)
{
	struct tp_retention r;
	struct tp_field major;
	struct tp_buf b = TP_BUF_INIT;
	static const struct {
		long keep;
		int64_t within;
		int per;
		const char *want;
	} cases[] = {
		{ 5, -1, 0, "keep: 5" },
		{ -1, 3600, 0, "keep-within: 1h" },
		{ -1, 36 * 3600, 0, "keep-within: 36h" },
		{ -1, 2 * 86400, 0, "keep-within: 2d" },
		{ -1, 21 * 86400, 0, "keep-within: 3w" },
		{ 2, -1, 1, "keep-per: major, keep: 2" },
		{ 2, 7 * 86400, 1,
		  "keep-per: major, keep: 2, keep-within: 1w" },
	};
	size_t i;

	(void)state;
	memset(&major, 0, sizeof(major));
	major.name = "major";
	major.type = TP_FIELD_MAJOR;
	for (i = 0; i < N(cases); i++) {
		memset(&r, 0, sizeof(r));
		r.keep = cases[i].keep;
		r.keep_within = cases[i].within;
		r.keep_per = cases[i].per ? &major : NULL;
		tp_buf_clear(&b);
		assert_int_equal(tp_retention_rule_text(&b, &r), 0);
		expect_str("rule text", cases[i].want, b.ptr);
	}
	tp_buf_release(&b);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, keep_newest_by_date);
	tlist_unit(&l, keep_numeric_versions);
	tlist_unit(&l, keep_semver_precedence);
	tlist_unit(&l, keep_ties_input_order);
	tlist_unit(&l, keep_ties_by_date);
	tlist_unit(&l, keep_zero_and_more_than_there_are);
	tlist_unit(&l, keep_within_days);
	tlist_unit(&l, keep_within_boundary);
	tlist_unit(&l, keep_within_hours_and_weeks);
	tlist_unit(&l, keep_within_without_date);
	tlist_unit(&l, keep_and_keep_within);
	tlist_unit(&l, keep_per_major);
	tlist_unit(&l, keep_per_env_with_within);
	tlist_unit(&l, protected_kinds);
	tlist_unit(&l, unnamed_kinds_and_no_kind);
	tlist_unit(&l, invalid_fields_are_kept);
	tlist_unit(&l, input_problems_are_kept);
	tlist_unit(&l, delete_by_entry_in_policy_order);
	tlist_unit(&l, no_tags);
	tlist_unit(&l, rule_texts);
	return tlist_run(&l, "retention");
}
