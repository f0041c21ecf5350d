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
 * one hash table a bucket; no sorting.  The groups of equal keys are then
 * confirmed tag by tag in input order, and a run that keeps no results
 * rebuilds tags only when their texts differ.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 * A bucket's table slot: the first tag of a key, and its candidate once
 * a second tag has the key.  A slot belongs to the bucket whose
 * number plus one is in `gen` (the table is used again for each bucket
 * without being cleared).
 */
struct slot {
	uint64_t key;
	size_t gen;
	uint32_t first;
	uint32_t group; /* the candidate, NONE while the tag is alone */
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

/*
 * texts[i] and lens[i] are group[i]'s; `text` is scratch, reused from
 * group to group.
 */
static void
report(struct tp_lint *run, const struct tp_rule_conf *conf,
       struct tp_buf *text, const struct tp_keyed **group,
       const char *const *texts, const size_t *lens, size_t n)
{
	tp_buf_clear(text);
	if (tp_lint_keyed_version_text(text, run, group[0]) == 0)
		tp_lint_report_set_texts(
			run, conf, (enum tp_scope)group[0]->scope, group, texts,
			lens, n, "have the same version %s", text->ptr);
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
 * A group of equal keys (a candidate), numbered as found: its first tag
 * and, for the confirming pass, what the other tags are compared with.
 */
struct cand {
	uint32_t first;
	uint32_t n; /* tags, the first one too */
	size_t start; /* its tags in the member list */
	const struct tp_kind *kind; /* the first tag's */
	const char *ftext; /* its text */
	const char *copy; /* a copy of it, kept with others */
	size_t len;
	unsigned char scope;
	unsigned char is_ref;
	unsigned char split; /* its tags are not all the same */
};

/* A reported group: `n` tags from `start` in the member list. */
struct group {
	uint32_t first;
	size_t start;
	size_t n;
};

static int
by_first(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	return (a->first > b->first) - (a->first < b->first);
}

/*
 * First pass, keys only: the keys are spread into buckets, and one pass
 * over a hash table per bucket gathers the tags of each key that several
 * tags have into a candidate.  On a long list the work is shared by
 * threads: each spreads the keys of a range of tags (after all have
 * counted theirs, so that a bucket holds its keys in input order), then
 * gathers a range of buckets into candidates of its own; mark[i] is tag
 * i's candidate as local number * threads + thread, or NONE.
 */
struct gather {
	/* shared, read only while the threads run */
	const uint64_t *keys;
	const struct tp_keyed *kd;
	const int *on;
	int all;
	int bits;
	size_t nb;
	size_t nt;
	struct entry *ent; /* each thread writes its own places */
	uint32_t *mark; /* ... and its own tags' marks */
	size_t *start; /* bucket b's entries from start[b] */
	size_t size; /* table slots: room for the biggest bucket */
	/* this thread's */
	size_t t;
	size_t lo, hi; /* its tags */
	size_t *at; /* per bucket: its count, then where its next goes */
	size_t blo, bhi; /* its buckets */
	struct cand *cands;
	size_t ncands, acands;
	int error;
	pthread_t tid;
};

/* Fewer keys than this are gathered on the calling thread alone. */
#define PAR_KEYS ((size_t)1 << 16)
#define THREADS_MAX 4

static int
keep(const struct gather *g, uint32_t i)
{
	/* the scope is read only when the rule is off in one */
	return g->all || g->on[g->kd[i].scope];
}

static void *
count_keys(void *arg)
{
	struct gather *g = arg;
	uint32_t i;

	for (i = (uint32_t)g->lo; i < g->hi; i++)
		if (keep(g, i))
			g->at[bucket(g->keys[i], g->bits)]++;
	return NULL;
}

static void *
spread_keys(void *arg)
{
	struct gather *g = arg;
	struct entry *e;
	uint32_t i;

	for (i = (uint32_t)g->lo; i < g->hi; i++) {
		if (!keep(g, i))
			continue;
		e = &g->ent[g->at[bucket(g->keys[i], g->bits)]++];
		e->key = g->keys[i];
		e->i = i;
	}
	return NULL;
}

static void *
gather_buckets(void *arg)
{
	struct gather *g = arg;
	const struct entry *ent = g->ent;
	struct slot *slots, *sl;
	size_t b, e, s, mask = g->size - 1;
	struct cand *c;

	slots = calloc(g->size, sizeof(*slots));
	if (slots == NULL) {
		g->error = TP_ENOMEM;
		return NULL;
	}
	for (b = g->blo; b < g->bhi; b++) {
		/* in input order within a bucket, as the keys were spread */
		for (e = g->start[b]; e < g->start[b + 1]; e++) {
			for (s = (size_t)ent[e].key & mask;
			     (sl = &slots[s])->gen == b + 1; s = (s + 1) & mask)
				if (sl->key == ent[e].key)
					break;
			if (sl->gen != b + 1) {
				sl->gen = b + 1;
				sl->key = ent[e].key;
				sl->first = ent[e].i;
				sl->group = NONE;
				continue;
			}
			if (sl->group == NONE) {
				if (grow(&g->cands, &g->acands, g->ncands,
					 sizeof(*g->cands)) < 0 ||
				    g->ncands * g->nt + g->t >= NONE) {
					g->error = TP_ENOMEM;
					goto done;
				}
				c = &g->cands[g->ncands];
				memset(c, 0, sizeof(*c));
				c->first = sl->first;
				c->n = 1;
				sl->group =
					(uint32_t)(g->ncands++ * g->nt + g->t);
				g->mark[sl->first] = sl->group;
			}
			g->cands[sl->group / g->nt].n++;
			g->mark[ent[e].i] = sl->group;
		}
	}
done:
	free(slots);
	return NULL;
}

/* Runs `fn` on each of the nt parts, the first on this thread. */
static void
run_parts(struct gather *g, size_t nt, void *(*fn)(void *))
{
	size_t t;
	int started[THREADS_MAX] = { 0 };

	for (t = 1; t < nt; t++)
		started[t] = pthread_create(&g[t].tid, NULL, fn, &g[t]) == 0;
	fn(&g[0]);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(g[t].tid, NULL);
		else
			fn(&g[t]);
	}
}

static size_t
threads_for(size_t n)
{
	long cpus;

	if (n < PAR_KEYS)
		return 1;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > THREADS_MAX ? THREADS_MAX : (size_t)cpus;
}

/*
 * Fills g[0..nt) (g[0] holds the shared part) and gathers; the
 * candidates stay in each g[t].cands (the caller frees them).  0 or
 * TP_ENOMEM.
 */
static int
gather(struct gather *g, size_t nt, size_t n)
{
	size_t *at = NULL, *start = NULL, b, t, pos = 0, biggest = 0, size;
	size_t nb, cut, per, cnt;
	int rc = TP_ENOMEM;

	while (g->bits < 16 && (n >> g->bits) > BUCKET_KEYS)
		g->bits++;
	nb = g->nb = (size_t)1 << g->bits;
	g->nt = nt;
	at = calloc(nt * nb, sizeof(*at));
	start = calloc(nb + 1, sizeof(*start));
	g->ent = malloc((n ? n : 1) * sizeof(*g->ent));
	if (at == NULL || start == NULL || g->ent == NULL)
		goto done;
	g->start = start;
	for (t = 0; t < nt; t++) {
		if (t > 0)
			g[t] = g[0];
		g[t].t = t;
		g[t].lo = n / nt * t;
		g[t].hi = t + 1 == nt ? n : n / nt * (t + 1);
		g[t].at = at + t * nb;
	}
	run_parts(g, nt, count_keys);
	/* bucket by bucket, thread by thread: input order in a bucket */
	for (b = 0; b < nb; b++) {
		start[b] = pos;
		for (t = 0; t < nt; t++) {
			cnt = g[t].at[b];
			g[t].at[b] = pos;
			pos += cnt;
		}
		if (pos - start[b] > biggest)
			biggest = pos - start[b];
	}
	start[nb] = pos;
	run_parts(g, nt, spread_keys);
	for (size = 16; size < 2 * biggest; size *= 2)
		;
	/* about as many keys for each thread to gather */
	per = pos / nt + 1;
	for (t = 0, b = 0; t < nt; t++) {
		g[t].size = size;
		g[t].blo = b;
		cut = t + 1 == nt ? nb : b;
		while (cut < nb && start[cut] - start[g[t].blo] < per)
			cut++;
		g[t].bhi = b = cut;
	}
	run_parts(g, nt, gather_buckets);
	rc = 0;
	for (t = 0; t < nt; t++)
		if (g[t].error < 0)
			rc = g[t].error;
done:
	free(at);
	free(start);
	free(g->ent);
	return rc;
}

/*
 * Splits candidate `c` (tags[0..n), input order) into the groups of tags
 * that are the same, kept together in `tags` in the order of their first
 * tags; appends those of two tags or more to `groups`.  Rare: equal keys
 * with different texts that are not duplicates.
 */
static int
split(struct tp_lint *run, const struct tp_keyed *kd, uint32_t *tags, size_t n,
      size_t base, struct group **groups, size_t *ngroups, size_t *agroups)
{
	uint32_t *cls = NULL, *out = NULL;
	size_t i, k, j, ncls = 0, pos = 0;
	int rc = TP_ENOMEM;

	cls = malloc(n * sizeof(*cls));
	out = malloc(n * sizeof(*out));
	if (cls == NULL || out == NULL)
		goto done;
	/*
	 * cls[i]: the first tag of tags[i]'s class (a class's first is
	 * itself); `same` is an equivalence, so at most one class fits
	 */
	for (i = 0; i < n; i++) {
		cls[i] = (uint32_t)i;
		for (k = 0; k < i; k++)
			if (cls[k] == k &&
			    same(run, &kd[tags[k]], &kd[tags[i]])) {
				cls[i] = (uint32_t)k;
				break;
			}
	}
	for (k = 0; k < n; k++) {
		if (cls[k] != k)
			continue;
		ncls = 0;
		for (j = k; j < n; j++)
			if (cls[j] == k)
				out[pos + ncls++] = tags[j];
		if (ncls > 1) {
			if (grow(groups, agroups, *ngroups, sizeof(**groups)) <
			    0)
				goto done;
			(*groups)[*ngroups].first = tags[k];
			(*groups)[*ngroups].start = base + pos;
			(*groups)[(*ngroups)++].n = ncls;
		}
		pos += ncls;
	}
	memcpy(tags, out, n * sizeof(*tags));
	rc = 0;
done:
	free(cls);
	free(out);
	return rc;
}

/*
 * Second pass, over the tags of candidates in input order, on the
 * gather threads, each over a range of tags: first each counts its tags
 * of each candidate (so that a candidate's tags are listed in input
 * order across the ranges) and copies the texts of the first tags in its
 * range aside; then it lists its tags and compares each with its first
 * tag's copy.  The copies are close together, so the comparing reads the
 * list in order and the copies from the cache.  Tags of other texts are
 * left for the calling thread to compare the slow way (results rebuilt).
 */
struct confirm {
	/* shared */
	const struct tp_keyed *kd;
	const uint32_t *mark;
	struct cand *cands; /* every candidate, renumbered densely */
	size_t cbase[THREADS_MAX]; /* gather thread t's first number */
	size_t gnt;
	uint32_t *list; /* tags by candidate, each in input order */
	const char **ltext; /* ... the texts to report them with */
	size_t *llen;
	/* this thread's */
	size_t lo, hi;
	size_t *at; /* per candidate: its tags here, then where the next goes */
	uint32_t *firsts; /* candidates first met here, in input order */
	size_t nfirsts;
	char *copies;
	uint32_t *slow; /* tags (and candidates) to compare the slow way */
	size_t nslow, aslow;
	int error;
	pthread_t tid;
};

static size_t
dense(const struct confirm *cf, uint32_t id)
{
	return cf->cbase[id % cf->gnt] + id / cf->gnt;
}

static void *
count_members(void *arg)
{
	struct confirm *cf = arg;
	const struct tp_keyed *k;
	struct cand *c;
	size_t d, len = 0, e;
	uint32_t i;
	char *p;

	for (i = (uint32_t)cf->lo; i < cf->hi; i++) {
		if (cf->mark[i] == NONE)
			continue;
		d = dense(cf, cf->mark[i]);
		cf->at[d]++;
		c = &cf->cands[d];
		if (i != c->first)
			continue;
		k = &cf->kd[i];
		c->kind = k->kind;
		c->ftext = k->text;
		c->len = k->len;
		c->scope = k->scope;
		c->is_ref = k->is_ref;
		cf->firsts[cf->nfirsts++] = (uint32_t)d;
		len += k->len;
	}
	cf->copies = malloc(len ? len : 1);
	if (cf->copies == NULL) {
		cf->error = TP_ENOMEM;
		return NULL;
	}
	for (p = cf->copies, e = 0; e < cf->nfirsts; e++) {
		c = &cf->cands[cf->firsts[e]];
		memcpy(p, c->ftext, c->len);
		c->copy = p;
		p += c->len;
	}
	return NULL;
}

static void *
place_members(void *arg)
{
	struct confirm *cf = arg;
	const struct tp_keyed *k;
	const struct cand *c;
	size_t d, at;
	uint32_t i;
	int same_text;

	for (i = (uint32_t)cf->lo; i < cf->hi; i++) {
		if (cf->mark[i] == NONE)
			continue;
		d = dense(cf, cf->mark[i]);
		c = &cf->cands[d];
		k = &cf->kd[i];
		at = cf->at[d]++;
		cf->list[at] = i;
		cf->llen[at] = k->len;
		/* the same text of the same kind: the same fields */
		same_text = i == c->first ||
			    (k->kind == c->kind && k->scope == c->scope &&
			     !k->is_ref && !c->is_ref && k->len == c->len &&
			     memcmp(k->text, c->copy, k->len) == 0);
		/* printing a group of one text then reads one text */
		cf->ltext[at] = same_text ? c->ftext : k->text;
		if (same_text)
			continue;
		if (grow(&cf->slow, &cf->aslow, cf->nslow + 1,
			 sizeof(*cf->slow)) < 0) {
			cf->error = TP_ENOMEM;
			return NULL;
		}
		cf->slow[cf->nslow++] = i;
		cf->slow[cf->nslow++] = (uint32_t)d;
	}
	return NULL;
}

static void
run_confirm(struct confirm *cf, size_t nt, void *(*fn)(void *))
{
	size_t t;
	int started[THREADS_MAX] = { 0 };

	for (t = 1; t < nt; t++)
		started[t] = pthread_create(&cf[t].tid, NULL, fn, &cf[t]) == 0;
	fn(&cf[0]);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(cf[t].tid, NULL);
		else
			fn(&cf[t]);
	}
}

/*
 * Confirms the candidates of g[0..nt) (see struct confirm): fills
 * cf[0].cands (the caller frees it), the member lists, and the order of
 * the candidates by first tag; splits marked.  0 or TP_ENOMEM.
 */
static int
confirm(struct tp_lint *run, struct gather *g, size_t nt, size_t n,
	struct confirm *cf, uint32_t *order, int *splits)
{
	struct cand *cands;
	size_t t, d, e, ncands = 0, pos, cnt, norder = 0;
	size_t *at = NULL;
	int rc = TP_ENOMEM;

	for (t = 0; t < nt; t++) {
		cf[0].cbase[t] = ncands;
		ncands += g[t].ncands;
	}
	cands = cf[0].cands = malloc(ncands * sizeof(*cands));
	at = calloc(nt * ncands, sizeof(*at));
	if (cands == NULL || at == NULL)
		goto done;
	for (t = 0; t < nt; t++)
		memcpy(cands + cf[0].cbase[t], g[t].cands,
		       g[t].ncands * sizeof(*cands));
	for (t = 0; t < nt; t++) {
		if (t > 0)
			cf[t] = cf[0];
		cf[t].lo = n / nt * t;
		cf[t].hi = t + 1 == nt ? n : n / nt * (t + 1);
		cf[t].at = at + t * ncands;
		cf[t].firsts = malloc(ncands * sizeof(*cf[t].firsts));
		if (cf[t].firsts == NULL)
			goto done;
	}
	run_confirm(cf, nt, count_members);
	for (t = 0; t < nt; t++)
		if (cf[t].error < 0)
			goto done;
	/* a candidate's tags: range by range, so in input order */
	for (d = 0; d < ncands; d++) {
		pos = cands[d].start;
		for (t = 0; t < nt; t++) {
			cnt = cf[t].at[d];
			cf[t].at[d] = pos;
			pos += cnt;
		}
	}
	run_confirm(cf, nt, place_members);
	for (t = 0; t < nt; t++)
		if (cf[t].error < 0)
			goto done;
	for (t = 0; t < nt; t++) {
		memcpy(order + norder, cf[t].firsts,
		       cf[t].nfirsts * sizeof(*order));
		norder += cf[t].nfirsts;
		for (e = 0; e < cf[t].nslow; e += 2) {
			d = cf[t].slow[e + 1];
			if (!same(run, &cf[0].kd[cands[d].first],
				  &cf[0].kd[cf[t].slow[e]]))
				*splits = cands[d].split = 1;
		}
	}
	rc = 0;
done:
	free(at);
	for (t = 0; t < nt; t++) {
		free(cf[t].firsts);
		free(cf[t].copies);
		free(cf[t].slow);
	}
	return rc;
}

/*
 * The engine keys every tag with a version as it is added (see
 * tp_lint_keys); equal tags have equal keys, so gather() finds every
 * group among tags of equal keys without reading anything but the keys,
 * and confirm() checks them.  The tags of a candidate are listed in
 * input order, and the candidates in the order of their first tags, the
 * order they are reported in.
 */
static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_keyed **gtags = NULL;
	const struct tp_keyed *kd;
	struct gather g[THREADS_MAX];
	struct confirm cf[THREADS_MAX];
	struct cand *c;
	struct group *groups = NULL;
	struct tp_buf text = TP_BUF_INIT;
	uint32_t *mark = NULL, *order = NULL;
	size_t n, nt, t, ncands = 0, ngroups = 0, agroups = 0, e;
	size_t total = 0, most = 0;
	int on[TP_SCOPE_COUNT], all = 1, sc, splits = 0;

	memset(g, 0, sizeof(g));
	memset(cf, 0, sizeof(cf));
	kd = tp_lint_keyed(run, &n);
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
	mark = malloc(n * sizeof(*mark));
	if (mark == NULL)
		goto nomem;
	memset(mark, 0xff, n * sizeof(*mark));
	g[0].keys = tp_lint_keys(run);
	g[0].kd = kd;
	g[0].on = on;
	g[0].all = all;
	g[0].mark = mark;
	nt = threads_for(n);
	if (gather(g, nt, n) < 0)
		goto nomem;
	for (t = 0; t < nt; t++) {
		ncands += g[t].ncands;
		for (e = 0; e < g[t].ncands; e++) {
			g[t].cands[e].start = total;
			total += g[t].cands[e].n;
		}
	}
	if (ncands == 0)
		goto done;
	cf[0].kd = kd;
	cf[0].mark = mark;
	cf[0].gnt = nt;
	cf[0].list = malloc(total * sizeof(*cf[0].list));
	cf[0].ltext = malloc(total * sizeof(*cf[0].ltext));
	cf[0].llen = malloc(total * sizeof(*cf[0].llen));
	order = malloc(ncands * sizeof(*order));
	if (cf[0].list == NULL || cf[0].ltext == NULL || cf[0].llen == NULL ||
	    order == NULL || confirm(run, g, nt, n, cf, order, &splits) < 0)
		goto nomem;
	for (e = 0; e < ncands; e++) {
		c = &cf[0].cands[order[e]];
		if (c->split) {
			if (split(run, kd, cf[0].list + c->start, c->n,
				  c->start, &groups, &ngroups, &agroups) < 0)
				goto nomem;
			for (t = c->start; t < c->start + c->n; t++) {
				cf[0].ltext[t] = kd[cf[0].list[t]].text;
				cf[0].llen[t] = kd[cf[0].list[t]].len;
			}
			continue;
		}
		if (grow(&groups, &agroups, ngroups, sizeof(*groups)) < 0)
			goto nomem;
		groups[ngroups].first = c->first;
		groups[ngroups].start = c->start;
		groups[ngroups++].n = c->n;
	}
	/* a split group's parts may start later than other groups */
	if (splits)
		qsort(groups, ngroups, sizeof(*groups), by_first);
	for (e = 0; e < ngroups; e++)
		if (groups[e].n > most)
			most = groups[e].n;
	gtags = malloc((most ? most : 1) * sizeof(*gtags));
	if (gtags == NULL)
		goto nomem;
	for (e = 0; e < ngroups; e++) {
		for (t = 0; t < groups[e].n; t++)
			gtags[t] = &kd[cf[0].list[groups[e].start + t]];
		report(run, conf, &text, gtags, cf[0].ltext + groups[e].start,
		       cf[0].llen + groups[e].start, groups[e].n);
	}
	goto done;
nomem:
	tp_lint_fail(run, TP_ENOMEM);
done:
	for (t = 0; t < THREADS_MAX; t++)
		free(g[t].cands);
	tp_buf_release(&text);
	free(cf[0].cands);
	free(cf[0].list);
	free(cf[0].ltext);
	free(cf[0].llen);
	free(gtags);
	free(groups);
	free(order);
	free(mark);
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
