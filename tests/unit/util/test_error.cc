#include <gtest/gtest.h>

#include "smartchurn/error.h"

namespace smartchurn {

TEST(Error, FormatsEveryKnownPartOfTheLocation) {
  EXPECT_EQ(format_error({"a.csv", 7, "tenure"}, "not a number"),
            "a.csv:7: column 'tenure': not a number");
  EXPECT_EQ(format_error({"a.csv", 0, ""}, "empty file"), "a.csv: empty file");
  EXPECT_EQ(format_error({"", 3, ""}, "ragged"), "line 3: ragged");
  EXPECT_EQ(format_error({}, "plain"), "plain");
}

TEST(Error, KeepsCodeLocationAndBareMessage) {
  try {
    throw_bad_data("one class", {"d.csv", 0, "Churn"});
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "one class");
    EXPECT_EQ(e.where().column, "Churn");
    EXPECT_STREQ(e.what(), "d.csv: column 'Churn': one class");
  }
}

}  // namespace smartchurn
