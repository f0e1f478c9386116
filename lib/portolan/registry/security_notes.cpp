// Security notes for common services, and the ports services commonly use
// outside IANA's assignments. Hand-written; not derived from any tool's data.
//
// A note answers the questions an operator has on finding the port open: is
// the traffic encrypted, what usually goes wrong, what to run instead, and
// whether it belongs on the internet at all. `encrypted` means encrypted by
// default on the wire; services where TLS is optional and often off count as
// not encrypted. Notes are keyed by IANA service name (what the scan's SERVICE
// column shows without -sV); aliases cover the names people and -sV use.
#include "portolan/registry/security_notes.h"

#include <array>

namespace portolan {
namespace {

constexpr std::array kNotes = {
    // Remote shells and desktops.
    SecurityNote{
        .service = "ssh",
        .encrypted = true,
        .summary = "Secure Shell: encrypted, authenticated remote login, commands and tunnels",
        .risks = "password guessing when password login is enabled; outdated servers and weak "
                 "algorithms (CBC ciphers, SHA-1 MACs, small DH groups); stolen or unmanaged keys",
        .alternative = "",
        .internet_exposure_ok = true,
        .aliases = "openssh"},
    SecurityNote{
        .service = "telnet",
        .encrypted = false,
        .summary = "cleartext remote terminal: logins, passwords and the whole session are "
                   "readable on the path",
        .risks = "credential sniffing and session hijacking; default or weak passwords on routers "
                 "and IoT devices, which botnets such as Mirai scan for",
        .alternative = "ssh",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{
        .service = "login",
        .encrypted = false,
        .summary = "rlogin, BSD remote login: cleartext, and trusts the client's claimed user and "
                   "host (.rhosts, hosts.equiv)",
        .risks = "host-based trust can be spoofed for password-less login; sessions and "
                 "passwords readable on the path",
        .alternative = "ssh",
        .internet_exposure_ok = false,
        .aliases = "rlogin"},
    SecurityNote{
        .service = "shell",
        .encrypted = false,
        .summary = "rsh, BSD remote shell: runs commands with host-based trust, in cleartext",
        .risks = "host-based trust can be spoofed to run commands without a password; output "
                 "readable on the path",
        .alternative = "ssh",
        .internet_exposure_ok = false,
        .aliases = "rsh"},
    SecurityNote{
        .service = "exec",
        .encrypted = false,
        .summary = "rexec, BSD remote execution: user name and password sent in cleartext",
        .risks = "password sniffing and guessing; no protection of the command or its output",
        .alternative = "ssh",
        .internet_exposure_ok = false,
        .aliases = "rexec"},
    SecurityNote{
        .service = "ms-wbt-server",
        .encrypted = true,
        .summary = "Microsoft Remote Desktop (RDP): TLS-protected, with Network Level "
                   "Authentication on current Windows",
        .risks = "password spraying and brute force; pre-authentication flaws such as BlueKeep "
                 "(CVE-2019-0708); a leading entry point for ransomware; NLA disabled on old "
                 "configurations",
        .alternative = "reach it through a VPN or an RD Gateway with multi-factor authentication",
        .internet_exposure_ok = false,
        .aliases = "rdp"},
    SecurityNote{
        .service = "rfb",
        .encrypted = false,
        .summary = "VNC remote desktop (RFB protocol): screen and keystrokes unencrypted unless "
                   "the product adds its own encryption",
        .risks = "servers with no password; classic VNC authentication uses at most 8 password "
                 "characters and is easy to brute force; sessions readable on the path",
        .alternative = "tunnel VNC over ssh or a VPN, or use a remote desktop with TLS",
        .internet_exposure_ok = false,
        .aliases = "vnc vnc-http"},
    SecurityNote{.service = "x11",
                 .encrypted = false,
                 .summary = "X Window System display server listening on the network",
                 .risks =
                     "an open display (xhost +) lets anyone capture the screen, log keystrokes and "
                     "inject input; traffic is cleartext",
                 .alternative = "ssh X11 forwarding (ssh -X); start X servers with -nolisten tcp",
                 .internet_exposure_ok = false,
                 .aliases = ""},
    // File transfer and sharing.
    SecurityNote{.service = "ftp",
                 .encrypted = false,
                 .summary = "File Transfer Protocol: credentials and files travel in cleartext",
                 .risks =
                     "password sniffing; anonymous login left enabled; world-writable directories "
                     "used to host malware; bounce attacks through the PORT command",
                 .alternative = "sftp (over ssh) or ftps (FTP over TLS)",
                 .internet_exposure_ok = false,
                 .aliases = "ftp-data"},
    SecurityNote{
        .service = "tftp",
        .encrypted = false,
        .summary = "Trivial FTP: file transfer over UDP with no authentication at all",
        .risks = "anyone who can reach it can download (often upload) files: router and phone "
                 "configurations with passwords, boot images",
        .alternative = "sftp or https for file delivery; keep TFTP on an isolated provisioning "
                       "network",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{
        .service = "microsoft-ds",
        .encrypted = false,
        .summary = "SMB file and printer sharing and Windows domain operations; SMB 3 can "
                   "encrypt but rarely does by default",
        .risks = "wormable flaws (EternalBlue/MS17-010 behind WannaCry and NotPetya); NTLM relay "
                 "without signing; share and user enumeration; SMBv1 still enabled",
        .alternative = "block at the perimeter; inside, SMB 3 with signing (and encryption for "
                       "sensitive shares), SMBv1 disabled; a VPN for remote access",
        .internet_exposure_ok = false,
        .aliases = "smb"},
    SecurityNote{
        .service = "netbios-ssn",
        .encrypted = false,
        .summary = "SMB over NetBIOS session service, the legacy transport for Windows sharing",
        .risks = "the same flaws as SMB on 445, plus host, domain and share names disclosed to "
                 "anyone who asks",
        .alternative = "disable NetBIOS over TCP/IP; SMB on 445 inside the network only",
        .internet_exposure_ok = false,
        .aliases = "smb-netbios"},
    SecurityNote{.service = "netbios-ns",
                 .encrypted = false,
                 .summary = "NetBIOS name service: Windows name resolution by broadcast",
                 .risks =
                     "discloses host, domain and logged-on user names; spoofed answers (Responder) "
                     "capture NTLM credential hashes",
                 .alternative = "DNS; disable NetBIOS over TCP/IP and LLMNR",
                 .internet_exposure_ok = false,
                 .aliases = "nbns"},
    SecurityNote{.service = "netbios-dgm",
                 .encrypted = false,
                 .summary = "NetBIOS datagram service: browser announcements and broadcasts",
                 .risks = "leaks host and domain names; part of the legacy NetBIOS attack surface",
                 .alternative = "disable NetBIOS over TCP/IP",
                 .internet_exposure_ok = false,
                 .aliases = ""},
    SecurityNote{
        .service = "nfs",
        .encrypted = false,
        .summary = "Network File System; with the default AUTH_SYS it trusts the user and group "
                   "ids the client claims, and traffic is cleartext",
        .risks = "shares exported to everyone; root squashing turned off; any client root can "
                 "impersonate any user id",
        .alternative = "Kerberos security (sec=krb5p) and exports limited to named hosts",
        .internet_exposure_ok = false,
        .aliases = "nfsd"},
    SecurityNote{
        .service = "sunrpc",
        .encrypted = false,
        .summary = "ONC RPC port mapper (rpcbind): tells anyone which RPC services run on which "
                   "ports",
        .risks = "maps out NFS, NIS and other RPC services for an attacker; UDP reflection and "
                 "amplification in DDoS attacks",
        .alternative = "firewall it from untrusted networks; disable it on NFSv4-only servers",
        .internet_exposure_ok = false,
        .aliases = "rpcbind portmapper portmap"},
    SecurityNote{
        .service = "rsync",
        .encrypted = false,
        .summary = "rsync daemon: file synchronisation in cleartext, modules possibly readable "
                   "without a password",
        .risks = "anonymous modules exposing backups and whole file systems; writable modules",
        .alternative = "rsync over ssh",
        .internet_exposure_ok = false,
        .aliases = ""},
    // Web.
    SecurityNote{
        .service = "http",
        .encrypted = false,
        .summary = "cleartext web traffic: pages, cookies and credentials can be read and altered "
                   "on the path",
        .risks = "session theft and content injection; passwords in Basic authentication; the "
                 "web application's own flaws; exposed admin panels and default pages",
        .alternative = "https (serve a redirect here, with HSTS)",
        .internet_exposure_ok = true,
        .aliases = "www www-http http-alt http-proxy"},
    SecurityNote{.service = "https",
                 .encrypted = true,
                 .summary = "HTTP over TLS",
                 .risks =
                     "outdated TLS versions or weak ciphers; expired, self-signed or mismatched "
                     "certificates; the web application itself",
                 .alternative = "",
                 .internet_exposure_ok = true,
                 .aliases = "ssl/http https-alt"},
    // Mail.
    SecurityNote{
        .service = "smtp",
        .encrypted = false,
        .summary = "mail transfer between servers; cleartext unless STARTTLS is negotiated",
        .risks = "open relaying; user enumeration through VRFY/EXPN/RCPT; STARTTLS stripping by "
                 "an attacker on the path; spam abuse",
        .alternative = "enforce STARTTLS (MTA-STS, DANE) between servers; clients submit on "
                       "submissions (465)",
        .internet_exposure_ok = true,
        .aliases = ""},
    SecurityNote{.service = "submission",
                 .encrypted = false,
                 .summary = "mail submission by clients; encrypted only after STARTTLS",
                 .risks = "password guessing; credentials in cleartext if STARTTLS is not required",
                 .alternative = "submissions (465, implicit TLS), or require STARTTLS before AUTH",
                 .internet_exposure_ok = true,
                 .aliases = ""},
    SecurityNote{.service = "submissions",
                 .encrypted = true,
                 .summary = "mail submission over implicit TLS (RFC 8314)",
                 .risks = "password guessing; weak TLS configuration",
                 .alternative = "",
                 .internet_exposure_ok = true,
                 .aliases = "smtps ssmtp"},
    SecurityNote{.service = "pop3",
                 .encrypted = false,
                 .summary = "POP3 mailbox access; cleartext unless STARTTLS (STLS) is negotiated",
                 .risks = "password sniffing; STARTTLS stripping; password guessing",
                 .alternative = "pop3s (995)",
                 .internet_exposure_ok = false,
                 .aliases = "pop"},
    SecurityNote{.service = "pop3s",
                 .encrypted = true,
                 .summary = "POP3 over TLS",
                 .risks = "password guessing; weak TLS configuration",
                 .alternative = "",
                 .internet_exposure_ok = true,
                 .aliases = "spop3"},
    SecurityNote{.service = "imap",
                 .encrypted = false,
                 .summary = "IMAP mailbox access; cleartext unless STARTTLS is negotiated",
                 .risks = "password sniffing; STARTTLS stripping; password guessing",
                 .alternative = "imaps (993)",
                 .internet_exposure_ok = false,
                 .aliases = "imap2 imap4"},
    SecurityNote{.service = "imaps",
                 .encrypted = true,
                 .summary = "IMAP over TLS",
                 .risks = "password guessing; weak TLS configuration",
                 .alternative = "",
                 .internet_exposure_ok = true,
                 .aliases = ""},
    // Network infrastructure.
    SecurityNote{.service = "domain",
                 .encrypted = false,
                 .summary = "DNS: queries and answers in cleartext",
                 .risks = "open recursive resolvers abused for reflection and amplification; zone "
                          "transfers (AXFR) leaking internal names; cache poisoning",
                 .alternative =
                     "DNS over TLS (853) or HTTPS for clients; DNSSEC for integrity; recursion "
                     "only for your own networks",
                 .internet_exposure_ok = true,
                 .aliases = "dns"},
    SecurityNote{.service = "ntp",
                 .encrypted = false,
                 .summary = "Network Time Protocol; unauthenticated by default",
                 .risks = "the monlist command amplifies reflection attacks (CVE-2013-5211) on old "
                          "servers; forged time breaks certificate and Kerberos checks",
                 .alternative =
                     "Network Time Security (NTS, RFC 8915); disable monlist and mode 6/7 "
                     "queries",
                 .internet_exposure_ok = true,
                 .aliases = ""},
    SecurityNote{
        .service = "snmp",
        .encrypted = false,
        .summary = "network management over UDP; SNMP v1/v2c authenticate with a cleartext "
                   "community string",
        .risks = "default communities (public/private) disclose or rewrite device configuration; "
                 "community strings sniffable; reflection and amplification",
        .alternative = "SNMPv3 with authPriv (authentication and encryption)",
        .internet_exposure_ok = false,
        .aliases = "snmptrap snmp-trap"},
    SecurityNote{
        .service = "ldap",
        .encrypted = false,
        .summary = "directory access; cleartext unless StartTLS is used (UDP 389 is "
                   "connectionless LDAP)",
        .risks = "anonymous binds disclosing users and groups; passwords of simple binds readable "
                 "on the path; relay attacks without LDAP signing and channel binding; CLDAP "
                 "reflection",
        .alternative = "ldaps (636) or StartTLS, with LDAP signing and channel binding required",
        .internet_exposure_ok = false,
        .aliases = "cldap"},
    SecurityNote{.service = "ldaps",
                 .encrypted = true,
                 .summary = "LDAP over TLS",
                 .risks =
                     "directory contents exposed through weak access controls; clients that do not "
                     "validate the server certificate",
                 .alternative = "",
                 .internet_exposure_ok = false,
                 .aliases = ""},
    SecurityNote{.service = "asf-rmcp",
                 .encrypted = false,
                 .summary = "IPMI over LAN (RMCP), the baseboard management controller of a server",
                 .risks =
                     "cipher suite 0 allows login without a password; the RAKP handshake discloses "
                     "password hashes to anyone; default BMC credentials; full control of the "
                     "machine below the OS",
                 .alternative = "a dedicated, isolated management network; the BMC's HTTPS/Redfish "
                                "interface",
                 .internet_exposure_ok = false,
                 .aliases = "ipmi rmcp"},
    // Databases and data stores.
    SecurityNote{
        .service = "mysql",
        .encrypted = false,
        .summary = "MySQL/MariaDB server; TLS is optional and often not required",
        .risks = "password guessing; empty or default root passwords; data theft; traffic "
                 "readable when TLS is off",
        .alternative = "bind to localhost or a private network; require_secure_transport=ON",
        .internet_exposure_ok = false,
        .aliases = "mariadb"},
    SecurityNote{
        .service = "postgresql",
        .encrypted = false,
        .summary = "PostgreSQL server; TLS is optional and often not required",
        .risks = "password guessing; 'trust' entries in pg_hba.conf; data theft; superusers can "
                 "run programs on the server (COPY ... PROGRAM)",
        .alternative = "listen on private addresses only; hostssl rules with scram-sha-256 in "
                       "pg_hba.conf",
        .internet_exposure_ok = false,
        .aliases = "postgres"},
    SecurityNote{
        .service = "ms-sql-s",
        .encrypted = false,
        .summary = "Microsoft SQL Server (TDS); the login is protected but data is cleartext "
                   "unless encryption is forced",
        .risks = "brute force of 'sa' and SQL logins; xp_cmdshell gives command execution; data "
                 "theft",
        .alternative = "private network only; Force Encryption; Windows authentication",
        .internet_exposure_ok = false,
        .aliases = "mssql ms-sql-m"},
    SecurityNote{.service = "oracle-tns",
                 .encrypted = false,
                 .summary =
                     "Oracle database TNS listener; encrypted only if native network encryption "
                     "or TLS is configured",
                 .risks = "SID and service name guessing; default accounts; TNS poisoning on old "
                          "listeners; data theft",
                 .alternative = "private network only; native network encryption or TLS (2484)",
                 .internet_exposure_ok = false,
                 .aliases = "ttc"},
    SecurityNote{
        .service = "mongodb",
        .encrypted = false,
        .summary = "MongoDB server; releases before 3.6 listened on all interfaces with no "
                   "authentication",
        .risks = "unauthenticated instances mass-copied, wiped and held to ransom; traffic "
                 "readable without TLS",
        .alternative = "enable authentication, bind to private addresses, require TLS",
        .internet_exposure_ok = false,
        .aliases = "mongod"},
    SecurityNote{
        .service = "redis",
        .encrypted = false,
        .summary = "Redis key-value store: cleartext, and historically no authentication",
        .risks = "unauthenticated access gives data theft and remote code execution (CONFIG SET "
                 "to write ssh keys or cron jobs, module loading)",
        .alternative = "bind to localhost, protected-mode on, ACL passwords, TLS",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{
        .service = "memcache",
        .encrypted = false,
        .summary = "memcached: cleartext with no authentication in its usual configuration",
        .risks = "cached data (sessions, tokens) readable and writable; UDP reflection amplified "
                 "tens of thousands of times (record DDoS attacks of 2018)",
        .alternative = "bind to localhost or a private network, disable UDP (-U 0), SASL",
        .internet_exposure_ok = false,
        .aliases = "memcached"},
    SecurityNote{.service = "elasticsearch",
                 .encrypted = false,
                 .summary = "Elasticsearch REST API; security was off by default before version 8",
                 .risks =
                     "anyone can read, delete or ransom the indexes; unauthenticated clusters leak "
                     "billions of records every year",
                 .alternative = "enable security (TLS and authentication); private network only",
                 .internet_exposure_ok = false,
                 .aliases = "opensearch"},
    // Containers and orchestration.
    SecurityNote{
        .service = "docker",
        .encrypted = false,
        .summary = "Docker Engine API over plain HTTP, with no authentication",
        .risks = "whoever reaches it is root on the host: start privileged containers, mount the "
                 "host file system; mass-exploited for cryptomining",
        .alternative = "docker-s (2376) with mutual TLS, or the local UNIX socket / ssh:// access",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{.service = "docker-s",
                 .encrypted = true,
                 .summary =
                     "Docker Engine API over TLS; safe only when client certificates are verified "
                     "(--tlsverify)",
                 .risks = "without client certificate verification it is as open as port 2375",
                 .alternative = "",
                 .internet_exposure_ok = false,
                 .aliases = ""},
    SecurityNote{
        .service = "kubelet",
        .encrypted = true,
        .summary = "Kubernetes kubelet API (HTTPS on 10250; the deprecated read-only port 10255 "
                   "is cleartext)",
        .risks = "with anonymous authentication enabled anyone can list pods and run commands in "
                 "them; the read-only port leaks pod specs and environment",
        .alternative = "--anonymous-auth=false with Webhook authorization; reachable from the "
                       "control plane only",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{
        .service = "etcd-client",
        .encrypted = false,
        .summary = "etcd key-value store, which holds all Kubernetes state including Secrets",
        .risks = "without client certificate authentication anyone can read every secret of the "
                 "cluster",
        .alternative = "TLS with client certificates (--client-cert-auth); control-plane network "
                       "only",
        .internet_exposure_ok = false,
        .aliases = "etcd"},
    // Messaging and devices.
    SecurityNote{
        .service = "mqtt",
        .encrypted = false,
        .summary = "MQTT message broker in cleartext; anonymous access is a common default",
        .risks = "reading and publishing to any topic, often controlling IoT devices; "
                 "credentials sniffable",
        .alternative = "secure-mqtt (8883, MQTT over TLS) with authentication and topic ACLs",
        .internet_exposure_ok = false,
        .aliases = ""},
    SecurityNote{
        .service = "pdl-datastream",
        .encrypted = false,
        .summary = "raw printing (JetDirect/AppSocket): accepts any job without authentication",
        .risks = "PJL and PostScript commands read stored jobs and files, change settings or "
                 "brick the printer; unwanted printing",
        .alternative = "IPP over TLS (ipps) from a print server; printers on their own network",
        .internet_exposure_ok = false,
        .aliases = "jetdirect hp-pdl-datastr"},
    SecurityNote{.service = "ssdp",
                 .encrypted = false,
                 .summary = "UPnP discovery (SSDP) over UDP",
                 .risks =
                     "reflection and amplification in DDoS attacks; UPnP devices may let anyone "
                     "open ports in the router",
                 .alternative = "keep it on the local network; disable UPnP on internet gateways",
                 .internet_exposure_ok = false,
                 .aliases = "upnp"},
    SecurityNote{.service = "chargen",
                 .encrypted = false,
                 .summary = "character generator, a test service from 1983 with no current use",
                 .risks = "UDP reflection and amplification in DDoS attacks",
                 .alternative = "disable it",
                 .internet_exposure_ok = false,
                 .aliases = ""},
};

constexpr std::array kCommonPorts = {
    CommonPort{1521, 1521, Protocol::kTcp, "Oracle database TNS listener", "oracle-tns"},
    CommonPort{1526, 1526, Protocol::kTcp, "Oracle database TNS listener (alternate)",
               "oracle-tns"},
    CommonPort{5900, 5909, Protocol::kTcp, "VNC displays :0 to :9", "rfb"},
    CommonPort{5800, 5809, Protocol::kTcp, "VNC Java/HTTP viewer", "rfb"},
    CommonPort{9200, 9200, Protocol::kTcp, "Elasticsearch/OpenSearch REST API", "elasticsearch"},
    CommonPort{9300, 9300, Protocol::kTcp, "Elasticsearch transport (node to node)",
               "elasticsearch"},
    CommonPort{10250, 10250, Protocol::kTcp, "Kubernetes kubelet API", "kubelet"},
    CommonPort{10255, 10255, Protocol::kTcp, "Kubernetes kubelet read-only API (deprecated)",
               "kubelet"},
    CommonPort{6443, 6443, Protocol::kTcp, "Kubernetes API server", ""},
    CommonPort{2377, 2377, Protocol::kTcp, "Docker Swarm cluster management", ""},
    CommonPort{6380, 6380, Protocol::kTcp, "Redis (second instance or TLS)", "redis"},
    CommonPort{27018, 27019, Protocol::kTcp, "MongoDB shard and config servers", "mongodb"},
    CommonPort{33060, 33060, Protocol::kTcp, "MySQL X Protocol", "mysql"},
    CommonPort{1434, 1434, Protocol::kUdp, "SQL Server Browser", "ms-sql-s"},
    CommonPort{3000, 3000, Protocol::kTcp, "Grafana; Node.js, Rails and other dev servers", ""},
    CommonPort{5000, 5000, Protocol::kTcp, "Flask and other dev servers; Docker registry; UPnP",
               ""},
    CommonPort{5601, 5601, Protocol::kTcp, "Kibana", ""},
    CommonPort{8080, 8080, Protocol::kTcp, "HTTP alternate: proxies, Tomcat, Jenkins", "http"},
    CommonPort{8443, 8443, Protocol::kTcp, "HTTPS alternate: admin consoles, Tomcat", "https"},
    CommonPort{8000, 8000, Protocol::kTcp, "HTTP alternate: dev servers, Splunk web", "http"},
    CommonPort{8888, 8888, Protocol::kTcp, "HTTP alternate: Jupyter, proxies", "http"},
    CommonPort{9090, 9090, Protocol::kTcp, "Prometheus; Cockpit web console", ""},
    CommonPort{9100, 9100, Protocol::kTcp, "raw printing; Prometheus node_exporter", ""},
    CommonPort{9092, 9092, Protocol::kTcp, "Apache Kafka broker", ""},
    CommonPort{15672, 15672, Protocol::kTcp, "RabbitMQ management UI", ""},
    CommonPort{8291, 8291, Protocol::kTcp, "MikroTik Winbox", ""},
    CommonPort{7547, 7547, Protocol::kTcp, "TR-069 (CWMP) router management", ""},
    CommonPort{4786, 4786, Protocol::kTcp, "Cisco Smart Install", ""},
    CommonPort{51820, 51820, Protocol::kUdp, "WireGuard", ""},
    CommonPort{443, 443, Protocol::kUdp, "HTTP/3 (QUIC)", "https"},
    CommonPort{3389, 3389, Protocol::kUdp, "RDP UDP transport", "ms-wbt-server"},
    CommonPort{10000, 10000, Protocol::kTcp, "Webmin", ""},
    CommonPort{25565, 25565, Protocol::kTcp, "Minecraft server", ""},
    CommonPort{32400, 32400, Protocol::kTcp, "Plex Media Server", ""},
};

}  // namespace

std::span<const SecurityNote> builtin_security_notes() {
  return kNotes;
}
std::span<const CommonPort> builtin_common_ports() {
  return kCommonPorts;
}

}  // namespace portolan
