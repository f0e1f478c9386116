// One worker thread's probe loop; the design is explained at the top of
// connect_scanner.cpp, the data layout in scan_worker.h.
#include "portolan/scan/scan_worker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "portolan/scan/connect_outcome.h"

namespace portolan {

namespace {

// Probes started per loop iteration: enough to amortise the io_uring_enter,
// few enough that the sockets in use stay in cache (on loopback a batch is
// answered within the same system call).
constexpr uint32_t kIssueBatch = 64;
// Starting congestion window per host, as nmap's.
constexpr double kInitialCwnd = 10;
// A probe that connected to itself is tried again on a fresh socket this
// many times before the port is called closed (nothing listens there: a
// listener's port is never handed out as a source port).
constexpr uint8_t kMaxSelfConnects = 3;
constexpr Micros kNever = Micros::max();
// Wait when nothing is scheduled yet work remains (only cancels pending).
constexpr Micros kIdleWait{10'000};
constexpr Micros kMaxWait{1'000'000};
constexpr Micros kFirstBackoff{1'000};
constexpr Micros kMaxBackoff{100'000};

// Source-port randomness: the injected seed when given, else the clock.
uint64_t seed_for(const EngineOptions& options, uint32_t worker) {
  uint64_t base = options.seed != 0
                      ? options.seed
                      : static_cast<uint64_t>(options.clock->now().count()) * 0x9e3779b97f4a7c15ull;
  return base + worker;
}

}  // namespace

ScanWorker::ScanWorker(EngineRun& run, uint32_t index, ConnectIo& io)
    : run_(run),
      index_(index),
      io_(io),
      clock_(*run.options->clock),
      timing_(run.options->timing),
      slots_(run.slots_per_worker),
      deadlines_(run.slots_per_worker),
      slot_limit_(run.slots_per_worker),
      source_ports_(seed_for(*run.options, index)) {
  free_slots_.reserve(slots_.size());
  for (uint32_t i = static_cast<uint32_t>(slots_.size()); i > 0; --i) free_slots_.push_back(i - 1);
  shares_.reserve(run.active_hosts_per_worker);
  active_.reserve(run.active_hosts_per_worker);
  batch_.reserve(kIssueBatch);
  completions_.resize(std::min<size_t>(std::max<size_t>(slots_.size(), 64), 1024));
  if (timing_.min_rate && *timing_.min_rate > 0) min_rate_share_ = *timing_.min_rate / run.threads;
  if (timing_.min_parallelism > 1) {
    min_parallel_share_ =
        (static_cast<uint32_t>(timing_.min_parallelism) + run.threads - 1) / run.threads;
  }
}

ScanWorker::~ScanWorker() {
  for (Slot& s : slots_) close_socket(s);
}

void ScanWorker::run() {
  now_ = clock_.now();
  started_ = now_;
  for (;;) {
    if (run_.abort.load(std::memory_order_relaxed)) break;
    if (run_.options->stop != nullptr && run_.options->stop->load(std::memory_order_relaxed)) {
      break;
    }
    admit_hosts();
    if (active_.empty()) break;  // every host admitted and finished
    check_host_timeouts();
    if (active_.empty()) continue;
    issue();
    if (!batch_.empty()) {
      io_.start(batch_);
      batch_.clear();
    }
    size_t n = io_.wait(compute_wait(), completions_);
    now_ = clock_.now();
    for (size_t i = 0; i < n; ++i) on_completion(completions_[i]);
    expire_deadlines();
    flush_progress();
  }
  flush_progress();
}

void ScanWorker::admit_hosts() {
  const auto host_count = static_cast<uint32_t>(run_.hosts.size());
  const auto port_count = static_cast<uint32_t>(run_.ports.size());
  while (active_.size() < run_.active_hosts_per_worker && next_host_ < host_count) {
    const uint32_t h = next_host_++;
    if (!run_.split_ports && h % run_.threads != index_) continue;
    SharedHost& host = run_.host_state[h];
    if (!run_.split_ports) host.shares.resize(1);  // this worker owns the host alone
    ShareOutput& out = host.shares[run_.split_ports ? index_ : 0];
    const uint32_t first = run_.split_ports ? index_ : 0;
    const uint32_t stride = run_.split_ports ? run_.threads : 1;
    const uint32_t count = first < port_count ? (port_count - first + stride - 1) / stride : 0;
    out.ports.assign(count, PortOutcome{});
    out.rtt = RttEstimator(timing_);
    out.start = now_;
    out.started = true;
    if (count == 0) {
      out.end = now_;
      run_.host_share_done(h);
      continue;
    }

    uint32_t id;
    if (!free_shares_.empty()) {
      id = free_shares_.back();
      free_shares_.pop_back();
    } else {
      id = static_cast<uint32_t>(shares_.size());
      shares_.emplace_back();
    }
    Share& s = shares_[id];
    s.host = h;
    s.out = &out;
    s.first = first;
    s.stride = stride;
    s.count = count;
    s.next = 0;
    s.pending = count;
    s.in_flight = 0;
    s.cwnd = std::max(kInitialCwnd, static_cast<double>(min_parallel_share_));
    s.ssthresh = static_cast<double>(slot_limit_);
    s.max_answered_attempt = -1;
    s.next_send_at = now_;
    s.give_up_at = timing_.host_timeout ? now_ + *timing_.host_timeout : kNever;
    s.stopping = false;
    s.rtt = RttEstimator(timing_);
    s.retries.clear();
    s.retry_head = 0;

    const IpAddress& addr = run_.hosts[h];
    sockaddr_storage ss{};
    s.addr_len = addr.to_sockaddr(0, ss);
    std::memcpy(&s.addr, &ss, s.addr_len);
    s.key.family = addr.is_v4() ? AF_INET : AF_INET6;
    s.key.pinned_source_v4 = 0;
    if (run_.options->pin_loopback_sources && addr.is_v4() && addr.is_loopback() &&
        addr.v4_host_order() != kPinnedLoopbackSource) {
      s.key.pinned_source_v4 = kPinnedLoopbackSource;
    }
    active_.push_back(id);
  }
}

void ScanWorker::check_host_timeouts() {
  if (!timing_.host_timeout) return;
  for (size_t i = 0; i < active_.size();) {
    const uint32_t id = active_[i];
    Share& s = shares_[id];
    if (!s.stopping && now_ >= s.give_up_at) {
      s.out->timed_out = true;
      stop_share(id, s);
    }
    // stop_share may have finished the share, moving another one to index i.
    if (i < active_.size() && active_[i] == id) ++i;
  }
}

void ScanWorker::issue() {
  can_send_more_ = false;
  next_wake_ = kNever;
  if (now_ < backoff_until_) {
    next_wake_ = backoff_until_;
    return;
  }
  const size_t n = active_.size();
  if (n == 0) return;
  if (rr_ >= n) rr_ = 0;

  // --min-rate: probe number k (from 1) is due at started_ + k / rate.
  bool behind_min_rate = false;
  if (min_rate_share_ > 0) {
    const Micros due =
        started_ +
        Micros(static_cast<int64_t>(static_cast<double>(sent_total_ + 1) * 1e6 / min_rate_share_));
    behind_min_rate = due <= now_;
    // Wake up when it is due even if no answer or timeout comes first.
    if (!behind_min_rate) next_wake_ = std::min(next_wake_, due);
  }

  // One probe per host per visit, so hosts interleave and none gets a burst;
  // stop after a full round in which no host could send.
  uint32_t budget = kIssueBatch;
  size_t idle_visits = 0;
  while (budget > 0 && idle_visits < n) {
    if (free_slots_.empty() || in_flight_ >= slot_limit_) return;
    const uint32_t id = active_[rr_];
    rr_ = rr_ + 1 == n ? 0 : rr_ + 1;
    Share& s = shares_[id];
    const bool has_work = !s.stopping && (s.retry_head < s.retries.size() || s.next < s.count);
    const bool window_open = s.in_flight < std::max(1.0, std::floor(s.cwnd)) || behind_min_rate ||
                             in_flight_ < min_parallel_share_;
    if (!has_work || !window_open) {
      ++idle_visits;
      continue;
    }
    if (s.next_send_at > now_) {
      next_wake_ = std::min(next_wake_, s.next_send_at);
      ++idle_visits;
      continue;
    }
    if (run_.rate != nullptr) {
      Micros wait = run_.rate->try_acquire(now_);
      if (wait.count() > 0) {
        next_wake_ = std::min(next_wake_, now_ + wait);
        return;
      }
    }
    if (!send_one(id, s)) return;
    idle_visits = 0;
    --budget;
  }
  if (budget == 0) can_send_more_ = true;
}

bool ScanWorker::send_one(uint32_t share_id, Share& s) {
  Retry r;
  bool from_retry = s.retry_head < s.retries.size();
  if (from_retry) {
    r = s.retries[s.retry_head++];
    if (s.retry_head == s.retries.size()) {
      s.retries.clear();
      s.retry_head = 0;
    }
  } else {
    r = Retry{s.next++, 0, 0};
  }

  const uint32_t slot_id = free_slots_.back();
  Slot& slot = slots_[slot_id];
  SocketKey key = s.key;
  if (pinning_unavailable_) key.pinned_source_v4 = 0;
  if (slot.fd >= 0 && (!(slot.key == key) || r.self_connects > 0)) close_socket(slot);
  if (slot.fd < 0) {
    int fd = open_probe_socket(key, source_ports_, &pinning_unavailable_);
    if (fd < 0) {
      if (from_retry) {
        requeue(s, r, /*front=*/true);
      } else {
        --s.next;
      }
      if (classify_connect_result(fd).verdict == ConnectVerdict::kBackOff) {
        back_off(fd);
      } else {
        run_.fail(
            Error(ErrorKind::kIo, std::string("cannot open a TCP socket: ") + std::strerror(-fd)));
      }
      return false;
    }
    slot.fd = fd;
    slot.key = key;
  }
  free_slots_.pop_back();

  slot.share = share_id;
  slot.pos = r.pos;
  slot.attempt = r.attempt;
  slot.self_connects = r.self_connects;
  slot.cancelled = false;
  slot.sent_at = now_;
  slot.addr = s.addr;
  const uint16_t port_n = htons(run_.ports[s.first + r.pos * s.stride]);  // network order
  if (s.key.family == AF_INET) {
    slot.addr.v4.sin_port = port_n;
  } else {
    slot.addr.v6.sin6_port = port_n;
  }
  deadlines_.push(slot_id, now_ + s.rtt.timeout());
  batch_.push_back(ConnectRequest{slot_id, slot.fd, &slot.addr.sa, s.addr_len});
  ++s.in_flight;
  ++in_flight_;
  ++sent_total_;
  ++pending_sent_;
  if (timing_.scan_delay.count() > 0) s.next_send_at = now_ + timing_.scan_delay;
  return true;
}

Micros ScanWorker::compute_wait() const {
  if (can_send_more_) return Micros{0};
  Micros wake = next_wake_;
  if (!deadlines_.empty()) wake = std::min(wake, deadlines_.top_deadline());
  if (timing_.host_timeout) {
    for (uint32_t id : active_) {
      if (!shares_[id].stopping) wake = std::min(wake, shares_[id].give_up_at);
    }
  }
  if (wake == kNever) return kIdleWait;
  return std::clamp(wake - now_, Micros{0}, kMaxWait);
}

void ScanWorker::on_completion(const ConnectCompletion& c) {
  if (c.slot >= slots_.size()) return;
  Slot& slot = slots_[c.slot];
  if (slot.share == kNone) return;  // not in flight: cannot happen, ignore rather than corrupt
  const uint32_t id = slot.share;
  Share& s = shares_[id];
  deadlines_.erase(c.slot);
  --s.in_flight;
  --in_flight_;
  slot.share = kNone;
  const Retry r{slot.pos, slot.attempt, slot.self_connects};
  const bool cancelled = slot.cancelled;
  slot.cancelled = false;

  if (c.result == 0 && is_self_connected(slot.fd)) {
    close_socket(slot);
    free_slots_.push_back(c.slot);
    if (!s.stopping) {
      if (r.self_connects + 1 < kMaxSelfConnects) {
        requeue(s, Retry{r.pos, r.attempt, static_cast<uint8_t>(r.self_connects + 1)}, true);
      } else {
        record(s, r.pos, PortState::kClosed, Reason::kConnRefused);
      }
    }
    maybe_finish(id);
    return;
  }

  const ConnectOutcome o = classify_connect_result(c.result);
  if (!o.socket_reusable || cancelled) close_socket(slot);
  free_slots_.push_back(c.slot);

  switch (o.verdict) {
    case ConnectVerdict::kFinal: {
      backoff_step_ = Micros{0};
      if (r.attempt == 0 && !cancelled) s.rtt.add_sample(now_ - slot.sent_at);
      s.max_answered_attempt = std::max<int>(s.max_answered_attempt, r.attempt);
      if (r.attempt == 0) {
        grow_window(s);
      } else {
        // The first copy went unanswered and a retransmission was answered:
        // loss, the one signal of congestion or rate limiting we get.
        s.ssthresh = std::max(s.cwnd / 2, 2.0);
        s.cwnd = s.ssthresh;
      }
      record(s, r.pos, o.state, o.reason);
      if (run_.mode == ScanMode::kDiscovery && !s.stopping) {
        if (o.state == PortState::kOpen || o.state == PortState::kClosed) {
          ShareOutput& out = *s.out;
          out.answered = true;
          out.answer_reason = o.reason;
          out.answer_rtt = now_ - slot.sent_at;
          out.answer_at = now_;
          stop_share(id, s);
          return;
        }
        if (o.reason == Reason::kHostUnreach || o.reason == Reason::kNetUnreach) {
          s.out->unreachable = o.reason;
        }
      }
      break;
    }
    case ConnectVerdict::kNoAnswer: {
      if (s.stopping) break;
      // Silence is not congestion (filtered ports are silent by design), so
      // it opens the window like an answer does.
      if (r.attempt == 0) grow_window(s);
      // Retransmit only as far as retransmissions have been seen to help on
      // this host (at least once): a host that drops everything costs two
      // probes per port, not max_retries + 1.
      const int allowed = std::min(run_.max_retries, std::max(1, s.max_answered_attempt + 1));
      if (r.attempt < allowed) {
        requeue(s, Retry{r.pos, static_cast<uint8_t>(r.attempt + 1), r.self_connects}, false);
      } else {
        record(s, r.pos, PortState::kFiltered, Reason::kNoResponse);
      }
      break;
    }
    case ConnectVerdict::kBackOff:
      if (!s.stopping) requeue(s, r, true);
      back_off(c.result);
      break;
  }
  maybe_finish(id);
}

void ScanWorker::grow_window(Share& s) {
  if (s.cwnd < s.ssthresh) {
    s.cwnd += 1;
  } else {
    s.cwnd += 1 / s.cwnd;
  }
  s.cwnd = std::min(s.cwnd, static_cast<double>(slot_limit_));
}

void ScanWorker::expire_deadlines() {
  while (!deadlines_.empty() && deadlines_.top_deadline() <= now_) {
    const uint32_t id = deadlines_.pop();
    Slot& slot = slots_[id];
    slot.cancelled = true;
    io_.cancel(id, slot.fd);
  }
}

void ScanWorker::record(Share& s, uint32_t pos, PortState state, Reason reason) {
  PortOutcome& p = s.out->ports[pos];
  if (p.done) return;
  p.done = true;
  p.state = state;
  p.reason = reason;
  --s.pending;
  if (run_.mode == ScanMode::kPorts) {
    ++pending_done_;
    if (state == PortState::kOpen) ++pending_open_;
  }
}

void ScanWorker::requeue(Share& s, const Retry& r, bool front) {
  if (!front) {
    s.retries.push_back(r);
  } else if (s.retry_head > 0) {
    s.retries[--s.retry_head] = r;
  } else {
    s.retries.insert(s.retries.begin(), r);
  }
}

void ScanWorker::stop_share(uint32_t share_id, Share& s) {
  s.stopping = true;
  s.retries.clear();
  s.retry_head = 0;
  if (s.in_flight > 0) {
    // Only slots in the deadline queue can be in flight and uncancelled.
    scratch_.clear();
    deadlines_.collect_ids(scratch_);
    for (uint32_t slot_id : scratch_) {
      Slot& slot = slots_[slot_id];
      if (slot.share != share_id || slot.cancelled) continue;
      deadlines_.erase(slot_id);
      slot.cancelled = true;
      io_.cancel(slot_id, slot.fd);
    }
  }
  maybe_finish(share_id);
}

void ScanWorker::maybe_finish(uint32_t share_id) {
  Share& s = shares_[share_id];
  if (s.in_flight > 0 || (s.pending > 0 && !s.stopping)) return;
  ShareOutput& out = *s.out;
  out.end = now_;
  out.rtt = s.rtt;
  s.out = nullptr;
  auto it = std::find(active_.begin(), active_.end(), share_id);
  if (it != active_.end()) {
    *it = active_.back();
    active_.pop_back();
  }
  free_shares_.push_back(share_id);
  // After this the coordinator may read `out`: touch nothing of it below.
  run_.host_share_done(s.host);
}

void ScanWorker::close_socket(Slot& slot) {
  if (slot.fd >= 0) {
    ::close(slot.fd);
    slot.fd = -1;
  }
}

void ScanWorker::back_off(int32_t error) {
  backoff_step_ =
      backoff_step_.count() == 0 ? kFirstBackoff : std::min(2 * backoff_step_, kMaxBackoff);
  backoff_until_ = now_ + backoff_step_;
  if (error == -EMFILE || error == -ENFILE) {
    // Never again ask for more descriptors than we had when they ran out.
    slot_limit_ = std::max<uint32_t>(1, in_flight_);
  }
}

void ScanWorker::flush_progress() {
  ScanProgress* p = run_.progress;
  if (p == nullptr) return;
  if (pending_sent_ != 0) p->probes_sent.fetch_add(pending_sent_, std::memory_order_relaxed);
  if (pending_done_ != 0) p->ports_done.fetch_add(pending_done_, std::memory_order_relaxed);
  if (pending_open_ != 0) p->open_found.fetch_add(pending_open_, std::memory_order_relaxed);
  pending_sent_ = pending_done_ = pending_open_ = 0;
}

}  // namespace portolan
