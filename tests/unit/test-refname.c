/*
 * test-refname.c: git ref-name rules and tag names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refname.h"
#include "tsv.h"

/* The loaded vector files, for column lookups in the row tests. */
static const struct tsv *ref_vectors;
static const struct tsv *tag_vectors;

static void
assert_ref_why(const char *name, size_t len, unsigned flags, const char *want)
{
	char why[128];

	snprintf(why, sizeof(why), "(untouched)");
	if (tp_refname_check(name, len, flags, why, sizeof(why)) != 0 ||
	    strcmp(why, want) != 0) {
		print_error("ref '%.*s' flags %#x: why \"%s\", want \"%s\"\n",
			    (int)len, name, flags, why, want);
		fail();
	}
}

#define REF_WHY(name, flags, want)                                             \
	assert_ref_why((name), sizeof(name) - 1, (flags), (want))

static void
test_ref_reasons(void **state)
{
	(void)state;
	REF_WHY("", 0, "empty");
	REF_WHY("///", TP_REFNAME_NORMALIZE, "empty");
	REF_WHY("@", TP_REFNAME_ALLOW_ONELEVEL, "cannot be '@'");
	REF_WHY("//@", TP_REFNAME_NORMALIZE | TP_REFNAME_ALLOW_ONELEVEL,
		"cannot be '@'");
	REF_WHY("/refs/x", 0, "starts with '/'");
	REF_WHY("refs/x/", 0, "ends with '/'");
	REF_WHY("refs//x", 0, "contains '//'");
	REF_WHY("refs/x//", TP_REFNAME_NORMALIZE, "ends with '/'");
	REF_WHY("refs/a..b", 0, "contains '..'");
	REF_WHY("refs/v@{1}", 0, "contains '@{'");
	REF_WHY("refs/a\ab", 0, "contains control character 0x07");
	REF_WHY("refs/a\tb", 0, "contains control character 0x09");
	REF_WHY("refs/a\x7f", 0, "contains control character 0x7f");
	REF_WHY("refs/a\0b", 0, "contains control character 0x00");
	REF_WHY("refs/a b", 0, "contains ' '");
	REF_WHY("refs/a~1", 0, "contains '~'");
	REF_WHY("refs/a^", 0, "contains '^'");
	REF_WHY("refs/a:b", 0, "contains ':'");
	REF_WHY("refs/a?", 0, "contains '?'");
	REF_WHY("refs/a[0]", 0, "contains '['");
	REF_WHY("refs/a\\b", 0, "contains '\\'");
	REF_WHY("refs/a*", 0, "contains '*'");
	REF_WHY("refs/*/a*", TP_REFNAME_REFSPEC_PATTERN,
		"contains more than one '*'");
	REF_WHY(".refs/x", 0, "starts with '.'");
	REF_WHY("refs/.x", 0, "component starts with '.'");
	REF_WHY("refs/x.lock", 0, "ends with '.lock'");
	REF_WHY("refs/x.lock/y", 0, "component ends with '.lock'");
	REF_WHY("refs/x.", 0, "ends with '.'");
	REF_WHY("refs", 0, "has only one component");
	/* The first problem from the left wins, as in git. */
	REF_WHY("refs/a b/c..d", 0, "contains ' '");
	REF_WHY("refs/.a..b", 0, "contains '..'");
}

static void
test_ref_valid(void **state)
{
	const char name[] = "refs/tags/v1.2.3+b.5/x";
	char why[16];

	(void)state;
	snprintf(why, sizeof(why), "x");
	assert_int_equal(
		tp_refname_check(name, sizeof(name) - 1, 0, why, sizeof(why)),
		1);
	assert_string_equal(why, "x");
	/* Only `len` bytes count: "refs/x" of "refs/x y". */
	assert_int_equal(tp_refname_check("refs/x y", 6, 0, NULL, 0), 1);
	assert_int_equal(tp_refname_check(NULL, 0, 0, NULL, 0), 0);
	/* Unknown flag bits are ignored. */
	assert_int_equal(tp_refname_check("@", 1,
					  TP_REFNAME_ALLOW_ONELEVEL | 0x100u,
					  NULL, 0),
			 0);
	assert_int_equal(tp_refname_check("refs/a*", 7, 0xf0u, NULL, 0), 0);
	/* The why buffer is truncated, never overrun. */
	assert_int_equal(tp_refname_check("a..b/c", 6, 0, why, 5), 0);
	assert_string_equal(why, "cont");
	snprintf(why, sizeof(why), "x");
	assert_int_equal(tp_refname_check("a..b/c", 6, 0, why, 0), 0);
	assert_string_equal(why, "x");
}

static void
assert_tag_why(const char *name, size_t len, const char *want)
{
	char why[128];

	snprintf(why, sizeof(why), "(untouched)");
	if (tp_git_tagname_check(name, len, why, sizeof(why)) != 0 ||
	    strcmp(why, want) != 0) {
		print_error("tag '%.*s': why \"%s\", want \"%s\"\n", (int)len,
			    name, why, want);
		fail();
	}
}

#define TAG_WHY(name, want) assert_tag_why((name), sizeof(name) - 1, (want))

static void
test_tagname(void **state)
{
	(void)state;
	TAG_WHY("", "empty");
	TAG_WHY("-v1", "starts with '-'");
	TAG_WHY("--", "starts with '-'");
	TAG_WHY("HEAD", "cannot be 'HEAD'");
	TAG_WHY("/v1", "starts with '/'");
	TAG_WHY("v1/", "ends with '/'");
	TAG_WHY("v1..2", "contains '..'");
	TAG_WHY(".v1", "starts with '.'");
	TAG_WHY("app/.v1", "component starts with '.'");
	TAG_WHY("v1.lock", "ends with '.lock'");
	TAG_WHY("v1*", "contains '*'");
	TAG_WHY("v1.", "ends with '.'");
	/* refs/tags/@ is a fine ref; one level is fine under refs/tags/. */
	assert_int_equal(tp_git_tagname_check("@", 1, NULL, 0), 1);
	assert_int_equal(tp_git_tagname_check("v1", 2, NULL, 0), 1);
	assert_int_equal(tp_git_tagname_check("HEADS", 5, NULL, 0), 1);
	assert_int_equal(tp_git_tagname_check("HEAD", 3, NULL, 0), 1);
	assert_int_equal(tp_git_tagname_check(NULL, 0, NULL, 0), 0);
}

/* ---- vector rows ---- */

static int
parse_flags(const char *opts, unsigned *flags)
{
	char word[32];
	const char *p = opts;
	size_t n;

	*flags = 0;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0)
			break;
		if (n >= sizeof(word))
			return -1;
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;
		if (strcmp(word, "--allow-onelevel") == 0)
			*flags |= TP_REFNAME_ALLOW_ONELEVEL;
		else if (strcmp(word, "--refspec-pattern") == 0)
			*flags |= TP_REFNAME_REFSPEC_PATTERN;
		else if (strcmp(word, "--normalize") == 0)
			*flags |= TP_REFNAME_NORMALIZE;
		else
			return -1;
	}
	return 0;
}

/* "valid" -> 1, "invalid" -> 0, anything else -> -1. */
static int
validity(const char *s)
{
	if (strcmp(s, "valid") == 0)
		return 1;
	if (strcmp(s, "invalid") == 0)
		return 0;
	return -1;
}

static void
test_refname_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = ref_vectors;
	const char *name = tsv_get(row, tsv_col(t, "refname"));
	size_t len = tsv_len(row, tsv_col(t, "refname"));
	const char *opts = tsv_get(row, tsv_col(t, "check_ref_format_options"));
	int want = validity(tsv_get(row, tsv_col(t, "expected")));
	char why[128] = "";
	unsigned flags;
	int got;

	if (parse_flags(opts, &flags) < 0 || want < 0) {
		print_error("'%s': bad options '%s' or expected value\n", name,
			    opts);
		fail();
	}
	got = tp_refname_check(name, len, flags, why, sizeof(why));
	if (got != want || (got == 0 && why[0] == '\0')) {
		print_error("'%s' %s: got %s (%s), want %s\n", name, opts,
			    got ? "valid" : "invalid", why,
			    want ? "valid" : "invalid");
		fail();
	}
}

static void
test_tagname_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = tag_vectors;
	const char *name = tsv_get(row, tsv_col(t, "tag_name"));
	size_t len = tsv_len(row, tsv_col(t, "tag_name"));
	int want = validity(tsv_get(row, tsv_col(t, "expected_git_tag")));
	char why[128] = "";
	int got;

	if (want < 0) {
		print_error("'%s': bad expected value\n", name);
		fail();
	}
	got = tp_git_tagname_check(name, len, why, sizeof(why));
	if (got != want || (got == 0 && why[0] == '\0')) {
		print_error("tag '%s': got %s (%s), want %s\n", name,
			    got ? "valid" : "invalid", why,
			    want ? "valid" : "invalid");
		fail();
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *tr = tsv_load("refname.tsv");
	struct tsv *tt = tsv_load("git-tagname.tsv");
	int rc;

	ref_vectors = tr;
	tag_vectors = tt;
	tlist_unit(&l, test_ref_reasons);
	tlist_unit(&l, test_ref_valid);
	tlist_unit(&l, test_tagname);
	tlist_add_tsv(&l, tr, test_refname_row, NULL);
	tlist_add_tsv(&l, tt, test_tagname_row, NULL);
	rc = tlist_run(&l, "refname");
	tsv_free(tr);
	tsv_free(tt);
	return rc;
}
