#include "core/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace ashiato {

AtomicFile::AtomicFile(std::filesystem::path destination) : destination_(std::move(destination)) {
  const std::filesystem::path folder = destination_.parent_path().empty() ? "." : destination_.parent_path();
  std::string hidden_name(1, '.');  // appended, not "." + name: GCC 12's -Wrestrict misfires on that
  hidden_name.append(destination_.filename().string()).append(".partial-XXXXXX");
  const std::string pattern = (folder / hidden_name).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("cannot write " + destination_.string() + ": " + std::strerror(errno));
  temporary_ = name.data();
  // mkstemp makes the file 0600; an output file gets the usual permissions (umask applies).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(temporary_.c_str());
    throw std::runtime_error("cannot write " + destination_.string() + ": " + reason);
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    ::unlink(temporary_.c_str());
  }
}

void AtomicFile::write(std::string_view text) {
  if (file_ == nullptr) throw std::logic_error(destination_.string() + " is already committed");
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    throw std::runtime_error("cannot write " + destination_.string() + ": " + std::strerror(errno));
  }
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw std::logic_error(destination_.string() + " is already committed");
  const bool written = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int write_errno = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!written || !closed || ::rename(temporary_.c_str(), destination_.c_str()) != 0) {
    const std::string reason = std::strerror(written && closed ? errno : write_errno);
    ::unlink(temporary_.c_str());
    throw std::runtime_error("cannot write " + destination_.string() + ": " + reason);
  }
  remove_stale_partials();
}

// A process killed while writing (kill -9, a file size limit) cannot remove its temporary file;
// the next complete write of the same destination does.
void AtomicFile::remove_stale_partials() const {
  std::string prefix(1, '.');
  prefix.append(destination_.filename().string()).append(".partial-");
  const std::filesystem::path folder = destination_.parent_path().empty() ? "." : destination_.parent_path();
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == prefix.size() + 6 && name.starts_with(prefix)) std::filesystem::remove(it->path(), ec);
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

}  // namespace ashiato
