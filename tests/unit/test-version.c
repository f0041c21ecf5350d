/*
 * test-version.c: SemVer 2.0.0 parsing, precedence and increments, plus
 * every row of the semver-*.tsv vectors that applies to us.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tagpolicy.h"
#include "tsv.h"

/* Set once in main() before the tests run; the row tests read columns. */
static struct tsv *valid_t, *invalid_t, *prec_t, *inc_t;

static void
parse_ok(struct tp_version *v, const char *s, size_t len)
{
	struct tp_error err;

	tp_error_init(&err);
	if (tp_version_parse(v, s, len, &err) != 0) {
		print_error("parse '%.*s' failed: %s\n", (int)len, s, err.msg);
		fail();
	}
}

static void
expect_part(const char *input, const char *name, const char *s,
	    size_t off, size_t len, const char *want, size_t want_len)
{
	if (len != want_len || memcmp(s + off, want, len) != 0) {
		print_error("'%s': %s is '%.*s', want '%.*s'\n", input, name,
			    (int)len, s + off, (int)want_len, want);
		fail();
	}
}

/* ---- parse --------------------------------------------------------- */

static void
test_parse_parts(void **state)
{
	const char *s = "1.22.333-rc.1+b.05";
	struct tp_version v;

	(void)state;
	parse_ok(&v, s, strlen(s));
	assert_ptr_equal(v.str, s);
	assert_int_equal(v.len, strlen(s));
	assert_int_equal(v.major_off, 0);
	assert_int_equal(v.major_len, 1);
	assert_int_equal(v.minor_off, 2);
	assert_int_equal(v.minor_len, 2);
	assert_int_equal(v.patch_off, 5);
	assert_int_equal(v.patch_len, 3);
	assert_int_equal(v.pre_off, 9);
	assert_int_equal(v.pre_len, 4);
	assert_int_equal(v.build_off, 14);
	assert_int_equal(v.build_len, 4);

	s = "0.0.0";
	parse_ok(&v, s, strlen(s));
	assert_int_equal(v.patch_off, 4);
	assert_int_equal(v.pre_len, 0);
	assert_int_equal(v.build_len, 0);

	s = "1.0.0+x-y";
	parse_ok(&v, s, strlen(s));
	assert_int_equal(v.pre_len, 0);
	assert_int_equal(v.build_off, 6);
	assert_int_equal(v.build_len, 3);

	s = "1.0.0--+-";
	parse_ok(&v, s, strlen(s));
	assert_int_equal(v.pre_off, 6);
	assert_int_equal(v.pre_len, 1);
	assert_int_equal(v.build_off, 8);
	assert_int_equal(v.build_len, 1);
}

/* Exactly `len` bytes are read: no NUL needed, trailing bytes ignored. */
static void
test_parse_len(void **state)
{
	const char buf[] = { '1', '.', '2', '.', '3', '-', 'r', 'c' };
	struct tp_version v;
	struct tp_error err;

	(void)state;
	parse_ok(&v, buf, 5);
	assert_int_equal(v.pre_len, 0);
	parse_ok(&v, buf, sizeof(buf));
	assert_int_equal(v.pre_len, 2);
	parse_ok(&v, "1.2.3garbage", 5);
	tp_error_init(&err);
	assert_int_equal(tp_version_parse(&v, buf, 6, &err), TP_EINVAL);
	assert_string_equal(err.msg, "empty prerelease");
	assert_int_equal(tp_version_parse(&v, NULL, 0, NULL), TP_EINVAL);
}

struct bad {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *msg;
	const char *hint;
};

static const struct bad bad_versions[] = {
	{ "", 0, "empty version", NULL },
	{ " 1.2.3", 0, "leading white space", NULL },
	{ "\t1.2.3", 0, "leading white space", NULL },
	{ "1.2.3\n", 0, "trailing white space", NULL },
	{ "1.2 ", 0, "trailing white space", NULL },
	{ "v1.2.3", 0, "'v' prefix is not part of a version", NULL },
	{ "V1.2.3", 0, "'V' prefix is not part of a version", NULL },
	{ "=1.2.3", 0, "'=' prefix is not part of a version", NULL },
	{ "1", 0, "missing minor (expected MAJOR.MINOR.PATCH)", NULL },
	{ "1.2", 0, "missing patch (expected MAJOR.MINOR.PATCH)", NULL },
	{ "1.2.", 0, "missing patch (expected MAJOR.MINOR.PATCH)", NULL },
	{ "1.2-rc", 0, "missing patch (expected MAJOR.MINOR.PATCH)", NULL },
	{ "1+b", 0, "missing minor (expected MAJOR.MINOR.PATCH)", NULL },
	{ ".1.2", 0, "empty major", NULL },
	{ "1..3", 0, "empty minor", NULL },
	{ "01.1.1", 0, "leading zero in major", NULL },
	{ "1.01.1", 0, "leading zero in minor", NULL },
	{ "1.1.00", 0, "leading zero in patch", NULL },
	{ "-1.2.3", 0, "sign '-' before major", NULL },
	{ "1.-2.3", 0, "sign '-' before minor", NULL },
	{ "1.2.+3", 0, "sign '+' before patch", NULL },
	{ "alpha", 0, "invalid character 'a' in major", NULL },
	{ "1.3b", 0, "invalid character 'b' in minor", NULL },
	{ "1.2.x", 0, "invalid character 'x' in patch", NULL },
	{ "1.2.3alpha", 0, "invalid character 'a' in patch",
	  "a prerelease starts with '-'" },
	{ "1.2.3 -a", 0, "invalid character ' ' in patch", NULL },
	{ "1.2.3.4", 0,
	  "unexpected '.' after patch (expected MAJOR.MINOR.PATCH)", NULL },
	{ "1.2.3-", 0, "empty prerelease", NULL },
	{ "1.2.3-+b", 0, "empty prerelease", NULL },
	{ "1.2.3+", 0, "empty build metadata", NULL },
	{ "1.2.3-a..b", 0, "empty prerelease identifier", NULL },
	{ "1.2.3-.a", 0, "empty prerelease identifier", NULL },
	{ "1.2.3-a.", 0, "empty prerelease identifier", NULL },
	{ "1.2.3-a.+b", 0, "empty prerelease identifier", NULL },
	{ "1.2.3+a..b", 0, "empty build metadata identifier", NULL },
	{ "1.2.3+a.", 0, "empty build metadata identifier", NULL },
	{ "1.2.3-01", 0, "leading zero in prerelease identifier '01'", NULL },
	{ "1.2.3-rc.00", 0, "leading zero in prerelease identifier '00'",
	  NULL },
	{ "1.2.3-0123456789012345678901234567890123456789012345678901", 0,
	  "leading zero in prerelease identifier "
	  "'012345678901234567890123456789012345678901234567...'", NULL },
	{ "1.2.3-a_b", 0, "invalid character '_' in prerelease", NULL },
	{ "1.2.3+build_1", 0, "invalid character '_' in build metadata",
	  NULL },
	{ "1.2.3+a+b", 0, "invalid character '+' in build metadata",
	  "only one '+' is allowed" },
	{ "1.2.3-\xc3\xa9", 0, "non-ASCII character U+00E9 in prerelease",
	  NULL },
	{ "1.2.3-\xf0\x9f\x92\xa5", 0,
	  "non-ASCII character U+1F4A5 in prerelease", NULL },
	{ "1.2.3\xe2\x80\x8b", 0, "non-ASCII character U+200B in patch",
	  NULL },
	{ "\xef\xbb\xbf" "1.2.3", 0, "non-ASCII character U+FEFF in major",
	  NULL },
	{ "1.2.3-\xff", 0, "invalid UTF-8 byte 0xff in prerelease", NULL },
	{ "1.2.3-\xc3", 0, "invalid UTF-8 byte 0xc3 in prerelease", NULL },
	{ "1.2.3-\xe0\x80\x80", 0, "invalid UTF-8 byte 0xe0 in prerelease",
	  NULL },
	{ "1.2.3", 6, "control character 0x00 in patch", NULL },
	{ "1.2.3-a\x7f", 0, "control character 0x7f in prerelease", NULL },
};

static void
test_parse_errors(void **state)
{
	struct tp_version v, before;
	struct tp_error err;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++) {
		const struct bad *b = &bad_versions[i];

		len = b->len ? b->len : strlen(b->in);
		memset(&v, 0x5a, sizeof(v));
		before = v;
		tp_error_init(&err);
		if (tp_version_parse(&v, b->in, len, &err) != TP_EINVAL ||
		    err.code != TP_EINVAL || strcmp(err.msg, b->msg) != 0 ||
		    strcmp(err.hint, b->hint ? b->hint : "") != 0) {
			print_error("'%s': got %d '%s' (hint '%s'), want "
				    "'%s' (hint '%s')\n", b->in, err.code,
				    err.msg, err.hint, b->msg,
				    b->hint ? b->hint : "");
			fail();
		}
		/* a failed parse leaves the output alone */
		assert_memory_equal(&v, &before, sizeof(v));
	}
}

/* ---- compare ------------------------------------------------------- */

static void
test_num_cmp(void **state)
{
	const char *big = "99999999999999999999999";
	const char *bigger = "100000000000000000000000";

	(void)state;
	assert_true(tp_num_cmp("9", 1, "10", 2) < 0);
	assert_true(tp_num_cmp("10", 2, "9", 1) > 0);
	assert_true(tp_num_cmp("123", 3, "124", 3) < 0);
	assert_true(tp_num_cmp("124", 3, "123", 3) > 0);
	assert_int_equal(tp_num_cmp("0", 1, "0", 1), 0);
	assert_int_equal(tp_num_cmp("4711", 4, "4711", 4), 0);
	assert_true(tp_num_cmp(big, strlen(big), bigger, strlen(bigger)) < 0);
	assert_true(tp_num_cmp(bigger, strlen(bigger), big, strlen(big)) > 0);
	assert_true(tp_num_cmp("18446744073709551615", 20,
			       "18446744073709551616", 20) < 0);
	/* only the given lengths count */
	assert_int_equal(tp_num_cmp("12x", 2, "12y", 2), 0);
}

static int
cmp_str(const char *a, const char *b)
{
	struct tp_version va, vb;

	parse_ok(&va, a, strlen(a));
	parse_ok(&vb, b, strlen(b));
	return tp_version_cmp(&va, &vb);
}

static void
test_cmp(void **state)
{
	static const char *const chain[] = {
		"0.0.0-0", "0.0.0-0.0", "0.0.0", "1.0.0-alpha",
		"1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
		"1.0.1", "1.9.0", "1.10.0", "2.0.0-0", "2.0.0",
		"99999999999999999999999.0.0",
		"100000000000000000000000.0.0-rc.1",
		"100000000000000000000000.0.0",
	};
	size_t n = sizeof(chain) / sizeof(chain[0]), i, j;
	int c;

	(void)state;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			c = cmp_str(chain[i], chain[j]);
			if ((i < j && c >= 0) || (i == j && c != 0) ||
			    (i > j && c <= 0)) {
				print_error("cmp('%s', '%s') = %d\n",
					    chain[i], chain[j], c);
				fail();
			}
		}
	}
	assert_true(cmp_str("1.0.0-9007199254740993",
			    "1.0.0-9007199254740992") > 0);
	assert_true(cmp_str("1.0.0-9007199254740992",
			    "1.0.0-9007199254740993") < 0);
	assert_int_equal(cmp_str("1.0.0+a", "1.0.0+b"), 0);
	assert_int_equal(cmp_str("1.0.0-rc.1+a", "1.0.0-rc.1"), 0);
	assert_true(cmp_str("1.0.0-1", "1.0.0--") < 0);
	assert_true(cmp_str("1.0.0-a", "1.0.0-a.0") < 0);
	assert_true(cmp_str("1.0.0-ab", "1.0.0-a.b") > 0);
	assert_true(cmp_str("1.0.0-rc10", "1.0.0-rc2") < 0);
}

/* ---- increment ----------------------------------------------------- */

static void
inc_ok(const char *in, enum tp_inc what, const char *preid, int start,
       const char *want)
{
	struct tp_version v;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	parse_ok(&v, in, strlen(in));
	tp_error_init(&err);
	rc = tp_version_inc(&out, &v, what, preid, start, &err);
	if (rc != 0 || strcmp(out.ptr, want) != 0) {
		print_error("inc('%s', %d, '%s', %d) = %d '%s' (%s), want "
			    "'%s'\n", in, (int)what, preid ? preid : "(null)",
			    start, rc, out.ptr, err.msg, want);
		tp_buf_release(&out);
		fail();
	}
	tp_buf_release(&out);
}

static void
inc_fails(const char *in, enum tp_inc what, const char *preid, int start,
	  const char *msg)
{
	struct tp_version v;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	parse_ok(&v, in, strlen(in));
	tp_error_init(&err);
	assert_int_equal(tp_buf_puts(&out, "keep"), 0);
	rc = tp_version_inc(&out, &v, what, preid, start, &err);
	if (rc != TP_EINVAL || err.code != TP_EINVAL ||
	    strcmp(err.msg, msg) != 0 || strcmp(out.ptr, "keep") != 0) {
		print_error("inc('%s', %d, '%s', %d) = %d '%s' ('%s'), want "
			    "failure '%s' and the buffer unchanged\n", in,
			    (int)what, preid ? preid : "(null)", start, rc,
			    out.ptr, err.msg, msg);
		tp_buf_release(&out);
		fail();
	}
	tp_buf_release(&out);
}

static void
test_inc_carry(void **state)
{
	(void)state;
	inc_ok("9.0.0", TP_INC_MAJOR, NULL, 0, "10.0.0");
	inc_ok("999.5.5", TP_INC_MAJOR, NULL, 0, "1000.0.0");
	inc_ok("1.9.9", TP_INC_MINOR, NULL, 0, "1.10.0");
	inc_ok("1.999.9", TP_INC_MINOR, NULL, 0, "1.1000.0");
	inc_ok("1.2.9", TP_INC_PATCH, NULL, 0, "1.2.10");
	inc_ok("1.2.1099", TP_INC_PATCH, NULL, 0, "1.2.1100");
	inc_ok("0.0.0", TP_INC_PATCH, NULL, 0, "0.0.1");
	inc_ok("99999999999999999999999.0.0", TP_INC_MAJOR, NULL, 0,
	       "100000000000000000000000.0.0");
	inc_ok("1.18446744073709551615.3", TP_INC_MINOR, NULL, 0,
	       "1.18446744073709551616.0");
	inc_ok("1.2.3-rc.99", TP_INC_PRERELEASE, "rc", 0, "1.2.3-rc.100");
	inc_ok("1.2.3-rc.9.x", TP_INC_PRERELEASE, NULL, 0, "1.2.3-rc.10.x");
	/* node-semver would not bump this id (it is above 2^53); we do */
	inc_ok("1.2.3-9007199254740999", TP_INC_PRERELEASE, NULL, 0,
	       "1.2.3-9007199254741000");
	inc_ok("1.2.3-rc.18446744073709551615", TP_INC_PRERELEASE, "rc", 1,
	       "1.2.3-rc.18446744073709551616");
	inc_ok("9.9.9", TP_INC_PREMAJOR, "rc", 1, "10.0.0-rc.1");
}

static void
test_inc_start(void **state)
{
	(void)state;
	inc_ok("1.2.3", TP_INC_PRERELEASE, "rc", 1, "1.2.4-rc.1");
	inc_ok("1.2.3", TP_INC_PRERELEASE, "rc", 5, "1.2.4-rc.5");
	inc_ok("1.2.3", TP_INC_PREMAJOR, NULL, 7, "2.0.0-7");
	inc_ok("1.2.3", TP_INC_PREMINOR, "a.b", 2, "1.3.0-a.b.2");
	inc_ok("1.2.3-rc", TP_INC_PRERELEASE, NULL, 3, "1.2.3-rc.3");
	inc_ok("1.2.3-rc.1", TP_INC_PRERELEASE, "rc", 5, "1.2.3-rc.2");
	inc_ok("1.2.3-rc.1", TP_INC_PRERELEASE, "beta", 1, "1.2.3-beta.1");
	inc_ok("1.2.3-rc.x", TP_INC_PRERELEASE, "rc", 1, "1.2.3-rc.1");
	inc_ok("1.2.3-rc.5", TP_INC_PRERELEASE, "rc.5", 1, "1.2.3-rc.5.1");
	inc_ok("1.2.3-1", TP_INC_PRERELEASE, "1", 1, "1.2.3-1.1");
	inc_ok("1.2.3-rc", TP_INC_PRERELEASE, "rc.x", TP_INC_NO_NUMBER,
	       "1.2.3-rc.x");
	inc_ok("1.2.3-rc.1", TP_INC_PRERELEASE, "rc", TP_INC_NO_NUMBER,
	       "1.2.3-rc.2");
	inc_ok("1.2.3", TP_INC_PREPATCH, "rc", TP_INC_NO_NUMBER,
	       "1.2.4-rc");
	inc_ok("1.2.3", TP_INC_PRERELEASE, "", 1, "1.2.4-1");
	inc_ok("1.2.3", TP_INC_PRERELEASE, "0", 0, "1.2.4-0.0");
}

static void
test_inc_other(void **state)
{
	struct tp_version v;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;

	(void)state;
	/* build metadata is dropped */
	inc_ok("1.2.3+b.1", TP_INC_PATCH, NULL, 0, "1.2.4");
	inc_ok("1.2.3-rc.1+b.1", TP_INC_RELEASE, NULL, 0, "1.2.3");
	inc_ok("1.2.3-rc.1+b.1", TP_INC_PRERELEASE, NULL, 0, "1.2.3-rc.2");
	/* only the pre* increments look at the identifier (as node) */
	inc_ok("1.2.3", TP_INC_MAJOR, "a_b", TP_INC_NO_NUMBER, "2.0.0");
	inc_ok("1.2.3-rc.1", TP_INC_RELEASE, "..", 0, "1.2.3");
	inc_ok("1.0.0-rc.1", TP_INC_MAJOR, NULL, 0, "1.0.0");
	inc_ok("1.0.1-rc.1", TP_INC_MAJOR, NULL, 0, "2.0.0");
	inc_ok("1.1.0-rc.1", TP_INC_MAJOR, NULL, 0, "2.0.0");
	inc_ok("1.1.0-rc.1", TP_INC_MINOR, NULL, 0, "1.1.0");

	/* appends to what the buffer holds */
	parse_ok(&v, "1.2.3", 5);
	tp_error_init(&err);
	assert_int_equal(tp_buf_puts(&out, "v"), 0);
	assert_int_equal(tp_version_inc(&out, &v, TP_INC_PATCH, NULL, 0,
					&err), 0);
	assert_string_equal(out.ptr, "v1.2.4");
	assert_int_equal(out.len, 6);
	tp_buf_release(&out);

	/* a buffer at its size limit: TP_ENOMEM, buffer unchanged */
	tp_buf_init(&out, 12);
	assert_int_equal(tp_buf_puts(&out, "prefix-"), 0);
	assert_int_equal(tp_version_inc(&out, &v, TP_INC_PRERELEASE, "rc",
					1, &err), TP_ENOMEM);
	assert_int_equal(err.code, TP_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
	assert_string_equal(out.ptr, "prefix-");
	assert_int_equal(out.len, 7);
	tp_buf_release(&out);

	/* err may be NULL */
	assert_int_equal(tp_version_inc(&out, &v, TP_INC_RELEASE, NULL, 0,
					NULL), TP_EINVAL);
	assert_int_equal(out.len, 0);
}

static void
test_inc_errors(void **state)
{
	(void)state;
	inc_fails("1.2.3", TP_INC_RELEASE, NULL, 0,
		  "version '1.2.3' is not a prerelease");
	inc_fails("1.2.3+b", TP_INC_RELEASE, NULL, 0,
		  "version '1.2.3+b' is not a prerelease");
	inc_fails("1.2.3", TP_INC_PRERELEASE, NULL, TP_INC_NO_NUMBER,
		  "a prerelease without a number needs an identifier");
	inc_fails("1.2.3", TP_INC_PREMAJOR, "", TP_INC_NO_NUMBER,
		  "a prerelease without a number needs an identifier");
	inc_fails("1.2.3-dev", TP_INC_PRERELEASE, "dev", TP_INC_NO_NUMBER,
		  "prerelease 'dev' already exists and no number may be "
		  "added");
	inc_fails("1.2.3-a.b", TP_INC_PRERELEASE, "a.b", TP_INC_NO_NUMBER,
		  "prerelease 'a.b' already exists and no number may be "
		  "added");
	inc_fails("1.2.3", TP_INC_PRERELEASE, "a_b", 0,
		  "cannot use 'a_b' as prerelease: invalid character '_' "
		  "in prerelease");
	inc_fails("1.2.3", TP_INC_PREPATCH, "rc.01", 0,
		  "cannot use 'rc.01' as prerelease: leading zero in "
		  "prerelease identifier '01'");
	inc_fails("1.2.3", TP_INC_PREMINOR, "a..b", 0,
		  "cannot use 'a..b' as prerelease: empty prerelease "
		  "identifier");
	inc_fails("1.2.3", TP_INC_PRERELEASE, "rc+1", 0,
		  "cannot use 'rc+1' as prerelease: invalid character '+' "
		  "in prerelease");
	inc_fails("1.2.3", TP_INC_PRERELEASE, "a\nb", 0,
		  "cannot use 'a?b' as prerelease: control character 0x0a "
		  "in prerelease");
	inc_fails("1.2.3", TP_INC_PRERELEASE, "rc", -2,
		  "invalid prerelease start number -2");
	inc_fails("1.2.3", (enum tp_inc)(TP_INC_RELEASE + 1), NULL, 0,
		  "unknown increment 8");
}

/* ---- vector rows --------------------------------------------------- */

static void
test_valid_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = valid_t;
	const char *in = tsv_get(row, tsv_col(t, "version"));
	size_t len = tsv_len(row, tsv_col(t, "version"));
	static const char *const cols[] = { "major", "minor", "patch",
					    "prerelease", "build" };
	size_t off[5], n[5], i, c;
	struct tp_version v;
	unsigned long want_len;

	parse_ok(&v, in, len);
	off[0] = v.major_off;
	n[0] = v.major_len;
	off[1] = v.minor_off;
	n[1] = v.minor_len;
	off[2] = v.patch_off;
	n[2] = v.patch_len;
	off[3] = v.pre_off;
	n[3] = v.pre_len;
	off[4] = v.build_off;
	n[4] = v.build_len;
	for (i = 0; i < 5; i++) {
		c = tsv_col(t, cols[i]);
		expect_part(in, cols[i], in, off[i], n[i], tsv_get(row, c),
			    tsv_len(row, c));
	}
	want_len = strtoul(tsv_get(row, tsv_col(t, "length")), NULL, 10);
	assert_int_equal(v.len, want_len);
}

static void
test_invalid_row(void **state)
{
	const struct tsv_row *row = *state;
	const char *in = tsv_get(row, tsv_col(invalid_t, "input"));
	size_t len = tsv_len(row, tsv_col(invalid_t, "input")), i;
	struct tp_version v;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_version_parse(&v, in, len, &err);
	if (rc != TP_EINVAL || err.code != TP_EINVAL || err.msg[0] == '\0') {
		print_error("'%.*s' (%zu bytes): got %d '%s', want TP_EINVAL "
			    "with a message\n", (int)len, in, len, rc,
			    err.msg);
		fail();
	}
	/* one printable line, whatever bytes the input had */
	for (i = 0; err.msg[i] != '\0'; i++) {
		if ((unsigned char)err.msg[i] < 0x20 ||
		    (unsigned char)err.msg[i] >= 0x7f) {
			print_error("'%.*s': message '%s' is not printable "
				    "ASCII\n", (int)len, in, err.msg);
			fail();
		}
	}
}

static void
test_precedence_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = prec_t;
	size_t ca = tsv_col(t, "a"), cb = tsv_col(t, "b");
	const char *a = tsv_get(row, ca), *b = tsv_get(row, cb);
	const char *op = tsv_get(row, tsv_col(t, "op"));
	struct tp_version va, vb;
	int ab, ba;

	parse_ok(&va, a, tsv_len(row, ca));
	parse_ok(&vb, b, tsv_len(row, cb));
	ab = tp_version_cmp(&va, &vb);
	ba = tp_version_cmp(&vb, &va);
	if (strcmp(op, "<") == 0) {
		if (ab < 0 && ba > 0)
			return;
	} else if (strcmp(op, "=") == 0) {
		if (ab == 0 && ba == 0)
			return;
	} else {
		print_error("unknown op '%s'\n", op);
		fail();
	}
	print_error("'%s' %s '%s': cmp(a,b) = %d, cmp(b,a) = %d\n", a, op, b,
		    ab, ba);
	fail();
}

static int
release_type(const char *name, enum tp_inc *out)
{
	static const struct {
		const char *name;
		enum tp_inc what;
	} types[] = {
		{ "major", TP_INC_MAJOR },
		{ "minor", TP_INC_MINOR },
		{ "patch", TP_INC_PATCH },
		{ "premajor", TP_INC_PREMAJOR },
		{ "preminor", TP_INC_PREMINOR },
		{ "prepatch", TP_INC_PREPATCH },
		{ "prerelease", TP_INC_PRERELEASE },
		{ "release", TP_INC_RELEASE },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(name, types[i].name) == 0) {
			*out = types[i].what;
			return 1;
		}
	}
	return 0;
}

static void
test_inc_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = inc_t;
	size_t cv = tsv_col(t, "version");
	const char *in = tsv_get(row, cv);
	const char *rel = tsv_get(row, tsv_col(t, "release"));
	const char *id = tsv_get(row, tsv_col(t, "identifier"));
	const char *base = tsv_get(row, tsv_col(t, "identifier_base"));
	const char *want = tsv_get(row, tsv_col(t, "expected"));
	int null = strcmp(want, "null") == 0, start = 0, rc;
	struct tp_version v;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	enum tp_inc what;

	if (strcmp(base, "false") == 0)
		start = TP_INC_NO_NUMBER;
	else if (strcmp(base, "1") == 0)
		start = 1;
	else if (base[0] == '\0' || strcmp(base, "0") == 0)
		start = 0;
	else
		fail_msg("unknown identifier_base '%s'", base);

	tp_error_init(&err);
	if (tp_version_parse(&v, in, tsv_len(row, cv), &err) < 0) {
		if (null)
			return; /* node returns null for invalid input too */
		print_error("parse '%s' failed: %s\n", in, err.msg);
		fail();
	}
	/* An unknown release name is not an enum tp_inc: pass one past it. */
	if (!release_type(rel, &what))
		what = (enum tp_inc)(TP_INC_RELEASE + 1);
	rc = tp_version_inc(&out, &v, what, id[0] ? id : NULL, start, &err);
	if (null ? rc != TP_EINVAL || err.msg[0] == '\0' || out.len != 0
		 : rc != 0 || strcmp(out.ptr, want) != 0) {
		print_error("inc('%s', %s, '%s', '%s') = %d '%s' ('%s'), "
			    "want '%s'\n", in, rel, id, base, rc, out.ptr,
			    err.msg, want);
		tp_buf_release(&out);
		fail();
	}
	tp_buf_release(&out);
}

/*
 * Rows we do not run: `options=loose` needs node's loose parsing, which
 * tagpolicy does not do, and `v1.2.3` relies on node accepting a `v` in
 * strict mode, which background.md §7 decision 2 rejects (a `v` belongs
 * to the kind's template; semver-invalid.tsv has v1.2.3 as invalid).
 */
static int
want_inc_row(const struct tsv *t, const struct tsv_row *row)
{
	if (strcmp(tsv_get(row, tsv_col(t, "options")), "loose") == 0)
		return 0;
	if (tsv_get(row, tsv_col(t, "version"))[0] == 'v')
		return 0;
	return 1;
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	int rc;

	valid_t = tsv_load("semver-valid.tsv");
	invalid_t = tsv_load("semver-invalid.tsv");
	prec_t = tsv_load("semver-precedence.tsv");
	inc_t = tsv_load("semver-inc.tsv");

	tlist_unit(&l, test_parse_parts);
	tlist_unit(&l, test_parse_len);
	tlist_unit(&l, test_parse_errors);
	tlist_unit(&l, test_num_cmp);
	tlist_unit(&l, test_cmp);
	tlist_unit(&l, test_inc_carry);
	tlist_unit(&l, test_inc_start);
	tlist_unit(&l, test_inc_other);
	tlist_unit(&l, test_inc_errors);
	tlist_add_tsv(&l, valid_t, test_valid_row, NULL);
	tlist_add_tsv(&l, invalid_t, test_invalid_row, NULL);
	tlist_add_tsv(&l, prec_t, test_precedence_row, NULL);
	tlist_add_tsv(&l, inc_t, test_inc_row, want_inc_row);
	rc = tlist_run(&l, "version");

	tsv_free(valid_t);
	tsv_free(invalid_t);
	tsv_free(prec_t);
	tsv_free(inc_t);
	return rc;
}
