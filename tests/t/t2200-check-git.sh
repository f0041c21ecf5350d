#!/bin/sh
# tagpolicy check --git: every tag of the repository, scope git, with the
# facts only the repository knows.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(
		cd repo &&
		test_commit one &&
		git tag -a -m "release 1.0.0" v1.0.0 &&
		test_commit two &&
		git tag v1.1.0 &&
		git tag -a -m bad v1.2
	)
'

test_expect_success 'checks every tag in scope git, in name order' '
	(cd repo && test_expect_code 1 tagpolicy check --git >../out) &&
	cat >expect <<-\EOF &&
	     ok: tag '\''v1.0.0'\'' (git): release (semver=1.0.0)
	     ok: tag '\''v1.1.0'\'' (git): release (semver=1.1.0)
	  error: tag '\''v1.2'\'' (git): does not match any allowed kind [kind]; did you mean '\''v1.2.0'\''?
	3 checked, 2 passed, 1 failed, 0 warnings
	EOF
	test_cmp expect out
'

test_expect_success 'annotated (when the policy turns it on) sees lightweight tags' '
	cat >annotated.yml <<-\EOF &&
	version: 1
	kinds: {release: "v{semver}"}
	scopes: {git: [release], image: []}
	rules: {annotated: error}
	EOF
	(cd repo && test_expect_code 1 tagpolicy -p ../annotated.yml check --git >../out) &&
	test_grep "error: tag '\''v1.1.0'\'' (git): is a lightweight tag; release tags are annotated (git tag -a) \[annotated\]" out
'

test_expect_success 'sha-commit compares {sha} with the tagged commit' '
	cat >build.yml <<-\EOF &&
	version: 1
	fields: {sha: {hex: 7}}
	kinds: {build: "v{semver}-g{sha}", release: "v{semver}"}
	scopes: {git: [build, release], image: []}
	EOF
	(
		cd repo &&
		git tag "v1.1.0-g$(git rev-parse --short=7 HEAD)" &&
		git tag v1.1.0-gabcdef0 &&
		test_expect_code 1 tagpolicy -p ../build.yml check --git >../out
	) &&
	test_grep "error: tag '\''v1.1.0-gabcdef0'\'' (git): {sha} '\''abcdef0'\'' is not a prefix of the tagged commit" out &&
	! grep "v1.1.0-g$(git -C repo rev-parse --short=7 HEAD)'\'' (git): {sha}" out
'

test_expect_success '-C DIR reads the repository there' '
	test_expect_code 1 tagpolicy -C repo check --git >out &&
	test_grep "v1.0.0" out
'

test_expect_success 'a repository without tags: nothing to check' '
	git init -q empty &&
	(cd empty && tagpolicy check --git >../out) &&
	test_grep "^0 checked, 0 passed, 0 failed, 0 warnings$" out
'

test_expect_success 'not a repository is exit 3' '
	mkdir plain &&
	(cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_expect_code 3 tagpolicy check --git >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "error:" err
'

test_done
