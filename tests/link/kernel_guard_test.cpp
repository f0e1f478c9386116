// The nftables guard, in a namespace: its table appears and goes, replies to
// guarded ports are dropped before the stack (no RST, no ICMP comes back)
// while the packet socket still sees them, and stale tables are cleaned up.
#include "portolan/link/kernel_guard_linux.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "netns_child.h"
#include "portolan/link/frame_io_linux.h"
#include "portolan/link/interfaces_linux.h"
#include "test_frames.h"

namespace portolan {
namespace {

using Clock = std::chrono::steady_clock;
using testing::sh;
using testing::sh_output;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

bool has_table(const std::string& name) {
  return sh_output("nft list tables").find("table inet " + name + "\n") != std::string::npos;
}

TEST(KernelGuard, CreatesItsTableAndRemovesItOnDestruction) {
  RUN_IN_NETNS([]() -> std::string {
    std::string name;
    {
      auto guard = KernelGuard::create({ip("127.0.0.1"), 61000, 61099, true, true});
      NS_CHECK_MSG(guard.has_value(), "{}", guard.error().message());
      name = (*guard)->table_name();
      NS_CHECK_MSG(name == fmt::format("portolan_{}", ::getpid()), "{}", name);
      NS_CHECK(has_table(name));
      const std::string rules = sh_output("nft list table inet " + name);
      NS_CHECK_MSG(rules.find("hook prerouting priority raw") != std::string::npos, "{}", rules);
      NS_CHECK_MSG(rules.find("tcp dport 61000-61099") != std::string::npos, "{}", rules);
      NS_CHECK_MSG(rules.find("udp dport 61000-61099") != std::string::npos, "{}", rules);

      // A second guard in the same process gets a table of its own.
      auto v6 = KernelGuard::create({ip("::1"), 62000, 62000, true, false});
      NS_CHECK_MSG(v6.has_value(), "{}", v6.error().message());
      NS_CHECK((*v6)->table_name() != name);
      const std::string v6_rules = sh_output("nft list table inet " + (*v6)->table_name());
      NS_CHECK_MSG(v6_rules.find("ip6 daddr ::1 tcp dport 62000") != std::string::npos, "{}",
                   v6_rules);
      NS_CHECK(v6_rules.find("udp") == std::string::npos);

      // The unspecified address guards the whole family (loopback scans).
      auto any = KernelGuard::create({IpAddress(), 61000, 61000, false, true});
      NS_CHECK_MSG(any.has_value(), "{}", any.error().message());
      const std::string any_rules = sh_output("nft list table inet " + (*any)->table_name());
      NS_CHECK_MSG(any_rules.find("meta nfproto ipv4 udp dport 61000 drop") != std::string::npos,
                   "{}", any_rules);
    }
    NS_CHECK(sh_output("nft list tables").find("portolan_") == std::string::npos);
    return "";
  });
}

TEST(KernelGuard, RejectsEmptySpecs) {
  auto inverted = KernelGuard::create({ip("127.0.0.1"), 61010, 61000, true, true});
  ASSERT_FALSE(inverted.has_value());
  EXPECT_EQ(inverted.error().message(), "invalid guarded port range 61010-61000");
  auto nothing = KernelGuard::create({ip("127.0.0.1"), 61000, 61010, false, false});
  ASSERT_FALSE(nothing.has_value());
}

TEST(KernelGuard, SaysWhatIsMissingWithoutCapNetAdmin) {
  RUN_IN_NETNS([]() -> std::string {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    NS_CHECK(::syscall(SYS_capget, &header, data) == 0);
    data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &= ~CAP_TO_MASK(CAP_NET_ADMIN);
    NS_CHECK(::syscall(SYS_capset, &header, data) == 0);
    auto guard = KernelGuard::create({ip("127.0.0.1"), 61000, 61010, true, true});
    NS_CHECK(!guard.has_value());
    NS_CHECK(guard.error().kind() == ErrorKind::kPermission);
    const std::string& message = guard.error().message();
    NS_CHECK_MSG(message.starts_with("cannot install the nftables guard: ") &&
                     message.ends_with(": Operation not permitted (it needs root or "
                                       "CAP_NET_ADMIN)") &&
                     message.find('\n') == std::string::npos,
                 "{}", message);
    return "";
  });
}

TEST(KernelGuard, TableDiesWithItsProcess) {
  RUN_IN_NETNS([]() -> std::string {
    // A process that installs a guard and is killed before its destructor.
    int fds[2];
    NS_CHECK(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    NS_CHECK(pid >= 0);
    if (pid == 0) {
      auto guard = KernelGuard::create({ip("127.0.0.1"), 61000, 61010, true, true});
      const char ok = guard.has_value() ? '1' : '0';
      (void)::write(fds[1], &ok, 1);
      ::pause();  // killed below
      ::_exit(0);
    }
    ::close(fds[1]);
    char ok = '0';
    NS_CHECK(::read(fds[0], &ok, 1) == 1 && ok == '1');
    ::close(fds[0]);
    const std::string name = fmt::format("portolan_{}", pid);
    NS_CHECK(has_table(name));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    // With owner tables the kernel removes it at once; without, remove_stale does.
    if (has_table(name)) KernelGuard::remove_stale();
    NS_CHECK(!has_table(name));
    return "";
  });
}

TEST(KernelGuard, RemoveStaleDeletesOnlyTablesOfDeadProcesses) {
  RUN_IN_NETNS([]() -> std::string {
    const pid_t dead = ::fork();
    NS_CHECK(dead >= 0);
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const std::string stale = fmt::format("portolan_{}", dead);
    const std::string stale2 = fmt::format("portolan_{}_3", dead);
    const std::string alive = fmt::format("portolan_{}_7", ::getpid());
    for (const auto& t : {stale, stale2, alive, std::string("portolan_x"), std::string("mine")}) {
      NS_CHECK(sh("nft add table inet " + t) == 0);
    }
    NS_CHECK(sh("nft add table ip portolan_1") == 0);  // another family: not ours
    KernelGuard::remove_stale();
    NS_CHECK(!has_table(stale));
    NS_CHECK(!has_table(stale2));
    NS_CHECK(has_table(alive));
    NS_CHECK(has_table("portolan_x"));
    NS_CHECK(has_table("mine"));
    NS_CHECK(sh_output("nft list tables").find("table ip portolan_1") != std::string::npos);
    return "";
  });
}

// va (10.9.0.1, guarded) and vb (no address) in one namespace: frames sent
// from vb reach va's stack, whose answers come back to vb.
struct GuardLab {
  int va = 0;
  int vb = 0;
  MacAddress va_mac;
  MacAddress vb_mac;
  std::unique_ptr<FrameSender> tx;         // on vb: the "target" answering
  std::unique_ptr<FrameReceiver> answers;  // on vb: what va's kernel sends back
  std::unique_ptr<FrameReceiver> seen;     // on va: what the scan's capture sees
};

std::string set_up(GuardLab& lab) {
  NS_CHECK(sh("ip link add name va type veth peer name vb") == 0);
  NS_CHECK(sh("ip link set va up && ip link set vb up") == 0);
  NS_CHECK(sh("ip addr add 10.9.0.1/24 dev va") == 0);
  NS_CHECK(sh("sysctl -qw net.ipv4.icmp_ratelimit=0") == 0);
  lab.va = static_cast<int>(if_nametoindex("va"));
  lab.vb = static_cast<int>(if_nametoindex("vb"));
  lab.va_mac = find_interface("va")->mac;
  lab.vb_mac = find_interface("vb")->mac;
  // va's replies to 10.9.0.2 go to vb without ARP.
  NS_CHECK(sh(fmt::format("ip neigh add 10.9.0.2 lladdr {} dev va nud permanent",
                          lab.vb_mac.to_string())) == 0);
  auto tx = FrameSender::create(lab.vb);
  NS_CHECK_MSG(tx.has_value(), "{}", tx.error().message());
  lab.tx = std::move(*tx);
  FrameReceiverOptions o;
  o.block_size = 1 << 20;
  o.block_count = 4;
  o.filter = "src host 10.9.0.1 and ((tcp[tcpflags] & tcp-rst != 0) or icmp)";
  auto answers = FrameReceiver::create(lab.vb, o);
  NS_CHECK_MSG(answers.has_value(), "{}", answers.error().message());
  lab.answers = std::move(*answers);
  o.filter = "dst host 10.9.0.1 and src host 10.9.0.2";
  auto seen = FrameReceiver::create(lab.va, o);
  NS_CHECK_MSG(seen.has_value(), "{}", seen.error().message());
  lab.seen = std::move(*seen);
  return "";
}

// Sends `frame` from vb; returns (frames the capture on va saw, answers va's
// kernel sent back) within 300 ms.
std::pair<size_t, size_t> provoke(GuardLab& lab, const std::vector<uint8_t>& frame) {
  auto slot = lab.tx->slot();
  std::memcpy(slot.data(), frame.data(), frame.size());
  lab.tx->commit(frame.size());
  (void)lab.tx->flush();
  size_t seen = 0;
  size_t answers = 0;
  const auto deadline = Clock::now() + std::chrono::milliseconds(300);
  while (Clock::now() < deadline) {
    seen += lab.seen->poll(10, [](std::span<const std::byte>, uint64_t) {}).value_or(0);
    answers += lab.answers->poll(10, [](std::span<const std::byte>, uint64_t) {}).value_or(0);
  }
  return {seen, answers};
}

TEST(KernelGuard, DropsRepliesToGuardedPortsBeforeTheStack) {
  RUN_IN_NETNS([]() -> std::string {
    GuardLab lab;
    if (auto e = set_up(lab); !e.empty()) return e;
    const IpAddress target = ip("10.9.0.2");
    const IpAddress local = ip("10.9.0.1");
    auto syn_ack = [&](uint16_t dport) {
      return testing::tcp_frame(lab.va_mac, lab.vb_mac, target, local, 80, dport,
                                testing::kTcpSyn | testing::kTcpAck);
    };
    auto udp = [&](uint16_t dport) {
      return testing::udp_frame(lab.va_mac, lab.vb_mac, target, local, 53, dport);
    };

    // Without the guard the kernel answers: RST for the SYN-ACK, ICMP for UDP.
    auto [seen, answers] = provoke(lab, syn_ack(61005));
    NS_CHECK_MSG(seen == 1 && answers == 1, "unguarded SYN-ACK: seen {} answers {}", seen, answers);
    std::tie(seen, answers) = provoke(lab, udp(61005));
    NS_CHECK_MSG(seen == 1 && answers == 1, "unguarded UDP: seen {} answers {}", seen, answers);

    {
      auto guard = KernelGuard::create({local, 61000, 61010, true, true});
      NS_CHECK_MSG(guard.has_value(), "{}", guard.error().message());
      // Guarded: the capture still sees each reply, the kernel stays silent.
      std::tie(seen, answers) = provoke(lab, syn_ack(61005));
      NS_CHECK_MSG(seen == 1 && answers == 0, "guarded SYN-ACK: seen {} answers {}", seen, answers);
      std::tie(seen, answers) = provoke(lab, udp(61010));
      NS_CHECK_MSG(seen == 1 && answers == 0, "guarded UDP: seen {} answers {}", seen, answers);
      // Other ports, and segments that are not SYN-ACKs, pass as before.
      std::tie(seen, answers) = provoke(lab, syn_ack(61011));
      NS_CHECK_MSG(seen == 1 && answers == 1, "SYN-ACK outside: seen {} answers {}", seen, answers);
      std::tie(seen, answers) = provoke(lab, udp(60999));
      NS_CHECK_MSG(seen == 1 && answers == 1, "UDP outside: seen {} answers {}", seen, answers);
      std::tie(seen, answers) = provoke(
          lab,
          testing::tcp_frame(lab.va_mac, lab.vb_mac, target, local, 80, 61005, testing::kTcpAck));
      NS_CHECK_MSG(seen == 1 && answers == 1, "bare ACK: seen {} answers {}", seen, answers);
    }
    // Guard gone: the kernel answers again.
    std::tie(seen, answers) = provoke(lab, syn_ack(61005));
    NS_CHECK_MSG(seen == 1 && answers == 1, "after the guard: seen {} answers {}", seen, answers);
    return "";
  });
}

}  // namespace
}  // namespace portolan
