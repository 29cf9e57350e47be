// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The local interface of a transfer, for the seeds' "Loading ... (via
 * IFACE)": the interface that holds a local address, and the one a packet
 * to a peer leaves by (the kernel's route, asked with a connected UDP
 * socket that sends nothing).
 */

#include <errno.h>
#include <ifaddrs.h>
#include <stdbool.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/xfer.h"

static bool same_ip(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			       &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr));
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       sizeof(struct in6_addr));
	return false;
}

/**
 * swauth_iface_of() - the interface that holds a local address
 * @addr: the address (AF_INET or AF_INET6)
 * @name: receives the interface's name, "" when none holds it
 * @len: size of @name
 */
void swauth_iface_of(const struct sockaddr *addr, char *name, size_t len)
{
	struct ifaddrs *ifa, *i;

	name[0] = '\0';
	if (getifaddrs(&ifa))
		return;
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && same_ip(i->ifa_addr, addr)) {
			snprintf(name, len, "%s", i->ifa_name);
			break;
		}
	}
	freeifaddrs(ifa);
}

/**
 * swauth_iface_to() - the interface a packet to a peer leaves by
 * @peer: the peer's address
 * @peer_len: its length
 * @name: receives the interface's name, "" when it cannot be told
 * @len: size of @name
 */
void swauth_iface_to(const struct sockaddr *peer, unsigned int peer_len, char *name, size_t len)
{
	struct sockaddr_storage local;
	socklen_t local_len = sizeof(local);
	int fd;

	name[0] = '\0';
	fd = socket(peer->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (!connect(fd, peer, peer_len) &&
	    !getsockname(fd, (struct sockaddr *)&local, &local_len))
		swauth_iface_of((struct sockaddr *)&local, name, len);
	close(fd);
}

/**
 * swauth_iface_named() - swauth_iface_to() or swauth_iface_of() of a host
 * @host: a host name or numeric address
 * @local: true when @host is one of this machine's addresses
 * @name: receives the interface's name, "" when it cannot be told
 * @len: size of @name
 */
void swauth_iface_named(const char *host, bool local, char *name, size_t len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;

	name[0] = '\0';
	if (local)
		hints.ai_flags = AI_NUMERICHOST;
	/* A port for connect(); nothing is sent. */
	if (!host[0] || getaddrinfo(host, "9", &hints, &ai) || !ai)
		return;
	if (local)
		swauth_iface_of(ai->ai_addr, name, len);
	else
		swauth_iface_to(ai->ai_addr, ai->ai_addrlen, name, len);
	freeaddrinfo(ai);
}

/* The first address of @family on interface @name. */
static int iface_addr(const char *name, int family, struct sockaddr_storage *ss,
		      socklen_t *len, struct swauth_error *err)
{
	struct ifaddrs *ifa, *i;
	bool seen = false;

	if (getifaddrs(&ifa))
		return swauth_error_set(err, -errno, "cannot list the interfaces: %s",
					strerror(errno));
	for (i = ifa; i; i = i->ifa_next) {
		if (strcmp(i->ifa_name, name))
			continue;
		seen = true;
		if (!i->ifa_addr || i->ifa_addr->sa_family != family)
			continue;
		*len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		memcpy(ss, i->ifa_addr, *len);
		if (family == AF_INET6 &&
		    IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)ss)->sin6_addr))
			continue;
		freeifaddrs(ifa);
		return 0;
	}
	freeifaddrs(ifa);
	if (!seen)
		return swauth_error_set(err, -ENODEV, "source interface %s: no such interface",
					name);
	return swauth_error_set(err, -EADDRNOTAVAIL, "source interface %s has no %s address",
				name, family == AF_INET ? "IPv4" : "IPv6");
}

/**
 * swauth_xfer_bind() - make a new socket leave by the VRF and source interface asked for
 * @fd: the socket, not connected yet
 * @family: its family, AF_INET or AF_INET6
 * @o: o->vrf (SO_BINDTODEVICE to the VRF's device) and o->source_iface
 *	(bind(2) to that interface's first address of @family); NULL: nothing
 * @err: filled on failure
 *
 * Return: 0 or -errno: -ENODEV (no such interface or VRF), -EADDRNOTAVAIL
 * (the interface has no address of @family), or what setsockopt() or
 * bind() said.
 */
int swauth_xfer_bind(int fd, int family, const struct swauth_xfer_opts *o,
		     struct swauth_error *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int ret;

	if (!o)
		return 0;
	if (o->vrf && o->vrf[0] &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->vrf, strlen(o->vrf) + 1))
		return swauth_error_set(err, errno == ENODEV ? -ENODEV : -errno,
					"vrf %s: %s", o->vrf,
					errno == ENODEV ? "no such device" : strerror(errno));
	if (!o->source_iface || !o->source_iface[0])
		return 0;
	ret = iface_addr(o->source_iface, family, &ss, &len, err);
	if (ret)
		return ret;
	if (bind(fd, (struct sockaddr *)&ss, len))
		return swauth_error_set(err, -errno, "source interface %s: bind: %s",
					o->source_iface, strerror(errno));
	return 0;
}
