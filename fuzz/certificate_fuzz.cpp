// A server's certificate (DER, as it arrives in a TLS handshake) parsed by
// OpenSSL and described by certificate_info: names, SANs, dates, key.
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>

#include "portolan/service/certificate_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const unsigned char* p = data;
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(size));
  if (!cert) return 0;
  portolan::TlsInfo info;
  portolan::describe_certificate(cert, info);
  X509_free(cert);
  return 0;
}
