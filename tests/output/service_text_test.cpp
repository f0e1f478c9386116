// Version summaries: "product version (extra info)" with missing parts left out.
#include "portolan/output/service_text.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

ServiceInfo service(std::string product, std::string version, std::string extra) {
  ServiceInfo s;
  s.product = std::move(product);
  s.version = std::move(version);
  s.extra_info = std::move(extra);
  return s;
}

TEST(VersionSummary, JoinsWhatIsKnown) {
  EXPECT_EQ(version_summary(service("SimpleHTTPServer", "0.6", "Python 3.11.7")),
            "SimpleHTTPServer 0.6 (Python 3.11.7)");
  EXPECT_EQ(version_summary(service("nginx", "", "")), "nginx");
  EXPECT_EQ(version_summary(service("", "1.2", "")), "1.2");
  EXPECT_EQ(version_summary(service("", "", "protocol 2.0")), "(protocol 2.0)");
  EXPECT_EQ(version_summary(service("", "", "")), "");
}

}  // namespace
}  // namespace portolan
