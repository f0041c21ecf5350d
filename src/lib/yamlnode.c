/*
 * yamlnode.c: libyaml events -> a small node tree with positions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamlnode.h"

#define ARENA_CHUNK 16384

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

struct tp_ydoc {
	struct arena_chunk *chunks;
	struct tp_ynode *root;
	char *name;
};

static void *
arena_alloc(struct tp_ydoc *doc, size_t n)
{
	struct arena_chunk *c = doc->chunks;
	size_t a = sizeof(max_align_t), size;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + a - 1) / a * a;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = doc->chunks;
		doc->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

struct tp_ydoc *
tp_ydoc_new(const char *name)
{
	struct tp_ydoc *doc = calloc(1, sizeof(*doc));

	if (doc == NULL)
		return NULL;
	doc->name = strdup(name ? name : "");
	if (doc->name == NULL) {
		free(doc);
		return NULL;
	}
	return doc;
}

void
tp_ydoc_free(struct tp_ydoc *doc)
{
	struct arena_chunk *c, *next;

	if (doc == NULL)
		return;
	for (c = doc->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(doc->name);
	free(doc);
}

const struct tp_ynode *
tp_ydoc_root(const struct tp_ydoc *doc)
{
	return doc->root;
}

const char *
tp_ydoc_name(const struct tp_ydoc *doc)
{
	return doc->name;
}

void
tp_ydoc_set_root(struct tp_ydoc *doc, struct tp_ynode *root)
{
	doc->root = root;
}

struct tp_ynode *
tp_ynode_new(struct tp_ydoc *doc, enum tp_ynode_type type)
{
	struct tp_ynode *n = arena_alloc(doc, sizeof(*n));

	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->str = "";
	return n;
}

struct tp_ynode *
tp_ynode_new_scalar(struct tp_ydoc *doc, const char *s, size_t len,
		    enum tp_ynode_style style)
{
	struct tp_ynode *n;
	char *copy;

	if (len == SIZE_MAX)
		return NULL;
	n = tp_ynode_new(doc, TP_YNODE_SCALAR);
	copy = arena_alloc(doc, len + 1);
	if (n == NULL || copy == NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	n->str = copy;
	n->len = len;
	n->style = style;
	return n;
}

struct tp_ynode *
tp_ynode_new_str(struct tp_ydoc *doc, const char *s)
{
	return tp_ynode_new_scalar(doc, s, strlen(s), TP_YNODE_QUOTED);
}

struct tp_ynode *
tp_ynode_new_num(struct tp_ydoc *doc, long long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", v);

	return tp_ynode_new_scalar(doc, tmp, (size_t)n, TP_YNODE_NUMBER);
}

static void
link_child(struct tp_ynode *parent, struct tp_ynode *child)
{
	child->parent = parent;
	child->index = parent->n++;
	if (parent->last != NULL)
		parent->last->next = child;
	else
		parent->child = child;
	parent->last = child;
}

int
tp_ynode_add(struct tp_ynode *seq, struct tp_ynode *item)
{
	if (seq == NULL || item == NULL)
		return TP_ENOMEM;
	link_child(seq, item);
	return 0;
}

int
tp_ynode_put(struct tp_ydoc *doc, struct tp_ynode *map, const char *key,
	     struct tp_ynode *value)
{
	struct tp_ynode *k;

	if (map == NULL || value == NULL)
		return TP_ENOMEM;
	k = tp_ynode_new_str(doc, key);
	if (k == NULL)
		return TP_ENOMEM;
	k->parent = map;
	k->is_key = 1;
	value->key = k;
	link_child(map, value);
	return 0;
}

const struct tp_ynode *
tp_ynode_get(const struct tp_ynode *map, const char *key)
{
	const struct tp_ynode *v;

	if (map == NULL || map->type != TP_YNODE_MAPPING)
		return NULL;
	for (v = map->child; v != NULL; v = v->next)
		if (strcmp(v->key->str, key) == 0)
			return v;
	return NULL;
}

int
tp_ynode_is_null(const struct tp_ynode *n)
{
	if (n == NULL || n->type != TP_YNODE_SCALAR ||
	    n->style != TP_YNODE_PLAIN)
		return 0;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	       strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	       strcmp(n->str, "NULL") == 0;
}

const char *
tp_ynode_what(const struct tp_ynode *n)
{
	if (n == NULL || tp_ynode_is_null(n))
		return "nothing";
	switch (n->type) {
	case TP_YNODE_SEQUENCE: return "a list";
	case TP_YNODE_MAPPING: return "a mapping";
	default: return "a scalar";
	}
}

void
tp_ynode_path(char *buf, size_t size, const struct tp_ynode *n)
{
	const struct tp_ynode *chain[128];
	size_t depth = 0, used = 0, i;
	int w;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (n != NULL && n->is_key)
		n = n->parent;
	for (; n != NULL && n->parent != NULL; n = n->parent) {
		if (depth == sizeof(chain) / sizeof(chain[0]))
			break;
		chain[depth++] = n;
	}
	for (i = depth; i-- > 0 && used < size;) {
		const struct tp_ynode *c = chain[i];

		if (c->parent->type != TP_YNODE_MAPPING)
			continue;
		w = snprintf(buf + used, size - used, "%s%s",
			     used > 0 ? "." : "", c->key->str);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

struct frame {
	struct tp_ynode *node;
	struct tp_ynode *pending_key; /* mapping: a key without its value */
};

struct builder {
	struct tp_ydoc *doc;
	const char *data;
	size_t len;
	struct frame stack[TP_YAML_MAX_DEPTH];
	size_t depth;
	size_t nnodes;
	int ndocs;
	struct tp_error *err;
};

static int vfail(struct builder *b, unsigned line, unsigned col,
		 const char *path, const char *fmt, va_list ap)
	TP_PRINTF(5, 0);

static int
vfail(struct builder *b, unsigned line, unsigned col, const char *path,
      const char *fmt, va_list ap)
{
	char msg[TP_ERROR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return tp_error_set_at(b->err, TP_EPOLICY, b->doc->name, line, col,
			       "%s%s%s", path, path[0] ? ": " : "", msg);
}

static int
fail_at(struct builder *b, unsigned line, unsigned col,
	const struct tp_ynode *at, const char *fmt, ...) TP_PRINTF(5, 6);
static int fail_mark(struct builder *b, const yaml_mark_t *m, const char *fmt,
		     ...) TP_PRINTF(3, 4);

static int
fail_at(struct builder *b, unsigned line, unsigned col,
	const struct tp_ynode *at, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	int error;

	tp_ynode_path(path, sizeof(path), at);
	va_start(ap, fmt);
	error = vfail(b, line, col, path, fmt, ap);
	va_end(ap);
	return error;
}

/* An error at an event: the path is that of the open collection. */
static int
fail_mark(struct builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
	char path[256] = "";
	const struct frame *f;
	size_t used;
	va_list ap;
	int error;

	if (b->depth > 0) {
		f = &b->stack[b->depth - 1];
		tp_ynode_path(path, sizeof(path), f->node);
		used = strlen(path);
		if (f->pending_key != NULL)
			snprintf(path + used, sizeof(path) - used, "%s%s",
				 used > 0 ? "." : "", f->pending_key->str);
	}
	va_start(ap, fmt);
	error = vfail(b, (unsigned)m->line + 1, (unsigned)m->column + 1, path,
		      fmt, ap);
	va_end(ap);
	return error;
}

/* Line and column of byte `off`, for libyaml's reader errors. */
static void
offset_pos(const char *data, size_t len, size_t off, unsigned *line,
	   unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int
parser_error(struct builder *b, const yaml_parser_t *p)
{
	unsigned line, col;
	const yaml_mark_t *m = &p->problem_mark;
	char msg[TP_ERROR_MSG_MAX];

	if (p->error == YAML_MEMORY_ERROR)
		return tp_error_set(b->err, TP_ENOMEM, "out of memory");
	if (p->error == YAML_READER_ERROR) {
		offset_pos(b->data, b->len, p->problem_offset, &line, &col);
		snprintf(msg, sizeof(msg), "invalid YAML: %s",
			 p->problem ? p->problem : "unreadable input");
		return tp_error_set_at(b->err, TP_EPOLICY, b->doc->name, line,
				       col, "%s", msg);
	}
	if (p->context != NULL)
		snprintf(msg, sizeof(msg), "invalid YAML: %s %s",
			 p->problem ? p->problem : "syntax error", p->context);
	else
		snprintf(msg, sizeof(msg), "invalid YAML: %s",
			 p->problem ? p->problem : "syntax error");
	return tp_error_set_at(b->err, TP_EPOLICY, b->doc->name,
			       (unsigned)m->line + 1, (unsigned)m->column + 1,
			       "%s", msg);
}

/* Tags that change nothing for us; every other tag is refused. */
static int
tag_ok(const yaml_char_t *tag, const char *expect)
{
	const char *t = (const char *)tag;

	if (t == NULL || strcmp(t, "!") == 0)
		return 1;
	return strcmp(t, expect) == 0;
}

static int
check_props(struct builder *b, const yaml_event_t *ev,
	    const yaml_char_t *anchor, const yaml_char_t *tag,
	    const char *expect)
{
	if (anchor != NULL)
		return fail_mark(b, &ev->start_mark,
				 "anchors and aliases are not supported "
				 "(anchor '&%s')",
				 (const char *)anchor);
	if (!tag_ok(tag, expect)) {
		const char *t = (const char *)tag;
		size_t n = strlen("tag:yaml.org,2002:");

		if (strncmp(t, "tag:yaml.org,2002:", n) == 0)
			return fail_mark(b, &ev->start_mark,
					 "YAML tag '!!%s' is not supported",
					 t + n);
		return fail_mark(b, &ev->start_mark,
				 "YAML tag '%s' is not supported", t);
	}
	return 0;
}

static int
key_cmp(const void *pa, const void *pb)
{
	const struct tp_ynode *a = *(const struct tp_ynode *const *)pa;
	const struct tp_ynode *b = *(const struct tp_ynode *const *)pb;
	int c;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	c = memcmp(a->str, b->str, a->len);
	if (c != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return 0;
}

/*
 * Sorting finds duplicates in O(n log n), so a mapping of 50,000 keys
 * cannot make the check quadratic.  The duplicate reported is the one
 * that comes first in the file.
 */
static int
check_duplicates(struct builder *b, struct tp_ynode *map)
{
	struct tp_ynode **keys, *v, *dup = NULL;
	size_t i = 0;

	if (map->n < 2)
		return 0;
	keys = malloc(map->n * sizeof(*keys));
	if (keys == NULL)
		return tp_error_set(b->err, TP_ENOMEM, "out of memory");
	for (v = map->child; v != NULL; v = v->next)
		keys[i++] = v->key;
	qsort(keys, map->n, sizeof(*keys), key_cmp);
	for (i = 1; i < map->n; i++) {
		if (keys[i]->len != keys[i - 1]->len ||
		    memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) != 0)
			continue;
		if (dup == NULL || keys[i]->line < dup->line ||
		    (keys[i]->line == dup->line &&
		     keys[i]->column < dup->column))
			dup = keys[i];
	}
	free(keys);
	if (dup != NULL)
		return fail_at(b, dup->line, dup->column, dup,
			       "duplicate key '%s'", dup->str);
	return 0;
}

/* Puts a new node (a key, a value or an item) under the open collection. */
static int
attach(struct builder *b, struct tp_ynode *n, const yaml_event_t *ev)
{
	struct frame *f;

	if (b->depth == 0) {
		if (b->doc->root != NULL)
			return fail_mark(b, &ev->start_mark,
					 "more than one YAML document");
		b->doc->root = n;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->type == TP_YNODE_SEQUENCE) {
		link_child(f->node, n);
		return 0;
	}
	if (f->pending_key == NULL) {
		if (n->type != TP_YNODE_SCALAR)
			return fail_mark(b, &ev->start_mark,
					 "a mapping key must be a scalar");
		if (n->style == TP_YNODE_PLAIN && strcmp(n->str, "<<") == 0)
			return fail_mark(b, &ev->start_mark,
					 "merge keys ('<<') are not supported");
		n->is_key = 1;
		n->parent = f->node;
		f->pending_key = n;
		return 0;
	}
	n->key = f->pending_key;
	f->pending_key = NULL;
	link_child(f->node, n);
	return 0;
}

static int
new_node(struct tp_ynode **out, struct builder *b, enum tp_ynode_type type,
	 const yaml_event_t *ev)
{
	struct tp_ynode *n;

	*out = NULL;
	if (++b->nnodes > TP_YAML_MAX_NODES)
		return fail_mark(b, &ev->start_mark, "more than %d nodes",
				 TP_YAML_MAX_NODES);
	if (type == TP_YNODE_SCALAR)
		n = tp_ynode_new_scalar(b->doc,
					(const char *)ev->data.scalar.value,
					ev->data.scalar.length, TP_YNODE_PLAIN);
	else
		n = tp_ynode_new(b->doc, type);
	if (n == NULL)
		return tp_error_set(b->err, TP_ENOMEM, "out of memory");
	n->line = (unsigned)ev->start_mark.line + 1;
	n->column = (unsigned)ev->start_mark.column + 1;
	*out = n;
	return 0;
}

static int
on_event(struct builder *b, const yaml_event_t *ev)
{
	struct tp_ynode *n;
	int error;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs > 1)
			return fail_mark(b, &ev->start_mark,
					 "more than one YAML document");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_mark(b, &ev->start_mark,
				 "anchors and aliases are not supported "
				 "(alias '*%s')",
				 (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		error = check_props(b, ev, ev->data.scalar.anchor,
				    ev->data.scalar.tag,
				    "tag:yaml.org,2002:str");
		if (error < 0)
			return error;
		if (memchr(ev->data.scalar.value, '\0',
			   ev->data.scalar.length) != NULL)
			return fail_mark(b, &ev->start_mark,
					 "NUL character in a string");
		error = new_node(&n, b, TP_YNODE_SCALAR, ev);
		if (error < 0)
			return error;
		if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		    ev->data.scalar.tag != NULL)
			n->style = TP_YNODE_QUOTED;
		return attach(b, n, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			error = check_props(b, ev,
					    ev->data.sequence_start.anchor,
					    ev->data.sequence_start.tag,
					    "tag:yaml.org,2002:seq");
		else
			error = check_props(b, ev,
					    ev->data.mapping_start.anchor,
					    ev->data.mapping_start.tag,
					    "tag:yaml.org,2002:map");
		if (error < 0)
			return error;
		if (b->depth == TP_YAML_MAX_DEPTH)
			return fail_mark(b, &ev->start_mark,
					 "nesting deeper than %d levels",
					 TP_YAML_MAX_DEPTH);
		error = new_node(&n, b,
				 ev->type == YAML_SEQUENCE_START_EVENT
					 ? TP_YNODE_SEQUENCE
					 : TP_YNODE_MAPPING,
				 ev);
		if (error < 0)
			return error;
		error = attach(b, n, ev);
		if (error < 0)
			return error;
		b->stack[b->depth].node = n;
		b->stack[b->depth].pending_key = NULL;
		b->depth++;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = b->stack[--b->depth].node;
		if (n->type == TP_YNODE_MAPPING)
			return check_duplicates(b, n);
		return 0;
	default: return 0;
	}
}

int
tp_ydoc_parse(struct tp_ydoc **out, const char *name, const char *data,
	      size_t len, struct tp_error *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b;
	int error = 0, done = 0;

	*out = NULL;
	if (len > TP_YAML_MAX_SIZE)
		return tp_error_set_at(err, TP_EPOLICY, name, 0, 0,
				       "policy file is larger than 1 MiB");
	memset(&b, 0, sizeof(b));
	b.err = err;
	b.data = data;
	b.len = len;
	b.doc = tp_ydoc_new(name);
	if (b.doc == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&parser)) {
		tp_ydoc_free(b.doc);
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			error = parser_error(&b, &parser);
			break;
		}
		error = on_event(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (error < 0)
			break;
	}
	yaml_parser_delete(&parser);
	if (error < 0) {
		tp_ydoc_free(b.doc);
		return error;
	}
	*out = b.doc;
	return 0;
}
