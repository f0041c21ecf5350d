/*
 * monotonic: a new release is greater than every release tag in its own history.
 *
 * A push-time rule with no check here: it needs the history.  The hook
 * (src/lib/hook.c) compares a pushed release tag with the tags of its kind
 * in the history of its commit, prereleases included; `next --tag` does
 * the same before it creates a tag.
 */
#include "rule.h"

const struct tp_rule_desc tp_rule_monotonic = {
	.id = "monotonic",
	.summary = "a new release is greater than every release tag in its own history",
	.flags = TP_RULE_GIT | TP_RULE_HOOK,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_NONE,
};
