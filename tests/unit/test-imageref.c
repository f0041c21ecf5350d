/*
 * test-imageref.c: image tags and references (distribution/reference).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageref.h"
#include "tsv.h"

/* The loaded vector files, for column lookups in the row tests. */
static const struct tsv *tag_valid;
static const struct tsv *tag_invalid;
static const struct tsv *ref_vectors;

static void
assert_tag_why(const char *tag, size_t len, const char *want)
{
	char why[128];

	snprintf(why, sizeof(why), "(untouched)");
	if (tp_image_tag_check(tag, len, why, sizeof(why)) != 0) {
		print_error("tag '%.*s': valid, want \"%s\"\n", (int)len, tag,
			    want);
		fail();
	}
	if (strcmp(why, want) != 0) {
		print_error("tag '%.*s': why \"%s\", want \"%s\"\n", (int)len,
			    tag, why, want);
		fail();
	}
}

static void
test_tag_reasons(void **state)
{
	char longtag[131];

	(void)state;
	assert_tag_why("", 0, "empty");
	assert_tag_why(NULL, 0, "empty");
	assert_tag_why("-1.2.3", 6, "starts with '-'");
	assert_tag_why(".hidden", 7, "starts with '.'");
	assert_tag_why("1.2.3+build.5", 13,
		       "invalid character '+' at offset 5");
	assert_tag_why("+1", 2, "invalid character '+' at offset 0");
	assert_tag_why("a b", 3, "invalid character ' ' at offset 1");
	assert_tag_why("tag\n", 4,
		       "invalid control character 0x0a at offset 3");
	assert_tag_why("ta\0g", 4,
		       "invalid control character 0x00 at offset 2");
	assert_tag_why("a\x7f", 2,
		       "invalid control character 0x7f at offset 1");
	assert_tag_why("\xc3\xbcmlaut", 7,
		       "invalid non-ASCII character U+00FC at offset 0");
	assert_tag_why("v\xe2\x80\x8b", 4,
		       "invalid non-ASCII character U+200B at offset 1");
	assert_tag_why("x\xf0\x9f\x98\x80", 5,
		       "invalid non-ASCII character U+1F600 at offset 1");
	assert_tag_why("a\xff", 2, "invalid byte 0xff at offset 1");
	/* A truncated sequence, an overlong form, a surrogate. */
	assert_tag_why("a\xc3", 2, "invalid byte 0xc3 at offset 1");
	assert_tag_why("a\xc0\xaf", 3, "invalid byte 0xc0 at offset 1");
	assert_tag_why("a\xed\xa0\x80", 4, "invalid byte 0xed at offset 1");
	memset(longtag, 'a', sizeof(longtag));
	assert_tag_why(longtag, 130, "longer than 128 characters (130)");
	/* Characters come before the length. */
	longtag[129] = '+';
	assert_tag_why(longtag, 130, "invalid character '+' at offset 129");
	assert_int_equal(tp_image_tag_check(longtag, 128, NULL, 0), 1);
}

static void
test_tag_why_buffer(void **state)
{
	char why[8];

	(void)state;
	/* Valid: untouched. */
	snprintf(why, sizeof(why), "x");
	assert_int_equal(tp_image_tag_check("latest", 6, why, sizeof(why)), 1);
	assert_string_equal(why, "x");
	/* Truncated, still terminated. */
	assert_int_equal(tp_image_tag_check("-x", 2, why, 6), 0);
	assert_string_equal(why, "start");
	assert_int_equal(tp_image_tag_check("1.2.3+b", 7, why, sizeof(why)),
			 0);
	assert_string_equal(why, "invalid");
	/* No buffer at all. */
	snprintf(why, sizeof(why), "x");
	assert_int_equal(tp_image_tag_check("-x", 2, why, 0), 0);
	assert_string_equal(why, "x");
	assert_int_equal(tp_image_tag_check("-x", 2, NULL, 16), 0);
	/* Only `len` bytes count. */
	assert_int_equal(tp_image_tag_check("ok+", 2, NULL, 0), 1);
}

/* The bytes tp_image_tag_bytes() accepts, one at a time. */
static int
tag_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-';
}

static void
test_tag_bytes(void **state)
{
	char s[48];
	size_t len, i;
	unsigned c;

	(void)state;
	assert_int_equal(tp_image_tag_bytes("", 0), 1);
	/* every byte value at every place of texts of 1 to 40 bytes,
	   whose other bytes are good: eight or sixteen at a time, ends
	   overlapping */
	for (len = 1; len <= 40; len++)
		for (i = 0; i < len; i++)
			for (c = 0; c < 256; c++) {
				memset(s, 'a', sizeof(s));
				s[i] = (char)c;
				if (tp_image_tag_bytes(s, len) != tag_byte(c)) {
					print_error("len %zu, byte 0x%02x at %zu\n",
						    len, c, i);
					fail();
				}
			}
	/* only `len` bytes count */
	assert_int_equal(tp_image_tag_bytes("1.2.3+b", 5), 1);
	assert_int_equal(tp_image_tag_bytes("1.2.3+b", 7), 0);
	assert_int_equal(tp_image_tag_bytes("ghcr.io/app:1", 13), 0);
}

/* Does r's part at off/len hold `want` ("" = absent)? */
static int
part_is(const struct tp_image_ref *r, size_t off, size_t len, const char *want)
{
	if (want[0] == '\0')
		return len == 0;
	return len == strlen(want) && memcmp(r->str + off, want, len) == 0;
}

/* 1 when r has these parts; else prints the difference and returns 0. */
static int
parts_are(const struct tp_image_ref *r, const char *in, const char *domain,
	  const char *path, const char *tag, const char *digest)
{
	if (part_is(r, r->domain_off, r->domain_len, domain) &&
	    part_is(r, r->path_off, r->path_len, path) &&
	    part_is(r, r->tag_off, r->tag_len, tag) &&
	    part_is(r, r->digest_off, r->digest_len, digest))
		return 1;
	print_error("'%s': got domain '%.*s' path '%.*s' tag '%.*s' "
		    "digest '%.*s'\nwant domain '%s' path '%s' tag '%s' "
		    "digest '%s'\n",
		    in, (int)r->domain_len, r->str + r->domain_off,
		    (int)r->path_len, r->str + r->path_off, (int)r->tag_len,
		    r->str + r->tag_off, (int)r->digest_len,
		    r->str + r->digest_off, domain, path, tag, digest);
	return 0;
}

#define assert_parts(r, in, domain, path, tag, digest)                         \
	assert_true(parts_are((r), (in), (domain), (path), (tag), (digest)))

#define HEX64                                                                  \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
test_parse_parts(void **state)
{
	const char *in = "GHCR.io:443/org/my-app:1.0@sha256:" HEX64;
	struct tp_image_ref r;
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_image_ref_parse(&r, in, strlen(in), &err), 0);
	assert_int_equal(err.code, 0);
	assert_ptr_equal(r.str, in);
	assert_int_equal(r.len, strlen(in));
	assert_parts(&r, in, "GHCR.io:443", "org/my-app", "1.0",
		     "sha256:" HEX64);
	/* The name is everything up to the end of the path. */
	assert_int_equal(r.path_off + r.path_len,
			 strlen("GHCR.io:443/org/my-app"));

	in = "a/b/c";
	assert_int_equal(tp_image_ref_parse(&r, in, 5, NULL), 0);
	assert_parts(&r, in, "a", "b/c", "", "");
	in = "localhost:8080";
	assert_int_equal(tp_image_ref_parse(&r, in, strlen(in), NULL), 0);
	assert_parts(&r, in, "", "localhost", "8080", "");
	in = "exa_mple.com/app";
	assert_int_equal(tp_image_ref_parse(&r, in, strlen(in), NULL), 0);
	assert_parts(&r, in, "", "exa_mple.com/app", "", "");
}

static void
test_parse_length_bounded(void **state)
{
	const char text[] = "app:1.0+junk";
	struct tp_image_ref r;

	(void)state;
	assert_int_equal(tp_image_ref_parse(&r, text, 7, NULL), 0);
	assert_parts(&r, "app:1.0", "", "app", "1.0", "");
	assert_int_equal(tp_image_ref_parse(&r, text, 4, NULL), TP_EINVAL);
	assert_int_equal(tp_image_ref_match(&r, text, 3), 1);
	assert_parts(&r, "app", "", "app", "", "");
	/* A NUL byte is an invalid character, not an end. */
	assert_int_equal(tp_image_ref_match(NULL, "app\0x", 5), 0);
	assert_int_equal(tp_image_ref_parse(&r, "ns/a\0b", 6, NULL), TP_EINVAL);
}

static void
assert_parse_error(const char *in, const char *want_msg, const char *hint)
{
	struct tp_image_ref r;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_image_ref_parse(&r, in, strlen(in), &err);
	if (rc != TP_EINVAL || err.code != TP_EINVAL ||
	    strcmp(err.msg, want_msg) != 0 || strcmp(err.hint, hint) != 0) {
		print_error("'%s': rc %d code %d msg \"%s\" hint \"%s\"\n"
			    "want rc %d msg \"%s\" hint \"%s\"\n",
			    in, rc, err.code, err.msg, err.hint, TP_EINVAL,
			    want_msg, hint);
		fail();
	}
	/* On failure the parts are cleared. */
	assert_ptr_equal(r.str, in);
	assert_int_equal(r.domain_len + r.path_len + r.tag_len + r.digest_len,
			 0);
}

static const struct {
	const char *in;
	const char *msg;
	const char *hint;
} parse_errors[] = {
	{ "", "repository name must have at least one component", "" },
	{ "Uppercase:tag", "repository name must be lowercase", "" },
	{ "a$b:1", "invalid reference format", "" },
	{ "registry.example.com:5000/team/app:v1.2.3+build",
	  "invalid reference format: invalid tag 'v1.2.3+build': "
	  "invalid character '+' at offset 6",
	  "" },
	{ "app:", "invalid reference format: empty tag after ':'", "" },
	{ "app:-1", "invalid reference format: invalid tag '-1': "
		    "starts with '-'", "" },
	{ "app@", "invalid reference format: empty digest after '@'", "" },
	{ "app@sha256:badbad", "invalid reference format: invalid digest "
			       "'sha256:badbad'", "" },
	/* The name is wrong: no guess about the rest. */
	{ "app:feature/foo:x", "invalid reference format", "" },
	{ "repo@sha256:ffffffffffffffffffffffffffffffffff",
	  "invalid checksum digest length (34, want 64)", "" },
	{ "app@sha512:" HEX64 HEX64, "unsupported digest algorithm 'sha512'",
	  "" },
	{ "app@SHA256:" HEX64, "invalid checksum digest format", "" },
	{ "app@sha256:0123456789ABCDEF0123456789abcdef"
	  "0123456789abcdef0123456789abcdef",
	  "invalid checksum digest format",
	  "write the hex digits in lower case" },
};

static void
test_parse_messages(void **state)
{
	struct tp_image_ref r;
	char in[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++)
		assert_parse_error(parse_errors[i].in, parse_errors[i].msg,
				   parse_errors[i].hint);
	memset(in, 'a', sizeof(in));
	in[256] = '\0';
	assert_parse_error(in, "repository name must not be more than 255 "
			       "characters", "");
	/* The limit is on the path: a domain does not count. */
	memset(in, 'a', sizeof(in));
	memcpy(in, "example.com/", 12);
	in[12 + 255] = '\0';
	assert_int_equal(tp_image_ref_parse(&r, in, strlen(in), NULL), 0);
	assert_int_equal(r.path_len, 255);
}

static void
test_match_out(void **state)
{
	struct tp_image_ref r;
	const char *in;
	char path[300];

	(void)state;
	assert_int_equal(tp_image_name_match(&r, "[::1]:5000/a/b", 14), 1);
	assert_parts(&r, "[::1]:5000/a/b", "[::1]:5000", "a/b", "", "");
	in = "a:1";
	assert_int_equal(tp_image_name_match(&r, in, 3), 0);
	assert_ptr_equal(r.str, in);
	assert_int_equal(r.len, 3);
	assert_int_equal(r.path_len + r.domain_len, 0);
	assert_int_equal(tp_image_name_match(NULL, "a/b", 3), 1);
	assert_int_equal(tp_image_name_match(&r, NULL, 0), 0);
	assert_int_equal(tp_image_ref_match(&r, NULL, 0), 0);
	assert_int_equal(tp_image_ref_parse(&r, NULL, 0, NULL), TP_EINVAL);
	/* The grammar alone: no digest algorithm check, no length limit. */
	assert_int_equal(tp_image_ref_match(&r, "a@x1:" HEX64, 5 + 64), 1);
	assert_parts(&r, "a@x1:" HEX64, "", "a", "", "x1:" HEX64);
	memset(path, 'a', sizeof(path));
	assert_int_equal(tp_image_ref_match(&r, path, sizeof(path)), 1);
	assert_int_equal(r.path_len, sizeof(path));
	assert_int_equal(tp_image_ref_match(NULL, "A", 1), 0);
	assert_int_equal(tp_image_domain_match("a-b.c:1", 7), 1);
	assert_int_equal(tp_image_domain_match("", 0), 0);
	assert_int_equal(tp_image_domain_match(NULL, 0), 0);
	assert_int_equal(tp_image_domain_match("[]", 2), 0);
	assert_int_equal(tp_image_domain_match("a:", 2), 0);
	assert_int_equal(tp_image_domain_match("a.", 2), 0);
}

static void
assert_normalized(const char *in, const char *text)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_image_ref r;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = tp_image_ref_normalize(&r, &b, in, strlen(in), &err);
	if (rc != 0 || strcmp(b.ptr, text) != 0 || r.str != b.ptr ||
	    r.len != b.len) {
		print_error("'%s': rc %d (%s) text '%s', want '%s'\n", in, rc,
			    err.msg, b.ptr, text);
		tp_buf_release(&b);
		fail();
	}
	tp_buf_release(&b);
}

static void
test_normalize_text(void **state)
{
	(void)state;
	assert_normalized("ubuntu:22.04", "docker.io/library/ubuntu:22.04");
	assert_normalized("index.docker.io/debian", "docker.io/library/debian");
	assert_normalized("docker.io/debian", "docker.io/library/debian");
	assert_normalized("docker/docker", "docker.io/docker/docker");
	assert_normalized("localhost/app", "localhost/app");
	assert_normalized("Docker/docker", "Docker/docker");
	assert_normalized("ghcr.io/org/app@sha256:" HEX64,
			  "ghcr.io/org/app@sha256:" HEX64);
}

static void
test_normalize_errors(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_image_ref r;
	struct tp_error err;
	const char *id = HEX64;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_image_ref_normalize(&r, &b, id, 64, &err),
			 TP_EINVAL);
	assert_string_equal(err.msg, "invalid repository name: cannot "
				     "specify 64-byte hexadecimal strings");
	tp_error_init(&err);
	assert_int_equal(
		tp_image_ref_normalize(&r, &b, "docker/Docker:Tag", 17, &err),
		TP_EINVAL);
	assert_string_equal(err.msg, "repository name must be lowercase");
	tp_error_init(&err);
	assert_int_equal(tp_image_ref_normalize(&r, &b, "app:", 4, &err),
			 TP_EINVAL);
	assert_string_equal(err.msg, "invalid reference format: empty tag "
				     "after ':'");
	/* Empty input reads as docker.io/library/, which is invalid. */
	tp_error_init(&err);
	assert_int_equal(tp_image_ref_normalize(&r, &b, NULL, 0, &err),
			 TP_EINVAL);
	assert_string_equal(err.msg, "invalid reference format");
	tp_buf_release(&b);

	/* A buffer too small for the text. */
	tp_buf_init(&b, 8);
	tp_error_init(&err);
	assert_int_equal(tp_image_ref_normalize(&r, &b, "ubuntu", 6, &err),
			 TP_ENOMEM);
	assert_int_equal(err.code, TP_ENOMEM);
	assert_int_equal(tp_image_ref_normalize(&r, &b, "ubuntu", 6, NULL),
			 TP_ENOMEM);
	tp_buf_release(&b);
}

/* ---- vector rows ---- */

static void
test_tag_valid_row(void **state)
{
	const struct tsv_row *row = *state;
	const char *tag = tsv_get(row, tsv_col(tag_valid, "tag"));
	size_t len = tsv_len(row, tsv_col(tag_valid, "tag"));
	struct tp_image_ref r;
	char why[128] = "";
	char ref[300];

	assert_int_equal(len, strtoul(tsv_get(row, tsv_col(tag_valid, "bytes")),
				      NULL, 10));
	if (tp_image_tag_check(tag, len, why, sizeof(why)) != 1) {
		print_error("tag '%s': invalid (%s), want valid\n", tag, why);
		fail();
	}
	/* The same tag inside a reference. */
	assert_true(len + 4 <= sizeof(ref));
	memcpy(ref, "app:", 4);
	memcpy(ref + 4, tag, len);
	if (tp_image_ref_parse(&r, ref, len + 4, NULL) != 0) {
		print_error("reference 'app:%s' rejected\n", tag);
		fail();
	}
}

static void
test_tag_invalid_row(void **state)
{
	const struct tsv_row *row = *state;
	const char *tag = tsv_get(row, tsv_col(tag_invalid, "tag"));
	size_t len = tsv_len(row, tsv_col(tag_invalid, "tag"));
	const char *reason = tsv_get(row, tsv_col(tag_invalid, "reason"));
	struct tp_image_ref r;
	char why[128] = "";
	char want[64] = "";
	char ref[300];

	assert_int_equal(
		len,
		strtoul(tsv_get(row, tsv_col(tag_invalid, "bytes")), NULL, 10));
	if (tp_image_tag_check(tag, len, why, sizeof(why)) != 0) {
		print_error("tag '%s' (%zu bytes): valid, want invalid (%s)\n",
			    tag, len, reason);
		fail();
	}
	/* Where the vector's prose reason pins our text down, check it. */
	if (strcmp(reason, "empty") == 0)
		snprintf(want, sizeof(want), "empty");
	else if (strncmp(reason, "cannot start with ", 18) == 0)
		snprintf(want, sizeof(want), "starts with '%s'", reason + 18);
	else if (len > TP_IMAGE_TAG_MAX)
		snprintf(want, sizeof(want), "longer than 128 characters (%zu)",
			 len);
	if (want[0] != '\0' ? strcmp(why, want) != 0
			    : strncmp(why, "invalid ", 8) != 0 &&
				      strncmp(why, "starts with '", 13) != 0) {
		print_error("tag '%s': why \"%s\", want \"%s\"\n", tag, why,
			    want[0] ? want : "invalid ... / starts with ...");
		fail();
	}
	assert_true(len + 4 <= sizeof(ref));
	memcpy(ref, "app:", 4);
	memcpy(ref + 4, tag, len);
	if (tp_image_ref_parse(&r, ref, len + 4, NULL) == 0) {
		print_error("reference 'app:%s' accepted\n", tag);
		fail();
	}
}

/*
 * The vector's `error` column names an upstream error (or quotes its
 * text); these are the start of our message for each.
 */
static const struct {
	const char *name;
	const char *msg;
} errors[] = {
	{"ErrNameEmpty", "repository name must have at least one component"},
	{"ErrReferenceInvalidFormat", "invalid reference format"},
	{"ErrNameContainsUppercase", "repository name must be lowercase"},
	{"repository name must be lowercase",
	 "repository name must be lowercase"},
	{"ErrNameTooLong",
	 "repository name must not be more than 255 characters"},
	{"ErrDigestInvalidLength", "invalid checksum digest length"},
	{"ErrDigestInvalidFormat", "invalid checksum digest format"},
	{"ErrDigestUnsupported", "unsupported digest algorithm"},
	{"invalid repository name (64-byte hex)", "invalid repository name"},
};

static const char *
error_msg(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(errors[i].name, name) == 0)
			return errors[i].msg;
	return NULL;
}

static void
check_parse_row(const struct tsv_row *row, const char *in, size_t len,
		int normalize)
{
	const struct tsv *t = ref_vectors;
	const char *result = tsv_get(row, tsv_col(t, "result"));
	const char *want_err = tsv_get(row, tsv_col(t, "error"));
	const char *want_msg;
	struct tp_buf b = TP_BUF_INIT;
	struct tp_image_ref r;
	struct tp_error err;
	int rc, ok;

	tp_error_init(&err);
	if (normalize)
		rc = tp_image_ref_normalize(&r, &b, in, len, &err);
	else
		rc = tp_image_ref_parse(&r, in, len, &err);
	if (strcmp(result, "ok") == 0) {
		if (rc != 0) {
			print_error("'%s': rc %d (%s), want ok\n", in, rc,
				    err.msg);
			tp_buf_release(&b);
			fail();
		}
		ok = parts_are(&r, in, tsv_get(row, tsv_col(t, "domain")),
			       tsv_get(row, tsv_col(t, "path")),
			       tsv_get(row, tsv_col(t, "tag")),
			       tsv_get(row, tsv_col(t, "digest")));
		tp_buf_release(&b);
		if (!ok)
			fail();
		return;
	}
	tp_buf_release(&b);
	want_msg = error_msg(want_err);
	if (want_msg == NULL) {
		print_error("'%s': unknown error name '%s' in vector\n", in,
			    want_err);
		fail();
	}
	if (rc != TP_EINVAL || err.code != TP_EINVAL ||
	    strncmp(err.msg, want_msg, strlen(want_msg)) != 0) {
		print_error("'%s': rc %d msg \"%s\", want %s \"%s...\"\n", in,
			    rc, err.msg, want_err, want_msg);
		fail();
	}
}

static void
check_match_row(const struct tsv_row *row, const char *in, size_t len, int got)
{
	const char *result = tsv_get(row, tsv_col(ref_vectors, "result"));
	int want = strcmp(result, "match") == 0;

	if (!want && strcmp(result, "nomatch") != 0) {
		print_error("'%s': unknown result '%s' in vector\n", in,
			    result);
		fail();
	}
	if (got != want) {
		print_error("'%.*s': %s, want %s\n", (int)len, in,
			    got ? "match" : "nomatch", result);
		fail();
	}
}

static void
test_ref_row(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = ref_vectors;
	const char *in = tsv_get(row, tsv_col(t, "input"));
	size_t len = tsv_len(row, tsv_col(t, "input"));
	const char *fn = tsv_get(row, tsv_col(t, "function"));

	if (strcmp(fn, "Parse") == 0)
		check_parse_row(row, in, len, 0);
	else if (strcmp(fn, "ParseNormalizedNamed") == 0)
		check_parse_row(row, in, len, 1);
	else if (strcmp(fn, "DomainRegexp(anchored)") == 0)
		check_match_row(row, in, len, tp_image_domain_match(in, len));
	else if (strcmp(fn, "anchoredNameRegexp") == 0)
		check_match_row(row, in, len,
				tp_image_name_match(NULL, in, len));
	else if (strcmp(fn, "ReferenceRegexp(anchored)") == 0)
		check_match_row(row, in, len,
				tp_image_ref_match(NULL, in, len));
	else {
		print_error("'%s': unknown function '%s' in vector\n", in, fn);
		fail();
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *tv = tsv_load("image-tag-valid.tsv");
	struct tsv *ti = tsv_load("image-tag-invalid.tsv");
	struct tsv *tr = tsv_load("image-ref.tsv");
	int rc;

	tag_valid = tv;
	tag_invalid = ti;
	ref_vectors = tr;
	tlist_unit(&l, test_tag_reasons);
	tlist_unit(&l, test_tag_why_buffer);
	tlist_unit(&l, test_tag_bytes);
	tlist_unit(&l, test_parse_parts);
	tlist_unit(&l, test_parse_length_bounded);
	tlist_unit(&l, test_parse_messages);
	tlist_unit(&l, test_match_out);
	tlist_unit(&l, test_normalize_text);
	tlist_unit(&l, test_normalize_errors);
	tlist_add_tsv(&l, tv, test_tag_valid_row, NULL);
	tlist_add_tsv(&l, ti, test_tag_invalid_row, NULL);
	tlist_add_tsv(&l, tr, test_ref_row, NULL);
	rc = tlist_run(&l, "imageref");
	tsv_free(tv);
	tsv_free(ti);
	tsv_free(tr);
	return rc;
}
