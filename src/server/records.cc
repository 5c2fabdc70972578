#include "server/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "server/request_fields.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

std::string RecordPaths::record(std::size_t index) const {
  return listed ? index_path(base, index) : base;
}

std::string RecordPaths::field(std::size_t index, const std::string& column) const {
  return member_path(record(index), column);
}

namespace {

// Integral doubles below this are written without a fraction ("3", not "3.0").
constexpr double kLargestExactInteger = 9007199254740992.0;  // 2^53

// The text a JSON value stands for, as it would appear in a CSV cell ("" for null).
std::string cell_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (number == std::floor(number) && std::fabs(number) < kLargestExactInteger) {
      return std::to_string(static_cast<int64_t>(number));
    }
  }
  return value.dump();
}

std::string expected_of(const ColumnSchema& column) {
  switch (column.type) {
    case ColumnType::kNumeric:
      return "a number, a numeric string or null";
    case ColumnType::kBoolean:
      return fmt::format("\"{}\", \"{}\", true, false or null", column.true_label,
                         column.false_label);
    default:
      return "a string or null";
  }
}

// Whether the column can take a value of this JSON type (its content is read later).
bool kind_fits(const ColumnSchema& column, const nlohmann::json& value) {
  if (value.is_null() || value.is_string()) return true;
  if (value.is_number_float() && !std::isfinite(value.get<double>())) return false;
  switch (column.type) {
    case ColumnType::kBoolean:
      return value.is_number() || value.is_boolean();
    default:
      return value.is_number();  // numeric, or a categorical's numeric code
  }
}

// Refuses a value whose JSON type the column cannot take, whatever its content.
void check_kind(const ColumnSchema& column, const nlohmann::json& value, const std::string& field) {
  if (kind_fits(column, value)) return;
  if (value.is_number()) throw_field(field, field + " must be a finite number");
  throw_field(field,
              fmt::format("{} must be {}, not {}", field, expected_of(column), json_kind(value)));
}

void read_numeric(Column& column, const nlohmann::json& value, const std::string& field,
                  const std::vector<std::string>& na_tokens) {
  if (value.is_number()) {
    column.values.push_back(value.get<double>());
    return;
  }
  std::string text = cell_text(value);
  if (value.is_null() || is_missing_token(text, na_tokens)) {
    column.values.push_back(kMissing);
    ++column.missing;
    return;
  }
  auto number = parse_number(text);
  if (!number) throw_field(field, field + " must be a number, not " + value.dump());
  column.values.push_back(*number);
}

bool same_text(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void read_boolean(Column& column, const nlohmann::json& value, const std::string& field,
                  const std::vector<std::string>& na_tokens) {
  const ColumnSchema& s = column.schema;
  std::string text = cell_text(value);
  if (value.is_null() || is_missing_token(text, na_tokens)) {
    column.values.push_back(kMissing);
    ++column.missing;
    return;
  }
  bool truthy = same_text(text, s.true_label) || (value.is_boolean() && value.get<bool>()) ||
                (value.is_number() && value.get<double>() == 1 && s.true_label == "1");
  bool falsy = same_text(text, s.false_label) || (value.is_boolean() && !value.get<bool>()) ||
               (value.is_number() && value.get<double>() == 0 && s.false_label == "0");
  if (truthy == falsy) {
    throw_field(field, fmt::format("{} must be {}, not {}", field, expected_of(s), value.dump()));
  }
  column.values.push_back(truthy ? 1.0 : 0.0);
}

void read_categorical(Column& column, const nlohmann::json& value,
                      const std::vector<std::string>& na_tokens) {
  std::string text = cell_text(value);
  if (value.is_null() || is_missing_token(text, na_tokens)) {
    column.codes.push_back(kMissingCode);
    ++column.missing;
    return;
  }
  const auto& levels = column.schema.levels;
  auto it = std::find(levels.begin(), levels.end(), text);
  if (it == levels.end()) {
    column.codes.push_back(kUnseenCode);
    ++column.unseen;
    return;
  }
  column.codes.push_back(static_cast<int32_t>(it - levels.begin()));
}

const ColumnSchema& schema_of(const Bundle& bundle, const std::string& name) {
  const int index = bundle.schema.index_of(name);
  if (index < 0) {
    throw Error(ErrorCode::kInternal, "the model's schema lacks its input column " + name);
  }
  return bundle.schema.columns[static_cast<std::size_t>(index)];
}

const nlohmann::json& record_object(const std::vector<CustomerRecord>& records, std::size_t i,
                                    const RecordPaths& paths) {
  if (!records[i].is_object()) {
    const std::string field = paths.record(i);
    throw_field(field, fmt::format("{} must be a JSON object of column: value, not {}",
                                   field.empty() ? "the customer" : field, json_kind(records[i])));
  }
  return records[i];
}

const nlohmann::json& member_of(const nlohmann::json& record, const std::string& column,
                                std::size_t i, const RecordPaths& paths) {
  auto it = record.find(column);
  if (it == record.end()) {
    const std::string field = paths.field(i, column);
    throw_field(field, field + " is required (null for a missing value)");
  }
  return *it;
}

}  // namespace

Dataset records_to_dataset(const Bundle& bundle, const std::vector<CustomerRecord>& records,
                           const RecordPaths& paths) {
  const auto& required = bundle.required_columns();
  Dataset data;
  data.source = "request";
  data.columns.reserve(required.size());
  for (const auto& name : required) {
    Column column;
    column.schema = schema_of(bundle, name);
    data.columns.push_back(std::move(column));
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = record_object(records, i, paths);
    for (auto& column : data.columns) {
      const auto& value = member_of(record, column.name(), i, paths);
      const std::string field = paths.field(i, column.name());
      check_kind(column.schema, value, field);
      switch (column.type()) {
        case ColumnType::kNumeric:
          read_numeric(column, value, field, bundle.schema.na_tokens);
          break;
        case ColumnType::kBoolean:
          read_boolean(column, value, field, bundle.schema.na_tokens);
          break;
        default:
          read_categorical(column, value, bundle.schema.na_tokens);
          break;
      }
    }
    data.lines.push_back(i + 1);
  }
  return data;
}

namespace {

// Calls `use(i, fields)` with each record's input fields as CSV cells, in `columns` order, and
// turns an engine error on a field into the documented refusal.
template <typename Use>
void for_each_record(const Bundle& bundle, const std::vector<std::string>& columns,
                     const std::vector<CustomerRecord>& records, const RecordPaths& paths,
                     Use use) {
  // Reused per thread: assigning into a string with enough capacity does not allocate.
  thread_local std::vector<std::string> texts;
  thread_local std::vector<std::string_view> views;
  texts.resize(columns.size());
  views.resize(columns.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = record_object(records, i, paths);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& value = member_of(record, columns[c], i, paths);
      if (value.is_string()) {
        views[c] = value.get_ref<const std::string&>();
        continue;
      }
      // Strings fit every column; only other values need the column's type (looked up here, off
      // the common path).
      const ColumnSchema& schema = schema_of(bundle, columns[c]);
      if (!kind_fits(schema, value)) check_kind(schema, value, paths.field(i, columns[c]));
      if (value.is_boolean()) {
        // true / false for a yes/no column mean its labels (check_kind refused them elsewhere).
        texts[c] = value.get<bool>() ? schema.true_label : schema.false_label;
      } else {
        texts[c] = cell_text(value);
      }
      views[c] = texts[c];
    }
    try {
      use(i, std::span<const std::string_view>(views));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kBadData && e.code() != ErrorCode::kUsage) throw;
      // The slow reader gives the documented message (and field name) for the same defect.
      records_to_dataset(bundle, records, paths);
      const std::string field = paths.field(i, e.where().column);
      throw_field(field, field + ": " + e.message());
    }
  }
}

}  // namespace

std::vector<double> score_records(const Bundle& bundle, const Scorer& scorer,
                                  const std::vector<CustomerRecord>& records,
                                  const RecordPaths& paths) {
  std::vector<double> out(records.size());
  for_each_record(bundle, scorer.input_columns(), records, paths,
                  [&](std::size_t i, std::span<const std::string_view> fields) {
                    out[i] = scorer.score_record(fields);
                  });
  return out;
}

std::vector<Explanation> explain_records(const Bundle& bundle, const Explainer& explainer,
                                         const std::vector<CustomerRecord>& records,
                                         const RecordPaths& paths) {
  std::vector<Explanation> out(records.size());
  for_each_record(bundle, explainer.input_columns(), records, paths,
                  [&](std::size_t i, std::span<const std::string_view> fields) {
                    out[i] = explainer.explain_record(fields);
                  });
  return out;
}

std::string record_id(const Bundle& bundle, const CustomerRecord& record) {
  for (const auto& name : bundle.id_columns) {
    auto it = record.find(name);
    if (it != record.end() && !it->is_null()) return cell_text(*it);
  }
  return "";
}

}  // namespace smartchurn::server
