// portolan_os_probe: runs OsDetector against addresses given on the command
// line and prints what it found, for the lab test and for checking by hand
// until `portolan scan -O` exists.
//
//   portolan_os_probe [-e IF] [--debug] --open PORT [--closed PORT] [--uclosed PORT] ADDRESS...
//
// Every address is taken as up with PORT open (and the closed ports closed,
// when given). Output, per host:
//   host 198.18.0.1
//   match 100 Linux 4.15 - 6.x          (or "no match")
//   cpe cpe:/o:linux:linux_kernel:5     (one per class of the best match)
//   distance 1 / ipid ... / ts ... / uptime ...
//   fp SYNACK ttl=64 ...                 (one per observation line)
// then "elapsed_ms N". Exit 0, or 1 with one line on stderr.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "portolan/os/os_detector.h"

using namespace portolan;

int main(int argc, char** argv) {
  OsDetectOptions options;
  std::vector<HostResult> hosts;
  int open = -1, closed = -1, uclosed = -1;
  auto port_arg = [&](int& i) {
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << argv[i] << "\n";
      std::exit(1);
    }
    return std::atoi(argv[++i]);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--open") {
      open = port_arg(i);
    } else if (a == "--closed") {
      closed = port_arg(i);
    } else if (a == "--uclosed") {
      uclosed = port_arg(i);
    } else if (a == "--debug") {
      options.debug = true;
    } else if (a == "-e" && i + 1 < argc) {
      options.interface_name = argv[++i];
    } else {
      auto addr = IpAddress::parse(a);
      if (!addr) {
        std::cerr << addr.error().message() << "\n";
        return 1;
      }
      HostResult h;
      h.address = *addr;
      h.state = HostState::kUp;
      hosts.push_back(std::move(h));
    }
  }
  for (auto& h : hosts) {
    auto add = [&](int port, Protocol proto, PortState state) {
      if (port <= 0 || port > 65535) return;
      PortResult p;
      p.port = static_cast<uint16_t>(port);
      p.protocol = proto;
      p.state = state;
      h.ports.push_back(p);
    };
    add(open, Protocol::kTcp, PortState::kOpen);
    add(closed, Protocol::kTcp, PortState::kClosed);
    add(uclosed, Protocol::kUdp, PortState::kClosed);
  }
  options.notice = [](const std::string& line) { std::cerr << line << "\n"; };
  auto detector = OsDetector::create(options);
  if (!detector) {
    std::cerr << detector.error().message() << "\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  if (auto r = (*detector)->detect(hosts); !r) {
    std::cerr << r.error().message() << "\n";
    return 1;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  for (const auto& h : hosts) {
    fmt::print("host {}\n", h.address.to_string());
    if (!h.os) {
      fmt::print("no result\n");
      continue;
    }
    const OsResult& os = *h.os;
    if (os.matches.empty()) fmt::print("no match\n");
    for (const auto& m : os.matches) fmt::print("match {} {}\n", m.accuracy, m.name);
    if (!os.matches.empty()) {
      for (const auto& c : os.matches.front().classes) {
        for (const auto& cpe : c.cpe) fmt::print("cpe {}\n", cpe);
      }
    }
    fmt::print("distance {}\nipid {}\nts {}\nuptime {}\n", os.distance, os.ip_id_sequence,
               os.tcp_ts_sequence, os.uptime_seconds);
    for (const auto& p : os.ports_used) {
      fmt::print("portused {} {} {}\n", p.protocol == Protocol::kTcp ? "tcp" : "udp", p.port,
                 to_string(p.state));
    }
    std::istringstream lines(os.fingerprint);
    for (std::string line; std::getline(lines, line);) fmt::print("fp {}\n", line);
  }
  fmt::print("elapsed_ms {}\n", elapsed.count());
  return 0;
}
