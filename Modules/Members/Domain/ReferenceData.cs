using System.Collections.Frozen;

namespace DangVu.Modules.Members.Domain;

/// <summary>One entry of a Vietnamese reference list.</summary>
internal sealed record ReferenceItem(string Code, string Name, string Note = "");

/// <summary>
/// The reference lists shipped as data files inside the assembly (Data/*.txt): the 54 ethnic
/// groups, religions, the 34 provinces and cities after the 2025 merger, political theory
/// levels, and the province codes that open a citizen ID number.
/// </summary>
internal static class ReferenceData
{
    public static IReadOnlyList<ReferenceItem> EthnicGroups { get; } = Load("ethnic-groups.txt");

    public static IReadOnlyList<ReferenceItem> Religions { get; } = Load("religions.txt");

    public static IReadOnlyList<ReferenceItem> Provinces { get; } = Load("provinces.txt");

    public static IReadOnlyList<ReferenceItem> TheoryLevels { get; } = Load("theory-levels.txt");

    public static FrozenSet<string> CitizenIdProvinceCodes { get; } =
        ReadLines("citizen-id-provinces.txt").SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToFrozenSet();

    private static readonly FrozenDictionary<string, ReferenceItem> EthnicByCode = EthnicGroups.ToFrozenDictionary(e => e.Code);
    private static readonly FrozenDictionary<string, ReferenceItem> ReligionByCode = Religions.ToFrozenDictionary(e => e.Code);

    public static ReferenceItem? Ethnicity(string code) => EthnicByCode.GetValueOrDefault(code);

    public static ReferenceItem? Religion(string code) => ReligionByCode.GetValueOrDefault(code);

    /// <summary>Reads an embedded data file, for the data files that are not line lists (the seed rule pack).</summary>
    public static string ReadText(string file)
    {
        using var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream("DangVu.Modules.Members.Data." + file)
            ?? throw new InvalidOperationException($"Data file {file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> ReadLines(string file) =>
        ReadText(file).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'));

    private static List<ReferenceItem> Load(string file) =>
        ReadLines(file)
            .Select(l => l.Split('|'))
            .Select(p => new ReferenceItem(p[0].Trim(), p[1].Trim(), p.Length > 2 ? p[2].Trim() : ""))
            .ToList();
}
