// ReplyTable: what one block of a stateless sweep has heard back.
//
// One 16-bit cell per element of the block's permutation (a (host, port)
// pair): the reply's code in the low byte, 0 meaning nothing heard yet (the
// codes' meanings belong to the engine), and the TTL the reply arrived with
// in the high byte. Two bytes is the whole cost of a probe: a /16 at 100
// ports is 6.5 million cells, 13 MB.
//
// Three parties share it without a lock: the receiver thread records
// replies, the sender thread skips retransmitting cells that are answered,
// and the result builder reads everything once the block is done. Each cell
// is accessed through std::atomic_ref with relaxed ordering: a cell is
// always read whole (code and TTL from the same reply) and no reader needs
// to see cells in any order, because the engine joins or otherwise
// synchronises with the receiver before it builds results. A stale read
// only costs the sender one retransmission.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "portolan/core/result.h"

namespace portolan {

struct ReplyEntry {
  uint8_t code = 0;  // 0: no reply yet
  uint8_t ttl = 0;
};

class ReplyTable {
 public:
  // Larger tables are refused without trying: 2 TiB is no block we plan.
  static constexpr uint64_t kMaxSize = uint64_t{1} << 40;

  // A table of `size` cells, all empty. Fails with a kResource error when the
  // memory cannot be had or size > kMaxSize. Memory is zeroed lazily by the
  // kernel, so creating a large table is cheap until it is written.
  static Result<ReplyTable> create(uint64_t size);

  ReplyTable(ReplyTable&& other) noexcept;
  ReplyTable& operator=(ReplyTable&& other) noexcept;
  ReplyTable(const ReplyTable&) = delete;
  ReplyTable& operator=(const ReplyTable&) = delete;
  ~ReplyTable() = default;

  // Records a reply in cell `i` (< size()) if the cell is still empty: the
  // first reply wins, later duplicates and replays change nothing. Returns
  // whether this call recorded. `code` 0 is not a reply and is ignored.
  // Safe to race with any other call.
  bool record(uint64_t i, uint8_t code, uint8_t ttl) {
    if (code == 0) return false;
    std::atomic_ref<uint16_t> cell(cells_[i]);
    uint16_t empty = 0;
    if (cell.load(std::memory_order_relaxed) != 0 ||
        !cell.compare_exchange_strong(empty, pack(code, ttl), std::memory_order_relaxed)) {
      return false;
    }
    answered_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  // Replaces cell `i` whatever it holds: for a later reply the engine ranks
  // higher than the one recorded (e.g. a SYN-ACK after an ICMP error).
  // `code` 0 is ignored; a table never goes back to "no reply".
  void overwrite(uint64_t i, uint8_t code, uint8_t ttl) {
    if (code == 0) return;
    std::atomic_ref<uint16_t> cell(cells_[i]);
    if (cell.exchange(pack(code, ttl), std::memory_order_relaxed) == 0) {
      answered_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Cell `i` (< size()), code and TTL read together.
  ReplyEntry entry(uint64_t i) const {
    const uint16_t v = std::atomic_ref<uint16_t>(cells_[i]).load(std::memory_order_relaxed);
    return ReplyEntry{static_cast<uint8_t>(v & 0xff), static_cast<uint8_t>(v >> 8)};
  }
  uint8_t code(uint64_t i) const { return entry(i).code; }
  uint8_t ttl(uint64_t i) const { return entry(i).ttl; }
  bool answered(uint64_t i) const { return code(i) != 0; }

  // Cells holding a reply; exact once writers have stopped.
  uint64_t answered_count() const { return answered_.load(std::memory_order_relaxed); }
  uint64_t size() const { return size_; }
  // The cells' memory (the object's few bytes aside).
  size_t memory_bytes() const { return static_cast<size_t>(size_) * sizeof(uint16_t); }

 private:
  struct FreeCells {
    void operator()(uint16_t* p) const { std::free(p); }
  };

  ReplyTable(uint64_t size, uint16_t* cells) : size_(size), cells_(cells) {}

  static uint16_t pack(uint8_t code, uint8_t ttl) {
    return static_cast<uint16_t>(code | (ttl << 8));
  }

  uint64_t size_;
  std::unique_ptr<uint16_t[], FreeCells> cells_;
  std::atomic<uint64_t> answered_{0};
};

}  // namespace portolan
