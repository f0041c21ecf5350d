#!/bin/sh
# Golden cases for `tagpolicy check`: every folder tests/cases/RULE/CASE/
# is one test.  A case is files only (a new case is new files, no code):
#
#   args         the arguments after `check`, one shell line (quotes work);
#                optional
#   policy.yml   the policy (-p); without it the built-in default is used
#   input        standard input; optional (else empty)
#   repo.sh      optional: run in a new git repository first, with the
#                test-lib helpers (test_commit, test_tick: fixed dates,
#                so commit ids are stable); check then runs in it
#   expected.out standard output, exactly
#   expected.rc  the exit status
#   expected.err optional: standard error, exactly (the policy path is
#                written as POLICY)
#
# The clock is fixed: SOURCE_DATE_EPOCH is 2026-11-27T12:00:00Z.
. "$(dirname "$0")/test-lib.sh"

CASES=$SRCDIR/tests/cases
SOURCE_DATE_EPOCH=1795780800
export SOURCE_DATE_EPOCH

run_case () {
	d=$1
	rm -rf work out err rc &&
	mkdir work &&
	(
		cd work &&
		if test -f "$d/repo.sh"
		then
			# its own subshell: bash may replace the shell that
			# sources it by its last command (exec optimisation)
			if ! (git init -q && . "$d/repo.sh") >../repo.log 2>&1
			then
				echo "repo.sh failed:" && cat ../repo.log
				exit 99
			fi
		fi
		set --
		if test -f "$d/args"
		then
			eval "set -- $(cat "$d/args")"
		fi
		if test -f "$d/policy.yml"
		then
			set -- -p "$d/policy.yml" "$@"
		fi
		input=/dev/null
		if test -f "$d/input"
		then
			input=$d/input
		fi
		tagpolicy check "$@" <"$input" >../out 2>../err
		echo $? >../rc
	) &&
	test_cmp "$d/expected.out" out &&
	test_cmp "$d/expected.rc" rc &&
	if test -f "$d/expected.err"
	then
		sed "s|$d/policy.yml|POLICY|g" err >err.shown &&
		test_cmp "$d/expected.err" err.shown
	fi
}

for dir in "$CASES"/*/*/
do
	dir=${dir%/}
	test -f "$dir/expected.out" || continue
	test_expect_success "case ${dir#"$CASES"/}" 'run_case "$dir"'
done

test_done
