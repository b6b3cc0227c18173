// .npy header parsing: a small reader for the Python literal numpy writes, not a Python parser.
#include "core/data/npy_header.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace nnc::data {

namespace {

constexpr uint64_t kMaxHeaderBytes = 1 << 20; // numpy itself refuses headers above ~10 KB

// The subset of Python literals a .npy header uses.
struct PyValue
{
    enum class Kind { String, Bool, Int, Tuple, List, Dict, None };
    Kind kind = Kind::None;
    std::string s;
    bool b = false;
    int64_t i = 0;
    std::vector<PyValue> items;
    std::vector<std::pair<std::string, PyValue>> dict;
};

class LiteralParser
{
public:
    LiteralParser(std::string_view text, uint64_t baseOffset)
        : m_text(text), m_base(baseOffset)
    {}

    Result<PyValue> parse()
    {
        auto v = value(0);
        if (!v)
            return v;
        skipSpace();
        if (m_pos != m_text.size())
            return error("unexpected text after the header dictionary");
        return v;
    }

private:
    std::unexpected<Error> error(const std::string &what) const
    {
        // The caller prefixes the stream name; the offset is from the start of the stream.
        return fail("at byte offset " + std::to_string(m_base + m_pos) + ": " + what);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n'
                   || m_text[m_pos] == '\r' || m_text[m_pos] == '\0'))
            ++m_pos;
    }

    bool consume(char c)
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool consumeWord(std::string_view w)
    {
        if (m_text.substr(m_pos, w.size()) == w) {
            m_pos += w.size();
            return true;
        }
        return false;
    }

    Result<PyValue> value(int depth)
    {
        if (depth > 16)
            return error("the header nests too deeply");
        skipSpace();
        if (m_pos >= m_text.size())
            return error("the header ends early");
        PyValue v;
        const char c = m_text[m_pos];
        if (c == '\'' || c == '"') {
            ++m_pos;
            const auto end = m_text.find(c, m_pos);
            if (end == std::string_view::npos)
                return error("a string is not closed");
            v.kind = PyValue::Kind::String;
            v.s = std::string(m_text.substr(m_pos, end - m_pos));
            m_pos = end + 1;
            return v;
        }
        if (consumeWord("True")) {
            v.kind = PyValue::Kind::Bool;
            v.b = true;
            return v;
        }
        if (consumeWord("False")) {
            v.kind = PyValue::Kind::Bool;
            return v;
        }
        if (consumeWord("None"))
            return v;
        if ((c >= '0' && c <= '9') || c == '-') {
            bool neg = c == '-';
            if (neg)
                ++m_pos;
            if (m_pos >= m_text.size() || m_text[m_pos] < '0' || m_text[m_pos] > '9')
                return error("a number is malformed");
            uint64_t n = 0;
            while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
                if (n > (uint64_t{1} << 62))
                    return error("a number is too large");
                n = n * 10 + static_cast<uint64_t>(m_text[m_pos] - '0');
                ++m_pos;
            }
            if (m_pos < m_text.size() && (m_text[m_pos] == 'L' || m_text[m_pos] == 'l'))
                ++m_pos; // Python 2 long suffix, written by old numpy
            v.kind = PyValue::Kind::Int;
            v.i = neg ? -static_cast<int64_t>(n) : static_cast<int64_t>(n);
            return v;
        }
        if (c == '(' || c == '[') {
            const char close = c == '(' ? ')' : ']';
            ++m_pos;
            v.kind = c == '(' ? PyValue::Kind::Tuple : PyValue::Kind::List;
            while (true) {
                if (consume(close))
                    return v;
                auto item = value(depth + 1);
                if (!item)
                    return item;
                v.items.push_back(std::move(*item));
                if (consume(','))
                    continue;
                if (consume(close))
                    return v;
                return error(std::string("expected ',' or '") + close + "'");
            }
        }
        if (c == '{') {
            ++m_pos;
            v.kind = PyValue::Kind::Dict;
            while (true) {
                if (consume('}'))
                    return v;
                auto key = value(depth + 1);
                if (!key)
                    return key;
                if (key->kind != PyValue::Kind::String)
                    return error("a dictionary key is not a string");
                if (!consume(':'))
                    return error("expected ':' after the key '" + key->s + "'");
                auto item = value(depth + 1);
                if (!item)
                    return item;
                v.dict.emplace_back(key->s, std::move(*item));
                if (consume(','))
                    continue;
                if (consume('}'))
                    return v;
                return error("expected ',' or '}'");
            }
        }
        return error(std::string("unexpected character '") + c + "'");
    }

    std::string_view m_text;
    uint64_t m_base = 0;
    std::size_t m_pos = 0;
};

uint64_t readLe(const std::byte *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | static_cast<uint8_t>(p[i]);
    return v;
}

} // namespace

Result<std::pair<DataType, bool>> npyDescrToDtype(std::string_view descr)
{
    bool big = false;
    std::string_view d = descr;
    if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
        big = d[0] == '>';
        d.remove_prefix(1);
    }
    static constexpr std::array<std::pair<std::string_view, DataType>, 16> kTypes{{
        {"f2", DataType::Float16}, {"f4", DataType::Float}, {"f8", DataType::Double},
        {"i1", DataType::Int8}, {"u1", DataType::UInt8}, {"i2", DataType::Int16},
        {"u2", DataType::UInt16}, {"i4", DataType::Int32}, {"u4", DataType::UInt32},
        {"i8", DataType::Int64}, {"u8", DataType::UInt64}, {"b1", DataType::Bool},
        {"?", DataType::Bool}, {"e", DataType::Float16}, {"f", DataType::Float},
        {"d", DataType::Double},
    }};
    for (const auto &[code, type] : kTypes)
        if (d == code)
            return std::pair{type, big && dtypeSize(type) > 1};
    return fail("dtype '" + std::string(descr)
                + "', which is not supported (supported: float16/32/64, int8/16/32/64, "
                  "uint8/16/32/64 and bool)");
}

void swapBytes(std::span<std::byte> data, std::size_t elemSize)
{
    if (elemSize <= 1)
        return;
    for (std::size_t off = 0; off + elemSize <= data.size(); off += elemSize)
        std::reverse(data.begin() + static_cast<std::ptrdiff_t>(off),
                     data.begin() + static_cast<std::ptrdiff_t>(off + elemSize));
}

Result<NpyHeader> readNpyHeader(ByteSource &src, std::string_view array)
{
    const std::string where = src.what();
    const std::string arr = "array '" + std::string(array) + "' (" + where + ")";
    const int64_t total = src.size();
    if (total >= 0 && total < 10)
        return fail(where + " is not a .npy array: it has only " + std::to_string(total)
                    + " bytes.");
    std::array<std::byte, 12> pre{};
    if (auto r = src.read(0, std::span(pre).first(10)); !r)
        return std::unexpected(r.error());
    if (std::memcmp(pre.data(), "\x93NUMPY", 6) != 0)
        return fail(where + " is not a .npy array: it does not start with the NumPy magic "
                            "bytes.");
    const int major = static_cast<int>(pre[6]), minor = static_cast<int>(pre[7]);
    uint64_t headerLen = 0, headerStart = 0;
    if (major == 1) {
        headerLen = readLe(pre.data() + 8, 2);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (auto r = src.read(10, std::span(pre).subspan(10, 2)); !r)
            return std::unexpected(r.error());
        headerLen = readLe(pre.data() + 8, 4);
        headerStart = 12;
    } else {
        return fail(where + " has .npy format version " + std::to_string(major) + "."
                    + std::to_string(minor) + "; versions 1.0, 2.0 and 3.0 are supported.");
    }
    if (headerLen > kMaxHeaderBytes)
        return fail(where + " has a corrupt .npy header: it declares "
                    + std::to_string(headerLen) + " header bytes at byte offset 8.");
    if (total >= 0 && headerStart + headerLen > static_cast<uint64_t>(total))
        return fail(where + " is truncated: its .npy header needs bytes 0 to "
                    + std::to_string(headerStart + headerLen) + " but it has "
                    + std::to_string(total) + ".");
    std::string text(headerLen, '\0');
    if (auto r = src.read(headerStart, std::as_writable_bytes(std::span(text))); !r)
        return std::unexpected(r.error());
    auto lit = LiteralParser(text, headerStart).parse();
    if (!lit)
        return fail(where + " has a corrupt .npy header " + lit.error().message + ".");
    if (lit->kind != PyValue::Kind::Dict)
        return fail(where + " has a corrupt .npy header: it is not a dictionary.");
    const PyValue *descr = nullptr, *fortran = nullptr, *shape = nullptr;
    for (const auto &[key, v] : lit->dict) {
        if (key == "descr")
            descr = &v;
        else if (key == "fortran_order")
            fortran = &v;
        else if (key == "shape")
            shape = &v;
    }
    if (!descr || !fortran || !shape)
        return fail(where + " has a corrupt .npy header: it lacks '"
                    + std::string(!descr ? "descr" : !fortran ? "fortran_order" : "shape")
                    + "'.");
    NpyHeader h;
    if (descr->kind != PyValue::Kind::String)
        return fail(arr + " has a structured dtype, which is not supported; save each field as "
                          "its own array.");
    h.descr = descr->s;
    auto dt = npyDescrToDtype(descr->s);
    if (!dt)
        return fail(arr + " has " + dt.error().message + ".");
    h.dtype = dt->first;
    h.bigEndian = dt->second;
    if (fortran->kind != PyValue::Kind::Bool)
        return fail(where + " has a corrupt .npy header: fortran_order is not True or False.");
    if (fortran->b)
        return fail(arr + " is stored in Fortran (column-major) order, which is not supported; "
                          "save it with np.ascontiguousarray.");
    if (shape->kind != PyValue::Kind::Tuple)
        return fail(where + " has a corrupt .npy header: shape is not a tuple.");
    for (const PyValue &d : shape->items) {
        if (d.kind != PyValue::Kind::Int || d.i < 0)
            return fail(where + " has a corrupt .npy header: shape has a negative or "
                                "non-integer dimension.");
        h.shape.push_back(d.i);
    }
    h.dataOffset = headerStart + headerLen;
    // Overflow-safe size check against the stream, when its size is known.
    uint64_t bytes = dtypeSize(h.dtype);
    for (int64_t d : h.shape) {
        if (d != 0 && bytes > (uint64_t{1} << 62) / static_cast<uint64_t>(d))
            return fail(where + " has a corrupt .npy header: shape "
                        + dimsToString(h.shape) + " is too large.");
        bytes *= static_cast<uint64_t>(d);
    }
    if (total < 0 && h.dataOffset + bytes > src.maxSize())
        return fail(where + " is corrupt or truncated: shape " + dimsToString(h.shape) + " of "
                    + std::string(dtypeName(h.dtype)) + " needs " + std::to_string(bytes)
                    + " data bytes, more than its compressed data can hold.");
    if (total >= 0 && h.dataOffset + bytes > static_cast<uint64_t>(total))
        return fail(where + " is truncated: shape " + dimsToString(h.shape) + " of "
                    + std::string(dtypeName(h.dtype)) + " needs "
                    + std::to_string(bytes) + " data bytes from byte offset "
                    + std::to_string(h.dataOffset) + " but only "
                    + std::to_string(static_cast<uint64_t>(total) - h.dataOffset)
                    + " remain.");
    return h;
}

} // namespace nnc::data
