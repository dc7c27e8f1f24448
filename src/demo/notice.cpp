// The notification that starts the investigation, as a coordination centre writes it: only what
// it could see from outside (the organisation's public address, the C2, the time window, the
// protocol), indicators defanged so that no mail client turns them into links. Japanese first, as
// received, and an English translation. The centre is fictitious.
#include <fmt/format.h>

#include "demo/demo_writers.h"

namespace ashiato::demo {
namespace {

// "www.tabi-navi.example[.]jp", "203.0.113[.]45": the last dot bracketed.
std::string defang(const std::string& text) {
  const auto dot = text.rfind('.');
  return dot == std::string::npos ? text : text.substr(0, dot) + "[.]" + text.substr(dot + 1);
}

// The mail's Date header, "Fri, 05 Jun 2015 10:30:00 +0900".
std::string mail_date(Timestamp t) {
  static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime c = local_civil(t);
  const auto day_of_week = seconds_between(local_time(0, 0, 0), t) / 86400 % 7;  // day 0, 2015-06-01, is a Monday
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0900", days[day_of_week], c.day, months[c.month - 1], c.year,
                     c.hour, c.minute, c.second);
}

std::string japanese(const Organisation& org, const ObservedWindow& w) {
  const std::string url = "hxxp://" + defang(kC2Domain) + kC2Path;
  return fmt::format(
      "Subject: [EX-CC#2015-0605-0417] 貴組織からの不審な通信について（情報提供）\n"
      "Date: {sent}\n"
      "\n"
      "{org} 御中\n"
      "情報セキュリティご担当者様\n"
      "\n"
      "Example インシデント対応調整センター（EX-CC）です。\n"
      "\n"
      "当センターでは、標的型攻撃に使用されていると考えられる C2 サーバ（攻撃者の指令サーバ）の\n"
      "調査を行っております。その過程で、\n"
      "貴組織が管理されている IP アドレス {source} から、\n"
      "下記の C2 サーバへの通信を確認いたしました。貴組織内の端末が遠隔操作型のマルウェア（Emdivi\n"
      "と考えられます）に感染している可能性がございますので、ご確認をお願いいたします。\n"
      "\n"
      "■ 通信元\n"
      "  貴組織の IP アドレス: {source}\n"
      "\n"
      "■ 通信先（C2 サーバ）\n"
      "  URL: {url}\n"
      "  ホスト名: {host}\n"
      "  IP アドレス: {c2ip}（TCP/{port}）\n"
      "  ※ 正規の Web サイトが改ざんされ、C2 サーバとして悪用されているものと考えられます。\n"
      "\n"
      "■ 観測された通信\n"
      "  期間（日本時間 UTC+09:00）: {from} ～ {to}\n"
      "  方式: HTTP の GET および POST（数分間隔の定期的な通信）\n"
      "  User-Agent: {agent}\n"
      "\n"
      "■ お願い\n"
      "  1. プロキシサーバやファイアウォールのログから、上記の C2 サーバと通信した端末を特定して\n"
      "     ください。通信元 IP アドレスはアドレス変換（NAT）後のものと考えられるため、端末の特定\n"
      "     には組織内のログが必要です。\n"
      "  2. 該当する端末をネットワークから切り離し、調査を行ってください。\n"
      "  3. 上記のホスト名および IP アドレスへの通信の遮断をご検討ください。\n"
      "  4. 差し支えのない範囲で、調査の結果を当センターまでお知らせください。\n"
      "\n"
      "本情報は、貴組織におけるインシデント対応の目的にのみご利用ください（TLP:AMBER）。\n"
      "ご不明な点がございましたら、本メールにご返信ください。\n"
      "\n"
      "Example インシデント対応調整センター（EX-CC）\n"
      "インシデントハンドリンググループ\n",
      fmt::arg("sent", mail_date(org.notice_sent)), fmt::arg("org", kOrganisation),
      fmt::arg("source", defang(kPublicIp)), fmt::arg("url", url), fmt::arg("host", defang(kC2Domain)),
      fmt::arg("c2ip", defang(kC2Ip)), fmt::arg("port", kC2Port), fmt::arg("from", local_iso(w.from)),
      fmt::arg("to", local_iso(w.to)), fmt::arg("agent", kEmdiviUserAgent));
}

std::string english(const Organisation& org, const ObservedWindow& w) {
  const std::string url = "hxxp://" + defang(kC2Domain) + kC2Path;
  return fmt::format(
      "Subject: [EX-CC#2015-0605-0417] Suspicious communication from your organisation (notification)\n"
      "Date: {sent}\n"
      "\n"
      "Dear information security contact of {org},\n"
      "\n"
      "This is the Example Incident Coordination Center (EX-CC).\n"
      "\n"
      "While investigating command-and-control (C2) servers believed to be used in targeted attacks, we\n"
      "observed communication from your IP address {source} to the C2 server below.\n"
      "A computer in your organisation may be infected with remote-access malware (believed to be\n"
      "Emdivi). Please investigate.\n"
      "\n"
      "* Source\n"
      "  Your IP address: {source}\n"
      "\n"
      "* Destination (C2 server)\n"
      "  URL: {url}\n"
      "  Host name: {host}\n"
      "  IP address: {c2ip} (TCP/{port})\n"
      "  The C2 is believed to be a legitimate web site that was compromised.\n"
      "\n"
      "* Observed communication\n"
      "  Period (Japan Standard Time, UTC+09:00): {from} to {to}\n"
      "  Protocol: HTTP GET and POST, periodically, every few minutes\n"
      "  User-Agent: {agent}\n"
      "\n"
      "* Requests\n"
      "  1. Identify the computers that communicated with the C2 above from your proxy and firewall\n"
      "     logs. The source address is most likely your NAT address, so your internal logs are\n"
      "     needed to find the computers.\n"
      "  2. Disconnect those computers from the network and investigate them.\n"
      "  3. Consider blocking the host name and IP address above.\n"
      "  4. If you can, let us know what you found.\n"
      "\n"
      "Please use this information only for your incident response (TLP:AMBER).\n"
      "Reply to this mail with any questions.\n"
      "\n"
      "Example Incident Coordination Center (EX-CC)\n"
      "Incident Handling Group\n",
      fmt::arg("sent", mail_date(org.notice_sent)), fmt::arg("org", kOrganisation),
      fmt::arg("source", defang(kPublicIp)), fmt::arg("url", url), fmt::arg("host", defang(kC2Domain)),
      fmt::arg("c2ip", defang(kC2Ip)), fmt::arg("port", kC2Port), fmt::arg("from", local_iso(w.from)),
      fmt::arg("to", local_iso(w.to)), fmt::arg("agent", kEmdiviUserAgent));
}

}  // namespace

ObservedWindow observed_by_notice(const Organisation& org) {
  ObservedWindow w;
  for (const C2Request& r : org.c2_requests) {
    if (r.time >= org.observed_until) break;
    if (w.requests++ == 0) w.from = r.time;
    w.to = r.time;
  }
  return w;
}

void write_notices(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
  const ObservedWindow w = observed_by_notice(org);
  TextFile ja(dir, "notice.txt");
  ja.write(japanese(org, w));
  files.push_back(ja.finish("notice"));
  TextFile en(dir, "notice-en.txt");
  en.write(english(org, w));
  files.push_back(en.finish("notice"));
}

}  // namespace ashiato::demo
