#include "portolan/service/signature_matcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "portolan/service/probe_plan.h"

namespace portolan {
namespace {

std::shared_ptr<const ServiceDb> db_of(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> files = {{"t.yaml", text}};
  auto db = ServiceDb::load(files);
  EXPECT_TRUE(db) << (db ? "" : db.error().message());
  return db ? *db : nullptr;
}

constexpr const char* kDb = R"(probes:
  - name: null
  - name: get
    send: "GET / HTTP/1.0\r\n\r\n"
    ports: 80,8080
    services: [http]
    rarity: 1
  - name: lines
    send: "\r\n\r\n"
    rarity: 1
  - name: redis
    send: "PING\r\n"
    ports: 6379
    services: [redis]
    rarity: 8
  - name: rare
    send: "x"
    services: [http]
    rarity: 9
  - name: tls
    send-builtin: tls
    ports: 443
    rarity: 1
signatures:
  - service: http
    match: '^HTTP/1\.[01] \d+'
    soft: true
  - id: nginx
    service: http
    match: '^HTTP/1\.[01] \d+.*?\r\nServer: nginx/([\d.]+)'
    flags: s
    product: nginx
    version: $1
    cpe: ['a:igor_sysoev:nginx:$1']
  - id: banner-only
    service: ftp
    probes: [null]
    match: '^220 \(vsFTPd ([\d.]+)\)(x)?'
    product: vsftpd
    version: $1
    cpe: ['a:vsftpd:vsftpd:$1', 'o:linux:linux_kernel:$2']
  - id: slow
    service: trap
    match: '^(a+)+b'
)";

TEST(SignatureMatcher, HardMatchBeatsAnEarlierSoftOne) {
  SignatureMatcher m(db_of(kDb));
  auto r = m.match("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n", "get");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->soft);
  EXPECT_EQ(r->service, "http");
  EXPECT_EQ(r->product, "nginx");
  EXPECT_EQ(r->version, "1.22.1");
  EXPECT_EQ(r->cpe, std::vector<std::string>{"cpe:/a:igor_sysoev:nginx:1.22.1"});
  EXPECT_EQ(r->signature->id, "nginx");
}

TEST(SignatureMatcher, SoftWhenNothingHarder) {
  SignatureMatcher m(db_of(kDb));
  auto r = m.match("HTTP/1.0 404 Not Found\r\n\r\n", "get");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->soft);
  EXPECT_EQ(r->service, "http");
  EXPECT_TRUE(r->product.empty());
}

TEST(SignatureMatcher, ProbeRestrictionAndEmptyCpeParts) {
  SignatureMatcher m(db_of(kDb));
  EXPECT_FALSE(m.match("220 (vsFTPd 3.0.3)\r\n", "get"));
  auto r = m.match("220 (vsFTPd 3.0.3)\r\n", "null");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "3.0.3");
  // A group that is never set leaves "o:linux:linux_kernel:" -> trailing colon dropped.
  ASSERT_EQ(r->cpe.size(), 2u);
  EXPECT_EQ(r->cpe[1], "cpe:/o:linux:linux_kernel");
}

TEST(SignatureMatcher, NothingForEmptyOrGarbage) {
  SignatureMatcher m(db_of(kDb));
  EXPECT_FALSE(m.match("", "null"));
  EXPECT_FALSE(m.match(std::string("\x00\xff\x13garbage", 10), "lines"));
}

TEST(SignatureMatcher, CatastrophicPatternIsBounded) {
  SignatureMatcher m(db_of(kDb));
  const std::string hostile(16 * 1024, 'a');  // '^(a+)+b' backtracks exponentially
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(m.match(hostile, "null"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ProbePlan, OwnPortsFirstThenRarity) {
  auto db = db_of(kDb);
  auto names = [](const std::vector<const ServiceProbe*>& plan) {
    std::vector<std::string> out;
    for (const auto* p : plan) out.push_back(p->name);
    return out;
  };
  // Port 6379: the rare redis probe still goes first; null is never in the plan.
  EXPECT_EQ(names(plan_probes(*db, {ProbeTransport::kTcp, 6379, 7, false})),
            (std::vector<std::string>{"redis", "get", "lines", "tls"}));
  EXPECT_EQ(names(plan_probes(*db, {ProbeTransport::kTcp, 443, 7, false})),
            (std::vector<std::string>{"tls", "get", "lines"}));
  EXPECT_EQ(names(plan_probes(*db, {ProbeTransport::kTcp, 443, 7, true})),
            (std::vector<std::string>{"get", "lines"}));
  EXPECT_EQ(names(plan_probes(*db, {ProbeTransport::kTcp, 1234, 9, false})),
            (std::vector<std::string>{"get", "lines", "tls", "redis", "rare"}));
  EXPECT_EQ(names(plan_probes(*db, {ProbeTransport::kTcp, 1234, 0, false})),
            std::vector<std::string>{});
  EXPECT_TRUE(plan_probes(*db, {ProbeTransport::kUdp, 53, 9, false}).empty());
  EXPECT_EQ(
      names(narrow_to_service(plan_probes(*db, {ProbeTransport::kTcp, 1234, 9, false}), "http")),
      (std::vector<std::string>{"get", "rare"}));
}

}  // namespace
}  // namespace portolan
