#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/migrations.h"
#include "unit/error_code_of.h"
#include "unit/store/store_test_support.h"

namespace smartchurn {
namespace {

using test::code_of;
using test::StoreTest;

// Sets SOURCE_DATE_EPOCH (which timestamp_utc honours) for one scope.
class FixedClock {
 public:
  explicit FixedClock(const char* epoch) { ::setenv("SOURCE_DATE_EPOCH", epoch, 1); }
  ~FixedClock() { ::unsetenv("SOURCE_DATE_EPOCH"); }
  FixedClock(const FixedClock&) = delete;
  FixedClock& operator=(const FixedClock&) = delete;
};

DatasetRecord sample_dataset(const std::string& name) {
  DatasetRecord record;
  record.name = name;
  record.path = "/data/" + name;
  record.sha256 = "ab12";
  record.rows = 7043;
  record.columns = 21;
  record.profile = {{"columns", {{{"name", "tenure"}, {"missing", 0}}}}, {"rows", 7043}};
  record.created_at = "2024-03-01T10:00:00Z";
  return record;
}

TrainingJobRecord sample_job(int64_t dataset_id, JobStatus status) {
  TrainingJobRecord job;
  job.dataset_id = dataset_id;
  job.request = {{"target", "Churn"}, {"models", {"lr", "gbm"}}, {"folds", 5}};
  job.status = status;
  job.step = "queued";
  return job;
}

TEST_F(StoreTest, CreatesTheDirectoryAndAnEmptyCurrentSchema) {
  const std::string nested = dir_ + "/a/b";
  Store store(nested);
  EXPECT_EQ(store.directory(), nested);
  EXPECT_EQ(store.schema_version(), store_detail::latest_schema_version());
  EXPECT_TRUE(std::filesystem::exists(nested + "/smartchurn.db"));
  EXPECT_TRUE(store.list_datasets().empty());
  EXPECT_TRUE(store.list_jobs().empty());
  EXPECT_TRUE(store.list_models().empty());
  EXPECT_FALSE(store.active_model().has_value());
  EXPECT_EQ(store.prediction_count(), 0);
  EXPECT_EQ(store.outcome_count(), 0);
}

TEST_F(StoreTest, UsesWriteAheadLogging) {
  Store store(dir_);
  store.add_dataset(sample_dataset("telco.csv"));
  EXPECT_TRUE(std::filesystem::exists(db_path() + "-wal"));
}

TEST_F(StoreTest, DirectoryThatCannotBeCreatedIsAnIoErrorNamingIt) {
  const std::string file = dir_ + "/plain-file";
  std::ofstream(file) << "x";
  try {
    Store store(file + "/store");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(e.message().find(file + "/store"), std::string::npos) << e.message();
  }
}

TEST_F(StoreTest, FileThatIsNotADatabaseIsAnErrorNotACrash) {
  std::ofstream(db_path(), std::ios::binary) << std::string(4096, 'z');
  EXPECT_EQ(code_of([&] { Store store(dir_); }), ErrorCode::kIo);
}

TEST_F(StoreTest, ReopenKeepsEveryRecord) {
  int64_t dataset_id = 0, job_id = 0, model_id = 0;
  {
    Store store(dir_);
    dataset_id = store.add_dataset(sample_dataset("telco.csv"));
    job_id = store.add_job(sample_job(dataset_id, JobStatus::kSucceeded));
    model_id = store.add_model(test::model_named("telco"));
    store.activate_model(model_id);
    store.upsert_scores({test::score_of("C1", model_id, 0.25, "low")});
    store.log_predictions(
        {PredictionLogEntry{0, "2024-01-01T00:00:00Z", model_id, 1, "C1", 0.25, "low", "ff"}});
    store.add_outcomes({Outcome{"C1", true, "2024-02-01", ""}});
  }
  Store reopened(dir_);
  EXPECT_EQ(reopened.schema_version(), store_detail::latest_schema_version());
  ASSERT_TRUE(reopened.get_dataset(dataset_id).has_value());
  EXPECT_EQ(reopened.get_dataset(dataset_id)->name, "telco.csv");
  ASSERT_TRUE(reopened.get_job(job_id).has_value());
  EXPECT_EQ(reopened.get_job(job_id)->status, JobStatus::kSucceeded);
  ASSERT_TRUE(reopened.active_model().has_value());
  EXPECT_EQ(reopened.active_model()->id, model_id);
  EXPECT_EQ(reopened.all_scores(model_id).size(), 1u);
  EXPECT_EQ(reopened.prediction_count(), 1);
  EXPECT_EQ(reopened.outcome_count(), 1);
}

TEST_F(StoreTest, JobStatusNamesRoundTrip) {
  for (JobStatus status : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded,
                           JobStatus::kFailed, JobStatus::kCancelled}) {
    EXPECT_EQ(job_status_from_string(to_string(status)), status);
  }
  EXPECT_STREQ(to_string(JobStatus::kCancelled), "cancelled");
  EXPECT_EQ(code_of([] { job_status_from_string("done"); }), ErrorCode::kUsage);
}

TEST_F(StoreTest, DatasetRoundTripsEveryField) {
  Store store(dir_);
  const DatasetRecord original = sample_dataset("telco.csv");
  const int64_t id = store.add_dataset(original);
  const auto read = store.get_dataset(id);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id);
  EXPECT_EQ(read->name, original.name);
  EXPECT_EQ(read->path, original.path);
  EXPECT_EQ(read->sha256, original.sha256);
  EXPECT_EQ(read->rows, 7043);
  EXPECT_EQ(read->columns, 21);
  EXPECT_EQ(read->profile, original.profile);
  EXPECT_EQ(read->created_at, "2024-03-01T10:00:00Z");
  EXPECT_FALSE(store.get_dataset(id + 1).has_value());
}

TEST_F(StoreTest, EmptyTimestampsAreFilledWithTheCurrentUtcTime) {
  FixedClock clock("86400");
  Store store(dir_);
  DatasetRecord record = sample_dataset("bank.csv");
  record.created_at.clear();
  const int64_t id = store.add_dataset(record);
  EXPECT_EQ(store.get_dataset(id)->created_at, "1970-01-02T00:00:00Z");
}

TEST_F(StoreTest, DatasetsListNewestFirstWithoutProfiles) {
  Store store(dir_);
  const int64_t first = store.add_dataset(sample_dataset("a.csv"));
  const int64_t second = store.add_dataset(sample_dataset("b.csv"));
  const auto list = store.list_datasets();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, second);
  EXPECT_EQ(list[0].name, "b.csv");
  EXPECT_EQ(list[1].id, first);
  EXPECT_TRUE(list[0].profile.is_null());
  EXPECT_EQ(list[1].rows, 7043);
}

TEST_F(StoreTest, DeletingADatasetKeepsTheJobsAndModelsThatUsedIt) {
  Store store(dir_);
  const int64_t dataset = store.add_dataset(sample_dataset("a.csv"));
  const int64_t job = store.add_job(sample_job(dataset, JobStatus::kSucceeded));
  ModelRecord model = test::model_named("a");
  model.dataset_id = dataset;
  const int64_t model_id = store.add_model(model);

  EXPECT_TRUE(store.delete_dataset(dataset));
  EXPECT_FALSE(store.delete_dataset(dataset));
  EXPECT_FALSE(store.get_dataset(dataset).has_value());
  EXPECT_TRUE(store.list_datasets().empty());
  EXPECT_EQ(store.get_job(job)->dataset_id, dataset);
  EXPECT_EQ(store.get_model(model_id)->dataset_id, dataset);
}

TEST_F(StoreTest, JobRoundTripsEveryFieldThroughAddAndUpdate) {
  Store store(dir_);
  TrainingJobRecord job = sample_job(7, JobStatus::kQueued);
  job.created_at = "2024-01-01T00:00:00Z";
  const int64_t id = store.add_job(job);
  auto read = store.get_job(id);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id);
  EXPECT_EQ(read->dataset_id, 7);
  EXPECT_EQ(read->request, job.request);
  EXPECT_EQ(read->status, JobStatus::kQueued);
  EXPECT_EQ(read->progress, 0.0);
  EXPECT_EQ(read->step, "queued");
  EXPECT_EQ(read->error, "");
  EXPECT_TRUE(read->leaderboard.is_null());
  EXPECT_FALSE(read->model_id.has_value());
  EXPECT_EQ(read->created_at, "2024-01-01T00:00:00Z");
  EXPECT_EQ(read->started_at, "");
  EXPECT_EQ(read->finished_at, "");

  TrainingJobRecord done = *read;
  done.dataset_id = 8;
  done.request["folds"] = 10;
  done.status = JobStatus::kSucceeded;
  done.progress = 0.625;
  done.step = "done";
  done.error = "none";
  done.leaderboard = {{{"model", "gbm"}, {"auc", 0.8471}}};
  done.model_id = 42;
  done.started_at = "2024-01-01T00:00:01Z";
  done.finished_at = "2024-01-01T00:05:00Z";
  store.update_job(done);
  read = store.get_job(id);
  EXPECT_EQ(read->dataset_id, 8);
  EXPECT_EQ(read->request["folds"], 10);
  EXPECT_EQ(read->status, JobStatus::kSucceeded);
  EXPECT_EQ(read->progress, 0.625);
  EXPECT_EQ(read->step, "done");
  EXPECT_EQ(read->error, "none");
  EXPECT_EQ(read->leaderboard, done.leaderboard);
  EXPECT_EQ(read->model_id, std::optional<int64_t>(42));
  EXPECT_EQ(read->created_at, "2024-01-01T00:00:00Z");
  EXPECT_EQ(read->started_at, "2024-01-01T00:00:01Z");
  EXPECT_EQ(read->finished_at, "2024-01-01T00:05:00Z");

  done.model_id.reset();
  store.update_job(done);
  EXPECT_FALSE(store.get_job(id)->model_id.has_value());
}

TEST_F(StoreTest, UpdatingAnAbsentJobIsAUsageError) {
  Store store(dir_);
  TrainingJobRecord job = sample_job(1, JobStatus::kRunning);
  job.id = 99;
  EXPECT_EQ(code_of([&] { store.update_job(job); }), ErrorCode::kUsage);
  EXPECT_FALSE(store.get_job(99).has_value());
}

TEST_F(StoreTest, JobsListNewestFirstUpToTheLimit) {
  Store store(dir_);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(store.add_job(sample_job(i, JobStatus::kQueued)));
  const auto all = store.list_jobs();
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(all[i].id, ids[4 - i]);
  const auto two = store.list_jobs(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].id, ids[4]);
  EXPECT_EQ(two[1].id, ids[3]);
  EXPECT_EQ(code_of([&] { store.list_jobs(-1); }), ErrorCode::kUsage);
}

TEST_F(StoreTest, UnfinishedJobsFailAfterARestart) {
  std::vector<int64_t> ids;
  const std::vector<JobStatus> statuses = {JobStatus::kQueued, JobStatus::kRunning,
                                           JobStatus::kSucceeded, JobStatus::kFailed,
                                           JobStatus::kCancelled};
  {
    Store store(dir_);
    for (JobStatus status : statuses) ids.push_back(store.add_job(sample_job(1, status)));
  }
  Store store(dir_);
  EXPECT_EQ(store.fail_unfinished_jobs(), 2);
  for (size_t i = 0; i < 2; ++i) {
    const auto job = store.get_job(ids[i]);
    EXPECT_EQ(job->status, JobStatus::kFailed);
    EXPECT_EQ(job->error, "interrupted: the server restarted");
    EXPECT_FALSE(job->finished_at.empty());
  }
  for (size_t i = 2; i < 5; ++i) {
    const auto job = store.get_job(ids[i]);
    EXPECT_EQ(job->status, statuses[i]);
    EXPECT_EQ(job->error, "");
    EXPECT_EQ(job->finished_at, "");
  }
  EXPECT_EQ(store.fail_unfinished_jobs(), 0);
}

TEST_F(StoreTest, ReadersAndAWriterShareTheStoreFromFourThreads) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("m"));
  store.activate_model(model);
  constexpr int kBatches = 40, kBatchSize = 100;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0}, torn_batches{0};

  std::thread writer([&] {
    try {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<ScoredCustomer> batch;
        std::vector<PredictionLogEntry> log;
        for (int i = 0; i < kBatchSize; ++i) {
          const std::string id = "c" + std::to_string(b * kBatchSize + i);
          batch.push_back(test::score_of(id, model, 0.5, "medium"));
          log.push_back(PredictionLogEntry{0, "", model, 1, id, 0.5, "medium", ""});
        }
        store.upsert_scores(batch);
        store.log_predictions(log);
      }
    } catch (...) {
      ++failures;
    }
    writing = false;
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      try {
        do {
          int64_t total = -1;
          store.query_customers(CustomerQuery{}, &total);
          // Each batch is one transaction: a reader never sees part of one.
          if (total % kBatchSize != 0) ++torn_batches;
          if (store.prediction_count() % kBatchSize != 0) ++torn_batches;
          store.recent_predictions(5);
        } while (writing);
      } catch (...) {
        ++failures;
      }
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn_batches.load(), 0);
  EXPECT_EQ(store.all_scores(model).size(), static_cast<size_t>(kBatches * kBatchSize));
  EXPECT_EQ(store.prediction_count(), kBatches * kBatchSize);
}

}  // namespace
}  // namespace smartchurn
