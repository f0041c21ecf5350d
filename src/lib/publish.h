/*
 * publish.h: the image tags a build pushes (`tagpolicy tags`), as pure
 * logic: the policy's `publish` templates rendered for values the caller
 * gathers (policy.md "Publishing (`tags`)", product.md `tags`).  Nothing
 * here reads git, the environment or the clock.
 *
 * Each template is rendered or skipped, in policy order:
 *
 *   - `when` first: `release` needs a version that is not a prerelease,
 *     `prerelease` a prerelease, `branch` a build with no version,
 *     `always` anything;
 *   - the literal template `latest` (one literal piece, exactly "latest")
 *     only for a release version that no release tag exceeds
 *     (tp_publish_build.latest);
 *   - every field must have a value, else the template is skipped with
 *     the first missing field's reason: the version fields on a branch
 *     build, `{pre}` of a release, `{meta}` of a version without build
 *     metadata, `{branch}` without a branch, a `values` or `pattern` field
 *     without a value, a `hex` field without a commit;
 *   - a template with {major}, {minor} or {patch} but neither {semver}
 *     nor {pre} is not rendered for a prerelease (it would name the
 *     release: `{major}.{minor}` of 2.0.0-rc.1 is "2.0");
 *   - a template with {major} but none of {minor}, {patch}, {semver} is
 *     not rendered while major is 0;
 *   - a tag equal to an earlier one is dropped (and listed as skipped).
 *
 * Field values: {semver} is MAJOR.MINOR.PATCH[-PRE], never the build
 * metadata; {major} {minor} {patch} {pre} {meta} are the version's parts;
 * a `hex` field is the commit id cut to the field's minimum length (never
 * widened); a `date` field is the build time in UTC in the field's format;
 * {branch} is the branch lower-cased, each run of bytes outside
 * [a-z0-9._-] replaced by one '-', leading '.' and '-' removed, and cut so
 * that the whole tag stays within TP_IMAGE_TAG_MAX bytes (with several
 * {branch} pieces, each gets an equal share); the field named `env` takes
 * tp_publish_build.env, other `values` and `pattern` fields take `vars`.
 *
 * Every rendered tag is checked with tp_image_tag_check(): a template that
 * renders an invalid tag is a policy error, never a skip.
 */
#ifndef TP_PUBLISH_H
#define TP_PUBLISH_H

#include "tagpolicy.h"
#include "policy.h"

/* A value for a `values` or `pattern` field other than `env`. */
struct tp_publish_var {
	const char *name;
	const char *value;
};

/*
 * What the caller knows about this build.  Every pointer may be NULL
 * ("unknown") and is borrowed for the duration of the call.
 *
 * version  the version (its text holds no `v`); NULL for a branch build
 * latest   1 when no release tag in the repository exceeds `version`
 *          (prereleases do not count); read only for a release
 * commit   HEAD's full id, lower-case hex
 * branch   the branch name as git or the CI gives it (unsanitised)
 * env      the value of the field named `env` (`--env`)
 * time     the build time, seconds since the epoch
 */
struct tp_publish_build {
	const struct tp_version *version;
	int latest;
	const char *commit;
	const char *branch;
	const char *env;
	int64_t time;
	const struct tp_publish_var *vars;
	size_t nvars;
};

/* A template that rendered nothing, and why (one line, lower-case). */
struct tp_publish_skip {
	char *template;
	char *reason;
};

/*
 * The result of tp_publish_render(); every string is malloc'd and owned
 * by the result.  `version` is the version's full text (build metadata
 * included), NULL for a branch build.  `tags` are unique, in template
 * order; `skipped` in template order too.
 */
struct tp_publish_result {
	char *version;
	char **tags;
	size_t ntags;
	struct tp_publish_skip *skipped;
	size_t nskipped;
};

#define TP_PUBLISH_RESULT_INIT \
	{ \
		NULL, NULL, 0, NULL, 0 \
	}

/*
 * Renders the `n` templates of `entries` (a policy's publish list) for
 * `build` into *out, which is overwritten (not released) first; on
 * failure *out is left empty (TP_PUBLISH_RESULT_INIT) and owns nothing.
 * Errors:
 *	TP_EPOLICY at the entry's `loc` (file, line, column):
 *	  "publish template 'bad+{semver}' renders 'bad+1.4.0', which is not
 *	  a valid image tag: invalid character '+' at offset 3"
 *	TP_EINVAL for a bad input value: "value 'qa' of field 'env' is not
 *	  one of: dev, staging, prod", "value 'x' of field 'build' does not
 *	  match its pattern 'b[0-9]+'", "commit id 'xyz' is not lower-case
 *	  hex", "commit id 'abc' is shorter than the 7 digits of field
 *	  'sha'", "build time N cannot be shown in the format of field
 *	  'date'"
 *	TP_ENOMEM
 * The entries' fields must be complete (a `date` field compiled; a
 * `pattern` field's pattern_re may be NULL, and then any value is taken).
 */
int
tp_publish_render(struct tp_publish_result *out,
		  const struct tp_publish *entries, size_t n,
		  const struct tp_publish_build *build, struct tp_error *err);

/* Frees what `r` owns and leaves it as TP_PUBLISH_RESULT_INIT. */
void tp_publish_result_release(struct tp_publish_result *r);

/*
 * Appends `branch` made safe for a tag (lower-cased, runs of bytes outside
 * [a-z0-9._-] as one '-', leading '.' and '-' removed), cut to at most
 * `max` bytes.  The result may be empty.  Returns 0 or TP_ENOMEM (`out`
 * then keeps its old content).
 */
int
tp_publish_branch_sanitize(struct tp_buf *out, const char *branch, size_t max);

/* A getenv(3)-like lookup: the value of `name`, or NULL when unset. */
typedef const char *(*tp_publish_getenv_fn)(const char *name, void *payload);

/*
 * The CI's branch on a detached HEAD (product.md `tags`): the first set
 * of GITHUB_HEAD_REF, GITHUB_REF_NAME (only when GITHUB_REF_TYPE is
 * exactly "branch"), CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
 * CI_COMMIT_BRANCH, CHANGE_BRANCH, BRANCH_NAME; an empty value counts as
 * unset.  Returns the value as `get` gave it (borrowed), or NULL when none
 * is set.  *out_var (when out_var is not NULL) is set to the name of the
 * variable that gave it, or NULL.
 */
const char *tp_publish_env_branch(const char **out_var,
				  tp_publish_getenv_fn get, void *payload);

/*
 * Checks an `--image` name: a valid reference name (tp_image_ref_parse())
 * without tag or digest.  Returns 0, or TP_EINVAL with "invalid image name
 * 'X': <reason>" or "image name 'app:1.0' has a tag" (or "a digest"), and
 * a hint.
 */
int tp_publish_image_check(const char *name, struct tp_error *err);

enum tp_publish_fmt {
	TP_PUBLISH_LINES, /* a tag a line; "IMAGE:TAG" per image with images */
	TP_PUBLISH_JSON, /* one compact JSON document and a newline */
	TP_PUBLISH_DOCKER /* "-t IMAGE:TAG" a line; needs images */
};

/*
 * Appends `r` in format `fmt`.  With images, references go per image in
 * the given order (each image once: repeats are dropped), each with every
 * tag.  JSON:
 *	{"version":"1.4.0"|null,"tags":[...],"references":[...],
 *	 "skipped":[{"template":"...","reason":"..."}]}
 * where `references` is empty without images.  Nothing to print is empty
 * output for `lines` and `docker`.  Every image is checked with
 * tp_publish_image_check() first, and nothing is appended when one fails.
 * Errors: those of tp_publish_image_check(), TP_EINVAL "the docker format
 * needs an image name" for TP_PUBLISH_DOCKER without images, TP_ENOMEM
 * (`out` may then hold part of the output).
 */
int tp_publish_write(struct tp_buf *out, const struct tp_publish_result *r,
		     const char *const *images, size_t nimages,
		     enum tp_publish_fmt fmt, struct tp_error *err);

#endif
