// Who was behind an address: as events stream past, collects "IP a.b.c.d was host H / user U
// between t1 and t2" from DHCP leases, Windows logons (4624 IpAddress + WorkstationName), proxy
// user names, and which accounts logged on where (4624) or held special privileges (4672).
// State is one small record per distinct (kind, ip, host, user), not per event.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "analyze/detector.h"
#include "core/event.h"

namespace ashiato::analyze {

struct Attribution {
  std::string kind;  // dhcp, logon (address → workstation), proxy (address → user),
                     // account (user logged on to host), privileged (user got admin rights on host)
  std::string ip, host, user, mac;
  Timestamp first, last;
  std::uint64_t count = 0;
};

// Per-key aggregation; merge() combines the tables of blocks or files.
class AttributionTable {
 public:
  void add(const std::string& kind, std::string_view ip, std::string_view host, std::string_view user,
           std::string_view mac, Timestamp time);
  void merge(const AttributionTable& other);
  std::vector<Attribution> list() const;
  bool empty() const { return entries_.empty(); }
  // Observations left out because the table was full (see kMaxEntries).
  std::uint64_t dropped() const { return dropped_; }
  // Memory stays bounded whatever the logs hold (a proxy log where every address has many users
  // would otherwise grow it with the input); real networks stay far below this.
  static constexpr std::size_t kMaxEntries = 1 << 18;

 private:
  // The last element splits a key by day for DHCP and proxy users, so that an address that went
  // from one PC to another and back stays resolvable to the right PC and user at a time.
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string, std::int64_t>;
  std::map<Key, Attribution> entries_;
  std::uint64_t dropped_ = 0;
};

class AttributionCollector {
 public:
  AttributionCollector();
  void observe(const Event& event, AttributionTable& table) const;

 private:
  FieldId channel_, event_id_, computer_, ip_address_, workstation_, target_user_, subject_user_, logon_type_;
  FieldId src_ip_, hostname_, mac_, user_, action_, log_format_;
};

// Attribution as a detector: its facts are each file's AttributionTable.
class AttributionDetector : public Detector {
 public:
  std::string_view name() const override { return "attribution"; }
  std::unique_ptr<EventRun> start_run(const FileScan& file) const override;
  void end_run(EventRun& run, FileScan& file) const override;
  // Reports observations left out because the file's table was full.
  void end_file(FileScan& file) override;

  // The file's attributions (empty when it had none).
  const AttributionTable& table(const FileScan& file) const;

 private:
  AttributionCollector collector_;
};

}  // namespace ashiato::analyze
