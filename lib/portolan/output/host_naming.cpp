// Host naming for reports.
#include "portolan/output/host_naming.h"

#include "portolan/output/text_escape.h"

namespace portolan {
namespace {

const std::string* first_of_kind(const HostResult& host, HostName::Kind kind) {
  for (const auto& n : host.hostnames) {
    if (n.kind == kind && !n.name.empty()) return &n.name;
  }
  return nullptr;
}

}  // namespace

const std::string* user_name(const HostResult& host) {
  return first_of_kind(host, HostName::Kind::kUser);
}

const std::string* ptr_name(const HostResult& host) {
  return first_of_kind(host, HostName::Kind::kPtr);
}

std::string report_title(const HostResult& host) {
  const std::string* name = user_name(host);
  if (name == nullptr) name = ptr_name(host);
  const std::string addr = host.address.to_string();
  if (name == nullptr) return addr;
  return plain_text(*name) + " (" + addr + ")";
}

const std::string* differing_rdns(const HostResult& host) {
  const std::string* user = user_name(host);
  const std::string* ptr = ptr_name(host);
  if (user == nullptr || ptr == nullptr || *user == *ptr) return nullptr;
  return ptr;
}

const char* address_type(const IpAddress& address) {
  return address.is_v6() ? "ipv6" : "ipv4";
}

}  // namespace portolan
