/*
 * date-future: a date field is not in the future.
 */
#include "lint.h"
#include "rule.h"

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	const struct tp_fieldval *f;
	size_t i;

	/* only date fields can be in the future */
	if (t->kind == NULL || !t->kind->has_date)
		return;
	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (f->field->type != TP_FIELD_DATE || !f->valid ||
		    f->date <= tp_lint_now(run))
			continue;
		tp_lint_report(run, t, conf, NULL,
			       "{%s} '%.*s' is in the future", f->field->name,
			       (int)f->len, t->tag + f->off);
	}
}

const struct tp_rule_desc tp_rule_date_future = {
	.id = "date-future",
	.summary = "a date field is not in the future",
	.flags = TP_RULE_TAG,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_WARNING,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_WARNING },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
