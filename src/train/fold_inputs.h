// Cross-validation inputs, one set per (fold, input style): prepared by the first model that needs
// them and freed when the last model using them is done, so memory holds the folds being fitted,
// not every fold at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"
#include "smartchurn/matrix.h"
#include "smartchurn/pipeline.h"
#include "smartchurn/split.h"

namespace smartchurn::training {

// Which matrices the models of one input style need.
struct FoldNeeds {
  bool whole = false;     // every training row of the fold (models without early stopping)
  bool split = false;     // the training rows split for early stopping (models with it)
  std::size_t users = 0;  // models of this style: each fold's inputs serve this many fits
};

// What the models of one fold and input style fit and predict on.
struct FoldInputs {
  FeatureMatrix train_x, fit_x, valid_x, test_x;
  std::vector<float> train_y, fit_y, valid_y;
  std::vector<bool> categorical;
  std::vector<std::string> names;
};

// Fits the preparation on the fold's training rows and transforms what `needs` asks for. The early
// stopping split holds out `valid_share` of the training rows, stratified, drawn with `split_seed`;
// its matrices are transformed straight from the data rather than copied out of the whole one.
FoldInputs prepare_fold(const Dataset& data, std::span<const float> y, const Split& fold,
                        const std::vector<std::string>& columns, const PrepOptions& prep,
                        const FoldNeeds& needs, double valid_share, uint64_t split_seed);

class FoldInputCache {
 public:
  using Prepare = std::function<FoldInputs(std::size_t fold, std::size_t style)>;
  FoldInputCache(std::size_t folds, std::vector<FoldNeeds> needs_per_style, Prepare prepare);

  // The inputs of (fold, style), prepared on first use; waits while another thread prepares them.
  // `prepared` is called once, after they are prepared, by the thread that prepared them.
  const FoldInputs& acquire(std::size_t fold, std::size_t style,
                            const std::function<void()>& prepared = {});
  // One model is done with (fold, style); the last one frees its inputs.
  void release(std::size_t fold, std::size_t style);

 private:
  struct Slot {
    std::mutex mutex;
    std::optional<FoldInputs> inputs;
    std::size_t users_left = 0;
  };
  Slot& slot(std::size_t fold, std::size_t style);

  std::size_t styles_;
  Prepare prepare_;
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace smartchurn::training
