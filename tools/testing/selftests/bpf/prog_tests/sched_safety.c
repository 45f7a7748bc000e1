// SPDX-License-Identifier: GPL-2.0
/*
 * What the verifier refuses in sched programs, and who may load what: a
 * sched program cannot write its context, read through a NULL argument,
 * pass the getters a pointer it walked to, or call anything that may wake
 * a task or sleep under the runqueue lock (progs/sched_safety.c, checked
 * program by program); an extension of a sched program needs the sched
 * program's privilege; other struct_ops types do not get the sched kfuncs.
 */
#include <linux/bits.h>
#include <linux/capability.h>
#include <test_progs.h>
#include "cap_helpers.h"
#include "sched_safety.skel.h"
#include "sched_safety_ext.skel.h"
#include "sched_safety_tcp.skel.h"

#define CAP_SYS_ADMIN_BIT	BIT_ULL(CAP_SYS_ADMIN)

static char log_buf[64 * 1024];

/*
 * Load extension @name of with_global in a loaded @tgt, with CAP_SYS_ADMIN
 * dropped (CAP_BPF and CAP_PERFMON kept) when @unpriv.
 */
static int load_ext(struct sched_safety_ext *tgt, const char *name, bool unpriv)
{
	struct sched_safety_ext *ext;
	struct bpf_program *prog;
	__u64 old_caps = 0;
	int err;

	ext = sched_safety_ext__open();
	if (!ASSERT_OK_PTR(ext, "ext_open"))
		return -EINVAL;
	prog = bpf_object__find_program_by_name(ext->obj, name);
	if (!ASSERT_OK_PTR(prog, name)) {
		err = -EINVAL;
		goto out;
	}
	bpf_program__set_autoload(ext->progs.with_global, false);
	bpf_program__set_autoload(prog, true);
	bpf_program__set_log_buf(prog, log_buf, sizeof(log_buf));
	err = bpf_program__set_attach_target(prog, bpf_program__fd(tgt->progs.with_global),
					     "sched_safety_decide");
	if (!ASSERT_OK(err, "set_attach_target"))
		goto out;
	log_buf[0] = '\0';
	if (unpriv && !ASSERT_OK(cap_disable_effective(CAP_SYS_ADMIN_BIT, &old_caps),
				 "drop_cap_sys_admin")) {
		err = -EINVAL;
		goto out;
	}
	err = sched_safety_ext__load(ext);
	if (unpriv)
		cap_enable_effective(old_caps, NULL);
out:
	sched_safety_ext__destroy(ext);
	return err;
}

static void test_freplace(void)
{
	struct sched_safety_ext *tgt;

	tgt = sched_safety_ext__open_and_load();
	if (!ASSERT_OK_PTR(tgt, "target_load"))
		return;
	/* CAP_BPF and CAP_PERFMON load extensions, but not of sched programs */
	ASSERT_EQ(load_ext(tgt, "replace_decide", true), -EPERM, "ext_without_cap_sys_admin");
	ASSERT_HAS_SUBSTR(log_buf, "Extension of a sched program needs CAP_SYS_ADMIN",
			  "ext_log");
	/* the refusal is the privilege's: with CAP_SYS_ADMIN it loads */
	ASSERT_OK(load_ext(tgt, "replace_decide", false), "ext_with_cap_sys_admin");
	/* and an extension may not use the maps its target may not */
	ASSERT_ERR(load_ext(tgt, "replace_with_map", false), "ext_with_timer_map");
	ASSERT_HAS_SUBSTR(log_buf, "sched programs cannot use bpf_timer or bpf_wq", "ext_map_log");
	sched_safety_ext__destroy(tgt);
}

static void test_tcp_cc(void)
{
	struct sched_safety_tcp *skel;
	int err;

	skel = sched_safety_tcp__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	log_buf[0] = '\0';
	bpf_program__set_log_buf(skel->progs.tcp_cong_avoid, log_buf, sizeof(log_buf));
	err = sched_safety_tcp__load(skel);
	ASSERT_ERR(err, "tcp_cc_with_sched_kfunc_loads");
	ASSERT_HAS_SUBSTR(log_buf, "calling kernel function bpf_cpus_share_cache is not allowed",
			  "tcp_cc_log");
	sched_safety_tcp__destroy(skel);
}

void test_sched_safety(void)
{
	if (test__start_subtest("freplace"))
		test_freplace();
	if (test__start_subtest("tcp_cc"))
		test_tcp_cc();
	RUN_TESTS(sched_safety);
}
