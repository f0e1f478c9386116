// mongodb-noauth: MongoDB listing its databases to a client without
// credentials.
//
// Severity critical: no authentication (security.authorization disabled, the
// default of old releases) means anyone reading and changing every
// collection. The check sends one read-only OP_MSG {listDatabases: 1,
// nameOnly: true, $db: "admin"} and closes. ok: 1 is the finding; an error
// (code 13 Unauthorized, "requires authentication") is a server that asks for
// credentials: nothing. MongoDB is not in Debian: the tests play replies
// written from the wire protocol documentation.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/mongo_wire.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

class MongodbNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"mongodb", "mongod"}, {27017});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ServiceStream::connect(ctx);
    if (!stream) return;
    const auto got = exchange(**stream, build_list_databases(1), mongo_message_complete);
    if (!got) return;
    const auto reply = parse_mongo_command_reply(*got);
    if (!reply || !reply->ok) return;
    std::vector<std::string> names;
    for (const auto& n : reply->databases) names.push_back(printable_evidence(n, 40));
    if (names.size() > 20) {
      names.resize(20);
      names.emplace_back("...");
    }
    out.push_back(
        make_finding(info_, ctx, Severity::kCritical, "MongoDB without authentication",
                     fmt::format("listDatabases without credentials -> ok: 1, {} database(s): {}",
                                 reply->databases.size(), fmt::join(names, ", ")),
                     "Turn authorization on (security.authorization: enabled in mongod.conf, after "
                     "creating an admin "
                     "user) and bind only the interfaces that need it (net.bindIp)."));
  }

 private:
  CheckInfo info_{"mongodb-noauth", Category::kUnauthenticated,
                  "MongoDB listing databases without authentication", true};
};

}  // namespace

std::unique_ptr<Check> make_mongodb_noauth_check() {
  return std::make_unique<MongodbNoauthCheck>();
}

}  // namespace portolan::audit
