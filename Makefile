# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# One entry point: make, make check, make demo, make bench, make install,
# make clean. Userspace and tests are described in the *.mk files that this
# file includes; the module in Kbuild.

# Debian installs headers for its kernel, not for the host's `uname -r`
# (a container or CI kernel): take the newest headers that are installed.
KDIR ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
KVER ?= $(notdir $(patsubst %/build,%,$(KDIR)))
SWAUTH_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

PREFIX ?= /usr
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= /lib/systemd/system
MODPROBEDIR ?= /lib/modprobe.d
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR ?= $(PREFIX)/share/doc/swauth
# The rollover certificates, for `swauth verify --userspace`.
DATADIR ?= $(PREFIX)/share/swauth
MODDIR ?= /lib/modules/$(KVER)/extra

BUILD := build
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
LINUX := $(BUILD)/linux

# Rollover certificates (PEM) built into the module as its roots of trust.
# The default is the development hierarchy that keyrings/gen-dev-keys makes
# (keyrings/README); a release build names its own.
SWAUTH_ROLLOVER_CERTS ?= keyrings/dev/rollover.crt
DEV_KEYS_DIR := keyrings/dev
DEV_KEYS := $(DEV_KEYS_DIR)/rollover.crt

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP
CFLAGS += -Iinclude/uapi -Iuserspace
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

.PHONY: all module userspace selftests check check-host check-vm checkpatch \
	demo bench install clean deps
all: module userspace selftests

deps:
	$(Q)scripts/deps

# checkpatch.pl and the kselftest harness come from Debian's linux-source
# tarball; extract only the files used, once.
LINUX_FILES := scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch scripts/kernel-doc \
	tools/testing/selftests/kselftest.h \
	tools/testing/selftests/kselftest_harness.h
$(LINUX)/.extracted: $(LINUX_SRC_TAR)
	$(quiet) EXTRACT $(LINUX)
	$(Q)rm -rf $(LINUX) && mkdir -p $(LINUX)
	$(Q)tar -xJf $< -C $(LINUX) --strip-components=1 \
		$(addprefix linux-source-6.1/,$(LINUX_FILES))
	$(Q)touch $@

# Generated once, when missing: regenerating would invalidate every image
# and module built with the old keys.
$(DEV_KEYS): | keyrings/gen-dev-keys
	$(quiet) GEN $(DEV_KEYS_DIR)
	$(Q)keyrings/gen-dev-keys $(DEV_KEYS_DIR) >/dev/null

ifeq ($(SWAUTH_ROLLOVER_CERTS),keyrings/dev/rollover.crt)
module: $(DEV_KEYS)
endif

# The module embeds its rollover certificates as concatenated DER.
ROLLOVER_DER := $(BUILD)/rollover-certs.der
$(ROLLOVER_DER): $(SWAUTH_ROLLOVER_CERTS)
	$(quiet) DER $@
	$(Q)mkdir -p $(@D)
	$(Q)for c in $^; do openssl x509 -in "$$c" -outform DER || exit 1; done >$@.tmp
	$(Q)mv $@.tmp $@

include kmod/bpf/bpf.mk

module: $(ROLLOVER_DER) $(BPF_SKEL)
	$(Q)test -n "$(KDIR)" || { echo "no kernel headers in /lib/modules/*/build: run scripts/deps" >&2; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) SWAUTH_VERSION=$(SWAUTH_VERSION) \
		SWAUTH_ROLLOVER_DER=$(CURDIR)/$(ROLLOVER_DER) \
		SWAUTH_BPF_DIR=$(CURDIR)/$(BPF_DIR) modules

include kmod/sign.mk
include userspace/build.mk
include selftests/build.mk
include package.mk

checkpatch: $(LINUX)/.extracted
	$(Q)scripts/checkpatch $(LINUX)

# The build runs on every core: the module (M=.), its test build
# (M=build/ktest, objects beside links to the sources) and the fixtures
# (M=selftests/fixtures/warn) are separate Kbuild directories, and what
# they share (the rollover DER, the BPF skeleton) are prerequisites made
# once before them.
NPROC := $(shell nproc 2>/dev/null || echo 1)

check: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all
	$(Q)$(MAKE) --no-print-directory package
	$(Q)$(MAKE) --no-print-directory checkpatch
	$(Q)scripts/run-tests

check-vm: all
	$(Q)scripts/run-tests selftests/vm/*.t

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo

bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/bench

install: all
	install -d $(DESTDIR)$(MODDIR)
	install -m 0644 swauth.ko $(DESTDIR)$(MODDIR)/
	install -d $(DESTDIR)$(DATADIR)/rollover
	install -m 0644 $(SWAUTH_ROLLOVER_CERTS) $(DESTDIR)$(DATADIR)/rollover/
	install -d $(DESTDIR)$(DOCDIR)/ABI
	install -m 0644 README.md Documentation/*.rst $(DESTDIR)$(DOCDIR)/
	install -m 0644 Documentation/ABI/testing/* $(DESTDIR)$(DOCDIR)/ABI/
	$(Q)$(MAKE) --no-print-directory install-userspace

clean::
	$(Q)if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null; fi
	rm -rf $(BUILD)

# The development keys are build products too (never committed); the next
# make generates a new hierarchy. Not keyrings/mok (kmod/sign.mk): the module
# signing key may be enrolled on this machine.
clean::
	rm -rf $(DEV_KEYS_DIR)
