// The built-in formats (one file each); all_formats() lists them in detection order.
#pragma once
#include "logs/line_format.h"

namespace ashiato::logs {

const LogFormat& squid_native_format();
const LogFormat& squid_combined_format();
const LogFormat& w3c_proxy_format();
const LogFormat& iis_w3c_format();
const LogFormat& apache_combined_format();
const LogFormat& apache_error_format();
const LogFormat& zeek_tsv_format();
const LogFormat& zeek_json_format();
const LogFormat& jsonl_format();
const LogFormat& delimited_format();
const LogFormat& syslog_format();
const LogFormat& proxifier_format();
const LogFormat& timestamped_text_format();

}  // namespace ashiato::logs
