# test-lib.sh: the shell test library (after git's t/test-lib.sh).
#
# A test script sources this file, then calls test_expect_success (and
# friends) and finally test_done.  Each script runs in its own trash
# directory (kept when a test fails, removed otherwise) and prints TAP.
# The environment is isolated: HOME is the trash directory, git reads no
# system or global configuration, dates and identities are fixed.
#
# Variables a script may use:
#   TAGPOLICY   the binary under test (set by make check; the tests run it
#               as `tagpolicy`, a function that honours TP_VALGRIND)
#   SRCDIR      the top of the source tree (vectors, examples, presets)
#   TRASH       this script's trash directory

set -u

: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
SRCDIR=$(cd "$srcdir" && pwd)
: "${TAGPOLICY:=$SRCDIR/tagpolicy}"
case $TAGPOLICY in
/*) ;;
*) TAGPOLICY=$(pwd)/$TAGPOLICY ;;
esac
export SRCDIR TAGPOLICY

test_name=$(basename "$0" .sh)
TRASH=$(pwd)/trash.$test_name
rm -rf "$TRASH"
mkdir -p "$TRASH" || exit 1
cd "$TRASH" || exit 1

# Isolation.
HOME=$TRASH
XDG_CONFIG_HOME=$TRASH/.config
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$TRASH/.gitconfig
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL='author@example.com'
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL='committer@example.com'
GIT_AUTHOR_DATE='1700000000 +0000'
GIT_COMMITTER_DATE='1700000000 +0000'
LC_ALL=C
TZ=UTC
# Neither git nor tagpolicy may find the repository the tests run in.
GIT_CEILING_DIRECTORIES=$(dirname "$TRASH")
export GIT_CEILING_DIRECTORIES
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE LC_ALL TZ
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_QUARANTINE_PATH \
	TAGPOLICY_CONFIG SOURCE_DATE_EPOCH NO_COLOR \
	GITHUB_HEAD_REF GITHUB_REF_NAME GITHUB_REF_TYPE \
	CI_MERGE_REQUEST_SOURCE_BRANCH_NAME CI_COMMIT_BRANCH \
	CHANGE_BRANCH BRANCH_NAME 2>/dev/null
git config --global init.defaultBranch main
git config --global user.name 'C O Mitter'
git config --global user.email 'committer@example.com'
git config --global advice.detachedHead false

test_count=0
test_failed=0
test_skipped=0
test_tick_time=1700000000

# The binary under test; under valgrind when TP_VALGRIND is set.
tagpolicy () {
	if test -n "${TP_VALGRIND:-}"
	then
		"$TP_VALGRIND" --quiet --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$TAGPOLICY" "$@"
	else
		"$TAGPOLICY" "$@"
	fi
}

say_fail () {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# Runs a test body in a subshell, then whatever it registered with
# test_when_finished (in the same subshell), and returns the body's status.
test_run_ () {
	(
		test_cleanup=:
		test_when_finished () {
			test_cleanup="$*; $test_cleanup"
		}
		eval "$1"
		ret_=$?
		eval "$test_cleanup" >/dev/null 2>&1
		exit $ret_
	) >"$TRASH/.out" 2>&1
}

# test_expect_success 'description' 'commands'
test_expect_success () {
	test_count=$((test_count + 1))
	if test_run_ "$2"
	then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		say_fail "$2"
		sed 's/^/# | /' "$TRASH/.out"
	fi
}

# test_expect_skip 'description' 'reason'
test_skip () {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

test_done () {
	echo "1..$test_count"
	cd "$TRASH/.." || exit 1
	if test "$test_failed" -eq 0
	then
		rm -rf "$TRASH"
		exit 0
	fi
	echo "# kept the trash directory: $TRASH"
	exit 1
}

# test_must_fail [STATUS] command...: the command fails (with STATUS when
# given) and does not crash.
test_must_fail () {
	want=
	case $1 in
	[0-9]*) want=$1; shift ;;
	esac
	"$@"
	got=$?
	if test $got -eq 0
	then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	fi
	if test $got -gt 128 || test $got -eq 99
	then
		echo "test_must_fail: command crashed ($got): $*" >&2
		return 1
	fi
	if test -n "$want" && test "$got" -ne "$want"
	then
		echo "test_must_fail: expected exit $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code STATUS command...
test_expect_code () {
	want=$1
	shift
	"$@"
	got=$?
	if test "$got" -ne "$want"
	then
		echo "test_expect_code: expected exit $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL
test_cmp () {
	diff -u "$1" "$2"
}

test_must_be_empty () {
	if test -s "$1"
	then
		echo "'$1' is not empty:" >&2
		cat "$1" >&2
		return 1
	fi
}

# test_grep PATTERN FILE (grep -e, with the file shown on failure)
test_grep () {
	if ! grep -e "$1" "$2" >/dev/null
	then
		echo "no line matches '$1' in $2:" >&2
		cat "$2" >&2
		return 1
	fi
}

test_tick () {
	test_tick_time=$((test_tick_time + 60))
	GIT_COMMITTER_DATE="$test_tick_time +0000"
	GIT_AUTHOR_DATE="$test_tick_time +0000"
	export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
}

# test_commit MESSAGE [FILE [CONTENT]]: a commit with a fixed date.
test_commit () {
	file=${2:-$(echo "$1" | tr -c 'A-Za-z0-9\n' '_' | cut -c1-40).t}
	mkdir -p "$(dirname "$file")" &&
	echo "${3:-$1}" >>"$file" &&
	git add "$file" &&
	test_tick &&
	git commit -q -m "$1"
}
