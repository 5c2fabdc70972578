// 10,000 generated hostile /predict bodies through Router::dispatch in-process, from a fixed seed:
// mutations of real demo customers (wrong types, odd numbers, missing and extra fields, deep
// nesting, long strings, invalid UTF-8, empty and duplicate keys, the {"customers": [...]} form).
// None may crash or get a 5xx; every refusal is a JSON error with a code and a message. The
// summary printed at the end lists, per mutation, what the server answered, including the 200s
// given to bodies a per-schema type check would refuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace smartchurn::server::test {
namespace {

enum class Mutation {
  kNone,
  kCategoryAsArray,
  kCategoryAsObject,
  kCategoryAsBoolean,
  kCategoryAsNumber,
  kNumberAsText,
  kNumberHuge,
  kNumberNonFiniteText,
  kNumberAsBoolean,
  kNumberAsArray,
  kNumberLiteralOverflow,
  kMissingField,
  kExtraField,
  kEmptyKey,
  kDuplicateKey,
  kDeepNesting,
  kLongString,
  kInvalidUtf8,
  kNullEverything,
  kCustomersForm,
  kCustomersBadMember,
  kExplainOdd,
  kTruncated,
  kByteFlips,
  kCount,
};

const char* name_of(Mutation m) {
  static constexpr std::array<const char*, static_cast<std::size_t>(Mutation::kCount)> kNames = {
      "none (a real customer)",
      "category as array",
      "category as object",
      "category as boolean",
      "category as number",
      "number as numeric text",
      "number huge (+-1e308, 2^64)",
      "number as NaN/inf text",
      "number as boolean",
      "number as array",
      "number literal overflow (1e400)",
      "missing field",
      "extra field",
      "empty key",
      "duplicate key",
      "deep nesting (10-200 levels)",
      "long string (100 KB)",
      "invalid UTF-8",
      "every field null",
      "customers form",
      "customers with a bad member",
      "explain odd value",
      "truncated text",
      "byte flips"};
  return kNames[static_cast<std::size_t>(m)];
}

// A 200 for these means a field of the wrong JSON type was accepted (per-schema type checks).
bool should_be_refused(Mutation m) {
  switch (m) {
    case Mutation::kCategoryAsArray:
    case Mutation::kCategoryAsObject:
    case Mutation::kCategoryAsBoolean:
    case Mutation::kNumberAsBoolean:
    case Mutation::kNumberAsArray:
    case Mutation::kCustomersBadMember:
      return true;
    default:
      return false;
  }
}

class FuzzedPredict : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto model = service_->active();
    ASSERT_TRUE(model);
    for (const auto& column : model->bundle.schema.columns) {
      const auto& inputs = model->bundle.required_columns();
      if (std::find(inputs.begin(), inputs.end(), column.name) == inputs.end()) continue;
      if (column.type == ColumnType::kCategorical) categorical_.push_back(column.name);
      if (column.type == ColumnType::kNumeric) numeric_.push_back(column.name);
    }
    ASSERT_FALSE(categorical_.empty());
    ASSERT_FALSE(numeric_.empty());
    for (std::size_t row = 1; row <= 50; ++row) customers_.push_back(demo_customer(row));
  }

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  const std::string& any_of(const std::vector<std::string>& names) {
    return names[pick(names.size())];
  }

  // A JSON value nested `levels` deep: [[[...1...]]] or {"a":{"a":...}}.
  static std::string nested_text(std::size_t levels, bool objects) {
    std::string text;
    for (std::size_t i = 0; i < levels; ++i) text += objects ? "{\"a\":" : "[";
    text += "1";
    for (std::size_t i = 0; i < levels; ++i) text += objects ? "}" : "]";
    return text;
  }

  // Replaces the value of "field" in the dumped object by raw JSON text.
  static std::string with_raw_value(nlohmann::json customer, const std::string& field,
                                    const std::string& raw) {
    customer[field] = "@@RAW@@";
    std::string text = customer.dump();
    text.replace(text.find("\"@@RAW@@\""), 9, raw);
    return text;
  }

  std::string body_for(Mutation m) {
    nlohmann::json c = customers_[pick(customers_.size())];
    const std::string& category = any_of(categorical_);
    const std::string& number = any_of(numeric_);
    switch (m) {
      case Mutation::kNone:
        return c.dump();
      case Mutation::kCategoryAsArray:
        c[category] = nlohmann::json::array({c[category]});
        return c.dump();
      case Mutation::kCategoryAsObject:
        c[category] = {{"value", c[category]}};
        return c.dump();
      case Mutation::kCategoryAsBoolean:
        c[category] = pick(2) == 0;
        return c.dump();
      case Mutation::kCategoryAsNumber:
        c[category] = static_cast<double>(pick(1000)) - 500.5;
        return c.dump();
      case Mutation::kNumberAsText:
        c[number] = c[number].is_null() ? "" : c[number].dump();
        return c.dump();
      case Mutation::kNumberHuge: {
        const std::array<nlohmann::json, 4> huge = {1e308, -1e308, 18446744073709551615ull,
                                                    -9223372036854775807ll - 1};
        c[number] = huge[pick(huge.size())];
        return c.dump();
      }
      case Mutation::kNumberNonFiniteText: {
        const std::array<const char*, 6> texts = {"NaN",   "inf",      "-Infinity",
                                                  "1e999", "nan(0x1)", "0x1p1024"};
        c[number] = texts[pick(texts.size())];
        return c.dump();
      }
      case Mutation::kNumberAsBoolean:
        c[number] = pick(2) == 0;
        return c.dump();
      case Mutation::kNumberAsArray:
        c[number] = nlohmann::json::array({1, 2});
        return c.dump();
      case Mutation::kNumberLiteralOverflow:
        return with_raw_value(c, number, pick(2) == 0 ? "1e400" : "-1" + std::string(400, '0'));
      case Mutation::kMissingField:
        c.erase(pick(2) == 0 ? category : number);
        return c.dump();
      case Mutation::kExtraField:
        c["extra_" + std::to_string(pick(100))] = nlohmann::json::array({1, "x", nullptr});
        return c.dump();
      case Mutation::kEmptyKey:
        c[""] = "value";
        return c.dump();
      case Mutation::kDuplicateKey: {
        std::string text = c.dump();
        text.insert(1, "\"" + category + "\":[true],\"" + number + "\":\"x\",");
        return text;
      }
      case Mutation::kDeepNesting:
        return with_raw_value(c, pick(2) == 0 ? category : number,
                              nested_text(10 + pick(191), pick(2) == 0));
      case Mutation::kLongString:
        c[pick(2) == 0 ? category : number] = std::string(100000, 'x');
        return c.dump();
      case Mutation::kInvalidUtf8: {
        static const std::array<std::string, 4> bad = {"\xff\xfe", "\xc3\x28", "\xed\xa0\x80",
                                                       "\xf0\x28\x8c\xbc"};
        return with_raw_value(c, category, "\"" + bad[pick(bad.size())] + "\"");
      }
      case Mutation::kNullEverything:
        for (auto& [key, value] : c.items()) value = nullptr;
        return c.dump();
      case Mutation::kCustomersForm: {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0, n = 1 + pick(5); i < n; ++i) {
          nlohmann::json member = customers_[pick(customers_.size())];
          if (pick(3) == 0) member[any_of(categorical_)] = nlohmann::json::array();
          if (pick(3) == 0) member[any_of(numeric_)] = "not a number";
          list.push_back(member);
        }
        return nlohmann::json({{"customers", list}}).dump();
      }
      case Mutation::kCustomersBadMember: {
        const std::array<nlohmann::json, 5> odd = {1, "x", nullptr, nlohmann::json::array(), true};
        return nlohmann::json({{"customers", {c, odd[pick(odd.size())]}}}).dump();
      }
      case Mutation::kExplainOdd: {
        const std::array<nlohmann::json, 7> odd = {
            -1, 0, 2.5, "3", true, 1e20, 18446744073709551615ull};
        c["explain"] = odd[pick(odd.size())];
        return c.dump();
      }
      case Mutation::kTruncated: {
        std::string text = c.dump();
        return text.substr(0, pick(text.size()));
      }
      case Mutation::kByteFlips: {
        std::string text = c.dump();
        for (std::size_t i = 0, n = 1 + pick(8); i < n; ++i) {
          text[pick(text.size())] = static_cast<char>(pick(256));
        }
        return text;
      }
      case Mutation::kCount:
        break;
    }
    return "";
  }

  std::mt19937_64 rng_{20261204};
  std::vector<std::string> categorical_, numeric_;
  std::vector<nlohmann::json> customers_;
};

TEST_F(FuzzedPredict, TenThousandHostileBodiesGetNoCrashAndNo5xx) {
  constexpr int kBodies = 10000;
  constexpr auto kKinds = static_cast<std::size_t>(Mutation::kCount);
  std::map<std::pair<std::size_t, int>, int> answers;  // (mutation, status) -> count
  int server_errors = 0;
  for (int i = 0; i < kBodies; ++i) {
    const auto mutation = static_cast<Mutation>(pick(kKinds));
    const std::string body = body_for(mutation);
    const Reply reply = call("POST", "/api/v1/predict", body);
    ++answers[{static_cast<std::size_t>(mutation), reply.status}];
    if (reply.status >= 500) {
      ++server_errors;
      ADD_FAILURE() << name_of(mutation) << ": " << reply.status << " " << reply.body
                    << "\nbody: " << body.substr(0, 300);
      continue;
    }
    if (reply.status == 200) {
      const auto& json = reply.json;
      const auto& first = json.contains("predictions") ? json["predictions"][0] : json;
      ASSERT_TRUE(first.contains("churn_probability")) << reply.body;
      const double p = first["churn_probability"].get<double>();
      EXPECT_TRUE(p >= 0.0 && p <= 1.0) << name_of(mutation) << ": " << reply.body;
    } else {
      ASSERT_TRUE(reply.json.is_object() && reply.json.contains("error")) << reply.body;
      EXPECT_TRUE(reply.json["error"].contains("code")) << reply.body;
      EXPECT_FALSE(reply.json["error"].value("message", "").empty()) << reply.body;
    }
    if (mutation == Mutation::kNone) {
      EXPECT_EQ(reply.status, 200) << reply.body << "\nbody: " << body;
    }
  }
  EXPECT_EQ(server_errors, 0);

  std::cout << "mutation: status x count (* a 200 that a per-schema type check would refuse)\n";
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    std::cout << "  " << name_of(static_cast<Mutation>(kind)) << ":";
    for (const auto& [key, count] : answers) {
      if (key.first != kind) continue;
      const bool flagged = key.second == 200 && should_be_refused(static_cast<Mutation>(kind));
      std::cout << " " << key.second << " x " << count << (flagged ? "*" : "");
    }
    std::cout << "\n";
  }
  // The service must still answer a real customer after all that.
  EXPECT_EQ(call_json("POST", "/api/v1/predict", customers_[0]).status, 200);
}

}  // namespace
}  // namespace smartchurn::server::test
