#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run, inside the guest: what is running, and what BPF it offers.
echo "== kernel"
uname -a
echo "== BPF features (bpftool feature probe kernel)"
bpftool feature probe kernel 2>/dev/null |
	grep -E 'JIT|BTF|program_type (tracing|struct_ops|syscall|sched)|CONFIG_BPF|CONFIG_SCHED_CLASS_EXT|CONFIG_DEBUG_INFO_BTF' |
	grep -v 'is NOT' | sed 's/^/  /'
