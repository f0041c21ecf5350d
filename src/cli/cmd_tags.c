/*
 * cmd_tags.c: `tagpolicy tags` renders the image tags a build of HEAD
 * publishes (product.md `tags`, policy.md "Publishing (`tags`)").
 *
 * This file gathers the facts -- the version (the release tag at HEAD,
 * --version, or what `next` computes), whether it is the latest release,
 * HEAD's commit and branch, the clock, --env -- and publish.c renders
 * them.  Every rendered tag is then linted in scope image, so a policy
 * whose publish list breaks its own image rules fails (exit 2) before
 * anything is printed.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "history.h"
#include "json.h"
#include "lint.h"
#include "publish.h"
#include "template.h"

struct tags_opts {
	const char *version;
	int next;
	const char *component;
	struct cli_strv images;
	const char *env;
	const char *format;
};

static const struct cli_opt options[] = {
	{ CLI_OPT_STRING, "version", 0, "V",
	  "publish version V (1.4.0, or a tag: v1.4.0)",
	  offsetof(struct tags_opts, version), NULL },
	{ CLI_OPT_FLAG, "next", 0, NULL,
	  "publish the version 'tagpolicy next' computes",
	  offsetof(struct tags_opts, next), NULL },
	{ CLI_OPT_STRING, "component", 0, "NAME",
	  "the component's release tag, not the release kind's",
	  offsetof(struct tags_opts, component), NULL },
	{ CLI_OPT_LIST, "image", 0, "NAME",
	  "print NAME:TAG references (repeatable)",
	  offsetof(struct tags_opts, images), NULL },
	{ CLI_OPT_STRING, "env", 0, "ENV", "the value of the {env} field",
	  offsetof(struct tags_opts, env), NULL },
	{ CLI_OPT_STRING, "format", 0, "FORMAT",
	  "lines (default), json, or docker (-t NAME:TAG)",
	  offsetof(struct tags_opts, format), "lines|json|docker" },
	CLI_OPT_END_MARK
};

static const struct cli_usage usage = {
	"tags",
	"tags [--version V | --next] [--component NAME] [--image NAME ...]\n"
	"     [--env ENV] [--format lines|json|docker]",
	"Prints the image tags that a build of HEAD publishes: the policy's\n"
	"publish templates rendered for the release tag at HEAD (or\n"
	"--version, or --next), HEAD's commit and branch and the build time\n"
	"(SOURCE_DATE_EPOCH when set).  Templates whose fields have no value\n"
	"for this build are skipped; 'latest' only for a release that no\n"
	"release tag exceeds.  Every tag is checked against scope image: a\n"
	"template that renders a tag the policy forbids is exit 2, and\n"
	"nothing is printed.  --format docker prints '-t IMAGE:TAG' lines\n"
	"for 'docker build' and needs --image.",
	options, 0
};

/* One run of `tags`. */
struct tags {
	struct cli *cli;
	const struct tags_opts *o;
	struct tp_error err;
	struct tp_policy *p;
	struct tp_history *h; /* NULL outside a repository */
	struct tp_error no_repo; /* why there is no repository */
	const struct tp_kind *kind; /* release or component kind, or NULL */
	int in_scope; /* kind is in scope git */
	pcre2_match_data *md;
	char *version; /* the version's text, or NULL: a branch build */
	struct tp_version v;
	char commit[TP_HISTORY_ID_SIZE];
	int has_commit;
	char *branch;
	struct tp_publish_build build;
	struct tp_publish_result res;
};

static int
fail(struct tags *r)
{
	return cli_fail(r->cli, &r->err);
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static const char *
env_get(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
}

/* ------------------------------------------------------------------ */
/* the policy's side                                                   */
/* ------------------------------------------------------------------ */

static int
pick_kind(struct tags *r)
{
	const struct tp_policy *p = r->p;
	struct tp_buf names = TP_BUF_INIT;
	size_t i;
	int rc;

	r->kind = p->release_kind;
	if (r->o->component != NULL) {
		r->kind = NULL;
		for (i = 0; i < p->ncomponents; i++)
			if (strcmp(p->components[i].name, r->o->component) == 0)
				r->kind = p->components[i].kind;
		if (r->kind == NULL) {
			for (i = 0; i < p->ncomponents; i++)
				if (tp_buf_printf(&names, "%s'%s'",
						  i ? ", " : "",
						  p->components[i].name) < 0)
					cli_oom();
			rc = cli_error(r->cli, EXIT_USAGE,
				       "unknown component '%s'",
				       r->o->component);
			if (p->ncomponents > 0)
				cli_hint(r->cli, "the policy's components: %s",
					 names.ptr);
			else
				cli_hint(r->cli,
					 "the policy (%s) has no components",
					 tp_policy_origin(p));
			tp_buf_release(&names);
			return rc;
		}
	}
	for (i = 0; r->kind != NULL && i < p->nscope[TP_SCOPE_GIT]; i++)
		if (p->scope[TP_SCOPE_GIT][i] == r->kind)
			r->in_scope = 1;
	return 0;
}

/* --env must be a value the policy's `env` field accepts. */
static int
check_env(struct tags *r)
{
	const struct tp_field *f;
	const char *env = r->o->env;
	struct tp_buf list = TP_BUF_INIT;
	pcre2_match_data *md;
	size_t i;
	int rc;

	if (env == NULL)
		return 0;
	f = tp_policy_field(r->p, "env");
	if (f == NULL)
		return cli_error(r->cli, EXIT_USAGE,
				 "--env: the policy (%s) has no field 'env'",
				 tp_policy_origin(r->p));
	if (f->type == TP_FIELD_VALUES) {
		for (i = 0; i < f->nvalues; i++)
			if (strcmp(f->values[i], env) == 0)
				return 0;
		for (i = 0; i < f->nvalues; i++)
			if (tp_buf_printf(&list, "%s%s", i ? ", " : "",
					  f->values[i]) < 0)
				cli_oom();
		rc = cli_error(r->cli, EXIT_USAGE,
			       "--env: '%s' is not one of the values of field "
			       "'env': %s",
			       env, list.ptr);
		tp_buf_release(&list);
		return rc;
	}
	if (f->type != TP_FIELD_PATTERN)
		return cli_error(r->cli, EXIT_USAGE,
				 "--env: field 'env' of the policy takes no "
				 "value from the command line (it is not a "
				 "'values' or 'pattern' field)");
	if (f->pattern_re == NULL)
		return 0;
	md = pcre2_match_data_create_from_pattern(f->pattern_re, NULL);
	if (md == NULL)
		cli_oom();
	rc = pcre2_match(f->pattern_re, (PCRE2_SPTR)env, strlen(env), 0, 0, md,
			 NULL);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 0;
	return cli_error(r->cli, EXIT_USAGE,
			 "--env: '%s' does not match the pattern '%s' of "
			 "field 'env'",
			 env, f->pattern);
}

/*
 * 1 when `name` is a tag of r->kind with a valid version, whose span goes
 * to *off and *len.  The first kind of scope git that matches decides
 * (v1.4.0-prod is an env tag, not a prerelease), unless r->kind is not in
 * scope git.
 */
static int
of_kind(struct tags *r, const char *name, size_t nlen, size_t *off, size_t *len)
{
	const struct tp_policy *p = r->p;
	const struct tp_kind *k;
	struct tp_version v;
	size_t i;
	int hit = 0;

	*off = *len = 0;
	if (r->kind == NULL)
		return 0;
	if (!r->in_scope) {
		hit = tp_kind_match(r->kind, name, nlen, r->md, "semver", off,
				    len) == 1;
	} else {
		for (i = 0; i < p->nscope[TP_SCOPE_GIT]; i++) {
			k = p->scope[TP_SCOPE_GIT][i];
			if (tp_kind_match(k, name, nlen, r->md,
					  k == r->kind ? "semver" : NULL, off,
					  len) == 1) {
				hit = k == r->kind;
				break;
			}
		}
	}
	return hit && *len > 0 &&
	       tp_version_parse(&v, name + *off, *len, NULL) == 0;
}

/* ------------------------------------------------------------------ */
/* the version                                                         */
/* ------------------------------------------------------------------ */

static void
set_version(struct tags *r, const char *s, size_t n)
{
	free(r->version);
	r->version = xstrndup(s, n);
	if (tp_version_parse(&r->v, r->version, n, NULL) < 0) {
		/* callers check first; a failure here is a bug */
		free(r->version);
		r->version = NULL;
	}
}

/* --version V: a bare version, or a tag of the release kind. */
static int
version_from_arg(struct tags *r)
{
	const char *s = r->o->version;
	struct tp_version v;
	struct tp_error perr;
	size_t off, len;

	tp_error_init(&perr);
	if (tp_version_parse(&v, s, strlen(s), &perr) == 0) {
		set_version(r, s, strlen(s));
		return 0;
	}
	if (of_kind(r, s, strlen(s), &off, &len)) {
		set_version(r, s + off, len);
		return 0;
	}
	if (r->kind == NULL)
		return cli_error(r->cli, EXIT_USAGE,
				 "--version: '%s' is not a version: %s", s,
				 perr.msg);
	cli_error(r->cli, EXIT_USAGE,
		  "--version: '%s' is neither a version (%s) nor a tag of "
		  "kind '%s' (%s)",
		  s, perr.msg, r->kind->name, r->kind->template);
	cli_hint(r->cli, "give a version such as 1.4.0");
	return EXIT_USAGE;
}

/*
 * --next: what `tagpolicy next` prints, computed by the next command
 * itself (its JSON read back from memory), so that both commands always
 * agree.  With nothing to release that is the current release; with no
 * release at all there is no version (a branch build).
 */
static int
version_from_next(struct tags *r)
{
	struct cli sub = *r->cli;
	struct tp_json *doc = NULL;
	const char *s;
	char *argv[6], *buf = NULL;
	size_t len = 0, n;
	int argc = 0, rc;
	FILE *f;

	if (r->p->calver) {
		cli_error(r->cli, EXIT_USAGE,
			  "--next: the policy's versions are dates "
			  "(bump.scheme calver), and tags renders SemVer "
			  "versions");
		cli_hint(r->cli, "a {date} template renders the build date "
				 "without --next");
		return EXIT_USAGE;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL)
		cli_oom();
	argv[argc++] = "next";
	argv[argc++] = "--format";
	argv[argc++] = "json";
	if (r->o->component != NULL) {
		argv[argc++] = "--component";
		argv[argc++] = (char *)(uintptr_t)r->o->component;
	}
	argv[argc] = NULL;
	sub.out = f;
	rc = cmd_next(&sub, argc, argv);
	if (fclose(f) != 0)
		cli_oom();
	if (rc != 0)
		goto done;
	if (tp_json_parse(&doc, buf, len, &r->err) < 0) {
		rc = fail(r);
		goto done;
	}
	s = tp_json_string(tp_json_get(doc, "next_version"), &n);
	if (s != NULL)
		set_version(r, s, n);
	if (s != NULL && r->version == NULL) {
		rc = cli_error(r->cli, EXIT_USAGE,
			       "'tagpolicy next' gave '%s', which is not a "
			       "SemVer version",
			       s);
		cli_hint(r->cli, "tags renders SemVer versions; give one "
				 "with --version");
	}
done:
	tp_json_free(doc);
	free(buf);
	return rc;
}

/* The release tag at HEAD: the highest of r->kind on HEAD's commit. */
static int
version_from_head(struct tags *r)
{
	const struct tp_history_tag *tags;
	struct tp_version v, best;
	size_t *at = NULL, nat, ntags, i, off, len, boff = 0, blen = 0;
	const char *bname = NULL;

	if (tp_history_tags(&tags, &ntags, r->h, &r->err) < 0 ||
	    tp_history_tags_at(&at, &nat, r->h, r->commit, &r->err) < 0)
		return fail(r);
	for (i = 0; i < nat; i++) {
		const struct tp_history_tag *t = &tags[at[i]];

		if (!of_kind(r, t->name, t->name_len, &off, &len))
			continue;
		tp_version_parse(&v, t->name + off, len, NULL);
		if (bname == NULL || tp_version_cmp(&v, &best) > 0) {
			best = v;
			bname = t->name;
			boff = off;
			blen = len;
		}
	}
	if (bname != NULL)
		set_version(r, bname + boff, blen);
	free(at);
	return 0;
}

/*
 * Sets r->build.latest: 1 unless a release (not a prerelease) of the kind
 * anywhere in the repository exceeds r->v.  0 or an exit status.
 */
static int
set_latest(struct tags *r)
{
	const struct tp_history_tag *tags;
	struct tp_version v;
	size_t n, i, off, len;

	if (tp_history_tags(&tags, &n, r->h, &r->err) < 0)
		return fail(r);
	r->build.latest = 1;
	for (i = 0; i < n && r->build.latest; i++) {
		if (!of_kind(r, tags[i].name, tags[i].name_len, &off, &len))
			continue;
		tp_version_parse(&v, tags[i].name + off, len, NULL);
		if (v.pre_len == 0 && tp_version_cmp(&v, &r->v) > 0)
			r->build.latest = 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the build's facts                                                   */
/* ------------------------------------------------------------------ */

static int
open_repo(struct tags *r)
{
	if (tp_history_open(&r->h, NULL, 0, &r->no_repo) == 0)
		return 0;
	/* --version needs no repository unless a template does */
	if (r->o->version != NULL && r->no_repo.code == TP_EGIT)
		return 0;
	return cli_fail(r->cli, &r->no_repo);
}

static int
gather(struct tags *r)
{
	const char *var = NULL;
	int rc;

	if (r->h != NULL) {
		rc = tp_history_head(r->commit, r->h, &r->err);
		if (rc == 0)
			r->has_commit = 1;
		else if (rc == TP_ENOTFOUND)
			tp_error_init(&r->err); /* no commit yet */
		else
			return fail(r);
		if (tp_history_branch(&r->branch, r->h, &r->err) < 0)
			return fail(r);
	}
	if (r->o->version != NULL)
		rc = version_from_arg(r);
	else if (r->o->next)
		rc = version_from_next(r);
	else if (r->has_commit)
		rc = version_from_head(r);
	else
		rc = 0;
	if (rc != 0)
		return rc;
	r->build.version = r->version != NULL ? &r->v : NULL;
	r->build.commit = r->has_commit ? r->commit : NULL;
	r->build.env = r->o->env;
	r->build.branch = r->branch;
	if (r->branch == NULL) {
		r->build.branch = tp_publish_env_branch(&var, env_get, NULL);
		if (var != NULL && r->cli->verbose)
			fprintf(r->cli->err, "branch '%s' from $%s\n",
				r->build.branch, var);
	}
	if (r->version != NULL && r->v.pre_len == 0 && r->h != NULL &&
	    (rc = set_latest(r)) != 0)
		return rc;
	if (tp_clock_now(&r->build.time, &r->err) < 0)
		return fail(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* rendering and checking                                              */
/* ------------------------------------------------------------------ */

/* Renders entry `e` alone: 1 with the tag in *tag (malloc'd), 0 if not. */
static int
render_one(const struct tp_publish *e, const struct tp_publish_build *b,
	   char **tag)
{
	struct tp_publish_result one = TP_PUBLISH_RESULT_INIT;
	int got = 0;

	*tag = NULL;
	if (tp_publish_render(&one, e, 1, b, NULL) == 0 && one.ntags == 1) {
		*tag = one.tags[0];
		one.tags[0] = NULL;
		got = 1;
	}
	tp_publish_result_release(&one);
	return got;
}

/* The first publish template that renders `tag` for this build. */
static const struct tp_publish *
source_of(struct tags *r, const char *tag)
{
	const struct tp_publish *e;
	char *s;
	size_t i;
	int same;

	for (i = 0; i < r->p->npublish; i++) {
		e = &r->p->publish[i];
		if (!render_one(e, &r->build, &s))
			continue;
		same = strcmp(s, tag) == 0;
		free(s);
		if (same)
			return e;
	}
	return NULL;
}

/* The literal template `latest`, as publish.c recognises it. */
static int
is_latest(const struct tp_publish *e)
{
	return e->npieces == 1 && e->pieces[0].field == NULL &&
	       e->pieces[0].len == 6 &&
	       memcmp(e->pieces[0].text, "latest", 6) == 0;
}

static int
needs_repo(const struct tp_publish *e)
{
	size_t i;

	if (is_latest(e))
		return 1;
	for (i = 0; i < e->npieces; i++)
		if (e->pieces[i].field != NULL &&
		    e->pieces[i].field->type == TP_FIELD_HEX)
			return 1;
	return 0;
}

/*
 * Outside a repository (--version only): a template that would render
 * with a commit, or `latest`, needs the repository's facts.
 */
static int
check_no_repo(struct tags *r)
{
	struct tp_publish_build b = r->build;
	const struct tp_publish *e;
	char *s;
	size_t i;

	b.commit = "0000000000000000000000000000000000000000";
	b.latest = 1;
	for (i = 0; i < r->p->npublish; i++) {
		e = &r->p->publish[i];
		if (!needs_repo(e) || !render_one(e, &b, &s))
			continue;
		free(s);
		cli_fail(r->cli, &r->no_repo);
		cli_hint(r->cli,
			 "publish template '%s' needs the repository (%s)",
			 e->template,
			 is_latest(e) ? "whether a greater release exists"
				      : "HEAD's commit");
		return EXIT_ENV;
	}
	return 0;
}

/* A rendered tag that breaks the policy in scope image: a policy error. */
static void
report_bad(struct tags *r, const struct tp_tagres *t, const struct tp_diag *d)
{
	const struct tp_publish *e = source_of(r, t->text);
	struct tp_error err;

	tp_error_init(&err);
	if (e != NULL && e->loc.file != NULL)
		tp_error_set_at(&err, TP_EPOLICY, e->loc.file, e->loc.line,
				e->loc.column,
				"publish template '%s' renders '%s', which "
				"breaks the policy in scope image: %s [%s]",
				e->template, t->text, d->message, d->rule);
	else
		tp_error_set(&err, TP_EPOLICY,
			     "publish template '%s' renders '%s', which breaks "
			     "the policy in scope image: %s [%s]",
			     e != NULL ? e->template : "?", t->text, d->message,
			     d->rule);
	if (d->suggestion != NULL)
		tp_error_hint(&err, "did you mean '%s'?", d->suggestion);
	cli_fail(r->cli, &err);
}

/* Every rendered tag, linted in scope image: errors fail, warnings say. */
static int
lint_tags(struct tags *r)
{
	struct tp_lint_opts lo = TP_LINT_OPTS_INIT;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	struct tp_lint *run = NULL;
	const struct tp_tagres *t;
	const struct tp_diag *d;
	size_t i;
	int rc = 0;

	lo.scope = TP_SCOPE_IMAGE;
	in.scope = TP_SCOPE_IMAGE;
	if (tp_lint_new(&run, r->p, &lo, &r->err) < 0) {
		rc = fail(r);
		goto done;
	}
	for (i = 0; i < r->res.ntags; i++) {
		in.text = r->res.tags[i];
		in.len = strlen(r->res.tags[i]);
		if (tp_lint_add(run, &in, &t, &r->err) < 0) {
			rc = fail(r);
			goto done;
		}
		for (d = t->diags; d != NULL; d = d->next) {
			if (d->level == TP_LEVEL_ERROR) {
				report_bad(r, t, d);
				rc = EXIT_USAGE;
			} else {
				cli_warn(r->cli, "tag '%s' (image): %s [%s]",
					 t->text, d->message, d->rule);
			}
		}
	}
done:
	tp_lint_free(run);
	return rc;
}

static int
render(struct tags *r)
{
	size_t i;

	if (tp_publish_render(&r->res, r->p->publish, r->p->npublish, &r->build,
			      &r->err) < 0)
		return fail(r);
	if (r->cli->verbose)
		for (i = 0; i < r->res.nskipped; i++)
			fprintf(r->cli->err, "skipped '%s': %s\n",
				r->res.skipped[i].template,
				r->res.skipped[i].reason);
	return lint_tags(r);
}

/* ------------------------------------------------------------------ */
/* the command                                                         */
/* ------------------------------------------------------------------ */

static enum tp_publish_fmt
format_of(const char *s)
{
	if (s != NULL && strcmp(s, "json") == 0)
		return TP_PUBLISH_JSON;
	if (s != NULL && strcmp(s, "docker") == 0)
		return TP_PUBLISH_DOCKER;
	return TP_PUBLISH_LINES;
}

static int
check_usage(struct tags *r, const struct cli_strv *ops)
{
	const struct tags_opts *o = r->o;
	size_t i;

	if (ops->n > 0)
		return cli_usage_error(r->cli, &usage,
				       "unexpected argument '%s'", ops->v[0]);
	if (o->version != NULL && o->next)
		return cli_usage_error(r->cli, &usage,
				       "--version and --next exclude each "
				       "other");
	if (format_of(o->format) == TP_PUBLISH_DOCKER && o->images.n == 0)
		return cli_usage_error(r->cli, &usage,
				       "--format docker needs --image NAME");
	for (i = 0; i < o->images.n; i++)
		if (tp_publish_image_check(o->images.v[i], &r->err) < 0)
			return fail(r);
	if (o->env != NULL && *o->env == '\0')
		return cli_usage_error(r->cli, &usage, "--env: empty value");
	return 0;
}

int
cmd_tags(struct cli *cli, int argc, char **argv)
{
	struct tags_opts o;
	struct cli_strv ops = { NULL, 0 };
	struct tp_buf out = TP_BUF_INIT;
	struct tags r;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.o = &o;
	tp_error_init(&r.err);
	tp_error_init(&r.no_repo);
	r.res = (struct tp_publish_result)TP_PUBLISH_RESULT_INIT;
	rc = cli_parse(cli, argc, argv, &usage, &o, &ops);
	if (rc)
		goto done;
	if ((rc = check_usage(&r, &ops)) != 0 ||
	    (rc = cli_load_policy(cli, &r.p)) != 0 ||
	    (rc = pick_kind(&r)) != 0 || (rc = check_env(&r)) != 0)
		goto done;
	r.md = tp_policy_match_data(r.p);
	if (r.md == NULL)
		cli_oom();
	if ((rc = open_repo(&r)) != 0 || (rc = gather(&r)) != 0)
		goto done;
	if (r.h == NULL && (rc = check_no_repo(&r)) != 0)
		goto done;
	if ((rc = render(&r)) != 0)
		goto done;
	if (tp_publish_write(&out, &r.res, (const char *const *)o.images.v,
			     o.images.n, format_of(o.format), &r.err) < 0) {
		rc = fail(&r);
		goto done;
	}
	rc = cli_write_out(cli, &out);
done:
	tp_buf_release(&out);
	tp_publish_result_release(&r.res);
	free(r.version);
	free(r.branch);
	pcre2_match_data_free(r.md);
	tp_history_free(r.h);
	tp_policy_free(r.p);
	free(o.images.v);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
