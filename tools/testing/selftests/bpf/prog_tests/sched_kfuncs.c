// SPDX-License-Identifier: GPL-2.0
/*
 * The sched kfuncs: called from a sched program on a hook and from syscall
 * programs run with BPF_PROG_TEST_RUN, each result checked against /proc,
 * the cgroup files and /sys/devices/system/cpu; and the misuse the
 * verifier refuses (progs/sched_kfuncs_fail.c).
 */
#define _GNU_SOURCE
#include <linux/bits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "sched_common.h"
#include "cap_helpers.h"
#include "cgroup_helpers.h"
#include "sched_kfuncs.skel.h"
#include "sched_kfuncs_fail.skel.h"
#include "sched_kfuncs_scx.skel.h"

#define CGROUP		"/sched_kfuncs"
#define GROUP_TAG	5
#define TASK_TAG	7

static int write_file(const char *path, const char *fmt, long long val)
{
	char buf[32];
	int fd, len, err = 0;

	len = snprintf(buf, sizeof(buf), fmt, val);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		err = -errno;
	close(fd);
	return err;
}

static long long read_file(const char *path)
{
	long long val = LLONG_MIN;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &val) != 1)
			val = LLONG_MIN;
		fclose(f);
	}
	return val;
}

static int last_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static bool stop_spin;

static void *spin_fn(void *arg)
{
	sched_pin(last_cpu());
	while (!READ_ONCE(stop_spin))
		;
	return NULL;
}

/* A process that sleeps and wakes on the last CPU until killed. */
static pid_t start_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sched_pin(last_cpu());
		for (;;)
			usleep(300);
	}
	return pid;
}

static int run_syscall(struct bpf_program *prog, void *args, size_t size)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = size);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	return err ?: opts.retval;
}

/* Tags read on the hook, of a task in a tagged group. */
static void test_hook(void)
{
	struct sched_kfuncs *skel = NULL;
	char path[64], group_tag[PATH_MAX];
	pthread_t spinner;
	pid_t pid = -1;

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	if (!ASSERT_GE(create_and_get_cgroup(CGROUP), 0, "create_cgroup"))
		goto out;
	snprintf(group_tag, sizeof(group_tag), "/mnt/cgroup-test-work-dir%d%s/cpu.tag",
		 getpid(), CGROUP);
	if (!ASSERT_OK(write_file(group_tag, "%lld", GROUP_TAG), "group_tag"))
		goto out;

	pid = start_sleeper();
	if (!ASSERT_GT(pid, 0, "fork"))
		goto out;
	/* the group's tag first, then one of the task's own */
	snprintf(path, sizeof(path), "/mnt/cgroup-test-work-dir%d%s/cgroup.procs",
		 getpid(), CGROUP);
	if (!ASSERT_OK(write_file(path, "%lld", pid), "join"))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/tag", pid);
	ASSERT_EQ(read_file(path), GROUP_TAG, "task_took_group_tag");
	if (!ASSERT_OK(write_file(path, "%lld", TASK_TAG), "task_tag"))
		goto out;

	skel = sched_kfuncs__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		goto out;
	skel->bss->wakee_tid = pid;
	if (!ASSERT_OK(sched_kfuncs__attach(skel), "attach"))
		goto out;
	WRITE_ONCE(stop_spin, false);
	if (!ASSERT_OK(pthread_create(&spinner, NULL, spin_fn, NULL), "spinner"))
		goto out;
	usleep(300000);
	WRITE_ONCE(stop_spin, true);
	pthread_join(spinner, NULL);
	sched_kfuncs__detach(skel);

	ASSERT_GT(skel->bss->seen, 0, "hook_saw_wakee");
	ASSERT_EQ(skel->bss->hook_task_tag, TASK_TAG, "task_tag_of");
	ASSERT_EQ(skel->bss->hook_tg_tag, GROUP_TAG, "tg_tag_of");
	ASSERT_EQ(skel->bss->hook_is_task, 1, "entity_is_task");
	ASSERT_EQ(skel->bss->hook_to_task_ok, 1, "entity_to_task");
	ASSERT_EQ(skel->bss->hook_task_to_tg_null, 1, "task_entity_to_tg_null");
	ASSERT_EQ(skel->data->hook_parent_is_task, 0, "group_entity_is_task");
	ASSERT_EQ(skel->data->hook_parent_to_task_null, 1, "group_entity_to_task_null");
	ASSERT_EQ(skel->bss->hook_parent_tg_tag, GROUP_TAG, "group_entity_to_tg");
	ASSERT_OK(skel->bss->hook_stats_ret, "hook_cpu_stats_of");
	ASSERT_GE(skel->bss->hook_nr_running, 2, "hook_nr_running");	/* curr, wakee */
	ASSERT_EQ(skel->bss->hook_share, 1, "hook_share_cache");
	ASSERT_EQ(skel->bss->hook_topo_ret, sysconf(_SC_NPROCESSORS_CONF), "hook_topology");
	ASSERT_OK(skel->bss->hook_info_ret, "hook_cpumask_info");
	ASSERT_EQ(skel->bss->hook_nr_online, sysconf(_SC_NPROCESSORS_ONLN), "hook_nr_online");
	ASSERT_EQ(skel->bss->hook_op_weight, 2, "hook_cpumask_op");
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	sched_kfuncs__destroy(skel);
	cleanup_cgroup_environment();
}

struct task_args {
	int pid, set;
	__s64 new_tag, tag;
	int ret;
};

struct tg_args {
	__u64 cgid;
	int set;
	__s64 new_tag, tag;
	int ret;
};

/*
 * Loading and running a syscall program takes only CAP_BPF: its tag
 * setters still need CAP_SYS_NICE, as /proc/<pid>/tag and cpu.tag do.
 */
static void test_syscall_tags_unpriv(void)
{
	struct task_args ta = { .pid = getpid(), .set = 1, .new_tag = 9 };
	struct tg_args ga = { .set = 1, .new_tag = 9 };
	struct sched_kfuncs *skel;
	char group_tag[PATH_MAX];
	__u64 old_caps = 0;
	int err;

	skel = sched_kfuncs__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		goto out;
	if (!ASSERT_GE(create_and_get_cgroup(CGROUP), 0, "create_cgroup"))
		goto out_cg;
	ga.cgid = get_cgroup_id(CGROUP);
	snprintf(group_tag, sizeof(group_tag), "/mnt/cgroup-test-work-dir%d%s/cpu.tag",
		 getpid(), CGROUP);

	err = cap_disable_effective(BIT_ULL(CAP_SYS_NICE) | BIT_ULL(CAP_SYS_ADMIN), &old_caps);
	if (!ASSERT_OK(err, "drop_caps"))
		goto out_cg;
	err = run_syscall(skel->progs.task_tag, &ta, sizeof(ta));
	err = err ?: run_syscall(skel->progs.tg_tag, &ga, sizeof(ga));
	cap_enable_effective(old_caps, NULL);
	ASSERT_OK(err, "run_with_cap_bpf_only");
	ASSERT_EQ(ta.ret, -EPERM, "set_task_tag_refused");
	ASSERT_EQ(read_file("/proc/self/tag"), 0, "task_tag_unchanged");
	ASSERT_EQ(ga.ret, -EPERM, "set_tg_tag_refused");
	ASSERT_EQ(read_file(group_tag), 0, "group_tag_unchanged");
out_cg:
	cleanup_cgroup_environment();
out:
	sched_kfuncs__destroy(skel);
}

/* The tag kfuncs from syscall programs, against /proc and cpu.tag. */
static void test_syscall_tags(void)
{
	struct task_args ta = { .pid = getpid(), .set = 1, .new_tag = -1 };
	struct tg_args ga = { .set = 1, .new_tag = 11 };
	struct sched_kfuncs *skel;
	char group_tag[PATH_MAX];

	skel = sched_kfuncs__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;

	snprintf(group_tag, sizeof(group_tag), "/proc/self/task/%ld/tag", (long)sys_gettid());
	ASSERT_OK(write_file(group_tag, "%lld", 3), "proc_write");
	ASSERT_OK(run_syscall(skel->progs.task_tag, &ta, sizeof(ta)), "run_task");
	ASSERT_OK(ta.ret, "task_ret");
	ASSERT_EQ(ta.tag, 3, "task_tag_of");
	ASSERT_EQ(read_file("/proc/self/tag"), -1, "set_task_tag");
	write_file("/proc/self/tag", "%lld", 0);

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		goto out;
	if (!ASSERT_GE(create_and_get_cgroup(CGROUP), 0, "create_cgroup") ||
	    !ASSERT_OK(enable_controllers(CGROUP, "cpu"), "enable_cpu") ||
	    !ASSERT_GE(create_and_get_cgroup(CGROUP "/child"), 0, "create_child"))
		goto out_cg;
	snprintf(group_tag, sizeof(group_tag), "/mnt/cgroup-test-work-dir%d%s/cpu.tag",
		 getpid(), CGROUP);
	ASSERT_OK(write_file(group_tag, "%lld", 4), "cpu_tag_write");
	ga.cgid = get_cgroup_id(CGROUP);
	ASSERT_OK(run_syscall(skel->progs.tg_tag, &ga, sizeof(ga)), "run_tg");
	ASSERT_OK(ga.ret, "tg_ret");
	ASSERT_EQ(ga.tag, 4, "tg_tag_of");
	ASSERT_EQ(read_file(group_tag), 11, "set_tg_tag");
	snprintf(group_tag, sizeof(group_tag), "/mnt/cgroup-test-work-dir%d%s/child/cpu.tag",
		 getpid(), CGROUP);
	ASSERT_EQ(read_file(group_tag), 11, "set_tg_tag_descendant");

	/* The root group has no tag to set. */
	memset(&ga, 0, sizeof(ga));
	ga.cgid = 1;
	ga.set = 1;
	ga.new_tag = 2;
	ASSERT_OK(run_syscall(skel->progs.tg_tag, &ga, sizeof(ga)), "run_root");
	ASSERT_EQ(ga.ret, -EINVAL, "root_refused");
	ASSERT_EQ(ga.tag, 0, "root_tag");
out_cg:
	cleanup_cgroup_environment();
out:
	sched_kfuncs__destroy(skel);
}

static long long sys_cpu_file(int cpu, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/%s", cpu, name);
	return read_file(path);
}

/*
 * The LLC a CPU is in, as sysfs tells: its L3's id, or its package where
 * the CPU reports no L3 (the scheduler's LLC is then the package).
 */
static long long llc_of(int cpu)
{
	long long id = sys_cpu_file(cpu, "cache/index3/id");

	return id >= 0 ? id : 1000 + sys_cpu_file(cpu, "topology/physical_package_id");
}

/* The weight of a cpulist such as "0-3,5" and the value one past its last CPU. */
static int cpulist(const char *name, int *end)
{
	char path[128], buf[256], *s;
	int n = 0, a, b;
	FILE *f;

	*end = 0;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	for (s = strtok(buf, ",\n"); s; s = strtok(NULL, ",\n")) {
		if (sscanf(s, "%d-%d", &a, &b) != 2) {
			a = atoi(s);
			b = a;
		}
		n += b - a + 1;
		*end = b + 1;
	}
	return n;
}

struct cpu_args {
	int cpu, other_cpu;
	int ret_stats, ret_bad_cpu, ret_big_cpu, ret_bad_size, ret_info, ret_topo;
	int share_self, share_other, share_back, share_bad;
};

/* CPU state, masks and topology against /sys, beside a pinned spinner. */
static void test_syscall_cpus(void)
{
	struct cpu_args ca = { .cpu = last_cpu(), .other_cpu = 0 };
	int possible, online, end, cpu, cap;
	struct sched_kfuncs *skel;
	pthread_t spinner;

	skel = sched_kfuncs__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	WRITE_ONCE(stop_spin, false);
	if (!ASSERT_OK(pthread_create(&spinner, NULL, spin_fn, NULL), "spinner"))
		goto out;
	usleep(100000);
	ASSERT_OK(run_syscall(skel->progs.cpu_state, &ca, sizeof(ca)), "run");
	WRITE_ONCE(stop_spin, true);
	pthread_join(spinner, NULL);

	ASSERT_OK(ca.ret_stats, "cpu_stats_of");
	ASSERT_GE(skel->bss->cfs_h_nr_running, 1, "cfs_h_nr_running");
	ASSERT_GE(skel->bss->nr_running, skel->bss->cfs_h_nr_running, "nr_running");
	ASSERT_EQ(skel->bss->idle, 0, "busy_not_idle");
	ASSERT_GT(skel->bss->cfs_util_avg, 100, "spinner_util");
	cap = sys_cpu_file(ca.cpu, "cpu_capacity");
	ASSERT_EQ(skel->bss->capacity_orig, cap > 0 ? cap : 1024, "capacity_orig");
	ASSERT_EQ(ca.ret_bad_cpu, -EINVAL, "bad_cpu");
	ASSERT_EQ(ca.ret_big_cpu, -EINVAL, "cpu_past_nr_cpu_ids");
	ASSERT_EQ(ca.ret_bad_size, -EINVAL, "bad_size");

	ASSERT_OK(ca.ret_info, "cpumask_info");
	possible = cpulist("possible", &end);
	ASSERT_EQ(skel->bss->nr_possible, possible, "nr_possible");
	ASSERT_EQ(skel->bss->nr_cpu_ids, end, "nr_cpu_ids");
	online = cpulist("online", &end);
	ASSERT_EQ(skel->bss->nr_online, online, "nr_online");
	ASSERT_EQ(skel->bss->nr_active, online, "nr_active");
	ASSERT_EQ(skel->bss->nr_housekeeping, possible, "nr_housekeeping");
	if (online < 64)
		ASSERT_EQ(skel->bss->online_mask, (1ULL << online) - 1, "online_mask");

	ASSERT_EQ(ca.ret_topo, possible, "init_cpu_topology");
	ASSERT_EQ(skel->bss->ret_not_topo, -EINVAL, "wrong_map");
	ASSERT_EQ(skel->bss->ret_rdonly_topo, -EINVAL, "read_only_map");
	for (cpu = 0; cpu < online && cpu < 64; cpu++) {
		ASSERT_EQ(skel->bss->topo_cpu[cpu], cpu, "topo_cpu");
		ASSERT_EQ(skel->bss->core_id[cpu], sys_cpu_file(cpu, "topology/core_id"),
			  "core_id");
		ASSERT_EQ(skel->bss->package_id[cpu],
			  sys_cpu_file(cpu, "topology/physical_package_id"), "package_id");
		ASSERT_EQ(skel->bss->self_sibling[cpu], 1, "self_sibling");
	}

	ASSERT_EQ(ca.share_self, 1, "share_cache_self");
	/* the default VM: CPU 0 and the last CPU are in different sockets */
	ASSERT_EQ(ca.share_other, llc_of(ca.cpu) == llc_of(ca.other_cpu), "share_cache_other");
	ASSERT_EQ(ca.share_back, ca.share_other, "share_cache_symmetric");
	ASSERT_EQ(ca.share_bad, -EINVAL, "share_cache_bad_cpu");
out:
	sched_kfuncs__destroy(skel);
}

/* bpf_cpumask_op(): each operation on {0, 2} and {2, 3}, and bad input. */
static void test_cpumask_op(void)
{
	struct sched_kfuncs *skel;
	int *ret, unused = 0;
	__u64 *dst;

	skel = sched_kfuncs__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (!sched_need_cpus(4, false, "the masks name CPUs 0-3, in two LLCs"))
		goto out;
	ASSERT_OK(run_syscall(skel->progs.mask_ops, &unused, sizeof(unused)), "run");
	ret = skel->bss->op_ret;
	dst = skel->bss->op_dst;
	ASSERT_EQ(ret[0], 0, "empty");
	ASSERT_EQ(ret[1], 1, "and");
	ASSERT_EQ(dst[1], 0x4, "and_dst");
	ASSERT_EQ(ret[2], 1, "andnot");
	ASSERT_EQ(dst[2], 0x1, "andnot_dst");
	ASSERT_EQ(ret[3], 0, "subset");
	ASSERT_EQ(ret[4], 0, "equal");
	ASSERT_EQ(ret[5], 1, "test_cpu");
	ASSERT_EQ(ret[6], 0, "copy");
	ASSERT_EQ(dst[6], 0x5, "copy_dst");
	ASSERT_EQ(ret[7], 2, "weight");
	ASSERT_EQ(ret[8], 2, "next");
	ASSERT_EQ(ret[9], 0, "next_wrap");
	ASSERT_EQ(ret[10], 2, "next_and");
	ASSERT_EQ(ret[11], 0, "cpulist_parse");
	ASSERT_EQ(dst[11], 0xb, "cpulist_parse_dst");
	ASSERT_EQ(skel->bss->op_bad_op, -EINVAL, "bad_op");
	ASSERT_EQ(skel->bss->op_bad_cpu, -EINVAL, "bad_cpu");
	ASSERT_EQ(skel->bss->op_bad_size, -EINVAL, "bad_size");
	ASSERT_EQ(skel->bss->op_bad_list, -EINVAL, "bad_list");
	ASSERT_EQ(skel->bss->op_no_nul, -EINVAL, "no_nul");
out:
	sched_kfuncs__destroy(skel);
}

/* A sched_ext scheduler reads the tag of a task it enqueues. */
static void test_sched_ext(void)
{
	struct sched_kfuncs_scx *skel;
	struct bpf_link *link = NULL;
	char path[64];
	pid_t pid;

	skel = sched_kfuncs_scx__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	pid = start_sleeper();
	if (!ASSERT_GT(pid, 0, "fork"))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/tag", pid);
	if (!ASSERT_OK(write_file(path, "%lld", TASK_TAG), "task_tag"))
		goto out_kill;
	skel->bss->target_tid = pid;
	link = bpf_map__attach_struct_ops(skel->maps.tag_ops);
	if (!ASSERT_OK_PTR(link, "attach_struct_ops"))
		goto out_kill;
	usleep(100000);
	bpf_link__destroy(link);
	ASSERT_GT(skel->bss->target_seen, 0, "enqueued");
	ASSERT_EQ(skel->bss->target_tag, TASK_TAG, "tag_read");
out_kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
out:
	sched_kfuncs_scx__destroy(skel);
}

void test_sched_kfuncs(void)
{
	if (test__start_subtest("hook"))
		test_hook();
	if (test__start_subtest("syscall_tags"))
		test_syscall_tags();
	if (test__start_subtest("syscall_tags_unpriv"))
		test_syscall_tags_unpriv();
	if (test__start_subtest("syscall_cpus"))
		test_syscall_cpus();
	if (test__start_subtest("cpumask_op"))
		test_cpumask_op();
	if (test__start_subtest("sched_ext"))
		test_sched_ext();
	RUN_TESTS(sched_kfuncs_fail);
}
