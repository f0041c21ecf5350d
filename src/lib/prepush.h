/*
 * prepush.h: the ref-update lines git feeds to the pre-push hook (client)
 * and to the pre-receive hook (server), parsed into one record type.
 *
 *	pre-push     <local-ref> SP <local-oid> SP <remote-ref> SP <remote-oid> LF
 *	pre-receive  <old-oid> SP <new-oid> SP <ref> LF
 *
 * Object names are full lower-case hex: 40 digits (SHA-1) or 64 (SHA-256),
 * the same length in every line of one input.  The zero id (all '0')
 * stands for "no object": on the remote side it is a create, on the local
 * (new) side a delete.  Both zero in one line is an error.
 *
 * Reading rules, the same for both hooks:
 *   - lines end with LF; a CR before the LF is dropped and the last line
 *     may lack its LF; empty input is zero records;
 *   - an empty line, a NUL byte, a missing or empty field, an object name
 *     that is not 40 or 64 lower-case hex digits, lengths that differ
 *     between object names, both ids zero, and (pre-push) `(delete)`
 *     that disagrees with the local id being zero are TP_EINVAL with a
 *     message "line N: <what is wrong>" (N counts from 1);
 *   - pre-push: the last three fields are split off the end of the line
 *     and the local ref is everything before them, so a source typed with
 *     spaces (`git push origin 'main@{1 day ago}:refs/heads/x'`, which
 *     git passes through as typed) is one local ref.  Ref names never
 *     hold a space, so the remote ref is unambiguous;
 *   - pre-receive: exactly three fields.
 * Ref names are not validated here beyond being non-empty.
 */
#ifndef TP_PREPUSH_H
#define TP_PREPUSH_H

#include "tagpolicy.h"

enum tp_push_action {
	TP_PUSH_CREATE, /* the remote (old) id is zero */
	TP_PUSH_UPDATE, /* neither id is zero */
	TP_PUSH_DELETE  /* the local (new) id is zero */
};

enum tp_push_kind {
	TP_PUSH_BRANCH, /* remote_ref starts with "refs/heads/" */
	TP_PUSH_TAG,    /* remote_ref starts with "refs/tags/" */
	TP_PUSH_OTHER
};

/*
 * One ref update.  Every string is NUL-terminated, non-empty except
 * tag_name (empty for the ref "refs/tags/"), and borrowed from the list.
 *
 * For pre-push the members are the line's fields as given.  For
 * pre-receive: remote_ref is <ref>, local_oid is <new-oid>, remote_oid is
 * <old-oid>, and local_ref is "(delete)" for a delete (as pre-push would
 * say) and <ref> otherwise (the server has no other name for the source).
 *
 * tag_name is the part of remote_ref after "refs/tags/" when kind is
 * TP_PUSH_TAG, else NULL.  `line` is the 1-based input line.
 */
struct tp_push_update {
	const char *local_ref;
	const char *local_oid;
	const char *remote_ref;
	const char *remote_oid;
	const char *tag_name;
	enum tp_push_action action;
	enum tp_push_kind kind;
	unsigned line;
};

/*
 * The records of one input, in input order.  Read `updates`, `nr` and
 * `oid_len` (40, 64, or 0 when there are no records); the rest is
 * private.
 */
struct tp_push_list {
	struct tp_push_update *updates;
	size_t nr;
	size_t oid_len;
	char *text; /* private: the copied input the strings point into */
};

/*
 * Parse `len` bytes of pre-push stdin (no NUL terminator needed; `data`
 * may be NULL when `len` is 0) into *out, which the caller frees with
 * tp_push_list_free().  The input is copied: `data` need not outlive the
 * list.  On failure *out is NULL and the result is TP_EINVAL (malformed,
 * as above) or TP_ENOMEM.
 */
int tp_prepush_parse(struct tp_push_list **out, const char *data, size_t len,
		     struct tp_error *err);

/* The same for pre-receive stdin ("<old-oid> SP <new-oid> SP <ref> LF"). */
int tp_prereceive_parse(struct tp_push_list **out, const char *data,
			size_t len, struct tp_error *err);

/* 1 when the object names are 64 hex digits (SHA-256), else 0. */
int tp_push_is_sha256(const struct tp_push_list *l);

/* Frees `l` and everything it holds; NULL is fine. */
void tp_push_list_free(struct tp_push_list *l);

#endif
