using System.Text.RegularExpressions;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Text;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Platform;

/// <summary>A CSV import refused, with every problem found, by line.</summary>
internal sealed class OrgImportException(IReadOnlyList<string> errors)
    : Exception(
        $"Không nhập được cây tổ chức; không có gì được lưu (the organisation import was refused; nothing was saved):\n  {string.Join("\n  ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Imports an organisation tree from CSV (<c>code,name,kind,parent,valid_from,valid_to</c>),
/// creating new organisations and updating existing ones by code. Every row is checked first;
/// the import is applied all-or-nothing.
/// </summary>
internal sealed partial class OrgImporter(CoreDbContext db, OrganisationDirectory directory)
{
    private static readonly string[] Header = ["code", "name", "kind", "parent", "valid_from", "valid_to"];
    private static readonly string[] HeaderVi = ["ma", "ten", "loai", "cap tren", "tu ngay", "den ngay"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    public async Task<(int Created, int Updated)> ImportAsync(TextReader csv, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var rows = Parse(csv, errors);
        var existing = await db.OrgUnits.ToDictionaryAsync(o => o.Code, StringComparer.Ordinal, cancellationToken);
        Validate(rows, existing, errors);
        if (errors.Count > 0)
        {
            throw new OrgImportException(errors);
        }

        var byCode = new Dictionary<string, OrgUnit>(existing, StringComparer.Ordinal);
        var created = 0;
        var updated = 0;
        foreach (var row in rows)
        {
            if (!byCode.TryGetValue(row.Code, out var unit))
            {
                unit = new OrgUnit { Code = row.Code };
                byCode[row.Code] = unit;
                db.OrgUnits.Add(unit);
                created++;
            }
            else
            {
                updated++;
            }

            unit.NameVi = row.Name;
            unit.Kind = row.Kind;
            unit.ValidFrom = row.ValidFrom;
            unit.ValidTo = row.ValidTo;
        }

        foreach (var row in rows)
        {
            var unit = byCode[row.Code];
            unit.ParentId = row.Parent is null ? null : byCode[row.Parent].Id;
            unit.OwnerOrgUnitId = unit.ParentId ?? unit.Id;
        }

        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return (created, updated);
    }

    private static List<Row> Parse(TextReader csv, List<string> errors)
    {
        var rows = new List<Row>();
        string[]? header = null;
        foreach (var (line, fields) in CsvReader.Read(csv))
        {
            if (header is null)
            {
                header = fields.Select(VietnameseText.Fold).Select(f => f.Replace('_', ' ')).ToArray();
                var expected = Header.Select(h => h.Replace('_', ' ')).ToArray();
                if (!header.Take(6).SequenceEqual(expected.Take(header.Length)) && !header.Take(6).SequenceEqual(HeaderVi.Take(header.Length)) || header.Length < 5)
                {
                    errors.Add($"Dòng {line}: tiêu đề phải là \"{string.Join(",", Header)}\" (line {line}: the header must be \"{string.Join(",", Header)}\")");
                    return rows;
                }

                continue;
            }

            if (fields.Length != header.Length)
            {
                errors.Add($"Dòng {line}: có {fields.Length} cột, cần {header.Length} (line {line}: {fields.Length} columns, expected {header.Length})");
                continue;
            }

            var problems = new List<string>();
            var code = fields[0];
            if (!CodePattern().IsMatch(code))
            {
                problems.Add($"mã '{code}' không hợp lệ: chữ, số, dấu chấm, gạch; tối đa 64 ký tự (invalid code)");
            }

            var name = fields[1];
            if (name.Length is 0 or > 256)
            {
                problems.Add("tên trống hoặc dài quá 256 ký tự (name is empty or longer than 256)");
            }

            if (!OrgUnitKinds.TryParse(fields[2], out var kind))
            {
                problems.Add($"loại '{fields[2]}' không có; dùng một trong: {OrgUnitKinds.AllNamesVi} (unknown kind)");
            }

            if (!CsvReader.TryDate(fields[4], out var from))
            {
                problems.Add($"ngày bắt đầu '{fields[4]}' không hợp lệ, viết yyyy-mm-dd hoặc dd/mm/yyyy (invalid valid_from)");
            }

            DateOnly? to = null;
            if (fields.Length > 5 && fields[5].Length > 0)
            {
                if (!CsvReader.TryDate(fields[5], out var end))
                {
                    problems.Add($"ngày kết thúc '{fields[5]}' không hợp lệ (invalid valid_to)");
                }
                else if (end <= from)
                {
                    problems.Add("ngày kết thúc phải sau ngày bắt đầu (valid_to must be after valid_from)");
                }
                else
                {
                    to = end;
                }
            }

            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => $"Dòng {line}: {p}"));
                continue;
            }

            rows.Add(new Row(line, code, name, kind, fields[3].Length == 0 ? null : fields[3], from, to));
        }

        if (header is null)
        {
            errors.Add("Tệp trống (the file is empty)");
        }

        return rows;
    }

    private static void Validate(List<Row> rows, Dictionary<string, OrgUnit> existing, List<string> errors)
    {
        var codeOf = existing.Values.ToDictionary(o => o.Id, o => o.Code);
        var kinds = existing.ToDictionary(
            e => e.Key, e => (e.Value.Kind, Parent: e.Value.ParentId is { } p ? codeOf.GetValueOrDefault(p) : null), StringComparer.Ordinal);
        foreach (var duplicate in rows.GroupBy(r => r.Code).Where(g => g.Count() > 1))
        {
            errors.Add($"Dòng {string.Join(", ", duplicate.Select(r => r.Line))}: mã '{duplicate.Key}' lặp lại (code repeated)");
        }

        // A repeated code is reported once; the rest of the checks use its first row only.
        var firsts = rows.GroupBy(r => r.Code).Select(g => g.First()).ToList();
        foreach (var row in firsts)
        {
            kinds[row.Code] = (row.Kind, row.Parent);
        }

        foreach (var row in firsts)
        {
            if (row.Parent is null)
            {
                continue;
            }

            if (!kinds.TryGetValue(row.Parent, out var parent))
            {
                errors.Add($"Dòng {row.Line}: tổ chức cấp trên '{row.Parent}' không có trong tệp hay trong hệ thống (parent not found)");
                continue;
            }

            if (!MayContain(parent.Kind, row.Kind))
            {
                errors.Add($"Dòng {row.Line}: {OrgUnitKinds.NameVi(row.Kind)} không thể trực thuộc {OrgUnitKinds.NameVi(parent.Kind)} (this kind cannot sit under that kind)");
            }

            // Walk up: a cycle would never reach a root.
            var seen = new HashSet<string>(StringComparer.Ordinal) { row.Code };
            for (var code = row.Parent; code is not null; code = kinds.GetValueOrDefault(code).Parent)
            {
                if (!seen.Add(code))
                {
                    errors.Add($"Dòng {row.Line}: cấp trên tạo thành vòng lặp qua '{code}' (the parents form a cycle)");
                    break;
                }
            }
        }
    }

    /// <summary>Which kind may sit directly under which (Điều lệ Đảng).</summary>
    private static bool MayContain(OrgUnitKind parent, OrgUnitKind child) => child switch
    {
        OrgUnitKind.ProvincialCommittee => false,
        OrgUnitKind.DirectlySubordinateCommittee => parent == OrgUnitKind.ProvincialCommittee,
        OrgUnitKind.GrassrootsCommittee or OrgUnitKind.GrassrootsCell =>
            parent is OrgUnitKind.ProvincialCommittee or OrgUnitKind.DirectlySubordinateCommittee,
        OrgUnitKind.SectionCommittee => parent == OrgUnitKind.GrassrootsCommittee,
        OrgUnitKind.SubordinateCell => parent is OrgUnitKind.GrassrootsCommittee or OrgUnitKind.SectionCommittee,
        _ => false,
    };

    private sealed record Row(int Line, string Code, string Name, OrgUnitKind Kind, string? Parent, DateOnly ValidFrom, DateOnly? ValidTo);
}
