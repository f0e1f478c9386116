// Packet-socket senders and the receive ring; see frame_io_linux.h.
#include "portolan/link/frame_io_linux.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstring>

#include <fmt/format.h>

#include "portolan/link/interfaces_linux.h"
#include "portolan/link/privileges_linux.h"

namespace portolan {

namespace {

// kFrameCapacity rounded up to whole cache lines, so slots never share one.
constexpr size_t kSlotStride = 1536;
constexpr size_t kMinFrame = 14;  // an Ethernet header

// TX ring geometry: frames of 2 KiB (a full frame after the tpacket2 header)
// in blocks of 64 KiB, small enough for the kernel to find contiguous pages.
constexpr size_t kTxFrameSize = 2048;
constexpr size_t kTxBlockSize = 64 * 1024;
// Where the kernel reads a TX frame's bytes (without PACKET_TX_HAS_OFF).
constexpr size_t kTxDataOffset = TPACKET2_HDRLEN - sizeof(sockaddr_ll);
static_assert(kTxDataOffset + FrameSender::kFrameCapacity <= kTxFrameSize);
// Frame states in which the kernel still owns a TX frame.
constexpr uint32_t kTxBusy = TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING | TP_STATUS_WRONG_FORMAT;

// A flush gives up after this long without the kernel accepting a frame.
constexpr int64_t kMaxStallNs = 2'000'000'000;
// A blocking send waits at most this long for socket buffer space, so a
// stalled driver reaches the stall limit above instead of hanging.
constexpr int kSendTimeoutMs = 500;

int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

uint32_t load_status(const uint32_t& status) {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(status)).load(std::memory_order_acquire);
}
void store_status(uint32_t& status, uint32_t value) {
  std::atomic_ref<uint32_t>(status).store(value, std::memory_order_release);
}

Unexpected socket_error(const char* action, const std::string& ifname, int err) {
  if (err == EPERM || err == EACCES) {
    return fail(ErrorKind::kPermission, fmt::format("cannot {} on {}: {} ({})", action, ifname,
                                                    std::strerror(err), raw_privilege_hint()));
  }
  return fail(err == ENOMEM ? ErrorKind::kResource : ErrorKind::kIo,
              fmt::format("cannot {} on {}: {}", action, ifname, std::strerror(err)));
}

// The name of interface `ifindex`, if raw frames can be used on it.
Result<std::string> raw_capable_interface(int ifindex) {
  auto all = list_interfaces();
  if (!all) return Unexpected(all.error());
  for (const auto& itf : *all) {
    if (itf.index != ifindex) continue;
    if (!itf.has_ethernet_framing()) {
      return fail(fmt::format(
          "interface {} has no Ethernet framing (link type {}); raw scans need an Ethernet or "
          "loopback interface",
          itf.name, itf.link_type));
    }
    return itf.name;
  }
  return fail(ErrorKind::kNotFound, fmt::format("no interface with index {}", ifindex));
}

Result<void> bind_to(int fd, int ifindex, uint16_t protocol_host_order, const std::string& ifname) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(protocol_host_order);
  sll.sll_ifindex = ifindex;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    return socket_error("bind a packet socket", ifname, errno);
  }
  return {};
}

// Compiles `filter` for Ethernet frames and attaches it to `fd`. libpcap is
// used only as a compiler: the socket is ours.
Result<void> attach_filter(int fd, const std::string& filter, const std::string& ifname) {
  pcap_t* pcap = pcap_open_dead(DLT_EN10MB, 262144);
  if (pcap == nullptr)
    return fail(ErrorKind::kResource, "cannot start the capture filter compiler");
  bpf_program program{};
  if (pcap_compile(pcap, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    auto error = fail(
        fmt::format("invalid capture filter '{}': {}", filter.substr(0, 200), pcap_geterr(pcap)));
    pcap_close(pcap);
    return error;
  }
  // struct bpf_insn and the kernel's struct sock_filter have the same layout.
  static_assert(sizeof(bpf_insn) == sizeof(sock_filter));
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(program.bf_len);
  fprog.filter = reinterpret_cast<sock_filter*>(program.bf_insns);
  const int rc = ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog);
  const int err = errno;
  pcap_freecode(&program);
  pcap_close(pcap);
  if (rc != 0) return socket_error("attach the capture filter", ifname, err);
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------
// FrameSender

FrameSender::FrameSender() = default;

FrameSender::~FrameSender() {
  if (ring_ != nullptr) ::munmap(ring_, ring_bytes_);
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FrameSender>> FrameSender::create(int ifindex,
                                                         const FrameSenderOptions& options) {
  auto ifname = raw_capable_interface(ifindex);
  if (!ifname) return Unexpected(ifname.error());
  std::unique_ptr<FrameSender> sender(new FrameSender());
  sender->ifname_ = *ifname;

  // Protocol 0: this socket receives nothing, so the kernel never queues
  // frames to it that nobody reads.
  sender->ip_level_ = options.ip_level;
  sender->fd_ = options.ip_level ? ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)
                                 : ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (sender->fd_ < 0) return socket_error("open a packet socket", *ifname, errno);
  const int fd = sender->fd_;

  // Probes skip the queueing discipline: nothing to shape, and its lock is
  // the first contention point at high rates. (Linux 3.14+; older kernels
  // just queue.)
  const int one = 1;
  (void)::setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
  const int sndbuf = options.socket_buffer_bytes;
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) != 0) {
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);  // capped by wmem_max
  }
  timeval timeout{};
  timeout.tv_usec = kSendTimeoutMs * 1000;
  (void)::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);

  const size_t batch = std::clamp<size_t>(options.batch_frames, 1, 1024);
  // kAuto is sendmmsg. Measured on a veth pair (DISABLED_SenderThroughput in
  // tests/link/frame_io_test.cpp: 60-byte SYNs, Release, Linux 6.18, 2 shared
  // vCPUs), sendmmsg sent 445k-495k frames/s (about 505k per CPU-second), the
  // TX ring 400k-455k (430k-485k), at every batch size from 64 to 1024. The
  // ring hands the kernel its pages as zero-copy fragments, which veth (and
  // any path that must own the bytes) copies again, while copying 60 bytes
  // in sendmmsg costs next to nothing. A NIC that DMAs straight from the ring
  // may favour the ring; the option stays for that.
  SenderBackend backend = options.backend;
  if (backend == SenderBackend::kAuto || options.ip_level) backend = SenderBackend::kSendmmsg;
  auto setup = backend == SenderBackend::kTxRing
                   ? sender->setup_tx_ring(batch, std::max(options.ring_frames, 2 * batch))
                   : sender->setup_sendmmsg(batch);
  if (!setup) return Unexpected(setup.error());
  if (options.ip_level) return sender;  // the route picks the device
  if (auto bound = bind_to(fd, ifindex, 0, *ifname); !bound) return Unexpected(bound.error());
  return sender;
}

Result<void> FrameSender::setup_sendmmsg(size_t batch) {
  backend_ = SenderBackend::kSendmmsg;
  batch_ = batch;
  slots_.assign(batch * kSlotStride, std::byte{0});
  messages_ = std::make_unique<mmsghdr[]>(batch);
  iovecs_ = std::make_unique<iovec[]>(batch);
  if (ip_level_) names_ = std::make_unique<sockaddr_in[]>(batch);
  for (size_t i = 0; i < batch; ++i) {
    iovecs_[i].iov_base = &slots_[i * kSlotStride];
    iovecs_[i].iov_len = 0;
    messages_[i] = mmsghdr{};
    messages_[i].msg_hdr.msg_iov = &iovecs_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
    if (ip_level_) {
      names_[i] = sockaddr_in{};
      names_[i].sin_family = AF_INET;
      messages_[i].msg_hdr.msg_name = &names_[i];
      messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    }
  }
  return {};
}

Result<void> FrameSender::setup_tx_ring(size_t batch, size_t ring_frames) {
  backend_ = SenderBackend::kTxRing;
  batch_ = batch;
  const int version = TPACKET_V2;
  if (::setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) {
    return socket_error("select TPACKET_V2", ifname_, errno);
  }
  // A malformed frame must not stop the ring: without PACKET_LOSS the kernel
  // parks it as "wrong format" and never sends past it.
  const int one = 1;
  if (::setsockopt(fd_, SOL_PACKET, PACKET_LOSS, &one, sizeof one) != 0) {
    return socket_error("configure the transmit ring", ifname_, errno);
  }
  constexpr size_t kPerBlock = kTxBlockSize / kTxFrameSize;
  const size_t blocks = (ring_frames + kPerBlock - 1) / kPerBlock;
  tpacket_req req{};
  req.tp_block_size = static_cast<unsigned>(kTxBlockSize);
  req.tp_block_nr = static_cast<unsigned>(blocks);
  req.tp_frame_size = static_cast<unsigned>(kTxFrameSize);
  req.tp_frame_nr = static_cast<unsigned>(blocks * kPerBlock);
  if (::setsockopt(fd_, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) != 0) {
    return socket_error("set up a transmit ring", ifname_, errno);
  }
  ring_bytes_ = blocks * kTxBlockSize;
  void* ring = ::mmap(nullptr, ring_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (ring == MAP_FAILED) {
    ring_bytes_ = 0;
    return socket_error("map the transmit ring", ifname_, errno);
  }
  ring_ = static_cast<std::byte*>(ring);
  ring_frames_ = blocks * kPerBlock;
  return {};
}

std::byte* FrameSender::ring_frame(size_t index) const {
  // Frames never straddle blocks and blocks are whole multiples of frames,
  // so frame i sits at i * kTxFrameSize.
  return ring_ + index * kTxFrameSize;
}

std::span<std::byte> FrameSender::slot() {
  if (backend_ == SenderBackend::kSendmmsg) {
    if (queued_ == batch_) return {};
    return {&slots_[queued_ * kSlotStride], kFrameCapacity};
  }
  if (queued_ == ring_frames_) return {};
  const auto* hdr = reinterpret_cast<const tpacket2_hdr*>(ring_frame(head_));
  if ((load_status(hdr->tp_status) & kTxBusy) != 0 && !wait_for_ring_slot()) return {};
  return {ring_frame(head_) + kTxDataOffset, kFrameCapacity};
}

bool FrameSender::wait_for_ring_slot() {
  // The frame is still being transmitted (a real NIC completes it after the
  // wire): POLLOUT on a TX ring means "the next frame is free".
  const int64_t deadline = monotonic_ns() + kMaxStallNs;
  const auto* hdr = reinterpret_cast<const tpacket2_hdr*>(ring_frame(head_));
  for (int i = 0; i < 10'000 && monotonic_ns() < deadline; ++i) {
    if ((load_status(hdr->tp_status) & kTxBusy) == 0) return true;
    pollfd pfd{fd_, POLLOUT, 0};
    (void)::poll(&pfd, 1, 1);
  }
  return (load_status(hdr->tp_status) & kTxBusy) == 0;
}

void FrameSender::commit(size_t len) {
  assert(len >= kMinFrame && len <= kFrameCapacity);
  len = std::clamp(len, kMinFrame, kFrameCapacity);
  if (backend_ == SenderBackend::kSendmmsg) {
    if (queued_ == batch_) return;  // slot() gave no buffer
    if (ip_level_) {
      // The IPv4 packet after the 14-byte Ethernet header; its destination
      // (header bytes 16..19) addresses the datagram.
      std::byte* frame = &slots_[queued_ * kSlotStride];
      iovecs_[queued_].iov_base = frame + 14;
      iovecs_[queued_].iov_len = len - 14;
      std::memcpy(&names_[queued_].sin_addr, frame + 14 + 16, 4);
    } else {
      iovecs_[queued_].iov_len = len;
    }
    if (++queued_ == batch_) (void)flush_sendmmsg();
    return;
  }
  auto* hdr = reinterpret_cast<tpacket2_hdr*>(ring_frame(head_));
  if (queued_ == ring_frames_ || (load_status(hdr->tp_status) & kTxBusy) != 0) return;
  hdr->tp_len = static_cast<uint32_t>(len);
  store_status(hdr->tp_status, TP_STATUS_SEND_REQUEST);
  head_ = head_ + 1 == ring_frames_ ? 0 : head_ + 1;
  if (++queued_ >= batch_) (void)flush_tx_ring();
}

Result<void> FrameSender::flush() {
  return backend_ == SenderBackend::kSendmmsg ? flush_sendmmsg() : flush_tx_ring();
}

Result<void> FrameSender::flush_sendmmsg() {
  int attempt = 0;
  int64_t stalled_since = 0;
  while (unsent_ < queued_) {
    const int n = ::sendmmsg(fd_, &messages_[unsent_], static_cast<unsigned>(queued_ - unsent_), 0);
    if (n > 0) {
      unsent_ += static_cast<size_t>(n);
      frames_sent_ += static_cast<uint64_t>(n);
      attempt = 0;
      stalled_since = 0;
      continue;
    }
    // A partial sendmmsg() drops the error of the frame it stopped at; the
    // retry reports it if it persists.
    const int err = n == 0 ? EAGAIN : errno;
    if (err == EINTR) continue;
    if (err != ENOBUFS && err != EAGAIN) return send_error(err);
    if (!back_off(attempt++, stalled_since)) return send_error(err);
  }
  queued_ = 0;
  unsent_ = 0;
  return {};
}

Result<void> FrameSender::flush_tx_ring() {
  int attempt = 0;
  int64_t stalled_since = 0;
  while (queued_ > 0) {
    // MSG_DONTWAIT: hand the frames over without waiting for the driver to
    // finish them; slot() waits for a frame only when it needs it again.
    const ssize_t rc = ::send(fd_, nullptr, 0, MSG_DONTWAIT);
    const int err = rc < 0 ? errno : 0;
    // The kernel takes frames in ring order and puts a frame it could not
    // queue (ENOBUFS) back to SEND_REQUEST, so the consumed ones are a prefix.
    size_t index = (head_ + ring_frames_ - queued_) % ring_frames_;
    size_t consumed = 0;
    while (consumed < queued_) {
      const auto* hdr = reinterpret_cast<const tpacket2_hdr*>(ring_frame(index));
      if (load_status(hdr->tp_status) == TP_STATUS_SEND_REQUEST) break;
      ++consumed;
      index = index + 1 == ring_frames_ ? 0 : index + 1;
    }
    queued_ -= consumed;
    frames_sent_ += consumed;
    if (queued_ == 0) break;
    if (consumed > 0) {
      attempt = 0;
      stalled_since = 0;
    }
    if (err == EINTR) continue;
    if (err != 0 && err != ENOBUFS && err != EAGAIN) return send_error(err);
    if (!back_off(attempt++, stalled_since)) return send_error(err != 0 ? err : ENOBUFS);
  }
  return {};
}

bool FrameSender::back_off(int attempt, int64_t& stalled_since) {
  ++send_retries_;
  const int64_t now = monotonic_ns();
  if (stalled_since == 0) stalled_since = now;
  if (now - stalled_since > kMaxStallNs) return false;
  // The queue usually drains within microseconds (the driver's completion
  // interrupt, or on veth the peer's softirq): yield first, then sleep
  // 20 us, 40 us, ... up to 1 ms.
  if (attempt < 3) {
    ::sched_yield();
    return true;
  }
  const int64_t delay_ns =
      std::min<int64_t>(int64_t{20'000} << std::min(attempt - 3, 6), 1'000'000);
  const timespec ts{0, static_cast<long>(delay_ns)};
  ::nanosleep(&ts, nullptr);
  return true;
}

Unexpected FrameSender::send_error(int err) const {
  return socket_error("send frames", ifname_, err);
}

// ---------------------------------------------------------------------------
// FrameReceiver

FrameReceiver::~FrameReceiver() {
  if (ring_ != nullptr) ::munmap(ring_, ring_bytes_);
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FrameReceiver>> FrameReceiver::create(int ifindex,
                                                             const FrameReceiverOptions& options) {
  const auto page = static_cast<uint32_t>(::sysconf(_SC_PAGESIZE));
  if (options.block_count == 0 || options.block_size == 0 || options.block_size % page != 0 ||
      options.frame_size < TPACKET3_HDRLEN || options.frame_size % TPACKET_ALIGNMENT != 0 ||
      options.frame_size > options.block_size || options.block_timeout_ms == 0) {
    return fail(fmt::format(
        "invalid receive ring: {} blocks of {} bytes, frames of {} bytes (blocks must be "
        "multiples of {} bytes and hold at least one frame)",
        options.block_count, options.block_size, options.frame_size, page));
  }
  auto ifname = raw_capable_interface(ifindex);
  if (!ifname) return Unexpected(ifname.error());
  std::unique_ptr<FrameReceiver> receiver(new FrameReceiver());
  receiver->ifname_ = *ifname;

  // Protocol 0 until bind(): the socket receives nothing before its filter
  // and ring are in place.
  receiver->fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (receiver->fd_ < 0) return socket_error("open a packet socket", *ifname, errno);
  const int fd = receiver->fd_;

  const int version = TPACKET_V3;
  if (::setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) {
    return socket_error("select TPACKET_V3", *ifname, errno);
  }
  // Our own probes as they leave (on lo) are not replies; the kernel can
  // skip them before they cost ring space (Linux 4.20+; poll() also checks).
  const int one = 1;
  (void)::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  if (!options.filter.empty()) {
    if (auto attached = attach_filter(fd, options.filter, *ifname); !attached) {
      return Unexpected(attached.error());
    }
  }

  tpacket_req3 req{};
  req.tp_block_size = options.block_size;
  req.tp_block_nr = options.block_count;
  req.tp_frame_size = options.frame_size;
  req.tp_frame_nr = options.block_size / options.frame_size * options.block_count;
  req.tp_retire_blk_tov = options.block_timeout_ms;
  if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0) {
    return socket_error("set up a receive ring", *ifname, errno);
  }
  receiver->ring_bytes_ = static_cast<size_t>(options.block_size) * options.block_count;
  void* ring = ::mmap(nullptr, receiver->ring_bytes_, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_POPULATE, fd, 0);
  if (ring == MAP_FAILED) {
    receiver->ring_bytes_ = 0;
    return socket_error("map the receive ring", *ifname, errno);
  }
  receiver->ring_ = static_cast<std::byte*>(ring);
  receiver->block_size_ = options.block_size;
  receiver->block_count_ = options.block_count;
  if (auto bound = bind_to(fd, ifindex, ETH_P_ALL, *ifname); !bound) {
    return Unexpected(bound.error());
  }
  return receiver;
}

Result<size_t> FrameReceiver::poll(int timeout_ms, FrameHandler on_frame) {
  auto block_at = [&](uint32_t i) {
    return reinterpret_cast<tpacket_block_desc*>(ring_ + static_cast<size_t>(i) * block_size_);
  };
  auto ready = [&](const tpacket_block_desc* b) {
    return (load_status(b->hdr.bh1.block_status) & TP_STATUS_USER) != 0;
  };

  if (!ready(block_at(block_))) {
    pollfd pfd{fd_, POLLIN | POLLERR, 0};
    const int rc = ::poll(&pfd, 1, timeout_ms);
    if (rc < 0) {
      if (errno == EINTR) return size_t{0};
      return socket_error("wait for frames", ifname_, errno);
    }
    if ((pfd.revents & POLLERR) != 0) {
      int err = 0;
      socklen_t len = sizeof err;
      if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0) {
        return socket_error("receive frames", ifname_, err);
      }
    }
  }

  size_t delivered = 0;
  // At most one lap, so a busy link cannot keep the caller here forever.
  for (uint32_t n = 0; n < block_count_; ++n) {
    tpacket_block_desc* block = block_at(block_);
    if (!ready(block)) break;
    const auto* base = reinterpret_cast<const std::byte*>(block);
    const std::byte* end = base + block_size_;
    const std::byte* at = base + block->hdr.bh1.offset_to_first_pkt;
    const uint32_t count = block->hdr.bh1.num_pkts;
    for (uint32_t i = 0; i < count && at + sizeof(tpacket3_hdr) <= end; ++i) {
      const auto* hdr = reinterpret_cast<const tpacket3_hdr*>(at);
      const auto* sll =
          reinterpret_cast<const sockaddr_ll*>(at + TPACKET_ALIGN(sizeof(tpacket3_hdr)));
      const std::byte* frame = at + hdr->tp_mac;
      if (sll->sll_pkttype != PACKET_OUTGOING && frame + hdr->tp_snaplen <= end) {
        on_frame(std::span<const std::byte>(frame, hdr->tp_snaplen),
                 static_cast<uint64_t>(hdr->tp_sec) * 1'000'000'000 + hdr->tp_nsec);
        ++delivered;
      }
      if (hdr->tp_next_offset == 0) break;
      at += hdr->tp_next_offset;
    }
    store_status(block->hdr.bh1.block_status, TP_STATUS_KERNEL);
    block_ = block_ + 1 == block_count_ ? 0 : block_ + 1;
  }
  return delivered;
}

RingStats FrameReceiver::stats() {
  tpacket_stats_v3 st{};
  socklen_t len = sizeof st;
  if (::getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
    totals_.packets += st.tp_packets;
    totals_.drops += st.tp_drops;
  }
  return totals_;
}

}  // namespace portolan
