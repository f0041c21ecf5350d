/*
 * json.c: JSON string literals, a streaming writer and a small DOM reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

int
tp_json_utf8_valid(const char *s, size_t len)
{
	return tp_utf8_valid(s, len);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

static const char hex[] = "0123456789abcdef";

int
tp_json_str(struct tp_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, k, bad;
	char esc[6];
	unsigned char c;

	/* the common case (nothing to escape) then needs one allocation */
	if (tp_buf_grow(out, len + 2) < 0 || tp_buf_putc(out, '"') < 0)
		return TP_ENOMEM;
	while (i < len) {
		run = i;
		while (i < len && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
		       p[i] != '\\')
			i++;
		if (i > run && tp_buf_put(out, p + run, i - run) < 0)
			return TP_ENOMEM;
		if (i == len)
			break;
		c = p[i];
		if (c >= 0x80) {
			k = tp_utf8_seq(p + i, len - i, &bad, NULL);
			if (k) {
				if (tp_buf_put(out, p + i, k) < 0)
					return TP_ENOMEM;
				i += k;
			} else {
				if (tp_buf_put(out, "\xef\xbf\xbd", 3) < 0)
					return TP_ENOMEM;
				i += bad;
			}
			continue;
		}
		esc[0] = '\\';
		k = 2;
		switch (c) {
		case '"':
		case '\\': esc[1] = (char)c; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		}
		if (tp_buf_put(out, esc, k) < 0)
			return TP_ENOMEM;
		i++;
	}
	return tp_buf_putc(out, '"') < 0 ? TP_ENOMEM : 0;
}

/*
 * Length of the JSON number at the start of `s`, or 0 with `*what` saying
 * what is wrong.  Shared by the reader and tp_jw_number().
 */
static size_t
scan_number(const char *s, size_t len, const char **what)
{
	size_t i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9') {
		*what = "invalid number: digit expected after '-'";
		return 0;
	}
	if (s[i] == '0') {
		i++;
		if (i < len && s[i] >= '0' && s[i] <= '9') {
			*what = "invalid number: leading zero";
			return 0;
		}
	} else {
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9') {
			*what = "invalid number: digit expected after '.'";
			return 0;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9') {
			*what = "invalid number: digit expected in the "
				"exponent";
			return 0;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i;
}

void
tp_jw_init(struct tp_json_w *w, struct tp_buf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
	w->first[0] = 1;
}

static int
jw_fail(struct tp_json_w *w, int code)
{
	if (w->error == 0)
		w->error = code;
	return w->error;
}

static int
jw_put(struct tp_json_w *w, const char *s, size_t len)
{
	if (tp_buf_put(w->out, s, len) < 0)
		return jw_fail(w, TP_ENOMEM);
	return 0;
}

static int
jw_newline(struct tp_json_w *w, int depth)
{
	static const char spaces[] = "                                ";
	size_t n = (size_t)depth * 2, k;

	if (jw_put(w, "\n", 1) < 0)
		return w->error;
	while (n > 0) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		if (jw_put(w, spaces, k) < 0)
			return w->error;
		n -= k;
	}
	return 0;
}

/* The separator and indentation due before a value (or a key). */
static int
jw_sep(struct tp_json_w *w)
{
	if (!w->first[w->depth] && jw_put(w, ",", 1) < 0)
		return w->error;
	w->first[w->depth] = 0;
	if (w->pretty)
		return jw_newline(w, w->depth);
	return 0;
}

static int
jw_value(struct tp_json_w *w)
{
	if (w->error)
		return w->error;
	if (w->depth == 0) {
		if (!w->first[0])
			return jw_fail(w, TP_ERROR);
		w->first[0] = 0;
		return 0;
	}
	if (w->kind[w->depth] == '{') {
		if (!w->after_key)
			return jw_fail(w, TP_ERROR);
		w->after_key = 0;
		return 0;
	}
	return jw_sep(w);
}

static int
jw_begin(struct tp_json_w *w, char kind)
{
	if (w->error == 0 && w->depth >= TP_JSON_MAX_DEPTH)
		return jw_fail(w, TP_ERROR);
	if (jw_value(w) < 0 || jw_put(w, &kind, 1) < 0)
		return w->error;
	w->depth++;
	w->kind[w->depth] = kind;
	w->first[w->depth] = 1;
	return 0;
}

static int
jw_end(struct tp_json_w *w, char kind)
{
	char close = kind == '{' ? '}' : ']';

	if (w->error)
		return w->error;
	if (w->depth == 0 || w->kind[w->depth] != kind || w->after_key)
		return jw_fail(w, TP_ERROR);
	if (w->pretty && !w->first[w->depth] && jw_newline(w, w->depth - 1) < 0)
		return w->error;
	if (jw_put(w, &close, 1) < 0)
		return w->error;
	w->depth--;
	return 0;
}

int
tp_jw_obj_begin(struct tp_json_w *w)
{
	return jw_begin(w, '{');
}

int
tp_jw_obj_end(struct tp_json_w *w)
{
	return jw_end(w, '{');
}

int
tp_jw_arr_begin(struct tp_json_w *w)
{
	return jw_begin(w, '[');
}

int
tp_jw_arr_end(struct tp_json_w *w)
{
	return jw_end(w, '[');
}

static int
jw_keyn(struct tp_json_w *w, const char *key, size_t len)
{
	if (w->error)
		return w->error;
	if (w->depth == 0 || w->kind[w->depth] != '{' || w->after_key)
		return jw_fail(w, TP_ERROR);
	if (jw_sep(w) < 0)
		return w->error;
	if (tp_json_str(w->out, key, len) < 0)
		return jw_fail(w, TP_ENOMEM);
	if (jw_put(w, ": ", w->pretty ? 2 : 1) < 0)
		return w->error;
	w->after_key = 1;
	return 0;
}

int
tp_jw_key(struct tp_json_w *w, const char *key)
{
	return jw_keyn(w, key, strlen(key));
}

int
tp_jw_strn(struct tp_json_w *w, const char *s, size_t len)
{
	if (jw_value(w) < 0)
		return w->error;
	if (tp_json_str(w->out, s, len) < 0)
		return jw_fail(w, TP_ENOMEM);
	return 0;
}

int
tp_jw_str(struct tp_json_w *w, const char *s)
{
	if (s == NULL)
		return tp_jw_null(w);
	return tp_jw_strn(w, s, strlen(s));
}

int
tp_jw_int(struct tp_json_w *w, long long v)
{
	if (jw_value(w) < 0)
		return w->error;
	if (tp_buf_printf(w->out, "%lld", v) < 0)
		return jw_fail(w, TP_ENOMEM);
	return 0;
}

int
tp_jw_bool(struct tp_json_w *w, int v)
{
	if (jw_value(w) < 0)
		return w->error;
	return v ? jw_put(w, "true", 4) : jw_put(w, "false", 5);
}

int
tp_jw_null(struct tp_json_w *w)
{
	if (jw_value(w) < 0)
		return w->error;
	return jw_put(w, "null", 4);
}

int
tp_jw_number(struct tp_json_w *w, const char *text, size_t len)
{
	const char *what;

	if (w->error)
		return w->error;
	if (len == 0 || scan_number(text, len, &what) != len)
		return jw_fail(w, TP_EINVAL);
	if (jw_value(w) < 0)
		return w->error;
	return jw_put(w, text, len);
}

/* ------------------------------------------------------------------ */
/* Reader: the document and its memory                                 */
/* ------------------------------------------------------------------ */

struct tp_json {
	enum tp_json_type type;
	unsigned line;
	const char *key; /* member name, when in an object */
	size_t key_len;
	const char *str; /* string bytes or number text */
	size_t len; /* their length, or the number of kids */
	struct tp_json **kids; /* elements or members */
	struct tp_json *next; /* next sibling, while parsing */
};

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

/* The root is the first member, so the root's address is the document's. */
struct doc {
	struct tp_json root;
	struct chunk *chunks;
	size_t mem, max_mem;
};

#define CHUNK_MIN ((size_t)4096)
#define CHUNK_MAX ((size_t)1 << 20)

struct parser {
	const char *s, *p, *end;
	unsigned line;
	struct doc *doc;
	struct tp_error *err;
};

static int
p_fail(struct parser *p, const char *at, const char *fmt, ...) TP_PRINTF(3, 4);

/* Reports WHAT at `at`; lines and columns are worked out only here. */
static int
p_fail(struct parser *p, const char *at, const char *fmt, ...)
{
	const char *q, *bol = p->s;
	unsigned line = 1, col = 1;
	char what[TP_ERROR_MSG_MAX];
	va_list ap;

	for (q = p->s; q < at; q++) {
		if (*q == '\n') {
			line++;
			bol = q + 1;
		}
	}
	for (q = bol; q < at; q++)
		if (((unsigned char)*q & 0xc0) != 0x80)
			col++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tp_error_set(p->err, TP_EINVAL, "line %u, column %u: %s", line,
			    col, what);
}

static void *
p_alloc(struct parser *p, size_t size, size_t align)
{
	struct doc *d = p->doc;
	struct chunk *c = d->chunks;
	size_t off = 0, csize;

	if (c) {
		off = (c->used + align - 1) & ~(align - 1);
		if (off <= c->size && size <= c->size - off) {
			c->used = off + size;
			return (char *)c->data + off;
		}
	}
	csize = c ? c->size * 2 : CHUNK_MIN;
	if (csize > CHUNK_MAX)
		csize = CHUNK_MAX;
	if (csize < size)
		csize = size;
	if (csize > d->max_mem || d->mem > d->max_mem - csize) {
		tp_error_set(
			p->err, TP_ENOMEM,
			"JSON document needs more than %zu bytes of memory",
			d->max_mem);
		return NULL;
	}
	c = malloc(sizeof(*c) + csize);
	if (c == NULL) {
		tp_error_set(p->err, TP_ENOMEM, "out of memory");
		return NULL;
	}
	d->mem += csize;
	c->size = csize;
	c->used = size;
	c->next = d->chunks;
	d->chunks = c;
	return c->data;
}

static struct tp_json *
p_node(struct parser *p)
{
	struct tp_json *n;

	n = p_alloc(p, sizeof(*n), _Alignof(struct tp_json));
	if (n)
		memset(n, 0, sizeof(*n));
	return n;
}

/* ------------------------------------------------------------------ */
/* Reader: the grammar                                                 */
/* ------------------------------------------------------------------ */

static void
p_space(struct parser *p)
{
	while (p->p < p->end) {
		switch (*p->p) {
		case '\n':
			p->line++;
			/* fall through */
		case ' ':
		case '\t':
		case '\r': p->p++; continue;
		}
		break;
	}
}

/* What stands at p->p, for "unexpected ..." messages. */
static int
p_unexpected(struct parser *p, const char *expected)
{
	const unsigned char *u = (const unsigned char *)p->p;
	size_t k, bad;

	if (p->p >= p->end)
		return p_fail(p, p->p, "unexpected end of input, expected %s",
			      expected);
	if (*u < 0x20 || *u == 0x7f)
		return p_fail(
			p, p->p,
			"unexpected control character U+%04X, expected %s",
			(unsigned)*u, expected);
	k = tp_utf8_seq(u, (size_t)(p->end - p->p), &bad, NULL);
	if (k == 0)
		return p_fail(p, p->p, "unexpected byte 0x%02x, expected %s",
			      *u, expected);
	return p_fail(p, p->p, "unexpected character '%.*s', expected %s",
		      (int)k, p->p, expected);
}

/* The value of 4 hex digits at `s` (`n` bytes available), or -1. */
static long
hex4(const char *s, size_t n)
{
	long v = 0;
	int i, d;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Decodes the string at p->p (an opening quote) into document memory.
 * Escapes only shrink the text, so the raw length bounds the decoded one.
 */
static int
p_string(struct parser *p, const char **out, size_t *outlen)
{
	const char *start = p->p, *q = p->p + 1, *e, *bs;
	char *buf, *o;
	long cp, lo;

	while (q < p->end && *q != '"') {
		if (*q == '\\') {
			q += 2;
			continue;
		}
		if ((unsigned char)*q < 0x20)
			return p_fail(
				p, q,
				"unescaped control character U+%04X in string",
				(unsigned)(unsigned char)*q);
		q++;
	}
	if (q >= p->end)
		return p_fail(p, start, "unterminated string");
	e = q;
	buf = p_alloc(p, (size_t)(e - start), 1);
	if (buf == NULL)
		return TP_ENOMEM;
	o = buf;
	for (q = start + 1; q < e; q++) {
		if (*q != '\\') {
			*o++ = *q;
			continue;
		}
		/* from here q ends on the last byte of the escape */
		bs = q++;
		switch (*q) {
		case '"':
		case '\\':
		case '/': *o++ = *q; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			cp = hex4(q + 1, (size_t)(e - q - 1));
			if (cp < 0)
				return p_fail(
					p, bs,
					"invalid escape: '\\u' needs 4 hex "
					"digits");
			q += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - q >= 7 &&
			    q[1] == '\\' && q[2] == 'u') {
				lo = hex4(q + 3, 4);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
					q += 6;
				}
			}
			o += tp_utf8_put(o, (uint32_t)cp);
			break;
		default:
			if ((unsigned char)*q > 0x20 &&
			    (unsigned char)*q < 0x7f)
				return p_fail(p, bs, "invalid escape '\\%c'",
					      *q);
			return p_fail(p, bs, "invalid escape");
		}
	}
	*o = '\0';
	*out = buf;
	*outlen = (size_t)(o - buf);
	p->p = e + 1;
	return 0;
}

static int p_value(struct parser *p, struct tp_json *v, int depth);

/* Turns the sibling list into the kids array. */
static int
p_kids(struct parser *p, struct tp_json *v, struct tp_json *head, size_t n)
{
	struct tp_json **kids;
	size_t i;

	v->len = n;
	if (n == 0)
		return 0;
	kids = p_alloc(p, n * sizeof(*kids), _Alignof(struct tp_json *));
	if (kids == NULL)
		return TP_ENOMEM;
	for (i = 0; i < n; i++, head = head->next)
		kids[i] = head;
	v->kids = kids;
	return 0;
}

static int
p_array(struct parser *p, struct tp_json *v, int depth)
{
	struct tp_json *head = NULL, *tail = NULL, *kid;
	size_t n = 0;
	int rc;

	v->type = TP_JSON_ARRAY;
	p->p++;
	p_space(p);
	if (p->p < p->end && *p->p == ']') {
		p->p++;
		return 0;
	}
	for (;;) {
		kid = p_node(p);
		if (kid == NULL)
			return TP_ENOMEM;
		rc = p_value(p, kid, depth);
		if (rc < 0)
			return rc;
		if (tail)
			tail->next = kid;
		else
			head = kid;
		tail = kid;
		n++;
		p_space(p);
		if (p->p < p->end && *p->p == ',') {
			p->p++;
			continue;
		}
		if (p->p < p->end && *p->p == ']')
			break;
		return p_unexpected(p, "',' or ']'");
	}
	p->p++;
	return p_kids(p, v, head, n);
}

static int
p_object(struct parser *p, struct tp_json *v, int depth)
{
	struct tp_json *head = NULL, *tail = NULL, *kid;
	size_t n = 0;
	int rc;

	v->type = TP_JSON_OBJECT;
	p->p++;
	p_space(p);
	if (p->p < p->end && *p->p == '}') {
		p->p++;
		return 0;
	}
	for (;;) {
		if (p->p >= p->end || *p->p != '"')
			return p_unexpected(p, n ? "a member name"
						 : "a member name or '}'");
		kid = p_node(p);
		if (kid == NULL)
			return TP_ENOMEM;
		rc = p_string(p, &kid->key, &kid->key_len);
		if (rc < 0)
			return rc;
		p_space(p);
		if (p->p >= p->end || *p->p != ':')
			return p_unexpected(p, "':'");
		p->p++;
		rc = p_value(p, kid, depth);
		if (rc < 0)
			return rc;
		if (tail)
			tail->next = kid;
		else
			head = kid;
		tail = kid;
		n++;
		p_space(p);
		if (p->p < p->end && *p->p == ',') {
			p->p++;
			p_space(p);
			continue;
		}
		if (p->p < p->end && *p->p == '}')
			break;
		return p_unexpected(p, "',' or '}'");
	}
	p->p++;
	return p_kids(p, v, head, n);
}

static int
p_literal(struct parser *p, struct tp_json *v)
{
	static const struct {
		const char *text;
		size_t len;
		enum tp_json_type type;
	} lit[] = {
		{ "true", 4, TP_JSON_TRUE },
		{ "false", 5, TP_JSON_FALSE },
		{ "null", 4, TP_JSON_NULL },
	};
	size_t i, avail = (size_t)(p->end - p->p);

	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		if (*p->p != lit[i].text[0])
			continue;
		if (avail < lit[i].len ||
		    memcmp(p->p, lit[i].text, lit[i].len) != 0)
			return p_fail(p, p->p, "invalid literal, expected '%s'",
				      lit[i].text);
		v->type = lit[i].type;
		p->p += lit[i].len;
		return 0;
	}
	return p_unexpected(p, "a value");
}

static int
p_number(struct parser *p, struct tp_json *v)
{
	const char *what = NULL;
	size_t n;
	char *text;

	n = scan_number(p->p, (size_t)(p->end - p->p), &what);
	if (n == 0)
		return p_fail(p, p->p, "%s", what);
	text = p_alloc(p, n + 1, 1);
	if (text == NULL)
		return TP_ENOMEM;
	memcpy(text, p->p, n);
	text[n] = '\0';
	v->type = TP_JSON_NUMBER;
	v->str = text;
	v->len = n;
	p->p += n;
	return 0;
}

static int
p_value(struct parser *p, struct tp_json *v, int depth)
{
	p_space(p);
	v->line = p->line;
	if (p->p >= p->end)
		return p_unexpected(p, "a value");
	switch (*p->p) {
	case '{':
	case '[':
		if (depth >= TP_JSON_MAX_DEPTH)
			return p_fail(p, p->p,
				      "nesting too deep (more than %d levels)",
				      TP_JSON_MAX_DEPTH);
		if (*p->p == '{')
			return p_object(p, v, depth + 1);
		return p_array(p, v, depth + 1);
	case '"':
		v->type = TP_JSON_STRING;
		return p_string(p, &v->str, &v->len);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9': return p_number(p, v);
	default: return p_literal(p, v);
	}
}

int
tp_json_parse_max(struct tp_json **out, const char *s, size_t len,
		  size_t max_mem, struct tp_error *err)
{
	struct parser p;
	struct tp_error local;
	struct doc *d;
	int rc;

	*out = NULL;
	/* p_alloc reports through p.err, and the caller's may be NULL */
	tp_error_init(&local);
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	d->max_mem = max_mem ? max_mem : TP_JSON_MEM_MAX;
	d->mem = sizeof(*d);
	p.s = p.p = s ? s : "";
	p.end = p.s + (s ? len : 0);
	p.line = 1;
	p.doc = d;
	p.err = &local;
	rc = p_value(&p, &d->root, 0);
	if (rc == 0) {
		p_space(&p);
		if (p.p < p.end)
			rc = p_fail(&p, p.p,
				    "trailing data after the JSON value");
	}
	if (rc < 0) {
		tp_error_set(err, local.code ? local.code : rc, "%s",
			     local.msg);
		tp_json_free(&d->root);
		return local.code ? local.code : rc;
	}
	*out = &d->root;
	return 0;
}

int
tp_json_parse(struct tp_json **out, const char *s, size_t len,
	      struct tp_error *err)
{
	return tp_json_parse_max(out, s, len, 0, err);
}

void
tp_json_free(struct tp_json *root)
{
	struct doc *d = (struct doc *)root;
	struct chunk *c, *next;

	if (d == NULL)
		return;
	for (c = d->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(d);
}

size_t
tp_json_mem(const struct tp_json *root)
{
	return root ? ((const struct doc *)root)->mem : 0;
}

/* ------------------------------------------------------------------ */
/* Reader: accessors                                                   */
/* ------------------------------------------------------------------ */

enum tp_json_type
tp_json_type(const struct tp_json *v)
{
	return v ? v->type : TP_JSON_NONE;
}

const struct tp_json *
tp_json_get(const struct tp_json *obj, const char *key)
{
	size_t i, klen;

	if (obj == NULL || obj->type != TP_JSON_OBJECT)
		return NULL;
	klen = strlen(key);
	for (i = obj->len; i > 0; i--) {
		const struct tp_json *m = obj->kids[i - 1];

		if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
			return m;
	}
	return NULL;
}

size_t
tp_json_len(const struct tp_json *v)
{
	if (v == NULL ||
	    (v->type != TP_JSON_ARRAY && v->type != TP_JSON_OBJECT))
		return 0;
	return v->len;
}

const struct tp_json *
tp_json_at(const struct tp_json *v, size_t i)
{
	if (i >= tp_json_len(v))
		return NULL;
	return v->kids[i];
}

const char *
tp_json_key(const struct tp_json *v, size_t *len)
{
	if (v == NULL || v->key == NULL)
		return NULL;
	if (len)
		*len = v->key_len;
	return v->key;
}

const char *
tp_json_string(const struct tp_json *v, size_t *len)
{
	if (v == NULL || v->type != TP_JSON_STRING)
		return NULL;
	if (len)
		*len = v->len;
	return v->str;
}

const char *
tp_json_number(const struct tp_json *v, size_t *len)
{
	if (v == NULL || v->type != TP_JSON_NUMBER)
		return NULL;
	if (len)
		*len = v->len;
	return v->str;
}

unsigned
tp_json_line(const struct tp_json *v)
{
	return v ? v->line : 0;
}

/* ------------------------------------------------------------------ */
/* Writing a parsed value                                              */
/* ------------------------------------------------------------------ */

int
tp_jw_value(struct tp_json_w *w, const struct tp_json *v)
{
	size_t i;

	switch (tp_json_type(v)) {
	case TP_JSON_NULL: return tp_jw_null(w);
	case TP_JSON_FALSE: return tp_jw_bool(w, 0);
	case TP_JSON_TRUE: return tp_jw_bool(w, 1);
	case TP_JSON_NUMBER: return tp_jw_number(w, v->str, v->len);
	case TP_JSON_STRING: return tp_jw_strn(w, v->str, v->len);
	case TP_JSON_ARRAY:
		if (tp_jw_arr_begin(w) < 0)
			return w->error;
		for (i = 0; i < v->len; i++)
			if (tp_jw_value(w, v->kids[i]) < 0)
				return w->error;
		return tp_jw_arr_end(w);
	case TP_JSON_OBJECT:
		if (tp_jw_obj_begin(w) < 0)
			return w->error;
		for (i = 0; i < v->len; i++) {
			if (jw_keyn(w, v->kids[i]->key, v->kids[i]->key_len) <
				    0 ||
			    tp_jw_value(w, v->kids[i]) < 0)
				return w->error;
		}
		return tp_jw_obj_end(w);
	default: return jw_fail(w, TP_ERROR);
	}
}
