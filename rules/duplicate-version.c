/*
 * duplicate-version: no two tags of one scope carry the same version and
 * fields.
 *
 * Two tags are duplicates when they are in the same scope, their kinds
 * have the same fields in the same order (templates that differ only in
 * literal text: "v{semver}" and "{semver}"), their versions are equal in
 * precedence (build metadata does not count) and their other fields are
 * equal.  Equal precedence is equal text of major, minor, patch and
 * prerelease (numbers have no leading zeros), so the tags are grouped by
 * the engine's duplicate keys (tp_lint_keys): spread into buckets, then
 * one hash table a bucket; no sorting.  Only tags with equal keys are
 * compared, and a run that keeps no results rebuilds them only when their
 * texts differ.
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rule.h"

/*
 * Tags are numbered with 32 bits here (index into the keyed array): four
 * billion tags with a version would not fit in memory anyway.
 */
#define NONE UINT32_MAX

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
	uint32_t i;
};

/*
 * A bucket's table slot: the first tag of a version and fields, and its
 * group once a second tag joins it.  A slot belongs to the bucket whose
 * number plus one is in `gen` (the table is used again for each bucket
 * without being cleared).
 */
struct slot {
	uint64_t key;
	size_t gen;
	uint32_t first;
	uint32_t group; /* NONE while the tag is alone */
};

/* A tag that joins a group (index into the keyed array). */
struct member {
	uint32_t group;
	uint32_t i;
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
       const struct tp_keyed **group, size_t n)
{
	struct tp_buf text = TP_BUF_INIT;
	struct tp_version v;

	if (tp_lint_keyed_version(run, group[0], &v) < 0)
		return;
	if (tp_lint_version_parts(&text, &v) < 0)
		tp_lint_fail(run, TP_ENOMEM);
	else
		tp_lint_report_set_keyed(
			run, conf, (enum tp_scope)group[0]->scope, group, n,
			"have the same version %s", text.ptr);
	tp_buf_release(&text);
}

/* Groups ordered by their first tag: (first << 32 | group) sort alike. */
static int
by_first(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* Appends to a growing array of `size`-byte items; 0 or TP_ENOMEM. */
static int
grow(void *arrp, size_t *alloc, size_t n, size_t size)
{
	void **arr = arrp;
	void *p;
	size_t a = *alloc ? 2 * *alloc : 1024;

	if (n < *alloc)
		return 0;
	if (a > SIZE_MAX / size)
		return TP_ENOMEM;
	p = realloc(*arr, a * size);
	if (p == NULL)
		return TP_ENOMEM;
	*arr = p;
	*alloc = a;
	return 0;
}

/*
 * The engine keys every tag with a version as it is added (see
 * tp_lint_keys); equal tags have equal keys, so the keys are spread into
 * buckets and one pass over a hash table per bucket finds every group:
 * only tags whose keys are equal are compared.  The tags that join a
 * group are listed as they are found (in input order within the group:
 * a group lives in one bucket); the groups are then gathered and put in
 * the order of their first tags, the order they are reported in.
 */
static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_keyed **group = NULL;
	const struct tp_keyed *kd;
	const uint64_t *keys;
	struct entry *ent = NULL;
	struct slot *slots = NULL, *sl;
	struct member *mem = NULL;
	size_t *start = NULL, *gstart = NULL;
	uint32_t *gfirst = NULL, *memi = NULL, i;
	uint64_t *order = NULL;
	size_t n, e, b, nb, s, size, mask, biggest = 0, most = 0;
	size_t nmem = 0, amem = 0, ngroups = 0, agroups = 0, g, k;
	int on[TP_SCOPE_COUNT], all = 1, bits = 0, sc;

	kd = tp_lint_keyed(run, &n);
	keys = tp_lint_keys(run);
	if (n < 2)
		return;
	if (n >= NONE) {
		tp_lint_fail(run, TP_ENOMEM);
		return;
	}
	for (sc = 0; sc < TP_SCOPE_COUNT; sc++) {
		on[sc] = tp_lint_level(conf, (enum tp_scope)sc) != TP_LEVEL_OFF;
		all &= on[sc];
	}
	while (bits < 16 && (n >> bits) > BUCKET_KEYS)
		bits++;
	nb = (size_t)1 << bits;
	start = calloc(nb + 1, sizeof(*start));
	ent = malloc(n * sizeof(*ent));
	if (start == NULL || ent == NULL)
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
			for (s = (size_t)ent[e].key & mask;
			     (sl = &slots[s])->gen == b + 1; s = (s + 1) & mask)
				if (sl->key == ent[e].key &&
				    same(run, &kd[sl->first], &kd[ent[e].i]))
					break;
			if (sl->gen != b + 1) {
				sl->gen = b + 1;
				sl->key = ent[e].key;
				sl->first = ent[e].i;
				sl->group = NONE;
				continue;
			}
			if (sl->group == NONE) {
				if (grow(&gfirst, &agroups, ngroups,
					 sizeof(*gfirst)) < 0)
					goto nomem;
				gfirst[ngroups] = sl->first;
				sl->group = (uint32_t)ngroups++;
			}
			if (grow(&mem, &amem, nmem, sizeof(*mem)) < 0)
				goto nomem;
			mem[nmem].group = sl->group;
			mem[nmem++].i = ent[e].i;
		}
	}
	if (ngroups == 0)
		goto done;
	/* each group's members together (counting sort), first tag aside */
	gstart = calloc(ngroups + 1, sizeof(*gstart));
	memi = malloc(nmem * sizeof(*memi));
	order = malloc(ngroups * sizeof(*order));
	if (gstart == NULL || memi == NULL || order == NULL)
		goto nomem;
	for (k = 0; k < nmem; k++)
		gstart[mem[k].group + 1]++;
	for (g = 0; g < ngroups; g++) {
		if (gstart[g + 1] + 1 > most)
			most = gstart[g + 1] + 1;
		gstart[g + 1] += gstart[g];
	}
	for (k = 0; k < nmem; k++)
		memi[gstart[mem[k].group]++] = mem[k].i;
	for (g = ngroups; g > 0; g--)
		gstart[g] = gstart[g - 1];
	gstart[0] = 0;
	for (g = 0; g < ngroups; g++)
		order[g] = (uint64_t)gfirst[g] << 32 | g;
	qsort(order, ngroups, sizeof(*order), by_first);
	group = malloc(most * sizeof(*group));
	if (group == NULL)
		goto nomem;
	for (k = 0; k < ngroups; k++) {
		g = (size_t)(order[k] & UINT32_MAX);
		group[0] = &kd[gfirst[g]];
		for (e = gstart[g]; e < gstart[g + 1]; e++)
			group[e - gstart[g] + 1] = &kd[memi[e]];
		report(run, conf, group, gstart[g + 1] - gstart[g] + 1);
	}
	goto done;
nomem:
	tp_lint_fail(run, TP_ENOMEM);
done:
	free(group);
	free(slots);
	free(start);
	free(ent);
	free(mem);
	free(gfirst);
	free(gstart);
	free(memi);
	free(order);
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
