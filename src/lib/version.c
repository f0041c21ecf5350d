/*
 * version.c: Semantic Versioning 2.0.0 parsing, precedence and increments.
 *
 * Numbers are never converted to integers: SemVer sets no size limit, so
 * they stay decimal digit strings (compared by length, then bytes, and
 * incremented digit by digit).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "tagpolicy.h"
#include "utf8.h"

/* Longest subject quoted in a message; longer ones end in "...". */
#define SUBJECT_MAX 48

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_ident_char(int c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '-';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/*
 * Copies `n` bytes of `s` into `dst` for quoting in a one-line message:
 * bytes outside printable ASCII become '?' and long subjects are cut.
 */
static void
subject(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, keep = n;

	if (keep > SUBJECT_MAX)
		keep = SUBJECT_MAX;
	if (keep > size - 4)
		keep = size - 4;
	for (i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (keep < n) {
		memcpy(dst + keep, "...", 3);
		keep += 3;
	}
	dst[keep] = '\0';
}

/*
 * Describes the character at s[i] (of `len` bytes) for a message:
 * "invalid character 'x'", "control character 0x09", "non-ASCII character
 * U+00E9", or "invalid UTF-8 byte 0xff" when it is not well-formed UTF-8.
 */
static void
describe_char(char *dst, size_t size, const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	uint32_t cp;

	if (c >= 0x20 && c < 0x7f) {
		snprintf(dst, size, "invalid character '%c'", c);
		return;
	}
	if (c < 0x80) {
		snprintf(dst, size, "control character 0x%02x", c);
		return;
	}
	if (tp_utf8_seq((const unsigned char *)s + i, len - i, NULL, &cp) == 0) {
		snprintf(dst, size, "invalid UTF-8 byte 0x%02x", c);
		return;
	}
	snprintf(dst, size, "non-ASCII character U+%04lX", (unsigned long)cp);
}

static int
bad_char(struct tp_error *err, const char *s, size_t len, size_t i,
	 const char *where)
{
	char what[48];

	describe_char(what, sizeof(what), s, len, i);
	return tp_error_set(err, TP_EINVAL, "%s in %s", what, where);
}

/*
 * Checks that s[0..n) is dot-separated identifiers of [0-9A-Za-z-]; in a
 * prerelease (`pre`), numeric identifiers must not have leading zeros.
 * `where` names the part in messages.
 */
static int
check_idents(const char *s, size_t n, int pre, const char *where,
	     struct tp_error *err)
{
	char id[SUBJECT_MAX + 4];
	size_t i = 0, start;

	if (n == 0)
		return tp_error_set(err, TP_EINVAL, "empty %s", where);
	for (;;) {
		start = i;
		while (i < n && s[i] != '.') {
			if (!is_ident_char((unsigned char)s[i]))
				return bad_char(err, s, n, i, where);
			i++;
		}
		if (i == start)
			return tp_error_set(err, TP_EINVAL,
					    "empty %s identifier", where);
		if (pre && i - start > 1 && s[start] == '0' &&
		    all_digits(s + start, i - start)) {
			subject(id, sizeof(id), s + start, i - start);
			return tp_error_set(err, TP_EINVAL,
					    "leading zero in %s identifier "
					    "'%s'", where, id);
		}
		if (i == n)
			return 0;
		i++; /* the dot */
	}
}

static const char *const part_name[3] = { "major", "minor", "patch" };

/*
 * Reads the numeric part `which` (0 major, 1 minor, 2 patch) at *pos,
 * stores its offset and length, and moves *pos past it (and past the dot
 * after major and minor).
 */
static int
parse_number(const char *s, size_t len, size_t *pos, int which,
	     size_t *off, size_t *n, struct tp_error *err)
{
	const char *name = part_name[which];
	size_t i = *pos, start = *pos;
	unsigned char c;

	if (i == len)
		return tp_error_set(err, TP_EINVAL, "missing %s (expected "
				    "MAJOR.MINOR.PATCH)", name);
	c = (unsigned char)s[i];
	if (c == '.')
		return tp_error_set(err, TP_EINVAL, "empty %s", name);
	if ((c == '-' || c == '+') && i + 1 < len &&
	    is_digit((unsigned char)s[i + 1]))
		return tp_error_set(err, TP_EINVAL, "sign '%c' before %s", c,
				    name);
	while (i < len && is_digit((unsigned char)s[i]))
		i++;
	if (i == start)
		return bad_char(err, s, len, i, name);
	if (s[start] == '0' && i - start > 1)
		return tp_error_set(err, TP_EINVAL, "leading zero in %s",
				    name);
	*off = start;
	*n = i - start;
	if (which < 2) {
		if (i == len || s[i] == '-' || s[i] == '+')
			return tp_error_set(err, TP_EINVAL, "missing %s "
					    "(expected MAJOR.MINOR.PATCH)",
					    part_name[which + 1]);
		if (s[i] != '.')
			return bad_char(err, s, len, i, name);
		i++;
	} else if (i < len && s[i] == '.') {
		return tp_error_set(err, TP_EINVAL, "unexpected '.' after "
				    "patch (expected MAJOR.MINOR.PATCH)");
	} else if (i < len && s[i] != '-' && s[i] != '+') {
		bad_char(err, s, len, i, name);
		if (is_ident_char((unsigned char)s[i]))
			tp_error_hint(err, "a prerelease starts with '-'");
		return TP_EINVAL;
	}
	*pos = i;
	return 0;
}

int
tp_version_parse(struct tp_version *out, const char *s, size_t len,
		 struct tp_error *err)
{
	struct tp_version v;
	const char *plus;
	size_t pos = 0, end;
	int rc;

	assert(out != NULL);
	assert(s != NULL || len == 0);
	if (len == 0)
		return tp_error_set(err, TP_EINVAL, "empty version");
	/* Reported first: trimming is the whole fix. */
	if (is_space((unsigned char)s[0]))
		return tp_error_set(err, TP_EINVAL, "leading white space");
	if (is_space((unsigned char)s[len - 1]))
		return tp_error_set(err, TP_EINVAL, "trailing white space");
	if ((s[0] == 'v' || s[0] == 'V' || s[0] == '=') && len > 1 &&
	    is_digit((unsigned char)s[1]))
		return tp_error_set(err, TP_EINVAL, "'%c' prefix is not part "
				    "of a version", s[0]);

	memset(&v, 0, sizeof(v));
	v.str = s;
	v.len = len;
	if ((rc = parse_number(s, len, &pos, 0, &v.major_off, &v.major_len,
			       err)) < 0 ||
	    (rc = parse_number(s, len, &pos, 1, &v.minor_off, &v.minor_len,
			       err)) < 0 ||
	    (rc = parse_number(s, len, &pos, 2, &v.patch_off, &v.patch_len,
			       err)) < 0)
		return rc;

	/* The prerelease ends at the first '+'; a second '+' is invalid. */
	plus = memchr(s + pos, '+', len - pos);
	end = plus ? (size_t)(plus - s) : len;
	v.pre_off = end;
	v.build_off = len;
	if (pos < len && s[pos] == '-') {
		v.pre_off = pos + 1;
		v.pre_len = end - v.pre_off;
		rc = check_idents(s + v.pre_off, v.pre_len, 1, "prerelease",
				  err);
		if (rc < 0)
			return rc;
	}
	if (plus) {
		v.build_off = end + 1;
		v.build_len = len - v.build_off;
		rc = check_idents(s + v.build_off, v.build_len, 0,
				  "build metadata", err);
		if (rc < 0) {
			if (memchr(s + v.build_off, '+', v.build_len))
				tp_error_hint(err, "only one '+' is allowed");
			return rc;
		}
	}
	*out = v;
	return 0;
}

int
tp_num_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = memcmp(a, b, alen);
	return (c > 0) - (c < 0);
}

/* Length of the identifier at s[0..n): up to the next dot. */
static size_t
ident_len(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);

	return dot ? (size_t)(dot - s) : n;
}

static int
ident_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int an = all_digits(a, alen), bn = all_digits(b, blen), c;

	if (an && bn)
		return tp_num_cmp(a, alen, b, blen);
	if (an != bn)
		return an ? -1 : 1;
	c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return (c > 0) - (c < 0);
	return (alen > blen) - (alen < blen);
}

int
tp_version_cmp(const struct tp_version *a, const struct tp_version *b)
{
	const char *pa, *pb;
	size_t na, nb, la, lb;
	int c;

	if ((c = tp_num_cmp(a->str + a->major_off, a->major_len,
			    b->str + b->major_off, b->major_len)) != 0 ||
	    (c = tp_num_cmp(a->str + a->minor_off, a->minor_len,
			    b->str + b->minor_off, b->minor_len)) != 0 ||
	    (c = tp_num_cmp(a->str + a->patch_off, a->patch_len,
			    b->str + b->patch_off, b->patch_len)) != 0)
		return c;
	if (a->pre_len == 0 || b->pre_len == 0)
		return (a->pre_len == 0) - (b->pre_len == 0);
	pa = a->str + a->pre_off;
	na = a->pre_len;
	pb = b->str + b->pre_off;
	nb = b->pre_len;
	for (;;) {
		la = ident_len(pa, na);
		lb = ident_len(pb, nb);
		if ((c = ident_cmp(pa, la, pb, lb)) != 0)
			return c;
		if (la == na || lb == nb)
			return (la < na) - (lb < nb);
		pa += la + 1;
		na -= la + 1;
		pb += lb + 1;
		nb -= lb + 1;
	}
}

/* Appends the decimal digit string s[0..n) plus one. */
int
tp_num_inc(struct tp_buf *out, const char *s, size_t n)
{
	size_t nines = 0, i;
	int rc;

	while (nines < n && s[n - 1 - nines] == '9')
		nines++;
	if (nines == n) {
		rc = tp_buf_putc(out, '1');
	} else {
		rc = tp_buf_put(out, s, n - nines - 1);
		if (rc == 0)
			rc = tp_buf_putc(out, s[n - nines - 1] + 1);
	}
	for (i = 0; rc == 0 && i < nines; i++)
		rc = tp_buf_putc(out, '0');
	return rc;
}

static int
is_zero(const char *s, size_t n)
{
	return n == 1 && s[0] == '0';
}

/*
 * Appends the prerelease node-semver's inc('pre') makes from `pre` (empty
 * when the increment cleared it): the rightmost numeric identifier plus one,
 * else `start` appended; then `preid` replaces it unless it already starts
 * with `preid` followed by a number.  `mark` is where the '-' goes.
 */
static int
put_pre(struct tp_buf *out, size_t mark, const char *pre, size_t pre_len,
	const char *preid, int start, struct tp_error *err)
{
	size_t plen = preid ? strlen(preid) : 0;
	size_t i, k, num_off = 0, num_len = 0, pos, have;
	unsigned base = start == TP_INC_NO_NUMBER ? 0 : (unsigned)start;
	int found = 0, rc;
	char subj[SUBJECT_MAX + 4];

	/* Find the rightmost numeric identifier. */
	for (i = 0; i < pre_len; i = k + 1) {
		k = i + ident_len(pre + i, pre_len - i);
		if (all_digits(pre + i, k - i)) {
			found = 1;
			num_off = i;
			num_len = k - i;
		}
	}
	if (pre_len > 0 && !found && start == TP_INC_NO_NUMBER &&
	    plen == pre_len && memcmp(preid, pre, plen) == 0) {
		subject(subj, sizeof(subj), preid, plen);
		return tp_error_set(err, TP_EINVAL, "prerelease '%s' already "
				    "exists and no number may be added",
				    subj);
	}

	rc = tp_buf_putc(out, '-');
	if (rc == 0 && found) {
		rc = tp_buf_put(out, pre, num_off);
		if (rc == 0)
			rc = tp_num_inc(out, pre + num_off, num_len);
		if (rc == 0)
			rc = tp_buf_put(out, pre + num_off + num_len,
					pre_len - num_off - num_len);
	} else if (rc == 0) {
		rc = tp_buf_put(out, pre, pre_len);
		if (rc == 0)
			rc = tp_buf_printf(out, pre_len ? ".%u" : "%u", base);
	}
	if (rc < 0 || plen == 0)
		return rc;

	/*
	 * Keep the result if its identifiers start with those of `preid` and
	 * a numeric identifier follows them (rc.1 + rc gives rc.2).
	 */
	pos = mark + 1;
	have = out->len - pos;
	if (have > plen && memcmp(out->ptr + pos, preid, plen) == 0 &&
	    out->ptr[pos + plen] == '.') {
		i = pos + plen + 1;
		k = i + ident_len(out->ptr + i, out->len - i);
		if (all_digits(out->ptr + i, k - i))
			return 0;
	}
	tp_buf_truncate(out, mark);
	rc = tp_buf_putc(out, '-');
	if (rc == 0)
		rc = tp_buf_puts(out, preid);
	if (rc == 0 && start != TP_INC_NO_NUMBER)
		rc = tp_buf_printf(out, ".%u", base);
	return rc;
}

int
tp_version_inc(struct tp_buf *out, const struct tp_version *v,
	       enum tp_inc what, const char *preid, int start,
	       struct tp_error *err)
{
	const char *maj = v->str + v->major_off, *min = v->str + v->minor_off;
	const char *pat = v->str + v->patch_off;
	size_t orig = out->len, mark;
	int bump[3] = { 0, 0, 0 }, zero[3] = { 0, 0, 0 };
	int pre = 0, keep_pre = 0, rc;
	struct tp_error sub;
	char subj[SUBJECT_MAX + 4];

	if (start < TP_INC_NO_NUMBER)
		return tp_error_set(err, TP_EINVAL, "invalid prerelease start "
				    "number %d", start);
	if (preid != NULL && preid[0] == '\0')
		preid = NULL;

	switch (what) {
	case TP_INC_MAJOR:
		bump[0] = !is_zero(min, v->minor_len) ||
			  !is_zero(pat, v->patch_len) || v->pre_len == 0;
		zero[1] = zero[2] = 1;
		break;
	case TP_INC_MINOR:
		bump[1] = !is_zero(pat, v->patch_len) || v->pre_len == 0;
		zero[2] = 1;
		break;
	case TP_INC_PATCH:
		bump[2] = v->pre_len == 0;
		break;
	case TP_INC_RELEASE:
		if (v->pre_len == 0) {
			subject(subj, sizeof(subj), v->str, v->len);
			return tp_error_set(err, TP_EINVAL, "version '%s' is "
					    "not a prerelease", subj);
		}
		break;
	case TP_INC_PREMAJOR:
		bump[0] = zero[1] = zero[2] = pre = 1;
		break;
	case TP_INC_PREMINOR:
		bump[1] = zero[2] = pre = 1;
		break;
	case TP_INC_PREPATCH:
		bump[2] = pre = 1;
		break;
	case TP_INC_PRERELEASE:
		bump[2] = v->pre_len == 0;
		keep_pre = v->pre_len > 0;
		pre = 1;
		break;
	default:
		return tp_error_set(err, TP_EINVAL, "unknown increment %d",
				    (int)what);
	}

	/* Like node-semver, only the pre* increments look at the id. */
	if (pre && preid == NULL && start == TP_INC_NO_NUMBER)
		return tp_error_set(err, TP_EINVAL, "a prerelease without a "
				    "number needs an identifier");
	if (pre && preid != NULL) {
		tp_error_init(&sub);
		if (check_idents(preid, strlen(preid), 1, "prerelease",
				 &sub) < 0) {
			subject(subj, sizeof(subj), preid, strlen(preid));
			return tp_error_set(err, TP_EINVAL, "cannot use '%s' "
					    "as prerelease: %s", subj,
					    sub.msg);
		}
	}

	if (bump[0])
		rc = tp_num_inc(out, maj, v->major_len);
	else
		rc = tp_buf_put(out, maj, v->major_len);
	if (rc == 0)
		rc = tp_buf_putc(out, '.');
	if (rc == 0 && zero[1])
		rc = tp_buf_putc(out, '0');
	else if (rc == 0 && bump[1])
		rc = tp_num_inc(out, min, v->minor_len);
	else if (rc == 0)
		rc = tp_buf_put(out, min, v->minor_len);
	if (rc == 0)
		rc = tp_buf_putc(out, '.');
	if (rc == 0 && zero[2])
		rc = tp_buf_putc(out, '0');
	else if (rc == 0 && bump[2])
		rc = tp_num_inc(out, pat, v->patch_len);
	else if (rc == 0)
		rc = tp_buf_put(out, pat, v->patch_len);
	mark = out->len;
	if (rc == 0 && pre)
		rc = put_pre(out, mark, keep_pre ? v->str + v->pre_off : "",
			     keep_pre ? v->pre_len : 0, preid, start, err);
	if (rc < 0) {
		tp_buf_truncate(out, orig);
		return tp_error_set(err, rc, "%s", rc == TP_ENOMEM ?
				    "out of memory" :
				    "cannot write the version");
	}
	return 0;
}
