// Version summaries for the text reports.
#include "portolan/output/service_text.h"

namespace portolan {

std::string version_summary(const ServiceInfo& service) {
  std::string text = service.product;
  if (!service.version.empty()) text += (text.empty() ? "" : " ") + service.version;
  if (!service.extra_info.empty()) {
    text += (text.empty() ? "(" : " (") + service.extra_info + ")";
  }
  return text;
}

}  // namespace portolan
