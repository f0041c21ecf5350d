/*
 * one-version-per-commit: one commit carries at most one release of a
 * kind.
 *
 * Releases are tags with a version and no prerelease; two tags of one
 * kind with different versions on one commit are reported together (the
 * same version twice, as v1.4.0-staging and v1.4.0-prod, is fine).
 * Needs the commits tags point at (check --git).
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rule.h"

struct elig {
	const struct tp_tagres *t;
	size_t kind;
};

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
	c = tp_version_cmp(&a->t->version, &b->t->version);
	if (c != 0)
		return c;
	return a->t->index < b->t->index ? -1 : a->t->index > b->t->index;
}

static int
by_index(const void *pa, const void *pb)
{
	const struct tp_tagres *a = *(const struct tp_tagres *const *)pa;
	const struct tp_tagres *b = *(const struct tp_tagres *const *)pb;

	return a->index < b->index ? -1 : a->index > b->index;
}

static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_keyed *kd;
	struct elig *el = NULL;
	const struct tp_tagres **group = NULL, *t;
	size_t count, n = 0, i, j, k, versions;

	kd = tp_lint_keyed(run, &count);
	el = malloc((count ? count : 1) * sizeof(*el));
	group = malloc((count ? count : 1) * sizeof(*group));
	if (el == NULL || group == NULL) {
		tp_lint_fail(run, TP_ENOMEM);
		goto done;
	}
	for (i = 0; i < count; i++) {
		/* a run that keeps no results (streaming) has no commits */
		t = tp_lint_at(run, kd[i].index);
		if (t == NULL || t->commit == NULL || !t->has_version ||
		    t->version.pre_len > 0 ||
		    tp_lint_level(conf, t->scope) == TP_LEVEL_OFF)
			continue;
		el[n].t = t;
		el[n++].kind = tp_lint_kind_index(run, t->kind);
	}
	qsort(el, n, sizeof(*el), by_commit);
	for (i = 0; i < n; i = j) {
		versions = 1;
		for (j = i + 1; j < n && el[j].kind == el[i].kind &&
				strcmp(el[j].t->commit, el[i].t->commit) == 0;
		     j++)
			versions += tp_version_cmp(&el[j - 1].t->version,
						   &el[j].t->version) != 0;
		if (versions < 2)
			continue;
		for (k = i; k < j; k++)
			group[k - i] = el[k].t;
		qsort(group, j - i, sizeof(*group), by_index);
		tp_lint_report_set(run, conf, el[i].t->scope, group, j - i,
				   "put %zu different releases of kind '%s' "
				   "on one commit %.12s",
				   versions, el[i].t->kind->name,
				   el[i].t->commit);
	}
done:
	free(el);
	free(group);
}

const struct tp_rule_desc tp_rule_one_version_per_commit = {
	.id = "one-version-per-commit",
	.summary = "one commit carries at most one release of a kind",
	.flags = TP_RULE_SET | TP_RULE_GIT,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_WARNING,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_WARNING },
	.opt = TP_ROPT_NONE,
	.check_set = check_set,
};
