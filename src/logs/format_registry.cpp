#include <vector>

#include "logs/device_formats.h"
#include "logs/formats.h"

namespace ashiato::logs {

const std::vector<const LogFormat*>& all_formats() {
  // Specific formats first: on equal confidence the earlier one wins, and the generic ones
  // (syslog, delimited, JSON lines, timestamped text) only take what nothing else claims.
  static const std::vector<const LogFormat*> formats = [] {
    std::vector<const LogFormat*> v{&squid_native_format(), &squid_combined_format(),  &w3c_proxy_format(),
                                    &iis_w3c_format(),      &apache_combined_format(), &apache_error_format(),
                                    &zeek_tsv_format(),     &zeek_json_format(),       &proxifier_format()};
    for (const LogFormat* f : device_formats()) v.push_back(f);
    for (const LogFormat* f : {&syslog_format(), &jsonl_format(), &delimited_format(), &timestamped_text_format()}) {
      v.push_back(f);
    }
    return v;
  }();
  return formats;
}

const LogFormat* find_format(std::string_view name) {
  for (const LogFormat* f : all_formats()) {
    if (f->name() == name) return f;
  }
  return nullptr;
}

}  // namespace ashiato::logs
