// The hand-written security notes and common-port table.
#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "portolan/registry/port_registry.h"

namespace portolan {
namespace {

const PortRegistry& reg() {
  return PortRegistry::builtin();
}

TEST(SecurityNotes, CoverTheCommonServices) {
  for (const char* name :
       {"telnet",      "ftp",        "tftp",    "http",  "https",         "pop3",
        "pop3s",       "imap",       "imaps",   "smtp",  "submissions",   "snmp",
        "login",       "shell",      "exec",    "rfb",   "ms-wbt-server", "microsoft-ds",
        "netbios-ssn", "netbios-ns", "ldap",    "ldaps", "mysql",         "postgresql",
        "ms-sql-s",    "oracle-tns", "mongodb", "redis", "memcache",      "elasticsearch",
        "docker",      "kubelet",    "x11",     "nfs",   "sunrpc",        "ssh",
        "ntp",         "domain"}) {
    const SecurityNote* note = reg().security_note(name);
    ASSERT_NE(note, nullptr) << name;
    EXPECT_FALSE(note->summary.empty()) << name;
    EXPECT_FALSE(note->risks.empty()) << name;
  }
}

TEST(SecurityNotes, AnswerToAliasesCaseInsensitively) {
  EXPECT_EQ(reg().security_note("rdp"), reg().security_note("ms-wbt-server"));
  EXPECT_EQ(reg().security_note("SMB"), reg().security_note("microsoft-ds"));
  EXPECT_EQ(reg().security_note("vnc"), reg().security_note("rfb"));
  EXPECT_EQ(reg().security_note("rlogin"), reg().security_note("login"));
  EXPECT_EQ(reg().security_note("rsh"), reg().security_note("shell"));
  EXPECT_EQ(reg().security_note("rexec"), reg().security_note("exec"));
  EXPECT_EQ(reg().security_note("rpcbind"), reg().security_note("sunrpc"));
  EXPECT_EQ(reg().security_note("memcached"), reg().security_note("memcache"));
  EXPECT_EQ(reg().security_note("smtps"), reg().security_note("submissions"));
  EXPECT_EQ(reg().security_note("dns"), reg().security_note("domain"));
  EXPECT_EQ(reg().security_note("Telnet")->service, "telnet");
  EXPECT_EQ(reg().security_note("nosuchservice"), nullptr);
  EXPECT_EQ(reg().security_note(""), nullptr);
  EXPECT_EQ(reg().security_note("rd"), nullptr);  // no partial alias matches
}

TEST(SecurityNotes, CleartextServicesPointToTheirSecureAlternative) {
  EXPECT_FALSE(reg().security_note("telnet")->encrypted);
  EXPECT_EQ(reg().security_note("telnet")->alternative, "ssh");
  EXPECT_NE(reg().security_note("ftp")->alternative.find("sftp"), std::string_view::npos);
  EXPECT_NE(reg().security_note("http")->alternative.find("https"), std::string_view::npos);
  EXPECT_NE(reg().security_note("pop3")->alternative.find("pop3s"), std::string_view::npos);
  EXPECT_NE(reg().security_note("imap")->alternative.find("imaps"), std::string_view::npos);
  EXPECT_TRUE(reg().security_note("ssh")->encrypted);
  EXPECT_TRUE(reg().security_note("https")->encrypted);
  EXPECT_TRUE(reg().security_note("imaps")->encrypted);
  EXPECT_TRUE(reg().security_note("ldaps")->encrypted);
}

TEST(SecurityNotes, FlagServicesThatDoNotBelongOnTheInternet) {
  for (const char* name : {"microsoft-ds", "netbios-ssn", "netbios-ns", "ms-wbt-server", "rfb",
                           "mysql", "postgresql", "ms-sql-s", "oracle-tns", "mongodb", "redis",
                           "memcache", "elasticsearch", "docker", "kubelet", "telnet", "snmp"}) {
    EXPECT_FALSE(reg().security_note(name)->internet_exposure_ok) << name;
  }
  for (const char* name : {"ssh", "https", "smtp", "domain"}) {
    EXPECT_TRUE(reg().security_note(name)->internet_exposure_ok) << name;
  }
}

TEST(SecurityNotes, NotesHaveUniqueNamesAndAliases) {
  std::set<std::string> seen;
  for (const SecurityNote& note : reg().security_notes()) {
    EXPECT_TRUE(seen.insert(std::string(note.service)).second) << note.service;
    std::string_view rest = note.aliases;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      std::string alias(rest.substr(0, space));
      EXPECT_FALSE(alias.empty()) << note.service << ": double space in aliases";
      EXPECT_TRUE(seen.insert(alias).second) << alias;
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
  }
}

TEST(SecurityNotes, CommonPortsReferToExistingNotes) {
  for (const CommonPort& c : reg().common_ports()) {
    EXPECT_LE(c.port_lo, c.port_hi);
    EXPECT_FALSE(c.use.empty());
    if (!c.note.empty()) {
      EXPECT_NE(reg().security_note(c.note), nullptr) << c.note;
    }
  }
}

TEST(SecurityNotes, ForPortUsesIanaNamesAndCommonUses) {
  auto telnet = reg().security_notes_for_port(23, Protocol::kTcp);
  ASSERT_EQ(telnet.size(), 1u);
  EXPECT_EQ(telnet[0]->service, "telnet");
  // 80 carries three IANA names (http, www, www-http): one note.
  EXPECT_EQ(reg().security_notes_for_port(80, Protocol::kTcp).size(), 1u);
  // Not IANA's assignment, but what runs there.
  auto oracle = reg().security_notes_for_port(1521, Protocol::kTcp);
  ASSERT_EQ(oracle.size(), 1u);
  EXPECT_EQ(oracle[0]->service, "oracle-tns");
  auto es = reg().security_notes_for_port(9200, Protocol::kTcp);
  ASSERT_EQ(es.size(), 1u);
  EXPECT_EQ(es[0]->service, "elasticsearch");
  EXPECT_EQ(reg().security_notes_for_port(10250, Protocol::kTcp)[0]->service, "kubelet");
  EXPECT_EQ(reg().security_notes_for_port(6010, Protocol::kTcp)[0]->service, "x11");
  EXPECT_EQ(reg().security_notes_for_port(2375, Protocol::kTcp)[0]->service, "docker");
  EXPECT_EQ(reg().security_notes_for_port(445, Protocol::kTcp)[0]->service, "microsoft-ds");
  EXPECT_EQ(reg().security_notes_for_port(3389, Protocol::kTcp)[0]->service, "ms-wbt-server");
  EXPECT_EQ(reg().security_notes_for_port(6379, Protocol::kTcp)[0]->service, "redis");
  // 514: rsh on tcp, syslog (no note) on udp.
  EXPECT_EQ(reg().security_notes_for_port(514, Protocol::kTcp)[0]->service, "shell");
  EXPECT_TRUE(reg().security_notes_for_port(514, Protocol::kUdp).empty());
  EXPECT_TRUE(reg().security_notes_for_port(4, std::nullopt).empty());
}

}  // namespace
}  // namespace portolan
