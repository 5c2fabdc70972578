#include "train/fold_inputs.h"

namespace smartchurn::training {

namespace {

std::vector<float> gather(std::span<const float> y, std::span<const std::size_t> rows) {
  std::vector<float> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = y[rows[i]];
  return out;
}

}  // namespace

FoldInputs prepare_fold(const Dataset& data, std::span<const float> y, const Split& fold,
                        const std::vector<std::string>& columns, const PrepOptions& prep,
                        const FoldNeeds& needs, double valid_share, uint64_t split_seed) {
  const Pipeline pipeline = Pipeline::fit(data, y, fold.train, columns, prep);
  FoldInputs in;
  if (needs.whole) {
    in.train_x = pipeline.transform(data, fold.train);
    in.train_y = gather(y, fold.train);
  }
  if (needs.split) {
    // Preparation works row by row, so these equal the matching rows of the whole matrix.
    const Split inner = stratified_split(y, fold.train, valid_share, split_seed);
    in.fit_x = pipeline.transform(data, inner.train);
    in.valid_x = pipeline.transform(data, inner.test);
    in.fit_y = gather(y, inner.train);
    in.valid_y = gather(y, inner.test);
  }
  in.test_x = pipeline.transform(data, fold.test);
  in.categorical = pipeline.categorical_mask();
  for (const auto& f : pipeline.features()) in.names.push_back(f.name);
  return in;
}

FoldInputCache::FoldInputCache(std::size_t folds, std::vector<FoldNeeds> needs_per_style,
                               Prepare prepare)
    : styles_(needs_per_style.size()), prepare_(std::move(prepare)) {
  for (std::size_t f = 0; f < folds; ++f) {
    for (const auto& needs : needs_per_style) {
      slots_.push_back(std::make_unique<Slot>());
      slots_.back()->users_left = needs.users;
    }
  }
}

FoldInputCache::Slot& FoldInputCache::slot(std::size_t fold, std::size_t style) {
  return *slots_.at(fold * styles_ + style);
}

const FoldInputs& FoldInputCache::acquire(std::size_t fold, std::size_t style,
                                          const std::function<void()>& prepared) {
  Slot& s = slot(fold, style);
  std::lock_guard lock(s.mutex);
  if (!s.inputs) {
    s.inputs = prepare_(fold, style);
    if (prepared) prepared();
  }
  return *s.inputs;
}

void FoldInputCache::release(std::size_t fold, std::size_t style) {
  Slot& s = slot(fold, style);
  std::lock_guard lock(s.mutex);
  if (s.users_left > 0 && --s.users_left == 0) s.inputs.reset();
}

}  // namespace smartchurn::training
