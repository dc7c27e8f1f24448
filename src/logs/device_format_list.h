// The formats of network devices and servers, one file each; device_formats() lists them.
#pragma once
#include "logs/line_format.h"

namespace ashiato::logs {

// firewalls
const LogFormat& iptables_format();
const LogFormat& fortigate_format();
const LogFormat& paloalto_format();
const LogFormat& cisco_asa_format();
// DNS servers
const LogFormat& bind_query_format();
const LogFormat& windows_dns_format();
const LogFormat& dnsmasq_format();
// DHCP servers
const LogFormat& isc_dhcpd_format();
const LogFormat& windows_dhcp_format();

}  // namespace ashiato::logs
