#!/bin/sh
# release.sh: cut a release of a container project and publish its image.
#
#   examples/release.sh [IMAGE]
#
# The hand-written deploy.sh that every team keeps, rewritten around
# tagpolicy (product.md):
#
#   1. `tagpolicy next --tag` computes the next version from the
#      Conventional Commits since the last release and creates the
#      annotated tag (refusing what the pre-push hook would refuse);
#      nothing to release ends the script cleanly;
#   2. the tag is pushed, so that the server's hook checks it too;
#   3. `tagpolicy tags --format docker` prints the `-t IMAGE:TAG`
#      arguments of the policy's publish list for this commit (1.4.0, 1.4,
#      1, 1.4.0-abc1234, 20261127, latest -- each checked against the
#      policy, `latest` only when no greater release exists);
#   4. the image is built once with all its tags and each is pushed.
#
# Environment:
#   IMAGE      the image name when no argument is given
#              (default: ghcr.io/acme/app)
#   TAGPOLICY  the tagpolicy binary (default: tagpolicy)
#   DOCKER     the docker binary (default: docker); DOCKER=echo prints
#              what would run, which is how the test suite runs this
#   CONTEXT    the build context (default: .)
#   REMOTE     the git remote to push the tag to (default: origin);
#              empty: do not push it
#   PRE        a prerelease identifier (rc): make 1.5.0-rc.1, then rc.2
#
# Exit status: 0 when released or when there is nothing to release;
# otherwise the status of the step that failed.
set -eu

TAGPOLICY=${TAGPOLICY:-tagpolicy}
DOCKER=${DOCKER:-docker}
CONTEXT=${CONTEXT:-.}
REMOTE=${REMOTE-origin}
image=${1:-${IMAGE:-ghcr.io/acme/app}}

say() {
	printf 'release.sh: %s\n' "$*" >&2
}

# 1. The next version, tagged.  Exit 4 is "nothing to release".
set -- next --tag --exit-code -m "Release of $image"
if test -n "${PRE:-}"
then
	set -- "$@" --pre "$PRE"
fi
status=0
tag=$("$TAGPOLICY" "$@") || status=$?
case $status in
0)	say "tagged $tag" ;;
4)	say "nothing to release since ${tag:-the start}"
	exit 0 ;;
*)	say "no release: 'tagpolicy next' failed (exit $status)"
	exit "$status" ;;
esac

# 2. Push the tag first: if the server refuses it, nothing was published.
if test -n "$REMOTE"
then
	git push --quiet "$REMOTE" "refs/tags/$tag"
fi

# 3. The -t arguments.  Image tags never hold white space or glob
# characters (the OCI grammar), but read them line by line all the same.
args=$("$TAGPOLICY" tags --image "$image" --format docker)
if test -z "$args"
then
	say "the policy publishes no tag for $tag"
	exit 1
fi
set --
while read -r flag ref
do
	set -- "$@" "$flag" "$ref"
done <<EOF
$args
EOF

# 4. Build once, push every reference.
"$DOCKER" build "$@" "$CONTEXT"
while read -r flag ref
do
	"$DOCKER" push "$ref"
done <<EOF
$args
EOF
say "published $tag as $image"
