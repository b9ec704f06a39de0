using System.Buffers;
using System.Collections;
using System.Text;

namespace DangVu.Core.Abstractions.Rpc;

/// <summary>
/// Custom headers or trailers of a call. Keys are lower-case ASCII; keys ending in
/// <c>-bin</c> carry bytes (base64 on the wire), all others carry printable ASCII text.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";

    // The characters of a key as stored: a key made of them only is kept as it is, not copied.
    private static readonly SearchValues<char> KeyChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public Entry this[int index] => _entries[index];

    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The last entry with the key, or null.</summary>
    public Entry? Get(string key)
    {
        key = Lower(key);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key == key)
            {
                return _entries[i];
            }
        }

        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerable<Entry> GetAll(string key)
    {
        key = Lower(key);
        return _entries.Where(e => e.Key == key);
    }

    private static string Lower(string key) => key.AsSpan().ContainsAnyExcept(KeyChars) ? key.ToLowerInvariant() : key;

    /// <summary>A struct enumerator: <c>foreach</c> over a call's metadata allocates nothing.</summary>
    public List<Entry>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<Entry> IEnumerable<Entry>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One key and its value.</summary>
    public sealed class Entry
    {
        private readonly string? _text;
        private readonly byte[]? _bytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{Key}' ends in '-bin' and takes a byte[] value.", nameof(key));
            }

            ArgumentNullException.ThrowIfNull(value);
            if (value.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
            {
                throw new ArgumentException($"Metadata value of '{Key}' must be printable ASCII; use a '-bin' key for other bytes.", nameof(value));
            }

            _text = value;
        }

        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{Key}' takes a string value; byte values need a key ending in '-bin'.", nameof(key));
            }

            _bytes = value ?? throw new ArgumentNullException(nameof(value));
        }

        public string Key { get; }

        public bool IsBinary => _bytes is not null;

        /// <summary>The text value; for a binary entry, its bytes read as UTF-8.</summary>
        public string Value => _text ?? Encoding.UTF8.GetString(_bytes!);

        /// <summary>The bytes of a binary entry; for a text entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _bytes ?? Encoding.ASCII.GetBytes(_text!);

        public override string ToString() => IsBinary ? $"{Key}=[{_bytes!.Length} bytes]" : $"{Key}={_text}";

        public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.Ordinal);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = Lower(key);
            if (lower.AsSpan().ContainsAnyExcept(KeyChars))
            {
                throw new ArgumentException($"Metadata key '{key}' may hold only a-z, 0-9, '-', '_' and '.'.", nameof(key));
            }

            return lower;
        }
    }
}
