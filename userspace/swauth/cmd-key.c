// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth key provision CERT: the factory path for production and special
 * keys (SWAUTH_CMD_PROVISION_KEY). CERT is a PEM or DER file; the kernel
 * takes DER, so PEM is converted here.
 *
 * swauth key add production|special --image IMAGE and swauth key revoke
 * production|special [--image RUNNING] [--bootloader FILE] [--force]: the
 * seeds' `software authenticity key add|revoke` (FEATURES A6), printed as
 * the seeds do from the module's one reply (swauth/key-print.c).
 *
 * swauth key store init [--yes] and swauth key store reload: create key
 * storage where there is none (SWAUTH_CMD_STORE_INIT, the only way one
 * comes into being), and read it again once it can be read
 * (SWAUTH_CMD_STORE_RELOAD); Documentation/key-store.rst.
 *
 * swauth key sync: the userspace trust store follows the module without
 * changing it, for the keys and floors the module read from key storage
 * at load (swauth.service runs it at boot).
 */

#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/image.h"
#include "lib/netlink.h"
#include "swauth/key-print.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s provision CERT\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s add production|special [--image IMAGE]\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s revoke production|special [--image RUNNING] [--bootloader FILE] [--force]\n",
		PROG_NAME, subcmd);
	fprintf(f, "       %s %s store init [--yes]\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s store reload\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s sync\n\n", PROG_NAME, subcmd);
	fprintf(f, "add: add the key IMAGE bundles to both copies of key storage; a production\n"
		   "key comes from a revocation image, a special key from a production image\n"
		   "(default for special: the running image, see below).\n"
		   "revoke: revoke every key of the type below the newest one. The module\n"
		   "checks the running production image it measured at boot; --image RUNNING\n"
		   "names it only on a system that swauth did not start, where the module does\n"
		   "not know what runs (default: the image swauth reload started, else\n"
		   "boot-image). FILE is the upgradable boot loader (default: bootloader-image\n"
		   "of %s). --force revokes even when they are still signed with a\n"
		   "key to be revoked.\n\n", SWAUTH_CONFIG_PATH);
	fprintf(f, "provision: add a production or special key to the kernel. CERT (PEM or DER) must be\n"
		   "issued by a rollover key built into the module, with the common name\n"
		   "\"swauth production key V\" or \"swauth special key V\". Needs CAP_SYS_ADMIN.\n\n");
	fprintf(f, "store init: create key storage (both copies, with the keys the module holds)\n"
		   "in the module's store_dir, where neither copy exists; asks first on a\n"
		   "terminal. store reload: read key storage that could not be read (not\n"
		   "mounted yet, an I/O error): its keys and floors then hold.\n\n");
	fprintf(f, "sync: make %s hold the module's production and special keys and\n"
		   "floors (as every key change does) without changing the module; refused,\n"
		   "the directory left as it was, when the module or its key storage cannot\n"
		   "be read; left as it was when the module has no key storage yet.\n\n",
		SWAUTH_KEYS_DIR);
	fprintf(f, "  -y, --yes    store init: do not ask for confirmation\n");
	fprintf(f, "  -h, --help   show this help\n");
}

/* What each documented errno means for the operator. */
static const char *provision_hint(int ret, const struct swauth_cert_info *info)
{
	static char buf[SWAUTH_CERT_FIELD_LEN + 96];

	switch (ret) {
	case -EPERM:
		return "permission denied: provisioning a key needs CAP_SYS_ADMIN";
	case -ENOKEY:
		return "the certificate is not issued by a rollover key built into the module";
	case -EKEYREJECTED:
		return "the certificate's signature does not verify with the rollover key that issued it";
	case -EEXIST:
		snprintf(buf, sizeof(buf), "a key named \"%s\" is already provisioned",
			 info->common_name[0] ? info->common_name : "like this one");
		return buf;
	case -EBADMSG:
		return "not a valid X.509 certificate";
	case -EINVAL:
		return "the common name must be \"swauth production key V\" or \"swauth special key V\", V a letter A to Z";
	case -ENOSPC:
		return "the keyring of that key type is full";
	case -ENOTDIR:
		return KEY_HINT_NO_STORE_DIR;
	}
	return NULL;
}

/*
 * The module's keys changed: the userspace trust store follows, so that
 * --userspace and machines reading it trust what the module trusts and
 * nothing it revoked (lib/image.h, trust.c).
 */
static int mirror(const char *subcmd, struct swauth_nl *nl)
{
	struct swauth_error err;

	swauth_error_clear(&err);
	if (!swauth_trust_mirror(nl, SWAUTH_KEYS_DIR, &err))
		return CLI_EXIT_OK;
	cli_msg(subcmd, "the module's keys changed, but the userspace trust store %s did not follow: %s",
		SWAUTH_KEYS_DIR, err.msg);
	return CLI_EXIT_SYSTEM;
}

static int provision(const char *subcmd, int argc, char *argv[])
{
	static uint8_t der[SWAUTH_CERT_MAX];
	struct swauth_cert_info info = { 0 };
	struct swauth_error err;
	struct swauth_nl *nl;
	const char *hint;
	size_t len;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, "key");
		return CLI_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		cli_msg(subcmd, argc < 2 ? "missing CERT" : "expected one argument, CERT");
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	ret = swauth_cert_read_file(argv[1], der, sizeof(der), &len, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	swauth_cert_info(der, len, &info, &err);

	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_key_provision(nl, der, len, &err);
	if (ret) {
		swauth_nl_close(nl);
		hint = provision_hint(ret, &info);
		if (hint)
			cli_msg(subcmd, "%s: %s (%s)", argv[1], hint, err.msg);
		else
			cli_msg(subcmd, "%s: %s", argv[1], err.msg);
		return CLI_EXIT_SYSTEM;
	}
	printf("Provisioned %s (serial %s) from %s\n", info.common_name[0] ? info.common_name : "key",
	       info.serial[0] ? info.serial : "unknown", argv[1]);
	fflush(stdout);
	ret = mirror(subcmd, nl);
	swauth_nl_close(nl);
	return ret;
}

static int parse_type(const char *subcmd, const char *word, uint32_t *type)
{
	if (word && !strcmp(word, "production")) {
		*type = SWAUTH_KEY_PRODUCTION;
		return 0;
	}
	if (word && !strcmp(word, "special")) {
		*type = SWAUTH_KEY_SPECIAL;
		return 0;
	}
	if (!word || word[0] == '-')
		cli_msg(subcmd, "missing key type: production or special");
	else
		cli_msg(subcmd, "unknown key type '%s' (known: production, special)", word);
	return -EINVAL;
}

static int open_image(const char *subcmd, const char *path)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		cli_msg(subcmd, "%s: %s", path, strerror(errno));
	return fd;
}

/* The kernel refused the whole request: explain, and pick the exit code. */
static int change_failed(const char *subcmd, int ret, const char *hint,
			 const struct swauth_error *err)
{
	fflush(stdout);
	if (hint)
		cli_msg(subcmd, "%s (%s)", hint, err->msg);
	else
		cli_msg(subcmd, "%s", err->msg);
	if (ret == -ENOPKG)
		return CLI_EXIT_NO_MODULE;
	if (ret == -EKEYREJECTED)
		return CLI_EXIT_VERIFY_FAILED;
	return CLI_EXIT_SYSTEM;
}

struct change_opts {
	uint32_t type;
	const char *image, *bootloader;
	char image_path[PATH_MAX];	/* --image resolved (flash:NAME and its kin) */
	bool force;
	struct swauth_config cfg;
	struct swauth_reload_record running;	/* lib/reload.h */
};

/*
 * The running image as the records name it: the one swauth reload started,
 * else boot-image.
 */
static void records_image(struct change_opts *o)
{
	bool reloaded;

	if (!o->image && !swauth_running_image(&o->cfg, &o->running, &reloaded))
		o->image = o->running.image;
	if (!o->image && o->cfg.boot_image[0])
		o->image = o->cfg.boot_image;
}

static int missing_image(const char *subcmd)
{
	cli_msg(subcmd, "missing --image (and no boot-image in %s)", swauth_config_path());
	usage(stderr, "key");
	return CLI_EXIT_USAGE;
}

/*
 * What key revoke names as the running image: nothing when the module
 * measured it, else --image or the records.
 * Return: -1 to go on, else the exit code.
 */
static int revoke_image(const char *subcmd, struct change_opts *o, const struct swauth_status *st)
{
	if (!swauth_status_running_measured(st)) {
		records_image(o);
		return o->image ? -1 : missing_image(subcmd);
	}
	if (!o->image)
		return -1;
	cli_msg(subcmd, "the module knows the running image (%s, %s %c): --image is only for a system that swauth did not start",
		st->image_name, swauth_key_type_token(st->signer_key_type),
		swauth_status_running_signer(st));
	return CLI_EXIT_USAGE;
}

/*
 * The options; key add's default image. key revoke names the running image
 * once it knows whether the module does (revoke_image()).
 */
static int change_args(const char *subcmd, int argc, char *argv[], bool revoke,
		       struct change_opts *o)
{
	static const struct option options[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "bootloader", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct swauth_error err;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, revoke ? ":i:b:fh" : ":i:h", options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (cli_resolve_file(subcmd, optarg, o->image_path, sizeof(o->image_path)))
				return CLI_EXIT_USAGE;
			o->image = o->image_path;
			break;
		case 'b':
			o->bootloader = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		case 'h':
			usage(stdout, "key");
			return CLI_EXIT_OK;
		default:
			cli_bad_option(subcmd, argc, argv, opt);
			usage(stderr, "key");
			return CLI_EXIT_USAGE;
		}
	}
	if (!revoke && (o->bootloader || o->force)) {
		cli_msg(subcmd, "--bootloader and --force are for key revoke only");
		return CLI_EXIT_USAGE;
	}
	if (parse_type(subcmd, optind < argc ? argv[optind] : NULL, &o->type)) {
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind + 1]);
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &o->cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (revoke) {
		if (!o->bootloader && o->cfg.bootloader_image[0])
			o->bootloader = o->cfg.bootloader_image;
		return -1;
	}
	/* A production key comes from a revocation image, never from the running one. */
	if (o->type == SWAUTH_KEY_SPECIAL)
		records_image(o);
	return o->image ? -1 : missing_image(subcmd);
}

static int key_add(const char *subcmd, int argc, char *argv[])
{
	struct change_opts o = { 0 };
	struct swauth_key_add_result res;
	struct swauth_error err;
	struct swauth_nl *nl;
	int fd, ret;

	ret = change_args(subcmd, argc, argv, false, &o);
	if (ret >= 0)
		return ret;
	fd = open_image(subcmd, o.image);
	if (fd < 0)
		return CLI_EXIT_SYSTEM;
	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret) {
		close(fd);
		return cli_fail(subcmd, ret, &err);
	}
	key_print_add_intro(stdout, o.type);
	ret = swauth_key_add(nl, o.type, fd, &res, &err);
	close(fd);
	if (ret) {
		swauth_nl_close(nl);
		return change_failed(subcmd, ret, key_add_hint(ret), &err);
	}
	ret = key_print_add(stdout, &res) ? CLI_EXIT_OK : CLI_EXIT_SYSTEM;
	if (fflush(stdout) || ferror(stdout))
		ret = CLI_EXIT_SYSTEM;
	ret = mirror(subcmd, nl) ?: ret;
	swauth_nl_close(nl);
	return ret;
}

static int key_revoke(const char *subcmd, int argc, char *argv[])
{
	struct swauth_key_list before = { 0 };
	struct change_opts o = { 0 };
	struct swauth_key_revoke_result res;
	struct swauth_status st;
	struct swauth_error err;
	struct swauth_nl *nl;
	int fd = -1, bl_fd = -1, ret;

	ret = change_args(subcmd, argc, argv, true, &o);
	if (ret >= 0)
		return ret;
	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_status_get(nl, &st, &err);
	if (ret) {
		swauth_nl_close(nl);
		return cli_fail(subcmd, ret, &err);
	}
	/*
	 * Refused after a warm reload whatever else holds (the kernel says so
	 * too): say it before the seeds' progress lines.
	 */
	if ((st.has & SWAUTH_STATUS_HAS_BOOT) && st.boot == SWAUTH_BOOT_WARM) {
		swauth_nl_close(nl);
		cli_msg(subcmd, "this system was started by a warm reload (kexec): key revocation needs a cold reload ('swauth reload' without --warm), so that the boot chain verifies again");
		return CLI_EXIT_SYSTEM;
	}
	ret = revoke_image(subcmd, &o, &st);
	if (ret >= 0) {
		swauth_nl_close(nl);
		return ret;
	}
	if (o.image) {
		fd = open_image(subcmd, o.image);
		if (fd < 0) {
			swauth_nl_close(nl);
			return CLI_EXIT_SYSTEM;
		}
	}
	if (o.bootloader) {
		bl_fd = open_image(subcmd, o.bootloader);
		if (bl_fd < 0) {
			swauth_nl_close(nl);
			ret = CLI_EXIT_SYSTEM;
			goto out_close;
		}
	}
	/* Which copy holds which version, to print per copy what the kernel revoked. */
	ret = swauth_keys_get(nl, &before, &err);
	if (ret) {
		swauth_nl_close(nl);
		ret = cli_fail(subcmd, ret, &err);
		goto out_close;
	}
	if (o.image)
		printf("Running image: %s (named by the caller: the module does not know what runs: %s)\n",
		       o.image, swauth_status_running_why(&st));
	key_print_revoke_intro(stdout, o.type);
	ret = swauth_key_revoke(nl, o.type, fd, bl_fd, o.force ? SWAUTH_REVOKE_F_FORCE : 0,
				&res, &err);
	if (fd >= 0)
		close(fd);
	if (bl_fd >= 0)
		close(bl_fd);
	if (ret) {
		swauth_nl_close(nl);
		swauth_key_list_free(&before);
		return change_failed(subcmd, ret, key_revoke_hint(ret), &err);
	}
	ret = key_print_revoke(stdout, o.type, &before, &res, bl_fd >= 0) ? CLI_EXIT_OK :
									     CLI_EXIT_SYSTEM;
	swauth_key_list_free(&before);
	if (fflush(stdout) || ferror(stdout))
		ret = CLI_EXIT_SYSTEM;
	ret = mirror(subcmd, nl) ?: ret;
	swauth_nl_close(nl);
	return ret;

out_close:
	if (fd >= 0)
		close(fd);
	if (bl_fd >= 0)
		close(bl_fd);
	return ret;
}

static bool confirm_init(void)
{
	char line[16];

	fputs("Create key storage in store_dir? [confirm]", stdout);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

/* What each documented errno of STORE_INIT and STORE_RELOAD means. */
static const char *store_hint(int ret, bool init)
{
	switch (ret) {
	case -EEXIST:
		return "key storage exists already: nothing created";
	case -ENOENT:
		return init ? NULL : "no key storage was ever created: run 'swauth key store init'";
	case -EROFS:
		return "no key storage configured (module parameter store_dir)";
	case -ENOTDIR:
		return KEY_HINT_NO_STORE_DIR;
	case -EPERM:
	case -EACCES:
		return "permission denied: this needs CAP_SYS_ADMIN";
	}
	return "key storage cannot be read now; key changes are refused until it can";
}

static int store(const char *subcmd, int argc, char *argv[])
{
	struct swauth_error err;
	struct swauth_nl *nl;
	bool init, yes = false;
	int ret;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, "key");
		return CLI_EXIT_OK;
	}
	init = argc >= 2 && !strcmp(argv[1], "init");
	if (init && argc == 3 && (!strcmp(argv[2], "-y") || !strcmp(argv[2], "--yes")))
		yes = true;
	else if (argc != 2 || (!init && strcmp(argv[1], "reload"))) {
		cli_msg(subcmd, argc < 2 ? "missing action: init or reload" :
			"expected 'store init [--yes]' or 'store reload'");
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	if (init && !yes && isatty(STDIN_FILENO) && !confirm_init())
		return CLI_EXIT_OK;
	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = init ? swauth_store_init(nl, &err) : swauth_store_reload(nl, &err);
	if (ret) {
		swauth_nl_close(nl);
		return change_failed(subcmd, ret, store_hint(ret, init), &err);
	}
	puts(init ? "Key storage created" : "Key storage read");
	fflush(stdout);
	ret = mirror(subcmd, nl);
	swauth_nl_close(nl);
	return ret;
}

/*
 * The module's keys as they are: nothing to change, only the mirror to
 * bring up to date. A module whose key storage was not read holds none of
 * the stored keys, and mirroring that would empty the trust store: refuse
 * when the storage cannot be read; leave the mirror alone, successfully,
 * when there is none (verify-only, or a fresh install before store init).
 */
static int sync_mirror(const char *subcmd, int argc, char *argv[])
{
	struct swauth_status st;
	struct swauth_error err;
	struct swauth_nl *nl;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, "key");
		return CLI_EXIT_OK;
	}
	if (argc != 1) {
		cli_msg(subcmd, argv[1][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
			argv[1]);
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (!ret)
		ret = swauth_status_get(nl, &st, &err);
	if (ret) {
		swauth_nl_close(nl);
		cli_msg(subcmd, "%s: %s left as it was", err.msg, SWAUTH_KEYS_DIR);
		return ret == -ENOPKG ? CLI_EXIT_NO_MODULE : CLI_EXIT_SYSTEM;
	}
	if (st.store_primary == SWAUTH_STORE_UNREADABLE ||
	    st.store_backup == SWAUTH_STORE_UNREADABLE) {
		swauth_nl_close(nl);
		cli_msg(subcmd, "the module's key storage cannot be read (%s), so the module holds none of its keys: %s left as it was; run 'swauth key store reload' once it can be read",
			strerror(st.store_error < 0 ? -st.store_error : EIO), SWAUTH_KEYS_DIR);
		return CLI_EXIT_SYSTEM;
	}
	if (st.store_primary == SWAUTH_STORE_NONE || st.store_primary == SWAUTH_STORE_ABSENT) {
		swauth_nl_close(nl);
		printf("%s left as it was: %s\n", SWAUTH_KEYS_DIR,
		       st.store_primary == SWAUTH_STORE_NONE ?
		       "the module has no key storage (module parameter store_dir)" :
		       "no key storage was created yet ('swauth key store init')");
		return fflush(stdout) || ferror(stdout) ? CLI_EXIT_SYSTEM : CLI_EXIT_OK;
	}
	swauth_error_clear(&err);
	ret = swauth_trust_mirror(nl, SWAUTH_KEYS_DIR, &err);
	swauth_nl_close(nl);
	if (ret) {
		cli_msg(subcmd, "%s did not follow the module: %s", SWAUTH_KEYS_DIR, err.msg);
		return CLI_EXIT_SYSTEM;
	}
	printf("%s holds the module's keys and floors\n", SWAUTH_KEYS_DIR);
	return fflush(stdout) || ferror(stdout) ? CLI_EXIT_SYSTEM : CLI_EXIT_OK;
}

int key_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "provision"))
		return provision("key provision", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return key_add("key add", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "revoke"))
		return key_revoke("key revoke", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "store"))
		return store("key store", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "sync"))
		return sync_mirror("key sync", argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (argc < 2)
		cli_msg(argv[0], "missing action: provision, add, revoke, store or sync");
	else
		cli_msg(argv[0], "unknown action '%s' (known: provision, add, revoke, store, sync)",
			argv[1]);
	usage(stderr, argv[0]);
	return CLI_EXIT_USAGE;
}
