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
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "evtx/parallel_reader.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

class Chunk;
class TemplateFields;

// What a field becomes when its element's whole content is one array value, which repeats the
// element once per item (see array_items.h).
enum class ArrayContent : std::uint8_t {
  kJoined,     // not an element's content (an attribute): the items joined with ", "
  kRepeated,   // the same field once per item
  kUnplanned,  // more than the field repeats (a System element, a leaf with attributes)
};

// One field as the walk over a tree finds it.
struct FieldSite {
  FieldId id;
  std::uint32_t first_piece;             // of its value
  const std::string* section = nullptr;  // payload fields: renamed "<Section>.<Name>" on a collision
  bool system = false;                   // a System field: wins name collisions
  bool absent_when_empty = false;        // an attribute or System element with no piece is left out
  bool time = false;                     // an attribute of TimeCreated: the event's time
  ArrayContent on_array = ArrayContent::kJoined;
};

class FieldVisitor {
 public:
  virtual void field(const FieldSite& site) = 0;
  // A substitution placeholder (only in a template's own tree) where a BinXML value adds elements
  // the walk would visit: among the sections (`section` null) or among the children of `section`.
  virtual void nested_content(std::uint32_t /*substitution*/, const Name* /*section*/) {}

 protected:
  ~FieldVisitor() = default;
};

// Decides, once an event's Channel, EventID and time are read, whether its other fields are
// wanted (see EventFieldBuilder::set_gate).
using EventGate = std::function<bool(std::string_view channel, std::string_view event_id)>;

class EventFieldBuilder {
 public:
  EventFieldBuilder();
  ~EventFieldBuilder();
  EventFieldBuilder(const EventFieldBuilder&) = delete;
  EventFieldBuilder& operator=(const EventFieldBuilder&) = delete;

  // Call when the chunk changes: cached names and templates point into the chunk.
  void begin_chunk();
  // Appends the record as one event to `batch`.
  void add(const RecordTree& tree, const RecordInfo& info, std::uint32_t file_id, EventBatch& batch);
  // Appends the record at chunk bytes [begin, end) without building its tree when it is one
  // template instance (almost every record): same event as add(). Returns false, with nothing
  // appended, when the record needs its tree (see TemplateFields).
  bool add_direct(Chunk& chunk, std::uint32_t begin, std::uint32_t end, const RecordInfo& info, std::uint32_t file_id,
                  EventBatch& batch);

  // With a gate, an event read by add_direct stops at the System field that completes its
  // Channel, EventID and TimeCreated when the gate says no: it keeps the fields read so far (time,
  // EventID, Channel, and what System holds before them), not Computer or the payload. Records
  // read through their tree (add) are read whole.
  void set_gate(EventGate gate) { gate_ = std::move(gate); }
  const EventGate& gate() const { return gate_; }

  // Calls `visitor` for each field of `tree`, in event order.
  void visit(const RecordTree& tree, FieldVisitor& visitor);
  // The part of visit() after System: the payload sections among the children of `parent`
  // (except `system`).
  void visit_sections(const RecordTree& tree, std::uint32_t parent, std::uint32_t system, FieldVisitor& visitor);
  // The fields of the children of `parent` taken as the content of payload section `section`.
  void visit_section_content(const RecordTree& tree, std::uint32_t parent, const Name& section, FieldVisitor& visitor);
  // The name a field takes in the event: a System field's id is noted in `system_fields`; a
  // payload field (`section` set) whose name one of them has becomes "<Section>.<Name>".
  FieldId field_in_event(FieldId id, bool system, const std::string* section, std::vector<FieldId>& system_fields);

 private:
  FieldId element_field(const Name& element);
  FieldId attribute_field(const Name& element, const Name& attribute);
  FieldId data_field(const RecordTree& tree, std::uint32_t name_attribute);
  void visit_leaves(const RecordTree& tree, std::uint32_t element, const std::string& section, FieldVisitor& visitor,
                    int depth);
  FieldId qualified_field(FieldId id, const std::string& section);

  std::unordered_map<const std::uint8_t*, FieldId> data_names_;  // by the Name attribute's bytes
  std::unordered_map<FieldId, FieldId> qualified_;               // payload field -> "<Section>.<Name>"
  std::string scratch_;
  std::vector<FieldId> system_fields_;
  std::unique_ptr<TemplateFields> templates_;
  EventGate gate_;
};

// Sets the event's time from the first piece of TimeCreated's attribute: a FILETIME directly,
// text (forwarded events) from the value just committed.
void set_time_from(EventBatch& batch, const Piece& first);

}  // namespace ashiato::evtx
