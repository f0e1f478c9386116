#include "portolan/audit/auditor.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "portolan/audit/audit_net.h"
#include "portolan/audit/check_registry.h"
#include "portolan/scan/scan_progress.h"

namespace portolan::audit {

namespace {

struct PortJob {
  HostResult* host;
  size_t port_index;
  std::vector<Finding> found;
};

// A CVE that a check saw in the service's behaviour (Terrapin: the SSH
// server's algorithms) is reported by that check, with that evidence; the
// version match of known-vulnerabilities for the same CVE on the same port
// says less and goes.
void drop_version_matches_seen_directly(std::vector<Finding>& findings) {
  std::set<std::tuple<uint16_t, Protocol, std::string>> seen;
  for (const auto& f : findings) {
    if (f.check == "known-vulnerabilities") continue;
    for (const auto& r : f.references) {
      if (r.rfind("CVE-", 0) == 0) seen.emplace(f.port, f.protocol, r);
    }
  }
  if (seen.empty()) return;
  std::erase_if(findings, [&](const Finding& f) {
    const std::string prefix = "known-vulnerabilities:";
    return f.id.rfind(prefix, 0) == 0 &&
           seen.count({f.port, f.protocol, f.id.substr(prefix.size())}) != 0;
  });
}

std::string sni_for(const HostResult& host) {
  for (const auto& name : host.hostnames) {
    if (name.kind == HostName::Kind::kUser && !name.name.empty()) return name.name;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Auditor>> Auditor::create(AuditOptions options) {
  if (options.checks.empty()) {
    for (const auto& c : all_checks()) options.checks.push_back(c.get());
  }
  if (options.rate <= 0) return fail("--audit-rate must be greater than 0");
  if (options.workers < 1) options.workers = 1;
  return std::unique_ptr<Auditor>(new Auditor(std::move(options)));
}

Auditor::Auditor(AuditOptions options) : options_(std::move(options)) {}

AuditStats Auditor::stats() const {
  return AuditStats{ports_.load(), checks_run_.load(), findings_.load(), connections_.load()};
}

const Check* Auditor::selected(std::string_view id) const {
  for (const Check* c : options_.checks) {
    if (c->info().id == id) return c;
  }
  return nullptr;
}

void Auditor::audit(std::span<HostResult> hosts) {
  std::vector<PortJob> jobs;
  for (auto& host : hosts) {
    if (options_.offline) {
      // What active checks saw at scan time stays; passive ones run again.
      std::erase_if(host.findings, [&](const Finding& f) {
        const Check* c = selected(f.check);
        return c == nullptr || !c->kept_offline(f);
      });
    } else {
      host.findings.clear();
    }
    if (host.state != HostState::kUp) continue;
    for (size_t i = 0; i < host.ports.size(); ++i) {
      if (host.ports[i].state == PortState::kOpen) jobs.push_back(PortJob{&host, i, {}});
    }
  }
  if (options_.progress != nullptr) options_.progress->audit_total += jobs.size();

  Pacer pacer(options_.rate);
  const ServiceInfo no_service;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      if (options_.stop != nullptr && options_.stop->load()) return;
      const size_t j = next++;
      if (j >= jobs.size()) return;
      PortJob& job = jobs[j];
      const HostResult& host = *job.host;
      const PortResult& port = host.ports[job.port_index];
      AuditNetOptions net_options;
      net_options.timeout = options_.timeout;
      net_options.stop = options_.stop;
      AuditNet net(host.address, pacer, net_options);
      PortContext ctx{host,
                      port,
                      port.service ? *port.service : no_service,
                      options_.offline ? nullptr : &net,
                      options_.policy,
                      options_.vulndb.get(),
                      sni_for(host)};
      for (const Check* check : options_.checks) {
        if (options_.offline && check->info().active) continue;
        if (!check->applies(ctx)) continue;
        const size_t before = job.found.size();
        check->run(ctx, job.found);
        ++checks_run_;
        if (options_.trace) {
          options_.trace(fmt::format("audit {} {}/{}: {} -> {} finding(s)",
                                     host.address.to_string(), port.port, to_string(port.protocol),
                                     check->info().id, job.found.size() - before));
        }
      }
      connections_ += net.connections();
      ++ports_;
      if (options_.progress != nullptr) ++options_.progress->audit_done;
    }
  };
  const int n = std::max(1, std::min<int>(options_.workers, static_cast<int>(jobs.size())));
  if (jobs.size() <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) threads.emplace_back(work);
    for (auto& t : threads) t.join();
  }

  for (auto& job : jobs) {
    for (auto& f : job.found) job.host->findings.push_back(std::move(f));
  }
  for (auto& host : hosts) {
    std::erase_if(host.findings, [&](const Finding& f) { return options_.policy.ignored(f); });
    drop_version_matches_seen_directly(host.findings);
    std::stable_sort(host.findings.begin(), host.findings.end(), finding_before);
    // One finding per id and port: a check run twice (offline, over findings
    // kept from the file) must not double it.
    host.findings.erase(std::unique(host.findings.begin(), host.findings.end(),
                                    [](const Finding& a, const Finding& b) {
                                      return a.id == b.id && a.port == b.port &&
                                             a.protocol == b.protocol;
                                    }),
                        host.findings.end());
    findings_ += host.findings.size();
  }
}

}  // namespace portolan::audit
