/*
 * retention.c: the plan of `tagpolicy prune` (see retention.h).
 */
#include <stdlib.h>
#include <string.h>

#include "retention.h"

/* A tag under a retention entry, with what ordering it needs. */
struct cand {
	const struct tp_tagres *t;
	size_t index; /* input position */
	int has_date;
	int64_t date; /* the first date field's time */
	const char *grp; /* the keep-per field's text, or NULL */
	size_t grplen;
};

int
tp_retention_protected(const struct tp_policy *p, enum tp_scope scope,
		       const struct tp_kind *k)
{
	const struct tp_rule_conf *c = tp_policy_rule(p, "immutable");
	size_t i;

	if (c == NULL || k == NULL || c->level[scope] == TP_LEVEL_OFF)
		return 0;
	for (i = 0; i < c->nlist; i++)
		if (strcmp(c->list[i], k->name) == 0)
			return 1;
	return 0;
}

static int
put_duration(struct tp_buf *out, int64_t s)
{
	if (s > 0 && s % (7 * 86400) == 0)
		return tp_buf_printf(out, "%lldw",
				     (long long)(s / (7 * 86400)));
	if (s > 0 && s % 86400 == 0)
		return tp_buf_printf(out, "%lldd", (long long)(s / 86400));
	if (s % 3600 == 0)
		return tp_buf_printf(out, "%lldh", (long long)(s / 3600));
	/* the loader only makes whole hours; show anything else exactly */
	return tp_buf_printf(out, "%llds", (long long)s);
}

int
tp_retention_rule_text(struct tp_buf *out, const struct tp_retention *r)
{
	const char *sep = "";
	int rc = 0;

	if (r->keep_per != NULL) {
		rc = tp_buf_printf(out, "keep-per: %s", r->keep_per->name);
		sep = ", ";
	}
	if (rc == 0 && r->keep >= 0) {
		rc = tp_buf_printf(out, "%skeep: %ld", sep, r->keep);
		sep = ", ";
	}
	if (rc == 0 && r->keep_within >= 0) {
		rc = tp_buf_printf(out, "%skeep-within: ", sep);
		if (rc == 0)
			rc = put_duration(out, r->keep_within);
	}
	return rc;
}

static int
set_text(struct tp_retention_verdict *v, const char *fmt, ...) TP_PRINTF(2, 3);

/* Sets v->text; 0 or TP_ENOMEM. */
static int
set_text(struct tp_retention_verdict *v, const char *fmt, ...)
{
	struct tp_buf b = TP_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0)
		v->text = tp_buf_detach(&b, NULL);
	tp_buf_release(&b);
	return rc < 0 || v->text == NULL ? TP_ENOMEM : 0;
}

/* The message of the tag's first problem under `rule`, or NULL. */
static const char *
diag_of(const struct tp_tagres *t, const char *rule)
{
	const struct tp_diag *d;

	for (d = t->diags; d != NULL; d = d->next)
		if (strcmp(d->rule, rule) == 0)
			return d->message;
	return NULL;
}

static const struct tp_retention *
entry_of(const struct tp_policy *p, const struct tp_kind *k)
{
	size_t i;

	for (i = 0; i < p->nretention; i++)
		if (p->retention[i].kind == k)
			return &p->retention[i];
	return NULL;
}

/*
 * Decides the tags that no retention entry orders.  Returns 1 when the
 * tag is left to its entry (*e set), 0 when it is kept (v filled in), or
 * TP_ENOMEM.
 */
static int
classify(struct tp_retention_verdict *v, const struct tp_policy *p,
	 enum tp_scope scope, const struct tp_retention **e)
{
	const struct tp_tagres *t = v->tag;
	const struct tp_kind *k = t->kind;
	const char *msg;

	*e = NULL;
	if (k == NULL) {
		msg = diag_of(t, "input");
		v->why =
			msg != NULL ? TP_RETENTION_INPUT : TP_RETENTION_NO_KIND;
		return msg != NULL ? set_text(v, "input: %s", msg)
				   : set_text(v, "matches no kind of scope %s",
					      scope == TP_SCOPE_GIT ? "git"
								    : "image");
	}
	if (tp_retention_protected(p, scope, k)) {
		v->why = TP_RETENTION_PROTECTED;
		return set_text(v, "kind '%s' is protected by rule 'immutable'",
				k->name);
	}
	v->entry = entry_of(p, k);
	if (v->entry == NULL) {
		v->why = TP_RETENTION_NO_RULE;
		return set_text(v, "no retention rule for kind '%s'", k->name);
	}
	if (!t->fields_ok || (k->has_version && !t->has_version)) {
		msg = diag_of(t, "kind");
		v->why = TP_RETENTION_INVALID;
		return set_text(v, "cannot be ordered: %s",
				msg != NULL ? msg : "a field value is invalid");
	}
	*e = v->entry;
	return 1;
}

static void
cand_fill(struct cand *c, const struct tp_tagres *t, size_t index,
	  const struct tp_retention *e)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->index = index;
	for (i = 0; i < t->nfields; i++) {
		const struct tp_fieldval *f = &t->fields[i];

		if (!c->has_date && f->field->type == TP_FIELD_DATE &&
		    f->valid) {
			c->has_date = 1;
			c->date = f->date;
		}
		if (e->keep_per != NULL && f->field == e->keep_per &&
		    c->grp == NULL) {
			c->grp = t->tag + f->off;
			c->grplen = f->len;
		}
	}
}

/* Newest first: version, then date, then input order. */
static int
cand_newer(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c;

	if (a->t->has_version && b->t->has_version) {
		c = tp_version_cmp(&a->t->version, &b->t->version);
		if (c != 0)
			return -c;
	}
	if (a->has_date && b->has_date && a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* By keep-per value (any fixed order), then newest first. */
static int
cand_group(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	size_t n = a->grplen < b->grplen ? a->grplen : b->grplen;
	int c = n > 0 ? memcmp(a->grp, b->grp, n) : 0;

	if (c != 0)
		return c;
	if (a->grplen != b->grplen)
		return a->grplen < b->grplen ? -1 : 1;
	return cand_newer(pa, pb);
}

static int
same_group(const struct cand *a, const struct cand *b)
{
	return a->grplen == b->grplen &&
	       (a->grplen == 0 || memcmp(a->grp, b->grp, a->grplen) == 0);
}

/*
 * The verdict of an ordered tag of rank `rank` (0: the newest of its
 * entry, or of its group with keep-per).  `rule` is the entry's text.
 */
static int
decide(struct tp_retention_verdict *v, const struct cand *c, size_t rank,
       const struct tp_retention *e, const int64_t *times, int64_t now,
       const char *rule)
{
	struct tp_buf dur = TP_BUF_INIT;
	int64_t time = TP_RETENTION_NO_TIME;
	int rc;

	if (e->keep >= 0 && rank < (size_t)e->keep) {
		if (e->keep_per == NULL) {
			v->why = TP_RETENTION_NEWEST;
			return e->keep == 1
				       ? set_text(v, "the newest")
				       : set_text(v, "among the %ld newest",
						  e->keep);
		}
		v->why = TP_RETENTION_NEWEST_PER;
		if (e->keep == 1)
			return set_text(v, "the newest with %s '%.*s'",
					e->keep_per->name, (int)c->grplen,
					c->grp);
		return set_text(v, "among the %ld newest with %s '%.*s'",
				e->keep, e->keep_per->name, (int)c->grplen,
				c->grp);
	}
	if (e->keep_within >= 0) {
		if (c->has_date)
			time = c->date;
		else if (times != NULL)
			time = times[c->index];
		if (time == TP_RETENTION_NO_TIME) {
			v->why = TP_RETENTION_NO_AGE;
			return set_text(v,
					"age unknown: kind '%s' has no date "
					"field",
					c->t->kind->name);
		}
		/* `now - keep_within` cannot overflow: both are bounded */
		if (time >= now - e->keep_within) {
			if (put_duration(&dur, e->keep_within) < 0)
				return TP_ENOMEM;
			v->why = TP_RETENTION_WITHIN;
			rc = set_text(v, "at most %s old", dur.ptr);
			tp_buf_release(&dur);
			return rc;
		}
	}
	v->why = TP_RETENTION_DELETE;
	return set_text(v, "%s", rule);
}

/* Decides the `m` tags of entry `e` and appends the deleted ones. */
static int
run_entry(struct tp_retention_plan *plan, struct tp_retention_verdict *all,
	  struct cand *c, size_t m, const struct tp_retention *e,
	  const int64_t *times, int64_t now)
{
	struct tp_buf rule = TP_BUF_INIT;
	struct tp_retention_verdict *v;
	size_t i, rank = 0;
	int rc;

	if (tp_retention_rule_text(&rule, e) < 0) {
		rc = TP_ENOMEM;
		goto done;
	}
	qsort(c, m, sizeof(*c), e->keep_per != NULL ? cand_group : cand_newer);
	for (i = 0; i < m; i++) {
		if (e->keep_per != NULL && i > 0 &&
		    !same_group(&c[i - 1], &c[i]))
			rank = 0;
		rc = decide(&all[c[i].index], &c[i], rank++, e, times, now,
			    rule.ptr);
		if (rc < 0)
			goto done;
	}
	/* deletions go newest first across the whole entry */
	if (e->keep_per != NULL)
		qsort(c, m, sizeof(*c), cand_newer);
	for (i = 0; i < m; i++) {
		v = &all[c[i].index];
		if (v->why != TP_RETENTION_DELETE)
			continue;
		plan->del[plan->ndel++] = *v;
		v->text = NULL; /* moved */
	}
	rc = 0;
done:
	tp_buf_release(&rule);
	return rc;
}

void
tp_retention_plan_release(struct tp_retention_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->ndel; i++)
		free(plan->del[i].text);
	for (i = 0; i < plan->nkeep; i++)
		free(plan->keep[i].text);
	free(plan->del);
	free(plan->keep);
	plan->del = NULL;
	plan->keep = NULL;
	plan->ndel = 0;
	plan->nkeep = 0;
}

int
tp_retention_apply(struct tp_retention_plan *out, const struct tp_policy *p,
		   enum tp_scope scope, const struct tp_tagres *const *tags,
		   const int64_t *times, size_t n, int64_t now,
		   struct tp_error *err)
{
	struct tp_retention_plan plan = TP_RETENTION_PLAN_INIT;
	struct tp_retention_verdict *all = NULL;
	const struct tp_retention **ent = NULL;
	struct cand *c = NULL;
	size_t i, k, m;
	int error = 0, rc;

	*out = (struct tp_retention_plan)TP_RETENTION_PLAN_INIT;
	all = calloc(n ? n : 1, sizeof(*all));
	ent = calloc(n ? n : 1, sizeof(*ent));
	c = calloc(n ? n : 1, sizeof(*c));
	plan.del = calloc(n ? n : 1, sizeof(*plan.del));
	plan.keep = calloc(n ? n : 1, sizeof(*plan.keep));
	if (all == NULL || ent == NULL || c == NULL || plan.del == NULL ||
	    plan.keep == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		all[i].tag = tags[i];
		rc = classify(&all[i], p, scope, &ent[i]);
		if (rc < 0)
			goto nomem;
	}
	for (k = 0; k < p->nretention; k++) {
		for (m = 0, i = 0; i < n; i++)
			if (ent[i] == &p->retention[k])
				cand_fill(&c[m++], tags[i], i, ent[i]);
		if (m > 0 && run_entry(&plan, all, c, m, &p->retention[k],
				       times, now) < 0)
			goto nomem;
	}
	for (i = 0; i < n; i++) {
		/* a deleted tag's verdict (and text) moved to plan.del */
		if (all[i].why == TP_RETENTION_DELETE && all[i].text == NULL)
			continue;
		plan.keep[plan.nkeep++] = all[i];
		all[i].text = NULL;
	}
	*out = plan;
	plan = (struct tp_retention_plan)TP_RETENTION_PLAN_INIT;
	goto done;
nomem:
	error = tp_error_set(err, TP_ENOMEM, "out of memory");
done:
	for (i = 0; all != NULL && i < n; i++)
		free(all[i].text);
	tp_retention_plan_release(&plan);
	free(all);
	free(ent);
	free(c);
	return error;
}
