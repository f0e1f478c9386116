#include "portolan/service/service_db.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace portolan {
namespace {

Result<std::shared_ptr<const ServiceDb>> load(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> files = {{"t.yaml", text}};
  return ServiceDb::load(files);
}

std::string error_of(const std::string& text) {
  auto db = load(text);
  return db ? "" : db.error().message();
}

constexpr const char* kProbes = R"(probes:
  - name: null
    wait-ms: 5000
  - name: get
    send: "GET / HTTP/1.0\r\n\r\n"
    ports: 80, 8000-8010
    services: [http]
    rarity: 2
  - name: bin
    transport: udp
    send-hex: "00 01 ff"
  - name: tls
    send-builtin: tls
)";

TEST(ServiceDb, LoadsProbesAndSignatures) {
  auto db = load(std::string(kProbes) + R"(signatures:
  - id: ssh-openssh
    service: ssh
    probes: [null]
    match: '^SSH-([\d.]+)-OpenSSH_(\S+)'
    product: OpenSSH
    version: $2
    info: protocol $1
    cpe: ['a:openbsd:openssh:$2', 'o:linux:linux_kernel']
  - service: http
    match: '^HTTP/1'
    soft: true
  - service: ssl
    match: '^\x16\x03'
    tunnel: ssl
)");
  ASSERT_TRUE(db) << db.error().message();
  const ServiceDb& d = **db;
  ASSERT_EQ(d.probes().size(), 4u);
  EXPECT_TRUE(d.probe("null")->is_null());
  EXPECT_EQ(d.probe("null")->wait_ms, 5000);
  const ServiceProbe* get = d.probe("get");
  EXPECT_EQ(get->payload, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(get->suits_port(80));
  EXPECT_TRUE(get->suits_port(8005));
  EXPECT_FALSE(get->suits_port(81));
  EXPECT_EQ(get->rarity, 2);
  EXPECT_EQ(get->services, std::vector<std::string>{"http"});
  EXPECT_EQ(d.probe("bin")->payload, std::string("\x00\x01\xff", 3));
  EXPECT_EQ(d.probe("bin")->transport, ProbeTransport::kUdp);
  EXPECT_TRUE(d.probe("tls")->tls_handshake);
  ASSERT_EQ(d.signatures().size(), 3u);
  EXPECT_EQ(d.signatures()[0].id, "ssh-openssh");
  EXPECT_EQ(d.signatures()[0].probes, std::vector<std::string>{"null"});
  EXPECT_EQ(d.signatures()[1].id, "t.yaml#2");
  EXPECT_TRUE(d.signatures()[1].soft);
  EXPECT_TRUE(d.signatures()[2].tunnel_tls);
}

TEST(ServiceDb, EveryMistakeIsOneLineWithItsPlace) {
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\n    colour: red\n"),
            "t.yaml: line 2: unknown probe key 'colour'");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\n  - name: a\n    send: y\n"),
            "t.yaml: line 4: probe 'a' is defined twice");
  EXPECT_EQ(error_of("probes:\n  - name: a\n"),
            "t.yaml: line 2: probe 'a' sends nothing (only 'null' may)");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send-hex: 'zz'\n"),
            "t.yaml: line 2: 'send-hex' has 'z', which is not a hex digit");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send-hex: '0'\n"),
            "t.yaml: line 2: 'send-hex' has an odd number of hex digits");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\n    rarity: 12\n"),
            "t.yaml: line 2: 'rarity' must be between 1 and 9");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\n    ports: 80-20\n"),
            "t.yaml: line 2: 'ports' has a bad entry '80-20'");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\n    transport: sctp\n"),
            "t.yaml: line 2: 'transport' must be tcp or udp, not 'sctp'");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: \"\\xe9\"\n"),
            "t.yaml: line 2: 'send' must be ASCII; use send-hex for other bytes");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\nsignatures:\n  - match: x\n"),
            "t.yaml: line 5: a signature needs a service");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\nsignatures:\n  - service: s\n    match: "
                     "'(x'\n"),
            "t.yaml: line 5: pattern does not compile at offset 2: missing closing parenthesis");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\nsignatures:\n  - service: s\n    match: "
                     "x\n    version: $1\n"),
            "t.yaml: line 5: 'version': template uses $1 but the pattern has 0 capture groups");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\nsignatures:\n  - service: s\n    match: "
                     "x\n    probes: [b]\n"),
            "signature 't.yaml#1' names probe 'b', which no file defines");
  EXPECT_EQ(error_of("probes:\n  - name: a\n    send: x\nsignatures:\n  - service: s\n    match: "
                     "x\n    cpe: [openssh]\n"),
            "t.yaml: line 5: cpe 'openssh' must start with a:, o: or h: (cpe:/ is added)");
  EXPECT_EQ(error_of("colours: []\n"),
            "t.yaml: line 1: unknown section 'colours' (probes or signatures)");
  EXPECT_EQ(error_of("probes: [\n"), "t.yaml: line 2: end of sequence flow not found");
  EXPECT_EQ(error_of("signatures: []\n"), "the service database defines no probes");
}

TEST(ServiceDb, LoadsADirectoryInNameOrder) {
  const auto dir = std::filesystem::temp_directory_path() / "portolan_service_db_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.yaml") << "signatures:\n  - service: b\n    match: b\n";
  std::ofstream(dir / "a.yaml") << "probes:\n  - name: null\n";
  std::ofstream(dir / "notes.txt") << "not yaml: [";
  auto db = ServiceDb::load_path(dir.string());
  ASSERT_TRUE(db) << db.error().message();
  EXPECT_EQ((*db)->signatures().at(0).id, "b.yaml#1");
  auto missing = ServiceDb::load_path((dir / "none").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("no such file or directory"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ServiceDb, BuiltinLoads) {
  auto db = ServiceDb::builtin();
  ASSERT_TRUE(db) << db.error().message();
  EXPECT_NE((*db)->probe("null"), nullptr);
  EXPECT_NE((*db)->probe("tls"), nullptr);
}

}  // namespace
}  // namespace portolan
