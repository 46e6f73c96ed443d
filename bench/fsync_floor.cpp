// The disk's floor for one durable amendment (issue 20): the time of one fdatasync after a
// 4 KiB write, measured three ways on the file system of `dir`, interleaved so that they see
// the same load:
//   append     write 4 KiB at the end of a file, fdatasync (the size changes: a journal commit)
//   overwrite  write 4 KiB inside a file written and flushed beforehand, fdatasync (data only;
//              what storage/git/wal.hpp does)
//   fsync      a new 8 KiB file created, written, fsync'd (what bench/run.py calls "the disk")
// Usage: plenary-fsync-floor DIR [ROUNDS] [--busy]   (prints JSON: p50/p90/p99 in ms for each)
// --busy keeps one other thread spinning meanwhile, as a server's other threads are busy: on
// this virtual machine an fdatasync of a process whose CPU goes idle returns at the next
// timer tick (~4 ms at 250 Hz), and within ~0.3-1 ms when the CPU stays busy (strace -T of the
// server shows the latter).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void must(bool ok, const char* what) {
  if (!ok) {
    std::perror(what);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [ROUNDS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 200;
  const bool busy = argc > 3 && std::strcmp(argv[3], "--busy") == 0;
  std::atomic<bool> stop{false};
  std::thread spinner;
  if (busy) {
    spinner = std::thread([&] {
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
  }
  const std::string block(4096, 'x');
  constexpr std::size_t region = 1 << 20;  // the overwrite file: 1 MiB written once

  const std::string append_path = dir + "/floor-append";
  const std::string over_path = dir + "/floor-overwrite";
  int append_fd = ::open(append_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  int over_fd = ::open(over_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  must(append_fd >= 0 && over_fd >= 0, "open");
  const std::string zeros(region, '\0');
  must(::pwrite(over_fd, zeros.data(), zeros.size(), 0) == static_cast<ssize_t>(zeros.size()),
       "pwrite");
  must(::fsync(over_fd) == 0, "fsync");

  std::vector<double> append, over, fresh;
  off_t append_at = 0, over_at = 0;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = clock_type::now();
    must(::pwrite(append_fd, block.data(), block.size(), append_at) == 4096, "append");
    must(::fdatasync(append_fd) == 0, "fdatasync");
    append.push_back(ms_since(t0));
    append_at += 4096;

    t0 = clock_type::now();
    must(::pwrite(over_fd, block.data(), block.size(), over_at) == 4096, "overwrite");
    must(::fdatasync(over_fd) == 0, "fdatasync");
    over.push_back(ms_since(t0));
    over_at = (over_at + 4096) % static_cast<off_t>(region);

    const std::string p = dir + "/floor-new-" + std::to_string(i);
    t0 = clock_type::now();
    int fd = ::open(p.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
    must(fd >= 0, "open new");
    must(::write(fd, zeros.data(), 8192) == 8192, "write new");
    must(::fsync(fd) == 0, "fsync new");
    fresh.push_back(ms_since(t0));
    ::close(fd);
    ::unlink(p.c_str());
  }
  stop = true;
  if (spinner.joinable()) spinner.join();
  ::close(append_fd);
  ::close(over_fd);
  ::unlink(append_path.c_str());
  ::unlink(over_path.c_str());
  auto line = [](const char* name, const std::vector<double>& v, bool last) {
    std::printf("  \"%s\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f}%s\n", name, pct(v, 0.5),
                pct(v, 0.9), pct(v, 0.99), last ? "" : ",");
  };
  std::printf("{\n  \"rounds\": %d,\n  \"busy\": %s,\n", rounds, busy ? "true" : "false");
  line("append_fdatasync_4k", append, false);
  line("overwrite_fdatasync_4k", over, false);
  line("new_file_fsync_8k", fresh, true);
  std::printf("}\n");
  return 0;
}
