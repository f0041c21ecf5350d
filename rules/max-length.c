/*
 * max-length: the tag is at most N characters long.
 */
#include "lint.h"
#include "rule.h"
#include "utf8.h"

/* Characters: code points when the tag is UTF-8, else bytes. */
static size_t
length(const char *s, size_t len)
{
	return tp_utf8_valid(s, len) ? tp_utf8_length(s, len) : len;
}

static int
configure(struct tp_rule_conf *conf, const struct tp_policy *p,
	  struct tp_error *err)
{
	(void)p;
	if (conf->num < 1)
		return tp_error_set(err, TP_EPOLICY,
				    "the maximum length must be at least 1, "
				    "not %ld",
				    conf->num);
	return 0;
}

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	size_t n;

	if (t->tag_len <= (size_t)conf->num)
		return;
	n = length(t->tag, t->tag_len);
	if (n > (size_t)conf->num)
		tp_lint_report(run, t, conf, NULL,
			       "is %zu characters long, more than %ld", n,
			       conf->num);
}

const struct tp_rule_desc tp_rule_max_length = {
	.id = "max-length",
	.summary = "the tag is at most N characters long",
	.flags = TP_RULE_TAG,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_INT,
	.opt_name = "maximum length",
	.default_num = 128,
	.configure = configure,
	.check_tag = check_tag,
};
