// tls-weak-ciphers: a TLS server accepting weak cipher suites.
//
// For each protocol version up to TLS 1.2 that -sV saw accepted (TLS 1.3 has
// no weak suites), newest first, we send our own ClientHello pinned to that
// version offering every weak suite of tls_cipher_suites (NULL, anonymous,
// export, RC4, DES, IDEA, 3DES), so suites OpenSSL dropped can be asked
// about too. When the server picks one, we note it and ask again without
// that suite's whole weakness class, until it refuses: so each class found
// costs one handshake per version, and the evidence names one suite per class
// and version, not every suite. At most kMaxHandshakes handshakes per port.
// Nothing past the ServerHello is read; the connection is closed.
//
// One finding per class, "tls-weak-ciphers:<class>":
// - null, anon, export: high. No encryption, no authentication (a man in the
//   middle needs no key) or keys breakable in hours (FREAK, Logjam).
// - rc4, des, idea, 3des: medium. RC4 biases (RFC 7465), 56-bit DES, and the
//   64-bit blocks of 3DES and IDEA (Sweet32) need effort or much traffic.
// CBC suites with SHA-1 are not graded (see tls_cipher_suites.h).
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_cipher_suites.h"
#include "portolan/audit/tls_hello.h"

namespace portolan::audit {
namespace {

constexpr int kMaxHandshakes = 20;

constexpr std::string_view kRemediation =
    "Offer only strong suites: nginx `ssl_ciphers "
    "HIGH:!aNULL:!eNULL:!EXPORT:!RC4:!DES:!3DES:!IDEA:!MD5;`, Apache "
    "`SSLCipherSuite HIGH:!aNULL:!eNULL:!EXPORT:!RC4:!DES:!3DES:!IDEA:!MD5` (and no @SECLEVEL=0)";

struct ClassText {
  Severity severity;
  std::string_view title;
  std::vector<std::string> references;
};

ClassText class_text(CipherWeakness w) {
  switch (w) {
    case CipherWeakness::kNull:
      return {Severity::kHigh, "TLS server accepts NULL cipher suites (no encryption)", {}};
    case CipherWeakness::kAnon:
      return {
          Severity::kHigh, "TLS server accepts anonymous cipher suites (no authentication)", {}};
    case CipherWeakness::kExport:
      return {Severity::kHigh,
              "TLS server accepts export-grade cipher suites",
              {"CVE-2015-0204", "CVE-2015-4000"}};
    case CipherWeakness::kRc4:
      return {
          Severity::kMedium, "TLS server accepts RC4 cipher suites", {"RFC 7465", "CVE-2015-2808"}};
    case CipherWeakness::kDes:
      return {Severity::kMedium, "TLS server accepts single-DES cipher suites", {}};
    case CipherWeakness::kIdea:
      return {Severity::kMedium,
              "TLS server accepts IDEA cipher suites (64-bit block)",
              {"CVE-2016-2183"}};
    case CipherWeakness::k3Des:
      return {Severity::kMedium,
              "TLS server accepts 3DES cipher suites (64-bit block, Sweet32)",
              {"CVE-2016-2183"}};
    case CipherWeakness::kNone:
      break;
  }
  return {Severity::kInfo, "", {}};
}

// The versions to ask about, newest first, from what -sV saw.
std::vector<uint16_t> versions_to_probe(const TlsInfo& tls) {
  std::vector<uint16_t> versions;
  for (const auto& name : tls.versions) {
    auto v = tls_version_from_name(name);
    if (v && *v >= kTls10 && *v <= kTls12) versions.push_back(*v);
  }
  if (tls.versions.empty()) {
    // No per-version list (an old file): the default handshake's version.
    auto v = tls_version_from_name(tls.negotiated);
    if (v && *v >= kTls10 && *v <= kTls12) versions.push_back(*v);
  }
  std::sort(versions.rbegin(), versions.rend());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  return versions;
}

class TlsWeakCiphersCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.net != nullptr && ctx.service.tls.has_value();
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    const std::string starttls = tls.starttls ? ctx.service.name : std::string();
    // class -> "TLSv1.2: NAME (0x....)" lines, in the order found
    std::map<CipherWeakness, std::vector<std::string>> found;
    int budget = kMaxHandshakes;
    for (uint16_t version : versions_to_probe(tls)) {
      std::vector<const CipherSuite*> offered;
      for (const auto& suite : weak_cipher_suites()) offered.push_back(&suite);
      while (!offered.empty() && budget > 0) {
        ClientHelloOptions hello;
        hello.client_version = version;
        hello.sni = ctx.sni;
        for (const CipherSuite* s : offered) hello.cipher_suites.push_back(s->id);
        hello.random = client_random();
        --budget;
        auto answer = exchange_hello(*ctx.net, ctx.port.port, starttls, build_client_hello(hello));
        if (!answer) {
          budget = 0;  // the port stopped answering: ask no more
          break;
        }
        if (answer->kind != ServerAnswer::Kind::kServerHello) break;  // refused: none of these
        auto chosen = std::find_if(offered.begin(), offered.end(), [&](const CipherSuite* s) {
          return s->id == answer->cipher_suite;
        });
        if (chosen == offered.end()) break;  // picked a suite we did not offer: a broken server
        const CipherWeakness weakness = (*chosen)->weakness;
        found[weakness].push_back(fmt::format("{}: {}", tls_version_name(answer->version),
                                              describe_cipher_suite((*chosen)->id)));
        std::erase_if(offered, [&](const CipherSuite* s) { return s->weakness == weakness; });
      }
    }
    for (auto& [weakness, lines] : found) {
      lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
      ClassText text = class_text(weakness);
      Finding f = make_finding(info_, ctx, text.severity, std::string(text.title),
                               fmt::format("{}", fmt::join(lines, "; ")), std::string(kRemediation),
                               to_string(weakness));
      f.references = std::move(text.references);
      out.push_back(std::move(f));
    }
  }

 private:
  CheckInfo info_{"tls-weak-ciphers", Category::kTls,
                  "TLS server accepting weak ciphers (NULL, export, RC4, DES/3DES, anonymous)",
                  true};
};

}  // namespace

std::unique_ptr<Check> make_tls_weak_ciphers_check() {
  return std::make_unique<TlsWeakCiphersCheck>();
}

}  // namespace portolan::audit
