#pragma once

// The two parts of an HTTP Content-Type value that wordcrawl reads: the media type, which
// decides whether a body is counted, and the charset parameter, which the charset decoder
// honours. Lenient as browsers are: a value they would read is never rejected here.

#include <string>
#include <string_view>

namespace wordcrawl {

/// The essence of a Content-Type value, lower-cased: "text/html" from " Text/HTML ;
/// charset=utf-8". Everything before the first ';', without HTTP whitespace around it; empty
/// if that is empty.
std::string media_type(std::string_view content_type);

/// The raw value of the first charset parameter, without HTTP whitespace and one pair of
/// surrounding quotes: "KOI8-R" from "text/html; Charset=\"KOI8-R\"". Empty if there is none.
/// It is a label; whatwg_encoding_name() says which encoding it names.
std::string_view charset_parameter(std::string_view content_type);

}  // namespace wordcrawl
