// logp data import: CSV, NPY or IDX files -> one logp dataset file.
//
// Every input is read and checked before anything is written (values integral and in range for
// binary/categorical data, finite for real data, the same D in every split, one label per
// example); the output is then written under a temporary name and renamed into place, so a
// failure never leaves a file behind.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/data/importers/split_carving.hpp"
#include "logp/data/importers/table_reader.hpp"
#include "logp/io/model_file.hpp"

namespace logp::cli {
namespace {

struct ImportOptions {
  std::string format;
  std::string kind;
  int levels = 0;                 // categorical only: values 0..levels-1
  std::string shape;              // "H,W,C" or "H,W"
  std::string train, valid, test;
  std::string train_labels, valid_labels, test_labels;
  std::string label_column;       // first | last | NAME | 0-based INDEX
  std::string header = "auto";    // CSV: auto | yes | no
  std::string separator = ",";    // CSV: one character, tab, or space (runs of whitespace)
  long skip_rows = 0;             // CSV: lines dropped at the top of every input file
  double valid_fraction = 0.0;    // carve valid from train when --valid is not given
  double test_fraction = 0.0;     // carve test from train when --test is not given
  std::uint64_t seed = 0;
  std::string out;
};

// One split as read from its files, and then as it will be stored.
struct SplitData {
  std::string name;                    // train | valid | test
  std::string file;                    // where its examples came from
  Index n = 0;
  std::vector<std::uint8_t> discrete;  // N x D for binary/categorical data
  std::vector<float> real;             // N x D for real data
  std::vector<std::int64_t> labels;    // N or empty
};

// One input split as given on the command line.
struct InputFile {
  std::string split;     // train | valid | test
  std::string examples;  // --train, --valid or --test
  std::string labels;    // --*-labels, or empty
};

// The splits given as files, train first.
std::vector<InputFile> input_files(const ImportOptions& o) {
  std::vector<InputFile> files = {{"train", o.train, o.train_labels}};
  if (!o.valid.empty()) files.push_back({"valid", o.valid, o.valid_labels});
  if (!o.test.empty()) files.push_back({"test", o.test, o.test_labels});
  return files;
}

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

CsvOptions csv_options(const ImportOptions& o) {
  return CsvOptions{parse_csv_header(o.header), static_cast<Index>(o.skip_rows), parse_csv_separator(o.separator)};
}

// Checks that CLI11 cannot express; a failure here is a usage error (exit code 2).
void check_usage(const ImportOptions& o, const CLI::App& cmd) {
  const bool categorical = o.kind == "categorical";
  if (categorical && cmd.count("--levels") == 0)
    throw CLI::ValidationError("--levels", "--kind categorical needs --levels K (values 0..K-1, K in 2..256)");
  if (!categorical && cmd.count("--levels") > 0 && !(o.kind == "binary" && o.levels == 2))
    throw CLI::ValidationError("--levels", "--levels is for --kind categorical only");
  if (o.format != "csv" && (cmd.count("--header") + cmd.count("--skip-rows") + cmd.count("--separator") > 0))
    throw CLI::ValidationError("--header/--skip-rows/--separator", "these options are for --format csv only");
  try {
    parse_csv_separator(o.separator);
  } catch (const Error& e) {
    throw CLI::ValidationError("--separator", e.what());
  }
  const bool any_labels = !o.train_labels.empty() || !o.valid_labels.empty() || !o.test_labels.empty();
  if (any_labels && (o.train_labels.empty() || (!o.valid.empty() && o.valid_labels.empty()) ||
                     (!o.test.empty() && o.test_labels.empty())))
    throw CLI::ValidationError("--*-labels", "give a labels file for every input split or for none");
  if (o.valid_fraction + o.test_fraction >= 1.0)
    throw CLI::ValidationError("--valid-fraction/--test-fraction", "together they must leave some examples for train");
}

// The examples (and labels) of one input split, as N x D numbers.
ImportedTable read_input(const ImportOptions& o, TableFormat format, const std::string& file,
                         const std::string& labels_file) {
  ImportedTable table = read_table(format, file, csv_options(o));
  if (!o.label_column.empty()) take_label_column(table, o.label_column);
  if (!labels_file.empty()) {
    table.labels = to_labels(read_table(format, labels_file, csv_options(o)));
    if (static_cast<Index>(table.labels.size()) != table.n)
      throw Error(labels_file + ": has " + std::to_string(table.labels.size()) + " labels but " + file + " has " +
                  std::to_string(table.n) + " examples");
  }
  return table;
}

DataSpec make_spec(const ImportOptions& o, const ImportedTable& train) {
  DataSpec spec;
  spec.kind = parse_data_kind(o.kind);
  spec.levels = spec.kind == DataKind::binary ? 2 : spec.kind == DataKind::categorical ? o.levels : 0;
  spec.dim = train.d;
  if (!o.shape.empty())
    spec.shape = parse_shape(o.shape, spec.dim);
  else if (train.item_shape.size() == 2)  // (N, H, W) images: one channel
    spec.shape = {train.item_shape[0], train.item_shape[1], 1};
  return spec;
}

SplitData convert(const std::string& name, const ImportedTable& table, const DataSpec& spec) {
  SplitData split{name, table.source, table.n, {}, {}, table.labels};
  if (spec.is_discrete())
    split.discrete = to_discrete(table, spec);
  else
    split.real = to_real(table);
  return split;
}

SplitData take_rows(const SplitData& from, const std::string& name, const std::vector<Index>& rows, Index d) {
  SplitData part{name, from.file, static_cast<Index>(rows.size()), {}, {}, {}};
  if (!from.discrete.empty()) part.discrete = select_rows(from.discrete, d, rows);
  if (!from.real.empty()) part.real = select_rows(from.real, d, rows);
  if (!from.labels.empty()) part.labels = select_rows(from.labels, 1, rows);
  return part;
}

// 0.1 -> "10%", 0.125 -> "12.5%".
std::string percent(double fraction) {
  std::string text = fixed(100.0 * fraction, 2);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

// Carves the splits missing from the input out of train; returns the rule, for the provenance.
std::string carve_missing_splits(const ImportOptions& o, std::vector<SplitData>& splits, Index d) {
  std::string given;  // "; test = /abs/test.csv" for the splits given as files
  for (size_t k = 1; k < splits.size(); ++k) given += "; " + splits[k].name + " = " + absolute(splits[k].file);
  const Index n = splits.front().n;
  const Index n_valid = o.valid_fraction > 0 ? carved_count(o.valid_fraction, n) : 0;
  const Index n_test = o.test_fraction > 0 ? carved_count(o.test_fraction, n) : 0;
  if (n_valid == 0 && n_test == 0) return "train = " + absolute(splits.front().file) + given + " (as given)";
  if (n_valid + n_test >= n)
    throw Error(splits.front().file + ": carving " + std::to_string(n_valid + n_test) + " of its " + std::to_string(n) +
                " examples would leave none for train");

  const SplitData whole = std::move(splits.front());
  const CarvedRows rows = carve_rows(n, n_valid, n_test, o.seed);
  splits.front() = take_rows(whole, "train", rows.train, d);
  std::string rule = "train = " + absolute(whole.file) + " minus the carved examples (" +
                     std::to_string(rows.train.size()) + " of " + std::to_string(n) + " remain)" + given;
  std::string carved;  // "valid = 18 (10%), test = 36 (20%)"
  if (n_valid > 0) {
    splits.push_back(take_rows(whole, "valid", rows.valid, d));
    carved += "valid = " + std::to_string(n_valid) + " (" + percent(o.valid_fraction) + ")";
  }
  if (n_test > 0) {
    splits.push_back(take_rows(whole, "test", rows.test, d));
    carved += carved.empty() ? "" : ", ";
    carved += "test = " + std::to_string(n_test) + " (" + percent(o.test_fraction) + ")";
  }
  rule += "; " + carved + " of those " + std::to_string(n) + " examples, drawn by a Fisher-Yates shuffle with " +
          "logp::Rng seed " + std::to_string(o.seed) + " (test takes the first " + std::to_string(n_test) +
          " shuffled, valid the next " + std::to_string(n_valid) + "); every split keeps file order";
  return rule;
}

// "train: /abs/a.csv (labels: /abs/b.csv); test: /abs/c.csv"
std::string source_files(const ImportOptions& o) {
  std::string source;
  for (const InputFile& input : input_files(o)) {
    source += (source.empty() ? "" : "; ") + input.split + ": " + absolute(input.examples);
    if (!input.labels.empty()) source += " (labels: " + absolute(input.labels) + ")";
  }
  return source;
}

std::map<std::string, std::string> provenance(const ImportOptions& o, const DataSpec& spec,
                                              const std::string& split_rule) {
  std::string format = o.format;
  if (o.format == "csv") {
    format += " (separator '" + o.separator + "', header: " + o.header;
    if (o.skip_rows > 0) format += ", first " + std::to_string(o.skip_rows) + " line(s) skipped";
    format += ")";
  }
  std::map<std::string, std::string> out = {
      {"source", source_files(o)},
      {"source_format", format},
      {"value_rule", spec.is_discrete() ? "input values must be integers in 0.." + std::to_string(spec.levels - 1) +
                                              ", stored as uint8 unchanged"
                                        : "input values must be finite, stored as float32"},
      {"split_rule", split_rule},
      {"command", command_line()},
      {"created", utc_now_iso8601()},
  };
  if (!o.label_column.empty())
    out["label_rule"] = "labels = column '" + o.label_column + "' of each input file, removed from x";
  else if (!o.train_labels.empty())
    out["label_rule"] = "labels from the --*-labels files";
  return out;
}

void write_dataset(const std::string& out, const DataSpec& spec, const std::map<std::string, std::string>& prov,
                   const std::vector<SplitData>& splits) {
  DatasetWriter writer(out, spec, prov);
  for (const char* name : {"train", "valid", "test"})
    for (const SplitData& split : splits)
      if (split.name == name) {
        if (spec.is_discrete())
          writer.add_split(name, split.discrete, split.labels);
        else
          writer.add_split(name, split.real, split.labels);
      }
  writer.commit();
}

void report(const std::string& out, const DataSpec& spec, const std::vector<SplitData>& splits, bool json) {
  if (json) {
    nlohmann::json sizes = nlohmann::json::object();
    for (const SplitData& split : splits) sizes[split.name] = {{"n", split.n}, {"labels", !split.labels.empty()}};
    std::cout << nlohmann::json{{"file", out}, {"data", spec.describe()}, {"splits", sizes}}.dump(2) << "\n";
    return;
  }
  std::cout << "wrote " << out << ": " << spec.describe() << "\n";
  for (const char* name : {"train", "valid", "test"})
    for (const SplitData& split : splits)
      if (split.name == name)
        std::cout << "  /" << name << "  N=" << split.n << (split.labels.empty() ? "" : "  with labels") << "\n";
}

void run_import(const ImportOptions& o, const GlobalOptions& global) {
  refuse_outputs_over_inputs({{"--train", o.train},
                              {"--valid", o.valid},
                              {"--test", o.test},
                              {"--train-labels", o.train_labels},
                              {"--valid-labels", o.valid_labels},
                              {"--test-labels", o.test_labels}},
                             {{"--out", o.out}});
  const TableFormat format = parse_table_format(o.format);
  const std::vector<InputFile> inputs = input_files(o);
  const ImportedTable train = read_input(o, format, inputs.front().examples, inputs.front().labels);
  const DataSpec spec = make_spec(o, train);
  std::vector<SplitData> splits = {convert("train", train, spec)};
  for (size_t k = 1; k < inputs.size(); ++k) {
    const ImportedTable table = read_input(o, format, inputs[k].examples, inputs[k].labels);
    if (table.d != spec.dim)
      throw Error(table.source + ": examples have D=" + std::to_string(table.d) + " but " + o.train + " has D=" +
                  std::to_string(spec.dim));
    splits.push_back(convert(inputs[k].split, table, spec));
  }
  const std::string split_rule = carve_missing_splits(o, splits, spec.dim);
  write_dataset(o.out, spec, provenance(o, spec, split_rule), splits);
  report(o.out, spec, splits, global.json);
}

}  // namespace

void add_data_import_command(CLI::App& data, Commands& commands, const GlobalOptions& global) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd =
      data.add_subcommand("import", "CSV, NPY or IDX files -> a logp dataset file (nothing is written on error)");
  cmd->add_option("--format", o->format, "input format")->required()->check(CLI::IsMember({"idx", "csv", "npy"}));
  cmd->add_option("--kind", o->kind, "binary (0/1), categorical (0..K-1, with --levels) or real")
      ->required()
      ->check(CLI::IsMember({"binary", "categorical", "real"}));
  cmd->add_option("--levels", o->levels, "categorical: number of values K (2..256)")->check(CLI::Range(2, 256));
  cmd->add_option("--shape", o->shape, "image shape H,W[,C] of each example (default: from (N, H, W) inputs)");
  cmd->add_option("--train", o->train, "examples of the train split")->required();
  CLI::Option* valid = cmd->add_option("--valid", o->valid, "examples of the valid split");
  CLI::Option* test = cmd->add_option("--test", o->test, "examples of the test split");
  CLI::Option* train_labels = cmd->add_option("--train-labels", o->train_labels, "labels of train (one per example)");
  CLI::Option* valid_labels = cmd->add_option("--valid-labels", o->valid_labels, "labels of valid")->needs(valid);
  CLI::Option* test_labels = cmd->add_option("--test-labels", o->test_labels, "labels of test")->needs(test);
  cmd->add_option("--label-column", o->label_column,
                  "take labels from this column of every input (first, last, a header NAME or a 0-based INDEX) "
                  "and drop it from x")
      ->excludes(train_labels)
      ->excludes(valid_labels)
      ->excludes(test_labels);
  cmd->add_option("--header", o->header,
                  "CSV: is the first line a header? auto: yes iff none of its fields is a number")
      ->check(CLI::IsMember({"auto", "yes", "no"}))
      ->capture_default_str();
  cmd->add_option("--separator", o->separator,
                  "CSV: field separator, one character, tab, or space (runs of whitespace)")
      ->capture_default_str();
  cmd->add_option("--skip-rows", o->skip_rows,
                  "CSV: drop this many lines at the top of every input first (1 for scikit-learn's 'N,D,names' line)")
      ->check(non_negative_integer());
  cmd->add_option("--valid-fraction", o->valid_fraction, "carve this fraction of train out as valid (when no --valid)")
      ->check(number_between(0.0, 1.0))
      ->excludes(valid);
  cmd->add_option("--test-fraction", o->test_fraction, "carve this fraction of train out as test (when no --test)")
      ->check(number_between(0.0, 1.0))
      ->excludes(test);
  cmd->add_option("--seed", o->seed, "seed of the shuffle that carves valid/test")->capture_default_str();
  cmd->add_option("--out", o->out, "dataset file to write")->required();
  cmd->callback([o, cmd] { check_usage(*o, *cmd); });
  commands.push_back({cmd, [o, &global] { run_import(*o, global); }});
}

}  // namespace logp::cli
