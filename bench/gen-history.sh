#!/bin/sh
# gen-history.sh DIR COMMITS TAGS
#
# Writes a synthetic git repository for benchmarks with git fast-import:
# COMMITS commits on `main` with Conventional Commit messages, each changing
# one of eight files (dates one minute apart from a fixed epoch, so the
# result is the same on every run), a side branch of three commits merged
# back every 1,000 commits, and TAGS annotated release tags v1.0.0, v1.0.1,
# ... spread evenly, the last one half a spacing below HEAD (so there are
# commits to release).  100,000 commits and 1,000 tags take a few seconds.
#
# Example:
#	bench/gen-history.sh /tmp/h100k 100000 1000
#	git -C /tmp/h100k commit-graph write --reachable   # optional
set -eu

usage() {
	echo "usage: $0 DIR COMMITS TAGS" >&2
	exit 2
}

[ $# -eq 3 ] || usage
dir=$1
commits=$2
tags=$3
case $commits$tags in
*[!0-9]*|'') usage ;;
esac
[ "$commits" -ge 1 ] || usage
[ "$tags" -le "$commits" ] || {
	echo "$0: more tags than commits" >&2
	exit 2
}
[ ! -e "$dir" ] || {
	echo "$0: '$dir' already exists" >&2
	exit 1
}

# glibc's malloc otherwise returns memory to the system after nearly every
# object fast-import writes (200,000 brk calls for 100,000 commits): a
# third of the run
tunables=glibc.malloc.top_pad=67108864
tunables=$tunables:glibc.malloc.trim_threshold=134217728

git init -q -b main "$dir"
awk -v n="$commits" -v t="$tags" '
function commit(ref, mark, time, msg, file, parent) {
	printf "commit %s\nmark :%d\n", ref, mark
	printf "author Bench <bench@example.com> %d +0000\n", time
	printf "committer Bench <bench@example.com> %d +0000\n", time
	printf "data <<EOM\n%s\nEOM\n", msg
	if (parent != "")
		printf "from :%d\n", parent
	printf "M 100644 inline %s\ndata <<EOD\n%d %s\nEOD\n\n", file, mark, msg
}
BEGIN {
	base = 1600000000
	split("fix fix fix fix feat feat chore docs refactor test", type, " ")
	split("api cli core db ui docs build", scope, " ")
	side = n
	for (i = 1; i <= n; i++) {
		ty = type[i % 10 + 1]
		msg = sprintf("%s(%s): change %d", ty, scope[i % 7 + 1], i)
		if (i % 5000 == 500)
			msg = sprintf("feat(%s)!: rework %d\n\n" \
				      "BREAKING CHANGE: the %d interface " \
				      "changed", scope[i % 7 + 1], i, i)
		else if (i % 3 == 0)
			msg = msg sprintf("\n\nRefs: #%d", i)
		if (i % 1000 == 0 && i > 10) {
			# three commits forked ten commits back, merged here
			for (j = 1; j <= 3; j++) {
				side++
				commit("refs/heads/side", side, \
				       base + (i - 10 + j) * 60 + 30, \
				       sprintf("fix(side): side %d.%d", i, j), \
				       "side.txt", j == 1 ? i - 10 : side - 1)
			}
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "committer Bench <bench@example.com> " \
			       "%d +0000\n", base + i * 60
			printf "data <<EOM\nMerge branch side at %d\nEOM\n", i
			printf "from :%d\nmerge :%d\n\n", i - 1, side
			continue
		}
		commit("refs/heads/main", i, base + i * 60, msg, \
		       sprintf("src/f%d.txt", i % 8), i > 1 ? i - 1 : "")
	}
	if (t == 0)
		exit
	step = int(n / t)
	for (k = 1; k <= t; k++) {
		at = k * step - int(step / 2)
		if (at < 1)
			at = 1
		printf "tag v%d.%d.%d\nfrom :%d\n", 1 + int((k - 1) / 100), \
		       int((k - 1) % 100 / 10), (k - 1) % 10, at
		printf "tagger Bench <bench@example.com> %d +0000\n", \
		       base + at * 60 + 10
		printf "data <<EOM\nrelease %d\nEOM\n\n", k
	}
}' | GLIBC_TUNABLES=$tunables git -C "$dir" fast-import --quiet
# a pipeline's status is fast-import's: check that awk fed it
git -C "$dir" rev-parse -q --verify main >/dev/null || {
	echo "$0: generating the history failed" >&2
	exit 1
}
git -C "$dir" branch -q -D side 2>/dev/null || true
git -C "$dir" reset -q --hard main
