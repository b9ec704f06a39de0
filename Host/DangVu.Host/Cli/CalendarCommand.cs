using System.CommandLine;
using DangVu.Core.Abstractions.Calendar;
using DangVu.Core.Platform;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu calendar …</c>: the working calendar that deadlines in working days follow.</summary>
internal static class CalendarCommand
{
    public static Command Build() => new("calendar", "Lịch làm việc: ngày nghỉ lễ, nghỉ bù, làm bù (the working calendar)") { Import(), List() };

    private static Command Import() => CsvImportCommand.Create(
        "Nhập lịch của các năm trong tệp, thay lịch cũ của các năm đó (import the years in the file, replacing them)",
        "Tệp CSV: date,kind,name (kind: nghỉ | làm bù)",
        async (services, csv, cancellationToken) =>
        {
            var (years, days) = await services.GetRequiredService<CalendarImporter>().ImportAsync(csv, cancellationToken);
            return $"[green]Đã nhập (imported):[/] {days} ngày cho năm (days for) {string.Join(", ", years)}.";
        });

    private static Command List()
    {
        var year = new Option<int?>("--year") { Description = "Chỉ một năm (one year only)" };
        var command = new Command("list", "In các ngày nghỉ và ngày làm bù (print the days off and make-up working days)") { year };
        CliAction.Set(command, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            if (parse.GetValue(year) is { } y && y is < 1900 or > 2200)
            {
                throw new CliException($"Năm {y} không hợp lệ (invalid year)");
            }

            var days = await services.GetRequiredService<WorkingCalendar>().ListAsync(parse.GetValue(year), cancellationToken);
            if (days.Count == 0)
            {
                AnsiConsole.MarkupLine("Lịch chưa có ngày nào; dùng 'dangvu calendar import <csv>' (no days yet).");
                return CliAction.Ok;
            }

            var table = new Table().AddColumns("Ngày (date)", "Thứ (day)", "Loại (kind)", "Tên (name)");
            foreach (var day in days)
            {
                table.AddRow(
                    day.Date.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(DayName(day.Date.DayOfWeek)),
                    day.Kind == CalendarDayKind.DayOff ? "nghỉ (off)" : "làm bù (work)",
                    Markup.Escape(day.Name));
            }

            AnsiConsole.Write(table);
            return CliAction.Ok;
        }));
        return command;
    }

    private static string DayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Sunday => "Chủ nhật",
        DayOfWeek.Monday => "Thứ Hai",
        DayOfWeek.Tuesday => "Thứ Ba",
        DayOfWeek.Wednesday => "Thứ Tư",
        DayOfWeek.Thursday => "Thứ Năm",
        DayOfWeek.Friday => "Thứ Sáu",
        _ => "Thứ Bảy",
    };
}
