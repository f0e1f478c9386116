// ScanWorker: one thread's probe loop (the hot path of the connect scan).
//
// A worker owns a fixed array of slots (one socket and at most one connect in
// flight each), a deadline queue over slot numbers, its ConnectIo, and the
// hosts it is currently scanning ("shares": its part of each host's ports).
// Per iteration it admits hosts, sends a batch of probes round-robin across
// its hosts, waits for completions or the next deadline, and records results.
// Nothing here allocates or locks per probe; see connect_scanner.cpp for why
// it is built this way.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <vector>

#include "portolan/scan/connect_io.h"
#include "portolan/scan/deadline_queue.h"
#include "portolan/scan/engine_run.h"
#include "portolan/scan/probe_socket.h"
#include "portolan/scan/rtt_estimator.h"

namespace portolan {

class ScanWorker {
 public:
  ScanWorker(EngineRun& run, uint32_t index, ConnectIo& io);
  ~ScanWorker();
  ScanWorker(const ScanWorker&) = delete;
  ScanWorker& operator=(const ScanWorker&) = delete;

  // Scans this worker's shares of every host; returns when all are finished
  // or the run is aborted.
  void run();

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  union SockAddr {
    sockaddr sa;
    sockaddr_in v4;
    sockaddr_in6 v6;
  };

  struct Retry {
    uint32_t pos;           // position within the share
    uint8_t attempt;        // 0: first transmission
    uint8_t self_connects;  // times this probe met itself
  };

  struct Share {
    uint32_t host = 0;
    ShareOutput* out = nullptr;
    uint32_t first = 0;  // index into run.ports of position 0
    uint32_t stride = 1;
    uint32_t count = 0;
    uint32_t next = 0;     // first position never sent
    uint32_t pending = 0;  // positions without a final state
    uint32_t in_flight = 0;
    double cwnd = 0;
    double ssthresh = 0;
    int max_answered_attempt = -1;  // highest attempt number that got an answer
    Micros next_send_at{0};         // --scan-delay
    Micros give_up_at{0};           // --host-timeout
    bool stopping = false;          // timed out or (discovery) answered: send nothing more
    RttEstimator rtt;
    SocketKey key;
    SockAddr addr{};  // the host's address; only the port changes per probe
    socklen_t addr_len = 0;
    std::vector<Retry> retries;
    size_t retry_head = 0;
  };

  struct Slot {
    int fd = -1;
    SocketKey key;
    uint32_t share = kNone;  // kNone: idle
    uint32_t pos = 0;
    uint8_t attempt = 0;
    uint8_t self_connects = 0;
    bool cancelled = false;
    Micros sent_at{0};
    SockAddr addr{};
  };

  void admit_hosts();
  void check_host_timeouts();
  void issue();
  bool send_one(uint32_t share_id, Share& s);
  Micros compute_wait() const;
  void on_completion(const ConnectCompletion& c);
  void expire_deadlines();
  void grow_window(Share& s);
  void record(Share& s, uint32_t pos, PortState state, Reason reason);
  void requeue(Share& s, const Retry& r, bool front);
  void stop_share(uint32_t share_id, Share& s);
  void maybe_finish(uint32_t share_id);
  void close_socket(Slot& slot);
  void back_off(int32_t error);
  void flush_progress();

  EngineRun& run_;
  const uint32_t index_;
  ConnectIo& io_;
  const ScanClock& clock_;
  const TimingParams& timing_;

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;  // LIFO: the most recently used socket is cache-hot
  DeadlineQueue deadlines_;
  std::vector<Share> shares_;
  std::vector<uint32_t> free_shares_;
  std::vector<uint32_t> active_;
  size_t rr_ = 0;  // round-robin cursor into active_
  uint32_t next_host_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t slot_limit_;  // lowered after EMFILE

  std::vector<ConnectRequest> batch_;
  std::vector<ConnectCompletion> completions_;
  std::vector<uint32_t> scratch_;

  Micros now_{0};
  Micros started_{0};
  Micros backoff_until_{0};
  Micros backoff_step_{0};
  Micros next_wake_{0};  // earliest time a send blocked by delay/rate may go
  bool can_send_more_ = false;

  SourcePortPicker source_ports_;
  bool pinning_unavailable_ = false;

  double min_rate_share_ = 0;  // --min-rate divided among workers
  uint32_t min_parallel_share_ = 0;
  uint64_t sent_total_ = 0;

  // Progress not yet added to the shared counters.
  uint64_t pending_sent_ = 0;
  uint64_t pending_done_ = 0;
  uint64_t pending_open_ = 0;
};

}  // namespace portolan
