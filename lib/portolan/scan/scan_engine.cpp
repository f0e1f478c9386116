// ScanEngine::run: sizes the run, starts the workers and delivers finished
// hosts on the calling thread. The per-probe work is in scan_worker.cpp.
#include "portolan/scan/scan_engine.h"

#include <sys/resource.h>

#include <algorithm>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "portolan/scan/engine_run.h"
#include "portolan/scan/scan_worker.h"

namespace portolan {

namespace {

// Below this many probes per thread another thread costs more than it saves.
constexpr uint64_t kProbesPerThread = 2048;
// Descriptors left for everything that is not a probe socket.
constexpr uint64_t kReservedFds = 64;
constexpr uint32_t kDefaultActiveHosts = 256;
// Attempts are counted in a byte; nobody needs more retries than this.
constexpr int kRetryCeiling = 100;

uint64_t descriptor_budget() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return rl.rlim_cur > kReservedFds + 16 ? rl.rlim_cur - kReservedFds : 16;
}

HostOutcome assemble(const EngineRun& run, uint32_t h) {
  SharedHost& sh = run.host_state[h];
  HostOutcome o;
  o.host_index = h;
  const size_t n = run.ports.size();
  const size_t t = run.split_ports ? run.threads : 1;
  for (size_t j = 0; j < n; ++j) {
    const ShareOutput& so = sh.shares[j % t];
    const size_t pos = j / t;
    if (pos >= so.ports.size() || !so.ports[pos].done) continue;
    PortResult p;
    p.port = run.ports[j];
    p.protocol = Protocol::kTcp;
    p.state = so.ports[pos].state;
    p.reason = so.ports[pos].reason;
    o.ports.push_back(std::move(p));
  }
  auto by_port = [](const PortResult& a, const PortResult& b) { return a.port < b.port; };
  // Usually given ascending already (-p- or a sorted PortSet): skip the sort.
  if (!std::is_sorted(o.ports.begin(), o.ports.end(), by_port)) {
    std::stable_sort(o.ports.begin(), o.ports.end(), by_port);
  }

  const ShareOutput* best_rtt = nullptr;
  const ShareOutput* first_answer = nullptr;
  bool any_started = false;
  for (const ShareOutput& so : sh.shares) {
    if (!so.started) continue;
    o.start = any_started ? std::min(o.start, so.start) : so.start;
    o.end = any_started ? std::max(o.end, so.end) : so.end;
    any_started = true;
    o.timed_out = o.timed_out || so.timed_out;
    if (best_rtt == nullptr || so.rtt.samples() > best_rtt->rtt.samples()) best_rtt = &so;
    if (so.answered && (first_answer == nullptr || so.answer_at < first_answer->answer_at)) {
      first_answer = &so;
    }
    if (so.unreachable) o.unreachable = so.unreachable;
  }
  if (best_rtt != nullptr) {
    o.times.timeout_us = best_rtt->rtt.timeout().count();
    if (best_rtt->rtt.has_samples()) {
      o.times.srtt_us = best_rtt->rtt.srtt().count();
      o.times.rttvar_us = best_rtt->rtt.rttvar().count();
      o.latency = best_rtt->rtt.srtt();
    }
  }
  if (first_answer != nullptr) {
    o.answered = true;
    o.answer_reason = first_answer->answer_reason;
    o.answer_rtt = first_answer->answer_rtt;
    o.unreachable.reset();
  }
  std::vector<ShareOutput>().swap(sh.shares);  // the host is delivered: free its ports
  return o;
}

}  // namespace

ScanEngine::ScanEngine(EngineOptions options) : options_(std::move(options)) {}

Result<void> ScanEngine::run(std::span<const IpAddress> hosts, std::span<const uint16_t> ports,
                             ScanMode mode, const std::function<void(HostOutcome&&)>& on_host,
                             ScanProgress& progress) {
  if (options_.clock == nullptr || !options_.io_factory) {
    return fail(ErrorKind::kInternal, "scan engine: no clock or backend");
  }
  if (hosts.size() >= UINT32_MAX || ports.size() >= UINT32_MAX) {
    return fail("scan engine: too many hosts or ports in one run");
  }
  const TimingParams& timing = options_.timing;
  if (ports.empty()) {
    for (uint32_t h = 0; h < hosts.size(); ++h) {
      HostOutcome o;
      o.host_index = h;
      o.start = o.end = options_.clock->now();
      on_host(std::move(o));
    }
    return {};
  }
  if (hosts.empty()) return {};

  EngineRun run;
  run.hosts = hosts;
  run.ports = ports;
  run.mode = mode;
  run.options = &options_;
  run.progress = &progress;

  uint64_t threads = std::max<uint32_t>(options_.threads, 1);
  if (timing.max_parallelism > 0) threads = std::min<uint64_t>(threads, timing.max_parallelism);
  threads = std::min<uint64_t>(
      threads, std::max<uint64_t>(1, hosts.size() * ports.size() / kProbesPerThread));
  // Few hosts: every worker takes every host and a share of its ports, so a
  // single big host still uses all threads. Many hosts, a scan delay (which
  // spaces probes per host, so one thread must own the host) or discovery:
  // hosts are dealt out whole.
  run.split_ports = mode == ScanMode::kPorts && timing.scan_delay.count() == 0 && threads > 1 &&
                    hosts.size() < threads * 4;
  if (!run.split_ports) threads = std::min<uint64_t>(threads, hosts.size());
  run.threads = static_cast<uint32_t>(threads);

  uint64_t slots =
      std::min<uint64_t>(options_.max_in_flight_per_thread, descriptor_budget() / run.threads);
  if (timing.max_parallelism > 0) {
    slots = std::min<uint64_t>(
        slots, (static_cast<uint64_t>(timing.max_parallelism) + run.threads - 1) / run.threads);
  }
  run.slots_per_worker = static_cast<uint32_t>(std::max<uint64_t>(slots, 1));

  uint32_t active = options_.max_active_hosts != 0 ? options_.max_active_hosts
                    : timing.max_hostgroup > 0     ? static_cast<uint32_t>(timing.max_hostgroup)
                                                   : kDefaultActiveHosts;
  if (!run.split_ports) active = (active + run.threads - 1) / run.threads;
  run.active_hosts_per_worker = std::max<uint32_t>(active, 1);

  run.max_retries = std::clamp(timing.max_retries, 0, kRetryCeiling);
  // A ping needs one retransmission at most: a live host answers something.
  if (mode == ScanMode::kDiscovery) run.max_retries = std::min(run.max_retries, 1);

  std::unique_ptr<RateLimiter> rate;
  if (timing.max_rate && *timing.max_rate > 0) {
    rate = std::make_unique<RateLimiter>(*timing.max_rate, default_rate_burst(*timing.max_rate),
                                         options_.clock->now());
    run.rate = rate.get();
  }

  // 32 bytes per host up front; a host's results are allocated when a
  // worker starts it (by that worker when hosts are dealt out whole) and
  // freed once delivered.
  const size_t shares_per_host = run.split_ports ? run.threads : 1;
  run.host_state = std::make_unique<SharedHost[]>(hosts.size());
  for (size_t h = 0; h < hosts.size(); ++h) {
    run.host_state[h].shares_left.store(static_cast<uint32_t>(shares_per_host),
                                        std::memory_order_relaxed);
    if (run.split_ports) run.host_state[h].shares.resize(shares_per_host);
  }

  // Joins the workers however this function is left (an exception from
  // on_host included); an early exit aborts them first.
  struct Workers {
    EngineRun& run;
    std::vector<std::thread> threads;
    ~Workers() {
      run.abort.store(true, std::memory_order_relaxed);
      for (std::thread& t : threads) t.join();
    }
  } workers{run, {}};

  run.workers_running = run.threads;
  for (uint32_t i = 0; i < run.threads; ++i) {
    try {
      workers.threads.emplace_back([&run, i] {
        auto io = run.options->io_factory(run.slots_per_worker);
        if (!io) {
          run.fail(io.error());
        } else {
          ScanWorker worker(run, i, **io);
          worker.run();
        }
        run.worker_exited();
      });
    } catch (const std::system_error& e) {
      run.fail(Error(ErrorKind::kResource, std::string("cannot start a scan thread: ") + e.what()));
      std::lock_guard<std::mutex> lock(run.mu);
      run.workers_running -= run.threads - i;
      break;
    }
  }

  std::vector<uint32_t> ready;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(run.mu);
      run.cv.wait(lock, [&] { return !run.finished.empty() || run.workers_running == 0; });
      ready.swap(run.finished);
      if (ready.empty() && run.workers_running == 0) break;
    }
    for (uint32_t h : ready) on_host(assemble(run, h));
    ready.clear();
  }
  for (std::thread& t : workers.threads) t.join();
  workers.threads.clear();

  std::lock_guard<std::mutex> lock(run.mu);
  if (run.error) return Unexpected(*run.error);
  return {};
}

}  // namespace portolan
