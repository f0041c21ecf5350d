/*
 * test-date.c: date formats, durations and the clock (src/lib/date.c), and
 * the rows of tests/vectors/date-formats.tsv.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsv.h"

#include "date.h"

/* Column order of date-formats.tsv; main() checks it against the header. */
enum { COL_INPUT, COL_FORMAT, COL_EXPECTED, COL_NOTE };

static struct tp_date_fmt *
compile(const char *fmt)
{
	struct tp_date_fmt *f = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_date_fmt_compile(&f, fmt, &err);
	CHECK(rc == 0 && f != NULL, "format '%s' does not compile: %s", fmt,
	      err.msg);
	return f;
}

/*
 * tp_date_parse() on an exact-size heap copy of `s`, so that AddressSanitizer
 * and valgrind catch any read past `len`.
 */
static int
parse(int64_t *out, const struct tp_date_fmt *f, const char *s, size_t len,
      char *why, size_t whylen)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = tp_date_parse(out, f, copy, len, why, whylen);
	free(copy);
	return rc;
}

/* Formats `epoch` with `f` into a fresh string; "" plus rc on failure. */
static int
format(const struct tp_date_fmt *f, int64_t epoch, struct tp_buf *out)
{
	tp_buf_clear(out);
	return tp_date_format(out, f, epoch);
}

/* ------------------------------------------------------------------ */
/* compiling                                                           */
/* ------------------------------------------------------------------ */

static void
test_compile_errors(void **state)
{
	static const struct {
		const char *fmt;
		const char *msg;
	} cases[] = {
		{ "", "empty date format" },
		{ "%Y%q",
		  "unknown conversion '%q' at offset 2 in date format '%Y%q'" },
		{ "%y%m%d",
		  "unknown conversion '%y' at offset 0 in date format "
		  "'%y%m%d'" },
		{ "%Y%m%d%z",
		  "unknown conversion '%z' at offset 6 in date format "
		  "'%Y%m%d%z'" },
		{ "%Y%\xc3\xa9",
		  "unknown conversion '%\xc3\xa9' at offset 2 in date format "
		  "'%Y%\xc3\xa9'" },
		{ "%Y%\x01",
		  "unknown conversion '%\\x01' at offset 2 in date format "
		  "'%Y%\\x01'" },
		{ "%Y%", "trailing '%' at offset 2 in date format '%Y%'" },
		{ "%", "trailing '%' at offset 0 in date format '%'" },
		{ "%Y%%%", "trailing '%' at offset 4 in date format '%Y%%%'" },
		{ "abc", "date format 'abc' has no conversion" },
		{ "%%", "date format '%%' has no conversion" },
		{ "%Y%m%Y",
		  "conversion '%Y' at offset 4 appears twice in date format "
		  "'%Y%m%Y'" },
		{ "%Y%j%m",
		  "conversion '%m' at offset 4 cannot be combined with '%j' "
		  "in date format '%Y%j%m'" },
		{ "%Y%d%j",
		  "conversion '%j' at offset 4 cannot be combined with '%d' "
		  "in date format '%Y%d%j'" },
		{ "%s%Y",
		  "conversion '%Y' at offset 2 cannot be combined with '%s' "
		  "in date format '%s%Y'" },
		{ "%Y-%s",
		  "conversion '%s' at offset 3 cannot be combined with other "
		  "conversions in date format '%Y-%s'" },
		{ "%m%d", "date format '%m%d' has no year ('%Y')" },
		{ "%H:%M:%S", "date format '%H:%M:%S' has no year ('%Y')" },
	};
	static char sentinel;
	struct tp_date_fmt *f;
	struct tp_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tp_error_init(&err);
		f = (struct tp_date_fmt *)(void *)&sentinel; /* must become NULL */
		rc = tp_date_fmt_compile(&f, cases[i].fmt, &err);
		CHECK(rc == TP_EINVAL && err.code == TP_EINVAL,
		      "format '%s': rc %d", cases[i].fmt, rc);
		CHECK(f == NULL, "format '%s': *out not NULL", cases[i].fmt);
		CHECK(strcmp(err.msg, cases[i].msg) == 0,
		      "format '%s':\n got  '%s'\n want '%s'", cases[i].fmt,
		      err.msg, cases[i].msg);
		/* a NULL error record is allowed */
		rc = tp_date_fmt_compile(&f, cases[i].fmt, NULL);
		CHECK(rc == TP_EINVAL && f == NULL, "format '%s' without err",
		      cases[i].fmt);
	}
}

static void
test_compile_hint(void **state)
{
	struct tp_date_fmt *f;
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_date_fmt_compile(&f, "%Y%b", &err), TP_EINVAL);
	CHECK(strstr(err.hint, "%Y %m %d %H %M %S %j %s") != NULL,
	      "hint '%s'", err.hint);
}

static void
test_compile_long_format_message(void **state)
{
	char fmt[300], msg[TP_ERROR_MSG_MAX];
	struct tp_date_fmt *f;
	struct tp_error err;

	(void)state;
	memset(fmt, 'x', sizeof(fmt) - 1);
	fmt[sizeof(fmt) - 1] = '\0';
	tp_error_init(&err);
	assert_int_equal(tp_date_fmt_compile(&f, fmt, &err), TP_EINVAL);
	/* the subject is cut after 64 bytes */
	snprintf(msg, sizeof(msg), "date format '%.64s...' has no conversion",
		 fmt);
	CHECK(strcmp(err.msg, msg) == 0, "got '%s'", err.msg);
}

static void
test_compile_percent_literal(void **state)
{
	struct tp_date_fmt *f = compile("%Y%%%m%%");
	struct tp_buf b = TP_BUF_INIT;
	char why[128];
	int64_t e = 0;

	(void)state;
	assert_int_equal(parse(&e, f, "2024%05%", 8, why, sizeof(why)), 1);
	assert_int_equal(e, 1714521600); /* 2024-05-01 */
	assert_int_equal(parse(&e, f, "2024%05", 7, why, sizeof(why)), 0);
	assert_string_equal(why, "expected '%' at offset 7");
	assert_int_equal(format(f, 1714521600, &b), 0);
	assert_string_equal(b.ptr, "2024%05%");
	tp_buf_release(&b);
	tp_date_fmt_free(f);
	tp_date_fmt_free(NULL);
}

static void
test_has_time(void **state)
{
	static const struct {
		const char *fmt;
		int want;
	} cases[] = {
		{ "%Y%m%d", 0 }, { "%Y.%j", 0 }, { "%Y", 0 },
		{ "%Y%m%d%H", 1 }, { "%Y%M", 1 }, { "%Y-%S", 1 },
		{ "%s", 1 }, { "%Y%m%dT%H%M%SZ", 1 },
	};
	struct tp_date_fmt *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		CHECK(tp_date_has_time(f) == cases[i].want, "format '%s'",
		      cases[i].fmt);
		tp_date_fmt_free(f);
	}
}

/* ------------------------------------------------------------------ */
/* regex fragments                                                     */
/* ------------------------------------------------------------------ */

static void
test_regex_text(void **state)
{
	static const struct {
		const char *fmt;
		const char *want;
	} cases[] = {
		{ "%Y%m%d", "[0-9]{4}[0-9]{2}[0-9]{2}" },
		{ "%Y.%m.%d", "[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}" },
		{ "%Y%m%d-%H%M%S",
		  "[0-9]{4}[0-9]{2}[0-9]{2}\\-[0-9]{2}[0-9]{2}[0-9]{2}" },
		{ "%Y%m%dT%H%M%SZ",
		  "[0-9]{4}[0-9]{2}[0-9]{2}T[0-9]{2}[0-9]{2}[0-9]{2}Z" },
		{ "%Y%j", "[0-9]{4}[0-9]{3}" },
		{ "build-%s", "build\\-(?:0|[1-9][0-9]*)" },
		{ "%s", "(?:0|[1-9][0-9]*)" },
		{ "%Y 100%% (#)", "[0-9]{4}\\ 100\\%\\ \\(\\#\\)" },
		{ "a*b+c?^$|[]{}\\/%Y",
		  "a\\*b\\+c\\?\\^\\$\\|\\[\\]\\{\\}\\\\\\/[0-9]{4}" },
		{ "%Y\t", "[0-9]{4}\\x{09}" },
		{ "\xc3\xa9t\xc3\xa9%Y",
		  "\\Q\xc3\xa9\\Et\\Q\xc3\xa9\\E[0-9]{4}" },
	};
	struct tp_date_fmt *f;
	struct tp_buf b = TP_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		tp_buf_clear(&b);
		assert_int_equal(tp_buf_puts(&b, "(?<date>"), 0);
		assert_int_equal(tp_date_fmt_regex(&b, f), 0);
		CHECK(strncmp(b.ptr, "(?<date>", 8) == 0 &&
		      strcmp(b.ptr + 8, cases[i].want) == 0,
		      "format '%s':\n got  '%s'\n want '(?<date>%s'",
		      cases[i].fmt, b.ptr, cases[i].want);
		tp_date_fmt_free(f);
	}
	tp_buf_release(&b);
}

static void
test_regex_limit(void **state)
{
	struct tp_date_fmt *f = compile("%Y-%m-%d");
	struct tp_buf b;

	(void)state;
	tp_buf_init(&b, 12);
	assert_int_equal(tp_buf_puts(&b, "^"), 0);
	assert_int_equal(tp_date_fmt_regex(&b, f), TP_ENOMEM);
	assert_string_equal(b.ptr, "^"); /* unchanged on failure */
	tp_buf_release(&b);
	tp_date_fmt_free(f);
}

/*
 * Compiles `frag` anchored with `opts`; checks that it captures nothing.
 * Returns 1 when it matches `s`.
 */
static int
regex_match(const char *frag, uint32_t opts, const char *s, size_t len)
{
	struct tp_buf pat = TP_BUF_INIT;
	pcre2_match_data *md;
	pcre2_code *re;
	PCRE2_SIZE off;
	uint32_t groups = 99;
	int ec, rc;

	assert_int_equal(tp_buf_printf(&pat, "\\A(?:%s)\\z", frag), 0);
	re = pcre2_compile((PCRE2_SPTR)pat.ptr, pat.len, opts, &ec, &off,
			   NULL);
	CHECK(re != NULL, "pattern '%s' (options %#x) does not compile: "
	      "error %d at offset %zu", pat.ptr, (unsigned)opts, ec,
	      (size_t)off);
	assert_int_equal(pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT,
					    &groups), 0);
	CHECK(groups == 0, "pattern '%s' has %u groups", pat.ptr, groups);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	assert_non_null(md);
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	CHECK(rc >= 1 || rc == PCRE2_ERROR_NOMATCH,
	      "matching '%s' against '%s' failed: %d", s, pat.ptr, rc);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	tp_buf_release(&pat);
	return rc >= 1;
}

static void
test_regex_pcre2(void **state)
{
	static const uint32_t opts[] = {
		0,
		PCRE2_UTF | PCRE2_UCP,
		PCRE2_EXTENDED,
		PCRE2_UTF | PCRE2_UCP | PCRE2_EXTENDED | PCRE2_EXTENDED_MORE,
		PCRE2_CASELESS | PCRE2_UTF,
	};
	static const struct {
		const char *fmt;
		const char *s;
		int match; /* 1 or 0; 2: only with PCRE2_CASELESS */
	} cases[] = {
		{ "%Y%m%d", "20241340", 1 },
		{ "%Y%m%d", "2024134", 0 },
		{ "%Y%m%d", "202413400", 0 },
		{ "%Y%m%d", "2024-134", 0 },
		{ "%Y%m%d",
		  "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94"
		  "\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91", 0 },
		{ "%Y%m%d", "20240101\n", 0 },
		{ "%Y%j", "2024366", 1 },
		{ "%Y%j", "202436", 0 },
		{ "v%s", "v0", 1 },
		{ "v%s", "v1709249400", 1 },
		{ "v%s", "v01", 0 },
		{ "v%s", "v", 0 },
		{ "a+b (x)#%Y", "a+b (x)#2024", 1 },
		{ "a+b (x)#%Y", "aab (x)#2024", 0 },
		{ "a+b (x)#%Y", "a+b(x)2024", 0 },
		{ "%Y\t%m", "2024\t05", 1 },
		{ "%Y\t%m", "2024 05", 0 },
		{ "\xc3\xa9\xe2\x80\xa8%Y", "\xc3\xa9\xe2\x80\xa8" "2024", 1 },
		{ "\xc3\xa9\xe2\x80\xa8%Y", "\xc3\xa9" "2024", 0 },
		{ "%YT%H", "2024T10", 1 },
		{ "%YT%H", "2024t10", 2 },
	};
	struct tp_date_fmt *f;
	struct tp_buf frag = TP_BUF_INIT;
	size_t i, k;
	int want, got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		tp_buf_clear(&frag);
		assert_int_equal(tp_date_fmt_regex(&frag, f), 0);
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			want = cases[i].match == 2 ?
				       (opts[k] & PCRE2_CASELESS) != 0 :
				       cases[i].match;
			got = regex_match(frag.ptr, opts[k], cases[i].s,
					  strlen(cases[i].s));
			CHECK(got == want,
			      "format '%s' (regex '%s', options %#x) on "
			      "'%s': got %d", cases[i].fmt, frag.ptr,
			      (unsigned)opts[k], cases[i].s, got);
		}
		tp_date_fmt_free(f);
	}
	tp_buf_release(&frag);
}

/* ------------------------------------------------------------------ */
/* parsing                                                             */
/* ------------------------------------------------------------------ */

static void
test_parse_epochs(void **state)
{
	static const struct {
		const char *fmt;
		const char *s;
		int64_t epoch;
	} cases[] = {
		{ "%Y%m%d", "19700101", 0 },
		{ "%Y%m%d", "20240229", 1709164800 },
		{ "%Y%m%d-%H%M%S", "20240229-233000", 1709249400 },
		{ "%Y%m%d-%H%M%S", "20200110-093000", 1578648600 },
		{ "%Y%m%d", "00010101", TP_DATE_MIN },
		{ "%Y%m%d%H%M%S", "99991231235959", TP_DATE_MAX },
		{ "%Y%m%d%H%M%S", "19691231235959", -1 },
		{ "%Y.%m.%d", "2000.02.29", 951782400 },
		{ "%Y.%m.%d", "1900.03.01", -2203891200 },
		{ "%Y.%m.%d", "2100.02.28", 4107456000 },
		{ "%Y.%j", "2024.366", 1735603200 },
		{ "%Y.%j", "2023.365", 1703980800 },
		{ "%Y.%j", "2024.060", 1709164800 },
		{ "%Y.%j", "2023.060", 1677628800 }, /* March 1 */
		{ "%Y.%j", "1970.001", 0 },
		/* absent conversions: month 1, day 1, 00:00:00 */
		{ "%Y", "2024", 1704067200 },
		{ "%Y-%m", "2024-02", 1706745600 },
		{ "%Y%H", "197001", 3600 },
		{ "%Y%M", "197001", 60 },
		{ "%Y%S", "197001", 1 },
		{ "%Y%m%d%H%M", "202402292330", 1709249400 },
		{ "%s", "0", 0 },
		{ "%s", "1709249400", 1709249400 },
		{ "v%s-x", "v253402300799-x", TP_DATE_MAX },
		{ "%s1", "1231", 123 }, /* %s takes what the literals leave */
	};
	struct tp_date_fmt *f;
	char why[128];
	int64_t e;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		e = -42;
		rc = parse(&e, f, cases[i].s, strlen(cases[i].s), why,
			   sizeof(why));
		CHECK(rc == 1 && e == cases[i].epoch,
		      "'%s' as '%s': rc %d (%s), epoch %lld, want %lld",
		      cases[i].s, cases[i].fmt, rc, why, (long long)e,
		      (long long)cases[i].epoch);
		tp_date_fmt_free(f);
	}
}

static void
test_parse_reasons(void **state)
{
	static const struct {
		const char *fmt;
		const char *s;
		const char *why;
	} cases[] = {
		{ "%Y%m%d", "20241301", "month 13 is out of range" },
		{ "%Y%m%d", "20240001", "month 0 is out of range" },
		{ "%Y%m%d", "20230229",
		  "February 29 in 2023, which is not a leap year" },
		{ "%Y%m%d", "19000229",
		  "February 29 in 1900, which is not a leap year" },
		{ "%Y%m%d", "20240230", "day 30 is out of range for February" },
		{ "%Y%m%d", "20240431", "day 31 is out of range for April" },
		{ "%Y%m%d", "20240132", "day 32 is out of range for January" },
		{ "%Y%m%d", "20240100", "day 0 is out of range" },
		{ "%Y%m%d", "00000101", "year 0 is out of range" },
		{ "%Y%m%d%H%M%S", "20240229240000", "hour 24 is out of range" },
		{ "%Y%m%d%H%M%S", "20240229236000",
		  "minute 60 is out of range" },
		{ "%Y%m%d%H%M%S", "20240229235960",
		  "second 60 is out of range" },
		{ "%Y%m%d%H%M%S", "20240229999999", "hour 99 is out of range" },
		{ "%Y%j", "2024000", "day 0 of the year is out of range" },
		{ "%Y%j", "2023366",
		  "day 366 of the year in 2023, which is not a leap year" },
		{ "%Y%j", "2024367", "day 367 of the year is out of range" },
		/* the year is checked first, as Python's datetime does */
		{ "%Y%m%d", "00001340", "year 0 is out of range" },
		/* shapes */
		{ "%Y%m%d", "2024011",
		  "expected 2 digits for '%d' at offset 6" },
		{ "%Y%m%d", "202401011",
		  "unexpected text at offset 8 after the date" },
		{ "%Y%m%d", "2024-01-01",
		  "expected 2 digits for '%m' at offset 4" },
		{ "%Y%m%d", "", "expected 4 digits for '%Y' at offset 0" },
		{ "%Y.%m.%d", "2024.1.5",
		  "expected 2 digits for '%m' at offset 5" },
		{ "%Y.%m.%d", "2024/12/31", "expected '.' at offset 4" },
		{ "%Y.%m.%d", "2024.12", "expected '.' at offset 7" },
		{ "%Y%m%dT%H%M%SZ", "20240229t233000z",
		  "expected 'T' at offset 8" },
		{ "v%Y\t", "v2024 ", "expected '\\x09' at offset 5" },
		{ "%s", "", "expected digits for '%s' at offset 0" },
		{ "%s", "-1", "expected digits for '%s' at offset 0" },
		{ "%s", "12a", "expected digits for '%s' at offset 2" },
		{ "v%s-x", "v-x", "expected digits for '%s' at offset 1" },
		{ "v%s-x", "v12-y", "expected '-x' at offset 3" },
		{ "%s", "01", "leading zero in '%s' at offset 0" },
		{ "%s", "253402300800",
		  "seconds since the epoch are past the year 9999" },
		{ "%s", "99999999999999999999999999999",
		  "seconds since the epoch are past the year 9999" },
	};
	struct tp_date_fmt *f;
	char why[128];
	int64_t e;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		e = -42;
		rc = parse(&e, f, cases[i].s, strlen(cases[i].s), why,
			   sizeof(why));
		CHECK(rc == 0 && e == -42,
		      "'%s' as '%s' is valid (%lld)", cases[i].s,
		      cases[i].fmt, (long long)e);
		CHECK(strcmp(why, cases[i].why) == 0,
		      "'%s' as '%s':\n got  '%s'\n want '%s'", cases[i].s,
		      cases[i].fmt, why, cases[i].why);
		tp_date_fmt_free(f);
	}
}

static void
test_parse_why_buffer(void **state)
{
	struct tp_date_fmt *f = compile("%Y%m%d");
	char why[6];
	int64_t e;

	(void)state;
	/* no reason buffer at all */
	assert_int_equal(parse(&e, f, "20241301", 8, NULL, 0), 0);
	/* a short one gets a cut, terminated reason */
	memset(why, 'x', sizeof(why));
	assert_int_equal(parse(&e, f, "20241301", 8, why, sizeof(why)), 0);
	assert_string_equal(why, "month");
	/* a valid date leaves an empty reason */
	assert_int_equal(parse(&e, f, "20241201", 8, why, sizeof(why)), 1);
	assert_string_equal(why, "");
	/* only `len` bytes count: the rest of the buffer is not read */
	assert_int_equal(tp_date_parse(&e, f, "20240229XYZ", 8, NULL, 0), 1);
	assert_int_equal(e, 1709164800);
	tp_date_fmt_free(f);
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void
test_leap_years(void **state)
{
	static const struct {
		int year;
		int leap;
	} years[] = {
		{ 2000, 1 }, { 1900, 0 }, { 2024, 1 }, { 2100, 0 },
		{ 2023, 0 }, { 1600, 1 }, { 4, 1 }, { 100, 0 }, { 400, 1 },
		{ 9996, 1 }, { 9999, 0 },
	};
	struct tp_date_fmt *ymd = compile("%Y%m%d");
	struct tp_date_fmt *yj = compile("%Y%j");
	char s[48], why[128];
	int64_t e, e2;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		snprintf(s, sizeof(s), "%04d0229", years[i].year);
		rc = parse(&e, ymd, s, 8, why, sizeof(why));
		CHECK(rc == years[i].leap, "'%s': %d (%s)", s, rc, why);
		snprintf(s, sizeof(s), "%04d366", years[i].year);
		rc = parse(&e, yj, s, 7, why, sizeof(why));
		CHECK(rc == years[i].leap, "'%s' as %%Y%%j: %d (%s)", s, rc,
		      why);
		if (!years[i].leap)
			continue;
		/* day 366 is December 31, day 60 is February 29 */
		snprintf(s, sizeof(s), "%04d1231", years[i].year);
		assert_int_equal(parse(&e2, ymd, s, 8, why, sizeof(why)), 1);
		assert_int_equal(e, e2);
		snprintf(s, sizeof(s), "%04d060", years[i].year);
		assert_int_equal(parse(&e, yj, s, 7, why, sizeof(why)), 1);
		snprintf(s, sizeof(s), "%04d0229", years[i].year);
		assert_int_equal(parse(&e2, ymd, s, 8, why, sizeof(why)), 1);
		assert_int_equal(e, e2);
	}
	tp_date_fmt_free(ymd);
	tp_date_fmt_free(yj);
}

/*
 * Walks the calendar day by day with the rules written out here (month
 * lengths and the leap-year rule) and checks that each day parses to the
 * day before plus 86400 and that the day after each month's last does not
 * parse.  Windows: the first years, around 1600, 1900 and 2000, the last
 * years.
 */
static void
test_calendar_walk(void **state)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	static const int windows[][2] = {
		{ 1, 5 }, { 1598, 1602 }, { 1898, 1902 }, { 1968, 2030 },
		{ 2098, 2102 }, { 9995, 9999 },
	};
	struct tp_date_fmt *f = compile("%Y%m%d");
	struct tp_date_fmt *yj = compile("%Y%j");
	char s[48], why[128];
	int64_t e, ej, prev;
	size_t w;
	int y, m, d, n, yday;

	(void)state;
	for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		snprintf(s, sizeof(s), "%04d0101", windows[w][0]);
		assert_int_equal(parse(&prev, f, s, 8, why, sizeof(why)), 1);
		prev -= 86400;
		for (y = windows[w][0]; y <= windows[w][1]; y++) {
			yday = 0;
			for (m = 1; m <= 12; m++) {
				n = mdays[m - 1] + (m == 2 && is_leap(y));
				for (d = 1; d <= n; d++) {
					snprintf(s, sizeof(s), "%04d%02d%02d",
						 y, m, d);
					CHECK(parse(&e, f, s, 8, why,
						    sizeof(why)) == 1 &&
						      e == prev + 86400,
					      "'%s': %s %lld", s, why,
					      (long long)e);
					snprintf(s, sizeof(s), "%04d%03d", y,
						 ++yday);
					CHECK(parse(&ej, yj, s, 7, why,
						    sizeof(why)) == 1 &&
						      ej == e,
					      "'%s': %s", s, why);
					prev = e;
				}
				snprintf(s, sizeof(s), "%04d%02d%02d", y, m,
					 n + 1);
				CHECK(parse(&e, f, s, 8, why, sizeof(why)) ==
					      0,
				      "'%s' is valid", s);
			}
			snprintf(s, sizeof(s), "%04d%03d", y, yday + 1);
			CHECK(parse(&e, yj, s, 7, why, sizeof(why)) == 0,
			      "'%s' is valid", s);
		}
	}
	tp_date_fmt_free(f);
	tp_date_fmt_free(yj);
}

/* ------------------------------------------------------------------ */
/* formatting                                                          */
/* ------------------------------------------------------------------ */

static void
test_format(void **state)
{
	static const struct {
		const char *fmt;
		int64_t epoch;
		const char *want;
	} cases[] = {
		{ "%Y%m%d", 0, "19700101" },
		{ "%Y-%m-%dT%H:%M:%SZ", 1709249400, "2024-02-29T23:30:00Z" },
		{ "%Y-%m-%dT%H:%M:%SZ", -1, "1969-12-31T23:59:59Z" },
		{ "%Y-%m-%dT%H:%M:%SZ", -86400, "1969-12-31T00:00:00Z" },
		{ "%Y-%m-%dT%H:%M:%SZ", -86401, "1969-12-30T23:59:59Z" },
		{ "%Y-%m-%dT%H:%M:%SZ", TP_DATE_MIN, "0001-01-01T00:00:00Z" },
		{ "%Y-%m-%dT%H:%M:%SZ", TP_DATE_MAX, "9999-12-31T23:59:59Z" },
		{ "%Y.%m.%d", 1795737600 + 86399, "2026.11.27" },
		{ "%Y.%j", 1735603200, "2024.366" },
		{ "%Y.%j", 1709164800, "2024.060" },
		{ "%Y.%j", 1703980800, "2023.365" },
		{ "%Y.%j", TP_DATE_MIN, "0001.001" },
		{ "%Y%m%d-%H%M%S", 1578648600, "20200110-093000" },
		{ "%Y", 1709249400, "2024" },
		{ "%s", 0, "0" },
		{ "v%s", 1709249400, "v1709249400" },
		{ "%Y %% %H", 3600, "1970 % 01" },
	};
	struct tp_date_fmt *f;
	struct tp_buf b = TP_BUF_INIT;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = compile(cases[i].fmt);
		rc = format(f, cases[i].epoch, &b);
		CHECK(rc == 0 && strcmp(b.ptr, cases[i].want) == 0,
		      "%lld as '%s': rc %d, '%s', want '%s'",
		      (long long)cases[i].epoch, cases[i].fmt, rc, b.ptr,
		      cases[i].want);
		tp_date_fmt_free(f);
	}
	tp_buf_release(&b);
}

static void
test_format_errors(void **state)
{
	struct tp_date_fmt *ymd = compile("%Y%m%d");
	struct tp_date_fmt *secs = compile("%s");
	struct tp_buf b = TP_BUF_INIT;

	(void)state;
	assert_int_equal(tp_buf_puts(&b, "keep"), 0);
	assert_int_equal(tp_date_format(&b, ymd, TP_DATE_MAX + 1), TP_EINVAL);
	assert_int_equal(tp_date_format(&b, ymd, TP_DATE_MIN - 1), TP_EINVAL);
	assert_int_equal(tp_date_format(&b, ymd, INT64_MAX), TP_EINVAL);
	assert_int_equal(tp_date_format(&b, ymd, INT64_MIN), TP_EINVAL);
	assert_int_equal(tp_date_format(&b, secs, -1), TP_EINVAL);
	assert_string_equal(b.ptr, "keep");
	/* appends */
	assert_int_equal(tp_date_format(&b, ymd, 0), 0);
	assert_string_equal(b.ptr, "keep19700101");
	tp_buf_release(&b);
	/* a full buffer leaves its old content */
	tp_buf_init(&b, 8);
	assert_int_equal(tp_buf_puts(&b, "ab"), 0);
	assert_int_equal(tp_date_format(&b, ymd, 0), TP_ENOMEM);
	assert_string_equal(b.ptr, "ab");
	tp_buf_release(&b);
	tp_date_fmt_free(ymd);
	tp_date_fmt_free(secs);
}

/* A fixed pseudo-random sequence (64-bit LCG, Knuth's MMIX constants). */
static uint64_t
next_rand(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005u + 1442695040888963407u;
	return *seed >> 11;
}

static void
test_round_trip(void **state)
{
	static const struct {
		const char *fmt;
		int64_t unit; /* what the format shows: 1 or 86400 */
		int64_t min;
	} fmts[] = {
		{ "%Y%m%d%H%M%S", 1, TP_DATE_MIN },
		{ "%Y-%j.%H:%M:%S", 1, TP_DATE_MIN },
		{ "%s", 1, 0 },
		{ "%Y.%m.%d", 86400, TP_DATE_MIN },
		{ "%Y%j", 86400, TP_DATE_MIN },
	};
	struct tp_date_fmt *f;
	struct tp_buf b = TP_BUF_INIT;
	uint64_t seed = 1;
	int64_t e, got, want, span;
	char why[128];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		f = compile(fmts[i].fmt);
		span = TP_DATE_MAX - fmts[i].min + 1;
		for (k = 0; k < 20000; k++) {
			e = fmts[i].min + (int64_t)(next_rand(&seed) %
						    (uint64_t)span);
			if (k < 2)
				e = k == 0 ? fmts[i].min : TP_DATE_MAX;
			assert_int_equal(format(f, e, &b), 0);
			want = e - ((e % fmts[i].unit) + fmts[i].unit) %
					   fmts[i].unit;
			CHECK(parse(&got, f, b.ptr, b.len, why,
				    sizeof(why)) == 1 && got == want,
			      "%lld as '%s' is '%s', which reads back as "
			      "%lld (%s)", (long long)e, fmts[i].fmt, b.ptr,
			      (long long)got, why);
		}
		tp_date_fmt_free(f);
	}
	tp_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* the clock                                                           */
/* ------------------------------------------------------------------ */

static void
test_clock_source_date_epoch(void **state)
{
	static const struct {
		const char *value;
		int64_t want;
	} good[] = {
		{ "0", 0 },
		{ "1709249400", 1709249400 },
		{ "00042", 42 },
		{ "253402300799", TP_DATE_MAX },
	};
	static const struct {
		const char *value;
		const char *msg;
	} bad[] = {
		{ "x", "SOURCE_DATE_EPOCH 'x' is not a number of seconds" },
		{ "", "SOURCE_DATE_EPOCH '' is not a number of seconds" },
		{ "-1", "SOURCE_DATE_EPOCH '-1' is not a number of seconds" },
		{ "+1", "SOURCE_DATE_EPOCH '+1' is not a number of seconds" },
		{ " 1", "SOURCE_DATE_EPOCH ' 1' is not a number of seconds" },
		{ "1\n", "SOURCE_DATE_EPOCH '1\\x0A' is not a number of "
			 "seconds" },
		{ "1.5", "SOURCE_DATE_EPOCH '1.5' is not a number of seconds" },
		{ "1e9", "SOURCE_DATE_EPOCH '1e9' is not a number of seconds" },
		{ "253402300800",
		  "SOURCE_DATE_EPOCH '253402300800' is past the year 9999" },
		{ "99999999999999999999999",
		  "SOURCE_DATE_EPOCH '99999999999999999999999' is past the "
		  "year 9999" },
	};
	struct tp_error err;
	int64_t now;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(setenv("SOURCE_DATE_EPOCH", good[i].value, 1),
				 0);
		tp_error_init(&err);
		now = -42;
		rc = tp_clock_now(&now, &err);
		CHECK(rc == 0 && now == good[i].want,
		      "SOURCE_DATE_EPOCH='%s': rc %d (%s), %lld",
		      good[i].value, rc, err.msg, (long long)now);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(setenv("SOURCE_DATE_EPOCH", bad[i].value, 1),
				 0);
		tp_error_init(&err);
		now = -42;
		rc = tp_clock_now(&now, &err);
		CHECK(rc == TP_EINVAL && err.code == TP_EINVAL && now == -42,
		      "SOURCE_DATE_EPOCH='%s': rc %d", bad[i].value, rc);
		CHECK(strcmp(err.msg, bad[i].msg) == 0,
		      "SOURCE_DATE_EPOCH='%s':\n got  '%s'\n want '%s'",
		      bad[i].value, err.msg, bad[i].msg);
		assert_int_equal(tp_clock_now(&now, NULL), TP_EINVAL);
	}
	assert_int_equal(unsetenv("SOURCE_DATE_EPOCH"), 0);
}

static void
test_clock_system(void **state)
{
	struct tp_error err;
	int64_t before, after, now = -42;

	(void)state;
	assert_int_equal(unsetenv("SOURCE_DATE_EPOCH"), 0);
	tp_error_init(&err);
	before = (int64_t)time(NULL);
	assert_int_equal(tp_clock_now(&now, &err), 0);
	after = (int64_t)time(NULL);
	CHECK(before <= now && now <= after, "clock %lld not in [%lld, %lld]",
	      (long long)now, (long long)before, (long long)after);
	assert_int_equal(err.code, 0);
}

/* ------------------------------------------------------------------ */
/* durations                                                           */
/* ------------------------------------------------------------------ */

static void
test_duration(void **state)
{
	static const struct {
		const char *s;
		int64_t want;
	} good[] = {
		{ "30d", 30 * 86400 }, { "12h", 12 * 3600 },
		{ "2w", 2 * 7 * 86400 }, { "1h", 3600 }, { "1d", 86400 },
		{ "100w", 100 * 7 * 86400 },
		{ "2562047788015215h", INT64_C(2562047788015215) * 3600 },
	};
	static const struct {
		const char *s;
		const char *msg;
	} bad[] = {
		{ "", "duration '' is empty" },
		{ "d", "duration 'd' does not start with a number" },
		{ "-1d", "duration '-1d' does not start with a number" },
		{ " 1d", "duration ' 1d' does not start with a number" },
		{ "30", "duration '30' has no unit (h, d or w)" },
		{ "0d", "duration '0d' is not positive" },
		{ "0", "duration '0' is not positive" },
		{ "030d", "duration '030d' has a leading zero" },
		{ "30m", "duration '30m' has an unknown unit (h, d or w)" },
		{ "30D", "duration '30D' has an unknown unit (h, d or w)" },
		{ "30s", "duration '30s' has an unknown unit (h, d or w)" },
		{ "30 d", "duration '30 d' is not a number followed by one "
			  "unit (h, d or w)" },
		{ "1d2h", "duration '1d2h' is not a number followed by one "
			  "unit (h, d or w)" },
		{ "30dd", "duration '30dd' is not a number followed by one "
			  "unit (h, d or w)" },
		{ "2562047788015216h", "duration '2562047788015216h' is too "
				       "large" },
		{ "99999999999999999999999w",
		  "duration '99999999999999999999999w' is too large" },
	};
	struct tp_error err;
	int64_t got;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		tp_error_init(&err);
		got = -42;
		rc = tp_duration_parse(&got, good[i].s, strlen(good[i].s),
				       &err);
		CHECK(rc == 0 && got == good[i].want, "'%s': rc %d (%s) %lld",
		      good[i].s, rc, err.msg, (long long)got);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tp_error_init(&err);
		got = -42;
		rc = tp_duration_parse(&got, bad[i].s, strlen(bad[i].s), &err);
		CHECK(rc == TP_EINVAL && err.code == TP_EINVAL && got == -42,
		      "'%s': rc %d", bad[i].s, rc);
		CHECK(strcmp(err.msg, bad[i].msg) == 0,
		      "'%s':\n got  '%s'\n want '%s'", bad[i].s, err.msg,
		      bad[i].msg);
		CHECK(strstr(err.hint, "30d") != NULL, "'%s': hint '%s'",
		      bad[i].s, err.hint);
		assert_int_equal(tp_duration_parse(&got, bad[i].s,
						   strlen(bad[i].s), NULL),
				 TP_EINVAL);
	}
	/* only `len` bytes count */
	assert_int_equal(tp_duration_parse(&got, "30dx", 3, NULL), 0);
	assert_int_equal(got, 30 * 86400);
	assert_int_equal(tp_duration_parse(&got, "30dx", 2, NULL), TP_EINVAL);
}

/* ------------------------------------------------------------------ */
/* date-formats.tsv                                                    */
/* ------------------------------------------------------------------ */

/*
 * Translates the vector's moment.js format into our strftime subset;
 * returns 0 when it uses a token we have no conversion for.  Tokens:
 * YYYY %Y, MM %m, DD %d, DDDD %j, HH %H, mm %M, ss %S, X %s.  `T` is not a
 * moment.js token, so a literal.  `Z` is moment.js's UTC offset ("+00:00"
 * in UTC); the rows use it as ISO 8601's literal UTC designator
 * ("20240229T233000Z" valid, "+0900" and a lower-case "z" invalid), which
 * our subset writes as a literal `Z`.  Any other letter is a moment.js token (YY, M, D,
 * h, A, ...) with no equivalent here.
 */
static int
moment_to_strftime(char *out, size_t n, const char *m)
{
	static const struct {
		const char *tok;
		const char *conv;
	} map[] = {
		{ "YYYY", "%Y" }, { "DDDD", "%j" }, { "MM", "%m" },
		{ "DD", "%d" }, { "HH", "%H" }, { "mm", "%M" },
		{ "ss", "%S" }, { "X", "%s" }, { "T", "T" }, { "Z", "Z" },
	};
	size_t o = 0, k, tl;
	const char *add;

	while (*m) {
		add = NULL;
		tl = 1;
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			tl = strlen(map[k].tok);
			if (strncmp(m, map[k].tok, tl) == 0) {
				add = map[k].conv;
				break;
			}
		}
		if (add == NULL) {
			tl = 1;
			if ((*m >= 'A' && *m <= 'Z') ||
			    (*m >= 'a' && *m <= 'z'))
				return 0;
			add = *m == '%' ? "%%" : NULL;
		}
		if (add == NULL) {
			if (o + 1 >= n)
				return 0;
			out[o++] = *m;
		} else {
			if (o + strlen(add) >= n)
				return 0;
			memcpy(out + o, add, strlen(add));
			o += strlen(add);
		}
		m += tl;
	}
	out[o] = '\0';
	return 1;
}

static void
test_moment_map(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(moment_to_strftime(out, sizeof(out),
					    "YYYYMMDD-HHmmss"), 1);
	assert_string_equal(out, "%Y%m%d-%H%M%S");
	assert_int_equal(moment_to_strftime(out, sizeof(out), "YYYY.DDDD"),
			 1);
	assert_string_equal(out, "%Y.%j");
	assert_int_equal(moment_to_strftime(out, sizeof(out), "X%"), 1);
	assert_string_equal(out, "%s%%");
	assert_int_equal(moment_to_strftime(out, sizeof(out), "YY.MM.DD"), 0);
	assert_int_equal(moment_to_strftime(out, sizeof(out), "YYYY.M.D"), 0);
	assert_int_equal(moment_to_strftime(out, sizeof(out), "hh:mm A"), 0);
}

/* Rows whose moment.js format has no equivalent in our subset are left out
 * (none in the current file; main() prints how many). */
static int
want_row(const struct tsv *t, const struct tsv_row *row)
{
	char fmt[128];

	(void)t;
	return moment_to_strftime(fmt, sizeof(fmt),
				  tsv_get(row, COL_FORMAT));
}

static void
test_vector_row(void **state)
{
	const struct tsv_row *row = *state;
	const char *in = tsv_get(row, COL_INPUT);
	size_t inlen = tsv_len(row, COL_INPUT);
	const char *expected = tsv_get(row, COL_EXPECTED);
	const char *note = tsv_get(row, COL_NOTE);
	struct tp_buf frag = TP_BUF_INIT, out = TP_BUF_INIT;
	struct tp_date_fmt *f;
	char fmt[128], why[128];
	int valid, shape_ok, want_valid, want_shape;
	int64_t e = 0;

	assert_int_equal(moment_to_strftime(fmt, sizeof(fmt),
					    tsv_get(row, COL_FORMAT)), 1);
	CHECK(strcmp(expected, "valid") == 0 || strcmp(expected, "invalid") ==
						       0,
	      "line %u: expected '%s'", row->lineno, expected);
	want_valid = strcmp(expected, "valid") == 0;
	/* an invalid row fails on its shape or, otherwise, on its value */
	want_shape = want_valid ||
		     strstr(note, "does not match the shape") == NULL;
	f = compile(fmt);
	assert_int_equal(tp_date_fmt_regex(&frag, f), 0);
	shape_ok = regex_match(frag.ptr, PCRE2_UTF | PCRE2_UCP, in, inlen);
	CHECK(shape_ok == want_shape,
	      "line %u: '%s' as '%s': regex '%s' %s", row->lineno, in, fmt,
	      frag.ptr, shape_ok ? "matches" : "does not match");
	valid = parse(&e, f, in, inlen, why, sizeof(why));
	CHECK(valid == want_valid, "line %u: '%s' as '%s': got %s (%s), "
	      "want %s (%s)", row->lineno, in, fmt,
	      valid ? "valid" : "invalid", why, expected, note);
	if (valid) {
		assert_int_equal(tp_date_format(&out, f, e), 0);
		CHECK(out.len == inlen && memcmp(out.ptr, in, inlen) == 0,
		      "line %u: '%s' reads as %lld, which formats as '%s'",
		      row->lineno, in, (long long)e, out.ptr);
	}
	tp_buf_release(&frag);
	tp_buf_release(&out);
	tp_date_fmt_free(f);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *t = tsv_load("date-formats.tsv");
	size_t used_before;
	int rc;

	if (tsv_col(t, "input") != COL_INPUT ||
	    tsv_col(t, "format") != COL_FORMAT ||
	    tsv_col(t, "expected") != COL_EXPECTED ||
	    tsv_col(t, "note") != COL_NOTE) {
		fprintf(stderr, "date-formats.tsv: unexpected columns\n");
		return 99;
	}
	tlist_unit(&l, test_compile_errors);
	tlist_unit(&l, test_compile_hint);
	tlist_unit(&l, test_compile_long_format_message);
	tlist_unit(&l, test_compile_percent_literal);
	tlist_unit(&l, test_has_time);
	tlist_unit(&l, test_regex_text);
	tlist_unit(&l, test_regex_limit);
	tlist_unit(&l, test_regex_pcre2);
	tlist_unit(&l, test_parse_epochs);
	tlist_unit(&l, test_parse_reasons);
	tlist_unit(&l, test_parse_why_buffer);
	tlist_unit(&l, test_leap_years);
	tlist_unit(&l, test_calendar_walk);
	tlist_unit(&l, test_format);
	tlist_unit(&l, test_format_errors);
	tlist_unit(&l, test_round_trip);
	tlist_unit(&l, test_clock_source_date_epoch);
	tlist_unit(&l, test_clock_system);
	tlist_unit(&l, test_duration);
	tlist_unit(&l, test_moment_map);
	used_before = l.n;
	tlist_add_tsv(&l, t, test_vector_row, want_row);
	fprintf(stderr, "date-formats.tsv: %zu rows, %zu without an "
		"equivalent format left out\n", t->nrows,
		t->nrows - (l.n - used_before));
	rc = tlist_run(&l, "date");
	tsv_free(t);
	return rc;
}
