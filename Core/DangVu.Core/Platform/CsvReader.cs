using System.Text;

namespace DangVu.Core.Platform;

/// <summary>Reads RFC 4180 CSV (quoted fields, doubled quotes, commas or semicolons), keeping each record's line number.</summary>
internal static class CsvReader
{
    /// <summary>A date as the import files write it: yyyy-mm-dd or dd/mm/yyyy.</summary>
    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date);

    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        var line = 0;
        char? separator = null;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var start = line;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            separator ??= text.Count(c => c == ';') > text.Count(c => c == ',') ? ';' : ',';
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; ; i++)
            {
                if (i == text.Length)
                {
                    if (quoted && reader.ReadLine() is { } next)
                    {
                        // A quoted field spans lines.
                        line++;
                        field.Append('\n');
                        text = next;
                        i = -1;
                        continue;
                    }

                    fields.Add(field.ToString());
                    break;
                }

                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == separator)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            yield return (start, fields.Select(f => f.Trim()).ToArray());
        }
    }
}
