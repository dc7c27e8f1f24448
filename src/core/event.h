// Events as readers hand them to detectors: a time, a source reference and fields by FieldId.
// Field values live in the owning EventBatch's text arena; an Event is valid as long as its batch.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_id.h"
#include "core/timestamp.h"

namespace ashiato {

struct SourceRef {
  std::uint32_t file_id = 0;    // index into the run's list of input files
  std::uint64_t record_id = 0;  // EVTX EventRecordID, or line number for text logs
  std::uint64_t offset = 0;     // byte offset of the record in the file
};

struct FieldValue {
  FieldId id;
  std::uint32_t offset;  // into EventBatch::text
  std::uint32_t length;
};

class EventBatch;

class Event {
 public:
  Event(const EventBatch* batch, std::uint32_t index) : batch_(batch), index_(index) {}

  Timestamp time() const;
  const SourceRef& source() const;
  // First value of the field, if present.
  std::optional<std::string_view> get(FieldId id) const;
  // The n-th value of a field that occurs several times (e.g. unnamed EventData <Data>).
  std::optional<std::string_view> get(FieldId id, std::size_t nth) const;
  template <typename Fn>
  void for_each_field(Fn&& fn) const;  // fn(FieldId, std::string_view), in document order
  std::uint32_t field_count() const;
  FieldId field_id(std::uint32_t i) const;
  std::string_view field_value(std::uint32_t i) const;
  // All fields at once (field_count() of them), for loops over every field.
  const FieldValue* fields() const;
  // Identity of the event (batch and position), e.g. for per-event caches.
  const void* batch() const { return batch_; }
  std::uint32_t index() const { return index_; }

 private:
  const EventBatch* batch_;
  std::uint32_t index_;
};

class EventBatch {
 public:
  struct Record {
    Timestamp time;
    SourceRef source;
    std::uint32_t first_field;
    std::uint32_t field_count;
  };

  void clear() {
    text_.clear();
    fields_.clear();
    records_.clear();
  }
  // Starts a new event; following add_field calls belong to it.
  void begin_event(Timestamp time, const SourceRef& source) {
    records_.push_back(Record{time, source, static_cast<std::uint32_t>(fields_.size()), 0});
  }
  void set_time(Timestamp time) { records_.back().time = time; }
  // The value added last (e.g. to parse it right after adding).
  std::string_view last_value() const { return value(fields_.back()); }
  void add_field(FieldId id, std::string_view value) {
    fields_.push_back(
        FieldValue{id, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(value.size())});
    text_.append(value);
    records_.back().field_count++;
  }
  // Appending a value in place: append to text_buffer(), then commit_field with the size of
  // the buffer before appending. Saves a copy on the readers' hot path.
  std::string& text_buffer() { return text_; }
  void commit_field(FieldId id, std::size_t start) {
    fields_.push_back(
        FieldValue{id, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(text_.size() - start)});
    records_.back().field_count++;
  }
  // A field whose value is already in the text (e.g. part of a raw log line appended once).
  void add_field_at(FieldId id, std::uint32_t offset, std::uint32_t length) {
    fields_.push_back(FieldValue{id, offset, length});
    records_.back().field_count++;
  }
  // Drops the event begun last (e.g. when it turned out to be corrupt).
  void drop_last_event() {
    const Record& r = records_.back();
    if (r.field_count > 0) text_.resize(fields_[r.first_field].offset);
    fields_.resize(r.first_field);
    records_.pop_back();
  }

  std::size_t size() const { return records_.size(); }
  Event operator[](std::size_t i) const { return Event(this, static_cast<std::uint32_t>(i)); }
  const Record& record(std::size_t i) const { return records_[i]; }
  const FieldValue* fields_of(std::size_t i) const { return fields_.data() + records_[i].first_field; }
  std::string_view value(const FieldValue& f) const { return std::string_view(text_).substr(f.offset, f.length); }

 private:
  std::string text_;
  std::vector<FieldValue> fields_;
  std::vector<Record> records_;
};

inline Timestamp Event::time() const {
  return batch_->record(index_).time;
}
inline const SourceRef& Event::source() const {
  return batch_->record(index_).source;
}

inline std::optional<std::string_view> Event::get(FieldId id, std::size_t nth) const {
  const auto& r = batch_->record(index_);
  const FieldValue* f = batch_->fields_of(index_);
  for (std::uint32_t i = 0; i < r.field_count; ++i) {
    if (f[i].id == id && nth-- == 0) return batch_->value(f[i]);
  }
  return std::nullopt;
}

inline std::optional<std::string_view> Event::get(FieldId id) const {
  return get(id, 0);
}

inline std::uint32_t Event::field_count() const {
  return batch_->record(index_).field_count;
}
inline FieldId Event::field_id(std::uint32_t i) const {
  return batch_->fields_of(index_)[i].id;
}
inline const FieldValue* Event::fields() const {
  return batch_->fields_of(index_);
}
inline std::string_view Event::field_value(std::uint32_t i) const {
  return batch_->value(batch_->fields_of(index_)[i]);
}

template <typename Fn>
void Event::for_each_field(Fn&& fn) const {
  const auto& r = batch_->record(index_);
  const FieldValue* f = batch_->fields_of(index_);
  for (std::uint32_t i = 0; i < r.field_count; ++i) fn(f[i].id, batch_->value(f[i]));
}

}  // namespace ashiato
