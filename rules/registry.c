/*
 * registry.c: every built-in rule, sorted by id (tp_rule_find() relies on
 * the order; a unit test checks it).
 */
#include <string.h>

#include "rule.h"

extern const struct tp_rule_desc tp_rule_annotated;
extern const struct tp_rule_desc tp_rule_charset;
extern const struct tp_rule_desc tp_rule_date_future;
extern const struct tp_rule_desc tp_rule_duplicate_version;
extern const struct tp_rule_desc tp_rule_immutable;
extern const struct tp_rule_desc tp_rule_kind;
extern const struct tp_rule_desc tp_rule_lowercase;
extern const struct tp_rule_desc tp_rule_max_length;
extern const struct tp_rule_desc tp_rule_monotonic;
extern const struct tp_rule_desc tp_rule_one_version_per_commit;
extern const struct tp_rule_desc tp_rule_prerelease_ids;
extern const struct tp_rule_desc tp_rule_promotion;
extern const struct tp_rule_desc tp_rule_release_branch;
extern const struct tp_rule_desc tp_rule_sha_commit;
extern const struct tp_rule_desc tp_rule_version_gap;

const struct tp_rule_desc *const tp_rule_registry[] = {
	&tp_rule_annotated,
	&tp_rule_charset,
	&tp_rule_date_future,
	&tp_rule_duplicate_version,
	&tp_rule_immutable,
	&tp_rule_kind,
	&tp_rule_lowercase,
	&tp_rule_max_length,
	&tp_rule_monotonic,
	&tp_rule_one_version_per_commit,
	&tp_rule_prerelease_ids,
	&tp_rule_promotion,
	&tp_rule_release_branch,
	&tp_rule_sha_commit,
	&tp_rule_version_gap,
};

const size_t tp_rule_count =
	sizeof(tp_rule_registry) / sizeof(tp_rule_registry[0]);

const struct tp_rule_desc *
tp_rule_find(const char *id, size_t len)
{
	size_t lo = 0, hi = tp_rule_count, mid, n;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		n = strlen(tp_rule_registry[mid]->id);
		c = strncmp(id, tp_rule_registry[mid]->id, len < n ? len : n);
		if (c == 0)
			c = len < n ? -1 : len > n ? 1 : 0;
		if (c == 0)
			return tp_rule_registry[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
