#include "sigma/engine/network_logsource.h"

namespace ashiato::sigma {

std::vector<EventGate> network_gates(const LogSource& ls) {
  if (ls.product == "zeek") return {EventGate{{"zeek"}, {}, nullptr, "zeek"}};
  if (!ls.product.empty() && ls.product != "linux" && ls.product != "windows") {
    // Vendor-specific rules (e.g. product: fortios) still apply to that vendor's firewall logs.
    if (ls.category == "firewall") return {EventGate{{"firewall"}, {}, nullptr, "firewall"}};
    return {};
  }
  const std::string& c = ls.category;
  if (c == "proxy" || c == "firewall" || c == "dns" || c == "webserver") return {EventGate{{c}, {}, nullptr, c}};
  return {};
}

}  // namespace ashiato::sigma
