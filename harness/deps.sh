#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the VM need, if any is missing.
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex cpio kmod rsync libelf-dev libssl-dev
      pahole ccache qemu-system-x86 clang-$LLVM_VER llvm-$LLVM_VER lld-$LLVM_VER
      libcap-dev libzstd-dev zlib1g-dev pkg-config python3 git procps util-linux
      gnuplot-nox bsdextrautils)
[ -n "${KERNEL_SRC:-}" ] || pkgs+=("linux-source-6.12")

# Whether apt offers the pinned base. awk reads all of madison's output: a
# grep -q that stops early would fail the pipe (SIGPIPE under pipefail).
offered() {
	apt-cache madison linux-source-6.12 |
		awk -v v="$BASE_VERSION" '$3 == v { found = 1 } END { exit !found }'
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
if [ -z "${KERNEL_SRC:-}" ] && [ -n "$have" ] && [ "$have" != "$BASE_VERSION" ]; then
	if offered; then
		missing+=("linux-source-6.12")
	else
		say "WARNING: building on linux-source-6.12 $have, not the tested $BASE_VERSION"
	fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"

say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
args=()
for p in "${missing[@]}"; do
	if [ "$p" = linux-source-6.12 ]; then
		if offered; then
			p="linux-source-6.12=$BASE_VERSION"
		else
			newest=$(apt-cache madison linux-source-6.12 | awk 'NR==1 {print $3}')
			cat >&2 <<MSG
*******************************************************************
* WARNING: linux-source-6.12 $BASE_VERSION is no longer offered.
* Taking the newest, $newest. This base is UNTESTED with the series.
*******************************************************************
MSG
		fi
	fi
	args+=("$p")
done
apt-get install -y -q --no-install-recommends "${args[@]}" >/dev/null
