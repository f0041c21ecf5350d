#!/bin/sh
# tagpolicy prune --git: retention over the repository's own tags (scope
# git): protected release tags, dated kinds, and keep-within for a kind
# without a date field (the tagger's date, else the commit's).
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	cat >policy.yml <<-\EOF &&
	version: 1
	fields: {date: {date: "%Y%m%d"}}
	kinds:
	  release: "v{semver}"
	  nightly: "nightly-{date}"
	  snapshot: "snap-{semver}"
	scopes: {git: [release, nightly, snapshot], image: []}
	retention:
	  release: {keep: 1}
	  nightly: {keep: 2}
	  snapshot: {keep-within: 1d}
	EOF
	git init -q repo &&
	(
		cd repo &&
		test_commit one &&
		git tag -a -m 1.0.0 v1.0.0 &&
		git tag snap-1.0.0 &&
		test_commit two &&
		git tag -a -m 1.1.0 v1.1.0 &&
		GIT_COMMITTER_DATE="1700200000 +0000" \
			git tag -a -m s snap-1.1.0 &&
		git tag nightly-20261101 &&
		git tag nightly-20261103 &&
		GIT_COMMITTER_DATE="1700150000 +0000" \
			git commit -q --allow-empty -m three &&
		git tag -a -m 2.0.0 v2.0.0 &&
		git tag snap-2.0.0 &&
		git tag nightly-20261104 &&
		git tag nightly-20261102 &&
		git tag not-a-kind
	)
'
TAGPOLICY_CONFIG=$TRASH/policy.yml
SOURCE_DATE_EPOCH=1700210000
export TAGPOLICY_CONFIG SOURCE_DATE_EPOCH

test_expect_success 'the tags retention selects; release tags are protected' '
	(cd repo && tagpolicy prune --git >../out 2>../err) &&
	printf "%s\n" nightly-20261102 nightly-20261101 snap-1.0.0 >expect &&
	test_cmp expect out &&
	test_grep "warning: retention of kind .release. is ignored: rule .immutable. protects it" err
'

test_expect_success 'json: the reasons, in the repository order of tags' '
	(cd repo && tagpolicy -q prune --git --format json >../out 2>../err) &&
	cat >expect <<-\EOF &&
	{"delete":[{"tag":"nightly-20261102","kind":"nightly","rule":"keep: 2"},{"tag":"nightly-20261101","kind":"nightly","rule":"keep: 2"},{"tag":"snap-1.0.0","kind":"snapshot","rule":"keep-within: 1d"}],"keep":[{"tag":"nightly-20261103","kind":"nightly","reason":"among the 2 newest"},{"tag":"nightly-20261104","kind":"nightly","reason":"among the 2 newest"},{"tag":"not-a-kind","kind":null,"reason":"matches no kind of scope git"},{"tag":"snap-1.1.0","kind":"snapshot","reason":"at most 1d old"},{"tag":"snap-2.0.0","kind":"snapshot","reason":"at most 1d old"},{"tag":"v1.0.0","kind":"release","reason":"kind '\''release'\'' is protected by rule '\''immutable'\''"},{"tag":"v1.1.0","kind":"release","reason":"kind '\''release'\'' is protected by rule '\''immutable'\''"},{"tag":"v2.0.0","kind":"release","reason":"kind '\''release'\'' is protected by rule '\''immutable'\''"}]}
	EOF
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'keep-within: later, the snapshots age out' '
	(cd repo && SOURCE_DATE_EPOCH=1700300000 tagpolicy prune --git \
		2>/dev/null >../out) &&
	printf "%s\n" nightly-20261102 nightly-20261101 snap-1.0.0 \
		snap-1.1.0 snap-2.0.0 >expect &&
	sort expect >expect.s && sort out >out.s &&
	test_cmp expect.s out.s
'

test_expect_success 'with immutable off, release tags beyond keep are selected' '
	sed "s/^retention:/rules: {immutable: off}\nretention:/" policy.yml \
		>open.yml &&
	(cd repo && tagpolicy -p ../open.yml prune --git >../out 2>../err) &&
	printf "%s\n" v1.1.0 v1.0.0 nightly-20261102 nightly-20261101 \
		snap-1.0.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'a repository without tags: nothing to delete' '
	git init -q empty &&
	(cd empty && tagpolicy prune --git >../out) &&
	test_must_be_empty out
'

test_expect_success 'not a repository is exit 3' '
	mkdir plain &&
	(cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 3 tagpolicy prune --git >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error: " err
'

test_done
