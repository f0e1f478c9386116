#include "nmap_args.h"

#include <gtest/gtest.h>

namespace portolan::cli {
namespace {

using Args = std::vector<std::string>;

TEST(NmapArgsTest, RewritesMultiLetterOptions) {
  EXPECT_EQ(normalise_nmap_args({"-sT", "-Pn", "-oX", "out.xml", "-iL", "-", "10.0.0.1"}),
            (Args{"--sT", "--Pn", "--oX", "out.xml", "--iL", "-", "10.0.0.1"}));
  EXPECT_EQ(normalise_nmap_args({"-P0"}), (Args{"--Pn"}));
  EXPECT_EQ(normalise_nmap_args({"-oA", "base", "-sL", "-sn"}),
            (Args{"--oA", "base", "--sL", "--sn"}));
}

TEST(NmapArgsTest, ProbeOptionsKeepTheirPortList) {
  EXPECT_EQ(normalise_nmap_args({"-PS22,80", "-PE", "-PA"}), (Args{"--PS=22,80", "--PE", "--PA"}));
}

TEST(NmapArgsTest, LeavesOrdinaryOptionsAlone) {
  const Args args = {"-p-", "-p",          "22", "-T4", "-vv",    "-n",
                     "-6",  "--top-ports", "10", "-F",  "--open", "-sQ"};
  EXPECT_EQ(normalise_nmap_args(args), args);
}

TEST(NmapArgsTest, StopsAfterDoubleDash) {
  EXPECT_EQ(normalise_nmap_args({"--", "-sT"}), (Args{"--", "-sT"}));
}

TEST(NmapArgsTest, JoinsCommandLineWithQuoting) {
  EXPECT_EQ(join_command_line({"portolan", "scan", "-p", "22", "my host"}),
            "portolan scan -p 22 \"my host\"");
  EXPECT_EQ(join_command_line({"a\"b"}), "\"a\\\"b\"");
  EXPECT_EQ(join_command_line({""}), "\"\"");
}

}  // namespace
}  // namespace portolan::cli
