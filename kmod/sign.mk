# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# make module-signed: a copy of swauth.ko signed for the kernel's module
# signature check (module.sig_enforce=1, Secure Boot lockdown), at
# build/signed/swauth.ko; swauth.ko itself stays unsigned. The key is the
# machine's own, in the files and formats DKMS uses for its MOK key
# (/var/lib/dkms/mok.key, PEM, and mok.pub, DER): keyrings/gen-mok-key
# generates it once, when both files are missing, and never over an
# existing one. To sign with DKMS's key instead, or elsewhere:
#   make module-signed MOK_KEY=/var/lib/dkms/mok.key MOK_CERT=/var/lib/dkms/mok.pub
#   make module-signed SIGNED_MODULE=/path/to/swauth.ko
# `make clean` keeps keyrings/mok/: its certificate may be enrolled (mokutil
# --import, Documentation/admin-guide.rst), and modules signed before must
# keep loading.

MOK_DIR := keyrings/mok
MOK_KEY ?= $(MOK_DIR)/mok.key
MOK_CERT ?= $(MOK_DIR)/mok.pub
SIGNED_MODULE ?= $(BUILD)/signed/swauth.ko
# Debian's linux-kbuild-X.Y has sign-file (what DKMS runs); the headers'
# scripts/ are the fallback for other kernels.
KVER_XY := $(word 1,$(subst ., ,$(KVER))).$(word 2,$(subst ., ,$(KVER)))
SIGN_FILE ?= $(firstword $(wildcard /usr/lib/linux-kbuild-$(KVER_XY)/scripts/sign-file \
	$(KDIR)/scripts/sign-file))

.PHONY: module-signed
module-signed: module
	$(Q)test -x "$(SIGN_FILE)" || { echo "no sign-file for $(KVER) (apt-get install linux-kbuild-$(KVER_XY))" >&2; exit 1; }
	$(Q)keyrings/gen-mok-key $(MOK_KEY) $(MOK_CERT)
	$(quiet) SIGN $(SIGNED_MODULE)
	$(Q)mkdir -p $(dir $(SIGNED_MODULE))
	$(Q)cp swauth.ko $(SIGNED_MODULE).tmp
	$(Q)$(SIGN_FILE) sha256 $(MOK_KEY) $(MOK_CERT) $(SIGNED_MODULE).tmp
	$(Q)mv $(SIGNED_MODULE).tmp $(SIGNED_MODULE)
