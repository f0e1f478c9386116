// ONC RPC framing, GETPORT and mountd EXPORT; see onc_rpc.h.
#include "portolan/audit/onc_rpc.h"

#include <span>

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"

namespace portolan::audit {

namespace {

constexpr uint32_t kCall = 0;
constexpr uint32_t kReply = 1;
constexpr uint32_t kMsgAccepted = 0;
constexpr uint32_t kSuccess = 0;
constexpr uint32_t kRpcVersion = 2;
constexpr size_t kMaxFragments = 64;
constexpr size_t kMaxExports = 4096;
constexpr size_t kMaxGroups = 1024;
constexpr uint32_t kMaxPath = 1024;  // MNTPATHLEN
constexpr uint32_t kMaxName = 255;   // MNTNAMLEN

ByteReader reader_of(std::string_view bytes) {
  return ByteReader(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
}

void put32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

std::string call(uint32_t xid, uint32_t program, uint32_t version, uint32_t procedure,
                 std::string_view args) {
  std::string body;
  for (uint32_t v : {xid, kCall, kRpcVersion, program, version, procedure, 0u, 0u, 0u, 0u})
    put32(body, v);
  body += args;
  std::string record;
  put32(record, 0x80000000u | static_cast<uint32_t>(body.size()));
  return record + body;
}

// An XDR opaque string of at most `max` bytes, padded to 4.
bool read_xdr_string(ByteReader& r, uint32_t max, std::string& out) {
  uint32_t len = 0;
  if (!r.read_be32(len) || len > max || r.remaining() < len) return false;
  out.resize(len);
  if (!r.read_bytes(reinterpret_cast<uint8_t*>(out.data()), len)) return false;
  return r.skip((4 - len % 4) % 4);
}

}  // namespace

std::string build_pmap_getport_call(uint32_t xid, uint32_t program, uint32_t version,
                                    uint32_t protocol) {
  std::string args;
  for (uint32_t v : {program, version, protocol, 0u}) put32(args, v);
  return call(xid, kRpcPortmapProgram, 2, 3, args);
}

std::string build_mount_export_call(uint32_t xid) {
  return call(xid, kRpcMountProgram, 3, 5, {});
}

Result<std::string> rpc_tcp_record(std::string_view bytes, size_t max_bytes) {
  ByteReader r = reader_of(bytes);
  std::string message;
  for (size_t i = 0; i < kMaxFragments; ++i) {
    uint32_t header = 0;
    if (!r.read_be32(header)) return fail("rpc record: cut short in a fragment header");
    const uint32_t len = header & 0x7fffffffu;
    if (len > max_bytes - message.size()) return fail("rpc record: too long");
    if (r.remaining() < len) return fail("rpc record: cut short in a fragment");
    const size_t at = message.size();
    message.resize(at + len);
    if (!r.read_bytes(reinterpret_cast<uint8_t*>(message.data() + at), len)) {
      return fail("rpc record: cut short in a fragment");
    }
    if ((header & 0x80000000u) != 0) return message;
  }
  return fail("rpc record: too many fragments");
}

Result<std::string_view> rpc_reply_results(std::string_view message, uint32_t xid) {
  ByteReader r = reader_of(message);
  uint32_t got_xid = 0, type = 0, reply_stat = 0;
  if (!r.read_be32(got_xid) || !r.read_be32(type) || !r.read_be32(reply_stat))
    return fail("rpc reply: cut short");
  if (got_xid != xid)
    return fail(fmt::format("rpc reply: transaction id {:#x}, expected {:#x}", got_xid, xid));
  if (type != kReply) return fail("rpc reply: not a reply");
  if (reply_stat != kMsgAccepted) return fail("rpc reply: call denied");
  uint32_t verf_flavor = 0, verf_len = 0, accept_stat = 0;
  if (!r.read_be32(verf_flavor) || !r.read_be32(verf_len) || verf_len > 400 ||
      !r.skip((verf_len + 3) & ~3u) || !r.read_be32(accept_stat)) {
    return fail("rpc reply: cut short");
  }
  if (accept_stat != kSuccess)
    return fail(fmt::format("rpc reply: not accepted (accept_stat {})", accept_stat));
  return message.substr(r.position());
}

Result<uint16_t> parse_pmap_getport_reply(std::string_view bytes, uint32_t xid) {
  auto message = rpc_tcp_record(bytes);
  if (!message) return Unexpected(message.error());
  auto results = rpc_reply_results(*message, xid);
  if (!results) return Unexpected(results.error());
  ByteReader r = reader_of(*results);
  uint32_t port = 0;
  if (!r.read_be32(port)) return fail("portmapper GETPORT: no port in the reply");
  if (port > 65535) return fail(fmt::format("portmapper GETPORT: port {} out of range", port));
  return static_cast<uint16_t>(port);
}

Result<std::vector<NfsExport>> parse_mount_export_reply(std::string_view bytes, uint32_t xid) {
  auto message = rpc_tcp_record(bytes);
  if (!message) return Unexpected(message.error());
  auto results = rpc_reply_results(*message, xid);
  if (!results) return Unexpected(results.error());
  ByteReader r = reader_of(*results);
  std::vector<NfsExport> exports;
  // exports: a linked list of exportnode, each holding a linked list of
  // groupnode; a list entry is a 4-byte "follows" flag, 0 ends the list.
  while (true) {
    uint32_t follows = 0;
    if (!r.read_be32(follows)) return fail("mountd EXPORT: cut short");
    if (follows == 0) break;
    if (follows != 1) return fail("mountd EXPORT: malformed list");
    if (exports.size() >= kMaxExports) return fail("mountd EXPORT: too many exports");
    NfsExport e;
    if (!read_xdr_string(r, kMaxPath, e.path)) return fail("mountd EXPORT: malformed export path");
    while (true) {
      uint32_t more = 0;
      if (!r.read_be32(more)) return fail("mountd EXPORT: cut short");
      if (more == 0) break;
      if (more != 1) return fail("mountd EXPORT: malformed group list");
      if (e.groups.size() >= kMaxGroups) return fail("mountd EXPORT: too many groups");
      std::string group;
      if (!read_xdr_string(r, kMaxName, group)) return fail("mountd EXPORT: malformed group name");
      e.groups.push_back(std::move(group));
    }
    exports.push_back(std::move(e));
  }
  return exports;
}

bool nfs_export_open_to_everyone(const NfsExport& e) {
  if (e.groups.empty()) return true;
  for (const auto& g : e.groups) {
    if (g == "*" || g == "0.0.0.0/0" || g == "0.0.0.0/0.0.0.0" || g == "::/0" || g == "0.0.0.0")
      return true;
    // An IPv4 network written as address/prefix with a prefix under 8.
    const size_t slash = g.find('/');
    if (slash != std::string::npos && g.find(':') == std::string::npos &&
        g.find('.', slash) == std::string::npos) {
      const std::string_view prefix = std::string_view(g).substr(slash + 1);
      if (!prefix.empty() && prefix.size() <= 2 &&
          prefix.find_first_not_of("0123456789") == std::string_view::npos &&
          std::stoi(std::string(prefix)) < 8) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace portolan::audit
