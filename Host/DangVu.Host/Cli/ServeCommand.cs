using System.CommandLine;
using DangVu.Core.Hosting;
using DangVu.Host.Web;
using Microsoft.AspNetCore.Builder;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu serve</c>: runs the installation until stopped (Ctrl+C or SIGTERM).</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Địa chỉ lắng nghe (listen addresses), mặc định {DangVuApplication.DefaultUrls}",
        };
        var command = new Command("serve", "Chạy máy chủ DangVu (run the DangVu server)") { urls };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var overrides = parse.GetValue(urls) is { Length: > 0 } u ? new Dictionary<string, string?> { ["Urls"] = u } : null;
            var installation = DangVuCli.OpenInstallation(parse, overrides: overrides);
            await using var app = await DangVuApplication.BuildAsync(installation, cancellationToken: cancellationToken, webShell: new WebShell());
            await app.RunAsync(cancellationToken);
            return CliAction.Ok;
        });
        return command;
    }
}
