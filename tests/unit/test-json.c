/*
 * test-json.c: JSON string literals, the streaming writer and the reader.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "json.h"

#define S(lit) lit, sizeof(lit) - 1

/* The vector files whose `_json` columns the reader must take. */
static struct tsv *vec_meta, *vec_prepush;

/* `s` as a C literal, for failure messages. */
static const char *
show(char *out, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < len && o + 5 < size; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------------ */
/* string literals                                                     */
/* ------------------------------------------------------------------ */

struct lit_case {
	const char *in;
	size_t in_len;
	const char *want;
};

#define FFFD "\xef\xbf\xbd"

static const struct lit_case lit_cases[] = {
	{ S(""), "\"\"" },
	{ S("abc"), "\"abc\"" },
	{ S("a\"b"), "\"a\\\"b\"" },
	{ S("a\\b"), "\"a\\\\b\"" },
	{ S("/"), "\"/\"" },
	{ S("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"" },
	{ S("\x01\x1f"), "\"\\u0001\\u001f\"" },
	{ S("\0x"), "\"\\u0000x\"" },
	{ S("\x7f"), "\"\\u007f\"" },
	{ S("v1.2.3-rc.1+build.5"), "\"v1.2.3-rc.1+build.5\"" },
	/* well-formed UTF-8 passes through */
	{ S("\xc3\xa9"), "\"\xc3\xa9\"" },
	{ S("\xe2\x82\xac"), "\"\xe2\x82\xac\"" },
	{ S("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"" },
	{ S("\xef\xbf\xbf"), "\"\xef\xbf\xbf\"" },
	{ S("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"" },
	{ S("\xed\x9f\xbf"), "\"\xed\x9f\xbf\"" },
	/* ill-formed: one U+FFFD per maximal subpart */
	{ S("\xff"), "\"" FFFD "\"" },
	{ S("\x80"), "\"" FFFD "\"" },
	{ S("a\xc3"), "\"a" FFFD "\"" },
	{ S("\xc0\xaf"), "\"" FFFD FFFD "\"" },
	{ S("\xe0\x80\xaf"), "\"" FFFD FFFD FFFD "\"" },
	{ S("\xed\xa0\x80"), "\"" FFFD FFFD FFFD "\"" },
	{ S("\xe2\x82"), "\"" FFFD "\"" },
	{ S("\xe2\x82\x41"), "\"" FFFD "A\"" },
	{ S("\xf0\x9f\x98"), "\"" FFFD "\"" },
	{ S("\xf0\x9f\x98\"x"), "\"" FFFD "\\\"x\"" },
	{ S("\xf4\x90\x80\x80"), "\"" FFFD FFFD FFFD FFFD "\"" },
	{ S("\xf5\x80"), "\"" FFFD FFFD "\"" },
};

static void
test_str_escapes(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	char in[128], got[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lit_cases) / sizeof(lit_cases[0]); i++) {
		const struct lit_case *c = &lit_cases[i];

		tp_buf_clear(&b);
		assert_int_equal(tp_json_str(&b, c->in, c->in_len), 0);
		if (strcmp(b.ptr, c->want) != 0) {
			print_error("input \"%s\": got %s, want %s\n",
				    show(in, sizeof(in), c->in, c->in_len),
				    show(got, sizeof(got), b.ptr, b.len),
				    c->want);
			fail();
		}
		assert_true(tp_json_utf8_valid(b.ptr, b.len));
	}
	tp_buf_release(&b);
}

static void
test_str_appends(void **state)
{
	struct tp_buf b = TP_BUF_INIT;

	(void)state;
	tp_buf_puts(&b, "x=");
	assert_int_equal(tp_json_str(&b, S("a")), 0);
	assert_string_equal(b.ptr, "x=\"a\"");
	tp_buf_release(&b);
	tp_buf_init(&b, 4);
	assert_int_equal(tp_json_str(&b, S("abc")), TP_ENOMEM);
	tp_buf_release(&b);
}

struct utf8_case {
	const char *s;
	size_t len;
	int valid;
};

static const struct utf8_case utf8_cases[] = {
	{ S(""), 1 },
	{ S("plain"), 1 },
	{ S("a\0b"), 1 },
	{ S("\xc2\x80"), 1 },
	{ S("\xdf\xbf"), 1 },
	{ S("\xe0\xa0\x80"), 1 },
	{ S("\xed\x9f\xbf"), 1 },
	{ S("\xee\x80\x80"), 1 },
	{ S("\xf0\x90\x80\x80"), 1 },
	{ S("\xf4\x8f\xbf\xbf"), 1 },
	{ S("\xc1\xbf"), 0 }, /* overlong */
	{ S("\xe0\x9f\xbf"), 0 }, /* overlong */
	{ S("\xf0\x8f\xbf\xbf"), 0 }, /* overlong */
	{ S("\xed\xa0\x80"), 0 }, /* surrogate */
	{ S("\xed\xbf\xbf"), 0 }, /* surrogate */
	{ S("\xf4\x90\x80\x80"), 0 }, /* above U+10FFFF */
	{ S("\xf8\x88\x80\x80\x80"), 0 }, /* five bytes */
	{ S("\xe2\x82"), 0 }, /* truncated */
	{ S("\xbf"), 0 }, /* lone continuation */
	{ S("\xfe"), 0 },
	{ S("ok\xc3\xa9\xc3"), 0 },
};

static void
test_utf8_valid(void **state)
{
	char in[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		const struct utf8_case *c = &utf8_cases[i];

		if (tp_json_utf8_valid(c->s, c->len) != c->valid) {
			print_error("\"%s\": want valid=%d\n",
				    show(in, sizeof(in), c->s, c->len),
				    c->valid);
			fail();
		}
	}
}

/* Every code point (surrogates excepted) goes out and comes back. */
static void
test_str_every_code_point(void **state)
{
	struct tp_buf in = TP_BUF_INIT, out = TP_BUF_INIT;
	struct tp_json *doc = NULL;
	struct tp_error err;
	unsigned long cp;
	const char *s;
	char u[4];
	size_t n, len;

	(void)state;
	tp_error_init(&err);
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			u[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xc0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xe0 | (cp >> 12));
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			u[0] = (char)(0xf0 | (cp >> 18));
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		assert_int_equal(tp_buf_put(&in, u, n), 0);
	}
	assert_true(tp_json_utf8_valid(in.ptr, in.len));
	assert_int_equal(tp_json_str(&out, in.ptr, in.len), 0);
	assert_int_equal(tp_json_parse(&doc, out.ptr, out.len, &err), 0);
	s = tp_json_string(doc, &len);
	assert_non_null(s);
	assert_int_equal(len, in.len);
	assert_memory_equal(s, in.ptr, len);
	tp_json_free(doc);
	tp_buf_release(&in);
	tp_buf_release(&out);
}

/* Every single byte: ASCII comes back as is, the rest as U+FFFD. */
static void
test_str_every_byte(void **state)
{
	struct tp_buf out = TP_BUF_INIT;
	struct tp_json *doc;
	struct tp_error err;
	const char *s;
	size_t len;
	int c;
	char ch;

	(void)state;
	for (c = 0; c < 256; c++) {
		ch = (char)c;
		tp_error_init(&err);
		tp_buf_clear(&out);
		assert_int_equal(tp_json_str(&out, &ch, 1), 0);
		if (tp_json_parse(&doc, out.ptr, out.len, &err) != 0) {
			print_error("byte 0x%02x: %s: %s\n", c, out.ptr,
				    err.msg);
			fail();
		}
		s = tp_json_string(doc, &len);
		if (c < 0x80) {
			assert_int_equal(len, 1);
			assert_int_equal((unsigned char)s[0], c);
		} else {
			assert_int_equal(len, 3);
			assert_memory_equal(s, FFFD, 3);
		}
		tp_json_free(doc);
	}
	tp_buf_release(&out);
}

/* ------------------------------------------------------------------ */
/* writer                                                              */
/* ------------------------------------------------------------------ */

static int
write_sample(struct tp_json_w *w)
{
	tp_jw_obj_begin(w);
	tp_jw_key(w, "tags");
	tp_jw_arr_begin(w);
	tp_jw_obj_begin(w);
	tp_jw_key(w, "tag");
	tp_jw_str(w, "v1.2.3");
	tp_jw_key(w, "ok");
	tp_jw_bool(w, 1);
	tp_jw_key(w, "kind");
	tp_jw_str(w, NULL);
	tp_jw_key(w, "fields");
	tp_jw_obj_begin(w);
	tp_jw_obj_end(w);
	tp_jw_key(w, "problems");
	tp_jw_arr_begin(w);
	tp_jw_arr_end(w);
	tp_jw_obj_end(w);
	tp_jw_str(w, "x\"y");
	tp_jw_arr_end(w);
	tp_jw_key(w, "summary");
	tp_jw_obj_begin(w);
	tp_jw_key(w, "checked");
	tp_jw_int(w, 2);
	tp_jw_key(w, "failed");
	tp_jw_int(w, -1);
	tp_jw_key(w, "warned");
	tp_jw_bool(w, 0);
	tp_jw_key(w, "none");
	tp_jw_null(w);
	tp_jw_key(w, "n");
	tp_jw_number(w, S("1.5e-3"));
	tp_jw_obj_end(w);
	return tp_jw_obj_end(w);
}

static void
test_writer_compact(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;

	(void)state;
	tp_jw_init(&w, &b, 0);
	assert_int_equal(write_sample(&w), 0);
	assert_int_equal(w.error, 0);
	assert_int_equal(w.depth, 0);
	assert_string_equal(
		b.ptr,
		"{\"tags\":[{\"tag\":\"v1.2.3\",\"ok\":true,\"kind\":null,"
		"\"fields\":{},\"problems\":[]},\"x\\\"y\"],"
		"\"summary\":{\"checked\":2,\"failed\":-1,\"warned\":false,"
		"\"none\":null,\"n\":1.5e-3}}");
	tp_buf_release(&b);
}

static void
test_writer_pretty(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;

	(void)state;
	tp_jw_init(&w, &b, 1);
	assert_int_equal(write_sample(&w), 0);
	assert_string_equal(b.ptr, "{\n"
				   "  \"tags\": [\n"
				   "    {\n"
				   "      \"tag\": \"v1.2.3\",\n"
				   "      \"ok\": true,\n"
				   "      \"kind\": null,\n"
				   "      \"fields\": {},\n"
				   "      \"problems\": []\n"
				   "    },\n"
				   "    \"x\\\"y\"\n"
				   "  ],\n"
				   "  \"summary\": {\n"
				   "    \"checked\": 2,\n"
				   "    \"failed\": -1,\n"
				   "    \"warned\": false,\n"
				   "    \"none\": null,\n"
				   "    \"n\": 1.5e-3\n"
				   "  }\n"
				   "}");
	tp_buf_release(&b);
}

static void
test_writer_scalars(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;

	(void)state;
	tp_jw_init(&w, &b, 1);
	assert_int_equal(tp_jw_strn(&w, S("a\0b")), 0);
	assert_string_equal(b.ptr, "\"a\\u0000b\"");
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	assert_int_equal(tp_jw_arr_begin(&w), 0);
	assert_int_equal(tp_jw_int(&w, LLONG_MIN), 0);
	assert_int_equal(tp_jw_int(&w, LLONG_MAX), 0);
	assert_int_equal(tp_jw_int(&w, 0), 0);
	assert_int_equal(tp_jw_arr_end(&w), 0);
	assert_string_equal(b.ptr, "[-9223372036854775808,"
				   "9223372036854775807,0]");
	tp_buf_release(&b);
}

static void
test_writer_number_checked(void **state)
{
	static const char *bad[] = { "",   "01", "1.",	 ".5",	"+1", "1 ",
				     "1e", "-",	 "0x10", "NaN", "1e+" };
	static const char *good[] = {
		"0",   "-0",   "10",	 "-1.25",
		"1e9", "2E-7", "0.0e+0", "123456789012345678901234567890"
	};
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tp_buf_clear(&b);
		tp_jw_init(&w, &b, 0);
		if (tp_jw_number(&w, bad[i], strlen(bad[i])) != TP_EINVAL) {
			print_error("number '%s' accepted\n", bad[i]);
			fail();
		}
		assert_int_equal(b.len, 0);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		tp_buf_clear(&b);
		tp_jw_init(&w, &b, 0);
		if (tp_jw_number(&w, good[i], strlen(good[i])) != 0) {
			print_error("number '%s' refused\n", good[i]);
			fail();
		}
		assert_string_equal(b.ptr, good[i]);
	}
	tp_buf_release(&b);
}

/* Misuse fails with TP_ERROR, writes nothing, and stays failed. */
static void
test_writer_misuse(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;
	size_t len;
	int i;

	(void)state;
	/* a value in an object without a key */
	tp_jw_init(&w, &b, 0);
	tp_jw_obj_begin(&w);
	len = b.len;
	assert_int_equal(tp_jw_str(&w, "x"), TP_ERROR);
	assert_int_equal(b.len, len);
	assert_int_equal(tp_jw_key(&w, "k"), TP_ERROR);
	assert_int_equal(tp_jw_obj_end(&w), TP_ERROR);
	assert_int_equal(b.len, len);
	assert_int_equal(w.error, TP_ERROR);

	/* a key in an array */
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	tp_jw_arr_begin(&w);
	assert_int_equal(tp_jw_key(&w, "k"), TP_ERROR);

	/* a key at the top, two keys in a row, a key without a value */
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	assert_int_equal(tp_jw_key(&w, "k"), TP_ERROR);
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "k");
	assert_int_equal(tp_jw_key(&w, "l"), TP_ERROR);
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "k");
	assert_int_equal(tp_jw_obj_end(&w), TP_ERROR);

	/* mismatched and extra ends */
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	tp_jw_arr_begin(&w);
	assert_int_equal(tp_jw_obj_end(&w), TP_ERROR);
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	assert_int_equal(tp_jw_arr_end(&w), TP_ERROR);

	/* a second document */
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	assert_int_equal(tp_jw_int(&w, 1), 0);
	assert_int_equal(tp_jw_int(&w, 2), TP_ERROR);
	assert_string_equal(b.ptr, "1");

	/* nesting */
	tp_buf_clear(&b);
	tp_jw_init(&w, &b, 0);
	for (i = 0; i < TP_JSON_MAX_DEPTH; i++)
		assert_int_equal(tp_jw_arr_begin(&w), 0);
	assert_int_equal(tp_jw_arr_begin(&w), TP_ERROR);
	assert_int_equal(b.len, TP_JSON_MAX_DEPTH);
	tp_buf_release(&b);
}

static void
test_writer_enomem_sticky(void **state)
{
	struct tp_buf b;
	struct tp_json_w w;

	(void)state;
	tp_buf_init(&b, 16);
	tp_jw_init(&w, &b, 0);
	assert_int_equal(tp_jw_arr_begin(&w), 0);
	assert_int_equal(tp_jw_str(&w, "short"), 0);
	assert_int_equal(tp_jw_str(&w, "much too long for it"), TP_ENOMEM);
	assert_int_equal(tp_jw_null(&w), TP_ENOMEM);
	assert_int_equal(tp_jw_arr_end(&w), TP_ENOMEM);
	assert_int_equal(w.error, TP_ENOMEM);
	tp_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* reader                                                              */
/* ------------------------------------------------------------------ */

static struct tp_json *
parse_ok(const char *s, size_t len)
{
	struct tp_json *doc = NULL;
	struct tp_error err;
	char in[512];

	tp_error_init(&err);
	if (tp_json_parse(&doc, s, len, &err) != 0) {
		print_error("parsing \"%s\": %s\n",
			    show(in, sizeof(in), s, len), err.msg);
		fail();
	}
	assert_non_null(doc);
	assert_int_equal(err.code, 0);
	return doc;
}

static void
test_parse_types(void **state)
{
	static const char text[] =
		"{\"s\":\"x\",\"n\":-0.5e+10,\"t\":true,\"f\":false,"
		"\"z\":null,\"a\":[1,\"2\",[]],\"o\":{}}";
	static const char *keys[] = { "s", "n", "t", "f", "z", "a", "o" };
	static const enum tp_json_type types[] = {
		TP_JSON_STRING, TP_JSON_NUMBER, TP_JSON_TRUE,  TP_JSON_FALSE,
		TP_JSON_NULL,	TP_JSON_ARRAY,	TP_JSON_OBJECT
	};
	struct tp_json *doc = parse_ok(S(text));
	const struct tp_json *a, *m;
	size_t i, len;

	(void)state;
	assert_int_equal(tp_json_type(doc), TP_JSON_OBJECT);
	assert_int_equal(tp_json_len(doc), 7);
	for (i = 0; i < 7; i++) {
		m = tp_json_at(doc, i);
		assert_string_equal(tp_json_key(m, &len), keys[i]);
		assert_int_equal(len, 1);
		assert_int_equal(tp_json_type(m), types[i]);
		assert_ptr_equal(tp_json_get(doc, keys[i]), m);
	}
	assert_null(tp_json_at(doc, 7));
	assert_string_equal(tp_json_string(tp_json_get(doc, "s"), &len), "x");
	assert_int_equal(len, 1);
	assert_string_equal(tp_json_number(tp_json_get(doc, "n"), &len),
			    "-0.5e+10");
	assert_int_equal(len, 8);
	a = tp_json_get(doc, "a");
	assert_int_equal(tp_json_len(a), 3);
	assert_string_equal(tp_json_number(tp_json_at(a, 0), NULL), "1");
	assert_string_equal(tp_json_string(tp_json_at(a, 1), NULL), "2");
	assert_int_equal(tp_json_type(tp_json_at(a, 2)), TP_JSON_ARRAY);
	assert_int_equal(tp_json_len(tp_json_at(a, 2)), 0);
	assert_null(tp_json_key(tp_json_at(a, 0), NULL));
	assert_int_equal(tp_json_len(tp_json_get(doc, "o")), 0);
	assert_true(tp_json_mem(doc) > 0);
	tp_json_free(doc);
}

static void
test_parse_top_scalars(void **state)
{
	struct tp_json *doc;

	(void)state;
	doc = parse_ok(S("\"x\""));
	assert_string_equal(tp_json_string(doc, NULL), "x");
	assert_null(tp_json_key(doc, NULL));
	tp_json_free(doc);
	doc = parse_ok(S(" \r\n\t 0 \n"));
	assert_string_equal(tp_json_number(doc, NULL), "0");
	tp_json_free(doc);
	doc = parse_ok(S("true"));
	assert_int_equal(tp_json_type(doc), TP_JSON_TRUE);
	tp_json_free(doc);
	doc = parse_ok(S("null"));
	assert_int_equal(tp_json_type(doc), TP_JSON_NULL);
	tp_json_free(doc);
	doc = parse_ok(S("[ ]"));
	assert_int_equal(tp_json_type(doc), TP_JSON_ARRAY);
	tp_json_free(doc);
}

static void
test_parse_escapes(void **state)
{
	static const char want[] = "\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac"
				   "\xf0\x9f\x98\x80\0x";
	struct tp_json *doc;
	const char *s;
	size_t len;

	(void)state;
	doc = parse_ok(S("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC"
			 "\\ud83d\\uDE00\\u0000x\""));
	s = tp_json_string(doc, &len);
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(s, want, len);
	assert_int_equal(s[len], '\0');
	tp_json_free(doc);

	/* unpaired surrogates: three bytes each, not valid UTF-8 */
	doc = parse_ok(S("[\"\\ud800\",\"\\udc00x\",\"\\ud800\\u0041\","
			 "\"\\ud800\\ud800\",\"\\ud800\\\\\"]"));
	s = tp_json_string(tp_json_at(doc, 0), &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "\xed\xa0\x80", 3);
	assert_false(tp_json_utf8_valid(s, len));
	s = tp_json_string(tp_json_at(doc, 1), &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xed\xb0\x80x", 4);
	s = tp_json_string(tp_json_at(doc, 2), &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xed\xa0\x80\x41", 4);
	s = tp_json_string(tp_json_at(doc, 3), &len);
	assert_int_equal(len, 6);
	assert_memory_equal(s, "\xed\xa0\x80\xed\xa0\x80", 6);
	s = tp_json_string(tp_json_at(doc, 4), &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xed\xa0\x80\\", 4);
	tp_json_free(doc);

	/* raw bytes are kept, even ill-formed ones */
	doc = parse_ok(S("\"\xff\xc3\xa9\x7f\""));
	s = tp_json_string(doc, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xff\xc3\xa9\x7f", 4);
	tp_json_free(doc);
}

static void
test_parse_duplicates_and_null_safety(void **state)
{
	struct tp_json *doc = parse_ok(S("{\"a\":1,\"b\":[],\"a\":2}"));
	const struct tp_json *arr;

	(void)state;
	assert_int_equal(tp_json_len(doc), 3);
	assert_string_equal(tp_json_number(tp_json_get(doc, "a"), NULL), "2");
	assert_null(tp_json_get(doc, "c"));
	assert_null(tp_json_get(doc, ""));
	arr = tp_json_get(doc, "b");
	assert_null(tp_json_get(arr, "a"));
	assert_null(tp_json_at(arr, 0));
	assert_null(tp_json_string(doc, NULL));
	assert_null(tp_json_number(arr, NULL));
	assert_int_equal(tp_json_type(NULL), TP_JSON_NONE);
	assert_null(tp_json_get(NULL, "a"));
	assert_null(tp_json_get(tp_json_get(doc, "x"), "y"));
	assert_int_equal(tp_json_len(NULL), 0);
	assert_null(tp_json_at(NULL, 0));
	assert_null(tp_json_key(NULL, NULL));
	assert_null(tp_json_string(NULL, NULL));
	assert_int_equal(tp_json_line(NULL), 0);
	assert_int_equal(tp_json_len(tp_json_get(doc, "a")), 0);
	tp_json_free(doc);
	tp_json_free(NULL);
}

static void
test_parse_lines(void **state)
{
	static const char text[] = "{\n"
				   "  \"name\": \"app\",\n"
				   "  \"tags\": [\n"
				   "    \"a\",\n"
				   "\n"
				   "    \"b\", \"c\"\n"
				   "  ]\n"
				   "}\n";
	struct tp_json *doc = parse_ok(S(text));
	const struct tp_json *tags;

	(void)state;
	assert_int_equal(tp_json_line(doc), 1);
	assert_int_equal(tp_json_line(tp_json_get(doc, "name")), 2);
	tags = tp_json_get(doc, "tags");
	assert_int_equal(tp_json_line(tags), 3);
	assert_int_equal(tp_json_line(tp_json_at(tags, 0)), 4);
	assert_int_equal(tp_json_line(tp_json_at(tags, 1)), 6);
	assert_int_equal(tp_json_line(tp_json_at(tags, 2)), 6);
	tp_json_free(doc);
}

struct err_case {
	const char *in;
	size_t len;
	const char *want;
};

static const struct err_case err_cases[] = {
	{ S(""), "line 1, column 1: unexpected end of input, expected a "
		 "value" },
	{ S("  \n "), "line 2, column 2: unexpected end of input, expected "
		      "a value" },
	{ S("["), "line 1, column 2: unexpected end of input, expected a "
		  "value" },
	{ S("[1"), "line 1, column 3: unexpected end of input, expected "
		   "',' or ']'" },
	{ S("{"), "line 1, column 2: unexpected end of input, expected a "
		  "member name or '}'" },
	{ S("{\"a\""), "line 1, column 5: unexpected end of input, "
		       "expected ':'" },
	{ S("{\"a\":"), "line 1, column 6: unexpected end of input, "
			"expected a value" },
	{ S("{\"a\":1"), "line 1, column 7: unexpected end of input, "
			 "expected ',' or '}'" },
	{ S("[1,]"), "line 1, column 4: unexpected character ']', expected "
		     "a value" },
	{ S("[1 2]"), "line 1, column 4: unexpected character '2', "
		      "expected ',' or ']'" },
	{ S("{\"a\" 1}"), "line 1, column 6: unexpected character '1', "
			  "expected ':'" },
	{ S("{\"a\":1,}"), "line 1, column 8: unexpected character '}', "
			   "expected a member name" },
	{ S("{a:1}"), "line 1, column 2: unexpected character 'a', "
		      "expected a member name or '}'" },
	{ S("{\"a\":1 \"b\":2}"), "line 1, column 8: unexpected character "
				  "'\"', expected ',' or '}'" },
	{ S("\"abc"), "line 1, column 1: unterminated string" },
	{ S("[\n  \"abc"), "line 2, column 3: unterminated string" },
	{ S("\"\\"), "line 1, column 1: unterminated string" },
	{ S("\"\\u"), "line 1, column 1: unterminated string" },
	{ S("\"a\\qb\""), "line 1, column 3: invalid escape '\\q'" },
	{ S("\"a\\\x01\""), "line 1, column 3: invalid escape" },
	{ S("\"\\u12G4\""), "line 1, column 2: invalid escape: '\\u' needs "
			    "4 hex digits" },
	{ S("\"\\u12\""), "line 1, column 2: invalid escape: '\\u' needs "
			  "4 hex digits" },
	{ S("\"a\nb\""), "line 1, column 3: unescaped control character "
			 "U+000A in string" },
	{ S("[\"a\tb\"]"), "line 1, column 4: unescaped control character "
			   "U+0009 in string" },
	{ S("1 2"), "line 1, column 3: trailing data after the JSON value" },
	{ S("{}\n\n  x"), "line 3, column 3: trailing data after the JSON "
			  "value" },
	{ S("[1]]"), "line 1, column 4: trailing data after the JSON "
		     "value" },
	{ S("falsey"), "line 1, column 6: trailing data after the JSON "
		       "value" },
	{ S("falsy"), "line 1, column 1: invalid literal, expected 'false'" },
	{ S("01"), "line 1, column 1: invalid number: leading zero" },
	{ S("[-01]"), "line 1, column 2: invalid number: leading zero" },
	{ S("-"), "line 1, column 1: invalid number: digit expected after "
		  "'-'" },
	{ S("-x"), "line 1, column 1: invalid number: digit expected after "
		   "'-'" },
	{ S("1."), "line 1, column 1: invalid number: digit expected after "
		   "'.'" },
	{ S("1.e5"), "line 1, column 1: invalid number: digit expected "
		     "after '.'" },
	{ S("1e"), "line 1, column 1: invalid number: digit expected in "
		   "the exponent" },
	{ S("[1E+]"), "line 1, column 2: invalid number: digit expected in "
		      "the exponent" },
	{ S(".5"), "line 1, column 1: unexpected character '.', expected a "
		   "value" },
	{ S("+1"), "line 1, column 1: unexpected character '+', expected a "
		   "value" },
	{ S("tru"), "line 1, column 1: invalid literal, expected 'true'" },
	{ S("[nul]"), "line 1, column 2: invalid literal, expected 'null'" },
	{ S("fals"), "line 1, column 1: invalid literal, expected 'false'" },
	{ S("NaN"), "line 1, column 1: unexpected character 'N', expected a "
		    "value" },
	{ S("'a'"), "line 1, column 1: unexpected character ''', expected "
		    "a value" },
	{ S("[\xc3\xa9]"), "line 1, column 2: unexpected character "
			   "'\xc3\xa9', expected a value" },
	{ S("[\"\xc3\xa9\" x]"), "line 1, column 6: unexpected character "
				 "'x', expected ',' or ']'" },
	{ S("[\xff]"), "line 1, column 2: unexpected byte 0xff, expected a "
		       "value" },
	{ S("[\x01]"), "line 1, column 2: unexpected control character "
		       "U+0001, expected a value" },
	{ S("[\0]"), "line 1, column 2: unexpected control character "
		     "U+0000, expected a value" },
	{ S("\xef\xbb\xbf{}"), "line 1, column 1: unexpected character "
			       "'\xef\xbb\xbf', expected a value" },
	{ S("{\n\"a\": [1,\n 2,,]}"), "line 3, column 4: unexpected "
				      "character ',', expected a value" },
	{ S("{\"a\":[1]\r\n,\"b\" ; }"), "line 2, column 6: unexpected "
					 "character ';', expected ':'" },
};

static void
test_parse_errors(void **state)
{
	struct tp_json *doc;
	struct tp_error err;
	char in[128];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];

		tp_error_init(&err);
		doc = (struct tp_json *)&err; /* must become NULL */
		rc = tp_json_parse(&doc, c->in, c->len, &err);
		if (rc != TP_EINVAL || strcmp(err.msg, c->want) != 0) {
			print_error("input \"%s\": got %d \"%s\", want "
				    "\"%s\"\n",
				    show(in, sizeof(in), c->in, c->len), rc,
				    err.msg, c->want);
			fail();
		}
		assert_null(doc);
		assert_int_equal(err.code, TP_EINVAL);
		/* err may be NULL */
		assert_int_equal(tp_json_parse(&doc, c->in, c->len, NULL),
				 TP_EINVAL);
		assert_null(doc);
	}
	/* a NULL text is the empty text */
	tp_error_init(&err);
	assert_int_equal(tp_json_parse(&doc, NULL, 0, &err), TP_EINVAL);
	assert_string_equal(err.msg, "line 1, column 1: unexpected end of "
				     "input, expected a value");
}

static void
test_parse_depth(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json *doc = NULL;
	struct tp_error err;
	int i;

	(void)state;
	/* 64 levels, arrays and objects mixed */
	for (i = 0; i < TP_JSON_MAX_DEPTH; i++)
		tp_buf_puts(&b, i % 2 ? "{\"k\":" : "[");
	tp_buf_puts(&b, "1");
	for (i = TP_JSON_MAX_DEPTH - 1; i >= 0; i--)
		tp_buf_puts(&b, i % 2 ? "}" : "]");
	tp_error_init(&err);
	assert_int_equal(tp_json_parse(&doc, b.ptr, b.len, &err), 0);
	tp_json_free(doc);

	/* 65 */
	tp_buf_clear(&b);
	for (i = 0; i < TP_JSON_MAX_DEPTH + 1; i++)
		tp_buf_puts(&b, "[");
	for (i = 0; i < TP_JSON_MAX_DEPTH + 1; i++)
		tp_buf_puts(&b, "]");
	tp_error_init(&err);
	assert_int_equal(tp_json_parse(&doc, b.ptr, b.len, &err), TP_EINVAL);
	assert_string_equal(err.msg, "line 1, column 65: nesting too deep "
				     "(more than 64 levels)");

	/* far deeper: refused at the limit, not a stack overflow */
	tp_buf_clear(&b);
	for (i = 0; i < 200000; i++)
		tp_buf_puts(&b, "{\"a\":[");
	tp_error_init(&err);
	assert_int_equal(tp_json_parse(&doc, b.ptr, b.len, &err), TP_EINVAL);
	assert_string_equal(err.msg, "line 1, column 193: nesting too deep "
				     "(more than 64 levels)");
	assert_null(doc);
	tp_buf_release(&b);
}

static void
test_parse_memory_limit(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json *doc = NULL;
	struct tp_error err;
	size_t small;
	int i;

	(void)state;
	tp_buf_puts(&b, "[\"first\"");
	for (i = 0; i < 10000; i++)
		tp_buf_printf(&b, ",%d", i);
	tp_buf_puts(&b, "]");

	doc = parse_ok(S("[1]"));
	small = tp_json_mem(doc);
	tp_json_free(doc);
	doc = parse_ok(b.ptr, b.len);
	assert_int_equal(tp_json_len(doc), 10001);
	assert_true(tp_json_mem(doc) > small);
	assert_true(tp_json_mem(doc) > 10000 * 8);
	assert_string_equal(tp_json_number(tp_json_at(doc, 10000), NULL),
			    "9999");
	tp_json_free(doc);

	tp_error_init(&err);
	assert_int_equal(tp_json_parse_max(&doc, b.ptr, b.len, 100000, &err),
			 TP_ENOMEM);
	assert_string_equal(err.msg, "JSON document needs more than 100000 "
				     "bytes of memory");
	assert_null(doc);
	/* one string larger than the limit */
	tp_buf_clear(&b);
	tp_buf_putc(&b, '"');
	for (i = 0; i < 200000; i++)
		tp_buf_putc(&b, 'x');
	tp_buf_putc(&b, '"');
	tp_error_init(&err);
	assert_int_equal(tp_json_parse_max(&doc, b.ptr, b.len, 100000, &err),
			 TP_ENOMEM);
	assert_null(doc);
	assert_int_equal(tp_json_parse_max(&doc, b.ptr, b.len, 0, &err), 0);
	assert_int_equal(tp_json_len(doc), 0);
	tp_json_free(doc);
	tp_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* round trips                                                         */
/* ------------------------------------------------------------------ */

static int
json_equal(const struct tp_json *a, const struct tp_json *b)
{
	const char *sa, *sb;
	size_t la = 0, lb = 0, i;

	if (tp_json_type(a) != tp_json_type(b))
		return 0;
	switch (tp_json_type(a)) {
	case TP_JSON_STRING:
		sa = tp_json_string(a, &la);
		sb = tp_json_string(b, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case TP_JSON_NUMBER:
		sa = tp_json_number(a, &la);
		sb = tp_json_number(b, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case TP_JSON_ARRAY:
	case TP_JSON_OBJECT:
		if (tp_json_len(a) != tp_json_len(b))
			return 0;
		for (i = 0; i < tp_json_len(a); i++) {
			if (tp_json_type(a) == TP_JSON_OBJECT) {
				sa = tp_json_key(tp_json_at(a, i), &la);
				sb = tp_json_key(tp_json_at(b, i), &lb);
				if (la != lb || memcmp(sa, sb, la) != 0)
					return 0;
			}
			if (!json_equal(tp_json_at(a, i), tp_json_at(b, i)))
				return 0;
		}
		return 1;
	default: return 1;
	}
}

/* `text` parses; writing it back (compact, pretty) gives the same value. */
static void
check_round_trip(const char *text, size_t len)
{
	struct tp_buf c1 = TP_BUF_INIT, c2 = TP_BUF_INIT, pr = TP_BUF_INIT;
	struct tp_json *d1, *d2, *d3;
	struct tp_json_w w;

	d1 = parse_ok(text, len);
	tp_jw_init(&w, &c1, 0);
	assert_int_equal(tp_jw_value(&w, d1), 0);
	d2 = parse_ok(c1.ptr, c1.len);
	tp_jw_init(&w, &c2, 0);
	assert_int_equal(tp_jw_value(&w, d2), 0);
	tp_jw_init(&w, &pr, 1);
	assert_int_equal(tp_jw_value(&w, d1), 0);
	d3 = parse_ok(pr.ptr, pr.len);
	if (!json_equal(d1, d2) || !json_equal(d1, d3) ||
	    strcmp(c1.ptr, c2.ptr) != 0) {
		print_error("round trip of %s gave %s and\n%s\n", text, c1.ptr,
			    pr.ptr);
		fail();
	}
	tp_json_free(d1);
	tp_json_free(d2);
	tp_json_free(d3);
	tp_buf_release(&c1);
	tp_buf_release(&c2);
	tp_buf_release(&pr);
}

static void
test_round_trip(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_json_w w;
	struct tp_json *doc;
	const struct tp_json *v;
	const char *s;
	size_t len;

	(void)state;
	check_round_trip(S("{\"a\\u0000b\":[\"\\u0001\\\"\\\\\",-0,1E+2,"
			   "{\"\":{}},[[]],true,false,null],"
			   "\"\xc3\xa9\":\"\\ud83d\\ude00\"}"));
	check_round_trip(S("\"just a string\""));
	check_round_trip(S("[]"));

	/* writer to reader with awkward keys and values */
	tp_jw_init(&w, &b, 1);
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "k\"\n");
	tp_jw_strn(&w, S("tab\there\x01\x7f\xc3\xa9"));
	tp_jw_key(&w, "bad");
	tp_jw_strn(&w, S("\xffok"));
	assert_int_equal(tp_jw_obj_end(&w), 0);
	doc = parse_ok(b.ptr, b.len);
	v = tp_json_get(doc, "k\"\n");
	s = tp_json_string(v, &len);
	assert_int_equal(len, 12);
	assert_memory_equal(s, "tab\there\x01\x7f\xc3\xa9", len);
	assert_string_equal(tp_json_string(tp_json_get(doc, "bad"), NULL),
			    FFFD "ok");
	tp_json_free(doc);
	tp_buf_release(&b);
}

/* Every JSON column of the vector files parses and round-trips. */
static void
check_vector_row(const struct tsv *t, const struct tsv_row *row)
{
	size_t c, nl;

	for (c = 0; c < t->ncols; c++) {
		nl = strlen(t->col[c]);
		if (nl < 5 || strcmp(t->col[c] + nl - 5, "_json") != 0 ||
		    tsv_len(row, c) == 0)
			continue;
		check_round_trip(tsv_get(row, c), tsv_len(row, c));
	}
}

static void
test_vector_meta(void **state)
{
	check_vector_row(vec_meta, *state);
}

static void
test_vector_prepush(void **state)
{
	check_vector_row(vec_prepush, *state);
}

/* Rows without any JSON field have nothing for the reader. */
static int
want_json_row(const struct tsv *t, const struct tsv_row *row)
{
	size_t c, nl;

	for (c = 0; c < t->ncols; c++) {
		nl = strlen(t->col[c]);
		if (nl >= 5 && strcmp(t->col[c] + nl - 5, "_json") == 0 &&
		    tsv_len(row, c) > 0)
			return 1;
	}
	return 0;
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	int rc;

	vec_meta = tsv_load("metadata-action.tsv");
	vec_prepush = tsv_load("prepush.tsv");
	tlist_unit(&l, test_str_escapes);
	tlist_unit(&l, test_str_appends);
	tlist_unit(&l, test_utf8_valid);
	tlist_unit(&l, test_str_every_code_point);
	tlist_unit(&l, test_str_every_byte);
	tlist_unit(&l, test_writer_compact);
	tlist_unit(&l, test_writer_pretty);
	tlist_unit(&l, test_writer_scalars);
	tlist_unit(&l, test_writer_number_checked);
	tlist_unit(&l, test_writer_misuse);
	tlist_unit(&l, test_writer_enomem_sticky);
	tlist_unit(&l, test_parse_types);
	tlist_unit(&l, test_parse_top_scalars);
	tlist_unit(&l, test_parse_escapes);
	tlist_unit(&l, test_parse_duplicates_and_null_safety);
	tlist_unit(&l, test_parse_lines);
	tlist_unit(&l, test_parse_errors);
	tlist_unit(&l, test_parse_depth);
	tlist_unit(&l, test_parse_memory_limit);
	tlist_unit(&l, test_round_trip);
	tlist_add_tsv(&l, vec_meta, test_vector_meta, want_json_row);
	tlist_add_tsv(&l, vec_prepush, test_vector_prepush, want_json_row);
	rc = tlist_run(&l, "json");
	tsv_free(vec_meta);
	tsv_free(vec_prepush);
	return rc;
}
