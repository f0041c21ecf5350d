/*
 * cmd_hook.c: `tagpolicy hook`: the git hooks that check pushed tags
 * (pre-push on the client, pre-receive and update on the server) and
 * installing the pre-push hook.  Hooks write everything on stderr, which
 * git shows to the person pushing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hook.h"

/* A push with more than this on stdin is not one git sends. */
#define STDIN_MAX ((size_t)256 << 20)

#define ZERO_ID "0000000000000000000000000000000000000000"

#define SGR_RESET "\033[m"
#define SGR_OK "\033[32m"
#define SGR_ERROR "\033[1;31m"
#define SGR_WARNING "\033[1;33m"
#define SGR_HINT "\033[1;36m"
#define SGR_DIM "\033[2m"

struct install_opts {
	int force;
};

static const struct cli_opt no_options[] = { CLI_OPT_END_MARK };

static const struct cli_opt install_options[] = {
	{ CLI_OPT_FLAG, "force", 0, NULL,
	  "replace a pre-push hook tagpolicy did not write (it is kept as "
	  "pre-push.tagpolicy-backup)",
	  offsetof(struct install_opts, force), NULL },
	CLI_OPT_END_MARK
};

static const struct cli_usage hook_usage = {
	"hook",
	"hook pre-push [REMOTE [URL]]\n"
	"hook pre-receive\n"
	"hook update REF OLD NEW\n"
	"hook install [--force]\n"
	"hook uninstall",
	"Checks the tags of a push against the policy: their shape (scope\n"
	"git), immutable, monotonic, annotated, release-branch, sha-commit and\n"
	"promotion.  Branch pushes pass at once.  A problem at level error\n"
	"blocks the push (exit 1) after every reason is printed; warnings are\n"
	"printed and the push goes on.  pre-push runs on the client (git feeds\n"
	"the refs on standard input); pre-receive and update run in the\n"
	"server's repository and read the policy from -p, $TAGPOLICY_CONFIG or\n"
	"tagpolicy.yml in the git folder (pre-receive also from .tagpolicy.yml\n"
	"in HEAD), never from pushed commits.  install writes the pre-push\n"
	"hook (honouring core.hooksPath); uninstall removes it.",
	NULL, 1
};

static const struct cli_usage prepush_usage = {
	"hook pre-push", "hook pre-push [REMOTE [URL]] <REF-LINES",
	"The client hook: checks the tag refs git is about to push, read from\n"
	"standard input (\"<local-ref> <local-oid> <remote-ref> <remote-oid>\"\n"
	"lines).  The policy is looked up as for every command.  Exit 0: the\n"
	"push goes on; 1: it is blocked; 2: bad input or policy; 3: the\n"
	"repository cannot be read.",
	no_options, 0
};

static const struct cli_usage prereceive_usage = {
	"hook pre-receive", "hook pre-receive <REF-LINES",
	"The server hook: checks the tag refs of a push (\"<old> <new> <ref>\"\n"
	"lines on standard input) before any ref is updated; exit 1 refuses the\n"
	"whole push.  Policy: -p FILE, $TAGPOLICY_CONFIG, tagpolicy.yml in the\n"
	"git folder, .tagpolicy.yml in the tree of HEAD (as it was before the\n"
	"push), else the built-in default.",
	no_options, 0
};

static const struct cli_usage update_usage = {
	"hook update", "hook update REF OLD NEW",
	"The server hook git runs once per ref: checks REF when it is a tag;\n"
	"exit 1 refuses that ref.  Policy: -p FILE, $TAGPOLICY_CONFIG or\n"
	"tagpolicy.yml in the git folder; never a tree (earlier refs of the\n"
	"same push are already updated when it runs): with none of them it\n"
	"exits 2.",
	no_options, 0
};

static const struct cli_usage install_usage = {
	"hook install", "hook install [--force]",
	"Writes the pre-push hook (a POSIX sh script that runs 'tagpolicy hook\n"
	"pre-push') into core.hooksPath, else the repository's hooks folder.\n"
	"Running it again is harmless.  A pre-push hook that tagpolicy did not\n"
	"write is left alone (exit 1) unless --force, which keeps it as\n"
	"pre-push.tagpolicy-backup first.",
	install_options, 0
};

static const struct cli_usage uninstall_usage = {
	"hook uninstall", "hook uninstall",
	"Removes the pre-push hook when tagpolicy wrote it, and puts back the\n"
	"hook that 'install --force' kept, if any.  A hook tagpolicy did not\n"
	"write is left alone (exit 1).  No hook is not an error.",
	no_options, 0
};

enum side {
	SIDE_CLIENT, /* pre-push */
	SIDE_RECEIVE, /* pre-receive */
	SIDE_UPDATE /* update */
};

/* ------------------------------------------------------------------ */
/* input                                                               */
/* ------------------------------------------------------------------ */

/*
 * All of standard input.  git may stop feeding early (it ignores EPIPE);
 * what came is what is checked.
 */
static int
read_stdin(struct cli *cli, struct tp_buf *b)
{
	char chunk[65536];
	ssize_t n;

	tp_buf_init(b, STDIN_MAX);
	for (;;) {
		n = read(0, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cli_error(cli, EXIT_ENV,
					 "cannot read standard input: %s",
					 strerror(errno));
		if (n == 0)
			return 0;
		if (tp_buf_put(b, chunk, (size_t)n) < 0)
			return cli_error(cli, EXIT_USAGE,
					 "more than %zu MiB on standard "
					 "input: not a push git sends",
					 STDIN_MAX >> 20);
	}
}

static int
is_hex40(const char *s)
{
	return s != NULL && strlen(s) == 40 &&
	       strspn(s, "0123456789abcdef") == 40;
}

/*
 * pre-commit (the framework) reads git's input itself and gives its hooks
 * only the first ref, in environment variables; a tag there is checked as
 * a create (the remote's id is not passed on).
 */
static int
from_pre_commit(struct cli *cli, struct tp_push_list **l)
{
	const char *rb = getenv("PRE_COMMIT_REMOTE_BRANCH");
	const char *lb = getenv("PRE_COMMIT_LOCAL_BRANCH");
	const char *to = getenv("PRE_COMMIT_TO_REF");
	struct tp_history *h = NULL;
	struct tp_history_object obj;
	struct tp_push_list *nl = NULL;
	struct tp_buf line = TP_BUF_INIT;
	struct tp_error err;
	int rc = 0;

	if (rb == NULL || strncmp(rb, "refs/tags/", 10) != 0)
		return 0;
	if (lb == NULL || *lb == '\0')
		lb = rb;
	tp_error_init(&err);
	if (!is_hex40(to)) {
		if (tp_history_open(&h, NULL, TP_HISTORY_OPEN_ENV, &err) < 0 ||
		    tp_history_resolve(&obj, h, lb, &err) < 0) {
			rc = cli_fail(cli, &err);
			goto done;
		}
		to = obj.id;
	}
	if (tp_buf_printf(&line, "%s %s %s %s\n", lb, to, rb, ZERO_ID) < 0)
		cli_oom();
	if (tp_prepush_parse(&nl, line.ptr, line.len, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	tp_push_list_free(*l);
	*l = nl;
done:
	tp_history_free(h);
	tp_buf_release(&line);
	return rc;
}

/* ------------------------------------------------------------------ */
/* output                                                              */
/* ------------------------------------------------------------------ */

static void
print_report(struct cli *cli, const char *hook, const struct tp_hook_report *r)
{
	const struct tp_hook_finding *f;
	const struct tp_hook_tag *t;
	int color = cli->color_err;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (f->level != TP_LEVEL_ERROR && cli->quiet)
			continue;
		fprintf(cli->err, "%s%s:%s tag '%s' (%s): %s %s[%s]%s\n",
			cli_sgr(color, f->level == TP_LEVEL_ERROR
					       ? SGR_ERROR
					       : SGR_WARNING),
			f->level == TP_LEVEL_ERROR ? "error" : "warning",
			cli_sgr(color, SGR_RESET), f->tag, hook, f->message,
			cli_sgr(color, SGR_DIM), f->rule,
			cli_sgr(color, SGR_RESET));
		if (f->hint != NULL)
			fprintf(cli->err, "%shint:%s %s\n",
				cli_sgr(color, SGR_HINT),
				cli_sgr(color, SGR_RESET), f->hint);
	}
	if (!cli->verbose)
		return;
	for (i = 0; i < r->ntags; i++) {
		t = &r->tags[i];
		if (t->errors + t->warnings > 0)
			continue;
		fprintf(cli->err,
			"%sok:%s tag '%s' (%s): ", cli_sgr(color, SGR_OK),
			cli_sgr(color, SGR_RESET), t->tag, hook);
		if (t->action == TP_PUSH_DELETE)
			fputs("deleted\n", cli->err);
		else if (t->kind == NULL)
			fputs("no kind\n", cli->err);
		else
			fprintf(cli->err, "%s%s%s%s\n", t->kind,
				t->fields[0] ? " (" : "", t->fields,
				t->fields[0] ? ")" : "");
	}
}

static void
print_verdict(struct cli *cli, enum side side, const struct tp_hook_report *r,
	      const struct tp_policy *p)
{
	static const char *const verdicts[][2] = {
		[SIDE_CLIENT] = { "push blocked", "; nothing was pushed" },
		[SIDE_RECEIVE] = { "push refused", "; no ref was updated" },
		[SIDE_UPDATE] = { "update refused", "" },
	};
	size_t bad = 0, i;

	for (i = 0; i < r->ntags; i++)
		bad += r->tags[i].errors > 0;
	if (r->errors == 0) {
		if (cli->verbose)
			fprintf(cli->err,
				"tagpolicy: %zu tag%s checked, %zu "
				"warning%s (policy: %s)\n",
				r->ntags, r->ntags == 1 ? "" : "s", r->warnings,
				r->warnings == 1 ? "" : "s",
				tp_policy_origin(p));
		return;
	}
	fprintf(cli->err,
		"tagpolicy: %s: %zu error%s in %zu of %zu tag%s "
		"(policy: %s)%s\n",
		verdicts[side][0], r->errors, r->errors == 1 ? "" : "s", bad,
		r->ntags, r->ntags == 1 ? "" : "s", tp_policy_origin(p),
		verdicts[side][1]);
}

/* ------------------------------------------------------------------ */
/* the checks                                                          */
/* ------------------------------------------------------------------ */

/* The policy of a server hook (product.md, "hook"). */
static int
server_policy(struct cli *cli, enum side side, struct tp_history *h,
	      struct tp_policy **out)
{
	const char *env = getenv("TAGPOLICY_CONFIG");
	struct tp_error err;
	int rc;

	if (cli->policy_path != NULL || (env != NULL && *env != '\0'))
		return cli_load_policy(cli, out);
	tp_error_init(&err);
	rc = tp_hook_server_policy(
		out, h, side == SIDE_RECEIVE ? TP_HOOK_POLICY_TREE : 0, &err);
	if (rc == 0)
		return 0;
	if (rc != TP_ENOTFOUND)
		return cli_fail(cli, &err);
	if (side == SIDE_RECEIVE) {
		tp_error_init(&err);
		if (tp_policy_load_default(out, &err) < 0)
			return cli_fail(cli, &err);
		return 0;
	}
	cli_error(cli, 0,
		  "the update hook has no policy: it reads -p FILE, "
		  "$TAGPOLICY_CONFIG or '%stagpolicy.yml', never a policy "
		  "from a tree",
		  tp_history_gitdir(h));
	cli_hint(cli,
		 "put the policy in '%stagpolicy.yml' (pushes cannot "
		 "change it), or check tags in the pre-receive hook, which "
		 "may read .tagpolicy.yml from HEAD",
		 tp_history_gitdir(h));
	return EXIT_USAGE;
}

static int
run_checks(struct cli *cli, enum side side, const char *hook,
	   const struct tp_push_list *l)
{
	struct tp_history *h = NULL;
	struct tp_policy *p = NULL;
	struct tp_hook_report *r = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	if (tp_hook_tag_count(l) == 0) {
		/* branch pushes pass at once: nothing is opened or read */
		if (cli->verbose)
			fprintf(cli->err, "tagpolicy: no tag in this push; "
					  "nothing to check\n");
		return EXIT_OK;
	}
	if (tp_push_is_sha256(l)) {
		cli_error(cli, 0,
			  "cannot check the tags of this push: it is "
			  "from a SHA-256 repository, which this build of "
			  "tagpolicy (libgit2) cannot read");
		cli_hint(cli, "the hook fails closed: use a tagpolicy built "
			      "with SHA-256 support, or remove the hook");
		return EXIT_ENV;
	}
	if (tp_history_open(&h, NULL, TP_HISTORY_OPEN_ENV, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	rc = side == SIDE_CLIENT ? cli_load_policy(cli, &p)
				 : server_policy(cli, side, h, &p);
	if (rc != 0)
		goto done;
	if (tp_hook_check(&r, p, h, l, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	print_report(cli, hook, r);
	print_verdict(cli, side, r, p);
	rc = r->errors > 0 ? EXIT_NO : EXIT_OK;
done:
	tp_hook_report_free(r);
	tp_policy_free(p);
	tp_history_free(h);
	return rc;
}

static int
no_terminal(struct cli *cli, const struct cli_usage *usage)
{
	if (!isatty(0))
		return 0;
	return cli_usage_error(cli, usage,
			       "'tagpolicy %s' reads the refs of a push on "
			       "standard input, as git gives them",
			       usage->name);
}

static int
hook_prepush(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	struct tp_push_list *l = NULL;
	struct tp_buf in = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &prepush_usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n > 2) {
		rc = cli_usage_error(cli, &prepush_usage,
				     "expected at most REMOTE and URL, got "
				     "%zu arguments",
				     ops.n);
		goto done;
	}
	/* `pre-commit run` by hand: its variables say what is pushed */
	if (isatty(0) && getenv("PRE_COMMIT") != NULL)
		tp_buf_init(&in, STDIN_MAX);
	else if ((rc = no_terminal(cli, &prepush_usage)) != 0 ||
		 (rc = read_stdin(cli, &in)) != 0)
		goto done;
	if (tp_prepush_parse(&l, in.ptr, in.len, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	if (l->nr == 0 && (rc = from_pre_commit(cli, &l)) != 0)
		goto done;
	rc = run_checks(cli, SIDE_CLIENT, "pre-push", l);
done:
	tp_push_list_free(l);
	tp_buf_release(&in);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

static int
hook_prereceive(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	struct tp_push_list *l = NULL;
	struct tp_buf in = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &prereceive_usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n > 0) {
		rc = cli_usage_error(cli, &prereceive_usage,
				     "unexpected argument '%s'", ops.v[0]);
		goto done;
	}
	if ((rc = no_terminal(cli, &prereceive_usage)) != 0 ||
	    (rc = read_stdin(cli, &in)) != 0)
		goto done;
	if (tp_prereceive_parse(&l, in.ptr, in.len, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	rc = run_checks(cli, SIDE_RECEIVE, "pre-receive", l);
done:
	tp_push_list_free(l);
	tp_buf_release(&in);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

static int
hook_update(struct cli *cli, int argc, char **argv)
{
	const char *why;
	struct cli_strv ops = { NULL, 0 };
	struct tp_push_list *l = NULL;
	struct tp_buf line = TP_BUF_INIT;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &update_usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n != 3) {
		rc = cli_usage_error(cli, &update_usage,
				     "expected REF OLD NEW, got %zu "
				     "argument%s",
				     ops.n, ops.n == 1 ? "" : "s");
		goto done;
	}
	/* the same line pre-receive would get, read by the same parser */
	if (tp_buf_printf(&line, "%s %s %s\n", ops.v[1], ops.v[2], ops.v[0]) <
	    0)
		cli_oom();
	if (strchr(ops.v[0], ' ') != NULL ||
	    tp_prereceive_parse(&l, line.ptr, line.len, &err) < 0) {
		/* the parser counts lines; here there is only the one */
		why = strncmp(err.msg, "line 1: ", 8) == 0 ? err.msg + 8
							   : err.msg;
		rc = cli_usage_error(cli, &update_usage,
				     "invalid arguments '%s' '%s' '%s'%s%s",
				     ops.v[0], ops.v[1], ops.v[2],
				     *why ? ": " : "", why);
		goto done;
	}
	rc = run_checks(cli, SIDE_UPDATE, "update", l);
done:
	tp_push_list_free(l);
	tp_buf_release(&line);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

/* ------------------------------------------------------------------ */
/* install, uninstall                                                  */
/* ------------------------------------------------------------------ */

/* 1 when an executable `tagpolicy` is in a folder of PATH. */
static int
on_path(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct tp_buf f = TP_BUF_INIT;
	size_t n;
	int found = 0;

	for (p = path; p != NULL && !found; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		n = colon ? (size_t)(colon - p) : strlen(p);
		tp_buf_clear(&f);
		/* an empty entry is the current folder */
		if ((n == 0 ? tp_buf_puts(&f, ".") : tp_buf_put(&f, p, n)) <
			    0 ||
		    tp_buf_puts(&f, "/tagpolicy") < 0)
			cli_oom();
		found = access(f.ptr, X_OK) == 0;
	}
	tp_buf_release(&f);
	return found;
}

static int
open_hooks_dir(struct cli *cli, struct tp_history **h, char **dir)
{
	struct tp_error err;

	tp_error_init(&err);
	*h = NULL;
	*dir = NULL;
	if (tp_history_open(h, NULL, TP_HISTORY_OPEN_ENV, &err) < 0 ||
	    tp_hook_dir(dir, *h, &err) < 0)
		return cli_fail(cli, &err);
	return 0;
}

static int
hook_install(struct cli *cli, int argc, char **argv)
{
	struct install_opts o = { 0 };
	struct cli_strv ops = { NULL, 0 };
	struct tp_history *h = NULL;
	struct tp_hook_result res = { TP_HOOK_ABSENT, NULL, NULL };
	struct tp_error err;
	char *dir = NULL;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &install_usage, &o, &ops);
	if (rc)
		goto done;
	if (ops.n > 0) {
		rc = cli_usage_error(cli, &install_usage,
				     "unexpected argument '%s'", ops.v[0]);
		goto done;
	}
	if ((rc = open_hooks_dir(cli, &h, &dir)) != 0)
		goto done;
	if (tp_hook_install(&res, dir, "pre-push", o.force, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	if (!cli->quiet) {
		if (res.done == TP_HOOK_REPLACED)
			fprintf(cli->out,
				"kept the previous pre-push hook "
				"as %s\n",
				res.backup);
		if (res.done == TP_HOOK_UNCHANGED)
			fprintf(cli->out, "already installed: %s\n", res.path);
		else if (res.done == TP_HOOK_UPDATED)
			fprintf(cli->out, "updated %s\n", res.path);
		else
			fprintf(cli->out, "installed %s\n", res.path);
	}
	if (!on_path())
		cli_warn(cli, "'tagpolicy' is not on PATH: the hook blocks "
			      "every push until it is");
done:
	tp_hook_result_release(&res);
	free(dir);
	tp_history_free(h);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

static int
hook_uninstall(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	struct tp_history *h = NULL;
	struct tp_hook_result res = { TP_HOOK_ABSENT, NULL, NULL };
	struct tp_error err;
	char *dir = NULL;
	int rc;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &uninstall_usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n > 0) {
		rc = cli_usage_error(cli, &uninstall_usage,
				     "unexpected argument '%s'", ops.v[0]);
		goto done;
	}
	if ((rc = open_hooks_dir(cli, &h, &dir)) != 0)
		goto done;
	if (tp_hook_uninstall(&res, dir, "pre-push", &err) < 0) {
		rc = cli_fail(cli, &err);
		goto done;
	}
	if (!cli->quiet) {
		if (res.done == TP_HOOK_ABSENT)
			fprintf(cli->out, "no pre-push hook to remove: %s\n",
				res.path);
		else if (res.done == TP_HOOK_RESTORED)
			fprintf(cli->out,
				"removed the pre-push hook; put "
				"back %s as %s\n",
				res.backup, res.path);
		else
			fprintf(cli->out, "removed %s\n", res.path);
	}
done:
	tp_hook_result_release(&res);
	free(dir);
	tp_history_free(h);
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
} subcommands[] = {
	{ "install", hook_install },	    { "pre-push", hook_prepush },
	{ "pre-receive", hook_prereceive }, { "uninstall", hook_uninstall },
	{ "update", hook_update },
};

int
cmd_hook(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	size_t i;
	int rc;

	/* global options may come before the hook's name */
	rc = cli_parse(cli, argc, argv, &hook_usage, NULL, &ops);
	if (rc == -1) {
		cli_print_help(cli, &hook_usage, cli->out);
		rc = EXIT_OK;
		goto done;
	}
	if (rc == -2) {
		rc = cli_usage_error(cli, &hook_usage,
				     "unknown option '--version'");
		goto done;
	}
	if (rc)
		goto done;
	if (ops.n == 0) {
		rc = cli_usage_error(cli, &hook_usage,
				     "no hook given: pre-push, pre-receive, "
				     "update, install or uninstall");
		goto done;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(subcommands[i].name, ops.v[0]) == 0)
			break;
	if (i == sizeof(subcommands) / sizeof(subcommands[0])) {
		rc = cli_usage_error(cli, &hook_usage,
				     "unknown hook '%s': pre-push, "
				     "pre-receive, update, install or "
				     "uninstall",
				     ops.v[0]);
		goto done;
	}
	rc = subcommands[i].run(cli, (int)ops.n, ops.v);
done:
	free(ops.v);
	return rc;
}
