#include <gtest/gtest.h>

#include <cmath>

#include "features/selection.h"

namespace smartchurn::features {
namespace {

features::Candidate candidate(const std::string& name,
                              features::FeatureKind kind = features::FeatureKind::kNumeric) {
  features::Candidate c;
  c.kind = kind;
  c.name = name;
  c.sources = {name};
  return c;
}

TEST(Selection, KeepsEarlierFeaturesAndSaysWhyOthersGo) {
  std::vector<double> a, b, scaled_a, flat(2000, 1.0), almost_flat(2000, 0.0);
  for (int i = 0; i < 2000; ++i) {
    a.push_back(i % 17);
    b.push_back((i * 7) % 13);
  }
  for (double v : a) scaled_a.push_back(3 * v + 1);  // r = 1 with a
  almost_flat[0] = 1;                                // one row in 2000: 99.95% one value
  std::vector<features::Candidate> candidates{
      candidate("a"),    candidate("b"),    candidate("a copy"),
      candidate("3a+1"), candidate("flat"), candidate("rare flag", features::FeatureKind::kOneHot)};
  auto selection = select_features(candidates, {a, b, a, scaled_a, flat, almost_flat}, 0.995);
  EXPECT_EQ(selection.kept, (std::vector<std::size_t>{0, 1}));
  std::string dropped = selection.dropped.dump();
  EXPECT_NE(dropped.find("duplicate of a"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("collinear with a (r = 1.000)"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("constant in the training data"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("near-constant (99.95% one value)"), std::string::npos) << dropped;
}

TEST(Selection, CategoryCodesAreNotTestedForCorrelation) {
  std::vector<double> a, codes;
  for (int i = 0; i < 100; ++i) {
    a.push_back(i % 5);
    codes.push_back(i % 5);  // same values, but as category codes they mean something else
  }
  codes[0] = 4;  // not an exact duplicate
  auto selection = select_features(
      {candidate("a"), candidate("plan", features::FeatureKind::kCategory)}, {a, codes}, 0.9);
  EXPECT_EQ(selection.kept, (std::vector<std::size_t>{0, 1}));
}

TEST(Selection, TopKByImportanceKeepsTheInformativeFeatures) {
  std::vector<double> signal, noise1, noise2;
  std::vector<float> y;
  for (int i = 0; i < 600; ++i) {
    signal.push_back(i % 10);
    noise1.push_back((i * 37) % 11);
    noise2.push_back((i * 53) % 7);
    y.push_back(i % 10 >= 6 ? 1.0f : 0.0f);
  }
  auto top = top_k_by_importance({noise1, signal, noise2}, {false, false, false}, y, 1, 42);
  EXPECT_EQ(top, std::vector<std::size_t>{1});
}

}  // namespace
}  // namespace smartchurn::features
