#include "portolan/pipeline/progress_reporter.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace portolan {
namespace {

using Seconds = std::chrono::duration<double>;

TEST(ProgressFormatTest, PercentEtaRateAndFound) {
  ProgressSnapshot s;
  s.ports_total = 65535;
  s.ports_done = 32768;
  s.open_found = 3;
  s.hosts_total = 1;
  EXPECT_EQ(format_progress(s, Seconds(10), 3276.8),
            "Connect scan: 50.0% done (32,768 of 65,535 ports), 3,277 probes/s, ETA 0:10, 3 open");
}

TEST(ProgressFormatTest, ShowsHostsWhenSeveral) {
  ProgressSnapshot s;
  s.ports_total = 1000;
  s.ports_done = 250;
  s.hosts_total = 16;
  s.hosts_done = 4;
  EXPECT_EQ(format_progress(s, Seconds(3600), 0),
            "Connect scan: 25.0% done (250 of 1,000 ports, 4 of 16 hosts done), 0 probes/s, "
            "ETA 3:00:00, 0 open");
}

TEST(ProgressFormatTest, UnknownEtaBeforeAnyProgressAndDoneAtEnd) {
  ProgressSnapshot s;
  s.ports_total = 100;
  EXPECT_NE(format_progress(s, Seconds(1), 0).find("ETA ?"), std::string::npos);
  s.ports_done = 100;
  EXPECT_NE(format_progress(s, Seconds(1), 0).find("100.0% done"), std::string::npos);
  EXPECT_NE(format_progress(s, Seconds(1), 0).find("ETA 0:00"), std::string::npos);
}

TEST(ProgressFormatTest, ServiceScanWhileDetectionRuns) {
  ProgressSnapshot s;
  s.ports_total = s.ports_done = 1000;
  s.open_found = 12;
  s.services_total = 12;
  s.services_done = 5;
  EXPECT_EQ(format_progress(s, Seconds(3), 0),
            "Service scan: 5 of 12 services done, 12 open ports found");
  s.services_done = 12;  // finished: back to the port line
  EXPECT_EQ(format_progress(s, Seconds(3), 0).rfind("Connect scan: 100.0% done", 0), 0u);
}

TEST(ProgressReporterTest, SilentWhenNeitherLiveNorPeriodic) {
  ScanProgress progress;
  char* buf = nullptr;
  size_t len = 0;
  FILE* out = open_memstream(&buf, &len);
  { ProgressReporter reporter(progress, out, false, std::nullopt); }
  std::fclose(out);
  EXPECT_EQ(len, 0u);
  std::free(buf);
}

TEST(ProgressReporterTest, LiveLineIsErasedOnStop) {
  ScanProgress progress;
  progress.ports_total = 10;
  char* buf = nullptr;
  size_t len = 0;
  FILE* out = open_memstream(&buf, &len);
  ProgressReporter reporter(progress, out, true, std::nullopt);
  reporter.stop();
  std::fclose(out);
  // Whether or not a tick drew a line, stopping leaves the terminal clean:
  // if anything was written, it ends with the erase sequence.
  std::string text(buf, len);
  if (!text.empty()) {
    EXPECT_EQ(text.substr(text.size() - 4), "\r\x1b[K");
  }
  std::free(buf);
}

}  // namespace
}  // namespace portolan
