// `portolan info`: what a port, service or range is, from the built-in registry.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "portolan/registry/port_info.h"
#include "portolan/registry/port_registry.h"

namespace portolan::cli {

int run_info_command(const std::vector<std::string>& raw_args) {
  CLI::App app{"Describe ports, services and port ranges from the built-in registry.",
               "portolan info"};
  std::vector<std::string> queries;
  bool json = false;
  app.add_option("query", queries, "443, ssh, 8000-8100, 53/udp")->required();
  app.add_flag("--json", json, "One JSON object per query");
  std::vector<std::string> args(raw_args.rbegin(), raw_args.rend());
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(std::string(e.what()) + " (see 'portolan info --help')");
    return 1;
  }
  const auto& registry = PortRegistry::builtin();
  int status = 0;
  bool first = true;
  for (const auto& q : queries) {
    if (json) {
      auto j = describe_json(q, registry);
      if (!j) {
        print_error(j.error().message());
        status = 1;
        continue;
      }
      std::cout << j->dump() << '\n';
    } else {
      auto text = describe(q, registry);
      if (!text) {
        print_error(text.error().message());
        status = 1;
        continue;
      }
      if (!first) std::cout << '\n';
      std::cout << *text;
      first = false;
    }
  }
  return status;
}

}  // namespace portolan::cli
