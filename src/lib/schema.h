/*
 * schema.h: the keys of a policy file as data, and "did you mean".
 *
 * A struct tp_schema describes one value: its type and, for a mapping with
 * fixed keys, a table of its keys (ended by an entry whose name is NULL).
 * tp_schema_check() walks a YAML node tree against a schema and reports,
 * in document order, the first unknown key (with the nearest known one),
 * missing required key, value of the wrong type, integer out of range or
 * value that is not one of an enumeration.  What a table cannot say (a
 * value that is a string or a list, cross-references between sections) is
 * left to the loader, which then calls tp_schema_error() so that every
 * message has the same shape: "<key path>: <what is wrong>" at the line
 * and column of the offending node.
 */
#ifndef TP_SCHEMA_H
#define TP_SCHEMA_H

#include "tagpolicy.h"
#include "yamlnode.h"

enum tp_schema_type {
	TP_SCHEMA_ANY, /* anything: the loader checks it */
	TP_SCHEMA_STRING, /* a scalar that is not null */
	TP_SCHEMA_INT, /* a plain scalar of decimal digits, in [min, max] */
	TP_SCHEMA_ENUM, /* a scalar, one of `values` */
	TP_SCHEMA_LIST, /* a sequence of `item`s (null: empty) */
	TP_SCHEMA_MAP, /* a mapping with the keys of `keys` (null: empty) */
	TP_SCHEMA_DICT /* a mapping of names to `item`s (null: empty) */
};

#define TP_SCHEMA_REQUIRED 0x01u

struct tp_schema {
	const char *name; /* the key, in a `keys` table */
	enum tp_schema_type type;
	unsigned flags;
	const struct tp_schema *keys; /* MAP */
	const struct tp_schema *item; /* LIST, DICT */
	const char *const *values; /* ENUM, NULL-terminated */
	long min, max; /* INT */
	const char *help; /* one line, for documentation */
};

/* The whole policy file, and the parts the loader checks one by one. */
extern const struct tp_schema tp_schema_policy;
extern const struct tp_schema tp_schema_rule_map; /* rules.ID: {...} */
extern const struct tp_schema tp_schema_custom_rule; /* rules.custom[i] */
extern const struct tp_schema tp_schema_publish_item; /* publish[i]: {...} */

/* The words of the enumerations, NULL-terminated. */
extern const char *const tp_schema_levels[]; /* error warning off */
extern const char *const tp_schema_scopes[]; /* git image */

/*
 * Checks `node` against `s`.  Returns 0, or TP_EPOLICY with the location
 * in `err` (`file` is the name used there).  A NULL node passes, and so
 * does a null value in a mapping (it means "not set", which the loader
 * reads as "remove what earlier sources set"), except for a required key.
 */
int tp_schema_check(const struct tp_ynode *node, const struct tp_schema *s,
		    const char *file, struct tp_error *err);

/*
 * Sets err to `code` at `node` (its line and column in `file`) with the
 * message "<path of node>: <fmt...>", or just the message when the node
 * is at the top.  Returns `code`.
 */
int tp_schema_error(struct tp_error *err, int code, const char *file,
		    const struct tp_ynode *node, const char *fmt, ...)
	TP_PRINTF(5, 6);

/*
 * Reads an integer scalar (plain, decimal digits only, no sign) into *out.
 * Returns 0, or TP_EPOLICY at the node ("expected an integer, got 'x'",
 * "N is out of range (MIN to MAX)").
 */
int tp_schema_int(long *out, const struct tp_ynode *node, long min, long max,
		  const char *file, struct tp_error *err);

/*
 * Index of the scalar `node` in the NULL-terminated `values`, or -1 (and
 * TP_EPOLICY in err: "unknown value 'x' (expected a, b or c); did you
 * mean 'y'?").
 */
int tp_schema_enum(const struct tp_ynode *node, const char *const *values,
		   const char *file, struct tp_error *err);

/* ------------------------------------------------------------------ */
/* Did you mean                                                        */
/* ------------------------------------------------------------------ */

/*
 * The optimal-string-alignment distance between two words (insertions,
 * deletions, substitutions and transpositions of neighbours cost 1; a
 * difference of ASCII case alone costs nothing).  Words longer than 64
 * bytes are far from everything (SIZE_MAX).
 */
size_t tp_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Collects the candidate nearest to a misspelt word.  A candidate counts
 * when its distance d is at least 0 and 3 * d <= max length + 2 and d is
 * less than the longer length (so "x" never suggests "y"); the first of
 * the nearest wins.  `best` stays NULL when nothing is close.
 */
struct tp_suggest {
	const char *word;
	size_t len;
	const char *best;
	size_t best_d;
};

void tp_suggest_init(struct tp_suggest *s, const char *word, size_t len);
void tp_suggest_add(struct tp_suggest *s, const char *candidate);

/* "; did you mean 'x'?" or "" into buf (always NUL-terminated). */
void tp_suggest_text(char *buf, size_t size, const struct tp_suggest *s);

#endif
