// read_dataset: reads a whole CSV into typed columns, inferring each column's type.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "util/parallel.h"

namespace smartchurn {

namespace {

constexpr std::size_t kMaxNumericLevels = 1000;
constexpr std::size_t kBlockRows = 8192;  // rows parsed before the columns take them in parallel
// Cells in a block: a wide file gets fewer rows per block, so the block's memory follows the
// file's size instead of columns x kBlockRows empty strings (2.6 GB for 10,000 columns).
constexpr std::size_t kBlockCells = std::size_t{1} << 19;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Text levels of a column, in order of first appearance until sort_levels() sorts them. Found
// by open addressing: a slot holds a level's code + 1 (0 = empty) and 32 bits of its hash, so a
// probe rarely touches a level's text, and each text is stored once (an id column has millions).
struct LevelTracker {
  std::vector<std::string> levels;
  std::vector<int32_t> codes;
  std::vector<uint64_t> slots;  // at most half full

  void add(const std::string& text) { codes.push_back(code_of(text)); }
  void add_missing() { codes.push_back(kMissingCode); }

  int32_t code_of(std::string_view text) {
    if (2 * (levels.size() + 1) > slots.size()) grow();
    const uint64_t hash = detail::text_hash(text);
    const uint64_t tag = hash >> 32 << 32;
    const uint64_t mask = slots.size() - 1;
    for (uint64_t at = hash & mask;; at = (at + 1) & mask) {
      const uint64_t slot = slots[at];
      if (slot == 0) {
        levels.emplace_back(text);
        slots[at] = tag | levels.size();
        return static_cast<int32_t>(levels.size() - 1);
      }
      const auto code = static_cast<int32_t>((slot & 0xFFFFFFFFu) - 1);
      if ((slot & ~uint64_t{0xFFFFFFFFu}) == tag && levels[std::size_t(code)] == text) return code;
    }
  }

  void grow() {
    slots.assign(std::max<std::size_t>(16, 2 * slots.size()), 0);
    const uint64_t mask = slots.size() - 1;
    for (std::size_t code = 0; code < levels.size(); ++code) {
      const uint64_t hash = detail::text_hash(levels[code]);
      uint64_t at = hash & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = hash >> 32 << 32 | (code + 1);
    }
  }

  // Sorts the levels so a schema does not depend on row order, and renumbers the codes.
  void sort_levels() {
    std::vector<int32_t> order(levels.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int32_t a, int32_t b) { return levels[a] < levels[b]; });
    std::vector<int32_t> new_code(levels.size());
    std::vector<std::string> sorted(levels.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      new_code[order[i]] = static_cast<int32_t>(i);
      sorted[i] = std::move(levels[order[i]]);
    }
    for (auto& c : codes) {
      if (c >= 0) c = new_code[c];
    }
    levels = std::move(sorted);
    slots = {};
  }
};

// Collects one column while the file is read; decides its type at the end.
struct ColumnBuilder {
  std::string name;
  bool forced_id = false;
  bool keep_categorical = false;
  bool track_text = false;    // keep the text of every cell however many levels (id-like columns)
  bool text_dropped = false;  // a numeric column with many levels stops keeping its text
  bool canonical_numbers = false;  // after a late switch to text, numbers are written canonically
  bool all_numeric = true;
  bool all_integer = true;
  std::vector<double> numbers;  // while all_numeric: value per row, NaN = missing
  // Up to two distinct numbers with their first text, to spot 0/1 and constant columns.
  std::vector<std::pair<double, std::string>> few_numbers;
  bool many_numbers = false;
  LevelTracker text;
  std::size_t missing = 0;

  void add(const std::string& cell, const std::vector<std::string>& na_tokens) {
    if (is_missing_token(cell, na_tokens)) {
      ++missing;
      if (all_numeric) numbers.push_back(kMissing);
      if (!text_dropped || !all_numeric) text.add_missing();
      return;
    }
    if (all_numeric) {
      auto value = parse_number(cell);
      if (value) {
        numbers.push_back(*value);
        if (*value != std::floor(*value)) all_integer = false;
        note_number(*value, cell);
      } else {
        switch_to_text();
      }
    }
    if (canonical_numbers) {
      auto value = parse_number(cell);
      text.add(value ? detail::format_number(*value) : cell);
    } else if (!text_dropped || !all_numeric) {
      text.add(cell);
      // Keeping every distinct number as text would double the memory of numeric columns.
      if (all_numeric && !track_text && text.levels.size() > kMaxNumericLevels) drop_text();
    }
  }

  void drop_text() {
    text_dropped = true;
    text = LevelTracker{};
  }

  void note_number(double value, const std::string& cell) {
    if (many_numbers) return;
    for (const auto& [seen, label] : few_numbers) {
      if (seen == value) return;
    }
    if (few_numbers.size() < 2) {
      few_numbers.emplace_back(value, std::string(detail::trim(cell)));
    } else {
      many_numbers = true;
    }
  }

  // A text cell after numbers. When the text of the earlier rows was dropped, it is rebuilt from
  // their values, and later numbers are written the same way so equal values share a level.
  void switch_to_text() {
    all_numeric = false;
    if (text_dropped) {
      canonical_numbers = true;
      for (double v : numbers) {
        if (is_missing(v)) {
          text.add_missing();
        } else {
          text.add(detail::format_number(v));
        }
      }
    }
    numbers.clear();
    numbers.shrink_to_fit();
  }

  std::size_t distinct_numbers() const {
    std::vector<double> sorted;
    sorted.reserve(numbers.size());
    for (double v : numbers) {
      if (!is_missing(v)) sorted.push_back(v);
    }
    std::sort(sorted.begin(), sorted.end());
    return static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  }

  Column as_text_column(ColumnType type) {
    Column column;
    column.schema.name = name;
    column.schema.type = type;
    // An identifier's levels are not part of the schema; they stay in file order, as when a
    // schema reads new rows, and millions of them are not sorted for nothing.
    if (type == ColumnType::kIdentifier) {
      text.slots = {};
    } else {
      text.sort_levels();
    }
    column.schema.levels = std::move(text.levels);
    column.codes = std::move(text.codes);
    column.missing = missing;
    return column;
  }

  Column as_boolean(std::string true_label, std::string false_label, std::vector<double> values) {
    Column column;
    column.schema.name = name;
    column.schema.type = ColumnType::kBoolean;
    column.schema.true_label = std::move(true_label);
    column.schema.false_label = std::move(false_label);
    column.values = std::move(values);
    column.missing = missing;
    return column;
  }

  Column finish(std::size_t rows) {
    if (forced_id) return as_text_column(ColumnType::kIdentifier);
    if (keep_categorical) return as_text_column(ColumnType::kCategorical);
    if (all_numeric) return finish_numeric(rows);
    return finish_text(rows);
  }

  Column finish_numeric(std::size_t rows) {
    if (!many_numbers && few_numbers.size() <= 1) {
      // One value, perhaps written several ways ("1", "1.0"): one level, as first written.
      Column column;
      column.schema.name = name;
      column.schema.type = ColumnType::kConstant;
      if (!few_numbers.empty()) column.schema.levels.push_back(few_numbers[0].second);
      column.codes.reserve(numbers.size());
      for (double v : numbers) column.codes.push_back(is_missing(v) ? kMissingCode : 0);
      column.missing = missing;
      return column;
    }
    if (!many_numbers) {
      auto low = few_numbers[0], high = few_numbers[1];
      if (low.first > high.first) std::swap(low, high);
      if (low.first == 0 && high.first == 1) {
        return as_boolean(high.second, low.second, std::move(numbers));
      }
    }
    if (all_integer && missing == 0 && detail::looks_like_id_name(name) &&
        distinct_numbers() == rows) {
      return as_text_column(ColumnType::kIdentifier);  // id-like names always keep their text
    }
    Column column;
    column.schema.name = name;
    column.schema.type = ColumnType::kNumeric;
    column.schema.integer = all_integer;
    column.values = std::move(numbers);
    column.missing = missing;
    return column;
  }

  Column finish_text(std::size_t rows) {
    const std::size_t distinct = text.levels.size();
    if (distinct <= 1) return as_text_column(ColumnType::kConstant);
    if (distinct == 2) {
      int first_true = boolean_polarity(text.levels[0]);
      int second_true = boolean_polarity(text.levels[1]);
      if (first_true >= 0 && second_true >= 0 && first_true != second_true &&
          same_pair(text.levels[0], text.levels[1])) {
        std::vector<double> values(text.codes.size());
        const int32_t true_code = first_true == 1 ? 0 : 1;
        for (std::size_t i = 0; i < values.size(); ++i) {
          int32_t c = text.codes[i];
          values[i] = c == kMissingCode ? kMissing : (c == true_code ? 1.0 : 0.0);
        }
        return as_boolean(text.levels[static_cast<std::size_t>(true_code)],
                          text.levels[static_cast<std::size_t>(1 - true_code)], std::move(values));
      }
    }
    if (missing == 0 && distinct == rows && rows > 1) {
      return as_text_column(ColumnType::kIdentifier);
    }
    return as_text_column(ColumnType::kCategorical);
  }

  // 1 for a "yes"-like word, 0 for a "no"-like word, -1 otherwise.
  static int boolean_polarity(const std::string& label) {
    std::string lower = detail::to_lower(detail::trim(label));
    if (lower == "yes" || lower == "true" || lower == "y" || lower == "t" || lower == "1") return 1;
    if (lower == "no" || lower == "false" || lower == "n" || lower == "f" || lower == "0") return 0;
    return -1;
  }
  // Yes/No, True/False, Y/N, T/F or 1/0: both words must come from the same pair.
  static bool same_pair(const std::string& a, const std::string& b) {
    std::string pair = detail::to_lower(detail::trim(a)) + "/" + detail::to_lower(detail::trim(b));
    for (const char* ok : {"yes/no", "no/yes", "true/false", "false/true", "y/n", "n/y", "t/f",
                           "f/t", "1/0", "0/1"}) {
      if (pair == ok) return true;
    }
    return false;
  }
};

}  // namespace

Dataset read_dataset(const std::string& path, const ReadOptions& options) {
  CsvReader reader = CsvReader::open(path, options.csv);
  const auto& header = reader.header();
  for (const auto& id : options.id_columns) {
    if (!contains(header, id)) {
      throw_usage("--id column '" + id + "' is not in the header of " + reader.name());
    }
  }
  std::vector<ColumnBuilder> builders(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto& b = builders[i];
    b.name = header[i];
    b.forced_id = contains(options.id_columns, b.name);
    b.keep_categorical = contains(options.keep_as_categorical, b.name);
    b.track_text = b.forced_id || b.keep_categorical || detail::looks_like_id_name(b.name);
    if (b.keep_categorical) b.switch_to_text();
  }

  Dataset data;
  data.source = reader.name();
  // Records are parsed here a block at a time; the block's cells then go to the column builders
  // on every core, a column per task, so each builder still sees its rows in file order.
  // (Parsing the next block while the last is built was measured slower on 2 cores.)
  const std::size_t width = header.size();
  const std::size_t block_rows = std::clamp<std::size_t>(kBlockCells / width, 1, kBlockRows);
  std::vector<std::string> block(block_rows * width), fields;
  std::size_t filled = 0;
  auto build_block = [&] {
    parallel_for(width, resolve_threads(0), [&](std::size_t column) {
      for (std::size_t r = 0; r < filled; ++r) {
        builders[column].add(block[r * width + column], options.na_tokens);
      }
    });
    filled = 0;
  };
  while (reader.next(fields)) {
    data.lines.push_back(reader.record_line());
    // Swapped, not copied: the block's old strings come back with their capacity for reuse.
    for (std::size_t i = 0; i < width; ++i) block[filled * width + i].swap(fields[i]);
    if (++filled == block_rows) build_block();
  }
  build_block();
  if (data.lines.empty())
    throw_bad_data("no data rows: the file has only a header", detail::location(reader.name()));

  for (auto& b : builders) data.columns.push_back(b.finish(data.rows()));
  data.sha256 = reader.content_sha256();
  return data;
}

}  // namespace smartchurn
