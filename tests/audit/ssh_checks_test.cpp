// The SSH grading table on captured KEXINITs (captures/ssh/), and the checks
// ssh-weak-algorithms (live, through a real AuditNet against an in-test
// server that plays a capture back) and ssh-protocol1 (from -sV's facts).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "audit_test_support.h"
#include "portolan/audit/audit_net.h"
#include "portolan/audit/audit_policy.h"
#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ssh_algorithms.h"
#include "portolan/audit/ssh_kexinit.h"

namespace portolan::audit {
namespace {

std::string read_capture(const std::string& name) {
  return load_capture("ssh/" + name);
}

SshServerHello hello_of(const std::string& capture) {
  auto hello = parse_ssh_server_hello(read_capture(capture));
  EXPECT_TRUE(hello) << capture << ": " << hello.error().message();
  return hello ? *hello : SshServerHello{};
}

void put_be32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// The wire form of `k` as one unencrypted binary packet.
std::string kexinit_packet(const SshKexInit& k) {
  std::string p(1, static_cast<char>(kSshMsgKexInit));
  p += std::string(16, '\x11');
  for (const auto* list :
       {&k.kex, &k.host_key, &k.cipher_c2s, &k.cipher_s2c, &k.mac_c2s, &k.mac_s2c,
        &k.compression_c2s, &k.compression_s2c, &k.language_c2s, &k.language_s2c}) {
    const std::string text = join(*list);
    put_be32(p, static_cast<uint32_t>(text.size()));
    p += text;
  }
  p += '\0';
  put_be32(p, 0);
  const size_t padding = 8 - ((5 + p.size()) % 8) + 4;
  std::string out;
  put_be32(out, static_cast<uint32_t>(1 + p.size() + padding));
  out += static_cast<char>(padding);
  out += p;
  out += std::string(padding, '\0');
  return out;
}

SshKexInit without(SshKexInit k, std::string_view name) {
  for (auto* list : {&k.kex, &k.host_key, &k.cipher_c2s, &k.cipher_s2c, &k.mac_c2s, &k.mac_s2c}) {
    std::erase(*list, std::string(name));
  }
  return k;
}

std::vector<std::string> names_of(const SshClassVerdict& v) {
  std::vector<std::string> out;
  for (const auto& a : v.offending) out.push_back(a.name);
  return out;
}

const SshClassVerdict* find_class(const SshVerdict& v, SshAlgorithmClass c) {
  for (const auto& cv : v.classes) {
    if (cv.algorithm_class == c) return &cv;
  }
  return nullptr;
}

// --- grading -------------------------------------------------------------

TEST(SshAlgorithms, DefaultAndHardenedOpenSshAreClean) {
  for (const char* capture : {"openssh-9.2p1-default.bin", "openssh-9.2p1-hardened.bin"}) {
    const SshVerdict v = grade_ssh_kexinit(hello_of(capture).kexinit);
    EXPECT_TRUE(v.classes.empty())
        << capture << ": " << to_string(v.classes.front().algorithm_class);
    EXPECT_FALSE(v.terrapin) << capture;
  }
}

TEST(SshAlgorithms, WeakOpenSshGradesEveryClass) {
  const SshVerdict v = grade_ssh_kexinit(hello_of("openssh-9.2p1-weak.bin").kexinit);
  ASSERT_EQ(v.classes.size(), 4u);
  EXPECT_FALSE(v.terrapin);  // strict kex is announced

  const auto* kex = find_class(v, SshAlgorithmClass::kKex);
  ASSERT_NE(kex, nullptr);
  EXPECT_EQ(kex->worst, SshGrade::kBroken);
  EXPECT_EQ(names_of(*kex), (std::vector<std::string>{"diffie-hellman-group1-sha1",
                                                      "diffie-hellman-group14-sha1"}));
  EXPECT_EQ(kex->offending[0].grade.grade, SshGrade::kBroken);
  EXPECT_EQ(kex->offending[1].grade.grade, SshGrade::kWeak);

  const auto* hostkey = find_class(v, SshAlgorithmClass::kHostKey);
  ASSERT_NE(hostkey, nullptr);
  EXPECT_EQ(hostkey->worst, SshGrade::kWeak);
  EXPECT_EQ(names_of(*hostkey), std::vector<std::string>{"ssh-rsa"});

  const auto* cipher = find_class(v, SshAlgorithmClass::kCipher);
  ASSERT_NE(cipher, nullptr);
  EXPECT_EQ(cipher->worst, SshGrade::kBroken);
  EXPECT_EQ(names_of(*cipher), (std::vector<std::string>{"3des-cbc", "aes128-cbc"}));

  const auto* mac = find_class(v, SshAlgorithmClass::kMac);
  ASSERT_NE(mac, nullptr);
  EXPECT_EQ(mac->worst, SshGrade::kWeak);
  EXPECT_EQ(names_of(*mac), (std::vector<std::string>{"hmac-md5", "hmac-sha1-96"}));
}

TEST(SshAlgorithms, DropbearDefaultHasSha1KexAndSignatures) {
  const SshVerdict v = grade_ssh_kexinit(hello_of("dropbear-2022.83-default.bin").kexinit);
  ASSERT_EQ(v.classes.size(), 2u);
  EXPECT_EQ(v.classes[0].algorithm_class, SshAlgorithmClass::kKex);
  EXPECT_EQ(names_of(v.classes[0]), std::vector<std::string>{"diffie-hellman-group14-sha1"});
  EXPECT_EQ(v.classes[0].worst, SshGrade::kWeak);
  EXPECT_EQ(v.classes[1].algorithm_class, SshAlgorithmClass::kHostKey);
  EXPECT_EQ(names_of(v.classes[1]), std::vector<std::string>{"ssh-rsa"});
  EXPECT_FALSE(v.terrapin);  // Debian's 2022.83-1+deb12u3 announces strict kex
}

TEST(SshAlgorithms, TerrapinNeedsAVulnerableModeAndNoStrictKex) {
  const SshKexInit def = hello_of("openssh-9.2p1-default.bin").kexinit;
  const SshVerdict open = grade_ssh_kexinit(without(def, kSshStrictKexServer));
  EXPECT_TRUE(open.terrapin);
  EXPECT_EQ(open.terrapin_algorithms, std::vector<std::string>{"chacha20-poly1305@openssh.com"});

  // CBC with EtM MACs is the other vulnerable mode.
  const SshKexInit weak = hello_of("openssh-9.2p1-weak.bin").kexinit;
  const SshVerdict cbc = grade_ssh_kexinit(
      without(without(weak, kSshStrictKexServer), "chacha20-poly1305@openssh.com"));
  ASSERT_TRUE(cbc.terrapin);
  EXPECT_EQ(cbc.terrapin_algorithms.front(), "3des-cbc");
  EXPECT_NE(std::find(cbc.terrapin_algorithms.begin(), cbc.terrapin_algorithms.end(),
                      "hmac-sha2-256-etm@openssh.com"),
            cbc.terrapin_algorithms.end());

  // CTR and GCM with EtM, or CBC without EtM: not open to it.
  const SshKexInit hardened = hello_of("openssh-9.2p1-hardened.bin").kexinit;
  EXPECT_FALSE(grade_ssh_kexinit(
                   without(without(hardened, kSshStrictKexServer), "chacha20-poly1305@openssh.com"))
                   .terrapin);
  SshKexInit cbc_no_etm =
      without(without(weak, kSshStrictKexServer), "chacha20-poly1305@openssh.com");
  for (auto* macs : {&cbc_no_etm.mac_c2s, &cbc_no_etm.mac_s2c}) {
    std::erase_if(*macs, [](const std::string& m) { return m.ends_with("-etm@openssh.com"); });
  }
  EXPECT_FALSE(grade_ssh_kexinit(cbc_no_etm).terrapin);
}

TEST(SshAlgorithms, UnknownNamesAreNotGraded) {
  EXPECT_FALSE(grade_ssh_algorithm(SshAlgorithmClass::kKex, "ext-info-s"));
  EXPECT_FALSE(grade_ssh_algorithm(SshAlgorithmClass::kKex, "kex-strict-s-v00@openssh.com"));
  EXPECT_FALSE(grade_ssh_algorithm(SshAlgorithmClass::kCipher, "made-up-cipher@example.com"));
  // A name is graded only in its own class.
  EXPECT_FALSE(grade_ssh_algorithm(SshAlgorithmClass::kMac, "3des-cbc"));
  SshKexInit unknown;
  unknown.kex = {"foo@example.com"};
  unknown.cipher_c2s = {"bar"};
  EXPECT_TRUE(grade_ssh_kexinit(unknown).classes.empty());

  auto gss =
      grade_ssh_algorithm(SshAlgorithmClass::kKex, "gss-group1-sha1-toWM5Slw5Ew8Mqkay+al2g==");
  ASSERT_TRUE(gss);
  EXPECT_EQ(gss->grade, SshGrade::kBroken);
  auto none = grade_ssh_algorithm(SshAlgorithmClass::kCipher, "none");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->grade, SshGrade::kBroken);
  auto umac = grade_ssh_algorithm(SshAlgorithmClass::kMac, "umac-64@openssh.com");
  ASSERT_TRUE(umac);
  EXPECT_EQ(umac->grade, SshGrade::kOk);
  EXPECT_FALSE(umac->reason.empty());
}

// --- ssh-weak-algorithms against an in-test server -------------------------

// Plays a server back on 127.0.0.1: on accept it sends `first`, reads the
// client's identification line, sends `rest`, then waits for the client to
// close. Every wait is bounded.
class SshPlayback {
 public:
  SshPlayback(std::string first, std::string rest)
      : first_(std::move(first)), rest_(std::move(rest)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~SshPlayback() {
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() const { return listener_.port; }
  // What the client sent; waits for the conversation to end.
  const std::string& received() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }

 private:
  static bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
  }
  void serve() {
    if (!readable(listener_.fd, 5000)) return;
    const int fd = ::accept(listener_.fd, nullptr, nullptr);
    if (fd < 0) return;
    ::send(fd, first_.data(), first_.size(), MSG_NOSIGNAL);
    char buf[512];
    bool sent_rest = false;
    for (int i = 0; i < 100 && readable(fd, 3000); ++i) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<size_t>(n));
      if (!sent_rest && received_.find('\n') != std::string::npos) {
        ::send(fd, rest_.data(), rest_.size(), MSG_NOSIGNAL);
        sent_rest = true;
      }
    }
    ::close(fd);
  }

  std::string first_, rest_;
  LoopbackSocket listener_;
  std::string received_;
  std::thread thread_;
};

struct Target {
  HostResult host;
  PortResult port;
  ServiceInfo service;
  AuditPolicy policy;
  Pacer pacer{1000};
  std::unique_ptr<AuditNet> net;

  explicit Target(uint16_t port_number, std::string service_name = "ssh",
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    host.address = *IpAddress::parse("127.0.0.1");
    host.state = HostState::kUp;
    port.port = port_number;
    port.protocol = Protocol::kTcp;
    port.state = PortState::kOpen;
    service.name = std::move(service_name);
    AuditNetOptions options;
    options.timeout = timeout;
    net = std::make_unique<AuditNet>(host.address, pacer, options);
  }
  PortContext context(bool online = true) {
    return PortContext{host, port, service, online ? net.get() : nullptr, policy, nullptr, ""};
  }
};

std::vector<Finding> run_weak_check(Target& t) {
  auto check = make_ssh_weak_algorithms_check();
  std::vector<Finding> out;
  const PortContext ctx = t.context();
  EXPECT_TRUE(check->applies(ctx));
  check->run(ctx, out);
  return out;
}

const Finding* find_id(const std::vector<Finding>& findings, std::string_view id) {
  for (const auto& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

// An OpenSSH-like playback: identification first, KEXINIT after the client's.
std::pair<std::string, std::string> split_at_ident(const std::string& bytes) {
  auto ident = parse_ssh_ident(bytes);
  EXPECT_TRUE(ident);
  const size_t end = ident ? ident->end : 0;
  return {bytes.substr(0, end), bytes.substr(end)};
}

TEST(SshWeakAlgorithmsCheck, WeakOpenSshGivesOneFindingPerClass) {
  auto [first, rest] = split_at_ident(read_capture("openssh-9.2p1-weak.bin"));
  SshPlayback server(first, rest);
  Target t(server.port());
  const auto findings = run_weak_check(t);
  EXPECT_EQ(server.received(), "SSH-2.0-Portolan_audit\r\n");
  ASSERT_EQ(findings.size(), 4u);

  const Finding* kex = find_id(findings, "ssh-weak-algorithms:kex");
  ASSERT_NE(kex, nullptr);
  EXPECT_EQ(kex->check, "ssh-weak-algorithms");
  EXPECT_EQ(kex->severity, Severity::kMedium);
  EXPECT_EQ(kex->port, server.port());
  EXPECT_NE(
      kex->evidence.find(
          "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10 offers diffie-hellman-group1-sha1 (broken: "),
      std::string::npos)
      << kex->evidence;
  EXPECT_NE(kex->evidence.find("diffie-hellman-group14-sha1 (weak: "), std::string::npos);
  EXPECT_NE(kex->remediation.find(
                "KexAlgorithms -diffie-hellman-group1-sha1,diffie-hellman-group14-sha1"),
            std::string::npos)
      << kex->remediation;
  EXPECT_NE(std::find(kex->references.begin(), kex->references.end(), "CVE-2015-4000"),
            kex->references.end());

  const Finding* cipher = find_id(findings, "ssh-weak-algorithms:cipher");
  ASSERT_NE(cipher, nullptr);
  EXPECT_EQ(cipher->severity, Severity::kMedium);
  EXPECT_NE(cipher->remediation.find("Ciphers -3des-cbc,aes128-cbc"), std::string::npos);

  const Finding* mac = find_id(findings, "ssh-weak-algorithms:mac");
  ASSERT_NE(mac, nullptr);
  EXPECT_EQ(mac->severity, Severity::kLow);
  EXPECT_NE(mac->remediation.find("MACs -hmac-md5,hmac-sha1-96"), std::string::npos);

  const Finding* hostkey = find_id(findings, "ssh-weak-algorithms:hostkey");
  ASSERT_NE(hostkey, nullptr);
  EXPECT_EQ(hostkey->severity, Severity::kLow);
  EXPECT_NE(hostkey->remediation.find("HostKeyAlgorithms -ssh-rsa"), std::string::npos);
}

TEST(SshWeakAlgorithmsCheck, DefaultAndHardenedOpenSshGiveNothing) {
  for (const char* capture : {"openssh-9.2p1-default.bin", "openssh-9.2p1-hardened.bin"}) {
    auto [first, rest] = split_at_ident(read_capture(capture));
    SshPlayback server(first, rest);
    Target t(server.port());
    EXPECT_TRUE(run_weak_check(t).empty()) << capture;
    EXPECT_EQ(server.received(), "SSH-2.0-Portolan_audit\r\n");
  }
}

TEST(SshWeakAlgorithmsCheck, DropbearSendsEverythingAtOnceAndGetsBuildAdvice) {
  SshPlayback server(read_capture("dropbear-2022.83-default.bin"), "");
  Target t(server.port());
  const auto findings = run_weak_check(t);
  ASSERT_EQ(findings.size(), 2u);
  const Finding* kex = find_id(findings, "ssh-weak-algorithms:kex");
  ASSERT_NE(kex, nullptr);
  EXPECT_EQ(kex->severity, Severity::kLow);
  EXPECT_NE(kex->remediation.find("DROPBEAR_DH_GROUP14_SHA1 set to 0 in localoptions.h"),
            std::string::npos)
      << kex->remediation;
  const Finding* hostkey = find_id(findings, "ssh-weak-algorithms:hostkey");
  ASSERT_NE(hostkey, nullptr);
  EXPECT_NE(hostkey->remediation.find("DROPBEAR_RSA_SHA1"), std::string::npos);
}

TEST(SshWeakAlgorithmsCheck, TerrapinWithoutStrictKex) {
  SshKexInit k = without(hello_of("openssh-9.2p1-default.bin").kexinit, kSshStrictKexServer);
  SshPlayback server("SSH-2.0-OpenSSH_9.3\r\n", kexinit_packet(k));
  Target t(server.port());
  const auto findings = run_weak_check(t);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "ssh-weak-algorithms:terrapin");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_NE(findings[0].evidence.find("chacha20-poly1305@openssh.com without strict key exchange"),
            std::string::npos)
      << findings[0].evidence;
  EXPECT_NE(findings[0].remediation.find("Ciphers -chacha20-poly1305@openssh.com"),
            std::string::npos);
  EXPECT_EQ(findings[0].references.front(), "CVE-2023-48795");
}

TEST(SshWeakAlgorithmsCheck, GarbageSilenceAndSsh1GiveNothing) {
  {
    SshPlayback server("HTTP/1.0 400 Bad Request\r\n\r\n", "");
    Target t(server.port(), "ssh", std::chrono::milliseconds(300));
    EXPECT_TRUE(run_weak_check(t).empty());
  }
  {
    // A valid identification followed by an oversized packet length.
    SshPlayback server("SSH-2.0-Odd\r\n", std::string("\x7f\xff\xff\xff garbage", 12));
    Target t(server.port(), "ssh", std::chrono::milliseconds(300));
    EXPECT_TRUE(run_weak_check(t).empty());
    EXPECT_EQ(server.received(), "SSH-2.0-Portolan_audit\r\n");
  }
  {
    // Identification, then silence: bounded by the timeout.
    SshPlayback server("SSH-2.0-Slow\r\n", "");
    Target t(server.port(), "ssh", std::chrono::milliseconds(300));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(run_weak_check(t).empty());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  }
  {
    // An SSH-1-only server is not sent our SSH-2 identification.
    SshPlayback server("SSH-1.5-Old_1.2.27\r\n", "");
    Target t(server.port(), "ssh", std::chrono::milliseconds(300));
    EXPECT_TRUE(run_weak_check(t).empty());
    EXPECT_EQ(server.received(), "");
  }
}

TEST(SshWeakAlgorithmsCheck, AppliesToSshPortsOnly) {
  auto check = make_ssh_weak_algorithms_check();
  EXPECT_TRUE(check->info().active);
  Target ssh(2222);
  EXPECT_TRUE(check->applies(ssh.context()));
  Target unknown22(22, "");
  EXPECT_TRUE(check->applies(unknown22.context()));
  Target unknown(2222, "");
  EXPECT_FALSE(check->applies(unknown.context()));
  Target http(22, "http");
  EXPECT_FALSE(check->applies(http.context()));
  Target closed(22);
  closed.port.state = PortState::kClosed;
  EXPECT_FALSE(check->applies(closed.context()));
  Target udp(22);
  udp.port.protocol = Protocol::kUdp;
  EXPECT_FALSE(check->applies(udp.context()));
  // Offline: nothing to talk to, nothing found.
  std::vector<Finding> out;
  check->run(ssh.context(false), out);
  EXPECT_TRUE(out.empty());
}

// --- ssh-protocol1 ---------------------------------------------------------

std::vector<Finding> run_protocol1(const std::string& extra_info,
                                   const std::string& product = "OpenSSH",
                                   const std::string& version = "3.9p1") {
  Target t(22);
  t.service.extra_info = extra_info;
  t.service.product = product;
  t.service.version = version;
  auto check = make_ssh_protocol1_check();
  std::vector<Finding> out;
  const PortContext ctx = t.context(false);  // passive: works offline
  if (check->applies(ctx)) check->run(ctx, out);
  return out;
}

TEST(SshProtocol1Check, FlagsProtocolOneFromServiceDetection) {
  auto both = run_protocol1("protocol 1.99");
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].id, "ssh-protocol1");
  EXPECT_EQ(both[0].severity, Severity::kHigh);
  EXPECT_EQ(both[0].title, "SSH server accepts protocol version 1 (and 2)");
  EXPECT_NE(both[0].evidence.find("protocol version 1.99 (OpenSSH 3.9p1)"), std::string::npos)
      << both[0].evidence;
  EXPECT_NE(both[0].remediation.find("Protocol 2"), std::string::npos);

  auto only1 = run_protocol1("protocol 1.5", "Cisco SSH", "1.25");
  ASSERT_EQ(only1.size(), 1u);
  EXPECT_EQ(only1[0].title, "SSH server speaks only protocol version 1");

  EXPECT_EQ(run_protocol1("Ubuntu Linux; protocol 1.99").size(), 1u);
}

TEST(SshProtocol1Check, ProtocolTwoAndUnknownAreFine) {
  EXPECT_TRUE(run_protocol1("protocol 2.0").empty());
  EXPECT_TRUE(run_protocol1("Ubuntu Linux; protocol 2.0").empty());
  EXPECT_TRUE(run_protocol1("").empty());
  EXPECT_TRUE(run_protocol1("protocol 21.0").empty());
  EXPECT_TRUE(run_protocol1("some text").empty());
  auto check = make_ssh_protocol1_check();
  EXPECT_FALSE(check->info().active);
  Target http(80, "http");
  http.service.extra_info = "protocol 1.99";
  EXPECT_FALSE(check->applies(http.context(false)));
}

}  // namespace
}  // namespace portolan::audit
