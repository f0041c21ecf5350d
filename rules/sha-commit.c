/*
 * sha-commit: a {sha} field is a prefix of the id of the tagged commit.
 *
 * Every field of type `hex` counts.  Needs the commit a tag points at
 * (check --git, hooks); without it there is nothing to compare.
 */
#include <string.h>

#include "lint.h"
#include "rule.h"

static void
check_tag(struct tp_lint *run, struct tp_tagres *t,
	  const struct tp_rule_conf *conf)
{
	const struct tp_fieldval *f;
	size_t i, clen;

	if (t->kind == NULL || t->commit == NULL)
		return;
	clen = strlen(t->commit);
	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (f->field->type != TP_FIELD_HEX)
			continue;
		if (f->len <= clen &&
		    memcmp(t->commit, t->tag + f->off, f->len) == 0)
			continue;
		tp_lint_report(run, t, conf, NULL,
			       "{%s} '%.*s' is not a prefix of the tagged "
			       "commit %.12s",
			       f->field->name, (int)f->len, t->tag + f->off,
			       t->commit);
	}
}

const struct tp_rule_desc tp_rule_sha_commit = {
	.id = "sha-commit",
	.summary = "a {sha} field is a prefix of the id of the tagged commit",
	.flags = TP_RULE_GIT,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_NONE,
	.check_tag = check_tag,
};
