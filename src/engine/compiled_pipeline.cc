#include "engine/compiled_pipeline.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "data/text_util.h"
#include "smartchurn/error.h"

namespace smartchurn::engine {

namespace {

using cell_text::plain_decimal;

using features::Candidate;
using features::FeatureKind;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kCodeShift = 2;  // table slot of code c is c + 2 (missing -1, unseen -2)
// Up to this many levels a column is searched by a scan over the level texts (length first),
// which beats hashing the field.
constexpr std::size_t kMaxScannedLevels = 16;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// detail::trim, inline.
std::string_view trimmed(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// is_missing_token's built-in words (NA, N/A, null, NaN, "?", any case) on trimmed text.
bool is_missing_word(std::string_view text) {
  switch (text.size()) {
    case 1:
      return text[0] == '?';
    case 2:
      return lower(text[0]) == 'n' && lower(text[1]) == 'a';
    case 3:
      return lower(text[0]) == 'n' && (text[1] == '/' || lower(text[1]) == 'a') &&
             lower(text[2]) == (text[1] == '/' ? 'a' : 'n');
    case 4:
      return lower(text[0]) == 'n' && lower(text[1]) == 'u' && lower(text[2]) == 'l' &&
             lower(text[3]) == 'l';
    default:
      return false;
  }
}

// parse_number on already trimmed text.
std::optional<double> parse_trimmed_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  const char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (!(first >= '0' && first <= '9') && first != '.') return std::nullopt;
  double value = 0;
  if (plain_decimal(text, value)) return value;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// features::capped, inline.
double capped(double value, double lower_bound, double upper_bound) {
  if (std::isnan(value)) return value;
  return std::clamp(value, lower_bound, upper_bound);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const ColumnSchema& schema_column(const Schema& schema, const std::string& name) {
  const int index = schema.index_of(name);
  if (index < 0) {
    throw Error(ErrorCode::kIncompatible,
                "the bundle's preparation reads column '" + name + "', absent from its schema");
  }
  return schema.columns[static_cast<std::size_t>(index)];
}

// Kept out of line so the parse path stays small.
[[noreturn, gnu::cold, gnu::noinline]] void throw_unreadable(const ColumnPlan& plan,
                                                             std::string_view field) {
  throw_bad_data(CellReader::refusal(plan, field), {"", 0, plan.name});
}

}  // namespace

LevelTable::LevelTable(const std::vector<std::string>& levels) : levels_(levels) {
  std::size_t size = 4;
  while (size < 2 * levels.size()) size *= 2;
  slots_.assign(size, -1);
  mask_ = size - 1;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    uint64_t at = detail::text_hash(levels[i]) & mask_;
    while (slots_[at] >= 0) {
      if (levels_[static_cast<std::size_t>(slots_[at])] == levels[i]) break;  // keep the first
      at = (at + 1) & mask_;
    }
    if (slots_[at] < 0) slots_[at] = static_cast<int32_t>(i);
  }
}

ColumnPlan column_plan(const ColumnSchema& cs, const CellReader& reader) {
  ColumnPlan plan;
  plan.name = cs.name;
  plan.type = cs.type;
  switch (cs.type) {
    case ColumnType::kNumeric:
    case ColumnType::kIdentifier:
      break;
    case ColumnType::kBoolean:
      plan.true_label = cs.true_label;
      plan.false_label = cs.false_label;
      plan.trimmed_true = std::string(detail::trim(cs.true_label));
      plan.trimmed_false = std::string(detail::trim(cs.false_label));
      plan.true_number = parse_number(cs.true_label);
      plan.false_number = parse_number(cs.false_label);
      plan.labels_may_be_missing =
          reader.is_missing(cs.true_label) || reader.is_missing(cs.false_label);
      break;
    case ColumnType::kCategorical:
    case ColumnType::kConstant:
      plan.type = ColumnType::kCategorical;
      plan.labels_may_be_missing =
          std::any_of(cs.levels.begin(), cs.levels.end(),
                      [&](const std::string& level) { return reader.is_missing(level); });
      plan.many_levels = cs.levels.size() > kMaxScannedLevels;
      if (plan.many_levels) {
        plan.level_code = LevelTable(cs.levels);
      } else {
        plan.few_levels = cs.levels;
      }
      break;
  }
  return plan;
}

CellReader::CellReader(const std::vector<std::string>& na_tokens) {
  for (const auto& token : na_tokens) {
    na_tokens_.emplace_back(detail::trim(token));
    double value = 0;
    if (plain_decimal(na_tokens_.back(), value)) token_is_plain_number_ = true;
  }
}

bool CellReader::is_missing_trimmed(std::string_view text) const {
  // is_missing_token, without its allocation.
  if (text.empty() || is_missing_word(text)) return true;
  for (const auto& token : na_tokens_) {
    if (text == token) return true;
  }
  return false;
}

bool CellReader::is_missing(std::string_view field) const {
  return is_missing_trimmed(trimmed(field));
}

bool CellReader::read_slowly(const ColumnPlan& plan, std::string_view field,
                             ParsedCell& cell) const {
  cell = {kNaN, kMissingCode};
  const std::string_view text = trimmed(field);
  if (is_missing_trimmed(text)) return true;
  switch (plan.type) {
    case ColumnType::kNumeric: {
      const auto value = parse_trimmed_number(text);
      if (!value) return false;
      cell.value = *value;
      return true;
    }
    case ColumnType::kBoolean: {
      if (text == plan.true_label || equal_ignoring_case(text, plan.trimmed_true)) {
        cell.value = 1.0;
        return true;
      }
      if (text == plan.false_label || equal_ignoring_case(text, plan.trimmed_false)) {
        cell.value = 0.0;
        return true;
      }
      const auto value = parse_trimmed_number(text);
      if (value && plan.true_number == value) {
        cell.value = 1.0;
        return true;
      }
      if (value && plan.false_number == value) {
        cell.value = 0.0;
        return true;
      }
      return false;
    }
    case ColumnType::kCategorical: {
      // Levels match the whole field, as read_with_schema matches them.
      cell.code = level_of(plan, field);
      return true;
    }
    default:
      return true;  // an identifier: its text is what counts
  }
}

std::string CellReader::refusal(const ColumnPlan& plan, std::string_view field) {
  std::string message = "'";
  message.append(field);
  if (plan.type == ColumnType::kBoolean) {
    message.append("' is neither '").append(plan.true_label);
    message.append("' nor '").append(plan.false_label).append("'");
  } else {
    message.append("' is not a number");
  }
  return message;
}

CompiledPipeline::CompiledPipeline(const Schema& schema, const Pipeline& pipeline)
    : input_columns_(pipeline.input_columns()), reader_(schema.na_tokens) {
  const nlohmann::json state = pipeline.to_json();
  const auto kept = state.at("features").get<std::vector<Candidate>>();
  std::vector<std::size_t> pca_positions;
  if (state.contains("pca")) {
    pca_positions = state["pca"].at("inputs").get<std::vector<std::size_t>>();
    pca_ = state["pca"].at("state").get<features::Pca>();
  }

  std::vector<const ColumnSchema*> column_schemas;
  for (const auto& name : input_columns_) {
    const ColumnSchema& cs = schema_column(schema, name);
    if (cs.type != ColumnType::kNumeric && cs.type != ColumnType::kBoolean &&
        cs.type != ColumnType::kCategorical) {
      throw Error(ErrorCode::kIncompatible, "input column '" + cs.name + "' is " +
                                                to_string(cs.type) +
                                                ", which the preparation cannot read");
    }
    column_schemas.push_back(&cs);
    columns_.push_back(column_plan(cs, reader_));
  }
  const auto column_of = [&](const std::string& name) {
    auto it = std::find(input_columns_.begin(), input_columns_.end(), name);
    if (it == input_columns_.end()) {
      throw Error(ErrorCode::kIncompatible,
                  "a prepared feature reads column '" + name + "', not an input column");
    }
    return static_cast<uint32_t>(it - input_columns_.begin());
  };
  // A categorical table: value(code) for every schema level, plus the missing and unseen slots.
  const auto add_table = [&](uint32_t column, double missing, double unseen, auto&& value_of_text) {
    LevelTest test;
    test.column = column;
    test.table = static_cast<uint32_t>(tables_.size());
    tables_.push_back(unseen);   // code -2
    tables_.push_back(missing);  // code -1
    for (const auto& text : column_schemas[column]->levels) tables_.push_back(value_of_text(text));
    tests_.push_back(test);
  };
  // matches_level: 1 where the cell equals `level`, for categorical and yes/no columns.
  const auto add_level_match = [&](uint32_t column, const std::string& level) {
    const ColumnSchema& cs = *column_schemas[column];
    if (cs.type == ColumnType::kBoolean) {
      LevelTest test;
      test.column = column;
      test.boolean = true;
      test.wanted = level == cs.true_label ? 1.0 : level == cs.false_label ? 0.0 : -1.0;
      tests_.push_back(test);
      return;
    }
    add_table(column, 0.0, 0.0, [&](const std::string& text) { return text == level ? 1.0 : 0.0; });
  };

  std::size_t output = 0;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const Candidate& c = kept[i];
    CompiledFeature f;
    f.kind = c.kind;
    f.fill = c.fill;
    f.center = c.center;
    f.scale = c.scale;
    f.standardized = !(c.center == 0.0 && c.scale == 1.0);
    for (std::size_t s = 0; s < 2 && s < c.sources.size(); ++s) {
      f.source[s] = column_of(c.sources[s]);
      f.lower[s] = c.lower.empty() ? -INFINITY : c.lower.at(s);
      f.upper[s] = c.upper.empty() ? INFINITY : c.upper.at(s);
    }
    f.tests_begin = static_cast<uint32_t>(tests_.size());
    const bool categorical_source = column_schemas[f.source[0]]->type == ColumnType::kCategorical;
    switch (c.kind) {
      case FeatureKind::kOneHot:
        if (c.level == features::kMissingLevel || c.level == features::kOtherLevel) {
          if (!categorical_source) {
            throw Error(ErrorCode::kIncompatible,
                        "feature '" + c.name + "' needs a categorical column");
          }
          if (c.level == features::kMissingLevel) {
            add_table(f.source[0], 1.0, 0.0, [](const std::string&) { return 0.0; });
          } else {
            add_table(f.source[0], 0.0, 1.0, [&](const std::string& text) {
              return std::find(c.levels.begin(), c.levels.end(), text) == c.levels.end() ? 1.0
                                                                                         : 0.0;
            });
          }
        } else {
          add_level_match(f.source[0], c.level);
        }
        break;
      case FeatureKind::kCategory: {
        if (!categorical_source) {
          throw Error(ErrorCode::kIncompatible,
                      "feature '" + c.name + "' needs a categorical column");
        }
        const double other = static_cast<double>(c.levels.size());
        add_table(f.source[0], kNaN, other, [&](const std::string& text) {
          auto it = std::find(c.levels.begin(), c.levels.end(), text);
          return it == c.levels.end() ? other : static_cast<double>(it - c.levels.begin());
        });
        break;
      }
      case FeatureKind::kCount:
        for (const auto& name : c.sources) add_level_match(column_of(name), c.level);
        break;
      default:
        break;
    }
    f.tests_end = static_cast<uint32_t>(tests_.size());
    const bool in_pca =
        pca_ && std::find(pca_positions.begin(), pca_positions.end(), i) != pca_positions.end();
    f.to_pca = in_pca;
    f.slot = static_cast<uint32_t>(in_pca ? pca_inputs_++ : output++);
    features_.push_back(f);
  }
  // Grouped by kind, so transform_cells' switch takes the same branch many times running (its
  // slot keeps each feature's place in the output).
  std::stable_sort(
      features_.begin(), features_.end(),
      [](const CompiledFeature& a, const CompiledFeature& b) { return a.kind < b.kind; });
  if (pca_ && pca_inputs_ != pca_->mean.size()) {
    throw Error(ErrorCode::kIncompatible, "the bundle's PCA inputs do not match its features");
  }
  feature_count_ = output + (pca_ ? pca_->components.size() : 0);
}

void CompiledPipeline::prepare_scratch(Scratch& scratch) const {
  if (scratch.cells.size() < columns_.size()) scratch.cells.resize(columns_.size());
  if (scratch.pca_inputs.size() < pca_inputs_) scratch.pca_inputs.resize(pca_inputs_);
  const std::size_t components = pca_ ? pca_->components.size() : 0;
  if (scratch.pca_scores.size() < components) scratch.pca_scores.resize(components);
}

double CompiledPipeline::level_hit(const LevelTest& test, const ParsedCell* cells) const {
  const ParsedCell& cell = cells[test.column];
  if (test.boolean) return cell.value == test.wanted ? 1.0 : 0.0;
  return tables_[test.table +
                 static_cast<std::size_t>(cell.code + static_cast<int32_t>(kCodeShift))];
}

double CompiledPipeline::raw_value(const CompiledFeature& f, const ParsedCell* cells) const {
  switch (f.kind) {
    case FeatureKind::kNumeric:
    case FeatureKind::kBoolean:
      return capped(cells[f.source[0]].value, f.lower[0], f.upper[0]);
    case FeatureKind::kMissingIndicator: {
      const ParsedCell& cell = cells[f.source[0]];
      return columns_[f.source[0]].type == ColumnType::kCategorical ? cell.code == kMissingCode
                                                                    : std::isnan(cell.value);
    }
    case FeatureKind::kOneHot:
    case FeatureKind::kCategory:
      return level_hit(tests_[f.tests_begin], cells);
    case FeatureKind::kRatio:
    case FeatureKind::kProduct: {
      const double a = capped(cells[f.source[0]].value, f.lower[0], f.upper[0]);
      const double b = capped(cells[f.source[1]].value, f.lower[1], f.upper[1]);
      if (f.kind == FeatureKind::kProduct) return a * b;
      return b == 0.0 ? kNaN : a / b;
    }
    case FeatureKind::kCount: {
      double count = 0.0;
      for (uint32_t t = f.tests_begin; t < f.tests_end; ++t) count += level_hit(tests_[t], cells);
      return count;
    }
  }
  return kNaN;
}

void CompiledPipeline::transform_record(std::span<const std::string_view> fields, float* out,
                                        Scratch& scratch) const {
  if (fields.size() != columns_.size()) {
    throw_bad_data("the record has " + std::to_string(fields.size()) + " fields, the model reads " +
                   std::to_string(columns_.size()));
  }
  prepare_scratch(scratch);
  ParsedCell* cells = scratch.cells.data();
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (!reader_.read(columns_[c], fields[c], cells[c])) throw_unreadable(columns_[c], fields[c]);
  }
  transform_cells(cells, out, scratch);
}

void CompiledPipeline::transform_cells(const ParsedCell* cells, float* out,
                                       Scratch& scratch) const {
  prepare_scratch(scratch);
  for (const CompiledFeature& f : features_) {
    double v = raw_value(f, cells);
    if (std::isnan(v)) v = f.fill;
    if (f.standardized) v = (v - f.center) / f.scale;  // otherwise an identity: skip the division
    if (f.to_pca) {
      scratch.pca_inputs[f.slot] = v;
    } else {
      out[f.slot] = static_cast<float>(v);
    }
  }
  if (pca_) {
    pca_->project(scratch.pca_inputs.data(), scratch.pca_scores.data());
    const std::size_t first = feature_count_ - pca_->components.size();
    for (std::size_t k = 0; k < pca_->components.size(); ++k) {
      out[first + k] = static_cast<float>(scratch.pca_scores[k]);
    }
  }
}

}  // namespace smartchurn::engine
