/*
 * kind: the tag matches a kind of its scope.
 *
 * The engine does the matching (and reports a kind's field values that
 * fail their check); this hook explains a tag that matched nothing, with
 * the nearest kind and a repaired tag where one is clear, and enforces
 * `check --kind NAME`.
 */
#include <string.h>

#include "lint.h"
#include "rule.h"

static void
no_kind(struct tp_lint *run, struct tp_tagres *t,
	const struct tp_rule_conf *conf)
{
	const struct tp_policy *p = tp_lint_policy(run);
	const struct tp_lint_opts *o = tp_lint_options(run);
	const struct tp_kind *near, *want;
	const char *sugg, *list;
	size_t nk = p->nscope[t->scope];

	if (o->kind != NULL) {
		want = tp_policy_kind(p, o->kind);
		tp_lint_report(run, t, conf, tp_lint_suggest(run, t),
			       "does not match kind '%s' (%s)", o->kind,
			       want ? want->template : "?");
		return;
	}
	sugg = tp_lint_suggest(run, t);
	if (sugg != NULL) {
		tp_lint_report(run, t, conf, sugg,
			       "does not match any allowed kind");
		return;
	}
	near = tp_lint_nearest(run, t);
	if (near != NULL) {
		tp_lint_report(run, t, conf, NULL,
			       "does not match any allowed kind; the nearest "
			       "is '%s' (%s)",
			       near->name, near->template);
		return;
	}
	if (nk == 0) {
		tp_lint_report(run, t, conf, NULL,
			       "does not match any allowed kind: scope %s "
			       "allows none",
			       t->scope == TP_SCOPE_GIT ? "git" : "image");
		return;
	}
	/* the list is made once (NULL: out of memory, which is recorded) */
	list = tp_lint_kinds_list(run, t->scope);
	tp_lint_report(run, t, conf, NULL,
		       "does not match any allowed kind (%s)",
		       list != NULL ? list : "...");
}

/*
 * Called only for a tag that matched no kind, or under `--kind` (the
 * engine's lint_tag() skips the others, which this says nothing of).
 */
static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	const struct tp_lint_opts *o = tp_lint_options(run);

	if (t->kind == NULL)
		no_kind(run, t, conf);
	else if (o->kind != NULL && strcmp(t->kind->name, o->kind) != 0)
		tp_lint_report(run, t, conf, NULL, "is of kind '%s', not '%s'",
			       t->kind->name, o->kind);
}

const struct tp_rule_desc tp_rule_kind = {
	.id = "kind",
	.summary = "the tag matches a kind of its scope",
	.flags = TP_RULE_TAG | TP_RULE_ALWAYS_ON,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
