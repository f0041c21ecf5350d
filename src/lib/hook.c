/*
 * hook.c: the checks of git's hooks at push time (see hook.h), the server
 * hooks' policy lookup, and installing the pre-push hook.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hook.h"
#include "lint.h"
#include "template.h"

/* At most this many tags to test one by one for `monotonic`. */
#define CAND_MAX 32

/* Hook files larger than this are someone else's, whatever they say. */
#define HOOK_FILE_MAX ((size_t)1 << 20)

static int
oom(struct tp_error *err)
{
	return tp_error_set(err, TP_ENOMEM, "out of memory");
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* ------------------------------------------------------------------ */
/* reading small files                                                 */
/* ------------------------------------------------------------------ */

/*
 * Appends the content of `path` (at most `max` bytes) to `out`.
 * TP_ENOTFOUND when it does not exist, TP_EIO otherwise.
 */
static int
read_file(struct tp_buf *out, const char *path, size_t max,
	  struct tp_error *err)
{
	char chunk[8192];
	ssize_t got;
	int fd, error = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return tp_error_set(
			err, errno == ENOENT ? TP_ENOTFOUND : TP_EIO,
			"cannot read '%s': %s", path, strerror(errno));
	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error = tp_error_set(err, TP_EIO,
					     "cannot read '%s': %s", path,
					     strerror(errno));
			break;
		}
		if (got == 0)
			break;
		if (out->len + (size_t)got > max) {
			error = tp_error_set(err, TP_EIO,
					     "'%s' is larger than "
					     "%zu bytes",
					     path, max);
			break;
		}
		if (tp_buf_put(out, chunk, (size_t)got) < 0) {
			error = oom(err);
			break;
		}
	}
	close(fd);
	return error;
}

/* ------------------------------------------------------------------ */
/* the report                                                          */
/* ------------------------------------------------------------------ */

/* One pushed ref, while checking. */
struct item {
	const struct tp_push_update *u;
	struct tp_hook_tag *tag; /* NULL: not a tag update */
	struct tp_history_object obj; /* the pushed object (not deletes) */
	const struct tp_tagres *res; /* its lint result */
};

/* The versions a kind's tags are ordered by (`monotonic`). */
struct vkey {
	int semver; /* else a calver date and counter */
	struct tp_version v; /* semver: borrows the name */
	int64_t date;
	const char *cnt; /* the counter's digits (borrowed), or "" */
	size_t clen;
};

/* A tag that may make a pushed release not monotonic. */
struct cand {
	char *name; /* owned */
	struct vkey key; /* borrows `name` */
	const char *commit; /* a pushed tag's commit, else NULL */
};

struct check {
	const struct tp_policy *p;
	struct tp_history *h;
	const struct tp_push_list *l;
	struct tp_hook_report *r;
	struct tp_error *err;
	struct item *items;
	size_t nitems;
	pcre2_match_data *md; /* big enough for every kind of scope git */

	/* the `monotonic` search for one pushed tag */
	const struct item *mono;
	const struct tp_kind *kind;
	size_t kind_pos; /* its place in scope git */
	const struct tp_date_fmt *datef; /* calver kinds: the date field's */
	const char *date_group;
	struct vkey key; /* the pushed tag's */
	size_t fast; /* "v{semver}...": the literal's length, else 0 */
	struct cand *cands; /* highest version first */
	size_t ncands, capcands;
	struct cand **byname; /* the repository's ones by name */
	size_t nbyname;
};

static int add_finding(struct check *c, struct item *it, const char *rule,
		       enum tp_level level, const char *hint, const char *fmt,
		       ...) TP_PRINTF(6, 7);

/* Adds a finding of `it`'s tag at `level` (nothing at level off). */
static int
add_finding(struct check *c, struct item *it, const char *rule,
	    enum tp_level level, const char *hint, const char *fmt, ...)
{
	struct tp_hook_report *r = c->r;
	struct tp_hook_finding *f;
	struct tp_buf msg = TP_BUF_INIT;
	va_list ap;
	void *p;
	int rc;

	if (level == TP_LEVEL_OFF)
		return 0;
	p = realloc(r->findings, (r->nfindings + 1) * sizeof(*r->findings));
	if (p == NULL)
		return oom(c->err);
	r->findings = p;
	va_start(ap, fmt);
	rc = tp_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f = &r->findings[r->nfindings];
	memset(f, 0, sizeof(*f));
	f->update = it->tag->update;
	f->tag = it->u->tag_name;
	f->level = level;
	f->rule = xstrdup(rule);
	f->message = tp_buf_detach(&msg, NULL);
	f->hint = hint != NULL ? xstrdup(hint) : NULL;
	r->nfindings++;
	if (rc < 0 || f->rule == NULL || f->message == NULL ||
	    (hint != NULL && f->hint == NULL)) {
		tp_buf_release(&msg);
		return oom(c->err);
	}
	if (level == TP_LEVEL_ERROR) {
		it->tag->errors++;
		r->errors++;
	} else {
		it->tag->warnings++;
		r->warnings++;
	}
	return 0;
}

/* Errors before warnings among the findings from `start` on (stable). */
static void
order_findings(struct tp_hook_report *r, size_t start)
{
	struct tp_hook_finding f;
	size_t i, j;

	for (i = start + 1; i < r->nfindings; i++) {
		f = r->findings[i];
		for (j = i; j > start && r->findings[j - 1].level < f.level;
		     j--)
			r->findings[j] = r->findings[j - 1];
		r->findings[j] = f;
	}
}

void
tp_hook_report_free(struct tp_hook_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].rule);
		free(r->findings[i].message);
		free(r->findings[i].hint);
	}
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i].fields);
	free(r->findings);
	free(r->tags);
	free(r);
}

size_t
tp_hook_tag_count(const struct tp_push_list *l)
{
	size_t i, n = 0;

	for (i = 0; l != NULL && i < l->nr; i++)
		n += l->updates[i].kind == TP_PUSH_TAG;
	return n;
}

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

static enum tp_level
git_level(const struct tp_policy *p, const char *rule)
{
	const struct tp_rule_conf *conf = tp_policy_rule(p, rule);

	return conf != NULL ? tp_lint_level(conf, TP_SCOPE_GIT) : TP_LEVEL_OFF;
}

static int
is_release_kind(const struct tp_policy *p, const struct tp_kind *k)
{
	return k != NULL && (k == p->release_kind || k->component != NULL);
}

/* The patterns of a list rule joined by ", ". */
static int
join_list(struct tp_buf *out, const struct tp_rule_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nlist; i++)
		if (tp_buf_printf(out, "%s%s", i ? ", " : "", conf->list[i]) <
		    0)
			return TP_ENOMEM;
	return 0;
}

/* `s` for a shell command line: as it is when safe, else single-quoted. */
static int
put_sh(struct tp_buf *out, const char *s)
{
	int rc = 0;

	if (*s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-+/:@%=,") == strlen(s))
		return tp_buf_puts(out, s);
	rc = tp_buf_putc(out, '\'');
	for (; rc == 0 && *s != '\0'; s++)
		rc = *s == '\'' ? tp_buf_puts(out, "'\\''")
				: tp_buf_putc(out, *s);
	return rc == 0 ? tp_buf_putc(out, '\'') : rc;
}

/* ------------------------------------------------------------------ */
/* immutable                                                           */
/* ------------------------------------------------------------------ */

static int
protected_kind(const struct tp_policy *p, const struct tp_kind *k)
{
	const struct tp_rule_conf *conf = tp_policy_rule(p, "immutable");
	size_t i;

	if (conf == NULL || k == NULL)
		return 0;
	/* the loader fills in the default: the release kind and components */
	for (i = 0; i < conf->nlist; i++)
		if (strcmp(conf->list[i], k->name) == 0)
			return 1;
	return 0;
}

static int
check_immutable(struct check *c, struct item *it)
{
	const struct tp_push_update *u = it->u;
	const struct tp_kind *k = it->res->kind;
	enum tp_level lvl = git_level(c->p, "immutable");
	struct tp_history_object old;
	struct tp_error e;
	char hint[256];

	if (lvl == TP_LEVEL_OFF || !protected_kind(c->p, k))
		return 0;
	if (u->action == TP_PUSH_DELETE) {
		snprintf(hint, sizeof(hint),
			 "keep it: a tag of kind '%s' stays once it is "
			 "pushed; retire a release by publishing a newer one",
			 k->name);
		return add_finding(c, it, "immutable", lvl, hint,
				   "would be deleted; tags of kind '%s' are "
				   "never moved or deleted",
				   k->name);
	}
	if (u->action != TP_PUSH_UPDATE ||
	    strcmp(u->remote_oid, u->local_oid) == 0)
		return 0;
	snprintf(hint, sizeof(hint),
		 "leave '%s' where it is and release a new version instead "
		 "(tagpolicy next prints it)",
		 u->tag_name);
	tp_error_init(&e);
	if (tp_history_resolve(&old, c->h, u->remote_oid, &e) == 0 &&
	    strcmp(old.commit, it->obj.commit) == 0)
		return add_finding(c, it, "immutable", lvl, hint,
				   "would be replaced by another tag object "
				   "on the same commit %.12s; tags of kind "
				   "'%s' are never moved or deleted",
				   it->obj.commit, k->name);
	return add_finding(c, it, "immutable", lvl, hint,
			   "would move from %.12s to %.12s; tags of kind '%s' "
			   "are never moved or deleted",
			   e.code == 0 ? old.commit : u->remote_oid,
			   it->obj.commit, k->name);
}

/* ------------------------------------------------------------------ */
/* the lint rules                                                      */
/* ------------------------------------------------------------------ */

/* "'v{semver}' (release), ...": the kinds of scope git, at most five. */
static int
kinds_text(struct tp_buf *out, const struct tp_policy *p)
{
	size_t i, n = p->nscope[TP_SCOPE_GIT];

	for (i = 0; i < n && i < 5; i++)
		if (tp_buf_printf(out, "%s'%s' (%s)", i ? ", " : "",
				  p->scope[TP_SCOPE_GIT][i]->template,
				  p->scope[TP_SCOPE_GIT][i]->name) < 0)
			return TP_ENOMEM;
	if (n > 5 && tp_buf_printf(out, " and %zu more", n - 5) < 0)
		return TP_ENOMEM;
	if (n == 0 && tp_buf_puts(out, "none: scope git allows no tag") < 0)
		return TP_ENOMEM;
	return 0;
}

/* The tag with every hex field replaced by the commit's first digits. */
static int
sha_repaired(struct tp_buf *out, const struct tp_tagres *t)
{
	const struct tp_fieldval *f;
	size_t i, at = 0, clen = strlen(t->commit);

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (f->field->type != TP_FIELD_HEX)
			continue;
		if (tp_buf_put(out, t->tag + at, f->off - at) < 0 ||
		    tp_buf_put(out, t->commit, f->len < clen ? f->len : clen) <
			    0)
			return TP_ENOMEM;
		at = f->off + f->len;
	}
	return tp_buf_put(out, t->tag + at, t->tag_len - at);
}

/* What would pass, for a finding of the lint engine. */
static int
lint_hint(struct tp_buf *out, const struct check *c, const struct item *it,
	  const struct tp_diag *d)
{
	const struct tp_tagres *t = it->res;

	if (d->suggestion != NULL)
		return tp_buf_printf(out, "tag it as '%s'", d->suggestion);
	if (strcmp(d->rule, "kind") == 0 && t->kind == NULL) {
		if (tp_buf_puts(out, "tags pushed here take one of the "
				     "forms ") < 0)
			return TP_ENOMEM;
		return kinds_text(out, c->p);
	}
	if (strcmp(d->rule, "annotated") == 0) {
		if (tp_buf_puts(out, "annotate it: git tag -f -a -m ") < 0 ||
		    put_sh(out, t->tag) < 0 || tp_buf_putc(out, ' ') < 0 ||
		    put_sh(out, t->tag) < 0 ||
		    tp_buf_printf(out, " %.12s", it->obj.commit) < 0)
			return TP_ENOMEM;
		return 0;
	}
	if (strcmp(d->rule, "sha-commit") == 0 && t->commit != NULL) {
		if (tp_buf_printf(out, "on commit %.12s the tag is '",
				  t->commit) < 0 ||
		    sha_repaired(out, t) < 0 || tp_buf_putc(out, '\'') < 0)
			return TP_ENOMEM;
		return 0;
	}
	if (strcmp(d->rule, "promotion") == 0)
		return tp_buf_puts(out,
				   "tag the same commit for the earlier "
				   "environment first (before this push, or "
				   "in it)");
	return 0;
}

static int
check_lint(struct check *c, struct item *it)
{
	const struct tp_diag *d;
	struct tp_buf hint = TP_BUF_INIT;
	int error = 0;

	for (d = it->res->diags; d != NULL && error == 0; d = d->next) {
		tp_buf_clear(&hint);
		if (lint_hint(&hint, c, it, d) < 0) {
			error = oom(c->err);
			break;
		}
		error = add_finding(c, it, d->rule, d->level,
				    hint.len > 0 ? hint.ptr : NULL, "%s",
				    d->message);
	}
	tp_buf_release(&hint);
	return error;
}

/* The `fields` text of a tag for `hook -v`: "semver=1.4.0 env=prod". */
static int
fields_text(struct tp_hook_tag *t, const struct tp_tagres *res)
{
	struct tp_buf b = TP_BUF_INIT;
	size_t i;

	for (i = 0; i < res->nfields; i++)
		if (tp_buf_printf(&b, "%s%s=%.*s", i ? " " : "",
				  res->fields[i].field->name,
				  (int)res->fields[i].len,
				  res->tag + res->fields[i].off) < 0) {
			tp_buf_release(&b);
			return TP_ENOMEM;
		}
	t->fields = tp_buf_detach(&b, NULL);
	return t->fields != NULL ? 0 : TP_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* monotonic                                                           */
/* ------------------------------------------------------------------ */

static int
vkey_cmp(const struct vkey *a, const struct vkey *b)
{
	if (a->semver)
		return tp_version_cmp(&a->v, &b->v);
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return tp_num_cmp(a->cnt, a->clen, b->cnt, b->clen);
}

/*
 * 1 when `name` is a tag of the kind being checked (the first kind of
 * scope git it matches) with a valid version, which goes into *key; 0
 * when not.  The key borrows `name`.
 */
static int
classify(struct check *c, const char *name, size_t len, struct vkey *key)
{
	const struct tp_kind *k = c->kind;
	char why[8];
	size_t off, glen, i;

	if (k->npieces > 0 && k->pieces[0].field == NULL &&
	    (len < k->pieces[0].len ||
	     memcmp(name, k->pieces[0].text, k->pieces[0].len) != 0))
		return 0;
	memset(key, 0, sizeof(*key));
	key->semver = k->has_semver;
	key->cnt = "";
	if (tp_kind_match(k, name, len, c->md,
			  k->has_semver ? "semver" : c->date_group, &off,
			  &glen) != 1 ||
	    glen == 0)
		return 0;
	if (k->has_semver) {
		if (tp_version_parse(&key->v, name + off, glen, NULL) < 0)
			return 0;
	} else if (!tp_date_parse(&key->date, c->datef, name + off, glen, why,
				  sizeof(why))) {
		return 0;
	}
	if (!k->has_semver && k->calver_counter) {
		/* a match above read the date; this one the counter */
		if (tp_kind_match(k, name, len, c->md,
				  TP_TEMPLATE_COUNTER_GROUP, &off,
				  &glen) == 1 &&
		    glen > 0) {
			key->cnt = name + off;
			key->clen = glen;
		}
	}
	/* an earlier kind of the scope would take it */
	for (i = 0; i < c->kind_pos; i++)
		if (tp_kind_match(c->p->scope[TP_SCOPE_GIT][i], name, len,
				  c->md, NULL, NULL, NULL) == 1)
			return 0;
	return 1;
}

static int
add_cand(struct check *c, const char *name, size_t len, const char *commit)
{
	struct cand *x;
	void *p;

	if (c->ncands == c->capcands) {
		c->capcands = c->capcands ? 2 * c->capcands : 16;
		p = realloc(c->cands, c->capcands * sizeof(*c->cands));
		if (p == NULL)
			return oom(c->err);
		c->cands = p;
	}
	x = &c->cands[c->ncands];
	memset(x, 0, sizeof(*x));
	/* zeroed past the end too: see TP_HISTORY_NAME_PAD */
	if ((x->name = calloc(1, len + TP_HISTORY_NAME_PAD)) == NULL)
		return oom(c->err);
	memcpy(x->name, name, len);
	x->commit = commit;
	c->ncands++;
	/* classified again on the copy, so that the key borrows it */
	if (classify(c, x->name, len, &x->key) != 1) {
		free(x->name);
		c->ncands--;
	}
	return 0;
}

/* 1 when `name` is one of the push's tag refs. */
static int
pushed(const struct check *c, const char *name, size_t len)
{
	size_t i;
	const char *t;

	for (i = 0; i < c->nitems; i++) {
		t = c->items[i].u->tag_name;
		if (c->items[i].tag != NULL && strlen(t) == len &&
		    memcmp(t, name, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * A tag name of the repository (tp_history_foreach_tag_name()): kept when
 * it is of the kind being checked and its version is not below the
 * pushed one.  0, or negative on error.
 */
static int
visit_name(const char *name, size_t len, const char *target, void *payload)
{
	struct check *c = payload;
	const struct tp_version *v = &c->key.v;
	struct vkey key;
	size_t i, n = c->fast;

	(void)target;
	/*
	 * Pushing the next release, nearly every tag is lower: in a kind
	 * that is a literal then {semver}, a major below the pushed one says
	 * so without a match.
	 */
	if (n > 0 && len > n && memcmp(name, c->kind->pieces[0].text, n) == 0) {
		for (i = n; i < len && name[i] >= '0' && name[i] <= '9'; i++)
			;
		if (i > n && i < len && name[i] == '.' &&
		    (name[n] != '0' || i == n + 1) &&
		    tp_num_cmp(name + n, i - n, v->str + v->major_off,
			       v->major_len) < 0)
			return 0;
	}
	if (classify(c, name, len, &key) != 1 || vkey_cmp(&key, &c->key) < 0 ||
	    pushed(c, name, len))
		return 0;
	return add_cand(c, name, len, NULL);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int r = vkey_cmp(&y->key, &x->key);

	return r != 0 ? r : strcmp(x->name, y->name);
}

/* bsearch() over the candidates by name (an array of pointers) */
static int
cand_name_cmp(const void *key, const void *elem)
{
	const struct cand *const *x = elem;

	return strcmp(key, (*x)->name);
}

static int
cand_ptr_cmp(const void *a, const void *b)
{
	const struct cand *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* For the release search: only the candidates found by name count. */
static int
classify_cand(const char *name, size_t len, size_t *ver_off, size_t *ver_len,
	      void *payload)
{
	struct check *c = payload;
	struct cand *const *x;

	(void)len;
	x = bsearch(name, c->byname, c->nbyname, sizeof(*c->byname),
		    cand_name_cmp);
	if (x == NULL)
		return 0;
	*ver_off = (size_t)((*x)->key.v.str - (*x)->name);
	*ver_len = (*x)->key.v.len;
	return 1;
}

/*
 * Sets *found to the candidate of highest version that is in the history
 * of the pushed commit, or NULL.  The candidates are in version order,
 * highest first: one by one, the first reachable one is the answer; past
 * CAND_MAX tags of the repository (SemVer kinds), one release search over
 * them does it.
 */
static int
reachable_cand(struct check *c, const struct cand **found)
{
	const char *from[1] = { c->mono->obj.commit };
	struct tp_history_release *rel = NULL;
	struct tp_history_object obj;
	struct tp_buf rev = TP_BUF_INIT;
	struct tp_error e;
	struct cand *x, *const *y;
	size_t i, nscanned = 0;
	int error = 0, rc, search;

	*found = NULL;
	for (i = 0; i < c->ncands; i++)
		nscanned += c->cands[i].commit == NULL;
	search = nscanned > CAND_MAX && c->kind->has_semver;
	for (i = 0; i < c->ncands && error == 0 && *found == NULL; i++) {
		x = &c->cands[i];
		if (x->commit != NULL) {
			rc = tp_history_reachable(c->h, x->commit, from, 1,
						  c->err);
		} else if (search) {
			continue;
		} else {
			tp_buf_clear(&rev);
			tp_error_init(&e);
			if (tp_buf_printf(&rev, "refs/tags/%s", x->name) < 0) {
				error = oom(c->err);
				break;
			}
			/* a ref gone since, or a tag of a tree: not a release */
			rc = tp_history_resolve(&obj, c->h, rev.ptr, &e);
			if (rc == TP_EINVAL)
				continue;
			if (rc < 0) {
				error = tp_error_set(c->err, e.code, "%s",
						     e.msg);
				break;
			}
			rc = tp_history_reachable(c->h, obj.commit, from, 1,
						  c->err);
		}
		if (rc < 0)
			error = rc;
		else if (rc == 1)
			*found = x;
	}
	tp_buf_release(&rev);
	if (error < 0 || !search)
		return error;
	c->byname = calloc(nscanned, sizeof(*c->byname));
	if (c->byname == NULL)
		return oom(c->err);
	for (i = 0; i < c->ncands; i++)
		if (c->cands[i].commit == NULL)
			c->byname[c->nbyname++] = &c->cands[i];
	qsort(c->byname, c->nbyname, sizeof(*c->byname), cand_ptr_cmp);
	error = tp_history_find_release(&rel, c->h, c->mono->obj.commit,
					TP_FIND_PRERELEASES, classify_cand, c,
					c->err);
	if (error == 0 && rel->tag != NULL) {
		y = bsearch(rel->tag->name, c->byname, c->nbyname,
			    sizeof(*c->byname), cand_name_cmp);
		if (y != NULL && (*found == NULL ||
				  vkey_cmp(&(*y)->key, &(*found)->key) > 0))
			*found = *y;
	}
	tp_history_release_free(rel);
	return error;
}

/* "the next release is at least 'v1.3.1'", from the tag found. */
static int
mono_hint(struct tp_buf *out, const struct check *c, const struct cand *x)
{
	struct tp_buf next = TP_BUF_INIT;
	enum tp_inc inc = TP_INC_PATCH;
	size_t off;
	int rc;

	if (!x->key.semver)
		return tp_buf_printf(out,
				     "'%s' is already released in this "
				     "history; a new release comes after it "
				     "(tagpolicy next prints it)",
				     x->name);
	/* rc.2 in the history and rc.1 pushed: rc.3 is next */
	if (c->key.v.pre_len > 0 && x->key.v.pre_len > 0)
		inc = TP_INC_PRERELEASE;
	if (tp_version_inc(&next, &x->key.v, inc, NULL, 1, NULL) < 0) {
		tp_buf_release(&next);
		return tp_buf_printf(out,
				     "'%s' is already released in this "
				     "history; pick a greater version",
				     x->name);
	}
	off = (size_t)(x->key.v.str - x->name);
	rc = tp_buf_printf(out,
			   "'%s' is already released in this history; "
			   "the next release is at least '%.*s%s%s' "
			   "(tagpolicy next prints it)",
			   x->name, (int)off, x->name, next.ptr,
			   x->name + off + x->key.v.len);
	tp_buf_release(&next);
	return rc;
}

static void
free_cands(struct check *c)
{
	size_t i;

	for (i = 0; i < c->ncands; i++)
		free(c->cands[i].name);
	free(c->cands);
	free(c->byname);
	c->cands = NULL;
	c->byname = NULL;
	c->ncands = c->capcands = c->nbyname = 0;
}

static int
check_monotonic(struct check *c, struct item *it)
{
	const struct tp_kind *k = it->res->kind;
	enum tp_level lvl = git_level(c->p, "monotonic");
	struct tp_buf hint = TP_BUF_INIT;
	const struct cand *found = NULL;
	const struct tp_push_update *v;
	size_t i, n;
	int error = 0;

	if (lvl == TP_LEVEL_OFF || !is_release_kind(c->p, k) ||
	    it->obj.commit[0] == '\0')
		return 0;
	c->mono = it;
	c->kind = k;
	c->datef = NULL;
	c->date_group = NULL;
	for (i = 0; i < k->npieces && !k->has_semver; i++)
		if (k->pieces[i].field != NULL &&
		    k->pieces[i].field->type == TP_FIELD_DATE) {
			c->datef = k->pieces[i].field->date;
			c->date_group = k->pieces[i].field->name;
			break;
		}
	if (!k->has_semver && c->datef == NULL)
		return 0; /* no version to order by */
	for (c->kind_pos = 0; c->kind_pos < c->p->nscope[TP_SCOPE_GIT] &&
			      c->p->scope[TP_SCOPE_GIT][c->kind_pos] != k;
	     c->kind_pos++)
		;
	if (classify(c, it->u->tag_name, strlen(it->u->tag_name), &c->key) != 1)
		return 0;
	c->fast = 0;
	if (k->has_semver && k->npieces >= 2 && k->pieces[0].field == NULL &&
	    k->pieces[1].field != NULL &&
	    k->pieces[1].field->type == TP_FIELD_SEMVER)
		c->fast = k->pieces[0].len;

	/* the other tags of the push, where the push puts them */
	for (i = 0; i < c->nitems && error == 0; i++) {
		v = c->items[i].u;
		if (&c->items[i] == it || c->items[i].tag == NULL ||
		    v->action == TP_PUSH_DELETE ||
		    strcmp(v->tag_name, it->u->tag_name) == 0)
			continue;
		n = c->ncands;
		error = add_cand(c, v->tag_name, strlen(v->tag_name),
				 c->items[i].obj.commit);
		if (error == 0 && c->ncands > n &&
		    vkey_cmp(&c->cands[n].key, &c->key) < 0) {
			free(c->cands[n].name);
			c->ncands--;
		}
	}
	/* the repository's tags: names only, no object read */
	if (error == 0)
		error = tp_history_foreach_tag_name(c->h, visit_name, c,
						    c->err);
	if (error < 0)
		goto done;
	/* highest first; each name once (a push may give a tag twice) */
	if (c->ncands > 1)
		qsort(c->cands, c->ncands, sizeof(*c->cands), cand_cmp);
	for (i = 1, n = c->ncands ? 1 : 0; i < c->ncands; i++) {
		if (strcmp(c->cands[i].name, c->cands[n - 1].name) == 0) {
			free(c->cands[i].name);
			continue;
		}
		c->cands[n++] = c->cands[i];
	}
	c->ncands = n;
	if (c->ncands == 0)
		goto done;
	error = reachable_cand(c, &found);
	if (error < 0 || found == NULL)
		goto done;
	if (mono_hint(&hint, c, found) < 0) {
		error = oom(c->err);
		goto done;
	}
	error = add_finding(c, it, "monotonic", lvl, hint.ptr,
			    "is not greater than '%s', a release tag in its "
			    "own history",
			    found->name);
done:
	free_cands(c);
	tp_buf_release(&hint);
	return error;
}

/* ------------------------------------------------------------------ */
/* release-branch                                                      */
/* ------------------------------------------------------------------ */

static int
check_branch(struct check *c, struct item *it)
{
	const struct tp_rule_conf *conf =
		tp_policy_rule(c->p, "release-branch");
	const struct tp_push_update *u;
	struct tp_buf list = TP_BUF_INIT, hint = TP_BUF_INIT;
	const char **from = NULL;
	size_t i, j, n = 0;
	int on = 0, error = 0;

	if (conf == NULL || tp_lint_level(conf, TP_SCOPE_GIT) == TP_LEVEL_OFF ||
	    conf->nlist == 0 || !is_release_kind(c->p, it->res->kind) ||
	    it->obj.commit[0] == '\0')
		return 0;
	/* branches of the same push count: they land with the tag */
	from = calloc(c->l->nr ? c->l->nr : 1, sizeof(*from));
	if (from == NULL)
		return oom(c->err);
	for (i = 0; i < c->l->nr; i++) {
		u = &c->l->updates[i];
		if (u->kind != TP_PUSH_BRANCH || u->action == TP_PUSH_DELETE)
			continue;
		for (j = 0; j < conf->nlist; j++)
			if (fnmatch(conf->list[j], u->remote_ref + 11,
				    FNM_PATHNAME) == 0)
				break;
		if (j < conf->nlist)
			from[n++] = u->local_oid;
	}
	if (n > 0)
		on = tp_history_reachable(c->h, it->obj.commit, from, n,
					  c->err);
	if (on == 0)
		on = tp_history_on_branch(NULL, c->h, it->obj.commit,
					  (const char *const *)conf->list,
					  conf->nlist, c->err);
	if (on < 0) {
		error = on;
		goto done;
	}
	if (on == 1)
		goto done;
	if (join_list(&list, conf) < 0 ||
	    tp_buf_printf(&hint,
			  "commit %.12s is in the history of none of "
			  "these branches; tag a commit of one of them, or "
			  "push the branch that holds it with the tag",
			  it->obj.commit) < 0) {
		error = oom(c->err);
		goto done;
	}
	error = add_finding(c, it, "release-branch",
			    tp_lint_level(conf, TP_SCOPE_GIT), hint.ptr,
			    "is not on a release branch (%s)", list.ptr);
done:
	free(from);
	tp_buf_release(&list);
	tp_buf_release(&hint);
	return error;
}

/* ------------------------------------------------------------------ */
/* the run                                                             */
/* ------------------------------------------------------------------ */

/* Reads the object a tag update pushes. */
static int
resolve_pushed(struct check *c, struct item *it)
{
	struct tp_error e;

	tp_error_init(&e);
	if (tp_history_resolve(&it->obj, c->h, it->u->local_oid, &e) == 0)
		return 0;
	tp_error_set(c->err, TP_EGIT, "cannot check tag '%s': %s",
		     it->u->tag_name, e.msg);
	tp_error_hint(c->err,
		      "the hook must see the pushed objects (server "
		      "hooks: run by git, with its quarantine variables "
		      "set); tags must point at commits");
	return TP_EGIT;
}

/*
 * `promotion` looks for the tag of the previous environment on the same
 * commit: add the repository's tags of each pushed commit to the run
 * (their own findings are not reported).
 */
static int
add_context(struct check *c, struct tp_lint *run)
{
	const struct tp_history_tag *tags;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	size_t *at = NULL, nat = 0, ntags, i, j, k;
	int error = 0;

	if (git_level(c->p, "promotion") == TP_LEVEL_OFF)
		return 0;
	if ((error = tp_history_tags(&tags, &ntags, c->h, c->err)) < 0)
		return error;
	in.scope = TP_SCOPE_GIT;
	for (i = 0; i < c->nitems && error == 0; i++) {
		if (c->items[i].tag == NULL ||
		    c->items[i].obj.commit[0] == '\0')
			continue;
		/* each commit once */
		for (j = 0; j < i; j++)
			if (c->items[j].tag != NULL &&
			    strcmp(c->items[j].obj.commit,
				   c->items[i].obj.commit) == 0)
				break;
		if (j < i)
			continue;
		free(at);
		at = NULL;
		if ((error = tp_history_tags_at(&at, &nat, c->h,
						c->items[i].obj.commit,
						c->err)) < 0)
			break;
		for (k = 0; k < nat && error == 0; k++) {
			const struct tp_history_tag *t = &tags[at[k]];

			if (pushed(c, t->name, t->name_len))
				continue;
			in.text = t->name;
			in.len = t->name_len;
			in.commit = t->commit;
			in.annotated = t->annotated;
			error = tp_lint_add(run, &in, NULL, c->err);
		}
	}
	free(at);
	return error;
}

/* Sizes the match data for every kind of scope git. */
static int
make_md(struct check *c)
{
	c->md = tp_policy_match_data(c->p);
	return c->md != NULL ? 0 : oom(c->err);
}

int
tp_hook_check(struct tp_hook_report **out, const struct tp_policy *p,
	      struct tp_history *h, const struct tp_push_list *l,
	      struct tp_error *err)
{
	struct check c;
	struct tp_lint *run = NULL;
	struct tp_lint_opts lo = TP_LINT_OPTS_INIT;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	struct item *it;
	size_t i, k = 0, start;
	int error = 0;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.h = h;
	c.l = l;
	c.err = err;
	c.nitems = l->nr;
	c.r = calloc(1, sizeof(*c.r));
	c.items = calloc(l->nr ? l->nr : 1, sizeof(*c.items));
	c.r->tags = calloc(tp_hook_tag_count(l) + 1, sizeof(*c.r->tags));
	if (c.r == NULL || c.items == NULL || c.r->tags == NULL) {
		error = oom(err);
		goto done;
	}
	if ((error = make_md(&c)) < 0)
		goto done;
	lo.scope = TP_SCOPE_GIT;
	if ((error = tp_lint_new(&run, p, &lo, err)) < 0)
		goto done;
	in.scope = TP_SCOPE_GIT;
	for (i = 0; i < l->nr; i++) {
		it = &c.items[i];
		it->u = &l->updates[i];
		if (it->u->kind != TP_PUSH_TAG)
			continue;
		it->tag = &c.r->tags[k++];
		it->tag->update = i;
		it->tag->tag = it->u->tag_name;
		it->tag->action = it->u->action;
		it->tag->annotated = -1;
		if (it->u->action != TP_PUSH_DELETE) {
			if ((error = resolve_pushed(&c, it)) < 0)
				goto done;
			memcpy(it->tag->commit, it->obj.commit,
			       sizeof(it->tag->commit));
			it->tag->annotated = it->obj.annotated;
		}
		in.text = it->u->tag_name;
		in.len = strlen(it->u->tag_name);
		in.commit = it->obj.commit[0] != '\0' ? it->obj.commit : NULL;
		in.annotated = it->tag->annotated;
		if ((error = tp_lint_add(run, &in, &it->res, err)) < 0)
			goto done;
	}
	c.r->ntags = k;
	if ((error = add_context(&c, run)) < 0 ||
	    (error = tp_lint_finish(run, err)) < 0)
		goto done;
	for (i = 0; i < l->nr; i++) {
		it = &c.items[i];
		if (it->tag == NULL)
			continue;
		it->tag->kind =
			it->res->kind != NULL ? it->res->kind->name : NULL;
		if (fields_text(it->tag, it->res) < 0) {
			error = oom(err);
			goto done;
		}
		start = c.r->nfindings;
		if ((error = check_immutable(&c, it)) < 0)
			goto done;
		if (it->u->action != TP_PUSH_DELETE &&
		    ((error = check_lint(&c, it)) < 0 ||
		     (error = check_monotonic(&c, it)) < 0 ||
		     (error = check_branch(&c, it)) < 0))
			goto done;
		order_findings(c.r, start);
	}
	*out = c.r;
	c.r = NULL;
done:
	tp_hook_report_free(c.r);
	tp_lint_free(run);
	pcre2_match_data_free(c.md);
	free(c.items);
	return error;
}

/* ------------------------------------------------------------------ */
/* the server hooks' policy                                            */
/* ------------------------------------------------------------------ */

int
tp_hook_server_policy(struct tp_policy **out, struct tp_history *h,
		      unsigned flags, struct tp_error *err)
{
	static const char *const names[] = { ".tagpolicy.yml",
					     ".tagpolicy.yaml" };
	const char *gd = tp_history_gitdir(h);
	struct tp_buf path = TP_BUF_INIT,
		      data[2] = { TP_BUF_INIT, TP_BUF_INIT };
	struct tp_buf origin = TP_BUF_INIT;
	struct stat st;
	int found[2] = { 0, 0 }, error = 0, e;
	size_t i;

	*out = NULL;
	if (tp_buf_printf(&path, "%stagpolicy.yml", gd) < 0) {
		error = oom(err);
		goto done;
	}
	if (stat(path.ptr, &st) == 0 || errno != ENOENT) {
		error = tp_policy_load_file(out, path.ptr, err);
		goto done;
	}
	if (!(flags & TP_HOOK_POLICY_TREE)) {
		error = tp_error_set(err, TP_ENOTFOUND, "no policy file '%s'",
				     path.ptr);
		goto done;
	}
	for (i = 0; i < 2; i++) {
		struct tp_error te;

		tp_error_init(&te);
		e = tp_history_read_file(&data[i], h, "HEAD", names[i], &te);
		if (e == 0) {
			found[i] = 1;
		} else if (e != TP_ENOTFOUND) {
			error = tp_error_set(err, e, "%s", te.msg);
			goto done;
		}
	}
	if (found[0] && found[1]) {
		error = tp_error_set(err, TP_EPOLICY,
				     "both '.tagpolicy.yml' "
				     "and '.tagpolicy.yaml' are in the tree "
				     "of HEAD");
		tp_error_hint(err, "keep one of them");
		goto done;
	}
	if (!found[0] && !found[1]) {
		error = tp_error_set(err, TP_ENOTFOUND,
				     "no policy file '%s', "
				     "nor a policy in the tree of HEAD",
				     path.ptr);
		goto done;
	}
	i = found[0] ? 0 : 1;
	if (tp_buf_printf(&origin, "HEAD:%s", names[i]) < 0) {
		error = oom(err);
		goto done;
	}
	error = tp_policy_load_buffer(out, origin.ptr, data[i].ptr, data[i].len,
				      gd, err);
done:
	tp_buf_release(&path);
	tp_buf_release(&data[0]);
	tp_buf_release(&data[1]);
	tp_buf_release(&origin);
	return error;
}

/* ------------------------------------------------------------------ */
/* the installed hook                                                  */
/* ------------------------------------------------------------------ */

int
tp_hook_script(struct tp_buf *out, const char *name)
{
	return tp_buf_printf(
		out,
		"#!/bin/sh\n" TP_HOOK_MARKER " %s\n"
		"# Written by 'tagpolicy hook install'; 'tagpolicy hook "
		"uninstall' removes it.\n"
		"# It checks the tags of each push against the tag policy: "
		"see tagpolicy(1).\n"
		"if command -v tagpolicy >/dev/null 2>&1\n"
		"then\n"
		"\texec tagpolicy hook %s \"$@\"\n"
		"fi\n"
		"echo \"tagpolicy: error: 'tagpolicy' is not on PATH, so the "
		"%s hook cannot check this push; nothing was pushed\" >&2\n"
		"echo \"hint: install tagpolicy or add its folder to PATH "
		"(some git clients run hooks with a shorter PATH); to remove "
		"the hook, delete $0\" >&2\n"
		"exit 1\n",
		name, name, name);
}

int
tp_hook_is_ours(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	size_t m = strlen(TP_HOOK_MARKER);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) >= m && memcmp(p, TP_HOOK_MARKER, m) == 0)
			return 1;
		p = nl + 1;
	}
	return 0;
}

int
tp_hook_dir(char **out, struct tp_history *h, struct tp_error *err)
{
	struct tp_buf dir = TP_BUF_INIT;
	const char *home, *base;
	char *v = NULL;
	struct tp_error e;
	int rc, error = 0;

	*out = NULL;
	tp_error_init(&e);
	rc = tp_history_config_string(&v, h, "core.hooksPath", &e);
	if (rc < 0 && rc != TP_ENOTFOUND)
		return tp_error_set(err, rc, "%s", e.msg);
	if (v != NULL && v[0] != '\0') {
		home = getenv("HOME");
		base = tp_history_workdir(h);
		if (base == NULL)
			base = tp_history_gitdir(h);
		if (v[0] == '~' && v[1] == '/' && home != NULL)
			rc = tp_buf_printf(&dir, "%s%s", home, v + 1);
		else if (v[0] == '/')
			rc = tp_buf_puts(&dir, v);
		else
			rc = tp_buf_printf(&dir, "%s%s", base, v);
		if (rc < 0)
			error = oom(err);
	} else if (tp_buf_printf(&dir, "%shooks", tp_history_commondir(h)) <
		   0) {
		error = oom(err);
	}
	free(v);
	if (error < 0) {
		tp_buf_release(&dir);
		return error;
	}
	while (dir.len > 1 && dir.ptr[dir.len - 1] == '/')
		tp_buf_truncate(&dir, dir.len - 1);
	if ((*out = tp_buf_detach(&dir, NULL)) == NULL)
		return oom(err);
	return 0;
}

void
tp_hook_result_release(struct tp_hook_result *res)
{
	free(res->path);
	free(res->backup);
	res->path = NULL;
	res->backup = NULL;
}

static int
io_fail(struct tp_error *err, const char *what, const char *path)
{
	return tp_error_set(err, TP_EIO, "cannot %s '%s': %s", what, path,
			    strerror(errno));
}

/* mkdir -p */
static int
make_dirs(const char *dir, struct tp_error *err)
{
	struct tp_buf b = TP_BUF_INIT;
	struct stat st;
	size_t i;
	int error = 0;

	if (tp_buf_puts(&b, dir) < 0)
		return oom(err);
	for (i = 1; i <= b.len && error == 0; i++) {
		if (b.ptr[i] != '/' && b.ptr[i] != '\0')
			continue;
		b.ptr[i] = '\0';
		if (mkdir(b.ptr, 0777) < 0 &&
		    (errno != EEXIST || stat(b.ptr, &st) < 0 ||
		     !S_ISDIR(st.st_mode)))
			error = io_fail(err, "make the folder", b.ptr);
		if (i < b.len)
			b.ptr[i] = '/';
	}
	tp_buf_release(&b);
	return error;
}

/* What is at a hook's path. */
enum hook_state { HOOK_NONE, HOOK_OURS, HOOK_FOREIGN };

static int
hook_state(enum hook_state *state, struct tp_buf *content, struct stat *st,
	   const char *path, struct tp_error *err)
{
	struct tp_error e;

	*state = HOOK_NONE;
	if (lstat(path, st) < 0) {
		if (errno == ENOENT)
			return 0;
		return io_fail(err, "read", path);
	}
	*state = HOOK_FOREIGN;
	if (!S_ISREG(st->st_mode) || (size_t)st->st_size > HOOK_FILE_MAX)
		return 0;
	tp_error_init(&e);
	if (read_file(content, path, HOOK_FILE_MAX, &e) < 0)
		return tp_error_set(err,
				    e.code == TP_ENOMEM ? TP_ENOMEM : TP_EIO,
				    "%s", e.msg);
	if (tp_hook_is_ours(content->ptr, content->len))
		*state = HOOK_OURS;
	return 0;
}

/* Writes `data` to a new temporary file in `dir`; its path into `tmp`. */
static int
write_temp(struct tp_buf *tmp, const char *dir, const char *name,
	   const struct tp_buf *data, struct tp_error *err)
{
	size_t done = 0;
	ssize_t n;
	int fd, error = 0;

	if (tp_buf_printf(tmp, "%s/.%s.tagpolicy-XXXXXX", dir, name) < 0)
		return oom(err);
	fd = mkstemp(tmp->ptr);
	if (fd < 0)
		return io_fail(err, "create a file in", dir);
	while (done < data->len) {
		n = write(fd, data->ptr + done, data->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = io_fail(err, "write", tmp->ptr);
			break;
		}
		done += (size_t)n;
	}
	/* exactly 0755, whatever the umask: git runs it */
	if (error == 0 && fchmod(fd, 0755) < 0)
		error = io_fail(err, "make executable", tmp->ptr);
	if (error == 0 && fsync(fd) < 0)
		error = io_fail(err, "write", tmp->ptr);
	if (close(fd) < 0 && error == 0)
		error = io_fail(err, "write", tmp->ptr);
	if (error < 0)
		unlink(tmp->ptr);
	return error;
}

/*
 * Keeps the hook at `path` as `<path>.tagpolicy-backup[.N]`, never over an
 * earlier backup.  A hard link leaves the hook in place until the rename
 * over it; `*moved` says whether it had to be renamed away instead.
 */
static int
keep_backup(char **backup, int *moved, const char *path, struct tp_error *err)
{
	struct tp_buf b = TP_BUF_INIT;
	struct stat st;
	unsigned n;
	int error = 0;

	*backup = NULL;
	*moved = 0;
	for (n = 0; n < 10000; n++) {
		tp_buf_clear(&b);
		if ((n == 0 ? tp_buf_printf(&b, "%s.tagpolicy-backup", path)
			    : tp_buf_printf(&b, "%s.tagpolicy-backup.%u", path,
					    n)) < 0) {
			error = oom(err);
			goto done;
		}
		if (lstat(b.ptr, &st) == 0)
			continue;
		if (link(path, b.ptr) == 0)
			goto kept;
		if (errno == EEXIST)
			continue;
		/* a folder, or a file system without hard links */
		if (rename(path, b.ptr) < 0) {
			error = io_fail(err, "keep a backup of", path);
			goto done;
		}
		*moved = 1;
		goto kept;
	}
	error = tp_error_set(err, TP_EIO, "too many backups of '%s'", path);
	goto done;
kept:
	if ((*backup = tp_buf_detach(&b, NULL)) == NULL)
		error = oom(err);
done:
	tp_buf_release(&b);
	return error;
}

int
tp_hook_install(struct tp_hook_result *res, const char *dir, const char *name,
		int force, struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT, script = TP_BUF_INIT,
		      content = TP_BUF_INIT, tmp = TP_BUF_INIT;
	enum hook_state state;
	struct stat st;
	char *backup = NULL;
	int moved = 0, error;

	memset(res, 0, sizeof(*res));
	if (tp_buf_printf(&path, "%s/%s", dir, name) < 0 ||
	    tp_hook_script(&script, name) < 0) {
		error = oom(err);
		goto done;
	}
	if ((error = hook_state(&state, &content, &st, path.ptr, err)) < 0)
		goto done;
	if (state == HOOK_OURS && content.len == script.len &&
	    memcmp(content.ptr, script.ptr, script.len) == 0 &&
	    (st.st_mode & 0111) == 0111) {
		res->done = TP_HOOK_UNCHANGED;
		goto out;
	}
	if (state == HOOK_FOREIGN && !force) {
		error = tp_error_set(err, TP_EEXISTS,
				     "'%s' is a %s hook that "
				     "tagpolicy did not write; it is left as "
				     "it is",
				     path.ptr, name);
		tp_error_hint(err,
			      "run 'tagpolicy hook %s \"$@\"' from it "
			      "(with git's standard input), or replace it "
			      "with 'tagpolicy hook install --force', which "
			      "keeps it as '%s.tagpolicy-backup'",
			      name, name);
		goto done;
	}
	if ((error = make_dirs(dir, err)) < 0 ||
	    (error = write_temp(&tmp, dir, name, &script, err)) < 0)
		goto done;
	if (state == HOOK_FOREIGN &&
	    (error = keep_backup(&backup, &moved, path.ptr, err)) < 0) {
		unlink(tmp.ptr);
		goto done;
	}
	if (rename(tmp.ptr, path.ptr) < 0) {
		error = io_fail(err, "install", path.ptr);
		unlink(tmp.ptr);
		/* put someone else's hook back where it was */
		if (moved)
			rename(backup, path.ptr);
		else if (backup != NULL)
			unlink(backup);
		goto done;
	}
	if (state == HOOK_NONE)
		res->done = TP_HOOK_INSTALLED;
	else if (state == HOOK_OURS)
		res->done = TP_HOOK_UPDATED;
	else
		res->done = TP_HOOK_REPLACED;
	res->backup = backup;
	backup = NULL;
out:
	if ((res->path = tp_buf_detach(&path, NULL)) == NULL)
		error = oom(err);
done:
	free(backup);
	tp_buf_release(&path);
	tp_buf_release(&script);
	tp_buf_release(&content);
	tp_buf_release(&tmp);
	if (error < 0)
		tp_hook_result_release(res);
	return error;
}

/* The newest backup of `path` (highest number), or NULL. */
static int
newest_backup(char **out, const char *dir, const char *name, const char *path,
	      struct tp_error *err)
{
	struct tp_buf prefix = TP_BUF_INIT, b = TP_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d;
	unsigned long best = 0, v;
	const char *s;
	char *end;
	int error = 0, any = 0;

	*out = NULL;
	if (tp_buf_printf(&prefix, "%s.tagpolicy-backup", name) < 0)
		return oom(err);
	if ((d = opendir(dir)) == NULL) {
		tp_buf_release(&prefix);
		return io_fail(err, "list", dir);
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix.ptr, prefix.len) != 0)
			continue;
		s = de->d_name + prefix.len;
		if (*s == '\0') {
			any = 1;
			continue;
		}
		if (s[0] != '.' || s[1] < '1' || s[1] > '9')
			continue;
		errno = 0;
		v = strtoul(s + 1, &end, 10);
		if (*end == '\0' && errno == 0 && v > best)
			best = v;
	}
	closedir(d);
	if (best > 0)
		error = tp_buf_printf(&b, "%s.tagpolicy-backup.%lu", path,
				      best);
	else if (any)
		error = tp_buf_printf(&b, "%s.tagpolicy-backup", path);
	if (error < 0) {
		error = oom(err);
	} else if (b.len > 0 && lstat(b.ptr, &st) == 0) {
		if ((*out = tp_buf_detach(&b, NULL)) == NULL)
			error = oom(err);
	}
	tp_buf_release(&prefix);
	tp_buf_release(&b);
	return error;
}

int
tp_hook_uninstall(struct tp_hook_result *res, const char *dir, const char *name,
		  struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT, content = TP_BUF_INIT;
	enum hook_state state;
	struct stat st;
	int error;

	memset(res, 0, sizeof(*res));
	if (tp_buf_printf(&path, "%s/%s", dir, name) < 0) {
		error = oom(err);
		goto done;
	}
	if ((error = hook_state(&state, &content, &st, path.ptr, err)) < 0)
		goto done;
	if (state == HOOK_FOREIGN) {
		error = tp_error_set(err, TP_EEXISTS,
				     "'%s' was not written by "
				     "tagpolicy; it is left as it is",
				     path.ptr);
		tp_error_hint(err, "remove it yourself if it should go");
		goto done;
	}
	res->done = TP_HOOK_ABSENT;
	if (state == HOOK_OURS) {
		if ((error = newest_backup(&res->backup, dir, name, path.ptr,
					   err)) < 0)
			goto done;
		if (res->backup != NULL) {
			if (rename(res->backup, path.ptr) < 0) {
				error = io_fail(err, "restore", res->backup);
				goto done;
			}
			res->done = TP_HOOK_RESTORED;
		} else {
			if (unlink(path.ptr) < 0) {
				error = io_fail(err, "remove", path.ptr);
				goto done;
			}
			res->done = TP_HOOK_REMOVED;
		}
	}
	if ((res->path = tp_buf_detach(&path, NULL)) == NULL)
		error = oom(err);
done:
	tp_buf_release(&path);
	tp_buf_release(&content);
	if (error < 0)
		tp_hook_result_release(res);
	return error;
}
