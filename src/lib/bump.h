/*
 * bump.h: the next release version, from plain facts about the history.
 *
 * This module answers "what is the next version?" (spec/versioning.md,
 * product.md `next`, background.md §7 decisions 7-9).  It reads no
 * repository and no policy: the caller gathers the current release, the
 * commits since it and the existing tags of the release kind, fills a
 * struct tp_bump_input and calls tp_bump_next().
 *
 * SemVer (the default scheme).  Let C be the current release.  The base
 * target T0 is:
 *
 *	major|minor|patch   C (0.0.0 when there is no release) incremented
 *	                    like node-semver's inc;
 *	auto, prerelease    no release: release.initial, whatever the
 *	                    commits say; else C incremented by the largest
 *	                    bump over the commits (none: no T0, except that
 *	                    `prerelease` then takes a patch, like node's
 *	                    prerelease on a release).
 *
 * The prerelease line is the highest prerelease tag, by precedence, among
 * the tags marked `reachable` whose version is above C (any version when
 * there is no release); its target L is that version without its
 * prerelease (see tp_bump_find_line()).
 *
 * Without --pre (and not `prerelease`): major|minor|patch give T0 as it
 * is (a forced bump ignores the line: `next patch` while 1.4.0-rc.2 is
 * open is a hotfix 1.3.1); auto gives the higher of T0 and L, so an open
 * line is promoted even with no new commit (1.4.0-rc.2 -> 1.4.0).  No
 * target at all is "nothing to release".
 *
 * With --pre ID, or `prerelease` (whose ID, without --pre, is the line's:
 * 1.4.0-rc.2 -> "rc", 1.4.0-beta -> "beta", 1.4.0-3 -> "", and no line is
 * TP_EINVAL), the target T is the higher of T0 and L, without any
 * prerelease or build metadata.  The prereleases of T "with identifier ID"
 * are those whose prerelease is exactly ID.N (N numeric; just N when ID is
 * empty), anywhere in the repository; the highest of them plus one gives
 * the next (T-ID.(N+1)), else T-ID.<prerelease-start>.  It is "nothing to
 * release" when this continues the line itself (same target, same ID) and
 * `pre_new_commits` is 0.  Otherwise the result must be greater than every
 * existing prerelease of T (refused: TP_EEXISTS; 1.4.0-beta.1 after
 * 1.4.0-rc.2).  Higher tags on other lines never block.
 *
 * CalVer (`calver` set): the next version is `now` rendered in the date
 * format; when that version or a counted one exists (DATE or DATE.N, N a
 * positive decimal without leading zero), DATE.(highest N + 1), the bare
 * DATE counting as 0.  Only `auto` applies (the others are TP_EINVAL), and
 * with a current release it needs a bumping commit like auto under SemVer.
 *
 * Rule 6, every scheme: a computed version whose tag already exists
 * anywhere (equal precedence, so 1.4.0+b counts for 1.4.0) is refused with
 * TP_EEXISTS "version 'X' is already tagged as 'TAG'".
 *
 * Commit messages are read with tp_cc_parse(), which treats CRLF like LF
 * (a line holding only "\r" is blank, a trailing "\r" is trimmed from the
 * description), so the caller may pass them with or without folding; this
 * module never copies or changes them.
 */
#ifndef TP_BUMP_H
#define TP_BUMP_H

#include "tagpolicy.h"

#include "conventional.h"
#include "date.h"

/* What the user asked for: `next [auto|major|minor|patch|prerelease]`. */
enum tp_bump_req {
	TP_BUMP_REQ_AUTO = 0,
	TP_BUMP_REQ_MAJOR,
	TP_BUMP_REQ_MINOR,
	TP_BUMP_REQ_PATCH,
	TP_BUMP_REQ_PRERELEASE
};

/* What the answer is: the JSON field `bump`. */
enum tp_bump_kind {
	TP_BUMP_KIND_NONE = 0,  /* nothing to release */
	TP_BUMP_KIND_PATCH,
	TP_BUMP_KIND_MINOR,
	TP_BUMP_KIND_MAJOR,
	TP_BUMP_KIND_PRERELEASE,
	TP_BUMP_KIND_INITIAL    /* auto with no release */
};

/* One commit since the current release, as read (LF or CRLF). */
struct tp_bump_commit {
	const char *msg;
	size_t len;
};

/*
 * One existing tag of the release kind (anywhere in the repository: every
 * branch, reachable or not; the current release's own tag included).
 */
struct tp_bump_tag {
	const char *version; /* bare: "1.4.0-rc.2" (SemVer) or "2026.11.27" */
	const char *tag;     /* the tag name for messages; NULL: `version` */
	int reachable;       /* its commit is reachable from the commit to
				release and not from the current release's
				commit (`git log CURRENT..REV` holds it) */
};

struct tp_bump_input {
	enum tp_bump_req req;
	const char *current;   /* the current release (bare), NULL: none */
	const char *pre;       /* --pre ID; NULL or "": none */
	unsigned pre_start;    /* release.prerelease-start */
	const char *initial;   /* release.initial; used by auto, no release */
	const struct tp_bump_map *map; /* bump.*; NULL: the built-in map */
	const struct tp_bump_commit *commits; /* since the current release */
	size_t ncommits;
	const struct tp_bump_tag *tags;
	size_t ntags;
	/*
	 * 1 when at least one counted commit is reachable from the commit to
	 * release and not from the commit of the line's tag
	 * (tp_bump_find_line()); without components that is "the line's tag
	 * is not on that commit".  Read only when a line exists.
	 */
	int pre_new_commits;
	/* bump.scheme: calver.  `date` and `now` are read only then. */
	int calver;
	const struct tp_date_fmt *date; /* the release kind's date format */
	int64_t now;                    /* tp_clock_now() */
};

/* A commit that asks for a bump; `cc` borrows the caller's message. */
struct tp_bump_reason {
	size_t index;      /* into tp_bump_input.commits */
	struct tp_cc cc;   /* type, scope, subject, breaking */
	enum tp_bump bump; /* never TP_BUMP_NONE */
};

/*
 * The answer.  Initialise with TP_BUMP_RESULT_INIT or
 * tp_bump_result_init(), free with tp_bump_result_release().
 */
struct tp_bump_result {
	/*
	 * The bare next version.  With TP_BUMP_KIND_NONE: the current
	 * release, or empty when there is none (a prerelease line with no
	 * new commit and no release yet).
	 */
	struct tp_buf next;
	enum tp_bump_kind kind;
	/* The largest bump over all commits (what auto would do). */
	enum tp_bump commit_bump;
	/* Every commit whose bump is not none, in input order. */
	struct tp_bump_reason *reasons;
	size_t nreasons;
	/* The prerelease line's tag (borrowed from the input), or NULL. */
	const struct tp_bump_tag *line;
};

#define TP_BUMP_RESULT_INIT { TP_BUF_INIT, TP_BUMP_KIND_NONE, TP_BUMP_NONE, \
			      NULL, 0, NULL }

void tp_bump_result_init(struct tp_bump_result *r);
/* Frees what `r` owns and leaves it as after tp_bump_result_init(). */
void tp_bump_result_release(struct tp_bump_result *r);

/*
 * Computes the next version (see the top of this file) into *out, which
 * must be initialised; its previous content is replaced.  Errors:
 * TP_EEXISTS for rule 6 and for a prerelease that is not greater than an
 * existing prerelease of its target (both exit 1); TP_EINVAL for
 * `prerelease` with no --pre and no line, an invalid --pre identifier, a
 * `current`, `initial` or tag version that is not a valid version (or a
 * `current` that is a prerelease), and under CalVer for anything but auto
 * (all exit 2); TP_ENOMEM.  On error `out` is left as after init.
 */
int tp_bump_next(struct tp_bump_result *out, const struct tp_bump_input *in,
		 struct tp_error *err);

/*
 * The prerelease line (SemVer only): the highest prerelease, by
 * precedence, among `tags` marked reachable whose version is above
 * `current` (every one when `current` is NULL).  Tags whose version does
 * not parse, and an unparsable `current`, are treated as absent.  NULL
 * when there is none.  The caller uses it to set pre_new_commits.
 */
const struct tp_bump_tag *tp_bump_find_line(const struct tp_bump_tag *tags,
					    size_t ntags,
					    const char *current);

/* "auto", "major", "minor", "patch", "prerelease" -> *out; else TP_EINVAL. */
int tp_bump_req_parse(enum tp_bump_req *out, const char *s,
		      struct tp_error *err);

/* "none", "patch", "minor", "major", "prerelease" or "initial". */
const char *tp_bump_kind_name(enum tp_bump_kind k);

#endif
