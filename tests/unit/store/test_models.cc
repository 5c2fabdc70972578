#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "unit/error_code_of.h"
#include "unit/store/store_test_support.h"

namespace smartchurn {
namespace {

using test::code_of;
using test::model_named;
using test::StoreTest;

int count_active(const Store& store) {
  int active = 0;
  for (const auto& model : store.list_models()) active += model.active ? 1 : 0;
  return active;
}

TEST_F(StoreTest, ModelRoundTripsEveryField) {
  Store store(dir_);
  ModelRecord model;
  model.name = "telco";
  model.algorithm = "lr";
  model.parameters = {{"C", 0.5}, {"penalty", "l2"}};
  model.metrics = {{"auc", 0.8451}, {"roc", {{0, 0}, {0.5, 0.9}, {1, 1}}}};
  model.schema = {{"columns", {"tenure", "Contract"}}};
  model.bundle_path = "/store/bundles/telco.json";
  model.bundle_sha256 = "beef";
  model.dataset_id = 3;
  model.job_id = 4;
  model.created_at = "2024-05-05T05:05:05Z";
  const int64_t id = store.add_model(model);
  const auto read = store.get_model(id);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id);
  EXPECT_EQ(read->name, "telco");
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->algorithm, "lr");
  EXPECT_EQ(read->parameters, model.parameters);
  EXPECT_EQ(read->metrics, model.metrics);
  EXPECT_EQ(read->schema, model.schema);
  EXPECT_EQ(read->bundle_path, "/store/bundles/telco.json");
  EXPECT_EQ(read->bundle_sha256, "beef");
  EXPECT_EQ(read->dataset_id, std::optional<int64_t>(3));
  EXPECT_EQ(read->job_id, std::optional<int64_t>(4));
  EXPECT_EQ(read->created_at, "2024-05-05T05:05:05Z");
  EXPECT_FALSE(read->active);

  const int64_t bare = store.add_model(model_named("bare"));
  EXPECT_FALSE(store.get_model(bare)->dataset_id.has_value());
  EXPECT_FALSE(store.get_model(bare)->job_id.has_value());
  EXPECT_TRUE(store.get_model(bare)->parameters.is_null());
  EXPECT_FALSE(store.get_model(bare + 1).has_value());
}

TEST_F(StoreTest, VersionsIncrementAndAreNeverReused) {
  Store store(dir_);
  const int64_t first = store.add_model(model_named("a"));
  const int64_t second = store.add_model(model_named("b"));
  const int64_t third = store.add_model(model_named("c"));
  EXPECT_EQ(store.get_model(first)->version, 1);
  EXPECT_EQ(store.get_model(second)->version, 2);
  EXPECT_EQ(store.get_model(third)->version, 3);
  ASSERT_TRUE(store.delete_model(third));
  const int64_t fourth = store.add_model(model_named("d"));
  EXPECT_EQ(store.get_model(fourth)->version, 4);

  const auto list = store.list_models();  // newest first
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].version, 4);
  EXPECT_EQ(list[1].version, 2);
  EXPECT_EQ(list[2].version, 1);
}

TEST_F(StoreTest, VersionCounterSurvivesAReopen) {
  {
    Store store(dir_);
    store.add_model(model_named("a"));
    store.delete_model(store.add_model(model_named("b")));
  }
  Store store(dir_);
  EXPECT_EQ(store.get_model(store.add_model(model_named("c")))->version, 3);
}

TEST_F(StoreTest, ActivationKeepsExactlyOneActiveModel) {
  Store store(dir_);
  const int64_t a = store.add_model(model_named("a"));
  const int64_t b = store.add_model(model_named("b"));
  EXPECT_FALSE(store.active_model().has_value());

  EXPECT_TRUE(store.activate_model(a));
  EXPECT_EQ(store.active_model()->id, a);
  EXPECT_TRUE(store.activate_model(b));
  EXPECT_EQ(store.active_model()->id, b);
  EXPECT_FALSE(store.get_model(a)->active);
  EXPECT_TRUE(store.get_model(b)->active);
  EXPECT_EQ(count_active(store), 1);

  EXPECT_TRUE(store.activate_model(b));  // already active: still the only one
  EXPECT_EQ(count_active(store), 1);

  EXPECT_FALSE(store.activate_model(b + 100));
  EXPECT_EQ(store.active_model()->id, b);
}

TEST_F(StoreTest, AddingAnActiveModelDeactivatesTheOthers) {
  Store store(dir_);
  const int64_t a = store.add_model(model_named("a"));
  store.activate_model(a);
  ModelRecord fresh = model_named("b");
  fresh.active = true;
  const int64_t b = store.add_model(fresh);
  EXPECT_EQ(store.active_model()->id, b);
  EXPECT_FALSE(store.get_model(a)->active);
  EXPECT_EQ(count_active(store), 1);
}

TEST_F(StoreTest, TheActiveModelCannotBeDeleted) {
  Store store(dir_);
  const int64_t a = store.add_model(model_named("a"));
  store.activate_model(a);
  try {
    store.delete_model(a);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_EQ(e.message(), "model " + std::to_string(a) + " is active; activate another first");
  }
  EXPECT_TRUE(store.get_model(a).has_value());
  EXPECT_FALSE(store.delete_model(a + 1));
}

TEST_F(StoreTest, DeletingAModelDeletesOnlyItsScores) {
  Store store(dir_);
  const int64_t keep = store.add_model(model_named("keep"));
  const int64_t drop = store.add_model(model_named("drop"));
  store.upsert_scores({test::score_of("C1", keep, 0.1, "low"),
                       test::score_of("C1", drop, 0.9, "high"),
                       test::score_of("C2", drop, 0.8, "high")});
  store.log_predictions({PredictionLogEntry{0, "", drop, 2, "C1", 0.9, "high", ""}});

  EXPECT_TRUE(store.delete_model(drop));
  EXPECT_FALSE(store.get_model(drop).has_value());
  EXPECT_TRUE(store.all_scores(drop).empty());
  ASSERT_EQ(store.customer_history("C1").size(), 1u);
  EXPECT_EQ(store.customer_history("C1")[0].model_id, keep);
  EXPECT_EQ(store.prediction_count(), 1);  // the log keeps history
  EXPECT_FALSE(store.delete_model(drop));
}

}  // namespace
}  // namespace smartchurn
