/*
 * template.h: kind and publish templates ("v{semver}-{env}") and the
 * regexes they compile to.
 *
 * A template is literal text with fields in braces.  There is no escape:
 * every '{' opens a field and every '}' closes one.  A field name is a
 * field of the policy (built in or defined under `fields:`); a template
 * with no field is a literal.
 *
 * A kind's template compiles to one PCRE2 pattern that matches a whole tag
 * (compiled with PCRE2_ANCHORED and PCRE2_ENDANCHORED, so plain
 * pcre2_match() calls need no options), with a named group per field, each
 * matching the field's shape:
 *
 *	values     one of the values (case-sensitive, escaped), in order
 *	pattern    the user's regex, inside a non-capturing group
 *	hex        [0-9a-f]{N} or [0-9a-f]{MIN,MAX}
 *	date       tp_date_fmt_regex() of the format
 *	semver     SemVer 2.0.0, with named sub-groups major, minor, patch,
 *	           pre and meta
 *	major, minor, patch   0|[1-9][0-9]*
 *	pre        dot-separated prerelease identifiers (no leading zeros in
 *	           numeric ones)
 *	meta       dot-separated build identifiers
 *	branch     [a-z0-9_][a-z0-9._-]* (a branch made safe for a tag)
 *
 * Regex rules (for kinds, `pattern` fields and custom rules alike): the
 * pattern works on bytes (PCRE2_NEVER_UTF), plain parentheses do not
 * capture (PCRE2_NO_AUTO_CAPTURE: only named groups do, so a user's
 * parentheses never shift the field groups), and every pattern starts with
 * (*LIMIT_HEAP=...)(*LIMIT_MATCH=...)(*LIMIT_DEPTH=...), so no user regex
 * can make a match hang or eat memory: pcre2_match() then fails with
 * PCRE2_ERROR_MATCHLIMIT (or another negative code), which callers must
 * treat as "no match".  Patterns are not JIT-compiled here: a run that
 * matches few tags (a hook, `next`) would spend more compiling than
 * matching; tp_policy_jit() compiles a policy's patterns for bulk runs.
 */
#ifndef TP_TEMPLATE_H
#define TP_TEMPLATE_H

#include "policy.h"

/* The limits every compiled pattern carries. */
#define TP_REGEX_LIMIT_MATCH 1000000
#define TP_REGEX_LIMIT_DEPTH 10000
#define TP_REGEX_LIMIT_HEAP 10000 /* KiB */

/*
 * The group of the calver counter ".N": the last group of a kind's regex
 * compiled with `counter`.  A field name never starts with '_'.
 */
#define TP_TEMPLATE_COUNTER_GROUP "_counter"

/*
 * Splits `text` into pieces (a malloc'd array the caller frees; literal
 * pieces point into `text`, which must outlive them).  Field names are
 * looked up in `fields`.  Errors are TP_EPOLICY without a location (the
 * caller adds the key path and position): "empty template", "unbalanced
 * '{' in template", "unbalanced '}' in template", "empty field '{}' in
 * template 'x'", "unknown field '{envv}' in template 'v{semver}-{envv}';
 * did you mean 'env'?"; or TP_ENOMEM.
 */
int tp_template_parse(struct tp_piece **out, size_t *nout, const char *text,
		      const struct tp_field *fields, size_t nfields,
		      struct tp_error *err);

/*
 * Appends the pattern of a kind (without the limits and options) to `out`;
 * with `counter`, the template may be followed by ".N", N a positive
 * integer without leading zero, in group TP_TEMPLATE_COUNTER_GROUP.
 * TP_EPOLICY for templates a regex cannot express: a field used twice
 * ("field '{env}' appears twice in template") or {semver} beside one of
 * its parts ("template has both '{semver}' and '{major}'"); TP_ENOMEM.
 */
int tp_template_pattern(struct tp_buf *out, const struct tp_piece *pieces,
			size_t npieces, int counter, struct tp_error *err);

/*
 * Compiles the kind's pattern into *out (the caller frees it with
 * pcre2_code_free()) and sets each field piece's `group`.  TP_EREGEX when
 * PCRE2 refuses it (a `pattern` field that cannot be embedded), else as
 * tp_template_pattern().
 */
int tp_template_compile(pcre2_code **out, struct tp_piece *pieces,
			size_t npieces, int counter, struct tp_error *err);

/*
 * Compiles a user's regex with the rules above and `options` (e.g.
 * PCRE2_ANCHORED | PCRE2_ENDANCHORED).  TP_EREGEX with PCRE2's message and
 * the 0-based offset in `pattern`: "regex 'b[0-9' does not compile:
 * missing terminating ] for character class at offset 5"; TP_ENOMEM.
 */
int tp_regex_compile(pcre2_code **out, const char *pattern, uint32_t options,
		     struct tp_error *err);

/*
 * Match data with room for the groups of every kind of `p`, so one block
 * serves any kind's pattern.  NULL when out of memory; the caller frees it
 * with pcre2_match_data_free().
 */
pcre2_match_data *tp_policy_match_data(const struct tp_policy *p);

/*
 * Matches all `len` bytes of `tag` against the kind's pattern.  Returns 1
 * on a match, 0 otherwise (any negative pcre2_match() result, a hit limit
 * included, is "no match").  `md` is match data made for `k->re` (or
 * larger), or NULL: then one is made and freed for this call.  When
 * `group` is not NULL and the tag matches, *off and *glen receive the span
 * of the named group `group` ("semver", "date",
 * TP_TEMPLATE_COUNTER_GROUP) inside `tag`; both are 0 when the kind has no
 * such group or it took no part in the match.  TP_ENOMEM is returned only
 * when `md` is NULL and no match data can be made.
 */
int tp_kind_match(const struct tp_kind *k, const char *tag, size_t len,
		  pcre2_match_data *md, const char *group, size_t *off,
		  size_t *glen);

/*
 * Appends the kind's template with its version field -- the {semver}
 * field, else the first date field -- replaced by the `len` bytes of
 * `value`, and, when `counter` is not NULL, ".<counter>" after the whole
 * template (the calver counter).  The result is not checked against the
 * kind: callers match it with tp_kind_match() when they need to.
 * TP_EINVAL when the template has another field (no value for it:
 * "kind 'x' has a field '{env}' that cannot be filled in") or no version
 * field; TP_ENOMEM.
 */
int tp_kind_render(struct tp_buf *out, const struct tp_kind *k,
		   const char *value, size_t len, const char *counter,
		   struct tp_error *err);

#endif
