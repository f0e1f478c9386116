// ConnectScanner: the unprivileged TCP connect scan (-sT) and connect ping.
//
// Design
// ------
// A connect scan is one connect() per port, and on a fast path (loopback, a
// LAN) almost all of its time is the kernel's TCP stack: route lookup, SYN,
// listener lookup, RST, state changes. The engine therefore tries to do as
// little as possible per probe besides that, and to spread the rest over
// cores:
//
// * Socket reuse. A socket whose connect() was refused (ECONNREFUSED) is back
//   in the CLOSE state and may connect() again: the kernel reset it when it
//   reported the error. Closed ports are the vast majority of a scan, so
//   most probes cost a connect() only, not socket() + setsockopt() + close()
//   and the allocation and RCU-deferred teardown behind them. Only an open
//   port (connected), a timeout (the socket sits in SYN_SENT) or another
//   error closes the socket; the slot then gets a fresh one.
//
// * Batched kernel interface. Each worker thread drives its connects through
//   a ConnectIo: io_uring when the kernel allows it (a batch of 64 connects
//   and the reaping of their results in one io_uring_enter), otherwise epoll
//   with an immediate second connect() that on loopback already has the
//   answer. Sockets are plain descriptors (not registered files) so that
//   SO_LINGER {1, 0} can be set (an open port is closed with a RST: no
//   TIME_WAIT pile-up on big scans) and getsockname()/getpeername() work.
//
// * Pinned sources on IPv4 loopback. Probes to 127/8 are bound to
//   127.0.0.3 and a random ephemeral port held for the socket's life, which
//   saves connect() the kernel's ephemeral port search; and as the source
//   address is never the target, no probe can meet itself or another probe
//   (see probe_socket.h). ConnectScanOptions::pin_loopback_sources turns it
//   off.
//
// * Self-connect check. When the kernel picks a source port equal to the
//   destination port on a local address, the SYN reaches the socket itself
//   and the simultaneous open "succeeds": a false open port, seen in
//   practice when scanning the ephemeral range of 127.0.0.1. Every
//   successful connect is checked with getsockname() == getpeername() (two
//   syscalls, only for open ports); a self-connect is retried on a fresh
//   socket a few times, then the port is closed: a port a listener holds is
//   never handed out as a source port, so nothing listens there.
//
// * Threads without shared locks. Each worker has its own ring or epoll set,
//   slots, deadline queue and per-host state. A few hosts are split by port
//   (port i to worker i % threads), many hosts are dealt out whole. The only
//   shared writes on the hot path are a per-host countdown when a worker
//   finishes its share, relaxed progress counters (flushed once per batch)
//   and, with --max-rate, one compare-and-swap per probe.
//
// Timeouts and retries. Each worker keeps, per host, an RFC 6298 estimate of
// the RTT from unambiguous samples only (first transmissions; Karn's rule)
// and gives each probe a deadline of srtt + 4 * rttvar, clamped to the
// --min/--max-rtt-timeout range (initial_rtt_timeout before any sample).
// Deadlines live in userland, in an indexed heap over slot numbers; an
// expired probe is cancelled (io_uring async cancel by user_data, or
// removal from epoll), its socket closed, and the port queued for a
// retransmission. As in nmap, retransmissions go only as far as they have
// been seen to help on that host (at least one, at most --max-retries), so a
// host that drops everything costs two probes per port, then the port is
// filtered/no-response.
//
// Congestion. Each host has a window of probes in flight (10 at first). An
// answer or a silent timeout of a first transmission grows it (slow start,
// then additive); an answer to a retransmission means the first copy was
// lost, and halves it. --min-rate overrides the window while the scan is
// behind its rate, --max-rate caps it across all workers (rate_limiter.h),
// --scan-delay spaces the probes to one host (such hosts are owned by one
// worker), --host-timeout abandons a host, reporting what finished.
//
// Local shortages (EADDRNOTAVAIL, EMFILE, ENOBUFS...) never become port
// states: the probe is put back unchanged and the worker pauses briefly.
//
// Not done: nmap's dynamic scan delay (max_scan_delay is accepted, unused);
// min_hostgroup (the caller forms host groups).
#include "portolan/scan/connect_scanner.h"

#include <sys/resource.h>

#include <algorithm>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "portolan/scan/connect_io.h"
#include "portolan/scan/host_discovery.h"
#include "portolan/scan/scan_clock.h"
#include "portolan/scan/scan_engine.h"

namespace portolan {

namespace {

constexpr int kMaxAutoThreads = 4;

Result<void> validate(const ConnectScanOptions& o) {
  const TimingParams& t = o.timing;
  if (t.max_retries < 0) return fail("--max-retries must not be negative");
  if (t.min_rtt_timeout.count() < 0 || t.max_rtt_timeout.count() <= 0 ||
      t.initial_rtt_timeout.count() <= 0) {
    return fail("RTT timeouts must be positive");
  }
  if (t.min_rtt_timeout > t.max_rtt_timeout) {
    return fail("--min-rtt-timeout is greater than --max-rtt-timeout");
  }
  if (t.scan_delay.count() < 0) return fail("--scan-delay must not be negative");
  if (t.host_timeout && t.host_timeout->count() <= 0)
    return fail("--host-timeout must be positive");
  if (t.min_rate && !(*t.min_rate > 0)) return fail("--min-rate must be positive");
  if (t.max_rate && !(*t.max_rate > 0)) return fail("--max-rate must be positive");
  if (t.min_rate && t.max_rate && *t.min_rate > *t.max_rate) {
    return fail("--min-rate is greater than --max-rate");
  }
  if (t.min_parallelism < 0 || t.max_parallelism < 0)
    return fail("parallelism must not be negative");
  if (o.threads < 0) return fail("thread count must not be negative");
  if (o.max_in_flight_per_thread <= 0) return fail("connects in flight must be positive");
  return {};
}

// Every probe in flight holds a descriptor: take all the kernel allows.
void raise_descriptor_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max) return;
  rl.rlim_cur = rl.rlim_max;
  (void)::setrlimit(RLIMIT_NOFILE, &rl);
}

class ConnectScannerImpl final : public ConnectScanner {
 public:
  ConnectScannerImpl(EngineOptions options, std::string_view backend)
      : backend_(backend), engine_(with_clock(std::move(options), &clock_)) {}

  std::string_view backend_name() const override { return backend_; }
  int threads() const override { return static_cast<int>(engine_.options().threads); }

  Result<void> scan(std::span<const Target> hosts, std::span<const uint16_t> ports,
                    const std::function<void(HostResult&&)>& on_host,
                    ScanProgress& progress) override {
    std::vector<IpAddress> addresses;
    addresses.reserve(hosts.size());
    for (const Target& t : hosts) addresses.push_back(t.address);

    const WallAnchor anchor = WallAnchor::now(clock_);
    auto deliver = [&](HostOutcome&& o) {
      const Target& target = hosts[o.host_index];
      HostResult r;
      r.address = target.address;
      if (!target.hostname.empty()) {
        r.hostnames.push_back(HostName{target.hostname, HostName::Kind::kUser});
      }
      // Scanned without discovery (-Pn) is "up, user-set" in nmap; a caller
      // that ran discover() first overwrites state and reason.
      r.state = HostState::kUp;
      r.reason = Reason::kUserSet;
      r.start_time = anchor.at(o.start);
      r.end_time = anchor.at(o.end);
      r.times = o.times;
      r.latency = o.latency;
      r.timed_out = o.timed_out;
      r.ports = std::move(o.ports);
      progress.hosts_done.fetch_add(1, std::memory_order_relaxed);
      on_host(std::move(r));
    };
    return engine_.run(addresses, ports, ScanMode::kPorts, deliver, progress);
  }

  Result<std::vector<HostResult>> discover(std::span<const Target> hosts,
                                           ScanProgress& progress) override {
    return discover_hosts(engine_, hosts, progress);
  }

 private:
  static EngineOptions with_clock(EngineOptions o, const ScanClock* clock) {
    o.clock = clock;
    return o;
  }

  std::string_view backend_;
  SteadyScanClock clock_;
  ScanEngine engine_;
};

}  // namespace

Result<std::unique_ptr<ConnectScanner>> ConnectScanner::create(const ConnectScanOptions& options) {
  if (auto ok = validate(options); !ok) return Unexpected(ok.error());
  raise_descriptor_limit();

  EngineOptions engine;
  engine.timing = options.timing;
  engine.max_in_flight_per_thread = static_cast<uint32_t>(options.max_in_flight_per_thread);
  engine.pin_loopback_sources = options.pin_loopback_sources;
  engine.stop = options.stop;
  unsigned hw = std::thread::hardware_concurrency();
  engine.threads =
      options.threads > 0
          ? static_cast<uint32_t>(options.threads)
          : static_cast<uint32_t>(std::clamp<int>(static_cast<int>(hw), 1, kMaxAutoThreads));

  std::string_view backend;
  switch (options.backend) {
    case ConnectBackend::kIoUring:
      if (!uring_connect_io_available()) {
        auto probe = make_uring_connect_io(8);
        return Unexpected(probe ? Error(ErrorKind::kIo, "io_uring unavailable") : probe.error());
      }
      engine.io_factory = make_uring_connect_io;
      backend = "io_uring";
      break;
    case ConnectBackend::kEpoll:
      engine.io_factory = make_epoll_connect_io;
      backend = "epoll";
      break;
    case ConnectBackend::kAuto:
      if (uring_connect_io_available()) {
        // A ring can still fail later (memory limits): fall back per worker.
        engine.io_factory = [](uint32_t n) -> Result<std::unique_ptr<ConnectIo>> {
          auto io = make_uring_connect_io(n);
          if (io) return io;
          return make_epoll_connect_io(n);
        };
        backend = "io_uring";
      } else {
        engine.io_factory = make_epoll_connect_io;
        backend = "epoll";
      }
      break;
  }
  return std::unique_ptr<ConnectScanner>(new ConnectScannerImpl(std::move(engine), backend));
}

}  // namespace portolan
