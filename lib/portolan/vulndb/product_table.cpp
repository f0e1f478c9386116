// The product table; see product_table.h. Written from the CPE dictionary
// names NVD uses and the Debian/Ubuntu source package names, for the products
// of data/services/*.yaml.
#include "portolan/vulndb/product_table.h"

namespace portolan::vulndb {
namespace {

const std::vector<ProductEntry>& table() {
  static const std::vector<ProductEntry> kTable = {
      // MariaDB before MySQL: both are detected as product "MySQL".
      {"MariaDB", {"mysql", "mariadb"}, {"mariadb:mariadb"}, "mariadb", "mariadb", "mariadb"},
      {"MySQL",
       {"mysql"},
       {"oracle:mysql", "mysql:mysql", "oracle:mysql_server"},
       "mysql-{major}.{minor}",
       "mysql-{major}.{minor}",
       ""},
      {"OpenSSH", {"openssh"}, {"openbsd:openssh"}, "openssh", "openssh", ""},
      {"Dropbear",
       {"dropbear"},
       {"dropbear_ssh_project:dropbear_ssh", "matt_johnston:dropbear_ssh_server"},
       "dropbear",
       "dropbear",
       ""},
      {"libssh", {"libssh"}, {"libssh:libssh"}, "libssh", "libssh", ""},
      {"nginx", {"nginx"}, {"f5:nginx", "nginx:nginx", "igor_sysoev:nginx"}, "nginx", "nginx", ""},
      {"Apache httpd", {"apache httpd"}, {"apache:http_server"}, "apache2", "apache2", ""},
      {"lighttpd", {"lighttpd"}, {"lighttpd:lighttpd"}, "lighttpd", "lighttpd", ""},
      {"Squid", {"squid"}, {"squid-cache:squid"}, "squid", "squid", ""},
      {"tinyproxy",
       {"tinyproxy"},
       {"tinyproxy_project:tinyproxy", "tinyproxy:tinyproxy"},
       "tinyproxy",
       "tinyproxy",
       ""},
      {"vsftpd",
       {"vsftpd"},
       {"vsftpd_project:vsftpd", "beasts:vsftpd", "vsftpd:vsftpd"},
       "vsftpd",
       "vsftpd",
       ""},
      {"ProFTPD",
       {"proftpd"},
       {"proftpd:proftpd", "proftpd_project:proftpd"},
       "proftpd-dfsg",
       "proftpd-dfsg",
       ""},
      {"Pure-FTPd", {"pure-ftpd"}, {"pureftpd:pure-ftpd"}, "pure-ftpd", "pure-ftpd", ""},
      {"Redis", {"redis"}, {"redis:redis", "redislabs:redis"}, "redis", "redis", ""},
      {"Valkey", {"valkey"}, {"lfprojects:valkey"}, "valkey", "valkey", ""},
      {"Memcached", {"memcached"}, {"memcached:memcached"}, "memcached", "memcached", ""},
      {"PostgreSQL",
       {"postgresql"},
       {"postgresql:postgresql"},
       "postgresql-{major}",
       "postgresql-{major}",
       ""},
      {"MongoDB", {"mongodb"}, {"mongodb:mongodb"}, "", "", ""},
      {"Dovecot", {"dovecot"}, {"dovecot:dovecot"}, "dovecot", "dovecot", ""},
      {"Exim", {"exim"}, {"exim:exim"}, "exim4", "exim4", ""},
      {"Postfix", {"postfix"}, {"postfix:postfix"}, "postfix", "postfix", ""},
      {"OpenSMTPD", {"opensmtpd"}, {"openbsd:opensmtpd"}, "opensmtpd", "opensmtpd", ""},
      {"Sendmail", {"sendmail"}, {"sendmail:sendmail"}, "sendmail", "sendmail", ""},
      {"Cyrus IMAP",
       {"cyrus"},
       {"cmu:cyrus_imap_server", "cyrusimap:cyrus_imap"},
       "cyrus-imapd",
       "cyrus-imapd",
       ""},
      {"ISC BIND", {"isc bind"}, {"isc:bind"}, "bind9", "bind9", ""},
      {"dnsmasq", {"dnsmasq"}, {"thekelleys:dnsmasq"}, "dnsmasq", "dnsmasq", ""},
      {"Unbound", {"unbound"}, {"nlnetlabs:unbound"}, "unbound", "unbound", ""},
      {"Knot DNS", {"knot dns"}, {"nic:knot_dns"}, "knot", "knot", ""},
      {"OpenSSL", {"openssl"}, {"openssl:openssl"}, "openssl", "openssl", ""},
      {"Samba", {"samba"}, {"samba:samba"}, "samba", "samba", ""},
      {"Mosquitto", {"mosquitto"}, {"eclipse:mosquitto"}, "mosquitto", "mosquitto", ""},
      {"RabbitMQ",
       {"rabbitmq"},
       {"vmware:rabbitmq", "pivotal_software:rabbitmq"},
       "rabbitmq-server",
       "rabbitmq-server",
       ""},
      {"ngircd", {"ngircd"}, {"ngircd:ngircd", "barton:ngircd"}, "ngircd", "ngircd", ""},
      {"net-snmp",
       {"snmpv1 server; net-snmp", "net-snmp"},
       {"net-snmp:net-snmp"},
       "net-snmp",
       "net-snmp",
       ""},
      {"Elasticsearch", {"elasticsearch"}, {"elastic:elasticsearch"}, "", "", ""},
  };
  return kTable;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool contains_nocase(std::string_view s, std::string_view word) {
  for (size_t i = 0; i + word.size() <= s.size(); ++i) {
    if (starts_with_nocase(s.substr(i), word)) return true;
  }
  return false;
}

}  // namespace

const ProductEntry* find_product(std::string_view product, std::string_view version) {
  for (const ProductEntry& e : table()) {
    if (!e.version_marker.empty() && !contains_nocase(version, e.version_marker)) continue;
    for (std::string_view p : e.products) {
      if (starts_with_nocase(product, p)) return &e;
    }
  }
  return nullptr;
}

const ProductEntry* find_product_by_cpe(std::string_view vendor_product) {
  for (const ProductEntry& e : table()) {
    for (std::string_view c : e.cpes) {
      if (c == vendor_product) return &e;
    }
  }
  return nullptr;
}

std::string source_package(std::string_view pattern, std::string_view upstream_version) {
  // The first two numbers of the version: "15.6" -> "15", "6".
  std::string numbers[2];
  size_t i = 0;
  for (auto& n : numbers) {
    while (i < upstream_version.size() && upstream_version[i] >= '0' &&
           upstream_version[i] <= '9') {
      n.push_back(upstream_version[i++]);
    }
    if (i < upstream_version.size() && upstream_version[i] == '.') ++i;
  }
  std::string out(pattern);
  for (auto [key, value] : {std::pair<std::string_view, const std::string*>{"{major}", &numbers[0]},
                            {"{minor}", &numbers[1]}}) {
    const size_t at = out.find(key);
    if (at == std::string::npos) continue;
    if (value->empty()) return {};
    out.replace(at, key.size(), *value);
  }
  return out;
}

}  // namespace portolan::vulndb
