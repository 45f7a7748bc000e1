#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write build/obj/.config: allnoconfig + harness/test-kernel.config, then
# check that every option of the fragment survived (merge_config.sh silently
# drops options whose dependencies fail).
. "$(dirname "$0")/lib.sh"

frag="$TOP/harness/test-kernel.config"
cfg="$OBJ/.config"
mkdir -p "$OBJ"
# Regenerate only when the fragment or the base changed, so that an
# unchanged config does not trigger a rebuild.
stamp="$OBJ/.sched-bpf-config-stamp"
want=$(cat "$frag" "$SRC/.git/sched-bpf-base" | sha1sum)
if [ -f "$cfg" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
say "configuring the test kernel"
kmake -s allnoconfig >/dev/null
(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$cfg" "$frag" >/dev/null)
kmake -s olddefconfig >/dev/null

bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)		opt=${line%%=*} val=${line#*=} ;;
	"# CONFIG_"*" is not set") opt=${line#\# } opt=${opt%% *} val=n ;;
	*)			continue ;;
	esac
	got=$(sed -n "s/^$opt=//p" "$cfg")
	[ "${got:-n}" = "$val" ] && continue
	echo "error: $opt=$val from $(basename "$frag") is ${got:-not set} in .config: check its dependencies" >&2
	bad=1
done < "$frag"
[ $bad = 0 ] || exit 1
echo "$want" > "$stamp"
