#include "portolan/trace/hop_table.h"

#include <algorithm>

#include "portolan/trace/trace_probe.h"

namespace portolan {

namespace {
constexpr int kMaxSends = 2;
}

HopTable::HopTable(int max_ttl, int first)
    : max_ttl_(std::clamp(max_ttl, 1, kMaxTraceTtl)),
      first_(std::clamp(first, 1, max_ttl_)),
      slots_(static_cast<size_t>(max_ttl_)) {}

std::vector<int> HopTable::next_round() {
  std::vector<int> ttls;
  if (complete()) return ttls;
  const int last = end_ttl_ != 0 ? end_ttl_ - 1 : sent_upto_;
  for (int ttl = 1; ttl <= last; ++ttl) {
    Slot& s = slots_[ttl - 1];
    if (!s.answered && s.sends > 0 && s.sends < kMaxSends) ttls.push_back(ttl);
  }
  if (end_ttl_ == 0) {
    const int upto = sent_upto_ == 0 ? first_ : max_ttl_;
    for (int ttl = sent_upto_ + 1; ttl <= upto; ++ttl) ttls.push_back(ttl);
    sent_upto_ = std::max(sent_upto_, upto);
  }
  for (int ttl : ttls) ++slots_[ttl - 1].sends;
  return ttls;
}

void HopTable::sent(int ttl, int64_t when_ns) {
  if (ttl < 1 || ttl > max_ttl_) return;
  slots_[ttl - 1].sent_ns = when_ns;
}

bool HopTable::record(int ttl, const IpAddress& from, bool end, int64_t when_ns) {
  if (ttl < 1 || ttl > max_ttl_) return false;
  Slot& s = slots_[ttl - 1];
  if (s.sends == 0) return false;
  bool changed = false;
  if (!s.answered) {
    s.answered = true;
    s.from = from;
    s.rtt_ns = std::max<int64_t>(0, when_ns - s.sent_ns);
    changed = true;
  }
  if (end && (end_ttl_ == 0 || ttl < end_ttl_)) {
    end_ttl_ = ttl;
    changed = true;
  }
  return changed;
}

bool HopTable::complete() const {
  if (end_ttl_ == 0) return false;
  for (int ttl = 1; ttl < end_ttl_; ++ttl) {
    if (!slots_[ttl - 1].answered) return false;
  }
  return true;
}

bool HopTable::awaiting_replies() const {
  const int last = end_ttl_ != 0 ? end_ttl_ - 1 : sent_upto_;
  for (int ttl = 1; ttl <= last; ++ttl) {
    const Slot& s = slots_[ttl - 1];
    if (s.sends > 0 && !s.answered) return true;
  }
  return false;
}

std::vector<TraceHop> HopTable::hops() const {
  std::vector<TraceHop> out;
  const int last = end_ttl_ != 0 ? end_ttl_ : max_ttl_;
  for (int ttl = 1; ttl <= last; ++ttl) {
    const Slot& s = slots_[ttl - 1];
    if (!s.answered) continue;
    TraceHop h;
    h.ttl = ttl;
    h.address = s.from;
    h.rtt_ms = static_cast<double>(s.rtt_ns) / 1e6;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace portolan
