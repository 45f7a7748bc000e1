/* SPDX-License-Identifier: GPL-2.0 */
/* What the sched_* tests share: CPU placement, clocks, files, hook stats. */
#ifndef __SCHED_COMMON_H
#define __SCHED_COMMON_H

#include <sched.h>
#include <time.h>
#include <sys/wait.h>
#include <test_progs.h>

#define SCHED_STATS_FILE	"/sys/kernel/debug/sched/bpf"

struct sched_hook_stats {
	__u64 progs, calls, changed, rejected;
	char dflt[8];	/* what the hook returns by itself, "-" for void */
};

/* Allow the calling task on CPUs @first to @last only. */
static inline void sched_set_cpus(int first, int last)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = first; cpu <= last; cpu++)
		CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static inline void sched_pin(int cpu)
{
	sched_set_cpus(cpu, cpu);
}

static inline __u64 sched_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Write @val to @path. Returns 0 or -errno. */
static inline int sched_write_file(const char *path, const char *val)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* @hook's line of the stats file. Returns 0, or -1 if it has none. */
static inline int sched_read_stats(const char *hook, struct sched_hook_stats *st)
{
	char line[256], name[64];
	int found = -1;
	FILE *f;

	f = fopen(SCHED_STATS_FILE, "r");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %llu %llu %llu %llu %7s", name, &st->progs,
			   &st->calls, &st->changed, &st->rejected, st->dflt) == 6 &&
		    !strcmp(name, hook))
			found = 0;
	fclose(f);
	return found;
}

/*
 * Whether the statistics file is there: not without CONFIG_DEBUG_FS, where
 * tests check what the programs did but not what the file says.
 */
static inline bool sched_have_stats(void)
{
	if (!access(SCHED_STATS_FILE, R_OK))
		return true;
	printf("%s: no %s (CONFIG_DEBUG_FS=n?): not checking the statistics\n",
	       __func__, SCHED_STATS_FILE);
	return false;
}

/*
 * Whether the VM has the CPUs a test needs: exactly @cpus if @exact, else
 * at least @cpus. If not, the test is skipped, saying what it needs and
 * why (the default VM, 4 CPUs as 2 sockets x 2 cores, has it).
 */
static inline bool sched_need_cpus(int cpus, bool exact, const char *why)
{
	int n = libbpf_num_possible_cpus();

	if (exact ? n == cpus : n >= cpus)
		return true;
	printf("SKIP: needs %s%d CPUs (%s); this VM has %d\n",
	       exact ? "" : "at least ", cpus, why, n);
	test__skip();
	return false;
}

/* How many decisions of @hook were rejected since boot. */
static inline __u64 sched_rejected(const char *hook)
{
	struct sched_hook_stats st = {};

	return sched_read_stats(hook, &st) ? 0 : st.rejected;
}

/* Wait until *@ready counts @n forked tasks. Returns -1 if a child exited first. */
static inline int sched_wait_ready(int *ready, int n)
{
	int status;

	while (__atomic_load_n(ready, __ATOMIC_SEQ_CST) < n) {
		if (waitpid(-1, &status, WNOHANG) > 0)
			return -1;
		usleep(1000);
	}
	return 0;
}

/* Let the @n tasks of @pids run on every CPU. */
static inline void sched_unpin(const pid_t *pids, int n)
{
	cpu_set_t all;
	int i;

	CPU_ZERO(&all);
	for (i = 0; i < libbpf_num_possible_cpus(); i++)
		CPU_SET(i, &all);
	for (i = 0; i < n; i++)
		sched_setaffinity(pids[i], sizeof(all), &all);
}

/* Reap the @n tasks of @pids. Returns -1 unless each exited with status 0. */
static inline int sched_reap(const pid_t *pids, int n)
{
	int i, status, err = 0;

	for (i = 0; i < n; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			err = -1;
	return err;
}

/*
 * The path of @rel (a cgroup relative to the work directory, "" for the
 * directory itself) in cgroup_helpers' work directory of test @test_pid:
 * the helpers name it after the test's pid, which children do not share.
 */
static inline void sched_workdir_path(char *buf, size_t len, pid_t test_pid, const char *rel)
{
	snprintf(buf, len, "/mnt/cgroup-test-work-dir%d%s", test_pid, rel);
}

/* The decimal number at the start of @path into *@val. Returns 0 or -errno. */
static inline int sched_read_num(const char *path, long long *val)
{
	char buf[32] = {};
	int fd, n;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	*val = strtoll(buf, NULL, 10);
	return 0;
}

/*
 * Join @cgroup of cgroup_helpers' work directory from a child: the helpers
 * name that directory after the test's pid, @test_pid, and join_cgroup()
 * in a child would name it after the child's. Returns 0 or -errno.
 */
static inline int sched_join_workdir(pid_t test_pid, const char *cgroup)
{
	char path[PATH_MAX], procs[PATH_MAX + 16];

	sched_workdir_path(path, sizeof(path), test_pid, cgroup);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	return sched_write_file(procs, "0");
}

/*
 * The figure of @field in /proc/<@pid>/sched (a line "field : value") into
 * *@val. Returns 0, or -1 if the file or the field is not there.
 */
static inline int sched_proc_field(pid_t pid, const char *field, double *val)
{
	char path[64], line[256];
	size_t len = strlen(field);
	int err = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (err && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon && !strncmp(line, field, len) && line[len] == ' ') {
			*val = strtod(colon + 1, NULL);
			err = 0;
		}
	}
	fclose(f);
	return err;
}

/*
 * A task's longest wait in ns by schedstats (kernel.sched_schedstats=1),
 * on the scheduler's own clock; ~0 if it cannot be read. With @reset,
 * clear the task's statistics instead (and return 0 or -errno).
 */
static inline __u64 sched_wait_max(pid_t pid, bool reset)
{
	char path[64];
	double ms;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	if (reset)
		return sched_write_file(path, "0");
	/* "wait_max      :      100.012345", in ms */
	if (sched_proc_field(pid, "wait_max", &ms) || ms < 0)
		return ~0ULL;
	return (__u64)(ms * 1e6);
}

/* A setting (a sysctl or debugfs file) changed by a test, and its old value. */
struct sched_setting {
	const char *path;
	char old[32];
	bool saved;
};

/*
 * Write @val to @s->path, keeping what it held for sched_restore(). Returns
 * 0 or -errno.
 */
static inline int sched_set(struct sched_setting *s, const char *val)
{
	int fd, n;

	if (!s->saved) {
		fd = open(s->path, O_RDONLY);
		if (fd < 0)
			return -errno;
		n = read(fd, s->old, sizeof(s->old) - 1);
		close(fd);
		if (n <= 0)
			return -EIO;
		s->old[n] = 0;
		s->saved = true;
	}
	return sched_write_file(s->path, val);
}

static inline void sched_restore(struct sched_setting *s)
{
	if (s->saved)
		sched_write_file(s->path, s->old);
	s->saved = false;
}

#endif /* __SCHED_COMMON_H */
