/*
 * duplicate-version: no two tags of one scope carry the same version and
 * fields.
 *
 * Two tags are duplicates when they are in the same scope and the same
 * repository (image references of two names are two images, which may
 * well share a version; plain tags are compared with plain tags: see
 * tp_lint_keyed_repo), their kinds have the same fields in the same
 * order (templates that differ only in literal text: "v{semver}" and
 * "{semver}"), their versions are equal in precedence (build metadata
 * does not count) and their other fields are equal.  Equal precedence
 * is equal text of major, minor, patch and prerelease (numbers have no
 * leading zeros), so the tags are grouped by the engine's duplicate
 * keys, which come sorted into buckets already
 * (tp_lint_key_blocks): one hash table for a few buckets at a time; no
 * sorting.  The tags of each group of equal keys are logged as they are
 * met (in input order), then confirmed group by group, and a run that
 * keeps no results rebuilds tags only when their texts differ in more
 * than build metadata.
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
/* At most this many threads. */
#define THREADS_MAX 4

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

	return n == tp_lint_keyed_repo(kb) &&
	       memcmp(ka->text, kb->text, n) == 0;
}

/* Rebuilds both results when the run keeps none (a streaming run). */
static int
same(struct tp_lint *run, const struct tp_keyed *ka, const struct tp_keyed *kb)
{
	const struct tp_tagres *a, *b;
	const struct tp_fieldval *fa, *fb;
	size_t i;

	if (ka->scope != kb->scope ||
	    tp_lint_kind_sig(run, tp_lint_keyed_kind(run, ka)) !=
		    tp_lint_kind_sig(run, tp_lint_keyed_kind(run, kb)))
		return 0;
	/* tags of two repositories are not duplicates (see the top) */
	if (ka->is_ref != kb->is_ref || (ka->is_ref && !same_repo(ka, kb)))
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
	    only_version(tp_lint_keyed_kind(run, ka)))
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
 * and what the confirming pass learns of it.
 */
struct cand {
	uint32_t first;
	uint32_t n; /* tags, the first one too */
	uint32_t placed; /* ... listed so far (confirm) */
	size_t start; /* its tags in the member list */
	const char *ftext; /* the first tag's text */
	unsigned char scope; /* ... its scope */
	unsigned char split; /* its tags are not all the same */
	/* the first tag's version span (tp_keyed.voff, .vlen) */
	unsigned char voff;
	unsigned char vlen;
};

/*
 * A reported group: `n` tags from `start` in the member list; `c` is its
 * candidate when it is the whole of it (not split), whose first tag's
 * text then says the version.
 */
struct group {
	uint32_t first;
	size_t start;
	size_t n;
	const struct cand *c;
};

/* A tag of a candidate, as gather() meets it. */
struct member {
	uint32_t cand; /* the candidate's number on its thread */
	uint32_t tag;
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
 * candidates of its own (a key is in one unit): each thread logs the
 * tags of its candidates as it meets them, so each candidate's tags are
 * in input order in the log, and nothing is kept for the other tags.
 */
struct gather {
	/* shared, read only while the threads run */
	const struct tp_key_block *const *blocks;
	size_t nblocks;
	const struct tp_keyed *kd;
	const int *on;
	int all;
	int ubits; /* a unit is 1 << ubits buckets */
	size_t size; /* table slots: room for the biggest unit */
	/* this thread's */
	size_t ulo, uhi; /* its units */
	struct cand *cands;
	size_t ncands, acands;
	struct member *log;
	size_t nlog, alog;
	int error;
};

static int
keep(const struct gather *g, uint32_t i)
{
	/* the scope is read only when the rule is off in one */
	return g->all || g->on[g->kd[i].scope];
}

/* The keys of unit u in block b: from *e up to *end. */
static void
unit_range(const struct gather *g, const struct tp_key_block *b, size_t u,
	   size_t *e, size_t *end)
{
	*e = b->start[u << g->ubits];
	*end = b->start[(u + 1) << g->ubits];
}

/* Logs tag i of candidate c; 0 or TP_ENOMEM. */
static int
log_member(struct gather *g, uint32_t c, uint32_t i)
{
	if (grow(&g->log, &g->alog, g->nlog, sizeof(*g->log)) < 0)
		return TP_ENOMEM;
	g->log[g->nlog].cand = c;
	g->log[g->nlog++].tag = i;
	return 0;
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
		    g->ncands >= NONE)
			return TP_ENOMEM;
		c = &g->cands[g->ncands];
		memset(c, 0, sizeof(*c));
		c->first = sl->first;
		c->n = 1;
		sl->group = (uint32_t)g->ncands++;
		if (log_member(g, sl->group, sl->first) < 0)
			return TP_ENOMEM;
	}
	g->cands[sl->group].n++;
	return log_member(g, sl->group, i);
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
			/*
			 * each block's part of a unit is a miss: the place of
			 * the one after next, the keys of the next, asked for
			 * ahead (a block's start[] was asked for a round ago)
			 */
			if (k + 2 < g->nblocks)
				TP_PREFETCH(&g->blocks[k + 2]
						     ->start[u << g->ubits]);
			if (k + 1 < g->nblocks) {
				b = g->blocks[k + 1];
				e = b->start[u << g->ubits];
				TP_PREFETCH(&b->keys[e]);
				TP_PREFETCH(&b->local[e]);
			}
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
 * the candidates and logs stay in each g[t] (the caller frees them).  0
 * or TP_ENOMEM.
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
 * Second pass, on the gather threads, each over its own candidates: the
 * log puts each candidate's tags in the member list (at its `start`, in
 * input order: its first tag first), then each candidate's tags are
 * compared with its first tag, candidate after candidate, so that the
 * first tag's text stays in the cache while its tags are read.  Tags of
 * other texts are left for the calling thread to compare the slow way.
 */
struct confirm {
	/* shared */
	const struct tp_keyed *kd;
	uint32_t *list; /* tags by candidate, each in input order */
	const char **ltext; /* ... the texts to report them with */
	size_t *llen;
	/* this thread's */
	struct gather *g;
	uint32_t *slow; /* tags (and candidates) to compare the slow way */
	size_t nslow, aslow;
	int error;
};

/* How far ahead confirm_cands() asks for records, and for their texts. */
#define AHEAD_RECORD 16
#define AHEAD_TEXT 8

static void *
confirm_cands(void *arg)
{
	struct confirm *cf = arg;
	struct gather *g = cf->g;
	const struct tp_keyed *k, *f;
	struct cand *c;
	size_t e, at, end, hi;
	uint32_t i;
	int same_text;

	for (e = 0; e < g->nlog; e++) {
		c = &g->cands[g->log[e].cand];
		cf->list[c->start + c->placed++] = g->log[e].tag;
	}
	/* the thread's candidates' tags are list[start of the first, hi) */
	hi = g->ncands > 0
		     ? g->cands[g->ncands - 1].start + g->cands[g->ncands - 1].n
		     : 0;
	for (c = g->cands; c < g->cands + g->ncands; c++) {
		f = NULL;
		for (at = c->start, end = c->start + c->n; at < end; at++) {
			/*
			 * the tags are anywhere in the list, and so are their
			 * texts: each a miss, asked for some tags ahead
			 */
			if (at + AHEAD_RECORD < hi)
				TP_PREFETCH(
					&cf->kd[cf->list[at + AHEAD_RECORD]]);
			if (at + AHEAD_TEXT < hi)
				TP_PREFETCH(
					cf->kd[cf->list[at + AHEAD_TEXT]].text);
			i = cf->list[at];
			k = &cf->kd[i];
			cf->llen[at] = k->len;
			if (f == NULL) {
				/* the first tag: what the others are like */
				f = k;
				c->ftext = f->text;
				c->scope = f->scope;
				c->voff = f->voff;
				c->vlen = f->vlen;
				cf->ltext[at] = f->text;
				continue;
			}
			/* the same text of the same kind: the same fields */
			same_text = k->kind == f->kind &&
				    k->scope == f->scope && !k->is_ref &&
				    !f->is_ref && k->len == f->len &&
				    memcmp(k->text, f->text, k->len) == 0;
			/* printing a group of one text then reads one text */
			cf->ltext[at] = same_text ? f->text : k->text;
			if (same_text)
				continue;
			if (grow(&cf->slow, &cf->aslow, cf->nslow + 1,
				 sizeof(*cf->slow)) < 0) {
				cf->error = TP_ENOMEM;
				return NULL;
			}
			cf->slow[cf->nslow++] = i;
			cf->slow[cf->nslow++] = (uint32_t)(c - g->cands);
		}
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
 * Confirms the candidates of g[0..nt) (see struct confirm), their
 * `start`s set: fills the member lists of cf[0] and marks splits; then
 * gathers every candidate into `cands` (numbered thread by thread) and
 * their order by first tag.  0 or TP_ENOMEM.
 */
static int
confirm(struct tp_lint *run, struct gather *g, size_t nt, struct confirm *cf,
	struct cand *cands, uint32_t *order, int *splits)
{
	size_t t, e, d, ncands = 0;
	int rc = TP_ENOMEM;

	for (t = 0; t < nt; t++) {
		if (t > 0)
			cf[t] = cf[0];
		cf[t].g = &g[t];
	}
	tp_parts_run(cf, sizeof(*cf), nt, confirm_cands);
	for (t = 0; t < nt; t++)
		if (cf[t].error < 0)
			goto done;
	for (t = 0; t < nt; t++) {
		for (e = 0; e < cf[t].nslow; e += 2) {
			d = cf[t].slow[e + 1];
			if (!same(run, &cf[0].kd[g[t].cands[d].first],
				  &cf[0].kd[cf[t].slow[e]]))
				*splits = g[t].cands[d].split = 1;
		}
		memcpy(cands + ncands, g[t].cands,
		       g[t].ncands * sizeof(*cands));
		ncands += g[t].ncands;
	}
	if (by_first_tag(cands, ncands, order) < 0)
		goto done;
	rc = 0;
done:
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
	struct cand *cands = NULL;
	uint32_t *order = NULL;
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
	g[0].blocks = tp_lint_key_blocks(run, &g[0].nblocks);
	g[0].kd = kd;
	g[0].on = on;
	g[0].all = all;
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
	cf[0].list = malloc(total * sizeof(*cf[0].list));
	/* the set problems keep these two (see report()) */
	cf[0].ltext = tp_lint_alloc(run, total * sizeof(*cf[0].ltext));
	cf[0].llen = tp_lint_alloc(run, total * sizeof(*cf[0].llen));
	cands = malloc(ncands * sizeof(*cands));
	order = malloc(ncands * sizeof(*order));
	if (cf[0].list == NULL || cf[0].ltext == NULL || cf[0].llen == NULL ||
	    cands == NULL || order == NULL ||
	    confirm(run, g, nt, cf, cands, order, &splits) < 0)
		goto nomem;
	for (e = 0; e < ncands; e++) {
		c = &cands[order[e]];
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
		/* the version is read from a first tag's text: a miss */
		if (e + AHEAD_TEXT < ngroups &&
		    groups[e + AHEAD_TEXT].c != NULL)
			TP_PREFETCH(groups[e + AHEAD_TEXT].c->ftext);
		for (t = 0; t < groups[e].n; t++)
			gtags[t] = &kd[cf[0].list[groups[e].start + t]];
		/*
		 * the version span of the first tag's text: what
		 * tp_lint_keyed_version_text() would read
		 */
		gc = groups[e].c;
		report(run, conf, &text,
		       gc != NULL ? (enum tp_scope)gc->scope
				  : (enum tp_scope)gtags[0]->scope,
		       gtags, cf[0].ltext + groups[e].start,
		       cf[0].llen + groups[e].start, groups[e].n,
		       gc != NULL && gc->vlen > 0 ? gc->ftext + gc->voff : NULL,
		       gc != NULL ? gc->vlen : 0);
	}
	goto done;
nomem:
	tp_lint_fail(run, TP_ENOMEM);
done:
	for (t = 0; t < THREADS_MAX; t++) {
		free(g[t].cands);
		free(g[t].log);
	}
	tp_buf_release(&text);
	free(cands);
	free(cf[0].list);
	free(gtags);
	free(groups);
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
