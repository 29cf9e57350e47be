# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Userspace: libswauth (a static library) and the tools linked against it.
# Each binary lists its own objects; nothing links "every *.c". Objects go
# to $(BUILD)/obj/userspace/, with a sanitizer-built copy of the library in
# $(BUILD)/obj-san/userspace/ for the host tests (selftests/host/host.mk).

PKG_CONFIG ?= pkg-config
USERSPACE_PKGS := libmnl libkmod libcrypto libssl libcurl
# Tokens (lib/pki/token.c): libp11, and p11-kit's pkcs11.h (a header only);
# only swpki links libp11.
SWPKI_PKGS := libp11 p11-kit-1
USERSPACE_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(USERSPACE_PKGS))
USERSPACE_LIBS := $(shell $(PKG_CONFIG) --libs $(USERSPACE_PKGS))
# An unlocked PKI key lives in the kernel's keyring (lib/pki/keyring.c).
USERSPACE_LIBS += -lkeyutils
USERSPACE_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(SWPKI_PKGS))
SWPKI_LIBS := $(shell $(PKG_CONFIG) --libs libp11)
# -I. for kmod/image.h: the image parser is the module's own file.
USERSPACE_CFLAGS += -I.
# Where `make install` puts the rollover certificates (the Makefile's DATADIR).
USERSPACE_CFLAGS += -DSWAUTH_ROLLOVER_DIR='"$(DATADIR)/rollover"'

# libswauth, one directory per concern and one header for each
# (userspace/lib/CONCERN.h): core, config, netlink, image, fs, xfer, boot, cli.
LIBSWAUTH_SRCS := $(addprefix userspace/lib/core/,error.c ossl.c json.c)
LIBSWAUTH_SRCS += $(addprefix userspace/lib/config/,config.c config-edit.c)
# The module's client: GET_STATUS, keys, debug flags, events; libkmod.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/netlink/,nl.c kmodload.c status.c debug.c \
	keys.c events.c)
# The image format (the module's own parser, kmod/image.c), its verifiers
# and the signer; the key-store format (kmod/keystore.c).
LIBSWAUTH_SRCS += $(addprefix userspace/lib/image/,verdict.c verify.c verify-user.c policy.c \
	system.c trust.c floors.c cert.c sign.c) kmod/image.c kmod/keystore.c
# flash:NAME and the other file systems; safe writes; replacing a file;
# the disk clean-up utility.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/fs/,safewrite.c storage.c install.c cleanup.c)
# URLs, the TFTP client, and FTP, HTTP(S) and SCP through libcurl; the
# status mail (SMTP) and the image locator (HTTPS), for swupgraded.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/xfer/,url.c tftp.c tftp-sock.c curl.c iface.c \
	mail.c locator.c mem.c http.c)
LIBSWAUTH_SRCS += $(addprefix userspace/lib/boot/,bootdir.c record.c reload.c upgrade.c)
# The PKI client's store of keys, trustpoints and certificates.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,store.c conf.c request.c p12.c legacy.c)
# Key pairs: the API, one pair's file, an unlocked key in the kernel's keyring.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,keystore.c keyfile.c keyring.c)
# Keys on a PKCS#11 token: libp11, and p11-kit's pkcs11.h for the module's
# own function list.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,token.c tokenkey.c)
# Trustpoints, the certificate store, CA authentication.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,trustpoint.c certstore.c authenticate.c)
# IOS configuration blocks (trustpoints, enrollment profiles); enrollment profiles.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,subcmd.c profile.c)
# Export and import of a trustpoint (PKCS#12, PEM).
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,bundle.c)
# SCEP (RFC 8894): its messages, and the client over libcurl.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,scep-msg.c scep.c)
# Enrollment (lib/pki/enroll.c): SCEP, file URLs, manual, self-signed; rollover.
LIBSWAUTH_SRCS += userspace/lib/pki/enroll.c
# Auto-enrollment: swpkid's schedule and state file.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/pki/,autoenroll.c)
# What the tools share: option parsing, messages, verification printers,
# a daemon's child.
LIBSWAUTH_SRCS += $(addprefix userspace/lib/cli/,cli.c verify-print.c confirm.c complete.c \
	child.c)
LIBSWAUTH := $(BUILD)/lib/libswauth.a
LIBSWAUTH_SAN := $(BUILD)/obj-san/lib/libswauth.a

# main.c last: it is the only file that sees SWAUTH_VERSION.
SWAUTH_CLI_SRCS := userspace/swauth/cmd-status.c \
	userspace/swauth/cmd-debug.c userspace/swauth/status-print.c \
	userspace/swauth/cmd-show.c userspace/swauth/cmd-verify.c userspace/swauth/cmd-key.c \
	userspace/swauth/key-print.c userspace/swauth/cmd-monitor.c \
	userspace/swauth/complete.c userspace/swauth/main.c
SWAUTH_CLI_SRCS := userspace/swauth/cmd-sign.c $(SWAUTH_CLI_SRCS)
SWAUTH_CLI_SRCS := userspace/swauth/cmd-upgrade.c userspace/swauth/cmd-reload.c userspace/swauth/reload-parse.c \
	userspace/swauth/reload-kexec.c userspace/swauth/reload-bootdir.c \
	userspace/swauth/reload-schedule.c $(SWAUTH_CLI_SRCS)
SWAUTH_CLI_SRCS := userspace/swauth/cmd-boot.c userspace/swauth/cmd-running.c \
	userspace/swauth/cmd-enforce.c $(SWAUTH_CLI_SRCS)
SWAUTH_CLI := $(BUILD)/bin/swauth

SWCOPY_SRCS := userspace/swcopy/sink.c userspace/swcopy/conf.c userspace/swcopy/cmds.c \
	userspace/swcopy/sums.c userspace/swcopy/args.c userspace/swcopy/prompt.c \
	userspace/swcopy/creds.c userspace/swcopy/progress.c userspace/swcopy/json.c \
	userspace/swcopy/erase.c userspace/swcopy/swcopy.c
SWCOPY := $(BUILD)/bin/swcopy
SWCOPY_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWCOPY_SRCS))
SWCOPY_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(SWCOPY_SRCS))

# The Auto-Upgrade Manager: the client and the daemon.
SWUPGRADE_SRCS := userspace/swupgrade/swupgrade.c
SWUPGRADE := $(BUILD)/bin/swupgrade
SWUPGRADE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWUPGRADE_SRCS))
SWUPGRADED_SRCS := userspace/swupgrade/job.c userspace/swupgrade/steps.c userspace/swupgrade/mail.c \
	userspace/swupgrade/swupgraded.c
SWUPGRADED := $(BUILD)/bin/swupgraded
SWUPGRADED_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWUPGRADED_SRCS))

# The PKI client (crypto key, crypto pki).
SWPKI_SRCS := userspace/swpki/cmd-show.c userspace/swpki/cmd-token.c userspace/swpki/cmd-key.c \
	userspace/swpki/key-pem.c userspace/swpki/key-show.c userspace/swpki/dispatch.c \
	userspace/swpki/cmd-trustpoint.c userspace/swpki/cmd-authenticate.c userspace/swpki/main.c \
	userspace/swpki/cmd-export.c userspace/swpki/cmd-profile.c userspace/swpki/cmd-enroll.c
SWPKI := $(BUILD)/bin/swpki
SWPKI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWPKI_SRCS))
SWPKI_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(SWPKI_SRCS))
# Auto-enrollment's daemon: runs swpki from its own directory.
SWPKID_SRCS := userspace/swpki/swpkid.c
SWPKID := $(BUILD)/bin/swpkid
SWPKID_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWPKID_SRCS))
SWPKID_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(SWPKID_SRCS))

LIBSWAUTH_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIBSWAUTH_SRCS))
LIBSWAUTH_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(LIBSWAUTH_SRCS))
SWAUTH_CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SWAUTH_CLI_SRCS))
SWAUTH_CLI_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(SWAUTH_CLI_SRCS))

userspace: $(LIBSWAUTH) $(SWAUTH_CLI) $(SWCOPY) $(SWUPGRADE) $(SWUPGRADED) $(SWPKI) $(SWPKID)

# The version is a -D of main.c only. A stamp that changes with it makes
# main.o rebuild when `git describe` moves, and nothing else.
SWAUTH_VERSION_STAMP := $(BUILD)/obj/userspace/version.stamp
$(SWAUTH_VERSION_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(SWAUTH_VERSION)' | cmp -s - $@ 2>/dev/null || echo '$(SWAUTH_VERSION)' > $@
SWAUTH_VERSIONED := $(BUILD)/obj/userspace/swauth/main.o \
	$(BUILD)/obj-san/userspace/swauth/main.o $(BUILD)/obj/userspace/swcopy/args.o \
	$(BUILD)/obj-san/userspace/swcopy/args.o \
	$(BUILD)/obj/userspace/swupgrade/swupgrade.o $(BUILD)/obj/userspace/swupgrade/swupgraded.o \
	$(BUILD)/obj/userspace/swpki/main.o $(BUILD)/obj-san/userspace/swpki/main.o \
	$(SWPKID_OBJS) $(SWPKID_SAN_OBJS)
$(SWAUTH_VERSIONED): $(SWAUTH_VERSION_STAMP)
$(SWAUTH_VERSIONED): CPPFLAGS += -DSWAUTH_VERSION='"$(SWAUTH_VERSION)"'

$(BUILD)/obj/userspace/%.o: userspace/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(USERSPACE_CFLAGS) -c -o $@ $<

$(BUILD)/obj-san/userspace/%.o: userspace/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) $(USERSPACE_CFLAGS) -c -o $@ $<

# kmod/image.c, compiled as userspace C11 (it has no kernel-only code).
$(BUILD)/obj/kmod/%.o: kmod/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(USERSPACE_CFLAGS) -c -o $@ $<

$(BUILD)/obj-san/kmod/%.o: kmod/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) $(USERSPACE_CFLAGS) -c -o $@ $<

$(LIBSWAUTH): $(LIBSWAUTH_OBJS)
	$(quiet) AR $@
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(LIBSWAUTH_SAN): $(LIBSWAUTH_SAN_OBJS)
	$(quiet) AR $@
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(SWAUTH_CLI): $(SWAUTH_CLI_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SWAUTH_CLI_OBJS) $(LIBSWAUTH) $(USERSPACE_LIBS)

$(SWCOPY): $(SWCOPY_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SWCOPY_OBJS) $(LIBSWAUTH) $(USERSPACE_LIBS)

$(SWPKI): $(SWPKI_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SWPKI_OBJS) $(LIBSWAUTH) $(USERSPACE_LIBS) \
		$(SWPKI_LIBS)

$(SWPKID): $(SWPKID_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SWPKID_OBJS) $(LIBSWAUTH) $(USERSPACE_LIBS)

.PHONY: install-userspace FORCE
# The bash completion is one file for swauth and swcopy, installed under
# each name (bash-completion loads it by the command's name); swupgrade has
# its own. swupgraded runs swauth and swcopy from its own directory: all
# four go to SBINDIR. boot-dir (/boot/swauth) exists so that
# swupgraded.service can be given it to write (ReadWritePaths=). What a fresh install
# needs and the package installs too: the modprobe.d options every way of
# loading the module gets (store_dir), key storage's directory (root's
# alone), /etc/swauth; the paths are those the tools and units use. GRUB's
# part (userspace/grub) goes to DATADIR/grub, not /etc/grub.d: an install
# never changes the boot menu; the admin guide links it.
install-userspace: userspace
	install -v -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man4 $(DESTDIR)$(MANDIR)/man8
	install -v -m 0755 $(SWAUTH_CLI) $(DESTDIR)$(SBINDIR)/swauth
	install -v -m 0755 $(SWCOPY) $(DESTDIR)$(SBINDIR)/swcopy
	install -v -m 0755 $(SWUPGRADE) $(DESTDIR)$(SBINDIR)/swupgrade
	install -v -m 0755 $(SWUPGRADED) $(DESTDIR)$(SBINDIR)/swupgraded
	install -v -m 0755 $(SWPKI) $(DESTDIR)$(SBINDIR)/swpki
	install -v -m 0755 $(SWPKID) $(DESTDIR)$(SBINDIR)/swpkid
	install -v -m 0644 Documentation/man/swauth.4 $(DESTDIR)$(MANDIR)/man4/swauth.4
	install -v -m 0644 Documentation/man/swauth.8 $(DESTDIR)$(MANDIR)/man8/swauth.8
	install -v -m 0644 Documentation/man/swcopy.8 $(DESTDIR)$(MANDIR)/man8/swcopy.8
	install -v -m 0644 Documentation/man/swupgrade.8 $(DESTDIR)$(MANDIR)/man8/swupgrade.8
	install -v -m 0644 Documentation/man/swupgraded.8 $(DESTDIR)$(MANDIR)/man8/swupgraded.8
	install -v -m 0644 Documentation/man/swpki.8 $(DESTDIR)$(MANDIR)/man8/swpki.8
	install -v -m 0644 Documentation/man/swpkid.8 $(DESTDIR)$(MANDIR)/man8/swpkid.8
	install -v -d $(DESTDIR)$(BASHCOMPDIR)
	install -v -m 0644 userspace/bash-completion/swauth $(DESTDIR)$(BASHCOMPDIR)/swauth
	install -v -m 0644 userspace/bash-completion/swauth $(DESTDIR)$(BASHCOMPDIR)/swcopy
	install -v -m 0644 userspace/bash-completion/swupgrade $(DESTDIR)$(BASHCOMPDIR)/swupgrade
	install -v -d $(DESTDIR)$(DATADIR)/grub
	sed 's|/usr/share/swauth/grub/|$(DATADIR)/grub/|' userspace/grub/42_swauth \
		>$(DESTDIR)$(DATADIR)/grub/42_swauth
	chmod 0755 $(DESTDIR)$(DATADIR)/grub/42_swauth
	install -v -m 0644 userspace/grub/swauth.cfg $(DESTDIR)$(DATADIR)/grub/swauth.cfg
	install -v -d $(DESTDIR)$(MODPROBEDIR)
	install -v -m 0644 userspace/etc/modprobe.d/swauth.conf $(DESTDIR)$(MODPROBEDIR)/swauth.conf
	install -v -d -m 0755 $(DESTDIR)/etc/swauth
	install -v -d -m 0700 $(DESTDIR)/var/lib/swauth
	install -v -d -m 0755 $(DESTDIR)/boot/swauth
	install -v -d $(DESTDIR)$(UNITDIR)
	for u in userspace/systemd/*.service.in; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' $$u >$(DESTDIR)$(UNITDIR)/$$(basename $$u .in) || exit 1; \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename $$u .in); \
	done

-include $(LIBSWAUTH_OBJS:.o=.d) $(LIBSWAUTH_SAN_OBJS:.o=.d) \
	$(SWAUTH_CLI_OBJS:.o=.d) $(SWAUTH_CLI_SAN_OBJS:.o=.d) $(SWCOPY_OBJS:.o=.d) \
	$(SWCOPY_SAN_OBJS:.o=.d) $(SWUPGRADE_OBJS:.o=.d) $(SWUPGRADED_OBJS:.o=.d) \
	$(SWPKI_OBJS:.o=.d) $(SWPKI_SAN_OBJS:.o=.d) $(SWPKID_OBJS:.o=.d) $(SWPKID_SAN_OBJS:.o=.d)

$(SWUPGRADE): $(SWUPGRADE_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(USERSPACE_LIBS)

$(SWUPGRADED): $(SWUPGRADED_OBJS) $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(USERSPACE_LIBS)
