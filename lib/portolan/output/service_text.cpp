// Version summaries for the text reports.
#include "portolan/output/service_text.h"

#include <fmt/format.h>

namespace portolan {

std::string version_summary(const ServiceInfo& service) {
  std::string text = service.product;
  if (!service.version.empty()) text += (text.empty() ? "" : " ") + service.version;
  if (!service.extra_info.empty()) {
    text += (text.empty() ? "(" : " (") + service.extra_info + ")";
  }
  return text;
}

std::vector<std::string> tls_lines(const TlsInfo& tls) {
  std::vector<std::string> lines;
  if (!tls.subject.empty()) lines.push_back("Subject: " + tls.subject);
  if (!tls.issuer.empty()) {
    lines.push_back("Issuer: " + tls.issuer + (tls.self_signed ? " (self-signed)" : ""));
  }
  if (!tls.sans.empty()) {
    lines.push_back(fmt::format("Subject Alternative Name: {}", fmt::join(tls.sans, ", ")));
  }
  if (!tls.key_type.empty()) {
    lines.push_back(fmt::format("Public Key: {} {} bits", tls.key_type, tls.key_bits));
  }
  if (!tls.signature_algorithm.empty()) {
    lines.push_back("Signature Algorithm: " + tls.signature_algorithm);
  }
  if (!tls.not_before.empty()) lines.push_back("Not valid before: " + tls.not_before);
  if (!tls.not_after.empty()) lines.push_back("Not valid after:  " + tls.not_after);
  if (!tls.sha256.empty()) lines.push_back("SHA-256: " + tls.sha256);
  if (!tls.versions.empty()) {
    lines.push_back(fmt::format("TLS versions: {}", fmt::join(tls.versions, ", ")));
  }
  if (!tls.negotiated.empty()) {
    lines.push_back(fmt::format("Negotiated: {} {}{}", tls.negotiated, tls.cipher,
                                tls.starttls ? " (after STARTTLS)" : ""));
  }
  return lines;
}

}  // namespace portolan
