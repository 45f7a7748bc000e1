// SPDX-License-Identifier: GPL-2.0
/*
 * sched_preempt: preemption by tag, for co-location.
 *
 *   sched_preempt [-W] [-T] [-E]
 *
 * Attaches the chosen parts of sched_preempt.bpf.c until SIGINT or
 * SIGTERM, then prints how often each decided. Tag work through
 * /proc/<pid>/tag or a cgroup's cpu.tag: > 0 online, < 0 offline.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sched_loader.h"
#include "sched_preempt.skel.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s [-W] [-T] [-E] [-h]\n"
		"  -W  wakeup: an online task waking preempts offline work, never the reverse\n"
		"  -T  tick: offline work is rescheduled as soon as online work is runnable\n"
		"      on its CPU; online work is not rescheduled in favour of offline work\n"
		"  -E  entity: the wakeup rule between cgroups tagged through cpu.tag\n"
		"  -h  this help\n"
		"At least one of -W, -T, -E. Tags: /proc/<pid>/tag, cpu.tag (> 0 online,\n"
		"< 0 offline).\n", prog);
}

int main(int argc, char **argv)
{
	bool wakeup = false, tick = false, entity = false;
	struct sched_preempt *skel;
	char what[256];
	int opt, err;

	while ((opt = getopt(argc, argv, "WTEh")) != -1) {
		switch (opt) {
		case 'W':
			wakeup = true;
			break;
		case 'T':
			tick = true;
			break;
		case 'E':
			entity = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if ((!wakeup && !tick && !entity) || optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	skel = sched_preempt__open();
	if (!skel) {
		fprintf(stderr, "opening failed: %s\n", strerror(errno));
		return 1;
	}
	bpf_program__set_autoload(skel->progs.preempt_wakeup, wakeup);
	bpf_program__set_autoload(skel->progs.preempt_entity, entity);
	bpf_program__set_autoload(skel->progs.preempt_tick, tick);
	/* Only the tick rule needs the count of runnable online tasks. */
	bpf_program__set_autoload(skel->progs.online_enqueue, tick);
	bpf_program__set_autoload(skel->progs.online_dequeue, tick);
	err = sched_preempt__load(skel);
	if (err) {
		fprintf(stderr, "loading failed: %s\n", strerror(-err));
		goto out;
	}
	err = sched_preempt__attach(skel);
	if (err) {
		fprintf(stderr, "attaching failed: %s\n", strerror(-err));
		goto out;
	}
	snprintf(what, sizeof(what), "sched_preempt: attached%s%s%s",
		 wakeup ? " cfs_check_preempt_wakeup" : "",
		 tick ? " cfs_check_preempt_tick cfs_enqueue_task cfs_dequeue_task" : "",
		 entity ? " cfs_wakeup_preempt_entity" : "");
	sched_loader_run(what);
	printf("sched_preempt: wakeup %llu preempted %llu kept\n",
	       (unsigned long long)skel->bss->nr_wakeup_preempt,
	       (unsigned long long)skel->bss->nr_wakeup_kept);
	printf("sched_preempt: entity %llu preempted %llu kept\n",
	       (unsigned long long)skel->bss->nr_entity_preempt,
	       (unsigned long long)skel->bss->nr_entity_kept);
	printf("sched_preempt: tick %llu rescheduled %llu kept\n",
	       (unsigned long long)skel->bss->nr_tick_resched,
	       (unsigned long long)skel->bss->nr_tick_kept);
out:
	sched_preempt__destroy(skel);
	return err ? 1 : 0;
}
