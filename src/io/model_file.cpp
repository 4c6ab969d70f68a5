#include "logp/io/model_file.hpp"

#include <chrono>
#include <ctime>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/registry.hpp"

namespace logp {

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void save_model(const Model& model, const FitRecord& record, const std::string& path) {
  AtomicOutput output(path);
  {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.set_attr("format", std::string("logp-model"));
    root.set_attr("format_version", kModelFormatVersion);
    root.set_attr("type", std::string(model.type()));
    root.set_attr("logp_version", std::string(LOGP_VERSION));
    model.data_spec().save(root.create_group("data"));
    model.save(root.create_group("model"));
    const H5Group fit = root.create_group("fit");
    fit.set_attr("data_file", record.data_file);
    fit.set_attr("split", record.split);
    fit.set_attr("examples", static_cast<std::int64_t>(record.examples));
    fit.set_attr("seconds", record.seconds);
    fit.set_attr("command", record.command);
    fit.set_attr("created", record.created.empty() ? utc_now_iso8601() : record.created);
    file.flush();
  }
  output.commit();
}

namespace {

H5Group open_model_root(const H5File& file) {
  const H5Group root = file.root();
  if (!root.has_attr("format") || root.attr_string("format") != "logp-model")
    throw Error(file.path() + ": not a logp model file (a dataset file? run 'logp info " + file.path() + "')");
  const std::int64_t version = root.attr_int("format_version");
  if (version != kModelFormatVersion)
    throw Error(file.path() + ": model format version " + std::to_string(version) +
                " is not supported (this logp reads version " + std::to_string(kModelFormatVersion) + ")");
  return root;
}

}  // namespace

std::unique_ptr<Model> load_model(const std::string& path) {
  const H5File file = H5File::open(path);
  const H5Group root = open_model_root(file);
  const DataSpec spec = DataSpec::load(root.group("data"));
  return load_model_of_type(root.attr_string("type"), root.group("model"), spec);
}

std::unique_ptr<DensityModel> load_density_model(const std::string& path) {
  std::unique_ptr<Model> model = load_model(path);
  auto* density = dynamic_cast<DensityModel*>(model.get());
  if (!density)
    throw Error(path + ": a " + std::string(model->type()) + " model has no likelihood; judge it by its samples");
  model.release();
  return std::unique_ptr<DensityModel>(density);
}

FitRecord read_fit_record(const std::string& path) {
  const H5File file = H5File::open(path);
  const H5Group fit = open_model_root(file).group("fit");
  FitRecord record;
  record.data_file = fit.attr_string("data_file");
  record.split = fit.attr_string("split");
  record.examples = fit.attr_int("examples");
  record.seconds = fit.attr_double("seconds");
  record.command = fit.attr_string("command");
  record.created = fit.attr_string("created");
  return record;
}

}  // namespace logp
