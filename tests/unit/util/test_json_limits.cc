#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "smartchurn/json_limits.h"

namespace smartchurn::util {

TEST(JsonLimits, AcceptsNestingUpToTheLimit) {
  EXPECT_EQ(json_too_deep(R"({"a": [1, {"b": [2]}]})", 4), std::nullopt);
  EXPECT_EQ(json_too_deep(std::string(64, '[') + std::string(64, ']'), 64), std::nullopt);
  EXPECT_EQ(json_too_deep("", 1), std::nullopt);
  EXPECT_EQ(json_too_deep("42", 0), std::nullopt);
}

TEST(JsonLimits, NamesTheFirstBracketPastTheLimit) {
  EXPECT_EQ(json_too_deep(R"({"a": [1, {"b": [2]}]})", 3), 16u);
  EXPECT_EQ(json_too_deep(std::string(65, '['), 64), 64u);
  // Siblings do not add up: depth goes back down after each closing bracket.
  EXPECT_EQ(json_too_deep("[[1],[2],[3],[4]]", 2), std::nullopt);
}

TEST(JsonLimits, IgnoresBracketsInsideStrings) {
  EXPECT_EQ(json_too_deep(R"({"k": "[[[[[[", "e": "\"[[[[\\"})", 1), std::nullopt);
  EXPECT_EQ(json_too_deep(R"(["\\", [[]]])", 2), 8u);  // the escaped backslash ends the string
}

TEST(JsonLimits, AHundredThousandLevelsAreFoundWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(json_too_deep(deep, kMaxJsonDepth), kMaxJsonDepth);
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "{\"a\":";
    return s;
  }();
  EXPECT_EQ(json_too_deep(objects, kMaxJsonDepth), 5 * kMaxJsonDepth);
}

TEST(JsonLimits, AgreesWithTheParserOnWhatItCounts) {
  const nlohmann::json value = nlohmann::json::parse(R"({"a": [{"b": {"c": []}}]})");
  const std::string text = value.dump();
  EXPECT_EQ(json_too_deep(text, 5), std::nullopt);
  EXPECT_TRUE(json_too_deep(text, 4).has_value());
}

}  // namespace smartchurn::util
