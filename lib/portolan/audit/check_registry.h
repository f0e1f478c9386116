// The registry of audit checks, and --audit-checks.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "portolan/audit/check.h"
#include "portolan/core/result.h"

namespace portolan::audit {

// Every check, in a fixed order (check_registry.cpp).
const std::vector<std::unique_ptr<Check>>& all_checks();
const Check* find_check(std::string_view id);

// --audit-checks LIST: comma-separated check ids, categories ("tls", "ssh"...),
// shell-style globs ("tls-cert-*") or "all"; a leading '-' removes what the
// item names ("all,-exposed-service"). Result in registry order. An item that
// names nothing is an error naming it.
Result<std::vector<const Check*>> select_checks(std::string_view list);

}  // namespace portolan::audit
