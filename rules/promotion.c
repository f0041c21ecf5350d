/*
 * promotion: an environment tag sits on a commit that already carries the
 * version with the environment before it.
 *
 * The option lists the environments in promotion order ([dev, staging,
 * prod]).  A tag's environment is its first `values` field whose value is
 * in the list; a tag at position i > 0 needs, on the same commit, a tag of
 * the same kind with every other field equal and the environment i - 1:
 * v1.4.0-prod needs v1.4.0-staging.  Needs the commits tags point at
 * (check --git, hooks).  The finding belongs to the tag, so it fails it.
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rule.h"

struct elig {
	struct tp_tagres *t;
	size_t kind;
	size_t env; /* index of the environment field in t->fields */
	size_t pos; /* its value's position in the list */
};

static int
configure(struct tp_rule_conf *conf, const struct tp_policy *p,
	  struct tp_error *err)
{
	(void)p;
	if (conf->nlist < 2 && (conf->level[TP_SCOPE_GIT] != TP_LEVEL_OFF ||
				conf->level[TP_SCOPE_IMAGE] != TP_LEVEL_OFF))
		return tp_error_set(err, TP_EPOLICY,
				    "expected at least two environments, in "
				    "promotion order ([dev, staging, prod])");
	return 0;
}

static int
by_commit(const void *pa, const void *pb)
{
	const struct elig *a = pa, *b = pb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = strcmp(a->t->commit, b->t->commit);
	if (c != 0)
		return c;
	return a->t->index < b->t->index ? -1 : a->t->index > b->t->index;
}

/* Finds the environment field; 0 when the tag has none. */
static int
find_env(const struct tp_rule_conf *conf, struct elig *e)
{
	const struct tp_tagres *t = e->t;
	const struct tp_fieldval *f;
	size_t i, j;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (f->field->type != TP_FIELD_VALUES)
			continue;
		for (j = 0; j < conf->nlist; j++)
			if (strlen(conf->list[j]) == f->len &&
			    memcmp(conf->list[j], t->tag + f->off, f->len) ==
				    0) {
				e->env = i;
				e->pos = j;
				return 1;
			}
	}
	return 0;
}

/* 1 when `u` is `e`'s tag one environment earlier. */
static int
is_before(const struct tp_rule_conf *conf, const struct elig *e,
	  const struct tp_tagres *u)
{
	const struct tp_tagres *t = e->t;
	const struct tp_fieldval *a, *b;
	const char *want = conf->list[e->pos - 1];
	size_t i;

	if (u->nfields != t->nfields)
		return 0;
	for (i = 0; i < t->nfields; i++) {
		a = &t->fields[i];
		b = &u->fields[i];
		if (i == e->env) {
			if (b->len != strlen(want) ||
			    memcmp(u->tag + b->off, want, b->len) != 0)
				return 0;
		} else if (a->len != b->len ||
			   memcmp(t->tag + a->off, u->tag + b->off, a->len) !=
				   0) {
			return 0;
		}
	}
	return 1;
}

static void
report(struct tp_lint *run, const struct tp_rule_conf *conf,
       const struct elig *e)
{
	struct tp_tagres *t = e->t;
	const struct tp_fieldval *f = &t->fields[e->env];
	struct tp_buf want = TP_BUF_INIT;

	if (tp_buf_put(&want, t->tag, f->off) < 0 ||
	    tp_buf_puts(&want, conf->list[e->pos - 1]) < 0 ||
	    tp_buf_put(&want, t->tag + f->off + f->len,
		       t->tag_len - f->off - f->len) < 0)
		tp_lint_fail(run, TP_ENOMEM);
	else
		tp_lint_report(run, t, conf, NULL,
			       "sits on commit %.12s, which does not carry "
			       "'%s' (%s comes before %s)",
			       t->commit, want.ptr, conf->list[e->pos - 1],
			       conf->list[e->pos]);
	tp_buf_release(&want);
}

static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	struct elig *el;
	struct tp_tagres *t;
	size_t count = tp_lint_count(run), n = 0, i, j, g, end;

	if (conf->nlist < 2)
		return;
	el = malloc((count ? count : 1) * sizeof(*el));
	if (el == NULL) {
		tp_lint_fail(run, TP_ENOMEM);
		return;
	}
	for (i = 0; i < count; i++) {
		t = tp_lint_at(run, i);
		if (t->commit == NULL || t->kind == NULL || !t->fields_ok)
			continue;
		el[n].t = t;
		el[n].kind = tp_lint_kind_index(run, t->kind);
		if (find_env(conf, &el[n]))
			n++;
	}
	qsort(el, n, sizeof(*el), by_commit);
	for (g = 0; g < n; g = end) {
		for (end = g + 1;
		     end < n && el[end].kind == el[g].kind &&
		     strcmp(el[end].t->commit, el[g].t->commit) == 0;
		     end++)
			;
		for (i = g; i < end; i++) {
			if (el[i].pos == 0 ||
			    tp_lint_level(conf, el[i].t->scope) == TP_LEVEL_OFF)
				continue;
			for (j = g; j < end; j++)
				if (j != i && is_before(conf, &el[i], el[j].t))
					break;
			if (j == end)
				report(run, conf, &el[i]);
		}
	}
	free(el);
}

const struct tp_rule_desc tp_rule_promotion = {
	.id = "promotion",
	.summary = "an environment tag sits on a commit that already carries "
		   "the version with the environment before it",
	.flags = TP_RULE_GIT,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_LIST,
	.opt_name = "environments",
	.configure = configure,
	.check_set = check_set,
};
