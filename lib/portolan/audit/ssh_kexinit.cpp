// Parsers for the SSH identification line and the server's KEXINIT packet
// (see ssh_kexinit.h). Every read of a received byte goes through bounds
// checks: ByteReader for the binary packet, explicit size tests for the line.
#include "portolan/audit/ssh_kexinit.h"

#include <span>

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"

namespace portolan::audit {

namespace {

constexpr std::string_view kIdentPrefix = "SSH-";

// The smallest packet_length a KEXINIT can have: the padding_length byte,
// message type, cookie, ten empty name-lists, the boolean and the reserved
// uint32.
constexpr uint32_t kMinKexInitPacketLength = 1 + 1 + 16 + 10 * 4 + 1 + 4;

// Where the identification line is in `bytes`, or why it is not there (yet).
struct IdentLocation {
  SshProgress progress = SshProgress::kNeedMore;
  size_t start = 0;  // offset of "SSH-"
  size_t end = 0;    // offset just past its LF
  std::string error;
};

IdentLocation locate_ident(std::string_view bytes) {
  IdentLocation loc;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const std::string_view rest = bytes.substr(pos);
    const bool ident = rest.size() >= kIdentPrefix.size()
                           ? rest.substr(0, kIdentPrefix.size()) == kIdentPrefix
                           : kIdentPrefix.substr(0, rest.size()) == rest;
    const size_t lf = rest.find('\n');
    if (ident && rest.size() >= kIdentPrefix.size()) {
      if (lf == std::string_view::npos) {
        if (rest.size() > kSshMaxIdentLine) {
          loc.progress = SshProgress::kInvalid;
          loc.error = fmt::format("SSH identification line longer than {} bytes", kSshMaxIdentLine);
        }
        return loc;
      }
      if (lf + 1 > kSshMaxIdentLine) {
        loc.progress = SshProgress::kInvalid;
        loc.error = fmt::format("SSH identification line longer than {} bytes", kSshMaxIdentLine);
        return loc;
      }
      loc.progress = SshProgress::kComplete;
      loc.start = pos;
      loc.end = pos + lf + 1;
      return loc;
    }
    if (lf == std::string_view::npos) break;
    pos += lf + 1;
    if (pos > kSshMaxPreamble) break;
  }
  if (bytes.size() > kSshMaxPreamble) {
    loc.progress = SshProgress::kInvalid;
    loc.error = fmt::format("no SSH identification line in the first {} bytes", kSshMaxPreamble);
  }
  return loc;
}

Result<std::vector<std::string>> read_name_list(ByteReader& reader, std::string_view field) {
  uint32_t length = 0;
  if (!reader.read_be32(length)) return fail(fmt::format("KEXINIT truncated before {}", field));
  if (length > reader.remaining()) {
    return fail(fmt::format("KEXINIT {} length {} exceeds the {} bytes left", field, length,
                            reader.remaining()));
  }
  std::string text(length, '\0');
  if (length > 0 && !reader.read_bytes(reinterpret_cast<uint8_t*>(text.data()), length)) {
    return fail(fmt::format("KEXINIT truncated in {}", field));
  }
  std::vector<std::string> names;
  if (text.empty()) return names;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    std::string name =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) return fail(fmt::format("KEXINIT {} has an empty algorithm name", field));
    for (unsigned char c : name) {
      if (c <= 0x20 || c >= 0x7f) {
        return fail(fmt::format("KEXINIT {} has a non-printable byte 0x{:02x} in an algorithm name",
                                field, c));
      }
    }
    names.push_back(std::move(name));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

uint32_t be32_at(std::string_view bytes) {
  return (uint32_t{static_cast<uint8_t>(bytes[0])} << 24) |
         (uint32_t{static_cast<uint8_t>(bytes[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(bytes[2])} << 8) | uint32_t{static_cast<uint8_t>(bytes[3])};
}

}  // namespace

bool SshIdent::speaks_ssh2() const {
  return proto_version == "2.0" || proto_version == "1.99";
}

bool SshIdent::speaks_ssh1() const {
  return proto_version.size() >= 2 && proto_version.starts_with("1.");
}

Result<SshIdent> parse_ssh_ident(std::string_view bytes) {
  const IdentLocation loc = locate_ident(bytes);
  if (loc.progress == SshProgress::kInvalid) return fail(loc.error);
  if (loc.progress == SshProgress::kNeedMore) return fail("no complete SSH identification line");

  std::string_view line = bytes.substr(loc.start, loc.end - loc.start - 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (unsigned char c : line) {
    if (c < 0x20 || c == 0x7f) {
      return fail(fmt::format("SSH identification line has a control byte 0x{:02x}", c));
    }
  }
  const std::string_view after = line.substr(kIdentPrefix.size());
  const size_t dash = after.find('-');
  if (dash == std::string_view::npos)
    return fail("SSH identification line has no software version");
  const std::string_view proto = after.substr(0, dash);
  if (proto.empty() || proto.find(' ') != std::string_view::npos) {
    return fail("SSH identification line has no protocol version");
  }
  const std::string_view software_and_comments = after.substr(dash + 1);
  const size_t space = software_and_comments.find(' ');

  SshIdent ident;
  ident.line = std::string(line);
  ident.proto_version = std::string(proto);
  ident.software_version = std::string(software_and_comments.substr(0, space));
  if (space != std::string_view::npos)
    ident.comments = std::string(software_and_comments.substr(space + 1));
  ident.end = loc.end;
  return ident;
}

Result<SshKexInit> parse_ssh_kexinit_packet(std::string_view bytes) {
  ByteReader reader(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
  uint32_t packet_length = 0;
  if (!reader.read_be32(packet_length)) return fail("SSH packet truncated before its length");
  if (packet_length > kSshMaxPacketLength) {
    return fail(fmt::format("SSH packet length {} exceeds {}", packet_length, kSshMaxPacketLength));
  }
  if (packet_length < kMinKexInitPacketLength) {
    return fail(fmt::format("SSH packet length {} is too short for KEXINIT", packet_length));
  }
  auto packet = reader.take(packet_length);
  if (!packet) {
    return fail(
        fmt::format("SSH packet truncated: {} of {} bytes", reader.remaining(), packet_length));
  }
  uint8_t padding_length = 0;
  if (!packet->read_u8(padding_length))
    return fail("SSH packet truncated before its padding length");
  if (uint32_t{padding_length} + 1 > packet_length) {
    return fail(fmt::format("SSH padding length {} does not fit packet length {}", padding_length,
                            packet_length));
  }
  auto payload = packet->take(packet_length - 1 - padding_length);
  if (!payload) return fail("SSH packet payload truncated");

  uint8_t type = 0;
  if (!payload->read_u8(type)) return fail("SSH packet has an empty payload");
  if (type != kSshMsgKexInit) {
    return fail(
        fmt::format("first SSH packet is message {}, not KEXINIT ({})", type, kSshMsgKexInit));
  }
  SshKexInit k;
  if (!payload->read_bytes(k.cookie)) return fail("KEXINIT truncated in its cookie");
  const std::pair<std::vector<std::string>*, std::string_view> lists[] = {
      {&k.kex, "kex_algorithms"},
      {&k.host_key, "server_host_key_algorithms"},
      {&k.cipher_c2s, "encryption_algorithms_client_to_server"},
      {&k.cipher_s2c, "encryption_algorithms_server_to_client"},
      {&k.mac_c2s, "mac_algorithms_client_to_server"},
      {&k.mac_s2c, "mac_algorithms_server_to_client"},
      {&k.compression_c2s, "compression_algorithms_client_to_server"},
      {&k.compression_s2c, "compression_algorithms_server_to_client"},
      {&k.language_c2s, "languages_client_to_server"},
      {&k.language_s2c, "languages_server_to_client"},
  };
  for (const auto& [list, field] : lists) {
    auto names = read_name_list(*payload, field);
    if (!names) return Unexpected(names.error());
    *list = std::move(*names);
  }
  uint8_t follows = 0;
  uint32_t reserved = 0;
  if (!payload->read_u8(follows) || !payload->read_be32(reserved)) {
    return fail("KEXINIT truncated after its name-lists");
  }
  k.first_kex_packet_follows = follows != 0;
  return k;
}

Result<SshServerHello> parse_ssh_server_hello(std::string_view bytes) {
  auto ident = parse_ssh_ident(bytes);
  if (!ident) return Unexpected(ident.error());
  if (!ident->speaks_ssh2()) {
    return fail(
        fmt::format("SSH server speaks only protocol {}: no KEXINIT", ident->proto_version));
  }
  auto kexinit = parse_ssh_kexinit_packet(bytes.substr(ident->end));
  if (!kexinit) return Unexpected(kexinit.error());
  return SshServerHello{std::move(*ident), std::move(*kexinit)};
}

SshProgress ssh_ident_progress(std::string_view bytes) {
  return locate_ident(bytes).progress;
}

SshProgress ssh_server_hello_progress(std::string_view bytes) {
  const IdentLocation loc = locate_ident(bytes);
  if (loc.progress != SshProgress::kComplete) return loc.progress;
  auto ident = parse_ssh_ident(bytes);
  if (!ident) return SshProgress::kInvalid;
  if (!ident->speaks_ssh2()) return SshProgress::kComplete;
  const std::string_view packet = bytes.substr(loc.end);
  if (packet.size() < 4) return SshProgress::kNeedMore;
  const uint32_t length = be32_at(packet);
  if (length > kSshMaxPacketLength || length < kMinKexInitPacketLength)
    return SshProgress::kInvalid;
  if (packet.size() >= 6 && static_cast<uint8_t>(packet[5]) != kSshMsgKexInit)
    return SshProgress::kInvalid;
  return packet.size() - 4 >= length ? SshProgress::kComplete : SshProgress::kNeedMore;
}

}  // namespace portolan::audit
