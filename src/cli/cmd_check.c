/*
 * cmd_check.c: `tagpolicy check` lints tags, image references, an input
 * list or every tag of the repository against the policy.
 */
/* F_SETPIPE_SZ (Linux): see cmd_check() */
#define _GNU_SOURCE

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "history.h"
#include "json.h"
#include "lint.h"
#include "listin.h"
#include "swar.h"

/* Text output is written out in pieces of about this size. */
#define FLUSH_AT ((size_t)1 << 16)

/*
 * The room reserved for a line built in place (see ok_line() and
 * diag_line()); a longer line takes the general path.
 */
#define LINE_ROOM ((size_t)512)
#define DIAG_ROOM ((size_t)1024)

struct check_opts {
	const char *scope;
	const char *kind;
	const char *format;
	int strict;
	int git;
	int from_stdin;
};

static const struct cli_opt options[] = {
	{ CLI_OPT_STRING, "scope", 0, "SCOPE",
	  "check the tags as git tags or image tags (default: the policy's "
	  "check.default-scope)",
	  offsetof(struct check_opts, scope), "git|image" },
	{ CLI_OPT_STRING, "kind", 0, "NAME", "every tag must be of kind NAME",
	  offsetof(struct check_opts, kind), NULL },
	{ CLI_OPT_FLAG, "strict", 0, NULL, "warnings fail too",
	  offsetof(struct check_opts, strict), NULL },
	{ CLI_OPT_STRING, "format", 0, "FORMAT", "text (default) or json",
	  offsetof(struct check_opts, format), "text|json" },
	{ CLI_OPT_FLAG, "git", 0, NULL,
	  "check every tag of the repository (scope git)",
	  offsetof(struct check_opts, git), NULL },
	{ CLI_OPT_FLAG, "stdin", 0, NULL,
	  "read tags from standard input (as '-')",
	  offsetof(struct check_opts, from_stdin), NULL },
	CLI_OPT_END_MARK
};

static const struct cli_usage usage = {
	"check",
	"check [--scope git|image] [--kind NAME] [--strict] "
	"[--format text|json] TAG|REF...\n"
	"check [OPTIONS] -\n"
	"check [OPTIONS] --git",
	"Lints tags against the policy: each tag must match a kind of its\n"
	"scope and pass the policy's rules.  An argument with '/', ':' or '@'\n"
	"is a full image reference (unless the scope is git); its name is\n"
	"checked against the reference grammar and its tag in scope image.\n"
	"'-' (or no argument) reads a list from standard input: one tag a\n"
	"line, or a registry's JSON tag listing.  --git checks every tag of\n"
	"the repository.  Prints one line a finding (or 'ok' for a clean tag),\n"
	"the set problems, and a summary.  Exit 0 when everything passed,\n"
	"1 when a tag failed or a set rule found an error, 2 for a usage or\n"
	"policy error, 3 when the repository cannot be read.",
	options, 0
};

/* ------------------------------------------------------------------ */
/* Text output                                                         */
/* ------------------------------------------------------------------ */

#define SGR_RESET "\033[m"
#define SGR_OK "\033[32m"
#define SGR_ERROR "\033[1;31m"
#define SGR_WARNING "\033[1;33m"
#define SGR_DIM "\033[2m"

/* Length of the UTF-8 sequence at s[0..n), or 0 when it is not one. */
static size_t
utf8_seq(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t k;

	k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
	if (k == 0 || k > n || c > 0xF4)
		return 0;
	return tp_json_utf8_valid(s, k) ? k : 0;
}

static void
put_n(struct tp_buf *b, const char *s, size_t n)
{
	if (tp_buf_put(b, s, n) < 0)
		cli_oom();
}

/*
 * 1 when s[0..n) is printable ASCII: put_shown() would copy it as is.
 * When `d` is not NULL the bytes are copied to d[0..n) on the way (all of
 * them only when the answer is 1), so that a line built in place reads
 * the text once.  Eight bytes at a time, the last word overlapping the
 * one before it.
 */
static inline int
scan_plain(char *d, const char *s, size_t n)
{
	uint64_t w;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++) {
			if ((unsigned char)(s[i] - 0x20) >= 0x5F)
				return 0;
			if (d != NULL)
				d[i] = s[i];
		}
		return 1;
	}
	for (i = 0;; i += 8) {
		if (i + 8 > n)
			i = n - 8;
		memcpy(&w, s + i, 8);
		if (tp_swar_unprintable(w))
			return 0;
		if (d != NULL)
			memcpy(d + i, &w, 8);
		if (i + 8 == n)
			return 1;
	}
}

static int
is_plain(const char *s, size_t n)
{
	return scan_plain(NULL, s, n);
}

/*
 * The text as a terminal may show it: control characters, DEL and bytes
 * that are not UTF-8 as \xHH, a backslash as itself.
 */
static void
put_shown(struct tp_buf *b, const char *s, size_t n)
{
	size_t i = 0, k;
	unsigned char c;

	if (is_plain(s, n)) {
		put_n(b, s, n);
		return;
	}
	while (i < n) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			k = i;
			while (i < n && (unsigned char)s[i] >= 0x20 &&
			       (unsigned char)s[i] < 0x7F)
				i++;
			if (tp_buf_put(b, s + k, i - k) < 0)
				cli_oom();
			continue;
		}
		k = c >= 0x80 ? utf8_seq(s + i, n - i) : 0;
		if (k > 0) {
			if (tp_buf_put(b, s + i, k) < 0)
				cli_oom();
			i += k;
			continue;
		}
		if (tp_buf_printf(b, "\\x%02x", c) < 0)
			cli_oom();
		i++;
	}
}

static void
put(struct tp_buf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* A string literal, without strlen: the writer runs a million times. */
#define PUTL(b, lit) put_n((b), (lit), sizeof(lit) - 1)

static void
put_level(struct tp_buf *b, int color, const char *word, const char *sgr)
{
	size_t n = strlen(word);

	/* right-aligned under "warning" */
	put_n(b, "       ", sizeof("warning") - 1 - n);
	if (color)
		put(b, sgr);
	put_n(b, word, n);
	PUTL(b, ":");
	if (color)
		PUTL(b, SGR_RESET);
	PUTL(b, " ");
}

static const char *
scope_name(enum tp_scope s)
{
	return s == TP_SCOPE_GIT ? "git" : "image";
}

/* "tag 'v1.2' (git): " */
static void
put_subject(struct tp_buf *b, const struct tp_tagres *t)
{
	put(b, t->is_ref ? "reference '" : "tag '");
	put_shown(b, t->text, t->len);
	PUTL(b, "' (");
	put(b, scope_name(t->scope));
	PUTL(b, "): ");
}

static void
put_rule(struct tp_buf *b, int color, const char *rule)
{
	PUTL(b, " ");
	put(b, cli_sgr(color, SGR_DIM));
	PUTL(b, "[");
	put(b, rule);
	PUTL(b, "]");
	put(b, cli_sgr(color, SGR_RESET));
}

/* tp_room_put() of a text that must also be plain (is_plain()). */
static inline char *
copy_plain(char *p, const char *end, const char *s, size_t n)
{
	if (p == NULL || (size_t)(end - p) < n || !scan_plain(p, s, n))
		return NULL;
	return p + n;
}

/*
 * copy_plain() of the tag's text, which needs no look when the engine
 * found only tag-grammar bytes in it (tp_tagres.plain).
 */
static inline char *
copy_text(char *p, const char *end, const struct tp_tagres *t)
{
	return t->plain ? tp_room_put(p, end, t->text, t->len)
			: copy_plain(p, end, t->text, t->len);
}

/*
 * What a clean tag's line says of its kind, made once for each kind and
 * scope so that a line is a few copies: "' (image): NAME", then for a
 * kind with fields " (F1=", and " F2=" and so on before the other values.
 */
struct kline {
	char *head;
	size_t hlen;
	char **names; /* names[i] for field i > 0 */
	size_t *nlen;
	size_t nfields;
};

/* The strings given, up to a NULL, in one malloc'd string. */
static char *
join(size_t *len, ...)
{
	struct tp_buf buf = TP_BUF_INIT;
	const char *a;
	va_list ap;
	char *s;

	va_start(ap, len);
	while ((a = va_arg(ap, const char *)) != NULL)
		if (tp_buf_puts(&buf, a) < 0)
			cli_oom();
	va_end(ap);
	s = tp_buf_detach(&buf, len);
	if (s == NULL)
		cli_oom();
	return s;
}

/* A kind's line parts (see struct kline) for scope `s`. */
static void
kline_make(struct kline *kl, const struct tp_kind *k, enum tp_scope s)
{
	const char *scope = s == TP_SCOPE_GIT ? "' (git): " : "' (image): ";
	const char *name;
	size_t i, n = 0;

	for (i = 0; i < k->npieces; i++)
		n += k->pieces[i].field != NULL;
	kl->nfields = n;
	kl->names = xmalloc((n ? n : 1) * sizeof(*kl->names));
	kl->nlen = xmalloc((n ? n : 1) * sizeof(*kl->nlen));
	kl->names[0] = NULL;
	kl->nlen[0] = 0;
	if (n == 0)
		kl->head = join(&kl->hlen, scope, k->name, (char *)NULL);
	for (i = 0, n = 0; i < k->npieces; i++) {
		if (k->pieces[i].field == NULL)
			continue;
		name = k->pieces[i].field->name;
		if (n == 0)
			kl->head = join(&kl->hlen, scope, k->name, " (", name,
					"=", (char *)NULL);
		else
			kl->names[n] = join(&kl->nlen[n], " ", name, "=",
					    (char *)NULL);
		n++;
	}
}

static void
kline_free(struct kline *kl)
{
	size_t i;

	free(kl->head);
	for (i = 1; i < kl->nfields; i++)
		free(kl->names[i]);
	free(kl->names);
	free(kl->nlen);
}

/*
 * The line of a clean tag without colors, built in one piece: most lines
 * are these, a million of them in a big list.  0 when the line needs the
 * general path (escapes, colors, a long line), with nothing written.  The
 * line is made in place, in room reserved in the buffer, and the text is
 * checked while it is copied: each byte is read once and written once.
 * The field values are parts of the text, so that look at the text says
 * they need no escapes; names are written as they are on either path.
 * `kl` is the kind's line parts.
 */
static int
ok_line(struct tp_buf *b, const struct tp_tagres *t, const struct kline *kl)
{
	char *line, *p, *end;
	size_t i;

	if (t->nfields != kl->nfields)
		return 0;
	line = tp_buf_reserve(b, LINE_ROOM);
	if (line == NULL)
		return 0;
	end = line + LINE_ROOM;
	p = t->is_ref ? TP_ROOM_LIT(line, end, "     ok: reference '")
		      : TP_ROOM_LIT(line, end, "     ok: tag '");
	p = copy_text(p, end, t);
	p = tp_room_put(p, end, kl->head, kl->hlen);
	for (i = 0; i < t->nfields; i++) {
		const struct tp_fieldval *f = &t->fields[i];

		if (i > 0)
			p = tp_room_put(p, end, kl->names[i], kl->nlen[i]);
		p = tp_room_put(p, end, t->tag + f->off, f->len);
	}
	p = t->nfields ? TP_ROOM_LIT(p, end, ")\n") : TP_ROOM_LIT(p, end, "\n");
	tp_buf_commit(b, p != NULL ? (size_t)(p - line) : 0);
	return p != NULL;
}

/*
 * A finding's line without colors, built in place like ok_line(); 0 when
 * it needs the general path (the rule is written as it is on both).
 */
static int
diag_line(struct tp_buf *b, const struct tp_tagres *t, const struct tp_diag *d)
{
	char *line, *p, *end;

	line = tp_buf_reserve(b, DIAG_ROOM);
	if (line == NULL)
		return 0;
	end = line + DIAG_ROOM;
	p = d->level == TP_LEVEL_ERROR ? TP_ROOM_LIT(line, end, "  error: ")
				       : TP_ROOM_LIT(line, end, "warning: ");
	p = t->is_ref ? TP_ROOM_LIT(p, end, "reference '")
		      : TP_ROOM_LIT(p, end, "tag '");
	p = copy_text(p, end, t);
	p = t->scope == TP_SCOPE_GIT ? TP_ROOM_LIT(p, end, "' (git): ")
				     : TP_ROOM_LIT(p, end, "' (image): ");
	p = copy_plain(p, end, d->message, strlen(d->message));
	p = TP_ROOM_LIT(p, end, " [");
	p = tp_room_put(p, end, d->rule, strlen(d->rule));
	p = TP_ROOM_LIT(p, end, "]");
	if (d->suggestion != NULL) {
		p = TP_ROOM_LIT(p, end, "; did you mean '");
		p = copy_plain(p, end, d->suggestion, strlen(d->suggestion));
		p = TP_ROOM_LIT(p, end, "'?");
	}
	p = TP_ROOM_LIT(p, end, "\n");
	tp_buf_commit(b, p != NULL ? (size_t)(p - line) : 0);
	return p != NULL;
}

/*
 * `kl`: the line parts of every kind and scope (see struct kline);
 * `kinds`: the policy's kinds, which a tag's kind is one of.
 */
static void
text_tag(struct tp_buf *b, const struct cli *cli, const struct kline *kl,
	 const struct tp_kind *kinds, const struct tp_tagres *t)
{
	const struct tp_diag *d;
	size_t i;
	int color = cli->color_out;

	if (t->diags == NULL) {
		i = t->kind != NULL ? (size_t)(t->kind - kinds) : (size_t)-1;
		if (cli->quiet ||
		    (!color && i != (size_t)-1 &&
		     ok_line(b, t, &kl[i * TP_SCOPE_COUNT + t->scope])))
			return;
		put_level(b, color, "ok", SGR_OK);
		put_subject(b, t);
		if (t->kind == NULL) {
			PUTL(b, "no tag to check");
		} else {
			put(b, t->kind->name);
			for (i = 0; i < t->nfields; i++) {
				put(b, i ? " " : " (");
				put(b, t->fields[i].field->name);
				PUTL(b, "=");
				put_shown(b, t->tag + t->fields[i].off,
					  t->fields[i].len);
			}
			if (t->nfields > 0)
				PUTL(b, ")");
		}
		PUTL(b, "\n");
		return;
	}
	for (d = t->diags; d != NULL; d = d->next) {
		if (!color && diag_line(b, t, d))
			continue;
		if (d->level == TP_LEVEL_ERROR)
			put_level(b, color, "error", SGR_ERROR);
		else
			put_level(b, color, "warning", SGR_WARNING);
		put_subject(b, t);
		put_shown(b, d->message, strlen(d->message));
		put_rule(b, color, d->rule);
		if (d->suggestion != NULL) {
			PUTL(b, "; did you mean '");
			put_shown(b, d->suggestion, strlen(d->suggestion));
			PUTL(b, "'?");
		}
		PUTL(b, "\n");
	}
}

/*
 * A set problem's line without colors, built in place like ok_line(); 0
 * when it needs the general path.  A big list has tens of thousands of
 * them, some naming a thousand tags: the room is what the line takes
 * (every piece is still checked against it).
 */
static int
set_line(struct tp_buf *b, const struct tp_setprob *s)
{
	size_t i, mlen = strlen(s->message), rlen = strlen(s->rule), room;
	char *line, *p, *end;

	if (s->ntags == 0 || !is_plain(s->message, mlen))
		return 0;
	/* the line without its tags, then each tag and "', '" */
	room = sizeof("warning: tags '' (image):  []\n") - 1 + mlen + rlen;
	for (i = 0; i < s->ntags; i++) {
		/* no overflow: a text is an object, under SIZE_MAX / 2 */
		if (room > SIZE_MAX / 4)
			return 0;
		room += s->lens[i] + 4;
	}
	line = tp_buf_reserve(b, room);
	if (line == NULL)
		return 0;
	end = line + room;
	p = s->level == TP_LEVEL_ERROR
		    ? TP_ROOM_LIT(line, end, "  error: tags '")
		    : TP_ROOM_LIT(line, end, "warning: tags '");
	for (i = 0; i < s->ntags; i++) {
		if (i > 0)
			p = TP_ROOM_LIT(p, end, "', '");
		p = copy_plain(p, end, s->texts[i], s->lens[i]);
	}
	p = s->scope == TP_SCOPE_GIT ? TP_ROOM_LIT(p, end, "' (git): ")
				     : TP_ROOM_LIT(p, end, "' (image): ");
	p = tp_room_put(p, end, s->message, mlen);
	p = TP_ROOM_LIT(p, end, " [");
	p = tp_room_put(p, end, s->rule, rlen);
	p = TP_ROOM_LIT(p, end, "]\n");
	tp_buf_commit(b, p != NULL ? (size_t)(p - line) : 0);
	return p != NULL;
}

static void
text_set(struct tp_buf *b, const struct cli *cli, const struct tp_setprob *s)
{
	size_t i;
	int color = cli->color_out;

	if (!color && set_line(b, s))
		return;
	if (s->level == TP_LEVEL_ERROR)
		put_level(b, color, "error", SGR_ERROR);
	else
		put_level(b, color, "warning", SGR_WARNING);
	PUTL(b, "tags ");
	for (i = 0; i < s->ntags; i++) {
		put(b, i ? ", '" : "'");
		put_shown(b, s->texts[i], s->lens[i]);
		PUTL(b, "'");
	}
	PUTL(b, " (");
	put(b, scope_name(s->scope));
	PUTL(b, "): ");
	put_shown(b, s->message, strlen(s->message));
	put_rule(b, color, s->rule);
	PUTL(b, "\n");
}

/* ------------------------------------------------------------------ */
/* The sink: results printed as they come, or after the set rules     */
/* ------------------------------------------------------------------ */

/*
 * A part's cursor, alone in its cache lines: the cursors of parts read
 * by different threads at once are written item after item.
 */
struct cursor {
	struct tp_list_cursor c;
	char pad[128 - sizeof(struct tp_list_cursor)];
};

/*
 * Where results go.  A streaming run (no repository facts) prints each
 * tag as soon as it is linted, so that a long list needs no memory for
 * its results; with --git the set rules may still report on a tag, so
 * the results are kept and printed after them.  Output goes through one
 * buffer written out in pieces of about FLUSH_AT bytes.
 */
struct sink {
	struct cli *cli;
	struct tp_lint *run;
	int json;
	int stream;
	struct tp_buf b;
	struct tp_lint_jw w;
	/* standard input's list: the run may point into it (stable) */
	struct tp_list *list;
	/* a text list in parts: where each part is being read */
	struct cursor *cursors;
	size_t *starts;
	/* kind k's line parts in scope s at k * TP_SCOPE_COUNT + s */
	const struct tp_kind *kinds; /* the policy's */
	struct kline *klines;
	size_t nklines;
};

static int
flush(struct sink *k)
{
	int rc = cli_write_out(k->cli, &k->b);

	tp_buf_clear(&k->b);
	return rc;
}

static int
emit(struct sink *k, const struct tp_tagres *t)
{
	if (k->json) {
		if (tp_lint_json_tag(&k->w, t) < 0)
			cli_oom();
	} else {
		text_tag(&k->b, k->cli, k->klines, k->kinds, t);
	}
	return k->b.len >= FLUSH_AT ? flush(k) : 0;
}

/* After tp_lint_finish(): kept tags, set problems, summary. */
static int
sink_end(struct sink *k)
{
	const struct tp_setprob *s;
	struct tp_lint_summary sum;
	size_t i, n = tp_lint_count(k->run);
	int rc = 0;

	for (i = 0; !k->stream && i < n && rc == 0; i++)
		rc = emit(k, tp_lint_at(k->run, i));
	if (rc)
		return rc;
	if (k->json) {
		if (tp_lint_json_end(&k->w, k->run) < 0)
			cli_oom();
		return flush(k);
	}
	/* written out as they come: the buffer stays small and warm */
	for (s = tp_lint_set_problems(k->run); s != NULL && rc == 0;
	     s = s->next) {
		text_set(&k->b, k->cli, s);
		if (k->b.len >= FLUSH_AT)
			rc = flush(k);
	}
	if (rc)
		return rc;
	tp_lint_summary(k->run, &sum);
	if (tp_buf_printf(&k->b,
			  "%zu checked, %zu passed, %zu failed, "
			  "%zu warning%s\n",
			  sum.checked, sum.passed, sum.failed, sum.warnings,
			  sum.warnings == 1 ? "" : "s") < 0)
		cli_oom();
	return flush(k);
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

static int
add(struct sink *k, const struct tp_lint_input *in)
{
	const struct tp_tagres *t;
	struct tp_error err;

	/* the record is only needed when adding fails (out of memory) */
	if (tp_lint_add(k->run, in, &t, NULL) == 0)
		return k->stream ? emit(k, t) : 0;
	tp_error_init(&err);
	tp_error_set(&err, TP_ENOMEM, "out of memory");
	return cli_fail(k->cli, &err);
}

/*
 * Input i, of chunk c: a part's next item (its cursor is used by one
 * thread at a time), or the list's item i.
 */
static void
list_input(void *payload, size_t c, size_t i, struct tp_lint_input *in)
{
	const struct sink *k = payload;
	const struct tp_item *it;
	struct tp_item item;

	if (k->cursors != NULL) {
		if (!tp_list_cursor_next(&k->cursors[c].c, &item))
			abort(); /* the part counted its items */
		it = &item;
	} else {
		it = &k->list->items[i];
	}
	in->text = it->text;
	in->len = it->len;
	in->stable = 1;
	in->line = it->line;
	in->problem = it->problem;
}

/* On a worker thread: only the chunk's buffer is written. */
static int
list_tag(void *payload, const struct tp_tagres *t, struct tp_buf *out)
{
	const struct sink *k = payload;
	struct tp_lint_jw j;

	if (!k->json) {
		text_tag(out, k->cli, k->klines, k->kinds, t);
		return 0;
	}
	/* every tag of a streaming run is printed: its index counts them */
	tp_lint_json_resume(&j, out, t->index);
	if (tp_lint_json_tag(&j, t) < 0)
		cli_oom();
	return 0;
}

static int
list_flush(void *payload, struct tp_buf *out)
{
	const struct sink *k = payload;

	return cli_write_out(k->cli, out);
}

/*
 * A streaming run lints a long list on several threads, each chunk's
 * output written out in order; what the sink holds goes first.
 */
static int
add_list(struct sink *k)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_list *l = k->list;
	struct tp_lint_many m;
	struct tp_error err;
	size_t i, c;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	if (l->parts != NULL) {
		/* a part is a chunk */
		k->cursors = xmalloc(l->nparts * sizeof(*k->cursors));
		k->starts = xmalloc((l->nparts + 1) * sizeof(*k->starts));
		for (c = 0; c < l->nparts; c++) {
			tp_list_cursor_init(&k->cursors[c].c, &l->parts[c]);
			k->starts[c] = l->parts[c].first;
		}
		k->starts[l->nparts] = l->n;
		m.starts = k->starts;
		m.nchunks = l->nparts;
	}
	if (!k->stream) {
		for (c = 0, i = 0; i < l->n && rc == 0; i++) {
			while (m.starts != NULL && i == m.starts[c + 1])
				c++;
			list_input(k, c, i, &in);
			rc = add(k, &in);
		}
		return rc;
	}
	rc = flush(k);
	if (rc)
		return rc;
	m.n = l->n;
	m.input = list_input;
	m.tag = list_tag;
	m.flush = list_flush;
	m.payload = k;
	tp_error_init(&err);
	rc = tp_lint_add_many(k->run, &m, &err);
	if (rc < 0)
		return cli_fail(k->cli, &err);
	if (k->json)
		tp_lint_json_resume(&k->w, &k->b, tp_lint_count(k->run));
	return rc;
}

static int
add_git(struct sink *k)
{
	struct tp_history *h = NULL;
	const struct tp_history_tag *tags;
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	struct tp_error err;
	size_t n, i;
	int rc = 0;

	tp_error_init(&err);
	if (tp_history_open(&h, NULL, 0, &err) < 0 ||
	    tp_history_tags(&tags, &n, h, &err) < 0) {
		rc = cli_fail(k->cli, &err);
		goto done;
	}
	in.scope = TP_SCOPE_GIT;
	for (i = 0; i < n && rc == 0; i++) {
		in.text = tags[i].name;
		in.len = tags[i].name_len;
		in.commit = tags[i].commit[0] ? tags[i].commit : NULL;
		in.annotated = tags[i].annotated;
		rc = add(k, &in);
	}
done:
	tp_history_free(h);
	return rc;
}

/*
 * Standard input is read before any tag is checked, so that a list that
 * cannot be read stops the command before anything is printed.  The list
 * (k->list) lives until the run is freed: the run points into it.
 */
static int
add_all(struct sink *k, const struct check_opts *o, const struct cli_strv *ops)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	struct tp_error err;
	size_t i, dashes = 0;
	int rc = 0, stdin_done = 0;

	if (o->git)
		return add_git(k);
	for (i = 0; i < ops->n; i++)
		dashes += strcmp(ops->v[i], "-") == 0;
	if (dashes > 0 || o->from_stdin || ops->n == 0) {
		tp_error_init(&err);
		/* in parts: the threads that lint a part take it apart */
		if (tp_list_read_fd_parts(&k->list, 0, "-", 0, &err) < 0)
			return cli_fail(k->cli, &err);
		if (k->list->partial)
			cli_warn(k->cli,
				 "the listing says more pages follow; only "
				 "the first page is checked");
	}
	for (i = 0; i < ops->n && rc == 0; i++) {
		if (strcmp(ops->v[i], "-") == 0) {
			rc = add_list(k);
			stdin_done = 1;
			continue;
		}
		/* the arguments outlive the run */
		in.text = ops->v[i];
		in.len = strlen(ops->v[i]);
		in.stable = 1;
		rc = add(k, &in);
	}
	if (rc == 0 && k->list != NULL && !stdin_done)
		rc = add_list(k);
	return rc;
}

static int
check_usage(struct cli *cli, const struct check_opts *o,
	    const struct cli_strv *ops)
{
	size_t i, dashes = 0;

	for (i = 0; i < ops->n; i++)
		dashes += strcmp(ops->v[i], "-") == 0;
	if (o->git && (ops->n > 0 || o->from_stdin))
		return cli_usage_error(
			cli, &usage,
			"--git checks the repository's tags; it takes no "
			"tags and no '-'");
	if (o->git && o->scope && strcmp(o->scope, "git") != 0)
		return cli_usage_error(
			cli, &usage, "--git checks tags in scope git, not '%s'",
			o->scope);
	if (dashes > 1 || (dashes == 1 && o->from_stdin))
		return cli_usage_error(cli, &usage,
				       "standard input can be read only once");
	if (!o->git && ops->n == 0 && !o->from_stdin && isatty(0))
		return cli_usage_error(
			cli, &usage,
			"no tags given (use '-' to read them from standard "
			"input)");
	return 0;
}

int
cmd_check(struct cli *cli, int argc, char **argv)
{
	struct check_opts o = { NULL, NULL, NULL, 0, 0, 0 };
	struct tp_lint_opts lo = TP_LINT_OPTS_INIT;
	struct cli_strv ops = { NULL, 0 };
	struct tp_policy *policy = NULL;
	struct sink k;
	struct tp_error err;
	size_t i;
	int rc, bulk;

	memset(&k, 0, sizeof(k));
	k.cli = cli;
	tp_buf_init(&k.b, TP_BUF_MAX_DEFAULT);
	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &usage, &o, &ops);
	if (rc)
		goto done;
	rc = check_usage(cli, &o, &ops);
	if (rc)
		goto done;
	rc = cli_load_policy(cli, &policy);
	if (rc)
		goto done;
	/*
	 * A list or the repository's tags: worth compiling the patterns, and
	 * a pipe of 1 MiB instead of 64 KiB, which cuts the hand-overs to the
	 * reader of a million lines (check-bench: 332 to 267 ms through cat).
	 */
	bulk = o.git || o.from_stdin || ops.n > 8;
	for (i = 0; i < ops.n && !bulk; i++)
		bulk = strcmp(ops.v[i], "-") == 0;
	if (bulk) {
		tp_policy_jit(policy);
#ifdef F_SETPIPE_SZ
		(void)fcntl(fileno(cli->out), F_SETPIPE_SZ, 1 << 20);
#endif
	}
	if (o.git)
		lo.scope = TP_SCOPE_GIT;
	else if (o.scope != NULL)
		lo.scope = strcmp(o.scope, "git") == 0 ? TP_SCOPE_GIT
						       : TP_SCOPE_IMAGE;
	lo.kind = o.kind;
	lo.strict = o.strict;
	/* repository facts let set rules report on single tags: keep them */
	lo.stream = !o.git;
	if (tp_lint_new(&k.run, policy, &lo, &err) < 0) {
		if (err.code == TP_EINVAL && o.kind != NULL)
			rc = cli_usage_error(cli, &usage, "%s", err.msg);
		else
			rc = cli_fail(cli, &err);
		goto done;
	}
	k.json = o.format != NULL && strcmp(o.format, "json") == 0;
	k.stream = lo.stream;
	k.kinds = policy->kinds;
	k.nklines = policy->nkinds * TP_SCOPE_COUNT;
	k.klines = xmalloc((k.nklines ? k.nklines : 1) * sizeof(*k.klines));
	for (i = 0; i < k.nklines; i++)
		kline_make(&k.klines[i], &policy->kinds[i / TP_SCOPE_COUNT],
			   (enum tp_scope)(i % TP_SCOPE_COUNT));
	if (k.json)
		tp_lint_json_begin(&k.w, &k.b, 0);
	rc = add_all(&k, &o, &ops);
	if (rc)
		goto done;
	if (tp_lint_finish(k.run, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	rc = sink_end(&k);
	if (rc == 0)
		rc = tp_lint_failed(k.run) ? EXIT_NO : EXIT_OK;
done:
	tp_buf_release(&k.b);
	tp_lint_free(k.run);
	tp_list_free(k.list);
	free(k.cursors);
	free(k.starts);
	for (i = 0; i < k.nklines; i++)
		kline_free(&k.klines[i]);
	free(k.klines);
	tp_policy_free(policy);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
