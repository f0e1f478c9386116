// Privilege checks: as root the capability is there; a child that drops
// CAP_NET_RAW from its effective set is told so, and a packet socket then
// fails with a message that says what to do.
#include "portolan/link/privileges_linux.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netns_child.h"
#include "portolan/link/frame_io_linux.h"

namespace portolan {
namespace {

TEST(Privileges, HintNamesTheCapability) {
  EXPECT_NE(raw_privilege_hint().find("CAP_NET_RAW"), std::string::npos);
}

TEST(Privileges, RootHasIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  EXPECT_TRUE(has_raw_capability());
}

TEST(Privileges, DroppingCapNetRawIsNoticed) {
  RUN_IN_NETNS([]() -> std::string {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    NS_CHECK(::syscall(SYS_capget, &header, data) == 0);
    data[CAP_TO_INDEX(CAP_NET_RAW)].effective &= ~CAP_TO_MASK(CAP_NET_RAW);
    NS_CHECK(::syscall(SYS_capset, &header, data) == 0);
    NS_CHECK(!has_raw_capability());
    auto tx = FrameSender::create(static_cast<int>(if_nametoindex("lo")));
    NS_CHECK(!tx.has_value());
    NS_CHECK(tx.error().kind() == ErrorKind::kPermission);
    NS_CHECK_MSG(
        tx.error().message() == "cannot open a packet socket on lo: Operation not permitted (" +
                                    raw_privilege_hint() + ")",
        "{}", tx.error().message());
    return "";
  });
}

}  // namespace
}  // namespace portolan
