/*
 * imageref.c: container image tags and references, matched by hand
 * (distribution/reference @0965666, go-digest v1.0.0).
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "imageref.h"
#include "swar.h"
#include "utf8.h"

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DEFAULT_DOMAIN "index.docker.io"
#define OFFICIAL_REPO_PREFIX "library/"
#define MSG_LOWERCASE "repository name must be lowercase"

/*
 * The digest algorithms go-digest v1.0.0 makes available to
 * distribution/reference.  sha512 and sha384 are known to go-digest but
 * only usable when the program links their hash, which the upstream tests
 * (and so the vectors) do not: they are "unsupported", as upstream says.
 */
static const struct {
	const char *name;
	size_t hexlen;
} registered[] = {
	{"sha256", 64},
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alpha(int c)
{
	return is_upper(c) || is_lower(c);
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
is_tag_char(int c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

static size_t
find(const char *s, size_t len, char c)
{
	const char *p = len > 0 ? memchr(s, c, len) : NULL;

	return p ? (size_t)(p - s) : len;
}

static int
has_upper(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (is_upper((unsigned char)s[i]))
			return 1;
	return 0;
}

static int
span_eq(const char *s, size_t len, const char *lit)
{
	return len == strlen(lit) && memcmp(s, lit, len) == 0;
}

/*
 * Describes the character at s[i] for a reason text: the byte, or the
 * whole UTF-8 sequence it starts when that is well formed.
 */
static void
describe(char *out, size_t outlen, const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	uint32_t cp;

	if (c < 0x20 || c == 0x7f) {
		snprintf(out, outlen, "control character 0x%02x", c);
		return;
	}
	if (c < 0x80) {
		snprintf(out, outlen, "character '%c'", c);
		return;
	}
	if (tp_utf8_seq(s + i, len - i, NULL, &cp) == 0) {
		snprintf(out, outlen, "byte 0x%02x", c);
		return;
	}
	snprintf(out, outlen, "non-ASCII character U+%04lX", (unsigned long)cp);
}

/*
 * The high bit of each byte of `w` that is in [A-Za-z0-9_.-], when every
 * byte is below 0x80 (a word with another is ruled out apart: see
 * tp_swar_in).  A byte with 0x20 set is a lower-case letter exactly when
 * the byte is a letter, so one range covers both cases.
 */
static uint64_t
tag_bytes_in(uint64_t w)
{
	return tp_swar_in(w, '-', '.') | tp_swar_in(w, '0', '9') |
	       tp_swar_in(w | TP_SWAR_ONES * 0x20, 'a', 'z') |
	       tp_swar_in(w, '_', '_');
}

#ifdef __SSE2__
/*
 * 1 when the sixteen bytes of `v` are all in [A-Za-z0-9_.-]: signed
 * compares, so that a byte above 0x7F (negative) is in no range.
 */
static int
tag_bytes_wide(__m128i v)
{
	const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i marks, letters, under;

	/* '-' to '9' but '/', the one byte between '.' and '0' */
	marks = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('-' - 1)),
			      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	marks = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), marks);
	letters = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
				_mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
	under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
	return _mm_movemask_epi8(_mm_or_si128(
		       marks, _mm_or_si128(letters, under))) == 0xffff;
}

/* tp_image_tag_bytes() of 8 bytes or more, sixteen at a time. */
static int
tag_bytes_long(const char *s, size_t len)
{
	size_t i;

	/* the last ones overlapping: two words when 8 to 16 bytes */
	if (len <= 16)
		return tag_bytes_wide(_mm_unpacklo_epi64(
			_mm_loadl_epi64((const __m128i *)s),
			_mm_loadl_epi64((const __m128i *)(s + len - 8))));
	for (i = 0; i + 16 < len; i += 16)
		if (!tag_bytes_wide(_mm_loadu_si128((const __m128i *)(s + i))))
			return 0;
	return tag_bytes_wide(_mm_loadu_si128((const __m128i *)(s + len - 16)));
}
#else
/* tp_image_tag_bytes() of 8 bytes or more, a word at a time. */
static int
tag_bytes_long(const char *s, size_t len)
{
	uint64_t w, any = 0, in = TP_SWAR_HIGHS;
	size_t i;

	/* every word is looked at, the last overlapping; one verdict */
	for (i = 0; i + 8 < len; i += 8) {
		memcpy(&w, s + i, 8);
		any |= w;
		in &= tag_bytes_in(w);
	}
	memcpy(&w, s + len - 8, 8);
	any |= w;
	in &= tag_bytes_in(w);
	return !(any & TP_SWAR_HIGHS) && in == TP_SWAR_HIGHS;
}
#endif

int
tp_image_tag_bytes(const char *s, size_t len)
{
	/* a short text is padded with 'a' */
	uint64_t w = TP_SWAR_ONES * 'a';

	if (len < 8) {
		memcpy(&w, s, len);
		return !(w & TP_SWAR_HIGHS) && tag_bytes_in(w) == TP_SWAR_HIGHS;
	}
	return tag_bytes_long(s, len);
}

/*
 * "invalid character 'C' at offset I" for a printable ASCII character,
 * as describe() and tp_why() write it, without their snprintf() (a list of
 * a million tags may have many such): 1 when written, 0 when the two
 * must do it (another character, or too little room).
 */
static int
say_char(char *why, size_t whylen, char c, size_t i)
{
	static const char head[] = "invalid character '";
	static const char mid[] = "' at offset ";
	char digits[24];
	size_t nd = 0, n = 0, k;

	if (c < 0x20 || c >= 0x7f)
		return 0;
	do
		digits[nd++] = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	if (whylen < sizeof(head) + sizeof(mid) + nd)
		return 0;
	memcpy(why, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	why[n++] = c;
	memcpy(why + n, mid, sizeof(mid) - 1);
	n += sizeof(mid) - 1;
	for (k = nd; k > 0; k--)
		why[n++] = digits[k - 1];
	why[n] = '\0';
	return 1;
}

int
tp_image_tag_check(const char *tag, size_t len, char *why, size_t whylen)
{
	char what[48];
	size_t i;

	if (len == 0) {
		tp_why(why, whylen, "empty");
		return 0;
	}
	if (tag[0] == '-' || tag[0] == '.') {
		tp_why(why, whylen, "starts with '%c'", tag[0]);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (!is_tag_char((unsigned char)tag[i])) {
			/* only when it is wanted: snprintf() is no bargain */
			if (why == NULL || whylen == 0 ||
			    say_char(why, whylen, tag[i], i))
				return 0;
			describe(what, sizeof(what), (const unsigned char *)tag,
				 len, i);
			tp_why(why, whylen, "invalid %s at offset %zu", what,
			       i);
			return 0;
		}
	}
	if (len > TP_IMAGE_TAG_MAX) {
		tp_why(why, whylen, "longer than %d characters (%zu)",
		       TP_IMAGE_TAG_MAX, len);
		return 0;
	}
	return 1;
}

static int
match_tag(const char *s, size_t len)
{
	return tp_image_tag_check(s, len, NULL, 0);
}

/* domain-name: dot-separated components of [A-Za-z0-9-], no edge '-'. */
static int
match_domain_name(const char *s, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (i == start || s[start] == '-' || s[i - 1] == '-')
				return 0;
			start = i + 1;
		} else if (!is_alnum((unsigned char)s[i]) && s[i] != '-') {
			return 0;
		}
	}
	return 1;
}

static int
match_domain(const char *s, size_t len)
{
	size_t i, host_end;

	if (len > 0 && s[0] == '[') {
		for (i = 1; i < len && s[i] != ']'; i++)
			if (!is_hex((unsigned char)s[i]) && s[i] != ':')
				return 0;
		if (i == len || i == 1)
			return 0;
		host_end = i + 1;
	} else {
		host_end = find(s, len, ':');
		if (!match_domain_name(s, host_end))
			return 0;
	}
	if (host_end == len)
		return 1;
	if (s[host_end] != ':' || host_end + 1 == len)
		return 0;
	for (i = host_end + 1; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
tp_image_domain_match(const char *s, size_t len)
{
	return match_domain(s, len);
}

/*
 * `fold` lets upper-case letters count as lower-case ones, which is how
 * Parse() tells "must be lowercase" from other failures.  Go lower-cases
 * with Unicode rules, so the KELVIN SIGN would fold to 'k' there; here it
 * stays invalid and the error is "invalid reference format".
 */
static int
is_path_alnum(int c, int fold)
{
	return is_lower(c) || is_digit(c) || (fold && is_upper(c));
}

static int
is_separator(const char *s, size_t n)
{
	size_t i;

	if (n == 1)
		return s[0] == '.' || s[0] == '_' || s[0] == '-';
	if (n == 2 && s[0] == '_' && s[1] == '_')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] != '-')
			return 0;
	return 1;
}

static int
match_path_component(const char *s, size_t len, int fold)
{
	size_t i = 0, start;

	if (len == 0 || !is_path_alnum((unsigned char)s[0], fold))
		return 0;
	while (i < len) {
		if (is_path_alnum((unsigned char)s[i], fold)) {
			i++;
			continue;
		}
		start = i;
		while (i < len && !is_path_alnum((unsigned char)s[i], fold))
			i++;
		if (i == len || !is_separator(s + start, i - start))
			return 0;
	}
	return 1;
}

static int
match_path(const char *s, size_t len, int fold)
{
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '/') {
			if (!match_path_component(s + start, i - start, fold))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

/*
 * A domain never holds '/', so when there is one it can only be the part
 * before the first '/'; the grammar prefers taking it as the domain.
 */
static int
match_name(struct tp_image_ref *out, const char *s, size_t len, int fold)
{
	size_t slash = find(s, len, '/');

	if (slash < len && match_domain(s, slash) &&
	    match_path(s + slash + 1, len - slash - 1, fold)) {
		if (out) {
			out->domain_off = 0;
			out->domain_len = slash;
			out->path_off = slash + 1;
			out->path_len = len - slash - 1;
		}
		return 1;
	}
	if (match_path(s, len, fold)) {
		if (out) {
			out->domain_off = out->domain_len = 0;
			out->path_off = 0;
			out->path_len = len;
		}
		return 1;
	}
	return 0;
}

static int
match_algorithm(const char *s, size_t len)
{
	size_t i = 0;

	for (;;) {
		if (i == len || !is_alpha((unsigned char)s[i]))
			return 0;
		for (i++; i < len && is_alnum((unsigned char)s[i]); i++)
			;
		if (i == len)
			return 1;
		if (s[i] != '-' && s[i] != '_' && s[i] != '+' && s[i] != '.')
			return 0;
		i++;
	}
}

static int
match_digest(const char *s, size_t len)
{
	size_t i, colon = find(s, len, ':');

	if (colon == len || !match_algorithm(s, colon))
		return 0;
	if (len - colon - 1 < 32)
		return 0;
	for (i = colon + 1; i < len; i++)
		if (!is_hex((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Where the tag and digest of `s` would be.  Neither a name, a tag nor a
 * digest holds '@', so the first '@' starts the digest; a name holds ':'
 * only in a domain, which a '/' follows, so a ':' after the last '/' of
 * the rest starts the tag.
 */
static void
split(const char *s, size_t len, size_t *name_end, size_t *at)
{
	size_t i, start = 0;

	*at = find(s, len, '@');
	for (i = 0; i < *at; i++)
		if (s[i] == '/')
			start = i + 1;
	*name_end = start + find(s + start, *at - start, ':');
}

static void
clear_ref(struct tp_image_ref *out, const char *s, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->str = s;
	out->len = len;
}

static int
match_ref(struct tp_image_ref *out, const char *s, size_t len, int fold)
{
	struct tp_image_ref r;
	size_t name_end, at;

	clear_ref(&r, s, len);
	split(s, len, &name_end, &at);
	if (!match_name(&r, s, name_end, fold))
		return 0;
	if (name_end < at) {
		if (!match_tag(s + name_end + 1, at - name_end - 1))
			return 0;
		r.tag_off = name_end + 1;
		r.tag_len = at - name_end - 1;
	}
	if (at < len) {
		if (!match_digest(s + at + 1, len - at - 1))
			return 0;
		r.digest_off = at + 1;
		r.digest_len = len - at - 1;
	}
	if (out)
		*out = r;
	return 1;
}

int
tp_image_name_match(struct tp_image_ref *out, const char *s, size_t len)
{
	struct tp_image_ref r;

	clear_ref(&r, s, len);
	if (len == 0 || !match_name(&r, s, len, 0)) {
		if (out)
			clear_ref(out, s, len);
		return 0;
	}
	if (out)
		*out = r;
	return 1;
}

int
tp_image_ref_match(struct tp_image_ref *out, const char *s, size_t len)
{
	if (len > 0 && match_ref(out, s, len, 0))
		return 1;
	if (out)
		clear_ref(out, s, len);
	return 0;
}

/* Says which part is wrong when the name itself is fine (see header). */
static int
invalid_format(const char *s, size_t len, struct tp_error *err)
{
	char why[96];
	const char *tag;
	size_t name_end, at, tag_len;

	split(s, len, &name_end, &at);
	if (!match_name(NULL, s, name_end, 0))
		return tp_error_set(err, TP_EINVAL, "invalid reference format");
	if (name_end < at) {
		tag = s + name_end + 1;
		tag_len = at - name_end - 1;
		if (tag_len == 0)
			return tp_error_set(err, TP_EINVAL,
					    "invalid reference format: empty "
					    "tag after ':'");
		if (!tp_image_tag_check(tag, tag_len, why, sizeof(why)))
			return tp_error_set(err, TP_EINVAL,
					    "invalid reference format: invalid "
					    "tag '%.*s': %s",
					    (int)tag_len, tag, why);
	}
	if (at + 1 == len)
		return tp_error_set(err, TP_EINVAL, "invalid reference format: "
				    "empty digest after '@'");
	if (at < len && !match_digest(s + at + 1, len - at - 1))
		return tp_error_set(err, TP_EINVAL, "invalid reference format: "
				    "invalid digest '%.*s'",
				    (int)(len - at - 1), s + at + 1);
	return tp_error_set(err, TP_EINVAL, "invalid reference format");
}

/* go-digest's DigestRegexpAnchored, [a-z0-9]+([.+_-][a-z0-9]+)*:[\w=-]+ */
static int
match_go_digest(const char *s, size_t len)
{
	size_t i, colon = find(s, len, ':');
	int prev_sep = 1;

	if (colon == 0 || colon == len || colon + 1 == len)
		return 0;
	for (i = 0; i < colon; i++) {
		int c = (unsigned char)s[i];

		if (is_lower(c) || is_digit(c)) {
			prev_sep = 0;
		} else if (!prev_sep &&
			   (c == '.' || c == '+' || c == '_' || c == '-')) {
			prev_sep = 1;
		} else {
			return 0;
		}
	}
	if (prev_sep)
		return 0;
	for (i = colon + 1; i < len; i++) {
		int c = (unsigned char)s[i];

		if (!is_alnum(c) && c != '=' && c != '_' && c != '-')
			return 0;
	}
	return 1;
}

/* go-digest Digest.Validate(), given that `d` matched the digest grammar. */
static int
check_digest(const char *d, size_t len, struct tp_error *err)
{
	size_t i, k, colon = find(d, len, ':');
	size_t hexlen = len - colon - 1;

	for (k = 0; k < sizeof(registered) / sizeof(registered[0]); k++)
		if (span_eq(d, colon, registered[k].name))
			break;
	if (k == sizeof(registered) / sizeof(registered[0])) {
		if (!match_go_digest(d, len))
			return tp_error_set(err, TP_EINVAL,
					    "invalid checksum digest format");
		return tp_error_set(err, TP_EINVAL,
				    "unsupported digest algorithm '%.*s'",
				    (int)colon, d);
	}
	if (hexlen != registered[k].hexlen)
		return tp_error_set(err, TP_EINVAL,
				    "invalid checksum digest length (%zu, "
				    "want %zu)",
				    hexlen, registered[k].hexlen);
	for (i = colon + 1; i < len; i++) {
		if (!is_digit((unsigned char)d[i]) &&
		    !(d[i] >= 'a' && d[i] <= 'f')) {
			tp_error_hint(err,
				      "write the hex digits in lower case");
			return tp_error_set(err, TP_EINVAL,
					    "invalid checksum digest format");
		}
	}
	return 0;
}

int
tp_image_ref_parse(struct tp_image_ref *out, const char *s, size_t len,
		   struct tp_error *err)
{
	struct tp_image_ref r;
	int rc;

	clear_ref(out, s, len);
	if (len == 0)
		return tp_error_set(err, TP_EINVAL,
				    "repository name must have at least one "
				    "component");
	if (!match_ref(&r, s, len, 0)) {
		if (has_upper(s, len) && match_ref(NULL, s, len, 1))
			return tp_error_set(err, TP_EINVAL, MSG_LOWERCASE);
		return invalid_format(s, len, err);
	}
	if (r.path_len > TP_IMAGE_PATH_MAX)
		return tp_error_set(err, TP_EINVAL,
				    "repository name must not be more than %d "
				    "characters",
				    TP_IMAGE_PATH_MAX);
	if (r.digest_len > 0) {
		rc = check_digest(s + r.digest_off, r.digest_len, err);
		if (rc < 0)
			return rc;
	}
	*out = r;
	return 0;
}

static int
is_image_id(const char *s, size_t len)
{
	size_t i;

	if (len != 64)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]) &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return 1;
}

int
tp_image_ref_normalize(struct tp_image_ref *out, struct tp_buf *buf,
		       const char *s, size_t len, struct tp_error *err)
{
	const char *domain = DEFAULT_DOMAIN, *rest = s;
	size_t domain_len = strlen(DEFAULT_DOMAIN), rest_len = len;
	size_t slash = find(s, len, '/');
	int library;

	clear_ref(out, s, len);
	if (is_image_id(s, len))
		return tp_error_set(err, TP_EINVAL,
				    "invalid repository name: cannot specify "
				    "64-byte hexadecimal strings");
	if (slash < len) {
		if (span_eq(s, slash, LEGACY_DEFAULT_DOMAIN)) {
			rest = s + slash + 1;
			rest_len = len - slash - 1;
		} else if (span_eq(s, slash, "localhost") ||
			   find(s, slash, '.') < slash ||
			   find(s, slash, ':') < slash || has_upper(s, slash)) {
			domain = s;
			domain_len = slash;
			rest = s + slash + 1;
			rest_len = len - slash - 1;
		}
	}
	library = span_eq(domain, domain_len, DEFAULT_DOMAIN) &&
		  find(rest, rest_len, '/') == rest_len;
	if (has_upper(rest, find(rest, rest_len, ':')))
		return tp_error_set(err, TP_EINVAL, MSG_LOWERCASE);

	tp_buf_clear(buf);
	if (tp_buf_put(buf, domain, domain_len) < 0 ||
	    tp_buf_putc(buf, '/') < 0 ||
	    (library && tp_buf_puts(buf, OFFICIAL_REPO_PREFIX) < 0) ||
	    tp_buf_put(buf, rest, rest_len) < 0)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	return tp_image_ref_parse(out, buf->ptr, buf->len, err);
}
