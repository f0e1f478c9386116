// Certificate dates and names; see tls_certificate.h.
#include "portolan/audit/tls_certificate.h"

#include <algorithm>
#include <cctype>

#include "portolan/net/ip_address.h"

namespace portolan::audit {

namespace {

bool read_number(std::string_view s, size_t pos, size_t digits, int& out) {
  if (pos + digits > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool is_ip_literal(std::string_view host) {
  return IpAddress::parse(host).has_value();
}

}  // namespace

std::optional<CertTime> parse_certificate_time(std::string_view iso) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (iso.size() != 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
      iso[16] != ':' || iso[19] != 'Z') {
    return std::nullopt;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_number(iso, 0, 4, year) || !read_number(iso, 5, 2, month) ||
      !read_number(iso, 8, 2, day) || !read_number(iso, 11, 2, hour) ||
      !read_number(iso, 14, 2, minute) || !read_number(iso, 17, 2, second)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

bool certificate_expired(const TlsInfo& tls, CertTime now) {
  const auto not_after = parse_certificate_time(tls.not_after);
  return not_after && *not_after < now;
}

bool certificate_not_yet_valid(const TlsInfo& tls, CertTime now) {
  const auto not_before = parse_certificate_time(tls.not_before);
  return not_before && *not_before > now;
}

bool dns_name_matches(std::string_view pattern_in, std::string_view host_in) {
  const std::string pattern = lowercase(pattern_in);
  const std::string host = lowercase(host_in);
  if (pattern.empty() || host.empty()) return false;
  if (pattern.find('*') == std::string::npos) return pattern == host;
  // Only "*." as the whole first label, and at least two labels after it.
  if (pattern.rfind("*.", 0) != 0) return false;
  const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.org"
  if (suffix.find('*') != std::string_view::npos) return false;
  if (std::count(suffix.begin(), suffix.end(), '.') < 2) return false;
  if (is_ip_literal(host)) return false;
  if (host.size() <= suffix.size() ||
      host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const std::string_view label = std::string_view(host).substr(0, host.size() - suffix.size());
  return !label.empty() && label.find('.') == std::string_view::npos;
}

std::string subject_common_name(std::string_view subject) {
  // Split on unescaped commas (and '+' of multi-valued RDNs).
  std::string part;
  auto take = [&](std::string& out) {
    if (part.size() > 3 && (part.rfind("CN=", 0) == 0 || part.rfind("cn=", 0) == 0) &&
        out.empty()) {
      out = part.substr(3);
    }
    part.clear();
  };
  std::string cn;
  for (size_t i = 0; i < subject.size(); ++i) {
    const char c = subject[i];
    if (c == '\\' && i + 1 < subject.size()) {
      part += subject[++i];
    } else if (c == ',' || c == '+') {
      take(cn);
    } else if (c != ' ' || !part.empty()) {
      part += c;
    }
  }
  take(cn);
  return cn;
}

NameMatch certificate_matches_host(const TlsInfo& tls, std::string_view host) {
  if (auto address = IpAddress::parse(host)) {
    bool any_ip = false;
    for (const auto& san : tls.sans) {
      if (san.rfind("IP:", 0) != 0) continue;
      any_ip = true;
      auto listed = IpAddress::parse(std::string_view(san).substr(3));
      if (listed && *listed == *address) return NameMatch::kMatch;
    }
    return any_ip ? NameMatch::kMismatch : NameMatch::kUnknown;
  }
  bool any_dns = false;
  for (const auto& san : tls.sans) {
    if (san.rfind("DNS:", 0) != 0) continue;
    any_dns = true;
    if (dns_name_matches(std::string_view(san).substr(4), host)) return NameMatch::kMatch;
  }
  if (any_dns) return NameMatch::kMismatch;
  const std::string cn = subject_common_name(tls.subject);
  if (cn.empty()) return NameMatch::kMismatch;
  return dns_name_matches(cn, host) ? NameMatch::kMatch : NameMatch::kMismatch;
}

}  // namespace portolan::audit
