using System.Globalization;
using System.Text;

namespace DangVu.Core.Abstractions.Text;

/// <summary>
/// Vietnamese text folded for matching and search, the same way everywhere on the platform: no
/// diacritics, đ → d, lower case, single spaces. "Nguyễn Văn  An" → "nguyen van an".
/// </summary>
public static class VietnameseText
{
    // What each character below U+1F00 (Latin with every Vietnamese letter, combining marks) folds to on its own, so that
    // text of those characters folds in one pass without normalizing it: an import folds a million names.
    private const char Mark = '\uFFFF';
    private const char Space = '\uFFFE';
    private const char Other = '\uFFFD';
    private static readonly char[] Folded = BuildTable();

    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        // Each character gives at most one.
        Span<char> folded = text.Length <= 256 ? stackalloc char[256] : new char[text.Length];
        var length = 0;
        var space = false;
        foreach (var c in text)
        {
            var f = c < Folded.Length ? Folded[c] : Other;
            switch (f)
            {
                case Other:
                    return FoldNormalized(text);
                case Mark:
                    continue;
                case Space:
                    space = length > 0;
                    continue;
            }

            if (space)
            {
                folded[length++] = ' ';
                space = false;
            }

            folded[length++] = f;
        }

        // Text already folded (codes, folded names) is returned as it is.
        return folded[..length].SequenceEqual(text) ? text : new string(folded[..length]);
    }

    /// <summary>The rule itself: canonical decomposition, marks dropped, đ → d, lower case, white space runs as one space.</summary>
    private static string FoldNormalized(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    // The rule applied to each character alone; one that decomposes to more than one letter keeps to the rule itself.
    private static char[] BuildTable()
    {
        var table = new char[0x1F00];
        for (var c = 0; c < table.Length; c++)
        {
            var alone = ((char)c).ToString();
            table[c] = char.IsWhiteSpace((char)c) ? Space
                : FoldNormalized(alone) is { Length: 1 } one ? one[0]
                : alone.Normalize(NormalizationForm.FormD).All(d => CharUnicodeInfo.GetUnicodeCategory(d) == UnicodeCategory.NonSpacingMark) ? Mark
                : Other;
        }

        return table;
    }
}
