/*
 * refname.h: git ref names and tag names (background.md §6.1, §7.12).
 *
 * The rules of git's check_refname_format() (refs.c @1a3e64c), as
 * `git check-ref-format` applies them.  A ref name is invalid when:
 *	- it is empty, or exactly "@";
 *	- it starts or ends with '/', or contains "//" (empty components);
 *	- a '/'-component starts with '.' or ends with ".lock";
 *	- it contains "..", "@{", an ASCII control character (< 0x20, 0x7f,
 *	  NUL included), ' ', '~', '^', ':', '?', '[', '\' or '*';
 *	- it ends with '.';
 *	- it has a single component, unless TP_REFNAME_ALLOW_ONELEVEL.
 * Anything else is allowed, non-ASCII bytes included, at any length.
 *
 * Nothing here allocates.  Names come with a length and need no NUL
 * terminator.
 */
#ifndef TP_REFNAME_H
#define TP_REFNAME_H

#include "tagpolicy.h"

/* Flags of tp_refname_check(), as check-ref-format's options. */
#define TP_REFNAME_ALLOW_ONELEVEL 0x1u	/* --allow-onelevel */
#define TP_REFNAME_REFSPEC_PATTERN 0x2u /* --refspec-pattern: one '*' */
#define TP_REFNAME_NORMALIZE 0x4u	/* --normalize (see below) */

/*
 * Checks the `len` bytes of `name`.  Returns 1 when valid.  Returns 0 when
 * not, and writes a short lower-case reason into `why` (truncated to
 * `whylen` bytes and NUL-terminated; nothing is written when `why` is NULL
 * or `whylen` is 0; left untouched when the name is valid).  The reason is
 * the first problem met reading left to right, as git meets them:
 *	"empty", "cannot be '@'",
 *	"starts with '/'", "ends with '/'", "contains '//'",
 *	"contains '..'", "contains '@{'", "contains ' '" (and so on for
 *	'~' '^' ':' '?' '[' '\' '*'), "contains control character 0x07",
 *	"contains more than one '*'"       (with TP_REFNAME_REFSPEC_PATTERN),
 *	"starts with '.'", "component starts with '.'",
 *	"ends with '.lock'", "component ends with '.lock'",
 *	"ends with '.'", "has only one component".
 *
 * With TP_REFNAME_NORMALIZE the name is first read as check-ref-format
 * --normalize does: leading slashes dropped and runs of slashes collapsed
 * to one ("refs///heads/x" is checked as "refs/heads/x"; a single trailing
 * slash stays and is still invalid).  Unknown flag bits are ignored.
 */
int tp_refname_check(const char *name, size_t len, unsigned flags, char *why,
		     size_t whylen);

/*
 * Checks a tag name as `git tag <name>` does (check_tag_ref): the name must
 * not start with '-', must not be "HEAD" (our rule whatever the git
 * version, §7.12), and refs/tags/<name> must be a valid ref name.  Returns
 * 1 or 0 with a reason in `why` as tp_refname_check() does, plus
 * "starts with '-'" and "cannot be 'HEAD'".  The reasons speak of <name>,
 * not of refs/tags/<name>: "/v1" "starts with '/'", and "@" is valid.
 */
int tp_git_tagname_check(const char *name, size_t len, char *why,
			 size_t whylen);

#endif
