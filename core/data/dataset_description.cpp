// Dataset description files (.json, see docs/dataset-format.md) -> DatasetSpec.
#include "core/data/dataset.h"

#include "core/util/mapped_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace nnc {

namespace {

using Json = nlohmann::ordered_json;

class DescriptionReader
{
public:
    explicit DescriptionReader(std::filesystem::path path) : m_path(std::move(path)) {}

    Result<DatasetSpec> read()
    {
        auto file = MappedFile::open(m_path);
        if (!file)
            return fail("cannot read dataset description: " + file.error().message);
        const auto b = (*file)->bytes();
        Json j;
        try {
            j = Json::parse(reinterpret_cast<const char *>(b.data()),
                            reinterpret_cast<const char *>(b.data()) + b.size());
        } catch (const Json::exception &e) {
            std::string msg = e.what();
            if (const auto at = msg.find("] "); msg.starts_with("[json.") && at != std::string::npos)
                msg = msg.substr(at + 2);
            if (!msg.empty() && msg.back() == '.')
                msg.pop_back();
            return fail(quoted() + " is not valid JSON: " + msg + ".");
        }
        return spec(j);
    }

private:
    std::string quoted() const { return "'" + m_path.string() + "'"; }

    std::unexpected<Error> bad(const std::string &field, const std::string &problem) const
    {
        return fail(quoted() + " is not a valid dataset description: " + field + " " + problem
                    + ".");
    }

    Result<void> onlyKeys(const Json &obj, const std::string &where,
                          std::initializer_list<std::string_view> allowed) const
    {
        for (const auto &[key, v] : obj.items()) {
            bool ok = false;
            for (std::string_view a : allowed)
                ok = ok || key == a;
            if (!ok) {
                std::string list;
                for (std::string_view a : allowed)
                    list += (list.empty() ? "" : ", ") + std::string(a);
                return bad(where, "has an unknown field '" + key + "' (known: " + list + ")");
            }
        }
        return {};
    }

    Result<std::vector<float>> floats(const Json &v, const std::string &where) const
    {
        std::vector<float> out;
        if (v.is_number()) {
            out.push_back(v.get<float>());
        } else if (v.is_array() && !v.empty()) {
            for (const Json &x : v) {
                if (!x.is_number())
                    return bad(where, "must be a number or a list of numbers");
                out.push_back(x.get<float>());
            }
        } else {
            return bad(where, "must be a number or a non-empty list of numbers");
        }
        for (float f : out)
            if (!std::isfinite(f))
                return bad(where, "must hold finite numbers");
        return out;
    }

    Result<InputBinding> input(const std::string &name, const Json &v) const
    {
        const std::string where = "inputs." + name;
        InputBinding b;
        b.input = name;
        b.array = name;
        if (v.is_string()) {
            b.array = v.get<std::string>();
            return b;
        }
        if (!v.is_object())
            return bad(where, "must be an array name or an object");
        if (auto r = onlyKeys(v, where, {"array", "scale", "mean", "std", "layout"}); !r)
            return std::unexpected(r.error());
        if (v.contains("array")) {
            if (!v["array"].is_string() || v["array"].get<std::string>().empty())
                return bad(where + ".array", "must be a non-empty string");
            b.array = v["array"].get<std::string>();
        }
        if (v.contains("scale")) {
            if (!v["scale"].is_number() || !std::isfinite(v["scale"].get<double>()))
                return bad(where + ".scale", "must be a number");
            b.scale = v["scale"].get<double>();
        }
        for (const char *key : {"mean", "std"}) {
            if (!v.contains(key))
                continue;
            auto f = floats(v[key], where + "." + key);
            if (!f)
                return std::unexpected(f.error());
            (std::string_view(key) == "mean" ? b.mean : b.std) = std::move(*f);
        }
        if (v.contains("layout")) {
            if (!v["layout"].is_string())
                return bad(where + ".layout", "must be a string");
            b.layout = v["layout"].get<std::string>();
        }
        return b;
    }

    Result<LabelBinding> label(const std::string &name, const Json &v) const
    {
        const std::string where = "labels." + name;
        LabelBinding b;
        b.output = name;
        if (v.is_string()) {
            b.array = v.get<std::string>();
            return b;
        }
        if (!v.is_object())
            return bad(where, "must be an array name or an object");
        if (auto r = onlyKeys(v, where, {"array", "metric", "ignore_index", "tag_names"}); !r)
            return std::unexpected(r.error());
        if (v.contains("array")) {
            if (!v["array"].is_string())
                return bad(where + ".array", "must be a string");
            b.array = v["array"].get<std::string>();
        }
        if (v.contains("metric")) {
            if (!v["metric"].is_string())
                return bad(where + ".metric", "must be a string");
            b.metric = v["metric"].get<std::string>();
        }
        if (v.contains("ignore_index")) {
            if (!v["ignore_index"].is_number_integer())
                return bad(where + ".ignore_index", "must be an integer");
            b.ignoreIndex = v["ignore_index"].get<int64_t>();
        }
        if (v.contains("tag_names")) {
            const Json &t = v["tag_names"];
            if (t.is_array()) {
                for (const Json &x : t) {
                    if (!x.is_string())
                        return bad(where + ".tag_names", "must hold strings");
                    b.tagNames.push_back(x.get<std::string>());
                }
            } else if (t.is_object()) {
                // {"0": "O", "1": "B-order", ...}: the id2tag map many exporters write.
                std::vector<std::pair<int64_t, std::string>> byId;
                for (const auto &[key, x] : t.items()) {
                    std::size_t used = 0;
                    int64_t id = -1;
                    try {
                        id = std::stoll(key, &used);
                    } catch (...) {
                        used = 0;
                    }
                    if (used != key.size() || id < 0 || !x.is_string())
                        return bad(where + ".tag_names",
                                   "must map class ids (\"0\", \"1\", ...) to tag names");
                    byId.emplace_back(id, x.get<std::string>());
                }
                std::sort(byId.begin(), byId.end());
                for (std::size_t i = 0; i < byId.size(); ++i) {
                    if (byId[i].first != static_cast<int64_t>(i))
                        return bad(where + ".tag_names",
                                   "has no name for class id " + std::to_string(i));
                    b.tagNames.push_back(byId[i].second);
                }
            } else {
                return bad(where + ".tag_names", "must be a list of names or an id -> name map");
            }
        }
        return b;
    }

    Result<DatasetSpec> spec(const Json &j) const
    {
        if (!j.is_object())
            return fail(quoted() + " is not a valid dataset description: it is not a JSON "
                                   "object.");
        if (auto r = onlyKeys(j, "the top level", {"source", "inputs", "labels", "description"});
            !r)
            return std::unexpected(r.error());
        DatasetSpec s;
        if (!j.contains("source") || !j["source"].is_string()
            || j["source"].get<std::string>().empty())
            return bad("\"source\"", "must name the array file or folder");
        s.source = std::filesystem::path(j["source"].get<std::string>());
        if (s.source.is_relative())
            s.source = m_path.parent_path() / s.source;
        if (j.contains("inputs")) {
            if (!j["inputs"].is_object())
                return bad("\"inputs\"", "must be an object keyed by model input name");
            for (const auto &[name, v] : j["inputs"].items()) {
                auto b = input(name, v);
                if (!b)
                    return std::unexpected(b.error());
                s.inputs.push_back(std::move(*b));
            }
        }
        if (j.contains("labels")) {
            if (!j["labels"].is_object())
                return bad("\"labels\"", "must be an object keyed by model output name");
            for (const auto &[name, v] : j["labels"].items()) {
                auto b = label(name, v);
                if (!b)
                    return std::unexpected(b.error());
                s.labels.push_back(std::move(*b));
            }
        }
        return s;
    }

    std::filesystem::path m_path;
};

} // namespace

Result<DatasetSpec> readDatasetDescription(const std::filesystem::path &path)
{
    return DescriptionReader(path).read();
}

} // namespace nnc
