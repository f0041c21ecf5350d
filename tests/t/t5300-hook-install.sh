#!/bin/sh
# tagpolicy hook install / uninstall: where the hook goes (hooks folder,
# core.hooksPath, linked worktrees), writing it atomically and harmlessly
# twice, someone else's hook (refused, --force with a backup), removing.
. "$(dirname "$0")/test-lib.sh"

PATH=$(dirname "$TAGPOLICY"):$PATH
export PATH

test_expect_success 'setup' '
	git init -q --bare srv.git &&
	git init -q repo &&
	(
		cd repo &&
		test_commit one &&
		git remote add origin "$TRASH/srv.git" &&
		mkdir sub
	)
'

test_expect_success 'install writes an executable sh script with the marker' '
	(cd repo/sub && tagpolicy hook install >../../out 2>../../err) &&
	echo "installed $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	test -x repo/.git/hooks/pre-push &&
	test "$(ls -l repo/.git/hooks/pre-push | cut -c1-10)" = "-rwxr-xr-x" &&
	head -n 2 repo/.git/hooks/pre-push >head &&
	printf "#!/bin/sh\n# tagpolicy-hook: pre-push\n" >expect &&
	test_cmp expect head &&
	test_grep "^	exec tagpolicy hook pre-push \"\$@\"$" repo/.git/hooks/pre-push &&
	! ls -a repo/.git/hooks | grep "tagpolicy-"
'

test_expect_success 'git runs it' '
	(
		cd repo &&
		git tag -a -m bad v1.0 &&
		test_must_fail git push origin main v1.0 2>../err
	) &&
	test_grep "v1.0'\'' (pre-push): does not match" err
'

test_expect_success 'installing again is harmless' '
	cp repo/.git/hooks/pre-push before &&
	(cd repo && tagpolicy hook install >../out) &&
	echo "already installed: $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out &&
	test_cmp before repo/.git/hooks/pre-push &&
	(cd repo && tagpolicy -q hook install >../out) &&
	test_must_be_empty out
'

test_expect_success 'someone else'\''s hook: exit 1, untouched' '
	printf "#!/bin/sh\necho mine\n" >repo/.git/hooks/pre-push &&
	cp repo/.git/hooks/pre-push mine &&
	(cd repo && test_expect_code 1 tagpolicy hook install >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "^tagpolicy: error: '\''.*/repo/.git/hooks/pre-push'\'' is a pre-push hook that tagpolicy did not write; it is left as it is$" err &&
	test_grep "^tagpolicy: hint: .*--force" err &&
	test_cmp mine repo/.git/hooks/pre-push
'

test_expect_success '--force keeps it as a backup, never over an earlier one' '
	(cd repo && tagpolicy hook install --force >../out) &&
	cat >expect <<-EOF &&
	kept the previous pre-push hook as $TRASH/repo/.git/hooks/pre-push.tagpolicy-backup
	installed $TRASH/repo/.git/hooks/pre-push
	EOF
	test_cmp expect out &&
	test_cmp mine repo/.git/hooks/pre-push.tagpolicy-backup &&
	test_grep "tagpolicy-hook" repo/.git/hooks/pre-push &&
	printf "#!/bin/sh\necho second\n" >repo/.git/hooks/pre-push &&
	(cd repo && tagpolicy hook install --force >../out) &&
	test_grep "as .*/pre-push.tagpolicy-backup.1$" out &&
	test_cmp mine repo/.git/hooks/pre-push.tagpolicy-backup &&
	test_grep second repo/.git/hooks/pre-push.tagpolicy-backup.1
'

test_expect_success 'uninstall puts the newest backup back' '
	(cd repo && tagpolicy hook uninstall >../out) &&
	echo "removed the pre-push hook; put back $TRASH/repo/.git/hooks/pre-push.tagpolicy-backup.1 as $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out &&
	test_grep second repo/.git/hooks/pre-push &&
	test ! -e repo/.git/hooks/pre-push.tagpolicy-backup.1
'

test_expect_success 'uninstall leaves someone else'\''s hook alone' '
	cp repo/.git/hooks/pre-push before &&
	(cd repo && test_expect_code 1 tagpolicy hook uninstall 2>../err) &&
	test_grep "was not written by tagpolicy; it is left as it is" err &&
	test_cmp before repo/.git/hooks/pre-push
'

test_expect_success 'uninstall without backups removes; with no hook it is a no-op' '
	rm repo/.git/hooks/pre-push repo/.git/hooks/pre-push.tagpolicy-backup &&
	(cd repo && tagpolicy hook install >/dev/null && tagpolicy hook uninstall >../out) &&
	echo "removed $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out &&
	test ! -e repo/.git/hooks/pre-push &&
	(cd repo && tagpolicy hook uninstall >../out) &&
	echo "no pre-push hook to remove: $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out
'

test_expect_success 'core.hooksPath is honoured (relative to the top)' '
	git -C repo config core.hooksPath .githooks &&
	(cd repo/sub && tagpolicy hook install >../../out) &&
	echo "installed $TRASH/repo/.githooks/pre-push" >expect &&
	test_cmp expect out &&
	test ! -e repo/.git/hooks/pre-push &&
	(
		cd repo &&
		test_must_fail git push origin v1.0 2>../err
	) &&
	test_grep "v1.0'\'' (pre-push): does not match" err &&
	(cd repo && tagpolicy hook uninstall >/dev/null) &&
	test ! -e repo/.githooks/pre-push &&
	git -C repo config --unset core.hooksPath
'

test_expect_success 'an absolute core.hooksPath, made when missing' '
	git -C repo config core.hooksPath "$TRASH/shared/hooks" &&
	(cd repo && tagpolicy hook install >../out) &&
	test -x shared/hooks/pre-push &&
	(cd repo && tagpolicy hook uninstall >/dev/null) &&
	git -C repo config --unset core.hooksPath
'

test_expect_success 'a linked worktree shares the repository'\''s hooks' '
	git -C repo worktree add -q ../wt &&
	(cd wt && tagpolicy hook install >../out) &&
	echo "installed $TRASH/repo/.git/hooks/pre-push" >expect &&
	test_cmp expect out &&
	(
		cd wt &&
		git tag -a -m bad v2.0 &&
		test_must_fail git push origin v2.0 2>../err
	) &&
	test_grep "v2.0'\'' (pre-push): does not match" err
'

test_expect_success 'install says when tagpolicy is not on PATH' '
	rm repo/.git/hooks/pre-push &&
	(
		cd repo &&
		PATH=/nonexistent &&
		"$TAGPOLICY" hook install >../out 2>../err
	) &&
	test_grep "^tagpolicy: warning: '\''tagpolicy'\'' is not on PATH: the hook blocks every push until it is$" err &&
	test -x repo/.git/hooks/pre-push
'

test_expect_success 'outside a repository: exit 3' '
	mkdir plain &&
	(
		cd plain &&
		GIT_CEILING_DIRECTORIES=$TRASH &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 3 tagpolicy hook install 2>../err &&
		test_expect_code 3 tagpolicy hook uninstall 2>>../err
	) &&
	test_grep "not a git repository" err &&
	test_expect_code 2 tagpolicy hook install extra 2>err &&
	test_expect_code 2 tagpolicy hook uninstall --force 2>err
'

test_done
