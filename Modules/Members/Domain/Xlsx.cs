using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DangVu.Modules.Members.Domain;

/// <summary>A file that cannot be read at all (not a workbook, no sheet): one message, Vietnamese first.</summary>
internal sealed class MemberFileException(string messageVi, string messageEn) : Exception(messageEn)
{
    public string MessageVi { get; } = messageVi;

    public string MessageEn { get; } = messageEn;
}

/// <summary>
/// The first worksheet of an XLSX workbook as rows of text, read and written with the Open XML
/// SAX reader/writer (constant memory per row). Numbers come out in invariant culture, so a date
/// stored as an Excel serial reads as its serial (<see cref="SerialDate"/> turns it into a date).
/// </summary>
internal static class Xlsx
{
    private const int DateStyle = 1;

    /// <summary>Reads rows (1-based row number, cells by column position); empty rows are skipped.</summary>
    public static IEnumerable<(int Row, IReadOnlyList<string> Fields)> Read(Stream stream)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(stream, false);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new MemberFileException("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.", "The file is not a valid Excel (.xlsx) workbook.");
        }

        using (document)
        {
            var workbook = document.WorkbookPart;
            if (workbook?.Workbook is null)
            {
                throw new MemberFileException("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ: không có sổ tính.", "The file is not a valid Excel (.xlsx) workbook: it has no workbook part.");
            }

            var first = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (first?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart sheet)
            {
                throw new MemberFileException("Bảng tính không có trang tính nào.", "The workbook has no worksheet.");
            }

            var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
            using var reader = OpenXmlReader.Create(sheet);
            var fields = new List<string>();
            var rowNumber = 0;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Row) && reader.IsStartElement)
                {
                    rowNumber = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value is { } r
                        ? int.Parse(r, CultureInfo.InvariantCulture) : rowNumber + 1;
                    fields = [];
                }
                else if (reader.ElementType == typeof(Row) && reader.IsEndElement)
                {
                    if (fields.Any(f => f.Length > 0))
                    {
                        yield return (rowNumber, fields);
                    }
                }
                else if (reader.ElementType == typeof(Cell) && reader.IsStartElement)
                {
                    var cell = (Cell)reader.LoadCurrentElement()!;
                    var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : fields.Count;
                    while (fields.Count < column)
                    {
                        fields.Add("");
                    }

                    var text = Text(cell, shared);
                    if (column < fields.Count)
                    {
                        fields[column] = text;
                    }
                    else
                    {
                        fields.Add(text);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes one sheet named <paramref name="sheetName"/>: a bold-free header row, then the rows;
    /// <see cref="DateOnly"/> values become real dates (serial with a dd/mm/yyyy format), numbers
    /// numbers, everything else inline text.
    /// </summary>
    public static void Write(Stream output, string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows) =>
        WriteSheets(output, [(sheetName, headers, rows)]);

    public static void WriteSheets(Stream output, IEnumerable<(string Name, IReadOnlyList<string> Headers, IEnumerable<IReadOnlyList<object?>> Rows)> sheets)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy" }) { Count = 1 },
            new Fonts(new Font()) { Count = 1 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }) { Count = 2 });
        var sheetList = new Sheets();
        uint sheetId = 1;
        foreach (var (name, headers, rows) in sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                WriteRow(writer, headers);
                foreach (var row in rows)
                {
                    WriteRow(writer, row);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            sheetList.Append(new Sheet { Name = name, SheetId = sheetId++, Id = workbook.GetIdOfPart(part) });
        }

        workbook.Workbook = new Workbook(sheetList);
    }

    /// <summary>An Excel date serial (days since 1899-12-30) as a date, or null when the text is not one.</summary>
    public static DateOnly? SerialDate(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466
            ? DateOnly.FromDateTime(DateTime.FromOADate(serial))
            : null;

    private static void WriteRow<T>(OpenXmlWriter writer, IReadOnlyList<T> values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            switch (value)
            {
                case DateOnly date:
                    writer.WriteElement(new Cell
                    {
                        StyleIndex = DateStyle,
                        CellValue = new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)),
                    });
                    break;
                case int or long or decimal or double:
                    writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)) });
                    break;
                default:
                    var text = value?.ToString() ?? "";
                    if (text.Length > 0)
                    {
                        writer.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }) });
                    }
                    else
                    {
                        writer.WriteElement(new Cell());
                    }

                    break;
            }
        }

        writer.WriteEndElement();
    }

    private static string Text(Cell cell, string[] shared)
    {
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value is { } type)
        {
            if (type == CellValues.SharedString)
            {
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length ? shared[i] : "";
            }

            if (type == CellValues.InlineString)
            {
                return cell.InlineString?.InnerText ?? "";
            }

            if (type == CellValues.Boolean)
            {
                return raw == "1" ? "TRUE" : "FALSE";
            }
        }

        return raw;
    }

    /// <summary>"AB12" → 27 (0-based column).</summary>
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = index * 26 + (c - 'A' + 1);
        }

        return index - 1;
    }
}

/// <summary>The file formats of the member list.</summary>
internal enum MemberFileFormat
{
    Csv,
    Xlsx,
}

internal static class MemberFileFormats
{
    /// <summary>By content (an XLSX is a zip: "PK\x03\x04"), else by the file name's extension; CSV otherwise.</summary>
    public static MemberFileFormat Detect(string? fileName, Stream? content = null)
    {
        if (content is { CanSeek: true })
        {
            Span<byte> head = stackalloc byte[4];
            var position = content.Position;
            var read = content.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            content.Position = position;
            if (read == 4 && head.SequenceEqual("PK\u0003\u0004"u8))
            {
                return MemberFileFormat.Xlsx;
            }
        }

        return string.Equals(Path.GetExtension(fileName), ".xlsx", StringComparison.OrdinalIgnoreCase) ? MemberFileFormat.Xlsx : MemberFileFormat.Csv;
    }
}
