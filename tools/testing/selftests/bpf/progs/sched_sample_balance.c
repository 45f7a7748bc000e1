// SPDX-License-Identifier: GPL-2.0
/* samples/bpf/sched_balance.bpf.c, as prog_tests/sched_balance_sample.c tests it. */
#include "../../../../../samples/bpf/sched_balance.bpf.c"
