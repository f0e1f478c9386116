// How a finding reads in text: the normal report's findings section and the
// output= text of its XML <script> element share these lines.
#pragma once

#include <string>
#include <vector>

#include "portolan/results/finding.h"

namespace portolan {

// "HIGH", "MEDIUM"...: the severity as the reports print it.
std::string severity_label(Severity s);

// "HIGH: Anonymous FTP login allowed", then "evidence: ...", "fix: ..." and
// "references: ..." when present. Text is printable already (checks escape
// what came off the wire); newlines inside a field become separate lines.
std::vector<std::string> finding_lines(const Finding& f);

// "3 findings: 1 high, 2 medium" / "no findings".
std::string findings_summary(const std::vector<Finding>& findings);

}  // namespace portolan
