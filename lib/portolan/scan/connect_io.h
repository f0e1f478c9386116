// ConnectIo: the kernel interface that runs a worker's non-blocking connects.
//
// The scan worker owns the sockets and all scheduling; a ConnectIo only starts
// connect() on a given socket, cancels it, and reports how each one ended, as
// the errno a blocking connect() would have returned. Two implementations:
// io_uring (batched submission, one syscall per loop iteration) and epoll
// (plain syscalls; on loopback the answer is usually there by the second
// connect() call, so epoll is only armed for probes still pending).
//
// Everything is batched (start a span, collect a span), so the worker makes
// one virtual call per batch, never per probe. An instance belongs to one
// thread (io_uring rings are created single-issuer).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "portolan/core/result.h"
#include "portolan/scan/timing.h"

namespace portolan {

struct ConnectRequest {
  uint32_t slot;         // the caller's id for this connect; at most one per slot in flight
  int fd;                // a non-blocking TCP socket, unconnected (fresh or after a refusal)
  const sockaddr* addr;  // must stay valid until the completion is returned
  socklen_t addr_len;
};

struct ConnectCompletion {
  uint32_t slot;
  int32_t result;  // 0: connected; otherwise -errno (-ECONNREFUSED, -ECANCELED, ...)
};

class ConnectIo {
 public:
  virtual ~ConnectIo() = default;

  virtual std::string_view name() const = 0;

  // Starts connects. Completions are only ever returned by wait(), even when
  // the result is known at once.
  virtual void start(std::span<const ConnectRequest> batch) = 0;

  // Gives up on the connect in flight on `slot` (socket `fd`). Its completion
  // still arrives through wait(): -ECANCELED, or the real result if it was
  // already decided. The fd must stay open until then; afterwards the socket
  // may be half-way through a handshake and must be closed, not reused.
  virtual void cancel(uint32_t slot, int fd) = 0;

  // Hands everything started to the kernel and collects finished connects
  // into `out`, waiting up to `max_wait` for the first one (zero: do not
  // block). Returns how many were written.
  virtual size_t wait(Micros max_wait, std::span<ConnectCompletion> out) = 0;
};

// Creates the backend for a thread that keeps at most `max_in_flight`
// connects running. Fails when the kernel refuses (io_uring disabled by
// sysctl or seccomp, or Portolan built without liburing).
Result<std::unique_ptr<ConnectIo>> make_uring_connect_io(uint32_t max_in_flight);
Result<std::unique_ptr<ConnectIo>> make_epoll_connect_io(uint32_t max_in_flight);

// Whether make_uring_connect_io can succeed here (creates and drops a ring).
bool uring_connect_io_available();

// How the engine builds one backend per worker thread; called on that thread.
using ConnectIoFactory = std::function<Result<std::unique_ptr<ConnectIo>>(uint32_t max_in_flight)>;

}  // namespace portolan
