// What an SSH server sends first: its identification line and its KEXINIT
// packet. Parsing and the read-progress test must survive any bytes, agree
// with each other, and give only printable algorithm names; the grading
// table must take whatever the parser accepted.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/audit/ssh_algorithms.h"
#include "portolan/audit/ssh_kexinit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portolan::audit;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const SshProgress progress = ssh_server_hello_progress(bytes);
  (void)ssh_ident_progress(bytes);
  auto hello = parse_ssh_server_hello(bytes);
  if (!hello) return 0;
  // A complete parse means the reader would have stopped here.
  if (progress != SshProgress::kComplete) __builtin_trap();
  if (hello->ident.end > size || hello->ident.line.size() >= kSshMaxIdentLine) __builtin_trap();
  const SshKexInit& k = hello->kexinit;
  for (const auto* list :
       {&k.kex, &k.host_key, &k.cipher_c2s, &k.cipher_s2c, &k.mac_c2s, &k.mac_s2c,
        &k.compression_c2s, &k.compression_s2c, &k.language_c2s, &k.language_s2c}) {
    for (const auto& name : *list) {
      if (name.empty()) __builtin_trap();
      for (char c : name) {
        if (c <= 0x20 || c >= 0x7f || c == ',') __builtin_trap();
      }
    }
  }
  const SshVerdict verdict = grade_ssh_kexinit(k);
  for (const auto& v : verdict.classes) {
    if (v.offending.empty() || v.worst == SshGrade::kOk) __builtin_trap();
  }
  return 0;
}
