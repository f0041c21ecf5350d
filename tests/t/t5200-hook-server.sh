#!/bin/sh
# tagpolicy hook pre-receive and update in a bare repository, on real
# pushes (git push --no-verify: the client checks nothing), with the
# example hooks of examples/hooks/; where the policy comes from; the
# quarantine of pushed objects.
. "$(dirname "$0")/test-lib.sh"

PATH=$(dirname "$TAGPOLICY"):$PATH
export PATH
Z=0000000000000000000000000000000000000000

# refs_of REPO FILE: the refs of a bare repository under the trash folder
refs_of () {
	git ls-remote "$TRASH/$1" >"$2"
}

# new_server NAME HOOK: a bare repository with an example hook
new_server () {
	git init -q --bare "$1" &&
	cp "$SRCDIR/examples/hooks/$2" "$1/hooks/$2" &&
	chmod 755 "$1/hooks/$2"
}

test_expect_success 'setup: a server with the example pre-receive hook' '
	new_server srv.git pre-receive &&
	cp "$SRCDIR/examples/hooks/tagpolicy.yml" srv.git/tagpolicy.yml &&
	git init -q work &&
	(
		cd work &&
		test_commit one &&
		git remote add origin "$TRASH/srv.git" &&
		git push -q origin main 2>../err
	) &&
	test_must_be_empty err
'

test_expect_success 'a valid annotated release on main passes' '
	(
		cd work &&
		git tag -a -m "release 1.0.0" v1.0.0 &&
		git push -q --no-verify origin v1.0.0 2>../err
	) &&
	test_must_be_empty err &&
	git -C srv.git rev-parse --verify -q v1.0.0 &&
	refs_of srv.git before
'

test_expect_success 'an invalid name is refused' '
	(
		cd work &&
		test_commit two &&
		git tag -a -m bad v1.1 &&
		test_must_fail git push --no-verify origin main v1.1 2>../err
	) &&
	test_grep "^remote: error: tag '\''v1.1'\'' (pre-receive): does not match any allowed kind \[kind\]" err &&
	test_grep "^remote: hint: tag it as '\''v1.1.0'\''" err &&
	test_grep "^remote: tagpolicy: push refused: 1 error in 1 of 1 tag (policy: .*srv.git/tagpolicy.yml); no ref was updated" err &&
	test_grep "pre-receive hook declined" err &&
	refs_of srv.git after &&
	test_cmp before after
'

test_expect_success 'a lightweight release tag is refused' '
	(
		cd work &&
		git tag v1.1.0 &&
		test_must_fail git push --no-verify origin main v1.1.0 2>../err
	) &&
	test_grep "v1.1.0'\'' (pre-receive): is a lightweight tag.*\[annotated\]" err &&
	refs_of srv.git after &&
	test_cmp before after
'

test_expect_success 'a moved tag is refused' '
	(
		cd work &&
		git push -q --no-verify origin main &&
		git tag -f -a -m moved v1.0.0 HEAD >/dev/null &&
		test_must_fail git push --no-verify --force origin v1.0.0 2>../err
	) &&
	test_grep "v1.0.0'\'' (pre-receive): would move from .*\[immutable\]" err &&
	refs_of srv.git before &&
	test "$(git -C srv.git rev-parse v1.0.0^{commit})" = \
		"$(git -C work rev-parse HEAD~1)"
'

test_expect_success 'a deleted release tag is refused' '
	(
		cd work &&
		test_must_fail git push --no-verify origin :refs/tags/v1.0.0 2>../err
	) &&
	test_grep "v1.0.0'\'' (pre-receive): would be deleted.*\[immutable\]" err &&
	refs_of srv.git after &&
	test_cmp before after
'

test_expect_success 'a release lower than its history is refused' '
	(
		cd work &&
		git tag -d v1.1 v1.1.0 >/dev/null &&
		git tag -a -m "release 1.2.0" v1.2.0 &&
		git push -q --no-verify origin v1.2.0 &&
		git tag -a -m "release 1.1.0" v1.1.0 HEAD &&
		test_must_fail git push --no-verify origin v1.1.0 2>../err
	) &&
	test_grep "v1.1.0'\'' (pre-receive): is not greater than '\''v1.2.0'\''.*\[monotonic\]" err &&
	refs_of srv.git before &&
	! grep v1.1.0 before
'

test_expect_success 'release-branch: a release branch in the same push counts' '
	(
		cd work &&
		git checkout -q -b topic &&
		test_commit three &&
		git tag -a -m "release 1.3.0" v1.3.0 &&
		test_must_fail git push --no-verify origin topic v1.3.0 2>../err &&
		git push -q --no-verify origin topic:release/1.x v1.3.0 2>../err2 &&
		git checkout -q main
	) &&
	test_grep "v1.3.0'\'' (pre-receive): is not on a release branch (main, release/\*) \[release-branch\]" err &&
	test_must_be_empty err2 &&
	git -C srv.git rev-parse --verify -q v1.3.0
'

# Objects a push brings are in a quarantine folder until every hook said
# yes: only GIT_OBJECT_DIRECTORY (with the repository's objects as an
# alternate) shows them.  Made here by hand, as receive-pack makes them.
in_quarantine () {
	GIT_QUARANTINE_PATH=$TRASH/quarantine \
	GIT_OBJECT_DIRECTORY=$TRASH/quarantine \
	GIT_ALTERNATE_OBJECT_DIRECTORIES=$TRASH/q.git/objects \
	"$@"
}

test_expect_success 'the pushed objects are read in quarantine' '
	git init -q --bare q.git &&
	(cd work && git push -q "$TRASH/q.git" main) &&
	mkdir quarantine &&
	commit=$(in_quarantine git -C q.git commit-tree -p HEAD -m pushed \
		"HEAD^{tree}") &&
	tag=$(printf "object %s\ntype commit\ntag v3.0.0\ntagger T <t@example.com> 1700000000 +0000\n\npushed\n" $commit |
		in_quarantine git -C q.git hash-object -t tag -w --stdin) &&
	test_must_fail git -C q.git cat-file -e $tag &&
	echo "$Z $tag refs/tags/v3.0.0" >in &&
	echo "$Z $tag refs/tags/v3.0" >bad &&
	(
		cd q.git &&
		GIT_DIR=. &&
		export GIT_DIR &&
		(
			GIT_QUARANTINE_PATH=$TRASH/quarantine &&
			GIT_OBJECT_DIRECTORY=$TRASH/quarantine &&
			GIT_ALTERNATE_OBJECT_DIRECTORIES=$TRASH/q.git/objects &&
			export GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY \
				GIT_ALTERNATE_OBJECT_DIRECTORIES &&
			tagpolicy -v hook pre-receive <../in 2>../err &&
			test_expect_code 1 tagpolicy hook pre-receive <../bad 2>../err2
		) &&
		test_expect_code 3 tagpolicy hook pre-receive <../in 2>../err3
	) &&
	test_grep "ok: tag '\''v3.0.0'\'' (pre-receive): release" err &&
	test_grep "v3.0'\'' (pre-receive): does not match" err2 &&
	test_grep "cannot check tag '\''v3.0.0'\''" err3
'

test_expect_success 'pre-receive reads .tagpolicy.yml of HEAD, never a pushed one' '
	new_server tree.git pre-receive &&
	git init -q tw &&
	(
		cd tw &&
		cat >.tagpolicy.yml <<-\EOF &&
		version: 1
		kinds: {release: "rel-{semver}"}
		scopes: {git: [release], image: []}
		EOF
		git add .tagpolicy.yml &&
		test_commit one &&
		git remote add origin "$TRASH/tree.git" &&
		git push -q origin main &&
		git tag -a -m r rel-1.0.0 &&
		git tag -a -m r v1.0.0 &&
		git push -q origin rel-1.0.0 &&
		test_must_fail git push origin v1.0.0 2>../err &&
		sed "s/rel-{semver}/v{semver}/" .tagpolicy.yml >p &&
		mv p .tagpolicy.yml &&
		git commit -q -am "allow v tags" &&
		test_must_fail git push origin main v1.0.0 2>../err2 &&
		git push -q origin main &&
		git push -q origin v1.0.0
	) &&
	test_grep "v1.0.0'\'' (pre-receive): does not match any allowed kind" err &&
	test_grep "(policy: HEAD:.tagpolicy.yml)" err2 &&
	git -C tree.git rev-parse --verify -q v1.0.0
'

test_expect_success 'TAGPOLICY_CONFIG in the hook names the policy' '
	new_server env.git pre-receive &&
	cat >env-policy.yml <<-\EOF &&
	version: 1
	kinds: {release: "r{major}"}
	scopes: {git: [release], image: []}
	EOF
	sed "s|^exec tagpolicy|TAGPOLICY_CONFIG=$TRASH/env-policy.yml exec tagpolicy|" \
		"$SRCDIR/examples/hooks/pre-receive" >env.git/hooks/pre-receive &&
	(
		cd work &&
		git tag -a -m r r7 &&
		git push -q "$TRASH/env.git" main r7 &&
		test_must_fail git push "$TRASH/env.git" v1.0.0 2>../err
	) &&
	test_grep "env-policy.yml" err
'

test_expect_success 'update: each tag on its own; other refs of the push land' '
	new_server upd.git update &&
	cp "$SRCDIR/examples/hooks/tagpolicy.yml" upd.git/tagpolicy.yml &&
	(
		cd work &&
		git tag -a -m bad v4.0 &&
		git tag -a -m "release 4.0.0" v4.0.0 &&
		test_must_fail git push "$TRASH/upd.git" main v4.0 v4.0.0 2>../err
	) &&
	test_grep "^remote: error: tag '\''v4.0'\'' (update): does not match" err &&
	test_grep "^remote: tagpolicy: update refused: 1 error in 1 of 1 tag" err &&
	git -C upd.git rev-parse --verify -q main &&
	git -C upd.git rev-parse --verify -q v4.0.0 &&
	test_must_fail git -C upd.git rev-parse --verify -q v4.0
'

test_expect_success 'update never reads a tree: without a policy, tags are refused' '
	new_server bare.git update &&
	(
		cd tw &&
		git push -q "$TRASH/bare.git" main 2>../err &&
		test_must_fail git push "$TRASH/bare.git" v1.0.0 2>../err2
	) &&
	test_must_be_empty err &&
	test_grep "the update hook has no policy: it reads -p FILE, \$TAGPOLICY_CONFIG or '\''.*bare.git/tagpolicy.yml'\'', never a policy from a tree" err2 &&
	test_grep "hint: put the policy in" err2 &&
	(
		cd bare.git &&
		test_expect_code 2 tagpolicy hook update refs/tags/v1.0.0 $Z \
			$(git rev-parse main) 2>../err
	)
'

test_expect_success 'the example hook fails closed without tagpolicy on PATH' '
	mkdir bin &&
	for t in git sh cat sed env; do
		ln -s "$(command -v $t)" bin/$t || return 1
	done &&
	refs_of srv.git before &&
	(
		cd work &&
		git tag -a -m r v5.0.0 &&
		PATH=$TRASH/bin &&
		export PATH &&
		! sh -c "command -v tagpolicy" &&
		test_must_fail git push origin v5.0.0 2>../err
	) &&
	test_grep "remote: error: tagpolicy is not installed on this server" err &&
	refs_of srv.git after &&
	test_cmp before after
'

test_done
