/*
 * duplicate-version: no two tags of one scope carry the same version and
 * fields.
 *
 * Two tags are duplicates when they are in the same scope and the same
 * repository (image references of two names are two images, which may
 * well share a version; plain tags are compared with plain tags: see
 * tp_lint_keyed_repo), their kinds have the same fields in the same order (templates that differ only in
 * literal text: "v{semver}" and "{semver}"), their versions are equal in
 * precedence (build metadata does not count) and their other fields are
 * equal.  Equal precedence is equal text of major, minor, patch and
 * prerelease (numbers have no leading zeros), so the tags are grouped by
 * the engine's duplicate keys, which come sorted into buckets already
 * (tp_lint_key_blocks): one hash table for a few buckets at a time; no
 * sorting.  The groups of equal keys are then confirmed tag by tag in
 * input order, and a run that keeps no results rebuilds tags only when
 * their texts differ in more than build metadata.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint.h"
#include "parts.h"
#include "rule.h"

/*
 * Tags are numbered with 32 bits here (index into the keyed array): four
 * billion tags with a version would not fit in memory anyway.
 */
#define NONE UINT32_MAX

/*
 * Keys are gathered a unit at a time: a unit is a run of consecutive
 * buckets of the engine's key blocks (TP_KEY_BITS) holding about this
 * many keys, so that the table of one unit stays in the cache (one table
 * over a million keys misses the cache on almost every probe) and a unit
 * is a run of whole cache lines in each block.
 */
#define UNIT_KEYS 2048

/* Fewer keys than this are gathered on the calling thread alone. */
#define PAR_KEYS ((size_t)1 << 16)
/*
 * At most this many threads, and a candidate's number in mark[] (see
 * struct gather) is its number on its thread shifted by this many bits.
 */
#define THREADS_MAX 4
#define THREAD_BITS 2

/*
 * A unit's table slot: the first tag of a key, and its candidate once a
 * second tag has the key.  A slot belongs to the unit whose number plus
 * one is in `gen` (the table is used again for each unit without being
 * cleared).
 */
struct slot {
	uint64_t key;
	size_t gen;
	uint32_t first;
	uint32_t group; /* the candidate, NONE while the tag is alone */
};

/* 1 when the kind's only fields are parts of its version. */
static int
only_version(const struct tp_kind *k)
{
	size_t i;

	for (i = 0; i < k->npieces; i++)
		if (k->pieces[i].field != NULL &&
		    !tp_field_is_version(k->pieces[i].field->type))
			return 0;
	return 1;
}

/* 1 when two references name the same repository, as written. */
static int
same_repo(const struct tp_keyed *ka, const struct tp_keyed *kb)
{
	size_t n = tp_lint_keyed_repo(ka);

	return n == tp_lint_keyed_repo(kb) && memcmp(ka->text, kb->text, n) == 0;
}

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
	/* tags of two repositories are not duplicates (see the top) */
	if (ka->is_ref != kb->is_ref ||
	    (ka->is_ref && !same_repo(ka, kb)))
		return 0;
	/* the same text of the same kind: the same fields, surely */
	if (ka->kind == kb->kind && !ka->is_ref && !kb->is_ref &&
	    ka->len == kb->len && memcmp(ka->text, kb->text, ka->len) == 0)
		return 1;
	/*
	 * 1.2.3+a beside 1.2.3 (build metadata): a kind whose only fields
	 * are parts of its version has no other field to compare, and the
	 * spans of the versions' text (tp_keyed.voff, .vlen: the major to
	 * the prerelease, the parts one byte apart) are equal exactly when
	 * each part's text is, that is when the versions are equal in
	 * precedence (see the top), which is what the comparison below
	 * finds after two rebuilds
	 */
	if (ka->kind == kb->kind && ka->vlen > 0 && kb->vlen > 0 &&
	    only_version(ka->kind))
		return ka->vlen == kb->vlen &&
		       memcmp(ka->text + ka->voff, kb->text + kb->voff,
			      ka->vlen) == 0;
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
 * texts[i] and lens[i] are group[i]'s (they live as long as the run);
 * the version is said from `version` (`vlen` bytes) when that is not
 * NULL, else from the first tag; `text` is scratch, reused from group to
 * group.
 */
static void
report(struct tp_lint *run, const struct tp_rule_conf *conf,
       struct tp_buf *text, enum tp_scope scope, const struct tp_keyed **group,
       const char **texts, size_t *lens, size_t n, const char *version,
       size_t vlen)
{
	tp_buf_clear(text);
	if (version != NULL) {
		if (tp_buf_put(text, version, vlen) < 0) {
			tp_lint_fail(run, TP_ENOMEM);
			return;
		}
	} else if (tp_lint_keyed_version_text(text, run, group[0]) < 0) {
		return;
	}
	tp_lint_report_set_texts(run, conf, scope, group, texts, lens, n,
				 "have the same version %s", text->ptr);
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
	uint32_t nin[THREADS_MAX]; /* ... in each confirming range */
	size_t start; /* its tags in the member list */
	const struct tp_kind *kind; /* the first tag's */
	const char *ftext; /* its text */
	const char *copy; /* a copy of it, kept with others */
	size_t len;
	unsigned char scope;
	unsigned char is_ref;
	unsigned char split; /* its tags are not all the same */
	/* the first tag's version span (tp_keyed.voff, .vlen) */
	unsigned char voff;
	unsigned char vlen;
};

/*
 * A reported group: `n` tags from `start` in the member list; `c` is its
 * candidate when it is the whole of it (not split), whose first tag's
 * copy then says the version.
 */
struct group {
	uint32_t first;
	size_t start;
	size_t n;
	const struct cand *c;
};

static int
by_first(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	return (a->first > b->first) - (a->first < b->first);
}

/*
 * First pass, keys only: one pass over a hash table per unit gathers the
 * tags of each key that several tags have into a candidate.  The engine
 * sorted the keys of each block into buckets, so a unit's keys are a run
 * of each block; a key's tags are all in one bucket and come block by
 * block, so in input order: the first tag met is the first in input
 * order.  On a long list the units are shared by threads, each with
 * candidates of its own; mark[i] is tag i's candidate plus one, as its
 * number on its thread << THREAD_BITS | the thread, or 0 (a tag is in
 * one unit, so one thread marks it).  The tags of a candidate are counted
 * in each range of tags that confirm() gives a thread (cut[t] up to
 * cut[t + 1]).
 */
struct gather {
	/* shared, read only while the threads run */
	const struct tp_key_block *const *blocks;
	size_t nblocks;
	const struct tp_keyed *kd;
	const int *on;
	int all;
	int ubits; /* a unit is 1 << ubits buckets */
	size_t nt;
	size_t cut[THREADS_MAX]; /* the confirming ranges */
	uint32_t *mark;
	size_t size; /* table slots: room for the biggest unit */
	/* this thread's */
	size_t t;
	size_t ulo, uhi; /* its units */
	struct cand *cands;
	size_t ncands, acands;
	int error;
};

static int
keep(const struct gather *g, uint32_t i)
{
	/* the scope is read only when the rule is off in one */
	return g->all || g->on[g->kd[i].scope];
}

/* The range of tags (struct confirm) that tag i is in. */
static size_t
range_of(const struct gather *g, uint32_t i)
{
	size_t r = g->nt - 1;

	while (i < g->cut[r])
		r--;
	return r;
}

/* The keys of unit u in block b: from *e up to *end. */
static void
unit_range(const struct gather *g, const struct tp_key_block *b, size_t u,
	   size_t *e, size_t *end)
{
	*e = b->start[u << g->ubits];
	*end = b->start[(u + 1) << g->ubits];
}

/*
 * Puts tag i, of key `key`, in the table of unit u: the first of its key,
 * or one more of a candidate.  0 or TP_ENOMEM.
 */
static int
gather_key(struct gather *g, struct slot *slots, size_t u, uint64_t key,
	   uint32_t i)
{
	size_t s, mask = g->size - 1;
	struct slot *sl;
	struct cand *c;

	for (s = (size_t)key & mask; (sl = &slots[s])->gen == u + 1;
	     s = (s + 1) & mask)
		if (sl->key == key)
			break;
	if (sl->gen != u + 1) {
		sl->gen = u + 1;
		sl->key = key;
		sl->first = i;
		sl->group = NONE;
		return 0;
	}
	if (sl->group == NONE) {
		if (grow(&g->cands, &g->acands, g->ncands, sizeof(*g->cands)) <
			    0 ||
		    g->ncands >= NONE >> THREAD_BITS)
			return TP_ENOMEM;
		c = &g->cands[g->ncands];
		memset(c, 0, sizeof(*c));
		c->first = sl->first;
		c->n = 1;
		c->nin[range_of(g, sl->first)] = 1;
		sl->group = (uint32_t)(g->ncands << THREAD_BITS | g->t);
		g->ncands++;
		g->mark[sl->first] = sl->group + 1;
	}
	c = &g->cands[sl->group >> THREAD_BITS];
	c->n++;
	c->nin[range_of(g, i)]++;
	g->mark[i] = sl->group + 1;
	return 0;
}

static void *
gather_units(void *arg)
{
	struct gather *g = arg;
	const struct tp_key_block *b;
	struct slot *slots;
	size_t u, k, e, end;
	uint32_t i;
	int rc = 0;

	slots = calloc(g->size, sizeof(*slots));
	if (slots == NULL) {
		g->error = TP_ENOMEM;
		return NULL;
	}
	for (u = g->ulo; u < g->uhi && rc == 0; u++)
		for (k = 0; k < g->nblocks && rc == 0; k++) {
			b = g->blocks[k];
			for (unit_range(g, b, u, &e, &end); e < end && rc == 0;
			     e++) {
				i = (uint32_t)(b->base + b->local[e]);
				if (keep(g, i))
					rc = gather_key(g, slots, u, b->keys[e],
							i);
			}
		}
	g->error = rc;
	free(slots);
	return NULL;
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
 * Fills g[0..nt) (g[0] holds the shared part) and gathers the `n` keys;
 * the candidates stay in each g[t].cands (the caller frees them).  0 or
 * TP_ENOMEM.
 */
static int
gather(struct gather *g, size_t nt, size_t n)
{
	size_t *cnt, nu, u, k, t, e, end, biggest = 0, size, per, done;
	int rc = 0;

	/* the fewest units of at most about UNIT_KEYS keys each */
	g->ubits = TP_KEY_BITS;
	while (g->ubits > 0 && (n >> (TP_KEY_BITS - g->ubits)) > UNIT_KEYS)
		g->ubits--;
	nu = TP_KEY_BUCKETS >> g->ubits;
	g->nt = nt;
	for (t = 0; t < nt; t++)
		g->cut[t] = n / nt * t;
	cnt = calloc(nu, sizeof(*cnt));
	if (cnt == NULL)
		return TP_ENOMEM;
	for (k = 0; k < g->nblocks; k++)
		for (u = 0; u < nu; u++) {
			unit_range(g, g->blocks[k], u, &e, &end);
			cnt[u] += end - e;
		}
	for (u = 0; u < nu; u++)
		if (cnt[u] > biggest)
			biggest = cnt[u];
	for (size = 16; size < 2 * biggest; size *= 2)
		;
	/* about as many keys for each thread */
	per = n / nt + 1;
	for (t = 0, u = 0; t < nt; t++) {
		if (t > 0)
			g[t] = g[0];
		g[t].t = t;
		g[t].size = size;
		g[t].ulo = u;
		for (done = 0; u < nu && (t + 1 == nt || done < per); u++)
			done += cnt[u];
		g[t].uhi = u;
	}
	free(cnt);
	tp_parts_run(g, sizeof(*g), nt, gather_units);
	for (t = 0; t < nt; t++)
		if (g[t].error < 0)
			rc = g[t].error;
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
			(*groups)[*ngroups].c = NULL;
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
 * gather threads, each over a range of tags.  First the first tags of
 * the candidates, in input order, are read and their texts copied aside
 * (a slice of them on each thread); then each thread lists its tags of
 * each candidate where gather() counted them (so that a candidate's tags
 * are listed in input order across the ranges) and compares each with
 * its first tag's copy.  The copies are close together, so the comparing
 * reads the tags in order and the copies from the cache.  Tags of other
 * texts are left for the calling thread to compare the slow way.
 */
struct confirm {
	/* shared */
	const struct tp_keyed *kd;
	const uint32_t *mark;
	struct cand *cands; /* every candidate, renumbered densely */
	size_t cbase[THREADS_MAX]; /* gather thread t's first number */
	const uint32_t *order; /* the candidates by first tag */
	uint32_t *list; /* tags by candidate, each in input order */
	const char **ltext; /* ... the texts to report them with */
	size_t *llen;
	/* this thread's */
	size_t lo, hi; /* its tags */
	size_t olo, ohi; /* its first tags, in order[] */
	size_t *at; /* per candidate: where its next tag here goes */
	char *copies;
	uint32_t *slow; /* tags (and candidates) to compare the slow way */
	size_t nslow, aslow;
	int error;
};

static size_t
dense(const struct confirm *cf, uint32_t id)
{
	return cf->cbase[id & (THREADS_MAX - 1)] + (id >> THREAD_BITS);
}

/* The thread's slice of the first tags: what is compared with them. */
static void *
read_firsts(void *arg)
{
	struct confirm *cf = arg;
	const struct tp_keyed *k;
	struct cand *c;
	size_t e, len = 0;
	char *p;

	for (e = cf->olo; e < cf->ohi; e++) {
		c = &cf->cands[cf->order[e]];
		k = &cf->kd[c->first];
		c->kind = k->kind;
		c->ftext = k->text;
		c->len = k->len;
		c->scope = k->scope;
		c->is_ref = k->is_ref;
		c->voff = k->voff;
		c->vlen = k->vlen;
		len += k->len;
	}
	cf->copies = malloc(len ? len : 1);
	if (cf->copies == NULL) {
		cf->error = TP_ENOMEM;
		return NULL;
	}
	for (p = cf->copies, e = cf->olo; e < cf->ohi; e++) {
		c = &cf->cands[cf->order[e]];
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
		if (cf->mark[i] == 0)
			continue;
		d = dense(cf, cf->mark[i] - 1);
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

/*
 * order[0..n) := the candidates 0..n-1 by first tag (their numbers:
 * first tags are distinct), by a radix sort of (first, number) pairs.
 * 0 or TP_ENOMEM.
 */
static int
by_first_tag(const struct cand *cands, size_t n, uint32_t *order)
{
	uint64_t *a, *b, *tmp;
	size_t cnt[256], i, d, pass, pos, k;

	a = malloc((n ? n : 1) * sizeof(*a));
	b = malloc((n ? n : 1) * sizeof(*b));
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return TP_ENOMEM;
	}
	for (d = 0; d < n; d++)
		a[d] = (uint64_t)cands[d].first << 32 | d;
	/* the four bytes of the first tag, the lowest first */
	for (pass = 4; pass < 8; pass++) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(a[i] >> (8 * pass)) & 0xff]++;
		for (k = 0, pos = 0; k < 256; k++) {
			pos += cnt[k];
			cnt[k] = pos - cnt[k];
		}
		for (i = 0; i < n; i++)
			b[cnt[(a[i] >> (8 * pass)) & 0xff]++] = a[i];
		tmp = a;
		a = b;
		b = tmp;
	}
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)a[i];
	free(a);
	free(b);
	return 0;
}

/*
 * Confirms the candidates of g[0..nt) (see struct confirm): fills
 * cf[0].cands (the caller frees it), the order of the candidates by
 * first tag, the copies of the first tags (each cf[t].copies: the caller
 * frees them) and the member lists; splits marked.  0 or TP_ENOMEM.
 */
static int
confirm(struct tp_lint *run, struct gather *g, size_t nt, size_t n,
	struct confirm *cf, uint32_t *order, int *splits)
{
	struct cand *cands;
	size_t t, d, e, ncands = 0, pos;
	size_t *at = NULL;
	int rc = TP_ENOMEM;

	for (t = 0; t < nt; t++) {
		cf[0].cbase[t] = ncands;
		ncands += g[t].ncands;
	}
	cands = cf[0].cands = malloc(ncands * sizeof(*cands));
	at = malloc(nt * ncands * sizeof(*at));
	if (cands == NULL || at == NULL)
		goto done;
	for (t = 0; t < nt; t++)
		memcpy(cands + cf[0].cbase[t], g[t].cands,
		       g[t].ncands * sizeof(*cands));
	if (by_first_tag(cands, ncands, order) < 0)
		goto done;
	cf[0].order = order;
	/* a candidate's tags: range by range, so in input order */
	for (d = 0; d < ncands; d++) {
		pos = cands[d].start;
		for (t = 0; t < nt; t++) {
			at[t * ncands + d] = pos;
			pos += cands[d].nin[t];
		}
	}
	for (t = 0; t < nt; t++) {
		if (t > 0)
			cf[t] = cf[0];
		cf[t].lo = g->cut[t];
		cf[t].hi = t + 1 == nt ? n : g->cut[t + 1];
		cf[t].olo = ncands / nt * t;
		cf[t].ohi = t + 1 == nt ? ncands : ncands / nt * (t + 1);
		cf[t].at = at + t * ncands;
	}
	tp_parts_run(cf, sizeof(*cf), nt, read_firsts);
	for (t = 0; t < nt; t++)
		if (cf[t].error < 0)
			goto done;
	tp_parts_run(cf, sizeof(*cf), nt, place_members);
	for (t = 0; t < nt; t++)
		if (cf[t].error < 0)
			goto done;
	for (t = 0; t < nt; t++) {
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
	for (t = 0; t < nt; t++)
		free(cf[t].slow);
	return rc;
}

/*
 * The engine keys every tag with a version as it is added (see
 * tp_lint_key_blocks); equal tags have equal keys, so gather() finds every
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
	const struct cand *gc;
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
	/* zeroed by pages as they are touched: most tags are no duplicate */
	mark = calloc(n, sizeof(*mark));
	if (mark == NULL)
		goto nomem;
	g[0].blocks = tp_lint_key_blocks(run, &g[0].nblocks);
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
	cf[0].list = malloc(total * sizeof(*cf[0].list));
	/* the set problems keep these two (see report()) */
	cf[0].ltext = tp_lint_alloc(run, total * sizeof(*cf[0].ltext));
	cf[0].llen = tp_lint_alloc(run, total * sizeof(*cf[0].llen));
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
		groups[ngroups].c = c;
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
		/*
		 * the version span of the first tag's copy: what
		 * tp_lint_keyed_version_text() would read from its text
		 */
		gc = groups[e].c;
		report(run, conf, &text,
		       gc != NULL ? (enum tp_scope)gc->scope
				  : (enum tp_scope)gtags[0]->scope,
		       gtags, cf[0].ltext + groups[e].start,
		       cf[0].llen + groups[e].start, groups[e].n,
		       gc != NULL && gc->vlen > 0 ? gc->copy + gc->voff : NULL,
		       gc != NULL ? gc->vlen : 0);
	}
	goto done;
nomem:
	tp_lint_fail(run, TP_ENOMEM);
done:
	for (t = 0; t < THREADS_MAX; t++)
		free(g[t].cands);
	tp_buf_release(&text);
	for (t = 0; t < THREADS_MAX; t++)
		free(cf[t].copies);
	free(cf[0].cands);
	free(cf[0].list);
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
