#!/usr/bin/env bash
# Installs Portolan's dependencies from Debian 12 packages (run as root).
#   scripts/install-deps.sh build   what building needs
#   scripts/install-deps.sh test    building + the test suite's real consumers and tools
# apt-get update runs only when something is missing, so a second run is quick.
set -euo pipefail
set_name=${1:-build}

build=(cmake ninja-build g++ pkg-config libcli11-dev libfmt-dev nlohmann-json3-dev
       libgtest-dev libgmock-dev liburing-dev libpcap-dev libnftables-dev libmnl-dev
       libpcre2-dev libyaml-cpp-dev libssl-dev libsqlite3-dev libpugixml-dev)
test=(nmap ndiff xsltproc libxml2-utils python3 python3-libnmap clang-16 libclang-rt-16-dev
      clang-format iproute2 nftables procps masscan zmap time
      openssl util-linux openssh-server nginx vsftpd redis-server postgresql memcached mariadb-server
      mosquitto dovecot-imapd dovecot-pop3d exim4-daemon-light rsync dnsmasq-base snmpd tinyproxy
      openbsd-inetd inetutils-telnetd apache2 lighttpd dropbear-bin ngircd sslscan ssh-audit)

case "$set_name" in
  build) wanted=("${build[@]}") ;;
  test) wanted=("${build[@]}" "${test[@]}") ;;
  *) echo "install-deps.sh: unknown set '$set_name' (build or test)" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The test set holds servers (nginx, postgresql, exim...) that the tests start
  # themselves in namespaces; their packages must not start system copies on
  # the host's ports. A policy-rc.d of our own denies that during the install.
  own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  ((own_policy)) && rm -f /usr/sbin/policy-rc.d && trap - EXIT
fi
