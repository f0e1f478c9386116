// The TCP text-protocol checks (ftp, mail, http, redis, memcached, mongodb,
// elasticsearch, docker, kubernetes, telnet) end to end: each runs through a
// real AuditNet (Pacer(1000)) against a small server on 127.0.0.1 that plays
// back captured answers (captures/<protocol>/), so the decision on the
// misconfigured server (a finding) and on its correct twin (none) is tested
// with the I/O paths it takes in a scan.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "audit_test_support.h"
#include "portolan/audit/audit_net.h"
#include "portolan/audit/audit_policy.h"
#include "portolan/audit/check_registry.h"
#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

using namespace std::chrono_literals;

// When the bytes received so far contain `trigger`, the server sends
// `response` (and closes the connection if `close`).
struct Rule {
  std::string trigger;
  std::string response;
  bool close = false;
};

// Plays back captures on 127.0.0.1: a greeting on every connection, then an
// answer per request, one connection at a time, until destroyed.
class ScriptedServer {
 public:
  ScriptedServer(std::string greeting, std::vector<Rule> rules)
      : greeting_(std::move(greeting)),
        rules_(std::move(rules)),
        server_([this](int fd) { talk(fd); }) {}
  uint16_t port() const { return server_.port(); }
  int connections() const { return server_.served(); }
  std::string received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  static bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 20) > 0;
  }

  void talk(int fd) {
    if (!greeting_.empty()) (void)::send(fd, greeting_.data(), greeting_.size(), MSG_NOSIGNAL);
    std::string pending;
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (!server_.stopping() && std::chrono::steady_clock::now() < give_up) {
      if (!readable(fd)) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      pending.append(buf, static_cast<size_t>(n));
      {
        std::lock_guard lock(mutex_);
        received_.append(buf, static_cast<size_t>(n));
      }
      for (bool matched = true; matched;) {
        matched = false;
        for (const Rule& r : rules_) {
          const size_t at = pending.find(r.trigger);
          if (at == std::string::npos) continue;
          pending.erase(0, at + r.trigger.size());
          (void)::send(fd, r.response.data(), r.response.size(), MSG_NOSIGNAL);
          if (r.close) return;
          matched = true;
          break;
        }
      }
    }
  }

  std::string greeting_;
  std::vector<Rule> rules_;
  mutable std::mutex mutex_;
  std::string received_;
  PlaybackServer server_;  // last: its thread ends before the members it uses go
};

struct CheckRun {
  bool applies = false;
  std::vector<Finding> findings;
  uint64_t connections = 0;
};

// Runs `check` on 127.0.0.1:`port` with `service` as -sV found it.
CheckRun run_check(const Check& check, uint16_t port, ServiceInfo service, bool online = true) {
  HostResult host;
  host.address = IpAddress::v4(0x7f000001);
  host.state = HostState::kUp;
  PortResult p;
  p.port = port;
  p.protocol = Protocol::kTcp;
  p.state = PortState::kOpen;
  Pacer pacer(1000);
  AuditNetOptions options;
  options.timeout = 2000ms;
  AuditNet net(host.address, pacer, options);
  const AuditPolicy policy;
  PortContext ctx{host, p, service, online ? &net : nullptr, policy, nullptr, ""};
  CheckRun run;
  run.applies = check.applies(ctx);
  if (run.applies) check.run(ctx, run.findings);
  run.connections = net.connections();
  return run;
}

ServiceInfo named(std::string name, std::string product = {}) {
  ServiceInfo s;
  s.name = std::move(name);
  s.product = std::move(product);
  return s;
}

// ---- ftp ----

std::vector<Rule> ftp_rules(const std::string& who) {
  return {{"USER anonymous\r\n", load_capture("ftp/" + who + ".1")},
          {"PASS anonymous@\r\n", load_capture("ftp/" + who + ".2")},
          {"QUIT\r\n", load_capture("ftp/" + who + ".3"), true}};
}

TEST(FtpAnonymousCheck, AnonymousVsftpdIsAFinding) {
  ScriptedServer server(load_capture("ftp/vsftpd-anon.greeting"), ftp_rules("vsftpd-anon"));
  const auto check = make_ftp_anonymous_check();
  const CheckRun run = run_check(*check, server.port(), named("ftp", "vsftpd"));
  ASSERT_TRUE(run.applies);
  ASSERT_EQ(run.findings.size(), 1u);
  const Finding& f = run.findings[0];
  EXPECT_EQ(f.id, "ftp-anonymous");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.port, server.port());
  EXPECT_NE(f.evidence.find("230 Login successful."), std::string::npos) << f.evidence;
  EXPECT_NE(f.remediation.find("anonymous_enable=NO"), std::string::npos);
  // Only the documented anonymous login, then QUIT: nothing else is sent.
  EXPECT_EQ(server.received(), "USER anonymous\r\nPASS anonymous@\r\nQUIT\r\n");
}

TEST(FtpAnonymousCheck, TwinRefusingAnonymousIsNot) {
  ScriptedServer server(load_capture("ftp/vsftpd-twin.greeting"), ftp_rules("vsftpd-twin"));
  const auto check = make_ftp_anonymous_check();
  const CheckRun run = run_check(*check, server.port(), named("ftp"));
  ASSERT_TRUE(run.applies);
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(server.received(), "USER anonymous\r\nPASS anonymous@\r\nQUIT\r\n");
}

TEST(FtpAnonymousCheck, AppliesByNameOrWellKnownPortAndNeedsTheNetwork) {
  const auto check = make_ftp_anonymous_check();
  EXPECT_TRUE(run_check(*check, 21, ServiceInfo{}, false).applies);
  EXPECT_FALSE(run_check(*check, 21, named("ssh"), false).applies);
  EXPECT_FALSE(run_check(*check, 2121, ServiceInfo{}, false).applies);
  const CheckRun offline = run_check(*check, 21, named("ftp"), false);
  EXPECT_TRUE(offline.findings.empty());
  EXPECT_EQ(offline.connections, 0u);
}

TEST(FtpCleartextCheck, FeatWithoutAuthTlsIsAFindingWithItIsNot) {
  const auto check = make_ftp_cleartext_check();
  {
    ScriptedServer server(load_capture("ftp/vsftpd-anon-feat.greeting"),
                          {{"FEAT\r\n", load_capture("ftp/vsftpd-anon-feat.1")},
                           {"QUIT\r\n", load_capture("ftp/vsftpd-anon-feat.2"), true}});
    const CheckRun run = run_check(*check, server.port(), named("ftp"));
    ASSERT_EQ(run.findings.size(), 1u);
    EXPECT_EQ(run.findings[0].severity, Severity::kMedium);
    EXPECT_EQ(run.findings[0].title, "FTP without TLS");
    EXPECT_NE(run.findings[0].evidence.find("EPSV"), std::string::npos);
  }
  {
    ScriptedServer server(load_capture("ftp/vsftpd-twin-feat.greeting"),
                          {{"FEAT\r\n", load_capture("ftp/vsftpd-twin-feat.1")},
                           {"QUIT\r\n", load_capture("ftp/vsftpd-twin-feat.2"), true}});
    const CheckRun run = run_check(*check, server.port(), named("ftp"));
    ASSERT_TRUE(run.applies);
    EXPECT_TRUE(run.findings.empty());
  }
  ServiceInfo ftps = named("ftp");
  ftps.tunnel = "ssl";
  EXPECT_FALSE(run_check(*check, 990, ftps, false).applies);
}

// ---- telnet ----

TEST(TelnetCleartextCheck, PassiveFindingFromServiceName) {
  const auto check = make_telnet_cleartext_check();
  EXPECT_FALSE(check->info().active);
  const CheckRun run = run_check(*check, 23, named("telnet", "Linux telnetd"), false);
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].severity, Severity::kHigh);
  EXPECT_NE(run.findings[0].remediation.find("SSH"), std::string::npos);
  EXPECT_FALSE(run_check(*check, 23, named("ssh"), false).applies);
}

// ---- mail ----

TEST(MailNoStarttlsCheck, SmtpFromExim) {
  const auto check = make_mail_no_starttls_check();
  for (const bool tls : {false, true}) {
    const std::string transcript =
        load_capture(tls ? "smtp/exim-starttls.transcript" : "smtp/exim-no-tls.transcript");
    const size_t ehlo = transcript.find("250-");
    const size_t bye = transcript.find("221 ");
    ScriptedServer server(transcript.substr(0, ehlo),
                          {{"EHLO", transcript.substr(ehlo, bye - ehlo)},
                           {"QUIT\r\n", transcript.substr(bye), true}});
    const CheckRun run = run_check(*check, server.port(), named("smtp", "Exim smtpd"));
    ASSERT_TRUE(run.applies);
    if (tls) {
      EXPECT_TRUE(run.findings.empty());
    } else {
      ASSERT_EQ(run.findings.size(), 1u);
      EXPECT_EQ(run.findings[0].title, "SMTP without STARTTLS");
      EXPECT_EQ(run.findings[0].severity, Severity::kMedium);
      EXPECT_NE(run.findings[0].remediation.find("postfix"), std::string::npos);
    }
  }
}

TEST(MailNoStarttlsCheck, Pop3AndImapFromDovecot) {
  const auto check = make_mail_no_starttls_check();
  struct Case {
    std::string dir, name, service, request, quit;
    bool finding;
  };
  const Case cases[] = {
      {"pop3", "dovecot-no-tls", "pop3", "CAPA\r\n", "QUIT\r\n", true},
      {"pop3", "dovecot-stls", "pop3", "CAPA\r\n", "QUIT\r\n", false},
      {"imap", "dovecot-no-tls", "imap", "a1 CAPABILITY\r\n", "a2 LOGOUT\r\n", true},
      {"imap", "dovecot-starttls", "imap", "a1 CAPABILITY\r\n", "a2 LOGOUT\r\n", false},
  };
  for (const Case& c : cases) {
    const std::string base = c.dir + "/" + c.name;
    ScriptedServer server(
        load_capture(base + ".greeting"),
        {{c.request, load_capture(base + ".1")}, {c.quit, load_capture(base + ".2"), true}});
    const CheckRun run = run_check(*check, server.port(), named(c.service, "Dovecot"));
    EXPECT_EQ(run.findings.size(), c.finding ? 1u : 0u) << base;
    EXPECT_EQ(server.received(), c.request + c.quit) << base;
  }
}

TEST(MailNoStarttlsCheck, StarttlsSeenByServiceDetectionNeedsNoIo) {
  const auto check = make_mail_no_starttls_check();
  ServiceInfo s = named("smtp");
  s.tls = TlsInfo{};
  s.tls->starttls = true;
  const CheckRun run = run_check(*check, 25, s);
  EXPECT_TRUE(run.applies);
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(run.connections, 0u);
  ServiceInfo smtps = named("smtp");
  smtps.tunnel = "ssl";
  EXPECT_FALSE(run_check(*check, 465, smtps, false).applies);
  EXPECT_TRUE(run_check(*check, 143, ServiceInfo{}, false).applies);
}

// ---- http ----

CheckRun run_http(const Check& check, const std::string& request_start, const std::string& answer,
                  ServiceInfo service, std::string* received = nullptr) {
  ScriptedServer server("", {{request_start, answer, true}});
  CheckRun run = run_check(check, server.port(), std::move(service));
  if (received) *received = server.received();
  return run;
}

TEST(HttpCleartextAuthCheck, BasicDigestFormAndPlainPage) {
  const auto check = make_http_cleartext_auth_check();
  std::string request;
  const CheckRun basic = run_http(*check, "GET / ", load_capture("http/nginx-basic-auth.1"),
                                  named("http", "nginx"), &request);
  ASSERT_EQ(basic.findings.size(), 1u);
  EXPECT_EQ(basic.findings[0].severity, Severity::kMedium);
  EXPECT_EQ(basic.findings[0].title, "HTTP Basic authentication over cleartext");
  EXPECT_NE(basic.findings[0].evidence.find("Basic realm"), std::string::npos);
  EXPECT_EQ(request.rfind("GET / HTTP/1.1\r\nHost: 127.0.0.1:", 0), 0u) << request;

  const CheckRun digest =
      run_http(*check, "GET / ", load_capture("http/digest-challenge.http"), named("http"));
  ASSERT_EQ(digest.findings.size(), 1u);
  EXPECT_EQ(digest.findings[0].severity, Severity::kLow);

  const CheckRun form =
      run_http(*check, "GET / ", load_capture("http/nginx-login-form.1"), named("http", "nginx"));
  ASSERT_EQ(form.findings.size(), 1u);
  EXPECT_EQ(form.findings[0].title, "Login form over cleartext HTTP");

  EXPECT_TRUE(run_http(*check, "GET / ", load_capture("http/nginx-plain-page.1"), named("http"))
                  .findings.empty());

  ServiceInfo https = named("http");
  https.tunnel = "ssl";
  EXPECT_FALSE(run_check(*check, 443, https, false).applies);
}

TEST(HttpOpenProxyCheck, TinyproxyAllowedDeniedAndAuth) {
  const auto check = make_http_open_proxy_check();
  std::string request;
  const CheckRun open = run_http(*check, "GET http://", load_capture("http/tinyproxy-open.1"),
                                 named("http-proxy", "tinyproxy"), &request);
  ASSERT_EQ(open.findings.size(), 1u);
  EXPECT_EQ(open.findings[0].severity, Severity::kHigh);
  EXPECT_NE(open.findings[0].evidence.find("Via: 1.1 tinyproxy"), std::string::npos);
  // The proxy is asked for itself: the absolute URL names the target's own port.
  EXPECT_EQ(request.rfind("GET http://127.0.0.1:", 0), 0u) << request;
  EXPECT_NE(request.find("Host: 127.0.0.1:"), std::string::npos);

  EXPECT_TRUE(run_http(*check, "GET http://", load_capture("http/tinyproxy-denied.1"),
                       named("http-proxy", "tinyproxy"))
                  .findings.empty());
  EXPECT_TRUE(run_http(*check, "GET http://", load_capture("http/tinyproxy-auth.1"),
                       named("http-proxy", "tinyproxy"))
                  .findings.empty());
  // A relayed 200 is open even without Via; Squid's access refusal is not.
  EXPECT_EQ(
      run_http(*check, "GET http://", load_capture("http/nginx-plain-page.1"), named("http-proxy"))
          .findings.size(),
      1u);
  EXPECT_TRUE(run_http(*check, "GET http://",
                       "HTTP/1.1 403 Forbidden\r\nVia: 1.1 proxy (squid/5.7)\r\nX-Squid-Error: "
                       "ERR_ACCESS_DENIED 0\r\n"
                       "Content-Length: 0\r\n\r\n",
                       named("http-proxy", "Squid http proxy"))
                  .findings.empty());
  EXPECT_FALSE(run_check(*check, 80, named("http", "nginx"), false).applies);
  EXPECT_TRUE(run_check(*check, 8080, named("http", "Squid http proxy"), false).applies);
}

TEST(ElasticsearchNoauthCheck, OpenClusterAndSecuredTwin) {
  const auto check = make_elasticsearch_noauth_check();
  {
    ScriptedServer server(
        "", {{"GET / HTTP/1.1", load_capture("http/elasticsearch-root-open.http"), true},
             {"GET /_cat/indices?format=json",
              load_capture("http/elasticsearch-cat-indices-open.http"), true}});
    const CheckRun run = run_check(*check, server.port(), named("http", "Elasticsearch REST API"));
    ASSERT_EQ(run.findings.size(), 1u);
    EXPECT_EQ(run.findings[0].severity, Severity::kCritical);
    EXPECT_NE(run.findings[0].evidence.find("1 index(es)"), std::string::npos)
        << run.findings[0].evidence;
    EXPECT_EQ(server.connections(), 2);
  }
  {
    ScriptedServer server(
        "", {{"GET / HTTP/1.1", load_capture("http/elasticsearch-root-secured.http"), true},
             {"GET /_cat", "HTTP/1.1 500 Unexpected\r\n\r\n", true}});
    const CheckRun run = run_check(*check, server.port(), named("http", "Elasticsearch REST API"));
    EXPECT_TRUE(run.findings.empty());
    EXPECT_EQ(server.connections(), 1);  // no second request after a 401
  }
}

TEST(DockerApiNoauthCheck, OpenApiAndAuthorizationPlugin) {
  const auto check = make_docker_api_noauth_check();
  std::string request;
  const CheckRun open =
      run_http(*check, "GET /version ", load_capture("http/docker-version-open.http"),
               ServiceInfo{}, &request);
  EXPECT_TRUE(open.applies == false);  // port is not 2375: an empty service applies only there
  const CheckRun named_open =
      run_http(*check, "GET /version ", load_capture("http/docker-version-open.http"),
               named("docker"), &request);
  ASSERT_EQ(named_open.findings.size(), 1u);
  EXPECT_EQ(named_open.findings[0].severity, Severity::kCritical);
  EXPECT_NE(named_open.findings[0].evidence.find("ApiVersion 1.43"), std::string::npos);
  EXPECT_TRUE(run_http(*check, "GET /version ",
                       load_capture("http/docker-version-authz-denied.http"), named("docker"))
                  .findings.empty());
  EXPECT_TRUE(run_check(*check, 2375, ServiceInfo{}, false).applies);
}

TEST(KubernetesNoauthCheck, ApiServerAndKubelet) {
  const auto check = make_kubernetes_noauth_check();
  const ServiceInfo api = named("http", "Kubernetes API server");
  const ServiceInfo kubelet = named("http", "kubelet");
  const CheckRun open = run_http(*check, "GET /api/v1/namespaces ",
                                 load_capture("http/kubernetes-namespaces-open.http"), api);
  ASSERT_EQ(open.findings.size(), 1u);
  EXPECT_EQ(open.findings[0].severity, Severity::kCritical);
  EXPECT_TRUE(run_http(*check, "GET /api/v1/namespaces ",
                       load_capture("http/kubernetes-namespaces-forbidden.http"), api)
                  .findings.empty());
  EXPECT_TRUE(run_http(*check, "GET /api/v1/namespaces ",
                       load_capture("http/kubernetes-namespaces-unauthorized.http"), api)
                  .findings.empty());
  const CheckRun pods = run_http(*check, "GET /pods ",
                                 load_capture("http/kubernetes-kubelet-pods-open.http"), kubelet);
  ASSERT_EQ(pods.findings.size(), 1u);
  EXPECT_EQ(pods.findings[0].title, "Kubelet API answering anonymous requests");
  EXPECT_TRUE(run_http(*check, "GET /pods ",
                       load_capture("http/kubernetes-kubelet-pods-unauthorized.http"), kubelet)
                  .findings.empty());
  // A 200 that is not a NamespaceList (some other web app on 8443) is nothing.
  EXPECT_TRUE(
      run_http(*check, "GET /api/v1/namespaces ", load_capture("http/nginx-plain-page.1"), api)
          .findings.empty());
  EXPECT_TRUE(run_check(*check, 6443, named("https"), false).applies);
  EXPECT_FALSE(run_check(*check, 6443, named("ssh"), false).applies);
}

// ---- redis, memcached, mongodb ----

TEST(RedisNoauthCheck, OpenRequirepassAndProtectedMode) {
  const auto check = make_redis_noauth_check();
  {
    ScriptedServer server("", {{"INFO server\r\n", load_capture("redis/redis-open.1")},
                               {"QUIT\r\n", load_capture("redis/redis-open.2"), true}});
    const CheckRun run = run_check(*check, server.port(), named("redis"));
    ASSERT_EQ(run.findings.size(), 1u);
    EXPECT_EQ(run.findings[0].severity, Severity::kCritical);
    EXPECT_NE(run.findings[0].evidence.find("redis_version:7.0.15"), std::string::npos);
    EXPECT_EQ(server.received(), "INFO server\r\nQUIT\r\n");
  }
  {
    ScriptedServer server("", {{"INFO server\r\n", load_capture("redis/redis-requirepass.1")},
                               {"QUIT\r\n", load_capture("redis/redis-requirepass.2"), true}});
    EXPECT_TRUE(run_check(*check, server.port(), named("redis")).findings.empty());
  }
  {
    ScriptedServer server(
        "", {{"INFO server\r\n", load_capture("redis/redis-protected-mode.1"), true}});
    EXPECT_TRUE(run_check(*check, server.port(), named("redis")).findings.empty());
  }
}

TEST(MemcachedNoauthCheck, OpenAndAuthFileTwin) {
  const auto check = make_memcached_noauth_check();
  {
    ScriptedServer server("", {{"version\r\n", load_capture("memcached/memcached-open.1")},
                               {"stats\r\n", load_capture("memcached/memcached-open.2")},
                               {"quit\r\n", "", true}});
    const CheckRun run = run_check(*check, server.port(), named("memcached"));
    ASSERT_EQ(run.findings.size(), 1u);
    EXPECT_EQ(run.findings[0].severity, Severity::kHigh);
    EXPECT_NE(run.findings[0].evidence.find("VERSION 1.6.18"), std::string::npos);
  }
  {
    ScriptedServer server("", {{"version\r\n", load_capture("memcached/memcached-authfile.1")},
                               {"stats\r\n", load_capture("memcached/memcached-authfile.2")},
                               {"quit\r\n", load_capture("memcached/memcached-authfile.3"), true}});
    EXPECT_TRUE(run_check(*check, server.port(), named("memcached")).findings.empty());
  }
}

TEST(MongodbNoauthCheck, OpenAndUnauthorized) {
  const auto check = make_mongodb_noauth_check();
  {
    ScriptedServer server(
        "", {{"listDatabases", load_capture("mongodb/listdatabases-open.bin"), true}});
    const CheckRun run = run_check(*check, server.port(), named("mongodb"));
    ASSERT_EQ(run.findings.size(), 1u);
    EXPECT_EQ(run.findings[0].severity, Severity::kCritical);
    EXPECT_NE(run.findings[0].evidence.find("admin, config, local, shop"), std::string::npos);
  }
  {
    ScriptedServer server(
        "", {{"listDatabases", load_capture("mongodb/listdatabases-unauthorized.bin"), true}});
    EXPECT_TRUE(run_check(*check, server.port(), named("mongodb")).findings.empty());
  }
}

// ---- robustness: garbage and silence end every check without a finding ----

TEST(TcpChecks, GarbageAndClosedConnectionsAreNoFindings) {
  const std::unique_ptr<Check> checks[] = {
      make_ftp_anonymous_check(),        make_ftp_cleartext_check(),
      make_mail_no_starttls_check(),     make_http_cleartext_auth_check(),
      make_http_open_proxy_check(),      make_redis_noauth_check(),
      make_memcached_noauth_check(),     make_mongodb_noauth_check(),
      make_elasticsearch_noauth_check(), make_docker_api_noauth_check(),
      make_kubernetes_noauth_check()};
  const ServiceInfo services[] = {named("ftp"),       named("ftp"),        named("smtp"),
                                  named("http"),      named("http-proxy"), named("redis"),
                                  named("memcached"), named("mongodb"),    named("elasticsearch"),
                                  named("docker"),    named("kubernetes")};
  const std::string garbage =
      std::string("\x16\x03\x01\x00\x05\xff\xfe\r\n\0\0\0\0", 13) + std::string(300, 'A');
  for (size_t i = 0; i < std::size(checks); ++i) {
    ScriptedServer server(garbage, {{"\n", garbage, true}, {"listDatabases", garbage, true}});
    const CheckRun run = run_check(*checks[i], server.port(), services[i]);
    EXPECT_TRUE(run.applies) << checks[i]->info().id;
    EXPECT_TRUE(run.findings.empty()) << checks[i]->info().id;
  }
}

}  // namespace
}  // namespace portolan::audit
