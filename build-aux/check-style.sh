#!/bin/sh
# check-style.sh: the house rules a compiler does not check (style.md §2.5):
# no banned functions in the library, the tool or the rules.  With
# --format it also asks clang-format whether the code is in house style.
set -u
top=${1:-.}
status=0
banned='\b(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|atoi|gets)[[:space:]]*\('
if grep -nE "$banned" "$top"/src/lib/*.c "$top"/src/lib/*.h \
	"$top"/src/cli/*.c "$top"/src/cli/*.h "$top"/rules/*.c \
	"$top"/include/*.h
then
	echo "check-style: banned functions above (use snprintf, tp_buf, strtol)" >&2
	status=1
fi
if test "${2:-}" = --format && command -v clang-format >/dev/null
then
	for f in "$top"/src/lib/*.[ch] "$top"/src/cli/*.[ch] "$top"/rules/*.c \
		"$top"/include/*.h
	do
		clang-format --style=file:"$top"/.clang-format --dry-run \
			--Werror "$f" 2>/dev/null || {
			echo "check-style: $f is not in house style" >&2
			status=1
		}
	done
fi
exit $status
