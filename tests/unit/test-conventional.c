/*
 * test-conventional.c: Conventional Commits parsing and the bump map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conventional.h"
#include "tsv.h"

static const char *const bump_names[] = { "none", "patch", "minor", "major" };

/* The loaded vector file, for column lookups in test_vector(). */
static const struct tsv *vectors;

/* Parses a NUL-terminated test message. */
static int
parse(struct tp_cc *cc, const char *msg)
{
	return tp_cc_parse(cc, msg, strlen(msg));
}

static int
span_is(const char *p, size_t n, const char *want)
{
	return p != NULL && n == strlen(want) && memcmp(p, want, n) == 0;
}

static void
assert_span(const char *what, const char *p, size_t n, const char *want,
	    const char *msg)
{
	if (span_is(p, n, want))
		return;
	print_error("%s of '%s': got '%.*s', want '%s'\n", what, msg,
		    p ? (int)n : 6, p ? p : "(null)", want);
	fail();
}

static void
test_header_parts(void **state)
{
	const char *msg = "feat(my scope)!: add it \t\r\n\nbody";
	struct tp_cc cc;

	(void)state;
	assert_int_equal(parse(&cc, msg), 1);
	assert_int_equal(cc.valid, 1);
	assert_int_equal(cc.breaking, 1);
	assert_span("type", cc.type, cc.type_len, "feat", msg);
	assert_span("scope", cc.scope, cc.scope_len, "my scope", msg);
	assert_span("subject", cc.subject, cc.subject_len, "add it", msg);
}

static void
test_subject_trimmed(void **state)
{
	const char *msg = "Fix:   \t spaced out  ";
	struct tp_cc cc;

	(void)state;
	assert_int_equal(parse(&cc, msg), 1);
	assert_null(cc.scope);
	assert_int_equal(cc.scope_len, 0);
	assert_span("type", cc.type, cc.type_len, "Fix", msg);
	assert_span("subject", cc.subject, cc.subject_len, "spaced out", msg);
}

static void
test_invalid_is_zeroed(void **state)
{
	static const char *const bad[] = {
		"", "feat", "feat:", "feat: ", "feat:  \t\r", "feat: \r\nx",
		"feat(): x", "feat(a)(b): x", "feat(a: x", "feat(a\r): x",
		"feat!!: x", "feat!(a): x", "(a): x", "1: x", ":  x",
		"feat:\tx", "\nfeat: x"
	};
	struct tp_cc cc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&cc, 0x5a, sizeof(cc));
		if (parse(&cc, bad[i]) != 0 || cc.valid || cc.breaking ||
		    cc.type || cc.type_len || cc.scope || cc.scope_len ||
		    cc.subject || cc.subject_len) {
			print_error("'%s' should be invalid and zeroed\n",
				    bad[i]);
			fail();
		}
	}
}

static void
test_null_empty(void **state)
{
	struct tp_cc cc;

	(void)state;
	assert_int_equal(tp_cc_parse(&cc, NULL, 0), 0);
	assert_int_equal(cc.valid, 0);
}

/* The parser must read exactly `len` bytes: no NUL terminator needed. */
static void
test_length_bound(void **state)
{
	const char *text = "fix: y\n\nBREAKING CHANGE: z";
	size_t len = strlen(text);
	char *buf = malloc(len);
	struct tp_cc cc;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, text, len);
	assert_int_equal(tp_cc_parse(&cc, buf, len), 1);
	assert_int_equal(cc.breaking, 1);
	/* cut inside the token: "BREAKING CHANGE:" without its space */
	assert_int_equal(tp_cc_parse(&cc, buf, len - 2), 1);
	assert_int_equal(cc.breaking, 0);
	/* cut inside the header: "fi" */
	assert_int_equal(tp_cc_parse(&cc, buf, 2), 0);
	/* "fix: y" then nothing */
	assert_int_equal(tp_cc_parse(&cc, buf, 6), 1);
	assert_span("subject", cc.subject, cc.subject_len, "y", "fix: y");
	free(buf);
}

static void
test_nul_in_message(void **state)
{
	static const char msg[] = "fix: a\0b\n\nBREAKING CHANGE: c";
	struct tp_cc cc;

	(void)state;
	assert_int_equal(tp_cc_parse(&cc, msg, sizeof(msg) - 1), 1);
	assert_int_equal(cc.subject_len, 3);
	assert_int_equal(cc.breaking, 1);
}

static void
test_breaking_footer_rules(void **state)
{
	static const struct {
		const char *msg;
		int breaking;
	} c[] = {
		/* white space only and "\r" lines are blank */
		{ "fix: y\n \t\nBREAKING CHANGE: z", 1 },
		{ "fix: y\n\r\nBREAKING CHANGE: z", 1 },
		{ "fix: y\r\n\r\nBREAKING-CHANGE: z\r\n", 1 },
		/* a lone "\r" line ending is not a line break */
		{ "fix: y\r\rBREAKING CHANGE: z", 0 },
		/* the blank line may be far above */
		{ "fix: y\n\npara\nmore\nBREAKING CHANGE: z", 1 },
		/* an empty value still has the token */
		{ "fix: y\n\nBREAKING CHANGE: ", 1 },
		{ "fix: y\n\nBREAKING CHANGE:", 0 },
		{ "fix: y\n\nBREAKING CHANGE:\r\n", 0 },
		{ "fix: y\n\nBREAKING_CHANGE: z", 0 },
		{ "fix: y\n\n\tBREAKING CHANGE: z", 0 },
		/* never in the header */
		{ "fix: BREAKING CHANGE: z", 0 },
		{ "fix: y\nBREAKING CHANGE: z\n\nok", 0 },
		{ "fix: y\nBREAKING CHANGE: z\n\nBREAKING CHANGE: z", 1 },
		/* `!` and a footer together */
		{ "fix!: y\n\nBREAKING CHANGE: z", 1 }
	};
	struct tp_cc cc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (parse(&cc, c[i].msg) != 1 ||
		    cc.breaking != c[i].breaking) {
			print_error("'%s': valid %d breaking %d, want 1 %d\n",
				    c[i].msg, cc.valid, cc.breaking,
				    c[i].breaking);
			fail();
		}
	}
}

static void
test_default_map(void **state)
{
	struct tp_bump_map m = tp_bump_map_default();
	struct tp_cc cc;

	(void)state;
	assert_int_equal(m.breaking, TP_BUMP_MAJOR);
	assert_int_equal(m.zero_major, TP_BUMP_MINOR);
	assert_int_equal(tp_bump_map_get(&m, "feat", 4), TP_BUMP_MINOR);
	assert_int_equal(tp_bump_map_get(&m, "FeAt", 4), TP_BUMP_MINOR);
	assert_int_equal(tp_bump_map_get(&m, "fix", 3), TP_BUMP_PATCH);
	assert_int_equal(tp_bump_map_get(&m, "fixes", 3), TP_BUMP_PATCH);
	assert_int_equal(tp_bump_map_get(&m, "fixes", 5), TP_BUMP_NONE);
	assert_int_equal(tp_bump_map_get(&m, "fea", 3), TP_BUMP_NONE);
	assert_int_equal(tp_bump_map_get(&m, "perf", 4), TP_BUMP_NONE);

	parse(&cc, "fix!: y");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_MAJOR);
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_MINOR);
	parse(&cc, "feat: y");
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_MINOR);
	parse(&cc, "chore: y");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_NONE);
	parse(&cc, "Update README\n\nBREAKING CHANGE: z");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_NONE);
}

static void
test_custom_map(void **state)
{
	static const struct tp_bump_type types[] = {
		{ "PERF", TP_BUMP_PATCH },
		{ "feat", TP_BUMP_MAJOR },
		{ "Feat", TP_BUMP_PATCH }, /* duplicate: the first wins */
		{ "docs", TP_BUMP_NONE }
	};
	struct tp_bump_map m;
	struct tp_cc cc;

	(void)state;
	m.types = types;
	m.ntypes = sizeof(types) / sizeof(types[0]);
	m.breaking = TP_BUMP_MAJOR;
	m.zero_major = TP_BUMP_PATCH;

	parse(&cc, "perf: faster");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_PATCH);
	parse(&cc, "FEAT: x");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_MAJOR);
	parse(&cc, "fix: x");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_NONE);
	/* breaking in 0.x: zero_major, but never below the type's bump */
	parse(&cc, "docs!: x");
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_PATCH);
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_MAJOR);
	parse(&cc, "perf(x)!: y");
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_PATCH);
	parse(&cc, "feat!: y");
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_MAJOR);

	/* strict 1.0.0 rules: breaking is major even in 0.x */
	m.zero_major = TP_BUMP_MAJOR;
	parse(&cc, "docs!: x");
	assert_int_equal(tp_cc_bump(&cc, &m, 1), TP_BUMP_MAJOR);

	m.ntypes = 0;
	parse(&cc, "feat: x");
	assert_int_equal(tp_cc_bump(&cc, &m, 0), TP_BUMP_NONE);
}

/*
 * One row of conventional-bump.tsv.  Ours: cc_valid, type (lower-cased
 * in the file; compared case-insensitively), scope, breaking and
 * bump_spec (the default map, major not zero).  The bump for a 0.x base
 * is not in the file; it follows from decision 8 (breaking -> minor,
 * anything else unchanged), so it is checked too.
 */
static void
test_vector(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = vectors;
	const char *msg, *want_valid, *want_type, *want_scope, *want_brk;
	const char *want_bump, *want_zero;
	struct tp_bump_map m = tp_bump_map_default();
	struct tp_cc cc;
	size_t len, k;
	enum tp_bump b, bz;
	int ok = 1;

	msg = tsv_get(row, tsv_col(t, "message"));
	len = tsv_len(row, tsv_col(t, "message"));
	want_valid = tsv_get(row, tsv_col(t, "cc_valid"));
	want_type = tsv_get(row, tsv_col(t, "type"));
	want_scope = tsv_get(row, tsv_col(t, "scope"));
	want_brk = tsv_get(row, tsv_col(t, "breaking"));
	want_bump = tsv_get(row, tsv_col(t, "bump_spec"));
	want_zero = strcmp(want_bump, "major") == 0 ? "minor" : want_bump;

	tp_cc_parse(&cc, msg, len);
	b = tp_cc_bump(&cc, &m, 0);
	bz = tp_cc_bump(&cc, &m, 1);

	if (cc.valid != (strcmp(want_valid, "yes") == 0))
		ok = 0;
	if (cc.valid) {
		if (cc.type_len != strlen(want_type))
			ok = 0;
		for (k = 0; ok && k < cc.type_len; k++)
			if ((cc.type[k] | 0x20) != want_type[k])
				ok = 0;
		if (!(want_scope[0] == '\0' ? cc.scope == NULL :
		      span_is(cc.scope, cc.scope_len, want_scope)))
			ok = 0;
	}
	/*
	 * cc060 leaves `breaking` empty although the row is valid (and
	 * bump_spec "minor" says it is not breaking): an empty field is
	 * compared only through the bump.
	 */
	if (want_brk[0] != '\0' &&
	    cc.breaking != (strcmp(want_brk, "yes") == 0))
		ok = 0;
	if (want_brk[0] == '\0' && !cc.valid && cc.breaking)
		ok = 0;
	if (strcmp(bump_names[b], want_bump) != 0 ||
	    strcmp(bump_names[bz], want_zero) != 0)
		ok = 0;
	if (!ok) {
		print_error("message '%s'\n"
			    "got:  valid %d type '%.*s' scope '%.*s' "
			    "breaking %d bump %s (0.x: %s)\n"
			    "want: valid %s type '%s' scope '%s' "
			    "breaking '%s' bump %s (0.x: %s)\n",
			    msg, cc.valid, (int)cc.type_len,
			    cc.type ? cc.type : "", (int)cc.scope_len,
			    cc.scope ? cc.scope : "", cc.breaking,
			    bump_names[b], bump_names[bz], want_valid,
			    want_type, want_scope, want_brk, want_bump,
			    want_zero);
		fail();
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *t = tsv_load("conventional-bump.tsv");
	int rc;

	vectors = t;
	tlist_unit(&l, test_header_parts);
	tlist_unit(&l, test_subject_trimmed);
	tlist_unit(&l, test_invalid_is_zeroed);
	tlist_unit(&l, test_null_empty);
	tlist_unit(&l, test_length_bound);
	tlist_unit(&l, test_nul_in_message);
	tlist_unit(&l, test_breaking_footer_rules);
	tlist_unit(&l, test_default_map);
	tlist_unit(&l, test_custom_map);
	tlist_add_tsv(&l, t, test_vector, NULL);
	rc = tlist_run(&l, "conventional");
	tsv_free(t);
	return rc;
}
