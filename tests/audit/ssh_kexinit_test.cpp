// The SSH identification and KEXINIT parsers on bytes captured from real
// Debian servers (captures/ssh/) and on truncated, oversized and garbage input.
#include "portolan/audit/ssh_kexinit.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string read_capture(const std::string& name) {
  return load_capture("ssh/" + name);
}

void put_be32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

// A KEXINIT payload with `lists` as its ten name-lists (fewer: the rest empty).
std::string kexinit_payload(const std::vector<std::string>& lists, bool with_tail = true) {
  std::string p(1, static_cast<char>(kSshMsgKexInit));
  p += std::string(16, '\x5a');
  for (size_t i = 0; i < 10; ++i) {
    const std::string list = i < lists.size() ? lists[i] : std::string();
    put_be32(p, static_cast<uint32_t>(list.size()));
    p += list;
  }
  if (with_tail) {
    p += '\0';
    put_be32(p, 0);
  }
  return p;
}

// A binary packet around `payload`: uint32 length, padding length, payload, padding.
std::string packet(const std::string& payload, uint8_t padding = 4) {
  std::string out;
  put_be32(out, static_cast<uint32_t>(1 + payload.size() + padding));
  out += static_cast<char>(padding);
  out += payload;
  out += std::string(padding, '\0');
  return out;
}

const std::vector<std::string> kSmallLists = {
    "curve25519-sha256", "ssh-ed25519",   "aes128-ctr", "aes128-ctr",
    "hmac-sha2-256",     "hmac-sha2-256", "none",       "none"};

TEST(SshKexInit, ParsesOpenSshDefaultCapture) {
  const std::string bytes = read_capture("openssh-9.2p1-default.bin");
  auto hello = parse_ssh_server_hello(bytes);
  ASSERT_TRUE(hello) << hello.error().message();
  EXPECT_EQ(hello->ident.line, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
  EXPECT_EQ(hello->ident.proto_version, "2.0");
  EXPECT_EQ(hello->ident.software_version, "OpenSSH_9.2p1");
  EXPECT_EQ(hello->ident.comments, "Debian-2+deb12u10");
  EXPECT_EQ(hello->ident.end, 41u);
  EXPECT_TRUE(hello->ident.speaks_ssh2());
  EXPECT_FALSE(hello->ident.speaks_ssh1());

  const SshKexInit& k = hello->kexinit;
  ASSERT_EQ(k.kex.size(), 12u);
  EXPECT_EQ(k.kex.front(), "sntrup761x25519-sha512");
  EXPECT_EQ(k.kex.back(), "kex-strict-s-v00@openssh.com");
  EXPECT_EQ(k.host_key, (std::vector<std::string>{"rsa-sha2-512", "rsa-sha2-256",
                                                  "ecdsa-sha2-nistp256", "ssh-ed25519"}));
  ASSERT_EQ(k.cipher_c2s.size(), 6u);
  EXPECT_EQ(k.cipher_c2s.front(), "chacha20-poly1305@openssh.com");
  EXPECT_EQ(k.cipher_c2s, k.cipher_s2c);
  ASSERT_EQ(k.mac_s2c.size(), 10u);
  EXPECT_EQ(k.mac_s2c.front(), "umac-64-etm@openssh.com");
  EXPECT_EQ(k.mac_s2c.back(), "hmac-sha1");
  EXPECT_EQ(k.compression_c2s, (std::vector<std::string>{"none", "zlib@openssh.com"}));
  EXPECT_TRUE(k.language_c2s.empty());
  EXPECT_TRUE(k.language_s2c.empty());
  EXPECT_FALSE(k.first_kex_packet_follows);
  EXPECT_EQ(ssh_server_hello_progress(bytes), SshProgress::kComplete);
}

TEST(SshKexInit, ParsesDropbearCapture) {
  const std::string bytes = read_capture("dropbear-2022.83-default.bin");
  auto hello = parse_ssh_server_hello(bytes);
  ASSERT_TRUE(hello) << hello.error().message();
  EXPECT_EQ(hello->ident.software_version, "dropbear_2022.83");
  EXPECT_EQ(hello->ident.comments, "");
  EXPECT_EQ(hello->kexinit.host_key, (std::vector<std::string>{"ssh-ed25519", "ecdsa-sha2-nistp256",
                                                               "rsa-sha2-256", "ssh-rsa"}));
  EXPECT_EQ(hello->kexinit.kex.at(7), "kexguess2@matt.ucc.asn.au");
  EXPECT_EQ(hello->kexinit.mac_c2s, (std::vector<std::string>{"hmac-sha1", "hmac-sha2-256"}));
}

TEST(SshKexInit, ParsesWeakAndHardenedCaptures) {
  auto weak = parse_ssh_server_hello(read_capture("openssh-9.2p1-weak.bin"));
  ASSERT_TRUE(weak) << weak.error().message();
  EXPECT_EQ(weak->kexinit.cipher_s2c.back(), "aes128-cbc");
  EXPECT_EQ(weak->kexinit.mac_s2c.back(), "hmac-sha1-96");
  auto hardened = parse_ssh_server_hello(read_capture("openssh-9.2p1-hardened.bin"));
  ASSERT_TRUE(hardened) << hardened.error().message();
  EXPECT_EQ(hardened->kexinit.host_key,
            (std::vector<std::string>{"ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"}));
}

TEST(SshKexInit, EveryTruncationNeedsMoreAndNeverParses) {
  for (const char* name : {"openssh-9.2p1-default.bin", "openssh-9.2p1-weak.bin",
                           "openssh-9.2p1-hardened.bin", "dropbear-2022.83-default.bin"}) {
    const std::string bytes = read_capture(name);
    ASSERT_FALSE(bytes.empty());
    for (size_t n = 0; n < bytes.size(); ++n) {
      const std::string_view cut(bytes.data(), n);
      EXPECT_EQ(ssh_server_hello_progress(cut), SshProgress::kNeedMore) << name << " cut at " << n;
      EXPECT_FALSE(parse_ssh_server_hello(cut)) << name << " cut at " << n;
    }
  }
}

TEST(SshKexInit, AcceptsLinesBeforeTheIdentificationAndBareLf) {
  const std::string body = packet(kexinit_payload(kSmallLists));
  const std::string bytes =
      "Welcome to the lab\r\nsecond line\n" + std::string("SSH-2.0-Test_1.0\n") + body;
  auto hello = parse_ssh_server_hello(bytes);
  ASSERT_TRUE(hello) << hello.error().message();
  EXPECT_EQ(hello->ident.line, "SSH-2.0-Test_1.0");
  EXPECT_EQ(hello->ident.software_version, "Test_1.0");
  EXPECT_EQ(hello->ident.end, bytes.size() - body.size());
  EXPECT_EQ(hello->kexinit.kex, std::vector<std::string>{"curve25519-sha256"});
  EXPECT_EQ(hello->kexinit.cookie[0], 0x5a);
  // Bytes after the packet (the next packet) are not this parser's business.
  EXPECT_TRUE(parse_ssh_server_hello(bytes + "trailing"));
}

TEST(SshKexInit, ProtocolVersions) {
  auto v199 = parse_ssh_ident("SSH-1.99-OpenSSH_3.9p1\r\n");
  ASSERT_TRUE(v199);
  EXPECT_TRUE(v199->speaks_ssh1());
  EXPECT_TRUE(v199->speaks_ssh2());
  auto v15 = parse_ssh_ident("SSH-1.5-Cisco-1.25\r\n");
  ASSERT_TRUE(v15);
  EXPECT_TRUE(v15->speaks_ssh1());
  EXPECT_FALSE(v15->speaks_ssh2());
  // An SSH-1-only server sends no KEXINIT: reading is done, parsing says why.
  EXPECT_EQ(ssh_server_hello_progress("SSH-1.5-Cisco-1.25\r\n"), SshProgress::kComplete);
  auto hello = parse_ssh_server_hello("SSH-1.5-Cisco-1.25\r\n");
  ASSERT_FALSE(hello);
  EXPECT_NE(hello.error().message().find("only protocol 1.5"), std::string::npos);
}

TEST(SshKexInit, RejectsBadIdentificationLines) {
  const std::string long_line = "SSH-2.0-" + std::string(300, 'a');
  EXPECT_EQ(ssh_ident_progress(long_line), SshProgress::kInvalid);
  EXPECT_FALSE(parse_ssh_ident(long_line + "\r\n"));
  EXPECT_EQ(ssh_ident_progress(long_line + "\r\n"), SshProgress::kInvalid);

  std::string chatter;
  while (chatter.size() <= kSshMaxPreamble) chatter += "not an ssh server at all\r\n";
  EXPECT_EQ(ssh_ident_progress(chatter), SshProgress::kInvalid);
  auto no_ident = parse_ssh_ident(chatter + "SSH-2.0-Late\r\n");
  ASSERT_FALSE(no_ident);
  EXPECT_NE(no_ident.error().message().find("no SSH identification line"), std::string::npos);
  EXPECT_EQ(ssh_ident_progress(std::string(kSshMaxPreamble + 1, 'x')), SshProgress::kInvalid);

  EXPECT_FALSE(parse_ssh_ident("SSH-2.0\r\n"));
  EXPECT_FALSE(parse_ssh_ident("SSH--OpenSSH\r\n"));
  EXPECT_FALSE(parse_ssh_ident(std::string("SSH-2.0-Open\0SSH\r\n", 18)));
  EXPECT_FALSE(parse_ssh_ident("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_EQ(ssh_ident_progress("HTTP/1.1 400 Bad Request\r\n"), SshProgress::kNeedMore);
  EXPECT_EQ(ssh_ident_progress("SS"), SshProgress::kNeedMore);
  EXPECT_EQ(ssh_ident_progress(""), SshProgress::kNeedMore);
}

TEST(SshKexInit, RejectsOutOfRangeLengths) {
  const std::string ident = "SSH-2.0-Test\r\n";
  const std::string good = packet(kexinit_payload(kSmallLists));
  ASSERT_TRUE(parse_ssh_kexinit_packet(good));

  std::string huge = good;
  huge[0] = huge[1] = huge[2] = huge[3] = '\xff';
  EXPECT_FALSE(parse_ssh_kexinit_packet(huge));
  EXPECT_EQ(ssh_server_hello_progress(ident + huge), SshProgress::kInvalid);

  std::string over;
  put_be32(over, kSshMaxPacketLength + 1);
  over += std::string(64, '\0');
  auto e = parse_ssh_kexinit_packet(over);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message().find("exceeds 35000"), std::string::npos);
  EXPECT_EQ(ssh_server_hello_progress(ident + over), SshProgress::kInvalid);

  std::string tiny;
  put_be32(tiny, 12);
  tiny += std::string(12, '\0');
  EXPECT_FALSE(parse_ssh_kexinit_packet(tiny));
  EXPECT_EQ(ssh_server_hello_progress(ident + tiny), SshProgress::kInvalid);

  // Padding longer than the packet.
  std::string padding = good;
  padding[4] = '\xff';
  EXPECT_FALSE(parse_ssh_kexinit_packet(padding));

  // A name-list length beyond the payload.
  std::string payload = kexinit_payload(kSmallLists);
  payload[17] = '\x7f';
  EXPECT_FALSE(parse_ssh_kexinit_packet(packet(payload)));

  // Name-lists complete, but no boolean and reserved field.
  auto no_tail = parse_ssh_kexinit_packet(packet(kexinit_payload(kSmallLists, false)));
  EXPECT_FALSE(no_tail);
}

TEST(SshKexInit, RejectsOtherMessagesAndBadNames) {
  std::string payload = kexinit_payload(kSmallLists);
  payload[0] = 21;
  auto other = parse_ssh_kexinit_packet(packet(payload));
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message().find("message 21"), std::string::npos);
  EXPECT_EQ(ssh_server_hello_progress("SSH-2.0-T\r\n" + packet(payload)), SshProgress::kInvalid);

  auto empty_name = parse_ssh_kexinit_packet(packet(kexinit_payload({"a,,b"})));
  ASSERT_FALSE(empty_name);
  EXPECT_NE(empty_name.error().message().find("kex_algorithms has an empty algorithm name"),
            std::string::npos);
  EXPECT_FALSE(parse_ssh_kexinit_packet(packet(kexinit_payload({"a,"}))));
  EXPECT_FALSE(
      parse_ssh_kexinit_packet(packet(kexinit_payload({"ok", std::string("ssh-\x01rsa")}))));
  EXPECT_FALSE(parse_ssh_kexinit_packet(packet(kexinit_payload({"ok", "ssh rsa"}))));
}

TEST(SshKexInit, GarbageNeverParses) {
  uint32_t seed = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = "SSH-2.0-Fuzz\r\n";
    const size_t n = 1 + static_cast<size_t>(round % 300);
    for (size_t i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      bytes += static_cast<char>(seed >> 16);
    }
    // Whatever the verdict, it must be reached without reading out of bounds
    // (the sanitizer builds check that), and a parse means completeness.
    if (parse_ssh_server_hello(bytes)) {
      EXPECT_EQ(ssh_server_hello_progress(bytes), SshProgress::kComplete);
    }
  }
}

}  // namespace
}  // namespace portolan::audit
