#!/bin/sh
# tagpolicy next and current on awkward histories: merges, annotated and
# lightweight tags, the highest release rather than the nearest, higher
# tags on other branches, shallow clones, detached and bare repositories.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(
		cd repo &&
		test_commit "chore: start" &&
		git tag v1.0.0 &&
		test_commit "fix: one"
	)
'

test_expect_success 'a lightweight tag is a release' '
	(cd repo && tagpolicy current && tagpolicy next) >out &&
	printf "v1.0.0\nv1.0.1\n" >expect &&
	test_cmp expect out
'

test_expect_success 'an annotated tag is peeled to its commit' '
	(
		cd repo &&
		git tag -a -m "release 1.1.0" v1.1.0 &&
		tagpolicy current &&
		tagpolicy next major &&
		tagpolicy next
	) >out 2>err &&
	printf "v1.1.0\nv2.0.0\nv1.1.0\n" >expect &&
	test_cmp expect out &&
	test_grep "nothing to release" err
'

test_expect_success 'merges: the commits of a merged branch count, and the merge message' '
	(
		cd repo &&
		git checkout -q -b topic &&
		test_commit "feat: from the branch" &&
		git checkout -q main &&
		test_commit "docs: meanwhile" &&
		test_tick &&
		git merge -q --no-ff -m "Merge branch topic" topic &&
		tagpolicy next --format json >../json &&
		git checkout -q -b topic2 &&
		test_commit "docs: only docs" &&
		git checkout -q main &&
		test_tick &&
		git merge -q --no-ff -m "fix: merged with a fix" topic2 &&
		git tag v1.2.0 HEAD^1 &&
		tagpolicy next --explain 2>../err
	) >out &&
	test_grep "\"next\":\"v1.2.0\",\"next_version\":\"1.2.0\",\"bump\":\"minor\",\"component\":null,\"commits\":3," json &&
	test_grep "\"subject\":\"feat: from the branch\"" json &&
	echo v1.2.1 >expect &&
	test_cmp expect out &&
	test_grep "^commits: 2 since v1.2.0; 1 asks for a bump$" err &&
	test_grep " patch fix: merged with a fix$" err
'

test_expect_success 'the highest release wins, not the nearest' '
	(
		cd repo &&
		git tag v3.0.0 HEAD~2 &&
		git tag v2.5.0 &&
		tagpolicy current &&
		test_commit "fix: after" &&
		tagpolicy next --explain
	) >out 2>err &&
	printf "v3.0.0\nv3.1.0\n" >expect &&
	test_cmp expect out &&
	test_grep "^current: v3.0.0 at [0-9a-f]*: the highest release of kind '\''release'\'' reachable from HEAD$" err &&
	test_grep "^  v2.5.0: lower than the current release$" err &&
	test_grep "^commits: 5 since v3.0.0; 3 ask for a bump$" err &&
	test_grep " minor feat: from the branch$" err
'

test_expect_success 'two versions on one commit: the higher is current' '
	(
		cd repo &&
		test_commit "feat: both" &&
		git tag v3.1.0 &&
		git tag v3.2.0 &&
		tagpolicy current
	) >out &&
	echo v3.2.0 >expect &&
	test_cmp expect out
'

test_expect_success 'equal precedence (build metadata) is one version' '
	(
		cd repo &&
		test_commit "fix: meta" &&
		git tag v3.2.1+b &&
		git tag v3.2.1+a &&
		tagpolicy current &&
		tagpolicy next --explain
	) >out 2>err &&
	printf "v3.2.1+a\nv3.2.1+a\n" >expect &&
	test_cmp expect out &&
	test_grep "^  v3.2.1+b: the same version as the current release$" err
'

test_expect_success 'a higher tag on an unmerged branch is not current and does not block' '
	(
		cd repo &&
		git checkout -q -b future &&
		test_commit "feat!: future" &&
		git tag v9.0.0 &&
		git checkout -q main &&
		test_commit "fix: present" &&
		tagpolicy current &&
		tagpolicy next --explain
	) >out 2>err &&
	printf "v3.2.1+a\nv3.2.2\n" >expect &&
	test_cmp expect out &&
	test_grep "^  v9.0.0: not reachable from the commit$" err
'

test_expect_success 'the same version on an unmerged branch blocks (rule 6): exit 1' '
	(
		cd repo &&
		git checkout -q -b maint v3.2.1+a &&
		test_commit "fix: backport" &&
		git tag v3.2.2 &&
		git checkout -q main &&
		test_expect_code 1 tagpolicy next >../out 2>../err &&
		tagpolicy next minor
	) >out2 &&
	test_must_be_empty out &&
	test_grep "error: version '\''3.2.2'\'' is already tagged as '\''v3.2.2'\''" err &&
	test_grep "hint:" err &&
	echo v3.3.0 >expect &&
	test_cmp expect out2
'

test_expect_success 'tags of other shapes and of trees are passed over' '
	(
		cd repo &&
		git tag nightly &&
		git tag v3.2 &&
		git tag v4.0.0 "HEAD^{tree}" &&
		tagpolicy current &&
		test_expect_code 1 tagpolicy next major --explain
	) >out 2>err &&
	echo v3.2.1+a >expect &&
	test_cmp expect out &&
	test_grep "^  nightly: not of the release kind$" err &&
	test_grep "^  v3.2: not of the release kind$" err &&
	test_grep "^  v4.0.0: does not point at a commit$" err &&
	test_grep "error: version '\''4.0.0'\'' is already tagged as '\''v4.0.0'\''" err
'

test_expect_success 'detached HEAD works from its commit' '
	test_when_finished "git -C repo checkout -q main" &&
	(
		cd repo &&
		git checkout -q --detach main &&
		test_commit "feat: detached work" &&
		tagpolicy current &&
		tagpolicy next
	) >out &&
	printf "v3.2.1+a\nv3.3.0\n" >expect &&
	test_cmp expect out
'

test_expect_success '--rev computes for another commit; a bad one is exit 2' '
	(
		cd repo &&
		tagpolicy next --rev v3.0.0 &&
		tagpolicy current --rev v1.1.0 &&
		test_expect_code 2 tagpolicy next --rev no-such-rev 2>../err
	) >out &&
	printf "v3.0.0\nv1.1.0\n" >expect &&
	test_cmp expect out &&
	test_grep "no-such-rev" err
'

test_expect_success 'a bare repository: HEAD, and the policy of its tree' '
	git clone -q --bare repo bare.git &&
	(cd bare.git && tagpolicy current && tagpolicy next minor) >out &&
	printf "v3.2.1+a\nv3.3.0\n" >expect &&
	test_cmp expect out &&
	git init -q withpolicy &&
	(
		cd withpolicy &&
		printf "version: 1\nextends: [default]\nrelease: {initial: 2.0.0}\n" >.tagpolicy.yml &&
		git add .tagpolicy.yml &&
		test_commit "feat: first"
	) &&
	git clone -q --bare withpolicy withpolicy.git &&
	tagpolicy -C withpolicy.git next >out &&
	echo v2.0.0 >expect &&
	test_cmp expect out
'

test_expect_success '-C DIR reads the repository there' '
	tagpolicy -C repo current >out &&
	echo v3.2.1+a >expect &&
	test_cmp expect out &&
	tagpolicy -C repo next minor >out &&
	echo v3.3.0 >expect &&
	test_cmp expect out
'

test_expect_success 'not a repository is exit 3, with advice' '
	mkdir plain &&
	(
		cd plain &&
		GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 3 tagpolicy next >../out 2>../err &&
		test_expect_code 3 tagpolicy current 2>../err2
	) &&
	test_must_be_empty out &&
	test_grep "error: not a git repository" err &&
	test_grep "not a git repository" err2
'

test_expect_success 'HEAD without a commit: exit 1 saying so' '
	git init -q unborn &&
	(cd unborn && test_expect_code 1 tagpolicy next) >out 2>err &&
	test_must_be_empty out &&
	test_grep "HEAD has no commit yet" err
'

test_expect_success 'setup: a longer history to clone shallowly' '
	git init -q long &&
	(
		cd long &&
		test_commit "chore: one" &&
		test_commit "feat: two" &&
		git tag -a -m "release" v1.0.0 &&
		test_commit "fix: three" &&
		test_commit "fix: four" &&
		test_commit "feat: five"
	)
'

test_expect_success 'shallow, the release in the fetched part: works, with a warning' '
	git clone -q --depth 4 "file://$(pwd)/long" deep &&
	test -f deep/.git/shallow &&
	(cd deep && tagpolicy next && tagpolicy current) >out 2>err &&
	printf "v1.1.0\nv1.0.0\n" >expect &&
	test_cmp expect out &&
	test_grep "warning: the history is shallow" err
'

test_expect_success 'shallow, the release beyond the boundary: exit 3 with the fetch advice' '
	git clone -q --depth 2 "file://$(pwd)/long" shallow &&
	(cd shallow && test_expect_code 3 tagpolicy next) >out 2>err &&
	test_must_be_empty out &&
	test_grep "error: the history is shallow" err &&
	test_grep "git fetch --tags --unshallow" err &&
	test_grep "fetch-depth: 0" err &&
	(cd shallow && test_expect_code 3 tagpolicy current) 2>err &&
	test_grep "git fetch --tags --unshallow" err
'

test_expect_success 'shallow, the tag fetched but its commit beyond the boundary: exit 3' '
	git clone -q --depth 2 --no-tags "file://$(pwd)/long" tagonly &&
	(
		cd tagonly &&
		git fetch -q --depth 2 origin "refs/tags/v1.0.0:refs/tags/v1.0.0" 2>/dev/null ||
		git fetch -q origin "+refs/tags/v1.0.0:refs/tags/v1.0.0" &&
		test_expect_code 3 tagpolicy next
	) >out 2>err &&
	test_must_be_empty out &&
	test_grep "git fetch --tags --unshallow" err
'

test_expect_success 'unshallowed, the answer is the full one' '
	(cd shallow && git fetch -q --tags --unshallow && tagpolicy next) >out 2>err &&
	echo v1.1.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

# The README's first command ends with ./tagpolicy next --explain, run in a
# fresh clone of this repository (no tags yet: the initial version).
top=$(git -C "$SRCDIR" rev-parse --show-toplevel 2>/dev/null) || top=
if test -n "$top" && test "$top" = "$(cd "$SRCDIR" && pwd -P)"
then
	test_expect_success 'this repository itself: next --explain works on a fresh clone' '
		git clone -q --no-local "$SRCDIR" self 2>/dev/null &&
		if test "$(git -C self rev-parse --is-shallow-repository)" = true
		then
			test_expect_code 3 tagpolicy -C self next --explain 2>err &&
			test_grep "git fetch --tags --unshallow" err
		else
			tagpolicy -C self next --explain >out 2>err &&
			test_grep "^v[0-9]" out &&
			test_grep "^current: " err &&
			test_grep "^next: v" err
		fi
	'
else
	test_skip 'this repository itself: next --explain works on a fresh clone' \
		'the sources are not a git checkout'
fi

test_done
