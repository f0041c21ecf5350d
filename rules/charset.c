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
 * The image tag grammar, [A-Za-z0-9_.-]{1,128} not starting with '-' or
 * '.' (this runs for every image tag; the engine has often looked at
 * the bytes already: tp_tagres.plain).  0 sends the tag to
 * tp_image_tag_check(), which says what is wrong (and decides, so this
 * only has to be right when it says 1).
 */
static int
plain_image_tag(const struct tp_tagres *t)
{
	if (t->tag_len == 0 || t->tag_len > TP_IMAGE_TAG_MAX ||
	    t->tag[0] == '-' || t->tag[0] == '.')
		return 0;
	return (t->plain && t->tag == t->text) ||
	       tp_image_tag_bytes(t->tag, t->tag_len);
}

/*
 * 0 when no suggestion can answer this rule's error in scope image: the
 * tag has a byte outside [A-Za-z0-9_.-], which no repair of
 * tp_lint_suggest() removes or changes (they change letters, '_' and
 * zeros, insert ".0.0" or a kind's start, drop a leading 'v'), so every
 * candidate fails here, at level error, and the search would find none.
 */
static int
repairable(const struct tp_rule_conf *conf, const struct tp_tagres *t)
{
	return tp_lint_level(conf, TP_SCOPE_IMAGE) != TP_LEVEL_ERROR ||
	       tp_image_tag_bytes(t->tag, t->tag_len);
}

/*
 * A candidate of a suggestion (tp_lint_probing) only has to fail: the
 * reason is worked out only when the tag's length may be all there is
 * to it (see length_covered).
 */
static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	char why[128];
	int quiet = tp_lint_probing(t);

	if (t->scope == TP_SCOPE_IMAGE) {
		if (plain_image_tag(t) ||
		    tp_image_tag_check(t->tag, t->tag_len,
				       quiet && t->tag_len <= TP_IMAGE_TAG_MAX
					       ? NULL
					       : why,
				       sizeof(why)))
			return;
		if (t->tag_len > TP_IMAGE_TAG_MAX &&
		    strncmp(why, "longer than", 11) == 0 &&
		    length_covered(tp_lint_policy(run)))
			return;
		if (quiet)
			tp_lint_report(run, t, conf, NULL, "is not valid");
		else
			tp_lint_report(run, t, conf,
				       repairable(conf, t)
					       ? tp_lint_suggest(run, t)
					       : NULL,
				       "is not a valid image tag: %s", why);
	} else {
		if (tp_git_tagname_check(t->tag, t->tag_len, quiet ? NULL : why,
					 sizeof(why)))
			return;
		if (quiet)
			tp_lint_report(run, t, conf, NULL, "is not valid");
		else
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
