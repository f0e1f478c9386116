// Our ClientHello against golden bytes worked out by hand from RFC 5246,
// and the ServerHello/alert parser on answers captured from Debian 12's nginx
// (captures/tls/), on those answers re-cut into other record layouts, and on
// truncated, oversized and garbage input.
#include "portolan/audit/tls_hello.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"
#include "portolan/audit/tls_cipher_suites.h"

namespace portolan::audit {
namespace {

std::string read_capture(const std::string& name) {
  return load_capture("tls/" + name);
}

std::string from_hex(std::string_view hex) {
  std::string out;
  int nibbles = 0;
  unsigned value = 0;
  for (char c : hex) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (v < 0) continue;
    value = (value << 4) | static_cast<unsigned>(v);
    if (++nibbles == 2) {
      out += static_cast<char>(value);
      nibbles = 0;
      value = 0;
    }
  }
  return out;
}

struct Record {
  uint8_t type;
  std::string fragment;
};

std::vector<Record> records_of(std::string_view bytes) {
  std::vector<Record> out;
  size_t i = 0;
  while (i + 5 <= bytes.size()) {
    const size_t length =
        (static_cast<uint8_t>(bytes[i + 3]) << 8) | static_cast<uint8_t>(bytes[i + 4]);
    out.push_back({static_cast<uint8_t>(bytes[i]), std::string(bytes.substr(i + 5, length))});
    i += 5 + length;
  }
  return out;
}

std::string record(uint8_t type, uint16_t version, std::string_view fragment) {
  std::string out;
  out += static_cast<char>(type);
  out += static_cast<char>(version >> 8);
  out += static_cast<char>(version);
  out += static_cast<char>(fragment.size() >> 8);
  out += static_cast<char>(fragment.size());
  out += fragment;
  return out;
}

TEST(TlsClientHello, GoldenBytesWithSni) {
  ClientHelloOptions o;
  o.record_version = kTls10;
  o.client_version = kTls12;
  o.cipher_suites = {0x000a, 0xc012};
  o.sni = "a.io";
  o.random.fill(0x11);
  const std::string expected = from_hex(
      "16 0301 0077"  // handshake record, TLS 1.0 record layer, 119 bytes
      "01 000073"     // ClientHello, 115 bytes
      "0303"          // client_version TLS 1.2
      "1111111111111111111111111111111111111111111111111111111111111111"
      "00"                                  // no session id
      "0004 000a c012"                      // two suites
      "01 00"                               // compression: null
      "0046"                                // 70 bytes of extensions
      "0000 0009 0007 00 0004 612e696f"     // server_name host_name "a.io"
      "000a 000a 0008 001d 0017 0018 0019"  // supported_groups
      "000b 0002 01 00"                     // ec_point_formats: uncompressed
      "000d 001c 001a 0401 0501 0601 0403 0503 0603 0804 0805 0806 0201 0203 0402 0202"
      "ff01 0001 00");  // renegotiation_info, empty
  EXPECT_EQ(build_client_hello(o), expected);
}

TEST(TlsClientHello, Sslv3WithoutExtensions) {
  ClientHelloOptions o;
  o.record_version = kSsl3;
  o.client_version = kSsl3;
  o.extensions = false;
  o.cipher_suites = {0x000a, 0x00ff};
  o.sni = "ignored.example";  // SNI is an extension: not sent
  const std::string expected = from_hex(
      "16 0300 002f 01 00002b 0300"
      "0000000000000000000000000000000000000000000000000000000000000000"
      "00 0004 000a 00ff 01 00");
  EXPECT_EQ(build_client_hello(o), expected);
}

TEST(TlsClientHello, CapturedHelloIsWhatTheBuilderMakes) {
  // The hello that got nginx_weak_tls12_anon.bin: every weak suite, random 0..31.
  ClientHelloOptions o;
  for (const auto& s : weak_cipher_suites()) o.cipher_suites.push_back(s.id);
  for (size_t i = 0; i < o.random.size(); ++i) o.random[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(build_client_hello(o), read_capture("client_hello_tls12_weak.bin"));
}

TEST(TlsServerAnswer, CapturedServerHellos) {
  auto anon = parse_server_answer(read_capture("nginx_weak_tls12_anon.bin"));
  ASSERT_EQ(anon.kind, ServerAnswer::Kind::kServerHello) << anon.problem;
  EXPECT_EQ(anon.version, kTls12);
  EXPECT_EQ(anon.record_version, kTls12);
  EXPECT_EQ(anon.cipher_suite, 0xc019);

  auto null = parse_server_answer(read_capture("nginx_weak_tls10_null.bin"));
  ASSERT_EQ(null.kind, ServerAnswer::Kind::kServerHello) << null.problem;
  EXPECT_EQ(null.version, kTls10);
  EXPECT_EQ(null.cipher_suite, 0xc010);

  auto good = parse_server_answer(read_capture("nginx_good_tls12_ecdhe_rsa.bin"));
  ASSERT_EQ(good.kind, ServerAnswer::Kind::kServerHello) << good.problem;
  EXPECT_EQ(good.version, kTls12);
  EXPECT_EQ(good.cipher_suite, 0xc02f);

  auto sslv3 = parse_server_answer(read_capture("synthetic_sslv3_server_hello.bin"));
  ASSERT_EQ(sslv3.kind, ServerAnswer::Kind::kServerHello) << sslv3.problem;
  EXPECT_EQ(sslv3.version, kSsl3);
  EXPECT_EQ(sslv3.cipher_suite, 0x000a);
}

TEST(TlsServerAnswer, CapturedAlerts) {
  struct Case {
    const char* file;
    uint8_t description;
  };
  for (const Case& c : {Case{"nginx_good_tls12_handshake_failure.bin", kAlertHandshakeFailure},
                        Case{"nginx_good_tls10_protocol_version.bin", kAlertProtocolVersion},
                        Case{"nginx_weak_sslv3_alert.bin", kAlertHandshakeFailure}}) {
    auto a = parse_server_answer(read_capture(c.file));
    ASSERT_EQ(a.kind, ServerAnswer::Kind::kAlert) << c.file;
    EXPECT_EQ(a.alert_level, 2) << c.file;
    EXPECT_EQ(a.alert_description, c.description) << c.file;
  }
  EXPECT_EQ(describe_alert(kAlertProtocolVersion), "protocol_version (70)");
  EXPECT_EQ(describe_alert(200), "alert 200");
}

TEST(TlsServerAnswer, EveryPrefixIsIncompleteUntilTheServerHelloRecordEnds) {
  const std::string capture = read_capture("nginx_weak_tls10_null.bin");
  const size_t first_record = 5 + records_of(capture)[0].fragment.size();
  for (size_t n = 0; n <= capture.size(); ++n) {
    auto a = parse_server_answer(std::string_view(capture).substr(0, n));
    if (n < first_record) {
      EXPECT_EQ(a.kind, ServerAnswer::Kind::kIncomplete) << n;
    } else {
      EXPECT_EQ(a.kind, ServerAnswer::Kind::kServerHello) << n;
      EXPECT_EQ(a.cipher_suite, 0xc010);
    }
  }
}

TEST(TlsServerAnswer, SeveralMessagesInOneRecord) {
  // nginx sends one message per record; other servers pack ServerHello,
  // Certificate and ServerHelloDone into one.
  const std::string capture = read_capture("nginx_weak_tls10_null.bin");
  std::string all;
  for (const auto& r : records_of(capture)) all += r.fragment;
  auto a = parse_server_answer(record(22, kTls10, all));
  ASSERT_EQ(a.kind, ServerAnswer::Kind::kServerHello) << a.problem;
  EXPECT_EQ(a.cipher_suite, 0xc010);
}

TEST(TlsServerAnswer, ServerHelloSplitAcrossRecords) {
  const std::string hello = records_of(read_capture("nginx_weak_tls12_anon.bin"))[0].fragment;
  for (size_t cut : {size_t{1}, size_t{3}, size_t{4}, size_t{40}, hello.size() - 1}) {
    std::string split = record(22, kTls12, hello.substr(0, cut));
    auto partial = parse_server_answer(split);
    EXPECT_EQ(partial.kind, ServerAnswer::Kind::kIncomplete) << cut;
    split += record(22, kTls12, hello.substr(cut));
    auto a = parse_server_answer(split);
    ASSERT_EQ(a.kind, ServerAnswer::Kind::kServerHello) << cut << " " << a.problem;
    EXPECT_EQ(a.cipher_suite, 0xc019);
  }
  // Three records, the middle one empty.
  auto a = parse_server_answer(record(22, kTls12, hello.substr(0, 10)) + record(22, kTls12, "") +
                               record(22, kTls12, hello.substr(10)));
  EXPECT_EQ(a.kind, ServerAnswer::Kind::kServerHello);
}

TEST(TlsServerAnswer, SupportedVersionsOverridesTheLegacyVersion) {
  // A TLS 1.3 ServerHello: legacy 0x0303, supported_versions 0x0304.
  std::string body =
      from_hex("0303") + std::string(32, '\x22') + from_hex("00 1301 00 0006 002b 0002 0304");
  std::string message = from_hex("02 0000") + static_cast<char>(body.size()) + body;
  auto a = parse_server_answer(record(22, kTls12, message));
  ASSERT_EQ(a.kind, ServerAnswer::Kind::kServerHello) << a.problem;
  EXPECT_EQ(a.version, kTls13);
  EXPECT_EQ(a.cipher_suite, 0x1301);
}

TEST(TlsServerAnswer, RejectsWhatIsNotAServerHello) {
  auto malformed = [](std::string_view bytes) {
    auto a = parse_server_answer(bytes);
    EXPECT_EQ(a.kind, ServerAnswer::Kind::kMalformed) << a.problem;
    EXPECT_FALSE(a.problem.empty());
    return a.problem;
  };
  EXPECT_NE(malformed("HTTP/1.1 400 Bad Request\r\n\r\n").find("not a TLS record"),
            std::string::npos);
  EXPECT_NE(malformed(from_hex("8003 0000 01")).find("SSLv2"), std::string::npos);
  malformed(from_hex("16 0203 0004 02000000"));                    // record version 2.3
  malformed(from_hex("16 0303 4801") + std::string(10, '\0'));     // a record longer than allowed
  malformed(record(22, kTls12, from_hex("0b 000003 000000")));     // Certificate first
  malformed(record(20, kTls12, from_hex("01")));                   // ChangeCipherSpec first
  malformed(record(21, kTls12, from_hex("02")));                   // alert of one byte
  malformed(record(22, kTls12, from_hex("02 010000")));            // a ServerHello of 64 KiB
  malformed(record(22, kTls12, from_hex("02 000004 0303 0000")));  // truncated body
  // Session id length 33.
  std::string body = from_hex("0303") + std::string(32, '\0') + "\x21" + std::string(33, '\0') +
                     from_hex("000a 00");
  malformed(record(22, kTls12, from_hex("02 0000") + static_cast<char>(body.size()) + body));
  // Extensions longer than the message.
  body = from_hex("0303") + std::string(32, '\0') + from_hex("00 000a 00 0010 ff01 0001 00");
  malformed(record(22, kTls12, from_hex("02 0000") + static_cast<char>(body.size()) + body));
}

TEST(TlsServerAnswer, SilenceAndHeadersAreIncomplete) {
  EXPECT_EQ(parse_server_answer("").kind, ServerAnswer::Kind::kIncomplete);
  EXPECT_EQ(parse_server_answer(from_hex("16")).kind, ServerAnswer::Kind::kIncomplete);
  EXPECT_EQ(parse_server_answer(from_hex("16 0303 00")).kind, ServerAnswer::Kind::kIncomplete);
  EXPECT_EQ(parse_server_answer(from_hex("15 0303 0002 02")).kind, ServerAnswer::Kind::kIncomplete);
}

TEST(TlsVersions, NamesRoundTrip) {
  for (uint16_t v : {kSsl3, kTls10, kTls11, kTls12, kTls13}) {
    EXPECT_EQ(tls_version_from_name(tls_version_name(v)), v);
  }
  EXPECT_EQ(tls_version_name(0x7f1c), "0x7f1c");
  EXPECT_FALSE(tls_version_from_name("TLSv1.4"));
}

TEST(TlsCipherSuites, TableIsConsistent) {
  for (const auto& s : weak_cipher_suites()) {
    EXPECT_NE(s.weakness, CipherWeakness::kNone) << s.name;
    EXPECT_EQ(s.name.rfind("TLS_", 0), 0u) << s.name;
    const CipherSuite* found = find_cipher_suite(s.id);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->name, s.name);
    // The class follows from the IANA name.
    if (s.name.find("_NULL_") != std::string_view::npos) {
      EXPECT_EQ(s.weakness, CipherWeakness::kNull) << s.name;
    } else if (s.name.find("_anon_") != std::string_view::npos) {
      EXPECT_EQ(s.weakness, CipherWeakness::kAnon) << s.name;
    } else if (s.name.find("EXPORT") != std::string_view::npos) {
      EXPECT_EQ(s.weakness, CipherWeakness::kExport) << s.name;
    }
  }
  for (const auto& s : sslv3_cipher_suites()) {
    EXPECT_EQ(find_cipher_suite(s.id)->name, s.name) << "same id, two names";
  }
  EXPECT_EQ(describe_cipher_suite(0x000a), "TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a)");
  EXPECT_EQ(describe_cipher_suite(0x1301), "unknown (0x1301)");
}

}  // namespace
}  // namespace portolan::audit
