# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# libFuzzer targets (clang): selftests/fuzz/<name>_fuzz.c ->
# $(BUILD)/fuzz/<name>_fuzz, linked with the code they fuzz directly (not
# through libswauth, which is built with gcc and without coverage), and a
# seed corpus per target in $(BUILD)/fuzz/corpus/<name>/. `make fuzz`
# builds them; `make` does too when clang is installed. selftests/host/fuzz.t
# runs each for a bounded number of inputs (a few seconds) in `make check`;
# `make fuzz-long` runs each for FUZZ_TIME seconds, one after the other,
# keeping what they find in $(BUILD)/fuzz/found/<name>/ for the next run.

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Iinclude/uapi -I.
FUZZ_TARGETS := $(BUILD)/fuzz/image_fuzz
FUZZ_IMAGE_CORPUS_DIR := $(BUILD)/fuzz/corpus/image
FUZZ_IMAGE_CORPUS := $(BUILD)/fuzz/corpus/image.stamp

FUZZ_TIME ?= 600

.PHONY: fuzz fuzz-long
fuzz: $(FUZZ_TARGETS) $(FUZZ_IMAGE_CORPUS)

fuzz-long: fuzz
	FUZZ_TIME=$(FUZZ_TIME) FUZZ_FOUND=$(abspath $(BUILD))/fuzz/found sh selftests/host/fuzz.t

ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
selftests: fuzz
endif

$(BUILD)/fuzz/image_fuzz: selftests/fuzz/image_fuzz.c kmod/image.c kmod/image.h \
		include/uapi/linux/swauth.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ selftests/fuzz/image_fuzz.c kmod/image.c

# Seeds: real images of each type, with and without a bundled certificate,
# signed by the development keys (small payloads keep the inputs short).
$(FUZZ_IMAGE_CORPUS): $(SWAUTH_CLI) $(DEV_KEYS)
	$(quiet) GEN $(FUZZ_IMAGE_CORPUS_DIR)
	@rm -rf $(FUZZ_IMAGE_CORPUS_DIR) && mkdir -p $(FUZZ_IMAGE_CORPUS_DIR)
	$(Q)d=$(FUZZ_IMAGE_CORPUS_DIR) && printf 'payload\n' >$$d/payload && \
	k=$(DEV_KEYS_DIR) && \
	$(SWAUTH_CLI) sign -k $$k/production-A.key -c $$k/production-A.crt -t production \
		-K A -H sha256 -T 0 -n prod -i 1.0 -p x86 $$d/payload -o $$d >/dev/null && \
	$(SWAUTH_CLI) sign -k $$k/special-B.key -c $$k/special-B.crt -t special \
		-K B -H sha384 -T 0 -n spec $$d/payload -o $$d >/dev/null && \
	$(SWAUTH_CLI) sign -k $$k/special-C.key -c $$k/special-C.crt -t bootloader \
		-K C -T 0 -n boot $$d/payload -o $$d >/dev/null && \
	$(SWAUTH_CLI) sign -k $$k/rollover.key -c $$k/rollover.crt -t revocation \
		-K A -T 0 -n keys -b $$k/production-B.crt $$d/payload -o $$d >/dev/null && \
	rm $$d/payload && touch $@

# The key-store parser and builder (kmod/keystore.c). Seeds are valid
# stores (their CRCs right) written by keystore_seeds, one of them holding
# the development certificates in DER.
FUZZ_TARGETS += $(BUILD)/fuzz/keystore_fuzz
FUZZ_KEYSTORE_CORPUS_DIR := $(BUILD)/fuzz/corpus/keystore
FUZZ_KEYSTORE_CORPUS := $(BUILD)/fuzz/corpus/keystore.stamp
fuzz: $(BUILD)/fuzz/keystore_fuzz $(FUZZ_KEYSTORE_CORPUS)

$(BUILD)/fuzz/keystore_fuzz: selftests/fuzz/keystore_fuzz.c kmod/keystore.c kmod/keystore.h \
		include/uapi/linux/swauth.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ selftests/fuzz/keystore_fuzz.c kmod/keystore.c

$(BUILD)/fuzz/keystore_seeds: selftests/fuzz/keystore_seeds.c kmod/keystore.c kmod/keystore.h \
		include/uapi/linux/swauth.h
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -Iinclude/uapi -I. \
		-o $@ selftests/fuzz/keystore_seeds.c kmod/keystore.c

$(FUZZ_KEYSTORE_CORPUS): $(BUILD)/fuzz/keystore_seeds $(DEV_KEYS)
	$(quiet) GEN $(FUZZ_KEYSTORE_CORPUS_DIR)
	@rm -rf $(FUZZ_KEYSTORE_CORPUS_DIR) && mkdir -p $(FUZZ_KEYSTORE_CORPUS_DIR)
	$(Q)d=$(FUZZ_KEYSTORE_CORPUS_DIR) && k=$(DEV_KEYS_DIR) && \
	openssl x509 -in $$k/production-A.crt -outform DER -out $$d/A.der && \
	openssl x509 -in $$k/production-B.crt -outform DER -out $$d/B.der && \
	$(BUILD)/fuzz/keystore_seeds $$d $$d/A.der $$d/B.der && \
	rm $$d/A.der $$d/B.der && touch $@

# Userspace parsers of untrusted input (userspace/lib/, userspace/swcopy/),
# linked from their sources like the kernel's. Seeds that are text (URLs,
# configuration files) and every input that once crashed a target are kept
# in selftests/fuzz/seeds/<name>/ and copied into the target's corpus.
FUZZ_USER_CFLAGS := $(FUZZ_CFLAGS) -Iuserspace
FUZZ_SEEDS := selftests/fuzz/seeds

# The URL parser (url.c), with the URLs of every scheme and form as seeds.
FUZZ_TARGETS += $(BUILD)/fuzz/url_fuzz
fuzz: $(BUILD)/fuzz/url_fuzz $(BUILD)/fuzz/corpus/url.stamp

$(BUILD)/fuzz/url_fuzz: selftests/fuzz/url_fuzz.c userspace/lib/xfer/url.c \
		userspace/lib/core/error.c userspace/lib/xfer.h userspace/lib/core.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -o $@ selftests/fuzz/url_fuzz.c \
		userspace/lib/xfer/url.c userspace/lib/core/error.c

# The configuration parsers: swauth.conf (lib/config/config.c) and
# swcopy.conf (swcopy/conf.c), seeded with files as the tools and the
# tests write them.
FUZZ_TARGETS += $(BUILD)/fuzz/config_fuzz $(BUILD)/fuzz/swcopy_conf_fuzz
fuzz: $(BUILD)/fuzz/config_fuzz $(BUILD)/fuzz/corpus/config.stamp \
	$(BUILD)/fuzz/swcopy_conf_fuzz $(BUILD)/fuzz/corpus/swcopy_conf.stamp

$(BUILD)/fuzz/config_fuzz: selftests/fuzz/config_fuzz.c userspace/lib/config/config.c \
		userspace/lib/core/error.c userspace/lib/config.h userspace/lib/core.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -o $@ selftests/fuzz/config_fuzz.c \
		userspace/lib/config/config.c userspace/lib/core/error.c

# swcopy_conf_set() in the same file needs lib/config and safe writes.
$(BUILD)/fuzz/swcopy_conf_fuzz: selftests/fuzz/swcopy_conf_fuzz.c userspace/swcopy/conf.c \
		userspace/swcopy/conf.h userspace/lib/config/config-edit.c \
		userspace/lib/config/config.c \
		userspace/lib/fs/safewrite.c userspace/lib/core/error.c userspace/lib/config.h \
		userspace/lib/fs.h userspace/lib/core.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -o $@ selftests/fuzz/swcopy_conf_fuzz.c \
		userspace/swcopy/conf.c userspace/lib/config/config-edit.c \
		userspace/lib/config/config.c userspace/lib/fs/safewrite.c \
		userspace/lib/core/error.c

# Text seeds, and the inputs that once failed, as they are in the tree.
$(BUILD)/fuzz/corpus/%.stamp: $(wildcard $(FUZZ_SEEDS)/*/*)
	$(quiet) GEN $(BUILD)/fuzz/corpus/$*
	@rm -rf $(BUILD)/fuzz/corpus/$* && mkdir -p $(BUILD)/fuzz/corpus/$*
	$(Q)cp $(FUZZ_SEEDS)/$*/* $(BUILD)/fuzz/corpus/$*/ && touch $@

# The streaming verifier (lib/image/verify-user.c) that swcopy /verify
# feeds. It trusts the development keys through $(FUZZ_TRUST): the
# rollover certificate and the three that signed the seeds, no more (every
# stream loads them again, at milliseconds a certificate under ASan).
# Seeds: the image corpus's images, each behind control bytes that choose
# the announced size and the pieces (see verify_stream_fuzz.c).
FUZZ_TRUST := $(BUILD)/fuzz/trust
FUZZ_TARGETS += $(BUILD)/fuzz/verify_stream_fuzz
FUZZ_VERIFY_SRCS := userspace/lib/image/verify-user.c userspace/lib/image/cert.c \
	userspace/lib/image/verdict.c userspace/lib/image/floors.c \
	userspace/lib/core/error.c userspace/lib/core/ossl.c kmod/image.c
fuzz: $(BUILD)/fuzz/verify_stream_fuzz $(BUILD)/fuzz/corpus/verify_stream.stamp

$(BUILD)/fuzz/verify_stream_fuzz: selftests/fuzz/verify_stream_fuzz.c $(FUZZ_VERIFY_SRCS) \
		userspace/lib/image.h userspace/lib/core.h kmod/image.h include/uapi/linux/swauth.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -DFUZZ_TRUST_DIR='"$(abspath $(FUZZ_TRUST))"' \
		-o $@ selftests/fuzz/verify_stream_fuzz.c $(FUZZ_VERIFY_SRCS) -lcrypto

$(BUILD)/fuzz/corpus/verify_stream.stamp: $(FUZZ_IMAGE_CORPUS) $(wildcard $(FUZZ_SEEDS)/verify_stream/*)
	$(quiet) GEN $(BUILD)/fuzz/corpus/verify_stream
	@rm -rf $(FUZZ_TRUST) $(BUILD)/fuzz/corpus/verify_stream
	@mkdir -p $(FUZZ_TRUST)/rollover $(FUZZ_TRUST)/keys $(BUILD)/fuzz/corpus/verify_stream
	$(Q)cp $(DEV_KEYS_DIR)/rollover.crt $(FUZZ_TRUST)/rollover/ && \
	cp $(DEV_KEYS_DIR)/production-A.crt $(DEV_KEYS_DIR)/special-B.crt \
		$(DEV_KEYS_DIR)/special-C.crt $(FUZZ_TRUST)/keys/ && \
	d=$(BUILD)/fuzz/corpus/verify_stream && \
	for img in $(FUZZ_IMAGE_CORPUS_DIR)/*; do \
		n=$$(basename $$img) && \
		{ printf '\001\000\000\000\000\000\000\000\000'; cat $$img; } >$$d/$$n-whole && \
		{ printf '\001\001\002\003\005\010\015\025\042'; cat $$img; } >$$d/$$n-small && \
		{ printf '\000\377\200\001\377\377\100\007\000'; cat $$img; } >$$d/$$n-unsized && \
		{ printf '\003\020\000\020\000\020\000\020\000'; cat $$img; } >$$d/$$n-longer || exit 1; \
	done && \
	if [ -d $(FUZZ_SEEDS)/verify_stream ]; then cp $(FUZZ_SEEDS)/verify_stream/* $$d/; fi && \
	touch $@

# The TFTP client (lib/xfer/tftp.c, tftp-sock.c) against a server made of
# the input: sendto() and recvfrom() are replaced at link time, the rest
# runs as in swcopy. Seeds: tftpd-hpa's side of downloads and uploads, from
# tftp_seeds.sh.
FUZZ_TARGETS += $(BUILD)/fuzz/tftp_fuzz
FUZZ_TFTP_SRCS := userspace/lib/xfer/tftp.c userspace/lib/xfer/tftp-sock.c \
	userspace/lib/xfer/iface.c userspace/lib/core/error.c
fuzz: $(BUILD)/fuzz/tftp_fuzz $(BUILD)/fuzz/corpus/tftp.stamp

$(BUILD)/fuzz/tftp_fuzz: selftests/fuzz/tftp_fuzz.c $(FUZZ_TFTP_SRCS) userspace/lib/xfer.h \
		userspace/lib/core.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -Wl,--wrap=sendto,--wrap=recvfrom -o $@ \
		selftests/fuzz/tftp_fuzz.c $(FUZZ_TFTP_SRCS)

$(BUILD)/fuzz/corpus/tftp.stamp: selftests/fuzz/tftp_seeds.sh $(wildcard $(FUZZ_SEEDS)/tftp/*)
	$(quiet) GEN $(BUILD)/fuzz/corpus/tftp
	@rm -rf $(BUILD)/fuzz/corpus/tftp && mkdir -p $(BUILD)/fuzz/corpus/tftp
	$(Q)selftests/fuzz/tftp_seeds.sh $(BUILD)/fuzz/corpus/tftp && \
	if [ -d $(FUZZ_SEEDS)/tftp ]; then cp $(FUZZ_SEEDS)/tftp/* $(BUILD)/fuzz/corpus/tftp/; fi && \
	touch $@

# What HTTP and FTP servers say (swauth_reply_line() in lib/xfer/curl.c):
# seeds in selftests/fuzz/seeds/reply/.
FUZZ_TARGETS += $(BUILD)/fuzz/reply_fuzz
FUZZ_REPLY_SRCS := userspace/lib/xfer/curl.c userspace/lib/xfer/iface.c \
	userspace/lib/core/error.c
fuzz: $(BUILD)/fuzz/reply_fuzz $(BUILD)/fuzz/corpus/reply.stamp

$(BUILD)/fuzz/reply_fuzz: selftests/fuzz/reply_fuzz.c $(FUZZ_REPLY_SRCS) userspace/lib/xfer.h \
		userspace/lib/core.h
	$(quiet) FUZZ $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_USER_CFLAGS) -o $@ selftests/fuzz/reply_fuzz.c $(FUZZ_REPLY_SRCS) \
		$(shell $(PKG_CONFIG) --libs libcurl)
