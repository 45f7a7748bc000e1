#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest for make check: the CI test_progs (only the tests of
# harness/ci-tests), optionally filtered, leaving its JSON summary in the
# results share. Usage: guest-check.sh [test_progs -t filter]
out=${SCHED_BPF_OUT:?not in the guest}
cd build/selftests-ci || exit 1
echo "guest-check: test_progs ${1:+-t $1}"
./test_progs ${TEST_PROGS_VERBOSE:+-v} ${1:+-t "$1"} --json-summary "$out/test_progs.json"
