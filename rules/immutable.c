/*
 * immutable: tags of these kinds are never moved or deleted.
 *
 * A push-time rule: the hook enforces it (src/lib/hook.c: a tag of these
 * kinds is never deleted, moved, or replaced by another tag object),
 * `next --tag` never moves a tag, and `prune` never selects these kinds.
 * Here only the option is checked: every name is a kind of the policy
 * (the loader fills in the default, the release kind and components).
 */
#include <string.h>

#include "rule.h"
#include "schema.h"

static int
configure(struct tp_rule_conf *conf, const struct tp_policy *p,
	  struct tp_error *err)
{
	struct tp_suggest sg;
	char hint[128];
	size_t i, k;

	for (i = 0; i < conf->nlist; i++) {
		if (tp_policy_kind(p, conf->list[i]) != NULL)
			continue;
		tp_suggest_init(&sg, conf->list[i], strlen(conf->list[i]));
		for (k = 0; k < p->nkinds; k++)
			tp_suggest_add(&sg, p->kinds[k].name);
		tp_suggest_text(hint, sizeof(hint), &sg);
		return tp_error_set(err, TP_EPOLICY, "unknown kind '%s'%s",
				    conf->list[i], hint);
	}
	return 0;
}

const struct tp_rule_desc tp_rule_immutable = {
	.id = "immutable",
	.summary = "tags of these kinds are never moved or deleted",
	.flags = TP_RULE_GIT | TP_RULE_HOOK,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_LIST,
	.opt_name = "kinds",
	.configure = configure,
};
