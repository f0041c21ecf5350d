/*
 * prerelease-ids: a prerelease starts with one of the allowed identifiers.
 */
#include <string.h>

#include "lint.h"
#include "rule.h"

static int
configure(struct tp_rule_conf *conf, const struct tp_policy *p,
	  struct tp_error *err)
{
	const char *s;
	size_t i, j;

	(void)p;
	for (i = 0; i < conf->nlist; i++) {
		s = conf->list[i];
		for (j = 0; s[j] != '\0'; j++)
			if (!((s[j] >= '0' && s[j] <= '9') ||
			      (s[j] >= 'a' && s[j] <= 'z') ||
			      (s[j] >= 'A' && s[j] <= 'Z') || s[j] == '-' ||
			      s[j] == '.'))
				break;
		if (j == 0 || s[j] != '\0')
			return tp_error_set(err, TP_EPOLICY,
					    "'%s' is not a prerelease "
					    "identifier",
					    s);
	}
	return 0;
}

static int
allowed(const struct tp_rule_conf *conf, const char *id, size_t len)
{
	size_t i, n;

	for (i = 0; i < conf->nlist; i++) {
		n = strlen(conf->list[i]);
		/* an entry may span identifiers ("beta.x") */
		if (n <= len && memcmp(conf->list[i], id, n) == 0 &&
		    (n == len || id[n] == '.'))
			return 1;
	}
	return 0;
}

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	const struct tp_version *v = &t->version;
	const char *pre = v->str + v->pre_off;
	struct tp_buf list = TP_BUF_INIT;
	size_t i;
	int error = 0;

	if (!t->has_version || v->pre_len == 0 ||
	    allowed(conf, pre, v->pre_len))
		return;
	if (conf->nlist == 0) {
		tp_lint_report(run, t, conf, NULL,
			       "has prerelease '%.*s', and no prerelease "
			       "identifier is allowed",
			       (int)v->pre_len, pre);
		return;
	}
	for (i = 0; i < conf->nlist && error == 0; i++)
		error = tp_buf_printf(&list, "%s%s", i ? ", " : "",
				      conf->list[i]);
	if (error < 0)
		tp_lint_fail(run, error);
	else
		tp_lint_report(run, t, conf, NULL,
			       "prerelease '%.*s' does not start with an "
			       "allowed identifier (%s)",
			       (int)v->pre_len, pre, list.ptr);
	tp_buf_release(&list);
}

const struct tp_rule_desc tp_rule_prerelease_ids = {
	.id = "prerelease-ids",
	.summary = "a prerelease starts with one of the allowed identifiers",
	.flags = TP_RULE_TAG,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_LIST,
	.opt_name = "identifiers",
	.configure = configure,
	.check_tag = check_tag,
};
