// Capability checks; see privileges_linux.h.
#include "portolan/link/privileges_linux.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace portolan {

bool has_raw_capability() {
  // glibc has no capget wrapper (libcap has one); the raw syscall avoids
  // another dependency for one bit.
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (::syscall(SYS_capget, &header, data) != 0) return ::geteuid() == 0;
  return (data[CAP_TO_INDEX(CAP_NET_RAW)].effective & CAP_TO_MASK(CAP_NET_RAW)) != 0;
}

std::string raw_privilege_hint() {
  return "raw scans need root or CAP_NET_RAW; setcap cap_net_raw,cap_net_admin+ep on the portolan "
         "binary grants it";
}

}  // namespace portolan
