# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Kernel tests: programs run inside the VM by selftests/vm/kernel.t, against
# the module built in this tree. Not sanitized: they exercise the kernel.

KERNEL_TEST_SRCS := $(wildcard selftests/kernel/*_test.c)
KERNEL_TESTS := $(patsubst selftests/kernel/%_test.c,$(BUILD)/tests/kernel/%_test,$(KERNEL_TEST_SRCS))
# kselftest_harness.h compares ints with unsigned values in its macros and
# has unused callback parameters: the two warnings it cannot pass.
KERNEL_TEST_CFLAGS := $(CFLAGS) -I$(KSFT) -Iselftests/kernel -Wno-unused-parameter -Wno-sign-compare
KERNEL_TEST_LIBS := $(shell pkg-config --libs libmnl) -lkeyutils
# Every program includes the uapi and may include the local headers: a
# change to either rebuilds them (a stale netlink_test once sent a command
# number the module had since given to ENFORCE).
KERNEL_TEST_HDRS := $(wildcard include/uapi/linux/*.h selftests/kernel/*.h)

$(BUILD)/tests/kernel/%_test: selftests/kernel/%_test.c $(KERNEL_TEST_HDRS) selftests/kernel/genl.c \
		selftests/kernel/genl.h $(LINUX)/.extracted
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_TEST_CFLAGS) -o $@ $< selftests/kernel/genl.c $(KERNEL_TEST_LIBS)

# The images and certificates the kernel tests verify, made on the host.
KERNEL_TEST_IMAGES := $(BUILD)/tests/images/ok-sha256.SPA
$(KERNEL_TEST_IMAGES): selftests/kernel/make-images $(SWAUTH_CLI) $(DEV_KEYS) \
		scripts/mkimage-openssl keyrings/gen-dev-keys
	$(quiet) GEN $(BUILD)/tests/images
	$(Q)selftests/kernel/make-images $(BUILD)/tests/images

# keyop: raw key operations for scripted tests (selftests/vm/crash.t).
KERNEL_TESTS += $(BUILD)/tests/kernel/keyop
$(BUILD)/tests/kernel/keyop: selftests/kernel/keyop.c $(KERNEL_TEST_HDRS) selftests/kernel/genl.c \
		selftests/kernel/genl.h
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_TEST_CFLAGS) -o $@ $< selftests/kernel/genl.c $(KERNEL_TEST_LIBS)

# hostilefs: the FUSE file system that lies (hostile_fs_test.sh); devioc:
# SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL from a script.
KERNEL_TESTS += $(BUILD)/tests/kernel/hostilefs $(BUILD)/tests/kernel/devioc \
	$(BUILD)/tests/kernel/kexecforge $(BUILD)/tests/kernel/enforceswap \
	$(BUILD)/tests/kernel/sealswap
$(BUILD)/tests/kernel/hostilefs: selftests/kernel/hostilefs.c $(KERNEL_TEST_HDRS)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(shell pkg-config --cflags fuse3) -o $@ $< \
		$(shell pkg-config --libs fuse3) -lpthread
$(BUILD)/tests/kernel/devioc: selftests/kernel/devioc.c $(KERNEL_TEST_HDRS)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $<
$(BUILD)/tests/kernel/kexecforge: selftests/kernel/kexecforge.c $(KERNEL_TEST_HDRS)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $<
$(BUILD)/tests/kernel/sealswap: selftests/kernel/sealswap.c $(KERNEL_TEST_HDRS)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $<
$(BUILD)/tests/kernel/enforceswap: selftests/kernel/enforceswap.c $(KERNEL_TEST_HDRS)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< -lpthread
