/*
 * json.h: JSON output (string literals and a small streaming writer) and a
 * small DOM reader for RFC 8259 JSON.
 */
#ifndef TP_JSON_H
#define TP_JSON_H

#include "tagpolicy.h"

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/*
 * 1 when the `len` bytes at `s` are well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF), else 0.  NUL bytes are valid
 * UTF-8 here; callers that care look for them separately.
 */
int tp_json_utf8_valid(const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

/*
 * Appends `len` bytes of `s` to `out` as a JSON string literal, quotes
 * included.  `"` and `\` are escaped; so are the control characters
 * U+0000-U+001F (as \n \t \r \b \f, the others as \u00XX) and DEL (\u007f),
 * so that the output is safe on a terminal.  Well-formed UTF-8 passes
 * through unchanged; each maximal ill-formed subsequence (Unicode's
 * "U+FFFD substitution of maximal subparts") becomes U+FFFD, so the output
 * is always valid JSON in valid UTF-8.  TP_ENOMEM when `out` cannot grow;
 * `out` may then hold part of the literal.
 */
int tp_json_str(struct tp_buf *out, const char *s, size_t len);

/* Nesting of arrays and objects that the writer and the reader accept. */
#define TP_JSON_MAX_DEPTH 64

/*
 * A streaming writer: call the tp_jw_* functions in document order and it
 * puts the commas, colons and (when `pretty`) the newlines and the
 * two-space indentation.  Inside an object every value must follow a
 * tp_jw_key().  Without `pretty` the output is compact (no white space at
 * all); with it, the layout is that of `jq .`.  No newline is written after
 * the last closing bracket: the caller ends the document.
 *
 * Every function returns 0 or a negative status, and failure is sticky:
 * once a call has failed, every later call fails with the same status and
 * writes nothing (so a caller may check only the last call, or `error`).
 * TP_ENOMEM: `out` cannot grow.  TP_ERROR: misuse (a value in an object
 * without a key, a key outside an object, a mismatched or extra end,
 * nesting deeper than TP_JSON_MAX_DEPTH, a second top-level value).
 * TP_EINVAL: tp_jw_number() got text that is not a JSON number.
 *
 * Only the tp_jw_* functions touch the members.
 */
struct tp_json_w {
	struct tp_buf *out;
	int depth;
	int first[TP_JSON_MAX_DEPTH + 1]; /* no value yet at this level */
	char kind[TP_JSON_MAX_DEPTH + 1]; /* '{' or '[' at this level */
	int after_key;
	int pretty;
	int error;
};

/* Starts a writer appending to `out` (which the caller owns). */
void tp_jw_init(struct tp_json_w *w, struct tp_buf *out, int pretty);

int tp_jw_obj_begin(struct tp_json_w *w);
int tp_jw_obj_end(struct tp_json_w *w);
int tp_jw_arr_begin(struct tp_json_w *w);
int tp_jw_arr_end(struct tp_json_w *w);
/* A member name (a C string), written with tp_json_str(). */
int tp_jw_key(struct tp_json_w *w, const char *key);
/* A string value; NULL writes `null`. */
int tp_jw_str(struct tp_json_w *w, const char *s);
int tp_jw_strn(struct tp_json_w *w, const char *s, size_t len);
int tp_jw_int(struct tp_json_w *w, long long v);
int tp_jw_bool(struct tp_json_w *w, int v);
int tp_jw_null(struct tp_json_w *w);
/* A number given as its JSON text (e.g. from tp_json_number()), verbatim. */
int tp_jw_number(struct tp_json_w *w, const char *text, size_t len);

struct tp_json;
/* Writes a parsed value (and everything in it) as if call by call. */
int tp_jw_value(struct tp_json_w *w, const struct tp_json *v);

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

enum tp_json_type {
	TP_JSON_NONE = 0, /* no value: what the accessors say about NULL */
	TP_JSON_NULL,
	TP_JSON_FALSE,
	TP_JSON_TRUE,
	TP_JSON_NUMBER,
	TP_JSON_STRING,
	TP_JSON_ARRAY,
	TP_JSON_OBJECT
};

/* Memory a parsed document may use, by default. */
#define TP_JSON_MEM_MAX ((size_t)1 << 30)

/*
 * Parses exactly `len` bytes of `s` as one JSON text (RFC 8259: any value
 * at the top, white space around it).  The document does not borrow `s`:
 * every string is decoded (escapes undone, surrogate pairs joined) into
 * memory owned by the document, and NUL-terminated; numbers are checked
 * against the grammar and kept as their text.  Objects keep their members
 * in input order, duplicates included.
 *
 * Leniencies, so that a caller can report bad data item by item instead
 * of refusing a whole document: bytes in strings are not checked for
 * UTF-8 (use tp_json_utf8_valid()), and an unpaired surrogate escape
 * (\ud800) is decoded to its three-byte form, which is not valid UTF-8.
 * \u0000 gives a NUL inside the string (the length counts it).
 *
 * Errors: TP_EINVAL with "line L, column C: WHAT" (lines and columns
 * count from 1, columns in characters), WHAT being e.g. "unexpected
 * character 'x', expected ',' or ']'", "unterminated string" (at the
 * opening quote), "invalid escape '\q'", "nesting too deep (more than 64
 * levels)", "trailing data after the JSON value";  TP_ENOMEM when memory
 * runs out or the document would need more than TP_JSON_MEM_MAX bytes.
 * On success *out is the root, which the caller frees with tp_json_free();
 * on failure *out is NULL.
 */
int tp_json_parse(struct tp_json **out, const char *s, size_t len,
		  struct tp_error *err);
/* The same with a memory limit of `max_mem` bytes (0: TP_JSON_MEM_MAX). */
int tp_json_parse_max(struct tp_json **out, const char *s, size_t len,
		      size_t max_mem, struct tp_error *err);

/* Frees a document; `root` must be what tp_json_parse() gave (or NULL). */
void tp_json_free(struct tp_json *root);

/* Bytes of memory the document uses (for accounting and tests). */
size_t tp_json_mem(const struct tp_json *root);

/*
 * Accessors.  All take NULL (then answer TP_JSON_NONE, 0 or NULL), so
 * lookups chain: tp_json_get(tp_json_get(root, "a"), "b").  Returned
 * pointers are borrowed from the document.
 */
enum tp_json_type tp_json_type(const struct tp_json *v);
/* The last member named `key` of an object (as JavaScript does), or NULL. */
const struct tp_json *tp_json_get(const struct tp_json *obj, const char *key);
/* Number of elements of an array or members of an object, else 0. */
size_t tp_json_len(const struct tp_json *v);
/* Element `i` of an array, or member `i` of an object; NULL past the end. */
const struct tp_json *tp_json_at(const struct tp_json *v, size_t i);
/* The name of an object member (NUL-terminated), else NULL. */
const char *tp_json_key(const struct tp_json *v, size_t *len);
/* A string's decoded bytes (NUL-terminated), else NULL. `len` may be NULL. */
const char *tp_json_string(const struct tp_json *v, size_t *len);
/* A number's text as written (NUL-terminated), else NULL. */
const char *tp_json_number(const struct tp_json *v, size_t *len);
/* The line on which a value starts, from 1. */
unsigned tp_json_line(const struct tp_json *v);

#endif
