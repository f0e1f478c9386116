#include "portolan/pipeline/host_namer.h"

#include <fstream>
#include <sstream>

#include "portolan/targets/target_list.h"

namespace portolan {

HostNamer::HostNamer(bool enabled, const std::string& hosts_file) : enabled_(enabled) {
  if (!enabled_) return;
  std::ifstream in(hosts_file);
  std::string line;
  // The first name listed for an address wins, as the system resolver does.
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string addr_text, name;
    if (!(fields >> addr_text >> name)) continue;
    auto addr = IpAddress::parse(addr_text);
    if (!addr || !addr->is_loopback()) continue;
    loopback_names_.emplace(*addr, name);
  }
}

std::optional<std::string> HostNamer::name_for(const IpAddress& address) const {
  if (!enabled_) return std::nullopt;
  if (address.is_loopback()) {
    auto it = loopback_names_.find(address);
    if (it == loopback_names_.end()) return std::nullopt;
    return it->second;
  }
  return reverse_lookup(address);
}

}  // namespace portolan
