/*
 * history.h: everything tagpolicy reads from (or writes to) a git
 * repository.  This is the only module that talks to libgit2 or reads
 * git's files (refs, packed-refs, the commit-graph, shallow; objects and
 * discovery through its helpers repo.h and odb.h); it knows nothing about
 * policies: callers say which tags matter through a classify callback.
 *
 * Two readers, one answer: a repository repo.h can read (a working tree
 * with a plain .git folder, files-backend refs, loose and packed SHA-1
 * objects: the common case) is read from its files, and libgit2 is loaded
 * and opened only for what needs it (trees: `--component` and server
 * policies; revisions other than a full id, HEAD or a full ref name; the
 * git configuration; branches; writing a tag).  Any other repository is
 * read with libgit2 throughout.  The unit tests run every case both ways.
 *
 * Objects are named by full lower-case hex ids in fixed buffers of
 * TP_HISTORY_ID_SIZE bytes (40 digits and a NUL: libgit2 1.5 reads SHA-1
 * repositories only).  Wherever a function takes a `rev`, any revision git
 * understands works ("HEAD", "v1.2.0", "main~3", a full or abbreviated
 * id); it is peeled to a commit.
 *
 * Ownership: a struct tp_history owns everything it hands out as a
 * pointer value (tags, names); results returned through a pointer-to-
 * pointer belong to the caller, who frees them with the matching _free()
 * function *before* freeing the tp_history they came from (they borrow its
 * tag names).  One handle is not safe to use from two threads at once.
 *
 * Errors: TP_EGIT when the repository cannot be read (the libgit2 message
 * follows the context), TP_ESHALLOW when a shallow clone hides the answer
 * (the hint says how to fetch the history), TP_EINVAL for a revision or a
 * name from the user that is not valid or does not resolve, TP_ENOTFOUND
 * and TP_EEXISTS where noted.
 *
 * Cost (bench/gen-history.sh makes repositories to measure it): finding
 * the current release walks the commits since the last release tag, not
 * the whole history.  Proving that a higher tag elsewhere (a newer line on
 * another branch) is not reachable is cheap with a commit-graph file
 * (`git commit-graph write --reachable`, or `git gc`), which the module
 * reads itself (single file or split chain) for generation numbers.
 * Without one it walks down to the merge base of that tag and the
 * releases found, and past a budget walks the history below those
 * releases once for all remaining tags: exact, and as slow as
 * `git tag --merged` on a large repository.  Listing the tags reads each
 * tag object once.
 */
#ifndef TP_HISTORY_H
#define TP_HISTORY_H

#include "tagpolicy.h"

#define TP_HISTORY_ID_SIZE 41

struct tp_history;

/* ------------------------------------------------------------------ */
/* opening                                                             */
/* ------------------------------------------------------------------ */

enum tp_history_open_flags {
	/*
	 * Open the repository the way git passes it to server hooks:
	 * GIT_DIR (else `dir`, else the current folder), GIT_OBJECT_DIRECTORY
	 * and GIT_ALTERNATE_OBJECT_DIRECTORIES (quarantined pushed objects),
	 * GIT_CEILING_DIRECTORIES (libgit2's GIT_REPOSITORY_OPEN_FROM_ENV).
	 */
	TP_HISTORY_OPEN_ENV = 1 << 0,
	/*
	 * Read everything with libgit2, even a repository the module can read
	 * from its files itself (repo.h): the tests run both ways and compare.
	 */
	TP_HISTORY_OPEN_LIBGIT2 = 1 << 1
};

/*
 * Opens the repository that contains `dir` (NULL: the current folder),
 * searching upwards like git (GIT_CEILING_DIRECTORIES is honoured, GIT_DIR
 * only with TP_HISTORY_OPEN_ENV); bare repositories and linked worktrees
 * work.  Sets *out, freed with tp_history_free().  When libgit2 is used,
 * the handle calls git_libgit2_init() (libgit2 counts the calls;
 * tp_history_free() makes the matching shutdown), so callers never call
 * libgit2 themselves.  Errors, all TP_EGIT: not a git repository (the
 * message names the folder), a SHA-256 repository, libgit2 cannot be
 * loaded (gitlib.h) or cannot open it.
 */
int tp_history_open(struct tp_history **out, const char *dir, unsigned flags,
		    struct tp_error *err);

/* Frees the handle and everything it owns; NULL is fine. */
void tp_history_free(struct tp_history *h);

/* The git folder (".git/" or the bare repository), with a trailing '/'. */
const char *tp_history_gitdir(const struct tp_history *h);

/*
 * The common git folder, with a trailing '/': the git folder itself, or
 * for a linked worktree the main repository's git folder, which its
 * `commondir` file names (tags, packed-refs, hooks and the commit-graph
 * live there).
 */
const char *tp_history_commondir(const struct tp_history *h);

/* The top of the working tree with a trailing '/'; NULL when bare. */
const char *tp_history_workdir(const struct tp_history *h);

/* 1 when the repository is a shallow clone (it has a `shallow` file). */
int tp_history_is_shallow(const struct tp_history *h);

/* ------------------------------------------------------------------ */
/* configuration                                                       */
/* ------------------------------------------------------------------ */

/*
 * Sets *out to a malloc'd copy of the configuration value `key` (as git
 * config reads it: repository, global, system).  TP_ENOTFOUND when the key
 * is not set (*out is NULL then).
 */
int tp_history_config_string(char **out, struct tp_history *h,
			     const char *key, struct tp_error *err);

/*
 * 1 when git would sign a new annotated tag (tag.gpgSign or
 * tag.forceSignAnnotated is true), 0 when not, negative on error (a value
 * that is not a boolean is TP_EGIT).
 */
int tp_history_wants_signed_tags(struct tp_history *h, struct tp_error *err);

/* ------------------------------------------------------------------ */
/* revisions                                                           */
/* ------------------------------------------------------------------ */

struct tp_history_object {
	char id[TP_HISTORY_ID_SIZE];     /* the object `rev` names */
	char commit[TP_HISTORY_ID_SIZE]; /* that object peeled to a commit */
	int annotated;                   /* `id` is an annotated tag object */
	int64_t time;                    /* the commit's committer time */
};

/*
 * Resolves `rev` (git_revparse_single) and peels it to a commit.
 * TP_EINVAL when it does not name an object or the object does not lead to
 * a commit (a tag of a tree); TP_ENOTFOUND when it names HEAD (or a branch)
 * that has no commit yet.  With a hex id the object must be present: this
 * is how hooks peel a pushed object (an annotated tag's local-oid is the tag
 * object).
 */
int tp_history_resolve(struct tp_history_object *out, struct tp_history *h,
		       const char *rev, struct tp_error *err);

/*
 * The commit HEAD points at.  TP_ENOTFOUND when HEAD is unborn (a new
 * repository or an orphan branch without commits), with a message naming
 * the branch.
 */
int tp_history_head(char id[TP_HISTORY_ID_SIZE], struct tp_history *h,
		    struct tp_error *err);

/*
 * Sets *out to a malloc'd copy of the current branch's short name
 * ("main", "release/1.x"), also when it has no commit yet; to NULL when
 * HEAD is detached.
 */
int tp_history_branch(char **out, struct tp_history *h, struct tp_error *err);

/*
 * Writes the first `len` digits of `id` into `out` (`size` bytes, always
 * NUL-terminated): a fixed length, never widened to be unique, so the
 * result does not change as the repository grows.  The whole id when it is
 * shorter than `len`.
 */
void tp_history_short_id(char *out, size_t size, const char *id,
			 unsigned len);

/*
 * Appends to `out` the content of the file `path` (relative to the top of
 * the tree, '/'-separated) in the tree of `rev`.  TP_ENOTFOUND when `rev`
 * is an unborn HEAD or the tree has no such file (a folder is TP_ENOTFOUND
 * too).  Server hooks read the policy of a bare repository with this.
 */
int tp_history_read_file(struct tp_buf *out, struct tp_history *h,
			 const char *rev, const char *path,
			 struct tp_error *err);

/* ------------------------------------------------------------------ */
/* tags                                                                */
/* ------------------------------------------------------------------ */

enum tp_history_target {
	TP_TARGET_COMMIT,  /* peels to a commit */
	TP_TARGET_TREE,    /* a tag of a tree: no commit */
	TP_TARGET_BLOB,    /* a tag of a blob: no commit */
	TP_TARGET_MISSING  /* an object on the way is not in the repository
			      (a shallow clone, a broken or dangling ref) */
};

/*
 * One ref under refs/tags/.  Every string is NUL-terminated and owned by
 * the tp_history.
 */
struct tp_history_tag {
	const char *name;  /* after "refs/tags/": "v1.2.0", "api/v2.0.0" */
	size_t name_len;
	char id[TP_HISTORY_ID_SIZE];     /* what the ref points at: the tag
					    object when annotated ("" when a
					    symbolic ref does not resolve) */
	char commit[TP_HISTORY_ID_SIZE]; /* the peeled commit, "" unless
					    target is TP_TARGET_COMMIT */
	enum tp_history_target target;
	int annotated;                   /* the ref points at a tag object */
	int64_t tag_time;    /* tagger time (seconds since the epoch) of an
				annotated tag; 0 when lightweight or unknown.
				A lightweight tag's date is its commit's:
				see tp_history_commit_time() */
};

/*
 * Sets *tags to all tags of the repository, sorted by name (bytes), and
 * *n to their number.  They are read once, on the first call (loose and
 * packed refs; each peeled once); later calls return the same array, so a
 * tag created afterwards is not in it (tp_history_tag_exists() asks the
 * refs themselves).  The array is owned by `h`.
 */
int tp_history_tags(const struct tp_history_tag **tags, size_t *n,
		    struct tp_history *h, struct tp_error *err);

/*
 * Sets *out to the committer time (seconds since the epoch) of the commit
 * of `rev`.  Not part of struct tp_history_tag because reading every
 * tagged commit would double the cost of listing the tags; asked for a
 * tag's `commit`, it is cheap (cached, and read from the commit-graph when
 * there is one).
 */
int tp_history_commit_time(int64_t *out, struct tp_history *h,
			   const char *rev, struct tp_error *err);

/*
 * 1 when the ref refs/tags/<name> exists now (whatever it points at,
 * anywhere in the repository), 0 when not; TP_EINVAL when `name` is not a
 * valid tag name.
 */
int tp_history_tag_exists(struct tp_history *h, const char *name,
			  struct tp_error *err);

/*
 * One tag ref's name for tp_history_foreach_tag_name(): `name` (after
 * "refs/tags/", `len` bytes, NUL-terminated, followed by at least
 * TP_HISTORY_NAME_PAD initialised bytes, so that PCRE2's JIT, which may
 * read a little past a subject's end, can match it where it lies) and
 * `target`, the 40 hex digits of the id the ref itself holds (the tag
 * object of an annotated tag, not peeled) when the listing read it anyway,
 * else NULL.  Both are valid during the call only.  Returns 0 to go on;
 * any other value stops the listing.
 */
typedef int (*tp_history_tag_name_fn)(const char *name, size_t len,
				      const char *target, void *payload);

#define TP_HISTORY_NAME_PAD 16

/*
 * Calls `cb` once for each tag ref of the repository, reading names only:
 * no object is read and no ref is peeled or resolved, so it stays cheap
 * with ten thousand tags (what the pre-push hook needs; tp_history_tags()
 * reads every tag object).  The refs are those of git's files backend in
 * the common git folder (tp_history_commondir(), so a linked worktree
 * lists its repository's tags): the loose refs under refs/tags, at any
 * depth ("api/v1.0.0"), then the refs/tags entries of `packed-refs` that
 * no loose ref of the same name overrides; each name once, in no
 * particular order.  A loose ref is listed by its file name whatever the
 * file holds (a symbolic ref is a name like any other) and its `target`
 * is NULL, since knowing it means reading one file per tag; a packed one
 * has the id on its line as `target` (NULL when that is not 40 hex
 * digits).  Files and folders whose names start with '.' or end in
 * ".lock" are not refs; a symbolic link is a ref, never a folder.  A tag created or deleted
 * meanwhile may or may not be seen.
 *
 * Returns 0, or the first non-zero value `cb` returned (the callback says
 * what went wrong in its own error record; `err` is not touched then);
 * TP_EGIT when refs/tags or packed-refs cannot be read (a missing one has
 * no tags); TP_ENOMEM.
 *
 * Why not libgit2's git_reference_foreach_name(), or a glob iterator
 * with git_reference_next_name(): they peel nothing either, but they open
 * and parse every loose ref (one file read a tag) and load packed-refs
 * into a sorted cache.  On the 10,000 tags of `bench/gen-history.sh DIR
 * 100000 10000` (in process, a fresh handle for each of 40 runs, mean)
 * both took 65 ms with loose refs and 6.5 ms packed; this listing takes
 * 3.5 ms and 0.9 ms, where a whole pre-push hook run costs about 13 ms of
 * CPU.  Folders are told from files by the `d_type` readdir() returns, so
 * there is no stat call a ref; only on file systems that leave it unknown
 * does each entry cost an fstatat().
 */
int tp_history_foreach_tag_name(struct tp_history *h,
				tp_history_tag_name_fn cb, void *payload,
				struct tp_error *err);

/*
 * Sets *out to a malloc'd array (free()) of the indices, in the array of
 * tp_history_tags(), of the tags whose commit is `rev`, ascending, and *n
 * to their number (*out may be NULL when *n is 0).
 */
int tp_history_tags_at(size_t **out, size_t *n, struct tp_history *h,
		       const char *rev, struct tp_error *err);

/* ------------------------------------------------------------------ */
/* the current release                                                 */
/* ------------------------------------------------------------------ */

/*
 * Says whether the tag `name` (`len` bytes, also NUL-terminated) is of
 * the wanted kind: returns 1 and sets *ver_off and *ver_len to the place
 * of its SemVer version inside `name` ("v1.4.0" gives 1 and 5), or
 * returns 0.  Called once per tag per search.
 */
typedef int (*tp_history_classify_fn)(const char *name, size_t len,
				      size_t *ver_off, size_t *ver_len,
				      void *payload);

/* Why a tag is not the current release. */
enum tp_history_skip {
	TP_SKIP_OTHER_KIND,  /* classify said no */
	TP_SKIP_BAD_VERSION, /* its version is not SemVer 2.0.0 */
	TP_SKIP_PRERELEASE,  /* a prerelease (without TP_FIND_PRERELEASES) */
	TP_SKIP_NOT_COMMIT,  /* tags a tree or a blob */
	TP_SKIP_MISSING,     /* its commit is not in the repository */
	TP_SKIP_UNREACHABLE, /* higher, but not in the history of the start */
	TP_SKIP_SAME,        /* equal precedence (other build metadata) */
	TP_SKIP_LOWER        /* lower than the current release */
};

/* A short English phrase for `why` ("not reachable from the start", ...). */
const char *tp_history_skip_str(enum tp_history_skip why);

struct tp_history_skipped {
	size_t tag; /* index in the array of tp_history_tags() */
	enum tp_history_skip why;
};

/*
 * The result of a search.  `tag` and the strings of `version` are
 * borrowed from the tp_history.
 */
struct tp_history_release {
	const struct tp_history_tag *tag; /* NULL: no release */
	size_t tag_index;                 /* valid when tag != NULL */
	struct tp_version version;        /* valid when tag != NULL */
	char start[TP_HISTORY_ID_SIZE];   /* the commit searched from */
	int shallow;       /* the repository is shallow: the answer holds,
			      but the caller should warn */
	struct tp_history_skipped *skipped; /* every other tag, in tag order */
	size_t nskipped;
	size_t walked;     /* commits visited, reachability checks included
			      (for benchmarks and tests of the cost) */
};

enum tp_history_find_flags {
	/* prereleases are candidates too (the `monotonic` hook rule) */
	TP_FIND_PRERELEASES = 1 << 0
};

/*
 * Finds the current release from `rev` (NULL: HEAD): of the tags that
 * `classify` accepts, whose version is valid and not a prerelease, and
 * whose commit is reachable from `rev`, the one of highest precedence
 * (versioning.md rules 1-5).  Equal precedence (v1.2.3+a, v1.2.3+b) is one
 * version: the first name in byte order is taken.  No release is not an
 * error: (*out)->tag is NULL.
 *
 * Shallow clones: TP_ESHALLOW when the walk reaches the shallow boundary
 * before it can rule out a release higher than the best one found (a
 * candidate whose commit is missing or possibly beyond the boundary, or no
 * release at all); otherwise the answer is exact and (*out)->shallow is 1.
 * TP_ENOTFOUND when HEAD is unborn; TP_EINVAL when `rev` does not resolve.
 * Sets *out (tp_history_release_free()) on success only.
 */
int tp_history_find_release(struct tp_history_release **out,
			    struct tp_history *h, const char *rev,
			    unsigned flags, tp_history_classify_fn classify,
			    void *payload, struct tp_error *err);

void tp_history_release_free(struct tp_history_release *r);

/* ------------------------------------------------------------------ */
/* commits since a release                                             */
/* ------------------------------------------------------------------ */

struct tp_history_commit {
	char id[TP_HISTORY_ID_SIZE];
	const char *message;  /* raw, as stored (may hold CRLF), NUL-ended */
	size_t message_len;
	const char *summary;  /* the first non-blank line of the message,
				 without trailing white space or CR,
				 NUL-ended */
	size_t summary_len;
	size_t nparents;      /* 2 or more: a merge */
	int64_t time;         /* committer time */
	const size_t *tags;   /* indices (tp_history_tags()) of the tags at
				 this commit */
	size_t ntags;
};

struct tp_history_commits {
	struct tp_history_commit *commits; /* newest first */
	size_t nr;       /* commits listed */
	size_t total;    /* commits in the range before path filtering */
	size_t walked;   /* commits visited (for benchmarks) */
	void *priv;      /* private: the memory the strings live in */
};

/*
 * Lists the commits reachable from `rev` (NULL: HEAD) and not from
 * `since` (NULL: the whole history), like `git log SINCE..REV`: merges are
 * included, each with its own message only.  Ordered by committer time,
 * newest first (ties: walk order).
 *
 * With `npaths` > 0, only commits that change something under one of
 * `paths` compared with their first parent are listed (a root commit is
 * compared with the empty tree).  A path is a '/'-separated prefix matched
 * by whole components: "api" covers "api" and "api/x.c", not "apix"; a
 * trailing '/' and a leading "./" are ignored; "" or "." is the whole
 * tree.  `total` counts the range before this filter.
 *
 * TP_ESHALLOW when commits of the range lie beyond the shallow boundary;
 * TP_ENOTFOUND when HEAD is unborn; TP_EINVAL when a rev does not
 * resolve.  Sets *out (tp_history_commits_free()) on success only.
 */
int tp_history_commits_since(struct tp_history_commits **out,
			     struct tp_history *h, const char *rev,
			     const char *since, const char *const *paths,
			     size_t npaths, struct tp_error *err);

void tp_history_commits_free(struct tp_history_commits *c);

/* ------------------------------------------------------------------ */
/* reachability                                                        */
/* ------------------------------------------------------------------ */

/*
 * 1 when the commit of `ancestor` is reachable from one of the `n` revs
 * `from` (a commit reaches itself), else 0.  TP_ESHALLOW when a shallow
 * boundary hides the answer.
 */
int tp_history_reachable(struct tp_history *h, const char *ancestor,
			 const char *const *from, size_t n,
			 struct tp_error *err);

/*
 * 1 when the commit of `rev` is in the history of a branch whose name
 * matches one of `patterns`, else 0.  Both local branches (refs/heads/NAME)
 * and remote-tracking ones (refs/remotes/REMOTE/NAME) count.  Patterns are
 * fnmatch(3) globs with FNM_PATHNAME: `*` does not cross a '/', so the
 * pattern release/<star> matches "release/1.x" but not
 * "release/1.x/hotfix".  When
 * `branch` is not NULL it receives the matching ref's full name
 * (malloc'd), or NULL when there is none.
 */
int tp_history_on_branch(char **branch, struct tp_history *h,
			 const char *rev, const char *const *patterns,
			 size_t npatterns, struct tp_error *err);

/* ------------------------------------------------------------------ */
/* creating a tag                                                      */
/* ------------------------------------------------------------------ */

/*
 * Creates the annotated tag refs/tags/<name> at the commit of `rev` with
 * `message` (cleaned up as git does: trailing white space dropped, one
 * final newline) and writes the new tag object's id into `id` (may be
 * NULL).  The tagger is GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL when set,
 * else user.name / user.email from the configuration; when neither gives
 * both it is TP_EGIT naming the missing keys.  Never moves a tag: an
 * existing one is TP_EEXISTS.  TP_EINVAL for an invalid tag name.  The
 * array of tp_history_tags() is not updated.  Does not sign: callers
 * refuse first when tp_history_wants_signed_tags() says 1.
 */
int tp_history_tag_create(char id[TP_HISTORY_ID_SIZE], struct tp_history *h,
			  const char *name, const char *rev,
			  const char *message, struct tp_error *err);

#endif
