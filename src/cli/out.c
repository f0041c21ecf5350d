/*
 * out.c: how the tool speaks: errors, warnings and hints on stderr, results
 * on stdout, colors only where asked for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
cli_oom(void)
{
	fputs("tagpolicy: error: out of memory\n", stderr);
	exit(EXIT_ENV);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		cli_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		cli_oom();
	return p;
}

const char *
cli_sgr(int on, const char *code)
{
	return on ? code : "";
}

static void vsay(struct cli *cli, const char *label, const char *color,
		 const char *fmt, va_list ap) TP_PRINTF(4, 0);

static void
vsay(struct cli *cli, const char *label, const char *color, const char *fmt,
     va_list ap)
{
	fprintf(cli->err, "tagpolicy: %s%s:%s ", cli_sgr(cli->color_err, color),
		label, cli_sgr(cli->color_err, "\033[m"));
	vfprintf(cli->err, fmt, ap);
	fputc('\n', cli->err);
}

int
cli_error(struct cli *cli, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(cli, "error", "\033[1;31m", fmt, ap);
	va_end(ap);
	return status;
}

void
cli_warn(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	va_start(ap, fmt);
	vsay(cli, "warning", "\033[1;33m", fmt, ap);
	va_end(ap);
}

void
cli_hint(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(cli, "hint", "\033[1;36m", fmt, ap);
	va_end(ap);
}

int
cli_fail(struct cli *cli, const struct tp_error *err)
{
	const char *msg = err->msg[0] ? err->msg : "unknown error";

	if (err->file[0] && err->line)
		fprintf(cli->err, "%s:%u:%u: %serror:%s %s\n", err->file,
			err->line, err->column,
			cli_sgr(cli->color_err, "\033[1;31m"),
			cli_sgr(cli->color_err, "\033[m"), msg);
	else if (err->file[0])
		fprintf(cli->err, "%s: %serror:%s %s\n", err->file,
			cli_sgr(cli->color_err, "\033[1;31m"),
			cli_sgr(cli->color_err, "\033[m"), msg);
	else
		cli_error(cli, 0, "%s", msg);
	if (err->hint[0])
		cli_hint(cli, "%s", err->hint);
	return tp_status_exit(err->code ? err->code : TP_ERROR);
}

int
cli_write_out(struct cli *cli, const struct tp_buf *b)
{
	if (b->len && fwrite(b->ptr, 1, b->len, cli->out) != b->len) {
		cli->out_failed = 1;
		return cli_error(cli, EXIT_ENV, "cannot write the output: %s",
				 strerror(errno));
	}
	return 0;
}

int
cli_finish(struct cli *cli, int status)
{
	if (fflush(cli->out) != 0 || ferror(cli->out)) {
		/*
		 * said once: the write that failed said why (perhaps on
		 * another thread, whose errno this is not)
		 */
		if (cli->out_failed)
			return status;
		/* a closed pipe (| head) is the reader's choice, not a fault */
		if (errno == EPIPE)
			return status;
		return cli_error(cli, EXIT_ENV, "cannot write the output: %s",
				 strerror(errno));
	}
	return status;
}
