#!/bin/sh
# tagpolicy sort.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'sorts by SemVer precedence, from stdin' '
	printf "1.0.0\n1.0.0-rc.1\n1.0.0-alpha\n99999999999999999999999.0.0\n1.0.0-alpha.1\n" |
	tagpolicy sort >out 2>err &&
	cat >expect <<-\EOF &&
	1.0.0-alpha
	1.0.0-alpha.1
	1.0.0-rc.1
	1.0.0
	99999999999999999999999.0.0
	EOF
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success '- reads stdin too' '
	printf "2.0.0\n1.0.0\n" | tagpolicy sort - >out &&
	printf "1.0.0\n2.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'the spec chain comes out in order' '
	cat >expect <<-\EOF &&
	1.0.0-alpha
	1.0.0-alpha.1
	1.0.0-alpha.beta
	1.0.0-beta
	1.0.0-beta.2
	1.0.0-beta.11
	1.0.0-rc.1
	1.0.0
	EOF
	sort -r expect | tagpolicy sort >out &&
	test_cmp expect out
'

test_expect_success 'stable: equal precedence keeps input order' '
	printf "1.0.0+b\n1.0.0+a\n0.9.0\n1.0.0+c\n" | tagpolicy sort >out &&
	printf "0.9.0\n1.0.0+b\n1.0.0+a\n1.0.0+c\n" >expect &&
	test_cmp expect out
'

test_expect_success '-r reverses, equal versions still in input order' '
	printf "1.0.0+b\n1.0.0+a\n0.9.0\n2.0.0\n1.0.0+c\n" |
	tagpolicy sort -r >out &&
	printf "2.0.0\n1.0.0+b\n1.0.0+a\n1.0.0+c\n0.9.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'numbers compare numerically, prerelease text as ASCII' '
	printf "1.10.0\n1.9.0\n1.2.3-rc2\n1.2.3-rc10\n1.2.3-rc.10\n1.2.3-rc.2\n" |
	tagpolicy sort >out &&
	printf "1.2.3-rc.2\n1.2.3-rc.10\n1.2.3-rc10\n1.2.3-rc2\n1.9.0\n1.10.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'blank lines, comments, white space and CRLF are ignored' '
	printf "# releases\n\n  2.0.0  \r\n\t1.0.0\r\n\n" | tagpolicy sort >out &&
	printf "1.0.0\n2.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'versions as operands' '
	tagpolicy sort 3.0.0 1.0.0 2.0.0 >out &&
	printf "1.0.0\n2.0.0\n3.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'empty input prints nothing, exit 0' '
	printf "" | tagpolicy sort >out &&
	test_must_be_empty out
'

test_expect_success 'a non-version line is exit 2, names the line, prints nothing' '
	printf "1.0.0\nv1.2.0\n2.0.0\n" >in &&
	test_expect_code 2 tagpolicy sort <in >out 2>err &&
	test_must_be_empty out &&
	test_grep "line 2" err &&
	test_grep "v1.2.0" err &&
	test_grep "is not a version" err
'

test_expect_success 'the reason is given: leading zero' '
	printf "1.02.0\n" | test_expect_code 2 tagpolicy sort 2>err &&
	test_grep "leading zero in minor" err
'

test_expect_success 'a NUL byte in a line is reported, not a crash' '
	printf "1.0.0\n1.0\0000\n" | test_expect_code 2 tagpolicy sort >out 2>err &&
	test_must_be_empty out &&
	test_grep "line 2" err &&
	test_grep "NUL" err
'

test_expect_success 'invalid UTF-8 is reported with its line' '
	printf "1.0.0\n\377\n" | test_expect_code 2 tagpolicy sort 2>err &&
	test_grep "line 2" err &&
	test_grep "UTF-8" err
'

test_expect_success 'registry JSON listings are read as lists' '
	echo "{\"name\":\"app\",\"tags\":[\"2.0.0\",\"1.0.0\"]}" |
	tagpolicy sort >out &&
	printf "1.0.0\n2.0.0\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a closed output pipe is not a crash' '
	seq 1 20000 | sed "s/.*/&.0.0/" >many &&
	tagpolicy sort <many | head -n 1 >out &&
	echo 1.0.0 >expect &&
	test_cmp expect out
'

test_done
