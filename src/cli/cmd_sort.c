/*
 * cmd_sort.c: `tagpolicy sort` orders versions by SemVer 2.0.0 precedence.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "listin.h"

struct sort_opts {
	int reverse;
};

static const struct cli_opt options[] = {
	{ CLI_OPT_FLAG, "reverse", 'r', NULL,
	  "highest first (equal versions keep their input order)",
	  offsetof(struct sort_opts, reverse), NULL },
	CLI_OPT_END_MARK
};

static const struct cli_usage usage = {
	"sort",
	"sort [-r] [-]\n"
	"sort [-r] VERSION...",
	"Prints versions one a line in SemVer 2.0.0 precedence order, lowest\n"
	"first.  The sort is stable: versions of equal precedence (1.0.0+a,\n"
	"1.0.0+b) keep their input order.  With no operand or with '-' the\n"
	"versions are read from standard input, one a line.  A line that is not\n"
	"a version is an error (exit 2) and nothing is printed.",
	options,
	0
};

struct entry {
	struct tp_version v;
	size_t index;
};

static int
by_version(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = tp_version_cmp(&a->v, &b->v);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int
by_version_reversed(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = tp_version_cmp(&b->v, &a->v);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

int
cmd_sort(struct cli *cli, int argc, char **argv)
{
	struct sort_opts opts = { 0 };
	struct cli_strv ops = { NULL, 0 };
	struct tp_list *list = NULL;
	struct entry *e = NULL;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	const char *text;
	size_t i, n, len;
	unsigned line;
	int rc, from_stdin;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &usage, &opts, &ops);
	if (rc)
		goto done;
	from_stdin = ops.n == 0 || (ops.n == 1 && strcmp(ops.v[0], "-") == 0);
	if (!from_stdin) {
		for (i = 0; i < ops.n; i++)
			if (strcmp(ops.v[i], "-") == 0) {
				rc = cli_usage_error(cli, &usage,
					"'-' cannot be mixed with versions");
				goto done;
			}
	} else if (tp_list_read_fd(&list, 0, "-", &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	n = from_stdin ? list->n : ops.n;
	e = xmalloc(n * sizeof(*e));
	for (i = 0; i < n; i++) {
		text = from_stdin ? list->items[i].text : ops.v[i];
		len = from_stdin ? list->items[i].len : strlen(text);
		line = from_stdin ? list->items[i].line : 0;
		if (from_stdin && list->items[i].problem) {
			rc = cli_error(cli, EXIT_USAGE, "line %u: %s", line,
				       list->items[i].problem);
			goto done;
		}
		if (tp_version_parse(&e[i].v, text, len, &err) < 0) {
			if (from_stdin)
				rc = cli_error(cli, EXIT_USAGE,
					"line %u: '%s' is not a version: %s",
					line, text, err.msg);
			else
				rc = cli_error(cli, EXIT_USAGE,
					"'%s' is not a version: %s", text,
					err.msg);
			goto done;
		}
		e[i].index = i;
	}
	qsort(e, n, sizeof(*e), opts.reverse ? by_version_reversed :
	      by_version);
	for (i = 0; i < n; i++)
		if (tp_buf_put(&out, e[i].v.str, e[i].v.len) < 0 ||
		    tp_buf_putc(&out, '\n') < 0)
			cli_oom();
	rc = cli_write_out(cli, &out);
done:
	tp_buf_release(&out);
	tp_list_free(list);
	free(e);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
