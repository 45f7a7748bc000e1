#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the tree's sched_ext schedulers (tools/sched_ext: scx_simple and
# the others) and the sched_ext selftests' runner
# (tools/testing/selftests/sched_ext) for the kernel in $OBJ, with their own
# libbpf and bpftool, into $BUILD/scx. The guest finds scx_simple and
# scx_runner on its PATH (build/bin). sched_stress/scx runs scx_simple next
# to sched programs; make check runs the runner.
. "$(dirname "$0")/lib.sh"

out="$BUILD/scx"
mkdir -p "$out/tools" "$out/selftests" "$BUILD/bin"
scx=(CC="$KCC" CLANG="$CLANG" LLVM_STRIP="$LLVM_STRIP" VMLINUX_BTF="$OBJ/vmlinux")
say "building tools/sched_ext and its selftests into $out"
make -C "$SRC/tools/sched_ext" -j"$JOBS" O="$out/tools" "${scx[@]}" scx_simple \
	> "$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; die "tools/sched_ext did not build (log: $out/build.log)"; }
make -C "$SRC/tools/testing/selftests/sched_ext" -j"$JOBS" OUTPUT="$out/selftests" \
	"${scx[@]}" >> "$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; die "the sched_ext selftests did not build (log: $out/build.log)"; }
ln -sfn "$out/tools/build/bin/scx_simple" "$BUILD/bin/scx_simple"
ln -sfn "$out/selftests/runner" "$BUILD/bin/scx_runner"
say "built scx_simple and the sched_ext selftests' runner"
