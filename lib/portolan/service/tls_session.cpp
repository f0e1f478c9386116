#include "portolan/service/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "portolan/service/certificate_info.h"

namespace portolan {
namespace {

std::string drain_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

constexpr int kVersions[] = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION};

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::create() {
  auto c = std::shared_ptr<TlsContext>(new TlsContext());
  c->ctx_ = SSL_CTX_new(TLS_client_method());
  if (!c->ctx_) return fail(ErrorKind::kResource, "cannot create a TLS context: " + drain_errors());
  SSL_CTX_set_security_level(c->ctx_, 0);
  SSL_CTX_set_min_proto_version(c->ctx_, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(c->ctx_, 0);  // the highest this OpenSSL knows
  SSL_CTX_set_cipher_list(c->ctx_, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set_verify(c->ctx_, SSL_VERIFY_NONE, nullptr);
  // A detector reads what the server says; renegotiation and tickets only cost.
  SSL_CTX_set_options(
      c->ctx_, SSL_OP_NO_TICKET | SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_session_cache_mode(c->ctx_, SSL_SESS_CACHE_OFF);
  return c;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
}

Result<std::unique_ptr<TlsSession>> TlsSession::create(const TlsContext& context, int fd,
                                                       const std::string& sni, int pinned) {
  auto s = std::unique_ptr<TlsSession>(new TlsSession());
  s->ssl_ = SSL_new(context.native());
  if (!s->ssl_) return fail(ErrorKind::kResource, "cannot create a TLS session: " + drain_errors());
  SSL_set_fd(s->ssl_, fd);
  SSL_set_connect_state(s->ssl_);
  if (!sni.empty()) SSL_set_tlsext_host_name(s->ssl_, sni.c_str());
  if (pinned >= 0 && pinned < 4) {
    SSL_set_min_proto_version(s->ssl_, kVersions[pinned]);
    SSL_set_max_proto_version(s->ssl_, kVersions[pinned]);
  }
  return s;
}

TlsSession::~TlsSession() {
  if (ssl_) SSL_free(ssl_);
}

TlsSession::Io TlsSession::classify(int ret) {
  const int err = SSL_get_error(ssl_, ret);
  switch (err) {
    case SSL_ERROR_WANT_READ:
      return Io::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Io::kClosed;
    case SSL_ERROR_SYSCALL:
      last_error_ = drain_errors();
      return Io::kClosed;
    default:
      last_error_ = drain_errors();
      return Io::kError;
  }
}

TlsSession::Io TlsSession::handshake() {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  return r == 1 ? Io::kDone : classify(r);
}

TlsSession::Io TlsSession::write(std::string_view data, size_t& written) {
  ERR_clear_error();
  written = 0;
  if (data.empty()) return Io::kDone;
  const int r = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
  if (r > 0) {
    written = static_cast<size_t>(r);
    return Io::kDone;
  }
  return classify(r);
}

TlsSession::Io TlsSession::read(char* buffer, size_t capacity, size_t& got) {
  ERR_clear_error();
  got = 0;
  const int r = SSL_read(ssl_, buffer, static_cast<int>(capacity));
  if (r > 0) {
    got = static_cast<size_t>(r);
    return Io::kDone;
  }
  return classify(r);
}

std::string TlsSession::version() const {
  return SSL_get_version(ssl_);
}

TlsInfo TlsSession::info() const {
  TlsInfo info;
  info.negotiated = version();
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl_)) info.cipher = SSL_CIPHER_get_name(c);
  if (X509* cert = SSL_get1_peer_certificate(ssl_)) {
    describe_certificate(cert, info);
    X509_free(cert);
  }
  return info;
}

}  // namespace portolan
