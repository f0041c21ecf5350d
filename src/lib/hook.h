/*
 * hook.h: what git's hooks check when tags are pushed (pre-push on the
 * client, pre-receive and update on the server), where the server hooks
 * find their policy, and the pre-push hook script `hook install` writes.
 *
 * The checks (tp_hook_check) look at the tag refs of one push only; branch
 * and other refs matter only as the branches a tag may sit on.  For each
 * tag update, in push order:
 *
 *   delete   only `immutable`: a tag of a protected kind is never deleted;
 *   update   `immutable`: a tag of a protected kind never moves (nor is it
 *            replaced by another tag object on the same commit); then as
 *            a create, at its new place;
 *   create   the tag's shape: a lint run in scope git (tp_lint_*) with every
 *            tag rule, custom rules included, and the repository facts:
 *            the pushed commit (peeled) for `sha-commit`, whether the pushed
 *            object is a tag object for `annotated`, and for `promotion`
 *            the tags already on that commit together with every tag of
 *            the same push (a tag created in the same push counts as
 *            there); then, for release tags (the release kind or a
 *            component's kind):
 *              `monotonic`: the tag's version is greater than that of
 *              every tag of its kind in the history of its commit
 *              (prereleases count, as `next --tag` counts them; the tag
 *              itself does not), tags of the same push included;
 *              `release-branch`: its commit is in the history of a
 *              branch the rule names (local or remote-tracking, or a
 *              branch updated in the same push).
 * Set rules (duplicate-version, version-gap, one-version-per-commit) are
 * check --git's: the hooks do not run them.
 *
 * Cost: a push without tag refs costs nothing here (callers return before
 * opening anything: tp_hook_tag_count()).  `monotonic` reads the names of
 * the repository's tags (tp_history_foreach_tag_name(): loose refs and
 * packed-refs, no object read);
 * in a kind that is a literal then {semver} ("v{semver}", "api/v{semver}")
 * a name whose major is below the pushed one's is passed over without a
 * regex match (most names, for the next release of a long history).  It
 * looks at history only for tags of the same kind whose version is not
 * lower: with a few, each is tested for reachability from the pushed
 * commit; with many (a release below its history, a maintenance line
 * below newer ones), the history module's release search settles them at
 * once.  `promotion`, when on, lists every tag of the repository once.
 *
 * Object ids are 40 hex digits: a push list of 64-hex ids (SHA-256) is
 * refused by callers before they open the repository (libgit2 1.5 cannot
 * read such a repository: tp_history_open() fails too).
 */
#ifndef TP_HOOK_H
#define TP_HOOK_H

#include "tagpolicy.h"

#include "history.h"
#include "policy.h"
#include "prepush.h"

/* ------------------------------------------------------------------ */
/* the checks                                                          */
/* ------------------------------------------------------------------ */

/* The number of tag updates (refs/tags/...) in `l`. */
size_t tp_hook_tag_count(const struct tp_push_list *l);

/*
 * One problem of one pushed tag.  `message` says what is wrong without
 * naming the tag (the output puts it in front), one line, lower-case;
 * `hint` says what would pass ("tag it as 'v1.2.0'") or is NULL.
 */
struct tp_hook_finding {
	size_t update; /* index of the update in the push list */
	const char *tag; /* its tag name, borrowed from the push list */
	char *rule; /* rule id */
	enum tp_level level; /* TP_LEVEL_ERROR or TP_LEVEL_WARNING */
	char *message;
	char *hint;
};

/*
 * One pushed tag, checked.  `kind` is its kind's name (borrowed from the
 * policy), NULL when it matches no kind of scope git; `commit` is the
 * pushed commit, "" for a delete; `annotated` says whether the pushed
 * object is a tag object, -1 for a delete.
 */
struct tp_hook_tag {
	size_t update; /* index of the update in the push list */
	const char *tag; /* borrowed from the push list */
	enum tp_push_action action;
	const char *kind;
	char *fields; /* "semver=1.4.0 env=prod" or "" (owned) */
	char commit[TP_HISTORY_ID_SIZE];
	int annotated;
	size_t errors;
	size_t warnings;
};

/*
 * The outcome of one push.  Findings are grouped by tag in push order,
 * errors before warnings within a tag, otherwise in the order found
 * (immutable, the lint rules, monotonic, release-branch).  The push is
 * blocked when `errors` > 0.
 */
struct tp_hook_report {
	struct tp_hook_tag *tags;
	size_t ntags;
	struct tp_hook_finding *findings;
	size_t nfindings;
	size_t errors;
	size_t warnings;
};

/*
 * Checks the tag updates of `l` against the policy `p` in the repository
 * `h` (opened with TP_HISTORY_OPEN_ENV in server hooks, so that pushed
 * objects in quarantine are readable).  Sets *out (tp_hook_report_free())
 * on success; policy violations are findings, never errors.
 *
 * Errors: TP_EGIT when a pushed object cannot be read (missing, or not
 * leading to a commit: a tag of a tree or a blob is refused this way) or
 * the repository cannot be read; TP_ESHALLOW when a shallow clone hides
 * the history `monotonic` or `release-branch` needs; the error of
 * tp_lint_new() (a malformed SOURCE_DATE_EPOCH with `date-future` on);
 * TP_ENOMEM.  `p` and `l` must outlive the report (it borrows names).
 */
int tp_hook_check(struct tp_hook_report **out, const struct tp_policy *p,
		  struct tp_history *h, const struct tp_push_list *l,
		  struct tp_error *err);

void tp_hook_report_free(struct tp_hook_report *r);

/* ------------------------------------------------------------------ */
/* the server hooks' policy                                            */
/* ------------------------------------------------------------------ */

enum tp_hook_policy_flags {
	/* also read .tagpolicy.yml (or .yaml) from the tree of HEAD */
	TP_HOOK_POLICY_TREE = 1 << 0
};

/*
 * The policy of a server repository, when neither -p nor
 * $TAGPOLICY_CONFIG names one (callers check those first): the file
 * `tagpolicy.yml` in the git folder itself (where pushes cannot reach),
 * else, with TP_HOOK_POLICY_TREE, `.tagpolicy.yml` or `.tagpolicy.yaml` in
 * the tree of HEAD as it is (pre-receive runs before any ref moves, so
 * this is never a pushed commit's policy; both present is TP_EPOLICY).
 * Relative `extends` paths of a policy read from the tree are resolved in
 * the git folder.  Sets *out, or returns TP_ENOTFOUND when there is no
 * such file (HEAD unborn counts as none).  Other errors: those of
 * tp_policy_load_file() and tp_policy_load_buffer(); TP_EGIT when HEAD's
 * tree cannot be read.
 */
int tp_hook_server_policy(struct tp_policy **out, struct tp_history *h,
			  unsigned flags, struct tp_error *err);

/* ------------------------------------------------------------------ */
/* the installed hook                                                  */
/* ------------------------------------------------------------------ */

/*
 * The line that marks a hook as written by tagpolicy, as it starts: a
 * hook file holding a line that starts with it is tagpolicy's (any
 * version of it), every other file is someone else's.
 */
#define TP_HOOK_MARKER "# tagpolicy-hook:"

/*
 * Appends the POSIX sh script installed as hook `name` ("pre-push"): the
 * marker line, then `exec tagpolicy hook NAME "$@"` when tagpolicy is on
 * PATH, else a message and advice on stderr and exit 1 (the hook fails
 * closed).  0 or TP_ENOMEM.
 */
int tp_hook_script(struct tp_buf *out, const char *name);

/* 1 when the `len` bytes of `data` are a hook tagpolicy wrote, else 0. */
int tp_hook_is_ours(const char *data, size_t len);

/*
 * The folder git runs the repository's hooks from: core.hooksPath when it
 * is set ("~/" is HOME; relative to the top of the working tree, or to
 * the git folder of a bare repository), else the `hooks` folder of the
 * common git folder (shared by every linked worktree).  Sets *out to a
 * malloc'd path without a trailing '/'.  Errors: TP_EGIT, TP_ENOMEM.
 */
int tp_hook_dir(char **out, struct tp_history *h, struct tp_error *err);

enum tp_hook_done {
	TP_HOOK_INSTALLED, /* there was no hook: ours is there now */
	TP_HOOK_UPDATED, /* ours was there with other content: replaced */
	TP_HOOK_UNCHANGED, /* ours was there already, byte for byte */
	TP_HOOK_REPLACED, /* someone else's was moved to `backup` (force) */
	TP_HOOK_REMOVED, /* ours was removed; there was no backup */
	TP_HOOK_RESTORED, /* ours was removed and `backup` put back */
	TP_HOOK_ABSENT /* there was no hook to remove */
};

struct tp_hook_result {
	enum tp_hook_done done;
	char *path; /* the hook's path (malloc'd) */
	char *backup; /* REPLACED, RESTORED: the backup's path, else NULL */
};

/*
 * Writes hook `name` into the folder `dir` (made, with its parents, when
 * missing): the script of tp_hook_script() in a temporary file in `dir`,
 * mode 0755, renamed over `<dir>/<name>`, so that git never sees half a
 * hook.  A hook of tagpolicy's is replaced (UPDATED) or left alone when it
 * is the same (UNCHANGED).  Someone else's hook (any other file, a
 * symbolic link, a folder) is TP_EEXISTS, with a hint, and nothing is
 * touched, unless `force`: then it is first kept as
 * `<name>.tagpolicy-backup`, or `.tagpolicy-backup.N` (the lowest N >= 1
 * that is free) so that no earlier backup is overwritten (REPLACED).
 * Fills `res` (release with tp_hook_result_release()) on success.
 * Errors: TP_EEXISTS, TP_EIO (with the path and the system's reason),
 * TP_ENOMEM.
 */
int tp_hook_install(struct tp_hook_result *res, const char *dir,
		    const char *name, int force, struct tp_error *err);

/*
 * Removes hook `name` from `dir` when tagpolicy wrote it; when install
 * --force kept a backup there, the newest one (the highest N, else the
 * one without a number) is renamed back into place (RESTORED), else the
 * hook is deleted (REMOVED).  No hook is ABSENT (not an error).  Someone
 * else's hook is TP_EEXISTS and nothing is touched.  Errors: TP_EEXISTS,
 * TP_EIO, TP_ENOMEM.
 */
int tp_hook_uninstall(struct tp_hook_result *res, const char *dir,
		      const char *name, struct tp_error *err);

void tp_hook_result_release(struct tp_hook_result *res);

#endif
