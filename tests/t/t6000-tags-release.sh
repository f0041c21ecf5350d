#!/bin/sh
# tagpolicy tags: the image tags a release build publishes under the
# built-in policy (the docker preset): the release tag at HEAD, --version,
# --next, --component; latest, floating tags, prereleases, 0.x; --image
# and the three formats; usage and repository errors.
. "$(dirname "$0")/test-lib.sh"

# 2026-11-27T12:00:00Z: {date} renders 20261127.
SOURCE_DATE_EPOCH=1795780800
export SOURCE_DATE_EPOCH

# Commits on main: v1.3.0, v1.4.0 (HEAD).  A side line off v1.3.0 carries
# the old-line patch v1.3.9; another branch the prerelease v2.0.0-rc.1.
test_expect_success 'setup' '
	git init -q repo &&
	(
		cd repo &&
		test_commit "feat: one" &&
		git tag -a -m 1.3.0 v1.3.0 &&
		git branch old &&
		test_commit "feat: two" &&
		git tag -a -m 1.4.0 v1.4.0 &&
		git checkout -q -b next &&
		test_commit "feat!: three" &&
		git tag -a -m rc v2.0.0-rc.1 &&
		git checkout -q old &&
		test_commit "fix: patch" &&
		git tag -a -m 1.3.9 v1.3.9 &&
		git checkout -q main
	)
'

sha () {
	git -C repo rev-parse --short=7 "$1^{commit}"
}

test_expect_success 'HEAD at v1.4.0: exactly the -t arguments of a release' '
	(cd repo && tagpolicy tags --image ghcr.io/acme/app --format docker \
		>../out 2>../err) &&
	s=$(sha v1.4.0) &&
	cat >expect <<-EOF &&
	-t ghcr.io/acme/app:1.4.0
	-t ghcr.io/acme/app:1.4
	-t ghcr.io/acme/app:1
	-t ghcr.io/acme/app:1.4.0-$s
	-t ghcr.io/acme/app:20261127
	-t ghcr.io/acme/app:latest
	EOF
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'lines: one tag a line; with --image, IMAGE:TAG' '
	(cd repo && tagpolicy tags >../out) &&
	s=$(sha v1.4.0) &&
	printf "%s\n" 1.4.0 1.4 1 "1.4.0-$s" 20261127 latest >expect &&
	test_cmp expect out &&
	(cd repo && tagpolicy tags --image app --format lines >../out) &&
	sed "s/^/app:/" expect >expect.refs &&
	test_cmp expect.refs out
'

test_expect_success 'json: version, tags, references per image, skipped' '
	(cd repo && tagpolicy tags --format json --image ghcr.io/acme/app \
		--image docker.io/acme/app --image ghcr.io/acme/app >../out) &&
	s=$(sha v1.4.0) &&
	t="\"1.4.0\",\"1.4\",\"1\",\"1.4.0-$s\",\"20261127\",\"latest\"" &&
	g="\"ghcr.io/acme/app:1.4.0\",\"ghcr.io/acme/app:1.4\",\"ghcr.io/acme/app:1\",\"ghcr.io/acme/app:1.4.0-$s\",\"ghcr.io/acme/app:20261127\",\"ghcr.io/acme/app:latest\"" &&
	d=$(echo "$g" | sed "s/ghcr\.io/docker.io/g") &&
	echo "{\"version\":\"1.4.0\",\"tags\":[$t],\"references\":[$g,$d],\"skipped\":[]}" >expect &&
	test_cmp expect out
'

test_expect_success 'a prerelease: no floating tags, no date, no latest' '
	(cd repo && git checkout -q v2.0.0-rc.1 && tagpolicy tags >../out &&
	 tagpolicy tags --format json >../out.json; rc=$?;
	 git checkout -q main; exit $rc) &&
	s=$(sha v2.0.0-rc.1) &&
	printf "%s\n" 2.0.0-rc.1 "2.0.0-rc.1-$s" >expect &&
	test_cmp expect out &&
	echo "{\"version\":\"2.0.0-rc.1\",\"tags\":[\"2.0.0-rc.1\",\"2.0.0-rc.1-$s\"],\"references\":[],\"skipped\":[{\"template\":\"{major}.{minor}\",\"reason\":\"{major} is not rendered for a prerelease\"},{\"template\":\"{major}\",\"reason\":\"{major} is not rendered for a prerelease\"},{\"template\":\"{date}\",\"reason\":\"when: release but 2.0.0-rc.1 is a prerelease\"},{\"template\":\"latest\",\"reason\":\"latest is not rendered for a prerelease\"}]}" >expect.json &&
	test_cmp expect.json out.json
'

test_expect_success 'a patch on an old line never gets latest' '
	(cd repo && git checkout -q v1.3.9 && tagpolicy tags >../out &&
	 tagpolicy tags --format json >../out.json; rc=$?;
	 git checkout -q main; exit $rc) &&
	s=$(sha v1.3.9) &&
	printf "%s\n" 1.3.9 1.3 1 "1.3.9-$s" 20261127 >expect &&
	test_cmp expect out &&
	test_grep "{\"template\":\"latest\",\"reason\":\"latest is not rendered: a release greater than 1.3.9 exists\"}" out.json
'

test_expect_success 'prereleases do not count against latest' '
	(cd repo && git tag -a -m rc v1.5.0-rc.1 next &&
	 tagpolicy tags >../out; rc=$?; git tag -d v1.5.0-rc.1 >/dev/null;
	 exit $rc) &&
	test_grep "^latest$" out
'

test_expect_success 'tags of other kinds do not count against latest' '
	(cd repo && git tag 9.0.0 old &&
	 tagpolicy tags >../out; rc=$?; git tag -d 9.0.0 >/dev/null;
	 exit $rc) &&
	test_grep "^latest$" out
'

test_expect_success '0.x: no major tag, the minor tag and latest' '
	git init -q zero &&
	(cd zero && test_commit "feat: a" && git tag -a -m 0.3.0 v0.3.0 &&
	 tagpolicy tags >../out) &&
	s=$(git -C zero rev-parse --short=7 HEAD) &&
	printf "%s\n" 0.3.0 0.3 "0.3.0-$s" 20261127 latest >expect &&
	test_cmp expect out
'

test_expect_success 'two release tags at HEAD: the highest is the version' '
	(cd repo && git tag -a -m rc v1.4.0-rc.1 v1.4.0 &&
	 tagpolicy tags --format json >../out; rc=$?;
	 git tag -d v1.4.0-rc.1 >/dev/null; exit $rc) &&
	test_grep "^{\"version\":\"1.4.0\"" out
'

test_expect_success '--version: a bare version or a release tag' '
	(cd repo && git checkout -q old~0 &&
	 tagpolicy tags --version 1.4.0 >../out1 &&
	 tagpolicy tags --version v1.4.0 >../out2; rc=$?;
	 git checkout -q main; exit $rc) &&
	s=$(git -C repo rev-parse --short=7 old) &&
	printf "%s\n" 1.4.0 1.4 1 "1.4.0-$s" 20261127 latest >expect &&
	test_cmp expect out1 &&
	test_cmp expect out2
'

test_expect_success '--version: latest compares with the existing tags' '
	(cd repo && tagpolicy tags --version 1.3.5 >../out) &&
	! grep latest out &&
	(cd repo && tagpolicy tags --version 3.0.0 >../out) &&
	test_grep "^latest$" out &&
	(cd repo && tagpolicy tags --version 3.0.0-beta.1 >../out) &&
	! grep -e latest -e "^3$" out
'

test_expect_success '--version: build metadata is not rendered' '
	(cd repo && tagpolicy tags --version 1.4.1+build.7 --format json \
		>../out) &&
	test_grep "^{\"version\":\"1.4.1+build.7\",\"tags\":\[\"1.4.1\",\"1.4\"" out
'

test_expect_success '--version: not a version nor a release tag is exit 2' '
	for v in 1.4 v1.4 V1.4.0 release 01.2.3 ""
	do
		(cd repo && test_expect_code 2 tagpolicy tags --version "$v" \
			>../out 2>../err) &&
		test_must_be_empty out &&
		test_grep "error: --version: " err || return 1
	done
'

test_expect_success '--next: the version next computes' '
	(cd repo && git checkout -q -b work main && test_commit "feat: four" &&
	 tagpolicy tags --next >../out; rc=$?;
	 git checkout -q main; exit $rc) &&
	s=$(git -C repo rev-parse --short=7 work) &&
	printf "%s\n" 1.5.0 1.5 1 "1.5.0-$s" 20261127 latest >expect &&
	test_cmp expect out
'

test_expect_success '--next with --version is a usage error' '
	(cd repo && test_expect_code 2 tagpolicy tags --next --version 1.0.0 \
		>../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "exclude each other" err
'

test_expect_success '--next in a policy without a release kind is exit 2' '
	cat >norelease.yml <<-\EOF &&
	version: 1
	kinds: {version: "{semver}"}
	scopes: {git: [], image: [version]}
	publish: ["{semver}"]
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../norelease.yml tags \
		--next >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "no release kind" err
'

test_expect_success '--next under bump.scheme calver is exit 2' '
	printf "version: 1\nextends: [calver]\n" >calver.yml &&
	(cd repo && test_expect_code 2 tagpolicy -p ../calver.yml tags \
		--next >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "bump.scheme calver" err
'

test_expect_success '--component: the component tag at HEAD' '
	cat >mono.yml <<-\EOF &&
	version: 1
	extends: [docker]
	components:
	  api: {kind: "api/v{semver}", paths: [api/]}
	EOF
	(cd repo && git checkout -q -b mono main &&
	 test_commit "feat: api" api/a.c &&
	 git tag -a -m api api/v2.1.0 &&
	 tagpolicy -p ../mono.yml tags --component api >../out &&
	 tagpolicy -p ../mono.yml tags >../out.release; rc=$?;
	 git checkout -q main; exit $rc) &&
	s=$(git -C repo rev-parse --short=7 mono) &&
	printf "%s\n" 2.1.0 2.1 2 "2.1.0-$s" 20261127 latest >expect &&
	test_cmp expect out &&
	test_must_be_empty out.release &&
	(cd repo && test_expect_code 2 tagpolicy -p ../mono.yml tags \
		--component web >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "unknown component .web." err
'

test_expect_success 'a build with no version: nothing to render, exit 0' '
	(cd repo && git checkout -q -b plain main && test_commit "docs: x" &&
	 tagpolicy tags >../out &&
	 tagpolicy tags --image app --format docker >../out.docker &&
	 tagpolicy tags --format json >../out.json; rc=$?;
	 git checkout -q main; exit $rc) &&
	test_must_be_empty out &&
	test_must_be_empty out.docker &&
	test_grep "^{\"version\":null,\"tags\":\[\],\"references\":\[\],\"skipped\":\[{\"template\":\"{semver}\",\"reason\":\"no version on a branch build\"}" out.json
'

test_expect_success 'invalid --image names are exit 2 and print nothing' '
	for i in "Ghcr.io/acme/App" "app:1.0" "app@sha256:$(printf "%064d" 0)" \
		"-app" ""
	do
		(cd repo && test_expect_code 2 tagpolicy tags --image "$i" \
			>../out 2>../err) &&
		test_must_be_empty out &&
		test_grep "error: " err || return 1
	done
'

test_expect_success '--format docker needs --image' '
	(cd repo && test_expect_code 2 tagpolicy tags --format docker \
		>../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "needs --image" err
'

test_expect_success 'SOURCE_DATE_EPOCH sets {date}; a bad one is exit 2' '
	(cd repo && SOURCE_DATE_EPOCH=946684800 tagpolicy tags >../out) &&
	test_grep "^20000101$" out &&
	(cd repo && SOURCE_DATE_EPOCH=yesterday test_expect_code 2 \
		tagpolicy tags >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "SOURCE_DATE_EPOCH" err
'

test_expect_success '-C DIR renders for the repository there' '
	tagpolicy -C repo tags >out &&
	test_grep "^1.4.0$" out
'

test_expect_success 'not a repository is exit 3' '
	mkdir plain &&
	(cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 3 tagpolicy tags >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error: " err
'

test_expect_success '--version outside a repository: exit 3 when a template needs it' '
	(cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 3 tagpolicy tags --version 1.4.0 >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "publish template .{semver}-{sha}. needs the repository" err
'

test_expect_success '--version outside a repository works without such templates' '
	cat >nosha.yml <<-\EOF &&
	version: 1
	extends: [docker]
	publish: ["{semver}", "{major}.{minor}", {template: latest, when: prerelease}]
	EOF
	(cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 tagpolicy -p ../nosha.yml tags --version 1.4.0 >../out 2>../err) &&
	printf "%s\n" 1.4.0 1.4 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_done
