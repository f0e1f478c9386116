// Matching detected services against the sample feeds: distribution
// backports (Debian fixed, Debian still vulnerable, no distribution data),
// plain upstream builds, and reading versions out of -sV results.
#include "portolan/vulndb/vuln_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "portolan/vulndb/detected_service.h"
#include "portolan/vulndb/vuln_store.h"

#include "../support/sample_vulndb.h"

namespace portolan {
namespace {

namespace fs = std::filesystem;

class VulnDbMatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = testing::open_sample_vulndb("vulndb-match-test", path_);
    ASSERT_TRUE(db) << db.error().message();
    db_ = *db;
  }
  static void TearDownTestSuite() {
    db_.reset();
    fs::remove(path_);
  }

  static ServiceInfo service(std::string product, std::string version, std::string cpe = {}) {
    ServiceInfo s;
    s.product = std::move(product);
    s.version = std::move(version);
    if (!cpe.empty()) s.cpe.push_back(std::move(cpe));
    return s;
  }
  static ServiceInfo openssh(const std::string& version, const std::string& upstream) {
    return service("OpenSSH", version, "cpe:/a:openbsd:openssh:" + upstream);
  }
  static const VulnMatch* find(const std::vector<VulnMatch>& ms, const std::string& cve) {
    for (const auto& m : ms) {
      if (m.cve == cve) return &m;
    }
    return nullptr;
  }

  static inline std::string path_;
  static inline std::shared_ptr<const VulnDb> db_;
};

// This machine's openssh-server is 1:9.2p1-2+deb12u10 (and the capture in
// tests/service/captures/ssh-banner.bin): Debian fixed both CVEs before it.
TEST_F(VulnDbMatchTest, DebianBuildWithTheFixIsNotReported) {
  auto ms = db_->match(openssh("9.2p1 Debian 2+deb12u10", "9.2p1"));
  EXPECT_TRUE(ms.empty()) << ms.size() << " " << (ms.empty() ? "" : ms[0].cve);
  ms = db_->match(openssh("9.2p1 Debian 2+deb12u3", "9.2p1"));
  EXPECT_TRUE(ms.empty());
}

TEST_F(VulnDbMatchTest, SameUpstreamVersionWithoutDistroIsReported) {
  auto ms = db_->match(openssh("9.2p1", "9.2p1"));
  ASSERT_EQ(ms.size(), 2u);
  const VulnMatch* regresshion = find(ms, "CVE-2024-6387");
  ASSERT_NE(regresshion, nullptr);
  EXPECT_TRUE(regresshion->confirmed);
  EXPECT_EQ(regresshion->severity, Severity::kHigh);
  ASSERT_TRUE(regresshion->score);
  EXPECT_DOUBLE_EQ(*regresshion->score, 8.1);
  EXPECT_EQ(regresshion->upstream_range, "openbsd:openssh 8.5p1 <= v < 9.8p1");
  EXPECT_EQ(regresshion->upstream_fixed, "9.8p1");
  EXPECT_TRUE(regresshion->distro.empty());
  EXPECT_EQ(regresshion->references.front(), "CVE-2024-6387");
  const VulnMatch* terrapin = find(ms, "CVE-2023-48795");
  ASSERT_NE(terrapin, nullptr);
  EXPECT_EQ(terrapin->severity, Severity::kMedium);
  EXPECT_EQ(terrapin->upstream_fixed, "9.6p1");
  EXPECT_EQ(ms[0].cve, "CVE-2024-6387");  // most severe first
}

TEST_F(VulnDbMatchTest, UpstreamRangesBoundaries) {
  EXPECT_TRUE(db_->match(openssh("9.8p1", "9.8p1")).empty());
  auto ms = db_->match(openssh("9.6p1", "9.6p1"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].cve, "CVE-2024-6387");
  ms = db_->match(openssh("8.4p1", "8.4p1"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].cve, "CVE-2023-48795");
  ms = db_->match(openssh("4.3p2", "4.3p2"));  // the pre-4.4p1 range of regreSSHion
  EXPECT_NE(find(ms, "CVE-2024-6387"), nullptr);
  EXPECT_EQ(find(ms, "CVE-2024-6387")->upstream_range, "openbsd:openssh v < 4.4p1");
}

TEST_F(VulnDbMatchTest, DebianBuildStillVulnerableIsConfirmedWithTheDebianFix) {
  auto ms = db_->match(openssh("9.2p1 Debian 2+deb12u2", "9.2p1"));
  ASSERT_EQ(ms.size(), 1u);  // Terrapin fixed in deb12u2, regreSSHion in deb12u3
  EXPECT_EQ(ms[0].cve, "CVE-2024-6387");
  EXPECT_TRUE(ms[0].confirmed);
  EXPECT_EQ(ms[0].distro, "Debian 12");
  EXPECT_EQ(ms[0].distro_package, "openssh");
  EXPECT_EQ(ms[0].distro_installed, "1:9.2p1-2+deb12u2");
  EXPECT_EQ(ms[0].distro_fixed, "1:9.2p1-2+deb12u3");
  EXPECT_NE(ms[0].distro_record.find("DEBIAN-CVE-2024-6387"), std::string::npos);
  EXPECT_NE(std::find(ms[0].references.begin(), ms[0].references.end(), "DEBIAN-CVE-2024-6387"),
            ms[0].references.end());

  ms = db_->match(openssh("9.2p1 Debian 2+deb12u1", "9.2p1"));
  EXPECT_EQ(ms.size(), 2u);
}

TEST_F(VulnDbMatchTest, ReleaseTakenFromTheUpstreamVersionWhenTheBannerOmitsIt) {
  // "Debian 2" is bookworm's first openssh build: no "deb12" in it.
  auto ms = db_->match(openssh("9.2p1 Debian 2", "9.2p1"));
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_TRUE(ms[0].confirmed);
  EXPECT_EQ(ms[0].distro, "Debian 12");
}

TEST_F(VulnDbMatchTest, NoDistroDataMeansUnconfirmed) {
  // Debian 11's openssh: the sample has no Debian 11 openssh records.
  auto ms = db_->match(openssh("8.4p1 Debian 5+deb11u3", "8.4p1"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].cve, "CVE-2023-48795");
  EXPECT_FALSE(ms[0].confirmed);
  EXPECT_EQ(ms[0].distro, "Debian 11");
  EXPECT_NE(ms[0].unconfirmed_reason.find("no Debian 11 data for openssh"), std::string::npos)
      << ms[0].unconfirmed_reason;
}

TEST_F(VulnDbMatchTest, UbuntuBuilds) {
  // 22.04's fixed build: regreSSHion fixed there; Terrapin has no Ubuntu record.
  auto ms = db_->match(openssh("8.9p1 Ubuntu 3ubuntu0.10", "8.9p1"));
  EXPECT_EQ(find(ms, "CVE-2024-6387"), nullptr);
  ASSERT_NE(find(ms, "CVE-2023-48795"), nullptr);
  EXPECT_FALSE(find(ms, "CVE-2023-48795")->confirmed);
  ms = db_->match(openssh("8.9p1 Ubuntu 3ubuntu0.6", "8.9p1"));
  ASSERT_NE(find(ms, "CVE-2024-6387"), nullptr);
  EXPECT_TRUE(find(ms, "CVE-2024-6387")->confirmed);
  EXPECT_EQ(find(ms, "CVE-2024-6387")->distro_fixed, "1:8.9p1-3ubuntu0.10");
}

TEST_F(VulnDbMatchTest, DistroOnlyRecordsAndOtherProducts) {
  // CVE-2022-0543 exists only in Debian's redis packaging.
  auto ms = db_->match(service("Redis key-value store", "6.0.16-1+deb11u1"));
  ASSERT_NE(find(ms, "CVE-2022-0543"), nullptr);
  EXPECT_TRUE(find(ms, "CVE-2022-0543")->confirmed);
  EXPECT_EQ(find(ms, "CVE-2022-0543")->severity, Severity::kCritical);
  EXPECT_TRUE(find(ms, "CVE-2022-0543")->upstream_range.empty());
  ms = db_->match(service("Redis key-value store", "6.0.16-1+deb11u2"));
  EXPECT_EQ(find(ms, "CVE-2022-0543"), nullptr);
  ASSERT_NE(find(ms, "CVE-2023-28856"), nullptr);  // upstream 6.0.16 < 6.0.19, Debian silent
  EXPECT_FALSE(find(ms, "CVE-2023-28856")->confirmed);

  EXPECT_EQ(db_->match(service("Redis key-value store", "7.0.10", "cpe:/a:redislabs:redis:7.0.10"))
                .size(),
            1u);
  EXPECT_TRUE(db_->match(service("Redis key-value store", "7.0.11")).empty());
  EXPECT_TRUE(db_->match(service("Redis key-value store", "7.0.15")).empty());  // this machine's

  ms = db_->match(service("vsftpd", "2.3.4", "cpe:/a:vsftpd:vsftpd:2.3.4"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].cve, "CVE-2011-2523");
  EXPECT_EQ(ms[0].severity, Severity::kCritical);
  EXPECT_EQ(ms[0].upstream_range, "vsftpd_project:vsftpd v = 2.3.4");
  EXPECT_TRUE(db_->match(service("vsftpd", "3.0.3")).empty());  // this machine's

  ms = db_->match(service("nginx", "1.18.0", "cpe:/a:igor_sysoev:nginx:1.18.0"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].cve, "CVE-2021-23017");
  EXPECT_EQ(ms[0].upstream_fixed, "1.20.1");
  EXPECT_TRUE(db_->match(service("nginx", "1.22.1")).empty());  // this machine's
  EXPECT_TRUE(db_->match(service("nginx", "")).empty());        // no version: nothing to match
}

TEST_F(VulnDbMatchTest, ConcurrentMatchesAgree) {
  const auto expected = db_->match(openssh("9.2p1", "9.2p1")).size();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (db_->match(openssh("9.2p1", "9.2p1")).size() != expected) ++wrong;
        if (!db_->match(openssh("9.2p1 Debian 2+deb12u10", "9.2p1")).empty()) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(DetectedService, ReadsDistributionBuilds) {
  ServiceInfo s;
  s.product = "MySQL";
  s.version = "5.5.5-10.11.6-MariaDB-0+deb12u1";
  s.cpe = {"cpe:/a:mariadb:mariadb:5.5.5-10.11.6-mariadb-0%2bdeb12u1"};
  auto d = vulndb::describe_service(s);
  EXPECT_EQ(d.product, "MariaDB");
  EXPECT_EQ(d.upstream_version, "10.11.6");
  EXPECT_EQ(d.distro, "Debian");
  EXPECT_EQ(d.release, "12");
  EXPECT_EQ(d.distro_revision, "0+deb12u1");
  EXPECT_EQ(d.source_package, "mariadb");

  s = {};
  s.product = "MySQL";
  s.version = "10.6.16-MariaDB-0ubuntu0.22.04.1";
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.distro, "Ubuntu");
  EXPECT_EQ(d.release, "22.04");

  s = {};
  s.product = "ISC BIND";
  s.version = "9.18.28-1~deb12u2-Debian";
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.upstream_version, "9.18.28");
  EXPECT_EQ(d.distro_revision, "1~deb12u2");
  EXPECT_EQ(d.release, "12");
  EXPECT_EQ(d.source_package, "bind9");
  EXPECT_EQ(vulndb::distro_version(d, "1:9.18.24-1"), "1:9.18.28-1~deb12u2");

  s = {};
  s.product = "Apache httpd";
  s.version = "2.4.62";
  s.extra_info = "(Debian)";
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.upstream_version, "2.4.62");
  EXPECT_EQ(d.distro, "Debian");
  EXPECT_TRUE(d.distro_revision.empty());
  EXPECT_EQ(d.source_package, "apache2");

  s = {};
  s.product = "PostgreSQL DB";
  s.version = "15.8-0+deb12u1";
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.source_package, "postgresql-15");

  s = {};
  s.product = "OpenSSH";
  s.version = "for_Windows_9.5";
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.upstream_version, "9.5");
  EXPECT_TRUE(d.distro.empty());

  s = {};  // no product, only a CPE: matched through it
  s.cpe = {"cpe:/a:thekelleys:dnsmasq:2.89"};
  d = vulndb::describe_service(s);
  EXPECT_EQ(d.product, "dnsmasq");
  EXPECT_EQ(d.upstream_version, "2.89");
}

TEST(DefaultVulnDbPath, FollowsTheEnvironment) {
  // Saved and restored: other tests of this process read the environment.
  std::vector<std::pair<const char*, std::optional<std::string>>> saved;
  for (const char* name : {"PORTOLAN_VULNDB", "XDG_DATA_HOME", "HOME"}) {
    const char* v = std::getenv(name);
    saved.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  setenv("PORTOLAN_VULNDB", "/tmp/x.sqlite", 1);
  setenv("XDG_DATA_HOME", "/data", 1);
  EXPECT_EQ(default_vulndb_path(), "/tmp/x.sqlite");
  unsetenv("PORTOLAN_VULNDB");
  EXPECT_EQ(default_vulndb_path(), "/data/portolan/vulndb.sqlite");
  unsetenv("XDG_DATA_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(default_vulndb_path(), "/home/u/.local/share/portolan/vulndb.sqlite");
  for (const auto& [name, value] : saved) {
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
}

}  // namespace
}  // namespace portolan
