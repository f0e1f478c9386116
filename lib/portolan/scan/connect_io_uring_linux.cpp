// ConnectIo over io_uring: one io_uring_enter per worker loop iteration
// submits a batch of connects and reaps whatever finished.
//
// The ring is set up single-issuer with deferred task work, so the kernel
// completes connects only when this thread asks for events (no interrupting
// task work, no cross-CPU wake-ups). Sockets are ordinary file descriptors,
// not registered ones, so the worker can still set SO_LINGER and call
// getsockname()/getpeername() on them. A timeout is an async cancel by
// user_data (slot number and generation); the cancelled connect then
// completes with -ECANCELED.
#include <errno.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "portolan/scan/connect_io.h"

#if defined(PORTOLAN_HAVE_IO_URING)
#include <liburing.h>
#endif

namespace portolan {

#if defined(PORTOLAN_HAVE_IO_URING)

namespace {

// The cancel requests' own completions carry this and are dropped.
constexpr uint64_t kCancelTag = UINT64_MAX;
constexpr unsigned kSqEntries = 256;

unsigned round_up_pow2(unsigned v) {
  unsigned p = 1;
  while (p < v && p < (1u << 20)) p <<= 1;
  return p;
}

// user_data of a connect: the slot in the low half, the slot's generation
// in the high half, so a cancel can never hit a later connect on the slot.
uint64_t connect_tag(uint32_t slot, uint32_t generation) {
  return (uint64_t{generation} << 32) | slot;
}

class UringConnectIo final : public ConnectIo {
 public:
  explicit UringConnectIo(uint32_t max_in_flight) : generations_(max_in_flight, 0) {}
  ~UringConnectIo() override {
    if (initialized_) io_uring_queue_exit(&ring_);
  }
  UringConnectIo(const UringConnectIo&) = delete;
  UringConnectIo& operator=(const UringConnectIo&) = delete;

  // Returns 0 or -errno from the last setup attempt.
  int init(uint32_t max_in_flight) {
    // Every in-flight connect can complete at once, plus one completion per
    // cancel: size the completion queue so it never overflows.
    const unsigned cq = round_up_pow2(std::max(2 * max_in_flight + kSqEntries, 1024u));
    const unsigned flag_sets[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
            IORING_SETUP_TASKRUN_FLAG,                          // 6.1+
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,  // 5.19+
        0,
    };
    int rc = -ENOSYS;
    for (unsigned flags : flag_sets) {
      io_uring_params p{};
      p.flags = flags | IORING_SETUP_CQSIZE;
      p.cq_entries = cq;
      rc = io_uring_queue_init_params(kSqEntries, &ring_, &p);
      if (rc == 0) break;
      if (rc != -EINVAL) return rc;  // disabled or forbidden: no point in fewer flags
    }
    if (rc != 0) return rc;
    initialized_ = true;
    io_uring_probe* probe = io_uring_get_probe_ring(&ring_);
    bool ok = probe != nullptr && io_uring_opcode_supported(probe, IORING_OP_CONNECT) &&
              io_uring_opcode_supported(probe, IORING_OP_ASYNC_CANCEL);
    if (probe != nullptr) io_uring_free_probe(probe);
    if (!ok) return -EOPNOTSUPP;
    // Saves an fd lookup per io_uring_enter; harmless when unsupported.
    (void)io_uring_register_ring_fd(&ring_);
    return 0;
  }

  std::string_view name() const override { return "io_uring"; }

  void start(std::span<const ConnectRequest> batch) override {
    for (const ConnectRequest& req : batch) {
      io_uring_sqe* sqe = next_sqe();
      if (sqe == nullptr) {
        failed_.push_back(ConnectCompletion{req.slot, -EAGAIN});
        continue;
      }
      io_uring_prep_connect(sqe, req.fd, req.addr, req.addr_len);
      io_uring_sqe_set_data64(sqe, connect_tag(req.slot, ++generations_[req.slot]));
    }
  }

  void cancel(uint32_t slot, int /*fd*/) override {
    io_uring_sqe* sqe = next_sqe();
    if (sqe == nullptr) return;  // the connect still ends, at the kernel's SYN timeout
    io_uring_prep_cancel64(sqe, connect_tag(slot, generations_[slot]), 0);
    io_uring_sqe_set_data64(sqe, kCancelTag);
  }

  size_t wait(Micros max_wait, std::span<ConnectCompletion> out) override {
    if (max_wait.count() <= 0) {
      io_uring_submit_and_get_events(&ring_);
    } else {
      __kernel_timespec ts{};
      ts.tv_sec = max_wait.count() / 1'000'000;
      ts.tv_nsec = (max_wait.count() % 1'000'000) * 1000;
      io_uring_cqe* cqe = nullptr;
      // -ETIME and -EINTR just mean nothing finished; the caller loops.
      (void)io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    }
    size_t n = 0;
    while (!failed_.empty() && n < out.size()) {
      out[n++] = failed_.back();
      failed_.pop_back();
    }
    n = reap(out, n);
    // With deferred task work one io_uring_enter completes only a bounded
    // number of connects (about 20 on 6.x kernels); on loopback a whole batch
    // is decided already. Collect it now rather than let answered connects
    // wait, and time out, behind new ones.
    for (int round = 0; round < 64 && n < out.size() && task_work_pending(); ++round) {
      io_uring_get_events(&ring_);
      n = reap(out, n);
    }
    return n;
  }

 private:
  bool task_work_pending() const {
    return (__atomic_load_n(ring_.sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_TASKRUN) != 0;
  }

  // Appends finished connects to out[n...]; returns the new count.
  size_t reap(std::span<ConnectCompletion> out, size_t n) {
    unsigned seen = 0;
    unsigned head;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      if (n == out.size()) break;
      ++seen;
      if (cqe->user_data == kCancelTag) continue;
      out[n++] = ConnectCompletion{static_cast<uint32_t>(cqe->user_data & 0xffffffffu), cqe->res};
    }
    io_uring_cq_advance(&ring_, seen);
    return n;
  }

  io_uring_sqe* next_sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    // The submission queue is full: hand it to the kernel and take a fresh
    // entry. After a submit there is room unless the kernel takes nothing
    // (out of memory); then the caller reports the probe as a resource
    // failure, which the worker retries later.
    for (int attempt = 0; sqe == nullptr && attempt < 4; ++attempt) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
  }

  io_uring ring_{};
  bool initialized_ = false;
  std::vector<uint32_t> generations_;      // per slot, bumped by each connect
  std::vector<ConnectCompletion> failed_;  // connects that never reached the ring
};

}  // namespace

Result<std::unique_ptr<ConnectIo>> make_uring_connect_io(uint32_t max_in_flight) {
  auto io = std::make_unique<UringConnectIo>(max_in_flight);
  int rc = io->init(max_in_flight);
  if (rc != 0) {
    return fail(ErrorKind::kIo, std::string("io_uring unavailable: ") + std::strerror(-rc));
  }
  return std::unique_ptr<ConnectIo>(std::move(io));
}

bool uring_connect_io_available() {
  return make_uring_connect_io(8).has_value();
}

#else  // !PORTOLAN_HAVE_IO_URING

Result<std::unique_ptr<ConnectIo>> make_uring_connect_io(uint32_t /*max_in_flight*/) {
  return fail(ErrorKind::kIo, "io_uring unavailable: built without liburing");
}

bool uring_connect_io_available() {
  return false;
}

#endif

}  // namespace portolan
