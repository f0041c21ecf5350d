/*
 * listin.h: input lists (`-`, `--stdin`, files): one item a line, or the
 * JSON tag listings of registries and their clients (product.md, "Global
 * conventions").
 */
#ifndef TP_LISTIN_H
#define TP_LISTIN_H

#include "tagpolicy.h"

/* Reasons in tp_item.problem (compare the text: strcmp). */
#define TP_ITEM_NUL "contains a NUL byte"
#define TP_ITEM_UTF8 "invalid UTF-8"

/*
 * One item.  `text` is NUL-terminated and `len` long; an item with a
 * `problem` may contain NUL bytes (`len` still counts them all).  `line` is
 * the 1-based line of the input it came from (for JSON, the line on which
 * its string starts).  `problem` is NULL, TP_ITEM_NUL or TP_ITEM_UTF8 (a
 * NUL wins when both apply); a flagged item is still an item, so callers
 * report it rather than drop it.
 */
struct tp_item {
	const char *text;
	size_t len;
	unsigned line;
	const char *problem;
};

/*
 * A list read from text.  Everything it points to belongs to it and lives
 * until tp_list_free().
 *
 * Text lists: each line is an item after surrounding white space (space,
 * TAB, CR, VT, FF) is trimmed; empty lines and lines starting with `#`
 * (after trimming) are skipped; a UTF-8 byte order mark at the very start
 * is ignored.  Non-ASCII white space (NBSP, ...) is not trimmed: it stays
 * in the item for the checks to see.
 *
 * JSON lists (the first byte that is not white space is `{`): the OCI
 * `tags/list` answer and `skopeo list-tags` output
 * ({"name"|"Repository": "...", "tags"|"Tags": [...]}) and Docker Hub's
 * tag listing ({"results": [{"name": "..."}, ...]}).  Each tag string is
 * one item, as written (no trimming, no skipping); `tags: null` (an empty
 * repository) gives no items.  "tags"/"Tags" wins over "results"; other
 * members are ignored.
 */
/*
 * Consecutive lines of a text list whose items are counted but not made
 * (tp_list_read_fd_parts()): a cursor makes them one at a time, so that
 * the parts of a list can be taken apart on several threads at once and
 * no item array is needed.
 */
struct tp_list_part {
	size_t first; /* the list index of its first item */
	size_t n; /* its items */
	/* private */
	char *b, *e; /* its lines, each with its newline but the last */
	size_t lines;
	unsigned line; /* the line before its first */
	int plain; /* ASCII without NUL bytes: no item has a problem */
};

struct tp_list {
	/* NULL when the list has parts instead (see `parts`) */
	struct tp_item *items;
	size_t n;
	/* JSON only: "name" or "Repository" when present, else NULL */
	const char *repository;
	/* 1 when the input was JSON */
	int json;
	/*
	 * 1 when Docker Hub's listing says more pages follow ("next" is a
	 * URL): the items are then only the first page
	 */
	int partial;
	/*
	 * A text list read by tp_list_read_fd_parts(): its parts, in order
	 * (items is then NULL); else NULL and 0
	 */
	struct tp_list_part *parts;
	size_t nparts;
	/* private */
	char *data;
	struct tp_json *doc;
};

/*
 * Where a part is taken apart: tp_list_cursor_next() gives the items of
 * the part in order, the same as tp_list_read_fd() would have made
 * (text, len, line, problem), trimming and NUL-terminating them in place.
 * A part is read by one cursor at a time; cursors of different parts may
 * run on different threads at once.  The items live as long as the list.
 */
struct tp_list_cursor {
	/* private */
	char *p, *end;
	unsigned line;
	int plain;
};

void
tp_list_cursor_init(struct tp_list_cursor *c, const struct tp_list_part *pt);
/* 1 and the next item in *out, or 0 after the part's last. */
int tp_list_cursor_next(struct tp_list_cursor *c, struct tp_item *out);

/* Largest input tp_list_read_fd() accepts. */
#define TP_LIST_MAX ((size_t)1 << 30)

/*
 * Parses `len` bytes of `data` (copied: the list does not borrow it).
 * Errors (JSON only; text lists always parse): TP_EINVAL with the JSON
 * syntax error ("invalid JSON: line L, column C: ...") or with what is
 * wrong with its shape ("JSON input has neither 'tags' nor 'results'",
 * "JSON input: 'tags' element 3 (line 1) is a number, not a string", ...);
 * TP_ENOMEM.  On failure *out is NULL.
 */
int tp_list_parse(struct tp_list **out, const char *data, size_t len,
		  struct tp_error *err);

/*
 * Reads `fd` to its end (it is not closed) and parses what it read.
 * `name` names the input in messages: a path, "-" (said as "standard
 * input") or NULL (said as "input").  Errors: TP_EIO "cannot read
 * 'NAME': <strerror>"; TP_ENOMEM when memory runs out or the input is
 * larger than TP_LIST_MAX ("'NAME' is larger than 1 GiB"); the errors of
 * tp_list_parse(), prefixed with "'NAME': ".
 */
int tp_list_read_fd(struct tp_list **out, int fd, const char *name,
		    struct tp_error *err);
/* The same with a limit of `max` bytes (0: TP_LIST_MAX). */
int tp_list_read_fd_max(struct tp_list **out, int fd, const char *name,
			size_t max, struct tp_error *err);

/*
 * As tp_list_read_fd(), but a text list is left in parts of about
 * `part_bytes` bytes of whole lines (0: TP_LIST_PART) whose items are
 * counted but not made: list->n counts them, list->items is NULL and
 * list->parts holds the parts.  A JSON list is read as by
 * tp_list_read_fd() (parts NULL).  On a long input the counting is shared
 * by threads.
 */
int tp_list_read_fd_parts(struct tp_list **out, int fd, const char *name,
			  size_t part_bytes, struct tp_error *err);

/* Bytes of a part, unless the caller says otherwise. */
#define TP_LIST_PART ((size_t)48 << 10)

/*
 * Reads the file at `path`, or standard input when `path` is "-".
 * TP_EIO "cannot open 'PATH': <strerror>" when it cannot be opened; then
 * as tp_list_read_fd().
 */
int
tp_list_read_path(struct tp_list **out, const char *path, struct tp_error *err);

void tp_list_free(struct tp_list *list);

#endif
