# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the harness scripts; sourced, not run.
set -euo pipefail

: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}" "${SRC:=$BUILD/linux}" "${OBJ:=$BUILD/obj}"
: "${JOBS:=$(nproc)}" "${ST_OUT:=$BUILD/selftests-ci}"
export TOP BUILD SRC OBJ JOBS ST_OUT

say() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ccache with its cache outside the checkout, when present.
if command -v ccache >/dev/null; then
	: "${CCACHE_DIR:=$HOME/.cache/sched-bpf-ccache}"
	export CCACHE_DIR CCACHE_MAXSIZE=10G CCACHE_COMPILERCHECK=content
	KCC="ccache gcc"
else
	KCC=gcc
fi
export KCC

# The clang/LLVM used for BPF programs (selftests need >= 17).
LLVM_VER=19
export CLANG=clang-$LLVM_VER LLC=llc-$LLVM_VER LLVM_STRIP=llvm-strip-$LLVM_VER
export PATH="/usr/lib/llvm-$LLVM_VER/bin:$PATH"

kmake() { make -C "$SRC" O="$OBJ" CC="$KCC" HOSTCC="$KCC" -j"$JOBS" "$@"; }
