#include "analyze/attribution.h"

#include <algorithm>

namespace ashiato::analyze {
namespace {

bool is_address(std::string_view s) {
  return !s.empty() && s != "-" && s != "127.0.0.1" && s != "::1" && s != "0.0.0.0";
}

std::string upper_host(std::string_view s) {
  // Windows names the same machine PC-023, pc-023 and PC-023$ in different places.
  std::string h(s);
  if (!h.empty() && h.back() == '$') h.pop_back();
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return h;
}

// "pc-023.corp.local" → "PC-023": the report names hosts as Windows does.
std::string short_host(std::string_view s) {
  std::string h = upper_host(s);
  const std::size_t dot = h.find('.');
  if (dot != std::string::npos && dot > 0 && !std::isdigit(static_cast<unsigned char>(h[0]))) h.resize(dot);
  return h;
}

bool dhcp_lease(std::string_view action) {
  // ISC dhcpd's DHCPACK; Windows DHCP's "Assign" and "Renew"; dnsmasq's DHCPACK(eth0).
  return action.starts_with("DHCPACK") || action == "Assign" || action == "Renew";
}

}  // namespace

void AttributionTable::add(const std::string& kind, std::string_view ip, std::string_view host, std::string_view user,
                           std::string_view mac, Timestamp time) {
  constexpr std::int64_t kDay = 86400LL * 10'000'000;
  Key key{kind,
          std::string(ip),
          std::string(host),
          std::string(user),
          std::string(mac),
          kind == "dhcp" || kind == "proxy" ? time.ticks / kDay : 0};
  auto found = entries_.find(key);
  if (found == entries_.end() && entries_.size() >= kMaxEntries) {
    ++dropped_;
    return;
  }
  auto [it, inserted] = found != entries_.end() ? std::pair{found, false} : entries_.try_emplace(std::move(key));
  Attribution& a = it->second;
  if (inserted) {
    a.kind = kind;
    a.ip = std::get<1>(it->first);
    a.host = std::get<2>(it->first);
    a.user = std::get<3>(it->first);
    a.mac = std::get<4>(it->first);
    a.first = a.last = time;
  }
  a.first = std::min(a.first, time);
  a.last = std::max(a.last, time);
  ++a.count;
}

void AttributionTable::merge(const AttributionTable& other) {
  dropped_ += other.dropped_;
  for (const auto& [key, a] : other.entries_) {
    if (entries_.size() >= kMaxEntries && !entries_.count(key)) {
      dropped_ += a.count;
      continue;
    }
    auto [it, inserted] = entries_.try_emplace(key, a);
    if (!inserted) {
      it->second.first = std::min(it->second.first, a.first);
      it->second.last = std::max(it->second.last, a.last);
      it->second.count += a.count;
    }
  }
}

std::vector<Attribution> AttributionTable::list() const {
  std::vector<Attribution> out;
  out.reserve(entries_.size());
  for (const auto& [key, a] : entries_) out.push_back(a);
  return out;
}

AttributionCollector::AttributionCollector()
    : channel_(intern_field("Channel")),
      event_id_(intern_field("EventID")),
      computer_(intern_field("Computer")),
      ip_address_(intern_field("IpAddress")),
      workstation_(intern_field("WorkstationName")),
      target_user_(intern_field("TargetUserName")),
      subject_user_(intern_field("SubjectUserName")),
      logon_type_(intern_field("LogonType")),
      src_ip_(intern_field("src_ip")),
      hostname_(intern_field("hostname")),
      mac_(intern_field("mac")),
      user_(intern_field("user")),
      action_(intern_field("action")),
      log_format_(intern_field("log_format")) {}

void AttributionCollector::observe(const Event& e, AttributionTable& table) const {
  const auto channel = e.get(channel_);
  if (!channel) return;
  if (*channel == "Security") {
    const auto id = e.get(event_id_).value_or("");
    const std::string computer = short_host(e.get(computer_).value_or(""));
    if (id == "4624") {
      const auto user = e.get(target_user_).value_or("");
      const auto ip = e.get(ip_address_).value_or("");
      const auto workstation = e.get(workstation_).value_or("");
      if (is_address(ip) && !workstation.empty() && workstation != "-") {
        table.add("logon", ip, short_host(workstation), user, "", e.time());
      }
      // Machine accounts (NAME$) and the system's own logons say nothing about people.
      if (!user.empty() && user.back() != '$' && user != "SYSTEM" && user != "ANONYMOUS LOGON" && user != "-") {
        table.add("account", is_address(ip) ? ip : "", computer, user, "", e.time());
      }
    } else if (id == "4672") {
      const auto user = e.get(subject_user_).value_or("");
      if (!user.empty() && user.back() != '$' && user != "SYSTEM" && user != "LOCAL SERVICE" &&
          user != "NETWORK SERVICE") {
        table.add("privileged", "", computer, user, "", e.time());
      }
    }
    return;
  }
  if (*channel == "dhcp") {
    const auto ip = e.get(src_ip_).value_or("");
    const auto host = e.get(hostname_).value_or("");
    if (is_address(ip) && !host.empty() && dhcp_lease(e.get(action_).value_or(""))) {
      table.add("dhcp", ip, short_host(host), "", e.get(mac_).value_or(""), e.time());
    }
    return;
  }
  if (*channel == "proxy") {
    const auto ip = e.get(src_ip_).value_or("");
    const auto user = e.get(user_).value_or("");
    if (is_address(ip) && !user.empty() && user != "-") table.add("proxy", ip, "", user, "", e.time());
  }
}

namespace {

struct AttributionFacts : DetectorFacts {
  AttributionTable table;
};

class AttributionRun : public EventRun {
 public:
  explicit AttributionRun(const AttributionCollector& collector) : collector_(collector) {}
  void observe(const Event& e) override { collector_.observe(e, table); }
  AttributionTable table;

 private:
  const AttributionCollector& collector_;
};

}  // namespace

std::unique_ptr<EventRun> AttributionDetector::start_run(const FileScan& /*file*/) const {
  return std::make_unique<AttributionRun>(collector_);
}

void AttributionDetector::end_run(EventRun& run, FileScan& file) const {
  auto& r = static_cast<AttributionRun&>(run);
  if (r.table.empty()) return;
  facts<AttributionFacts>(file).table.merge(r.table);
  r.table = AttributionTable();
}

void AttributionDetector::end_file(FileScan& file) {
  const AttributionTable& t = table(file);
  if (t.dropped() == 0 || file.problems == nullptr) return;
  file.problems->report(Problem{file.source.path, 0, "",
                                std::to_string(t.dropped()) +
                                    " address/host/user observations not kept: more distinct ones than " +
                                    std::to_string(AttributionTable::kMaxEntries) + " in one file",
                                true});
}

const AttributionTable& AttributionDetector::table(const FileScan& file) const {
  static const AttributionTable kNone;
  const auto* f = facts<AttributionFacts>(file);
  return f != nullptr ? f->table : kNone;
}

}  // namespace ashiato::analyze
