#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the policy samples of samples/bpf (sched_*) with a libbpf skeleton
# and CO-RE: the BPF objects with clang, vmlinux.h and the skeletons with
# the patched tree's bpftool, the loaders against the patched tree's
# libbpf (both built by the selftests step). Output: build/samples, linked
# into build/bin.
#
# samples.sh kbuild: the way the samples document it, the kernel's own
# "make M=samples/bpf" on the assembled tree (all of samples/bpf, built in
# build/linux/samples/bpf).
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = kbuild ]; then
	say "make M=samples/bpf on the assembled tree"
	# With O=, kbuild wants M as an absolute path.
	make -C "$SRC" O="$OBJ" M="$SRC/samples/bpf" CC="$KCC" -j"$JOBS" \
		CLANG="$CLANG" LLC="$LLC" LLVM_STRIP="$LLVM_STRIP" -s
	say "built $SRC/samples/bpf/sched_preempt and the other samples"
	exit 0
fi

st="$ST_OUT/tools"
out="$BUILD/samples"
bpftool="$st/sbin/bpftool"
[ -x "$bpftool" ] || die "no bpftool at $bpftool: run make selftests-ci"
mkdir -p "$out" "$BUILD/bin"
if [ ! -f "$out/vmlinux.h" ] || [ "$OBJ/vmlinux" -nt "$out/vmlinux.h" ]; then
	"$bpftool" btf dump file "$OBJ/vmlinux" format c > "$out/vmlinux.h"
fi

cd "$TOP/samples/bpf"
for src in sched_*.bpf.c; do
	name=${src%.bpf.c}
	"$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$out" -I"$st/include" \
		-c "$src" -o "$out/$name.bpf.o"
	"$bpftool" gen skeleton "$out/$name.bpf.o" name "$name" > "$out/$name.skel.h"
done
for src in sched_*.c; do
	case "$src" in *.bpf.c) continue ;; esac
	name=${src%.c}
	gcc -O2 -Wall -I"$out" -I"$st/include" "$src" \
		"$st/build/libbpf/libbpf.a" -lelf -lz -o "$out/$name"
	ln -sfn "$out/$name" "$BUILD/bin/$name"
done
say "built samples: $(cd "$out" && ls | grep -v '\.' | tr '\n' ' ')"
