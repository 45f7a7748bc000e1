#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write $OBJ/.config: allnoconfig + harness/test-kernel.config, then
# check that every option of the fragment survived (merge_config.sh silently
# drops options whose dependencies fail).
#   kconfig.sh [VARIANT]: VARIANT, a fragment merged last (make configs),
#   overrides the test kernel's options; its own options must hold, and the
#   test kernel's that it forces off (their dependencies) are only listed.
. "$(dirname "$0")/lib.sh"

frag="$TOP/harness/test-kernel.config"
variant=${1:-}
cfg="$OBJ/.config"
mkdir -p "$OBJ"
# Regenerate only when the fragments or the base changed, so that an
# unchanged config does not trigger a rebuild.
stamp="$OBJ/.sched-bpf-config-stamp"
want=$(cat "$frag" ${variant:+"$variant"} "$SRC/.git/sched-bpf-base" | sha1sum)
if [ -f "$cfg" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
say "configuring the test kernel${variant:+ with $(basename "$variant")} in $OBJ"
kmake -s allnoconfig >/dev/null
(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$cfg" "$frag" ${variant:+"$variant"} >/dev/null)
kmake -s olddefconfig >/dev/null

# What each option should be, and which fragment says so (the last one).
declare -A val from
opts=()
for f in "$frag" ${variant:+"$variant"}; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)		opt=${line%%=*} v=${line#*=} ;;
		"# CONFIG_"*" is not set") opt=${line#\# } opt=${opt%% *} v=n ;;
		*)			continue ;;
		esac
		[ -n "${val[$opt]+set}" ] || opts+=("$opt")
		val[$opt]=$v from[$opt]=$f
	done < "$f"
done
bad=0
for opt in "${opts[@]}"; do
	got=$(sed -n "s/^$opt=//p" "$cfg")
	[ "${got:-n}" = "${val[$opt]}" ] && continue
	if [ -n "$variant" ] && [ "${from[$opt]}" = "$frag" ]; then
		echo "note: $opt=${val[$opt]} from $(basename "$frag") is ${got:-not set}: follows from $(basename "$variant")" >&2
		continue
	fi
	echo "error: $opt=${val[$opt]} from $(basename "${from[$opt]}") is ${got:-not set} in .config: check its dependencies" >&2
	bad=1
done
[ $bad = 0 ] || exit 1
echo "$want" > "$stamp"
