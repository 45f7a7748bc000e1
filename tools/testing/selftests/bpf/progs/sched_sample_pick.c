// SPDX-License-Identifier: GPL-2.0
/* samples/bpf/sched_pick_task.bpf.c, as prog_tests/sched_colocation.c tests it. */
#include "../../../../../samples/bpf/sched_pick_task.bpf.c"
