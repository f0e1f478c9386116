// Reading a detected service's version for matching; see detected_service.h.
#include "portolan/vulndb/detected_service.h"

#include <algorithm>

namespace portolan::vulndb {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view first_word(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s.substr(0, s.find(' '));
}

// "cpe:/a:openbsd:openssh:9.2p1" or "cpe:2.3:a:openbsd:openssh:9.2p1:..." ->
// {"openbsd:openssh", "9.2p1"}; applications only.
bool parse_cpe(std::string_view cpe, std::string& vendor_product, std::string& version) {
  std::vector<std::string_view> f;
  std::string_view rest = cpe;
  if (rest.starts_with("cpe:/")) {
    rest.remove_prefix(5);
  } else if (rest.starts_with("cpe:2.3:")) {
    rest.remove_prefix(8);
  } else {
    return false;
  }
  while (true) {
    const size_t colon = rest.find(':');
    f.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (f.size() < 3 || f[0] != "a" || f[1].empty() || f[2].empty()) return false;
  vendor_product = lowercase(f[1]) + ":" + lowercase(f[2]);
  version = f.size() > 3 && f[3] != "*" && f[3] != "-" ? std::string(f[3]) : std::string();
  return true;
}

// "deb12u3" -> "12"; "" when there is no "deb<digits>".
std::string debian_release(std::string_view revision) {
  for (size_t at = revision.find("deb"); at != std::string_view::npos;
       at = revision.find("deb", at + 1)) {
    size_t end = at + 3;
    while (end < revision.size() && is_digit(revision[end])) ++end;
    if (end > at + 3) return std::string(revision.substr(at + 3, end - at - 3));
  }
  return {};
}

// "0ubuntu0.22.04.1" -> "22.04": Ubuntu's stable-update versions name the
// release; most others ("3ubuntu0.10") do not.
std::string ubuntu_release(std::string_view revision) {
  const size_t at = revision.find("ubuntu0.");
  if (at == std::string_view::npos) return {};
  std::string_view r = revision.substr(at + 8);
  if (r.size() >= 5 && is_digit(r[0]) && is_digit(r[1]) && r[2] == '.' && is_digit(r[3]) &&
      is_digit(r[4])) {
    return std::string(r.substr(0, 5));
  }
  return {};
}

std::string distro_of_revision(std::string_view revision) {
  if (revision.find("ubuntu") != std::string_view::npos) return "Ubuntu";
  if (!debian_release(revision).empty()) return "Debian";
  return {};
}

void split_version(std::string_view v, DetectedService& d) {
  if (v.starts_with("5.5.5-") && v.size() > 6 && is_digit(v[6])) v.remove_prefix(6);
  for (std::string_view word : {" Debian ", " Ubuntu ", " Raspbian "}) {
    const size_t at = v.find(word);
    if (at == std::string_view::npos) continue;
    d.upstream_version = std::string(v.substr(0, at));
    d.distro_revision = std::string(first_word(v.substr(at + word.size())));
    d.distro = word == " Ubuntu " ? "Ubuntu" : "Debian";  // Raspbian follows Debian's packages
    return;
  }
  if (const size_t at = v.find("-MariaDB"); at != std::string_view::npos) {
    d.upstream_version = std::string(v.substr(0, at));
    std::string_view rest = v.substr(at + 8);
    if (rest.starts_with("-")) d.distro_revision = std::string(first_word(rest.substr(1)));
    d.distro = distro_of_revision(d.distro_revision);
    if (d.distro.empty()) d.distro_revision.clear();
    return;
  }
  std::string_view token = first_word(v);
  for (std::string_view suffix : {"-Debian", "-Ubuntu"}) {
    if (token.ends_with(suffix)) {
      token.remove_suffix(suffix.size());
      d.distro = suffix == "-Ubuntu" ? "Ubuntu" : "Debian";
    }
  }
  const size_t dash = token.find('-');
  if (dash != std::string_view::npos) {
    const std::string_view revision = token.substr(dash + 1);
    const std::string distro = distro_of_revision(revision);
    if (!distro.empty() || !d.distro.empty()) {
      d.upstream_version = std::string(token.substr(0, dash));
      d.distro_revision = std::string(revision);
      if (d.distro.empty()) d.distro = distro;
      return;
    }
  }
  d.upstream_version = std::string(token);
}

}  // namespace

DetectedService describe_service(const ServiceInfo& service) {
  DetectedService d;
  d.full_version = service.version;
  std::string cpe_version;
  for (const std::string& cpe : service.cpe) {
    std::string vp, ver;
    if (!parse_cpe(cpe, vp, ver)) continue;
    if (std::find(d.cpes.begin(), d.cpes.end(), vp) == d.cpes.end()) d.cpes.push_back(vp);
    if (cpe_version.empty()) cpe_version = ver;
    if (!d.entry) d.entry = find_product_by_cpe(vp);
  }
  if (const ProductEntry* e = find_product(service.product, service.version)) d.entry = e;
  if (d.entry) {
    for (std::string_view c : d.entry->cpes) {
      if (std::find(d.cpes.begin(), d.cpes.end(), c) == d.cpes.end()) d.cpes.emplace_back(c);
    }
  }
  d.product = d.entry ? std::string(d.entry->name) : service.product;
  if (d.product.empty() && !d.cpes.empty()) d.product = d.cpes.front();

  split_version(service.version.empty() ? std::string_view(cpe_version) : service.version, d);
  // "for_Windows_9.5", "v1.2": the version proper starts at the first digit.
  const size_t digit = d.upstream_version.find_first_of("0123456789");
  d.upstream_version =
      digit == std::string::npos ? std::string() : d.upstream_version.substr(digit);

  if (d.distro.empty()) {
    for (std::string_view name : {"Debian", "Ubuntu", "Raspbian"}) {
      if (service.extra_info.find(name) != std::string::npos) {
        d.distro = name == "Ubuntu" ? "Ubuntu" : "Debian";
        break;
      }
    }
  }
  if (d.distro == "Debian") d.release = debian_release(d.distro_revision);
  if (d.distro == "Ubuntu") d.release = ubuntu_release(d.distro_revision);
  if (d.entry && !d.distro.empty() && !d.upstream_version.empty()) {
    d.source_package = source_package(
        d.distro == "Ubuntu" ? d.entry->ubuntu_source : d.entry->debian_source, d.upstream_version);
  }
  return d;
}

std::string distro_version(const DetectedService& d, std::string_view reference) {
  std::string out;
  const size_t colon = reference.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      std::all_of(reference.begin(), reference.begin() + static_cast<long>(colon), is_digit)) {
    out = std::string(reference.substr(0, colon + 1));
  }
  out += d.upstream_version;
  if (!d.distro_revision.empty()) out += "-" + d.distro_revision;
  return out;
}

}  // namespace portolan::vulndb
