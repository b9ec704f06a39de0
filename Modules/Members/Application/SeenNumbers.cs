using System.Runtime.InteropServices;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// The file line of each citizen ID, file or card number an import has met so far (one instance per column).
/// Checked numbers are short ASCII (at most 20 letters, digits and "-/."), so each is kept as a 128-bit number
/// instead of its string: half a million strings held to the end of an import, in growing tables, cost the
/// checking more than a second, most of it the garbage collector's. Anything else is kept as its string.
/// </summary>
internal sealed class SeenNumbers
{
    // Each character is a digit 1..65 of a base-66 number: with no digit 0, distinct strings are distinct numbers
    // ("1", "01" and "001" too), and 20 digits need 121 bits.
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/.";
    private const int Base = 66;
    private const int MaxPacked = 20;
    private static readonly byte[] Digits = BuildDigits();

    private readonly Dictionary<UInt128, int> _packed = [];
    private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes room for <paramref name="count"/> numbers at once. Grown by doubling, the tables of half a million numbers were
    /// copied again and again into new memory: a third of the checking's time.
    /// </summary>
    public void EnsureCapacity(int count) => _packed.EnsureCapacity(count);

    /// <summary>Notes <paramref name="value"/> at <paramref name="line"/>; false, with the line it was first met on, if met before.</summary>
    public bool TryAdd(string value, int line, out int earlier)
    {
        ref var first = ref TryPack(value, out var key)
            ? ref CollectionsMarshal.GetValueRefOrAddDefault(_packed, key, out var met)
            : ref CollectionsMarshal.GetValueRefOrAddDefault(_other, value, out met);
        if (met)
        {
            earlier = first;
            return false;
        }

        first = line;
        earlier = 0;
        return true;
    }

    private static bool TryPack(string value, out UInt128 key)
    {
        key = UInt128.Zero;
        if (value.Length > MaxPacked)
        {
            return false;
        }

        foreach (var ch in value)
        {
            var digit = ch < Digits.Length ? Digits[ch] : (byte)0;
            if (digit == 0)
            {
                return false;
            }

            key = (key * Base) + digit;
        }

        return true;
    }

    private static byte[] BuildDigits()
    {
        var digits = new byte[128];
        for (var i = 0; i < Alphabet.Length; i++)
        {
            digits[Alphabet[i]] = (byte)(i + 1);
        }

        return digits;
    }
}
