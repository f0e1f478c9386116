// ByteReader: a bounds-checked cursor over received bytes.
//
// Every byte that arrives from the network is read through this type (like
// libtins' InputMemoryStream): each read first checks that the bytes are
// there and reports failure instead of reading past the end. A failed read
// leaves the cursor where it was, so a parser can stop at the first `false`
// and know how far it got. Multi-byte reads decode network byte order (big
// endian) into host-order integers. The reader never owns the bytes; the span
// must outlive it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace portolan {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  bool read_u8(uint8_t& out) {
    if (remaining() < 1) return false;
    out = byte_at(pos_);
    pos_ += 1;
    return true;
  }
  // The next two bytes as a big-endian (network order) number, in host order.
  bool read_be16(uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<uint16_t>((byte_at(pos_) << 8) | byte_at(pos_ + 1));
    pos_ += 2;
    return true;
  }
  // The next four bytes as a big-endian (network order) number, in host order.
  bool read_be32(uint32_t& out) {
    if (remaining() < 4) return false;
    out = (uint32_t{byte_at(pos_)} << 24) | (uint32_t{byte_at(pos_ + 1)} << 16) |
          (uint32_t{byte_at(pos_ + 2)} << 8) | uint32_t{byte_at(pos_ + 3)};
    pos_ += 4;
    return true;
  }
  // Copies the next N bytes as they are (addresses stay in network order).
  template <size_t N>
  bool read_bytes(std::array<uint8_t, N>& out) {
    return read_bytes(out.data(), N);
  }
  bool read_bytes(uint8_t* out, size_t n) {
    if (remaining() < n) return false;
    if (n > 0) std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
    return true;
  }

  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

  // The next n bytes as a reader of their own (positions restart at 0), and
  // this reader moves past them; nullopt, and no move, when fewer remain.
  std::optional<ByteReader> take(size_t n) {
    if (remaining() < n) return std::nullopt;
    ByteReader sub(data_.subspan(pos_, n));
    pos_ += n;
    return sub;
  }

  // What has not been read yet, without consuming it.
  std::span<const std::byte> rest() const { return data_.subspan(pos_); }

 private:
  uint8_t byte_at(size_t i) const { return static_cast<uint8_t>(data_[i]); }

  std::span<const std::byte> data_;
  size_t pos_ = 0;
};

}  // namespace portolan
