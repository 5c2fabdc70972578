// resolve_target: picks the churn column's positive label and turns it into a 0/1 vector.
#include <algorithm>
#include <array>
#include <map>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace smartchurn {

namespace {

constexpr std::array<const char*, 11> kChurnWords = {"yes",      "y",         "true",    "1",
                                                     "churn",    "churned",   "exited",  "left",
                                                     "attrited", "cancelled", "canceled"};

bool is_churn_word(const std::string& label) {
  std::string lower = detail::to_lower(detail::trim(label));
  for (const char* word : kChurnWords) {
    if (lower == word) return true;
  }
  auto number = parse_number(label);
  return number && *number == 1.0;
}

// A label that merely contains a churn word ("Attrited Customer"): worth suggesting, not assuming.
bool mentions_churn_word(const std::string& label) {
  std::string lower = detail::to_lower(label);
  for (const char* word : kChurnWords) {
    std::string w(word);
    if (w.size() < 4) continue;
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

std::string quoted_list(const std::vector<std::string>& labels, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < labels.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += "'" + labels[i] + "'";
  }
  if (labels.size() > limit) out += ", ...";
  return out;
}

}  // namespace

double Target::positive_rate() const {
  if (y.empty()) return 0.0;
  double positives = 0;
  for (float v : y) positives += v;
  return positives / static_cast<double>(y.size());
}

Target resolve_target(const Dataset& data, const std::string& column,
                      const std::optional<std::string>& positive) {
  int index = data.index_of(column);
  if (index < 0) {
    std::vector<std::string> names;
    for (const auto& c : data.columns) names.push_back(c.name());
    throw_bad_data(
        "target column '" + column + "' not found; the columns are " + quoted_list(names, 30),
        detail::location(data.source));
  }
  const Column& col = data.columns[static_cast<std::size_t>(index)];
  const Location where{data.source, 0, column};

  std::vector<std::string> text(data.rows());
  std::vector<std::size_t> missing_lines;
  std::size_t missing = 0;
  std::map<std::string, std::size_t> counts;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (col.is_missing_at(r)) {
      ++missing;
      if (missing_lines.size() < 5) missing_lines.push_back(data.lines[r]);
      continue;
    }
    text[r] = col.text_at(r);
    ++counts[text[r]];
  }
  if (missing > 0) {
    std::string lines;
    for (std::size_t l : missing_lines) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
    throw_bad_data("the target has " + std::to_string(missing) + " missing value" +
                       (missing == 1 ? "" : "s") + " (first on line" +
                       (missing_lines.size() == 1 ? " " : "s ") + lines + ")",
                   {data.source, missing_lines.front(), column});
  }
  std::vector<std::string> labels;
  for (const auto& [label, n] : counts) labels.push_back(label);
  if (labels.size() < 2) {
    throw_bad_data("the target has only one class" +
                       (labels.empty() ? std::string() : " ('" + labels[0] + "')") +
                       "; a churn model needs both churners and stayers",
                   where);
  }
  if (labels.size() > 2) {
    throw_bad_data("the target has " + std::to_string(labels.size()) + " distinct values (" +
                       quoted_list(labels, 8) + "); a binary target needs exactly two",
                   where);
  }

  Target target;
  target.column = column;
  if (positive) {
    auto exact = std::find(labels.begin(), labels.end(), *positive);
    if (exact == labels.end()) {
      exact = std::find_if(labels.begin(), labels.end(), [&](const std::string& l) {
        return detail::to_lower(l) == detail::to_lower(*positive);
      });
    }
    if (exact == labels.end()) {
      throw_usage("--positive '" + *positive + "' is not a label of target column '" + column +
                  "'; its labels are " + quoted_list(labels, 2));
    }
    target.positive_label = *exact;
  } else {
    bool first = is_churn_word(labels[0]), second = is_churn_word(labels[1]);
    if (first == second) {
      // Suggest the label that mentions churn, else the rarer one (churners are usually fewer).
      std::string suggestion = counts[labels[0]] <= counts[labels[1]] ? labels[0] : labels[1];
      if (mentions_churn_word(labels[0]) != mentions_churn_word(labels[1])) {
        suggestion = mentions_churn_word(labels[0]) ? labels[0] : labels[1];
      }
      throw_usage("cannot tell which label of target column '" + column + "' means churn: " +
                  quoted_list(labels, 2) + "; pass --positive \"" + suggestion + "\"");
    }
    target.positive_label = first ? labels[0] : labels[1];
  }
  target.negative_label = target.positive_label == labels[0] ? labels[1] : labels[0];
  target.y.resize(data.rows());
  for (std::size_t r = 0; r < data.rows(); ++r) {
    target.y[r] = text[r] == target.positive_label ? 1.0f : 0.0f;
  }
  return target;
}

}  // namespace smartchurn
