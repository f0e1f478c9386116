// Grades for the SSH algorithms a server offers in its KEXINIT: our own
// table, one reason per algorithm (why and how it was chosen: the comment at
// the top of ssh_algorithms.cpp). Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/audit/ssh_kexinit.h"

namespace portolan::audit {

enum class SshAlgorithmClass : uint8_t { kKex, kHostKey, kCipher, kMac };
std::string_view to_string(SshAlgorithmClass c);  // "kex", "hostkey", "cipher", "mac"

// Ordered: a higher value is worse.
enum class SshGrade : uint8_t {
  kOk,      // no finding
  kWeak,    // a low finding: hardening, no practical attack today
  kBroken,  // a medium finding: a published practical attack or an unsafe size
};
std::string_view to_string(SshGrade g);  // "ok", "weak", "broken"

struct SshAlgorithmGrade {
  SshGrade grade = SshGrade::kOk;
  std::string_view reason;     // one line
  std::string_view reference;  // an RFC, CVE or paper; may be empty
};

// The grade of one algorithm name in one class; nullopt for a name the table
// does not know (no finding: we do not guess).
std::optional<SshAlgorithmGrade> grade_ssh_algorithm(SshAlgorithmClass c, std::string_view name);

struct SshGradedAlgorithm {
  std::string name;
  SshAlgorithmGrade grade;
};

// The algorithms of one class graded weak or broken, in the server's order.
struct SshClassVerdict {
  SshAlgorithmClass algorithm_class = SshAlgorithmClass::kKex;
  SshGrade worst = SshGrade::kOk;
  std::vector<SshGradedAlgorithm> offending;
};

// The marker a server puts in kex_algorithms when it implements OpenSSH's
// strict key exchange, the countermeasure to Terrapin (CVE-2023-48795).
inline constexpr std::string_view kSshStrictKexServer = "kex-strict-s-v00@openssh.com";

struct SshVerdict {
  // Only the classes with offending algorithms, in the order kex, hostkey,
  // cipher, mac.
  std::vector<SshClassVerdict> classes;
  // Terrapin: chacha20-poly1305 or a CBC cipher with an EtM MAC offered, and
  // no strict key exchange. `terrapin_algorithms` are the offered ones that
  // make the prefix truncation possible.
  bool terrapin = false;
  std::vector<std::string> terrapin_algorithms;
};

// Grades every list of `k` (ciphers and MACs of both directions together).
SshVerdict grade_ssh_kexinit(const SshKexInit& k);

}  // namespace portolan::audit
