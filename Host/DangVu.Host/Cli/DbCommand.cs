using System.CommandLine;
using DangVu.Core.Hosting;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu db migrate</c>: brings every module's storage up to date without starting the server.</summary>
internal static class DbCommand
{
    public static Command Build()
    {
        var migrate = new Command("migrate", "Cập nhật cơ sở dữ liệu của mọi mô-đun (apply every module's migrations)");
        CliAction.Set(migrate, async (parse, cancellationToken) =>
        {
            var installation = DangVuCli.OpenInstallation(parse, quiet: true);
            var table = new Table().AddColumns("Mô-đun (module)", "Đã áp dụng (migrations applied)");
            await AnsiConsole.Status().StartAsync("Đang cập nhật cơ sở dữ liệu… (migrating…)", async _ =>
            {
                await using var app = await DangVuApplication.BuildAsync(
                    installation,
                    (module, applied) => table.AddRow(
                        Markup.Escape(module),
                        applied.Count == 0 ? "[grey]đã mới nhất (up to date)[/]" : Markup.Escape(string.Join(", ", applied))),
                    cancellationToken);
            });
            AnsiConsole.Write(table);
            return CliAction.Ok;
        });
        return new Command("db", "Cơ sở dữ liệu (storage)") { migrate };
    }
}
