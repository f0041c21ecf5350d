/*
 * policy.h: the typed, compiled tagging policy (private to the library).
 *
 * A struct tp_policy is built once by the loader (policy_load.c: YAML ->
 * node tree -> typed values through the schema tables -> presets merged ->
 * cross-checks -> compiled) and is immutable afterwards: lint, bump, publish
 * and retention only read it.  Every string, array and compiled regex in it
 * is owned by the policy and freed by tp_policy_free().  Pointers between
 * parts (a scope's kinds, a retention entry's kind) are borrowed pointers
 * into the policy's own arrays.
 */
#ifndef TP_POLICY_H
#define TP_POLICY_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tagpolicy.h"
#include "conventional.h"
#include "date.h"

struct tp_rule_desc;

enum tp_level {
	TP_LEVEL_OFF = 0,
	TP_LEVEL_WARNING = 1,
	TP_LEVEL_ERROR = 2
};

enum tp_scope {
	TP_SCOPE_GIT = 0,
	TP_SCOPE_IMAGE = 1,
	TP_SCOPE_COUNT = 2
};

/* Where a value came from: "file:line:column" in messages. */
struct tp_loc {
	const char *file; /* borrowed from tp_policy.sources; NULL = built in */
	unsigned line;
	unsigned column;
};

enum tp_field_type {
	/* built in, cannot be redefined */
	TP_FIELD_SEMVER,
	TP_FIELD_MAJOR,
	TP_FIELD_MINOR,
	TP_FIELD_PATCH,
	TP_FIELD_PRE,
	TP_FIELD_META,
	TP_FIELD_BRANCH,
	/* typed fields a policy defines (env, sha, build, date by default) */
	TP_FIELD_VALUES,
	TP_FIELD_PATTERN,
	TP_FIELD_HEX,
	TP_FIELD_DATE
};

struct tp_field {
	char *name;
	enum tp_field_type type;
	char **values;          /* TP_FIELD_VALUES */
	size_t nvalues;
	char *pattern;          /* TP_FIELD_PATTERN: the user's text */
	pcre2_code *pattern_re; /* ... compiled anchored on both ends */
	unsigned hex_min;       /* TP_FIELD_HEX: exact length when min == max */
	unsigned hex_max;
	char *date_text;        /* TP_FIELD_DATE: "%Y%m%d" */
	struct tp_date_fmt *date;
	struct tp_loc loc;
};

/* One piece of a kind or publish template: literal text or a field. */
struct tp_piece {
	const char *text;              /* literal bytes (owned by the kind) */
	size_t len;                    /* 0 for a field */
	const struct tp_field *field;  /* NULL for a literal */
	unsigned group;                /* capture group number in the kind's re */
};

/* The most kinds a policy may have (kinds and components). */
#define TP_POLICY_KINDS_MAX 65535

struct tp_kind {
	char *name;
	char *template;          /* as written: "v{semver}-{env}" */
	struct tp_piece *pieces; /* the template split into pieces */
	size_t npieces;
	pcre2_code *re;          /* anchored, named groups; JIT after
				    tp_policy_jit() */
	int has_semver;          /* a {semver} field */
	int has_version;         /* {semver} or any of {major} {minor} {patch} */
	int has_date;            /* a date field */
	int calver_counter;      /* calver release kind: also matches ".N" */
	const char *component;   /* non-NULL for a components.NAME kind */
	struct tp_loc loc;
};

/*
 * A rule's configuration after defaults and the policy's settings: the level
 * per scope, and the option typed as the rule's descriptor declares it.
 */
struct tp_rule_conf {
	const struct tp_rule_desc *desc;
	enum tp_level level[TP_SCOPE_COUNT];
	long num;      /* option of type TP_ROPT_INT (max-length) */
	char **list;   /* option of type TP_ROPT_LIST */
	size_t nlist;
	int has_option;
	struct tp_loc loc; /* where the policy set it; file NULL = default */
};

struct tp_custom_rule {
	char *id;
	enum tp_level level;
	int scope;          /* TP_SCOPE_GIT, TP_SCOPE_IMAGE, or -1 for both */
	char **kinds;       /* NULL = every kind */
	size_t nkinds;
	char *regex;        /* `match` or `not-match` text */
	int negate;         /* 1 for not-match: a search hit is a finding */
	pcre2_code *re;     /* unanchored search */
	char *message;
	struct tp_loc loc;
};

enum tp_when {
	TP_WHEN_ALWAYS,
	TP_WHEN_RELEASE,
	TP_WHEN_PRERELEASE,
	TP_WHEN_BRANCH
};

struct tp_publish {
	char *template;
	struct tp_piece *pieces;
	size_t npieces;
	enum tp_when when;
	struct tp_loc loc;
};

struct tp_retention {
	const struct tp_kind *kind;
	long keep;            /* -1 when unset */
	int64_t keep_within;  /* seconds; -1 when unset */
	const struct tp_field *keep_per; /* NULL when unset */
	struct tp_loc loc;
};

struct tp_component {
	char *name;
	const struct tp_kind *kind;
	char **paths;
	size_t npaths;
	struct tp_loc loc;
};

struct tp_policy {
	char *origin;        /* the top file's path, or "built-in default" */
	char **sources;      /* every file or preset read, for tp_loc.file */
	size_t nsources;

	struct tp_field *fields;  /* built-in fields first, then typed ones */
	size_t nfields;
	struct tp_kind *kinds;    /* policy order, components last */
	size_t nkinds;
	/* the first nkinds_by_name kinds, by name (tp_policy_kind) */
	const struct tp_kind **kinds_by_name;
	size_t nkinds_by_name;
	const struct tp_kind **scope[TP_SCOPE_COUNT]; /* try in this order */
	size_t nscope[TP_SCOPE_COUNT];
	enum tp_scope default_scope;

	struct tp_rule_conf *rules; /* parallel to tp_rule_registry[] */
	size_t nrules;
	struct tp_custom_rule *custom;
	size_t ncustom;

	const struct tp_kind *release_kind; /* NULL: no release kind */
	char *initial;                      /* "0.1.0" */
	unsigned prerelease_start;          /* 1 */

	int calver;                 /* bump.scheme: calver */
	struct tp_bump_map bump;    /* bump.types borrows the two below */
	struct tp_bump_type *bump_types; /* owned: the map's type array */
	char **bump_names;               /* owned: the names in it */

	struct tp_component *components;
	size_t ncomponents;
	struct tp_publish *publish;
	size_t npublish;
	struct tp_retention *retention;
	size_t nretention;
};

/* Lookups by name; NULL when absent. */
const struct tp_field *tp_policy_field(const struct tp_policy *p,
				       const char *name);
const struct tp_kind *tp_policy_kind(const struct tp_policy *p,
				     const char *name);
const struct tp_rule_conf *tp_policy_rule(const struct tp_policy *p,
					  const char *id);

#endif
