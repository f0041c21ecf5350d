/*
 * prepush.c: parse the ref-update lines of the pre-push and pre-receive
 * hooks.
 */
#include <stdlib.h>
#include <string.h>

#include "prepush.h"

#define EXCERPT_MAX 64

/* The field splitter of one hook: fills the record from one line. */
typedef int (*line_fn)(struct tp_push_list *l, struct tp_push_update *u,
		       char *line, size_t n, struct tp_error *err);

/*
 * Copies at most EXCERPT_MAX bytes of `p` into `buf` for a message, with
 * control bytes shown as '?': the text comes from a pipe and goes to the
 * terminal of the person pushing.
 */
static const char *
excerpt(char *buf, const char *p, size_t n)
{
	size_t i, k = n > EXCERPT_MAX ? EXCERPT_MAX : n;

	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)p[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (k < n) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

static int
is_zero(const char *oid)
{
	while (*oid == '0')
		oid++;
	return *oid == '\0';
}

/* Checks the object name `p` (NUL-terminated, `n` bytes) of `role`. */
static int
check_oid(struct tp_push_list *l, const char *p, size_t n, const char *role,
	  unsigned line, struct tp_error *err)
{
	char q[EXCERPT_MAX + 4];
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		      (p[i] >= 'a' && p[i] <= 'f')))
			break;
	if (i < n || (n != 40 && n != 64))
		return tp_error_set(err, TP_EINVAL,
				    "line %u: bad object name '%s' (%s): "
				    "expected 40 or 64 lower-case hex digits",
				    line, excerpt(q, p, n), role);
	if (l->oid_len == 0)
		l->oid_len = n;
	else if (l->oid_len != n)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: object name '%s' (%s) has %zu "
				    "hex digits, others have %zu",
				    line, excerpt(q, p, n), role, n,
				    l->oid_len);
	return 0;
}

static void
set_kind(struct tp_push_update *u)
{
	if (strncmp(u->remote_ref, "refs/tags/", 10) == 0) {
		u->kind = TP_PUSH_TAG;
		u->tag_name = u->remote_ref + 10;
	} else if (strncmp(u->remote_ref, "refs/heads/", 11) == 0) {
		u->kind = TP_PUSH_BRANCH;
	} else {
		u->kind = TP_PUSH_OTHER;
	}
}

static size_t
count_spaces(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == ' ')
			k++;
	return k;
}

/* Index of the last ' ' in s[0..n), or n when there is none. */
static size_t
last_space(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0)
		if (s[--i] == ' ')
			return i;
	return n;
}

/* Sets the action and kind of `u` once both ids are checked. */
static int
finish(struct tp_push_update *u, struct tp_error *err)
{
	int lz = is_zero(u->local_oid), rz = is_zero(u->remote_oid);

	if (lz && rz)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: both object names are zero",
				    u->line);
	u->action = lz ? TP_PUSH_DELETE : rz ? TP_PUSH_CREATE :
		TP_PUSH_UPDATE;
	set_kind(u);
	return 0;
}

static int
prepush_line(struct tp_push_list *l, struct tp_push_update *u, char *line,
	     size_t n, struct tp_error *err)
{
	char q[EXCERPT_MAX + 4];
	size_t s1, s2, s3, nsp = count_spaces(line, n);
	int error, is_delete;

	if (nsp < 3)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: expected 4 space-separated "
				    "fields, found %zu", u->line, nsp + 1);
	s3 = last_space(line, n);
	s2 = last_space(line, s3);
	s1 = last_space(line, s2);
	line[s1] = line[s2] = line[s3] = '\0';
	u->local_ref = line;
	u->local_oid = line + s1 + 1;
	u->remote_ref = line + s2 + 1;
	u->remote_oid = line + s3 + 1;
	if (s1 == 0)
		return tp_error_set(err, TP_EINVAL, "line %u: empty local ref",
				    u->line);
	if (s3 == s2 + 1)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: empty remote ref", u->line);
	/* right to left, the order the fields were split in */
	if ((error = check_oid(l, u->remote_oid, n - s3 - 1, "remote",
			       u->line, err)) < 0 ||
	    (error = check_oid(l, u->local_oid, s2 - s1 - 1, "local",
			       u->line, err)) < 0 ||
	    (error = finish(u, err)) < 0)
		return error;
	is_delete = strcmp(u->local_ref, "(delete)") == 0;
	if (is_delete && u->action != TP_PUSH_DELETE)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: local ref '(delete)' with the "
				    "non-zero object name '%s'",
				    u->line, u->local_oid);
	if (!is_delete && u->action == TP_PUSH_DELETE)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: zero local object name for "
				    "'%s' (a delete says '(delete)')",
				    u->line, excerpt(q, u->local_ref, s1));
	return 0;
}

static int
prereceive_line(struct tp_push_list *l, struct tp_push_update *u,
		char *line, size_t n, struct tp_error *err)
{
	size_t s1, s2, nsp = count_spaces(line, n);
	int error;

	if (nsp != 2)
		return tp_error_set(err, TP_EINVAL,
				    "line %u: expected 3 space-separated "
				    "fields, found %zu", u->line, nsp + 1);
	s1 = (size_t)((char *)memchr(line, ' ', n) - line);
	s2 = last_space(line, n);
	line[s1] = line[s2] = '\0';
	u->remote_oid = line;
	u->local_oid = line + s1 + 1;
	u->remote_ref = line + s2 + 1;
	if (s2 + 1 == n)
		return tp_error_set(err, TP_EINVAL, "line %u: empty ref",
				    u->line);
	if ((error = check_oid(l, u->remote_oid, s1, "old", u->line,
			       err)) < 0 ||
	    (error = check_oid(l, u->local_oid, s2 - s1 - 1, "new", u->line,
			       err)) < 0 ||
	    (error = finish(u, err)) < 0)
		return error;
	u->local_ref = u->action == TP_PUSH_DELETE ? "(delete)" :
		u->remote_ref;
	return 0;
}

static int
parse(struct tp_push_list **out, const char *data, size_t len, line_fn fn,
      struct tp_error *err)
{
	struct tp_push_list *l = NULL;
	size_t pos = 0, nlines = 0, i;
	unsigned lineno = 0;
	int error = 0;

	*out = NULL;
	if (len == SIZE_MAX)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	l->text = malloc(len + 1);
	if (l->text == NULL) {
		error = tp_error_set(err, TP_ENOMEM, "out of memory");
		goto done;
	}
	if (len > 0)
		memcpy(l->text, data, len);
	l->text[len] = '\0';
	for (i = 0; i < len; i++)
		if (l->text[i] == '\n')
			nlines++;
	if (len > 0 && l->text[len - 1] != '\n')
		nlines++;
	if (nlines > 0) {
		l->updates = calloc(nlines, sizeof(*l->updates));
		if (l->updates == NULL) {
			error = tp_error_set(err, TP_ENOMEM, "out of memory");
			goto done;
		}
	}
	while (pos < len) {
		char *line = l->text + pos;
		char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct tp_push_update *u = &l->updates[l->nr];

		pos += n + 1;
		line[n] = '\0';
		u->line = ++lineno;
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0) {
			error = tp_error_set(err, TP_EINVAL,
					     "line %u: empty line", lineno);
			goto done;
		}
		if (memchr(line, '\0', n) != NULL) {
			error = tp_error_set(err, TP_EINVAL,
					     "line %u: NUL byte", lineno);
			goto done;
		}
		if ((error = fn(l, u, line, n, err)) < 0)
			goto done;
		l->nr++;
	}

done:
	if (error < 0) {
		tp_push_list_free(l);
		return error;
	}
	*out = l;
	return 0;
}

int
tp_prepush_parse(struct tp_push_list **out, const char *data, size_t len,
		 struct tp_error *err)
{
	return parse(out, data, len, prepush_line, err);
}

int
tp_prereceive_parse(struct tp_push_list **out, const char *data, size_t len,
		    struct tp_error *err)
{
	return parse(out, data, len, prereceive_line, err);
}

int
tp_push_is_sha256(const struct tp_push_list *l)
{
	return l != NULL && l->oid_len == 64;
}

void
tp_push_list_free(struct tp_push_list *l)
{
	if (l == NULL)
		return;
	free(l->updates);
	free(l->text);
	free(l);
}
