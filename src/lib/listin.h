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
struct tp_list {
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
	/* private */
	char *data;
	struct tp_json *doc;
};

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
 * Reads the file at `path`, or standard input when `path` is "-".
 * TP_EIO "cannot open 'PATH': <strerror>" when it cannot be opened; then
 * as tp_list_read_fd().
 */
int
tp_list_read_path(struct tp_list **out, const char *path, struct tp_error *err);

void tp_list_free(struct tp_list *list);

#endif
