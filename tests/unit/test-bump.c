/*
 * test-bump.c: the next version (src/lib/bump.c) on synthetic histories,
 * plus every row of tests/vectors/conventional-bump.tsv as the single
 * commit since 1.2.3 (and since 0.2.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

#include "bump.h"

#define MAXN 16

/* One synthetic history: the inputs of tp_bump_next() and their storage. */
struct scen {
	struct tp_bump_input in;
	struct tp_bump_commit commits[MAXN];
	struct tp_bump_tag tags[MAXN];
};

static const struct tsv *vectors;

static const char *const req_names[] = {
	"auto", "major", "minor", "patch", "prerelease"
};

static void
scen_init(struct scen *s, const char *current)
{
	memset(s, 0, sizeof(*s));
	s->in.req = TP_BUMP_REQ_AUTO;
	s->in.current = current;
	s->in.pre_start = 1;
	s->in.initial = "0.1.0";
	s->in.pre_new_commits = 1;
}

static void
add_commit(struct scen *s, const char *msg)
{
	size_t n = s->in.ncommits++;

	assert_true(n < MAXN);
	s->commits[n].msg = msg;
	s->commits[n].len = strlen(msg);
}

/* `tag` is "v" + the version; `reachable` as in struct tp_bump_tag. */
static void
add_tag(struct scen *s, const char *tag, int reachable)
{
	size_t n = s->in.ntags++;

	assert_true(n < MAXN);
	s->tags[n].tag = tag;
	s->tags[n].version = tag[0] == 'v' ? tag + 1 : tag;
	s->tags[n].reachable = reachable;
}

/* Prints the scenario, for a failing assertion. */
static void
describe(const struct scen *s)
{
	size_t i;

	print_error("current %s, request %s, --pre %s, start %u, "
		    "new commits since the line %d\n",
		    s->in.current ? s->in.current : "(none)",
		    req_names[s->in.req], s->in.pre ? s->in.pre : "(none)",
		    s->in.pre_start, s->in.pre_new_commits);
	for (i = 0; i < s->in.ncommits; i++)
		print_error("  commit '%s'\n", s->commits[i].msg);
	for (i = 0; i < s->in.ntags; i++)
		print_error("  tag '%s'%s\n", s->tags[i].tag,
			    s->tags[i].reachable ? " (reachable)" : "");
}

static int
run(struct scen *s, struct tp_bump_result *r, struct tp_error *err)
{
	s->in.commits = s->commits;
	s->in.tags = s->tags;
	tp_error_init(err);
	return tp_bump_next(r, &s->in, err);
}

static void
expect_next(struct scen *s, const char *want, enum tp_bump_kind kind)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	int rc;

	rc = run(s, &r, &err);
	if (rc != 0 || strcmp(r.next.ptr, want) != 0 || r.kind != kind) {
		describe(s);
		print_error("got rc %d '%s' (%s) [%s], want '%s' (%s)\n", rc,
			    r.next.ptr, tp_bump_kind_name(r.kind), err.msg,
			    want, tp_bump_kind_name(kind));
		tp_bump_result_release(&r);
		fail();
	}
	tp_bump_result_release(&r);
}

/* Expects failure `code` with a message that contains `part`. */
static void
expect_error(struct scen *s, int code, const char *part)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	int rc;

	rc = run(s, &r, &err);
	if (rc != code || err.code != code || strstr(err.msg, part) == NULL ||
	    r.next.len != 0 || r.nreasons != 0 || r.reasons != NULL) {
		describe(s);
		print_error("got rc %d '%s' [%s], want error %d with '%s'\n",
			    rc, r.next.ptr, err.msg, code, part);
		tp_bump_result_release(&r);
		fail();
	}
	tp_bump_result_release(&r);
}

/* ---- no release yet ------------------------------------------------ */

static void
test_no_release_auto_is_initial(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, NULL);
	expect_next(&s, "0.1.0", TP_BUMP_KIND_INITIAL);
	add_commit(&s, "chore: nothing that bumps");
	expect_next(&s, "0.1.0", TP_BUMP_KIND_INITIAL);
	add_commit(&s, "feat!: even a breaking change");
	expect_next(&s, "0.1.0", TP_BUMP_KIND_INITIAL);
	s.in.initial = "1.0.0";
	expect_next(&s, "1.0.0", TP_BUMP_KIND_INITIAL);
}

static void
test_no_release_forced_from_zero(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, NULL);
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "1.0.0", TP_BUMP_KIND_MAJOR);
	s.in.req = TP_BUMP_REQ_MINOR;
	expect_next(&s, "0.1.0", TP_BUMP_KIND_MINOR);
	s.in.req = TP_BUMP_REQ_PATCH;
	expect_next(&s, "0.0.1", TP_BUMP_KIND_PATCH);
	/* release.initial plays no part in a forced bump */
	s.in.initial = "3.0.0";
	expect_next(&s, "0.0.1", TP_BUMP_KIND_PATCH);
}

static void
test_no_release_prerelease(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, NULL);
	s.in.pre = "rc";
	expect_next(&s, "0.1.0-rc.1", TP_BUMP_KIND_PRERELEASE);
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "1.0.0-rc.1", TP_BUMP_KIND_PRERELEASE);

	/* an open line with no release: continues, or nothing to release */
	s.in.req = TP_BUMP_REQ_AUTO;
	add_tag(&s, "v0.1.0-rc.1", 1);
	expect_next(&s, "0.1.0-rc.2", TP_BUMP_KIND_PRERELEASE);
	s.in.pre_new_commits = 0;
	expect_next(&s, "", TP_BUMP_KIND_NONE);

	/* a line opened with `next major --pre rc` is promoted by auto */
	scen_init(&s, NULL);
	add_tag(&s, "v1.0.0-rc.1", 1);
	expect_next(&s, "1.0.0", TP_BUMP_KIND_INITIAL);
}

/* ---- auto ------------------------------------------------------------ */

static void
test_auto_takes_largest_bump(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_commit(&s, "docs: readme");
	add_commit(&s, "fix: one");
	expect_next(&s, "1.2.4", TP_BUMP_KIND_PATCH);
	add_commit(&s, "feat(cli): two");
	add_commit(&s, "fix: three");
	expect_next(&s, "1.3.0", TP_BUMP_KIND_MINOR);
	add_commit(&s, "refactor: four\n\nBREAKING CHANGE: gone");
	expect_next(&s, "2.0.0", TP_BUMP_KIND_MAJOR);
}

static void
test_auto_nothing_to_release(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	expect_next(&s, "1.2.3", TP_BUMP_KIND_NONE);
	add_commit(&s, "chore: deps");
	add_commit(&s, "Merge branch 'x'");
	add_commit(&s, "perf: faster (not in the default map)");
	expect_next(&s, "1.2.3", TP_BUMP_KIND_NONE);
	/* a prerelease line of another version below does not count */
	add_tag(&s, "v1.2.0-rc.1", 1);
	expect_next(&s, "1.2.3", TP_BUMP_KIND_NONE);
}

static void
test_auto_zero_major(void **state)
{
	struct tp_bump_map m = tp_bump_map_default();
	struct scen s;

	(void)state;
	scen_init(&s, "0.3.1");
	add_commit(&s, "feat!: breaking in 0.x");
	expect_next(&s, "0.4.0", TP_BUMP_KIND_MINOR);
	m.zero_major = TP_BUMP_MAJOR;
	s.in.map = &m;
	expect_next(&s, "1.0.0", TP_BUMP_KIND_MAJOR);

	/* from 1.x the breaking bump applies, whatever zero-major says */
	m.zero_major = TP_BUMP_PATCH;
	m.breaking = TP_BUMP_MINOR;
	s.in.current = "1.3.1";
	expect_next(&s, "1.4.0", TP_BUMP_KIND_MINOR);
}

static void
test_auto_custom_map(void **state)
{
	static const struct tp_bump_type types[] = {
		{ "perf", TP_BUMP_PATCH }, { "feature", TP_BUMP_MINOR }
	};
	struct tp_bump_map m = tp_bump_map_default();
	struct scen s;

	(void)state;
	m.types = types;
	m.ntypes = 2;
	scen_init(&s, "2.0.0");
	s.in.map = &m;
	add_commit(&s, "perf: faster");
	expect_next(&s, "2.0.1", TP_BUMP_KIND_PATCH);
	add_commit(&s, "feat: not listed in this map");
	expect_next(&s, "2.0.1", TP_BUMP_KIND_PATCH);
	add_commit(&s, "Feature: listed, any case");
	expect_next(&s, "2.1.0", TP_BUMP_KIND_MINOR);
}

static void
test_crlf_messages(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_commit(&s, "fix: x\r\n\r\nBREAKING CHANGE: y\r\n");
	expect_next(&s, "2.0.0", TP_BUMP_KIND_MAJOR);
	scen_init(&s, "1.2.3");
	add_commit(&s, "feat: crlf header\r\n");
	expect_next(&s, "1.3.0", TP_BUMP_KIND_MINOR);
}

static void
test_reasons(void **state)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_commit(&s, "chore: skip me");
	add_commit(&s, "fix(parser): one");
	add_commit(&s, "not conventional");
	add_commit(&s, "feat!: two");
	assert_int_equal(run(&s, &r, &err), 0);
	assert_string_equal(r.next.ptr, "2.0.0");
	assert_int_equal(r.commit_bump, TP_BUMP_MAJOR);
	assert_int_equal(r.nreasons, 2);
	assert_int_equal(r.reasons[0].index, 1);
	assert_int_equal(r.reasons[0].bump, TP_BUMP_PATCH);
	assert_int_equal(r.reasons[0].cc.breaking, 0);
	assert_int_equal(r.reasons[0].cc.scope_len, 6);
	assert_memory_equal(r.reasons[0].cc.scope, "parser", 6);
	assert_ptr_equal(r.reasons[0].cc.type, s.commits[1].msg);
	assert_int_equal(r.reasons[1].index, 3);
	assert_int_equal(r.reasons[1].bump, TP_BUMP_MAJOR);
	assert_int_equal(r.reasons[1].cc.breaking, 1);
	assert_null(r.reasons[1].cc.scope);
	assert_null(r.line);

	/* a forced bump still lists what the commits ask for */
	s.in.req = TP_BUMP_REQ_PATCH;
	assert_int_equal(run(&s, &r, &err), 0);
	assert_string_equal(r.next.ptr, "1.2.4");
	assert_int_equal(r.kind, TP_BUMP_KIND_PATCH);
	assert_int_equal(r.nreasons, 2);
	assert_int_equal(r.commit_bump, TP_BUMP_MAJOR);
	tp_bump_result_release(&r);
}

/* More reasons than the first allocation holds. */
static void
test_many_reasons(void **state)
{
	struct tp_bump_commit c[100];
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_bump_input in;
	struct tp_error err;
	size_t i;

	(void)state;
	tp_error_init(&err);
	memset(&in, 0, sizeof(in));
	for (i = 0; i < 100; i++) {
		c[i].msg = i % 2 ? "fix: odd" : "docs: even";
		c[i].len = strlen(c[i].msg);
	}
	in.current = "1.0.0";
	in.commits = c;
	in.ncommits = 100;
	assert_int_equal(tp_bump_next(&r, &in, &err), 0);
	assert_string_equal(r.next.ptr, "1.0.1");
	assert_int_equal(r.nreasons, 50);
	for (i = 0; i < 50; i++)
		assert_int_equal(r.reasons[i].index, 2 * i + 1);
	tp_bump_result_release(&r);
}

static void
test_forced_ignores_commits(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_commit(&s, "feat!: big");
	s.in.req = TP_BUMP_REQ_PATCH;
	expect_next(&s, "1.2.4", TP_BUMP_KIND_PATCH);
	s.in.req = TP_BUMP_REQ_MINOR;
	expect_next(&s, "1.3.0", TP_BUMP_KIND_MINOR);
	scen_init(&s, "1.2.3");
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "2.0.0", TP_BUMP_KIND_MAJOR);
}

/* ---- prereleases: versioning.md's example ---------------------------- */

/* v1.3.0 released, then feat, rc.1, fix, rc.2 (and more commits). */
static void
example(struct scen *s)
{
	scen_init(s, "1.3.0");
	add_tag(s, "v1.2.0", 0);
	add_tag(s, "v1.3.0-rc.1", 0);
	add_tag(s, "v1.3.0", 0);
	add_tag(s, "v1.4.0-rc.1", 1);
	add_tag(s, "v1.4.0-rc.2", 1);
	add_commit(s, "feat: new thing");
	add_commit(s, "fix: first");
}

static void
test_example_fix_continues(void **state)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	struct scen s;

	(void)state;
	example(&s);
	add_commit(&s, "fix: one more");
	s.in.pre = "rc";
	expect_next(&s, "1.4.0-rc.3", TP_BUMP_KIND_PRERELEASE);

	assert_int_equal(run(&s, &r, &err), 0);
	assert_non_null(r.line);
	assert_string_equal(r.line->tag, "v1.4.0-rc.2");
	tp_bump_result_release(&r);
}

static void
test_example_breaking_escalates(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	add_commit(&s, "fix!: one more, breaking");
	s.in.pre = "rc";
	expect_next(&s, "2.0.0-rc.1", TP_BUMP_KIND_PRERELEASE);
	s.in.pre_start = 0;
	expect_next(&s, "2.0.0-rc.0", TP_BUMP_KIND_PRERELEASE);
}

static void
test_example_promotion(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	add_commit(&s, "fix: one more");
	expect_next(&s, "1.4.0", TP_BUMP_KIND_MINOR);
	/* promotion needs no new commit */
	s.in.pre_new_commits = 0;
	expect_next(&s, "1.4.0", TP_BUMP_KIND_MINOR);
	/* ... and no bumping commit: the line itself is what is released */
	example(&s);
	s.in.ncommits = 0;
	add_commit(&s, "chore: only this");
	expect_next(&s, "1.4.0", TP_BUMP_KIND_MINOR);
}

static void
test_example_nothing_since_prerelease(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	s.in.pre_new_commits = 0;
	s.in.pre = "rc";
	expect_next(&s, "1.3.0", TP_BUMP_KIND_NONE);
	s.in.pre = NULL;
	s.in.req = TP_BUMP_REQ_PRERELEASE;
	expect_next(&s, "1.3.0", TP_BUMP_KIND_NONE);
	s.in.req = TP_BUMP_REQ_MINOR;
	s.in.pre = "rc";
	expect_next(&s, "1.3.0", TP_BUMP_KIND_NONE);
	/* a new target is a new line, even on the same commit */
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "2.0.0-rc.1", TP_BUMP_KIND_PRERELEASE);
	/* so is an identifier above the line's */
	s.in.req = TP_BUMP_REQ_AUTO;
	s.in.pre = "rc2";
	expect_next(&s, "1.4.0-rc2.1", TP_BUMP_KIND_PRERELEASE);
	/* with a commit since rc.2, the line goes on */
	s.in.pre = "rc";
	s.in.pre_new_commits = 1;
	expect_next(&s, "1.4.0-rc.3", TP_BUMP_KIND_PRERELEASE);
}

static void
test_example_other_identifier(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	add_commit(&s, "fix: one more");
	s.in.pre = "beta";
	expect_error(&s, TP_EEXISTS, "'1.4.0-beta.1'");
	expect_error(&s, TP_EEXISTS, "'v1.4.0-rc.2'");
	assert_int_equal(tp_status_exit(TP_EEXISTS), 1);
	/* a higher identifier starts at prerelease-start */
	s.in.pre = "zeta";
	expect_next(&s, "1.4.0-zeta.1", TP_BUMP_KIND_PRERELEASE);
	s.in.pre_start = 7;
	expect_next(&s, "1.4.0-zeta.7", TP_BUMP_KIND_PRERELEASE);
	/* rc.2 on another branch blocks too, even when nothing is reachable */
	scen_init(&s, "1.3.0");
	add_tag(&s, "v1.4.0-rc.2", 0);
	add_commit(&s, "feat: x");
	s.in.pre = "beta";
	expect_error(&s, TP_EEXISTS, "would not be greater");
	/* ... but not the prereleases of another target */
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "2.0.0-beta.1", TP_BUMP_KIND_PRERELEASE);
}

static void
test_refusal_hint(void **state)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	struct scen s;

	(void)state;
	example(&s);
	s.in.pre = "alpha";
	assert_int_equal(run(&s, &r, &err), TP_EEXISTS);
	assert_string_equal(err.msg, "prerelease '1.4.0-alpha.1' would not be "
			    "greater than the existing 'v1.4.0-rc.2'");
	assert_non_null(strstr(err.hint, "--pre rc"));
	tp_bump_result_release(&r);
}

static void
test_forced_line_continues(void **state)
{
	struct scen s;

	(void)state;
	/* `next minor --pre rc` opened 1.4.0-rc.1 with only fixes */
	scen_init(&s, "1.3.0");
	add_tag(&s, "v1.3.0", 0);
	add_tag(&s, "v1.4.0-rc.1", 1);
	add_commit(&s, "fix: a");
	add_commit(&s, "fix: b");
	s.in.pre = "rc";
	expect_next(&s, "1.4.0-rc.2", TP_BUMP_KIND_PRERELEASE);
	s.in.req = TP_BUMP_REQ_MINOR;
	expect_next(&s, "1.4.0-rc.2", TP_BUMP_KIND_PRERELEASE);
	s.in.req = TP_BUMP_REQ_PATCH;
	expect_next(&s, "1.4.0-rc.2", TP_BUMP_KIND_PRERELEASE);
	s.in.req = TP_BUMP_REQ_PRERELEASE;
	s.in.pre = NULL;
	expect_next(&s, "1.4.0-rc.2", TP_BUMP_KIND_PRERELEASE);
	/* promotion gives the line's version, not 1.3.1 */
	s.in.req = TP_BUMP_REQ_AUTO;
	expect_next(&s, "1.4.0", TP_BUMP_KIND_MINOR);
	/* a forced release bump is taken as asked (a hotfix on 1.3) */
	s.in.req = TP_BUMP_REQ_PATCH;
	expect_next(&s, "1.3.1", TP_BUMP_KIND_PATCH);
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_next(&s, "2.0.0", TP_BUMP_KIND_MAJOR);
}

static void
test_counter_from_anywhere(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	add_tag(&s, "v1.4.0-rc.3", 0);
	add_tag(&s, "v1.4.0-rc.10+build.5", 0);
	add_tag(&s, "v1.4.0-rc.x", 0);
	add_tag(&s, "v1.4.0-rc.20.1", 0);
	add_tag(&s, "v1.5.0-rc.40", 0);
	s.in.pre = "rc";
	/* rc.10 is the highest rc.N of 1.4.0 (rc.20.1 is another form) */
	expect_error(&s, TP_EEXISTS, "'v1.4.0-rc.x'");
	s.in.ntags -= 3;
	add_tag(&s, "v1.5.0-rc.40", 0);
	expect_next(&s, "1.4.0-rc.11", TP_BUMP_KIND_PRERELEASE);
}

static void
test_prerelease_continues_identifier(void **state)
{
	struct scen s;

	(void)state;
	example(&s);
	s.in.req = TP_BUMP_REQ_PRERELEASE;
	expect_next(&s, "1.4.0-rc.3", TP_BUMP_KIND_PRERELEASE);
	add_tag(&s, "v1.4.0-rc.9", 0);
	expect_next(&s, "1.4.0-rc.10", TP_BUMP_KIND_PRERELEASE);

	scen_init(&s, "1.3.0");
	s.in.req = TP_BUMP_REQ_PRERELEASE;
	add_tag(&s, "v1.4.0-beta", 1);
	expect_next(&s, "1.4.0-beta.1", TP_BUMP_KIND_PRERELEASE);
	add_tag(&s, "v1.4.0-alpha.beta.4", 1);
	expect_next(&s, "1.4.0-beta.1", TP_BUMP_KIND_PRERELEASE);
	s.in.ntags = 0;
	add_tag(&s, "v1.4.0-alpha.beta.4", 1);
	expect_next(&s, "1.4.0-alpha.beta.5", TP_BUMP_KIND_PRERELEASE);
	s.in.ntags = 0;
	add_tag(&s, "v1.4.0-3", 1);
	expect_next(&s, "1.4.0-4", TP_BUMP_KIND_PRERELEASE);
	s.in.ntags = 0;
	add_tag(&s, "v1.4.0-rc.1a", 1);
	expect_next(&s, "1.4.0-rc.1a.1", TP_BUMP_KIND_PRERELEASE);
}

static void
test_prerelease_without_line(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.3.0");
	add_tag(&s, "v1.3.0", 0);
	add_tag(&s, "v1.4.0-rc.1", 0); /* not in the history since 1.3.0 */
	add_tag(&s, "v1.2.0-rc.1", 1); /* below the release */
	s.in.req = TP_BUMP_REQ_PRERELEASE;
	expect_error(&s, TP_EINVAL, "no prerelease line to continue");
	assert_int_equal(tp_status_exit(TP_EINVAL), 2);
	/* with --pre: from a release, even with no bumping commit, a patch */
	s.in.ntags = 1;
	s.in.pre = "rc";
	expect_next(&s, "1.3.1-rc.1", TP_BUMP_KIND_PRERELEASE);
	add_commit(&s, "feat: x");
	expect_next(&s, "1.4.0-rc.1", TP_BUMP_KIND_PRERELEASE);
	/* auto --pre with no bumping commit has nothing to release */
	s.in.req = TP_BUMP_REQ_AUTO;
	s.in.ncommits = 0;
	add_commit(&s, "docs: x");
	expect_next(&s, "1.3.0", TP_BUMP_KIND_NONE);
	/* --pre "" is no --pre */
	s.in.pre = "";
	expect_next(&s, "1.3.0", TP_BUMP_KIND_NONE);
}

/* ---- rule 6 ---------------------------------------------------------- */

static void
test_existing_version_refused(void **state)
{
	struct tp_bump_result r = TP_BUMP_RESULT_INIT;
	struct tp_error err;
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_tag(&s, "v1.2.3", 0);
	add_tag(&s, "v2.0.0", 0);
	add_tag(&s, "v1.3.0", 0);
	add_commit(&s, "fix: x");
	/* higher tags on other lines do not block */
	expect_next(&s, "1.2.4", TP_BUMP_KIND_PATCH);
	add_commit(&s, "feat: y");
	assert_int_equal(run(&s, &r, &err), TP_EEXISTS);
	assert_string_equal(err.msg, "version '1.3.0' is already tagged as "
			    "'v1.3.0'");
	assert_non_null(strstr(err.hint, "'v1.3.0'"));
	tp_bump_result_release(&r);
	/* equal precedence is the same version */
	s.tags[2].tag = "v1.3.0+meta";
	s.tags[2].version = "1.3.0+meta";
	expect_error(&s, TP_EEXISTS, "already tagged as 'v1.3.0+meta'");
	/* forced bumps too; the name is the version when tag is NULL */
	s.tags[1].tag = NULL;
	s.in.req = TP_BUMP_REQ_MAJOR;
	expect_error(&s, TP_EEXISTS, "version '2.0.0' is already tagged as "
		     "'2.0.0'");
	/* and the initial version */
	scen_init(&s, NULL);
	add_tag(&s, "v0.1.0", 0);
	expect_error(&s, TP_EEXISTS, "'0.1.0' is already tagged as 'v0.1.0'");
	/*
	 * A prerelease never collides: its counter comes from every tag of
	 * its identifier, build metadata included.
	 */
	example(&s);
	s.in.ntags = 0;
	add_tag(&s, "v1.4.0-rc.2", 1);
	add_tag(&s, "v1.4.0-rc.3+x", 0);
	s.in.pre = "rc";
	expect_next(&s, "1.4.0-rc.4", TP_BUMP_KIND_PRERELEASE);
}

/* ---- bad input ------------------------------------------------------- */

static void
test_bad_input(void **state)
{
	struct scen s;

	(void)state;
	scen_init(&s, "1.2.3");
	add_commit(&s, "fix: x");
	s.in.pre = "r c";
	expect_error(&s, TP_EINVAL, "cannot use 'r c' as a prerelease");
	s.in.pre = "rc+x";
	expect_error(&s, TP_EINVAL, "'+' starts build metadata");
	s.in.pre = "rc..1";
	expect_error(&s, TP_EINVAL, "cannot use 'rc..1'");
	s.in.pre = "01";
	expect_error(&s, TP_EINVAL, "cannot use '01'");
	/* checked even when there would be nothing to release */
	s.in.ncommits = 0;
	s.in.pre = "r c";
	expect_error(&s, TP_EINVAL, "cannot use 'r c'");

	scen_init(&s, "1.2.3-rc.1");
	expect_error(&s, TP_EINVAL, "current release '1.2.3-rc.1' is a "
		     "prerelease");
	scen_init(&s, "v1.2.3");
	expect_error(&s, TP_EINVAL, "current release 'v1.2.3' is not a "
		     "version");
	scen_init(&s, "1.2.3");
	add_tag(&s, "1.2", 0);
	expect_error(&s, TP_EINVAL, "tag '1.2': version '1.2' is not valid");
	scen_init(&s, NULL);
	s.in.initial = "0.1";
	expect_error(&s, TP_EINVAL, "release.initial '0.1' is not a version");
	s.in.initial = NULL;
	expect_error(&s, TP_EINVAL, "release.initial");
}

/* The result is replaced by each call, and cleared by a failing one. */
static void
test_result_reuse(void **state)
{
	struct tp_bump_result r;
	struct tp_error err;
	struct scen s;

	(void)state;
	tp_bump_result_init(&r);
	scen_init(&s, "1.2.3");
	add_commit(&s, "feat: a");
	assert_int_equal(run(&s, &r, &err), 0);
	assert_string_equal(r.next.ptr, "1.3.0");
	assert_int_equal(r.nreasons, 1);
	s.in.current = "4.0.0";
	assert_int_equal(run(&s, &r, &err), 0);
	assert_string_equal(r.next.ptr, "4.1.0");
	assert_int_equal(r.nreasons, 1);
	s.in.current = "x";
	assert_int_equal(run(&s, &r, &err), TP_EINVAL);
	assert_int_equal(r.next.len, 0);
	assert_int_equal(r.nreasons, 0);
	assert_null(r.reasons);
	assert_int_equal(r.kind, TP_BUMP_KIND_NONE);
	tp_bump_result_release(&r);
	tp_bump_result_release(&r);
}

/* ---- helpers ----------------------------------------------------------- */

static void
test_find_line(void **state)
{
	struct scen s;
	const struct tp_bump_tag *t;

	(void)state;
	example(&s);
	t = tp_bump_find_line(s.tags, s.in.ntags, "1.3.0");
	assert_non_null(t);
	assert_string_equal(t->tag, "v1.4.0-rc.2");
	add_tag(&s, "v2.0.0-rc.1", 0); /* not reachable */
	add_tag(&s, "not-a-version", 1);
	add_tag(&s, "v1.5.0-alpha.1", 1);
	t = tp_bump_find_line(s.tags, s.in.ntags, "1.3.0");
	assert_non_null(t);
	assert_string_equal(t->tag, "v1.5.0-alpha.1");
	assert_null(tp_bump_find_line(s.tags, s.in.ntags, "1.6.0"));
	assert_null(tp_bump_find_line(s.tags, 0, NULL));
	/* no release: every reachable prerelease */
	scen_init(&s, NULL);
	add_tag(&s, "v0.0.1-rc.1", 1);
	add_tag(&s, "v0.0.2", 1);
	t = tp_bump_find_line(s.tags, s.in.ntags, NULL);
	assert_non_null(t);
	assert_string_equal(t->tag, "v0.0.1-rc.1");
}

static void
test_names(void **state)
{
	enum tp_bump_req q = TP_BUMP_REQ_AUTO;
	struct tp_error err;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_int_equal(tp_bump_req_parse(&q, req_names[i], NULL), 0);
		assert_int_equal(q, (enum tp_bump_req)i);
	}
	tp_error_init(&err);
	assert_int_equal(tp_bump_req_parse(&q, "Major", &err), TP_EINVAL);
	assert_string_equal(err.msg, "unknown bump 'Major': expected auto, "
			    "major, minor, patch or prerelease");
	assert_int_equal(q, TP_BUMP_REQ_PRERELEASE);
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_NONE), "none");
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_PATCH), "patch");
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_MINOR), "minor");
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_MAJOR), "major");
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_PRERELEASE),
			    "prerelease");
	assert_string_equal(tp_bump_kind_name(TP_BUMP_KIND_INITIAL),
			    "initial");
}

/* ---- CalVer ---------------------------------------------------------- */

/* 2026-11-27T13:05:00Z */
#define NOW INT64_C(1795784700)

static void
calver_init(struct scen *s, const char *current, struct tp_date_fmt *f)
{
	scen_init(s, current);
	s->in.calver = 1;
	s->in.date = f;
	s->in.now = NOW;
}

static struct tp_date_fmt *
compile(const char *fmt)
{
	struct tp_date_fmt *f = NULL;

	assert_int_equal(tp_date_fmt_compile(&f, fmt, NULL), 0);
	return f;
}

static void
test_calver(void **state)
{
	struct tp_date_fmt *f = compile("%Y.%m.%d");
	struct scen s;

	(void)state;
	calver_init(&s, NULL, f);
	expect_next(&s, "2026.11.27", TP_BUMP_KIND_INITIAL);
	add_tag(&s, "2026.11.26", 1);
	add_tag(&s, "2026.11.28", 0);
	add_tag(&s, "2026.11.27.01", 0); /* not a counter */
	add_tag(&s, "2026.11.270", 0);
	expect_next(&s, "2026.11.27", TP_BUMP_KIND_INITIAL);
	add_tag(&s, "2026.11.27", 0);
	expect_next(&s, "2026.11.27.1", TP_BUMP_KIND_INITIAL);
	add_tag(&s, "2026.11.27.1", 0);
	expect_next(&s, "2026.11.27.2", TP_BUMP_KIND_INITIAL);
	add_tag(&s, "2026.11.27.9", 0);
	expect_next(&s, "2026.11.27.10", TP_BUMP_KIND_INITIAL);
	add_tag(&s, "2026.11.27.99999999999999999999", 0);
	expect_next(&s, "2026.11.27.100000000000000000000",
		    TP_BUMP_KIND_INITIAL);

	/* a counted one alone still moves the counter on */
	calver_init(&s, NULL, f);
	add_tag(&s, "2026.11.27.3", 0);
	expect_next(&s, "2026.11.27.4", TP_BUMP_KIND_INITIAL);

	/* with a release: auto needs a bumping commit */
	calver_init(&s, "2026.11.20", f);
	add_tag(&s, "2026.11.20", 0);
	expect_next(&s, "2026.11.20", TP_BUMP_KIND_NONE);
	add_commit(&s, "chore: x");
	expect_next(&s, "2026.11.20", TP_BUMP_KIND_NONE);
	add_commit(&s, "fix: x");
	expect_next(&s, "2026.11.27", TP_BUMP_KIND_PATCH);
	add_commit(&s, "feat!: x");
	expect_next(&s, "2026.11.27", TP_BUMP_KIND_MAJOR);

	s.in.req = TP_BUMP_REQ_MINOR;
	expect_error(&s, TP_EINVAL, "bump 'minor' does not apply to "
		     "bump.scheme calver");
	s.in.req = TP_BUMP_REQ_AUTO;
	s.in.pre = "rc";
	expect_error(&s, TP_EINVAL, "--pre does not apply");

	s.in.pre = NULL;
	s.in.now = TP_DATE_MAX + 1;
	expect_error(&s, TP_EINVAL, "cannot write the date");
	tp_date_fmt_free(f);

	f = compile("%Y%m%d");
	calver_init(&s, NULL, f);
	add_tag(&s, "20261127", 0);
	expect_next(&s, "20261127.1", TP_BUMP_KIND_INITIAL);
	tp_date_fmt_free(f);
}

/* ---- vectors --------------------------------------------------------- */

/*
 * One row of conventional-bump.tsv: the message is the only commit since
 * 1.2.3 (auto, default map); `bump_spec` gives the next version.  From
 * 0.2.3 a major bump is a minor one (decision 8, zero-major: minor).
 */
static void
test_vector(void **state)
{
	static const char *const from123[] = { "1.2.3", "1.2.4", "1.3.0",
					       "2.0.0" };
	static const char *const from023[] = { "0.2.3", "0.2.4", "0.3.0",
					       "0.3.0" };
	static const char *const names[] = { "none", "patch", "minor",
					     "major" };
	static const enum tp_bump_kind zkind[] = {
		TP_BUMP_KIND_NONE, TP_BUMP_KIND_PATCH, TP_BUMP_KIND_MINOR,
		TP_BUMP_KIND_MINOR
	};
	const struct tsv_row *row = *state;
	const char *want;
	struct scen s;
	size_t b;

	want = tsv_get(row, tsv_col(vectors, "bump_spec"));
	for (b = 0; b < 4; b++)
		if (strcmp(want, names[b]) == 0)
			break;
	if (b == 4) {
		print_error("line %u: unknown bump_spec '%s'\n", row->lineno,
			    want);
		fail();
	}
	scen_init(&s, "1.2.3");
	s.commits[0].msg = tsv_get(row, tsv_col(vectors, "message"));
	s.commits[0].len = tsv_len(row, tsv_col(vectors, "message"));
	s.in.ncommits = 1;
	expect_next(&s, from123[b], (enum tp_bump_kind)b);
	s.in.current = "0.2.3";
	expect_next(&s, from023[b], zkind[b]);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *t = tsv_load("conventional-bump.tsv");
	int rc;

	vectors = t;
	tlist_unit(&l, test_no_release_auto_is_initial);
	tlist_unit(&l, test_no_release_forced_from_zero);
	tlist_unit(&l, test_no_release_prerelease);
	tlist_unit(&l, test_auto_takes_largest_bump);
	tlist_unit(&l, test_auto_nothing_to_release);
	tlist_unit(&l, test_auto_zero_major);
	tlist_unit(&l, test_auto_custom_map);
	tlist_unit(&l, test_crlf_messages);
	tlist_unit(&l, test_reasons);
	tlist_unit(&l, test_many_reasons);
	tlist_unit(&l, test_forced_ignores_commits);
	tlist_unit(&l, test_example_fix_continues);
	tlist_unit(&l, test_example_breaking_escalates);
	tlist_unit(&l, test_example_promotion);
	tlist_unit(&l, test_example_nothing_since_prerelease);
	tlist_unit(&l, test_example_other_identifier);
	tlist_unit(&l, test_refusal_hint);
	tlist_unit(&l, test_forced_line_continues);
	tlist_unit(&l, test_counter_from_anywhere);
	tlist_unit(&l, test_prerelease_continues_identifier);
	tlist_unit(&l, test_prerelease_without_line);
	tlist_unit(&l, test_existing_version_refused);
	tlist_unit(&l, test_bad_input);
	tlist_unit(&l, test_result_reuse);
	tlist_unit(&l, test_find_line);
	tlist_unit(&l, test_names);
	tlist_unit(&l, test_calver);
	tlist_add_tsv(&l, t, test_vector, NULL);
	rc = tlist_run(&l, "bump");
	tsv_free(t);
	return rc;
}
