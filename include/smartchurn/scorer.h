// The fast scoring engine: a model bundle compiled for prediction. Preparation becomes flat per-column
// plans and lookup tables, trees become contiguous node arrays, so scoring one raw customer record
// (text fields in, probability out) allocates nothing after the first call on a thread, and a batch is
// evaluated tree by tree over blocks of rows. Results equal Bundle::predict (the training library's
// predictions) up to float rounding.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smartchurn/bundle.h"

namespace smartchurn {

class Scorer {
 public:
  // Compiles the bundle's preparation and model. Throws Error(kIncompatible) for a model family
  // the engine cannot compile (none today).
  explicit Scorer(const Bundle& bundle);
  ~Scorer();
  Scorer(Scorer&&) noexcept;
  Scorer& operator=(Scorer&&) noexcept;

  // The raw input columns a record must give, in the order score_record() expects them.
  const std::vector<std::string>& input_columns() const;

  // Scores one raw record: `fields[i]` is the text of input_columns()[i] as it would appear in a CSV
  // cell (missing-value tokens allowed). Throws Error(kBadData) naming the column when a numeric
  // field is not a number or a yes/no field is neither label. Thread-safe; no allocation per call
  // after a thread's first.
  double score_record(std::span<const std::string_view> fields) const;

  // Scores every row of a data set read with the bundle's schema (read_dataset/read_with_schema);
  // uses `threads` threads (0: every core). Equal to Bundle::predict up to float rounding.
  std::vector<double> score(const Dataset& data, int threads = 1) const;

  // The model output before the logistic link (log-odds), for explanations' base values.
  double margin_record(std::span<const std::string_view> fields) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn
