/*
 * cmd_next.c: `tagpolicy current` and `tagpolicy next`: the current
 * release and the next version, read from the git history (product.md
 * "next, current", versioning.md).
 *
 * history.c finds the current release and the commits since it, bump.c
 * computes the next version from those plain facts, template.c turns a
 * version into a tag of the release kind, and hook.c says whether the
 * pre-push hook would let the new tag through before `--tag` creates it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "bump.h"
#include "history.h"
#include "hook.h"
#include "json.h"
#include "template.h"

#define SHORT_ID 7
#define SHALLOW_ADVICE \
	"run 'git fetch --tags --unshallow' (on CI: " \
	"fetch-depth: 0)"

struct next_opts {
	const char *component;
	const char *format;
	const char *rev;
	const char *pre;
	const char *message;
	int tag;
	int explain;
	int exit_code;
};

static const struct cli_opt current_options[] = {
	{ CLI_OPT_STRING, "component", 0, "NAME",
	  "the component's version line instead of the release kind's",
	  offsetof(struct next_opts, component), NULL },
	{ CLI_OPT_STRING, "rev", 0, "REV", "look from REV instead of HEAD",
	  offsetof(struct next_opts, rev), NULL },
	{ CLI_OPT_STRING, "format", 0, "FORMAT", "text (default) or json",
	  offsetof(struct next_opts, format), "text|json" },
	CLI_OPT_END_MARK
};

static const struct cli_opt next_options[] = {
	{ CLI_OPT_STRING, "pre", 0, "ID",
	  "a prerelease: ID.N, continuing the counter (e.g. --pre rc)",
	  offsetof(struct next_opts, pre), NULL },
	{ CLI_OPT_STRING, "component", 0, "NAME",
	  "the component's version line; only commits under its paths count",
	  offsetof(struct next_opts, component), NULL },
	{ CLI_OPT_STRING, "rev", 0, "REV",
	  "the commit to release instead of HEAD (--tag tags it)",
	  offsetof(struct next_opts, rev), NULL },
	{ CLI_OPT_FLAG, "tag", 0, NULL,
	  "create the annotated tag and print its name",
	  offsetof(struct next_opts, tag), NULL },
	{ CLI_OPT_STRING, "message", 'm', "MESSAGE",
	  "with --tag: text put before the list of commits",
	  offsetof(struct next_opts, message), NULL },
	{ CLI_OPT_FLAG, "explain", 0, NULL,
	  "say on stderr how the answer was reached",
	  offsetof(struct next_opts, explain), NULL },
	{ CLI_OPT_FLAG, "exit-code", 0, NULL,
	  "exit 4 when there is nothing to release",
	  offsetof(struct next_opts, exit_code), NULL },
	{ CLI_OPT_STRING, "format", 0, "FORMAT", "text (default) or json",
	  offsetof(struct next_opts, format), "text|json" },
	CLI_OPT_END_MARK
};

static const struct cli_usage current_usage = {
	"current",
	"current [--component NAME] [--rev REV] [--format text|json]",
	"Prints the current release: of the tags of the release kind (or the\n"
	"component's kind) that are not prereleases and whose commit is\n"
	"reachable from HEAD, the one of highest SemVer precedence (the\n"
	"latest date under bump.scheme calver).  Exit 1 when there is none.",
	current_options, 0
};

static const struct cli_usage next_usage = {
	"next",
	"next [auto|major|minor|patch|prerelease] [--pre ID] "
	"[--component NAME]\n"
	"     [--rev REV] [--tag [-m MESSAGE]] [--explain] [--exit-code]\n"
	"     [--format text|json]",
	"Prints the next release tag (e.g. v1.4.0) alone on stdout.  auto (the\n"
	"default) reads the Conventional Commits since the current release;\n"
	"major, minor and patch force the bump; --pre ID makes a prerelease\n"
	"(v1.4.0-rc.1, then rc.2); prerelease alone continues the open line.\n"
	"With no release yet the answer is release.initial.  With nothing to\n"
	"release it prints the current release and says so (exit 0, or 4 with\n"
	"--exit-code).  A version whose tag exists anywhere is exit 1.",
	next_options, 0
};

/* A tag passed over, for --explain. */
struct skip {
	size_t tag;
	const char *why;
};

/* A tag of the release kind under bump.scheme calver. */
struct ctag {
	size_t tag; /* index in the repository's tags */
	const char *name; /* its name */
	int64_t date; /* the date field's time */
	size_t off, len; /* the date field in the name */
	size_t coff, clen; /* the ".N" counter's digits; clen 0: none */
	int valid; /* the date is a real calendar date */
	char why[160]; /* why it is not a valid date */
};

/* One run of `current` or `next`. */
struct run {
	struct cli *cli;
	const struct next_opts *o;
	struct tp_error err;
	struct tp_policy *p;
	struct tp_history *h;
	const struct tp_kind *kind; /* what is read and written */
	const struct tp_component *comp; /* --component, or NULL */
	const struct tp_field *datef; /* calver: the kind's date field */
	int in_scope; /* kind is in scope git */
	pcre2_match_data *md;
	const struct tp_history_tag *tags;
	size_t ntags;
	const char *rev_name; /* for messages */
	char commit[TP_HISTORY_ID_SIZE]; /* the commit to release */
	int shallow; /* warn: shallow, answer holds */

	/* the current release */
	struct tp_history_release *rel; /* SemVer */
	struct ctag *ct; /* calver: the kind's tags */
	size_t nct;
	const struct tp_history_tag *cur; /* NULL: no release */
	char *cur_version;
	struct skip *skips;
	size_t nskips;

	/* next */
	struct tp_history_commits *commits;
	struct tp_bump_commit *bcommits;
	struct tp_bump_tag *btags;
	size_t *btag_index; /* parallel: index in `tags` */
	char **bver; /* parallel: owned versions */
	size_t nbtags;
	struct tp_bump_result res;
	int64_t now;
	struct tp_buf date; /* calver: the date of `now` */
	struct tp_buf next; /* the next tag's name */
	struct tp_buf subj; /* see subject() */
};

static char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int
fail(struct run *r)
{
	return cli_fail(r->cli, &r->err);
}

static void
short_id(char out[TP_HISTORY_ID_SIZE], const char *id)
{
	tp_history_short_id(out, TP_HISTORY_ID_SIZE, id, SHORT_ID);
}

/* ------------------------------------------------------------------ */
/* the kind of a tag                                                   */
/* ------------------------------------------------------------------ */

/*
 * PCRE2's JIT reads whole words past the end of a subject (harmless, as
 * they never cross a page), so tags are matched from a copy padded with
 * NUL bytes: valgrind, which the test suite runs, then sees no read of
 * uninitialised memory.  The copy lives until the next call.
 */
static const char *
subject(struct run *r, const char *name, size_t len)
{
	static const char pad[32];

	tp_buf_clear(&r->subj);
	if (tp_buf_put(&r->subj, name, len) < 0 ||
	    tp_buf_put(&r->subj, pad, sizeof(pad)) < 0)
		cli_oom();
	return r->subj.ptr;
}

/*
 * 1 when the tag is of r->kind: the first kind of scope git that matches
 * it (policy.md: the first match decides, so v1.4.0-prod is an env tag,
 * not a prerelease), or r->kind itself when that is not in scope git.
 * Fills the span of the named group `group` as tp_kind_match() does.
 */
static int
of_kind(struct run *r, const char *name, size_t len, const char *group,
	size_t *off, size_t *glen)
{
	const struct tp_policy *p = r->p;
	const struct tp_kind *k;
	size_t i;

	name = subject(r, name, len);
	if (!r->in_scope)
		return tp_kind_match(r->kind, name, len, r->md, group, off,
				     glen) == 1;
	for (i = 0; i < p->nscope[TP_SCOPE_GIT]; i++) {
		k = p->scope[TP_SCOPE_GIT][i];
		if (tp_kind_match(k, name, len, r->md,
				  k == r->kind ? group : NULL, off, glen) == 1)
			return k == r->kind;
	}
	return 0;
}

static int
classify(const char *name, size_t len, size_t *ver_off, size_t *ver_len,
	 void *payload)
{
	return of_kind(payload, name, len, "semver", ver_off, ver_len);
}

/* The first kind of scope git that a tag matches, or NULL. */
static const struct tp_kind *
first_kind(struct run *r, const char *name, size_t len)
{
	const struct tp_policy *p = r->p;
	size_t i;

	name = subject(r, name, len);
	for (i = 0; i < p->nscope[TP_SCOPE_GIT]; i++)
		if (tp_kind_match(p->scope[TP_SCOPE_GIT][i], name, len, r->md,
				  NULL, NULL, NULL) == 1)
			return p->scope[TP_SCOPE_GIT][i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* setting up: repository, policy, kind                                */
/* ------------------------------------------------------------------ */

/*
 * The policy: as every command looks it up, except that in a bare
 * repository with no -p or $TAGPOLICY_CONFIG it is read from the tree of
 * HEAD (product.md, "Policy lookup").
 */
static int
load_policy(struct run *r)
{
	static const char *const names[] = { ".tagpolicy.yml",
					     ".tagpolicy.yaml" };
	struct tp_buf data[2] = { TP_BUF_INIT, TP_BUF_INIT };
	const char *env = getenv("TAGPOLICY_CONFIG");
	char origin[64];
	int found[2] = { 0, 0 }, rc = 0, e;
	size_t i;

	if (tp_history_workdir(r->h) != NULL || r->cli->policy_path != NULL ||
	    (env != NULL && *env != '\0'))
		return cli_load_policy(r->cli, &r->p);
	for (i = 0; i < 2; i++) {
		e = tp_history_read_file(&data[i], r->h, "HEAD", names[i],
					 &r->err);
		if (e == 0) {
			found[i] = 1;
		} else if (e == TP_ENOTFOUND) {
			tp_error_init(&r->err);
		} else {
			rc = fail(r);
			goto done;
		}
	}
	if (found[0] && found[1]) {
		rc = cli_error(r->cli, EXIT_USAGE,
			       "both .tagpolicy.yml and "
			       ".tagpolicy.yaml are in the tree of HEAD; keep "
			       "one");
		goto done;
	}
	if (!found[0] && !found[1]) {
		rc = cli_load_policy(r->cli, &r->p);
		goto done;
	}
	i = found[0] ? 0 : 1;
	snprintf(origin, sizeof(origin), "HEAD:%s", names[i]);
	if (tp_policy_load_buffer(&r->p, origin, data[i].ptr, data[i].len, NULL,
				  &r->err) < 0)
		rc = fail(r);
done:
	tp_buf_release(&data[0]);
	tp_buf_release(&data[1]);
	return rc;
}

static int
pick_kind(struct run *r)
{
	const struct tp_policy *p = r->p;
	struct tp_buf names = TP_BUF_INIT;
	size_t i;
	int rc;

	if (r->o->component != NULL) {
		for (i = 0; i < p->ncomponents; i++)
			if (strcmp(p->components[i].name, r->o->component) == 0)
				r->comp = &p->components[i];
		if (r->comp == NULL) {
			for (i = 0; i < p->ncomponents; i++)
				if (tp_buf_printf(&names, "%s'%s'",
						  i ? ", " : "",
						  p->components[i].name) < 0)
					cli_oom();
			rc = cli_error(r->cli, EXIT_USAGE,
				       "unknown component '%s'",
				       r->o->component);
			if (p->ncomponents)
				cli_hint(r->cli, "the policy's components: %s",
					 names.ptr);
			else
				cli_hint(r->cli,
					 "the policy (%s) has no components",
					 tp_policy_origin(p));
			tp_buf_release(&names);
			return rc;
		}
		r->kind = r->comp->kind;
	} else {
		r->kind = p->release_kind;
		/* a component's kind as the release kind: its paths too */
		for (i = 0; r->kind != NULL && i < p->ncomponents; i++)
			if (p->components[i].kind == r->kind)
				r->comp = &p->components[i];
	}
	if (r->kind == NULL) {
		rc = cli_error(r->cli, EXIT_USAGE,
			       "the policy (%s) has no release kind",
			       tp_policy_origin(p));
		cli_hint(r->cli,
			 "name one with release.kind, or add a kind "
			 "with a %s field to scope git",
			 p->calver ? "date" : "{semver}");
		return rc;
	}
	for (i = 0; i < p->nscope[TP_SCOPE_GIT]; i++)
		if (p->scope[TP_SCOPE_GIT][i] == r->kind)
			r->in_scope = 1;
	if (p->calver) {
		for (i = 0; i < r->kind->npieces && r->datef == NULL; i++)
			if (r->kind->pieces[i].field != NULL &&
			    r->kind->pieces[i].field->type == TP_FIELD_DATE)
				r->datef = r->kind->pieces[i].field;
		if (r->datef == NULL)
			return cli_error(r->cli, EXIT_USAGE,
					 "kind '%s' has no "
					 "date field, which bump.scheme calver "
					 "needs",
					 r->kind->name);
	}
	return 0;
}

static int
setup(struct run *r)
{
	struct tp_history_object obj;
	int rc;

	if (tp_history_open(&r->h, NULL, 0, &r->err) < 0)
		return fail(r);
	if ((rc = load_policy(r)) != 0 || (rc = pick_kind(r)) != 0)
		return rc;
	r->md = tp_policy_match_data(r->p);
	if (r->md == NULL)
		cli_oom();
	r->rev_name = r->o->rev != NULL ? r->o->rev : "HEAD";
	if (tp_history_resolve(&obj, r->h, r->rev_name, &r->err) < 0 ||
	    tp_history_tags(&r->tags, &r->ntags, r->h, &r->err) < 0)
		return fail(r);
	memcpy(r->commit, obj.commit, sizeof(r->commit));
	return 0;
}

/* ------------------------------------------------------------------ */
/* the current release                                                 */
/* ------------------------------------------------------------------ */

static int
find_current_semver(struct run *r)
{
	struct tp_history_release *rel;
	size_t i;

	if (tp_history_find_release(&r->rel, r->h, r->commit, 0, classify, r,
				    &r->err) < 0)
		return fail(r);
	rel = r->rel;
	r->shallow = rel->shallow;
	if (rel->tag != NULL) {
		r->cur = rel->tag;
		r->cur_version = xstrndup(rel->version.str, rel->version.len);
	}
	r->skips = xmalloc((rel->nskipped + 1) * sizeof(*r->skips));
	for (i = 0; i < rel->nskipped; i++) {
		r->skips[i].tag = rel->skipped[i].tag;
		r->skips[i].why = tp_history_skip_str(rel->skipped[i].why);
	}
	r->nskips = rel->nskipped;
	return 0;
}

static void
add_skip(struct run *r, size_t tag, const char *why)
{
	r->skips[r->nskips].tag = tag;
	r->skips[r->nskips].why = why;
	r->nskips++;
}

/* Later date first, then the higher counter (none is lowest), then name. */
static int
ctag_cmp(const void *pa, const void *pb)
{
	const struct ctag *a = pa, *b = pb;
	int c;

	if (a->valid != b->valid)
		return a->valid ? -1 : 1;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	c = tp_num_cmp(a->name + a->coff, a->clen, b->name + b->coff, b->clen);
	if (c != 0)
		return -c;
	return strcmp(a->name, b->name);
}

static int
ctag_same(const struct ctag *a, const struct ctag *b)
{
	return a->date == b->date &&
	       tp_num_cmp(a->name + a->coff, a->clen, b->name + b->coff,
			  b->clen) == 0;
}

/* The bare calver version of a tag: the date, then ".N" when counted. */
static char *
ctag_version(const struct ctag *c)
{
	struct tp_buf b = TP_BUF_INIT;

	if (tp_buf_put(&b, c->name + c->off, c->len) < 0 ||
	    (c->clen > 0 &&
	     tp_buf_printf(&b, ".%.*s", (int)c->clen, c->name + c->coff) < 0))
		cli_oom();
	return tp_buf_detach(&b, NULL);
}

static int
shallow_error(struct run *r, const char *what, const char *tag)
{
	tp_error_set(&r->err, TP_ESHALLOW, "the history is shallow: %s%s%s",
		     what, tag ? tag : "",
		     tag ? "' may be the current release" : "");
	tp_error_hint(&r->err, "%s", SHALLOW_ADVICE);
	return fail(r);
}

/*
 * bump.scheme calver: the release is the latest date (then the highest
 * counter) whose commit is reachable, with versioning.md rule 5 for
 * shallow clones.  Dates are no SemVer, so history.c cannot rank them.
 */
static int
find_current_calver(struct run *r)
{
	const struct tp_history_tag *t;
	const char *from[1];
	const struct ctag *best = NULL;
	struct ctag *c;
	char why[128];
	size_t i, off, len;
	int reach, shallow = tp_history_is_shallow(r->h);

	r->ct = xmalloc((r->ntags + 1) * sizeof(*r->ct));
	r->skips = xmalloc((r->ntags + 1) * sizeof(*r->skips));
	for (i = 0; i < r->ntags; i++) {
		t = &r->tags[i];
		if (!of_kind(r, t->name, t->name_len, r->datef->name, &off,
			     &len)) {
			add_skip(r, i, "not of the release kind");
			continue;
		}
		c = &r->ct[r->nct++];
		memset(c, 0, sizeof(*c));
		c->tag = i;
		c->name = t->name;
		c->off = off;
		c->len = len;
		tp_kind_match(r->kind, subject(r, t->name, t->name_len),
			      t->name_len, r->md, TP_TEMPLATE_COUNTER_GROUP,
			      &c->coff, &c->clen);
		c->valid = tp_date_parse(&c->date, r->datef->date,
					 t->name + off, len, why, sizeof(why));
		if (!c->valid)
			snprintf(c->why, sizeof(c->why), "not a valid date: %s",
				 why);
	}
	qsort(r->ct, r->nct, sizeof(*r->ct), ctag_cmp);
	from[0] = r->commit;
	for (i = 0; i < r->nct; i++) {
		c = &r->ct[i];
		t = &r->tags[c->tag];
		if (!c->valid) {
			add_skip(r, c->tag, c->why);
		} else if (best != NULL) {
			add_skip(r, c->tag,
				 ctag_same(c, best)
					 ? tp_history_skip_str(TP_SKIP_SAME)
					 : tp_history_skip_str(TP_SKIP_LOWER));
		} else if (t->target == TP_TARGET_MISSING) {
			if (shallow)
				return shallow_error(r, "the commit of tag '",
						     t->name);
			add_skip(r, c->tag,
				 tp_history_skip_str(TP_SKIP_MISSING));
		} else if (t->target != TP_TARGET_COMMIT) {
			add_skip(r, c->tag,
				 tp_history_skip_str(TP_SKIP_NOT_COMMIT));
		} else {
			reach = tp_history_reachable(r->h, t->commit, from, 1,
						     &r->err);
			if (reach < 0)
				return fail(r);
			if (reach)
				best = c;
			else
				add_skip(r, c->tag,
					 tp_history_skip_str(
						 TP_SKIP_UNREACHABLE));
		}
	}
	if (best == NULL && shallow)
		return shallow_error(r,
				     "no release tag was found in the "
				     "fetched part",
				     NULL);
	r->shallow = shallow;
	if (best != NULL) {
		r->cur = &r->tags[best->tag];
		r->cur_version = ctag_version(best);
	}
	return 0;
}

static int
find_current(struct run *r)
{
	return r->p->calver ? find_current_calver(r) : find_current_semver(r);
}

static void
warn_shallow(struct run *r)
{
	if (r->shallow)
		cli_warn(r->cli, "the history is shallow; every tag needed "
				 "was fetched, so the answer holds");
}

/* ------------------------------------------------------------------ */
/* the next version                                                    */
/* ------------------------------------------------------------------ */

static void
component_paths(const struct run *r, const char *const **paths, size_t *n)
{
	*paths = NULL;
	*n = 0;
	if (r->comp != NULL) {
		*paths = (const char *const *)r->comp->paths;
		*n = r->comp->npaths;
	}
}

static int
read_commits(struct run *r)
{
	const char *const *paths;
	size_t npaths, i;

	component_paths(r, &paths, &npaths);
	if (tp_history_commits_since(&r->commits, r->h, r->commit,
				     r->cur != NULL ? r->cur->commit : NULL,
				     paths, npaths, &r->err) < 0)
		return fail(r);
	r->bcommits = xmalloc((r->commits->nr + 1) * sizeof(*r->bcommits));
	for (i = 0; i < r->commits->nr; i++) {
		r->bcommits[i].msg = r->commits->commits[i].message;
		r->bcommits[i].len = r->commits->commits[i].message_len;
	}
	return 0;
}

/*
 * 1 when the tag's commit is reachable from the commit to release and not
 * from the current release's (what bump.h means by `reachable`).
 */
static int
in_range(struct run *r, const struct tp_history_tag *t)
{
	const char *from[1];
	int reach;

	if (t->target != TP_TARGET_COMMIT)
		return 0;
	from[0] = r->commit;
	reach = tp_history_reachable(r->h, t->commit, from, 1, &r->err);
	if (reach <= 0 || r->cur == NULL)
		return reach;
	from[0] = r->cur->commit;
	reach = tp_history_reachable(r->h, t->commit, from, 1, &r->err);
	return reach < 0 ? reach : !reach;
}

/*
 * Every tag of the kind, anywhere (rule 6 and the prerelease counters
 * look at all of them); `reachable` is worked out only where bump.c reads
 * it: for prereleases above the current release.
 */
static int
gather_tags(struct run *r)
{
	const struct tp_history_tag *t;
	struct tp_version v, cur;
	struct tp_bump_tag *b;
	char *at = NULL;
	size_t i, j, off, len;
	int reach, rc = 0;

	r->btags = xmalloc((r->ntags + 1) * sizeof(*r->btags));
	r->btag_index = xmalloc((r->ntags + 1) * sizeof(*r->btag_index));
	r->bver = xmalloc((r->ntags + 1) * sizeof(*r->bver));
	if (r->p->calver) {
		for (i = 0; i < r->nct; i++) {
			b = &r->btags[r->nbtags];
			r->bver[r->nbtags] = ctag_version(&r->ct[i]);
			b->version = r->bver[r->nbtags];
			b->tag = r->ct[i].name;
			b->reachable = 0;
			r->btag_index[r->nbtags++] = r->ct[i].tag;
		}
		return 0;
	}
	if (r->cur_version != NULL &&
	    tp_version_parse(&cur, r->cur_version, strlen(r->cur_version),
			     NULL) < 0)
		return cli_error(r->cli, EXIT_ENV, "cannot read version '%s'",
				 r->cur_version);
	if (r->comp == NULL) {
		/* the commits since the release carry their tags */
		at = calloc(r->ntags + 1, 1);
		if (at == NULL)
			cli_oom();
		for (i = 0; i < r->commits->nr; i++)
			for (j = 0; j < r->commits->commits[i].ntags; j++)
				at[r->commits->commits[i].tags[j]] = 1;
	}
	for (i = 0; i < r->ntags; i++) {
		t = &r->tags[i];
		if (!of_kind(r, t->name, t->name_len, "semver", &off, &len) ||
		    tp_version_parse(&v, t->name + off, len, NULL) < 0)
			continue;
		b = &r->btags[r->nbtags];
		r->bver[r->nbtags] = xstrndup(t->name + off, len);
		b->version = r->bver[r->nbtags];
		b->tag = t->name;
		b->reachable = 0;
		r->btag_index[r->nbtags++] = i;
		if (v.pre_len == 0 ||
		    (r->cur_version != NULL && tp_version_cmp(&v, &cur) <= 0))
			continue;
		if (at != NULL) {
			b->reachable = at[i];
			continue;
		}
		reach = in_range(r, t);
		if (reach < 0) {
			rc = fail(r);
			break;
		}
		b->reachable = reach;
	}
	free(at);
	return rc;
}

/* bump.h's pre_new_commits for the prerelease line `line`. */
static int
new_since_line(struct run *r, const struct tp_bump_tag *line, int *out)
{
	const struct tp_history_tag *t;
	struct tp_history_commits *c = NULL;
	const char *const *paths;
	size_t npaths;

	t = &r->tags[r->btag_index[line - r->btags]];
	if (r->comp == NULL) {
		*out = strcmp(t->commit, r->commit) != 0;
		return 0;
	}
	component_paths(r, &paths, &npaths);
	if (tp_history_commits_since(&c, r->h, r->commit, t->commit, paths,
				     npaths, &r->err) < 0)
		return fail(r);
	*out = c->nr > 0;
	tp_history_commits_free(c);
	return 0;
}

static int
compute(struct run *r, enum tp_bump_req req)
{
	struct tp_bump_input in;
	const struct tp_bump_tag *line = NULL;
	int rc;

	memset(&in, 0, sizeof(in));
	if (r->p->calver) {
		if (tp_clock_now(&r->now, &r->err) < 0)
			return fail(r);
		if (tp_date_format(&r->date, r->datef->date, r->now) < 0)
			return cli_error(r->cli, EXIT_USAGE,
					 "cannot write the "
					 "time %lld in the date format of "
					 "field '%s'",
					 (long long)r->now, r->datef->name);
		in.calver = 1;
		in.date = r->datef->date;
		in.now = r->now;
	} else if (r->nbtags > 0) {
		line = tp_bump_find_line(r->btags, r->nbtags, r->cur_version);
		if (line != NULL &&
		    (rc = new_since_line(r, line, &in.pre_new_commits)) != 0)
			return rc;
	}
	in.req = req;
	in.current = r->cur_version;
	in.pre = r->o->pre;
	in.pre_start = r->p->prerelease_start;
	in.initial = r->p->initial;
	in.map = &r->p->bump;
	in.commits = r->bcommits;
	in.ncommits = r->commits->nr;
	in.tags = r->btags;
	in.ntags = r->nbtags;
	if (tp_bump_next(&r->res, &in, &r->err) < 0)
		return fail(r);
	return 0;
}

/* The next version as a tag of the kind, checked to read back as one. */
static int
render_next(struct run *r)
{
	const struct tp_kind *k;
	const char *v = r->res.next.ptr, *counter = NULL;
	size_t n = r->res.next.len, off, len;
	int rc;

	if (r->res.kind == TP_BUMP_KIND_NONE) {
		if (r->cur != NULL && tp_buf_puts(&r->next, r->cur->name) < 0)
			cli_oom();
		return 0;
	}
	if (r->p->calver && n > r->date.len) {
		counter = v + r->date.len + 1;
		n = r->date.len;
	}
	if (tp_kind_render(&r->next, r->kind, v, n, counter, &r->err) < 0)
		return fail(r);
	rc = of_kind(r, r->next.ptr, r->next.len,
		     r->p->calver ? r->datef->name : "semver", &off, &len);
	if (rc && (r->p->calver ||
		   (len == n && memcmp(r->next.ptr + off, v, n) == 0)))
		return 0;
	k = first_kind(r, r->next.ptr, r->next.len);
	if (k != NULL && k != r->kind)
		return cli_error(r->cli, EXIT_USAGE,
				 "the next tag '%s' would "
				 "be read as kind '%s', not '%s' (scope git "
				 "tries '%s' first)",
				 r->next.ptr, k->name, r->kind->name, k->name);
	return cli_error(r->cli, EXIT_USAGE,
			 "the next tag '%s' does not "
			 "read back as version '%.*s' of kind '%s'",
			 r->next.ptr, (int)n, v, r->kind->name);
}

/* ------------------------------------------------------------------ */
/* reporting                                                           */
/* ------------------------------------------------------------------ */

static const char *
bump_name(enum tp_bump b)
{
	switch (b) {
	case TP_BUMP_MAJOR: return "major";
	case TP_BUMP_MINOR: return "minor";
	case TP_BUMP_PATCH: return "patch";
	default: return "none";
	}
}

static void
explain_current(struct run *r)
{
	FILE *f = r->cli->err;
	char sid[TP_HISTORY_ID_SIZE];
	const char *rank = r->p->calver ? "latest" : "highest";
	size_t i;

	if (r->cur != NULL) {
		short_id(sid, r->cur->commit);
		fprintf(f,
			"current: %s at %s: the %s release of kind '%s' "
			"reachable from %s\n",
			r->cur->name, sid, rank, r->kind->name, r->rev_name);
	} else {
		fprintf(f,
			"current: none: no release of kind '%s' is "
			"reachable from %s\n",
			r->kind->name, r->rev_name);
	}
	if (r->nskips > 0)
		fprintf(f, "passed over:\n");
	for (i = 0; i < r->nskips; i++)
		fprintf(f, "  %s: %s\n", r->tags[r->skips[i].tag].name,
			r->skips[i].why);
}

static void
explain_commits(struct run *r)
{
	FILE *f = r->cli->err;
	const struct tp_history_commits *c = r->commits;
	const struct tp_bump_reason *rs;
	char sid[TP_HISTORY_ID_SIZE];
	size_t i;

	fprintf(f, "commits: %zu ", c->nr);
	if (r->comp != NULL) {
		fprintf(f, "of %zu ", c->total);
		fprintf(f, r->cur != NULL ? "since %s" : "in the history",
			r->cur != NULL ? r->cur->name : "");
		fprintf(f, " change the paths of component '%s' (",
			r->comp->name);
		for (i = 0; i < r->comp->npaths; i++)
			fprintf(f, "%s%s", i ? ", " : "", r->comp->paths[i]);
		fputc(')', f);
	} else if (r->cur != NULL) {
		fprintf(f, "since %s", r->cur->name);
	} else {
		fprintf(f, "in the history");
	}
	fprintf(f, "; %zu ask%s for a bump\n", r->res.nreasons,
		r->res.nreasons == 1 ? "s" : "");
	for (i = 0; i < r->res.nreasons; i++) {
		rs = &r->res.reasons[i];
		short_id(sid, c->commits[rs->index].id);
		fprintf(f, "  %s %-5s %s%s\n", sid, bump_name(rs->bump),
			c->commits[rs->index].summary,
			rs->cc.breaking ? " (breaking)" : "");
	}
}

static void
explain_result(struct run *r)
{
	FILE *f = r->cli->err;

	if (r->res.line != NULL)
		fprintf(f, "prerelease line: %s\n", r->res.line->tag);
	if (r->res.kind == TP_BUMP_KIND_INITIAL)
		fprintf(f, "bump: initial: %s%s\n",
			r->p->calver ? "the first release, dated today"
				     : "the first release is release.initial ",
			r->p->calver ? "" : r->p->initial);
	else
		fprintf(f, "bump: %s\n", tp_bump_kind_name(r->res.kind));
	fprintf(f, "next: %s\n", r->next.len ? r->next.ptr : "(none)");
}

static void
say_nothing(struct run *r)
{
	if (r->cli->quiet)
		return;
	/* with a line, only a prerelease finds nothing (auto promotes) */
	if (r->res.line != NULL)
		fprintf(r->cli->err,
			"nothing to release: no commit since '%s'%s\n",
			r->res.line->tag,
			r->cur != NULL ? "" : ", and no release yet");
	else if (r->cur != NULL)
		fprintf(r->cli->err,
			"nothing to release: no commit since "
			"'%s' asks for a release\n",
			r->cur->name);
	else
		fprintf(r->cli->err, "nothing to release\n");
}

static void
json_or_null(struct tp_json_w *w, const char *key, const char *s)
{
	tp_jw_key(w, key);
	tp_jw_str(w, s);
}

static int
put_json(struct tp_buf *out, struct run *r, int with_next)
{
	struct tp_json_w w;
	const struct tp_bump_reason *rs;
	const struct tp_history_commit *c;
	size_t i;

	tp_jw_init(&w, out, 0);
	tp_jw_obj_begin(&w);
	json_or_null(&w, "current", r->cur != NULL ? r->cur->name : NULL);
	json_or_null(&w, "current_version", r->cur_version);
	if (with_next) {
		json_or_null(&w, "next", r->next.len ? r->next.ptr : NULL);
		json_or_null(&w, "next_version",
			     r->res.next.len ? r->res.next.ptr : NULL);
		json_or_null(&w, "bump", tp_bump_kind_name(r->res.kind));
	}
	json_or_null(&w, "component", r->comp ? r->comp->name : NULL);
	if (with_next) {
		tp_jw_key(&w, "commits");
		tp_jw_int(&w, (long long)r->commits->nr);
		tp_jw_key(&w, "reasons");
		tp_jw_arr_begin(&w);
		for (i = 0; i < r->res.nreasons; i++) {
			rs = &r->res.reasons[i];
			c = &r->commits->commits[rs->index];
			tp_jw_obj_begin(&w);
			json_or_null(&w, "sha", c->id);
			tp_jw_key(&w, "subject");
			tp_jw_strn(&w, c->summary, c->summary_len);
			tp_jw_key(&w, "type");
			tp_jw_strn(&w, rs->cc.type, rs->cc.type_len);
			tp_jw_key(&w, "scope");
			if (rs->cc.scope != NULL)
				tp_jw_strn(&w, rs->cc.scope, rs->cc.scope_len);
			else
				tp_jw_null(&w);
			tp_jw_key(&w, "breaking");
			tp_jw_bool(&w, rs->cc.breaking);
			json_or_null(&w, "bump", bump_name(rs->bump));
			tp_jw_obj_end(&w);
		}
		tp_jw_arr_end(&w);
	}
	if (tp_jw_obj_end(&w) < 0 || tp_buf_putc(out, '\n') < 0)
		cli_oom();
	return 0;
}

static int
json_format(const struct next_opts *o)
{
	return o->format != NULL && strcmp(o->format, "json") == 0;
}

/* ------------------------------------------------------------------ */
/* --tag                                                               */
/* ------------------------------------------------------------------ */

static int
same_type(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (strlen(b) != alen)
		return 0;
	for (i = 0; i < alen; i++)
		if ((a[i] | 0x20) != (b[i] | 0x20))
			return 0;
	return 1;
}

/* The heading of a commit type's section in a tag message. */
static void
put_heading(struct tp_buf *b, const char *type)
{
	static const char *const titles[][2] = {
		{ "feat", "Features" },	       { "fix", "Fixes" },
		{ "perf", "Performance" },     { "revert", "Reverts" },
		{ "refactor", "Refactoring" }, { "docs", "Documentation" },
		{ "build", "Build" },	       { "deps", "Dependencies" },
		{ "security", "Security" }
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (same_type(type, strlen(type), titles[i][0])) {
			if (tp_buf_printf(b, "\n%s:\n", titles[i][1]) < 0)
				cli_oom();
			return;
		}
	rc = tp_buf_printf(b, "\n%c%s:\n",
			   type[0] >= 'a' && type[0] <= 'z' ? type[0] - 32
							    : type[0],
			   type + 1);
	if (rc < 0)
		cli_oom();
}

/*
 * One section: the breaking commits (type NULL), or the other commits of
 * `type`, each as "- <first line> (<short id>)".
 */
static void
put_section(struct tp_buf *b, const struct run *r, const char *type)
{
	const struct tp_bump_reason *rs;
	const struct tp_history_commit *c;
	char sid[TP_HISTORY_ID_SIZE];
	size_t i;
	int first = 1;

	for (i = 0; i < r->res.nreasons; i++) {
		rs = &r->res.reasons[i];
		if (type == NULL ? !rs->cc.breaking
				 : rs->cc.breaking ||
					   !same_type(rs->cc.type,
						      rs->cc.type_len, type))
			continue;
		if (first && type == NULL &&
		    tp_buf_puts(b, "\nBreaking changes:\n") < 0)
			cli_oom();
		else if (first && type != NULL)
			put_heading(b, type);
		first = 0;
		c = &r->commits->commits[rs->index];
		short_id(sid, c->id);
		if (tp_buf_printf(b, "- %s (%s)\n", c->summary, sid) < 0)
			cli_oom();
	}
}

/*
 * The tag message: the user's text (CRLF read as LF), then "Release TAG"
 * and the commits that asked for the release, by type, breaking ones
 * first; git's cleanup (tp_history_tag_create) trims the end.
 */
static void
build_message(struct tp_buf *b, const struct run *r)
{
	const struct tp_bump_map *m = &r->p->bump;
	const char *s = r->o->message;
	size_t i, j;
	int dup;

	for (; s != NULL && *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n') && tp_buf_putc(b, *s) < 0)
			cli_oom();
	while (b->len > 0 && strchr(" \t\n\r", b->ptr[b->len - 1]) != NULL)
		tp_buf_truncate(b, b->len - 1);
	if (b->len > 0 && tp_buf_puts(b, "\n\n") < 0)
		cli_oom();
	if (tp_buf_printf(b, "Release %s\n", r->next.ptr) < 0)
		cli_oom();
	put_section(b, r, NULL);
	for (i = 0; i < m->ntypes; i++) {
		for (dup = 0, j = 0; j < i && !dup; j++)
			dup = same_type(m->types[i].name,
					strlen(m->types[i].name),
					m->types[j].name);
		if (!dup)
			put_section(b, r, m->types[i].name);
	}
	if (tp_buf_printf(b, "\n%zu commit%s %s%s\n", r->commits->nr,
			  r->commits->nr == 1 ? "" : "s",
			  r->cur != NULL ? "since " : "in the history",
			  r->cur != NULL ? r->cur->name : "") < 0)
		cli_oom();
}

static void report(struct run *r, enum tp_level lvl, const char *rule,
		   int *blocked, const char *fmt, ...) TP_PRINTF(5, 6);

/* A hook rule the new tag would break: an error blocks, a warning not. */
static void
report(struct run *r, enum tp_level lvl, const char *rule, int *blocked,
       const char *fmt, ...)
{
	struct tp_buf b = TP_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		cli_oom();
	if (lvl == TP_LEVEL_ERROR) {
		cli_error(r->cli, 0, "tag '%s' (git): %s [%s]", r->next.ptr,
			  b.ptr, rule);
		*blocked = 1;
	} else if (lvl == TP_LEVEL_WARNING) {
		cli_warn(r->cli, "tag '%s' (git): %s [%s]", r->next.ptr, b.ptr,
			 rule);
	}
	tp_buf_release(&b);
}

/*
 * What the hook would say when the new tag is pushed (hook.h: its shape
 * in scope git with every tag rule, `immutable`, `monotonic`,
 * `release-branch`), asked of the hook module itself, so that --tag
 * refuses exactly what a push would.  The tag does not exist yet, so the
 * pushed object is its commit; `annotated` is left out, as the tag will
 * be annotated.
 */
static int
check_hook(struct run *r, int *blocked)
{
	static const char zero[] = "0000000000000000000000000000000000000000";
	struct tp_buf line = TP_BUF_INIT;
	struct tp_push_list *l = NULL;
	struct tp_hook_report *rep = NULL;
	const struct tp_hook_finding *f;
	size_t i;
	int rc = 0;

	if (tp_buf_printf(&line, "refs/tags/%s %s refs/tags/%s %s\n",
			  r->next.ptr, r->commit, r->next.ptr, zero) < 0)
		cli_oom();
	if (tp_prepush_parse(&l, line.ptr, line.len, &r->err) < 0 ||
	    tp_hook_check(&rep, r->p, r->h, l, &r->err) < 0) {
		rc = fail(r);
		goto done;
	}
	for (i = 0; i < rep->nfindings; i++) {
		f = &rep->findings[i];
		if (strcmp(f->rule, "annotated") == 0)
			continue;
		report(r, f->level, f->rule, blocked, "%s", f->message);
		if (f->hint != NULL &&
		    (f->level == TP_LEVEL_ERROR || !r->cli->quiet))
			cli_hint(r->cli, "%s", f->hint);
	}
done:
	tp_hook_report_free(rep);
	tp_push_list_free(l);
	tp_buf_release(&line);
	return rc;
}

static void
put_quoted(struct tp_buf *b, const char *s)
{
	int rc = tp_buf_putc(b, '\'');

	for (; rc == 0 && *s != '\0'; s++)
		rc = *s == '\'' ? tp_buf_puts(b, "'\\''") : tp_buf_putc(b, *s);
	if (rc < 0 || tp_buf_putc(b, '\'') < 0)
		cli_oom();
}

static int
create_tag(struct run *r)
{
	struct tp_buf msg = TP_BUF_INIT, cmd = TP_BUF_INIT;
	char id[TP_HISTORY_ID_SIZE];
	int blocked = 0, rc, e;

	e = tp_history_tag_exists(r->h, r->next.ptr, &r->err);
	if (e < 0)
		return fail(r);
	if (e == 1) {
		cli_error(r->cli, 0,
			  "tag '%s' already exists; tags are never moved",
			  r->next.ptr);
		return EXIT_NO;
	}
	if ((rc = check_hook(r, &blocked)) != 0)
		return rc;
	if (blocked) {
		cli_hint(r->cli,
			 "no tag was created: the hook would refuse "
			 "to push '%s'",
			 r->next.ptr);
		return EXIT_NO;
	}
	build_message(&msg, r);
	e = tp_history_wants_signed_tags(r->h, &r->err);
	if (e < 0) {
		rc = fail(r);
		goto done;
	}
	if (e == 1) {
		while (msg.len > 0 && msg.ptr[msg.len - 1] == '\n')
			tp_buf_truncate(&msg, msg.len - 1);
		if (tp_buf_puts(&cmd, "git tag -s -m ") < 0)
			cli_oom();
		put_quoted(&cmd, msg.ptr);
		if (tp_buf_printf(&cmd, " %s %s", r->next.ptr, r->commit) < 0)
			cli_oom();
		rc = cli_error(r->cli, EXIT_ENV,
			       "git is set to sign tags "
			       "(tag.gpgSign), and tagpolicy does not sign: "
			       "no tag was created");
		cli_hint(r->cli, "create the signed tag with git:");
		fprintf(r->cli->err, "%s\n", cmd.ptr);
		goto done;
	}
	if (tp_history_tag_create(id, r->h, r->next.ptr, r->commit, msg.ptr,
				  &r->err) < 0)
		rc = fail(r);
done:
	tp_buf_release(&msg);
	tp_buf_release(&cmd);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the commands                                                        */
/* ------------------------------------------------------------------ */

static void
run_init(struct run *r, struct cli *cli, const struct next_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->cli = cli;
	r->o = o;
	tp_error_init(&r->err);
	tp_bump_result_init(&r->res);
	tp_buf_init(&r->date, TP_BUF_MAX_DEFAULT);
	tp_buf_init(&r->next, TP_BUF_MAX_DEFAULT);
	tp_buf_init(&r->subj, TP_BUF_MAX_DEFAULT);
}

static void
run_release(struct run *r)
{
	size_t i;

	tp_bump_result_release(&r->res);
	for (i = 0; i < r->nbtags; i++)
		free(r->bver[i]);
	free(r->bver);
	free(r->btags);
	free(r->btag_index);
	free(r->bcommits);
	tp_history_commits_free(r->commits);
	tp_history_release_free(r->rel);
	free(r->ct);
	free(r->skips);
	free(r->cur_version);
	tp_buf_release(&r->date);
	tp_buf_release(&r->next);
	tp_buf_release(&r->subj);
	pcre2_match_data_free(r->md);
	tp_history_free(r->h);
	tp_policy_free(r->p);
}

int
cmd_current(struct cli *cli, int argc, char **argv)
{
	struct next_opts o;
	struct cli_strv ops = { NULL, 0 };
	struct tp_buf out = TP_BUF_INIT;
	struct run r;
	int rc;

	memset(&o, 0, sizeof(o));
	run_init(&r, cli, &o);
	rc = cli_parse(cli, argc, argv, &current_usage, &o, &ops);
	if (rc)
		goto done;
	if (ops.n > 0) {
		rc = cli_usage_error(cli, &current_usage,
				     "unexpected argument '%s'", ops.v[0]);
		goto done;
	}
	if ((rc = setup(&r)) != 0 || (rc = find_current(&r)) != 0)
		goto done;
	warn_shallow(&r);
	if (json_format(&o))
		put_json(&out, &r, 0);
	else if (r.cur != NULL && tp_buf_printf(&out, "%s\n", r.cur->name) < 0)
		cli_oom();
	if ((rc = cli_write_out(cli, &out)) != 0)
		goto done;
	if (r.cur == NULL) {
		rc = cli_error(cli, EXIT_NO,
			       "no release: no tag of kind '%s' "
			       "is reachable from %s",
			       r.kind->name, r.rev_name);
		cli_hint(cli, "'tagpolicy next' says what the first one would "
			      "be");
	}
done:
	tp_buf_release(&out);
	run_release(&r);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

int
cmd_next(struct cli *cli, int argc, char **argv)
{
	struct next_opts o;
	struct cli_strv ops = { NULL, 0 };
	struct tp_buf out = TP_BUF_INIT;
	enum tp_bump_req req = TP_BUMP_REQ_AUTO;
	struct run r;
	int rc;

	memset(&o, 0, sizeof(o));
	run_init(&r, cli, &o);
	rc = cli_parse(cli, argc, argv, &next_usage, &o, &ops);
	if (rc)
		goto done;
	if (ops.n > 1) {
		rc = cli_usage_error(cli, &next_usage,
				     "unexpected argument '%s'", ops.v[1]);
		goto done;
	}
	if (ops.n == 1 && tp_bump_req_parse(&req, ops.v[0], &r.err) < 0) {
		rc = cli_usage_error(cli, &next_usage, "%s", r.err.msg);
		goto done;
	}
	if (o.message != NULL && !o.tag) {
		rc = cli_usage_error(cli, &next_usage, "-m needs --tag");
		goto done;
	}
	if ((rc = setup(&r)) != 0 || (rc = find_current(&r)) != 0)
		goto done;
	warn_shallow(&r);
	if (o.explain)
		explain_current(&r);
	if ((rc = read_commits(&r)) != 0 || (rc = gather_tags(&r)) != 0 ||
	    (rc = compute(&r, req)) != 0 || (rc = render_next(&r)) != 0)
		goto done;
	if (o.explain) {
		explain_commits(&r);
		explain_result(&r);
	}
	if (r.res.kind == TP_BUMP_KIND_NONE) {
		say_nothing(&r);
		if (o.tag && !cli->quiet)
			fprintf(cli->err, "no tag was created\n");
	} else if (o.tag && (rc = create_tag(&r)) != 0) {
		goto done;
	}
	if (json_format(&o))
		put_json(&out, &r, 1);
	else if (r.next.len > 0 && tp_buf_printf(&out, "%s\n", r.next.ptr) < 0)
		cli_oom();
	if ((rc = cli_write_out(cli, &out)) != 0)
		goto done;
	if (r.res.kind == TP_BUMP_KIND_NONE && o.exit_code)
		rc = EXIT_NOTHING;
done:
	tp_buf_release(&out);
	run_release(&r);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
