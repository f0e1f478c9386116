#include "portolan/pipeline/host_namer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace portolan {
namespace {

class HostNamerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        std::filesystem::temp_directory_path() / ("portolan_hosts_" + std::to_string(::getpid()));
    std::ofstream out(path_);
    out << "# comment line\n"
        << "127.0.0.1\tlocalhost first-alias\n"
        << "127.0.0.1 second   # a later line for the same address loses\n"
        << "127.0.1.1 box.example box\n"
        << "::1 ip6-localhost ip6-loopback\n"
        << "10.1.2.3 not-loopback\n"
        << "garbage line without address\n";
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(HostNamerTest, NamesLoopbackFromHostsFile) {
  HostNamer namer(true, path_.string());
  EXPECT_EQ(namer.name_for(*IpAddress::parse("127.0.0.1")), "localhost");
  EXPECT_EQ(namer.name_for(*IpAddress::parse("127.0.1.1")), "box.example");
  EXPECT_EQ(namer.name_for(*IpAddress::parse("::1")), "ip6-localhost");
}

TEST_F(HostNamerTest, UnlistedLoopbackHasNoNameAndNeverAsksDns) {
  HostNamer namer(true, path_.string());
  // 127.0.0.9 is not in the file: no name, and no resolver query was made for it
  // (the namer never calls the resolver for loopback).
  EXPECT_EQ(namer.name_for(*IpAddress::parse("127.0.0.9")), std::nullopt);
}

TEST_F(HostNamerTest, DisabledNamesNothing) {
  HostNamer namer(false, path_.string());
  EXPECT_EQ(namer.name_for(*IpAddress::parse("127.0.0.1")), std::nullopt);
}

TEST(HostNamerMissingFileTest, MissingFileMeansNoNames) {
  HostNamer namer(true, "/nonexistent/hosts");
  EXPECT_EQ(namer.name_for(*IpAddress::parse("127.0.0.1")), std::nullopt);
}

}  // namespace
}  // namespace portolan
