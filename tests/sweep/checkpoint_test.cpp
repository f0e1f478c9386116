// Checkpoint: round trips, one clear error per malformation, and a file that
// is always whole no matter when the writer is killed.
#include "portolan/sweep/checkpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace portolan {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

Checkpoint sample() {
  Checkpoint cp;
  cp.arguments = {"portolan", "-sS",        "-p1-1000", "--rate",
                  "100000",   "10.0.0.0/8", "-oX",      "scan.xml"};
  cp.fingerprint = "v1 tcp 1-1000 10.0.0.0/8 blocks=4096";
  cp.key0 = 0xfedcba9876543210;
  cp.key1 = 0x0123456789abcdef;
  cp.seed = 0xffffffffffffffff;
  cp.shard = Shard{2, 4};
  cp.blocks_done = 17;
  cp.start_time_unix = 1700000000;
  cp.counters = {1234, 99, 1333, 4321, 987654321, 3600.25};
  cp.outputs = {{"scan.xml", 1048576}, {"/var/tmp/scan.gnmap", 0}};
  return cp;
}

// A fresh directory for one test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "portolan-checkpoint-XXXXXX";
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The sample, edited as JSON, then parsed.
Result<Checkpoint> parse_edited(const std::function<void(Json&)>& edit) {
  Json j = Json::parse(format_checkpoint(sample()));
  edit(j);
  return parse_checkpoint(j.dump(), "x.resume");
}

TEST(Checkpoint, FormatsAsVersionedJsonWithHexKeys) {
  const Json j = Json::parse(format_checkpoint(sample()));
  EXPECT_EQ(j["format"], "portolan-checkpoint");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["cookie_key0"], "0xfedcba9876543210");
  EXPECT_EQ(j["seed"], "0xffffffffffffffff");
  EXPECT_EQ(j["shard"]["index"], 2);
  EXPECT_EQ(j["outputs"][0]["length"], 1048576);
  EXPECT_EQ(j.begin().key(), "format");  // the first thing a reader sees
}

TEST(Checkpoint, RoundTripsThroughTextAndFile) {
  Checkpoint cp = sample();
  auto text = parse_checkpoint(format_checkpoint(cp), "mem");
  ASSERT_TRUE(text.has_value()) << text.error().message();
  EXPECT_EQ(*text, cp);

  TempDir dir;
  const std::string path = dir.file("scan.resume");
  ASSERT_TRUE(write_checkpoint(path, cp).has_value());
  auto file = read_checkpoint(path);
  ASSERT_TRUE(file.has_value()) << file.error().message();
  EXPECT_EQ(*file, cp);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // holds the cookie key

  cp.blocks_done = 18;
  cp.outputs.clear();
  ASSERT_TRUE(write_checkpoint(path, cp).has_value());
  EXPECT_EQ(read_checkpoint(path).value(), cp);
}

TEST(Checkpoint, KeepsArbitraryBytesInArgumentsAndPaths) {
  Checkpoint cp = sample();
  cp.arguments.push_back(std::string("caf\xc3\xa9 \xe2\x9c\x93", 9));  // UTF-8 stays text
  cp.arguments.push_back(std::string("latin1-\xe9\xff", 9));           // not UTF-8
  cp.arguments.push_back(std::string("nul\0inside", 10));
  cp.arguments.push_back("");
  cp.outputs.push_back({std::string("out-\xed\xa0\x80.xml", 11), 5});  // a surrogate
  cp.fingerprint = std::string("\xc0\x80", 2);                         // overlong NUL
  const std::string text = format_checkpoint(cp);
  EXPECT_THAT(text, HasSubstr("\"caf\xc3\xa9 \xe2\x9c\x93\""));
  EXPECT_THAT(text, HasSubstr("\"hex\": \"6c6174696e312de9ff\""));
  auto back = parse_checkpoint(text, "mem");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, cp);
}

TEST(Checkpoint, EachMalformationIsOneClearLine) {
  struct Case {
    const char* what;
    std::function<void(Json&)> edit;
    const char* message;
  };
  const Case cases[] = {
      {"wrong format", [](Json& j) { j["format"] = "nmap-resume"; },
       "not a Portolan checkpoint (no \"format\": \"portolan-checkpoint\")"},
      {"no format", [](Json& j) { j.erase("format"); },
       "not a Portolan checkpoint (no \"format\": \"portolan-checkpoint\")"},
      {"future version", [](Json& j) { j["version"] = 2; },
       "version 2 is not supported (this Portolan reads version 1)"},
      {"version text", [](Json& j) { j["version"] = "1"; },
       "field 'version' must be a whole number"},
      {"no version", [](Json& j) { j.erase("version"); }, "field 'version' is missing"},
      {"no blocks", [](Json& j) { j.erase("blocks_done"); }, "field 'blocks_done' is missing"},
      {"negative blocks", [](Json& j) { j["blocks_done"] = -1; },
       "field 'blocks_done' must not be negative"},
      {"fractional blocks", [](Json& j) { j["blocks_done"] = 1.5; },
       "field 'blocks_done' must be a whole number"},
      {"absurd blocks", [](Json& j) { j["blocks_done"] = uint64_t{1} << 60; },
       "field 'blocks_done' is too large (at most 9007199254740992)"},
      {"blocks as text", [](Json& j) { j["blocks_done"] = "17"; },
       "field 'blocks_done' must be a whole number"},
      {"no start time", [](Json& j) { j.erase("start_time_unix"); },
       "field 'start_time_unix' is missing"},
      {"negative start time", [](Json& j) { j["start_time_unix"] = -86400; },
       "field 'start_time_unix' must not be negative"},
      {"no arguments", [](Json& j) { j.erase("arguments"); }, "field 'arguments' is missing"},
      {"arguments object", [](Json& j) { j["arguments"] = Json::object(); },
       "field 'arguments' must be an array"},
      {"argument number", [](Json& j) { j["arguments"][2] = 80; },
       "field 'arguments[2]' must be a string"},
      {"too many arguments", [](Json& j) { j["arguments"] = Json(std::vector<int>(65537, 0)); },
       "field 'arguments' has too many entries (at most 65536)"},
      {"odd hex",
       [](Json& j) {
         j["arguments"][1] = Json{{"hex", "abc"}};
       },
       "field 'arguments[1].hex' must be an even number of hex digits"},
      {"bad hex",
       [](Json& j) {
         j["arguments"][1] = Json{{"hex", "zz"}};
       },
       "field 'arguments[1].hex' must be an even number of hex digits"},
      {"no fingerprint", [](Json& j) { j.erase("fingerprint"); }, "field 'fingerprint' is missing"},
      {"huge fingerprint", [](Json& j) { j["fingerprint"] = std::string((1 << 20) + 1, 'f'); },
       "field 'fingerprint' is too long (at most 1048576 bytes)"},
      {"key number", [](Json& j) { j["cookie_key0"] = 5; },
       "field 'cookie_key0' must be a hex string of up to 16 digits, e.g. \"0x1f\""},
      {"key no prefix", [](Json& j) { j["cookie_key1"] = "0123"; },
       "field 'cookie_key1' must be a hex string of up to 16 digits, e.g. \"0x1f\""},
      {"key too long", [](Json& j) { j["cookie_key1"] = "0x1" + std::string(16, '0'); },
       "field 'cookie_key1' must be a hex string of up to 16 digits, e.g. \"0x1f\""},
      {"seed not hex", [](Json& j) { j["seed"] = "0xg"; },
       "field 'seed' must be a hex string of up to 16 digits, e.g. \"0x1f\""},
      {"no seed", [](Json& j) { j.erase("seed"); }, "field 'seed' is missing"},
      {"shard text", [](Json& j) { j["shard"] = "2/4"; }, "field 'shard' must be an object"},
      {"shard index > count", [](Json& j) { j["shard"]["index"] = 5; },
       "field 'shard.index' must be between 1 and shard.count"},
      {"shard index 0", [](Json& j) { j["shard"]["index"] = 0; },
       "field 'shard.index' must be between 1 and shard.count"},
      {"shard count 0", [](Json& j) { j["shard"]["count"] = 0; },
       "field 'shard.count' must be at least 1"},
      {"shard count huge", [](Json& j) { j["shard"]["count"] = uint64_t{1} << 32; },
       "field 'shard.count' is too large (at most 4294967295)"},
      {"no shard count", [](Json& j) { j["shard"].erase("count"); },
       "field 'shard.count' is missing"},
      {"counters array", [](Json& j) { j["counters"] = Json::array(); },
       "field 'counters' must be an object"},
      {"no hosts up", [](Json& j) { j["counters"].erase("hosts_up"); },
       "field 'counters.hosts_up' is missing"},
      {"negative probes", [](Json& j) { j["counters"]["probes_sent"] = -5; },
       "field 'counters.probes_sent' must not be negative"},
      {"negative elapsed", [](Json& j) { j["counters"]["elapsed_seconds"] = -0.5; },
       "field 'counters.elapsed_seconds' must be between 0 and 1000000000"},
      {"absurd elapsed", [](Json& j) { j["counters"]["elapsed_seconds"] = 1e300; },
       "field 'counters.elapsed_seconds' must be between 0 and 1000000000"},
      {"elapsed text", [](Json& j) { j["counters"]["elapsed_seconds"] = "1h"; },
       "field 'counters.elapsed_seconds' must be a number"},
      {"outputs object", [](Json& j) { j["outputs"] = Json::object(); },
       "field 'outputs' must be an array"},
      {"output not object", [](Json& j) { j["outputs"][1] = "scan.gnmap"; },
       "field 'outputs[1]' must be an object"},
      {"output no path", [](Json& j) { j["outputs"][0].erase("path"); },
       "field 'outputs[0].path' is missing"},
      {"output empty path", [](Json& j) { j["outputs"][0]["path"] = ""; },
       "field 'outputs[0].path' is empty"},
      {"output NUL path", [](Json& j) { j["outputs"][0]["path"] = std::string("a\0b", 3); },
       "field 'outputs[0].path' contains a NUL byte"},
      {"output long path", [](Json& j) { j["outputs"][0]["path"] = std::string(4097, 'a'); },
       "field 'outputs[0].path' is too long (at most 4096 bytes)"},
      {"output negative length", [](Json& j) { j["outputs"][1]["length"] = -1; },
       "field 'outputs[1].length' must not be negative"},
      {"output absurd length", [](Json& j) { j["outputs"][1]["length"] = ~uint64_t{0}; },
       "field 'outputs[1].length' is too large (at most 9223372036854775807)"},
      {"too many outputs",
       [](Json& j) { j["outputs"] = Json(std::vector<Json>(65, j["outputs"][0])); },
       "field 'outputs' has too many entries (at most 64)"},
      {"deep nesting",
       [](Json& j) { j["extra"] = Json::parse("[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"); },
       "not a Portolan checkpoint (JSON nested too deeply)"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_edited(c.edit);
    ASSERT_FALSE(parsed.has_value()) << c.what;
    EXPECT_EQ(parsed.error().message(), std::string("resume file 'x.resume': ") + c.message)
        << c.what;
    EXPECT_EQ(parsed.error().message().find('\n'), std::string::npos);
  }
}

TEST(Checkpoint, UnknownFieldsAreIgnored) {
  auto parsed = parse_edited([](Json& j) { j["written_by"] = "portolan 0.2"; });
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(*parsed, sample());
}

TEST(Checkpoint, TextThatIsNotACheckpoint) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "not JSON (syntax error at byte 1)"},
      {"{\"format\": ", "not JSON (syntax error at byte 12)"},
      {"[1, 2]", "not a Portolan checkpoint (no \"format\": \"portolan-checkpoint\")"},
      {"\"portolan-checkpoint\"",
       "not a Portolan checkpoint (no \"format\": \"portolan-checkpoint\")"},
      {"{\"format\": \"portolan-checkpoint\"}", "field 'version' is missing"},
      {"{\"format\": 1e400}", "not JSON (a number is out of range)"},
      {std::string(kMaxCheckpointBytes + 1, ' '), "is larger than 16 MiB, not a checkpoint"},
  };
  for (const auto& [text, message] : cases) {
    auto parsed = parse_checkpoint(text, "bad\nname");
    ASSERT_FALSE(parsed.has_value()) << message;
    EXPECT_EQ(parsed.error().message(), "resume file 'bad\\x0aname': " + message);
  }
}

TEST(Checkpoint, FuzzSeedCorpusStillParses) {
  for (const char* name : {"valid", "valid_hex"}) {
    auto cp = read_checkpoint(std::string(PORTOLAN_SOURCE_DIR) + "/fuzz/corpus/checkpoint/" + name);
    EXPECT_TRUE(cp.has_value()) << name << ": " << cp.error().message();
  }
  auto broken = read_checkpoint(std::string(PORTOLAN_SOURCE_DIR) +
                                "/fuzz/corpus/checkpoint/shard_index_too_big");
  EXPECT_FALSE(broken.has_value());
}

TEST(Checkpoint, FileErrorsNameTheFile) {
  TempDir dir;
  auto missing = read_checkpoint(dir.file("nope.resume"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(missing.error().message(),
            "cannot read resume file '" + dir.file("nope.resume") + "': No such file or directory");

  std::filesystem::create_directory(dir.file("adir"));
  auto directory = read_checkpoint(dir.file("adir"));
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().message(),
            "resume file '" + dir.file("adir") + "': not a regular file");

  {
    std::ofstream big(dir.file("big.resume"));
    big << std::string(kMaxCheckpointBytes + 10, ' ');
  }
  auto big = read_checkpoint(dir.file("big.resume"));
  ASSERT_FALSE(big.has_value());
  EXPECT_THAT(big.error().message(), HasSubstr("is larger than 16 MiB"));
  {
    // A large file under the limit is read whole, then judged on content.
    std::ofstream big_json(dir.file("big.json"));
    big_json << "{\"format\": \"portolan-checkpoint\", \"pad\": \"" << std::string(100000, 'x')
             << "\"}";
  }
  auto padded = read_checkpoint(dir.file("big.json"));
  ASSERT_FALSE(padded.has_value());
  EXPECT_EQ(padded.error().message(),
            "resume file '" + dir.file("big.json") + "': field 'version' is missing");
  big = read_checkpoint(dir.file("big.resume"));
  ASSERT_FALSE(big.has_value());
  EXPECT_THAT(big.error().message(), HasSubstr("is larger than 16 MiB"));

  auto unwritable = write_checkpoint(dir.file("no/such/dir.resume"), sample());
  ASSERT_FALSE(unwritable.has_value());
  EXPECT_EQ(unwritable.error().message(), "cannot write resume file '" +
                                              dir.file("no/such/dir.resume") +
                                              "': No such file or directory");
}

TEST(Checkpoint, SurvivesKillNineAtRandomMoments) {
  // A child rewrites the checkpoint as fast as it can, each version a
  // different size, until SIGKILL lands; whatever moment that was, the file
  // must parse and be one whole version. Repeated with varied delays.
  TempDir dir;
  const std::string path = dir.file("scan.resume");
  auto version = [](uint64_t n) {
    Checkpoint cp = sample();
    cp.blocks_done = n;
    cp.arguments.assign(n % 40 + 1, std::string(n % 97, 'a'));
    cp.fingerprint = std::string(n % 5000, 'f');
    return cp;
  };
  ASSERT_TRUE(write_checkpoint(path, version(0)).has_value());
  std::mt19937 rng(20240611);
  uint64_t highest = 0;
  for (int kill = 0; kill < 20; ++kill) {
    const uint64_t start = read_checkpoint(path).value().blocks_done + 1;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (uint64_t n = start;; ++n) {
        if (!write_checkpoint(path, version(n))) ::_exit(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own";

    auto cp = read_checkpoint(path);
    ASSERT_TRUE(cp.has_value()) << "after kill " << kill << ": " << cp.error().message();
    EXPECT_EQ(*cp, version(cp->blocks_done)) << "a torn checkpoint after kill " << kill;
    EXPECT_GE(cp->blocks_done, start - 1);
    highest = cp->blocks_done;
  }
  // The writers got somewhere (each write costs two fsyncs, a few ms on a
  // disk, so most kills land inside one: the case under test).
  EXPECT_GT(highest, 0u);
}

}  // namespace
}  // namespace portolan
