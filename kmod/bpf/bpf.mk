# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The module's BPF LSM programs (kmod/enforce.c): compiled with clang
# against the BTF of the kernel the module is built for (CO-RE), and turned
# into a light skeleton that the module includes and loads itself.

BPF_DIR := $(BUILD)/bpf
BPF_SKEL := $(BPF_DIR)/enforce.lskel.h
BPF_VMLINUZ ?= /boot/vmlinuz-$(KVER)
BPFTOOL ?= $(firstword $(wildcard /usr/sbin/bpftool /sbin/bpftool) bpftool)

$(BPF_DIR)/vmlinux.h: scripts/vmlinux-h
	$(quiet) GEN $@
	$(Q)test -r "$(BPF_VMLINUZ)" || { echo "$(BPF_VMLINUZ): missing: the BPF programs need the BTF of the kernel in it" >&2; exit 1; }
	$(Q)mkdir -p $(@D)
	$(Q)scripts/vmlinux-h $(BPF_VMLINUZ) $@

$(BPF_DIR)/enforce.bpf.o: kmod/bpf/enforce.bpf.c kmod/bpf/enforce.h $(BPF_DIR)/vmlinux.h
	$(quiet) BPF $@
	$(Q)clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I$(BPF_DIR) -c $< -o $@

# The skeleton includes <bpf/skel_internal.h>, which has a kernel side;
# the module sees that one header of libbpf-dev, not /usr/include.
$(BPF_SKEL): $(BPF_DIR)/enforce.bpf.o
	$(quiet) SKEL $@
	$(Q)mkdir -p $(BPF_DIR)/include/bpf
	$(Q)ln -sfn /usr/include/bpf/skel_internal.h $(BPF_DIR)/include/bpf/skel_internal.h
	$(Q)$(BPFTOOL) gen skeleton -L $< name swauth_enforce >$@.tmp
	$(Q)mv $@.tmp $@
