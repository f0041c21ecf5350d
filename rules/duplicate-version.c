/*
 * duplicate-version: no two tags of one scope carry the same version and
 * fields.
 *
 * Two tags are duplicates when they are in the same scope, their kinds
 * have the same fields in the same order (templates that differ only in
 * literal text: "v{semver}" and "{semver}"), their versions are equal in
 * precedence (build metadata does not count) and their other fields are
 * equal.  Equal precedence is equal text of major, minor, patch and
 * prerelease (numbers have no leading zeros), so the tags are grouped
 * through a hash table: one pass, no sorting.
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rule.h"

#define NONE ((size_t)-1)

/* A table slot: the key kept beside the index, one cache line a probe. */
struct slot {
	uint64_t key;
	size_t i; /* into the keyed array; NONE when empty */
};

static int
same(const struct tp_lint *run, const struct tp_tagres *a,
     const struct tp_tagres *b)
{
	const struct tp_fieldval *fa, *fb;
	size_t i;

	if (a->scope != b->scope ||
	    tp_lint_kind_sig(run, a->kind) != tp_lint_kind_sig(run, b->kind) ||
	    tp_version_cmp(&a->version, &b->version) != 0 ||
	    a->nfields != b->nfields)
		return 0;
	for (i = 0; i < a->nfields; i++) {
		fa = &a->fields[i];
		fb = &b->fields[i];
		if (tp_field_is_version(fa->field->type))
			continue;
		if (fa->len != fb->len ||
		    memcmp(a->tag + fa->off, b->tag + fb->off, fa->len) != 0)
			return 0;
	}
	return 1;
}

static void
report(struct tp_lint *run, const struct tp_rule_conf *conf,
       const struct tp_keyed *kd, const size_t *next, size_t r,
       const struct tp_tagres **group)
{
	struct tp_buf v = TP_BUF_INIT;
	size_t n = 0, i;

	for (i = r; i != NONE; i = next[i])
		group[n++] = kd[i].t;
	if (tp_lint_version_text(&v, kd[r].t) < 0)
		tp_lint_fail(run, TP_ENOMEM);
	else
		tp_lint_report_set(run, conf, kd[r].t->scope, group, n,
				   "have the same version %s", v.ptr);
	tp_buf_release(&v);
}

/*
 * The engine keys every tag with a version as it is added (see
 * tp_lint_keyed); equal tags have equal keys, so one pass over a hash
 * table of the keys finds every group, and only tags whose keys are equal
 * are compared.
 */
static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_tagres **group = NULL;
	const struct tp_keyed *kd;
	struct slot *slots = NULL;
	size_t *next = NULL, *tail = NULL;
	unsigned char *rep = NULL;
	size_t n, i, j, s, size, mask;

	kd = tp_lint_keyed(run, &n);
	if (n < 2)
		return;
	for (size = 16; size < 2 * n; size *= 2)
		;
	mask = size - 1;
	group = malloc(n * sizeof(*group));
	slots = malloc(size * sizeof(*slots));
	next = malloc(n * sizeof(*next));
	tail = malloc(n * sizeof(*tail));
	rep = calloc(n, 1);
	if (group == NULL || slots == NULL || next == NULL || tail == NULL ||
	    rep == NULL) {
		tp_lint_fail(run, TP_ENOMEM);
		goto done;
	}
	for (s = 0; s < size; s++)
		slots[s].i = NONE;
	for (i = 0; i < n; i++) {
		if (tp_lint_level(conf, kd[i].t->scope) == TP_LEVEL_OFF)
			continue;
		next[i] = NONE;
		for (s = (size_t)kd[i].key & mask; slots[s].i != NONE;
		     s = (s + 1) & mask) {
			j = slots[s].i;
			if (slots[s].key == kd[i].key &&
			    same(run, kd[j].t, kd[i].t))
				break;
		}
		if (slots[s].i == NONE) {
			slots[s].key = kd[i].key;
			slots[s].i = i;
			tail[i] = i;
			rep[i] = 1;
			continue;
		}
		next[tail[j]] = i;
		tail[j] = i;
		rep[j] = 2;
	}
	for (i = 0; i < n; i++)
		if (rep[i] == 2)
			report(run, conf, kd, next, i, group);
done:
	free(group);
	free(slots);
	free(next);
	free(tail);
	free(rep);
}

const struct tp_rule_desc tp_rule_duplicate_version = {
	.id = "duplicate-version",
	.summary = "no two tags of one scope carry the same version and fields",
	.flags = TP_RULE_SET,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_ERROR,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_ERROR },
	.opt = TP_ROPT_NONE,
	.check_set = check_set,
};
