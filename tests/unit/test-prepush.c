/*
 * test-prepush.c: the pre-push and pre-receive stdin parsers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prepush.h"
#include "tsv.h"

#define OID1 "1111111111111111111111111111111111111111"
#define OID2 "2222222222222222222222222222222222222222"
#define ZERO "0000000000000000000000000000000000000000"
#define OIDA "abababababababababababababababababababababababababababababababab"
#define ZERO64 ZERO "000000000000000000000000"

static const char *const action_names[] = { "create", "update", "delete" };
static const char *const kind_names[] = { "branch", "tag", "other" };

/* The loaded vector file, for column lookups in the row tests. */
static const struct tsv *vectors;

/* ------------------------------------------------------------------ */
/* expected_records_json: a flat array of flat objects of strings       */
/* ------------------------------------------------------------------ */

#define JKEYS 8
#define JVAL 160
#define JRECS 8

struct jobj {
	size_t n;
	char key[JKEYS][24];
	char val[JKEYS][JVAL];
};

static const char *
jskip(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Reads a JSON string (escapes \" \\ \/ only) into buf; NULL on error. */
static const char *
jstring(const char *p, char *buf, size_t size)
{
	size_t o = 0;

	p = jskip(p);
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if (*p == '\0' || o + 1 >= size)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p != '"' && *p != '\\' && *p != '/')
				return NULL;
		}
		buf[o++] = *p++;
	}
	buf[o] = '\0';
	return p + 1;
}

/* Parses `json` into objs; returns the count, or -1 when it is malformed. */
static int
jparse(const char *json, struct jobj *objs, size_t max)
{
	const char *p = jskip(json);
	size_t n = 0;

	if (*p++ != '[')
		return -1;
	p = jskip(p);
	if (*p == ']')
		return *jskip(p + 1) == '\0' ? 0 : -1;
	for (;;) {
		struct jobj *o = &objs[n];

		if (n >= max || *(p = jskip(p)) != '{')
			return -1;
		o->n = 0;
		p++;
		for (;;) {
			if (o->n >= JKEYS)
				return -1;
			p = jstring(p, o->key[o->n], sizeof(o->key[0]));
			if (p == NULL || *(p = jskip(p)) != ':')
				return -1;
			p = jstring(p + 1, o->val[o->n], sizeof(o->val[0]));
			if (p == NULL)
				return -1;
			o->n++;
			p = jskip(p);
			if (*p == '}')
				break;
			if (*p++ != ',')
				return -1;
		}
		n++;
		p = jskip(p + 1);
		if (*p == ']')
			return *jskip(p + 1) == '\0' ? (int)n : -1;
		if (*p++ != ',')
			return -1;
	}
}

static const char *
jget(const struct jobj *o, const char *key)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->key[i], key) == 0)
			return o->val[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* helpers                                                              */
/* ------------------------------------------------------------------ */

static int
parse_str(int prereceive, struct tp_push_list **out, const char *s,
	  struct tp_error *err)
{
	tp_error_init(err);
	return prereceive ? tp_prereceive_parse(out, s, strlen(s), err) :
		tp_prepush_parse(out, s, strlen(s), err);
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Compares record `u` with the expected object; every key of the object
 * must be a known field, and tag_name is absent exactly when the record
 * has none.  Writes the first difference into `why`.
 */
static int
record_matches(const struct tp_push_update *u, const struct jobj *o,
	       char *why, size_t size)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		const char *k = o->key[i], *want = o->val[i], *got;

		if (strcmp(k, "local_ref") == 0)
			got = u->local_ref;
		else if (strcmp(k, "local_oid") == 0)
			got = u->local_oid;
		else if (strcmp(k, "remote_ref") == 0)
			got = u->remote_ref;
		else if (strcmp(k, "remote_oid") == 0)
			got = u->remote_oid;
		else if (strcmp(k, "action") == 0)
			got = action_names[u->action];
		else if (strcmp(k, "kind") == 0)
			got = kind_names[u->kind];
		else if (strcmp(k, "tag_name") == 0)
			got = u->tag_name;
		else {
			snprintf(why, size, "unknown key '%s'", k);
			return 0;
		}
		if (!str_eq(got, want)) {
			snprintf(why, size, "%s: got '%s', want '%s'", k,
				 got ? got : "(null)", want);
			return 0;
		}
	}
	if (u->tag_name != NULL && jget(o, "tag_name") == NULL) {
		snprintf(why, size, "tag_name: got '%s', want none",
			 u->tag_name);
		return 0;
	}
	return 1;
}

static void
assert_error(int rc, const struct tp_push_list *l,
	     const struct tp_error *err, const char *input, const char *want)
{
	if (rc == TP_EINVAL && l == NULL && err->code == TP_EINVAL &&
	    strcmp(err->msg, want) == 0)
		return;
	print_error("input '%s'\ngot rc %d list %p message '%s'\n"
		    "want rc %d, no list, message '%s'\n", input, rc,
		    (const void *)l, err->msg, TP_EINVAL, want);
	fail();
}

/* ------------------------------------------------------------------ */
/* unit tests                                                           */
/* ------------------------------------------------------------------ */

static void
test_empty(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_prepush_parse(&l, NULL, 0, &err), 0);
	assert_non_null(l);
	assert_int_equal(l->nr, 0);
	assert_int_equal(l->oid_len, 0);
	assert_int_equal(tp_push_is_sha256(l), 0);
	tp_push_list_free(l);
	assert_int_equal(tp_prereceive_parse(&l, "", 0, NULL), 0);
	assert_non_null(l);
	assert_int_equal(l->nr, 0);
	tp_push_list_free(l);
	assert_int_equal(tp_push_is_sha256(NULL), 0);
	tp_push_list_free(NULL);
	assert_int_equal(err.code, 0);
}

/* Reads exactly `len` bytes, and the list does not borrow the input. */
static void
test_not_terminated_and_copied(void **state)
{
	const char *text = "refs/heads/a " OID1 " refs/tags/v1 " ZERO;
	size_t len = strlen(text);
	char *buf = malloc(len);
	struct tp_push_list *l = NULL;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, text, len);
	assert_int_equal(tp_prepush_parse(&l, buf, len, NULL), 0);
	memset(buf, 'x', len);
	free(buf);
	assert_int_equal(l->nr, 1);
	assert_string_equal(l->updates[0].local_ref, "refs/heads/a");
	assert_string_equal(l->updates[0].remote_oid, ZERO);
	assert_string_equal(l->updates[0].tag_name, "v1");
	assert_int_equal(l->updates[0].line, 1);
	tp_push_list_free(l);
}

static void
test_local_ref_with_spaces(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;
	const char *in = "main@{1 day ago} " OID1 " refs/heads/x " OID2 "\n";

	(void)state;
	assert_int_equal(parse_str(0, &l, in, &err), 0);
	assert_int_equal(l->nr, 1);
	assert_string_equal(l->updates[0].local_ref, "main@{1 day ago}");
	assert_string_equal(l->updates[0].local_oid, OID1);
	assert_string_equal(l->updates[0].remote_ref, "refs/heads/x");
	assert_string_equal(l->updates[0].remote_oid, OID2);
	assert_int_equal(l->updates[0].action, TP_PUSH_UPDATE);
	assert_int_equal(l->updates[0].kind, TP_PUSH_BRANCH);
	assert_null(l->updates[0].tag_name);
	tp_push_list_free(l);
}

static void
test_kinds(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;
	const char *in =
		"refs/notes/commits " OID1 " refs/notes/commits " ZERO "\n"
		"refs/tags/ " OID1 " refs/tags/ " ZERO "\n"
		"x " OID1 " refs/tagsx " ZERO "\n"
		"HEAD " OID1 " refs/heads/refs/tags/v1 " ZERO "\n";

	(void)state;
	assert_int_equal(parse_str(0, &l, in, &err), 0);
	assert_int_equal(l->nr, 4);
	assert_int_equal(l->updates[0].kind, TP_PUSH_OTHER);
	assert_null(l->updates[0].tag_name);
	assert_int_equal(l->updates[1].kind, TP_PUSH_TAG);
	assert_string_equal(l->updates[1].tag_name, "");
	assert_int_equal(l->updates[2].kind, TP_PUSH_OTHER);
	assert_int_equal(l->updates[3].kind, TP_PUSH_BRANCH);
	assert_null(l->updates[3].tag_name);
	assert_int_equal(l->updates[3].line, 4);
	tp_push_list_free(l);
}

static void
test_sha256(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;

	(void)state;
	assert_int_equal(parse_str(0, &l, "refs/tags/v2 " OIDA " refs/tags/v2 "
				   ZERO64, &err), 0);
	assert_int_equal(l->oid_len, 64);
	assert_int_equal(tp_push_is_sha256(l), 1);
	tp_push_list_free(l);
	assert_int_equal(parse_str(0, &l, "refs/tags/v2 " OID1 " refs/tags/v2 "
				   ZERO, &err), 0);
	assert_int_equal(l->oid_len, 40);
	assert_int_equal(tp_push_is_sha256(l), 0);
	tp_push_list_free(l);
}

static void
test_prepush_errors(void **state)
{
	static const struct {
		const char *in;
		const char *msg;
	} c[] = {
		{ "\n", "line 1: empty line" },
		{ "\r\n", "line 1: empty line" },
		{ "a " OID1 " refs/heads/a " ZERO "\n\n",
		  "line 2: empty line" },
		{ "a " OID1 " refs/heads/a\n",
		  "line 1: expected 4 space-separated fields, found 3" },
		{ "justone", "line 1: expected 4 space-separated fields, "
		  "found 1" },
		{ "a\t" OID1 "\trefs/heads/a\t" ZERO,
		  "line 1: expected 4 space-separated fields, found 1" },
		{ " " OID1 " refs/heads/a " ZERO, "line 1: empty local ref" },
		{ "a " OID1 "  " ZERO, "line 1: empty remote ref" },
		{ "a " OID1 " refs/heads/a " ZERO " ",
		  "line 1: bad object name '' (remote): expected 40 or 64 "
		  "lower-case hex digits" },
		{ "a 67890 refs/heads/a 12345",
		  "line 1: bad object name '12345' (remote): expected 40 or "
		  "64 lower-case hex digits" },
		{ "a 67890 refs/heads/a " ZERO,
		  "line 1: bad object name '67890' (local): expected 40 or "
		  "64 lower-case hex digits" },
		{ "a " OID1 "1 refs/heads/a " ZERO,
		  "line 1: bad object name '" OID1 "1' (local): expected 40 "
		  "or 64 lower-case hex digits" },
		{ "a 111111111111111111111111111111111111111g refs/heads/a "
		  ZERO, "line 1: bad object name "
		  "'111111111111111111111111111111111111111g' (local): "
		  "expected 40 or 64 lower-case hex digits" },
		{ "a " OID1 " refs/heads/a " ZERO64,
		  "line 1: object name '" OID1 "' (local) has 40 hex digits, "
		  "others have 64" },
		{ "a " OID1 " refs/heads/a " ZERO "\n"
		  "b " OIDA " refs/heads/b " ZERO64 "\n",
		  "line 2: object name '" ZERO64 "' (remote) has 64 hex "
		  "digits, others have 40" },
		{ "a " ZERO " refs/heads/a " ZERO,
		  "line 1: both object names are zero" },
		{ "(delete) " OID1 " refs/heads/a " OID2,
		  "line 1: local ref '(delete)' with the non-zero object name "
		  "'" OID1 "'" },
		{ "refs/heads/a " ZERO " refs/heads/a " OID2,
		  "line 1: zero local object name for 'refs/heads/a' (a "
		  "delete says '(delete)')" },
		{ "a " OID1 " refs/heads/a " ZERO "\r\r\n",
		  "line 1: bad object name '" ZERO "?' (remote): expected 40 "
		  "or 64 lower-case hex digits" }
	};
	struct tp_push_list *l;
	struct tp_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		l = (struct tp_push_list *)&err; /* must be reset to NULL */
		rc = parse_str(0, &l, c[i].in, &err);
		assert_error(rc, l, &err, c[i].in, c[i].msg);
	}
}

static void
test_nul_byte(void **state)
{
	static const char in[] = "a " OID1 " refs/heads/a " ZERO "\n"
		"a\0b " OID1 " refs/heads/a " ZERO "\n";
	struct tp_push_list *l = NULL;
	struct tp_error err;
	int rc;

	(void)state;
	tp_error_init(&err);
	rc = tp_prepush_parse(&l, in, sizeof(in) - 1, &err);
	assert_error(rc, l, &err, "(NUL on line 2)", "line 2: NUL byte");
}

/* Long or odd fields are cut and cleaned in messages. */
static void
test_error_excerpt(void **state)
{
	char in[400], want[200];
	struct tp_push_list *l = NULL;
	struct tp_error err;
	size_t off;
	int rc;

	(void)state;
	off = (size_t)snprintf(in, sizeof(in), "a " OID1 " refs/heads/a \x1b");
	memset(in + off, 'f', 300);
	in[off + 300] = '\0';
	snprintf(want, sizeof(want), "line 1: bad object name '?%.63s...' "
		 "(remote): expected 40 or 64 lower-case hex digits",
		 in + off);
	rc = parse_str(0, &l, in, &err);
	assert_error(rc, l, &err, "(long remote id)", want);
}

static void
test_prereceive(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;
	const char *in =
		ZERO " " OID1 " refs/tags/v1\n"
		OID1 " " OID2 " refs/heads/main\r\n"
		OID2 " " ZERO " refs/tags/old\n"
		OID1 " " OID2 " refs/notes/x";
	const struct tp_push_update *u;

	(void)state;
	assert_int_equal(parse_str(1, &l, in, &err), 0);
	assert_int_equal(l->nr, 4);
	assert_int_equal(tp_push_is_sha256(l), 0);
	u = &l->updates[0];
	assert_string_equal(u->local_ref, "refs/tags/v1");
	assert_string_equal(u->local_oid, OID1);
	assert_string_equal(u->remote_ref, "refs/tags/v1");
	assert_string_equal(u->remote_oid, ZERO);
	assert_int_equal(u->action, TP_PUSH_CREATE);
	assert_int_equal(u->kind, TP_PUSH_TAG);
	assert_string_equal(u->tag_name, "v1");
	u = &l->updates[1];
	assert_string_equal(u->local_ref, "refs/heads/main");
	assert_string_equal(u->local_oid, OID2);
	assert_string_equal(u->remote_oid, OID1);
	assert_int_equal(u->action, TP_PUSH_UPDATE);
	assert_int_equal(u->kind, TP_PUSH_BRANCH);
	u = &l->updates[2];
	assert_string_equal(u->local_ref, "(delete)");
	assert_string_equal(u->local_oid, ZERO);
	assert_string_equal(u->remote_oid, OID2);
	assert_string_equal(u->remote_ref, "refs/tags/old");
	assert_int_equal(u->action, TP_PUSH_DELETE);
	assert_string_equal(u->tag_name, "old");
	u = &l->updates[3];
	assert_int_equal(u->kind, TP_PUSH_OTHER);
	assert_int_equal(u->line, 4);
	tp_push_list_free(l);

	assert_int_equal(parse_str(1, &l, ZERO64 " " OIDA " refs/tags/v2\n",
				   &err), 0);
	assert_int_equal(tp_push_is_sha256(l), 1);
	tp_push_list_free(l);
}

static void
test_prereceive_errors(void **state)
{
	static const struct {
		const char *in;
		const char *msg;
	} c[] = {
		{ "\n", "line 1: empty line" },
		{ ZERO " " OID1 "\n",
		  "line 1: expected 3 space-separated fields, found 2" },
		{ ZERO " " OID1 " refs/tags/a b\n",
		  "line 1: expected 3 space-separated fields, found 4" },
		{ ZERO " " OID1 " \n", "line 1: empty ref" },
		{ "123 " OID1 " refs/tags/a",
		  "line 1: bad object name '123' (old): expected 40 or 64 "
		  "lower-case hex digits" },
		{ ZERO " " OIDA " refs/tags/a",
		  "line 1: object name '" OIDA "' (new) has 64 hex digits, "
		  "others have 40" },
		{ ZERO " " ZERO " refs/tags/a",
		  "line 1: both object names are zero" },
		{ OID1 " " OID2 " refs/tags/a\n" OID1 " " OID2 " refs/tags/b\n"
		  "bad\n", "line 3: expected 3 space-separated fields, "
		  "found 1" }
	};
	struct tp_push_list *l;
	struct tp_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		l = (struct tp_push_list *)&err;
		rc = parse_str(1, &l, c[i].in, &err);
		assert_error(rc, l, &err, c[i].in, c[i].msg);
	}
}

static void
test_first_error_wins(void **state)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_prepush_parse(&l, "x", 1, &err), TP_EINVAL);
	assert_int_equal(tp_prepush_parse(&l, "\n", 1, &err), TP_EINVAL);
	assert_string_equal(err.msg,
			    "line 1: expected 4 space-separated fields, "
			    "found 1");
	assert_null(l);
}

/* ------------------------------------------------------------------ */
/* prepush.tsv                                                          */
/* ------------------------------------------------------------------ */

/*
 * The records of `want` fed to pre-receive as "<old> <new> <ref>" lines
 * (the remote side's view): the ids, ref, action, kind and tag name must
 * come out the same; local_ref becomes the ref itself, or "(delete)".
 */
static void
check_prereceive(struct jobj *want, int n)
{
	struct tp_push_list *l = NULL;
	struct tp_error err;
	char in[2048], why[256];
	size_t i, off = 0;
	int rc;

	in[0] = '\0';
	for (i = 0; i < (size_t)n; i++) {
		const char *rref = jget(&want[i], "remote_ref");
		const char *action = jget(&want[i], "action");
		const char *old = jget(&want[i], "remote_oid");
		const char *new = jget(&want[i], "local_oid");
		size_t k;

		assert_true(rref && action && old && new);
		off += (size_t)snprintf(in + off, sizeof(in) - off,
					"%s %s %s\n", old, new, rref);
		assert_true(off < sizeof(in));
		for (k = 0; k < want[i].n; k++)
			if (strcmp(want[i].key[k], "local_ref") == 0)
				snprintf(want[i].val[k], JVAL, "%s",
					 strcmp(action, "delete") == 0 ?
					 "(delete)" : rref);
	}
	tp_error_init(&err);
	rc = tp_prereceive_parse(&l, in, off, &err);
	if (rc != 0) {
		print_error("stdin '%s'\nfailed: %s\n", in, err.msg);
		fail();
	}
	if (l->nr != (size_t)n) {
		print_error("stdin '%s'\ngot %zu records, want %d\n", in,
			    l->nr, n);
		tp_push_list_free(l);
		fail();
	}
	for (i = 0; i < l->nr; i++) {
		if (!record_matches(&l->updates[i], &want[i], why,
				    sizeof(why))) {
			print_error("stdin '%s'\nrecord %zu: %s\n", in, i,
				    why);
			tp_push_list_free(l);
			fail();
		}
	}
	tp_push_list_free(l);
}

/*
 * Ours: `stdin` and `expected_records_json`.  argv1_remote_name and
 * argv2_remote_url are the hook's arguments, which the `hook` command
 * handles, not this parser.  An expected `[{"error": TEXT}]` means the
 * input is malformed: TP_EINVAL on line 1 with TEXT in the message.
 * Rows with records are also checked through pre-receive.
 */
static void
test_vector(void **state)
{
	const struct tsv_row *row = *state;
	const struct tsv *t = vectors;
	const char *in = tsv_get(row, tsv_col(t, "stdin"));
	size_t len = tsv_len(row, tsv_col(t, "stdin"));
	const char *json = tsv_get(row, tsv_col(t, "expected_records_json"));
	struct jobj want[JRECS];
	struct tp_push_list *l = NULL;
	struct tp_error err;
	const char *want_err;
	char why[256];
	int n, rc;
	size_t i;

	n = jparse(json, want, JRECS);
	if (n < 0) {
		print_error("cannot read expected_records_json '%s'\n", json);
		fail();
	}
	want_err = n == 1 ? jget(&want[0], "error") : NULL;
	tp_error_init(&err);
	rc = tp_prepush_parse(&l, in, len, &err);
	if (want_err != NULL) {
		if (rc == TP_EINVAL && l == NULL &&
		    strncmp(err.msg, "line 1: ", 8) == 0 &&
		    strstr(err.msg, want_err) != NULL)
			return;
		print_error("stdin '%s'\ngot rc %d message '%s'\n"
			    "want TP_EINVAL, 'line 1: ...%s...'\n", in, rc,
			    err.msg, want_err);
		tp_push_list_free(l);
		fail();
	}
	if (rc != 0) {
		print_error("stdin '%s'\nfailed: %s\n", in, err.msg);
		fail();
	}
	if (l->nr != (size_t)n) {
		print_error("stdin '%s'\ngot %zu records, want %d\n", in,
			    l->nr, n);
		tp_push_list_free(l);
		fail();
	}
	for (i = 0; i < l->nr; i++) {
		if (!record_matches(&l->updates[i], &want[i], why,
				    sizeof(why))) {
			print_error("stdin '%s'\nrecord %zu: %s\n", in, i,
				    why);
			tp_push_list_free(l);
			fail();
		}
	}
	tp_push_list_free(l);
	check_prereceive(want, n);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tsv *t = tsv_load("prepush.tsv");
	int rc;

	vectors = t;
	tlist_unit(&l, test_empty);
	tlist_unit(&l, test_not_terminated_and_copied);
	tlist_unit(&l, test_local_ref_with_spaces);
	tlist_unit(&l, test_kinds);
	tlist_unit(&l, test_sha256);
	tlist_unit(&l, test_prepush_errors);
	tlist_unit(&l, test_nul_byte);
	tlist_unit(&l, test_error_excerpt);
	tlist_unit(&l, test_prereceive);
	tlist_unit(&l, test_prereceive_errors);
	tlist_unit(&l, test_first_error_wins);
	tlist_add_tsv(&l, t, test_vector, NULL);
	rc = tlist_run(&l, "prepush");
	tsv_free(t);
	return rc;
}
