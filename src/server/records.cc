#include "server/records.h"

#include <algorithm>
#include <cmath>

#include "server/api_error.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

std::string field_name(std::size_t index, std::size_t count, const std::string& column) {
  return count == 1 ? column : "customers[" + std::to_string(index) + "]." + column;
}

// The text a JSON value stands for, as it would appear in a CSV cell ("" for null).
std::string cell_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return value.dump();
}

void read_numeric(Column& column, const nlohmann::json& value, const std::string& field,
                  const std::vector<std::string>& na_tokens) {
  if (value.is_number()) {
    double v = value.get<double>();
    if (!std::isfinite(v)) throw ApiError(400, "invalid_field", field + " must be a finite number", field);
    column.values.push_back(v);
    return;
  }
  std::string text = cell_text(value);
  if (value.is_null() || is_missing_token(text, na_tokens)) {
    column.values.push_back(kMissing);
    ++column.missing;
    return;
  }
  auto number = value.is_string() ? parse_number(text) : std::nullopt;
  if (!number) {
    throw ApiError(400, "invalid_field", field + " must be a number, not " + value.dump(), field);
  }
  column.values.push_back(*number);
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
  auto same = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  bool truthy = same(text, s.true_label) || (value.is_boolean() && value.get<bool>()) ||
                (value.is_number() && value.get<double>() == 1 && s.true_label == "1");
  bool falsy = same(text, s.false_label) || (value.is_boolean() && !value.get<bool>()) ||
               (value.is_number() && value.get<double>() == 0 && s.false_label == "0");
  if (truthy == falsy) {
    throw ApiError(400, "invalid_field",
                   field + " must be \"" + s.true_label + "\" or \"" + s.false_label + "\", not " +
                       value.dump(),
                   field);
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

}  // namespace

Dataset records_to_dataset(const Bundle& bundle, const std::vector<nlohmann::json>& records) {
  const auto& required = bundle.required_columns();
  Dataset data;
  data.source = "request";
  data.columns.reserve(required.size());
  for (const auto& name : required) {
    int index = bundle.schema.index_of(name);
    if (index < 0) throw ApiError(500, "internal", "the model's schema lacks column " + name);
    Column column;
    column.schema = bundle.schema.columns[static_cast<std::size_t>(index)];
    data.columns.push_back(std::move(column));
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    if (!record.is_object()) {
      std::string field = records.size() == 1 ? "customer" : "customers[" + std::to_string(i) + "]";
      throw ApiError(400, "invalid_field", field + " must be a JSON object", field);
    }
    for (auto& column : data.columns) {
      const std::string field = field_name(i, records.size(), column.name());
      auto it = record.find(column.name());
      if (it == record.end()) {
        throw ApiError(400, "missing_field", field + " is required", field);
      }
      switch (column.type()) {
        case ColumnType::kNumeric: read_numeric(column, *it, field, bundle.schema.na_tokens); break;
        case ColumnType::kBoolean: read_boolean(column, *it, field, bundle.schema.na_tokens); break;
        default: read_categorical(column, *it, bundle.schema.na_tokens); break;
      }
    }
    data.lines.push_back(i + 1);
  }
  return data;
}

namespace {

// Calls `use(i, fields)` with each record's input fields as CSV cells, in `columns` order, and
// turns an engine error on a field into the documented ApiError 400.
template <typename Use>
void for_each_record(const Bundle& bundle, const std::vector<std::string>& columns,
                     const std::vector<nlohmann::json>& records, Use use) {
  // Reused per thread: assigning into a string with enough capacity does not allocate.
  thread_local std::vector<std::string> texts;
  thread_local std::vector<std::string_view> views;
  texts.resize(columns.size());
  views.resize(columns.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    if (!record.is_object()) {
      std::string field = records.size() == 1 ? "customer" : "customers[" + std::to_string(i) + "]";
      throw ApiError(400, "invalid_field", field + " must be a JSON object", field);
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      auto it = record.find(columns[c]);
      if (it == record.end()) {
        std::string field = field_name(i, records.size(), columns[c]);
        throw ApiError(400, "missing_field", field + " is required", field);
      }
      if (it->is_string()) {
        views[c] = it->get_ref<const std::string&>();
        continue;
      }
      if (it->is_number_float() && !std::isfinite(it->get<double>())) {
        std::string field = field_name(i, records.size(), columns[c]);
        throw ApiError(400, "invalid_field", field + " must be a finite number", field);
      }
      if (it->is_boolean()) {
        // true / false for a yes/no column mean its labels.
        int index = bundle.schema.index_of(columns[c]);
        const auto* schema = index >= 0 ? &bundle.schema.columns[std::size_t(index)] : nullptr;
        if (schema && schema->type == ColumnType::kBoolean) {
          texts[c] = it->get<bool>() ? schema->true_label : schema->false_label;
          views[c] = texts[c];
          continue;
        }
      }
      texts[c] = cell_text(*it);
      views[c] = texts[c];
    }
    try {
      use(i, std::span<const std::string_view>(views));
    } catch (const Error& e) {
      // The slow reader gives the documented message (and field name) for the same defect.
      records_to_dataset(bundle, records);
      throw ApiError(400, "invalid_field", e.message(), field_name(i, records.size(), e.where().column));
    }
  }
}

}  // namespace

std::vector<double> score_records(const Bundle& bundle, const Scorer& scorer,
                                  const std::vector<nlohmann::json>& records) {
  std::vector<double> out(records.size());
  for_each_record(bundle, scorer.input_columns(), records,
                  [&](std::size_t i, std::span<const std::string_view> fields) {
                    out[i] = scorer.score_record(fields);
                  });
  return out;
}

std::vector<Explanation> explain_records(const Bundle& bundle, const Explainer& explainer,
                                         const std::vector<nlohmann::json>& records) {
  std::vector<Explanation> out(records.size());
  for_each_record(bundle, explainer.input_columns(), records,
                  [&](std::size_t i, std::span<const std::string_view> fields) {
                    out[i] = explainer.explain_record(fields);
                  });
  return out;
}

std::string record_id(const Bundle& bundle, const nlohmann::json& record) {
  for (const auto& name : bundle.id_columns) {
    auto it = record.find(name);
    if (it != record.end() && !it->is_null()) return cell_text(*it);
  }
  return "";
}

}  // namespace smartchurn::server
