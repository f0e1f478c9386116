#include "portolan/service/signature_matcher.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>

namespace portolan {
namespace {

// Bounds on one match: a hostile 16 KiB banner against a backtracking
// pattern stops here instead of spinning.
constexpr uint32_t kMatchLimit = 200000;
constexpr uint32_t kDepthLimit = 2000;

struct MatchResources {
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  MatchResources() {
    context = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(context, kMatchLimit);
    pcre2_set_depth_limit(context, kDepthLimit);
    stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, nullptr);
    pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchResources() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
  }
};

MatchResources& resources() {
  thread_local MatchResources r;
  return r;
}

}  // namespace

Result<std::shared_ptr<const SignaturePattern>> SignaturePattern::compile(
    const std::string& pattern, std::string_view flags) {
  uint32_t options = 0;
  for (char f : flags) {
    switch (f) {
      case 'i':
        options |= PCRE2_CASELESS;
        break;
      case 's':
        options |= PCRE2_DOTALL;
        break;
      case 'm':
        options |= PCRE2_MULTILINE;
        break;
      default:
        return fail(fmt::format("unknown pattern flag '{}' (use i, s or m)", f));
    }
  }
  int err = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options, &err, &offset, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    return fail(fmt::format("pattern does not compile at offset {}: {}", offset,
                            reinterpret_cast<const char*>(buf)));
  }
  // Without the JIT (an unusual build) the interpreter still works.
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  uint32_t count = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count);
  auto p = std::shared_ptr<SignaturePattern>(new SignaturePattern());
  p->code_ = code;
  p->captures_ = static_cast<int>(count);
  return std::shared_ptr<const SignaturePattern>(std::move(p));
}

SignaturePattern::~SignaturePattern() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

bool SignaturePattern::match(std::string_view subject,
                             std::vector<std::string_view>& groups) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                             0, md, resources().context);
  groups.clear();
  if (rc > 0) {
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    const int n = captures_ + 1;
    groups.resize(static_cast<size_t>(n));
    for (int i = 0; i < rc && i < n; ++i) {
      const PCRE2_SIZE b = ov[2 * i], e = ov[2 * i + 1];
      if (b != PCRE2_UNSET && e >= b && e <= subject.size()) {
        groups[static_cast<size_t>(i)] = subject.substr(b, e - b);
      }
    }
  }
  pcre2_match_data_free(md);
  return rc > 0;
}

std::optional<ServiceMatch> SignatureMatcher::match(std::string_view response,
                                                    std::string_view probe_name) const {
  if (response.empty()) return std::nullopt;
  std::optional<ServiceMatch> soft;
  std::vector<std::string_view> groups;
  for (const auto& sig : db_->signatures()) {
    if (soft && sig.soft) continue;
    if (!sig.probes.empty() &&
        std::find(sig.probes.begin(), sig.probes.end(), probe_name) == sig.probes.end()) {
      continue;
    }
    if (!sig.compiled->match(response, groups)) continue;
    ServiceMatch m;
    m.signature = &sig;
    m.soft = sig.soft;
    m.tunnel_tls = sig.tunnel_tls;
    m.service = sig.service;
    m.product = sig.product.expand(groups);
    m.version = sig.version.expand(groups);
    m.info = sig.info.expand(groups);
    m.host_name = sig.host_name.expand(groups);
    m.os_type = sig.os_type.expand(groups);
    m.device_type = sig.device_type.expand(groups);
    for (const auto& c : sig.cpe) {
      std::string text = c.expand(groups);
      // A CPE whose version part came out empty still names the product.
      while (!text.empty() && text.back() == ':') text.pop_back();
      if (!text.empty()) m.cpe.push_back("cpe:/" + text);
    }
    if (!m.soft) return m;
    soft = std::move(m);
  }
  return soft;
}

}  // namespace portolan
