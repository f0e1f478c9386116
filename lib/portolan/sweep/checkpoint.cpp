// Checkpoint JSON and its atomic, durable replacement; see checkpoint.h.
#include "portolan/sweep/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "portolan/registry/message_text.h"

namespace portolan {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFormat = "portolan-checkpoint";
constexpr uint64_t kVersion = 1;
constexpr size_t kMaxArguments = 65536;
constexpr size_t kMaxArgumentBytes = 1 << 20;
constexpr size_t kMaxFingerprintBytes = 1 << 20;
constexpr size_t kMaxOutputs = 64;
constexpr size_t kMaxPathBytes = 4096;      // PATH_MAX
constexpr double kMaxElapsedSeconds = 1e9;  // 31 years
// Nesting deeper than the format's own (root, outputs, entry, hex string)
// is refused while parsing, before it can cost memory.
constexpr int kMaxDepth = 8;

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// The same rules nlohmann::json applies when dumping, so a string that passes
// here can always be written as a JSON string.
bool is_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    uint32_t smallest = 0;
    if ((lead & 0xe0) == 0xc0) {
      length = 2, code = lead & 0x1fu, smallest = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, code = lead & 0x0fu, smallest = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, code = lead & 0x07u, smallest = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3fu);
    }
    if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

Json bytes_to_json(const std::string& bytes) {
  if (is_utf8(bytes)) return bytes;
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return Json{{"hex", std::move(hex)}};
}

std::string hex64(uint64_t v) {
  return fmt::format("0x{:016x}", v);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Collects the first problem found; later ones are usually consequences.
class Problems {
 public:
  void add(std::string_view field, std::string_view problem) {
    if (!first_) first_ = fmt::format("field '{}' {}", field, problem);
  }
  void add_raw(std::string message) {
    if (!first_) first_ = std::move(message);
  }
  const std::optional<std::string>& first() const { return first_; }

 private:
  std::optional<std::string> first_;
};

// Field readers: `value` is null when the field is absent (or its parent was
// already found wrong); each records a problem and returns a neutral value
// on anything but a well-formed, in-range field.
const Json* member(const Json* object, const char* key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

std::string child(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

bool present(const Json* value, std::string_view name, Problems& problems) {
  if (value == nullptr) problems.add(name, "is missing");
  return value != nullptr;
}

uint64_t read_count(const Json* value, std::string_view name, uint64_t max, Problems& problems) {
  if (!present(value, name, problems)) return 0;
  if (value->is_number_integer() && !value->is_number_unsigned()) {
    problems.add(name, "must not be negative");
    return 0;
  }
  if (!value->is_number_unsigned()) {
    problems.add(name, "must be a whole number");
    return 0;
  }
  const auto v = value->get<uint64_t>();
  if (v > max) {
    problems.add(name, fmt::format("is too large (at most {})", max));
    return 0;
  }
  return v;
}

double read_seconds(const Json* value, std::string_view name, Problems& problems) {
  if (!present(value, name, problems)) return 0;
  if (!value->is_number()) {
    problems.add(name, "must be a number");
    return 0;
  }
  const auto v = value->get<double>();
  if (!std::isfinite(v) || v < 0 || v > kMaxElapsedSeconds) {
    problems.add(name, fmt::format("must be between 0 and {:.0f}", kMaxElapsedSeconds));
    return 0;
  }
  return v;
}

uint64_t read_hex64(const Json* value, std::string_view name, Problems& problems) {
  if (!present(value, name, problems)) return 0;
  const std::string* text = value->get_ptr<const std::string*>();
  constexpr std::string_view kShape = "must be a hex string of up to 16 digits, e.g. \"0x1f\"";
  if (text == nullptr || text->size() < 3 || text->size() > 18 || text->compare(0, 2, "0x") != 0) {
    problems.add(name, kShape);
    return 0;
  }
  uint64_t v = 0;
  for (size_t i = 2; i < text->size(); ++i) {
    const int digit = hex_digit((*text)[i]);
    if (digit < 0) {
      problems.add(name, kShape);
      return 0;
    }
    v = (v << 4) | static_cast<uint64_t>(digit);
  }
  return v;
}

// A string, or {"hex": "..."} for bytes that are not UTF-8 (bytes_to_json).
std::string read_bytes(const Json* value, std::string_view name, size_t max, Problems& problems) {
  if (!present(value, name, problems)) return {};
  if (const std::string* text = value->get_ptr<const std::string*>()) {
    if (text->size() > max) {
      problems.add(name, fmt::format("is too long (at most {} bytes)", max));
      return {};
    }
    return *text;
  }
  const Json* hex = member(value, "hex");
  const std::string* digits = hex == nullptr ? nullptr : hex->get_ptr<const std::string*>();
  if (digits == nullptr) {
    problems.add(name, "must be a string");
    return {};
  }
  if (digits->size() / 2 > max) {
    problems.add(name, fmt::format("is too long (at most {} bytes)", max));
    return {};
  }
  std::string bytes;
  bytes.reserve(digits->size() / 2);
  for (size_t i = 0; i + 1 < digits->size(); i += 2) {
    const int high = hex_digit((*digits)[i]);
    const int low = hex_digit((*digits)[i + 1]);
    if (high < 0 || low < 0) break;
    bytes += static_cast<char>((high << 4) | low);
  }
  if (bytes.size() * 2 != digits->size()) {
    problems.add(child(name, "hex"), "must be an even number of hex digits");
    return {};
  }
  return bytes;
}

const Json* read_object(const Json* value, std::string_view name, Problems& problems) {
  if (!present(value, name, problems)) return nullptr;
  if (!value->is_object()) {
    problems.add(name, "must be an object");
    return nullptr;
  }
  return value;
}

const Json* read_array(const Json* value, std::string_view name, size_t max, Problems& problems) {
  if (!present(value, name, problems)) return nullptr;
  if (!value->is_array()) {
    problems.add(name, "must be an array");
    return nullptr;
  }
  if (value->size() > max) {
    problems.add(name, fmt::format("has too many entries (at most {})", max));
    return nullptr;
  }
  return value;
}

// Thrown by the parse callback to stop at absurd nesting.
struct TooDeep {};

Unexpected io_error(std::string_view action, const std::string& path, int error) {
  const ErrorKind kind = error == ENOENT                     ? ErrorKind::kNotFound
                         : error == EACCES || error == EPERM ? ErrorKind::kPermission
                                                             : ErrorKind::kIo;
  return fail(kind, fmt::format("cannot {} resume file '{}': {}", action, printable(path),
                                std::generic_category().message(error)));
}

// Writes all of `text` to `fd`, riding out short writes and signals.
// Returns 0 or the errno of the failure.
int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string format_checkpoint(const Checkpoint& cp) {
  Json arguments = Json::array();
  for (const auto& a : cp.arguments) arguments.push_back(bytes_to_json(a));
  Json outputs = Json::array();
  for (const auto& o : cp.outputs) {
    outputs.push_back(Json{{"path", bytes_to_json(o.path)}, {"length", o.length}});
  }
  const Json root = {
      {"format", std::string(kFormat)},
      {"version", kVersion},
      {"arguments", std::move(arguments)},
      {"fingerprint", bytes_to_json(cp.fingerprint)},
      {"cookie_key0", hex64(cp.key0)},
      {"cookie_key1", hex64(cp.key1)},
      {"seed", hex64(cp.seed)},
      {"shard", {{"index", cp.shard.index}, {"count", cp.shard.count}}},
      {"blocks_done", cp.blocks_done},
      {"start_time_unix", cp.start_time_unix},
      {"counters",
       {{"hosts_up", cp.counters.hosts_up},
        {"hosts_down", cp.counters.hosts_down},
        {"hosts_total", cp.counters.hosts_total},
        {"open_ports", cp.counters.open_ports},
        {"probes_sent", cp.counters.probes_sent},
        {"elapsed_seconds", cp.counters.elapsed_seconds}}},
      {"outputs", std::move(outputs)},
  };
  return root.dump(2) + "\n";
}

Result<Checkpoint> parse_checkpoint(std::string_view text, std::string_view name) {
  const std::string label = fmt::format("resume file '{}'", printable(name));
  auto problem = [&](std::string_view what) { return fail(fmt::format("{}: {}", label, what)); };
  if (text.size() > kMaxCheckpointBytes) {
    return problem(
        fmt::format("is larger than {} MiB, not a checkpoint", kMaxCheckpointBytes >> 20));
  }

  Json root;
  try {
    root = Json::parse(text, [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxDepth) throw TooDeep{};
      return true;
    });
  } catch (const Json::parse_error& e) {
    return problem(fmt::format("not JSON (syntax error at byte {})", e.byte));
  } catch (const Json::out_of_range&) {
    return problem("not JSON (a number is out of range)");
  } catch (const Json::exception&) {
    return problem("not JSON");
  } catch (const TooDeep&) {
    return problem("not a Portolan checkpoint (JSON nested too deeply)");
  }
  const Json* format = member(&root, "format");
  const std::string* format_text =
      format == nullptr ? nullptr : format->get_ptr<const std::string*>();
  if (format_text == nullptr || *format_text != kFormat) {
    return problem("not a Portolan checkpoint (no \"format\": \"portolan-checkpoint\")");
  }

  Problems problems;
  const uint64_t version = read_count(member(&root, "version"), "version",
                                      std::numeric_limits<uint64_t>::max(), problems);
  if (!problems.first() && version != kVersion) {
    problems.add_raw(fmt::format("version {} is not supported (this Portolan reads version {})",
                                 version, kVersion));
  }

  Checkpoint cp;
  if (const Json* args =
          read_array(member(&root, "arguments"), "arguments", kMaxArguments, problems)) {
    cp.arguments.reserve(args->size());
    for (size_t i = 0; i < args->size(); ++i) {
      cp.arguments.push_back(
          read_bytes(&(*args)[i], fmt::format("arguments[{}]", i), kMaxArgumentBytes, problems));
    }
  }
  cp.fingerprint =
      read_bytes(member(&root, "fingerprint"), "fingerprint", kMaxFingerprintBytes, problems);
  cp.key0 = read_hex64(member(&root, "cookie_key0"), "cookie_key0", problems);
  cp.key1 = read_hex64(member(&root, "cookie_key1"), "cookie_key1", problems);
  cp.seed = read_hex64(member(&root, "seed"), "seed", problems);

  const Json* shard = read_object(member(&root, "shard"), "shard", problems);
  constexpr uint64_t kMaxShards = std::numeric_limits<uint32_t>::max();
  const uint64_t count = read_count(member(shard, "count"), "shard.count", kMaxShards, problems);
  const uint64_t index = read_count(member(shard, "index"), "shard.index", kMaxShards, problems);
  if (shard != nullptr && count == 0) problems.add("shard.count", "must be at least 1");
  if (shard != nullptr && (index == 0 || index > count)) {
    problems.add("shard.index", "must be between 1 and shard.count");
  }
  cp.shard = Shard{static_cast<uint32_t>(index), static_cast<uint32_t>(count)};

  cp.blocks_done =
      read_count(member(&root, "blocks_done"), "blocks_done", kMaxCheckpointCount, problems);
  cp.start_time_unix = read_count(member(&root, "start_time_unix"), "start_time_unix",
                                  kMaxCheckpointCount, problems);

  const Json* counters = read_object(member(&root, "counters"), "counters", problems);
  auto counter = [&](const char* key) {
    return read_count(member(counters, key), child("counters", key), kMaxCheckpointCount, problems);
  };
  cp.counters.hosts_up = counter("hosts_up");
  cp.counters.hosts_down = counter("hosts_down");
  cp.counters.hosts_total = counter("hosts_total");
  cp.counters.open_ports = counter("open_ports");
  cp.counters.probes_sent = counter("probes_sent");
  cp.counters.elapsed_seconds =
      read_seconds(member(counters, "elapsed_seconds"), "counters.elapsed_seconds", problems);

  if (const Json* outputs =
          read_array(member(&root, "outputs"), "outputs", kMaxOutputs, problems)) {
    for (size_t i = 0; i < outputs->size(); ++i) {
      const std::string entry = fmt::format("outputs[{}]", i);
      const Json* output = read_object(&(*outputs)[i], entry, problems);
      CheckpointOutput out;
      const std::string path_name = child(entry, "path");
      out.path = read_bytes(member(output, "path"), path_name, kMaxPathBytes, problems);
      if (output != nullptr && out.path.empty()) problems.add(path_name, "is empty");
      if (out.path.find('\0') != std::string::npos) problems.add(path_name, "contains a NUL byte");
      out.length = read_count(member(output, "length"), child(entry, "length"),
                              static_cast<uint64_t>(std::numeric_limits<off_t>::max()), problems);
      cp.outputs.push_back(std::move(out));
    }
  }

  if (problems.first()) return problem(*problems.first());
  return cp;
}

Result<Checkpoint> read_checkpoint(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("read", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return io_error("read", path, error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(fmt::format("resume file '{}': not a regular file", printable(path)));
  }
  // st_size is only a first guess (the file may change under us): reading
  // goes on to end of file, but never more than one byte past the limit, so
  // an oversized file is reported as such without being read whole.
  constexpr size_t kCap = kMaxCheckpointBytes + 1;
  const auto hint = static_cast<uint64_t>(st.st_size < 0 ? 0 : st.st_size);
  std::string text(static_cast<size_t>(std::min<uint64_t>(hint + 1, kCap)), '\0');
  size_t got = 0;
  int error = 0;
  for (;;) {
    if (got == text.size()) {
      if (text.size() == kCap) break;
      text.resize(std::min(text.size() * 2, kCap));
    }
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (error != 0) return io_error("read", path, error);
  text.resize(got);
  return parse_checkpoint(text, path);
}

Result<void> write_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  const std::string text = format_checkpoint(checkpoint);
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("write", path, errno);
  int error = write_all(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    return io_error("write", path, error);
  }
  // The rename is only durable once the directory entry is on disk. Some
  // file systems cannot fsync a directory (EINVAL); they order it themselves.
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return io_error("write", path, errno);
  if (::fsync(dir) != 0 && errno != EINVAL) error = errno;
  ::close(dir);
  if (error != 0) return io_error("write", path, error);
  return {};
}

}  // namespace portolan
