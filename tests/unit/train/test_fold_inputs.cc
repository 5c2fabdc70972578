#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>

#include "train/fold_inputs.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

Dataset customers(std::size_t rows) {
  std::vector<double> tenure, charges;
  std::vector<std::string> contract, churn;
  for (std::size_t i = 0; i < rows; ++i) {
    tenure.push_back(i % 13 == 0 ? NAN : static_cast<double>(i % 72));
    charges.push_back(20.0 + static_cast<double>((i * 37) % 100));
    contract.push_back(i % 3 == 0 ? "Month-to-month" : (i % 3 == 1 ? "One year" : "Two year"));
    churn.push_back((i * 7) % 10 < 3 ? "Yes" : "No");
  }
  return test::DatasetBuilder()
      .numeric("tenure", tenure)
      .numeric("charges", charges)
      .categorical("contract", contract)
      .categorical("churn", churn)
      .build();
}

std::vector<float> labels(const Dataset& data) {
  std::vector<float> y;
  for (int32_t code : data.column("churn").codes) {
    y.push_back(data.column("churn").schema.levels[std::size_t(code)] == "Yes" ? 1.0f : 0.0f);
  }
  return y;
}

void expect_same(const FeatureMatrix& a, const FeatureMatrix& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.cols, b.cols);
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const bool both_nan = std::isnan(a.values[i]) && std::isnan(b.values[i]);
    ASSERT_TRUE(both_nan || a.values[i] == b.values[i]) << "value " << i;
  }
}

TEST(FoldInputs, EarlyStoppingSplitEqualsTheRowsOfTheWholeMatrix) {
  const Dataset data = customers(600);
  const auto y = labels(data);
  const std::vector<std::string> columns = {"tenure", "charges", "contract"};
  const Split fold = stratified_kfold(y, 5, 42)[1];
  for (InputStyle style : {InputStyle::kTree, InputStyle::kScaledOneHot}) {
    PrepOptions prep;
    prep.style = style;
    auto in = training::prepare_fold(data, y, fold, columns, prep, {true, true, 1}, 0.1, 43);
    // The split as the trainer made it before: positions within the fold's training rows.
    const Split inner = stratified_split(in.train_y, 0.1, 43);
    expect_same(in.fit_x, in.train_x.select_rows(inner.train));
    expect_same(in.valid_x, in.train_x.select_rows(inner.test));
    for (std::size_t i = 0; i < inner.train.size(); ++i) {
      ASSERT_EQ(in.fit_y[i], in.train_y[inner.train[i]]);
    }
    EXPECT_EQ(in.test_x.rows, fold.test.size());
    EXPECT_EQ(in.categorical.size(), in.train_x.cols);
    EXPECT_EQ(in.names.size(), in.train_x.cols);
  }
}

TEST(FoldInputs, BuildsOnlyWhatTheModelsNeed) {
  const Dataset data = customers(300);
  const auto y = labels(data);
  const Split fold = stratified_kfold(y, 3, 1)[0];
  auto in =
      training::prepare_fold(data, y, fold, {"tenure", "contract"}, {}, {false, true, 1}, 0.1, 1);
  EXPECT_EQ(in.train_x.rows, 0u);
  EXPECT_EQ(in.fit_x.rows + in.valid_x.rows, fold.train.size());
  in = training::prepare_fold(data, y, fold, {"tenure", "contract"}, {}, {true, false, 1}, 0.1, 1);
  EXPECT_EQ(in.fit_x.rows, 0u);
  EXPECT_EQ(in.train_x.rows, fold.train.size());
}

TEST(FoldInputCache, PreparesOncePerFoldAndFreesAfterTheLastUser) {
  std::atomic<int> prepared{0};
  training::FoldInputCache cache(2, {{true, false, 2}}, [&](std::size_t fold, std::size_t) {
    ++prepared;
    training::FoldInputs in;
    in.train_x = FeatureMatrix(fold + 1, 1);
    return in;
  });
  EXPECT_EQ(cache.acquire(1, 0).train_x.rows, 2u);
  EXPECT_EQ(cache.acquire(1, 0).train_x.rows, 2u);
  EXPECT_EQ(prepared, 1);
  cache.release(1, 0);
  cache.release(1, 0);
  // Freed: a later use (which the trainer never makes) has to prepare the fold again.
  EXPECT_EQ(cache.acquire(1, 0).train_x.rows, 2u);
  EXPECT_EQ(prepared, 2);
}

TEST(FoldInputCache, ThreadsWaitForTheOnePreparation) {
  std::atomic<int> prepared{0};
  training::FoldInputCache cache(1, {{true, false, 4}}, [&](std::size_t, std::size_t) {
    ++prepared;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    training::FoldInputs in;
    in.train_x = FeatureMatrix(3, 2);
    return in;
  });
  std::atomic<int> notified{0};
  std::vector<std::thread> users;
  std::atomic<std::size_t> rows_seen{0};
  for (int i = 0; i < 4; ++i) {
    users.emplace_back([&] {
      rows_seen += cache.acquire(0, 0, [&] { ++notified; }).train_x.rows;
      cache.release(0, 0);
    });
  }
  for (auto& t : users) t.join();
  EXPECT_EQ(prepared, 1);
  EXPECT_EQ(notified, 1);
  EXPECT_EQ(rows_seen, 12u);
}

}  // namespace
}  // namespace smartchurn
