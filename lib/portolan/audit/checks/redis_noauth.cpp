// redis-noauth: Redis answering commands without a password.
//
// Severity critical: whoever reaches the port reads and writes every key, and
// with CONFIG SET / MODULE LOAD commonly gets code execution on the host. The
// check sends one read-only "INFO server" and then QUIT. A bulk reply with
// redis_version is the finding. No finding for:
//   "-NOAUTH ..."   a password (requirepass or ACL) is set;
//   "-DENIED ..."   protected mode: no password is set but Redis serves only
//                   loopback clients, so from where the audit stands the
//                   data is not reachable (from 127.0.0.1 itself Redis does
//                   answer, and that is reported: anything local can use it).
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/redis_reply.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

class RedisNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"redis"}, {6379});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ServiceStream::connect(ctx);
    if (!stream) return;
    const auto got = exchange(**stream, "INFO server\r\n", redis_reply_complete);
    if (!got) return;
    (void)exchange(**stream, "QUIT\r\n", redis_reply_complete);
    const auto reply = parse_redis_reply(*got);
    if (!reply || reply->type != RedisReply::Type::kBulk) return;
    const auto version = redis_info_field(reply->text, "redis_version");
    if (!version) return;
    std::string evidence = fmt::format("INFO server answered without AUTH: redis_version:{}",
                                       printable_evidence(*version, 40));
    if (const auto mode = redis_info_field(reply->text, "redis_mode")) {
      evidence += fmt::format(", redis_mode:{}", printable_evidence(*mode, 40));
    }
    out.push_back(make_finding(
        info_, ctx, Severity::kCritical, "Redis without authentication", std::move(evidence),
        "Require a password (requirepass, or ACL rules with 'user default off'), bind to "
        "the interfaces that need it (bind 127.0.0.1), and keep protected-mode yes."));
  }

 private:
  CheckInfo info_{"redis-noauth", Category::kUnauthenticated,
                  "Redis answering commands without a password", true};
};

}  // namespace

std::unique_ptr<Check> make_redis_noauth_check() {
  return std::make_unique<RedisNoauthCheck>();
}

}  // namespace portolan::audit
