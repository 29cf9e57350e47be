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

clean::
	$(Q)if [ -n "$(KDIR)" ]; then \
		for d in $(VM_FIXTURE_DIRS); do $(MAKE) -C $(KDIR) M=$(CURDIR)/$$d clean >/dev/null; done; \
	fi
	$(Q)rm -f $(VM_FIXTURES)
