/*
 * main.c: the command table, the global options and dispatch.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cli.h"

static const struct cli_cmd commands[] = {
	{ "check", cmd_check, "lint tags against the policy" },
	{ "compare", cmd_compare, "compare two versions by SemVer precedence" },
	{ "current", cmd_current, "print the current release tag" },
	{ "hook", cmd_hook, "check pushed tags (git hooks); install the hook" },
	{ "next", cmd_next, "compute (and optionally tag) the next release" },
	{ "policy", cmd_policy, "show, validate or start the policy" },
	{ "prune", cmd_prune, "plan which old tags retention would delete" },
	{ "sort", cmd_sort, "order versions by SemVer 2.0.0 precedence" },
	{ "tags", cmd_tags, "render the image tags to publish for HEAD" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_usage main_usage = {
	NULL,
	"[-C DIR] [-p FILE] [--color WHEN] [-q] [-v] COMMAND [ARGS]\n"
	"--version\n"
	"COMMAND --help",
	"Keeps git tags and container-image tags honest: lints them against a\n"
	"policy (.tagpolicy.yml), computes the next release version from the\n"
	"commits since the last release, and renders the image tags to publish.",
	NULL,
	1
};

static void
print_main_help(struct cli *cli)
{
	size_t i;

	cli_print_help(cli, &main_usage, cli->out);
	fputs("\ncommands:\n", cli->out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(cli->out, "  %-24s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nRun 'tagpolicy COMMAND --help' for a command's options.\n"
	      "See tagpolicy(1) and tagpolicy.yml(5).\n", cli->out);
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct cli_strv rest = { NULL, 0 };
	const struct cli_cmd *cmd = NULL;
	char *help[3];
	char **cargv;
	int cargc, rc;
	size_t k;

	memset(&cli, 0, sizeof(cli));
	cli.out = stdout;
	cli.err = stderr;
	/* A closed pipe must end us with a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);

	rc = cli_parse(&cli, argc, argv, &main_usage, NULL, &rest);
	if (rc == -2) {
		printf("tagpolicy %s\n", PACKAGE_VERSION);
		free(rest.v);
		return cli_finish(&cli, EXIT_OK);
	}
	if (rc == -1 || (rc == 0 && rest.n > 0 &&
			 strcmp(rest.v[0], "help") == 0 && rest.n == 1)) {
		print_main_help(&cli);
		free(rest.v);
		return cli_finish(&cli, EXIT_OK);
	}
	if (rc) {
		free(rest.v);
		return rc;
	}
	if (rest.n == 0) {
		free(rest.v);
		return cli_error(&cli, EXIT_USAGE,
			"no command given; see 'tagpolicy --help'");
	}
	cargc = (int)rest.n;
	cargv = rest.v;
	if (strcmp(cargv[0], "help") == 0) {
		/* "help CMD" is "CMD --help" */
		help[0] = cargv[1];
		help[1] = "--help";
		help[2] = NULL;
		cargv = help;
		cargc = 2;
	}
	for (k = 0; k < NCOMMANDS; k++)
		if (strcmp(commands[k].name, cargv[0]) == 0)
			cmd = &commands[k];
	if (cmd == NULL) {
		rc = cli_error(&cli, EXIT_USAGE,
			"unknown command '%s'; see 'tagpolicy --help'",
			cargv[0]);
		free(rest.v);
		return rc;
	}
	rc = cmd->run(&cli, cargc, cargv);
	free(rest.v);
	return cli_finish(&cli, rc);
}
