// SPDX-License-Identifier: GPL-2.0
/*
 * sched_select_core: CPU selection policies.
 *
 *   sched_select_core [-R [-r TAG:CPUS ...]] [-C] [-W]
 *
 * Attaches the chosen programs of sched_select_core.bpf.c until SIGINT or
 * SIGTERM, then prints how often each decided what.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sched_loader.h"
#include "sched_select_core.skel.h"

#define MAX_RANGES	16
#define MAX_CPUS	64

struct range {
	long long tag;
	__u64 cpus;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "USAGE: %s [-R [-r TAG:CPUS ...]] [-C] [-W] [-h]\n"
		"  -R           range placement: a task whose tag has a CPU range runs\n"
		"               there while the range has an idle CPU or spare capacity\n"
		"  -r TAG:CPUS  a range, e.g. -r 1:0-1 -r 2:2-3 (the default; CPUs < %d)\n"
		"  -C           custom choice: fork to the least loaded CPU, wake on the\n"
		"               previous CPU if idle, else the next idle one\n"
		"  -W           wake affine: pull a wakee next to its waker unless the\n"
		"               waker's CPU is overloaded\n"
		"  -h           this help\n"
		"-R and -C both choose at cfs_select_rq; with both, -C decides first.\n",
		prog, MAX_CPUS);
}

/* "TAG:CPUS", CPUS a list like 0-1,3. Returns 0 or -1. */
static int parse_range(const char *arg, struct range *r)
{
	char *end;
	long a, b;

	errno = 0;
	r->tag = strtoll(arg, &end, 10);
	if (errno || end == arg || *end != ':')
		return -1;
	r->cpus = 0;
	do {
		arg = end + 1;
		a = strtol(arg, &end, 10);
		if (end == arg || a < 0 || a >= MAX_CPUS)
			return -1;
		b = a;
		if (*end == '-') {
			arg = end + 1;
			b = strtol(arg, &end, 10);
			if (end == arg || b < a || b >= MAX_CPUS)
				return -1;
		}
		for (; a <= b; a++)
			r->cpus |= 1ULL << a;
	} while (*end == ',');
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct range ranges[MAX_RANGES] = { { 1, 0x3 }, { 2, 0xc } };
	bool range = false, custom = false, affine = false, own = false;
	int nr_ranges = 2, opt, i, err;
	struct sched_select_core *skel;
	char what[256];

	while ((opt = getopt(argc, argv, "Rr:CWh")) != -1) {
		switch (opt) {
		case 'R':
			range = true;
			break;
		case 'r':
			if (!own) {
				own = true;
				nr_ranges = 0;
			}
			if (nr_ranges == MAX_RANGES ||
			    parse_range(optarg, &ranges[nr_ranges])) {
				fprintf(stderr, "%s: bad -r '%s' (TAG:CPUS, at most %d)\n",
					argv[0], optarg, MAX_RANGES);
				return 2;
			}
			nr_ranges++;
			break;
		case 'C':
			custom = true;
			break;
		case 'W':
			affine = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if ((!range && !custom && !affine) || (own && !range) || optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	skel = sched_select_core__open();
	if (!skel) {
		fprintf(stderr, "opening failed: %s\n", strerror(errno));
		return 1;
	}
	skel->data->nr_cpus = libbpf_num_possible_cpus();
	bpf_program__set_autoload(skel->progs.select_range, range);
	bpf_program__set_autoload(skel->progs.select_custom, custom);
	bpf_program__set_autoload(skel->progs.wake_affine_pull, affine);
	err = sched_select_core__load(skel);
	if (err) {
		fprintf(stderr, "loading failed: %s\n", strerror(-err));
		goto out;
	}
	for (i = 0; range && i < nr_ranges; i++) {
		err = bpf_map__update_elem(skel->maps.ranges, &ranges[i].tag,
					   sizeof(ranges[i].tag), &ranges[i].cpus,
					   sizeof(ranges[i].cpus), BPF_ANY);
		if (err) {
			fprintf(stderr, "setting range %d failed: %s\n", i, strerror(-err));
			goto out;
		}
	}
	err = sched_select_core__attach(skel);
	if (err) {
		fprintf(stderr, "attaching failed: %s\n", strerror(-err));
		goto out;
	}
	snprintf(what, sizeof(what), "sched_select_core: attached%s%s%s",
		 range ? " select_range (cfs_select_rq)" : "",
		 custom ? " select_custom (cfs_select_rq)" : "",
		 affine ? " wake_affine_pull (cfs_wake_affine)" : "");
	sched_loader_run(what);
	printf("range: %llu idle, %llu spare, %llu full (kernel's choice)\n",
	       (unsigned long long)skel->bss->nr_range_idle,
	       (unsigned long long)skel->bss->nr_range_spare,
	       (unsigned long long)skel->bss->nr_range_full);
	printf("custom: %llu forks to the least loaded, wakeups %llu prev %llu idle %llu busy\n",
	       (unsigned long long)skel->bss->nr_fork_least_loaded,
	       (unsigned long long)skel->bss->nr_wake_prev,
	       (unsigned long long)skel->bss->nr_wake_idle,
	       (unsigned long long)skel->bss->nr_wake_busy);
	printf("wake affine: %llu pulled, %llu left to the kernel\n",
	       (unsigned long long)skel->bss->nr_pulled,
	       (unsigned long long)skel->bss->nr_not_pulled);
out:
	sched_select_core__destroy(skel);
	return err ? 1 : 0;
}
