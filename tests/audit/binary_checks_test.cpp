// The binary-protocol and UDP checks end to end: each check runs through a
// real AuditNet against a tiny server on 127.0.0.1 that plays back bytes
// captured from real servers (rsync, dnsmasq, ntpsec, snmpd, rpcbind, Samba)
// or written from the specs (mountd, monlist, VNC); a misconfigured server
// must give the finding, its correct twin none.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "audit_test_support.h"
#include "portolan/audit/audit_net.h"
#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

// Runs one check on 127.0.0.1:`port` with the service name -sV would give.
std::vector<Finding> run_check(const Check& check, uint16_t port, Protocol protocol,
                               const std::string& service,
                               std::vector<PortResult> other_ports = {}) {
  static Pacer pacer(1000);
  HostResult host;
  host.address = *IpAddress::parse("127.0.0.1");
  PortResult p;
  p.port = port;
  p.protocol = protocol;
  p.state = PortState::kOpen;
  host.ports = std::move(other_ports);
  host.ports.push_back(p);
  ServiceInfo info;
  info.name = service;
  AuditPolicy policy;
  AuditNetOptions options;
  options.timeout = std::chrono::milliseconds(400);
  AuditNet net(host.address, pacer, options);
  PortContext ctx{host, host.ports.back(), info, &net, policy, nullptr, ""};
  EXPECT_TRUE(check.applies(ctx)) << check.info().id;
  std::vector<Finding> out;
  check.run(ctx, out);
  return out;
}

// --- rsync: greeting, our version and request, then the captured answer.

PlaybackServer rsync_server(const std::string& listing) {
  return PlaybackServer([listing](int fd) {
    const std::string greeting = load_capture("rsync/module_public.bin").substr(0, 41);
    send_all(fd, greeting);
    // Our version line, then an empty line (list) or a module name.
    const std::string req = read_until(fd, [](const std::string& s) {
      const size_t nl = s.find('\n');
      return nl != std::string::npos && s.find('\n', nl + 1) != std::string::npos;
    });
    const std::string request = req.substr(req.find('\n') + 1);
    if (request == "\n") {
      send_all(fd, listing.substr(greeting.size()));
    } else if (request == "public\n") {
      send_all(fd, load_capture("rsync/module_public.bin").substr(greeting.size()));
    } else if (request == "backup\n") {
      send_all(fd, load_capture("rsync/module_backup.bin").substr(greeting.size()));
    }
  });
}

TEST(BinaryChecks, RsyncOpenModuleIsHighAndPasswordModuleIsNot) {
  auto check = make_rsync_modules_check();
  PlaybackServer open = rsync_server(load_capture("rsync/list_open.bin"));
  auto findings = run_check(*check, open.port(), Protocol::kTcp, "rsync");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "rsync-modules:public");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_NE(findings[0].evidence.find("Public files"), std::string::npos);
  EXPECT_EQ(open.served(), 3);  // the list, then one connection per module

  PlaybackServer twin = rsync_server(load_capture("rsync/list_closed.bin"));
  EXPECT_TRUE(run_check(*check, twin.port(), Protocol::kTcp, "rsync").empty());
}

// --- SNMP: answers only the community it has, as snmpd does.

TEST(BinaryChecks, SnmpPublicCommunityIsHighAndAnotherCommunityIsSilent) {
  auto check = make_snmp_default_community_check();
  PlaybackServer agent(
      PlaybackServer::OnDatagram([](const std::string& request) -> std::vector<std::string> {
        if (request == load_capture("snmp/request_v2c_public.bin"))
          return {load_capture("snmp/snmpd_public_v2c_public.bin")};
        return {};
      }));
  auto findings = run_check(*check, agent.port(), Protocol::kUdp, "snmp");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "snmp-default-community:public");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_NE(findings[0].evidence.find("Portolan test agent"), std::string::npos);
  EXPECT_EQ(agent.served(), 1);

  // An agent with a non-default community drops all four requests.
  PlaybackServer silent(
      PlaybackServer::OnDatagram([](const std::string&) { return std::vector<std::string>{}; }));
  EXPECT_TRUE(run_check(*check, silent.port(), Protocol::kUdp, "snmp").empty());
  EXPECT_EQ(silent.served(), 4);
}

TEST(BinaryChecks, SnmpV1OnlyAgentIsFoundToo) {
  auto check = make_snmp_default_community_check();
  PlaybackServer agent(
      PlaybackServer::OnDatagram([](const std::string& request) -> std::vector<std::string> {
        if (request == load_capture("snmp/request_v1_public.bin"))
          return {load_capture("snmp/snmpd_public_v1_public.bin")};
        return {};
      }));
  auto findings = run_check(*check, agent.port(), Protocol::kUdp, "snmp");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].evidence.find("SNMPv1"), std::string::npos);
}

// --- DNS

TEST(BinaryChecks, DnsForwardingResolverIsHighRefusingOneIsNot) {
  auto check = make_dns_open_resolver_check();
  auto answering = [](const char* file) {
    return PlaybackServer::OnDatagram(
        [file](const std::string& request) -> std::vector<std::string> {
          if (request != load_capture("dns/query_root_ns.bin")) return {};
          return {load_capture(std::string("dns/") + file)};
        });
  };
  PlaybackServer open(answering("dnsmasq_forwarding_root_ns.bin"));
  auto findings = run_check(*check, open.port(), Protocol::kUdp, "domain");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_NE(findings[0].evidence.find("a.root-servers.net"), std::string::npos);

  for (const char* twin : {"dnsmasq_noupstream_root_ns.bin", "dnsmasq_localrecord_root_ns.bin",
                           "dnsmasq_upstream_refused_root_ns.bin"}) {
    PlaybackServer refusing(answering(twin));
    EXPECT_TRUE(run_check(*check, refusing.port(), Protocol::kUdp, "domain").empty()) << twin;
  }
  PlaybackServer failing(answering("synthetic_servfail_root_ns.bin"));
  auto servfail = run_check(*check, failing.port(), Protocol::kUdp, "domain");
  ASSERT_EQ(servfail.size(), 1u);
  EXPECT_EQ(servfail[0].severity, Severity::kLow);
}

TEST(BinaryChecks, DnsOverTcpOnlyWhenUdpIsNotOpen) {
  auto check = make_dns_open_resolver_check();
  auto server = [](std::string answer) {
    return PlaybackServer([answer](int fd) {
      const std::string q = read_until(fd, at_least(2 + 17));
      if (q == std::string("\x00\x11", 2) + load_capture("dns/query_root_ns.bin"))
        send_all(fd, answer);
    });
  };
  const std::string forwarded = load_capture("dns/dnsmasq_forwarding_root_ns.bin");
  std::string framed(1, static_cast<char>(forwarded.size() >> 8));
  framed += static_cast<char>(forwarded.size());
  PlaybackServer open = server(framed + forwarded);
  auto findings = run_check(*check, open.port(), Protocol::kTcp, "domain");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].protocol, Protocol::kTcp);
  PlaybackServer refusing = server(load_capture("dns/dnsmasq_noupstream_root_ns_tcp.bin"));
  EXPECT_TRUE(run_check(*check, refusing.port(), Protocol::kTcp, "domain").empty());

  // With the same port open over UDP, the TCP port is left to the UDP run.
  static Pacer pacer(1000);
  HostResult host;
  host.address = *IpAddress::parse("127.0.0.1");
  host.ports = {PortResult{53, Protocol::kUdp, PortState::kOpen, Reason::kUdpResponse, 0, nullptr},
                PortResult{53, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr}};
  ServiceInfo none;
  AuditPolicy policy;
  PortContext ctx{host, host.ports[1], none, nullptr, policy, nullptr, ""};
  EXPECT_FALSE(check->applies(ctx));
}

// --- NTP: ntpsec's READVAR answer (the sequence number set to ours), a
// synthetic monlist.

PlaybackServer ntp_server(bool mode6, bool monlist) {
  return PlaybackServer(
      PlaybackServer::OnDatagram([=](const std::string& request) -> std::vector<std::string> {
        if (request.size() == 12 && (request[0] & 7) == 6 && mode6) {
          std::string answer = load_capture("ntp/ntpsec_open_mode6_readvar.bin");
          answer[2] = request[2];
          answer[3] = request[3];
          return {answer};
        }
        if (request == load_capture("ntp/request_mode7_monlist.bin") && monlist) {
          return {load_capture("ntp/synthetic_mode7_monlist.bin")};
        }
        return {};
      }));
}

TEST(BinaryChecks, NtpMode6IsMediumAndMonlistIsHigh) {
  auto check = make_ntp_amplification_check();
  PlaybackServer ntpsec = ntp_server(true, false);
  auto findings = run_check(*check, ntpsec.port(), Protocol::kUdp, "ntp");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "ntp-amplification:mode6");
  EXPECT_EQ(findings[0].severity, Severity::kMedium);
  EXPECT_NE(findings[0].evidence.find("version=\"ntpd ntpsec-1.2.2\""), std::string::npos);

  PlaybackServer old = ntp_server(true, true);
  findings = run_check(*check, old.port(), Protocol::kUdp, "ntp");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].id, "ntp-amplification:monlist");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_EQ(findings[0].references, std::vector<std::string>{"CVE-2013-5211"});
  EXPECT_NE(findings[0].evidence.find("192.0.2.10"), std::string::npos);

  PlaybackServer noquery = ntp_server(false, false);  // ntpsec with "restrict default noquery"
  EXPECT_TRUE(run_check(*check, noquery.port(), Protocol::kUdp, "ntp").empty());

  PlaybackServer nodata(
      PlaybackServer::OnDatagram([](const std::string& request) -> std::vector<std::string> {
        if (request.size() == 48) return {load_capture("ntp/synthetic_mode7_nodata.bin")};
        return {};
      }));
  EXPECT_TRUE(run_check(*check, nodata.port(), Protocol::kUdp, "ntp").empty());
}

// --- VNC: the server's version, ours, then its security types.

PlaybackServer vnc_server(const std::string& file) {
  return PlaybackServer([file](int fd) {
    const std::string bytes = load_capture("vnc/" + file);
    send_all(fd, bytes.substr(0, 12));
    const std::string ours = read_until(fd, at_least(12));
    if (ours.size() == 12 && ours.substr(0, 4) == "RFB ") send_all(fd, bytes.substr(12));
    read_until(fd, at_least(1));  // until the client closes
  });
}

TEST(BinaryChecks, VncSecurityTypesAreGraded) {
  auto check = make_vnc_unencrypted_check();
  struct Case {
    const char* file;
    std::optional<Severity> severity;
  };
  for (const Case& c : {Case{"synthetic_rfb38_none.bin", Severity::kCritical},
                        Case{"synthetic_rfb33_none.bin", Severity::kCritical},
                        Case{"synthetic_rfb38_vncauth.bin", Severity::kMedium},
                        Case{"synthetic_rfb33_vncauth.bin", Severity::kMedium},
                        Case{"synthetic_rfb38_vencrypt.bin", std::nullopt},
                        Case{"synthetic_rfb38_failed.bin", std::nullopt}}) {
    PlaybackServer server = vnc_server(c.file);
    auto findings = run_check(*check, server.port(), Protocol::kTcp, "vnc");
    if (!c.severity) {
      EXPECT_TRUE(findings.empty()) << c.file;
      continue;
    }
    ASSERT_EQ(findings.size(), 1u) << c.file;
    EXPECT_EQ(findings[0].severity, *c.severity) << c.file;
  }
}

// --- SMB: Samba with "server min protocol = NT1" and with the default.

PlaybackServer smb_server(const std::string& file) {
  return PlaybackServer([file](int fd) {
    const std::string request =
        read_until(fd, at_least(load_capture("smb/request_negotiate_nt_lm_012.bin").size()));
    if (request == load_capture("smb/request_negotiate_nt_lm_012.bin"))
      send_all(fd, load_capture("smb/" + file));
  });
}

TEST(BinaryChecks, Smbv1AcceptedIsHighAndRefusedIsNot) {
  auto check = make_smbv1_check();
  PlaybackServer nt1 = smb_server("samba_nt1_negotiate.bin");
  auto findings = run_check(*check, nt1.port(), Protocol::kTcp, "microsoft-ds");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "smbv1");
  EXPECT_EQ(findings[0].severity, Severity::kHigh);
  EXPECT_NE(findings[0].remediation.find("server min protocol = SMB2_02"), std::string::npos);

  PlaybackServer modern = smb_server("samba_default_negotiate.bin");
  EXPECT_TRUE(run_check(*check, modern.port(), Protocol::kTcp, "microsoft-ds").empty());
  PlaybackServer closing([](int) {});
  EXPECT_TRUE(run_check(*check, closing.port(), Protocol::kTcp, "microsoft-ds").empty());
}

// --- NFS: rpcbind's GETPORT answer pointing at a playback mountd.

TEST(BinaryChecks, NfsWorldExportsAreHighRestrictedOnesInfo) {
  auto check = make_nfs_exports_check();
  auto is_record = [](const std::string& s) {
    return s.size() >= 4 && s.size() >= 4 + (size_t{static_cast<uint8_t>(s[3])} |
                                             (size_t{static_cast<uint8_t>(s[2])} << 8));
  };
  auto run_with = [&](const std::string& exports_file) {
    PlaybackServer mountd([&](int fd) {
      read_until(fd, is_record);
      send_all(fd, load_capture("nfs/" + exports_file));
    });
    const uint16_t mountd_port = mountd.port();
    PlaybackServer portmapper([&](int fd) {
      const std::string call = read_until(fd, is_record);
      if (call != load_capture("nfs/request_pmap_getport_mountd_v3_tcp.bin")) return;
      std::string reply = load_capture("nfs/rpcbind_getport_registered.bin");
      reply[reply.size() - 2] = static_cast<char>(mountd_port >> 8);
      reply[reply.size() - 1] = static_cast<char>(mountd_port);
      send_all(fd, reply);
    });
    return run_check(*check, portmapper.port(), Protocol::kTcp, "rpcbind");
  };
  auto world = run_with("mountd_export_world.bin");
  ASSERT_EQ(world.size(), 3u);
  EXPECT_EQ(world[0].id, "nfs-exports:/srv/public");
  EXPECT_EQ(world[0].severity, Severity::kHigh);
  EXPECT_EQ(world[1].id, "nfs-exports:/srv/scratch");
  EXPECT_EQ(world[2].id, "nfs-exports:list");
  EXPECT_EQ(world[2].severity, Severity::kInfo);
  EXPECT_NE(world[2].evidence.find("/home (192.168.10.0/24)"), std::string::npos);

  auto restricted = run_with("mountd_export_restricted.bin");
  ASSERT_EQ(restricted.size(), 1u);
  EXPECT_EQ(restricted[0].severity, Severity::kInfo);
  EXPECT_TRUE(run_with("mountd_export_empty.bin").empty());
  EXPECT_TRUE(run_with("mountd_denied.bin").empty());

  // mountd not registered: rpcbind's real answer, port 0.
  PlaybackServer unregistered([](int fd) {
    read_until(fd, at_least(4 + 56));
    send_all(fd, load_capture("nfs/rpcbind_getport_unregistered.bin"));
  });
  EXPECT_TRUE(run_check(*check, unregistered.port(), Protocol::kTcp, "rpcbind").empty());
}

TEST(BinaryChecks, ChecksApplyByServiceOrWellKnownPort) {
  HostResult host;
  host.address = *IpAddress::parse("127.0.0.1");
  AuditPolicy policy;
  auto applies = [&](const Check& c, uint16_t port, Protocol proto, const std::string& name) {
    PortResult p{port, proto, PortState::kOpen, Reason::kSynAck, 0, nullptr};
    ServiceInfo s;
    s.name = name;
    return c.applies(PortContext{host, p, s, nullptr, policy, nullptr, ""});
  };
  EXPECT_TRUE(applies(*make_rsync_modules_check(), 873, Protocol::kTcp, ""));
  EXPECT_FALSE(applies(*make_rsync_modules_check(), 873, Protocol::kTcp, "http"));
  EXPECT_TRUE(applies(*make_snmp_default_community_check(), 161, Protocol::kUdp, ""));
  EXPECT_FALSE(applies(*make_snmp_default_community_check(), 161, Protocol::kTcp, ""));
  EXPECT_TRUE(applies(*make_ntp_amplification_check(), 123, Protocol::kUdp, ""));
  EXPECT_TRUE(applies(*make_vnc_unencrypted_check(), 5901, Protocol::kTcp, ""));
  EXPECT_FALSE(applies(*make_vnc_unencrypted_check(), 5911, Protocol::kTcp, ""));
  EXPECT_TRUE(applies(*make_smbv1_check(), 139, Protocol::kTcp, ""));
  EXPECT_TRUE(applies(*make_nfs_exports_check(), 111, Protocol::kTcp, ""));
  EXPECT_TRUE(applies(*make_nfs_exports_check(), 2049, Protocol::kTcp, "nfs"));
  host.ports.push_back(
      PortResult{111, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr});
  EXPECT_FALSE(applies(*make_nfs_exports_check(), 2049, Protocol::kTcp, "nfs"));
  // Offline (no AuditNet) an active check does nothing.
  PortResult p{873, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr};
  ServiceInfo s;
  std::vector<Finding> out;
  make_rsync_modules_check()->run(PortContext{host, p, s, nullptr, policy, nullptr, ""}, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace portolan::audit
