/*
 * listin.c: input lists, one item a line or a registry's JSON tag listing.
 *
 * Speed matters (`check -` over a million lines): the input is read into
 * one buffer, lines are found with memchr, trimmed and NUL-terminated in
 * place, and the items point into that buffer.  A text is cut into parts
 * whose items are counted first, eight bytes at a time when there is
 * nothing to trim or skip (on several threads for a long text); then the
 * item array is made at its size, or the caller takes the parts apart
 * itself (tp_list_read_fd_parts()).
 */
#include <errno.h>
#include <fcntl.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hugepage.h"
#include "json.h"
#include "listin.h"
#include "parts.h"
#include "swar.h"
#include "utf8.h"

#define ITEMS_MIN 256
#define READ_MIN ((size_t)64 << 10)

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

#define PAIRS ((uint64_t)0x00ff00ff00ff00ff)

/* Most items are short ASCII: look at eight bytes at a time. */
static const char *
item_problem(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t w, high = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		if (tp_swar_zero(w))
			return TP_ITEM_NUL;
		high |= w;
	}
	for (; i < len; i++) {
		if (p[i] == 0)
			return TP_ITEM_NUL;
		high |= p[i];
	}
	if ((high & TP_SWAR_HIGHS) && !tp_utf8_valid(s, len))
		return TP_ITEM_UTF8;
	return NULL;
}

static int
list_push(struct tp_list *l, size_t *cap, const char *text, size_t len,
	  unsigned line, struct tp_error *err)
{
	struct tp_item *items, *it;
	size_t n;

	if (l->n == *cap) {
		n = *cap ? *cap * 2 : ITEMS_MIN;
		if (n > SIZE_MAX / sizeof(*items))
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		items = realloc(l->items, n * sizeof(*items));
		if (items == NULL)
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		l->items = items;
		*cap = n;
	}
	it = &l->items[l->n++];
	it->text = text;
	it->len = len;
	it->line = line;
	it->problem = item_problem(text, len);
	return 0;
}

/*
 * A text list is cut into parts of whole lines; each part's lines and
 * items are counted (on several threads when the text is long), and the
 * items are then made part by part, into the item array or by a caller's
 * cursor (tp_list_read_fd_parts()).
 */
#define PAR_MIN ((size_t)1 << 20)
#define THREADS_MAX 4

void
tp_list_cursor_init(struct tp_list_cursor *c, const struct tp_list_part *pt)
{
	c->p = pt->b;
	c->end = pt->e;
	c->line = pt->line;
	c->plain = pt->plain;
}

int
tp_list_cursor_next(struct tp_list_cursor *c, struct tp_item *out)
{
	char *nl, *b, *e;

	while (c->p < c->end) {
		c->line++;
		nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
		if (nl == NULL)
			nl = c->end;
		/*
		 * a plain part (part_count) has no byte below '$' but the
		 * newlines and no empty line: nothing to trim, nothing to
		 * skip, no problem
		 */
		if (c->plain) {
			*nl = '\0';
			out->text = c->p;
			out->len = (size_t)(nl - c->p);
			out->line = c->line;
			out->problem = NULL;
			c->p = nl + 1;
			return 1;
		}
		b = c->p;
		e = nl;
		c->p = nl + 1;
		while (b < e && is_space((unsigned char)*b))
			b++;
		while (e > b && is_space((unsigned char)e[-1]))
			e--;
		if (b == e || *b == '#')
			continue;
		*e = '\0';
		out->text = b;
		out->len = (size_t)(e - b);
		out->line = c->line;
		out->problem = c->plain ? NULL : item_problem(b, out->len);
		return 1;
	}
	return 0;
}

#ifdef __SSE2__
/*
 * The first bytes of part_count()'s test, sixteen at a time (SSE2 is
 * in every x86-64): of s[0..n), the bytes up to the returned offset
 * (while one more after them can be read) are looked at, their newlines
 * added to *nls; *odd is set when one of them is a byte below '$' other
 * than a newline or a newline after a newline, *high when one is above
 * 0x7F.  Stops early once *odd is set.
 */
static size_t
scan_wide(const unsigned char *s, size_t n, size_t *nls, uint64_t *odd,
	  uint64_t *high)
{
	const __m128i nl = _mm_set1_epi8('\n'), top = _mm_set1_epi8('#');
	const __m128i zero = _mm_setzero_si128();
	__m128i v, next, z, low, empty, bad = zero, hi = zero, acc, sum;
	size_t i = 0, k;

	while (!*odd && i + 17 <= n) {
		/* each byte of acc counts newlines: at most 255 rounds */
		acc = zero;
		for (k = 0; k < 255 && i + 17 <= n; k++, i += 16) {
			v = _mm_loadu_si128((const __m128i *)(s + i));
			next = _mm_loadu_si128((const __m128i *)(s + i + 1));
			z = _mm_cmpeq_epi8(v, nl);
			/* below '$' is at most '#': min(v, '#') == v */
			low = _mm_andnot_si128(
				z, _mm_cmpeq_epi8(_mm_min_epu8(v, top), v));
			/* a newline before a newline: an empty line */
			empty = _mm_and_si128(z, _mm_cmpeq_epi8(next, nl));
			bad = _mm_or_si128(bad, _mm_or_si128(low, empty));
			hi = _mm_or_si128(hi, v);
			acc = _mm_sub_epi8(acc, z);
		}
		sum = _mm_sad_epu8(acc, zero);
		*nls += (size_t)_mm_cvtsi128_si32(sum) +
			(size_t)_mm_extract_epi16(sum, 4);
		*odd = _mm_movemask_epi8(bad) != 0;
	}
	if (_mm_movemask_epi8(hi) != 0)
		*high = TP_SWAR_HIGHS;
	return i;
}
#endif

/*
 * Counts a part's lines and items.  Most lists have nothing to trim and
 * nothing to skip, which a pass over the bytes tells, sixteen or eight
 * at a time: no byte below '$' but the newlines (white space, '#', NUL
 * and other controls are below it) and no empty line (a newline after a
 * newline, or at the start).
 * Then every line is an item, and a part without bytes above 0x7F has no
 * item with a problem.  Else the lines are read as the cursor reads them.
 */
static void
part_count(struct tp_list_part *pt)
{
	const unsigned char *s = (const unsigned char *)pt->b;
	size_t n = (size_t)(pt->e - pt->b), i = 0, k, nls = 0;
	uint64_t w, w2, z, acc, odd = n > 0 && s[0] == '\n', high = 0;
	const char *p, *nl, *b, *e;

#ifdef __SSE2__
	i = scan_wide(s, n, &nls, &odd, &high);
#endif
	while (!odd && i + 9 <= n) {
		acc = 0;
		for (k = 0; k < 255 && i + 9 <= n; k++, i += 8) {
			memcpy(&w, s + i, 8);
			memcpy(&w2, s + i + 1, 8);
			z = tp_swar_eq(w, '\n');
			odd |= (tp_swar_below(w, '$') & ~z) |
			       (z & tp_swar_eq(w2, '\n'));
			high |= w;
			acc += z >> 7;
		}
		/* the bytewise counts (at most 255 each), summed pairwise */
		acc = (acc & PAIRS) + ((acc >> 8) & PAIRS);
		nls += (size_t)((acc * UINT64_C(0x0001000100010001)) >> 48);
	}
	for (; !odd && i < n; i++) {
		if (s[i] == '\n') {
			nls++;
			odd = i + 1 < n && s[i + 1] == '\n';
		} else {
			odd = s[i] < '$';
		}
		high |= s[i];
	}
	if (!odd) {
		pt->lines = nls + (n > 0 && s[n - 1] != '\n');
		pt->n = pt->lines;
		pt->plain = !(high & TP_SWAR_HIGHS);
		return;
	}
	/* else line by line as the cursor reads them, writing nothing */
	pt->plain = 0;
	pt->n = pt->lines = 0;
	for (p = pt->b; p < pt->e; p = nl + 1) {
		pt->lines++;
		nl = memchr(p, '\n', (size_t)(pt->e - p));
		if (nl == NULL)
			nl = pt->e;
		b = p;
		e = nl;
		while (b < e && is_space((unsigned char)*b))
			b++;
		while (e > b && is_space((unsigned char)e[-1]))
			e--;
		pt->n += b != e && *b != '#';
	}
}

/* Some of the parts, for a thread. */
struct span {
	struct tp_list_part *pt;
	size_t n;
	struct tp_item *items; /* the list's, to fill */
};

static void *
span_count(void *arg)
{
	struct span *sp = arg;
	size_t i;

	for (i = 0; i < sp->n; i++)
		part_count(&sp->pt[i]);
	return NULL;
}

static void *
span_fill(void *arg)
{
	struct span *sp = arg;
	struct tp_list_cursor c;
	struct tp_item *it;
	size_t i;

	for (i = 0; i < sp->n; i++) {
		tp_list_cursor_init(&c, &sp->pt[i]);
		it = sp->items + sp->pt[i].first;
		while (tp_list_cursor_next(&c, it))
			it++;
	}
	return NULL;
}

/*
 * Runs `fn` over the parts in up to THREADS_MAX spans, the first on this
 * thread; a span whose thread cannot start is done here too.
 */
static void
spans_run(struct tp_list_part *pt, size_t np, size_t nt, struct tp_item *items,
	  void *(*fn)(void *))
{
	struct span sp[THREADS_MAX];
	size_t t;

	for (t = 0; t < nt; t++) {
		sp[t].pt = pt + np / nt * t;
		sp[t].n = t + 1 == nt ? np - np / nt * t : np / nt;
		sp[t].items = items;
	}
	tp_parts_run(sp, sizeof(*sp), nt, fn);
}

static size_t
threads_for(size_t len, size_t np)
{
	long cpus;
	size_t n;

	if (len < PAR_MIN)
		return 1;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	n = cpus < 1 ? 1 : cpus > THREADS_MAX ? THREADS_MAX : (size_t)cpus;
	return n < np ? n : np;
}

/*
 * The text s[0..len) (with room for one byte more) into parts of about
 * `part` bytes, counted; with `items` the items are made too and the
 * parts dropped.  The item array is sized from the count, so it never
 * grows.
 */
static int
list_lines(struct tp_list *l, char *buf, size_t len, size_t part, int items,
	   struct tp_error *err)
{
	struct tp_list_part *pt;
	char *p = buf, *end = buf + len, *cut, *nl;
	size_t np, i, nt, first = 0, lines = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (p == end)
		return 0;
	if (part == 0)
		part = TP_LIST_PART;
	np = (size_t)(end - p) / part + 1;
	pt = calloc(np, sizeof(*pt));
	if (pt == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	l->parts = pt;
	/* cut after the newline that ends the line a cut falls in */
	for (i = 0; i < np && p < end; i++) {
		pt[i].b = p;
		cut = (size_t)(end - p) > part ? p + part : end;
		if (cut < end && cut[-1] != '\n') {
			nl = memchr(cut, '\n', (size_t)(end - cut));
			cut = nl != NULL ? nl + 1 : end;
		}
		pt[i].e = p = cut;
	}
	np = l->nparts = i;
	nt = threads_for(len, np);
	spans_run(pt, np, nt, NULL, span_count);
	for (i = 0; i < np; i++) {
		pt[i].first = first;
		pt[i].line = (unsigned)lines;
		first += pt[i].n;
		lines += pt[i].lines;
	}
	l->n = first;
	if (!items)
		return 0;
	if (first > 0) {
		if (first > SIZE_MAX / sizeof(*l->items))
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		l->items = malloc(first * sizeof(*l->items));
		if (l->items == NULL)
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		spans_run(pt, np, nt, l->items, span_fill);
	}
	free(l->parts);
	l->parts = NULL;
	l->nparts = 0;
	return 0;
}

static const char *
type_name(enum tp_json_type t)
{
	switch (t) {
	case TP_JSON_NULL: return "null";
	case TP_JSON_FALSE:
	case TP_JSON_TRUE: return "a boolean";
	case TP_JSON_NUMBER: return "a number";
	case TP_JSON_STRING: return "a string";
	case TP_JSON_ARRAY: return "an array";
	case TP_JSON_OBJECT: return "an object";
	default: return "missing";
	}
}

/* The first of two spellings that the object has. */
static const struct tp_json *
get2(const struct tp_json *obj, const char *a, const char *b, const char **key)
{
	const struct tp_json *v = tp_json_get(obj, a);

	*key = a;
	if (v == NULL) {
		v = tp_json_get(obj, b);
		*key = b;
	}
	return v;
}

/* The JSON text is the `len` bytes from `off` (after a byte order mark). */
static int
list_json(struct tp_list *l, size_t off, size_t len, struct tp_error *err)
{
	const struct tp_json *root, *name, *tags, *res, *el, *next;
	const char *key, *s;
	struct tp_error jerr;
	size_t cap = 0, i, slen;
	int rc;

	tp_error_init(&jerr);
	l->json = 1;
	rc = tp_json_parse(&l->doc, l->data + off, len - off, &jerr);
	if (rc < 0) {
		if (rc == TP_EINVAL)
			return tp_error_set(err, rc, "invalid JSON: %s",
					    jerr.msg);
		return tp_error_set(err, rc, "%s", jerr.msg);
	}
	/* the items live in the document: the text is no longer needed */
	free(l->data);
	l->data = NULL;
	root = l->doc;

	name = get2(root, "name", "Repository", &key);
	if (tp_json_type(name) == TP_JSON_STRING)
		l->repository = tp_json_string(name, NULL);
	else if (name && tp_json_type(name) != TP_JSON_NULL)
		return tp_error_set(err, TP_EINVAL,
				    "JSON input: '%s' is %s, not a string", key,
				    type_name(tp_json_type(name)));

	tags = get2(root, "tags", "Tags", &key);
	if (tags) {
		if (tp_json_type(tags) == TP_JSON_NULL)
			return 0;
		if (tp_json_type(tags) != TP_JSON_ARRAY)
			return tp_error_set(
				err, TP_EINVAL,
				"JSON input: '%s' is %s, not an array", key,
				type_name(tp_json_type(tags)));
		for (i = 0; i < tp_json_len(tags); i++) {
			el = tp_json_at(tags, i);
			s = tp_json_string(el, &slen);
			if (s == NULL)
				return tp_error_set(
					err, TP_EINVAL,
					"JSON input: '%s' element %zu "
					"(line %u) is %s, not a string",
					key, i + 1, tp_json_line(el),
					type_name(tp_json_type(el)));
			if (list_push(l, &cap, s, slen, tp_json_line(el), err) <
			    0)
				return TP_ENOMEM;
		}
		return 0;
	}

	res = tp_json_get(root, "results");
	if (res == NULL)
		return tp_error_set(
			err, TP_EINVAL,
			"JSON input has neither 'tags' nor 'results'");
	if (tp_json_type(res) == TP_JSON_NULL)
		return 0;
	if (tp_json_type(res) != TP_JSON_ARRAY)
		return tp_error_set(err, TP_EINVAL,
				    "JSON input: 'results' is %s, not an array",
				    type_name(tp_json_type(res)));
	next = tp_json_get(root, "next");
	if (tp_json_string(next, &slen) && slen > 0)
		l->partial = 1;
	for (i = 0; i < tp_json_len(res); i++) {
		el = tp_json_at(res, i);
		name = tp_json_get(el, "name");
		s = tp_json_string(name, &slen);
		if (s == NULL)
			return tp_error_set(err, TP_EINVAL,
					    "JSON input: 'results' element %zu "
					    "(line %u) has no 'name' string",
					    i + 1, tp_json_line(el));
		if (list_push(l, &cap, s, slen, tp_json_line(name), err) < 0)
			return TP_ENOMEM;
	}
	return 0;
}

/*
 * Builds the list from l->data (`len` bytes plus room for one more); a
 * text in parts of `part` bytes when `parts`, else in items.
 */
static int
list_build(struct tp_list *l, size_t len, int parts, size_t part,
	   struct tp_error *err)
{
	size_t i = 0, bom = 0;

	l->data[len] = '\0';
	if (len >= 3 && memcmp(l->data, "\xef\xbb\xbf", 3) == 0)
		i = bom = 3;
	while (i < len &&
	       (is_space((unsigned char)l->data[i]) || l->data[i] == '\n'))
		i++;
	if (i < len && l->data[i] == '{')
		return list_json(l, bom, len, err);
	return list_lines(l, l->data, len, part, !parts, err);
}

void
tp_list_free(struct tp_list *list)
{
	if (list == NULL)
		return;
	free(list->items);
	free(list->parts);
	free(list->data);
	tp_json_free(list->doc);
	free(list);
}

int
tp_list_parse(struct tp_list **out, const char *data, size_t len,
	      struct tp_error *err)
{
	struct tp_list *l;
	int rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL || len == SIZE_MAX ||
	    (l->data = malloc(len + 1)) == NULL) {
		free(l);
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	}
	if (len)
		memcpy(l->data, data, len);
	rc = list_build(l, len, 0, 0, err);
	if (rc < 0) {
		tp_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* How messages name the input. */
static void
subject(char *buf, size_t size, const char *name)
{
	if (name == NULL)
		snprintf(buf, size, "input");
	else if (strcmp(name, "-") == 0)
		snprintf(buf, size, "standard input");
	else
		snprintf(buf, size, "'%s'", name);
}

static void
size_text(char *buf, size_t size, size_t n)
{
	if (n % ((size_t)1 << 30) == 0)
		snprintf(buf, size, "%zu GiB", n >> 30);
	else if (n % ((size_t)1 << 20) == 0)
		snprintf(buf, size, "%zu MiB", n >> 20);
	else
		snprintf(buf, size, "%zu bytes", n);
}

static int
read_fd(struct tp_list **out, int fd, const char *name, size_t max, int parts,
	size_t part, struct tp_error *err)
{
	struct tp_list *l = NULL;
	struct tp_error perr;
	struct stat st;
	char subj[TP_ERROR_FILE_MAX + 3], lim[32];
	char *buf = NULL, *nb;
	size_t cap = READ_MIN, len = 0, ncap;
	ssize_t n;
	int rc = 0;

	*out = NULL;
	if (max == 0)
		max = TP_LIST_MAX;
	if (max > SIZE_MAX - 2)
		max = SIZE_MAX - 2;
	subject(subj, sizeof(subj), name);
	/* a regular file is read with one buffer of the right size */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (uintmax_t)st.st_size < max ? (size_t)st.st_size + 1
						  : max + 1;
	if (cap > max + 1)
		cap = max + 1;
	/* `cap` bytes of data plus one for the terminating NUL */
	buf = malloc(cap + 1);
	if (buf == NULL) {
		rc = tp_error_set(err, TP_ENOMEM, "out of memory");
		goto done;
	}
	tp_huge_advise(buf, cap + 1);
	for (;;) {
		if (len == cap) {
			ncap = cap * 2 < max + 1 ? cap * 2 : max + 1;
			nb = realloc(buf, ncap + 1);
			if (nb == NULL) {
				rc = tp_error_set(err, TP_ENOMEM,
						  "out of memory");
				goto done;
			}
			buf = nb;
			cap = ncap;
			tp_huge_advise(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = tp_error_set(err, TP_EIO, "cannot read %s: %s",
					  subj, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			size_text(lim, sizeof(lim), max);
			rc = tp_error_set(err, TP_ENOMEM,
					  "%s is larger than %s", subj, lim);
			goto done;
		}
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		rc = tp_error_set(err, TP_ENOMEM, "out of memory");
		goto done;
	}
	l->data = buf;
	buf = NULL;
	tp_error_init(&perr);
	rc = list_build(l, len, parts, part, &perr);
	if (rc < 0) {
		if (name)
			tp_error_set(err, rc, "%s: %s", subj, perr.msg);
		else
			tp_error_set(err, rc, "%s", perr.msg);
		goto done;
	}
	*out = l;
	l = NULL;
done:
	free(buf);
	tp_list_free(l);
	return rc;
}

int
tp_list_read_fd_max(struct tp_list **out, int fd, const char *name, size_t max,
		    struct tp_error *err)
{
	return read_fd(out, fd, name, max, 0, 0, err);
}

int
tp_list_read_fd(struct tp_list **out, int fd, const char *name,
		struct tp_error *err)
{
	return read_fd(out, fd, name, 0, 0, 0, err);
}

int
tp_list_read_fd_parts(struct tp_list **out, int fd, const char *name,
		      size_t part_bytes, struct tp_error *err)
{
	return read_fd(out, fd, name, 0, 1, part_bytes, err);
}

int
tp_list_read_path(struct tp_list **out, const char *path, struct tp_error *err)
{
	int fd, rc;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		return tp_list_read_fd(out, 0, path, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tp_error_set(err, TP_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	rc = tp_list_read_fd(out, fd, path, err);
	close(fd);
	return rc;
}
