// trace_probe_tool: traces one address with the library's Tracer, for the lab
// test (tests/lab/trace_test.sh) until `portolan scan --traceroute` exists.
//
//   portolan_trace_probe_tool ADDRESS tcp|udp|icmp [PORT] [MAX_TTL]
//
// The host is given as up with PORT open (tcp) or closed (udp), so the Tracer
// picks that probe. Prints "trace PROTO PORT", then one "hop TTL ADDRESS
// RTT_MS" line per answering hop, and "ms ELAPSED" for the whole trace.
// Exit 0 on success, 1 on an error (printed on stderr as one line), 2 on bad
// usage.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "portolan/trace/tracer.h"

int main(int argc, char** argv) {
  using namespace portolan;
  if (argc < 3 || argc > 5) {
    std::fputs("usage: portolan_trace_probe_tool ADDRESS tcp|udp|icmp [PORT] [MAX_TTL]\n", stderr);
    return 2;
  }
  auto address = IpAddress::parse(argv[1]);
  if (!address) {
    fmt::print(stderr, "{}\n", address.error().message());
    return 2;
  }
  const std::string_view proto = argv[2];
  const int port = argc > 3 ? std::atoi(argv[3]) : 0;
  HostResult host;
  host.address = *address;
  host.state = HostState::kUp;
  if (proto == "tcp" || proto == "udp") {
    PortResult p;
    p.port = static_cast<uint16_t>(port);
    p.protocol = proto == "tcp" ? Protocol::kTcp : Protocol::kUdp;
    p.state = proto == "tcp" ? PortState::kOpen : PortState::kClosed;
    host.ports.push_back(p);
  } else if (proto != "icmp") {
    std::fputs("protocol must be tcp, udp or icmp\n", stderr);
    return 2;
  }
  TraceOptions options;
  if (argc > 4) options.max_ttl = std::atoi(argv[4]);
  options.debug = std::getenv("TRACE_DEBUG") != nullptr;
  options.notice = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  auto tracer = Tracer::create(options);
  if (!tracer) {
    fmt::print(stderr, "{}\n", tracer.error().message());
    return 1;
  }
  std::vector<HostResult> hosts{host};
  const auto start = std::chrono::steady_clock::now();
  auto traced = (*tracer)->trace(hosts);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  if (!traced) {
    fmt::print(stderr, "{}\n", traced.error().message());
    return 1;
  }
  if (!hosts[0].trace) {
    fmt::print(stderr, "no trace\n");
    return 1;
  }
  fmt::print("trace {} {}\n", hosts[0].trace->protocol, hosts[0].trace->port);
  for (const auto& h : hosts[0].trace->hops) {
    fmt::print("hop {} {} {:.3f}\n", h.ttl, h.address.to_string(), h.rtt_ms);
  }
  fmt::print("ms {}\n", ms);
  return 0;
}
