// connect_engine_bench: wall time of a full TCP connect scan of one loopback
// host through the library, beside nmap -sT -p- -T4 on the same host.
//
// The one idea: run ours and nmap alternately in the same session, several
// times, and compare medians, since on a shared machine single runs vary by
// tens of percent. Only loopback targets are accepted.
//
//   connect_engine_bench [--runs N] [--backend auto|io_uring|epoll]
//                        [--threads N] [--target 127.0.0.1|::1] [--nmap]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "portolan/scan/connect_scanner.h"

using namespace portolan;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Runs nmap with its output discarded; returns wall seconds, or -1.
double time_nmap(const std::string& target) {
  std::fflush(stdout);  // or the child's freopen would flush our buffer a second time
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    if (target.find(':') != std::string::npos) {
      execlp("nmap", "nmap", "-6", "-sT", "-p-", "-T4", target.c_str(),
             static_cast<char*>(nullptr));
    } else {
      execlp("nmap", "nmap", "-sT", "-p-", "-T4", target.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  int threads = 0;
  bool with_nmap = false;
  std::string target_text = "127.0.0.1";
  ConnectBackend backend = ConnectBackend::kAuto;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--runs") {
      runs = std::clamp(std::atoi(value().c_str()), 1, 100);
    } else if (a == "--threads") {
      threads = std::clamp(std::atoi(value().c_str()), 0, 64);
    } else if (a == "--target") {
      target_text = value();
    } else if (a == "--nmap") {
      with_nmap = true;
    } else if (a == "--backend") {
      std::string b = value();
      backend = b == "epoll"      ? ConnectBackend::kEpoll
                : b == "io_uring" ? ConnectBackend::kIoUring
                                  : ConnectBackend::kAuto;
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  auto address = IpAddress::parse(target_text);
  if (!address || !address->is_loopback()) {
    std::fprintf(stderr, "target must be a loopback address\n");
    return 2;
  }

  auto t = timing_template(4);
  ConnectScanOptions options;
  options.timing = *t;
  options.backend = backend;
  options.threads = threads;
  auto scanner = ConnectScanner::create(options);
  if (!scanner) {
    std::fprintf(stderr, "%s\n", scanner.error().message().c_str());
    return 1;
  }
  std::vector<uint16_t> ports;
  for (uint32_t p = 1; p <= 65535; ++p) ports.push_back(static_cast<uint16_t>(p));
  std::vector<Target> hosts{Target{*address, ""}};

  std::printf("backend %s, %d threads, %s ports 1-65535\n",
              std::string((*scanner)->backend_name()).c_str(), (*scanner)->threads(),
              target_text.c_str());
  std::vector<double> ours;
  std::vector<double> theirs;
  for (int r = 0; r < runs; ++r) {
    ScanProgress progress;
    size_t open = 0;
    size_t closed = 0;
    size_t other = 0;
    auto t0 = std::chrono::steady_clock::now();
    auto ok = (*scanner)->scan(
        hosts, ports,
        [&](HostResult&& h) {
          for (const PortResult& p : h.ports) {
            if (p.state == PortState::kOpen) {
              ++open;
            } else if (p.state == PortState::kClosed) {
              ++closed;
            } else {
              ++other;
            }
          }
        },
        progress);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ok) {
      std::fprintf(stderr, "scan failed: %s\n", ok.error().message().c_str());
      return 1;
    }
    ours.push_back(secs);
    std::printf("portolan %.3f s  open %zu closed %zu other %zu probes %llu\n", secs, open, closed,
                other, static_cast<unsigned long long>(progress.probes_sent.load()));
    if (with_nmap) {
      double n = time_nmap(target_text);
      if (n > 0) {
        theirs.push_back(n);
        std::printf("nmap     %.3f s\n", n);
      } else {
        std::printf("nmap     failed\n");
      }
    }
    std::fflush(stdout);
  }
  std::printf("portolan median %.3f s  min %.3f s\n", median(ours),
              *std::min_element(ours.begin(), ours.end()));
  if (!theirs.empty()) {
    std::printf("nmap     median %.3f s  min %.3f s\n", median(theirs),
                *std::min_element(theirs.begin(), theirs.end()));
    std::printf("speed-up (median) %.1fx\n", median(theirs) / median(ours));
  }
  return 0;
}
