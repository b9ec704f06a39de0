using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Text;

namespace DangVu.Core.Platform;

/// <summary>Names of the kinds of organisation, as people write them in an import file.</summary>
internal static class OrgUnitKinds
{
    private static readonly (OrgUnitKind Kind, string Vi, string[] Aliases)[] Names =
    [
        (OrgUnitKind.ProvincialCommittee, "Đảng bộ tỉnh/thành phố", ["dang bo tinh", "dang bo thanh pho", "dang bo tinh/thanh pho", "tinh uy", "provincial"]),
        (OrgUnitKind.DirectlySubordinateCommittee, "Đảng bộ trực thuộc", ["dang bo truc thuoc", "directly-subordinate"]),
        (OrgUnitKind.GrassrootsCommittee, "Đảng bộ cơ sở", ["dang bo co so", "grassroots-committee"]),
        (OrgUnitKind.GrassrootsCell, "Chi bộ cơ sở", ["chi bo co so", "grassroots-cell"]),
        (OrgUnitKind.SectionCommittee, "Đảng bộ bộ phận", ["dang bo bo phan", "section"]),
        (OrgUnitKind.SubordinateCell, "Chi bộ trực thuộc", ["chi bo truc thuoc", "subordinate-cell", "chi bo"]),
    ];

    public static string NameVi(OrgUnitKind kind) => Names.First(n => n.Kind == kind).Vi;

    public static string AllNamesVi => string.Join("; ", Names.Select(n => n.Vi));

    /// <summary>Accepts the Vietnamese name with or without diacritics, or the English alias, in any case.</summary>
    public static bool TryParse(string text, out OrgUnitKind kind)
    {
        var key = VietnameseText.Fold(text);
        foreach (var (k, vi, aliases) in Names)
        {
            if (VietnameseText.Fold(vi) == key || aliases.Contains(key) || string.Equals(k.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
