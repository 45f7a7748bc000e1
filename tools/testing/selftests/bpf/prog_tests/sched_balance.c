// SPDX-License-Identifier: GPL-2.0
/*
 * The load-tracking and load-balancing hooks. Four CPU hogs (tagged 5)
 * start on CPU 0 (or two on CPU 0 and two on CPU 1) and are then allowed
 * everywhere: without a program the balancer spreads them over the four
 * CPUs within a few hundred milliseconds. Each hog samples the CPU it runs
 * on, so what a program decided shows in where they ran. The subtests that
 * check what the hooks are shown keep some hogs on some CPUs instead.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "sched_balance.skel.h"

#define HOGS		4
#define NR_CPUS_MAX	4
#define RUN_MS		800

struct shared {
	int ready, go, stop;
	pid_t pid[HOGS];
	long samples[HOGS][NR_CPUS_MAX];
	long moves[HOGS];
	long hot[HOGS];
};

struct result {
	pid_t pid[HOGS];
	long samples[HOGS][NR_CPUS_MAX];
	long moves[HOGS];
	long hot[HOGS];		/* balancing passes that left it as cache-hot */
};

static void hog(struct shared *sh, int i, int start_cpu)
{
	int fd, cpu, last;
	double hot;

	sched_set_cpus(start_cpu, start_cpu);
	fd = open("/proc/self/tag", O_WRONLY);
	if (fd < 0 || write(fd, "5", 1) != 1)
		_exit(1);
	close(fd);
	sh->pid[i] = getpid();
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		;
	last = start_cpu;
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		cpu = sched_getcpu();
		if (cpu < 0 || cpu >= NR_CPUS_MAX)
			continue;
		sh->samples[i][cpu]++;
		if (cpu != last)
			sh->moves[i]++;
		last = cpu;
	}
	/* Counted with kernel.sched_schedstats=1 only. */
	if (!sched_proc_field(getpid(), "nr_failed_migrations_hot", &hot))
		sh->hot[i] = hot;
	_exit(0);
}

typedef void (*setup_fn)(struct shared *sh, void *ctx);

/* Where each hog starts, and the CPUs (first to last) it may then run on. */
struct layout {
	int start[HOGS];
	int first[HOGS], last[HOGS];
};

/* Allow task @pid on CPUs @first to @last only. */
static void allow_cpus(pid_t pid, int first, int last)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = first; cpu <= last; cpu++)
		CPU_SET(cpu, &set);
	sched_setaffinity(pid, sizeof(set), &set);
}

static void print_result(const struct result *res)
{
	int i;

	for (i = 0; i < HOGS; i++)
		printf("hog %d: %ld moves, %ld times hot, samples %ld %ld %ld %ld\n", i,
		       res->moves[i], res->hot[i], res->samples[i][0],
		       res->samples[i][1], res->samples[i][2], res->samples[i][3]);
}

/* Four hogs placed as @lo says, for RUN_MS. */
static int run_layout(const struct layout *lo, setup_fn setup, void *ctx,
		      struct result *res)
{
	pid_t pids[HOGS];
	struct shared *sh;
	int i, err = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < HOGS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			hog(sh, i, lo->start[i]);
	}
	err = sched_wait_ready(&sh->ready, HOGS);
	if (!err && setup)
		setup(sh, ctx);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	/* Unpinned from here, also those waiting for their CPU. */
	for (i = 0; i < HOGS; i++)
		allow_cpus(pids[i], lo->first[i], lo->last[i]);
	usleep(RUN_MS * 1000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	if (sched_reap(pids, HOGS))
		err = -1;
	memcpy(res->pid, sh->pid, sizeof(res->pid));
	memcpy(res->samples, sh->samples, sizeof(res->samples));
	memcpy(res->moves, sh->moves, sizeof(res->moves));
	memcpy(res->hot, sh->hot, sizeof(res->hot));
	munmap(sh, sizeof(*sh));
	if (env.verbosity > VERBOSE_NONE)
		print_result(res);
	ASSERT_OK(err, "run");
	return err;
}

/* Four hogs, on CPU 0 (@split: hogs 2 and 3 on CPU 1), then anywhere. */
static int run(bool split, setup_fn setup, void *ctx, struct result *res)
{
	struct layout lo;
	int i;

	for (i = 0; i < HOGS; i++) {
		lo.start[i] = split && i >= 2 ? 1 : 0;
		lo.first[i] = 0;
		lo.last[i] = NR_CPUS_MAX - 1;
	}
	return run_layout(&lo, setup, ctx, res);
}

/* Per mille of hog @i's samples on @cpu. */
static long share(struct result *res, int i, int cpu)
{
	long total = 0;
	int c;

	for (c = 0; c < NR_CPUS_MAX; c++)
		total += res->samples[i][c];
	return total ? res->samples[i][cpu] * 1000 / total : 0;
}

/* How many CPUs ran most of some hog's last samples: spread means 3 or 4. */
static int cpus_used(struct result *res)
{
	int i, c, best, used = 0;
	bool seen[NR_CPUS_MAX] = {};

	for (i = 0; i < HOGS; i++) {
		best = 0;
		for (c = 1; c < NR_CPUS_MAX; c++)
			if (res->samples[i][c] > res->samples[i][best])
				best = c;
		if (!seen[best])
			used++;
		seen[best] = true;
	}
	return used;
}

struct ctx {
	struct sched_balance *skel;
	struct bpf_program *prog;
	struct bpf_link *link;
	bool choose_a;
};

static void attach_prog(struct shared *sh, void *arg)
{
	struct ctx *c = arg;

	if (c->choose_a)
		c->skel->bss->pid_a = sh->pid[0];
	c->link = bpf_program__attach(c->prog);
	ASSERT_OK_PTR(c->link, "attach");
}

static int run_with(struct sched_balance *skel, struct bpf_program *prog, bool split,
		    bool choose_a, struct result *res)
{
	struct ctx c = { .skel = skel, .prog = prog, .choose_a = choose_a };
	int err = run(split, attach_prog, &c, res);

	bpf_link__destroy(c.link);
	return err;
}

#define MAX_PROGS	6

/* Several programs at once, attached once the hogs are ready. */
struct prog_set {
	struct bpf_program *prog[MAX_PROGS];
	struct bpf_link *link[MAX_PROGS];
};

static void attach_progs(struct shared *sh, void *arg)
{
	struct prog_set *p = arg;
	int i;

	for (i = 0; i < MAX_PROGS && p->prog[i]; i++) {
		p->link[i] = bpf_program__attach(p->prog[i]);
		ASSERT_OK_PTR(p->link[i], "attach");
	}
}

static int run_progs(const struct layout *lo, struct prog_set *p, struct result *res)
{
	int err = run_layout(lo, attach_progs, p, res);
	int i;

	for (i = 0; i < MAX_PROGS; i++)
		bpf_link__destroy(p->link[i]);
	return err;
}

static void test_spread_and_veto(struct sched_balance *skel)
{
	struct result res;
	int i;

	if (run(false, NULL, NULL, &res))
		return;
	ASSERT_GE(cpus_used(&res), 3, "balancer_spreads");

	/* Vetoed for every hog: none leaves CPU 0, not even by active balance. */
	skel->bss->can_ret = -1;
	skel->bss->pid_a = -1;
	if (run_with(skel, skel->progs.can_migrate, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_can, 0, "can_migrate_called");
	for (i = 0; i < HOGS; i++)
		ASSERT_GE(share(&res, i, 0), 950, "vetoed_tasks_stay");
	skel->bss->pid_a = 0;
}

/*
 * Vetoed for hog 0 only: it stays on CPU 0, and the others leave it. Where
 * they go is the balancer's: mostly a CPU each (6 runs of 6 here), two on
 * one CPU for a while now and then.
 */
static void test_veto_one(struct sched_balance *skel)
{
	struct result res;
	int i, c, spread = 0, left = 0;
	bool ok;

	skel->bss->can_ret = -1;
	if (run_with(skel, skel->progs.can_migrate, false, true, &res))
		return;
	/* Hog 0 may have been running at every pass: asked about or not. */
	ASSERT_GT(skel->bss->src_task_checked, 0, "can_migrate_called");
	ASSERT_GE(share(&res, 0, 0), 950, "vetoed_task_stays");
	/* CPUs other than 0 that most of a hog's samples were on */
	for (i = 1; i < HOGS; i++) {
		left += share(&res, i, 0) < 500;
		for (c = 1; c < NR_CPUS_MAX; c++)
			if (share(&res, i, c) > 500)
				spread |= 1 << c;
	}
	ok = ASSERT_EQ(left, HOGS - 1, "others_leave");
	ok &= ASSERT_GE(__builtin_popcount(spread), 2, "others_spread");
	if (!ok)
		print_result(&res);
}

/*
 * Every task cache-hot (sched's migration_cost_ns at its largest): the
 * balancer leaves a hot task where it is until a domain failed
 * cache_nice_tries times, and schedstats count each time it did
 * (nr_failed_migrations_hot). A program that allows the move (> 0)
 * decides before the cache-hot test: not once is a hog left as hot.
 */
static void test_allow_hot(struct sched_balance *skel)
{
	struct sched_setting cost = { .path = "/sys/kernel/debug/sched/migration_cost_ns" };
	struct sched_setting stats = { .path = "/proc/sys/kernel/sched_schedstats" };
	struct result res;
	long base = 0, hot = 0;
	int i;

	if (!ASSERT_OK(sched_set(&stats, "1"), "schedstats_on") ||
	    !ASSERT_OK(sched_set(&cost, "4294967295"), "all_hot"))
		goto out;
	if (run(false, NULL, NULL, &res))
		goto out;
	for (i = 0; i < HOGS; i++)
		base += res.hot[i];

	skel->bss->can_ret = 1;
	skel->bss->pid_a = -1;
	if (run_with(skel, skel->progs.can_migrate, false, false, &res))
		goto out;
	for (i = 0; i < HOGS; i++)
		hot += res.hot[i];
	printf("%s: hogs left as cache-hot %ld times by the kernel, %ld with > 0\n",
	       __func__, base, hot);
	ASSERT_GT(base, 0, "kernel_keeps_hot_tasks");
	ASSERT_GT(skel->bss->calls_can, 0, "can_migrate_called");
	ASSERT_EQ(hot, 0, "allowed_before_hot_test");
	ASSERT_GE(cpus_used(&res), 3, "allowed_spread");
out:
	skel->bss->pid_a = 0;
	sched_restore(&cost);
	sched_restore(&stats);
}

static void test_busiest_group(struct sched_balance *skel)
{
	struct result res;
	int i;

	skel->bss->fbg_ret = -1;
	if (run_with(skel, skel->progs.busiest_group, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_fbg, 0, "find_busiest_group_called");
	for (i = 0; i < HOGS; i++)
		ASSERT_GE(share(&res, i, 0), 900, "stays_imbalanced");

	skel->bss->pick_ret = -1;
	if (run_with(skel, skel->progs.pick_busiest, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_pick, 0, "pick_busiest_called");
	for (i = 0; i < HOGS; i++)
		ASSERT_GE(share(&res, i, 0), 900, "no_busiest_group");

	/* Detached: balanced again. */
	if (run(false, NULL, NULL, &res))
		return;
	ASSERT_GE(cpus_used(&res), 3, "detach_rebalances");
}

/*
 * Two hogs on CPU 0, two on CPU 1; the program names CPU 1 wherever it is
 * in the busiest group. The first pull (by CPU 2 or 3, idle) takes a hog
 * of CPU 1, and both of its hogs go before CPU 0's second one does (CPU 1
 * itself, once idle, pulls from CPU 0: naming itself is refused).
 */
static void test_busiest_queue(struct sched_balance *skel)
{
	struct bpf_link *mig;
	struct result res;

	mig = bpf_program__attach(skel->progs.migrate);
	if (!ASSERT_OK_PTR(mig, "attach_migrate"))
		return;
	skel->data->fbq_cpu = 1;
	if (run_with(skel, skel->progs.busiest_queue, true, false, &res))
		goto out;
	printf("%s: first pull from CPU %d; %llu pulls from CPU 0, %llu from CPU 1\n",
	       __func__, skel->data->first_src,
	       (unsigned long long)skel->bss->from_cpu[0],
	       (unsigned long long)skel->bss->from_cpu[1]);
	ASSERT_GT(skel->bss->calls_fbq, 0, "find_busiest_queue_called");
	ASSERT_EQ(skel->data->first_src, 1, "first_pull_from_cpu1");
	ASSERT_GE(skel->bss->from_cpu[1], 2, "both_cpu1_hogs_pulled");
	skel->data->fbq_cpu = -1;
out:
	bpf_link__destroy(mig);
}

/*
 * With an imbalance of three tasks (cfs_calculate_imbalance), the kernel
 * moves more than one per detach_tasks(); capped, one at most; vetoed,
 * none at all.
 */
static void test_detach(struct sched_balance *skel)
{
	struct bpf_link *mig, *imb = NULL;
	struct result res;
	__u64 base;

	mig = bpf_program__attach(skel->progs.migrate);
	if (!ASSERT_OK_PTR(mig, "attach_migrate"))
		return;
	skel->bss->imb_ret = 3;
	skel->data->imb_type = 2;	/* migrate_task */
	imb = bpf_program__attach(skel->progs.imbalance);
	if (!ASSERT_OK_PTR(imb, "attach_imbalance"))
		goto out;
	skel->bss->detach_ret = 0;
	if (run_with(skel, skel->progs.detach, false, false, &res))
		goto out;
	base = skel->bss->max_batch;
	skel->bss->max_batch = 0;
	skel->bss->detach_ret = 1;
	if (run_with(skel, skel->progs.detach, false, false, &res))
		goto out;
	printf("%s: at most %llu tasks moved per detach_tasks() without a cap, %llu with 1\n",
	       __func__, (unsigned long long)base,
	       (unsigned long long)skel->bss->max_batch);
	ASSERT_GT(skel->bss->calls_detach, 0, "detach_called");
	ASSERT_GT(base, 1, "kernel_moves_more");
	ASSERT_LE(skel->bss->max_batch, 1, "capped");
	ASSERT_GE(cpus_used(&res), 3, "capped_still_spreads");

	skel->bss->detach_ret = -1;
	skel->bss->migrations = 0;
	skel->bss->not_by_stopper = 0;
	if (run_with(skel, skel->progs.detach, false, false, &res))
		goto out;
	printf("%s: %llu migrations with detach_tasks() vetoed, %llu not by a stopper\n",
	       __func__, (unsigned long long)skel->bss->migrations,
	       (unsigned long long)skel->bss->not_by_stopper);
	/* Only active balancing, which does not go through detach_tasks(). */
	ASSERT_EQ(skel->bss->not_by_stopper, 0, "vetoed");
out:
	bpf_link__destroy(imb);
	bpf_link__destroy(mig);
}

/* Out of range: refused and counted, and the balancer still balances. */
static void test_invalid(struct sched_balance *skel)
{
	struct result res;
	__u64 fbq0, imb0, calls;
	int i;

	fbq0 = sched_rejected("cfs_find_busiest_queue");
	skel->bss->fbq_raw = 0x40000000 | 7;	/* BPF_SCHED_CPU(7): no such CPU here */
	if (run_with(skel, skel->progs.busiest_queue, false, false, &res))
		return;
	ASSERT_GT(sched_rejected("cfs_find_busiest_queue"), fbq0, "queue_rejected");
	ASSERT_GE(cpus_used(&res), 3, "queue_still_spreads");
	skel->bss->fbq_raw = 0;

	/* The pulling CPU, or a CPU of the domain outside the group: each call refused. */
	for (i = 1; i <= 2; i++) {
		skel->bss->fbq_bad = i;
		fbq0 = sched_rejected("cfs_find_busiest_queue");
		calls = skel->bss->calls_fbq;
		if (run_with(skel, skel->progs.busiest_queue, false, false, &res))
			return;
		ASSERT_GT(skel->bss->calls_fbq, calls, "queue_called");
		ASSERT_EQ(sched_rejected("cfs_find_busiest_queue") - fbq0,
			  skel->bss->calls_fbq - calls,
			  i == 1 ? "puller_rejected" : "outside_rejected");
		ASSERT_GE(cpus_used(&res), 3, "queue_still_spreads");
	}
	skel->bss->fbq_bad = 0;

	imb0 = sched_rejected("cfs_calculate_imbalance");
	skel->bss->imb_ret = -5;
	if (run_with(skel, skel->progs.imbalance, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_imb, 0, "imbalance_called");
	ASSERT_GT(sched_rejected("cfs_calculate_imbalance"), imb0, "negative_rejected");
	ASSERT_GE(cpus_used(&res), 3, "negative_still_spreads");

	imb0 = sched_rejected("cfs_calculate_imbalance");
	skel->bss->imb_ret = 1 << 30;
	skel->data->imb_type = 2;	/* tasks: far more than the group has */
	if (run_with(skel, skel->progs.imbalance, false, false, &res))
		return;
	ASSERT_GT(sched_rejected("cfs_calculate_imbalance"), imb0, "too_large_rejected");
	ASSERT_GE(cpus_used(&res), 3, "too_large_still_spreads");

	/*
	 * A valid imbalance of one task is taken, not rejected, and the hogs
	 * still spread.
	 */
	calls = skel->bss->calls_imb;
	imb0 = sched_rejected("cfs_calculate_imbalance");
	skel->bss->imb_ret = 1;
	if (run_with(skel, skel->progs.imbalance, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_imb, calls, "one_task_imbalance_called");
	ASSERT_EQ(sched_rejected("cfs_calculate_imbalance"), imb0, "one_task_imbalance_taken");
	ASSERT_GE(cpus_used(&res), 3, "one_task_imbalance_spreads");
}

/*
 * Two hogs on CPU 0 and two on CPU 1, kept there: both groups of the
 * domain of CPUs 0 and 1 (one LLC in the harness's VM) are overloaded.
 * cfs_find_busiest_group forces every balance. The kernel's imbalance,
 * as cfs_calculate_imbalance sees it, must be what the busiest group has
 * above the domain's average, not all of its load (the average left at
 * 0) nor a figure that wrapped around (local above the average).
 */
static void test_forced_imbalance(struct sched_balance *skel)
{
	struct prog_set p = { .prog = { skel->progs.busiest_group,
				     skel->progs.pick_busiest,
				     skel->progs.imbalance } };
	struct prog_set alone = { .prog = { skel->progs.imbalance } };
	struct result res;
	struct layout lo;
	__u64 base, forced;
	int i, err;

	for (i = 0; i < HOGS; i++) {
		lo.start[i] = i % 2;
		lo.first[i] = 0;
		lo.last[i] = 1;
	}
	/*
	 * Alone, the kernel finds the domain of CPUs 0 and 1 balanced: it
	 * computes an imbalance there rarely if ever (0 times in a run here,
	 * once in one run of make check).
	 */
	if (run_progs(&lo, &alone, &res))
		return;
	base = skel->bss->calls_imb_llc0;
	ASSERT_GT(skel->bss->calls_imb, 0, "imbalance_called");
	ASSERT_LE(base, 2, "kernel_balanced");

	skel->bss->fbg_ret = 1;
	skel->bss->check_types = 1;
	err = run_progs(&lo, &p, &res);
	skel->bss->fbg_ret = 0;
	if (err)
		return;
	forced = skel->bss->calls_imb_llc0 - base;
	printf("%s: %llu forced passes checked, %llu over; worst %ld of a load of %llu; ",
	       __func__, (unsigned long long)skel->bss->imb_checked,
	       (unsigned long long)skel->bss->imb_over, skel->bss->imb_worst,
	       (unsigned long long)skel->bss->imb_worst_load);
	printf("imbalances in CPUs 0-1 %llu by the kernel, %llu forced\n",
	       (unsigned long long)base, (unsigned long long)forced);
	ASSERT_GT(skel->bss->calls_fbg, 0, "find_busiest_group_called");
	ASSERT_GT(forced, 4 * (base + 1), "forced_where_balanced");
	ASSERT_GT(skel->bss->imb_checked, 0, "forced_overloaded_passes");
	ASSERT_EQ(skel->bss->imb_over, 0, "imbalance_within_busiest");

	/* The migration types end with migrate_misfit, 3. */
	ASSERT_EQ(skel->data->type_past_ret, -EINVAL, "type_past_last_refused");
	ASSERT_EQ(skel->data->type_neg_ret, -EINVAL, "negative_type_refused");
	ASSERT_EQ(skel->data->type_last_ret, 0, "last_type_taken");
}

/*
 * Hogs 0 and 1 stay on CPU 1; hogs 2 and 3 start on CPU 0 and may go
 * anywhere. A cfs_find_busiest_queue program names CPU 1, all of whose
 * tasks are pinned there: sched_balance_rq() redoes the pass without it,
 * where the program's choice, now out of the pass, is refused and counted.
 * Every hook called before the busiest CPU is chosen must see src_cpu -1,
 * on redone passes too; cfs_detach_tasks a CPU of the domain other than
 * the puller; cfs_can_migrate_task the CPU the task is queued on.
 */
static void test_src_cpu(struct sched_balance *skel)
{
	struct prog_set p = { .prog = { skel->progs.busiest_group,
				     skel->progs.pick_busiest,
				     skel->progs.imbalance,
				     skel->progs.busiest_queue,
				     skel->progs.detach,
				     skel->progs.can_migrate } };
	struct result res;
	struct layout lo;
	__u64 fbq0;
	int i, err;

	for (i = 0; i < HOGS; i++) {
		lo.start[i] = i < 2 ? 1 : 0;
		lo.first[i] = i < 2 ? 1 : 0;
		lo.last[i] = i < 2 ? 1 : NR_CPUS_MAX - 1;
	}
	fbq0 = sched_rejected("cfs_find_busiest_queue");
	skel->data->fbq_cpu = 1;
	err = run_progs(&lo, &p, &res);
	skel->data->fbq_cpu = -1;
	if (err)
		return;
	printf("%s: src_cpu before the choice: %llu calls, %llu wrong (last %d)\n",
	       __func__, (unsigned long long)skel->bss->src_early_checked,
	       (unsigned long long)skel->bss->src_early_bad, skel->data->src_early_seen);
	printf("%s: detach_tasks: %llu calls, %llu wrong; per task: %llu calls, %llu wrong\n",
	       __func__, (unsigned long long)skel->bss->src_late_checked,
	       (unsigned long long)skel->bss->src_late_bad,
	       (unsigned long long)skel->bss->src_task_checked,
	       (unsigned long long)skel->bss->src_task_bad);
	ASSERT_GT(sched_rejected("cfs_find_busiest_queue"), fbq0, "pass_redone");
	ASSERT_GT(skel->bss->src_early_checked, 0, "hooks_before_choice_called");
	ASSERT_EQ(skel->bss->src_early_bad, 0, "no_src_cpu_before_choice");
	ASSERT_GT(skel->bss->src_late_checked, 0, "detach_called");
	ASSERT_EQ(skel->bss->src_late_bad, 0, "detach_src_cpu");
	ASSERT_GT(skel->bss->src_task_checked, 0, "can_migrate_called");
	ASSERT_EQ(skel->bss->src_task_bad, 0, "task_on_src_cpu");
}

static void test_load_avg(struct sched_balance *skel)
{
	struct result res;

	if (run_with(skel, skel->progs.load_avg, false, false, &res))
		return;
	ASSERT_GT(skel->bss->calls_load, HOGS * 100, "load_avg_notified");
}

void test_sched_balance(void)
{
	static const struct {
		const char *name;
		void (*fn)(struct sched_balance *skel);
	} tests[] = {
		{ "spread_and_veto", test_spread_and_veto },
		{ "veto_one", test_veto_one },
		{ "allow_hot", test_allow_hot },
		{ "busiest_group", test_busiest_group },
		{ "busiest_queue", test_busiest_queue },
		{ "detach", test_detach },
		{ "invalid", test_invalid },
		{ "forced_imbalance", test_forced_imbalance },
		{ "src_cpu", test_src_cpu },
		{ "load_avg", test_load_avg },
	};
	cpu_set_t old;
	int i;

	if (!sched_need_cpus(NR_CPUS_MAX, true, "the hogs' placement is counted on 4 CPUs"))
		return;
	sched_getaffinity(0, sizeof(old), &old);
	sched_set_cpus(3, 3);	/* the parent sleeps; keep it off CPU 0 */
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		struct sched_balance *skel;

		if (!test__start_subtest(tests[i].name))
			continue;
		skel = sched_balance__open_and_load();
		if (!ASSERT_OK_PTR(skel, "open_and_load"))
			break;
		tests[i].fn(skel);
		sched_balance__destroy(skel);
	}
	sched_setaffinity(0, sizeof(old), &old);
}
