// What a report shows: nmap's rules for hosts, reasons and port sections,
// decided in one place so the four formats never disagree.
//
// Measured on nmap 7.93: down hosts appear only with -v; with --open a
// port-scanned host without a possibly-open port vanishes from every format;
// reasons show with --reason, -vv or -d; a list scan (-sL) or ping scan (-sn)
// has no port section at all, and a timed-out host's ports are dropped.
#pragma once

#include <string>

#include "portolan/output/report_writer.h"
#include "portolan/results/scan_result.h"

namespace portolan {

// Whether `host` appears in the report at all.
bool shows_host(const HostResult& host, const ScanRunInfo& run, const OutputOptions& options);

// Whether the REASON column and "received ..." text are shown.
bool shows_reason(const OutputOptions& options);

// Whether the run scanned ports (neither -sL nor -sn).
bool scans_ports(const ScanRunInfo& run);

// Whether this host gets a port section: the run scanned ports, the host is
// up and it did not time out.
bool has_port_section(const HostResult& host, const ScanRunInfo& run);

// Whether the host is rendered as a -sL entry: name only, state unknown.
bool is_listed_only(const HostResult& host, const ScanRunInfo& run);

// "1 IP address (1 host up) scanned in 0.05 seconds": the closing phrase of
// the normal, grepable and XML reports, singular and plural as nmap.
std::string run_summary_phrase(const ScanSummary& summary);

}  // namespace portolan
