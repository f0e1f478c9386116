// Tests of -iL parsing: the tokenizer on its own, then files on disk
// (written to a per-test temporary directory) and their error messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "portolan/targets/target_list.h"

namespace portolan {
namespace {

using Specs = std::vector<std::string>;

TEST(ParseTargetTextTest, SplitsOnAnyWhitespace) {
  EXPECT_EQ(parse_target_text("10.0.0.1 10.0.0.2\t10.0.0.3\n10.0.0.4\r\n10.0.0.5  \n\n"),
            (Specs{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"}));
  EXPECT_EQ(parse_target_text("  \t host.example  "), Specs{"host.example"});
  EXPECT_EQ(parse_target_text("a\vb\fc"), (Specs{"a", "b", "c"}));
}

TEST(ParseTargetTextTest, HashStartsACommentToEndOfLine) {
  EXPECT_EQ(parse_target_text("# header\n10.0.0.1 # gateway 10.0.0.99\n  #indented\n10.0.0.2"),
            (Specs{"10.0.0.1", "10.0.0.2"}));
  // A '#' glued to a spec still ends it.
  EXPECT_EQ(parse_target_text("10.0.0.1#comment\n10.0.0.2"), (Specs{"10.0.0.1", "10.0.0.2"}));
  // A comment on the last line needs no newline.
  EXPECT_EQ(parse_target_text("10.0.0.1 # last"), Specs{"10.0.0.1"});
  // CR does not end a comment; the LF after it does.
  EXPECT_EQ(parse_target_text("# a\r\n10.0.0.3\r\n"), Specs{"10.0.0.3"});
}

TEST(ParseTargetTextTest, NothingToParse) {
  EXPECT_TRUE(parse_target_text("").empty());
  EXPECT_TRUE(parse_target_text(" \n\t\r\n").empty());
  EXPECT_TRUE(parse_target_text("# only\n# comments").empty());
  EXPECT_TRUE(parse_target_text("#").empty());
}

TEST(ParseTargetTextTest, KeepsOddBytesForTheSpecParser) {
  // The tokenizer does not judge specs; a NUL stays inside its token.
  EXPECT_EQ(parse_target_text(std::string("a\0b c", 5)), (Specs{std::string("a\0b", 3), "c"}));
}

class TargetFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("portolan-targets-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& contents) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << contents;
    return path.string();
  }

  std::filesystem::path dir_;
};

TEST_F(TargetFileTest, ReadsSpecsAndSkipsComments) {
  const auto path = write("hosts.txt",
                          "# lab hosts\n"
                          "10.0.0.0/30   localhost\n"
                          "\t192.168.1-2.1 # two routers\n"
                          "\n"
                          "2001:db8::1\n");
  auto specs = read_target_file(path);
  ASSERT_TRUE(specs) << specs.error().message();
  EXPECT_EQ(*specs, (Specs{"10.0.0.0/30", "localhost", "192.168.1-2.1", "2001:db8::1"}));
  // The specs feed TargetList unchanged.
  auto list = TargetList::create(*specs, {}, {});
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_EQ(list->size_upper_bound(), 4u + 1u + 2u + 1u);
}

TEST_F(TargetFileTest, MissingFile) {
  const auto path = (dir_ / "absent.txt").string();
  auto specs = read_target_file(path);
  ASSERT_FALSE(specs);
  EXPECT_EQ(specs.error().kind(), ErrorKind::kIo);
  EXPECT_EQ(specs.error().message(),
            "cannot read target list '" + path + "': No such file or directory");
}

TEST_F(TargetFileTest, DirectoryIsUnreadable) {
  auto specs = read_target_file(dir_.string());
  ASSERT_FALSE(specs);
  EXPECT_EQ(specs.error().message(),
            "cannot read target list '" + dir_.string() + "': Is a directory");
}

TEST_F(TargetFileTest, EmptyFile) {
  const auto path = write("empty.txt", "");
  auto specs = read_target_file(path);
  ASSERT_FALSE(specs);
  EXPECT_EQ(specs.error().message(), "target list '" + path + "' contains no targets");
}

TEST_F(TargetFileTest, CommentsOnlyFileIsEmpty) {
  const auto path = write("comments.txt", "# nothing here\n   \n# still nothing\n");
  auto specs = read_target_file(path);
  ASSERT_FALSE(specs);
  EXPECT_EQ(specs.error().message(), "target list '" + path + "' contains no targets");
}

TEST_F(TargetFileTest, DashReadsStandardInput) {
  const auto path = write("stdin.txt", "10.0.0.1\n# c\n10.0.0.2 10.0.0.3");
  ASSERT_NE(std::freopen(path.c_str(), "r", stdin), nullptr);
  auto specs = read_target_file("-");
  ASSERT_TRUE(specs) << specs.error().message();
  EXPECT_EQ(*specs, (Specs{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
}

TEST_F(TargetFileTest, LargeFileWithoutTrailingNewline) {
  std::string contents;
  for (int i = 0; i < 20000; ++i)
    contents += "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + "\n";
  contents += "10.200.0.1";
  auto specs = read_target_file(write("big.txt", contents));
  ASSERT_TRUE(specs);
  ASSERT_EQ(specs->size(), 20001u);
  EXPECT_EQ(specs->front(), "10.0.0.0");
  EXPECT_EQ(specs->back(), "10.200.0.1");
}

}  // namespace
}  // namespace portolan
