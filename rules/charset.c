/*
 * charset: the tag uses only the characters its scope allows (OCI tag
 * grammar; git ref-name rules).
 */
#include <string.h>

#include "lint.h"
#include "imageref.h"
#include "refname.h"
#include "rule.h"

/*
 * 1 when max-length already reports an over-long image tag as an error:
 * then the grammar's 128-character limit is not said twice.
 */
static int
length_covered(const struct tp_policy *p)
{
	const struct tp_rule_conf *m = tp_policy_rule(p, "max-length");

	return m != NULL && m->level[TP_SCOPE_IMAGE] == TP_LEVEL_ERROR &&
	       m->num <= TP_IMAGE_TAG_MAX;
}

/*
 * The image tag grammar, [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, tested a
 * byte at a time against two 64-bit masks: the common case of a valid tag
 * costs a few instructions a byte.  0 sends the tag to
 * tp_image_tag_check(), which says what is wrong (and decides, so this
 * only has to be right when it says 1).
 */
static int
plain_image_tag(const char *s, size_t len)
{
	/* '-' '.' '0'-'9' */
	const uint64_t lo = UINT64_C(0x03ff600000000000);
	/* 'A'-'Z' '_' 'a'-'z' */
	const uint64_t hi = UINT64_C(0x07fffffe87fffffe);
	unsigned char c;
	size_t i;

	if (len == 0 || len > TP_IMAGE_TAG_MAX || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 128 || !(((c < 64 ? lo : hi) >> (c & 63)) & 1))
			return 0;
	}
	return 1;
}

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	char why[128];

	if (t->scope == TP_SCOPE_IMAGE) {
		if (plain_image_tag(t->tag, t->tag_len) ||
		    tp_image_tag_check(t->tag, t->tag_len, why, sizeof(why)))
			return;
		if (strncmp(why, "longer than", 11) == 0 &&
		    length_covered(tp_lint_policy(run)))
			return;
		tp_lint_report(run, t, conf, tp_lint_suggest(run, t),
			       "is not a valid image tag: %s", why);
	} else {
		if (tp_git_tagname_check(t->tag, t->tag_len, why, sizeof(why)))
			return;
		tp_lint_report(run, t, conf, tp_lint_suggest(run, t),
			       "is not a valid git tag name: %s", why);
	}
}

const struct tp_rule_desc tp_rule_charset = {
	.id = "charset",
	.summary = "the tag uses only the characters its scope allows "
		   "(OCI tag grammar; git ref-name rules)",
	.flags = TP_RULE_TAG,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
