// SPDX-License-Identifier: GPL-2.0
/* samples/bpf/sched_select_core.bpf.c, as prog_tests/sched_select_core.c tests it. */
#include "../../../../../samples/bpf/sched_select_core.bpf.c"
