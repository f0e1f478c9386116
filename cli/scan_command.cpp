// `portolan scan`: nmap's options in, a ScanRequest out, then the library runs it.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <iostream>
#include <optional>

#include "audit_options.h"
#include "commands.h"
#include "nmap_args.h"
#include "portolan/link/privileges_linux.h"
#include "portolan/pipeline/output_set.h"
#include "portolan/pipeline/progress_reporter.h"
#include "portolan/pipeline/scan_checkpoint.h"
#include "portolan/pipeline/scan_job.h"
#include "portolan/pipeline/scan_request.h"

namespace portolan::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_interrupt(int) {
  // The first Ctrl-C stops the scan cleanly (reports are finished); a second kills.
  g_stop.store(true);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

std::optional<uint64_t> parse_whole_number(const std::string& text) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// CLI11 messages, reworded to name the option as the user typed it.
std::string describe_parse_error(const CLI::ParseError& e) {
  std::string msg = e.what();
  const std::string unexpected = "The following argument was not expected: ";
  const std::string unexpected_many = "The following arguments were not expected: ";
  for (const auto& prefix : {unexpected, unexpected_many}) {
    if (msg.rfind(prefix, 0) == 0) {
      std::string what = msg.substr(prefix.size());
      if (what.rfind("--", 0) == 0 && what.size() <= 5) what = what.substr(1);  // --sQ -> -sQ
      return fmt::format("unknown option or argument '{}' (see 'portolan scan --help')", what);
    }
  }
  return msg + " (see 'portolan scan --help')";
}

}  // namespace

int run_scan_command(const std::vector<std::string>& raw_args, const std::string& command_line,
                     const Checkpoint* resumed) {
  ScanRequest req;
  req.command_line = command_line;
  CLI::App app{"Scan hosts for open ports (nmap-compatible options).", "portolan scan"};
  app.get_formatter()->column_width(34);
  app.allow_extras(false);

  app.add_option("targets", req.targets, "Hosts: addresses, CIDR, ranges (10.0.0-3.1-9), names");
  app.add_option("--iL", req.input_list, "Read targets from FILE ('-' for stdin, '#' comments)")
      ->option_text("FILE");
  std::vector<std::string> exclude;
  // One value per --exclude, as nmap: a list option would swallow the targets after it.
  app.add_option("--exclude", exclude, "Exclude hosts (comma-separated)")
      ->option_text("HOSTS")
      ->allow_extra_args(false);
  app.add_option("--excludefile", req.exclude_file, "Exclude hosts listed in FILE")
      ->option_text("FILE");
  app.add_flag("-6", req.ipv6, "IPv6: resolve names to IPv6 addresses");
  app.add_flag("-n", req.no_dns, "Never do reverse DNS");
  app.add_flag("-R", req.always_dns, "Always do reverse DNS");

  // Scan types, in nmap's spelling (-sT arrives here as --sT).
  auto* types = app.add_option_group("Scan types");
  const char* scan_types[] = {"sT", "sL", "sn", "sP", "sS", "sU", "sA", "sW",
                              "sM", "sN", "sF", "sX", "sY", "sZ", "sO", "sC"};
  const char* scan_help[] = {"TCP connect scan (default; no privileges needed)",
                             "List targets without sending anything",
                             "Host discovery only, no port scan", "Same as -sn"};
  std::vector<bool> type_seen(std::size(scan_types));
  for (size_t i = 0; i < std::size(scan_types); ++i) {
    auto* opt = types->add_flag_callback(
        std::string("--") + scan_types[i],
        [&req, name = std::string(scan_types[i])] { req.scan_types.push_back(name); },
        i < std::size(scan_help) ? scan_help[i] : "");
    if (i >= std::size(scan_help)) opt->group("");  // hidden: accepted to give a clear error
  }
  app.add_flag("--Pn", req.skip_discovery, "Treat all hosts as up: skip host discovery");

  auto* detection = app.add_option_group("Service, OS and path detection");
  detection->add_flag("--sV", req.version_detect, "Probe open ports: service, product, version");
  detection
      ->add_option("--version-intensity", req.version_intensity,
                   "Probes to try, 0 (light) to 9 (all); default 7")
      ->option_text("N");
  detection->add_flag("--version-light", req.version_light, "Same as --version-intensity 2");
  detection->add_flag("--version-all", req.version_all, "Same as --version-intensity 9");
  detection->add_flag("--version-trace", req.version_trace, "Show every probe and match");
  detection
      ->add_option("--versiondb", req.version_db,
                   "Load probes and signatures from DIR (*.yaml) or FILE instead")
      ->option_text("PATH");
  detection
      ->add_option("--version-timeout", req.version_timeout,
                   "Give up on one port's detection after TIME (default 30s)")
      ->option_text("TIME");
  detection->add_flag("-O", req.os_detect, "Guess the OS from TCP/IP behaviour (root)");
  detection->add_flag("--traceroute", req.traceroute, "Trace the path to each host (root)");
  detection->add_flag("-A", req.aggressive, "All of -sV -O --traceroute --audit");

  auto* audit = app.add_option_group("Audit (docs/audit.md)");
  audit->add_flag("--audit", req.audit,
                  "Audit open ports: exposures, TLS, SSH, known CVEs (implies -sV)");
  add_audit_options(*audit, req.audit_settings, true);
  bool privileged = false, unprivileged = false;
  app.add_flag("--privileged", privileged, "Assume raw sockets are allowed");
  app.add_flag("--unprivileged", unprivileged, "Assume no raw sockets: use the connect scan");

  auto* ports = app.add_option_group("Ports");
  ports->add_option("-p,--ports", req.ports.spec, "Ports: 22,80,1000-2000, -, T:/U:, http,ssh")
      ->option_text("SPEC");
  std::optional<std::string> top_ports, seed;
  ports->add_option("--top-ports", top_ports, "Scan the N most common ports")->option_text("N");
  ports->add_flag("-F", req.ports.fast, "Fast: the top 100 ports");
  ports->add_option("--exclude-ports", req.ports.exclude_spec, "Do not scan these ports")
      ->option_text("SPEC");
  ports->add_flag("-r", req.sequential_ports, "Scan ports in order, not randomised");
  ports->add_option("--seed", seed, "Seed for the randomised port order")->option_text("N");

  auto* timing = app.add_option_group("Timing");
  timing->add_option("-T", req.timing_template, "Template: 0-5 (paranoid .. insane)")
      ->option_text("0-5");
  timing->add_option("--min-rate", req.min_rate, "Send at least N probes per second");
  timing->add_option("--max-rate", req.max_rate, "Send at most N probes per second");
  timing->add_option("--max-retries", req.max_retries, "Retransmissions of unanswered probes");
  timing->add_option("--scan-delay", req.scan_delay, "Wait TIME between probes to a host");
  timing->add_option("--max-scan-delay", req.max_scan_delay, "Upper bound of the scan delay");
  timing->add_option("--host-timeout", req.host_timeout, "Give up on a host after TIME");
  timing->add_option("--min-rtt-timeout", req.min_rtt_timeout, "Lower bound of probe timeouts");
  timing->add_option("--max-rtt-timeout", req.max_rtt_timeout, "Upper bound of probe timeouts");
  timing->add_option("--initial-rtt-timeout", req.initial_rtt_timeout,
                     "Probe timeout before any RTT is measured");
  timing->add_option("--min-parallelism", req.min_parallelism, "Probes in flight, at least");
  timing->add_option("--max-parallelism", req.max_parallelism, "Probes in flight, at most");
  timing->add_option("--min-hostgroup", req.min_hostgroup, "Hosts scanned side by side, at least");
  timing->add_option("--max-hostgroup", req.max_hostgroup, "Hosts scanned side by side, at most");
  std::string backend = "auto";
  timing->add_option("--engine-backend", backend, "Connect engine: auto, io_uring or epoll")
      ->check(CLI::IsMember({"auto", "io_uring", "epoll"}));

  auto* output = app.add_option_group("Output");
  output->add_option("--oN", req.out_normal, "Normal output to FILE ('-': stdout)")
      ->option_text("FILE");
  output->add_option("--oX", req.out_xml, "XML output (nmap's DTD) to FILE")->option_text("FILE");
  output->add_option("--oG", req.out_grepable, "Grepable output to FILE")->option_text("FILE");
  output->add_option("--oA", req.out_all, "BASE.nmap, BASE.xml and BASE.gnmap")
      ->option_text("BASE");
  output->add_option("--json", req.out_json, "JSON lines to FILE ('-': stdout)")
      ->option_text("FILE");
  output->add_flag("--open", req.output.open_only, "Show only open (or possibly open) ports");
  output->add_flag("--reason", req.output.show_reason, "Show why each port is in its state");
  auto* verbose = output->add_flag("-v")->description("More output (-vv for even more)");
  auto* debug = output->add_flag("-d")->description("Debugging output");
  output->add_option("--stats-every", req.stats_every, "Print progress every TIME")
      ->option_text("TIME");
  bool no_progress = false;
  output->add_flag("--no-progress", no_progress, "No live progress line on a terminal");

  auto* raw = app.add_option_group("Raw engine (-sS, -sU, -sn as root)");
  raw->add_option("--shard", req.shard, "Scan shard I of N (same --seed on every machine)")
      ->option_text("I/N");
  raw->add_option("--checkpoint", req.checkpoint, "Save progress to FILE after each host group")
      ->option_text("FILE");
  std::optional<std::string> resume;
  raw->add_option("--resume", resume, "Continue the scan FILE (a --checkpoint) describes")
      ->option_text("FILE");
  raw->add_flag("--scan-special", req.scan_special,
                "Include special-use ranges (RFC 6890) found inside target ranges");
  raw->add_option("-e", req.interface_name, "Send through this interface")->option_text("IFACE");
  raw->add_option("-S", req.source_address, "Source address of probes")->option_text("ADDR");

  for (auto* opt : app.get_options()) opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  for (auto* group : {types, ports, timing, output, raw}) {
    for (auto* opt : group->get_options()) {
      opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
  }
  // Lists accumulate: several targets, several --exclude.
  app.get_option("targets")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.get_option("--exclude")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  // Discovery probes (-PS22,80 -PE ...) are taken out before CLI11 sees
  // them: their port list is glued on, and an option with an optional value
  // would swallow the next target.
  std::vector<std::string> rest;
  bool passthrough = false;
  for (const auto& arg : raw_args) {
    if (arg == "--") passthrough = true;
    if (!passthrough && arg.size() >= 3 && arg[0] == '-' && arg[1] == 'P' &&
        std::string_view("SAUYEPMOR").find(arg[2]) != std::string_view::npos) {
      req.discovery_flags.emplace_back(arg.substr(1, 2), arg.substr(3));
      continue;
    }
    rest.push_back(arg);
  }
  std::vector<std::string> args = normalise_nmap_args(rest);
  std::reverse(args.begin(), args.end());  // CLI11 takes arguments in reverse order
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(describe_parse_error(e));
    return 1;
  }
  if (resume) {
    const bool alone = (raw_args.size() == 2 && raw_args[0] == "--resume") ||
                       (raw_args.size() == 1 && raw_args[0].rfind("--resume=", 0) == 0);
    if (!alone) {
      print_error("--resume takes no other options (the checkpoint holds the original ones)");
      return 1;
    }
    if (resumed != nullptr) {
      print_error("the checkpoint's arguments contain --resume");
      return 1;
    }
    auto checkpoint = read_checkpoint(*resume);
    if (!checkpoint) {
      print_error(checkpoint.error().message());
      return 1;
    }
    return run_scan_command(checkpoint->arguments,
                            command_line.substr(0, command_line.find(" scan")) + " scan " +
                                join_command_line(checkpoint->arguments),
                            &*checkpoint);
  }
  if (privileged && unprivileged) {
    print_error("--privileged cannot be combined with --unprivileged");
    return 1;
  }
  if (privileged) req.privileged = true;
  if (unprivileged) req.privileged = false;
  req.raw_capable = has_raw_capability();
  req.args = raw_args;
  if (top_ports) {
    auto n = parse_whole_number(*top_ports);
    if (!n || *n > 65536 || *n < 1) {
      print_error(
          fmt::format("--top-ports expects a number from 1 to 65536, got '{}'", *top_ports));
      return 1;
    }
    req.ports.top_ports = static_cast<int>(*n);
  }
  if (seed) {
    auto n = parse_whole_number(*seed);
    if (!n) {
      print_error(fmt::format("--seed expects a whole number, got '{}'", *seed));
      return 1;
    }
    req.seed = *n;
  }
  req.exclude = split_commas(exclude);
  req.output.verbosity = static_cast<int>(verbose->count());
  req.output.debugging = static_cast<int>(debug->count());
  req.output.verbosity += req.output.debugging;  // nmap: each -d also counts as a -v
  req.backend = backend == "io_uring" ? ConnectBackend::kIoUring
                : backend == "epoll"  ? ConnectBackend::kEpoll
                                      : ConnectBackend::kAuto;

  if (resumed != nullptr) req.seed = resumed->seed;  // the stored order, even without --seed
  auto plan = build_scan_plan(req);
  if (!plan) {
    print_error(plan.error().message());
    return 1;
  }
  ScanHooks hooks;
  std::vector<std::pair<std::string, uint64_t>> resume_lengths;
  if (resumed != nullptr) {
    if (plan_fingerprint(*plan) != resumed->fingerprint) {
      print_error(
          "cannot resume: the checkpoint does not match its own arguments "
          "(was the target list or a file it names changed?)");
      return 1;
    }
    plan->raw.cookie_k0 = resumed->key0;
    plan->raw.cookie_k1 = resumed->key1;
    hooks.skip_groups = resumed->blocks_done;
    hooks.resumed = resumed_summary(*resumed);
    hooks.original_start = WallClock::time_point(std::chrono::seconds(resumed->start_time_unix));
    for (const auto& o : resumed->outputs) resume_lengths.emplace_back(o.path, o.length);
  }
  for (const auto& notice : plan->notices) std::fprintf(stderr, "portolan: %s\n", notice.c_str());
  if (req.output.debugging > 0) {
    plan->audit_options.trace = [](const std::string& text) {
      std::fprintf(stderr, "portolan: %s\n", text.c_str());
    };
  }
  if (req.version_trace) {
    plan->version.trace = [](const std::string& text) {
      std::fprintf(stderr, "portolan: -sV: %s\n", text.c_str());
    };
  }
  plan->raw.notice = [](const std::string& text) {
    std::fprintf(stderr, "portolan: %s\n", text.c_str());
  };
  auto outputs = OutputSet::create(plan->outputs, plan->output, &std::cout,
                                   resumed != nullptr ? &resume_lengths : nullptr);
  if (!outputs) {
    print_error(outputs.error().message());
    return 1;
  }

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes a write error we report
  ScanProgress progress;
  const bool live = !no_progress && isatty(STDERR_FILENO) &&
                    (plan->mode == ScanMode::kConnect || plan->mode == ScanMode::kRaw);
  ProgressReporter reporter(progress, stderr, live, plan->stats_every);
  (*outputs)->set_before_stdout_write([&reporter] { reporter.clear_line(); });
  std::pair<uint64_t, uint64_t> cookie_key{0, 0};
  const auto started = hooks.skip_groups > 0 ? hooks.original_start : WallClock::now();
  std::string checkpoint_error;
  if (plan->checkpoint) {
    hooks.on_raw_engine = [&](const RawScanner& engine) { cookie_key = engine.cookie_key(); };
    hooks.after_group = [&](uint64_t groups_done, const ScanSummary& so_far) {
      auto written = write_checkpoint(
          *plan->checkpoint, make_checkpoint(*plan, cookie_key, groups_done, so_far, started,
                                             (*outputs)->file_lengths()));
      if (!written && checkpoint_error.empty()) {
        checkpoint_error = written.error().message();
        reporter.clear_line();
        print_error("warning: " + checkpoint_error + " (the scan goes on without checkpoints)");
      }
    };
  }
  auto summary = run_scan(*plan, **outputs, progress, g_stop, hooks);
  reporter.stop();
  if (!summary) {
    print_error(summary.error().message());
    return 1;
  }
  if (auto status = (*outputs)->status(); !status) {
    print_error(status.error().message());
    return 1;
  }
  if (!summary->success) {
    print_error(summary->error_message + " (reports hold the hosts finished so far)");
    return g_stop.load() ? 130 : 1;
  }
  return findings_exit_status(plan->fail_on, *summary);
}

}  // namespace portolan::cli
