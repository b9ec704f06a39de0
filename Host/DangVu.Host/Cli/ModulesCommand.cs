using System.CommandLine;
using DangVu.Contracts.Core.V1;
using DangVu.Core.Modules;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu modules …</c>: what is installed, and installing, removing, enabling and disabling modules.</summary>
internal static class ModulesCommand
{
    private const string RestartHint = "Khởi động lại máy chủ để áp dụng (restart the server to apply).";

    public static Command Build() =>
        new("modules", "Quản lý mô-đun (manage modules)")
        {
            List(), Install(), Remove(), Toggle("enable", enabled: true), Toggle("disable", enabled: false), Pack(),
        };

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "In dạng JSON (print as JSON)" };
        var command = new Command("list", "Liệt kê mô-đun đã cài và trạng thái (list installed modules and their state)") { json };
        CliAction.Set(command, (parse, _) =>
        {
            var installation = DangVuCli.OpenInstallation(parse, quiet: true);
            var entries = new ModuleLoader(installation).Load();
            // Registration into a throwaway container finds the modules that would fail at start-up.
            ModuleRegistrar.Register(new ServiceCollection(), entries, installation.Configuration);
            var infos = entries.Select(e => e.ToInfo()).ToList();
            if (parse.GetValue(json))
            {
                var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
                Console.Out.WriteLine("[" + string.Join(",", infos.Select(i => formatter.Format(i))) + "]");
                return Task.FromResult(CliAction.Ok);
            }

            if (infos.Count == 0)
            {
                AnsiConsole.MarkupLine($"Chưa cài mô-đun nào trong {Markup.Escape(installation.PluginsDirectory)} (no modules installed).");
                return Task.FromResult(CliAction.Ok);
            }

            var table = new Table().AddColumns("Id", "Tên (name)", "Phiên bản (version)", "Trạng thái (state)", "Lý do (reason)");
            foreach (var info in infos)
            {
                table.AddRow(
                    Markup.Escape(info.Id),
                    Markup.Escape(info.NameVi),
                    Markup.Escape(info.Version),
                    StateMarkup(info.State),
                    Markup.Escape(info.Reason));
            }

            AnsiConsole.Write(table);
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    private static Command Install()
    {
        var zip = new Argument<string>("zip") { Description = "Gói mô-đun .zip (module package)" };
        var force = new Option<bool>("--force") { Description = "Cho phép hạ phiên bản (allow a downgrade)" };
        var command = new Command("install", "Cài hoặc nâng cấp mô-đun từ gói zip (install or upgrade a module from its zip)") { zip, force };
        CliAction.Set(command, (parse, _) =>
        {
            var manifest = new ModuleInstaller(DangVuCli.OpenInstallation(parse, quiet: true))
                .Install(Path.GetFullPath(parse.GetValue(zip)!), parse.GetValue(force));
            AnsiConsole.MarkupLine($"[green]Đã cài (installed)[/] {Markup.Escape(manifest.Id)} {manifest.Version.ToString(3)}. {RestartHint}");
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "Id mô-đun (module id)" };
        var purge = new Option<bool>("--purge") { Description = "Xóa cả dữ liệu của mô-đun — không thể hoàn tác (also delete its data; cannot be undone)" };
        var command = new Command("remove", "Gỡ mô-đun (remove a module)") { id, purge };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var moduleId = parse.GetValue(id)!;
            await new ModuleInstaller(DangVuCli.OpenInstallation(parse, quiet: true)).RemoveAsync(moduleId, parse.GetValue(purge), cancellationToken);
            AnsiConsole.MarkupLine(parse.GetValue(purge)
                ? $"[green]Đã gỡ {Markup.Escape(moduleId)} và xóa dữ liệu của nó (removed with its data).[/] {RestartHint}"
                : $"[green]Đã gỡ {Markup.Escape(moduleId)}; dữ liệu được giữ lại (removed; its data is kept).[/] {RestartHint}");
            return CliAction.Ok;
        });
        return command;
    }

    private static Command Toggle(string name, bool enabled)
    {
        var id = new Argument<string>("id") { Description = "Id mô-đun (module id)" };
        var command = new Command(name, enabled ? "Bật mô-đun (enable a module)" : "Tắt mô-đun, giữ dữ liệu (disable a module, keeping its data)") { id };
        CliAction.Set(command, (parse, _) =>
        {
            var installation = DangVuCli.OpenInstallation(parse, quiet: true);
            var moduleId = parse.GetValue(id)!;
            if (!Directory.Exists(Path.Combine(installation.PluginsDirectory, moduleId)) || !ModuleManifest.IsValidId(moduleId))
            {
                throw new CliException($"Mô-đun '{moduleId}' chưa được cài; xem 'dangvu modules list' (module '{moduleId}' is not installed)");
            }

            new ModuleStateStore(installation.ModuleStatePath).SetEnabled(moduleId, enabled);
            AnsiConsole.MarkupLine($"[green]{(enabled ? "Đã bật (enabled)" : "Đã tắt (disabled)")}[/] {Markup.Escape(moduleId)}. {RestartHint}");
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    private static Command Pack()
    {
        var folder = new Argument<string>("publish-folder") { Description = "Thư mục kết quả 'dotnet publish' của mô-đun (the module's publish output)" };
        var output = new Option<string>("--output", "-o") { Description = "Tệp .zip hoặc thư mục chứa gói (the .zip, or a folder for <id>-<version>.zip)", Required = true };
        var command = new Command("pack", "Đóng gói mô-đun thành zip để cài (package a module as an installable zip)") { folder, output };
        CliAction.Set(command, (parse, _) =>
        {
            var (manifest, zip) = ModulePackager.Pack(Path.GetFullPath(parse.GetValue(folder)!), Path.GetFullPath(parse.GetValue(output)!));
            // The path alone on stdout, so that scripts can capture it.
            CliAction.Note($"Đã đóng gói (packaged) {manifest.Id} {manifest.Version.ToString(3)}");
            Console.Out.WriteLine(zip);
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    private static string StateMarkup(ModuleState state) => state switch
    {
        ModuleState.Loaded => "[green]đã nạp (loaded)[/]",
        ModuleState.Disabled => "[grey]đã tắt (disabled)[/]",
        ModuleState.Failed => "[red]lỗi (failed)[/]",
        _ => state.ToString(),
    };
}
