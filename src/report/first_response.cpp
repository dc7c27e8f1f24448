#include "report/first_response.h"

#include <algorithm>

namespace ashiato::report {
namespace {

std::vector<std::string> hosts_with(const analyze::CaseFacts& f, const std::string& status) {
  std::vector<std::string> out;
  for (const auto& h : f.hosts) {
    if (h.status == status) out.push_back(h.name);
  }
  return out;
}

std::string list(const std::vector<std::string>& v, std::size_t limit = 10) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i > 0) s += ", ";
    s += v[i];
  }
  if (v.size() > limit) s += ", … (+" + std::to_string(v.size() - limit) + ")";
  return s;
}

std::vector<std::string> c2_names(const analyze::CaseFacts& f) {
  std::vector<std::string> out;
  for (const auto& c : f.c2) out.push_back(c.indicator);
  return out;
}

std::vector<std::string> candidate_names(const analyze::CaseFacts& f) {
  std::vector<std::string> out;
  for (const auto& c : f.candidates) out.push_back(c.destination);
  return out;
}

}  // namespace

std::string ReportLanguage::time(const std::optional<Timestamp>& t) const {
  if (!t) return japanese ? "不明" : "unknown";
  Timestamp local{t->ticks + static_cast<std::int64_t>(display_offset_minutes) * 60 * 10'000'000};
  std::string s = to_iso8601(local, 0);  // "YYYY-MM-DDTHH:MM:SSZ"
  s = s.substr(0, 10) + " " + s.substr(11, 8);
  return s + " (" + zone_label + ")";
}

std::string headline(const analyze::CaseFacts& f, const ReportLanguage& l) {
  const auto infected = hosts_with(f, "infected");
  const auto suspect = hosts_with(f, "suspect");
  if (f.c2.empty()) {
    return l.japanese ? "通知された C2 との通信は、読み込んだ証拠には見つかりませんでした。"
                      : "No communication with the notified C2 was found in the evidence read.";
  }
  std::string s;
  if (l.japanese) {
    s = std::to_string(infected.size()) + " 台の端末が C2 (" + list(c2_names(f), 3) + ") と繰り返し通信していました（" +
        l.time(f.first_c2) + " から " + l.time(f.last_c2) + "）。";
    if (!suspect.empty()) s += "ほかに " + std::to_string(suspect.size()) + " 台が 1 回だけ接続しています。";
    if (!f.candidates.empty()) {
      s += "通知にない " + std::to_string(f.candidates.size()) + " 件の接続先 (" + list(candidate_names(f), 3) +
           ") への通信が C2 通信と似ています（類似通信の端末 " + std::to_string(hosts_with(f, "similar").size()) +
           " 台）。";
    }
    if (f.admin_accounts_on_infected > 0) s += "感染端末で管理者アカウントが使われています。";
    s += f.ongoing ? "通信は証拠の末尾まで続いています。" : "証拠の末尾の時点では通信は止まっています。";
  } else {
    s = std::to_string(infected.size()) + " host(s) repeatedly contacted the C2 (" + list(c2_names(f), 3) + ") from " +
        l.time(f.first_c2) + " to " + l.time(f.last_c2) + ".";
    if (!suspect.empty()) s += " " + std::to_string(suspect.size()) + " more contacted it once.";
    if (!f.candidates.empty()) {
      s += " Traffic to " + std::to_string(f.candidates.size()) + " destination(s) not in the notice (" +
           list(candidate_names(f), 3) + ") looks like the C2's (" + std::to_string(hosts_with(f, "similar").size()) +
           " host(s) with similar communication).";
    }
    if (f.admin_accounts_on_infected > 0) s += " Admin accounts were used on infected hosts.";
    s += f.ongoing ? " The traffic continues to the end of the evidence."
                   : " The traffic had stopped by the end of the evidence.";
  }
  return s;
}

std::vector<ChecklistItem> first_response_checklist(const analyze::CaseFacts& f, const ReportLanguage& l) {
  const bool ja = l.japanese;
  std::vector<ChecklistItem> out;
  const auto infected = hosts_with(f, "infected");
  const auto suspect = hosts_with(f, "suspect");
  const auto involved = hosts_with(f, "involved");
  if (!infected.empty() || !suspect.empty()) {
    std::vector<std::string> items = infected;
    items.insert(items.end(), suspect.begin(), suspect.end());
    out.push_back(
        {"isolate", 1, ja ? "感染端末の隔離と保全" : "Isolate and preserve the infected hosts",
         ja ? "感染端末をネットワークから切り離し（電源は切らずにメモリとディスクを保全）、不審端末も調査してください。"
              "証拠ファイルは ashiato preserve でハッシュ付きで保全できます。"
            : "Disconnect the infected hosts from the network (keep them powered on to preserve memory and "
              "disk) and examine the suspect ones. Evidence files can be preserved with hashes by "
              "`ashiato preserve`.",
         items});
  }
  if (!f.c2.empty()) {
    const bool cut = f.ongoing && infected.size() > 5;
    out.push_back({"block", 1, ja ? "C2 通信の遮断" : "Block the C2 destinations",
                   cut ? (ja ? "感染端末が多く通信が続いているため、C2 "
                               "の限定遮断に加え、インターネット接続の一時遮断を検討してください。"
                             : "Many hosts are infected and the traffic continues: besides blocking the C2 "
                               "destinations, consider cutting Internet access for a while.")
                       : (ja ? "プロキシとファイアウォールで下記の C2 宛先を限定的に遮断してください（ashiato "
                               "blocklist で設定を生成できます）。"
                               "攻撃者に気付かれる点と、未知の C2 が残る可能性に注意してください。"
                             : "Block the C2 destinations below at the proxy and firewall (limited blocking; `ashiato "
                               "blocklist` writes the configuration). Blocking tells the attacker, and unknown C2s may "
                               "remain."),
                   c2_names(f)});
  }
  if (!f.candidates.empty()) {
    std::vector<std::string> items;
    for (const auto& c : f.candidates) {
      std::string hosts;
      for (const auto& h : c.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
      items.push_back(c.destination + " (" + hosts + (c.decision.empty() ? "" : "; " + c.decision) + ")");
    }
    out.push_back({"candidates", 1, ja ? "C2 候補の判断と類似通信端末の調査" : "Decide on the C2 candidates",
                   ja ? "通知にない下記の接続先への通信が C2 通信と似ています。通信元の端末を調査し、C2 と判断したら "
                        "ashiato case accept で事案の指標にして（次回の調査で全ログを照合し、blocklist "
                        "に入ります）遮断してください。誤検知は ashiato case reject で記録してください。"
                      : "Traffic to these destinations, which the notice does not name, looks like the C2's. Examine "
                        "the hosts that talk to them; accept a C2 with `ashiato case accept` (it becomes an indicator "
                        "of the case: swept for in every run and listed by `ashiato blocklist`) and block it, or "
                        "record a false positive with `ashiato case reject`.",
                   items});
  }
  if (f.admin_accounts_on_infected > 0) {
    out.push_back({"credentials", 1, ja ? "管理者アカウントのパスワード変更" : "Change administrator passwords",
                   ja ? "感染端末で使われた管理者アカウントは認証情報を窃取されたおそれがあります。パスワードを変更し、"
                        "ドメイン管理者の場合は"
                        "krbtgt のリセット（2 回）も検討してください。"
                      : "Admin accounts used on infected hosts may have had their credentials stolen. Change their "
                        "passwords; for domain admins, also consider resetting krbtgt (twice).",
                   f.admin_accounts_on_infected_names});
  }
  if (!involved.empty()) {
    out.push_back({"lateral", 2, ja ? "横展開先の調査" : "Examine the hosts reached from infected ones",
                   ja ? "感染端末からのログオンや検知があった端末・サーバを調査してください（タスク登録、サービス追加、"
                        "ファイル共有）。"
                      : "Examine the hosts and servers logged on to from infected hosts or with detections (task "
                        "registration, new services, file shares).",
                   involved});
  }
  std::vector<std::string> whom;
  whom.emplace_back(ja ? "経営層" : "management");
  if (!infected.empty())
    whom.emplace_back(ja ? "セキュリティベンダー（フォレンジック調査）" : "a security vendor (forensics)");
  if (f.admin_accounts_on_infected > 0 || infected.size() > 1) {
    whom.emplace_back(ja ? "JPCERT/CC（インシデント報告）" : "JPCERT/CC (incident report)");
    whom.emplace_back(ja ? "警察（サイバー犯罪相談窓口）" : "the police (cybercrime desk)");
    whom.emplace_back(ja ? "所管省庁・関係会社" : "the supervising ministry and affiliates");
  }
  out.push_back({"escalate", 2, ja ? "報告・連絡" : "Escalate",
                 ja ? "下記に報告してください。報告文の下書きは本レポートの末尾にあります。"
                    : "Report to the following. Drafts are at the end of this report.",
                 whom});
  if (f.admin_accounts_on_infected > 0 || infected.size() > 5) {
    out.push_back({"announce",
                   3,
                   ja ? "公表の準備" : "Prepare a public announcement",
                   ja ? "情報漏えいのおそれがある場合に備え、公表文と問い合わせ窓口を準備してください。"
                      : "In case information was leaked, prepare a public statement and an inquiry desk.",
                   {}});
  }
  out.push_back({"monitor",
                 3,
                 ja ? "継続監視" : "Monitor",
                 ja ? "C2 と同じ端末からの新しい宛先への通信、管理者アカウントの認証（4624/4625/4672）、"
                      "タスク・サービス・ソフトウェアの追加（4698/7045）を監視し続けてください。"
                    : "Keep watching traffic to the C2 and new destinations from the same hosts, authentication of "
                      "admin accounts (4624/4625/4672), and new tasks, services and software (4698/7045).",
                 {}});
  return out;
}

EscalationDrafts escalation_drafts(const analyze::CaseFacts& f, const std::vector<cases::FindingRecord>& excerpts,
                                   const std::vector<std::string>& evidence, const ReportLanguage& l) {
  const bool ja = l.japanese;
  const auto infected = hosts_with(f, "infected");
  const auto suspect = hosts_with(f, "suspect");
  std::vector<std::string> addresses, destinations;
  for (const auto& h : f.hosts) {
    if (h.status == "infected" || h.status == "suspect") {
      for (const auto& a : h.addresses) addresses.push_back(h.name + " " + a);
    }
  }
  for (const auto& c : f.c2) destinations.push_back(c.indicator + " (" + c.type + ")");
  EscalationDrafts d;
  std::string& j = d.jpcert;
  if (ja) {
    j += "【報告者】\n  氏名: （記入）\n  組織名: （記入）\n  電話: （記入）\n  電子メール: （記入）\n\n";
    j += "【インシデントの種類】\n  標的型攻撃によるマルウェア感染（C2 サーバとの通信）\n\n";
    j +=
        "【発生日時】\n  " + l.time(f.first_c2) + " ～ " + l.time(f.last_c2) + (f.ongoing ? "（継続中）" : "") + "\n\n";
    j += "【影響を受けたシステム】\n  感染: " + list(infected, 50) + "\n  不審: " + list(suspect, 50) + "\n\n";
    j +=
        "【送信元アドレス】\n  " + list(addresses, 50) + "\n\n【送信先アドレス】\n  " + list(destinations, 50) + "\n\n";
    j += "【ログの抜粋】\n";
  } else {
    j += "[Reporter]\n  Name: (fill in)\n  Organisation: (fill in)\n  Phone: (fill in)\n  E-mail: (fill in)\n\n";
    j += "[Incident type]\n  Targeted attack: malware infection communicating with a C2 server\n\n";
    j += "[Time]\n  " + l.time(f.first_c2) + " to " + l.time(f.last_c2) + (f.ongoing ? " (ongoing)" : "") + "\n\n";
    j += "[Affected systems]\n  infected: " + list(infected, 50) + "\n  suspect: " + list(suspect, 50) + "\n\n";
    j += "[Source addresses]\n  " + list(addresses, 50) + "\n\n[Destination addresses]\n  " + list(destinations, 50) +
         "\n\n";
    j += "[Log excerpts]\n";
  }
  for (std::size_t i = 0; i < excerpts.size() && i < evidence.size(); ++i) {
    const auto& e = excerpts[i];
    j += "  " + l.time(e.time) + "  " + e.src_ip + " -> " + e.dst + "  " + e.details + "\n    (" + evidence[i] + ")\n";
  }
  std::string& m = d.management;
  m += headline(f, l) + "\n\n";
  if (ja) {
    m += "・感染端末: " + std::to_string(infected.size()) + " 台（" + list(infected) + "）\n";
    m += "・不審端末: " + std::to_string(suspect.size()) + " 台\n";
    m += "・C2 宛先: " + list(destinations) + "\n";
    m += "・感染端末で使われた管理者アカウント: " + std::to_string(f.admin_accounts_on_infected) + "\n";
    m += "・調査した証拠: " + std::to_string(f.events) + " 件のログ記録（" + l.time(f.evidence_from) + " ～ " +
         l.time(f.evidence_to) + "）\n";
    m += "・対応: 感染端末の隔離、C2 宛先の遮断、" +
         std::string(f.admin_accounts_on_infected > 0 ? "管理者パスワードの変更、" : "") +
         "外部への報告を進めています。\n";
  } else {
    m += "- Infected hosts: " + std::to_string(infected.size()) + " (" + list(infected) + ")\n";
    m += "- Suspect hosts: " + std::to_string(suspect.size()) + "\n";
    m += "- C2 destinations: " + list(destinations) + "\n";
    m += "- Admin accounts used on infected hosts: " + std::to_string(f.admin_accounts_on_infected) + "\n";
    m += "- Evidence examined: " + std::to_string(f.events) + " log records (" + l.time(f.evidence_from) + " to " +
         l.time(f.evidence_to) + ")\n";
    m += "- Response: isolating infected hosts, blocking the C2 destinations, " +
         std::string(f.admin_accounts_on_infected > 0 ? "changing admin passwords, " : "") + "reporting outside.\n";
  }
  return d;
}

}  // namespace ashiato::report
