// SPDX-License-Identifier: GPL-2.0
/*
 * Task and group tags for BPF_SCHED policies: /proc/<pid>/tag,
 * /proc/<pid>/task/<tid>/tag and cpu.tag (cgroup v2 and v1); inheritance on
 * fork, into new groups and on moving between groups; permissions; bad
 * input.
 */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <test_progs.h>
#include "cap_helpers.h"
#include "cgroup_helpers.h"
#include "sched_tags_lsm.skel.h"

#ifndef CAP_SYS_NICE
#define CAP_SYS_NICE 23
#endif

static int write_str(const char *path, const char *val, size_t len)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int write_tag(const char *path, long long tag)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld\n", tag);
	return write_str(path, buf, strlen(buf));
}

/* The tag in @path, or LLONG_MIN when it cannot be read. */
static long long read_tag(const char *path)
{
	long long tag;
	FILE *f;
	int n;

	f = fopen(path, "r");
	if (!f)
		return LLONG_MIN;
	n = fscanf(f, "%lld", &tag);
	fclose(f);
	return n == 1 ? tag : LLONG_MIN;
}

static void tid_path(char *buf, size_t len, pid_t pid, pid_t tid)
{
	snprintf(buf, len, "/proc/%d/task/%d/tag", pid, tid);
}

static pid_t parked_tid;

static void *parked_fn(void *arg)
{
	pthread_barrier_t *b = arg;

	parked_tid = sys_gettid();
	pthread_barrier_wait(b);	/* started */
	pthread_barrier_wait(b);	/* may exit */
	return NULL;
}

static void test_proc(void)
{
	char self[64], other[64], proc[64];
	pthread_barrier_t b;
	pthread_t thread;

	tid_path(self, sizeof(self), getpid(), sys_gettid());
	snprintf(proc, sizeof(proc), "/proc/%d/tag", getpid());
	ASSERT_EQ(read_tag(self), 0, "default_tag");
	ASSERT_OK(write_tag(self, 5), "write_tid");
	ASSERT_EQ(read_tag(self), 5, "read_tid");
	ASSERT_OK(write_str(self, "-1", 2), "write_no_newline");
	ASSERT_EQ(read_tag(self), -1, "negative_tag");

	/* The process file writes every thread and reads the leader's. */
	pthread_barrier_init(&b, NULL, 2);
	if (!ASSERT_OK(pthread_create(&thread, NULL, parked_fn, &b), "thread"))
		return;
	pthread_barrier_wait(&b);
	tid_path(other, sizeof(other), getpid(), parked_tid);
	ASSERT_OK(write_tag(proc, 9), "write_process");
	ASSERT_EQ(read_tag(self), 9, "leader_tagged");
	ASSERT_EQ(read_tag(other), 9, "thread_tagged");
	ASSERT_OK(write_tag(other, 3), "write_one_thread");
	ASSERT_EQ(read_tag(other), 3, "thread_retagged");
	ASSERT_EQ(read_tag(self), 9, "leader_unchanged");
	ASSERT_EQ(read_tag(proc), 9, "process_reads_leader");
	pthread_barrier_wait(&b);
	pthread_join(thread, NULL);
	write_tag(proc, 0);
}

static void test_fork(void)
{
	char self[64];
	int pipefd[2], status;
	long long got = LLONG_MIN;
	pid_t pid;

	tid_path(self, sizeof(self), getpid(), sys_gettid());
	if (!ASSERT_OK(write_tag(self, 7), "write") || !ASSERT_OK(pipe(pipefd), "pipe"))
		return;
	pid = fork();
	if (pid == 0) {
		long long tag = read_tag("/proc/self/tag");

		write(pipefd[1], &tag, sizeof(tag));
		_exit(0);
	}
	if (ASSERT_GT(pid, 0, "fork")) {
		ASSERT_EQ(read(pipefd[0], &got, sizeof(got)), sizeof(got), "read_pipe");
		waitpid(pid, &status, 0);
	}
	ASSERT_EQ(got, 7, "child_inherits");
	close(pipefd[0]);
	close(pipefd[1]);
	write_tag(self, 0);
}

static const struct {
	const char *val;
	int err;
} bad_tags[] = {
	{ "", -EINVAL }, { "\n", -EINVAL }, { "abc", -EINVAL }, { "1x", -EINVAL },
	{ "0x10", -EINVAL }, { " 1", -EINVAL }, { "1 ", -EINVAL },
	{ "1\n\n", -EINVAL }, { "--1", -EINVAL },
	{ "9223372036854775808", -ERANGE }, { "-9223372036854775809", -ERANGE },
	{ "123456789012345678901234567890", -EINVAL },
};

static void check_bad_input(const char *path)
{
	long long before = read_tag(path);

	for (int i = 0; i < ARRAY_SIZE(bad_tags); i++) {
		int err = write_str(path, bad_tags[i].val, strlen(bad_tags[i].val));

		/* kernfs never passes an empty write to cgroup files */
		if (!bad_tags[i].val[0] && strncmp(path, "/proc/", 6) && err == 0)
			err = -EINVAL;

		/* a long write may be refused for its length, not its range */
		if (bad_tags[i].err == -EINVAL && strlen(bad_tags[i].val) > 20)
			ASSERT_TRUE(err == -EINVAL || err == -ERANGE, bad_tags[i].val);
		else
			ASSERT_EQ(err, bad_tags[i].err, bad_tags[i].val);
		ASSERT_EQ(read_tag(path), before, "unchanged");
	}
}

static void test_bad_input(void)
{
	char self[64];

	tid_path(self, sizeof(self), getpid(), sys_gettid());
	check_bad_input(self);
	check_bad_input("/proc/self/tag");
}

static void test_permission(void)
{
	char self[64], path[64];
	int status, up[2], down[2];	/* child to parent, parent to child */
	__u64 old_caps;
	pid_t pid;
	int err;

	tid_path(self, sizeof(self), getpid(), sys_gettid());
	/* Without CAP_SYS_NICE, not even one's own task. */
	if (!ASSERT_OK(cap_disable_effective(1ULL << CAP_SYS_NICE, &old_caps), "drop_cap"))
		return;
	err = write_tag(self, 4);
	cap_enable_effective(old_caps, NULL);
	ASSERT_EQ(err, -EPERM, "no_cap_sys_nice");
	ASSERT_EQ(read_tag(self), 0, "unchanged");

	/* Another user cannot tag this (root's) task; root may tag theirs. */
	if (!ASSERT_OK(pipe(up), "pipe_up"))
		return;
	if (!ASSERT_OK(pipe(down), "pipe_down"))
		goto out_up;
	pid = fork();
	if (pid == 0) {
		char c = 0;
		int ret;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		ret = write_tag(self, 4) == -EPERM ? 0 : 1;
		write(up[1], &c, 1);	/* now tag me */
		read(down[0], &c, 1);
		_exit(ret);
	}
	if (!ASSERT_GT(pid, 0, "fork"))
		goto out;
	{
		char c;

		ASSERT_EQ(read(up[0], &c, 1), 1, "child_tried");
		snprintf(path, sizeof(path), "/proc/%d/tag", pid);
		ASSERT_OK(write_tag(path, 6), "root_tags_other_user");
		ASSERT_EQ(read_tag(path), 6, "other_user_tagged");
		write(down[1], &c, 1);
	}
	waitpid(pid, &status, 0);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "other_user_refused");
	ASSERT_EQ(read_tag(self), 0, "unchanged_by_other_user");
out:
	close(down[0]);
	close(down[1]);
out_up:
	close(up[0]);
	close(up[1]);
}

/*
 * The LSMs judge every thread whose tag changes, as they judge a change of
 * its policy: an LSM that refuses one thread refuses the process-wide write
 * too, and nothing changes; the other threads stay taggable one by one.
 */
static void test_perm_lsm(void)
{
	char self[64], other[64], proc[64];
	struct sched_tags_lsm *skel;
	pthread_barrier_t b;
	pthread_t thread;

	skel = sched_tags_lsm__open_and_load();
	if (!ASSERT_OK_PTR(skel, "open_and_load"))
		return;
	if (!ASSERT_OK(sched_tags_lsm__attach(skel), "attach"))
		goto out;
	pthread_barrier_init(&b, NULL, 2);
	if (!ASSERT_OK(pthread_create(&thread, NULL, parked_fn, &b), "thread"))
		goto out;
	pthread_barrier_wait(&b);
	tid_path(self, sizeof(self), getpid(), sys_gettid());
	tid_path(other, sizeof(other), getpid(), parked_tid);
	snprintf(proc, sizeof(proc), "/proc/%d/tag", getpid());
	skel->bss->deny_tid = parked_tid;

	ASSERT_EQ(write_tag(other, 4), -EPERM, "thread_refused");
	ASSERT_EQ(read_tag(other), 0, "thread_unchanged");
	ASSERT_EQ(write_tag(proc, 6), -EPERM, "process_refused");
	ASSERT_EQ(read_tag(self), 0, "leader_unchanged");
	ASSERT_EQ(read_tag(other), 0, "thread_still_unchanged");
	ASSERT_OK(write_tag(self, 2), "leader_allowed");
	ASSERT_EQ(read_tag(self), 2, "leader_tagged");
	ASSERT_GE(skel->bss->denied, 2, "lsm_refused_both");

	skel->bss->deny_tid = 0;
	write_tag(proc, 0);
	pthread_barrier_wait(&b);
	pthread_join(thread, NULL);
out:
	sched_tags_lsm__destroy(skel);
}

/*
 * What counts is who opened the file: a privileged writer of a file an
 * unprivileged opener handed it changes nothing.
 */
static void test_perm_opener(void)
{
	char self[64];
	int fd, err = 0;

	tid_path(self, sizeof(self), getpid(), sys_gettid());
	/* root dropping to another effective uid loses its capabilities */
	if (!ASSERT_OK(setresuid(-1, 65534, -1), "seteuid_nobody"))
		return;
	fd = open(self, O_WRONLY);
	if (setresuid(-1, 0, -1))
		err = -errno;
	if (!ASSERT_OK(err, "seteuid_root") || !ASSERT_GE(fd, 0, "open_as_nobody"))
		goto out;
	ASSERT_EQ(write(fd, "7\n", 2), -1, "write_as_root");
	ASSERT_EQ(errno, EPERM, "opener_refused");
	ASSERT_EQ(read_tag(self), 0, "unchanged");
out:
	if (fd >= 0)
		close(fd);
}

/* Run @fn in a child; the child's exit status is what it returns. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Exit codes of the children below: which step went wrong. */
enum { PERM_OK, PERM_SETUP, PERM_TASK_TAG, PERM_GROUP_TAG, PERM_CHILD_GROUP };

/* Root in a new user namespace has every capability, but only there. */
static int userns_child(void *group_tag)
{
	char self[64];

	if (unshare(CLONE_NEWUSER))
		return PERM_SETUP;
	tid_path(self, sizeof(self), getpid(), sys_gettid());
	if (write_tag(self, 5) != -EPERM)
		return PERM_TASK_TAG;
	/* DAC still lets uid 0 write the root-owned file */
	if (write_tag(group_tag, 5) != -EPERM)
		return PERM_GROUP_TAG;
	return PERM_OK;
}

/*
 * The owner of a delegated subtree (chown'd as systemd does for
 * user@.service) may make groups in it, not tag them.
 */
static int delegated_child(void *dir)
{
	char path[320];

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return PERM_SETUP;
	/* the delegated group's own cpu.tag stays root's: not tried */
	snprintf(path, sizeof(path), "%s/mine", (char *)dir);
	if (mkdir(path, 0755))
		return PERM_SETUP;
	snprintf(path, sizeof(path), "%s/mine/cpu.tag", (char *)dir);
	if (write_tag(path, 5) != -EPERM)
		return PERM_CHILD_GROUP;
	return PERM_OK;
}

static void test_perm_cgroup(void)
{
	static const char * const owned[] = {
		"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads",
	};
	char dir[256], path[320];
	int i;

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	if (!ASSERT_GE(create_and_get_cgroup("/perm"), 0, "create_cgroup") ||
	    !ASSERT_OK(enable_controllers("/perm", "cpu"), "enable_cpu"))
		goto out;
	snprintf(dir, sizeof(dir), "/mnt/cgroup-test-work-dir%d/perm", getpid());
	snprintf(path, sizeof(path), "%s/cpu.tag", dir);

	ASSERT_EQ(in_child(userns_child, path), PERM_OK, "userns_root_refused");
	ASSERT_EQ(read_tag(path), 0, "unchanged_by_userns_root");

	for (i = 0; i < ARRAY_SIZE(owned); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, owned[i]);
		if (!ASSERT_OK(chown(path, 65534, 65534), "delegate"))
			goto out;
	}
	ASSERT_EQ(in_child(delegated_child, dir), PERM_OK, "delegated_owner_refused");
	snprintf(path, sizeof(path), "%s/cpu.tag", dir);
	ASSERT_EQ(read_tag(path), 0, "group_unchanged");
	snprintf(path, sizeof(path), "%s/mine/cpu.tag", dir);
	ASSERT_EQ(read_tag(path), 0, "child_group_unchanged");
	snprintf(path, sizeof(path), "%s/mine", dir);
	rmdir(path);
out:
	cleanup_cgroup_environment();
}

/* A child that sleeps until killed, in the cgroup given by @procs_path. */
static pid_t park_child_in(const char *procs_path)
{
	char buf[16];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (pid > 0 && procs_path) {
		snprintf(buf, sizeof(buf), "%d", pid);
		if (write_str(procs_path, buf, strlen(buf))) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
	}
	return pid;
}

static void reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/*
 * Groups made under @parent, a group with the cpu controller in the
 * hierarchy mounted at @root; tasks move out into @root, whose tag is 0.
 */
static void check_groups(const char *root, const char *parent)
{
	char a[200], ab[256], ac[256], file[300], task[64];
	pid_t in_ab = -1, mover = -1;

	snprintf(a, sizeof(a), "%s/sched_tags_a", parent);
	snprintf(ab, sizeof(ab), "%s/b", a);
	snprintf(ac, sizeof(ac), "%s/c", a);
	if (!ASSERT_OK(mkdir(a, 0755), "mkdir_a"))
		goto out;
	/* v2 only: give the children of a the cpu controller */
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", a);
	if (!access(file, F_OK))
		ASSERT_OK(write_str(file, "+cpu", 4), "enable_cpu");
	if (!ASSERT_OK(mkdir(ab, 0755), "mkdir_b"))
		goto out;

	snprintf(file, sizeof(file), "%s/cgroup.procs", ab);
	in_ab = park_child_in(file);
	if (!ASSERT_GT(in_ab, 0, "child_in_b"))
		goto out;
	snprintf(task, sizeof(task), "/proc/%d/tag", in_ab);
	ASSERT_EQ(read_tag(task), 0, "task_default");

	/* Writing a group's tag sets its descendants and their tasks. */
	snprintf(file, sizeof(file), "%s/cpu.tag", a);
	ASSERT_OK(write_tag(file, 4), "write_group");
	ASSERT_EQ(read_tag(file), 4, "group_tag");
	snprintf(file, sizeof(file), "%s/cpu.tag", ab);
	ASSERT_EQ(read_tag(file), 4, "descendant_tag");
	ASSERT_EQ(read_tag(task), 4, "task_in_descendant");

	/* A new group takes its parent's tag. */
	if (ASSERT_OK(mkdir(ac, 0755), "mkdir_c")) {
		snprintf(file, sizeof(file), "%s/cpu.tag", ac);
		ASSERT_EQ(read_tag(file), 4, "new_group_inherits");
	}

	/* A task moving into a group takes its tag; back out, the root's 0. */
	snprintf(file, sizeof(file), "%s/cgroup.procs", ac);
	mover = park_child_in(file);
	if (ASSERT_GT(mover, 0, "move_in")) {
		snprintf(task, sizeof(task), "/proc/%d/tag", mover);
		ASSERT_EQ(read_tag(task), 4, "moved_in_tagged");
		snprintf(file, sizeof(file), "%s/cpu.tag", ac);
		ASSERT_OK(write_tag(file, -1), "retag_c");
		ASSERT_EQ(read_tag(task), -1, "retagged_task");
		snprintf(file, sizeof(file), "%s/cgroup.procs", root);
		snprintf(task, sizeof(task), "%d", mover);
		ASSERT_OK(write_str(file, task, strlen(task)), "move_out");
		snprintf(task, sizeof(task), "/proc/%d/tag", mover);
		ASSERT_EQ(read_tag(task), 0, "root_group_tag");
	}

	/* Bad input changes nothing; the root group has no tag to write. */
	snprintf(file, sizeof(file), "%s/cpu.tag", a);
	check_bad_input(file);
	snprintf(file, sizeof(file), "%s/cpu.tag", root);
	ASSERT_EQ(access(file, F_OK), -1, "no_root_tag");
out:
	reap(in_ab);
	reap(mover);
	rmdir(ac);
	rmdir(ab);
	rmdir(a);
}

static void test_cgroup_v2(void)
{
	char root[128];

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	snprintf(root, sizeof(root), "/mnt/cgroup-test-work-dir%d", getpid());
	check_groups("/mnt", root);
	cleanup_cgroup_environment();
}

/*
 * Give the cpu controller back to cgroup v1: disable it on the v2 root.
 * False if it stays bound to v2 because others use it there.
 */
static bool release_cpu_from_v2(const char *dir)
{
	char file[64];
	int err;

	if (mount("none", dir, "cgroup2", 0, NULL))
		return true;	/* no v2: nothing to release */
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", dir);
	err = write_str(file, "-cpu", 4);
	umount(dir);
	return err != -EBUSY;
}

static void test_cgroup_v1(void)
{
	char dir[] = "/tmp/sched_tags_v1.XXXXXX";
	int err = 0;

	if (!ASSERT_OK_PTR(mkdtemp(dir), "mkdtemp"))
		return;
	if (!release_cpu_from_v2(dir)) {
		printf("%s: the cpu controller is in use on cgroup v2\n", __func__);
		test__skip();
		rmdir(dir);
		return;
	}
	/* EBUSY until the v2 groups that had the controller are released */
	for (int i = 0; i < 50; i++) {
		err = mount("none", dir, "cgroup", 0, "cpu,cpuacct") ? -errno : 0;
		if (err != -EBUSY)
			break;
		usleep(100000);
	}
	if (err) {
		ASSERT_OK(err, "mount_v1");
		rmdir(dir);
		return;
	}
	check_groups(dir, dir);
	/* let the groups go before the hierarchy, so that it is released */
	usleep(200000);
	umount(dir);
	rmdir(dir);
}

/* clone3(CLONE_INTO_CGROUP) into @cgroup_fd; the child pauses. */
static pid_t clone_into(int cgroup_fd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = cgroup_fd,
	};
	pid_t pid;

	pid = syscall(__NR_clone3, &args, sizeof(args));
	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

/* A task forked into a group, as systemd starts services, takes its tag. */
static void test_clone_into_cgroup(void)
{
	char dir[256], path[320];
	pid_t pid = -1;
	int fd;

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	fd = create_and_get_cgroup("/clone_into");
	if (!ASSERT_GE(fd, 0, "create_cgroup"))
		goto out;
	snprintf(dir, sizeof(dir), "/mnt/cgroup-test-work-dir%d/clone_into", getpid());
	snprintf(path, sizeof(path), "%s/cpu.tag", dir);
	if (!ASSERT_OK(write_tag(path, 5), "group_tag"))
		goto out;
	pid = clone_into(fd);
	if (!ASSERT_GT(pid, 0, "clone3"))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/tag", pid);
	ASSERT_EQ(read_tag(path), 5, "took_group_tag");
out:
	reap(pid);
	cleanup_cgroup_environment();
}

/*
 * Tags written to a group while tasks are cloned into its subgroups
 * (CLONE_INTO_CGROUP), move between them and groups are made under it:
 * once all is quiet, every group under it and every task in them have the
 * last tag written. Only races with the last writes can fail it: a lost
 * update is mended by the next write's walk.
 */
#define STRESS_WRITES	200
#define STRESS_TASKS	64

struct stress {
	char dir[256];
	int fd;			/* the group's directory */
};

static void *stress_writer(void *arg)
{
	struct stress *st = arg;
	char path[320];
	int i;

	snprintf(path, sizeof(path), "%s/cpu.tag", st->dir);
	for (i = 1; i <= STRESS_WRITES; i++)
		write_tag(path, i);
	return NULL;
}

/*
 * Forks and moves until it made STRESS_TASKS tasks, into @pids. The tasks
 * live in the leaves g0..g3 (a group with controllers enabled holds none):
 * even ones are forked by this task, from g_self, and moved into a leaf at
 * once; odd ones are cloned into a leaf; every round moves some of them
 * along and makes a new group.
 */
static int stress_churn(struct stress *st, pid_t *pids)
{
	char path[320], buf[16];
	int leaf[4], n, i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/g%d", st->dir, i);
		mkdir(path, 0755);
		leaf[i] = open(path, O_RDONLY | O_DIRECTORY);
		if (leaf[i] < 0)
			return -1;
	}
	for (n = 0; n < STRESS_TASKS; n++) {
		if (n % 2) {
			pids[n] = clone_into(leaf[n % 4]);
		} else {
			pids[n] = fork();
			if (pids[n] == 0) {
				pause();
				_exit(0);
			}
		}
		if (pids[n] < 0)
			break;
		if (!(n % 2)) {
			snprintf(path, sizeof(path), "%s/g%d/cgroup.procs", st->dir, n % 4);
			snprintf(buf, sizeof(buf), "%d", pids[n]);
			write_str(path, buf, strlen(buf));
		}
		for (i = n % 2 ? 3 : 0; i <= n; i += 3) {
			snprintf(path, sizeof(path), "%s/g%d/cgroup.procs", st->dir, (i + n) % 4);
			snprintf(buf, sizeof(buf), "%d", pids[i]);
			write_str(path, buf, strlen(buf));
		}
		/* a sibling of the leaves, so that it has cpu.tag */
		snprintf(path, sizeof(path), "%s/n%d", st->dir, n);
		mkdir(path, 0755);
	}
	for (i = 0; i < 4; i++)
		close(leaf[i]);
	return n;
}

static void test_propagation_stress(void)
{
	char path[320], self_procs[320], buf[16];
	pid_t pids[STRESS_TASKS];
	struct stress st = {};
	pthread_t writer;
	int n = 0, i, bad = 0;

	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup"))
		return;
	st.fd = create_and_get_cgroup("/stress");
	if (!ASSERT_GE(st.fd, 0, "create_cgroup") ||
	    !ASSERT_OK(enable_controllers("/stress", "cpu"), "enable_cpu"))
		goto out;
	snprintf(st.dir, sizeof(st.dir), "/mnt/cgroup-test-work-dir%d/stress", getpid());
	/* the plain forks come from a task in the group: this one */
	snprintf(self_procs, sizeof(self_procs), "%s/g_self", st.dir);
	mkdir(self_procs, 0755);
	snprintf(self_procs, sizeof(self_procs), "%s/g_self/cgroup.procs", st.dir);
	snprintf(buf, sizeof(buf), "%d", getpid());
	if (!ASSERT_OK(write_str(self_procs, buf, strlen(buf)), "join"))
		goto out;

	if (!ASSERT_OK(pthread_create(&writer, NULL, stress_writer, &st), "writer"))
		goto out_leave;
	n = stress_churn(&st, pids);
	pthread_join(writer, NULL);
	ASSERT_EQ(n, STRESS_TASKS, "churned");

	/* quiet now: the rules say every task and group has the last tag */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/tag", pids[i]);
		bad += read_tag(path) != STRESS_WRITES;
	}
	ASSERT_EQ(bad, 0, "tasks_with_last_tag");
	bad = 0;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/g%d/cpu.tag", st.dir, i);
		ASSERT_EQ(read_tag(path), STRESS_WRITES, "group_last_tag");
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/n%d/cpu.tag", st.dir, i);
		bad += read_tag(path) != STRESS_WRITES;
	}
	ASSERT_EQ(bad, 0, "new_groups_with_last_tag");
	snprintf(path, sizeof(path), "%s/g_self/cpu.tag", st.dir);
	ASSERT_EQ(read_tag(path), STRESS_WRITES, "self_group_last_tag");
	for (i = 0; i < n; i++)
		reap(pids[i]);
out_leave:
	/* back to the root, so that the groups can go */
	snprintf(path, sizeof(path), "/mnt/cgroup-test-work-dir%d/cgroup.procs", getpid());
	write_str(path, buf, strlen(buf));
	write_tag("/proc/self/tag", 0);
out:
	cleanup_cgroup_environment();
}

void test_sched_tags(void)
{
	if (access("/proc/self/tag", F_OK)) {
		test__skip();	/* not a CONFIG_BPF_SCHED kernel */
		return;
	}
	if (test__start_subtest("proc"))
		test_proc();
	if (test__start_subtest("fork"))
		test_fork();
	if (test__start_subtest("bad_input"))
		test_bad_input();
	if (test__start_subtest("permission"))
		test_permission();
	if (test__start_subtest("perm_opener"))
		test_perm_opener();
	if (test__start_subtest("perm_cgroup"))
		test_perm_cgroup();
	if (test__start_subtest("perm_lsm"))
		test_perm_lsm();
	if (test__start_subtest("clone_into_cgroup"))
		test_clone_into_cgroup();
	if (test__start_subtest("propagation_stress"))
		test_propagation_stress();
	if (test__start_subtest("cgroup_v2"))
		test_cgroup_v2();
	/* after v2, which enables the cpu controller there and back */
	if (test__start_subtest("cgroup_v1"))
		test_cgroup_v1();
}
