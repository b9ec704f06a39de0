using DangVu.Core.Abstractions.Calendar;
using DangVu.Core.Abstractions.Text;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Platform;

/// <summary>
/// Loads the working calendar from CSV (<c>date,kind,name</c>; kind <c>nghỉ</c> for a weekday off,
/// <c>làm bù</c> for a weekend day worked). Each year in the file replaces that year's entries, so
/// the Government's yearly decision is loaded as one file; every row is checked first and the
/// import is applied all-or-nothing.
/// </summary>
internal sealed class CalendarImporter(CoreDbContext db, WorkingCalendar calendar)
{
    private static readonly string[] Header = ["date", "kind", "name"];
    private static readonly string[] HeaderVi = ["ngay", "loai", "ten"];

    public async Task<(IReadOnlyList<int> Years, int Days)> ImportAsync(TextReader csv, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var days = Parse(csv, errors);
        if (errors.Count > 0)
        {
            throw new CalendarImportException(errors);
        }

        var years = days.Select(d => d.Date.Year).Distinct().Order().ToList();
        var first = new DateOnly(years[0], 1, 1);
        var last = new DateOnly(years[^1], 12, 31);
        var replaced = await db.CalendarDays.Where(d => d.Date >= first && d.Date <= last).ToListAsync(cancellationToken);
        db.CalendarDays.RemoveRange(replaced.Where(d => years.Contains(d.Date.Year)));
        db.CalendarDays.AddRange(days.Select(d => new CalendarDayRecord { Date = d.Date, Kind = d.Kind, Name = d.Name }));
        await db.SaveChangesAsync(cancellationToken);
        calendar.Invalidate();
        return (years, days.Count);
    }

    private static List<CalendarDay> Parse(TextReader csv, List<string> errors)
    {
        var days = new List<CalendarDay>();
        var lines = new Dictionary<DateOnly, int>();
        string[]? header = null;
        foreach (var (line, fields) in CsvReader.Read(csv))
        {
            if (header is null)
            {
                header = fields.Select(VietnameseText.Fold).ToArray();
                if (!header.SequenceEqual(Header) && !header.SequenceEqual(HeaderVi))
                {
                    errors.Add($"Dòng {line}: tiêu đề phải là \"date,kind,name\" hoặc \"ngày,loại,tên\" (line {line}: the header must be \"date,kind,name\")");
                    return days;
                }

                continue;
            }

            if (fields.Length != Header.Length)
            {
                errors.Add($"Dòng {line}: có {fields.Length} cột, cần 3 (line {line}: {fields.Length} columns, expected 3)");
                continue;
            }

            var problems = new List<string>();
            if (!CsvReader.TryDate(fields[0], out var date))
            {
                problems.Add($"ngày '{fields[0]}' không hợp lệ, viết yyyy-mm-dd hoặc dd/mm/yyyy (invalid date)");
            }

            var kind = VietnameseText.Fold(fields[1]) switch
            {
                "nghi" or "off" => CalendarDayKind.DayOff,
                "lam bu" or "work" => CalendarDayKind.WorkingDay,
                _ => (CalendarDayKind?)null,
            };
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (kind is null)
            {
                problems.Add($"loại '{fields[1]}' không có; dùng 'nghỉ' hoặc 'làm bù' (unknown kind; use 'nghỉ' (off) or 'làm bù' (work))");
            }
            else if (problems.Count == 0 && kind == CalendarDayKind.DayOff && weekend)
            {
                problems.Add($"{date:dd/MM/yyyy} là ngày nghỉ cuối tuần; ghi ngày nghỉ bù vào ngày làm việc kế tiếp (a weekend is already off: give the compensatory weekday)");
            }
            else if (problems.Count == 0 && kind == CalendarDayKind.WorkingDay && !weekend)
            {
                problems.Add($"{date:dd/MM/yyyy} không phải thứ Bảy hay Chủ nhật; chỉ ngày cuối tuần mới làm bù (only a Saturday or Sunday can be a make-up working day)");
            }

            var name = fields[2].Trim();
            if (name.Length is 0 or > 128)
            {
                problems.Add("tên trống hoặc dài quá 128 ký tự (name is empty or longer than 128)");
            }

            if (problems.Count == 0 && lines.TryGetValue(date, out var earlier))
            {
                problems.Add($"ngày {date:dd/MM/yyyy} đã có ở dòng {earlier} (date repeated)");
            }

            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => $"Dòng {line}: {p}"));
                continue;
            }

            lines[date] = line;
            days.Add(new CalendarDay(date, kind!.Value, name));
        }

        if (header is null)
        {
            errors.Add("Tệp trống (the file is empty)");
        }
        else if (days.Count == 0 && errors.Count == 0)
        {
            errors.Add("Tệp không có ngày nào (the file lists no days)");
        }

        return days;
    }
}

/// <summary>A calendar file with errors: every error, by line; nothing was saved.</summary>
internal sealed class CalendarImportException(IReadOnlyList<string> errors)
    : Exception($"Không nhập được lịch làm việc; không có gì được lưu (the calendar import was refused; nothing was saved):\n  {string.Join("\n  ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
