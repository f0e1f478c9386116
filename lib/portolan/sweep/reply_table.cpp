// ReplyTable allocation and moves; the per-cell operations are inline in
// reply_table.h because they run once per reply and once per retransmission.
#include "portolan/sweep/reply_table.h"

#include <cstdlib>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace portolan {

Result<ReplyTable> ReplyTable::create(uint64_t size) {
  if (size == 0) return ReplyTable(0, nullptr);
  uint16_t* cells = nullptr;
  // calloc rather than new[]: large blocks come from mmap already zeroed, so
  // untouched cells cost no time and no resident memory.
  if (size <= kMaxSize && size <= std::numeric_limits<size_t>::max() / sizeof(uint16_t)) {
    cells = static_cast<uint16_t*>(std::calloc(static_cast<size_t>(size), sizeof(uint16_t)));
  }
  if (cells == nullptr) {
    return fail(ErrorKind::kResource,
                fmt::format("cannot allocate the reply table: {} probes need {} MiB; scan fewer "
                            "hosts or ports at a time",
                            size, (size >> 19) + ((size & ((1u << 19) - 1)) != 0)));
  }
  return ReplyTable(size, cells);
}

ReplyTable::ReplyTable(ReplyTable&& other) noexcept
    : size_(other.size_),
      cells_(std::move(other.cells_)),
      answered_(other.answered_.load(std::memory_order_relaxed)) {
  other.size_ = 0;
  other.answered_.store(0, std::memory_order_relaxed);
}

ReplyTable& ReplyTable::operator=(ReplyTable&& other) noexcept {
  if (this != &other) {
    size_ = other.size_;
    cells_ = std::move(other.cells_);
    answered_.store(other.answered_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    other.size_ = 0;
    other.answered_.store(0, std::memory_order_relaxed);
  }
  return *this;
}

}  // namespace portolan
