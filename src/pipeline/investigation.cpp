#include "pipeline/investigation.h"
#include "core/atomic_file.h"

#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "analyze/attribution.h"
#include "analyze/beacon/beacon_detector.h"
#include "analyze/beacon/series_codec.h"
#include "analyze/indicator_detector.h"
#include "analyze/sigma_detector.h"
#include "case/case_store.h"
#include "case/file_digest.h"
#include "ioc/indicator_matcher.h"
#include "logs/line_tokens.h"
#include "pipeline/case_candidates.h"
#include "pipeline/detector_registry.h"
#include "pipeline/evidence_scan.h"
#include "report/case_report.h"
#include "report/html_report.h"

namespace ashiato::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The detectors of one investigation: the built-in ones whose facts the case is made of, then the
// registered analyses and the caller's.
struct InvestigationDetectors {
  std::optional<analyze::SigmaDetector> sigma;
  std::optional<analyze::IndicatorDetector> indicators;
  analyze::AttributionDetector attribution;
  // Each file's beacon series are stored with it; similar communications are found over the case.
  analyze::beacon::BeaconDetector beacons{series_per_file()};
  std::vector<std::unique_ptr<analyze::Detector>> analyses;
  analyze::DetectorSet set;

  static analyze::beacon::BeaconOptions series_per_file() {
    analyze::beacon::BeaconOptions o;
    o.series_per_file = true;
    return o;
  }

  InvestigationDetectors(const InvestigationInput& in, const ioc::IndicatorMatcher& matcher) {
    if (in.rules != nullptr) set.add(sigma.emplace(*in.rules));
    if (!matcher.indicators().empty()) set.add(indicators.emplace(matcher));
    set.add(attribution);
    if (in.similar_communications) set.add(beacons);
    const DetectorContext context{in.rules, matcher.indicators().empty() ? nullptr : &matcher};
    for (const DetectorMaker make : analysis_detectors()) {
      if (auto d = make(context)) analyses.push_back(std::move(d));
    }
    for (auto& d : analyses) set.add(*d);
    for (analyze::Detector* d : in.extra_detectors) set.add(*d);
  }
};

// An evidence file, hashed: skipped when the case already holds its content.
struct EvidenceFile {
  cases::SourceRecord source;
  std::unique_ptr<Diagnostics> problems = std::make_unique<Diagnostics>();
  bool skipped = false;
  // Its beacon series, stored and also kept for this run's analysis (decoding them again cost as
  // much as building them).
  analyze::beacon::SeriesSet series;
};

std::vector<EvidenceFile> hash_evidence(const std::vector<std::string>& paths, cases::CaseStore& store,
                                        InvestigationResult& result) {
  std::vector<EvidenceFile> files(paths.size());
  std::atomic<std::int64_t> hash_ns{0};
  tbb::parallel_for(std::size_t{0}, paths.size(), [&](std::size_t k) {
    const auto started = Clock::now();
    cases::SourceRecord& source = files[k].source;
    source.path = paths[k];
    try {
      std::uint64_t size = 0;
      source.sha256 = cases::sha256_file(paths[k], &size);
      source.size = static_cast<std::int64_t>(size);
    } catch (const std::exception& e) {
      files[k].problems->report(Problem{paths[k], 0, "", e.what()});
    }
    hash_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
  });
  result.hash_seconds = static_cast<double>(hash_ns.load()) / 1e9;
  for (EvidenceFile& f : files) f.skipped = !f.source.sha256.empty() && store.completed_source(f.source.sha256);
  return files;
}

void describe_problems(const Diagnostics& problems, cases::SourceRecord& source) {
  source.problems = static_cast<std::int64_t>(problems.errors());
  for (const auto& p : problems.kept()) {
    if (source.errors.size() < 2000) source.errors += describe(p) + "\n";
  }
}

std::vector<cases::AttributionRecord> attribution_records(const analyze::AttributionTable& table) {
  std::vector<cases::AttributionRecord> out;
  for (const auto& a : table.list()) {
    out.push_back(cases::AttributionRecord{a.ip, a.host, a.user, a.mac, a.kind, a.first, a.last,
                                           static_cast<std::int64_t>(a.count), 0});
  }
  return out;
}

// The case's rows for one scanned file: its C2 contacts first, then the other findings.
std::vector<cases::FindingRecord> finding_rows(analyze::FileScan& file, std::vector<Finding>& findings,
                                               const InvestigationDetectors& d) {
  std::vector<cases::FindingRecord> rows;
  if (d.indicators) {
    const auto& indicators = d.indicators->matcher().indicators();
    for (const analyze::IocHit& h : d.indicators->take_hits(file)) {
      rows.emplace_back(analyze::indicator_finding(h, indicators[h.indicator], file.source.path));
    }
  }
  for (Finding& f : findings) rows.emplace_back(std::move(f));
  return rows;
}

// Stores each file's results in input order, each file in one transaction, so that the case is
// the same whatever the thread count (source ids, the order of findings of the same time) and an
// interrupted run keeps every file stored and the next run skips them. Files that finish early
// wait for the ones before them (an investigation holds all findings in memory for the analysis
// anyway).
class OrderedStore {
 public:
  OrderedStore(std::vector<EvidenceFile>& files, cases::CaseStore& store) : files_(files), store_(store) {}

  void done(std::size_t k, std::vector<cases::FindingRecord> rows, std::vector<cases::AttributionRecord> attributions,
            std::vector<cases::SourceData> data) {
    waiting_[k] = Results{std::move(rows), std::move(attributions), std::move(data)};
    commit_ready();
  }
  // Stores the files no scan result is awaited for (unreadable ones) up to the next awaited one.
  void commit_ready() {
    for (; next_ < files_.size(); ++next_) {
      EvidenceFile& f = files_[next_];
      if (f.skipped) continue;
      if (f.source.sha256.empty()) {  // unreadable: listed with its reason all the same
        describe_problems(*f.problems, f.source);
        f.source.sha256 = "unreadable:" + f.source.path;
        store_.add_source_results(f.source, {}, {});
        continue;
      }
      const auto it = waiting_.find(next_);
      if (it == waiting_.end()) return;
      const auto started = Clock::now();
      f.source.id = store_.add_source_results(f.source, it->second.rows, it->second.attributions, it->second.data);
      store_seconds += seconds_since(started);
      new_findings += it->second.rows.size();
      waiting_.erase(it);
    }
  }

  double store_seconds = 0;
  std::uint64_t new_findings = 0;

 private:
  struct Results {
    std::vector<cases::FindingRecord> rows;
    std::vector<cases::AttributionRecord> attributions;
    std::vector<cases::SourceData> data;
  };
  std::vector<EvidenceFile>& files_;
  cases::CaseStore& store_;
  std::map<std::size_t, Results> waiting_;
  std::size_t next_ = 0;
};

// Scans the files not yet in the case (one pass, every detector) and stores their results.
void scan_and_store(const InvestigationInput& in, std::vector<EvidenceFile>& files, InvestigationDetectors& d,
                    cases::CaseStore& store, InvestigationResult& result) {
  std::vector<std::string> paths;
  std::vector<std::size_t> index;  // paths[i] is files[index[i]]
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (!files[k].skipped && !files[k].source.sha256.empty()) {
      paths.push_back(files[k].source.path);
      index.push_back(k);
    }
  }
  ScanOptions options;
  options.text = in.text;
  options.progress = in.progress;
  EvidenceScan scan(d.set, options);
  OrderedStore ordered(files, store);
  const auto started = Clock::now();
  Diagnostics scan_problems;  // each file's go to its EvidenceFile
  ordered.commit_ready();
  scan.scan(paths, scan_problems, [&](analyze::FileScan& file, std::vector<Finding>& findings) {
    EvidenceFile& ev = files[index[file.file_id]];
    cases::SourceRecord& source = ev.source;
    source.format = file.source.format;
    source.events = static_cast<std::int64_t>(file.source.events);
    source.bad_records = static_cast<std::int64_t>(file.source.bad_records);
    source.first_time = file.source.first_time;
    source.last_time = file.source.last_time;
    ev.problems->absorb(*file.problems);
    describe_problems(*ev.problems, source);
    result.events += file.source.events;
    std::vector<cases::SourceData> data;
    if (auto series = d.beacons.take_series(file); in.similar_communications && !series.series.empty()) {
      data.push_back(cases::SourceData{kBeaconSeriesData, analyze::beacon::encode_series(series)});
      ev.series = std::move(series);
    }
    ordered.done(index[file.file_id], finding_rows(file, findings, d), attribution_records(d.attribution.table(file)),
                 std::move(data));
  });
  std::vector<cases::FindingRecord> across_files;
  for (Finding& f : scan.finish()) across_files.emplace_back(std::move(f));
  store.add_findings(across_files);
  result.new_findings = ordered.new_findings;
  result.store_seconds = ordered.store_seconds;
  result.scan_seconds = seconds_since(started) - ordered.store_seconds;
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

void store_assets(const std::string& path, cases::CaseStore& store, Diagnostics& diagnostics) {
  cases::SourceRecord assets;
  assets.path = path;
  assets.format = "assets";
  try {
    std::uint64_t size = 0;
    assets.sha256 = cases::sha256_file(path, &size);
    assets.size = static_cast<std::int64_t>(size);
    if (!store.completed_source(assets.sha256)) {
      auto rows = read_assets(path, diagnostics);
      assets.events = static_cast<std::int64_t>(rows.size());
      store.add_source_results(assets, {}, rows);
    }
  } catch (const std::exception& e) {
    diagnostics.report(Problem{path, 0, "", e.what()});
  }
}

// The whole case, not just this run, is analysed and reported: the picture grows with every run.
analyze::beacon::Allowlist load_allowlist(const InvestigationInput& in, Diagnostics& diagnostics) {
  analyze::beacon::Allowlist allowlist;
  if (in.default_allowlist) allowlist.load(analyze::beacon::default_allowlist_path(), diagnostics);
  for (const auto& path : in.allowlists) allowlist.load(path, diagnostics);
  return allowlist;
}

// This run's files' series by source id, their evidence records named by source id as stored ones
// are.
std::map<std::int64_t, analyze::beacon::SeriesSet> series_read_now(std::vector<EvidenceFile>& files) {
  std::map<std::int64_t, analyze::beacon::SeriesSet> out;
  for (EvidenceFile& f : files) {
    if (f.series.series.empty() || f.source.id == 0) continue;
    for (auto& [key, series] : f.series.series) {
      for (auto& ref : series.refs) ref.file = static_cast<std::uint32_t>(f.source.id);
    }
    out.emplace(f.source.id, std::move(f.series));
  }
  return out;
}

void analyse_and_report(const InvestigationInput& in, cases::CaseStore& store, std::int64_t run,
                        std::map<std::int64_t, analyze::beacon::SeriesSet> series_now, InvestigationResult& result,
                        Diagnostics& diagnostics) {
  report::CaseReportInput report_input;
  report_input.case_dir = in.case_dir;
  report_input.database = store.database_path();
  report_input.sources = store.sources();
  report_input.indicators = store.indicators();
  report_input.findings = store.findings();
  report_input.attributions = store.attributions();
  // Without the analysis this run, the candidates of earlier runs stay as they were.
  report_input.candidates = in.similar_communications ? update_case_candidates(store, load_allowlist(in, diagnostics),
                                                                               diagnostics, std::move(series_now))
                                                      : store.candidates();
  result.facts = analyze::analyse_case(report_input.sources, report_input.indicators, report_input.findings,
                                       report_input.attributions, report_input.candidates);
  store.replace_hosts(result.facts.hosts, result.facts.accounts);
  store.finish_run(run, "done");
  report_input.runs = store.run_count();
  report::ReportLanguage lang{in.japanese, in.display_offset_minutes, in.display_zone};
  const std::string json = report::case_report_json(
      report_input, result.facts, lang, Timestamp::from_unix_seconds(static_cast<std::int64_t>(std::time(nullptr))));
  const auto dir = std::filesystem::path(in.case_dir);
  result.report_json_path = (dir / "report.json").string();
  result.report_html_path = (dir / "report.html").string();
  // Each written whole or not at all: a full disk must not leave a report cut short.
  write_file_atomically(result.report_json_path, json);
  write_file_atomically(result.report_html_path, report::render_html_report(json));
}

// The candidates the responder accepted are indicators of the case: swept for in new evidence.
std::vector<ioc::Indicator> with_accepted_candidates(std::vector<ioc::Indicator> indicators, cases::CaseStore& store) {
  for (const auto& i : store.indicators()) {
    if (i.source.rfind(kAcceptedCandidateSource, 0) != 0) continue;
    const auto type = ioc::type_from_name(i.type);
    if (!type) continue;
    ioc::Indicator indicator;
    indicator.type = *type;
    indicator.value = i.value;
    indicator.source = i.source;
    indicator.label = i.label;
    indicators.push_back(std::move(indicator));
  }
  return indicators;
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
  const ioc::IndicatorMatcher matcher(with_accepted_candidates(in.indicators, store));
  InvestigationDetectors detectors(in, matcher);

  std::vector<EvidenceFile> files = hash_evidence(in.evidence, store, result);
  scan_and_store(in, files, detectors, store, result);
  for (EvidenceFile& f : files) {
    diagnostics.absorb(*f.problems);
    (f.skipped ? result.files_skipped : result.files_read)++;
  }
  if (!in.assets_csv.empty()) store_assets(in.assets_csv, store, diagnostics);
  const auto report_started = Clock::now();
  analyse_and_report(in, store, run, series_read_now(files), result, diagnostics);
  result.report_seconds = seconds_since(report_started);
  return result;
}

}  // namespace ashiato::pipeline
