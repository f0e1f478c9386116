// Fuzz target for the audit's binary-protocol parsers (rsync, ONC RPC, DNS,
// NTP, SNMP, RFB, SMB): the first byte selects the parser, the rest is what
// a server sent. Every parser must return an error, never crash, hang or
// read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/audit/dns_message.h"
#include "portolan/audit/ntp_control.h"
#include "portolan/audit/onc_rpc.h"
#include "portolan/audit/rfb_handshake.h"
#include "portolan/audit/rsync_daemon.h"
#include "portolan/audit/smb1_negotiate.h"
#include "portolan/audit/snmp_ber.h"

using namespace portolan::audit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 10) {
    case 0:
      (void)parse_rsync_greeting(bytes);
      (void)parse_rsync_module_list(bytes);
      (void)parse_rsync_module_answer(bytes);
      break;
    case 1:
      (void)parse_pmap_getport_reply(bytes, 0x50540001);
      break;
    case 2:
      (void)parse_mount_export_reply(bytes, 0x50540002);
      if (auto e = parse_mount_export_reply(bytes, 0x50540002)) {
        for (const auto& x : *e) (void)nfs_export_open_to_everyone(x);
      }
      break;
    case 3:
      (void)parse_dns_message(bytes);
      break;
    case 4:
      if (auto m = dns_tcp_unframe(bytes)) (void)parse_dns_message(*m);
      break;
    case 5:
      if (auto r = parse_ntp_control_response(bytes)) (void)ntp_variable(r->data, "version");
      break;
    case 6:
      (void)parse_ntp_private_response(bytes);
      break;
    case 7:
      if (auto m = parse_snmp_message(bytes)) (void)snmp_first_value(*m);
      break;
    case 8:
      if (auto v = parse_rfb_version(bytes); v && bytes.size() >= 12) {
        (void)parse_rfb_security(bytes.substr(12), rfb_client_version(*v));
      }
      (void)parse_rfb_security(bytes, {3, 3});
      (void)parse_rfb_security(bytes, {3, 8});
      break;
    case 9:
      (void)parse_smb_negotiate_response(bytes);
      (void)netbios_session_accepted(bytes);
      break;
  }
  return 0;
}
