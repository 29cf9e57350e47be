# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# make package: the Debian packages swauth-dkms and swauth-tools (debian/),
# built by dpkg-buildpackage in a copy of the tree under build/pkg/ so that
# the tree stays clean; the .debs and the .changes go to build/deb/.
#
# The copy has the tracked files as they are in the work tree, a changelog
# entry written here, and pregenerated/: what needs clang, bpftool and
# openssl, made on this machine so that DKMS on a target needs only the
# kernel headers. That is the rollover certificates of this build
# ($(SWAUTH_ROLLOVER_CERTS), as PEM for the tools and as the DER that the
# module embeds) and the module's BPF skeleton.
#
# Version 0.1+gitN.HASH: N commits, HASH the commit; ".dirty" when tracked
# files differ from it; "~dev" when the rollover certificates are the
# development ones of keyrings/dev, which must never reach a device.

PKG_DIR := $(BUILD)/pkg
DEB_DIR := $(BUILD)/deb
PKG_DEV = $(if $(filter $(abspath $(DEV_KEYS_DIR))/%,$(abspath $(SWAUTH_ROLLOVER_CERTS))),~dev)
PKG_VERSION = 0.1+git$(shell git rev-list --count HEAD).$(shell git rev-parse --short=12 HEAD)$(if \
	$(shell git status --porcelain --untracked-files=no),.dirty)$(PKG_DEV)
PKG_MAINTAINER := The swauth developers <swauth@example.org>

.PHONY: package
package: $(ROLLOVER_DER) $(BPF_SKEL)
	$(Q)$(MAKE) --no-print-directory package-build PKG_VERSION='$(PKG_VERSION)'

.PHONY: package-build
package-build:
	$(if $(PKG_DEV),@echo "package: WARNING: built with the development rollover certificates ($(SWAUTH_ROLLOVER_CERTS)): version $(PKG_VERSION) is for tests only and never for a device" >&2)
	$(quiet) PKG "swauth $(PKG_VERSION) in $(DEB_DIR)"
	$(Q)rm -rf $(PKG_DIR) $(DEB_DIR)
	$(Q)mkdir -p $(PKG_DIR)/src/pregenerated/bpf/include/bpf $(PKG_DIR)/src/pregenerated/rollover $(DEB_DIR)
	$(Q)git ls-files -z | tar --null -T - --ignore-failed-read -cf - | tar -xf - -C $(PKG_DIR)/src
	$(Q)cp $(ROLLOVER_DER) $(PKG_DIR)/src/pregenerated/rollover-certs.der
	$(Q)cp $(SWAUTH_ROLLOVER_CERTS) $(PKG_DIR)/src/pregenerated/rollover/
	$(Q)cp $(BPF_SKEL) $(PKG_DIR)/src/pregenerated/bpf/
	$(Q)cp -L $(BPF_DIR)/include/bpf/skel_internal.h $(PKG_DIR)/src/pregenerated/bpf/include/bpf/
	$(Q){ echo 'swauth ($(PKG_VERSION)) unstable; urgency=medium'; echo; \
	  echo '  * Built by make package from commit $(shell git rev-parse HEAD).'; echo; \
	  echo ' -- $(PKG_MAINTAINER)  '"$$(date -R -u -d @$$(git log -1 --format=%ct))"; \
	} >$(PKG_DIR)/src/debian/changelog
	$(Q)cd $(PKG_DIR)/src && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -n 40 ../build.log >&2; echo "package: dpkg-buildpackage failed: $(PKG_DIR)/build.log" >&2; exit 1; }
	$(Q)mv $(PKG_DIR)/*.deb $(PKG_DIR)/*.changes $(PKG_DIR)/*.buildinfo $(DEB_DIR)/
