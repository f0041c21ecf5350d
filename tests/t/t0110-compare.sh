#!/bin/sh
# tagpolicy compare A B.
. "$(dirname "$0")/test-lib.sh"

check_compare () {
	echo "$3" >expect &&
	tagpolicy compare "$1" "$2" >out 2>err &&
	test_cmp expect out &&
	test_must_be_empty err
}

test_expect_success 'lower, equal, higher' '
	check_compare 1.0.0 2.0.0 -1 &&
	check_compare 2.0.0 2.0.0 0 &&
	check_compare 2.0.1 2.0.0 1
'

test_expect_success 'a prerelease is lower than its release' '
	check_compare 1.0.0-rc.1 1.0.0 -1 &&
	check_compare 1.0.0 1.0.0-alpha 1
'

test_expect_success 'build metadata is ignored' '
	check_compare 1.0.0+a 1.0.0+b 0
'

test_expect_success 'numbers beyond 64 bits compare exactly' '
	check_compare 1.0.0-9007199254740993 1.0.0-9007199254740992 1 &&
	check_compare 99999999999999999999999.0.0 99999999999999999999998.0.0 1 &&
	check_compare 18446744073709551616.0.0 18446744073709551615.0.0 1
'

test_expect_success 'numeric identifiers are lower than alphanumeric ones' '
	check_compare 1.0.0-1 1.0.0-0a -1 &&
	check_compare 1.0.0-rc10 1.0.0-rc2 -1
'

test_expect_success 'an invalid version is exit 2 naming it and why' '
	test_expect_code 2 tagpolicy compare 1.02.0 1.0.0 >out 2>err &&
	test_must_be_empty out &&
	test_grep "1.02.0" err &&
	test_grep "leading zero in minor" err
'

test_expect_success 'the right-hand side is checked too' '
	test_expect_code 2 tagpolicy compare 1.0.0 v1.0.0 >out 2>err &&
	test_must_be_empty out &&
	test_grep "v1.0.0" err
'

test_expect_success 'exactly two operands' '
	test_expect_code 2 tagpolicy compare 1.0.0 2>err &&
	test_grep "expected two versions" err &&
	test_expect_code 2 tagpolicy compare 1.0.0 1.0.0 1.0.0 2>/dev/null
'

test_expect_success 'an operand may start with - after --' '
	test_expect_code 2 tagpolicy compare -- -1.0.0 1.0.0 2>err &&
	test_grep "is not a version" err
'

test_done
