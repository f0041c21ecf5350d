/*
 * test-rules.c: every built-in rule's hooks on small policies and
 * synthetic tag lists (facts such as commit ids given by hand, so no
 * repository is needed), and the registry: ids sorted and unique,
 * summaries set, a README entry and a golden case for every rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tsv.h"
#include "lint.h"
#include "rule.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

#define C1 "1111111111111111111111111111111111111111"
#define C2 "2222222222222222222222222222222222222222"
#define CA "abc1234def567890abc1234def567890abc12345"

/* The message a policy that must not load gives. */
static void
load_fails(const char *yaml, const char *want)
{
	struct tp_policy *p = NULL;
	struct tp_error err;

	tp_error_init(&err);
	if (tp_policy_load_buffer(&p, "test.yml", yaml, strlen(yaml), NULL,
				  &err) == 0) {
		print_error("policy loads, want '%s'\n", want);
		tp_policy_free(p);
		fail();
	}
	if (strstr(err.msg, want) == NULL) {
		print_error("got '%s', want '%s'\n", err.msg, want);
		fail();
	}
}

struct fx {
	struct tp_policy *p;
	struct tp_lint *run;
};

static void
fx_open(struct fx *f, const char *yaml, int scope, int strict)
{
	struct tp_lint_opts o = TP_LINT_OPTS_INIT;
	struct tp_error err;

	f->p = test_load_policy(yaml);
	o.scope = scope;
	o.strict = strict;
	tp_error_init(&err);
	if (tp_lint_new(&f->run, f->p, &o, &err) < 0) {
		print_error("tp_lint_new: %s\n", err.msg);
		fail();
	}
}

static void
fx_close(struct fx *f)
{
	tp_lint_free(f->run);
	tp_policy_free(f->p);
}

static struct tp_tagres *
add_fact(struct fx *f, const char *tag, const char *commit, int annotated)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *t = NULL;

	in.text = tag;
	in.len = strlen(tag);
	in.commit = commit;
	in.annotated = annotated;
	assert_int_equal(tp_lint_add(f->run, &in, &t, NULL), 0);
	assert_ptr_equal(t, tp_lint_at(f->run, tp_lint_count(f->run) - 1));
	return tp_lint_at(f->run, tp_lint_count(f->run) - 1);
}

static struct tp_tagres *
add(struct fx *f, const char *tag)
{
	return add_fact(f, tag, NULL, -1);
}

static void
show(const struct tp_tagres *t)
{
	const struct tp_diag *d;

	print_error("tag '%s': kind %s, ok %d\n", t->text,
		    t->kind ? t->kind->name : "(none)", t->ok);
	for (d = t->diags; d != NULL; d = d->next)
		print_error("  %s: %s [%s] suggestion %s\n",
			    d->level == TP_LEVEL_ERROR ? "error" : "warning",
			    d->message, d->rule,
			    d->suggestion ? d->suggestion : "(none)");
}

/*
 * Asserts that `t` has exactly one finding of `rule`, at `level`, with
 * `message` (NULL: any) and `suggestion` (NULL: none); or, with level
 * TP_LEVEL_OFF, none at all.
 */
static void
has(const struct tp_tagres *t, const char *rule, enum tp_level level,
    const char *message, const char *suggestion)
{
	const struct tp_diag *d, *found = NULL;
	size_t n = 0;

	for (d = t->diags; d != NULL; d = d->next)
		if (strcmp(d->rule, rule) == 0) {
			found = d;
			n++;
		}
	if (level == TP_LEVEL_OFF && n == 0)
		return;
	if (n != 1 || found->level != level ||
	    (message != NULL && strcmp(found->message, message) != 0) ||
	    (suggestion == NULL) != (found->suggestion == NULL) ||
	    (suggestion != NULL &&
	     strcmp(suggestion, found->suggestion) != 0)) {
		print_error("want [%s] level %d '%s' suggestion %s\n", rule,
			    level, message ? message : "*",
			    suggestion ? suggestion : "(none)");
		show(t);
		fail();
	}
}

static size_t
nset(struct fx *f, const char *rule)
{
	const struct tp_setprob *s;
	size_t n = 0;

	for (s = tp_lint_set_problems(f->run); s != NULL; s = s->next)
		n += strcmp(s->rule, rule) == 0;
	return n;
}

static const struct tp_setprob *
set_at(struct fx *f, const char *rule, size_t i)
{
	const struct tp_setprob *s;

	for (s = tp_lint_set_problems(f->run); s != NULL; s = s->next)
		if (strcmp(s->rule, rule) == 0 && i-- == 0)
			return s;
	return NULL;
}

static void
finish(struct fx *f)
{
	assert_int_equal(tp_lint_finish(f->run, NULL), 0);
}

/* ------------------------------------------------------------------ */
/* kind                                                                */
/* ------------------------------------------------------------------ */

static const char release_policy[] =
	"version: 1\n"
	"fields:\n"
	"  env: {values: [dev, staging, prod]}\n"
	"kinds:\n"
	"  env: 'v{semver}-{env}'\n"
	"  release: 'v{semver}'\n"
	"scopes: {git: [env, release], image: []}\n";

static void
test_kind(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	has(add(&f, "v1.2.3"), "kind", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "v1.2"), "kind", TP_LEVEL_ERROR,
	    "does not match any allowed kind", "v1.2.0");
	has(add(&f, "x"), "kind", TP_LEVEL_ERROR,
	    "does not match any allowed kind (v{semver}-{env}, v{semver})",
	    NULL);
	/* any tag in a scope without kinds fails */
	fx_close(&f);
	fx_open(&f, release_policy, TP_SCOPE_IMAGE, 0);
	has(add(&f, "1.2.3"), "kind", TP_LEVEL_ERROR,
	    "does not match any allowed kind: scope image allows none", NULL);
	fx_close(&f);
}

static void
test_kind_always_on(void **state)
{
	(void)state;
	load_fails("version: 1\nrules: {kind: off}\n",
		   "rule 'kind' cannot be turned off");
}

static void
test_kind_field_value(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f,
		"version: 1\n"
		"fields: {date: {date: '%Y%m%d'}}\n"
		"kinds: {dated: '{date}', major: '{major}'}\n"
		"scopes: {git: [], image: [dated, major]}\n"
		"rules: {date-future: off}\n",
		TP_SCOPE_IMAGE, 0);
	has(add(&f, "20240229"), "kind", TP_LEVEL_OFF, NULL, NULL);
	/* invalid dated, never a valid major */
	has(add(&f, "20230229"), "kind", TP_LEVEL_ERROR,
	    "invalid {date} '20230229' in kind 'dated': February 29 in 2023, "
	    "which is not a leap year",
	    NULL);
	assert_string_equal(tp_lint_at(f.run, 1)->kind->name, "dated");
	has(add(&f, "42"), "kind", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* charset                                                             */
/* ------------------------------------------------------------------ */

static const char any_policy[] = "version: 1\n"
				 "fields: {any: {pattern: '(?s).*'}}\n"
				 "kinds: {any: '{any}'}\n"
				 "scopes: {git: [any], image: [any]}\n";

static void
test_charset_image(void **state)
{
	struct fx f;
	char long_tag[131];

	(void)state;
	fx_open(&f, any_policy, TP_SCOPE_IMAGE, 0);
	has(add(&f, "1.2.3_x"), "charset", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "1.2.3+b"), "charset", TP_LEVEL_ERROR,
	    "is not a valid image tag: invalid character '+' at offset 5",
	    NULL);
	has(add(&f, ".x"), "charset", TP_LEVEL_ERROR,
	    "is not a valid image tag: starts with '.'", NULL);
	has(add(&f, "f\xc3\xbc"), "charset", TP_LEVEL_ERROR,
	    "is not a valid image tag: invalid non-ASCII character U+00FC at "
	    "offset 1",
	    NULL);
	/* the 128 limit is said once, by max-length (error at 128) */
	memset(long_tag, 'a', 130);
	long_tag[130] = '\0';
	has(add(&f, long_tag), "charset", TP_LEVEL_OFF, NULL, NULL);
	has(tp_lint_at(f.run, 4), "max-length", TP_LEVEL_ERROR,
	    "is 130 characters long, more than 128", NULL);
	fx_close(&f);
	/* without max-length, charset says it */
	fx_open(&f,
		"version: 1\n"
		"fields: {any: {pattern: '.*'}}\n"
		"kinds: {any: '{any}'}\n"
		"scopes: {git: [any], image: [any]}\n"
		"rules: {max-length: off}\n",
		TP_SCOPE_IMAGE, 0);
	has(add(&f, long_tag), "charset", TP_LEVEL_ERROR,
	    "is not a valid image tag: longer than 128 characters (130)", NULL);
	fx_close(&f);
}

static void
test_charset_git(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, any_policy, TP_SCOPE_GIT, 0);
	has(add(&f, "v1.2.3+b"), "charset", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "r\xc3\xa9l/v1"), "charset", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "v1..2"), "charset", TP_LEVEL_ERROR,
	    "is not a valid git tag name: contains '..'", NULL);
	/* any kind takes "head" here, so that is the repair */
	has(add(&f, "HEAD"), "charset", TP_LEVEL_ERROR,
	    "is not a valid git tag name: cannot be 'HEAD'", "head");
	has(add(&f, "-v1"), "charset", TP_LEVEL_ERROR,
	    "is not a valid git tag name: starts with '-'", NULL);
	fx_close(&f);
}

static void
test_charset_suggestion(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	/* the repair that passes every error rule */
	has(add(&f, "v1.2.3 "), "charset", TP_LEVEL_ERROR,
	    "is not a valid git tag name: contains ' '", NULL);
	has(add(&f, "V1..2"), "charset", TP_LEVEL_ERROR, NULL, NULL);
	fx_close(&f);
	fx_open(&f,
		"version: 1\n"
		"kinds: {release: 'v{semver}'}\n"
		"scopes: {git: [], image: [release]}\n",
		TP_SCOPE_IMAGE, 0);
	has(add(&f, "V1.2.0+b"), "charset", TP_LEVEL_ERROR,
	    "is not a valid image tag: invalid character '+' at offset 6",
	    NULL);
	fx_close(&f);
}

static void
test_charset_off(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f,
		"version: 1\n"
		"fields: {any: {pattern: '.*'}}\n"
		"kinds: {any: '{any}'}\n"
		"scopes: {git: [any], image: [any]}\n"
		"rules: {charset: {image: off, git: warning}}\n",
		TP_SCOPE_IMAGE, 0);
	assert_true(add(&f, "a+b")->ok);
	assert_int_equal(tp_lint_at(f.run, 0)->ndiags, 0);
	fx_close(&f);
	fx_open(&f,
		"version: 1\n"
		"fields: {any: {pattern: '.*'}}\n"
		"kinds: {any: '{any}'}\n"
		"scopes: {git: [any], image: [any]}\n"
		"rules: {charset: {image: off, git: warning}}\n",
		TP_SCOPE_GIT, 0);
	has(add(&f, "a..b"), "charset", TP_LEVEL_WARNING, NULL, NULL);
	assert_true(tp_lint_at(f.run, 0)->ok);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* max-length                                                          */
/* ------------------------------------------------------------------ */

static void
test_max_length(void **state)
{
	struct fx f;

	(void)state;
	/* off in scope git by default */
	fx_open(&f, any_policy, TP_SCOPE_GIT, 0);
	has(add(&f,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaa"),
	    "max-length", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
	fx_open(&f,
		"version: 1\n"
		"fields: {any: {pattern: '.*'}}\n"
		"kinds: {any: '{any}'}\n"
		"scopes: {git: [any], image: [any]}\n"
		"rules: {max-length: [warning, 5]}\n",
		TP_SCOPE_GIT, 0);
	has(add(&f, "abcde"), "max-length", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "abcdef"), "max-length", TP_LEVEL_WARNING,
	    "is 6 characters long, more than 5", NULL);
	/* characters, not bytes: five code points in eight bytes */
	has(add(&f, "\xc3\xbc\xc3\xbc\xc3\xbc"
		    "ab"),
	    "max-length", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "\xc3\xbc\xc3\xbc\xc3\xbc"
		    "abc"),
	    "max-length", TP_LEVEL_WARNING, "is 6 characters long, more than 5",
	    NULL);
	fx_close(&f);
}

static void
test_max_length_configure(void **state)
{
	(void)state;
	load_fails("version: 1\nrules: {max-length: [error, 0]}\n",
		   "max-length");
}

/* ------------------------------------------------------------------ */
/* lowercase                                                           */
/* ------------------------------------------------------------------ */

static void
test_lowercase(void **state)
{
	struct fx f;

	(void)state;
	/* off by default */
	fx_open(&f, any_policy, TP_SCOPE_GIT, 0);
	has(add(&f, "Release-1"), "lowercase", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
	fx_open(&f,
		"version: 1\n"
		"fields: {word: {pattern: '[A-Za-z]+'}}\n"
		"kinds: {release: 'v{semver}', word: '{word}'}\n"
		"scopes: {git: [release, word], image: []}\n"
		"rules: {lowercase: warning}\n",
		TP_SCOPE_GIT, 0);
	has(add(&f, "Main"), "lowercase", TP_LEVEL_WARNING,
	    "has upper-case letters", "main");
	assert_true(tp_lint_at(f.run, 0)->ok);
	has(add(&f, "v1.2.3-RC.1"), "lowercase", TP_LEVEL_WARNING,
	    "has upper-case letters", "v1.2.3-rc.1");
	has(add(&f, "v1.2.3-rc.1"), "lowercase", TP_LEVEL_OFF, NULL, NULL);
	/* only ASCII letters count */
	has(add(&f, "\xc3\x9c"), "lowercase", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* prerelease-ids                                                      */
/* ------------------------------------------------------------------ */

static void
test_prerelease_ids(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f,
		"version: 1\n"
		"kinds: {release: 'v{semver}', split: "
		"'{major}.{minor}.{patch}-{pre}'}\n"
		"scopes: {git: [release, split], image: []}\n"
		"rules: {prerelease-ids: [error, [alpha, beta, rc]]}\n",
		TP_SCOPE_GIT, 0);
	has(add(&f, "v1.2.3"), "prerelease-ids", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "v1.2.3-rc.1"), "prerelease-ids", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "v1.2.3-beta"), "prerelease-ids", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "v1.2.3-rc1"), "prerelease-ids", TP_LEVEL_ERROR,
	    "prerelease 'rc1' does not start with an allowed identifier "
	    "(alpha, beta, rc)",
	    NULL);
	has(add(&f, "v1.2.3-RC.1"), "prerelease-ids", TP_LEVEL_ERROR, NULL,
	    NULL);
	has(add(&f, "v1.2.3-preview.rc"), "prerelease-ids", TP_LEVEL_ERROR,
	    NULL, NULL);
	/* {pre} in a template counts too */
	has(add(&f, "1.2.3-alpha.2"), "prerelease-ids", TP_LEVEL_OFF, NULL,
	    NULL);
	has(add(&f, "1.2.3-nightly"), "prerelease-ids", TP_LEVEL_ERROR, NULL,
	    NULL);
	fx_close(&f);
	/* off by default */
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	has(add(&f, "v1.2.3-whatever"), "prerelease-ids", TP_LEVEL_OFF, NULL,
	    NULL);
	fx_close(&f);
}

static void
test_prerelease_ids_configure(void **state)
{
	(void)state;
	load_fails("version: 1\n"
		   "rules: {prerelease-ids: [error, [rc, 'a b']]}\n",
		   "'a b' is not a prerelease identifier");
}

/* ------------------------------------------------------------------ */
/* date-future                                                         */
/* ------------------------------------------------------------------ */

static const char dated_policy[] =
	"version: 1\n"
	"fields: {date: {date: '%Y%m%d'}, ts: {date: '%Y%m%d%H%M'}}\n"
	"kinds: {dated: '{date}', ts: 't{ts}'}\n"
	"scopes: {git: [dated, ts], image: [dated, ts]}\n";

static void
test_date_future(void **state)
{
	struct fx f;

	(void)state;
	/* 2026-11-27T12:00:00Z */
	setenv("SOURCE_DATE_EPOCH", "1795780800", 1);
	fx_open(&f, dated_policy, TP_SCOPE_IMAGE, 0);
	has(add(&f, "20261127"), "date-future", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "20261128"), "date-future", TP_LEVEL_WARNING,
	    "{date} '20261128' is in the future", NULL);
	has(add(&f, "t202611271200"), "date-future", TP_LEVEL_OFF, NULL, NULL);
	has(add(&f, "t202611271201"), "date-future", TP_LEVEL_WARNING,
	    "{ts} '202611271201' is in the future", NULL);
	assert_true(tp_lint_at(f.run, 1)->ok);
	fx_close(&f);
	/* a warning fails only with --strict */
	fx_open(&f, dated_policy, TP_SCOPE_IMAGE, 1);
	assert_false(add(&f, "20991231")->ok);
	fx_close(&f);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* ------------------------------------------------------------------ */
/* sha-commit                                                          */
/* ------------------------------------------------------------------ */

static const char build_policy[] = "version: 1\n"
				   "fields: {sha: {hex: [7, 12]}}\n"
				   "kinds: {build: 'v{semver}-g{sha}'}\n"
				   "scopes: {git: [build], image: [build]}\n";

static void
test_sha_commit(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, build_policy, TP_SCOPE_GIT, 0);
	has(add_fact(&f, "v1.0.0-gabc1234", CA, 1), "sha-commit", TP_LEVEL_OFF,
	    NULL, NULL);
	has(add_fact(&f, "v1.0.0-gabc1234def5", CA, 1), "sha-commit",
	    TP_LEVEL_OFF, NULL, NULL);
	has(add_fact(&f, "v1.0.0-g1234567", CA, 1), "sha-commit",
	    TP_LEVEL_ERROR,
	    "{sha} '1234567' is not a prefix of the tagged commit "
	    "abc1234def56",
	    NULL);
	/* no repository facts: nothing to compare */
	has(add(&f, "v1.0.0-g1234567"), "sha-commit", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* annotated                                                           */
/* ------------------------------------------------------------------ */

static void
test_annotated(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f,
		"version: 1\n"
		"fields: {env: {values: [prod]}}\n"
		"kinds: {env: 'v{semver}-{env}', release: 'v{semver}'}\n"
		"scopes: {git: [env, release], image: []}\n"
		"components: {api: {kind: 'api/v{semver}', paths: [api/]}}\n"
		"rules: {annotated: warning}\n",
		TP_SCOPE_GIT, 0);
	has(add_fact(&f, "v1.0.0", C1, 1), "annotated", TP_LEVEL_OFF, NULL,
	    NULL);
	has(add_fact(&f, "v1.0.1", C1, 0), "annotated", TP_LEVEL_WARNING,
	    "is a lightweight tag; release tags are annotated (git tag -a)",
	    NULL);
	has(add_fact(&f, "api/v1.0.0", C1, 0), "annotated", TP_LEVEL_WARNING,
	    NULL, NULL);
	/* not a release kind, or not known */
	has(add_fact(&f, "v1.0.0-prod", C1, 0), "annotated", TP_LEVEL_OFF, NULL,
	    NULL);
	has(add_fact(&f, "v1.0.2", C1, -1), "annotated", TP_LEVEL_OFF, NULL,
	    NULL);
	fx_close(&f);
	/* off by default */
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	has(add_fact(&f, "v1.0.1", C1, 0), "annotated", TP_LEVEL_OFF, NULL,
	    NULL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* duplicate-version                                                   */
/* ------------------------------------------------------------------ */

static const char image_policy[] =
	"version: 1\n"
	"fields:\n"
	"  env: {values: [dev, staging, prod]}\n"
	"  sha: {hex: 7}\n"
	"kinds:\n"
	"  env: 'v{semver}-{env}'\n"
	"  release: 'v{semver}'\n"
	"  build: '{semver}-{sha}'\n"
	"  version: '{semver}'\n"
	"  minor: '{major}.{minor}'\n"
	"  minor2: 'm{major}.{minor}'\n"
	"scopes:\n"
	"  git: [env, release]\n"
	"  image: [env, release, build, version, minor, minor2]\n"
	"rules: {charset: off, version-gap: warning}\n";

static void
test_duplicate_version(void **state)
{
	struct fx f;
	const struct tp_setprob *s;

	(void)state;
	fx_open(&f, image_policy, TP_SCOPE_IMAGE, 0);
	add(&f, "v1.2.3"); /* 0 */
	add(&f, "1.2.3"); /* 1: same fields as v1.2.3 */
	add(&f, "1.2.3-abc1234"); /* 2: a sha too */
	add(&f, "v1.4.0-staging"); /* 3 */
	add(&f, "v1.4.0-prod"); /* 4: the env differs */
	add(&f, "1.5.0+a"); /* 5 */
	add(&f, "1.5.0+b"); /* 6: build metadata does not count */
	add(&f, "1.5.0-rc.1"); /* 7: a prerelease is another version */
	add(&f, "1.4"); /* 8 */
	add(&f, "m1.4"); /* 9 */
	add(&f, "v1.4.0-prod"); /* 10: the same tag again */
	add(&f, "2.0.0");
	finish(&f);
	assert_int_equal(nset(&f, "duplicate-version"), 4);
	s = set_at(&f, "duplicate-version", 0);
	assert_int_equal(s->ntags, 2);
	assert_string_equal(s->tags[0]->text, "v1.2.3");
	assert_string_equal(s->tags[1]->text, "1.2.3");
	assert_string_equal(s->message, "have the same version 1.2.3");
	assert_int_equal(s->level, TP_LEVEL_ERROR);
	assert_int_equal(s->scope, TP_SCOPE_IMAGE);
	s = set_at(&f, "duplicate-version", 1);
	assert_int_equal(s->ntags, 2);
	assert_int_equal(s->tags[0]->index, 4);
	assert_int_equal(s->tags[1]->index, 10);
	s = set_at(&f, "duplicate-version", 2);
	assert_string_equal(s->tags[0]->text, "1.5.0+a");
	assert_string_equal(s->tags[1]->text, "1.5.0+b");
	s = set_at(&f, "duplicate-version", 3);
	assert_string_equal(s->tags[0]->text, "1.4");
	assert_string_equal(s->tags[1]->text, "m1.4");
	assert_string_equal(s->message, "have the same version 1.4");
	/* tags stay ok; the run fails */
	assert_true(tp_lint_at(f.run, 0)->ok);
	assert_true(tp_lint_failed(f.run));
	fx_close(&f);
}

static void
test_duplicate_scopes(void **state)
{
	struct fx f;

	(void)state;
	/* one tag of each scope is not a duplicate */
	fx_open(&f, image_policy, -1, 0);
	{
		struct tp_lint_input in = TP_LINT_INPUT_INIT;

		in.text = "v1.2.3";
		in.len = 6;
		in.scope = TP_SCOPE_GIT;
		assert_int_equal(tp_lint_add(f.run, &in, NULL, NULL), 0);
		in.scope = TP_SCOPE_IMAGE;
		in.text = "1.2.3";
		in.len = 5;
		assert_int_equal(tp_lint_add(f.run, &in, NULL, NULL), 0);
	}
	finish(&f);
	assert_int_equal(nset(&f, "duplicate-version"), 0);
	assert_false(tp_lint_failed(f.run));
	fx_close(&f);
}

static void
test_duplicate_many(void **state)
{
	struct fx f;
	char tag[32];
	size_t i;

	(void)state;
	/* enough tags for the table to fill and probe */
	fx_open(&f, image_policy, TP_SCOPE_IMAGE, 0);
	for (i = 0; i < 3000; i++) {
		snprintf(tag, sizeof(tag), "%zu.%zu.0", i % 1000, i / 1000);
		add(&f, tag);
	}
	add(&f, "v999.2.0");
	add(&f, "v7.1.0");
	add(&f, "7.1.0");
	finish(&f);
	assert_int_equal(nset(&f, "duplicate-version"), 2);
	assert_string_equal(set_at(&f, "duplicate-version", 0)->tags[0]->text,
			    "7.1.0");
	assert_int_equal(set_at(&f, "duplicate-version", 0)->ntags, 3);
	assert_string_equal(set_at(&f, "duplicate-version", 1)->tags[0]->text,
			    "999.2.0");
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* version-gap                                                         */
/* ------------------------------------------------------------------ */

static void
expect_gaps(const char *const *tags, const char *const *want)
{
	struct fx f;
	const struct tp_setprob *s;
	size_t i, n = 0;

	fx_open(&f, image_policy, TP_SCOPE_IMAGE, 0);
	for (i = 0; tags[i] != NULL; i++)
		add(&f, tags[i]);
	finish(&f);
	for (s = tp_lint_set_problems(f.run); s != NULL; s = s->next) {
		if (strcmp(s->rule, "version-gap") != 0)
			continue;
		if (want[n] == NULL || strcmp(want[n], s->message) != 0) {
			print_error("gap %zu: got '%s', want '%s'\n", n,
				    s->message, want[n] ? want[n] : "none");
			fail();
		}
		assert_int_equal(s->level, TP_LEVEL_WARNING);
		assert_int_equal(s->ntags, 2);
		n++;
	}
	if (want[n] != NULL) {
		print_error("missing gap '%s'\n", want[n]);
		fail();
	}
	fx_close(&f);
}

static void
test_version_gap(void **state)
{
	static const char *const t1[] = { "1.2.3", "1.2.5", NULL };
	static const char *const w1[] = {
		"1.2.5 follows 1.2.3 (kind 'version'); expected 1.2.4, 1.3.0 "
		"or 2.0.0",
		NULL
	};
	static const char *const t2[] = { "1.4.0", "1.2.3", NULL };
	static const char *const w2[] = {
		"1.4.0 follows 1.2.3 (kind 'version'); expected 1.2.4, 1.3.0 "
		"or 2.0.0",
		NULL
	};
	/* increments, prereleases left out, equal versions taken once */
	static const char *const t3[] = { "1.2.3", "1.2.4",	 "1.3.0",
					  "2.0.0", "2.0.0+b",	 "2.1.0-rc.1",
					  "2.1.0", "9.0.0-rc.1", "2.2.0",
					  NULL };
	static const char *const w3[] = { NULL };
	/* numbers of any size */
	static const char *const t4[] = { "9.9.9",
					  "9.9.10",
					  "9.10.0",
					  "10.0.0",
					  "99999999999999999999.0.0",
					  "100000000000000000000.0.0",
					  NULL };
	static const char *const w4[] = {
		"99999999999999999999.0.0 follows 10.0.0 (kind 'version'); "
		"expected 10.0.1, 10.1.0 or 11.0.0",
		NULL
	};
	/* kinds with some parts; each kind on its own, in policy order */
	static const char *const t5[] = { "1.4",    "1.6",   "2.0", "v1.0.0",
					  "v3.0.0", "1.0.0", NULL };
	static const char *const w5[] = {
		"3.0.0 follows 1.0.0 (kind 'release'); expected 1.0.1, 1.1.0 "
		"or 2.0.0",
		"1.6 follows 1.4 (kind 'minor'); expected 1.5 or 2.0", NULL
	};
	/* a minor increment resets patch, a major one resets both */
	static const char *const t6[] = { "1.2.3", "1.3.1", "3.0.0", "4.0.1",
					  NULL };
	static const char *const w6[] = {
		"1.3.1 follows 1.2.3 (kind 'version'); expected 1.2.4, 1.3.0 "
		"or 2.0.0",
		"3.0.0 follows 1.3.1 (kind 'version'); expected 1.3.2, 1.4.0 "
		"or 2.0.0",
		"4.0.1 follows 3.0.0 (kind 'version'); expected 3.0.1, 3.1.0 "
		"or 4.0.0",
		NULL
	};

	(void)state;
	expect_gaps(t1, w1);
	expect_gaps(t2, w2);
	expect_gaps(t3, w3);
	expect_gaps(t4, w4);
	expect_gaps(t5, w5);
	expect_gaps(t6, w6);
}

static void
test_version_gap_off(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	add(&f, "v1.0.0");
	add(&f, "v5.0.0");
	finish(&f);
	assert_int_equal(nset(&f, "version-gap"), 0);
	assert_false(tp_lint_failed(f.run));
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* one-version-per-commit                                              */
/* ------------------------------------------------------------------ */

static void
test_one_version_per_commit(void **state)
{
	struct fx f;
	const struct tp_setprob *s;

	(void)state;
	fx_open(&f, release_policy, TP_SCOPE_GIT, 0);
	add_fact(&f, "v1.0.0", C1, 1);
	add_fact(&f, "v1.1.0-rc.1", C2, 1); /* a prerelease, then */
	add_fact(&f, "v1.1.0", C2, 1); /* its release: fine */
	add_fact(&f, "v1.4.0-staging", C2, 1);
	add_fact(&f, "v1.4.0-prod", C2, 1); /* one version, two envs */
	add_fact(&f, "v1.0.1", C1, 1); /* a second release on C1 */
	add(&f, "v1.0.2"); /* no commit known */
	finish(&f);
	assert_int_equal(nset(&f, "one-version-per-commit"), 1);
	s = set_at(&f, "one-version-per-commit", 0);
	assert_int_equal(s->level, TP_LEVEL_WARNING);
	assert_int_equal(s->ntags, 2);
	assert_string_equal(s->tags[0]->text, "v1.0.0");
	assert_string_equal(s->tags[1]->text, "v1.0.1");
	assert_string_equal(s->message, "put 2 different releases of kind "
					"'release' on one commit 111111111111");
	/* a warning: check passes unless --strict */
	assert_false(tp_lint_failed(f.run));
	fx_close(&f);
	fx_open(&f, release_policy, TP_SCOPE_GIT, 1);
	add_fact(&f, "v1.0.0", C1, 1);
	add_fact(&f, "v2.0.0", C1, 1);
	finish(&f);
	assert_true(tp_lint_failed(f.run));
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* promotion                                                           */
/* ------------------------------------------------------------------ */

static const char promotion_policy[] =
	"version: 1\n"
	"fields: {env: {values: [dev, staging, prod, qa]}}\n"
	"kinds: {env: 'v{semver}-{env}', release: 'v{semver}'}\n"
	"scopes: {git: [env, release], image: []}\n"
	"rules: {promotion: [error, [dev, staging, prod]]}\n";

static void
test_promotion(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, promotion_policy, TP_SCOPE_GIT, 0);
	add_fact(&f, "v1.4.0-dev", C1, 1); /* first: nothing before */
	add_fact(&f, "v1.4.0-staging", C1, 1); /* dev is there */
	add_fact(&f, "v1.4.0-prod", C2, 1); /* staging is on C1 only */
	add_fact(&f, "v1.5.0-staging", C1, 1); /* no v1.5.0-dev */
	add_fact(&f, "v1.4.0-qa", C2, 1); /* not in the list */
	add(&f, "v1.6.0-prod"); /* no commit known */
	finish(&f);
	has(tp_lint_at(f.run, 0), "promotion", TP_LEVEL_OFF, NULL, NULL);
	has(tp_lint_at(f.run, 1), "promotion", TP_LEVEL_OFF, NULL, NULL);
	has(tp_lint_at(f.run, 2), "promotion", TP_LEVEL_ERROR,
	    "sits on commit 222222222222, which does not carry "
	    "'v1.4.0-staging' (staging comes before prod)",
	    NULL);
	has(tp_lint_at(f.run, 3), "promotion", TP_LEVEL_ERROR,
	    "sits on commit 111111111111, which does not carry 'v1.5.0-dev' "
	    "(dev comes before staging)",
	    NULL);
	has(tp_lint_at(f.run, 4), "promotion", TP_LEVEL_OFF, NULL, NULL);
	has(tp_lint_at(f.run, 5), "promotion", TP_LEVEL_OFF, NULL, NULL);
	/* the finding fails the tag */
	assert_false(tp_lint_at(f.run, 2)->ok);
	assert_true(tp_lint_failed(f.run));
	fx_close(&f);
}

static void
test_promotion_configure(void **state)
{
	(void)state;
	load_fails("version: 1\nrules: {promotion: [error, [prod]]}\n",
		   "at least two environments");
}

/* ------------------------------------------------------------------ */
/* immutable, monotonic, release-branch: push-time rules               */
/* ------------------------------------------------------------------ */

static void
test_immutable_configure(void **state)
{
	struct tp_policy *p;

	(void)state;
	load_fails("version: 1\n"
		   "kinds: {release: 'v{semver}'}\n"
		   "scopes: {git: [release], image: []}\n"
		   "rules: {immutable: [error, [relase]]}\n",
		   "unknown kind 'relase'; did you mean 'release'?");
	p = test_load_policy("version: 1\n"
		 "kinds: {release: 'v{semver}'}\n"
		 "scopes: {git: [release], image: []}\n"
		 "rules: {immutable: [error, [release]]}\n");
	tp_policy_free(p);
}

static void
test_push_rules_silent_in_check(void **state)
{
	struct fx f;
	size_t i;

	(void)state;
	/* check has no push: these rules report nothing there */
	fx_open(&f,
		"version: 1\n"
		"kinds: {release: 'v{semver}'}\n"
		"scopes: {git: [release], image: []}\n"
		"rules:\n"
		"  monotonic: error\n"
		"  release-branch: [error, [main]]\n"
		"  immutable: error\n",
		TP_SCOPE_GIT, 0);
	add_fact(&f, "v2.0.0", C1, 1);
	add_fact(&f, "v1.0.0", C2, 1);
	finish(&f);
	for (i = 0; i < 2; i++)
		assert_int_equal(tp_lint_at(f.run, i)->ndiags, 0);
	assert_null(tp_lint_set_problems(f.run));
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* custom rules                                                        */
/* ------------------------------------------------------------------ */

static void
test_custom(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f,
		"version: 1\n"
		"fields: {any: {pattern: '.*'}}\n"
		"kinds: {release: 'v{semver}', any: '{any}'}\n"
		"scopes: {git: [release, any], image: [any]}\n"
		"rules:\n"
		"  custom:\n"
		"    - {id: no-temp, not-match: '(^|-)(tmp|temp)(-|$)',\n"
		"       message: temporary tags are not published}\n"
		"    - {id: has-digit, level: warning, match: '[0-9]',\n"
		"       scope: git, message: no digit}\n"
		"    - {id: rel-only, match: '^v1', kinds: [release],\n"
		"       message: releases start at v1}\n",
		TP_SCOPE_GIT, 0);
	has(add(&f, "tmp-1"), "no-temp", TP_LEVEL_ERROR,
	    "temporary tags are not published", NULL);
	has(add(&f, "x-temp"), "no-temp", TP_LEVEL_ERROR, NULL, NULL);
	has(add(&f, "temporary"), "no-temp", TP_LEVEL_OFF, NULL, NULL);
	/* match: a finding when it does not match */
	has(tp_lint_at(f.run, 2), "has-digit", TP_LEVEL_WARNING, "no digit",
	    NULL);
	has(add(&f, "v2.0.0"), "rel-only", TP_LEVEL_ERROR,
	    "releases start at v1", NULL);
	has(add(&f, "v1.0.0"), "rel-only", TP_LEVEL_OFF, NULL, NULL);
	/* kinds: only tags of those kinds */
	has(add(&f, "x2"), "rel-only", TP_LEVEL_OFF, NULL, NULL);
	fx_close(&f);
}

/* ------------------------------------------------------------------ */
/* The registry                                                        */
/* ------------------------------------------------------------------ */

static void
test_registry(void **state)
{
	char *readme = test_read_src("rules/README.md");
	const char *dir = getenv("srcdir");
	char heading[128], path[1024];
	struct stat st;
	size_t i, j;

	(void)state;
	for (i = 0; i < tp_rule_count; i++) {
		const struct tp_rule_desc *d = tp_rule_registry[i];

		assert_non_null(d->summary);
		assert_true(strlen(d->summary) > 0);
		if (i > 0 && strcmp(tp_rule_registry[i - 1]->id, d->id) >= 0) {
			print_error("'%s' is not after '%s'\n", d->id,
				    tp_rule_registry[i - 1]->id);
			fail();
		}
		for (j = 0; d->id[j] != '\0'; j++)
			assert_true((d->id[j] >= 'a' && d->id[j] <= 'z') ||
				    d->id[j] == '-');
		assert_ptr_equal(tp_rule_find(d->id, strlen(d->id)), d);
		snprintf(heading, sizeof(heading), "\n## %s\n", d->id);
		if (strstr(readme, heading) == NULL) {
			print_error("rules/README.md has no '## %s'\n", d->id);
			fail();
		}
		snprintf(path, sizeof(path), "%s/tests/cases/%s",
			 dir ? dir : ".", d->id);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			print_error("no golden case in %s\n", path);
			fail();
		}
	}
	assert_null(tp_rule_find("nope", 4));
	assert_null(tp_rule_find("kin", 3));
	free(readme);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_kind);
	tlist_unit(&l, test_kind_always_on);
	tlist_unit(&l, test_kind_field_value);
	tlist_unit(&l, test_charset_image);
	tlist_unit(&l, test_charset_git);
	tlist_unit(&l, test_charset_suggestion);
	tlist_unit(&l, test_charset_off);
	tlist_unit(&l, test_max_length);
	tlist_unit(&l, test_max_length_configure);
	tlist_unit(&l, test_lowercase);
	tlist_unit(&l, test_prerelease_ids);
	tlist_unit(&l, test_prerelease_ids_configure);
	tlist_unit(&l, test_date_future);
	tlist_unit(&l, test_sha_commit);
	tlist_unit(&l, test_annotated);
	tlist_unit(&l, test_duplicate_version);
	tlist_unit(&l, test_duplicate_scopes);
	tlist_unit(&l, test_duplicate_many);
	tlist_unit(&l, test_version_gap);
	tlist_unit(&l, test_version_gap_off);
	tlist_unit(&l, test_one_version_per_commit);
	tlist_unit(&l, test_promotion);
	tlist_unit(&l, test_promotion_configure);
	tlist_unit(&l, test_immutable_configure);
	tlist_unit(&l, test_push_rules_silent_in_check);
	tlist_unit(&l, test_custom);
	tlist_unit(&l, test_registry);
	return tlist_run(&l, "rules");
}
