#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests.sh full: the patched tree's whole tools/testing/selftests/bpf
#   test_progs, built with its own Makefile, into build/selftests.
# selftests.sh ci: the same Makefile and framework, but only the prog_tests
#   named in harness/ci-tests and the BPF programs they use, into
#   build/selftests-ci ($ST_OUT). It builds from a shadow tree of symlinks
#   (build/shadow) whose prog_tests/ and progs/ hold just those files, so
#   the upstream Makefile's wildcards see only them.
. "$(dirname "$0")/lib.sh"

mode=${1:-ci}
sel=tools/testing/selftests/bpf

stmake() {
	local dir=$1 out=$2
	mkdir -p "$out"
	# Test objects are compiled inside OUTPUT, so their .d files name the
	# generated skeletons relative to it; make, run elsewhere, would not
	# find them on the next build.
	[ ! -d "$out" ] || find "$out" -maxdepth 1 -name '*.test.d' -exec \
		perl -pi -e 's{(?<=\s)([\w.-]+\.h)(?=\s|$)}{'"$out"'/$1}g' {} +
	make -C "$dir" -j"$JOBS" O="$OBJ" KDIR="$OBJ" OUTPUT="$out" \
		VMLINUX_BTF="$OBJ/vmlinux" CLANG="$CLANG" LLC="$LLC" \
		LLVM_STRIP="$LLVM_STRIP" CC="$KCC" HOSTCC="$KCC" \
		test_progs "${@:3}" >"$out/build.log" 2>&1 ||
		{ tail -40 "$out/build.log"; die "test_progs did not build (log: $out/build.log)"; }
}

# shadow DST SRC PATH: DST mirrors SRC with symlinks, except along PATH,
# whose directories are real so that their entries can be replaced.
shadow() {
	local dst=$1 src=$2 path=$3 head e
	mkdir -p "$dst"
	head=${path%%/*}
	for e in "$src"/* "$src"/.[!.]*; do
		[ -e "$e" ] || continue
		[ "$(basename "$e")" = "$head" ] && continue
		ln -sfn "$e" "$dst/$(basename "$e")"
	done
	[ -z "$head" ] || shadow "$dst/$head" "$src/$head" "${path#"$head"/}"
}

if [ "$mode" = full ]; then
	# The full suite needs the kernel it documents: defconfig plus
	# selftests/bpf's config fragments (IPv6, netfilter, LSM, ...), not
	# the lean test kernel. Built in build/obj-full, configured again
	# when the series changes that config.
	OBJ="$BUILD/obj-full"
	mkdir -p "$OBJ"
	if [ ! -f "$OBJ/.config" ] || [ "$SRC/$sel/config" -nt "$OBJ/.config" ]; then
		say "configuring the selftests kernel (defconfig + selftests/bpf/config)"
		kmake -s defconfig >/dev/null
		(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" \
			"$SRC/$sel/config" "$SRC/$sel/config.$(uname -m)" >/dev/null)
		kmake -s olddefconfig >/dev/null
		for o in BPF_SCHED SCHED_CLASS_EXT CGROUP_SCHED; do
			grep -q "^CONFIG_$o=y" "$OBJ/.config" || die "CONFIG_$o did not survive the merge"
		done
	fi
	say "building the selftests kernel in $OBJ (long the first time)"
	kmake -s all
	say "building the full upstream test_progs"
	stmake "$SRC/$sel" "$BUILD/selftests"
	say "built $BUILD/selftests/test_progs (for the kernel in $OBJ)"
	exit 0
fi

sh="$BUILD/shadow"
rm -rf "$sh/$sel/prog_tests" "$sh/$sel/progs"
shadow "$sh" "$SRC" "$sel/"
rm -f "$sh/$sel/prog_tests" "$sh/$sel/progs"	# symlinks made by shadow()
mkdir "$sh/$sel/prog_tests" "$sh/$sel/progs"
# Headers of both folders are shared by all tests.
for h in "$SRC/$sel"/prog_tests/*.h "$SRC/$sel"/progs/*.h; do
	[ "$(basename "$h")" = tests.h ] && continue
	ln -sfn "$h" "$sh/$sel/${h#"$SRC/$sel/"}"
done
patterns=$(grep -v '^#' "$TOP/harness/ci-tests")
lskels=""
for t in "$SRC/$sel"/prog_tests/*.c; do
	name=$(basename "$t" .c)
	for p in $patterns; do
		# shellcheck disable=SC2254
		case "$name" in $p) ;; *) continue ;; esac
		ln -sfn "$t" "$sh/$sel/prog_tests/"
		# The programs a test uses: its skeletons, and files it opens by name.
		for prog in $(grep -ohE '[a-z0-9_]+\.(l?skel\.h|bpf\.o)' "$t" |
			      sed -E 's/\.(l?skel\.h|bpf\.o)$//' | sort -u); do
			if [ -f "$SRC/$sel/progs/$prog.c" ]; then
				ln -sfn "$SRC/$sel/progs/$prog.c" "$sh/$sel/progs/"
			fi
		done
		lskels+=" $(grep -ohE '[a-z0-9_]+\.lskel\.h' "$t" | sed 's/\.lskel\.h$/.c/' | tr '\n' ' ' || true)"
	done
done
say "building test_progs with $(ls "$sh/$sel/prog_tests" | grep -c '\.c$') tests"
# The Makefile names some programs outright (light and linked skeletons):
# name only those of the chosen tests.
stmake "$sh/$sel" "$ST_OUT" LSKELS="$lskels" LSKELS_EXTRA= LINKED_SKELS=
# The guest finds the built tools on its PATH (build/bin): those of the
# test kernel; make check DEBUG=1 runs its own by path.
if [ "$ST_OUT" = "$BUILD/selftests-ci" ]; then
	mkdir -p "$BUILD/bin"
	ln -sfn "$ST_OUT/test_progs" "$BUILD/bin/test_progs"
	ln -sfn "$ST_OUT/tools/sbin/bpftool" "$BUILD/bin/bpftool"
fi
