# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# VM runner tests. selftests/vm/*.t run on the host under prove and boot the
# guest through scripts/vm-run; the fixtures are kernel modules they load.

VM_FIXTURE_DIRS := selftests/fixtures/warn
VM_FIXTURES := selftests/fixtures/warn/warn.ko

selftests/fixtures/warn/warn.ko: selftests/fixtures/warn/warn.c selftests/fixtures/warn/Kbuild
	$(quiet) KMOD $@
	$(Q)test -n "$(KDIR)" || { echo "no kernel headers in /lib/modules/*/build: run scripts/deps" >&2; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(@D) modules >/dev/null

# The test build of the module, with its test hooks (-DCONFIG_SWAUTH_TEST):
# built out of tree in its own directory, since Kbuild puts objects next to
# the sources, from links to the real ones. Only the VM tests load it.
KTEST := $(BUILD)/ktest
KTEST_MODULE := $(KTEST)/swauth.ko
KTEST_SRCS := Kbuild $(wildcard kmod/*.c kmod/*.h kmod/*.S kmod/bpf/*.h)
VM_FIXTURES += $(KTEST_MODULE)

$(KTEST_MODULE): $(KTEST_SRCS) $(wildcard include/uapi/linux/*.h) $(ROLLOVER_DER) $(BPF_SKEL)
	$(quiet) KMOD $@
	$(Q)test -n "$(KDIR)" || { echo "no kernel headers in /lib/modules/*/build: run scripts/deps" >&2; exit 1; }
	$(Q)mkdir -p $(KTEST)/kmod/bpf
	$(Q)for f in $(KTEST_SRCS); do ln -sfn $(CURDIR)/$$f $(KTEST)/$$f || exit 1; done
	$(Q)ln -sfn $(CURDIR)/include $(KTEST)/include
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KTEST) SWAUTH_TEST=1 \
		SWAUTH_VERSION=$(SWAUTH_VERSION) \
		SWAUTH_ROLLOVER_DER=$(CURDIR)/$(ROLLOVER_DER) \
		SWAUTH_BPF_DIR=$(CURDIR)/$(BPF_DIR) modules >/dev/null

clean::
	$(Q)if [ -n "$(KDIR)" ]; then \
		for d in $(VM_FIXTURE_DIRS); do $(MAKE) -C $(KDIR) M=$(CURDIR)/$$d clean >/dev/null; done; \
	fi
	$(Q)rm -f $(VM_FIXTURES)
