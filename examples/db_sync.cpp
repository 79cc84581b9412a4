// Copies a keyset-paginated API into a SQLite table, in batches, and can stop and resume at any batch: each batch's
// rows and the checkpoint that follows them are written in one transaction, so after a crash, a failed request or
// Ctrl-C the table and the checkpoint agree, and a rerun goes on right after the last row stored, exactly once.
//
//     db_sync URL DATABASE [--batch N] [--page-size N] [--stop-after BATCHES]
//     db_sync http://127.0.0.1:8080/keyset sync.db --batch 250
//
// The API lists records {"id", "created_at", "name"} ordered by (created_at, id), a top-level JSON array a page, and
// takes the last record's keys back as ?after_created_at=&after_id= (tests/support/paged_server.py's /keyset; adapt
// `source_walk` for yours). --stop-after ends the run after that many batches, as an interruption would.
// The checkpoint is tied to the URL and page size: another page size on a resume is refused, the table kept.
// Build: find_package(SQLite3) (Debian: libsqlite3-dev).

#include <paged/adaptors/chunk.hpp>
#include <paged/blocking.hpp>
#include <paged/checkpoint.hpp>
#include <paged/error.hpp>
#include <paged/http/client.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/walk_options.hpp>
#include <paged/walk_state.hpp>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <charconv>
#include <cstdint>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

struct record {
    std::int64_t id = 0;
    std::int64_t created_at = 0;
    std::string name;
};

[[maybe_unused]] void from_json(const nlohmann::json& item, record& into) {
    item.at("id").get_to(into.id);
    item.at("created_at").get_to(into.created_at);
    item.at("name").get_to(into.name);
}

class sqlite_error : public std::runtime_error {
public:
    sqlite_error(sqlite3* db, const std::string& doing)
        : std::runtime_error("SQLite: " + doing + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory")) {}
};

// One prepared statement; bind, step, reset.
class statement {
public:
    statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &handle_, nullptr) != SQLITE_OK) throw sqlite_error(db, sql);
    }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement() { sqlite3_finalize(handle_); }

    statement& bind(int index, std::int64_t value) {
        check(sqlite3_bind_int64(handle_, index, value));
        return *this;
    }
    statement& bind(int index, const std::string& text) {
        check(sqlite3_bind_text(handle_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    // Runs a statement that returns no row.
    void run() {
        const int result = sqlite3_step(handle_);
        sqlite3_reset(handle_);
        if (result != SQLITE_DONE) throw sqlite_error(db_, sqlite3_sql(handle_));
    }
    // The first column of the first row as text, if there is a row.
    std::optional<std::string> text_of_first_row() {
        const int result = sqlite3_step(handle_);
        std::optional<std::string> value;
        if (result == SQLITE_ROW) value.emplace(reinterpret_cast<const char*>(sqlite3_column_text(handle_, 0)));
        sqlite3_reset(handle_);
        if (result != SQLITE_ROW && result != SQLITE_DONE) throw sqlite_error(db_, sqlite3_sql(handle_));
        return value;
    }

private:
    void check(int result) const {
        if (result != SQLITE_OK) throw sqlite_error(db_, "binding a value");
    }

    sqlite3* db_;
    sqlite3_stmt* handle_ = nullptr;
};

class database {
public:
    explicit database(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
            const sqlite_error failure(db_, "opening " + path);
            sqlite3_close(db_);
            throw failure;
        }
        execute("CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, "
                "name TEXT NOT NULL)");
        execute("CREATE TABLE IF NOT EXISTS sync_checkpoint (source TEXT PRIMARY KEY, checkpoint TEXT NOT NULL)");
    }
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    ~database() { sqlite3_close(db_); }

    void execute(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw sqlite_error(db_, sql);
    }
    sqlite3* handle() const noexcept { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// Rolls back unless committed: an exception between BEGIN and COMMIT leaves neither rows nor checkpoint behind.
class transaction {
public:
    explicit transaction(database& db) : db_(&db) { db.execute("BEGIN IMMEDIATE"); }
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    ~transaction() {
        if (db_ != nullptr) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        db_->execute("COMMIT");
        db_ = nullptr;
    }

private:
    database* db_;
};

// Where the rows go. A plain INSERT, not INSERT OR REPLACE: a row stored twice is an error here, not hidden.
class record_store {
public:
    record_store(database& db, std::string source)
        : db_(&db), source_(std::move(source)),
          insert_(db.handle(), "INSERT INTO records (id, created_at, name) VALUES (?1, ?2, ?3)"),
          save_(db.handle(), "INSERT INTO sync_checkpoint (source, checkpoint) VALUES (?1, ?2) "
                             "ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint"),
          load_(db.handle(), "SELECT checkpoint FROM sync_checkpoint WHERE source = ?1"),
          count_(db.handle(), "SELECT count(*) FROM records") {}

    std::optional<std::string> saved_checkpoint() { return load_.bind(1, source_).text_of_first_row(); }

    void store(const std::vector<record>& batch, const paged::checkpoint& after_batch) {
        transaction writing(*db_);
        for (const record& row : batch) insert_.bind(1, row.id).bind(2, row.created_at).bind(3, row.name).run();
        save_.bind(1, source_).bind(2, after_batch.to_string()).run();
        writing.commit();
    }

    std::string row_count() { return count_.text_of_first_row().value_or("0"); }

private:
    database* db_;
    std::string source_;
    statement insert_, save_, load_, count_;
};

struct settings {
    std::string url;
    std::string database_path;
    std::size_t batch = 100;
    std::size_t page_size = 100;
    std::optional<std::size_t> stop_after;
};

auto source_walk(paged::http::client& http, const settings& chosen) {
    return paged::http::keyset<record>(http, paged::http::keyset_options(chosen.url)
                                                 .items("")
                                                 .has_more("")
                                                 .key("/created_at", "after_created_at")
                                                 .key("/id", "after_id")
                                                 .page_size(chosen.page_size));
}

void sync(const settings& chosen) {
    database db(chosen.database_path);
    record_store store(db, chosen.url);
    paged::http::client http;
    auto source = source_walk(http, chosen);
    paged::walk_state position(source);
    auto options = paged::walk_options().state(position);
    const std::optional<std::string> saved = store.saved_checkpoint();
    if (saved) options.resume(paged::checkpoint::parse(*saved));
    std::cout << (saved ? "resuming after the saved checkpoint\n" : "starting from the first record\n");

    std::size_t batches = 0, records = 0;
    for (const std::vector<record>& batch :
         paged::blocking(paged::paginate(std::move(source), std::move(options)) | paged::chunk(chosen.batch))) {
        store.store(batch, position.to_checkpoint());  // `position` names the batch's last record: chunk stops there
        records += batch.size();
        if (++batches == chosen.stop_after) {
            std::cout << "stopped after " << batches << " batches, as asked\n";
            break;
        }
    }
    std::cout << records << " records in " << batches << " batches; the table holds " << store.row_count() << "\n";
}

std::size_t positive_count(std::string_view text, std::string_view option) {
    std::size_t value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || value == 0) {
        throw std::invalid_argument(std::string(option) + " takes a whole number above 0, not '" + std::string(text) + "'");
    }
    return value;
}

settings parse_arguments(int argc, char** argv) {
    if (argc < 3) throw std::invalid_argument("a URL and a database file are needed");
    settings chosen;
    chosen.url = argv[1];
    chosen.database_path = argv[2];
    for (int i = 3; i < argc; i += 2) {
        const std::string_view option = argv[i];
        if (i + 1 == argc) throw std::invalid_argument(std::string(option) + " needs a value");
        const std::size_t value = positive_count(argv[i + 1], option);
        if (option == "--batch") chosen.batch = value;
        else if (option == "--page-size") chosen.page_size = value;
        else if (option == "--stop-after") chosen.stop_after = value;
        else throw std::invalid_argument("unknown option " + std::string(option));
    }
    return chosen;
}

}  // namespace

int main(int argc, char** argv) {
    settings chosen;
    try {
        chosen = parse_arguments(argc, argv);
    } catch (const std::invalid_argument& problem) {
        std::cerr << "db_sync: " << problem.what()
                  << "\nusage: db_sync URL DATABASE [--batch N] [--page-size N] [--stop-after BATCHES]\n";
        return 2;
    }
    try {
        sync(chosen);
    } catch (const paged::checkpoint_error& problem) {
        std::cerr << "db_sync: the saved checkpoint is refused (another --page-size than the run that saved it?): "
                  << problem.what() << '\n';
        return 1;
    } catch (const std::exception& problem) {  // paged::error (HTTP, pagination) and sqlite_error
        std::cerr << "db_sync: " << problem.what() << "\n(committed batches are kept: run again to resume)\n";
        return 1;
    }
    return 0;
}
