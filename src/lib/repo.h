/*
 * repo.h: a git repository found and read from its own files, without
 * libgit2: where it is (git's discovery), its refs (loose and packed,
 * symbolic refs followed) and its objects (odb.h).
 *
 * Why: libgit2 costs every run about 10 ms and 8 MB before it reads
 * anything (Debian's build parses the system's CA certificates in
 * git_libgit2_init()), more than a whole `next` or pre-push hook needs.
 * This reader serves the common repository: a working tree with a `.git`
 * folder, files-backend refs, SHA-1 objects in loose files and packs.
 * Whatever it does not know for certain it leaves to libgit2: tp_repo_open()
 * declines (returns 0) and history.c opens the repository with libgit2 as
 * before, so the two never disagree about which repository, or what is in
 * it.  Only history.c uses this module.
 */
#ifndef TP_REPO_H
#define TP_REPO_H

#include "tagpolicy.h"
#include "odb.h"

struct tp_repo;

/* tp_repo_open() flags */
enum tp_repo_open_flags {
	/*
	 * The repository comes from the environment, as for server hooks
	 * (libgit2's GIT_REPOSITORY_OPEN_FROM_ENV): declined whenever one of
	 * the variables that open would honour (GIT_DIR, GIT_OBJECT_DIRECTORY,
	 * GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_COMMON_DIR, GIT_WORK_TREE,
	 * GIT_INDEX_FILE, GIT_NAMESPACE, GIT_DISCOVERY_ACROSS_FILESYSTEM) is
	 * set, even to "".
	 */
	TP_REPO_OPEN_ENV = 1 << 0
};

/*
 * Looks for the repository that contains `start` the way libgit2 1.5's
 * git_repository_open_ext() does (`start` itself, then each parent, never
 * into a GIT_CEILING_DIRECTORIES folder, never across a file system
 * boundary), and opens it when the first one found is a plain working
 * tree repository: a `.git` folder with HEAD, objects/ and refs/, owned by
 * the current user like its working tree, whose config sets no
 * `extensions`, `core.worktree`, `core.bare` or include, with a format
 * version of 0 or 1, no `commondir` and an object store tp_odb_open()
 * accepts.  Returns 1 and sets *out then.  Returns 0 (and *out NULL) for
 * everything else, including "no repository here": libgit2 decides and
 * words the error.  Negative only when memory runs out.
 */
int tp_repo_open(struct tp_repo **out, const char *start, unsigned flags,
		 struct tp_error *err);

/* Frees the handle; NULL is fine. */
void tp_repo_free(struct tp_repo *r);

/* The git folder (".../.git/", with a trailing '/'); also the common one. */
const char *tp_repo_gitdir(const struct tp_repo *r);

/* The top of the working tree, with a trailing '/'. */
const char *tp_repo_workdir(const struct tp_repo *r);

/*
 * Resolves the ref `name` ("HEAD", "refs/heads/main", "refs/tags/v1.0.0")
 * to the id it ends at, following symbolic refs (at most 5), loose file
 * first, then packed-refs.  Sets id (20 bytes) and returns 0.  Returns
 * TP_ENOTFOUND when a ref on the way does not exist (HEAD on an unborn
 * branch); `*last`, when not NULL, is then set to a malloc'd copy of the
 * last name tried ("refs/heads/main"), else to NULL.  TP_EGIT when a ref
 * file cannot be read or holds neither an id nor "ref: NAME", or the
 * chain is too long.
 */
int tp_repo_ref(unsigned char id[20], char **last, struct tp_repo *r,
		const char *name, struct tp_error *err);

/*
 * The target of the symbolic ref `name` (a malloc'd copy of "refs/heads/
 * main" for HEAD on main) in *out, or NULL when `name` is not symbolic (a
 * detached HEAD).  TP_ENOTFOUND when there is no such ref.
 */
int tp_repo_symref(char **out, struct tp_repo *r, const char *name,
		   struct tp_error *err);

/* Reads an object: tp_odb_read() on the repository's object store. */
int tp_repo_read(struct tp_repo *r, const unsigned char id[20],
		 enum tp_odb_type *type, unsigned char **data, size_t *size,
		 struct tp_error *err);

#endif /* TP_REPO_H */
