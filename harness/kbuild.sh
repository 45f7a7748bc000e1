#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test kernel: bzImage, modules and Module.symvers (bpf_testmod needs
# a full build, not only bzImage), and the uapi headers samples build against.
. "$(dirname "$0")/lib.sh"

say "building the kernel ($(git -C "$SRC" rev-list --count base..HEAD) patches, $JOBS jobs)"
start=$SECONDS
kmake -s all
kmake -s headers >/dev/null
say "kernel built in $((SECONDS - start)) s: $OBJ/arch/x86/boot/bzImage"
