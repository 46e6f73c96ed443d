// The serial queue (serial_queue.hpp): what waits, and its drain on the pool.
#include "server/serial_queue.hpp"

#include <boost/asio/post.hpp>

namespace plenary::server {

void serial_queue::state::push(task t) {
  {
    std::lock_guard lock(mu);
    waiting.push_back(std::move(t));
    if (running) return;
    running = true;
  }
  boost::asio::post(pool, [self = shared_from_this()] { self->drain(); });
}

bool serial_queue::state::take_idle() {
  std::lock_guard lock(mu);
  if (running || !waiting.empty()) return false;
  running = true;
  return true;
}

void serial_queue::state::release() {
  {
    std::lock_guard lock(mu);
    if (waiting.empty()) {
      running = false;
      return;
    }
  }
  boost::asio::post(pool, [self = shared_from_this()] { self->drain(); });
}

void serial_queue::state::drain() {
  // What waits now, and no more: tasks given meanwhile go behind other rooms' work on the
  // pool, as a strand's do. If a task throws, what waits is handed on before the exception
  // leaves (release, then the pool's thread ends as with a strand).
  std::size_t n = 0;
  {
    std::lock_guard lock(mu);
    n = waiting.size();
  }
  struct finish {
    state* s;
    ~finish() { s->release(); }
  } f{this};
  for (std::size_t i = 0; i < n; ++i) {
    task t;
    {
      std::lock_guard lock(mu);
      t = std::move(waiting.front());
      waiting.pop_front();
    }
    t();
  }
}

}  // namespace plenary::server
