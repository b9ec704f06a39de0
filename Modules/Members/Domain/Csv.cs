using System.Buffers;
using System.Text;

namespace DangVu.Modules.Members.Domain;

/// <summary>RFC 4180 CSV: comma separated, fields with comma, quote or line break quoted, quotes doubled.</summary>
internal static class Csv
{
    /// <summary>Reads records; each with the 1-based line it starts on.</summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(TextReader reader)
    {
        var csv = new Reader(reader);
        while (csv.TryRead(out var line, out var fields))
        {
            yield return (line, fields);
        }
    }

    /// <summary>
    /// Scans a block of characters at a time for the next character that matters (vectorised), and copies
    /// the text between as a whole: a file of 500,000 members read a character at a time through the
    /// reader cost more than checking them.
    /// </summary>
    private sealed class Reader(TextReader reader)
    {
        private static readonly SearchValues<char> Unquoted = SearchValues.Create(",\"\r\n");
        private static readonly SearchValues<char> Quoted = SearchValues.Create("\"\n");

        // Short values repeat down a file (gender, status, codes, places): each is made once and shared. Kept to
        // the first ones met, so that unique values (numbers, names) do not grow it for the whole file.
        private const int MaxShared = 4096;
        private const int MaxSharedLength = 32;

        private readonly char[] _buffer = new char[64 * 1024];
        private readonly StringBuilder _field = new();
        private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
        private int _fieldsPerRecord = 4;
        private int _position;
        private int _length;
        private int _line = 1;

        /// <summary>The next record and the line it starts on; blank lines are skipped. False at the end.</summary>
        public bool TryRead(out int start, out List<string> fields)
        {
            fields = new List<string>(_fieldsPerRecord);
            start = _line;
            _field.Clear();
            var quoted = false;
            var any = false;
            while (_position < _length || Fill())
            {
                var rest = _buffer.AsSpan(_position, _length - _position);
                var at = rest.IndexOfAny(quoted ? Quoted : Unquoted);
                if (at < 0)
                {
                    _field.Append(rest);
                    any |= !quoted && rest.Length > 0;
                    _position = _length;
                    continue;
                }

                // The text before the character: most fields lie whole in the buffer and are taken from there, not copied first.
                var segment = rest[..at];
                any |= !quoted && at > 0;
                var ch = rest[at];
                _position += at + 1;
                if (quoted)
                {
                    _field.Append(segment);
                    if (ch == '\n')
                    {
                        _line++;
                        _field.Append(ch);
                    }
                    else if (Peek() == '"')
                    {
                        _position++;
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }

                    continue;
                }

                switch (ch)
                {
                    case '"' when _field.Length == 0 && segment.IsEmpty:
                        quoted = true;
                        any = true;
                        break;
                    case '"':
                        _field.Append(segment).Append(ch);
                        break;
                    case ',':
                        fields.Add(TakeField(segment));
                        any = true;
                        break;
                    case '\n':
                        _line++;
                        if (any || _field.Length > 0)
                        {
                            fields.Add(TakeField(segment));
                            _fieldsPerRecord = fields.Count;
                            return true;
                        }

                        start = _line;
                        break;
                    default: // '\r', dropped
                        _field.Append(segment);
                        break;
                }
            }

            if (any || _field.Length > 0)
            {
                fields.Add(TakeField([]));
                return true;
            }

            return false;
        }

        /// <summary>The field: what was copied of it so far, then <paramref name="tail"/> (of the buffer).</summary>
        private string TakeField(ReadOnlySpan<char> tail)
        {
            scoped ReadOnlySpan<char> text = tail;
            Span<char> copied = stackalloc char[MaxSharedLength];
            if (_field.Length > 0)
            {
                _field.Append(tail);
                if (_field.Length > MaxSharedLength)
                {
                    var value = _field.ToString();
                    _field.Clear();
                    return value;
                }

                copied = copied[.._field.Length];
                _field.CopyTo(0, copied, copied.Length);
                _field.Clear();
                text = copied;
            }

            if (text.Length > MaxSharedLength)
            {
                return new string(text);
            }

            if (_shared.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var shared))
            {
                return shared;
            }

            var made = new string(text);
            if (_shared.Count < MaxShared)
            {
                _shared[made] = made;
            }

            return made;
        }

        private int Peek() => _position < _length || Fill() ? _buffer[_position] : -1;

        private bool Fill()
        {
            _length = reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            return _length > 0;
        }
    }

    public static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 || f.StartsWith(' ') || f.EndsWith(' ') ? "\"" + f.Replace("\"", "\"\"") + "\"" : f));
}
