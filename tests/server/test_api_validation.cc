// Every refusal of bad input names its field, and nothing a client cannot use reaches it (no
// server path, no JSON library text: ApiTest::TearDown checks every error body of these tests).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "api_fixture.h"

namespace smartchurn::server::test {
namespace {

class ApiValidationTest : public ApiTest {
 protected:
  // The first input of the active model with this type ("categorical", "numeric", "boolean").
  std::string input_of_type(const std::string& type) {
    const Reply model = call("GET", "/api/v1/models/1");
    for (const auto& input : model.json["inputs"]) {
      if (input["type"] == type) return input["name"];
    }
    ADD_FAILURE() << "the demo model has no " << type << " input";
    return "";
  }

  // Asserts a 400 naming `field`, and returns its message.
  std::string refused(const Reply& reply, const std::string& field) {
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.json["error"]["field"], field) << reply.body;
    EXPECT_EQ(reply.json["error"]["code"], "invalid_field") << reply.body;
    return reply.json["error"]["message"].is_string() ? reply.json["error"]["message"] : "";
  }

  std::size_t jobs_stored() const { return store_->list_jobs().size(); }

  nlohmann::json training_body() const {
    return {{"dataset_id", 1},
            {"target", "churn"},
            {"id_column", "customer_id"},
            {"models", {"lr"}},
            {"folds", 2}};
  }
};

TEST_F(ApiValidationTest, ACategoricalFieldTakesAStringOrNullNotAnArrayObjectOrBoolean) {
  const std::string column = input_of_type("categorical");
  for (const nlohmann::json& wrong :
       {nlohmann::json::array({"a"}), nlohmann::json::object({{"a", 1}}), nlohmann::json(true)}) {
    auto customer = demo_customer(1);
    customer[column] = wrong;
    const std::string message = refused(call_json("POST", "/api/v1/predict", customer), column);
    EXPECT_NE(message.find("must be a string or null"), std::string::npos) << message;
    refused(call_json("POST", "/api/v1/predict", {{"customers", {demo_customer(2), customer}}}),
            "customers[1]." + column);
  }
  // One customer in a list is still named by its place in the list.
  auto customer = demo_customer(1);
  customer[column] = nlohmann::json::array();
  refused(call_json("POST", "/api/v1/predict", {{"customers", {customer}}}),
          "customers[0]." + column);
  // A number in a categorical column is taken as its text (numeric codes); null is missing.
  customer[column] = 7;
  EXPECT_EQ(call_json("POST", "/api/v1/predict", customer).status, 200);
  customer[column] = nullptr;
  EXPECT_EQ(call_json("POST", "/api/v1/predict", customer).status, 200);
}

TEST_F(ApiValidationTest, NumericAndYesNoFieldsRefuseArraysAndObjects) {
  for (const std::string type : {"numeric", "boolean"}) {
    const std::string column = input_of_type(type);
    auto customer = demo_customer(1);
    customer[column] = nlohmann::json::object();
    refused(call_json("POST", "/api/v1/predict", customer), column);
    customer[column] = nlohmann::json::array({1});
    refused(call_json("POST", "/api/v1/predict", {{"customers", {customer}}}),
            "customers[0]." + column);
  }
  // true / false in a yes/no column mean its two labels.
  auto customer = demo_customer(1);
  customer[input_of_type("boolean")] = true;
  EXPECT_EQ(call_json("POST", "/api/v1/predict", customer).status, 200);
}

TEST_F(ApiValidationTest, WhatIfNamesTheChangeThatIsWrong) {
  const std::string column = input_of_type("categorical");
  Reply reply = call_json(
      "POST", "/api/v1/what-if",
      {{"customer", demo_customer(1)}, {"changes", {{column, nlohmann::json::array({1, 2})}}}});
  refused(reply, "changes." + column);
  auto customer = demo_customer(1);
  customer[column] = false;
  refused(call_json("POST", "/api/v1/what-if", {{"customer", customer}}), "customer." + column);
}

TEST_F(ApiValidationTest, FoldsOutsideWhatTheTrainerCanDoAreRefusedNotTruncated) {
  const std::size_t before = jobs_stored();
  for (const nlohmann::json& folds :
       {nlohmann::json(4294967299LL), nlohmann::json(1), nlohmann::json(21), nlohmann::json(2.5),
        nlohmann::json("5")}) {
    auto body = training_body();
    body["folds"] = folds;
    const std::string message = refused(call_json("POST", "/api/v1/training-jobs", body), "folds");
    EXPECT_NE(message.find("from 2 to 20"), std::string::npos) << message;
  }
  EXPECT_EQ(jobs_stored(), before);
}

TEST_F(ApiValidationTest, ADatasetIdBeyondTheRangeIsRefusedNotWrapped) {
  auto body = training_body();
  body["dataset_id"] = std::numeric_limits<uint64_t>::max();
  const std::string message =
      refused(call_json("POST", "/api/v1/training-jobs", body), "dataset_id");
  EXPECT_NE(message.find("18446744073709551615"), std::string::npos) << message;
  body["dataset_id"] = -1;
  refused(call_json("POST", "/api/v1/training-jobs", body), "dataset_id");
  body["dataset_id"] = 999;
  Reply missing = call_json("POST", "/api/v1/training-jobs", body);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["error"]["field"], "dataset_id");
}

TEST_F(ApiValidationTest, ATrainingRequestIsCheckedAgainstTheDatasetBeforeAnyJobExists) {
  const std::size_t before = jobs_stored();
  auto with = [&](const std::string& member, const nlohmann::json& value) {
    auto body = training_body();
    body[member] = value;
    return call_json("POST", "/api/v1/training-jobs", body);
  };
  std::string message = refused(with("target", "no_such_column"), "target");
  EXPECT_NE(message.find("no_such_column"), std::string::npos) << message;
  EXPECT_NE(message.find("'customer_id'"), std::string::npos) << message;  // lists the columns
  refused(with("target", "monthly_charges"), "target");                    // not a two-class column
  std::ifstream in(demo_csv());
  const std::string blanks = dir_.file("blank-targets.csv");
  std::ofstream out(blanks);
  std::string line;
  for (int row = 0; std::getline(in, line); ++row) {
    out << (row == 4 ? line.substr(0, line.rfind(',') + 1) : line) << "\n";
  }
  out.close();
  Reply uploaded = upload("/api/v1/datasets", blanks);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  auto blank_target = training_body();
  blank_target["dataset_id"] = uploaded.json["id"];
  message = refused(call_json("POST", "/api/v1/training-jobs", blank_target), "target");
  EXPECT_NE(message.find("missing in 1 row"), std::string::npos) << message;
  refused(with("id_column", "nope"), "id_column");
  refused(with("id_column", {"customer_id", "nope"}), "id_column[1]");
  refused(with("id_column", "churn"), "id_column");  // the target itself
  refused(with("positive_label", "Maybe"), "positive_label");
  refused(with("models", {"lr", "svm"}), "models[1]");
  refused(with("models", {"lr", 3}), "models[1]");
  refused(with("params", {{"gbm", {{"max_depth", 6}}}}), "params.gbm");  // gbm is not trained
  refused(with("params", {{"lr", {{"no_such", 1}}}}), "params.lr.no_such");
  refused(with("params", {{"lr", {{"no_such", "x"}}}}), "params.lr.no_such");
  refused(with("fold", 3), "fold");  // a typo is not ignored
  EXPECT_EQ(jobs_stored(), before);
  EXPECT_EQ(with("positive_label", "yes").status, 202);  // labels match in any case
}

TEST_F(ApiValidationTest, ModelParametersAreCheckedAgainstTheirDeclaredRanges) {
  auto body = training_body();
  body["models"] = {"gbm"};
  body["params"] = {{"gbm", {{"max_depth", 1000000}}}};
  const std::string message =
      refused(call_json("POST", "/api/v1/training-jobs", body), "params.gbm.max_depth");
  EXPECT_NE(message.find("from"), std::string::npos) << message;
  body["params"] = {{"gbm", {{"max_depth", 3.5}}}};
  refused(call_json("POST", "/api/v1/training-jobs", body), "params.gbm.max_depth");
  body["params"] = {{"gbm", {{"max_depth", 3}}}};
  const nlohmann::json job = train(body);
  EXPECT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["request"]["params"]["gbm"]["max_depth"], 3);
}

TEST_F(ApiValidationTest, OutcomeDatesMustBeCalendarDates) {
  const std::string id = demo_customer(1)["customer_id"];
  auto outcome = [&](const std::string& date) {
    return call_json("POST", "/api/v1/outcomes",
                     {{"outcomes",
                       {{{"customer_id", id}, {"churned", false}, {"date", "2024-01-01"}},
                        {{"customer_id", id}, {"churned", true}, {"date", date}}}}});
  };
  for (const std::string date : {"2024-13-45", "2024-02-30", "2023-02-29", "2024-00-10", "24-01-01",
                                 "2024-1-01", "2024-01-0x"}) {
    const std::string message = refused(outcome(date), "outcomes[1].date");
    EXPECT_NE(message.find(date), std::string::npos) << message;
  }
  EXPECT_EQ(outcome("2024-02-29").status, 201);
  refused(call_json("POST", "/api/v1/outcomes",
                    {{"outcomes", {{{"customer_id", id}, {"churned", true}, {"when", "x"}}}}}),
          "outcomes[0].when");
  refused(call_json("POST", "/api/v1/outcomes", {{"outcomes", {{{"churned", true}}}}}),
          "outcomes[0].customer_id");
  refused(call_json("POST", "/api/v1/outcomes", {{"outcomes", {"x"}}}), "outcomes[0]");
}

TEST_F(ApiValidationTest, AnIntegerCustomerIdIsKeptAsWritten) {
  Reply recorded =
      call("POST", "/api/v1/outcomes",
           R"({"outcomes": [{"customer_id": 18446744073709551615, "churned": true}]})");
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  EXPECT_EQ(store_->outcomes_for("18446744073709551615").size(), 1u);
  EXPECT_TRUE(store_->outcomes_for("-1").empty());
}

// Percent-encodes every byte outside [A-Za-z0-9_.-], as a browser's encodeURIComponent would.
std::string encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

TEST_F(ApiValidationTest, EveryCustomerIdTheListShowsCanBeOpened) {
  // A copy of the demo file whose first ids hold characters a path parameter refused before.
  const std::vector<std::string> ids = {"ann@example.com", "+44 20 7946", "a=b", "two words"};
  std::ifstream in(demo_csv());
  std::string path = dir_.file("odd-ids.csv");
  std::ofstream out(path);
  std::string line;
  std::getline(in, line);
  out << line << "\n";
  for (std::size_t row = 0; std::getline(in, line); ++row) {
    if (row < ids.size()) line = "\"" + ids[row] + "\"" + line.substr(line.find(','));
    out << line << "\n";
  }
  out.close();
  ASSERT_EQ(upload("/api/v1/predict/batch", path).status, 200);
  for (const std::string& id : ids) {
    Reply listed = call("GET", "/api/v1/customers?q=" + id);  // the fixture does not decode
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_FALSE(listed.json["customers"].empty()) << id;
    EXPECT_EQ(listed.json["customers"][0]["customer_id"], id);
    Reply one = call("GET", "/api/v1/customers/" + encode(id));
    ASSERT_EQ(one.status, 200) << id << ": " << one.body;
    EXPECT_EQ(one.json["customer_id"], id);
  }
  EXPECT_EQ(call("GET", "/api/v1/customers/" + encode("nobody@example.com")).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/customers/%4").status, 404);  // a malformed escape matches nothing
  EXPECT_EQ(call("GET", "/api/v1/customers/" + std::string(600, 'x')).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/models/1%40").status, 404);  // numeric ids stay strict
}

TEST_F(ApiValidationTest, BodiesThatAreNotObjectsAreRefusedWithoutLibraryText) {
  for (const char* path : {"/api/v1/predict", "/api/v1/training-jobs", "/api/v1/what-if"}) {
    for (const std::string body : {"[]", "3", "\"x\"", "null"}) {
      Reply reply = call("POST", path, body);
      EXPECT_EQ(reply.status, 400) << path << " " << body;
    }
  }
  refused(call_json("POST", "/api/v1/predict", {{"customers", {1, 2}}}), "customers[0]");
  refused(call_json("POST", "/api/v1/predict", {{"customers", nlohmann::json::object()}}),
          "customers");
  refused(call_json("POST", "/api/v1/predict", {{"explain", "3"}, {"tenure_months", 1}}),
          "explain");
}

}  // namespace
}  // namespace smartchurn::server::test
