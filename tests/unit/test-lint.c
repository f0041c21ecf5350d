/*
 * test-lint.c: the lint engine: kind matching and field checks, the
 * normative policy of policy.md, suggestions and the nearest kind, input
 * problems, image references, --kind and --strict, set problems, summary
 * counts and the JSON report; the image-tag, image-ref, refname,
 * git-tagname and tag-components vectors through the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "lint.h"
#include "listin.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static struct tp_lint *
run_new(const struct tp_policy *p, int scope, const char *kind, int strict)
{
	struct tp_lint_opts o = TP_LINT_OPTS_INIT;
	struct tp_lint *run = NULL;
	struct tp_error err;

	o.scope = scope;
	o.kind = kind;
	o.strict = strict;
	tp_error_init(&err);
	if (tp_lint_new(&run, p, &o, &err) < 0) {
		print_error("tp_lint_new: %s\n", err.msg);
		fail();
	}
	return run;
}

static struct tp_tagres *
add_n(struct tp_lint *run, const char *tag, size_t len, int scope)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *t = NULL;

	in.text = tag;
	in.len = len;
	in.scope = scope;
	assert_int_equal(tp_lint_add(run, &in, &t, NULL), 0);
	assert_non_null(t);
	/* the same result, writable (tp_lint_nearest takes one) */
	assert_ptr_equal(t, tp_lint_at(run, tp_lint_count(run) - 1));
	return tp_lint_at(run, tp_lint_count(run) - 1);
}

static struct tp_tagres *
add(struct tp_lint *run, const char *tag, int scope)
{
	return add_n(run, tag, strlen(tag), scope);
}

static const struct tp_diag *
diag(const struct tp_tagres *t, const char *rule)
{
	const struct tp_diag *d;

	for (d = t->diags; d != NULL; d = d->next)
		if (strcmp(d->rule, rule) == 0)
			return d;
	return NULL;
}

static void
show(const struct tp_tagres *t)
{
	const struct tp_diag *d;

	print_error("tag '%s' (%s): kind %s, ok %d\n", t->text,
		    t->scope == TP_SCOPE_GIT ? "git" : "image",
		    t->kind ? t->kind->name : "(none)", t->ok);
	for (d = t->diags; d != NULL; d = d->next)
		print_error("  %s: %s [%s] suggestion %s\n",
			    d->level == TP_LEVEL_ERROR ? "error" : "warning",
			    d->message, d->rule,
			    d->suggestion ? d->suggestion : "(none)");
}

/* Asserts the kind (NULL: none) and the verdict of one tag. */
static void
expect(struct tp_lint *run, const char *tag, int scope, const char *kind,
       int ok)
{
	const struct tp_tagres *t = add(run, tag, scope);

	if ((kind == NULL) != (t->kind == NULL) ||
	    (kind != NULL && strcmp(kind, t->kind->name) != 0) || ok != t->ok) {
		print_error("want kind %s, ok %d\n", kind ? kind : "(none)",
			    ok);
		show(t);
		fail();
	}
}

static const char *
field(const struct tp_tagres *t, const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].field->name, name) == 0) {
			snprintf(buf, size, "%.*s", (int)t->fields[i].len,
				 t->tag + t->fields[i].off);
			return buf;
		}
	return NULL;
}

/* A policy where every tag has a kind: only charset can fail. */
static const char any_policy[] = "version: 1\n"
				 "fields:\n"
				 "  any: {pattern: '(?s).*'}\n"
				 "kinds:\n"
				 "  any: '{any}'\n"
				 "scopes:\n"
				 "  git: [any]\n"
				 "  image: [any]\n"
				 "rules:\n"
				 "  max-length: off\n"
				 "  duplicate-version: off\n";

static const char git_policy[] = "version: 1\n"
				 "kinds:\n"
				 "  release: 'v{semver}'\n"
				 "scopes:\n"
				 "  git: [release]\n"
				 "  image: []\n";

/* ------------------------------------------------------------------ */
/* The normative policy (policy.md), kept as a golden case too          */
/* ------------------------------------------------------------------ */

#define NORMATIVE "tests/cases/kind/policy-md/policy.yml"

static void
test_normative_kinds(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);

	(void)state;
	/* the comments of the kinds section, in order */
	expect(run, "v1.4.0-prod", TP_SCOPE_IMAGE, "env", 1);
	expect(run, "v1.4.0", TP_SCOPE_IMAGE, "release", 1);
	expect(run, "v1.5.0-rc.1", TP_SCOPE_IMAGE, "release", 1);
	expect(run, "1.4.0-abc1234", TP_SCOPE_IMAGE, "build", 1);
	expect(run, "1.4.0", TP_SCOPE_IMAGE, "version", 1);
	expect(run, "prod-20261127", TP_SCOPE_IMAGE, "nightly", 1);
	expect(run, "20261127", TP_SCOPE_IMAGE, "dated", 1);
	expect(run, "1.4", TP_SCOPE_IMAGE, "minor", 1);
	expect(run, "1", TP_SCOPE_IMAGE, "major", 1);
	expect(run, "latest", TP_SCOPE_IMAGE, "latest", 1);
	expect(run, "edge", TP_SCOPE_IMAGE, "edge", 1);
	/* an invalid dated tag, never a valid major */
	expect(run, "20261340", TP_SCOPE_IMAGE, "dated", 0);
	/* scope git: env and release, and the components */
	expect(run, "v1.4.0-prod", TP_SCOPE_GIT, "env", 1);
	expect(run, "v1.5.0-rc.1", TP_SCOPE_GIT, "release", 1);
	expect(run, "api/v1.2.0", TP_SCOPE_GIT, "api", 1);
	expect(run, "web/v2.0.0", TP_SCOPE_GIT, "web", 1);
	expect(run, "1.4.0", TP_SCOPE_GIT, NULL, 0);
	expect(run, "20261127", TP_SCOPE_GIT, NULL, 0);
	/* prerelease-ids [alpha, beta, rc] */
	expect(run, "v1.5.0-beta.2", TP_SCOPE_GIT, "release", 1);
	expect(run, "v1.5.0-pre.1", TP_SCOPE_GIT, "release", 0);
	/* the custom rule, scope image only */
	expect(run, "tmp-20261127", TP_SCOPE_IMAGE, NULL, 0);
	assert_non_null(
		diag(tp_lint_at(run, tp_lint_count(run) - 1), "no-temp"));
	/* max-length 128 */
	expect(run,
	       "1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	       "aaaaaaaaaaaaaaaaaa",
	       TP_SCOPE_IMAGE, "version", 0);
	assert_non_null(
		diag(tp_lint_at(run, tp_lint_count(run) - 1), "max-length"));
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_normative_fields(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);
	const struct tp_tagres *t;
	char buf[64];

	(void)state;
	t = add(run, "v1.4.0-prod", TP_SCOPE_IMAGE);
	assert_int_equal(t->nfields, 2);
	assert_string_equal(field(t, "semver", buf, sizeof(buf)), "1.4.0");
	assert_string_equal(field(t, "env", buf, sizeof(buf)), "prod");
	assert_true(t->has_version);
	assert_int_equal(t->version.pre_len, 0);
	t = add(run, "1.4", TP_SCOPE_IMAGE);
	assert_string_equal(field(t, "major", buf, sizeof(buf)), "1");
	assert_string_equal(field(t, "minor", buf, sizeof(buf)), "4");
	assert_true(t->has_version);
	assert_int_equal(t->version.patch_len, 0);
	t = add(run, "prod-20261127", TP_SCOPE_IMAGE);
	assert_string_equal(field(t, "date", buf, sizeof(buf)), "20261127");
	assert_false(t->has_version);
	assert_int_equal(t->fields[1].date, INT64_C(1795737600));
	t = add(run, "20261340", TP_SCOPE_IMAGE);
	assert_false(t->fields_ok);
	assert_non_null(diag(t, "kind"));
	assert_non_null(
		strstr(diag(t, "kind")->message, "month 13 is out of range"));
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_normative_sets(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	const struct tp_setprob *s;
	size_t dups = 0, gaps = 0;

	(void)state;
	add(run, "v1.2.3", -1);
	add(run, "1.2.3", -1);
	add(run, "1.2.3-abc1234", -1);
	add(run, "v1.4.0-staging", -1);
	add(run, "v1.4.0-prod", -1);
	add(run, "1.2.5", -1);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	for (s = tp_lint_set_problems(run); s != NULL; s = s->next) {
		if (strcmp(s->rule, "duplicate-version") == 0) {
			/* v1.2.3 beside 1.2.3, nothing else */
			assert_int_equal(s->ntags, 2);
			assert_string_equal(s->tags[0]->text, "v1.2.3");
			assert_string_equal(s->tags[1]->text, "1.2.3");
			assert_int_equal(s->level, TP_LEVEL_ERROR);
			dups++;
		} else if (strcmp(s->rule, "version-gap") == 0) {
			assert_string_equal(s->tags[0]->text, "1.2.3");
			assert_string_equal(s->tags[1]->text, "1.2.5");
			assert_int_equal(s->level, TP_LEVEL_WARNING);
			gaps++;
		} else {
			print_error("unexpected set problem %s: %s\n", s->rule,
				    s->message);
			fail();
		}
	}
	assert_int_equal(dups, 1);
	assert_int_equal(gaps, 1);
	assert_true(tp_lint_failed(run));
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Kind matching                                                       */
/* ------------------------------------------------------------------ */

static void
test_first_kind_wins(void **state)
{
	struct tp_policy *p =
		test_load_policy("version: 1\n"
		     "kinds:\n"
		     "  env: 'v{semver}-{env}'\n"
		     "  release: 'v{semver}'\n"
		     "scopes: {git: [env, release], image: [release, env]}\n");
	struct tp_lint *run = run_new(p, -1, NULL, 0);
	const struct tp_tagres *t;
	char buf[32];

	(void)state;
	/* git tries env first; image tries release first */
	t = add(run, "v1.4.0-prod", TP_SCOPE_GIT);
	assert_string_equal(t->kind->name, "env");
	t = add(run, "v1.4.0-prod", TP_SCOPE_IMAGE);
	assert_string_equal(t->kind->name, "release");
	assert_string_equal(field(t, "semver", buf, sizeof(buf)), "1.4.0-prod");
	assert_int_equal(t->version.pre_len, 4);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_whole_tag(void **state)
{
	struct tp_policy *p = test_load_policy(git_policy);
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);

	(void)state;
	expect(run, "v1.2.3", -1, "release", 1);
	expect(run, "v1.2.3x", -1, NULL, 0);
	expect(run, "xv1.2.3", -1, NULL, 0);
	expect(run, "v1.2.3\n", -1, NULL, 0);
	expect(run, "v01.2.3", -1, NULL, 0);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_pattern_field(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "fields:\n"
				   "  build: {pattern: 'b[0-9]+'}\n"
				   "kinds:\n"
				   "  ci: '{semver}-{build}'\n"
				   "scopes: {git: [], image: [ci]}\n");
	struct tp_lint *run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	const struct tp_tagres *t;
	char buf[32];

	(void)state;
	t = add(run, "1.2.3-b42", -1);
	assert_non_null(t->kind);
	assert_string_equal(field(t, "build", buf, sizeof(buf)), "b42");
	assert_string_equal(field(t, "semver", buf, sizeof(buf)), "1.2.3");
	expect(run, "1.2.3-x42", -1, NULL, 0);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_date_time_fields(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "fields:\n"
				   "  stamp: {date: '%Y%m%d-%H%M%S'}\n"
				   "kinds:\n"
				   "  stamp: '{stamp}'\n"
				   "scopes: {git: [], image: [stamp]}\n"
				   "rules: {date-future: off}\n");
	struct tp_lint *run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	const struct tp_tagres *t;

	(void)state;
	expect(run, "20240229-235959", -1, "stamp", 1);
	t = add(run, "20230229-120000", -1);
	assert_false(t->ok);
	assert_non_null(strstr(diag(t, "kind")->message, "leap year"));
	t = add(run, "20240101-240000", -1);
	assert_non_null(strstr(diag(t, "kind")->message, "hour 24"));
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Suggestions and the nearest kind                                    */
/* ------------------------------------------------------------------ */

static void
expect_suggestion(struct tp_lint *run, const char *tag, int scope,
		  const char *want)
{
	const struct tp_tagres *t = add(run, tag, scope);
	const struct tp_diag *d = diag(t, "kind");

	if (d == NULL || (want == NULL) != (d->suggestion == NULL) ||
	    (want != NULL && strcmp(want, d->suggestion) != 0)) {
		print_error("want suggestion %s\n", want ? want : "(none)");
		show(t);
		fail();
	}
}

static void
test_suggestions(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);

	(void)state;
	/* the product's examples */
	expect_suggestion(run, "v1.2", TP_SCOPE_GIT, "v1.2.0");
	expect_suggestion(run, "V1.2.0", TP_SCOPE_GIT, "v1.2.0");
	expect_suggestion(run, "V1.2", TP_SCOPE_GIT, "v1.2.0");
	expect_suggestion(run, "v01.2.3", TP_SCOPE_GIT, "v1.2.3");
	expect_suggestion(run, "v1.2.03", TP_SCOPE_GIT, "v1.2.3");
	expect_suggestion(run, "1.2.0", TP_SCOPE_GIT, "v1.2.0");
	expect_suggestion(run, "1", TP_SCOPE_GIT, "v1.0.0");
	expect_suggestion(run, "v1.4.0_prod", TP_SCOPE_GIT, "v1.4.0-prod");
	expect_suggestion(run, "V1.4.0-PROD", TP_SCOPE_GIT, "v1.4.0-prod");
	expect_suggestion(run, "1.2.0_abc1234", TP_SCOPE_IMAGE,
			  "1.2.0-abc1234");
	expect_suggestion(run, "Latest", TP_SCOPE_IMAGE, "latest");
	/* the repaired tag must pass every error rule */
	expect_suggestion(run, "V1.5.0-pre.1", TP_SCOPE_GIT, NULL);
	/* nothing clear */
	expect_suggestion(run, "banana", TP_SCOPE_GIT, NULL);
	expect_suggestion(run, "20261127", TP_SCOPE_GIT, NULL);
	tp_lint_free(run);
	tp_policy_free(p);
}

/*
 * A scope of thousands of kinds, each with its own prefix: a suggestion
 * search gives up before it tries each prefix with every kind of the
 * scope (rules/README.md, kind), and finds one in a small scope.
 */
static void
test_suggestions_many_kinds(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_policy *p;
	struct tp_lint *run;
	size_t i;

	(void)state;
	assert_int_equal(tp_buf_puts(&b, "version: 1\nkinds:\n"
					 "  a: \"x-{major}\"\n"
					 "  b: \"x-{major}.{minor}\"\n"),
			 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(tp_buf_printf(&b,
					       "  k%zu: \"x%zu-{semver}-end\"\n",
					       i, i),
				 0);
	assert_int_equal(tp_buf_puts(&b, "  y: \"y-{semver}\"\n"
					 "scopes:\n  git: [a, y, b]\n"
					 "  image: [a, b"),
			 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(tp_buf_printf(&b, ", k%zu", i), 0);
	assert_int_equal(tp_buf_puts(&b, ", y]\n"), 0);
	p = test_load_policy(b.ptr);
	run = run_new(p, -1, NULL, 0);
	/* a prefix that kinds a and b share is tried once, first */
	expect_suggestion(run, "1.2", TP_SCOPE_GIT, "x-1.2");
	expect_suggestion(run, "1.2", TP_SCOPE_IMAGE, "x-1.2");
	/* y- after x-: found in three kinds, not among two thousand */
	expect_suggestion(run, "1.2.3", TP_SCOPE_GIT, "y-1.2.3");
	expect_suggestion(run, "1.2.3", TP_SCOPE_IMAGE, NULL);
	tp_lint_free(run);
	tp_policy_free(p);
	tp_buf_release(&b);
}

static void
test_kind_messages(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);
	const struct tp_tagres *t;
	char want[256];

	(void)state;
	t = add(run, "v1.2", TP_SCOPE_GIT);
	assert_string_equal(diag(t, "kind")->message,
			    "does not match any allowed kind");
	/* follows api/v{semver} the furthest ("api/") */
	t = add(run, "api/1.4.0", TP_SCOPE_GIT);
	assert_non_null(diag(t, "kind"));
	assert_null(diag(t, "kind")->suggestion);
	assert_string_equal(diag(t, "kind")->message,
			    "does not match any allowed kind; the nearest is "
			    "'api' (api/v{semver})");
	assert_ptr_equal(tp_lint_nearest(run, tp_lint_at(run, 1)),
			 tp_policy_kind(p, "api"));
	/* the kind of the suggestion is the nearest */
	add(run, "v1.4", TP_SCOPE_GIT);
	assert_ptr_equal(tp_lint_nearest(run, tp_lint_at(run, 2)),
			 tp_policy_kind(p, "release"));
	/* nothing near: the allowed kinds are listed */
	t = add(run, "banana", TP_SCOPE_GIT);
	assert_null(tp_lint_nearest(run, tp_lint_at(run, 3)));
	assert_string_equal(diag(t, "kind")->message,
			    "does not match any allowed kind (v{semver}-{env}, "
			    "v{semver}, api/v{semver}, web/v{semver})");
	t = add(run, "banana", TP_SCOPE_IMAGE);
	assert_non_null(strstr(diag(t, "kind")->message, ", ...)"));
	/* the list is made once a run; every such message copies it */
	assert_string_equal(tp_lint_kinds_list(run, TP_SCOPE_GIT),
			    "v{semver}-{env}, v{semver}, api/v{semver}, "
			    "web/v{semver}");
	assert_ptr_equal(tp_lint_kinds_list(run, TP_SCOPE_GIT),
			 tp_lint_kinds_list(run, TP_SCOPE_GIT));
	assert_int_equal(p->nscope[TP_SCOPE_IMAGE] > TP_LINT_KINDS_LISTED, 1);
	snprintf(want, sizeof(want), "does not match any allowed kind (%s)",
		 tp_lint_kinds_list(run, TP_SCOPE_IMAGE));
	assert_string_equal(diag(t, "kind")->message, want);
	t = add(run, "cherry", TP_SCOPE_IMAGE);
	assert_string_equal(diag(t, "kind")->message, want);
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Scopes, references, input problems                                  */
/* ------------------------------------------------------------------ */

static void
test_scope_choice(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run;
	const struct tp_tagres *t;

	(void)state;
	/* no --scope: the policy's check.default-scope (image) */
	run = run_new(p, -1, NULL, 0);
	t = add(run, "1.4.0", -1);
	assert_int_equal(t->scope, TP_SCOPE_IMAGE);
	assert_false(t->is_ref);
	/* a '/', ':' or '@' makes a reference, scope image */
	t = add(run, "api/v1.2.0", -1);
	assert_true(t->is_ref);
	assert_int_equal(t->scope, TP_SCOPE_IMAGE);
	tp_lint_free(run);
	/* --scope git: api/v1.2.0 is a tag */
	run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	t = add(run, "api/v1.2.0", -1);
	assert_false(t->is_ref);
	assert_int_equal(t->scope, TP_SCOPE_GIT);
	assert_string_equal(t->kind->name, "api");
	tp_lint_free(run);
	/* --scope image: references still are references */
	run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	t = add(run, "ghcr.io/org/app:1.4.0", -1);
	assert_true(t->is_ref);
	assert_true(t->ok);
	assert_string_equal(t->kind->name, "version");
	assert_int_equal(t->tag_len, 5);
	assert_memory_equal(t->tag, "1.4.0", 5);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_references(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);
	const struct tp_tagres *t;

	(void)state;
	t = add(run, "Ubuntu:22.04", -1);
	assert_false(t->ok);
	assert_string_equal(diag(t, "reference")->message,
			    "repository name must be lowercase");
	assert_null(t->kind);
	/* no tag: nothing more to check */
	t = add(run, "docker.io/library/ubuntu", -1);
	assert_true(t->ok);
	assert_null(t->tag);
	assert_int_equal(t->ndiags, 0);
	/* the tag is linted in scope image */
	t = add(run, "app:v1.2", -1);
	assert_false(t->ok);
	assert_non_null(diag(t, "kind"));
	assert_null(diag(t, "reference"));
	t = add(run, "app:tmp-1", -1);
	assert_non_null(diag(t, "no-temp"));
	/* the engine notes a text of tag bytes only (no reference) */
	assert_int_equal(t->plain, 0);
	t = add(run, "1.4.0-prod", -1);
	assert_int_equal(t->is_ref, 0);
	assert_int_equal(t->plain, 1);
	t = add(run, "1.4.0+b", -1);
	assert_int_equal(t->is_ref, 0);
	assert_int_equal(t->plain, 0);
	assert_non_null(diag(t, "charset"));
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_input_problems(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, -1, NULL, 0);
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *t;

	(void)state;
	in.text = "1.0\0000";
	in.len = 5;
	in.line = 2;
	in.problem = TP_ITEM_NUL;
	assert_int_equal(tp_lint_add(run, &in, &t, NULL), 0);
	assert_false(t->ok);
	assert_int_equal(t->len, 5);
	assert_memory_equal(t->text, "1.0\0000", 5);
	assert_int_equal(t->ndiags, 1);
	assert_string_equal(t->diags->rule, "input");
	assert_string_equal(t->diags->message, "contains a NUL byte");
	assert_int_equal(t->line, 2);
	in.text = "1.0.0\377";
	in.len = 6;
	in.problem = TP_ITEM_UTF8;
	assert_int_equal(tp_lint_add(run, &in, &t, NULL), 0);
	assert_string_equal(t->diags->message, "invalid UTF-8");
	assert_int_equal(t->ndiags, 1);
	/* given as an argument, the same bytes meet charset */
	t = add_n(run, "1.0.0\377", 6, TP_SCOPE_IMAGE);
	assert_non_null(diag(t, "charset"));
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* --kind, --strict, counts, JSON                                      */
/* ------------------------------------------------------------------ */

static void
test_want_kind(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint_opts o = TP_LINT_OPTS_INIT;
	struct tp_lint *run = NULL;
	struct tp_error err;
	const struct tp_tagres *t;

	(void)state;
	tp_error_init(&err);
	o.kind = "relase";
	assert_int_equal(tp_lint_new(&run, p, &o, &err), TP_EINVAL);
	assert_null(run);
	assert_string_equal(err.msg,
			    "unknown kind 'relase'; did you mean 'release'?");
	tp_error_init(&err);
	o.kind = "dated";
	o.scope = TP_SCOPE_GIT;
	assert_int_equal(tp_lint_new(&run, p, &o, &err), TP_EINVAL);
	assert_string_equal(err.msg,
			    "kind 'dated' is not allowed in scope git");

	run = run_new(p, TP_SCOPE_GIT, "release", 0);
	t = add(run, "v1.4.0", -1);
	assert_true(t->ok);
	/* the first match decides, then it must be the kind asked for */
	t = add(run, "v1.4.0-prod", -1);
	assert_false(t->ok);
	assert_string_equal(diag(t, "kind")->message,
			    "is of kind 'env', not 'release'");
	t = add(run, "1.4.0", -1);
	assert_string_equal(diag(t, "kind")->message,
			    "does not match kind 'release' (v{semver})");
	assert_string_equal(diag(t, "kind")->suggestion, "v1.4.0");
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_strict(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run;
	const struct tp_tagres *t;
	struct tp_lint_summary sum;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1795737600", 1); /* 2026-11-27 */
	run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	t = add(run, "20261128", -1);
	assert_true(t->ok);
	assert_int_equal(t->nwarnings, 1);
	assert_string_equal(t->diags->rule, "date-future");
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	tp_lint_summary(run, &sum);
	assert_int_equal(sum.warnings, 1);
	assert_int_equal(sum.passed, 1);
	assert_false(tp_lint_failed(run));
	tp_lint_free(run);
	run = run_new(p, TP_SCOPE_IMAGE, NULL, 1);
	t = add(run, "20261128", -1);
	assert_false(t->ok);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	assert_true(tp_lint_failed(run));
	tp_lint_free(run);
	unsetenv("SOURCE_DATE_EPOCH");
	tp_policy_free(p);
}

static void
test_clock_error(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = NULL;
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	assert_int_equal(tp_lint_new(&run, p, NULL, &err), TP_EINVAL);
	assert_null(run);
	assert_non_null(strstr(err.msg, "SOURCE_DATE_EPOCH"));
	unsetenv("SOURCE_DATE_EPOCH");
	tp_policy_free(p);
}

static void
test_errors_first(void **state)
{
	struct tp_policy *p =
		test_load_policy("version: 1\n"
		     "kinds: {release: 'v{semver}'}\n"
		     "scopes: {git: [release], image: []}\n"
		     "rules: {lowercase: warning, max-length: [error, 3]}\n");
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	const struct tp_tagres *t;

	(void)state;
	t = add(run, "V1.2.0", -1);
	assert_int_equal(t->ndiags, 3);
	assert_int_equal(t->nerrors, 2);
	assert_int_equal(t->nwarnings, 1);
	/* kind first, then the registry order; warnings last */
	assert_string_equal(t->diags->rule, "kind");
	assert_string_equal(t->diags->next->rule, "max-length");
	assert_string_equal(t->diags->next->next->rule, "lowercase");
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_summary(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	struct tp_lint_summary sum;

	(void)state;
	add(run, "v1.2.3", -1);
	add(run, "v1.2", -1);
	add(run, "v1.2.4", -1);
	assert_int_equal(tp_lint_count(run), 3);
	assert_string_equal(tp_lint_at(run, 1)->text, "v1.2");
	assert_int_equal(tp_lint_at(run, 2)->index, 2);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	tp_lint_summary(run, &sum);
	assert_int_equal(sum.checked, 3);
	assert_int_equal(sum.passed, 2);
	assert_int_equal(sum.failed, 1);
	assert_int_equal(sum.warnings, 0);
	assert_int_equal(sum.set_errors, 0);
	assert_true(tp_lint_failed(run));
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_many_tags(void **state)
{
	struct tp_policy *p = test_load_policy(git_policy);
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	const struct tp_tagres *first;
	struct tp_lint_summary sum;
	char tag[32];
	size_t i;

	(void)state;
	/* results never move while more are added */
	first = add(run, "v0.0.0", -1);
	for (i = 1; i < 5000; i++) {
		snprintf(tag, sizeof(tag), "v%zu.0.0", i);
		add(run, tag, -1);
	}
	assert_ptr_equal(first, tp_lint_at(run, 0));
	assert_string_equal(first->text, "v0.0.0");
	assert_string_equal(tp_lint_at(run, 4999)->text, "v4999.0.0");
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	tp_lint_summary(run, &sum);
	assert_int_equal(sum.passed, 5000);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_json(void **state)
{
	struct tp_policy *p = test_load_policy(git_policy);
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	struct tp_buf out = TP_BUF_INIT;

	(void)state;
	add(run, "v1.2.3", -1);
	add(run, "v1.2", -1);
	add(run, "1.2.3", -1);
	add_n(run, "v1\0", 3, -1);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	assert_int_equal(tp_lint_json(&out, run, 0), 0);
	assert_string_equal(
		out.ptr,
		"{\"tags\":["
		"{\"tag\":\"v1.2.3\",\"scope\":\"git\",\"ok\":true,"
		"\"kind\":\"release\",\"fields\":{\"semver\":\"1.2.3\"},"
		"\"problems\":[]},"
		"{\"tag\":\"v1.2\",\"scope\":\"git\",\"ok\":false,"
		"\"kind\":null,\"fields\":{},\"problems\":[{\"rule\":\"kind\","
		"\"level\":\"error\",\"message\":\"does not match any allowed "
		"kind\",\"suggestion\":\"v1.2.0\"}]},"
		"{\"tag\":\"1.2.3\",\"scope\":\"git\",\"ok\":false,"
		"\"kind\":null,\"fields\":{},\"problems\":[{\"rule\":\"kind\","
		"\"level\":\"error\",\"message\":\"does not match any allowed "
		"kind\",\"suggestion\":\"v1.2.3\"}]},"
		"{\"tag\":\"v1\\u0000\",\"scope\":\"git\",\"ok\":false,"
		"\"kind\":null,\"fields\":{},\"problems\":[{\"rule\":\"kind\","
		"\"level\":\"error\",\"message\":\"does not match any allowed "
		"kind; the nearest is 'release' (v{semver})\","
		"\"suggestion\":null},"
		"{\"rule\":\"charset\",\"level\":\"error\",\"message\":\"is not a "
		"valid git tag name: contains control character 0x00\","
		"\"suggestion\":null}]}],"
		"\"set_problems\":[],"
		"\"summary\":{\"checked\":4,\"passed\":1,\"failed\":3,"
		"\"warnings\":0}}\n");
	tp_buf_release(&out);
	tp_lint_free(run);
	tp_policy_free(p);
}

static void
test_json_set_problems(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);
	struct tp_lint *run = run_new(p, TP_SCOPE_IMAGE, NULL, 0);
	struct tp_buf out = TP_BUF_INIT;

	(void)state;
	add(run, "v1.2.3", -1);
	add(run, "1.2.3", -1);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	assert_int_equal(tp_lint_json(&out, run, 0), 0);
	assert_non_null(strstr(
		out.ptr,
		"\"set_problems\":[{\"rule\":\"duplicate-version\","
		"\"level\":\"error\",\"message\":\"have the same version "
		"1.2.3\",\"tags\":[\"v1.2.3\",\"1.2.3\"]}]"));
	assert_non_null(strstr(out.ptr,
			       "\"summary\":{\"checked\":2,"
			       "\"passed\":2,\"failed\":0,\"warnings\":0}"));
	assert_true(tp_lint_failed(run));
	tp_buf_release(&out);
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Vectors through the engine                                          */
/* ------------------------------------------------------------------ */

struct vec {
	struct tp_policy *any;
	struct tsv *tag_valid, *tag_invalid, *ref, *refname, *tagname;
	struct tsv *components;
	size_t c_component, c_comp_expected, c_parsed, c_function, c_result;
	size_t c_tag, c_options, c_expected;
};

static struct vec V;

/* Lints one tag under the catch-all policy; 1 when charset is silent. */
static int
charset_ok(const char *s, size_t len, int scope)
{
	struct tp_lint *run = run_new(V.any, scope, NULL, 0);
	const struct tp_tagres *t = add_n(run, s, len, scope);
	int ok = diag(t, "charset") == NULL;

	if (ok != t->ok) {
		show(t);
		fail();
	}
	tp_lint_free(run);
	return ok;
}

static void
vec_image_tag(void **state, int want)
{
	const struct tsv_row *row = *state;
	const char *tag = tsv_get(row, 0);
	size_t len = tsv_len(row, 0);

	if (charset_ok(tag, len, TP_SCOPE_IMAGE) != want) {
		print_error("image tag '%s' (%zu bytes): want %s\n", tag, len,
			    want ? "valid" : "invalid");
		fail();
	}
}

static void
vec_image_tag_valid(void **state)
{
	vec_image_tag(state, 1);
}

static void
vec_image_tag_invalid(void **state)
{
	vec_image_tag(state, 0);
}

static void
vec_git_tagname(void **state)
{
	const struct tsv_row *row = *state;
	const char *tag = tsv_get(row, 0);
	int want = strcmp(tsv_get(row, 1), "valid") == 0;

	if (charset_ok(tag, tsv_len(row, 0), TP_SCOPE_GIT) != want) {
		print_error("git tag '%s': want %s\n", tag, tsv_get(row, 1));
		fail();
	}
}

/*
 * refname.tsv rows whose answer carries over to `git tag NAME`, which
 * checks refs/tags/NAME: rows with --allow-onelevel, and rows without
 * options whose name has a '/' (two components or an empty one, so the
 * one-level rule cannot be what decides).  Left out: --normalize and
 * --refspec-pattern (git tag uses neither), names without '/' and no
 * option (git says invalid for having one component, which a name under
 * refs/tags/ never has), names starting with '-' or equal to HEAD (git
 * tag's own rules come on top), and "@" (invalid only as a whole ref
 * name: refs/tags/@ is valid, see git-tagname.tsv).
 */
static int
want_refname(const struct tsv *t, const struct tsv_row *row)
{
	const char *name = tsv_get(row, 0);
	const char *opt = tsv_get(row, V.c_options);

	(void)t;
	if (name[0] == '-' || strcmp(name, "HEAD") == 0 ||
	    strcmp(name, "@") == 0)
		return 0;
	if (strcmp(opt, "--allow-onelevel") == 0)
		return 1;
	return opt[0] == '\0' && memchr(name, '/', tsv_len(row, 0)) != NULL;
}

static void
vec_refname(void **state)
{
	const struct tsv_row *row = *state;
	const char *name = tsv_get(row, 0);
	int want = strcmp(tsv_get(row, V.c_expected), "valid") == 0;

	if (charset_ok(name, tsv_len(row, 0), TP_SCOPE_GIT) != want) {
		print_error("ref name '%s' (%s): want %s\n", name,
			    tsv_get(row, V.c_options),
			    tsv_get(row, V.c_expected));
		fail();
	}
}

/*
 * image-ref.tsv: the Parse rows are what `check` does with an argument
 * that has '/', ':' or '@'.  Left out: Parse rows without those (check
 * reads them as tags), ParseNormalizedNamed (check does not normalise
 * Docker short names) and the anchored-regex rows (grammar building
 * blocks that check never calls alone).
 */
static int
want_ref(const struct tsv *t, const struct tsv_row *row)
{
	const char *s = tsv_get(row, 0);

	(void)t;
	return strcmp(tsv_get(row, V.c_function), "Parse") == 0 &&
	       strpbrk(s, "/:@") != NULL;
}

static void
vec_ref(void **state)
{
	const struct tsv_row *row = *state;
	const char *s = tsv_get(row, 0);
	const char *tag = tsv_get(row, V.c_tag);
	int want = strcmp(tsv_get(row, V.c_result), "ok") == 0;
	struct tp_lint *run = run_new(V.any, -1, NULL, 0);
	const struct tp_tagres *t = add_n(run, s, tsv_len(row, 0), -1);

	if (!t->is_ref || (diag(t, "reference") == NULL) != want ||
	    t->ok != want) {
		print_error("reference '%s': want %s\n", s,
			    tsv_get(row, V.c_result));
		show(t);
		fail();
	}
	if (want && tag[0] == '\0')
		assert_null(t->tag);
	if (want && tag[0] != '\0') {
		assert_int_equal(t->tag_len, strlen(tag));
		assert_memory_equal(t->tag, tag, t->tag_len);
	}
	tp_lint_free(run);
}

/*
 * tag-components.tsv: the rows of the proposed policy, classified by a
 * policy that has one kind per component.  Left out: the git-describe
 * rows (git describe output is not a tag; no check classifies it).
 */
static const char components_policy[] =
	"version: 1\n"
	"fields:\n"
	"  sha: {hex: 7}\n"
	"  build: {pattern: 'b(0|[1-9][0-9]*)'}\n"
	"  env: {values: [dev, staging, prod]}\n"
	"kinds:\n"
	"  short-sha-7: '{sha}'\n"
	"  build-number: '{build}'\n"
	"  env-suffix: '-{env}'\n"
	"  semver.env: '{semver}-{env}'\n"
	"  semver.env.meta: '{major}.{minor}.{patch}+{env}'\n"
	"scopes:\n"
	"  git: [short-sha-7, build-number, env-suffix, semver.env,\n"
	"        semver.env.meta]\n"
	"  image: []\n"
	"rules: {charset: off, duplicate-version: off}\n";

static int
want_component(const struct tsv *t, const struct tsv_row *row)
{
	(void)t;
	return strcmp(tsv_get(row, V.c_component), "git-describe") != 0;
}

/* Checks "name=value" words of the parsed column against the fields. */
static void
check_parsed(const struct tp_tagres *t, const char *parsed)
{
	char word[128], buf[128];
	const char *p = parsed, *eq, *got;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		eq = strchr(word, '=');
		if (eq == NULL || *word == '(')
			continue;
		word[eq - word] = '\0';
		/* the vectors' names for our fields */
		if (strcmp(word, "version") == 0) {
			struct tp_buf v = TP_BUF_INIT;

			assert_int_equal(tp_lint_version_text(&v, t), 0);
			assert_string_equal(v.ptr, eq + 1);
			tp_buf_release(&v);
			continue;
		}
		got = field(t, strcmp(word, "n") == 0 ? "build" : word, buf,
			    sizeof(buf));
		assert_non_null(got);
		if (strcmp(word, "n") == 0)
			got++; /* b123 -> 123 */
		assert_string_equal(got, eq + 1);
	}
}

static void
vec_component(void **state)
{
	const struct tsv_row *row = *state;
	const char *tag = tsv_get(row, 0);
	const char *comp = tsv_get(row, V.c_component);
	int want = strcmp(tsv_get(row, V.c_comp_expected), "valid") == 0;
	struct tp_policy *p = test_load_policy(components_policy);
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, NULL, 0);
	const struct tp_tagres *t = add(run, tag, -1);
	char name[64];
	int got;

	/* kind names cannot hold '+': semver+env is kind semver.env */
	snprintf(name, sizeof(name), "%s", comp);
	if (strchr(name, '+') != NULL)
		*strchr(name, '+') = '.';
	got = t->kind != NULL && t->fields_ok &&
	      strncmp(t->kind->name, name, strlen(name)) == 0;

	if (got != want) {
		print_error("'%s' as %s: want %s\n", tag, comp,
			    tsv_get(row, V.c_comp_expected));
		show(t);
		fail();
	}
	if (want)
		check_parsed(t, tsv_get(row, V.c_parsed));
	tp_lint_free(run);
	tp_policy_free(p);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	int rc;

	tlist_unit(&l, test_normative_kinds);
	tlist_unit(&l, test_normative_fields);
	tlist_unit(&l, test_normative_sets);
	tlist_unit(&l, test_first_kind_wins);
	tlist_unit(&l, test_whole_tag);
	tlist_unit(&l, test_pattern_field);
	tlist_unit(&l, test_date_time_fields);
	tlist_unit(&l, test_suggestions);
	tlist_unit(&l, test_suggestions_many_kinds);
	tlist_unit(&l, test_kind_messages);
	tlist_unit(&l, test_scope_choice);
	tlist_unit(&l, test_references);
	tlist_unit(&l, test_input_problems);
	tlist_unit(&l, test_want_kind);
	tlist_unit(&l, test_strict);
	tlist_unit(&l, test_clock_error);
	tlist_unit(&l, test_errors_first);
	tlist_unit(&l, test_summary);
	tlist_unit(&l, test_many_tags);
	tlist_unit(&l, test_json);
	tlist_unit(&l, test_json_set_problems);

	V.any = test_load_policy(any_policy);
	V.tag_valid = tsv_load("image-tag-valid.tsv");
	V.tag_invalid = tsv_load("image-tag-invalid.tsv");
	V.tagname = tsv_load("git-tagname.tsv");
	V.refname = tsv_load("refname.tsv");
	V.ref = tsv_load("image-ref.tsv");
	V.components = tsv_load("tag-components.tsv");
	V.c_options = tsv_col(V.refname, "check_ref_format_options");
	V.c_expected = tsv_col(V.refname, "expected");
	V.c_function = tsv_col(V.ref, "function");
	V.c_result = tsv_col(V.ref, "result");
	V.c_tag = tsv_col(V.ref, "tag");
	tlist_add_tsv(&l, V.tag_valid, vec_image_tag_valid, NULL);
	tlist_add_tsv(&l, V.tag_invalid, vec_image_tag_invalid, NULL);
	tlist_add_tsv(&l, V.tagname, vec_git_tagname, NULL);
	tlist_add_tsv(&l, V.refname, vec_refname, want_refname);
	tlist_add_tsv(&l, V.ref, vec_ref, want_ref);
	V.c_component = tsv_col(V.components, "component");
	V.c_comp_expected = tsv_col(V.components, "expected");
	V.c_parsed = tsv_col(V.components, "parsed");
	tlist_add_tsv(&l, V.components, vec_component, want_component);
	rc = tlist_run(&l, "lint");
	tp_policy_free(V.any);
	tsv_free(V.tag_valid);
	tsv_free(V.tag_invalid);
	tsv_free(V.tagname);
	tsv_free(V.refname);
	tsv_free(V.ref);
	tsv_free(V.components);
	return rc;
}
