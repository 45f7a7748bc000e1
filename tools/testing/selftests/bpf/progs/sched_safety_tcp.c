// SPDX-License-Identifier: GPL-2.0
/* A TCP congestion control that calls a sched kfunc: it must not load. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/libbpf_sched.h>

SEC("struct_ops")
void BPF_PROG(tcp_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	bpf_cpus_share_cache(0, 0);
}

SEC("struct_ops")
__u32 BPF_PROG(tcp_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops")
__u32 BPF_PROG(tcp_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops")
struct tcp_congestion_ops sched_safety_ca = {
	.cong_avoid	= (void *)tcp_cong_avoid,
	.ssthresh	= (void *)tcp_ssthresh,
	.undo_cwnd	= (void *)tcp_undo_cwnd,
	.name		= "sched_safety",
};

char _license[] SEC("license") = "GPL";
