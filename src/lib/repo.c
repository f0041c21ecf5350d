/*
 * repo.c: finding a repository and reading its refs without libgit2.
 *
 * The discovery follows libgit2 1.5's find_repo() step for step (it is
 * what opened every repository before this file existed): `start` made
 * absolute with realpath(), then at each level first "<dir>/.git", then
 * "<dir>" itself; the longest GIT_CEILING_DIRECTORIES entry that is a
 * prefix of the first parent bounds the search; the device of the first
 * thing found bounds it too.  Every case but the plain one is declined
 * rather than imitated.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "refname.h"
#include "repo.h"

/* symbolic refs followed before giving up, as git's SYMREF_MAXDEPTH */
#define SYMREF_MAX 5

/* a ref file larger than this is not a ref */
#define REF_FILE_MAX 4096

/* packed-refs larger than this are left to libgit2's error */
#define PACKED_MAX ((size_t)1 << 30)

struct tp_repo {
	char *gitdir;  /* ".../.git/" */
	char *workdir; /* ".../" */
	struct tp_odb *odb;
};

enum found { F_NEXT, F_FOUND, F_DECLINE };

static int
oom(struct tp_error *err)
{
	return tp_error_set(err, TP_ENOMEM, "out of memory");
}

static int
env_set(const char *name)
{
	/* libgit2 and git take "" for a value too (and fail on it) */
	return getenv(name) != NULL;
}

/* 1 when `dir`/`name` is a regular file (want_dir 0) or a folder (1). */
static int
has(const char *dir, const char *name, int want_dir)
{
	struct tp_buf p = TP_BUF_INIT;
	struct stat st;
	int yes = 0;

	if (tp_buf_printf(&p, "%s/%s", dir, name) == 0 &&
	    stat(p.ptr, &st) == 0)
		yes = want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
	tp_buf_release(&p);
	return yes;
}

/*
 * libgit2's is_valid_repository_path(): 1 for a git folder, 0 for any
 * other folder, -1 for one with a `commondir` file (a linked worktree's
 * git folder), which this reader leaves to libgit2.
 */
static int
git_folder(const char *dir)
{
	if (has(dir, "commondir", 0))
		return -1;
	return has(dir, "HEAD", 0) && has(dir, "objects", 1) &&
	       has(dir, "refs", 1);
}

/*
 * libgit2's find_ceiling_dir_offset(): the length of the longest
 * GIT_CEILING_DIRECTORIES entry (absolute, resolved with realpath()) that
 * is `path` or a folder above it; 1 (the root) when none is.
 */
static size_t
ceiling_len(const char *path)
{
	const char *list = getenv("GIT_CEILING_DIRECTORIES");
	const char *p, *sep;
	char one[PATH_MAX], real[PATH_MAX];
	size_t len, best = 1;

	for (p = list; p != NULL && *p != '\0'; p = *sep ? sep + 1 : sep) {
		for (sep = p; *sep != '\0' && *sep != ':'; sep++)
			;
		len = (size_t)(sep - p);
		if (len == 0 || len >= sizeof(one) || p[0] != '/')
			continue;
		memcpy(one, p, len);
		one[len] = '\0';
		if (realpath(one, real) == NULL)
			continue;
		len = strlen(real);
		if (len > 0 && real[len - 1] == '/')
			real[--len] = '\0';
		if (strncmp(path, real, len) == 0 &&
		    (path[len] == '/' || path[len] == '\0') && len > best)
			best = len;
	}
	return best;
}

/*
 * What the config of the git folder `gitdir` says about reading it here:
 * 0 when nothing in it changes how the repository is laid out, -1 when
 * something does (extensions, a moved or absent working tree, includes,
 * a format version other than 0 or 1) or it cannot be read.
 */
static int
plain_config(const char *gitdir)
{
	struct tp_buf path = TP_BUF_INIT;
	char line[1024], section[64], key[64], *p, *q, *v;
	FILE *fp;
	size_t n;
	int ok = 0, first;

	section[0] = '\0';
	if (tp_buf_printf(&path, "%sconfig", gitdir) < 0)
		return -1;
	fp = fopen(path.ptr, "r");
	tp_buf_release(&path);
	if (fp == NULL)
		return errno == ENOENT ? 0 : -1;
	for (first = 1; ok == 0 && fgets(line, sizeof(line), fp) != NULL;
	     first = 0) {
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			ok = -1; /* a line this long is not worth guessing */
			break;
		}
		p = line;
		/* git and libgit2 skip a UTF-8 byte order mark */
		if (first && strncmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		for (; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '[') {
			for (p++, n = 0; *p != ']' && *p != ' ' &&
			     *p != '\t' && *p != '"' && *p != '\0' &&
			     n + 1 < sizeof(section); p++)
				section[n++] = (char)tolower((unsigned char)*p);
			section[n] = '\0';
			if (strcmp(section, "extensions") == 0 ||
			    strcmp(section, "include") == 0 ||
			    strcmp(section, "includeif") == 0)
				ok = -1;
			/* "[core] bare = true" on one line */
			if ((p = strchr(p, ']')) == NULL)
				continue;
			for (p++; *p == ' ' || *p == '\t'; p++)
				;
		}
		if (!isalpha((unsigned char)*p) || strcmp(section, "core") != 0)
			continue;
		for (n = 0; isalnum((unsigned char)*p) || *p == '-'; p++)
			if (n + 1 < sizeof(key))
				key[n++] = (char)tolower((unsigned char)*p);
		key[n] = '\0';
		for (; *p == ' ' || *p == '\t'; p++)
			;
		v = *p == '=' ? p + 1 : p;
		for (; *v == ' ' || *v == '\t'; v++)
			;
		for (q = v; *q != '\0' && *q != '\n' && *q != '\r' &&
		     *q != '#' && *q != ';'; q++)
			*q = (char)tolower((unsigned char)*q);
		while (q > v && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		*q = '\0';
		if (strcmp(key, "worktree") == 0)
			ok = -1;
		else if (strcmp(key, "bare") == 0 &&
			 strcmp(v, "false") != 0 && strcmp(v, "no") != 0 &&
			 strcmp(v, "off") != 0 && strcmp(v, "0") != 0)
			ok = -1;
		else if (strcmp(key, "repositoryformatversion") == 0 &&
			 strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			ok = -1;
	}
	if (ferror(fp))
		ok = -1;
	fclose(fp);
	return ok;
}

/*
 * One level of the search: "<dir>/.git", then "<dir>".  `dev` is the
 * device of the first thing met (0: none yet).
 */
static enum found
visit(struct tp_buf *dotgit, const char *dir, dev_t *dev)
{
	struct stat st;
	int v;

	tp_buf_clear(dotgit);
	if (tp_buf_printf(dotgit, "%s%s.git", dir,
			  strcmp(dir, "/") == 0 ? "" : "/") < 0)
		return F_DECLINE;
	if (stat(dotgit->ptr, &st) == 0) {
		if (*dev == 0)
			*dev = st.st_dev;
		else if (st.st_dev != *dev)
			return F_DECLINE;
		if (S_ISREG(st.st_mode))
			return F_DECLINE; /* a gitfile: worktree, submodule */
		if (S_ISDIR(st.st_mode)) {
			v = git_folder(dotgit->ptr);
			if (v == 1)
				return F_FOUND;
			if (v < 0)
				return F_DECLINE;
		}
	}
	if (stat(dir, &st) == 0) {
		if (*dev == 0)
			*dev = st.st_dev;
		else if (st.st_dev != *dev)
			return F_DECLINE;
		/* a bare repository, or a start inside a git folder */
		if (S_ISDIR(st.st_mode) && git_folder(dir) != 0)
			return F_DECLINE;
	}
	return F_NEXT;
}

/* Cuts `path` to its parent folder ("/a/b" to "/a", "/a" to "/"). */
static void
parent(struct tp_buf *path)
{
	char *slash = strrchr(path->ptr, '/');

	if (slash == NULL)
		return;
	tp_buf_truncate(path, slash == path->ptr ? 1 : (size_t)(slash -
								 path->ptr));
}

/* 1 when the git folder and the working tree belong to this user. */
static int
owned(const char *gitdir, const char *workdir)
{
	struct stat a, b;

	return stat(gitdir, &a) == 0 && stat(workdir, &b) == 0 &&
	       a.st_uid == geteuid() && b.st_uid == geteuid();
}

int
tp_repo_open(struct tp_repo **out, const char *start, unsigned flags,
	     struct tp_error *err)
{
	static const char *const env[] = {
		"GIT_DIR", "GIT_OBJECT_DIRECTORY",
		"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR",
		"GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_NAMESPACE",
		"GIT_DISCOVERY_ACROSS_FILESYSTEM"
	};
	struct tp_buf path = TP_BUF_INIT, dotgit = TP_BUF_INIT;
	struct tp_repo *r = NULL;
	struct tp_error oerr;
	char *abs = NULL;
	size_t i, ceil = 0;
	dev_t dev = 0;
	enum found f = F_NEXT;
	int rc = 0;

	*out = NULL;
	if (flags & TP_REPO_OPEN_ENV)
		for (i = 0; i < sizeof(env) / sizeof(env[0]); i++)
			if (env_set(env[i]))
				return 0;
	if ((abs = realpath(start, NULL)) == NULL)
		return errno == ENOMEM ? oom(err) : 0;
	if (tp_buf_puts(&path, abs) < 0)
		goto nomem;
	for (i = 0;; i++) {
		f = visit(&dotgit, path.ptr, &dev);
		if (f != F_NEXT)
			break;
		parent(&path);
		if (i == 0)
			ceil = ceiling_len(path.ptr);
		if (path.len <= ceil)
			break;
	}
	if (f != F_FOUND)
		goto done;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto nomem;
	tp_buf_clear(&dotgit);
	if (tp_buf_printf(&dotgit, "%s%s.git/", path.ptr,
			  strcmp(path.ptr, "/") == 0 ? "" : "/") < 0 ||
	    (r->gitdir = strdup(dotgit.ptr)) == NULL)
		goto nomem;
	tp_buf_clear(&dotgit);
	if (tp_buf_printf(&dotgit, "%s%s", path.ptr,
			  strcmp(path.ptr, "/") == 0 ? "" : "/") < 0 ||
	    (r->workdir = strdup(dotgit.ptr)) == NULL)
		goto nomem;
	if (!owned(r->gitdir, r->workdir) || plain_config(r->gitdir) < 0)
		goto done;
	tp_buf_clear(&dotgit);
	if (tp_buf_printf(&dotgit, "%sobjects", r->gitdir) < 0)
		goto nomem;
	tp_error_init(&oerr);
	if (tp_odb_open(&r->odb, dotgit.ptr, &oerr) < 0) {
		if (oerr.code == TP_ENOMEM)
			goto nomem;
		goto done; /* alternates, an odd pack: libgit2 reads it */
	}
	*out = r;
	r = NULL;
	rc = 1;
	goto done;
nomem:
	rc = oom(err);
done:
	tp_repo_free(r);
	tp_buf_release(&dotgit);
	tp_buf_release(&path);
	free(abs);
	return rc;
}

void
tp_repo_free(struct tp_repo *r)
{
	if (r == NULL)
		return;
	tp_odb_free(r->odb);
	free(r->gitdir);
	free(r->workdir);
	free(r);
}

const char *
tp_repo_gitdir(const struct tp_repo *r)
{
	return r->gitdir;
}

const char *
tp_repo_workdir(const struct tp_repo *r)
{
	return r->workdir;
}

int
tp_repo_read(struct tp_repo *r, const unsigned char id[20],
	     enum tp_odb_type *type, unsigned char **data, size_t *size,
	     struct tp_error *err)
{
	return tp_odb_read(r->odb, id, type, data, size, err);
}

/* ------------------------------------------------------------------ */
/* refs                                                                */
/* ------------------------------------------------------------------ */

/*
 * Reads the whole file `path` into `out` (NUL-terminated).  1 when there
 * is no such file (or it is a folder: a ref "refs/tags/a" beside the
 * folder of "refs/tags/a/b" cannot exist as a file), 0 when read.
 */
static int
slurp(struct tp_buf *out, const char *path, size_t max, struct tp_error *err)
{
	struct tp_buf data;
	int fd, rc, error = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR)
			return 1;
		return tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				    path, strerror(errno));
	}
	tp_buf_init(&data, max);
	rc = tp_buf_read_fd(&data, fd, 0);
	if (rc == TP_EIO && errno == EISDIR)
		error = 1;
	else if (rc == TP_EIO)
		error = tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				     path, strerror(errno));
	else if (rc < 0)
		error = tp_error_set(err, TP_EGIT, "'%s' is too large", path);
	else if (tp_buf_put(out, data.ptr, data.len) < 0)
		error = oom(err);
	tp_buf_release(&data);
	close(fd);
	return error;
}

/* 40 hex digits at `p` into `id`; 0, or -1 when they are not. */
static int
hex_id(unsigned char id[20], const char *p, size_t len)
{
	return len >= 40 ? tp_odb_id_from_hex(id, p, 40) : -1;
}

/*
 * The id of `name` in packed-refs: 0, 1 when it is not there.  Peeled
 * lines ("^...") and comments are skipped.
 */
static int
packed_lookup(unsigned char id[20], struct tp_repo *r, const char *name,
	      struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT, data = TP_BUF_INIT;
	const char *p, *end, *nl;
	size_t n = strlen(name);
	int rc;

	if (tp_buf_printf(&path, "%spacked-refs", r->gitdir) < 0) {
		rc = oom(err);
		goto done;
	}
	if ((rc = slurp(&data, path.ptr, PACKED_MAX, err)) != 0)
		goto done;
	rc = 1;
	for (p = data.ptr, end = p + data.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p >= 41 && p[40] == ' ' &&
		    (size_t)(nl - p - 41) >= n &&
		    memcmp(p + 41, name, n) == 0 &&
		    (p + 41 + n == nl || p[41 + n] == '\r') &&
		    hex_id(id, p, 40) == 0) {
			rc = 0;
			break;
		}
	}
done:
	tp_buf_release(&data);
	tp_buf_release(&path);
	return rc;
}

/*
 * One step: reads the ref `name`.  Sets id and returns 0, or sets *next
 * (malloc'd) to the target of a symbolic ref and returns 2, or returns 1
 * when there is no such ref.
 */
static int
ref_step(unsigned char id[20], char **next, struct tp_repo *r,
	 const char *name, struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT, data = TP_BUF_INIT;
	char *p, *q;
	int rc;

	*next = NULL;
	if (strcmp(name, "HEAD") != 0 &&
	    (strncmp(name, "refs/", 5) != 0 ||
	     !tp_refname_check(name, strlen(name), 0, NULL, 0))) {
		/* a pseudo-ref, or nothing git would accept: libgit2's turn */
		return tp_error_set(err, TP_EGIT, "cannot resolve ref '%s' "
				    "without libgit2", name);
	}
	if (tp_buf_printf(&path, "%s%s", r->gitdir, name) < 0) {
		rc = oom(err);
		goto done;
	}
	if ((rc = slurp(&data, path.ptr, REF_FILE_MAX, err)) < 0)
		goto done;
	if (rc == 1) {
		rc = strcmp(name, "HEAD") == 0 ? 1
					       : packed_lookup(id, r, name, err);
		goto done;
	}
	p = data.ptr != NULL ? data.ptr : "";
	if (strncmp(p, "ref:", 4) == 0) {
		for (p += 4; *p == ' ' || *p == '\t'; p++)
			;
		for (q = p + strlen(p); q > p && isspace((unsigned char)q[-1]);
		     q--)
			;
		*q = '\0';
		if ((*next = strdup(p)) == NULL) {
			rc = oom(err);
			goto done;
		}
		rc = 2;
		goto done;
	}
	if (hex_id(id, p, data.len) == 0 &&
	    (p[40] == '\0' || isspace((unsigned char)p[40]))) {
		rc = 0;
		goto done;
	}
	rc = tp_error_set(err, TP_EGIT, "ref '%s' is malformed ('%s')", name,
			  path.ptr);
done:
	tp_buf_release(&data);
	tp_buf_release(&path);
	return rc;
}

int
tp_repo_ref(unsigned char id[20], char **last, struct tp_repo *r,
	    const char *name, struct tp_error *err)
{
	char *cur = NULL, *next = NULL;
	int depth, rc;

	if (last != NULL)
		*last = NULL;
	if ((cur = strdup(name)) == NULL)
		return oom(err);
	for (depth = 0;; depth++) {
		rc = ref_step(id, &next, r, cur, err);
		if (rc < 0 || rc == 0)
			break;
		if (rc == 1) {
			rc = tp_error_set(err, TP_ENOTFOUND, "ref '%s' does "
					  "not exist", cur);
			if (last != NULL) {
				*last = cur;
				cur = NULL;
			}
			break;
		}
		if (depth == SYMREF_MAX) {
			rc = tp_error_set(err, TP_EGIT, "ref '%s': too many "
					  "levels of symbolic refs", name);
			break;
		}
		free(cur);
		cur = next;
		next = NULL;
	}
	free(next);
	free(cur);
	return rc;
}

int
tp_repo_symref(char **out, struct tp_repo *r, const char *name,
	       struct tp_error *err)
{
	unsigned char id[20];
	int rc;

	*out = NULL;
	rc = ref_step(id, out, r, name, err);
	if (rc == 1)
		return tp_error_set(err, TP_ENOTFOUND, "ref '%s' does not "
				    "exist", name);
	return rc < 0 ? rc : 0;
}
