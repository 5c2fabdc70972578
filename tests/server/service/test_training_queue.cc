#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "server/api_fixture.h"  // TempDir
#include "server/service/service_test_data.h"
#include "server/service/training_queue.h"
#include "smartchurn/error.h"

namespace smartchurn::server::test {
namespace {

// Holds the scoring callback of a finished job until the test opens it, so that the jobs queued
// behind it stay queued while the test looks at them.
class ScoringGate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void wait_until_entered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false, open_ = false;
};

// Opens the gate when a test leaves early, before the queue it blocks is stopped and joined.
struct OpenGateOnExit {
  ScoringGate& gate;
  ~OpenGateOnExit() { gate.open(); }
};

std::vector<JobEvent> follow_to_the_end(const TrainingQueue& queue, int64_t id) {
  std::vector<JobEvent> events;
  queue.follow(id, [&](const JobEvent& event) {
    events.push_back(event);
    return true;
  });
  return events;
}

class TrainingQueueTest : public ::testing::Test {
 protected:
  TempDir dir_;
  Store store_{dir_.file("data")};
  ModelRegistry registry_{store_, dir_.file("models")};
  DatasetRecord dataset_ = add_demo_dataset(store_, dir_.file("demo.csv"));

  // What the queue asked to score into the customer base: (model id, data set path).
  std::mutex scored_mutex_;
  std::vector<std::pair<int64_t, std::string>> scored_;
  TrainingQueue::ScoreDataset record_scoring() {
    return [this](const LoadedModel& model, const std::string& csv_path) {
      std::lock_guard lock(scored_mutex_);
      scored_.emplace_back(model.record.id, csv_path);
    };
  }
};

TEST_F(TrainingQueueTest, AQueuedJobRunsEndsSucceededAndActivatesTheFirstModel) {
  TrainingQueue queue(store_, registry_, {1, {}}, record_scoring());
  const int64_t id = queue.start(quick_training_request(dataset_.id));

  const auto events = follow_to_the_end(queue, id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event, "done");
  EXPECT_EQ(events.back().data["status"], "succeeded");
  EXPECT_EQ(events.back().data["id"], id);
  for (std::size_t i = 0; i + 1 < events.size(); ++i) EXPECT_EQ(events[i].event, "progress");

  const auto job = queue.job(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, JobStatus::kSucceeded);
  EXPECT_DOUBLE_EQ(job->progress, 1.0);
  ASSERT_TRUE(job->model_id);
  EXPECT_FALSE(job->leaderboard.is_null());
  // The store has the final state too, for the listeners that read it back.
  const auto stored = store_.get_job(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, JobStatus::kSucceeded);
  EXPECT_EQ(stored->model_id, job->model_id);

  const auto active = registry_.active();
  ASSERT_TRUE(active);
  EXPECT_EQ(active->record.id, *job->model_id);
  std::lock_guard lock(scored_mutex_);
  ASSERT_EQ(scored_.size(), 1u);
  EXPECT_EQ(scored_[0].first, *job->model_id);
  EXPECT_EQ(scored_[0].second, dataset_.path);
}

TEST_F(TrainingQueueTest, JobsWaitTheirTurnAndAQueuedOneIsCancelledAtOnce) {
  DatasetRecord doomed = dataset_;  // the same file under another record, deleted below
  doomed.id = store_.add_dataset(doomed);
  ScoringGate gate;
  TrainingQueue queue(store_, registry_, {1, {}},
                      [&](const LoadedModel&, const std::string&) { gate.pass(); });
  OpenGateOnExit open_on_exit{gate};

  const int64_t first = queue.start(quick_training_request(dataset_.id));
  const int64_t cancelled = queue.start(quick_training_request(dataset_.id));
  const int64_t failing = queue.start(quick_training_request(doomed.id));
  gate.wait_until_entered();  // the first job is done training and held
  EXPECT_EQ(queue.running(), 1);
  EXPECT_EQ(queue.job(first)->status, JobStatus::kRunning);
  EXPECT_EQ(queue.job(cancelled)->status, JobStatus::kQueued);

  queue.cancel(cancelled);
  auto after_cancel = queue.job(cancelled);
  ASSERT_TRUE(after_cancel);
  EXPECT_EQ(after_cancel->status, JobStatus::kCancelled);
  EXPECT_EQ(after_cancel->step, "cancelled");
  EXPECT_TRUE(after_cancel->started_at.empty());  // it never ran
  EXPECT_FALSE(after_cancel->finished_at.empty());
  EXPECT_EQ(store_.get_job(cancelled)->status, JobStatus::kCancelled);
  // An ended job's only event is the final one, at once.
  const auto cancelled_events = follow_to_the_end(queue, cancelled);
  ASSERT_EQ(cancelled_events.size(), 1u);
  EXPECT_EQ(cancelled_events[0].event, "done");
  EXPECT_EQ(cancelled_events[0].data["status"], "cancelled");
  try {
    queue.cancel(cancelled);
    ADD_FAILURE() << "an ended job was cancelled again";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
  try {
    queue.cancel(failing + 1000);
    ADD_FAILURE() << "a job that never existed was cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }

  // A data set deleted while its job waits fails the job when its turn comes.
  ASSERT_TRUE(store_.delete_dataset(doomed.id));
  gate.open();
  const auto failed_events = follow_to_the_end(queue, failing);
  ASSERT_FALSE(failed_events.empty());
  EXPECT_EQ(failed_events.back().data["status"], "failed");
  EXPECT_EQ(queue.job(failing)->error, "the dataset was deleted before training started");
  EXPECT_EQ(queue.job(first)->status, JobStatus::kSucceeded);
  // The job after the cancelled one has run, and the cancelled one still never started.
  EXPECT_TRUE(queue.job(cancelled)->started_at.empty());
  EXPECT_EQ(queue.job(cancelled)->status, JobStatus::kCancelled);
}

TEST_F(TrainingQueueTest, ARequestThatCannotTrainQueuesNoJob) {
  TrainingQueue queue(store_, registry_, {1, {}}, record_scoring());
  auto expect_refused = [&](TrainingRequest request, ErrorCode code, const std::string& field) {
    try {
      queue.start(request);
      ADD_FAILURE() << "queued a job that should be refused for " << field;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_EQ(e.where().column, field) << e.what();
    }
  };
  TrainingRequest unknown_dataset = quick_training_request(dataset_.id + 100);
  expect_refused(unknown_dataset, ErrorCode::kNotFound, "dataset_id");
  TrainingRequest unknown_target = quick_training_request(dataset_.id);
  unknown_target.target = "no_such_column";
  expect_refused(unknown_target, ErrorCode::kUsage, "target");
  TrainingRequest unknown_model = quick_training_request(dataset_.id);
  unknown_model.models = {"no_such_model"};
  expect_refused(unknown_model, ErrorCode::kUsage, "models");
  EXPECT_TRUE(store_.list_jobs().empty());

  // An unknown job has no events and no record.
  EXPECT_TRUE(follow_to_the_end(queue, 12345).empty());
  EXPECT_FALSE(queue.job(12345));
}

TEST_F(TrainingQueueTest, AStoppedQueueTakesNoJobAndStopsTwice) {
  TrainingQueue queue(store_, registry_, {1, {}}, record_scoring());
  queue.stop();
  try {
    queue.start(quick_training_request(dataset_.id));
    ADD_FAILURE() << "a stopped queue took a job";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
  EXPECT_TRUE(store_.list_jobs().empty());
  queue.stop();  // and once more from the destructor
}

}  // namespace
}  // namespace smartchurn::server::test
