// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The seeds print "Writing the key...e.Success", where "e." is the flash
 * erase and program progress of the router. Key storage here is a file
 * rewritten whole and synced, one copy after the other, with nothing to
 * erase, so the indicator is left out: "Writing the key...Success" (swauth.8, key add).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "lib/core.h"
#include "lib/image.h"
#include "swauth/key-print.h"

enum { MODULUS_MAX = 1024 };	/* 8192-bit RSA */

static const struct {
	uint32_t flag;
	const char *name;	/* as shown */
	const char *token;	/* in JSON */
} copies[] = {
	{ SWAUTH_KEY_F_BUILTIN, "Built-in", "builtin" },
	{ SWAUTH_KEY_F_PRIMARY, "Primary", "primary" },
	{ SWAUTH_KEY_F_BACKUP, "Backup", "backup" },
};

#define N_COPIES (sizeof(copies) / sizeof(copies[0]))

/**
 * key_print_modulus() - a modulus as the seeds show it
 * @f: the stream
 * @mod: the modulus, big-endian
 * @len: its length in bytes
 *
 * Colon-separated uppercase hex, 16 bytes a line, each line indented by
 * eight spaces and ended by a colon except the last.
 */
void key_print_modulus(FILE *f, const uint8_t *mod, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fputs("        ", f);
		fprintf(f, "%02X", mod[i]);
		if (i + 1 < len)
			fputc(':', f);
		if (i % 16 == 15 || i + 1 == len)
			fputc('\n', f);
	}
}

static void print_one(FILE *f, unsigned int number, const struct swauth_key *k, size_t copy)
{
	uint8_t mod[MODULUS_MAX];
	struct swauth_error err;
	uint64_t exponent;
	size_t len;

	fprintf(f, "Public Key #%u Information\n", number);
	fprintf(f, "-------------------------\n");
	fprintf(f, "%-21s: %s  (%s)\n", "Key Type", swauth_key_type_name(k->type),
		copies[copy].name);
	swauth_error_clear(&err);
	if (swauth_cert_rsa_public(k->cert, k->cert_len, mod, sizeof(mod), &len, &exponent,
				   &err)) {
		fprintf(f, "%-21s: unknown (%s)\n", "Public Key Algorithm", err.msg);
	} else {
		fprintf(f, "%-21s: RSA\n", "Public Key Algorithm");
		fprintf(f, "Modulus :\n");
		key_print_modulus(f, mod, len);
		fprintf(f, "Exponent : %" PRIu64 "\n", exponent);
	}
	fprintf(f, "%-21s: %c\n", "Key Version", (char)k->version);
}

/**
 * key_print_show() - `show software authenticity keys`
 * @f: the stream
 * @keys: the GET_KEYS dump
 *
 * One entry per key and copy it is in: the built-in keys first, then every
 * key of Primary, then every key of Backup, each in dump order, numbered
 * from 1.
 */
void key_print_show(FILE *f, const struct swauth_key_list *keys)
{
	unsigned int number = 0;
	size_t c, i;

	for (c = 0; c < N_COPIES; c++)
		for (i = 0; i < keys->n; i++)
			if (keys->keys[i].where & copies[c].flag)
				print_one(f, ++number, &keys->keys[i], c);
	if (!number)
		fprintf(f, "No public keys\n");
}

/**
 * key_print_show_json() - the keys as one JSON object and a newline
 * @f: the stream
 * @keys: the GET_KEYS dump
 *
 * Keys: keys, an array in the order of key_print_show() of {number, type,
 * type_name, version, location, algorithm, bits, modulus (hex), exponent};
 * algorithm, bits, modulus and exponent are null when the key is not RSA.
 *
 * Return: 0, or -errno from swauth_json_finish().
 */
int key_print_show_json(FILE *f, const struct swauth_key_list *keys)
{
	char hex[MODULUS_MAX * 2 + 1], v[2] = "";
	uint8_t mod[MODULUS_MAX];
	struct swauth_error err;
	struct swauth_json j;
	unsigned int number = 0;
	uint64_t exponent;
	size_t c, i, b, len;

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	swauth_json_array_begin(&j, "keys");
	for (c = 0; c < N_COPIES; c++) {
		for (i = 0; i < keys->n; i++) {
			const struct swauth_key *k = &keys->keys[i];

			if (!(k->where & copies[c].flag))
				continue;
			swauth_json_object_begin(&j, NULL);
			swauth_json_u64(&j, "number", ++number);
			swauth_json_string(&j, "type", swauth_key_type_token(k->type));
			swauth_json_string(&j, "type_name", swauth_key_type_name(k->type));
			v[0] = (char)k->version;
			v[1] = '\0';
			swauth_json_string(&j, "version", v);
			swauth_json_string(&j, "location", copies[c].token);
			swauth_error_clear(&err);
			if (swauth_cert_rsa_public(k->cert, k->cert_len, mod, sizeof(mod), &len,
						   &exponent, &err)) {
				swauth_json_null(&j, "algorithm");
				swauth_json_null(&j, "bits");
				swauth_json_null(&j, "modulus");
				swauth_json_null(&j, "exponent");
			} else {
				for (b = 0; b < len; b++)
					snprintf(hex + 2 * b, 3, "%02X", mod[b]);
				hex[2 * len] = '\0';
				swauth_json_string(&j, "algorithm", "RSA");
				swauth_json_u64(&j, "bits", len * 8);
				swauth_json_string(&j, "modulus", hex);
				swauth_json_u64(&j, "exponent", exponent);
			}
			swauth_json_object_end(&j);
		}
	}
	swauth_json_array_end(&j);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}

/**
 * key_print_add_intro() - what key add prints before it asks the module
 * @f: the stream
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 */
void key_print_add_intro(FILE *f, uint32_t type)
{
	fprintf(f, "Validating %s image...\n", type == SWAUTH_KEY_PRODUCTION ? "revocation" :
		"running");
	fprintf(f, "Validating new %s key...\n", swauth_key_type_token(type));
	fflush(f);
}

/* One copy's lines; true when the key is in it afterwards. */
static bool add_copy(FILE *f, const char *name, int32_t result)
{
	fprintf(f, "Adding the key to %s\n", name);
	fprintf(f, "Checking for duplicate keys\n");
	if (result == -EEXIST) {
		fprintf(f, "Key already present\n");
		return true;
	}
	if (result) {
		fprintf(f, "Writing the key...Failed: %s\n", strerror(-result));
		return false;
	}
	fprintf(f, "Writing the key...Success\n");
	return true;
}

/**
 * key_print_add() - the per-copy lines of key add, from the KEY_ADD reply
 * @f: the stream
 * @res: the reply
 *
 * Return: true when the key is in both copies (written or already present).
 */
bool key_print_add(FILE *f, const struct swauth_key_add_result *res)
{
	bool ok = add_copy(f, "Primary", res->primary);

	ok = add_copy(f, "Backup", res->backup) && ok;
	fprintf(f, "Done!\n");
	return ok;
}

/**
 * key_add_hint() - what a KEY_ADD errno means for the operator
 * @ret: the -errno
 *
 * Return: a sentence, or NULL for an errno with nothing to add.
 */
const char *key_add_hint(int ret)
{
	switch (ret) {
	case -EMEDIUMTYPE:
		return "a production key can only be added from a revocation image, a special key only from a production image";
	case -ENOKEY:
		return "the image bundles no key";
	case -EKEYREVOKED:
		return "that key version is revoked (below the floor of its type)";
	case -EKEYREJECTED:
		return "the image does not verify, or its key is not issued by a rollover key";
	case -EROFS:
		return "no key storage configured (module parameter store_dir)";
	case -ENOTDIR:
		return KEY_HINT_NO_STORE_DIR;
	case -EPERM:
	case -EACCES:
		return "permission denied: adding a key needs CAP_SYS_ADMIN";
	}
	return NULL;
}

/**
 * key_print_revoke_intro() - what key revoke prints before it asks the module
 * @f: the stream
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 */
void key_print_revoke_intro(FILE *f, uint32_t type)
{
	fprintf(f, "Finding the new %s key in the key storage\n", swauth_key_type_token(type));
	fprintf(f, "Validating running image...\n");
	fflush(f);
}

/* Was version @v of the revoked type in copy @flag before the request? */
static bool was_in(const struct swauth_key_list *before, uint32_t type, uint32_t v,
		   uint32_t flag)
{
	bool known = false;
	size_t i;

	for (i = 0; i < before->n; i++) {
		if (before->keys[i].type != type || before->keys[i].version != v)
			continue;
		if (before->keys[i].where & flag)
			return true;
		known = true;
	}
	return !known;	/* added since the dump: assume both copies had it */
}

static bool revoke_copy(FILE *f, const char *name, uint32_t flag, uint32_t type,
			const struct swauth_key_list *before,
			const struct swauth_key_revoke_result *res, int32_t result)
{
	unsigned int i, n = 0;

	fprintf(f, "Scanning the keys in %s\n", name);
	for (i = 0; i < res->n_revoked; i++) {
		if (!was_in(before, type, res->revoked[i], flag))
			continue;
		n++;
		if (result)
			fprintf(f, "Revoking the key with version %c...Failed: %s\n",
				(char)res->revoked[i], strerror(-result));
		else
			fprintf(f, "Revoking the key with version %c...Success\n",
				(char)res->revoked[i]);
	}
	if (!n && result)
		fprintf(f, "Writing the floor...Failed: %s\n", strerror(-result));
	else if (!n)
		fprintf(f, "No key with version less than %c\n", (char)res->floor);
	return !result;
}

/**
 * key_print_revoke() - the rest of key revoke, from GET_KEYS before and the reply
 * @f: the stream
 * @type: the revoked type
 * @before: the keys before the request; which copy held which revoked version
 * @res: the KEY_REVOKE reply
 * @bootloader: whether a boot loader was sent to be validated
 *
 * The module revokes in one request; the per-copy lines are rebuilt from
 * what each copy held before and the copy's result.
 *
 * Return: true when both copies were written.
 */
bool key_print_revoke(FILE *f, uint32_t type, const struct swauth_key_list *before,
		      const struct swauth_key_revoke_result *res, bool bootloader)
{
	bool ok;

	fprintf(f, "Revoking keys with version less than %c\n", (char)res->floor);
	if (bootloader)
		fprintf(f, "Validating upgradable rommon...\n");
	ok = revoke_copy(f, "Primary", SWAUTH_KEY_F_PRIMARY, type, before, res, res->primary);
	ok = revoke_copy(f, "Backup", SWAUTH_KEY_F_BACKUP, type, before, res, res->backup) && ok;
	fprintf(f, "Done!\n");
	return ok;
}

/**
 * key_revoke_hint() - what a KEY_REVOKE errno means for the operator
 * @ret: the -errno
 *
 * Return: a sentence, or NULL for an errno with nothing to add.
 */
const char *key_revoke_hint(int ret)
{
	switch (ret) {
	case -EMEDIUMTYPE:
		return "the running image must be a production image";
	case -ENOKEY:
		return "there is no newer key to revoke to; add it first with 'swauth key add'";
	case -EKEYREVOKED:
		return "the boot image or the boot loader is still signed with a key that would be revoked (--force overrides)";
	case -EKEYREJECTED:
		return "the running image does not verify, or is not signed with the new key";
	case -EROFS:
		return "no key storage configured (module parameter store_dir)";
	case -ENOTDIR:
		return KEY_HINT_NO_STORE_DIR;
	case -EOPNOTSUPP:
		return "revoke after a cold reload (a full reboot), not after a warm reload";
	case -EPERM:
	case -EACCES:
		return "permission denied: revoking a key needs CAP_SYS_ADMIN";
	}
	return NULL;
}

static void check(struct upgrade_check *c, const char *token, const char *label, bool ok)
{
	c->token = token;
	c->label = label;
	c->ok = ok;
	c->detail[0] = c->remedy[0] = '\0';
}

/*
 * An image passes when it verifies and is signed by the new key; for a
 * special revocation an image signed by a production key passes too, as
 * revoking special keys does not touch it.
 */
static void check_image(struct upgrade_check *c, uint32_t type, uint32_t version,
			const struct upgrade_image *img, const char *keyword, const char *remedy)
{
	const struct swauth_verify_result *r = img->res;

	c->ok = false;
	if (!img->path) {
		snprintf(c->detail, sizeof(c->detail), "no %s in swauth.conf", keyword);
		snprintf(c->remedy, sizeof(c->remedy), "set %s in swauth.conf, then %s", keyword,
			 remedy);
		return;
	}
	if (img->error || !r) {
		snprintf(c->detail, sizeof(c->detail), "%s: %s", img->path,
			 img->error ? img->error : "not verified");
		snprintf(c->remedy, sizeof(c->remedy), "%s", remedy);
		return;
	}
	if (r->verdict != SWAUTH_VERDICT_OK) {
		snprintf(c->detail, sizeof(c->detail), "%s: %s", img->path,
			 swauth_verdict_message(r->verdict));
		snprintf(c->remedy, sizeof(c->remedy), "%s", remedy);
		return;
	}
	if ((r->signer_key_type == type && r->signer_key_version == version) ||
	    (type == SWAUTH_KEY_SPECIAL && r->signer_key_type == SWAUTH_KEY_PRODUCTION)) {
		c->ok = true;
		snprintf(c->detail, sizeof(c->detail), "%s: signed with %s key %c", img->path,
			 swauth_key_type_token(r->signer_key_type), (char)r->signer_key_version);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "%s: signed with %s key %c", img->path,
		 swauth_key_type_token(r->signer_key_type), (char)r->signer_key_version);
	snprintf(c->remedy, sizeof(c->remedy), "%s", remedy);
}

/**
 * upgrade_status_eval() - the five checks of FEATURES A5.7
 * @us: receives the checks
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 * @keys: the GET_KEYS dump
 * @boot: the configured boot image
 * @bootloader: the configured upgradable boot loader
 *
 * The new key is the highest version of @type present. Checks: it is
 * installed; it is in Primary; it is in Backup; the boot image and the
 * boot loader are signed with it.
 *
 * Return: true when every check passed.
 */
bool upgrade_status_eval(struct upgrade_status *us, uint32_t type,
			 const struct swauth_key_list *keys, const struct upgrade_image *boot,
			 const struct upgrade_image *bootloader)
{
	const struct swauth_key *k = swauth_key_newest(keys, type);
	const char *t = swauth_key_type_token(type);
	const char *from = type == SWAUTH_KEY_PRODUCTION ? "revocation" : "production";
	struct upgrade_check *c = us->checks;
	char add[UPGRADE_TEXT_LEN];
	bool ok = true;
	unsigned int i;

	memset(us, 0, sizeof(*us));
	us->type = type;
	us->new_version = k ? k->version : 0;
	snprintf(add, sizeof(add), "re-run 'swauth key add %s --image <%s image>'", t, from);

	check(&c[0], "key-installed", "New key installed", k != NULL);
	if (k)
		snprintf(c[0].detail, sizeof(c[0].detail), "%s key %c", t, (char)k->version);
	else
		snprintf(c[0].remedy, sizeof(c[0].remedy),
			 "add the new key: swauth key add %s --image <%s image>", t, from);
	check(&c[1], "key-in-primary", "New key in Primary storage",
	      k && k->where & SWAUTH_KEY_F_PRIMARY);
	check(&c[2], "key-in-backup", "New key in Backup storage",
	      k && k->where & SWAUTH_KEY_F_BACKUP);
	for (i = 1; i <= 2; i++)
		if (!c[i].ok)
			snprintf(c[i].remedy, sizeof(c[i].remedy), "%s", add);

	check(&c[3], "boot-image", "Boot image signed with the new key", false);
	check(&c[4], "bootloader", "Boot loader signed with the new key", false);
	if (k) {
		char remedy[UPGRADE_TEXT_LEN];

		snprintf(remedy, sizeof(remedy),
			 "copy the new %s image and point boot-image at it", t);
		check_image(&c[3], type, k->version, boot, "boot-image", remedy);
		check_image(&c[4], type, k->version, bootloader, "bootloader-image",
			    "upgrade the boot loader: swauth upgrade bootloader FILE");
	} else {
		snprintf(c[3].detail, sizeof(c[3].detail), "no new key to compare with");
		snprintf(c[4].detail, sizeof(c[4].detail), "no new key to compare with");
		snprintf(c[3].remedy, sizeof(c[3].remedy), "add the new key first");
		snprintf(c[4].remedy, sizeof(c[4].remedy), "add the new key first");
	}
	for (i = 0; i < UPGRADE_CHECKS; i++)
		ok = ok && c[i].ok;
	return ok;
}

/**
 * upgrade_status_print() - `show software authenticity upgrade-status`
 * @f: the stream
 * @us: the evaluated checks
 *
 * A header naming the new key, then per check "<label> : OK" or
 * "<label> : FAILED", the detail in parentheses, and a FAILED check's
 * remedy on the next line.
 */
void upgrade_status_print(FILE *f, const struct upgrade_status *us)
{
	const struct upgrade_check *c;
	unsigned int i;

	if (us->new_version)
		fprintf(f, "%-36s : %c\n", "New key version", (char)us->new_version);
	else
		fprintf(f, "%-36s : none\n", "New key version");
	fprintf(f, "%-36s : %s\n", "Key type", swauth_key_type_token(us->type));
	for (i = 0; i < UPGRADE_CHECKS; i++) {
		c = &us->checks[i];
		fprintf(f, "%-36s : %s", c->label, c->ok ? "OK" : "FAILED");
		if (c->detail[0])
			fprintf(f, " (%s)", c->detail);
		fputc('\n', f);
		if (!c->ok && c->remedy[0])
			fprintf(f, "    remedy: %s\n", c->remedy);
	}
}

/**
 * upgrade_status_print_json() - the checks as one JSON object and a newline
 * @f: the stream
 * @us: the evaluated checks
 *
 * Keys: type, new_version (a letter or null), result ("ok" or "failed"),
 * checks, an array of {name, result, detail, remedy} in the order of
 * upgrade_status_print(); detail and remedy are null when empty.
 *
 * Return: 0, or -errno from swauth_json_finish().
 */
int upgrade_status_print_json(FILE *f, const struct upgrade_status *us)
{
	char v[2] = { (char)us->new_version, '\0' };
	struct swauth_json j;
	bool ok = true;
	unsigned int i;

	for (i = 0; i < UPGRADE_CHECKS; i++)
		ok = ok && us->checks[i].ok;
	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	swauth_json_string(&j, "type", swauth_key_type_token(us->type));
	if (us->new_version)
		swauth_json_string(&j, "new_version", v);
	else
		swauth_json_null(&j, "new_version");
	swauth_json_string(&j, "result", ok ? "ok" : "failed");
	swauth_json_array_begin(&j, "checks");
	for (i = 0; i < UPGRADE_CHECKS; i++) {
		const struct upgrade_check *c = &us->checks[i];

		swauth_json_object_begin(&j, NULL);
		swauth_json_string(&j, "name", c->token);
		swauth_json_string(&j, "result", c->ok ? "ok" : "failed");
		if (c->detail[0])
			swauth_json_string(&j, "detail", c->detail);
		else
			swauth_json_null(&j, "detail");
		if (!c->ok && c->remedy[0])
			swauth_json_string(&j, "remedy", c->remedy);
		else
			swauth_json_null(&j, "remedy");
		swauth_json_object_end(&j);
	}
	swauth_json_array_end(&j);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}

/**
 * event_print() - one event as a line: "key added: production B"
 * @f: the stream
 * @e: the event
 */
void event_print(FILE *f, const struct swauth_event_msg *e)
{
	const char *t = swauth_key_type_token(e->key_type);

	switch (e->event) {
	case SWAUTH_EVENT_ENFORCE:
		fprintf(f, "kexec enforcement: %s\n", e->enforce ? "on" : "off");
		break;
	case SWAUTH_EVENT_KEXEC_REFUSED:
		fprintf(f, "kexec refused: %s%s%s by pid %" PRIu32 " (%s), uid %" PRIu32
			   "; %" PRIu64 " refused so far\n",
			swauth_refused_name(e->refused), e->file_name[0] ? " of " : "",
			e->file_name, e->pid, e->comm, e->uid, e->count);
		break;
	case SWAUTH_EVENT_KEY_ADDED:
		fprintf(f, "key added: %s %c\n", t, (char)e->key_version);
		break;
	case SWAUTH_EVENT_KEY_REVOKED:
		fprintf(f, "key revoked: %s %c\n", t, (char)e->key_version);
		break;
	case SWAUTH_EVENT_FLOOR_RAISED:
		fprintf(f, "floor raised: %s %c\n", t, (char)e->floor);
		break;
	default:
		fprintf(f, "unknown event %" PRIu32 ": %s\n", e->event, t);
		break;
	}
	fflush(f);
}

/**
 * event_print_json() - one event as one JSON object and a newline
 * @f: the stream
 * @e: the event
 *
 * Keys: event ("key-added", "key-revoked", "floor-raised" or "unknown"),
 * key_type, version (null when absent), floor (floor-raised only, else null);
 * "enforce": enforce ("on" or "off"); "kexec-refused": refused, file (null for
 * kexec_load), pid, uid, comm, count.
 *
 * Return: 0, or -errno from swauth_json_finish().
 */
int event_print_json(FILE *f, const struct swauth_event_msg *e)
{
	char v[2] = { (char)e->key_version, '\0' }, fl[2] = { (char)e->floor, '\0' };
	struct swauth_json j;
	int ret;

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	swauth_json_string(&j, "event", swauth_event_token(e->event));
	if (e->event == SWAUTH_EVENT_ENFORCE) {
		swauth_json_string(&j, "enforce", e->enforce ? "on" : "off");
		goto end;
	}
	if (e->event == SWAUTH_EVENT_KEXEC_REFUSED) {
		swauth_json_string(&j, "refused", swauth_refused_name(e->refused));
		if (e->file_name[0])
			swauth_json_string(&j, "file", e->file_name);
		else
			swauth_json_null(&j, "file");
		swauth_json_u64(&j, "pid", e->pid);
		swauth_json_u64(&j, "uid", e->uid);
		swauth_json_string(&j, "comm", e->comm);
		swauth_json_u64(&j, "count", e->count);
		goto end;
	}
	swauth_json_string(&j, "key_type", swauth_key_type_token(e->key_type));
	if (e->has & SWAUTH_EVENT_HAS_KEY_VERSION)
		swauth_json_string(&j, "version", v);
	else
		swauth_json_null(&j, "version");
	if (e->has & SWAUTH_EVENT_HAS_FLOOR)
		swauth_json_string(&j, "floor", fl);
	else
		swauth_json_null(&j, "floor");
end:
	swauth_json_object_end(&j);
	ret = swauth_json_finish(&j);
	fflush(f);
	return ret;
}
