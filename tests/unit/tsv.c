/*
 * tsv.c: test-vector reader for the unit tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tagpolicy.h"
#include "tsv.h"
#include "utf8.h"

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "tsv: %s%s\n", what, arg);
	exit(99);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory", "");
	return p;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undoes the escapes in place; returns the new length.  \xHH is a byte
 * (the vectors use it for C0 controls and DEL, all < 0x80).
 */
static size_t
unescape(char *s, size_t len)
{
	size_t i = 0, o = 0, k, digits;
	unsigned long cp;

	while (i < len) {
		if (s[i] != '\\' || i + 1 >= len) {
			s[o++] = s[i++];
			continue;
		}
		switch (s[i + 1]) {
		case '\\': s[o++] = '\\'; i += 2; break;
		case 't': s[o++] = '\t'; i += 2; break;
		case 'n': s[o++] = '\n'; i += 2; break;
		case 'r': s[o++] = '\r'; i += 2; break;
		case 'x':
		case 'u':
		case 'U':
			digits = s[i + 1] == 'x' ? 2 : s[i + 1] == 'u' ? 4 : 8;
			if (i + 2 + digits > len)
				die("bad escape in vector file", "");
			cp = 0;
			for (k = 0; k < digits; k++) {
				int h = hexval((unsigned char)s[i + 2 + k]);
				if (h < 0)
					die("bad escape in vector file", "");
				cp = cp * 16 + (unsigned long)h;
			}
			if (s[i + 1] == 'x')
				s[o++] = (char)cp;
			else
				o += tp_utf8_put(s + o, (uint32_t)cp);
			i += 2 + digits;
			break;
		default:
			s[o++] = s[i++];
			break;
		}
	}
	s[o] = '\0';
	return o;
}

static void
split(char *line, size_t len, struct tsv_row *row, int escaped_json_ok,
      char **cols, size_t ncols)
{
	size_t n = 1, i, start = 0, f = 0;

	for (i = 0; i < len; i++)
		if (line[i] == '\t')
			n++;
	row->n = n;
	row->field = xmalloc(n * sizeof(*row->field));
	row->flen = xmalloc(n * sizeof(*row->flen));
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] != '\t')
			continue;
		line[i] = '\0';
		row->field[f] = line + start;
		row->flen[f] = i - start;
		if (escaped_json_ok) {
			const char *name = f < ncols ? cols[f] : "";
			size_t nl = strlen(name);
			if (!(nl >= 5 && strcmp(name + nl - 5, "_json") == 0))
				row->flen[f] = unescape(row->field[f],
							row->flen[f]);
		}
		f++;
		start = i + 1;
	}
}

struct tsv *
tsv_load(const char *name)
{
	const char *srcdir = getenv("srcdir");
	struct tsv *t = xmalloc(sizeof(*t));
	char *data, *p, *end;
	size_t size = 0, cap = 1 << 16, r = 0;
	unsigned lineno = 0;
	FILE *f;
	struct tsv_row hdr;

	memset(t, 0, sizeof(*t));
	size = strlen(srcdir ? srcdir : ".") + strlen(name) + 32;
	t->path = xmalloc(size);
	snprintf(t->path, size, "%s/tests/vectors/%s", srcdir ? srcdir : ".",
		 name);
	size = 0;
	f = fopen(t->path, "rb");
	if (f == NULL)
		die("cannot open ", t->path);
	data = xmalloc(cap);
	for (;;) {
		size_t got = fread(data + size, 1, cap - size - 1, f);
		size += got;
		if (size + 1 < cap)
			break;
		cap *= 2;
		data = realloc(data, cap);
		if (data == NULL)
			die("out of memory", "");
	}
	fclose(f);
	data[size] = '\0';
	t->rows = xmalloc(sizeof(*t->rows) * (size / 2 + 1));
	for (p = data; p < data + size; p = end + 1) {
		end = memchr(p, '\n', (size_t)(data + size - p));
		if (end == NULL)
			end = data + size;
		lineno++;
		if (lineno == 1) {
			split(p, (size_t)(end - p), &hdr, 0, NULL, 0);
			t->ncols = hdr.n;
			t->col = hdr.field;
			free(hdr.flen);
			continue;
		}
		if (end == p)
			continue;
		split(p, (size_t)(end - p), &t->rows[r], 1, t->col, t->ncols);
		t->rows[r].lineno = lineno;
		r++;
	}
	t->nrows = r;
	/* The rows point into `data`; keep it alive through col[0]. */
	return t;
}

void
tsv_free(struct tsv *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].field);
		free(t->rows[i].flen);
	}
	free(t->rows);
	if (t->ncols)
		free(t->col[0]); /* the whole file's bytes start here */
	free(t->col);
	free(t->path);
	free(t);
}

size_t
tsv_col(const struct tsv *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->col[i], name) == 0)
			return i;
	die("vector file has no column ", name);
	return 0;
}

const char *
tsv_get(const struct tsv_row *row, size_t col)
{
	return col < row->n ? row->field[col] : "";
}

size_t
tsv_len(const struct tsv_row *row, size_t col)
{
	return col < row->n ? row->flen[col] : 0;
}

void
tlist_add(struct tlist *l, const char *name, void (*fn)(void **state),
	  const void *state)
{
	size_t len = strlen(name);
	char *c;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->tests = realloc(l->tests, l->cap * sizeof(*l->tests));
		l->names = realloc(l->names, l->cap * sizeof(*l->names));
		if (l->tests == NULL || l->names == NULL)
			die("out of memory", "");
	}
	l->names[l->n] = xmalloc(len + 1);
	memcpy(l->names[l->n], name, len + 1);
	/* keep TAP lines single and free of directives */
	for (c = l->names[l->n]; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '#')
			*c = '?';
	memset(&l->tests[l->n], 0, sizeof(l->tests[l->n]));
	l->tests[l->n].name = l->names[l->n];
	l->tests[l->n].test_func = fn;
	/* cmocka hands the state back as void *; tests treat it as const */
	l->tests[l->n].initial_state = (void *)(uintptr_t)state;
	l->n++;
}

void
tlist_add_tsv(struct tlist *l, const struct tsv *t, void (*fn)(void **state),
	      int (*want)(const struct tsv *t, const struct tsv_row *row))
{
	const char *base = strrchr(t->path, '/');
	char name[128];
	size_t i;

	base = base ? base + 1 : t->path;
	for (i = 0; i < t->nrows; i++) {
		if (want && !want(t, &t->rows[i]))
			continue;
		snprintf(name, sizeof(name), "%s:%u %.60s", base,
			 t->rows[i].lineno, tsv_get(&t->rows[i], 0));
		tlist_add(l, name, fn, &t->rows[i]);
	}
}

int
tlist_run(struct tlist *l, const char *group)
{
	size_t i;
	int rc;

	rc = _cmocka_run_group_tests(group, l->tests, l->n, NULL, NULL);
	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->tests);
	l->n = l->cap = 0;
	l->names = NULL;
	l->tests = NULL;
	return rc;
}

char *
test_read_src(const char *rel)
{
	const char *dir = getenv("srcdir");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", rel);
	f = fopen(path, "rb");
	if (f == NULL) {
		print_error("cannot open %s\n", path);
		fail();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct tp_policy *
test_load_policy(const char *yaml)
{
	struct tp_policy *p = NULL;
	struct tp_error err;

	tp_error_init(&err);
	if (tp_policy_load_buffer(&p, "test.yml", yaml, strlen(yaml), NULL,
				  &err) < 0) {
		print_error("policy does not load: %s:%u:%u: %s\n%s\n",
			    err.file, err.line, err.column, err.msg, yaml);
		fail();
	}
	return p;
}

struct tp_policy *
test_load_policy_src(const char *rel)
{
	char *text = test_read_src(rel);
	struct tp_policy *p = test_load_policy(text);

	free(text);
	return p;
}
