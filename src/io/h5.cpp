#include "logp/io/h5.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <utility>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5_edit.hpp"

namespace logp {

// Owns one hid_t and closes it with the right H5*close. For a file made by H5File::create,
// disk_path is where its in-memory image goes: written by H5File::flush(), or, for a file never
// flushed, when it closes (best effort: errors there cannot be reported). For a file made by
// H5File::create_reserved, reserved is the size reserved on disk and disk_path the file itself.
class H5Object {
 public:
  using Closer = herr_t (*)(hid_t);
  H5Object(hid_t id, Closer closer, std::string disk_path = "", std::uint64_t reserved = 0)
      : id_(id), closer_(closer), disk_path_(std::move(disk_path)), reserved_(reserved) {}
  ~H5Object();
  H5Object(const H5Object&) = delete;
  H5Object& operator=(const H5Object&) = delete;
  hid_t id() const { return id_; }
  const std::string& disk_path() const { return disk_path_; }
  std::uint64_t reserved() const { return reserved_; }
  void mark_flushed() { flushed_ = true; }
  void close_reserved(const std::string& name);

 private:
  hid_t id_;
  Closer closer_;
  std::string disk_path_;
  std::uint64_t reserved_;
  bool flushed_ = false;
};

namespace {

// HDF5 prints a stack of errors by default; logp reports one line instead.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5 silence_hdf5;

// A scoped hid_t for intermediate objects (dataspaces, attributes, datasets, types).
class Scoped {
 public:
  Scoped(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  ~Scoped() {
    if (id_ >= 0) closer_(id_);
  }
  Scoped(Scoped&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;
  Scoped& operator=(Scoped&&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

template <typename T>
hid_t native_type();
template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }

void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error(what);
}

Scoped open_dataset(hid_t group, const std::string& name, const std::string& where) {
  if (H5Lexists(group, name.c_str(), H5P_DEFAULT) <= 0)
    throw Error(where + ": dataset is missing");
  Scoped ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw Error(where + ": cannot open dataset (corrupt file?)");
  return ds;
}

Scoped open_attr(hid_t object, const std::string& name, const std::string& where) {
  if (H5Aexists(object, name.c_str()) <= 0) throw Error(where + ": attribute '" + name + "' is missing");
  Scoped attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) throw Error(where + ": cannot open attribute '" + name + "'");
  return attr;
}

void replace_attr(hid_t object, const std::string& name) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
}

// A scalar variable-length UTF-8 string: h5py reads it as `str` (a fixed-length one gives
// `bytes`). Files written before this used fixed-length NULLPAD strings; both are read below.
void write_string_attr(hid_t object, const std::string& name, const std::string& value,
                       const std::string& where) {
  replace_attr(object, name);
  Scoped type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Scoped space(H5Screate(H5S_SCALAR), H5Sclose);
  Scoped attr(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  if (!attr.ok()) throw Error(where + ": cannot write attribute '" + name + "'");
  const char* text = value.c_str();  // a C string: an embedded NUL would end it
  check(H5Awrite(attr.get(), type.get(), &text), where + ": cannot write attribute '" + name + "'");
}

template <typename T>
void write_numeric_attr(hid_t object, const std::string& name, const std::vector<T>& values,
                        bool scalar, const std::string& where) {
  replace_attr(object, name);
  const hsize_t n = values.size();
  Scoped space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Scoped attr(H5Acreate2(object, name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  if (!attr.ok()) throw Error(where + ": cannot write attribute '" + name + "'");
  check(H5Awrite(attr.get(), native_type<T>(), values.data()),
        where + ": cannot write attribute '" + name + "'");
}

std::string read_string_attr(hid_t object, const std::string& name, const std::string& where) {
  Scoped attr = open_attr(object, name, where);
  Scoped type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw Error(where + ": attribute '" + name + "' is not a string");
  if (H5Tis_variable_str(type.get()) > 0) {
    char* text = nullptr;
    Scoped memtype(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memtype.get(), H5T_VARIABLE);
    H5Tset_cset(memtype.get(), H5Tget_cset(type.get()));  // HDF5 does not convert between ASCII and UTF-8
    check(H5Aread(attr.get(), memtype.get(), &text), where + ": cannot read attribute '" + name + "'");
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const size_t size = H5Tget_size(type.get());
  std::string value(size, '\0');
  check(H5Aread(attr.get(), type.get(), value.data()), where + ": cannot read attribute '" + name + "'");
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

template <typename T>
std::vector<T> read_numeric_attr(hid_t object, const std::string& name, const std::string& where) {
  Scoped attr = open_attr(object, name, where);
  Scoped space(H5Aget_space(attr.get()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  Scoped type(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw Error(where + ": attribute '" + name + "' is not numeric");
  std::vector<T> values(static_cast<size_t>(std::max<hssize_t>(n, 0)));
  check(H5Aread(attr.get(), native_type<T>(), values.data()), where + ": cannot read attribute '" + name + "'");
  return values;
}

hid_t open_target(hid_t group, const std::string& dataset, const std::string& where) {
  if (H5Lexists(group, dataset.c_str(), H5P_DEFAULT) <= 0) throw Error(where + ": object is missing");
  const hid_t id = H5Oopen(group, dataset.c_str(), H5P_DEFAULT);
  if (id < 0) throw Error(where + ": cannot open object");
  return id;
}

}  // namespace

// ---- H5File ----

namespace {

// A file descriptor closed on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

int open_for_writing(const std::string& disk_path, const std::string& name) {
  const int fd = ::open(disk_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(name + ": cannot create the file (" + std::strerror(errno) + ")");
  return fd;
}

// Writes all of `bytes` to a new file at disk_path; errors name the file as `name`.
void write_whole_file(const std::string& disk_path, const std::vector<char>& bytes, const std::string& name) {
  Fd fd(open_for_writing(disk_path, name));
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t wrote = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0)
      throw Error(name + ": cannot write the file (" + std::string(wrote < 0 ? std::strerror(errno) : "no progress") +
                  "); nothing was written");
    done += static_cast<std::size_t>(wrote);
  }
  if (::close(fd.release()) != 0)
    throw Error(name + ": cannot write the file (" + std::strerror(errno) + "); nothing was written");
}

// Points HDF5's descriptor of the sec2 file `id` at an anonymous in-memory file, so that the
// writes HDF5 makes while closing a file being abandoned cannot fail (a failed write inside
// HDF5 1.10 can crash it at exit, CVE-2020-10812). Returns false if it could not.
bool discard_further_writes(hid_t id) {
  int* handle = nullptr;
  if (H5Fget_vfd_handle(id, H5P_DEFAULT, reinterpret_cast<void**>(&handle)) < 0 || handle == nullptr) return false;
  Fd sink(::memfd_create("logp-discarded-hdf5", MFD_CLOEXEC));
  return sink.get() >= 0 && ::dup2(sink.get(), *handle) >= 0;
}

// fallocate(2) of the first `bytes` bytes of disk_path: 0 or an errno.
int reserve_space(const std::string& disk_path, std::uint64_t bytes) {
  Fd fd(::open(disk_path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) return errno;
  int status = 0;
  do {
    status = ::fallocate(fd.get(), 0, 0, static_cast<off_t>(bytes));
  } while (status != 0 && errno == EINTR);
  return status == 0 ? 0 : errno;
}

}  // namespace

H5File::H5File(std::shared_ptr<H5Object> handle, std::string path)
    : handle_(std::move(handle)), path_(std::move(path)) {}

H5File H5File::open(const std::string& path, bool writable) {
  if (!std::filesystem::exists(path)) throw Error(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Error(path + ": not an HDF5 file (or a corrupt one)");
  const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw Error(path + ": cannot open HDF5 file (truncated or corrupt?)");
  return H5File(std::make_shared<H5Object>(id, H5Fclose), path);
}

// In memory (the core driver, no backing store), written to disk only by flush(): h5.hpp says why.
H5File H5File::create(const std::string& path) {
  const std::string name = AtomicOutput::target_of(path);
  Fd probe(open_for_writing(path, name));  // fail now if the place is not writable
  Scoped access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  constexpr size_t kIncrement = std::size_t{1} << 22;  // the in-memory image grows 4 MB at a time
  if (!access.ok() || H5Pset_fapl_core(access.get(), kIncrement, /*backing_store=*/0) < 0)
    throw Error(name + ": cannot set up HDF5's in-memory file driver");
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  if (id < 0) throw Error(name + ": cannot create HDF5 file");
  return H5File(std::make_shared<H5Object>(id, H5Fclose, path), name);
}

// On disk (the sec2 driver) in space reserved first: h5.hpp says why.
H5File H5File::create_reserved(const std::string& path, std::uint64_t reserve) {
  const std::string name = AtomicOutput::target_of(path);
  const auto refuse = [&](int error) {
    return Error(name + ": cannot write the file (" + std::strerror(error) + " while reserving " +
                 std::to_string(reserve) + " bytes); nothing was written");
  };
  // Reserved once before HDF5 sees the file, so that a full disk or a file size limit fails here,
  // with nothing for HDF5 to write; H5Fcreate truncates the file, so it is reserved again after.
  { Fd probe(open_for_writing(path, name)); }  // fail now, with the reason, if the place is not writable
  if (const int failed = reserve_space(path, reserve); failed == EOPNOTSUPP)
    return create(path);  // this filesystem cannot reserve: build the file in memory
  else if (failed != 0)
    throw refuse(failed);
  Scoped access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // SEMI: closing fails (rather than waiting) while a group or dataset of the file is open.
  if (!access.ok() || H5Pset_fapl_sec2(access.get()) < 0 || H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI) < 0)
    throw Error(name + ": cannot set up HDF5's file driver");
  // H5Fcreate writes the 96-byte superblock at once; a failure there is an error return, not a crash.
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  if (id < 0) throw Error(name + ": cannot write the file (cannot create it on disk); nothing was written");
  const int failed = reserve_space(path, reserve);
  if (failed == 0) return H5File(std::make_shared<H5Object>(id, H5Fclose, path, reserve), name);
  // The space was taken in the moment between (another process filled the disk): HDF5's
  // closing writes go to memory instead.
  discard_further_writes(id);
  H5Fclose(id);
  throw refuse(failed);
}

bool H5File::on_disk() const { return handle_->reserved() > 0; }

H5Group H5File::root() const {
  const hid_t id = H5Gopen2(handle_->id(), "/", H5P_DEFAULT);
  if (id < 0) throw Error(path_ + ": cannot open the root group (corrupt file?)");
  return H5Group(std::make_shared<H5Object>(id, H5Gclose), path_, "/");
}

namespace {

// Writes the in-memory file `id` to disk_path; errors name the file as `name`.
void write_image(hid_t id, const std::string& disk_path, const std::string& name) {
  check(H5Fflush(id, H5F_SCOPE_GLOBAL), name + ": cannot flush");
  const ssize_t size = H5Fget_file_image(id, nullptr, 0);
  if (size < 0) throw Error(name + ": cannot get the HDF5 file image");
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(id, image.data(), image.size()) != size) throw Error(name + ": cannot get the HDF5 file image");
  write_whole_file(disk_path, image, name);
}

}  // namespace

H5Object::~H5Object() {
  if (id_ < 0) return;
  if (!disk_path_.empty() && reserved_ == 0 && !flushed_) {
    try {
      write_image(id_, disk_path_, disk_path_);
    } catch (const Error&) {  // unreported: writers call flush()
    }
  }
  closer_(id_);
}

// Closes the file; its length is then the reservation: it is cut to the end of what HDF5 allocated.
void H5Object::close_reserved(const std::string& name) {
  if (id_ < 0) return;
  const hid_t id = std::exchange(id_, -1);
  check(H5Fclose(id), name + ": cannot close the file (a group or dataset of it still open?)");
  haddr_t used = 0;
  {
    Scoped file(H5Fopen(disk_path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.ok() || H5Fget_eoa(file.get(), &used) < 0) throw Error(name + ": cannot read back the written file");
  }
  if (used > reserved_)
    throw Error(name + ": HDF5 used " + std::to_string(used) + " bytes, more than the " + std::to_string(reserved_) +
                " reserved for it (a logp bug: the reservation is too small)");
  if (::truncate(disk_path_.c_str(), static_cast<off_t>(used)) != 0)
    throw Error(name + ": cannot trim the file to its size (" + std::strerror(errno) + ")");
}

void H5File::flush() const {
  if (handle_->reserved() > 0) {
    handle_->close_reserved(path_);
    return;
  }
  const std::string& disk_path = handle_->disk_path();
  if (disk_path.empty()) {
    check(H5Fflush(handle_->id(), H5F_SCOPE_GLOBAL), path_ + ": cannot flush");
    return;
  }
  handle_->mark_flushed();  // tried once: the close does not try again
  write_image(handle_->id(), disk_path, path_);
}

// ---- H5Group ----

H5Group::H5Group(std::shared_ptr<H5Object> handle, std::string file, std::string path)
    : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

std::string H5Group::where(const std::string& name) const {
  return file_ + ":" + (path_ == "/" ? "" : path_) + "/" + name;
}

bool H5Group::has(const std::string& name) const {
  return H5Lexists(handle_->id(), name.c_str(), H5P_DEFAULT) > 0;
}

H5Group H5Group::group(const std::string& name) const {
  if (!has(name)) throw Error(where(name) + ": group is missing");
  const hid_t id = H5Gopen2(handle_->id(), name.c_str(), H5P_DEFAULT);
  if (id < 0) throw Error(where(name) + ": not a group (or a corrupt file)");
  return H5Group(std::make_shared<H5Object>(id, H5Gclose), file_, where(name).substr(file_.size() + 1));
}

H5Group H5Group::create_group(const std::string& name) const {
  const hid_t id = H5Gcreate2(handle_->id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw Error(where(name) + ": cannot create group");
  return H5Group(std::make_shared<H5Object>(id, H5Gclose), file_, where(name).substr(file_.size() + 1));
}

std::vector<std::string> H5Group::children() const {
  std::vector<std::string> names;
  H5Literate(
      handle_->id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

bool H5Group::has_attr(const std::string& name) const { return H5Aexists(handle_->id(), name.c_str()) > 0; }
void H5Group::set_attr(const std::string& name, const std::string& value) const {
  write_string_attr(handle_->id(), name, value, where(""));
}
void H5Group::set_attr(const std::string& name, std::int64_t value) const {
  write_numeric_attr<std::int64_t>(handle_->id(), name, {value}, true, where(""));
}
void H5Group::set_attr(const std::string& name, double value) const {
  write_numeric_attr<double>(handle_->id(), name, {value}, true, where(""));
}
void H5Group::set_attr(const std::string& name, const std::vector<std::int64_t>& values) const {
  write_numeric_attr<std::int64_t>(handle_->id(), name, values, false, where(""));
}
std::string H5Group::attr_string(const std::string& name) const {
  return read_string_attr(handle_->id(), name, where(""));
}
std::int64_t H5Group::attr_int(const std::string& name) const {
  const std::vector<std::int64_t> v = read_numeric_attr<std::int64_t>(handle_->id(), name, where(""));
  if (v.size() != 1) throw Error(where("") + ": attribute '" + name + "' is not a scalar");
  return v[0];
}
double H5Group::attr_double(const std::string& name) const {
  const std::vector<double> v = read_numeric_attr<double>(handle_->id(), name, where(""));
  if (v.size() != 1) throw Error(where("") + ": attribute '" + name + "' is not a scalar");
  return v[0];
}
std::vector<std::int64_t> H5Group::attr_ints(const std::string& name) const {
  return read_numeric_attr<std::int64_t>(handle_->id(), name, where(""));
}

bool H5Group::has_attr(const std::string& dataset, const std::string& name) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  return H5Aexists(obj.get(), name.c_str()) > 0;
}
void H5Group::set_attr(const std::string& dataset, const std::string& name, const std::string& value) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  write_string_attr(obj.get(), name, value, where(dataset));
}
void H5Group::set_attr(const std::string& dataset, const std::string& name, std::int64_t value) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  write_numeric_attr<std::int64_t>(obj.get(), name, {value}, true, where(dataset));
}
void H5Group::set_attr(const std::string& dataset, const std::string& name,
                       const std::vector<std::int64_t>& values) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  write_numeric_attr<std::int64_t>(obj.get(), name, values, false, where(dataset));
}
std::string H5Group::attr_string(const std::string& dataset, const std::string& name) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  return read_string_attr(obj.get(), name, where(dataset));
}
std::int64_t H5Group::attr_int(const std::string& dataset, const std::string& name) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  const std::vector<std::int64_t> v = read_numeric_attr<std::int64_t>(obj.get(), name, where(dataset));
  if (v.size() != 1) throw Error(where(dataset) + ": attribute '" + name + "' is not a scalar");
  return v[0];
}
std::vector<std::int64_t> H5Group::attr_ints(const std::string& dataset, const std::string& name) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  return read_numeric_attr<std::int64_t>(obj.get(), name, where(dataset));
}

std::vector<std::string> H5Group::attr_names(const std::string& dataset) const {
  Scoped obj(open_target(handle_->id(), dataset, where(dataset)), H5Oclose);
  std::vector<std::string> names;
  H5Aiterate2(
      obj.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

template <typename T>
void H5Group::write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data) const {
  std::vector<hsize_t> hdims(dims.begin(), dims.end());
  Scoped space(H5Screate_simple(static_cast<int>(hdims.size()), hdims.data(), nullptr), H5Sclose);
  Scoped ds(H5Dcreate2(handle_->id(), name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT,
                       H5P_DEFAULT, H5P_DEFAULT),
            H5Dclose);
  if (!ds.ok()) throw Error(where(name) + ": cannot create dataset (does it exist already?)");
  check(H5Dwrite(ds.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
        where(name) + ": cannot write dataset (disk full?)");
}

std::vector<std::uint64_t> H5Group::dims(const std::string& name) const {
  Scoped ds = open_dataset(handle_->id(), name, where(name));
  Scoped space(H5Dget_space(ds.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) throw Error(where(name) + ": cannot read the dataset's shape (corrupt file?)");
  std::vector<hsize_t> hdims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), hdims.data(), nullptr);
  return {hdims.begin(), hdims.end()};
}

H5Type H5Group::type(const std::string& name) const {
  Scoped ds = open_dataset(handle_->id(), name, where(name));
  Scoped type(H5Dget_type(ds.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  const size_t size = H5Tget_size(type.get());
  if (cls == H5T_INTEGER && size == 1 && H5Tget_sign(type.get()) == H5T_SGN_NONE) return H5Type::uint8;
  if (cls == H5T_INTEGER && size == 8) return H5Type::int64;
  if (cls == H5T_FLOAT && size == 4) return H5Type::float32;
  if (cls == H5T_FLOAT && size == 8) return H5Type::float64;
  return H5Type::other;
}

namespace {

// A dataset's dataspace may declare far more values than the file stores (unallocated chunks,
// a crafted header): refuse before allocating them. Compressed data may store less, but not by
// more than deflate's ~1032:1.
void check_stored_size(hid_t ds, std::uint64_t count, std::uint64_t element_size, const std::string& where) {
  if (count == 0) return;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / element_size;
  if (count > limit) throw Error(where + ": declares " + std::to_string(count) + " values, too many to read");
  const std::uint64_t needed = count * element_size;
  const std::uint64_t stored = H5Dget_storage_size(ds);
  Scoped plist(H5Dget_create_plist(ds), H5Pclose);
  const bool filtered = plist.ok() && H5Pget_nfilters(plist.get()) > 0;
  const std::uint64_t ratio = filtered ? 1032 : 1;  // most values one stored byte can stand for
  if (stored >= needed / ratio) return;
  throw Error(where + ": declares " + std::to_string(count) + " values (" + std::to_string(needed) +
              " bytes) but stores " + std::to_string(stored) + " bytes (truncated or crafted file?)");
}

}  // namespace

template <typename T>
std::vector<T> H5Group::read(const std::string& name, std::vector<std::uint64_t>* out_dims) const {
  const std::vector<std::uint64_t> shape = dims(name);
  std::uint64_t count = 1;
  for (std::uint64_t d : shape) {
    if (d != 0 && count > std::numeric_limits<std::uint64_t>::max() / d)
      throw Error(where(name) + ": declares a shape too large to read");
    count *= d;
  }
  Scoped ds = open_dataset(handle_->id(), name, where(name));
  {
    Scoped type(H5Dget_type(ds.get()), H5Tclose);
    check_stored_size(ds.get(), count, std::max<std::uint64_t>(H5Tget_size(type.get()), 1), where(name));
  }
  std::vector<T> values(count);
  if (count > 0)
    check(H5Dread(ds.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          where(name) + ": cannot read dataset (truncated or corrupt file?)");
  if (out_dims) *out_dims = shape;
  return values;
}

template <typename T>
void H5Group::read_rows(const std::string& name, std::uint64_t first, std::uint64_t count, T* out) const {
  Scoped ds = open_dataset(handle_->id(), name, where(name));
  Scoped space(H5Dget_space(ds.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1 && rank != 2) throw Error(where(name) + ": expected a 1-D or 2-D dataset");
  hsize_t hdims[2] = {0, 1};
  H5Sget_simple_extent_dims(space.get(), hdims, nullptr);
  if (first + count > hdims[0])
    throw Error(where(name) + ": rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                " are past its " + std::to_string(hdims[0]) + " rows");
  if (count == 0) return;
  const hsize_t start[2] = {first, 0};
  const hsize_t extent[2] = {count, rank == 2 ? hdims[1] : 1};
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr),
        where(name) + ": cannot select rows");
  Scoped memspace(H5Screate_simple(rank, extent, nullptr), H5Sclose);
  check(H5Dread(ds.get(), native_type<T>(), memspace.get(), space.get(), H5P_DEFAULT, out),
        where(name) + ": cannot read rows " + std::to_string(first) + ".." + std::to_string(first + count) +
            " (truncated or corrupt file?)");
}

template <typename T>
void H5Group::create_rows(const std::string& name, std::uint64_t rows, std::uint64_t cols) const {
  const hsize_t dims[2] = {rows, cols};
  Scoped space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  Scoped create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (!create.ok() || H5Pset_layout(create.get(), H5D_CONTIGUOUS) < 0 ||
      H5Pset_alloc_time(create.get(), H5D_ALLOC_TIME_LATE) < 0 || H5Pset_fill_time(create.get(), H5D_FILL_TIME_NEVER) < 0)
    throw Error(where(name) + ": cannot set up the dataset's layout");
  Scoped ds(H5Dcreate2(handle_->id(), name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, create.get(),
                       H5P_DEFAULT),
            H5Dclose);
  if (!ds.ok()) throw Error(where(name) + ": cannot create dataset (does it exist already?)");
}

template <typename T>
void H5Group::write_rows(const std::string& name, std::uint64_t first, std::uint64_t count, const T* values) const {
  Scoped ds = open_dataset(handle_->id(), name, where(name));
  Scoped space(H5Dget_space(ds.get()), H5Sclose);
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != 2) throw Error(where(name) + ": expected a 2-D dataset");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  const std::string rows = "rows " + std::to_string(first) + ".." + std::to_string(first + count);
  if (first + count > dims[0])
    throw Error(where(name) + ": " + rows + " are past its " + std::to_string(dims[0]) + " rows");
  if (count == 0) return;
  const hsize_t start[2] = {first, 0};
  const hsize_t extent[2] = {count, dims[1]};
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr),
        where(name) + ": cannot select " + rows);
  Scoped memspace(H5Screate_simple(2, extent, nullptr), H5Sclose);
  check(H5Dwrite(ds.get(), native_type<T>(), memspace.get(), space.get(), H5P_DEFAULT, values),
        where(name) + ": cannot write " + rows);
}

void H5Group::write_matrix(const std::string& name, const MatrixD& m) const {
  write<double>(name, {static_cast<std::uint64_t>(m.cols()), static_cast<std::uint64_t>(m.rows())}, m.data());
}

MatrixD H5Group::read_matrix(const std::string& name) const {
  std::vector<std::uint64_t> shape;
  std::vector<double> values = read<double>(name, &shape);
  if (shape.size() != 2) throw Error(where(name) + ": expected a 2-D dataset");
  return Eigen::Map<const MatrixD>(values.data(), static_cast<Index>(shape[1]), static_cast<Index>(shape[0]));
}

void H5Group::write_vector(const std::string& name, const Vector& v) const {
  write<double>(name, {static_cast<std::uint64_t>(v.size())}, v.data());
}

Vector H5Group::read_vector(const std::string& name) const {
  std::vector<std::uint64_t> shape;
  std::vector<double> values = read<double>(name, &shape);
  if (shape.size() != 1) throw Error(where(name) + ": expected a 1-D dataset");
  return Eigen::Map<const Vector>(values.data(), static_cast<Index>(values.size()));
}

#define LOGP_H5_INSTANTIATE(T)                                                                    \
  template void H5Group::write<T>(const std::string&, const std::vector<std::uint64_t>&, const T*) \
      const;                                                                                      \
  template std::vector<T> H5Group::read<T>(const std::string&, std::vector<std::uint64_t>*) const; \
  template void H5Group::read_rows<T>(const std::string&, std::uint64_t, std::uint64_t, T*) const;      \
  template void H5Group::create_rows<T>(const std::string&, std::uint64_t, std::uint64_t) const;       \
  template void H5Group::write_rows<T>(const std::string&, std::uint64_t, std::uint64_t, const T*) const;
LOGP_H5_INSTANTIATE(std::uint8_t)
LOGP_H5_INSTANTIATE(std::int64_t)
LOGP_H5_INSTANTIATE(std::uint64_t)
LOGP_H5_INSTANTIATE(float)
LOGP_H5_INSTANTIATE(double)
#undef LOGP_H5_INSTANTIATE

void h5_remove(const H5Group& g, const std::string& name) {
  // Reopening a file this process holds open gives another handle to the same open file.
  Scoped file(H5Fopen(g.file().c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) throw Error(g.file() + ": cannot open for writing");
  const std::string path = (g.path() == "/" ? "" : g.path()) + "/" + name;
  check(H5Ldelete(file.get(), path.c_str(), H5P_DEFAULT), g.where(name) + ": cannot remove");
}

}  // namespace logp
