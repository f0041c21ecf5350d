/*
 * lint.c: the lint engine: tag results, kind matching, field checks, the
 * rule hooks, suggestions, set rules and the JSON report.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint.h"
#include "date.h"
#include "hugepage.h"
#include "imageref.h"
#include "json.h"
#include "rule.h"
#include "schema.h"
#include "swar.h"
#include "template.h"

/* Results come in blocks so that they never move. */
#define RES_BLOCK 1024
#define ARENA_BLOCK ((size_t)64 * 1024)
#define ARENA_ALIGN 8

/*
 * Zeroed bytes after every text the regexes see: PCRE2's JIT code may
 * read a little past the end of the subject with wide loads, which is
 * harmless but must stay inside initialised memory for valgrind.  A
 * streaming run borrows a stable input instead of copying it, and makes
 * the copy only when a regex is to read the tag (cur_slack()).
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

/* Blocks of memory that are freed together. */
struct arena {
	struct arena_block *head;
};

/* A copy of a text followed by TEXT_SLACK zeroed bytes, reused. */
struct slack_buf {
	char *s;
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
 * What a tag must have for a kind's regex to be worth running: a first
 * byte the kind can start with and at least the regex's minimum length.
 * Most tags fail these for most kinds, so that trying the kinds one by
 * one costs about one match a tag.
 */
struct kind_filter {
	unsigned char first[32]; /* bitmap of possible first bytes */
	size_t minlen;
	int done;
};

/* A field piece of a kind, as take_fields() reads it. */
struct kind_field {
	const struct tp_field *field;
	enum tp_field_type type; /* field->type */
	unsigned group;
};

/* What take_fields() needs of a policy kind, made by tp_lint_new(). */
struct kind_fields {
	const struct kind_field *f; /* its field pieces, template order */
	size_t n;
	int semver_groups; /* see semver_groups_follow() */
	int others; /* it has fields that are not parts of a version */
};

/* A kind of a scope as match_kind() tries it: all it reads in one place. */
struct scope_kind {
	const struct tp_kind *k;
	const pcre2_code *re;
	size_t ki; /* index in the policy's kinds */
	int jit;
	int hand; /* hand_match() can decide (see there) */
	int one; /* its only field piece, -1 for none, -2 for several */
	struct kind_filter f;
};

/*
 * Matching a simple kind by hand (see hand_match()): the tags longer than
 * this, and searches that take more steps, go to the regex.
 */
#define HAND_MAX_LEN 256
#define HAND_MAX_STEPS 2048
#define HAND_MAX_PIECES 16

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
	PCRE2_SIZE *ov; /* md's ovector */
	uint32_t nov;
	PCRE2_SIZE *hov; /* the same for a match by hand (nov pairs) */
	int64_t now;
	int error;
	int finished; /* set rules ran (or are running) */
	int summed;

	struct tp_tagres **blocks;
	size_t nblocks;
	size_t n;

	struct arena arena;

	/* streaming: the last tag's result and what it points to */
	struct tp_tagres cur;
	struct arena scratch; /* its diagnostics, rewound for each tag */
	struct tp_fieldval *cur_fields;
	struct slack_buf cur_text; /* its text, unless borrowed */
	int custom_in[TP_SCOPE_COUNT]; /* a custom rule may run in scope */
	struct slack_buf key_text; /* rebuilding a keyed tag */
	struct tp_fieldval *key_fields;

	/* per scope: the rules with a check_tag hook that are on, kind
	   left out, in registry order; then the same without those that
	   need repository facts (TP_RULE_GIT), for a tag that has none */
	const struct tp_rule_conf **tag_rules[TP_SCOPE_COUNT];
	size_t ntag_rules[TP_SCOPE_COUNT];
	const struct tp_rule_conf **nofact_rules[TP_SCOPE_COUNT];
	size_t nnofact_rules[TP_SCOPE_COUNT];
	struct kind_fields *kf; /* per policy kind */
	struct kind_field *kfield; /* what their `f` point into */
	int kind_error[TP_SCOPE_COUNT]; /* rule kind is at level error */
	unsigned char *kind_jit; /* per policy kind: re is JIT-compiled */
	struct kind_filter *filter; /* per policy kind */
	struct scope_kind *sk[TP_SCOPE_COUNT]; /* per kind of the scope */
	/*
	 * starts[s][c]: bit i for each of the first 64 kinds of scope s
	 * that has a regex and whose filter takes first byte c
	 */
	uint64_t starts[TP_SCOPE_COUNT][256];

	struct tp_setprob *set;
	struct tp_setprob *set_tail;
	struct tp_lint_summary sum;

	size_t *kind_sig; /* per policy kind */
	struct tp_keyed *keyed; /* tags with a version, input order */
	size_t nkeyed, akeyed;
	/* the keys of the last nstaged keyed tags, not yet in a block */
	uint64_t *staged;
	size_t nstaged, astaged;
	struct tp_key_block **kblocks; /* the others' (tp_lint_key_blocks) */
	size_t nkblocks, akblocks;
	/* streaming: the rebuilt results (tp_lint_keyed_tag) */
	struct rebuilt *rebuilt;
	size_t nrebuilt, arebuilt;
	size_t nfacts; /* tags with a commit id */
	pcre2_code **partial_re; /* per policy kind, compiled lazily */
	struct tp_fieldval *probe_fields;
	struct prefix *prefixes[TP_SCOPE_COUNT];
	size_t nprefixes[TP_SCOPE_COUNT];
	const char *kinds_list[TP_SCOPE_COUNT]; /* tp_lint_kinds_list */
	struct cand cand;
	struct slack_buf probe_text; /* a candidate being tried */
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

/* The error a failed run gives from then on. */
static int
failed(const struct tp_lint *run, struct tp_error *err)
{
	if (run->error == TP_ENOMEM)
		return tp_error_set(err, run->error, "out of memory");
	return tp_error_set(err, run->error,
			    "the lint run stopped after an error");
}

static void *
arena_alloc(struct tp_lint *run, struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	size_t size;
	void *ptr;

	if (need < n) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	if (b == NULL || b->size - b->used < need) {
		size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = malloc(ARENA_HDR + size);
		if (b == NULL) {
			fail(run, TP_ENOMEM);
			return NULL;
		}
		b->used = 0;
		b->size = size;
		if (a->head != NULL && need > ARENA_BLOCK) {
			/* a big one-off: keep filling the current block */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	ptr = (char *)b + ARENA_HDR + b->used;
	b->used += need;
	return ptr;
}

static char *
arena_strndup(struct tp_lint *run, struct arena *a, const char *s, size_t len)
{
	char *d = arena_alloc(run, a, len + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static char *arena_vprintf(struct tp_lint *run, struct arena *a,
			   const char *fmt, va_list ap) TP_PRINTF(3, 0);

/* The most %s conversions arena_strings() formats. */
#define STRINGS_MAX 16

/*
 * Formats `fmt` into the arena as vsnprintf() would, without its cost,
 * when its only conversions are at most STRINGS_MAX %s: most findings are
 * such messages.  NULL with *done 0 when it has others (%% too), or an
 * argument is NULL (vsnprintf() says "(null)"), leaving `ap` untouched
 * for vsnprintf().
 */
static char *
arena_strings(struct tp_lint *run, struct arena *a, const char *fmt, va_list ap,
	      int *done)
{
	const char *f = fmt, *pc, *arg[STRINGS_MAX];
	size_t lit[STRINGS_MAX + 1], alen[STRINGS_MAX], n = 0, i, k = 0;
	va_list aq;
	char *d, *p;

	*done = 0;
	va_copy(aq, ap);
	/* the literal before each %s, and its argument */
	while ((pc = strchr(f, '%')) != NULL && k < STRINGS_MAX &&
	       pc[1] == 's' && (arg[k] = va_arg(aq, const char *)) != NULL) {
		lit[k] = (size_t)(pc - f);
		alen[k] = strlen(arg[k]);
		n += lit[k] + alen[k];
		f = pc + 2;
		k++;
	}
	va_end(aq);
	if (pc != NULL)
		return NULL;
	lit[k] = strlen(f);
	n += lit[k];
	*done = 1;
	d = p = arena_alloc(run, a, n + 1);
	if (d == NULL)
		return NULL;
	for (f = fmt, i = 0; i < k; i++) {
		memcpy(p, f, lit[i]);
		p += lit[i];
		f += lit[i] + 2;
		memcpy(p, arg[i], alen[i]);
		p += alen[i];
	}
	memcpy(p, f, lit[k] + 1);
	return d;
}

static char *
arena_vprintf(struct tp_lint *run, struct arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list aq;
	char *d;
	int n, done;

	d = arena_strings(run, a, fmt, ap, &done);
	if (done)
		return d;
	/* one formatting pass for the usual short message */
	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0) {
		fail(run, TP_ERROR);
		return NULL;
	}
	d = arena_alloc(run, a, (size_t)n + 1);
	if (d == NULL)
		return NULL;
	if ((size_t)n < sizeof(small))
		memcpy(d, small, (size_t)n + 1);
	else
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

static void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

/* Empties the arena, keeping its first block for the next use. */
static void
arena_rewind(struct arena *a)
{
	struct arena_block *b, *next;

	if (a->head == NULL)
		return;
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

/*
 * Copies s[0..len) into `sb`, followed by TEXT_SLACK zeroed bytes; NULL
 * when out of memory (recorded).
 */
static char *
slack_copy(struct tp_lint *run, struct slack_buf *sb, const char *s, size_t len)
{
	char *n;

	if (len > SIZE_MAX - TEXT_SLACK) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	if (len + TEXT_SLACK > sb->size) {
		n = malloc(len + TEXT_SLACK);
		if (n == NULL) {
			fail(run, TP_ENOMEM);
			return NULL;
		}
		free(sb->s);
		sb->s = n;
		sb->size = len + TEXT_SLACK;
	}
	memcpy(sb->s, s, len);
	memset(sb->s + len, 0, TEXT_SLACK);
	return sb->s;
}

/* The arena for what a result points to: the scratch one when streaming. */
static struct arena *
res_arena(struct tp_lint *run, const struct tp_tagres *t)
{
	return t == &run->cur ? &run->scratch : &run->arena;
}

/*
 * Gives `t` a text followed by TEXT_SLACK zeroed bytes, for a regex to
 * read the tag: only the streaming result may lack one, when it borrows
 * a stable input (start_result()).  Call it before anything points into
 * the tag (fields, version), as the text moves.  0, or TP_ENOMEM
 * (recorded).
 */
static int
cur_slack(struct tp_lint *run, struct tp_tagres *t)
{
	char *s;

	if (t != &run->cur || t->text == run->cur_text.s)
		return 0;
	s = slack_copy(run, &run->cur_text, t->text, t->len);
	if (s == NULL)
		return TP_ENOMEM;
	if (t->tag != NULL)
		t->tag = s + (t->tag - t->text);
	t->text = s;
	return 0;
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
	struct arena *a;
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
	a = res_arena(run, t);
	d = arena_alloc(run, a, sizeof(*d));
	if (d == NULL)
		return;
	d->rule = id;
	d->level = level;
	d->message = arena_vprintf(run, a, fmt, ap);
	d->suggestion = suggestion ? arena_strndup(run, a, suggestion,
						   strlen(suggestion))
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

void *
tp_lint_alloc(struct tp_lint *run, size_t n)
{
	return arena_alloc(run, &run->arena, n ? n : 1);
}

const char *
tp_lint_kinds_list(struct tp_lint *run, enum tp_scope s)
{
	const struct tp_policy *p = run->p;
	size_t i, n = p->nscope[s],
		  shown = n < TP_LINT_KINDS_LISTED ? n : TP_LINT_KINDS_LISTED;
	size_t len = 1;
	char *d, *q;

	if (run->kinds_list[s] != NULL)
		return run->kinds_list[s];
	for (i = 0; i < shown; i++)
		len += strlen(p->scope[s][i]->template) + 2;
	len += 3; /* "..." */
	d = q = tp_lint_alloc(run, len);
	if (d == NULL)
		return NULL;
	for (i = 0; i < shown; i++) {
		if (i > 0) {
			memcpy(q, ", ", 2);
			q += 2;
		}
		len = strlen(p->scope[s][i]->template);
		memcpy(q, p->scope[s][i]->template, len);
		q += len;
	}
	if (n > shown) {
		memcpy(q, ", ...", 5);
		q += 5;
	}
	*q = '\0';
	run->kinds_list[s] = d;
	return d;
}

/*
 * A set problem with room for `ntags` tags (tags when `with_tags`, texts
 * and lens when `with_texts`), not yet linked; NULL at level off or out
 * of memory.
 */
static struct tp_setprob *
new_setprob(struct tp_lint *run, const struct tp_rule_conf *conf,
	    enum tp_scope scope, size_t ntags, int with_tags, int with_texts,
	    const char *fmt, va_list ap) TP_PRINTF(7, 0);

static struct tp_setprob *
new_setprob(struct tp_lint *run, const struct tp_rule_conf *conf,
	    enum tp_scope scope, size_t ntags, int with_tags, int with_texts,
	    const char *fmt, va_list ap)
{
	struct tp_setprob *s;
	enum tp_level level = tp_lint_level(conf, scope);
	size_t n = ntags ? ntags : 1;

	if (level == TP_LEVEL_OFF)
		return NULL;
	if (n > SIZE_MAX / sizeof(*s->tags)) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	s = arena_alloc(run, &run->arena, sizeof(*s));
	if (s == NULL)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->rule = conf->desc->id;
	s->level = level;
	s->scope = scope;
	s->message = arena_vprintf(run, &run->arena, fmt, ap);
	if (with_tags)
		s->tags = arena_alloc(run, &run->arena, n * sizeof(*s->tags));
	if (with_texts) {
		s->texts = arena_alloc(run, &run->arena, n * sizeof(*s->texts));
		s->lens = arena_alloc(run, &run->arena, n * sizeof(*s->lens));
	}
	if (s->message == NULL || (with_tags && s->tags == NULL) ||
	    (with_texts && (s->texts == NULL || s->lens == NULL)))
		return NULL;
	s->ntags = ntags;
	return s;
}

static void
link_setprob(struct tp_lint *run, struct tp_setprob *s)
{
	if (run->set_tail != NULL)
		run->set_tail->next = s;
	else
		run->set = s;
	run->set_tail = s;
}

void
tp_lint_report_set(struct tp_lint *run, const struct tp_rule_conf *conf,
		   enum tp_scope scope, const struct tp_tagres **tags,
		   size_t ntags, const char *fmt, ...)
{
	struct tp_setprob *s;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	s = new_setprob(run, conf, scope, ntags, 1, 1, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return;
	for (i = 0; i < ntags; i++) {
		s->tags[i] = tags[i];
		s->texts[i] = tags[i]->text;
		s->lens[i] = tags[i]->len;
	}
	link_setprob(run, s);
}

void
tp_lint_report_set_keyed(struct tp_lint *run, const struct tp_rule_conf *conf,
			 enum tp_scope scope,
			 const struct tp_keyed *const *tags, size_t ntags,
			 const char *fmt, ...)
{
	struct tp_setprob *s;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	s = new_setprob(run, conf, scope, ntags, !run->opts.stream, 1, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return;
	for (i = 0; i < ntags; i++) {
		if (s->tags != NULL)
			s->tags[i] = tp_lint_at(run, tags[i]->index);
		s->texts[i] = tags[i]->text;
		s->lens[i] = tags[i]->len;
	}
	link_setprob(run, s);
}

void
tp_lint_report_set_texts(struct tp_lint *run, const struct tp_rule_conf *conf,
			 enum tp_scope scope,
			 const struct tp_keyed *const *tags, const char **texts,
			 size_t *lens, size_t ntags, const char *fmt, ...)
{
	struct tp_setprob *s;
	va_list ap;
	size_t i;

	/* a streaming run keeps the caller's arrays: they live long enough */
	va_start(ap, fmt);
	s = new_setprob(run, conf, scope, ntags, !run->opts.stream,
			!run->opts.stream, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return;
	if (run->opts.stream) {
		s->texts = texts;
		s->lens = lens;
	}
	for (i = 0; s->tags != NULL && i < ntags; i++) {
		s->tags[i] = tp_lint_at(run, tags[i]->index);
		s->texts[i] = tags[i]->text;
		s->lens[i] = lens[i];
	}
	link_setprob(run, s);
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
	if (run->opts.stream)
		return NULL;
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

_Static_assert(TP_POLICY_KINDS_MAX <= UINT16_MAX,
	       "a keyed tag's kind has 16 bits");

const struct tp_kind *
tp_lint_keyed_kind(const struct tp_lint *run, const struct tp_keyed *k)
{
	return &run->p->kinds[k->kind];
}

const struct tp_keyed *
tp_lint_keyed(const struct tp_lint *run, size_t *n)
{
	*n = run->nkeyed;
	return run->keyed;
}

/*
 * A block of the `n` keys keys[0..n) (of keyed tags base on), sorted by
 * bucket: one allocation, the keys and their tags after the header.
 * NULL when out of memory (recorded).
 */
static struct tp_key_block *
key_block(struct tp_lint *run, const uint64_t *keys, size_t n, size_t base)
{
	struct tp_key_block *b;
	uint64_t *bkeys;
	uint32_t *local, at[TP_KEY_BUCKETS];
	size_t e, k, pos;

	if (n > UINT32_MAX ||
	    n > (SIZE_MAX - sizeof(*b)) / (sizeof(*bkeys) + sizeof(*local))) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	b = malloc(sizeof(*b) + n * (sizeof(*bkeys) + sizeof(*local)));
	if (b == NULL) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	/* sizeof(*b) is a multiple of its alignment, a pointer's */
	bkeys = (uint64_t *)(b + 1);
	local = (uint32_t *)(bkeys + n);
	b->base = base;
	b->n = n;
	b->keys = bkeys;
	b->local = local;
	/* a counting sort: stable, so input order within a bucket */
	memset(at, 0, sizeof(at));
	for (e = 0; e < n; e++)
		at[TP_KEY_BUCKET(keys[e])]++;
	for (k = 0, pos = 0; k < TP_KEY_BUCKETS; k++) {
		b->start[k] = (uint32_t)pos;
		pos += at[k];
		at[k] = b->start[k];
	}
	b->start[TP_KEY_BUCKETS] = (uint32_t)pos;
	for (e = 0; e < n; e++) {
		pos = at[TP_KEY_BUCKET(keys[e])]++;
		bkeys[pos] = keys[e];
		local[pos] = (uint32_t)e;
	}
	return b;
}

/* Appends block `b` to the run's; 0 or TP_ENOMEM (`b` is then freed). */
static int
keys_append(struct tp_lint *run, struct tp_key_block *b)
{
	struct tp_key_block **nb;
	size_t a = run->akblocks ? 2 * run->akblocks : 64;

	if (run->nkblocks == run->akblocks) {
		nb = a > SIZE_MAX / sizeof(*nb)
			     ? NULL
			     : realloc(run->kblocks, a * sizeof(*nb));
		if (nb == NULL) {
			free(b);
			return TP_ENOMEM;
		}
		run->kblocks = nb;
		run->akblocks = a;
	}
	run->kblocks[run->nkblocks++] = b;
	return 0;
}

/* Puts the staged keys in a block of the run's; 0 or TP_ENOMEM. */
static int
keys_seal(struct tp_lint *run)
{
	struct tp_key_block *b;

	if (run->nstaged == 0)
		return 0;
	b = key_block(run, run->staged, run->nstaged,
		      run->nkeyed - run->nstaged);
	if (b == NULL || keys_append(run, b) < 0)
		return TP_ENOMEM;
	run->nstaged = 0;
	return 0;
}

/* Frees what the keyed tags' keys and rebuilt results take. */
static void
keyed_free(struct tp_lint *run)
{
	size_t i;

	for (i = 0; i < run->nkblocks; i++)
		free(run->kblocks[i]);
	free(run->kblocks);
	free(run->staged);
	free(run->rebuilt);
}

const struct tp_key_block *const *
tp_lint_key_blocks(struct tp_lint *run, size_t *n)
{
	if (keys_seal(run) < 0)
		fail(run, TP_ENOMEM);
	*n = run->nkblocks;
	return (const struct tp_key_block *const *)run->kblocks;
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
		/* the last bytes, without a library call for so few */
		for (w = 0; i < len; i++)
			w = w << 8 | (unsigned char)s[i];
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	return h;
}

/* The duplicate key of tag `t`, of kind `ki` (the policy's index). */
static uint64_t
dup_key(const struct tp_lint *run, const struct tp_tagres *t, size_t ki)
{
	const struct tp_version *v = &t->version;
	uint64_t h = (uint64_t)t->scope * 31 + run->kind_sig[ki];
	size_t i, end;

	/* a reference's repository, up to its tag (tp_lint_keyed_repo) */
	if (t->is_ref)
		h = mix(h, t->text, (size_t)(t->tag - t->text));

	if (t->kind->has_semver) {
		/*
		 * "MAJOR.MINOR.PATCH[-PRE]" is one span of a {semver}, and
		 * the kinds that share a field signature all have {semver}
		 */
		end = v->pre_len ? v->pre_off + v->pre_len
				 : v->patch_off + v->patch_len;
		h = mix(h, v->str + v->major_off, end - v->major_off);
	} else {
		h = mix(h, v->str + v->major_off, v->major_len);
		h = mix(h, v->str + v->minor_off, v->minor_len);
		h = mix(h, v->str + v->patch_off, v->patch_len);
		h = mix(h, v->str + v->pre_off, v->pre_len);
	}
	for (i = 0; run->kf[ki].others && i < t->nfields; i++)
		if (!tp_field_is_version(t->fields[i].field->type))
			h = mix(h, t->tag + t->fields[i].off, t->fields[i].len);
	return h ^ (h >> 31);
}

/*
 * The span of the tag's version parts (offsets into v->str) when the
 * text between them is what tp_lint_version_parts() writes between them:
 * "{major}.{minor}" holds "1.4" as the text "1.4".  0 when a part is out
 * of that order or a separator differs ("{major}_{minor}").
 */
static int
parts_span(const struct tp_version *v, size_t *off, size_t *end)
{
	size_t at[4], len[4], i;
	int any = 0;

	at[0] = v->major_off;
	len[0] = v->major_len;
	at[1] = v->minor_off;
	len[1] = v->minor_len;
	at[2] = v->patch_off;
	len[2] = v->patch_len;
	at[3] = v->pre_off;
	len[3] = v->pre_len;
	for (i = 0; i < 4; i++) {
		if (len[i] == 0)
			continue;
		if (!any) {
			/* "-PRE" alone starts with its dash: not a span */
			if (i == 3)
				return 0;
			*off = at[i];
		} else if (at[i] != *end + 1 ||
			   v->str[*end] != (i == 3 ? '-' : '.')) {
			return 0;
		}
		*end = at[i] + len[i];
		any = 1;
	}
	return any;
}

/*
 * A version's text as tp_lint_version_parts() writes it is often a span
 * of the tag (a {semver} field from its major to the end of its
 * prerelease or patch, "{major}.{minor}" whole): kept as an offset into
 * the text when short enough, so that a set rule can say the version
 * without a rebuild.
 */
static void
version_span(const struct tp_tagres *t, struct tp_keyed *k)
{
	const struct tp_version *v = &t->version;
	size_t off, end;

	k->voff = k->vlen = 0;
	if (v->str < t->text || v->str > t->text + t->len)
		return;
	if (t->kind->has_semver) {
		off = (size_t)(v->str - t->text) + v->major_off;
		end = (size_t)(v->str - t->text) +
		      (v->pre_len ? v->pre_off + v->pre_len
				  : v->patch_off + v->patch_len);
	} else if (parts_span(v, &off, &end)) {
		off += (size_t)(v->str - t->text);
		end += (size_t)(v->str - t->text);
	} else {
		return;
	}
	if (off <= UCHAR_MAX && end > off && end - off <= UCHAR_MAX) {
		k->voff = (unsigned char)off;
		k->vlen = (unsigned char)(end - off);
	}
}

/*
 * Room for `need` keyed tags in the run's array: when it grows, to at
 * least twice its size (so that adding one at a time costs no more than
 * a copy of each); 0 or TP_ENOMEM.
 */
static int
keyed_reserve(struct tp_lint *run, size_t need)
{
	struct tp_keyed *k;
	size_t a = run->akeyed ? 2 * run->akeyed : 1024;

	if (need <= run->akeyed)
		return 0;
	if (a < need)
		a = need;
	if (a > SIZE_MAX / sizeof(*k))
		return TP_ENOMEM;
	k = realloc(run->keyed, a * sizeof(*k));
	if (k == NULL)
		return TP_ENOMEM;
	/* a million tags' records: tens of MiB written once, in order */
	tp_huge_advise(k, a * sizeof(*k));
	run->keyed = k;
	run->akeyed = a;
	return 0;
}

/* Stages the key of the next keyed tag; 0 or TP_ENOMEM. */
static int
keys_stage(struct tp_lint *run, uint64_t key)
{
	uint64_t *st;
	size_t a = run->astaged ? 2 * run->astaged : 1024;

	if (run->nstaged == run->astaged) {
		st = a > SIZE_MAX / sizeof(*st)
			     ? NULL
			     : realloc(run->staged, a * sizeof(*st));
		if (st == NULL)
			return TP_ENOMEM;
		run->staged = st;
		run->astaged = a;
	}
	run->staged[run->nstaged++] = key;
	return 0;
}

static void
add_keyed(struct tp_lint *run, struct tp_tagres *t, const char *stable)
{
	struct tp_keyed *k;
	size_t ki = (size_t)(t->kind - run->p->kinds);

	if (t->len > UINT32_MAX || t->index > UINT32_MAX ||
	    (run->nkeyed == run->akeyed &&
	     keyed_reserve(run, run->nkeyed + 1) < 0)) {
		fail(run, TP_ENOMEM);
		return;
	}
	k = &run->keyed[run->nkeyed];
	if (t == &run->cur) {
		/* the scratch result is gone after this tag: keep the text */
		k->text = stable != NULL ? stable
					 : arena_strndup(run, &run->arena,
							 t->text, t->len);
		if (k->text == NULL)
			return;
	} else {
		k->text = t->text;
	}
	k->len = (uint32_t)t->len;
	k->index = (uint32_t)t->index;
	/* no policy has more kinds than 16 bits hold (TP_POLICY_KINDS_MAX) */
	k->kind = (uint16_t)ki;
	k->scope = (unsigned char)t->scope;
	k->is_ref = (unsigned char)t->is_ref;
	version_span(t, k);
	if (keys_stage(run, dup_key(run, t, ki)) < 0) {
		fail(run, TP_ENOMEM);
		return;
	}
	run->nkeyed++;
}

int
tp_lint_version_text(struct tp_buf *out, const struct tp_tagres *t)
{
	return tp_lint_version_parts(out, &t->version);
}

int
tp_lint_version_parts(struct tp_buf *out, const struct tp_version *v)
{
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

/*
 * Orders two kinds by their fields in template order (the fields' places
 * in memory, a field after field), a kind with fewer first when one's
 * fields begin the other's: 0 exactly when their fields are the same.
 */
static int
cmp_fields(const struct tp_kind *a, const struct tp_kind *b)
{
	size_t i = 0, j = 0;
	uintptr_t fa, fb;

	for (;;) {
		while (i < a->npieces && a->pieces[i].field == NULL)
			i++;
		while (j < b->npieces && b->pieces[j].field == NULL)
			j++;
		if (i == a->npieces || j == b->npieces)
			return (j < b->npieces) - (i < a->npieces);
		fa = (uintptr_t)a->pieces[i].field;
		fb = (uintptr_t)b->pieces[j].field;
		if (fa != fb)
			return fa < fb ? -1 : 1;
		i++;
		j++;
	}
}

static int
by_fields(const void *pa, const void *pb)
{
	const struct tp_kind *const *a = pa, *const *b = pb;
	int c = cmp_fields(*a, *b);

	/* kinds of the same fields in the policy's order */
	return c != 0 ? c : (*a > *b) - (*a < *b);
}

/*
 * run->kind_sig: each kind's field-signature class, the index of the
 * first kind of the same fields.  Sorted, not compared pair by pair: a
 * policy may have tens of thousands of kinds.  0 or TP_ENOMEM.
 */
static int
kind_sigs(struct tp_lint *run)
{
	const struct tp_policy *p = run->p;
	const struct tp_kind **by;
	size_t i, first = 0;

	by = malloc((p->nkinds ? p->nkinds : 1) * sizeof(*by));
	if (by == NULL)
		return TP_ENOMEM;
	for (i = 0; i < p->nkinds; i++)
		by[i] = &p->kinds[i];
	qsort(by, p->nkinds, sizeof(*by), by_fields);
	for (i = 0; i < p->nkinds; i++) {
		if (i == 0 || cmp_fields(by[i - 1], by[i]) != 0)
			first = (size_t)(by[i] - p->kinds);
		run->kind_sig[by[i] - p->kinds] = first;
	}
	free(by);
	return 0;
}

static size_t
nfield_pieces(const struct tp_kind *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->npieces; i++)
		n += k->pieces[i].field != NULL;
	return n;
}

/* A kind's prefix and its place in the scope's list (scope_prefixes). */
struct prefix_at {
	struct prefix px;
	size_t at;
};

/* Orders prefixes by text (shorter first), then by place in the list. */
static int
by_prefix(const void *pa, const void *pb)
{
	const struct prefix_at *a = pa, *b = pb;
	int c;

	if (a->px.len != b->px.len)
		return a->px.len < b->px.len ? -1 : 1;
	c = memcmp(a->px.text, b->px.text, a->px.len);
	return c != 0 ? c : (a->at > b->at) - (a->at < b->at);
}

/*
 * run->prefixes[s]: the literal texts that start the kinds of scope `s`
 * that start with a literal and then a field, each once, in scope order.
 * Repeats are found by sorting a copy (a scope may have tens of
 * thousands of kinds); 0 or TP_ENOMEM.
 */
static int
scope_prefixes(struct tp_lint *run, enum tp_scope s)
{
	const struct tp_policy *p = run->p;
	const struct tp_kind *k;
	struct prefix_at *sorted;
	unsigned char *repeat;
	size_t i, n = 0, kept = 0;

	sorted = malloc((p->nscope[s] + 1) * sizeof(*sorted));
	repeat = calloc(p->nscope[s] + 1, 1);
	if (sorted == NULL || repeat == NULL) {
		free(sorted);
		free(repeat);
		return TP_ENOMEM;
	}
	for (i = 0; i < p->nscope[s]; i++) {
		k = p->scope[s][i];
		/* only kinds that start with a literal and then a field */
		if (k->npieces < 2 || k->pieces[0].field != NULL ||
		    k->pieces[0].len == 0)
			continue;
		sorted[n].px.text = k->pieces[0].text;
		sorted[n].px.len = k->pieces[0].len;
		sorted[n].at = n;
		run->prefixes[s][n] = sorted[n].px;
		n++;
	}
	qsort(sorted, n, sizeof(*sorted), by_prefix);
	/* in a run of equal texts the first in the list comes first */
	for (i = 1; i < n; i++)
		repeat[sorted[i].at] =
			sorted[i].px.len == sorted[i - 1].px.len &&
			memcmp(sorted[i].px.text, sorted[i - 1].px.text,
			       sorted[i].px.len) == 0;
	for (i = 0; i < n; i++)
		if (!repeat[i])
			run->prefixes[s][kept++] = run->prefixes[s][i];
	run->nprefixes[s] = kept;
	free(sorted);
	free(repeat);
	return 0;
}

/*
 * 1 when the kind's {semver} field (if any) is followed by the groups of
 * its parts, major, minor, patch, pre and meta, as the template module
 * writes it; the numbers are checked, not assumed.
 */
static int
semver_groups_follow(const struct tp_kind *k)
{
	static const char *const parts[] = { "major", "minor", "patch", "pre",
					     "meta" };
	size_t i, j;

	for (i = 0; i < k->npieces; i++) {
		if (k->pieces[i].field == NULL ||
		    k->pieces[i].field->type != TP_FIELD_SEMVER)
			continue;
		if (k->re == NULL)
			return 0;
		for (j = 0; j < 5; j++)
			if (pcre2_substring_number_from_name(
				    k->re, (PCRE2_SPTR)parts[j]) !=
			    (int)(k->pieces[i].group + 1 + j))
				return 0;
		return 1;
	}
	return 0;
}

/*
 * Fills run->kf for every kind of the policy (and run->kfield, which they
 * point into); 0 or TP_ENOMEM.
 */
static int
kind_fields_init(struct tp_lint *run)
{
	const struct tp_policy *p = run->p;
	const struct tp_kind *k;
	struct kind_field *f;
	size_t i, j, nf = 0;

	for (i = 0; i < p->nkinds; i++)
		nf += nfield_pieces(&p->kinds[i]);
	run->kf = calloc(p->nkinds + 1, sizeof(*run->kf));
	run->kfield = calloc(nf + 1, sizeof(*run->kfield));
	if (run->kf == NULL || run->kfield == NULL)
		return TP_ENOMEM;
	f = run->kfield;
	for (i = 0; i < p->nkinds; i++) {
		k = &p->kinds[i];
		run->kf[i].f = f;
		for (j = 0; j < k->npieces; j++) {
			if (k->pieces[j].field == NULL)
				continue;
			f->field = k->pieces[j].field;
			f->type = f->field->type;
			f->group = k->pieces[j].group;
			run->kf[i].others |= !tp_field_is_version(f->type);
			f++;
		}
		run->kf[i].n = (size_t)(f - run->kf[i].f);
		run->kf[i].semver_groups = semver_groups_follow(k);
	}
	return 0;
}

static pcre2_code *partial_re(struct tp_lint *run, const struct tp_kind *k);
static int hand_kind(const struct tp_kind *k, uint32_t nov);
static int only_field(const struct tp_kind *k);
static int is_digit(int c);

/*
 * Fills `f` for kind `k`: a byte is a possible first byte when the kind's
 * regex can match a text that starts with it (a partial match of that
 * byte alone says so).  A `pattern` field is the user's regex, whose
 * partial matching is not trusted here: such kinds let every tag through.
 */
static void
kind_filter(struct tp_lint *run, const struct tp_kind *k, struct kind_filter *f)
{
	pcre2_code *re;
	uint32_t minlen = 0;
	unsigned char c;
	size_t i;
	int rc, all = k->re == NULL;

	f->done = 1;
	for (i = 0; i < k->npieces && !all; i++)
		all = k->pieces[i].field != NULL &&
		      k->pieces[i].field->type == TP_FIELD_PATTERN;
	re = all ? NULL : partial_re(run, k);
	if (re == NULL ||
	    pcre2_pattern_info(k->re, PCRE2_INFO_MINLENGTH, &minlen) != 0) {
		memset(f->first, 0xff, sizeof(f->first));
		f->minlen = 0;
		return;
	}
	memset(f->first, 0, sizeof(f->first));
	f->minlen = minlen;
	for (i = 0; i < 256; i++) {
		c = (unsigned char)i;
		rc = pcre2_match(re, &c, 1, 0, PCRE2_PARTIAL_HARD, run->md,
				 NULL);
		if (rc >= 0 || rc == PCRE2_ERROR_PARTIAL)
			f->first[i >> 3] |= (unsigned char)(1u << (i & 7));
	}
}

/* 1 when kind `ki` can start with byte `ch` (its filter says so). */
static int
kind_may_start(const struct tp_lint *run, size_t ki, char ch)
{
	const struct kind_filter *f = &run->filter[ki];
	unsigned char c = (unsigned char)ch;

	return !f->done || ((f->first[c >> 3] >> (c & 7)) & 1);
}

/* 1 when `re` has JIT code for complete matches. */
static int
is_jit(const pcre2_code *re)
{
	size_t size = 0;

	return re != NULL &&
	       pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) == 0 &&
	       size > 0;
}

static int
rule_enabled(const struct tp_rule_conf *c)
{
	return tp_lint_level(c, TP_SCOPE_GIT) != TP_LEVEL_OFF ||
	       tp_lint_level(c, TP_SCOPE_IMAGE) != TP_LEVEL_OFF;
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
	unsigned c;
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
	for (s = 0; s < TP_SCOPE_COUNT; s++)
		run->kind_error[s] =
			tp_lint_level(run->kind_conf, (enum tp_scope)s) ==
			TP_LEVEL_ERROR;
	/* as custom_rules() skips them */
	for (i = 0; i < p->ncustom; i++)
		for (s = 0; s < TP_SCOPE_COUNT; s++)
			if (p->custom[i].level != TP_LEVEL_OFF &&
			    p->custom[i].re != NULL &&
			    (p->custom[i].scope < 0 || p->custom[i].scope == s))
				run->custom_in[s] = 1;

	run->kind_sig = calloc(p->nkinds + 1, sizeof(*run->kind_sig));
	run->partial_re = calloc(p->nkinds + 1, sizeof(*run->partial_re));
	run->kind_jit = calloc(p->nkinds + 1, sizeof(*run->kind_jit));
	if (run->kind_sig == NULL || run->partial_re == NULL ||
	    run->kind_jit == NULL || kind_fields_init(run) < 0 ||
	    kind_sigs(run) < 0)
		goto nomem;
	for (i = 0; i < p->nkinds; i++) {
		run->kind_jit[i] = (unsigned char)is_jit(p->kinds[i].re);
		if (p->kinds[i].re != NULL &&
		    pcre2_pattern_info(p->kinds[i].re, PCRE2_INFO_CAPTURECOUNT,
				       &groups) == 0 &&
		    groups > maxg)
			maxg = groups;
		if (nfield_pieces(&p->kinds[i]) > maxf)
			maxf = nfield_pieces(&p->kinds[i]);
	}
	run->probe_fields = calloc(maxf, sizeof(*run->probe_fields));
	run->cur_fields = calloc(maxf, sizeof(*run->cur_fields));
	run->key_fields = calloc(maxf, sizeof(*run->key_fields));
	if (run->probe_fields == NULL || run->cur_fields == NULL ||
	    run->key_fields == NULL)
		goto nomem;
	for (s = 0; s < TP_SCOPE_COUNT; s++) {
		run->prefixes[s] =
			calloc(p->nscope[s] + 1, sizeof(*run->prefixes[s]));
		run->tag_rules[s] =
			calloc(p->nrules + 1, sizeof(*run->tag_rules[s]));
		run->nofact_rules[s] =
			calloc(p->nrules + 1, sizeof(*run->nofact_rules[s]));
		if (run->prefixes[s] == NULL || run->tag_rules[s] == NULL ||
		    run->nofact_rules[s] == NULL)
			goto nomem;
		for (i = 0; i < p->nrules; i++) {
			if (&p->rules[i] == run->kind_conf ||
			    p->rules[i].desc->check_tag == NULL ||
			    tp_lint_level(&p->rules[i], (enum tp_scope)s) ==
				    TP_LEVEL_OFF)
				continue;
			run->tag_rules[s][run->ntag_rules[s]++] = &p->rules[i];
			if (!(p->rules[i].desc->flags & TP_RULE_GIT))
				run->nofact_rules[s][run->nnofact_rules[s]++] =
					&p->rules[i];
		}
		if (scope_prefixes(run, (enum tp_scope)s) < 0)
			goto nomem;
	}
	run->md = pcre2_match_data_create(maxg + 1, NULL);
	if (run->md == NULL)
		goto nomem;
	run->ov = pcre2_get_ovector_pointer(run->md);
	run->nov = pcre2_get_ovector_count(run->md);
	run->hov = calloc(2 * (size_t)run->nov, sizeof(*run->hov));
	if (run->hov == NULL)
		goto nomem;
	run->filter = calloc(p->nkinds + 1, sizeof(*run->filter));
	if (run->filter == NULL)
		goto nomem;
	for (s = 0; s < TP_SCOPE_COUNT; s++) {
		run->sk[s] = calloc(p->nscope[s] + 1, sizeof(*run->sk[s]));
		if (run->sk[s] == NULL)
			goto nomem;
		for (i = 0; i < p->nscope[s]; i++) {
			j = (size_t)(p->scope[s][i] - p->kinds);
			if (!run->filter[j].done)
				kind_filter(run, p->scope[s][i],
					    &run->filter[j]);
			run->sk[s][i].k = p->scope[s][i];
			run->sk[s][i].re = p->scope[s][i]->re;
			run->sk[s][i].ki = j;
			run->sk[s][i].jit = run->kind_jit[j];
			run->sk[s][i].hand =
				hand_kind(p->scope[s][i], run->nov);
			run->sk[s][i].one = only_field(p->scope[s][i]);
			run->sk[s][i].f = run->filter[j];
			if (i >= 64 || run->sk[s][i].re == NULL)
				continue;
			for (c = 0; c < 256; c++)
				if ((run->filter[j].first[c >> 3] >> (c & 7)) &
				    1)
					run->starts[s][c] |= (uint64_t)1 << i;
		}
	}
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
	arena_free(&run->arena);
	arena_free(&run->scratch);
	pcre2_match_data_free(run->md);
	for (i = 0; run->partial_re != NULL && i < run->p->nkinds; i++)
		pcre2_code_free(run->partial_re[i]);
	free(run->partial_re);
	free(run->kind_sig);
	free(run->kf);
	free(run->kfield);
	free(run->kind_jit);
	free(run->hov);
	free(run->filter);
	for (s = 0; s < TP_SCOPE_COUNT; s++)
		free(run->sk[s]);
	free(run->probe_fields);
	free(run->cur_fields);
	free(run->key_fields);
	for (s = 0; s < TP_SCOPE_COUNT; s++) {
		free(run->prefixes[s]);
		free(run->tag_rules[s]);
		free(run->nofact_rules[s]);
	}
	free(run->keyed);
	keyed_free(run);
	free(run->cand.s);
	free(run->probe_text.s);
	free(run->cur_text.s);
	free(run->key_text.s);
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

/*
 * The version of a matched {semver} field from the groups of its parts,
 * which follow the field's group `g` (see semver_groups_follow()): the
 * regex checked the grammar, so this is what tp_version_parse() would
 * give, without reading the text again.  0 when a group is missing.
 */
static int
semver_groups(struct tp_version *v, const PCRE2_SIZE *ov, uint32_t nov,
	      size_t g, const char *tag, size_t off, size_t len)
{
	const PCRE2_SIZE *p = ov + 2 * (g + 1);
	size_t end = len;

	if (g + 5 >= nov || p[0] == PCRE2_UNSET || p[2] == PCRE2_UNSET ||
	    p[4] == PCRE2_UNSET)
		return 0;
	memset(v, 0, sizeof(*v));
	v->str = tag + off;
	v->len = len;
	v->major_off = p[0] - off;
	v->major_len = p[1] - p[0];
	v->minor_off = p[2] - off;
	v->minor_len = p[3] - p[2];
	v->patch_off = p[4] - off;
	v->patch_len = p[5] - p[4];
	v->build_off = len;
	if (p[8] != PCRE2_UNSET) {
		v->build_off = p[8] - off;
		v->build_len = p[9] - p[8];
		end = v->build_off - 1;
	}
	v->pre_off = end;
	if (p[6] != PCRE2_UNSET) {
		v->pre_off = p[6] - off;
		v->pre_len = p[7] - p[6];
	}
	return 1;
}

/*
 * The checks of field `fv` that its grammar does not make (a date is a
 * real date, a `pattern` field matches its regex) and the parse of a
 * {semver} read without its groups into `v`: a problem is reported under
 * rule kind and the value is not valid.  Out of take_fields(), so that
 * its buffers do not weigh on every tag.
 */
static void
check_value(struct tp_lint *run, struct tp_tagres *t, struct tp_fieldval *fv,
	    struct tp_version *v)
{
	const struct tp_field *f = fv->field;
	const char *s = t->tag + fv->off;
	struct tp_error e;
	char why[160];
	int rc;

	switch (f->type) {
	case TP_FIELD_DATE:
		if (!tp_date_parse(&fv->date, f->date, s, fv->len, why,
				   sizeof(why))) {
			fv->valid = 0;
			tp_lint_report(run, t, run->kind_conf, NULL,
				       "invalid {%s} '%.*s' in kind '%s': %s",
				       f->name, (int)fv->len, s, t->kind->name,
				       why);
		}
		break;
	case TP_FIELD_PATTERN:
		if (f->pattern_re == NULL)
			break;
		rc = pcre2_match(f->pattern_re, (PCRE2_SPTR)s, fv->len, 0, 0,
				 run->md, NULL);
		if (rc < 0) {
			fv->valid = 0;
			tp_lint_report(run, t, run->kind_conf, NULL,
				       "invalid {%s} '%.*s' in kind '%s': "
				       "does not match '%s'",
				       f->name, (int)fv->len, s, t->kind->name,
				       f->pattern);
		}
		break;
	case TP_FIELD_SEMVER:
		/* the regex checked the grammar: this rarely fails */
		if (tp_version_parse(v, s, fv->len, NULL) == 0)
			break;
		tp_error_init(&e);
		if (tp_version_parse(v, s, fv->len, &e) < 0) {
			fv->valid = 0;
			tp_lint_report(run, t, run->kind_conf, NULL,
				       "invalid {%s} '%.*s' in kind '%s': %s",
				       f->name, (int)fv->len, s, t->kind->name,
				       e.msg);
		}
		break;
	default: break;
	}
}

/*
 * The kind matched; fills the spans from `ov` (the regex's ovector, or the
 * same made by hand_match(): run->nov pairs) and checks the values.
 * `fields` has room for any kind's fields, or is NULL: then they are
 * carved from the run's arena (a result that is kept).
 */
static void
take_fields(struct tp_lint *run, struct tp_tagres *t, size_t ki,
	    const PCRE2_SIZE *ov, struct tp_fieldval *fields)
{
	const struct tp_kind *k = t->kind;
	const struct kind_fields *kf = &run->kf[ki];
	uint32_t nov = run->nov;
	struct tp_version *v = &t->version;
	struct tp_fieldval *fv;
	size_t i, g;

	t->nfields = kf->n;
	if (fields != NULL)
		t->fields = fields;
	else if (t->nfields > 0)
		t->fields = arena_alloc(run, &run->arena,
					t->nfields * sizeof(*t->fields));
	if (t->nfields > 0 && t->fields == NULL)
		return;
	for (i = 0; i < kf->n; i++) {
		g = kf->f[i].group;
		fv = &t->fields[i];
		fv->field = kf->f[i].field;
		fv->date = 0;
		fv->valid = 1;
		if (g < nov && ov[2 * g] != PCRE2_UNSET) {
			fv->off = ov[2 * g];
			fv->len = ov[2 * g + 1] - ov[2 * g];
		} else {
			fv->off = fv->len = 0;
		}
	}
	/*
	 * value checks, after the spans: they reuse the match data.  The
	 * version is all zero here: results start zeroed, and this runs
	 * once for each.
	 */
	t->fields_ok = 1;
	for (i = 0; i < kf->n; i++) {
		fv = &t->fields[i];
		switch (kf->f[i].type) {
		case TP_FIELD_SEMVER:
			/* its parts from the groups, else parsed */
			if (!kf->semver_groups ||
			    !semver_groups(v, ov, nov, kf->f[i].group, t->tag,
					   fv->off, fv->len))
				check_value(run, t, fv, v);
			break;
		case TP_FIELD_DATE:
		case TP_FIELD_PATTERN: check_value(run, t, fv, v); break;
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
	if (!t->has_version) {
		/* a field may have set a part ({pre} of "{pre}", say) */
		if (t->nfields > 0)
			memset(v, 0, sizeof(*v));
	} else if (!k->has_semver) {
		/* the parts' offsets are into the tag */
		v->str = t->tag;
		v->len = t->tag_len;
	}
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

/* ------------------------------------------------------------------ */
/* Matching simple kinds by hand                                       */
/* ------------------------------------------------------------------ */

/*
 * A kind whose template has only literals and fields of a simple grammar
 * ({semver} and its parts, {branch}, value lists, hex) is matched without
 * the regex: every way to cut the tag into the template's pieces is
 * counted.  One way is the match the regex finds (the cut is forced, so
 * are the spans); none is no match; more than one is left to the regex,
 * whose backtracking order picks one.  The grammars below are those the
 * template module writes for the fields (template.c): RE_NUM, RE_PRE,
 * RE_META and the {semver} made of them, [a-z0-9_][a-z0-9._-]*, the
 * values as literals, [0-9a-f]{min,max}.
 */
enum { HAND_NO, HAND_YES, HAND_UNSURE };

static int
hand_field(enum tp_field_type t)
{
	return t == TP_FIELD_SEMVER || t == TP_FIELD_MAJOR ||
	       t == TP_FIELD_MINOR || t == TP_FIELD_PATCH ||
	       t == TP_FIELD_PRE || t == TP_FIELD_META ||
	       t == TP_FIELD_BRANCH || t == TP_FIELD_VALUES ||
	       t == TP_FIELD_HEX;
}

/* 1 when hand_match() can decide for kind `k` (ovector of `nov` pairs). */
static int
hand_kind(const struct tp_kind *k, uint32_t nov)
{
	size_t i;

	if (k->re == NULL || k->calver_counter || k->npieces == 0 ||
	    k->npieces > HAND_MAX_PIECES)
		return 0;
	for (i = 0; i < k->npieces; i++) {
		if (k->pieces[i].field == NULL)
			continue;
		if (!hand_field(k->pieces[i].field->type) ||
		    k->pieces[i].group + 1 > nov)
			return 0;
		/* a {semver}'s parts are the five groups after its own */
		if (k->pieces[i].field->type == TP_FIELD_SEMVER &&
		    (k->pieces[i].group + 6 > nov || !semver_groups_follow(k)))
			return 0;
	}
	return 1;
}

static int
is_alnum_dash(int c)
{
	/* c | 0x20 is a lower-case letter only when c is a letter */
	return is_digit(c) || (unsigned)((c | 0x20) - 'a') < 26 || c == '-';
}

/* RE_NUM: 0|[1-9][0-9]* */
static int
hand_num(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return 0;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/*
 * Where the dot-separated identifiers of [0-9A-Za-z-] at the start of
 * s[0..n) end: at the first other byte, or n.  None may be empty, and
 * with `pre` an all-digit one has no leading zero (RE_PRE; else RE_META):
 * SIZE_MAX when one breaks that.
 */
static size_t
idents_end(const char *s, size_t n, int pre)
{
	size_t i = 0, start;
	int digits;

	for (;;) {
		start = i;
		digits = 1;
		while (i < n && is_alnum_dash(s[i])) {
			digits &= is_digit(s[i]);
			i++;
		}
		if (i == start ||
		    (pre && digits && s[start] == '0' && i - start > 1))
			return SIZE_MAX;
		if (i == n || s[i] != '.')
			return i;
		i++;
	}
}

/* s[0..n) is RE_PRE (with `pre`) or RE_META. */
static int
hand_idents(const char *s, size_t n, int pre)
{
	return idents_end(s, n, pre) == n;
}

/*
 * {semver}: NUM.NUM.NUM[-PRE][+META]; fills p[0..9] with the spans of
 * major, minor, patch, pre and meta (PCRE2_UNSET when absent), from `off`.
 */
static int
hand_semver(const char *s, size_t n, size_t off, PCRE2_SIZE *p)
{
	size_t i = 0, k, start, end;

	for (k = 0; k < 3; k++) {
		start = i;
		while (i < n && is_digit(s[i]))
			i++;
		/* hand_num() of the digits just read, without reading them */
		if (i == start || (s[start] == '0' && i - start > 1))
			return 0;
		p[2 * k] = off + start;
		p[2 * k + 1] = off + i;
		if (k < 2) {
			if (i == n || s[i] != '.')
				return 0;
			i++;
		}
	}
	p[6] = p[7] = p[8] = p[9] = PCRE2_UNSET;
	if (i < n && s[i] == '-') {
		/* a byte that ends it other than '+' fails below */
		start = ++i;
		end = idents_end(s + start, n - start, 1);
		if (end == SIZE_MAX)
			return 0;
		i = start + end;
		p[6] = off + start;
		p[7] = off + i;
	}
	if (i < n && s[i] == '+') {
		start = ++i;
		end = n;
		if (!hand_idents(s + start, end - start, 0))
			return 0;
		p[8] = off + start;
		p[9] = off + end;
		i = n;
	}
	return i == n;
}

/* [0-9a-f]{min,max} */
static int
hand_hex(const struct tp_field *f, const char *s, size_t n)
{
	size_t i;

	if (n < f->hex_min || n > f->hex_max)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return 1;
}

/* Whether s[0..n) is a value of field `f`, and its spans (semver). */
static int
hand_value(const struct tp_field *f, const char *s, size_t n, size_t off,
	   PCRE2_SIZE *parts)
{
	size_t i;

	switch (f->type) {
	case TP_FIELD_SEMVER: return hand_semver(s, n, off, parts);
	case TP_FIELD_MAJOR:
	case TP_FIELD_MINOR:
	case TP_FIELD_PATCH: return hand_num(s, n);
	case TP_FIELD_PRE: return hand_idents(s, n, 1);
	case TP_FIELD_META: return hand_idents(s, n, 0);
	case TP_FIELD_BRANCH:
		if (n == 0 || !(is_digit(s[0]) ||
				(s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
			return 0;
		for (i = 1; i < n; i++)
			if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z') ||
			      s[i] == '_' || s[i] == '.' || s[i] == '-'))
				return 0;
		return 1;
	case TP_FIELD_VALUES:
		for (i = 0; i < f->nvalues; i++)
			if (strlen(f->values[i]) == n &&
			    memcmp(f->values[i], s, n) == 0)
				return 1;
		return 0;
	case TP_FIELD_HEX: return hand_hex(f, s, n);
	default: return 0;
	}
}

/* The state of one search: the cut so far and the first complete one. */
struct hand {
	const struct tp_kind *k;
	const char *s;
	size_t len;
	size_t end[HAND_MAX_PIECES]; /* where piece i ends, this cut */
	PCRE2_SIZE parts[10]; /* the {semver}'s parts, this cut */
	size_t found[HAND_MAX_PIECES]; /* the first complete cut */
	PCRE2_SIZE fparts[10];
	unsigned count; /* complete cuts, up to 2 */
	unsigned steps;
};

/* Counts the cuts of s[pos..) into pieces idx.. (stops at two). */
static void
hand_cut(struct hand *h, size_t pos, size_t idx)
{
	const struct tp_piece *pc = &h->k->pieces[idx];
	const struct tp_piece *next;
	const char *hit;
	size_t e;

	if (h->count > 1)
		return;
	if (++h->steps > HAND_MAX_STEPS) {
		h->count = 2; /* unsure: the regex decides */
		return;
	}
	if (idx == h->k->npieces) {
		if (pos == h->len && h->count++ == 0) {
			memcpy(h->found, h->end, sizeof(h->found));
			memcpy(h->fparts, h->parts, sizeof(h->parts));
		}
		return;
	}
	if (pc->field == NULL) {
		if (h->len - pos >= pc->len &&
		    memcmp(h->s + pos, pc->text, pc->len) == 0) {
			h->end[idx] = pos + pc->len;
			hand_cut(h, pos + pc->len, idx + 1);
		}
		return;
	}
	next = idx + 1 < h->k->npieces ? &h->k->pieces[idx + 1] : NULL;
	if (next != NULL && next->field == NULL && next->len > 0) {
		/* the literal after it starts where it ends */
		for (e = pos; h->count < 2; e++) {
			hit = memchr(h->s + e, next->text[0], h->len - e);
			if (hit == NULL ||
			    h->len - (size_t)(hit - h->s) < next->len)
				return;
			e = (size_t)(hit - h->s);
			if (!hand_value(pc->field, h->s + pos, e - pos, pos,
					h->parts))
				continue;
			h->end[idx] = e;
			hand_cut(h, e, idx + 1);
		}
		return;
	}
	/* the last piece ends where the tag does; else any end will do */
	for (e = next == NULL ? h->len : pos; e <= h->len && h->count < 2;
	     e++) {
		if (!hand_value(pc->field, h->s + pos, e - pos, pos, h->parts))
			continue;
		h->end[idx] = e;
		hand_cut(h, e, idx + 1);
	}
}

/*
 * The bytes piece `pc` matches, whatever the tag: a literal's length, or
 * the length of a {hex} field whose minimum and maximum are equal (its
 * grammar is [0-9a-f]{n}); SIZE_MAX when it varies.
 */
static size_t
piece_width(const struct tp_piece *pc)
{
	if (pc->field == NULL)
		return pc->len;
	if (pc->field->type == TP_FIELD_HEX &&
	    pc->field->hex_min == pc->field->hex_max)
		return pc->field->hex_min;
	return SIZE_MAX;
}

/*
 * The index of the kind's only piece of varying width (see piece_width),
 * which is a field; -1 for none, -2 for more.
 */
static int
only_field(const struct tp_kind *k)
{
	size_t i;
	int one = -1;

	for (i = 0; i < k->npieces; i++)
		if (piece_width(&k->pieces[i]) == SIZE_MAX) {
			if (one >= 0)
				return -2;
			one = (int)i;
		}
	return one;
}

/*
 * Whether piece `pc`, of width `w` (see piece_width), matches
 * s[pos..pos + w): the literal, or a value of the {hex} field (its span
 * goes to run->hov, as the regex's).
 */
static int
hand_fixed(struct tp_lint *run, const struct tp_piece *pc, size_t w,
	   const char *s, size_t pos)
{
	if (pc->field == NULL)
		return memcmp(s + pos, pc->text, w) == 0;
	if (!hand_hex(pc->field, s + pos, w))
		return 0;
	run->hov[2 * pc->group] = pos;
	run->hov[2 * pc->group + 1] = pos + w;
	return 1;
}

/*
 * hand_match() for a kind with at most one piece of varying width (piece
 * `one`, or -1): every other piece matches a fixed number of bytes, so
 * those before it are at fixed offsets from the start of the tag and
 * those after it at fixed offsets from its end.  There is one cut or
 * none.
 */
static int
hand_one(struct tp_lint *run, const struct tp_kind *k, int one, const char *s,
	 size_t len)
{
	const struct tp_piece *pc;
	size_t i, w, pos = 0, end = len, g;

	for (i = 0; i < k->npieces && (int)i != one; i++) {
		pc = &k->pieces[i];
		w = piece_width(pc);
		if (end - pos < w || !hand_fixed(run, pc, w, s, pos))
			return HAND_NO;
		pos += w;
	}
	for (i = k->npieces; one >= 0 && i > (size_t)one + 1; i--) {
		pc = &k->pieces[i - 1];
		w = piece_width(pc);
		if (end - pos < w || !hand_fixed(run, pc, w, s, end - w))
			return HAND_NO;
		end -= w;
	}
	if (one < 0)
		return pos == len ? HAND_YES : HAND_NO;
	pc = &k->pieces[one];
	g = pc->group;
	if (!hand_value(pc->field, s + pos, end - pos, pos,
			run->hov + 2 * (g + 1)))
		return HAND_NO;
	run->hov[2 * g] = pos;
	run->hov[2 * g + 1] = end;
	return HAND_YES;
}

/*
 * HAND_YES (run->hov holds the spans, as the regex's ovector would),
 * HAND_NO, or HAND_UNSURE: several cuts, or too long a search.
 */
static int
hand_match(struct tp_lint *run, const struct tp_kind *k, int one, const char *s,
	   size_t len)
{
	struct hand h;
	size_t i, start = 0, g;

	if (one >= -1)
		return hand_one(run, k, one, s, len);
	h.k = k;
	h.s = s;
	h.len = len;
	h.count = 0;
	h.steps = 0;
	hand_cut(&h, 0, 0);
	if (h.count == 0)
		return HAND_NO;
	if (h.count > 1)
		return HAND_UNSURE;
	for (i = 0; i < k->npieces; start = h.found[i++]) {
		if (k->pieces[i].field == NULL)
			continue;
		g = k->pieces[i].group;
		run->hov[2 * g] = start;
		run->hov[2 * g + 1] = h.found[i];
		if (k->pieces[i].field->type == TP_FIELD_SEMVER)
			memcpy(run->hov + 2 * (g + 1), h.fparts,
			       sizeof(h.fparts));
	}
	return HAND_YES;
}

/*
 * One match of a kind's (or a scope's) anchored regex against the whole
 * tag.  JIT code is called directly: pcre2_match() would only check the
 * arguments and hand over to it (the patterns never use UTF mode, so there
 * is no UTF check to skip).
 */
static int
match(struct tp_lint *run, const pcre2_code *re, int jit, const char *s,
      size_t len)
{
	if (jit)
		return pcre2_jit_match(re, (PCRE2_SPTR)s, len, 0, 0, run->md,
				       NULL);
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, run->md, NULL);
}

/*
 * Kind sk for t->tag (its filter passed): 1 when it matched (t->kind and
 * the fields are set) or the run failed, 0 to try the next kind.
 */
static inline int
try_kind(struct tp_lint *run, struct tp_tagres *t, const struct scope_kind *sk,
	 struct tp_fieldval *fields)
{
	int rc = sk->hand && t->tag_len <= HAND_MAX_LEN
			 ? hand_match(run, sk->k, sk->one, t->tag, t->tag_len)
			 : HAND_UNSURE;

	if (rc == HAND_NO)
		return 0;
	if (rc == HAND_YES) {
		t->kind = sk->k;
		take_fields(run, t, sk->ki, run->hov, fields);
		return 1;
	}
	if (cur_slack(run, t) < 0)
		return 1;
	if (match(run, sk->re, sk->jit, t->tag, t->tag_len) < 0)
		return 0;
	t->kind = sk->k;
	take_fields(run, t, sk->ki, run->ov, fields);
	return 1;
}

/* The number of the lowest bit set in w (not 0). */
static unsigned
lowest_bit(uint64_t w)
{
#if defined(__GNUC__) || defined(__clang__)
	return (unsigned)__builtin_ctzll(w);
#else
	unsigned n = 0;

	while (!(w & 1)) {
		w >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * Step 3 for t->tag in t->scope; `fields` as take_fields().  The kinds
 * are tried in order, each with its own regex, after its filter; of the
 * first 64, only those that may start with the tag's first byte are
 * looked at (most tags start as two or three kinds of a scope may).
 */
static void
match_kind(struct tp_lint *run, struct tp_tagres *t, struct tp_fieldval *fields)
{
	const struct scope_kind *sk = run->sk[t->scope];
	const struct scope_kind *end = sk + run->p->nscope[t->scope];
	unsigned char c = t->tag_len > 0 ? (unsigned char)t->tag[0] : 0;
	const struct scope_kind *k;
	uint64_t may;

	if (t->tag_len > 0) {
		for (may = run->starts[t->scope][c]; may != 0; may &= may - 1) {
			k = sk + lowest_bit(may);
			if (t->tag_len >= k->f.minlen &&
			    try_kind(run, t, k, fields))
				return;
		}
		sk += end - sk > 64 ? 64 : end - sk;
	}
	for (; sk < end; sk++) {
		if (t->tag_len < sk->f.minlen ||
		    (t->tag_len > 0 &&
		     !((sk->f.first[c >> 3] >> (c & 7)) & 1)) ||
		    sk->re == NULL)
			continue;
		if (try_kind(run, t, sk, fields))
			return;
	}
}

/*
 * Steps 3 and 4 for t->tag in t->scope.  A rule that needs repository
 * facts (TP_RULE_GIT) looks at a tag's commit or whether it is annotated,
 * and says nothing of a tag that has neither: like tp_lint_finish() for
 * the set rules, the engine does not call it then (the unit tests hold
 * every such rule to it).
 */
static void
lint_tag(struct tp_lint *run, struct tp_tagres *t)
{
	int facts = t->commit != NULL || t->annotated >= 0;
	const struct tp_rule_conf *const *rules =
		facts ? run->tag_rules[t->scope] : run->nofact_rules[t->scope];
	size_t n = facts ? run->ntag_rules[t->scope]
			 : run->nnofact_rules[t->scope],
	       i;

	/* custom rules search the tag after the fields point into it */
	if (run->custom_in[t->scope] && cur_slack(run, t) < 0)
		return;
	match_kind(run, t,
		   t->probe_	    ? run->probe_fields
		   : t == &run->cur ? run->cur_fields
				    : NULL);
	if (t->probe_ && t->kind == NULL && run->kind_error[t->scope]) {
		/* what rule kind says of it does not matter: it fails */
		t->nerrors++;
		return;
	}
	/*
	 * rule kind speaks of a tag that matched no kind, or of one under
	 * `--kind` (rules/kind.c): most tags it is not called for
	 */
	if ((t->kind == NULL || run->opts.kind != NULL) &&
	    run->kind_conf->desc->check_tag != NULL)
		run->kind_conf->desc->check_tag(run, t, run->kind_conf);
	for (i = 0; i < n; i++) {
		if (t->probe_ && t->nerrors > 0)
			return;
		rules[i]->desc->check_tag(run, t, rules[i]);
	}
	if (t->probe_ && t->nerrors > 0)
		return;
	custom_rules(run, t);
}

/*
 * Eight bytes at a time (this runs once for every tag), the last word
 * overlapping the one before it: fixed-size loads, no byte loop.
 */
static int
has_ref_char(const char *s, size_t len)
{
	uint64_t w;
	size_t i;

	if (len < 8) {
		for (i = 0; i < len; i++)
			if (s[i] == '/' || s[i] == ':' || s[i] == '@')
				return 1;
		return 0;
	}
	for (i = 0;; i += 8) {
		if (i + 8 > len)
			i = len - 8;
		memcpy(&w, s + i, 8);
		if (tp_swar_zero(w ^ (TP_SWAR_ONES * '/')) ||
		    tp_swar_zero(w ^ (TP_SWAR_ONES * ':')) ||
		    tp_swar_zero(w ^ (TP_SWAR_ONES * '@')))
			return 1;
		if (i + 8 == len)
			return 0;
	}
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

/* A kept copy of a tag's text, zeroed after it (TEXT_SLACK). */
static char *
arena_textdup(struct tp_lint *run, const char *s, size_t len)
{
	char *d;

	if (len > SIZE_MAX - TEXT_SLACK) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	d = arena_alloc(run, &run->arena, len + TEXT_SLACK);
	if (d == NULL)
		return NULL;
	memcpy(d, s, len);
	memset(d + len, 0, TEXT_SLACK);
	return d;
}

/* A result with nothing set (copied: faster than memset for its size). */
static const struct tp_tagres zero_result;

/* The result a new tag is linted into, with its text; NULL on OOM. */
static struct tp_tagres *
start_result(struct tp_lint *run, const struct tp_lint_input *in)
{
	struct tp_tagres *t;

	if (run->opts.stream) {
		t = &run->cur;
		arena_rewind(&run->scratch);
		*t = zero_result;
		/* a stable text is NUL-terminated and outlives the result */
		t->text = in->stable ? in->text
				     : slack_copy(run, &run->cur_text, in->text,
						  in->len);
		return t->text != NULL ? t : NULL;
	}
	t = new_result(run);
	if (t == NULL) {
		fail(run, TP_ENOMEM);
		return NULL;
	}
	t->text = arena_textdup(run, in->text, in->len);
	if (in->commit != NULL)
		t->commit = arena_strndup(run, &run->arena, in->commit,
					  strlen(in->commit));
	return run->error == 0 ? t : NULL;
}

int
tp_lint_add(struct tp_lint *run, const struct tp_lint_input *in,
	    const struct tp_tagres **out, struct tp_error *err)
{
	struct tp_tagres *t = NULL;
	struct tp_image_ref ref;
	struct tp_error e;
	int scope = in->scope;

	if (out != NULL)
		*out = NULL;
	if (run->opts.stream && in->commit != NULL)
		return tp_error_set(err, TP_EINVAL,
				    "a streaming lint run takes no commits");
	if (run->error == 0)
		t = start_result(run, in);
	if (run->error != 0)
		return failed(run, err);
	if (t == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	t->len = in->len;
	t->line = in->line;
	t->index = run->n;
	t->annotated = in->annotated;
	t->ok = 1;
	run->n++;
	t->tag = t->text;
	t->tag_len = t->len;
	/*
	 * the scans read the input, not the fresh copy: their loads would
	 * wait for the stores that made the copy.  Most tags have only
	 * bytes of the image tag grammar, which says there is no reference
	 * in one scan, and spares charset and the printing theirs
	 */
	if (scope < 0) {
		if (run->opts.scope == TP_SCOPE_GIT)
			scope = TP_SCOPE_GIT;
		else if (!(t->plain = tp_image_tag_bytes(in->text, in->len)) &&
			 has_ref_char(in->text, in->len)) {
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
		add_keyed(run, t, in->stable ? in->text : NULL);
	run->nfacts += t->commit != NULL;
	set_ok(run, t);
	/* counted now, while the result is in the cache */
	run->sum.checked++;
	run->sum.passed += t->ok != 0;
	run->sum.failed += t->ok == 0;
	run->sum.warnings += t->nwarnings;
	if (run->error != 0)
		return failed(run, err);
	if (out != NULL)
		*out = t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Many tags on several threads                                        */
/* ------------------------------------------------------------------ */

/* The one-thread path hands over its output at about this size. */
#define MANY_FLUSH ((size_t)1 << 16)
/* A tag's output on a worker, in bytes: a guess (see many_chunk). */
#define MANY_LINE_GUESS 96

static const struct tp_lint_input input_init = TP_LINT_INPUT_INIT;

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

/*
 * A chunk on its way: a worker lints it and swaps its output buffer and
 * keyed array in, with the block of their keys; the worker that finishes
 * the next chunk to go out hands it over, and the done ones after it
 * (many_hand_over: the output written out, the keyed tags and the block
 * appended to the run's).  Chunk c uses slot c % nslots, so that a
 * worker is at most a few chunks ahead of the output.  What a worker
 * writes tag after tag (its run, its buffer) is its own and made on its
 * own thread, so that no two workers write to one cache line.
 */
struct slot {
	size_t chunk;
	int state; /* SLOT_*, under the mutex */
	struct tp_buf out;
	struct tp_keyed *keyed;
	size_t nkeyed, akeyed;
	struct tp_key_block *kblock; /* NULL when no tag has a key */
};

struct many {
	struct tp_lint *run;
	const struct tp_lint_many *m;
	size_t base; /* the index of the first tag */
	size_t chunk, nchunks; /* chunk: when m->starts is NULL */
	struct slot *slots;
	size_t nslots;
	pthread_mutex_t mu; /* guards what follows */
	pthread_cond_t done; /* every chunk is out, or stop */
	pthread_cond_t freed; /* a slot is free, or stop */
	size_t next; /* the next chunk to take */
	size_t out; /* the next chunk to hand over */
	int handing; /* a worker is handing chunks over */
	int stop;
	int rc; /* the first failure */
	struct tp_error err; /* ... its message, when it is ours */
};

struct worker {
	struct many *mm;
	struct tp_lint *w; /* its own run: scratch, counts, keyed tags */
	pthread_t tid;
};

/* Trades the contents of two buffers. */
static void
buf_swap(struct tp_buf *a, struct tp_buf *b)
{
	struct tp_buf t = *a;

	*a = *b;
	*b = t;
}

/* Under the mutex: the first failure stops everyone. */
static void
many_stop(struct many *mm, int rc, const struct tp_error *err)
{
	if (!mm->stop) {
		mm->stop = 1;
		mm->rc = rc;
		if (err != NULL)
			mm->err = *err;
	}
	pthread_cond_broadcast(&mm->done);
	pthread_cond_broadcast(&mm->freed);
}

/* The tags of chunk c: from *i up to *end. */
static void
chunk_range(const struct tp_lint_many *m, size_t chunk, size_t c, size_t *i,
	    size_t *end)
{
	if (m->starts != NULL) {
		*i = m->starts[c];
		*end = m->starts[c + 1];
		return;
	}
	*i = c * chunk;
	*end = m->n - *i < chunk ? m->n : *i + chunk;
}

/* Lints the slot's chunk into `out` (empty), then swaps it in. */
static int
many_chunk(struct many *mm, struct tp_lint *w, struct slot *s,
	   struct tp_buf *out, struct tp_error *err)
{
	const struct tp_lint_many *m = mm->m;
	const struct tp_tagres *t;
	struct tp_lint_input in;
	struct tp_keyed *keyed = s->keyed;
	size_t i, end, akeyed = s->akeyed;
	int rc;

	chunk_range(m, mm->chunk, s->chunk, &i, &end);
	/* the indices the tags have in the one-thread run */
	w->n = mm->base + i;
	/*
	 * room for the chunk's lines at once: a buffer that grew line by
	 * line would be moved by the allocator as it doubles (mremap, which
	 * stops the other threads' CPUs to flush their TLBs); a guess that
	 * falls short costs a move
	 */
	if (end - i <= SIZE_MAX / MANY_LINE_GUESS)
		(void)tp_buf_grow(out, (end - i) * MANY_LINE_GUESS);
	for (; i < end; i++) {
		in = input_init;
		m->input(m->payload, s->chunk, i, &in);
		rc = tp_lint_add(w, &in, &t, err);
		if (rc == 0)
			rc = m->tag(m->payload, t, out);
		if (rc != 0)
			return rc;
	}
	/*
	 * the keys are sorted into their buckets here, while they are in
	 * this thread's cache (their base is the run's: see many_merge)
	 */
	s->kblock = NULL;
	if (w->nstaged > 0) {
		s->kblock = key_block(w, w->staged, w->nstaged, 0);
		if (s->kblock == NULL)
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		w->nstaged = 0;
	}
	/* the slot's buffer was emptied when it was handed over */
	buf_swap(&s->out, out);
	s->keyed = w->keyed;
	s->nkeyed = w->nkeyed;
	s->akeyed = w->akeyed;
	w->keyed = keyed;
	w->akeyed = akeyed;
	w->nkeyed = 0;
	return 0;
}

static int many_hand_over(struct many *mm);

static void *
many_work(void *arg)
{
	struct worker *wk = arg;
	struct many *mm = wk->mm;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	struct slot *s;
	int rc;

	/* the same policy, options and clock: the same verdicts */
	tp_error_init(&err);
	rc = tp_lint_new(&wk->w, mm->run->p, &mm->run->opts, &err);
	if (rc == 0)
		wk->w->now = mm->run->now;
	pthread_mutex_lock(&mm->mu);
	if (rc < 0)
		many_stop(mm, rc, &err);
	for (;;) {
		while (!mm->stop && mm->next < mm->nchunks &&
		       mm->slots[mm->next % mm->nslots].state != SLOT_FREE)
			pthread_cond_wait(&mm->freed, &mm->mu);
		if (mm->stop || mm->next >= mm->nchunks)
			break;
		s = &mm->slots[mm->next % mm->nslots];
		s->chunk = mm->next++;
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&mm->mu);
		tp_error_init(&err);
		rc = many_chunk(mm, wk->w, s, &out, &err);
		pthread_mutex_lock(&mm->mu);
		if (rc != 0) {
			many_stop(mm, rc, &err);
			break;
		}
		s->state = SLOT_DONE;
		if (!mm->handing && many_hand_over(mm) != 0)
			break;
	}
	pthread_mutex_unlock(&mm->mu);
	tp_buf_release(&out);
	return NULL;
}

/*
 * Appends the slot's keyed tags and their block to the run's (the run
 * has no staged keys: see tp_lint_add_many); 0 or TP_ENOMEM.
 */
static int
many_merge(struct tp_lint *run, struct slot *s)
{
	size_t need = run->nkeyed + s->nkeyed;

	if (keyed_reserve(run, need) < 0)
		return TP_ENOMEM;
	if (s->kblock != NULL) {
		s->kblock->base = run->nkeyed;
		if (keys_append(run, s->kblock) < 0) {
			s->kblock = NULL;
			return TP_ENOMEM;
		}
		s->kblock = NULL;
	}
	if (s->nkeyed > 0)
		memcpy(run->keyed + run->nkeyed, s->keyed,
		       s->nkeyed * sizeof(*s->keyed));
	run->nkeyed = need;
	s->nkeyed = 0;
	return 0;
}

/*
 * Under the mutex, on a worker whose chunk is done: hands over the done
 * chunks from the next one to hand over on, in order (the output written
 * out, the keyed tags appended to the run's), unless the next one is not
 * done yet; then its worker does when it is.  One worker at a time does
 * this (`handing`), so that no thread is woken for the output: the
 * calling thread only waits for the end.  0, or the failure that stopped
 * everyone.
 */
static int
many_hand_over(struct many *mm)
{
	const struct tp_lint_many *m = mm->m;
	struct tp_error err;
	struct slot *s;
	int rc = 0;

	mm->handing = 1;
	for (;;) {
		s = &mm->slots[mm->out % mm->nslots];
		if (mm->stop || mm->out == mm->nchunks ||
		    s->state != SLOT_DONE || s->chunk != mm->out)
			break;
		pthread_mutex_unlock(&mm->mu);
		tp_error_init(&err);
		rc = m->flush(m->payload, &s->out);
		tp_buf_clear(&s->out);
		if (rc == 0 && many_merge(mm->run, s) < 0)
			rc = tp_error_set(&err, TP_ENOMEM, "out of memory");
		pthread_mutex_lock(&mm->mu);
		if (rc != 0) {
			many_stop(mm, rc, rc < 0 ? &err : NULL);
			break;
		}
		s->state = SLOT_FREE;
		mm->out++;
		pthread_cond_broadcast(&mm->freed);
	}
	mm->handing = 0;
	if (mm->out == mm->nchunks)
		pthread_cond_signal(&mm->done);
	return rc;
}

/* On the calling thread: waits until every chunk is out, or a failure. */
static int
many_wait(struct many *mm)
{
	int rc;

	pthread_mutex_lock(&mm->mu);
	while (!mm->stop && mm->out < mm->nchunks)
		pthread_cond_wait(&mm->done, &mm->mu);
	rc = mm->stop ? mm->rc : 0;
	pthread_mutex_unlock(&mm->mu);
	return rc;
}

/* What a worker's run leaves to the run: counts, copied texts. */
static void
many_absorb(struct tp_lint *run, struct tp_lint *w)
{
	struct arena_block *b;

	run->sum.checked += w->sum.checked;
	run->sum.passed += w->sum.passed;
	run->sum.failed += w->sum.failed;
	run->sum.warnings += w->sum.warnings;
	run->nfacts += w->nfacts;
	/* keyed tags may point into its arena */
	for (b = w->arena.head; b != NULL && b->next != NULL; b = b->next)
		;
	if (b != NULL) {
		b->next = run->arena.head;
		run->arena.head = w->arena.head;
		w->arena.head = NULL;
	}
}

static int
many_one(struct tp_lint *run, const struct tp_lint_many *m, size_t chunk,
	 size_t nchunks, struct tp_error *err)
{
	struct tp_buf out = TP_BUF_INIT;
	const struct tp_tagres *t;
	struct tp_lint_input in;
	size_t c, i, end;
	int rc = 0;

	for (c = 0; c < nchunks && rc == 0; c++) {
		chunk_range(m, chunk, c, &i, &end);
		for (; i < end && rc == 0; i++) {
			in = input_init;
			m->input(m->payload, c, i, &in);
			rc = tp_lint_add(run, &in, &t, err);
			if (rc == 0)
				rc = m->tag(m->payload, t, &out);
			if (rc == 0 && out.len >= MANY_FLUSH) {
				rc = m->flush(m->payload, &out);
				tp_buf_clear(&out);
			}
		}
	}
	if (rc == 0)
		rc = m->flush(m->payload, &out);
	tp_buf_release(&out);
	return rc;
}

static unsigned
many_threads(const struct tp_lint *run, const struct tp_lint_many *m,
	     size_t nchunks)
{
	long cpus;
	unsigned n = m->threads;

	if (!run->opts.stream)
		return 1;
	if (n == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = m->n < TP_LINT_MANY_MIN || cpus < 1 ? 1
		    : cpus > TP_LINT_THREADS_MAX	? TP_LINT_THREADS_MAX
							: (unsigned)cpus;
	}
	if (n > TP_LINT_THREADS_MAX)
		n = TP_LINT_THREADS_MAX;
	return nchunks < n ? (unsigned)nchunks : n;
}

/*
 * Starts the workers (each makes its run); how many started, maybe none
 * (then the calling thread does the work).
 */
static unsigned
many_start(struct many *mm, struct worker *wk, unsigned nt)
{
	unsigned k;

	for (k = 0; k < nt; k++) {
		wk[k].mm = mm;
		wk[k].w = NULL;
		if (pthread_create(&wk[k].tid, NULL, many_work, &wk[k]) != 0)
			break;
	}
	return k;
}

int
tp_lint_add_many(struct tp_lint *run, const struct tp_lint_many *m,
		 struct tp_error *err)
{
	struct worker wk[TP_LINT_THREADS_MAX];
	struct slot *slots = NULL;
	struct many mm;
	size_t chunk = m->chunk ? m->chunk : TP_LINT_CHUNK, i, nslots = 0;
	size_t nchunks = m->starts != NULL ? m->nchunks
					   : m->n / chunk + (m->n % chunk != 0);
	unsigned nt = many_threads(run, m, nchunks), started = 0, k;
	int rc = 0, sync = 0;

	if (run->error != 0)
		return failed(run, err);
	/*
	 * m->n bounds the keyed tags to come: room for them now spares the
	 * growing arrays their moves (pages are only taken when written);
	 * without it they grow as they go
	 */
	if (m->n <= SIZE_MAX - run->nkeyed)
		(void)keyed_reserve(run, run->nkeyed + m->n);
	/* the chunks' blocks of keys come after those staged before */
	if (keys_seal(run) < 0) {
		fail(run, TP_ENOMEM);
		return failed(run, err);
	}
	memset(&mm, 0, sizeof(mm));
	tp_error_init(&mm.err);
	if (nt > 1) {
		nslots = 2 * (size_t)nt;
		slots = calloc(nslots, sizeof(*slots));
		if (slots == NULL) {
			rc = tp_error_set(err, TP_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < nslots; i++)
			tp_buf_init(&slots[i].out, TP_BUF_MAX_DEFAULT);
		mm.run = run;
		mm.m = m;
		mm.base = run->n;
		mm.chunk = chunk;
		mm.nchunks = nchunks;
		mm.slots = slots;
		mm.nslots = nslots;
		/* sync: how many of the three were made */
		if (pthread_mutex_init(&mm.mu, NULL) == 0)
			sync = 1;
		if (sync == 1 && pthread_cond_init(&mm.done, NULL) == 0)
			sync = 2;
		if (sync == 2 && pthread_cond_init(&mm.freed, NULL) == 0)
			sync = 3;
		if (sync == 3)
			started = many_start(&mm, wk, nt);
	}
	if (started == 0) {
		/* one thread, or none could start: everything here */
		rc = many_one(run, m, chunk, nchunks, err);
		goto done;
	}
	rc = many_wait(&mm);
	for (k = 0; k < started; k++)
		pthread_join(wk[k].tid, NULL);
	if (rc < 0 && err != NULL && err->code == 0)
		*err = mm.err;
	for (k = 0; k < started; k++) {
		if (wk[k].w != NULL)
			many_absorb(run, wk[k].w);
		tp_lint_free(wk[k].w);
	}
	run->n = mm.base + m->n;
done:
	if (sync > 2)
		pthread_cond_destroy(&mm.freed);
	if (sync > 1)
		pthread_cond_destroy(&mm.done);
	if (sync > 0)
		pthread_mutex_destroy(&mm.mu);
	for (i = 0; i < nslots; i++) {
		tp_buf_release(&slots[i].out);
		free(slots[i].keyed);
		free(slots[i].kblock);
	}
	free(slots);
	if (rc != 0)
		fail(run, rc < 0 ? rc : TP_ERROR);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Keyed tags                                                          */
/* ------------------------------------------------------------------ */

/*
 * Rebuilds keyed tag `k` into `t`: the same match on the same text gives
 * the same kind, fields and version (`fields` as take_fields()).  The
 * match runs on a copy with slack; the spans are offsets, so they hold
 * for the run's copy of the text that `t` then points into.  0, or the
 * run's error.
 */
static int
rebuild(struct tp_lint *run, const struct tp_keyed *k, struct tp_tagres *t,
	struct tp_fieldval *fields)
{
	struct tp_image_ref ref;
	const char *tag;

	memset(t, 0, sizeof(*t));
	t->text = k->text;
	t->len = k->len;
	t->index = k->index;
	t->scope = (enum tp_scope)k->scope;
	t->is_ref = k->is_ref;
	t->annotated = -1;
	t->ok = 1;
	tag = t->text;
	t->tag_len = t->len;
	if (t->is_ref) {
		if (tp_image_ref_parse(&ref, t->text, t->len, NULL) < 0)
			return TP_ERROR;
		tag += ref.tag_off;
		t->tag_len = ref.tag_len;
	}
	t->tag = slack_copy(run, &run->key_text, tag, t->tag_len);
	if (t->tag == NULL)
		return run->error;
	/* its values passed before; a probe would not count a finding */
	t->probe_ = 1;
	match_kind(run, t, fields);
	t->probe_ = 0;
	/* the version borrows the tag ({semver}: from the field on) */
	if (t->version.str != NULL)
		t->version.str = tag + (t->version.str - t->tag);
	t->tag = tag;
	if (run->error != 0)
		return run->error;
	return t->kind == tp_lint_keyed_kind(run, k) && t->has_version
		       ? 0
		       : TP_ERROR;
}

/*
 * The rebuilt results of a streaming run, by keyed tag: an open-addressed
 * table (linear probing, at most half full), as most runs rebuild no tag
 * and those that do, a few among many.
 */
struct rebuilt {
	size_t i; /* keyed tag + 1; 0: a free place */
	struct tp_tagres *t;
};

/*
 * Where keyed tag i's rebuilt result is or goes in a table of `size` (a
 * power of two): the tags are distinct numbers, so their low bits do.
 */
static struct rebuilt *
rebuilt_find(struct rebuilt *tab, size_t size, size_t i)
{
	size_t h = i & (size - 1);

	while (tab[h].i != 0 && tab[h].i != i + 1)
		h = (h + 1) & (size - 1);
	return &tab[h];
}

/* Keyed tag i's rebuilt result, or NULL. */
static struct tp_tagres *
rebuilt_get(const struct tp_lint *run, size_t i)
{
	return run->rebuilt != NULL
		       ? rebuilt_find(run->rebuilt, run->arebuilt, i)->t
		       : NULL;
}

/* Keeps `t` as keyed tag i's rebuilt result; 0 or TP_ENOMEM. */
static int
rebuilt_put(struct tp_lint *run, size_t i, struct tp_tagres *t)
{
	struct rebuilt *tab, *r;
	size_t a = run->arebuilt ? 2 * run->arebuilt : 64, k;

	if (2 * (run->nrebuilt + 1) > run->arebuilt) {
		tab = a > SIZE_MAX / sizeof(*tab) ? NULL
						  : calloc(a, sizeof(*tab));
		if (tab == NULL)
			return TP_ENOMEM;
		for (k = 0; k < run->arebuilt; k++)
			if (run->rebuilt[k].i != 0)
				*rebuilt_find(tab, a, run->rebuilt[k].i - 1) =
					run->rebuilt[k];
		free(run->rebuilt);
		run->rebuilt = tab;
		run->arebuilt = a;
	}
	r = rebuilt_find(run->rebuilt, run->arebuilt, i);
	r->i = i + 1;
	r->t = t;
	run->nrebuilt++;
	return 0;
}

struct tp_tagres *
tp_lint_keyed_tag(struct tp_lint *run, const struct tp_keyed *k)
{
	size_t i = (size_t)(k - run->keyed);
	struct tp_tagres *t;
	int rc;

	if (!run->opts.stream)
		return tp_lint_at(run, k->index);
	t = rebuilt_get(run, i);
	if (t != NULL)
		return t;
	t = arena_alloc(run, &run->arena, sizeof(*t));
	if (t == NULL)
		return NULL;
	rc = rebuild(run, k, t, NULL);
	if (rc == 0 && rebuilt_put(run, i, t) < 0)
		rc = TP_ENOMEM;
	if (rc < 0) {
		fail(run, rc);
		return NULL;
	}
	return t;
}

int
tp_lint_keyed_version(struct tp_lint *run, const struct tp_keyed *k,
		      struct tp_version *out)
{
	struct tp_tagres t;
	const struct tp_tagres *r;
	int rc;

	r = run->opts.stream ? rebuilt_get(run, (size_t)(k - run->keyed))
			     : tp_lint_at(run, k->index);
	if (r != NULL) {
		*out = r->version;
		return 0;
	}
	rc = rebuild(run, k, &t, run->key_fields);
	if (rc < 0) {
		fail(run, rc);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	*out = t.version;
	return 0;
}

size_t
tp_lint_keyed_repo(const struct tp_keyed *k)
{
	struct tp_image_ref ref;

	/* a keyed reference parsed when it was added, and has a tag */
	if (!k->is_ref || tp_image_ref_parse(&ref, k->text, k->len, NULL) < 0 ||
	    ref.tag_len == 0)
		return 0;
	return ref.tag_off;
}

int
tp_lint_keyed_version_text(struct tp_buf *out, struct tp_lint *run,
			   const struct tp_keyed *k)
{
	struct tp_version v;

	if (k->vlen > 0) {
		if (tp_buf_put(out, k->text + k->voff, k->vlen) < 0) {
			fail(run, TP_ENOMEM);
			return TP_ENOMEM;
		}
		return 0;
	}
	if (tp_lint_keyed_version(run, k, &v) < 0)
		return run->error;
	if (tp_lint_version_parts(out, &v) < 0) {
		fail(run, TP_ENOMEM);
		return TP_ENOMEM;
	}
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

	/* a copy with zeroed slack, as the real tags have */
	s = slack_copy(run, &run->probe_text, s, len);
	if (s == NULL)
		return 0;
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

/*
 * The repairs among FIX_LOWER, FIX_DASH and FIX_ZEROS that would change
 * nothing in s[0..len): whether each changes something does not depend on
 * the others, so a candidate with one of them is refused by candidate()
 * whatever else it holds; skipping it saves building it.
 */
static unsigned
dead_fixes(const char *s, size_t len)
{
	unsigned live = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			live |= FIX_LOWER;
		else if (s[i] == '_')
			live |= FIX_DASH;
		else if (s[i] == '0' && i + 1 < len && is_digit(s[i + 1]) &&
			 (i == 0 || !is_digit(s[i - 1])))
			live |= FIX_ZEROS;
	}
	return (FIX_LOWER | FIX_DASH | FIX_ZEROS) & ~live;
}

/* What candidate() asks of a tag before it drops a leading 'v'. */
static int
drop_v_may(const char *s, size_t len)
{
	return len >= 2 && (s[0] == 'v' || s[0] == 'V') && is_digit(s[1]);
}

/* What candidate() asks of a tag before it puts a kind's start before it. */
static int
prefix_may(const char *s, size_t len)
{
	return len > 0 && is_digit(s[0]);
}

/*
 * A suggestion search gives up after this many kinds tried in all (its
 * candidates times the kinds of the scope): a few hundred for a policy
 * of a few dozen kinds, but a scope of thousands of kinds with thousands
 * of prefixes would take minutes for each tag that matches none.
 */
#define SUGGEST_TRIES ((size_t)1 << 16)

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
		if (!drop_v_may(c->s, c->len))
			return 0;
		memmove(c->s, c->s + 1, --c->len);
	} else if (pv >= 2) {
		px = &run->prefixes[t->scope][pv - 2];
		if (!prefix_may(c->s, c->len) ||
		    (c->len >= px->len && memcmp(c->s, px->text, px->len) == 0))
			return 0;
		memmove(c->s + px->len, c->s, c->len);
		memcpy(c->s, px->text, px->len);
		c->len += px->len;
	}
	return c->len != t->tag_len || memcmp(c->s, t->tag, c->len) != 0;
}

int
tp_lint_probing(const struct tp_tagres *t)
{
	return t->probe_;
}

const char *
tp_lint_suggest(struct tp_lint *run, struct tp_tagres *t)
{
	const struct tp_kind *k;
	size_t pv, npv, m, nm = sizeof(fix_order) / sizeof(fix_order[0]);
	size_t need, i, nlive, tries = 0;
	unsigned dead, live[sizeof(fix_order) / sizeof(fix_order[0])];

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
	/* the masks in fix_order without a repair that changes nothing */
	dead = dead_fixes(t->tag, t->tag_len);
	for (m = nlive = 0; m < nm; m++)
		if (!(fix_order[m] & dead))
			live[nlive++] = fix_order[m];
	/*
	 * m == 0 is no repair: only worth trying with a prefix change.  No
	 * repair changes whether the tag starts with 'v' or 'V' and a digit,
	 * or with a digit (a number keeps its last digit, ".0.0" goes after
	 * one), which candidate() asks of the prefix changes: a prefix
	 * change that cannot apply is skipped with all its masks.
	 */
	for (pv = 0; pv < npv; pv++) {
		if ((pv == 1 && !drop_v_may(t->tag, t->tag_len)) ||
		    (pv >= 2 && !prefix_may(t->tag, t->tag_len)))
			continue;
		for (m = pv == 0 ? 1 : 0; m <= nlive; m++) {
			if (!candidate(run, t, m ? live[m - 1] : 0, pv))
				continue;
			/* a probe may try every kind of the scope */
			tries += run->p->nscope[t->scope];
			if (tries > SUGGEST_TRIES)
				return NULL;
			if (!probe(run, t->scope, run->cand.s, run->cand.len,
				   &k))
				continue;
			t->suggestion_ =
				arena_strndup(run, res_arena(run, t),
					      run->cand.s, run->cand.len);
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
	if (run->partial_re[i] != NULL)
		return run->partial_re[i];
	if (tp_template_pattern(&b, k->pieces, k->npieces, k->calver_counter,
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
	pcre2_code *re;
	size_t lo = 0, hi = len, mid;
	int rc;

	/* the filter first: it rules out most kinds without a call */
	if (len == 0 || !kind_may_start(run, (size_t)(k - run->p->kinds), s[0]))
		return 0;
	re = partial_re(run, k);
	if (re == NULL)
		return 0;
	/* most kinds cannot even start the tag: one match says so */
	rc = pcre2_match(re, (PCRE2_SPTR)s, 1, 0, PCRE2_PARTIAL_HARD, run->md,
			 NULL);
	if (rc < 0 && rc != PCRE2_ERROR_PARTIAL)
		return 0;
	lo = 1;
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
	const char *s;
	size_t i, n, bestn = 0;

	if (t->probe_ || t->tag == NULL)
		return NULL;
	if (tp_lint_suggest(run, t) != NULL &&
	    probe(run, t->scope, t->suggestion_, strlen(t->suggestion_), &k) &&
	    k != NULL)
		return k;
	/* a copy with zeroed slack for the regexes (see TEXT_SLACK) */
	s = slack_copy(run, &run->probe_text, t->tag, t->tag_len);
	if (s == NULL)
		return NULL;
	for (i = 0; i < p->nscope[t->scope]; i++) {
		k = p->scope[t->scope][i];
		if (k->re == NULL)
			continue;
		n = follows(run, k, s, t->tag_len);
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
		return failed(run, err);
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

/* A tag object through the writer (pretty output). */
static void
json_tag_w(struct tp_json_w *w, const struct tp_tagres *t)
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

/*
 * Compact output is written directly, without the writer's bookkeeping
 * for every value: the same bytes the writer gives without `pretty` (no
 * white space; strings through tp_json_str()), for a fraction of the
 * work, which matters at a million tags.
 */
static void
jput(struct tp_lint_jw *j, const char *s, size_t n)
{
	if (j->error == 0 && tp_buf_put(j->out, s, n) < 0)
		j->error = TP_ENOMEM;
}

#define JPUTL(j, lit) jput((j), (lit), sizeof(lit) - 1)

/* A string value, or null for NULL. */
static void
jstr(struct tp_lint_jw *j, const char *s, size_t n)
{
	if (s == NULL)
		JPUTL(j, "null");
	else if (j->error == 0 && tp_json_str(j->out, s, n) < 0)
		j->error = TP_ENOMEM;
}

static void
jstr0(struct tp_lint_jw *j, const char *s)
{
	jstr(j, s, s != NULL ? strlen(s) : 0);
}

/* 1 when no byte of the word needs an escape in a JSON string. */
static inline int
json_word_plain(uint64_t w)
{
	return !tp_swar_unprintable(w) &&
	       !tp_swar_zero(w ^ (TP_SWAR_ONES * '"')) &&
	       !tp_swar_zero(w ^ (TP_SWAR_ONES * '\\'));
}

/*
 * 1 when s[0..n) goes into a JSON string as it is: printable ASCII
 * without '"' and '\\' (tp_json_str() escapes nothing then).  When `d`
 * is not NULL the bytes are copied to d[0..n) on the way (all of them
 * only when the answer is 1), so that an object built in place reads a
 * string once.  Words at a time, as has_ref_char(): from four bytes on,
 * the last word overlaps the one before it (below eight, two halves of
 * one word: the same bytes, some twice).
 */
static inline int
json_scan(char *d, const char *s, size_t n)
{
	uint64_t w;
	uint32_t lo, hi;
	size_t i;
	unsigned char c;

	if (n < 4) {
		for (i = 0; i < n; i++) {
			c = (unsigned char)s[i];
			if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
				return 0;
			if (d != NULL)
				d[i] = s[i];
		}
		return 1;
	}
	if (n < 8) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		if (!json_word_plain(lo | (uint64_t)hi << 32))
			return 0;
		if (d != NULL) {
			memcpy(d, &lo, 4);
			memcpy(d + n - 4, &hi, 4);
		}
		return 1;
	}
	for (i = 0;; i += 8) {
		if (i + 8 > n)
			i = n - 8;
		memcpy(&w, s + i, 8);
		if (!json_word_plain(w))
			return 0;
		if (d != NULL)
			memcpy(d + i, &w, 8);
		if (i + 8 == n)
			return 1;
	}
}

/* tp_room_put() of a string that needs no escapes; NULL when it does. */
static inline char *
fast_plain(char *p, const char *end, const char *s, size_t n)
{
	if (p == NULL || (size_t)(end - p) < n || !json_scan(p, s, n))
		return NULL;
	return p + n;
}

/* The same as a JSON string literal. */
static inline char *
fast_str(char *p, const char *end, const char *s, size_t n)
{
	if (p == NULL || (size_t)(end - p) < 2)
		return NULL;
	*p = '"';
	p = fast_plain(p + 1, end - 1, s, n);
	if (p != NULL)
		*p++ = '"';
	return p;
}

/* fast_str() of a NUL-terminated string, or null for NULL. */
static inline char *
fast_str0(char *p, const char *end, const char *s)
{
	return s != NULL ? fast_str(p, end, s, strlen(s))
			 : TP_ROOM_LIT(p, end, "null");
}

/* The room a tag object built in place may take. */
#define JSON_ROOM ((size_t)1024)

/*
 * A compact tag object built in place (after a comma, for `comma`) when
 * no string in it needs an escape (nearly always); 0 sends it to
 * json_tag_compact(), with nothing written.  The field values are parts
 * of the text, which is checked as a whole.  After a failure nothing is
 * written: 1.
 */
static int
json_tag_fast(struct tp_lint_jw *j, const struct tp_tagres *t, int comma)
{
	char *obj, *p, *end;
	const struct tp_diag *d;
	size_t i;

	if (j->error != 0)
		return 1;
	obj = tp_buf_reserve(j->out, JSON_ROOM);
	if (obj == NULL)
		return 0;
	end = obj + JSON_ROOM;
	p = comma ? TP_ROOM_LIT(obj, end, ",{\"tag\":\"")
		  : TP_ROOM_LIT(obj, end, "{\"tag\":\"");
	/* bytes of the image tag grammar need no escapes */
	p = t->plain ? tp_room_put(p, end, t->text, t->len)
		     : fast_plain(p, end, t->text, t->len);
	p = t->scope == TP_SCOPE_GIT
		    ? TP_ROOM_LIT(p, end, "\",\"scope\":\"git\",\"ok\":")
		    : TP_ROOM_LIT(p, end, "\",\"scope\":\"image\",\"ok\":");
	p = t->ok ? TP_ROOM_LIT(p, end, "true,\"kind\":")
		  : TP_ROOM_LIT(p, end, "false,\"kind\":");
	p = fast_str0(p, end, t->kind ? t->kind->name : NULL);
	p = TP_ROOM_LIT(p, end, ",\"fields\":{");
	for (i = 0; t->kind != NULL && i < t->nfields; i++) {
		if (i > 0)
			p = TP_ROOM_LIT(p, end, ",");
		p = fast_str0(p, end, t->fields[i].field->name);
		p = TP_ROOM_LIT(p, end, ":\"");
		p = tp_room_put(p, end, t->tag + t->fields[i].off,
				t->fields[i].len);
		p = TP_ROOM_LIT(p, end, "\"");
	}
	p = TP_ROOM_LIT(p, end, "},\"problems\":[");
	for (d = t->diags; d != NULL; d = d->next) {
		p = d == t->diags ? TP_ROOM_LIT(p, end, "{\"rule\":")
				  : TP_ROOM_LIT(p, end, ",{\"rule\":");
		p = fast_str0(p, end, d->rule);
		p = TP_ROOM_LIT(p, end, ",\"level\":");
		p = fast_str0(p, end, level_name(d->level));
		p = TP_ROOM_LIT(p, end, ",\"message\":");
		p = fast_str0(p, end, d->message);
		p = TP_ROOM_LIT(p, end, ",\"suggestion\":");
		p = fast_str0(p, end, d->suggestion);
		p = TP_ROOM_LIT(p, end, "}");
	}
	p = TP_ROOM_LIT(p, end, "]}");
	tp_buf_commit(j->out, p != NULL ? (size_t)(p - obj) : 0);
	return p != NULL;
}

static void
json_tag_compact(struct tp_lint_jw *j, const struct tp_tagres *t)
{
	const struct tp_diag *d;
	size_t i;

	JPUTL(j, "{\"tag\":");
	jstr(j, t->text, t->len);
	if (t->scope == TP_SCOPE_GIT)
		JPUTL(j, ",\"scope\":\"git\",\"ok\":");
	else
		JPUTL(j, ",\"scope\":\"image\",\"ok\":");
	if (t->ok)
		JPUTL(j, "true,\"kind\":");
	else
		JPUTL(j, "false,\"kind\":");
	jstr0(j, t->kind ? t->kind->name : NULL);
	JPUTL(j, ",\"fields\":{");
	for (i = 0; t->kind != NULL && i < t->nfields; i++) {
		if (i > 0)
			JPUTL(j, ",");
		jstr0(j, t->fields[i].field->name);
		JPUTL(j, ":");
		jstr(j, t->tag + t->fields[i].off, t->fields[i].len);
	}
	JPUTL(j, "},\"problems\":[");
	for (d = t->diags; d != NULL; d = d->next) {
		if (d != t->diags)
			JPUTL(j, ",");
		JPUTL(j, "{\"rule\":");
		jstr0(j, d->rule);
		JPUTL(j, ",\"level\":");
		jstr0(j, level_name(d->level));
		JPUTL(j, ",\"message\":");
		jstr0(j, d->message);
		JPUTL(j, ",\"suggestion\":");
		jstr0(j, d->suggestion);
		JPUTL(j, "}");
	}
	JPUTL(j, "]}");
}

void
tp_lint_json_resume(struct tp_lint_jw *j, struct tp_buf *out, size_t ntags)
{
	/* the writer `w` serves pretty output only: left alone */
	j->out = out;
	j->pretty = 0;
	j->ntags = ntags;
	j->error = 0;
}

void
tp_lint_json_begin(struct tp_lint_jw *j, struct tp_buf *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	if (!pretty) {
		JPUTL(j, "{\"tags\":[");
		return;
	}
	tp_jw_init(&j->w, out, pretty);
	tp_jw_obj_begin(&j->w);
	tp_jw_key(&j->w, "tags");
	tp_jw_arr_begin(&j->w);
}

int
tp_lint_json_tag(struct tp_lint_jw *j, const struct tp_tagres *t)
{
	int comma;

	if (j->pretty) {
		json_tag_w(&j->w, t);
		return j->w.error;
	}
	comma = j->ntags++ > 0;
	if (!json_tag_fast(j, t, comma)) {
		if (comma)
			JPUTL(j, ",");
		json_tag_compact(j, t);
	}
	return j->error;
}

static int
json_end_w(struct tp_json_w *w, const struct tp_lint *run)
{
	const struct tp_setprob *s;
	size_t i;

	tp_jw_arr_end(w);
	tp_jw_key(w, "set_problems");
	tp_jw_arr_begin(w);
	for (s = run->set; s != NULL; s = s->next) {
		tp_jw_obj_begin(w);
		tp_jw_key(w, "rule");
		tp_jw_str(w, s->rule);
		tp_jw_key(w, "level");
		tp_jw_str(w, level_name(s->level));
		tp_jw_key(w, "message");
		tp_jw_str(w, s->message);
		tp_jw_key(w, "tags");
		tp_jw_arr_begin(w);
		for (i = 0; i < s->ntags; i++)
			tp_jw_strn(w, s->texts[i], s->lens[i]);
		tp_jw_arr_end(w);
		tp_jw_obj_end(w);
	}
	tp_jw_arr_end(w);
	tp_jw_key(w, "summary");
	tp_jw_obj_begin(w);
	tp_jw_key(w, "checked");
	tp_jw_int(w, (long long)run->sum.checked);
	tp_jw_key(w, "passed");
	tp_jw_int(w, (long long)run->sum.passed);
	tp_jw_key(w, "failed");
	tp_jw_int(w, (long long)run->sum.failed);
	tp_jw_key(w, "warnings");
	tp_jw_int(w, (long long)run->sum.warnings);
	tp_jw_obj_end(w);
	tp_jw_obj_end(w);
	return w->error;
}

/*
 * A set problem's compact object built in place (after a comma, for
 * `comma`) like json_tag_fast(); 0 when a string needs an escape, with
 * nothing written.  The room is what the object takes (a set may name a
 * thousand tags); every piece is still checked against it.
 */
static int
json_set_fast(struct tp_lint_jw *j, const struct tp_setprob *s, int comma)
{
	const char *lvl = level_name(s->level);
	size_t rlen = strlen(s->rule), llen = strlen(lvl);
	size_t mlen = strlen(s->message), i, room;
	char *obj, *p, *end;

	if (j->error != 0)
		return 1;
	/* the object without its strings, then each tag as ,"TEXT" */
	room = sizeof(",{\"rule\":\"\",\"level\":\"\",\"message\":\"\","
		      "\"tags\":[]}") -
	       1 + rlen + llen + mlen;
	for (i = 0; i < s->ntags; i++) {
		/* no overflow: a text is an object, under SIZE_MAX / 2 */
		if (room > SIZE_MAX / 4)
			return 0;
		room += 3 + s->lens[i];
	}
	obj = tp_buf_reserve(j->out, room);
	if (obj == NULL)
		return 0;
	end = obj + room;
	p = comma ? TP_ROOM_LIT(obj, end, ",{\"rule\":")
		  : TP_ROOM_LIT(obj, end, "{\"rule\":");
	p = fast_str(p, end, s->rule, rlen);
	p = TP_ROOM_LIT(p, end, ",\"level\":");
	p = fast_str(p, end, lvl, llen);
	p = TP_ROOM_LIT(p, end, ",\"message\":");
	p = fast_str(p, end, s->message, mlen);
	p = TP_ROOM_LIT(p, end, ",\"tags\":[");
	for (i = 0; i < s->ntags; i++) {
		if (i > 0)
			p = TP_ROOM_LIT(p, end, ",");
		p = fast_str(p, end, s->texts[i], s->lens[i]);
	}
	p = TP_ROOM_LIT(p, end, "]}");
	tp_buf_commit(j->out, p != NULL ? (size_t)(p - obj) : 0);
	return p != NULL;
}

int
tp_lint_json_end(struct tp_lint_jw *j, const struct tp_lint *run)
{
	const struct tp_setprob *s;
	size_t i;

	if (j->pretty) {
		if (json_end_w(&j->w, run) < 0)
			return j->w.error;
		JPUTL(j, "\n");
		return j->error;
	}
	JPUTL(j, "],\"set_problems\":[");
	for (s = run->set; s != NULL; s = s->next) {
		if (json_set_fast(j, s, s != run->set))
			continue;
		if (s != run->set)
			JPUTL(j, ",");
		JPUTL(j, "{\"rule\":");
		jstr0(j, s->rule);
		JPUTL(j, ",\"level\":");
		jstr0(j, level_name(s->level));
		JPUTL(j, ",\"message\":");
		jstr0(j, s->message);
		JPUTL(j, ",\"tags\":[");
		for (i = 0; i < s->ntags; i++) {
			if (i > 0)
				JPUTL(j, ",");
			jstr(j, s->texts[i], s->lens[i]);
		}
		JPUTL(j, "]}");
	}
	if (j->error == 0 &&
	    tp_buf_printf(j->out,
			  "],\"summary\":{\"checked\":%lld,\"passed\":%lld,"
			  "\"failed\":%lld,\"warnings\":%lld}}\n",
			  (long long)run->sum.checked,
			  (long long)run->sum.passed,
			  (long long)run->sum.failed,
			  (long long)run->sum.warnings) < 0)
		j->error = TP_ENOMEM;
	return j->error;
}

int
tp_lint_json(struct tp_buf *out, const struct tp_lint *run, int pretty)
{
	struct tp_lint_jw j;
	size_t i;

	if (run->opts.stream)
		return TP_EINVAL;
	tp_lint_json_begin(&j, out, pretty);
	for (i = 0; i < run->n; i++)
		if (tp_lint_json_tag(&j, tp_lint_at(run, i)) < 0)
			break;
	return tp_lint_json_end(&j, run);
}
