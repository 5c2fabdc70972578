// The typed readers of request bodies: ranges are checked, never truncated, and every refusal is
// Error(kUsage) naming its field.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "server/request_fields.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

// The field a call's refusal names; "(accepted)" when it does not throw.
std::string refused_field(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    return e.where().column;
  }
  return "(accepted)";
}

TEST(RequestFields, PathsNameListMembersAndObjectMembers) {
  EXPECT_EQ(index_path("customers", 3), "customers[3]");
  EXPECT_EQ(member_path(index_path("customers", 3), "tenure"), "customers[3].tenure");
  EXPECT_EQ(member_path("", "tenure"), "tenure");
}

TEST(RequestFields, IntegersAreRangeCheckedNotTruncated) {
  const auto folds = [](const nlohmann::json& value) {
    return integer_value(value, "folds", 2, 20);
  };
  EXPECT_EQ(folds(5), 5);
  for (const nlohmann::json& bad :
       {nlohmann::json(4294967299LL), nlohmann::json(1), nlohmann::json(21), nlohmann::json(-3),
        nlohmann::json(2.5), nlohmann::json(3.0), nlohmann::json("5"), nlohmann::json()}) {
    EXPECT_EQ(refused_field([&] { (void)folds(bad); }), "folds") << bad.dump();
  }
  const nlohmann::json huge = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(refused_field([&] { (void)integer_value(huge, "dataset_id", 1, INT64_MAX); }),
            "dataset_id");
  EXPECT_EQ(integer_value(nlohmann::json(uint64_t{7}), "dataset_id", 1, INT64_MAX), 7);
}

TEST(RequestFields, StringListsNameTheBadMember) {
  EXPECT_EQ(string_list("lr", "models"), std::vector<std::string>{"lr"});
  EXPECT_EQ(refused_field([] { (void)string_list({"lr", 3}, "models"); }), "models[1]");
  EXPECT_EQ(refused_field([] { (void)string_list(nlohmann::json::object(), "models"); }), "models");
}

TEST(RequestFields, CalendarDates) {
  for (const char* good : {"2024-02-29", "2023-12-31", "2000-02-29", "1999-01-01"}) {
    EXPECT_TRUE(is_calendar_date(good)) << good;
  }
  for (const char* bad :
       {"2024-13-45", "2024-02-30", "2023-02-29", "1900-02-29", "2024-00-01", "2024-01-00",
        "2024-1-01", "2024/01/01", "2024-01-01T", "", "abcd-ef-gh", "-024-01-01"}) {
    EXPECT_FALSE(is_calendar_date(bad)) << bad;
  }
}

TEST(RequestFields, KindsAreNamedForMessages) {
  EXPECT_EQ(json_kind(nlohmann::json::array()), "an array");
  EXPECT_EQ(json_kind(true), "true");
  EXPECT_EQ(json_kind("x"), "a string");
}

}  // namespace
}  // namespace smartchurn::server
