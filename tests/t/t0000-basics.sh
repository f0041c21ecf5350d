#!/bin/sh
# The command line itself: help, version, unknown commands and options.
. "$(dirname "$0")/test-lib.sh"

test_expect_success '--version prints the name and version' '
	tagpolicy --version >out 2>err &&
	grep -E "^tagpolicy [0-9]+\.[0-9]+\.[0-9]+$" out &&
	test_must_be_empty err
'

test_expect_success '--help lists the commands on stdout, exit 0' '
	tagpolicy --help >out 2>err &&
	test_grep "^usage: tagpolicy" out &&
	test_grep "^  sort " out &&
	test_grep "^  compare " out &&
	test_must_be_empty err
'

test_expect_success 'help COMMAND is COMMAND --help' '
	tagpolicy help sort >a &&
	tagpolicy sort --help >b &&
	test_cmp a b &&
	test_grep "^usage: tagpolicy sort" a
'

test_expect_success 'no command is a usage error (exit 2)' '
	test_expect_code 2 tagpolicy >out 2>err &&
	test_grep "no command given" err
'

test_expect_success 'an unknown command is exit 2 and named' '
	test_expect_code 2 tagpolicy frobnicate 2>err &&
	test_grep "unknown command .frobnicate." err
'

test_expect_success 'an unknown option is exit 2 and named, with advice' '
	test_expect_code 2 tagpolicy compare --frob 1.0.0 1.0.0 2>err &&
	test_grep "unknown option .--frob." err &&
	test_grep "tagpolicy compare --help" err
'

test_expect_success 'an option missing its value is exit 2' '
	test_expect_code 2 tagpolicy compare 1.0.0 1.0.0 --color 2>err &&
	test_grep "needs a value" err
'

test_expect_success '--color takes only auto, never or always' '
	test_expect_code 2 tagpolicy --color sometimes compare 1.0.0 1.0.0 \
		2>err &&
	test_grep "invalid value .sometimes." err
'

test_expect_success 'global options work after the command too' '
	echo 1 >expect &&
	tagpolicy compare 2.0.0 1.0.0 -q >out &&
	test_cmp expect out
'

test_expect_success '-C DIR that does not exist is exit 3' '
	test_expect_code 3 tagpolicy -C no/such/dir compare 1.0.0 1.0.0 2>err &&
	test_grep "no/such/dir" err
'

test_done
