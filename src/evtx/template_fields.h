// Events straight from template instances. Nearly every record is one instance of a template
// defined once per chunk, whose payload section is often the BinXML value of a substitution: one
// more template instance. Each template is parsed once per chunk into the list of fields it makes
// (the same walk as over a record's tree, see EventFieldBuilder::visit), and each record fills
// that list with its substitution values instead of building and walking a tree.
//
// A record takes the tree path instead when its shape or values could change what the walk sees:
// content besides one template instance, a BinXML value used as element content anywhere but
// where a section's elements go, an array value repeating an element the plan cannot repeat, a
// value index beyond the instance's values, or a template that does not parse alone (the tree
// path then reports the error as usual).
#pragma once
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "evtx/binxml_parser.h"
#include "evtx/event_fields.h"
#include "evtx/parallel_reader.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

class TemplateFields {
 public:
  explicit TemplateFields(EventFieldBuilder& names);
  void begin_chunk() { plans_.clear(); }
  // See EventFieldBuilder::add_direct.
  bool add(Chunk& chunk, std::uint32_t begin, std::uint32_t end, const RecordInfo& info, std::uint32_t file_id,
           EventBatch& batch);

 private:
  // One field, or (when `nested_from` is set) the fields of the elements a BinXML value adds here.
  struct Step {
    FieldId id;
    const std::string* section;  // payload fields: renamed "<Section>.<Name>" on a collision
    std::uint32_t first_part;
    std::uint32_t end_part;
    std::uint32_t nested_from;   // substitution index, or kNone
    const Name* nested_section;  // null: the value adds sections; else children of this section
    bool system;
    bool absent_when_empty;
    bool time;
    ArrayContent on_array;
  };
  // How a template's elements are walked: as a record's whole event, as sections (a BinXML value
  // in the root element), or as the children of a section (a BinXML value in, e.g., UserData).
  struct PlanKey {
    std::uint32_t definition;
    bool nested;
    const Name* section;
    bool operator==(const PlanKey&) const = default;
  };
  struct PlanKeyHash {
    std::size_t operator()(const PlanKey& k) const {
      return std::hash<const void*>()(k.section) ^ (std::size_t{k.definition} << 1) ^ (k.nested ? 1 : 0);
    }
  };
  struct Plan {
    bool usable = false;
    std::uint32_t values_needed = 0;  // highest substitution index + 1
    // Per substitution index: a BinXML value there is safe when every use of it as element
    // content is a nested step (attribute uses render it as hex both ways).
    std::vector<std::uint8_t> binxml_safe;
    std::vector<Step> steps;
    std::vector<Piece> parts;  // each field's pieces in order; kSubstitution ones take values
  };
  // A template instance of this record: the outer one, then the BinXML values' ones in step order.
  struct Frame {
    const Plan* plan;
    std::uint32_t values;  // index into values_
    bool has_array;        // some value is an array
  };
  class Compiler;

  const Plan& plan_for(Chunk& chunk, const BinXmlParser::TemplateDefinition& definition, const PlanKey& key);
  // Reads the template instance in [begin, end) and, recursively, those of its nested BinXML
  // values. False when the record must take the tree path.
  bool add_frames(Chunk& chunk, std::uint32_t begin, std::uint32_t end, bool nested, const Name* section, int depth);
  // False when the builder's gate turned the event away (see EventFieldBuilder::set_gate).
  bool emit(std::size_t& frame, const std::uint8_t* bytes, EventBatch& batch);
  // Notes a System field for the gate; false when the gate, asked once the event's Channel,
  // EventID and time are known, turns the event away.
  bool gate_passes(FieldId id, const EventBatch& batch, bool time);
  // The array value that is a field's only present part, which repeats its element; else null.
  static const BinXmlParser::Value* repeating_array(const Plan& plan, const Step& step,
                                                    const std::vector<BinXmlParser::Value>& values);

  EventFieldBuilder& names_;
  std::unordered_map<PlanKey, Plan, PlanKeyHash> plans_;
  RecordTree template_tree_;
  std::vector<Frame> frames_;
  std::vector<std::vector<BinXmlParser::Value>> values_;  // per frame, reused
  std::vector<FieldId> system_fields_;
  // The gate's questions about the current event.
  FieldId channel_field_, event_id_field_;
  std::string channel_, event_id_;
  bool has_channel_ = false, has_event_id_ = false, has_time_ = false, gate_asked_ = false;
};

}  // namespace ashiato::evtx
