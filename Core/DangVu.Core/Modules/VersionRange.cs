namespace DangVu.Core.Modules;

/// <summary>
/// A version range as written in <c>module.json</c>: comparators separated by spaces, all of
/// which must hold, such as <c>"&gt;=1.0.0 &lt;2.0.0"</c>; a bare version means exactly it.
/// </summary>
internal sealed class VersionRange
{
    private readonly List<(string Operator, Version Version)> _comparators;

    private VersionRange(string text, List<(string, Version)> comparators)
    {
        Text = text;
        _comparators = comparators;
    }

    public string Text { get; }

    public static bool TryParse(string? text, out VersionRange range)
    {
        range = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var comparators = new List<(string, Version)>();
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var op = part.StartsWith(">=", StringComparison.Ordinal) || part.StartsWith("<=", StringComparison.Ordinal) ? part[..2]
                : part[0] is '>' or '<' or '=' ? part[..1]
                : "=";
            var versionText = part[(op == "=" && part[0] != '=' ? 0 : op.Length)..];
            if (!TryParseVersion(versionText, out var version))
            {
                return false;
            }

            comparators.Add((op, version));
        }

        range = new VersionRange(text.Trim(), comparators);
        return true;
    }

    /// <summary>Parses 1, 1.2 or 1.2.3 (a fourth part is ignored); missing parts are zero.</summary>
    public static bool TryParseVersion(string? text, out Version version)
    {
        version = new Version(0, 0, 0);
        if (string.IsNullOrWhiteSpace(text) || !Version.TryParse(text.Contains('.') ? text : text + ".0", out var parsed))
        {
            return false;
        }

        version = new Version(parsed.Major, Math.Max(parsed.Minor, 0), Math.Max(parsed.Build, 0));
        return true;
    }

    public bool Includes(Version version)
    {
        var v = new Version(version.Major, Math.Max(version.Minor, 0), Math.Max(version.Build, 0));
        return _comparators.All(c => c.Operator switch
        {
            ">=" => v >= c.Version,
            "<=" => v <= c.Version,
            ">" => v > c.Version,
            "<" => v < c.Version,
            _ => v == c.Version,
        });
    }

    public override string ToString() => Text;
}
