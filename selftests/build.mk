# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Tests. Host tests are built to $(BUILD)/tests/host/*.t (TAP programs run
# by prove on the host); kernel tests to $(BUILD)/tests/kernel/ (run inside
# the VM by the selftests/vm/*.t scripts, which prove runs on the host).

KSFT := $(LINUX)/tools/testing/selftests

include selftests/host/host.mk
include selftests/vm/vm.mk
include selftests/kernel/kernel.mk
include selftests/fuzz/fuzz.mk
include selftests/net/net.mk

selftests: $(HOST_TESTS) $(HOST_TEST_SWCOPY) $(KERNEL_TESTS) $(KERNEL_TEST_IMAGES) \
	$(VM_FIXTURES) $(NET_TESTS) $(NET_TOOLS)
