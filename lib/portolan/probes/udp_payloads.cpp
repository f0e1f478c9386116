// UDP probe payloads, written from the protocol specifications.
//
// Catalogue (every request is a read-only query; transaction ids are fixed):
//
//  port   protocol        what it asks                               reference
//  -----  --------------  -----------------------------------------  ---------------------------
//  53     dns             TXT "version.bind" in class CHAOS          RFC 1035 4.1, RFC 4892
//  69     tftp            read request for a name no server serves   RFC 1350 5 (answer: ERROR)
//  111    rpcbind         ONC RPC NULL call, portmapper v2           RFC 5531 9, RFC 1833
//  123    ntp             NTPv4 client-mode time request             RFC 5905 7.3
//  137    netbios-ns      NBSTAT node status for the name "*"        RFC 1002 4.2.17
//  161    snmp            SNMPv2c GetRequest sysDescr.0, "public"    RFC 3416 3, RFC 1213
//  177    xdmcp           Query with no authentication names         XDMCP 1.1 (X Consortium)
//  389    cldap           rootDSE search for supportedLDAPVersion    RFC 4511 4.5.1 over UDP
//  443    quic            long header, reserved version 0x1a2a3a4a   RFC 9000 6, 15; RFC 8999
//  500    ike             IKEv2 IKE_SA_INIT: SA, KE (X25519), nonce  RFC 7296 1.2, 3
//  520    rip             RIPv2 request for the whole table          RFC 2453 3.9.1
//  623    asf-rmcp        RMCP/ASF Presence Ping (IPMI BMCs)         DMTF DSP0136 3.2.4.3
//  1194   openvpn         P_CONTROL_HARD_RESET_CLIENT_V2             OpenVPN protocol, ssl_pkt.h
//  1434   ms-sql-m        CLNT_UCAST_EX: list server instances       [MC-SQLR] 2.2.3
//  1701   l2tp            SCCRQ (start-control-connection request)   RFC 2661 6.1
//  1900   ssdp            M-SEARCH * for ssdp:all                    UPnP Device Architecture 1.1
//  2049   nfs             ONC RPC NULL call, NFS v3                  RFC 5531 9, RFC 1813
//  3478   stun            Binding request                            RFC 5389 6
//  5060   sip             OPTIONS                                    RFC 3261 11, RFC 3581
//  5351   nat-pmp         external address request                   RFC 6886 3.2
//  5353   mdns            PTR _services._dns-sd._udp.local           RFC 6762 6.7, RFC 6763 9
//  5683   coap            GET /.well-known/core                      RFC 7252, RFC 6690
//  11211  memcached       "version" with the UDP frame header        memcached protocol.txt
//
// Left out on purpose: RADIUS (1812) answers only clients that know its
// shared secret, and an Access-Request is a login attempt that servers log and
// count; DHCP (67) would reserve an address. Memcached is asked "version"
// rather than "stats": one small datagram back instead of several kilobytes.
// A TFTP server answers from a new port (its transfer id, RFC 1350 4), so the
// engine must match that reply on its destination port alone to count it.
//
// Each binary payload is built at compile time by Wire, field by field in the
// order of its specification; a static_assert pins the exact size.
#include "portolan/probes/udp_payloads.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace portolan {
namespace {

// A fixed-size message assembled at compile time, in network byte order.
// Writing past N is not a constant expression, so a miscounted payload does
// not compile.
template <size_t N>
class Wire {
 public:
  constexpr Wire& u8(unsigned v) {
    data_[size_++] = static_cast<unsigned char>(v & 0xff);
    return *this;
  }
  constexpr Wire& u16(unsigned v) { return u8(v >> 8).u8(v); }
  constexpr Wire& u32(uint32_t v) { return u16(v >> 16).u16(v & 0xffff); }
  constexpr Wire& text(std::string_view s) {
    for (char c : s) u8(static_cast<unsigned char>(c));
    return *this;
  }
  // A DNS-style length-prefixed label.
  constexpr Wire& label(std::string_view s) { return u8(static_cast<unsigned>(s.size())).text(s); }
  constexpr Wire& zeros(size_t n) {
    for (size_t i = 0; i < n; ++i) u8(0);
    return *this;
  }
  constexpr bool complete() const { return size_ == N; }
  std::span<const unsigned char> bytes() const { return {data_.data(), N}; }

 private:
  std::array<unsigned char, N> data_{};
  size_t size_ = 0;
};

// The fixed transaction id where a protocol has one: "PT".
constexpr unsigned kTxid = 0x5054;

// --- DNS, RFC 1035 4.1: header, then one question. Class CHAOS, name
// version.bind: the server's software version (RFC 4892); servers that hide
// it still answer REFUSED, which is all a port scan needs.
constexpr auto kDns = [] {
  Wire<30> w;
  w.u16(kTxid).u16(0x0000);                // id; QR=0 opcode QUERY, no recursion
  w.u16(1).u16(0).u16(0).u16(0);           // QD, AN, NS, AR counts
  w.label("version").label("bind").u8(0);  // QNAME
  w.u16(16).u16(3);                        // QTYPE TXT, QCLASS CH
  return w;
}();
static_assert(kDns.complete());

// --- TFTP, RFC 1350 5: RRQ opcode, file name, mode. The name is one no server
// holds, so the answer is an ERROR packet, not a transfer.
constexpr auto kTftp = [] {
  Wire<30> w;
  w.u16(1);                               // RRQ
  w.text("portolan-no-such-file").u8(0);  // file name
  w.text("octet").u8(0);                  // mode
  return w;
}();
static_assert(kTftp.complete());

// --- ONC RPC call header, RFC 5531 9, with AUTH_NONE credential and verifier.
// Procedure 0 (NULL) exists in every RPC program and does nothing.
constexpr Wire<40> rpc_null_call(uint32_t program, uint32_t version) {
  Wire<40> w;
  w.u32(0x506f7274);                   // xid
  w.u32(0);                            // msg_type CALL
  w.u32(2);                            // rpcvers
  w.u32(program).u32(version).u32(0);  // prog, vers, proc NULL
  w.u32(0).u32(0);                     // cred: AUTH_NONE, length 0
  w.u32(0).u32(0);                     // verf: AUTH_NONE, length 0
  return w;
}
constexpr auto kRpcbind = rpc_null_call(100000, 2);  // portmapper, RFC 1833
static_assert(kRpcbind.complete());
constexpr auto kNfs = rpc_null_call(100003, 3);  // NFS v3, RFC 1813
static_assert(kNfs.complete());

// --- NTP, RFC 5905 7.3: a 48-byte header in client mode. The transmit
// timestamp is non-zero (some servers ignore an all-zero request); the
// server copies it into its origin field.
constexpr auto kNtp = [] {
  Wire<48> w;
  w.u8(0xe3);                // LI 3 (unsynchronised), VN 4, mode 3 (client)
  w.u8(0);                   // stratum: unspecified
  w.u8(6);                   // poll: 2^6 s
  w.u8(0xec);                // precision: 2^-20 s
  w.u32(0).u32(0);           // root delay, root dispersion
  w.u32(0);                  // reference id
  w.zeros(8 * 3);            // reference, origin, receive timestamps
  w.u32(0xe2b74e00).u32(0);  // transmit timestamp
  return w;
}();
static_assert(kNtp.complete());

// --- NetBIOS name service, RFC 1002 4.2.17 (NODE STATUS REQUEST) with the
// RFC 1001 14.1 first-level encoding: each nibble of the 16-byte name "*"
// + 15 NULs becomes 'A' + nibble, so "*" (0x2a) is "CK" and NUL is "AA".
constexpr auto kNetbiosNs = [] {
  Wire<50> w;
  w.u16(kTxid).u16(0x0000);       // NAME_TRN_ID; opcode query, no flags
  w.u16(1).u16(0).u16(0).u16(0);  // QD, AN, NS, AR counts
  w.u8(32).text("CK");            // encoded name: 32 characters
  for (int i = 0; i < 15; ++i) w.text("AA");
  w.u8(0);                    // root label
  w.u16(0x0021).u16(0x0001);  // QUESTION_TYPE NBSTAT, QUESTION_CLASS IN
  return w;
}();
static_assert(kNetbiosNs.complete());

// --- SNMP, RFC 3416 3 / RFC 1157 4: Message ::= SEQUENCE { version, community,
// GetRequest-PDU [0] { request-id, error-status, error-index, varbinds } }, in
// BER with definite short lengths. sysDescr.0 is 1.3.6.1.2.1.1.1.0 (RFC 1213);
// its first two arcs encode as 40 * 1 + 3 = 0x2b.
constexpr auto kSnmp = [] {
  Wire<43> w;
  w.u8(0x30).u8(41);                 // Message SEQUENCE
  w.u8(0x02).u8(1).u8(1);            //   version: 1 = v2c
  w.u8(0x04).u8(6).text("public");   //   community
  w.u8(0xa0).u8(28);                 //   GetRequest-PDU
  w.u8(0x02).u8(4).u32(0x506f7274);  //     request-id
  w.u8(0x02).u8(1).u8(0);            //     error-status
  w.u8(0x02).u8(1).u8(0);            //     error-index
  w.u8(0x30).u8(14);                 //     variable-bindings
  w.u8(0x30).u8(12);                 //       VarBind
  w.u8(0x06).u8(8);                  //         name: OID
  w.u8(0x2b).u8(6).u8(1).u8(2).u8(1).u8(1).u8(1).u8(0);
  w.u8(0x05).u8(0);  //         value: NULL
  return w;
}();
static_assert(kSnmp.complete());

// --- XDMCP 1.1: header { version 1, opcode Query (2), length } and an empty
// ARRAYofARRAY8 of authentication names. A display manager answers Willing
// or Unwilling.
constexpr auto kXdmcp = [] {
  Wire<7> w;
  w.u16(1).u16(2).u16(1);  // version, opcode Query, length of what follows
  w.u8(0);                 // authentication names: none
  return w;
}();
static_assert(kXdmcp.complete());

// --- Connectionless LDAP: an RFC 4511 LDAPMessage over UDP, as Active
// Directory answers it. A base-object search of the root DSE, filter
// (objectClass=*), asking for one small attribute so the answer stays small.
constexpr auto kCldap = [] {
  Wire<62> w;
  w.u8(0x30).u8(60);                      // LDAPMessage SEQUENCE
  w.u8(0x02).u8(2).u16(kTxid);            //   messageID
  w.u8(0x63).u8(54);                      //   SearchRequest [APPLICATION 3]
  w.u8(0x04).u8(0);                       //     baseObject: "" (root DSE)
  w.u8(0x0a).u8(1).u8(0);                 //     scope: baseObject
  w.u8(0x0a).u8(1).u8(0);                 //     derefAliases: never
  w.u8(0x02).u8(1).u8(0);                 //     sizeLimit: none
  w.u8(0x02).u8(1).u8(0);                 //     timeLimit: none
  w.u8(0x01).u8(1).u8(0);                 //     typesOnly: FALSE
  w.u8(0x87).u8(11).text("objectClass");  //     filter: present [7]
  w.u8(0x30).u8(22);                      //     attributes
  w.u8(0x04).u8(20).text("supportedLDAPVersion");
  return w;
}();
static_assert(kCldap.complete());

// --- QUIC, RFC 8999 5.1 (the version-independent long header) and RFC 9000
// 6: a version a server cannot support draws a Version Negotiation packet.
// 0x1a2a3a4a matches the reserved pattern 0x?a?a?a?a (RFC 9000 15). Padded to
// 1200 bytes: servers answer only datagrams that could start a connection
// (RFC 9000 5.2.2, 14.1).
constexpr auto kQuic = [] {
  Wire<1200> w;
  w.u8(0xc0);                // long header, fixed bit
  w.u32(0x1a2a3a4a);         // version
  w.u8(8).text("Portolan");  // destination connection id
  w.u8(8).text("portolan");  // source connection id
  w.zeros(1200 - 23);        // padding
  return w;
}();
static_assert(kQuic.complete());

// --- IKEv2 IKE_SA_INIT, RFC 7296 1.2 and 3: header, SA with one IKE proposal
// (AES-CBC-128, HMAC-SHA2-256 PRF and integrity, Curve25519), KE, Ni. The KE
// value is the Curve25519 base point (u = 9, RFC 7748 4.1): a valid public
// key. A responder answers with its own SA_INIT, or with a notification
// (NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD): either proves the port open. It
// keeps a half-open SA until it times out, as a SYN leaves a half-open TCB.
constexpr auto kIke = [] {
  Wire<152> w;
  w.text("Portolan").zeros(8);  // initiator SPI, responder SPI (0)
  w.u8(33);                     // next payload: SA
  w.u8(0x20);                   // version 2.0
  w.u8(34);                     // exchange: IKE_SA_INIT
  w.u8(0x08);                   // flags: initiator
  w.u32(0);                     // message id
  w.u32(152);                   // length
  // SA payload
  w.u8(34).u8(0).u16(48);       // next: KE; length
  w.u8(0).u8(0).u16(44);        //   proposal (last); length
  w.u8(1).u8(1).u8(0).u8(4);    //   number 1, protocol IKE, no SPI, 4 transforms
  w.u8(3).u8(0).u16(12);        //     transform (more follow); length
  w.u8(1).u8(0).u16(12);        //     ENCR, ENCR_AES_CBC
  w.u16(0x8000 | 14).u16(128);  //     attribute Key Length (TV): 128
  w.u8(3).u8(0).u16(8);
  w.u8(2).u8(0).u16(5);  //     PRF, PRF_HMAC_SHA2_256
  w.u8(3).u8(0).u16(8);
  w.u8(3).u8(0).u16(12);  //     INTEG, AUTH_HMAC_SHA2_256_128
  w.u8(0).u8(0).u16(8);   //     last transform
  w.u8(4).u8(0).u16(31);  //     D-H, Curve25519
  // KE payload
  w.u8(40).u8(0).u16(40);  // next: Nonce; length
  w.u16(31).u16(0);        //   D-H group, reserved
  w.u8(9).zeros(31);       //   key exchange data
  // Nonce payload
  w.u8(0).u8(0).u16(36);  // last payload; length
  w.text("PortolanPortolanPortolanPortolan");
  return w;
}();
static_assert(kIke.complete());

// --- RIPv2, RFC 2453 3.9.1: a request with exactly one entry, address family
// 0 and metric 16 (infinity), asks for the whole routing table.
constexpr auto kRip = [] {
  Wire<24> w;
  w.u8(1).u8(2).u16(0);    // command request, version 2, must be zero
  w.u16(0).u16(0);         // address family 0, route tag
  w.u32(0).u32(0).u32(0);  // address, mask, next hop
  w.u32(16);               // metric: infinity
  return w;
}();
static_assert(kRip.complete());

// --- RMCP (DMTF DSP0136 3.2.2) carrying an ASF Presence Ping (3.2.4.3):
// every IPMI-over-LAN BMC answers with a Presence Pong.
constexpr auto kAsfRmcp = [] {
  Wire<12> w;
  w.u8(0x06).u8(0).u8(0xff).u8(0x06);  // RMCP v1.0, reserved, no ACK, class ASF
  w.u32(4542);                         // IANA enterprise number: ASF
  w.u8(0x80);                          // message type: Presence Ping
  w.u8(0x50);                          // message tag
  w.u8(0).u8(0);                       // reserved, data length
  return w;
}();
static_assert(kAsfRmcp.complete());

// --- OpenVPN over UDP (ssl_pkt.h, doc_protocol_overview.h): opcode 7
// P_CONTROL_HARD_RESET_CLIENT_V2 with key id 0, our session id, an empty ACK
// array and message packet id 0. Servers without tls-auth/tls-crypt answer
// with P_CONTROL_HARD_RESET_SERVER_V2.
constexpr auto kOpenvpn = [] {
  Wire<14> w;
  w.u8(7 << 3);        // opcode << 3 | key id
  w.text("Portolan");  // session id
  w.u8(0);             // ACK array length
  w.u32(0);            // message packet id
  return w;
}();
static_assert(kOpenvpn.complete());

// --- SQL Server Resolution Protocol, [MC-SQLR] 2.2.3: CLNT_UCAST_EX, one
// byte, asks the SQL Browser for its instances.
constexpr auto kMsSqlBrowser = [] {
  Wire<1> w;
  w.u8(0x03);
  return w;
}();
static_assert(kMsSqlBrowser.complete());

// --- L2TPv2, RFC 2661 3.1 (control header with T, L, S bits) and 6.1 (SCCRQ):
// the mandatory AVPs Message Type, Protocol Version, Framing Capabilities,
// Host Name and Assigned Tunnel ID. The server answers SCCRP and forgets the
// tunnel when no SCCCN follows.
constexpr auto kL2tp = [] {
  Wire<60> w;
  w.u16(0xc802).u16(60);                              // T L S, version 2; length
  w.u16(0).u16(0);                                    // tunnel id, session id
  w.u16(0).u16(0);                                    // Ns, Nr
  w.u16(0x8000 | 8).u16(0).u16(0).u16(1);             // M, len 8, IETF, Message Type: SCCRQ
  w.u16(0x8000 | 8).u16(0).u16(2).u8(1).u8(0);        // Protocol Version 1.0
  w.u16(0x8000 | 10).u16(0).u16(3).u32(3);            // Framing Capabilities: sync, async
  w.u16(0x8000 | 14).u16(0).u16(7).text("portolan");  // Host Name
  w.u16(0x8000 | 8).u16(0).u16(9).u16(kTxid);         // Assigned Tunnel ID
  return w;
}();
static_assert(kL2tp.complete());

// --- STUN, RFC 5389 6: Binding request, no attributes: type, length 0, magic
// cookie, 96-bit transaction id.
constexpr auto kStun = [] {
  Wire<20> w;
  w.u16(0x0001).u16(0).u32(0x2112a442);
  w.text("Portolan0001");  // transaction id
  return w;
}();
static_assert(kStun.complete());

// --- NAT-PMP, RFC 6886 3.2: version 0, opcode 0 (external address).
constexpr auto kNatPmp = [] {
  Wire<2> w;
  w.u8(0).u8(0);
  return w;
}();
static_assert(kNatPmp.complete());

// --- mDNS, RFC 6762 and RFC 6763 9: the DNS-SD service type enumeration.
// Sent from a port other than 5353 it is a "legacy unicast" query (RFC 6762
// 6.7): the responder answers to our port and echoes the id.
constexpr auto kMdns = [] {
  Wire<46> w;
  w.u16(kTxid).u16(0x0000);
  w.u16(1).u16(0).u16(0).u16(0);
  w.label("_services").label("_dns-sd").label("_udp").label("local").u8(0);
  w.u16(12).u16(1);  // QTYPE PTR, QCLASS IN
  return w;
}();
static_assert(kMdns.complete());

// --- CoAP, RFC 7252 3: version 1, confirmable, no token, GET, message id,
// then Uri-Path options (number 11) ".well-known" and "core" (RFC 6690 4).
constexpr auto kCoap = [] {
  Wire<21> w;
  w.u8(0x40).u8(0x01).u16(kTxid);  // ver 1, CON, TKL 0; GET; message id
  w.u8(0xbb).text(".well-known");  // option delta 11 (Uri-Path), length 11
  w.u8(0x04).text("core");         // delta 0 (Uri-Path again), length 4
  return w;
}();
static_assert(kCoap.complete());

// --- memcached UDP (protocol.txt, "UDP protocol"): an 8-byte frame header
// { request id, sequence 0, 1 datagram, reserved } and an ASCII command.
constexpr auto kMemcached = [] {
  Wire<17> w;
  w.u16(kTxid).u16(0).u16(1).u16(0);
  w.text("version\r\n");
  return w;
}();
static_assert(kMemcached.complete());

// SSDP, UPnP Device Architecture 1.1 1.3.2: a search for every device and
// service. MX 1 keeps responders from waiting long.
constexpr std::string_view kSsdp =
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 1\r\n"
    "ST: ssdp:all\r\n"
    "\r\n";

// SIP, RFC 3261 11 (OPTIONS) with the mandatory headers of 8.1.1; "rport"
// (RFC 3581) makes the server answer to our source port rather than 5060.
constexpr std::string_view kSip =
    "OPTIONS sip:portolan@portolan.invalid SIP/2.0\r\n"
    "Via: SIP/2.0/UDP portolan.invalid;branch=z9hG4bK-portolan-probe;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:portolan@portolan.invalid>\r\n"
    "From: <sip:portolan@portolan.invalid>;tag=portolan\r\n"
    "Call-ID: portolan-probe@portolan.invalid\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Accept: application/sdp\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

std::span<const unsigned char> text_bytes(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

constexpr size_t kPayloadCount = 23;

struct Entry {
  std::span<const uint16_t> ports;
  std::string_view name;
  std::string_view request;
  std::string_view reference;
  std::span<const unsigned char> bytes;
};

constexpr uint16_t kPortDns[] = {53};
constexpr uint16_t kPortTftp[] = {69};
constexpr uint16_t kPortRpcbind[] = {111};
constexpr uint16_t kPortNtp[] = {123};
constexpr uint16_t kPortNetbiosNs[] = {137};
constexpr uint16_t kPortSnmp[] = {161};
constexpr uint16_t kPortXdmcp[] = {177};
constexpr uint16_t kPortCldap[] = {389};
constexpr uint16_t kPortQuic[] = {443};
constexpr uint16_t kPortIke[] = {500};
constexpr uint16_t kPortRip[] = {520};
constexpr uint16_t kPortAsfRmcp[] = {623};
constexpr uint16_t kPortOpenvpn[] = {1194};
constexpr uint16_t kPortMsSql[] = {1434};
constexpr uint16_t kPortL2tp[] = {1701};
constexpr uint16_t kPortSsdp[] = {1900};
constexpr uint16_t kPortNfs[] = {2049};
constexpr uint16_t kPortStun[] = {3478};
constexpr uint16_t kPortSip[] = {5060};
constexpr uint16_t kPortNatPmp[] = {5351};
constexpr uint16_t kPortMdns[] = {5353};
constexpr uint16_t kPortCoap[] = {5683};
constexpr uint16_t kPortMemcached[] = {11211};

std::array<Entry, kPayloadCount> make_entries() {
  return {{
      {kPortDns, "dns", "TXT version.bind, class CHAOS", "RFC 1035 4.1; RFC 4892", kDns.bytes()},
      {kPortTftp, "tftp", "read request for a file that does not exist", "RFC 1350 5",
       kTftp.bytes()},
      {kPortRpcbind, "rpcbind", "ONC RPC NULL call, portmapper version 2", "RFC 5531 9; RFC 1833",
       kRpcbind.bytes()},
      {kPortNtp, "ntp", "NTPv4 client-mode request", "RFC 5905 7.3", kNtp.bytes()},
      {kPortNetbiosNs, "netbios-ns", "NBSTAT node status of *", "RFC 1002 4.2.17",
       kNetbiosNs.bytes()},
      {kPortSnmp, "snmp", "SNMPv2c GetRequest sysDescr.0, community public", "RFC 3416 3; RFC 1213",
       kSnmp.bytes()},
      {kPortXdmcp, "xdmcp", "Query, no authentication", "XDMCP 1.1", kXdmcp.bytes()},
      {kPortCldap, "cldap", "rootDSE search for supportedLDAPVersion", "RFC 4511 4.5.1",
       kCldap.bytes()},
      {kPortQuic, "quic", "long header with reserved version 0x1a2a3a4a",
       "RFC 9000 6, 15; RFC 8999", kQuic.bytes()},
      {kPortIke, "ike", "IKEv2 IKE_SA_INIT (AES-CBC-128, SHA2-256, Curve25519)", "RFC 7296 1.2, 3",
       kIke.bytes()},
      {kPortRip, "rip", "RIPv2 request for the whole routing table", "RFC 2453 3.9.1",
       kRip.bytes()},
      {kPortAsfRmcp, "asf-rmcp", "RMCP/ASF Presence Ping", "DMTF DSP0136 3.2.4.3",
       kAsfRmcp.bytes()},
      {kPortOpenvpn, "openvpn", "P_CONTROL_HARD_RESET_CLIENT_V2", "OpenVPN protocol (ssl_pkt.h)",
       kOpenvpn.bytes()},
      {kPortMsSql, "ms-sql-m", "CLNT_UCAST_EX: list instances", "[MC-SQLR] 2.2.3",
       kMsSqlBrowser.bytes()},
      {kPortL2tp, "l2tp", "SCCRQ", "RFC 2661 6.1", kL2tp.bytes()},
      {kPortSsdp, "ssdp", "M-SEARCH * ssdp:all", "UPnP Device Architecture 1.1 1.3.2",
       text_bytes(kSsdp)},
      {kPortNfs, "nfs", "ONC RPC NULL call, NFS version 3", "RFC 5531 9; RFC 1813", kNfs.bytes()},
      {kPortStun, "stun", "Binding request", "RFC 5389 6", kStun.bytes()},
      {kPortSip, "sip", "OPTIONS", "RFC 3261 11; RFC 3581", text_bytes(kSip)},
      {kPortNatPmp, "nat-pmp", "external address request", "RFC 6886 3.2", kNatPmp.bytes()},
      {kPortMdns, "mdns", "PTR _services._dns-sd._udp.local", "RFC 6762 6.7; RFC 6763 9",
       kMdns.bytes()},
      {kPortCoap, "coap", "GET /.well-known/core", "RFC 7252; RFC 6690", kCoap.bytes()},
      {kPortMemcached, "memcached", "version, with the UDP frame header", "memcached protocol.txt",
       kMemcached.bytes()},
  }};
}

struct Catalogue {
  std::array<UdpPayloadInfo, kPayloadCount> info;
  // (port, index into info), sorted by port: the per-probe lookup.
  std::vector<std::pair<uint16_t, uint8_t>> by_port;
};

const Catalogue& catalogue() {
  static const Catalogue c = [] {
    Catalogue out;
    const auto entries = make_entries();
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      out.info[i] = UdpPayloadInfo{e.ports, e.name, e.request, e.reference, std::as_bytes(e.bytes)};
      for (uint16_t port : e.ports) out.by_port.emplace_back(port, static_cast<uint8_t>(i));
    }
    std::sort(out.by_port.begin(), out.by_port.end());
    return out;
  }();
  return c;
}

}  // namespace

std::span<const std::byte> udp_payload_for(uint16_t port) {
  const Catalogue& c = catalogue();
  const auto it =
      std::lower_bound(c.by_port.begin(), c.by_port.end(), std::pair<uint16_t, uint8_t>{port, 0});
  if (it == c.by_port.end() || it->first != port) return {};
  return c.info[it->second].bytes;
}

std::span<const UdpPayloadInfo> udp_payloads() {
  return catalogue().info;
}

}  // namespace portolan
