/*
 * test-publish.c: publish templates rendered into image tags, the CI's
 * branch variables, --image names and the three output formats.
 *
 * The policy loader is not used: every test builds its publish list by
 * hand from the fields below (pol_add() splits a template at its braces).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish.h"
#include "date.h"
#include "json.h"
#include "tsv.h"

/* 2026-11-27T12:34:56Z */
#define NOW INT64_C(1795782896)
#define COMMIT "abc1234def567890abcdef1234567890abcdef12"

/* ------------------------------------------------------------------ */
/* fixture: the fields, and publish lists built by hand                */
/* ------------------------------------------------------------------ */

enum {
	F_SEMVER,
	F_MAJOR,
	F_MINOR,
	F_PATCH,
	F_PRE,
	F_META,
	F_BRANCH,
	F_ENV,    /* values: dev, staging, prod */
	F_SHA,    /* hex 7 */
	F_SHA40,  /* hex 40 */
	F_SHARNG, /* hex [8, 40]: the minimum length is used */
	F_DATE,   /* %Y%m%d */
	F_DTIME,  /* %Y%m%d-%H%M%S */
	F_BUILD,  /* pattern b[0-9]+ */
	F_TICKET, /* pattern, not compiled: any value is taken */
	NFIELDS
};

static struct tp_field fields[NFIELDS];
static char *env_values[] = { "dev", "staging", "prod" };

static void
fields_setup(void)
{
	static const char *const names[NFIELDS] = {
		"semver", "major", "minor", "patch", "pre", "meta", "branch",
		"env", "sha", "sha40", "sharng", "date", "dtime", "build",
		"ticket"
	};
	static const enum tp_field_type types[NFIELDS] = {
		TP_FIELD_SEMVER, TP_FIELD_MAJOR, TP_FIELD_MINOR,
		TP_FIELD_PATCH, TP_FIELD_PRE, TP_FIELD_META, TP_FIELD_BRANCH,
		TP_FIELD_VALUES, TP_FIELD_HEX, TP_FIELD_HEX, TP_FIELD_HEX,
		TP_FIELD_DATE, TP_FIELD_DATE, TP_FIELD_PATTERN,
		TP_FIELD_PATTERN
	};
	int ec;
	PCRE2_SIZE off;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		fields[i].name = (char *)(uintptr_t)names[i];
		fields[i].type = types[i];
	}
	fields[F_ENV].values = env_values;
	fields[F_ENV].nvalues = 3;
	fields[F_SHA].hex_min = fields[F_SHA].hex_max = 7;
	fields[F_SHA40].hex_min = fields[F_SHA40].hex_max = 40;
	fields[F_SHARNG].hex_min = 8;
	fields[F_SHARNG].hex_max = 40;
	if (tp_date_fmt_compile(&fields[F_DATE].date, "%Y%m%d", NULL) < 0 ||
	    tp_date_fmt_compile(&fields[F_DTIME].date, "%Y%m%d-%H%M%S",
				NULL) < 0) {
		fprintf(stderr, "cannot compile the date formats\n");
		exit(99);
	}
	fields[F_BUILD].pattern = "b[0-9]+";
	fields[F_BUILD].pattern_re = pcre2_compile(
		(PCRE2_SPTR) "b[0-9]+", PCRE2_ZERO_TERMINATED,
		PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &off, NULL);
	fields[F_TICKET].pattern = "[a-z]+-[0-9]+";
	if (fields[F_BUILD].pattern_re == NULL) {
		fprintf(stderr, "cannot compile the build pattern\n");
		exit(99);
	}
}

static void
fields_teardown(void)
{
	tp_date_fmt_free(fields[F_DATE].date);
	tp_date_fmt_free(fields[F_DTIME].date);
	pcre2_code_free(fields[F_BUILD].pattern_re);
}

#define MAXE 16
#define MAXP 8

/* A publish list: entry i sits at policy.yml:(20 + i):5. */
struct pol {
	struct tp_publish e[MAXE];
	struct tp_piece p[MAXE][MAXP];
	char text[MAXE][256];
	size_t n;
};

static void
pol_add(struct pol *pol, const char *text, enum tp_when when)
{
	struct tp_publish *e = &pol->e[pol->n];
	struct tp_piece *pc = pol->p[pol->n];
	char *t = pol->text[pol->n], *s, *close;
	size_t k = 0, i, len;

	CHECK(pol->n < MAXE && strlen(text) < sizeof(pol->text[0]),
	      "pol_add: no room for '%s'", text);
	snprintf(t, sizeof(pol->text[0]), "%s", text);
	memset(e, 0, sizeof(*e));
	e->template = t;
	e->pieces = pc;
	e->when = when;
	e->loc.file = "policy.yml";
	e->loc.line = 20 + (unsigned)pol->n;
	e->loc.column = 5;
	for (s = t; *s != '\0'; k++) {
		CHECK(k < MAXP, "pol_add: too many pieces in '%s'", text);
		memset(&pc[k], 0, sizeof(pc[k]));
		if (*s != '{') {
			len = strcspn(s, "{");
			pc[k].text = s;
			pc[k].len = len;
			s += len;
			continue;
		}
		close = strchr(s, '}');
		CHECK(close != NULL, "pol_add: unbalanced '%s'", text);
		len = (size_t)(close - s - 1);
		for (i = 0; i < NFIELDS; i++)
			if (strlen(fields[i].name) == len &&
			    memcmp(fields[i].name, s + 1, len) == 0)
				break;
		CHECK(i < NFIELDS, "pol_add: unknown field in '%s'", text);
		pc[k].field = &fields[i];
		s = close + 1;
	}
	e->npieces = k;
	pol->n++;
}

/* The publish list of policy.md's example. */
static void
pol_example(struct pol *p)
{
	memset(p, 0, sizeof(*p));
	pol_add(p, "{semver}", TP_WHEN_ALWAYS);
	pol_add(p, "{major}.{minor}", TP_WHEN_ALWAYS);
	pol_add(p, "{major}", TP_WHEN_ALWAYS);
	pol_add(p, "{semver}-{sha}", TP_WHEN_ALWAYS);
	pol_add(p, "{date}", TP_WHEN_RELEASE);
	pol_add(p, "latest", TP_WHEN_ALWAYS);
	pol_add(p, "edge", TP_WHEN_BRANCH);
}

static void
ver(struct tp_version *v, const char *s)
{
	struct tp_error err;

	tp_error_init(&err);
	CHECK(tp_version_parse(v, s, strlen(s), &err) == 0,
	      "version '%s': %s", s, err.msg);
}

static struct tp_publish_build
build_for(const struct tp_version *v)
{
	struct tp_publish_build b;

	memset(&b, 0, sizeof(b));
	b.version = v;
	b.latest = 1;
	b.commit = COMMIT;
	b.time = NOW;
	return b;
}

static void
render_ok(struct tp_publish_result *r, const struct pol *p,
	  const struct tp_publish_build *b)
{
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_publish_render(r, p->e, p->n, b, &err);
	CHECK(rc == 0, "render failed (%d): %s", rc, err.msg);
}

/* Renders and expects an error; returns it for further checks. */
static struct tp_error
render_fail(const struct pol *p, const struct tp_publish_build *b, int code)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	r.ntags = 99; /* must be overwritten */
	rc = tp_publish_render(&r, p->e, p->n, b, &err);
	CHECK(rc == code, "render gave %d, want %d (%s)", rc, code, err.msg);
	CHECK(err.code == code, "err.code %d, want %d", err.code, code);
	CHECK(r.ntags == 0 && r.tags == NULL && r.nskipped == 0 &&
		      r.skipped == NULL && r.version == NULL,
	      "a failed render left a result behind");
	return err;
}

/* The tags joined with ' '. */
static void
assert_tags(const struct tp_publish_result *r, const char *want)
{
	struct tp_buf b = TP_BUF_INIT;
	size_t i;

	for (i = 0; i < r->ntags; i++)
		assert_int_equal(tp_buf_printf(&b, "%s%s", i ? " " : "",
					       r->tags[i]), 0);
	CHECK(strcmp(b.ptr, want) == 0, "tags\n  got:  '%s'\n  want: '%s'",
	      b.ptr, want);
	tp_buf_release(&b);
}

/* The skipped entries as "template: reason" lines. */
static void
assert_skips(const struct tp_publish_result *r, const char *want)
{
	struct tp_buf b = TP_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nskipped; i++)
		assert_int_equal(tp_buf_printf(&b, "%s: %s\n",
					       r->skipped[i].template,
					       r->skipped[i].reason), 0);
	CHECK(strcmp(b.ptr, want) == 0, "skipped\n--- got:\n%s--- want:\n%s",
	      b.ptr, want);
	tp_buf_release(&b);
}

/* Renders a one-template list and expects exactly one tag. */
static void
assert_one(const char *tmpl, const struct tp_publish_build *b,
	   const char *want)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct pol p;

	memset(&p, 0, sizeof(p));
	pol_add(&p, tmpl, TP_WHEN_ALWAYS);
	render_ok(&r, &p, b);
	CHECK(r.ntags == 1 && strcmp(r.tags[0], want) == 0,
	      "'%s': got %zu tags ('%s'; skipped: %s), want '%s'", tmpl,
	      r.ntags, r.ntags ? r.tags[0] : "",
	      r.nskipped ? r.skipped[0].reason : "-", want);
	tp_publish_result_release(&r);
}

/* Renders a one-template list and expects it skipped for `why`. */
static void
assert_skip_one(const char *tmpl, enum tp_when when,
		const struct tp_publish_build *b, const char *why)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct pol p;

	memset(&p, 0, sizeof(p));
	pol_add(&p, tmpl, when);
	render_ok(&r, &p, b);
	CHECK(r.ntags == 0 && r.nskipped == 1 &&
		      strcmp(r.skipped[0].template, tmpl) == 0 &&
		      strcmp(r.skipped[0].reason, why) == 0,
	      "'%s': got %zu tags ('%s'), skip reason '%s', want '%s'", tmpl,
	      r.ntags, r.ntags ? r.tags[0] : "",
	      r.nskipped ? r.skipped[0].reason : "-", why);
	tp_publish_result_release(&r);
}

/* ------------------------------------------------------------------ */
/* rendering                                                           */
/* ------------------------------------------------------------------ */

static void
test_example_release(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	pol_example(&p);
	ver(&v, "1.4.0");
	b = build_for(&v);
	render_ok(&r, &p, &b);
	assert_tags(&r, "1.4.0 1.4 1 1.4.0-abc1234 20261127 latest");
	assert_skips(&r, "edge: when: branch but this build has version "
		     "1.4.0\n");
	assert_string_equal(r.version, "1.4.0");
	tp_publish_result_release(&r);
	assert_null(r.tags);
	assert_int_equal(r.ntags, 0);
}

static void
test_example_prerelease(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	pol_example(&p);
	ver(&v, "2.0.0-rc.1");
	b = build_for(&v);
	render_ok(&r, &p, &b);
	assert_tags(&r, "2.0.0-rc.1 2.0.0-rc.1-abc1234");
	assert_skips(&r,
		     "{major}.{minor}: {major} is not rendered for a "
		     "prerelease\n"
		     "{major}: {major} is not rendered for a prerelease\n"
		     "{date}: when: release but 2.0.0-rc.1 is a prerelease\n"
		     "latest: latest is not rendered for a prerelease\n"
		     "edge: when: branch but this build has version "
		     "2.0.0-rc.1\n");
	tp_publish_result_release(&r);
}

static void
test_example_old_line(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	pol_example(&p);
	ver(&v, "1.3.9");
	b = build_for(&v);
	b.latest = 0; /* 1.4.0 exists */
	render_ok(&r, &p, &b);
	assert_tags(&r, "1.3.9 1.3 1 1.3.9-abc1234 20261127");
	assert_skips(&r, "latest: latest is not rendered: a release greater "
		     "than 1.3.9 exists\n"
		     "edge: when: branch but this build has version 1.3.9\n");
	tp_publish_result_release(&r);
}

static void
test_example_zero_major(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	pol_example(&p);
	ver(&v, "0.3.1");
	b = build_for(&v);
	render_ok(&r, &p, &b);
	assert_tags(&r, "0.3.1 0.3 0.3.1-abc1234 20261127 latest");
	assert_skips(&r, "{major}: {major} is not rendered while major is 0\n"
		     "edge: when: branch but this build has version 0.3.1\n");
	tp_publish_result_release(&r);

	/* only a bare {major} goes; "v{major}" is as floating as "{major}" */
	assert_skip_one("v{major}", TP_WHEN_ALWAYS, &b,
			"{major} is not rendered while major is 0");
	assert_one("{major}.{minor}.{patch}", &b, "0.3.1");
	assert_one("{major}-{semver}", &b, "0-0.3.1");
	ver(&v, "10.0.0");
	assert_one("{major}", &b, "10");
	ver(&v, "0.3.1-rc.1");
	assert_skip_one("{major}", TP_WHEN_ALWAYS, &b,
			"{major} is not rendered for a prerelease");
	assert_skip_one("{major}-{pre}", TP_WHEN_ALWAYS, &b,
			"{major} is not rendered while major is 0");
}

static void
test_prerelease_parts(void **state)
{
	struct tp_publish_build b;
	struct tp_version v;

	(void)state;
	ver(&v, "2.0.0-rc.1");
	b = build_for(&v);
	/* a template that would name the release is not rendered */
	assert_skip_one("{major}.{minor}.{patch}", TP_WHEN_ALWAYS, &b,
			"{major} is not rendered for a prerelease");
	assert_skip_one("{minor}", TP_WHEN_ALWAYS, &b,
			"{minor} is not rendered for a prerelease");
	/* one that names the prerelease is */
	assert_one("{major}.{minor}.{patch}-{pre}", &b, "2.0.0-rc.1");
	assert_one("{major}.{minor}-{semver}", &b, "2.0-2.0.0-rc.1");
	assert_one("{pre}", &b, "rc.1");
}

static void
test_branch_build(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct pol p;

	(void)state;
	pol_example(&p);
	b = build_for(NULL);
	b.branch = "main";
	render_ok(&r, &p, &b);
	assert_tags(&r, "edge");
	assert_null(r.version);
	assert_skips(&r,
		     "{semver}: no version on a branch build\n"
		     "{major}.{minor}: no version on a branch build\n"
		     "{major}: no version on a branch build\n"
		     "{semver}-{sha}: no version on a branch build\n"
		     "{date}: when: release but this is a branch build\n"
		     "latest: latest is rendered only for a release: this "
		     "is a branch build\n");
	tp_publish_result_release(&r);

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{branch}", TP_WHEN_BRANCH);
	pol_add(&p, "{branch}-{sha}", TP_WHEN_ALWAYS);
	pol_add(&p, "{branch}-{date}", TP_WHEN_ALWAYS);
	pol_add(&p, "edge", TP_WHEN_BRANCH);
	b.branch = "Feature/Foo#12";
	render_ok(&r, &p, &b);
	assert_tags(&r, "feature-foo-12 feature-foo-12-abc1234 "
		    "feature-foo-12-20261127 edge");
	assert_skips(&r, "");
	tp_publish_result_release(&r);

	/* no branch at all (detached HEAD, no CI variable) */
	b.branch = NULL;
	render_ok(&r, &p, &b);
	assert_tags(&r, "edge");
	assert_skips(&r,
		     "{branch}: no branch: set one of GITHUB_HEAD_REF, "
		     "GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, "
		     "CI_COMMIT_BRANCH, CHANGE_BRANCH, BRANCH_NAME\n"
		     "{branch}-{sha}: no branch: set one of GITHUB_HEAD_REF, "
		     "GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, "
		     "CI_COMMIT_BRANCH, CHANGE_BRANCH, BRANCH_NAME\n"
		     "{branch}-{date}: no branch: set one of GITHUB_HEAD_REF, "
		     "GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, "
		     "CI_COMMIT_BRANCH, CHANGE_BRANCH, BRANCH_NAME\n");
	tp_publish_result_release(&r);

	/* a branch with nothing usable in a tag */
	b.branch = "/#\xc3\xa4";
	assert_skip_one("{branch}", TP_WHEN_ALWAYS, &b,
			"{branch} is empty: branch '/#\xc3\xa4' has no "
			"character allowed in a tag");
	/* {branch} also renders beside a version when one is known */
	{
		struct tp_version v;

		ver(&v, "1.4.0");
		b = build_for(&v);
		b.branch = "release/1.4";
		assert_one("{semver}-{branch}", &b, "1.4.0-release-1.4");
	}
}

static void
test_branch_sanitize(void **state)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} cases[] = {
		{ "Feature/Foo#12", SIZE_MAX, "feature-foo-12" },
		{ "main", SIZE_MAX, "main" },
		{ "my/feature#1245", SIZE_MAX, "my-feature-1245" },
		{ ".hidden", SIZE_MAX, "hidden" },
		{ "--x", SIZE_MAX, "x" },
		{ "-.-.x.-", SIZE_MAX, "x.-" },
		{ "/-.a", SIZE_MAX, "a" },
		{ "a/-b", SIZE_MAX, "a--b" },
		{ "a//b", SIZE_MAX, "a-b" },
		{ "a b\tc", SIZE_MAX, "a-b-c" },
		{ "UPPER_Case", SIZE_MAX, "upper_case" },
		{ "_lead", SIZE_MAX, "_lead" },
		{ "\xc3\xa4pfel", SIZE_MAX, "pfel" },
		{ "caf\xc3\xa9-x", SIZE_MAX, "caf--x" },
		{ "dependabot/npm_and_yarn/lodash-4.17.21", SIZE_MAX,
		  "dependabot-npm_and_yarn-lodash-4.17.21" },
		{ "###", SIZE_MAX, "" },
		{ "", SIZE_MAX, "" },
		{ "abcdef", 3, "abc" },
		{ "..abcdef", 3, "abc" },
		{ "a/b/c", 2, "a-" },
		{ "abc", 0, "" },
	};
	struct tp_buf b = TP_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tp_buf_clear(&b);
		assert_int_equal(tp_buf_puts(&b, "<"), 0);
		assert_int_equal(tp_publish_branch_sanitize(&b, cases[i].in,
							    cases[i].max), 0);
		CHECK(strcmp(b.ptr + 1, cases[i].want) == 0,
		      "sanitize '%s' (max %zu): got '%s', want '%s'",
		      cases[i].in, cases[i].max, b.ptr + 1, cases[i].want);
	}
	tp_buf_release(&b);
}

static void
test_branch_length(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_error err;
	char branch[301], fixed[200];
	struct pol p;

	(void)state;
	memset(branch, 'A', 300);
	branch[0] = '-';
	branch[1] = '.';
	branch[300] = '\0';
	b = build_for(NULL);
	b.branch = branch;

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{branch}", TP_WHEN_ALWAYS);
	pol_add(&p, "build-{branch}-{sha}", TP_WHEN_ALWAYS);
	pol_add(&p, "{branch}.{branch}", TP_WHEN_ALWAYS);
	render_ok(&r, &p, &b);
	assert_int_equal(r.ntags, 3);
	/* lower-cased, leading "-." gone, cut to 128 */
	assert_int_equal(strlen(r.tags[0]), 128);
	assert_int_equal(strspn(r.tags[0], "a"), 128);
	/* the fixed part (6 + 1 + 7) keeps its room */
	assert_int_equal(strlen(r.tags[1]), 128);
	assert_memory_equal(r.tags[1], "build-aaa", 9);
	assert_string_equal(r.tags[1] + 128 - 8, "-abc1234");
	assert_int_equal(strspn(r.tags[1] + 6, "a"), 128 - 6 - 8);
	/* two branches share the room: (128 - 1) / 2 each */
	assert_int_equal(strlen(r.tags[2]), 127);
	assert_int_equal(strspn(r.tags[2], "a"), 63);
	assert_int_equal(r.tags[2][63], '.');
	tp_publish_result_release(&r);

	/* a short branch is not padded or cut */
	b.branch = "main";
	assert_one("build-{branch}-{sha}", &b, "build-main-abc1234");

	/* a fixed part that fills the tag leaves no room: a policy error */
	memset(fixed, 'x', 128);
	memcpy(fixed + 128, "{branch}", sizeof("{branch}"));
	memset(&p, 0, sizeof(p));
	pol_add(&p, fixed, TP_WHEN_ALWAYS);
	err = render_fail(&p, &b, TP_EPOLICY);
	CHECK(strstr(err.msg, "which is not a valid image tag: longer than "
		     "128 characters (132)") != NULL, "msg: %s", err.msg);
	/* 127 fixed bytes leave one for the branch */
	fixed[127] = '\0';
	memset(&p, 0, sizeof(p));
	memcpy(fixed + 127, "{branch}", sizeof("{branch}"));
	pol_add(&p, fixed, TP_WHEN_ALWAYS);
	render_ok(&r, &p, &b);
	assert_int_equal(r.ntags, 1);
	assert_int_equal(strlen(r.tags[0]), 128);
	assert_int_equal(r.tags[0][127], 'm');
	tp_publish_result_release(&r);
}

static void
test_build_metadata(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	pol_example(&p);
	ver(&v, "1.4.0+build.5");
	b = build_for(&v);
	render_ok(&r, &p, &b);
	assert_tags(&r, "1.4.0 1.4 1 1.4.0-abc1234 20261127 latest");
	assert_string_equal(r.version, "1.4.0+build.5");
	tp_publish_result_release(&r);

	assert_one("{meta}", &b, "build.5");
	assert_one("{semver}-{meta}", &b, "1.4.0-build.5");
	ver(&v, "1.4.0-rc.1+exp.sha.5114f85");
	assert_one("{semver}", &b, "1.4.0-rc.1");
	ver(&v, "1.4.0");
	assert_skip_one("{semver}-{meta}", TP_WHEN_ALWAYS, &b,
			"{meta} is empty: 1.4.0 has no build metadata");
	assert_skip_one("{semver}-{pre}", TP_WHEN_ALWAYS, &b,
			"{pre} is empty: 1.4.0 is not a prerelease");
	/* numbers of any size */
	ver(&v, "99999999999999999999999.0.1");
	assert_one("{major}", &b, "99999999999999999999999");
}

static void
test_dedup(void **state)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	(void)state;
	memset(&p, 0, sizeof(p));
	pol_add(&p, "{semver}", TP_WHEN_ALWAYS);
	pol_add(&p, "{major}.{minor}.{patch}", TP_WHEN_ALWAYS);
	pol_add(&p, "latest", TP_WHEN_ALWAYS);
	pol_add(&p, "{major}.{minor}", TP_WHEN_ALWAYS);
	pol_add(&p, "latest", TP_WHEN_RELEASE);
	pol_add(&p, "1.1", TP_WHEN_ALWAYS);
	ver(&v, "1.1.1+b7");
	b = build_for(&v);
	render_ok(&r, &p, &b);
	assert_tags(&r, "1.1.1 latest 1.1");
	assert_skips(&r, "{major}.{minor}.{patch}: renders '1.1.1', the same "
		     "tag as template '{semver}'\n"
		     "latest: renders 'latest', the same tag as template "
		     "'latest'\n"
		     "1.1: renders '1.1', the same tag as template "
		     "'{major}.{minor}'\n");
	tp_publish_result_release(&r);

	/* an empty list renders nothing and is no error */
	memset(&p, 0, sizeof(p));
	render_ok(&r, &p, &b);
	assert_int_equal(r.ntags, 0);
	assert_int_equal(r.nskipped, 0);
	assert_string_equal(r.version, "1.1.1+b7");
	tp_publish_result_release(&r);
}

static void
test_when(void **state)
{
	struct tp_publish_build rel, pre, br;
	struct tp_version v1, v2;

	(void)state;
	ver(&v1, "1.4.0");
	ver(&v2, "1.5.0-beta.2");
	rel = build_for(&v1);
	pre = build_for(&v2);
	br = build_for(NULL);

	assert_one("x", &rel, "x");
	assert_one("x", &pre, "x");
	assert_one("x", &br, "x");
	assert_skip_one("x", TP_WHEN_RELEASE, &pre,
			"when: release but 1.5.0-beta.2 is a prerelease");
	assert_skip_one("x", TP_WHEN_RELEASE, &br,
			"when: release but this is a branch build");
	assert_skip_one("x", TP_WHEN_PRERELEASE, &rel,
			"when: prerelease but 1.4.0 is not a prerelease");
	assert_skip_one("x", TP_WHEN_PRERELEASE, &br,
			"when: prerelease but this is a branch build");
	assert_skip_one("x", TP_WHEN_BRANCH, &rel,
			"when: branch but this build has version 1.4.0");
	assert_skip_one("x", TP_WHEN_BRANCH, &pre,
			"when: branch but this build has version "
			"1.5.0-beta.2");
	/* `when` is decided before the fields */
	assert_skip_one("{semver}", TP_WHEN_RELEASE, &br,
			"when: release but this is a branch build");
	assert_skip_one("{sha}", TP_WHEN_PRERELEASE, &rel,
			"when: prerelease but 1.4.0 is not a prerelease");
	{
		struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
		struct pol p;

		memset(&p, 0, sizeof(p));
		pol_add(&p, "{semver}", TP_WHEN_PRERELEASE);
		pol_add(&p, "{semver}", TP_WHEN_RELEASE);
		pol_add(&p, "rel", TP_WHEN_RELEASE);
		pol_add(&p, "pre", TP_WHEN_PRERELEASE);
		pol_add(&p, "br", TP_WHEN_BRANCH);
		render_ok(&r, &p, &rel);
		assert_tags(&r, "1.4.0 rel");
		tp_publish_result_release(&r);
		render_ok(&r, &p, &pre);
		assert_tags(&r, "1.5.0-beta.2 pre");
		tp_publish_result_release(&r);
		render_ok(&r, &p, &br);
		assert_tags(&r, "br");
		tp_publish_result_release(&r);
	}
}

static void
test_latest(void **state)
{
	struct tp_publish_build b;
	struct tp_version v;

	(void)state;
	ver(&v, "1.4.0");
	b = build_for(&v);
	assert_one("latest", &b, "latest");
	b.latest = 0;
	assert_skip_one("latest", TP_WHEN_ALWAYS, &b,
			"latest is not rendered: a release greater than "
			"1.4.0 exists");
	/* only the literal template is special */
	assert_one("latest-{semver}", &b, "latest-1.4.0");
	assert_one("Latest", &b, "Latest");
	ver(&v, "1.4.0+ci.3");
	b.latest = 1;
	assert_one("latest", &b, "latest");
}

static void
test_values(void **state)
{
	struct tp_publish_var vars[] = { { "build", "b12" },
					 { "ticket", "abc-12" } };
	struct tp_publish_build b;
	struct tp_version v;
	struct tp_error err;
	struct pol p;

	(void)state;
	ver(&v, "1.4.0");
	b = build_for(&v);
	assert_skip_one("{semver}-{env}", TP_WHEN_ALWAYS, &b,
			"no value for {env}: use --env");
	assert_skip_one("{build}", TP_WHEN_ALWAYS, &b,
			"no value for {build}");
	b.env = "prod";
	assert_one("{semver}-{env}", &b, "1.4.0-prod");
	assert_one("{env}-{date}", &b, "prod-20261127");
	b.vars = vars;
	b.nvars = 2;
	assert_one("{semver}-{build}-{ticket}", &b, "1.4.0-b12-abc-12");

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{semver}-{env}", TP_WHEN_ALWAYS);
	b.env = "qa";
	err = render_fail(&p, &b, TP_EINVAL);
	assert_string_equal(err.msg, "value 'qa' of field 'env' is not one "
			    "of: dev, staging, prod");
	b.env = "Prod"; /* case-sensitive */
	render_fail(&p, &b, TP_EINVAL);

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{build}", TP_WHEN_ALWAYS);
	vars[0].value = "b12x";
	err = render_fail(&p, &b, TP_EINVAL);
	assert_string_equal(err.msg, "value 'b12x' of field 'build' does not "
			    "match its pattern 'b[0-9]+'");

	/* a value that passes its field but not the tag grammar */
	memset(&p, 0, sizeof(p));
	pol_add(&p, "{ticket}", TP_WHEN_ALWAYS);
	vars[1].value = "a/b";
	err = render_fail(&p, &b, TP_EPOLICY);
	assert_string_equal(err.msg, "publish template '{ticket}' renders "
			    "'a/b', which is not a valid image tag: invalid "
			    "character '/' at offset 1");
}

static void
test_sha(void **state)
{
	struct tp_publish_build b;
	struct tp_version v;
	struct tp_error err;
	struct pol p;

	(void)state;
	ver(&v, "1.4.0");
	b = build_for(&v);
	assert_one("{sha}", &b, "abc1234");
	assert_one("{sha40}", &b, COMMIT);
	assert_one("{sharng}", &b, "abc1234d");
	/* a SHA-256 id is cut the same way */
	b.commit = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
		   "cdef";
	assert_one("sha-{sha}", &b, "sha-0123456");
	b.commit = NULL;
	assert_skip_one("{semver}-{sha}", TP_WHEN_ALWAYS, &b,
			"no commit for {sha}");

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{sha}", TP_WHEN_ALWAYS);
	b.commit = "ABC1234DEF";
	err = render_fail(&p, &b, TP_EINVAL);
	assert_string_equal(err.msg,
			    "commit id 'ABC1234DEF' is not lower-case hex");
	b.commit = "abc12";
	err = render_fail(&p, &b, TP_EINVAL);
	assert_string_equal(err.msg, "commit id 'abc12' is shorter than the "
			    "7 digits of field 'sha'");
}

static void
test_date(void **state)
{
	struct tp_publish_build b;
	struct tp_error err;
	struct pol p;

	(void)state;
	b = build_for(NULL);
	assert_one("{date}", &b, "20261127");
	assert_one("nightly-{dtime}", &b, "nightly-20261127-123456");
	b.time = 0;
	assert_one("{dtime}", &b, "19700101-000000");
	b.time = TP_DATE_MAX + 1;
	memset(&p, 0, sizeof(p));
	pol_add(&p, "{date}", TP_WHEN_ALWAYS);
	err = render_fail(&p, &b, TP_EINVAL);
	assert_string_equal(err.msg, "build time 253402300800 cannot be shown "
			    "in the format of field 'date'");
}

static void
test_invalid_template(void **state)
{
	struct tp_publish_build b;
	struct tp_version v;
	struct tp_error err;
	struct pol p;

	(void)state;
	ver(&v, "1.4.0");
	b = build_for(&v);
	memset(&p, 0, sizeof(p));
	pol_add(&p, "{semver}", TP_WHEN_ALWAYS);
	pol_add(&p, "{major}", TP_WHEN_ALWAYS);
	pol_add(&p, "bad+tag", TP_WHEN_ALWAYS);
	err = render_fail(&p, &b, TP_EPOLICY);
	assert_string_equal(err.file, "policy.yml");
	assert_int_equal(err.line, 22);
	assert_int_equal(err.column, 5);
	assert_string_equal(err.msg, "publish template 'bad+tag' renders "
			    "'bad+tag', which is not a valid image tag: "
			    "invalid character '+' at offset 3");

	/* invalid even when a skip would come later in the list */
	memset(&p, 0, sizeof(p));
	pol_add(&p, "{semver}", TP_WHEN_ALWAYS);
	pol_add(&p, "-{semver}", TP_WHEN_ALWAYS);
	err = render_fail(&p, &b, TP_EPOLICY);
	assert_int_equal(err.line, 21);
	assert_string_equal(err.msg, "publish template '-{semver}' renders "
			    "'-1.4.0', which is not a valid image tag: starts "
			    "with '-'");

	/* a control byte is not copied into the one-line message */
	memset(&p, 0, sizeof(p));
	pol_add(&p, "a\nb", TP_WHEN_ALWAYS);
	err = render_fail(&p, &b, TP_EPOLICY);
	assert_string_equal(err.msg, "publish template 'a?b' renders 'a?b', "
			    "which is not a valid image tag: invalid control "
			    "character 0x0a at offset 1");

	/* a skipped template is never checked: it renders nothing */
	assert_skip_one("bad+tag", TP_WHEN_BRANCH, &b,
			"when: branch but this build has version 1.4.0");
}

/* ------------------------------------------------------------------ */
/* the CI's branch variables                                           */
/* ------------------------------------------------------------------ */

/* A fake environment: "NAME=value" strings, NULL-terminated. */
static const char *
fake_getenv(const char *name, void *payload)
{
	const char *const *env = payload;
	size_t n = strlen(name);

	for (; *env != NULL; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

static void
assert_env_branch(const char *const *env, const char *want,
		  const char *want_var)
{
	const char *var = "(untouched)", *got;

	got = tp_publish_env_branch(&var, fake_getenv, (void *)(uintptr_t)env);
	CHECK((got == NULL && want == NULL) ||
		      (got != NULL && want != NULL && strcmp(got, want) == 0),
	      "env starting with '%s': got '%s', want '%s'",
	      env[0] ? env[0] : "(none)", got ? got : "(null)",
	      want ? want : "(null)");
	CHECK((var == NULL && want_var == NULL) ||
		      (var != NULL && want_var != NULL &&
		       strcmp(var, want_var) == 0),
	      "variable: got '%s', want '%s'", var ? var : "(null)",
	      want_var ? want_var : "(null)");
}

static void
test_env_branch(void **state)
{
	const char *none[] = { "HOME=/root", "BRANCH=x", NULL };
	const char *gh_pr[] = { "BRANCH_NAME=j", "GITHUB_REF_NAME=15/merge",
				"GITHUB_REF_TYPE=branch",
				"GITHUB_HEAD_REF=feat/x", NULL };
	const char *gh_pr_empty[] = { "GITHUB_HEAD_REF=",
				      "GITHUB_REF_NAME=main",
				      "GITHUB_REF_TYPE=branch",
				      "CI_COMMIT_BRANCH=gl", NULL };
	const char *gh_tag[] = { "GITHUB_HEAD_REF=", "GITHUB_REF_NAME=v1.4.0",
				 "GITHUB_REF_TYPE=tag", "CHANGE_BRANCH=jb",
				 NULL };
	const char *gh_notype[] = { "GITHUB_REF_NAME=main", NULL };
	const char *gh_type_case[] = { "GITHUB_REF_NAME=main",
				       "GITHUB_REF_TYPE=Branch", NULL };
	const char *gitlab_mr[] = { "CI_COMMIT_BRANCH=main",
				    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=mr",
				    NULL };
	const char *gitlab[] = { "BRANCH_NAME=j", "CI_COMMIT_BRANCH=dev",
				 NULL };
	const char *jenkins_pr[] = { "BRANCH_NAME=PR-12",
				     "CHANGE_BRANCH=feature/y", NULL };
	const char *jenkins[] = { "CHANGE_BRANCH=", "BRANCH_NAME=main", NULL };
	const char *empty[] = { "GITHUB_HEAD_REF=", "GITHUB_REF_NAME=",
				"GITHUB_REF_TYPE=branch",
				"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=",
				"CI_COMMIT_BRANCH=", "CHANGE_BRANCH=",
				"BRANCH_NAME=", NULL };

	(void)state;
	assert_env_branch(none, NULL, NULL);
	assert_env_branch(gh_pr, "feat/x", "GITHUB_HEAD_REF");
	assert_env_branch(gh_pr_empty, "main", "GITHUB_REF_NAME");
	assert_env_branch(gh_tag, "jb", "CHANGE_BRANCH");
	assert_env_branch(gh_notype, NULL, NULL);
	assert_env_branch(gh_type_case, NULL, NULL);
	assert_env_branch(gitlab_mr, "mr",
			  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
	assert_env_branch(gitlab, "dev", "CI_COMMIT_BRANCH");
	assert_env_branch(jenkins_pr, "feature/y", "CHANGE_BRANCH");
	assert_env_branch(jenkins, "main", "BRANCH_NAME");
	assert_env_branch(empty, NULL, NULL);
	/* out_var may be NULL */
	assert_string_equal(tp_publish_env_branch(NULL, fake_getenv,
						  (void *)(uintptr_t)gitlab),
			    "dev");
}

/* ------------------------------------------------------------------ */
/* --image and the output formats                                      */
/* ------------------------------------------------------------------ */

static void
assert_image(const char *name, int code, const char *msg)
{
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_publish_image_check(name, &err);
	CHECK(rc == code, "image '%s': got %d (%s), want %d", name, rc,
	      err.msg, code);
	if (msg != NULL)
		CHECK(strcmp(err.msg, msg) == 0,
		      "image '%s':\n  got:  %s\n  want: %s", name, err.msg,
		      msg);
}

static void
test_image_check(void **state)
{
	struct tp_error err;

	(void)state;
	assert_image("app", 0, "");
	assert_image("user/app", 0, "");
	assert_image("ghcr.io/org/app", 0, "");
	assert_image("localhost:5000/team/app", 0, "");
	assert_image("GHCR.IO/org/app", 0, "");
	assert_image("ghcr.io/MyUser/app", TP_EINVAL,
		     "invalid image name 'ghcr.io/MyUser/app': repository "
		     "name must be lowercase");
	assert_image("", TP_EINVAL,
		     "invalid image name '': repository name must have at "
		     "least one component");
	assert_image("app/", TP_EINVAL,
		     "invalid image name 'app/': invalid reference format");
	assert_image("app:1.0", TP_EINVAL, "image name 'app:1.0' has a tag");
	assert_image("localhost:8080", TP_EINVAL,
		     "image name 'localhost:8080' has a tag");
	assert_image("app@sha256:"
		     "0123456789abcdef0123456789abcdef"
		     "0123456789abcdef0123456789abcdef",
		     TP_EINVAL,
		     "image name 'app@sha256:0123456789abcdef0123456789abcdef"
		     "0123456789abcdef0123456789abcdef' has a digest");
	tp_error_init(&err);
	tp_publish_image_check("app:v1", &err);
	assert_string_equal(err.hint,
			    "give the name only: the tags come from the policy");
}

/* The small release result the format tests print. */
static void
format_result(struct tp_publish_result *r, const char *version)
{
	struct tp_publish_build b;
	struct tp_version v;
	struct pol p;

	memset(&p, 0, sizeof(p));
	pol_add(&p, "{semver}", TP_WHEN_ALWAYS);
	pol_add(&p, "{major}", TP_WHEN_ALWAYS);
	pol_add(&p, "latest", TP_WHEN_ALWAYS);
	pol_add(&p, "edge", TP_WHEN_BRANCH);
	if (version != NULL) {
		ver(&v, version);
		b = build_for(&v);
	} else {
		b = build_for(NULL);
	}
	render_ok(r, &p, &b);
}

static void
assert_write(const struct tp_publish_result *r, const char *const *images,
	     size_t nimages, enum tp_publish_fmt fmt, const char *want)
{
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_publish_write(&out, r, images, nimages, fmt, &err);
	CHECK(rc == 0, "write (format %d): %s", (int)fmt, err.msg);
	CHECK(strcmp(out.ptr, want) == 0,
	      "format %d\n--- got:\n%s\n--- want:\n%s", (int)fmt, out.ptr,
	      want);
	tp_buf_release(&out);
}

static void
test_write_lines(void **state)
{
	static const char *const images[] = { "ghcr.io/org/app", "app",
					      "ghcr.io/org/app" };
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;

	(void)state;
	format_result(&r, "1.4.0");
	assert_write(&r, NULL, 0, TP_PUBLISH_LINES, "1.4.0\n1\nlatest\n");
	assert_write(&r, images, 1, TP_PUBLISH_LINES,
		     "ghcr.io/org/app:1.4.0\n"
		     "ghcr.io/org/app:1\n"
		     "ghcr.io/org/app:latest\n");
	assert_write(&r, images, 3, TP_PUBLISH_LINES,
		     "ghcr.io/org/app:1.4.0\n"
		     "ghcr.io/org/app:1\n"
		     "ghcr.io/org/app:latest\n"
		     "app:1.4.0\n"
		     "app:1\n"
		     "app:latest\n");
	tp_publish_result_release(&r);
	/* nothing to render: empty output */
	format_result(&r, "2.0.0-rc.1");
	assert_write(&r, NULL, 0, TP_PUBLISH_LINES, "2.0.0-rc.1\n");
	tp_publish_result_release(&r);
	assert_write(&r, NULL, 0, TP_PUBLISH_LINES, "");
	assert_write(&r, images, 2, TP_PUBLISH_LINES, "");
}

static void
test_write_docker(void **state)
{
	static const char *const images[] = { "ghcr.io/org/app", "app" };
	static const char *const bad[] = { "app", "App" };
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;

	(void)state;
	format_result(&r, "1.4.0");
	assert_write(&r, images, 2, TP_PUBLISH_DOCKER,
		     "-t ghcr.io/org/app:1.4.0\n"
		     "-t ghcr.io/org/app:1\n"
		     "-t ghcr.io/org/app:latest\n"
		     "-t app:1.4.0\n"
		     "-t app:1\n"
		     "-t app:latest\n");
	tp_error_init(&err);
	assert_int_equal(tp_publish_write(&out, &r, NULL, 0,
					  TP_PUBLISH_DOCKER, &err),
			 TP_EINVAL);
	assert_string_equal(err.msg, "the docker format needs an image name");
	assert_int_equal(out.len, 0);
	/* a bad image fails before anything is written, in every format */
	tp_error_init(&err);
	assert_int_equal(tp_publish_write(&out, &r, bad, 2, TP_PUBLISH_LINES,
					  &err),
			 TP_EINVAL);
	assert_string_equal(err.msg, "invalid image name 'App': repository "
			    "name must be lowercase");
	assert_int_equal(out.len, 0);
	tp_error_init(&err);
	assert_int_equal(tp_publish_write(&out, &r, bad, 2, TP_PUBLISH_JSON,
					  &err),
			 TP_EINVAL);
	assert_int_equal(out.len, 0);
	tp_publish_result_release(&r);
	/* no tags with images: empty output, no error */
	assert_write(&r, images, 2, TP_PUBLISH_DOCKER, "");
	tp_buf_release(&out);
}

static void
test_write_json(void **state)
{
	static const char *const images[] = { "ghcr.io/org/app", "app",
					      "app" };
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_json *doc = NULL;

	(void)state;
	format_result(&r, "1.4.0+b.1");
	assert_write(&r, images, 3, TP_PUBLISH_JSON,
		     "{\"version\":\"1.4.0+b.1\","
		     "\"tags\":[\"1.4.0\",\"1\",\"latest\"],"
		     "\"references\":[\"ghcr.io/org/app:1.4.0\","
		     "\"ghcr.io/org/app:1\",\"ghcr.io/org/app:latest\","
		     "\"app:1.4.0\",\"app:1\",\"app:latest\"],"
		     "\"skipped\":[{\"template\":\"edge\",\"reason\":"
		     "\"when: branch but this build has version "
		     "1.4.0+b.1\"}]}\n");
	/* ...and it is one JSON document */
	assert_int_equal(tp_publish_write(&out, &r, images, 3,
					  TP_PUBLISH_JSON, NULL), 0);
	assert_int_equal(tp_json_parse(&doc, out.ptr, out.len, NULL), 0);
	assert_int_equal(tp_json_len(tp_json_get(doc, "references")), 6);
	tp_json_free(doc);
	tp_buf_release(&out);
	tp_publish_result_release(&r);

	format_result(&r, NULL);
	assert_write(&r, NULL, 0, TP_PUBLISH_JSON,
		     "{\"version\":null,\"tags\":[\"edge\"],"
		     "\"references\":[],"
		     "\"skipped\":["
		     "{\"template\":\"{semver}\",\"reason\":"
		     "\"no version on a branch build\"},"
		     "{\"template\":\"{major}\",\"reason\":"
		     "\"no version on a branch build\"},"
		     "{\"template\":\"latest\",\"reason\":"
		     "\"latest is rendered only for a release: this is a "
		     "branch build\"}]}\n");
	tp_publish_result_release(&r);
	assert_write(&r, NULL, 0, TP_PUBLISH_JSON,
		     "{\"version\":null,\"tags\":[],\"references\":[],"
		     "\"skipped\":[]}\n");
}

/* ------------------------------------------------------------------ */
/* metadata-action.tsv                                                 */
/* ------------------------------------------------------------------ */

/*
 * Each row is a docker/metadata-action run: a GitHub event, a ref, a
 * commit, `tags` entries in metadata-action's syntax, a flavor and the
 * image references it printed.  A row is used when its entries translate
 * into a publish list of ours (type=semver patterns of {{version}},
 * {{major}}, {{minor}}, {{patch}}; type=edge as "edge" with when: branch;
 * type=ref,event=branch as {branch}; type=sha as "sha-{sha}" (or
 * {sha40}); type=raw with {{branch}}, {{sha}} and {{date 'FMT'}}; entries
 * ordered by priority; flavor latest=auto as a final "latest" template)
 * and where our spec agrees with metadata-action's result.  The others
 * are left out with the first reason that applies (see ma_translate()).
 * The build: a refs/tags/ ref that is a version (a `v` dropped) is the
 * version, as `value=` of a semver entry; a refs/heads/ ref is the branch;
 * the vector's commit and date; `latest` allowed (the rows know of no
 * other tag).
 */
static size_t col_ref, col_sha, col_date, col_defbranch;
static size_t col_images, col_tags, col_flavor, col_expected;

#define R_DEFAULT "empty tags input: the default entries use ref,event=tag"
#define R_PEP440 "type=pep440: PEP 440 versions are out of scope"
#define R_MATCH "type=match: no regex capture of the git tag"
#define R_SCHEDULE "type=schedule: no condition on the CI event"
#define R_REFTAG "type=ref,event=tag: no field holds the git tag name"
#define R_REFPR "type=ref,event=pr: no field holds the pull request number"
#define R_RAWVER "{{raw}}: the git tag verbatim; our versions have no v"
#define R_SEMVER_MATCH "semver match=: no regex narrowing of the version"
#define R_HB_TAG "{{tag}}: no field holds the git tag name"
#define R_HB_BASEREF "{{base_ref}}: no field holds the base branch"
#define R_HB_COMMITDATE "{{commit_date}}: we render the build time only"
#define R_HB_TZ "{{date}} with tz=: our dates are UTC only"
#define R_HB_FORMAT "{{date}} format outside our fields"
#define R_ENABLE "enable={{...}}: no condition on the default branch"
#define R_FLAVOR "flavor prefix/suffix/latest=true: no such setting"
#define R_IMAGE_ATTR "image attributes (enable=): not expressible"
#define R_IMAGE_CASE "upper-case image name: metadata-action lower-cases " \
	"it, ours refuses it (exit 2)"
#define R_EDGE_BRANCH "type=edge for another branch: when: branch has " \
	"no branch filter"
#define R_EDGE_NOBRANCH "type=edge off a branch push: when: branch " \
	"renders on any build without a version"
#define R_EDGE_VERSION "type=edge on a build with a version: when: " \
	"branch means no version"
#define R_PRE_FLOAT "spec differs: metadata-action renders {{version}} " \
	"for a prerelease, ours skips the floating tag"
#define R_ZERO "spec differs: ours skips {major} while major is 0"
#define R_LATEST_FIRST "spec differs: metadata-action takes latest from " \
	"the first entry's type, ours from the version"
#define R_BRANCH_CASE "spec differs: ours lower-cases {branch}"
#define R_BRANCH_EMPTY "{{branch}} off a branch is empty text, ours " \
	"skips the template"
#define R_OTHER "an attribute or expression with no equivalent"

struct ma {
	struct pol pol;
	struct tp_version v;
	char vtext[128];
	char branch[256];
	char commit[65];
	const char *images[8];
	char imgtext[8][128];
	size_t nimages;
	struct tp_publish_build b;
};

/* One `key=value` field of an entry; key "" for a bare value. */
struct kv {
	char key[32];
	char val[256];
};

/* metadata-action's CSV: commas split, double quotes protect. */
static size_t
csv_split(const char *s, struct kv *out, size_t max)
{
	char field[256];
	size_t n = 0, o = 0;
	int inq = 0;
	const char *eq;

	for (;; s++) {
		if (*s == '"') {
			inq = !inq;
			continue;
		}
		if (*s != '\0' && (*s != ',' || inq)) {
			if (o + 1 < sizeof(field))
				field[o++] = *s;
			continue;
		}
		field[o] = '\0';
		if (n < max) {
			eq = strchr(field, '=');
			memset(&out[n], 0, sizeof(out[n]));
			if (eq != NULL) {
				snprintf(out[n].key, sizeof(out[n].key),
					 "%.*s", (int)(eq - field), field);
				snprintf(out[n].val, sizeof(out[n].val), "%s",
					 eq + 1);
			} else {
				snprintf(out[n].val, sizeof(out[n].val), "%s",
					 field);
			}
			n++;
		}
		o = 0;
		if (*s == '\0')
			break;
	}
	return n;
}

/*
 * Translates metadata-action's handlebars in a raw value or a semver
 * pattern into a template of ours; NULL or the reason it cannot.
 */
static const char *
hb_translate(char *out, size_t size, const char *in, int semver)
{
	struct tp_buf b = TP_BUF_INIT;
	const char *why = NULL, *end, *rep;
	char expr[128];

	while (*in != '\0' && why == NULL) {
		if (*in == '{' && in[1] == '{' && (end = strstr(in, "}}"))) {
			snprintf(expr, sizeof(expr), "%.*s",
				 (int)(end - in - 2), in + 2);
			in = end + 2;
			rep = NULL;
			if (semver && strcmp(expr, "version") == 0)
				rep = "{semver}";
			else if (semver && strcmp(expr, "major") == 0)
				rep = "{major}";
			else if (semver && strcmp(expr, "minor") == 0)
				rep = "{minor}";
			else if (semver && strcmp(expr, "patch") == 0)
				rep = "{patch}";
			else if (semver && strcmp(expr, "raw") == 0)
				why = R_RAWVER;
			else if (!semver && strcmp(expr, "branch") == 0)
				rep = "{branch}";
			else if (!semver && strcmp(expr, "sha") == 0)
				rep = "{sha}";
			else if (!semver && strcmp(expr, "tag") == 0)
				why = R_HB_TAG;
			else if (!semver && strcmp(expr, "base_ref") == 0)
				why = R_HB_BASEREF;
			else if (strncmp(expr, "commit_date", 11) == 0)
				why = R_HB_COMMITDATE;
			else if (strstr(expr, "tz=") != NULL)
				why = R_HB_TZ;
			else if (strcmp(expr, "date 'YYYYMMDD'") == 0)
				rep = "{date}";
			else if (strcmp(expr, "date 'YYYYMMDD-HHmmss'") == 0)
				rep = "{dtime}";
			else if (strncmp(expr, "date", 4) == 0)
				why = R_HB_FORMAT;
			else
				why = R_OTHER;
			if (rep != NULL)
				assert_int_equal(tp_buf_puts(&b, rep), 0);
		} else if (*in == '{' || *in == '}') {
			why = R_OTHER; /* ours has no escape for braces */
		} else {
			assert_int_equal(tp_buf_putc(&b, *in++), 0);
		}
	}
	snprintf(out, size, "%s", b.ptr);
	tp_buf_release(&b);
	return why;
}

/* One translated entry before the priority sort. */
struct ma_entry {
	char tmpl[256];
	enum tp_when when;
	long prio;
	int semver;
	int uses_branch;
	int floating;  /* a semver pattern other than {{version}} */
	int bare_major; /* {{major}} without minor, patch or version */
	const char *edge_branch; /* type=edge: the branch it is for */
};

static int
has_upper(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	return 0;
}

/* Reads a JSON array of strings into `out`; returns the count. */
static size_t
json_strings(const char *json, char out[][256], size_t max)
{
	struct tp_json *doc = NULL;
	size_t i, n;

	CHECK(tp_json_parse(&doc, json, strlen(json), NULL) == 0,
	      "bad JSON: %s", json);
	n = tp_json_len(doc);
	CHECK(n <= max, "too many strings in %s", json);
	for (i = 0; i < n; i++)
		snprintf(out[i], 256, "%s",
			 tp_json_string(tp_json_at(doc, i), NULL));
	tp_json_free(doc);
	return n;
}

static void
ma_version(struct ma *m, const char *s)
{
	if (*s == 'v')
		s++;
	snprintf(m->vtext, sizeof(m->vtext), "%s", s);
	if (tp_version_parse(&m->v, m->vtext, strlen(m->vtext), NULL) == 0)
		m->b.version = &m->v;
}

/*
 * Builds `m` from the row; returns NULL, or the reason the row is left
 * out.
 */
static const char *
ma_translate(const struct tsv_row *row, struct ma *m)
{
	static char strs[16][256];
	struct ma_entry ent[16], tmp;
	struct kv kv[12];
	const char *ref = tsv_get(row, col_ref), *why;
	const char *defbranch = tsv_get(row, col_defbranch);
	const char *type, *edge_branch, *value, *pattern, *prefix, *suffix;
	int latest_auto = 1, on_branch, enable;
	size_t n, i, j, k, nkv, nent = 0;
	struct tp_date_fmt *iso = NULL;
	int64_t t = 0;

	memset(m, 0, sizeof(*m));
	m->b.latest = 1;
	on_branch = strncmp(ref, "refs/heads/", 11) == 0;
	if (on_branch) {
		snprintf(m->branch, sizeof(m->branch), "%s", ref + 11);
		m->b.branch = m->branch;
	}
	if (strncmp(ref, "refs/tags/", 10) == 0)
		ma_version(m, ref + 10);
	if (tsv_len(row, col_sha) > 0) {
		snprintf(m->commit, sizeof(m->commit), "%s",
			 tsv_get(row, col_sha));
		m->b.commit = m->commit;
	}
	if (tsv_len(row, col_date) >= 19) {
		assert_int_equal(tp_date_fmt_compile(&iso, "%Y-%m-%dT%H:%M:%S",
						     NULL), 0);
		assert_int_equal(tp_date_parse(&t, iso, tsv_get(row, col_date),
					       19, NULL, 0), 1);
		tp_date_fmt_free(iso);
	}
	m->b.time = t;

	n = json_strings(tsv_get(row, col_images), strs, 16);
	for (i = 0; i < n && i < 8; i++) {
		if (strchr(strs[i], ',') != NULL || strchr(strs[i], '=') != NULL)
			return R_IMAGE_ATTR;
		if (has_upper(strs[i]))
			return R_IMAGE_CASE;
		snprintf(m->imgtext[i], sizeof(m->imgtext[i]), "%.127s",
			 strs[i]);
		m->images[m->nimages++] = m->imgtext[i];
	}
	n = json_strings(tsv_get(row, col_flavor), strs, 16);
	for (i = 0; i < n; i++) {
		if (strcmp(strs[i], "latest=false") == 0)
			latest_auto = 0;
		else if (strcmp(strs[i], "latest=auto") != 0)
			return R_FLAVOR;
	}

	n = json_strings(tsv_get(row, col_tags), strs, 16);
	if (n == 0)
		return R_DEFAULT;
	for (i = 0; i < n; i++) {
		struct ma_entry *e = &ent[nent];
		char core[256], full[512];

		nkv = csv_split(strs[i], kv, 12);
		type = "raw";
		value = pattern = prefix = suffix = edge_branch = NULL;
		enable = 1;
		memset(e, 0, sizeof(*e));
		e->when = TP_WHEN_ALWAYS;
		e->prio = -1;
		for (k = 0; k < nkv; k++) {
			if (strcmp(kv[k].key, "type") == 0)
				type = kv[k].val;
		}
		for (k = 0; k < nkv; k++) {
			const char *key = kv[k].key, *val = kv[k].val;

			if (strcmp(key, "type") == 0)
				continue;
			if (strcmp(key, "") == 0 || strcmp(key, "value") == 0)
				value = val;
			else if (strcmp(key, "pattern") == 0)
				pattern = val;
			else if (strcmp(key, "prefix") == 0)
				prefix = val;
			else if (strcmp(key, "suffix") == 0)
				suffix = val;
			else if (strcmp(key, "priority") == 0)
				e->prio = strtol(val, NULL, 10);
			else if (strcmp(key, "enable") == 0 &&
				 strcmp(val, "false") == 0)
				enable = 0;
			else if (strcmp(key, "enable") == 0 &&
				 strcmp(val, "true") != 0)
				return R_ENABLE;
			else if (strcmp(key, "enable") == 0)
				continue;
			else if (strcmp(key, "branch") == 0 &&
				 strcmp(type, "edge") == 0)
				edge_branch = val;
			else if (strcmp(key, "event") == 0 &&
				 strcmp(type, "ref") == 0)
				continue;
			else if (strcmp(key, "format") == 0 &&
				 strcmp(type, "sha") == 0)
				continue;
			else if (strcmp(key, "match") == 0 &&
				 strcmp(type, "semver") == 0)
				return R_SEMVER_MATCH;
			else if (strcmp(type, "pep440") != 0 &&
				 strcmp(type, "match") != 0 &&
				 strcmp(type, "schedule") != 0)
				return R_OTHER;
		}
		/* a disabled entry is as if not written, whatever its type */
		if (!enable)
			continue;
		if (strcmp(type, "pep440") == 0)
			return R_PEP440;
		if (strcmp(type, "match") == 0)
			return R_MATCH;
		if (strcmp(type, "schedule") == 0)
			return R_SCHEDULE;
		core[0] = '\0';
		if (strcmp(type, "semver") == 0) {
			e->semver = 1;
			if (e->prio < 0)
				e->prio = 900;
			why = hb_translate(core, sizeof(core),
					   pattern ? pattern : "", 1);
			if (why != NULL)
				return why;
			e->floating = strcmp(core, "{semver}") != 0;
			e->bare_major = strstr(core, "{major}") != NULL &&
					strstr(core, "{minor}") == NULL &&
					strstr(core, "{patch}") == NULL &&
					strstr(core, "{semver}") == NULL;
			if (value != NULL)
				ma_version(m, value);
		} else if (strcmp(type, "edge") == 0) {
			if (e->prio < 0)
				e->prio = 700;
			e->edge_branch = edge_branch ? edge_branch : defbranch;
			snprintf(core, sizeof(core), "edge");
			e->when = TP_WHEN_BRANCH;
		} else if (strcmp(type, "ref") == 0) {
			if (e->prio < 0)
				e->prio = 600;
			for (k = 0; k < nkv; k++) {
				if (strcmp(kv[k].key, "event") != 0)
					continue;
				if (strcmp(kv[k].val, "tag") == 0)
					return R_REFTAG;
				if (strcmp(kv[k].val, "pr") == 0)
					return R_REFPR;
				if (strcmp(kv[k].val, "branch") != 0)
					return R_OTHER;
			}
			snprintf(core, sizeof(core), "{branch}");
			e->uses_branch = 1;
		} else if (strcmp(type, "sha") == 0) {
			if (e->prio < 0)
				e->prio = 100;
			if (prefix == NULL)
				prefix = "sha-";
			snprintf(core, sizeof(core), "{sha}");
			for (k = 0; k < nkv; k++)
				if (strcmp(kv[k].key, "format") == 0 &&
				    strcmp(kv[k].val, "long") == 0)
					snprintf(core, sizeof(core),
						 "{sha40}");
		} else if (strcmp(type, "raw") == 0) {
			if (e->prio < 0)
				e->prio = 200;
			snprintf(full, sizeof(full), "%s%s%s",
				 prefix ? prefix : "", value ? value : "",
				 suffix ? suffix : "");
			if (!on_branch && strstr(full, "{{branch}}") != NULL &&
			    strcmp(full, "{{branch}}") != 0)
				return R_BRANCH_EMPTY;
			why = hb_translate(core, sizeof(core),
					   value ? value : "", 0);
			if (why != NULL)
				return why;
			e->uses_branch = strstr(core, "{branch}") != NULL;
		} else {
			return R_OTHER;
		}
		if ((prefix && strstr(prefix, "{{")) ||
		    (suffix && strstr(suffix, "{{")))
			return R_OTHER;
		snprintf(e->tmpl, sizeof(e->tmpl), "%s%s%s",
			 prefix ? prefix : "", core, suffix ? suffix : "");
		nent++;
	}
	/* metadata-action processes entries by descending priority, stably */
	for (i = 1; i < nent; i++) {
		tmp = ent[i];
		for (j = i; j > 0 && ent[j - 1].prio < tmp.prio; j--)
			ent[j] = ent[j - 1];
		ent[j] = tmp;
	}
	for (i = 0; i < nent; i++) {
		/* metadata-action: edge only on its branch, version or not */
		if (ent[i].edge_branch != NULL) {
			if (on_branch &&
			    strcmp(m->branch, ent[i].edge_branch) == 0) {
				if (m->b.version != NULL)
					return R_EDGE_VERSION;
			} else if (on_branch) {
				if (m->b.version == NULL)
					return R_EDGE_BRANCH;
			} else if (m->b.version == NULL) {
				return R_EDGE_NOBRANCH;
			}
		}
		if (ent[i].uses_branch && has_upper(m->branch))
			return R_BRANCH_CASE;
		if (ent[i].semver && m->b.version != NULL &&
		    m->v.pre_len > 0 && ent[i].floating)
			return R_PRE_FLOAT;
		if (ent[i].semver && m->b.version != NULL &&
		    ent[i].bare_major && m->v.major_len == 1 &&
		    m->v.str[0] == '0')
			return R_ZERO;
	}
	if (latest_auto && m->b.version != NULL && m->v.pre_len == 0 &&
	    (nent == 0 || !ent[0].semver))
		return R_LATEST_FIRST;
	for (i = 0; i < nent; i++)
		pol_add(&m->pol, ent[i].tmpl, ent[i].when);
	if (latest_auto)
		pol_add(&m->pol, "latest", TP_WHEN_ALWAYS);
	return NULL;
}

static int
ma_want(const struct tsv *t, const struct tsv_row *row)
{
	struct ma *m = malloc(sizeof(*m));
	int ok;

	(void)t;
	if (m == NULL)
		abort();
	ok = ma_translate(row, m) == NULL;
	free(m);
	return ok;
}

static void
test_ma_row(void **state)
{
	const struct tsv_row *row = *state;
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_buf out = TP_BUF_INIT, want = TP_BUF_INIT;
	static char exp[32][256];
	struct tp_error err;
	struct ma *m = malloc(sizeof(*m));
	const char *why;
	size_t i, n;

	assert_non_null(m);
	why = ma_translate(row, m);
	CHECK(why == NULL, "line %u: %s", row->lineno, why);
	render_ok(&r, &m->pol, &m->b);
	tp_error_init(&err);
	CHECK(tp_publish_write(&out, &r, m->images, m->nimages,
			       TP_PUBLISH_LINES, &err) == 0,
	      "line %u: %s", row->lineno, err.msg);
	n = json_strings(tsv_get(row, col_expected), exp, 32);
	for (i = 0; i < n; i++)
		assert_int_equal(tp_buf_printf(&want, "%s\n", exp[i]), 0);
	if (strcmp(out.ptr, want.ptr) != 0) {
		print_error("line %u (%s):\n--- got:\n%s--- want:\n%s",
			    row->lineno, tsv_get(row, 0), out.ptr, want.ptr);
		for (i = 0; i < m->pol.n; i++)
			print_error("template %zu: %s\n", i,
				    m->pol.e[i].template);
		for (i = 0; i < r.nskipped; i++)
			print_error("skipped %s: %s\n",
				    r.skipped[i].template,
				    r.skipped[i].reason);
		fail();
	}
	tp_publish_result_release(&r);
	tp_buf_release(&out);
	tp_buf_release(&want);
	free(m);
}

/* How many rows translate; main() prints the reasons of the others. */
#define MA_TRANSLATED 16

static struct tsv *ma_vectors;

static size_t
ma_count(int print)
{
	static const char *const reasons[] = {
		R_DEFAULT, R_PEP440, R_MATCH, R_SCHEDULE, R_REFTAG, R_REFPR,
		R_RAWVER, R_SEMVER_MATCH, R_HB_TAG, R_HB_BASEREF,
		R_HB_COMMITDATE, R_HB_TZ, R_HB_FORMAT, R_ENABLE, R_FLAVOR,
		R_IMAGE_ATTR, R_IMAGE_CASE, R_EDGE_BRANCH, R_EDGE_NOBRANCH,
		R_EDGE_VERSION, R_PRE_FLOAT, R_ZERO, R_LATEST_FIRST,
		R_BRANCH_CASE, R_BRANCH_EMPTY, R_OTHER
	};
	size_t count[sizeof(reasons) / sizeof(reasons[0])] = { 0 };
	size_t i, k, ok = 0;
	struct ma *m = malloc(sizeof(*m));
	const char *why;

	if (m == NULL)
		abort();
	for (i = 0; i < ma_vectors->nrows; i++) {
		why = ma_translate(&ma_vectors->rows[i], m);
		if (why == NULL) {
			ok++;
			continue;
		}
		for (k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++)
			if (strcmp(why, reasons[k]) == 0)
				count[k]++;
	}
	if (print) {
		fprintf(stderr, "metadata-action.tsv: %zu rows, %zu "
			"translated, %zu left out:\n", ma_vectors->nrows, ok,
			ma_vectors->nrows - ok);
		for (k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++)
			if (count[k] > 0)
				fprintf(stderr, "  %3zu  %s\n", count[k],
					reasons[k]);
	}
	free(m);
	return ok;
}

static void
test_ma_count(void **state)
{
	(void)state;
	assert_int_equal(ma_count(0), MA_TRANSLATED);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	int rc;

	fields_setup();
	ma_vectors = tsv_load("metadata-action.tsv");
	col_ref = tsv_col(ma_vectors, "ref");
	col_sha = tsv_col(ma_vectors, "sha");
	col_date = tsv_col(ma_vectors, "date_utc");
	col_defbranch = tsv_col(ma_vectors, "default_branch");
	col_images = tsv_col(ma_vectors, "images_json");
	col_tags = tsv_col(ma_vectors, "tags_input_json");
	col_flavor = tsv_col(ma_vectors, "flavor_input_json");
	col_expected = tsv_col(ma_vectors, "expected_tags_json");

	tlist_unit(&l, test_example_release);
	tlist_unit(&l, test_example_prerelease);
	tlist_unit(&l, test_example_old_line);
	tlist_unit(&l, test_example_zero_major);
	tlist_unit(&l, test_prerelease_parts);
	tlist_unit(&l, test_branch_build);
	tlist_unit(&l, test_branch_sanitize);
	tlist_unit(&l, test_branch_length);
	tlist_unit(&l, test_build_metadata);
	tlist_unit(&l, test_dedup);
	tlist_unit(&l, test_when);
	tlist_unit(&l, test_latest);
	tlist_unit(&l, test_values);
	tlist_unit(&l, test_sha);
	tlist_unit(&l, test_date);
	tlist_unit(&l, test_invalid_template);
	tlist_unit(&l, test_env_branch);
	tlist_unit(&l, test_image_check);
	tlist_unit(&l, test_write_lines);
	tlist_unit(&l, test_write_docker);
	tlist_unit(&l, test_write_json);
	tlist_unit(&l, test_ma_count);
	tlist_add_tsv(&l, ma_vectors, test_ma_row, ma_want);
	ma_count(1);
	rc = tlist_run(&l, "publish");
	tsv_free(ma_vectors);
	fields_teardown();
	return rc;
}
