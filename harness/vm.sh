#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel in QEMU with the host's root read-only over 9p.
#   vm.sh cmd 'LINE'   run LINE in the guest (in the checkout), exit with its status
#   vm.sh shell        interactive shell
#   vm.sh run          the demo (harness/demo.sh)
# Environment: VM_CPUS (4, as 2 sockets x 2 cores), VM_MEM (2G), VM_ACCEL
# (auto|tcg|kvm), VM_TIMEOUT (seconds, 2400), VM_OUT (build/vm), VM_ICOUNT
# (1: guest time counts instructions under TCG, so host load does not reach
# guest timings), OBJ (boots $OBJ/arch/x86/boot/bzImage; build/obj by
# default, make configs points it at build/obj-<variant>).
. "$(dirname "$0")/lib.sh"

mode=${1:-shell}
# The guest mounts a tmpfs over /tmp, which would hide a checkout there.
case "$TOP" in /tmp/*) die "the checkout is under /tmp, which the guest hides: clone it elsewhere" ;; esac
line=${2:-${CMD:-}}
cpus=${VM_CPUS:-4}
out=${VM_OUT:-$BUILD/vm}
kernel="$OBJ/arch/x86/boot/bzImage"
[ -f "$kernel" ] || die "no kernel at $kernel: run make kernel"
mkdir -p "$out"
rm -f "$out/status" "$out/output" "$out/cmd"
case "$mode" in
cmd)	[ -n "$line" ] || die "vm.sh cmd: no command (make vm-run CMD='...')" ;;
run)	line=harness/demo.sh ;;
shell)	line= ;;
*)	die "vm.sh: unknown mode $mode" ;;
esac

if [ $((cpus % 2)) = 0 ]; then
	smp="$cpus,sockets=2,cores=$((cpus / 2)),threads=1"
else
	smp="$cpus"
fi

qemu() {
	local accel=$1; shift
	local a=(-accel tcg,thread=multi)
	if [ "$accel" = kvm ]; then
		a=(-accel kvm -cpu host)
	elif [ "${VM_ICOUNT:-1}" = 1 ]; then
		a=(-accel tcg -icount shift=0,sleep=off)
	fi
	qemu-system-x86_64 "${a[@]}" -m "${VM_MEM:-2G}" -smp "$smp" \
		-nographic -no-reboot -nodefaults -serial mon:stdio \
		-kernel "$kernel" \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
		-fsdev local,id=out,path="$out",security_model=none \
		-device virtio-9p-pci,fsdev=out,mount_tag=out \
		-append "console=ttyS0 root=/dev/root rootfstype=9p \
rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro \
init=$TOP/harness/guest-init panic=-1 sched_bpf.out=$out sched_bpf.top=$TOP \
sched_bpf.mode=$mode $*"
}

# KVM only where a probe boot reaches init (on some hosts /dev/kvm is a
# nested paravirtual one on which the guest hangs); remembered per host.
accel=${VM_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	probe="$BUILD/.kvm-probe-$(hostname)"
	if [ -w /dev/kvm ] && [ ! -f "$probe" ]; then
		say "probing KVM (once per host)"
		echo true > "$out/cmd"
		if timeout 30 bash -c "$(declare -f qemu); smp=$smp kernel=$kernel out=$out TOP=$TOP mode=cmd qemu kvm" \
			</dev/null 2>&1 | grep -q 'guest-init: exit status'; then
			echo kvm > "$probe"
		else
			echo tcg > "$probe"
		fi
	fi
	[ -f "$probe" ] && accel=$(cat "$probe")
fi
echo "$line" > "$out/cmd"
say "booting ${kernel#"$TOP"/} under $accel, $cpus vCPUs ($smp)"

log="$out/console.log"
if [ "$mode" = shell ]; then
	qemu "$accel"
	exit 0
fi
set +e
timeout --foreground "${VM_TIMEOUT:-2400}" bash -c "$(declare -f qemu); \
	smp=$smp kernel=$kernel out=$out TOP=$TOP mode=$mode qemu $accel" </dev/null 2>&1 |
	tee "$log" | grep -v '^\[ *[0-9]*\.[0-9]*\]' | tr -d '\r'
vm=${PIPESTATUS[0]}
set -e
[ "$vm" = 124 ] && say "the VM ran out of time (VM_TIMEOUT=${VM_TIMEOUT:-2400} s)"

# Any kernel splat fails the run, whatever the command said. Only kernel
# lines (printk time stamps) are scanned, so test output cannot trip it.
splat='BUG:|WARNING:|Oops|Kernel panic|rcu: INFO|RCU stall|detected stall|blocked for more than|hung task|KASAN|UBSAN|circular locking|inconsistent lock state|soft lockup|hard LOCKUP|general protection fault'
if grep -aE '^\[ *[0-9]+\.[0-9]+\]' "$log" | grep -aE "$splat" > "$out/splats"; then
	say "the guest console shows kernel splats (full log: $log):"
	grep -aE -A20 "$splat" "$log" | head -60 >&2
	exit 3
fi
[ -f "$out/status" ] || die "the guest did not finish (console: $log)"
exit "$(cat "$out/status")"
