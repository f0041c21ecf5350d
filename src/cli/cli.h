/*
 * cli.h: what the command-line tool's files share: the run context, the
 * option tables that drive both parsing and --help, the command table and
 * output helpers.  Only src/cli includes it.
 */
#ifndef TP_CLI_H
#define TP_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "tagpolicy.h"

/* Exit statuses (product.md). */
#define EXIT_OK 0
#define EXIT_NO 1
#define EXIT_USAGE 2
#define EXIT_ENV 3
#define EXIT_NOTHING 4 /* next --exit-code only */

enum cli_color {
	CLI_COLOR_AUTO,
	CLI_COLOR_NEVER,
	CLI_COLOR_ALWAYS
};

/* The global options and the streams; one per process, passed around. */
struct cli {
	const char *dir;         /* -C DIR, or NULL */
	const char *policy_path; /* -p FILE, or NULL */
	enum cli_color color;
	int quiet;
	int verbose;
	int color_out;           /* resolved: color on stdout */
	int color_err;           /* resolved: color on stderr */
	int dir_done;            /* -C applied */
	FILE *out;
	FILE *err;
	int out_failed;          /* a write error on `out` was reported */
};

enum cli_opt_type {
	CLI_OPT_END = 0,
	CLI_OPT_FLAG,    /* int: set to 1 */
	CLI_OPT_STRING,  /* const char *: the argument */
	CLI_OPT_LIST     /* struct cli_strv: repeatable */
};

/* A repeatable option's values, in command-line order (argv borrowed). */
struct cli_strv {
	char **v;
	size_t n;
};

/*
 * One option.  `offset` is where the value goes in the command's options
 * struct (offsetof); `arg` names the argument in --help (NULL for flags);
 * `choices`, when set, lists the accepted values ("text|json").
 */
struct cli_opt {
	enum cli_opt_type type;
	const char *long_name;
	int short_name;
	const char *arg;
	const char *help;
	size_t offset;
	const char *choices;
};

#define CLI_OPT_END_MARK { CLI_OPT_END, NULL, 0, NULL, NULL, 0, NULL }

/* How a command is called, for --help and usage errors. */
struct cli_usage {
	const char *name;        /* "sort" or "hook pre-push" */
	const char *synopsis;    /* lines after "usage: tagpolicy " */
	const char *description; /* one paragraph */
	const struct cli_opt *opts;
	int stop_at_operand;     /* main: global options, then the command */
};

/*
 * Parses argv[1..] (argv[0] is the command name) against the command's
 * options and the global ones, in any order; "--" ends options and "-"
 * alone is an operand.  Operands are left in argv order in *operands.
 * Returns 0, or prints a usage error and returns EXIT_USAGE, or prints
 * the help and returns -1 (the caller exits 0).  After a command's options
 * it applies the global ones (cli_setup); a failed -C is EXIT_ENV.
 */
int cli_parse(struct cli *cli, int argc, char **argv,
	      const struct cli_usage *usage, void *opts,
	      struct cli_strv *operands);

/* Resolves colors and applies -C; returns 0 or an exit status. */
int cli_setup(struct cli *cli);

void cli_print_help(struct cli *cli, const struct cli_usage *usage, FILE *f);

/* Prints "usage: ..." and "Try 'tagpolicy CMD --help'" on stderr. */
int cli_usage_error(struct cli *cli, const struct cli_usage *usage,
		    const char *fmt, ...) TP_PRINTF(3, 4);

/*
 * Reports `err` on stderr ("tagpolicy: error: ..." or, with a location,
 * "FILE:LINE:COL: error: ...", then the hint) and returns the exit status
 * for its code.
 */
int cli_fail(struct cli *cli, const struct tp_error *err);

/* "tagpolicy: error: ..." on stderr; returns `status`. */
int cli_error(struct cli *cli, int status, const char *fmt, ...)
	TP_PRINTF(3, 4);
void cli_warn(struct cli *cli, const char *fmt, ...) TP_PRINTF(2, 3);
void cli_hint(struct cli *cli, const char *fmt, ...) TP_PRINTF(2, 3);

/* Writes `b` to stdout; a write error becomes EXIT_ENV with a message. */
int cli_write_out(struct cli *cli, const struct tp_buf *b);
/* Flushes stdout and reports a write error (EPIPE, ENOSPC) on stderr. */
int cli_finish(struct cli *cli, int status);

/* ANSI color around text when the stream is colored. */
const char *cli_sgr(int on, const char *code);

/* out-of-memory in the CLI: print and exit 3 */
void cli_oom(void);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);

/*
 * Loads the policy the command uses (lookup.c): -p FILE, $TAGPOLICY_CONFIG,
 * .tagpolicy.yml or .tagpolicy.yaml at the top of the working tree (the
 * current folder outside one), else the built-in default.  Returns 0, or
 * reports the problem and returns the exit status (2 for a bad or missing
 * named file, 3 for an unreadable found one).
 */
int cli_load_policy(struct cli *cli, struct tp_policy **out);

/*
 * The top-level folder of the working tree around the current folder: the
 * nearest folder upwards that holds a `.git` entry (a folder, or a file as
 * in worktrees and submodules).  A malloc'd path, or NULL outside one.
 */
char *cli_worktree_top(void);

/* Commands: cmd_<name>.c each define one. */
struct cli_cmd {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_compare(struct cli *cli, int argc, char **argv);
int cmd_current(struct cli *cli, int argc, char **argv);
int cmd_hook(struct cli *cli, int argc, char **argv);
int cmd_next(struct cli *cli, int argc, char **argv);
int cmd_policy(struct cli *cli, int argc, char **argv);
int cmd_prune(struct cli *cli, int argc, char **argv);
int cmd_sort(struct cli *cli, int argc, char **argv);
int cmd_tags(struct cli *cli, int argc, char **argv);

#endif
