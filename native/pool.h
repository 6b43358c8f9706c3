// A fixed pool of sleeping worker threads for TicketLab's native kernels. Workers block on a
// condition variable between calls (no spinning), so they never compete with the wasm backend's
// own thread pool for the cores while the wasm kernels run; a call wakes them, runs part
// `0` on the calling thread, and returns when every part is done.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ticketlab {

class WorkerPool {
 public:
  // Runs job(0) … job(parts − 1), part 0 on the calling thread, the rest on workers; returns
  // when all are done. Calls must not overlap (TicketLab calls from the JS thread only).
  void Run(int parts, const std::function<void(int)>& job) {
    if (parts <= 1) {
      job(0);
      return;
    }
    EnsureWorkers(parts - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      active_ = parts - 1;
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    job(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void EnsureWorkers(int count) {
    while (static_cast<int>(workers_) < count) {
      const int index = static_cast<int>(workers_++);
      // Detached: the pool lives for the whole process (never destroyed), so exit never joins.
      std::thread([this, index] { Loop(index); }).detach();
    }
  }

  void Loop(int index) {
    unsigned seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (index >= active_) continue;
        job = job_;
      }
      (*job)(index + 1);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  unsigned generation_ = 0;
  int active_ = 0, pending_ = 0;
  unsigned workers_ = 0;
};

// The process-wide pool (allocated once, never destroyed).
inline WorkerPool& Pool() {
  static WorkerPool* pool = new WorkerPool();
  return *pool;
}

}  // namespace ticketlab
