#!/usr/bin/env bash
# Real servers from Debian packages inside a network namespace, for the
# service-detection test and benchmark (issue 4).
#
#   servers.sh [--list FILE] start NS STATE_DIR [NAME...]   start them (all of the list by default)
#   servers.sh stop  NS STATE_DIR             kill everything started in NS
#
# --list FILE: another list of the same format (default servers.list), e.g.
# audit_servers.list: the misconfigured servers of the audit test (issue 5)
# and their correctly configured twins, each on a port of its own.
#
# NS is a namespace the caller made (tests/servers/sv_netns.sh, ../shared/LAB.md);
# every server listens on 0.0.0.0 inside it, on its standard port, with a
# configuration generated in STATE_DIR (never /etc's, never a system service).
# `start` waits (at most 10 s each) until each port accepts, then writes
#   STATE_DIR/started   "NAME PROTO/PORT PACKAGE VERSION" per port that is up
#   STATE_DIR/failed    "NAME PROTO/PORT reason" per port that is not
# and prints both. Exit status: 0 when every `core` server of servers.list is
# up, 1 otherwise. Logs: STATE_DIR/<server>/*.log.
# `stop` kills every process inside NS (TERM, then KILL): servers fork, and the
# namespace holds only what we started. It is safe to call twice or after a
# failed start.
# shellcheck disable=SC2317  # the start_* functions are called through starter_of
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIST=$here/servers.list

usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
if [[ ${1:-} == --list ]]; then
  (($# >= 2)) || usage
  LIST=$2
  shift 2
fi
[[ -r $LIST ]] || { echo "servers: cannot read $LIST" >&2; exit 2; }
(($# >= 3)) || usage
action=$1 NS=$2 SD=$3
shift 3

log() { echo "servers: $*" >&2; }
nsexec() { ip netns exec "$NS" "$@"; }

stop_all() {
  local pids i
  pids=$(ip netns pids "$NS" 2>/dev/null | xargs)
  [[ -z $pids ]] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    pids=$(ip netns pids "$NS" 2>/dev/null | xargs)
    [[ -z $pids ]] && return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
  return 0
}

if [[ $action == stop ]]; then
  stop_all
  exit 0
fi
[[ $action == start ]] || usage
ip netns pids "$NS" >/dev/null 2>&1 || { log "no namespace $NS"; exit 1; }
mkdir -p "$SD" && SD=$(cd "$SD" && pwd) || exit 1
# Daemons drop root and must traverse the state directory.
chmod 755 "$SD"
: >"$SD/started"
: >"$SD/failed"

# bg NAME CMD...: runs CMD in the namespace in the background, output to
# STATE_DIR/NAME/NAME.log.
bg() {
  local name=$1
  shift
  mkdir -p "$SD/$name"
  # ip execs the server: no shell is left waiting outside the namespace.
  ip netns exec "$NS" "$@" </dev/null >>"$SD/$name/$name.log" 2>&1 &
  echo $! >>"$SD/pids"
}
# as USER CMD...: CMD with USER's uid, gid and groups (a command, so bg can run it).
as_user() { echo setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups; }
# listening PROTO PORT: true when something listens on PORT in the namespace.
listening() {
  if [[ $1 == udp ]]; then [[ -n $(nsexec ss -Hlun "sport = :$2" 2>/dev/null) ]]
  else [[ -n $(nsexec ss -Hltn "sport = :$2" 2>/dev/null) ]]; fi
}
# wait_port PROTO PORT [SECONDS]: bounded wait (default 10 s).
wait_port() {
  local i n=$((${3:-10} * 10))
  for ((i = 0; i < n; i++)); do
    listening "$1" "$2" && return 0
    sleep 0.1
  done
  return 1
}
# The package that holds the server (postgresql is a meta package: name the
# versioned one) and its version.
pkg_version() {
  local p=${1%%,*} v
  if [[ $p == postgresql ]]; then
    v=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    v=${v%/bin}
    p=postgresql-${v##*/}
  fi
  echo "$p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo '?')"
}

# One TLS certificate for nginx and dovecot.
tls() {
  [[ -s $SD/tls/cert.pem ]] && return 0
  mkdir -p "$SD/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$SD/tls/key.pem" -out "$SD/tls/cert.pem" \
    -subj "/CN=lab.portolan.test/O=Portolan lab" >/dev/null 2>&1
  chmod 644 "$SD/tls/cert.pem"
  chmod 600 "$SD/tls/key.pem"
}

# The lab's web page (nginx, Apache, lighttpd): a <title> to find.
lab_page() {
  cat <<'EOF'
<!DOCTYPE html>
<html><head><title>Portolan lab web server</title></head>
<body><h1>Portolan lab</h1><p>A real web server for service-detection tests.</p></body></html>
EOF
}

start_ssh() {
  local d=$SD/ssh t
  mkdir -p "$d/run"
  for t in rsa ecdsa ed25519; do
    [[ -s $d/ssh_host_${t}_key ]] || ssh-keygen -q -t "$t" -N '' -f "$d/ssh_host_${t}_key" || return 1
  done
  cat >"$d/sshd_config" <<EOF
Port 22
ListenAddress 0.0.0.0
HostKey $d/ssh_host_rsa_key
HostKey $d/ssh_host_ecdsa_key
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile none
EOF
  chmod 700 "$d/run"
  bg ssh unshare -m --propagation private sh -c \
    'mount --bind "$1" /run && mkdir -p /run/sshd && chmod 755 /run/sshd && shift && exec "$@"' sh \
    "$d/run" /usr/sbin/sshd -D -e -f "$d/sshd_config"
}

# nginx_prepare DIR: the web root (the lab page) and temp dirs of one nginx.
nginx_prepare() {
  mkdir -p "$1/www" "$1/tmp"
  lab_page >"$1/www/index.html"
  chmod -R a+rX "$1/www"
}
# nginx_conf_head DIR: the start of an nginx.conf for a server in DIR, through
# the `http {` block's own settings; the caller writes the servers and the
# closing brace.
nginx_conf_head() {
  local d=$1
  cat <<EOF
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 256; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
EOF
}

start_nginx() {
  local d=$SD/nginx
  tls
  nginx_prepare "$d"
  { nginx_conf_head "$d"; cat <<EOF
  server {
    listen 80 default_server;
    root $d/www;
    index index.html;
  }
  server {
    listen 443 ssl default_server;
    ssl_certificate $SD/tls/cert.pem;
    ssl_certificate_key $SD/tls/key.pem;
    root $d/www;
    index index.html;
  }
}
EOF
  } >"$d/nginx.conf"
  bg nginx /usr/sbin/nginx -e "$d/error.log" -c "$d/nginx.conf"
}

start_ftp() {
  local d=$SD/vsftpd
  mkdir -p "$d/empty" "$d/anon"
  chmod 755 "$d/empty" "$d/anon"
  cat >"$d/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_port=21
background=NO
anonymous_enable=YES
anon_root=$d/anon
local_enable=NO
write_enable=NO
secure_chroot_dir=$d/empty
pam_service_name=vsftpd
xferlog_enable=NO
vsftpd_log_file=$d/vsftpd.log
seccomp_sandbox=NO
EOF
  bg vsftpd /usr/sbin/vsftpd "$d/vsftpd.conf"
}

start_redis() {
  local d=$SD/redis
  mkdir -p "$d"
  chown redis: "$d"
  # shellcheck disable=SC2046  # as_user prints words on purpose
  bg redis $(as_user redis) /usr/bin/redis-server --port 6379 --bind 0.0.0.0 --protected-mode no \
    --daemonize no --dir "$d" --save '' --appendonly no --logfile "$d/redis-server.log"
}

start_postgresql() {
  local d=$SD/postgresql bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x $bin/postgres ]] || { log "no postgres binary"; return 1; }
  mkdir -p "$d/sock"
  chown postgres: "$d" "$d/sock"
  if [[ ! -s $d/data/PG_VERSION ]]; then
    (cd "$d" && $(as_user postgres) "$bin/initdb" -D "$d/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$d/initdb.log" 2>&1) || { log "initdb failed: $(tail -3 "$d/initdb.log")"; return 1; }
  fi
  # Remote clients of the lab may log in (initdb's -A trust covers only local ones).
  grep -q '^host all all 198.18.0.0/15 trust' "$d/data/pg_hba.conf" ||
    echo 'host all all 198.18.0.0/15 trust' >>"$d/data/pg_hba.conf"
  # shellcheck disable=SC2046
  bg postgresql $(as_user postgres) "$bin/postgres" -D "$d/data" -c listen_addresses='*' -c port=5432 \
    -c unix_socket_directories="$d/sock" -c logging_collector=off -c ssl=off
}

start_memcached() {
  bg memcached /usr/bin/memcached -u memcache -p 11211 -U 0 -l 0.0.0.0 -m 16
}

start_mysql() {
  local d=$SD/mariadb
  mkdir -p "$d"
  chown mysql: "$d"
  if [[ ! -d $d/data/mysql ]]; then
    mariadb-install-db --no-defaults --datadir="$d/data" --user=mysql --skip-test-db \
      --auth-root-authentication-method=socket --skip-name-resolve >"$d/install.log" 2>&1 ||
      { log "mariadb-install-db failed: $(tail -3 "$d/install.log")"; return 1; }
  fi
  # A user any host may try, so a remote client gets the server's handshake
  # rather than "Host ... is not allowed to connect".
  echo "CREATE USER IF NOT EXISTS 'lab'@'%' IDENTIFIED BY 'lab';" >"$d/init.sql"
  chmod 644 "$d/init.sql"
  bg mariadb /usr/sbin/mariadbd --no-defaults --datadir="$d/data" --user=mysql --port=3306 \
    --bind-address=0.0.0.0 --socket="$d/mysqld.sock" --pid-file="$d/mysqld.pid" \
    --skip-name-resolve --init-file="$d/init.sql" --log-error="$d/error.log" \
    --innodb-buffer-pool-size=16M --skip-log-bin
}

start_mqtt() {
  local d=$SD/mosquitto
  mkdir -p "$d"
  chown mosquitto: "$d"
  cat >"$d/mosquitto.conf" <<EOF
user mosquitto
listener 1883 0.0.0.0
allow_anonymous true
persistence false
pid_file $d/mosquitto.pid
log_dest file $d/mosquitto-file.log
EOF
  bg mosquitto /usr/sbin/mosquitto -c "$d/mosquitto.conf"
}

start_dovecot() {
  local d=$SD/dovecot
  tls
  mkdir -p "$d/run" "$d/state"
  cat >"$d/dovecot.conf" <<EOF
base_dir = $d/run
state_dir = $d/state
protocols = imap pop3
listen = *
log_path = $d/dovecot-file.log
ssl = yes
ssl_cert = <$SD/tls/cert.pem
ssl_key = <$SD/tls/key.pem
default_internal_user = dovecot
default_login_user = dovenull
auth_mechanisms = plain
mail_location = mbox:/nonexistent
passdb {
  driver = static
  args = password=never-used-in-the-lab
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 995
    ssl = yes
  }
}
EOF
  bg dovecot /usr/sbin/dovecot -F -c "$d/dovecot.conf"
}

start_smtp() {
  local d=$SD/exim
  mkdir -p "$d/spool" "$d/log"
  chown -R Debian-exim: "$d"
  cat >"$d/exim.conf" <<EOF
primary_hostname = mail.lab.portolan.test
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
daemon_smtp_ports = 25
local_interfaces = 0.0.0.0
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
host_lookup =
rfc1413_hosts =
keep_environment =
tls_advertise_hosts =
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny
begin routers
begin transports
EOF
  chown root:root "$d/exim.conf"
  chmod 644 "$d/exim.conf"
  # With a configuration of its own (-C) exim gives up root at once; the
  # namespace lets unprivileged users bind port 25 (sv_netns.sh).
  bg exim /usr/sbin/exim4 -bdf -C "$d/exim.conf"
}

start_rsync() {
  local d=$SD/rsync
  mkdir -p "$d/pub"
  echo "Portolan lab" >"$d/pub/README"
  chmod -R a+rX "$d"
  cat >"$d/rsyncd.conf" <<EOF
pid file = $d/rsyncd.pid
port = 873
address = 0.0.0.0
use chroot = no
uid = nobody
gid = nogroup
log file = $d/rsyncd-file.log
[pub]
  path = $d/pub
  comment = Portolan lab files
  read only = yes
EOF
  bg rsync /usr/bin/rsync --daemon --no-detach --config="$d/rsyncd.conf"
}

start_dns() {
  local d=$SD/dnsmasq
  mkdir -p "$d"
  bg dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null --port=53 --no-resolv \
    --no-hosts --no-poll --pid-file="$d/dnsmasq.pid" --user=nobody --group=nogroup \
    --log-facility=- --address=/lab.portolan.test/198.18.0.53
}

start_snmp() {
  local d=$SD/snmpd
  mkdir -p "$d/persist"
  cat >"$d/snmpd.conf" <<EOF
agentAddress udp:161
rocommunity public default
sysLocation Portolan lab
sysContact lab@lab.portolan.test
EOF
  bg snmpd env SNMP_PERSISTENT_DIR="$d/persist" MIBS= /usr/sbin/snmpd -f -Lf "$d/snmpd-file.log" \
    -C -c "$d/snmpd.conf" -p "$d/snmpd.pid"
}

start_http_proxy() {
  local d=$SD/tinyproxy
  mkdir -p "$d"
  chown tinyproxy: "$d"
  cat >"$d/tinyproxy.conf" <<EOF
User tinyproxy
Group tinyproxy
Port 8888
Listen 0.0.0.0
Timeout 60
LogFile "$d/tinyproxy-file.log"
PidFile "$d/tinyproxy.pid"
MaxClients 20
Allow 198.18.0.0/15
Allow 127.0.0.1
EOF
  bg tinyproxy /usr/bin/tinyproxy -d -c "$d/tinyproxy.conf"
}

start_telnet() {
  local d=$SD/inetd
  mkdir -p "$d/run"
  echo "telnet stream tcp nowait root /usr/sbin/telnetd telnetd" >"$d/inetd.conf"
  # openbsd-inetd writes /run/inetd.pid: give it a private /run.
  bg inetd unshare -m --propagation private sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh \
    "$d/run" /usr/sbin/inetd -i "$d/inetd.conf"
}

start_apache() {
  local d=$SD/apache2
  mkdir -p "$d/www" "$d/run" "$d/lock"
  lab_page >"$d/www/index.html"
  chmod -R a+rX "$d/www"
  chown www-data: "$d/lock"
  cat >"$d/apache2.conf" <<EOF
ServerRoot $d
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
ServerName www.lab.portolan.test
Listen 0.0.0.0:8080
PidFile $d/run/apache2.pid
DefaultRuntimeDir $d/run
Mutex file:$d/lock default
ErrorLog $d/error.log
User www-data
Group www-data
TypesConfig /etc/mime.types
DocumentRoot $d/www
DirectoryIndex index.html
<Directory $d/www>
  Require all granted
</Directory>
EOF
  bg apache2 /usr/sbin/apache2 -d "$d" -f "$d/apache2.conf" -DFOREGROUND
}

start_lighttpd() {
  local d=$SD/lighttpd
  mkdir -p "$d/www"
  lab_page >"$d/www/index.html"
  chmod -R a+rX "$d/www"
  chown www-data: "$d"
  cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d/www"
server.port = 8081
server.bind = "0.0.0.0"
server.pid-file = "$d/lighttpd.pid"
server.errorlog = "$d/error.log"
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html" )
EOF
  bg lighttpd /usr/sbin/lighttpd -D -f "$d/lighttpd.conf"
}

start_dropbear() {
  local d=$SD/dropbear
  mkdir -p "$d"
  [[ -s $d/dropbear_ed25519_host_key ]] ||
    dropbearkey -t ed25519 -f "$d/dropbear_ed25519_host_key" >/dev/null 2>&1 || return 1
  bg dropbear /usr/sbin/dropbear -F -E -s -p 0.0.0.0:2222 -r "$d/dropbear_ed25519_host_key" -P "$d/dropbear.pid"
}

start_irc() {
  local d=$SD/ngircd
  mkdir -p "$d"
  echo "Portolan lab IRC" >"$d/motd"
  cat >"$d/ngircd.conf" <<EOF
[Global]
  Name = irc.lab.portolan.test
  Info = Portolan lab IRC server
  Listen = 0.0.0.0
  Ports = 6667
  MotdFile = $d/motd
  PidFile = $d/ngircd.pid
  ServerUID = irc
  ServerGID = irc
[Options]
  DNS = no
  Ident = no
  PAM = no
EOF
  chown irc "$d"
  bg ngircd /usr/sbin/ngircd -n -f "$d/ngircd.conf"
}

# ---------------------------------------------------------------------------
# The audit lab (audit_servers.list, issue 5): each misconfigured server beside
# a correctly configured twin on another port. What makes one weak and the
# other clean is set here, in one place; each value may be overridden from the
# environment to try another configuration without editing this file.
# ---------------------------------------------------------------------------
# OpenSSH: the weak server adds legacy algorithms to the defaults; the hardened
# one offers only these (names: `ssh -Q kex|cipher|mac|key`).
: "${AUDIT_SSH_WEAK_KEX:=+diffie-hellman-group1-sha1,diffie-hellman-group14-sha1}"
: "${AUDIT_SSH_WEAK_CIPHERS:=+3des-cbc,aes128-cbc}"
: "${AUDIT_SSH_WEAK_MACS:=+hmac-md5,hmac-sha1-96}"
: "${AUDIT_SSH_HARD_KEX:=sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org}"
: "${AUDIT_SSH_HARD_CIPHERS:=chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr}"
: "${AUDIT_SSH_HARD_MACS:=hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com}"
: "${AUDIT_SSH_HARD_HOSTKEYS:=ssh-ed25519,rsa-sha2-512,rsa-sha2-256}"
# nginx: the weak server speaks TLS 1.0-1.2 with every suite OpenSSL still has
# (Debian 12's OpenSSL 3.0 has no 3DES or RC4 left: anonymous DH, NULL
# encryption, RSA key exchange and CBC-SHA1 are what "weak" means there), at
# security level 0, with a self-signed certificate that expired in 2021, names
# another host (by name and by address: scanned by address, the audit can only
# compare the address with IP SANs) and has a 1024-bit RSA key. The twin speaks TLS 1.2 and 1.3 with
# forward-secret AEAD suites and a certificate of the lab's test CA, valid now,
# RSA 2048, whose SAN holds the target's address.
: "${AUDIT_TLS_WEAK_PROTOCOLS:=TLSv1 TLSv1.1 TLSv1.2}"
: "${AUDIT_TLS_WEAK_CIPHERS:=ALL:eNULL:@SECLEVEL=0}"
: "${AUDIT_TLS_WEAK_KEY_BITS:=1024}"
: "${AUDIT_TLS_WEAK_NAME:=wrong.portolan.test}"
: "${AUDIT_TLS_WEAK_SAN:=DNS:wrong.portolan.test,IP:192.0.2.10}"
: "${AUDIT_TLS_WEAK_VALIDITY:=20200101000000Z 20210101000000Z}"
: "${AUDIT_TLS_GOOD_PROTOCOLS:=TLSv1.2 TLSv1.3}"
: "${AUDIT_TLS_GOOD_CIPHERS:=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305}"
: "${AUDIT_TLS_GOOD_KEY_BITS:=2048}"
# The address the scanners use (sv_netns.sh's SV_TARGET_IP): the twin's SAN.
: "${AUDIT_TARGET_IP:=198.19.255.2}"

# Keys and certificates of the audit lab, made once per state directory: the
# SSH host keys and the TLS material side by side (two cores).
audit_material() {
  [[ -s $SD/audit-tls/good-chain.pem && -s $SD/audit-tls/weak.pem && -s $SD/audit-ssh/ssh_host_rsa_key ]] &&
    return 0
  mkdir -p "$SD/audit-tls" "$SD/audit-ssh"
  (
    for t in rsa ecdsa ed25519; do
      [[ -s $SD/audit-ssh/ssh_host_${t}_key ]] ||
        ssh-keygen -q -t "$t" -N '' -f "$SD/audit-ssh/ssh_host_${t}_key" || exit 1
    done
  ) &
  local keys=$! rc=0
  audit_certs || rc=1
  wait "$keys" || { log "ssh-keygen failed"; rc=1; }
  return "$rc"
}

audit_certs() {
  local d=$SD/audit-tls from to
  read -r from to <<<"$AUDIT_TLS_WEAK_VALIDITY"
  (
    cd "$d" || exit 1
    # The lab's test CA, and the twin's certificate signed by it.
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout ca.key -out ca.pem \
      -subj "/CN=Portolan lab test CA/O=Portolan lab" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" || exit 1
    openssl req -new -newkey "rsa:$AUDIT_TLS_GOOD_KEY_BITS" -nodes -keyout good.key -out good.csr \
      -subj "/CN=lab.portolan.test/O=Portolan lab" || exit 1
    printf '%s\n' "subjectAltName=IP:$AUDIT_TARGET_IP,DNS:lab.portolan.test" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >good.ext
    openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -sha256 \
      -extfile good.ext -out good.pem || exit 1
    cat good.pem ca.pem >good-chain.pem
    # The weak server's: self-signed, expired, another host's name, a short key
    # (openssl ca: Debian 12's OpenSSL sets dates in the past only there).
    mkdir -p newcerts
    : >index.txt
    echo 01 >serial
    printf '%s\n' "[ca]" "default_ca = lab" "[lab]" "dir = $d" "database = $d/index.txt" \
      "new_certs_dir = $d/newcerts" "serial = $d/serial" "default_md = sha256" "policy = anything" \
      "copy_extensions = copy" "unique_subject = no" "[anything]" "commonName = supplied" \
      "organizationName = optional" >ca.cnf
    openssl req -new -newkey "rsa:$AUDIT_TLS_WEAK_KEY_BITS" -nodes -keyout weak.key -out weak.csr \
      -subj "/CN=$AUDIT_TLS_WEAK_NAME/O=Portolan lab" -addext "subjectAltName=$AUDIT_TLS_WEAK_SAN" || exit 1
    openssl ca -batch -config ca.cnf -selfsign -keyfile weak.key -in weak.csr -startdate "$from" \
      -enddate "$to" -notext -out weak.pem || exit 1
  ) >"$d/openssl.log" 2>&1 || { log "certificates: $(tail -3 "$d/openssl.log")"; return 1; }
  chmod 644 "$d"/*.pem
  chmod 600 "$d"/*.key
}

# vsftpd_instance NAME CONFIG-LINES: a vsftpd with the settings both share.
vsftpd_instance() {
  local name=$1 d=$SD/$1
  mkdir -p "$d/empty"
  chmod 755 "$d/empty"
  {
    echo "$2"
    printf '%s\n' "listen=YES" "listen_ipv6=NO" "background=NO" "write_enable=NO" \
      "secure_chroot_dir=$d/empty" "pam_service_name=vsftpd" "xferlog_enable=NO" \
      "vsftpd_log_file=$d/vsftpd.log" "seccomp_sandbox=NO"
  } >"$d/vsftpd.conf"
  bg "$name" /usr/sbin/vsftpd "$d/vsftpd.conf"
}
start_audit_ftp_anon() {
  local d=$SD/vsftpd-anon
  mkdir -p "$d/anon"
  echo "Portolan lab: anonymous FTP" >"$d/anon/README"
  chmod -R a+rX "$d"
  vsftpd_instance vsftpd-anon "listen_port=2121
anonymous_enable=YES
anon_root=$d/anon
local_enable=NO
ssl_enable=NO"
}
# No anonymous login, TLS required before USER (vsftpd refuses to start with
# both anonymous and local logins off: local logins go through PAM, after TLS).
# ssl_tlsv1=YES: vsftpd 3.0.3 lists AUTH TLS in FEAT only then; the protocol
# floor is OpenSSL's (Debian 12's security level 2 refuses TLS 1.0 and 1.1).
start_audit_ftp_tls() {
  audit_material || return 1
  vsftpd_instance vsftpd-tls "listen_port=2122
anonymous_enable=NO
local_enable=YES
ssl_enable=YES
allow_anon_ssl=NO
force_local_logins_ssl=YES
force_local_data_ssl=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=YES
ssl_ciphers=ECDHE+AESGCM:ECDHE+CHACHA20
rsa_cert_file=$SD/audit-tls/good-chain.pem
rsa_private_key_file=$SD/audit-tls/good.key"
}

# redis_instance NAME PORT CONFIG-LINES: a redis-server with its own config file.
redis_instance() {
  local name=$1 port=$2 d=$SD/$1
  mkdir -p "$d"
  printf '%s\n' "port $port" "bind 0.0.0.0" "daemonize no" "dir $d" 'save ""' "appendonly no" \
    "logfile $d/redis-server.log" "$3" >"$d/redis.conf"
  chown -R redis: "$d"
  chmod 600 "$d/redis.conf"
  # shellcheck disable=SC2046  # as_user prints words on purpose
  bg "$name" $(as_user redis) /usr/bin/redis-server "$d/redis.conf"
}
start_audit_redis_open() { redis_instance redis-open 6380 "protected-mode no"; }
start_audit_redis_auth() {
  redis_instance redis-auth 6381 "protected-mode yes
requirepass $(openssl rand -hex 24)"
}

# nginx_tls_instance NAME PORT PROTOCOLS CIPHERS CERT KEY [OPENSSL_CONF]
nginx_tls_instance() {
  local name=$1 port=$2 d=$SD/$1
  nginx_prepare "$d"
  { nginx_conf_head "$d"; cat <<NGINX
  server {
    listen $port ssl default_server;
    ssl_certificate $5;
    ssl_certificate_key $6;
    ssl_protocols $3;
    ssl_ciphers $4;
    root $d/www;
    index index.html;
  }
}
NGINX
  } >"$d/nginx.conf"
  bg "$name" env ${7:+OPENSSL_CONF="$7"} /usr/sbin/nginx -e "$d/error.log" -c "$d/nginx.conf"
}
# The weak server loads a 1024-bit key: Debian's system-wide security level 2
# refuses it before nginx applies ssl_ciphers, so this process gets level 0.
start_audit_https_weak() {
  audit_material || return 1
  mkdir -p "$SD/nginx-weak"
  printf '%s\n' "openssl_conf = lab_init" "[lab_init]" "ssl_conf = lab_ssl" "[lab_ssl]" \
    "system_default = lab_tls" "[lab_tls]" "CipherString = DEFAULT:@SECLEVEL=0" >"$SD/nginx-weak/openssl.cnf"
  nginx_tls_instance nginx-weak 8443 "$AUDIT_TLS_WEAK_PROTOCOLS" "$AUDIT_TLS_WEAK_CIPHERS" \
    "$SD/audit-tls/weak.pem" "$SD/audit-tls/weak.key" "$SD/nginx-weak/openssl.cnf"
}
start_audit_https_good() {
  audit_material || return 1
  nginx_tls_instance nginx-good 9443 "$AUDIT_TLS_GOOD_PROTOCOLS" "$AUDIT_TLS_GOOD_CIPHERS" \
    "$SD/audit-tls/good-chain.pem" "$SD/audit-tls/good.key"
}

# sshd_instance NAME PORT HOSTKEY-TYPES CONFIG-LINES: an sshd with its own
# /run (privilege separation wants /run/sshd); the configuration is checked
# with sshd -t first, so a misspelt algorithm shows in the log at once.
sshd_instance() {
  local name=$1 port=$2 d=$SD/$1 t
  audit_material || return 1
  mkdir -p "$d/run"
  chmod 700 "$d/run"
  {
    echo "Port $port"
    echo "ListenAddress 0.0.0.0"
    for t in $3; do echo "HostKey $SD/audit-ssh/ssh_host_${t}_key"; done
    printf '%s\n' "PidFile $d/sshd.pid" "UsePAM no" "PasswordAuthentication no" \
      "KbdInteractiveAuthentication no" "PermitRootLogin no" "AuthorizedKeysFile none" "$4"
  } >"$d/sshd_config"
  /usr/sbin/sshd -t -f "$d/sshd_config" >"$d/sshd-t.log" 2>&1 ||
    { log "$name: $(head -2 "$d/sshd-t.log")"; return 1; }
  bg "$name" unshare -m --propagation private sh -c \
    'mount --bind "$1" /run && mkdir -p /run/sshd && chmod 755 /run/sshd && shift && exec "$@"' sh \
    "$d/run" /usr/sbin/sshd -D -e -f "$d/sshd_config"
}
start_audit_ssh_weak() {
  sshd_instance sshd-weak 2200 "rsa ecdsa ed25519" "KexAlgorithms $AUDIT_SSH_WEAK_KEX
Ciphers $AUDIT_SSH_WEAK_CIPHERS
MACs $AUDIT_SSH_WEAK_MACS"
}
start_audit_ssh_hard() {
  sshd_instance sshd-hard 2201 "ed25519 rsa" "KexAlgorithms $AUDIT_SSH_HARD_KEX
Ciphers $AUDIT_SSH_HARD_CIPHERS
MACs $AUDIT_SSH_HARD_MACS
HostKeyAlgorithms $AUDIT_SSH_HARD_HOSTKEYS"
}

# Which function starts each name of the list (several ports may share one).
starter_of() {
  case $1 in
    ssh) echo start_ssh ;;
    http | https) echo start_nginx ;;
    ftp) echo start_ftp ;;
    redis) echo start_redis ;;
    postgresql) echo start_postgresql ;;
    memcached) echo start_memcached ;;
    mysql) echo start_mysql ;;
    mqtt) echo start_mqtt ;;
    pop3 | imap | imaps | pop3s) echo start_dovecot ;;
    smtp) echo start_smtp ;;
    rsync) echo start_rsync ;;
    dns) echo start_dns ;;
    snmp) echo start_snmp ;;
    http-proxy) echo start_http_proxy ;;
    telnet) echo start_telnet ;;
    http-apache) echo start_apache ;;
    http-lighttpd) echo start_lighttpd ;;
    ssh-dropbear) echo start_dropbear ;;
    irc) echo start_irc ;;
    ftp-anon) echo start_audit_ftp_anon ;;
    ftp-tls) echo start_audit_ftp_tls ;;
    redis-open) echo start_audit_redis_open ;;
    redis-auth) echo start_audit_redis_auth ;;
    https-weak) echo start_audit_https_weak ;;
    https-good) echo start_audit_https_good ;;
    ssh-weak) echo start_audit_ssh_weak ;;
    ssh-hard) echo start_audit_ssh_hard ;;
    *) return 1 ;;
  esac
}

# The servers.list entries to start.
entries=()
while read -r name pp pkg tier _; do
  [[ -z $name || $name == \#* ]] && continue
  if (($#)) && [[ " $* " != *" $name "* ]]; then continue; fi
  entries+=("$name $pp $pkg $tier")
done <"$LIST"

declare -A ran=() ok=()
for e in "${entries[@]}"; do
  read -r name pp pkg tier <<<"$e"
  f=$(starter_of "$name") || { echo "$name $pp no starter" >>"$SD/failed"; continue; }
  [[ -n ${ran[$f]:-} ]] && continue
  ran[$f]=1
  missing=
  for p in ${pkg//,/ }; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=" $p"
  done
  if [[ -n $missing ]]; then
    ok[$f]="not installed:$missing"
    continue
  fi
  if $f; then ok[$f]=0; else ok[$f]="start failed"; fi
done

core_missing=0
for e in "${entries[@]}"; do
  read -r name pp pkg tier <<<"$e"
  f=$(starter_of "$name") || continue
  proto=${pp%/*} port=${pp#*/}
  if [[ ${ok[$f]} == 0 ]] && wait_port "$proto" "$port" 10; then
    echo "$name $pp $(pkg_version "$pkg")" >>"$SD/started"
  else
    why=${ok[$f]}
    [[ $why == 0 ]] && why="not listening after 10 s"
    echo "$name $pp $why" >>"$SD/failed"
    [[ $tier == core ]] && core_missing=1
  fi
done

# Servers that accept their port before they can talk (postgres during
# recovery, mariadb's init-file) settle within a second.
sleep 1
echo "started:"
sed 's/^/  /' "$SD/started"
if [[ -s $SD/failed ]]; then
  echo "failed (logs in $SD/<server>/):"
  sed 's/^/  /' "$SD/failed"
fi
exit $core_missing
