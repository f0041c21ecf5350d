/*
 * lint.h: a lint run: tags checked against a compiled policy, the problems
 * found (diagnostics as data), set-level problems and summary counts.
 *
 * A run is created for one policy (tp_lint_new), fed tags one at a time
 * (tp_lint_add: each tag is linted at once), then finished
 * (tp_lint_finish: the set rules run over the whole list).  Everything the
 * run hands out (tag results, diagnostics, set problems) is owned by the
 * run and lives until tp_lint_free().  Tag results never move: a pointer
 * to one stays valid while more tags are added.
 *
 * For each tag the engine decides the scope (see struct tp_lint_input),
 * then:
 *  1. an input problem (a NUL byte, invalid UTF-8 in a list line) fails
 *     the tag under rule `input` and nothing else is checked;
 *  2. a full image reference is parsed with tp_image_ref_parse(); an error
 *     fails it under rule `reference`; its tag, if any, is linted in scope
 *     image (a reference without a tag has nothing more to check);
 *  3. the kinds of the scope are tried in policy order: the first whose
 *     regex matches the whole tag is the tag's kind; its fields are
 *     extracted by name and their values checked (a date must be a real
 *     calendar date, a `pattern` field must match its regex as a whole);
 *     a failed value check is a `kind` problem and later kinds are not
 *     tried;
 *  4. every built-in rule's check_tag hook runs (`kind` first, then the
 *     registry order), then the custom rules in policy order.
 * A rule whose level in the tag's scope is `off` reports nothing.  Within
 * a tag, errors come before warnings, otherwise in the order found.
 *
 * Engine rule ids (not in the registry, always at level error): `input`
 * and `reference`.  A field value problem is reported under `kind`.
 *
 * Kind matching reuses one PCRE2 match data per run and tries the kinds
 * of the scope one by one, each after a filter computed when the run is
 * made (the bytes the kind can start with, its regex's minimum length),
 * so that a tag costs about one match; a {semver} version is read from
 * the regex's groups.  A tag costs one result, its text and its field
 * spans, all carved from the run's arena.
 *
 * A streaming run (tp_lint_opts.stream) keeps no tag results: each tag is
 * linted into one scratch result that tp_lint_add() hands back and the
 * next call reuses, so a caller prints it at once (a tag's verdict never
 * changes after its own rules when there are no repository facts).  What
 * the set rules need is kept per tag with a version: a compact record
 * (struct tp_keyed) and the text (the caller's, when the input says it is
 * stable, else a copy), no per-tag allocation; the set rules rebuild the
 * details of the few tags they look at closely.
 *
 * A streaming run may lint a long list on several threads
 * (tp_lint_add_many()): each thread lints runs of consecutive tags with a
 * run of its own (the policy is shared: it is never written), and their
 * output and keyed tags are handed back in input order, one thread at a
 * time.
 * Nothing else in a run may be used by two threads at once.
 */
#ifndef TP_LINT_H
#define TP_LINT_H

#include "json.h"
#include "policy.h"

struct tp_lint;
struct tp_keyed;

/* One problem of one tag. */
struct tp_diag {
	const char *rule; /* rule id: built-in, custom, `input`... */
	enum tp_level level; /* TP_LEVEL_ERROR or TP_LEVEL_WARNING */
	const char *message; /* one line, lower-case, no full stop */
	const char *suggestion; /* a tag that passes every error rule, or
				   NULL */
	struct tp_diag *next;
};

/* A field's text in a tag, in template order. */
struct tp_fieldval {
	const struct tp_field *field;
	size_t off, len; /* into tp_tagres.tag */
	int64_t date; /* TP_FIELD_DATE with a valid value: its time */
	int valid; /* the value check passed */
};

/* The result for one tag. */
struct tp_tagres {
	const char *text; /* the input as given, NUL-terminated (it
				    may hold NUL bytes: see `len`) */
	size_t len;
	const char *tag; /* what was linted: `text`, or the tag of a
				    reference (NULL when it has none) */
	size_t tag_len;
	enum tp_scope scope;
	int is_ref; /* `text` was read as an image reference */
	/*
	 * 1 when the engine found every byte of `text` in [A-Za-z0-9_.-]
	 * as it chose the scope (tp_image_tag_bytes: no reference, nothing
	 * to escape); 0 says nothing
	 */
	int plain;
	unsigned line; /* input line, 0 for arguments */
	size_t index; /* position in the run, from 0 */

	const struct tp_kind *kind; /* NULL when no kind matched */
	struct tp_fieldval *fields; /* one per field of the kind */
	size_t nfields;
	int fields_ok; /* every field value passed its check */
	/*
	 * The version, when the kind has {semver} or any of {major}
	 * {minor} {patch} and the fields are valid: it borrows `tag`.
	 * Parts the kind does not have are empty (patch_len 0 in
	 * "{major}.{minor}").
	 */
	int has_version;
	struct tp_version version;

	/* Repository facts (check --git, hooks); NULL / -1 when unknown. */
	const char *commit; /* hex id of the peeled commit */
	int annotated; /* 1 annotated, 0 lightweight, -1 unknown */

	struct tp_diag *diags; /* errors first */
	size_t ndiags;
	size_t nerrors;
	size_t nwarnings;
	int ok; /* no error (no warning either, strict) */

	/* private to the engine */
	int probe_;
	int suggested_;
	const char *suggestion_;
};

/*
 * A set-level problem: several tags together break a set rule.  `texts`
 * and `lens` (the tp_tagres.text and .len of each tag) are always there;
 * `tags` is NULL in a streaming run when the rule reported keyed tags
 * (tp_lint_report_set_keyed), whose results are not kept.
 */
struct tp_setprob {
	const char *rule;
	enum tp_level level;
	enum tp_scope scope;
	const char *message;
	const struct tp_tagres **tags; /* every tag involved, input order */
	const char **texts; /* ... their texts */
	size_t *lens;
	size_t ntags;
	struct tp_setprob *next;
};

struct tp_lint_opts {
	int scope; /* TP_SCOPE_GIT, TP_SCOPE_IMAGE, or -1: none
			      given (`--scope`) */
	const char *kind; /* `--kind NAME`: the tag's kind must be NAME */
	int strict; /* warnings fail too */
	int stream; /* keep no tag results (see above and tp_lint_add) */
};

#define TP_LINT_OPTS_INIT \
	{ \
		-1, NULL, 0, 0 \
	}

/* One tag to add. */
struct tp_lint_input {
	const char *text;
	size_t len;
	/*
	 * TP_SCOPE_GIT or TP_SCOPE_IMAGE forces the scope (a git tag is
	 * never read as a reference); -1 decides as `check` does: a text
	 * with '/', ':' or '@' is an image reference unless the run's scope
	 * is git; otherwise the run's scope, else the policy's
	 * check.default-scope.
	 */
	int scope;
	unsigned line; /* for messages; 0 when not from a list */
	const char *problem; /* the input list's problem with the line
				  (TP_ITEM_NUL, TP_ITEM_UTF8) or NULL */
	const char *commit; /* facts, copied; NULL when unknown */
	int annotated; /* 1, 0, or -1 when unknown */
	/*
	 * 1: `text` is NUL-terminated (text[len] is '\0') and stays valid
	 * and unchanged until tp_lint_free(), so a streaming run may keep
	 * a pointer to it instead of a copy (its result's text may be it)
	 */
	int stable;
};

#define TP_LINT_INPUT_INIT \
	{ \
		NULL, 0, -1, 0, NULL, NULL, -1, 0 \
	}

struct tp_lint_summary {
	size_t checked; /* tags */
	size_t passed; /* tags with ok set */
	size_t failed;
	size_t warnings; /* warning findings, tags and set together */
	size_t set_errors; /* set problems at level error */
	size_t set_warnings;
};

/*
 * Creates a run for `p` (borrowed: it must outlive the run).  `opts` may
 * be NULL.  Errors: TP_EINVAL when opts->kind names no kind of the policy
 * ("unknown kind 'x'; did you mean 'y'?") or a kind outside the scope
 * given ("kind 'x' is not allowed in scope git"); the error of
 * tp_clock_now() when `date-future` is on and SOURCE_DATE_EPOCH is
 * malformed; TP_ENOMEM.  On failure *out is NULL.
 */
int tp_lint_new(struct tp_lint **out, const struct tp_policy *p,
		const struct tp_lint_opts *opts, struct tp_error *err);

void tp_lint_free(struct tp_lint *run);

/*
 * Adds one tag and lints it (steps 1-4 above).  Returns 0, or TP_ENOMEM
 * (the run is then unusable but can be freed).  A policy violation is
 * never an error here: it is a diagnostic in the result.  When `out` is
 * not NULL it receives the result (owned by the run).
 *
 * In a streaming run the result (with its fields, diagnostics and
 * suggestions) is valid only until the next tp_lint_add(),
 * tp_lint_finish() or tp_lint_free(); its verdict is final.  A streaming
 * run takes no repository facts: an input with a commit is TP_EINVAL
 * (set rules that need facts may change a tag's verdict after the list).
 */
int tp_lint_add(struct tp_lint *run, const struct tp_lint_input *in,
		const struct tp_tagres **out, struct tp_error *err);

/* The most threads tp_lint_add_many() uses. */
#define TP_LINT_THREADS_MAX 4
/* With threads left to it, fewer tags than this are linted on one. */
#define TP_LINT_MANY_MIN 4096
/* Tags a chunk, unless tp_lint_many.chunk says otherwise. */
#define TP_LINT_CHUNK 4096

/*
 * Many tags for tp_lint_add_many(): where they come from and where their
 * results go.  A callback returns 0 to go on; any other value stops the
 * run and tp_lint_add_many() returns it as it is (`err` untouched), so a
 * caller may pass its own (positive) status through.
 */
struct tp_lint_many {
	size_t n; /* tags */
	/*
	 * 0: the online processors, at most TP_LINT_THREADS_MAX, and one
	 * for fewer than TP_LINT_MANY_MIN tags; else that many (at most
	 * TP_LINT_THREADS_MAX), whatever `n`
	 */
	unsigned threads;
	/*
	 * The chunks, runs of consecutive tags: with `starts` NULL, `chunk`
	 * tags each (0: TP_LINT_CHUNK); else the caller's: chunk c holds
	 * tags starts[c] to starts[c + 1] - 1, for c < nchunks (starts[0]
	 * is 0, starts[nchunks] is n).
	 */
	size_t chunk;
	const size_t *starts;
	size_t nchunks;
	/*
	 * Fills `in` (set to TP_LINT_INPUT_INIT) with input i, which is in
	 * chunk c; called once for each i.  A chunk's inputs are asked for
	 * in order and on one thread, while other threads ask for those of
	 * other chunks.
	 */
	void (*input)(void *payload, size_t c, size_t i,
		      struct tp_lint_input *in);
	/*
	 * Writes the result of one tag to `out`, the buffer of its chunk;
	 * called on the thread that linted it, while other threads lint
	 * other chunks (so it must not touch shared state); the result is
	 * valid only during the call.
	 */
	int (*tag)(void *payload, const struct tp_tagres *t,
		   struct tp_buf *out);
	/*
	 * Hands over a chunk's output (it may be empty), in input order,
	 * one call at a time, on the thread whose chunk let the next ones
	 * go out (a worker, or the calling thread when it runs alone);
	 * `out` is emptied after the call.
	 */
	int (*flush)(void *payload, struct tp_buf *out);
	void *payload;
};

/*
 * Adds and lints m->n tags, as n calls of tp_lint_add() would: in a
 * streaming run the tags are cut into chunks of consecutive tags, linted
 * on up to m->threads threads, each with its own scratch (match data,
 * result, arena) and the policy shared; each result goes to m->tag on its
 * thread, and the chunks' output to m->flush in input order, one call at
 * a time, while the calling thread waits for the end.  Indices, keyed
 * tags and counts are those of the one-thread run, so the set rules
 * (tp_lint_finish) see the same list.
 * With one thread, and always in a run that keeps results, everything
 * runs on the calling thread, flushing about every 64 KiB.
 *
 * Returns 0; the errors of tp_lint_add() (the run is then unusable but
 * can be freed); or a callback's value.  When threads cannot be started
 * it uses fewer, down to the calling thread alone.
 */
int tp_lint_add_many(struct tp_lint *run, const struct tp_lint_many *m,
		     struct tp_error *err);

/*
 * Runs the set rules (their check_set hooks, registry order) once over
 * every tag added, and counts.  Call it once, after the last add.
 * Returns 0 or TP_ENOMEM.
 */
int tp_lint_finish(struct tp_lint *run, struct tp_error *err);

/*
 * Number of tags added, and tag `i` (0 <= i < count); in a streaming run
 * the results are not kept and tp_lint_at() returns NULL.
 */
size_t tp_lint_count(const struct tp_lint *run);
struct tp_tagres *tp_lint_at(const struct tp_lint *run, size_t i);

/* The set problems, in the order found (NULL when none). */
const struct tp_setprob *tp_lint_set_problems(const struct tp_lint *run);

/* The counts (meaningful after tp_lint_finish()). */
void tp_lint_summary(const struct tp_lint *run, struct tp_lint_summary *out);

/*
 * 1 when the run fails `check` (exit 1): a tag is not ok, or a set
 * problem is an error (or a warning, strict).  Else 0.
 */
int tp_lint_failed(const struct tp_lint *run);

/*
 * Appends the run as the JSON document of `check --format json`
 * (product.md; fields documented in tagpolicy(1)), followed by a newline.
 * Returns 0 or TP_ENOMEM; TP_EINVAL for a streaming run, whose tags are
 * gone: it writes the document in pieces with the functions below.
 */
int tp_lint_json(struct tp_buf *out, const struct tp_lint *run, int pretty);

/*
 * The same document in pieces, for a streaming run: begin (starts `j` on
 * `out` and opens the tag list), one tag object per result in input
 * order, end (after tp_lint_finish(): the set problems, the summary and
 * the newline).  The caller may empty `out` between calls (`j` keeps the
 * state).  Each returns 0 or TP_ENOMEM (sticky); the pieces of a run are
 * byte for byte what tp_lint_json() writes.  Only the tp_lint_json_*
 * functions touch the members.
 */
struct tp_lint_jw {
	struct tp_json_w w; /* pretty output goes through the writer */
	struct tp_buf *out;
	int pretty;
	size_t ntags; /* tag objects written */
	int error;
};

void tp_lint_json_begin(struct tp_lint_jw *j, struct tp_buf *out, int pretty);
/*
 * A compact writer that goes on with a document on `out` after `ntags`
 * tag objects written by other writers (on other threads, say): its tag
 * objects and end are what the first writer would have written there.
 */
void
tp_lint_json_resume(struct tp_lint_jw *j, struct tp_buf *out, size_t ntags);
int tp_lint_json_tag(struct tp_lint_jw *j, const struct tp_tagres *t);
int tp_lint_json_end(struct tp_lint_jw *j, const struct tp_lint *run);

/* ------------------------------------------------------------------ */
/* For rules (rules/ID.c)                                              */
/* ------------------------------------------------------------------ */

const struct tp_policy *tp_lint_policy(const struct tp_lint *run);
const struct tp_lint_opts *tp_lint_options(const struct tp_lint *run);

/*
 * Reports a problem of `tag` under `conf`'s rule, at the rule's level in
 * the tag's scope (always error for TP_RULE_ALWAYS_ON rules); nothing at
 * level off.  `suggestion` (may be NULL) is copied.  The message is
 * formatted like printf and must not repeat the tag: output puts it in
 * front.  Out of memory is remembered by the run (tp_lint_add or
 * tp_lint_finish returns it).
 */
void tp_lint_report(struct tp_lint *run, struct tp_tagres *tag,
		    const struct tp_rule_conf *conf, const char *suggestion,
		    const char *fmt, ...) TP_PRINTF(5, 6);

/*
 * Reports a set problem under `conf`'s rule at its level in `scope`;
 * `tags` (copied) lists every tag involved, in input order.
 */
void tp_lint_report_set(struct tp_lint *run, const struct tp_rule_conf *conf,
			enum tp_scope scope, const struct tp_tagres **tags,
			size_t ntags, const char *fmt, ...) TP_PRINTF(6, 7);

/*
 * The same for keyed tags (tp_lint_keyed()), without their results: in a
 * run that keeps results `tags` is filled with each one's result, in a
 * streaming run it is NULL.
 */
void
tp_lint_report_set_keyed(struct tp_lint *run, const struct tp_rule_conf *conf,
			 enum tp_scope scope,
			 const struct tp_keyed *const *tags, size_t ntags,
			 const char *fmt, ...) TP_PRINTF(6, 7);

/*
 * The same with each tag's text at hand: texts[i] holds the same lens[i]
 * bytes as tags[i]->text (maybe another copy of them).  The arrays and
 * the texts must live as long as the run (tp_lint_alloc()): a streaming
 * run keeps the arrays as they are, without a copy, and reads nothing
 * through `tags`; a run that keeps results lists each result's own text,
 * as tp_lint_report_set_keyed() does.
 */
void
tp_lint_report_set_texts(struct tp_lint *run, const struct tp_rule_conf *conf,
			 enum tp_scope scope,
			 const struct tp_keyed *const *tags, const char **texts,
			 size_t *lens, size_t ntags, const char *fmt, ...)
	TP_PRINTF(8, 9);

/*
 * `n` bytes (aligned for any of the run's records) that live as long as
 * the run, or NULL when out of memory (recorded).
 */
void *tp_lint_alloc(struct tp_lint *run, size_t n);

/* The level `conf` has for tags of `scope` (ALWAYS_ON rules: error). */
enum tp_level
tp_lint_level(const struct tp_rule_conf *conf, enum tp_scope scope);

/*
 * A repaired form of the tag that passes every rule at level error in its
 * scope, or NULL when no obvious repair does.  The repairs, tried alone
 * and then combined, in this order: lower-case; '_' to '-'; leading zeros
 * dropped from numbers (v01.2.3 -> v1.2.3); the first partial version
 * completed (v1.2 -> v1.2.0, 1 -> 1.0.0); a leading 'v' or 'V' dropped,
 * or the literal start of a kind of the scope added.  Computed once per
 * tag and kept.  Always NULL while the engine tries a candidate.
 */
const char *tp_lint_suggest(struct tp_lint *run, struct tp_tagres *tag);

/* How many templates tp_lint_kinds_list() shows. */
#define TP_LINT_KINDS_LISTED 5

/*
 * The templates of the first TP_LINT_KINDS_LISTED kinds of scope `s`,
 * joined by ", " (then ", ..." when the scope has more): made once per
 * run (it lives as long as the run), for the messages of every tag that
 * matches no kind.  NULL when out of memory (recorded).
 */
const char *tp_lint_kinds_list(struct tp_lint *run, enum tp_scope s);

/*
 * 1 while the engine tries a candidate (tp_lint_suggest): only whether
 * the tag has an error counts, so a rule may skip making its message.
 */
int tp_lint_probing(const struct tp_tagres *tag);

/*
 * The nearest kind of the tag's scope: the kind of the suggestion, else
 * the kind whose template the tag follows the furthest from its start
 * (PCRE2 partial matching), else NULL.
 */
const struct tp_kind *
tp_lint_nearest(struct tp_lint *run, struct tp_tagres *tag);

/* The clock (SOURCE_DATE_EPOCH or now), read once when the run began. */
int64_t tp_lint_now(const struct tp_lint *run);

/* Records a failure of a set rule (TP_ENOMEM); the first one wins. */
void tp_lint_fail(struct tp_lint *run, int code);

/* Index of `k` in the policy's kinds (for grouping), or (size_t)-1. */
size_t tp_lint_kind_index(const struct tp_lint *run, const struct tp_kind *k);

/*
 * The field-signature class of a kind: kinds whose templates have the same
 * fields in the same order (differing only in literal text) share it.
 */
size_t tp_lint_kind_sig(const struct tp_lint *run, const struct tp_kind *k);

/*
 * Appends the tag's version (has_version must be set) as the parts its
 * kind has, joined by '.', then "-PRE": "1.2.3-rc.1", "1.4" for
 * "{major}.{minor}".  Build metadata is left out.  0 or TP_ENOMEM.
 */
int tp_lint_version_text(struct tp_buf *out, const struct tp_tagres *t);
/* The same for a version of a keyed tag (tp_lint_keyed_version()). */
int tp_lint_version_parts(struct tp_buf *out, const struct tp_version *v);

/*
 * A tag with a version, as set rules see it without its result (the
 * result is tp_lint_keyed_tag(): in a run that keeps results, tag
 * `index`).  `text` lives as long as the run (a copy, or the caller's
 * stable input).
 */
struct tp_keyed {
	const char *text; /* the input, NUL-terminated (tp_tagres.text) */
	/*
	 * 32 bits, so that a record takes 24 bytes: a run keys up to 2^32
	 * tags of up to 4 GiB each (tp_lint_add() fails beyond)
	 */
	uint32_t len;
	uint32_t index; /* tp_tagres.index */
	/* its kind's place in the policy (TP_POLICY_KINDS_MAX: 16 bits do):
	   see tp_lint_keyed_kind() */
	uint16_t kind;
	unsigned char scope; /* enum tp_scope */
	unsigned char is_ref;
	/*
	 * Its version as tp_lint_version_parts() writes it is text[voff]
	 * up to text[voff + vlen - 1] (a {semver} field's MAJOR.MINOR.PATCH
	 * and prerelease; the parts of "{major}.{minor}" with the dot
	 * between them), or vlen is 0 (then see tp_lint_keyed_version)
	 */
	unsigned char voff;
	unsigned char vlen;
};

/* A keyed tag's kind. */
const struct tp_kind *tp_lint_keyed_kind(const struct tp_lint *run,
					 const struct tp_keyed *k);

/*
 * Every tag with a version (has_version), in input order: set rules walk
 * this compact array instead of every result.
 */
const struct tp_keyed *tp_lint_keyed(const struct tp_lint *run, size_t *n);

/*
 * Every keyed tag has a duplicate key: a hash of the scope, the
 * repository of a reference (tp_lint_keyed_repo), the kind's field
 * signature (tp_lint_kind_sig), the version's major, minor, patch and
 * prerelease text and the text of the kind's other fields, build
 * metadata left out.  Tags that duplicate-version calls duplicates have
 * equal keys (equal keys may still differ: compare them).
 *
 * The keys come in blocks of consecutive keyed tags, each sorted into
 * buckets by the keys' top TP_KEY_BITS bits, so that a pass over one
 * bucket of every block reads nothing else: a thread that lints a run of
 * tags sorts their keys while they are at hand.
 */
#define TP_KEY_BITS 10
#define TP_KEY_BUCKETS ((size_t)1 << TP_KEY_BITS)

/*
 * The keys of keyed tags `base` to base + n - 1 by bucket: those of
 * bucket b are keys[start[b]] to keys[start[b + 1] - 1], in input order,
 * and keys[e] is the key of keyed tag base + local[e].
 */
struct tp_key_block {
	size_t base;
	size_t n;
	const uint64_t *keys;
	const uint32_t *local;
	uint32_t start[TP_KEY_BUCKETS + 1];
};

/* The bucket of a key. */
#define TP_KEY_BUCKET(key) ((size_t)((key) >> (64 - TP_KEY_BITS)))

/*
 * The blocks of the keys of every keyed tag, in input order (*n of
 * them).  Keys still waiting for a block are put in one first; out of
 * memory is recorded (tp_lint_finish() returns it), and the blocks are
 * then those made before.
 */
const struct tp_key_block *const *
tp_lint_key_blocks(struct tp_lint *run, size_t *n);

/*
 * The result of keyed tag `k` (an element of tp_lint_keyed()): in a run
 * that keeps results, tag k->index; in a streaming run one rebuilt from
 * the text (kept by the run, so the same pointer next time), with its
 * kind, fields and version, and no diagnostics (diags NULL; ok, ndiags,
 * nerrors, nwarnings mean nothing).  NULL when out of memory (recorded:
 * tp_lint_finish() returns it).
 */
struct tp_tagres *
tp_lint_keyed_tag(struct tp_lint *run, const struct tp_keyed *k);

/*
 * The version of keyed tag `k` into *out, borrowing k->text (so it stays
 * valid as long as the run), without keeping a result.  0, or TP_ENOMEM
 * (recorded as above; *out is then zeroed).
 */
int tp_lint_keyed_version(struct tp_lint *run, const struct tp_keyed *k,
			  struct tp_version *out);

/*
 * Appends the version of keyed tag `k` as tp_lint_version_parts() writes
 * it: taken from the text when it is one span of it (voff, vlen), else
 * from tp_lint_keyed_version().  0, or TP_ENOMEM (recorded as there).
 */
int tp_lint_keyed_version_text(struct tp_buf *out, struct tp_lint *run,
			       const struct tp_keyed *k);

/*
 * The repository keyed tag `k` belongs to, as the length of the text
 * that names it: for an image reference, its name and the ':' before its
 * tag ("ghcr.io/acme/app:" of "ghcr.io/acme/app:1.4.0"); 0 for a plain
 * tag.  Set rules compare tags of one repository only: two images may
 * both be at 1.4.0, and a plain tag names no repository, so it is
 * compared with plain tags.
 */
size_t tp_lint_keyed_repo(const struct tp_keyed *k);

/* 1 when the field type is part of a version ({semver} and its parts). */
int tp_field_is_version(enum tp_field_type t);

#endif
