#pragma once

// Encoding labels as the WHATWG Encoding Standard defines them, and the ICU converters that
// decode each encoding.

#include <string_view>

namespace wordcrawl::whatwg {

/// Lower-case name of the encoding a label denotes ("cp1251" -> "windows-1251"); the label is
/// matched after trimming ASCII whitespace, ignoring ASCII case. Empty if the label is unknown.
std::string_view encoding_for_label(std::string_view label);

/// Name of the ICU converter that decodes a WHATWG encoding, or nullptr for the encodings
/// decoded without ICU (utf-8, x-user-defined, iso-8859-16, replacement).
const char* icu_converter_name(std::string_view encoding);

}  // namespace wordcrawl::whatwg
