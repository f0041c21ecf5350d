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

/*
 * Keys are first spread into buckets by their top bits, about this many
 * a bucket, so that the table of one bucket stays in the cache: one
 * table over a million keys misses the cache on almost every probe.
 */
#define BUCKET_KEYS 2048

/* The bucket of a key: its top `bits` bits. */
static size_t
bucket(uint64_t key, int bits)
{
	return bits ? (size_t)(key >> (64 - bits)) : 0;
}

/* A key and its tag (index into the keyed array), in bucket order. */
struct entry {
	uint64_t key;
	size_t i;
};

/*
 * A bucket's table slot: a group's first tag and its last so far.  A slot
 * belongs to the bucket whose number plus one is in `gen` (the table is
 * used again for each bucket without being cleared).
 */
struct slot {
	uint64_t key;
	size_t gen;
	size_t first;
	size_t last;
	size_t n;
};

/* Rebuilds both results when the run keeps none (a streaming run). */
static int
same(struct tp_lint *run, const struct tp_keyed *ka, const struct tp_keyed *kb)
{
	const struct tp_tagres *a, *b;
	const struct tp_fieldval *fa, *fb;
	size_t i;

	if (ka->scope != kb->scope ||
	    tp_lint_kind_sig(run, ka->kind) != tp_lint_kind_sig(run, kb->kind))
		return 0;
	/* the same text of the same kind: the same fields, surely */
	if (ka->kind == kb->kind && !ka->is_ref && !kb->is_ref &&
	    ka->len == kb->len && memcmp(ka->text, kb->text, ka->len) == 0)
		return 1;
	a = tp_lint_keyed_tag(run, ka);
	b = tp_lint_keyed_tag(run, kb);
	if (a == NULL || b == NULL)
		return 0;
	if (tp_version_cmp(&a->version, &b->version) != 0 ||
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
       const struct tp_keyed **group)
{
	struct tp_buf text = TP_BUF_INIT;
	struct tp_version v;
	size_t n = 0, i;

	for (i = r; i != NONE; i = next[i])
		group[n++] = &kd[i];
	if (tp_lint_keyed_version(run, &kd[r], &v) < 0)
		return;
	if (tp_lint_version_parts(&text, &v) < 0)
		tp_lint_fail(run, TP_ENOMEM);
	else
		tp_lint_report_set_keyed(run, conf,
					 (enum tp_scope)kd[r].scope, group, n,
					 "have the same version %s", text.ptr);
	tp_buf_release(&text);
}

/*
 * The engine keys every tag with a version as it is added (see
 * tp_lint_keyed); equal tags have equal keys, so the keys are grouped in
 * buckets and one pass over a hash table per bucket finds every group:
 * only tags whose keys are equal are compared.
 */
static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_keyed **group = NULL;
	const struct tp_keyed *kd;
	const uint64_t *keys;
	struct entry *ent = NULL;
	struct slot *slots = NULL, *sl;
	size_t *start = NULL, *next = NULL;
	unsigned char *rep = NULL;
	size_t n, i, e, b, nb, s, size, mask, biggest = 0, most = 0;
	int on[TP_SCOPE_COUNT], all = 1, bits = 0, sc;

	kd = tp_lint_keyed(run, &n);
	keys = tp_lint_keys(run);
	if (n < 2)
		return;
	for (sc = 0; sc < TP_SCOPE_COUNT; sc++) {
		on[sc] = tp_lint_level(conf, (enum tp_scope)sc) != TP_LEVEL_OFF;
		all &= on[sc];
	}
	while (bits < 16 && (n >> bits) > BUCKET_KEYS)
		bits++;
	nb = (size_t)1 << bits;
	start = calloc(nb + 1, sizeof(*start));
	ent = malloc(n * sizeof(*ent));
	next = malloc(n * sizeof(*next));
	rep = calloc(n, 1);
	if (start == NULL || ent == NULL || next == NULL || rep == NULL)
		goto nomem;
	/* the scope is read only when the rule is off in one */
	for (i = 0; i < n; i++)
		if (all || on[kd[i].scope])
			start[bucket(keys[i], bits) + 1]++;
	for (b = 0; b < nb; b++) {
		if (start[b + 1] > biggest)
			biggest = start[b + 1];
		start[b + 1] += start[b];
	}
	/* start[b] walks to the end of bucket b, then is moved back */
	for (i = 0; i < n; i++) {
		if (!all && !on[kd[i].scope])
			continue;
		e = start[bucket(keys[i], bits)]++;
		ent[e].key = keys[i];
		ent[e].i = i;
	}
	for (b = nb; b > 0; b--)
		start[b] = start[b - 1];
	start[0] = 0;
	for (size = 16; size < 2 * biggest; size *= 2)
		;
	mask = size - 1;
	slots = calloc(size, sizeof(*slots));
	if (slots == NULL)
		goto nomem;
	for (b = 0; b < nb; b++) {
		/* in input order within a bucket, as the keys were added */
		for (e = start[b]; e < start[b + 1]; e++) {
			i = ent[e].i;
			next[i] = NONE;
			for (s = (size_t)ent[e].key & mask;
			     (sl = &slots[s])->gen == b + 1;
			     s = (s + 1) & mask)
				if (sl->key == ent[e].key &&
				    same(run, &kd[sl->first], &kd[i]))
					break;
			if (sl->gen != b + 1) {
				sl->gen = b + 1;
				sl->key = ent[e].key;
				sl->first = sl->last = i;
				sl->n = 1;
				rep[i] = 1;
				continue;
			}
			next[sl->last] = i;
			sl->last = i;
			if (++sl->n > most)
				most = sl->n;
			rep[sl->first] = 2;
		}
	}
	if (most > 0) {
		group = malloc(most * sizeof(*group));
		if (group == NULL)
			goto nomem;
	}
	for (i = 0; i < n; i++)
		if (rep[i] == 2)
			report(run, conf, kd, next, i, group);
	goto done;
nomem:
	tp_lint_fail(run, TP_ENOMEM);
done:
	free(group);
	free(slots);
	free(start);
	free(ent);
	free(next);
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
