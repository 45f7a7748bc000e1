#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the patched tree in build/linux, a git repository:
#   tag "base"      the pristine base (Debian's linux-source-6.12, or $KERNEL_SRC)
#   branch "series" one commit per line of patches/series: the patch, plus the
#                   new files that line names, copied from the checkout
# The commits are built in a scratch index, then the work tree moves to them
# with "git checkout", which rewrites only files whose content changed: an
# edit to one hook recompiles one object file, not the kernel.
. "$(dirname "$0")/lib.sh"

if [ -n "${KERNEL_SRC:-}" ]; then
	[ -f "$KERNEL_SRC/Makefile" ] || die "KERNEL_SRC=$KERNEL_SRC is not a kernel tree"
	want="tree:$(cd "$KERNEL_SRC" && pwd)"
else
	want="debian:linux-source-6.12=$(dpkg-query -W -f='${Version}' linux-source-6.12)"
fi

if [ "$(cat "$SRC/.git/sched-bpf-base" 2>/dev/null)" != "$want" ]; then
	say "extracting the base tree ($want)"
	rm -rf "$SRC" "$OBJ"
	mkdir -p "$SRC"
	if [ -n "${KERNEL_SRC:-}" ]; then
		rsync -a --exclude=/.git "$KERNEL_SRC/" "$SRC/"
	else
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$SRC" --strip-components=1
	fi
	git -C "$SRC" init -q
	# -f: Debian's tree ignores everything at its top level.
	git -C "$SRC" -c core.looseCompression=0 add -A -f
	git -C "$SRC" -c user.name=base -c user.email=base@localhost \
		commit -q -m "base: $want"
	git -C "$SRC" tag -f base >/dev/null
	echo "$want" > "$SRC/.git/sched-bpf-base"
fi

cd "$SRC"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t lines < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TOP/patches/series")

# A new file is kept here once, in its final form. A later patch may change
# it (a hook added to the list, say) with a diff like any other: the form
# the file enters the series with is then the final one with those diffs
# taken back, newest first. $tmp/at/N/ holds what line N adds.
mkdir -p "$tmp/v"
for line in "${lines[@]}"; do
	for f in ${line#* }; do
		[ "$f" = "$line" ] && continue
		[ -f "$TOP/$f" ] || die "patches/series names $f, which does not exist"
		mkdir -p "$tmp/v/$(dirname "$f")"
		cp -p "$TOP/$f" "$tmp/v/$f"
	done
done
for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
	read -r patch newfiles <<< "${lines[i]}"
	[ -f "$TOP/patches/$patch" ] || die "patches/series: no patches/$patch"
	git mailinfo "$tmp/msg" "$tmp/diff" < "$TOP/patches/$patch" > /dev/null
	incl=()
	for f in $(cd "$tmp/v" && find . -type f | sed 's|^\./||'); do
		incl+=("--include=$f")
	done
	if grep -q "^diff " "$tmp/diff" && [ ${#incl[@]} -gt 0 ]; then
		(cd "$tmp/v" && git apply -R "${incl[@]}" "$tmp/diff") ||
			die "$patch: its change to a new file does not match that file"
	fi
	for f in $newfiles; do
		mkdir -p "$tmp/at/$i/$(dirname "$f")"
		mv "$tmp/v/$f" "$tmp/at/$i/$f"
	done
done

export GIT_INDEX_FILE="$tmp/index"
git read-tree base
parent=$(git rev-parse base)

for i in "${!lines[@]}"; do
	read -r patch newfiles <<< "${lines[i]}"
	git mailinfo "$tmp/msg" "$tmp/diff" < "$TOP/patches/$patch" > "$tmp/info"
	if grep -q "^diff " "$tmp/diff"; then
		git apply --cached "$tmp/diff" ||
			die "$patch does not apply to $(cat .git/sched-bpf-base)"
	fi
	for f in $newfiles; do
		mode=100644; [ -x "$TOP/$f" ] && mode=100755
		git update-index --add --cacheinfo "$mode,$(git hash-object -w "$tmp/at/$i/$f"),$f"
	done
	field() { sed -n "s/^$1: //p" "$tmp/info"; }
	{ field Subject; echo; cat "$tmp/msg"; } > "$tmp/commit"
	parent=$(GIT_AUTHOR_NAME="$(field Author)" GIT_AUTHOR_EMAIL="$(field Email)" \
		GIT_AUTHOR_DATE="$(field Date)" GIT_COMMITTER_DATE="$(field Date)" \
		GIT_COMMITTER_NAME="$(field Author)" GIT_COMMITTER_EMAIL="$(field Email)" \
		git commit-tree "$(git write-tree)" -p "$parent" -F "$tmp/commit")
done
unset GIT_INDEX_FILE

git update-ref refs/heads/series "$parent"
git config branch.series.description \
	"$(cat "$TOP/patches/cover-letter"; echo; echo "Base: $(cat .git/sched-bpf-base)")"
if [ "$(git rev-parse HEAD)" != "$parent" ]; then
	git checkout -q --detach "$parent" ||
		die "build/linux has local edits in files the series changes; commit or drop them"
fi
say "assembled $(git rev-list --count base..series) patches on $(cat .git/sched-bpf-base)"
