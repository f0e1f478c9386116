// A fake clock and a fake ConnectIo for running the scan engine without a
// network: each connect is answered (or not) by a script, after a scripted
// delay, on a clock that jumps forward instead of sleeping.
//
// The worker still opens real (never connected) sockets; the fake only
// decides what each connect() "returned". Single worker thread only.
#pragma once

#include <errno.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/scan/connect_io.h"
#include "portolan/scan/scan_clock.h"

namespace portolan::testing {

class FakeClock final : public ScanClock {
 public:
  Micros now() const override { return Micros{now_us_.load()}; }
  void advance(Micros d) { now_us_.fetch_add(d.count()); }
  void set(Micros t) { now_us_.store(t.count()); }

 private:
  std::atomic<int64_t> now_us_{1'000'000'000};
};

// What the fake network does with one connect.
struct FakeReply {
  bool silent = false;  // never completes (until cancelled)
  int32_t result = -ECONNREFUSED;
  Micros delay{1'000};  // time until the completion
};

// host, port (host order), attempt number for that host and port (0 = first) -> reply
using FakeScript = std::function<FakeReply(const IpAddress& host, uint16_t port, int attempt)>;

// Everything the fake saw, for assertions.
struct FakeLog {
  std::mutex mu;
  struct Event {
    IpAddress host;
    uint16_t port;
    Micros at;
  };
  std::vector<Event> sends;
  std::vector<Event> cancels;
  std::map<std::pair<IpAddress, uint16_t>, int> attempts;  // connects seen

  int attempts_for(const IpAddress& host, uint16_t port) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = attempts.find({host, port});
    return it == attempts.end() ? 0 : it->second;
  }
  size_t max_in_flight = 0;
};

class FakeConnectIo final : public ConnectIo {
 public:
  FakeConnectIo(FakeClock& clock, FakeScript script, std::shared_ptr<FakeLog> log)
      : clock_(clock), script_(std::move(script)), log_(std::move(log)) {}

  std::string_view name() const override { return "fake"; }

  void start(std::span<const ConnectRequest> batch) override {
    for (const ConnectRequest& r : batch) {
      uint16_t port = ntohs(r.addr->sa_family == AF_INET
                                ? reinterpret_cast<const sockaddr_in*>(r.addr)->sin_port
                                : reinterpret_cast<const sockaddr_in6*>(r.addr)->sin6_port);
      IpAddress host = IpAddress::from_sockaddr(r.addr).value_or(IpAddress());
      int attempt;
      {
        std::lock_guard<std::mutex> lock(log_->mu);
        attempt = log_->attempts[{host, port}]++;
        log_->sends.push_back(FakeLog::Event{host, port, clock_.now()});
      }
      FakeReply reply = script_(host, port, attempt);
      pending_[r.slot] =
          Pending{host, port, reply.silent, reply.result, clock_.now() + reply.delay};
      std::lock_guard<std::mutex> lock(log_->mu);
      log_->max_in_flight = std::max(log_->max_in_flight, pending_.size());
    }
  }

  void cancel(uint32_t slot, int /*fd*/) override {
    auto it = pending_.find(slot);
    if (it == pending_.end()) return;
    {
      std::lock_guard<std::mutex> lock(log_->mu);
      log_->cancels.push_back(FakeLog::Event{it->second.host, it->second.port, clock_.now()});
    }
    pending_.erase(it);
    ready_.push_back(ConnectCompletion{slot, -ECANCELED});
  }

  size_t wait(Micros max_wait, std::span<ConnectCompletion> out) override {
    if (ready_.empty()) {
      // Jump to the earliest completion, or by max_wait if that comes first.
      Micros next = clock_.now() + max_wait;
      for (const auto& [slot, p] : pending_) {
        if (!p.silent) next = std::min(next, p.due);
      }
      if (next > clock_.now()) clock_.set(next);
    }
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (!it->second.silent && it->second.due <= clock_.now()) {
        ready_.push_back(ConnectCompletion{it->first, it->second.result});
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    size_t n = std::min(out.size(), ready_.size());
    std::copy(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(n), out.begin());
    ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
  }

 private:
  struct Pending {
    IpAddress host;
    uint16_t port;
    bool silent;
    int32_t result;
    Micros due;
  };
  FakeClock& clock_;
  FakeScript script_;
  std::shared_ptr<FakeLog> log_;
  std::map<uint32_t, Pending> pending_;
  std::vector<ConnectCompletion> ready_;
};

inline ConnectIoFactory fake_factory(FakeClock& clock, FakeScript script,
                                     std::shared_ptr<FakeLog> log) {
  return [&clock, script = std::move(script), log](uint32_t) -> Result<std::unique_ptr<ConnectIo>> {
    return std::unique_ptr<ConnectIo>(new FakeConnectIo(clock, script, log));
  };
}

}  // namespace portolan::testing
