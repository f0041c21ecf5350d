/*
 * conventional.h: Conventional Commits 1.0.0 messages and the bump they
 * ask for.
 *
 * The reading (spec/versioning.md, background.md §3 and §7 decisions 7, 8):
 *
 *	header   ^[A-Za-z]+(\([^()\r\n]+\))?!?: <description>
 *
 * on the first line of the message (no leading blank lines or white space
 * are skipped), where the description is what follows ": " up to the end
 * of that line, trimmed of ASCII white space (space, \t, \v, \f, \r) on
 * both ends, and must not be empty after trimming: `feat:  x` is valid,
 * `feat: ` and `feat:\tx` are not.  Nothing else in the header is
 * trimmed or folded.
 *
 * A commit is breaking when the header has the `!`, or when a line of the
 * body starts (at column 0, no indentation) with the upper-case token
 * "BREAKING CHANGE: " or "BREAKING-CHANGE: " (colon and one space; the
 * value may be empty) and comes after at least one blank line below the
 * header.  A line is blank when it holds only ASCII white space, "\r"
 * included, so CRLF messages read as LF ones and a line of spaces
 * separates paragraphs the way git's trailer code treats it.  The header
 * line itself is never read for the token.  A message whose header is not
 * conventional is not breaking, whatever its body says.
 *
 * Nothing here allocates: a struct tp_cc borrows the message text.
 */
#ifndef TP_CONVENTIONAL_H
#define TP_CONVENTIONAL_H

#include "tagpolicy.h"

/*
 * One parsed message.  When `valid` is 0 every other member is 0 or NULL.
 * When it is 1: `type` (1 or more ASCII letters, as written: compare it
 * case-insensitively), `scope` (NULL and 0 when absent, else the non-empty
 * text between the parentheses, as written) and `subject` (the trimmed
 * description, never empty) point into the message; none is
 * NUL-terminated.
 */
struct tp_cc {
	const char *type;
	size_t type_len;
	const char *scope;
	size_t scope_len;
	const char *subject;
	size_t subject_len;
	int breaking;
	int valid;
};

/*
 * Parses the `len` bytes of `msg` (which needs no NUL terminator and may
 * hold NUL bytes; NULL is fine when `len` is 0).  Always fills *out and
 * returns out->valid: 1 for a conventional message, 0 otherwise.
 */
int tp_cc_parse(struct tp_cc *out, const char *msg, size_t len);

/* Ordered: a larger value is a larger bump. */
enum tp_bump {
	TP_BUMP_NONE = 0,
	TP_BUMP_PATCH = 1,
	TP_BUMP_MINOR = 2,
	TP_BUMP_MAJOR = 3
};

/* One entry of bump.types: a commit type and the bump it asks for. */
struct tp_bump_type {
	const char *name; /* NUL-terminated, matched case-insensitively */
	enum tp_bump bump;
};

/*
 * The type -> bump map of a policy.  `types` is borrowed: the map owns
 * nothing, whoever fills it (the policy, or tp_bump_map_default()'s
 * static table) keeps the array and its names alive.  When a type is
 * listed twice the first entry wins (the loader should reject that).
 * `breaking` applies to breaking commits, `zero_major` to breaking
 * commits while the current major version is 0.
 */
struct tp_bump_map {
	const struct tp_bump_type *types;
	size_t ntypes;
	enum tp_bump breaking;
	enum tp_bump zero_major;
};

/*
 * The built-in map: feat -> minor, fix -> patch, breaking -> major,
 * zero_major -> minor.  Its `types` point at static read-only storage.
 */
struct tp_bump_map tp_bump_map_default(void);

/*
 * The bump listed for the `len` bytes of `type` (ASCII case-insensitive,
 * whole name), TP_BUMP_NONE when the type is not listed.
 */
enum tp_bump tp_bump_map_get(const struct tp_bump_map *m, const char *type,
			     size_t len);

/*
 * The bump one commit asks for: TP_BUMP_NONE when `cc` is not valid; else
 * its type's entry, raised to m->breaking (or m->zero_major when
 * `major_is_zero`) when the commit is breaking.  Raised, never lowered: a
 * breaking commit bumps at least what its type alone would, so with
 * zero_major = patch a `feat!:` is still a minor bump.
 */
enum tp_bump tp_cc_bump(const struct tp_cc *cc, const struct tp_bump_map *m,
			int major_is_zero);

#endif
