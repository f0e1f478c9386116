// The -sV engine against small servers on 127.0.0.1 that this test runs:
// well-behaved ones (banner first, client first) and hostile ones (a tarpit,
// an endless banner, garbage, a TLS handshake that never finishes, a port
// that closes at once). Each hostile one must cost a bounded time and memory.
#include "portolan/service/service_detector.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace portolan {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDb = R"(probes:
  - name: null
    wait-ms: 800
  - name: get
    send: "GET / HTTP/1.0\r\n\r\n"
    services: [http]
    rarity: 1
    wait-ms: 400
  - name: tls
    send-builtin: tls
    rarity: 1
    wait-ms: 400
signatures:
  - service: ssh
    match: '^SSH-([\d.]+)-OpenSSH_([\w.]+) Debian-(\S+)\r?\n'
    product: OpenSSH
    version: '$2 Debian $3'
    info: 'protocol $1'
    os: Linux
    cpe: ['a:openbsd:openssh:$2', 'o:linux:linux_kernel']
  - service: http
    match: '^HTTP/1\.[01] \d\d\d [^\r\n]*\r\nServer: nginx/([\d.]+)'
    product: nginx
    version: $1
  - service: http
    match: '^HTTP/1\.[01] \d\d\d'
    soft: true
)";

// A TCP server on an ephemeral loopback port; `serve` runs per connection on
// the server thread, which stops when the test ends.
class TestServer {
 public:
  explicit TestServer(std::function<void(int, const std::atomic<bool>&)> serve)
      : serve_(std::move(serve)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    EXPECT_EQ(::listen(fd_, 512), 0);
    socklen_t len = sizeof sa;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~TestServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : workers_) t.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      workers_.emplace_back([this, c] {
        serve_(c, stop_);
        ::close(c);
      });
    }
  }
  std::function<void(int, const std::atomic<bool>&)> serve_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> workers_;
};

void hold(const std::atomic<bool>& stop, std::chrono::milliseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (!stop && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(5ms);
}

std::string read_some(int fd, std::chrono::milliseconds d) {
  pollfd p{fd, POLLIN, 0};
  char buf[4096];
  if (::poll(&p, 1, static_cast<int>(d.count())) <= 0) return {};
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

struct Detection {
  HostResult host;
  std::chrono::milliseconds elapsed{};
  ServiceDetectStats stats;
};

Detection detect(std::vector<uint16_t> ports, std::chrono::milliseconds port_timeout = 3000ms) {
  std::vector<std::pair<std::string, std::string>> files = {{"t.yaml", kDb}};
  auto db = ServiceDb::load(files);
  EXPECT_TRUE(db);
  ServiceDetectOptions o;
  o.db = *db;
  o.port_timeout = port_timeout;
  o.idle_after_data = 200ms;
  auto detector = ServiceDetector::create(o);
  EXPECT_TRUE(detector);
  Detection run;
  run.host.address = *IpAddress::parse("127.0.0.1");
  run.host.state = HostState::kUp;
  for (uint16_t p : ports) {
    PortResult pr;
    pr.port = p;
    pr.state = PortState::kOpen;
    run.host.ports.push_back(pr);
  }
  std::vector<HostResult> hosts{run.host};
  const auto start = std::chrono::steady_clock::now();
  (*detector)->detect(hosts);
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  run.host = hosts[0];
  run.stats = (*detector)->stats();
  return run;
}

TEST(ServiceDetector, BannerAndClientFirstServices) {
  TestServer ssh([](int fd, const std::atomic<bool>& stop) {
    const std::string banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
    ::send(fd, banner.data(), banner.size(), MSG_NOSIGNAL);
    hold(stop, 1000ms);
  });
  TestServer http([](int fd, const std::atomic<bool>&) {
    if (read_some(fd, 1000ms).rfind("GET / ", 0) != 0) return;
    const std::string reply = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n<html>";
    ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  });
  const Detection run = detect({ssh.port(), http.port()});
  ASSERT_EQ(run.host.ports.size(), 2u);
  const ServiceInfo& s = *run.host.ports[0].service;
  EXPECT_EQ(s.name, "ssh");
  EXPECT_EQ(s.method, "probed");
  EXPECT_EQ(s.conf, 10);
  EXPECT_EQ(s.product, "OpenSSH");
  EXPECT_EQ(s.version, "9.2p1 Debian 2+deb12u3");
  EXPECT_EQ(s.extra_info, "protocol 2.0");
  EXPECT_EQ(s.os_type, "Linux");
  EXPECT_EQ(s.cpe, (std::vector<std::string>{"cpe:/a:openbsd:openssh:9.2p1",
                                             "cpe:/o:linux:linux_kernel"}));
  const ServiceInfo& h = *run.host.ports[1].service;
  EXPECT_EQ(h.name, "http");
  EXPECT_EQ(h.product, "nginx");
  EXPECT_EQ(h.version, "1.22.1");
  // Neither waited for the banner timeout: the answers matched at once.
  EXPECT_LT(run.elapsed, 700ms);
}

TEST(ServiceDetector, TarpitCostsAtMostThePortTimeout) {
  TestServer tarpit([](int, const std::atomic<bool>& stop) { hold(stop, 10000ms); });
  const Detection run = detect({tarpit.port()}, 1000ms);
  EXPECT_LT(run.elapsed, 1800ms);
  EXPECT_GE(run.elapsed, 700ms);
  EXPECT_NE(run.host.ports[0].service->method, "probed");
}

TEST(ServiceDetector, EndlessBannerIsCutAtTheCap) {
  TestServer flood([](int fd, const std::atomic<bool>& stop) {
    const std::string chunk(64 * 1024, 'A');
    for (int i = 0; i < 2000 && !stop; ++i) {
      if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) return;
    }
  });
  const Detection run = detect({flood.port()});
  EXPECT_LT(run.elapsed, 2500ms);
  const ServiceInfo& s = *run.host.ports[0].service;
  EXPECT_EQ(s.method, "table");
  // What it sent is kept, bounded, for the user to see.
  EXPECT_NE(s.fingerprint.find(":AAAA"), std::string::npos) << s.fingerprint.substr(0, 40);
  EXPECT_LT(s.fingerprint.size(), 1000u);
}

TEST(ServiceDetector, GarbageIsEscapedAndUnmatched) {
  TestServer garbage([](int fd, const std::atomic<bool>& stop) {
    const std::string junk("\x1b[2J\x00\xff\xfe garbage\r\n", 17);
    ::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
    hold(stop, 1500ms);
  });
  const Detection run = detect({garbage.port()});
  const ServiceInfo& s = *run.host.ports[0].service;
  EXPECT_EQ(s.method, "table");
  // Either lane may have read it first ("null:" or "get:"); the bytes are the same.
  const std::string escaped = ":\\x1B[2J\\x00\\xFF\\xFE garbage\\r\\n";
  ASSERT_GE(s.fingerprint.size(), escaped.size());
  EXPECT_EQ(s.fingerprint.substr(s.fingerprint.size() - escaped.size()), escaped) << s.fingerprint;
}

TEST(ServiceDetector, StalledTlsHandshakeIsBounded) {
  // Reads the ClientHello (or anything) and never answers.
  TestServer stall([](int fd, const std::atomic<bool>& stop) {
    (void)read_some(fd, 500ms);
    hold(stop, 10000ms);
  });
  const Detection run = detect({stall.port()}, 1500ms);
  EXPECT_LT(run.elapsed, 2300ms);
  EXPECT_FALSE(run.host.ports[0].service->tls);
}

TEST(ServiceDetector, ClosingAtOnceIsTcpwrapped) {
  TestServer closer([](int, const std::atomic<bool>&) {});
  const Detection run = detect({closer.port()});
  const ServiceInfo& s = *run.host.ports[0].service;
  EXPECT_EQ(s.name, "tcpwrapped");
  EXPECT_LT(run.elapsed, 1500ms);
}

TEST(ServiceDetector, ManyPortsShareBoundedSockets) {
  TestServer http([](int fd, const std::atomic<bool>&) {
    if (read_some(fd, 1000ms).empty()) return;
    const std::string reply = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n";
    ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  });
  // The same server under 100 port entries: every one identified.
  std::vector<uint16_t> ports(100, http.port());
  const Detection run = detect(ports);
  for (const auto& p : run.host.ports) EXPECT_EQ(p.service->product, "nginx");
  EXPECT_EQ(run.stats.ports, 100u);
}

}  // namespace
}  // namespace portolan
