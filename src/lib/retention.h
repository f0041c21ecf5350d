/*
 * retention.h: which existing tags the policy's `retention` rules would
 * delete (`tagpolicy prune`, policy.md "Retention (`prune`)"), as pure
 * logic.  The caller classifies the tags first (a lint run in the right
 * scope: lint.h) and passes the results with the clock; nothing here reads
 * git, the environment or the clock, and nothing is ever deleted.
 *
 * Each tag gets one verdict:
 *
 *   - kept, when it has no kind (input problem, or no kind matched), when
 *     its kind is protected by rule `immutable` (listed in the rule's
 *     option and the rule not off in the scope), when no retention entry
 *     names its kind, or when its field values are invalid (it cannot be
 *     ordered);
 *   - otherwise its kind's entry decides.  The entry's tags are ordered
 *     newest first: by version for kinds with {semver} or numeric
 *     {major}/{minor}/{patch} fields (numerically: 1.10 is newer than
 *     1.9; SemVer precedence, so a prerelease is older than its release),
 *     then by the first date field for kinds that have one, and ties keep
 *     input order (the one listed first counts as newer).  A tag is kept
 *     when it is among the `keep` newest (with `keep-per FIELD`: among
 *     the `keep` newest with the same text in that field), or when its
 *     age is at most `keep-within`; it is deleted when neither holds.
 *     Age is `now` minus the tag's time: its date field (a date without a
 *     time of day is that day's 00:00 UTC), else the caller's time for it
 *     (`times`, e.g. the tag's date in git), else it is unknown: a tag
 *     whose age decides and is unknown is kept; one dated after `now`
 *     is 0 seconds old.
 *
 * Order of the results: `del` goes by retention entry in policy order,
 * and within one entry newest first (the order above); `keep` is in input
 * order.
 */
#ifndef TP_RETENTION_H
#define TP_RETENTION_H

#include "tagpolicy.h"
#include "lint.h"

/* A value of `times` that means "unknown". */
#define TP_RETENTION_NO_TIME INT64_MIN

/* Why a tag is deleted or kept. */
enum tp_retention_why {
	TP_RETENTION_DELETE, /* beyond keep, older than keep-within */
	TP_RETENTION_NEWEST, /* among the `keep` newest */
	TP_RETENTION_NEWEST_PER, /* ... with its keep-per field's value */
	TP_RETENTION_WITHIN, /* at most keep-within old */
	TP_RETENTION_NO_AGE, /* keep-within decides, age unknown */
	TP_RETENTION_PROTECTED, /* its kind is protected by `immutable` */
	TP_RETENTION_NO_RULE, /* no retention entry for its kind */
	TP_RETENTION_INVALID, /* a field value is invalid: no order */
	TP_RETENTION_NO_KIND, /* it matches no kind of its scope */
	TP_RETENTION_INPUT /* the input line has a problem */
};

/*
 * One tag's verdict.  `text` is malloc'd and owned by the plan: for a
 * deleted tag the rule that selected it as the policy writes it
 * ("keep: 5", "keep-within: 30d", "keep-per: major, keep: 2", or several
 * joined by ", "); for a kept tag the reason, one line, lower-case
 * ("among the 5 newest", "the newest" (keep: 1), "among the 2 newest
 * with major '1'", "the newest with env 'dev'", "at most 30d old", "age
 * unknown: kind 'build' has no date field", "kind 'release' is protected
 * by rule 'immutable'", "no retention rule for kind 'latest'", "matches
 * no kind of scope image", "cannot be ordered: <the kind problem>",
 * "input: <the input problem>").
 */
struct tp_retention_verdict {
	const struct tp_tagres *tag; /* borrowed from the caller */
	const struct tp_retention *entry; /* its kind's entry, or NULL */
	enum tp_retention_why why;
	char *text;
};

/* The result of tp_retention_apply(). */
struct tp_retention_plan {
	struct tp_retention_verdict *del; /* the tags to delete */
	size_t ndel;
	struct tp_retention_verdict *keep; /* every other tag */
	size_t nkeep;
};

#define TP_RETENTION_PLAN_INIT \
	{ \
		NULL, 0, NULL, 0 \
	}

/*
 * Plans retention for the `n` tags `tags` (classified in `scope`, in
 * input order; borrowed, they must outlive the plan) under the retention
 * entries of `p`, at time `now` (seconds since the epoch).  `times` is
 * NULL or `n` times, TP_RETENTION_NO_TIME where unknown.  *out is
 * overwritten (not released) first; on failure it is left empty and owns
 * nothing.  Errors: TP_ENOMEM only.
 */
int tp_retention_apply(struct tp_retention_plan *out, const struct tp_policy *p,
		       enum tp_scope scope, const struct tp_tagres *const *tags,
		       const int64_t *times, size_t n, int64_t now,
		       struct tp_error *err);

/* Frees what `plan` owns and leaves it as TP_RETENTION_PLAN_INIT. */
void tp_retention_plan_release(struct tp_retention_plan *plan);

/*
 * 1 when tags of kind `k` are protected in `scope` by rule `immutable`,
 * else 0.
 */
int tp_retention_protected(const struct tp_policy *p, enum tp_scope scope,
			   const struct tp_kind *k);

/*
 * Appends the entry's settings as the policy writes them: "keep: 5",
 * "keep-per: major, keep: 2", "keep-within: 30d" (the duration in the
 * largest of w, d, h that divides it), joined by ", ".  0 or TP_ENOMEM.
 */
int tp_retention_rule_text(struct tp_buf *out, const struct tp_retention *r);

#endif
