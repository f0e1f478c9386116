// The built-in report formats' factories; output_registry.cpp lists them.
//
// A format is one writer file plus one line here and one entry in the
// registry table: nothing else in the tree names a concrete writer. Callers
// pick formats by name through report_formats() / find_report_format()
// (report_writer.h).
#pragma once

#include <memory>
#include <ostream>

#include "portolan/output/report_writer.h"

namespace portolan {

// Each builds a writer over `out`, which it does not own and which must
// outlive it.
std::unique_ptr<ReportWriter> make_normal_writer(std::ostream& out, const OutputOptions& options);
std::unique_ptr<ReportWriter> make_xml_writer(std::ostream& out, const OutputOptions& options);
std::unique_ptr<ReportWriter> make_grepable_writer(std::ostream& out, const OutputOptions& options);
std::unique_ptr<ReportWriter> make_json_writer(std::ostream& out, const OutputOptions& options);

}  // namespace portolan
