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

selftests: $(HOST_TESTS) $(HOST_TEST_SWCOPY) $(HOST_TEST_SWPKI) $(HOST_TEST_FAILRENAME) \
	$(HOST_TEST_NOTMPFILE) $(KERNEL_TESTS) $(KERNEL_TEST_IMAGES) \
	$(VM_FIXTURES) $(NET_TESTS) $(NET_TOOLS)

# `make bench`'s own programs, built without sanitizers.
BENCH_TFTP_GET := $(BUILD)/bench/tftp-get
$(BENCH_TFTP_GET): $(BUILD)/obj/selftests/bench/tftp_get.o $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBSWAUTH) $(USERSPACE_LIBS)

$(BUILD)/obj/selftests/bench/%.o: selftests/bench/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(USERSPACE_CFLAGS) -c -o $@ $<

selftests: $(BENCH_TFTP_GET)
-include $(BUILD)/obj/selftests/bench/tftp_get.d
