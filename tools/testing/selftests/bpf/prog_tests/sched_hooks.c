// SPDX-License-Identifier: GPL-2.0
/*
 * The preemption, pick and eligibility hooks, the enqueue/dequeue
 * notifications and the starvation guard.
 *
 * The workloads run as child processes pinned to the last CPU, so that a
 * process can sit in its own cgroup: spinners, which record the longest
 * time they did not run, and sleepers, which sleep SLEEP_US at a time.
 * What a program decided shows in the chosen process's involuntary context
 * switches, CPU time or longest wait, each measured against the same
 * workload without a program, with margins that hold under TCG.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "cgroup_helpers.h"
#include "sched_hooks.skel.h"

#define MAX_WAIT_FILE	"/proc/sys/kernel/sched_bpf_max_wait_ms"
#define MAX_WAIT_MS	100
#define RUN_MS		400
#define SLEEP_US	300
#define LONG_SLICE_NS	(100 * 1000000ULL)
#define MAX_TASKS	3

/* A waiter runs within the guard's bound, plus this. */
#define WAIT_MARGIN_MS	50

/* BURST: runs BURST_NS of CPU time, then sleeps SLEEP_US */
enum kind { SPIN, SLEEP, BURST };

#define BURST_NS	2000000ULL
#define FEATURES_FILE	"/sys/kernel/debug/sched/features"

struct spec {
	enum kind kind;
	int policy;		/* SCHED_OTHER or SCHED_BATCH */
	__u64 slice_ns;		/* 0: the default slice */
	const char *cgroup;	/* a cgroup v2 directory to run in, or NULL */
};

struct result {
	pid_t pid;
	long nivcsw;
	long loops;
	__u64 cpu_ns;
	__u64 max_gap_ns;
};

struct shared {
	int ready, go, stop;
	struct result r[MAX_TASKS];
};

/* sched_setattr(2)'s argument, as far as a fair task's slice goes. */
struct slice_attr {
	__u32 size;
	__u32 sched_policy;
	__u64 sched_flags;
	__s32 sched_nice;
	__u32 sched_priority;
	__u64 sched_runtime;
	__u64 sched_deadline;
	__u64 sched_period;
};

static int test_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static int set_policy(const struct spec *s)
{
	struct slice_attr attr = {
		.size = sizeof(attr),
		.sched_policy = s->policy,
		.sched_runtime = s->slice_ns,
	};

	return syscall(SYS_sched_setattr, 0, &attr, 0);
}

static int join(const char *cgroup)
{
	char path[PATH_MAX], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return sched_write_file(path, pid);
}

static void child(struct shared *sh, int i, const struct spec *s)
{
	struct result *r = &sh->r[i];
	struct rusage a, b;
	__u64 last, t, cpu0;

	sched_pin(test_cpu());
	if ((s->cgroup && join(s->cgroup)) || set_policy(s))
		_exit(1);
	r->pid = getpid();
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(sh->go))
		usleep(1000);

	getrusage(RUSAGE_SELF, &a);
	cpu0 = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	last = sched_now_ns(CLOCK_MONOTONIC);
	while (!READ_ONCE(sh->stop)) {
		if (s->kind == BURST) {
			t = sched_now_ns(CLOCK_THREAD_CPUTIME_ID);
			while (sched_now_ns(CLOCK_THREAD_CPUTIME_ID) - t < BURST_NS)
				;
		}
		if (s->kind == SLEEP || s->kind == BURST)
			usleep(SLEEP_US);
		t = sched_now_ns(CLOCK_MONOTONIC);
		if (s->kind == SPIN && t - last > r->max_gap_ns)
			r->max_gap_ns = t - last;
		last = t;
		r->loops++;
	}
	getrusage(RUSAGE_SELF, &b);
	r->cpu_ns = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	r->nivcsw = b.ru_nivcsw - a.ru_nivcsw;
	_exit(0);
}

typedef void (*setup_fn)(struct shared *sh, void *ctx);

/*
 * Run @n tasks of @specs for RUN_MS, calling @setup (if any) once they all
 * exist and before they start: it tells the programs their pids. Copies
 * the results to @res. Returns 0 or -1.
 */
static int run_tasks(const struct spec *specs, int n, setup_fn setup,
		     void *ctx, struct result *res)
{
	pid_t pids[MAX_TASKS];
	struct shared *sh;
	int i, status, err = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			child(sh, i, &specs[i]);
		if (pids[i] < 0) {
			n = i;
			err = -1;
			break;
		}
	}
	while (!err && __atomic_load_n(&sh->ready, __ATOMIC_SEQ_CST) < n) {
		if (waitpid(-1, &status, WNOHANG) > 0)
			err = -1;	/* a child could not set itself up */
		usleep(1000);
	}
	if (!err && setup)
		setup(sh, ctx);
	WRITE_ONCE(sh->go, 1);
	usleep(RUN_MS * 1000);
	WRITE_ONCE(sh->stop, 1);
	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			err = -1;
	}
	memcpy(res, sh->r, sizeof(sh->r));
	munmap(sh, sizeof(*sh));
	if (env.verbosity > VERBOSE_NONE)
		for (i = 0; i < n; i++)
			printf("task %d: nivcsw %ld loops %ld cpu %llu ms max gap %llu ms\n",
			       i, res[i].nivcsw, res[i].loops, res[i].cpu_ns / 1000000,
			       res[i].max_gap_ns / 1000000);
	ASSERT_OK(err, "run_tasks");
	return err;
}

static __u64 read_guard_overrides(void)
{
	unsigned long long n = 0;
	char line[256];
	FILE *f;

	f = fopen(SCHED_STATS_FILE, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "guard_overrides %llu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* The skeleton and which of its programs to attach once the pids are known. */
struct ctx {
	struct sched_hooks *skel;
	struct bpf_program *progs[3];
	struct bpf_link *links[3];
	bool tell_b;
};

static void attach_progs(struct shared *sh, void *arg)
{
	struct ctx *c = arg;
	int i;

	c->skel->bss->pid_a = sh->r[0].pid;
	if (c->tell_b)
		c->skel->bss->pid_b = sh->r[1].pid;
	for (i = 0; i < 3 && c->progs[i]; i++) {
		c->links[i] = bpf_program__attach(c->progs[i]);
		ASSERT_OK_PTR(c->links[i], "attach");
	}
	c->skel->bss->armed = 1;
}

static void detach_progs(struct ctx *c)
{
	int i;

	for (i = 0; i < 3; i++) {
		bpf_link__destroy(c->links[i]);
		c->links[i] = NULL;
	}
}

/* Run @specs with @c's programs attached; detach them after. */
static int run_with(const struct spec *specs, int n, struct ctx *c,
		    struct result *res)
{
	int err = run_tasks(specs, n, attach_progs, c, res);

	detach_progs(c);
	return err;
}

static const struct spec two_spinners[] = {
	{ SPIN, SCHED_OTHER }, { SPIN, SCHED_OTHER },
};

static const struct spec long_slice_spinner[] = {
	{ SPIN, SCHED_OTHER, LONG_SLICE_NS }, { SPIN, SCHED_OTHER },
};

static void check_waits(const struct result *res, int n, const char *what)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!ASSERT_GT(res[i].cpu_ns, 0, what))
			continue;
		ASSERT_LE(res[i].max_gap_ns / 1000000, MAX_WAIT_MS + WAIT_MARGIN_MS, what);
	}
}

/*
 * Tick: < 0 keeps A running past its slice, so it is switched out only
 * when the guard runs B; > 0 takes the CPU from A at every tick, even from
 * a 100 ms slice that EEVDF would let it finish.
 */
static void test_tick(struct sched_hooks *skel)
{
	struct ctx c = { .skel = skel, .progs = { skel->progs.tick } };
	struct result base[MAX_TASKS], res[MAX_TASKS], after[MAX_TASKS];
	struct sched_hook_stats st0, st1;
	__u64 guard0;

	if (run_tasks(two_spinners, 2, NULL, NULL, base))
		return;
	guard0 = read_guard_overrides();
	ASSERT_OK(sched_read_stats("cfs_check_preempt_tick", &st0), "read_stats");
	skel->bss->ret_a = -1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	ASSERT_OK(sched_read_stats("cfs_check_preempt_tick", &st1), "read_stats");
	ASSERT_GT(skel->bss->calls_a, 0, "prog_ran");
	ASSERT_GT(st1.calls, st0.calls, "stats_calls");
	ASSERT_GT(st1.changed, st0.changed, "stats_changed");
	ASSERT_LT(res[0].nivcsw, base[0].nivcsw / 2, "keep_fewer_switches");
	ASSERT_GT(read_guard_overrides(), guard0, "guard_ran_b");
	check_waits(res, 2, "keep_wait_bounded");

	/* Detached: EEVDF's own slices again. */
	if (run_tasks(two_spinners, 2, NULL, NULL, after))
		return;
	ASSERT_GT(after[0].nivcsw, base[0].nivcsw / 2, "detach_restores");

	if (run_tasks(long_slice_spinner, 2, NULL, NULL, base))
		return;
	skel->bss->ret_a = 1;
	if (run_with(long_slice_spinner, 2, &c, res))
		return;
	ASSERT_GT(res[0].nivcsw, base[0].nivcsw * 2 + 10, "resched_more_switches");
}

/*
 * Entity: the sleeper's group (tag 7) against the spinner's group. < 0
 * spares the spinner the preemptions EEVDF grants a SCHED_OTHER sleeper;
 * > 0 makes a SCHED_BATCH sleeper, which EEVDF never lets preempt, do so.
 */
static void test_entity(struct sched_hooks *skel)
{
	char spin_dir[PATH_MAX], sleep_dir[PATH_MAX];
	const struct spec normal[] = {
		{ SPIN, SCHED_OTHER, 0, spin_dir },
		{ SLEEP, SCHED_OTHER, 0, sleep_dir },
	};
	const struct spec batch[] = {
		{ SPIN, SCHED_OTHER, 0, spin_dir },
		{ SLEEP, SCHED_BATCH, 0, sleep_dir },
	};
	struct ctx c = { .skel = skel, .progs = { skel->progs.entity } };
	struct result base[MAX_TASKS], res[MAX_TASKS];
	int fd_spin = -1, fd_sleep = -1;

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	/* cgroup_helpers' work directory, named after this process */
	snprintf(spin_dir, sizeof(spin_dir), "/mnt/cgroup-test-work-dir%d/hooks_spin", getpid());
	snprintf(sleep_dir, sizeof(sleep_dir), "/mnt/cgroup-test-work-dir%d/hooks_sleep",
		 getpid());
	fd_spin = create_and_get_cgroup("/hooks_spin");
	fd_sleep = create_and_get_cgroup("/hooks_sleep");
	if (!ASSERT_GE(fd_spin, 0, "cgroup_spin") ||
	    !ASSERT_GE(fd_sleep, 0, "cgroup_sleep") ||
	    !ASSERT_OK(write_cgroup_file("/hooks_sleep", "cpu.tag", "7"), "tag"))
		goto out;
	skel->bss->group_tag_a = 7;

	if (run_tasks(normal, 2, NULL, NULL, base))
		goto out;
	skel->bss->ret_a = -1;
	skel->bss->calls_a = 0;
	if (run_with(normal, 2, &c, res))
		goto out;
	ASSERT_GT(skel->bss->calls_a, 0, "group_decided");
	ASSERT_LT(res[0].nivcsw, base[0].nivcsw / 2, "no_preempt_fewer");

	if (run_tasks(batch, 2, NULL, NULL, base))
		goto out;
	skel->bss->ret_a = 1;
	if (run_with(batch, 2, &c, res))
		goto out;
	ASSERT_GT(res[0].nivcsw, base[0].nivcsw * 2, "preempt_more");
out:
	skel->bss->group_tag_a = 0;
	if (fd_spin >= 0)
		close(fd_spin);
	if (fd_sleep >= 0)
		close(fd_sleep);
	cleanup_cgroup_environment();
}

/* Pick: > 0 keeps A whenever it was running: B runs only through the guard. */
static void test_pick(struct sched_hooks *skel)
{
	struct ctx c = { .skel = skel, .progs = { skel->progs.pick } };
	struct result base[MAX_TASKS], res[MAX_TASKS];
	__u64 guard0;

	if (run_tasks(two_spinners, 2, NULL, NULL, base))
		return;
	guard0 = read_guard_overrides();
	skel->bss->ret_a = 1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	ASSERT_GT(skel->bss->calls_a, 0, "prog_ran");
	ASSERT_LT(res[0].nivcsw, base[0].nivcsw / 2, "kept_fewer_switches");
	/*
	 * B waits for the guard each time A runs, not for a slice. (A's
	 * share does not grow: EEVDF pays B back the lag it accrued.)
	 */
	ASSERT_GT(res[1].max_gap_ns, base[1].max_gap_ns * 5, "b_held_back");
	ASSERT_GT(res[1].max_gap_ns / 1000000, MAX_WAIT_MS / 2, "b_waited_for_guard");
	ASSERT_GT(read_guard_overrides(), guard0, "guard_ran_b");
	check_waits(res, 2, "kept_wait_bounded");
}

/*
 * Eligibility: the entity called eligible gets the CPU, the other only
 * through the guard, either way round. Nothing eligible: EEVDF picks.
 */
static void test_eligible(struct sched_hooks *skel)
{
	struct ctx c = { .skel = skel, .progs = { skel->progs.eligible }, .tell_b = true };
	struct result res[MAX_TASKS];
	struct sched_hook_stats st0, st1;
	__u64 total;

	skel->bss->ret_other = 0;
	skel->bss->ret_a = 1;
	skel->bss->ret_b = -1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	total = res[0].cpu_ns + res[1].cpu_ns;
	ASSERT_GT(res[0].cpu_ns * 10, total * 9, "eligible_a_runs");
	ASSERT_GT(res[1].cpu_ns, 0, "ineligible_b_still_runs");

	skel->bss->ret_a = -1;
	skel->bss->ret_b = 1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	total = res[0].cpu_ns + res[1].cpu_ns;
	ASSERT_GT(res[1].cpu_ns * 10, total * 9, "eligible_b_runs");
	ASSERT_GT(res[0].cpu_ns, 0, "ineligible_a_still_runs");

	ASSERT_OK(sched_read_stats("cfs_tag_entity_eligible", &st0), "read_stats");
	skel->bss->ret_a = -1;
	skel->bss->ret_b = -1;
	skel->bss->ret_other = -1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	ASSERT_OK(sched_read_stats("cfs_tag_entity_eligible", &st1), "read_stats");
	ASSERT_GT(st1.rejected, st0.rejected, "none_eligible_rejected");
	total = res[0].cpu_ns + res[1].cpu_ns;
	ASSERT_GT(res[0].cpu_ns * 4, total, "none_eligible_a_fair");
	ASSERT_GT(res[1].cpu_ns * 4, total, "none_eligible_b_fair");

	/* 0 is no opinion, as on every hook: EEVDF's picks, nothing refused. */
	skel->bss->ret_a = 0;
	skel->bss->ret_b = 0;
	skel->bss->ret_other = 0;
	st0 = st1;
	if (run_with(two_spinners, 2, &c, res))
		return;
	ASSERT_OK(sched_read_stats("cfs_tag_entity_eligible", &st1), "read_stats");
	ASSERT_GT(st1.calls, st0.calls, "no_opinion_asked");
	ASSERT_EQ(st1.rejected, st0.rejected, "no_opinion_not_rejected");
	total = res[0].cpu_ns + res[1].cpu_ns;
	ASSERT_GT(res[0].cpu_ns * 4, total, "no_opinion_a_fair");
	ASSERT_GT(res[1].cpu_ns * 4, total, "no_opinion_b_fair");
}

/*
 * One enqueue and one dequeue per sleep of a task, seen by each of two
 * programs on cfs_enqueue_task, also when its dequeue
 * was delayed. A task that runs 2 ms at a time beside a spinner often
 * blocks ahead of its share, and 6.12 (DELAY_DEQUEUE) then keeps it queued
 * until it wakes: the enqueue it gets then finds it still on the queue
 * (p->on_rq), which the program counts. Without DELAY_DEQUEUE, never.
 */
static int enqueue_dequeue(struct sched_hooks *skel, long long *enq, long long *deq,
			   long long *delayed, long *sleeps)
{
	static const struct spec burst_and_spinner[] = {
		{ BURST, SCHED_OTHER }, { SPIN, SCHED_OTHER },
	};
	struct ctx c = { .skel = skel,
			 .progs = { skel->progs.enqueue, skel->progs.dequeue,
				    skel->progs.enqueue_b } };
	struct result res[MAX_TASKS];

	/* Counting starts once all three programs are attached. */
	skel->bss->armed = 0;
	skel->bss->enqueued_a = 0;
	skel->bss->enqueued_b = 0;
	skel->bss->dequeued_a = 0;
	skel->bss->requeued_a = 0;
	if (run_with(burst_and_spinner, 2, &c, res))
		return -1;
	*enq = skel->bss->enqueued_a;
	*deq = skel->bss->dequeued_a;
	*delayed = skel->bss->requeued_a;
	*sleeps = res[0].loops;
	printf("%s: %ld sleeps, %lld enqueues (%lld still queued), %lld dequeues\n",
	       __func__, *sleeps, *enq, *delayed, *deq);
	ASSERT_GT(*sleeps, 20, "slept");
	/*
	 * One of each per sleep; a few more for the sleeps before the start,
	 * while the programs were being attached, and the exit's dequeue; a
	 * few fewer now and then (87 enqueues for 89 sleeps in one run of
	 * make check).
	 */
	ASSERT_GE(*enq, *sleeps - 1 - *sleeps / 16, "enqueues");
	ASSERT_LE(*enq, *sleeps + *sleeps / 4, "enqueues_not_doubled");
	ASSERT_LE(llabs(*enq - *deq), 1, "balanced");
	/* A second program on the hook saw each of them too. */
	ASSERT_LE(llabs(*enq - (long long)skel->bss->enqueued_b), 1, "both_programs_ran");
	return 0;
}

static void test_enqueue_dequeue(struct sched_hooks *skel)
{
	struct sched_setting feat = { .path = FEATURES_FILE };
	struct sched_hook_stats st0, st1;
	long long enq, deq, delayed;
	long sleeps;

	ASSERT_OK(sched_read_stats("cfs_enqueue_task", &st0), "read_stats");
	if (enqueue_dequeue(skel, &enq, &deq, &delayed, &sleeps))
		return;
	ASSERT_GT(delayed, 0, "delayed_requeues");

	/* Counted as calls, never as changed decisions: it returns void. */
	ASSERT_OK(sched_read_stats("cfs_enqueue_task", &st1), "read_stats");
	ASSERT_GE(st1.calls - st0.calls, enq, "stats_calls");
	ASSERT_EQ(st1.changed, st0.changed, "stats_changed");
	ASSERT_STREQ(st1.dflt, "-", "default");

	/* The same load without delayed dequeues. */
	if (!ASSERT_OK(sched_set(&feat, "NO_DELAY_DEQUEUE"), "no_delay_dequeue"))
		return;
	/* The file lists every feature: what is restored is the one changed. */
	snprintf(feat.old, sizeof(feat.old), "DELAY_DEQUEUE");
	if (!enqueue_dequeue(skel, &enq, &deq, &delayed, &sleeps))
		ASSERT_EQ(delayed, 0, "none_delayed");
	sched_restore(&feat);
}

/*
 * Pick: > 0 when no entity was running (curr NULL: the CPU was idle, or the
 * running task slept) keeps nothing; the pick runs next and the hook counts
 * each such answer as rejected, exactly.
 */
static void test_pick_no_curr(struct sched_hooks *skel)
{
	static const struct spec sleeper_and_spinner[] = {
		{ SLEEP, SCHED_OTHER }, { SPIN, SCHED_OTHER },
	};
	struct ctx c = { .skel = skel, .progs = { skel->progs.pick_always } };
	struct sched_hook_stats st0, st1;
	struct result res[MAX_TASKS];

	if (!sched_have_stats())
		return;
	ASSERT_OK(sched_read_stats("cfs_tag_pick_next_entity", &st0), "read_stats");
	if (run_with(sleeper_and_spinner, 2, &c, res))
		return;
	ASSERT_OK(sched_read_stats("cfs_tag_pick_next_entity", &st1), "read_stats");
	if (env.verbosity > VERBOSE_NONE)
		printf("%s: %llu calls, %llu without curr, %llu rejected\n", __func__,
		       skel->bss->calls, skel->bss->calls_no_curr, st1.rejected - st0.rejected);
	ASSERT_GT(skel->bss->calls_no_curr, 0, "asked_without_curr");
	ASSERT_EQ(st1.rejected - st0.rejected, skel->bss->calls_no_curr, "each_rejected");
	/* Kept whenever it runs, the spinner leaves the sleeper the guard's turns. */
	ASSERT_GT(res[0].loops, 0, "sleeper_ran");
	ASSERT_GT(res[1].cpu_ns, 0, "spinner_ran");
}

/*
 * Policies that would starve: keep whatever runs, never preempt, nothing
 * eligible, everything eligible. Three spinners: each still runs within
 * the guard's bound, and the guard acted where the policy would starve.
 */
static void test_adversarial(struct sched_hooks *skel)
{
	static const struct spec three[] = {
		{ SPIN, SCHED_OTHER }, { SPIN, SCHED_OTHER }, { SPIN, SCHED_OTHER },
	};
	const struct {
		const char *name;
		struct bpf_program *progs[3];
		int ret;
		bool starves;
	} cases[] = {
		{ "keep_curr", { skel->progs.pick }, 1, true },
		{ "never_preempt", { skel->progs.tick, skel->progs.wakeup,
				     skel->progs.entity }, -1, true },
		{ "none_eligible", { skel->progs.eligible }, -1, false },
		{ "all_eligible", { skel->progs.eligible }, 1, false },
	};
	struct result res[MAX_TASKS];
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ctx c = { .skel = skel };
		__u64 guard0 = read_guard_overrides();
		__u64 calls0 = skel->bss->calls;

		memcpy(c.progs, cases[i].progs, sizeof(c.progs));
		skel->bss->ret_a = cases[i].ret;
		skel->bss->ret_b = cases[i].ret;
		skel->bss->ret_other = cases[i].ret;
		if (run_with(three, 3, &c, res))
			continue;
		check_waits(res, 3, cases[i].name);
		/* The policy was asked: bounded waits are the guard's doing, not its absence. */
		ASSERT_GT(skel->bss->calls, calls0, cases[i].name);
		if (cases[i].starves)
			ASSERT_GT(read_guard_overrides(), guard0, cases[i].name);
	}
}

void test_sched_hooks(void)
{
	static const struct {
		const char *name;
		void (*fn)(struct sched_hooks *skel);
	} tests[] = {
		{ "tick", test_tick },
		{ "entity", test_entity },
		{ "pick", test_pick },
		{ "pick_no_curr", test_pick_no_curr },
		{ "eligible", test_eligible },
		{ "enqueue_dequeue", test_enqueue_dequeue },
		{ "adversarial", test_adversarial },
	};
	char old_wait[16] = {};
	cpu_set_t old;
	int i, fd;

	fd = open(MAX_WAIT_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "max_wait_file"))
		return;
	if (!ASSERT_GT(read(fd, old_wait, sizeof(old_wait) - 1), 0, "max_wait_read")) {
		close(fd);
		return;
	}
	close(fd);
	/* Bad values change nothing. */
	ASSERT_EQ(sched_write_file(MAX_WAIT_FILE, "0"), -EINVAL, "max_wait_zero");
	ASSERT_EQ(sched_write_file(MAX_WAIT_FILE, "10001"), -EINVAL, "max_wait_huge");
	ASSERT_EQ(sched_write_file(MAX_WAIT_FILE, "abc"), -EINVAL, "max_wait_junk");
	if (!ASSERT_OK(sched_write_file(MAX_WAIT_FILE, "100"), "max_wait"))
		return;

	/* Keep the test itself off the measured CPU. */
	sched_getaffinity(0, sizeof(old), &old);
	sched_pin(0);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		struct sched_hooks *skel;

		if (!test__start_subtest(tests[i].name))
			continue;
		skel = sched_hooks__open_and_load();
		if (!ASSERT_OK_PTR(skel, "open_and_load"))
			break;
		tests[i].fn(skel);
		sched_hooks__destroy(skel);
	}
	sched_setaffinity(0, sizeof(old), &old);
	sched_write_file(MAX_WAIT_FILE, old_wait);
}
