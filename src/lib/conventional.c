/*
 * conventional.c: Conventional Commits 1.0.0 headers, breaking-change
 * footers and the type -> bump map.
 */
#include <string.h>

#include "conventional.h"

static const struct tp_bump_type default_types[] = {
	{ "feat", TP_BUMP_MINOR },
	{ "fix", TP_BUMP_PATCH }
};

/* ASCII only: a commit message is bytes, and the locale must not matter. */
static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static unsigned char
to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
starts_with(const char *s, size_t n, const char *prefix)
{
	size_t plen = strlen(prefix);

	return n >= plen && memcmp(s, prefix, plen) == 0;
}

/*
 * Parses the header line `h` (without its LF); fills `out` and returns 1
 * when it is conventional.
 */
static int
parse_header(struct tp_cc *out, const char *h, size_t n)
{
	size_t i = 0, j, end;

	while (i < n && is_alpha((unsigned char)h[i]))
		i++;
	if (i == 0)
		return 0;
	out->type = h;
	out->type_len = i;
	if (i < n && h[i] == '(') {
		j = i + 1;
		while (j < n && h[j] != '(' && h[j] != ')' && h[j] != '\r')
			j++;
		if (j == i + 1 || j >= n || h[j] != ')')
			return 0;
		out->scope = h + i + 1;
		out->scope_len = j - i - 1;
		i = j + 1;
	}
	if (i < n && h[i] == '!') {
		out->breaking = 1;
		i++;
	}
	if (i + 1 >= n || h[i] != ':' || h[i + 1] != ' ')
		return 0;
	i += 2;
	end = n;
	while (i < end && is_space((unsigned char)h[i]))
		i++;
	while (end > i && is_space((unsigned char)h[end - 1]))
		end--;
	if (i == end)
		return 0;
	out->subject = h + i;
	out->subject_len = end - i;
	return 1;
}

int
tp_cc_parse(struct tp_cc *out, const char *msg, size_t len)
{
	const char *nl;
	size_t pos, n;
	int seen_blank = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return 0;
	nl = memchr(msg, '\n', len);
	n = nl ? (size_t)(nl - msg) : len;
	if (!parse_header(out, msg, n)) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	out->valid = 1;
	pos = nl ? n + 1 : len;
	while (pos < len && !out->breaking) {
		const char *line = msg + pos;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += nl ? n + 1 : n;
		if (is_blank(line, n))
			seen_blank = 1;
		else if (seen_blank &&
			 (starts_with(line, n, "BREAKING CHANGE: ") ||
			  starts_with(line, n, "BREAKING-CHANGE: ")))
			out->breaking = 1;
	}
	return 1;
}

struct tp_bump_map
tp_bump_map_default(void)
{
	struct tp_bump_map m;

	m.types = default_types;
	m.ntypes = sizeof(default_types) / sizeof(default_types[0]);
	m.breaking = TP_BUMP_MAJOR;
	m.zero_major = TP_BUMP_MINOR;
	return m;
}

enum tp_bump
tp_bump_map_get(const struct tp_bump_map *m, const char *type, size_t len)
{
	size_t i, k;

	for (i = 0; i < m->ntypes; i++) {
		const char *name = m->types[i].name;

		for (k = 0; k < len && name[k] != '\0'; k++)
			if (to_lower((unsigned char)name[k]) !=
			    to_lower((unsigned char)type[k]))
				break;
		if (k == len && name[k] == '\0')
			return m->types[i].bump;
	}
	return TP_BUMP_NONE;
}

enum tp_bump
tp_cc_bump(const struct tp_cc *cc, const struct tp_bump_map *m,
	   int major_is_zero)
{
	enum tp_bump b, br;

	if (!cc->valid)
		return TP_BUMP_NONE;
	b = tp_bump_map_get(m, cc->type, cc->type_len);
	if (cc->breaking) {
		br = major_is_zero ? m->zero_major : m->breaking;
		if (br > b)
			b = br;
	}
	return b;
}
