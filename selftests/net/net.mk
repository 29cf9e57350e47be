# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Transfer tests against real servers (selftests/net/servers.sh):
# $(BUILD)/tests/net/curl_test, a sanitized kselftest-harness program that
# selftests/host/curl.t runs once it has started the servers; and
# curl-fetch, the optimised download driver that scripts/bench times;
# mail-locator, the driver of selftests/host/mail-locator.t (sanitized).

NET_TESTS := $(BUILD)/tests/net/curl_test $(BUILD)/tests/net/mail-locator
NET_TOOLS := $(BUILD)/tests/net/curl-fetch

$(BUILD)/obj-san/selftests/net/%.o: selftests/net/%.c $(LINUX)/.extracted
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) $(USERSPACE_CFLAGS) \
		$(HOST_TEST_CFLAGS) -c -o $@ $<

# Paths are built with snprintf into PATH_MAX buffers, as in host.mk.
$(BUILD)/obj-san/selftests/net/curl_test.o: HOST_TEST_CFLAGS += -Wno-format-truncation

$(BUILD)/tests/net/curl_test: $(BUILD)/obj-san/selftests/net/curl_test.o $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $< $(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

$(BUILD)/tests/net/mail-locator: $(BUILD)/obj-san/selftests/net/mail-locator.o $(LIBSWAUTH_SAN)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $< $(LIBSWAUTH_SAN) $(USERSPACE_LIBS)

$(BUILD)/obj/selftests/net/%.o: selftests/net/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(USERSPACE_CFLAGS) -c -o $@ $<

$(BUILD)/tests/net/curl-fetch: $(BUILD)/obj/selftests/net/curl-fetch.o $(LIBSWAUTH)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBSWAUTH) $(USERSPACE_LIBS)

-include $(BUILD)/obj-san/selftests/net/curl_test.d $(BUILD)/obj/selftests/net/curl-fetch.d \
	$(BUILD)/obj-san/selftests/net/mail-locator.d
