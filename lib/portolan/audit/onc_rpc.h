// ONC RPC over TCP (RFC 5531) for two questions: the portmapper's GETPORT
// (RFC 1833, program 100000 version 2, procedure 3) to find mountd, and
// mountd's EXPORT (RFC 1813 appendix I, program 100005 version 3, procedure
// 5) to list what an NFS server exports and to whom.
//
// Over TCP each message is a record of fragments, each with a 4-byte header
// in network byte order: the top bit marks the last fragment, the other 31
// bits its length. Calls use AUTH_NONE. Parsers take the received bytes,
// record headers included, and return an error for anything malformed, cut
// short, or not the reply to our transaction id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

inline constexpr uint32_t kRpcPortmapProgram = 100000;
inline constexpr uint32_t kRpcMountProgram = 100005;
inline constexpr uint32_t kIpProtoTcp = 6;

// A GETPORT call for (program, version, protocol), framed as one TCP record.
std::string build_pmap_getport_call(uint32_t xid, uint32_t program, uint32_t version,
                                    uint32_t protocol);
// A MOUNTPROC3_EXPORT call (no arguments), framed as one TCP record.
std::string build_mount_export_call(uint32_t xid);

// The message carried by the TCP record(s) at the start of `bytes`, the
// fragments joined; an error when the last fragment has not all arrived, a
// fragment is longer than `max_bytes` in total, or there are more than 64.
Result<std::string> rpc_tcp_record(std::string_view bytes, size_t max_bytes = 1 << 20);

// The procedure's results from an accepted, successful reply to `xid`; an
// error for another xid, a call, a denied reply or an accept_stat other
// than SUCCESS. `message` is one record's content (rpc_tcp_record).
Result<std::string_view> rpc_reply_results(std::string_view message, uint32_t xid);

// GETPORT's answer: the port (host byte order), 0 when not registered.
Result<uint16_t> parse_pmap_getport_reply(std::string_view bytes, uint32_t xid);

struct NfsExport {
  std::string path;
  std::vector<std::string> groups;  // hosts, netgroups, networks; empty: everyone
};

// EXPORT's answer (the reply record, headers included). At most 4096 exports
// of 1024 groups each; names as long as RFC 1813 allows (paths 1024 bytes,
// names 255), else an error.
Result<std::vector<NfsExport>> parse_mount_export_reply(std::string_view bytes, uint32_t xid);

// True when the export is open to any client: no groups, or a group that
// names everyone ("*", "0.0.0.0/0", "::/0", or an IPv4 network wider than /8).
bool nfs_export_open_to_everyone(const NfsExport& e);

}  // namespace portolan::audit
