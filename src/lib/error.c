/*
 * error.c: the error record every fallible library function fills.
 */
#include <stdio.h>
#include <string.h>

#include "tagpolicy.h"

void
tp_error_init(struct tp_error *err)
{
	memset(err, 0, sizeof(*err));
}

int
tp_error_vset(struct tp_error *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL || err->code != 0)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int
tp_error_set(struct tp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tp_error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
tp_error_set_at(struct tp_error *err, int code, const char *file,
		unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != 0)
		return code;
	va_start(ap, fmt);
	tp_error_vset(err, code, fmt, ap);
	va_end(ap);
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	return code;
}

void
tp_error_hint(struct tp_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->hint[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

int
tp_status_exit(int code)
{
	switch (code) {
	case TP_OK:
		return 0;
	case TP_ENOTFOUND:
	case TP_EEXISTS:
		return 1;
	case TP_EINVAL:
	case TP_EPOLICY:
	case TP_EREGEX:
		return 2;
	default:
		return 3;
	}
}

int
tp_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return 0;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return 0;
}
