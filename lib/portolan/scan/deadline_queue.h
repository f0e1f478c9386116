// DeadlineQueue: when each in-flight probe times out, ordered by deadline.
//
// An indexed binary min-heap over small integer ids (the worker's slot
// numbers): besides push and pop-earliest it can erase any id in O(log n),
// which is what happens to almost every entry, since most probes are answered
// before their deadline. Memory is fixed at construction (no allocation while
// scanning), and stale entries never accumulate as they would with lazy
// deletion.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "portolan/scan/timing.h"

namespace portolan {

class DeadlineQueue {
 public:
  // Ids must be below `capacity`.
  explicit DeadlineQueue(uint32_t capacity) : pos_(capacity, kAbsent) { heap_.reserve(capacity); }

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  bool contains(uint32_t id) const { return pos_[id] != kAbsent; }

  // Queues `id`, which must not be queued already.
  void push(uint32_t id, Micros deadline) {
    assert(id < pos_.size() && !contains(id));
    heap_.push_back(Entry{deadline, id});
    pos_[id] = static_cast<uint32_t>(heap_.size() - 1);
    sift_up(heap_.size() - 1);
  }

  // Removes `id` if queued; returns whether it was.
  bool erase(uint32_t id) {
    uint32_t i = pos_[id];
    if (i == kAbsent) return false;
    pos_[id] = kAbsent;
    Entry last = heap_.back();
    heap_.pop_back();
    if (i < heap_.size()) {
      heap_[i] = last;
      pos_[last.id] = i;
      // The moved entry may belong above or below its new place.
      sift_up(i);
      sift_down(pos_[last.id]);
    }
    return true;
  }

  // The earliest entry; the queue must not be empty.
  uint32_t top_id() const { return heap_.front().id; }
  Micros top_deadline() const { return heap_.front().deadline; }

  // Appends every queued id to `out`, in no particular order.
  void collect_ids(std::vector<uint32_t>& out) const {
    for (const Entry& e : heap_) out.push_back(e.id);
  }

  uint32_t pop() {
    uint32_t id = top_id();
    erase(id);
    return id;
  }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  struct Entry {
    Micros deadline;
    uint32_t id;
  };

  void sift_up(size_t i) {
    Entry e = heap_[i];
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (!(e.deadline < heap_[parent].deadline)) break;
      move_to(i, heap_[parent]);
      i = parent;
    }
    move_to(i, e);
  }

  void sift_down(size_t i) {
    Entry e = heap_[i];
    const size_t n = heap_.size();
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child + 1].deadline < heap_[child].deadline) ++child;
      if (!(heap_[child].deadline < e.deadline)) break;
      move_to(i, heap_[child]);
      i = child;
    }
    move_to(i, e);
  }

  void move_to(size_t i, const Entry& e) {
    heap_[i] = e;
    pos_[e.id] = static_cast<uint32_t>(i);
  }

  std::vector<Entry> heap_;
  std::vector<uint32_t> pos_;  // heap index of each id, kAbsent when not queued
};

}  // namespace portolan
