// Turns a record's tree into an Event's fields (see docs/evtx.md, "Fields"):
//  - System children by element name ("EventID", "Channel", "Computer"), their attributes as
//    "<Element>_<Attribute>" ("Provider_Name", "TimeCreated_SystemTime", "EventID_Qualifiers");
//  - EventData <Data Name="X"> as "X" with spaces removed; unnamed <Data> as repeated "Data";
//    other EventData children (e.g. "Binary") by element name;
//  - UserData (and any other payload section): leaf elements by name, leaf attributes as
//    "<Leaf>_<Attribute>".
// System fields win a name collision; the payload's colliding field is kept as "<Section>.<Name>"
// (e.g. "UserData.Channel" in System event 104).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/event.h"
#include "evtx/parallel_reader.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

class EventFieldBuilder {
 public:
  // Call when the chunk changes: cached names point into the chunk.
  void begin_chunk() { data_names_.clear(); }
  // Appends the record as one event to `batch`.
  void add(const RecordTree& tree, const RecordInfo& info, std::uint32_t file_id, EventBatch& batch);

 private:
  FieldId element_field(const Name& element);
  FieldId attribute_field(const Name& element, const Name& attribute);
  FieldId data_field(const RecordTree& tree, std::uint32_t name_attribute);
  void add_field(EventBatch& batch, FieldId id, std::uint32_t first_piece, const RecordTree& tree);
  void add_payload(const RecordTree& tree, std::uint32_t section, EventBatch& batch);
  void add_leaves(const RecordTree& tree, std::uint32_t element, const std::string& section, EventBatch& batch,
                  int depth);
  void add_payload_field(EventBatch& batch, FieldId id, const std::string& section, const RecordTree& tree,
                         std::uint32_t first_piece);

  std::unordered_map<const std::uint8_t*, FieldId> data_names_;  // by the Name attribute's bytes
  std::unordered_map<FieldId, FieldId> qualified_;               // payload field -> "<Section>.<Name>"
  std::string scratch_;
  std::vector<FieldId> system_fields_;
};

}  // namespace ashiato::evtx
