#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/trainer.h"
#include "test_support/temp_dir.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

Bundle small_bundle() {
  std::vector<double> x;
  std::vector<std::string> y;
  for (int i = 0; i < 200; ++i) {
    x.push_back(i % 50);
    y.push_back((i % 50) + (i % 7) * 5 > 40 ? "Yes" : "No");
  }
  Dataset data = test::DatasetBuilder().numeric("usage", x).categorical("churn", y).build();
  TrainOptions o;
  o.target = "churn";
  o.models = {"lr"};
  return std::move(train(data, o).bundle);
}

// One directory per test process (ctest runs tests as processes, several at once).
std::string temp_path(const std::string& name) {
  static const test::TempDir dir("smartchurn-bundle");
  return dir.file(name);
}

TEST(Bundle, SavesAtomicallyAndLoadsTheSameModel) {
  Bundle b = small_bundle();
  std::string path = temp_path("ok.json");
  save_bundle(b, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Bundle loaded = load_bundle(path);
  EXPECT_EQ(bundle_to_json(loaded).dump(), bundle_to_json(b).dump());
  std::filesystem::remove(path);
}

TEST(Bundle, AnotherFormatVersionNamesBothVersions) {
  nlohmann::json j = bundle_to_json(small_bundle());
  j["format_version"] = 99;
  j["provenance"]["software_version"] = "9.9.9";
  try {
    bundle_from_json(j);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIncompatible);
    std::string m = e.what();
    EXPECT_NE(m.find("format version 99"), std::string::npos) << m;
    EXPECT_NE(m.find("9.9.9"), std::string::npos) << m;
    EXPECT_NE(m.find("reads format version " + std::to_string(kBundleFormat)), std::string::npos)
        << m;
  }
}

TEST(Bundle, NamesTheModelKindAndStillLoadsLegacyBundlesWithout) {
  nlohmann::json j = bundle_to_json(small_bundle());
  EXPECT_EQ(j["model"]["kind"], "linear");
  j["model"].erase("kind");  // written before model.kind existed: inferred from the state
  EXPECT_EQ(bundle_from_json(j).model->kind(), ModelKind::kLinear);
}

TEST(Bundle, AModelKindUnlikeTheFamilyIsBadData) {
  nlohmann::json j = bundle_to_json(small_bundle());
  for (const char* kind : {"tree_ensemble", "forest"}) {
    j["model"]["kind"] = kind;
    try {
      bundle_from_json(j);
      FAIL() << "expected an error for " << kind;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadData) << kind;
      EXPECT_NE(e.message().find(kind), std::string::npos) << e.message();
    }
  }
}

TEST(Bundle, NonBundleFilesAreBadData) {
  std::string path = temp_path("garbage.json");
  std::ofstream(path) << "not json at all";
  try {
    load_bundle(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
  std::ofstream(path) << R"({"kind": "something else"})";
  EXPECT_THROW(load_bundle(path), Error);
  std::filesystem::remove(path);
  EXPECT_THROW(load_bundle(path), Error);  // absent
}

// A member of the wrong type escaped as a JSON library exception (found by fuzzing).
TEST(Bundle, HeaderMembersOfTheWrongTypeAreBadData) {
  nlohmann::json j = bundle_to_json(small_bundle());
  j["format_version"] = "1";
  EXPECT_THROW(
      {
        try {
          bundle_from_json(j);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kBadData);
          throw;
        }
      },
      Error);
}

// Once escaped from the scorer's compilation as std::out_of_range (found by fuzzing).
TEST(Bundle, CapsForFewerOrMoreSourcesThanAFeatureHasAreBadData) {
  nlohmann::json j = bundle_to_json(small_bundle());
  auto& feature = j["preparation"]["features"][0];
  ASSERT_EQ(feature["sources"].size(), 1u);
  feature["lower"] = {1.0, 2.0};
  try {
    bundle_from_json(j);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("caps"), std::string::npos) << e.what();
  }
}

TEST(Bundle, CreatedAtFollowsSourceDateEpoch) {
  setenv("SOURCE_DATE_EPOCH", "0", 1);
  EXPECT_EQ(timestamp_utc(), "1970-01-01T00:00:00Z");
  unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_NE(timestamp_utc(), "1970-01-01T00:00:00Z");
}

TEST(RiskTiers, CutPointsBelongToTheHigherTier) {
  RiskTiers tiers;
  EXPECT_STREQ(tiers.tier(0.29), "low");
  EXPECT_STREQ(tiers.tier(0.3), "medium");
  EXPECT_STREQ(tiers.tier(0.6), "high");
}

}  // namespace
}  // namespace smartchurn
