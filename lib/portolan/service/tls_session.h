// TlsSession: a non-blocking TLS client on a connected socket (OpenSSL).
//
// Detection talks TLS to find out what is inside it, not to trust anyone: the
// certificate is read, never verified, and the context accepts every protocol
// version and cipher OpenSSL still has (security level 0) so that an old
// server is seen for what it is. A session can be pinned to one protocol
// version to ask the server which versions it accepts.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"

struct ssl_ctx_st;
struct ssl_st;

namespace portolan {

// One per detector; shared by its sessions.
class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> create();
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ssl_ctx_st* native() const { return ctx_; }

 private:
  TlsContext() = default;
  ssl_ctx_st* ctx_ = nullptr;
};

// The protocol versions a pinned session can ask for, oldest first.
inline constexpr std::string_view kTlsVersionNames[] = {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

class TlsSession {
 public:
  enum class Io { kDone, kWantRead, kWantWrite, kClosed, kError };

  // `fd` stays owned by the caller. `sni` may be empty (an address target).
  // `pinned` is an index into kTlsVersionNames, or -1 for any version.
  static Result<std::unique_ptr<TlsSession>> create(const TlsContext& context, int fd,
                                                    const std::string& sni, int pinned = -1);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  Io handshake();
  Io write(std::string_view data, size_t& written);
  Io read(char* buffer, size_t capacity, size_t& got);

  // After a finished handshake: the certificate, version and cipher. The
  // version list is left for the caller to fill.
  TlsInfo info() const;
  std::string version() const;  // "TLSv1.3"
  // Why the last call failed, from OpenSSL's error queue (for -d output).
  std::string last_error() const { return last_error_; }

 private:
  TlsSession() = default;
  Io classify(int ret);
  ssl_st* ssl_ = nullptr;
  std::string last_error_;
};

}  // namespace portolan
