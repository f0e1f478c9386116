// ProbeSpec: one kind of probe the raw engine sends to every host of a sweep.
//
// A stateless sweep is the cross product hosts x specs: a SYN scan of 1000
// ports has 1000 specs (a SYN to each port), a ping sweep has one spec per
// discovery probe (-PE, -PS443, ...). Element e of the sweep is host
// e % hosts and spec e / hosts; a reply is mapped back to its element by the
// reply's addresses and ports, checked against the probe cookie.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "portolan/core/result.h"

namespace portolan {

enum class ProbeKind : uint8_t {
  kTcpSyn,         // -sS, -PS
  kTcpAck,         // -PA
  kUdp,            // -sU, -PU
  kIcmpEcho,       // -PE (ICMPv6 echo for IPv6 targets)
  kIcmpTimestamp,  // -PP (IPv4 only)
};

struct ProbeSpec {
  ProbeKind kind = ProbeKind::kTcpSyn;
  uint16_t port = 0;  // host byte order; 0 for ICMP

  bool operator==(const ProbeSpec&) const = default;
};

// nmap's host discovery probes as typed: "PS" with "22,80" etc. An empty
// port list takes nmap's default port (80 for -PS/-PA, 40125 for -PU).
// Errors name the option: "-PS: invalid port '99999'".
Result<std::vector<ProbeSpec>> parse_discovery_probe(const std::string& flag,
                                                     const std::string& ports);

// nmap's default discovery when privileged: ICMP echo, SYN to 443, ACK to 80,
// and (IPv4 only) ICMP timestamp. Hosts on the local segment use ARP or
// neighbour discovery instead, as nmap does.
std::vector<ProbeSpec> default_discovery_probes(bool ipv6);

}  // namespace portolan
