#include "logp/data/importers/csv.hpp"

#include <charconv>
#include <memory>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/data/importers/file_bytes.hpp"
#include "logp/data/importers/table_stream.hpp"

namespace logp {
namespace {

std::string_view trim(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const size_t last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return trim(s.substr(1, s.size() - 2));
  return s;
}

// Splits a line into trimmed, unquoted fields (reusing `fields`' storage).
void split_fields(std::string_view line, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  if (separator == ' ') {  // any run of spaces and tabs separates; leading and trailing ones do not
    for (size_t start = line.find_first_not_of(" \t\r"); start != std::string_view::npos;) {
      const size_t end = line.find_first_of(" \t\r", start);
      fields.push_back(unquote(line.substr(start, end == std::string_view::npos ? end : end - start)));
      start = end == std::string_view::npos ? end : line.find_first_not_of(" \t\r", end);
    }
    return;
  }
  size_t start = 0;
  for (;;) {
    const size_t end = line.find(separator, start);
    fields.push_back(unquote(trim(line.substr(start, end == std::string_view::npos ? end : end - start))));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

// The whole field as a number ("1.5", "-2", "+3e-4", "nan", "inf"); false if it is not one.
bool parse_number(std::string_view field, double& value) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty()) return false;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  return ec == std::errc() && end == field.data() + field.size();
}

bool any_number(const std::vector<std::string_view>& fields) {
  double ignored = 0;
  for (std::string_view f : fields)
    if (parse_number(f, ignored)) return true;
  return false;
}

// Parses a CSV one line at a time: skipped and blank lines, then an optional header, then data
// lines that all have the same number of columns. It learns the header and D from the lines it
// is given; the values of data lines go to the caller.
class CsvParser {
 public:
  CsvParser(const std::string& path, const CsvOptions& options) : options_(options) { table_.source = path; }

  // The line's numbers are appended to `values` if it is a data line (then true).
  bool line(std::string_view text, std::int64_t number, std::vector<double>& values) {
    if (number <= options_.skip_rows || trim(text).empty()) return false;
    split_fields(text, options_.separator, fields_);
    if (first_line_ == 0) {
      first_line_ = number;
      const bool header = options_.header == CsvHeader::present ||
                          (options_.header == CsvHeader::detect && !any_number(fields_));
      if (header) {
        for (std::string_view f : fields_) table_.column_names.emplace_back(f);
        return false;
      }
    }
    data_line(number, values);
    return true;
  }

  // The table's header (N, D, column names), once every line was given.
  const ImportedTable& finish() const {
    if (table_.n == 0)
      throw Error(table_.source + ": no data lines" +
                  (table_.column_names.empty() ? std::string() : " after the header") +
                  (options_.skip_rows > 0 ? " (after skipping " + std::to_string(options_.skip_rows) + " lines)" : ""));
    return table_;
  }

 private:
  void data_line(std::int64_t number, std::vector<double>& values) {
    const Index columns = static_cast<Index>(fields_.size());
    if (table_.n == 0) {
      table_.d = columns;
      first_data_line_ = number;
      if (!table_.column_names.empty() && static_cast<Index>(table_.column_names.size()) != columns)
        throw Error(table_.source + ": line " + std::to_string(number) + " has " + std::to_string(columns) +
                    " columns but the header (line " + std::to_string(first_line_) + ") names " +
                    std::to_string(table_.column_names.size()));
    } else if (columns != table_.d) {
      throw Error(table_.source + ": line " + std::to_string(number) + " has " + std::to_string(columns) +
                  " columns, expected " + std::to_string(table_.d) + " (as on line " +
                  std::to_string(first_data_line_) + ")");
    }
    for (Index j = 0; j < columns; ++j) {
      double v = 0;
      const std::string_view field = fields_[static_cast<size_t>(j)];
      if (!parse_number(field, v))
        throw Error(table_.source + ": line " + std::to_string(number) + ", column " + std::to_string(j) +
                    column_name(j) + ": " +
                    (field.empty() ? std::string("empty field (missing values are not supported)")
                                   : "'" + excerpt(field) + "' is not a number") +
                    hint(field, number));
      values.push_back(v);
    }
    ++table_.n;
  }

  // What to try when a field is not a number.
  std::string hint(std::string_view field, std::int64_t number) const {
    if (field.find_first_of(" \t;,|") != std::string_view::npos)
      return " (is the separator right? fields are split at '" +
             std::string(options_.separator == ' ' ? "whitespace" : std::string(1, options_.separator)) + "')";
    if (number == first_line_) return " (if this line is not data, it needs --header yes or --skip-rows N)";
    return "";
  }

  std::string column_name(Index j) const {
    return table_.column_names.empty() ? "" : " ('" + excerpt(table_.column_names[static_cast<size_t>(j)]) + "')";
  }

  CsvOptions options_;
  ImportedTable table_;  // source, n and d so far, column names; no values
  std::vector<std::string_view> fields_;
  std::int64_t first_line_ = 0;       // first line that is not skipped or blank
  std::int64_t first_data_line_ = 0;  // the line that fixed D
};

// The lines of a plain or gzip file, one at a time, split at '\n' (a UTF-8 byte order mark at
// the start is dropped).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : in_(path) {}

  // The next line (without its '\n') and its 1-based number; false at the end of the file.
  bool next(std::string_view& line, std::int64_t& number) {
    for (;;) {
      const size_t end = buffer_.find('\n', start_);
      if (end != std::string::npos || at_end_) {
        if (start_ >= buffer_.size() && at_end_) return false;
        const size_t stop = end == std::string::npos ? buffer_.size() : end;
        line = std::string_view(buffer_).substr(start_, stop - start_);
        start_ = stop + 1;
        number = ++number_;
        if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        return true;
      }
      buffer_.erase(0, start_);
      start_ = 0;
      const size_t old = buffer_.size();
      buffer_.resize(old + kPiece);
      const std::uint64_t got = in_.read_up_to(buffer_.data() + old, kPiece, "file");
      buffer_.resize(old + got);
      at_end_ = got < kPiece;
    }
  }

 private:
  static constexpr size_t kPiece = size_t{1} << 16;
  GzInput in_;
  std::string buffer_;  // the current line and what follows it, from start_
  size_t start_ = 0;
  bool at_end_ = false;
  std::int64_t number_ = 0;
};

// A CSV read twice: opening parses every line (errors, N, D, the header); read_block parses the
// lines again, a block at a time.
class CsvStream : public TableStream {
 public:
  CsvStream(const std::string& path, const CsvOptions& options) : path_(path), options_(options) {
    require(options.skip_rows >= 0, path + ": the number of lines to skip must not be negative");
    CsvParser parser(path, options);
    LineReader lines(path);
    std::string_view text;
    std::int64_t number = 0;
    std::vector<double> values;
    while (lines.next(text, number)) {
      parser.line(text, number, values);
      values.clear();
    }
    header_ = parser.finish();
    parser_ = std::make_unique<CsvParser>(path, options);
    lines_ = std::make_unique<LineReader>(path);
  }

 protected:
  void read_block(ImportedTable& block) override {
    std::string_view text;
    std::int64_t number = 0;
    while (static_cast<Index>(block.lines.size()) < block.n) {
      if (!lines_->next(text, number)) throw Error(path_ + ": the file changed while it was read");
      if (parser_->line(text, number, block.numbers)) block.lines.push_back(number);
    }
  }

 private:
  std::string path_;
  CsvOptions options_;
  std::unique_ptr<CsvParser> parser_;   // the second pass
  std::unique_ptr<LineReader> lines_;
};

}  // namespace

CsvHeader parse_csv_header(std::string_view text) {
  if (text == "auto") return CsvHeader::detect;
  if (text == "yes") return CsvHeader::present;
  if (text == "no") return CsvHeader::absent;
  throw Error("unknown CSV header mode '" + excerpt(text) + "' (expected auto, yes or no)");
}

char parse_csv_separator(std::string_view text) {
  if (text == "space" || text == "whitespace") return ' ';
  if (text == "tab") return '\t';
  if (text.size() == 1 && text != "\"" && text != "\n" && text != "\r" && text != "." && text != "-" && text != "+")
    return text[0];
  throw Error("CSV separator '" + excerpt(text) + "' is not usable (a single character such as , or ;, tab or space)");
}

std::unique_ptr<TableStream> open_csv(const std::string& path, const CsvOptions& options) {
  return std::make_unique<CsvStream>(path, options);
}

ImportedTable read_csv(const std::string& path, const CsvOptions& options) {
  CsvStream stream(path, options);
  return read_whole(stream);
}

}  // namespace logp
