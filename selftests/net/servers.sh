# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Real servers on 127.0.0.1 for the transfer tests and benchmarks, sourced
# by sh scripts. Each srv_*_start runs one server in the foreground as a
# child of the calling shell on a free high port, waits until it accepts
# connections and sets <NAME>_PORT and <NAME>_PID; srv_stop_all kills
# every one by its PID (call it from an EXIT trap). Nothing is installed or
# left running; srv_ftp_start's test user (useradd -M) is removed again.
#
# SRV_DIR (set by srv_init) holds the generated configurations and keys.

SRV_NET_DIR=${SRV_NET_DIR:-$(cd "$(dirname "$0")/../net" 2>/dev/null && pwd)}
SRV_PIDS=
SRV_FTP_USER=

# srv_init DIR: where the servers keep their files.
srv_init() {
	SRV_DIR=$1
	mkdir -p "$SRV_DIR"
}

# srv_free_port: a TCP port nothing listens on now.
srv_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# srv_wait_port PORT PID: until PORT accepts connections (5 s at most).
srv_wait_port() {
	python3 - "$1" "$2" <<'PY'
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
for _ in range(500):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(0)
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("server %d died before listening on %d" % (pid, port))
        time.sleep(0.01)
sys.exit("nothing listens on port %d" % port)
PY
}

# srv_spawn_py NAME SCRIPT ARGS...: runs a python server that prints its
# port first; sets NAME_PORT and NAME_PID.
srv_spawn_py() {
	srv_spawn_name=$1
	shift
	srv_spawn "$srv_spawn_name" python3 "$@"
}

# srv_spawn NAME COMMAND ARGS...: the same for any command.
srv_spawn() {
	name=$1
	shift
	out=$SRV_DIR/$name.port
	: >"$out"
	"$@" >"$out" &
	pid=$!
	SRV_PIDS="$SRV_PIDS $pid"
	i=0
	while [ ! -s "$out" ] && [ $i -lt 500 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.01
		i=$((i + 1))
	done
	port=$(head -n 1 "$out")
	[ -n "$port" ] || { echo "srv: $name did not start" >&2; return 1; }
	eval "${name}_PORT=$port ${name}_PID=$pid"
}

# srv_http_start NAME ROOT [tls] [OPTION...]: the loopback HTTP server, or
# HTTPS with a certificate for 127.0.0.1 issued by a test CA
# ($SRV_DIR/ca.crt); OPTIONs go to httpd.py (--auth USER:PASS, --chunked).
srv_http_start() {
	if [ "${3:-}" = tls ]; then
		srv_tls_cert || return 1
		srv_http_name=$1 srv_http_root=$2
		shift 3
		set -- "$srv_http_name" "$srv_http_root" \
			--cert "$SRV_DIR/server.crt" --key "$SRV_DIR/server.key" "$@"
	fi
	srv_http_name=$1
	shift
	srv_spawn_py "$srv_http_name" "$SRV_NET_DIR/httpd.py" "$@"
}

# srv_tls_cert: a CA ($SRV_DIR/ca.crt) and a server certificate it signed.
srv_tls_cert() {
	[ -f "$SRV_DIR/server.crt" ] && return 0
	d=$SRV_DIR
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=swauth-test-ca -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj /CN=127.0.0.1 -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$d/server.ext" &&
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
}

# srv_smtp_start NAME OUTDIR [OPTION...]: the SMTP sink (smtpd.py, on
# Debian's python3-aiosmtpd); OPTIONs: --rcpt-reply REPLY, or --starttls
# or --smtps with the test CA's server certificate.
srv_smtp_start() {
	srv_smtp_name=$1 srv_smtp_out=$2
	shift 2
	case "${1:-}" in
	--starttls | --smtps)
		srv_tls_cert || return 1
		set -- "$1" "$SRV_DIR/server.crt" "$SRV_DIR/server.key"
		;;
	esac
	srv_spawn "$srv_smtp_name" /usr/bin/python3 "$SRV_NET_DIR/smtpd.py" "$srv_smtp_out" "$@"
}

# srv_locator_start NAME LOG USER:PASS [--images URL]: the test image
# locator (locator.py) over HTTPS, with the test CA's server certificate.
srv_locator_start() {
	srv_tls_cert || return 1
	srv_locator_name=$1 srv_locator_log=$2 srv_locator_user=$3
	shift 3
	srv_spawn_py "$srv_locator_name" "$SRV_NET_DIR/locator.py" "$srv_locator_log" \
		--cert "$SRV_DIR/server.crt" --key "$SRV_DIR/server.key" --user "$srv_locator_user" "$@"
}

# srv_silent_start NAME: a TCP port that accepts connections and never
# says a word.
srv_silent_start() {
	srv_spawn_py "$1" -c 'import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(3600)'
}

# srv_proxy_start NAME TARGET_PORT OFFSET: the corrupting proxy.
srv_proxy_start() {
	srv_spawn_py "$1" "$SRV_NET_DIR/corrupt-proxy.py" "$2" "$3"
}

# srv_ftp_user HOME: creates a throwaway system user (root only) owning
# the directory HOME, named in SRV_FTP_USER, with the password
# SRV_FTP_PASS; srv_stop_all removes it.
srv_ftp_user() {
	[ "$(id -u)" -eq 0 ] || return 1
	SRV_FTP_PASS=pw$$x$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	useradd -M -N -d "$1" -s /bin/sh "swft$$" || return 1
	SRV_FTP_USER=swft$$
	mkdir -p "$1" && chown "$SRV_FTP_USER" "$1" &&
	echo "$SRV_FTP_USER:$SRV_FTP_PASS" | chpasswd
}

# srv_ftp_start NAME ANON_ROOT [local]: vsftpd in the foreground,
# with the lines of $SRV_FTP_EXTRA added to its configuration (TLS),
# anonymous in ANON_ROOT and, with "local", system users (srv_ftp_user) in
# their home directories, passive mode only. Anonymous users download
# world-readable files and upload new files where the "ftp" user may
# write: a subdirectory the caller gives to it (vsftpd refuses to serve an
# anonymous root that "ftp" can write to).
srv_ftp_start() {
	name=$1
	port=$(srv_free_port)
	pasv=$(srv_free_port)
	conf=$SRV_DIR/$name.conf
	local_enable=NO
	[ "${3:-}" = local ] && local_enable=YES
	cat >"$conf" <<CONF
listen=YES
listen_ipv6=NO
background=NO
listen_address=127.0.0.1
listen_port=$port
anonymous_enable=YES
anon_root=$2
no_anon_password=YES
local_enable=$local_enable
write_enable=YES
local_umask=022
anon_upload_enable=YES
anon_umask=022
pasv_enable=YES
port_enable=NO
pasv_address=127.0.0.1
pasv_min_port=$pasv
pasv_max_port=$((pasv + 20))
max_per_ip=0
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
secure_chroot_dir=/var/run/vsftpd/empty
pam_service_name=vsftpd
xferlog_enable=NO
syslog_enable=NO
dirmessage_enable=NO
${SRV_FTP_EXTRA:-}
CONF
	mkdir -p /var/run/vsftpd/empty
	# vsftpd reports a bad configuration on its standard input.
	vsftpd "$conf" 0<>"$SRV_DIR/$name.log" &
	pid=$!
	SRV_PIDS="$SRV_PIDS $pid"
	srv_wait_port "$port" "$pid" || { cat "$SRV_DIR/$name.log" >&2; return 1; }
	eval "${name}_PORT=$port ${name}_PID=$pid"
}

# srv_ssh_start NAME: sshd -D on a free port with a fresh host key, letting
# the caller log in as itself with a fresh key: $SRV_DIR/id_ed25519, and
# $SRV_DIR/known_hosts for the host.
srv_ssh_start() {
	name=$1
	d=$SRV_DIR
	port=$(srv_free_port)
	rm -f "$d/ssh_host" "$d/ssh_host.pub" "$d/id_ed25519" "$d/id_ed25519.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$d/ssh_host" || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$d/id_ed25519" || return 1
	cp "$d/id_ed25519.pub" "$d/authorized_keys"
	echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$d/ssh_host.pub")" >"$d/known_hosts"
	cat >"$d/$name.conf" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $d/ssh_host
AuthorizedKeysFile $d/authorized_keys
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
Subsystem sftp internal-sftp
CONF
	mkdir -p /run/sshd
	"$(command -v sshd || echo /usr/sbin/sshd)" -D -e -f "$d/$name.conf" 2>"$d/$name.log" &
	pid=$!
	SRV_PIDS="$SRV_PIDS $pid"
	srv_wait_port "$port" "$pid" || { cat "$d/$name.log" >&2; return 1; }
	eval "${name}_PORT=$port ${name}_PID=$pid"
}

# srv_stop_all: every server started here, by PID, and the FTP test user.
srv_stop_all() {
	for pid in $SRV_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	# A server killed by the signal is what is expected: under set -e the
	# status of its wait must not end the caller.
	for pid in $SRV_PIDS; do
		wait "$pid" 2>/dev/null || true
	done
	SRV_PIDS=
	if [ -n "$SRV_FTP_USER" ]; then
		userdel "$SRV_FTP_USER" 2>/dev/null || true
		SRV_FTP_USER=
	fi
}
