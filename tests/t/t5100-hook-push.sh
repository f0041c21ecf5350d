#!/bin/sh
# tagpolicy hook pre-push, installed with `hook install` in a clone, on
# real `git push`es to a local bare repository: what passes, what is
# blocked, and that a blocked push leaves the remote's refs as they were.
. "$(dirname "$0")/test-lib.sh"

# git runs the installed hook, which finds tagpolicy on PATH
PATH=$(dirname "$TAGPOLICY"):$PATH
export PATH

# remote_refs: the remote's refs, as `git ls-remote` sees them
remote_refs () {
	git ls-remote "$TRASH/srv.git" >"$1"
}

test_expect_success 'setup: a remote, a clone with a policy, the hook' '
	git init -q --bare srv.git &&
	git clone -q srv.git work 2>/dev/null &&
	(
		cd work &&
		cat >.tagpolicy.yml <<-\EOF &&
		version: 1
		kinds: {release: "v{semver}"}
		scopes: {git: [release], image: []}
		rules: {annotated: error}
		EOF
		git add .tagpolicy.yml &&
		test_commit one &&
		tagpolicy hook install >../out
	) &&
	test_grep "^installed .*/work/.git/hooks/pre-push$" out
'

test_expect_success 'a branch push passes' '
	(cd work && git push -q origin main 2>../err) &&
	test_must_be_empty err &&
	git -C srv.git rev-parse --verify -q main
'

test_expect_success 'a valid annotated tag passes' '
	(
		cd work &&
		git tag -a -m "release 1.0.0" v1.0.0 &&
		git push -q origin v1.0.0 2>../err
	) &&
	test_must_be_empty err &&
	test "$(git -C srv.git rev-parse v1.0.0)" = \
		"$(git -C work rev-parse v1.0.0)"
'

test_expect_success 'an invalid name is blocked; the remote is unchanged' '
	remote_refs before &&
	(
		cd work &&
		test_commit two &&
		git tag -a -m bad v1.1 &&
		test_must_fail git push origin main v1.1 2>../err
	) &&
	test_grep "^error: tag '\''v1.1'\'' (pre-push): does not match any allowed kind \[kind\]$" err &&
	test_grep "^hint: tag it as '\''v1.1.0'\''$" err &&
	test_grep "^tagpolicy: push blocked: 1 error in 1 of 1 tag" err &&
	test_grep "failed to push some refs" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'a lightweight release tag is blocked (annotated: error)' '
	(
		cd work &&
		git tag v1.1.0 &&
		test_must_fail git push origin v1.1.0 2>../err
	) &&
	test_grep "v1.1.0'\'' (pre-push): is a lightweight tag.*\[annotated\]" err &&
	test_grep "^hint: annotate it: git tag -f -a -m v1.1.0 v1.1.0 " err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'following the hint makes the push pass' '
	(
		cd work &&
		git tag -f -a -m v1.1.0 v1.1.0 v1.1.0 >/dev/null &&
		git push -q origin main v1.1.0 2>../err
	) &&
	test_must_be_empty err &&
	git -C srv.git rev-parse --verify -q v1.1.0 &&
	remote_refs before
'

test_expect_success 'a moved tag (push --force) is blocked' '
	(
		cd work &&
		git tag -f -a -m moved v1.0.0 HEAD >/dev/null &&
		test_must_fail git push --force origin v1.0.0 2>../err
	) &&
	test_grep "v1.0.0'\'' (pre-push): would move from .* \[immutable\]" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'a deleted release tag is blocked' '
	(
		cd work &&
		test_must_fail git push origin :refs/tags/v1.0.0 2>../err &&
		test_must_fail git push origin --delete v1.1.0 2>>../err
	) &&
	test_grep "v1.0.0'\'' (pre-push): would be deleted.*\[immutable\]" err &&
	test_grep "v1.1.0'\'' (pre-push): would be deleted.*\[immutable\]" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'a release lower than its history is blocked' '
	(
		cd work &&
		git tag -a -m old v1.0.5 &&
		test_must_fail git push origin v1.0.5 2>../err
	) &&
	test_grep "v1.0.5'\'' (pre-push): is not greater than '\''v1.1.0'\'', a release tag in its own history \[monotonic\]" err &&
	test_grep "^hint: .*the next release is at least '\''v1.1.1'\''" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'every reason of a push is printed, once' '
	(
		cd work &&
		test_must_fail git push origin v1.1 v1.0.5 2>../err
	) &&
	test "$(grep -c "^error: tag " err)" = 2 &&
	test_grep "push blocked: 2 errors in 2 of 2 tags" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success '--follow-tags: the tags that come along are checked' '
	(
		cd work &&
		test_commit three &&
		git tag -d v1.1 v1.0.5 >/dev/null &&
		git tag -a -m "2.0" v2.0 &&
		test_must_fail git push --follow-tags origin main 2>../err
	) &&
	test_grep "v2.0'\'' (pre-push): does not match" err &&
	remote_refs after &&
	test_cmp before after &&
	(
		cd work &&
		git tag -d v2.0 >/dev/null &&
		git tag -a -m "2.0.0" v2.0.0 &&
		git push -q --follow-tags origin main 2>../err
	) &&
	test_must_be_empty err &&
	git -C srv.git rev-parse --verify -q v2.0.0 &&
	remote_refs before
'

test_expect_success 'the policy of the working tree is read for tag pushes only' '
	(
		cd work &&
		cp .tagpolicy.yml ../keep.yml &&
		echo "version: 2" >.tagpolicy.yml &&
		test_commit four &&
		git push -q origin main 2>../err &&
		git tag -a -m r v2.1.0 &&
		test_expect_code 1 git push origin v2.1.0 2>../err2
		rc=$?
		cp ../keep.yml .tagpolicy.yml &&
		exit $rc
	) &&
	test_must_be_empty err &&
	test_grep ".tagpolicy.yml:1:10: error:" err2 &&
	remote_refs before &&
	git -C srv.git rev-parse --verify -q main >/dev/null
'

test_expect_success 'the installed hook fails closed without tagpolicy on PATH' '
	remote_refs before &&
	mkdir bin &&
	for t in git sh cat sed awk env; do
		ln -s "$(command -v $t)" bin/$t || return 1
	done &&
	(
		cd work &&
		git tag -a -m r v2.2.0 &&
		PATH=$TRASH/bin &&
		export PATH &&
		! sh -c "command -v tagpolicy" &&
		test_must_fail git push origin main v2.2.0 2>../err
	) &&
	test_grep "tagpolicy: error: '\''tagpolicy'\'' is not on PATH, so the pre-push hook cannot check this push; nothing was pushed" err &&
	test_grep "^hint: install tagpolicy" err &&
	remote_refs after &&
	test_cmp before after
'

test_expect_success 'git push --no-verify skips the hook' '
	(
		cd work &&
		git tag -a -m bad v9.9 &&
		git push -q --no-verify origin v9.9 2>../err
	) &&
	git -C srv.git rev-parse --verify -q v9.9
'

test_done
