// A record's tree as JSON in the layout of the evtx_dump tool: "#attributes" objects, "#text",
// EventData <Data Name="X"> as "X", unnamed <Data> as "Data": {"#text": [...]}, repeated
// sibling names suffixed "_1", "_2", numbers as JSON numbers.
#pragma once
#include <string>

#include "evtx/record_tree.h"

namespace ashiato::evtx {

// Appends the record as one JSON object; `pretty` indents with two spaces, otherwise one line.
void append_json(std::string& out, const RecordTree& tree, bool pretty);

}  // namespace ashiato::evtx
