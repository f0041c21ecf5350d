/*
 * cmd_compare.c: `tagpolicy compare A B` prints -1, 0 or 1.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_usage usage = {
	"compare",
	"compare A B",
	"Prints -1, 0 or 1 as version A is lower than, equal to or higher than\n"
	"version B by SemVer 2.0.0 precedence (build metadata is ignored).\n"
	"Exits 0 whatever it prints, 2 when either side is not a version.",
	NULL,
	0
};

int
cmd_compare(struct cli *cli, int argc, char **argv)
{
	struct cli_strv ops = { NULL, 0 };
	struct tp_version a, b;
	struct tp_error err;
	size_t i;
	int rc, c;

	tp_error_init(&err);
	rc = cli_parse(cli, argc, argv, &usage, NULL, &ops);
	if (rc)
		goto done;
	if (ops.n != 2) {
		rc = cli_usage_error(cli, &usage,
			"expected two versions, got %zu", ops.n);
		goto done;
	}
	for (i = 0; i < 2; i++) {
		if (tp_version_parse(i ? &b : &a, ops.v[i], strlen(ops.v[i]),
				     &err) < 0) {
			rc = cli_error(cli, EXIT_USAGE,
				"'%s' is not a version: %s", ops.v[i],
				err.msg);
			goto done;
		}
	}
	c = tp_version_cmp(&a, &b);
	fprintf(cli->out, "%d\n", c < 0 ? -1 : c > 0 ? 1 : 0);
	rc = EXIT_OK;
done:
	free(ops.v);
	return rc < 0 ? EXIT_OK : rc;
}
