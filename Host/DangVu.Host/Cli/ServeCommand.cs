using System.CommandLine;
using DangVu.Core.Hosting;
using DangVu.Core.Storage;
using DangVu.Host.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Host.Cli;

/// <summary><c>dangvu serve</c>: runs the installation until stopped (Ctrl+C or SIGTERM).</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Địa chỉ web (web listen addresses), mặc định {ListenAddresses.DefaultWeb}",
        };
        var grpcUrls = new Option<string?>("--grpc-urls")
        {
            Description = $"Địa chỉ gRPC, chỉ HTTP/2 (gRPC listen addresses, HTTP/2 only), mặc định {ListenAddresses.DefaultGrpc}",
        };
        var command = new Command("serve", "Chạy máy chủ DangVu (run the DangVu server)") { urls, grpcUrls };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { Length: > 0 } web)
            {
                overrides["Urls"] = web;
            }

            if (parse.GetValue(grpcUrls) is { Length: > 0 } grpc)
            {
                overrides["Grpc:Urls"] = grpc;
            }

            var installation = DangVuCli.OpenInstallation(parse, overrides: overrides);
            await using var app = await DangVuApplication.BuildAsync(installation, cancellationToken: cancellationToken, webShell: new WebShell());
            await app.Services.GetRequiredService<StorageMigrator>().BuildModelsAsync();
            await app.RunAsync(cancellationToken);
            return CliAction.Ok;
        });
        return command;
    }
}
