// Reading a finished scan's XML report back into the result model, so
// `portolan audit FILE.xml` can audit it offline.
//
// Reads what Portolan's XML writer produces (output/xml_writer.cpp) and what
// nmap writes (nmap.dtd): the run, each host's addresses, names, ports and
// services, the certificate facts of ssl-cert (both Portolan's flat elems and
// nmap's tables) and ssl-enum-ciphers, and audit findings written as
// <script> elements with a `finding` and a `severity` elem. <os>, <trace> and
// other elements the audit does not need are skipped, as is anything unknown
// (a newer writer may add elements or attributes).
//
// A file is untrusted input: malformed XML, a root other than <nmaprun>, a bad
// address, port number or state gives one error, "FILE: line N: what", and no
// partial result. The document's size is the caller's to bound (load_xml_report
// refuses files over kMaxXmlReportBytes); within it, what one host may hold is
// bounded here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"

namespace portolan {

struct ParsedReport {
  ScanRunInfo run;
  std::vector<HostResult> hosts;  // in document order
  ScanSummary summary;
  // "portolan" when Portolan wrote the file (its leading comment says so: the
  // document itself claims scanner="nmap" for compatibility), otherwise the
  // document's scanner attribute: "nmap", or e.g. "masscan".
  std::string scanner;
};

// The largest file load_xml_report reads.
inline constexpr size_t kMaxXmlReportBytes = size_t{1} << 30;
// The most <port> elements one host may list: every port of every protocol.
inline constexpr size_t kMaxXmlPortsPerHost = size_t{65536} * kProtocolCount;

// Parses a whole document. `origin` (a file name) prefixes error messages.
// Each host's findings come back in finding_before order.
Result<ParsedReport> read_xml_report(std::string_view xml, const std::string& origin);

// Reads the file at `path` (at most kMaxXmlReportBytes) and parses it.
Result<ParsedReport> load_xml_report(const std::string& path);

}  // namespace portolan
