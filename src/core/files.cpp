#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void io_error(const fs::path& path, const char* what, int err) {
  throw Error(ErrorKind::unavailable, "io_error",
              "无法保存文件 " + path.string() + "（" + what + "：" + std::strerror(err) +
                  "），请检查磁盘空间和权限",
              std::string("cannot save ") + path.string() + " (" + what + ": " +
                  std::strerror(err) + "); check the disk's free space and permissions");
}

}  // namespace

void sync_file(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_error(file, "open", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) io_error(file, "fsync", err);
}

void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) io_error(dir, "open", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) io_error(dir, "fsync", err);
}

void create_directories_durably(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || fs::is_directory(dir, ec)) return;
  create_directories_durably(dir.parent_path());
  if (fs::create_directory(dir, ec)) sync_directory(dir.parent_path());
  if (!fs::is_directory(dir, ec)) io_error(dir, "mkdir", ec ? ec.value() : ENOTDIR);
}

void write_file_durably(const fs::path& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  fs::path dir = path.parent_path();
  std::error_code ec;
  create_directories_durably(dir);
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) io_error(tmp, "open", errno);
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    fs::remove(tmp, ec);
    io_error(path, what, err);
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    if (n == 0) {
      errno = ENOSPC;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    fs::remove(tmp, ec);
    io_error(path, "close", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    fs::remove(tmp, ec);
    io_error(path, "rename", err);
  }
  sync_directory(dir);
}

}  // namespace wangge
