/*
 * cmd_prune.c: `tagpolicy prune` plans which existing tags the policy's
 * retention rules would delete (product.md `prune`, policy.md "Retention
 * (`prune`)").  It reads the tags (an input list, or the repository's
 * tags with --git), classifies them with a lint run in the scope they
 * belong to, and prints retention.c's plan.  It never deletes anything.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "history.h"
#include "json.h"
#include "lint.h"
#include "listin.h"
#include "retention.h"

struct prune_opts {
	const char *format;
	int git;
	int from_stdin;
};

static const struct cli_opt options[] = {
	{ CLI_OPT_FLAG, "git", 0, NULL,
	  "plan for the repository's tags (scope git)",
	  offsetof(struct prune_opts, git), NULL },
	{ CLI_OPT_FLAG, "stdin", 0, NULL,
	  "read the tags from standard input (as '-')",
	  offsetof(struct prune_opts, from_stdin), NULL },
	{ CLI_OPT_STRING, "format", 0, "FORMAT", "text (default) or json",
	  offsetof(struct prune_opts, format), "text|json" },
	CLI_OPT_END_MARK
};

static const struct cli_usage usage = {
	"prune",
	"prune [--format text|json] -\n"
	"prune [--format text|json] --git",
	"Prints the existing tags that the policy's retention rules would\n"
	"delete, one a line.  '-' (or no argument) reads the tags of an\n"
	"image from standard input (scope image): one tag a line, or a\n"
	"registry's JSON listing such as 'skopeo list-tags' prints.  --git\n"
	"plans for the repository's tags (scope git).  Tags of kinds that\n"
	"retention does not name, tags that match no kind and kinds\n"
	"protected by rule 'immutable' are always kept.  Nothing is deleted:\n"
	"pass the list to your registry's tools.  --format json also lists\n"
	"the kept tags, with the reason.",
	options, 0
};

/* One run: the tags read, their classification and the plan. */
struct prune {
	struct cli *cli;
	struct tp_error err;
	struct tp_policy *p;
	struct tp_lint *run;
	struct tp_history *h;
	struct tp_list *list;
	enum tp_scope scope;
	const struct tp_tagres **t;
	int64_t *times; /* --git: each tag's date, for keep-within */
	size_t n;
	struct tp_retention_plan plan;
};

static int
fail(struct prune *r)
{
	return cli_fail(r->cli, &r->err);
}

static int
add(struct prune *r, const struct tp_lint_input *in)
{
	if (tp_lint_add(r->run, in, NULL, &r->err) < 0)
		return fail(r);
	return 0;
}

static int
read_stdin(struct prune *r)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	size_t i;
	int rc = 0;

	if (tp_list_read_fd(&r->list, 0, "-", &r->err) < 0)
		return fail(r);
	if (r->list->partial)
		cli_warn(r->cli, "the listing says more pages follow; only the "
				 "tags of the first page are planned for");
	in.scope = TP_SCOPE_IMAGE;
	for (i = 0; i < r->list->n && rc == 0; i++) {
		in.text = r->list->items[i].text;
		in.len = r->list->items[i].len;
		in.line = r->list->items[i].line;
		in.problem = r->list->items[i].problem;
		rc = add(r, &in);
	}
	return rc;
}

static int
read_git(struct prune *r)
{
	const struct tp_history_tag *tags;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	size_t n, i;
	int rc = 0;

	if (tp_history_open(&r->h, NULL, 0, &r->err) < 0 ||
	    tp_history_tags(&tags, &n, r->h, &r->err) < 0)
		return fail(r);
	in.scope = TP_SCOPE_GIT;
	for (i = 0; i < n && rc == 0; i++) {
		in.text = tags[i].name;
		in.len = tags[i].name_len;
		in.commit = tags[i].commit[0] ? tags[i].commit : NULL;
		in.annotated = tags[i].annotated;
		rc = add(r, &in);
	}
	return rc;
}

/* 1 when keep-within decides for kind `k` and its tags carry no date. */
static int
needs_time(const struct tp_policy *p, const struct tp_kind *k)
{
	size_t i;

	if (k == NULL || k->has_date)
		return 0;
	for (i = 0; i < p->nretention; i++)
		if (p->retention[i].kind == k)
			return p->retention[i].keep_within >= 0;
	return 0;
}

/*
 * --git: the date of a tag whose kind has no date field is the tagger's
 * date of an annotated tag, else its commit's date.  Read only where
 * keep-within needs it: reading every tagged commit costs.
 */
static int
tag_times(struct prune *r)
{
	const struct tp_history_tag *tags;
	size_t n, i;

	if (tp_history_tags(&tags, &n, r->h, &r->err) < 0)
		return fail(r);
	r->times = xmalloc((r->n + 1) * sizeof(*r->times));
	for (i = 0; i < r->n; i++) {
		r->times[i] = TP_RETENTION_NO_TIME;
		if (!needs_time(r->p, r->t[i]->kind))
			continue;
		if (tags[i].annotated && tags[i].tag_time != 0)
			r->times[i] = tags[i].tag_time;
		else if (tags[i].target == TP_TARGET_COMMIT &&
			 tp_history_commit_time(&r->times[i], r->h,
						tags[i].commit, &r->err) < 0)
			return fail(r);
	}
	return 0;
}

/* Retention entries that can never select anything say so. */
static void
warn_protected(struct prune *r)
{
	const struct tp_retention *e;
	size_t i;

	for (i = 0; i < r->p->nretention; i++) {
		e = &r->p->retention[i];
		if (tp_retention_protected(r->p, r->scope, e->kind))
			cli_warn(r->cli,
				 "retention of kind '%s' is ignored: rule "
				 "'immutable' protects it",
				 e->kind->name);
	}
}

static void
put_text(struct tp_buf *out, const struct tp_retention_plan *plan)
{
	const struct tp_tagres *t;
	size_t i;

	for (i = 0; i < plan->ndel; i++) {
		t = plan->del[i].tag;
		if (tp_buf_put(out, t->text, t->len) < 0 ||
		    tp_buf_putc(out, '\n') < 0)
			cli_oom();
	}
}

static void
put_verdicts(struct tp_json_w *w, const char *name, const char *what,
	     const struct tp_retention_verdict *v, size_t n)
{
	size_t i;

	tp_jw_key(w, name);
	tp_jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		tp_jw_obj_begin(w);
		tp_jw_key(w, "tag");
		tp_jw_strn(w, v[i].tag->text, v[i].tag->len);
		tp_jw_key(w, "kind");
		tp_jw_str(w, v[i].tag->kind ? v[i].tag->kind->name : NULL);
		tp_jw_key(w, what);
		tp_jw_str(w, v[i].text);
		tp_jw_obj_end(w);
	}
	tp_jw_arr_end(w);
}

static void
put_json(struct tp_buf *out, const struct tp_retention_plan *plan)
{
	struct tp_json_w w;

	tp_jw_init(&w, out, 0);
	tp_jw_obj_begin(&w);
	put_verdicts(&w, "delete", "rule", plan->del, plan->ndel);
	put_verdicts(&w, "keep", "reason", plan->keep, plan->nkeep);
	if (tp_jw_obj_end(&w) < 0 || tp_buf_putc(out, '\n') < 0)
		cli_oom();
}

static int
check_usage(struct cli *cli, const struct prune_opts *o,
	    const struct cli_strv *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (strcmp(ops->v[i], "-") != 0)
			return cli_usage_error(cli, &usage,
					       "unexpected argument '%s' (the "
					       "tags come from standard input "
					       "or --git)",
					       ops->v[i]);
	if (ops->n > 1 || (ops->n == 1 && o->from_stdin))
		return cli_usage_error(cli, &usage,
				       "standard input can be read only once");
	if (o->git && (ops->n > 0 || o->from_stdin))
		return cli_usage_error(cli, &usage,
				       "--git plans for the repository's "
				       "tags; it reads no standard input");
	if (!o->git && ops->n == 0 && !o->from_stdin && isatty(0))
		return cli_usage_error(cli, &usage,
				       "no tags given (pipe them in and use "
				       "'-', or use --git)");
	return 0;
}

static int
plan(struct prune *r, const struct prune_opts *o)
{
	struct tp_lint_opts lo = TP_LINT_OPTS_INIT;
	int64_t now;
	size_t i;
	int rc;

	if ((rc = cli_load_policy(r->cli, &r->p)) != 0)
		return rc;
	/* a registry's list may hold thousands of tags */
	tp_policy_jit(r->p);
	if (tp_clock_now(&now, &r->err) < 0)
		return fail(r);
	r->scope = o->git ? TP_SCOPE_GIT : TP_SCOPE_IMAGE;
	lo.scope = (int)r->scope;
	if (tp_lint_new(&r->run, r->p, &lo, &r->err) < 0)
		return fail(r);
	rc = o->git ? read_git(r) : read_stdin(r);
	if (rc != 0)
		return rc;
	r->n = tp_lint_count(r->run);
	r->t = xmalloc((r->n + 1) * sizeof(*r->t));
	for (i = 0; i < r->n; i++)
		r->t[i] = tp_lint_at(r->run, i);
	if (o->git && (rc = tag_times(r)) != 0)
		return rc;
	warn_protected(r);
	if (tp_retention_apply(&r->plan, r->p, r->scope, r->t, r->times, r->n,
			       now, &r->err) < 0)
		return fail(r);
	return 0;
}

int
cmd_prune(struct cli *cli, int argc, char **argv)
{
	struct prune_opts o = { NULL, 0, 0 };
	struct cli_strv ops = { NULL, 0 };
	struct tp_buf out = TP_BUF_INIT;
	struct prune r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	tp_error_init(&r.err);
	rc = cli_parse(cli, argc, argv, &usage, &o, &ops);
	if (rc)
		goto done;
	if ((rc = check_usage(cli, &o, &ops)) != 0 || (rc = plan(&r, &o)) != 0)
		goto done;
	if (o.format != NULL && strcmp(o.format, "json") == 0)
		put_json(&out, &r.plan);
	else
		put_text(&out, &r.plan);
	rc = cli_write_out(cli, &out);
done:
	tp_buf_release(&out);
	tp_retention_plan_release(&r.plan);
	free(r.times);
	free(r.t);
	tp_lint_free(r.run);
	tp_list_free(r.list);
	tp_history_free(r.h);
	tp_policy_free(r.p);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
