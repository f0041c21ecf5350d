#!/bin/sh
# check-bench.sh: `tagpolicy check -` on a million mixed tags, against the
# floor of `grep -cP` with the SemVer regex and node-semver's valid() over
# the same list.  Prints a markdown table: the median (and least) wall
# time of each over RUNS runs, the median CPU time and the peak RSS of the
# command (from /usr/bin/time, when there is one), and the ratios to grep.
#
#   sh bench/check-bench.sh [TAGPOLICY [BEFORE]]
#
# TAGPOLICY defaults to ./build/tagpolicy, then ./tagpolicy; BEFORE, another
# build (an older commit's), adds its rows, measured in the same rounds.
# RUNS (default 5) and TAGS (default 1000000) may be set in the
# environment.  node-semver is installed into bench/node_modules with npm
# on first use (not part of the repository); without node and npm that row
# is skipped.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-5}
ntags=${TAGS:-1000000}
tp=${1:-}
old=${2:-}
if test -z "$tp"
then
	for c in "$top/build/tagpolicy" "$top/tagpolicy"
	do
		test -x "$c" && tp=$c && break
	done
fi
if test -z "$tp" || ! test -x "$tp"
then
	echo "check-bench: no tagpolicy binary (build it, or pass its path)" >&2
	exit 2
fi
if test -n "$old" && ! test -x "$old"
then
	echo "check-bench: '$old' is not a tagpolicy binary" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
list=$work/tags.txt

# The list: the tag shapes of the built-in policy's image scope in
# realistic proportions, plus about 10% that fail (a leading v, zero-padded
# numbers, build metadata, branch names).  awk's generator is seeded, so a
# machine makes the same list every time.
awk -v n="$ntags" 'BEGIN {
	srand(42)
	split("rc beta alpha", pre, " ")
	split("dev staging prod", env, " ")
	for (i = 0; i < n; i++) {
		r = rand()
		M = int(rand() * 31); m = int(rand() * 100); p = int(rand() * 1000)
		d = sprintf("2026%02d%02d", 1 + int(rand() * 10), 1 + int(rand() * 28))
		if (r < 0.35)      t = M "." m "." p
		else if (r < 0.50) t = M "." m "." p "-" pre[1 + int(rand() * 3)] "." (1 + int(rand() * 20))
		else if (r < 0.60) t = sprintf("%d.%d.%d-%07x", M, m, p, int(rand() * 268435456))
		else if (r < 0.68) t = "v" M "." m "." p "-" env[1 + int(rand() * 3)]
		else if (r < 0.74) t = M "." m
		else if (r < 0.78) t = M
		else if (r < 0.84) t = d
		else if (r < 0.88) t = "prod-" d
		else if (r < 0.90) t = "latest"
		else if (r < 0.94) t = "v" M "." m "." p
		else if (r < 0.96) t = M "." m "." p "+build." int(rand() * 1000)
		else if (r < 0.98) t = sprintf("%02d.%d.%d", M, m, p)
		else               t = sprintf("feature-%x", int(rand() * 1048576))
		print t
	}
}' >"$list"

semver_re='^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$'

node_ok=0
if command -v node >/dev/null && command -v npm >/dev/null
then
	if ! test -d "$here/node_modules/semver"
	then
		npm install --silent --no-save --no-package-lock \
			--prefix "$here" semver >/dev/null 2>&1
	fi
	test -d "$here/node_modules/semver" && node_ok=1
fi
cat >"$work/valid.js" <<'EOF'
const semver = require(process.argv[2]);
const lines = require('fs').readFileSync(process.argv[3], 'latin1')
	.split('\n');
let n = 0;
for (const l of lines)
	if (l !== '' && semver.valid(l) !== null)
		n++;
console.log(n);
EOF

# The commands run in rounds, each round running every command once, so
# that a machine shared with other work slows them alike; RUNS rounds,
# every other one in the reverse order: a command runs faster or slower
# for the one before it (the memory it just gave back), which would
# otherwise favour one of two builds.
# The wall time is taken around the whole pipeline; /usr/bin/time (when
# there is one) wraps the command itself and gives its CPU time (user +
# system) and peak RSS, which matter where wall times swing with the load.
if test -x /usr/bin/time
then
	timer="/usr/bin/time -f %U,%S,%M -o $work/time"
else
	timer=
fi

median () {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else print int((v[NR / 2] + v[NR / 2 + 1]) / 2)
	}'
}

ratio () {
	if test -n "$1" && test -n "$2" && test "$2" -gt 0
	then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'
	fi
}

run_grep () { $timer grep -cP "$semver_re" "$list" | cat >/dev/null; }
run_check () { $timer "$tp" check - <"$list" | cat >/dev/null; }
run_check_q () { $timer "$tp" -q check - <"$list" | cat >/dev/null; }
run_check_json () {
	$timer "$tp" check --format json - <"$list" | cat >/dev/null
}
run_old_check () { $timer "$old" check - <"$list" | cat >/dev/null; }
run_old_check_q () { $timer "$old" -q check - <"$list" | cat >/dev/null; }
run_old_check_json () {
	$timer "$old" check --format json - <"$list" | cat >/dev/null
}
run_node () {
	$timer node "$work/valid.js" "$here/node_modules/semver" "$list"
}

# once FUNCTION: one run, its wall ms, CPU ms and RSS KiB appended to the
# function's files.
once () {
	t0=$(date +%s%N)
	"$1" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000)) >>"$work/$1.walls"
	if test -n "$timer" && test -s "$work/time"
	then
		# the last line: tagpolicy's exit 1 adds one before it
		tail -n 1 "$work/time" | awk -F, '{
			printf "%d\n", ($1 + $2) * 1000 }' >>"$work/$1.cpus"
		tail -n 1 "$work/time" | awk -F, '{ print $3 }' \
			>>"$work/$1.rsss"
	fi
	rm -f "$work/time"
}

# row NAME FUNCTION: the table row of FUNCTION's runs.
row () {
	touch "$work/$2.walls" "$work/$2.cpus" "$work/$2.rsss"
	wall=$(median <"$work/$2.walls")
	wmin=$(sort -n "$work/$2.walls" | head -n 1)
	cpu=$(median <"$work/$2.cpus")
	rss=$(sort -n "$work/$2.rsss" | tail -n 1)
	test -n "$grep_wall" || grep_wall=$wall
	test -n "$grep_cpu" || grep_cpu=$cpu
	printf '| %s | %s ms (%s) | %s | %s | %s | %s |\n' "$1" "$wall" \
		"$wmin" "$(ratio "$wall" "$grep_wall")" \
		"${cpu:+$cpu ms}" "$(ratio "$cpu" "$grep_cpu")" \
		"${rss:+$((rss / 1024)) MB}"
}

echo "tags: $(wc -l <"$list") ($(wc -c <"$list") bytes); runs: $runs;" \
	"binary: $tp${old:+; before: $old}"
echo "grep -cP counts $(grep -cP "$semver_re" "$list") SemVer lines;" \
	"check: $("$tp" -q check - <"$list" | tail -n 1)"
if test "$node_ok" = 1
then
	echo "node-semver $(node -p "require('$here/node_modules/semver/package.json').version") valid(): $(node "$work/valid.js" "$here/node_modules/semver" "$list") valid"
fi

cmds="run_grep run_check run_check_q run_check_json"
test -z "$old" ||
	cmds="$cmds run_old_check run_old_check_q run_old_check_json"
test "$node_ok" != 1 || cmds="$cmds run_node"
rcmds=
for c in $cmds
do
	rcmds="$c $rcmds"
done
i=0
while test $i -lt "$runs"
do
	if test $((i % 2)) = 0
	then
		order=$cmds
	else
		order=$rcmds
	fi
	for c in $order
	do
		once "$c"
	done
	i=$((i + 1))
done

echo
echo "| command | wall, median (min) | vs grep | CPU, median | vs grep | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
grep_wall= grep_cpu=
row '`grep -cP SEMVER_RE list \| cat`' run_grep
row '`tagpolicy check - <list \| cat`' run_check
row '`tagpolicy -q check - <list \| cat`' run_check_q
row '`tagpolicy check --format json - <list \| cat`' run_check_json
if test -n "$old"
then
	row 'before: `check`' run_old_check
	row 'before: `-q check`' run_old_check_q
	row 'before: `check --format json`' run_old_check_json
fi
if test "$node_ok" = 1
then
	row '`node valid.js` (node-semver `valid()`)' run_node
else
	echo "| node-semver: skipped (no node or npm, or the install failed) |"
fi
