using DangVu.Core.Abstractions.Text;

namespace DangVu.Modules.Members.Domain;

/// <summary>How member names sort; folding itself is the platform's <see cref="VietnameseText"/>.</summary>
internal static class SearchText
{
    /// <summary>The key Vietnamese lists sort by: given name (last word) first, then the full name.</summary>
    public static string SortKey(string fullName)
    {
        var folded = VietnameseText.Fold(fullName);
        var lastSpace = folded.LastIndexOf(' ');
        return lastSpace < 0 ? folded : folded[(lastSpace + 1)..] + " " + folded;
    }
}
