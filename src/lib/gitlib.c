/*
 * gitlib.c: libgit2's functions, called through a table that
 * tp_gitlib_load() fills with dlopen() and dlsym() (see gitlib.h).
 *
 * The table is the one piece of process-wide mutable state in the
 * library: it stands for the dynamic loader's own state (a library is
 * loaded once per process, whoever asks), written once, on the first
 * tp_gitlib_load(), and only read afterwards.  Like libgit2's handles,
 * it is not meant for use from several threads at once.
 */
#include "config.h"

#include "gitlib.h"

#ifndef TP_LIBGIT2_SONAME

int
tp_gitlib_load(struct tp_error *err)
{
	(void)err;
	return 0;
}

#else /* TP_LIBGIT2_SONAME */

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include <git2.h>

/*
 * Every libgit2 function the library calls: F(return type, name,
 * parameters, arguments), V(name, parameters, arguments) for those that
 * return nothing.  A function history.c starts to use goes here too (the
 * link fails until it does).
 */
#define GIT_FUNCS(F, V) \
	V(git_blob_free, (git_blob *blob), (blob)) \
	F(int, git_blob_lookup, (git_blob **blob, git_repository *repo, const \
		git_oid *id), (blob, repo, id)) \
	F(const void *, git_blob_rawcontent, (const git_blob *blob), (blob)) \
	F(git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob)) \
	V(git_buf_dispose, (git_buf *buffer), (buffer)) \
	V(git_commit_free, (git_commit *commit), (commit)) \
	F(const git_oid *, git_commit_id, (const git_commit *commit), \
		(commit)) \
	F(int, git_commit_lookup, (git_commit **commit, git_repository *repo, \
		const git_oid *id), (commit, repo, id)) \
	F(const char *, git_commit_message_raw, (const git_commit *commit), \
		(commit)) \
	F(int, git_commit_parent, (git_commit **out, const git_commit *commit, \
		unsigned int n), (out, commit, n)) \
	F(unsigned int, git_commit_parentcount, (const git_commit *commit), \
		(commit)) \
	F(git_time_t, git_commit_time, (const git_commit *commit), (commit)) \
	F(int, git_commit_tree, (git_tree **tree_out, const git_commit \
		*commit), (tree_out, commit)) \
	V(git_config_free, (git_config *cfg), (cfg)) \
	F(int, git_config_get_bool, (int *out, const git_config *cfg, const \
		char *name), (out, cfg, name)) \
	F(int, git_config_get_string, (const char **out, const git_config \
		*cfg, const char *name), (out, cfg, name)) \
	F(int, git_config_get_string_buf, (git_buf *out, const git_config \
		*cfg, const char *name), (out, cfg, name)) \
	F(int, git_config_open_ondisk, (git_config **out, const char *path), \
		(out, path)) \
	F(const git_error *, git_error_last, (void), ()) \
	F(int, git_libgit2_init, (void), ()) \
	F(int, git_libgit2_shutdown, (void), ()) \
	F(int, git_message_prettify, (git_buf *out, const char *message, int \
		strip_comments, char comment_char), (out, message, strip_comments, \
		comment_char)) \
	V(git_object_free, (git_object *object), (object)) \
	F(const git_oid *, git_object_id, (const git_object *obj), (obj)) \
	F(int, git_object_peel, (git_object **peeled, const git_object \
		*object, git_object_t target_type), (peeled, object, target_type)) \
	F(git_object_t, git_object_type, (const git_object *obj), (obj)) \
	V(git_odb_free, (git_odb *db), (db)) \
	F(const void *, git_odb_object_data, (git_odb_object *object), \
		(object)) \
	V(git_odb_object_free, (git_odb_object *object), (object)) \
	F(size_t, git_odb_object_size, (git_odb_object *object), (object)) \
	F(git_object_t, git_odb_object_type, (git_odb_object *object), \
		(object)) \
	F(int, git_odb_read, (git_odb_object **out, git_odb *db, const git_oid \
		*id), (out, db, id)) \
	F(int, git_odb_read_header, (size_t *len_out, git_object_t *type_out, \
		git_odb *db, const git_oid *id), (len_out, type_out, db, id)) \
	F(int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b)) \
	V(git_reference_free, (git_reference *ref), (ref)) \
	V(git_reference_iterator_free, (git_reference_iterator *iter), (iter)) \
	F(int, git_reference_iterator_glob_new, (git_reference_iterator **out, \
		git_repository *repo, const char *glob), (out, repo, glob)) \
	F(int, git_reference_lookup, (git_reference **out, git_repository \
		*repo, const char *name), (out, repo, name)) \
	F(const char *, git_reference_name, (const git_reference *ref), (ref)) \
	F(int, git_reference_name_is_valid, (int *valid, const char *refname), \
		(valid, refname)) \
	F(int, git_reference_name_to_id, (git_oid *out, git_repository *repo, \
		const char *name), (out, repo, name)) \
	F(int, git_reference_next, (git_reference **out, \
		git_reference_iterator *iter), (out, iter)) \
	F(int, git_reference_peel, (git_object **out, const git_reference \
		*ref, git_object_t type), (out, ref, type)) \
	F(int, git_reference_resolve, (git_reference **out, const \
		git_reference *ref), (out, ref)) \
	F(const char *, git_reference_symbolic_target, (const git_reference \
		*ref), (ref)) \
	F(const git_oid *, git_reference_target, (const git_reference *ref), \
		(ref)) \
	F(git_reference_t, git_reference_type, (const git_reference *ref), \
		(ref)) \
	F(const char *, git_repository_commondir, (const git_repository \
		*repo), (repo)) \
	F(int, git_repository_config_snapshot, (git_config **out, \
		git_repository *repo), (out, repo)) \
	F(int, git_repository_discover, (git_buf *out, const char *start_path, \
		int across_fs, const char *ceiling_dirs), (out, start_path, across_fs, \
		ceiling_dirs)) \
	V(git_repository_free, (git_repository *repo), (repo)) \
	F(int, git_repository_head, (git_reference **out, git_repository \
		*repo), (out, repo)) \
	F(int, git_repository_head_detached, (git_repository *repo), (repo)) \
	F(int, git_repository_head_unborn, (git_repository *repo), (repo)) \
	F(int, git_repository_odb, (git_odb **out, git_repository *repo), \
		(out, repo)) \
	F(int, git_repository_open_ext, (git_repository **out, const char \
		*path, unsigned int flags, const char *ceiling_dirs), (out, path, \
		flags, ceiling_dirs)) \
	F(const char *, git_repository_path, (const git_repository *repo), \
		(repo)) \
	F(const char *, git_repository_workdir, (const git_repository *repo), \
		(repo)) \
	F(int, git_revparse_single, (git_object **out, git_repository *repo, \
		const char *spec), (out, repo, spec)) \
	V(git_signature_free, (git_signature *sig), (sig)) \
	F(int, git_signature_now, (git_signature **out, const char *name, \
		const char *email), (out, name, email)) \
	F(int, git_tag_create, (git_oid *oid, git_repository *repo, const char \
		*tag_name, const git_object *target, const git_signature *tagger, \
		const char *message, int force), (oid, repo, tag_name, target, tagger, \
		message, force)) \
	F(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree \
		*root, const char *path), (out, root, path)) \
	F(git_filemode_t, git_tree_entry_filemode, (const git_tree_entry \
		*entry), (entry)) \
	V(git_tree_entry_free, (git_tree_entry *entry), (entry)) \
	F(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), \
		(entry)) \
	F(git_object_t, git_tree_entry_type, (const git_tree_entry *entry), \
		(entry)) \
	F(size_t, git_tree_entrycount, (const git_tree *tree), (tree)) \
	V(git_tree_free, (git_tree *tree), (tree)) \
	F(const git_oid *, git_tree_id, (const git_tree *tree), (tree))

struct gitlib {
	void *handle;
#define F(ret, name, params, args) ret (*name) params;
#define V(name, params, args) void (*name) params;
	GIT_FUNCS(F, V)
#undef F
#undef V
};

static struct gitlib lib;

int
tp_gitlib_load(struct tp_error *err)
{
	struct gitlib l;
	const char *missing = NULL;
	void *sym;

	if (lib.handle != NULL)
		return 0;
	memset(&l, 0, sizeof(l));
	if ((l.handle = dlopen(TP_LIBGIT2_SONAME, RTLD_LAZY | RTLD_LOCAL)) ==
	    NULL) {
		tp_error_set(err, TP_EGIT, "cannot load libgit2: %s",
			     dlerror());
		tp_error_hint(err, "install the libgit2 this tagpolicy was "
			      "built with (%s)", TP_LIBGIT2_SONAME);
		return TP_EGIT;
	}
	/*
	 * dlsym() returns an object pointer; POSIX guarantees it converts
	 * to a function pointer, which memcpy() does without a cast that
	 * ISO C would warn about.
	 */
#define F(ret, name, params, args)                                       \
	if ((sym = dlsym(l.handle, #name)) == NULL && missing == NULL)   \
		missing = #name;                                         \
	memcpy(&l.name, &sym, sizeof(sym));
#define V(name, params, args) F(void, name, params, args)
	GIT_FUNCS(F, V)
#undef F
#undef V
	if (missing != NULL) {
		tp_error_set(err, TP_EGIT, "cannot load libgit2: '%s' has no "
			     "function '%s'", TP_LIBGIT2_SONAME, missing);
		dlclose(l.handle);
		return TP_EGIT;
	}
	lib = l;
	return 0;
}

/* the stubs */
#define F(ret, name, params, args)                                       \
	ret name params                                                  \
	{                                                                \
		return lib.name args;                                    \
	}
#define V(name, params, args)                                            \
	void name params                                                 \
	{                                                                \
		lib.name args;                                           \
	}
GIT_FUNCS(F, V)
#undef F
#undef V

#endif /* TP_LIBGIT2_SONAME */
