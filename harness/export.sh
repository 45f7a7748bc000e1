#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The inverse of assemble.sh: write patches/ and the new files back from the
# "series" branch of build/linux. Edit the series there the git way (commit
# --fixup, rebase -i, reword), keeping one commit per line of patches/series,
# then run "make export" and review "git diff" in the checkout.
#
# Commit N becomes its patch file: the commit's header and message, then its
# diff minus the files line N brings, which are copied in their final form
# from the branch tip (a later commit's change to them stays in that later
# patch, as assemble.sh expects).
. "$(dirname "$0")/lib.sh"

cd "$SRC"
mapfile -t lines < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TOP/patches/series")
mapfile -t commits < <(git rev-list --reverse base..series)
[ ${#commits[@]} -eq ${#lines[@]} ] ||
	die "build/linux: ${#commits[@]} commits on series, patches/series has ${#lines[@]} lines"

for i in "${!lines[@]}"; do
	read -r patch newfiles <<< "${lines[i]}"
	c=${commits[i]}
	excl=()
	for f in $newfiles; do
		excl+=(":(exclude)$f")
		git show "series:$f" > "$TOP/$f"
	done
	{
		git log -1 --format='From: %an <%ae>%nDate: %aD%nSubject: [PATCH] %s%n%n%b' "$c" |
			sed -e '${/^$/d}'
		echo "---"
		# Empty context lines as assemble.sh's patches have always had them.
		git diff --no-color --abbrev=9 "$c^" "$c" -- . "${excl[@]}" | sed 's/^ $//'
	} > "$TOP/patches/$patch"
done
say "wrote ${#lines[@]} patches and their new files from build/linux's series branch"
