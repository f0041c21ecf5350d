#!/bin/sh
# The two ways tagpolicy reads a repository give one answer: a plain
# repository is read from its files without loading libgit2 (when the
# build loads libgit2 on demand), anything else (a linked worktree, shared
# objects, trees for --component) through libgit2.
. "$(dirname "$0")/test-lib.sh"

# loads_libgit2 COMMAND...: 0 when running COMMAND loads libgit2.  The
# dynamic loader says what it loads when LD_DEBUG=files.
loads_libgit2 () {
	LD_DEBUG=files "$TAGPOLICY" "$@" 2>ld.out >/dev/null
	grep "file=libgit2" ld.out >/dev/null
}

# Whether the loader can be asked: not under valgrind (which loads the
# binary itself), and only where libgit2 is loaded on demand.
on_demand=yes
test -z "${TP_VALGRIND:-}" || on_demand=no
if command -v ldd >/dev/null && ldd "$TAGPOLICY" | grep libgit2 >/dev/null
then
	on_demand=no
fi

test_expect_success 'setup: releases, lightweight and annotated tags' '
	git init -q repo &&
	(
		cd repo &&
		test_commit "chore: start" &&
		git tag v0.9.0 &&
		test_commit "feat: search" &&
		git tag -a -m "release 1.0.0" v1.0.0 &&
		test_commit "fix: crash" &&
		git tag -a -m "nested" nested v1.0.0 &&
		test_commit "feat: filters" &&
		test_commit "fix: typo" &&
		tagpolicy next >../expect.next &&
		tagpolicy current >../expect.current &&
		tagpolicy next --format json >../expect.json
	) &&
	echo v1.1.0 >expect &&
	test_cmp expect expect.next &&
	echo v1.0.0 >expect &&
	test_cmp expect expect.current
'

if test "$on_demand" = yes
then
	test_expect_success 'next on a plain repository does not load libgit2' '
		(cd repo && ! loads_libgit2 next) &&
		(cd repo && ! loads_libgit2 current)
	'

	test_expect_success 'a pre-push of a release tag does not load libgit2' '
		test_when_finished "git -C repo tag -d v1.1.0 >/dev/null" &&
		(
			cd repo &&
			git tag -a -m "release 1.1.0" v1.1.0 &&
			id=$(git rev-parse v1.1.0) &&
			zero=0000000000000000000000000000000000000000 &&
			echo "refs/tags/v1.1.0 $id refs/tags/v1.1.0 $zero" >push.in &&
			LD_DEBUG=files "$TAGPOLICY" hook pre-push origin x \
				<push.in 2>ld.out &&
			! grep "file=libgit2" ld.out
		)
	'

	test_expect_success 'a question that needs trees loads libgit2' '
		cat >comp.yml <<-\EOF &&
		version: 1
		extends: [default]
		components:
		  api: {kind: "api/v{semver}", paths: [src/]}
		EOF
		(cd repo && loads_libgit2 -p ../comp.yml next --component api)
	'
else
	test_skip 'next on a plain repository does not load libgit2' \
		'libgit2 is linked, or runs under valgrind'
	test_skip 'a pre-push of a release tag does not load libgit2' \
		'libgit2 is linked, or runs under valgrind'
	test_skip 'a question that needs trees loads libgit2' \
		'libgit2 is linked, or runs under valgrind'
fi

test_expect_success 'packed refs and packed objects: the same answers' '
	git clone -q repo packed &&
	(
		cd packed &&
		git checkout -q main 2>/dev/null;
		git gc -q --aggressive &&
		test -f .git/packed-refs &&
		tagpolicy next >../out &&
		tagpolicy current >../out.current &&
		tagpolicy next --format json >../out.json
	) &&
	test_cmp expect.next out &&
	test_cmp expect.current out.current &&
	test_cmp expect.json out.json
'

test_expect_success 'a linked worktree (libgit2): the same answers' '
	git -C repo worktree add -q ../wt main 2>/dev/null ||
	git -C repo worktree add -q ../wt &&
	(
		cd wt &&
		git checkout -q --detach main &&
		tagpolicy next >../out &&
		tagpolicy next --format json >../out.json
	) &&
	test_cmp expect.next out &&
	test_cmp expect.json out.json
'

test_expect_success 'objects shared with another repository: the same answers' '
	git clone -q --shared repo shared &&
	test -f shared/.git/objects/info/alternates &&
	(cd shared && tagpolicy next >../out) &&
	test_cmp expect.next out
'

test_expect_success 'a ref that is not a valid id: a clear error, exit 3' '
	git clone -q repo broken &&
	(
		cd broken &&
		echo "not an id" >.git/refs/heads/main &&
		test_expect_code 3 tagpolicy next >../out 2>../err
	) &&
	test_must_be_empty out &&
	test_grep "main" err
'

test_expect_success 'a corrupt loose object: a clear error, never a crash' '
	git init -q corrupt &&
	(
		cd corrupt &&
		test_commit "feat: one" &&
		obj=$(git rev-parse HEAD) &&
		f=.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
		chmod u+w "$f" &&
		printf "garbage" >"$f" &&
		test_expect_code 3 tagpolicy next >../out 2>../err
	) &&
	test_grep "error:" err &&
	test_grep "$(git -C corrupt rev-parse HEAD)" err
'

test_done
