// libFuzzer target for parse_os_reply: the OS-detection details read from
// every reply to a -O probe.
//
// Beyond "no crash, no read out of bounds": a reply that parses is IPv4 TCP
// or ICMP, its option list fits the 40-byte room of a TCP header, the ICMP
// body lies inside the IP length, and parsing twice gives the same answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "portolan/os/os_reply.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portolan;
  const std::span<const std::byte> frame(reinterpret_cast<const std::byte*>(data), size);
  OsReply reply;
  const ParseStatus status = parse_os_reply(frame, reply);
  if (status != ParseStatus::kOk) return 0;

  check(reply.parsed.src.is_v4());
  check(reply.options.count <= TcpOptionsSeen::kMaxKinds);
  check(reply.icmp_body_length <= reply.ip_total_length);
  check(reply.ip_total_length <= size);
  const std::string order = option_order(reply.options);
  check(order.empty() == (reply.options.count == 0));

  OsReply again;
  again.options.count = 7;  // parse_os_reply must reset what the last frame left
  check(parse_os_reply(frame, again) == status);
  check(again.options.count == reply.options.count && again.df == reply.df &&
        again.options.tsval == reply.options.tsval &&
        again.icmp_body_length == reply.icmp_body_length && option_order(again.options) == order);
  return 0;
}
