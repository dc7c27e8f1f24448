// Field ids shared by the text log formats, interned once. Names follow the Sigma taxonomy
// (proxy/webserver W3C names, firewall src_ip/dst_ip/..., dns query/answer/record_type), so the
// same rules and indicator lookups work on every reader's events.
#pragma once
#include "core/field_id.h"

namespace ashiato::logs {

struct CanonicalFields {
  FieldId raw = intern_field("_raw");         // the whole line (keyword rules search it)
  FieldId channel = intern_field("Channel");  // the log's Sigma category (proxy, firewall, ...)
  FieldId log_format = intern_field("log_format");
  FieldId device = intern_field("syslog_host");  // the device that wrote the line (syslog header)
  // network
  FieldId src_ip = intern_field("src_ip");
  FieldId src_port = intern_field("src_port");
  FieldId dst_ip = intern_field("dst_ip");
  FieldId dst_port = intern_field("dst_port");
  FieldId dst_host = intern_field("dst_host");  // destination name when the log has one (firewall FQDN, SNI)
  FieldId protocol = intern_field("protocol");
  FieldId action = intern_field("action");
  FieldId user = intern_field("user");
  FieldId duration = intern_field("duration");
  // proxy (W3C / Sigma proxy taxonomy)
  FieldId c_uri = intern_field("c-uri");
  FieldId c_uri_query = intern_field("c-uri-query");
  FieldId c_uri_stem = intern_field("c-uri-stem");
  FieldId c_uri_extension = intern_field("c-uri-extension");
  FieldId cs_host = intern_field("cs-host");
  FieldId cs_method = intern_field("cs-method");
  FieldId c_useragent = intern_field("c-useragent");
  FieldId cs_referrer = intern_field("cs-referrer");
  FieldId cs_version = intern_field("cs-version");
  FieldId sc_status = intern_field("sc-status");
  FieldId cs_bytes = intern_field("cs-bytes");
  FieldId sc_bytes = intern_field("sc-bytes");
  FieldId content_type = intern_field("content_type");
  FieldId cache_result = intern_field("cache_result");
  // dns
  FieldId query = intern_field("query");
  FieldId answer = intern_field("answer");
  FieldId record_type = intern_field("record_type");
  FieldId rcode = intern_field("rcode");
  // dhcp
  FieldId hostname = intern_field("hostname");
  FieldId mac = intern_field("mac");
  // files
  FieldId md5 = intern_field("md5");
  FieldId sha1 = intern_field("sha1");
  FieldId sha256 = intern_field("sha256");
  FieldId message = intern_field("message");
  FieldId program = intern_field("program");
};

const CanonicalFields& canonical();

}  // namespace ashiato::logs
