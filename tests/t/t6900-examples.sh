#!/bin/sh
# examples/: every file there is exercised by make check (here, or by the
# test script of its feature).  Policies validate and classify the tags
# they describe; the tag and version lists check and sort as they say;
# release.sh cuts releases end to end on a scratch repository with
# DOCKER=echo; housekeeping.sh prints (or, with --delete, acts on) the
# prune plan of a listing from a stand-in skopeo; the CI workflows are
# YAML and call only commands that exist.
. "$(dirname "$0")/test-lib.sh"

EX=$SRCDIR/examples
SOURCE_DATE_EPOCH=1795780800 # 2026-11-27T12:00:00Z
export SOURCE_DATE_EPOCH

# The files this script exercises; a file of examples/ that is not here
# must be used by another test script (named by its path, or by its
# folder for a folder of examples such as examples/hooks/).
cat >mine <<\EOF
ci/github-actions.yml
ci/gitlab-ci.yml
container.tagpolicy.yml
housekeeping.sh
release.sh
tags.txt
versions.txt
EOF

test_expect_success 'every file in examples/ is exercised by a test' '
	(cd "$EX" && find . -type f | sed "s|^\./||" | sort) >files &&
	: >uncovered &&
	while read -r f
	do
		grep -qxF "$f" files || echo "missing: $f" >>uncovered
	done <mine &&
	while read -r f
	do
		grep -qxF "$f" mine && continue
		case $f in
		*/*) pat="examples/${f%/*}/" ;;
		*) pat="examples/$f" ;;
		esac
		grep -lF "$pat" "$SRCDIR"/tests/t/t[0-9]*.sh |
			grep -v t6900 >/dev/null ||
			echo "not exercised: examples/$f" >>uncovered
	done <files &&
	test_must_be_empty uncovered
'

# ------------------------------------------------------------ policies

test_expect_success 'the example policies validate' '
	for f in "$EX"/*.tagpolicy.yml
	do
		tagpolicy policy validate "$f" || return 1
	done
'

test_expect_success 'the container policy: the tags it describes pass' '
	P=$EX/container.tagpolicy.yml &&
	tagpolicy -p "$P" check --scope git v1.4.0 v1.5.0-rc.1 v1.4.0-prod &&
	tagpolicy -p "$P" check --scope image 1.4.0 1.4 1 1.4.0-abc1234 \
		20261127 latest prod-20261127 feature-login-abc1234 \
		>out &&
	test_grep "ok: tag .feature-login-abc1234. (image): branch" out
'

test_expect_success 'the container policy: the tags it forbids fail' '
	P=$EX/container.tagpolicy.yml &&
	for t in V1.4.0 v1.4 v1.5.0-pre.1
	do
		test_expect_code 1 tagpolicy -p "$P" check --scope git "$t" \
			>out || return 1
	done &&
	for t in tmp-abc1234 1.4.0_prod 20261340
	do
		test_expect_code 1 tagpolicy -p "$P" check --scope image "$t" \
			>out || return 1
	done
'

test_expect_success 'versions.txt sorts by SemVer precedence' '
	tagpolicy sort - <"$EX/versions.txt" >out &&
	cat >expect <<-\EOF &&
	0.9.0
	1.2.0-alpha
	1.2.0-rc.2
	1.2.0-rc.10
	1.2.0
	1.9.1
	1.10.0
	2.0.0-beta.1
	99999999999999999999999.0.0
	EOF
	test_cmp expect out
'

test_expect_success 'tags.txt: the good tags pass, each bad one fails' '
	test_expect_code 1 tagpolicy check - <"$EX/tags.txt" >out &&
	sed -n "/^# Good/,/^# Bad/p" "$EX/tags.txt" | grep -v "^#" >good &&
	sed -n "/^# Bad/,\$p" "$EX/tags.txt" | grep -v "^#" >bad &&
	test -s good && test -s bad &&
	while read -r t
	do
		test_grep "^ *ok: tag .$t. (image)" out || return 1
	done <good &&
	while read -r t
	do
		test_grep "^ *error: tag .$t. (image)" out || return 1
	done <bad
'

# ------------------------------------------------------------ release.sh

test_expect_success 'release.sh: setup a project with a remote' '
	sh -n "$EX/release.sh" &&
	git init -q --bare remote.git &&
	git init -q project &&
	(
		cd project &&
		cp "$EX/container.tagpolicy.yml" .tagpolicy.yml &&
		git add .tagpolicy.yml &&
		test_commit "feat: first feature" &&
		git remote add origin ../remote.git &&
		git push -q origin main
	)
'

# release: runs examples/release.sh in the project with DOCKER=echo.
release () {
	(cd project && DOCKER=echo TAGPOLICY=$TAGPOLICY \
		sh "$EX/release.sh" ghcr.io/acme/app "$@")
}

test_expect_success 'release.sh: the first release (0.x: no major tag)' '
	release >out 2>err &&
	s=$(git -C project rev-parse --short=7 HEAD) &&
	i=ghcr.io/acme/app &&
	cat >expect <<-EOF &&
	build -t $i:0.1.0 -t $i:0.1 -t $i:0.1.0-$s -t $i:20261127 -t $i:latest .
	push $i:0.1.0
	push $i:0.1
	push $i:0.1.0-$s
	push $i:20261127
	push $i:latest
	EOF
	test_cmp expect out &&
	test_grep "release.sh: tagged v0.1.0" err &&
	git -C remote.git tag >tags &&
	echo v0.1.0 >expect &&
	test_cmp expect tags &&
	test "$(git -C project cat-file -t v0.1.0)" = tag
'

test_expect_success 'release.sh: nothing to release is exit 0, nothing built' '
	release >out 2>err &&
	test_must_be_empty out &&
	test_grep "nothing to release since v0.1.0" err
'

test_expect_success 'release.sh: a breaking change on 1.x gets every tag' '
	(cd project && git tag -a -m 1.4.0 v1.4.0 && git push -q origin v1.4.0 &&
	 test_commit "feat!: new API") &&
	release >out 2>err &&
	s=$(git -C project rev-parse --short=7 HEAD) &&
	i=ghcr.io/acme/app &&
	echo "build -t $i:2.0.0 -t $i:2.0 -t $i:2 -t $i:2.0.0-$s -t $i:20261127 -t $i:latest ." >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	test "$(grep -c "^push " out)" -eq 6
'

test_expect_success 'release.sh: PRE=rc makes a prerelease, without floating tags' '
	(cd project && test_commit "fix: a crash") &&
	(cd project && PRE=rc DOCKER=echo TAGPOLICY=$TAGPOLICY \
		sh "$EX/release.sh" ghcr.io/acme/app >../out 2>../err) &&
	s=$(git -C project rev-parse --short=7 HEAD) &&
	i=ghcr.io/acme/app &&
	cat >expect <<-EOF &&
	build -t $i:2.0.1-rc.1 -t $i:2.0.1-rc.1-$s .
	push $i:2.0.1-rc.1
	push $i:2.0.1-rc.1-$s
	EOF
	test_cmp expect out
'

test_expect_success 'release.sh: a patch on an old release line gets no latest' '
	(cd project && git checkout -q -b release/1.4 v1.4.0 &&
	 test_commit "fix: backport" && git checkout -q main) &&
	(cd project && git checkout -q release/1.4 &&
	 DOCKER=echo REMOTE= TAGPOLICY=$TAGPOLICY \
		sh "$EX/release.sh" ghcr.io/acme/app >../out 2>../err;
	 rc=$?; git checkout -q main; exit $rc) &&
	head -n 1 out >first &&
	test_grep "^build -t ghcr.io/acme/app:1.4.1 " first &&
	test_grep " -t ghcr.io/acme/app:1 " first &&
	! grep latest out
'

test_expect_success 'release.sh: off a release branch, next --tag refuses' '
	(cd project && git checkout -q -b topic main && test_commit "feat: x" &&
	 test_expect_code 1 env DOCKER=echo TAGPOLICY="$TAGPOLICY" \
		sh "$EX/release.sh" ghcr.io/acme/app >../out 2>../err;
	 rc=$?; git checkout -q main; exit $rc) &&
	test_must_be_empty out &&
	test_grep "\[release-branch\]" err
'

# ------------------------------------------------------------ housekeeping.sh

test_expect_success 'housekeeping.sh: setup a stand-in skopeo' '
	sh -n "$EX/housekeeping.sh" &&
	mkdir bin &&
	cat >bin/skopeo <<-\EOF &&
	#!/bin/sh
	test "$1" = list-tags && test "$2" = docker://ghcr.io/acme/app ||
		{ echo "skopeo: unexpected $*" >&2; exit 1; }
	cat "$LISTING"
	EOF
	chmod +x bin/skopeo &&
	cat >listing.json <<-\EOF
	{"Repository": "ghcr.io/acme/app", "Tags": ["1.1", "1.2", "1.3",
	 "1.4", "2.0", "1.4.0", "1", "latest", "20261101", "20261120",
	 "prod-20261001", "prod-20261120", "v1.4.0-prod", "main-abc1234"]}
	EOF
'

# housekeeping ARGS...: the script with the stand-in on PATH.
housekeeping () {
	PATH=$TRASH/bin:$PATH LISTING=$TRASH/listing.json \
	TAGPOLICY=$TAGPOLICY TAGPOLICY_CONFIG=$EX/container.tagpolicy.yml \
		sh "$EX/housekeeping.sh" "$@"
}

test_expect_success 'housekeeping.sh: prints the plan, deletes nothing' '
	housekeeping ghcr.io/acme/app >out 2>err &&
	cat >expect <<-\EOF &&
	ghcr.io/acme/app:20261101
	ghcr.io/acme/app:prod-20261001
	ghcr.io/acme/app:1.1
	EOF
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'housekeeping.sh: --delete runs the given command per tag' '
	housekeeping --delete "echo rm" ghcr.io/acme/app >out 2>err &&
	cat >expect <<-\EOF &&
	rm ghcr.io/acme/app:20261101
	deleted ghcr.io/acme/app:20261101
	rm ghcr.io/acme/app:prod-20261001
	deleted ghcr.io/acme/app:prod-20261001
	rm ghcr.io/acme/app:1.1
	deleted ghcr.io/acme/app:1.1
	EOF
	test_cmp expect out
'

test_expect_success 'housekeeping.sh: a failed deletion is exit 1, the others go on' '
	cat >bin/flaky <<-\EOF &&
	#!/bin/sh
	case $1 in *:1.1) exit 1 ;; esac
	echo "gone $1"
	EOF
	chmod +x bin/flaky &&
	test_expect_code 1 housekeeping --delete=flaky ghcr.io/acme/app \
		>out 2>err &&
	test_grep "^gone ghcr.io/acme/app:20261101$" out &&
	test_grep "cannot delete ghcr.io/acme/app:1.1" err
'

test_expect_success 'housekeeping.sh: a failed listing deletes nothing' '
	test_expect_code 1 housekeeping --delete "echo rm" docker.io/other \
		>out 2>err &&
	test_must_be_empty out
'

test_expect_success 'housekeeping.sh: usage' '
	test_expect_code 2 housekeeping >out 2>err &&
	test_grep "usage: housekeeping.sh" err &&
	test_expect_code 2 housekeeping --delete >out 2>err &&
	test_expect_code 2 housekeeping --bogus app >out 2>err &&
	housekeeping --help >out &&
	test_grep "never deletes anything" out
'

# ------------------------------------------------------------ CI workflows

if command -v python3 >/dev/null 2>&1 &&
	python3 -c "import yaml" >/dev/null 2>&1
then
	test_expect_success 'the CI workflows are valid YAML' '
		for f in ci/github-actions.yml ci/gitlab-ci.yml
		do
			python3 -c "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); sys.exit(not isinstance(d, dict))" \
				"$EX/$f" || return 1
		done &&
		python3 -c "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); sys.exit(\"jobs\" not in d)" \
			"$EX/ci/github-actions.yml" &&
		python3 -c "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); sys.exit(\"stages\" not in d)" \
			"$EX/ci/gitlab-ci.yml"
	'
else
	test_skip 'the CI workflows are valid YAML' 'python3 with yaml not found'
fi

test_expect_success 'the CI workflows gate with check and publish with tags' '
	for f in ci/github-actions.yml ci/gitlab-ci.yml
	do
		test_grep "tagpolicy check --git" "$EX/$f" &&
		test_grep "tagpolicy tags --image .* --format docker" "$EX/$f" ||
		return 1
	done
'

test_expect_success 'the CI workflows call only commands that exist' '
	cat "$EX/ci/github-actions.yml" "$EX/ci/gitlab-ci.yml" | grep -v "^ *#" |
		sed -n "s/.*tagpolicy \([a-z][a-z-]*\).*/\1/p" | sort -u >cmds &&
	test -s cmds &&
	while read -r c
	do
		tagpolicy "$c" --help >/dev/null || return 1
	done <cmds
'

test_done
