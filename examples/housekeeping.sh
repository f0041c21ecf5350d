#!/bin/sh
# housekeeping.sh: the nightly registry clean-up, planned by tagpolicy.
#
#   examples/housekeeping.sh [--delete CMD] IMAGE
#
# Lists the tags of IMAGE in its registry (`skopeo list-tags`), asks
# `tagpolicy prune` which of them the policy's `retention` rules would
# delete, and prints them, one IMAGE:TAG a line.  That is all it does
# unless --delete is given: then it runs `CMD IMAGE:TAG` for each of them,
# CMD being a deletion command you supply, for example
#
#   --delete 'regctl tag delete'
#   --delete 'crane delete'
#
# tagpolicy itself never deletes anything, and this script deletes only
# with an explicit --delete.  Tags of kinds that retention does not name,
# tags that match no kind and protected kinds (rule `immutable`, release
# tags by default) are never listed.
#
# Environment:
#   TAGPOLICY         the tagpolicy binary (default: tagpolicy)
#   TAGPOLICY_CONFIG  the policy file, when not run from the project's
#                     checkout (where .tagpolicy.yml is found)
#   LIST_TAGS         the command that prints the registry's tag listing
#                     for docker://IMAGE (default: skopeo list-tags); any
#                     command printing one tag a line or registry JSON
#                     works
#
# Exit status: 0 when the plan was printed (and every deletion worked),
# 1 when a deletion failed, 2 for a usage error, else the status of the
# step that failed.
set -eu

TAGPOLICY=${TAGPOLICY:-tagpolicy}
LIST_TAGS=${LIST_TAGS:-skopeo list-tags}

usage() {
	echo "usage: housekeeping.sh [--delete CMD] IMAGE" >&2
	exit 2
}

delete=
while test $# -gt 0
do
	case $1 in
	--delete)
		if test $# -lt 2 || test -z "$2"
		then
			usage
		fi
		delete=$2
		shift 2 ;;
	--delete=?*)
		delete=${1#--delete=}
		shift ;;
	-h|--help)
		sed -n '2,/^set -eu/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -eu/d'
		exit 0 ;;
	--)	shift
		break ;;
	-*)	usage ;;
	*)	break ;;
	esac
done
test $# -eq 1 || usage
image=$1

# The listing, then the plan.  Both are read in full before anything is
# deleted: a listing that fails stops the script with nothing done.
listing=$($LIST_TAGS "docker://$image")
plan=$(printf '%s\n' "$listing" | "$TAGPOLICY" prune -)

failed=0
while read -r tag
do
	test -n "$tag" || continue
	if test -z "$delete"
	then
		printf '%s:%s\n' "$image" "$tag"
	elif $delete "$image:$tag"
	then
		printf 'deleted %s:%s\n' "$image" "$tag"
	else
		printf 'housekeeping.sh: cannot delete %s:%s\n' "$image" \
			"$tag" >&2
		failed=$((failed + 1))
	fi
done <<EOF
$plan
EOF
if test "$failed" -gt 0
then
	echo "housekeeping.sh: $failed deletion(s) failed" >&2
	exit 1
fi
