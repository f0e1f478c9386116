// What an SSH server sends before any key exchange: its identification line
// (RFC 4253 section 4.2) and its first binary packet, SSH_MSG_KEXINIT
// (section 7.1), which lists every algorithm it is willing to use. Reading
// these two costs the server nothing and changes nothing: no key exchange,
// no authentication. The ssh-weak-algorithms check grades the lists.
//
// Pure functions over the received bytes; every length field is checked
// against what arrived and against the RFC's limits, so truncated, oversized
// or garbage input gives an error (or "need more"), never a read past the end.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

// RFC 4253 section 4.2: the identification line is at most 255 characters
// including its CR LF.
inline constexpr size_t kSshMaxIdentLine = 255;
// Lines the server may send before its identification line, all together.
inline constexpr size_t kSshMaxPreamble = 8192;
// RFC 4253 section 6.1: implementations must accept packets up to 35000
// bytes in total; a larger packet_length is treated as garbage.
inline constexpr uint32_t kSshMaxPacketLength = 35000;
inline constexpr uint8_t kSshMsgKexInit = 20;

// "SSH-protoversion-softwareversion SP comments CR LF".
struct SshIdent {
  std::string line;              // the identification line without CR LF
  std::string proto_version;     // "2.0", "1.99", "1.5"
  std::string software_version;  // "OpenSSH_9.2p1"
  std::string comments;          // "Debian-2+deb12u10"; empty when none
  size_t end = 0;                // offset just past the line's LF (preamble lines included)

  // True when the server accepts SSH-2 clients: "2.0", or "1.99" (both).
  bool speaks_ssh2() const;
  // True when the server accepts SSH-1 clients: any "1.x" ("1.99" included).
  bool speaks_ssh1() const;
};

// SSH_MSG_KEXINIT's payload. Every list is in the server's order of
// preference, one algorithm name per entry.
struct SshKexInit {
  std::array<uint8_t, 16> cookie{};
  std::vector<std::string> kex;
  std::vector<std::string> host_key;
  std::vector<std::string> cipher_c2s;
  std::vector<std::string> cipher_s2c;
  std::vector<std::string> mac_c2s;
  std::vector<std::string> mac_s2c;
  std::vector<std::string> compression_c2s;
  std::vector<std::string> compression_s2c;
  std::vector<std::string> language_c2s;
  std::vector<std::string> language_s2c;
  bool first_kex_packet_follows = false;
};

struct SshServerHello {
  SshIdent ident;
  SshKexInit kexinit;
};

enum class SshProgress : uint8_t {
  kNeedMore,  // nothing wrong yet, but more bytes are needed
  kComplete,  // everything expected has arrived (parse it)
  kInvalid,   // these bytes can never become valid: stop reading
};

// The identification line at the start of `bytes`, after any other lines
// (each must end in LF; CR LF or a bare LF are both accepted). An error when
// no complete "SSH-" line is within the limits or the line is malformed.
Result<SshIdent> parse_ssh_ident(std::string_view bytes);

// One unencrypted binary packet at the start of `bytes` carrying
// SSH_MSG_KEXINIT. An error when the packet is incomplete, a length is out of
// range, the message is not KEXINIT, or a name-list is malformed (an empty or
// non-printable name). Bytes after the packet are ignored.
Result<SshKexInit> parse_ssh_kexinit_packet(std::string_view bytes);

// The identification line and the KEXINIT packet that follows it.
Result<SshServerHello> parse_ssh_server_hello(std::string_view bytes);

// For reading from the wire: has the identification line arrived?
SshProgress ssh_ident_progress(std::string_view bytes);
// Has the identification line and the whole first packet (by its length
// field) arrived? kComplete as well for a server that speaks only SSH-1,
// which sends no KEXINIT.
SshProgress ssh_server_hello_progress(std::string_view bytes);

}  // namespace portolan::audit
