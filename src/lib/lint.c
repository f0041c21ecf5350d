/*
 * lint.c: the lint engine: tag results, kind matching, field checks, the
 * rule hooks, suggestions, set rules and the JSON report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "date.h"
#include "imageref.h"
#include "json.h"
#include "rule.h"
#include "schema.h"
#include "template.h"

/* Results come in blocks so that they never move. */
#define RES_BLOCK 1024
#define ARENA_BLOCK ((size_t)64 * 1024)
#define ARENA_ALIGN 8

/*
 * Zeroed bytes after every text the regexes see: PCRE2's JIT code may
 * read a little past the end of the subject with wide loads, which is
 * harmless but must stay inside initialised memory for valgrind.
 */
#define TEXT_SLACK 16

/* The repairs tp_lint_suggest() combines (bits of a mask). */
#define FIX_LOWER 0x1u
#define FIX_DASH 0x2u
#define FIX_ZEROS 0x4u
#define FIX_COMPLETE 0x8u

/* A partial version is completed only when its numbers are this short. */
#define COMPLETE_MAX_DIGITS 6

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
};

#define ARENA_HDR \
	((sizeof(struct arena_block) + ARENA_ALIGN - 1) & \
	 ~(size_t)(ARENA_ALIGN - 1))

/* A literal a kind's template starts with, for the "add a prefix" fix. */
struct prefix {
	const char *text;
	size_t len;
};

/*
 * The kinds of a scope as one pattern, (?:(*MARK:0)k0|(*MARK:1)k1|...),
 * anchored at both ends: PCRE2 takes the first alternative that matches
 * the whole tag, which is the first kind that does, in one call instead of
 * one a kind.  Not built when a kind has a `pattern` field (a user's
 * backtracking verb could end the alternation early); then the kinds are
 * tried one by one.
 */
struct scope_re {
	pcre2_code *re;
	size_t *base; /* per kind of the scope: added to its group numbers */
};

/* A repair candidate: room for the tag, a kind's prefix and ".0.0". */
struct cand {
	char *s;
	size_t len;
	size_t size;
};

struct tp_lint {
	const struct tp_policy *p;
	struct tp_lint_opts opts;
	const struct tp_rule_conf *kind_conf;
	pcre2_match_data *md;
	int64_t now;
	int error;
	int finished; /* set rules ran (or are running) */
	int summed;

	struct tp_tagres **blocks;
	size_t nblocks;
	size_t n;

	struct arena_block *arena;

	struct tp_setprob *set;
	struct tp_setprob *set_tail;
	struct tp_lint_summary sum;

	size_t *kind_sig; /* per policy kind */
	struct scope_re sre[TP_SCOPE_COUNT];
	struct tp_keyed *keyed; /* tags with a version, input order */
	size_t nkeyed, akeyed;
	size_t nfacts; /* tags with a commit id */
	pcre2_code **partial_re; /* per policy kind, compiled lazily */
	struct tp_fieldval *probe_fields;
	struct prefix *prefixes[TP_SCOPE_COUNT];
	size_t nprefixes[TP_SCOPE_COUNT];
	struct cand cand;
	char *probe_text; /* a candidate, zeroed after it (TEXT_SLACK) */
	size_t probe_size;
};

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

static void
fail(struct tp_lint *run, int code)
{
	if (run->error == 0)
		run->error = code;
}

void
tp_lint_fail(struct tp_lint *run, int code)
{
	fail(run, code);
}

static void *
arena_alloc(struct tp_lint *run, size_t n)
{
	struct arena_block *b = run->arena;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	size_t size;
	void *ptr;

	if (need < n) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	if (b == NULL || b->size - b->used < need) {
		size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = calloc(1, ARENA_HDR + size);
		if (b == NULL) {
			fail(run, TP_ENOMEM);
			return NULL;
		}
		b->used = 0;
		b->size = size;
		if (run->arena != NULL && need > ARENA_BLOCK) {
			/* a big one-off: keep filling the current block */
			b->next = run->arena->next;
			run->arena->next = b;
		} else {
			b->next = run->arena;
			run->arena = b;
		}
	}
	ptr = (char *)b + ARENA_HDR + b->used;
	b->used += need;
	return ptr;
}

static char *
arena_strndup(struct tp_lint *run, const char *s, size_t len)
{
	char *d = arena_alloc(run, len + TEXT_SLACK);

	if (d == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static char *
arena_vprintf(struct tp_lint *run, const char *fmt, va_list ap) TP_PRINTF(2, 0);

static char *
arena_vprintf(struct tp_lint *run, const char *fmt, va_list ap)
{
	va_list aq;
	char *d;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		fail(run, TP_ERROR);
		return NULL;
	}
	d = arena_alloc(run, (size_t)n + 1);
	if (d != NULL)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

static void
arena_free(struct arena_block *b)
{
	struct arena_block *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

enum tp_level
tp_lint_level(const struct tp_rule_conf *conf, enum tp_scope scope)
{
	enum tp_level l = conf->level[scope];

	if ((conf->desc->flags & TP_RULE_ALWAYS_ON) && l == TP_LEVEL_OFF)
		return TP_LEVEL_ERROR;
	return l;
}

static void
set_ok(const struct tp_lint *run, struct tp_tagres *t)
{
	t->ok = t->nerrors == 0 && (!run->opts.strict || t->nwarnings == 0);
}

static void add_diag(struct tp_lint *run, struct tp_tagres *t, const char *id,
		     enum tp_level level, const char *suggestion,
		     const char *fmt, va_list ap) TP_PRINTF(6, 0);

static void
add_diag(struct tp_lint *run, struct tp_tagres *t, const char *id,
	 enum tp_level level, const char *suggestion, const char *fmt,
	 va_list ap)
{
	struct tp_diag *d, **pp;
	int was_ok = t->ok;

	if (level == TP_LEVEL_OFF)
		return;
	if (level == TP_LEVEL_ERROR)
		t->nerrors++;
	else
		t->nwarnings++;
	set_ok(run, t);
	if (t->probe_)
		return;
	if (run->finished) {
		/* a set rule reports on a tag that was counted already */
		run->sum.warnings += level == TP_LEVEL_WARNING;
		if (was_ok && !t->ok) {
			run->sum.passed--;
			run->sum.failed++;
		}
	}
	d = arena_alloc(run, sizeof(*d));
	if (d == NULL)
		return;
	d->rule = id;
	d->level = level;
	d->message = arena_vprintf(run, fmt, ap);
	d->suggestion =
		suggestion ? arena_strndup(run, suggestion, strlen(suggestion))
			   : NULL;
	d->next = NULL;
	if (d->message == NULL)
		return;
	/* errors first, otherwise in the order found */
	pp = &t->diags;
	if (level == TP_LEVEL_ERROR)
		while (*pp != NULL && (*pp)->level == TP_LEVEL_ERROR)
			pp = &(*pp)->next;
	else
		while (*pp != NULL)
			pp = &(*pp)->next;
	d->next = *pp;
	*pp = d;
	t->ndiags++;
}

static void
engine_report(struct tp_lint *run, struct tp_tagres *t, const char *id,
	      enum tp_level level, const char *fmt, ...) TP_PRINTF(5, 6);

static void
engine_report(struct tp_lint *run, struct tp_tagres *t, const char *id,
	      enum tp_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(run, t, id, level, NULL, fmt, ap);
	va_end(ap);
}

void
tp_lint_report(struct tp_lint *run, struct tp_tagres *tag,
	       const struct tp_rule_conf *conf, const char *suggestion,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(run, tag, conf->desc->id, tp_lint_level(conf, tag->scope),
		 suggestion, fmt, ap);
	va_end(ap);
}

void
tp_lint_report_set(struct tp_lint *run, const struct tp_rule_conf *conf,
		   enum tp_scope scope, const struct tp_tagres **tags,
		   size_t ntags, const char *fmt, ...)
{
	struct tp_setprob *s;
	enum tp_level level = tp_lint_level(conf, scope);
	va_list ap;

	if (level == TP_LEVEL_OFF)
		return;
	s = arena_alloc(run, sizeof(*s));
	if (s == NULL)
		return;
	memset(s, 0, sizeof(*s));
	s->rule = conf->desc->id;
	s->level = level;
	s->scope = scope;
	va_start(ap, fmt);
	s->message = arena_vprintf(run, fmt, ap);
	va_end(ap);
	s->tags = arena_alloc(run, (ntags ? ntags : 1) * sizeof(*s->tags));
	if (s->message == NULL || s->tags == NULL)
		return;
	memcpy(s->tags, tags, ntags * sizeof(*tags));
	s->ntags = ntags;
	if (run->set_tail != NULL)
		run->set_tail->next = s;
	else
		run->set = s;
	run->set_tail = s;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */
/* ------------------------------------------------------------------ */

const struct tp_policy *
tp_lint_policy(const struct tp_lint *run)
{
	return run->p;
}

const struct tp_lint_opts *
tp_lint_options(const struct tp_lint *run)
{
	return &run->opts;
}

int64_t
tp_lint_now(const struct tp_lint *run)
{
	return run->now;
}

size_t
tp_lint_count(const struct tp_lint *run)
{
	return run->n;
}

struct tp_tagres *
tp_lint_at(const struct tp_lint *run, size_t i)
{
	return &run->blocks[i / RES_BLOCK][i % RES_BLOCK];
}

const struct tp_setprob *
tp_lint_set_problems(const struct tp_lint *run)
{
	return run->set;
}

size_t
tp_lint_kind_index(const struct tp_lint *run, const struct tp_kind *k)
{
	if (k == NULL || k < run->p->kinds ||
	    k >= run->p->kinds + run->p->nkinds)
		return (size_t)-1;
	return (size_t)(k - run->p->kinds);
}

size_t
tp_lint_kind_sig(const struct tp_lint *run, const struct tp_kind *k)
{
	size_t i = tp_lint_kind_index(run, k);

	return i == (size_t)-1 ? i : run->kind_sig[i];
}

int
tp_field_is_version(enum tp_field_type t)
{
	return t == TP_FIELD_SEMVER || t == TP_FIELD_MAJOR ||
	       t == TP_FIELD_MINOR || t == TP_FIELD_PATCH ||
	       t == TP_FIELD_PRE || t == TP_FIELD_META;
}

const struct tp_keyed *
tp_lint_keyed(const struct tp_lint *run, size_t *n)
{
	*n = run->nkeyed;
	return run->keyed;
}

/* A quick 64-bit mix of `len` bytes into `h` (not cryptographic). */
static uint64_t
mix(uint64_t h, const char *s, size_t len)
{
	const uint64_t m = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t w;
	size_t i;

	h = (h ^ len) * m;
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	return h;
}

static uint64_t
dup_key(const struct tp_lint *run, const struct tp_tagres *t)
{
	const struct tp_version *v = &t->version;
	uint64_t h = (uint64_t)t->scope * 31 + tp_lint_kind_sig(run, t->kind);
	size_t i;

	h = mix(h, v->str + v->major_off, v->major_len);
	h = mix(h, v->str + v->minor_off, v->minor_len);
	h = mix(h, v->str + v->patch_off, v->patch_len);
	h = mix(h, v->str + v->pre_off, v->pre_len);
	for (i = 0; i < t->nfields; i++)
		if (!tp_field_is_version(t->fields[i].field->type))
			h = mix(h, t->tag + t->fields[i].off, t->fields[i].len);
	return h ^ (h >> 31);
}

static void
add_keyed(struct tp_lint *run, struct tp_tagres *t)
{
	struct tp_keyed *k;
	size_t a;

	if (run->nkeyed == run->akeyed) {
		a = run->akeyed ? 2 * run->akeyed : 1024;
		k = realloc(run->keyed, a * sizeof(*k));
		if (k == NULL) {
			fail(run, TP_ENOMEM);
			return;
		}
		run->keyed = k;
		run->akeyed = a;
	}
	run->keyed[run->nkeyed].key = dup_key(run, t);
	run->keyed[run->nkeyed++].t = t;
}

int
tp_lint_version_text(struct tp_buf *out, const struct tp_tagres *t)
{
	const struct tp_version *v = &t->version;
	int error = 0;

	if (v->major_len > 0)
		error |= tp_buf_put(out, v->str + v->major_off, v->major_len);
	if (v->minor_len > 0) {
		if (v->major_len > 0)
			error |= tp_buf_putc(out, '.');
		error |= tp_buf_put(out, v->str + v->minor_off, v->minor_len);
	}
	if (v->patch_len > 0) {
		if (v->major_len > 0 || v->minor_len > 0)
			error |= tp_buf_putc(out, '.');
		error |= tp_buf_put(out, v->str + v->patch_off, v->patch_len);
	}
	if (v->pre_len > 0) {
		error |= tp_buf_putc(out, '-');
		error |= tp_buf_put(out, v->str + v->pre_off, v->pre_len);
	}
	return error ? TP_ENOMEM : 0;
}

void
tp_lint_summary(const struct tp_lint *run, struct tp_lint_summary *out)
{
	*out = run->sum;
}

int
tp_lint_failed(const struct tp_lint *run)
{
	return run->sum.failed > 0 || run->sum.set_errors > 0 ||
	       (run->opts.strict && run->sum.set_warnings > 0);
}

/* ------------------------------------------------------------------ */
/* Creating and freeing a run                                          */
/* ------------------------------------------------------------------ */

static int
same_fields(const struct tp_kind *a, const struct tp_kind *b)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->npieces && a->pieces[i].field == NULL)
			i++;
		while (j < b->npieces && b->pieces[j].field == NULL)
			j++;
		if (i == a->npieces || j == b->npieces)
			return i == a->npieces && j == b->npieces;
		if (a->pieces[i].field != b->pieces[j].field)
			return 0;
		i++;
		j++;
	}
}

static size_t
nfield_pieces(const struct tp_kind *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->npieces; i++)
		n += k->pieces[i].field != NULL;
	return n;
}

static int
add_prefix(struct tp_lint *run, enum tp_scope s, const struct tp_kind *k)
{
	const struct tp_piece *pc = k->npieces ? &k->pieces[0] : NULL;
	size_t i;

	/* only kinds that start with a literal and then a field */
	if (pc == NULL || pc->field != NULL || pc->len == 0 || k->npieces < 2)
		return 0;
	for (i = 0; i < run->nprefixes[s]; i++)
		if (run->prefixes[s][i].len == pc->len &&
		    memcmp(run->prefixes[s][i].text, pc->text, pc->len) == 0)
			return 0;
	run->prefixes[s][run->nprefixes[s]].text = pc->text;
	run->prefixes[s][run->nprefixes[s]++].len = pc->len;
	return 0;
}

static int
rule_enabled(const struct tp_rule_conf *c)
{
	return tp_lint_level(c, TP_SCOPE_GIT) != TP_LEVEL_OFF ||
	       tp_lint_level(c, TP_SCOPE_IMAGE) != TP_LEVEL_OFF;
}

/*
 * Builds run->sre[s] (see struct scope_re) and sets *groups to its number
 * of groups.  Returns TP_ENOMEM only: a scope that cannot have one (a
 * `pattern` field, a pattern PCRE2 refuses) simply goes without.
 */
static int
scope_re(struct tp_lint *run, enum tp_scope s, uint32_t *groups)
{
	const struct tp_policy *p = run->p;
	struct scope_re *sr = &run->sre[s];
	struct tp_buf b = TP_BUF_INIT;
	const struct tp_kind *k;
	size_t i, j, base = 0;
	uint32_t n;
	int error = 0;

	*groups = 0;
	if (p->nscope[s] < 2)
		return 0;
	for (i = 0; i < p->nscope[s]; i++) {
		k = p->scope[s][i];
		if (k->re == NULL)
			return 0;
		for (j = 0; j < k->npieces; j++)
			if (k->pieces[j].field != NULL &&
			    k->pieces[j].field->type == TP_FIELD_PATTERN)
				return 0;
	}
	sr->base = calloc(p->nscope[s], sizeof(*sr->base));
	if (sr->base == NULL)
		return TP_ENOMEM;
	error = tp_buf_puts(&b, "(?:");
	for (i = 0; i < p->nscope[s] && error == 0; i++) {
		k = p->scope[s][i];
		sr->base[i] = base;
		if (pcre2_pattern_info(k->re, PCRE2_INFO_CAPTURECOUNT, &n) != 0)
			n = 0;
		base += n;
		error = tp_buf_printf(&b, "%s(*MARK:%zu)", i ? "|" : "", i);
		if (error == 0 &&
		    tp_template_pattern(&b, k->pieces, k->npieces,
					k->calver_counter, NULL) < 0)
			error = TP_ERROR;
	}
	if (error == 0)
		error = tp_buf_putc(&b, ')');
	if (error == 0 &&
	    tp_regex_compile(&sr->re, b.ptr,
			     PCRE2_ANCHORED | PCRE2_ENDANCHORED |
				     PCRE2_DUPNAMES,
			     NULL) == 0 &&
	    pcre2_pattern_info(sr->re, PCRE2_INFO_CAPTURECOUNT, &n) == 0 &&
	    n == base) {
		*groups = n;
	} else {
		/* no shortcut: the kinds are tried one by one */
		pcre2_code_free(sr->re);
		sr->re = NULL;
	}
	tp_buf_release(&b);
	return error == TP_ENOMEM ? TP_ENOMEM : 0;
}

int
tp_lint_new(struct tp_lint **out, const struct tp_policy *p,
	    const struct tp_lint_opts *opts, struct tp_error *err)
{
	struct tp_lint *run;
	const struct tp_kind *want = NULL;
	struct tp_suggest sg;
	char hint[128];
	uint32_t groups, maxg = 0;
	size_t i, j, maxf = 1;
	int s, error = 0;

	*out = NULL;
	run = calloc(1, sizeof(*run));
	if (run == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	run->p = p;
	if (opts != NULL)
		run->opts = *opts;
	else
		run->opts.scope = -1;

	if (run->opts.kind != NULL) {
		want = tp_policy_kind(p, run->opts.kind);
		if (want == NULL) {
			tp_suggest_init(&sg, run->opts.kind,
					strlen(run->opts.kind));
			for (i = 0; i < p->nkinds; i++)
				tp_suggest_add(&sg, p->kinds[i].name);
			tp_suggest_text(hint, sizeof(hint), &sg);
			error = tp_error_set(err, TP_EINVAL,
					     "unknown kind '%s'%s",
					     run->opts.kind, hint);
			goto done;
		}
		if (run->opts.scope >= 0) {
			s = run->opts.scope;
			for (i = 0; i < p->nscope[s]; i++)
				if (p->scope[s][i] == want)
					break;
			if (i == p->nscope[s]) {
				error = tp_error_set(
					err, TP_EINVAL,
					"kind '%s' is not allowed in scope %s",
					want->name,
					s == TP_SCOPE_GIT ? "git" : "image");
				goto done;
			}
		}
	}

	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i].desc->flags & TP_RULE_ALWAYS_ON &&
		    strcmp(p->rules[i].desc->id, "kind") == 0)
			run->kind_conf = &p->rules[i];
		if (strcmp(p->rules[i].desc->id, "date-future") == 0 &&
		    rule_enabled(&p->rules[i])) {
			error = tp_clock_now(&run->now, err);
			if (error < 0)
				goto done;
		}
	}
	if (run->kind_conf == NULL) {
		error = tp_error_set(err, TP_ERROR,
				     "the policy has no 'kind' rule");
		goto done;
	}

	run->kind_sig = calloc(p->nkinds + 1, sizeof(*run->kind_sig));
	run->partial_re = calloc(p->nkinds + 1, sizeof(*run->partial_re));
	if (run->kind_sig == NULL || run->partial_re == NULL)
		goto nomem;
	for (i = 0; i < p->nkinds; i++) {
		run->kind_sig[i] = i;
		for (j = 0; j < i; j++)
			if (same_fields(&p->kinds[i], &p->kinds[j])) {
				run->kind_sig[i] = run->kind_sig[j];
				break;
			}
		if (p->kinds[i].re != NULL &&
		    pcre2_pattern_info(p->kinds[i].re, PCRE2_INFO_CAPTURECOUNT,
				       &groups) == 0 &&
		    groups > maxg)
			maxg = groups;
		if (nfield_pieces(&p->kinds[i]) > maxf)
			maxf = nfield_pieces(&p->kinds[i]);
	}
	run->probe_fields = calloc(maxf, sizeof(*run->probe_fields));
	if (run->probe_fields == NULL)
		goto nomem;
	for (s = 0; s < TP_SCOPE_COUNT; s++) {
		run->prefixes[s] =
			calloc(p->nscope[s] + 1, sizeof(*run->prefixes[s]));
		if (run->prefixes[s] == NULL)
			goto nomem;
		for (i = 0; i < p->nscope[s]; i++)
			add_prefix(run, (enum tp_scope)s, p->scope[s][i]);
		if (scope_re(run, (enum tp_scope)s, &groups) < 0)
			goto nomem;
		if (groups > maxg)
			maxg = groups;
	}
	run->md = pcre2_match_data_create(maxg + 1, NULL);
	if (run->md == NULL)
		goto nomem;
	*out = run;
	return 0;
nomem:
	error = tp_error_set(err, TP_ENOMEM, "out of memory");
done:
	tp_lint_free(run);
	return error;
}

void
tp_lint_free(struct tp_lint *run)
{
	size_t i;
	int s;

	if (run == NULL)
		return;
	for (i = 0; i < run->nblocks; i++)
		free(run->blocks[i]);
	free(run->blocks);
	arena_free(run->arena);
	pcre2_match_data_free(run->md);
	for (i = 0; run->partial_re != NULL && i < run->p->nkinds; i++)
		pcre2_code_free(run->partial_re[i]);
	free(run->partial_re);
	free(run->kind_sig);
	free(run->probe_fields);
	for (s = 0; s < TP_SCOPE_COUNT; s++) {
		free(run->prefixes[s]);
		pcre2_code_free(run->sre[s].re);
		free(run->sre[s].base);
	}
	free(run->keyed);
	free(run->cand.s);
	free(run->probe_text);
	free(run);
}

/* ------------------------------------------------------------------ */
/* Linting one tag                                                     */
/* ------------------------------------------------------------------ */

static const char *
scope_name(enum tp_scope s)
{
	return s == TP_SCOPE_GIT ? "git" : "image";
}

/* The regex matched; fills the spans and checks the values. */
static void
take_fields(struct tp_lint *run, struct tp_tagres *t, size_t base)
{
	const struct tp_kind *k = t->kind;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(run->md);
	uint32_t nov = pcre2_get_ovector_count(run->md);
	struct tp_version *v = &t->version;
	struct tp_fieldval *fv;
	const struct tp_field *f;
	char why[160];
	size_t i, n = 0;
	int rc;

	t->nfields = nfield_pieces(k);
	if (t->probe_)
		t->fields = run->probe_fields;
	else if (t->nfields > 0)
		t->fields = arena_alloc(run, t->nfields * sizeof(*t->fields));
	if (t->nfields > 0 && t->fields == NULL)
		return;
	for (i = 0; i < k->npieces; i++) {
		size_t g = k->pieces[i].group + base;

		if (k->pieces[i].field == NULL)
			continue;
		fv = &t->fields[n++];
		fv->field = k->pieces[i].field;
		fv->date = 0;
		fv->valid = 1;
		if (g < nov && ov[2 * g] != PCRE2_UNSET) {
			fv->off = ov[2 * g];
			fv->len = ov[2 * g + 1] - ov[2 * g];
		} else {
			fv->off = fv->len = 0;
		}
	}
	/* value checks, after the spans: they reuse the match data */
	t->fields_ok = 1;
	memset(v, 0, sizeof(*v));
	v->str = t->tag;
	v->len = t->tag_len;
	for (i = 0; i < t->nfields; i++) {
		const char *s;

		fv = &t->fields[i];
		f = fv->field;
		s = t->tag + fv->off;
		switch (f->type) {
		case TP_FIELD_DATE:
			if (!tp_date_parse(&fv->date, f->date, s, fv->len, why,
					   sizeof(why))) {
				fv->valid = 0;
				tp_lint_report(
					run, t, run->kind_conf, NULL,
					"invalid {%s} '%.*s' in kind '%s': %s",
					f->name, (int)fv->len, s, k->name, why);
			}
			break;
		case TP_FIELD_PATTERN:
			if (f->pattern_re == NULL)
				break;
			rc = pcre2_match(f->pattern_re, (PCRE2_SPTR)s, fv->len,
					 0, 0, run->md, NULL);
			if (rc < 0) {
				fv->valid = 0;
				tp_lint_report(
					run, t, run->kind_conf, NULL,
					"invalid {%s} '%.*s' in kind '%s': "
					"does not match '%s'",
					f->name, (int)fv->len, s, k->name,
					f->pattern);
			}
			break;
		case TP_FIELD_SEMVER: {
			struct tp_error e;

			/* the regex checked the grammar: this rarely fails */
			if (tp_version_parse(v, s, fv->len, NULL) == 0)
				break;
			tp_error_init(&e);
			if (tp_version_parse(v, s, fv->len, &e) < 0) {
				fv->valid = 0;
				tp_lint_report(
					run, t, run->kind_conf, NULL,
					"invalid {%s} '%.*s' in kind '%s': %s",
					f->name, (int)fv->len, s, k->name,
					e.msg);
			}
			break;
		}
		case TP_FIELD_MAJOR:
			v->major_off = fv->off;
			v->major_len = fv->len;
			break;
		case TP_FIELD_MINOR:
			v->minor_off = fv->off;
			v->minor_len = fv->len;
			break;
		case TP_FIELD_PATCH:
			v->patch_off = fv->off;
			v->patch_len = fv->len;
			break;
		case TP_FIELD_PRE:
			v->pre_off = fv->off;
			v->pre_len = fv->len;
			break;
		case TP_FIELD_META:
			v->build_off = fv->off;
			v->build_len = fv->len;
			break;
		case TP_FIELD_BRANCH:
		case TP_FIELD_VALUES:
		case TP_FIELD_HEX: break;
		}
		if (!fv->valid)
			t->fields_ok = 0;
	}
	t->has_version = k->has_version && t->fields_ok;
	if (!t->has_version)
		memset(v, 0, sizeof(*v));
}

static int
kind_wanted(const struct tp_kind *k, const char *name)
{
	return k != NULL && strcmp(k->name, name) == 0;
}

static void
custom_rules(struct tp_lint *run, struct tp_tagres *t)
{
	const struct tp_policy *p = run->p;
	const struct tp_custom_rule *c;
	size_t i, j;
	int rc, hit;

	for (i = 0; i < p->ncustom; i++) {
		c = &p->custom[i];
		if (c->level == TP_LEVEL_OFF || c->re == NULL)
			continue;
		if (c->scope >= 0 && c->scope != (int)t->scope)
			continue;
		if (c->nkinds > 0) {
			for (j = 0; j < c->nkinds; j++)
				if (kind_wanted(t->kind, c->kinds[j]))
					break;
			if (j == c->nkinds)
				continue;
		}
		rc = pcre2_match(c->re, (PCRE2_SPTR)t->tag, t->tag_len, 0, 0,
				 run->md, NULL);
		hit = rc >= 0;
		if (c->negate ? hit : !hit)
			engine_report(run, t, c->id, c->level, "%s",
				      c->message);
		if (t->probe_ && t->nerrors > 0)
			return;
	}
}

/* The alternative of a scope pattern that matched (its (*MARK:N)). */
static size_t
mark(pcre2_match_data *md)
{
	PCRE2_SPTR m = pcre2_get_mark(md);
	size_t n = 0;

	if (m == NULL || *m == '\0')
		return (size_t)-1;
	for (; *m >= '0' && *m <= '9'; m++)
		n = n * 10 + (size_t)(*m - '0');
	return *m == '\0' ? n : (size_t)-1;
}

/* Steps 3 and 4 for t->tag in t->scope. */
static void
lint_tag(struct tp_lint *run, struct tp_tagres *t)
{
	const struct tp_policy *p = run->p;
	const struct tp_kind *const *ks = p->scope[t->scope];
	size_t nk = p->nscope[t->scope], i;
	const struct tp_rule_conf *c;
	int rc;

	if (run->sre[t->scope].re != NULL) {
		rc = pcre2_match(run->sre[t->scope].re, (PCRE2_SPTR)t->tag,
				 t->tag_len, 0, 0, run->md, NULL);
		i = rc >= 0 ? mark(run->md) : nk;
		if (i < nk) {
			t->kind = ks[i];
			take_fields(run, t, run->sre[t->scope].base[i]);
		}
	} else {
		for (i = 0; i < nk; i++) {
			if (ks[i]->re == NULL)
				continue;
			rc = pcre2_match(ks[i]->re, (PCRE2_SPTR)t->tag,
					 t->tag_len, 0, 0, run->md, NULL);
			if (rc >= 0) {
				t->kind = ks[i];
				take_fields(run, t, 0);
				break;
			}
		}
	}
	if (run->kind_conf->desc->check_tag != NULL)
		run->kind_conf->desc->check_tag(run, t, run->kind_conf);
	for (i = 0; i < p->nrules; i++) {
		if (t->probe_ && t->nerrors > 0)
			return;
		c = &p->rules[i];
		if (c == run->kind_conf || c->desc->check_tag == NULL ||
		    tp_lint_level(c, t->scope) == TP_LEVEL_OFF)
			continue;
		c->desc->check_tag(run, t, c);
	}
	if (t->probe_ && t->nerrors > 0)
		return;
	custom_rules(run, t);
}

static int
has_ref_char(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == '@')
			return 1;
	return 0;
}

static struct tp_tagres *
new_result(struct tp_lint *run)
{
	struct tp_tagres **nb;
	size_t b = run->n / RES_BLOCK;

	if (b == run->nblocks) {
		nb = realloc(run->blocks, (b + 1) * sizeof(*nb));
		if (nb == NULL)
			return NULL;
		run->blocks = nb;
		nb[b] = calloc(RES_BLOCK, sizeof(**nb));
		if (nb[b] == NULL)
			return NULL;
		run->nblocks++;
	}
	return &run->blocks[b][run->n % RES_BLOCK];
}

int
tp_lint_add(struct tp_lint *run, const struct tp_lint_input *in,
	    const struct tp_tagres **out, struct tp_error *err)
{
	struct tp_tagres *t;
	struct tp_image_ref ref;
	struct tp_error e;
	int scope = in->scope;

	if (out != NULL)
		*out = NULL;
	if (run->error == 0 && (t = new_result(run)) != NULL) {
		t->text = arena_strndup(run, in->text, in->len);
		t->len = in->len;
		t->line = in->line;
		t->index = run->n;
		t->annotated = in->annotated;
		t->ok = 1;
		if (in->commit != NULL)
			t->commit = arena_strndup(run, in->commit,
						  strlen(in->commit));
	} else {
		fail(run, TP_ENOMEM);
		t = NULL;
	}
	if (run->error != 0 || t == NULL)
		return tp_error_set(err, run->error ? run->error : TP_ENOMEM,
				    "out of memory");
	run->n++;
	t->tag = t->text;
	t->tag_len = t->len;
	if (scope < 0) {
		if (run->opts.scope == TP_SCOPE_GIT)
			scope = TP_SCOPE_GIT;
		else if (has_ref_char(t->text, t->len)) {
			scope = TP_SCOPE_IMAGE;
			t->is_ref = 1;
		} else if (run->opts.scope >= 0)
			scope = run->opts.scope;
		else
			scope = run->p->default_scope;
	}
	t->scope = (enum tp_scope)scope;
	if (in->problem != NULL) {
		engine_report(run, t, "input", TP_LEVEL_ERROR, "%s",
			      in->problem);
	} else if (t->is_ref) {
		tp_error_init(&e);
		if (tp_image_ref_parse(&ref, t->text, t->len, &e) < 0) {
			engine_report(run, t, "reference", TP_LEVEL_ERROR, "%s",
				      e.msg);
			t->tag = NULL;
			t->tag_len = 0;
		} else if (ref.tag_len == 0) {
			t->tag = NULL;
			t->tag_len = 0;
			if (run->opts.kind != NULL)
				tp_lint_report(run, t, run->kind_conf, NULL,
					       "has no tag, so no kind '%s'",
					       run->opts.kind);
		} else {
			t->tag = t->text + ref.tag_off;
			t->tag_len = ref.tag_len;
			lint_tag(run, t);
		}
	} else {
		lint_tag(run, t);
	}
	if (t->has_version)
		add_keyed(run, t);
	run->nfacts += t->commit != NULL;
	set_ok(run, t);
	/* counted now, while the result is in the cache */
	run->sum.checked++;
	run->sum.passed += t->ok != 0;
	run->sum.failed += t->ok == 0;
	run->sum.warnings += t->nwarnings;
	if (run->error != 0)
		return tp_error_set(err, run->error, "out of memory");
	if (out != NULL)
		*out = t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Suggestions                                                         */
/* ------------------------------------------------------------------ */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Applies one repair to the candidate in place; 1 when it changed
 * something.  There is always room for ".0.0" (see tp_lint_suggest).
 */
static int
repair(struct cand *c, unsigned fix)
{
	char *p = c->s;
	size_t i, j, parts, digits, maxd, n = c->len;
	int changed = 0;

	switch (fix) {
	case FIX_LOWER:
		for (i = 0; i < n; i++)
			if (p[i] >= 'A' && p[i] <= 'Z') {
				p[i] = (char)(p[i] - 'A' + 'a');
				changed = 1;
			}
		return changed;
	case FIX_DASH:
		for (i = 0; i < n; i++)
			if (p[i] == '_') {
				p[i] = '-';
				changed = 1;
			}
		return changed;
	case FIX_ZEROS:
		for (i = j = 0; i < n;) {
			if (p[i] == '0' && i + 1 < n && is_digit(p[i + 1]) &&
			    (i == 0 || !is_digit(p[i - 1]))) {
				/* a run's leading zeros, not its last digit */
				while (i + 1 < n && p[i] == '0' &&
				       is_digit(p[i + 1]))
					i++;
				changed = 1;
			}
			p[j++] = p[i++];
		}
		c->len = j;
		return changed;
	case FIX_COMPLETE:
		for (i = 0; i < n && !is_digit(p[i]); i++)
			;
		if (i == n)
			return 0;
		parts = 0;
		maxd = 0;
		for (;;) {
			for (digits = 0; i < n && is_digit(p[i]); i++)
				digits++;
			parts++;
			if (digits > maxd)
				maxd = digits;
			if (i + 1 < n && p[i] == '.' && is_digit(p[i + 1]))
				i++;
			else
				break;
		}
		if (parts >= 3 || maxd > COMPLETE_MAX_DIGITS)
			return 0;
		/* ".0" or ".0.0" after the first run of numbers */
		j = parts == 1 ? 4 : 2;
		memmove(p + i + j, p + i, n - i);
		memcpy(p + i, ".0.0", j);
		c->len += j;
		return 1;
	}
	return 0;
}

/* Lints s[0..len) in `scope` without recording; 1 when no error. */
static int
probe(struct tp_lint *run, enum tp_scope scope, const char *s, size_t len,
      const struct tp_kind **kind)
{
	struct tp_tagres t;

	/* a copy with zeroed slack, as the arena gives the real tags */
	if (len + TEXT_SLACK > run->probe_size) {
		free(run->probe_text);
		run->probe_size = len + TEXT_SLACK;
		run->probe_text = malloc(run->probe_size);
		if (run->probe_text == NULL) {
			run->probe_size = 0;
			fail(run, TP_ENOMEM);
			return 0;
		}
	}
	memcpy(run->probe_text, s, len);
	memset(run->probe_text + len, 0, run->probe_size - len);
	s = run->probe_text;
	memset(&t, 0, sizeof(t));
	t.text = t.tag = s;
	t.len = t.tag_len = len;
	t.scope = scope;
	t.annotated = -1;
	t.probe_ = 1;
	t.suggested_ = 1;
	lint_tag(run, &t);
	*kind = t.kind;
	return t.nerrors == 0;
}

static const unsigned fix_order[] = { 0x1, 0x2, 0x4, 0x8, 0x3, 0x5, 0x6, 0x9,
				      0xa, 0xc, 0x7, 0xb, 0xd, 0xe, 0xf };

/*
 * Builds candidate `mask` with prefix variant `pv` (0 none, 1 drop a
 * leading v/V, 2.. add prefix pv-2) into run->cand; 0 when a repair in it
 * changes nothing (a smaller mask gives the same text) or the result is
 * the tag itself.
 */
static int
candidate(struct tp_lint *run, const struct tp_tagres *t, unsigned mask,
	  size_t pv)
{
	struct cand *c = &run->cand;
	const struct prefix *px;
	size_t i;

	memcpy(c->s, t->tag, t->tag_len);
	c->len = t->tag_len;
	for (i = 0; i < 4; i++)
		if ((mask & (1u << i)) && !repair(c, 1u << i))
			return 0;
	if (pv == 1) {
		if (c->len < 2 || (c->s[0] != 'v' && c->s[0] != 'V') ||
		    !is_digit(c->s[1]))
			return 0;
		memmove(c->s, c->s + 1, --c->len);
	} else if (pv >= 2) {
		px = &run->prefixes[t->scope][pv - 2];
		if (c->len == 0 || !is_digit(c->s[0]) ||
		    (c->len >= px->len && memcmp(c->s, px->text, px->len) == 0))
			return 0;
		memmove(c->s + px->len, c->s, c->len);
		memcpy(c->s, px->text, px->len);
		c->len += px->len;
	}
	return c->len != t->tag_len || memcmp(c->s, t->tag, c->len) != 0;
}

const char *
tp_lint_suggest(struct tp_lint *run, struct tp_tagres *t)
{
	const struct tp_kind *k;
	size_t pv, npv, m, nm = sizeof(fix_order) / sizeof(fix_order[0]);
	size_t need, i;

	if (t->probe_ || t->tag == NULL)
		return NULL;
	if (t->suggested_)
		return t->suggestion_;
	t->suggested_ = 1;
	need = t->tag_len + sizeof(".0.0");
	npv = 2 + run->nprefixes[t->scope];
	for (i = 0; i < run->nprefixes[t->scope]; i++)
		need += run->prefixes[t->scope][i].len;
	if (need > run->cand.size) {
		free(run->cand.s);
		run->cand.s = malloc(need);
		run->cand.size = run->cand.s != NULL ? need : 0;
		if (run->cand.s == NULL) {
			fail(run, TP_ENOMEM);
			return NULL;
		}
	}
	/* m == 0 is no repair: only worth trying with a prefix change */
	for (pv = 0; pv < npv; pv++) {
		for (m = pv == 0 ? 1 : 0; m <= nm; m++) {
			if (!candidate(run, t, m ? fix_order[m - 1] : 0, pv) ||
			    !probe(run, t->scope, run->cand.s, run->cand.len,
				   &k))
				continue;
			t->suggestion_ =
				arena_strndup(run, run->cand.s, run->cand.len);
			return t->suggestion_;
		}
	}
	return NULL;
}

/*
 * The kind's pattern for partial matching: PCRE2 refuses partial matches
 * on patterns compiled with PCRE2_ENDANCHORED, so this copy is anchored at
 * the start only and ends in \z.  NULL when it cannot be built.
 */
static pcre2_code *
partial_re(struct tp_lint *run, const struct tp_kind *k)
{
	size_t i = tp_lint_kind_index(run, k);
	struct tp_buf b = TP_BUF_INIT;

	if (i == (size_t)-1)
		return NULL;
	if (run->partial_re[i] == NULL &&
	    tp_template_pattern(&b, k->pieces, k->npieces, k->calver_counter,
				NULL) == 0 &&
	    tp_buf_puts(&b, "\\z") == 0)
		(void)tp_regex_compile(&run->partial_re[i], b.ptr,
				       PCRE2_ANCHORED, NULL);
	tp_buf_release(&b);
	return run->partial_re[i];
}

/* The longest prefix of the tag that `k` can still match, in bytes. */
static size_t
follows(struct tp_lint *run, const struct tp_kind *k, const char *s, size_t len)
{
	pcre2_code *re = partial_re(run, k);
	size_t lo = 0, hi = len, mid;
	int rc;

	if (re == NULL)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		rc = pcre2_match(re, (PCRE2_SPTR)s, mid, 0, PCRE2_PARTIAL_HARD,
				 run->md, NULL);
		if (rc >= 0 || rc == PCRE2_ERROR_PARTIAL)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

const struct tp_kind *
tp_lint_nearest(struct tp_lint *run, struct tp_tagres *t)
{
	const struct tp_policy *p = run->p;
	const struct tp_kind *best = NULL, *k;
	size_t i, n, bestn = 0;

	if (t->probe_ || t->tag == NULL)
		return NULL;
	if (tp_lint_suggest(run, t) != NULL &&
	    probe(run, t->scope, t->suggestion_, strlen(t->suggestion_), &k) &&
	    k != NULL)
		return k;
	for (i = 0; i < p->nscope[t->scope]; i++) {
		k = p->scope[t->scope][i];
		if (k->re == NULL)
			continue;
		n = follows(run, k, t->tag, t->tag_len);
		if (n > bestn) {
			bestn = n;
			best = k;
		}
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Finishing                                                           */
/* ------------------------------------------------------------------ */

int
tp_lint_finish(struct tp_lint *run, struct tp_error *err)
{
	const struct tp_policy *p = run->p;
	const struct tp_setprob *s;
	size_t i;

	if (run->error == 0 && !run->finished) {
		run->finished = 1;
		/* rules that need repository facts have none to look at */
		for (i = 0; i < p->nrules && run->error == 0; i++)
			if (p->rules[i].desc->check_set != NULL &&
			    rule_enabled(&p->rules[i]) &&
			    (run->nfacts > 0 ||
			     !(p->rules[i].desc->flags & TP_RULE_GIT)))
				p->rules[i].desc->check_set(run, &p->rules[i]);
	}
	if (run->error != 0)
		return tp_error_set(err, run->error, "out of memory");
	run->sum.set_errors = run->sum.set_warnings = 0;
	for (s = run->set; s != NULL; s = s->next) {
		if (s->level == TP_LEVEL_ERROR)
			run->sum.set_errors++;
		else
			run->sum.set_warnings++;
	}
	if (!run->summed) {
		run->sum.warnings += run->sum.set_warnings;
		run->summed = 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static const char *
level_name(enum tp_level l)
{
	return l == TP_LEVEL_ERROR     ? "error"
	       : l == TP_LEVEL_WARNING ? "warning"
				       : "off";
}

static void
json_tag(struct tp_json_w *w, const struct tp_tagres *t)
{
	const struct tp_diag *d;
	size_t i;

	tp_jw_obj_begin(w);
	tp_jw_key(w, "tag");
	tp_jw_strn(w, t->text, t->len);
	tp_jw_key(w, "scope");
	tp_jw_str(w, scope_name(t->scope));
	tp_jw_key(w, "ok");
	tp_jw_bool(w, t->ok);
	tp_jw_key(w, "kind");
	tp_jw_str(w, t->kind ? t->kind->name : NULL);
	tp_jw_key(w, "fields");
	tp_jw_obj_begin(w);
	for (i = 0; t->kind != NULL && i < t->nfields; i++) {
		tp_jw_key(w, t->fields[i].field->name);
		tp_jw_strn(w, t->tag + t->fields[i].off, t->fields[i].len);
	}
	tp_jw_obj_end(w);
	tp_jw_key(w, "problems");
	tp_jw_arr_begin(w);
	for (d = t->diags; d != NULL; d = d->next) {
		tp_jw_obj_begin(w);
		tp_jw_key(w, "rule");
		tp_jw_str(w, d->rule);
		tp_jw_key(w, "level");
		tp_jw_str(w, level_name(d->level));
		tp_jw_key(w, "message");
		tp_jw_str(w, d->message);
		tp_jw_key(w, "suggestion");
		tp_jw_str(w, d->suggestion);
		tp_jw_obj_end(w);
	}
	tp_jw_arr_end(w);
	tp_jw_obj_end(w);
}

int
tp_lint_json(struct tp_buf *out, const struct tp_lint *run, int pretty)
{
	struct tp_json_w w;
	const struct tp_setprob *s;
	size_t i;

	tp_jw_init(&w, out, pretty);
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "tags");
	tp_jw_arr_begin(&w);
	for (i = 0; i < run->n && w.error == 0; i++)
		json_tag(&w, tp_lint_at(run, i));
	tp_jw_arr_end(&w);
	tp_jw_key(&w, "set_problems");
	tp_jw_arr_begin(&w);
	for (s = run->set; s != NULL; s = s->next) {
		tp_jw_obj_begin(&w);
		tp_jw_key(&w, "rule");
		tp_jw_str(&w, s->rule);
		tp_jw_key(&w, "level");
		tp_jw_str(&w, level_name(s->level));
		tp_jw_key(&w, "message");
		tp_jw_str(&w, s->message);
		tp_jw_key(&w, "tags");
		tp_jw_arr_begin(&w);
		for (i = 0; i < s->ntags; i++)
			tp_jw_strn(&w, s->tags[i]->text, s->tags[i]->len);
		tp_jw_arr_end(&w);
		tp_jw_obj_end(&w);
	}
	tp_jw_arr_end(&w);
	tp_jw_key(&w, "summary");
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "checked");
	tp_jw_int(&w, (long long)run->sum.checked);
	tp_jw_key(&w, "passed");
	tp_jw_int(&w, (long long)run->sum.passed);
	tp_jw_key(&w, "failed");
	tp_jw_int(&w, (long long)run->sum.failed);
	tp_jw_key(&w, "warnings");
	tp_jw_int(&w, (long long)run->sum.warnings);
	tp_jw_obj_end(&w);
	tp_jw_obj_end(&w);
	if (w.error == 0 && tp_buf_putc(out, '\n') < 0)
		return TP_ENOMEM;
	return w.error;
}
