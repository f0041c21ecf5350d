/*
 * trepo.h: real git repositories for the unit tests that need them
 * (history, hook, repo, odb).  One temporary root a test program, an
 * environment that no configuration of the machine leaks into, shell
 * scripts run in the root after the program's own lib.sh, and git's own
 * answers to compare with.
 *
 * Everything here fails the running cmocka test (with the script or the
 * command in the message) rather than return an error, except
 * trepo_init() and trepo_done(), which run outside any test.
 */
#ifndef TP_TREPO_H
#define TP_TREPO_H

#include <stddef.h>

#include "tagpolicy.h"
#include "tsv.h"

struct trepo {
	char root[64]; /* "/tmp/tp-NAME-XXXXXX", resolved by realpath() */
};

/*
 * Makes the root, points HOME, XDG_CONFIG_HOME and GIT_CEILING_DIRECTORIES
 * at it, sets GIT_CONFIG_NOSYSTEM, LC_ALL=C, TZ=UTC and TP_ROOT (the
 * root), unsets the GIT_* variables that would change which repository or
 * identity git uses and SOURCE_DATE_EPOCH, and writes lib.sh (what every
 * script sources: `set -e`, the shell functions `tick`, which sets the
 * next commit's dates, and `newrepo DIR`, which makes a repository and
 * goes into it, then the program's own `lib_sh`, which may be NULL) and
 * a counter file `tick` holding 0.  Then has libgit2 (loaded now) look for its system, global
 * and XDG configuration in the root too, and keeps it initialised.
 * 0, or -1 with a message on stderr.
 */
int trepo_init(struct trepo *e, const char *name, const char *lib_sh);

/* Removes the root and shuts libgit2 down; 0, or -1. */
int trepo_done(struct trepo *e);

/* Runs `cd ROOT && . ./lib.sh && SCRIPT`, which must succeed. */
void trepo_run(const struct trepo *e, const char *fmt, ...) TP_PRINTF(2, 3);

/* The same, its whole standard output in `out` (cleared first). */
void trepo_capture(struct tp_buf *out, const struct trepo *e, const char *fmt,
		   ...) TP_PRINTF(3, 4);

/* The same, the first line of its output (without the newline). */
void trepo_line(char *line, size_t size, const struct trepo *e, const char *fmt,
		...) TP_PRINTF(4, 5);

/* `git rev-parse --verify REV` in ROOT/REPO: 40 hex digits and a NUL. */
void trepo_rev_parse(char id[41], const struct trepo *e, const char *repo,
		     const char *rev);

#endif /* TP_TREPO_H */
