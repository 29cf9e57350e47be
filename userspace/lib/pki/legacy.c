// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * OpenSSL 3's legacy provider, for the one operation that needs an old
 * algorithm (lib/pki.h): DES-CBC in a SCEP reply, RC2 in an old PKCS#12
 * file. Loading a provider by hand stops OpenSSL from loading the default
 * one by itself, so both are loaded, and both unloaded after.
 */

#include <errno.h>

#include <openssl/provider.h>

#include "lib/pki.h"

/**
 * swpki_legacy_load() - load the default and the legacy providers
 * @prov: receives both; swpki_legacy_unload() them
 * @what: what needs it, for the message ("SCEP: DES-CBC")
 * @instead: what to do otherwise, for the message
 * @err: filled on failure
 *
 * Return: 0, or -ENOPROTOOPT when the legacy provider cannot be loaded.
 */
int swpki_legacy_load(OSSL_PROVIDER **prov, const char *what, const char *instead,
		      struct swauth_error *err)
{
	char why[256];

	prov[0] = OSSL_PROVIDER_load(NULL, "default");
	prov[1] = prov[0] ? OSSL_PROVIDER_load(NULL, "legacy") : NULL;
	if (prov[1])
		return 0;
	if (prov[0])
		OSSL_PROVIDER_unload(prov[0]);
	prov[0] = NULL;
	return swauth_error_set(err, -ENOPROTOOPT,
				"%s needs OpenSSL's legacy provider, which cannot be loaded (%s); %s",
				what, swauth_ossl_reason(why, sizeof(why)), instead);
}

void swpki_legacy_unload(OSSL_PROVIDER **prov)
{
	if (prov[1])
		OSSL_PROVIDER_unload(prov[1]);
	if (prov[0])
		OSSL_PROVIDER_unload(prov[0]);
}
