// SPDX-License-Identifier: GPL-2.0
/*
 * Light skeletons (bpftool gen skeleton -L): <name>__attach() attaches a
 * sched program, which then runs, and <name>__detach() detaches it. Without
 * bpftool's support the attach would succeed and do nothing.
 */
#include <test_progs.h>
#include "sched_common.h"
#include "sched_light.lskel.h"

#define SLEEPS	20

static void sleep_a_while(void)
{
	int i;

	for (i = 0; i < SLEEPS; i++)
		usleep(1000);
}

void test_sched_lskel(void)
{
	struct sched_hook_stats st = {};
	struct sched_light_lskel *skel;
	__u64 calls;

	skel = sched_light_lskel__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	skel->bss->pid = getpid();
	if (!ASSERT_OK(sched_light_lskel__attach(skel), "attach"))
		goto out;
	ASSERT_GT(skel->links.lskel_enqueue_fd, 0, "link_fd");
	sleep_a_while();
	/* Each wakeup is an enqueue. */
	ASSERT_GE(skel->bss->calls, SLEEPS, "calls");
	if (sched_have_stats()) {
		ASSERT_OK(sched_read_stats("cfs_enqueue_task", &st), "read_stats");
		ASSERT_EQ(st.progs, 1, "attached");
	}

	sched_light_lskel__detach(skel);
	calls = skel->bss->calls;
	sleep_a_while();
	ASSERT_EQ(skel->bss->calls, calls, "detached");
	if (sched_have_stats()) {
		ASSERT_OK(sched_read_stats("cfs_enqueue_task", &st), "read_stats");
		ASSERT_EQ(st.progs, 0, "none_attached");
	}
out:
	sched_light_lskel__destroy(skel);
}
