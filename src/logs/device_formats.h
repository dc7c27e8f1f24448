// Formats of network devices and servers: firewalls (iptables/netfilter, FortiGate, Palo Alto,
// Cisco ASA), DNS servers (BIND query log, Windows DNS debug log, dnsmasq) and DHCP servers
// (ISC dhcpd, Windows DHCP audit log). Each format is one file; this lists them for detection.
#pragma once
#include <vector>

#include "logs/line_format.h"

namespace ashiato::logs {

std::vector<const LogFormat*> device_formats();

}  // namespace ashiato::logs
