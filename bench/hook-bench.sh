#!/bin/sh
# hook-bench.sh: what `tagpolicy hook pre-push` costs git push, on a
# repository of 100,000 commits and 10,000 annotated release tags
# (bench/gen-history.sh), against `git rev-parse HEAD` as the floor: the
# cheapest git command there is, so a hook's time reads as a multiple of
# it.  Prints the median wall time of each command over RUNS runs and
# (with hyperfine) the mean CPU time, user and system, which a shared
# machine disturbs less, each with its ratio to the floor's.
#
#   sh bench/hook-bench.sh [TAGPOLICY]
#
# TAGPOLICY defaults to ./build/tagpolicy, then ./tagpolicy.  Environment:
# RUNS (default 51), COMMITS (100000), TAGS (10000), REPO (a folder to
# keep the generated repository in between runs; default: a temporary
# one).  Timing: hyperfine -N (no shell of its own) when it is installed,
# else a loop of `date +%s%N` around each run (coarser: it counts a fork
# of date too, in every row).
#
# Rows; the hook runs as git runs the installed one (/bin/sh, which execs
# tagpolicy, stdin from a file as git feeds it), so its time includes a
# shell's start that the floor does not have:
#   floor        git rev-parse HEAD
#   branch       a push of main only: the hook passes at once
#   tag          a push of one new annotated release tag at HEAD (the next
#                version): loose refs, as gen-history.sh leaves them
#   tag,packed   the same after `git pack-refs --all` (what `git gc` does)
#   tag,graph    the same with a commit-graph file too
#   blocked      a release tag below its history (9,999 higher tags, one
#                release search over the history) after pack-refs
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-51}
commits=${COMMITS:-100000}
ntags=${TAGS:-10000}
tp=${1:-}
if test -z "$tp"
then
	for c in "$top/build/tagpolicy" "$top/tagpolicy"
	do
		test -x "$c" && tp=$c && break
	done
fi
if test -z "$tp" || ! test -x "$tp"
then
	echo "hook-bench: no tagpolicy binary (build it, or pass its path)" >&2
	exit 2
fi
case $tp in
/*) ;;
*) tp=$(pwd)/$tp ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
repo=${REPO:-$work/repo}
if ! test -d "$repo/.git"
then
	echo "hook-bench: generating $commits commits, $ntags tags in $repo" >&2
	sh "$here/gen-history.sh" "$repo" "$commits" "$ntags" || exit 1
fi
# the copies each row needs: loose refs, packed refs, packed + graph
loose=$work/loose
packed=$work/packed
graph=$work/graph
cp -a "$repo" "$loose" && cp -a "$repo" "$packed" && cp -a "$repo" "$graph" ||
	exit 1
git -C "$packed" pack-refs --all
git -C "$graph" pack-refs --all
git -C "$graph" commit-graph write --reachable 2>/dev/null

# the next release: above every tag gen-history.sh wrote (v1.0.0 up)
top_tag=$(git -C "$loose" tag -l 'v*' | sort -t. -k1.2,1n -k2,2n -k3,3n |
	tail -n 1)
major=$(echo "$top_tag" | sed 's/^v\([0-9]*\).*/\1/')
next=v$((major + 1)).0.0
zero=0000000000000000000000000000000000000000
for r in "$loose" "$packed" "$graph"
do
	GIT_COMMITTER_DATE='@2000000000 +0000' \
		git -C "$r" -c user.name=Bench -c user.email=b@example.com \
		tag -a -m "release $next" "$next" HEAD || exit 1
	GIT_COMMITTER_DATE='@2000000000 +0000' \
		git -C "$r" -c user.name=Bench -c user.email=b@example.com \
		tag -a -m low v1.0.5-low HEAD || exit 1
done
# the same objects in each copy (fixed dates): one input serves them all
tagid=$(git -C "$loose" rev-parse "$next")
lowid=$(git -C "$loose" rev-parse v1.0.5-low)
echo "refs/tags/$next $tagid refs/tags/$next $zero" >"$work/tag.in"
echo "refs/tags/v1.0.5-low $lowid refs/tags/v1.0.5-low $zero" >"$work/low.in"
echo "refs/heads/main $(git -C "$loose" rev-parse HEAD) refs/heads/main" \
	"$zero" >"$work/branch.in"

# sanity: the decisions the rows time
(cd "$loose" && "$tp" hook pre-push <"$work/tag.in") ||
	{ echo "hook-bench: the tag push does not pass" >&2; exit 1; }
(cd "$packed" && "$tp" hook pre-push <"$work/low.in" 2>/dev/null) &&
	{ echo "hook-bench: the low tag is not blocked" >&2; exit 1; }

# median_ms DIR CMD: the median wall time of the command line CMD (words,
# single quotes) in DIR, in ms, and with hyperfine the mean CPU time (user
# + system) after it.  No shell around it (hyperfine -N): a shell's start,
# and hyperfine's estimate of it, would be as large as the floor itself.
median_ms() {
	if command -v hyperfine >/dev/null 2>&1
	then
		(cd "$1" && hyperfine -N -i --warmup 3 --runs "$runs" \
			--export-json "$work/h.json" "$2" >/dev/null 2>&1) &&
		tr ',' '\n' <"$work/h.json" | awk -F: '
			/"median"/ && m == "" { m = $2 }
			/"user"/ && u == "" { u = $2 }
			/"system"/ && s == "" { s = $2 }
			END { printf "%.2f %.2f", m * 1000, (u + s) * 1000 }'
		return
	fi
	(
		cd "$1" &&
		i=0 &&
		while test $i -lt "$runs"
		do
			s=$(date +%s%N)
			eval "$2" >/dev/null 2>&1
			e=$(date +%s%N)
			echo $(((e - s) / 1000))
			i=$((i + 1))
		done
	) | sort -n | awk '{ a[NR] = $1 }
		END { printf "%.2f -", a[int((NR + 1) / 2)] / 1000 }'
}

printf 'hook-bench: %s commits, %s tags, %s runs a row (%s), TAGPOLICY=%s\n' \
	"$commits" "$ntags" "$runs" \
	"$(command -v hyperfine >/dev/null 2>&1 && echo hyperfine ||
		echo 'date loop')" "$tp"
printf '%-12s %-46s %10s %6s %9s %6s\n' row command wall ratio cpu ratio
floor=
cfloor=
# row LABEL DIR [INPUT]: the floor, or the hook as git runs the installed
# one: /bin/sh starts, and execs tagpolicy with git's lines on stdin
row() {
	if test -n "${3:-}"
	then
		shown="sh -c 'exec tagpolicy hook pre-push <$3'"
		t=$(median_ms "$2" "sh -c 'exec $tp hook pre-push <$work/$3'")
	else
		shown="git rev-parse HEAD"
		t=$(median_ms "$2" "git rev-parse HEAD")
	fi
	ms=${t% *}
	cpu=${t#* }
	test -n "$floor" || floor=$ms
	test -n "$cfloor" || cfloor=$cpu
	printf '%-12s %-46s %7s ms %5sx %6s ms %5sx\n' "$1" "$shown" "$ms" \
		"$(awk -v a="$ms" -v b="$floor" 'BEGIN { printf "%.1f", a / b }')" \
		"$cpu" "$(awk -v a="$cpu" -v b="$cfloor" 'BEGIN {
			if (b + 0 > 0) printf "%.1f", a / b; else printf "-" }')"
}
row floor "$loose"
row branch "$loose" branch.in
row tag "$loose" tag.in
row "tag,packed" "$packed" tag.in
row "tag,graph" "$graph" tag.in
row blocked "$packed" low.in
