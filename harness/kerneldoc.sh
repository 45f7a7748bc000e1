#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kerneldoc.sh: scripts/kernel-doc -none on every C file and header the
# series adds or changes, in build/linux. A warning counts when the base
# tree's version of the file (if any) does not draw it too; line numbers
# are left out of the comparison. Exits 1 on any new warning. tools/ is
# left out: libbpf documents its API for doxygen, not kernel-doc.
. "$(dirname "$0")/lib.sh"

cd "$SRC"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kdoc() { scripts/kernel-doc -none "$1" 2>&1 | sed -E 's/:[0-9]+:/:/; s/ line [0-9]+//'; }

n=0 bad=0
for f in $(git diff --name-only base series -- '*.c' '*.h' ':!tools/'); do
	[ -f "$f" ] || continue
	n=$((n + 1))
	kdoc "$f" | sort > "$tmp/new"
	if git cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$tmp/base/$(dirname "$f")"
		git show "base:$f" > "$tmp/base/$f"
		(cd "$tmp/base" && "$SRC/scripts/kernel-doc" -none "$f" 2>&1) |
			sed -E 's/:[0-9]+:/:/; s/ line [0-9]+//' | sort > "$tmp/old"
	else
		: > "$tmp/old"
	fi
	new=$(comm -13 "$tmp/old" "$tmp/new")
	[ -z "$new" ] && continue
	bad=$((bad + 1))
	echo "== $f"
	echo "$new"
done
say "kernel-doc -none: $n files the series touches, $bad with new warnings"
[ $bad -eq 0 ]
