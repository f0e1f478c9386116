// ONC RPC, portmapper GETPORT and mountd EXPORT: real rpcbind 1.2.6 replies
// and synthetic mountd replies written from RFC 1813 (captures/nfs/).
#include "portolan/audit/onc_rpc.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("nfs/" + name);
}

constexpr uint32_t kGetportXid = 0x50540001;
constexpr uint32_t kExportXid = 0x50540002;

TEST(OncRpc, BuildsTheGetportCallByteForByte) {
  EXPECT_EQ(build_pmap_getport_call(kGetportXid, kRpcMountProgram, 3, kIpProtoTcp),
            capture("request_pmap_getport_mountd_v3_tcp.bin"));
  const std::string exp = build_mount_export_call(kExportXid);
  ASSERT_EQ(exp.size(), 44u);
  EXPECT_EQ(exp.substr(0, 4), std::string("\x80\x00\x00\x28", 4));
  EXPECT_EQ(exp.substr(16, 12),
            std::string("\x00\x01\x86\xa5\x00\x00\x00\x03\x00\x00\x00\x05", 12));
}

TEST(OncRpc, ReadsRpcbindGetportReplies) {
  auto registered =
      parse_pmap_getport_reply(capture("rpcbind_getport_registered.bin"), kGetportXid);
  ASSERT_TRUE(registered) << registered.error().message();
  EXPECT_EQ(*registered, 20048);
  auto unregistered =
      parse_pmap_getport_reply(capture("rpcbind_getport_unregistered.bin"), kGetportXid);
  ASSERT_TRUE(unregistered);
  EXPECT_EQ(*unregistered, 0);
  EXPECT_FALSE(
      parse_pmap_getport_reply(capture("rpcbind_getport_registered.bin"), kGetportXid + 1));
}

TEST(OncRpc, ReadsExportLists) {
  auto world = parse_mount_export_reply(capture("mountd_export_world.bin"), kExportXid);
  ASSERT_TRUE(world) << world.error().message();
  ASSERT_EQ(world->size(), 3u);
  EXPECT_EQ((*world)[0].path, "/srv/public");
  EXPECT_EQ((*world)[0].groups, std::vector<std::string>{"*"});
  EXPECT_TRUE((*world)[1].groups.empty());
  EXPECT_TRUE(nfs_export_open_to_everyone((*world)[0]));
  EXPECT_TRUE(nfs_export_open_to_everyone((*world)[1]));
  EXPECT_FALSE(nfs_export_open_to_everyone((*world)[2]));

  auto restricted = parse_mount_export_reply(capture("mountd_export_restricted.bin"), kExportXid);
  ASSERT_TRUE(restricted);
  ASSERT_EQ(restricted->size(), 2u);
  EXPECT_EQ((*restricted)[1].groups, (std::vector<std::string>{"backup.example.lan", "10.0.0.5"}));
  for (const auto& e : *restricted) EXPECT_FALSE(nfs_export_open_to_everyone(e));

  auto empty = parse_mount_export_reply(capture("mountd_export_empty.bin"), kExportXid);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(parse_mount_export_reply(capture("mountd_denied.bin"), kExportXid));
}

TEST(OncRpc, JudgesWideNetworks) {
  EXPECT_TRUE(nfs_export_open_to_everyone({"/a", {"0.0.0.0/0"}}));
  EXPECT_TRUE(nfs_export_open_to_everyone({"/a", {"10.0.0.5", "0.0.0.0/4"}}));
  EXPECT_TRUE(nfs_export_open_to_everyone({"/a", {"::/0"}}));
  EXPECT_FALSE(nfs_export_open_to_everyone({"/a", {"10.0.0.0/8"}}));
  EXPECT_FALSE(nfs_export_open_to_everyone({"/a", {"10.0.0.0/255.0.0.0"}}));
  EXPECT_FALSE(nfs_export_open_to_everyone({"/a", {"*.example.lan"}}));
}

TEST(OncRpc, JoinsFragmentsAndRejectsCutShortRecords) {
  const std::string two =
      std::string("\x00\x00\x00\x02", 4) + "ab" + std::string("\x80\x00\x00\x01", 4) + "c";
  auto joined = rpc_tcp_record(two);
  ASSERT_TRUE(joined);
  EXPECT_EQ(*joined, "abc");
  EXPECT_FALSE(rpc_tcp_record(std::string("\x80\xff\xff\xff", 4) + "x"));
  std::string endless;
  for (int i = 0; i < 100; ++i) endless += std::string("\x00\x00\x00\x00", 4);
  EXPECT_FALSE(rpc_tcp_record(endless));
  for (const char* name : {"rpcbind_getport_registered.bin", "mountd_export_world.bin"}) {
    const std::string bytes = capture(name);
    for (size_t n = 0; n < bytes.size(); ++n) {
      EXPECT_FALSE(parse_mount_export_reply(bytes.substr(0, n), kExportXid)) << name << n;
      EXPECT_FALSE(parse_pmap_getport_reply(bytes.substr(0, n), kGetportXid)) << name << n;
    }
  }
}

TEST(OncRpc, RejectsOversizedNamesAndLists) {
  // A reply whose export path claims 2000 bytes (MNTPATHLEN is 1024).
  std::string body(
      "\x50\x54\x00\x02\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00"
      "\x00\x00\x00\x01\x00\x00\x07\xd0",
      32);
  body += std::string(2000, 'a') + std::string(8, '\0');
  std::string record("\x80\x00", 2);
  record += static_cast<char>(body.size() >> 8);
  record += static_cast<char>(body.size());
  EXPECT_FALSE(parse_mount_export_reply(record + body, kExportXid));
}

}  // namespace
}  // namespace portolan::audit
