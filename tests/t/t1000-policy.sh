#!/bin/sh
# tagpolicy policy show|validate|init, and where the policy comes from.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: a repository' '
	git init -q repo &&
	mkdir -p repo/sub/dir
'

test_expect_success 'show with no file prints the built-in default' '
	(cd repo && tagpolicy policy show) >out 2>err &&
	test_grep "^version: 1" out &&
	test_grep "release: \"v{semver}\"" out &&
	test_grep "^  git: \[release\]" out &&
	test_must_be_empty err
'

test_expect_success 'show output loads back as the same policy' '
	(cd repo && tagpolicy policy show) >shown.yml &&
	tagpolicy -p shown.yml policy show >again.yml &&
	test_cmp shown.yml again.yml
'

test_expect_success 'show --format json is one JSON document' '
	(cd repo && tagpolicy policy show --format json) >out.json &&
	head -c 1 out.json >first &&
	printf "{" >expect &&
	test_cmp expect first &&
	test_grep "\"kinds\"" out.json
'

test_expect_success 'validate with no file validates the built-in default' '
	(cd repo && tagpolicy policy validate) >out &&
	test_grep "built-in default: valid" out
'

test_expect_success 'the policy at the top of the working tree is found from a subfolder' '
	cat >repo/.tagpolicy.yml <<-\EOF &&
	version: 1
	kinds:
	  mine: "rel-{semver}"
	EOF
	(cd repo/sub/dir && tagpolicy policy validate) >out &&
	test_grep "repo/.tagpolicy.yml: valid" out &&
	(cd repo/sub/dir && tagpolicy policy show) >shown &&
	test_grep "rel-{semver}" shown
'

test_expect_success '-C DIR looks up the policy there' '
	tagpolicy -C repo/sub policy show >shown &&
	test_grep "rel-{semver}" shown
'

test_expect_success 'both .tagpolicy.yml and .tagpolicy.yaml is exit 2' '
	cp repo/.tagpolicy.yml repo/.tagpolicy.yaml &&
	test_when_finished "rm -f repo/.tagpolicy.yaml" &&
	(cd repo && test_expect_code 2 tagpolicy policy show) >out 2>err &&
	test_must_be_empty out &&
	test_grep "tagpolicy.yaml" err
'

test_expect_success 'an invalid policy is exit 2 with file:line:column and key' '
	cat >bad.yml <<-\EOF &&
	version: 1
	rulez:
	  lowercase: warning
	EOF
	test_expect_code 2 tagpolicy policy validate bad.yml >out 2>err &&
	test_must_be_empty out &&
	test_grep "^bad.yml:2:1: error: .*rulez" err &&
	test_grep "rules" err
'

test_expect_success '-p names the file; a missing one is exit 2' '
	test_expect_code 2 tagpolicy -p no-such.yml policy show 2>err &&
	test_grep "no-such.yml" err
'

test_expect_success '$TAGPOLICY_CONFIG names the file; -p wins over it' '
	cat >env.yml <<-\EOF &&
	version: 1
	kinds:
	  fromenv: "env-{semver}"
	EOF
	TAGPOLICY_CONFIG=env.yml tagpolicy policy show >out &&
	test_grep "env-{semver}" out &&
	TAGPOLICY_CONFIG=env.yml tagpolicy -p repo/.tagpolicy.yml policy show >out &&
	test_grep "rel-{semver}" out &&
	TAGPOLICY_CONFIG=missing.yml test_expect_code 2 tagpolicy policy show 2>err &&
	test_grep "missing.yml" err
'

test_expect_success 'init writes a starter that validates, then never overwrites' '
	git init -q fresh &&
	(cd fresh && tagpolicy policy init) 2>err &&
	test_grep "extends: \[default\]" fresh/.tagpolicy.yml &&
	(cd fresh && tagpolicy policy validate) &&
	cp fresh/.tagpolicy.yml before &&
	(cd fresh && test_expect_code 1 tagpolicy policy init --preset docker) 2>err &&
	test_grep "already exists" err &&
	test_cmp before fresh/.tagpolicy.yml
'

test_expect_success 'init --preset NAME extends that preset; unknown is exit 2' '
	git init -q cal &&
	(cd cal && tagpolicy policy init --preset calver) &&
	test_grep "extends: \[calver\]" cal/.tagpolicy.yml &&
	(cd cal && test_expect_code 2 tagpolicy -p other.yml policy init --preset nope) 2>err &&
	test_grep "unknown preset .nope." err &&
	test_grep "docker" err &&
	! test -e cal/other.yml
'

test_expect_success 'init from a subfolder writes at the top of the working tree' '
	git init -q deep &&
	mkdir -p deep/a/b &&
	(cd deep/a/b && tagpolicy policy init) &&
	test -f deep/.tagpolicy.yml &&
	! test -e deep/a/b/.tagpolicy.yml
'

test_expect_success 'every preset loads and every example policy validates' '
	for f in "$SRCDIR"/rules/presets/*.yml
	do
		tagpolicy policy validate "$f" || return 1
	done &&
	for f in "$SRCDIR"/examples/*.tagpolicy.yml
	do
		test -e "$f" || continue
		tagpolicy policy validate "$f" || return 1
	done
'

test_expect_success 'policy with no subcommand is exit 2' '
	test_expect_code 2 tagpolicy policy 2>err &&
	test_grep "expected a subcommand" err &&
	test_expect_code 2 tagpolicy policy frob 2>err &&
	test_grep "unknown subcommand" err
'

test_done
