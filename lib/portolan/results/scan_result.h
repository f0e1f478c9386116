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
#include "portolan/results/finding.h"
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

// What a TLS handshake showed (-sV through TLS): the certificate the server
// presented and the protocol versions it accepted.
struct TlsInfo {
  std::vector<std::string> versions;  // accepted, oldest first: "TLSv1.0" ... "TLSv1.3"
  std::string negotiated;             // the version of the default handshake
  std::string cipher;                 // the cipher of the default handshake (OpenSSL's name)
  std::string subject;                // one line, RFC 2253 order: "CN=example.org,O=Example"
  std::string issuer;
  std::string not_before;  // ISO 8601 UTC: "2026-01-01T00:00:00Z"
  std::string not_after;
  std::vector<std::string> sans;  // subjectAltName: "DNS:example.org", "IP:192.0.2.1"
  std::string key_type;           // "rsa", "ec", "ed25519"...
  int key_bits = 0;
  std::string signature_algorithm;  // "sha256WithRSAEncryption"
  std::string sha256;               // certificate fingerprint, lowercase hex
  bool self_signed = false;
  bool starttls = false;  // reached with STARTTLS (SMTP, POP3, IMAP), not a TLS port
};

// What listens behind a port. With only a port-table lookup, method is "table"
// and conf 3, as nmap reports it; detection (-sV) sets method "probed" and
// conf 10 (a hard match) or keeps "table" with what a soft match added.
struct ServiceInfo {
  std::string name;  // "http"; empty when unknown
  std::string method = "table";
  int conf = 3;
  std::string product;
  std::string version;
  std::string extra_info;
  std::string host_name;         // a name the service announced (SMTP greeting...)
  std::string os_type;           // "Linux", "Windows", "Unix"
  std::string device_type;       // "router", "printer"...
  std::string tunnel;            // "ssl" when detected through TLS
  std::vector<std::string> cpe;  // "cpe:/a:openbsd:openssh:9.2p1"
  // A service that answered but matched no signature: what it sent, escaped, so
  // a user can submit it (nmap's "service unrecognized despite returning data").
  std::string fingerprint;
  std::optional<TlsInfo> tls;
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

// -O: what the target's TCP/IP behaviour suggests it runs. Matches are best
// first; none at all means no fingerprint came close enough (we do not guess).
struct OsClass {
  std::string type;        // "general purpose", "router", "phone"...
  std::string vendor;      // "Linux", "Microsoft", "Apple"
  std::string family;      // "Linux", "Windows", "macOS"
  std::string generation;  // "5.X", "10"; empty when not known
  int accuracy = 0;        // percent
  std::vector<std::string> cpe;
};

struct OsMatch {
  std::string name;  // "Linux 4.15 - 6.x"
  int accuracy = 0;  // percent
  std::vector<OsClass> classes;
};

struct OsPortUsed {
  PortState state = PortState::kOpen;
  Protocol protocol = Protocol::kTcp;
  uint16_t port = 0;
};

struct OsResult {
  std::vector<OsPortUsed> ports_used;
  std::vector<OsMatch> matches;
  // What was observed, one line per test, printed when nothing matched.
  std::string fingerprint;
  int distance = -1;            // network hops, -1 when not known
  std::string ip_id_sequence;   // "All zeros", "Incremental", "Randomized"...
  std::string tcp_ts_sequence;  // "1000HZ", "none returned (unsupported)"...
  int64_t uptime_seconds = -1;  // from TCP timestamps, -1 when not known
};

// --traceroute: the path to the host, one hop per TTL that answered.
struct TraceHop {
  int ttl = 0;
  IpAddress address;
  double rtt_ms = 0;
  std::string host;  // PTR name, when resolved
};

struct TraceResult {
  std::string protocol = "tcp";  // "tcp", "udp" or "icmp", as nmap's <trace proto>
  uint16_t port = 0;             // host byte order; 0 for ICMP
  std::vector<TraceHop> hops;    // ascending TTL; a missing TTL is a hop that did not answer
};

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
  std::optional<OsResult> os;                        // -O
  std::optional<TraceResult> trace;                  // --traceroute
  // --audit: every finding on this host and its ports, in finding_before order.
  std::vector<Finding> findings;
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
  bool list_scan = false;       // -sL: nothing was sent
  bool ping_scan = false;       // -sn: discovery only
  bool version_detect = false;  // -sV ran
  bool os_detect = false;       // -O ran
  bool audit = false;           // --audit ran: reports show a findings section
};

struct ScanSummary {
  WallClock::time_point end_time{};
  double elapsed_seconds = 0;
  uint64_t hosts_up = 0;
  uint64_t hosts_down = 0;
  uint64_t hosts_total = 0;
  bool success = true;
  std::string error_message;  // when !success: why the scan stopped early
  // --audit: findings over all hosts, and the most severe (none: no findings).
  uint64_t findings = 0;
  std::optional<Severity> worst_finding;
};

// Adds a finished host's findings to the summary's count and worst severity.
void count_findings(ScanSummary& summary, const HostResult& host);

}  // namespace portolan
