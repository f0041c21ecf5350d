/*
 * rule.h: how a built-in rule plugs into the engine (private).
 *
 * Each rule lives in rules/<id>.c and defines exactly one const struct
 * tp_rule_desc; rules/registry.c lists their addresses sorted by id.  The
 * policy loader validates a rule's YAML against `opt` and hands the rule a
 * typed struct tp_rule_conf; the engine (lint.c) calls whichever hooks are
 * non-NULL.  Rules are pure: no libgit2, no printing; findings go through
 * the engine's report function.
 */
#ifndef TP_RULE_H
#define TP_RULE_H

#include "policy.h"

struct tp_lint;     /* a lint run (lint.h) */
struct tp_tagres;   /* one tag's result within a run (lint.h) */

enum tp_ropt {
	TP_ROPT_NONE,   /* `id: level` only */
	TP_ROPT_INT,    /* `id: [level, N]` (max-length) */
	TP_ROPT_LIST    /* `id: [level, [a, b, ...]]` */
};

/* What a rule looks at; the engine gathers only what enabled rules need. */
#define TP_RULE_TAG   0x01u /* one tag at a time */
#define TP_RULE_SET   0x02u /* the whole list once it is read */
/*
 * Needs repository facts (--git, hooks): the engine calls its check_tag
 * only for tags that have some (a commit, or a known annotation), so a
 * rule that reports missing facts must not carry this flag.
 */
#define TP_RULE_GIT   0x04u
#define TP_RULE_HOOK  0x08u /* only at push time (hook, next --tag) */
#define TP_RULE_ALWAYS_ON 0x10u /* cannot be turned off (kind) */

struct tp_rule_desc {
	const char *id;          /* kebab-case, stable: YAML, output, docs */
	const char *summary;     /* one line, for `policy show` and docs */
	unsigned flags;
	enum tp_level default_level[TP_SCOPE_COUNT];
	enum tp_ropt opt;
	const char *opt_name;    /* what the option means, for messages */
	long default_num;        /* TP_ROPT_INT default */
	/* a NULL-terminated default list for TP_ROPT_LIST, or NULL */
	const char *const *default_list;

	/* Validates the typed option (range, known kinds...); may be NULL. */
	int (*configure)(struct tp_rule_conf *conf, const struct tp_policy *p,
			 struct tp_error *err);
	/*
	 * One tag, after its kind was decided (tag->kind may be NULL).  It
	 * reads tag->tag[0..tag_len) and nothing past it: in a streaming
	 * run the text may be the caller's input, without the zeroed bytes
	 * PCRE2's JIT code may read past a subject's end, so regexes on the
	 * tag are the engine's (kinds, pattern fields, custom rules).
	 */
	void (*check_tag)(struct tp_lint *run, struct tp_tagres *tag,
			  const struct tp_rule_conf *conf);
	/* Once after the whole list was added. */
	void (*check_set)(struct tp_lint *run,
			  const struct tp_rule_conf *conf);
};

/* rules/registry.c */
extern const struct tp_rule_desc *const tp_rule_registry[];
extern const size_t tp_rule_count;

/* The descriptor for `id`, or NULL. */
const struct tp_rule_desc *tp_rule_find(const char *id, size_t len);

#endif
