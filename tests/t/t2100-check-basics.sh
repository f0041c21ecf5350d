#!/bin/sh
# tagpolicy check: arguments, lists, output formats, exit statuses.
. "$(dirname "$0")/test-lib.sh"

SOURCE_DATE_EPOCH=1795780800 # 2026-11-27T12:00:00Z
export SOURCE_DATE_EPOCH

cat >release.yml <<\EOF_POLICY
version: 1
kinds:
  release: "v{semver}"
scopes:
  git: [release]
  image: []
check:
  default-scope: git
EOF_POLICY

test_expect_success 'explains each failure with its rule and a suggestion' '
	printf "v1.2\nV1.2.0\n" >in &&
	test_expect_code 1 tagpolicy check --scope git - <in >out 2>err &&
	test_grep "error: tag '\''v1.2'\'' (git): does not match any allowed kind \[kind\]; did you mean '\''v1.2.0'\''?" out &&
	test_grep "error: tag '\''V1.2.0'\'' (git): does not match any allowed kind \[kind\]; did you mean '\''v1.2.0'\''?" out &&
	test_grep "^2 checked, 0 passed, 2 failed, 0 warnings$" out &&
	test_must_be_empty err
'

test_expect_success 'works with the built-in default policy, no file' '
	test_expect_code 0 tagpolicy check 1.4.0 1.4 1 latest 1.4.0-abc1234 \
		20261127 v1.4.0-prod >out 2>err &&
	test_must_be_empty err &&
	test_grep "ok: tag '\''1.4.0'\'' (image): version (semver=1.4.0)" out &&
	test_grep "ok: tag '\''v1.4.0-prod'\'' (image): env (semver=1.4.0 env=prod)" out &&
	test_grep "^7 checked, 7 passed, 0 failed, 0 warnings$" out &&
	tagpolicy check --scope git v1.4.0 >out &&
	test_grep "ok: tag '\''v1.4.0'\'' (git): release (semver=1.4.0)" out
'

test_expect_success 'one line a tag, aligned on the level word' '
	tagpolicy -p release.yml check v1.0.0 v1.1 >out;
	cat >expect <<-\EOF &&
	     ok: tag '\''v1.0.0'\'' (git): release (semver=1.0.0)
	  error: tag '\''v1.1'\'' (git): does not match any allowed kind [kind]; did you mean '\''v1.1.0'\''?
	2 checked, 1 passed, 1 failed, 0 warnings
	EOF
	test_cmp expect out
'

test_expect_success 'exit 0 when every tag passes, warnings allowed' '
	test_expect_code 0 tagpolicy check 20261127 20261128 >out &&
	test_grep "^warning: tag '\''20261128'\'' (image): {date} '\''20261128'\'' is in the future \[date-future\]$" out &&
	test_grep "2 checked, 2 passed, 0 failed, 1 warning$" out
'

test_expect_success '--strict: warnings fail' '
	test_expect_code 1 tagpolicy check --strict 20261127 20261128 >out &&
	test_grep "2 checked, 1 passed, 1 failed, 1 warning$" out
'

test_expect_success 'a set error fails the run, tags stay ok' '
	test_expect_code 1 tagpolicy check v1.4.0-prod 1.4.0 1.4.0+b >out &&
	test_grep "error: tags '\''1.4.0'\'', '\''1.4.0+b'\'' (image): have the same version 1.4.0 \[duplicate-version\]" out
'

test_expect_success 'the policy scope default comes from check.default-scope' '
	test_expect_code 0 tagpolicy -p release.yml check v1.0.0 >out &&
	test_grep "(git)" out &&
	test_expect_code 1 tagpolicy -p release.yml check --scope image v1.0.0 >out &&
	test_grep "scope image allows none" out
'

test_expect_success 'image references: the name by the grammar, the tag by the policy' '
	test_expect_code 1 tagpolicy check ghcr.io/org/app:1.4.0 Ubuntu:1 \
		app:v1.4 docker.io/library/ubuntu >out &&
	test_grep "ok: reference '\''ghcr.io/org/app:1.4.0'\'' (image): version" out &&
	test_grep "error: reference '\''Ubuntu:1'\'' (image): repository name must be lowercase \[reference\]" out &&
	test_grep "error: reference '\''app:v1.4'\'' (image): does not match any allowed kind" out &&
	test_grep "ok: reference '\''docker.io/library/ubuntu'\'' (image): no tag to check" out
'

test_expect_success 'in scope git, api/v1.2.0 is a tag' '
	cat >comp.yml <<-\EOF &&
	version: 1
	kinds:
	  release: "v{semver}"
	scopes:
	  git: [release]
	  image: []
	components:
	  api: {kind: "api/v{semver}", paths: [api/]}
	EOF
	tagpolicy -p comp.yml check --scope git api/v1.2.0 >out &&
	test_grep "ok: tag '\''api/v1.2.0'\'' (git): api (semver=1.2.0)" out
'

test_expect_success '--kind: the first kind that matches must be NAME' '
	test_expect_code 1 tagpolicy check --kind version 1.4.0 1.4 >out &&
	test_grep "ok: tag '\''1.4.0'\''" out &&
	test_grep "error: tag '\''1.4'\'' (image): is of kind '\''minor'\'', not '\''version'\'' \[kind\]" out
'

test_expect_success 'an unknown --kind is a usage error' '
	test_expect_code 2 tagpolicy check --kind relase v1 >out 2>err &&
	test_must_be_empty out &&
	test_grep "unknown kind '\''relase'\''; did you mean '\''release'\''?" err
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 tagpolicy check --scope moon v1 2>err &&
	test_grep "invalid value '\''moon'\''" err &&
	test_expect_code 2 tagpolicy check --format xml v1 2>err &&
	test_expect_code 2 tagpolicy check --git v1.0.0 2>err &&
	test_grep "takes no tags" err &&
	test_expect_code 2 tagpolicy check --git --scope image 2>err &&
	test_expect_code 2 tagpolicy check - - </dev/null 2>err &&
	test_grep "only once" err &&
	test_expect_code 2 tagpolicy check --frobnicate 2>err
'

test_expect_success 'an invalid policy exits 2 and checks nothing' '
	printf "version: 2\n" >bad.yml &&
	test_expect_code 2 tagpolicy -p bad.yml check v1.0.0 >out 2>err &&
	test_must_be_empty out &&
	test_grep "bad.yml:1:" err &&
	test_expect_code 2 tagpolicy -p missing.yml check v1.0.0 2>err
'

test_expect_success 'a list from standard input, with - or with no argument' '
	printf "# tags\n\n  1.4.0  \r\nlatest\n" >in &&
	tagpolicy check - <in >out1 &&
	tagpolicy check <in >out2 &&
	tagpolicy check --stdin <in >out3 &&
	test_cmp out1 out2 &&
	test_cmp out1 out3 &&
	test_grep "^2 checked, 2 passed" out1
'

test_expect_success 'arguments and - mix, in order' '
	echo 2.0.0 | tagpolicy check 1.0.0 - 3.0.0 >out &&
	sed -n "s/.*tag '\''\([^'\'']*\)'\''.*/\1/p" out >tags &&
	printf "1.0.0\n2.0.0\n3.0.0\n" >expect &&
	test_cmp expect tags
'

test_expect_success 'a NUL byte or invalid UTF-8 fails that line, nothing is dropped' '
	printf "1.0.0\n1.0\0000\n\377\n2.0.0\n" >in &&
	test_expect_code 1 tagpolicy check - <in >out 2>err &&
	test_must_be_empty err &&
	test_grep "error: tag '\''1.0\\\\x000'\'' (image): contains a NUL byte \[input\]" out &&
	test_grep "error: tag '\''\\\\xff'\'' (image): invalid UTF-8 \[input\]" out &&
	test_grep "^4 checked, 2 passed, 2 failed" out
'

test_expect_success 'registry JSON listings are read as lists' '
	echo "{\"name\":\"app\",\"tags\":[\"1.4.0\",\"V1.4.0\"]}" >in &&
	test_expect_code 1 tagpolicy check - <in >out &&
	test_grep "did you mean '\''1.4.0'\''" out &&
	echo "{\"results\":[{\"name\":\"latest\"}],\"next\":\"https://x\"}" |
	tagpolicy check - >out 2>err &&
	test_grep "more pages" err &&
	echo "{\"tags\": 3}" | test_expect_code 2 tagpolicy check - 2>err
'

test_expect_success '--format json: one document, the documented fields' '
	test_expect_code 1 tagpolicy check --format json --scope git v1.2.3 v1.2 >out &&
	cat >expect <<-\EOF &&
	{"tags":[{"tag":"v1.2.3","scope":"git","ok":true,"kind":"release","fields":{"semver":"1.2.3"},"problems":[]},{"tag":"v1.2","scope":"git","ok":false,"kind":null,"fields":{},"problems":[{"rule":"kind","level":"error","message":"does not match any allowed kind","suggestion":"v1.2.0"}]}],"set_problems":[],"summary":{"checked":2,"passed":1,"failed":1,"warnings":0}}
	EOF
	test_cmp expect out
'

test_expect_success '--format json: set problems name their tags' '
	test_expect_code 1 tagpolicy check --format json 1.4.0 v1.4.0-prod 1.4.0+x >out &&
	test_grep "\"set_problems\":\[{\"rule\":\"duplicate-version\",\"level\":\"error\",\"message\":\"have the same version 1.4.0\",\"tags\":\[\"1.4.0\",\"1.4.0+x\"\]}\]" out
'

test_expect_success '-q prints only the findings and the summary' '
	test_expect_code 1 tagpolicy -q check 1.4.0 v1.2 >out &&
	test_line_count_2 () { test $(wc -l <"$1") -eq 2; } &&
	test_line_count_2 out &&
	test_grep "v1.2" out
'

test_expect_success 'colors only when asked for (or on a terminal)' '
	tagpolicy check v1.2 >out;
	! grep "$(printf "\033")" out &&
	tagpolicy --color always check v1.2 >out;
	grep "$(printf "\033")\[1;31merror:" out >/dev/null &&
	NO_COLOR=1 tagpolicy --color always check v1.2 >out;
	grep "$(printf "\033")" out >/dev/null
'

test_expect_success 'control characters in tags are shown escaped' '
	test_expect_code 1 tagpolicy check "$(printf "a\tb")" >out &&
	test_grep "tag '\''a\\\\x09b'\''" out
'

test_expect_success 'no tags and a terminal on stdin is a usage error' '
	if test -t 0
	then
		test_expect_code 2 tagpolicy check 2>err
	else
		tagpolicy check >out </dev/null &&
		test_grep "^0 checked, 0 passed, 0 failed, 0 warnings$" out
	fi
'

test_expect_success 'a malformed SOURCE_DATE_EPOCH is an error, not a guess' '
	SOURCE_DATE_EPOCH=soon test_expect_code 2 tagpolicy check 20261127 2>err &&
	test_grep "SOURCE_DATE_EPOCH" err
'

test_expect_success 'a closed output pipe is not a crash' '
	seq 1 20000 | sed "s/.*/&.0.0/" >many &&
	tagpolicy check - <many | head -n 1 >out &&
	test_grep "ok: tag '\''1.0.0'\''" out
'

if test -w /dev/full
then
	test_expect_success 'a full disk: exit 3, said once' '
		seq 1 200000 | sed "s/.*/&.0.0/" >more &&
		for args in "check" "check --format json"
		do
			test_expect_code 3 tagpolicy $args - <more >/dev/full \
				2>err &&
			test $(wc -l <err) = 1 &&
			test_grep "cannot write the output: No space left" err ||
			return 1
		done &&
		test_expect_code 3 tagpolicy check 1.0.0 >/dev/full 2>err &&
		test $(wc -l <err) = 1
	'
else
	test_skip 'a full disk: exit 3, said once' 'no /dev/full'
fi

# Inputs for the lines check builds in one piece (without colors), which
# leave a line to the general writer when it needs an escape or outgrows
# its room: a character shown escaped, or not ASCII, at every place of
# texts of 1 to 18 bytes; tags and references about as long as the room;
# one version named by hundreds of tags (a long set line).
cat >odd.awk <<\EOF_AWK
BEGIN {
	split("\001|\177|\377|\303\251|\"|\\", odd, "|")
	for (k = 1; k <= 6; k++)
		for (n = 1; n <= 18; n++)
			for (i = 1; i <= n; i++) {
				s = ""
				for (j = 1; j <= n; j++)
					s = s (j == i ? odd[k] : j % 2 ? "1" : "a")
				print s
			}
	for (n = 200; n <= 540; n += n < 280 || n > 460 ? 3 : 37) {
		s = "1.2.3-"
		while (length(s) < n)
			s = s "a"
		print "v" s
		print "V" s
		print "ghcr.io/acme/" s ":1.2.3"
	}
	for (n = 0; n < 300; n++)
		print (n % 100 ? "1.2.3" : "v1.2.3")
}
EOF_AWK

cat >notes.yml <<\EOF_POLICY
version: 1
fields:
  note: {pattern: ".+"}
kinds:
  vee: "v{semver}_{note}"
  dub: "w{semver}_{note}"
scopes:
  git: [vee, dub]
  image: []
rules:
  charset: off
check:
  default-scope: git
EOF_POLICY

test_expect_success 'lines built in one piece are the general ones, colors aside' '
	awk -f odd.awk >in &&
	printf "v1.2.3_a\"b\nw1.2.3_a\"b\nv1.2.4_\303\251\nw1.2.4_\303\251\n" >notes &&
	printf "v1.2.5_a\\\\b\nw1.2.5_a\\\\b\nv1.2.6_\001\nw1.2.6_\001\n" >>notes &&
	esc=$(printf "\033") &&
	raw=$(printf "[\001\177\377]") &&
	for args in "check -" "check --scope git -" "-p notes.yml check -"
	do
		test_expect_code 1 tagpolicy --color never $args <in >plain &&
		test_expect_code 1 tagpolicy --color always $args <in >color &&
		sed "s/$esc\[[0-9;]*m//g" color >uncolored &&
		test_cmp plain uncolored &&
		! grep -a "$raw" plain &&
		test $(grep -c "x7f" plain) -ge 171 || return 1
	done &&
	test_expect_code 1 tagpolicy --color never -p notes.yml check - <notes >plain &&
	test_grep "tags '\''v1.2.3_a\"b'\'', '\''w1.2.3_a\"b'\''" plain &&
	test_grep "tags '\''v1.2.5_a\\\\b'\'', '\''w1.2.5_a\\\\b'\''" plain &&
	test_expect_code 1 tagpolicy --color always -p notes.yml check - <notes >color &&
	sed "s/$esc\[[0-9;]*m//g" color >uncolored &&
	test_cmp plain uncolored
'

test_expect_success 'help' '
	tagpolicy check --help >out &&
	test_grep "usage: tagpolicy check" out &&
	test_grep "warnings fail too" out
'

test_done
