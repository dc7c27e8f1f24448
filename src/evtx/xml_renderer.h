// A record's tree as XML text, laid out like Event Viewer's XML view (two-space indentation).
#pragma once
#include <string>

#include "evtx/record_tree.h"

namespace ashiato::evtx {

// Appends the XML document (with declaration) for `tree`.
void append_xml(std::string& out, const RecordTree& tree);
// Appends `text` with &, < and > escaped, and " too inside attribute values.
void append_xml_escaped(std::string& out, std::string_view text, bool in_attribute);

}  // namespace ashiato::evtx
