#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: boot the test kernel, run the tests, count; without T, also
# check the series on the host (git am, checkpatch, kernel-doc). Leaves in
# build/check: json/ (test_progs' summaries, one per test), console.log,
# summary.txt. The closing line is "N passed, N failed, N skipped"
# (test_progs subtests counted one by one); a kernel splat on the console,
# a test the watchdog killed or a VM that does not finish counts as a
# failure, and so does a skip on the default VM (4 vCPUs), which can run
# every test.
. "$(dirname "$0")/lib.sh"

out="$BUILD/check"
[ "${DEBUG:-0}" != 1 ] || out="$BUILD/check-debug"
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
set +e
# SOAK=1 makes the stress tests run ten times as long; VERBOSE=1 keeps
# every test's output (test_progs -v), not only the failures'.
# TCG only: the timing margins of the tests were measured there, not on KVM.
VM_ACCEL=${VM_ACCEL:-tcg} VM_OUT="$out" "$TOP/harness/vm.sh" cmd \
	"SCHED_STRESS_SOAK=${SOAK:-0} TEST_PROGS_VERBOSE=${VERBOSE:-} SELFTESTS=$ST_OUT harness/guest-check.sh ${T:-}"
vm=$?

# On the host, in a full check: the series as mails applies with git am
# and equals the assembled tree; checkpatch --strict and kernel-doc have
# nothing new to say.
: > "$out/host"
# (Not with DEBUG=1: they do not depend on the kernel's config.)
if [ -z "${T:-}" ] && [ "${DEBUG:-0}" != 1 ]; then
	if "$TOP/harness/series.sh" && "$TOP/harness/series.sh" test; then
		echo "OK series: git am applies build/series, equal to the tree"
	else
		echo "FAIL series: build/series does not apply or differs"
	fi >> "$out/host" 2> "$out/series.txt"
	if "$TOP/harness/checkpatch.sh" > "$out/checkpatch.txt" 2>&1; then
		echo "OK checkpatch: patches/ and build/series"
	else
		echo "FAIL checkpatch: see build/check/checkpatch.txt"
	fi >> "$out/host"
	if "$TOP/harness/kerneldoc.sh" > "$out/kerneldoc.txt" 2>&1; then
		echo "OK kernel-doc: no new warnings in the files the series touches"
	else
		echo "FAIL kernel-doc: see build/check/kerneldoc.txt"
	fi >> "$out/host"
fi
set -e

python3 - "$out" "$vm" "${VM_CPUS:-4}" <<'PY'
import glob, json, os, re, sys
out, vm, default_vm = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "4"
# test_progs prints "#N name:OK" per test and "#N/M name/sub:OK" per
# subtest; a test with subtests counts by its subtests.
units, lines = {}, []
try:
    text = open(os.path.join(out, "output"), errors="replace").read()
except OSError:
    text = ""
for m in re.finditer(r"^#(\d+)(/\d+)?\s+(\S+):(OK|FAIL|SKIP)", text, re.M):
    num, sub, name, res = m.groups()
    if sub:
        units.pop(num, None)
        units[num + sub] = (name, res)
    elif not any(k.startswith(num + "/") for k in units):
        units[num] = (name, res)
    elif res == "FAIL" and not any(k.startswith(num + "/") and v[1] == "FAIL"
                                   for k, v in units.items()):
        units[num] = (name + " (outside its subtests)", res)
# The sched_ext selftests' runner: "ok N name # [SKIP]", "not ok N name # ".
try:
    scx = open(os.path.join(out, "scx.txt"), errors="replace").read()
except OSError:
    scx = ""
for m in re.finditer(r"^(not ok|ok) (\d+) (\S+) #\s*(SKIP)?", scx, re.M):
    res = "SKIP" if m.group(4) else "OK" if m.group(1) == "ok" else "FAIL"
    units["scx" + m.group(2)] = ("sched_ext selftest " + m.group(3), res)
# The checks of guest-check.sh (watchdog) and of the host: "OK|FAIL what".
for f in ("guest", "host"):
    try:
        for i, line in enumerate(open(os.path.join(out, f))):
            res, name = line.rstrip("\n").split(" ", 1)
            units["%s%d" % (f, i)] = (name, res)
    except OSError:
        pass
passed = sum(1 for n, r in units.values() if r == "OK")
failed = sum(1 for n, r in units.values() if r == "FAIL")
skipped = sum(1 for n, r in units.values() if r == "SKIP")
for n, r in units.values():
    lines.append({"OK": "ok   ", "FAIL": "FAIL ", "SKIP": "skip "}[r] + n)
summaries = []
for f in sorted(glob.glob(os.path.join(out, "json", "*.json"))):
    try:
        summaries.append(json.load(open(f)))
    except (OSError, ValueError):
        pass
if not summaries:
    failed += 1
    lines.append("FAIL test_progs: no JSON summary")
elif any(s.get("failed", 0) for s in summaries) and not failed:
    failed += 1
    lines.append("FAIL test_progs: its summary reports failures")
if skipped and default_vm:
    failed += 1
    lines.append("FAIL skips: the default VM runs every test, %d skipped" % skipped)
if vm == 3:
    failed += 1
    lines.append("FAIL console: kernel splat (see splats)")
elif vm != 0 and not failed:
    failed += 1
    lines.append("FAIL guest: exit status %d" % vm)
if not units:
    failed += 1
    lines.append("FAIL no test ran")
lines.append("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
open(os.path.join(out, "summary.txt"), "w").write("\n".join(lines) + "\n")
PY
grep -v '^ok ' "$out/summary.txt" | head -n -1 >&2 || true
say "make check took $((SECONDS - start)) s in the VM (results: $out)"
tail -n 1 "$out/summary.txt"
grep -q ' 0 failed, ' "$out/summary.txt"
