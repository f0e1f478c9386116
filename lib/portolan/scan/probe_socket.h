// Probe sockets: how the connect scan opens, binds and checks its sockets.
//
// Every probe socket is non-blocking with SO_LINGER {on, 0}: closing one that
// connected sends a RST instead of a FIN, so an open port costs no TIME_WAIT
// entry and a large scan does not exhaust the 4-tuple space.
//
// For IPv4 loopback targets the socket is bound ("pinned") to a fixed source
// address that is not the target (kPinnedLoopbackSource) and to a random port
// of the ephemeral range. connect() then skips the kernel's ephemeral port
// search, which is measurable when the whole scan is kernel time; and since
// source address != destination address, a probe can never meet itself or
// another probe socket in a simultaneous open (a false "open"). Other targets
// use kernel-chosen ports, and is_self_connected() catches the self-connects
// those allow.
#pragma once

#include <sys/socket.h>

#include <cstdint>

namespace portolan {

// 127.0.0.3 in host order: any 127/8 address is local on Linux.
inline constexpr uint32_t kPinnedLoopbackSource = 0x7f000003;

// Which kind of socket a probe needs; a socket is reused only for probes
// with an equal key.
struct SocketKey {
  int family = AF_INET;
  uint32_t pinned_source_v4 = 0;  // host order; 0: let the kernel choose
  bool operator==(const SocketKey&) const = default;
};

// Picks source ports for pinned sockets: uniform over the kernel's ephemeral
// range (read once from /proc). Deterministic given its seed.
class SourcePortPicker {
 public:
  explicit SourcePortPicker(uint64_t seed);
  uint16_t next();

 private:
  uint64_t state_;
  uint16_t low_;
  uint16_t high_;
};

// Opens a probe socket for `key`. Returns the fd, or -errno. For a pinned key
// a few random ports are tried; if all are taken the socket is left unbound
// (still correct, only slower). Sets `*pinning_unavailable` when the pinned
// source address cannot be bound at all (not a local address here), so the
// caller can stop asking.
int open_probe_socket(const SocketKey& key, SourcePortPicker& ports, bool* pinning_unavailable);

// True when a connected socket is connected to itself: its local and peer
// address and port are equal. Happens on loopback when the kernel picks the
// destination port as source port; the "connection" is a simultaneous open
// with itself, not a listener.
bool is_self_connected(int fd);

}  // namespace portolan
