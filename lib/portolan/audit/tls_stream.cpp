// ServiceStream; see tls_stream.h.
#include "portolan/audit/tls_stream.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "portolan/audit/http_response.h"
#include "portolan/service/tls_session.h"

namespace portolan::audit {
namespace {

using Clock = std::chrono::steady_clock;

// Waits for `events` on `fd` until `deadline`, in slices so a stop request is
// seen; false on timeout, stop or error.
bool wait_for(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* stop) {
  while (stop == nullptr || !stop->load()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 100)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n > 0) return true;
  }
  return false;
}

// One TLS context for every check: it holds no per-target state.
Result<std::shared_ptr<TlsContext>> shared_context() {
  static const Result<std::shared_ptr<TlsContext>> context = TlsContext::create();
  return context;
}

}  // namespace

ServiceStream::~ServiceStream() = default;

bool service_over_tls(const ServiceInfo& service) {
  return service.tunnel == "ssl" || (service.tls.has_value() && !service.tls->starttls);
}

Result<std::unique_ptr<ServiceStream>> ServiceStream::connect(AuditNet& net, uint16_t port,
                                                              bool tls, const std::string& sni) {
  auto tcp = net.connect(port);
  if (!tcp) return Unexpected(tcp.error());
  auto stream = std::unique_ptr<ServiceStream>(new ServiceStream());
  stream->tcp_ = std::move(*tcp);
  if (!tls) return stream;

  auto context = shared_context();
  if (!context) return Unexpected(context.error());
  auto session = TlsSession::create(**context, stream->tcp_->fd(), sni);
  if (!session) return Unexpected(session.error());
  const auto& options = stream->tcp_->options();
  const auto deadline = Clock::now() + options.timeout;
  while (true) {
    const auto io = (*session)->handshake();
    if (io == TlsSession::Io::kDone) break;
    if (io == TlsSession::Io::kWantRead || io == TlsSession::Io::kWantWrite) {
      const short ev = io == TlsSession::Io::kWantRead ? POLLIN : POLLOUT;
      if (!wait_for(stream->tcp_->fd(), ev, deadline, options.stop)) {
        return fail(ErrorKind::kIo, "TLS handshake: timed out");
      }
      continue;
    }
    const std::string why = (*session)->last_error();
    return fail(ErrorKind::kIo,
                why.empty() ? "TLS handshake failed" : "TLS handshake failed: " + why);
  }
  stream->session_ = std::move(*session);
  return stream;
}

Result<std::unique_ptr<ServiceStream>> ServiceStream::connect(const PortContext& ctx) {
  return connect(*ctx.net, ctx.port.port, service_over_tls(ctx.service), ctx.sni);
}

Result<void> ServiceStream::send(std::string_view bytes) {
  if (!session_) return tcp_->send(bytes);
  const auto& options = tcp_->options();
  const auto deadline = Clock::now() + options.timeout;
  while (!bytes.empty()) {
    size_t written = 0;
    const auto io = session_->write(bytes, written);
    if (io == TlsSession::Io::kDone) {
      bytes.remove_prefix(written);
      continue;
    }
    if (io == TlsSession::Io::kWantRead || io == TlsSession::Io::kWantWrite) {
      if (!wait_for(tcp_->fd(), io == TlsSession::Io::kWantRead ? POLLIN : POLLOUT, deadline,
                    options.stop)) {
        return fail(ErrorKind::kIo, "send: timed out");
      }
      continue;
    }
    return fail(ErrorKind::kIo, "send: TLS connection closed");
  }
  return {};
}

Result<std::string> ServiceStream::read_until(const std::function<bool(std::string_view)>& done) {
  if (!session_) return tcp_->read_until(done);
  const auto& options = tcp_->options();
  const auto deadline = Clock::now() + options.timeout;
  std::string got;
  char buffer[4096];
  while (got.size() < options.max_bytes) {
    size_t n = 0;
    const auto io =
        session_->read(buffer, std::min(sizeof buffer, options.max_bytes - got.size()), n);
    if (io == TlsSession::Io::kDone) {
      got.append(buffer, n);
      if (done && done(got)) break;
      continue;
    }
    if (io == TlsSession::Io::kWantRead || io == TlsSession::Io::kWantWrite) {
      if (!wait_for(tcp_->fd(), io == TlsSession::Io::kWantRead ? POLLIN : POLLOUT, deadline,
                    options.stop))
        break;
      continue;
    }
    if (io == TlsSession::Io::kError && got.empty()) return fail(ErrorKind::kIo, "recv: TLS error");
    break;  // closed
  }
  return got;
}

std::string http_host_for(const PortContext& ctx, bool tls) {
  return http_host_header(ctx.sni.empty() ? ctx.host.address.to_string() : ctx.sni, ctx.port.port,
                          tls);
}

Result<std::string> exchange_http(AuditNet& net, uint16_t port, bool tls, const std::string& sni,
                                  std::string_view request) {
  auto stream = ServiceStream::connect(net, port, tls, sni);
  if (!stream) return Unexpected(stream.error());
  return exchange(**stream, request, http_response_complete);
}

}  // namespace portolan::audit
