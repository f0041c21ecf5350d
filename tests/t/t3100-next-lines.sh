#!/bin/sh
# tagpolicy next and current on other version lines: components of a
# monorepo (their own kind, only the commits under their paths) and
# CalVer (bump.scheme calver, the date and a counter).
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: a monorepo with two components' '
	git init -q mono &&
	(
		cd mono &&
		cat >.tagpolicy.yml <<-\EOF &&
		version: 1
		extends: [default]
		components:
		  api: {kind: "api/v{semver}", paths: [services/api/, libs/common]}
		  web: {kind: "web/v{semver}", paths: [services/web/]}
		EOF
		git add .tagpolicy.yml &&
		test_commit "feat: api start" services/api/main.c &&
		test_commit "feat: web start" services/web/app.js &&
		git tag api/v1.0.0 HEAD~1 &&
		git tag web/v2.1.0 &&
		git tag v5.0.0 &&
		test_commit "fix(common): shared bug" libs/common/util.c &&
		test_commit "feat(web): dark mode" services/web/dark.js &&
		test_commit "feat!: top-level rewrite" README &&
		test_commit "fix: lookalike path" libs/commonx/a.c
	)
'

test_expect_success '--component counts only the commits under its paths' '
	(
		cd mono &&
		tagpolicy next --component api &&
		tagpolicy next --component web &&
		tagpolicy next
	) >out &&
	cat >expect <<-\EOF &&
	api/v1.0.1
	web/v2.2.0
	v6.0.0
	EOF
	test_cmp expect out
'

test_expect_success 'current --component reads the component kind' '
	(
		cd mono &&
		tagpolicy current --component api &&
		tagpolicy current --component web &&
		tagpolicy current
	) >out &&
	printf "api/v1.0.0\nweb/v2.1.0\nv5.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'component JSON and --explain name the paths' '
	(
		cd mono &&
		tagpolicy next --component api --format json >../json &&
		tagpolicy next --component api --explain 2>../err
	) &&
	test_grep "^{\"current\":\"api/v1.0.0\",\"current_version\":\"1.0.0\",\"next\":\"api/v1.0.1\",\"next_version\":\"1.0.1\",\"bump\":\"patch\",\"component\":\"api\",\"commits\":1,\"reasons\":\[{\"sha\":\"[0-9a-f]*\",\"subject\":\"fix(common): shared bug\"" json &&
	test_grep "^commits: 1 of 5 since api/v1.0.0 change the paths of component '\''api'\'' (services/api/, libs/common); 1 asks for a bump$" err &&
	test_grep "^  web/v2.1.0: not of the release kind$" err
'

test_expect_success 'a component with no release starts at release.initial' '
	test_when_finished "git -C mono tag api/v1.0.0 main~5" &&
	(
		cd mono &&
		git tag -d api/v1.0.0 >/dev/null &&
		tagpolicy next --component api >../out &&
		test_expect_code 1 tagpolicy current --component api 2>../err
	) &&
	echo api/v0.1.0 >expect &&
	test_cmp expect out &&
	test_grep "no tag of kind '\''api'\''" err
'

test_expect_success 'a component with nothing new: nothing to release' '
	test_when_finished "git -C mono checkout -q main" &&
	(
		cd mono &&
		git checkout -q -b quiet web/v2.1.0 &&
		test_commit "feat(api): only api" services/api/x.c &&
		tagpolicy next --component web >../out 2>../err &&
		test_expect_code 4 tagpolicy next --component web --exit-code >/dev/null 2>&1
	) &&
	echo web/v2.1.0 >expect &&
	test_cmp expect out &&
	test_grep "nothing to release" err
'

test_expect_success 'unknown component is exit 2 with the known ones' '
	(cd mono && test_expect_code 2 tagpolicy next --component cli) >out 2>err &&
	test_must_be_empty out &&
	test_grep "unknown component '\''cli'\''" err &&
	test_grep "'\''api'\'', '\''web'\''" err &&
	(cd mono && test_expect_code 2 tagpolicy current --component cli) 2>err &&
	test_grep "unknown component" err
'

test_expect_success 'a component prerelease line continues with its own commits' '
	(
		cd mono &&
		tagpolicy next --component web --pre rc &&
		git tag web/v2.2.0-rc.1 &&
		tagpolicy next --component web --pre rc &&
		test_commit "fix(api): api only" services/api/y.c &&
		tagpolicy next --component web --pre rc &&
		test_commit "fix(web): web again" services/web/z.js &&
		tagpolicy next --component web --pre rc
	) >out 2>err &&
	cat >expect <<-\EOF &&
	web/v2.2.0-rc.1
	web/v2.1.0
	web/v2.1.0
	web/v2.2.0-rc.2
	EOF
	test_cmp expect out
'

# CalVer: the clock is SOURCE_DATE_EPOCH, 2026-11-27T12:00:00Z.
test_expect_success 'setup: a CalVer repository' '
	git init -q cal &&
	(
		cd cal &&
		printf "version: 1\nextends: [calver]\n" >.tagpolicy.yml &&
		git add .tagpolicy.yml &&
		test_commit "feat: first"
	)
'

test_expect_success 'calver: the first release is the date' '
	(cd cal && SOURCE_DATE_EPOCH=1795780800 tagpolicy next --format json) >out &&
	echo "{\"current\":null,\"current_version\":null,\"next\":\"2026.11.27\",\"next_version\":\"2026.11.27\",\"bump\":\"initial\",\"component\":null,\"commits\":1,\"reasons\":[{\"sha\":\"$(git -C cal rev-parse HEAD)\",\"subject\":\"feat: first\",\"type\":\"feat\",\"scope\":null,\"breaking\":false,\"bump\":\"minor\"}]}" >expect &&
	test_cmp expect out
'

test_expect_success 'calver: the same day counts up; nothing new is nothing to release' '
	(
		cd cal &&
		SOURCE_DATE_EPOCH=1795780800 &&
		export SOURCE_DATE_EPOCH &&
		git tag "$(tagpolicy next)" &&
		tagpolicy current &&
		tagpolicy next &&
		test_commit "fix: one" &&
		tagpolicy next &&
		git tag "$(tagpolicy next)" &&
		test_commit "fix: two" &&
		tagpolicy next &&
		git tag "$(tagpolicy next)" &&
		tagpolicy current &&
		test_expect_code 4 tagpolicy next --exit-code
	) >out 2>err &&
	cat >expect <<-\EOF &&
	2026.11.27
	2026.11.27
	2026.11.27.1
	2026.11.27.2
	2026.11.27.2
	2026.11.27.2
	EOF
	test_cmp expect out &&
	test_grep "nothing to release" err
'

test_expect_success 'calver: the next day starts a new date' '
	(
		cd cal &&
		test_commit "fix: three" &&
		SOURCE_DATE_EPOCH=1795867200 tagpolicy next --explain
	) >out 2>err &&
	echo 2026.11.28 >expect &&
	test_cmp expect out &&
	test_grep "^current: 2026.11.27.2 at [0-9a-f]*: the latest release of kind '\''release'\'' reachable from HEAD$" err &&
	test_grep "^  2026.11.27.1: lower than the current release$" err
'

test_expect_success 'calver: a later date on another branch is not current' '
	(
		cd cal &&
		git checkout -q -b other &&
		test_commit "fix: elsewhere" &&
		git tag 2026.12.01 &&
		git checkout -q main &&
		tagpolicy current &&
		SOURCE_DATE_EPOCH=1795867200 tagpolicy next --explain
	) >out 2>err &&
	printf "2026.11.27.2\n2026.11.28\n" >expect &&
	test_cmp expect out &&
	test_grep "^  2026.12.01: not reachable from the commit$" err
'

test_expect_success 'calver: forced bumps and --pre are usage errors' '
	(
		cd cal &&
		test_expect_code 2 tagpolicy next major 2>../err1 &&
		test_expect_code 2 tagpolicy next --pre rc 2>../err2
	) &&
	test_grep "does not apply to bump.scheme calver" err1 &&
	test_grep "does not apply to bump.scheme calver" err2
'

test_expect_success 'calver: a malformed SOURCE_DATE_EPOCH is exit 2' '
	(cd cal && SOURCE_DATE_EPOCH=soon test_expect_code 2 tagpolicy next) 2>err &&
	test_grep "SOURCE_DATE_EPOCH" err
'

test_expect_success 'calver: --tag creates the day'"'"'s tag; a clock gone back is refused' '
	(
		cd cal &&
		SOURCE_DATE_EPOCH=1795867200 tagpolicy next --tag >../out &&
		test_commit "fix: four" &&
		SOURCE_DATE_EPOCH=1795694400 tagpolicy next >../out2 &&
		SOURCE_DATE_EPOCH=1795694400 test_expect_code 1 tagpolicy next --tag >../out3 2>../err
	) &&
	echo 2026.11.28 >expect &&
	test_cmp expect out &&
	test "$(git -C cal cat-file -t 2026.11.28)" = tag &&
	echo 2026.11.26 >expect &&
	test_cmp expect out2 &&
	test_must_be_empty out3 &&
	test_grep "error: tag '\''2026.11.26'\'' (git): is not greater than '\''2026.11.28'\''.*\[monotonic\]" err &&
	test_must_fail git -C cal rev-parse -q --verify refs/tags/2026.11.26
'

test_expect_success 'calver: a tag of an impossible date is passed over' '
	(
		cd cal &&
		git tag 2026.13.01 &&
		tagpolicy current &&
		SOURCE_DATE_EPOCH=1795867200 tagpolicy next --explain
	) >out 2>err &&
	printf "2026.11.28\n2026.11.28.1\n" >expect &&
	test_cmp expect out &&
	test_grep "^  2026.13.01: not a valid date: month 13 is out of range$" err
'

test_done
