/*
 * buf.c: growable NUL-terminated byte buffers with a hard size limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tagpolicy.h"

/* Shared empty string for buffers that own no memory yet; never written. */
char tp_buf__empty[1];

void
tp_buf_init(struct tp_buf *b, size_t max)
{
	b->ptr = tp_buf__empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max ? max : TP_BUF_MAX_DEFAULT;
}

int
tp_buf_grow(struct tp_buf *b, size_t extra)
{
	size_t want, n;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return TP_ENOMEM;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 32;
	while (n < want)
		n = n > SIZE_MAX / 2 ? want : n * 2;
	p = realloc(b->alloc ? b->ptr : NULL, n);
	if (p == NULL)
		return TP_ENOMEM;
	if (b->alloc == 0)
		p[0] = '\0';
	b->ptr = p;
	b->alloc = n;
	return 0;
}

int
tp_buf_put(struct tp_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (tp_buf_grow(b, len) < 0)
		return TP_ENOMEM;
	memmove(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

char *
tp_buf_reserve(struct tp_buf *b, size_t n)
{
	/* the limit first: a commit must not take the content past it */
	if (n > b->max || b->len > b->max - n)
		return NULL;
	if (b->alloc - b->len <= n && tp_buf_grow(b, n) < 0)
		return NULL;
	return b->ptr + b->len;
}

void
tp_buf_commit(struct tp_buf *b, size_t n)
{
	/* nothing was reserved: the shared empty string is never written */
	if (b->alloc == 0)
		return;
	b->len += n;
	b->ptr[b->len] = '\0';
}

int
tp_buf_puts(struct tp_buf *b, const char *s)
{
	return tp_buf_put(b, s, strlen(s));
}

int
tp_buf_putc(struct tp_buf *b, int c)
{
	char ch = (char)c;

	return tp_buf_put(b, &ch, 1);
}

int
tp_buf_vprintf(struct tp_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->alloc ? b->alloc - b->len : 0, fmt,
		      cp);
	va_end(cp);
	if (n < 0)
		return TP_ERROR;
	if ((size_t)n > b->max || b->len > b->max - (size_t)n) {
		if (b->alloc)
			b->ptr[b->len] = '\0';
		return TP_ENOMEM;
	}
	if (b->alloc == 0 || (size_t)n >= b->alloc - b->len) {
		if (tp_buf_grow(b, (size_t)n) < 0) {
			if (b->alloc)
				b->ptr[b->len] = '\0';
			return TP_ENOMEM;
		}
		vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int
tp_buf_printf(struct tp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tp_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
tp_buf_truncate(struct tp_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void
tp_buf_clear(struct tp_buf *b)
{
	tp_buf_truncate(b, 0);
}

void
tp_buf_release(struct tp_buf *b)
{
	size_t max = b->max;

	if (b->alloc)
		free(b->ptr);
	tp_buf_init(b, max);
}

char *
tp_buf_detach(struct tp_buf *b, size_t *len)
{
	char *p;

	if (b->alloc == 0) {
		p = malloc(1);
		if (p == NULL)
			return NULL;
		p[0] = '\0';
	} else {
		p = b->ptr;
	}
	if (len)
		*len = b->len;
	b->ptr = tp_buf__empty;
	b->len = 0;
	b->alloc = 0;
	return p;
}

int
tp_buf_read_fd(struct tp_buf *b, int fd, size_t hint)
{
	size_t want = hint > 0 ? hint + 1 : 8192;
	ssize_t got;
	int saved;

	for (;;) {
		if (want > b->max - b->len)
			want = b->max - b->len;
		if (want == 0 || tp_buf_grow(b, want) < 0)
			return TP_ENOMEM;
		got = read(fd, b->ptr + b->len, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			saved = errno;
			b->ptr[b->len] = '\0';
			errno = saved;
			return TP_EIO;
		}
		if (got == 0)
			break;
		b->len += (size_t)got;
		b->ptr[b->len] = '\0';
		/* the hint was short, or the file grew: take larger bites */
		want = b->alloc - b->len - 1 > 8192 ? b->alloc - b->len - 1
						    : 65536;
	}
	return 0;
}
