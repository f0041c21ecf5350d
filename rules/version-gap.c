/*
 * version-gap: each release is an increment of the one before it.
 *
 * Among the releases of one kind in one scope and one repository (the
 * name of an image reference, or none: tp_lint_keyed_repo), prereleases
 * left out,
 * in precedence order with equal versions taken once, every version must
 * be one of the three increments of the one before it: 1.2.3 may be
 * followed by 1.2.4, 1.3.0 or 2.0.0.  Kinds with only some of the parts
 * ("{major}.{minor}") count with the parts they have.
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rule.h"

/* A release: its version is at hand, the result is built only to report. */
struct elig {
	struct tp_version v;
	const struct tp_keyed *k;
	size_t kind;
	size_t repo; /* tp_lint_keyed_repo(k): k->text[0..repo) */
};

/* The order of repositories: any, as long as one repository is together. */
static int
repo_cmp(const struct elig *a, const struct elig *b)
{
	if (a->repo != b->repo)
		return a->repo < b->repo ? -1 : 1;
	return memcmp(a->k->text, b->k->text, a->repo);
}

static int
by_kind_version(const void *pa, const void *pb)
{
	const struct elig *a = pa, *b = pb;
	int c;

	if (a->k->scope != b->k->scope)
		return a->k->scope < b->k->scope ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = repo_cmp(a, b);
	if (c != 0)
		return c;
	c = tp_version_cmp(&a->v, &b->v);
	if (c != 0)
		return c;
	return a->k->index < b->k->index ? -1 : a->k->index > b->k->index;
}

/* Appends the decimal s[0..n) plus one. */
static int
put_inc(struct tp_buf *b, const char *s, size_t n)
{
	size_t start = b->len, i;

	if (tp_buf_put(b, s, n) < 0)
		return TP_ENOMEM;
	for (i = b->len; i > start; i--) {
		if (b->ptr[i - 1] != '9') {
			b->ptr[i - 1]++;
			return 0;
		}
		b->ptr[i - 1] = '0';
	}
	if (tp_buf_putc(b, '0') < 0)
		return TP_ENOMEM;
	b->ptr[start] = '1';
	return 0;
}

static int
eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static int
is_zero(const char *s, size_t n)
{
	return n == 1 && s[0] == '0';
}

/* b == a + 1, using `tmp` as scratch. */
static int
succ(struct tp_buf *tmp, const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0)
		return 0;
	tp_buf_clear(tmp);
	if (put_inc(tmp, a, alen) < 0)
		return -1;
	return eq(tmp->ptr, tmp->len, b, blen);
}

#define VMAJ(v) (v)->str + (v)->major_off, (v)->major_len
#define VMIN(v) (v)->str + (v)->minor_off, (v)->minor_len
#define VPAT(v) (v)->str + (v)->patch_off, (v)->patch_len

/* 1 when b is an increment of a, 0 when not, -1 out of memory. */
static int
is_next(struct tp_buf *tmp, const struct tp_version *a,
	const struct tp_version *b)
{
	int s;

	if ((s = succ(tmp, VMAJ(a), VMAJ(b))) != 0)
		return s < 0 ? -1
			     : (a->minor_len == 0 || is_zero(VMIN(b))) &&
				       (a->patch_len == 0 || is_zero(VPAT(b)));
	if (!eq(VMAJ(a), VMAJ(b)))
		return 0;
	if ((s = succ(tmp, VMIN(a), VMIN(b))) != 0)
		return s < 0 ? -1 : a->patch_len == 0 || is_zero(VPAT(b));
	if (!eq(VMIN(a), VMIN(b)))
		return 0;
	return succ(tmp, VPAT(a), VPAT(b));
}

/* Appends the increment of `a` at `level` (0 major, 1 minor, 2 patch). */
static int
put_next(struct tp_buf *b, const struct tp_version *a, int level)
{
	const char *p[3] = { a->str + a->major_off, a->str + a->minor_off,
			     a->str + a->patch_off };
	size_t n[3] = { a->major_len, a->minor_len, a->patch_len };
	int i, error = 0, first = 1;

	for (i = 0; i < 3; i++) {
		if (n[i] == 0)
			continue;
		if (!first)
			error |= tp_buf_putc(b, '.');
		first = 0;
		if (i < level)
			error |= tp_buf_put(b, p[i], n[i]);
		else if (i == level)
			error |= put_inc(b, p[i], n[i]);
		else
			error |= tp_buf_putc(b, '0');
	}
	return error ? TP_ENOMEM : 0;
}

static int
expected(struct tp_buf *b, const struct tp_version *a)
{
	const size_t n[3] = { a->patch_len, a->minor_len, a->major_len };
	int level, k = 0, total = 0, error = 0;

	for (level = 0; level < 3; level++)
		total += n[level] > 0;
	/* lowest increment first: patch, minor, major */
	for (level = 2; level >= 0; level--) {
		const size_t len = level == 2	? a->patch_len
				   : level == 1 ? a->minor_len
						: a->major_len;

		if (len == 0)
			continue;
		if (k > 0)
			error |= tp_buf_puts(b, k + 1 == total ? " or " : ", ");
		error |= put_next(b, a, level);
		k++;
	}
	return error ? TP_ENOMEM : 0;
}

static int
gap(struct tp_lint *run, const struct tp_rule_conf *conf, struct tp_buf *tmp,
    const struct elig *prev, const struct elig *cur)
{
	struct tp_buf a = TP_BUF_INIT, b = TP_BUF_INIT, e = TP_BUF_INIT;
	const struct tp_keyed *pair[2];
	int r, error = 0;

	r = is_next(tmp, &prev->v, &cur->v);
	if (r != 0)
		return r < 0 ? TP_ENOMEM : 0;
	if (tp_lint_version_parts(&a, &prev->v) < 0 ||
	    tp_lint_version_parts(&b, &cur->v) < 0 ||
	    expected(&e, &prev->v) < 0) {
		error = TP_ENOMEM;
	} else {
		pair[0] = prev->k->index < cur->k->index ? prev->k : cur->k;
		pair[1] = prev->k->index < cur->k->index ? cur->k : prev->k;
		tp_lint_report_set_keyed(
			run, conf, (enum tp_scope)cur->k->scope, pair, 2,
			"%s follows %s (kind '%s'); expected %s", b.ptr, a.ptr,
			tp_lint_keyed_kind(run, cur->k)->name, e.ptr);
	}
	tp_buf_release(&a);
	tp_buf_release(&b);
	tp_buf_release(&e);
	return error;
}

static void
check_set(struct tp_lint *run, const struct tp_rule_conf *conf)
{
	const struct tp_keyed *kd;
	struct elig *el = NULL;
	struct tp_buf tmp = TP_BUF_INIT;
	const struct elig *prev = NULL, *e;
	size_t count, n = 0, i;

	kd = tp_lint_keyed(run, &count);
	el = malloc((count ? count : 1) * sizeof(*el));
	if (el == NULL) {
		tp_lint_fail(run, TP_ENOMEM);
		return;
	}
	for (i = 0; i < count; i++) {
		if (tp_lint_level(conf, (enum tp_scope)kd[i].scope) ==
		    TP_LEVEL_OFF)
			continue;
		if (tp_lint_keyed_version(run, &kd[i], &el[n].v) < 0)
			goto done;
		if (el[n].v.pre_len > 0)
			continue;
		el[n].k = &kd[i];
		el[n].repo = tp_lint_keyed_repo(&kd[i]);
		el[n++].kind = kd[i].kind;
	}
	qsort(el, n, sizeof(*el), by_kind_version);
	for (i = 0; i < n; i++) {
		e = &el[i];
		if (prev == NULL || prev->k->scope != e->k->scope ||
		    prev->k->kind != e->k->kind || repo_cmp(prev, e) != 0) {
			prev = e;
			continue;
		}
		if (tp_version_cmp(&prev->v, &e->v) == 0)
			continue;
		if (gap(run, conf, &tmp, prev, e) < 0) {
			tp_lint_fail(run, TP_ENOMEM);
			break;
		}
		prev = e;
	}
done:
	tp_buf_release(&tmp);
	free(el);
}

const struct tp_rule_desc tp_rule_version_gap = {
	.id = "version-gap",
	.summary = "each release is an increment of the one before it",
	.flags = TP_RULE_SET,
	.default_level = { [TP_SCOPE_GIT] = TP_LEVEL_OFF,
			   [TP_SCOPE_IMAGE] = TP_LEVEL_OFF },
	.opt = TP_ROPT_NONE,
	.check_set = check_set,
};
