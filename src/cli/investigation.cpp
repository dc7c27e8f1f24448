#include "cli/investigation.h"

#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "analyze/evidence_scan.h"
#include "analyze/sweep_summary.h"
#include "case/case_store.h"
#include "case/file_digest.h"
#include "ioc/indicator_matcher.h"
#include "logs/line_tokens.h"
#include "report/case_report.h"
#include "report/html_report.h"

namespace ashiato::cli {
namespace {

std::string joined(const std::vector<std::string>& v, char sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

cases::FindingRecord from_hit(const analyze::IocHit& h, const ioc::IndicatorMatcher& matcher) {
  const ioc::Indicator& i = matcher.indicators()[h.indicator];
  cases::FindingRecord f;
  f.kind = "ioc";
  f.level = "high";
  f.title = "C2 communication: " + i.value;
  f.rule_id = i.value;
  f.time = h.time;
  f.host = analyze::internal_host(h);
  f.src_ip = h.src_ip;
  f.user = h.user;
  f.dst = h.dst;
  f.channel = h.category;
  f.event_id = h.log_format;
  std::string details = h.method;
  for (const std::string* part : {&h.url, &h.status}) {
    if (!part->empty()) details += (details.empty() ? "" : " ") + *part;
  }
  if (h.bytes > 0) details += " " + std::to_string(h.bytes) + " bytes";
  f.details = details.empty() ? "matched in " + h.field : details + " (matched in " + h.field + ")";
  f.record = h.source.record_id;
  f.offset = h.source.offset;
  return f;
}

cases::FindingRecord from_finding(const Finding& x) {
  cases::FindingRecord f;
  f.kind = x.kind;
  f.level = x.level;
  f.title = x.title;
  f.rule_id = x.rule_id;
  f.time = x.time;
  f.host = x.host;
  f.channel = x.channel;
  f.event_id = x.event_id;
  f.details = x.details;
  f.tags = joined(x.tags, ' ');
  f.record = x.record_id;
  f.offset = x.offset;
  return f;
}

std::vector<cases::AttributionRecord> attribution_records(const analyze::AttributionTable& table) {
  std::vector<cases::AttributionRecord> out;
  for (const auto& a : table.list()) {
    out.push_back(cases::AttributionRecord{a.ip, a.host, a.user, a.mac, a.kind, a.first, a.last,
                                           static_cast<std::int64_t>(a.count), 0});
  }
  return out;
}

// An asset list: "ip,hostname[,user]" lines (a header line and '#' comments are skipped).
std::vector<cases::AttributionRecord> read_assets(const std::string& path, Diagnostics& diagnostics) {
  std::vector<cases::AttributionRecord> out;
  std::ifstream in(path);
  if (!in) {
    diagnostics.report(Problem{path, 0, "", "cannot open the asset list"});
    return out;
  }
  std::string line;
  std::size_t n = 0;
  std::vector<std::string_view> cells;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    logs::split_csv(line, ',', cells);
    if (cells.size() < 2 || !logs::looks_like_ip(cells[0])) {
      if (n > 1) diagnostics.report(Problem{path, 0, "line " + std::to_string(n), "expected ip,hostname[,user]"});
      continue;
    }
    out.push_back(cases::AttributionRecord{std::string(cells[0]), std::string(cells[1]),
                                           cells.size() > 2 ? std::string(cells[2]) : std::string(), "", "asset",
                                           Timestamp{0}, Timestamp{INT64_MAX / 2}, 1, 0});
  }
  return out;
}

}  // namespace

InvestigationResult investigate(const InvestigationInput& in, Diagnostics& diagnostics) {
  InvestigationResult result;
  cases::CaseStore store(in.case_dir);
  const std::int64_t run = store.begin_run(in.command_line);

  std::vector<cases::IndicatorRecord> indicator_rows;
  for (const auto& i : in.indicators) {
    indicator_rows.push_back(
        cases::IndicatorRecord{0, std::string(ioc::type_name(i.type)), i.value, i.source, i.label});
  }
  store.add_indicators(indicator_rows);
  const ioc::IndicatorMatcher matcher(in.indicators);
  const analyze::IocScanner scanner(matcher);
  const analyze::AttributionCollector attribution;
  analyze::Detectors detectors;
  detectors.rules = in.rules;
  detectors.indicators = in.indicators.empty() ? nullptr : &scanner;
  detectors.attribution = &attribution;
  detectors.text = in.text;

  // Files are scanned several at a time; each file's results are stored in one transaction as soon
  // as it is done, so an interrupted run keeps every finished file and the next run skips them.
  std::mutex store_mutex;
  analyze::HuntResult sigma_results;  // for the correlation rules, across files
  std::vector<std::unique_ptr<Diagnostics>> problems(in.evidence.size());
  std::vector<std::uint8_t> skipped(in.evidence.size(), 0);
  std::atomic<std::int64_t> hash_ns{0}, scan_ns{0}, store_ns{0};
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t).count();
  };
  tbb::parallel_for(std::size_t{0}, in.evidence.size(), [&](std::size_t k) {
    const std::string& path = in.evidence[k];
    problems[k] = std::make_unique<Diagnostics>();
    cases::SourceRecord source;
    source.path = path;
    auto t0 = std::chrono::steady_clock::now();
    try {
      std::uint64_t size = 0;
      source.sha256 = cases::sha256_file(path, &size);
      source.size = static_cast<std::int64_t>(size);
    } catch (const std::exception& e) {
      problems[k]->report(Problem{path, 0, "", e.what()});
    }
    hash_ns += since(t0);
    {
      std::lock_guard lock(store_mutex);
      if (!source.sha256.empty() && store.completed_source(source.sha256)) {
        skipped[k] = 1;
        return;
      }
    }
    analyze::HuntResult r;
    t0 = std::chrono::steady_clock::now();
    if (!source.sha256.empty()) analyze::scan_file(path, detectors, r, *problems[k], in.progress);
    scan_ns += since(t0);
    const analyze::SourceInfo info = r.sources.empty() ? analyze::SourceInfo{} : r.sources[0];
    source.format = info.format;
    source.events = static_cast<std::int64_t>(info.events);
    source.bad_records = static_cast<std::int64_t>(info.bad_records);
    source.problems = static_cast<std::int64_t>(problems[k]->errors());
    source.first_time = info.first_time;
    source.last_time = info.last_time;
    for (const auto& p : problems[k]->kept()) {
      if (source.errors.size() < 2000) source.errors += describe(p) + "\n";
    }
    if (source.sha256.empty()) source.sha256 = "unreadable:" + path;  // listed with its reason all the same
    std::vector<cases::FindingRecord> rows;
    for (const auto& h : r.ioc_hits) rows.push_back(from_hit(h, matcher));
    for (const auto& f : r.findings) rows.push_back(from_finding(f));
    const auto attributions = attribution_records(info.attributions);
    std::lock_guard lock(store_mutex);
    t0 = std::chrono::steady_clock::now();
    store.add_source_results(source, rows, attributions);
    store_ns += since(t0);
    result.events += info.events;
    result.new_findings += rows.size();
    // Correlation inputs refer to their evidence by index: shift them into the run's list.
    const std::uint64_t base = sigma_results.correlation_evidence.size();
    for (auto& c : r.correlation_inputs) {
      c.evidence += base;
      sigma_results.correlation_inputs.push_back(std::move(c));
    }
    for (auto& f : r.correlation_evidence) sigma_results.correlation_evidence.push_back(std::move(f));
  });
  for (std::size_t k = 0; k < in.evidence.size(); ++k) {
    if (problems[k]) diagnostics.absorb(*problems[k]);
    (skipped[k] ? result.files_skipped : result.files_read)++;
  }
  if (in.rules != nullptr && !in.rules->correlations().empty()) {
    std::vector<cases::FindingRecord> correlations;
    for (const auto& f : analyze::finish_hunt(*in.rules, sigma_results)) {
      if (f.kind == "sigma-correlation") correlations.push_back(from_finding(f));
    }
    store.add_findings(correlations);
  }
  if (!in.assets_csv.empty()) {
    cases::SourceRecord assets;
    assets.path = in.assets_csv;
    assets.format = "assets";
    try {
      std::uint64_t size = 0;
      assets.sha256 = cases::sha256_file(in.assets_csv, &size);
      assets.size = static_cast<std::int64_t>(size);
      if (!store.completed_source(assets.sha256)) {
        auto rows = read_assets(in.assets_csv, diagnostics);
        assets.events = static_cast<std::int64_t>(rows.size());
        store.add_source_results(assets, {}, rows);
      }
    } catch (const std::exception& e) {
      diagnostics.report(Problem{in.assets_csv, 0, "", e.what()});
    }
  }

  result.hash_seconds = static_cast<double>(hash_ns.load()) / 1e9;
  result.scan_seconds = static_cast<double>(scan_ns.load()) / 1e9;
  result.store_seconds = static_cast<double>(store_ns.load()) / 1e9;
  const auto report_started = std::chrono::steady_clock::now();
  // The whole case, not just this run: the picture grows with every run.
  report::CaseReportInput report_input;
  report_input.case_dir = in.case_dir;
  report_input.database = store.database_path();
  report_input.sources = store.sources();
  report_input.indicators = store.indicators();
  report_input.findings = store.findings();
  report_input.attributions = store.attributions();
  result.facts = analyze::analyse_case(report_input.sources, report_input.indicators, report_input.findings,
                                       report_input.attributions);
  store.replace_hosts(result.facts.hosts, result.facts.accounts);
  store.finish_run(run, "done");
  report_input.runs = store.run_count();
  report::ReportLanguage lang{in.japanese, in.display_offset_minutes, in.display_zone};
  const std::string json = report::case_report_json(
      report_input, result.facts, lang, Timestamp::from_unix_seconds(static_cast<std::int64_t>(std::time(nullptr))));
  const auto dir = std::filesystem::path(in.case_dir);
  result.report_json_path = (dir / "report.json").string();
  result.report_html_path = (dir / "report.html").string();
  for (const auto& [path, text] : {std::pair{result.report_json_path, json},
                                   std::pair{result.report_html_path, report::render_html_report(json)}}) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error(path + ": cannot write the report");
  }
  result.report_seconds = static_cast<double>(since(report_started)) / 1e9;
  return result;
}

}  // namespace ashiato::cli
