// Which of many CIDR networks holds an address: networks flattened into sorted, disjoint ranges
// (each range knows the narrowest network covering it), found by binary search. CIDR networks
// are either nested or disjoint, so one sweep builds the ranges.
#pragma once
#include <vector>

#include "ioc/ip_address.h"

namespace ashiato::ioc {

class CidrTable {
 public:
  CidrTable() = default;
  // `networks` pairs each network with the value lookups return for it; a network listed twice
  // keeps its first value.
  explicit CidrTable(const std::vector<std::pair<IpNetwork, int>>& networks);

  // The value of the narrowest network holding `address`, or -1.
  int find(const IpAddress& address) const;
  bool empty() const { return ranges_.empty(); }
  std::size_t ranges() const { return ranges_.size(); }

 private:
  struct Range {
    IpAddress first, last;
    int value;
  };
  static void build(std::vector<std::pair<IpNetwork, int>>& networks, std::vector<Range>& out);

  std::vector<Range> ranges_;  // IPv4 ranges first (IpAddress orders IPv4 before IPv6)
};

}  // namespace ashiato::ioc
