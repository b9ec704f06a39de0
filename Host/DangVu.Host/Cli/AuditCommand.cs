using System.CommandLine;
using DangVu.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu audit verify</c>: checks every audit chain; exit code 1 when one is broken.</summary>
internal static class AuditCommand
{
    public static Command Build()
    {
        var verify = new Command("verify", "Kiểm tra chuỗi băm của nhật ký kiểm toán (verify the audit trail's hash chains)");
        CliAction.Set(verify, (parse, cancellationToken) => DangVuCli.WithServicesAsync(parse, cancellationToken, async services =>
        {
            var reports = await services.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
            var table = new Table().AddColumns("Kho (storage)", "Số mục (entries)", "Kết quả (result)");
            foreach (var report in reports)
            {
                table.AddRow(
                    Markup.Escape(report.Storage),
                    report.Entries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    report.Intact ? "[green]nguyên vẹn (intact)[/]" : $"[red]hỏng tại mục {report.BrokenAt} (broken at entry {report.BrokenAt})[/]: {Markup.Escape(report.Problem!)}");
            }

            AnsiConsole.Write(table);
            var broken = reports.FirstOrDefault(r => !r.Intact);
            if (broken is not null)
            {
                CliAction.Error($"Nhật ký kiểm toán của '{broken.Storage}' bị sửa tại mục {broken.BrokenAt}: {broken.Problem} (the audit trail of '{broken.Storage}' was tampered with at entry {broken.BrokenAt})");
                return CliAction.Failed;
            }

            return CliAction.Ok;
        }));
        return new Command("audit", "Nhật ký kiểm toán (audit trail)") { verify };
    }
}
