// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_balance sample: 4 online (tag 1) and 8 offline (tag -1) CPU
 * hogs on the 4-CPU VM, with sched_pick_task attached so that online work
 * runs first on each CPU. The hogs start on CPU 0 and the balancer spreads
 * them. Each online hog records the CPU it ran on in every 10 ms; two
 * online hogs on one CPU in the same slot share it. Compared: the default
 * balancer and sched_balance.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "sched_sample_pick.skel.h"
#include "sched_sample_balance.skel.h"

#define ONLINE		4
#define OFFLINE		8
#define HOGS		(ONLINE + OFFLINE)
#define RUN_MS		3000
#define SETTLE_MS	500
#define SLOT_MS		10
#define SLOTS		(RUN_MS / SLOT_MS)

struct shared {
	int ready, go, stop;
	__u64 start_ns;
	__u64 cpu_ns[HOGS];
	signed char slot_cpu[ONLINE][SLOTS];
};

static void hog(struct shared *sh, int i)
{
	const char *tag = i < ONLINE ? "1" : "-1";
	__u64 cpu0, t;
	cpu_set_t set;
	int fd, slot;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	fd = open("/proc/self/tag", O_WRONLY);
	if (fd < 0 || write(fd, tag, strlen(tag)) < 0)
		_exit(1);
	close(fd);
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		;
	cpu0 = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		if (i >= ONLINE)
			continue;
		t = sched_now_ns(CLOCK_MONOTONIC) - sh->start_ns;
		slot = t / (SLOT_MS * 1000000ULL);
		if (slot >= 0 && slot < SLOTS)
			sh->slot_cpu[i][slot] = sched_getcpu() + 1;
	}
	sh->cpu_ns[i] = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	_exit(0);
}

/*
 * Run the hogs; return in @shared the per mille of settled slots in which
 * two online hogs shared a CPU, and in @online the online hogs' CPU time
 * in per mille of one CPU's.
 */
static int run(long *shared, long *online)
{
	int i, j, k, err = 0, slots = 0, both = 0;
	pid_t pids[HOGS];
	struct shared *sh;
	__u64 on = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < HOGS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			hog(sh, i);
	}
	err = sched_wait_ready(&sh->ready, HOGS);
	sh->start_ns = sched_now_ns(CLOCK_MONOTONIC);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	sched_unpin(pids, HOGS);
	usleep(RUN_MS * 1000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	if (sched_reap(pids, HOGS))
		err = -1;
	for (k = SETTLE_MS / SLOT_MS; k < SLOTS; k++) {
		bool share = false;

		slots++;
		for (i = 0; i < ONLINE; i++)
			for (j = i + 1; j < ONLINE; j++)
				share |= sh->slot_cpu[i][k] &&
					 sh->slot_cpu[i][k] == sh->slot_cpu[j][k];
		both += share;
	}
	for (i = 0; i < ONLINE; i++)
		on += sh->cpu_ns[i];
	if (env.verbosity > VERBOSE_NONE)
		for (i = 0; i < ONLINE; i++) {
			int n[5] = {};

			for (k = SETTLE_MS / SLOT_MS; k < SLOTS; k++)
				n[sh->slot_cpu[i][k] < 5 ? sh->slot_cpu[i][k] : 0]++;
			printf("online hog %d: slots idle %d cpu0 %d cpu1 %d cpu2 %d cpu3 %d\n",
			       i, n[0], n[1], n[2], n[3], n[4]);
		}
	*shared = slots ? both * 1000L / slots : 0;
	*online = on / (RUN_MS * 1000ULL);
	munmap(sh, sizeof(*sh));
	ASSERT_OK(err, "hogs");
	return err;
}

void test_sched_balance_sample(void)
{
	struct sched_sample_balance *bal = NULL;
	struct sched_sample_pick *pick;
	long shared0, online0, shared1, online1;

	if (!sched_need_cpus(4, true, "4 online hogs, one per CPU"))
		return;
	pick = sched_sample_pick__open_and_load();
	if (!ASSERT_OK_PTR(pick, "pick_load") ||
	    !ASSERT_OK(sched_sample_pick__attach(pick), "pick_attach"))
		goto out;
	if (run(&shared0, &online0))
		goto out;
	bal = sched_sample_balance__open();
	if (!ASSERT_OK_PTR(bal, "balance_open"))
		goto out;
	bal->data->nr_cpus = libbpf_num_possible_cpus();
	if (!ASSERT_OK(sched_sample_balance__load(bal), "balance_load") ||
	    !ASSERT_OK(sched_sample_balance__attach(bal), "balance_attach"))
		goto out;
	if (run(&shared1, &online1))
		goto out;
	printf("%s: online hogs shared a CPU in %ld.%ld%% of 10 ms, got %ld.%02ld CPUs (%s)\n",
	       __func__, shared0 / 10, shared0 % 10, online0 / 1000, online0 % 1000 / 10,
	       "default balancer");
	printf("%s: online hogs shared a CPU in %ld.%ld%% of 10 ms, got %ld.%02ld CPUs (%s)\n",
	       __func__, shared1 / 10, shared1 % 10, online1 / 1000, online1 % 1000 / 10,
	       "sched_balance");
	printf("%s: busiest %llu queue %llu kept apart %llu pulled %llu\n", __func__,
	       (unsigned long long)bal->bss->nr_busiest_online,
	       (unsigned long long)bal->bss->nr_queue_online,
	       (unsigned long long)bal->bss->nr_kept_apart,
	       (unsigned long long)bal->bss->nr_pulled_online);
	ASSERT_GT(bal->bss->nr_busiest_online + bal->bss->nr_queue_online +
		  bal->bss->nr_kept_apart, 0, "balance_decided");
	ASSERT_LT(shared1 * 2, shared0, "shared_less");
	ASSERT_GT(online1, online0 + 200, "online_more_cpu");
out:
	sched_sample_balance__destroy(bal);
	sched_sample_pick__destroy(pick);
}
