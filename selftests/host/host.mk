# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Host tests: selftests/host/<name>_test.c -> $(BUILD)/tests/host/<name>.t,
# kselftest-harness TAP programs that need no swauth module. They and the
# code they test are built with $(SANITIZE) (ASan + UBSan, LeakSanitizer at
# exit), against the sanitizer copy of libswauth from userspace/build.mk.
# cli.t runs a sanitizer build of the swauth tool, $(HOST_TEST_CLI).

HOST_TEST_NAMES := status_parse nl_error debug_names json status_print cli \
	verify_parse verdict verify_user verify_cli
# The image format: the shared parser and the signer.
HOST_TEST_NAMES += image_parse sign
# The key-store format: the shared parser and builder.
HOST_TEST_NAMES += keystore
# Key storage: its replies, events, swauth.conf and what the CLI prints.
HOST_TEST_NAMES += keys_parse config key_print
# swauth upgrade bootloader, run as a user runs it.
HOST_TEST_NAMES += upgrade_cli
# flash:NAME, editing swauth.conf, swauth boot system and show boot.
HOST_TEST_NAMES += storage boot_cli reload reload_cli url
# boot-dir's links and GRUB's environment block, against grub-editenv.
HOST_TEST_NAMES += bootdir
# lib/fs/safewrite.c without O_TMPFILE, and its trusted directory walk.
HOST_TEST_NAMES += safewrite
# swcopy's TFTP client against real servers (see the end of this file).
HOST_TEST_NAMES += tftp
# Small files to and from a URL, and the interface a request leaves from.
HOST_TEST_NAMES += xfer_mem
# The PKI client: requests and the self-signed certificate, PKCS#12.
HOST_TEST_NAMES += pki_request pki_p12
# The disk clean-up utility (lib/fs/cleanup.c), on signed images.
HOST_TEST_NAMES += cleanup
# The PKI client's key pairs (lib/pki/keystore.c), with the kernel's keyring.
HOST_TEST_NAMES += pki_keys
# swpki's trustpoints, certificate store and CA authentication (lib/pki).
HOST_TEST_NAMES += pki_tp
# The SCEP client against scepserver, certmonger and a test CA.
HOST_TEST_NAMES += scep
# Enrollment profiles against a CA stub that speaks HTTP (profile-ca.py).
HOST_TEST_NAMES += pki_profile
# Auto-enrollment: swpkid's schedule and its state file (lib/pki/autoenroll.c).
HOST_TEST_NAMES += pki_auto
HOST_TESTS := $(patsubst %,$(BUILD)/tests/host/%.t,$(HOST_TEST_NAMES))
HOST_TEST_OBJS := $(patsubst %,$(BUILD)/obj-san/selftests/host/%_test.o,$(HOST_TEST_NAMES))
HOST_TEST_CLI := $(BUILD)/tests/host/bin/swauth

# The harness's own macros trip these two (6.1's kselftest Makefiles use
# plain -Wall); everything else stays an error.
HOST_TEST_CFLAGS := -I$(LINUX)/tools/testing/selftests -Wno-unused-parameter -Wno-sign-compare

# Objects a test needs beyond libswauth, per test.
HOST_TEST_EXTRA_status_print := $(BUILD)/obj-san/userspace/swauth/status-print.o
# The tests that start servers, each in a network namespace of its own.
HOST_TEST_EXTRA_scep := $(BUILD)/obj-san/selftests/host/netns.o
HOST_TEST_EXTRA_pki_profile := $(BUILD)/obj-san/selftests/host/netns.o

$(BUILD)/obj-san/selftests/host/%.o: selftests/host/%.c $(LINUX)/.extracted
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) $(USERSPACE_CFLAGS) \
		$(HOST_TEST_CFLAGS) -c -o $@ $<

# A static pattern rule, so that make does not treat the objects as
# intermediate files and delete them after linking.
$(HOST_TESTS): $(BUILD)/tests/host/%.t: $(BUILD)/obj-san/selftests/host/%_test.o $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $< $(HOST_TEST_EXTRA_$*) \
		$(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

$(BUILD)/tests/host/status_print.t: $(HOST_TEST_EXTRA_status_print)
$(BUILD)/tests/host/scep.t: $(HOST_TEST_EXTRA_scep)
$(BUILD)/tests/host/pki_profile.t: $(HOST_TEST_EXTRA_pki_profile)
HOST_TEST_EXTRA_key_print := $(BUILD)/obj-san/userspace/swauth/key-print.o \
	$(BUILD)/obj-san/userspace/swauth/status-print.o
$(BUILD)/tests/host/key_print.t: $(HOST_TEST_EXTRA_key_print)

# The verifier's tests sign images with keyrings/dev (selftests/host/imagegen.c).
HOST_TEST_EXTRA_cleanup := $(BUILD)/obj-san/selftests/host/imagegen.o
$(BUILD)/tests/host/cleanup.t: $(BUILD)/obj-san/selftests/host/imagegen.o | $(DEV_KEYS)
HOST_TEST_EXTRA_verify_user := $(BUILD)/obj-san/selftests/host/imagegen.o
HOST_TEST_EXTRA_verify_cli := $(BUILD)/obj-san/selftests/host/imagegen.o
$(BUILD)/tests/host/verify_user.t $(BUILD)/tests/host/verify_cli.t: \
	$(BUILD)/obj-san/selftests/host/imagegen.o | $(DEV_KEYS)
$(BUILD)/tests/host/verify_cli.t: $(HOST_TEST_CLI)
# Their paths are built with snprintf into PATH_MAX buffers; a test that
# truncated one would fail on the path, not pass silently.
$(BUILD)/obj-san/selftests/host/verify_cli_test.o $(BUILD)/obj-san/selftests/host/verify_user_test.o \
$(BUILD)/obj-san/selftests/host/imagegen.o $(BUILD)/obj-san/selftests/host/cleanup_test.o \
$(BUILD)/obj-san/selftests/host/clirun.o: HOST_TEST_CFLAGS += -Wno-format-truncation
$(BUILD)/tests/host/cli.t: $(HOST_TEST_CLI)
# upgrade_cli signs its images like verify_cli and answers the prompt
# through a pseudo-terminal (forkpty(3), in libc since glibc 2.34).
# The CLI tests share their file and subprocess helpers (clirun.c).
HOST_TEST_EXTRA_upgrade_cli := $(BUILD)/obj-san/selftests/host/imagegen.o \
	$(BUILD)/obj-san/selftests/host/clirun.o
$(BUILD)/tests/host/upgrade_cli.t: $(HOST_TEST_EXTRA_upgrade_cli) $(HOST_TEST_CLI) \
	| $(DEV_KEYS)
$(BUILD)/obj-san/selftests/host/upgrade_cli_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation

HOST_TEST_EXTRA_boot_cli := $(BUILD)/obj-san/selftests/host/imagegen.o \
	$(BUILD)/obj-san/selftests/host/clirun.o
$(BUILD)/tests/host/boot_cli.t: $(HOST_TEST_EXTRA_boot_cli) $(HOST_TEST_CLI) \
	| $(DEV_KEYS)
$(BUILD)/obj-san/selftests/host/boot_cli_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation

HOST_TEST_EXTRA_reload_cli := $(HOST_TEST_EXTRA_boot_cli)
$(BUILD)/tests/host/reload_cli.t: $(HOST_TEST_EXTRA_reload_cli) $(HOST_TEST_CLI) \
	| $(DEV_KEYS)
$(BUILD)/obj-san/selftests/host/reload_cli_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation

$(HOST_TEST_CLI): $(SWAUTH_CLI_SAN_OBJS) $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $(SWAUTH_CLI_SAN_OBJS) \
		$(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

# swcopy.t runs a sanitizer build of swcopy against real servers.
HOST_TEST_SWCOPY := $(BUILD)/tests/host/bin/swcopy
$(HOST_TEST_SWCOPY): $(SWCOPY_SAN_OBJS) $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $(SWCOPY_SAN_OBJS) \
		$(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

# The swpki*.t tests run a sanitizer build of swpki. Its enrollment has the
# test hook SWPKI_TEST_KILL_AT=N (a SIGKILL at rollover step N,
# lib/pki/enroll.c); the installed swpki has none.
$(BUILD)/obj-san/userspace/lib/pki/enroll.o: CPPFLAGS += -DSWPKI_TEST_HOOKS
HOST_TEST_SWPKI := $(BUILD)/tests/host/bin/swpki
$(HOST_TEST_SWPKI): $(SWPKI_SAN_OBJS) $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $(SWPKI_SAN_OBJS) \
		$(LIBSWAUTH_SAN) $(USERSPACE_LIBS) $(SWPKI_LIBS)

# swpkid.t runs a sanitizer build of swpkid, next to swpki's: swpkid runs
# swpki from its own directory.
HOST_TEST_SWPKID := $(BUILD)/tests/host/bin/swpkid
$(HOST_TEST_SWPKID): $(SWPKID_SAN_OBJS) $(LIBSWAUTH_SAN) $(HOST_TEST_SWPKI)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $(SWPKID_SAN_OBJS) \
		$(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

# swcopy-safewrite.t runs it on a file system without O_TMPFILE, as on vfat:
# an LD_PRELOAD shim makes openat(O_TMPFILE) fail EOPNOTSUPP.
HOST_TEST_NOTMPFILE := $(BUILD)/tests/host/notmpfile.so
$(HOST_TEST_NOTMPFILE): selftests/host/notmpfile.c
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

# swpki-p12.t fails the Nth safe write of an import: an LD_PRELOAD shim
# makes the Nth renameat() fail ENOSPC.
HOST_TEST_FAILRENAME := $(BUILD)/tests/host/failrename.so
$(HOST_TEST_FAILRENAME): selftests/host/failrename.c
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

# man.t and completion.t run the tools of build/bin.
check-host: $(HOST_TESTS) $(HOST_TEST_SWCOPY) $(HOST_TEST_SWPKI) $(HOST_TEST_SWPKID) \
	$(HOST_TEST_NOTMPFILE) $(HOST_TEST_FAILRENAME) \
	$(SWAUTH_CLI) $(SWCOPY) $(SWUPGRADE) $(SWUPGRADED) $(SWPKI) $(SWPKID)
	$(Q)scripts/run-tests $(HOST_TESTS) selftests/host/swcopy.t selftests/host/swcopy-safewrite.t \
		selftests/host/writers-safewrite.t \
		selftests/host/swcopy-net.t selftests/host/swcopy-hostile.t selftests/host/swcopy-cli.t \
		selftests/host/swcopy-resume.t selftests/host/swupgrade.t \
		selftests/host/swupgrade-fallback.t selftests/host/mail-locator.t \
		selftests/host/man.t selftests/host/completion.t selftests/host/swpki-keys.t \
		selftests/host/swpki-p12.t selftests/host/swpki-tokenkey.t selftests/host/swpki-profile.t \
		selftests/host/swpkid.t

-include $(HOST_TEST_OBJS:.o=.d)

# Tests sign with the development keys (keyrings/README).
$(HOST_TESTS): | $(DEV_KEYS)

# The TFTP client's servers: in.tftpd, and atftpd 0.8 for windowsize. atftpd conflicts with
# tftpd-hpa, so it is never installed: its Debian package is unpacked into
# $(BUILD)/atftpd, from apt's cache or downloaded. Offline without it, the
# window tests skip.
ATFTPD := $(BUILD)/atftpd/usr/sbin/atftpd
$(ATFTPD):
	$(quiet) UNPACK $@
	$(Q)mkdir -p $(BUILD)/atftpd/deb
	$(Q)deb=$$(ls /var/cache/apt/archives/atftpd_0.8*.deb 2>/dev/null | tail -n 1); \
	if [ -z "$$deb" ]; then \
		(cd $(BUILD)/atftpd/deb && apt-get download -q atftpd >/dev/null 2>&1); \
		deb=$$(ls $(BUILD)/atftpd/deb/atftpd_*.deb 2>/dev/null | tail -n 1); \
	fi; \
	if [ -n "$$deb" ]; then dpkg-deb -x "$$deb" $(BUILD)/atftpd; \
	else echo "atftpd: no package, the window tests will skip" >&2; fi
$(BUILD)/tests/host/tftp.t: | $(ATFTPD)
$(BUILD)/obj-san/selftests/host/tftp_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation
# Its paths are built with snprintf into fixed buffers from a mkdtemp name.
$(BUILD)/obj-san/selftests/host/scep_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation

# Enrollment profiles reach a credential's key on a token too: libp11.
$(BUILD)/tests/host/pki_profile.t: USERSPACE_LIBS += $(SWPKI_LIBS)
