#include "logs/device_formats.h"

#include "logs/device_format_list.h"

namespace ashiato::logs {

std::vector<const LogFormat*> device_formats() {
  return {&iptables_format(),    &fortigate_format(), &paloalto_format(),  &cisco_asa_format(),   &bind_query_format(),
          &windows_dns_format(), &dnsmasq_format(),   &isc_dhcpd_format(), &windows_dhcp_format()};
}

}  // namespace ashiato::logs
