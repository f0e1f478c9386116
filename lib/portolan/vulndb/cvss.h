// CVSS v3.x base scores, computed from a vector string with the equations of
// the FIRST CVSS v3.1 specification (section 7.1, Roundup of Appendix A), and
// the qualitative severity scale (section 5) mapped onto our Severity.
//
// v3.0 vectors are scored with the same equations; the only v3.0/v3.1
// difference in the base equations is the Roundup definition, which changed
// to avoid floating-point artefacts and gives the same result on every vector.
#pragma once

#include <string_view>

#include "portolan/core/result.h"
#include "portolan/results/finding.h"

namespace portolan::vulndb {

// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" -> 9.8. The eight base
// metrics are required, each once; temporal and environmental metrics are
// accepted and ignored. Errors name what is wrong with the vector.
Result<double> cvss3_base_score(std::string_view vector);

// 0.0 -> info ("None"), 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high,
// 9.0-10.0 critical.
Severity severity_from_score(double score);

}  // namespace portolan::vulndb
