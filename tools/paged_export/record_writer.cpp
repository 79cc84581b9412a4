#include "record_writer.hpp"

#include <utility>

namespace paged_export {

namespace {

using json = nlohmann::json;

// Invalid UTF-8 from a server is written with U+FFFD rather than ending the export.
std::string compact(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// A top-level key, escaped so that '/' and '~' in it are part of the name.
std::string pointer_to_key(const std::string& key) {
    std::string pointer = "/";
    for (const char c : key) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer += c;
        }
    }
    return pointer;
}

std::string cell_text(const json* value) {
    if (value == nullptr || value->is_null()) return "";
    if (value->is_string()) return value->get_ref<const std::string&>();
    return compact(*value);
}

}  // namespace

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') quoted += '"';
    }
    return quoted + '"';
}

record_writer::record_writer(const output_settings& settings, std::vector<std::string> header_written)
    : format_(settings.format) {
    for (const std::string& field : settings.fields) fields_.push_back(path_of(field));
    for (const field_filter& wanted : settings.filters) {
        filters_.push_back({path_of(wanted.field), wanted.value, json::parse(wanted.value, nullptr, false)});
    }
    if (!header_written.empty()) {
        header_done_ = true;
        if (fields_.empty()) {
            for (const std::string& column : header_written) fields_.push_back(key_path(column));
        }
    }
}

record_writer::field_path record_writer::path_of(const std::string& field) {
    try {
        return {field, json::json_pointer(!field.empty() && field.front() == '/' ? field : pointer_to_key(field))};
    } catch (const json::exception& e) {
        throw usage_problem("'" + field + "' is not a field name or a JSON Pointer: " + e.what());
    }
}

record_writer::field_path record_writer::key_path(const std::string& key) {
    return {key, json::json_pointer(pointer_to_key(key))};
}

const json* record_writer::find(const json& record, const field_path& field) {
    try {
        return record.contains(field.pointer) ? &record.at(field.pointer) : nullptr;
    } catch (const json::exception&) {
        return nullptr;  // the pointer goes through a value that is not a container
    }
}

void record_writer::start(output_file& out) {
    if (format_ == output_format::csv && !header_done_ && !fields_.empty()) write_header(fields_, out);
}

bool record_writer::write(const json& record, output_file& out) {
    if (!passes(record)) return false;
    if (format_ == output_format::csv) {
        write_csv(record, out);
    } else {
        write_ndjson(record, out);
    }
    return true;
}

std::vector<std::string> record_writer::columns() const {
    std::vector<std::string> labels;
    if (!header_done_) return labels;
    for (const field_path& field : fields_) labels.push_back(field.label);
    return labels;
}

bool record_writer::passes(const json& record) const {
    for (const filter& wanted : filters_) {
        const json* value = find(record, wanted.field);
        if (value == nullptr) return false;
        const bool equal = value->is_string() ? value->get_ref<const std::string&>() == wanted.text
                                              : !wanted.value.is_discarded() && *value == wanted.value;
        if (!equal) return false;
    }
    return true;
}

void record_writer::write_header(std::vector<field_path> columns, output_file& out) {
    line_.clear();
    for (const field_path& column : columns) line_ += (line_.empty() ? "" : ",") + csv_field(column.label);
    line_ += "\r\n";
    out.append(line_);
    fields_ = std::move(columns);
    header_done_ = true;
}

void record_writer::write_csv(const json& record, output_file& out) {
    if (!header_done_) {
        if (!record.is_object()) {
            throw record_problem("CSV columns come from the first record's keys, but it is not an object: " +
                                 compact(record).substr(0, 80) + " (give --fields)");
        }
        std::vector<field_path> columns;
        for (const auto& entry : record.items()) columns.push_back(key_path(entry.key()));
        write_header(std::move(columns), out);
    }
    line_.clear();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) line_ += ',';
        line_ += csv_field(cell_text(find(record, fields_[i])));
    }
    line_ += "\r\n";
    out.append(line_);
}

void record_writer::write_ndjson(const json& record, output_file& out) {
    if (fields_.empty()) {
        line_ = compact(record);
    } else {
        json kept = json::object();
        for (const field_path& field : fields_) {
            const json* value = find(record, field);
            kept[field.label] = value != nullptr ? *value : json(nullptr);
        }
        line_ = compact(kept);
    }
    line_ += '\n';
    out.append(line_);
}

}  // namespace paged_export
