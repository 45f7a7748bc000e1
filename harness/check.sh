#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: boot the test kernel, run the tests, count; without T, also
# check the series on the host (git am, checkpatch, kernel-doc). Leaves in
# build/check: test_progs.json, console.log, summary.txt. The closing line
# is "N passed, N failed" (test_progs subtests counted one by one); a kernel
# splat on the console or a VM that does not finish counts as a failure.
. "$(dirname "$0")/lib.sh"

out="$BUILD/check"
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
set +e
# SOAK=1 makes the stress tests run ten times as long; VERBOSE=1 keeps
# every test's output (test_progs -v), not only the failures'.
VM_OUT="$out" "$TOP/harness/vm.sh" cmd \
	"SCHED_STRESS_SOAK=${SOAK:-0} TEST_PROGS_VERBOSE=${VERBOSE:-} harness/guest-check.sh ${T:-}"
vm=$?

# On the host, in a full check: the series as mails applies with git am
# and equals the assembled tree; checkpatch --strict and kernel-doc have
# nothing new to say.
: > "$out/host"
if [ -z "${T:-}" ]; then
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

python3 - "$out" "$vm" <<'PY'
import json, os, re, sys
out, vm = sys.argv[1], int(sys.argv[2])
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
for i, line in enumerate(open(os.path.join(out, "host"))):
    res, name = line.rstrip("\n").split(" ", 1)
    units["host%d" % i] = (name, res)
passed = sum(1 for n, r in units.values() if r == "OK")
failed = sum(1 for n, r in units.values() if r == "FAIL")
for n, r in units.values():
    lines.append({"OK": "ok   ", "FAIL": "FAIL ", "SKIP": "skip "}[r] + n)
try:
    summary = json.load(open(os.path.join(out, "test_progs.json")))
except (OSError, ValueError):
    summary = None
if summary is None:
    failed += 1
    lines.append("FAIL test_progs: no JSON summary")
elif summary.get("failed", 0) and not failed:
    failed += 1
    lines.append("FAIL test_progs: its summary reports failures")
if vm == 3:
    failed += 1
    lines.append("FAIL console: kernel splat (see splats)")
elif vm != 0 and not failed:
    failed += 1
    lines.append("FAIL guest: exit status %d" % vm)
if not units:
    failed += 1
    lines.append("FAIL no test ran")
lines.append("%d passed, %d failed" % (passed, failed))
open(os.path.join(out, "summary.txt"), "w").write("\n".join(lines) + "\n")
PY
grep -v '^ok ' "$out/summary.txt" | head -n -1 >&2 || true
say "make check took $((SECONDS - start)) s in the VM (results: $out)"
tail -n 1 "$out/summary.txt"
grep -q ' 0 failed$' "$out/summary.txt"
