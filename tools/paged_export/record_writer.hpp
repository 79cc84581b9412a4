#pragma once
// Turns records into output lines: --filter decides which are written, --fields which of their fields, --format how
// (NDJSON: one compact JSON document a line; CSV: RFC 4180, a header line, CRLF line ends).

#include "command_line.hpp"
#include "output_file.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace paged_export {

// A record the chosen output cannot hold (CSV columns from a record that is not an object): exit status 1.
class record_problem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class record_writer {
public:
    // `header_written`: the CSV columns a resumed export wrote already (empty for a fresh one). Checks every field
    // name (usage_problem), before any output is opened.
    record_writer(const output_settings& settings, std::vector<std::string> header_written);

    // Writes the CSV header when the columns are known before the first record (--fields).
    void start(output_file& out);
    // Writes the record if it passes every --filter; true when it was written.
    bool write(const nlohmann::json& record, output_file& out);

    // The CSV columns in the header written so far (empty before it is written, and for NDJSON).
    std::vector<std::string> columns() const;

private:
    struct field_path {
        std::string label;
        nlohmann::json::json_pointer pointer;
    };
    struct filter {
        field_path field;
        std::string text;
        nlohmann::json value;  // discarded when the text is not JSON
    };

    static field_path path_of(const std::string& field);
    // A column named after a record's key: the key as it is, even when it starts with '/'.
    static field_path key_path(const std::string& key);
    static const nlohmann::json* find(const nlohmann::json& record, const field_path& field);

    bool passes(const nlohmann::json& record) const;
    void write_header(std::vector<field_path> columns, output_file& out);
    void write_csv(const nlohmann::json& record, output_file& out);
    void write_ndjson(const nlohmann::json& record, output_file& out);

    output_format format_;
    std::vector<field_path> fields_;  // --fields, or the CSV header once known
    std::vector<filter> filters_;
    bool header_done_ = false;
    std::string line_;  // reused for every record
};

// One CSV field, quoted (and its quotes doubled) when it holds a comma, a quote, CR or LF.
std::string csv_field(const std::string& text);

}  // namespace paged_export
