// Column types, schema (de)serialisation, missing-value tokens and number parsing.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace smartchurn {

namespace detail {

std::string format_number(double value) {
  if (std::isnan(value)) return "";
  std::array<char, 64> text{};
  auto result = std::to_chars(text.data(), text.data() + text.size(), value);
  return std::string(text.data(), result.ptr);
}

std::string_view trim(std::string_view text) {
  // A loop, not find_first_not_of: this runs on every cell read, mostly with nothing to trim.
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t first = 0, end = text.size();
  while (first < end && blank(text[first])) ++first;
  while (end > first && blank(text[end - 1])) --end;
  return text.substr(first, end - first);
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool looks_like_id_name(std::string_view name) {
  name = trim(name);
  const std::string lower = to_lower(name);
  if (lower == "id" || lower == "uuid" || lower == "guid") return true;
  if (name.size() < 3) return false;
  std::string_view tail = name.substr(name.size() - 2);
  if (tail == "Id" || tail == "ID") return true;
  // Other common id suffixes: customer_id, CLIENTNUM, RowNumber, account_no, customer_key.
  for (std::string_view suffix : {"_id", "num", "number", "_no", "_key", "uuid"}) {
    if (lower.size() > suffix.size() && lower.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace detail

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kNumeric:
      return "numeric";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kCategorical:
      return "categorical";
    case ColumnType::kIdentifier:
      return "identifier";
    case ColumnType::kConstant:
      return "constant";
  }
  return "categorical";
}

ColumnType column_type_from_string(const std::string& name) {
  for (auto type : {ColumnType::kNumeric, ColumnType::kBoolean, ColumnType::kCategorical,
                    ColumnType::kIdentifier, ColumnType::kConstant}) {
    if (name == to_string(type)) return type;
  }
  throw_bad_data("unknown column type '" + name + "'");
}

int Schema::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void to_json(nlohmann::json& j, const ColumnSchema& c) {
  j = nlohmann::json{{"name", c.name}, {"type", to_string(c.type)}};
  switch (c.type) {
    case ColumnType::kNumeric:
      j["integer"] = c.integer;
      break;
    case ColumnType::kBoolean:
      j["true_label"] = c.true_label;
      j["false_label"] = c.false_label;
      break;
    default:
      j["levels"] = c.levels;
      break;
  }
}

void from_json(const nlohmann::json& j, ColumnSchema& c) {
  try {
    c = ColumnSchema{};
    c.name = j.at("name").get<std::string>();
    c.type = column_type_from_string(j.at("type").get<std::string>());
    c.levels = j.value("levels", std::vector<std::string>{});
    c.true_label = j.value("true_label", std::string{});
    c.false_label = j.value("false_label", std::string{});
    c.integer = j.value("integer", false);
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(std::string("invalid column schema: ") + e.what());
  }
}

void to_json(nlohmann::json& j, const Schema& s) {
  j = nlohmann::json{{"columns", s.columns}, {"na_tokens", s.na_tokens}};
}

void from_json(const nlohmann::json& j, Schema& s) {
  try {
    s.columns = j.at("columns").get<std::vector<ColumnSchema>>();
    s.na_tokens = j.value("na_tokens", std::vector<std::string>{});
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(std::string("invalid schema: ") + e.what());
  }
}

bool Column::is_missing_at(std::size_t row) const {
  switch (type()) {
    case ColumnType::kNumeric:
    case ColumnType::kBoolean:
      return is_missing(values[row]);
    default:
      return codes[row] == kMissingCode;
  }
}

std::string Column::text_at(std::size_t row) const {
  switch (type()) {
    case ColumnType::kNumeric:
      return detail::format_number(values[row]);
    case ColumnType::kBoolean:
      if (is_missing(values[row])) return "";
      return values[row] > 0.5 ? schema.true_label : schema.false_label;
    default: {
      int32_t code = codes[row];
      if (code == kMissingCode) return "";
      if (code == kUnseenCode || code < 0 ||
          static_cast<std::size_t>(code) >= schema.levels.size()) {
        return "(unseen)";
      }
      return schema.levels[static_cast<std::size_t>(code)];
    }
  }
}

int Dataset::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

const Column& Dataset::column(const std::string& name) const {
  int index = index_of(name);
  if (index < 0) throw_usage("no column named '" + name + "' in " + source);
  return columns[static_cast<std::size_t>(index)];
}

Schema Dataset::schema() const {
  Schema s;
  for (const auto& c : columns) {
    s.columns.push_back(c.schema);
    // Identifier values are per customer: a saved schema has no use for them.
    if (c.type() == ColumnType::kIdentifier) s.columns.back().levels.clear();
  }
  return s;
}

namespace {

// ASCII case-insensitive equality with a lower-case `lower`, without building a lowered copy.
bool same_ignoring_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

bool is_missing_token(std::string_view text, const std::vector<std::string>& extra_tokens) {
  std::string_view trimmed = detail::trim(text);
  if (trimmed.empty()) return true;
  if (trimmed.size() <= 4) {
    for (std::string_view token : {"na", "n/a", "null", "nan", "?"}) {
      if (same_ignoring_case(trimmed, token)) return true;
    }
  }
  for (const auto& token : extra_tokens) {
    if (trimmed == detail::trim(token)) return true;
  }
  return false;
}

std::optional<double> parse_number(std::string_view text) {
  text = detail::trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  // from_chars would accept "inf" and "nan"; neither is a usable customer value.
  char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (!(first >= '0' && first <= '9') && first != '.') return std::nullopt;
  double value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace smartchurn
