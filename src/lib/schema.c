/*
 * schema.c: the policy file's keys as tables, checked generically.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

const char *const tp_schema_levels[] = { "error", "warning", "off", NULL };
const char *const tp_schema_scopes[] = { "git", "image", NULL };
static const char *const bumps[] = { "major", "minor", "patch", "none", NULL };
static const char *const breaking_bumps[] = { "major", "minor", "patch", NULL };
static const char *const schemes[] = { "semver", "calver", NULL };
static const char *const whens[] = { "release", "prerelease", "branch",
				     "always", NULL };

static const struct tp_schema string_item = { .type = TP_SCHEMA_STRING };

static const struct tp_schema field_keys[] = {
	{ .name = "values",
	  .type = TP_SCHEMA_LIST,
	  .item = &string_item,
	  .help = "the allowed values, matched case-sensitively" },
	{ .name = "pattern",
	  .type = TP_SCHEMA_STRING,
	  .help = "a PCRE2 regex the whole value matches" },
	{ .name = "hex",
	  .type = TP_SCHEMA_ANY,
	  .help = "lower-case hex digits: a length, or [min, max]" },
	{ .name = "date",
	  .type = TP_SCHEMA_STRING,
	  .help = "a date format: %Y %m %d %H %M %S %j %s" },
	{ .name = NULL }
};
static const struct tp_schema field = { .type = TP_SCHEMA_MAP,
					.keys = field_keys };

static const struct tp_schema kind_template = { .type = TP_SCHEMA_STRING };

static const struct tp_schema scopes_keys[] = {
	{ .name = "git",
	  .type = TP_SCHEMA_LIST,
	  .item = &string_item,
	  .help = "the kinds a git tag may be, tried in order" },
	{ .name = "image",
	  .type = TP_SCHEMA_LIST,
	  .item = &string_item,
	  .help = "the kinds an image tag may be, tried in order" },
	{ .name = NULL }
};

static const struct tp_schema check_keys[] = {
	{ .name = "default-scope",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_scopes,
	  .help = "the scope of `check` arguments without --scope" },
	{ .name = NULL }
};

static const struct tp_schema any_item = { .type = TP_SCHEMA_ANY };

static const struct tp_schema release_keys[] = {
	{ .name = "kind",
	  .type = TP_SCHEMA_STRING,
	  .help = "the kind that `current` and `next` read and write" },
	{ .name = "initial",
	  .type = TP_SCHEMA_STRING,
	  .help = "the first version when no release tag exists" },
	{ .name = "prerelease-start",
	  .type = TP_SCHEMA_INT,
	  .min = 0,
	  .max = 1000000,
	  .help = "the number of the first prerelease of an identifier" },
	{ .name = NULL }
};

static const struct tp_schema bump_item = { .type = TP_SCHEMA_ENUM,
					    .values = bumps };

static const struct tp_schema bump_keys[] = {
	{ .name = "scheme",
	  .type = TP_SCHEMA_ENUM,
	  .values = schemes,
	  .help = "semver, or calver (the next version is today's date)" },
	{ .name = "types",
	  .type = TP_SCHEMA_DICT,
	  .item = &bump_item,
	  .help = "commit type: major, minor, patch or none" },
	{ .name = "breaking",
	  .type = TP_SCHEMA_ENUM,
	  .values = breaking_bumps,
	  .help = "the bump of a breaking change" },
	{ .name = "zero-major",
	  .type = TP_SCHEMA_ENUM,
	  .values = breaking_bumps,
	  .help = "the bump of a breaking change while major is 0" },
	{ .name = NULL }
};

static const struct tp_schema component_keys[] = {
	{ .name = "kind",
	  .type = TP_SCHEMA_STRING,
	  .flags = TP_SCHEMA_REQUIRED,
	  .help = "the template of the component's release tags" },
	{ .name = "paths",
	  .type = TP_SCHEMA_LIST,
	  .item = &string_item,
	  .help = "the folders whose commits count for the component" },
	{ .name = NULL }
};
static const struct tp_schema component = { .type = TP_SCHEMA_MAP,
					    .keys = component_keys };

static const struct tp_schema retention_keys[] = {
	{ .name = "keep",
	  .type = TP_SCHEMA_INT,
	  .min = 0,
	  .max = 1000000,
	  .help = "keep the N newest tags" },
	{ .name = "keep-within",
	  .type = TP_SCHEMA_STRING,
	  .help = "keep tags at most this old: Nh, Nd or Nw" },
	{ .name = "keep-per",
	  .type = TP_SCHEMA_STRING,
	  .help = "apply `keep` to each value of this field" },
	{ .name = NULL }
};
static const struct tp_schema retention = { .type = TP_SCHEMA_MAP,
					    .keys = retention_keys };

static const struct tp_schema policy_keys[] = {
	{ .name = "version",
	  .type = TP_SCHEMA_INT,
	  .flags = TP_SCHEMA_REQUIRED,
	  .min = 0,
	  .max = LONG_MAX,
	  .help = "the schema version: 1" },
	{ .name = "extends",
	  .type = TP_SCHEMA_ANY,
	  .help = "presets by name, or paths relative to this file" },
	{ .name = "fields",
	  .type = TP_SCHEMA_DICT,
	  .item = &field,
	  .help = "typed building blocks for kind templates" },
	{ .name = "kinds",
	  .type = TP_SCHEMA_DICT,
	  .item = &kind_template,
	  .help = "tag shapes, tried in order" },
	{ .name = "scopes",
	  .type = TP_SCHEMA_MAP,
	  .keys = scopes_keys,
	  .help = "which kinds each kind of tag may be" },
	{ .name = "check",
	  .type = TP_SCHEMA_MAP,
	  .keys = check_keys,
	  .help = "settings of `tagpolicy check`" },
	{ .name = "rules",
	  .type = TP_SCHEMA_DICT,
	  .item = &any_item,
	  .help = "rule levels and options, and custom rules" },
	{ .name = "release",
	  .type = TP_SCHEMA_MAP,
	  .keys = release_keys,
	  .help = "the release kind and the first versions" },
	{ .name = "bump",
	  .type = TP_SCHEMA_MAP,
	  .keys = bump_keys,
	  .help = "how commits bump the version" },
	{ .name = "components",
	  .type = TP_SCHEMA_DICT,
	  .item = &component,
	  .help = "monorepos: one version line per component" },
	{ .name = "publish",
	  .type = TP_SCHEMA_LIST,
	  .item = &any_item,
	  .help = "the image tags a build publishes" },
	{ .name = "retention",
	  .type = TP_SCHEMA_DICT,
	  .item = &retention,
	  .help = "which old tags `prune` may delete" },
	{ .name = NULL }
};

const struct tp_schema tp_schema_policy = { .type = TP_SCHEMA_MAP,
					    .keys = policy_keys };

static const struct tp_schema rule_map_keys[] = {
	{ .name = "level",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_levels,
	  .help = "the level in both scopes, or in `scope`" },
	{ .name = "scope",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_scopes,
	  .help = "the only scope the rule applies in" },
	{ .name = "git",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_levels,
	  .help = "the level in scope git" },
	{ .name = "image",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_levels,
	  .help = "the level in scope image" },
	{ .name = "option",
	  .type = TP_SCHEMA_ANY,
	  .help = "the rule's option: a number or a list" },
	{ .name = NULL }
};

const struct tp_schema tp_schema_rule_map = { .type = TP_SCHEMA_MAP,
					      .keys = rule_map_keys };

static const struct tp_schema custom_keys[] = {
	{ .name = "id",
	  .type = TP_SCHEMA_STRING,
	  .flags = TP_SCHEMA_REQUIRED,
	  .help = "the rule's id, kebab-case" },
	{ .name = "level",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_levels,
	  .help = "error (default), warning or off" },
	{ .name = "scope",
	  .type = TP_SCHEMA_ENUM,
	  .values = tp_schema_scopes,
	  .help = "the only scope the rule applies in" },
	{ .name = "kinds",
	  .type = TP_SCHEMA_LIST,
	  .item = &string_item,
	  .help = "the only kinds the rule applies to" },
	{ .name = "match",
	  .type = TP_SCHEMA_STRING,
	  .help = "a PCRE2 regex every tag contains a match of" },
	{ .name = "not-match",
	  .type = TP_SCHEMA_STRING,
	  .help = "a PCRE2 regex no tag contains a match of" },
	{ .name = "message",
	  .type = TP_SCHEMA_STRING,
	  .help = "what a finding says" },
	{ .name = NULL }
};

const struct tp_schema tp_schema_custom_rule = { .type = TP_SCHEMA_MAP,
						 .keys = custom_keys };

static const struct tp_schema publish_keys[] = {
	{ .name = "template",
	  .type = TP_SCHEMA_STRING,
	  .flags = TP_SCHEMA_REQUIRED,
	  .help = "the tag to render" },
	{ .name = "when",
	  .type = TP_SCHEMA_ENUM,
	  .values = whens,
	  .help = "release, prerelease, branch or always (default)" },
	{ .name = NULL }
};

const struct tp_schema tp_schema_publish_item = { .type = TP_SCHEMA_MAP,
						  .keys = publish_keys };

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static int verror(struct tp_error *err, int code, const char *file,
		  const struct tp_ynode *node, const char *fmt, va_list ap)
	TP_PRINTF(5, 0);

static int
verror(struct tp_error *err, int code, const char *file,
       const struct tp_ynode *node, const char *fmt, va_list ap)
{
	char path[256];
	char msg[TP_ERROR_MSG_MAX];

	if (err == NULL || err->code != 0)
		return code;
	tp_ynode_path(path, sizeof(path), node);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return tp_error_set_at(err, code, file, node ? node->line : 0,
			       node ? node->column : 0, "%s%s%s", path,
			       path[0] ? ": " : "", msg);
}

int
tp_schema_error(struct tp_error *err, int code, const char *file,
		const struct tp_ynode *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(err, code, file, node, fmt, ap);
	va_end(ap);
	return code;
}

static int
fail(struct tp_error *err, const char *file, const struct tp_ynode *node,
     const char *fmt, ...) TP_PRINTF(4, 5);

static int
fail(struct tp_error *err, const char *file, const struct tp_ynode *node,
     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(err, TP_EPOLICY, file, node, fmt, ap);
	va_end(ap);
	return TP_EPOLICY;
}

/* ------------------------------------------------------------------ */
/* Did you mean                                                        */
/* ------------------------------------------------------------------ */

#define SUGGEST_MAX 64

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t
tp_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	size_t i, j, cost, v;

	if (alen > SUGGEST_MAX || blen > SUGGEST_MAX)
		return SIZE_MAX;
	for (i = 0; i <= alen; i++)
		d[i][0] = i;
	for (j = 0; j <= blen; j++)
		d[0][j] = j;
	for (i = 1; i <= alen; i++) {
		for (j = 1; j <= blen; j++) {
			cost = lower((unsigned char)a[i - 1]) !=
			       lower((unsigned char)b[j - 1]);
			v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    lower((unsigned char)a[i - 1]) ==
				    lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) ==
				    lower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[alen][blen];
}

void
tp_suggest_init(struct tp_suggest *s, const char *word, size_t len)
{
	s->word = word;
	s->len = len;
	s->best = NULL;
	s->best_d = SIZE_MAX;
}

void
tp_suggest_add(struct tp_suggest *s, const char *candidate)
{
	size_t clen = strlen(candidate), d, longer;

	if (clen == s->len && memcmp(candidate, s->word, clen) == 0)
		return;
	d = tp_edit_distance(s->word, s->len, candidate, clen);
	longer = clen > s->len ? clen : s->len;
	if (d == SIZE_MAX || d >= longer || 3 * d > longer + 2)
		return;
	if (d < s->best_d) {
		s->best = candidate;
		s->best_d = d;
	}
}

void
tp_suggest_text(char *buf, size_t size, const struct tp_suggest *s)
{
	if (size == 0)
		return;
	if (s->best == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, size, "; did you mean '%s'?", s->best);
}

/* ------------------------------------------------------------------ */
/* Checking                                                            */
/* ------------------------------------------------------------------ */

int
tp_schema_int(long *out, const struct tp_ynode *node, long min, long max,
	      const char *file, struct tp_error *err)
{
	unsigned long v = 0;
	size_t i;

	if (node->type != TP_YNODE_SCALAR || tp_ynode_is_null(node))
		return fail(err, file, node, "expected an integer, got %s",
			    tp_ynode_what(node));
	if (node->style != TP_YNODE_PLAIN || node->len == 0)
		return fail(err, file, node, "expected an integer, got '%s'",
			    node->str);
	for (i = 0; i < node->len; i++) {
		unsigned c = (unsigned char)node->str[i];

		if (c < '0' || c > '9')
			return fail(err, file, node,
				    "expected an integer, got '%s'", node->str);
		if (v > ((unsigned long)LONG_MAX - (c - '0')) / 10)
			return fail(err, file, node,
				    "%s is out of range (%ld to %ld)",
				    node->str, min, max);
		v = v * 10 + (c - '0');
	}
	if ((long)v < min || (long)v > max)
		return fail(err, file, node, "%s is out of range (%ld to %ld)",
			    node->str, min, max);
	*out = (long)v;
	return 0;
}

int
tp_schema_enum(const struct tp_ynode *node, const char *const *values,
	       const char *file, struct tp_error *err)
{
	struct tp_suggest sg;
	char expect[256], hint[128];
	size_t used = 0, n = 0;
	int i;

	if (node->type == TP_YNODE_SCALAR && !tp_ynode_is_null(node))
		for (i = 0; values[i] != NULL; i++)
			if (strcmp(values[i], node->str) == 0)
				return i;
	for (n = 0; values[n] != NULL; n++)
		;
	expect[0] = '\0';
	for (i = 0; values[i] != NULL; i++) {
		const char *sep = ", ";
		int w;

		if (i == 0)
			sep = "";
		else if ((size_t)i + 1 == n)
			sep = " or ";
		w = snprintf(expect + used, sizeof(expect) - used, "%s%s", sep,
			     values[i]);
		if (w < 0 || (size_t)w >= sizeof(expect) - used)
			break;
		used += (size_t)w;
	}
	if (node->type != TP_YNODE_SCALAR || tp_ynode_is_null(node)) {
		fail(err, file, node, "expected %s, got %s", expect,
		     tp_ynode_what(node));
		return -1;
	}
	tp_suggest_init(&sg, node->str, node->len);
	for (i = 0; values[i] != NULL; i++)
		tp_suggest_add(&sg, values[i]);
	tp_suggest_text(hint, sizeof(hint), &sg);
	fail(err, file, node, "unknown value '%s' (expected %s)%s", node->str,
	     expect, hint);
	return -1;
}

static int
check_map(const struct tp_ynode *node, const struct tp_schema *s,
	  const char *file, struct tp_error *err)
{
	const struct tp_schema *k;
	const struct tp_ynode *v;
	struct tp_suggest sg;
	char hint[128];
	int error;

	for (v = node->child; v != NULL; v = v->next) {
		for (k = s->keys; k->name != NULL; k++)
			if (strcmp(k->name, v->key->str) == 0)
				break;
		if (k->name == NULL) {
			tp_suggest_init(&sg, v->key->str, v->key->len);
			for (k = s->keys; k->name != NULL; k++)
				tp_suggest_add(&sg, k->name);
			tp_suggest_text(hint, sizeof(hint), &sg);
			return fail(err, file, v->key, "unknown key '%s'%s",
				    v->key->str, hint);
		}
		/* null means "not set", except for a required key */
		if (tp_ynode_is_null(v) && !(k->flags & TP_SCHEMA_REQUIRED))
			continue;
		error = tp_schema_check(v, k, file, err);
		if (error < 0)
			return error;
	}
	for (k = s->keys; k->name != NULL; k++)
		if ((k->flags & TP_SCHEMA_REQUIRED) &&
		    tp_ynode_get(node, k->name) == NULL)
			return fail(err, file, node,
				    "missing required key '%s'", k->name);
	return 0;
}

int
tp_schema_check(const struct tp_ynode *node, const struct tp_schema *s,
		const char *file, struct tp_error *err)
{
	const struct tp_ynode *v;
	long num;
	int error;

	if (node == NULL)
		return 0;
	switch (s->type) {
	case TP_SCHEMA_ANY: return 0;
	case TP_SCHEMA_STRING:
		if (node->type != TP_YNODE_SCALAR || tp_ynode_is_null(node))
			return fail(err, file, node,
				    "expected a string, got %s",
				    tp_ynode_what(node));
		return 0;
	case TP_SCHEMA_INT:
		return tp_schema_int(&num, node, s->min, s->max, file, err);
	case TP_SCHEMA_ENUM:
		if (tp_schema_enum(node, s->values, file, err) < 0)
			return TP_EPOLICY;
		return 0;
	case TP_SCHEMA_LIST:
	case TP_SCHEMA_MAP:
	case TP_SCHEMA_DICT:
		if (tp_ynode_is_null(node) && s->type != TP_SCHEMA_MAP)
			return 0;
		if (tp_ynode_is_null(node))
			return check_map(node, s, file, err);
		if (s->type == TP_SCHEMA_LIST &&
		    node->type != TP_YNODE_SEQUENCE)
			return fail(err, file, node, "expected a list, got %s",
				    tp_ynode_what(node));
		if (s->type != TP_SCHEMA_LIST && node->type != TP_YNODE_MAPPING)
			return fail(err, file, node,
				    "expected a mapping, got %s",
				    tp_ynode_what(node));
		if (s->type == TP_SCHEMA_MAP)
			return check_map(node, s, file, err);
		for (v = node->child; v != NULL; v = v->next) {
			if (s->type == TP_SCHEMA_DICT && tp_ynode_is_null(v))
				continue;
			error = tp_schema_check(v, s->item, file, err);
			if (error < 0)
				return error;
		}
		return 0;
	}
	return 0;
}
