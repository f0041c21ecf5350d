/*
 * lowercase: the tag has no upper-case letters.
 */
#include <string.h>

#include "lint.h"
#include "rule.h"

static int
has_upper(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	const char *sugg;

	if (!has_upper(t->tag, t->tag_len))
		return;
	/* only a repair that is lower-case answers this problem */
	sugg = tp_lint_suggest(run, t);
	if (sugg != NULL && has_upper(sugg, strlen(sugg)))
		sugg = NULL;
	tp_lint_report(run, t, conf, sugg, "has upper-case letters");
}

const struct tp_rule_desc tp_rule_lowercase = {
	.id = "lowercase",
	.summary = "the tag has no upper-case letters",
	.flags = TP_RULE_TAG,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
