/*
 * yamlnode.h: a small generic YAML node tree (scalar, sequence, mapping),
 * built from libyaml's events, with the position of every node.
 *
 * This is the first stage of the policy pipeline (style.md §2.6): libyaml
 * events -> this tree -> typed struct tp_policy through the schema tables.
 * The tree keeps the keys of a mapping in document order and knows, for
 * every node, its parent and the key or index it sits under, so that a
 * message can name the key path ("rules.custom.id").
 *
 * What the parser accepts is deliberately smaller than YAML 1.2, so that a
 * policy file can never make the loader slow or large:
 *
 *   - at most TP_YAML_MAX_SIZE bytes, TP_YAML_MAX_DEPTH nested sequences
 *     and mappings, TP_YAML_MAX_NODES nodes (keys count);
 *   - no anchors (&a), aliases (*a) or merge keys (<<): a "billion
 *     laughs" file fails at its first anchor;
 *   - no tags except !!str (which makes a scalar a quoted string), !!seq
 *     and !!map, and the non-specific '!';
 *   - mapping keys are scalars, and a key appears once per mapping;
 *   - at most one document per stream.
 *
 * Scalars are not resolved to numbers or booleans: every scalar is text,
 * and `plain` says whether it was written without quotes (so that the
 * reader can tell `1` from "1" and `null` from "null").
 *
 * All nodes and strings of a document live in one arena owned by the
 * struct tp_ydoc and are freed with it.
 */
#ifndef TP_YAMLNODE_H
#define TP_YAMLNODE_H

#include "tagpolicy.h"

#define TP_YAML_MAX_SIZE ((size_t)1 << 20)
#define TP_YAML_MAX_DEPTH 64
#define TP_YAML_MAX_NODES 100000

enum tp_ynode_type { TP_YNODE_SCALAR, TP_YNODE_SEQUENCE, TP_YNODE_MAPPING };

/* How a scalar was written (or is to be written by a dumper). */
enum tp_ynode_style {
	TP_YNODE_PLAIN, /* no quotes: may be null, a number, a word */
	TP_YNODE_QUOTED, /* quoted, block or tagged !!str: always a string */
	TP_YNODE_NUMBER /* built by a dumper: a number, written bare */
};

/*
 * One node.  A mapping's children are its values, in key order; each value
 * points at its key (a scalar node that is not itself a child).  A
 * sequence's children are its items.  `index` is the position among the
 * parent's children.  `line` and `column` count from 1 (0 for built nodes).
 */
struct tp_ynode {
	enum tp_ynode_type type;
	unsigned line;
	unsigned column;
	const char *str; /* scalar: NUL-terminated text */
	size_t len; /* scalar: its length in bytes */
	enum tp_ynode_style style; /* scalar */
	struct tp_ynode *parent; /* NULL for the root */
	struct tp_ynode *key; /* a mapping's value: its key */
	int is_key; /* 1 for a key node */
	size_t index;
	struct tp_ynode *child; /* first child */
	struct tp_ynode *last; /* last child */
	struct tp_ynode *next; /* next sibling */
	size_t n; /* number of children */
};

/* A document: the arena, the root and the name used in messages. */
struct tp_ydoc;

/*
 * Parses `len` bytes of `data` (UTF-8, or UTF-16 with a BOM, as libyaml
 * reads it).  `name` is copied and used as the file in err.  On success
 * *out is a document the caller frees with tp_ydoc_free(); its root is NULL
 * for a stream without a document.  On failure *out is NULL and the result
 * is TP_EPOLICY with the line and column of the problem, e.g. "invalid
 * YAML: mapping values are not allowed in this context", "anchors and
 * aliases are not supported", "rules: duplicate key 'lowercase'", "nesting
 * deeper than 64 levels", or TP_ENOMEM.
 */
int tp_ydoc_parse(struct tp_ydoc **out, const char *name, const char *data,
		  size_t len, struct tp_error *err);

/* An empty document to build a tree into (NULL when out of memory). */
struct tp_ydoc *tp_ydoc_new(const char *name);

void tp_ydoc_free(struct tp_ydoc *doc);

const struct tp_ynode *tp_ydoc_root(const struct tp_ydoc *doc);
const char *tp_ydoc_name(const struct tp_ydoc *doc);
void tp_ydoc_set_root(struct tp_ydoc *doc, struct tp_ynode *root);

/*
 * Building (for dumpers).  Each returns a node owned by `doc`, or NULL when
 * out of memory; `s` is copied.  tp_ynode_add() appends `item` to a
 * sequence, tp_ynode_put() appends the pair `key`: `value` to a mapping
 * (duplicates are not checked); both ignore a NULL node and return 0 or
 * TP_ENOMEM, so that a failed constructor can be passed straight in.
 */
struct tp_ynode *tp_ynode_new_scalar(struct tp_ydoc *doc, const char *s,
				     size_t len, enum tp_ynode_style style);
struct tp_ynode *tp_ynode_new_str(struct tp_ydoc *doc, const char *s);
struct tp_ynode *tp_ynode_new_num(struct tp_ydoc *doc, long long v);
struct tp_ynode *tp_ynode_new(struct tp_ydoc *doc, enum tp_ynode_type type);
int tp_ynode_add(struct tp_ynode *seq, struct tp_ynode *item);
int tp_ynode_put(struct tp_ydoc *doc, struct tp_ynode *map, const char *key,
		 struct tp_ynode *value);

/* The value of `key` in a mapping, NULL when absent or `map` is no map. */
const struct tp_ynode *
tp_ynode_get(const struct tp_ynode *map, const char *key);

/* 1 for a null scalar: plain empty, `~`, `null`, `Null` or `NULL`. */
int tp_ynode_is_null(const struct tp_ynode *n);

/*
 * Writes the key path of `n` into `buf` (always NUL-terminated, cut when it
 * does not fit): the keys from the top, joined by '.', list positions left
 * out (the line and column tell them): "rules.custom.id" for the id of any
 * custom rule; "" for the root.  A key node has the path of its mapping.
 */
void tp_ynode_path(char *buf, size_t size, const struct tp_ynode *n);

/* "a scalar", "a list", "a mapping" or "nothing" (null), for messages. */
const char *tp_ynode_what(const struct tp_ynode *n);

#endif
