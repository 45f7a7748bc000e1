#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: scripts/checkpatch.pl --strict on every file of patches/
# with a diff and on every mail of build/series (which also carry the new
# files). Prints what it says per file, then a count; exits 1 if it said
# anything but the two remarks left on purpose below. The cover letter is
# not a patch and is not checked.
. "$(dirname "$0")/lib.sh"

# Its SPDX check imports ply, which a pyenv python may lack.
export PATH="/usr/bin:$PATH"
cp="$SRC/scripts/checkpatch.pl --strict -q --no-tree"
# Remarks left on purpose, README.md "checkpatch": the patch, the type.
known=(
	"0001-selftests-bpf-add-the-program-bpf_attr_size FILE_PATH_CHANGES"
	"0002-bpf-add-BPF_PROG_TYPE_SCHED MACRO_ARG_REUSE"
)
n=0 bad=0
for f in "$TOP"/patches/*.patch "$BUILD"/series/*.patch; do
	[[ $f != */0000-cover-letter.patch ]] && grep -q '^diff ' "$f" || continue
	n=$((n + 1))
	ign=()
	for k in "${known[@]}"; do
		[[ $(basename "$f") == ${k% *}* ]] && ign=(--ignore "${k#* }")
	done
	out=$($cp "${ign[@]}" "$f" 2>&1) && [ -z "$out" ] && continue
	bad=$((bad + 1))
	echo "== ${f#"$TOP"/}"
	echo "$out" | grep -E '^(ERROR|WARNING|CHECK|#)' | grep -v '^#.*FILE:' || true
done
say "checkpatch --strict: $n files, $bad with something to say (${#known[@]} known remarks not counted)"
[ $bad -eq 0 ]
