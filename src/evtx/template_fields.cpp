#include "evtx/template_fields.h"

#include <algorithm>

#include "evtx/array_items.h"
#include "evtx/event_fields.h"
#include "evtx/format.h"
#include "evtx/value_renderer.h"

namespace ashiato::evtx {
namespace {

constexpr int kMaxNesting = 8;  // template instances within section values

// Whether a root-level substitution could come before the System element: then a System element
// in a BinXML value would be taken as the event's System, which a plan cannot know in advance.
bool sections_before_system(const RecordTree& tree) {
  for (std::uint32_t p = tree.elements[tree.root].first_piece; p != kNone; p = tree.pieces[p].next) {
    const Piece& piece = tree.pieces[p];
    if (piece.kind == PieceKind::kSubstitution) return true;
    if (piece.kind == PieceKind::kElement && tree.elements[piece.size].name->text == "System") return false;
  }
  return false;
}

}  // namespace

// Records the walk over a template's own tree as a plan.
class TemplateFields::Compiler final : public FieldVisitor {
 public:
  Compiler(const RecordTree& tree, Plan& plan) : tree_(tree), plan_(plan) {}

  void field(const FieldSite& site) override {
    // The section's name lives in the chunk's name table, as long as the plan.
    Step step{site.id,
              site.section,
              static_cast<std::uint32_t>(plan_.parts.size()),
              0,
              kNone,
              nullptr,
              site.system,
              site.absent_when_empty,
              site.time,
              site.on_array};
    for (std::uint32_t p = site.first_piece; p != kNone; p = tree_.pieces[p].next) {
      plan_.parts.push_back(tree_.pieces[p]);
    }
    step.end_part = static_cast<std::uint32_t>(plan_.parts.size());
    plan_.steps.push_back(step);
  }

  void nested_content(std::uint32_t substitution, const Name* section) override {
    plan_.steps.push_back(
        Step{kNoField, nullptr, 0, 0, substitution, section, false, false, false, ArrayContent::kJoined});
  }

 private:
  const RecordTree& tree_;
  Plan& plan_;
};

const TemplateFields::Plan& TemplateFields::plan_for(Chunk& chunk, const BinXmlParser::TemplateDefinition& definition,
                                                     const PlanKey& key) {
  auto [it, inserted] = plans_.try_emplace(key);
  Plan& plan = it->second;
  if (!inserted) return plan;
  try {
    BinXmlParser(chunk).parse_template(definition, key.nested, template_tree_);
    Compiler compiler(template_tree_, plan);
    if (!key.nested) {
      if (sections_before_system(template_tree_)) return plan;
      names_.visit(template_tree_, compiler);
    } else if (key.section == nullptr) {
      names_.visit_sections(template_tree_, template_tree_.root, kNone, compiler);
    } else {
      names_.visit_section_content(template_tree_, template_tree_.root, *key.section, compiler);
    }
  } catch (const ParseError&) {
    plan = Plan{};  // not usable: its records take the tree path, which reports what is wrong
    return plan;
  }
  for (const Piece& p : template_tree_.pieces) {
    if (p.kind == PieceKind::kSubstitution) plan.values_needed = std::max(plan.values_needed, p.size + 1);
  }
  // Uses as element content against uses as nested steps, per substitution index.
  std::vector<int> balance(plan.values_needed, 0);
  for (const Element& e : template_tree_.elements) {
    for (std::uint32_t p = e.first_piece; p != kNone; p = template_tree_.pieces[p].next) {
      if (template_tree_.pieces[p].kind == PieceKind::kSubstitution) ++balance[template_tree_.pieces[p].size];
    }
  }
  for (const Step& step : plan.steps) {
    if (step.nested_from != kNone) --balance[step.nested_from];
  }
  plan.binxml_safe.resize(plan.values_needed);
  for (std::size_t i = 0; i < balance.size(); ++i) plan.binxml_safe[i] = balance[i] == 0 ? 1 : 0;
  plan.usable = true;
  return plan;
}

bool TemplateFields::add_frames(Chunk& chunk, std::uint32_t begin, std::uint32_t end, bool nested, const Name* section,
                                int depth) {
  // Expected: fragment header (4 bytes), template instance token, its operands, end of fragment.
  const std::uint8_t* bytes = chunk.bytes().data();
  if (end > begin && bytes[begin] == kFragmentHeader) begin += 4;  // BinXML values may start without one
  if (depth > kMaxNesting || end <= begin || bytes[begin] != kTemplateInstance) {
    return false;
  }
  const auto frame = static_cast<std::uint32_t>(frames_.size());
  if (values_.size() <= frame) values_.resize(frame + 1);
  BinXmlParser::Cursor c{begin + 1, end};
  BinXmlParser::TemplateDefinition definition{};
  try {
    definition = BinXmlParser(chunk).read_template_instance(c, values_[frame]);
  } catch (const ParseError&) {
    return false;
  }
  if (c.pos < c.end && bytes[c.pos] != kEndOfFragment) return false;
  const Plan& plan = plan_for(chunk, definition, PlanKey{definition.offset, nested, section});
  const auto& values = values_[frame];
  if (!plan.usable || plan.values_needed > values.size()) return false;
  bool has_array = false;
  for (const BinXmlParser::Value& v : values) has_array = has_array || (v.type & kArrayFlag) != 0;
  if (has_array) {
    for (const Step& step : plan.steps) {
      if (step.on_array == ArrayContent::kUnplanned && repeating_array(plan, step, values) != nullptr) return false;
    }
  }
  // A BinXML value used as element content outside the nested steps would add elements the plan
  // does not know.
  for (std::size_t i = 0; i < values.size() && i < plan.binxml_safe.size(); ++i) {
    if (values[i].type == kBinXml && plan.binxml_safe[i] == 0) return false;
  }
  frames_.push_back(Frame{&plan, frame, has_array});
  for (const Step& step : plan.steps) {
    if (step.nested_from == kNone) continue;
    const BinXmlParser::Value v = values_[frame][step.nested_from];  // copy: values_ may grow
    if (v.type != kBinXml) continue;                                 // null or text between elements: no field
    if (!add_frames(chunk, v.offset, v.offset + v.size, true, step.nested_section, depth + 1)) return false;
  }
  return true;
}

const BinXmlParser::Value* TemplateFields::repeating_array(const Plan& plan, const Step& step,
                                                           const std::vector<BinXmlParser::Value>& values) {
  if (step.on_array == ArrayContent::kJoined) return nullptr;
  const BinXmlParser::Value* only = nullptr;
  for (std::uint32_t p = step.first_part; p < step.end_part; ++p) {
    const Piece& part = plan.parts[p];
    if (part.kind == PieceKind::kSubstitution && values[part.size].type == kNull) continue;
    if (only != nullptr || part.kind != PieceKind::kSubstitution) return nullptr;
    only = &values[part.size];
  }
  return only != nullptr && (only->type & kArrayFlag) != 0 ? only : nullptr;
}

TemplateFields::TemplateFields(EventFieldBuilder& names)
    : names_(names), channel_field_(intern_field("Channel")), event_id_field_(intern_field("EventID")) {}

bool TemplateFields::gate_passes(FieldId id, const EventBatch& batch, bool time) {
  if (id == channel_field_ && !has_channel_) {
    channel_ = batch.last_value();
    has_channel_ = true;
  } else if (id == event_id_field_ && !has_event_id_) {
    event_id_ = batch.last_value();
    has_event_id_ = true;
  }
  has_time_ = has_time_ || time;
  if (!has_channel_ || !has_event_id_ || !has_time_) return true;
  gate_asked_ = true;
  return names_.gate()(channel_, event_id_);
}

bool TemplateFields::emit(std::size_t& frame, const std::uint8_t* bytes, EventBatch& batch) {
  const Plan& plan = *frames_[frame].plan;
  const auto& values = values_[frames_[frame].values];
  const bool has_array = frames_[frame].has_array;
  ++frame;
  std::string& text = batch.text_buffer();
  for (const Step& step : plan.steps) {
    if (step.nested_from != kNone) {
      if (values[step.nested_from].type == kBinXml && !emit(frame, bytes, batch)) return false;
      continue;
    }
    // A null value renders nothing, and the tree path keeps no piece for it.
    std::uint32_t first_present = step.end_part;
    for (std::uint32_t p = step.first_part; p < step.end_part; ++p) {
      const Piece& part = plan.parts[p];
      if (part.kind != PieceKind::kSubstitution || values[part.size].type != kNull) {
        first_present = p;
        break;
      }
    }
    if (step.absent_when_empty && first_present == step.end_part) continue;
    const FieldId id = names_.field_in_event(step.id, step.system, step.section, system_fields_);
    if (has_array) {
      if (const BinXmlParser::Value* array = repeating_array(plan, step, values)) {
        // The element repeats once per item (one empty element for an empty array).
        const std::uint8_t item_type = array->type & ~kArrayFlag;
        const std::uint8_t* data = bytes + array->offset;
        bool any = false;
        const bool split = for_each_array_item(array->type, data, array->size, [&](std::uint32_t at, std::uint32_t n) {
          const std::size_t start = text.size();
          append_value(text, item_type, data + at, n);
          batch.commit_field(id, start);
          any = true;
        });
        if (split) {
          if (!any) batch.commit_field(id, text.size());
          continue;
        }
      }
    }
    const std::size_t start = text.size();
    for (std::uint32_t p = first_present; p < step.end_part; ++p) {
      const Piece& part = plan.parts[p];
      if (part.kind != PieceKind::kSubstitution) {
        append_piece_text(text, part);
        continue;
      }
      const BinXmlParser::Value& v = values[part.size];
      if (v.type != kNull) append_value(text, v.type, bytes + v.offset, v.size);
    }
    batch.commit_field(id, start);
    if (step.time && first_present != step.end_part) {
      Piece first = plan.parts[first_present];
      if (first.kind == PieceKind::kSubstitution) {
        const BinXmlParser::Value& v = values[first.size];
        first = Piece{PieceKind::kValue, v.type, kNone, v.size, bytes + v.offset};
      }
      set_time_from(batch, first);
    }
    if (step.system && !gate_asked_ && names_.gate() && !gate_passes(id, batch, step.time)) return false;
  }
  return true;
}

bool TemplateFields::add(Chunk& chunk, std::uint32_t begin, std::uint32_t end, const RecordInfo& info,
                         std::uint32_t file_id, EventBatch& batch) {
  frames_.clear();
  if (!add_frames(chunk, begin, end, false, nullptr, 0)) return false;
  batch.begin_event(Timestamp::from_filetime(info.written_time), SourceRef{file_id, info.record_id, info.file_offset});
  system_fields_.clear();
  has_channel_ = has_event_id_ = has_time_ = gate_asked_ = false;
  std::size_t frame = 0;
  emit(frame, chunk.bytes().data(), batch);  // turned away by the gate: the event as read so far
  return true;
}

}  // namespace ashiato::evtx
