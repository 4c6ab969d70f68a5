// The model entries, fitting, scoring, sampling and model files for Python (python/logp/estimators.py
// builds the scikit-learn classes from entries()).
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unistd.h>

#include "bindings.hpp"
#include "numpy_batch.hpp"
#include "logp/core/error.hpp"
#include "logp/data/batch_values.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/registry.hpp"

namespace logp::python {
namespace {

// A fitted or loaded model and how it was made (written into the files it is saved to).
struct PyModel {
  std::shared_ptr<Model> model;
  FitRecord record;
  // Scoring (without the GIL) holds it shared; choosing the estimator holds it alone.
  std::shared_ptr<std::shared_mutex> estimator_lock = std::make_shared<std::shared_mutex>();

  const DensityModel* density() const { return dynamic_cast<const DensityModel*>(model.get()); }
  const ScoringModel* scoring() const { return dynamic_cast<const ScoringModel*>(model.get()); }

  const DensityModel& require_density() const {
    const DensityModel* d = density();
    require(d != nullptr, std::string(model->type()) + " has no log-likelihood (it is " +
                              std::string(to_string(model_entry(model->type()).kind)) + ")");
    return *d;
  }
};

py::dict option_dict(const OptionSpec& spec) {
  py::dict d;
  d["name"] = spec.name;
  d["help"] = spec.help;
  d["default"] = spec.default_text;
  d["type"] = spec.type_name;
  d["is_flag"] = spec.is_flag;
  d["choices"] = spec.choices;
  return d;
}

// Every registered entry: type, summary, kind, whether it can be fitted, and its declared options.
py::list entries() {
  py::list out;
  for (const ModelEntry& entry : model_entries()) {
    py::dict d;
    d["type"] = std::string(entry.type);
    d["summary"] = std::string(entry.summary);
    d["kind"] = std::string(to_string(entry.kind));
    py::list options;
    if (entry.make_fit != nullptr) {
      const std::unique_ptr<ModelFit> fit = entry.make_fit();  // the options refer to its fields
      for (const OptionSpec& spec : fit->options().specs()) options.append(option_dict(spec));
    }
    d["fittable"] = entry.make_fit != nullptr;
    d["options"] = options;
    out.append(d);
  }
  return out;
}

DataSpec make_spec(const std::string& kind, int levels, Index dim, const std::vector<Index>& shape) {
  DataSpec spec;
  spec.kind = parse_data_kind(kind);
  spec.levels = spec.kind == DataKind::binary ? 2 : spec.kind == DataKind::real ? 0 : levels;
  require(spec.kind != DataKind::categorical || (spec.levels >= 2 && spec.levels <= 256),
          "categorical data needs levels in 2..256, got " + std::to_string(levels));
  spec.dim = dim;
  spec.shape = shape;
  Index product = 1;
  for (Index s : shape) product *= s;
  require(shape.empty() || (shape.size() == 3 && product == dim),
          "shape must be (H, W, C) with H*W*C = D=" + std::to_string(dim));
  return spec;
}

// Adds x (D x N, checked) to a dataset file as split `name`, in the file's element type.
void add_split(DatasetWriter& writer, const DataSpec& spec, const std::string& name, const Eigen::Map<const Matrix>& x) {
  const auto* first = x.data();
  const auto* last = x.data() + x.size();
  if (spec.is_discrete())
    writer.add_split(name, std::vector<std::uint8_t>(first, last), {});
  else
    writer.add_split(name, std::vector<float>(first, last), {});
}

// A unique temporary dataset file; removed when this goes out of scope.
class TemporaryDataset {
 public:
  TemporaryDataset() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("logp-python-fit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".h5"))
                .string();
  }
  ~TemporaryDataset() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryDataset(const TemporaryDataset&) = delete;
  TemporaryDataset& operator=(const TemporaryDataset&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct FitOutcome {
  PyModel model;
  std::string log;
  std::vector<std::pair<std::string, double>> statistics;
};

// Fits `type` with options (name, text) on x (N x D) and, when given, x_valid (early stopping).
// The trainers read dataset files (in bounded memory), so the arrays pass through a temporary one.
FitOutcome fit(const std::string& type, const std::vector<std::pair<std::string, std::string>>& options,
               const py::handle& x, const py::handle& x_valid, const std::string& kind, int levels,
               const std::vector<Index>& shape, const std::string& command) {
  const ModelEntry& entry = model_entry(type);
  require(entry.make_fit != nullptr, "model type '" + type + "' is not fitted on its own");
  std::unique_ptr<ModelFit> model_fit = entry.make_fit();
  for (const auto& [name, text] : options) model_fit->options().set(name, text);
  const Batch train(x, "X");
  const DataSpec spec = make_spec(kind, levels, train.dim(), shape);
  std::unique_ptr<Batch> valid;
  if (!x_valid.is_none()) valid = std::make_unique<Batch>(x_valid, "X_valid");

  py::gil_scoped_release release;
  check_batch_values(spec, train.view(), "X");
  require(train.size() > 0, "X: no examples");
  if (valid) check_batch_values(spec, valid->view(), "X_valid");
  const TemporaryDataset file;
  {
    DatasetWriter writer(file.path(), spec, {{"source", "numpy arrays (logp Python module)"}});
    add_split(writer, spec, "train", train.view());
    if (valid) add_split(writer, spec, "valid", valid->view());
    writer.commit();
  }
  const DatasetSplit split = DatasetSplit::open(file.path(), "train");
  std::ostringstream log;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Model> model = model_fit->fit(FitContext{split, file.path(), log});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FitRecord record{"(numpy array)", "train", train.size(), seconds, command, utc_now_iso8601()};
  return {PyModel{std::move(model), std::move(record)}, log.str(), model_fit->statistics()};
}

// x (N x D) checked against the model's spec, then f(D x N view) without the GIL.
template <class F>
auto with_checked_batch(const PyModel& m, const py::handle& x, F f) {
  const Batch batch(x, "X");
  py::gil_scoped_release release;
  const std::shared_lock lock(*m.estimator_lock);
  check_batch_values(m.model->data_spec(), batch.view(), "X");
  return f(batch.view());
}

// `logp score --estimator/--k/--estimator-seed/--sample-chunk` for a model with several estimators
// (vae); models with one refuse, naming what their log_prob is.
void select_estimator(PyModel& m, const EstimatorSettings& settings) {
  auto* selectable = dynamic_cast<SelectableEstimator*>(m.model.get());
  if (selectable == nullptr) {
    const DensityModel* d = m.density();
    throw Error("estimator/k apply to models with several estimators (vae); this is a " + std::string(m.model->type()) +
                " model" + (d ? ", whose log_prob is " + std::string(to_string(d->likelihood_kind())) : std::string()));
  }
  py::gil_scoped_release release;
  const std::unique_lock lock(*m.estimator_lock);
  selectable->select_estimator(settings);
}

}  // namespace

void bind_models(py::module_& m) {
  m.def("_entries", &entries, "every registered model entry with its declared options");
  m.def("_last_batch_address", &last_batch_address, "test hook: data address of the last array viewed");

  py::class_<PyModel>(m, "_Model")
      .def_property_readonly("type", [](const PyModel& p) { return std::string(p.model->type()); })
      .def_property_readonly("hyperparameters", [](const PyModel& p) { return p.model->hyperparameters(); })
      .def_property_readonly("num_parameters", [](const PyModel& p) { return p.model->num_parameters(); })
      .def_property_readonly("dim", [](const PyModel& p) { return p.model->dim(); })
      .def_property_readonly("data_kind", [](const PyModel& p) { return std::string(to_string(p.model->data_spec().kind)); })
      .def_property_readonly("levels", [](const PyModel& p) { return p.model->data_spec().levels; })
      .def_property_readonly("shape", [](const PyModel& p) { return p.model->data_spec().shape; })
      .def_property_readonly("model_kind",
                             [](const PyModel& p) { return std::string(to_string(model_entry(p.model->type()).kind)); })
      .def_property_readonly("likelihood_kind",
                             [](const PyModel& p) -> py::object {
                               const DensityModel* d = p.density();
                               if (d == nullptr) return py::none();
                               return py::str(std::string(to_string(d->likelihood_kind())));
                             })
      .def_property_readonly("value_name",
                             [](const PyModel& p) -> py::object {
                               if (const DensityModel* d = p.density()) return py::str(std::string(d->value_name()));
                               if (const ScoringModel* s = p.scoring()) return py::str(std::string(s->score_name()));
                               return py::none();
                             })
      .def_property_readonly("score_unit",
                             [](const PyModel& p) -> py::object {
                               const ScoringModel* s = p.scoring();
                               return s ? py::object(py::str(std::string(s->score_unit()))) : py::none();
                             })
      .def_property_readonly("has_density", [](const PyModel& p) { return p.density() != nullptr; })
      .def("log_prob",
           [](const PyModel& p, const py::handle& x) {
             const DensityModel& d = p.require_density();
             return to_numpy(with_checked_batch(p, x, [&](const Eigen::Map<const Matrix>& v) {
               return parallel_log_prob(d, v);
             }));
           },
           py::arg("x"), "N log-likelihoods (nats) of the N x D array x")
      .def("select_estimator",
           [](PyModel& p, const std::string& estimator, Index k, std::uint64_t seed, Index sample_chunk) {
             select_estimator(p, {estimator, k, seed, sample_chunk});
           },
           py::arg("estimator"), py::arg("k"), py::arg("seed"), py::arg("sample_chunk"),
           "as `logp score --estimator E --k K --estimator-seed S --sample-chunk C`")
      .def_property_readonly("estimator_description",
                             [](const PyModel& p) -> py::object {
                               const auto* s = dynamic_cast<const SelectableEstimator*>(p.model.get());
                               return s ? py::object(py::str(s->estimator_description())) : py::none();
                             })
      .def("score",
           [](const PyModel& p, const py::handle& x) {
             const ScoringModel* s = p.scoring();
             require(s != nullptr, std::string(p.model->type()) + " has no anomaly score");
             return to_numpy(with_checked_batch(p, x, [&](const Eigen::Map<const Matrix>& v) {
               return parallel_map_columns(v, [s](ConstMatrixRef block) { return s->score(block); });
             }));
           },
           py::arg("x"), "N scores (larger is more anomalous) of the N x D array x")
      .def("sample",
           [](const PyModel& p, Index n, std::uint64_t seed) {
             require(n > 0, "n: expected a positive number of samples, got " + std::to_string(n));
             Matrix x;
             {
               py::gil_scoped_release release;
               Rng rng(seed);
               x = p.model->sample(n, rng);
             }
             return rows_to_numpy(std::move(x));
           },
           py::arg("n"), py::arg("seed"), "n x D samples, as `logp sample -n n --seed seed`")
      .def("save",
           [](const PyModel& p, const std::string& path) {
             py::gil_scoped_release release;
             save_model(*p.model, p.record, path);
           },
           py::arg("path"), "writes a logp model file atomically")
      .def_property_readonly("fit_record", [](const PyModel& p) {
        py::dict d;
        d["data_file"] = p.record.data_file;
        d["split"] = p.record.split;
        d["examples"] = p.record.examples;
        d["seconds"] = p.record.seconds;
        d["command"] = p.record.command;
        d["created"] = p.record.created;
        return d;
      });

  m.def("_fit",
        [](const std::string& type, const std::vector<std::pair<std::string, std::string>>& options,
           const py::handle& x, const py::handle& x_valid, const std::string& kind, int levels,
           const std::vector<Index>& shape, const std::string& command) {
          FitOutcome outcome = fit(type, options, x, x_valid, kind, levels, shape, command);
          py::dict statistics;
          for (const auto& [name, value] : outcome.statistics) statistics[py::str(name)] = value;
          return py::make_tuple(std::move(outcome.model), outcome.log, statistics);
        },
        py::arg("type"), py::arg("options"), py::arg("x"), py::arg("x_valid"), py::arg("kind"), py::arg("levels"),
        py::arg("shape"), py::arg("command"));
  m.def("_load",
        [](const std::string& path) {
          py::gil_scoped_release release;
          std::shared_ptr<Model> model = load_model(path);
          return PyModel{std::move(model), read_fit_record(path)};
        },
        py::arg("path"));
}

}  // namespace logp::python
