#!/bin/sh
# tagpolicy next --tag: creating the release tag, and every refusal.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(
		cd repo &&
		test_commit "chore: start" &&
		git tag -a -m "release 1.3.0" v1.3.0 &&
		test_commit "feat(search): fuzzy matching" &&
		test_commit "fix: crash on empty query" &&
		test_commit "docs: explain search" &&
		test_commit "feat!: drop the v1 API"
	)
'

test_expect_success '--tag creates an annotated tag and prints its name' '
	(cd repo && tagpolicy next --tag) >out 2>err &&
	echo v2.0.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	test "$(git -C repo cat-file -t v2.0.0)" = tag &&
	test "$(git -C repo rev-parse v2.0.0^{commit})" = "$(git -C repo rev-parse HEAD)"
'

test_expect_success 'the message lists the commits by type, breaking first' '
	git -C repo cat-file tag v2.0.0 | sed "1,/^\$/d" >msg &&
	s1=$(git -C repo rev-parse --short=7 HEAD) &&
	s2=$(git -C repo rev-parse --short=7 HEAD~2) &&
	s3=$(git -C repo rev-parse --short=7 HEAD~3) &&
	cat >expect <<-EOF &&
	Release v2.0.0

	Breaking changes:
	- feat!: drop the v1 API ($s1)

	Features:
	- feat(search): fuzzy matching ($s3)

	Fixes:
	- fix: crash on empty query ($s2)

	4 commits since v1.3.0
	EOF
	test_cmp expect msg &&
	git -C repo for-each-ref --format="%(taggername) %(taggeremail)" refs/tags/v2.0.0 >who &&
	echo "C O Mitter <committer@example.com>" >expect &&
	test_cmp expect who
'

test_expect_success 'nothing to release: --tag creates nothing' '
	(cd repo && tagpolicy next --tag) >out 2>err &&
	echo v2.0.0 >expect &&
	test_cmp expect out &&
	test_grep "nothing to release" err &&
	test_grep "no tag was created" err &&
	(cd repo && test_expect_code 4 tagpolicy next --tag --exit-code) >out &&
	git -C repo tag >tags &&
	printf "v1.3.0\nv2.0.0\n" >expect &&
	test_cmp expect tags
'

test_expect_success '-m puts the text first; CRLF is read as LF' '
	(
		cd repo &&
		test_commit "fix: retry on timeout" &&
		tagpolicy next --tag -m "$(printf "Hotfix for the outage.\r\n\r\nSee INC-42.")" >../out
	) &&
	echo v2.0.1 >expect &&
	test_cmp expect out &&
	git -C repo cat-file tag v2.0.1 | sed "1,/^\$/d" >msg &&
	s=$(git -C repo rev-parse --short=7 HEAD) &&
	cat >expect <<-EOF &&
	Hotfix for the outage.

	See INC-42.

	Release v2.0.1

	Fixes:
	- fix: retry on timeout ($s)

	1 commit since v2.0.0
	EOF
	test_cmp expect msg &&
	! grep -q "$(printf "\r")" msg
'

test_expect_success '--tag --rev tags that commit' '
	(
		cd repo &&
		test_commit "feat: export" &&
		test_commit "feat: import" &&
		tagpolicy next --tag --rev HEAD~1 >../out
	) &&
	echo v2.1.0 >expect &&
	test_cmp expect out &&
	test "$(git -C repo rev-parse v2.1.0^{commit})" = "$(git -C repo rev-parse HEAD~1)"
'

test_expect_success '--tag --format json prints the document' '
	(cd repo && tagpolicy next --tag --format json) >out &&
	test_grep "^{\"current\":\"v2.1.0\",\"current_version\":\"2.1.0\",\"next\":\"v2.2.0\",\"next_version\":\"2.2.0\",\"bump\":\"minor\"" out &&
	git -C repo rev-parse -q --verify refs/tags/v2.2.0 >/dev/null
'

test_expect_success 'refuses a version already tagged elsewhere (rule 6), creates nothing' '
	(
		cd repo &&
		git checkout -q -b maint v2.0.1 &&
		test_commit "fix: backport" &&
		git tag v2.0.2 &&
		git checkout -q main &&
		git checkout -q -b hot v2.0.1 &&
		test_commit "fix: another backport" &&
		test_expect_code 1 tagpolicy next --tag >../out 2>../err
	) &&
	git -C repo checkout -q main &&
	test_must_be_empty out &&
	test_grep "version '\''2.0.2'\'' is already tagged as '\''v2.0.2'\''" err &&
	test "$(git -C repo rev-parse v2.0.2^{commit})" = "$(git -C repo rev-parse maint)"
'

test_expect_success 'refuses a release lower than a tag in its history (monotonic)' '
	(
		cd repo &&
		test_commit "feat: big thing" &&
		git tag v2.3.0-rc.1 &&
		test_commit "fix: small thing" &&
		tagpolicy next patch >../next &&
		test_expect_code 1 tagpolicy next patch --tag >../out 2>../err
	) &&
	echo v2.2.1 >expect &&
	test_cmp expect next &&
	test_must_be_empty out &&
	test_grep "error: tag '\''v2.2.1'\'' (git): is not greater than '\''v2.3.0-rc.1'\'', a release tag in its own history \[monotonic\]" err &&
	test_grep "no tag was created" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/tags/v2.2.1
'

test_expect_success 'monotonic at level warning warns and creates' '
	printf "version: 1\nextends: [default]\nrules: {monotonic: warning}\n" >warn.yml &&
	(cd repo && tagpolicy -p ../warn.yml next patch --tag) >out 2>err &&
	echo v2.2.1 >expect &&
	test_cmp expect out &&
	test_grep "warning: tag '\''v2.2.1'\'' (git): is not greater than '\''v2.3.0-rc.1'\''" err &&
	git -C repo tag -d v2.2.1 >/dev/null
'

test_expect_success 'refuses a commit on no release branch (release-branch)' '
	cat >branch.yml <<-\EOF &&
	version: 1
	extends: [default]
	rules: {release-branch: [error, [main, "release/*"]]}
	EOF
	(
		cd repo &&
		git checkout -q -b feature &&
		test_commit "feat: experiment" &&
		test_expect_code 1 tagpolicy -p ../branch.yml next --tag >../out 2>../err &&
		git checkout -q -b release/3.x &&
		tagpolicy -p ../branch.yml next --pre rc --tag >../out2 2>../err2
	) &&
	git -C repo checkout -q main &&
	test_must_be_empty out &&
	test_grep "error: tag '\''v2.3.0'\'' (git): is not on a release branch (main, release/\*) \[release-branch\]" err &&
	test_grep "no tag was created" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/tags/v2.3.0 &&
	echo v2.3.0-rc.2 >expect &&
	test_cmp expect out2 &&
	test_must_be_empty err2
'

test_expect_success 'refuses a tag whose own shape fails check in scope git' '
	cat >shape.yml <<-\EOF &&
	version: 1
	extends: [default]
	rules:
	  custom:
	    - {id: no-rc, level: error, scope: git, not-match: "-rc", message: release candidates are not tagged here}
	EOF
	(cd repo && test_expect_code 1 tagpolicy -p ../shape.yml next --pre rc --tag) >out 2>err &&
	test_must_be_empty out &&
	test_grep "error: tag '\''v2.3.0-rc.3'\'' (git): release candidates are not tagged here \[no-rc\]" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/tags/v2.3.0-rc.3
'

test_expect_success 'tag.gpgSign: exit 3, prints the git tag -s command, creates nothing' '
	test_when_finished "git -C repo config --unset tag.gpgSign" &&
	(
		cd repo &&
		git config tag.gpgSign true &&
		test_expect_code 3 tagpolicy next --tag >../out 2>../err
	) &&
	test_must_be_empty out &&
	test_grep "tag.gpgSign" err &&
	test_grep "^git tag -s -m '\''Release v2.3.0$" err &&
	test_grep "^2 commits since v2.2.0'\'' v2.3.0 $(git -C repo rev-parse HEAD)$" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/tags/v2.3.0
'

test_expect_success 'the printed git tag -s command works as printed' '
	sed -n "/^git tag -s/,\$p" err >cmd.sh &&
	sed "s/^git tag -s /git tag -a /" cmd.sh >cmd-a.sh &&
	(cd repo && sh ../cmd-a.sh) &&
	git -C repo for-each-ref --format="%(contents:subject)" refs/tags/v2.3.0 >subj &&
	echo "Release v2.3.0" >expect &&
	test_cmp expect subj &&
	git -C repo tag -d v2.3.0 >/dev/null
'

test_expect_success 'tag.forceSignAnnotated refuses too' '
	test_when_finished "git -C repo config --unset tag.forceSignAnnotated" &&
	(
		cd repo &&
		git config tag.forceSignAnnotated true &&
		test_expect_code 3 tagpolicy next --tag >/dev/null 2>../err
	) &&
	test_grep "git tag -s" err
'

test_expect_success 'no tagger identity: a clear error, exit 3, nothing created' '
	(
		cd repo &&
		unset GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		mkdir -p ../nohome &&
		HOME=$(cd ../nohome && pwd) &&
		XDG_CONFIG_HOME=$HOME/.config &&
		GIT_CONFIG_GLOBAL=$HOME/.gitconfig &&
		export HOME XDG_CONFIG_HOME GIT_CONFIG_GLOBAL &&
		test_expect_code 3 tagpolicy next --tag >../out 2>../err
	) &&
	test_must_be_empty out &&
	test_grep "error: cannot create a tag: no tagger identity" err &&
	test_grep "hint: run git config user.name" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/tags/v2.3.0
'

test_expect_success '-C DIR tags the repository there' '
	tagpolicy -C repo next --tag >out &&
	echo v2.3.0 >expect &&
	test_cmp expect out &&
	test "$(git -C repo cat-file -t v2.3.0)" = tag
'

test_done
