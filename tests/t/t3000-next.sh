#!/bin/sh
# tagpolicy next and current: the next version from Conventional Commits
# (versioning.md: increments, prereleases, the example, nothing to release,
# no release yet, --explain, JSON).
. "$(dirname "$0")/test-lib.sh"

# The example of versioning.md: v1.3.0 released, v1.4.0-rc.2 tagged, then
# one more fix.
test_expect_success 'setup: v1.3.0, v1.4.0-rc.2, then a fix' '
	git init -q repo &&
	(
		cd repo &&
		test_commit "chore: start" &&
		test_commit "feat: search" &&
		git tag -a -m "release 1.3.0" v1.3.0 &&
		test_commit "feat: filters" &&
		git tag -a -m "rc 2" v1.4.0-rc.2 &&
		test_commit "fix: filter crash"
	)
'

test_expect_success 'example: one more fix continues the line (next --pre rc)' '
	(cd repo && tagpolicy next --pre rc) >out 2>err &&
	echo v1.4.0-rc.3 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'example: next without --pre promotes the line' '
	(cd repo && tagpolicy next) >out 2>err &&
	echo v1.4.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'example: promotion needs no new commit' '
	(cd repo && tagpolicy next --rev v1.4.0-rc.2) >out &&
	echo v1.4.0 >expect &&
	test_cmp expect out
'

test_expect_success 'example: a breaking change escalates the line' '
	test_when_finished "git -C repo checkout -q main" &&
	(
		cd repo &&
		git checkout -q -b breaking &&
		test_commit "feat!: new storage" &&
		tagpolicy next --pre rc >../out &&
		tagpolicy next >../out2
	) &&
	echo v2.0.0-rc.1 >expect &&
	test_cmp expect out &&
	echo v2.0.0 >expect &&
	test_cmp expect out2
'

test_expect_success 'prerelease continues the open line without --pre' '
	(cd repo && tagpolicy next prerelease) >out &&
	echo v1.4.0-rc.3 >expect &&
	test_cmp expect out
'

test_expect_success 'no commit since the last prerelease: nothing to release' '
	(cd repo && tagpolicy next --pre rc --rev v1.4.0-rc.2) >out 2>err &&
	echo v1.3.0 >expect &&
	test_cmp expect out &&
	test_grep "^nothing to release: no commit since '\''v1.4.0-rc.2'\''" err &&
	(cd repo && test_expect_code 4 tagpolicy next --pre rc \
		--rev v1.4.0-rc.2 --exit-code) >out &&
	test_cmp expect out
'

test_expect_success 'another identifier must sort after the open line' '
	(cd repo && test_expect_code 1 tagpolicy next --pre beta) >out 2>err &&
	test_must_be_empty out &&
	test_grep "prerelease '\''1.4.0-beta.1'\'' would not be greater than the existing '\''v1.4.0-rc.2'\''" err &&
	(cd repo && tagpolicy next --pre rd) >out &&
	echo v1.4.0-rd.1 >expect &&
	test_cmp expect out
'

test_expect_success 'forced bumps: major, minor, patch (a hotfix ignores the line)' '
	(
		cd repo &&
		tagpolicy next major &&
		tagpolicy next minor &&
		tagpolicy next patch &&
		tagpolicy next minor --pre rc &&
		tagpolicy next major --pre rc &&
		tagpolicy next auto
	) >out &&
	cat >expect <<-\EOF &&
	v2.0.0
	v1.4.0
	v1.3.1
	v1.4.0-rc.3
	v2.0.0-rc.1
	v1.4.0
	EOF
	test_cmp expect out
'

test_expect_success 'usage errors are exit 2' '
	(
		cd repo &&
		test_expect_code 2 tagpolicy next huge 2>../err1 &&
		test_expect_code 2 tagpolicy next major minor 2>../err2 &&
		test_expect_code 2 tagpolicy next -m text 2>../err3 &&
		test_expect_code 2 tagpolicy next --pre "r+c" 2>../err4 &&
		test_expect_code 2 tagpolicy next --pre "" prerelease --rev v1.3.0 2>../err5
	) &&
	test_grep "unknown bump '\''huge'\''" err1 &&
	test_grep "unexpected argument '\''minor'\''" err2 &&
	test_grep "\-m needs --tag" err3 &&
	test_grep "cannot use '\''r+c'\'' as a prerelease identifier" err4 &&
	test_grep "no prerelease line to continue" err5
'

test_expect_success 'current: the highest release reachable, prereleases left out' '
	(cd repo && tagpolicy current) >out 2>err &&
	echo v1.3.0 >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	(cd repo && tagpolicy current --format json) >out &&
	echo "{\"current\":\"v1.3.0\",\"current_version\":\"1.3.0\",\"component\":null}" >expect &&
	test_cmp expect out
'

test_expect_success 'JSON: exactly the documented fields' '
	(
		cd repo &&
		fix=$(git rev-parse HEAD) &&
		feat=$(git rev-parse HEAD~1) &&
		printf "{\"current\":\"v1.3.0\",\"current_version\":\"1.3.0\",\"next\":\"v1.4.0\",\"next_version\":\"1.4.0\",\"bump\":\"minor\",\"component\":null,\"commits\":2,\"reasons\":[{\"sha\":\"%s\",\"subject\":\"fix: filter crash\",\"type\":\"fix\",\"scope\":null,\"breaking\":false,\"bump\":\"patch\"},{\"sha\":\"%s\",\"subject\":\"feat: filters\",\"type\":\"feat\",\"scope\":null,\"breaking\":false,\"bump\":\"minor\"}]}\n" \
			"$fix" "$feat" >../expect &&
		tagpolicy next --format json >../out
	) &&
	test_cmp expect out
'

test_expect_success 'JSON: a prerelease, scope and breaking' '
	test_when_finished "git -C repo checkout -q main" &&
	(
		cd repo &&
		git checkout -q -b scoped &&
		test_commit "fix(ui)!: drop the old theme" &&
		tagpolicy next --pre rc --format json >../out
	) &&
	test_grep "^{\"current\":\"v1.3.0\",\"current_version\":\"1.3.0\",\"next\":\"v2.0.0-rc.1\",\"next_version\":\"2.0.0-rc.1\",\"bump\":\"prerelease\",\"component\":null,\"commits\":3,\"reasons\":\[{" out &&
	sha=$(git -C repo rev-parse scoped) &&
	test_grep "{\"sha\":\"$sha\",\"subject\":\"fix(ui)!: drop the old theme\",\"type\":\"fix\",\"scope\":\"ui\",\"breaking\":true,\"bump\":\"major\"}" out
'

test_expect_success '--explain: the current tag and why, passed over, the commits' '
	(
		cd repo &&
		git tag latest &&
		git checkout -q -b side v1.3.0 &&
		test_commit "fix: on the side" &&
		git tag v9.0.0 &&
		git checkout -q main &&
		tagpolicy next --explain >../out 2>../err
	) &&
	echo v1.4.0 >expect &&
	test_cmp expect out &&
	v130=$(git -C repo rev-parse --short=7 v1.3.0^{commit}) &&
	fix=$(git -C repo rev-parse --short=7 HEAD) &&
	feat=$(git -C repo rev-parse --short=7 HEAD~1) &&
	cat >expect <<-EOF &&
	current: v1.3.0 at $v130: the highest release of kind '\''release'\'' reachable from HEAD
	passed over:
	  latest: not of the release kind
	  v1.4.0-rc.2: a prerelease
	  v9.0.0: not reachable from the commit
	commits: 2 since v1.3.0; 2 ask for a bump
	  $fix patch fix: filter crash
	  $feat minor feat: filters
	prerelease line: v1.4.0-rc.2
	bump: minor
	next: v1.4.0
	EOF
	test_cmp expect err
'

test_expect_success 'nothing to release: prints the current release, exit 0' '
	test_when_finished "git -C repo checkout -q main" &&
	(
		cd repo &&
		git checkout -q -b quiet v1.3.0 &&
		test_commit "docs: typo" &&
		test_commit "chore: tidy" &&
		tagpolicy next >../out 2>../err &&
		test_expect_code 4 tagpolicy next --exit-code >../out4 &&
		tagpolicy next --format json >../json &&
		tagpolicy next --explain 2>../explain
	) &&
	echo v1.3.0 >expect &&
	test_cmp expect out &&
	test_cmp expect out4 &&
	echo "nothing to release: no commit since '\''v1.3.0'\'' asks for a release" >expect &&
	test_cmp expect err &&
	echo "{\"current\":\"v1.3.0\",\"current_version\":\"1.3.0\",\"next\":\"v1.3.0\",\"next_version\":\"1.3.0\",\"bump\":\"none\",\"component\":null,\"commits\":2,\"reasons\":[]}" >expect &&
	test_cmp expect json &&
	test_grep "^commits: 2 since v1.3.0; 0 ask for a bump$" explain &&
	test_grep "^bump: none$" explain
'

test_expect_success 'no release: release.initial, bump initial, even with --exit-code' '
	git init -q fresh &&
	(
		cd fresh &&
		test_commit "chore: nothing yet" &&
		tagpolicy next --exit-code >../out &&
		tagpolicy next --format json >../json &&
		tagpolicy next --explain 2>../explain &&
		test_expect_code 1 tagpolicy current >../cur 2>../cur.err
	) &&
	echo v0.1.0 >expect &&
	test_cmp expect out &&
	test_grep "\"current\":null,\"current_version\":null,\"next\":\"v0.1.0\",\"next_version\":\"0.1.0\",\"bump\":\"initial\"" json &&
	test_grep "^current: none: no release of kind '\''release'\'' is reachable from HEAD$" explain &&
	test_grep "^bump: initial: the first release is release.initial 0.1.0$" explain &&
	test_must_be_empty cur &&
	test_grep "no release: no tag of kind '\''release'\'' is reachable from HEAD" cur.err
'

test_expect_success 'no release: forced bumps apply to 0.0.0' '
	(
		cd fresh &&
		tagpolicy next major &&
		tagpolicy next minor &&
		tagpolicy next patch &&
		tagpolicy next --pre rc
	) >out &&
	cat >expect <<-\EOF &&
	v1.0.0
	v0.1.0
	v0.0.1
	v0.1.0-rc.1
	EOF
	test_cmp expect out
'

test_expect_success 'release.initial and prerelease-start come from the policy' '
	cat >fresh/.tagpolicy.yml <<-\EOF &&
	version: 1
	extends: [default]
	release: {initial: 1.0.0, prerelease-start: 0}
	EOF
	(cd fresh && tagpolicy next && tagpolicy next --pre beta) >out &&
	printf "v1.0.0\nv1.0.0-beta.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'zero-major: a breaking change bumps minor while major is 0' '
	(
		cd fresh &&
		rm .tagpolicy.yml &&
		git tag v0.3.1 &&
		test_commit "feat!: new API" &&
		tagpolicy next &&
		printf "version: 1\nextends: [default]\nbump: {zero-major: major}\n" >.tagpolicy.yml &&
		tagpolicy next &&
		rm .tagpolicy.yml
	) >out &&
	printf "v0.4.0\nv1.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'bump.types maps types; others bump nothing' '
	git init -q types &&
	(
		cd types &&
		cat >.tagpolicy.yml <<-\EOF &&
		version: 1
		extends: [default]
		bump: {types: {feat: minor, fix: patch, perf: patch}}
		EOF
		test_commit "chore: start" &&
		git tag v2.0.0 &&
		test_commit "docs: readme" &&
		test_commit "Perf(db): faster" &&
		tagpolicy next &&
		test_commit "style: spaces" &&
		test_commit "not conventional at all" &&
		test_commit "feat:missing space" &&
		tagpolicy next
	) >out &&
	printf "v2.0.1\nv2.0.1\n" >expect &&
	test_cmp expect out
'

test_expect_success 'CRLF messages: the BREAKING CHANGE footer is read' '
	(
		cd types &&
		git tag v2.0.1 &&
		printf "fix: parser\r\n\r\nBREAKING CHANGE: the format changed\r\n" >msg &&
		git commit -q --allow-empty --cleanup=verbatim -F msg &&
		tagpolicy next --format json >../json &&
		tagpolicy next
	) >out &&
	echo v3.0.0 >expect &&
	test_cmp expect out &&
	test_grep "\"subject\":\"fix: parser\",\"type\":\"fix\",\"scope\":null,\"breaking\":true,\"bump\":\"major\"" json
'

test_expect_success 'a policy with no release kind is exit 2 saying so' '
	cat >norelease.yml <<-\EOF &&
	version: 1
	kinds: {latest: "latest"}
	scopes: {git: [latest], image: [latest]}
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../norelease.yml next) >out 2>err &&
	test_must_be_empty out &&
	test_grep "has no release kind" err &&
	(cd repo && test_expect_code 2 tagpolicy -p ../norelease.yml current) 2>err &&
	test_grep "has no release kind" err
'

test_expect_success 'an invalid policy is exit 2' '
	printf "version: 1\nrelease: {kind: nope}\n" >bad.yml &&
	(cd repo && test_expect_code 2 tagpolicy -p ../bad.yml next) >out 2>err &&
	test_must_be_empty out &&
	test_grep "unknown kind" err
'

test_expect_success 'the release kind decides: v1.4.0-prod is an env tag, not a prerelease' '
	cat >env.yml <<-\EOF &&
	version: 1
	extends: [default]
	kinds:
	  env: "v{semver}-{env}"
	  release: "v{semver}"
	scopes: {git: [env, release], image: []}
	release: {kind: release}
	EOF
	git init -q envrepo &&
	(
		cd envrepo &&
		test_commit "feat: one" &&
		git tag v1.0.0 &&
		git tag v1.0.0-prod &&
		test_commit "fix: two" &&
		git tag v1.1.0-prod &&
		tagpolicy -p ../env.yml next --explain >../out 2>../err
	) &&
	echo v1.0.1 >expect &&
	test_cmp expect out &&
	test_grep "^  v1.1.0-prod: not of the release kind$" err &&
	test_grep "^  v1.0.0-prod: not of the release kind$" err
'

test_done
