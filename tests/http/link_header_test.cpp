#include <paged/http/link_header.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using paged::http::find_link;
using paged::http::link_header_error;
using paged::http::parse_link_header;

namespace {

// The position a malformed value is reported at; fails the test if it parses.
std::size_t error_position(std::string_view field_value) {
    try {
        const auto links = parse_link_header(field_value);
        FAIL("parsed into " << links.size() << " link(s) instead of throwing: " << field_value);
    } catch (const link_header_error& error) {
        return error.position();
    }
    return std::string_view::npos;
}

std::string error_message(std::string_view field_value) {
    try {
        (void)parse_link_header(field_value);
    } catch (const link_header_error& error) {
        return error.what();
    }
    FAIL("parsed instead of throwing: " << field_value);
    return {};
}

std::string repeated(std::string_view piece, std::size_t times) {
    std::string text;
    text.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) text += piece;
    return text;
}

constexpr std::size_t one_megabyte = 1 << 20;

}  // namespace

TEST_CASE("link_header: GitHub-style header with prev, next, last and first") {
    const std::string header =
        "<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"prev\", "
        "<https://api.github.com/repositories/1300192/issues?page=4>; rel=\"next\", "
        "<https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\", "
        "<https://api.github.com/repositories/1300192/issues?page=1>; rel=\"first\"";

    const auto links = parse_link_header(header);
    REQUIRE(links.size() == 4);
    CHECK(links[0].target == "https://api.github.com/repositories/1300192/issues?page=2");
    CHECK(links[0].has_rel("prev"));
    CHECK(links[1].target == "https://api.github.com/repositories/1300192/issues?page=4");
    CHECK(links[1].has_rel("next"));
    CHECK_FALSE(links[1].has_rel("prev"));
    CHECK(links[2].has_rel("last"));
    CHECK(links[3].has_rel("first"));
    REQUIRE(links[3].params.size() == 1);
    CHECK(links[3].params[0].name == "rel");
    CHECK(links[3].params[0].value == "first");

    const std::array fields{std::string_view(header)};
    CHECK(find_link(fields, "next") == "https://api.github.com/repositories/1300192/issues?page=4");
    CHECK(find_link(fields, "last") == "https://api.github.com/repositories/1300192/issues?page=515");
    CHECK(find_link(fields, "first") == "https://api.github.com/repositories/1300192/issues?page=1");
    CHECK(find_link(fields, "prev") == "https://api.github.com/repositories/1300192/issues?page=2");
    CHECK(find_link(fields, "self") == std::nullopt);
}

TEST_CASE("link_header: several links in one field keep their parameters in order") {
    const auto links = parse_link_header(
        "<https://a.example/1>; REL=next; Type=\"text/html\"; crossorigin, <https://b.example/2>; rel=Alternate; "
        "hreflang=de; title*=UTF-8'de'n%c3%a4chstes%20Kapitel");
    REQUIRE(links.size() == 2);

    const auto& first = links[0];
    CHECK(first.target == "https://a.example/1");
    REQUIRE(first.params.size() == 3);
    CHECK(first.params[0].name == "rel");  // names are lowercased
    CHECK(first.params[1].name == "type");
    CHECK(first.params[1].value == "text/html");
    CHECK(first.params[2].name == "crossorigin");
    CHECK(first.params[2].value.empty());
    CHECK(first.param("TYPE") == "text/html");  // lookup ignores case
    CHECK(first.param("crossorigin") == "");
    CHECK(first.param("hreflang") == std::nullopt);

    const auto& second = links[1];
    CHECK(second.target == "https://b.example/2");
    CHECK(second.param("rel") == "Alternate");  // values keep their case
    CHECK(second.has_rel("alternate"));
    CHECK(second.param("hreflang") == "de");
    CHECK(second.param("title*") == "UTF-8'de'n%c3%a4chstes%20Kapitel");  // ext-value kept raw
}

TEST_CASE("link_header: find_link looks through several field values in order") {
    const std::vector<std::string> fields{
        "<https://x.example/prev>; rel=prev",
        "<https://x.example/next>; rel=next",
        "<https://x.example/other-next>; rel=next",
    };
    CHECK(find_link(fields, "next") == "https://x.example/next");
    CHECK(find_link(fields, "prev") == "https://x.example/prev");
    CHECK(find_link(fields, "last") == std::nullopt);

    const std::array<const char*, 2> c_strings{"<one>; rel=first", "<two>; rel=last"};
    CHECK(find_link(c_strings, "last") == "two");

    const std::vector<std::string_view> none;
    CHECK(find_link(none, "next") == std::nullopt);

    const std::vector<std::string_view> empty_fields{"", " , ", "<z>; rel=next"};
    CHECK(find_link(empty_fields, "next") == "z");
}

TEST_CASE("link_header: quoted and unquoted rel are the same") {
    const auto links = parse_link_header("<a>; rel=next, <b>; rel=\"next\", <c>; rel=\"\"");
    REQUIRE(links.size() == 3);
    CHECK(links[0].param("rel") == "next");
    CHECK(links[1].param("rel") == "next");
    CHECK(links[0].has_rel("next"));
    CHECK(links[1].has_rel("next"));
    CHECK(links[2].param("rel") == "");
    CHECK_FALSE(links[2].has_rel("next"));
    CHECK_FALSE(links[2].has_rel(""));
}

TEST_CASE("link_header: rel lists several relation types, compared case-insensitively") {
    const auto links = parse_link_header("<a>; rel=\"next last\", <b>; rel=NEXT, <c>; rel=\"  prev\tFirst  \"");
    REQUIRE(links.size() == 3);

    CHECK(links[0].has_rel("next"));
    CHECK(links[0].has_rel("last"));
    CHECK(links[0].has_rel("LAST"));
    CHECK_FALSE(links[0].has_rel("prev"));
    CHECK_FALSE(links[0].has_rel("nex"));        // whole words only
    CHECK_FALSE(links[0].has_rel("next last"));  // one relation type at a time
    CHECK_FALSE(links[0].has_rel(""));

    CHECK(links[1].has_rel("next"));
    CHECK(links[1].has_rel("Next"));

    CHECK(links[2].has_rel("prev"));
    CHECK(links[2].has_rel("first"));

    const std::array fields{"<a>; rel=\"first last\", <b>; rel=\"PREV Next\""};
    CHECK(find_link(fields, "last") == "a");
    CHECK(find_link(fields, "next") == "b");
}

TEST_CASE("link_header: commas and semicolons inside quotes and inside <...> are data") {
    const auto links = parse_link_header(
        "<https://x.example/list;v=1?ids=1,2,3&a=b;c>; title=\"one, two; three\"; rel=\"next\", "
        "<https://x.example/,;>; rel=last");
    REQUIRE(links.size() == 2);
    CHECK(links[0].target == "https://x.example/list;v=1?ids=1,2,3&a=b;c");
    CHECK(links[0].param("title") == "one, two; three");
    CHECK(links[0].has_rel("next"));
    CHECK(links[1].target == "https://x.example/,;");
    CHECK(links[1].has_rel("last"));
}

TEST_CASE("link_header: whitespace around = ; , and trailing separators are tolerated") {
    const auto links = parse_link_header(
        " \t<a>\t;\trel = next ;  title =\t\"x y\"  ;  , \t<b>;rel=prev;type=\"t\";,<c> ;rel =\tlast\t, ");
    REQUIRE(links.size() == 3);
    CHECK(links[0].target == "a");
    REQUIRE(links[0].params.size() == 2);
    CHECK(links[0].param("rel") == "next");
    CHECK(links[0].param("title") == "x y");
    CHECK(links[1].target == "b");
    CHECK(links[1].param("rel") == "prev");
    CHECK(links[1].param("type") == "t");
    CHECK(links[2].target == "c");
    CHECK(links[2].param("rel") == "last");

    const auto bare = parse_link_header("<d>;");
    REQUIRE(bare.size() == 1);
    CHECK(bare[0].params.empty());
}

TEST_CASE("link_header: empty list elements are skipped") {
    CHECK(parse_link_header("").empty());
    CHECK(parse_link_header(" \t ").empty());
    CHECK(parse_link_header(",").empty());
    CHECK(parse_link_header(" , ,\t,, ").empty());

    const auto links = parse_link_header(", ,<a>; rel=next,, \t,<b>,");
    REQUIRE(links.size() == 2);
    CHECK(links[0].target == "a");
    CHECK(links[0].has_rel("next"));
    CHECK(links[1].target == "b");
    CHECK(links[1].params.empty());
}

TEST_CASE("link_header: only the first rel parameter counts") {
    const auto links = parse_link_header("<a>; rel=prev; rel=next");
    REQUIRE(links.size() == 1);
    REQUIRE(links[0].params.size() == 2);  // both kept, in order
    CHECK(links[0].params[1].value == "next");
    CHECK(links[0].param("rel") == "prev");
    CHECK(links[0].has_rel("prev"));
    CHECK_FALSE(links[0].has_rel("next"));

    const std::array fields{"<a>; rel=prev; rel=next, <b>; rel=next"};
    CHECK(find_link(fields, "next") == "b");
}

TEST_CASE("link_header: find_link skips links with an anchor") {
    const std::array fields{
        "<https://x.example/chapter2>; rel=next; anchor=\"#chapter1\", <https://x.example/page2>; rel=next"};
    CHECK(find_link(fields, "next") == "https://x.example/page2");

    const std::array anchored_only{"<a>; rel=next; anchor=\"https://other.example/\"", "<b>; Anchor=\"\"; rel=next"};
    CHECK(find_link(anchored_only, "next") == std::nullopt);

    const auto links = parse_link_header(fields[0]);
    REQUIRE(links.size() == 2);
    CHECK(links[0].param("anchor") == "#chapter1");
}

TEST_CASE("link_header: quoted-pairs are unescaped") {
    const auto links = parse_link_header(R"(<a>; title="say \"hi\", then \\ and \a"; rel="ne\xt")");
    REQUIRE(links.size() == 1);
    CHECK(links[0].param("title") == R"(say "hi", then \ and a)");
    CHECK(links[0].param("rel") == "next");
    CHECK(links[0].has_rel("next"));

    // An escaped quote does not end the string; the real closing quote follows.
    const auto tricky = parse_link_header(R"(<b>; title="\"", <c>; rel=next)");
    REQUIRE(tricky.size() == 2);
    CHECK(tricky[0].param("title") == "\"");
    CHECK(tricky[1].target == "c");

    // Tabs and non-ASCII bytes (obs-text) are data.
    const auto text = parse_link_header("<d>; title=\"a\tb \xC3\xA4\"");
    REQUIRE(text.size() == 1);
    CHECK(text[0].param("title") == "a\tb \xC3\xA4");
}

TEST_CASE("link_header: relative targets are returned exactly as written") {
    const auto links = parse_link_header("</items?page=2>; rel=next, <?page=3>; rel=last, <../up>; rel=up, "
                                         "<//cdn.example/p>; rel=preload, <>; rel=self, < spaced >; rel=odd");
    REQUIRE(links.size() == 6);
    CHECK(links[0].target == "/items?page=2");
    CHECK(links[1].target == "?page=3");
    CHECK(links[2].target == "../up");
    CHECK(links[3].target == "//cdn.example/p");
    CHECK(links[4].target == "");
    CHECK(links[5].target == " spaced ");

    const std::array fields{"</items?page=2>; rel=next"};
    CHECK(find_link(fields, "next") == "/items?page=2");
}

TEST_CASE("link_header: malformed values throw link_header_error at the right position") {
    // Missing '<' or '>'.
    CHECK(error_position("a>; rel=next") == 0);
    CHECK(error_position("  https://x.example/; rel=next") == 2);
    CHECK(error_position("<a; rel=next") == 0);                  // the '<' that is never closed
    CHECK(error_position("<a; rel=next, <b>; rel=prev") == 14);  // the second '<' reveals the missing '>'
    CHECK(error_position("<a>; rel=next, b>") == 15);

    // Unterminated quoted-string: reported at its opening quote.
    CHECK(error_position("<a>; title=\"abc") == 11);
    CHECK(error_position("<a>; title=\"abc\\\"") == 11);  // the last quote is escaped
    CHECK(error_position("<a>; title=\"abc\\") == 11);    // a backslash with nothing to escape

    // A parameter without a name or without a value after '='.
    CHECK(error_position("<a>; =next") == 5);
    CHECK(error_position("<a>;;rel=next") == 4);
    CHECK(error_position("<a>; ; rel=next") == 5);
    CHECK(error_position("<a>; rel=") == 9);
    CHECK(error_position("<a>; rel=;") == 9);
    CHECK(error_position("<a>; rel=, <b>") == 9);

    // Garbage after '>' or after a parameter.
    CHECK(error_position("<a>x; rel=next") == 3);
    CHECK(error_position("<a> garbage; rel=next") == 4);
    CHECK(error_position("<a>; rel next") == 9);
    CHECK(error_position("<a>; rel=\"next\"x") == 15);
    CHECK(error_position("<a>; rel=next <b>") == 14);  // missing ','
    CHECK(error_position("<a>; rel=a/b") == 10);       // '/' is not a tchar: such a value must be quoted
    CHECK(error_position("<a>; rel=\xC3\xA4") == 9);   // nor is a non-ASCII byte

    // Control characters anywhere.
    CHECK(error_position("<a>; rel=next\x01") == 13);
    CHECK(error_position("<a\nb>; rel=next") == 2);
    CHECK(error_position("<a>; title=\"x\ny\"") == 13);
    CHECK(error_position("<a>; title=\"x\\\ry\"") == 14);  // not even escaped
    CHECK(error_position("<a>; rel=next\r\n") == 13);
    CHECK(error_position(std::string_view("<a>\0; rel=next", 14)) == 3);
}

TEST_CASE("link_header: the error message names the problem, the position and an excerpt") {
    const std::string missing_close = error_message("<a; rel=next");
    CHECK_THAT(missing_close, Catch::Contains("byte 0") && Catch::Contains("'>'") && Catch::Contains("<a; rel=next"));

    const std::string control = error_message("<a>; rel=next\x01");
    CHECK_THAT(control, Catch::Contains("byte 13") && Catch::Contains("control character 0x01"));
    CHECK(control.find('\x01') == std::string::npos);  // the excerpt stays printable

    const std::string garbage = error_message("<a>x; rel=next");
    CHECK_THAT(garbage, Catch::Contains("byte 3") && Catch::Contains("'x'") && Catch::Contains("<a>x; rel=next"));

    const std::string end = error_message("<a>; rel=");
    CHECK_THAT(end, Catch::Contains("parameter value") && Catch::Contains("end of the header"));

    // The excerpt is short even for a huge header, and shows the neighbourhood of the error.
    const std::string huge = repeated("<a>; rel=x, ", 10'000) + "<b>!" + repeated(" ", 10'000);
    const std::string message = error_message(huge);
    CHECK_THAT(message, Catch::Contains("byte 120003") && Catch::Contains("<b>!"));
    CHECK(message.size() < 200);
}

TEST_CASE("link_header: megabyte adversarial headers are handled in linear time") {
    // A parser that backtracks or rescans would take hours on these; a linear one needs milliseconds.
    CHECK(error_position("<" + repeated(";", one_megabyte)) == 0);
    CHECK(error_position("<" + repeated("\"", one_megabyte)) == 0);
    CHECK(error_position("<" + repeated(" ;\",", one_megabyte / 4)) == 0);
    CHECK(error_position("<a>; title=\"" + repeated(";", one_megabyte)) == 11);
    CHECK(error_position("<a>; title=\"" + repeated("\\\"", one_megabyte / 2)) == 11);
    CHECK(error_position("<a>" + repeated(";", one_megabyte)) == 4);
    CHECK(error_position("<a>; rel" + repeated(" ", one_megabyte) + "x") == 8 + one_megabyte);
    CHECK(error_position(repeated("<a", one_megabyte / 2)) == 2);

    CHECK(parse_link_header(repeated(" ", one_megabyte)).empty());
    CHECK(parse_link_header(repeated(", ", one_megabyte / 2)).empty());

    const auto spaced = parse_link_header("<a>;" + repeated(" ", one_megabyte));
    REQUIRE(spaced.size() == 1);
    CHECK(spaced[0].params.empty());

    const auto escaped = parse_link_header("<a>; title=\"" + repeated("\\\"", one_megabyte / 2) + "\"");
    REQUIRE(escaped.size() == 1);
    CHECK(escaped[0].param("title") == repeated("\"", one_megabyte / 2));

    const auto long_target = parse_link_header("<" + repeated(",;\"", one_megabyte / 3) + ">; rel=next");
    REQUIRE(long_target.size() == 1);
    CHECK(long_target[0].target.size() == 3 * (one_megabyte / 3));

    // The result scales with the input: n and 4n repetitions give n and 4n links.
    constexpr std::size_t n = 25'000;
    const auto some = parse_link_header(repeated("<a>; rel=x, ", n));
    const auto many = parse_link_header(repeated("<a>; rel=x, ", 4 * n));
    CHECK(some.size() == n);
    REQUIRE(many.size() == 4 * n);
    CHECK(many.back().has_rel("x"));

    const std::array fields{repeated("<a>; rel=x, ", 4 * n) + "<last>; rel=next"};
    CHECK(find_link(fields, "next") == "last");
}
