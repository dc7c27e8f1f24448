#include "ioc/cidr_table.h"

#include <algorithm>

namespace ashiato::ioc {
namespace {

bool is_max(const IpAddress& a) {
  return a.lo == (a.v6 ? ~0ULL : 0xFFFFFFFFULL) && (!a.v6 || a.hi == ~0ULL);
}

IpAddress next(IpAddress a) {  // not called on the family's last address
  if (++a.lo == 0) ++a.hi;
  return a;
}

IpAddress previous(IpAddress a) {  // not called on 0
  if (a.lo-- == 0) --a.hi;
  return a;
}

}  // namespace

CidrTable::CidrTable(const std::vector<std::pair<IpNetwork, int>>& networks) {
  std::vector<std::pair<IpNetwork, int>> v4, v6;
  for (const auto& n : networks) (n.first.first.v6 ? v6 : v4).push_back(n);
  build(v4, ranges_);
  build(v6, ranges_);
}

void CidrTable::build(std::vector<std::pair<IpNetwork, int>>& networks, std::vector<Range>& out) {
  // By start, the wider network first; a repeated network keeps its first value.
  std::stable_sort(networks.begin(), networks.end(), [](const auto& a, const auto& b) {
    if (a.first.first != b.first.first) return a.first.first < b.first.first;
    return a.first.prefix < b.first.prefix;
  });
  networks.erase(std::unique(networks.begin(), networks.end(),
                             [](const auto& a, const auto& b) {
                               return a.first.first == b.first.first && a.first.prefix == b.first.prefix;
                             }),
                 networks.end());

  struct Open {
    IpAddress last;
    int value;
  };
  std::vector<Open> stack;  // networks holding the cursor, innermost last
  IpAddress cursor{};
  bool exhausted = false;  // the cursor went past the family's last address
  auto emit = [&](const IpAddress& from, const IpAddress& to, int value) {
    if (exhausted || to < from) return;
    if (!out.empty() && out.back().value == value && out.back().last.v6 == from.v6 && !is_max(out.back().last) &&
        next(out.back().last) == from) {
      out.back().last = to;
    } else {
      out.push_back(Range{from, to, value});
    }
  };
  auto close_top = [&]() {
    const Open top = stack.back();
    stack.pop_back();
    emit(cursor, top.last, top.value);
    if (is_max(top.last)) {
      exhausted = true;
    } else if (!exhausted) {
      cursor = next(top.last);
    }
  };
  for (const auto& [network, value] : networks) {
    while (!stack.empty() && stack.back().last < network.first) close_top();
    if (!stack.empty() && cursor < network.first) emit(cursor, previous(network.first), stack.back().value);
    cursor = network.first;
    exhausted = false;
    stack.push_back(Open{network.last(), value});
  }
  while (!stack.empty()) close_top();
}

int CidrTable::find(const IpAddress& address) const {
  // The last range starting at or before the address.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                             [](const IpAddress& a, const Range& r) { return a < r.first; });
  if (it == ranges_.begin()) return -1;
  --it;
  return address <= it->last ? it->value : -1;
}

}  // namespace ashiato::ioc
