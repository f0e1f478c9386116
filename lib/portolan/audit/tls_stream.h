// ServiceStream: one connection of an active check, plain TCP or TLS over TCP,
// read and written the same way, so an HTTP check (Docker on 2376, the
// Kubernetes API on 6443) does not care which the port speaks.
//
// The TLS layer is service/tls_session.h's TlsSession, which is non-blocking:
// every step is polled until done, bounded by the AuditNet timeout and ended
// early by its stop flag. The certificate is read, never verified: a check
// asks whether the service answers, not whom to trust. No client certificate
// is ever offered, so a Docker daemon with --tlsverify refuses the handshake.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "portolan/audit/audit_net.h"
#include "portolan/audit/check.h"
#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"

namespace portolan {
class TlsSession;
}

namespace portolan::audit {

class ServiceStream {
 public:
  // Connects through `net` (paced) and, with `tls`, completes a handshake
  // (SNI `sni` when not empty). Errors: connect, handshake failure, timeout.
  static Result<std::unique_ptr<ServiceStream>> connect(AuditNet& net, uint16_t port, bool tls,
                                                        const std::string& sni);
  // Connects to ctx's port the way -sV reached it: TLS when service_over_tls,
  // SNI ctx.sni. ctx.net must not be null.
  static Result<std::unique_ptr<ServiceStream>> connect(const PortContext& ctx);
  ~ServiceStream();
  ServiceStream(const ServiceStream&) = delete;
  ServiceStream& operator=(const ServiceStream&) = delete;

  Result<void> send(std::string_view bytes);
  // As TcpStream::read_until: what came until `done`, close, max_bytes or the
  // timeout; an error only when the connection failed before any byte.
  Result<std::string> read_until(const std::function<bool(std::string_view)>& done);
  bool tls() const { return session_ != nullptr; }

 private:
  ServiceStream() = default;
  std::unique_ptr<TcpStream> tcp_;
  std::unique_ptr<TlsSession> session_;
};

// One turn of a check's conversation on a TcpStream or a ServiceStream: sends
// `request`, then reads the answer as read_until(done). The error of a failed
// send, else what read_until returned.
template <typename Stream>
Result<std::string> exchange(Stream& stream, std::string_view request,
                             const std::function<bool(std::string_view)>& done) {
  if (auto sent = stream.send(request); !sent) return Unexpected(sent.error());
  return stream.read_until(done);
}

// Whether -sV reached this service through TLS (a TLS port, not STARTTLS).
bool service_over_tls(const ServiceInfo& service);

// The Host header for a request to ctx's port: ctx.sni when set, else the
// target's address.
std::string http_host_for(const PortContext& ctx, bool tls);

// Sends one HTTP request on a new connection and returns the raw answer, read
// until the response is whole (http_response_complete) or the peer closes.
Result<std::string> exchange_http(AuditNet& net, uint16_t port, bool tls, const std::string& sni,
                                  std::string_view request);

}  // namespace portolan::audit
