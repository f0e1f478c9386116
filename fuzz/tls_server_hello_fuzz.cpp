// A server's first TLS records (ServerHello, alert, or anything at all) as
// the audit's own TLS probes read them: parse_server_answer must return for
// every input, never read past it, and say kServerHello only with a version.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "portolan/audit/tls_hello.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  const auto answer = portolan::audit::parse_server_answer(bytes);
  if (answer.kind == portolan::audit::ServerAnswer::Kind::kMalformed && answer.problem.empty())
    std::abort();
  (void)portolan::audit::tls_version_name(answer.version);
  (void)portolan::audit::describe_alert(answer.alert_description);
  return 0;
}
