#!/bin/sh
# tests/run.sh: the whole test suite, as the README and CI run it.
#
#   1. an out-of-tree build in build/ and `make check`;
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer in
#      build-san/ (--enable-sanitizers --enable-werror);
#   3. a clang build with warnings as errors;
#   4. `make distcheck` (skipped with TP_NO_DISTCHECK=1).
#
# It ends with one line: "N passed, N failed, N skipped" (the counts of the
# first run; a failure in a later run counts as failed too).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)

passed=0 failed=0 skipped=0

count () {
	log=$1/test-suite.log
	if ! test -f "$log"
	then
		echo "no test log in $1" >&2
		return 1
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n 1)
	x=$(sed -n 's/^# XFAIL: *//p' "$log" | head -n 1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n 1)
	xp=$(sed -n 's/^# XPASS: *//p' "$log" | head -n 1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n 1)
	s=$(sed -n 's/^# SKIP: *//p' "$log" | head -n 1)
	echo "$((${p:-0} + ${x:-0})) $((${f:-0} + ${xp:-0} + ${e:-0})) ${s:-0}"
}

test -x configure || autoreconf -fi || exit 1

# 1. plain
mkdir -p build
(cd build && { test -f Makefile || ../configure --enable-werror; } &&
	make -j"$jobs" && make -j"$jobs" check) || true
set -- $(count build || echo "0 1 0")
passed=$1 failed=$2 skipped=$3
echo "plain build: $1 passed, $2 failed, $3 skipped"
test "$2" -eq 0 || cat build/test-suite.log | tail -n 80

# 2. sanitizers
mkdir -p build-san
(cd build-san && { test -f Makefile ||
	../configure --enable-sanitizers --enable-werror; } &&
	make -j"$jobs" && make -j"$jobs" check) || true
set -- $(count build-san || echo "0 1 0")
echo "ASan+UBSan build: $1 passed, $2 failed, $3 skipped"
failed=$((failed + $2))
test "$2" -eq 0 || cat build-san/test-suite.log | tail -n 80

# 3. clang, warnings as errors (build only: the suite ran twice above)
if command -v clang >/dev/null 2>&1
then
	mkdir -p build-clang
	if (cd build-clang && { test -f Makefile ||
		CC=clang ../configure --enable-werror >/dev/null; } &&
		make -j"$jobs" >make.log 2>&1)
	then
		echo "clang -Werror build: passed"
	else
		echo "clang -Werror build: FAILED"
		tail -n 40 build-clang/make.log
		failed=$((failed + 1))
	fi
fi

# 4. distcheck
if test "${TP_NO_DISTCHECK:-0}" != 1
then
	if (cd build && make -j"$jobs" distcheck >distcheck.log 2>&1)
	then
		echo "distcheck: passed"
	else
		echo "distcheck: FAILED (see build/distcheck.log)"
		tail -n 40 build/distcheck.log
		failed=$((failed + 1))
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
test "$failed" -eq 0
