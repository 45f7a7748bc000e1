// SPDX-License-Identifier: GPL-2.0
/* A cgroup_skb program that reads packet data directly, for bpf_attr_size. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u32 first_byte;

SEC("cgroup_skb/ingress")
int direct_packet_access(struct __sk_buff *skb)
{
	__u8 *data = (__u8 *)(long)skb->data;
	__u8 *data_end = (__u8 *)(long)skb->data_end;

	if (data + 1 <= data_end)
		first_byte = *data;
	return 1;
}

char _license[] SEC("license") = "GPL";
