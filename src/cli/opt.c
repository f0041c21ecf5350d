/*
 * opt.c: option parsing and help, driven by each command's option table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Global options, accepted before the command and among its arguments. */
static const struct cli_opt global_opts[] = {
	{ CLI_OPT_STRING, NULL, 'C', "DIR", "run as if started in DIR",
	  offsetof(struct cli, dir), NULL },
	{ CLI_OPT_STRING, "policy", 'p', "FILE", "read the policy from FILE",
	  offsetof(struct cli, policy_path), NULL },
	{ CLI_OPT_STRING, "color", 0, "WHEN",
	  "color the output: auto, never or always",
	  offsetof(struct cli, color), "auto|never|always" },
	{ CLI_OPT_FLAG, "quiet", 'q', NULL, "print less",
	  offsetof(struct cli, quiet), NULL },
	{ CLI_OPT_FLAG, "verbose", 'v', NULL, "print more",
	  offsetof(struct cli, verbose), NULL },
	CLI_OPT_END_MARK
};

static const struct cli_opt *
find_long(const struct cli_opt *t, const char *name, size_t len)
{
	for (; t && t->type != CLI_OPT_END; t++)
		if (t->long_name && strlen(t->long_name) == len &&
		    memcmp(t->long_name, name, len) == 0)
			return t;
	return NULL;
}

static const struct cli_opt *
find_short(const struct cli_opt *t, int c)
{
	for (; t && t->type != CLI_OPT_END; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

static int
in_choices(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices, *bar;

	while (p) {
		bar = strchr(p, '|');
		if ((size_t)(bar ? bar - p : (ptrdiff_t)strlen(p)) == n &&
		    strncmp(p, v, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

static void
opt_name(char *buf, size_t len, const struct cli_opt *o, int as_short)
{
	if (as_short || o->long_name == NULL)
		snprintf(buf, len, "-%c", o->short_name);
	else
		snprintf(buf, len, "--%s", o->long_name);
}

static int
store(struct cli *cli, const struct cli_usage *usage, const struct cli_opt *o,
      void *base, char *value, int as_short)
{
	char name[64];
	char *p = (char *)base + o->offset;
	struct cli_strv *sv;

	opt_name(name, sizeof(name), o, as_short);
	switch (o->type) {
	case CLI_OPT_FLAG:
		*(int *)(void *)p = 1;
		return 0;
	case CLI_OPT_STRING:
		if (o->choices && !in_choices(o->choices, value))
			return cli_usage_error(cli, usage,
				"%s: invalid value '%s' (expected %s)", name,
				value, o->choices);
		if (base == (void *)cli && o->offset ==
		    offsetof(struct cli, color)) {
			cli->color = strcmp(value, "never") == 0 ?
				CLI_COLOR_NEVER : strcmp(value, "always") == 0 ?
				CLI_COLOR_ALWAYS : CLI_COLOR_AUTO;
			return 0;
		}
		*(const char **)(void *)p = value;
		return 0;
	case CLI_OPT_LIST:
		sv = (struct cli_strv *)(void *)p;
		sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
		sv->v[sv->n++] = value;
		return 0;
	case CLI_OPT_END:
		break;
	}
	return 0;
}

int
cli_parse(struct cli *cli, int argc, char **argv,
	  const struct cli_usage *usage, void *opts,
	  struct cli_strv *operands)
{
	const struct cli_opt *cmd_opts = usage ? usage->opts : NULL;
	const struct cli_opt *o;
	void *base;
	char *a, *eq, *value;
	int i, only_operands = 0, rc;
	size_t j;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			if (usage && usage->stop_at_operand)
				only_operands = 1;
			operands->v = xrealloc(operands->v,
				(operands->n + 1) * sizeof(*operands->v));
			operands->v[operands->n++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			if (usage && usage->stop_at_operand)
				return -1;
			cli_print_help(cli, usage, cli->out);
			return -1;
		}
		if (usage && usage->stop_at_operand &&
		    strcmp(a, "--version") == 0)
			return -2;
		if (a[1] == '-') {
			a += 2;
			eq = strchr(a, '=');
			j = eq ? (size_t)(eq - a) : strlen(a);
			base = opts;
			o = find_long(cmd_opts, a, j);
			if (o == NULL) {
				o = find_long(global_opts, a, j);
				base = cli;
			}
			if (o == NULL)
				return cli_usage_error(cli, usage,
					"unknown option '--%.*s'", (int)j, a);
			if (o->type == CLI_OPT_FLAG) {
				if (eq)
					return cli_usage_error(cli, usage,
						"option '--%s' takes no value",
						o->long_name);
				value = NULL;
			} else if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				return cli_usage_error(cli, usage,
					"option '--%s' needs a value (%s)",
					o->long_name, o->arg);
			}
			rc = store(cli, usage, o, base, value, 0);
			if (rc)
				return rc;
			continue;
		}
		for (j = 1; a[j]; j++) {
			base = opts;
			o = find_short(cmd_opts, (unsigned char)a[j]);
			if (o == NULL) {
				o = find_short(global_opts,
					       (unsigned char)a[j]);
				base = cli;
			}
			if (o == NULL)
				return cli_usage_error(cli, usage,
					"unknown option '-%c'", a[j]);
			if (o->type == CLI_OPT_FLAG) {
				rc = store(cli, usage, o, base, NULL, 1);
				if (rc)
					return rc;
				continue;
			}
			if (a[j + 1])
				value = a + j + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return cli_usage_error(cli, usage,
					"option '-%c' needs a value (%s)",
					a[j], o->arg);
			rc = store(cli, usage, o, base, value, 1);
			if (rc)
				return rc;
			break;
		}
	}
	return usage && usage->stop_at_operand ? 0 : cli_setup(cli);
}

static int
resolve_color(enum cli_color c, int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (c == CLI_COLOR_ALWAYS)
		return 1;
	if (c == CLI_COLOR_NEVER)
		return 0;
	if (nc && *nc)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

int
cli_setup(struct cli *cli)
{
	cli->color_out = resolve_color(cli->color, fileno(cli->out));
	cli->color_err = resolve_color(cli->color, fileno(cli->err));
	if (cli->dir && !cli->dir_done) {
		if (chdir(cli->dir) != 0)
			return cli_error(cli, EXIT_ENV,
				"cannot change to folder '%s': %s", cli->dir,
				strerror(errno));
		cli->dir_done = 1;
	}
	return 0;
}

static void
print_opts(FILE *f, const struct cli_opt *o)
{
	char left[64];
	int n;

	for (; o && o->type != CLI_OPT_END; o++) {
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s",
				     o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		else
			n = snprintf(left, sizeof(left), "    --%s",
				     o->long_name);
		if (o->arg && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s",
				 o->arg);
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
}

void
cli_print_help(struct cli *cli, const struct cli_usage *usage, FILE *f)
{
	const char *s, *nl;

	(void)cli;
	if (usage == NULL)
		return;
	s = usage->synopsis;
	fputs("usage: ", f);
	while (s && *s) {
		nl = strchr(s, '\n');
		fprintf(f, "%stagpolicy %.*s\n", s == usage->synopsis ? "" :
			"       ", (int)(nl ? nl - s : (ptrdiff_t)strlen(s)), s);
		s = nl ? nl + 1 : NULL;
	}
	if (usage->description)
		fprintf(f, "\n%s\n", usage->description);
	if (usage->opts && usage->opts->type != CLI_OPT_END) {
		fputs("\noptions:\n", f);
		print_opts(f, usage->opts);
	}
	fputs("\nglobal options:\n", f);
	print_opts(f, global_opts);
	fputs("  -h, --help               show this help\n", f);
}

int
cli_usage_error(struct cli *cli, const struct cli_usage *usage,
		const char *fmt, ...)
{
	va_list ap;

	fputs("tagpolicy: error: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	if (usage && usage->name)
		fprintf(cli->err, "Try 'tagpolicy %s --help'.\n", usage->name);
	else
		fputs("Try 'tagpolicy --help'.\n", cli->err);
	return EXIT_USAGE;
}
