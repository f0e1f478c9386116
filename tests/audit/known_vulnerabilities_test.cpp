// known-vulnerabilities: findings for -sV results against a database made
// from the sample feeds in data/vulndb/.
#include <gtest/gtest.h>

#include <filesystem>

#include "portolan/audit/checks/checks.h"
#include "portolan/vulndb/vuln_db.h"
#include "portolan/vulndb/vuln_store.h"

#include "../support/sample_vulndb.h"

namespace portolan::audit {
namespace {

namespace fs = std::filesystem;

class KnownVulnerabilitiesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = testing::open_sample_vulndb("known-vulnerabilities-test", path_);
    ASSERT_TRUE(db) << db.error().message();
    db_ = *db;
  }
  static void TearDownTestSuite() {
    db_.reset();
    fs::remove(path_);
  }

  std::vector<Finding> run(const std::string& product, const std::string& version,
                           const std::string& cpe, const VulnDb* db) {
    ServiceInfo service;
    service.name = "ssh";
    service.product = product;
    service.version = version;
    if (!cpe.empty()) service.cpe.push_back(cpe);
    HostResult host;
    PortResult port;
    port.port = 22;
    port.state = PortState::kOpen;
    AuditPolicy policy;
    PortContext ctx{host, port, service, nullptr, policy, db, ""};
    std::vector<Finding> out;
    if (check_->applies(ctx)) check_->run(ctx, out);
    return out;
  }
  std::vector<Finding> run(const std::string& product, const std::string& version,
                           const std::string& cpe = {}) {
    return run(product, version, cpe, db_.get());
  }

  std::unique_ptr<Check> check_ = make_known_vulnerabilities_check();
  static inline std::string path_;
  static inline std::shared_ptr<const VulnDb> db_;
};

TEST_F(KnownVulnerabilitiesTest, PassiveAndSilentWithoutADatabase) {
  EXPECT_FALSE(check_->info().active);
  EXPECT_EQ(check_->info().category, Category::kVulnerability);
  EXPECT_TRUE(run("OpenSSH", "9.2p1", "cpe:/a:openbsd:openssh:9.2p1", nullptr).empty());
}

TEST_F(KnownVulnerabilitiesTest, UpstreamBuildGetsOneFindingPerCve) {
  auto f = run("OpenSSH", "9.2p1", "cpe:/a:openbsd:openssh:9.2p1");
  ASSERT_EQ(f.size(), 2u);
  const Finding& r = f[0];
  EXPECT_EQ(r.id, "known-vulnerabilities:CVE-2024-6387");
  EXPECT_EQ(r.check, "known-vulnerabilities");
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_EQ(r.port, 22);
  EXPECT_EQ(r.title.rfind("CVE-2024-6387 in OpenSSH 9.2p1: ", 0), 0u) << r.title;
  EXPECT_EQ(r.title.find('\n'), std::string::npos);
  EXPECT_NE(r.evidence.find("detected OpenSSH 9.2p1 (cpe:/a:openbsd:openssh:9.2p1)"),
            std::string::npos)
      << r.evidence;
  EXPECT_NE(r.evidence.find("8.5p1 <= v < 9.8p1"), std::string::npos) << r.evidence;
  EXPECT_NE(r.evidence.find("CVSS 8.1"), std::string::npos) << r.evidence;
  EXPECT_EQ(r.remediation, "Upgrade OpenSSH to 9.8p1 or later");
  ASSERT_FALSE(r.references.empty());
  EXPECT_EQ(r.references[0], "CVE-2024-6387");
  EXPECT_EQ(f[1].id, "known-vulnerabilities:CVE-2023-48795");
  EXPECT_EQ(f[1].severity, Severity::kMedium);
}

TEST_F(KnownVulnerabilitiesTest, PatchedDebianBuildHasNoFinding) {
  // The banner of this machine's openssh-server (1:9.2p1-2+deb12u10).
  EXPECT_TRUE(run("OpenSSH", "9.2p1 Debian 2+deb12u10", "cpe:/a:openbsd:openssh:9.2p1").empty());
}

TEST_F(KnownVulnerabilitiesTest, UnpatchedDebianBuildNamesTheDebianFix) {
  auto f = run("OpenSSH", "9.2p1 Debian 2+deb12u2", "cpe:/a:openbsd:openssh:9.2p1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "known-vulnerabilities:CVE-2024-6387");
  EXPECT_NE(f[0].evidence.find("DEBIAN-CVE-2024-6387"), std::string::npos) << f[0].evidence;
  EXPECT_NE(f[0].evidence.find("1:9.2p1-2+deb12u2"), std::string::npos) << f[0].evidence;
  EXPECT_NE(f[0].remediation.find("Debian 12 package openssh to 1:9.2p1-2+deb12u3 or later"),
            std::string::npos)
      << f[0].remediation;
}

TEST_F(KnownVulnerabilitiesTest, UnjudgedDistroBuildGetsOneInfoFinding) {
  auto f = run("OpenSSH", "8.4p1 Debian 5+deb11u3", "cpe:/a:openbsd:openssh:8.4p1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "known-vulnerabilities:unconfirmed");
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_NE(f[0].evidence.find("CVE-2023-48795"), std::string::npos) << f[0].evidence;
  EXPECT_NE(f[0].evidence.find("no Debian 11 data for openssh"), std::string::npos)
      << f[0].evidence;
  EXPECT_NE(f[0].remediation.find("Debian's OSV feed"), std::string::npos) << f[0].remediation;
  EXPECT_EQ(f[0].references, std::vector<std::string>{"CVE-2023-48795"});
}

TEST_F(KnownVulnerabilitiesTest, CriticalBackdoorAndUnknownProducts) {
  auto f = run("vsftpd", "2.3.4", "cpe:/a:vsftpd:vsftpd:2.3.4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].id, "known-vulnerabilities:CVE-2011-2523");
  EXPECT_TRUE(run("vsftpd", "3.0.3").empty());
  EXPECT_TRUE(run("Some Unknown Server", "1.0").empty());
}

}  // namespace
}  // namespace portolan::audit
