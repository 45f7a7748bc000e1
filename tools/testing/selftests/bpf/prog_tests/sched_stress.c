// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: the framework under a hostile policy and a mixed load.
 *
 * The load runs in a three-level cgroup tree with a tag at every level
 * (-1, 1, 2; the tasks of the two outer levels in leaf groups of theirs):
 * per level, two CPU hogs free to run anywhere, one hog allowed on CPUs 1
 * and up only, and two sleepers that sleep SLEEP_US at a time and measure
 * how late they wake. It passes only if every hog's longest wait
 * (schedstats) stays within the starvation bound, every sleeper keeps
 * waking, no task is seen on a CPU outside its affinity, and the load's
 * work gets done. The console is checked for splats by the harness.
 *
 * chaos: programs on every hook at once return random values, valid and
 * invalid (prog/sched_chaos.c), for CHAOS_MS of guest time
 * (SCHED_STRESS_SOAK=1: ten times as long); the hooks must have rejected
 * what they could not apply.
 *
 * storm: STORM_CYCLES cycles (ten times as many with SCHED_STRESS_SOAK=1)
 * of attaching the chaos programs to every hook and detaching them while
 * the load runs; every tenth cycle the kill switch and the starvation
 * bound are set at random, and every fifth a child process that loads and
 * attaches the programs is killed with SIGKILL at a random moment.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "cgroup_helpers.h"
#include "sched_chaos.skel.h"

#define MAX_WAIT_FILE	"/proc/sys/kernel/sched_bpf_max_wait_ms"
#define SCHEDSTATS_FILE	"/proc/sys/kernel/sched_schedstats"
#define BOUND_MS	200
#define CHAOS_MS	15000
#define STORM_CYCLES	10
#define ENABLED_FILE	"/proc/sys/kernel/sched_bpf_enabled"
#define SLEEP_US	2000
#define TICK_NS		1000000ULL
#define LEVELS		3
#define PER_LEVEL	5	/* 2 hogs, 1 pinned hog, 2 sleepers */
#define NR_TASKS	(LEVELS * PER_LEVEL)

enum kind { HOG, PINNED, SLEEPER };

struct result {
	pid_t pid;
	enum kind kind;
	__u64 loops, max_late_ns, wait_max_ns;
	__u64 outside;		/* times seen on a CPU outside its affinity */
};

struct shared {
	int ready, stop;
	struct result r[NR_TASKS];
};

/* Where each level's tasks run (cgroup v2 wants them in leaves), and the tree. */
static const char *const groups[LEVELS] = { "/s1/w", "/s1/s2/w", "/s1/s2/s3" };
static const char *const tree[] = { "/s1", "/s1/s2", "/s1/w", "/s1/s2/w", "/s1/s2/s3" };
static const char *const tagged[LEVELS] = { "/s1", "/s1/s2", "/s1/s2/s3" };
static const char *const tags[LEVELS] = { "-1", "1", "2" };

static void worker(struct shared *sh, int i, pid_t test_pid)
{
	struct result *r = &sh->r[i];
	int ncpus = libbpf_num_possible_cpus();
	__u64 t0, late;

	r->kind = i % PER_LEVEL < 2 ? HOG : i % PER_LEVEL == 2 ? PINNED : SLEEPER;
	if (sched_join_workdir(test_pid, groups[i / PER_LEVEL]))
		_exit(1);
	if (r->kind == PINNED)
		sched_set_cpus(1, ncpus - 1);
	r->pid = getpid();
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(sh->stop)) {
		if (r->kind == SLEEPER) {
			t0 = sched_now_ns(CLOCK_MONOTONIC);
			usleep(SLEEP_US);
			late = sched_now_ns(CLOCK_MONOTONIC) - t0 - SLEEP_US * 1000ULL;
			if (late > r->max_late_ns)
				r->max_late_ns = late;
		} else if (r->kind == PINNED && sched_getcpu() == 0) {
			r->outside++;
		}
		r->loops++;
	}
	_exit(0);
}

static int soak_factor(void)
{
	const char *soak = getenv("SCHED_STRESS_SOAK");

	return soak && atoi(soak) ? 10 : 1;
}

/*
 * Run the load for @ms, or while @attach runs if it is a storm (@ms 0),
 * with @attach's programs attached; 0 or -1.
 */
static int run_load(int ms, int (*attach)(void *), void *ctx, struct result *res)
{
	pid_t pids[NR_TASKS], test_pid = getpid();
	struct shared *sh;
	int i, n, err = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ASSERT_NEQ(sh, MAP_FAILED, "mmap"))
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (n = 0; n < NR_TASKS; n++) {
		pids[n] = fork();
		if (pids[n] == 0)
			worker(sh, n, test_pid);
		if (pids[n] < 0) {
			err = -1;
			break;
		}
	}
	if (!err)
		err = sched_wait_ready(&sh->ready, n);
	for (i = 0; !err && i < n; i++)
		sched_wait_max(pids[i], true);
	if (!err && attach)
		err = attach(ctx);
	usleep(ms * 1000);
	for (i = 0; i < n; i++)
		sh->r[i].wait_max_ns = sched_wait_max(pids[i], false);
	WRITE_ONCE(sh->stop, 1);
	if (sched_reap(pids, n))
		err = -1;
	memcpy(res, sh->r, sizeof(sh->r));
	munmap(sh, sizeof(*sh));
	ASSERT_OK(err, "run_load");
	return err;
}

static void check_load(const char *name, const struct result *res, int ms)
{
	__u64 wait = 0, late = 0, min_loops = ~0ULL, outside = 0;
	int i;

	for (i = 0; i < NR_TASKS; i++) {
		if (res[i].kind != SLEEPER && res[i].wait_max_ns > wait)
			wait = res[i].wait_max_ns;
		if (res[i].max_late_ns > late)
			late = res[i].max_late_ns;
		if (res[i].loops < min_loops)
			min_loops = res[i].loops;
		outside += res[i].outside;
	}
	printf("%s: %d s, %d tasks: longest hog wait %.3f ms, latest sleeper wakeup %.3f ms, ",
	       name, ms / 1000, NR_TASKS, wait / 1e6, late / 1e6);
	printf("fewest loops %llu, %llu runs outside affinity\n", min_loops, outside);
	ASSERT_LE(wait, BOUND_MS * 1000000ULL + 10 * TICK_NS, "hog_wait_bounded");
	ASSERT_LE(late, BOUND_MS * 1000000ULL + 10 * TICK_NS, "sleeper_wakes");
	/* Each sleeper woke at least once per bound. */
	ASSERT_GE(min_loops, (__u64)ms / (BOUND_MS + 10), "work_done");
	ASSERT_EQ(outside, 0, "affinity_kept");
}

static int attach_chaos(void *ctx)
{
	return sched_chaos__attach(ctx) ? -1 : 0;
}

struct storm {
	struct sched_chaos *skel;
	int cycles, killed, flips, ms;
};

/* A child that loads and attaches the programs, killed at a random moment. */
static void kill_mid_attach(struct storm *st)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		struct sched_chaos *skel = sched_chaos__open_and_load();

		if (skel && !sched_chaos__attach(skel))
			pause();
		_exit(0);
	}
	if (pid < 0)
		return;
	usleep(rand() % 50000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	st->killed++;
}

static int storm(void *ctx)
{
	struct storm *st = ctx;
	__u64 t0 = sched_now_ns(CLOCK_MONOTONIC);
	char val[16];
	int i, err = 0;

	for (i = 0; i < st->cycles && !err; i++) {
		if (sched_chaos__attach(st->skel)) {
			err = -1;
			break;
		}
		sched_chaos__detach(st->skel);
		if (i % 10 == 5) {
			err = sched_write_file(ENABLED_FILE, rand() & 1 ? "1" : "0");
			snprintf(val, sizeof(val), "%d", 1 + rand() % BOUND_MS);
			err = err ?: sched_write_file(MAX_WAIT_FILE, val);
			st->flips++;
		}
		if (i % 5 == 2)
			kill_mid_attach(st);
	}
	sched_write_file(ENABLED_FILE, "1");
	sched_write_file(MAX_WAIT_FILE, "200");
	st->ms = (sched_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
	ASSERT_OK(err, "storm");
	return err;
}

static void test_storm(void)
{
	static struct result res[NR_TASKS];
	struct storm st = { .cycles = STORM_CYCLES * soak_factor() };

	st.skel = sched_chaos__open_and_load();
	if (!ASSERT_OK_PTR(st.skel, "open_and_load"))
		return;
	srand(getpid());
	if (!run_load(0, storm, &st, res))
		check_load("storm", res, st.ms);
	printf("storm: %d attach/detach cycles of 17 programs in %d ms, ", st.cycles, st.ms);
	printf("%d children killed mid-attach, %d flips of the kill switch and bound\n",
	       st.killed, st.flips);
	ASSERT_GT(st.skel->bss->calls, 0, "storm_ran");
	sched_chaos__destroy(st.skel);
}

static __u64 total_rejected(void)
{
	static const char *const hooks[] = {
		"cfs_select_rq", "cfs_wake_affine", "cfs_select_rq_exit",
		"cfs_tag_pick_next_entity", "cfs_calculate_imbalance",
		"cfs_find_busiest_queue", "cfs_detach_tasks",
	};
	__u64 n = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		n += sched_rejected(hooks[i]);
	return n;
}

static void test_chaos(void)
{
	static struct result res[NR_TASKS];
	int ms = CHAOS_MS * soak_factor();
	struct sched_chaos *skel;
	__u64 rejected0;

	skel = sched_chaos__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	rejected0 = total_rejected();
	if (!run_load(ms, attach_chaos, skel, res))
		check_load("chaos", res, ms);
	printf("chaos: %llu program calls, %llu decisions rejected\n",
	       skel->bss->calls, total_rejected() - rejected0);
	ASSERT_GT(skel->bss->calls, 1000, "chaos_ran");
	ASSERT_GT(total_rejected(), rejected0, "invalid_rejected");
	sched_chaos__destroy(skel);
}

void test_sched_stress(void)
{
	char old_wait[16] = {}, old_stats[16] = {};
	int i, fd;

	if (!sched_have_stats() || libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	fd = open(MAX_WAIT_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "max_wait_file") ||
	    !ASSERT_GT(read(fd, old_wait, sizeof(old_wait) - 1), 0, "max_wait_read"))
		goto out_fd;
	close(fd);
	fd = open(SCHEDSTATS_FILE, O_RDONLY);
	if (!ASSERT_GE(fd, 0, "schedstats_file") ||
	    !ASSERT_GT(read(fd, old_stats, sizeof(old_stats) - 1), 0, "schedstats_read"))
		goto out_fd;
	close(fd);
	fd = -1;
	if (!ASSERT_OK(sched_write_file(SCHEDSTATS_FILE, "1"), "schedstats_on") ||
	    !ASSERT_OK(sched_write_file(MAX_WAIT_FILE, "200"), "max_wait"))
		goto out;
	if (!ASSERT_OK(setup_cgroup_environment(), "cgroups"))
		goto out;
	for (i = 0; i < ARRAY_SIZE(tree); i++) {
		if (!ASSERT_GE(create_and_get_cgroup(tree[i]), 0, tree[i]) ||
		    (i < 2 && !ASSERT_OK(enable_controllers(tree[i], "cpu"), "cpu")))
			goto out_cg;
	}
	/* Outermost first: a group's write sets its descendants too. */
	for (i = 0; i < LEVELS; i++)
		if (!ASSERT_OK(write_cgroup_file(tagged[i], "cpu.tag", tags[i]), "tag"))
			goto out_cg;
	if (test__start_subtest("chaos"))
		test_chaos();
	if (test__start_subtest("storm"))
		test_storm();
out_cg:
	cleanup_cgroup_environment();
out:
	sched_write_file(SCHEDSTATS_FILE, old_stats);
	sched_write_file(MAX_WAIT_FILE, old_wait);
	return;
out_fd:
	if (fd >= 0)
		close(fd);
}
