/*
 * date.h: the `date` field type (a strftime subset), durations and the
 * clock.
 *
 * A date format is a strftime-like string made of literal bytes and these
 * conversions, each of a fixed number of ASCII digits except %s:
 *
 *	%Y  year, 4 digits, 0001..9999     %H  hour, 2 digits, 00..23
 *	%m  month, 2 digits, 01..12        %M  minute, 2 digits, 00..59
 *	%d  day of the month, 2 digits     %S  second, 2 digits, 00..59
 *	%j  day of the year, 3 digits      %s  seconds since the epoch,
 *	%%  a literal '%'                      1 or more digits, no leading 0
 *
 * Every date is in UTC on the proleptic Gregorian calendar; nothing here
 * depends on the time zone, the locale or libc's time conversions.  Times
 * are seconds since 1970-01-01T00:00:00Z as int64_t, negative before it.
 * Only years 1..9999 exist for this module, so every valid time is between
 * TP_DATE_MIN and TP_DATE_MAX.
 */
#ifndef TP_DATE_H
#define TP_DATE_H

#include "tagpolicy.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TP_DATE_MIN (-INT64_C(62135596800))
#define TP_DATE_MAX INT64_C(253402300799)

/* A compiled date format; immutable once compiled. */
struct tp_date_fmt;

/*
 * Compiles `fmt` into *out, which the caller frees with tp_date_fmt_free().
 * Each conversion may appear at most once; the format needs a year (%Y),
 * unless it is %s, which stands alone (with literals only); %j excludes %m
 * and %d.  Conversions that are absent default to month 1, day 1 and
 * 00:00:00.  On failure *out is NULL and the result is TP_EINVAL, with a
 * message naming the conversion and its 0-based byte offset in `fmt`
 * ("unknown conversion '%q' at offset 2 in date format '%Y%q'"), or
 * TP_ENOMEM.
 */
int tp_date_fmt_compile(struct tp_date_fmt **out, const char *fmt,
			struct tp_error *err);

/* Frees `f`; NULL is fine. */
void tp_date_fmt_free(struct tp_date_fmt *f);

/*
 * Appends to `out` a PCRE2 pattern fragment that matches the shape of the
 * format: [0-9]{4} for %Y, [0-9]{2} for %m %d %H %M %S, [0-9]{3} for %j,
 * (?:0|[1-9][0-9]*) for %s, and the literals escaped so that they stay
 * literal with or without PCRE2_UTF or PCRE2_EXTENDED.  The fragment has no
 * anchors and no capturing groups, so the caller may wrap it in a named
 * group.  It checks only the shape: "20241340" matches "%Y%m%d"; the value
 * check is tp_date_parse().  Returns 0 or TP_ENOMEM (`out` then keeps its
 * old content).
 */
int tp_date_fmt_regex(struct tp_buf *out, const struct tp_date_fmt *f);

/*
 * Reads exactly `len` bytes of `s` (no NUL needed) as a date in format `f`.
 * Returns 1 and sets *out_epoch when `s` has the shape of the format and
 * names a real date and time; returns 0 otherwise and writes to `why`
 * (`whylen` bytes, NUL-terminated; `why` may be NULL) one line saying what
 * is wrong, e.g. "month 13 is out of range", "February 29 in 2023, which
 * is not a leap year", "hour 24 is out of range", "second 60 is out of
 * range", "day 0 of the year is out of range", "year 0 is out of range",
 * or for the shape "expected 2 digits for '%m' at offset 4".  A %s value
 * must not be above TP_DATE_MAX.  Never fails otherwise; allocates nothing.
 */
int tp_date_parse(int64_t *out_epoch, const struct tp_date_fmt *f,
		  const char *s, size_t len, char *why, size_t whylen);

/*
 * Appends `epoch` rendered in format `f` in UTC.  Returns 0, TP_EINVAL when
 * `epoch` is outside TP_DATE_MIN..TP_DATE_MAX (or negative for a format
 * with %s), or TP_ENOMEM; `out` keeps its old content on failure.  Parsing
 * the result gives `epoch` back, less the parts the format does not show.
 */
int tp_date_format(struct tp_buf *out, const struct tp_date_fmt *f,
		   int64_t epoch);

/*
 * 1 when the format shows a time of day (%H, %M, %S or %s), else 0: a date
 * without a time stands for that day's 00:00 UTC.
 */
int tp_date_has_time(const struct tp_date_fmt *f);

/*
 * The current time: $SOURCE_DATE_EPOCH when it is set (it must be a
 * decimal integer, 0..TP_DATE_MAX, digits only; otherwise TP_EINVAL
 * "SOURCE_DATE_EPOCH 'x' is not a number of seconds"; an empty value is
 * malformed too), else time(NULL) (TP_ERROR when the clock cannot be read).
 */
int tp_clock_now(int64_t *out, struct tp_error *err);

/*
 * Reads exactly `len` bytes of `s` as a duration for `keep-within`: a
 * positive decimal integer without leading zeros followed by exactly one
 * unit, `h` (hours), `d` (days) or `w` (weeks): "12h", "30d", "2w".  Sets
 * *out_seconds and returns 0, or returns TP_EINVAL with a message that says
 * what is wrong (no number, no or unknown unit, zero, too large).
 */
int tp_duration_parse(int64_t *out_seconds, const char *s, size_t len,
		      struct tp_error *err);

#endif
