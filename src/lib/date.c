/*
 * date.c: date formats (a strftime subset), durations and the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

#define DATE_SECS_PER_DAY INT64_C(86400)
/* Longest subject a message shows before it is cut, and its buffer. */
#define DATE_SHOW_MAX 64
#define DATE_SHOW_BUF (DATE_SHOW_MAX * 4 + 4)

enum date_bit {
	DATE_Y = 1u << 0,
	DATE_m = 1u << 1,
	DATE_d = 1u << 2,
	DATE_H = 1u << 3,
	DATE_M = 1u << 4,
	DATE_S = 1u << 5,
	DATE_j = 1u << 6,
	DATE_s = 1u << 7
};

static const struct date_conv {
	char c;
	unsigned width; /* 0: one or more digits */
	unsigned bit;
} date_convs[] = {
	{ 'Y', 4, DATE_Y }, { 'm', 2, DATE_m }, { 'd', 2, DATE_d },
	{ 'H', 2, DATE_H }, { 'M', 2, DATE_M }, { 'S', 2, DATE_S },
	{ 'j', 3, DATE_j }, { 's', 0, DATE_s }
};

#define DATE_NCONV (sizeof(date_convs) / sizeof(date_convs[0]))
/*
 * Each conversion appears at most once and adjacent literals merge, so a
 * format has at most one literal before, between and after conversions.
 */
#define DATE_ITEMS_MAX (2 * DATE_NCONV + 1)

struct date_item {
	const struct date_conv *conv; /* NULL for a literal */
	size_t off;                   /* literal: offset in lit[] */
	size_t len;                   /* literal: its length */
};

struct tp_date_fmt {
	size_t n;
	unsigned seen;  /* enum date_bit of every conversion present */
	size_t fixed;   /* bytes taken by everything but %s */
	struct date_item item[DATE_ITEMS_MAX];
	char lit[];     /* the literal bytes, %% already read as % */
};

static const char *const date_months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/*
 * Writes `s` for a message into `dst` (DATE_SHOW_BUF bytes): C0
 * controls and DEL as \xHH, cut with "..." after DATE_SHOW_MAX bytes but
 * never inside a UTF-8 sequence.
 */
static const char *
date_show(char *dst, const char *s, size_t len)
{
	size_t i, o = 0, cut = len;

	if (cut > DATE_SHOW_MAX) {
		cut = DATE_SHOW_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F) {
			snprintf(dst + o, 5, "\\x%02X", c);
			o += 4;
		} else {
			dst[o++] = (char)c;
		}
	}
	if (cut < len) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

static const struct date_conv *
date_conv_find(char c)
{
	size_t i;

	for (i = 0; i < DATE_NCONV; i++)
		if (date_convs[i].c == c)
			return &date_convs[i];
	return NULL;
}

/* Checks that conversion `cv` may join the ones in `seen`. */
static int
date_conv_clash(const struct tp_date_fmt *f, const struct date_conv *cv,
		size_t off, const char *fmt, struct tp_error *err)
{
	char shown[DATE_SHOW_BUF];
	const char *other = NULL;

	if (f->seen & cv->bit)
		return tp_error_set(err, TP_EINVAL,
				    "conversion '%%%c' at offset %zu appears "
				    "twice in date format '%s'", cv->c, off,
				    date_show(shown, fmt, strlen(fmt)));
	if ((f->seen & DATE_s) || (cv->bit == DATE_s && f->seen))
		other = "%s";
	else if (cv->bit == DATE_j && (f->seen & (DATE_m | DATE_d)))
		other = f->seen & DATE_m ? "%m" : "%d";
	else if ((cv->bit & (DATE_m | DATE_d)) && (f->seen & DATE_j))
		other = "%j";
	if (other == NULL)
		return 0;
	if (cv->bit == DATE_s)
		return tp_error_set(err, TP_EINVAL,
				    "conversion '%%s' at offset %zu cannot be "
				    "combined with other conversions in date "
				    "format '%s'", off,
				    date_show(shown, fmt, strlen(fmt)));
	return tp_error_set(err, TP_EINVAL,
			    "conversion '%%%c' at offset %zu cannot be "
			    "combined with '%s' in date format '%s'", cv->c,
			    off, other, date_show(shown, fmt, strlen(fmt)));
}

static void
date_lit_add(struct tp_date_fmt *f, size_t *litlen, char c)
{
	struct date_item *last = f->n ? &f->item[f->n - 1] : NULL;

	if (last == NULL || last->conv != NULL) {
		last = &f->item[f->n++];
		last->conv = NULL;
		last->off = *litlen;
		last->len = 0;
	}
	f->lit[(*litlen)++] = c;
	last->len++;
	f->fixed++;
}

int
tp_date_fmt_compile(struct tp_date_fmt **out, const char *fmt,
		    struct tp_error *err)
{
	char shown[DATE_SHOW_BUF];
	struct tp_date_fmt *f = NULL;
	const struct date_conv *cv;
	size_t len = strlen(fmt), i, litlen = 0;
	int error = 0;

	*out = NULL;
	if (len == 0)
		return tp_error_set(err, TP_EINVAL, "empty date format");
	f = malloc(sizeof(*f) + len + 1);
	if (f == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	f->n = 0;
	f->seen = 0;
	f->fixed = 0;
	for (i = 0; i < len; i++) {
		if (fmt[i] != '%') {
			date_lit_add(f, &litlen, fmt[i]);
			continue;
		}
		if (i + 1 == len) {
			error = tp_error_set(err, TP_EINVAL,
					     "trailing '%%' at offset %zu in "
					     "date format '%s'", i,
					     date_show(shown, fmt, len));
			goto done;
		}
		if (fmt[i + 1] == '%') {
			date_lit_add(f, &litlen, '%');
			i++;
			continue;
		}
		cv = date_conv_find(fmt[i + 1]);
		if (cv == NULL) {
			char c[DATE_SHOW_BUF];
			size_t clen = 1;

			/* show a whole UTF-8 character, not its first byte */
			while (i + 1 + clen < len &&
			       ((unsigned char)fmt[i + 1 + clen] & 0xC0) ==
				       0x80)
				clen++;
			error = tp_error_set(err, TP_EINVAL,
					     "unknown conversion '%%%s' at "
					     "offset %zu in date format '%s'",
					     date_show(c, fmt + i + 1, clen), i,
					     date_show(shown, fmt, len));
			tp_error_hint(err, "a date format may use %%Y %%m %%d "
				      "%%H %%M %%S %%j %%s and %%%%");
			goto done;
		}
		error = date_conv_clash(f, cv, i, fmt, err);
		if (error < 0)
			goto done;
		f->seen |= cv->bit;
		f->fixed += cv->width;
		f->item[f->n].conv = cv;
		f->item[f->n].off = 0;
		f->item[f->n].len = 0;
		f->n++;
		i++;
	}
	if (f->seen == 0) {
		error = tp_error_set(err, TP_EINVAL,
				     "date format '%s' has no conversion",
				     date_show(shown, fmt, len));
		tp_error_hint(err, "a date format may use %%Y %%m %%d %%H "
			      "%%M %%S %%j %%s; %%%% is a literal '%%'");
		goto done;
	}
	if (!(f->seen & (DATE_Y | DATE_s))) {
		error = tp_error_set(err, TP_EINVAL,
				     "date format '%s' has no year ('%%Y')",
				     date_show(shown, fmt, len));
		goto done;
	}
	f->lit[litlen] = '\0';
	*out = f;
	f = NULL;
done:
	free(f);
	return error;
}

void
tp_date_fmt_free(struct tp_date_fmt *f)
{
	free(f);
}

int
tp_date_has_time(const struct tp_date_fmt *f)
{
	return (f->seen & (DATE_H | DATE_M | DATE_S | DATE_s)) != 0;
}

/*
 * ASCII punctuation is escaped with a backslash (always literal in PCRE2),
 * controls are written as \x{..}, and bytes of UTF-8 sequences go inside
 * \Q...\E: under PCRE2_EXTENDED with PCRE2_UTF a bare U+0085 or U+2028
 * would be skipped as white space, and \x{..} would mean different things
 * with and without PCRE2_UTF.
 */
static int
date_regex_lit(struct tp_buf *out, const char *s, size_t len)
{
	size_t i = 0, j;
	int error = 0;

	while (i < len && error == 0) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80) {
			for (j = i; j < len && (unsigned char)s[j] >= 0x80; j++)
				;
			error = tp_buf_puts(out, "\\Q");
			if (error == 0)
				error = tp_buf_put(out, s + i, j - i);
			if (error == 0)
				error = tp_buf_puts(out, "\\E");
			i = j;
			continue;
		}
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z'))
			error = tp_buf_putc(out, c);
		else if (c < 0x20 || c == 0x7F)
			error = tp_buf_printf(out, "\\x{%02x}", c);
		else
			error = tp_buf_printf(out, "\\%c", c);
		i++;
	}
	return error;
}

int
tp_date_fmt_regex(struct tp_buf *out, const struct tp_date_fmt *f)
{
	size_t old = out->len, i;
	int error = 0;

	for (i = 0; i < f->n && error == 0; i++) {
		const struct date_item *it = &f->item[i];

		if (it->conv == NULL)
			error = date_regex_lit(out, f->lit + it->off, it->len);
		else if (it->conv->width == 0)
			error = tp_buf_puts(out, "(?:0|[1-9][0-9]*)");
		else
			error = tp_buf_printf(out, "[0-9]{%u}",
					      it->conv->width);
	}
	if (error < 0)
		tp_buf_truncate(out, old);
	return error;
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, any year. */
static int64_t
date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
date_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
date_is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned
date_month_days(int64_t y, unsigned m)
{
	static const unsigned char days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

struct date_value {
	int64_t epoch; /* %s */
	unsigned year, month, day, yday, hour, min, sec;
};

static void
date_value_set(struct date_value *v, char c, unsigned n)
{
	switch (c) {
	case 'Y': v->year = n; break;
	case 'm': v->month = n; break;
	case 'd': v->day = n; break;
	case 'H': v->hour = n; break;
	case 'M': v->min = n; break;
	case 'S': v->sec = n; break;
	case 'j': v->yday = n; break;
	default: break;
	}
}

/* Reads the %s digits s[0..w); 1 or 0 with a reason. */
static int
date_read_epoch(int64_t *out, const char *s, size_t w, size_t pos,
		char *why, size_t whylen)
{
	size_t k;
	int64_t n = 0;

	for (k = 0; k < w; k++)
		if (s[k] < '0' || s[k] > '9')
			return tp_why(why, whylen,
				      "expected digits for '%%s' at "
				      "offset %zu",
				      pos + k);
	if (w > 1 && s[0] == '0')
		return tp_why(why, whylen,
			      "leading zero in '%%s' at offset %zu", pos);
	for (k = 0; k < w; k++) {
		if (n > (TP_DATE_MAX - (s[k] - '0')) / 10)
			return tp_why(why, whylen,
				      "seconds since the epoch are past "
				      "the year 9999");
		n = n * 10 + (s[k] - '0');
	}
	*out = n;
	return 1;
}

/* Reads `s` against the items of `f` into `v`; 1 or 0 with a reason. */
static int
date_scan(struct date_value *v, const struct tp_date_fmt *f, const char *s,
	  size_t len, char *why, size_t whylen)
{
	char shown[DATE_SHOW_BUF];
	size_t pos = 0, fixed_left = f->fixed, i, k, w;
	unsigned n;

	for (i = 0; i < f->n; i++) {
		const struct date_item *it = &f->item[i];

		if (it->conv == NULL) {
			fixed_left -= it->len;
			if (len - pos < it->len ||
			    memcmp(s + pos, f->lit + it->off, it->len) != 0)
				return tp_why(why, whylen,
					      "expected '%s' at offset "
					      "%zu",
					      date_show(shown, f->lit + it->off,
							it->len),
					      pos);
			pos += it->len;
			continue;
		}
		if (it->conv->width == 0) {
			w = len - pos > fixed_left ? len - pos - fixed_left : 0;
			if (w == 0)
				return tp_why(why, whylen,
					      "expected digits for '%%s' "
					      "at offset %zu",
					      pos);
			if (!date_read_epoch(&v->epoch, s + pos, w, pos, why,
					     whylen))
				return 0;
			pos += w;
			continue;
		}
		w = it->conv->width;
		fixed_left -= w;
		n = 0;
		for (k = 0; k < w; k++) {
			if (pos + k >= len || s[pos + k] < '0' ||
			    s[pos + k] > '9')
				return tp_why(why, whylen,
					      "expected %zu digits for "
					      "'%%%c' at offset %zu",
					      w, it->conv->c, pos);
			n = n * 10 + (unsigned)(s[pos + k] - '0');
		}
		date_value_set(v, it->conv->c, n);
		pos += w;
	}
	if (pos != len)
		return tp_why(why, whylen,
			      "unexpected text at offset %zu after the "
			      "date",
			      pos);
	return 1;
}

int
tp_date_parse(int64_t *out_epoch, const struct tp_date_fmt *f,
	      const char *s, size_t len, char *why, size_t whylen)
{
	struct date_value v = { 0, 0, 1, 1, 0, 0, 0, 0 };
	int64_t days;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (!date_scan(&v, f, s, len, why, whylen))
		return 0;
	if (f->seen & DATE_s) {
		*out_epoch = v.epoch;
		return 1;
	}
	if (v.year == 0)
		return tp_why(why, whylen, "year 0 is out of range");
	if (v.month < 1 || v.month > 12)
		return tp_why(why, whylen, "month %u is out of range", v.month);
	if (f->seen & DATE_j) {
		if (v.yday == 0)
			return tp_why(why, whylen,
				      "day 0 of the year is out of "
				      "range");
		if (v.yday == 366 && !date_is_leap(v.year))
			return tp_why(why, whylen,
				      "day 366 of the year in %u, which "
				      "is not a leap year",
				      v.year);
		if (v.yday > 366)
			return tp_why(why, whylen,
				      "day %u of the year is out of "
				      "range",
				      v.yday);
		days = date_days_from_civil(v.year, 1, 1) + v.yday - 1;
	} else {
		if (v.day == 0)
			return tp_why(why, whylen, "day 0 is out of range");
		if (v.month == 2 && v.day == 29 && !date_is_leap(v.year))
			return tp_why(why, whylen,
				      "February 29 in %u, which is not "
				      "a leap year",
				      v.year);
		if (v.day > date_month_days(v.year, v.month))
			return tp_why(why, whylen,
				      "day %u is out of range for %s", v.day,
				      date_months[v.month - 1]);
		days = date_days_from_civil(v.year, v.month, v.day);
	}
	if (v.hour > 23)
		return tp_why(why, whylen, "hour %u is out of range", v.hour);
	if (v.min > 59)
		return tp_why(why, whylen, "minute %u is out of range", v.min);
	if (v.sec > 59)
		return tp_why(why, whylen, "second %u is out of range", v.sec);
	*out_epoch = days * DATE_SECS_PER_DAY + v.hour * 3600 + v.min * 60 +
		     v.sec;
	return 1;
}

int
tp_date_format(struct tp_buf *out, const struct tp_date_fmt *f,
	       int64_t epoch)
{
	size_t old = out->len, i;
	int64_t days, secs, year;
	unsigned month, day, yday, n;
	int error = 0;

	if (epoch < TP_DATE_MIN || epoch > TP_DATE_MAX)
		return TP_EINVAL;
	if ((f->seen & DATE_s) && epoch < 0)
		return TP_EINVAL;
	days = epoch / DATE_SECS_PER_DAY;
	secs = epoch % DATE_SECS_PER_DAY;
	if (secs < 0) {
		secs += DATE_SECS_PER_DAY;
		days--;
	}
	date_civil_from_days(days, &year, &month, &day);
	yday = (unsigned)(days - date_days_from_civil(year, 1, 1) + 1);
	for (i = 0; i < f->n && error == 0; i++) {
		const struct date_item *it = &f->item[i];

		if (it->conv == NULL) {
			error = tp_buf_put(out, f->lit + it->off, it->len);
			continue;
		}
		switch (it->conv->c) {
		case 'Y': n = (unsigned)year; break;
		case 'm': n = month; break;
		case 'd': n = day; break;
		case 'H': n = (unsigned)(secs / 3600); break;
		case 'M': n = (unsigned)(secs / 60 % 60); break;
		case 'S': n = (unsigned)(secs % 60); break;
		case 'j': n = yday; break;
		default:
			error = tp_buf_printf(out, "%lld", (long long)epoch);
			continue;
		}
		error = tp_buf_printf(out, "%0*u", (int)it->conv->width, n);
	}
	if (error < 0)
		tp_buf_truncate(out, old);
	return error;
}

/* Reads s[0..len) as decimal digits, at most `max`; -1 when it is not. */
static int
date_read_uint(int64_t *out, const char *s, size_t len, int64_t max)
{
	size_t i;
	int64_t n = 0;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (n > (max - (s[i] - '0')) / 10)
			return -2;
		n = n * 10 + (s[i] - '0');
	}
	*out = n;
	return 0;
}

int
tp_clock_now(int64_t *out, struct tp_error *err)
{
	char shown[DATE_SHOW_BUF];
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now;
	int rc;

	if (sde != NULL) {
		rc = date_read_uint(out, sde, strlen(sde), TP_DATE_MAX);
		if (rc == -1)
			return tp_error_set(err, TP_EINVAL,
					    "SOURCE_DATE_EPOCH '%s' is not a "
					    "number of seconds",
					    date_show(shown, sde, strlen(sde)));
		if (rc < 0)
			return tp_error_set(err, TP_EINVAL,
					    "SOURCE_DATE_EPOCH '%s' is past "
					    "the year 9999",
					    date_show(shown, sde, strlen(sde)));
		return 0;
	}
	now = time(NULL);
	if (now == (time_t)-1)
		return tp_error_set(err, TP_ERROR, "cannot read the clock");
	*out = (int64_t)now;
	return 0;
}

static int
date_duration_error(struct tp_error *err, const char *what, const char *s,
		    size_t len)
{
	char shown[DATE_SHOW_BUF];

	tp_error_set(err, TP_EINVAL, "duration '%s' %s",
		     date_show(shown, s, len), what);
	tp_error_hint(err, "write a positive number and one unit: h (hours), "
		      "d (days) or w (weeks), e.g. 30d");
	return TP_EINVAL;
}

int
tp_duration_parse(int64_t *out_seconds, const char *s, size_t len,
		  struct tp_error *err)
{
	size_t i;
	int64_t n, unit;

	if (len == 0)
		return date_duration_error(err, "is empty", s, len);
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == 0)
		return date_duration_error(err, "does not start with a number",
					   s, len);
	if (s[0] == '0' && i > 1)
		return date_duration_error(err, "has a leading zero", s, len);
	if (s[0] == '0')
		return date_duration_error(err, "is not positive", s, len);
	if (i == len)
		return date_duration_error(err, "has no unit (h, d or w)", s,
					   len);
	if (len - i > 1)
		return date_duration_error(err, "is not a number followed by "
					   "one unit (h, d or w)", s, len);
	switch (s[i]) {
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default:
		return date_duration_error(err, "has an unknown unit "
					   "(h, d or w)", s, len);
	}
	if (date_read_uint(&n, s, i, INT64_MAX / unit) < 0)
		return date_duration_error(err, "is too large", s, len);
	*out_seconds = n * unit;
	return 0;
}
