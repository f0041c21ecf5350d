/*
 * annotated: release tags are annotated tags.
 *
 * A release tag is a tag of the policy's release kind or of a component's
 * kind.  Needs the repository's answer (check --git, hooks: the pushed
 * object is a tag object or not); a tag whose type is unknown passes.
 */
#include "lint.h"
#include "rule.h"

static int
is_release_kind(const struct tp_policy *p, const struct tp_kind *k)
{
	return k != NULL && (k == p->release_kind || k->component != NULL);
}

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	if (t->annotated != 0 || !is_release_kind(tp_lint_policy(run), t->kind))
		return;
	tp_lint_report(run, t, conf, NULL,
		       "is a lightweight tag; release tags are annotated "
		       "(git tag -a)");
}

const struct tp_rule_desc tp_rule_annotated = {
	.id = "annotated",
	.summary = "release tags are annotated tags",
	.flags = TP_RULE_GIT | TP_RULE_HOOK,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
