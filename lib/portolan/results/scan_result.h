// The scan result model: what every engine produces and every report reads.
//
// One set of types for the whole product: the output writers, and later the
// history store, the diff, the audit and the dashboard, all read these and
// nothing else. Engines fill them; nobody formats results on their own.
//
// A scan is streamed: a ScanRunInfo when it starts, one HostResult per target
// as soon as that target is finished, and a ScanSummary at the end. A report
// never needs the whole scan in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/results/protocol.h"

namespace portolan {

// nmap's port states (nmap.c statenum2str).
enum class PortState : uint8_t {
  kOpen,
  kClosed,
  kFiltered,
  kUnfiltered,
  kOpenFiltered,
  kClosedFiltered,
};

// Why a port or host is in its state; the strings are nmap's reason names.
enum class Reason : uint8_t {
  kUnknown,            // "unknown-response"
  kSynAck,             // "syn-ack"
  kConnRefused,        // "conn-refused"
  kReset,              // "reset"
  kNoResponse,         // "no-response"
  kHostUnreach,        // "host-unreach"
  kNetUnreach,         // "net-unreach"
  kHostProhibited,     // "host-prohibited"
  kNetProhibited,      // "net-prohibited"
  kAdminProhibited,    // "admin-prohibited"
  kPortUnreach,        // "port-unreach"
  kProtoUnreach,       // "proto-unreach"
  kTimeExceeded,       // "time-exceeded"
  kEchoReply,          // "echo-reply"
  kUdpResponse,        // "udp-response"
  kArpResponse,        // "arp-response"
  kNdResponse,         // "nd-response"
  kUserSet,            // "user-set"
  kLocalhostResponse,  // "localhost-response"
  kTimestampReply,     // "timestamp-reply"
};

enum class HostState : uint8_t { kUp, kDown, kUnknown, kSkipped };

std::string_view to_string(PortState s);  // "open", "open|filtered", ...
std::string_view to_string(Reason r);     // "syn-ack", ...
std::string_view to_string(HostState s);  // "up", "down", "unknown", "skipped"

// What listens behind a port. With only a port-table lookup, method is "table"
// and conf 3, as nmap reports it; detection (-sV) fills the rest later.
struct ServiceInfo {
  std::string name;  // "http"; empty when unknown
  std::string method = "table";
  int conf = 3;
  std::string product;
  std::string version;
  std::string extra_info;
  std::string os_type;
  std::string tunnel;  // "ssl" when detected through TLS
  std::vector<std::string> cpe;
};

struct PortResult {
  uint16_t port = 0;  // host byte order
  Protocol protocol = Protocol::kTcp;
  PortState state = PortState::kFiltered;
  Reason reason = Reason::kNoResponse;
  uint8_t reason_ttl = 0;                      // 0 when not known (connect scans)
  std::shared_ptr<const ServiceInfo> service;  // null when not looked up
};

struct HostName {
  std::string name;
  enum class Kind : uint8_t { kUser, kPtr } kind = Kind::kUser;
};

// Round-trip timing for a host, in microseconds, as nmap's <times> element.
struct HostTimes {
  int64_t srtt_us = -1;  // -1: not measured
  int64_t rttvar_us = -1;
  int64_t timeout_us = -1;
};

using WallClock = std::chrono::system_clock;

struct HostResult {
  IpAddress address;
  std::vector<HostName> hostnames;  // the name the user gave first, then PTR
  HostState state = HostState::kUnknown;
  Reason reason = Reason::kUserSet;
  uint8_t reason_ttl = 0;
  WallClock::time_point start_time{};
  WallClock::time_point end_time{};
  HostTimes times;
  // Every scanned port, whatever its state; writers group closed/filtered ones.
  std::vector<PortResult> ports;
  bool timed_out = false;                            // --host-timeout expired: ports are incomplete
  std::optional<std::chrono::microseconds> latency;  // for "Host is up (0.00010s latency)"
};

// What kind of scan ran, for <scaninfo> and the report headers.
struct ScanInfo {
  std::string type;  // nmap's scan type name: "connect", "syn", "udp"...
  Protocol protocol = Protocol::kTcp;
  uint32_t num_services = 0;
  std::string services;  // compressed port list: "1-1000,8080"
};

struct ScanRunInfo {
  std::string args;  // the command line as typed
  WallClock::time_point start_time{};
  std::string version;              // Portolan's version
  std::vector<ScanInfo> scan_info;  // empty for -sL / -sn
  int verbosity = 0;
  int debugging = 0;
  bool list_scan = false;  // -sL: nothing was sent
  bool ping_scan = false;  // -sn: discovery only
};

struct ScanSummary {
  WallClock::time_point end_time{};
  double elapsed_seconds = 0;
  uint64_t hosts_up = 0;
  uint64_t hosts_down = 0;
  uint64_t hosts_total = 0;
  bool success = true;
  std::string error_message;  // when !success: why the scan stopped early
};

}  // namespace portolan
