/*
 * test-lintstream.c: the lint engine's streaming runs (tp_lint_opts.stream)
 * against runs that keep every result: the same verdicts, findings, set
 * problems, summary and JSON; the keyed records and their rebuilt results;
 * and the shortcuts a run takes on the way (the kind filter, the versions
 * read from the regex groups, the image-tag fast path of rule charset, the
 * reference test), each against a plain oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"
#include "imageref.h"
#include "lint.h"
#include "listin.h"
#include "rule.h"

#define NORMATIVE "tests/cases/kind/policy-md/policy.yml"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/*
 * The duplicate key of each keyed tag, from the run's key blocks (the
 * caller frees it), after checking what the blocks promise: they follow
 * each other from keyed tag 0 to the last; each holds its tags' keys once,
 * sorted by bucket, in input order within a bucket.
 */
static uint64_t *
keys_of(struct tp_lint *run)
{
	const struct tp_key_block *const *bl;
	const struct tp_key_block *b;
	uint64_t *keys;
	unsigned char *seen;
	size_t nb, n, k, e, bk, base = 0;

	tp_lint_keyed(run, &n);
	bl = tp_lint_key_blocks(run, &nb);
	keys = calloc(n ? n : 1, sizeof(*keys));
	assert_non_null(keys);
	for (k = 0; k < nb; k++) {
		b = bl[k];
		assert_int_equal(b->base, base);
		assert_true(b->n > 0);
		base += b->n;
		seen = calloc(b->n, 1);
		assert_non_null(seen);
		assert_int_equal(b->start[0], 0);
		assert_int_equal(b->start[TP_KEY_BUCKETS], b->n);
		for (bk = 0; bk < TP_KEY_BUCKETS; bk++) {
			assert_true(b->start[bk] <= b->start[bk + 1]);
			for (e = b->start[bk]; e < b->start[bk + 1]; e++) {
				assert_int_equal(TP_KEY_BUCKET(b->keys[e]), bk);
				assert_true(b->local[e] < b->n);
				assert_false(seen[b->local[e]]);
				seen[b->local[e]] = 1;
				if (e > b->start[bk])
					assert_true(b->local[e - 1] <
						    b->local[e]);
				keys[b->base + b->local[e]] = b->keys[e];
			}
		}
		free(seen);
	}
	assert_int_equal(base, n);
	return keys;
}

static struct tp_policy *
load_default(void)
{
	struct tp_policy *p = NULL;
	struct tp_error err;

	tp_error_init(&err);
	if (tp_policy_load_default(&p, &err) < 0) {
		print_error("default policy: %s\n", err.msg);
		fail();
	}
	return p;
}

static struct tp_lint *
run_new(const struct tp_policy *p, int scope, int stream)
{
	struct tp_lint_opts o = TP_LINT_OPTS_INIT;
	struct tp_lint *run = NULL;
	struct tp_error err;

	o.scope = scope;
	o.stream = stream;
	tp_error_init(&err);
	if (tp_lint_new(&run, p, &o, &err) < 0) {
		print_error("tp_lint_new: %s\n", err.msg);
		fail();
	}
	return run;
}

/* One input: a text (may hold NUL bytes) and the list reader's verdict. */
struct in {
	const char *text;
	size_t len;
	const char *problem;
};

#define IN(s) \
	{ \
		s, sizeof(s) - 1, NULL \
	}
#define BAD(s, why) \
	{ \
		s, sizeof(s) - 1, why \
	}

static const struct tp_tagres *
add(struct tp_lint *run, const struct in *i, unsigned line)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *t = NULL;
	struct tp_error err;

	in.text = i->text;
	in.len = i->len;
	in.line = line;
	in.problem = i->problem;
	in.stable = 1;
	tp_error_init(&err);
	if (tp_lint_add(run, &in, &t, &err) < 0) {
		print_error("tp_lint_add '%s': %s\n", i->text, err.msg);
		fail();
	}
	assert_non_null(t);
	return t;
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_version(const struct tp_version *a, const struct tp_version *b)
{
	return a->len == b->len && a->major_off == b->major_off &&
	       a->major_len == b->major_len && a->minor_off == b->minor_off &&
	       a->minor_len == b->minor_len && a->patch_off == b->patch_off &&
	       a->patch_len == b->patch_len && a->pre_off == b->pre_off &&
	       a->pre_len == b->pre_len && a->build_off == b->build_off &&
	       a->build_len == b->build_len &&
	       (a->len == 0 || memcmp(a->str, b->str, a->len) == 0);
}

/* Kind, fields and version of two results of the same text. */
static void
same_shape(const struct tp_tagres *a, const struct tp_tagres *b)
{
	size_t i;

	if (a->kind != b->kind || a->nfields != b->nfields ||
	    a->has_version != b->has_version || a->fields_ok != b->fields_ok ||
	    a->scope != b->scope || a->is_ref != b->is_ref ||
	    a->tag_len != b->tag_len ||
	    (a->has_version && !same_version(&a->version, &b->version))) {
		print_error("tag '%s': kind %s/%s, fields %zu/%zu, version "
			    "%d/%d\n",
			    a->text, a->kind ? a->kind->name : "-",
			    b->kind ? b->kind->name : "-", a->nfields,
			    b->nfields, a->has_version, b->has_version);
		fail();
	}
	for (i = 0; a->kind != NULL && i < a->nfields; i++) {
		if (a->fields[i].field != b->fields[i].field ||
		    a->fields[i].off != b->fields[i].off ||
		    a->fields[i].len != b->fields[i].len ||
		    a->fields[i].valid != b->fields[i].valid) {
			print_error("tag '%s': field %zu differs\n", a->text,
				    i);
			fail();
		}
	}
}

/* Everything a reader of one tag's result sees. */
static void
same_result(const struct tp_tagres *a, const struct tp_tagres *b)
{
	const struct tp_diag *da, *db;

	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->text, b->text, a->len);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->index, b->index);
	same_shape(a, b);
	if (a->ok != b->ok || a->ndiags != b->ndiags ||
	    a->nerrors != b->nerrors || a->nwarnings != b->nwarnings) {
		print_error("tag '%s': ok %d/%d, diags %zu/%zu\n", a->text,
			    a->ok, b->ok, a->ndiags, b->ndiags);
		fail();
	}
	for (da = a->diags, db = b->diags; da != NULL && db != NULL;
	     da = da->next, db = db->next) {
		if (!same_str(da->rule, db->rule) || da->level != db->level ||
		    !same_str(da->message, db->message) ||
		    !same_str(da->suggestion, db->suggestion)) {
			print_error("tag '%s': [%s] '%s' / [%s] '%s'\n",
				    a->text, da->rule, da->message, db->rule,
				    db->message);
			fail();
		}
	}
	assert_true(da == NULL && db == NULL);
}

static void
same_sets(const struct tp_lint *keep, const struct tp_lint *stream)
{
	const struct tp_setprob *a = tp_lint_set_problems(keep);
	const struct tp_setprob *b = tp_lint_set_problems(stream);
	size_t i;

	for (; a != NULL && b != NULL; a = a->next, b = b->next) {
		if (!same_str(a->rule, b->rule) || a->level != b->level ||
		    a->scope != b->scope || !same_str(a->message, b->message) ||
		    a->ntags != b->ntags) {
			print_error("set problem [%s] '%s' / [%s] '%s'\n",
				    a->rule, a->message, b->rule, b->message);
			fail();
		}
		/* a run that keeps results lists them too */
		assert_non_null(a->tags);
		for (i = 0; i < a->ntags; i++) {
			assert_ptr_equal(a->tags[i]->text, a->texts[i]);
			assert_int_equal(a->lens[i], b->lens[i]);
			assert_memory_equal(a->texts[i], b->texts[i],
					    a->lens[i]);
		}
	}
	assert_true(a == NULL && b == NULL);
}

static void
same_summary(const struct tp_lint *a, const struct tp_lint *b)
{
	struct tp_lint_summary sa, sb;

	tp_lint_summary(a, &sa);
	tp_lint_summary(b, &sb);
	assert_int_equal(sa.checked, sb.checked);
	assert_int_equal(sa.passed, sb.passed);
	assert_int_equal(sa.failed, sb.failed);
	assert_int_equal(sa.warnings, sb.warnings);
	assert_int_equal(sa.set_errors, sb.set_errors);
	assert_int_equal(sa.set_warnings, sb.set_warnings);
	assert_int_equal(tp_lint_failed(a), tp_lint_failed(b));
}

/*
 * `doc` (one JSON document and a newline) read back and written again by
 * the writer, compactly, is `compact`: the document is valid, and the
 * compact form is the writer's own.
 */
static void
canonical(const struct tp_buf *doc, const struct tp_buf *compact)
{
	struct tp_json *root = NULL;
	struct tp_buf again = TP_BUF_INIT;
	struct tp_json_w w;
	struct tp_error err;

	tp_error_init(&err);
	assert_true(doc->len > 0 && doc->ptr[doc->len - 1] == '\n');
	if (tp_json_parse(&root, doc->ptr, doc->len, &err) < 0) {
		print_error("invalid JSON: %s\n%s\n", err.msg, doc->ptr);
		fail();
	}
	tp_jw_init(&w, &again, 0);
	assert_int_equal(tp_jw_value(&w, root), 0);
	assert_int_equal(tp_buf_putc(&again, '\n'), 0);
	if (strcmp(again.ptr, compact->ptr) != 0) {
		print_error("JSON not in the writer's form:\n%s\n%s\n",
			    again.ptr, compact->ptr);
		fail();
	}
	tp_buf_release(&again);
	tp_json_free(root);
}

/*
 * Lints `ins` in a keeping run and in a streaming one (scope `scope`),
 * compares every result as it comes, the set problems, the summary and
 * the JSON documents (compact and pretty: the streaming one in pieces,
 * emptied between tags as the CLI does), and the keyed records.
 */
static void
compare_runs(const struct tp_policy *p, int scope, const struct in *ins,
	     size_t n)
{
	struct tp_lint *keep = run_new(p, scope, 0);
	struct tp_lint *stream = run_new(p, scope, 1);
	struct tp_buf want[2] = { TP_BUF_INIT, TP_BUF_INIT };
	struct tp_buf got[2] = { TP_BUF_INIT, TP_BUF_INIT };
	struct tp_buf piece[2] = { TP_BUF_INIT, TP_BUF_INIT };
	struct tp_lint_jw j[2];
	const struct tp_tagres *a, *b;
	const struct tp_keyed *ka, *kb;
	struct tp_tagres *ra, *rb;
	struct tp_version va, vb;
	uint64_t *keys_a, *keys_b;
	size_t i, nka, nkb;
	int pretty;

	for (pretty = 0; pretty < 2; pretty++)
		tp_lint_json_begin(&j[pretty], &piece[pretty], pretty);
	for (i = 0; i < n; i++) {
		a = add(keep, &ins[i], (unsigned)i + 1);
		b = add(stream, &ins[i], (unsigned)i + 1);
		same_result(a, b);
		assert_ptr_equal(a, tp_lint_at(keep, i));
		for (pretty = 0; pretty < 2; pretty++) {
			assert_int_equal(tp_lint_json_tag(&j[pretty], b), 0);
			assert_int_equal(tp_buf_put(&got[pretty],
						    piece[pretty].ptr,
						    piece[pretty].len),
					 0);
			tp_buf_clear(&piece[pretty]);
		}
	}
	assert_null(tp_lint_at(stream, 0));
	assert_int_equal(tp_lint_count(stream), n);
	assert_int_equal(tp_lint_finish(keep, NULL), 0);
	assert_int_equal(tp_lint_finish(stream, NULL), 0);
	same_sets(keep, stream);
	same_summary(keep, stream);
	for (pretty = 0; pretty < 2; pretty++) {
		assert_int_equal(tp_lint_json(&want[pretty], keep, pretty), 0);
		assert_int_equal(tp_lint_json_end(&j[pretty], stream), 0);
		assert_int_equal(tp_buf_put(&got[pretty], piece[pretty].ptr,
					    piece[pretty].len),
				 0);
		if (strcmp(want[pretty].ptr, got[pretty].ptr) != 0) {
			print_error("JSON (pretty %d) differs:\n%s\n%s\n",
				    pretty, want[pretty].ptr, got[pretty].ptr);
			fail();
		}
		canonical(&got[pretty], &got[0]);
	}
	assert_int_equal(tp_lint_json(&piece[0], stream, 0), TP_EINVAL);

	/* keyed records: the same tags, and rebuilt results that agree */
	ka = tp_lint_keyed(keep, &nka);
	kb = tp_lint_keyed(stream, &nkb);
	assert_int_equal(nka, nkb);
	keys_a = keys_of(keep);
	keys_b = keys_of(stream);
	for (i = 0; i < nka; i++) {
		assert_int_equal(keys_a[i], keys_b[i]);
		assert_int_equal(ka[i].index, kb[i].index);
		assert_int_equal(ka[i].kind, kb[i].kind);
		assert_ptr_equal(tp_lint_keyed_kind(keep, &ka[i]),
				 tp_lint_at(keep, ka[i].index)->kind);
		assert_ptr_equal(tp_lint_keyed_tag(keep, &ka[i]),
				 tp_lint_at(keep, ka[i].index));
		assert_int_equal(tp_lint_keyed_version(stream, &kb[i], &vb), 0);
		assert_int_equal(tp_lint_keyed_version(keep, &ka[i], &va), 0);
		assert_true(same_version(&va, &vb));
		/* a version span is the text the version's parts make */
		assert_int_equal(ka[i].voff, kb[i].voff);
		assert_int_equal(ka[i].vlen, kb[i].vlen);
		if (kb[i].vlen > 0) {
			tp_buf_clear(&piece[0]);
			assert_int_equal(tp_lint_version_parts(&piece[0], &vb),
					 0);
			assert_int_equal(piece[0].len, kb[i].vlen);
			assert_memory_equal(piece[0].ptr,
					    kb[i].text + kb[i].voff,
					    kb[i].vlen);
		}
		if (i % 3 == 0) {
			rb = tp_lint_keyed_tag(stream, &kb[i]);
			ra = tp_lint_keyed_tag(keep, &ka[i]);
			assert_non_null(rb);
			assert_ptr_equal(ra, tp_lint_at(keep, ka[i].index));
			same_shape(ra, rb);
			assert_ptr_equal(rb, tp_lint_keyed_tag(stream, &kb[i]));
		}
	}
	free(keys_a);
	free(keys_b);
	for (pretty = 0; pretty < 2; pretty++) {
		tp_buf_release(&want[pretty]);
		tp_buf_release(&got[pretty]);
		tp_buf_release(&piece[pretty]);
	}
	tp_lint_free(keep);
	tp_lint_free(stream);
}

/* ------------------------------------------------------------------ */
/* Streaming against keeping                                           */
/* ------------------------------------------------------------------ */

static const struct in mixed[] = {
	IN("v1.2.3"),
	IN("1.2.3"),
	IN("1.2.3"),
	IN("1.2.3+build.7"),
	IN("1.2.3-abc1234"),
	IN("1.2.3-rc.1"),
	IN("1.2.3-gamma.1"),
	IN("1.2.5"),
	IN("1.4.0"),
	IN("v1.4.0-prod"),
	IN("v1.4.0-staging"),
	IN("v1.4.0-prod"),
	IN("1.4"),
	IN("1.4"),
	IN("1"),
	IN("20261127"),
	IN("20261327"),
	IN("20991231"),
	IN("prod-20261127"),
	IN("latest"),
	IN("edge"),
	IN("V1.2.3"),
	IN("v01.2.3"),
	IN("01.2.3"),
	IN("1.2"),
	IN("release_1.2.3"),
	IN("feature-x"),
	IN("tmp-1"),
	IN("Latest"),
	IN(""),
	IN("a\"quote\\back"),
	IN("tab\there"),
	IN("caf\xc3\xa9"),
	BAD("v1\xff", "invalid UTF-8"),
	BAD("v1\0x", "contains a NUL byte"),
	IN("ghcr.io/acme/app:1.2.3"),
	IN("ghcr.io/acme/app:1.2.3"),
	IN("ghcr.io/acme/app:v1.2.3"),
	IN("ghcr.io/acme/app"),
	IN("ghcr.io/acme/app@sha256:"
	   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	IN("Bad/Name:1.2.3"),
	IN("api/v1.2.3"),
	IN("1.2.3-0123"),
	IN("1.2.3.4"),
	IN("9999999999999999999999.0.0"),
	IN("9999999999999999999999.0.0"),
	IN("0.0.0-x.y.z+a.b"),
	IN("x1234567890123456789012345678901234567890123456789012345678901234"
	   "56789012345678901234567890123456789012345678901234567890123456789"),
};

static void
test_stream_default_policy(void **state)
{
	struct tp_policy *p = load_default();

	(void)state;
	compare_runs(p, -1, mixed, sizeof(mixed) / sizeof(mixed[0]));
	compare_runs(p, TP_SCOPE_GIT, mixed, sizeof(mixed) / sizeof(mixed[0]));
	tp_policy_free(p);
}

/* The policy of policy.md: a pattern field, version-gap, a custom rule. */
static void
test_stream_normative_policy(void **state)
{
	struct tp_policy *p = test_load_policy_src(NORMATIVE);

	(void)state;
	compare_runs(p, -1, mixed, sizeof(mixed) / sizeof(mixed[0]));
	compare_runs(p, TP_SCOPE_GIT, mixed, sizeof(mixed) / sizeof(mixed[0]));
	tp_policy_free(p);
}

/* A keyed tag's identity for duplicate-version, and where it came from. */
struct ident {
	char key[512];
	size_t i; /* in the keyed array */
};

static int
by_ident(const void *pa, const void *pb)
{
	const struct ident *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/*
 * The groups duplicate-version reports, found the slow way: the identity
 * of each tag (scope, repository, field signature, version, other fields)
 * written out and sorted.  The groups must be the reported ones, in the
 * same order (by their first tag), with the same tags.
 */
static void
check_duplicates(struct tp_lint *run)
{
	const struct tp_keyed *kd = NULL;
	const struct tp_setprob *s = tp_lint_set_problems(run);
	struct tp_buf v = TP_BUF_INIT;
	struct ident *id;
	struct tp_tagres *t;
	size_t n, i, j, f, g, *first, ngroups = 0;

	kd = tp_lint_keyed(run, &n);
	id = calloc(n ? n : 1, sizeof(*id));
	first = calloc(n ? n : 1, sizeof(*first));
	assert_non_null(id);
	assert_non_null(first);
	for (i = 0; i < n; i++) {
		t = tp_lint_keyed_tag(run, &kd[i]);
		assert_non_null(t);
		tp_buf_clear(&v);
		assert_int_equal(tp_lint_version_text(&v, t), 0);
		/* a reference's repository counts too (tp_lint_keyed_repo) */
		snprintf(id[i].key, sizeof(id[i].key), "%d|%.*s|%zu|%s",
			 t->scope, (int)tp_lint_keyed_repo(&kd[i]), kd[i].text,
			 tp_lint_kind_sig(run, t->kind), v.ptr);
		for (f = 0; f < t->nfields; f++)
			if (!tp_field_is_version(t->fields[f].field->type))
				snprintf(id[i].key + strlen(id[i].key),
					 sizeof(id[i].key) - strlen(id[i].key),
					 "|%.*s", (int)t->fields[f].len,
					 t->tag + t->fields[f].off);
		id[i].i = i;
	}
	qsort(id, n, sizeof(*id), by_ident);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(id[i].key, id[j].key) == 0; j++)
			;
		if (j - i > 1)
			first[ngroups++] = i;
	}
	/* groups in the order of their first tag */
	for (g = 0; g < ngroups; g++)
		for (j = g + 1; j < ngroups; j++)
			if (id[first[j]].i < id[first[g]].i) {
				i = first[g];
				first[g] = first[j];
				first[j] = i;
			}
	for (g = 0; g < ngroups; g++, s = s->next) {
		while (s != NULL && strcmp(s->rule, "duplicate-version") != 0)
			s = s->next;
		assert_non_null(s);
		for (i = first[g], j = 0;
		     i < n && strcmp(id[i].key, id[first[g]].key) == 0;
		     i++, j++) {
			assert_true(j < s->ntags);
			assert_int_equal(s->lens[j], kd[id[i].i].len);
			assert_memory_equal(s->texts[j], kd[id[i].i].text,
					    s->lens[j]);
		}
		assert_int_equal(j, s->ntags);
	}
	while (s != NULL && strcmp(s->rule, "duplicate-version") != 0)
		s = s->next;
	assert_null(s);
	assert_true(ngroups > 10);
	tp_buf_release(&v);
	free(id);
	free(first);
}

/* Every tag passes: odd ones, that need escapes, are ok too. */
static void
test_stream_any_policy(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "fields: {any: {pattern: '.*'}}\n"
				   "kinds: {any: '{any}'}\n"
				   "scopes: {git: [any], image: [any]}\n");

	(void)state;
	compare_runs(p, -1, mixed, sizeof(mixed) / sizeof(mixed[0]));
	compare_runs(p, TP_SCOPE_GIT, mixed, sizeof(mixed) / sizeof(mixed[0]));
	tp_policy_free(p);
}

/*
 * Inputs for the JSON writer's fast paths, which build an object in place
 * and fall back to the general writer when a string needs an escape or
 * the object outgrows its room: a character to escape, or one that is
 * not ASCII, at every place of texts of 1 to 18 bytes (the scans take
 * 1-3, 4-7 and 8 or more bytes each their way); texts about as long as
 * the room; one version named by hundreds of tags (a long set problem).
 * The texts are malloc'd, each also in *texts: free them with
 * free_inputs().
 */
static struct in *
odd_inputs(size_t *n, char ***texts)
{
	static const char *const odd[] = { "\"",   "\\",       "\t",
					   "\x7f", "\xc3\xa9", "\xff" };
	struct in *ins;
	size_t k, len, at, i = 0, max = 6 * 18 * 19 / 2 + 64 + 301;
	char *s;

	ins = calloc(max, sizeof(*ins));
	*texts = calloc(max, sizeof(**texts));
	assert_non_null(ins);
	assert_non_null(*texts);
	for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
		for (len = 1; len <= 18; len++)
			for (at = 0; at < len; at++) {
				s = (*texts)[i] = malloc(len + 2);
				assert_non_null(s);
				memset(s, at % 2 ? 'a' : '1', len + 1);
				memcpy(s + at, odd[k], strlen(odd[k]));
				s[len + strlen(odd[k]) - 1] = '\0';
				ins[i].text = s;
				ins[i].len = strlen(s);
				/* as the list reader says it */
				ins[i].problem =
					k == 5 ? "invalid UTF-8" : NULL;
				i++;
			}
	for (len = 440; len < 1100; len += len < 500 ? 3 : 23) {
		s = (*texts)[i] = malloc(len + 1);
		assert_non_null(s);
		memcpy(s, "1.2.3-", 6);
		memset(s + 6, 'b', len - 6);
		s[len] = '\0';
		ins[i].text = s;
		ins[i++].len = len;
	}
	for (k = 0; k < 301; k++) {
		s = (*texts)[i] = malloc(8);
		assert_non_null(s);
		memcpy(s, k % 100 ? "1.2.3" : "v1.2.3", k % 100 ? 6 : 7);
		ins[i].text = s;
		ins[i++].len = strlen(s);
	}
	assert_true(i <= max);
	*n = i;
	return ins;
}

static void
free_inputs(struct in *ins, char **texts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(ins);
}

/*
 * The JSON fast paths against the general writer: compare_runs() reads
 * each document back and writes it again with the writer (canonical()).
 * Under the catch-all policy the odd texts pass and are field values too
 * (nothing else in their objects needs an escape);
 * under the default one their findings quote them; under `notes` tags
 * that need escapes share versions (set problems).
 */
static void
test_json_fast_paths(void **state)
{
	struct tp_policy *p[3];
	struct in *ins;
	char **texts;
	size_t n, i;

	(void)state;
	p[0] = load_default();
	/* no charset finding names the odd character for it */
	p[1] = test_load_policy("version: 1\n"
				"fields: {any: {pattern: '.*'}}\n"
				"kinds: {any: '{any}'}\n"
				"scopes: {git: [any], image: [any]}\n"
				"rules: {charset: off, max-length: off}\n");
	p[2] = test_load_policy("version: 1\n"
				"fields: {note: {pattern: '.+'}}\n"
				"kinds: {vee: 'v{semver}_{note}',\n"
				"        dub: 'w{semver}_{note}'}\n"
				"scopes: {git: [vee, dub], image: []}\n");
	ins = odd_inputs(&n, &texts);
	for (i = 0; i < 3; i++) {
		compare_runs(p[i], -1, ins, n);
		compare_runs(p[i], TP_SCOPE_GIT, ins, n);
		tp_policy_free(p[i]);
	}
	free_inputs(ins, texts, n);
}

/*
 * Thousands of tags with many duplicates and gaps: duplicate-version
 * spreads its keys over several buckets, version-gap sorts rebuilt
 * versions; the set problems must be the same as from kept results.
 */
static void
test_stream_many(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "extends: [docker]\n"
				   "rules: {version-gap: warning}\n");
	struct tp_lint *run;
	struct in *ins;
	char(*text)[48];
	size_t n = 12000, i;
	unsigned r = 12345;

	(void)state;
	ins = calloc(n, sizeof(*ins));
	text = calloc(n, sizeof(*text));
	assert_non_null(ins);
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		r = r * 1103515245u + 12345u;
		switch ((r >> 16) % 7) {
		case 0:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u",
				 (r >> 8) % 3, (r >> 4) % 7, r % 50);
			break;
		case 1:
			snprintf(text[i], sizeof(text[i]), "v%u.%u.%u-%s",
				 (r >> 8) % 3, (r >> 4) % 7, r % 50,
				 (r >> 20) % 2 ? "dev" : "prod");
			break;
		case 2:
			snprintf(text[i], sizeof(text[i]), "%u.%u",
				 (r >> 8) % 5, r % 9);
			break;
		case 3:
			snprintf(text[i], sizeof(text[i]),
				 "reg.example/app:%u.%u.%u", (r >> 8) % 3,
				 (r >> 4) % 7, r % 50);
			break;
		case 4:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u-%07x",
				 (r >> 8) % 3, (r >> 4) % 7, r % 50,
				 (r >> 3) & 0xfffffff);
			break;
		case 5:
			/* duplicates told apart by build metadata only */
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u%s+b.%u",
				 (r >> 8) % 3, (r >> 4) % 7, r % 50,
				 (r >> 22) % 3 ? "" : "-rc.1", (r >> 12) % 3);
			break;
		default:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u-rc.%u",
				 (r >> 8) % 3, (r >> 4) % 7, r % 50,
				 (r >> 12) % 4);
			break;
		}
		ins[i].text = text[i];
		ins[i].len = strlen(text[i]);
	}
	compare_runs(p, -1, ins, n);
	run = run_new(p, -1, 1);
	for (i = 0; i < n; i++)
		add(run, &ins[i], (unsigned)i + 1);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	check_duplicates(run);
	tp_lint_free(run);
	free(ins);
	free(text);
	tp_policy_free(p);
}

static void
test_stream_refuses_facts(void **state)
{
	struct tp_policy *p = load_default();
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, 1);
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *t = NULL;
	struct tp_error err;

	(void)state;
	in.text = "v1.2.3";
	in.len = 6;
	in.commit = "0123456789abcdef0123456789abcdef01234567";
	tp_error_init(&err);
	assert_int_equal(tp_lint_add(run, &in, &t, &err), TP_EINVAL);
	assert_string_equal(err.msg, "a streaming lint run takes no commits");
	assert_null(t);
	/* the run goes on without it */
	in.commit = NULL;
	assert_int_equal(tp_lint_add(run, &in, &t, NULL), 0);
	assert_non_null(t);
	assert_true(t->ok);
	assert_int_equal(tp_lint_count(run), 1);
	tp_lint_free(run);
	tp_policy_free(p);
}

/* The text need not outlive a streaming run unless it says `stable`. */
static void
test_stream_copies_text(void **state)
{
	struct tp_policy *p = load_default();
	struct tp_lint *run = run_new(p, -1, 1);
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_setprob *s;
	char buf[16];

	(void)state;
	in.text = buf;
	in.len = 5;
	memcpy(buf, "1.2.3", 6);
	assert_int_equal(tp_lint_add(run, &in, NULL, NULL), 0);
	memcpy(buf, "1.2.3", 6);
	assert_int_equal(tp_lint_add(run, &in, NULL, NULL), 0);
	memcpy(buf, "XXXXX", 6);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	s = tp_lint_set_problems(run);
	assert_non_null(s);
	assert_string_equal(s->rule, "duplicate-version");
	assert_string_equal(s->message, "have the same version 1.2.3");
	assert_null(s->tags);
	assert_int_equal(s->ntags, 2);
	assert_string_equal(s->texts[0], "1.2.3");
	assert_string_equal(s->texts[1], "1.2.3");
	tp_lint_free(run);
	tp_policy_free(p);
}

/* Messages made of %s only go through the engine's own formatter. */
static void
test_stream_messages(void **state)
{
	struct tp_policy *p = test_load_policy(
		"version: 1\n"
		"kinds: {any: '{any}'}\n"
		"fields: {any: {pattern: '.*'}}\n"
		"scopes: {git: [any], image: [any]}\n"
		"rules:\n"
		"  custom:\n"
		"    - {id: pct, not-match: 'x', message: '1% s %s %%'}\n");
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, 1);
	const struct in one = IN("axb");
	const struct tp_tagres *t;

	(void)state;
	t = add(run, &one, 1);
	assert_non_null(t->diags);
	assert_string_equal(t->diags->rule, "pct");
	assert_string_equal(t->diags->message, "1% s %s %%");
	tp_lint_free(run);
	tp_policy_free(p);
}

/*
 * Formats of up to sixteen %s are the engine's; others, %% among them,
 * are vsnprintf()'s: the same text either way.
 */
static void
test_report_formats(void **state)
{
	struct tp_policy *p = load_default();
	struct tp_lint *run = run_new(p, TP_SCOPE_GIT, 0);
	const struct tp_rule_conf *conf = tp_policy_rule(p, "kind");
	const struct in one = IN("v1.2.3");
	struct tp_tagres *t;
	const struct tp_diag *d;

	(void)state;
	add(run, &one, 1);
	t = tp_lint_at(run, 0);
	assert_non_null(t);
	tp_lint_report(run, t, conf, NULL, "plain");
	tp_lint_report(run, t, conf, NULL, "%s", "");
	tp_lint_report(run, t, conf, NULL, "a%sb%sc", "1", "22");
	/* sixteen, then seventeen (the engine's most, then one more) */
	tp_lint_report(run, t, conf, NULL, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s.",
		       "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
		       "l", "m", "n", "o", "p");
	tp_lint_report(run, t, conf, NULL,
		       "%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s.", "a", "b", "c",
		       "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
		       "o", "p", "q");
	tp_lint_report(run, t, conf, NULL, "100%% %s", "sure");
	tp_lint_report(run, t, conf, NULL, "%d %s", 7, "y");
	d = t->diags;
	assert_string_equal(d->message, "plain");
	d = d->next;
	assert_string_equal(d->message, "");
	d = d->next;
	assert_string_equal(d->message, "a1b22c");
	d = d->next;
	assert_string_equal(d->message, "abcdefghijklmnop.");
	d = d->next;
	assert_string_equal(d->message, "abcdefghijklmnopq.");
	d = d->next;
	assert_string_equal(d->message, "100% sure");
	d = d->next;
	assert_string_equal(d->message, "7 y");
	assert_null(d->next);
	tp_lint_free(run);
	tp_policy_free(p);
}

/*
 * A rule that needs repository facts (TP_RULE_GIT) says nothing of a tag
 * without any (no commit, annotated -1), so the engine does not call its
 * check_tag hook then: every such rule, called on such tags, holds to it.
 * With the facts the engine calls them.
 */
static void
test_fact_rules(void **state)
{
	struct tp_policy *p = test_load_policy(
		"version: 1\n"
		"fields: {sha: {hex: 7}}\n"
		"kinds: {release: 'v{semver}', build: '{semver}-{sha}'}\n"
		"scopes: {git: [release, build], image: [release, build]}\n"
		"rules: {annotated: error, sha-commit: error}\n");
	static const char *const tags[] = { "v1.2.3", "1.2.3-abc1234", "x",
					    "1.2.3-abc1234" };
	struct tp_lint *run = run_new(p, -1, 0);
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_rule_desc *r;
	struct tp_tagres *t;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < 4; i++) {
		in.text = tags[i];
		in.len = strlen(tags[i]);
		in.scope = i % 2 ? TP_SCOPE_IMAGE : TP_SCOPE_GIT;
		assert_int_equal(tp_lint_add(run, &in, NULL, NULL), 0);
	}
	for (i = 0; i < tp_lint_count(run); i++) {
		t = tp_lint_at(run, i);
		for (j = 0; j < tp_rule_count; j++) {
			r = tp_rule_registry[j];
			if (!(r->flags & TP_RULE_GIT) || r->check_tag == NULL)
				continue;
			n = t->ndiags;
			r->check_tag(run, t, tp_policy_rule(p, r->id));
			if (t->ndiags != n) {
				print_error("rule %s reports on '%s' without "
					    "facts\n",
					    r->id, t->text);
				fail();
			}
		}
	}
	in.text = "v1.2.3";
	in.len = 6;
	in.scope = TP_SCOPE_GIT;
	in.annotated = 0;
	assert_int_equal(tp_lint_add(run, &in, NULL, NULL), 0);
	in.text = "1.2.3-abc1234";
	in.len = 13;
	in.annotated = -1;
	in.commit = "0123456789012345678901234567890123456789";
	assert_int_equal(tp_lint_add(run, &in, NULL, NULL), 0);
	t = tp_lint_at(run, 4);
	assert_non_null(t->diags);
	assert_string_equal(t->diags->rule, "annotated");
	t = tp_lint_at(run, 5);
	assert_non_null(t->diags);
	assert_string_equal(t->diags->rule, "sha-commit");
	tp_lint_free(run);
	tp_policy_free(p);
}

/*
 * A streaming run borrows a stable input rather than copying it, and
 * copies it when a regex is to read it (kinds matched by a regex,
 * `pattern` fields, custom rules, the nearest kind): the results are
 * those of a copied input, for texts that end their memory.
 */
static void
test_stream_borrows_text(void **state)
{
	struct tp_policy *p = test_load_policy(
		"version: 1\n"
		"fields:\n"
		"  date: {date: '%Y%m%d'}\n"
		"  word: {pattern: '[a-z]+'}\n"
		"kinds:\n"
		"  release: 'v{semver}'\n"
		"  dated: '{date}'\n"
		"  named: 'n-{word}'\n"
		"scopes:\n"
		"  git: [release, dated, named]\n"
		"  image: [release, dated, named]\n"
		"rules:\n"
		"  custom:\n"
		"    - {id: no-x, scope: image, not-match: 'x',\n"
		"       message: 'has an x'}\n");
	static const char *const tags[] = {
		"v1.2.3",	"20260101",
		"20261399",	"n-abc",
		"n-ab1",	"v1.2",
		"xv1.2.3",	"v1.2.3x",
		"banana",	"",
		"app:1.2.3",	"reg.example/app:v1.2.3x",
		"nope@sha256:1"
	};
	struct tp_lint *borrow = run_new(p, -1, 1);
	struct tp_lint *copy = run_new(p, -1, 1);
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_tagres *a, *b;
	char *texts[sizeof(tags) / sizeof(tags[0])];
	size_t i, n = sizeof(tags) / sizeof(tags[0]);

	(void)state;
	for (i = 0; i < 2 * n; i++) {
		/* exactly the text and its NUL; in scope git, then as given */
		if (i < n) {
			in.len = strlen(tags[i]);
			texts[i] = malloc(in.len + 1);
			assert_non_null(texts[i]);
			memcpy(texts[i], tags[i], in.len + 1);
		}
		in.text = texts[i % n];
		in.len = strlen(in.text);
		in.scope = i < n ? TP_SCOPE_GIT : -1;
		in.stable = 1;
		assert_int_equal(tp_lint_add(borrow, &in, &a, NULL), 0);
		in.stable = 0;
		assert_int_equal(tp_lint_add(copy, &in, &b, NULL), 0);
		/* no regex read it: the result has the input itself */
		if (i == 0)
			assert_ptr_equal(a->text, in.text);
		assert_int_equal(a->text[a->len], '\0');
		same_result(a, b);
	}
	assert_int_equal(tp_lint_finish(borrow, NULL), 0);
	tp_lint_free(borrow);
	tp_lint_free(copy);
	for (i = 0; i < n; i++)
		free(texts[i]);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Shortcuts against oracles                                           */
/* ------------------------------------------------------------------ */

/* Pieces that make tags of many kinds, near misses too. */
static const char *const any_bits[] = {
	"0",	   "1",	       "9",	 "10",	  "01",	   ".",	    ".",
	"-",	   "+",	       "v",	 "V",	  "rc",	   "beta",  "dev",
	"prod",	   "staging",  "latest", "edge",  "2026",  "11",    "27",
	"abc1234", "x",	       "_",	 "a",	  "Z",	   "/",	    ":",
	"@",	   "\xc3\xa9", "\x01",	 "build", "1.2.3", "-rc.1", "+b.7",
	"-0",	   "-01",      "+0",	 "-rc.",  "+b..",  "-a.+b"
};

#define BITS(a) (a), sizeof(a) / sizeof((a)[0])

/* A tag of up to nine of `bits`. */
static size_t
random_tag(char *out, size_t size, unsigned *r, const char *const *bits,
	   size_t nbits)
{
	const char *bit;
	size_t n = 0, k, len;

	*r = *r * 1103515245u + 12345u;
	k = (*r >> 16) % 10;
	while (k-- > 0) {
		*r = *r * 1103515245u + 12345u;
		bit = bits[(*r >> 16) % nbits];
		len = strlen(bit);
		if (n + len + 1 > size)
			break;
		memcpy(out + n, bit, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

static unsigned
next_rand(unsigned *r)
{
	*r = *r * 1103515245u + 12345u;
	return *r >> 16;
}

/* A value of a field of type `t` or a near miss, at `out`; its length. */
static size_t
random_value(char *out, const struct tp_field *f, unsigned *r)
{
	static const char *const semvers[] = { "1.2.3",	     "10.0.1-rc.1",
					       "1.2.3+b.7",  "01.2.3",
					       "1.2",	     "1.2.3-",
					       "0.0.0-a.b-c" };
	static const char *const nums[] = { "0", "1", "10", "01", "", "x" };
	static const char *const ids[] = {
		"rc.1", "rc.", "0a", "01", "-", "a.b"
	};
	static const char hex[] = "0123456789abcdefAg";
	size_t n, i;
	const char *v;

	switch (f->type) {
	case TP_FIELD_SEMVER: v = semvers[next_rand(r) % 7]; break;
	case TP_FIELD_MAJOR:
	case TP_FIELD_MINOR:
	case TP_FIELD_PATCH: v = nums[next_rand(r) % 6]; break;
	case TP_FIELD_PRE:
	case TP_FIELD_META: v = ids[next_rand(r) % 6]; break;
	case TP_FIELD_VALUES:
		v = next_rand(r) % 5 ? f->values[next_rand(r) % f->nvalues]
				     : "staging";
		break;
	case TP_FIELD_HEX:
		/* mostly the right length and digits */
		n = f->hex_min + next_rand(r) % 3 - (f->hex_min > 0);
		for (i = 0; i < n; i++)
			out[i] = hex[next_rand(r) %
				     (next_rand(r) % 8 ? 16 : 18)];
		return n;
	default: v = "x"; break;
	}
	n = strlen(v);
	memcpy(out, v, n);
	return n;
}

/*
 * A tag made from the template of a kind of the scope, its fields given
 * values or near misses, now and then a byte dropped or added.
 */
static size_t
template_tag(char *out, size_t size, unsigned *r, const struct tp_policy *p,
	     int scope)
{
	const struct tp_kind *k =
		p->scope[scope][next_rand(r) % p->nscope[scope]];
	const struct tp_piece *pc;
	size_t i, n = 0;

	for (i = 0; i < k->npieces && n + 32 < size; i++) {
		pc = &k->pieces[i];
		if (pc->field != NULL) {
			n += random_value(out + n, pc->field, r);
			continue;
		}
		memcpy(out + n, pc->text, pc->len);
		n += pc->len;
	}
	if (n > 0 && next_rand(r) % 8 == 0)
		n--;
	else if (next_rand(r) % 8 == 0)
		out[n++] = "-.0a"[next_rand(r) % 4];
	out[n] = '\0';
	return n;
}

/*
 * The kind is the first of the scope whose regex matches the whole tag
 * (the filter only skips kinds that cannot), and a {semver} version read
 * from the regex groups is what tp_version_parse() makes of the field.
 * The tags are made of `bits`, or when it is NULL from the templates of
 * the kinds of the scope.
 */
static void
check_kinds(const struct tp_policy *p, int scope, unsigned seed,
	    const char *const *bits, size_t nbits)
{
	struct tp_lint *run = run_new(p, scope, 1);
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	const struct tp_kind *want;
	const struct tp_tagres *t;
	const PCRE2_SIZE *ov;
	struct tp_version v;
	struct in in;
	char tag[64];
	size_t i, k, f, g;

	assert_non_null(md);
	for (i = 0; i < 20000; i++) {
		/* zeroed: the oracle's JIT match reads past the end */
		memset(tag, 0, sizeof(tag));
		in.len = bits != NULL ? random_tag(tag, sizeof(tag) - 16, &seed,
						   bits, nbits)
				      : template_tag(tag, sizeof(tag) - 16,
						     &seed, p, scope);
		in.text = tag;
		in.problem = NULL;
		if (memchr(tag, '/', in.len) || memchr(tag, ':', in.len) ||
		    memchr(tag, '@', in.len))
			continue;
		t = add(run, &in, 1);
		want = NULL;
		for (k = 0; k < p->nscope[t->scope] && want == NULL; k++)
			if (p->scope[t->scope][k]->re != NULL &&
			    pcre2_match(p->scope[t->scope][k]->re,
					(PCRE2_SPTR)tag, in.len, 0, 0, md,
					NULL) >= 0)
				want = p->scope[t->scope][k];
		if (want != t->kind) {
			print_error("tag '%s': kind %s, want %s\n", tag,
				    t->kind ? t->kind->name : "-",
				    want ? want->name : "-");
			fail();
		}
		/* the fields are the regex's groups (md holds its match) */
		ov = pcre2_get_ovector_pointer(md);
		for (k = 0, f = 0; want != NULL && k < want->npieces; k++) {
			g = want->pieces[k].group;
			if (want->pieces[k].field == NULL)
				continue;
			if (t->fields[f].off != ov[2 * g] ||
			    t->fields[f].len != ov[2 * g + 1] - ov[2 * g]) {
				print_error(
					"tag '%s': {%s} at %zu+%zu, the "
					"regex says %zu+%zu\n",
					tag, want->pieces[k].field->name,
					t->fields[f].off, t->fields[f].len,
					(size_t)ov[2 * g],
					(size_t)(ov[2 * g + 1] - ov[2 * g]));
				fail();
			}
			f++;
		}
		for (f = 0; t->kind != NULL && f < t->nfields; f++) {
			if (t->fields[f].field->type != TP_FIELD_SEMVER ||
			    !t->has_version)
				continue;
			assert_int_equal(
				tp_version_parse(&v, t->tag + t->fields[f].off,
						 t->fields[f].len, NULL),
				0);
			if (!same_version(&v, &t->version)) {
				print_error("tag '%s': version differs\n", tag);
				fail();
			}
		}
	}
	pcre2_match_data_free(md);
	tp_lint_free(run);
}

static void
test_kind_filter(void **state)
{
	struct tp_policy *d = load_default();
	struct tp_policy *n = test_load_policy_src(NORMATIVE);
	/* kinds that start with a field, end in one, or are only one */
	struct tp_policy *x =
		test_load_policy("version: 1\n"
		     "fields:\n"
		     "  env: {values: [dev, prod]}\n"
		     "  sha: {hex: [7, 12]}\n"
		     "  any: {pattern: '[a-z]*'}\n"
		     "  stage: {values: [rc, rc-1, 1-dev, dev, '0']}\n"
		     "kinds:\n"
		     "  lit: 'latest'\n"
		     "  pre: '{pre}'\n"
		     "  triple: '{major}.{minor}.{patch}'\n"
		     "  envsha: '{env}-{sha}'\n"
		     "  sv: '{semver}'\n"
		     "  vsv: 'v{semver}'\n"
		     "  svstage: '{semver}-{stage}'\n"
		     "  glued: '{major}{minor}'\n"
		     "  premeta: '{pre}+{meta}'\n"
		     "  brsha: '{branch}-{sha}'\n"
		     "  dotted: '{major}.{pre}'\n"
		     "  svx: '{semver}-x'\n"
		     "  majx: '{major}xa'\n"
		     "  any: 'x{any}'\n"
		     "scopes:\n"
		     "  git: [vsv, svstage, glued, premeta, brsha, any]\n"
		     "  image: [lit, triple, envsha, svstage, svx, majx, sv, "
		     "pre, dotted, any]\n");
	/*
	 * fields of one width ({hex} with min = max) around one that varies,
	 * or alone: the cut is forced (hand_one()); and next to two that
	 * vary (hand_cut())
	 */
	struct tp_policy *y = test_load_policy(
		"version: 1\n"
		"fields:\n"
		"  sha: {hex: 7}\n"
		"  h4: {hex: 4}\n"
		"  h5: {hex: 5}\n"
		"  env: {values: [dev, prod]}\n"
		"kinds:\n"
		"  build: '{semver}-{sha}'\n"
		"  front: '{sha}-{semver}'\n"
		"  only: '{sha}'\n"
		"  pair: '{sha}{h4}'\n"
		"  mid: 'v{h4}.{major}.{h5}'\n"
		"  envsha: '{env}-{sha}'\n"
		"  shapre: '{sha}{pre}'\n"
		"  three: '{major}-{sha}-{pre}'\n"
		"  sv: '{semver}'\n"
		"scopes:\n"
		"  git: [front, pair, mid, three, sv]\n"
		"  image: [only, build, envsha, shapre, sv]\n");

	(void)state;
	check_kinds(d, TP_SCOPE_IMAGE, 1, BITS(any_bits));
	check_kinds(d, TP_SCOPE_GIT, 2, BITS(any_bits));
	check_kinds(n, TP_SCOPE_IMAGE, 3, BITS(any_bits));
	check_kinds(n, TP_SCOPE_GIT, 4, BITS(any_bits));
	check_kinds(x, TP_SCOPE_IMAGE, 5, BITS(any_bits));
	check_kinds(x, TP_SCOPE_GIT, 6, BITS(any_bits));
	check_kinds(y, TP_SCOPE_IMAGE, 7, NULL, 0);
	check_kinds(y, TP_SCOPE_GIT, 8, NULL, 0);
	check_kinds(x, TP_SCOPE_IMAGE, 9, NULL, 0);
	check_kinds(x, TP_SCOPE_GIT, 10, NULL, 0);
	check_kinds(d, TP_SCOPE_IMAGE, 11, NULL, 0);
	tp_policy_free(d);
	tp_policy_free(n);
	tp_policy_free(x);
	tp_policy_free(y);
}

/*
 * Rule charset in scope image says what tp_image_tag_check() says, except
 * for a long tag when max-length (an error at 128 here) says it already.
 */
static void
check_charset(struct tp_lint *run, const char *tag, size_t len)
{
	struct tp_lint_input in = TP_LINT_INPUT_INIT;
	const struct tp_diag *d, *found = NULL;
	const struct tp_tagres *t;
	char why[128], msg[200];
	int ok;

	/* in scope image by force: never read as a reference */
	in.scope = TP_SCOPE_IMAGE;
	in.text = tag;
	in.len = len;
	assert_int_equal(tp_lint_add(run, &in, &t, NULL), 0);
	ok = tp_image_tag_check(tag, len, why, sizeof(why));
	for (d = t->diags; d != NULL; d = d->next)
		if (strcmp(d->rule, "charset") == 0)
			found = d;
	if (ok || strncmp(why, "longer than", 11) == 0) {
		if (found != NULL) {
			print_error("tag '%s': charset '%s'\n", tag,
				    found->message);
			fail();
		}
		return;
	}
	snprintf(msg, sizeof(msg), "is not a valid image tag: %s", why);
	if (found == NULL || strcmp(found->message, msg) != 0) {
		print_error("tag '%s': want '%s'\n", tag, msg);
		fail();
	}
}

static void
test_charset_fast_path(void **state)
{
	struct tp_policy *p = load_default();
	struct tp_lint *run = run_new(p, TP_SCOPE_IMAGE, 1);
	static const char alphabet[] = "aZ09_.-+:/@ \x7f\x80\xc3\xa9";
	/* short and long tags, and lengths around a word (8 bytes) */
	static const size_t lens[] = { 1, 2, 7, 8, 9, 15, 16, 17, 24, 129 };
	char tag[160];
	unsigned r = 99;
	size_t i, k, len;

	(void)state;
	for (i = 0; i < 30000; i++) {
		r = r * 1103515245u + 12345u;
		len = i < 200 ? i % 140 : (r >> 16) % 24;
		for (k = 0; k < len; k++) {
			r = r * 1103515245u + 12345u;
			/* mostly valid bytes, so long valid tags occur */
			tag[k] = (r >> 16) % 8
					 ? "ab9_.-"[(r >> 20) % 6]
					 : alphabet[(r >> 20) %
						    (sizeof(alphabet) - 1)];
		}
		tag[len] = '\0';
		check_charset(run, tag, len);
	}
	/* every byte at every place of tags of those lengths */
	for (i = 0; i < 256; i++)
		for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
			for (len = 0; len < lens[k]; len++) {
				memset(tag, 'a', lens[k]);
				tag[lens[k]] = '\0';
				tag[len] = (char)i;
				check_charset(run, tag, lens[k]);
			}
	tp_lint_free(run);
	tp_policy_free(p);
}

/* A text is a reference when it has '/', ':' or '@', wherever it is. */
static void
test_reference_chars(void **state)
{
	struct tp_policy *p = load_default();
	struct tp_lint *run = run_new(p, -1, 1);
	const struct tp_tagres *t;
	static const char marks[] = "/:@.";
	char text[32];
	size_t len, at, m;
	int want;

	(void)state;
	for (len = 1; len <= 20; len++)
		for (at = 0; at < len; at++)
			for (m = 0; m < sizeof(marks) - 1; m++) {
				memset(text, 'a', len);
				text[len] = '\0';
				text[at] = marks[m];
				{
					struct in in = { text, len, NULL };

					t = add(run, &in, 1);
				}
				want = marks[m] != '.';
				if (t->is_ref != want) {
					print_error("'%s': is_ref %d\n", text,
						    t->is_ref);
					fail();
				}
			}
	tp_lint_free(run);
	tp_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Many tags on several threads                                        */
/* ------------------------------------------------------------------ */

/*
 * Everything a reader of one result sees, as one line: what the chunks'
 * output is compared by.
 */
static int
put_result(struct tp_buf *b, const struct tp_tagres *t)
{
	const struct tp_diag *d;
	size_t i;
	int rc;

	rc = tp_buf_printf(b, "%zu %u %d %d %d %zu %zu [", t->index, t->line,
			   t->scope, t->is_ref, t->ok, t->nerrors,
			   t->nwarnings);
	rc |= tp_buf_put(b, t->text, t->len);
	rc |= tp_buf_printf(b, "] %s", t->kind ? t->kind->name : "-");
	for (i = 0; t->kind != NULL && i < t->nfields; i++) {
		rc |= tp_buf_printf(b, " %s=", t->fields[i].field->name);
		rc |= tp_buf_put(b, t->tag + t->fields[i].off,
				 t->fields[i].len);
	}
	for (d = t->diags; d != NULL; d = d->next)
		rc |= tp_buf_printf(b, " | %s %d %s -> %s", d->rule, d->level,
				    d->message,
				    d->suggestion ? d->suggestion : "-");
	rc |= tp_buf_putc(b, '\n');
	return rc;
}

/*
 * A list for tp_lint_add_many(): the inputs, and what the callbacks saw.
 * The callbacks on worker threads must not fail a test (cmocka jumps out
 * of the thread): they record, and the test looks afterwards.
 */
struct many_src {
	const struct in *ins;
	size_t n;
	int json; /* tag objects instead of result lines */
	struct tp_buf got; /* the chunks' output, in the order handed over */
	size_t nflush;
	int stop_tag; /* the tag callback returns 7 at this index (+1) */
	int stop_flush; /* the flush callback returns 9 at this call (+1) */
};

static void
many_input(void *payload, size_t c, size_t i, struct tp_lint_input *in)
{
	const struct many_src *src = payload;

	(void)c;
	in->text = src->ins[i].text;
	in->len = src->ins[i].len;
	in->problem = src->ins[i].problem;
	in->line = (unsigned)i + 1;
	in->stable = 1;
}

static int
many_tag(void *payload, const struct tp_tagres *t, struct tp_buf *out)
{
	const struct many_src *src = payload;
	struct tp_lint_jw j;

	if (src->stop_tag && t->index + 1 == (size_t)src->stop_tag)
		return 7;
	if (src->json) {
		tp_lint_json_resume(&j, out, t->index);
		return tp_lint_json_tag(&j, t);
	}
	return put_result(out, t);
}

static int
many_flush(void *payload, struct tp_buf *out)
{
	struct many_src *src = payload;

	if (src->stop_flush && ++src->nflush == (size_t)src->stop_flush)
		return 9;
	return tp_buf_put(&src->got, out->ptr, out->len);
}

/*
 * src and m for tp_lint_add_many() over ins[0..n): the callbacks above,
 * everything else zero (one chunk size, threads, stops: the test's).
 */
static void
many_setup(struct many_src *src, struct tp_lint_many *m, const struct in *ins,
	   size_t n)
{
	memset(src, 0, sizeof(*src));
	src->ins = ins;
	src->n = n;
	tp_buf_init(&src->got, TP_BUF_MAX_DEFAULT);
	memset(m, 0, sizeof(*m));
	m->n = n;
	m->input = many_input;
	m->tag = many_tag;
	m->flush = many_flush;
	m->payload = src;
}

/* The truth: the tags added one by one to a streaming run. */
static struct tp_lint *
one_by_one(const struct tp_policy *p, const struct in *ins, size_t n,
	   struct tp_buf *lines)
{
	struct tp_lint *run = run_new(p, -1, 1);
	const struct tp_tagres *t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = add(run, &ins[i], (unsigned)i + 1);
		assert_int_equal(put_result(lines, t), 0);
	}
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	return run;
}

/* Keyed records and keys, record by record. */
static void
same_keyed(struct tp_lint *a, struct tp_lint *b)
{
	const struct tp_keyed *ka, *kb;
	struct tp_buf va = TP_BUF_INIT, vb = TP_BUF_INIT;
	uint64_t *keys_a, *keys_b;
	size_t i, na, nb;

	ka = tp_lint_keyed(a, &na);
	kb = tp_lint_keyed(b, &nb);
	assert_int_equal(na, nb);
	keys_a = keys_of(a);
	keys_b = keys_of(b);
	for (i = 0; i < na; i++) {
		assert_int_equal(keys_a[i], keys_b[i]);
		assert_int_equal(ka[i].index, kb[i].index);
		assert_int_equal(ka[i].len, kb[i].len);
		assert_memory_equal(ka[i].text, kb[i].text, ka[i].len);
		assert_int_equal(ka[i].kind, kb[i].kind);
		assert_int_equal(ka[i].voff, kb[i].voff);
		assert_int_equal(ka[i].vlen, kb[i].vlen);
		tp_buf_clear(&va);
		tp_buf_clear(&vb);
		assert_int_equal(tp_lint_keyed_version_text(&va, a, &ka[i]), 0);
		assert_int_equal(tp_lint_keyed_version_text(&vb, b, &kb[i]), 0);
		assert_string_equal(va.ptr, vb.ptr);
	}
	free(keys_a);
	free(keys_b);
	tp_buf_release(&va);
	tp_buf_release(&vb);
}

/*
 * Lints `ins` with tp_lint_add_many() on `threads` threads in chunks of
 * `chunk` (or the caller's `starts`), and compares with one_by_one():
 * the results in input order, the counts, the set problems, the keyed
 * records, and the JSON document made of resumed pieces.
 */
static void
compare_many(const struct tp_policy *p, const struct in *ins, size_t n,
	     unsigned threads, size_t chunk, const size_t *starts,
	     size_t nchunks)
{
	struct tp_buf want = TP_BUF_INIT, doc = TP_BUF_INIT;
	struct tp_lint *ref = one_by_one(p, ins, n, &want);
	struct tp_lint *keep = run_new(p, -1, 0);
	struct tp_lint *run;
	struct tp_lint_many m;
	struct tp_lint_jw j;
	struct many_src src;
	struct tp_error err;
	size_t i;
	int json;

	for (i = 0; i < n; i++)
		add(keep, &ins[i], (unsigned)i + 1);
	assert_int_equal(tp_lint_finish(keep, NULL), 0);
	assert_int_equal(tp_lint_json(&doc, keep, 0), 0);
	for (json = 0; json < 2; json++) {
		many_setup(&src, &m, ins, n);
		src.json = json;
		m.threads = threads;
		m.chunk = chunk;
		m.starts = starts;
		m.nchunks = nchunks;
		run = run_new(p, -1, 1);
		if (json)
			tp_lint_json_begin(&j, &src.got, 0);
		tp_error_init(&err);
		if (tp_lint_add_many(run, &m, &err) != 0) {
			print_error("tp_lint_add_many: %s\n", err.msg);
			fail();
		}
		assert_int_equal(tp_lint_count(run), n);
		assert_int_equal(tp_lint_finish(run, NULL), 0);
		if (json) {
			tp_lint_json_resume(&j, &src.got, n);
			assert_int_equal(tp_lint_json_end(&j, run), 0);
			if (strcmp(src.got.ptr, doc.ptr) != 0) {
				print_error("JSON differs (%u threads):\n"
					    "%s\n%s\n",
					    threads, doc.ptr, src.got.ptr);
				fail();
			}
		} else if (strcmp(src.got.ptr, want.ptr) != 0) {
			print_error("results differ (%u threads, chunk %zu):\n"
				    "%s\n---\n%s\n",
				    threads, chunk, want.ptr, src.got.ptr);
			fail();
		}
		same_summary(ref, run);
		same_sets(keep, run);
		same_keyed(ref, run);
		tp_lint_free(run);
		tp_buf_release(&src.got);
	}
	same_sets(keep, ref);
	tp_lint_free(ref);
	tp_lint_free(keep);
	tp_buf_release(&want);
	tp_buf_release(&doc);
}

/*
 * Tags with many duplicates (and gaps), in a given order; `ins` points
 * into `text`.
 */
static void
make_tags(struct in *ins, char (*text)[48], size_t n, unsigned r)
{
	size_t i;

	for (i = 0; i < n; i++) {
		r = r * 1103515245u + 12345u;
		switch ((r >> 16) % 8) {
		case 0:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u",
				 (r >> 8) % 3, (r >> 4) % 5, r % 20);
			break;
		case 1:
			snprintf(text[i], sizeof(text[i]), "v%u.%u.%u-%s",
				 (r >> 8) % 3, (r >> 4) % 5, r % 20,
				 (r >> 20) % 2 ? "dev" : "prod");
			break;
		case 2:
			snprintf(text[i], sizeof(text[i]), "%u.%u",
				 (r >> 8) % 5, r % 9);
			break;
		case 3:
			snprintf(text[i], sizeof(text[i]),
				 "reg.example/app:%u.%u.%u", (r >> 8) % 3,
				 (r >> 4) % 5, r % 20);
			break;
		case 4:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u+b.%u",
				 (r >> 8) % 3, (r >> 4) % 5, r % 20,
				 (r >> 12) % 3);
			break;
		case 5:
			snprintf(text[i], sizeof(text[i]), "%u.%u.%u-rc.%u",
				 (r >> 8) % 3, (r >> 4) % 5, r % 20,
				 (r >> 12) % 4);
			break;
		case 6:
			snprintf(text[i], sizeof(text[i]), "%sv%u.%u",
				 (r >> 9) % 2 ? "V" : "", (r >> 8) % 3,
				 r % 7);
			break;
		default:
			snprintf(text[i], sizeof(text[i]), "2026%02u%02u",
				 1 + (r >> 8) % 12, 1 + r % 31);
			break;
		}
		ins[i].text = text[i];
		ins[i].len = strlen(text[i]);
		ins[i].problem = NULL;
	}
}

/* The mixed tags, then generated ones: odd cases in the first chunks. */
static struct in *
many_inputs(size_t n, char (**text)[48])
{
	size_t nm = sizeof(mixed) / sizeof(mixed[0]);
	struct in *ins = calloc(n, sizeof(*ins));

	*text = calloc(n, sizeof(**text));
	assert_non_null(ins);
	assert_non_null(*text);
	assert_true(n >= nm);
	memcpy(ins, mixed, sizeof(mixed));
	make_tags(ins + nm, *text + nm, n - nm, 777);
	return ins;
}

/* Threads and chunks change nothing: results, order, sets, keys. */
static void
test_many_same_as_one(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "extends: [docker]\n"
				   "rules: {version-gap: warning}\n");
	struct tp_policy *d = load_default();
	char(*text)[48];
	size_t n = 3000;
	struct in *ins = many_inputs(n, &text);

	(void)state;
	compare_many(p, ins, n, 1, 0, NULL, 0);
	compare_many(p, ins, n, 2, 0, NULL, 0);
	compare_many(p, ins, n, 3, 7, NULL, 0);
	compare_many(p, ins, n, 4, 100, NULL, 0);
	compare_many(p, ins, n, TP_LINT_THREADS_MAX + 3, 1, NULL, 0);
	compare_many(d, ins, n, 2, 64, NULL, 0);
	/* automatic: fewer than TP_LINT_MANY_MIN tags stay on one thread */
	compare_many(d, ins, n, 0, 0, NULL, 0);
	compare_many(d, ins, 1, 3, 1, NULL, 0);
	compare_many(d, ins, 0, 3, 1, NULL, 0);
	free(ins);
	free(text);
	tp_policy_free(p);
	tp_policy_free(d);
}

/*
 * Duplicates and gaps whose tags sit on both sides of chunk boundaries,
 * and chunks of the caller's, some empty.
 */
static void
test_many_chunk_boundaries(void **state)
{
	struct tp_policy *p = test_load_policy("version: 1\n"
				   "extends: [docker]\n"
				   "rules: {version-gap: warning}\n");
	static const struct in across[] = {
		IN("1.0.0"),	   IN("1.0.0"),	       IN("1.0.0-rc.1"),
		IN("1.0.0+b.1"),   IN("1.0.0-rc.1"),   IN("1.2.0"),
		IN("v1.0.0-prod"), IN("v1.0.0-prod"),  IN("3.0.0"),
		IN("1.0.0+b.2"),   IN("reg.io/a:1.0.0"), IN("1.0"),
		IN("1.0"),	   IN("3.0.0"),	       IN("1.0.0+b.1"),
		IN("5.0.0"),
	};
	static const size_t starts[] = { 0, 1, 1, 4, 9, 9, 15, 16 };
	size_t n = sizeof(across) / sizeof(across[0]), chunk;

	(void)state;
	for (chunk = 1; chunk <= 5; chunk++)
		compare_many(p, across, n, 3, chunk, NULL, 0);
	compare_many(p, across, n, 2, 0, starts,
		     sizeof(starts) / sizeof(starts[0]) - 1);
	compare_many(p, across, n, 1, 0, starts,
		     sizeof(starts) / sizeof(starts[0]) - 1);
	tp_policy_free(p);
}

/*
 * Many more tags than TP_LINT_MANY_MIN with automatic threads, against
 * the tags added one by one.
 */
static void
test_many_long(void **state)
{
	struct tp_policy *d = load_default();
	char(*text)[48];
	size_t n = 3 * TP_LINT_MANY_MIN + 17;
	struct in *ins = many_inputs(n, &text);

	(void)state;
	compare_many(d, ins, n, 0, 0, NULL, 0);
	compare_many(d, ins, n, 0, 333, NULL, 0);
	free(ins);
	free(text);
	tp_policy_free(d);
}

/*
 * More keyed tags than duplicate-version gathers on one thread: its
 * groups, confirmed range by range on several threads (a group's tags
 * in several ranges, build metadata told apart), must be those found the
 * slow way, and those of a run that keeps results.
 */
static void
test_many_duplicates(void **state)
{
	struct tp_policy *d = load_default();
	struct tp_lint *run, *keep;
	struct tp_lint_many m;
	struct many_src src;
	struct tp_error err;
	char(*text)[48];
	size_t n = 110000, nk, i;
	struct in *ins = many_inputs(n, &text);

	(void)state;
	many_setup(&src, &m, ins, n);
	run = run_new(d, -1, 1);
	tp_error_init(&err);
	assert_int_equal(tp_lint_add_many(run, &m, &err), 0);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	tp_lint_keyed(run, &nk);
	/* duplicate-version's PAR_KEYS: fewer go on one thread */
	assert_true(nk > ((size_t)1 << 16) + 10000);
	check_duplicates(run);
	keep = run_new(d, -1, 0);
	for (i = 0; i < n; i++)
		add(keep, &ins[i], (unsigned)i + 1);
	assert_int_equal(tp_lint_finish(keep, NULL), 0);
	same_sets(keep, run);
	tp_lint_free(keep);
	tp_lint_free(run);
	tp_buf_release(&src.got);
	free(ins);
	free(text);
	tp_policy_free(d);
}

/* A callback's value stops the run and comes back as it is. */
static void
test_many_stops(void **state)
{
	struct tp_policy *d = load_default();
	char(*text)[48];
	size_t n = 2000;
	struct in *ins = many_inputs(n, &text);
	struct tp_lint_many m;
	struct many_src src;
	struct tp_lint *run;
	struct tp_error err;
	unsigned threads;

	(void)state;
	for (threads = 1; threads <= 3; threads++) {
		many_setup(&src, &m, ins, n);
		m.threads = threads;
		m.chunk = 16;
		tp_error_init(&err);
		src.stop_tag = 300;
		run = run_new(d, -1, 1);
		assert_int_equal(tp_lint_add_many(run, &m, &err), 7);
		assert_int_equal(err.code, 0);
		/* the run is done for */
		assert_int_equal(tp_lint_add_many(run, &m, NULL), TP_ERROR);
		assert_int_equal(tp_lint_finish(run, NULL), TP_ERROR);
		tp_lint_free(run);
		src.stop_tag = 0;
		src.stop_flush = 3;
		run = run_new(d, -1, 1);
		assert_int_equal(tp_lint_add_many(run, &m, &err), 9);
		assert_int_equal(err.code, 0);
		/* what was handed over: the first two chunks or more */
		assert_true(src.got.len > 0);
		tp_lint_free(run);
		tp_buf_release(&src.got);
	}
	free(ins);
	free(text);
	tp_policy_free(d);
}

/* Errors of tp_lint_add() stop it; a run that keeps results stays put. */
static void
many_commit_input(void *payload, size_t c, size_t i, struct tp_lint_input *in)
{
	many_input(payload, c, i, in);
	if (i == 40)
		in->commit = "0123456789abcdef0123456789abcdef01234567";
}

static void
test_many_errors_and_keeping(void **state)
{
	struct tp_policy *d = load_default();
	char(*text)[48];
	size_t n = 100, i;
	struct in *ins = many_inputs(n, &text);
	struct tp_lint_many m;
	struct many_src src;
	struct tp_lint *run;
	struct tp_error err;

	(void)state;
	many_setup(&src, &m, ins, n);
	m.threads = 3;
	m.chunk = 8;
	m.input = many_commit_input;
	tp_error_init(&err);
	run = run_new(d, -1, 1);
	assert_int_equal(tp_lint_add_many(run, &m, &err), TP_EINVAL);
	assert_string_equal(err.msg, "a streaming lint run takes no commits");
	tp_lint_free(run);
	/* results kept: on this thread, each result there to read */
	m.input = many_input;
	tp_buf_clear(&src.got);
	run = run_new(d, -1, 0);
	assert_int_equal(tp_lint_add_many(run, &m, NULL), 0);
	assert_int_equal(tp_lint_count(run), n);
	for (i = 0; i < n; i++)
		assert_int_equal(tp_lint_at(run, i)->index, i);
	assert_int_equal(tp_lint_finish(run, NULL), 0);
	tp_lint_free(run);
	tp_buf_release(&src.got);
	free(ins);
	free(text);
	tp_policy_free(d);
}

/* ------------------------------------------------------------------ */
/* Lists in parts                                                      */
/* ------------------------------------------------------------------ */

/* The list read from `data` by tp_list_read_fd_parts(), through a file. */
static struct tp_list *
read_parts(const char *data, size_t len, size_t part)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	tp_error_init(&err);
	if (tp_list_read_fd_parts(&l, fileno(f), "-", part, &err) < 0) {
		print_error("tp_list_read_fd_parts: %s\n", err.msg);
		fail();
	}
	fclose(f);
	return l;
}

/*
 * The parts' items, taken apart by cursors, are the items of
 * tp_list_parse() on the same text: text, length, line and problem.
 */
static void
same_parts(const char *data, size_t len, size_t part)
{
	struct tp_list *want = NULL, *got = read_parts(data, len, part);
	struct tp_list_cursor c;
	struct tp_item it;
	size_t i = 0, k;

	assert_int_equal(tp_list_parse(&want, data, len, NULL), 0);
	assert_int_equal(got->n, want->n);
	if (got->parts == NULL) {
		/* JSON, or nothing at all */
		assert_true(got->json || got->n == 0);
		for (i = 0; i < got->n; i++)
			assert_string_equal(got->items[i].text,
					    want->items[i].text);
		goto done;
	}
	assert_null(got->items);
	for (k = 0; k < got->nparts; k++) {
		assert_int_equal(got->parts[k].first, i);
		tp_list_cursor_init(&c, &got->parts[k]);
		while (tp_list_cursor_next(&c, &it)) {
			assert_true(i < want->n);
			if (it.len != want->items[i].len ||
			    memcmp(it.text, want->items[i].text, it.len) != 0 ||
			    it.text[it.len] != '\0' ||
			    it.line != want->items[i].line ||
			    it.problem != want->items[i].problem) {
				print_error("item %zu (part %zu of %zu bytes): "
					    "'%s' line %u, want '%s' line %u\n",
					    i, k, part, it.text, it.line,
					    want->items[i].text,
					    want->items[i].line);
				fail();
			}
			i++;
		}
		assert_int_equal(i, got->parts[k].first + got->parts[k].n);
	}
	assert_int_equal(i, want->n);
done:
	tp_list_free(want);
	tp_list_free(got);
}

static void
test_list_parts_cases(void **state)
{
	static const char *const cases[] = {
		"",
		"\n",
		"\n\n\n",
		"a",
		"a\n",
		"a\nb",
		"\na\n\nb\n\n",
		"\xef\xbb\xbfv1.2.3\n1.0\n",
		"\xef\xbb\xbf",
		"  v1  \n\tv2\t\n\rv3\r\n\v\fv4\n",
		"# comment\nv1\n  # indented\n#\nv2\n",
		"a b\nc#d\n!x\n\"q\"\n",
		"caf\xc3\xa9\nv1\xff\nok\n",
		"nbsp\xc2\xa0\n",
		"12345678\n123456789\n1234567\n\n12345678",
		"{\"tags\": [\"v1\", \"v2\"]}",
		"  \n  {\"tags\": null}",
	};
	size_t i, part;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (part = 1; part <= 12; part++)
			same_parts(cases[i], strlen(cases[i]), part);
	/* NUL bytes, which strlen() does not see */
	same_parts("v1\0x\nv2\n\0\n", 10, 1);
	same_parts("v1\0x\nv2\n\0\n", 10, 3);
	same_parts("v1\0x\nv2\n\0\n", 10, 0);
}

/*
 * Random texts made of lines that are plain, empty, comments, padded,
 * with CR, NUL or non-ASCII bytes, cut into parts of many sizes, and one
 * long enough to be counted on several threads.
 */
static void
test_list_parts_random(void **state)
{
	static const char *const bits[] = {
		"v1.2.3", "1.0",  "latest", "x",   "12345678", "123456789012",
		" ",	  "\t",	  "\r",	    "#",   "\xc3\xa9", "\xff",
		"\v",	  "\f",	  "a b",    "0",   "\xe2\x82", "rc.1",
	};
	struct tp_buf b = TP_BUF_INIT;
	unsigned r = 4242;
	size_t round, line, k, nl, part;

	(void)state;
	for (round = 0; round < 60; round++) {
		tp_buf_clear(&b);
		nl = round < 59 ? 1 + round * 7 : 150000;
		for (line = 0; line < nl; line++) {
			r = r * 1103515245u + 12345u;
			/* most lines plain, as in real lists */
			if ((r >> 16) % 4 != 0 || round == 59) {
				assert_int_equal(
					tp_buf_printf(&b, "%u.%u.%u\n",
						      (r >> 3) % 40,
						      (r >> 9) % 100, r % 1000),
					0);
				if (round < 59 || (r >> 20) % 5000 != 0)
					continue;
			}
			for (k = 0; k < (r >> 20) % 4; k++) {
				r = r * 1103515245u + 12345u;
				assert_int_equal(
					tp_buf_puts(&b,
						    bits[(r >> 16) %
							 (sizeof(bits) /
							  sizeof(bits[0]))]),
					0);
			}
			if ((r >> 24) % 11 == 0)
				assert_int_equal(tp_buf_putc(&b, '\0'), 0);
			if (line + 1 < nl || (r >> 12) % 2)
				assert_int_equal(tp_buf_putc(&b, '\n'), 0);
		}
		part = round == 59 ? 0 : 1 + (r >> 8) % 200;
		same_parts(b.ptr, b.len, part);
	}
	tp_buf_release(&b);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_stream_default_policy);
	tlist_unit(&l, test_stream_normative_policy);
	tlist_unit(&l, test_stream_any_policy);
	tlist_unit(&l, test_json_fast_paths);
	tlist_unit(&l, test_stream_many);
	tlist_unit(&l, test_stream_refuses_facts);
	tlist_unit(&l, test_stream_copies_text);
	tlist_unit(&l, test_stream_messages);
	tlist_unit(&l, test_report_formats);
	tlist_unit(&l, test_fact_rules);
	tlist_unit(&l, test_stream_borrows_text);
	tlist_unit(&l, test_kind_filter);
	tlist_unit(&l, test_charset_fast_path);
	tlist_unit(&l, test_reference_chars);
	tlist_unit(&l, test_many_same_as_one);
	tlist_unit(&l, test_many_chunk_boundaries);
	tlist_unit(&l, test_many_long);
	tlist_unit(&l, test_many_duplicates);
	tlist_unit(&l, test_many_stops);
	tlist_unit(&l, test_many_errors_and_keeping);
	tlist_unit(&l, test_list_parts_cases);
	tlist_unit(&l, test_list_parts_random);
	return tlist_run(&l, "lintstream");
}
