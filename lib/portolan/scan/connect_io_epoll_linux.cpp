// ConnectIo over plain connect() calls and epoll, for kernels or sandboxes
// without io_uring.
//
// The one idea: a second connect() right after EINPROGRESS usually already
// has the answer on loopback and on very close hosts (the kernel processed
// the SYN and the RST or SYN-ACK inside the first call), so epoll is armed,
// one-shot, only for connects still pending. A pending socket is polled for
// writability and then asked again with connect(), which both reports the
// result and, after a refusal, resets the socket so it can be reused.
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "portolan/scan/connect_io.h"

namespace portolan {

namespace {

class EpollConnectIo final : public ConnectIo {
 public:
  EpollConnectIo(int epfd, uint32_t max_in_flight) : epfd_(epfd), slots_(max_in_flight) {
    ready_.reserve(max_in_flight);
  }
  ~EpollConnectIo() override { ::close(epfd_); }
  EpollConnectIo(const EpollConnectIo&) = delete;
  EpollConnectIo& operator=(const EpollConnectIo&) = delete;

  std::string_view name() const override { return "epoll"; }

  void start(std::span<const ConnectRequest> batch) override {
    for (const ConnectRequest& req : batch) {
      SlotState& s = slots_[req.slot];
      s.fd = req.fd;
      s.addr = req.addr;
      s.addr_len = req.addr_len;
      s.armed = false;
      int result = connect_once(s);
      if (result == -EINPROGRESS || result == -EALREADY) {
        // Not decided inside the first call: ask once more before paying
        // for epoll_ctl, since on loopback it is decided by now.
        result = connect_once(s);
      }
      if (result == -EINPROGRESS || result == -EALREADY) {
        arm(req.slot);
      } else {
        ready_.push_back(ConnectCompletion{req.slot, result});
      }
    }
  }

  void cancel(uint32_t slot, int fd) override {
    SlotState& s = slots_[slot];
    // Not armed: the result is already queued and is what wait() reports.
    if (!s.armed) return;
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
    s.armed = false;
    --armed_;
    ready_.push_back(ConnectCompletion{slot, -ECANCELED});
  }

  size_t wait(Micros max_wait, std::span<ConnectCompletion> out) override {
    if (armed_ > 0 || (ready_.empty() && max_wait.count() > 0)) {
      poll_events(ready_.empty() ? max_wait : Micros{0});
    }
    size_t n = std::min(out.size(), ready_.size());
    std::copy(ready_.end() - static_cast<std::ptrdiff_t>(n), ready_.end(), out.begin());
    ready_.resize(ready_.size() - n);
    return n;
  }

 private:
  struct SlotState {
    int fd = -1;
    const sockaddr* addr = nullptr;
    socklen_t addr_len = 0;
    bool armed = false;
  };

  // connect() as a status query: 0 once connected, -EINPROGRESS/-EALREADY
  // while pending, -errno on failure (which also resets the socket).
  static int connect_once(const SlotState& s) {
    if (::connect(s.fd, s.addr, s.addr_len) == 0) return 0;
    int e = errno;
    if (e == EISCONN) return 0;
    if (e == EINTR) return -EINPROGRESS;  // the connect goes on in the background
    return -e;
  }

  void arm(uint32_t slot) {
    SlotState& s = slots_[slot];
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLONESHOT;
    ev.data.u64 = slot;
    // A reused socket is still registered (disabled by ONESHOT); a new one is
    // not, even if it got a recycled fd number: closing removed the old one.
    int rc = ::epoll_ctl(epfd_, EPOLL_CTL_MOD, s.fd, &ev);
    if (rc != 0 && errno == ENOENT) rc = ::epoll_ctl(epfd_, EPOLL_CTL_ADD, s.fd, &ev);
    if (rc != 0) {
      ready_.push_back(ConnectCompletion{slot, -errno});
      return;
    }
    s.armed = true;
    ++armed_;
  }

  void poll_events(Micros timeout) {
    epoll_event events[256];
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000);
    ts.tv_nsec = static_cast<long>((timeout.count() % 1'000'000) * 1000);
    int n = -1;
    if (have_pwait2_) {
      n = ::epoll_pwait2(epfd_, events, 256, &ts, nullptr);
      if (n < 0 && errno == ENOSYS) have_pwait2_ = false;
    }
    if (!have_pwait2_) {
      // Millisecond resolution: round up so a deadline is never missed.
      long ms = static_cast<long>((timeout.count() + 999) / 1000);
      n = ::epoll_wait(epfd_, events, 256, static_cast<int>(std::min(ms, 60'000L)));
    }
    for (int i = 0; i < n; ++i) {
      uint32_t slot = static_cast<uint32_t>(events[i].data.u64);
      SlotState& s = slots_[slot];
      if (!s.armed) continue;
      s.armed = false;
      --armed_;
      int result = connect_once(s);
      if (result == -EINPROGRESS || result == -EALREADY) {
        arm(slot);  // spurious wake-up
      } else {
        ready_.push_back(ConnectCompletion{slot, result});
      }
    }
  }

  int epfd_;
  std::vector<SlotState> slots_;
  std::vector<ConnectCompletion> ready_;
  uint32_t armed_ = 0;
  bool have_pwait2_ = true;
};

}  // namespace

Result<std::unique_ptr<ConnectIo>> make_epoll_connect_io(uint32_t max_in_flight) {
  int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    return fail(ErrorKind::kIo, std::string("epoll_create1: ") + std::strerror(errno));
  }
  return std::unique_ptr<ConnectIo>(new EpollConnectIo(epfd, max_in_flight));
}

}  // namespace portolan
