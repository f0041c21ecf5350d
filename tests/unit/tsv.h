/*
 * tsv.h: reads the test-vector files in tests/vectors/ (format: see
 * tests/vectors/README.md) for the unit tests.
 */
#ifndef TEST_TSV_H
#define TEST_TSV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Fails the running test with a message when `cond` does not hold. */
#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			print_error(__VA_ARGS__);                            \
			print_error("\n");                                   \
			fail_msg("%s", #cond);                               \
		}                                                            \
	} while (0)

/* One row: `n` fields, each unescaped, NUL-terminated, with its length. */
struct tsv_row {
	size_t n;
	char **field;
	size_t *flen;
	unsigned lineno;
};

struct tsv {
	char *path;
	size_t ncols;
	char **col;           /* header names */
	size_t nrows;
	struct tsv_row *rows; /* data rows, header excluded */
};

/*
 * Loads tests/vectors/<name> relative to $srcdir (or "." when unset).
 * Aborts the test program with a message when the file cannot be read.
 */
struct tsv *tsv_load(const char *name);
void tsv_free(struct tsv *t);

/* Index of column `name`; aborts when the header has no such column. */
size_t tsv_col(const struct tsv *t, const char *name);

/* Field `col` of `row`, "" when the row is shorter. */
const char *tsv_get(const struct tsv_row *row, size_t col);
size_t tsv_len(const struct tsv_row *row, size_t col);

/*
 * A list of cmocka tests run as one group, so that a test program prints a
 * single TAP plan (automake's TAP driver accepts only one).
 */
struct tlist {
	size_t n, cap;
	struct CMUnitTest *tests;
	char **names;
};

#define TLIST_INIT { 0, 0, NULL, NULL }

/* Adds one test; `name` is copied. */
void tlist_add(struct tlist *l, const char *name, void (*fn)(void **state),
	       const void *state);
#define tlist_unit(l, fn) tlist_add((l), #fn, (fn), NULL)

/*
 * Adds `fn` once per row of `t` as a test named "<file>:<line> <first
 * field>", with the row as the test state.  Rows for which `want` returns 0
 * are left out (want may be NULL).
 */
void tlist_add_tsv(struct tlist *l, const struct tsv *t,
		   void (*fn)(void **state),
		   int (*want)(const struct tsv *t, const struct tsv_row *row));

/*
 * Reads the file `rel` under $srcdir (or ".") into a malloc'd,
 * NUL-terminated buffer; fails the running test when it cannot.
 */
char *test_read_src(const char *rel);

struct tp_policy;

/*
 * Loads a policy from YAML text (named "test.yml") or from the file `rel`
 * under $srcdir; fails the running test, printing the error and the text,
 * when it does not load.  The caller frees it with tp_policy_free().
 */
struct tp_policy *test_load_policy(const char *yaml);
struct tp_policy *test_load_policy_src(const char *rel);

/* Runs every test as one group, frees the list, returns cmocka's result. */
int tlist_run(struct tlist *l, const char *group);

#endif
