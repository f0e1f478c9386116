// The TLS checks: the certificate rules (dates against a fixed "now", RFC
// 6125 names, IP SANs) and the passive checks on TlsInfo values as -sV fills
// them; then tls-weak-ciphers and the SSLv3 probe of tls-old-protocols live,
// through a real AuditNet, against an in-test server that answers each of
// our ClientHellos with bytes captured from Debian 12's nginx
// (captures/tls/), picking the way the weak lab nginx does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "audit_test_support.h"
#include "portolan/audit/audit_net.h"
#include "portolan/audit/audit_policy.h"
#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_certificate.h"
#include "portolan/audit/tls_hello.h"

namespace portolan::audit {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

std::string read_capture(const std::string& name) {
  return load_capture("tls/" + name);
}

// What -sV reads from the good lab server: a test CA's leaf for 127.0.0.1.
TlsInfo good_certificate() {
  TlsInfo t;
  t.versions = {"TLSv1.2", "TLSv1.3"};
  t.negotiated = "TLSv1.3";
  t.cipher = "TLS_AES_256_GCM_SHA384";
  t.subject = "CN=localhost";
  t.issuer = "CN=Portolan Test CA";
  t.not_before = "2026-01-01T00:00:00Z";
  t.not_after = "2027-01-01T00:00:00Z";
  t.sans = {"IP:127.0.0.1", "DNS:localhost"};
  t.key_type = "rsa";
  t.key_bits = 2048;
  t.signature_algorithm = "sha256WithRSAEncryption";
  return t;
}

// One port with `tls` on it, and the checks run on it.
struct Fixture {
  explicit Fixture(TlsInfo tls, std::string name = {}, uint16_t port = 443) {
    host.address = IpAddress::v4(0x7f000001);
    service.name = "https";
    service.tunnel = "ssl";
    service.tls = std::move(tls);
    port_result.port = port;
    port_result.state = PortState::kOpen;
    sni = std::move(name);
  }
  std::vector<Finding> run(const Check& check, AuditNet* net = nullptr) {
    PortContext ctx{host, port_result, service, net, policy, nullptr, sni};
    std::vector<Finding> out;
    if (check.applies(ctx)) check.run(ctx, out);
    return out;
  }
  HostResult host;
  PortResult port_result;
  ServiceInfo service;
  AuditPolicy policy;
  std::string sni;
};

std::vector<std::unique_ptr<Check>> passive_tls_checks() {
  std::vector<std::unique_ptr<Check>> checks;
  checks.push_back(make_tls_old_protocols_check());
  checks.push_back(make_tls_cert_expired_check());
  checks.push_back(make_tls_cert_not_yet_valid_check());
  checks.push_back(make_tls_cert_self_signed_check());
  checks.push_back(make_tls_cert_wrong_name_check());
  checks.push_back(make_tls_short_key_check());
  return checks;
}

std::vector<std::string> ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.id);
  return out;
}

TEST(TlsCertificateRules, ParsesTheTimesSvWrites) {
  EXPECT_EQ(parse_certificate_time("2021-01-01T00:00:00Z"),
            sys_days(std::chrono::year(2021) / 1 / 1));
  EXPECT_EQ(parse_certificate_time("2024-02-29T23:59:59Z"),
            sys_days(std::chrono::year(2024) / 2 / 29) + 23h + 59min + 59s);
  for (const char* bad :
       {"", "2021-01-01", "2021-01-01T00:00:00", "2021-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2021-01-01T24:00:00Z", "20x1-01-01T00:00:00Z", "2021-01-01 00:00:00Z"}) {
    EXPECT_FALSE(parse_certificate_time(bad)) << bad;
  }
}

TEST(TlsCertificateRules, DatesAgainstAGivenNow) {
  TlsInfo t = good_certificate();
  const CertTime mid = sys_days(std::chrono::year(2026) / 6 / 1);
  EXPECT_FALSE(certificate_expired(t, mid));
  EXPECT_FALSE(certificate_not_yet_valid(t, mid));
  EXPECT_TRUE(certificate_expired(t, sys_days(std::chrono::year(2027) / 1 / 1) + 1s));
  EXPECT_FALSE(
      certificate_expired(t, sys_days(std::chrono::year(2027) / 1 / 1)));  // the last valid second
  EXPECT_TRUE(certificate_not_yet_valid(t, sys_days(std::chrono::year(2026) / 1 / 1) - 1s));
  t.not_after = "garbage";
  EXPECT_FALSE(certificate_expired(t, sys_days(std::chrono::year(2100) / 1 / 1)));
}

TEST(TlsCertificateRules, Rfc6125Wildcards) {
  EXPECT_TRUE(dns_name_matches("www.example.org", "WWW.Example.ORG"));
  EXPECT_TRUE(dns_name_matches("www.example.org.", "www.example.org"));
  EXPECT_TRUE(dns_name_matches("*.example.org", "www.example.org"));
  EXPECT_TRUE(dns_name_matches("*.Example.org", "mail.example.org."));
  EXPECT_FALSE(dns_name_matches("*.example.org", "example.org"));       // not the parent
  EXPECT_FALSE(dns_name_matches("*.example.org", "a.b.example.org"));   // one label only
  EXPECT_FALSE(dns_name_matches("*.org", "example.org"));               // too broad
  EXPECT_FALSE(dns_name_matches("w*.example.org", "www.example.org"));  // partial wildcard
  EXPECT_FALSE(dns_name_matches("www.*.org", "www.example.org"));
  EXPECT_FALSE(dns_name_matches("*.*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("*.0.0.127", "1.0.0.127"));
  EXPECT_FALSE(dns_name_matches("*.example.org", "www.example.org.evil.com"));
  EXPECT_FALSE(dns_name_matches("example.org", "www.example.org"));
  EXPECT_FALSE(dns_name_matches("", "example.org"));
}

TEST(TlsCertificateRules, CommonNameOnlyWithoutDnsSans) {
  EXPECT_EQ(subject_common_name("CN=www.example.org,O=Example"), "www.example.org");
  EXPECT_EQ(subject_common_name("O=Example\\, Inc.,CN=host.example.org"), "host.example.org");
  EXPECT_EQ(subject_common_name("O=Example"), "");

  TlsInfo t;
  t.subject = "CN=www.example.org";
  EXPECT_EQ(certificate_matches_host(t, "www.example.org"), NameMatch::kMatch);
  t.sans = {"DNS:mail.example.org"};  // DNS SANs present: the CN is not looked at
  EXPECT_EQ(certificate_matches_host(t, "www.example.org"), NameMatch::kMismatch);
  t.sans = {"IP:192.0.2.1"};  // only an IP SAN: the CN still counts for names
  EXPECT_EQ(certificate_matches_host(t, "www.example.org"), NameMatch::kMatch);
}

TEST(TlsCertificateRules, AddressesOnlyAgainstIpSans) {
  TlsInfo t;
  t.subject = "CN=127.0.0.1";
  t.sans = {"DNS:localhost"};
  EXPECT_EQ(certificate_matches_host(t, "127.0.0.1"),
            NameMatch::kUnknown);  // no IP SAN: cannot tell
  t.sans = {"DNS:localhost", "IP:127.0.0.1"};
  EXPECT_EQ(certificate_matches_host(t, "127.0.0.1"), NameMatch::kMatch);
  EXPECT_EQ(certificate_matches_host(t, "127.0.0.2"), NameMatch::kMismatch);
  t.sans = {"IP:0:0:0:0:0:0:0:1"};  // how -sV writes IPv6 SANs
  EXPECT_EQ(certificate_matches_host(t, "::1"), NameMatch::kMatch);
}

TEST(TlsChecks, GoodCertificateGivesNothing) {
  for (const auto& check : passive_tls_checks()) {
    for (const char* sni : {"", "localhost"}) {
      Fixture fx(good_certificate(), sni);
      EXPECT_TRUE(fx.run(*check).empty()) << check->info().id << " sni=" << sni;
    }
  }
}

TEST(TlsChecks, TheWeakLabCertificate) {
  // What -sV reads from the weak lab nginx: expired, self-signed,
  // CN=wrong.example, TLS 1.0 and 1.1 accepted.
  TlsInfo t;
  t.versions = {"TLSv1.0", "TLSv1.1", "TLSv1.2"};
  t.subject = "CN=wrong.example";
  t.issuer = "CN=wrong.example";
  t.not_before = "2020-01-01T00:00:00Z";
  t.not_after = "2021-01-01T00:00:00Z";
  t.sans = {"DNS:wrong.example"};
  t.key_type = "rsa";
  t.key_bits = 2048;
  t.signature_algorithm = "sha256WithRSAEncryption";
  t.self_signed = true;
  Fixture fx(t, "localhost");
  std::vector<Finding> all;
  for (const auto& check : passive_tls_checks()) {
    for (auto& f : fx.run(*check)) all.push_back(std::move(f));
  }
  std::vector<std::string> got = ids(all);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"tls-cert-expired", "tls-cert-self-signed",
                                           "tls-cert-wrong-name", "tls-old-protocols:tlsv1.0",
                                           "tls-old-protocols:tlsv1.1"}));
  for (const auto& f : all) {
    EXPECT_EQ(f.severity, Severity::kMedium) << f.id;
    EXPECT_EQ(f.port, 443) << f.id;
    EXPECT_FALSE(f.remediation.empty()) << f.id;
    if (f.id == "tls-cert-expired") {
      EXPECT_NE(f.evidence.find("notAfter=2021-01-01T00:00:00Z"), std::string::npos);
    }
    if (f.id == "tls-cert-self-signed") {
      EXPECT_EQ(f.evidence, "subject=CN=wrong.example issuer=CN=wrong.example");
    }
    if (f.id == "tls-cert-wrong-name") {
      EXPECT_NE(f.evidence.find("scanned as localhost"), std::string::npos) << f.evidence;
      EXPECT_NE(f.evidence.find("DNS:wrong.example"), std::string::npos) << f.evidence;
    }
    if (f.id == "tls-old-protocols:tlsv1.0") {
      EXPECT_NE(f.remediation.find("ssl_protocols TLSv1.2 TLSv1.3;"), std::string::npos);
    }
  }
  // Scanned by address: the certificate has no IP SAN, so no name finding.
  Fixture by_address(t);
  EXPECT_TRUE(by_address.run(*make_tls_cert_wrong_name_check()).empty());
}

TEST(TlsChecks, NotYetValid) {
  TlsInfo t = good_certificate();
  t.not_before = "2199-01-01T00:00:00Z";
  t.not_after = "2200-01-01T00:00:00Z";
  Fixture fx(t);
  auto found = fx.run(*make_tls_cert_not_yet_valid_check());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "tls-cert-not-yet-valid");
  EXPECT_EQ(found[0].severity, Severity::kMedium);
  EXPECT_TRUE(fx.run(*make_tls_cert_expired_check()).empty());
}

TEST(TlsChecks, WrongIpSan) {
  TlsInfo t = good_certificate();
  t.sans = {"IP:10.0.0.1", "DNS:localhost"};
  Fixture fx(t);  // scanned as 127.0.0.1
  auto found = fx.run(*make_tls_cert_wrong_name_check());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].evidence.find("scanned as 127.0.0.1"), std::string::npos);
  Fixture named(t, "www.example.org");
  EXPECT_EQ(named.run(*make_tls_cert_wrong_name_check()).size(), 1u);
  Fixture wildcard(TlsInfo(t), "localhost");
  EXPECT_TRUE(wildcard.run(*make_tls_cert_wrong_name_check()).empty());
}

TEST(TlsChecks, ShortKeysAndWeakSignatures) {
  TlsInfo t = good_certificate();
  t.key_bits = 1024;
  t.signature_algorithm = "sha1WithRSAEncryption";
  Fixture fx(t);
  auto found = fx.run(*make_tls_short_key_check());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "tls-short-key");
  EXPECT_NE(found[0].evidence.find("RSA key of 1024 bits (policy minimum 2048)"),
            std::string::npos);
  EXPECT_EQ(found[1].id, "tls-short-key:signature");
  EXPECT_NE(found[1].evidence.find("sha1WithRSAEncryption"), std::string::npos);

  fx.policy.min_rsa_bits = 1024;  // the policy decides
  EXPECT_EQ(ids(fx.run(*make_tls_short_key_check())),
            std::vector<std::string>{"tls-short-key:signature"});

  TlsInfo ec = good_certificate();
  ec.key_type = "ec";
  ec.key_bits = 192;
  ec.signature_algorithm = "ecdsa-with-SHA1";
  EXPECT_EQ(ids(Fixture(ec).run(*make_tls_short_key_check())),
            (std::vector<std::string>{"tls-short-key", "tls-short-key:signature"}));
  ec.key_bits = 256;
  ec.signature_algorithm = "ecdsa-with-SHA256";
  EXPECT_TRUE(Fixture(ec).run(*make_tls_short_key_check()).empty());

  TlsInfo md5 = good_certificate();
  md5.signature_algorithm = "md5WithRSAEncryption";
  EXPECT_EQ(Fixture(md5).run(*make_tls_short_key_check()).size(), 1u);
  md5.self_signed = true;  // nobody relies on a self-signature
  EXPECT_TRUE(Fixture(md5).run(*make_tls_short_key_check()).empty());

  TlsInfo ed = good_certificate();
  ed.key_type = "ed25519";
  ed.key_bits = 253;
  ed.signature_algorithm = "ED25519";
  EXPECT_TRUE(Fixture(ed).run(*make_tls_short_key_check()).empty());
}

TEST(TlsChecks, PassiveSslv3AndStarttlsRemediation) {
  TlsInfo t = good_certificate();
  t.versions = {"SSLv3", "TLSv1.2"};
  t.starttls = true;
  Fixture fx(t);
  fx.service.name = "smtp";
  auto found = fx.run(*make_tls_old_protocols_check());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "tls-old-protocols:sslv3");
  EXPECT_EQ(found[0].severity, Severity::kHigh);
  EXPECT_NE(found[0].remediation.find("smtpd_tls_protocols"), std::string::npos);
}

TEST(TlsChecks, WeakCiphersNeedTheNetwork) {
  Fixture fx(good_certificate());
  EXPECT_TRUE(fx.run(*make_tls_weak_ciphers_check()).empty());
  EXPECT_TRUE(make_tls_weak_ciphers_check()->info().active);
}

// ---- live, against an in-test server playing captures back ----

struct Hello {
  uint16_t version = 0;
  std::vector<uint16_t> suites;
};

// Our own ClientHello, as the in-test server sees it.
Hello parse_hello(std::string_view b) {
  Hello h;
  if (b.size() < 46) return h;
  auto u16 = [&](size_t i) {
    return static_cast<uint16_t>((static_cast<uint8_t>(b[i]) << 8) |
                                 static_cast<uint8_t>(b[i + 1]));
  };
  h.version = u16(9);
  const size_t sid = static_cast<uint8_t>(b[43]);
  const size_t at = 44 + sid;
  const size_t n = u16(at);
  for (size_t i = 0; i + 1 < n && at + 2 + i + 1 < b.size(); i += 2)
    h.suites.push_back(u16(at + 2 + i));
  return h;
}

// A captured ServerHello answer with its record and server version and its
// suite replaced: the bytes nginx sends for another version or suite.
std::string patched(std::string capture, uint16_t version, uint16_t suite) {
  for (size_t i = 0; i + 5 <= capture.size();) {
    capture[i + 1] = static_cast<char>(version >> 8);
    capture[i + 2] = static_cast<char>(version);
    i += 5 + ((static_cast<uint8_t>(capture[i + 3]) << 8) | static_cast<uint8_t>(capture[i + 4]));
  }
  capture[9] = static_cast<char>(version >> 8);
  capture[10] = static_cast<char>(version);
  const size_t at = 44 + static_cast<uint8_t>(capture[43]);
  capture[at] = static_cast<char>(suite >> 8);
  capture[at + 1] = static_cast<char>(suite);
  return capture;
}

// A server that, for each connection, reads one ClientHello record and
// writes what `answer` returns, then closes.
PlaybackServer hello_server(std::function<std::string(const Hello&)> answer) {
  return PlaybackServer([answer = std::move(answer)](int fd) {
    const std::string got = read_until(fd, [](const std::string& b) {
      return b.size() >= 5 &&
             b.size() >= 5u + ((static_cast<uint8_t>(b[3]) << 8) | static_cast<uint8_t>(b[4]));
    });
    const std::string reply = answer(parse_hello(got));
    if (!reply.empty()) send_all(fd, reply);
  });
}

bool offers(const Hello& h, uint16_t suite) {
  return std::find(h.suites.begin(), h.suites.end(), suite) != h.suites.end();
}

// The weak lab nginx ("ALL:eNULL:@SECLEVEL=0", TLS 1.0-1.2, no SSLv3): of our
// suites it prefers ECDH_anon AES-256, then ECDHE_RSA NULL.
std::string weak_nginx(const Hello& h) {
  if (h.version < kTls10) return read_capture("nginx_weak_sslv3_alert.bin");
  const uint16_t version = std::min<uint16_t>(h.version, kTls12);
  if (offers(h, 0xc019)) return patched(read_capture("nginx_weak_tls12_anon.bin"), version, 0xc019);
  if (offers(h, 0xc010)) return patched(read_capture("nginx_weak_tls10_null.bin"), version, 0xc010);
  return read_capture("nginx_good_tls12_handshake_failure.bin");
}

TEST(TlsChecksLive, WeakCiphersOnePerClassAndVersion) {
  PlaybackServer server = hello_server(weak_nginx);
  TlsInfo t = good_certificate();
  t.versions = {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
  Fixture fx(t, {}, server.port());
  Pacer pacer(1000);
  AuditNetOptions options;
  options.timeout = 2000ms;
  AuditNet net(IpAddress::v4(0x7f000001), pacer, options);
  auto found = fx.run(*make_tls_weak_ciphers_check(), &net);
  ASSERT_EQ(ids(found),
            (std::vector<std::string>{"tls-weak-ciphers:null", "tls-weak-ciphers:anon"}));
  EXPECT_EQ(found[0].severity, Severity::kHigh);
  EXPECT_EQ(found[0].evidence,
            "TLSv1.2: TLS_ECDHE_RSA_WITH_NULL_SHA (0xc010); TLSv1.1: TLS_ECDHE_RSA_WITH_NULL_SHA "
            "(0xc010); "
            "TLSv1.0: TLS_ECDHE_RSA_WITH_NULL_SHA (0xc010)");
  EXPECT_EQ(found[1].evidence,
            "TLSv1.2: TLS_ECDH_anon_WITH_AES_256_CBC_SHA (0xc019); TLSv1.1: "
            "TLS_ECDH_anon_WITH_AES_256_CBC_SHA "
            "(0xc019); TLSv1.0: TLS_ECDH_anon_WITH_AES_256_CBC_SHA (0xc019)");
  EXPECT_NE(found[0].remediation.find("ssl_ciphers"), std::string::npos);
  EXPECT_NE(found[0].remediation.find("SSLCipherSuite"), std::string::npos);
  // Per version: anon, then NULL, then refused.
  EXPECT_EQ(net.connections(), 9u);
  EXPECT_EQ(server.served(), 9);
}

TEST(TlsChecksLive, GoodServerRefusesEveryWeakSuite) {
  PlaybackServer server = hello_server(
      [](const Hello&) { return read_capture("nginx_good_tls12_handshake_failure.bin"); });
  Fixture fx(good_certificate(), {}, server.port());
  Pacer pacer(1000);
  AuditNet net(IpAddress::v4(0x7f000001), pacer, AuditNetOptions{2000ms, 64 * 1024, nullptr});
  EXPECT_TRUE(fx.run(*make_tls_weak_ciphers_check(), &net).empty());
  EXPECT_EQ(net.connections(), 1u);  // TLS 1.2 only; TLS 1.3 has no weak suites
  EXPECT_TRUE(fx.run(*make_tls_old_protocols_check(), &net).empty());
}

TEST(TlsChecksLive, HandshakesAreBounded) {
  // A server that picks every weak suite it is offered, in every version.
  PlaybackServer server = hello_server([](const Hello& h) {
    if (h.suites.empty()) return std::string();
    return patched(read_capture("nginx_weak_tls12_anon.bin"), h.version, h.suites.front());
  });
  TlsInfo t = good_certificate();
  t.versions = {"TLSv1.0", "TLSv1.1", "TLSv1.2"};
  Fixture fx(t, {}, server.port());
  Pacer pacer(1000);
  AuditNet net(IpAddress::v4(0x7f000001), pacer, AuditNetOptions{2000ms, 64 * 1024, nullptr});
  auto found = fx.run(*make_tls_weak_ciphers_check(), &net);
  EXPECT_EQ(net.connections(), 20u);
  EXPECT_EQ(found.size(), 7u);  // every class
}

TEST(TlsChecksLive, Sslv3Probe) {
  // No Debian server speaks SSLv3: the ServerHello is synthetic (captures/tls/README).
  PlaybackServer old = hello_server([](const Hello& h) {
    return h.version == kSsl3 && offers(h, 0x000a)
               ? read_capture("synthetic_sslv3_server_hello.bin")
               : std::string();
  });
  TlsInfo t = good_certificate();
  t.versions = {"TLSv1.2"};
  Fixture fx(t, {}, old.port());
  Pacer pacer(1000);
  AuditNet net(IpAddress::v4(0x7f000001), pacer, AuditNetOptions{2000ms, 64 * 1024, nullptr});
  auto found = fx.run(*make_tls_old_protocols_check(), &net);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "tls-old-protocols:sslv3");
  EXPECT_EQ(found[0].severity, Severity::kHigh);
  EXPECT_NE(found[0].evidence.find("TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a)"), std::string::npos)
      << found[0].evidence;

  // The weak lab nginx refuses SSLv3 with a handshake_failure alert.
  PlaybackServer weak = hello_server(weak_nginx);
  Fixture fx2(t, {}, weak.port());
  EXPECT_TRUE(fx2.run(*make_tls_old_protocols_check(), &net).empty());
  EXPECT_EQ(weak.served(), 1);
}

TEST(TlsChecksLive, Sslv3ProbeAfterStarttls) {
  // An SMTP server that upgrades, then answers SSLv3.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof sa;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len);
  std::thread smtp([&] {
    const int c = ::accept(listener, nullptr, nullptr);
    if (c < 0) return;
    auto say = [&](std::string_view s) { (void)::send(c, s.data(), s.size(), MSG_NOSIGNAL); };
    auto hear = [&](size_t at_least) {
      std::string got;
      char buffer[1024];
      while (got.size() < at_least) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 2000) <= 0) break;
        const ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<size_t>(n));
        if (got.back() == '\n') break;
      }
      return got;
    };
    say("220 mail.test ESMTP\r\n");
    if (hear(1).rfind("EHLO", 0) == 0) say("250-mail.test\r\n250 STARTTLS\r\n");
    if (hear(1).rfind("STARTTLS", 0) == 0) say("220 2.0.0 Ready to start TLS\r\n");
    if (parse_hello(hear(50)).version == kSsl3)
      say(read_capture("synthetic_sslv3_server_hello.bin"));
    ::close(c);
  });
  TlsInfo t = good_certificate();
  t.versions = {"TLSv1.2"};
  t.starttls = true;
  Fixture fx(t, {}, ntohs(sa.sin_port));
  fx.service.name = "smtp";
  fx.service.tunnel.clear();
  Pacer pacer(1000);
  AuditNet net(IpAddress::v4(0x7f000001), pacer, AuditNetOptions{2000ms, 64 * 1024, nullptr});
  auto found = fx.run(*make_tls_old_protocols_check(), &net);
  smtp.join();
  ::close(listener);
  ASSERT_EQ(ids(found), std::vector<std::string>{"tls-old-protocols:sslv3"});
}

}  // namespace
}  // namespace portolan::audit
