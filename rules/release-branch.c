/*
 * release-branch: release tags sit on commits of these branches.
 *
 * A push-time rule with no check here: the hook (src/lib/hook.c) looks
 * for the commit in the history of the branches named (fnmatch patterns;
 * local, remote-tracking, or pushed together with the tag), as does `next
 * --tag`.
 */
#include "rule.h"

const struct tp_rule_desc tp_rule_release_branch = {
	.id = "release-branch",
	.summary = "release tags sit on commits of these branches",
	.flags = TP_RULE_GIT | TP_RULE_HOOK,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_LIST,
	.opt_name = "branches",
};
