/*
 * refname.c: git ref-name rules (refs.c check_refname_component() and
 * check_or_sanitize_refname() @1a3e64c, builtin/check-ref-format.c).
 */
#include <string.h>

#include "refname.h"

#define PUBLIC_FLAGS                                                           \
	(TP_REFNAME_ALLOW_ONELEVEL | TP_REFNAME_REFSPEC_PATTERN |              \
	 TP_REFNAME_NORMALIZE)

/*
 * Internal: the ref is refs/tags/<name> and we check only <name>, so the
 * whole-name "@" rule does not apply to it.
 */
#define NO_AT_RULE 0x100u

static int
is_forbidden(unsigned char c)
{
	return c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' ||
	       c == '[' || c == '\\';
}

static int
check(const char *name, size_t len, unsigned flags, char *why, size_t whylen)
{
	const char *p = name, *end, *comp;
	unsigned char c, last;
	int normalize = (flags & TP_REFNAME_NORMALIZE) != 0;
	int pattern = (flags & TP_REFNAME_REFSPEC_PATTERN) != 0;
	int star_ok = pattern;
	size_t ncomp = 0, clen;

	if (len == 0)
		return tp_why(why, whylen, "empty");
	end = name + len;
	if (normalize)
		while (p < end && *p == '/')
			p++;
	if (p == end)
		return tp_why(why, whylen, "empty");
	if (!(flags & NO_AT_RULE) && end - p == 1 && *p == '@')
		return tp_why(why, whylen, "cannot be '@'");

	for (;;) {
		comp = p;
		last = '\0';
		for (; p < end && *p != '/'; p++) {
			c = (unsigned char)*p;
			if (c == '.' && last == '.')
				return tp_why(why, whylen, "contains '..'");
			if (c == '{' && last == '@')
				return tp_why(why, whylen, "contains '@{'");
			if (c < 0x20 || c == 0x7f)
				return tp_why(
					why, whylen,
					"contains control character 0x%02x", c);
			if (is_forbidden(c))
				return tp_why(why, whylen, "contains '%c'", c);
			if (c == '*' && !star_ok)
				return tp_why(
					why, whylen, "%s",
					pattern ? "contains more than one '*'"
						: "contains '*'");
			/* One '*' only, for one side of a refspec. */
			if (c == '*')
				star_ok = 0;
			last = c;
		}
		clen = (size_t)(p - comp);
		if (clen == 0) {
			if (comp == name)
				return tp_why(why, whylen, "starts with '/'");
			if (p == end)
				return tp_why(why, whylen, "ends with '/'");
			return tp_why(why, whylen, "contains '//'");
		}
		if (comp[0] == '.')
			return tp_why(why, whylen, "%s",
				      ncomp == 0 ? "starts with '.'"
						 : "component starts with '.'");
		if (clen >= 5 && memcmp(p - 5, ".lock", 5) == 0)
			return tp_why(why, whylen, "%s",
				      p == end ? "ends with '.lock'"
					       : "component ends with '.lock'");
		ncomp++;
		if (p == end)
			break;
		p++;
		if (normalize)
			while (p < end && *p == '/')
				p++;
	}
	if (end[-1] == '.')
		return tp_why(why, whylen, "ends with '.'");
	if (!(flags & TP_REFNAME_ALLOW_ONELEVEL) && ncomp < 2)
		return tp_why(why, whylen, "has only one component");
	return 1;
}

int
tp_refname_check(const char *name, size_t len, unsigned flags, char *why,
		 size_t whylen)
{
	return check(name, len, flags & PUBLIC_FLAGS, why, whylen);
}

int
tp_git_tagname_check(const char *name, size_t len, char *why, size_t whylen)
{
	if (len > 0 && name[0] == '-')
		return tp_why(why, whylen, "starts with '-'");
	if (len == 4 && memcmp(name, "HEAD", 4) == 0)
		return tp_why(why, whylen, "cannot be 'HEAD'");
	/*
	 * refs/tags/<name> has at least three components and "refs/tags/"
	 * ends every "..", "@{" or "/"-run before <name>, so checking <name>
	 * as a one-level ref gives the same answer, "@" aside.
	 */
	return check(name, len, TP_REFNAME_ALLOW_ONELEVEL | NO_AT_RULE, why,
		     whylen);
}
