/*
 * cmd_policy.c: `tagpolicy policy show|validate|init`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct policy_opts {
	const char *format;
	const char *preset;
};

static const struct cli_opt show_options[] = {
	{ CLI_OPT_STRING, "format", 0, "FORMAT",
	  "yaml (the default: loads back as the same policy) or json",
	  offsetof(struct policy_opts, format), "yaml|json" },
	CLI_OPT_END_MARK
};

static const struct cli_opt init_options[] = {
	{ CLI_OPT_STRING, "preset", 0, "NAME",
	  "the preset the new policy extends (default: default)",
	  offsetof(struct policy_opts, preset), NULL },
	CLI_OPT_END_MARK
};

static const struct cli_usage usage = {
	"policy",
	"policy show [--format yaml|json]\n"
	"policy validate [FILE]\n"
	"policy init [--preset NAME]",
	"show: prints the effective policy, presets resolved and defaults\n"
	"filled in.  validate: loads FILE (or the policy the lookup finds) and\n"
	"reports the first problem with file:line:column (exit 2).  init:\n"
	"writes a starter .tagpolicy.yml at the top of the working tree (or to\n"
	"the file named by -p); it never overwrites a file (exit 1).",
	NULL,
	0
};

static const struct cli_usage show_usage = {
	"policy show", "policy show [--format yaml|json]",
	"Prints the effective policy: presets resolved, defaults filled in.\n"
	"The YAML form loads back as the same policy.",
	show_options, 0
};

static const struct cli_usage validate_usage = {
	"policy validate", "policy validate [FILE]",
	"Loads FILE, or the policy the lookup finds (-p, $TAGPOLICY_CONFIG,\n"
	".tagpolicy.yml or .tagpolicy.yaml at the top of the working tree), and\n"
	"says whether it is valid.  A problem is reported with file:line:column\n"
	"and the key path (exit 2).",
	NULL, 0
};

static const struct cli_usage init_usage = {
	"policy init", "policy init [--preset NAME]",
	"Writes a starter .tagpolicy.yml that extends a preset, at the top of\n"
	"the working tree (the current folder outside one), or to the file\n"
	"named by -p.  It never overwrites: an existing file is exit 1.",
	init_options, 0
};

static int
policy_show(struct cli *cli, int argc, char **argv)
{
	struct policy_opts opts = { NULL, NULL };
	struct cli_strv ops = { NULL, 0 };
	struct tp_policy *p = NULL;
	struct tp_buf out = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &show_usage, &opts, &ops);
	if (rc)
		goto done;
	if (ops.n) {
		rc = cli_usage_error(cli, &show_usage, "unexpected argument '%s'",
				     ops.v[0]);
		goto done;
	}
	rc = cli_load_policy(cli, &p);
	if (rc)
		goto done;
	if (tp_policy_dump(&out, p, opts.format &&
			   strcmp(opts.format, "json") == 0 ? TP_DUMP_JSON :
			   TP_DUMP_YAML, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	rc = cli_write_out(cli, &out);
done:
	tp_buf_release(&out);
	tp_policy_free(p);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

static int
policy_validate(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	struct tp_policy *p = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &validate_usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n > 1) {
		rc = cli_usage_error(cli, &validate_usage,
				     "expected at most one file, got %zu", ops.n);
		goto done;
	}
	if (ops.n == 1) {
		if (tp_policy_load_file(&p, ops.v[0], &err) < 0) {
			/* a file named on the command line: 2, even unreadable */
			if (err.code == TP_EIO)
				err.code = TP_EPOLICY;
			rc = cli_fail(cli, &err);
			goto done;
		}
	} else {
		rc = cli_load_policy(cli, &p);
		if (rc)
			goto done;
	}
	if (!cli->quiet)
		fprintf(cli->out, "%s: valid\n", tp_policy_origin(p));
	rc = EXIT_OK;
done:
	tp_policy_free(p);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

/*
 * Creates `path` holding `text` without ever replacing a file: the text
 * goes to a temporary file beside it, which is then hard-linked to the
 * final name (link() fails when the name exists, atomically) and removed.
 */
static int
write_new_file(struct cli *cli, const char *path, const char *text,
	       size_t len)
{
	struct tp_buf tmp = TP_BUF_INIT;
	int fd = -1, rc = EXIT_ENV, saved;

	if (tp_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		cli_oom();
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		cli_error(cli, EXIT_ENV, "cannot create '%s': %s", tmp.ptr,
			  strerror(errno));
		goto done;
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		cli_error(cli, EXIT_ENV, "cannot write '%s': %s", tmp.ptr,
			  strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		cli_error(cli, EXIT_ENV, "cannot write '%s': %s", tmp.ptr,
			  strerror(errno));
		goto done;
	}
	fd = -1;
	if (link(tmp.ptr, path) != 0) {
		saved = errno;
		if (saved == EEXIST) {
			rc = cli_error(cli, EXIT_NO,
				"'%s' already exists; not overwriting it",
				path);
			cli_hint(cli, "edit it, or remove it and run "
				 "'tagpolicy policy init' again");
		} else {
			cli_error(cli, EXIT_ENV, "cannot create '%s': %s",
				  path, strerror(saved));
		}
		goto done;
	}
	rc = EXIT_OK;
done:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.ptr);
	tp_buf_release(&tmp);
	return rc;
}

static int
policy_init(struct cli *cli, int argc, char **argv)
{
	struct policy_opts opts = { NULL, NULL };
	struct cli_strv ops = { NULL, 0 };
	struct tp_buf text = TP_BUF_INIT, path = TP_BUF_INIT;
	struct tp_policy *p = NULL;
	struct tp_error err;
	const char *const *names;
	const char *preset;
	char *top = NULL, *existing = NULL;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &init_usage, &opts, &ops);
	if (rc)
		goto done;
	if (ops.n) {
		rc = cli_usage_error(cli, &init_usage, "unexpected argument '%s'",
				     ops.v[0]);
		goto done;
	}
	preset = opts.preset ? opts.preset : "default";
	if (tp_preset_text(preset, NULL) == NULL) {
		rc = cli_error(cli, EXIT_USAGE, "unknown preset '%s'", preset);
		for (names = tp_preset_names(); *names; names++)
			if (tp_buf_printf(&text, "%s%s", text.len ? ", " : "",
					  *names) < 0)
				cli_oom();
		cli_hint(cli, "the presets are: %s", text.ptr);
		goto done;
	}
	if (tp_buf_printf(&text,
		"# .tagpolicy.yml: which tags this project allows, how versions\n"
		"# are bumped and which image tags a release publishes.\n"
		"# 'tagpolicy policy show' prints the effective policy; see\n"
		"# tagpolicy.yml(5) for every key.\n"
		"version: 1\n"
		"extends: [%s]\n"
		"\n"
		"# Examples of what a project usually changes:\n"
		"#\n"
		"# rules:\n"
		"#   lowercase: warning\n"
		"#   prerelease-ids: [error, [alpha, beta, rc]]\n"
		"#   release-branch: [error, [main, \"release/*\"]]\n"
		"#\n"
		"# release:\n"
		"#   initial: 0.1.0\n", preset) < 0)
		cli_oom();
	/* the starter must itself be a valid policy */
	if (tp_policy_load_buffer(&p, "starter policy", text.ptr, text.len,
				  NULL, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	if (cli->policy_path) {
		if (tp_buf_puts(&path, cli->policy_path) < 0)
			cli_oom();
	} else {
		top = cli_worktree_top();
		if (tp_policy_locate(&existing, top ? top : ".", &err) < 0) {
			rc = cli_fail(cli, &err);
			goto done;
		}
		if (existing) {
			rc = cli_error(cli, EXIT_NO,
				"'%s' already exists; not overwriting it",
				existing);
			goto done;
		}
		if (tp_buf_printf(&path, "%s/.tagpolicy.yml",
				  top ? top : ".") < 0)
			cli_oom();
	}
	rc = write_new_file(cli, path.ptr, text.ptr, text.len);
	if (rc == EXIT_OK && !cli->quiet)
		fprintf(cli->err, "tagpolicy: wrote %s (extends %s)\n",
			path.ptr, preset);
done:
	tp_policy_free(p);
	tp_buf_release(&text);
	tp_buf_release(&path);
	free(top);
	free(existing);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

int
cmd_policy(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	int rc;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
				  strcmp(argv[1], "-h") == 0)) {
			cli_print_help(cli, &usage, cli->out);
			return EXIT_OK;
		}
		rc = cli_parse(cli, argc, argv, &usage, NULL, &ops);
		free(ops.v);
		if (rc)
			return rc < 0 ? EXIT_OK : rc;
		return cli_usage_error(cli, &usage,
			"expected a subcommand: show, validate or init");
	}
	if (strcmp(argv[1], "show") == 0)
		return policy_show(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0)
		return policy_validate(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "init") == 0)
		return policy_init(cli, argc - 1, argv + 1);
	return cli_usage_error(cli, &usage, "unknown subcommand '%s'",
			       argv[1]);
}
