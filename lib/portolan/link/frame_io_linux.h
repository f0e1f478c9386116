// Raw frame I/O on one interface: the two halves of the raw-packet engine's
// link, a FrameSender for probes and a FrameReceiver for replies.
//
// The one idea: both halves work on memory the kernel and we share in
// batches, so no frame costs a system call of its own. The sender fills
// preallocated frame slots in place and hands a whole batch over at once
// (sendmmsg, or a PACKET_TX_RING the kernel reads directly); the receiver
// reads frames straight out of a TPACKET_V3 ring the kernel fills block by
// block, after an in-kernel BPF filter has dropped everything that is not a
// reply. The two halves share no state and no locks, so a send thread and a
// receive thread never wait for each other.
//
// Both use Ethernet framing (Ethernet and loopback interfaces; lo frames carry
// an all-zero Ethernet header). Frames are bytes on the wire: the caller
// builds them complete, in network byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "portolan/core/result.h"

struct mmsghdr;
struct iovec;
struct sockaddr_in;

namespace portolan {

// ---------------------------------------------------------------------------
// Sending

enum class SenderBackend : uint8_t {
  kAuto,      // the faster of the two as measured on veth: kSendmmsg (see the .cpp)
  kSendmmsg,  // one sendmmsg() per batch from a preallocated array of slots
  kTxRing,    // PACKET_TX_RING (TPACKET_V2): slots in a ring shared with the kernel
};

struct FrameSenderOptions {
  SenderBackend backend = SenderBackend::kAuto;
  // Frames handed to the kernel per system call; commit() flushes when a
  // batch is full.
  size_t batch_frames = 256;
  // kTxRing: frames in the ring (rounded up to whole 64 KiB blocks); at least
  // two batches so the kernel sends one while we fill the next.
  size_t ring_frames = 4096;
  // SO_SNDBUF(FORCE): room for frames queued in the kernel.
  int socket_buffer_bytes = 8 << 20;
  // Send each frame's IPv4 packet through a raw IP socket, its Ethernet
  // header dropped (sendmmsg only). For IPv4 loopback: the kernel drops
  // frames injected on lo for 127.0.0.0/8 as martian unless route_localnet
  // is set, while a raw IP socket goes through the ordinary output path, as
  // nmap's packets to localhost do.
  bool ip_level = false;
};

// One thread at a time: the engine's send thread owns its sender.
class FrameSender {
 public:
  // The largest frame a slot holds: a 1500-byte MTU packet with its
  // Ethernet header (no FCS).
  static constexpr size_t kFrameCapacity = 1514;

  // Opens an AF_PACKET socket bound to interface `ifindex`, with the queueing
  // discipline bypassed (probes go straight to the driver's queue). Errors:
  // unknown interface, interface without Ethernet framing, missing
  // CAP_NET_RAW (with raw_privilege_hint()), or a kTxRing the kernel refuses.
  static Result<std::unique_ptr<FrameSender>> create(int ifindex,
                                                     const FrameSenderOptions& options = {});
  ~FrameSender();
  FrameSender(const FrameSender&) = delete;
  FrameSender& operator=(const FrameSender&) = delete;

  // The buffer for the next frame, kFrameCapacity bytes, valid until
  // commit() or flush(). Calling it again without commit() returns the same
  // slot. Empty only when the queue is full because flush() failed: call
  // flush() to learn why.
  std::span<std::byte> slot();
  // Queues the first `len` bytes of the current slot (14 <= len <=
  // kFrameCapacity) and flushes when the batch is full; an error of that
  // flush leaves the frames queued and shows as an empty slot().
  void commit(size_t len);
  // Hands every queued frame to the kernel. When the interface's queue is
  // full (ENOBUFS, EAGAIN) it waits briefly and retries the rest; after
  // about two seconds in which the kernel accepts no frame, and on any other
  // error, it returns the error and the unsent frames stay queued for the
  // next flush().
  Result<void> flush();

  uint64_t frames_sent() const { return frames_sent_; }
  // Times a flush found the interface's queue full and had to wait.
  uint64_t send_retries() const { return send_retries_; }
  // The backend in use (never kAuto).
  SenderBackend backend() const { return backend_; }
  const std::string& interface_name() const { return ifname_; }

 private:
  FrameSender();
  Result<void> setup_sendmmsg(size_t batch);
  Result<void> setup_tx_ring(size_t batch, size_t ring_frames);
  Result<void> flush_sendmmsg();
  Result<void> flush_tx_ring();
  std::byte* ring_frame(size_t index) const;
  bool wait_for_ring_slot();
  // Waits a little longer each time while the interface's queue is full;
  // false once the kernel has accepted nothing for too long.
  bool back_off(int attempt, int64_t& stalled_since);
  Unexpected send_error(int err) const;

  int fd_ = -1;
  std::string ifname_;
  SenderBackend backend_ = SenderBackend::kSendmmsg;
  size_t batch_ = 0;
  size_t queued_ = 0;  // committed, not yet accepted by the kernel
  uint64_t frames_sent_ = 0;
  uint64_t send_retries_ = 0;

  // kSendmmsg: `batch_` slots of kSlotStride bytes; frames [unsent_, queued_)
  // are still to be sent.
  std::vector<std::byte> slots_;
  std::unique_ptr<mmsghdr[]> messages_;
  std::unique_ptr<iovec[]> iovecs_;
  std::unique_ptr<sockaddr_in[]> names_;  // ip_level: each frame's destination
  bool ip_level_ = false;
  size_t unsent_ = 0;

  // kTxRing: the mmap'd ring; `head_` is the next frame to fill, and the
  // `queued_` frames before it wait for the kernel.
  std::byte* ring_ = nullptr;
  size_t ring_bytes_ = 0;
  size_t ring_frames_ = 0;
  size_t head_ = 0;
};

// ---------------------------------------------------------------------------
// Receiving

// A non-owning reference to a callable taking (frame bytes, timestamp in ns
// since the Unix epoch), like the proposed std::function_ref: calling it is
// one indirect call, constructing it allocates nothing. It must not outlive
// the callable it refers to.
class FrameHandler {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FrameHandler> &&
           std::is_invocable_v<F&, std::span<const std::byte>, uint64_t>)
      FrameHandler(F&& f)  // NOLINT(implicit): lambdas convert at the call site
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, std::span<const std::byte> frame, uint64_t timestamp_ns) {
          (*static_cast<std::remove_reference_t<F>*>(object))(frame, timestamp_ns);
        }) {}

  void operator()(std::span<const std::byte> frame, uint64_t timestamp_ns) const {
    call_(object_, frame, timestamp_ns);
  }

 private:
  void* object_;
  void (*call_)(void*, std::span<const std::byte>, uint64_t);
};

struct FrameReceiverOptions {
  // A pcap-filter(7) expression for Ethernet frames ("tcp and dst port
  // 61000"); empty passes every frame.
  std::string filter;
  // Ring geometry: `block_count` blocks of `block_size` bytes (a multiple of
  // the page size); the kernel hands a block over when it is full or after
  // `block_timeout_ms`, which bounds the latency of a lone reply.
  uint32_t block_size = 1 << 20;
  uint32_t block_count = 64;
  uint32_t frame_size = 2048;  // the kernel's accounting unit, not a frame limit
  uint32_t block_timeout_ms = 5;
};

struct RingStats {
  uint64_t packets = 0;  // frames that passed the filter, dropped ones included
  uint64_t drops = 0;    // frames lost because the ring was full
};

// One thread at a time: poll() and stats() are meant for the engine's
// receive thread alone.
class FrameReceiver {
 public:
  // Opens an AF_PACKET socket on interface `ifindex` with a TPACKET_V3
  // receive ring. The filter is attached before the socket is bound, so not
  // one frame that fails it is ever delivered. Errors: unknown interface,
  // interface without Ethernet framing, invalid filter ("invalid capture
  // filter '...': ..."), bad ring geometry, missing CAP_NET_RAW.
  static Result<std::unique_ptr<FrameReceiver>> create(int ifindex,
                                                       const FrameReceiverOptions& options = {});
  ~FrameReceiver();
  FrameReceiver(const FrameReceiver&) = delete;
  FrameReceiver& operator=(const FrameReceiver&) = delete;

  // Waits up to `timeout_ms` (0: do not wait, -1: forever) for a filled
  // block, then calls `on_frame` for every frame of every filled block, in
  // arrival order, and returns the kernel the blocks. The bytes are valid
  // only during the call. Frames this host sent (PACKET_OUTGOING, seen on
  // lo) are skipped. Returns the number of frames delivered; 0 on timeout
  // or a signal. An error when the socket fails (the interface went away).
  Result<size_t> poll(int timeout_ms, FrameHandler on_frame);

  // Cumulative counters since create() (PACKET_STATISTICS resets the
  // kernel's on every read, so this object sums them).
  RingStats stats();

  // For callers that wait on several descriptors: readable when a block is
  // ready.
  int fd() const { return fd_; }
  const std::string& interface_name() const { return ifname_; }

 private:
  FrameReceiver() = default;

  int fd_ = -1;
  std::string ifname_;
  std::byte* ring_ = nullptr;
  size_t ring_bytes_ = 0;
  uint32_t block_size_ = 0;
  uint32_t block_count_ = 0;
  uint32_t block_ = 0;  // the next block to read
  RingStats totals_;
};

}  // namespace portolan
