using System.Globalization;
using System.Text;

namespace DangVu.Modules.Members.Domain;

/// <summary>
/// Vietnamese text folded for search: no diacritics, đ → d, lower case, single spaces.
/// "Nguyễn Văn  An" → "nguyen van an".
/// </summary>
internal static class SearchText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

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

            builder.Append(c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            });
        }

        return builder.ToString();
    }

    /// <summary>The key Vietnamese lists sort by: given name (last word) first, then the full name.</summary>
    public static string SortKey(string fullName)
    {
        var folded = Fold(fullName);
        var lastSpace = folded.LastIndexOf(' ');
        return lastSpace < 0 ? folded : folded[(lastSpace + 1)..] + " " + folded;
    }
}
