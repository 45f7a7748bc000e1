// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF_SCHED core, through its first hook, cfs_check_preempt_wakeup:
 * attach and detach (and the hook's static key, seen through the stats
 * file), the refusals, the decision's effect in both directions, two
 * programs on one hook, and the kill switch.
 *
 * The workload: on one CPU, a task that spins and a task that sleeps
 * SLEEP_US at a time. Each wakeup of the sleeper asks the hook whether it
 * preempts the spinner; the spinner's involuntary context switches show
 * what was decided. EEVDF lets nearly every wakeup of a SCHED_OTHER sleeper
 * preempt (it stays far below its share), and none of a SCHED_BATCH one:
 * so a program that refuses is measured against the first, one that
 * preempts against the second. Measured under TCG with -icount, in RUN_MS:
 * about 800 switches with preemption, 100 (one per slice) without.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <test_progs.h>
#include "sched_common.h"
#include <bpf/btf.h>
#include "cap_helpers.h"
#include "sched_wakeup_preempt.skel.h"
#include "sched_nongpl.skel.h"

#define ENABLED_FILE	"/proc/sys/kernel/sched_bpf_enabled"
#define HOOK		"cfs_check_preempt_wakeup"
#define RUN_MS		300
#define SLEEP_US	300

/* Well above, well below the baseline: margins that hold under TCG. */
#define MORE(base)	((base) * 2)
#define LESS(base)	((base) / 2)

struct workload {
	int cpu;
	pthread_barrier_t ready, go;
	bool stop;
	pid_t sleeper_tid;
	int sleeper_policy;
	long spinner_nivcsw;
	long wakeups;
};

static void *spinner_fn(void *arg)
{
	struct workload *w = arg;
	struct rusage a, b;

	sched_pin(w->cpu);
	pthread_barrier_wait(&w->ready);
	pthread_barrier_wait(&w->go);
	getrusage(RUSAGE_THREAD, &a);
	while (!READ_ONCE(w->stop))
		;
	getrusage(RUSAGE_THREAD, &b);
	w->spinner_nivcsw = b.ru_nivcsw - a.ru_nivcsw;
	return NULL;
}

static void *sleeper_fn(void *arg)
{
	struct workload *w = arg;

	sched_pin(w->cpu);
	w->sleeper_tid = sys_gettid();
	if (w->sleeper_policy != SCHED_OTHER) {
		struct sched_param param = {};

		sched_setscheduler(0, w->sleeper_policy, &param);
	}
	pthread_barrier_wait(&w->ready);
	pthread_barrier_wait(&w->go);
	while (!READ_ONCE(w->stop)) {
		usleep(SLEEP_US);
		w->wakeups++;
	}
	return NULL;
}

/*
 * Run the workload for RUN_MS on the last CPU, the sleeper with @policy,
 * telling @skel (if any) which task is the sleeper. Returns the spinner's
 * involuntary context switches, or -1.
 */
static long run_workload(struct sched_wakeup_preempt *skel, int policy)
{
	struct workload w = {
		.cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1,
		.sleeper_policy = policy,
	};
	pthread_t spinner, sleeper;
	cpu_set_t old;

	/* Keep this thread off the measured CPU. */
	sched_getaffinity(0, sizeof(old), &old);
	sched_pin(0);
	pthread_barrier_init(&w.ready, NULL, 3);
	pthread_barrier_init(&w.go, NULL, 3);
	if (pthread_create(&spinner, NULL, spinner_fn, &w))
		return -1;
	if (pthread_create(&sleeper, NULL, sleeper_fn, &w)) {
		WRITE_ONCE(w.stop, true);
		pthread_barrier_wait(&w.ready);
		pthread_join(spinner, NULL);
		return -1;
	}
	pthread_barrier_wait(&w.ready);
	if (skel)
		skel->bss->wakee_tid = w.sleeper_tid;
	pthread_barrier_wait(&w.go);
	usleep(RUN_MS * 1000);
	WRITE_ONCE(w.stop, true);
	pthread_join(spinner, NULL);
	pthread_join(sleeper, NULL);
	sched_setaffinity(0, sizeof(old), &old);
	if (env.verbosity > VERBOSE_NONE)
		printf("%s: %ld wakeups, spinner nivcsw %ld\n", __func__,
		       w.wakeups, w.spinner_nivcsw);
	return w.spinner_nivcsw;
}

static int read_enabled(void)
{
	char buf[16] = {};
	int fd, n;

	fd = open(ENABLED_FILE, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

static bool link_listed(struct bpf_link *link, __u32 prog_id)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info), id = 0;
	int fd;

	if (bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len))
		return false;
	if (info.type != BPF_LINK_TYPE_TRACING || info.prog_id != prog_id ||
	    info.tracing.attach_type != BPF_SCHED)
		return false;
	/* and it is among the system's links, as bpftool link show sees them */
	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info other = {};
		__u32 olen = sizeof(other);

		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!bpf_link_get_info_by_fd(fd, &other, &olen) &&
		    other.id == info.id) {
			close(fd);
			return true;
		}
		close(fd);
	}
	return false;
}

static __u32 prog_id(struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.id;
}

static void test_attach_detach(void)
{
	struct sched_wakeup_preempt *skel;
	struct sched_hook_stats st0 = {}, st1 = {}, st2 = {}, st3 = {};
	bool stats = sched_have_stats();
	struct bpf_link *link;
	__u64 calls;

	skel = sched_wakeup_preempt__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (stats && (!ASSERT_OK(sched_read_stats(HOOK, &st0), "read_stats") ||
		      !ASSERT_EQ(st0.progs, 0, "progs_before")))
		goto out;
	if (stats)
		ASSERT_STREQ(st0.dflt, "0", "default");

	link = bpf_program__attach_sched(skel->progs.decide_a);
	if (!ASSERT_OK_PTR(link, "attach_sched"))
		goto out;
	ASSERT_TRUE(link_listed(link, prog_id(skel->progs.decide_a)), "link_listed");
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st1), "read_stats");
		ASSERT_EQ(st1.progs, 1, "progs_attached");
	}

	/* The hook runs the program on wakeups, and the key counts them. */
	ASSERT_GE(run_workload(skel, SCHED_OTHER), 0, "run_workload");
	ASSERT_GT(skel->bss->decided_a, 50, "decided_a");

	/* Closing the link detaches: the key goes off, nothing counts. */
	bpf_link__destroy(link);
	calls = skel->bss->calls_a;
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st2), "read_stats");
		ASSERT_EQ(st2.progs, 0, "progs_detached");
		ASSERT_GE(st2.calls - st0.calls, calls, "stats_calls");
	}
	ASSERT_GE(run_workload(skel, SCHED_OTHER), 0, "run_workload");
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st3), "read_stats");
		ASSERT_EQ(st3.calls, st2.calls, "stats_calls_after_detach");
	}
	ASSERT_EQ(skel->bss->calls_a, calls, "calls_after_detach");
out:
	sched_wakeup_preempt__destroy(skel);
}

/* The other way to create the link, as light skeletons do. */
static void test_raw_tp_open(void)
{
	struct sched_wakeup_preempt *skel;
	struct sched_hook_stats st = {};
	bool stats = sched_have_stats();
	int fd;

	skel = sched_wakeup_preempt__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	fd = bpf_raw_tracepoint_open(NULL, bpf_program__fd(skel->progs.decide_a));
	if (!ASSERT_GE(fd, 0, "raw_tracepoint_open"))
		goto out;
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st), "read_stats");
		ASSERT_EQ(st.progs, 1, "progs_attached");
	}
	ASSERT_GE(run_workload(skel, SCHED_OTHER), 0, "run_workload");
	ASSERT_GT(skel->bss->decided_a, 50, "decided_a");
	close(fd);
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st), "read_stats");
		ASSERT_EQ(st.progs, 0, "progs_detached");
	}
out:
	sched_wakeup_preempt__destroy(skel);
}

static void test_refuse_non_gpl(void)
{
	struct sched_nongpl *skel;
	char log[4096] = {};
	int err;

	skel = sched_nongpl__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	bpf_program__set_log_buf(skel->progs.nongpl, log, sizeof(log));
	err = sched_nongpl__load(skel);
	ASSERT_EQ(err, -EINVAL, "load_non_gpl");
	ASSERT_HAS_SUBSTR(log, "must have a GPL compatible license", "log");
	sched_nongpl__destroy(skel);
}

static void test_refuse_non_hook(void)
{
	struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_SCHED);
	char log[4096] = {};
	struct btf *btf;
	int id, fd;

	btf = btf__load_vmlinux_btf();
	if (!ASSERT_OK_PTR(btf, "vmlinux_btf"))
		return;
	/* a real function of the scheduler, but not one of the hooks */
	id = btf__find_by_name_kind(btf, "schedule", BTF_KIND_FUNC);
	btf__free(btf);
	if (!ASSERT_GT(id, 0, "btf_id_schedule"))
		return;
	opts.attach_btf_id = id;
	opts.log_buf = log;
	opts.log_size = sizeof(log);
	opts.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_SCHED, "not_a_hook", "GPL", insns,
			   ARRAY_SIZE(insns), &opts);
	ASSERT_EQ(fd, -EINVAL, "load_non_hook");
	ASSERT_HAS_SUBSTR(log, "schedule is not a sched hook", "log");
	if (fd >= 0)
		close(fd);
}

static void test_refuse_unprivileged(void)
{
	struct sched_wakeup_preempt *skel;
	__u64 old_caps;
	int err;

	skel = sched_wakeup_preempt__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	/* CAP_BPF alone is not enough: a sched program steers the system. */
	err = cap_disable_effective(1ULL << CAP_SYS_ADMIN, &old_caps);
	if (!ASSERT_OK(err, "drop_cap_sys_admin"))
		goto out;
	err = sched_wakeup_preempt__load(skel);
	cap_enable_effective(old_caps, NULL);
	ASSERT_EQ(err, -EPERM, "load_without_cap_sys_admin");
out:
	sched_wakeup_preempt__destroy(skel);
}

/*
 * Run the workload with decide_a returning @decision for the sleeper;
 * returns the spinner's involuntary context switches.
 */
static long run_decided(struct sched_wakeup_preempt *skel, int decision,
			int policy)
{
	struct bpf_link *link;
	long nivcsw;

	skel->bss->decision_a = decision;
	link = bpf_program__attach_sched(skel->progs.decide_a);
	if (!ASSERT_OK_PTR(link, "attach_sched"))
		return -1;
	nivcsw = run_workload(skel, policy);
	bpf_link__destroy(link);
	return nivcsw;
}

static void test_preempt(int decision)
{
	int policy = decision > 0 ? SCHED_BATCH : SCHED_OTHER;
	struct sched_wakeup_preempt *skel;
	long base, with;

	skel = sched_wakeup_preempt__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	base = run_workload(NULL, policy);
	with = run_decided(skel, decision, policy);
	printf("%s: decision %d: spinner nivcsw %ld, baseline %ld\n",
	       __func__, decision, with, base);
	ASSERT_GT(skel->bss->decided_a, 50, "decided_a");
	if (decision > 0)
		ASSERT_GT(with, MORE(base), "more_preemption");
	else
		ASSERT_LT(with, LESS(base), "less_preemption");
	sched_wakeup_preempt__destroy(skel);
}

/*
 * Programs run newest first (the trampoline runs its links in reverse
 * attach order); the first that returns non-zero decides and the ones
 * after it do not run.
 */
static void test_two_progs(void)
{
	struct bpf_link *link_a = NULL, *link_b = NULL;
	struct sched_wakeup_preempt *skel;
	long base_batch, base_other, first, second;

	skel = sched_wakeup_preempt__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	base_batch = run_workload(NULL, SCHED_BATCH);
	base_other = run_workload(NULL, SCHED_OTHER);

	skel->bss->decision_a = -1;
	skel->bss->decision_b = 1;
	link_a = bpf_program__attach_sched(skel->progs.decide_a);
	link_b = bpf_program__attach_sched(skel->progs.decide_b);
	if (!ASSERT_OK_PTR(link_a, "attach_a") || !ASSERT_OK_PTR(link_b, "attach_b"))
		goto out;
	first = run_workload(skel, SCHED_BATCH);
	ASSERT_GT(skel->bss->decided_b, 50, "b_decided");
	ASSERT_EQ(skel->bss->decided_a, 0, "a_not_run_for_wakee");
	ASSERT_GT(first, MORE(base_batch), "b_decision_stands");

	/* With no opinion from b, a decides. */
	skel->bss->decision_b = 0;
	second = run_workload(skel, SCHED_OTHER);
	ASSERT_GT(skel->bss->decided_a, 50, "a_decided");
	ASSERT_LT(second, LESS(base_other), "a_decision_stands");
	printf("%s: b first %ld (baseline %ld), then a %ld (baseline %ld)\n",
	       __func__, first, base_batch, second, base_other);
out:
	bpf_link__destroy(link_b);
	bpf_link__destroy(link_a);
	sched_wakeup_preempt__destroy(skel);
}

static void test_kill_switch(void)
{
	static const char * const bad[] = { "2", "-1", "abc", "1x", "0x", "99999999999999999999" };
	struct sched_wakeup_preempt *skel;
	struct sched_hook_stats st_off = {}, st_on = {};
	bool stats = sched_have_stats();
	struct bpf_link *link = NULL;
	long base, off, on;
	__u64 calls;
	int i;

	skel = sched_wakeup_preempt__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (!ASSERT_EQ(read_enabled(), 1, "enabled_at_start"))
		goto out;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(sched_write_file(ENABLED_FILE, bad[i]), -EINVAL, bad[i]);
		ASSERT_EQ(read_enabled(), 1, "unchanged_after_bad_write");
	}

	base = run_workload(NULL, SCHED_BATCH);
	skel->bss->decision_a = 1;
	link = bpf_program__attach_sched(skel->progs.decide_a);
	if (!ASSERT_OK_PTR(link, "attach_sched"))
		goto out;

	/* Off: the program stays attached but is not called. */
	if (!ASSERT_OK(sched_write_file(ENABLED_FILE, "0"), "disable"))
		goto out;
	calls = skel->bss->calls_a;
	if (stats)
		ASSERT_OK(sched_read_stats(HOOK, &st_off), "read_stats");
	off = run_workload(skel, SCHED_BATCH);
	ASSERT_EQ(skel->bss->calls_a, calls, "no_calls_while_off");
	if (stats) {
		ASSERT_OK(sched_read_stats(HOOK, &st_on), "read_stats");
		ASSERT_EQ(st_on.calls, st_off.calls, "no_stats_while_off");
		ASSERT_EQ(st_off.progs, 1, "still_attached");
	}
	ASSERT_LT(off, MORE(base), "baseline_while_off");

	/* On again: the program decides again. */
	ASSERT_OK(sched_write_file(ENABLED_FILE, "1"), "enable");
	on = run_workload(skel, SCHED_BATCH);
	ASSERT_GT(skel->bss->decided_a, 50, "calls_after_on");
	ASSERT_GT(on, MORE(base), "decision_after_on");
	printf("%s: baseline %ld, off %ld, on %ld\n", __func__, base, off, on);
out:
	sched_write_file(ENABLED_FILE, "1");
	bpf_link__destroy(link);
	sched_wakeup_preempt__destroy(skel);
}

void test_sched_wakeup_preempt(void)
{
	if (!sched_need_cpus(2, false, "the test runs apart from its tasks"))
		return;
	if (test__start_subtest("attach_detach"))
		test_attach_detach();
	if (test__start_subtest("raw_tp_open"))
		test_raw_tp_open();
	if (test__start_subtest("refuse_non_gpl"))
		test_refuse_non_gpl();
	if (test__start_subtest("refuse_non_hook"))
		test_refuse_non_hook();
	if (test__start_subtest("refuse_unprivileged"))
		test_refuse_unprivileged();
	if (test__start_subtest("preempt_more"))
		test_preempt(1);
	if (test__start_subtest("preempt_less"))
		test_preempt(-1);
	if (test__start_subtest("two_progs"))
		test_two_progs();
	if (test__start_subtest("kill_switch"))
		test_kill_switch();
}
