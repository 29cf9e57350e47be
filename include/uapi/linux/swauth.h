/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Documentation
 * =============
 *
 * swauth is a generic netlink family, SWAUTH_GENL_NAME, version
 * SWAUTH_GENL_VERSION. Every request carries a struct genlmsghdr whose
 * version is SWAUTH_GENL_VERSION and whose reserved field is zero; the
 * kernel rejects anything else. Attributes not listed for a command are
 * rejected (strict validation), so a client learns at once that it talks to
 * a module that does not know what it asks for.
 *
 * Errors arrive as a netlink error message. Where the kernel can say more
 * than the errno, it adds an extended ack message (NLMSGERR_ATTR_MSG) and,
 * for a bad attribute, its offset (NLMSGERR_ATTR_OFFS); clients should set
 * NETLINK_EXT_ACK and print the message.
 *
 * Privileges match the harm (Documentation/netlink.rst has the table):
 * irreversible trust changes (PROVISION_KEY, KEY_ADD, KEY_REVOKE,
 * STORE_INIT) and STORE_RELOAD need CAP_SYS_ADMIN in the initial user
 * namespace, SET_DEBUG CAP_NET_ADMIN there, queries nothing. swauth's
 * keyrings and policy are global to the machine, never per namespace. A
 * caller without the capability gets -EPERM. Dumps check the genl version
 * like every other request.
 *
 * Reading a caller's file for long and returning descriptors is not done
 * over netlink: SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL are ioctls on the
 * misc device /dev/swauth (see "The device" below). The command numbers
 * SWAUTH_CMD_VERIFY_IMAGE and SWAUTH_CMD_SEAL_IMAGE stay reserved and are
 * answered with -EOPNOTSUPP.
 *
 * SWAUTH_CMD_GET_STATUS
 * ---------------------
 *
 * Call form: NLM_F_REQUEST. Unprivileged. No attributes in the request.
 * The reply is one message, command SWAUTH_CMD_GET_STATUS, with:
 *
 *    SWAUTH_A_VERSION: NLA_NUL_STRING, the module's version, at most
 *                      SWAUTH_VERSION_LEN bytes with the NUL
 *    SWAUTH_A_ABI_VERSION: NLA_U32, SWAUTH_GENL_VERSION of the module
 *    SWAUTH_A_MODE: NLA_U32, one of enum swauth_mode
 *    SWAUTH_A_DEBUG: NLA_U32, the enabled debug categories, a mask of
 *                    enum swauth_debug_flag
 *    SWAUTH_A_KEYS_ROLLOVER: NLA_U32, keys on the rollover keyring
 *    SWAUTH_A_KEYS_PRODUCTION: NLA_U32, keys on the production keyring
 *    SWAUTH_A_KEYS_SPECIAL: NLA_U32, keys on the special keyring
 *    SWAUTH_A_IMAGES_VERIFIED: NLA_U64, images that passed verification
 *                              since the module was loaded
 *    SWAUTH_A_IMAGES_REJECTED: NLA_U64, images that failed verification
 *                              since the module was loaded
 *    SWAUTH_A_BOOT: NLA_U32, how the running kernel was started, one of
 *                   enum swauth_boot (SWAUTH_CMD_KEY_REVOKE is refused
 *                   after a warm reload)
 *    SWAUTH_A_BOOT_BASIS: NLA_U32, what SWAUTH_A_BOOT is based on, one of
 *                   enum swauth_boot_basis
 *    SWAUTH_A_ENFORCE: NLA_U32, 1 while kexec is enforced, else 0
 *    SWAUTH_A_KEXEC_REFUSED: NLA_U64, kexec loads refused since the module
 *                   was loaded
 *    SWAUTH_A_RUNNING: NLA_U32, one of enum swauth_running: whether the
 *                   module knows which image runs, measured from the
 *                   initramfs this kernel booted (Documentation/
 *                   admin-guide.rst, "The running image")
 *    SWAUTH_A_RUNNING_WHY: NLA_NUL_STRING, why it does not (UNKNOWN only)
 *    SWAUTH_A_IMAGE_NAME, SWAUTH_A_IMAGE_VERSION, SWAUTH_A_IMAGE_TYPE,
 *    SWAUTH_A_SIGNER_KEY_TYPE, SWAUTH_A_SIGNER_KEY_VERSION,
 *    SWAUTH_A_HASH_ALGO, SWAUTH_A_EMBEDDED_DIGEST, SWAUTH_A_BUILD_TIME:
 *                   the running image's manifest and signer, as for
 *                   SWAUTH_IOC_VERIFY (MEASURED only)
 *    SWAUTH_A_RUNNING_KERNEL: NLA_NUL_STRING, the running kernel's
 *                   release and version, which the record named
 *                   (MEASURED only)
 *
 * A client must ignore attributes it does not know in a reply: later
 * versions add to this list, they never change or remove an entry.
 *
 * SWAUTH_CMD_SET_DEBUG
 * --------------------
 *
 * Call form: NLM_F_REQUEST. CAP_NET_ADMIN. Exactly these attributes:
 *
 *    SWAUTH_A_DEBUG: NLA_U32, the new mask of enabled debug categories;
 *                    0 turns every category off
 *
 * A bit outside __SWAUTH_DEBUG_F_ALL gives -EOPNOTSUPP; a missing
 * SWAUTH_A_DEBUG gives -EINVAL. On success the reply is an ack only. The
 * categories select which kernel log messages of swauth are printed; see
 * enum swauth_debug_flag.
 *
 * SWAUTH_CMD_PROVISION_KEY
 * ------------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. The factory path for production
 * and special keys. Exactly these attributes:
 *
 *    SWAUTH_A_CERT: NLA_BINARY, an X.509 certificate (DER), at most
 *                   SWAUTH_CERT_MAX bytes
 *
 * The certificate must be issued (signed) by a rollover key built into the
 * module, and its subject common name must be "swauth production key V" or
 * "swauth special key V" with V the version letter: that is what binds a
 * key to its type and version (Documentation/image-format.rst). On success
 * the key is on the keyring of its type and the reply is an ack. Errors:
 * -EBADMSG for a certificate that does not parse, -ENOKEY when no rollover
 * key issued it, -EKEYREJECTED when its signature does not verify,
 * -EBADMSG with its own extack message when the certificate's two
 * signature algorithm identifiers differ (the module checks the DER
 * before the kernel's X.509 parser sees it, so that no request makes the
 * kernel log), -EINVAL for a common name outside the convention, -EEXIST
 * when a key of
 * that type and version is present, -EKEYREVOKED when its version is below
 * its type's floor. A provisioned key is written to key storage like one
 * added with SWAUTH_CMD_KEY_ADD.
 *
 * Key storage
 * -----------
 *
 * With key storage configured (module parameter store_dir), the module
 * keeps its production and special keys and the floors in two copies,
 * Primary and Backup (Documentation/key-store.rst), and the mode is
 * SWAUTH_MODE_KEY_MANAGEMENT; without, SWAUTH_MODE_VERIFY_ONLY, and the
 * commands that change keys give -EROFS. Every change is written to
 * Primary, then to Backup. GET_STATUS adds:
 *
 *    SWAUTH_A_FLOOR_PRODUCTION, SWAUTH_A_FLOOR_SPECIAL: NLA_U32, the lowest
 *                      version letter still trusted, 0 when no floor
 *    SWAUTH_A_STORE_PRIMARY, SWAUTH_A_STORE_BACKUP: NLA_U32, enum
 *                      swauth_store_state of each copy
 *    SWAUTH_A_STORE_SEQUENCE: NLA_U64, the highest sequence number the
 *                      module has seen on disk or written
 *    SWAUTH_A_STORE_ERROR: NLA_S32, only while key storage cannot be read
 *                      (SWAUTH_STORE_UNREADABLE): the -errno of the read
 *
 * store_dir must be an absolute path (the module refuses to load with a
 * relative one); it is looked up from init's root with the module's own
 * credentials, never the caller's. Until both copies have been read, or
 * SWAUTH_CMD_STORE_INIT created them, nothing is written and the commands
 * that change keys fail: -ENOENT while no store exists
 * (SWAUTH_STORE_ABSENT), the read error while it cannot be read
 * (SWAUTH_STORE_UNREADABLE), each with an extack message.
 *
 * SWAUTH_CMD_GET_KEYS
 * -------------------
 *
 * Call form: NLM_F_REQUEST | NLM_F_DUMP. Unprivileged. No attributes. One
 * message per trusted key, command SWAUTH_CMD_GET_KEYS, with:
 *
 *    SWAUTH_A_KEY_TYPE: NLA_U32, enum swauth_key_type
 *    SWAUTH_A_KEY_VERSION: NLA_U32, 'A'..'Z'
 *    SWAUTH_A_KEY_WHERE: NLA_U32, a mask of enum swauth_key_where
 *    SWAUTH_A_CERT: NLA_BINARY, the key's X.509 certificate (DER)
 *
 * The dump is consistent (NLM_F_DUMP_INTR marks a dump that raced with a
 * change; repeat it). One message can exceed 8 KiB (SWAUTH_CERT_MAX):
 * read with a buffer of at least 16 KiB. A key that does not fit a
 * message ends the dump with -EMSGSIZE, never a short list; a wrong
 * version ends it with -EPFNOSUPPORT; both arrive in NLMSG_DONE, with the
 * extack message.
 *
 * SWAUTH_CMD_KEY_ADD
 * ------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. The `key add` of the seeds:
 *
 *    SWAUTH_A_KEY_TYPE: NLA_U32, SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 *    SWAUTH_A_FD: NLA_S32, the image that carries the new key; a
 *                 negative one gets -EBADF
 *
 * The module verifies the image. A production key comes only from a
 * revocation image (signed by a rollover key), a special key only from a
 * production image; the key is the certificate bundled in the image, which
 * must be issued by a rollover key and name the requested type. Each copy
 * of key storage is checked for a duplicate and then written. The reply,
 * command SWAUTH_CMD_KEY_ADD, has:
 *
 *    SWAUTH_A_KEY_VERSION: NLA_U32, the version added
 *    SWAUTH_A_PRIMARY_RESULT, SWAUTH_A_BACKUP_RESULT: NLA_S32, per copy:
 *                      0 written, -EEXIST already there, else the -errno
 *                      of the write
 *
 * Errors before any write: -EPERM/-EACCES as usual, -EKEYREJECTED with
 * SWAUTH_A_VERDICT-style extack text when the image does not verify,
 * -EMEDIUMTYPE when the image type may not add this key type, -ENOKEY when
 * the image bundles no certificate, -EKEYREVOKED when the key is below
 * the floor, -EROFS without key storage.
 *
 * SWAUTH_CMD_KEY_REVOKE
 * ---------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. The `key revoke` of the seeds:
 *
 *    SWAUTH_A_KEY_TYPE: NLA_U32, SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 *    SWAUTH_A_FD: NLA_S32, the running (boot) image; only when the module
 *                 does not know it (SWAUTH_RUNNING_UNKNOWN), and then
 *                 required: -EINVAL otherwise, with an extack that says so
 *    SWAUTH_A_BOOTLOADER_FD: NLA_S32, optional, the upgradable boot loader
 *    SWAUTH_A_FLAGS: NLA_U32, optional, SWAUTH_REVOKE_F_* flags
 *
 * The new key is the highest version of the type present; the floor of
 * the type is raised to it, and every key of the type below it is revoked
 * and refused from then on, even if added again.
 *
 * In a kernel started by a warm reload (SWAUTH_BOOT_WARM: kexec from a
 * running kernel) the request is refused before anything else is looked
 * at, even with SWAUTH_REVOKE_F_FORCE, with -EOPNOTSUPP: revocation needs
 * a cold reload, so that the boot chain verifies the running software
 * again. SWAUTH_BOOT_UNKNOWN (the module could not tell) does not refuse.
 *
 * The running image must be a production image (-EMEDIUMTYPE otherwise)
 * that verifies; for a production revocation it must be signed by the new
 * key. The boot image and the boot loader must not be signed by a key of
 * the type below the new floor (-EKEYREVOKED, unless
 * SWAUTH_REVOKE_F_FORCE). -ENOKEY when there is no newer key to revoke
 * to. The reply, command
 * SWAUTH_CMD_KEY_REVOKE, has SWAUTH_A_FLOOR (NLA_U32, the new floor),
 * SWAUTH_A_PRIMARY_RESULT and SWAUTH_A_BACKUP_RESULT as for KEY_ADD, and
 * SWAUTH_A_REVOKED (NLA_NESTED): one SWAUTH_A_KEY_VERSION (NLA_U32) per
 * revoked version. When the raised floor reached neither copy of key
 * storage the floor holds in the module only until it unloads: the request
 * then fails with the first copy's -errno after raising it, and says so in
 * the extack message.
 *
 * SWAUTH_CMD_STORE_INIT
 * ---------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. No attributes. Creates key
 * storage (both copies, sequence 1, the module's keys and floors) in
 * store_dir when neither copy exists there and the directory can be read:
 * the only way a store comes into being. -EEXIST when a copy exists,
 * -EROFS without store_dir, the read error (-EIO, -EACCES, ...) when the
 * directory cannot be read now. The reply is an ack.
 *
 * SWAUTH_CMD_STORE_RELOAD
 * -----------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. No attributes. Reads key
 * storage again when it could not be read before (SWAUTH_STORE_UNREADABLE
 * or SWAUTH_STORE_ABSENT): once it reads, its keys are trusted and its
 * floors are in force. The reply is an ack, or the read error. Every
 * key-changing command retries the read the same way first.
 *
 * SWAUTH_CMD_ENFORCE
 * ------------------
 *
 * Call form: NLM_F_REQUEST. CAP_SYS_ADMIN. SWAUTH_A_ENFORCE (NLA_U32, 1 on,
 * 0 off). On, the module loads and attaches its BPF LSM programs: a
 * kexec_file_load(2) kernel or initramfs that is not a copy sealed by
 * SWAUTH_IOC_SEAL, and every kexec_load(2), then fail with -EPERM; each
 * refusal is logged (%DIGISIGN-3-KEXEC_REFUSED, at most a few lines a
 * second), counted and announced as SWAUTH_EVENT_KEXEC_REFUSED. The module
 * cannot be unloaded while enforcement is on. -EALREADY when enforcement is
 * in that state already, -EPERM from a kernel without bpf in its LSM list
 * (lsm= boot parameter), with an extack message. The reply is an ack.
 *
 * The device
 * ----------
 *
 * /dev/swauth (misc device SWAUTH_DEV_NAME, mode 0600 root) takes two
 * ioctls with a struct swauth_verify_arg. They run in the caller's
 * context, hold no global lock while they read, and end with -EINTR
 * (nothing leaked) when the caller gets a fatal signal.
 *
 * SWAUTH_IOC_VERIFY: needs the device open and arg.fd open for reading.
 * The module reads the image through the descriptor in chunks, with write
 * access to the file denied from start to end: a writer gets ETXTBSY, and
 * a file already open for writing is not verified at all. It reads the
 * header, the bundled certificate and the signature once, into one buffer,
 * verifies the signature over the manifest in that buffer with the key of
 * the type and version the header names, and only then streams the
 * payload through the header's hash. Every decision is made on the bytes
 * read, never on a second read. A short read is continued, never
 * restarted. The verdict and what was learnt fill the struct; a failed
 * verification is a verdict, not an error. Errors: -EBADF for an fd not
 * open for reading, -EINVAL for nonzero flags or reserved fields, -EFAULT
 * for a bad pointer, -ENOSPC (with signer_cert_len set) for a cert_buf
 * too small, -EINTR on a fatal signal. Opening the device is the only
 * privilege VERIFY needs: the node is root's, mode 0600, since the module
 * holds the file's writers off while it reads.
 *
 * What the struct holds on return:
 *
 *    verdict: enum swauth_verdict; SWAUTH_VERDICT_OK (0) only when every
 *             check passed
 *    file_size: the size of the file (what the reads found when the file
 *               ended before its inode's size)
 *    kernel_fd, initrd_fd: -1 unless SWAUTH_VERIFY_V_SEALED
 *
 * with SWAUTH_VERIFY_V_HEADER, when the header parsed (verdict
 * SWAUTH_VERDICT_TYPE_NOT_ALLOWED or a later one): image_type, key_type
 * and key_version as the header claims them, hash_algo, payload_size,
 * build_time, image_name, image_version and platform (NUL-terminated),
 * sig_bits (the RSA modulus size), digest_size (the hash's) and
 * embedded_digest, the payload digest the header carries;
 *
 * with SWAUTH_VERIFY_V_SIGNER, once a key verified the signature (the
 * claimed one, or for the SIGNER_*_MISMATCH verdicts the key that really
 * signed): signer_key_type, signer_key_version, and signer_cert_len, the
 * size of the signer's X.509 certificate (DER) copied to cert_buf when
 * cert_buf is not 0;
 *
 * with SWAUTH_VERIFY_V_COMPUTED, once the payload was hashed:
 * computed_digest, digest_size bytes.
 *
 * SWAUTH_IOC_SEAL: needs CAP_SYS_BOOT in the initial user namespace.
 * Verifies as SWAUTH_IOC_VERIFY does and, in the same pass, copies the
 * kernel and the initramfs the hash sees into two shmem files the module
 * creates. The image must be a system image (production or special;
 * -EMEDIUMTYPE otherwise) for this machine (-ENOEXEC when its platform is
 * set and is not this system's, utsname machine or the module parameter
 * platform) whose payload is le64 kernel size, the kernel, le64 initramfs
 * size, the initramfs (-EBADMSG otherwise). With the verdict
 * SWAUTH_VERDICT_OK, kernel_fd and initrd_fd are new read-only O_CLOEXEC
 * descriptors of the copies, installed only after the struct reached the
 * caller, for kexec_file_load(2); when the struct cannot be copied back
 * (-EFAULT) the copies and descriptors are dropped, nothing is installed.
 * The copies are immutable: sealed F_SEAL_SEAL | F_SEAL_SHRINK |
 * F_SEAL_GROW | F_SEAL_WRITE, S_IMMUTABLE and mode 0444, so no reopening
 * through /proc, write, truncate, fallocate, chmod or shared writable
 * mapping changes them. An image signed by a special
 * key is sealed with the %DIGISIGN-4-DEV_IMAGE warning in the kernel log.
 *
 * Events
 * ------
 *
 * The multicast group SWAUTH_MCGRP_EVENTS carries SWAUTH_CMD_EVENT
 * messages: SWAUTH_A_EVENT (enum swauth_event), SWAUTH_A_KEY_TYPE,
 * SWAUTH_A_KEY_VERSION, and for SWAUTH_EVENT_FLOOR_RAISED SWAUTH_A_FLOOR.
 * SWAUTH_EVENT_ENFORCE carries SWAUTH_A_ENFORCE, the new state.
 * SWAUTH_EVENT_KEXEC_REFUSED carries SWAUTH_A_REFUSED (enum
 * swauth_refused_load), SWAUTH_A_PID, SWAUTH_A_UID, SWAUTH_A_COMM (the
 * caller), SWAUTH_A_FILE_NAME (the file's last component; absent for
 * kexec_load(2)) and SWAUTH_A_KEXEC_REFUSED (the count so far).
 */

#ifndef _UAPI_SWAUTH_H
#define _UAPI_SWAUTH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SWAUTH_GENL_NAME "swauth"
#define SWAUTH_GENL_VERSION 1

/* Longest module version string, including the terminating NUL. */
#define SWAUTH_VERSION_LEN 64

#define SWAUTH_MCGRP_EVENTS "events"

/* Largest certificate SWAUTH_CMD_PROVISION_KEY accepts, in bytes. */
#define SWAUTH_CERT_MAX 8192

enum swauth_cmd {
	SWAUTH_CMD_UNSPEC,
	SWAUTH_CMD_GET_STATUS,
	SWAUTH_CMD_SET_DEBUG,
	SWAUTH_CMD_VERIFY_IMAGE,	/* reserved: SWAUTH_IOC_VERIFY */
	SWAUTH_CMD_PROVISION_KEY,
	SWAUTH_CMD_GET_KEYS,
	SWAUTH_CMD_KEY_ADD,
	SWAUTH_CMD_KEY_REVOKE,
	SWAUTH_CMD_EVENT,
	SWAUTH_CMD_SEAL_IMAGE,	/* reserved: SWAUTH_IOC_SEAL */
	SWAUTH_CMD_STORE_INIT,
	SWAUTH_CMD_STORE_RELOAD,
	SWAUTH_CMD_ENFORCE,
	__SWAUTH_CMD_MAX
};

#define SWAUTH_CMD_MAX (__SWAUTH_CMD_MAX - 1)

/*
 * What the module can do with the keys it holds. Without writable key
 * storage it verifies images but cannot add or revoke keys (the Catalyst
 * 4500E and ASR 1002-X restriction of the seeds); with key storage it does
 * both.
 */
enum swauth_mode {
	SWAUTH_MODE_UNSPEC,
	SWAUTH_MODE_VERIFY_ONLY,
	SWAUTH_MODE_KEY_MANAGEMENT,
	__SWAUTH_MODE_MAX
};

#define SWAUTH_MODE_MAX (__SWAUTH_MODE_MAX - 1)

/* Debug categories, the `debug software authenticity` keywords. */
enum swauth_debug_flag {
	SWAUTH_DEBUG_F_ENVELOPE = 1U << 0,	/* image header and signature */
	SWAUTH_DEBUG_F_ERRORS = 1U << 1,	/* every failure, with its cause */
	SWAUTH_DEBUG_F_KEY = 1U << 2,		/* keyring and key storage */
	SWAUTH_DEBUG_F_REVOCATION = 1U << 3,	/* floors and revocation */
	SWAUTH_DEBUG_F_SHOW = 1U << 4,		/* requests for shown state */
	SWAUTH_DEBUG_F_VERBOSE = 1U << 5,	/* step by step detail */
	__SWAUTH_DEBUG_F_ALL = SWAUTH_DEBUG_F_ENVELOPE | SWAUTH_DEBUG_F_ERRORS |
			       SWAUTH_DEBUG_F_KEY | SWAUTH_DEBUG_F_REVOCATION |
			       SWAUTH_DEBUG_F_SHOW | SWAUTH_DEBUG_F_VERBOSE
};

enum swauth_attr {
	SWAUTH_A_UNSPEC,
	SWAUTH_A_VERSION,
	SWAUTH_A_ABI_VERSION,
	SWAUTH_A_MODE,
	SWAUTH_A_DEBUG,
	SWAUTH_A_KEYS_ROLLOVER,
	SWAUTH_A_KEYS_PRODUCTION,
	SWAUTH_A_KEYS_SPECIAL,
	SWAUTH_A_IMAGES_VERIFIED,
	SWAUTH_A_IMAGES_REJECTED,
	SWAUTH_A_PAD,		/* alignment padding for 64-bit values */
	SWAUTH_A_FD,
	SWAUTH_A_VERDICT,
	SWAUTH_A_FILE_SIZE,
	SWAUTH_A_IMAGE_TYPE,
	SWAUTH_A_KEY_TYPE,
	SWAUTH_A_KEY_VERSION,
	SWAUTH_A_HASH_ALGO,
	SWAUTH_A_PAYLOAD_SIZE,
	SWAUTH_A_BUILD_TIME,
	SWAUTH_A_IMAGE_NAME,
	SWAUTH_A_IMAGE_VERSION,
	SWAUTH_A_PLATFORM,
	SWAUTH_A_SIG_BITS,
	SWAUTH_A_EMBEDDED_DIGEST,
	SWAUTH_A_SIGNER_KEY_TYPE,
	SWAUTH_A_SIGNER_KEY_VERSION,
	SWAUTH_A_SIGNER_CERT,
	SWAUTH_A_COMPUTED_DIGEST,
	SWAUTH_A_CERT,
	SWAUTH_A_FLOOR_PRODUCTION,
	SWAUTH_A_FLOOR_SPECIAL,
	SWAUTH_A_STORE_PRIMARY,
	SWAUTH_A_STORE_BACKUP,
	SWAUTH_A_STORE_SEQUENCE,
	SWAUTH_A_KEY_WHERE,
	SWAUTH_A_BOOTLOADER_FD,
	SWAUTH_A_FLAGS,
	SWAUTH_A_FLOOR,
	SWAUTH_A_EVENT,
	SWAUTH_A_PRIMARY_RESULT,
	SWAUTH_A_BACKUP_RESULT,
	SWAUTH_A_KERNEL_FD,
	SWAUTH_A_INITRD_FD,
	SWAUTH_A_BOOT,
	SWAUTH_A_REVOKED,
	SWAUTH_A_BOOT_BASIS,
	SWAUTH_A_STORE_ERROR,
	SWAUTH_A_ENFORCE,
	SWAUTH_A_KEXEC_REFUSED,
	SWAUTH_A_REFUSED,
	SWAUTH_A_PID,
	SWAUTH_A_UID,
	SWAUTH_A_COMM,
	SWAUTH_A_FILE_NAME,
	SWAUTH_A_RUNNING,
	SWAUTH_A_RUNNING_WHY,
	SWAUTH_A_RUNNING_KERNEL,
	__SWAUTH_A_LAST
};

#define SWAUTH_A_MAX (__SWAUTH_A_LAST - 1)

/* The state of one copy of key storage, as found when it was last read. */
enum swauth_store_state {
	SWAUTH_STORE_NONE,		/* no key storage configured */
	SWAUTH_STORE_OK,		/* valid and current */
	SWAUTH_STORE_REPAIRED,		/* was stale or corrupt, rewritten */
	SWAUTH_STORE_MISSING,		/* absent, created */
	SWAUTH_STORE_CORRUPT,		/* invalid and could not be rewritten */
	SWAUTH_STORE_STALE,		/* valid, older than the other copy */
	SWAUTH_STORE_RECOVERED,		/* both copies were invalid: rewritten
					 * from the built-in keys, floors kept
					 */
	SWAUTH_STORE_ABSENT,		/* no store was ever created in
					 * store_dir: SWAUTH_CMD_STORE_INIT
					 */
	SWAUTH_STORE_UNREADABLE,	/* cannot be read now (SWAUTH_A_STORE_ERROR
					 * says why): key changes are refused
					 * until SWAUTH_CMD_STORE_RELOAD reads it
					 */
	__SWAUTH_STORE_MAX
};

#define SWAUTH_STORE_MAX (__SWAUTH_STORE_MAX - 1)

/* Where a key is held: a mask, SWAUTH_A_KEY_WHERE. */
enum swauth_key_where {
	SWAUTH_KEY_F_BUILTIN = 1U << 0,	/* built into the module */
	SWAUTH_KEY_F_PRIMARY = 1U << 1,	/* in the Primary copy */
	SWAUTH_KEY_F_BACKUP = 1U << 2,	/* in the Backup copy */
	__SWAUTH_KEY_F_ALL = SWAUTH_KEY_F_BUILTIN | SWAUTH_KEY_F_PRIMARY |
			     SWAUTH_KEY_F_BACKUP
};

/* SWAUTH_A_FLAGS of SWAUTH_CMD_KEY_REVOKE. */
enum swauth_revoke_flag {
	SWAUTH_REVOKE_F_FORCE = 1U << 0, /* revoke though images use the key */
	__SWAUTH_REVOKE_F_ALL = SWAUTH_REVOKE_F_FORCE
};

/* SWAUTH_A_EVENT of SWAUTH_CMD_EVENT. */
enum swauth_event {
	SWAUTH_EVENT_UNSPEC,
	SWAUTH_EVENT_KEY_ADDED,
	SWAUTH_EVENT_KEY_REVOKED,
	SWAUTH_EVENT_FLOOR_RAISED,
	SWAUTH_EVENT_ENFORCE,
	SWAUTH_EVENT_KEXEC_REFUSED,
	__SWAUTH_EVENT_MAX
};

#define SWAUTH_EVENT_MAX (__SWAUTH_EVENT_MAX - 1)

/* SWAUTH_A_REFUSED of SWAUTH_EVENT_KEXEC_REFUSED: what was refused. */
enum swauth_refused_load {
	SWAUTH_REFUSED_KEXEC_KERNEL,	/* kexec_file_load(2), the kernel */
	SWAUTH_REFUSED_KEXEC_INITRD,	/* kexec_file_load(2), the initramfs */
	SWAUTH_REFUSED_KEXEC_LOAD,	/* kexec_load(2) */
	__SWAUTH_REFUSED_MAX
};

#define SWAUTH_REFUSED_MAX (__SWAUTH_REFUSED_MAX - 1)

/* What an image is for; byte 12 of the image header. */
enum swauth_image_type {
	SWAUTH_IMAGE_UNSPEC,
	SWAUTH_IMAGE_PRODUCTION,	/* system image, production key */
	SWAUTH_IMAGE_SPECIAL,		/* system image, special key */
	SWAUTH_IMAGE_REVOCATION,	/* key bundle, rollover key */
	SWAUTH_IMAGE_BOOTLOADER,	/* boot loader, production or special */
	__SWAUTH_IMAGE_MAX
};

#define SWAUTH_IMAGE_MAX (__SWAUTH_IMAGE_MAX - 1)

/* Key types; byte 13 of the image header. */
enum swauth_key_type {
	SWAUTH_KEY_UNSPEC,
	SWAUTH_KEY_ROLLOVER,		/* root of trust, built into the module */
	SWAUTH_KEY_PRODUCTION,		/* "Release" */
	SWAUTH_KEY_SPECIAL,		/* "Development" */
	__SWAUTH_KEY_MAX
};

#define SWAUTH_KEY_MAX (__SWAUTH_KEY_MAX - 1)

/* Hash algorithms; byte 15 of the image header. */
enum swauth_hash_algo {
	SWAUTH_HASH_UNSPEC,
	SWAUTH_HASH_SHA256,
	SWAUTH_HASH_SHA384,
	SWAUTH_HASH_SHA512,
	__SWAUTH_HASH_MAX
};

#define SWAUTH_HASH_MAX (__SWAUTH_HASH_MAX - 1)

/*
 * The outcome of SWAUTH_IOC_VERIFY, one value per cause, in the order the
 * checks run. Userspace turns each into its message.
 */
enum swauth_verdict {
	SWAUTH_VERDICT_OK,
	SWAUTH_VERDICT_NOT_REGULAR,	/* a directory, device, pipe, ... */
	SWAUTH_VERDICT_EMPTY,		/* zero bytes */
	SWAUTH_VERDICT_WRITE_BUSY,	/* open for writing by someone */
	SWAUTH_VERDICT_IO_ERROR,	/* reading the file failed */
	SWAUTH_VERDICT_TRUNCATED_HEADER, /* shorter than the fixed header */
	SWAUTH_VERDICT_BAD_MAGIC,	/* not a swauth image */
	SWAUTH_VERDICT_BAD_FORMAT_VERSION, /* a format this module lacks */
	SWAUTH_VERDICT_BAD_HEADER,	/* a field out of range, reserved set */
	SWAUTH_VERDICT_SIZE_OVERFLOW,	/* sizes add up past the limit */
	SWAUTH_VERDICT_TYPE_NOT_ALLOWED, /* image type vs key type rules */
	SWAUTH_VERDICT_TRUNCATED_MANIFEST, /* ends inside the bundled cert */
	SWAUTH_VERDICT_TRUNCATED_SIGNATURE, /* ends inside the signature */
	SWAUTH_VERDICT_TRUNCATED_PAYLOAD, /* shorter than header says */
	SWAUTH_VERDICT_TRAILING_DATA,	/* longer than header says */
	SWAUTH_VERDICT_UNKNOWN_KEY,	/* no key of that type and version */
	SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH, /* signed by another key type */
	SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH, /* ... by another version */
	SWAUTH_VERDICT_BAD_SIGNATURE,	/* no known key made the signature */
	SWAUTH_VERDICT_BAD_DIGEST,	/* the payload's digest differs */
	__SWAUTH_VERDICT_MAX
};

#define SWAUTH_VERDICT_MAX (__SWAUTH_VERDICT_MAX - 1)

/* How the running kernel was started: SWAUTH_A_BOOT of GET_STATUS. */
enum swauth_boot {
	SWAUTH_BOOT_UNKNOWN,	/* not x86, or the boot parameters unreadable */
	SWAUTH_BOOT_COLD,	/* by firmware and a boot loader */
	SWAUTH_BOOT_WARM,	/* by kexec, a warm reload from a running kernel */
	__SWAUTH_BOOT_MAX
};

#define SWAUTH_BOOT_MAX (__SWAUTH_BOOT_MAX - 1)

/* What SWAUTH_A_BOOT is based on: SWAUTH_A_BOOT_BASIS of GET_STATUS. */
enum swauth_boot_basis {
	SWAUTH_BOOT_BASIS_NONE,		/* nothing could be read */
	SWAUTH_BOOT_BASIS_LOADER_ID,	/* the x86 boot protocol's loader ID,
					 * which the caller of kexec_load(2)
					 * chooses: a hint, not a proof
					 */
	__SWAUTH_BOOT_BASIS_MAX
};

#define SWAUTH_BOOT_BASIS_MAX (__SWAUTH_BOOT_BASIS_MAX - 1)

/* Whether the module knows the running image: SWAUTH_A_RUNNING. */
enum swauth_running {
	SWAUTH_RUNNING_UNKNOWN,		/* SWAUTH_A_RUNNING_WHY says why */
	SWAUTH_RUNNING_MEASURED,	/* the booted initramfs is the image's,
					 * its record verified at load
					 */
	__SWAUTH_RUNNING_MAX
};

#define SWAUTH_RUNNING_MAX (__SWAUTH_RUNNING_MAX - 1)

/* The misc device of the two ioctls: /dev/swauth. */
#define SWAUTH_DEV_NAME "swauth"
#define SWAUTH_IOC_MAGIC 0xB8

/* What arg.valid says is filled in. */
enum swauth_verify_valid {
	SWAUTH_VERIFY_V_HEADER = 1U << 0,	/* image_type ... embedded_digest */
	SWAUTH_VERIFY_V_SIGNER = 1U << 1,	/* signer_key_*, signer_cert_len */
	SWAUTH_VERIFY_V_COMPUTED = 1U << 2,	/* computed_digest */
	SWAUTH_VERIFY_V_SEALED = 1U << 3,	/* kernel_fd, initrd_fd */
};

/*
 * The argument of SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL. "in" fields are
 * the caller's, the rest the module's (zero when not valid). Every field
 * not described as "in" must be zero on entry (-EINVAL otherwise), so that
 * later versions can give them a meaning. No implicit padding.
 */
struct swauth_verify_arg {
	__s32 fd;			/* in: the image, open for reading */
	__u32 flags;			/* in: 0 */
	__u64 cert_buf;			/* in: where to put the signer's
					 * certificate (DER), or 0
					 */
	__u32 cert_buf_len;		/* in: its size; SWAUTH_CERT_MAX fits
					 * any; a smaller one that does not fit
					 * gets -ENOSPC with signer_cert_len set
					 */
	__u32 verdict;			/* enum swauth_verdict */
	__u32 valid;			/* mask of enum swauth_verify_valid */
	__u32 image_type;		/* enum swauth_image_type */
	__u32 key_type;			/* as the header claims */
	__u32 key_version;		/* 'A'..'Z', as the header claims */
	__u32 hash_algo;		/* enum swauth_hash_algo */
	__u32 sig_bits;			/* the RSA modulus size */
	__u32 digest_size;		/* bytes of both digests */
	__u32 signer_key_type;		/* the key that really signed */
	__u32 signer_key_version;
	__u32 signer_cert_len;
	__s32 kernel_fd;		/* SEAL with verdict OK, else -1 */
	__s32 initrd_fd;
	__u64 file_size;
	__u64 payload_size;
	__u64 build_time;		/* seconds since the epoch, UTC */
	char image_name[64];		/* NUL-terminated, from the header */
	char image_version[32];
	char platform[32];
	__u8 embedded_digest[64];	/* the digest the header carries */
	__u8 computed_digest[64];	/* the digest of the payload read */
};

#define SWAUTH_IOC_VERIFY _IOWR(SWAUTH_IOC_MAGIC, 1, struct swauth_verify_arg)
#define SWAUTH_IOC_SEAL _IOWR(SWAUTH_IOC_MAGIC, 2, struct swauth_verify_arg)

#endif /* _UAPI_SWAUTH_H */
