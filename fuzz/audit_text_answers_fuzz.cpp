// libFuzzer target for the text-protocol answers the TCP audit checks parse:
// the first byte picks the parser, the rest is the answer.
//   0 FTP reply + FEAT   1 HTTP response (+ auth schemes, password input)
//   2 Redis reply + INFO 3 MongoDB OP_MSG reply   4 SMTP EHLO
//   5 POP3 CAPA          6 IMAP CAPABILITY
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/audit/ftp_reply.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/mail_capabilities.h"
#include "portolan/audit/mongo_wire.h"
#include "portolan/audit/redis_reply.h"

using namespace portolan::audit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
      (void)ftp_reply_complete(bytes);
      if (auto r = parse_ftp_reply(bytes)) (void)ftp_offers_tls(ftp_features(*r));
      break;
    case 1:
      (void)http_response_complete(bytes);
      if (auto r = parse_http_response(bytes)) {
        (void)http_auth_schemes(*r);
        (void)html_has_password_input(r->body);
      }
      break;
    case 2:
      (void)redis_reply_complete(bytes);
      if (auto r = parse_redis_reply(bytes)) (void)redis_info_field(r->text, "redis_version");
      break;
    case 3:
      (void)mongo_message_complete(bytes);
      (void)parse_mongo_command_reply(bytes);
      break;
    case 4:
      (void)parse_smtp_ehlo(bytes);
      break;
    case 5:
      (void)pop3_capa_complete(bytes);
      (void)parse_pop3_capa(bytes);
      break;
    default:
      (void)imap_tagged_complete(bytes, "a1");
      (void)parse_imap_capability(bytes);
      break;
  }
  return 0;
}
