#!/bin/sh
# next-bench.sh: how long "what is the next version?" takes on large
# histories, with `tagpolicy next` against
#
#   floor   git describe --tags --abbrev=0, then git log --format=%B TAG..HEAD
#           read by a ten-line awk (the least work any tool must do: find the
#           last tag, read the messages since it)
#   cliff   git-cliff --bumped-version --unreleased (npm package git-cliff),
#           configured to the same rules: feat minor, fix patch, breaking
#           major; and without --unreleased, which reads every release of
#           the whole history
#   crb     conventional-recommended-bump (npm) with the conventionalcommits
#           preset and a whatBump of the same rules, plus semver.inc
#
# on repositories from bench/gen-history.sh (1k, 10k and 100k commits; 1M
# with --1m), each first without and then with a commit-graph file
# (`git commit-graph write --reachable`).  Every tool's answer must be the
# same tag.  Prints one markdown table (median wall time over the runs,
# peak RSS from /usr/bin/time, the ratio to the floor) and writes it to
# bench/out/next/results.md.  git-cliff over the whole history runs at 1k
# and 10k only (it grows with commits times tags: about nine minutes at
# 100k); --cliff-100k adds that one run at 100k.
#
# The npm packages go to bench/node_modules on first use (not part of the
# repository); without node and npm those columns say "skipped".
# Repositories are kept in bench/out/next/ and reused by later runs.
#
# usage: bench/next-bench.sh [--1m] [--cliff-100k] [--runs N]
#        TAGPOLICY=path/to/tagpolicy (default: ./tagpolicy, else
#        build/tagpolicy)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$here/out/next
sizes="1000 10000 100000"
runs=5
cliff100k=0
while [ $# -gt 0 ]
do
	case $1 in
	--1m) sizes="$sizes 1000000" ;;
	--cliff-100k) cliff100k=1 ;;
	--runs) runs=$2; shift ;;
	*) echo "usage: $0 [--1m] [--cliff-100k] [--runs N]" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "${TAGPOLICY:-}" ]
then
	TAGPOLICY=$top/tagpolicy
	[ -x "$TAGPOLICY" ] || TAGPOLICY=$top/build/tagpolicy
fi
[ -x "$TAGPOLICY" ] || {
	echo "$0: no tagpolicy binary (build it, or set TAGPOLICY)" >&2
	exit 2
}
[ -x /usr/bin/time ] || {
	echo "$0: needs /usr/bin/time (apt-get install time)" >&2
	exit 2
}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Isolated from the caller's git configuration, like the tests.
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
TAGPOLICY_CONFIG=
export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL TAGPOLICY_CONFIG
unset SOURCE_DATE_EPOCH GIT_DIR 2>/dev/null || :

node_ok=0
if command -v node >/dev/null && command -v npm >/dev/null
then
	if ! test -d "$here/node_modules/git-cliff" ||
	   ! test -d "$here/node_modules/conventional-recommended-bump" ||
	   ! test -d "$here/node_modules/conventional-changelog-conventionalcommits" ||
	   ! test -d "$here/node_modules/semver"
	then
		# one install for every package bench/ uses: npm drops the
		# packages it is not told about
		npm install --silent --no-save --no-package-lock \
			--prefix "$here" semver git-cliff \
			conventional-recommended-bump \
			conventional-changelog-conventionalcommits \
			>/dev/null 2>&1 || :
	fi
	test -x "$here/node_modules/.bin/git-cliff" &&
	test -d "$here/node_modules/conventional-recommended-bump" &&
	node_ok=1
fi

cat >"$work/cliff.toml" <<'EOF'
[changelog]
body = ""
[git]
conventional_commits = true
filter_unconventional = false
tag_pattern = "^v[0-9]+\\.[0-9]+\\.[0-9]+$"
[bump]
features_always_bump_minor = true
breaking_always_bump_major = true
EOF

cat >"$work/crb.mjs" <<'EOF'
// The bump rules of tagpolicy's default policy: a breaking change is
// major, feat minor, fix patch, any other commit nothing.
const [nm, dir] = process.argv.slice(2);
const { Bumper } =
	await import(nm + '/conventional-recommended-bump/dist/index.js');
const semver = (await import(nm + '/semver/index.js')).default;
const bumper = new Bumper(dir).loadPreset('conventionalcommits');
const tag = await bumper.getLastSemverTag();
const rec = await bumper.bump((commits) => {
	let level = null;
	for (const c of commits) {
		const t = (c.type || '').toLowerCase();
		if (c.notes.length > 0 ||
		    /^[A-Za-z]+(\([^()\r\n]+\))?!: /.test(c.header || ''))
			level = 0;
		else if (t === 'feat' && (level === null || level > 1))
			level = 1;
		else if (t === 'fix' && level === null)
			level = 2;
	}
	return level === null ? null : { level };
});
console.log(rec.releaseType ? 'v' + semver.inc(tag, rec.releaseType) : tag);
EOF

cat >"$work/floor.sh" <<'EOF'
tag=$(git describe --tags --abbrev=0) &&
git log --format=%B "$tag..HEAD" | awk -v tag="$tag" '
/^[A-Za-z]+([(][^()]*[)])?!: / { b = 3 }
/^BREAKING[ -]CHANGE: / { b = 3 }
/^[Ff][Ee][Aa][Tt]([(][^()]*[)])?: / { if (b < 2) b = 2 }
/^[Ff][Ii][Xx]([(][^()]*[)])?: / { if (b < 1) b = 1 }
END {
	split(substr(tag, 2), v, ".")
	if (b == 3) { v[1]++; v[2] = 0; v[3] = 0 }
	else if (b == 2) { v[2]++; v[3] = 0 }
	else if (b == 1) v[3]++
	printf "v%d.%d.%d\n", v[1], v[2], v[3]
}'
EOF

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# measure NAME RUNS DIR CMD...: runs CMD in DIR; leaves the median wall
# time (ms) in $ms, the peak RSS (MB) in $mb and the output in $ans.
measure() {
	m_name=$1 m_runs=$2 m_dir=$3
	shift 3
	: >"$work/times"
	peak=0
	i=0
	while [ "$i" -lt "$m_runs" ]
	do
		t0=$(now_ms)
		(cd "$m_dir" && /usr/bin/time -f %M -o "$work/rss" "$@" \
			>"$work/ans" 2>"$work/err") || {
			echo "$0: $m_name failed in $m_dir:" >&2
			cat "$work/err" >&2
			exit 1
		}
		t1=$(now_ms)
		echo $((t1 - t0)) >>"$work/times"
		kb=$(tail -n 1 "$work/rss")
		[ "$kb" -gt "$peak" ] && peak=$kb
		i=$((i + 1))
	done
	ms=$(sort -n "$work/times" | awk '{ t[NR] = $1 } END {
		print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
	mb=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
	ans=$(cat "$work/ans")
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b > 0) printf "%.2f", a / b; else print "-" }'
}

tags_for() {
	case $1 in
	1000) echo 10 ;;
	10000) echo 100 ;;
	*) echo 1000 ;;
	esac
}

label() {
	case $1 in
	1000) echo 1k ;;
	10000) echo 10k ;;
	100000) echo 100k ;;
	1000000) echo 1M ;;
	*) echo "$1" ;;
	esac
}

for n in $sizes
do
	repo=$out/h$n
	if ! test -d "$repo"
	then
		echo "# generating $(label "$n") commits ..." >&2
		sh "$here/gen-history.sh" "$repo" "$n" "$(tags_for "$n")"
	fi
done

{
	echo "tagpolicy: $("$TAGPOLICY" --version); $(git --version)"
	if [ "$node_ok" = 1 ]
	then
		echo "git-cliff: $("$here/node_modules/.bin/git-cliff" --version 2>/dev/null | head -n 1);" \
			"conventional-recommended-bump $(node -p "require('$here/node_modules/conventional-recommended-bump/package.json').version");" \
			"node $(node --version)"
	fi
	echo "runs per cell: $runs (3 at 1M; git-cliff over the whole history: 3); time: median wall ms; RSS: peak MB"
	echo
	echo "| commits | commit-graph | tagpolicy next | floor (describe + log) | git-cliff --unreleased | git-cliff, whole history | conventional-recommended-bump | tagpolicy / floor | answer |"
	echo "|---|---|---|---|---|---|---|---|---|"
} | tee "$out/results.md"

for graph in no yes
do
	for n in $sizes
	do
		repo=$out/h$n
		rm -f "$repo/.git/objects/info/commit-graph"
		rm -rf "$repo/.git/objects/info/commit-graphs"
		if [ "$graph" = yes ]
		then
			git -C "$repo" commit-graph write --reachable 2>/dev/null
		fi
		r=$runs
		[ "$n" -ge 1000000 ] && r=3
		measure tagpolicy "$r" "$repo" "$TAGPOLICY" next
		tp_ms=$ms tp_mb=$mb want=$ans
		measure floor "$r" "$repo" sh "$work/floor.sh"
		fl_ms=$ms fl_mb=$mb
		agree=yes
		[ "$ans" = "$want" ] || agree="no: floor says $ans"
		cliffu="skipped" cliff="skipped" crb="skipped"
		if [ "$node_ok" = 1 ]
		then
			measure git-cliff "$r" "$repo" \
				"$here/node_modules/.bin/git-cliff" \
				--config "$work/cliff.toml" --bumped-version \
				--unreleased
			cliffu="$ms ms, $mb MB"
			[ "$ans" = "$want" ] ||
				agree="no: git-cliff --unreleased says $ans"
			if [ "$n" -lt 100000 ] ||
			   { [ "$n" -eq 100000 ] && [ "$cliff100k" = 1 ] &&
			     [ "$graph" = no ]; }
			then
				cr=3
				[ "$n" -ge 100000 ] && cr=1
				measure git-cliff "$cr" "$repo" \
					"$here/node_modules/.bin/git-cliff" \
					--config "$work/cliff.toml" --bumped-version
				cliff="$ms ms, $mb MB"
				[ "$cr" = 1 ] && cliff="$cliff (1 run)"
				[ "$ans" = "$want" ] ||
					agree="no: git-cliff says $ans"
			fi
			measure crb "$r" "$repo" node "$work/crb.mjs" \
				"$here/node_modules" .
			crb="$ms ms, $mb MB"
			[ "$ans" = "$want" ] || agree="no: crb says $ans"
		fi
		echo "| $(label "$n") | $graph | $tp_ms ms, $tp_mb MB | $fl_ms ms, $fl_mb MB | $cliffu | $cliff | $crb | $(ratio "$tp_ms" "$fl_ms") | $want ($agree) |" |
			tee -a "$out/results.md"
		case $agree in
		yes) ;;
		*) echo "$0: the tools disagree at $(label "$n")" >&2; exit 1 ;;
		esac
	done
done
