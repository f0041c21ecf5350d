#!/bin/sh
# tagpolicy tags: branch builds ({branch} from HEAD's branch, or from the
# CI's variables on a detached HEAD, made safe for a tag), --env, `when`,
# and publish lists that break the policy (exit 2, nothing printed).
. "$(dirname "$0")/test-lib.sh"

SOURCE_DATE_EPOCH=1795780800
export SOURCE_DATE_EPOCH

test_expect_success 'setup: a policy with branch builds' '
	cat >policy.yml <<-\EOF &&
	version: 1
	fields:
	  env: {values: [dev, staging, prod]}
	  sha: {hex: 7}
	kinds:
	  release: "v{semver}"
	  deploy: "{semver}-{env}"
	  version: "{semver}"
	  branch: "{branch}-{sha}"
	  edge: edge
	scopes:
	  git: [release]
	  image: [deploy, version, branch, edge]
	publish:
	  - "{semver}"
	  - {template: "{semver}-{env}", when: release}
	  - {template: "{branch}-{sha}", when: branch}
	  - {template: edge, when: branch}
	EOF
	TAGPOLICY_CONFIG=$(pwd)/policy.yml &&
	git init -q repo &&
	(
		cd repo &&
		test_commit "feat: one" &&
		git tag -a -m 1.4.0 v1.4.0 &&
		test_commit "feat: two"
	)
'
TAGPOLICY_CONFIG=$TRASH/policy.yml
export TAGPOLICY_CONFIG

head_sha () {
	git -C repo rev-parse --short=7 HEAD
}

test_expect_success 'on a branch: BRANCH-SHA and edge' '
	(cd repo && tagpolicy tags >../out) &&
	printf "%s\n" "main-$(head_sha)" edge >expect &&
	test_cmp expect out
'

test_expect_success 'branch names are made safe for a tag' '
	: >out &&
	(
		cd repo &&
		for b in "Feature/Login_Form#12" "#12-fix" "+.x" \
			"release/1.x" "UPPER" "a=@b"
		do
			git checkout -q -b "$b" main &&
			tagpolicy tags >>../out || exit 1
		done &&
		git checkout -q main
	) &&
	s=$(head_sha) &&
	for b in feature-login_form-12 12-fix x release-1.x upper a-b
	do
		printf "%s\n" "$b-$s" edge
	done >expect &&
	test_cmp expect out
'

test_expect_success 'a long branch name is cut so that the tag fits 128 bytes' '
	long=$(printf "%0200d" 0 | tr 0 a) &&
	(cd repo && git checkout -q -b "$long" main && tagpolicy tags >../out;
	 rc=$?; git checkout -q main; exit $rc) &&
	head -n 1 out >first &&
	test "$(wc -c <first)" -eq 129 &&
	test_grep "^a*-$(head_sha)$" first
'

test_expect_success 'detached HEAD without CI variables: {branch} is skipped' '
	(cd repo && git checkout -q --detach main &&
	 tagpolicy tags >../out && tagpolicy tags --format json >../out.json;
	 rc=$?; git checkout -q main; exit $rc) &&
	echo edge >expect &&
	test_cmp expect out &&
	test_grep "{\"template\":\"{branch}-{sha}\",\"reason\":\"no branch: set one of GITHUB_HEAD_REF, " out.json
'

# detached VAR=VALUE...: the tags on a detached HEAD with those variables.
detached () {
	(
		cd repo &&
		git checkout -q --detach main &&
		env "$@" "$TAGPOLICY" tags >../out
		rc=$?
		git checkout -q main
		exit $rc
	)
}

test_expect_success 'detached HEAD: each CI variable gives the branch' '
	s=$(head_sha) &&
	for v in GITHUB_HEAD_REF CI_MERGE_REQUEST_SOURCE_BRANCH_NAME \
		CI_COMMIT_BRANCH CHANGE_BRANCH BRANCH_NAME
	do
		detached "$v=Feat/$v" &&
		lower=$(echo "feat-$v" | tr A-Z a-z) &&
		printf "%s\n" "$lower-$s" edge >expect &&
		test_cmp expect out || return 1
	done
'

test_expect_success 'detached HEAD: GITHUB_REF_NAME only for a branch ref' '
	s=$(head_sha) &&
	detached GITHUB_REF_NAME=topic GITHUB_REF_TYPE=branch &&
	printf "%s\n" "topic-$s" edge >expect &&
	test_cmp expect out &&
	detached GITHUB_REF_NAME=v1.4.0 GITHUB_REF_TYPE=tag &&
	echo edge >expect &&
	test_cmp expect out
'

test_expect_success 'detached HEAD: the first variable set wins, empty is unset' '
	s=$(head_sha) &&
	detached BRANCH_NAME=jenkins CI_COMMIT_BRANCH=gitlab \
		GITHUB_HEAD_REF=github &&
	printf "%s\n" "github-$s" edge >expect &&
	test_cmp expect out &&
	detached BRANCH_NAME=jenkins GITHUB_HEAD_REF= &&
	printf "%s\n" "jenkins-$s" edge >expect &&
	test_cmp expect out
'

test_expect_success 'on a branch the CI variables are not read' '
	(cd repo && GITHUB_HEAD_REF=other tagpolicy tags >../out) &&
	test_grep "^main-" out
'

test_expect_success '--env renders {env}; without it the template is skipped' '
	(cd repo && git checkout -q v1.4.0 &&
	 tagpolicy tags --env prod >../out1 &&
	 tagpolicy tags --format json >../out2; rc=$?;
	 git checkout -q main; exit $rc) &&
	printf "%s\n" 1.4.0 1.4.0-prod >expect &&
	test_cmp expect out1 &&
	cat >expect <<-\EOF &&
	{"version":"1.4.0","tags":["1.4.0"],"references":[],"skipped":[{"template":"{semver}-{env}","reason":"no value for {env}: use --env"},{"template":"{branch}-{sha}","reason":"when: branch but this build has version 1.4.0"},{"template":"edge","reason":"when: branch but this build has version 1.4.0"}]}
	EOF
	test_cmp expect out2
'

test_expect_success '--env must be one of the values of field env' '
	(cd repo && test_expect_code 2 tagpolicy tags --version 1.4.0 \
		--env qa >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error: --env: .qa. is not one of the values of field .env.: dev, staging, prod" err
'

test_expect_success '--env: a pattern field takes values that match it' '
	cat >pattern.yml <<-\EOF &&
	version: 1
	fields: {env: {pattern: "pr-[0-9]+"}}
	kinds: {release: "v{semver}", preview: "{env}"}
	scopes: {git: [release], image: [preview]}
	publish: ["{env}"]
	EOF
	(cd repo && tagpolicy -p ../pattern.yml tags --env pr-12 >../out) &&
	echo pr-12 >expect &&
	test_cmp expect out &&
	(cd repo && test_expect_code 2 tagpolicy -p ../pattern.yml tags \
		--env pr-12x >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error: --env: .pr-12x. does not match the pattern .pr-\[0-9\]+. of field .env." err
'

test_expect_success '--env: an env field of another type takes no value' '
	cat >hexenv.yml <<-\EOF &&
	version: 1
	fields: {env: {hex: 4}}
	kinds: {release: "v{semver}", version: "{semver}"}
	scopes: {git: [release], image: [version]}
	publish: ["{semver}"]
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../hexenv.yml tags \
		--version 1.4.0 --env beef >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error: --env: field .env. of the policy takes no value" err
'

test_expect_success 'a template that breaks the policy: exit 2, nothing printed' '
	cat >bad.yml <<-\EOF &&
	version: 1
	fields: {sha: {hex: 7}}
	kinds: {release: "v{semver}", version: "{semver}"}
	scopes: {git: [release], image: [version]}
	publish:
	  - "{semver}"
	  - "rc_{semver}"
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../bad.yml tags \
		--version 1.4.0 --format json >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "bad.yml:7:5: error: publish template .rc_{semver}. renders .rc_1.4.0., which breaks the policy in scope image: does not match any allowed kind" err
'

test_expect_success 'a template that renders an invalid image tag: exit 2' '
	cat >plus.yml <<-\EOF &&
	version: 1
	fields: {sha: {hex: 7}}
	kinds: {release: "v{semver}", version: "{semver}"}
	scopes: {git: [release], image: [version]}
	publish: ["{semver}", "{semver}+{sha}"]
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../plus.yml tags \
		--version 1.4.0 >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "publish template .{semver}+{sha}. renders .1.4.0+" err
'

test_expect_success 'custom rules apply to rendered tags' '
	cat >temp.yml <<-\EOF &&
	version: 1
	fields: {sha: {hex: 7}}
	kinds: {release: "v{semver}", version: "{semver}", tmp: "tmp-{sha}"}
	scopes: {git: [release], image: [version, tmp]}
	rules:
	  custom:
	    - {id: no-temp, level: error, not-match: "^tmp-", message: temporary tags are not published}
	publish: ["{semver}", "tmp-{sha}"]
	EOF
	(cd repo && test_expect_code 2 tagpolicy -p ../temp.yml tags \
		--version 1.4.0 >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "publish template .tmp-{sha}. renders .tmp-$(head_sha)., which breaks the policy in scope image: temporary tags are not published \[no-temp\]" err
'

test_expect_success 'a warning on a rendered tag is printed, the tags too' '
	cat >warn.yml <<-\EOF &&
	version: 1
	fields: {sha: {hex: 7}}
	kinds: {release: "v{semver}", version: "{semver}", build: "{semver}-{sha}"}
	scopes: {git: [release], image: [version, build]}
	rules: {max-length: [warning, 10]}
	publish: ["{semver}", "{semver}-{sha}"]
	EOF
	(cd repo && tagpolicy -p ../warn.yml tags --version 1.4.0 \
		>../out 2>../err) &&
	printf "%s\n" 1.4.0 "1.4.0-$(head_sha)" >expect &&
	test_cmp expect out &&
	test_grep "warning: tag .1.4.0-$(head_sha). (image): .*\[max-length\]" err
'

test_expect_success 'nothing to render is exit 0 and empty output' '
	cat >release-only.yml <<-\EOF &&
	version: 1
	kinds: {release: "v{semver}", version: "{semver}"}
	scopes: {git: [release], image: [version]}
	publish: [{template: "{semver}", when: release}]
	EOF
	(cd repo && tagpolicy -p ../release-only.yml tags >../out 2>../err &&
	 tagpolicy -p ../release-only.yml tags --image app --format docker \
		>>../out 2>>../err) &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'json of a branch build' '
	(cd repo && tagpolicy tags --format json --image reg.example/app \
		>../out) &&
	s=$(head_sha) &&
	echo "{\"version\":null,\"tags\":[\"main-$s\",\"edge\"],\"references\":[\"reg.example/app:main-$s\",\"reg.example/app:edge\"],\"skipped\":[{\"template\":\"{semver}\",\"reason\":\"no version on a branch build\"},{\"template\":\"{semver}-{env}\",\"reason\":\"when: release but this is a branch build\"}]}" >expect &&
	test_cmp expect out
'

test_expect_success '-v says which templates were skipped, and why' '
	(cd repo && tagpolicy -v tags >../out 2>../err) &&
	test_grep "^skipped .{semver}.: no version on a branch build$" err
'

test_done
