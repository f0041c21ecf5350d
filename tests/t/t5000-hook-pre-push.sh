#!/bin/sh
# tagpolicy hook pre-push: the decisions, fed git's input by hand (the
# end-to-end pushes are in t5100), every row of tests/vectors/prepush.tsv,
# the command line and the pre-commit framework's variables.
. "$(dirname "$0")/test-lib.sh"

Z=0000000000000000000000000000000000000000

# push_line LOCAL-REV REMOTE-REF [REMOTE-REV]: a pre-push line of repo
push_line () {
	old=$Z &&
	if test $# -gt 2
	then
		old=$(git -C repo rev-parse "$3")
	fi &&
	printf '%s %s %s %s\n' "$1" "$(git -C repo rev-parse "$1")" "$2" $old
}

test_expect_success 'setup' '
	git init -q repo &&
	(
		cd repo &&
		test_commit one &&
		git tag -a -m "release 1.0.0" v1.0.0 &&
		test_commit two &&
		git tag -a -m "release 1.1.0" v1.1.0 &&
		test_commit three &&
		git tag -a -m bad v1.2 &&
		git tag v1.2.0 &&
		git tag -a -m "release 0.9.0" v0.9.0 &&
		git tag -a -m old build-1
	) &&
	cat >loose.yml <<-\EOF
	version: 1
	kinds: {release: "v{semver}", build: "build-{major}"}
	scopes: {git: [release, build], image: []}
	rules: {annotated: warning}
	EOF
'

# Each row of the vectors, and what the command decides.  Their object ids
# are in no repository here, so a push with a tag to create or move cannot
# be checked and fails closed (3), and so does any tag in SHA-256 ids; a
# delete needs no object: pp07 deletes release v1.0.0, which immutable
# forbids (1); a push without tags passes at once (0), even outside a
# repository, since nothing is opened; malformed input is 2.
cat >codes <<\EOF
pp01 0
pp02 0
pp03 3
pp04 3
pp05 0
pp06 0
pp07 1
pp08 3
pp09 0
pp10 0
pp11 0
pp12 3
pp13 3
pp14 3
pp15 2
pp16 3
pp17 0
pp18 3
pp19 3
pp20 2
pp21 2
pp22 0
EOF

test_expect_success 'every row of prepush.tsv' '
	mkdir -p plain rows &&
	awk -F "\t" "NR > 1 {
		print \$1 >\"rows/ids\"
		printf \"%s\", \$2 >(\"rows/desc.\" \$1)
		printf \"%s\", \$3 >(\"rows/a1.\" \$1)
		printf \"%s\", \$4 >(\"rows/a2.\" \$1)
		printf \"%s\", \$5 >(\"rows/in.\" \$1)
	}" "$SRCDIR/tests/vectors/prepush.tsv" &&
	cut -d" " -f1 codes >want-ids &&
	test_cmp want-ids rows/ids &&
	while read -r id code
	do
		printf "%b" "$(cat rows/in.$id)" >in.$id &&
		where=repo &&
		if test $code = 0
		then
			where=plain
		fi &&
		(
			cd $where &&
			GIT_CEILING_DIRECTORIES=$TRASH &&
			export GIT_CEILING_DIRECTORIES &&
			tagpolicy hook pre-push "$(cat ../rows/a1.$id)" \
				"$(cat ../rows/a2.$id)" \
				<../in.$id >../out.$id 2>../err.$id
			echo $? >../rc.$id
		) &&
		if test "$(cat rc.$id)" != $code
		then
			echo "$id ($(cat rows/desc.$id)): exit $(cat rc.$id), want $code" &&
			cat err.$id &&
			return 1
		fi &&
		test_must_be_empty out.$id &&
		case $code in
		0) test_must_be_empty err.$id ;;
		1) test_grep "^error: tag .* \[immutable\]$" err.$id ;;
		2) test_grep "^tagpolicy: error: line 1: " err.$id ;;
		3) if grep -Eq "[0-9a-f]{64}" in.$id
		   then
			test_grep "SHA-256" err.$id
		   else
			test_grep "^tagpolicy: error: cannot check tag " err.$id
		   fi ;;
		esac || return 1
	done <codes
'

test_expect_success 'a valid tag passes in silence' '
	push_line v1.1.0 refs/tags/v1.1.0 >in &&
	(cd repo && tagpolicy hook pre-push origin ../srv.git <../in >../out 2>../err) &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success '-v says what was checked' '
	push_line v1.1.0 refs/tags/v1.1.0 >in &&
	push_line main refs/heads/main >>in &&
	(cd repo && tagpolicy -v hook pre-push <../in 2>../err) &&
	cat >expect <<-\EOF &&
	ok: tag '\''v1.1.0'\'' (pre-push): release (semver=1.1.0)
	tagpolicy: 1 tag checked, 0 warnings (policy: built-in default)
	EOF
	test_cmp expect err
'

test_expect_success 'a blocked push prints every reason, on stderr, then exit 1' '
	push_line v1.2 refs/tags/v1.2 >in &&
	push_line v0.9.0 refs/tags/v0.9.0 >>in &&
	push_line v1.1.0 refs/tags/v1.1.0 >>in &&
	printf "(delete) %s refs/tags/v1.0.0 %s\n" $Z \
		"$(git -C repo rev-parse v1.0.0)" >>in &&
	(cd repo && test_expect_code 1 tagpolicy hook pre-push origin u <../in >../out 2>../err) &&
	test_must_be_empty out &&
	cat >expect <<-\EOF &&
	error: tag '\''v1.2'\'' (pre-push): does not match any allowed kind [kind]
	hint: tag it as '\''v1.2.0'\''
	error: tag '\''v0.9.0'\'' (pre-push): is not greater than '\''v1.2.0'\'', a release tag in its own history [monotonic]
	hint: '\''v1.2.0'\'' is already released in this history; the next release is at least '\''v1.2.1'\'' (tagpolicy next prints it)
	error: tag '\''v1.0.0'\'' (pre-push): would be deleted; tags of kind '\''release'\'' are never moved or deleted [immutable]
	hint: keep it: a tag of kind '\''release'\'' stays once it is pushed; retire a release by publishing a newer one
	tagpolicy: push blocked: 3 errors in 3 of 4 tags (policy: built-in default); nothing was pushed
	EOF
	test_cmp expect err
'

test_expect_success 'warnings are printed and the push goes on; -q hides them' '
	push_line v1.2.0 refs/tags/v1.2.0 >in &&
	(cd repo && tagpolicy -p ../loose.yml hook pre-push <../in 2>../err) &&
	cat >expect <<-EOF &&
	warning: tag '\''v1.2.0'\'' (pre-push): is a lightweight tag; release tags are annotated (git tag -a) [annotated]
	hint: annotate it: git tag -f -a -m v1.2.0 v1.2.0 $(git -C repo rev-parse --short=12 v1.2.0)
	EOF
	test_cmp expect err &&
	(cd repo && tagpolicy -q -p ../loose.yml hook pre-push <../in 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'a moved protected tag is blocked; another kind may move' '
	push_line v1.0.0 refs/tags/v1.0.0 v1.1.0 >in &&
	push_line build-1 refs/tags/build-1 v1.1.0 >>in &&
	(cd repo && test_expect_code 1 tagpolicy -p ../loose.yml hook pre-push <../in 2>../err) &&
	c1=$(git -C repo rev-parse --short=12 v1.1.0^{commit}) &&
	c0=$(git -C repo rev-parse --short=12 v1.0.0^{commit}) &&
	test_grep "^error: tag '\''v1.0.0'\'' (pre-push): would move from $c1 to $c0; tags of kind '\''release'\'' are never moved or deleted \[immutable\]$" err &&
	! grep build-1 err
'

test_expect_success 'deleting is checked only against immutable' '
	printf "(delete) %s refs/tags/V1_bad %s\n" $Z \
		"$(git -C repo rev-parse v1.0.0)" >in &&
	printf "(delete) %s refs/tags/build-1 %s\n" $Z \
		"$(git -C repo rev-parse v1.0.0)" >>in &&
	(cd repo && tagpolicy -p ../loose.yml hook pre-push <../in 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'branch pushes pass at once: not even the policy is read' '
	echo "version: 2" >bad.yml &&
	push_line main refs/heads/main >in &&
	(cd repo && tagpolicy -p ../bad.yml hook pre-push <../in 2>../err) &&
	test_must_be_empty err &&
	push_line v1.1.0 refs/tags/v1.1.0 >>in &&
	(cd repo && test_expect_code 2 tagpolicy -p ../bad.yml hook pre-push <../in 2>../err) &&
	test_grep "bad.yml" err
'

test_expect_success 'a long input is read to its end' '
	c=$(git -C repo rev-parse HEAD) &&
	i=0 &&
	while test $i -lt 3000
	do
		echo "refs/heads/b$i $c refs/heads/b$i $Z"
		i=$((i + 1))
	done >in &&
	push_line v1.2 refs/tags/v1.2 >>in &&
	(cd repo && test_expect_code 1 tagpolicy hook pre-push <../in 2>../err) &&
	test_grep "tag '\''v1.2'\''" err
'

test_expect_success 'SHA-256 ids: exit 3 with a clear message' '
	a=$(printf "%064d" 0 | tr 0 a) &&
	z=$(printf "%064d" 0) &&
	echo "refs/tags/v2.0.0 $a refs/tags/v2.0.0 $z" >in &&
	(cd repo && test_expect_code 3 tagpolicy hook pre-push <../in 2>../err) &&
	test_grep "SHA-256" err &&
	echo "refs/heads/main $a refs/heads/main $z" >in &&
	(cd repo && tagpolicy hook pre-push <../in 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'a SHA-256 repository: exit 3' '
	git init -q --object-format=sha256 sha &&
	(
		cd sha &&
		test_commit one &&
		git tag -a -m r v1.0.0 &&
		printf "refs/tags/v1.0.0 %s refs/tags/v1.0.0 %064d\n" \
			"$(git rev-parse v1.0.0)" 0 >../in &&
		test_expect_code 3 tagpolicy hook pre-push <../in 2>../err
	) &&
	test_grep "SHA-256" err
'

test_expect_success 'the pre-commit framework: its variables stand for stdin' '
	: >empty &&
	(
		cd repo &&
		PRE_COMMIT_REMOTE_BRANCH=refs/tags/v1.2 &&
		PRE_COMMIT_LOCAL_BRANCH=refs/tags/v1.2 &&
		PRE_COMMIT_TO_REF=$(git rev-parse v1.2) &&
		export PRE_COMMIT_REMOTE_BRANCH PRE_COMMIT_LOCAL_BRANCH \
			PRE_COMMIT_TO_REF &&
		test_expect_code 1 tagpolicy hook pre-push <../empty 2>../err
	) &&
	test_grep "tag '\''v1.2'\'' (pre-push): does not match" err &&
	(
		cd repo &&
		PRE_COMMIT_REMOTE_BRANCH=refs/tags/v0.9.0 &&
		PRE_COMMIT_LOCAL_BRANCH=v0.9.0 &&
		export PRE_COMMIT_REMOTE_BRANCH PRE_COMMIT_LOCAL_BRANCH &&
		test_expect_code 1 tagpolicy hook pre-push <../empty 2>../err
	) &&
	test_grep "tag '\''v0.9.0'\'' (pre-push): is not greater" err &&
	(
		cd repo &&
		PRE_COMMIT_REMOTE_BRANCH=refs/heads/main &&
		PRE_COMMIT_TO_REF=$(git rev-parse v1.2) &&
		export PRE_COMMIT_REMOTE_BRANCH PRE_COMMIT_TO_REF &&
		tagpolicy hook pre-push <../empty 2>../err
	) &&
	test_must_be_empty err
'

test_expect_success 'usage errors' '
	test_expect_code 2 tagpolicy hook 2>err &&
	test_grep "no hook given" err &&
	test_expect_code 2 tagpolicy hook pre-pusj 2>err &&
	test_grep "unknown hook '\''pre-pusj'\''" err &&
	test_expect_code 2 tagpolicy hook pre-push a b c </dev/null 2>err &&
	test_grep "at most REMOTE and URL" err &&
	test_expect_code 2 tagpolicy hook pre-receive x </dev/null 2>err &&
	test_expect_code 2 tagpolicy hook update refs/tags/x 2>err &&
	test_grep "expected REF OLD NEW" err &&
	test_expect_code 2 tagpolicy hook update refs/tags/x 12 34 2>err &&
	test_grep "invalid arguments" err &&
	test_expect_code 2 tagpolicy hook install --nope 2>err
'

test_expect_success 'help: the hook command and each hook' '
	tagpolicy hook --help >out &&
	test_grep "hook pre-push \[REMOTE \[URL\]\]" out &&
	test_grep "hook update REF OLD NEW" out &&
	tagpolicy hook install --help >out &&
	test_grep "\-\-force" out &&
	tagpolicy help hook >out &&
	test_grep "hook uninstall" out &&
	tagpolicy --help >out &&
	test_grep "^  hook " out
'

test_done
