/*
 * test-listin.c: input lists, as lines and as registry JSON.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tsv.h"
#include "listin.h"

#define S(lit) lit, sizeof(lit) - 1
#define BOM "\xef\xbb\xbf"

/* What one item should be; `len` 0 means strlen(text). */
struct want {
	const char *text;
	unsigned line;
	const char *problem;
	size_t len;
};

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

static struct tp_list *
parse_ok(const char *data, size_t len)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	char in[512];

	tp_error_init(&err);
	if (tp_list_parse(&l, data, len, &err) != 0) {
		print_error("parsing \"%s\": %s\n",
			    show(in, sizeof(in), data, len), err.msg);
		fail();
	}
	assert_non_null(l);
	return l;
}

static void
check_items(const struct tp_list *l, const struct want *w, size_t n,
	    const char *data, size_t len)
{
	char in[512], got[128];
	size_t i, wl;

	if (l->n != n) {
		print_error("input \"%s\": %zu items, want %zu\n",
			    show(in, sizeof(in), data, len), l->n, n);
		fail();
	}
	for (i = 0; i < n; i++) {
		const struct tp_item *it = &l->items[i];

		wl = w[i].len ? w[i].len : strlen(w[i].text);
		if (it->len != wl || memcmp(it->text, w[i].text, wl) != 0 ||
		    it->line != w[i].line ||
		    (it->problem == NULL) != (w[i].problem == NULL) ||
		    (it->problem && strcmp(it->problem, w[i].problem) != 0)) {
			print_error("input \"%s\": item %zu is \"%s\" line %u "
				    "problem %s; want line %u problem %s\n",
				    show(in, sizeof(in), data, len), i,
				    show(got, sizeof(got), it->text, it->len),
				    it->line,
				    it->problem ? it->problem : "none",
				    w[i].line,
				    w[i].problem ? w[i].problem : "none");
			fail();
		}
		/* NUL-terminated in place */
		assert_int_equal(it->text[it->len], '\0');
		if (it->problem == NULL)
			assert_int_equal(strlen(it->text), it->len);
	}
}

#define EXPECT_ITEMS(data, ...) \
	do { \
		static const struct want w_[] = { __VA_ARGS__ }; \
		struct tp_list *l_ = parse_ok(S(data)); \
		check_items(l_, w_, sizeof(w_) / sizeof(w_[0]), S(data)); \
		assert_false(l_->json); \
		tp_list_free(l_); \
	} while (0)

#define CHECK_EMPTY(data) \
	do { \
		struct tp_list *l_ = parse_ok(S(data)); \
		check_items(l_, NULL, 0, S(data)); \
		tp_list_free(l_); \
	} while (0)

/* ------------------------------------------------------------------ */
/* text lists                                                          */
/* ------------------------------------------------------------------ */

static void
test_lines(void **state)
{
	(void)state;
	EXPECT_ITEMS("a\nb\nc\n", { "a", 1, NULL, 0 }, { "b", 2, NULL, 0 },
		     { "c", 3, NULL, 0 });
	EXPECT_ITEMS("v1.2.3", { "v1.2.3", 1, NULL, 0 });
	EXPECT_ITEMS("a\nb", { "a", 1, NULL, 0 }, { "b", 2, NULL, 0 });
	EXPECT_ITEMS("[\"a\"]\n", { "[\"a\"]", 1, NULL, 0 });
	EXPECT_ITEMS("a{\n{b\n", { "a{", 1, NULL, 0 }, { "{b", 2, NULL, 0 });
}

static void
test_crlf_and_white_space(void **state)
{
	(void)state;
	EXPECT_ITEMS("a\r\nb\r\n", { "a", 1, NULL, 0 }, { "b", 2, NULL, 0 });
	EXPECT_ITEMS("a\r\nb", { "a", 1, NULL, 0 }, { "b", 2, NULL, 0 });
	EXPECT_ITEMS("  a  \n\tb\t\n \t c \r\n\v d \f\n", { "a", 1, NULL, 0 },
		     { "b", 2, NULL, 0 }, { "c", 3, NULL, 0 },
		     { "d", 4, NULL, 0 });
	EXPECT_ITEMS(" a b \n", { "a b", 1, NULL, 0 });
	/* only line ends split: a lone CR stays inside the item */
	EXPECT_ITEMS("a\rb\n", { "a\rb", 1, NULL, 0 });
	/* non-ASCII white space is not trimmed */
	EXPECT_ITEMS("\xc2\xa0x\xc2\xa0\n",
		     { "\xc2\xa0x\xc2\xa0", 1, NULL, 0 });
	/* a byte order mark at the start is dropped, elsewhere kept */
	EXPECT_ITEMS(BOM "a\n" BOM "b\n", { "a", 1, NULL, 0 },
		     { BOM "b", 2, NULL, 0 });
}

static void
test_blank_and_comments(void **state)
{
	(void)state;
	EXPECT_ITEMS("\n\n a\n\n\n b\n   \n\t\n\r\n", { "a", 3, NULL, 0 },
		     { "b", 6, NULL, 0 });
	EXPECT_ITEMS("# c\na\n  # indented\nb#kept\n#\n\t#x\r\n",
		     { "a", 2, NULL, 0 }, { "b#kept", 4, NULL, 0 });
	CHECK_EMPTY("");
	CHECK_EMPTY("\n");
	CHECK_EMPTY(" \n\t\r\n# only a comment\n  ");
	CHECK_EMPTY(BOM);
}

static void
test_empty_input(void **state)
{
	struct tp_list *l = NULL;

	(void)state;
	assert_int_equal(tp_list_parse(&l, NULL, 0, NULL), 0);
	assert_non_null(l);
	assert_int_equal(l->n, 0);
	assert_false(l->json);
	assert_null(l->repository);
	tp_list_free(l);
	tp_list_free(NULL);
}

static void
test_nul_bytes(void **state)
{
	(void)state;
	EXPECT_ITEMS("a\0b\nc\n", { "a\0b", 1, TP_ITEM_NUL, 3 },
		     { "c", 2, NULL, 0 });
	EXPECT_ITEMS("x\n\0\n", { "x", 1, NULL, 0 },
		     { "\0", 2, TP_ITEM_NUL, 1 });
	EXPECT_ITEMS(" a\0 \r\n", { "a\0", 1, TP_ITEM_NUL, 2 });
	/* the NUL wins over invalid UTF-8 */
	EXPECT_ITEMS("\xff\0\n", { "\xff\0", 1, TP_ITEM_NUL, 2 });
	EXPECT_ITEMS("end\0", { "end\0", 1, TP_ITEM_NUL, 4 });
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	EXPECT_ITEMS(
		"\xc0\xaf\n" /* overlong '/' */
		"\xe0\x80\xaf\n" /* overlong, 3 bytes */
		"\xf0\x80\x80\xaf\n" /* overlong, 4 bytes */
		"\xed\xa0\x80\n" /* surrogate U+D800 */
		"v\xed\xbf\xbf\n" /* surrogate U+DFFF */
		"x\xe2\x82y\n" /* truncated inside a line */
		"x\xe2\x82\n" /* truncated at the end of a line */
		"\x80\n" /* lone continuation byte */
		"\xff\n"
		"\xf4\x90\x80\x80\n" /* above U+10FFFF */
		"\xf5\x80\x80\x80\n"
		"ok\n"
		"\xf0\x9f\x98", /* truncated at the end of input */
		{ "\xc0\xaf", 1, TP_ITEM_UTF8, 0 },
		{ "\xe0\x80\xaf", 2, TP_ITEM_UTF8, 0 },
		{ "\xf0\x80\x80\xaf", 3, TP_ITEM_UTF8, 0 },
		{ "\xed\xa0\x80", 4, TP_ITEM_UTF8, 0 },
		{ "v\xed\xbf\xbf", 5, TP_ITEM_UTF8, 0 },
		{ "x\xe2\x82y", 6, TP_ITEM_UTF8, 0 },
		{ "x\xe2\x82", 7, TP_ITEM_UTF8, 0 },
		{ "\x80", 8, TP_ITEM_UTF8, 0 }, { "\xff", 9, TP_ITEM_UTF8, 0 },
		{ "\xf4\x90\x80\x80", 10, TP_ITEM_UTF8, 0 },
		{ "\xf5\x80\x80\x80", 11, TP_ITEM_UTF8, 0 },
		{ "ok", 12, NULL, 0 }, { "\xf0\x9f\x98", 13, TP_ITEM_UTF8, 0 });
	/* well-formed UTF-8 is not a problem */
	EXPECT_ITEMS("caf\xc3\xa9\n\xf0\x9f\x98\x80\n\xef\xbf\xbf\n"
		     "\xf4\x8f\xbf\xbf\n\xed\x9f\xbf\n",
		     { "caf\xc3\xa9", 1, NULL, 0 },
		     { "\xf0\x9f\x98\x80", 2, NULL, 0 },
		     { "\xef\xbf\xbf", 3, NULL, 0 },
		     { "\xf4\x8f\xbf\xbf", 4, NULL, 0 },
		     { "\xed\x9f\xbf", 5, NULL, 0 });
}

/* The caller's data is copied, never written. */
static void
test_input_untouched(void **state)
{
	char data[] = " a \r\nb";
	struct tp_list *l;

	(void)state;
	l = parse_ok(data, sizeof(data) - 1);
	assert_int_equal(l->n, 2);
	assert_memory_equal(data, " a \r\nb", sizeof(data));
	assert_true(l->items[0].text < data ||
		    l->items[0].text >= data + sizeof(data));
	tp_list_free(l);
}

/* ------------------------------------------------------------------ */
/* JSON lists                                                          */
/* ------------------------------------------------------------------ */

static void
check_repo(const struct tp_list *l, const char *repo)
{
	if (repo == NULL)
		assert_null(l->repository);
	else
		assert_string_equal(l->repository, repo);
}

#define CHECK_JSON(data, repo, ...) \
	do { \
		static const struct want w_[] = { __VA_ARGS__ }; \
		struct tp_list *l_ = parse_ok(S(data)); \
		check_items(l_, w_, sizeof(w_) / sizeof(w_[0]), S(data)); \
		assert_true(l_->json); \
		check_repo(l_, (repo)); \
		tp_list_free(l_); \
	} while (0)

static void
test_json_oci(void **state)
{
	(void)state;
	CHECK_JSON("{\"name\":\"library/alpine\",\"tags\":[\"3.19\","
		   "\"latest\"]}",
		   "library/alpine", { "3.19", 1, NULL, 0 },
		   { "latest", 1, NULL, 0 });
	/* white space before the brace, members in any order */
	CHECK_JSON("\n \t\r\n{\"tags\":[\"a\"],\n\"name\":\"x/y\"}\n", "x/y",
		   { "a", 3, NULL, 0 });
	CHECK_JSON("\xef\xbb\xbf{\"tags\":[\"a\"]}", NULL, { "a", 1, NULL, 0 });
}

static void
test_json_skopeo(void **state)
{
	(void)state;
	CHECK_JSON("{\n"
		   "    \"Repository\": \"docker.io/library/alpine\",\n"
		   "    \"Tags\": [\n"
		   "        \"3.18\",\n"
		   "        \"3.19\",\n"
		   "        \"latest\"\n"
		   "    ]\n"
		   "}\n",
		   "docker.io/library/alpine", { "3.18", 4, NULL, 0 },
		   { "3.19", 5, NULL, 0 }, { "latest", 6, NULL, 0 });
}

static void
test_json_docker_hub(void **state)
{
	struct tp_list *l;

	(void)state;
	CHECK_JSON("{\"count\":2,\"next\":null,\"previous\":null,\"results\":"
		   "[{\"creator\":7,\"id\":2,\"images\":[{\"architecture\":"
		   "\"amd64\"}],\"name\":\"latest\",\"tag_status\":"
		   "\"active\"},\n{\"name\":\"3.19\"}]}",
		   NULL, { "latest", 1, NULL, 0 }, { "3.19", 2, NULL, 0 });
	l = parse_ok(S("{\"count\":2,\"next\":null,\"results\":[]}"));
	assert_false(l->partial);
	tp_list_free(l);
	l = parse_ok(S("{\"count\":200,\"next\":\"https://hub.docker.com/v2/"
		       "repositories/library/alpine/tags?page=2\","
		       "\"results\":[{\"name\":\"a\"}]}"));
	assert_true(l->partial);
	assert_int_equal(l->n, 1);
	tp_list_free(l);
}

static void
test_json_empty(void **state)
{
	struct tp_list *l;

	(void)state;
	l = parse_ok(S("{\"name\":\"app\",\"tags\":null}"));
	assert_true(l->json);
	assert_int_equal(l->n, 0);
	assert_string_equal(l->repository, "app");
	tp_list_free(l);
	l = parse_ok(S("{\"Repository\":\"app\",\"Tags\":[]}"));
	assert_int_equal(l->n, 0);
	assert_string_equal(l->repository, "app");
	tp_list_free(l);
	l = parse_ok(S("{\"results\":null}"));
	assert_int_equal(l->n, 0);
	tp_list_free(l);
	l = parse_ok(S("{\"name\":null,\"tags\":[]}"));
	assert_null(l->repository);
	tp_list_free(l);
}

/* JSON tags are taken as written, and checked like lines. */
static void
test_json_item_problems(void **state)
{
	(void)state;
	CHECK_JSON("{\"tags\":[\"a\\u0000b\",\"\xff\",\" ok \",\"\\ud800\","
		   "\"\",\"#c\",\"\\u00e9\"]}",
		   NULL, { "a\0b", 1, TP_ITEM_NUL, 3 },
		   { "\xff", 1, TP_ITEM_UTF8, 0 }, { " ok ", 1, NULL, 0 },
		   { "\xed\xa0\x80", 1, TP_ITEM_UTF8, 0 }, { "", 1, NULL, 0 },
		   { "#c", 1, NULL, 0 }, { "\xc3\xa9", 1, NULL, 0 });
}

struct err_case {
	const char *in;
	size_t len;
	const char *want;
};

static const struct err_case json_errors[] = {
	{ S("{}"), "JSON input has neither 'tags' nor 'results'" },
	{ S("{\"name\":\"x\"}"), "JSON input has neither 'tags' nor "
				 "'results'" },
	{ S("{\"tag\":[\"a\"]}"), "JSON input has neither 'tags' nor "
				  "'results'" },
	{ S("{\"tags\":[1]}"), "JSON input: 'tags' element 1 (line 1) is a "
			       "number, not a string" },
	{ S("{\"Tags\":[\"a\",\n null]}"), "JSON input: 'Tags' element 2 "
					   "(line 2) is null, not a string" },
	{ S("{\"tags\":[[\"a\"]]}"), "JSON input: 'tags' element 1 (line 1) "
				     "is an array, not a string" },
	{ S("{\"tags\":\"a\"}"), "JSON input: 'tags' is a string, not an "
				 "array" },
	{ S("{\"tags\":{}}"), "JSON input: 'tags' is an object, not an "
			      "array" },
	{ S("{\"results\":[{\"name\":\"a\"},\n{\"id\":1}]}"),
	  "JSON input: 'results' element 2 (line 2) has no 'name' string" },
	{ S("{\"results\":[\"a\"]}"), "JSON input: 'results' element 1 "
				      "(line 1) has no 'name' string" },
	{ S("{\"results\":[{\"name\":5}]}"), "JSON input: 'results' element "
					     "1 (line 1) has no 'name' "
					     "string" },
	{ S("{\"results\":true}"), "JSON input: 'results' is a boolean, not "
				   "an array" },
	{ S("{\"name\":1,\"tags\":[]}"), "JSON input: 'name' is a number, "
					 "not a string" },
	{ S("{\"Repository\":[],\"tags\":[]}"), "JSON input: 'Repository' "
						"is an array, not a string" },
	{ S("{\"tags\":[\"a\"]"), "invalid JSON: line 1, column 14: "
				  "unexpected end of input, expected ',' or "
				  "'}'" },
	{ S("{\"tags\":[\"a\",]}"), "invalid JSON: line 1, column 14: "
				    "unexpected character ']', expected a "
				    "value" },
	{ S("{tags}"), "invalid JSON: line 1, column 2: unexpected "
		       "character 't', expected a member name or '}'" },
	{ S("{\n\"tags\": [\"a\"]\n} x"),
	  "invalid JSON: line 3, column 3: "
	  "trailing data after the JSON value" },
	{ S("{\"tags\":[\"a\"]}\n{\"tags\":[\"b\"]}\n"),
	  "invalid JSON: line 2, column 1: trailing data after the JSON "
	  "value" },
	{ S("  {\"tags\":[\"a\nb\"]}"), "invalid JSON: line 1, column 14: "
					"unescaped control character U+000A "
					"in string" },
};

static void
test_json_errors(void **state)
{
	struct tp_list *l;
	struct tp_error err;
	char in[256];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(json_errors) / sizeof(json_errors[0]); i++) {
		const struct err_case *c = &json_errors[i];

		tp_error_init(&err);
		l = (struct tp_list *)&err; /* must become NULL */
		rc = tp_list_parse(&l, c->in, c->len, &err);
		if (rc != TP_EINVAL || strcmp(err.msg, c->want) != 0) {
			print_error("input \"%s\": got %d \"%s\", want "
				    "\"%s\"\n",
				    show(in, sizeof(in), c->in, c->len), rc,
				    err.msg, c->want);
			fail();
		}
		assert_null(l);
		assert_int_equal(tp_list_parse(&l, c->in, c->len, NULL),
				 TP_EINVAL);
		assert_null(l);
	}
}

/* ------------------------------------------------------------------ */
/* reading from descriptors and files                                  */
/* ------------------------------------------------------------------ */

static FILE *
temp_with(const char *data, size_t len)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fflush(f), 0);
	assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
	return f;
}

static void
test_read_fd_file(void **state)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	FILE *f;

	(void)state;
	tp_error_init(&err);
	f = temp_with(S("a\n# c\n b \n"));
	assert_int_equal(tp_list_read_fd(&l, fileno(f), "t.txt", &err), 0);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->items[1].text, "b");
	assert_int_equal(l->items[1].line, 3);
	tp_list_free(l);
	fclose(f);

	f = temp_with(S(""));
	assert_int_equal(tp_list_read_fd(&l, fileno(f), "t.txt", &err), 0);
	assert_int_equal(l->n, 0);
	tp_list_free(l);
	fclose(f);

	/* the parse error names the input */
	f = temp_with(S("{\"x\":1}"));
	assert_int_equal(tp_list_read_fd(&l, fileno(f), "t.json", &err),
			 TP_EINVAL);
	assert_null(l);
	assert_string_equal(err.msg, "'t.json': JSON input has neither "
				     "'tags' nor 'results'");
	assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, fileno(f), "-", &err), TP_EINVAL);
	assert_string_equal(err.msg, "standard input: JSON input has neither "
				     "'tags' nor 'results'");
	assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, fileno(f), NULL, &err), TP_EINVAL);
	assert_string_equal(err.msg, "JSON input has neither 'tags' nor "
				     "'results'");
	fclose(f);
}

/*
 * A pipe fed by another program (seq, run without the test's heap so that
 * valgrind follows only us), larger than the pipe buffer and the first
 * read; then one that grows the buffer past the size read into huge
 * pages (6.6 MB).
 */
static void
test_read_fd_pipe(void **state)
{
	static const char *const counts[] = { "50000", "600000" };
	static const char *const last[] = { "tag-50000", "tag-600000" };
	struct tp_list *l = NULL;
	struct tp_error err;
	int fds[2], status;
	size_t k, n;
	pid_t pid;

	(void)state;
	for (k = 0; k < 2; k++) {
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			if (dup2(fds[1], 1) == 1)
				execlp("seq", "seq", "-f", "tag-%.0f",
				       counts[k], (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		tp_error_init(&err);
		assert_int_equal(tp_list_read_fd(&l, fds[0], "-", &err), 0);
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		n = (size_t)atol(counts[k]);
		assert_int_equal(l->n, n);
		assert_string_equal(l->items[0].text, "tag-1");
		assert_string_equal(l->items[n - 1].text, last[k]);
		assert_int_equal(l->items[n - 1].line, n);
		tp_list_free(l);
	}
}

static void
test_read_fd_errors(void **state)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	int fd;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, -1, "x", &err), TP_EIO);
	assert_null(l);
	assert_string_equal(err.msg, "cannot read 'x': Bad file descriptor");
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, -1, "-", &err), TP_EIO);
	assert_string_equal(err.msg, "cannot read standard input: Bad file "
				     "descriptor");
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, -1, NULL, &err), TP_EIO);
	assert_string_equal(err.msg, "cannot read input: Bad file "
				     "descriptor");
	fd = open(".", O_RDONLY);
	assert_true(fd >= 0);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd(&l, fd, ".", &err), TP_EIO);
	assert_string_equal(err.msg, "cannot read '.': Is a directory");
	close(fd);
	assert_int_equal(tp_list_read_fd(&l, -1, "x", NULL), TP_EIO);
}

static void
test_read_fd_limit(void **state)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	char *big;
	FILE *f;
	size_t mib2 = (size_t)2 << 20;
	int fds[2];

	(void)state;
	f = temp_with(S("123456789\n"));
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd_max(&l, fileno(f), "t", 10, &err), 0);
	assert_int_equal(l->n, 1);
	tp_list_free(l);
	assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
	assert_int_equal(tp_list_read_fd_max(&l, fileno(f), "t", 9, &err),
			 TP_ENOMEM);
	assert_null(l);
	assert_string_equal(err.msg, "'t' is larger than 9 bytes");
	fclose(f);

	/* through a pipe, where the size is not known in advance */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789abc", 13), 13);
	close(fds[1]);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd_max(&l, fds[0], "-", 12, &err),
			 TP_ENOMEM);
	assert_string_equal(err.msg, "standard input is larger than 12 "
				     "bytes");
	close(fds[0]);

	big = malloc(mib2 + 1);
	assert_non_null(big);
	memset(big, 'x', mib2 + 1);
	f = temp_with(big, mib2 + 1);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd_max(&l, fileno(f), "big", mib2, &err),
			 TP_ENOMEM);
	assert_string_equal(err.msg, "'big' is larger than 2 MiB");
	assert_int_equal(lseek(fileno(f), 1, SEEK_SET), 1);
	assert_int_equal(tp_list_read_fd_max(&l, fileno(f), "big", mib2, &err),
			 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->items[0].len, mib2);
	tp_list_free(l);
	fclose(f);
	free(big);
}

static void
test_read_path(void **state)
{
	struct tp_list *l = NULL;
	struct tp_error err;
	char path[] = "/tmp/test-listin-XXXXXX";
	int fd;

	(void)state;
	tp_error_init(&err);
	assert_int_equal(tp_list_read_path(&l, "/nonexistent/tags.txt", &err),
			 TP_EIO);
	assert_null(l);
	assert_string_equal(err.msg, "cannot open '/nonexistent/tags.txt': "
				     "No such file or directory");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"tags\":[\"v1\"]}\n", 16), 16);
	close(fd);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_path(&l, path, &err), 0);
	unlink(path);
	assert_true(l->json);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->items[0].text, "v1");
	tp_list_free(l);
}

/* ------------------------------------------------------------------ */
/* a million lines                                                     */
/* ------------------------------------------------------------------ */

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Correctness on a large input; the timing goes to stderr for people. */
static void
test_million_lines(void **state)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_list *l;
	struct tp_error err;
	double t0, t1, t2;
	FILE *f;
	int i;

	(void)state;
	for (i = 0; i < 1000000; i++)
		assert_int_equal(tp_buf_printf(&b, "v%d.%d.%d\n", i / 10000,
					       i / 100 % 100, i % 100),
				 0);
	t0 = seconds();
	l = parse_ok(b.ptr, b.len);
	t1 = seconds();
	assert_int_equal(l->n, 1000000);
	assert_string_equal(l->items[0].text, "v0.0.0");
	assert_string_equal(l->items[999999].text, "v99.99.99");
	assert_int_equal(l->items[999999].line, 1000000);
	assert_null(l->items[123456].problem);
	tp_list_free(l);

	f = temp_with(b.ptr, b.len);
	tp_error_init(&err);
	t2 = seconds();
	assert_int_equal(tp_list_read_fd(&l, fileno(f), "big", &err), 0);
	t2 = seconds() - t2;
	assert_int_equal(l->n, 1000000);
	tp_list_free(l);
	fclose(f);
	fprintf(stderr,
		"# 1000000 lines (%zu bytes): tp_list_parse %.1f ms, "
		"tp_list_read_fd %.1f ms\n",
		b.len, (t1 - t0) * 1e3, t2 * 1e3);

	/* tags as one JSON document (fewer: valgrind runs this too) */
	tp_buf_clear(&b);
	tp_buf_puts(&b, "{\"name\":\"app\",\"tags\":[");
	for (i = 0; i < 200000; i++)
		tp_buf_printf(&b, "%s\"v%d.%d.%d\"", i ? "," : "", i / 10000,
			      i / 100 % 100, i % 100);
	tp_buf_puts(&b, "]}");
	t0 = seconds();
	l = parse_ok(b.ptr, b.len);
	t1 = seconds();
	assert_int_equal(l->n, 200000);
	assert_string_equal(l->items[199999].text, "v19.99.99");
	tp_list_free(l);
	fprintf(stderr, "# 200000 tags as JSON (%zu bytes): %.1f ms\n", b.len,
		(t1 - t0) * 1e3);
	tp_buf_release(&b);
}

/*
 * The items of a text by the rules, the plain way: lines cut at newlines,
 * white space trimmed, empty lines and '#' lines skipped; a NUL byte or a
 * 0xff byte (never UTF-8) makes a problem.  texts[k] and lens[k], lines[k]
 * and bad[k]; the count.
 */
static size_t
reference_items(const char *s, size_t n, const char **texts, size_t *lens,
		unsigned *lines, int *bad)
{
	size_t i = 0, k = 0, b, e, j;
	unsigned line = 0;

	while (i < n) {
		line++;
		for (e = i; e < n && s[e] != '\n'; e++)
			;
		b = i;
		i = e + 1;
		while (b < e && strchr(" \t\r\v\f", s[b]) != NULL && s[b])
			b++;
		while (e > b && strchr(" \t\r\v\f", s[e - 1]) != NULL &&
		       s[e - 1])
			e--;
		if (b == e || s[b] == '#')
			continue;
		texts[k] = s + b;
		lens[k] = e - b;
		lines[k] = line;
		bad[k] = 0;
		for (j = b; j < e; j++)
			bad[k] |= s[j] == '\0' || (unsigned char)s[j] == 0xff;
		k++;
	}
	return k;
}

/* One generated text through both readers, checked against the rules. */
static void
check_generated(const char *s, size_t n, size_t part)
{
	enum { MAXN = 4096 };
	static const char *texts[MAXN];
	static size_t lens[MAXN];
	static unsigned lines[MAXN];
	static int bad[MAXN];
	struct tp_list_cursor c;
	struct tp_list *l = NULL;
	struct tp_error err;
	struct tp_item it;
	size_t want = reference_items(s, n, texts, lens, lines, bad), k, p;
	char in[512];
	FILE *f;

	l = parse_ok(s, n);
	if (l->n != want) {
		print_error("\"%s\": %zu items, want %zu\n",
			    show(in, sizeof(in), s, n), l->n, want);
		fail();
	}
	for (k = 0; k < want; k++) {
		assert_int_equal(l->items[k].len, lens[k]);
		assert_memory_equal(l->items[k].text, texts[k], lens[k]);
		assert_int_equal(l->items[k].line, lines[k]);
		assert_int_equal(l->items[k].problem != NULL, bad[k]);
	}
	tp_list_free(l);

	/* in parts of about `part` bytes, item by item from each part */
	f = temp_with(s, n);
	tp_error_init(&err);
	assert_int_equal(tp_list_read_fd_parts(&l, fileno(f), "g", part, &err),
			 0);
	fclose(f);
	assert_int_equal(l->n, want);
	for (p = 0, k = 0; p < l->nparts; p++) {
		assert_int_equal(l->parts[p].first, k);
		tp_list_cursor_init(&c, &l->parts[p]);
		while (tp_list_cursor_next(&c, &it)) {
			assert_true(k < want);
			assert_int_equal(it.len, lens[k]);
			assert_memory_equal(it.text, texts[k], lens[k]);
			assert_int_equal(it.line, lines[k]);
			assert_int_equal(it.problem != NULL, bad[k]);
			k++;
		}
		assert_int_equal(k, l->parts[p].first + l->parts[p].n);
	}
	assert_int_equal(k, want);
	tp_list_free(l);
}

/*
 * The counting of parts looks at many bytes at a time, and takes a part
 * whose bytes are all of tags apart without trimming: texts of every
 * kind of byte the rules care about, at every place in a word, are read
 * as the rules say, whole and in parts.
 */
static void
test_generated_texts(void **state)
{
	/* a tag's bytes, newlines, white space, '#', NUL, UTF-8, 0xff */
	static const char *const pieces[] = {
		"v1.2.3", "a", "10", "-", "$", "\n", "\n", "\n", " ", "\t",
		"\r", "#", "\0", "\xc3\xa9", "\xff", "\v", "\f", "~" };
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	char s[700];
	size_t n, len, t, k, odd;
	unsigned seed = 12345;

	(void)state;
	for (t = 0; t < 3000; t++) {
		/* mostly tags; now and then one other piece */
		len = 1 + (seed = seed * 1103515245u + 12345u) % 600;
		odd = t % 3 == 0 ? 0 : (seed >> 8) % 40;
		for (n = 0; n + 8 < len;) {
			seed = seed * 1103515245u + 12345u;
			k = odd && (seed >> 16) % odd == 0 ? (seed >> 8) % np
			    : (seed >> 20) % 4 == 0	  ? 5
							  : (seed >> 8) % 5;
			memcpy(s + n, pieces[k], strlen(pieces[k]) + (k == 12));
			n += strlen(pieces[k]) + (k == 12);
		}
		check_generated(s, n, 1 + t % 97);
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_lines);
	tlist_unit(&l, test_crlf_and_white_space);
	tlist_unit(&l, test_blank_and_comments);
	tlist_unit(&l, test_empty_input);
	tlist_unit(&l, test_nul_bytes);
	tlist_unit(&l, test_invalid_utf8);
	tlist_unit(&l, test_input_untouched);
	tlist_unit(&l, test_json_oci);
	tlist_unit(&l, test_json_skopeo);
	tlist_unit(&l, test_json_docker_hub);
	tlist_unit(&l, test_json_empty);
	tlist_unit(&l, test_json_item_problems);
	tlist_unit(&l, test_json_errors);
	tlist_unit(&l, test_read_fd_file);
	tlist_unit(&l, test_read_fd_pipe);
	tlist_unit(&l, test_read_fd_errors);
	tlist_unit(&l, test_read_fd_limit);
	tlist_unit(&l, test_read_path);
	tlist_unit(&l, test_million_lines);
	tlist_unit(&l, test_generated_texts);
	return tlist_run(&l, "listin");
}
