#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make configs: the test kernel in config variants, each with one option of
# harness/test-kernel.config turned off (and what Kconfig turns off with it),
# configured by kconfig.sh and built (bzImage) in build/obj-<variant>.
# Prints "config <variant>: built" or "... FAILED (log: ...)" per variant,
# goes on after a failure and exits non-zero if any failed.
# Environment: CONFIGS (the variants, default all), CONFIGS_BOOT (1: boot
# no-debug-fs and run test_progs -t sched_wakeup_preempt there; 0: no boot),
# CONFIGS_BUILD (0: configure and check only, no kernel build).
. "$(dirname "$0")/lib.sh"

# variant -> the option it turns off
declare -A off=(
	[no-bpf-sched]=BPF_SCHED
	[no-debug-fs]=DEBUG_FS
	[no-sched-debug]=SCHED_DEBUG
	[no-cgroup-sched]=CGROUP_SCHED
	[no-fair-group-sched]=FAIR_GROUP_SCHED
	[no-smp]=SMP
)
all="no-bpf-sched no-debug-fs no-sched-debug no-cgroup-sched no-fair-group-sched no-smp"
variants=${CONFIGS:-$all}
for v in $variants; do
	[ -n "${off[$v]:-}" ] || die "unknown config variant '$v' (known: $all)"
done
out="$BUILD/configs"
mkdir -p "$out"

# The options the series' #ifdefs and Kconfig care about, as .config has them.
summary() {
	local o
	for o in BPF_SCHED DEBUG_FS SCHED_DEBUG CGROUP_SCHED FAIR_GROUP_SCHED SMP; do
		printf ' %s=%s' "$o" "$(sed -n "s/^CONFIG_$o=//p" "$OBJ/.config" | grep . || echo n)"
	done
}

# variant V: configure and build it in build/obj-V, logging to stdout. Runs
# where set -e does not apply (an if): each step fails it explicitly.
variant() (
	local v=$1 opt=${off[$1]} start=$SECONDS
	export OBJ="$BUILD/obj-$v"
	mkdir -p "$OBJ" || return
	echo "# CONFIG_$opt is not set" > "$OBJ/$v.config"
	# kconfig.sh fails unless CONFIG_$opt ends up off.
	"$TOP/harness/kconfig.sh" "$OBJ/$v.config" || return
	echo "config $v:$(summary)"
	if [ "$opt" != BPF_SCHED ] && ! grep -q '^CONFIG_BPF_SCHED=y$' "$OBJ/.config"; then
		echo "error: CONFIG_BPF_SCHED is not y without CONFIG_$opt"
		return 1
	fi
	[ "$compile" = 1 ] || return 0
	say "building $OBJ ($JOBS jobs)"
	kmake -s bzImage || return
	say "built in $((SECONDS - start)) s: $OBJ/arch/x86/boot/bzImage"
)

compile=${CONFIGS_BUILD:-1}
failed=0
for v in $variants; do
	log="$out/$v.log"
	say "config $v: CONFIG_${off[$v]}=n in build/obj-$v (log: $log)"
	if variant "$v" > "$log" 2>&1; then
		echo "config $v: $([ "$compile" = 1 ] && echo built || echo configured)"
	else
		echo "config $v: FAILED (log: $log)"
		failed=1
		continue
	fi
	[ "$v" = no-debug-fs ] && [ "${CONFIGS_BOOT:-1}" = 1 ] && [ "$compile" = 1 ] || continue
	# The CI test_progs (built for build/obj) in the guest, on this kernel;
	# vm.sh fails on a test failure or on a kernel splat on the console.
	vmout="$out/vm-$v"
	if OBJ="$BUILD/obj-$v" VM_OUT="$vmout" "$TOP/harness/vm.sh" cmd \
		'cd build/selftests-ci && ./test_progs -t sched_wakeup_preempt' > "$vmout.log" 2>&1; then
		echo "config $v: booted, test_progs -t sched_wakeup_preempt passed"
	else
		echo "config $v: boot FAILED (log: $vmout.log, console: $vmout/console.log)"
		failed=1
	fi
done
exit $failed
