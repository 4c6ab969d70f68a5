#pragma once
// A thin RAII layer over the HDF5 C API, shared by dataset files and model files.
//
// Every failure throws logp::Error naming the file and the object path. HDF5's own error
// printing is switched off: the one-line message is ours.
//
// Matrices: an Eigen column-major matrix with r rows and c columns is stored as an HDF5
// dataset of shape (c, r), i.e. each column (each example) is one HDF5 row. This is the same
// memory, so nothing is transposed.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

using H5Id = std::int64_t;  // hid_t

// Element types logp stores.
enum class H5Type { uint8, int64, float32, float64, other };

class H5Object;

// An open group (or the file's root group "/"). Copies share the handle.
class H5Group {
 public:
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  std::string where(const std::string& name) const;  // "file.h5:/group/name"

  bool has(const std::string& name) const;            // a child link exists
  H5Group group(const std::string& name) const;       // opens an existing child group
  H5Group create_group(const std::string& name) const;
  std::vector<std::string> children() const;

  // Attributes on this group.
  bool has_attr(const std::string& name) const;
  void set_attr(const std::string& name, const std::string& value) const;
  void set_attr(const std::string& name, std::int64_t value) const;
  void set_attr(const std::string& name, double value) const;
  void set_attr(const std::string& name, const std::vector<std::int64_t>& values) const;
  std::string attr_string(const std::string& name) const;
  std::int64_t attr_int(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::vector<std::int64_t> attr_ints(const std::string& name) const;

  // Attributes on a child dataset.
  bool has_attr(const std::string& dataset, const std::string& name) const;
  void set_attr(const std::string& dataset, const std::string& name, const std::string& value) const;
  void set_attr(const std::string& dataset, const std::string& name, std::int64_t value) const;
  void set_attr(const std::string& dataset, const std::string& name,
                const std::vector<std::int64_t>& values) const;
  std::string attr_string(const std::string& dataset, const std::string& name) const;
  std::int64_t attr_int(const std::string& dataset, const std::string& name) const;
  std::vector<std::int64_t> attr_ints(const std::string& dataset, const std::string& name) const;
  std::vector<std::string> attr_names(const std::string& dataset) const;

  // Whole datasets. dims are HDF5 dims (row-major).
  template <typename T>
  void write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data) const;
  template <typename T>
  std::vector<T> read(const std::string& name, std::vector<std::uint64_t>* dims = nullptr) const;

  // Matrices and vectors (see the layout note above).
  void write_matrix(const std::string& name, const MatrixD& m) const;
  MatrixD read_matrix(const std::string& name) const;
  void write_vector(const std::string& name, const Vector& v) const;
  Vector read_vector(const std::string& name) const;

  // Shape and element type of a dataset, and a row range of a 2-D dataset (row-major rows).
  std::vector<std::uint64_t> dims(const std::string& name) const;
  H5Type type(const std::string& name) const;
  template <typename T>
  void read_rows(const std::string& name, std::uint64_t first, std::uint64_t count, T* out) const;

  // A 2-D dataset of rows x cols values filled later, a block of rows at a time, by write_rows:
  // contiguous, allocated at the first write, never pre-filled (each value is written once).
  template <typename T>
  void create_rows(const std::string& name, std::uint64_t rows, std::uint64_t cols) const;
  // Rows first..first+count of a 2-D dataset (count x cols values, row-major).
  template <typename T>
  void write_rows(const std::string& name, std::uint64_t first, std::uint64_t count, const T* values) const;

 private:
  friend class H5File;
  H5Group(std::shared_ptr<H5Object> handle, std::string file, std::string path);
  std::shared_ptr<H5Object> handle_;
  std::string file_;
  std::string path_;
};

// An HDF5 file. open() checks that the file exists and is HDF5.
//
// create() makes (truncates) the file on disk at once, so an unwritable place fails before the
// work, but builds its contents in memory (HDF5's core driver); flush() writes the whole image
// with plain POSIX writes (a file never flushed is written when it closes, but an error there
// goes unreported: writers call flush() last). A full disk or a file size limit is then one
// Error from flush() ("TARGET: cannot write the file (No space left on device)")
// instead of a failure inside HDF5, which in HDF5 1.10 crashes the process at exit
// (CVE-2020-10812). The cost: the file is held in memory, and twice while flush() copies it out.
// Messages name AtomicOutput::target_of(path): an output's target, not its hidden temporary.
//
// create_reserved() is for outputs too large to hold in memory (an imported dataset): HDF5
// writes the file on disk itself, but only after `reserve` bytes, at least every byte it will
// write, were reserved for the file with fallocate(2). A full disk or a file size limit then
// fails the reservation, one Error before HDF5 has seen the file, and no later write inside HDF5
// can meet a full disk (h5.cpp: the file is reserved again after H5Fcreate truncates it). flush()
// closes such a file and trims it to the size HDF5 used; nothing may be done with it after that.
// A filesystem that cannot reserve space (fallocate: EOPNOTSUPP) gets create()'s in-memory file.
// (Copy-on-write filesystems such as btrfs and ZFS do not promise that reserved space can be
// overwritten; this path relies on the ext4/xfs/tmpfs meaning of fallocate.)
class H5File {
 public:
  static H5File open(const std::string& path, bool writable = false);
  static H5File create(const std::string& path);
  static H5File create_reserved(const std::string& path, std::uint64_t reserve);
  bool on_disk() const;  // made by create_reserved (false also when it fell back to memory)
  H5Group root() const;
  void flush() const;
  const std::string& path() const { return path_; }

 private:
  H5File(std::shared_ptr<H5Object> handle, std::string path);
  std::shared_ptr<H5Object> handle_;
  std::string path_;
};

}  // namespace logp
