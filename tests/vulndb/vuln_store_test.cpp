// Importing feeds: the sample OSV and NVD feeds, idempotent re-import,
// malformed feeds and records, directories, withdrawn records.
#include "portolan/vulndb/vuln_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "portolan/vulndb/feed_parser.h"
#include "portolan/vulndb/vuln_db.h"

namespace portolan::vulndb {
namespace {

namespace fs = std::filesystem;

const std::string kSampleOsv = std::string(PORTOLAN_SOURCE_DIR) + "/data/vulndb/sample-osv.json";
const std::string kSampleNvd = std::string(PORTOLAN_SOURCE_DIR) + "/data/vulndb/sample-nvd.json";

class VulnStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("vulndb-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "db" / "vulndb.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }

  VulnDbInfo info() {
    auto db = VulnDb::open(db_path_);
    EXPECT_TRUE(db) << (db ? "" : db.error().message());
    if (!db) return {};
    auto i = (*db)->info();
    EXPECT_TRUE(i);
    return i ? *i : VulnDbInfo{};
  }

  fs::path dir_;
  std::string db_path_;
};

TEST_F(VulnStoreTest, ImportsBothSampleFeeds) {
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store) << store.error().message();
  ImportStats stats;
  ASSERT_TRUE((*store)->import_path(kSampleOsv, stats));
  ASSERT_TRUE((*store)->import_path(kSampleNvd, stats));
  EXPECT_EQ(stats.files, 2u);
  EXPECT_EQ(stats.osv, 4u);
  EXPECT_EQ(stats.nvd, 5u);
  EXPECT_EQ(stats.imported, 9u);
  EXPECT_EQ(stats.skipped_records, 0u);
  store->reset();

  const VulnDbInfo i = info();
  EXPECT_EQ(i.schema_version, kVulnDbSchemaVersion);
  EXPECT_EQ(i.vulnerabilities, 9u);
  EXPECT_EQ(i.cves, 6u);  // 6387, 48795, 2523, 23017, 28856, 0543
  EXPECT_EQ(i.by_source.at("nvd"), 5u);
  EXPECT_EQ(i.by_source.at("osv"), 4u);
  EXPECT_EQ(i.by_ecosystem.at("cpe"), 5u);
  EXPECT_EQ(i.by_ecosystem.at("Debian:12"), 2u);
  EXPECT_EQ(i.by_ecosystem.at("Debian:11"), 1u);
  EXPECT_EQ(i.by_ecosystem.at("Ubuntu:22.04"), 1u);
  EXPECT_EQ(i.by_ecosystem.at("Ubuntu:24.04"), 1u);
  EXPECT_FALSE(i.last_import.empty());
}

TEST_F(VulnStoreTest, ReimportReplacesInsteadOfDuplicating) {
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store);
  ImportStats first, second;
  ASSERT_TRUE((*store)->import_path(kSampleNvd, first));
  ASSERT_TRUE((*store)->import_path(kSampleNvd, second));
  EXPECT_EQ(first.replaced, 0u);
  EXPECT_EQ(second.imported, 5u);
  EXPECT_EQ(second.replaced, 5u);
  // A changed record replaces the stored one, ranges included.
  write("update.json", R"({"vulnerabilities":[{"cve":{"id":"CVE-2011-2523",
      "descriptions":[{"lang":"en","value":"updated text"}],
      "configurations":[{"nodes":[{"cpeMatch":[{"vulnerable":true,
      "criteria":"cpe:2.3:a:vsftpd_project:vsftpd:2.3.5:*:*:*:*:*:*:*"}]}]}]}}]})");
  ImportStats third;
  ASSERT_TRUE((*store)->import_path((dir_ / "update.json").string(), third));
  store->reset();
  const VulnDbInfo i = info();
  EXPECT_EQ(i.vulnerabilities, 5u);
  EXPECT_EQ(i.by_ecosystem.at("cpe"), 5u);

  auto db = VulnDb::open(db_path_);
  ASSERT_TRUE(db);
  ServiceInfo old_vsftpd;
  old_vsftpd.product = "vsftpd";
  old_vsftpd.version = "2.3.4";
  EXPECT_TRUE((*db)->match(old_vsftpd).empty());
  old_vsftpd.version = "2.3.5";
  auto m = (*db)->match(old_vsftpd);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].summary, "updated text");
}

TEST_F(VulnStoreTest, SingleRecordAndDirectoryOfRecords) {
  write("osv/a/GHSA-1.json", R"({"id":"OSV-TEST-1","aliases":["CVE-2099-0001"],"summary":"one",
      "affected":[{"package":{"ecosystem":"Debian:12","name":"nginx"},
      "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.22.1-9+deb12u1"}]}]}]})");
  write("osv/b/OSV-2.json", R"({"id":"OSV-TEST-2","summary":"fuzz",
      "affected":[{"package":{"ecosystem":"OSS-Fuzz","name":"nginx"},
      "ranges":[{"type":"GIT","repo":"https://example.org/x.git","events":[{"introduced":"abc"},{"fixed":"def"}]}]}]})");
  write("osv/b/broken.json", "{\"id\": ");
  write("osv/notes.txt", "not json, not read");
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store);
  ImportStats stats;
  ASSERT_TRUE((*store)->import_path((dir_ / "osv").string(), stats));
  EXPECT_EQ(stats.imported, 2u);
  EXPECT_EQ(stats.skipped_ranges, 1u);   // the GIT range
  EXPECT_EQ(stats.skipped_records, 1u);  // broken.json
  ASSERT_FALSE(stats.problems.empty());
  EXPECT_NE(stats.problems[0].find("broken.json"), std::string::npos) << stats.problems[0];
  store->reset();
  EXPECT_EQ(info().cves, 1u);
}

TEST_F(VulnStoreTest, MalformedRecordsInAFeedAreSkippedAndCounted) {
  write("feed.json", R"([
      {"id":"GOOD-1","affected":[{"package":{"ecosystem":"Debian:12","name":"redis"},
        "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]},
      {"summary":"no id"},
      42,
      {"id":"BAD-2","affected":"not a list"},
      {"id":"BAD-3","affected":[{"package":{"ecosystem":"Debian:12"}}]},
      {"id":"GOOD-4","versions":"ignored","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"versions":["1.0",2]}]}
    ])");
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store);
  ImportStats stats;
  ASSERT_TRUE((*store)->import_path((dir_ / "feed.json").string(), stats));
  EXPECT_EQ(stats.imported, 2u);
  EXPECT_EQ(stats.skipped_records, 4u);
  ASSERT_EQ(stats.problems.size(), 1u);
  EXPECT_NE(stats.problems[0].find("skipped 4 malformed"), std::string::npos) << stats.problems[0];
}

TEST_F(VulnStoreTest, BadFilesAreOneLineErrorsAndStoreNothing) {
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store);
  ImportStats stats;
  write("bad.json", "{\n  \"vulnerabilities\": [ {\"cve\": {\"id\": \"CVE-1\"}} ,, ]\n}");
  auto r = (*store)->import_path((dir_ / "bad.json").string(), stats);
  ASSERT_FALSE(r);
  const std::string msg = r.error().message();
  EXPECT_NE(msg.find("bad.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;

  write("other.json", R"({"hello":"world"})");
  r = (*store)->import_path((dir_ / "other.json").string(), stats);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("neither an OSV record"), std::string::npos);

  write("single.json", R"({"id":"X-1","affected":{"package":1}})");
  r = (*store)->import_path((dir_ / "single.json").string(), stats);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("single.json: OSV record"), std::string::npos)
      << r.error().message();

  r = (*store)->import_path((dir_ / "missing.json").string(), stats);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("missing.json: no such file"), std::string::npos);

  write("nvd11.json", R"({"CVE_Items":[]})");
  r = (*store)->import_path((dir_ / "nvd11.json").string(), stats);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("JSON 1.1"), std::string::npos);
  EXPECT_EQ(stats.imported, 0u);
  store->reset();
  EXPECT_EQ(info().vulnerabilities, 0u);
}

TEST_F(VulnStoreTest, WithdrawnRecordsAreRemoved) {
  write("a.json", R"({"id":"OSV-W-1","affected":[]})");
  write("b.json", R"({"id":"OSV-W-1","withdrawn":"2024-01-01T00:00:00Z"})");
  auto store = VulnStore::open(db_path_);
  ASSERT_TRUE(store);
  ImportStats stats;
  ASSERT_TRUE((*store)->import_path((dir_ / "a.json").string(), stats));
  ASSERT_TRUE((*store)->import_path((dir_ / "b.json").string(), stats));
  EXPECT_EQ(stats.withdrawn, 1u);
  store->reset();
  EXPECT_EQ(info().vulnerabilities, 0u);
}

TEST_F(VulnStoreTest, OpenRejectsOtherDatabasesAndMissingFiles) {
  auto missing = VulnDb::open((dir_ / "none.sqlite").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "no vulnerability database at " +
                                           (dir_ / "none.sqlite").string() +
                                           " (import one: portolan vulndb import FILE)");
  write("text.sqlite", "this is not sqlite at all, just text that is long enough to matter......");
  EXPECT_FALSE(VulnDb::open((dir_ / "text.sqlite").string()));
  EXPECT_FALSE(VulnStore::open((dir_ / "text.sqlite").string()));
}

TEST(FeedParser, NvdCpeUpdateFieldJoinsTheVersion) {
  std::vector<VulnRecord> records;
  auto stats = parse_feed(
      R"({"vulnerabilities":[{"cve":{"id":"CVE-2000-0001","configurations":[{"nodes":[
        {"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:openbsd:openssh:7.2:p1:*:*:*:*:*:*"},
                     {"vulnerable":false,"criteria":"cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*"},
                     {"vulnerable":true,"criteria":"garbage"},
                     {"vulnerable":true,"criteria":"cpe:2.3:a:Example:Thing:*:*:*:*:*:*:*:*",
                      "versionStartExcluding":"1.0","versionEndIncluding":"2.0"}]},
        {"negate":true,"cpeMatch":[]}]}],
        "metrics":{"cvssMetricV31":[{"type":"Primary","cvssData":{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]}}}]})",
      [&](VulnRecord&& r) { records.push_back(std::move(r)); }, [](const std::string&) {});
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats->format, FeedFormat::kNvd);
  EXPECT_EQ(stats->skipped_ranges, 2u);  // garbage criteria, negated node
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].affected.size(), 2u);
  EXPECT_EQ(records[0].affected[0].package, "openbsd:openssh");
  EXPECT_EQ(records[0].affected[0].versions, std::vector<std::string>{"7.2p1"});
  EXPECT_EQ(records[0].affected[1].package, "example:thing");
  ASSERT_EQ(records[0].affected[1].events.size(), 2u);
  EXPECT_EQ(records[0].affected[1].events[0].kind, "introduced_after");
  EXPECT_EQ(records[0].affected[1].events[1].kind, "last_affected");
  ASSERT_TRUE(records[0].score);
  EXPECT_DOUBLE_EQ(*records[0].score, 9.8);  // computed from the vector: no baseScore given
}

TEST(FeedParser, SplitsEcosystems) {
  EXPECT_EQ(split_ecosystem("Debian:12"), std::make_pair(std::string("Debian"), std::string("12")));
  EXPECT_EQ(split_ecosystem("Ubuntu:22.04:LTS"),
            std::make_pair(std::string("Ubuntu"), std::string("22.04")));
  EXPECT_EQ(split_ecosystem("Ubuntu:Pro:18.04:LTS"),
            std::make_pair(std::string("Ubuntu"), std::string("18.04")));
  EXPECT_EQ(split_ecosystem("PyPI"), std::make_pair(std::string("PyPI"), std::string()));
}

}  // namespace
}  // namespace portolan::vulndb
