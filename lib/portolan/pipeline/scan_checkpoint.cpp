#include "portolan/pipeline/scan_checkpoint.h"

#include <fmt/format.h>

#include "portolan/pipeline/scan_job.h"
#include "portolan/sweep/siphash.h"

namespace portolan {

std::string plan_fingerprint(const ScanPlan& plan) {
  std::string text = "portolan-plan-v1\n";
  auto add = [&](std::string_view key, const std::string& value) {
    text += fmt::format("{}={}\n", key, value);
  };
  for (const auto& t : plan.target_specs) add("target", t);
  for (const auto& t : plan.exclude_specs) add("exclude", t);
  add("ipv6", plan.target_options.ipv6 ? "1" : "0");
  add("tcp", fmt::format("{}", fmt::join(plan.tcp_ports, ",")));
  add("udp", fmt::format("{}", fmt::join(plan.udp_ports, ",")));
  for (const auto& d : plan.raw.discovery) {
    add("discovery", fmt::format("{}:{}", static_cast<int>(d.kind), d.port));
  }
  add("skip_discovery", plan.skip_discovery ? "1" : "0");
  add("seed", std::to_string(plan.raw.seed));
  add("shard", fmt::format("{}/{}", plan.raw.shard_index, plan.raw.shard_count));
  add("group", std::to_string(host_group_size(plan)));
  const uint64_t h = siphash24(0x706f72746f6c616eULL, 0x636865636b706f69ULL,
                               std::as_bytes(std::span(text.data(), text.size())));
  return fmt::format("{:016x}", h);
}

Checkpoint make_checkpoint(const ScanPlan& plan, std::pair<uint64_t, uint64_t> cookie_key,
                           uint64_t groups_done, const ScanSummary& so_far,
                           WallClock::time_point started,
                           const std::vector<std::pair<std::string, uint64_t>>& outputs) {
  Checkpoint c;
  c.arguments = plan.args;
  c.fingerprint = plan_fingerprint(plan);
  c.key0 = cookie_key.first;
  c.key1 = cookie_key.second;
  c.seed = plan.raw.seed;
  c.shard = Shard{plan.raw.shard_index, plan.raw.shard_count};
  c.blocks_done = groups_done;
  c.counters.hosts_up = so_far.hosts_up;
  c.counters.hosts_down = so_far.hosts_down;
  c.counters.hosts_total = so_far.hosts_total;
  c.counters.elapsed_seconds = so_far.elapsed_seconds;
  c.start_time_unix = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count());
  for (const auto& [path, length] : outputs) c.outputs.push_back({path, length});
  return c;
}

ScanSummary resumed_summary(const Checkpoint& checkpoint) {
  ScanSummary s;
  s.hosts_up = checkpoint.counters.hosts_up;
  s.hosts_down = checkpoint.counters.hosts_down;
  s.hosts_total = checkpoint.counters.hosts_total;
  s.elapsed_seconds = checkpoint.counters.elapsed_seconds;
  return s;
}

}  // namespace portolan
