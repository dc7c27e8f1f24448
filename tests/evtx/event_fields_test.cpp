// Field naming and precedence on real records.
#include <gtest/gtest.h>

#include "evtx/record_capture.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

const CapturedRecord& by_event_id(const std::vector<CapturedRecord>& records, const std::string& id) {
  for (const auto& r : records) {
    if (field(r, "EventID") == id) return r;
  }
  throw std::runtime_error("no event " + id);
}

TEST(EventFields, SystemAttributesAndNamedData) {
  Diagnostics d;
  const auto records = capture_records(corpus("evtx/omerbenamram/samples/security.evtx").string(), d);
  const auto& r = by_event_id(records, "4624");
  EXPECT_EQ(field(r, "Channel"), "Security");
  EXPECT_EQ(field(r, "Provider_Name"), "Microsoft-Windows-Security-Auditing");
  EXPECT_EQ(field(r, "Provider_Guid"), "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_NE(field(r, "TimeCreated_SystemTime"), "<absent>");
  EXPECT_NE(field(r, "Execution_ProcessID"), "<absent>");
  EXPECT_NE(field(r, "LogonType"), "<absent>");
  EXPECT_NE(field(r, "TargetUserName"), "<absent>");
}

TEST(EventFields, QualifiersAndUnnamedDataInOrder) {
  Diagnostics d;
  const auto records = capture_records(corpus("evtx/omerbenamram/samples/system.evtx").string(), d);
  const auto& r = records.front();  // EventLog 6009 with a string-array <Data>
  EXPECT_EQ(field(r, "EventID"), "6009");
  EXPECT_EQ(field(r, "EventID_Qualifiers"), "32768");
  std::vector<std::string> data;
  for (const auto& [k, v] : r.fields) {
    if (k == "Data") data.push_back(v);
  }
  EXPECT_EQ(data, (std::vector<std::string>{"10.00.", "15063", "", "Multiprocessor Free", "0"}));
}

TEST(EventFields, SystemWinsNameCollisionsAndPayloadKeepsAQualifiedName) {
  // System event 104 (log cleared) carries UserData/LogFileCleared/Channel: the cleared log.
  Diagnostics d;
  const auto records =
      capture_records(corpus("evtx/evtx-attack-samples/Credential "
                             "Access/Zerologon_CVE-2020-1472_DFIR_System_NetLogon_Error_EventID_5805.evtx")
                          .string(),
                      d);
  const auto& r = by_event_id(records, "104");
  EXPECT_EQ(field(r, "Channel"), "System");
  EXPECT_EQ(field(r, "UserData.Channel"), "System");  // this attacker cleared the System log itself
  EXPECT_NE(r.xml.find("<LogFileCleared"), std::string::npos);
  EXPECT_NE(field(r, "SubjectUserName"), "<absent>");
}

TEST(EventFields, BinXmlSubstitutionValuesAndEntityReferences) {
  Diagnostics d;
  const auto records = capture_records(
      corpus("evtx/omerbenamram/samples/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx")
          .string(),
      d);
  for (const auto& r : records) {
    if (r.record_id != 28) continue;
    EXPECT_EQ(field(r, "URL"), "http://crl.microsoft.com/pki/crl/products/microsoftrootcert.crl");
    EXPECT_EQ(field(r, "URL_scheme"), "http");
    EXPECT_EQ(field(r, "Timeout"), "PT9.984S");
    return;
  }
  FAIL() << "record 28 not found";
}

}  // namespace
}  // namespace ashiato::test
