// Typed BinXML values to text, as Event Viewer's XML shows them (see docs/evtx.md for the table).
#pragma once
#include <cstdint>
#include <string>

#include "evtx/record_tree.h"

namespace ashiato::evtx {

// Appends the text of a value of `type` stored in `size` bytes at `data`.
void append_value(std::string& out, std::uint8_t type, const std::uint8_t* data, std::uint32_t size);
// True for types that evtx_dump's JSON layout writes as numbers or booleans rather than strings.
bool is_json_scalar(std::uint8_t type);
// Appends the unescaped text of a piece (entity and character references resolved).
void append_piece_text(std::string& out, const Piece& piece);
// Appends all pieces from `first` on, unescaped.
void append_pieces_text(std::string& out, const RecordTree& tree, std::uint32_t first);

}  // namespace ashiato::evtx
