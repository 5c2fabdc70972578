// Fuzz target: the streaming batch scorer (Scorer::score_csv) on arbitrary bytes, with a logistic
// regression and a boosted-trees bundle trained once on demo data at start. Small blocks and two
// threads, so inputs cross block boundaries and go through the ordered writer.
#include <memory>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"

namespace {

struct Scorers {
  smartchurn::Bundle lr = smartchurn::fuzz::train_demo_bundle("lr");
  smartchurn::Bundle gbm = smartchurn::fuzz::train_demo_bundle("gbm");
  smartchurn::Scorer lr_scorer{lr};
  smartchurn::Scorer gbm_scorer{gbm};
};

// Never destroyed: at exit XGBoost's own statics may be gone before a booster is freed.
const Scorers& scorers() {
  static const Scorers& instance = *new Scorers;
  return instance;
}

void score(const smartchurn::Scorer& scorer, const std::string& bytes) {
  std::istringstream in(bytes);
  std::ostringstream out;
  smartchurn::BatchOptions options;
  options.threads = 2;
  options.block_bytes = 256;
  options.csv.max_field_bytes = 1024;
  options.na_tokens = {"Unknown"};
  std::size_t rows_seen = 0;
  options.on_rows = [&](const smartchurn::ScoredRows& rows) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      // A probability outside [0, 1] (or NaN) is a scoring bug.
      if (!(rows.probabilities[r] >= 0.0 && rows.probabilities[r] <= 1.0)) __builtin_trap();
      (void)rows.row(r);
    }
    rows_seen += rows.size();
  };
  try {
    smartchurn::BatchSummary summary = scorer.score_csv(in, "fuzz.csv", out, options);
    if (summary.rows != rows_seen) __builtin_trap();
  } catch (const smartchurn::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  score(scorers().lr_scorer, bytes);
  score(scorers().gbm_scorer, bytes);
  return 0;
}
