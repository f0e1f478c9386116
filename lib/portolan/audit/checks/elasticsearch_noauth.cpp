// elasticsearch-noauth: an Elasticsearch (or OpenSearch) REST API answering
// without credentials.
//
// Severity critical: every index can be read, changed and deleted. The check
// sends GET / and, only when that answered 200, GET /_cat/indices?format=json
// (read-only, to say how many indices are exposed). A 200 JSON with
// "cluster_name" or the tagline "You Know, for Search" is the finding; 401
// (security enabled) is nothing. Not in Debian: the tests play answers written
// from Elastic's REST API documentation.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

size_t count_of(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size()))
    ++n;
  return n;
}

class ElasticsearchNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp) return false;
    const std::string& product = ctx.service.product;
    return contains_nocase(product, "elasticsearch") || contains_nocase(product, "opensearch") ||
           service_or_port(ctx, {"elasticsearch"}, {9200});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    const bool tls = service_over_tls(ctx.service);
    const std::string host = http_host_for(ctx, tls);
    const auto raw =
        exchange_http(*ctx.net, ctx.port.port, tls, ctx.sni, build_http_get("/", host));
    if (!raw) return;
    const auto root = parse_http_response(*raw);
    if (!root || root->status != 200) return;
    const bool cluster = root->body.find("\"cluster_name\"") != std::string::npos;
    const bool tagline = root->body.find("You Know, for Search") != std::string::npos;
    if (!cluster && !tagline) return;
    std::string evidence =
        fmt::format("GET / -> {} with {}", printable_evidence(root->status_line(), 60),
                    cluster ? "\"cluster_name\"" : "\"You Know, for Search\"");
    const auto indices = exchange_http(*ctx.net, ctx.port.port, tls, ctx.sni,
                                       build_http_get("/_cat/indices?format=json", host));
    if (indices) {
      const auto r = parse_http_response(*indices);
      if (r && r->status == 200) {
        evidence += fmt::format("; GET /_cat/indices -> {} index(es) listed",
                                count_of(r->body, "\"index\""));
      }
    }
    out.push_back(make_finding(
        info_, ctx, Severity::kCritical, "Elasticsearch without authentication",
        std::move(evidence),
        "Turn security on (xpack.security.enabled: true with passwords set, the default "
        "since 8.0; OpenSearch: the security plugin) and bind only the interfaces that "
        "need it (network.host)."));
  }

 private:
  CheckInfo info_{"elasticsearch-noauth", Category::kUnauthenticated,
                  "Elasticsearch/OpenSearch API without authentication", true};
};

}  // namespace

std::unique_ptr<Check> make_elasticsearch_noauth_check() {
  return std::make_unique<ElasticsearchNoauthCheck>();
}

}  // namespace portolan::audit
