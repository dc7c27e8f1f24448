// ashiato blocklist: the case's C2 indicators as configuration for a firewall, proxy, resolver or
// hosts file, each entry commented with where it came from and when the logs saw it.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "case/case_store.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "ioc/indicator.h"
#include "report/blocklist.h"

namespace ashiato::cli {
namespace {

struct BlocklistCommandOptions {
  std::string case_dir;
  std::string format = "plain";
  std::string output;
  std::vector<std::string> own;
  std::uint32_t serial = 1;
  bool confirmed_only = false;
  bool quiet = false;
};

// Indicators from the case, with what the logs saw of each: an indicator is confirmed when an
// "ioc" finding names it (rule_id is the indicator's value, dst where the request went).
std::vector<report::BlockEntry> entries_from_case(cases::CaseStore& store) {
  std::vector<report::BlockEntry> entries;
  std::map<std::string, std::size_t> by_value;
  for (const cases::IndicatorRecord& i : store.indicators()) {
    by_value.emplace(i.value, entries.size());
    entries.push_back(report::BlockEntry{i.type, i.value, i.source, i.label, 0, std::nullopt, std::nullopt, {}});
  }
  std::map<std::size_t, std::set<std::string>> destinations;
  for (const cases::FindingRecord& f : store.findings()) {
    if (f.kind != FindingKind::kIndicator || f.rule_id.empty()) continue;
    auto it = by_value.find(f.rule_id);
    if (it == by_value.end()) {
      // A finding whose indicator is not in the table (a case from another tool): typed from its value.
      const auto classified = ioc::classify(f.rule_id);
      report::BlockEntry e;
      e.type = classified ? std::string(ioc::type_name(classified->type)) : "unknown";
      e.value = classified ? classified->value : f.rule_id;
      e.source = "case findings";
      it = by_value.emplace(f.rule_id, entries.size()).first;
      entries.push_back(std::move(e));
    }
    report::BlockEntry& e = entries[it->second];
    ++e.hits;
    if (!e.first_contact || f.time < *e.first_contact) e.first_contact = f.time;
    if (!e.last_contact || f.time > *e.last_contact) e.last_contact = f.time;
    if (!f.dst.empty()) destinations[it->second].insert(f.dst);
  }
  for (auto& [index, names] : destinations) entries[index].destinations.assign(names.begin(), names.end());
  // An accepted C2 candidate was seen in the logs as the candidate's contacts (evidence read before
  // it was accepted is not swept again).
  for (const cases::CandidateRecord& c : store.candidates()) {
    const auto it = by_value.find(c.destination);
    if (c.decision != "accepted" || it == by_value.end()) continue;
    report::BlockEntry& e = entries[it->second];
    e.hits = std::max<std::int64_t>(e.hits, c.connections);
    if (!e.first_contact || c.first < *e.first_contact) e.first_contact = c.first;
    if (!e.last_contact || c.last > *e.last_contact) e.last_contact = c.last;
  }
  return entries;
}

int run_blocklist(const BlocklistCommandOptions& o) {
  if (!std::filesystem::exists(std::filesystem::path(o.case_dir) / "case.sqlite")) {
    std::fprintf(stderr, "ashiato: %s: no case here (case.sqlite is missing)\n", o.case_dir.c_str());
    return kRuntimeError;
  }
  cases::CaseStore store(o.case_dir);
  const std::vector<report::BlockEntry> entries = entries_from_case(store);
  report::BlocklistOptions options;
  options.confirmed_only = o.confirmed_only;
  options.own_networks = o.own;
  options.rpz_serial = o.serial;
  const report::Blocklist list =
      report::build_blocklist(entries, *report::blocklist_format_from_name(o.format), options);
  OutputFile out(o.output);
  out.write(list.text);
  out.close();
  if (!o.quiet) {
    for (const std::string& w : list.warnings) std::fprintf(stderr, "ashiato: warning: %s\n", w.c_str());
    std::size_t confirmed = 0;
    for (const auto& e : entries) confirmed += e.confirmed() ? 1 : 0;
    std::fprintf(stderr, "ashiato: %zu %s entries from %zu indicators (%zu seen in the logs)%s\n", list.entries,
                 o.format.c_str(), entries.size(), confirmed,
                 list.refused > 0 ? (", " + std::to_string(list.refused) + " refused").c_str() : "");
    if (entries.empty())
      std::fprintf(stderr, "ashiato: the case has no indicators: run ashiato sweep or investigate\n");
  }
  return kSuccess;
}

}  // namespace

void register_blocklist(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<BlocklistCommandOptions>();
  CLI::App* cmd = root.add_subcommand(
      "blocklist", "Write the case's C2 indicators as nftables, iptables, Squid, RPZ, hosts or EDL block lists");
  cmd->add_option("--case", o->case_dir, "The case folder")->required();
  std::vector<std::string> formats;
  for (auto name : report::blocklist_format_names()) formats.emplace_back(name);
  cmd->add_option("-f,--format", o->format, "Block list format")->check(CLI::IsMember(formats))->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write to this file instead of standard output");
  cmd->add_flag("--confirmed-only", o->confirmed_only, "Only indicators the logs show were contacted");
  cmd->add_option("--own", o->own,
                  "The organisation's own networks (CIDR, repeatable): entries inside them are warned about");
  cmd->add_option("--serial", o->serial, "SOA serial of the RPZ zone (raise it for secondaries to transfer)")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print warnings and the summary on stderr");
  cmd->footer(
      "Formats: nftables (nft -f), iptables / ip6tables (iptables-restore --noflush), squid (ACL lines to\n"
      "include in squid.conf), rpz (a DNS Response Policy Zone for BIND, Unbound, PowerDNS), hosts,\n"
      "edl-ip / edl-domain / edl-url (Palo Alto external dynamic lists), plain (value, type, source).\n"
      "Every entry carries a comment with the indicator's source and, when the logs saw it, first and\n"
      "last contact and hit count. Formats that cannot block a kind of indicator list it in a comment\n"
      "(nftables cannot block domains; DNS formats leave URLs to the proxy, since a URL's host may be a\n"
      "legitimate site broken into). Hashes, User-Agents and e-mail addresses appear only in plain.\n"
      "Networks wider than /8 (IPv6 /16) are refused; private and --own ranges are kept with a warning.\n"
      "The output is sorted and the same for the same case. Details: docs/first-response.md.\n"
      "Exit codes: 0 written; 1 no case, or the output could not be written; 2 usage error.\n"
      "Examples:\n"
      "  ashiato blocklist --case case-2015-042 -f nftables -o c2.nft && nft -f c2.nft\n"
      "  ashiato blocklist --case case-2015-042 -f squid --own 203.0.113.0/24 -o /etc/squid/ashiato-c2.conf\n"
      "  ashiato blocklist --case case-2015-042 -f rpz --serial $(date +%s) -o /etc/bind/ashiato-c2.rpz\n"
      "  ashiato blocklist --case case-2015-042 -f edl-ip --confirmed-only -o /var/www/edl/c2-ip.txt\n"
      "  ashiato blocklist --case case-2015-042 -f plain | cut -f1,2");
  cmd->callback([o, &exit_code] {
    for (const std::string& cidr : o->own) {
      try {
        report::build_blocklist({}, report::BlocklistFormat::kPlain, report::BlocklistOptions{false, {cidr}, 1});
      } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--own", e.what());
      }
    }
    exit_code = run_blocklist(*o);
  });
}

}  // namespace ashiato::cli
