// SPDX-License-Identifier: GPL-2.0
/*
 * The starvation guard: no runnable task waits longer than
 * kernel.sched_bpf_max_wait_ms (plus a tick) under a policy that holds
 * tasks back, at any depth of the cgroup hierarchy, with hundreds of
 * tasks, beside a throttled group; and the guard stays off for programs
 * that cannot hold a task back.
 *
 * The workloads are spinner processes pinned to the last CPU, each
 * recording the gaps in its run (times it did not run) longer than a
 * tick: the longest and the shortest, and its CPU time. The longest wait
 * that the bound is checked against is schedstats' wait_max, on the
 * scheduler's clock: in the guest the TSCs are unsynchronised, and
 * CLOCK_MONOTONIC and sched_clock() differ by up to a tick.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "cgroup_helpers.h"
#include "sched_guard.skel.h"

#define MAX_WAIT_FILE	"/proc/sys/kernel/sched_bpf_max_wait_ms"
#define SCHEDSTATS_FILE	"/proc/sys/kernel/sched_schedstats"
#define MAX_TASKS	300
#define TICK_NS		1000000ULL	/* the test kernel's CONFIG_HZ_1000 */
#define GAP_NS		(2 * TICK_NS)	/* a gap longer than this is a wait */
#define LONG_GAP_NS	(20 * TICK_NS)	/* not a kernel thread's turn */

struct task {
	const char *cgroup;	/* relative to the work directory, or NULL */
	int policy;		/* SCHED_OTHER or SCHED_IDLE */
};

struct result {
	pid_t pid;
	__u64 cpu_ns, max_gap_ns, gaps;
	__u64 min_long_gap_ns, long_gaps;	/* of the gaps over LONG_GAP_NS */
	__u64 wait_max_ns;	/* schedstats: on the scheduler's own clock */
};

struct shared {
	int ready, go, stop;
	struct result r[MAX_TASKS];
};

/* Have the eligibility program hold back the first task of the next run. */
static bool hold_first;

static int test_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static void spinner(struct shared *sh, int i, const struct task *t, pid_t test_pid)
{
	struct sched_param sp = {};
	struct result *r = &sh->r[i];
	__u64 last, now, cpu0;

	sched_pin(test_cpu());
	if ((t->cgroup && sched_join_workdir(test_pid, t->cgroup)) ||
	    sched_setscheduler(0, t->policy, &sp))
		_exit(1);
	r->pid = getpid();
	r->min_long_gap_ns = ~0ULL;
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(sh->go))
		;
	cpu0 = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	last = sched_now_ns(CLOCK_MONOTONIC);
	while (!READ_ONCE(sh->stop)) {
		now = sched_now_ns(CLOCK_MONOTONIC);
		if (now - last > GAP_NS) {
			r->gaps++;
			if (now - last > r->max_gap_ns)
				r->max_gap_ns = now - last;
		}
		if (now - last > LONG_GAP_NS) {
			r->long_gaps++;
			if (now - last < r->min_long_gap_ns)
				r->min_long_gap_ns = now - last;
		}
		last = now;
	}
	r->cpu_ns = sched_now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	_exit(0);
}

/*
 * Start @n spinners of @tasks, let them spin under EEVDF for @warm_ms
 * (their waits then begin at different times, as on a machine that was
 * running when the policy came), attach @skel's programs in @progs, and
 * measure for @run_ms. Copies the results to @res; returns 0 or -1.
 */
static int run(const struct task *tasks, int n, struct sched_guard *skel,
	       struct bpf_program **progs, int warm_ms, int run_ms,
	       struct result *res)
{
	struct bpf_link *links[8] = {};
	pid_t pids[MAX_TASKS], test_pid = getpid();
	struct shared *sh;
	int i, err = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			spinner(sh, i, &tasks[i], test_pid);
		if (pids[i] < 0) {
			n = i;
			err = -1;
			break;
		}
	}
	if (!err)
		err = sched_wait_ready(&sh->ready, n);
	skel->bss->pid_held = hold_first ? sh->r[0].pid : 0;
	WRITE_ONCE(sh->go, 1);
	usleep(warm_ms * 1000);
	for (i = 0; !err && progs && progs[i]; i++) {
		links[i] = bpf_program__attach(progs[i]);
		if (!ASSERT_OK_PTR(links[i], "attach"))
			err = -1;
	}
	/* The spinners' figures begin now. */
	for (i = 0; i < n; i++) {
		sh->r[i].max_gap_ns = 0;
		sh->r[i].gaps = 0;
		sh->r[i].long_gaps = 0;
		sh->r[i].min_long_gap_ns = ~0ULL;
		sched_wait_max(pids[i], true);
	}
	usleep(run_ms * 1000);
	for (i = 0; i < n; i++)
		sh->r[i].wait_max_ns = sched_wait_max(pids[i], false);
	WRITE_ONCE(sh->stop, 1);
	for (i = 0; i < ARRAY_SIZE(links); i++)
		bpf_link__destroy(links[i]);
	if (sched_reap(pids, n))
		err = -1;
	memcpy(res, sh->r, n * sizeof(*res));
	munmap(sh, sizeof(*sh));
	ASSERT_OK(err, "run");
	return err;
}

static long long log2_floor(unsigned int v)
{
	long long r = 0;

	while (v >>= 1)
		r++;
	return r;
}

static __u64 longest_wait(const struct result *res, int n, int *who)
{
	__u64 m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (res[i].wait_max_ns > m) {
			m = res[i].wait_max_ns;
			*who = i;
		}
	return m;
}

/* A line "<name> <n>" of the stats file; -1 if it has none. */
static long long read_stat(const char *name)
{
	char line[256], key[64];
	long long v, found = -1;
	FILE *f;

	f = fopen(SCHED_STATS_FILE, "r");
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 && !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

static int set_max_wait(int ms)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", ms);
	return sched_write_file(MAX_WAIT_FILE, buf);
}

/*
 * Hold everything back on the test CPU: each task runs only when the guard
 * makes it. Every task must have run, none may have waited longer than the
 * bound plus @late ticks, and the guard must have done it.
 */
static void check_bounded(struct sched_guard *skel, const char *name,
			  const struct task *tasks, int n, int bound_ms,
			  int late, int warm_ms, int run_ms)
{
	struct bpf_program *hold[] = {
		skel->progs.hold_tick, skel->progs.hold_wakeup,
		skel->progs.hold_entity, skel->progs.hold_pick, NULL
	};
	static struct result res[MAX_TASKS];
	long long over0, steps0, over, steps;
	int i, who = 0, over_bound;
	__u64 worst, gap;

	if (!ASSERT_OK(set_max_wait(bound_ms), "max_wait"))
		return;
	over0 = read_stat("guard_overrides");
	steps0 = read_stat("guard_steps");
	if (run(tasks, n, skel, hold, warm_ms, run_ms, res))
		return;
	over = read_stat("guard_overrides") - over0;
	steps = read_stat("guard_steps") - steps0;
	worst = longest_wait(res, n, &who);
	for (i = 0, over_bound = 0, gap = 0; i < n; i++) {
		over_bound += res[i].wait_max_ns > bound_ms * 1000000ULL;
		gap = res[i].max_gap_ns > gap ? res[i].max_gap_ns : gap;
	}
	printf("%s: %d tasks, bound %d ms: longest wait %.3f ms (task %d, %s; ",
	       name, n, bound_ms, worst / 1e6, who, tasks[who].cgroup ?: "root");
	printf("%.3f ms by CLOCK_MONOTONIC), %d over the bound, ", gap / 1e6, over_bound);
	printf("%lld guard picks, %.1f tree steps each\n",
	       over, over > 0 ? (double)steps / over : 0.0);
	for (i = 0; i < n; i++)
		if (!ASSERT_GT(res[i].cpu_ns, 0, "every_task_ran"))
			break;
	ASSERT_LE(worst, bound_ms * 1000000ULL + late * TICK_NS, name);
	ASSERT_GT(over, 0, "guard_picked");
	/* Finding the oldest waiter follows one path down each tree. */
	ASSERT_LE(steps, over * (2 * log2_floor(n + 1) + 4), "guard_log_n");
}

/* The shape: competition at every level, the waiter at depth 4. */
static void test_depth(struct sched_guard *skel)
{
	static const struct task one[] = {
		{ NULL }, { "/g1/h1" }, { "/g1/g2/h2" }, { "/g1/g2/g3" },
	};
	static const struct task crowded[] = {
		{ NULL }, { NULL }, { NULL }, { "/g1/h1" }, { "/g1/h1" },
		{ "/g1/g2/h2" }, { "/g1/g2/h2" }, { "/g1/g2/g3" }, { "/g1/g2/g3" },
		{ "/g1/g2/g3" },
	};

	if (!ASSERT_OK(setup_cgroup_environment(), "cgroups"))
		return;
	if (!ASSERT_GE(create_and_get_cgroup("/g1"), 0, "g1") ||
	    !ASSERT_OK(enable_controllers("/g1", "cpu"), "g1_cpu") ||
	    !ASSERT_GE(create_and_get_cgroup("/g1/h1"), 0, "h1") ||
	    !ASSERT_GE(create_and_get_cgroup("/g1/g2"), 0, "g2") ||
	    !ASSERT_OK(enable_controllers("/g1/g2", "cpu"), "g2_cpu") ||
	    !ASSERT_GE(create_and_get_cgroup("/g1/g2/h2"), 0, "h2") ||
	    !ASSERT_GE(create_and_get_cgroup("/g1/g2/g3"), 0, "g3"))
		goto out;
	check_bounded(skel, "depth", one, ARRAY_SIZE(one), 100, 1, 200, 1500);
	check_bounded(skel, "depth_crowded", crowded, ARRAY_SIZE(crowded), 100, 1,
		      200, 1500);
out:
	cleanup_cgroup_environment();
}

/*
 * 300 tasks on one CPU: the bound holds once 300 ticks fit in it. They
 * first run a round under EEVDF (some 900 ms), so that they do not all
 * begin to wait at the same time, which the guard, running one task a
 * tick, could not make up for. Some still reach the bound in the same
 * tick as two others (a kernel thread's turn shifts a slot): each such
 * waits a tick more, measured up to 5 ms over the bound; allow 1%.
 */
static void test_many(struct sched_guard *skel)
{
	static struct task many[MAX_TASKS];

	check_bounded(skel, "many", many, MAX_TASKS, 1000, 10, 1200, 3000);
}

/*
 * A group throttled by cpu.max (30 ms every 100 ms) holds two tasks; the
 * policy calls the first ineligible and keeps whatever runs. Throttled
 * time is not waiting: the held task runs after 100 ms of its group's
 * unthrottled time, four periods of 100 ms after it stopped, never after
 * the 100 to 170 ms that counting throttled time as waiting would give.
 */
static void test_throttled(struct sched_guard *skel)
{
	static const struct task two[] = { { "/thr" }, { "/thr" } };
	struct bpf_program *hold[] = {
		skel->progs.hold_tick, skel->progs.hold_pick,
		skel->progs.hold_eligible, NULL
	};
	struct result res[2];
	long long over0;
	int fd;

	if (!ASSERT_OK(setup_cgroup_environment(), "cgroups"))
		return;
	fd = create_and_get_cgroup("/thr");
	if (!ASSERT_GE(fd, 0, "thr") ||
	    !ASSERT_OK(write_cgroup_file("/thr", "cpu.max", "30000 100000"), "cpu.max") ||
	    !ASSERT_OK(set_max_wait(100), "max_wait"))
		goto out;
	over0 = read_stat("guard_overrides");
	hold_first = true;
	if (run(two, 2, skel, hold, 300, 3000, res))
		goto out;
	printf("%s: held task: %llu long waits, %.3f to %.3f ms; ", __func__,
	       res[0].long_gaps, res[0].min_long_gap_ns / 1e6, res[0].max_gap_ns / 1e6);
	printf("%.0f ms of CPU; %lld guard picks\n", res[0].cpu_ns / 1e6,
	       read_stat("guard_overrides") - over0);
	ASSERT_GE(res[0].long_gaps, 3, "held_ran_through_guard");
	ASSERT_GE(res[0].min_long_gap_ns, 250 * 1000000ULL, "throttled_time_not_waiting");
	ASSERT_LE(res[0].max_gap_ns, 500 * 1000000ULL, "unthrottled_wait_bounded");
out:
	hold_first = false;
	if (fd >= 0)
		close(fd);
	cleanup_cgroup_environment();
}

/*
 * A SCHED_IDLE spinner beside a nice-0 one gets what EEVDF gives it
 * (weight 3 of 1027, about 0.3%) with only an observer or a placement
 * policy attached: neither turns the guard on, so the guard does not
 * override the weights.
 */
static void test_no_holder(struct sched_guard *skel)
{
	static const struct task pair[] = { { NULL, SCHED_OTHER }, { NULL, SCHED_IDLE } };
	struct bpf_program *observe[] = { skel->progs.observe, NULL };
	struct bpf_program *place[] = { skel->progs.place, NULL };
	struct bpf_program **cases[] = { NULL, observe, place };
	static const char * const names[] = { "none", "observer", "placement" };
	double share[3];
	struct result res[2];
	int i;

	if (!ASSERT_OK(set_max_wait(100), "max_wait"))
		return;
	for (i = 0; i < 3; i++) {
		if (run(pair, 2, skel, cases[i], 100, 1500, res))
			return;
		share[i] = (double)res[1].cpu_ns / (res[0].cpu_ns + res[1].cpu_ns);
		printf("%s: SCHED_IDLE share %.3f%% with %s attached\n",
		       __func__, share[i] * 100, names[i]);
	}
	ASSERT_GT(skel->bss->observed, 0, "observer_ran");
	ASSERT_GT(skel->bss->placed, 0, "placement_ran");
	for (i = 1; i < 3; i++)
		ASSERT_LT(share[i], 2 * share[0] + 0.005, names[i]);
}

/* While attached, the programs above leave the guard off; holders turn it on. */
struct wakeup {
	int ready, go, stop;
	pid_t held;
	__u64 held_cpu_ns, wakeups;
	__u64 other_cpu_ns;	/* preempted: the favoured hog's */
};

/*
 * 0: the held task, a hog in /off, measuring its CPU time; in /on: 1, an
 * online hog; 2 and 3, online tasks waking every 50 us.
 */
static void wakeup_task(struct wakeup *w, int i, pid_t test_pid)
{
	__u64 cpu0 = 0;

	sched_pin(test_cpu());
	if (sched_join_workdir(test_pid, i ? "/on" : "/off"))
		_exit(1);
	if (i == 0)
		w->held = getpid();
	__atomic_add_fetch(&w->ready, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(w->stop)) {
		if (i == 0 && READ_ONCE(w->go)) {
			if (!cpu0)
				cpu0 = sched_now_ns(CLOCK_THREAD_CPUTIME_ID);
			w->held_cpu_ns = sched_now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
		} else if (i > 1) {
			usleep(50);
			__atomic_add_fetch(&w->wakeups, 1, __ATOMIC_RELAXED);
		}
	}
	_exit(0);
}

typedef void (*held_task_fn)(struct wakeup *w, int i, pid_t test_pid);

/*
 * Fork @n tasks running @fn, attach @prog once they are ready, and measure
 * for 1.5 s: the held task's CPU time (w->held_cpu_ns) and the guard's
 * picks (*@over). Measuring stops before the program goes, when the held
 * task would have its fair share. Returns 0, or -1 if a step failed.
 */
static int run_held(struct sched_guard *skel, struct wakeup *w, held_task_fn fn,
		    int n, struct bpf_program *prog, __u64 *over)
{
	pid_t pids[4], test_pid = getpid();
	struct bpf_link *link = NULL;
	int i, err = 0;

	for (i = 0; i < n && i < ARRAY_SIZE(pids); i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			fn(w, i, test_pid);
		if (pids[i] < 0) {
			err = -1;
			break;
		}
	}
	if (!err)
		err = sched_wait_ready(&w->ready, i);
	if (!err) {
		skel->bss->pid_held = w->held;
		link = bpf_program__attach(prog);
		if (!ASSERT_OK_PTR(link, "attach"))
			err = -1;
	}
	usleep(100000);
	*over = read_stat("guard_overrides");
	WRITE_ONCE(w->go, 1);
	usleep(1500000);
	WRITE_ONCE(w->go, 0);
	*over = read_stat("guard_overrides") - *over;
	bpf_link__destroy(link);
	skel->bss->pid_held = 0;
	WRITE_ONCE(w->stop, 1);
	sched_reap(pids, i);
	return err;
}

/*
 * A policy of eligibility alone, as sched_pick_task's (hold_offline):
 * the group /off (tag -1) is never eligible beside /on (tag 1), where an
 * online hog runs and two tasks wake every 50 us. A wakeup in /on compares
 * the two groups, and EEVDF's wakeup preemption asks the eligibility
 * program (pick_eevdf()), which names /on: without the guard's slice
 * holding against wakeups too, the guard's pick of the held hog would
 * lose the CPU at the next wakeup, microseconds later, at each of its
 * turns. Each guard pick must be worth half a tick of CPU at least.
 */
static void test_wakeup(struct sched_guard *skel)
{
	struct wakeup *w;
	__u64 over;
	int err;

	if (!ASSERT_OK(sched_write_file(MAX_WAIT_FILE, "100"), "max_wait"))
		return;
	if (!ASSERT_OK(setup_cgroup_environment(), "cgroups"))
		return;
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(w, MAP_FAILED, "mmap"))
		goto out_cg;
	memset(w, 0, sizeof(*w));
	if (!ASSERT_GE(create_and_get_cgroup("/off"), 0, "off") ||
	    !ASSERT_GE(create_and_get_cgroup("/on"), 0, "on") ||
	    !ASSERT_OK(write_cgroup_file("/off", "cpu.tag", "-1"), "off_tag") ||
	    !ASSERT_OK(write_cgroup_file("/on", "cpu.tag", "1"), "on_tag"))
		goto out;
	err = run_held(skel, w, wakeup_task, 4, skel->progs.hold_offline, &over);
	printf("%s: held hog had %.3f ms of CPU in 1.5 s from %llu guard picks; ",
	       __func__, w->held_cpu_ns / 1e6, over);
	printf("%llu online wakeups\n", w->wakeups);
	ASSERT_OK(err, "run");
	ASSERT_GE(over, 1500 / 110, "guard_picked");
	ASSERT_GE(w->held_cpu_ns, over * TICK_NS / 2, "held_runs");
	ASSERT_GT(w->wakeups, 1000, "online_wakeups");
out:
	munmap(w, sizeof(*w));
out_cg:
	cleanup_cgroup_environment();
}

/*
 * 0: the held hog, measuring its CPU time; 1: a hog the policy favours;
 * 2: a SCHED_FIFO task waking every 200 us, which preempts whatever fair
 * task runs, the guard's pick too.
 */
static void preempted_task(struct wakeup *w, int i, pid_t test_pid)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct timespec ts = { .tv_nsec = 200000 };
	__u64 cpu0 = 0;

	sched_pin(test_cpu());
	if (i == 0)
		w->held = getpid();
	/* Refused (RT group scheduling), it never wakes: rt_preempts fails. */
	if (i == 2 && sched_setscheduler(0, SCHED_FIFO, &sp)) {
		__atomic_add_fetch(&w->ready, 1, __ATOMIC_SEQ_CST);
		_exit(1);
	}
	__atomic_add_fetch(&w->ready, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(w->stop)) {
		if (i < 2 && READ_ONCE(w->go)) {
			if (!cpu0)
				cpu0 = sched_now_ns(CLOCK_THREAD_CPUTIME_ID);
			*(i ? &w->other_cpu_ns : &w->held_cpu_ns) =
				sched_now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
		} else if (i == 2) {
			clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
			if (READ_ONCE(w->go))
				__atomic_add_fetch(&w->wakeups, 1, __ATOMIC_RELAXED);
		}
	}
	_exit(0);
}

/*
 * A task the policy holds back, whose every turn an RT task cuts short
 * within 200 us. Its wait ends only once it had half a tick of CPU (its
 * turn) since it began to wait, and the pick after the RT task's runs it
 * again: else each preemption would start its wait again, and it would
 * have 200 us of CPU per bound at most (when its wait restarted at each
 * preemption: 1.2 ms in 1.5 s at a bound of 100 ms).
 */
static void test_preempted(struct sched_guard *skel)
{
	long long slice_ns = 0, turn_ns;
	int bound_ms = 100, err;
	struct wakeup *w;
	__u64 over;

	if (!ASSERT_OK(sched_read_num("/sys/kernel/debug/sched/base_slice_ns", &slice_ns),
		       "base_slice") ||
	    !ASSERT_OK(set_max_wait(bound_ms), "max_wait"))
		return;
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(w, MAP_FAILED, "mmap"))
		return;
	memset(w, 0, sizeof(*w));
	err = run_held(skel, w, preempted_task, 3, skel->progs.hold_eligible, &over);
	printf("%s: held hog had %.3f ms of CPU in 1.5 s from %llu guard picks ",
	       __func__, w->held_cpu_ns / 1e6, over);
	printf("(the other hog %.3f ms), ", w->other_cpu_ns / 1e6);
	printf("RT task woke %llu times\n", w->wakeups);
	ASSERT_OK(err, "run");
	ASSERT_GE(over, 1500 / (bound_ms + 10), "guard_picked");
	/* A pick after the RT task's runs the held task again, not the guard. */
	ASSERT_LE(over, 1500 / (bound_ms - 2) + 3, "one_guard_pick_per_turn");
	ASSERT_GT(w->wakeups, 1500, "rt_preempts");
	ASSERT_GT(w->other_cpu_ns, 1500 * 1000000ULL * 8 / 10, "policy_decides");
	/* A turn per bound (half a tick, or the base slice if shorter), less two. */
	turn_ns = slice_ns < TICK_NS / 2 ? slice_ns : TICK_NS / 2;
	ASSERT_GE(w->held_cpu_ns, (1500 / bound_ms - 2) * turn_ns, "turn_per_bound");
}

static void test_guard_key(struct sched_guard *skel)
{
	struct bpf_link *link;

	ASSERT_EQ(read_stat("guard"), 0, "off_idle");
	link = bpf_program__attach(skel->progs.observe);
	ASSERT_EQ(read_stat("guard"), 0, "off_observer");
	bpf_link__destroy(link);
	link = bpf_program__attach(skel->progs.place);
	ASSERT_EQ(read_stat("guard"), 0, "off_placement");
	bpf_link__destroy(link);
	link = bpf_program__attach(skel->progs.hold_pick);
	ASSERT_EQ(read_stat("guard"), 1, "on_holder");
	bpf_link__destroy(link);
	ASSERT_EQ(read_stat("guard"), 0, "off_again");
}

void test_sched_guard(void)
{
	static const struct {
		const char *name;
		void (*fn)(struct sched_guard *skel);
	} tests[] = {
		{ "guard_key", test_guard_key },
		{ "no_holder", test_no_holder },
		{ "depth", test_depth },
		{ "many", test_many },
		{ "throttled", test_throttled },
		{ "wakeup", test_wakeup },
		{ "preempted", test_preempted },
	};
	char old_wait[16] = {}, old_stats[16] = {};
	struct sched_guard *skel;
	cpu_set_t old;
	int i, fd;

	if (!sched_have_stats()) {
		test__skip();
		return;
	}
	fd = open(MAX_WAIT_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "max_wait_file"))
		return;
	if (!ASSERT_GT(read(fd, old_wait, sizeof(old_wait) - 1), 0, "max_wait_read")) {
		close(fd);
		return;
	}
	close(fd);
	fd = open(SCHEDSTATS_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "schedstats_file") ||
	    !ASSERT_GT(read(fd, old_stats, sizeof(old_stats) - 1), 0, "schedstats_read") ||
	    !ASSERT_OK(sched_write_file(SCHEDSTATS_FILE, "1"), "schedstats_on")) {
		close(fd);
		return;
	}
	close(fd);

	skel = sched_guard__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	skel->data->cpu = test_cpu();
	if (!ASSERT_OK(sched_guard__load(skel), "load"))
		goto out;
	sched_getaffinity(0, sizeof(old), &old);
	sched_pin(0);
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		if (test__start_subtest(tests[i].name))
			tests[i].fn(skel);
	sched_setaffinity(0, sizeof(old), &old);
	sched_write_file(MAX_WAIT_FILE, old_wait);
out:
	sched_write_file(SCHEDSTATS_FILE, old_stats);
	sched_guard__destroy(skel);
}
