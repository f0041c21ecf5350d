/*
 * imageref.h: container image tags and full image references.
 *
 * The grammar is distribution/reference's (background.md §4), matched by
 * hand, byte for byte, with no regular-expression library:
 *
 *	reference   := name [":" tag] ["@" digest]
 *	name        := [domain "/"] path
 *	domain      := host [":" port]
 *	host        := domain-name | "[" [0-9A-Fa-f:]+ "]"
 *	domain-name := component ("." component)*
 *	component   := [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]
 *	port        := [0-9]+
 *	path        := path-comp ("/" path-comp)*
 *	path-comp   := [a-z0-9]+ (separator [a-z0-9]+)*
 *	separator   := "." | "_" | "__" | "-"+
 *	tag         := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *	digest      := alg ":" [0-9A-Fa-f]{32,}
 *	alg         := [A-Za-z][A-Za-z0-9]* ([-_+.] [A-Za-z][A-Za-z0-9]*)*
 *
 * A name's first "/"-element is its domain whenever it is a valid domain
 * (so `a/b/c` has domain `a`); otherwise the whole name is the path
 * (`exa_mple.com/app` has no domain).  Without a "/" there is no domain:
 * `localhost:8080` is the path `localhost` with the tag `8080`.
 *
 * Non-ASCII bytes are invalid everywhere.  Every function takes an explicit
 * length: the text needs no NUL terminator, and a NUL byte in it is just an
 * invalid character.
 */
#ifndef TP_IMAGEREF_H
#define TP_IMAGEREF_H

#include "tagpolicy.h"

/* Longest valid tag (OCI and distribution/reference agree). */
#define TP_IMAGE_TAG_MAX 128

/* Longest valid repository path, domain excluded (§7 decision 3). */
#define TP_IMAGE_PATH_MAX 255

/*
 * Checks the `len` bytes of `tag` against the tag grammar above.  Returns 1
 * when valid.  Returns 0 when not, and then writes a short lower-case reason
 * into `why` (truncated to `whylen` bytes, always NUL-terminated; nothing
 * is written when `why` is NULL or `whylen` is 0), one of:
 *	"empty"
 *	"starts with '-'", "starts with '.'"
 *	"invalid character '+' at offset 5"
 *	"invalid control character 0x0a at offset 3"
 *	"invalid non-ASCII character U+00FC at offset 0"
 *	"invalid byte 0xff at offset 2"          (not UTF-8)
 *	"longer than 128 characters (130)"
 * Offsets count bytes from 0.  Characters are checked before the length.
 * `why` is left untouched when the tag is valid.
 */
int tp_image_tag_check(const char *tag, size_t len, char *why, size_t whylen);

/*
 * 1 when every byte of s[0..len) is one the tag grammar allows anywhere,
 * [A-Za-z0-9_.-] (so the text is no reference and needs no escape when
 * printed); eight bytes at a time.  1 for len 0.
 */
int tp_image_tag_bytes(const char *s, size_t len);

/*
 * A parsed reference.  It borrows the text it was parsed from (`str`,
 * `len`), which must outlive it; each part is an offset and a length into
 * that text.  A length of 0 means the part is absent (a valid reference
 * never has an empty tag or digest).  The name is the first
 * path_off + path_len bytes of `str`.  `digest` spans "alg:hex".
 */
struct tp_image_ref {
	const char *str;
	size_t len;
	size_t domain_off, domain_len;
	size_t path_off, path_len;
	size_t tag_off, tag_len;
	size_t digest_off, digest_len;
};

/* 1 when all of `s` is a domain (DomainRegexp, anchored), else 0. */
int tp_image_domain_match(const char *s, size_t len);

/*
 * 1 when all of `s` is a name, [domain "/"] path (anchoredNameRegexp),
 * else 0.  On a match fills *out (tag and digest absent) when out is not
 * NULL; on no match *out is zeroed except `str` and `len`.  No length
 * limit is applied.
 */
int tp_image_name_match(struct tp_image_ref *out, const char *s, size_t len);

/*
 * 1 when all of `s` matches the reference grammar (ReferenceRegexp,
 * anchored), else 0; fills *out like tp_image_name_match().  This is the
 * grammar only: no path length limit, no digest algorithm check, no
 * upper-case diagnosis.
 */
int tp_image_ref_match(struct tp_image_ref *out, const char *s, size_t len);

/*
 * distribution/reference Parse(): the grammar, then the path length limit
 * (TP_IMAGE_PATH_MAX), then the digest (go-digest: the algorithm must be
 * registered, and only sha256 is; its hex is exactly 64 lower-case
 * digits).  `out` must not be NULL.  Returns 0 and fills *out, or
 * TP_EINVAL with *out zeroed except `str` and `len`, and one of these
 * messages:
 *	"repository name must have at least one component"   (empty input)
 *	"repository name must be lowercase"
 *	"invalid reference format"
 *	"invalid reference format: invalid tag '<tag>': <tag reason>"
 *	"invalid reference format: empty tag after ':'"
 *	"invalid reference format: invalid digest '<digest>'"
 *	"invalid reference format: empty digest after '@'"
 *	"repository name must not be more than 255 characters"
 *	"invalid checksum digest length (<n>, want 64)"
 *	"invalid checksum digest format"
 *	"unsupported digest algorithm '<alg>'"
 * The detailed "invalid reference format" forms are used only when the name
 * before the tag is valid, so that the tag and digest are surely the ones
 * the user meant.
 */
int tp_image_ref_parse(struct tp_image_ref *out, const char *s, size_t len,
		       struct tp_error *err);

/*
 * distribution/reference ParseNormalizedNamed(), Docker's reading of a
 * short name: the first "/"-element is the domain only when it is
 * `localhost`, contains '.' or ':', or has upper-case letters; otherwise
 * the domain is `docker.io`.  `index.docker.io` becomes `docker.io`, and a
 * `docker.io` path without '/' gets `library/` in front.  That text is
 * then parsed with tp_image_ref_parse(), so the parts are the ones Parse()
 * finds in it, as upstream: `exa_mple.com/app` has no domain and the path
 * `exa_mple.com/app`.  Upper case means ASCII A-Z here (Go also folds
 * non-ASCII letters, which are invalid anyway: only the message differs).
 *
 * `buf` is cleared and receives the normalized reference text (e.g.
 * "docker.io/library/ubuntu:22.04"); on success *out borrows buf->ptr and
 * stays valid until `buf` is next changed; on failure its content is
 * unspecified.  `s` must not point into `buf`.
 * Errors: those of tp_image_ref_parse(), plus TP_EINVAL
 * "invalid repository name: cannot specify 64-byte hexadecimal strings"
 * for a bare image id, "repository name must be lowercase" for upper case
 * in the path, and TP_ENOMEM when `buf` cannot hold the text.
 */
int tp_image_ref_normalize(struct tp_image_ref *out, struct tp_buf *buf,
			   const char *s, size_t len, struct tp_error *err);

#endif
